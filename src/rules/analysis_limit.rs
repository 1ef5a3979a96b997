//! `analysis-limit`: part of the file goes past a limit that keeps dlint's work bounded, so that
//! part is not analysed (and no rule can vouch for it).

use super::{Ctx, Report};
use crate::syntax::{ErrorKind, Keyword};

crate::declare_rule! {
    slug: "analysis-limit",
    codes: [],
    group: Suspicious,
    severity: Warning,
    fix: None,
    since: "0.3.0",
    summary: "nesting or variable values beyond what dlint analyses: that part is not checked",
    hooks: { file: check },
}

fn check(ctx: &Ctx, out: &mut Report) {
    let model = ctx.model;
    for e in &model.errors {
        let ErrorKind::Limit = e.kind else {
            continue;
        };
        out.report(e.range.clone(), e.message.clone());
    }
    for (i, inst) in model.instructions.iter().enumerate() {
        let target = inst.sub.as_deref().unwrap_or(inst);
        if target.keyword != Keyword::Run {
            continue;
        }
        let Some(depth) = ctx.scripts.get(i).and_then(|s| s.too_deep) else {
            continue;
        };
        out.report(
            inst.keyword_range.clone(),
            format!(
                "the command is nested more than {} levels deep (substitutions, subshells, groups): dlint does not analyse it",
                crate::shell::MAX_NESTING.min(depth - 1)
            ),
        );
    }
}
