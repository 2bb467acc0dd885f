//! tillit
pub mod retention;
