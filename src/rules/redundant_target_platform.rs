//! `redundant-target-platform`: `FROM --platform=$TARGETPLATFORM` asks for what `FROM` does
//! anyway.

use super::{Ctx, Report};
use crate::fix::{Edit, Fix};
use crate::syntax::{Args, Flag, Instruction};

crate::declare_rule! {
    slug: "redundant-target-platform",
    codes: [RedundantTargetPlatform | DL3065: "setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default behavior"],
    group: Style,
    severity: Warning,
    fix: Always,
    since: "0.4.0",
    summary: "`FROM --platform=$TARGETPLATFORM` is the default platform spelled out",
    hooks: { file: check },
}

fn check(ctx: &Ctx, out: &mut Report) {
    let model = ctx.model;
    // A global `ARG TARGETPLATFORM=...` makes `$TARGETPLATFORM` look like something else.
    let redefined = model.global_args.iter().any(|&i| {
        matches!(&model.instructions[i].args, Args::Pairs(p)
            if p.iter().any(|p| p.key == "TARGETPLATFORM" && p.value.is_some()))
    });
    for stage in &model.stages {
        let from = &model.instructions[stage.from];
        let Some(flag) = from.flag("platform") else {
            continue;
        };
        if !matches!(
            flag.value.as_deref(),
            Some("$TARGETPLATFORM" | "${TARGETPLATFORM}")
        ) {
            continue;
        }
        let edit = removal(&ctx.source.text, from, flag);
        let fix = Fix::safe("remove the `--platform` flag", vec![edit]);
        let d = out
            .report(
                flag.range.clone(),
                "`--platform=$TARGETPLATFORM` is redundant: `FROM` uses the target platform by default",
            )
            .help("remove the flag")
            .fix(Some(fix));
        if redefined {
            d.unsafe_because(
                "the fix is unsafe: the file gives `TARGETPLATFORM` a default of its own",
            );
        }
    }
}

/// Delete the flag with the blanks (and any line continuation) before it, back to the token
/// before; comments inside a continuation stay.
fn removal(text: &str, from: &Instruction, flag: &Flag) -> Edit {
    let before = from
        .flags
        .iter()
        .map(|f| f.range.end)
        .filter(|&end| end <= flag.range.start)
        .max()
        .unwrap_or(from.keyword_range.end);
    let gap = text.get(before..flag.range.start).unwrap_or("");
    let start = if gap.contains('#') {
        flag.range.start - (gap.len() - gap.trim_end_matches([' ', '\t']).len())
    } else {
        before
    };
    Edit::delete(start..flag.range.end)
}
