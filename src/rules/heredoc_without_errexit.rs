//! `heredoc-without-errexit`: a RUN heredoc script without `set -e` passes over failing commands.
//!
//! Which commands a failure goes unnoticed in is the shell layer's reading
//! ([`crate::shell::errexit`]); this rule finds the heredocs a shell runs as a script, tells
//! whether that shell already runs with `-e` (the SHELL's options, a shebang's, or those of a
//! shell fed the heredoc), and offers `set -e` as the script's first line.

use super::{At, Ctx, Report};
use crate::fix::{Edit, Fix};
use crate::shell::errexit::{self, shell_errexit};
use crate::shell::{basename, runs_heredoc, Dialect, Script, SHELLS};
use crate::syntax::{Args, Heredoc, Keyword};

crate::declare_rule! {
    slug: "heredoc-without-errexit",
    codes: [],
    group: Suspicious,
    severity: Warning,
    fix: Always,
    since: "0.4.0",
    summary: "a RUN heredoc script without `set -e`: only its last command's failure fails the build",
    hooks: { instruction: (&[Keyword::Run], check) },
}

fn check(ctx: &Ctx, at: &At, out: &mut Report) {
    // The heredocs of an `ONBUILD RUN` are the ONBUILD's: the trigger gets them here.
    let trigger;
    let inst = if at.onbuild {
        trigger = crate::syntax::Instruction {
            heredocs: at.outer.heredocs.clone(),
            ..at.inst.clone()
        };
        &trigger
    } else {
        at.inst
    };
    // Windows images run shell-form RUN with cmd or PowerShell, and ignore shebangs.
    if at.stage.is_some_and(|s| s.windows) || Dialect::of(&at.context.shell) != Dialect::Posix {
        return;
    }
    let (Args::Shell(_), [heredoc]) = (&inst.args, inst.heredocs.as_slice()) else {
        return;
    };
    if !heredoc.terminated || heredoc.content.text.trim().is_empty() {
        return;
    }
    let onbuild_script;
    let script = if at.onbuild {
        let Some(s) = crate::shell::script_of(inst, &at.context.shell) else {
            return;
        };
        onbuild_script = s;
        &onbuild_script
    } else {
        let Some(s) = ctx.scripts.get(at.index) else {
            return;
        };
        s
    };
    let Some(runner) = runner(inst, heredoc, &at.context.shell, script) else {
        return;
    };
    if runner.errexit {
        return;
    }
    let found = errexit::unchecked(&heredoc.content, false);
    if !found.clean {
        return;
    }
    let Some((first, name)) = found.commands.first() else {
        return;
    };
    let what = match name {
        Some(n) => format!("a failing `{n}`"),
        None => "a failing command substitution".to_string(),
    };
    let message = match &found.late_errexit {
        Some(_) => format!(
            "the heredoc script turns on `set -e` only after its first commands: {what} before it does not fail the build"
        ),
        None => format!(
            "the heredoc script runs without `set -e`: {what} does not fail the build, only the last command's status counts"
        ),
    };
    let start = at.outer.range.start;
    let mut d = out
        .report(first.clone(), message)
        .label(start..heredoc.opener_range.end, "this script runs without errexit")
        .help(format!(
            "start the script with `set -e`{}, or join the commands with `&&`",
            runner.shebang.map_or("", |_| " (after the shebang line)")
        ));
    if let Some(late) = &found.late_errexit {
        d = d.label(late.clone(), "`set -e` is turned on only here");
    }
    d.fix(Some(set_e_fix(ctx, heredoc, runner.shebang)))
        .unsafe_because(
            "the fix is unsafe: a command whose failure the script passed over (`grep` finding nothing, a `cd` into a missing directory) now fails the build",
        );
}

/// What runs a heredoc as a script.
struct Runner {
    /// The shell runs with `-e` already.
    errexit: bool,
    /// The script's first line is a shebang ending at this logical offset (after its newline).
    shebang: Option<usize>,
}

/// How the heredoc of `inst` runs: as the RUN's script under the stage's SHELL (or its shebang's
/// interpreter), or fed to a shell on the command line (`RUN bash -e <<EOF`); `None` when it is
/// data for another program or a script for a shell that is not POSIX.
fn runner(
    inst: &crate::syntax::Instruction,
    heredoc: &Heredoc,
    shell: &[String],
    script: &Script,
) -> Option<Runner> {
    let text = &heredoc.content.text;
    if runs_heredoc(inst) {
        // BuildKit runs a script with a shebang as a file, and any other with the SHELL.
        if let Some(rest) = text.strip_prefix("#!") {
            let line = rest.lines().next().unwrap_or("");
            let argv: Vec<&str> = line.split_whitespace().collect();
            let args = interpreter_args(&argv)?;
            let end = text.find('\n').map_or(text.len(), |i| i + 1);
            return Some(Runner {
                errexit: shell_errexit(&args),
                shebang: Some(end),
            });
        }
        let argv: Vec<&str> = shell.iter().map(String::as_str).collect();
        return Some(Runner {
            errexit: shell_errexit(&interpreter_args(&argv)?),
            shebang: None,
        });
    }
    // `RUN bash <<EOF`, `RUN <<EOF sudo sh -e`: one shell reading the heredoc on its input.
    let mut top = script.commands.iter().filter(|c| c.nested == 0);
    let (Some(cmd), None) = (top.next(), top.next()) else {
        return None;
    };
    let argv = cmd.argv();
    let name = argv.first()?.value.as_deref().map(basename)?;
    if !SHELLS.contains(&name) {
        return None;
    }
    let args: Vec<&str> = argv[1..]
        .iter()
        .map(|w| w.value.as_deref())
        .collect::<Option<_>>()?;
    // An operand is a script file; `-c` a script string: the heredoc is then only input.
    if args
        .iter()
        .any(|a| !a.starts_with(['-', '+']) || (a.ends_with('c') && !a.starts_with("--")))
    {
        return None;
    }
    Some(Runner {
        errexit: shell_errexit(&args),
        shebang: None,
    })
}

/// The options a POSIX-shell interpreter line gives the shell (`/usr/bin/env -S bash -e` ->
/// `-e`); `None` when the interpreter is not a POSIX shell.
fn interpreter_args<'a>(argv: &[&'a str]) -> Option<Vec<&'a str>> {
    let owned: Vec<String> = argv.iter().map(|s| s.to_string()).collect();
    if Dialect::of(&owned) != Dialect::Posix {
        return None;
    }
    let mut rest = argv.iter().copied();
    let first = rest.next()?;
    let mut rest: Vec<&str> = rest.collect();
    if matches!(basename(first), "env" | "busybox") {
        // `env -S bash -e`: the shell is the first word that is not an option.
        let k = rest.iter().position(|w| !w.starts_with('-'))?;
        rest.drain(..=k);
    }
    Some(rest)
}

/// Insert `set -e` as the script's first line (after a shebang), indented like the line after it.
fn set_e_fix(ctx: &Ctx, heredoc: &Heredoc, shebang: Option<usize>) -> Fix {
    let text = &heredoc.content.text;
    let at = shebang.unwrap_or(0);
    let next = text[at.min(text.len())..].lines().next().unwrap_or("");
    let indent: String = next
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let source_at = heredoc.content.to_source(at);
    Fix::unsafe_(
        "insert `set -e` as the script's first line",
        vec![Edit::insert(
            source_at,
            format!("{indent}set -e{}", ctx.source.newline()),
        )],
    )
}
