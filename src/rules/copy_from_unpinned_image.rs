//! `copy-from-unpinned-image`: `COPY --from` (or `RUN --mount=from=`) of an image by a tag
//! that names no version, or by none: the build takes files from whatever the tag points to.

use super::{Ctx, Report};
use crate::model::{RefKind, Target};

crate::declare_rule! {
    slug: "copy-from-unpinned-image",
    codes: [],
    group: Security,
    severity: Warning,
    fix: None,
    since: "0.4.0",
    summary: "`COPY --from` or `RUN --mount=from=` of an image by no tag or a tag that names no version",
    options: Options,
    hooks: { file: check },
}

/// `[rules.copy-from-unpinned-image]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "CopyFromUnpinnedImageOptions")]
pub struct Options {
    /// Report every image not pinned by a digest (`@sha256:...`), versioned tags included.
    #[serde(default)]
    pub require_digest: bool,
}

fn check(ctx: &Ctx, out: &mut Report) {
    let strict = ctx.options::<Options>().require_digest;
    for r in &ctx.model.stage_refs {
        let Target::Image(img) = &r.target else {
            continue;
        };
        if img.digest.is_some() {
            continue;
        }
        // A bare word (`--from=builder`) is more often a stage name gone wrong than an
        // image: `undefined-stage` reports it.
        if img.registry.is_none() && img.tag.is_none() && !img.repository.contains('/') {
            continue;
        }
        let how = match r.kind {
            RefKind::CopyFrom => {
                let kw = ctx.model.instructions[r.instruction].keyword.as_str();
                format!("`{kw} --from`")
            }
            RefKind::MountFrom => "`RUN --mount=from=`".to_string(),
            RefKind::FromStage => continue,
        };
        let why = match img.tag.as_deref() {
            None => "has no tag, so it is `latest`, which moves".to_string(),
            Some(t) if !t.chars().any(|c| c.is_ascii_digit()) => {
                format!("has the tag `{t}`, which names no version and moves")
            }
            Some(t) if strict => format!("is pinned by the tag `{t}` only, which can move"),
            Some(_) => continue,
        };
        let name = img.name();
        let tag = img.tag.as_deref().unwrap_or("latest");
        out.report(
            r.range.clone(),
            format!(
                "{how} image `{}` {why}: the build takes files from whatever it points to then",
                r.value
            ),
        )
        .help(format!(
            "pin it by digest: `{name}:<version>@sha256:<digest>` (`docker buildx imagetools inspect {name}:{tag}` shows it)"
        ));
    }
}
