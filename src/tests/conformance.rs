//! BuildKit agreement: every Dockerfile in testdata and every doc example is split into the same
//! instructions (keyword, ONBUILD trigger, start/end lines, flags, JSON form) as BuildKit's own
//! parser, run through its Python bindings (PyPI `dockerfile`) by `testdata/oracle.py`.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::*;

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
                i["flags"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|f| f.as_str().unwrap().to_string())
                    .collect(),
                i["json_form"].as_bool().unwrap(),
            )
        })
        .collect()
}

#[test]
fn instruction_boundaries_agree_with_buildkit() {
    let dir = std::env::temp_dir().join(format!("dlint-conformance-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut paths = fixtures();
    for (name, text) in doc_examples() {
        let p = dir.join(format!("{name}.Dockerfile"));
        std::fs::write(&p, text).unwrap();
        paths.push(p);
    }
    let mut child = Command::new(python())
        .arg(root().join("testdata/oracle.py"))
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 is needed for the BuildKit oracle");
    let list: String = paths.iter().map(|p| format!("{}\n", p.display())).collect();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(list.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
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
        if !theirs["ok"].as_bool().unwrap() {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        let source = dlint::source::SourceFile::new(path, &text);
        let model = dlint::analyze(&source);
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
    std::fs::remove_dir_all(&dir).ok();
    assert!(
        failures.is_empty(),
        "{} files disagree:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        agreed >= paths.len() - 5,
        "only {agreed} of {} files were compared",
        paths.len()
    );
    eprintln!("{agreed} files agree with BuildKit");
}
