//! `untrusted-registry`: a base image or `COPY --from` image from a registry not in `trusted-registries`.

use super::registry::{Ctx, FixAvailability, Group, Rule};
use crate::diagnostic::{Diagnostic, Severity};
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
    let mut report = |img: &ImageRef, range: TextRange| {
        let registry = img.registry.as_deref().unwrap_or("docker.io");
        let name = format!("{registry}/{}", img.repository);
        let ok = trusted.iter().any(|t| {
            let t = t.trim_end_matches('/');
            t == registry || name.starts_with(&format!("{t}/"))
        });
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
