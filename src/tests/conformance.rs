//! BuildKit agreement: every Dockerfile in testdata and every doc example is split into the same
//! instructions (keyword, ONBUILD trigger, start/end lines, flags, JSON form) as BuildKit's own
//! parser, run through its Python bindings (PyPI `dockerfile`) by `testdata/oracle.py`.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::common::fixprops::fix_properties;
use crate::common::*;

fn python() -> String {
    std::env::var("DLINT_PYTHON").unwrap_or_else(|_| "python3".into())
}

type Row = (String, Option<String>, u64, u64, Vec<String>, bool);

fn rows(v: &serde_json::Value) -> Vec<Row> {
    v["instructions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["keyword"].as_str().unwrap().to_string(),
                i["sub_keyword"].as_str().map(String::from),
                i["start_line"].as_u64().unwrap(),
                i["end_line"].as_u64().unwrap(),
                // The Python binding drops the flags of an ONBUILD's trigger (from its value
                // too): they are compared for other instructions only.
                if i["sub_keyword"].is_null() {
                    i["flags"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|f| f.as_str().unwrap().to_string())
                        .collect()
                } else {
                    Vec::new()
                },
                i["json_form"].as_bool().unwrap(),
            )
        })
        .collect()
}

/// Compare every file with BuildKit's parser; returns the number that agree and the differences.
pub fn compare_with_buildkit(paths: &[std::path::PathBuf]) -> (usize, Vec<String>) {
    let mut child = Command::new(python())
        .arg(root().join("testdata/oracle.py"))
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 is needed for the BuildKit oracle");
    let list: String = paths.iter().map(|p| format!("{}\n", p.display())).collect();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(list.as_bytes()));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(
        out.status.success(),
        "the BuildKit oracle failed (install it with `pip install -r .ci/requirements.txt`): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut agreed = 0;
    let mut failures = Vec::new();
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let theirs: serde_json::Value = serde_json::from_str(line).unwrap();
        let path = theirs["path"].as_str().unwrap();
        let text = std::fs::read_to_string(path).unwrap();
        let source = dlint::source::SourceFile::new(path, &text);
        let model = dlint::analyze(&source);
        // A file BuildKit refuses must be one dlint refuses too (a BuildKit-level syntax error).
        if !theirs["ok"].as_bool().unwrap() {
            let refused = model
                .errors
                .iter()
                .any(|e| e.kind == dlint::syntax::ErrorKind::Build);
            if refused {
                agreed += 1;
            } else {
                failures.push(format!(
                    "{path}: BuildKit refuses it ({}), dlint reports no syntax error",
                    theirs["error"]
                ));
            }
            continue;
        }
        let ours = dlint::report::inspect::to_json(&source, &model);
        let (a, b) = (rows(&ours), rows(&theirs));
        if a == b {
            agreed += 1;
        } else {
            let first = a.iter().zip(&b).find(|(x, y)| x != y);
            failures.push(format!(
                "{path}: first difference (dlint, buildkit) = {first:?}; counts {} vs {}",
                a.len(),
                b.len()
            ));
        }
    }
    (agreed, failures)
}

/// Every fixture and doc example, written to a temporary directory where needed.
fn inputs(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    std::fs::create_dir_all(dir).unwrap();
    let mut paths = fixtures();
    for (name, text) in doc_examples() {
        let p = dir.join(format!("{name}.Dockerfile"));
        std::fs::write(&p, text).unwrap();
        paths.push(p);
    }
    paths
}

#[test]
fn instruction_boundaries_agree_with_buildkit() {
    if !crate::common::gated("BuildKit's parser (PyPI dockerfile)") {
        return;
    }
    let dir = std::env::temp_dir().join(format!("dlint-conformance-{}", std::process::id()));
    let paths = inputs(&dir);
    let (agreed, failures) = compare_with_buildkit(&paths);
    std::fs::remove_dir_all(&dir).ok();
    assert!(
        failures.is_empty(),
        "{} files disagree:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(agreed, paths.len(), "every file is compared");
}

/// Fixing (safe and unsafe) keeps every file's instructions in agreement with BuildKit.
#[test]
fn fixed_files_agree_with_buildkit() {
    if !crate::common::gated("BuildKit's parser (PyPI dockerfile)") {
        return;
    }
    let dir = std::env::temp_dir().join(format!("dlint-conformance-fixed-{}", std::process::id()));
    let paths = inputs(&dir.join("in"));
    let out_dir = dir.join("out");
    std::fs::create_dir_all(&out_dir).unwrap();
    let settings = dlint::Settings {
        rules: dlint::rules::RULES.to_vec(),
        ..Default::default()
    };
    let mut fixed = Vec::new();
    for (i, p) in paths.iter().enumerate() {
        let text = std::fs::read_to_string(p).unwrap();
        let outcome = dlint::fix_source("Dockerfile", &text, &settings, true);
        if outcome.changed() {
            let q = out_dir.join(format!("{i}.Dockerfile"));
            std::fs::write(&q, &outcome.fixed).unwrap();
            fixed.push(q);
        }
    }
    let (agreed, failures) = compare_with_buildkit(&fixed);
    std::fs::remove_dir_all(&dir).ok();
    assert!(
        failures.is_empty(),
        "{} fixed files disagree:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(agreed > 20, "only {agreed} fixed files compared");
}

/// Local conformance over a corpus kept out of the repository: `DLINT_CORPUS=list.txt` (one path
/// per line) `cargo test --release --test conformance -- --ignored --nocapture`.
#[test]
#[ignore]
fn corpus_agrees_with_buildkit_before_and_after_fixing() {
    let list =
        std::env::var("DLINT_CORPUS").expect("set DLINT_CORPUS to a file listing Dockerfiles");
    let paths: Vec<std::path::PathBuf> = std::fs::read_to_string(list)
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty())
        .map(Into::into)
        .collect();
    let (agreed, failures) = compare_with_buildkit(&paths);
    eprintln!("original: {agreed} agree, {} differ", failures.len());
    let dir = std::env::temp_dir().join(format!("dlint-corpus-fixed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let settings = dlint::Settings {
        rules: dlint::rules::RULES.to_vec(),
        ..Default::default()
    };
    let mut fixed = Vec::new();
    let mut stats = [0usize; 6];
    for (i, p) in paths.iter().enumerate() {
        let Ok(text) = std::fs::read_to_string(p) else {
            continue;
        };
        let outcome = dlint::fix_source("Dockerfile", &text, &settings, true);
        let props = fix_properties(&text, &outcome, &settings);
        stats[0] += 1;
        stats[1] += usize::from(outcome.changed());
        stats[2] += outcome.applied.len();
        stats[3] += usize::from(props.is_ok());
        if let Err(e) = props {
            eprintln!("{}: {e}", p.display());
        }
        if outcome.changed() {
            let q = dir.join(format!("{i}.Dockerfile"));
            std::fs::write(&q, &outcome.fixed).unwrap();
            fixed.push(q);
        }
    }
    let (fixed_agreed, fixed_failures) = compare_with_buildkit(&fixed);
    stats[4] = fixed_agreed;
    stats[5] = fixed_failures.len();
    std::fs::remove_dir_all(&dir).ok();
    eprintln!(
        "files {} changed {} fixes {} properties-hold {} fixed-agree {} fixed-differ {}",
        stats[0], stats[1], stats[2], stats[3], stats[4], stats[5]
    );
    for f in fixed_failures.iter().take(20) {
        eprintln!("{f}");
    }
    assert!(failures.is_empty() && fixed_failures.is_empty() && stats[3] == stats[0]);
}
