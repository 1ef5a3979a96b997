//! Unified diffs of fixed files (`--diff`), from `similar`.

/// A unified diff with `--- a/PATH` / `+++ b/PATH` headers; empty when nothing changed.
pub fn unified(path: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    // Relative headers as git writes them; an absolute path keeps one slash (`a/abs/path`).
    let path = path.trim_start_matches("./").trim_start_matches('/');
    let diff = similar::TextDiff::from_lines(old, new);
    let mut out = diff
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn headers_and_hunks() {
        let d = super::unified("./Dockerfile", "FROM a\nCMD x\n", "FROM a\nCMD [\"x\"]\n");
        assert!(
            d.starts_with("--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,2 +1,2 @@\n"),
            "{d}"
        );
        assert!(d.contains("-CMD x\n+CMD [\"x\"]\n"));
        assert_eq!(super::unified("x", "a", "a"), "");
    }
}
