//! `undefined-stage`: `--from` names no earlier stage and does not look like an image reference.

use super::registry::{Ctx, FixAvailability, Group, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::fix::{Applicability, Edit, Fix};
use crate::model::Target;

pub const RULE: Rule = Rule {
    slug: "undefined-stage",
    aliases: &["DL3022"],
    group: Group::Correctness,
    severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    since: "0.1.0",
    summary: "`--from` names no earlier stage, so BuildKit would pull an image of that name",
    doc: include_str!("../../lints/undefined-stage.md"),
    late: false,
    check,
};

fn check(ctx: &Ctx, rule: &Rule, out: &mut Vec<Diagnostic>) {
    let model = ctx.model;
    for r in &model.stage_refs {
        let current = model.contexts[r.instruction].stage.unwrap_or(0);
        let d = match &r.target {
            Target::Later(i) if *i == current => rule.diagnostic(
                r.range.clone(),
                format!("stage `{}` refers to itself", r.value),
            ),
            Target::Later(i) => {
                let line = model.instructions[model.stages[*i].from].start_line;
                rule.diagnostic(
                    r.range.clone(),
                    format!("stage `{}` is defined after this instruction", r.value),
                )
                .help(format!(
                    "move the stage defined on line {line} before this instruction"
                ))
            }
            Target::BadIndex(n) => {
                let d = rule.diagnostic(
                    r.range.clone(),
                    format!("there is no stage `{n}` before this instruction"),
                );
                match current {
                    0 => d.help("no stage comes before this one"),
                    1 => d.help("only stage `0` comes before this one"),
                    c => d.help(format!("stages `0` to `{}` come before this one", c - 1)),
                }
            }
            Target::Invalid if r.value.is_empty() => rule
                .diagnostic(r.range.clone(), "the stage reference is empty")
                .help("write `--from=<stage>`: a space does not join a flag to its value"),
            Target::Invalid => rule.diagnostic(
                r.range.clone(),
                format!(
                    "`{}` is neither an earlier stage nor a valid image reference",
                    r.value
                ),
            ),
            // A bare word is a stage name gone wrong far more often than an untagged image.
            Target::Image(img)
                if img.registry.is_none()
                    && img.tag.is_none()
                    && img.digest.is_none()
                    && !img.repository.contains('/') =>
            {
                let d = rule.diagnostic(
                    r.range.clone(),
                    format!(
                        "no stage named `{}` comes before this instruction; BuildKit would pull the image `{}`",
                        r.value,
                        img.canonical()
                    ),
                );
                let earlier: Vec<&str> = model.stages[..current]
                    .iter()
                    .filter_map(|s| s.name.as_deref())
                    .collect();
                match super::registry::closest(&r.value, &earlier) {
                    Some((name, distance)) => {
                        // One typo away is very likely the stage; further is only a suggestion.
                        let applicability = if distance == 1 {
                            Applicability::Unsafe
                        } else {
                            Applicability::DisplayOnly
                        };
                        d.help(format!("did you mean the stage `{name}`?"))
                            .fix(Some(Fix::new(
                                format!("refer to stage `{name}`"),
                                applicability,
                                vec![Edit::replace(r.range.clone(), name)],
                            )))
                    }
                    None => d.help(format!(
                        "if the image is meant, give it a tag (`{}:<tag>`)",
                        r.value
                    )),
                }
            }
            _ => continue,
        };
        out.push(d);
    }
}
