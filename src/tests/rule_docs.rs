//! Every rule's doc is its spec: examples are linted with that rule alone and must match the markers.

use crate::common::*;

pub fn check_doc(slug: &str) {
    let rule = dlint::rules::find(slug).expect("rule is registered");
    assert_eq!(rule.slug, slug);
    let doc = rule.doc;
    if !runnable(slug) {
        return;
    }
    assert!(
        doc.starts_with(&format!("# {slug}\n")),
        "{slug}: title must be `# {slug}`"
    );
    // ShellCheck's numbered codes are named as a family (`SC1000`-`SC3099`), not one by one.
    for a in rule.aliases().filter(|_| slug != "shellcheck") {
        assert!(
            doc.lines().nth(2).unwrap_or("").contains(a),
            "{slug}: alias {a} missing from the header line"
        );
    }
    let mut last = 0;
    for section in [
        "## What it does",
        "## Why is this bad",
        "## Example",
        "## Use instead",
        "## Options",
        "## References",
    ] {
        let pos = doc
            .find(&format!("\n{section}\n"))
            .unwrap_or_else(|| panic!("{slug}: missing `{section}`"));
        assert!(pos > last, "{slug}: `{section}` out of order");
        last = pos;
    }
    let example_at = doc.find("\n## Example\n").unwrap();
    let use_instead_at = doc.find("\n## Use instead\n").unwrap();
    let mut blocks_seen = 0;
    let line_of = |n: usize| doc[..n].lines().count();
    let (ex_line, ui_line) = (line_of(example_at), line_of(use_instead_at));
    // A `dockerignore` block is the build context's `.dockerignore` for the blocks after it.
    let mut ignore: Option<String> = None;
    for b in blocks(doc) {
        if b.info == "dockerignore" {
            ignore = Some(b.text.clone());
            continue;
        }
        if !b.info.starts_with("dockerfile") || b.info.starts_with("dockerfile fixed") {
            continue;
        }
        blocks_seen += 1;
        let expected = markers(&b.text);
        let got = lint_lines_in(&b.text, slug, block_config(&b.info), ignore.as_deref());
        assert_eq!(
            got, expected,
            "{slug}: block at lints/{slug}.md:{} does not match its markers",
            b.first_line
        );
        if b.first_line > ex_line && b.first_line < ui_line {
            assert!(
                !expected.is_empty(),
                "{slug}: an Example block must show a finding"
            );
        }
        if b.first_line > ui_line {
            assert!(
                expected.is_empty(),
                "{slug}: a Use instead block must be clean"
            );
        }
    }
    assert!(
        blocks_seen >= 2,
        "{slug}: needs an Example and a Use instead block"
    );
}

/// Remove `# ^ slug` marker lines (they stay in fixed output as comments; docs show it without).
fn strip_markers(text: &str) -> String {
    text.split_inclusive('\n')
        .filter(|l| {
            let t = l.trim();
            !(t.starts_with('#') && t[1..].trim_start().starts_with('^'))
        })
        .collect()
}

/// `dockerfile fixed` (and `dockerfile fixed unsafe`) blocks hold the result of fixing the
/// `dockerfile` block before them with this rule alone; `DLINT_BLESS=1` rewrites them.
pub fn check_doc_fixes(slug: &str) {
    if !runnable(slug) {
        return;
    }
    let rule = dlint::rules::find(slug).unwrap();
    let path = root().join(format!("lints/{slug}.md"));
    let doc = std::fs::read_to_string(&path).unwrap();
    let settings = settings_for(slug);
    let bless = std::env::var_os("DLINT_BLESS").is_some();
    let mut input: Option<String> = None;
    let mut out = String::new();
    let mut fixed_blocks = 0;
    let mut lines = doc.split_inclusive('\n').peekable();
    while let Some(line) = lines.next() {
        out.push_str(line);
        let Some(info) = line.trim_end().strip_prefix("```") else {
            continue;
        };
        let info = info.trim().to_string();
        let mut body = String::new();
        let mut closing = String::new();
        for l in lines.by_ref() {
            if l.starts_with("```") {
                closing = l.to_string();
                break;
            }
            body.push_str(l);
        }
        if info == "dockerfile" {
            input = Some(body.clone());
            out.push_str(&body);
        } else if info.starts_with("dockerfile fixed") {
            fixed_blocks += 1;
            let src = input.clone().unwrap_or_else(|| {
                panic!("{slug}: a fixed block needs a dockerfile block before it")
            });
            let outcome = dlint::fix_source("Dockerfile", &src, &settings, info.contains("unsafe"));
            assert!(outcome.converged, "{slug}: fixes did not converge");
            let got = strip_markers(&outcome.fixed);
            assert_ne!(
                got,
                strip_markers(&src),
                "{slug}: the fixed block shows no fix"
            );
            if bless {
                out.push_str(&got);
            } else {
                assert_eq!(
                    got, body,
                    "{slug}: fixed block in lints/{slug}.md is out of date (DLINT_BLESS=1)"
                );
                out.push_str(&body);
            }
        } else {
            out.push_str(&body);
        }
        out.push_str(&closing);
    }
    if bless && out != doc {
        std::fs::write(&path, out).unwrap();
    }
    if rule.fix != dlint::rules::FixAvailability::None {
        assert!(
            fixed_blocks > 0,
            "{slug}: a rule with fixes needs a `dockerfile fixed` block"
        );
    }
}

/// Every rule has its generated doc and fixture tests (`src/build.rs` lists `lints/`).
#[test]
fn every_rule_has_generated_cases() {
    let slugs: Vec<&str> = dlint::rules::RULES.iter().map(|r| r.slug).collect();
    assert_eq!(
        slugs,
        crate::cases::DOCUMENTED,
        "every rule has lints/<slug>.md, and every doc a rule"
    );
    let mut sorted = slugs.clone();
    sorted.sort_unstable();
    assert_eq!(
        slugs, sorted,
        "the registration list in src/rules/mod.rs is in slug order"
    );
}

/// One case of testdata/rules/<slug>/: the `# ^ slug` markers match the findings of the rule
/// alone, and the output (line, column, code, message, help, fixes and the fixed text) matches
/// `<case>.expected` beside it (`DLINT_BLESS=1` rewrites it).
pub fn check_fixture(slug: &str, name: &str) {
    if !runnable(slug) {
        return;
    }
    let path = root().join("testdata/rules").join(slug).join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    let stem = name
        .trim_end_matches(".Dockerfile")
        .trim_end_matches(".dockerfile");
    let ignore = fixture_ignore(&path.with_file_name(stem));
    assert_eq!(
        lint_lines_in(&text, slug, None, ignore.as_deref()),
        markers(&text),
        "{}",
        path.display()
    );
    let expected = path.with_file_name(format!("{stem}.expected"));
    expect_file(
        &expected,
        &snapshot(slug, &text, ignore.as_deref()),
        &expected.display().to_string(),
    );
}

/// A fixture's build context `.dockerignore`: `<case>.dockerignore` beside `<case>.Dockerfile`.
fn fixture_ignore(stem: &std::path::Path) -> Option<String> {
    let mut p = stem.as_os_str().to_owned();
    p.push(".dockerignore");
    std::fs::read_to_string(p).ok()
}

/// What linting and fixing `text` with one rule gives, as the `.expected` files show it.
pub fn snapshot(slug: &str, text: &str, ignore: Option<&str>) -> String {
    let mut settings = settings_for(slug);
    if let Some(ignore) = ignore {
        settings.context = ignore_context(ignore);
    }
    let r = dlint::check_source("Dockerfile", text, &settings);
    let mut out = format!("# dlint --select {slug} (DLINT_BLESS=1 rewrites this file)\n");
    for d in r.diagnostics.iter().filter(|d| d.rule == slug) {
        let a = r.source.line_col(d.range.start);
        let b = r.source.line_col(d.range.end);
        out.push_str(&format!(
            "{}:{}-{}:{} {} {}: {}\n",
            a.line,
            a.column,
            b.line,
            b.column,
            d.severity.as_str(),
            d.tag(),
            d.message
        ));
        if let Some(h) = &d.help {
            out.push_str(&format!("    help: {h}\n"));
        }
        for (range, label) in &d.labels {
            out.push_str(&format!(
                "    label {}: {label}\n",
                r.source.line_col(range.start).line
            ));
        }
        if let Some(f) = &d.fix {
            let how = serde_json::to_value(f.applicability).unwrap();
            out.push_str(&format!(
                "    fix ({}): {}\n",
                how.as_str().unwrap(),
                f.title
            ));
        }
    }
    let safe = dlint::fix_source("Dockerfile", text, &settings, false);
    let all = dlint::fix_source("Dockerfile", text, &settings, true);
    for (what, o) in [("safe fixes", &safe), ("unsafe fixes too", &all)] {
        if what != "safe fixes" && o.fixed == safe.fixed {
            continue;
        }
        if !o.changed() {
            out.push_str(&format!("--- fixed with {what}: unchanged\n"));
            continue;
        }
        out.push_str(&format!("--- fixed with {what}:\n{}", o.fixed));
        if !o.fixed.ends_with('\n') {
            out.push_str("\n(no newline at end)\n");
        }
    }
    out
}

/// The declared fix availability agrees with what the rule emits on its doc examples and
/// fixtures: `none` never has a fix, `always` always has one, `sometimes` has one somewhere.
#[test]
fn fix_availability_matches_what_rules_emit() {
    use dlint::rules::FixAvailability;
    let mut wrong = Vec::new();
    for rule in dlint::rules::RULES {
        let texts: Vec<(String, Option<String>)> = blocks(rule.doc)
            .into_iter()
            .filter(|b| b.info.starts_with("dockerfile") && !b.info.starts_with("dockerfile fixed"))
            .map(|b| (b.text, block_config(&b.info)))
            .collect();
        let mut texts: Vec<(String, Option<String>, Option<String>)> =
            texts.into_iter().map(|(t, c)| (t, c, None)).collect();
        for f in sorted_files(&format!("testdata/rules/{}", rule.slug)) {
            if f.extension()
                .is_some_and(|e| e == "expected" || e == "dockerignore")
            {
                continue;
            }
            let ignore = fixture_ignore(&f.with_extension(""));
            texts.push((std::fs::read_to_string(&f).unwrap(), None, ignore));
        }
        let (mut with, mut without) = (0, 0);
        for (text, config, ignore) in texts {
            for d in findings_in(&text, rule.slug, config, ignore.as_deref()) {
                if d.fix.is_some() {
                    with += 1;
                } else {
                    without += 1;
                }
            }
        }
        let ok = match rule.fix {
            FixAvailability::None => with == 0,
            FixAvailability::Always => without == 0 && with > 0,
            FixAvailability::Sometimes => with > 0,
        };
        if !ok {
            wrong.push(format!(
                "{}: declared {:?}, emitted {with} findings with a fix and {without} without",
                rule.slug, rule.fix
            ));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn conventions() {
    let mut seen = std::collections::HashSet::new();
    for r in dlint::rules::RULES {
        let slug = r.slug;
        assert!(
            slug.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
            "{slug} is not kebab-case"
        );
        assert!(
            seen.insert(slug.to_ascii_lowercase()),
            "duplicate slug {slug}"
        );
        for a in r.aliases() {
            assert!(seen.insert(a.to_ascii_lowercase()), "duplicate alias {a}");
        }
        // A code's other name may be another code of the same rule (a broader one), never
        // a second code's other name too.
        let mut also = std::collections::HashSet::new();
        for c in r.codes {
            for a in c.also {
                assert!(
                    also.insert(a.to_ascii_lowercase()),
                    "{slug}: {a} is the other name of two codes"
                );
            }
        }
        let snake = slug.replace('-', "_");
        assert!(
            root().join(format!("src/rules/{snake}.rs")).is_file(),
            "src/rules/{snake}.rs"
        );
        assert!(
            root().join(format!("lints/{slug}.md")).is_file(),
            "lints/{slug}.md"
        );
        assert!(
            root().join(format!("testdata/rules/{slug}")).is_dir(),
            "testdata/rules/{slug}"
        );
        assert!(
            !r.summary.ends_with('.'),
            "{slug}: summary ends with a period"
        );
    }
    // Every diagnostic the docs and fixtures produce follows the message style.
    let all = dlint::Settings {
        rules: dlint::rules::RULES.to_vec(),
        ..Default::default()
    };
    let mut texts: Vec<String> = doc_examples().into_iter().map(|(_, t)| t).collect();
    texts.extend(
        fixtures()
            .iter()
            .map(|p| std::fs::read_to_string(p).unwrap_or_default()),
    );
    let mut checked = 0;
    for t in texts {
        for d in dlint::check_source("Dockerfile", &t, &all).diagnostics {
            let first = d.message.chars().next().unwrap();
            assert!(
                !first.is_uppercase(),
                "message starts uppercase: {}",
                d.message
            );
            assert!(
                !d.message.ends_with('.'),
                "message ends with a period: {}",
                d.message
            );
            checked += 1;
        }
    }
    assert!(checked > 20);
}

#[test]
fn every_source_file_opens_with_a_module_doc() {
    fn walk(dir: &std::path::Path, bad: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, bad);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let t = std::fs::read_to_string(&p).unwrap();
                if !t.starts_with("//!") {
                    bad.push(p.display().to_string());
                }
            }
        }
    }
    let mut bad = Vec::new();
    walk(&root().join("src"), &mut bad);
    assert!(bad.is_empty(), "files without a `//!` first line: {bad:?}");
}
