//! tillit
pub mod token;
