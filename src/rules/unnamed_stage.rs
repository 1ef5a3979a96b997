//! `unnamed-stage`: a stage referenced by its number instead of a name.

use super::registry::{Ctx, FixAvailability, Group, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{RefKind, Target};

pub const RULE: Rule = Rule {
    slug: "unnamed-stage",
    aliases: &[],
    group: Group::Style,
    severity: Severity::Warning,
    fix: FixAvailability::None,
    since: "0.1.0",
    summary: "a stage is referenced by its index (`--from=0`) instead of a name",
    doc: include_str!("../../lints/unnamed-stage.md"),
    check,
};

fn check(ctx: &Ctx, rule: &Rule, out: &mut Vec<Diagnostic>) {
    for r in &ctx.model.stage_refs {
        // Only references by number; names and images are other rules' business.
        let Target::Index(n) = r.target else {
            continue;
        };
        let stage = &ctx.model.stages[n];
        let flag = match r.kind {
            RefKind::MountFrom => "--mount=from=",
            _ => "--from=",
        };
        let d = rule.diagnostic(
            r.range.clone(),
            format!("stage `{n}` is referenced by its index"),
        );
        let d = match &stage.name {
            Some(name) => d.help(format!("stage {n} is named `{name}`: write `{flag}{name}`")),
            None => d.help(format!(
                "name the stage (`FROM {} AS <name>`) and write `{flag}<name>`; indexes change when stages are added",
                stage.base_text
            )),
        };
        let from = &ctx.model.instructions[stage.from];
        out.push(d.label(from.range.clone(), format!("stage {n} starts here")));
    }
}
