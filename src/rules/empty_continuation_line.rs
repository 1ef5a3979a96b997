//! `empty-continuation-line`: an empty line inside a continued instruction, which BuildKit
//! has deprecated.

use super::{Ctx, Report};
use crate::fix::{Edit, Fix};
use crate::syntax::scan::empty_continuation_lines;

crate::declare_rule! {
    slug: "empty-continuation-line",
    codes: [NoEmptyContinuation: "empty continuation lines will become errors in a future release"],
    group: Style,
    severity: Warning,
    fix: Always,
    since: "0.4.0",
    summary: "an instruction continued over lines has an empty line inside",
    hooks: { file: check },
}

fn check(ctx: &Ctx, out: &mut Report) {
    let text = &ctx.source.text;
    for inst in &ctx.model.instructions {
        // Most instructions are one line: nothing to look at.
        if inst.start_line == inst.end_line {
            continue;
        }
        let lines = empty_continuation_lines(text, inst.range.start, ctx.model.escape);
        let Some(first) = lines.first() else {
            continue;
        };
        // The finding is on the first empty line; BuildKit's warning points at the
        // instruction's last line.
        let content = |r: &std::ops::Range<usize>| {
            let line = text.get(r.clone()).unwrap_or("");
            r.start..r.start + line.trim_end_matches(['\n', '\r']).len()
        };
        let n = lines.len();
        let mut d = out
            .report(
                content(first),
                format!(
                    "empty continuation line in `{}`",
                    inst.keyword_text
                ),
            )
            .help(if n == 1 {
                "BuildKit skips it and warns that a future release will refuse it: remove it, or make it a comment".to_string()
            } else {
                format!("the instruction has {n} empty lines; BuildKit skips them and warns that a future release will refuse them: remove them, or make them comments")
            });
        for r in lines.iter().skip(1) {
            d = d.label(content(r), "another empty line");
        }
        let title = if n == 1 {
            "remove the empty line".to_string()
        } else {
            format!("remove the {n} empty lines")
        };
        d.fix(Some(Fix::safe(
            title,
            lines.into_iter().map(Edit::delete).collect(),
        )));
    }
}
