//! `consecutive-run`: a one-command RUN right after another one-command RUN with the same flags.
//!
//! As hadolint's DL3059 counts it: both RUNs run a single command (a command substitution or
//! an `if` counts as more), the RUNs follow each other in the stage with only comments and blank
//! lines between them, and their flags are the same (a different `--mount` or `--network` is a
//! reason to keep them apart). A RUN that chains commands already shows a choice about layers,
//! so it is left alone. The fix joins the two scripts with `&&` where that is mechanical.

use super::{Ctx, Report};
use crate::fix::{Edit, Fix};
use crate::shell::{command_count, Dialect, Form, Script};
use crate::syntax::{Args, Instruction, Keyword};

crate::declare_rule! {
    slug: "consecutive-run",
    codes: [DL3059: "multiple consecutive `RUN` instructions: consider consolidation"],
    group: Pedantic,
    severity: Info,
    fix: Sometimes,
    since: "0.5.0",
    summary: "a one-command RUN follows another one-command RUN: each adds a layer",
    hooks: { file: check },
}

/// Commands whose effect on the shell (directory, variables, options) would carry over into the
/// second script once the two are joined.
const STATEFUL: &[&str] = &[
    "cd", "pushd", "popd", "export", "set", "unset", "source", ".", "umask", "ulimit", "shopt",
    "alias", "declare", "typeset", "readonly", "local", "trap", "exec", "exit", "eval",
];

fn check(ctx: &Ctx, out: &mut Report) {
    let model = ctx.model;
    // A FROM between two RUNs separates them; a file without FROM (a template) is checked too.
    for (p, pair) in model.instructions.windows(2).enumerate() {
        let [prev_inst, inst] = pair else {
            continue;
        };
        let i = p + 1;
        if inst.keyword != Keyword::Run || prev_inst.keyword != Keyword::Run {
            continue;
        }
        if !same_flags(prev_inst, inst) || !single(ctx, p, prev_inst) || !single(ctx, i, inst) {
            continue;
        }
        let line = prev_inst.start_line;
        out.report(
            inst.keyword_range.start..inst.range.end.min(line_end(ctx, inst)),
            format!("`RUN` right after the one-command `RUN` on line {line}: each adds a layer"),
        )
        .label(prev_inst.keyword_range.clone(), "the previous `RUN`")
        .help("join the commands with `&&` in one `RUN`, unless they are kept apart on purpose (layer caching)")
        .fix(merge_fix(ctx, p, prev_inst, i, inst))
        .unsafe_because(
            "the fix is unsafe: the two commands now share one layer and one shell, so a change to either reruns both",
        );
    }
}

/// The end of the instruction's first line (the finding covers the keyword's line).
fn line_end(ctx: &Ctx, inst: &Instruction) -> usize {
    let text = &ctx.source.text;
    let start = inst.keyword_range.start.min(text.len());
    text.get(start..)
        .and_then(|t| t.find(['\r', '\n']))
        .map_or(inst.range.end, |k| start + k)
}

/// Both RUNs carry the same flags, in any order.
fn same_flags(a: &Instruction, b: &Instruction) -> bool {
    let mut fa: Vec<&str> = a.flags.iter().map(|f| f.raw.as_str()).collect();
    let mut fb: Vec<&str> = b.flags.iter().map(|f| f.raw.as_str()).collect();
    fa.sort_unstable();
    fb.sort_unstable();
    fa == fb
}

/// The RUN runs one command: an exec-form RUN always does; a shell-form one when its script
/// holds at most one command outside `sh -c` strings (`export` and `unset` count), or does not
/// parse (hadolint counts no command then). A heredoc RUN is a script of its own.
fn single(ctx: &Ctx, index: usize, inst: &Instruction) -> bool {
    if !inst.heredocs.is_empty() {
        return false;
    }
    match &inst.args {
        Args::Exec(_) => true,
        Args::Shell(sh) => match command_count(&sh.logical.text) {
            Some(n) => n <= 1,
            // Text bash cannot read counts as no command for a POSIX shell, as hadolint counts
            // it; under cmd or PowerShell it is most likely several statements.
            None => ctx
                .model
                .contexts
                .get(index)
                .is_some_and(|c| Dialect::of(&c.shell) == Dialect::Posix)
                && !ctx.model.stage_of(index).is_some_and(|s| s.windows),
        },
        _ => false,
    }
}

/// The second RUN's script appended to the first's with `&&`: both shell form on lines of their
/// own, with nothing but blank lines between them, and the first's command one whose effect on
/// the shell does not reach the second.
fn merge_fix(
    ctx: &Ctx,
    p: usize,
    prev: &Instruction,
    i: usize,
    inst: &Instruction,
) -> Option<Fix> {
    let (Args::Shell(a), Args::Shell(b)) = (&prev.args, &inst.args) else {
        return None;
    };
    let (sa, sb) = (ctx.scripts.get(p)?, ctx.scripts.get(i)?);
    if !mergeable(sa) || !mergeable(sb) {
        return None;
    }
    // `export`, `local` and the like are declarations, not commands, to bash: read the word.
    let first = a.logical.text.split_whitespace().next().unwrap_or("");
    if sa.commands.len() != 1
        || STATEFUL.contains(&first)
        || sa.commands.iter().any(|c| c.name().is_none_or(|n| STATEFUL.contains(&n)))
    {
        return None;
    }
    for text in [&a.logical.text, &b.logical.text] {
        let t = text.trim_end();
        if t.is_empty() || t.contains('#') || t.ends_with(['&', '|', ';', '\\']) {
            return None;
        }
    }
    let between = ctx.source.text.get(a.range.end..b.range.start)?;
    // Only the line break, blank lines and the second RUN's keyword and flags lie between.
    let keyword_at = inst.keyword_range.start.checked_sub(a.range.end)?;
    if !between.get(..keyword_at)?.trim().is_empty() {
        return None;
    }
    let nl = ctx.source.newline();
    let escape = ctx.model.escape;
    Some(Fix::unsafe_(
        "join the two `RUN`s with `&&`",
        vec![Edit::replace(
            a.range.end..b.range.start,
            format!(" {escape}{nl}    && "),
        )],
    )
    .removing_instructions())
}

/// A script whose text can be joined with `&&`: parsed, shell form, no early end.
fn mergeable(s: &Script) -> bool {
    s.clean && s.form == Form::Shell && s.too_deep.is_none() && s.ending.is_none()
}
