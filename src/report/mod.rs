//! The only module that knows output formats: diagnostics (full, concise, json) and `inspect`.

pub mod inspect;
