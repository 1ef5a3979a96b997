//! `undefined-stage`: `--from` names no earlier stage and does not look like an image reference.

use super::{Ctx, Report};
use crate::fix::{Applicability, Edit, Fix};
use crate::model::Target;

crate::declare_rule! {
    slug: "undefined-stage",
    codes: [DL3022: "`COPY --from` should reference a previously defined `FROM` alias"],
    group: Correctness,
    severity: Error,
    fix: Sometimes,
    since: "0.1.0",
    summary: "`--from` names no earlier stage, so BuildKit would pull an image of that name",
    hooks: { file: check },
}

fn check(ctx: &Ctx, out: &mut Report) {
    let model = ctx.model;
    for r in &model.stage_refs {
        let current = model.contexts[r.instruction].stage.unwrap_or(0);
        let d = match &r.target {
            Target::Later(i) if *i == current => out.report(
                r.range.clone(),
                format!("stage `{}` refers to itself", r.value),
            ),
            Target::Later(i) => {
                let line = model.instructions[model.stages[*i].from].start_line;
                out.report(
                    r.range.clone(),
                    format!("stage `{}` is defined after this instruction", r.value),
                )
                .help(format!(
                    "move the stage defined on line {line} before this instruction"
                ))
            }
            Target::BadIndex(n) => {
                let d = out.report(
                    r.range.clone(),
                    format!("there is no stage `{n}` before this instruction"),
                );
                match current {
                    0 => d.help("no stage comes before this one"),
                    1 => d.help("only stage `0` comes before this one"),
                    c => d.help(format!("stages `0` to `{}` come before this one", c - 1)),
                }
            }
            Target::Invalid if r.value.is_empty() => out
                .report(r.range.clone(), "the stage reference is empty")
                .help("write `--from=<stage>`: a space does not join a flag to its value"),
            Target::Invalid => out.report(
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
                let d = out.report(
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
        drop(d);
    }
}
