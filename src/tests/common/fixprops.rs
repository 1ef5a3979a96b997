//! The properties every fix must keep, checked on fixtures, doc examples and local corpora.

use dlint::syntax::{self, ErrorKind};
use dlint::Settings;
use dlint::{fix_source, FixOutcome};

fn build_errors(text: &str) -> usize {
    syntax::parse(text)
        .errors
        .iter()
        .filter(|e| e.kind == ErrorKind::Build)
        .count()
}

fn keywords(text: &str) -> Vec<String> {
    syntax::parse(text)
        .instructions
        .iter()
        .map(|i| i.keyword_text.to_ascii_uppercase())
        .collect()
}

/// Converges; a second fix changes nothing; no new BuildKit error; same instructions; no
/// applicable fix left behind.
pub fn fix_properties(
    input: &str,
    outcome: &FixOutcome,
    settings: &Settings,
) -> Result<(), String> {
    if !outcome.converged {
        return Err("did not converge".into());
    }
    let again = fix_source("Dockerfile", &outcome.fixed, settings, true);
    if again.changed() {
        return Err(format!(
            "not idempotent: a second pass applied {:?}",
            again.applied
        ));
    }
    let (before, after) = (build_errors(input), build_errors(&outcome.fixed));
    if after > before {
        return Err(format!("parse errors went from {before} to {after}"));
    }
    if outcome.restructured {
        // A conversion adds a stage; every other fix keeps the instructions as they are.
        let froms = |t: &str| keywords(t).iter().filter(|k| *k == "FROM").count();
        if froms(&outcome.fixed) != froms(input) + 1 {
            return Err("a restructuring fix did not add exactly one stage".into());
        }
    } else if outcome.rewrote_keywords {
        // A keyword rewrite (`MAINTAINER` -> `LABEL`) keeps the number of instructions.
        if keywords(input).len() != keywords(&outcome.fixed).len() {
            return Err("a keyword rewrite added or removed instructions".into());
        }
    } else if keywords(input) != keywords(&outcome.fixed) {
        return Err("the instructions changed".into());
    }
    if let Some(d) = outcome
        .result
        .diagnostics
        .iter()
        .find(|d| d.fix.as_ref().is_some_and(|f| f.applies(true)))
    {
        return Err(format!("a fixable `{}` remains: {}", d.rule, d.message));
    }
    if input.starts_with('\u{feff}') != outcome.fixed.starts_with('\u{feff}') {
        return Err("the BOM changed".into());
    }
    Ok(())
}
