//! Arbitrary bytes, when UTF-8, through `SourceFile::new`, `analyze` and `shell::scripts`:
//! every range of the model and of the scripts is a char-aligned range of the text, inside
//! what it belongs to (`dlint_fuzz::parse_model`).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(e) = dlint_fuzz::parse_model(data) {
        panic!("{e}");
    }
});
