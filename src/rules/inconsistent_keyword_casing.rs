//! `inconsistent-keyword-casing`: an instruction keyword not cased like the file's majority.

use super::{Ctx, Report};
use crate::fix::{Edit, Fix};
use crate::syntax::{Instruction, Keyword};

crate::declare_rule! {
    slug: "inconsistent-keyword-casing",
    codes: [ConsistentInstructionCasing: "all instruction keywords should use the same casing"],
    group: Style,
    severity: Warning,
    fix: Always,
    since: "0.4.0",
    summary: "an instruction keyword is not cased like most keywords of the file",
    hooks: { file: check },
}

/// How a keyword is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    Lower,
    Upper,
    Mixed,
}

fn case_of(word: &str) -> Case {
    if word == word.to_ascii_lowercase() {
        Case::Lower
    } else if word == word.to_ascii_uppercase() {
        Case::Upper
    } else {
        Case::Mixed
    }
}

fn check(ctx: &Ctx, out: &mut Report) {
    let model = ctx.model;
    // What BuildKit counts: the instructions of stages (FROM and those after it; the ARGs
    // before the first FROM are not part of any stage), ONBUILD as itself, not its trigger.
    let counted: Vec<&Instruction> = model
        .instructions
        .iter()
        .zip(&model.contexts)
        .filter(|(i, c)| c.stage.is_some() && i.keyword != Keyword::Unknown)
        .map(|(i, _)| i)
        .collect();
    let (mut lower, mut upper) = (0usize, 0usize);
    for inst in &counted {
        match case_of(&inst.keyword_text) {
            Case::Lower => lower += 1,
            Case::Upper => upper += 1,
            Case::Mixed => {}
        }
    }
    // A tie goes to uppercase, as in BuildKit.
    let (want, name) = if lower > upper {
        (Case::Lower, "lowercase")
    } else {
        (Case::Upper, "uppercase")
    };
    let recase = |s: &str| match want {
        Case::Lower => s.to_ascii_lowercase(),
        _ => s.to_ascii_uppercase(),
    };
    for inst in counted {
        let kw = &inst.keyword_text;
        if case_of(kw) == want {
            continue;
        }
        let new = recase(kw);
        let mut edits = vec![Edit::replace(inst.keyword_range.clone(), new.clone())];
        // `FROM ... AS` keeps its `AS` cased like `FROM` (`mismatched-as-casing`): the edit is
        // made even when `AS` already has that casing, so that the two rules' fixes overlap
        // and only this one is applied, instead of `mismatched-as-casing` recasing `AS` to
        // the old casing of `FROM` in the same pass.
        if let [_, as_kw, _] = inst.words() {
            if inst.keyword == Keyword::From
                && as_kw.value.eq_ignore_ascii_case("as")
                && as_kw.raw == as_kw.value
            {
                edits.push(Edit::replace(as_kw.range.clone(), recase(&as_kw.value)));
            }
        }
        let message = if lower == upper {
            format!("keyword `{kw}` should be uppercase: neither casing has a majority in the file")
        } else {
            format!("keyword `{kw}` should be {name}, like most keywords of the file")
        };
        out.report(inst.keyword_range.clone(), message).help(format!(
            "{upper} keywords are uppercase and {lower} lowercase (mixed ones count for neither); BuildKit asks for the majority's casing, uppercase on a tie: write `{new}`"
        ))
        .fix(Some(
            Fix::safe(format!("write `{new}`"), edits).rewriting_keyword(),
        ));
    }
}
