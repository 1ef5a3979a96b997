//! Fixing is safe to run unread: on every fixture and doc example the fix converges, is
//! idempotent, adds no parse error, keeps the instructions and leaves no fixable finding; the
//! round-trip fixtures in testdata/fix/ keep everything but the fix (CRLF, BOM, backtick escape,
//! tabs, comments inside continuations).

mod common;

use common::fixprops::fix_properties;
use common::*;

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
        // Lines the fixes did not touch are byte-identical, line endings included.
        let diff = similar::TextDiff::from_lines(&input, &outcome.fixed);
        for op in diff.ops() {
            if let similar::DiffOp::Equal { .. } = op {
                continue;
            }
            for change in diff.iter_changes(op) {
                let line = change.value();
                if input.contains("\r\n") {
                    assert!(
                        line.ends_with("\r\n") || !line.ends_with('\n'),
                        "{}: LF line in a CRLF file: {line:?}",
                        p.display()
                    );
                }
            }
        }
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
