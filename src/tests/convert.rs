//! The multi-stage conversion on testdata/convert: each app's converted Dockerfile is checked
//! exactly (the buildah end-to-end script builds and runs both), converting twice changes
//! nothing, and converted files pass dlint's correctness rules; `cases/` hold recipes and
//! refusals that have no end-to-end build here.

use std::path::{Path, PathBuf};

use crate::common::{expect_file, root};
use dlint::fix_source;

fn settings(dir: &Path) -> dlint::Settings {
    let overrides = dlint::config::Overrides {
        select: vec!["single-stage-build".into()],
        ..Default::default()
    };
    let config = if dir.join("dlint.toml").is_file() {
        dlint::config::load_toml(&dir.join("dlint.toml")).expect("valid dlint.toml")
    } else {
        dlint::config::Config::default_in(dir)
    };
    let resolver = dlint::config::Resolver::new(None, true, overrides);
    resolver.settings(&config, &dir.join("Dockerfile"))
}

fn dirs(under: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join(under))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("Dockerfile").is_file())
        .collect();
    v.sort();
    v
}

/// Convert a directory's Dockerfile: the converted text, or the refusal's reason.
fn convert(dir: &Path) -> Result<String, String> {
    let text = std::fs::read_to_string(dir.join("Dockerfile")).unwrap();
    let settings = settings(dir);
    let out = fix_source("Dockerfile", &text, &settings, true);
    assert!(out.converged, "{}", dir.display());
    if out.changed() {
        return Ok(out.fixed);
    }
    let d = out
        .result
        .diagnostics
        .iter()
        .find(|d| d.rule == "single-stage-build")
        .unwrap_or_else(|| panic!("{}: single-stage-build does not fire", dir.display()));
    Err(d.help.clone().unwrap_or_default())
}

/// A converted file is a fixed point and passes the correctness rules.
fn check_converted(dir: &Path, converted: &str) {
    let settings = settings(dir);
    let again = fix_source("Dockerfile", converted, &settings, true);
    assert!(
        !again.changed(),
        "{}: converting twice changes the file",
        dir.display()
    );
    assert!(
        again.result.diagnostics.is_empty(),
        "{}: still flagged: {:?}",
        dir.display(),
        again.result.diagnostics
    );
    let all = dlint::Settings {
        rules: dlint::rules::RULES
            .iter()
            .copied()
            .filter(|r| r.group == dlint::rules::Group::Correctness)
            .collect(),
        ..Default::default()
    };
    let r = dlint::check_source("Dockerfile", converted, &all);
    assert!(
        r.diagnostics.is_empty(),
        "{}: correctness findings in the converted file: {:?}",
        dir.display(),
        r.diagnostics
    );
}

#[test]
fn apps_convert_exactly() {
    let apps = dirs("testdata/convert");
    assert!(apps.len() >= 10, "the end-to-end apps are missing");
    for dir in apps {
        let converted = convert(&dir).unwrap_or_else(|why| panic!("{}: {why}", dir.display()));
        expect_file(
            &dir.join("Dockerfile.converted"),
            &converted,
            "converted Dockerfile",
        );
        check_converted(&dir, &converted);
        assert!(
            dir.join("check.toml").is_file(),
            "{}: the end-to-end script needs check.toml",
            dir.display()
        );
    }
}

#[test]
fn cases_convert_or_refuse_with_a_reason() {
    let cases = dirs("testdata/convert/cases");
    assert!(cases.len() >= 10);
    for dir in cases {
        match convert(&dir) {
            Ok(converted) => {
                expect_file(
                    &dir.join("Dockerfile.converted"),
                    &converted,
                    "converted Dockerfile",
                );
                assert!(!dir.join("refusal.txt").exists(), "{}", dir.display());
                check_converted(&dir, &converted);
            }
            Err(why) => {
                assert!(
                    !dir.join("Dockerfile.converted").exists(),
                    "{}: no longer converts: {why}",
                    dir.display()
                );
                expect_file(&dir.join("refusal.txt"), &format!("{why}\n"), "refusal");
            }
        }
    }
}

#[test]
fn the_cli_shows_and_applies_the_conversion() {
    let dir = root().join("testdata/convert/go-cli");
    let tmp = crate::common::TempDir::new("convert-cli");
    for f in ["Dockerfile", "go.mod", "main.go"] {
        tmp.write(f, std::fs::read(dir.join(f)).unwrap());
    }
    let df = tmp.0.join("Dockerfile");
    let df = df.to_str().unwrap();
    // Without --unsafe-fixes the finding stays and says how to apply it.
    let out = tmp.run_env(&["--select", "single-stage-build", df], &[]);
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("single-stage-build"), "{text}");
    assert!(
        text.contains("the runtime stage will be `gcr.io/distroless/static-debian12`"),
        "{text}"
    );
    let diff = tmp.run_env(
        &[
            "--diff",
            "--unsafe-fixes",
            "--select",
            "single-stage-build",
            df,
        ],
        &[],
    );
    let d = String::from_utf8_lossy(&diff.stdout);
    assert!(d.contains("+FROM gcr.io/distroless/static-debian12"), "{d}");
    let fix = tmp.run_env(
        &[
            "--fix",
            "--unsafe-fixes",
            "--select",
            "single-stage-build",
            df,
        ],
        &[],
    );
    assert_eq!(
        fix.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&fix.stderr)
    );
    let written = std::fs::read_to_string(tmp.0.join("Dockerfile")).unwrap();
    assert_eq!(
        written,
        std::fs::read_to_string(dir.join("Dockerfile.converted")).unwrap()
    );
}
