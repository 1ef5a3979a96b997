//! `shell-form-cmd`: shell-form `CMD`/`ENTRYPOINT` run the program under a shell that does not pass signals on.

use super::{Ctx, Report};
use crate::fix::{edits, Fix};
use crate::model::{Base, Dockerfile};
use crate::shell::{self, Dialect};
use crate::syntax::{Args, Keyword};

crate::declare_rule! {
    slug: "shell-form-cmd",
    codes: [JSONArgsRecommended | DL3025: "JSON arguments recommended for ENTRYPOINT/CMD to prevent unintended behavior related to OS signals"],
    group: Suspicious,
    severity: Warning,
    fix: Sometimes,
    since: "0.4.0",
    summary: "`CMD` or `ENTRYPOINT` in shell form: the program runs under a shell and misses signals",
    hooks: { file: check_file },
}

/// What each stage inherits and sets, read once per file (a file may have many stages and
/// instructions: nothing here walks them more than once).
struct Stages {
    /// A `SHELL` is in force from the stage's start (set in a stage it is built on).
    inherited_shell: Vec<bool>,
    /// What may receive a `CMD` of the stage as arguments.
    entrypoint: Vec<Option<String>>,
    /// The stage sets a `CMD`.
    sets_cmd: Vec<bool>,
}

impl Stages {
    fn of(model: &Dockerfile) -> Stages {
        let n = model.stages.len();
        let mut out = Stages {
            inherited_shell: Vec::with_capacity(n),
            entrypoint: Vec::with_capacity(n),
            sets_cmd: Vec::with_capacity(n),
        };
        // Whether the body sets a SHELL (an `ONBUILD SHELL` too: it runs in the stages built
        // on this one) or an ENTRYPOINT.
        let mut body_shell = Vec::with_capacity(n);
        let mut body_entrypoint = Vec::with_capacity(n);
        for stage in &model.stages {
            let (mut shell, mut entrypoint, mut cmd) = (false, false, false);
            for (_, i) in model.stage_body(stage) {
                let kw = i.sub.as_deref().map_or(i.keyword, |s| s.keyword);
                shell |= kw == Keyword::Shell;
                entrypoint |= kw == Keyword::Entrypoint;
                cmd |= i.keyword == Keyword::Cmd;
            }
            let parent = match stage.base {
                Base::Stage(p) if p < stage.index => Some(p),
                _ => None,
            };
            let inherited = parent.is_some_and(|p| body_shell[p] || out.inherited_shell[p]);
            let from = if entrypoint {
                Some("the stage's `ENTRYPOINT`".to_string())
            } else if let Some(p) = parent {
                if body_entrypoint[p] {
                    let name = model.stages[p].name.clone();
                    Some(format!(
                        "the `ENTRYPOINT` of stage `{}`",
                        name.unwrap_or_else(|| p.to_string())
                    ))
                } else {
                    out.entrypoint[p].clone()
                }
            } else {
                match &stage.base {
                    Base::Scratch => None,
                    Base::Image(img) if img.known_without_entrypoint() => None,
                    Base::Image(_) => Some(format!(
                        "an `ENTRYPOINT` that the image `{}` may set",
                        stage.base_text
                    )),
                    _ => Some("an `ENTRYPOINT` that the base image may set".into()),
                }
            };
            body_shell.push(shell);
            body_entrypoint.push(entrypoint);
            out.inherited_shell.push(inherited);
            out.entrypoint.push(from);
            out.sets_cmd.push(cmd);
        }
        out
    }
}

fn check_file(ctx: &Ctx, out: &mut Report) {
    let model = ctx.model;
    let stages = Stages::of(model);
    // BuildKit is quiet once a SHELL is in force: choosing the shell says shell form is meant.
    let mut shell_set = stages.inherited_shell.clone();
    for (i, inst) in model.instructions.iter().enumerate() {
        // A trigger runs in the builds of images made from this one: BuildKit checks it there.
        if inst.sub.is_some() {
            continue;
        }
        let Some(s) = model.contexts[i].stage else {
            continue;
        };
        match inst.keyword {
            Keyword::Shell => shell_set[s] = true,
            Keyword::Cmd | Keyword::Entrypoint if !shell_set[s] => {
                check(ctx, i, s, &stages, out);
            }
            _ => {}
        }
    }
}

fn check(ctx: &Ctx, index: usize, stage: usize, stages: &Stages, out: &mut Report) {
    let inst = &ctx.model.instructions[index];
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
    let shell = &ctx.model.contexts[index].shell;
    let kw = inst.keyword.as_str();
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
        Keyword::Entrypoint => unsafe_why.push(if stages.sets_cmd[stage] {
            "an exec-form `ENTRYPOINT` gets the stage's `CMD` as arguments, which shell form ignores".to_string()
        } else {
            "an exec-form `ENTRYPOINT` gets the arguments of `docker run` as its own, which shell form ignores".to_string()
        }),
        _ => {
            if let Some(from) = &stages.entrypoint[stage] {
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
