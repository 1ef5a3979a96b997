//! `mismatched-as-casing`: the `AS` of `FROM ... AS name` is cased differently from `FROM`.

use super::{At, Ctx, Report};
use crate::fix::{Edit, Fix};
use crate::syntax::{Instruction, Keyword, Word};

crate::declare_rule! {
    slug: "mismatched-as-casing",
    codes: [FromAsCasing: "the 'as' keyword should match the case of the 'from' keyword"],
    group: Style,
    severity: Warning,
    fix: Always,
    since: "0.4.0",
    summary: "the `AS` of a `FROM` is not cased like the `FROM` keyword",
    hooks: { instruction: (&[Keyword::From], check) },
}

fn check(_ctx: &Ctx, at: &At, out: &mut Report) {
    // ONBUILD cannot carry FROM (a syntax error, not this rule's).
    if at.onbuild {
        return;
    }
    let inst = at.inst;
    let Some((kw, want)) = mismatched_as(inst) else {
        return;
    };
    out.report(
        kw.range.clone(),
        format!("`{}` is not cased like `{}`", kw.value, inst.keyword_text),
    )
    .help(format!("write `{} ... {want}`", inst.keyword_text))
    .fix(Some(Fix::safe(
        format!("write `{want}`"),
        vec![Edit::replace(kw.range.clone(), want)],
    )));
}

/// The `AS` word of a `FROM <image> AS <name>` whose casing differs from an all-lowercase or
/// all-uppercase `FROM`, and the casing it should have. A mixed-case `FROM` (`From`) has no
/// casing for `AS` to follow: BuildKit leaves it alone (`inconsistent-keyword-casing` flags it).
pub fn mismatched_as(inst: &Instruction) -> Option<(&Word, &'static str)> {
    let [_, kw, _] = inst.words() else {
        return None;
    };
    // BuildKit reads FROM's words as written: a quoted `"as"` is no `AS`.
    if !kw.value.eq_ignore_ascii_case("as") || kw.raw != kw.value {
        return None;
    }
    let from = &inst.keyword_text;
    let want = if *from == from.to_ascii_lowercase() {
        "as"
    } else if *from == from.to_ascii_uppercase() {
        "AS"
    } else {
        return None;
    };
    (kw.value != want).then_some((kw, want))
}
