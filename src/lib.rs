//! tillit
pub mod invoice;
