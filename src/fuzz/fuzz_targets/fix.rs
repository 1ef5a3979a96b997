//! Arbitrary UTF-8 text fixed with every rule, safe fixes and then unsafe ones too: the fixprops
//! properties hold (converges, a second pass changes nothing, no new BuildKit error, the same
//! instructions unless restructured, the BOM kept; `dlint_fuzz::fix`).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(e) = dlint_fuzz::fix(data) {
        panic!("{e}");
    }
});
