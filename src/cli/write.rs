//! Writing fixed files: atomically (temp file in the same directory, then rename), keeping the
//! file's permissions; never through a symlink that leads out of the tree being fixed.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Why a fixed file was not written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
pub enum WriteError {
    #[error("the file is read-only")]
    #[diagnostic(code(dlint::read_only))]
    ReadOnly,
    #[error("not fixed: it is a symlink to `{0}`, outside the tree being fixed")]
    #[diagnostic(code(dlint::symlink_escape))]
    SymlinkEscape(String),
    #[error("cannot write: {0}")]
    #[diagnostic(code(dlint::io))]
    Io(String),
}

/// Where to write `path`: itself, or the target of a symlink that stays under `root`.
pub fn resolve_target(path: &Path, root: &Path) -> Result<PathBuf, WriteError> {
    let meta = std::fs::symlink_metadata(path).map_err(|e| WriteError::Io(e.to_string()))?;
    if !meta.file_type().is_symlink() {
        return Ok(path.to_path_buf());
    }
    let target = std::fs::canonicalize(path).map_err(|e| WriteError::Io(e.to_string()))?;
    let root = std::fs::canonicalize(root).map_err(|e| WriteError::Io(e.to_string()))?;
    if target.starts_with(&root) {
        Ok(target)
    } else {
        Err(WriteError::SymlinkEscape(target.display().to_string()))
    }
}

/// Replace the file's contents atomically, keeping its permissions.
pub fn write_atomic(path: &Path, content: &str) -> Result<(), WriteError> {
    let meta = std::fs::metadata(path).map_err(|e| WriteError::Io(e.to_string()))?;
    if meta.permissions().readonly() {
        return Err(WriteError::ReadOnly);
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.dlint-{}.tmp", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(content.as_bytes())?;
        f.sync_all()?;
        std::fs::set_permissions(&tmp, meta.permissions())?;
        std::fs::rename(&tmp, path)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        WriteError::Io(e.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_permissions_and_refuses_read_only() {
        let dir = std::env::temp_dir().join(format!("dlint-write-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("Dockerfile");
        std::fs::write(&p, "FROM a\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
            write_atomic(&p, "FROM b\n").unwrap();
            assert_eq!(
                std::fs::metadata(&p).unwrap().permissions().mode() & 0o777,
                0o640
            );
        }
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "FROM b\n");
        let mut perms = std::fs::metadata(&p).unwrap().permissions();
        perms.set_readonly(true);
        std::fs::set_permissions(&p, perms).unwrap();
        assert_eq!(write_atomic(&p, "x"), Err(WriteError::ReadOnly));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
