#![no_main]
//! libFuzzer entry point; the check itself is in `checks/ehf.rs`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| tillit_fuzz::ehf::check(data));
