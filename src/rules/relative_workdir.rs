//! `relative-workdir`: a relative `WORKDIR`, which lands wherever the WORKDIR before it was:
//! BuildKit's `WorkdirRelativePath` for the first WORKDIR of a stage's line (the base image's
//! directory decides), hadolint's DL3000 for every relative one.

use super::{Ctx, Report};
use crate::fix::{Edit, Fix};
use crate::model::{clean_path, Base, Expansion, Stage};
use crate::syntax::{Args, Keyword, Word};

crate::declare_rule! {
    slug: "relative-workdir",
    codes: [
        WorkdirRelativePath | DL3000: "relative workdir without an absolute workdir declared within the build can have unexpected results if the base image changes",
        DL3000: "use absolute WORKDIR",
    ],
    group: Suspicious,
    severity: Warning,
    fix: Sometimes,
    since: "0.4.0",
    summary: "a relative `WORKDIR`, which depends on the working directory before it",
    hooks: { file: check },
}

fn check(ctx: &Ctx, out: &mut Report) {
    let model = ctx.model;
    for stage in &model.stages {
        // Whether a WORKDIR was set before, in this stage or a stage it is built on.
        let mut set = match stage.base {
            Base::Stage(p) => model.stages.get(p).is_some_and(|p| p.workdir_declared),
            _ => false,
        };
        for (i, inst) in model.stage_body(stage) {
            // ONBUILD triggers run in another build; neither tool looks at them.
            if inst.keyword != Keyword::Workdir {
                continue;
            }
            let Args::Words(words) = &inst.args else {
                continue;
            };
            let Some(word) = words.first() else {
                continue;
            };
            let first = !set;
            set = true;
            let scope = &model.contexts[i].scope;
            let Some(path) = relative_path(word, scope.expansion(&word.value, model.escape), stage.windows)
            else {
                continue;
            };
            let shown = word.raw.trim();
            let d = if first {
                out.report(
                    word.range.clone(),
                    format!("`WORKDIR {shown}` is relative to the base image's working directory, which may change"),
                )
                .code("WorkdirRelativePath")
            } else {
                out.report(
                    word.range.clone(),
                    format!("`WORKDIR {shown}` is relative to the `WORKDIR` before it"),
                )
                .code("DL3000")
            };
            let d = d.help(if path.starts_with('~') {
                "`WORKDIR` does not expand `~`: write the home directory out (`/root/...`)"
            } else if stage.windows {
                "start the path with a drive (`C:\\`)"
            } else {
                "start the path with `/`"
            });
            // The directory it lands in today: the WORKDIR in force (set in this file, or
            // `/` on scratch), or the one the base image is known to set.
            let here = model.contexts[i].workdir.known();
            let assumed = if first && here.is_none() {
                stage.image_workdir
            } else {
                None
            };
            let Some(base) = here.or(assumed) else {
                continue;
            };
            let Some(fix) = absolute_fix(word, &path, base, stage) else {
                continue;
            };
            match (assumed, image_name(ctx, stage)) {
                (Some(_), Some(image)) => {
                    d.fix(Some(Fix::unsafe_(format!("make it `{}`", fix.1), vec![fix.0])))
                        .unsafe_because(format!(
                            "the fix is unsafe: it takes `{image}`'s WORKDIR to be `{base}`, as its official images set it"
                        ));
                }
                _ => {
                    d.fix(Some(Fix::safe(format!("make it `{}`", fix.1), vec![fix.0])));
                }
            }
        }
    }
}

/// The path a WORKDIR sets when it is relative, on Linux or Windows; `None` when it is
/// absolute or depends on variables whose values decide it (`$HOME/app`).
fn relative_path(word: &Word, value: Expansion, windows: bool) -> Option<String> {
    let value = match value {
        Expansion::Known(v) => v,
        // `app/$X` is relative whatever `$X` holds.
        _ if !word.value.starts_with('$') => word.value.clone(),
        _ => return None,
    };
    let v = value.trim();
    (!is_absolute(v, windows)).then(|| v.to_string())
}

/// Absolute as BuildKit takes it: `/...`; on Windows also `\...`. A drive path (`C:\...`,
/// `C:/...`) is a Windows path, absolute there: it counts as absolute in any stage, since a
/// stage whose image dlint does not know may well be Windows.
fn is_absolute(path: &str, windows: bool) -> bool {
    match path.as_bytes() {
        [b'/', ..] => true,
        [d, b':', b'\\' | b'/', ..] => d.is_ascii_alphabetic(),
        [b'\\', b'\\', ..] => false,
        [b'\\', ..] => windows,
        _ => false,
    }
}

/// The edit making a plain relative path absolute against `base`, and the new path; only for
/// Linux paths written without quotes, variables or escapes.
fn absolute_fix(word: &Word, path: &str, base: &str, stage: &Stage) -> Option<(Edit, String)> {
    let plain = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "/._-+@,=".contains(c))
    };
    if stage.windows || !base.starts_with('/') || word.raw != path || !plain(path) {
        return None;
    }
    let abs = clean_path(&format!("{base}/{path}"));
    plain(&abs).then(|| (Edit::replace(word.range.clone(), abs.clone()), abs))
}

/// The image a stage's line starts from (through the stages it is built on).
fn image_name(ctx: &Ctx, stage: &Stage) -> Option<String> {
    let mut s = stage;
    // Parents come earlier: the walk ends.
    while let Base::Stage(p) = s.base {
        s = ctx.model.stages.get(p).filter(|p| p.index < s.index)?;
    }
    match &s.base {
        Base::Image(img) => Some(img.short_name()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::{Selection, Target};
    use crate::Settings;

    fn codes(text: &str, select: &[&str], ignore: &[&str]) -> Vec<(usize, &'static str)> {
        let s = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let sel = Selection::new(&s(select), &[], &s(ignore)).unwrap();
        let r = crate::check_source("Dockerfile", text, &Settings::with_selection(sel));
        r.diagnostics
            .iter()
            .map(|d| (r.source.line_col(d.range.start).line, d.code.unwrap_or("")))
            .collect()
    }

    const TEXT: &str = "FROM alpine\nWORKDIR app\nWORKDIR src\n";

    #[test]
    fn dl3000_names_every_relative_workdir() {
        let both = [(2, "WorkdirRelativePath"), (3, "DL3000")];
        assert_eq!(codes(TEXT, &["relative-workdir"], &[]), both);
        assert_eq!(codes(TEXT, &["DL3000"], &[]), both);
        assert_eq!(codes(TEXT, &["WorkdirRelativePath"], &[]), [both[0]]);
        assert!(codes(TEXT, &["relative-workdir"], &["DL3000"]).is_empty());
        assert_eq!(
            codes(TEXT, &["relative-workdir"], &["WorkdirRelativePath"]),
            [both[1]]
        );
    }

    #[test]
    fn suppressions_mean_what_their_tool_means() {
        let hadolint = "FROM alpine\n# hadolint ignore=DL3000\nWORKDIR app\n# hadolint ignore=DL3000\nWORKDIR src\n";
        assert!(codes(hadolint, &["relative-workdir"], &[]).is_empty());
        let buildkit = "# check=skip=WorkdirRelativePath\nFROM alpine\nWORKDIR app\nWORKDIR src\n";
        assert_eq!(codes(buildkit, &["relative-workdir"], &[]), [(4, "DL3000")]);
        let t = crate::rules::registry::find_target("dl3000").unwrap();
        assert!(matches!(t, Target::Code(_, c) if c.name == "DL3000"));
    }
}
