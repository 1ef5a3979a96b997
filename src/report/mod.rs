//! The only module that knows output formats: diagnostics (full, concise, json) and `inspect`.
//!
//! A report is written as a stream ([`Stream`]): the document's opening, one [`Piece`] per file
//! in path order (rendered on any thread), the closing; the closing lines come from [`Totals`].
//! A run over many files keeps no file's result once its piece is written.

pub mod ci;
pub mod diff;
pub mod inspect;
pub mod sarif;
mod stream;

pub use stream::{piece, Piece, Spool, Stream};

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor};

use crate::diagnostic::{Diagnostic, Severity};
use crate::FileResult;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Source snippets with labels and help (codespan-reporting).
    Full,
    /// One line per finding: `path:line:col: severity[rule] message`.
    Concise,
    /// A JSON array of findings.
    Json,
    /// SARIF 2.1.0, for code-scanning services.
    Sarif,
    /// GitHub Actions workflow annotations.
    Github,
    /// GitLab Code Quality report.
    Gitlab,
    /// Checkstyle XML.
    Checkstyle,
    /// JUnit XML.
    Junit,
}

/// Render every file's diagnostics; `results` must already be sorted by path. The summary
/// line of the human formats is [`summary`], added by the caller.
pub fn render(results: &[FileResult], format: Format, color: bool) -> String {
    let mut out = Vec::new();
    let mut stream = Stream::new(format);
    // Writing into memory cannot fail.
    let _ = stream.begin(&mut out);
    for r in results {
        let _ = stream.push(&piece(format, color, r), &mut out);
    }
    let _ = stream.end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// Whether a format is a human-readable one that ends with a summary.
pub fn is_human(format: Format) -> bool {
    matches!(format, Format::Full | Format::Concise)
}

/// SARIF's level names (`note` for info).
pub fn severity_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A path as a URI reference: relative paths with `/`, absolute ones as `file://` URIs.
pub fn file_uri(path: &str) -> String {
    let p = path.replace('\\', "/");
    let encoded: String = p
        .chars()
        .map(|c| match c {
            ' ' => "%20".to_string(),
            '#' => "%23".to_string(),
            '%' => "%25".to_string(),
            '?' => "%3F".to_string(),
            c => c.to_string(),
        })
        .collect();
    if encoded.starts_with('/') {
        format!("file://{encoded}")
    } else {
        encoded
    }
}

/// What the closing lines of a report count, added up file by file (a run keeps these, not the
/// files' results).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    /// Files checked.
    pub files: usize,
    /// Files with at least one finding.
    pub with_findings: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Findings with a fix `--fix` applies.
    pub fixable: usize,
    /// Findings whose fix only `--unsafe-fixes` applies.
    pub unsafe_only: usize,
    /// Findings and fixable findings per rule, for `--statistics`.
    pub by_rule: std::collections::BTreeMap<&'static str, (usize, usize)>,
}

impl Totals {
    pub fn of(results: &[FileResult]) -> Totals {
        let mut t = Totals::default();
        for r in results {
            t.add(r);
        }
        t
    }

    /// Count one more file.
    pub fn add(&mut self, r: &FileResult) {
        self.files += 1;
        self.with_findings += usize::from(!r.diagnostics.is_empty());
        for d in &r.diagnostics {
            match d.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
            }
            let safe = d.fix.as_ref().is_some_and(|f| f.applies(false));
            self.fixable += usize::from(safe);
            self.unsafe_only += usize::from(
                d.fix
                    .as_ref()
                    .is_some_and(|f| f.applicability == crate::fix::Applicability::Unsafe),
            );
            let e = self.by_rule.entry(d.rule).or_default();
            e.0 += 1;
            e.1 += usize::from(safe);
        }
    }

    /// Add another run's (or file's) counts.
    pub fn merge(&mut self, other: &Totals) {
        self.files += other.files;
        self.with_findings += other.with_findings;
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.infos += other.infos;
        self.fixable += other.fixable;
        self.unsafe_only += other.unsafe_only;
        for (rule, (n, fixable)) in &other.by_rule {
            let e = self.by_rule.entry(rule).or_default();
            e.0 += n;
            e.1 += fixable;
        }
    }

    /// All findings.
    pub fn findings(&self) -> usize {
        self.errors + self.warnings + self.infos
    }
}

/// `--statistics`: findings per rule, with how many have a fix `--fix` applies.
pub fn statistics(totals: &Totals) -> String {
    let mut rows: Vec<(&str, (usize, usize))> =
        totals.by_rule.iter().map(|(r, n)| (*r, *n)).collect();
    rows.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(b.0)));
    let mut out = String::new();
    for (rule, (n, fixable)) in rows {
        out.push_str(&format!("{n:>5}  {rule:<24} {fixable} fixable\n"));
    }
    out
}

/// One file in the `full` format: source snippets with labels and help.
fn full(r: &FileResult, color: bool) -> String {
    let mut buf = if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    let config = term::Config::default();
    let mut files = SimpleFiles::new();
    let id = files.add(r.source.path.as_str(), r.source.text.as_str());
    for d in &r.diagnostics {
        let mut labels = vec![cs::Label::primary(id, d.range.clone())];
        labels.extend(
            d.labels
                .iter()
                .map(|(range, msg)| cs::Label::secondary(id, range.clone()).with_message(msg)),
        );
        let sev = match d.severity {
            Severity::Error => cs::Severity::Error,
            Severity::Warning => cs::Severity::Warning,
            Severity::Info => cs::Severity::Note,
        };
        let mut diag = cs::Diagnostic::new(sev)
            .with_code(d.tag())
            .with_message(&d.message)
            .with_labels(labels);
        if let Some(h) = &d.help {
            diag = diag.with_notes(vec![format!("help: {h}")]);
        }
        // Rendering into memory cannot fail except on a bug in the ranges; skip such a one.
        let _ = term::emit(&mut buf, &config, &files, &diag);
    }
    String::from_utf8_lossy(buf.as_slice()).into_owned()
}

/// One file in the `concise` format: a line per finding.
fn concise(r: &FileResult) -> String {
    let mut out = String::new();
    for d in &r.diagnostics {
        let lc = r.source.line_col(d.range.start);
        out.push_str(&format!(
            "{}:{}:{}: {}[{}] {}\n",
            r.source.path,
            lc.line,
            lc.column,
            d.severity.as_str(),
            d.tag(),
            d.message
        ));
    }
    out
}

/// One file's items of the `json` array.
fn json_items(r: &FileResult) -> Vec<serde_json::Value> {
    r.diagnostics.iter().map(|d| json_item(r, d)).collect()
}

fn json_item(r: &FileResult, d: &Diagnostic) -> serde_json::Value {
    let start = r.source.line_col(d.range.start);
    let end = r.source.line_col(d.range.end);
    serde_json::json!({
        "path": r.source.path,
        "rule": d.rule,
        "code": d.code,
        "severity": d.severity,
        "message": d.message,
        "help": d.help,
        "line": start.line,
        "column": start.column,
        "end_line": end.line,
        "end_column": end.column,
        "fix": d.fix.as_ref().map(|f| serde_json::json!({
            "applicability": f.applicability,
            "title": f.title,
            "edits": f.edits.iter().map(|e| {
                let (a, b) = (r.source.line_col(e.range.start), r.source.line_col(e.range.end));
                serde_json::json!({
                    "line": a.line, "column": a.column, "end_line": b.line, "end_column": b.column,
                    "content": e.content,
                })
            }).collect::<Vec<_>>(),
        })),
    })
}

/// `{verb} N problems (M remaining).` (`Fixed`, `Would fix`, `Suppressed`) plus how many more `--unsafe-fixes` would fix.
/// `hint` adds the `--unsafe-fixes` hint (left out where the lint summary already gave it).
pub fn fix_summary(
    fixed: usize,
    totals: &Totals,
    unsafe_ok: bool,
    verb: &str,
    hint: bool,
) -> String {
    let remaining = totals.findings();
    let plural = |n: usize, s: &str| format!("{n} {s}{}", if n == 1 { "" } else { "s" });
    let mut s = format!(
        "{verb} {} ({} remaining).",
        plural(fixed, "problem"),
        remaining
    );
    let more = totals.unsafe_only;
    if hint && !unsafe_ok && more > 0 {
        s.push_str(&format!(" {} more fixable with `--unsafe-fixes`.", more));
    }
    s
}

/// The closing lines of a human-readable report: what was found, in how many of the files
/// checked, and how many files failed with an error (unreadable, or a fix that could not be
/// written): those are reported on their own, and the summary never claims all checks passed.
pub fn summary(totals: &Totals, failed: usize) -> String {
    let (e, w, i) = (totals.errors, totals.warnings, totals.infos);
    let total = e + w + i;
    let checked = totals.files;
    let plural = |n: usize, s: &str| format!("{n} {s}{}", if n == 1 { "" } else { "s" });
    let not_checked = if failed == 0 {
        String::new()
    } else {
        format!("; {} failed with an error", plural(failed, "file"))
    };
    if total == 0 {
        return match (checked, failed) {
            (_, 0) => format!("All checks passed ({}).\n", plural(checked, "file")),
            (0, _) => format!("No file was checked{not_checked}.\n"),
            _ => format!(
                "No problems found in {}{not_checked}.\n",
                plural(checked, "file")
            ),
        };
    }
    let parts: Vec<String> = [(e, "error"), (w, "warning"), (i, "info")]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, s)| plural(*n, s))
        .collect();
    let with = totals.with_findings;
    let files = if with == checked {
        plural(with, "file")
    } else {
        format!("{} of {} checked", with, plural(checked, "file"))
    };
    let mut s = format!(
        "Found {} ({}) in {files}{not_checked}.\n",
        plural(total, "problem"),
        parts.join(", "),
    );
    let (safe, more) = (totals.fixable, totals.unsafe_only);
    if safe > 0 {
        s.push_str(&format!("{safe} fixable with `--fix`.\n"));
    }
    if more > 0 {
        s.push_str(&format!(
            "{more} more fixable with `--fix --unsafe-fixes`.\n"
        ));
    }
    s
}
