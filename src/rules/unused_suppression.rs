//! `unused-suppression`: a `# dlint ignore=` that suppresses nothing, or names no rule.

use super::registry::{Ctx, FixAvailability, Group, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::fix::{Edit, Fix};
use crate::suppress::{Origin, Suppression};

pub const RULE: Rule = Rule {
    slug: "unused-suppression",
    aliases: &[],
    group: Group::Suspicious,
    severity: Severity::Warning,
    fix: FixAvailability::Always,
    since: "0.1.0",
    summary: "a `# dlint ignore=` comment that suppresses nothing or names an unknown rule",
    doc: include_str!("../../lints/unused-suppression.md"),
    late: true,
    check,
};

fn check(ctx: &Ctx, rule: &Rule, out: &mut Vec<Diagnostic>) {
    let Some(state) = ctx.suppressions else {
        return;
    };
    for (s, used) in state.list.iter().zip(&state.used) {
        // hadolint and BuildKit comments also serve those tools: only dlint's own are judged.
        if s.origin != Origin::Dlint {
            continue;
        }
        for (i, code) in s.codes.iter().enumerate() {
            let (message, stale) = match code.rule {
                None => (format!("`{}` is not a dlint rule", code.text), true),
                // A disabled rule reports nothing: its suppression cannot be judged.
                Some(r) if !ctx.enabled.contains(&r.slug) => continue,
                Some(r) if !used[i] => (
                    format!("unused suppression: `{}` reports nothing here", r.slug),
                    true,
                ),
                Some(_) => continue,
            };
            if stale {
                out.push(
                    rule.diagnostic(code.range.clone(), message)
                        .help("remove it")
                        .fix(Some(remove(s, i, used))),
                );
            }
        }
    }
}

/// Remove one code from the list, or the whole comment line when no used code would remain.
fn remove(s: &Suppression, index: usize, used: &[bool]) -> Fix {
    let keep: Vec<&str> = s
        .codes
        .iter()
        .enumerate()
        .filter(|(i, c)| *i != index && used[*i] && c.rule.is_some())
        .map(|(_, c)| c.text.as_str())
        .collect();
    if keep.is_empty() {
        return Fix::safe(
            "remove the suppression comment",
            vec![Edit::delete(s.line.clone())],
        );
    }
    // Replace the whole list with the codes that are still in use.
    let start = s.codes.first().map_or(0, |c| c.range.start);
    let end = s.codes.last().map_or(0, |c| c.range.end);
    Fix::safe(
        format!("remove `{}` from the suppression", s.codes[index].text),
        vec![Edit::replace(start..end, keep.join(","))],
    )
}
