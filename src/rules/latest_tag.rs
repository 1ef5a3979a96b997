//! `latest-tag`: a `FROM` image pinned to the `latest` tag, which moves with every release.

use super::{Ctx, Report};
use crate::model::Base;

crate::declare_rule! {
    slug: "latest-tag",
    codes: [DL3007: "using latest is prone to errors if the image will ever update; pin the version explicitly to a release tag"],
    group: Suspicious,
    severity: Warning,
    fix: None,
    since: "0.5.0",
    summary: "a `FROM` image tagged `latest` changes whenever the image is republished",
    hooks: { file: check },
}

fn check(ctx: &Ctx, out: &mut Report) {
    for stage in &ctx.model.stages {
        let Base::Image(img) = &stage.base else {
            continue;
        };
        // A digest pins the image whatever the tag says.
        if img.tag.as_deref() != Some("latest") || img.digest.is_some() {
            continue;
        }
        let Some(range) = stage.base_range.clone() else {
            continue;
        };
        out.report(
            range,
            format!(
                "image `{}` uses the `latest` tag, which moves whenever the image is republished",
                stage.base_text
            ),
        )
        .help(format!(
            "name the release you build on, e.g. `{}:<version>`; there is no fix, since only you know which version you tested",
            img.name()
        ));
    }
}
