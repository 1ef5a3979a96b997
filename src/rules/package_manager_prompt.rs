//! `package-manager-prompt`: a dnf, yum or zypper command that changes packages without its
//! assume-yes option stops at the confirmation prompt, which a build cannot answer.
//!
//! Which options answer yes is the shell layer's reading ([`Action::assume_yes`]); apt's
//! `-y` is another rule's (hadolint's DL3014). microdnf never prompts.

use super::{At, Ctx, Report};
use crate::fix::{edits, Fix};
use crate::shell::packages::{Action, Kind, Manager};
use crate::syntax::Keyword;

crate::declare_rule! {
    slug: "package-manager-prompt",
    codes: [
        DL3038: "use the `-y` switch to avoid manual input: `dnf install -y <package>`",
        DL3030: "use the `-y` switch to avoid manual input: `yum install -y <package>`",
        DL3034: "non-interactive switch missing from `zypper` command: `zypper install -y`",
    ],
    group: Correctness,
    severity: Warning,
    fix: Sometimes,
    since: "0.5.0",
    summary: "a dnf, yum or zypper command without `-y` waits for an answer the build cannot give",
    hooks: { instruction: (&[Keyword::Run], check) },
}

fn check(ctx: &Ctx, at: &At, out: &mut Report) {
    let Some(script) = ctx.scripts.get(at.index) else {
        return;
    };
    for (cmd, action) in script.commands.iter().zip(script.actions()) {
        let Some(action) = action else {
            continue;
        };
        let Some(code) = code_of(action) else {
            continue;
        };
        if action.assume_yes() {
            continue;
        }
        let Some(sub) = &action.subcommand else {
            continue;
        };
        let Some(verb) = action.sub() else {
            continue;
        };
        // `dnf group install`, `dnf module install`: the verb is the next word.
        let nested = matches!(verb, "group" | "groups" | "module")
            .then(|| action.operands.first())
            .flatten();
        let (word, verb) = match nested.and_then(|w| Some((w, w.value.as_deref()?))) {
            Some((w, v)) => (w, format!("{verb} {v}")),
            None => (sub, verb.to_string()),
        };
        let prog = &action.program;
        let fix = edits::insert_arg_after(word, "-y")
            .map(|e| Fix::safe(format!("add `-y` to `{prog} {verb}`"), vec![e]));
        out.report(
            cmd.range.clone(),
            format!("`{prog} {verb}` without `-y` stops at its confirmation prompt, which fails the build"),
        )
        .help(format!("answer the prompt with `{prog} {verb} -y`"))
        .fix(fix)
        .code(code);
    }
}

/// The code of a command that asks before it changes packages.
fn code_of(a: &Action) -> Option<&'static str> {
    if !matches!(a.kind, Kind::Install | Kind::Remove | Kind::Upgrade) {
        return None;
    }
    match (a.manager, a.program.as_str()) {
        (Manager::Dnf, "yum") => Some("DL3030"),
        // microdnf does not ask.
        (Manager::Dnf, "microdnf") => None,
        (Manager::Dnf, _) => Some("DL3038"),
        (Manager::Zypper, _) => Some("DL3034"),
        _ => None,
    }
}
