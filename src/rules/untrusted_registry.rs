//! `untrusted-registry`: a base image or `COPY --from` image from a registry not in `trusted-registries`.

use super::registry::{Ctx, FixAvailability, Group, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::image::is_docker_hub_name;
use crate::model::{Base, ImageRef, Target};
use crate::source::TextRange;

pub const RULE: Rule = Rule {
    slug: "untrusted-registry",
    aliases: &["DL3026"],
    group: Group::Security,
    severity: Severity::Error,
    fix: FixAvailability::None,
    since: "0.1.0",
    summary: "an image comes from a registry that `trusted-registries` does not list",
    doc: include_str!("../../lints/untrusted-registry.md"),
    late: false,
    check,
};

fn check(ctx: &Ctx, rule: &Rule, out: &mut Vec<Diagnostic>) {
    let trusted = &ctx.options.trusted_registries;
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
            out.push(
                rule.diagnostic(
                    range,
                    format!(
                        "`{}` comes from `{registry}`, which is not a trusted registry",
                        img.name()
                    ),
                )
                .help(format!("trusted: {}", trusted.join(", "))),
            );
        }
    };
    for s in &ctx.model.stages {
        if let (Base::Image(img), Some(range)) = (&s.base, &s.base_range) {
            report(img, range.clone());
        }
    }
    for r in &ctx.model.stage_refs {
        if let Target::Image(img) = &r.target {
            report(img, r.range.clone());
        }
    }
}
