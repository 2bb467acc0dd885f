//! tillit
pub mod password;
