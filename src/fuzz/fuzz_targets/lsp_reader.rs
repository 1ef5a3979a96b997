//! The LSP stdio transport's frame reader over arbitrary bytes: it ends, never panics, holds no
//! more than a body or a header line, and reads the same however the bytes are chunked
//! (`dlint_fuzz::lsp_reader`).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(e) = dlint_fuzz::lsp_reader(data) {
        panic!("{e}");
    }
});
