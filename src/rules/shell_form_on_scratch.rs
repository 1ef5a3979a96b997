//! `shell-form-on-scratch`: shell-form CMD/ENTRYPOINT/RUN/HEALTHCHECK in a stage with no `/bin/sh`.

use super::{At, Ctx, Report};
use crate::fix::{edits, Fix};
use crate::model::{clean_path, Base, Dockerfile};
use crate::syntax::{Args, Instruction, Keyword, ShellText};

crate::declare_rule! {
    slug: "shell-form-on-scratch",
    codes: [],
    group: Correctness,
    severity: Error,
    fix: Sometimes,
    since: "0.1.0",
    summary: "shell-form instruction in a stage that has no `/bin/sh` (scratch, distroless)",
    hooks: {
        instruction: (
            &[Keyword::Run, Keyword::Cmd, Keyword::Entrypoint, Keyword::Healthcheck],
            check,
        ),
    },
}

fn check(ctx: &Ctx, at: &At, out: &mut Report) {
    let model = ctx.model;
    // A trigger runs in the images built on this one, which have their own base.
    let Some(stage) = at.stage.filter(|s| s.shell_less && !at.onbuild) else {
        return;
    };
    let (i, inst) = (at.index, at.inst);
    let Some(shell_text) = shell_form(inst) else {
        return;
    };
    let shell = &at.context.shell;
    let program = shell.first().map(String::as_str).unwrap_or("/bin/sh");
    // A shell copied into the image (e.g. busybox) makes shell form work.
    if shell_copied_in(model, stage.index, i, program) {
        return;
    }
    let why = why_shell_less(model, stage.index);
    let what = match inst.keyword {
        Keyword::Healthcheck => "HEALTHCHECK CMD".to_string(),
        _ => inst.keyword_text.to_ascii_uppercase(),
    };
    let d = out.report(
        inst.keyword_range.start..shell_text.range.end,
        format!(
            "shell-form `{what}` runs `{}`, which {why} does not have",
            shell.join(" ")
        ),
    );
    match crate::shell::exec_form_argv(&shell_text.logical.text) {
        Ok(argv) => {
            let exec = edits::exec_json(&argv);
            d.help(format!("use the exec form: `{what} {exec}`"))
                .fix(Some(Fix::safe(
                    format!("rewrite to exec form `{what} {exec}`"),
                    vec![edits::to_exec_form(shell_text, &argv)],
                )));
        }
        Err(why) => {
            d.help(format!(
                "use the exec form (`{what} [\"program\", \"arg\"]`); no automatic fix because the command uses {why}, which needs a shell"
            ));
        }
    }
}

/// The shell-form text of CMD, ENTRYPOINT, RUN or HEALTHCHECK CMD.
fn shell_form(inst: &Instruction) -> Option<&ShellText> {
    match (&inst.keyword, &inst.args) {
        (Keyword::Cmd | Keyword::Entrypoint | Keyword::Run, Args::Shell(s)) => Some(s),
        (Keyword::Healthcheck, Args::Healthcheck(Some(a))) => match a.as_ref() {
            Args::Shell(s) => Some(s),
            _ => None,
        },
        _ => None,
    }
}

/// Why a stage has no shell, for the message: "a `scratch` stage", "`gcr.io/distroless/static`".
fn why_shell_less(model: &Dockerfile, mut index: usize) -> String {
    let first = index;
    loop {
        let s = &model.stages[index];
        match &s.base {
            Base::Stage(p) if *p < index => index = *p,
            Base::Scratch if index == first => return "a `scratch` stage".into(),
            Base::Scratch => {
                return format!(
                    "this stage, built on `scratch` through stage `{}`,",
                    model.stages[index]
                        .name
                        .clone()
                        .unwrap_or_else(|| index.to_string())
                )
            }
            Base::Image(_) => return format!("the image `{}`", s.base_text),
            _ => return "this stage".into(),
        }
    }
}

/// Whether a COPY/ADD before instruction `before` in this stage or its ancestors puts `program`
/// (or a directory holding it) into the image.
fn shell_copied_in(model: &Dockerfile, stage: usize, before: usize, program: &str) -> bool {
    let mut cur = Some(stage);
    while let Some(s) = cur {
        let st = &model.stages[s];
        for (i, inst) in model.stage_body(st) {
            if i >= before {
                break;
            }
            if !matches!(inst.keyword, Keyword::Copy | Keyword::Add) {
                continue;
            }
            let Some(dest) = inst.words().last() else {
                continue;
            };
            let dest = &dest.value;
            if !dest.starts_with('/') {
                // Relative destinations land in WORKDIR; we cannot rule out a shell there.
                if program.starts_with('/') {
                    continue;
                }
                return true;
            }
            let dest = clean_path(dest);
            let holds = dest == program
                || program.starts_with(&format!("{}/", dest.trim_end_matches('/')))
                || dest == "/";
            if holds {
                return true;
            }
        }
        cur = match st.base {
            Base::Stage(p) if p < s => Some(p),
            _ => None,
        };
    }
    false
}

#[cfg(test)]
mod tests {
    use crate::shell::exec_form_argv as exec_argv;

    #[test]
    fn exec_form_only_without_shell_syntax() {
        assert_eq!(
            exec_argv("./hello --x 1"),
            Ok(vec!["./hello".into(), "--x".into(), "1".into()])
        );
        assert_eq!(exec_argv("./hello $X"), Err("variables"));
        assert_eq!(exec_argv("a && b"), Err("command lists"));
        assert_eq!(exec_argv("X=1 ./a"), Err("a variable assignment"));
    }
}
