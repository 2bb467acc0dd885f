//! tillit
pub mod backup;
