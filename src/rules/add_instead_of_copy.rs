//! `add-instead-of-copy`: `ADD` of local files or folders, which `COPY` does without `ADD`'s
//! extra behaviours (fetching URLs, extracting archives).

use super::{At, Ctx, Report};
use crate::fix::{Edit, Fix};
use crate::syntax::Keyword;

crate::declare_rule! {
    slug: "add-instead-of-copy",
    codes: [DL3020: "use COPY instead of ADD for files and folders"],
    group: Style,
    severity: Warning,
    fix: Sometimes,
    since: "0.5.0",
    summary: "`ADD` of local files or folders: `COPY` does the same without `ADD`'s implicit extraction and downloads",
    hooks: { instruction: (&[Keyword::Add], check) },
}

/// Flags `COPY` has as well: with only these, `ADD` of plain local files is a `COPY`.
const SHARED_FLAGS: &[&str] = &["chown", "chmod", "link", "exclude"];

/// What a source names, as far as the text tells.
#[derive(PartialEq, Eq)]
enum Source {
    /// A URL or a git repository: `ADD` fetches it.
    Remote,
    /// A name a tar archive (maybe compressed) would have: `ADD` extracts it.
    Archive,
    /// A local file or folder (or a heredoc).
    Plain,
    /// A wildcard or a variable without a known value: may match an archive.
    Unsure,
}

fn check(ctx: &Ctx, at: &At, out: &mut Report) {
    let inst = at.inst;
    let words = inst.words();
    // A destination and at least one source, else it is a syntax error.
    let Some((_dest, sources)) = words.split_last() else {
        return;
    };
    if sources.is_empty() {
        return;
    }
    let kinds: Vec<Source> = sources
        .iter()
        .map(|w| classify(&w.value, at, ctx.model.escape))
        .collect();
    // Any plain source is a reason for COPY; a URL or an archive among them is `ADD`'s job.
    if !kinds.iter().any(|k| matches!(k, Source::Plain | Source::Unsure)) {
        return;
    }
    let remote_or_archive = kinds
        .iter()
        .any(|k| matches!(k, Source::Remote | Source::Archive));
    let d = out.report(
        inst.keyword_range.clone(),
        "use `COPY` instead of `ADD` for local files and folders",
    );
    if remote_or_archive {
        d.help("`ADD` also fetches or extracts some of these sources: copy the plain files with a `COPY` of their own");
        return;
    }
    let other_flag = inst
        .flags
        .iter()
        .find(|f| !SHARED_FLAGS.iter().any(|s| f.name.eq_ignore_ascii_case(s)));
    if let Some(f) = other_flag {
        d.help(format!(
            "`COPY` copies local files as they are; `{}` is a flag of `ADD` only, so there is no fix",
            f.raw
        ));
        return;
    }
    let new = if inst.keyword_text.chars().any(|c| c.is_ascii_lowercase()) {
        if inst.keyword_text.starts_with('A') {
            "Copy"
        } else {
            "copy"
        }
    } else {
        "COPY"
    };
    let title = format!("write `{new}`");
    let edits = vec![Edit::replace(inst.keyword_range.clone(), new)];
    let d = d.help("`COPY` copies local files as they are; `ADD` would also extract a tar archive");
    if kinds.contains(&Source::Unsure) {
        d.fix(Some(Fix::unsafe_(title, edits).rewriting_keyword()))
            .unsafe_because(
                "the fix is unsafe: a wildcard or variable source may match a tar archive, which `ADD` extracts and `COPY` does not",
            );
    } else {
        d.fix(Some(Fix::safe(title, edits).rewriting_keyword()));
    }
}

fn classify(text: &str, at: &At, escape: char) -> Source {
    if text.starts_with("<<") {
        return Source::Plain;
    }
    let Some(value) = at.context.scope.expand(text, escape) else {
        // Unknown: a URL written whole in a variable is as likely as a path.
        return if remote(text) { Source::Remote } else { Source::Unsure };
    };
    if remote(&value) {
        return Source::Remote;
    }
    if archive(&value) {
        return Source::Archive;
    }
    if value.contains(['*', '?', '[']) {
        return Source::Unsure;
    }
    Source::Plain
}

/// A URL (`https://`, `git://`, ...) or a git address (`git@host:repo`).
fn remote(s: &str) -> bool {
    s.contains("://") || s.starts_with("git@")
}

/// Whether a name is one a tar archive has, compressed or not, which `ADD` extracts.
fn archive(name: &str) -> bool {
    const EXTS: &[&str] = &[
        ".tar", ".tgz", ".taz", ".tbz", ".tbz2", ".tb2", ".txz", ".tlz", ".tzst", ".tz", ".gz",
        ".bz2", ".xz", ".zst", ".lz", ".lzma", ".z",
    ];
    let lower = name.trim_end_matches('/').to_ascii_lowercase();
    EXTS.iter().any(|e| lower.ends_with(e))
}

#[cfg(test)]
mod tests {
    #[test]
    fn archive_names() {
        for a in ["x.tar", "x.tar.gz", "X.TGZ", "x.tar.zst", "x.tar.xz", "x.Z", "x.gz"] {
            assert!(super::archive(a), "{a}");
        }
        for p in ["x.zip", "x.txt", "x.deb", "x.7z", "tar", "."] {
            assert!(!super::archive(p), "{p}");
        }
    }
}
