//! `syntax-error`: what BuildKit itself would refuse to build.

use super::{Ctx, Report};
use crate::syntax::ErrorKind;

crate::declare_rule! {
    slug: "syntax-error",
    codes: [],
    group: Correctness,
    severity: Error,
    fix: None,
    since: "0.1.0",
    summary: "the Dockerfile cannot be parsed or built as written",
    offer_suppression: false,
    hooks: { file: check },
}

fn check(ctx: &Ctx, out: &mut Report) {
    for e in &ctx.model.errors {
        // Errors the grammar recovered from are the parser's business, not the user's.
        let ErrorKind::Build = e.kind else {
            continue;
        };
        out.report(e.range.clone(), e.message.clone());
    }
}
