//! Fixing is safe to run unread: on every fixture and doc example the fix converges, is
//! idempotent, adds no parse error, keeps the instructions and leaves no fixable finding; the
//! round-trip fixtures in testdata/fix/ keep everything but the fix (CRLF, BOM, backtick escape,
//! tabs, comments inside continuations).

use crate::common::fixprops::fix_properties;
use crate::common::*;

fn all_rules() -> dlint::Settings {
    dlint::Settings {
        rules: dlint::rules::RULES.to_vec(),
        ..Default::default()
    }
}

#[test]
fn fixes_keep_their_properties_on_every_fixture_and_example() {
    let settings = all_rules();
    let mut inputs: Vec<(String, String)> = fixtures()
        .into_iter()
        .map(|p| {
            (
                p.display().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    inputs.extend(doc_examples());
    let mut changed = 0;
    for (name, text) in &inputs {
        let outcome =
            std::panic::catch_unwind(|| dlint::fix_source("Dockerfile", text, &settings, true))
                .unwrap_or_else(|_| panic!("{name}: fixing panicked"));
        if let Err(e) = fix_properties(text, &outcome, &settings) {
            panic!("{name}: {e}");
        }
        changed += usize::from(outcome.changed());
    }
    assert!(changed > 15, "only {changed} inputs had fixes");
}

/// Every line the fixes did not touch is byte-identical: lines removed or replaced lie within
/// the lines of some fix's edits (of the first pass, or of a later pass on lines an earlier
/// pass inserted), and new lines end as the file's lines do (CRLF in a CRLF file).
fn untouched_lines_are_identical(
    name: &str,
    input: &str,
    outcome: &dlint::FixOutcome,
    settings: &dlint::Settings,
) {
    let first = dlint::check_source("Dockerfile", input, settings);
    if outcome.restructured {
        return;
    }
    let src = &first.source;
    let text = &src.text;
    let spans: Vec<(usize, usize)> = first
        .diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .flat_map(|f| &f.edits)
        .map(|e| {
            let a = src.line_col(e.range.start).line - 1;
            let b = src.line_col(e.range.end.min(text.len())).line - 1;
            (a, b)
        })
        .collect();
    let bom = usize::from(input.starts_with('\u{feff}'));
    let body = &input[bom * 3..];
    let fixed = outcome
        .fixed
        .strip_prefix('\u{feff}')
        .unwrap_or(&outcome.fixed);
    let diff = similar::TextDiff::from_lines(body, fixed);
    let crlf = body.contains("\r\n");
    for op in diff.ops() {
        let (old_start, old_len) = match *op {
            similar::DiffOp::Equal { .. } => continue,
            similar::DiffOp::Insert { .. } => (0, 0),
            similar::DiffOp::Delete {
                old_index, old_len, ..
            } => (old_index, old_len),
            similar::DiffOp::Replace {
                old_index, old_len, ..
            } => (old_index, old_len),
        };
        for line in old_start..old_start + old_len {
            assert!(
                spans.iter().any(|&(a, b)| a <= line && line <= b),
                "{name}: line {} changed, but no fix edits it",
                line + 1
            );
        }
        for change in diff.iter_changes(op) {
            if change.tag() != similar::ChangeTag::Insert {
                continue;
            }
            let line = change.value();
            if crlf {
                assert!(
                    line.ends_with("\r\n") || !line.ends_with('\n'),
                    "{name}: LF line in a CRLF file: {line:?}"
                );
            } else {
                assert!(
                    !line.contains('\r'),
                    "{name}: CR added to an LF file: {line:?}"
                );
            }
        }
    }
}

/// `testdata/fix/<case>.Dockerfile` fixed with `--fix --unsafe-fixes` equals `<case>.fixed`
/// byte for byte (`DLINT_BLESS=1` rewrites the expectations).
#[test]
fn round_trip_fixtures() {
    let settings = all_rules();
    let mut n = 0;
    for p in sorted_files("testdata/fix") {
        if p.extension().is_none_or(|e| e != "Dockerfile") {
            continue;
        }
        let input = std::fs::read_to_string(&p).unwrap();
        let outcome = dlint::fix_source("Dockerfile", &input, &settings, true);
        assert!(
            outcome.changed(),
            "{}: the fixture must exercise a fix",
            p.display()
        );
        expect_file(
            &p.with_extension("fixed"),
            &outcome.fixed,
            &p.display().to_string(),
        );
        untouched_lines_are_identical(&p.display().to_string(), &input, &outcome, &settings);
        n += 1;
    }
    assert!(n >= 5);
}

/// The `cache-in-layer` option `fix = mount` offers an unsafe cache mount instead of a cleanup.
#[test]
fn cache_mount_alternative() {
    let config = dlint::config::from_toml_str(
        "[rules.cache-in-layer]\nfix = \"mount\"\n",
        "dlint.toml".as_ref(),
    )
    .unwrap();
    let settings = dlint::config::settings_for(
        &config,
        &dlint::config::Overrides {
            select: vec!["cache-in-layer".into()],
            ..Default::default()
        },
        "Dockerfile".as_ref(),
    );
    let text = "FROM python:3.12-slim\nRUN --network=default pip install flask\nRUN apt-get update && apt-get install -y curl\n";
    let safe_only = dlint::fix_source("Dockerfile", text, &settings, false);
    assert!(!safe_only.changed(), "the mount fix is unsafe");
    let outcome = dlint::fix_source("Dockerfile", text, &settings, true);
    assert_eq!(
        outcome.fixed,
        "FROM python:3.12-slim\nRUN --network=default --mount=type=cache,target=/root/.cache/pip,sharing=locked pip install flask\nRUN --mount=type=cache,target=/var/lib/apt/lists,sharing=locked apt-get update && apt-get install -y curl\n"
    );
    assert!(outcome.result.diagnostics.is_empty());
}

/// The cache mount of an `ONBUILD RUN` goes after the trigger's `RUN`, where BuildKit reads it.
#[test]
fn cache_mount_on_an_onbuild_trigger() {
    let config = dlint::config::from_toml_str(
        "[rules.cache-in-layer]\nfix = \"mount\"\n",
        "dlint.toml".as_ref(),
    )
    .unwrap();
    let settings = dlint::config::settings_for(&config, &Default::default(), "Dockerfile".as_ref());
    let text = "FROM debian:12\nONBUILD RUN apt-get update\n";
    let outcome = dlint::fix_source("Dockerfile", text, &settings, true);
    assert_eq!(
        outcome.fixed,
        "FROM debian:12\nONBUILD RUN --mount=type=cache,target=/var/lib/apt/lists,sharing=locked apt-get update\n"
    );
}
