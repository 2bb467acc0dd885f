//! tillit
