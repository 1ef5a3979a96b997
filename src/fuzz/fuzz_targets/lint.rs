//! Arbitrary UTF-8 text linted with every rule: every diagnostic, label and fix edit range is
//! valid, and every report format renders (`dlint_fuzz::lint`).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(e) = dlint_fuzz::lint(data) {
        panic!("{e}");
    }
});
