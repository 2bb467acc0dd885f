//! The checks behind the fuzz targets, one module per target.
//!
//! Each `check` takes the raw bytes libFuzzer generated, feeds them to one of tillit's parsers
//! of hostile input and panics when an invariant fails (a round trip that does not return
//! the input, a decision that breaks its own rule), not only when the code under test
//! panics. The modules depend on nothing but `tillit` and its own dependencies, so the root
//! crate's `tests/fuzz_corpora.rs` includes this file with `#[path]` and replays every
//! committed corpus file through the same checks on a stable toolchain.

pub mod backup;
pub mod ehf;
pub mod ident;
pub mod json;
pub mod phc;
pub mod retention;
pub mod stateless;
pub mod token;

/// Splits fuzz input at the first `\n`: the part before and the rest (empty without one).
pub(crate) fn split_line(data: &[u8]) -> (&[u8], &[u8]) {
    match data.iter().position(|b| *b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[]),
    }
}

/// Reads a big-endian number from the first `bytes` bytes (at most 8), padding missing ones
/// with zeros, and returns it with the bytes that follow.
pub(crate) fn take_u64(data: &[u8], bytes: usize) -> (u64, &[u8]) {
    let bytes = bytes.min(8);
    let n = bytes.min(data.len());
    let mut buf = [0u8; 8];
    buf[8 - bytes..8 - bytes + n].copy_from_slice(&data[..n]);
    (u64::from_be_bytes(buf), &data[n..])
}
