//! `copy-ignored-file`: `COPY` or `ADD` of a build-context path that `.dockerignore` leaves
//! out of the context, so the build fails or copies less (BuildKit's `CopyIgnoredFile`).

use super::{Ctx, Report};
use crate::context::dockerignore::{clean, Budget, Ignore};
use crate::syntax::{Args, Instruction, Keyword, Word};

crate::declare_rule! {
    slug: "copy-ignored-file",
    codes: [CopyIgnoredFile: "attempting to copy a file that is excluded by .dockerignore"],
    group: Correctness,
    severity: Warning,
    fix: None,
    since: "0.4.0",
    summary: "`COPY` or `ADD` of a path that `.dockerignore` excludes from the build context",
    hooks: { file: check },
}

fn check(ctx: &Ctx, out: &mut Report) {
    let model = ctx.model;
    // The sources to look at, before reading the context: most files have none that count.
    let mut sources: Vec<(&Instruction, &Word, String)> = Vec::new();
    for (i, inst) in model.instructions.iter().enumerate() {
        // ONBUILD triggers copy from the context of another build.
        if !matches!(inst.keyword, Keyword::Copy | Keyword::Add) {
            continue;
        }
        // `--from` copies from a stage, an image or a named context, not this directory.
        if inst.flag("from").is_some() {
            continue;
        }
        if model.stage_of(i).is_some_and(|s| s.windows) {
            continue;
        }
        let words = match &inst.args {
            Args::Words(w) | Args::Exec(w) => w,
            _ => continue,
        };
        let Some((_dest, srcs)) = words.split_last() else {
            continue;
        };
        let scope = &model.contexts[i].scope;
        for w in srcs {
            let Some(value) = scope.expand(&w.value, model.escape) else {
                continue;
            };
            let Some(path) = context_path(inst.keyword, &value) else {
                continue;
            };
            sources.push((inst, w, path));
        }
    }
    if sources.is_empty() {
        return;
    }
    let name = ctx
        .source
        .path
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("Dockerfile");
    let Some((file, text)) = ctx.context.dockerignore(name) else {
        return;
    };
    let ignore = Ignore::parse(text);
    if ignore.patterns.is_empty() {
        return;
    }
    let mut budget = Budget::DEFAULT;
    for (inst, word, path) in sources {
        let Ok(found) = ignore.excluding(&path, &mut budget) else {
            return;
        };
        let Some(pattern) = found else {
            continue;
        };
        let kw = inst.keyword.as_str();
        out.report(
            word.range.clone(),
            format!(
                "`{kw}` source `{}` is excluded from the build context by `{file}` (line {}: `{}`)",
                word.value, pattern.line, pattern.text
            ),
        )
        .help(format!(
            "the build does not send it, so `{kw}` fails or copies less: take it out of `{file}`, add an exception (`!{path}`), or copy another path"
        ));
    }
}

/// The context path a source names (cleaned, relative to the context root), or `None` for
/// what is not one path of the context: a URL or git source of `ADD`, a heredoc, a wildcard
/// (which files it takes is not known here), the context root itself.
fn context_path(keyword: Keyword, source: &str) -> Option<String> {
    if source.starts_with("<<") || source.contains(['*', '?', '[']) {
        return None;
    }
    if keyword == Keyword::Add
        && (source.contains("://") || source.starts_with("git@") || source.contains(".git#"))
    {
        return None;
    }
    let cleaned = clean(&format!("/{source}"));
    let path = cleaned.trim_start_matches('/');
    (!path.is_empty()).then(|| path.to_string())
}

#[cfg(test)]
mod tests {
    use crate::context::{BuildContext, Lazy};
    use crate::Settings;

    fn lint(path: &str, text: &str, files: &[(&str, &str)]) -> Vec<(usize, String)> {
        let ctx = BuildContext {
            files: files
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            entries: files.iter().map(|(k, _)| k.to_string()).collect(),
        };
        let settings = Settings {
            context: Lazy::known(ctx),
            ..Settings::with_rules(vec![&super::RULE])
        };
        let r = crate::check_source(path, text, &settings);
        r.diagnostics
            .iter()
            .map(|d| (r.source.line_col(d.range.start).line, d.message.clone()))
            .collect()
    }

    const TEXT: &str = "FROM alpine\nARG DIR=secrets\nCOPY a.txt ./b.txt /x/ /dst/\nCOPY --from=build a.txt /\nADD https://example.com/a.txt /\nCOPY ${DIR}/k /k\nCOPY *.txt . /\nONBUILD COPY a.txt /\nCOPY [\"/b.txt\", \"/\"]\nCOPY <<a.txt /\nhi\na.txt\n";

    #[test]
    fn sources_the_context_lacks() {
        let got = lint("Dockerfile", TEXT, &[(".dockerignore", "*.txt\nsecrets\n!a.txt\n")]);
        let lines: Vec<usize> = got.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [3, 6, 9], "{got:#?}");
        assert!(got[0].1.contains("`./b.txt`") && got[0].1.contains("line 1: `*.txt`"));
    }

    #[test]
    fn the_dockerfiles_own_ignore_file_takes_precedence() {
        let files = [
            (".dockerignore", "a.txt\n"),
            ("prod.Dockerfile.dockerignore", "b.txt\n"),
        ];
        let text = "FROM alpine\nCOPY a.txt /\nCOPY b.txt /\n";
        let lines = |p| lint(p, text, &files).iter().map(|(l, _)| *l).collect::<Vec<_>>();
        assert_eq!(lines("ctx/prod.Dockerfile"), [3]);
        assert_eq!(lines("ctx/Dockerfile"), [2]);
        assert!(lint("Dockerfile", text, &[]).is_empty());
    }
}
