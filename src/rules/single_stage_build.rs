//! `single-stage-build`: the shipped stage compiles or builds, so the image carries the toolchain.

use super::registry::{Ctx, FixAvailability, Group, Rule};
use crate::convert;
use crate::diagnostic::{Diagnostic, Severity};
use crate::fix::Fix;

pub const RULE: Rule = Rule {
    slug: "single-stage-build",
    aliases: &[],
    group: Group::Size,
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    since: "0.2.0",
    summary: "the final image is the stage that builds: it ships the compiler, caches and sources",
    doc: include_str!("../../lints/single-stage-build.md"),
    late: false,
    check,
};

fn check(ctx: &Ctx, rule: &Rule, out: &mut Vec<Diagnostic>) {
    let input = convert::Input {
        source: ctx.source,
        model: ctx.model,
        scripts: ctx.scripts,
        context: ctx.context,
        images: &ctx.options.convert_images,
    };
    let Some(found) = convert::find(&input) else {
        return;
    };
    let mut d = rule.diagnostic(found.range, found.message);
    if let Some(step) = found.step {
        d = d.label(step, "the build step");
    }
    let d = match found.conversion {
        Ok(c) => d.help(c.note).fix(Some(
            Fix::unsafe_(
                format!(
                    "convert to a multi-stage build with a `{}` runtime stage",
                    c.runtime
                ),
                c.edits,
            )
            .restructuring(),
        )),
        Err(why) => d.help(format!("no automatic conversion: {why}")),
    };
    out.push(d);
}
