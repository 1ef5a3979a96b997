//! Which files are Dockerfiles, and walking directories with the `ignore` crate (honours .gitignore).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::source::{io_error, InputError};

/// `Dockerfile`, `Containerfile`, `*.Dockerfile`, `*.dockerfile`, `Dockerfile.*`, `Containerfile.*`;
/// BuildKit's per-Dockerfile ignore files (`Dockerfile.dockerignore`) are not Dockerfiles.
pub fn is_dockerfile_name(name: &str) -> bool {
    if name.ends_with(".dockerignore") {
        return false;
    }
    name == "Dockerfile"
        || name == "Containerfile"
        || name.ends_with(".Dockerfile")
        || name.ends_with(".dockerfile")
        || name.starts_with("Dockerfile.")
        || name.starts_with("Containerfile.")
}

/// A file to lint and the tree it was found in (the directory given, or the file's own
/// directory when the file was named): fixes never write through a symlink out of that tree.
/// The files of one walk share their root.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct FoundFile {
    pub path: Box<Path>,
    pub root: Arc<Path>,
}

/// What discovery found: files to lint (sorted), per-path errors, directories with no Dockerfile.
#[derive(Debug, Default)]
pub struct Found {
    pub files: Vec<FoundFile>,
    pub errors: Vec<(PathBuf, InputError)>,
    pub empty_dirs: Vec<PathBuf>,
}

/// Expand paths: files are taken as given; directories are walked for Dockerfile names.
pub fn discover(paths: &[PathBuf]) -> Found {
    let mut found = Found::default();
    for path in paths {
        match std::fs::metadata(path) {
            Err(e) => found.errors.push((path.clone(), io_error(e))),
            Ok(m) if m.is_dir() => {
                let before = found.files.len();
                walk(path, &mut found);
                if found.files.len() == before {
                    found.empty_dirs.push(path.clone());
                }
            }
            Ok(_) => found.files.push(FoundFile {
                path: path.as_path().into(),
                root: path
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .unwrap_or(Path::new("."))
                    .into(),
            }),
        }
    }
    found.files.sort();
    found.files.dedup_by(|a, b| a.path == b.path);
    found
}

/// Walk `dir` with the `ignore` crate's parallel walker (the order does not matter: the caller
/// sorts), honouring ignore files, skipping `.git`.
fn walk(dir: &Path, found: &mut Found) {
    let files = Mutex::new(Vec::new());
    let errors = Mutex::new(Vec::new());
    let root: Arc<Path> = dir.into();
    ignore::WalkBuilder::new(dir)
        .hidden(false)
        .require_git(false)
        .filter_entry(|e| e.file_name() != ".git")
        .build_parallel()
        .run(|| {
            // Each thread keeps its own finds and hands them over when it is done.
            let mut mine = Collector {
                root: root.clone(),
                files: Vec::new(),
                errors: Vec::new(),
                all_files: &files,
                all_errors: &errors,
            };
            Box::new(move |entry| {
                mine.take(entry);
                ignore::WalkState::Continue
            })
        });
    let mut files = files.into_inner().unwrap_or_else(|e| e.into_inner());
    if found.files.is_empty() {
        found.files = files;
    } else {
        found.files.append(&mut files);
    }
    let mut errors = errors.into_inner().unwrap_or_else(|e| e.into_inner());
    // The walk's order is the threads'; errors are reported by path.
    errors.sort_by(|a: &(PathBuf, InputError), b| {
        (&a.0, a.1.to_string()).cmp(&(&b.0, b.1.to_string()))
    });
    found.errors.extend(errors);
}

/// One walker thread's Dockerfiles and errors, added to the run's when the thread is done.
struct Collector<'a> {
    root: Arc<Path>,
    files: Vec<FoundFile>,
    errors: Vec<(PathBuf, InputError)>,
    all_files: &'a Mutex<Vec<FoundFile>>,
    all_errors: &'a Mutex<Vec<(PathBuf, InputError)>>,
}

impl Collector<'_> {
    fn take(&mut self, entry: Result<ignore::DirEntry, ignore::Error>) {
        match entry {
            Ok(e) => {
                let is_file = e.file_type().is_some_and(|t| t.is_file() || t.is_symlink());
                if is_file && is_dockerfile_name(&e.file_name().to_string_lossy()) {
                    // Boxed: no spare capacity for each of the run's paths.
                    self.files.push(FoundFile {
                        path: e.into_path().into_boxed_path(),
                        root: self.root.clone(),
                    });
                }
            }
            Err(err) => {
                let path = match &err {
                    ignore::Error::WithPath { path, .. } => path.clone(),
                    _ => self.root.to_path_buf(),
                };
                let msg = err.io_error().map_or_else(
                    || err.to_string(),
                    |e| io_error(std::io::Error::new(e.kind(), e.to_string())).to_string(),
                );
                self.errors.push((path, InputError::Io(msg)));
            }
        }
    }
}

impl Drop for Collector<'_> {
    fn drop(&mut self) {
        let mut files = self.all_files.lock().unwrap_or_else(|e| e.into_inner());
        files.append(&mut self.files);
        let mut errors = self.all_errors.lock().unwrap_or_else(|e| e.into_inner());
        errors.append(&mut self.errors);
    }
}

#[cfg(test)]
mod tests {
    use super::is_dockerfile_name;

    #[test]
    fn names() {
        for n in [
            "Dockerfile",
            "Containerfile",
            "api.Dockerfile",
            "x.dockerfile",
            "Dockerfile.dev",
            "Containerfile.prod",
        ] {
            assert!(is_dockerfile_name(n), "{n}");
        }
        for n in [
            "dockerfile.txt",
            "README.md",
            "Dockerfile.dockerignore",
            "MyDockerfile",
        ] {
            assert!(!is_dockerfile_name(n), "{n}");
        }
    }
}
