//! Unified diffs of fixed files (`--diff`), from `similar`, with headers `patch -p1` accepts.

use std::path::{Component, Path, PathBuf};

/// A unified diff with `--- a/PATH` / `+++ b/PATH` headers; empty when nothing changed. `path`
/// is relative to where `patch -p1` will run (see [`patch_path`]); names with blanks, quotes,
/// backslashes or control characters are C-quoted as git writes them (`"a/my\tfile"`), which
/// GNU patch reads.
///
/// Fixes keep the instructions (only the multi-stage conversion adds some), so the texts are
/// diffed instruction by instruction, between the lines where the same instruction starts in
/// both: each piece is small, and a file with thousands of fixed lines diffs in linear time
/// instead of Myers' O(lines x changes).
pub fn unified(path: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let path = path.trim_start_matches("./").trim_start_matches('/');
    let old_lines: Vec<&str> = old.split_inclusive('\n').collect();
    let new_lines: Vec<&str> = new.split_inclusive('\n').collect();
    let mut ops = Vec::new();
    let (mut o, mut n) = (0, 0);
    let end = (old_lines.len(), new_lines.len());
    for (ao, an) in anchors(old, new).into_iter().chain([end]) {
        if ao < o || an < n || ao > end.0 || an > end.1 {
            continue;
        }
        ops.extend(similar::capture_diff(
            similar::Algorithm::Myers,
            &old_lines,
            o..ao,
            &new_lines,
            n..an,
        ));
        (o, n) = (ao, an);
    }
    let mut out = format!(
        "--- {}\n+++ {}\n",
        quote(&format!("a/{path}")),
        quote(&format!("b/{path}"))
    );
    for hunk in similar::group_diff_ops(ops, 3) {
        out.push_str(&format!(
            "{}\n",
            similar::udiff::UnifiedHunkHeader::new(&hunk)
        ));
        for op in &hunk {
            for change in op.iter_changes(&old_lines, &new_lines) {
                out.push_str(&change.tag().to_string());
                out.push_str(change.value());
                if change.missing_newline() {
                    out.push_str("\n\\ No newline at end of file\n");
                }
            }
        }
    }
    out
}

/// 0-based lines where the same instruction starts in `old` and `new`, when both have the same
/// number of instructions (otherwise none: the whole texts are diffed).
fn anchors(old: &str, new: &str) -> Vec<(usize, usize)> {
    let starts = |t: &str| -> Vec<usize> {
        crate::syntax::scan::scan(t)
            .instructions
            .iter()
            .map(|i| i.start_line - 1)
            .collect()
    };
    let (a, b) = (starts(old), starts(new));
    if a.len() != b.len() {
        return Vec::new();
    }
    a.into_iter().zip(b).collect()
}

/// Where a diff's header can point so that `patch -p1` finds the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatchPath {
    /// Under the current directory: `patch -p1` run here applies it.
    Relative(String),
    /// Outside it (`../x`, or absolute elsewhere): GNU patch refuses `..` and absolute names,
    /// so the header holds the absolute path and the diff applies with `patch -d / -p1`.
    Absolute(String),
}

/// The header path of `path` (as given on the command line) for diffs read from `cwd`.
pub fn patch_path(path: &Path, cwd: &Path) -> PatchPath {
    let escapes = path.is_absolute()
        || path
            .components()
            .any(|c| matches!(c, Component::ParentDir | Component::RootDir));
    if !escapes {
        return PatchPath::Relative(path.display().to_string());
    }
    let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| normalize(&cwd.join(path)));
    match absolute.strip_prefix(cwd) {
        Ok(rel) if !rel.as_os_str().is_empty() => PatchPath::Relative(rel.display().to_string()),
        _ => PatchPath::Absolute(absolute.display().to_string()),
    }
}

/// `a/./b/../c` -> `a/c`, without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

/// Git's quoting of unusual path names: `"..."` with C escapes, only when needed.
fn quote(name: &str) -> String {
    let needs = name
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '\\');
    if !needs {
        return name.to_string();
    }
    let mut out = String::from("\"");
    for c in name.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() || (c.is_whitespace() && c != ' ') => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("\\{b:03o}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_and_hunks() {
        let d = unified("./Dockerfile", "FROM a\nCMD x\n", "FROM a\nCMD [\"x\"]\n");
        assert!(
            d.starts_with("--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,2 +1,2 @@\n"),
            "{d}"
        );
        assert!(d.contains("-CMD x\n+CMD [\"x\"]\n"));
        assert_eq!(unified("x", "a", "a"), "");
        let d = unified("x", "FROM a\nRUN b", "FROM a\nRUN b && c");
        assert!(
            d.ends_with(
                "-RUN b\n\\ No newline at end of file\n+RUN b && c\n\\ No newline at end of file\n"
            ),
            "{d}"
        );
    }

    /// Diffed piece by piece or whole, the result is the same patch.
    #[test]
    fn anchored_diffs_match_whole_file_diffs() {
        let old = "FROM a\n# c\nRUN x\nRUN y \\\n  z\nCMD w\n".repeat(40);
        let new = old
            .replace("RUN x\n", "RUN x && q\n")
            .replace("CMD w", "CMD [\"w\"]");
        let ours = unified("D", &old, &new);
        let theirs = similar::TextDiff::from_lines(old.as_str(), new.as_str())
            .unified_diff()
            .context_radius(3)
            .header("a/D", "b/D")
            .to_string();
        assert_eq!(ours, theirs);
    }

    #[test]
    fn unusual_names_are_quoted() {
        assert_eq!(quote("a/my file"), "\"a/my file\"");
        assert_eq!(quote("a/t\tn\nq\"b\\"), "\"a/t\\tn\\nq\\\"b\\\\\"");
        assert_eq!(quote("a/é"), "a/é");
        assert_eq!(quote("a/\u{1}"), "\"a/\\001\"");
    }

    #[test]
    fn paths_outside_the_directory_are_absolute() {
        let cwd = Path::new("/w/project");
        assert_eq!(
            patch_path(Path::new("sub/Dockerfile"), cwd),
            PatchPath::Relative("sub/Dockerfile".into())
        );
        assert_eq!(
            patch_path(Path::new("/nonexistent-dlint/d/Dockerfile"), cwd),
            PatchPath::Absolute("/nonexistent-dlint/d/Dockerfile".into())
        );
        assert_eq!(
            patch_path(Path::new("../nonexistent-dlint/Dockerfile"), cwd),
            PatchPath::Absolute("/w/nonexistent-dlint/Dockerfile".into())
        );
        assert_eq!(
            patch_path(Path::new("/w/project/x/../Dockerfile"), cwd),
            PatchPath::Relative("Dockerfile".into())
        );
    }
}
