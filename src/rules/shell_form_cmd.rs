//! `shell-form-cmd`: shell-form `CMD`/`ENTRYPOINT` run the program under a shell that does not pass signals on.

use super::{At, Ctx, Report};
use crate::fix::{edits, Fix};
use crate::model::{Base, Dockerfile, Stage};
use crate::shell::{self, Dialect};
use crate::syntax::{Args, Instruction, Keyword};

crate::declare_rule! {
    slug: "shell-form-cmd",
    codes: [JSONArgsRecommended | DL3025: "JSON arguments recommended for ENTRYPOINT/CMD to prevent unintended behavior related to OS signals"],
    group: Suspicious,
    severity: Warning,
    fix: Sometimes,
    since: "0.4.0",
    summary: "`CMD` or `ENTRYPOINT` in shell form: the program runs under a shell and misses signals",
    hooks: { instruction: (&[Keyword::Cmd, Keyword::Entrypoint], check) },
}

fn check(ctx: &Ctx, at: &At, out: &mut Report) {
    // A trigger runs in the builds of images made from this one: BuildKit checks it there.
    if at.onbuild {
        return;
    }
    let (model, inst) = (ctx.model, at.inst);
    let Some(stage) = at.stage else {
        return;
    };
    let shell_text = match &inst.args {
        Args::Shell(s) => Some(s),
        // `CMD` with nothing after it is shell form too; a broken JSON array is a build error.
        Args::None
            if ctx.source.text[inst.keyword_range.end..inst.range.end]
                .trim()
                .is_empty() =>
        {
            None
        }
        _ => return,
    };
    // BuildKit is quiet once a SHELL is in force: choosing the shell says shell form is meant.
    if shell_set(model, stage, at.index) {
        return;
    }
    let kw = inst.keyword.as_str();
    let shell = &at.context.shell;
    let d = out.report(
        inst.keyword_range.start..shell_text.map_or(inst.keyword_range.end, |s| s.range.end),
        format!(
            "shell-form `{kw}` runs the program under `{}`, which does not pass signals on to it",
            shell.join(" ")
        ),
    );
    let Some(sh) = shell_text else {
        d.help(format!(
            "write the command as a JSON array: `{kw} [\"program\", \"arg\"]`"
        ));
        return;
    };
    let text = sh.logical.text.trim();
    let no_fix = |why: &str| {
        format!(
            "use the exec form (`{kw} [\"program\", \"arg\"]`); no automatic fix because {why}"
        )
    };
    if text.starts_with('[') {
        d.help(no_fix(
            "this is not a JSON array of double-quoted strings, so BuildKit reads it as a shell command",
        ));
        return;
    }
    if has_comment_lines(&ctx.source.text[sh.range.clone()]) {
        d.help(no_fix("the comment lines inside the instruction would be lost"));
        return;
    }
    let windows = Dialect::of(shell) == Dialect::Cmd;
    let argv = shell::exec_form_argv(text).and_then(|argv| {
        let cmd_syntax = argv.iter().any(|a| a.contains(['%', '^']));
        if windows && cmd_syntax {
            Err("cmd's `%` or `^` syntax")
        } else {
            Ok(argv)
        }
    });
    let argv = match argv {
        Ok(argv) => argv,
        Err(why) => {
            d.help(no_fix(&format!(
                "the command uses {why}, which needs a shell: run it from a script in exec form, or set `SHELL` to say shell form is meant"
            )));
            return;
        }
    };
    let exec = edits::exec_json(&argv);
    let mut unsafe_why = Vec::new();
    if windows {
        unsafe_why.push(
            "on Windows exec form does not run the command through `cmd /S /C`, so cmd's builtins (`echo`, `dir`, `set`) stop working".to_string(),
        );
    }
    match inst.keyword {
        Keyword::Entrypoint => unsafe_why.push(if stage_sets_cmd(model, stage) {
            "an exec-form `ENTRYPOINT` gets the stage's `CMD` as arguments, which shell form ignores".to_string()
        } else {
            "an exec-form `ENTRYPOINT` gets the arguments of `docker run` as its own, which shell form ignores".to_string()
        }),
        _ => {
            if let Some(from) = entrypoint(model, stage) {
                let mut shell_argv = shell.to_vec();
                shell_argv.push(text.to_string());
                unsafe_why.push(format!(
                    "{from} then receives `{exec}` as arguments instead of `{}`",
                    edits::exec_json(&shell_argv)
                ));
            }
        }
    }
    if argv[0].ends_with(".sh") {
        unsafe_why.push(
            "a script without a `#!` line runs in shell form but does not start in exec form"
                .to_string(),
        );
    }
    let fix = Fix::safe(
        format!("rewrite to exec form `{kw} {exec}`"),
        vec![edits::to_exec_form(sh, &argv)],
    );
    let d = d
        .help(format!("use the exec form: `{kw} {exec}`"))
        .fix(Some(fix));
    if !unsafe_why.is_empty() {
        d.unsafe_because(format!("the fix is unsafe: {}", unsafe_why.join("; ")));
    }
}

/// Whether a `SHELL` is in force at instruction `before` of `stage`: set earlier in the stage,
/// or in a stage it is built on (directly or by an `ONBUILD SHELL` there, which runs in the
/// stages built on it).
fn shell_set(model: &Dockerfile, stage: &Stage, before: usize) -> bool {
    let sets_shell = |i: &Instruction, triggers: bool| {
        i.keyword == Keyword::Shell
            || triggers && i.sub.as_deref().is_some_and(|s| s.keyword == Keyword::Shell)
    };
    if model
        .stage_body(stage)
        .any(|(i, inst)| i < before && sets_shell(inst, false))
    {
        return true;
    }
    ancestors(model, stage).any(|s| model.stage_body(s).any(|(_, i)| sets_shell(i, true)))
}

/// The stages `stage` is built on, nearest first.
fn ancestors<'m>(model: &'m Dockerfile, stage: &Stage) -> impl Iterator<Item = &'m Stage> {
    let mut cur = stage.index;
    std::iter::from_fn(move || match model.stages.get(cur)?.base {
        Base::Stage(p) if p < cur => {
            cur = p;
            model.stages.get(p)
        }
        _ => None,
    })
}

/// What may run this stage's `CMD` as its arguments: an `ENTRYPOINT` of the stage or of a
/// stage it is built on, or a base image that may set one.
fn entrypoint(model: &Dockerfile, stage: &Stage) -> Option<String> {
    let sets = |s: &Stage| {
        model.stage_body(s).any(|(_, i)| {
            i.keyword == Keyword::Entrypoint
                || i.sub.as_deref().is_some_and(|s| s.keyword == Keyword::Entrypoint)
        })
    };
    if sets(stage) {
        return Some("the stage's `ENTRYPOINT`".into());
    }
    let mut root = stage;
    for s in ancestors(model, stage) {
        if sets(s) {
            return Some(format!(
                "the `ENTRYPOINT` of stage `{}`",
                s.name.clone().unwrap_or_else(|| s.index.to_string())
            ));
        }
        root = s;
    }
    match &root.base {
        Base::Scratch => None,
        Base::Image(img) if img.known_without_entrypoint() => None,
        Base::Image(_) => Some(format!(
            "an `ENTRYPOINT` that the image `{}` may set",
            root.base_text
        )),
        _ => Some("an `ENTRYPOINT` that the base image may set".into()),
    }
}

/// Whether the stage sets a `CMD` (which an `ENTRYPOINT` of the stage then receives).
fn stage_sets_cmd(model: &Dockerfile, stage: &Stage) -> bool {
    model
        .stage_body(stage)
        .any(|(_, i)| i.keyword == Keyword::Cmd)
}

/// Whether an instruction's source has comment lines inside its continuations.
fn has_comment_lines(src: &str) -> bool {
    src.lines().skip(1).any(|l| l.trim_start().starts_with('#'))
}

#[cfg(test)]
mod tests {
    fn fixed(text: &str, unsafe_ok: bool) -> String {
        let settings = crate::Settings {
            rules: vec![&super::RULE],
            ..Default::default()
        };
        crate::fix_source("Dockerfile", text, &settings, unsafe_ok).fixed
    }

    #[test]
    fn continued_commands_become_one_array() {
        assert_eq!(
            fixed("FROM scratch\nCMD /app \\\n    --port 80 \\\n    --name 'a b'\n", false),
            "FROM scratch\nCMD [\"/app\", \"--port\", \"80\", \"--name\", \"a b\"]\n"
        );
    }

    #[test]
    fn both_shell_form_rules_converge_on_scratch() {
        let rules = vec![&super::RULE, &crate::rules::shell_form_on_scratch::RULE];
        let settings = crate::Settings {
            rules,
            ..Default::default()
        };
        let text = "FROM scratch\nENTRYPOINT exec /app --name 'a b'\nCMD /app\n";
        let outcome = crate::fix_source("Dockerfile", text, &settings, false);
        assert!(outcome.converged);
        assert_eq!(
            outcome.fixed,
            "FROM scratch\nENTRYPOINT [\"/app\", \"--name\", \"a b\"]\nCMD [\"/app\"]\n"
        );
    }
}
