//! `constant-from-platform`: `FROM --platform=linux/amd64` pins a stage to one platform
//! whatever platform the build targets.

use super::{Ctx, Report};

crate::declare_rule! {
    slug: "constant-from-platform",
    codes: [FromPlatformFlagConstDisallowed: "FROM --platform flag should not use a constant value"],
    group: Suspicious,
    severity: Warning,
    fix: None,
    since: "0.4.0",
    summary: "`FROM --platform` has a constant value, and the stage's name does not say so",
    hooks: { file: check },
}

fn check(ctx: &Ctx, out: &mut Report) {
    let model = ctx.model;
    for stage in &model.stages {
        let from = &model.instructions[stage.from];
        let Some(flag) = from.flag("platform") else {
            continue;
        };
        let Some(value) = flag.value.as_deref().filter(|v| !v.is_empty()) else {
            continue;
        };
        // Any variable makes it not constant (even an escaped `$`, as BuildKit sees it).
        if flag.raw.contains('$') {
            continue;
        }
        // A stage named for its OS or architecture (`build-amd64`) is platform-specific on
        // purpose; BuildKit compares the flag's parts as written.
        let mut parts = value.split('/');
        let os = parts.next().unwrap_or("");
        let arch = parts.next();
        let name = stage.name.as_deref().unwrap_or("");
        if name.contains(os) || arch.is_some_and(|a| name.contains(a)) {
            continue;
        }
        out.report(
            flag.range.clone(),
            format!("`--platform={value}` pins this stage to one platform"),
        )
        .help(
            "leave the platform to `docker build --platform`, use `$BUILDPLATFORM` for a stage that only builds, or name the stage after its platform (`AS build-amd64`)",
        );
    }
}
