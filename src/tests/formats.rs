//! CI output formats: SARIF validated against the official 2.1.0 schema, GitHub annotations,
//! GitLab Code Quality fingerprints, Checkstyle and JUnit XML; `--statistics`, `--quiet`,
//! `--output-file` and the `DLINT_*` environment variables.

use std::process::Command;

use crate::common::*;

fn results(texts: &[(String, String)]) -> Vec<dlint::FileResult> {
    let settings = dlint::Settings {
        rules: dlint::rules::RULES.to_vec(),
        ..Default::default()
    };
    texts
        .iter()
        .map(|(name, t)| dlint::check_source(name, t, &settings))
        .collect()
}

fn corpus() -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = fixtures()
        .iter()
        .map(|p| {
            (
                p.strip_prefix(root()).unwrap().display().to_string(),
                std::fs::read_to_string(p).unwrap(),
            )
        })
        .collect();
    v.extend(
        doc_examples()
            .into_iter()
            .map(|(n, t)| (format!("lints/{n} x.Dockerfile"), t)),
    );
    v
}

fn schema() -> std::path::PathBuf {
    std::env::var_os("DLINT_SARIF_SCHEMA")
        .map(Into::into)
        .unwrap_or_else(|| {
            root().join(".ci/node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json")
        })
}

#[test]
fn sarif_validates_against_the_official_schema() {
    if !crate::common::gated("the SARIF schema and jsonschema") {
        return;
    }
    let results = results(&corpus());
    let log = dlint::report::render(&results, dlint::report::Format::Sarif, false);
    let v: serde_json::Value = serde_json::from_str(&log).unwrap();
    let run = &v["runs"][0];
    assert_eq!(
        run["tool"]["driver"]["rules"].as_array().unwrap().len(),
        dlint::rules::RULES.len()
    );
    let results = run["results"].as_array().unwrap();
    assert!(results.len() > 50);
    assert!(results
        .iter()
        .any(
            |r| r["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"]
                .is_string()
        ));
    assert!(results.iter().any(
        |r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .contains("%20")
    ));
    let path = std::env::temp_dir().join(format!("dlint-{}.sarif", std::process::id()));
    std::fs::write(&path, &log).unwrap();
    let schema = schema();
    assert!(
        schema.is_file(),
        "SARIF schema missing: run `npm ci --prefix .ci` ({})",
        schema.display()
    );
    let out = Command::new(std::env::var("DLINT_PYTHON").unwrap_or_else(|_| "python3".into()))
        .arg(root().join("testdata/validate_json.py"))
        .arg(&schema)
        .arg(&path)
        .output()
        .expect("python3 runs the schema validation");
    std::fs::remove_file(&path).ok();
    assert!(
        out.status.success(),
        "SARIF does not validate:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn github_annotations_escape_their_fields() {
    let r = results(&[(
        "a,b:c.Dockerfile".into(),
        "FROM scratch\nCMD 100% ./x\n".into(),
    )]);
    let out = dlint::report::render(&r, dlint::report::Format::Github, false);
    assert_eq!(
        out.lines()
            .find(|l| l.contains("(shell-form-on-scratch)"))
            .unwrap(),
        "::error title=dlint (shell-form-on-scratch),file=a%2Cb%3Ac.Dockerfile,line=2,col=1,endLine=2,endColumn=13::shell-form `CMD` runs `/bin/sh -c`, which a `scratch` stage does not have%0Ahelp: use the exec form: `CMD [\"100%25\", \"./x\"]`"
    );
}

fn gitlab(text: &str) -> serde_json::Value {
    let r = results(&[("Dockerfile".into(), text.to_string())]);
    serde_json::from_str(&dlint::report::render(
        &r,
        dlint::report::Format::Gitlab,
        false,
    ))
    .unwrap()
}

#[test]
fn gitlab_fingerprints_are_stable_and_unique() {
    let text = "FROM debian:12\nRUN apt-get update\nENV A=1\nRUN apt-get update\n";
    let shifted = format!("# a comment moves every line\n\n{text}");
    let fp = |t: &str| -> Vec<String> {
        gitlab(t)
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["fingerprint"].as_str().unwrap().to_string())
            .collect()
    };
    let (a, b) = (fp(text), fp(&shifted));
    assert_eq!(a.len(), 2);
    assert_ne!(
        a[0], a[1],
        "two findings on identical lines get different fingerprints"
    );
    assert_eq!(a, b, "moving lines keeps fingerprints");
    let v = gitlab(text);
    assert_eq!(v[0]["severity"], "minor");
    assert_eq!(v[0]["location"]["lines"]["begin"], 2);
    assert_eq!(v[0]["check_name"], "cache-in-layer/DL3009");
}

/// Count elements named `name` in an XML document, failing if it is not well-formed.
fn count_elements(xml: &str, name: &str) -> usize {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut n = 0;
    loop {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                n += usize::from(e.name().as_ref() == name.as_bytes());
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    n
}

#[test]
fn checkstyle_and_junit_are_well_formed() {
    let r = results(&corpus());
    let findings: usize = r.iter().map(|r| r.diagnostics.len()).sum();
    let checkstyle = dlint::report::render(&r, dlint::report::Format::Checkstyle, false);
    assert_eq!(count_elements(&checkstyle, "error"), findings);
    assert_eq!(count_elements(&checkstyle, "file"), r.len());
    let junit = dlint::report::render(&r, dlint::report::Format::Junit, false);
    assert_eq!(count_elements(&junit, "failure"), findings);
    assert_eq!(count_elements(&junit, "testsuite"), r.len());
    let clean = r.iter().filter(|r| r.diagnostics.is_empty()).count();
    assert_eq!(count_elements(&junit, "testcase"), findings + clean);
}

#[test]
fn statistics_quiet_output_file_and_environment() {
    let t = TempDir::new("formats");
    t.write(
        "Dockerfile",
        "FROM debian:12\nRUN apt-get update\nRUN apk add x\nCOPY --from=nope /a /b\n",
    );
    let run = |args: &[&str], env: &[(&str, &str)]| t.run_env(args, env);
    let o = run(&["--statistics", "Dockerfile"], &[]);
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "    2  cache-in-layer           2 fixable\n    1  undefined-stage          0 fixable\n"
    );
    assert_eq!(o.status.code(), Some(1));
    let o = run(&["-q", "--format", "concise", "Dockerfile"], &[]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(out.lines().count(), 3, "{out}");
    assert!(!out.contains("Found"));
    let o = run(
        &["Dockerfile"],
        &[
            ("DLINT_FORMAT", "json"),
            ("DLINT_SELECT", "undefined-stage"),
            ("DLINT_OUTPUT_FILE", "report.json"),
        ],
    );
    assert!(o.stdout.is_empty());
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(t.0.join("report.json")).unwrap()).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1);
    let o = run(
        &["--format", "concise", "Dockerfile"],
        &[
            ("DLINT_FAIL_LEVEL", "error"),
            ("DLINT_IGNORE", "correctness"),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "warnings only, fail level error");
    let help = String::from_utf8_lossy(&run(&["--help"], &[]).stdout).into_owned();
    for var in [
        "DLINT_FORMAT",
        "DLINT_SELECT",
        "DLINT_IGNORE",
        "DLINT_OUTPUT_FILE",
        "DLINT_FAIL_LEVEL",
        "DLINT_COLOR",
        "DLINT_QUIET",
        "DLINT_UNSAFE_FIXES",
    ] {
        assert!(
            help.contains(&format!("[env: {var}")),
            "{var} is documented in --help"
        );
    }
}
