//! `relative-copy-from`: `COPY --from` with a relative source resolves from `/`, not the WORKDIR.

use super::registry::{Ctx, FixAvailability, Group, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{clean_path, Target, Workdir};
use crate::syntax::Keyword;

pub const RULE: Rule = Rule {
    slug: "relative-copy-from",
    aliases: &[],
    group: Group::Suspicious,
    severity: Severity::Warning,
    fix: FixAvailability::None,
    since: "0.1.0",
    summary: "`COPY --from` with a relative source path, which resolves from the source's `/`",
    doc: include_str!("../../lints/relative-copy-from.md"),
    check,
};

fn check(ctx: &Ctx, rule: &Rule, out: &mut Vec<Diagnostic>) {
    let model = ctx.model;
    for r in &model.stage_refs {
        let inst = &model.instructions[r.instruction];
        if inst.keyword != Keyword::Copy {
            continue;
        }
        let (what, workdir) = match &r.target {
            Target::Named(i) | Target::Index(i) => {
                let s = &model.stages[*i];
                let what = match &s.name {
                    Some(n) => format!("stage `{n}`"),
                    None => format!("stage `{i}`"),
                };
                (what, s.workdir.clone())
            }
            Target::Image(_) => (format!("image `{}`", r.value), Workdir::Unknown),
            // Unknown sources are `undefined-stage`'s business.
            _ => continue,
        };
        // A relative path is fine when the source's WORKDIR is `/` anyway.
        if workdir.known() == Some("/") {
            continue;
        }
        let words = inst.words();
        let Some((_dest, sources)) = words.split_last() else {
            continue;
        };
        let scope = &model.contexts[r.instruction].scope;
        for src in sources {
            let value = scope.expand(&src.value, model.escape);
            // Unknown variables may well expand to an absolute path.
            let Some(value) = value else {
                continue;
            };
            if value.starts_with('/') || looks_windows(&value) {
                continue;
            }
            let d = rule.diagnostic(
                src.range.clone(),
                format!("`{value}` is resolved from the root of {what}, not from its WORKDIR"),
            );
            let d = match workdir.known() {
                Some(w) => d.help(format!(
                    "{what} has WORKDIR `{w}`: write `{}` if that is what you meant, or `/{}` to keep the current meaning",
                    clean_path(&format!("{w}/{value}")),
                    value.trim_start_matches("./")
                )),
                None => d.help(format!(
                    "write the absolute path (`/{}`) to make the meaning explicit",
                    value.trim_start_matches("./")
                )),
            };
            out.push(d);
        }
    }
}

fn looks_windows(p: &str) -> bool {
    let b = p.as_bytes();
    b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':' || p.starts_with('\\')
}
