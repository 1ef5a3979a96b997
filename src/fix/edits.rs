//! Shared edit builders: every fixer builds its edits here, never by splicing strings ad hoc.

use super::Edit;
use crate::model::{Dockerfile, Stage};
use crate::shell::{self, Form, Script, ShellWord, Span};
use crate::source::SourceFile;
use crate::syntax::{Args, Instruction, Keyword, ShellText};

/// Insert `--flag` after the instruction's last flag (or its keyword); for `ONBUILD RUN`,
/// after the trigger's keyword and flags, where the flag belongs.
pub fn insert_flag(inst: &Instruction, flag: &str) -> Edit {
    let target = inst.sub.as_deref().unwrap_or(inst);
    let at = target
        .flags
        .last()
        .map_or(target.keyword_range.end, |f| f.range.end);
    Edit::insert(at, format!(" {flag}"))
}

/// Insert ` word` right after a word (e.g. `--no-cache` after `apk add`).
pub fn insert_after(range_end: usize, text: &str) -> Edit {
    Edit::insert(range_end, format!(" {text}"))
}

/// Insert an argument after a command word, in the word's own form: ` --opt` in shell text,
/// `, "--opt"` after a JSON token of an exec-form RUN; `None` where the word's range is not
/// exactly its text (inside a JSON-encoded script).
pub fn insert_arg_after(word: &ShellWord, arg: &str) -> Option<Edit> {
    match word.span {
        Span::Exact => Some(insert_after(word.range.end, arg)),
        Span::Json => Some(Edit::insert(
            word.range.end,
            format!(", {}", serde_json::to_string(arg).ok()?),
        )),
        Span::Approximate => None,
    }
}

/// Append `cmd` to the end of a RUN's command chain, following its style: `&& cmd` on one line;
/// ` \` + newline + the last line's indentation for continued chains, with `&&` leading or
/// trailing as the file does, or `;` where the chain uses `;`. A RUN whose script is a heredoc
/// gets a new line before the terminator. A script that ends with `exit <status>` gets
/// `cmd && ` before the `exit`, so that the command still runs. `None` when the text cannot be
/// extended safely: exec form, a trailing comment, shell syntax errors, a script that ends in
/// `exec` or in an `exit` whose status comes from the command before it.
pub fn append_to_chain(
    source: &SourceFile,
    model: &Dockerfile,
    inst: &Instruction,
    script: &Script,
    cmd: &str,
) -> Option<Edit> {
    let Args::Shell(sh) = &inst.args else {
        return None;
    };
    if !script.clean || script.form != Form::Shell || script.too_deep.is_some() {
        return None;
    }
    if let Some(end) = &script.ending {
        return end
            .literal_exit
            .then(|| Edit::insert(end.start, format!("{cmd} && ")));
    }
    let nl = source.newline();
    if !inst.heredocs.is_empty() {
        // `RUN <<EOF` runs the heredoc: add a line before the terminator.
        let h = &inst.heredocs[0];
        if !shell::runs_heredoc(inst) || !h.terminated || h.content.text.is_empty() {
            return None;
        }
        let end = h.content.range_to_source(0..h.content.text.len()).end;
        let last_line = h
            .content
            .text
            .trim_end_matches('\n')
            .lines()
            .last()
            .unwrap_or("");
        if last_line.trim_end().ends_with(['\\', '&', '|']) {
            return None;
        }
        if !script.errexit {
            // Without `set -e` the script's status is its last command's: `&&` keeps a failing
            // last command failing the build, where a line of its own would hide it.
            return script.tail.map(|at| Edit::insert(at, format!(" && {cmd}")));
        }
        if has_comment(last_line) {
            return None;
        }
        let indent: String = last_line
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect();
        return Some(Edit::insert(end, format!("{indent}{cmd}{nl}")));
    }
    let text = &sh.logical.text;
    if has_comment(text) || text.trim_end().ends_with(['&', '|', ';']) {
        return None;
    }
    let src = &source.text[sh.range.clone()];
    let escape = model.escape;
    if !src.contains('\n') {
        return Some(Edit::insert(sh.range.end, format!(" && {cmd}")));
    }
    // The last physical line of the RUN, to copy its indentation and operator style.
    let last_start = src.rfind('\n').map_or(0, |i| i + 1);
    let last_line = &src[last_start..];
    let indent: String = last_line
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let body = last_line.trim_start();
    let sep = last_separator(text);
    let addition = if body.starts_with("&&") || body.starts_with("||") {
        format!(" {escape}{nl}{indent}&& {cmd}")
    } else if body.starts_with(';') {
        format!(" {escape}{nl}{indent}; {cmd}")
    } else if sep == ";" {
        format!("; {escape}{nl}{indent}{cmd}")
    } else {
        format!(" && {escape}{nl}{indent}{cmd}")
    };
    Some(Edit::insert(sh.range.end, addition))
}

/// `&&` or `;`: the operator that joins the script's last two commands.
fn last_separator(text: &str) -> &'static str {
    let and = text.rfind("&&");
    let semi = text.rfind(';');
    match (and, semi) {
        (Some(a), Some(s)) if s > a => ";",
        (None, Some(_)) => ";",
        _ => "&&",
    }
}

/// A `#` that starts a shell comment (after whitespace, outside quotes).
fn has_comment(text: &str) -> bool {
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) if c == q => quote = None,
            Some('"') if c == '\\' => {
                chars.next();
            }
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == '\\' => {
                chars.next();
            }
            None if c == '#' && prev.is_whitespace() => return true,
            None => {}
        }
        prev = c;
    }
    false
}

/// Replace a shell-form body with an exec-form JSON array.
pub fn to_exec_form(sh: &ShellText, argv: &[String]) -> Edit {
    Edit::replace(sh.range.clone(), exec_json(argv))
}

/// An exec-form JSON array: `["a", "b"]`.
pub fn exec_json(argv: &[String]) -> String {
    let items: Vec<String> = argv
        .iter()
        .map(|a| serde_json::to_string(a).unwrap_or_default())
        .collect();
    format!("[{}]", items.join(", "))
}

/// ` AS name` after a stage's base image, in the FROM keyword's casing.
pub fn add_stage_name(model: &Dockerfile, stage: &Stage, name: &str) -> Option<Edit> {
    let from = &model.instructions[stage.from];
    if from.keyword != Keyword::From || stage.name.is_some() {
        return None;
    }
    let base = from.words().first()?;
    let kw = if from.keyword_text.chars().any(|c| c.is_ascii_lowercase()) {
        "as"
    } else {
        "AS"
    };
    Some(Edit::insert(base.range.end, format!(" {kw} {name}")))
}

/// Insert a whole instruction (one line, no trailing newline in `text`) before `inst`, with the
/// same indentation.
pub fn insert_instruction_before(source: &SourceFile, inst: &Instruction, text: &str) -> Edit {
    let line_start = source.line_start(source.line_index(inst.range.start));
    let indent = &source.text[line_start..inst.range.start];
    let indent: String = indent.chars().take_while(|c| c.is_whitespace()).collect();
    Edit::insert(
        inst.range.start,
        format!("{text}{}{indent}", source.newline()),
    )
}

/// Insert a whole instruction after `inst` (after its heredocs too).
pub fn insert_instruction_after(source: &SourceFile, inst: &Instruction, text: &str) -> Edit {
    Edit::insert(inst.range.end, format!("{}{text}", source.newline()))
}

/// Replace a whole instruction (continuation and heredoc lines included).
pub fn replace_instruction(inst: &Instruction, text: &str) -> Edit {
    Edit::replace(inst.range.clone(), text)
}

/// Rename a named stage and every reference to it by name (`FROM`, `COPY --from`,
/// `RUN --mount=from=`); references by number keep working and are left alone.
pub fn rename_stage(model: &Dockerfile, stage: &Stage, new: &str) -> Vec<Edit> {
    use crate::model::Target;
    let mut out = Vec::new();
    if let Some(range) = &stage.name_range {
        out.push(Edit::replace(range.clone(), new));
    }
    for r in &model.stage_refs {
        let by_name = matches!(r.target, Target::Named(i) | Target::Later(i) if i == stage.index);
        if by_name
            && r.text
                .eq_ignore_ascii_case(stage.name.as_deref().unwrap_or_default())
        {
            out.push(Edit::replace(r.range.clone(), new));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::apply_edits;

    fn append(text: &str) -> String {
        let source = SourceFile::new("Dockerfile", text);
        let model = crate::analyze(&source);
        let i = model
            .instructions
            .iter()
            .position(|i| i.keyword == Keyword::Run)
            .unwrap();
        let script =
            crate::shell::script_of(&model.instructions[i], &model.contexts[i].shell).unwrap();
        match append_to_chain(
            &source,
            &model,
            &model.instructions[i],
            &script,
            "rm -rf /x",
        ) {
            Some(e) => apply_edits(&source.text, &[&e]),
            None => "<none>".into(),
        }
    }

    #[test]
    fn instructions_and_stage_renames() {
        let text = "FROM golang:1.22 AS build\n  RUN go build\nFROM build AS test\nFROM scratch\nCOPY --from=build /a /a\nRUN --mount=from=build,target=/b true\n";
        let source = SourceFile::new("Dockerfile", text);
        let model = crate::analyze(&source);
        let run = &model.instructions[1];
        let before = insert_instruction_before(&source, run, "WORKDIR /src");
        let after = insert_instruction_after(&source, run, "ENV X=1");
        assert_eq!(
            apply_edits(&source.text, &[&before, &after]),
            text.replace(
                "  RUN go build\n",
                "  WORKDIR /src\n  RUN go build\nENV X=1\n"
            )
        );
        let edits = rename_stage(&model, &model.stages[0], "go-builder");
        let refs: Vec<&Edit> = edits.iter().collect();
        assert_eq!(
            apply_edits(&source.text, &refs),
            "FROM golang:1.22 AS go-builder\n  RUN go build\nFROM go-builder AS test\nFROM scratch\nCOPY --from=go-builder /a /a\nRUN --mount=from=go-builder,target=/b true\n"
        );
        assert_eq!(edits.len(), 4);
        let replaced = replace_instruction(&model.instructions[3], "FROM alpine:3.20");
        assert!(apply_edits(&source.text, &[&replaced]).contains("\nFROM alpine:3.20\nCOPY"));
    }

    #[test]
    fn appends_in_the_chain_style() {
        assert_eq!(
            append("FROM a\nRUN apt-get update\n"),
            "FROM a\nRUN apt-get update && rm -rf /x\n"
        );
        assert_eq!(
            append("FROM a\nRUN apt-get update \\\n && apt-get install -y x\n"),
            "FROM a\nRUN apt-get update \\\n && apt-get install -y x \\\n && rm -rf /x\n"
        );
        assert_eq!(
            append("FROM a\nRUN apt-get update && \\\n\tapt-get install -y x\n"),
            "FROM a\nRUN apt-get update && \\\n\tapt-get install -y x && \\\n\trm -rf /x\n"
        );
        assert_eq!(
            append("FROM a\nRUN set -eux; \\\n    apt-get update; \\\n    apt-get install -y x\n"),
            "FROM a\nRUN set -eux; \\\n    apt-get update; \\\n    apt-get install -y x; \\\n    rm -rf /x\n"
        );
        assert_eq!(
            append("FROM a\r\nRUN a \\\r\n && b\r\n"),
            "FROM a\r\nRUN a \\\r\n && b \\\r\n && rm -rf /x\r\n"
        );
        assert_eq!(
            append("FROM a\nRUN <<EOF\napt-get update\nEOF\n"),
            "FROM a\nRUN <<EOF\napt-get update && rm -rf /x\nEOF\n"
        );
        assert_eq!(
            append("FROM a\nRUN <<EOF\nset -eux\napt-get update\n  apt-get install -y x\nEOF\n"),
            "FROM a\nRUN <<EOF\nset -eux\napt-get update\n  apt-get install -y x\n  rm -rf /x\nEOF\n"
        );
        assert_eq!(
            append("FROM a\nRUN <<EOF\nset -e\nset +e\napt-get update # lists\nEOF\n"),
            "FROM a\nRUN <<EOF\nset -e\nset +e\napt-get update && rm -rf /x # lists\nEOF\n"
        );
        assert_eq!(
            append("FROM a\nRUN <<EOF\napt-get update\ncat > /etc/x <<CONF\na=b\nCONF\nEOF\n"),
            "<none>"
        );
        assert_eq!(
            append("FROM a\nRUN <<EOF\nif true; then\n  apt-get update\nfi\nEOF\n"),
            "FROM a\nRUN <<EOF\nif true; then\n  apt-get update\nfi && rm -rf /x\nEOF\n"
        );
        assert_eq!(
            append("FROM a\nRUN <<EOF\napt-get update\nexit 0\nEOF\n"),
            "FROM a\nRUN <<EOF\napt-get update\nrm -rf /x && exit 0\nEOF\n"
        );
        assert_eq!(
            append("FROM a\nRUN apt-get update && exit 0\n"),
            "FROM a\nRUN apt-get update && rm -rf /x && exit 0\n"
        );
        assert_eq!(append("FROM a\nRUN apt-get update; exit\n"), "<none>");
        assert_eq!(append("FROM a\nRUN apt-get update && exec x\n"), "<none>");
        assert_eq!(
            append("FROM a\nRUN <<EOF cat > /x\napt-get update\nEOF\n"),
            "<none>"
        );
        assert_eq!(append("FROM a\nRUN apt-get update # lists\n"), "<none>");
        assert_eq!(append("FROM a\nRUN [\"apt-get\", \"update\"]\n"), "<none>");
    }
}
