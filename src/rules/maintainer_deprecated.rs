//! `maintainer-deprecated`: `MAINTAINER` is deprecated; the OCI label says who maintains the image.

use super::{At, Ctx, Report};
use crate::fix::{edits, Fix};
use crate::syntax::{Args, Keyword};

crate::declare_rule! {
    slug: "maintainer-deprecated",
    codes: [MaintainerDeprecated | DL4000: "the MAINTAINER instruction is deprecated"],
    group: Style,
    severity: Warning,
    fix: Sometimes,
    since: "0.4.0",
    summary: "`MAINTAINER` is deprecated in favour of the `org.opencontainers.image.authors` label",
    hooks: { instruction: (&[Keyword::Maintainer], check) },
}

/// The label BuildKit's docs recommend instead.
const LABEL: &str = "org.opencontainers.image.authors";

fn check(ctx: &Ctx, at: &At, out: &mut Report) {
    // An ONBUILD trigger may not be MAINTAINER: that is a syntax error, not this rule's.
    if at.onbuild {
        return;
    }
    let inst = at.inst;
    let d = out
        .report(
            inst.keyword_range.clone(),
            "`MAINTAINER` is deprecated in favour of a label",
        )
        .help(format!("write `LABEL {LABEL}=\"...\"`"));
    let Some(value) = maintainer(inst) else {
        return;
    };
    // A later label of that name would be overridden by one put here; an instruction over
    // several lines may hold comments the rewrite would drop.
    let labelled = at.stage.is_some_and(|s| {
        ctx.model.stage_body(s).any(|(_, i)| {
            i.keyword == Keyword::Label
                && matches!(&i.args, Args::Pairs(p) if p.iter().any(|p| p.key == LABEL))
        })
    });
    if labelled || inst.start_line != inst.end_line {
        return;
    }
    let keyword = if inst.keyword_text.chars().any(|c| c.is_ascii_lowercase()) {
        "label"
    } else {
        "LABEL"
    };
    let text = format!("{keyword} {LABEL}={}", quoted(value, ctx.model.escape));
    d.fix(Some(
        Fix::unsafe_(
            format!("replace it with `{text}`"),
            vec![edits::replace_instruction(inst, &text)],
        )
        .rewriting_keyword(),
    ))
    .unsafe_because(
        "the fix is unsafe: the image's `Author` field is no longer set, and tools that read it see none",
    );
}

/// The maintainer text as BuildKit keeps it: the rest of the line, as written.
fn maintainer(inst: &crate::syntax::Instruction) -> Option<&str> {
    let w = inst.words().first()?;
    (!w.raw.trim().is_empty()).then_some(w.raw.trim())
}

/// A double-quoted LABEL value that reads back as `value`: the escape character, `"` and `$`
/// (LABEL expands variables, MAINTAINER does not) are escaped.
fn quoted(value: &str, escape: char) -> String {
    let mut out = String::from("\"");
    for c in value.chars() {
        if c == escape || c == '"' || c == '$' {
            out.push(escape);
        }
        out.push(c);
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn values_are_quoted_to_read_back_the_same() {
        assert_eq!(super::quoted("Jane <j@x>", '\\'), "\"Jane <j@x>\"");
        assert_eq!(super::quoted("a \"b\" $HOME \\", '\\'), "\"a \\\"b\\\" \\$HOME \\\\\"");
        assert_eq!(super::quoted("C:\\x $y", '`'), "\"C:\\x `$y\"");
    }
}
