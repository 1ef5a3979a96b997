//! `untrusted-registry`: a base image or `COPY --from` image from a registry not in `trusted-registries`.

use super::{Ctx, Report};
use crate::model::image::is_docker_hub_name;
use crate::model::{Base, ImageRef, Target};
use crate::source::TextRange;

crate::declare_rule! {
    slug: "untrusted-registry",
    codes: [DL3026: "use only an allowed registry in the FROM image"],
    group: Security,
    severity: Error,
    fix: None,
    since: "0.1.0",
    summary: "an image comes from a registry that `trusted-registries` does not list",
    options: Options, top_level: [("trusted-registries", "trusted")],
    hooks: { file: check },
}

/// `[rules.untrusted-registry]` (or the top-level `trusted-registries`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "UntrustedRegistryOptions")]
pub struct Options {
    /// Registries images may come from (e.g. `docker.io`, `ghcr.io/acme`); empty means any.
    #[serde(default)]
    pub trusted: Vec<String>,
}

fn check(ctx: &Ctx, out: &mut Report) {
    let trusted = &ctx.options::<Options>().trusted;
    // Without a list, every registry is fine.
    if trusted.is_empty() {
        return;
    }
    // `index.docker.io/acme` and `docker.io/acme` name the same place.
    let trusted_names: Vec<String> = trusted
        .iter()
        .map(|t| {
            let t = t.trim_end_matches('/').to_ascii_lowercase();
            match t.split_once('/') {
                Some((r, rest)) if is_docker_hub_name(r) => format!("docker.io/{rest}"),
                None if is_docker_hub_name(&t) => "docker.io".to_string(),
                _ => t,
            }
        })
        .collect();
    let mut report = |img: &ImageRef, range: TextRange| {
        let registry = img.registry_name();
        let name = img.qualified_name();
        let ok = trusted_names
            .iter()
            .any(|t| *t == registry.to_ascii_lowercase() || name.starts_with(&format!("{t}/")));
        if !ok {
            out.report(
                range,
                format!(
                    "`{}` comes from `{registry}`, which is not a trusted registry",
                    img.name()
                ),
            )
            .help(format!("trusted: {}", trusted.join(", ")));
        }
    };
    for s in &ctx.model.stages {
        if let (Base::Image(img), Some(range)) = (&s.base, &s.base_range) {
            report(img, range.clone());
        }
    }
    for s in &ctx.model.stage_refs {
        if let Target::Image(img) = &s.target {
            report(img, s.range.clone());
        }
    }
}
