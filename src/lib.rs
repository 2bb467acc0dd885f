//! tillit
pub mod ehf;
pub mod invoice;
