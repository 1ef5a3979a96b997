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
        // what a bare name refers to.
        let bare = img.registry.is_none() && !img.repository.contains('/');
        let named_by_variable = ctx.model.stages[..stage.index]
            .iter()
            .any(|s| s.name.as_deref().is_some_and(|n| n.contains('$')));
        if bare && named_by_variable {
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
