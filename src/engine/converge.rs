//! The converge loop: apply non-overlapping fixes, re-parse, re-lint, repeat to a fixed point.
//!
//! A pass is refused (and its fixes retried one at a time) when the result has more BuildKit
//! errors than the input or a different sequence of instructions: fixes never add or remove
//! instructions or break one's form (exec form stays a JSON array, heredocs stay heredocs),
//! so the instruction boundaries BuildKit sees stay as they were. Fixes marked as such may
//! rewrite a keyword, delete whole instructions (the others stay as they were) or, for the
//! multi-stage conversion, restructure the file.

use std::collections::{BTreeMap, HashSet};

use crate::fix::{apply_edits, Edit, Fix};
use crate::source::SourceFile;
use crate::syntax::{self, ErrorKind, Keyword};
use crate::{check_source, FileResult, Settings};

/// Most passes before a file is reported as not converging.
pub const MAX_PASSES: usize = 10;

/// What fixing one file did.
#[derive(Debug, Clone)]
pub struct FixOutcome {
    /// The original text, BOM included.
    pub original: String,
    /// The fixed text, BOM included; equal to `original` when nothing applied.
    pub fixed: String,
    /// Rule and title of every applied fix, in order.
    pub applied: Vec<(&'static str, String)>,
    /// The lint result of the fixed text.
    pub result: FileResult,
    /// `false` when fixes kept producing changes after [`MAX_PASSES`]; nothing should be written.
    pub converged: bool,
    /// A fix that adds or moves instructions was applied (the multi-stage conversion).
    pub restructured: bool,
    /// A fix that replaced an instruction's keyword was applied (`MAINTAINER` -> `LABEL`).
    pub rewrote_keywords: bool,
    /// A fix that deleted whole instructions was applied (an overridden `CMD`).
    pub removed_instructions: bool,
}

impl FixOutcome {
    pub fn changed(&self) -> bool {
        self.original != self.fixed
    }
}

/// An instruction as a fix must leave it: keyword, ONBUILD trigger keyword, exec form, heredocs.
type InstructionShape = (Keyword, Option<Keyword>, bool, usize);

/// BuildKit-level errors and the instructions' shapes: what a fix must not make worse or change.
fn shape(text: &str) -> (usize, Vec<InstructionShape>) {
    let p = syntax::parse(text);
    let errors = p
        .errors
        .iter()
        .filter(|e| e.kind == ErrorKind::Build)
        .count();
    let kws = p
        .instructions
        .iter()
        .map(|i| {
            let target = i.sub.as_deref().unwrap_or(i);
            (
                i.keyword,
                i.sub.as_ref().map(|s| s.keyword),
                target.is_exec_form(),
                i.heredocs.len(),
            )
        })
        .collect();
    (errors, kws)
}

/// What a pass of fixes may change: everything but parsing (restructuring), an instruction's
/// keyword (a rewrite such as `MAINTAINER` -> `LABEL`), which instructions there are (a fix that
/// deletes an overridden one: the rest stay as they were, in order), or none of these.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
struct Leeway {
    restructure: bool,
    keywords: bool,
    removals: bool,
}

impl Leeway {
    fn strict(self) -> bool {
        self == Leeway::default()
    }
}

fn leeway<'f>(fixes: impl IntoIterator<Item = &'f Fix>) -> Leeway {
    let mut l = Leeway::default();
    for f in fixes {
        l.restructure |= f.restructures;
        l.keywords |= f.rewrites_keyword;
        l.removals |= f.removes_instructions;
    }
    l
}

fn acceptable(before: &(usize, Vec<InstructionShape>), text: &str, leeway: Leeway) -> bool {
    let after = shape(text);
    // Shell form may become exec form (that is what exec-form fixes do); a JSON array that
    // stops being one is a broken splice.
    let same = |a: &InstructionShape, b: &InstructionShape| {
        (leeway.keywords || (a.0 == b.0 && a.1 == b.1)) && a.3 == b.3 && (a.2 == b.2 || b.2)
    };
    if after.0 > before.0 {
        return false;
    }
    if leeway.restructure {
        return true;
    }
    if leeway.removals {
        // What is left is the instructions before the fix, some left out, in order.
        let mut rest = before.1.iter();
        return after.1.len() <= before.1.len()
            && after.1.iter().all(|a| rest.by_ref().any(|b| same(b, a)));
    }
    after.1.len() == before.1.len() && before.1.iter().zip(&after.1).all(|(b, a)| same(b, a))
}

/// Fix a file's text: safe fixes, and unsafe ones when `unsafe_ok`.
pub fn fix_source(path: &str, text: &str, settings: &Settings, unsafe_ok: bool) -> FixOutcome {
    let bom = if text.starts_with('\u{feff}') {
        "\u{feff}"
    } else {
        ""
    };
    let mut current = SourceFile::new(path, text).text;
    let mut baseline = shape(&current);
    let mut applied = Vec::new();
    let mut converged = false;
    let mut restructured_any = false;
    let mut rewrote_any = false;
    let mut removed_any = false;
    let mut result = check_source(path, &current, settings);
    for _ in 0..MAX_PASSES {
        let fixes: Vec<(&'static str, &Fix)> = result
            .diagnostics
            .iter()
            .filter_map(|d| {
                d.fix
                    .as_ref()
                    .filter(|f| f.applies(unsafe_ok))
                    .map(|f| (d.rule, f))
            })
            .collect();
        if fixes.is_empty() {
            converged = true;
            break;
        }
        let chosen = select(&fixes);
        let edits: Vec<&Edit> = chosen.iter().flat_map(|(_, f)| f.edits.iter()).collect();
        let mut next = apply_edits(&current, &edits);
        let mut taken = chosen.clone();
        if !acceptable(&baseline, &next, leeway(chosen.iter().map(|(_, f)| *f))) {
            // Retry one fix at a time, keeping those that are fine on their own.
            next = current.clone();
            taken.clear();
            for (rule, fix) in &chosen {
                let edits: Vec<&Edit> = fix.edits.iter().collect();
                let candidate = apply_edits(&next, &edits);
                if acceptable(&baseline, &candidate, leeway([*fix])) {
                    next = candidate;
                    taken.push((rule, fix));
                    // Later fixes' ranges refer to the text before this one: re-lint first.
                    break;
                }
            }
        }
        if next == current {
            // Nothing applicable is left that keeps the file sound.
            converged = true;
            break;
        }
        let pass = leeway(taken.iter().map(|(_, f)| *f));
        applied.extend(taken.iter().map(|(r, f)| (*r, f.title.clone())));
        current = next;
        if !pass.strict() {
            restructured_any |= pass.restructure;
            rewrote_any |= pass.keywords;
            removed_any |= pass.removals;
            // Later fixes keep the new instruction sequence and keywords.
            baseline = (baseline.0, shape(&current).1);
        }
        result = check_source(path, &current, settings);
    }
    FixOutcome {
        original: text.to_string(),
        fixed: format!("{bom}{current}"),
        applied,
        result,
        converged,
        restructured: restructured_any,
        rewrote_keywords: rewrote_any,
        removed_instructions: removed_any,
    }
}

/// Fixes whose edits neither overlap nor touch, in source order; identical fixes (one fix that
/// serves several diagnostics) are taken once.
fn select<'a>(fixes: &[(&'static str, &'a Fix)]) -> Vec<(&'static str, &'a Fix)> {
    let mut sorted: Vec<(&'static str, &'a Fix)> = fixes.to_vec();
    sorted.sort_by_key(|(_, f)| (f.span().start, f.span().end));
    let mut seen: HashSet<&Vec<Edit>> = HashSet::new();
    let mut taken: Vec<(&'static str, &'a Fix)> = Vec::new();
    // Ranges of the edits taken, by start. They never overlap, so ordered by start they are
    // ordered by end too, and only the last one starting at or before an edit's end can clash.
    let mut ranges: BTreeMap<usize, usize> = BTreeMap::new();
    for (rule, fix) in sorted {
        if !seen.insert(&fix.edits) {
            continue;
        }
        let clashes = fix.edits.iter().any(|e| {
            ranges
                .range(..=e.range.end)
                .next_back()
                .is_some_and(|(_, &end)| e.range.start <= end)
        });
        if clashes {
            continue;
        }
        for e in &fix.edits {
            let end = ranges.entry(e.range.start).or_insert(e.range.end);
            *end = (*end).max(e.range.end);
        }
        taken.push((rule, fix));
    }
    taken
}

/// `--add-suppressions`: a `# dlint ignore=...` line before every instruction with findings
/// (indentation kept), so a large repository can adopt dlint and fix findings over time.
/// Findings that belong to no instruction (an empty file) cannot be suppressed inline.
pub fn add_suppressions(path: &str, text: &str, settings: &Settings) -> FixOutcome {
    let bom = if text.starts_with('\u{feff}') {
        "\u{feff}"
    } else {
        ""
    };
    let (result, model) = crate::check_source_with_model(path, text, settings);
    let source = &result.source;
    let mut by_instruction: std::collections::BTreeMap<usize, Vec<&'static str>> =
        Default::default();
    for d in &result.diagnostics {
        let Some(i) = model
            .instructions
            .iter()
            .position(|i| d.range.start >= i.range.start && d.range.start <= i.range.end)
        else {
            continue;
        };
        let rules = by_instruction.entry(i).or_default();
        if !rules.contains(&d.rule) {
            rules.push(d.rule);
        }
    }
    let edits: Vec<Edit> = by_instruction
        .iter()
        .map(|(i, rules)| {
            crate::fix::edits::insert_instruction_before(
                source,
                &model.instructions[*i],
                &format!("# dlint ignore={}", rules.join(",")),
            )
        })
        .collect();
    let applied = by_instruction
        .values()
        .flatten()
        .map(|r| (*r, "add a `# dlint ignore` comment".to_string()))
        .collect();
    let refs: Vec<&Edit> = edits.iter().collect();
    let fixed = apply_edits(&source.text, &refs);
    let result = check_source(path, &fixed, settings);
    FixOutcome {
        original: text.to_string(),
        fixed: format!("{bom}{fixed}"),
        applied,
        result,
        converged: true,
        restructured: false,
        rewrote_keywords: false,
        removed_instructions: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::rules::{Ctx, FixAvailability, Group, Hooks, Report, Rule};

    /// A test rule with one file hook.
    const fn rule(slug: &'static str, file: fn(&Ctx, &mut Report)) -> Rule {
        Rule {
            slug,
            codes: &[],
            group: Group::Pedantic,
            severity: Severity::Info,
            fix: FixAvailability::Always,
            since: "0.1.0",
            summary: "test rule",
            doc: "",
            options: None,
            hooks: Hooks {
                file: Some(file),
                ..Hooks::NONE
            },
            offer_suppression: true,
        }
    }

    /// A rule whose fix never makes it go away.
    static GROWS: Rule = rule("test-grows", |_ctx, out| {
        out.report(0..0, "grows").fix(Some(Fix::safe(
            "add a comment",
            vec![Edit::insert(0, "# again\n")],
        )));
    });

    /// A rule whose fix would break the file.
    static BREAKS: Rule = rule("test-breaks", |ctx, out| {
        if !ctx.source.text.contains("FORM") {
            out.report(0..0, "breaks").fix(Some(Fix::safe(
                "misspell FROM",
                vec![Edit::replace(0..4, "FORM")],
            )));
        }
    });

    #[test]
    fn a_fix_that_never_settles_is_reported_not_applied() {
        let settings = Settings {
            rules: vec![&GROWS],
            ..Default::default()
        };
        let o = fix_source("Dockerfile", "FROM a\n", &settings, false);
        assert!(!o.converged);
    }

    /// A rule whose fix turns an exec-form RUN into shell form (a broken JSON splice).
    static UNJSONS: Rule = rule("test-unjsons", |ctx, out| {
        if let Some(at) = ctx.source.text.find("\"install\"") {
            out.report(0..0, "unjsons").fix(Some(Fix::safe(
                "splice a flag into the JSON",
                vec![Edit::insert(at + 9, " --flag")],
            )));
        }
    });

    #[test]
    fn a_fix_that_changes_an_instruction_form_is_refused() {
        let settings = Settings {
            rules: vec![&UNJSONS],
            ..Default::default()
        };
        let text = "FROM a\nRUN [\"pip\", \"install\", \"x\"]\n";
        let o = fix_source("Dockerfile", text, &settings, false);
        assert!(o.converged);
        assert_eq!(o.fixed, text);
    }

    #[test]
    fn a_fix_that_adds_a_parse_error_is_refused() {
        let settings = Settings {
            rules: vec![&BREAKS],
            ..Default::default()
        };
        let o = fix_source("Dockerfile", "FROM a\n", &settings, false);
        assert!(o.converged);
        assert!(!o.changed());
        assert!(o.applied.is_empty());
    }
}
