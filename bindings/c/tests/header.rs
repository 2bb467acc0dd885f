//! Fails when `include/tillit.h` no longer matches what cbindgen generates from this crate,
//! so the committed header can never drift from the library. Set `TILLIT_BLESS_HEADER=1` to
//! rewrite it.

use std::path::PathBuf;

#[test]
fn committed_header_is_current() {
    let crate_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let header_path = crate_dir.join("../../include/tillit.h");
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml"))
        .expect("bindings/c/cbindgen.toml must parse");
    let mut generated = Vec::new();
    cbindgen::Builder::new()
        .with_crate(&crate_dir)
        .with_config(config)
        .generate()
        .expect("cbindgen must understand the C binding crate")
        .write(&mut generated);
    let generated = String::from_utf8(generated).expect("cbindgen writes UTF-8");

    if std::env::var_os("TILLIT_BLESS_HEADER").is_some() {
        std::fs::write(&header_path, &generated).expect("include/tillit.h must be writable");
        return;
    }
    let committed = std::fs::read_to_string(&header_path).unwrap_or_default();
    assert!(
        committed == generated,
        "include/tillit.h is stale: regenerate it with \
         `TILLIT_BLESS_HEADER=1 cargo test -p tillit-ffi --test header` and commit the result"
    );
}
