//! `relative-copy-from`: `COPY --from` with a relative source resolves from `/`, not the WORKDIR.

use super::{Ctx, Report};
use crate::fix::{Edit, Fix};
use crate::model::{clean_path, Target, Workdir};
use crate::syntax::Keyword;
use crate::syntax::{Args, Word};

crate::declare_rule! {
    slug: "relative-copy-from",
    codes: [],
    group: Suspicious,
    severity: Warning,
    fix: Sometimes,
    since: "0.1.0",
    summary: "`COPY --from` with a relative source path, which resolves from the source's `/`",
    hooks: { file: check },
}

fn check(ctx: &Ctx, out: &mut Report) {
    let model = ctx.model;
    for r in &model.stage_refs {
        let inst = &model.instructions[r.instruction];
        if inst.keyword != Keyword::Copy {
            continue;
        }
        let (what, workdir, declared, default) = match &r.target {
            Target::Named(i) | Target::Index(i) => {
                let s = &model.stages[*i];
                let what = match &s.name {
                    Some(n) => format!("stage `{n}`"),
                    None => format!("stage `{i}`"),
                };
                (
                    what,
                    s.workdir.clone(),
                    s.workdir_declared,
                    (!s.workdir_declared).then_some(s.image_workdir).flatten(),
                )
            }
            Target::Image(img) => (
                format!("image `{}`", r.value),
                Workdir::Unknown,
                false,
                img.known_workdir(),
            ),
            // Unknown sources are `undefined-stage`'s business.
            _ => continue,
        };
        // A relative path is fine when the source's WORKDIR is `/` anyway: set so, or the
        // default of an image that sets none.
        if workdir.known().or(default) == Some("/") {
            continue;
        }
        let words = inst.words();
        let Some((_dest, sources)) = words.split_last() else {
            continue;
        };
        let scope = &model.contexts[r.instruction].scope;
        for src in sources {
            // `<<name` is a heredoc: inline content, not a path in the source stage.
            let heredoc = inst.heredocs.iter().any(|h| {
                h.opener_range.start < src.range.end && src.range.start < h.opener_range.end
            });
            if heredoc {
                continue;
            }
            let value = scope.expand(&src.value, model.escape);
            // Unknown variables may well expand to an absolute path.
            let Some(value) = value else {
                continue;
            };
            if value.starts_with('/') || looks_windows(&value) {
                continue;
            }
            let d = out.report(
                src.range.clone(),
                format!("`{value}` is resolved from the root of {what}, not from its WORKDIR"),
            );
            let d = match workdir.known() {
                Some(w) => d.help(format!(
                    "{what} has WORKDIR `{w}`: write `{}` if that is what you meant, or `/{}` to keep the current meaning",
                    clean_path(&format!("{w}/{value}")),
                    value.trim_start_matches("./")
                )),
                None => match default {
                    Some(w) => d.help(format!(
                        "its base image sets WORKDIR `{w}`: write `{}` if that is what you meant, or `/{}` to keep the current meaning",
                        clean_path(&format!("{w}/{value}")),
                        value.trim_start_matches("./")
                    )),
                    None => d.help(format!(
                        "write the absolute path (`/{}`) to make the meaning explicit",
                        value.trim_start_matches("./")
                    )),
                },
            };
            // Declared in the file: safe. Only the base image's documented default: unsafe.
            let fix = match (workdir.known(), declared, default) {
                (Some(w), true, _) => {
                    absolute(inst, src, w, &value).map(|(title, e)| Fix::safe(title, vec![e]))
                }
                (None, _, Some(w)) => {
                    absolute(inst, src, w, &value).map(|(title, e)| Fix::unsafe_(title, vec![e]))
                }
                _ => None,
            };
            d.fix(fix);
        }
    }
}

/// Replace a source word with its absolute path under `workdir`, keeping the form it is written in.
fn absolute(
    inst: &crate::syntax::Instruction,
    word: &Word,
    workdir: &str,
    value: &str,
) -> Option<(String, Edit)> {
    let path = clean_path(&format!("{workdir}/{value}"));
    // Keep a trailing slash: it tells COPY the source is a directory.
    let path = if value.ends_with('/') && path != "/" {
        format!("{path}/")
    } else {
        path
    };
    let content = match &inst.args {
        Args::Exec(_) => serde_json::to_string(&path).ok()?,
        _ if word.raw == word.value
            && !path.contains(|c: char| c.is_whitespace() || "\\\"'$".contains(c)) =>
        {
            path.clone()
        }
        _ => return None,
    };
    Some((
        format!("write `{path}`"),
        Edit::replace(word.range.clone(), content),
    ))
}

fn looks_windows(p: &str) -> bool {
    let b = p.as_bytes();
    b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':' || p.starts_with('\\')
}
