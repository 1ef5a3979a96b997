//! Configuration: `dlint.toml` discovery and keys, error spans, the JSON Schema, `.hadolint.yaml`
//! migration and parity with hadolint's suppressions.

use std::process::Output;

use crate::common::*;

/// Run `dlint` in a test tree.
trait Run {
    fn run(&self, args: &[&str]) -> Output;
}

impl Run for TempDir {
    fn run(&self, args: &[&str]) -> Output {
        self.run_env(args, &[])
    }
}

fn lines(o: &Output) -> Vec<String> {
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(String::from)
        .collect()
}

const FILE: &str = "FROM golang:1.22\nRUN go build -o /x .\nFROM debian:12\nRUN apt-get update\nCOPY --from=0 /x /x\nCOPY --from=nope /a /b\n";

#[test]
fn nearest_config_wins_and_keys_apply() {
    let t = TempDir::new("nearest");
    t.write("dlint.toml", "ignore = [\"unnamed-stage\"]\n");
    t.write("a/Dockerfile", FILE);
    t.write("b/Dockerfile", FILE);
    t.write("b/.dlint.toml", "select = [\"correctness\"]\nextend-select = [\"DL3009\"]\n\n[rules.cache-in-layer]\nseverity = \"error\"\n");
    let o = t.run(&["--format", "concise", "-q"]);
    assert_eq!(
        lines(&o),
        [
            "a/Dockerfile:4:5: warning[cache-in-layer/DL3009] `apt-get update` leaves package lists in `/var/lib/apt/lists` in the image",
            "a/Dockerfile:6:13: error[undefined-stage/DL3022] no stage named `nope` comes before this instruction; BuildKit would pull the image `docker.io/library/nope:latest`",
            "b/Dockerfile:4:5: error[cache-in-layer/DL3009] `apt-get update` leaves package lists in `/var/lib/apt/lists` in the image",
            "b/Dockerfile:6:13: error[undefined-stage/DL3022] no stage named `nope` comes before this instruction; BuildKit would pull the image `docker.io/library/nope:latest`",
        ]
    );
    // --isolated ignores both files; --config uses one for everything.
    assert_eq!(
        lines(&t.run(&["--format", "concise", "-q", "--isolated"])).len(),
        6
    );
    let o = t.run(&["--format", "concise", "-q", "--config", "b/.dlint.toml"]);
    assert!(
        lines(&o).iter().all(|l| l.contains("error[")),
        "{:?}",
        lines(&o)
    );
    let o = t.run_env(
        &["--format", "concise", "-q"],
        &[("DLINT_CONFIG", "b/.dlint.toml")],
    );
    assert_eq!(lines(&o).len(), 4);
    let v = String::from_utf8_lossy(&t.run(&["-v", "-q", "a/Dockerfile"]).stderr).into_owned();
    assert!(
        v.contains("dlint: using configuration `") && v.contains("dlint.toml`"),
        "{v}"
    );
}

#[test]
fn fail_level_unsafe_fixes_per_file_ignores_and_rule_options() {
    let t = TempDir::new("keys");
    t.write(
        "dlint.toml",
        "fail-level = \"error\"\nunsafe-fixes = true\n\n[per-file-ignores]\n\"legacy/**\" = [\"size\"]\n\"*.dev.Dockerfile\" = [\"DL3022\"]\n\n[rules.cache-in-layer]\nfix = \"mount\"\n",
    );
    t.write("Dockerfile", "FROM debian:12\nRUN apt-get update\n");
    t.write(
        "legacy/x/Dockerfile",
        "FROM debian:12\nRUN apt-get update\n",
    );
    t.write(
        "api.dev.Dockerfile",
        "FROM debian:12\nCOPY --from=nope /a /b\n",
    );
    let o = t.run(&["--format", "concise", "-q"]);
    assert_eq!(lines(&o), ["Dockerfile:2:5: warning[cache-in-layer/DL3009] `apt-get update` leaves package lists in `/var/lib/apt/lists` in the image"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "fail-level error: a warning does not fail"
    );
    // unsafe-fixes from the config, and the mount fix chosen by the rule option.
    let o = t.run(&["--fix", "Dockerfile"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(t.0.join("Dockerfile")).unwrap(),
        "FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt/lists,sharing=locked apt-get update\n"
    );
}

#[test]
fn config_errors_point_at_the_span() {
    let t = TempDir::new("errors");
    t.write("Dockerfile", "FROM debian:12\n");
    let cases = [
        ("selet = [\"x\"]\n", "unknown field `selet`"),
        (
            "select = [\"cache-in-layr\"]\n",
            "unknown rule or group `cache-in-layr`",
        ),
        ("fail-level = \"fatal\"\n", "unknown variant `fatal`"),
        (
            "[rules.unnamed-stage]\nfix = \"mount\"\n",
            "`unnamed-stage` has no `fix` option",
        ),
        (
            "[rules.nope]\nseverity = \"error\"\n",
            "unknown rule `nope` in `[rules]`",
        ),
        (
            "[per-file-ignores]\n\"a/{b\" = [\"size\"]\n",
            "invalid glob",
        ),
        ("select = [\n", "invalid configuration"),
        (
            "[convert]\ngo = \"Not An Image\"\n",
            "`Not An Image` is not an image reference",
        ),
        (
            "[convert]\ncobol = \"debian:12\"\n",
            "unknown field `cobol`",
        ),
    ];
    for (toml, expected) in cases {
        t.write("dlint.toml", toml);
        let o = t.run(&["Dockerfile"]);
        assert_eq!(o.status.code(), Some(2), "{toml}");
        let err = String::from_utf8_lossy(&o.stderr).into_owned();
        assert!(err.contains(expected), "{toml}: {err}");
        assert!(
            err.contains("dlint.toml:"),
            "the file and position are shown: {err}"
        );
        assert!(err.contains("dlint::config"), "{err}");
    }
    // The span is drawn under the offending text.
    t.write("dlint.toml", "ignore = [\"size\", \"nope\"]\n");
    let err = String::from_utf8_lossy(&t.run(&["Dockerfile"]).stderr).into_owned();
    assert!(err.contains("1 │ ignore = [\"size\", \"nope\"]"), "{err}");
    assert!(err.contains("not a rule, alias or group"), "{err}");
}

/// `dlint schema` prints the JSON Schema of `dlint.toml`, generated from the config structs and
/// every rule's options type: it has the top-level keys and every rule, and (with `jsonschema`)
/// accepts the README's example and rule options while rejecting unknown keys.
#[test]
fn json_schema_covers_the_config_and_every_rule() {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_dlint"))
        .arg("schema")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let schema: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let props = schema["properties"].as_object().unwrap();
    for key in [
        "select",
        "extend-select",
        "ignore",
        "fail-level",
        "unsafe-fixes",
        "trusted-registries",
        "per-file-ignores",
        "rules",
        "convert",
    ] {
        assert!(props.contains_key(key), "{key} is in the schema");
    }
    assert_eq!(
        schema["additionalProperties"], false,
        "unknown keys are errors"
    );
    let rules = schema["properties"]["rules"]["properties"]
        .as_object()
        .unwrap();
    for r in dlint::rules::RULES {
        assert!(rules.contains_key(r.slug), "{} is in the schema", r.slug);
        for c in r.codes {
            assert!(rules.contains_key(c.name), "{} is in the schema", c.name);
        }
    }
    assert!(rules["cache-in-layer"]["properties"]
        .as_object()
        .unwrap()
        .contains_key("fix"));
    if !crate::common::gated("jsonschema (PyPI)") {
        return;
    }
    let t = TempDir::new("schema");
    let schema_path = t.write("dlint.schema.json", &o.stdout);
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let example = blocks(&readme)
        .into_iter()
        .find(|b| b.info == "toml")
        .unwrap();
    let cases = [
        ("readme.toml", example.text.as_str(), true),
        (
            "options.toml",
            "[rules.cache-in-layer]\nfix = \"mount\"\n[rules.untrusted-registry]\ntrusted = [\"docker.io\"]\n[rules.single-stage-build.images]\ngo = \"scratch\"\n",
            true,
        ),
        ("unknown-key.toml", "selet = [\"x\"]\n", false),
        ("unknown-option.toml", "[rules.unnamed-stage]\nfix = \"mount\"\n", false),
        ("bad-value.toml", "[rules.cache-in-layer]\nfix = \"sometimes\"\n", false),
    ];
    let mut paths = Vec::new();
    for (name, text, _) in &cases {
        paths.push(t.write(name, text));
    }
    let out = std::process::Command::new(
        std::env::var("DLINT_PYTHON").unwrap_or_else(|_| "python3".into()),
    )
    .arg(root().join("testdata/validate_json.py"))
    .arg(&schema_path)
    .args(&paths)
    .output()
    .expect("python3 runs the schema validation");
    let report = String::from_utf8_lossy(&out.stdout).into_owned();
    // Some cases are invalid on purpose: the status is 1, each line says which.
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for ((name, _, valid), line) in cases.iter().zip(report.lines()) {
        assert!(line.contains(name), "{report}");
        assert_eq!(line.ends_with(": ok"), *valid, "{line}");
    }
    // What the schema accepts, dlint loads, and the other way round.
    for ((name, _, valid), p) in cases.iter().zip(&paths) {
        assert_eq!(
            dlint::config::load_toml(p).is_ok(),
            *valid,
            "{name}: dlint and the schema agree"
        );
    }
}

/// The README's example configuration is complete and valid.
#[test]
fn readme_example_config_loads() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let block = blocks(&readme)
        .into_iter()
        .find(|b| b.info == "toml")
        .expect("README has a toml example");
    let t = TempDir::new("readme");
    let p = t.write("dlint.toml", &block.text);
    let c = dlint::config::load_toml(&p).unwrap_or_else(|e| panic!("{e:?}"));
    let raw = &c.raw;
    assert!(raw.select.is_some() && raw.ignore.is_some() && raw.extend_select.is_some());
    assert!(raw.fail_level.is_some() && raw.unsafe_fixes.is_some());
    assert!(raw.per_file_ignores.is_some() && raw.rules.is_some());
    // `trusted-registries` and `[convert]` are options of their rules.
    let registries = c
        .options
        .of::<dlint::rules::untrusted_registry::Options>("untrusted-registry")
        .expect("trusted-registries in the example");
    assert!(!registries.trusted.is_empty());
    let convert = c
        .options
        .of::<dlint::rules::single_stage_build::Options>("single-stage-build")
        .expect("[convert] in the example");
    assert_eq!(convert.images.by_key().len(), 9, "every ecosystem is shown");
}

#[test]
fn hadolint_yaml_is_migrated() {
    let t = TempDir::new("hadolint");
    t.write(
        ".hadolint.yaml",
        "ignored:\n  - DL3022\n  - DL3046\noverride:\n  error:\n    - DL3009\nfailure-threshold: warning\ntrustedRegistries:\n  - docker.io\nlabel-schema:\n  author: text\n",
    );
    t.write(
        "Dockerfile",
        "FROM debian:12\nRUN apt-get update\nCOPY --from=nope /a /b\n",
    );
    let o = t.run(&["--format", "concise", "-q", "-v", "Dockerfile"]);
    assert_eq!(lines(&o), ["Dockerfile:2:5: error[cache-in-layer/DL3009] `apt-get update` leaves package lists in `/var/lib/apt/lists` in the image"]);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(
        err.contains("no dlint.toml found: using hadolint's configuration"),
        "{err}"
    );
    assert!(
        err.contains("`DL3046` in `ignored` has no dlint rule: ignored"),
        "{err}"
    );
    assert!(
        err.contains("`label-schema` has no dlint equivalent yet"),
        "{err}"
    );
    // A dlint.toml takes precedence.
    t.write("dlint.toml", "");
    assert_eq!(
        lines(&t.run(&["--format", "concise", "-q", "Dockerfile"])).len(),
        2
    );
}

/// A repository set up for hadolint (config + pragmas) suppresses the same findings under dlint.
#[test]
fn hadolint_suppressions_carry_over() {
    let t = TempDir::new("parity");
    t.write(".hadolint.yml", "ignored: [DL3022]\n");
    t.write(
        "Dockerfile",
        "FROM debian:12\n# hadolint ignore=DL3009\nRUN apt-get update\nCOPY --from=nope /a /b\nRUN apt-get update\n",
    );
    t.write(
        "sub/Dockerfile",
        "# hadolint global ignore=DL3009\nFROM debian:12\nRUN apt-get update\nRUN apt-get update\n",
    );
    let o = t.run(&["--format", "concise", "-q"]);
    // Only the RUN without a pragma is reported: DL3022 is ignored by config, DL3009 by pragmas.
    assert_eq!(lines(&o), ["Dockerfile:5:5: warning[cache-in-layer/DL3009] `apt-get update` leaves package lists in `/var/lib/apt/lists` in the image"]);
}

/// A code acts on exactly the findings of that code; a slug on all of its rule's findings.
#[test]
fn codes_act_on_exactly_their_findings() {
    let t = TempDir::new("codes");
    let text =
        "FROM python:3.12\n# hadolint ignore=DL3009\nRUN apt-get update && pip install flask\n";
    t.write("Dockerfile", text);
    let rules = |args: &[&str]| -> Vec<String> {
        let mut a = vec!["--format", "concise", "-q"];
        a.extend_from_slice(args);
        a.push("Dockerfile");
        tags(lines(&t.run(&a)))
    };
    // The pragma silences the apt lists, not the pip cache of the same RUN.
    assert_eq!(rules(&[]), ["cache-in-layer/DL3042"]);
    t.write("Dockerfile", text.replace("# hadolint ignore=DL3009\n", ""));
    assert_eq!(
        rules(&[]),
        ["cache-in-layer/DL3009", "cache-in-layer/DL3042"]
    );
    assert_eq!(rules(&["--select", "DL3042"]), ["cache-in-layer/DL3042"]);
    assert_eq!(rules(&["--ignore", "DL3042"]), ["cache-in-layer/DL3009"]);
    assert_eq!(rules(&["--ignore", "cache-in-layer"]), Vec::<String>::new());
    // `.hadolint.yaml` `ignored: [DL3042]` leaves the rest of the rule on.
    t.write(
        ".hadolint.yaml",
        "ignored: [DL3042]\noverride:\n  error: [DL3009]\n",
    );
    let out = lines(&t.run(&["--format", "concise", "-q", "Dockerfile"]));
    assert_eq!(out.len(), 1, "{out:?}");
    assert!(out[0].contains("error[cache-in-layer/DL3009]"), "{out:?}");
    std::fs::remove_file(t.0.join(".hadolint.yaml")).unwrap();
    // per-file-ignores and `[rules.<code>]` severity, by code.
    t.write(
        "dlint.toml",
        "[per-file-ignores]\n\"Dockerfile\" = [\"DL3009\"]\n\n[rules.DL3042]\nseverity = \"info\"\n",
    );
    let out = lines(&t.run(&["--format", "concise", "-q", "Dockerfile"]));
    assert_eq!(out.len(), 1, "{out:?}");
    assert!(out[0].contains("info[cache-in-layer/DL3042]"), "{out:?}");
    // A suppression by code that suppresses nothing is reported by its code.
    t.write("dlint.toml", "");
    t.write(
        "Dockerfile",
        "FROM python:3.12\n# dlint ignore=DL3042\nRUN apt-get update\n",
    );
    let out = lines(&t.run(&["--format", "concise", "-q", "Dockerfile"]));
    assert!(
        out.iter()
            .any(|l| l.contains("unused suppression: `DL3042` reports nothing here")),
        "{out:?}"
    );
}
