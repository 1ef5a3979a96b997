//! The properties every fix must keep, checked on fixtures, doc examples and local corpora: the
//! fuzz targets' own check (`src/fuzz/checks.rs`), for outcomes fixed with unsafe fixes too.

use dlint::{FixOutcome, Settings};

/// Converges; a second fix changes nothing; no new BuildKit error; same instructions (one more
/// stage for a conversion, the same count for a keyword rewrite); no applicable fix left; the
/// BOM kept.
pub fn fix_properties(
    input: &str,
    outcome: &FixOutcome,
    settings: &Settings,
) -> Result<(), String> {
    crate::fuzz_checks::fix_properties(input, outcome, settings, true)
}
