//! `apt-get-without-yes`: `apt-get install` that would stop at apt's confirmation prompt.

use super::{At, Ctx, Report};
use crate::fix::{edits, Fix};
use crate::shell::Command;

crate::declare_rule! {
    slug: "apt-get-without-yes",
    codes: [DL3014: "use the `-y` switch to avoid manual input `apt-get -y install <package>`"],
    group: Correctness,
    severity: Warning,
    fix: Sometimes,
    since: "0.5.0",
    summary: "`apt-get install` without `-y` aborts the build at apt's confirmation prompt",
    hooks: { command: (&["apt-get", "apt"], check) },
}

fn check(ctx: &Ctx, at: &At, cmd: &Command, out: &mut Report) {
    let Some(a) = ctx.scripts.get(at.index).and_then(|s| s.apt_install_of(cmd)) else {
        return;
    };
    // `-y`, `--yes`, `--assume-yes`, `-qq` and `-o APT::Get::Assume-Yes=true` all answer yes;
    // an option that depends on a variable may be one of them, and so may a variable named
    // for options (`$APT_OPTS`, `${APT_FLAGS}`, `$INSTALL_ARGS`).
    let options_var = a.packages.iter().any(|p| {
        !p.is_known() && {
            let raw = p.word.raw.to_ascii_uppercase();
            ["OPT", "FLAG", "ARG"].iter().any(|k| raw.contains(k))
        }
    });
    if a.assume_yes() || options_var || a.options.iter().any(|o| o.variable) {
        return;
    }
    let Some(sub) = a.subcommand.as_ref() else {
        return;
    };
    let fix = edits::insert_arg_after(sub, "-y").map(|e| Fix::safe("add `-y`", vec![e]));
    out.report(
        cmd.range.clone(),
        format!(
            "`{} install` without `-y` asks for confirmation, and a build cannot answer",
            a.program
        ),
    )
    .help("add `-y` (`--yes`): without a terminal, apt reads no answer and aborts the install")
    .fix(fix);
}
