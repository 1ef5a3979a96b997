//! `.pre-commit-hooks.yaml` run by the real `pre-commit` (PyPI), as a user's repository runs it.
//!
//! pre-commit builds dlint itself with `cargo install --path .` from a git repository at a commit.
//! The tests give it one: a snapshot of this checkout's working tree (tracked and untracked files
//! that `.gitignore` does not exclude, so uncommitted work is what gets tested), committed with
//! fixed dates into `target/tmp/pre-commit-src` without touching this checkout's own `.git`. The
//! same tree gives the same commit, so the environment pre-commit installs in
//! `target/tmp/pre-commit-home` (its `PRE_COMMIT_HOME`) is reused across tests and runs; any
//! change to the sources is a new commit and a new install. `cargo install` compiles into
//! `target/tmp/pre-commit-target`, so a new install recompiles only the dlint crate.
//!
//! `pre-commit try-repo` always installs into a store of its own in a temporary directory (it
//! ignores `PRE_COMMIT_HOME`), so only one test uses it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use crate::common::TempDir;

/// Leaves apt's package lists in the image: `cache-in-layer`, whose safe fix appends the cleanup.
const BAD: &str =
    "FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n";
/// [`BAD`] after `dlint --fix`.
const FIXED: &str =
    "FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n";
/// No findings.
const CLEAN: &str = "FROM debian:12-slim\nCMD [\"true\"]\n";

/// The snapshot repository and commit pre-commit installs the hooks from.
struct HookRepo {
    path: PathBuf,
    rev: String,
}

fn tmp() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
}

/// A command with no inherited `GIT_*` (a test run from inside a git hook would otherwise act on
/// the outer repository) or `DLINT_*` variables.
fn command(program: &str) -> Command {
    let mut c = Command::new(program);
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy();
        if k.starts_with("GIT_") || k.starts_with("DLINT_") {
            c.env_remove(&*k);
        }
    }
    c
}

/// Run `c` and fail with its output when it does not exit 0.
fn ok(c: &mut Command) -> Output {
    let out = c
        .output()
        .unwrap_or_else(|e| panic!("cannot run {c:?}: {e}"));
    assert!(out.status.success(), "{c:?} failed:\n{}", text(&out));
    out
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The snapshot of this checkout, with pre-commit's environment for it installed (once per test
/// process, before any test runs a hook).
fn hook_repo() -> &'static HookRepo {
    static REPO: OnceLock<HookRepo> = OnceLock::new();
    REPO.get_or_init(|| {
        let repo = snapshot();
        // A lasting repository whose config names the current snapshot: `install-hooks` builds
        // dlint there (once, rather than in whichever test comes first) and `gc` then removes
        // the environments of earlier snapshots, whose configs were in removed test directories.
        let keep = tmp().join("pre-commit-keep");
        std::fs::create_dir_all(&keep).unwrap();
        if !keep.join(".git").exists() {
            git(&keep, &["init", "-q"]);
        }
        std::fs::write(
            keep.join(".pre-commit-config.yaml"),
            config(&repo, &[("dlint", ""), ("dlint-fix", "")]),
        )
        .unwrap();
        ok(pre_commit(&keep).arg("install-hooks"));
        ok(pre_commit(&keep).arg("gc"));
        repo
    })
}

/// Commit this checkout's working tree into the snapshot repository.
fn snapshot() -> HookRepo {
    let root = crate::common::root();
    let path = tmp().join("pre-commit-src");
    if !path.join(".git").exists() {
        std::fs::create_dir_all(&path).unwrap();
        ok(command("git").args(["init", "-q"]).current_dir(&path));
    }
    let git_dir = path.join(".git");
    let index = git_dir.join("snapshot-index");
    let _ = std::fs::remove_file(&index);
    // Stage the working tree into an index and object store of the snapshot repository, the way
    // `pre-commit try-repo` makes its shadow repository: this checkout's .git is only read.
    let staged = |c: &mut Command| -> Output {
        ok(c.current_dir(&root)
            .env("GIT_INDEX_FILE", &index)
            .env("GIT_OBJECT_DIRECTORY", git_dir.join("objects")))
    };
    staged(command("git").args(["add", "--all", "."]));
    let tree = String::from_utf8(staged(command("git").arg("write-tree")).stdout).unwrap();
    let when = "2024-01-01T00:00:00Z";
    let commit = ok(command("git")
        .args(["commit-tree", tree.trim(), "-m", "dlint working tree"])
        .current_dir(&path)
        .env("GIT_AUTHOR_NAME", "dlint tests")
        .env("GIT_AUTHOR_EMAIL", "tests@dlint.invalid")
        .env("GIT_AUTHOR_DATE", when)
        .env("GIT_COMMITTER_NAME", "dlint tests")
        .env("GIT_COMMITTER_EMAIL", "tests@dlint.invalid")
        .env("GIT_COMMITTER_DATE", when));
    let rev = String::from_utf8(commit.stdout).unwrap().trim().to_string();
    ok(command("git")
        .args(["update-ref", "refs/heads/snapshot", &rev])
        .current_dir(&path));
    HookRepo { path, rev }
}

/// A `.pre-commit-config.yaml` using the hooks (each `(id, extra YAML lines)`) from `repo`.
fn config(repo: &HookRepo, hooks: &[(&str, &str)]) -> String {
    let mut out = format!(
        "repos:\n- repo: {}\n  rev: {}\n  hooks:\n",
        serde_json::to_string(&repo.path).unwrap(),
        repo.rev
    );
    for (id, extra) in hooks {
        out.push_str(&format!("  - id: {id}\n"));
        for line in extra.lines() {
            out.push_str(&format!("    {line}\n"));
        }
    }
    out
}

/// The real pre-commit, from the interpreter the README's `python3 -m pip install` installs into.
fn pre_commit(dir: &Path) -> Command {
    static FOUND: OnceLock<bool> = OnceLock::new();
    let found = FOUND.get_or_init(|| {
        command("python3")
            .args(["-m", "pre_commit", "--version"])
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if !found {
        panic!(
            "pre-commit is not installed: run `python3 -m pip install -r .ci/requirements.txt` \
             (README.md, \"Run the tests\")"
        );
    }
    let mut c = in_repo("python3", dir);
    c.args(["-m", "pre_commit"]);
    c
}

/// A command in the temporary repository `dir`, isolated from the user's git configuration and
/// sharing pre-commit's store and cargo's target directory across tests.
fn in_repo(program: &str, dir: &Path) -> Command {
    let mut c = command(program);
    c.current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("PRE_COMMIT_HOME", tmp().join("pre-commit-home"))
        .env("CARGO_TARGET_DIR", tmp().join("pre-commit-target"))
        .env("NO_COLOR", "1");
    c
}

fn git(dir: &Path, args: &[&str]) -> Output {
    ok(in_repo("git", dir).args(args))
}

/// A git repository holding `files`, staged (pre-commit sees a hook's changes only in files git
/// tracks, and `--all-files` means the tracked ones).
fn git_repo(name: &str, files: &[(&str, &str)]) -> TempDir {
    let dir = TempDir::new(&format!("precommit-{name}"));
    git(&dir.0, &["init", "-q"]);
    git(&dir.0, &["config", "user.name", "dlint tests"]);
    git(&dir.0, &["config", "user.email", "tests@dlint.invalid"]);
    git(&dir.0, &["config", "commit.gpgsign", "false"]);
    for (path, content) in files {
        dir.write(path, content);
    }
    git(&dir.0, &["add", "--all"]);
    dir
}

/// [`git_repo`] with a `.pre-commit-config.yaml` using the hooks (each `(id, extra YAML lines)`)
/// from the snapshot repository.
fn user_repo(name: &str, files: &[(&str, &str)], hooks: &[(&str, &str)]) -> TempDir {
    let repo = hook_repo();
    let dir = git_repo(name, files);
    dir.write(".pre-commit-config.yaml", config(repo, hooks));
    dir
}

/// `pre-commit run HOOK --files FILES` in `dir`.
fn run_hook(dir: &TempDir, hook: &str, files: &[&str]) -> Output {
    pre_commit(&dir.0)
        .args(["run", hook, "--color", "never", "--files"])
        .args(files)
        .output()
        .unwrap()
}

fn read(dir: &TempDir, path: &str) -> String {
    std::fs::read_to_string(dir.0.join(path)).unwrap()
}

#[test]
fn lint_hook_fails_on_findings_and_names_the_rule() {
    if !crate::common::gated("pre-commit") {
        return;
    }
    let dir = user_repo("lint", &[("Dockerfile", BAD)], &[("dlint", "")]);
    let out = run_hook(&dir, "dlint", &["Dockerfile"]);
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(1), "{shown}");
    assert!(shown.contains("- hook id: dlint\n"), "{shown}");
    assert!(shown.contains("- exit code: 1\n"), "{shown}");
    assert!(shown.contains("warning[cache-in-layer/DL3009]"), "{shown}");
    assert!(shown.contains("Dockerfile:2:5"), "{shown}");
    assert_eq!(
        read(&dir, "Dockerfile"),
        BAD,
        "the lint hook changed the file"
    );
}

#[test]
fn fix_hook_fixes_the_file_then_the_lint_hook_passes() {
    if !crate::common::gated("pre-commit") {
        return;
    }
    let dir = user_repo(
        "fix",
        &[("Dockerfile", BAD)],
        &[("dlint-fix", ""), ("dlint", "")],
    );
    let out = run_hook(&dir, "dlint-fix", &["Dockerfile"]);
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(1), "{shown}");
    assert!(
        shown.contains("- files were modified by this hook"),
        "{shown}"
    );
    assert_eq!(read(&dir, "Dockerfile"), FIXED);

    let out = run_hook(&dir, "dlint", &["Dockerfile"]);
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(0), "{shown}");
    assert!(shown.contains("Passed"), "{shown}");
    // Nothing left to fix: the fix hook now passes without touching the file.
    let out = run_hook(&dir, "dlint-fix", &["Dockerfile"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(read(&dir, "Dockerfile"), FIXED);
}

#[test]
fn clean_dockerfile_passes_both_hooks() {
    if !crate::common::gated("pre-commit") {
        return;
    }
    let dir = user_repo(
        "clean",
        &[("Dockerfile", CLEAN)],
        &[("dlint", ""), ("dlint-fix", "")],
    );
    for hook in ["dlint", "dlint-fix"] {
        let out = run_hook(&dir, hook, &["Dockerfile"]);
        let shown = text(&out);
        assert_eq!(out.status.code(), Some(0), "{hook}: {shown}");
        assert!(shown.contains("Passed"), "{hook}: {shown}");
    }
    assert_eq!(read(&dir, "Dockerfile"), CLEAN);
}

#[test]
fn hooks_receive_the_files_dlint_recognises_as_dockerfiles() {
    if !crate::common::gated("pre-commit") {
        return;
    }
    let recognised = [
        "Dockerfile",
        "Containerfile",
        "app.Dockerfile",
        "app.dockerfile",
        "Dockerfile.dev",
        "Containerfile.ci",
        "deploy/web/Dockerfile",
        "deploy/web/Dockerfile.prod",
    ];
    let others = [
        ".dockerignore",
        "Dockerfile.dockerignore",
        "app.Dockerfile.dockerignore",
        "notes.txt",
        "Dockerfiles/README",
        "MyDockerfile",
        "dockerfile",
    ];
    let files: Vec<(&str, &str)> = recognised
        .iter()
        .chain(&others)
        .map(|p| (*p, BAD))
        .collect();
    let dir = user_repo("names", &files, &[("dlint", "args: [--format=concise]")]);
    let out = pre_commit(&dir.0)
        .args(["run", "dlint", "--color", "never", "--all-files"])
        .output()
        .unwrap();
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(1), "{shown}");
    let mut linted: Vec<&str> = shown
        .lines()
        .filter_map(|l| {
            l.strip_suffix(
                " `apt-get update` leaves package lists in `/var/lib/apt/lists` in the image",
            )
        })
        .filter_map(|l| l.strip_suffix(":2:5: warning[cache-in-layer/DL3009]"))
        .collect();
    linted.sort();
    let mut expected = recognised.to_vec();
    expected.sort();
    assert_eq!(linted, expected, "{shown}");
}

#[test]
fn try_repo_runs_both_hooks_from_a_checkout() {
    if !crate::common::gated("pre-commit") {
        return;
    }
    let repo = hook_repo();
    let dir = git_repo("try-repo", &[("Dockerfile", BAD)]);
    let out = pre_commit(&dir.0)
        .arg("try-repo")
        .arg(&repo.path)
        .args([
            "--ref",
            &repo.rev,
            "--color",
            "never",
            "--files",
            "Dockerfile",
        ])
        .output()
        .unwrap();
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(1), "{shown}");
    // Hooks run in id order: the lint hook sees the finding, then the fix hook applies it.
    let lint = shown.find("- hook id: dlint\n").expect(&shown);
    let fix = shown.find("- hook id: dlint-fix\n").expect(&shown);
    assert!(lint < fix, "{shown}");
    assert!(
        shown[lint..fix].contains("warning[cache-in-layer/DL3009]"),
        "{shown}"
    );
    assert!(
        shown[fix..].contains("- files were modified by this hook"),
        "{shown}"
    );
    assert_eq!(read(&dir, "Dockerfile"), FIXED);
}

#[test]
fn commit_is_refused_until_the_dockerfile_is_fixed() {
    if !crate::common::gated("pre-commit") {
        return;
    }
    let dir = user_repo(
        "commit",
        &[("Dockerfile", BAD)],
        &[("dlint", ""), ("dlint-fix", "stages: [manual]")],
    );
    let installed = pre_commit(&dir.0).arg("install").output().unwrap();
    assert!(installed.status.success(), "{}", text(&installed));
    git(&dir.0, &["add", ".pre-commit-config.yaml"]);

    let refused = in_repo("git", &dir.0)
        .args(["commit", "-q", "-m", "add Dockerfile"])
        .output()
        .unwrap();
    let shown = text(&refused);
    assert!(
        !refused.status.success(),
        "the commit went through:\n{shown}"
    );
    assert!(shown.contains("warning[cache-in-layer/DL3009]"), "{shown}");
    let head = in_repo("git", &dir.0)
        .args(["rev-parse", "--verify", "-q", "HEAD"])
        .output()
        .unwrap();
    assert!(!head.status.success(), "a commit was made:\n{shown}");

    let out = pre_commit(&dir.0)
        .args([
            "run",
            "--hook-stage",
            "manual",
            "dlint-fix",
            "--color",
            "never",
        ])
        .args(["--files", "Dockerfile"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(read(&dir, "Dockerfile"), FIXED);

    git(&dir.0, &["add", "Dockerfile"]);
    git(&dir.0, &["commit", "-q", "-m", "add Dockerfile"]);
    let committed = git(&dir.0, &["show", "HEAD:Dockerfile"]);
    assert_eq!(String::from_utf8_lossy(&committed.stdout), FIXED);
}
