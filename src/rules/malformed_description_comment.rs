//! `malformed-description-comment`: a comment right above `FROM ... AS name` or `ARG` that is not a description of it.

use super::{At, Ctx, Report};
use crate::syntax::{Args, Keyword};

crate::declare_rule! {
    slug: "malformed-description-comment",
    codes: [InvalidDefinitionDescription: "comment for build stage or argument should follow the format `# <arg/stage name> <description>`"],
    group: Pedantic,
    severity: Warning,
    fix: None,
    since: "0.4.0",
    summary: "a comment right above a named `FROM` or an `ARG` does not start with its name",
    hooks: { instruction: (&[Keyword::From, Keyword::Arg], check) },
}

fn check(ctx: &Ctx, at: &At, out: &mut Report) {
    // Triggers are not read for descriptions.
    if at.onbuild {
        return;
    }
    let (model, inst) = (ctx.model, at.inst);
    // What the comment should start with, and where the finding points.
    let (keys, end): (Vec<&str>, usize) = match (&inst.keyword, &inst.args) {
        (Keyword::From, _) => {
            let Some(stage) = at.context.stage.and_then(|s| model.stages.get(s)) else {
                return;
            };
            let (Some(name), Some(range)) = (&stage.name, &stage.name_range) else {
                return;
            };
            (vec![name.as_str()], range.end)
        }
        (Keyword::Arg, Args::Pairs(pairs)) if !pairs.is_empty() => (
            pairs.iter().map(|p| p.key.as_str()).collect(),
            pairs.iter().map(|p| p.key_range.end).max().unwrap_or(inst.keyword_range.end),
        ),
        _ => return,
    };
    // BuildKit keeps the comment lines since the previous instruction (empty lines do not end
    // them, a line with only `#` does) and reads the last one.
    let prev_end = at
        .index
        .checked_sub(1)
        .and_then(|p| model.instructions.get(p))
        .map_or(0, |p| p.range.end);
    let k = model.comments.partition_point(|c| c.start < inst.range.start);
    let Some(comment) = k
        .checked_sub(1)
        .and_then(|k| model.comments.get(k))
        .filter(|c| c.start >= prev_end)
    else {
        return;
    };
    // Parser directives at the top are not comments to BuildKit.
    if model.directives.iter().any(|d| d.range.end == comment.end) {
        return;
    }
    // The text after the line's first byte (so an indented `#` stays in it), trimmed.
    let line_start = ctx.source.line_start(ctx.source.line_index(comment.start));
    let raw = ctx
        .source
        .text
        .as_bytes()
        .get(line_start + 1..comment.end)
        .unwrap_or_default();
    let text = String::from_utf8_lossy(raw);
    let text = text.trim();
    if text.is_empty() {
        return;
    }
    let first = text.split(' ').next().unwrap_or_default();
    if keys.contains(&first) {
        return;
    }
    let indented = ctx.source.text.as_bytes().get(line_start) != Some(&b'#');
    let kw = inst.keyword.as_str();
    let example = match keys.as_slice() {
        [one] => format!("`{one}`"),
        many => format!(
            "one of {}",
            many.iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    out.report(
        inst.keyword_range.start..end.max(inst.keyword_range.end),
        format!("the comment above this `{kw}` is read as its description but does not start with {example}"),
    )
    .label(comment.clone(), "read as the description")
    .help(if indented {
        format!("the comment is indented, and BuildKit then reads its `#` as the first word: start the line with `#` and the comment with {example}, or put a line with only `#` between the comment and the `{kw}`")
    } else {
        format!("start the comment with {example} (`# <name> <description>`), or put a line with only `#` between the comment and the `{kw}` (an empty line is not enough)")
    });
}
