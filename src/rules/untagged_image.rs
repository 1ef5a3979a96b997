//! `untagged-image`: a `FROM` image with neither a tag nor a digest, so the build takes
//! whatever `latest` points to that day.

use super::{Ctx, Report};
use crate::model::Base;

crate::declare_rule! {
    slug: "untagged-image",
    codes: [DL3006: "always tag the version of an image explicitly"],
    group: Suspicious,
    severity: Warning,
    fix: None,
    since: "0.5.0",
    summary: "a `FROM` image without a tag or digest is `latest`, which moves",
    hooks: { file: check },
}

fn check(ctx: &Ctx, out: &mut Report) {
    for stage in &ctx.model.stages {
        // Only an image: `scratch`, earlier stages and references whose variables have no
        // known value are not.
        let Base::Image(img) = &stage.base else {
            continue;
        };
        if img.tag.is_some() || img.digest.is_some() {
            continue;
        }
        // An earlier stage named with a variable (`AS ${NAME}`, which buildah expands) may be
        // what the name refers to.
        if named_by_variable(ctx, stage.index, &img.name()) {
            continue;
        }
        let Some(range) = stage.base_range.clone() else {
            continue;
        };
        let name = &stage.base_text;
        out.report(
            range,
            format!("image `{name}` has no tag, so it is `{name}:latest`, which moves"),
        )
        .help("name the version you build on, e.g. `debian:12` (or pin a digest: `name:tag@sha256:...`)");
    }
}

/// Whether a stage before `before` is named `AS <text with a variable>` that expands, with the
/// global `ARG`s, to `name` (or to a value not known).
fn named_by_variable(ctx: &Ctx, before: usize, name: &str) -> bool {
    let model = ctx.model;
    model.stages.iter().take(before).any(|s| {
        let Some(alias) = model.instructions.get(s.from).and_then(|i| i.words().get(2)) else {
            return false;
        };
        if !alias.value.contains('$') {
            return false;
        }
        let Some(c) = model.contexts.get(s.from) else {
            return false;
        };
        c.scope
            .expand(&alias.value, model.escape)
            .is_none_or(|v| v.eq_ignore_ascii_case(name))
    })
}
