//! The uniffi binding generator, built from the same uniffi version as `tillit-uniffi` so that
//! the generated Kotlin and the compiled library always agree on metadata and checksums.

fn main() {
    uniffi::uniffi_bindgen_main()
}
