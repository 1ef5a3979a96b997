//! The multi-stage conversion (`single-stage-build`) on a Dockerfile with a build context of
//! manifests taken from the input (format: `dlint_fuzz::convert_input`): ranges valid, fixing
//! with unsafe fixes keeps the fixprops properties and fixing twice equals fixing once.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(e) = dlint_fuzz::convert(data) {
        panic!("{e}");
    }
});
