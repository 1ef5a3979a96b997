//! `reserved-stage-name`: a stage named `scratch` or `context`, names BuildKit reserves.

use super::{Ctx, Report};

crate::declare_rule! {
    slug: "reserved-stage-name",
    codes: [ReservedStageName: "reserved words should not be used as stage names"],
    group: Suspicious,
    severity: Warning,
    fix: None,
    since: "0.4.0",
    summary: "a stage is named `scratch` or `context`, which BuildKit reserves",
    hooks: { file: check },
}

fn check(ctx: &Ctx, out: &mut Report) {
    for stage in &ctx.model.stages {
        let (Some(name), Some(range)) = (&stage.name, &stage.name_range) else {
            continue;
        };
        let meaning = match name.as_str() {
            "scratch" => "the empty image",
            "context" => "the build context",
            _ => continue,
        };
        let written = ctx.source.text.get(range.clone()).unwrap_or(name);
        out.report(
            range.clone(),
            format!("`{written}` is reserved and should not name a stage"),
        )
        .help(format!(
            "BuildKit reserves `{name}` for {meaning}: give the stage a name of its own and refer to it by that"
        ));
    }
}
