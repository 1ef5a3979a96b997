//! CI formats: GitHub workflow annotations, GitLab Code Quality, Checkstyle XML, JUnit XML.

use quick_xml::escape::escape;
use sha2::{Digest, Sha256};

use super::severity_level;
use crate::diagnostic::{Diagnostic, Severity};
use crate::FileResult;

/// One file's `::error file=...,line=...::message` lines, escaped as the workflow command
/// syntax requires.
pub fn github(r: &FileResult) -> String {
    let data = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let prop = |s: &str| data(s).replace(':', "%3A").replace(',', "%2C");
    let mut out = String::new();
    for d in &r.diagnostics {
        let (a, b) = (
            r.source.line_col(d.range.start),
            r.source.line_col(d.range.end),
        );
        let kind = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        out.push_str(&format!(
            "::{kind} title={},file={},line={},col={},endLine={},endColumn={}::{}\n",
            prop(&format!("dlint ({})", d.tag())),
            prop(&r.source.path),
            a.line,
            a.column,
            b.line,
            b.column,
            data(&with_help(d)),
        ));
    }
    out
}

/// One line: message, then the help in parentheses (for XML attributes).
fn one_line(d: &Diagnostic) -> String {
    match &d.help {
        Some(h) => format!("{} (help: {h})", d.message),
        None => d.message.clone(),
    }
}

fn with_help(d: &Diagnostic) -> String {
    match &d.help {
        Some(h) => format!("{}\nhelp: {h}", d.message),
        None => d.message.clone(),
    }
}

/// A fingerprint that survives lines moving: path, rule, the flagged text, and which
/// occurrence of that same text in the file it is.
fn fingerprint(path: &str, rule: &str, snippet: &str, occurrence: usize) -> String {
    let mut h = Sha256::new();
    for part in [path, rule, snippet, &occurrence.to_string()] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    h.finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// One file's issues of the GitLab Code Quality report (a JSON array of issues).
pub fn gitlab(r: &FileResult) -> Vec<serde_json::Value> {
    let mut items = Vec::new();
    let mut seen: std::collections::HashMap<(String, &str), usize> = Default::default();
    for d in &r.diagnostics {
        let snippet = r.source.text[d.range.clone()].trim().to_string();
        let n = seen.entry((snippet.clone(), d.rule)).or_default();
        *n += 1;
        let a = r.source.line_col(d.range.start);
        let b = r.source.line_col(d.range.end);
        items.push(serde_json::json!({
            "description": with_help(d),
            "check_name": d.tag(),
            "fingerprint": fingerprint(&r.source.path, d.rule, &snippet, *n),
            "severity": match d.severity {
                Severity::Error => "major",
                Severity::Warning => "minor",
                Severity::Info => "info",
            },
            "location": {"path": r.source.path, "lines": {"begin": a.line, "end": b.line}},
        }));
    }
    items
}

/// The opening of a Checkstyle XML report.
pub const CHECKSTYLE_HEAD: &str =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n";
/// Its closing.
pub const CHECKSTYLE_TAIL: &str = "</checkstyle>\n";

/// One file's `<file>` element of a Checkstyle XML report.
pub fn checkstyle(r: &FileResult) -> String {
    let mut out = format!("  <file name=\"{}\">\n", escape(r.source.path.as_str()));
    for d in &r.diagnostics {
        let a = r.source.line_col(d.range.start);
        out.push_str(&format!(
            "    <error line=\"{}\" column=\"{}\" severity=\"{}\" message=\"{}\" source=\"dlint.{}\"/>\n",
            a.line,
            a.column,
            d.severity.as_str(),
            escape(one_line(d).as_str()),
            d.tag().replace('/', ".")
        ));
    }
    out.push_str("  </file>\n");
    out
}

/// The opening of a JUnit XML report: it counts the test cases of the whole run (one per
/// finding, one for each clean file) and the failing ones (the findings).
pub fn junit_head(tests: usize, failures: usize) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"dlint\" tests=\"{tests}\" failures=\"{failures}\">\n"
    )
}
/// Its closing.
pub const JUNIT_TAIL: &str = "</testsuites>\n";

/// One file's test suite of a JUnit XML report: a failing test case per finding, a passing one
/// for a clean file.
pub fn junit(r: &FileResult) -> String {
    let path = escape(r.source.path.as_str());
    let mut out = format!(
        "  <testsuite name=\"{path}\" tests=\"{}\" failures=\"{}\">\n",
        r.diagnostics.len().max(1),
        r.diagnostics.len()
    );
    if r.diagnostics.is_empty() {
        out.push_str(&format!(
            "    <testcase name=\"{path}\" classname=\"dlint\"/>\n"
        ));
    }
    for d in &r.diagnostics {
        let a = r.source.line_col(d.range.start);
        out.push_str(&format!(
            "    <testcase name=\"{path}:{}:{}\" classname=\"dlint.{}\">\n      <failure type=\"{}\" message=\"{}\">{}</failure>\n    </testcase>\n",
            a.line,
            a.column,
            d.tag().replace('/', "."),
            severity_level(d.severity),
            escape(d.message.as_str()),
            escape(format!("{}:{}:{}: {}", r.source.path, a.line, a.column, with_help(d)).as_str()),
        ));
    }
    out.push_str("  </testsuite>\n");
    out
}
