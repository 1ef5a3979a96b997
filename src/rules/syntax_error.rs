//! `syntax-error`: what BuildKit itself would refuse to build.

use super::registry::{Ctx, FixAvailability, Group, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::syntax::ErrorKind;

pub const RULE: Rule = Rule {
    slug: "syntax-error",
    aliases: &[],
    group: Group::Correctness,
    severity: Severity::Error,
    fix: FixAvailability::None,
    since: "0.1.0",
    summary: "the Dockerfile cannot be parsed or built as written",
    doc: include_str!("../../lints/syntax-error.md"),
    late: false,
    check,
};

fn check(ctx: &Ctx, rule: &Rule, out: &mut Vec<Diagnostic>) {
    for e in &ctx.model.errors {
        // Errors the grammar recovered from are the parser's business, not the user's.
        let ErrorKind::Build = e.kind else {
            continue;
        };
        out.push(rule.diagnostic(e.range.clone(), e.message.clone()));
    }
}
