//! `overridden-instruction`: a `CMD`, `ENTRYPOINT` or `HEALTHCHECK` that a later one of the
//! same stage overrides, so it has no effect.

use super::{Ctx, Report};
use crate::fix::{Edit, Fix};
use crate::model::Dockerfile;
use crate::source::{SourceFile, TextRange};
use crate::syntax::{Instruction, Keyword};

crate::declare_rule! {
    slug: "overridden-instruction",
    codes: [MultipleInstructionsDisallowed: "multiple instructions of the same type should not be used in the same stage"],
    group: Suspicious,
    severity: Warning,
    fix: Always,
    since: "0.4.0",
    summary: "a `CMD`, `ENTRYPOINT` or `HEALTHCHECK` is overridden by a later one in its stage",
    hooks: { file: check },
}

/// The instructions an image keeps only one of.
const ONCE: [Keyword; 3] = [Keyword::Cmd, Keyword::Entrypoint, Keyword::Healthcheck];

fn check(ctx: &Ctx, out: &mut Report) {
    let model = ctx.model;
    for stage in &model.stages {
        for kw in ONCE {
            // ONBUILD triggers run in another build: they are not this stage's.
            let all: Vec<&Instruction> = model
                .stage_body(stage)
                .map(|(_, i)| i)
                .filter(|i| i.keyword == kw)
                .collect();
            let Some((last, earlier)) = all.split_last() else {
                continue;
            };
            for inst in earlier {
                report(ctx.source, model, inst, last, out);
            }
        }
    }
}

fn report(
    source: &SourceFile,
    model: &Dockerfile,
    inst: &Instruction,
    last: &Instruction,
    out: &mut Report,
) {
    let kw = &inst.keyword_text;
    let upper = inst.keyword.as_str();
    let d = out
        .report(
            inst.keyword_range.clone(),
            format!("this `{kw}` has no effect: a later `{upper}` in the stage overrides it"),
        )
        .help(format!(
            "an image has one `{upper}`, the stage's last: remove this one"
        ))
        .label(
            last.keyword_range.clone(),
            format!("the `{}` that takes effect", last.keyword_text),
        );
    let fix = Fix::safe(format!("remove this `{kw}`"), vec![Edit::delete(lines_of(source, inst))])
        .removing_instructions();
    // A comment right above is left in place, and would then seem to be about (or, for a
    // suppression comment, would apply to) the next instruction.
    let first_line = source.line_index(inst.range.start);
    let above = first_line
        .checked_sub(1)
        .map(|l| source.line_start(l)..source.line_start(first_line));
    // Comments are in source order.
    let commented = above.is_some_and(|r| {
        let i = model.comments.partition_point(|c| c.start < r.start);
        model.comments.get(i).is_some_and(|c| r.contains(&c.start))
    });
    if commented {
        d.fix(Some(fix))
            .unsafe_because("the fix is unsafe: the comment above it stays, and would then be about the next instruction");
    } else {
        d.fix(Some(fix));
    }
}

/// The whole lines an instruction takes, its line break included.
fn lines_of(source: &SourceFile, inst: &Instruction) -> TextRange {
    let start = source.line_start(source.line_index(inst.range.start));
    let end = source.line_start(source.line_index(inst.range.end) + 1);
    start..end.max(inst.range.end)
}
