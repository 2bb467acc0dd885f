#![no_main]
//! libFuzzer entry point; the check itself is in `checks/ident.rs`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| tillit_fuzz::ident::check(data));
