//! Inline suppressions: `# dlint ignore=...` (next instruction), `# dlint global ignore=...`
//! (file), hadolint's `# hadolint [global] ignore=...`, and BuildKit's `# check=skip=...`
//! directive; which of them suppressed something, for the pass after suppressions. A slug
//! suppresses all of its rule's findings, a code (`DL3042`) exactly the findings of that code.

use crate::diagnostic::Diagnostic;
use crate::model::Dockerfile;
use crate::rules::{registry, CodeUse, SuppressionUse, Target};
use crate::source::{SourceFile, TextRange};

/// Where a suppression comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Dlint,
    Hadolint,
    /// BuildKit's `# check=skip=` parser directive.
    BuildKit,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// The instruction with this index.
    Instruction(usize),
    File,
}

/// One name in a suppression list.
#[derive(Debug, Clone)]
pub struct Code {
    pub text: String,
    pub range: TextRange,
    /// What it names; `None` for names dlint does not know (another tool's codes, typos).
    pub target: Option<Target>,
    /// `all` (BuildKit's `skip=all`).
    pub all: bool,
}

#[derive(Debug, Clone)]
pub struct Suppression {
    pub origin: Origin,
    pub scope: Scope,
    pub codes: Vec<Code>,
    pub reason: Option<String>,
    /// The comment's whole line, newline included (what removing it deletes).
    pub line: TextRange,
}

/// Every suppression in a file.
pub fn parse(source: &SourceFile, model: &Dockerfile) -> Vec<Suppression> {
    let mut out = Vec::new();
    for c in &model.comments {
        let text = &source.text[c.clone()];
        let Some(body) = text.strip_prefix('#') else {
            continue;
        };
        let body_start = c.start + 1;
        let trimmed = body.trim_start();
        let mut pos = body_start + (body.len() - trimmed.len());
        let (origin, rest) = if let Some(r) = trimmed.strip_prefix("dlint") {
            (Origin::Dlint, r)
        } else if let Some(r) = trimmed.strip_prefix("hadolint") {
            (Origin::Hadolint, r)
        } else {
            continue;
        };
        pos += trimmed.len() - rest.len();
        let mut words = rest.split_whitespace().peekable();
        let global = words.peek() == Some(&"global");
        if global {
            words.next();
        }
        let Some(list) = words.next().and_then(|w| w.strip_prefix("ignore=")) else {
            continue;
        };
        let list_start = pos + source.text[pos..c.end].find(list).unwrap_or(0);
        let reason = rest
            .split_once("reason=")
            .map(|(_, r)| r.trim().to_string());
        let scope = if global {
            Scope::File
        } else {
            match model
                .instructions
                .iter()
                .position(|i| i.range.start > c.start)
            {
                Some(i) => Scope::Instruction(i),
                None => continue,
            }
        };
        out.push(Suppression {
            origin,
            scope,
            codes: codes(list, list_start),
            reason,
            line: whole_line(source, c.clone()),
        });
    }
    for d in &model.directives {
        if d.name != "check" {
            continue;
        }
        for part in d.value.split(';') {
            let Some(list) = part.trim().strip_prefix("skip=") else {
                continue;
            };
            let start = d.range.start + source.text[d.range.clone()].find(list).unwrap_or(0);
            out.push(Suppression {
                origin: Origin::BuildKit,
                scope: Scope::File,
                codes: codes(list, start),
                reason: None,
                line: whole_line(source, d.range.clone()),
            });
        }
    }
    out
}

fn codes(list: &str, start: usize) -> Vec<Code> {
    let mut out = Vec::new();
    let mut offset = start;
    for name in list.split(',') {
        let trimmed = name.trim();
        let lead = name.len() - name.trim_start().len();
        if !trimmed.is_empty() {
            out.push(Code {
                text: trimmed.to_string(),
                range: offset + lead..offset + lead + trimmed.len(),
                target: registry::find_target(trimmed),
                all: trimmed.eq_ignore_ascii_case("all"),
            });
        }
        offset += name.len() + 1;
    }
    out
}

/// The line holding `range`, with its line break.
fn whole_line(source: &SourceFile, range: TextRange) -> TextRange {
    let line = source.line_index(range.start);
    source.line_start(line)..source.line_start(line + 1)
}

/// Drop suppressed diagnostics; return, for every suppression and code, whether it was used.
pub fn apply(
    model: &Dockerfile,
    suppressions: &[Suppression],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Vec<bool>> {
    let mut used: Vec<Vec<bool>> = suppressions
        .iter()
        .map(|s| vec![false; s.codes.len()])
        .collect();
    diagnostics.retain(|d| {
        let mut keep = true;
        for (si, s) in suppressions.iter().enumerate() {
            let in_scope = match s.scope {
                Scope::File => true,
                Scope::Instruction(i) => {
                    let r = &model.instructions[i].range;
                    d.range.start >= r.start && d.range.start <= r.end
                }
            };
            if !in_scope {
                continue;
            }
            for (ci, c) in s.codes.iter().enumerate() {
                if c.all || c.target.is_some_and(|t| t.matches(d)) {
                    used[si][ci] = true;
                    keep = false;
                }
            }
        }
        keep
    });
    used
}

/// How every suppression was used, for the pass after suppressions: `ran` says whether a rule
/// or code was checked at all (a disabled rule's suppressions cannot be judged).
pub fn uses(
    suppressions: &[Suppression],
    used: &[Vec<bool>],
    ran: &dyn Fn(Target) -> bool,
) -> Vec<SuppressionUse> {
    suppressions
        .iter()
        .zip(used)
        .map(|(s, used)| SuppressionUse {
            dlint: s.origin == Origin::Dlint,
            line: s.line.clone(),
            codes: s
                .codes
                .iter()
                .zip(used)
                .map(|(c, &used)| CodeUse {
                    text: c.text.clone(),
                    range: c.range.clone(),
                    target: c.target.map(|t| (t.rule(), t.code())),
                    judged: c.target.is_some_and(ran),
                    used,
                })
                .collect(),
        })
        .collect()
}
