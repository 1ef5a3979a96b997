//! The build context: project files next to a Dockerfile that the conversion reads, and the
//! `.dockerignore` files that say what it leaves out, loaded only when a rule first looks at
//! them and cached per directory, so linting a tree reads each directory at most once and a
//! file that no rule asks about reads nothing.

pub mod dockerignore;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// Project files of the build context the converter reads (manifests only, small) and its
/// ignore files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildContext {
    /// Relative path (with `/`) to contents.
    pub files: BTreeMap<String, String>,
    /// Top-level entry names of the context, directories with a trailing `/`; empty when the
    /// context is unknown (stdin, or no directory).
    pub entries: Vec<String>,
}

/// Project files the strategies read, by exact name; plus every `*.csproj` / `*.fsproj`.
pub const MANIFESTS: &[&str] = &[
    "go.mod",
    "Cargo.toml",
    "package.json",
    "pom.xml",
    "build.gradle",
    "build.gradle.kts",
    "settings.gradle",
    "settings.gradle.kts",
    "gradle.properties",
    ".dockerignore",
];

/// Extensions of project files read from the context's top level.
pub const MANIFEST_EXTENSIONS: &[&str] = &["csproj", "fsproj", "vbproj"];

/// Ignore files read from the context's top level: `.dockerignore`, and
/// `<Dockerfile>.dockerignore` for the Dockerfile of that name.
pub const IGNORE_SUFFIX: &str = ".dockerignore";

/// Largest project file read from the build context.
const MAX_MANIFEST: u64 = 1 << 20;

/// Most directory entries looked at.
const MAX_ENTRIES: usize = 10_000;

impl BuildContext {
    pub fn get(&self, rel: &str) -> Option<&str> {
        let rel = rel.trim_start_matches("./");
        self.files.get(rel).map(String::as_str)
    }

    /// The ignore file that applies to the Dockerfile named `dockerfile` (a file name) and its
    /// text: `<dockerfile>.dockerignore` beside it takes precedence over the context's
    /// `.dockerignore`, as BuildKit reads them.
    pub fn dockerignore(&self, dockerfile: &str) -> Option<(String, &str)> {
        let own = format!("{dockerfile}{IGNORE_SUFFIX}");
        [own, IGNORE_SUFFIX.to_string()]
            .into_iter()
            .find_map(|name| self.files.get(&name).map(|t| (name, t.as_str())))
    }

    pub fn with_extension(&self, ext: &str) -> impl Iterator<Item = (&str, &str)> {
        let suffix = format!(".{ext}");
        self.files
            .iter()
            .filter(move |(k, _)| k.ends_with(&suffix))
            .map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The project files in `dir` (the Dockerfile's directory, taken as its build context).
    /// Unreadable files are left out.
    pub fn load(dir: &Path) -> BuildContext {
        let mut ctx = BuildContext::default();
        let Ok(entries) = std::fs::read_dir(dir) else {
            return ctx;
        };
        for entry in entries.flatten().take(MAX_ENTRIES) {
            let name = entry.file_name().to_string_lossy().into_owned();
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            ctx.entries.push(if is_dir {
                format!("{name}/")
            } else {
                name.clone()
            });
            let wanted = MANIFESTS.contains(&name.as_str())
                || MANIFEST_EXTENSIONS
                    .iter()
                    .any(|e| name.ends_with(&format!(".{e}")))
                || name.ends_with(IGNORE_SUFFIX);
            if !wanted || is_dir {
                continue;
            }
            let small = entry.metadata().is_ok_and(|m| m.len() <= MAX_MANIFEST);
            if let (true, Ok(text)) = (small, std::fs::read_to_string(entry.path())) {
                ctx.files.insert(name, text);
            }
        }
        ctx.entries.sort();
        ctx
    }
}

/// The directory a Dockerfile's build context is taken to be.
pub fn dir_of(dockerfile: &Path) -> Option<&Path> {
    match dockerfile.parent() {
        Some(d) if d.as_os_str().is_empty() => Some(Path::new(".")),
        Some(d) => Some(d),
        None => None,
    }
}

type Cell = Arc<OnceLock<Arc<BuildContext>>>;

/// Build contexts by directory, each loaded at most once (also when files of one directory are
/// linted in parallel). The CLI keeps one for a run, the LSP one until the workspace changes.
#[derive(Debug, Default)]
pub struct Contexts {
    by_dir: Mutex<HashMap<PathBuf, Cell>>,
}

impl Contexts {
    /// The lazily loaded context of a Dockerfile at `path`.
    pub fn for_file(&self, path: &Path) -> Lazy {
        let Some(dir) = dir_of(path) else {
            return Lazy::known(BuildContext::default());
        };
        let cell = {
            let mut map = self.by_dir.lock().unwrap_or_else(|e| e.into_inner());
            map.entry(dir.to_path_buf()).or_default().clone()
        };
        Lazy {
            dir: Some(dir.to_path_buf()),
            cell,
        }
    }

    /// Forget every loaded context (files changed).
    pub fn clear(&self) {
        self.by_dir
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    /// How many directories were read: for tests and benchmarks.
    pub fn loaded(&self) -> usize {
        self.by_dir
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .values()
            .filter(|c| c.get().is_some())
            .count()
    }
}

/// A build context read on first use.
#[derive(Debug, Clone, Default)]
pub struct Lazy {
    dir: Option<PathBuf>,
    cell: Cell,
}

impl Lazy {
    /// A context given as it is (tests, stdin).
    pub fn known(ctx: BuildContext) -> Lazy {
        let cell: Cell = Default::default();
        let _ = cell.set(Arc::new(ctx));
        Lazy { dir: None, cell }
    }

    /// The context, read now if nothing has read it yet.
    pub fn load(&self) -> &BuildContext {
        self.cell.get_or_init(|| {
            Arc::new(match &self.dir {
                Some(d) => BuildContext::load(d),
                None => BuildContext::default(),
            })
        })
    }

    /// Whether it has been read.
    pub fn is_loaded(&self) -> bool {
        self.cell.get().is_some()
    }
}

impl std::ops::Deref for Lazy {
    type Target = BuildContext;
    fn deref(&self) -> &BuildContext {
        self.load()
    }
}
