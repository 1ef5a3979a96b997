//! Benchmark: lint a generated corpus of varied Dockerfiles; report files/s, MB/s and parse-only
//! cost in-process, then the `dlint` binary over a generated project tree: speed, peak memory,
//! and memory at 3,000 against 30,000 files.
//!
//! `cargo bench --bench lint`. Options after `--`: `--files N` (in-process corpus, 2,000),
//! `--tree N` (Dockerfiles in the tree, 10,000), `--memory A,B` (the memory runs' sizes,
//! 3000,30000), `--rounds R` (CLI rounds, best reported, 3), `--skip phases,tree,memory`.
//!
//! - phases: each runs over the in-memory corpus several times on one thread; the best round is
//!   reported, then a parallel (rayon) lint round as the CLI runs it. Phases: tree-sitter
//!   alone, dlint's syntax layer (tree plus BuildKit-exact recovery), syntax + model + shell
//!   (the parse-only cost), and the full lint with every rule.
//! - tree: [`tree::generate`] writes the Dockerfiles to a temporary directory, beside manifests
//!   (`go.mod`, `package.json`, `pom.xml`, ...) and sources, with six directories holding
//!   1,000 to 5,000 source files, and Dockerfiles that `.gitignore` or `.git` hide. The binary
//!   lints it as a user would (`dlint --format concise -q DIR`, stdout to /dev/null), all default
//!   rules, then with only the cheapest rule (`--select syntax-error`); wall time, files/s,
//!   MB/s of Dockerfile text, and the child's peak RSS (`wait4`'s `ru_maxrss`). Both are set
//!   against the parse-only phase in-process over the same files. An in-process lint through
//!   the CLI's `config::Resolver` counts the build contexts read: only directories with a
//!   Dockerfile whose final stage builds should be.
//! - memory: trees of A and B files, linted by the binary in `concise` and `json` (a whole
//!   document, streamed); peak RSS of each, which should not grow with the number of files.
//!
//! The binary is the one Cargo builds for the bench (`CARGO_BIN_EXE_dlint`, the release
//! profile in `$CARGO_TARGET_DIR/release/dlint`); `DLINT_BIN=/path/to/dlint` measures another
//! (an older build, for before/after figures). The peer comparison with hadolint and tally on
//! real files is `src/bench/peers.sh`.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rayon::prelude::*;

#[path = "corpus.rs"]
mod corpus;
#[path = "tree.rs"]
mod tree;

use corpus::{dockerfile, Rng};

fn best<F: FnMut()>(rounds: usize, mut f: F) -> Duration {
    (0..rounds)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap()
}

/// The value after `--name`.
fn opt<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map(String::as_str)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--measure-child") {
        return measure_child(&args[i + 1..]);
    }
    let files = opt(&args, "--files")
        .and_then(|n| n.parse().ok())
        .unwrap_or(2000usize);
    let skip: Vec<&str> = opt(&args, "--skip")
        .map(|s| s.split(',').collect())
        .unwrap_or_default();
    if !skip.contains(&"phases") {
        phases(files);
    }
    let scratch = std::env::temp_dir().join(format!("dlint-bench-lint-{}", std::process::id()));
    let rounds = opt(&args, "--rounds")
        .and_then(|n| n.parse().ok())
        .unwrap_or(3usize);
    if !skip.contains(&"tree") {
        let n = opt(&args, "--tree")
            .and_then(|n| n.parse().ok())
            .unwrap_or(10_000);
        cli_tree(&scratch.join("tree"), n, rounds);
    }
    if !skip.contains(&"memory") {
        let sizes: Vec<usize> = opt(&args, "--memory")
            .unwrap_or("3000,30000")
            .split(',')
            .filter_map(|n| n.parse().ok())
            .collect();
        memory(&scratch, &sizes);
    }
    let _ = std::fs::remove_dir_all(&scratch);
}

/// The in-process phases over the in-memory corpus.
fn phases(files: usize) {
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    let corpus: Vec<String> = (0..files).map(|i| dockerfile(&mut rng, i)).collect();
    let bytes: usize = corpus.iter().map(String::len).sum();
    let lines: usize = corpus.iter().map(|s| s.lines().count()).sum();
    let mb = bytes as f64 / 1e6;
    println!(
        "corpus: {files} files, {lines} lines, {:.2} MB (generated, deterministic)",
        mb
    );
    let settings = dlint::Settings {
        rules: dlint::rules::RULES.to_vec(),
        ..Default::default()
    };
    let rounds = 5;
    let phases: Vec<(&str, Duration)> = vec![
        (
            "tree-sitter parse only",
            best(rounds, || {
                for t in &corpus {
                    black_box(dlint::syntax::tree_sitter_only(t));
                }
            }),
        ),
        (
            "syntax layer (tree + BuildKit recovery)",
            best(rounds, || {
                for t in &corpus {
                    black_box(dlint::syntax::parse(t));
                }
            }),
        ),
        (
            "syntax + model + shell",
            best(rounds, || {
                for t in &corpus {
                    let src = dlint::source::SourceFile::new("Dockerfile", t);
                    let m = dlint::analyze(&src);
                    black_box(dlint::shell::scripts(&m));
                }
            }),
        ),
        (
            "full lint, all rules (1 thread)",
            best(rounds, || {
                for t in &corpus {
                    black_box(dlint::check_source("Dockerfile", t, &settings));
                }
            }),
        ),
        (
            "full lint, all rules (rayon)",
            best(rounds, || {
                black_box(
                    corpus
                        .par_iter()
                        .map(|t| {
                            dlint::check_source("Dockerfile", t, &settings)
                                .diagnostics
                                .len()
                        })
                        .sum::<usize>(),
                );
            }),
        ),
    ];
    let base = phases[0].1.as_secs_f64();
    println!(
        "{:<42} {:>10} {:>12} {:>9} {:>12}",
        "phase", "time", "files/s", "MB/s", "x tree-sitter"
    );
    for (name, d) in &phases {
        let s = d.as_secs_f64();
        println!(
            "{:<42} {:>8.1}ms {:>12.0} {:>9.2} {:>12.2}",
            name,
            s * 1e3,
            files as f64 / s,
            mb / s,
            s / base
        );
    }
    let findings: usize = corpus
        .iter()
        .map(|t| {
            dlint::check_source("Dockerfile", t, &settings)
                .diagnostics
                .len()
        })
        .sum();
    println!("findings in corpus: {findings}");
}

/// The binary measured.
fn binary() -> PathBuf {
    std::env::var_os("DLINT_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_dlint")))
}

/// One run of the binary: wall time, the child's peak RSS, exit status.
struct Run {
    time: Duration,
    max_rss_kb: i64,
    status: i32,
}

/// Run `program args` in `cwd`, stdin, stdout and stderr on /dev/null: wall time, and peak RSS
/// from `wait4` on the child. Linux counts in a child's peak the memory of the process it was
/// spawned from (the mapping it had until `exec`), so [`run_cli`] calls this in a small helper
/// process rather than in the benchmark, which holds the corpus.
// The child is reaped by `wait4`, which also gives its resource usage.
#[allow(clippy::zombie_processes)]
fn spawn_and_wait(program: &Path, args: &[String], cwd: &Path) -> Run {
    let start = Instant::now();
    let child = Command::new(program)
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{}: {e}", program.display()));
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value to be filled in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: wait4 on our own child with valid out-pointers (blocking).
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(r, pid, "wait4");
    Run {
        time: start.elapsed(),
        max_rss_kb: usage.ru_maxrss,
        status: libc::WEXITSTATUS(status),
    }
}

/// Helper mode (`--measure-child CWD PROGRAM ARGS...`): run the program, print `nanoseconds
/// peak-RSS-KB status`.
fn measure_child(args: &[String]) {
    let [cwd, program, rest @ ..] = args else {
        panic!("--measure-child CWD PROGRAM ARGS...");
    };
    let r = spawn_and_wait(Path::new(program), rest, Path::new(cwd));
    println!("{} {} {}", r.time.as_nanos(), r.max_rss_kb, r.status);
}

/// Run `dlint args` in `cwd` through a helper process (this benchmark's own binary).
fn run_cli(args: &[&str], cwd: &Path) -> Run {
    let out = Command::new(std::env::current_exe().unwrap())
        .arg("--measure-child")
        .arg(cwd)
        .arg(binary())
        .args(args)
        .stderr(Stdio::inherit())
        .output()
        .expect("the benchmark runs itself as a helper");
    let text = String::from_utf8_lossy(&out.stdout);
    let v: Vec<i64> = text
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    let [ns, kb, status] = v[..] else {
        panic!("helper said {text:?}");
    };
    Run {
        time: Duration::from_nanos(ns as u64),
        max_rss_kb: kb,
        status: status as i32,
    }
}

/// The best of `rounds` runs (by time; the peak RSS is the highest seen).
fn best_run(rounds: usize, args: &[&str], cwd: &Path) -> Run {
    let runs: Vec<Run> = (0..rounds.max(1)).map(|_| run_cli(args, cwd)).collect();
    let rss = runs.iter().map(|r| r.max_rss_kb).max().unwrap_or(0);
    let best = runs.into_iter().min_by_key(|r| r.time).unwrap();
    Run {
        max_rss_kb: rss,
        ..best
    }
}

fn mb(kb: i64) -> f64 {
    kb as f64 / 1024.0
}

/// The binary over a generated tree, against the parse-only cost in-process.
fn cli_tree(root: &Path, count: usize, rounds: usize) {
    let _ = std::fs::remove_dir_all(root);
    let t = Instant::now();
    let tree = tree::generate(root, count, true, 0x7EE5_0000_0000_0011);
    let mb_text = tree.bytes as f64 / 1e6;
    println!();
    println!(
        "tree: {} Dockerfiles ({:.2} MB) in {} directories, {} other files (directories of {:?} sources), written in {:.1}s",
        tree.dockerfiles.len(),
        mb_text,
        tree.dirs,
        tree.others,
        tree::BIG_DIRS,
        t.elapsed().as_secs_f64()
    );
    println!("binary: {}", binary().display());
    let n = tree.dockerfiles.len() as f64;
    let line = |label: &str, d: Duration, rss: Option<i64>| {
        let s = d.as_secs_f64();
        let rss = rss.map_or_else(String::new, |k| format!("  peak RSS {:>6.1} MB", mb(k)));
        println!(
            "{label:<58} {:>8.3}s {:>9.0} files/s {:>7.2} MB/s{rss}",
            s,
            n / s,
            mb_text / s
        );
    };
    let dir = root.to_str().unwrap();
    let full = best_run(rounds, &["--format", "concise", "-q", dir], root);
    assert!(full.status <= 1, "dlint exit status {}", full.status);
    line(
        "tree cli: full lint, default rules (dlint -q --format concise)",
        full.time,
        Some(full.max_rss_kb),
    );
    let cheap = best_run(
        rounds,
        &["--format", "concise", "-q", "--select", "syntax-error", dir],
        root,
    );
    line(
        "tree cli: cheapest rule (--select syntax-error)",
        cheap.time,
        Some(cheap.max_rss_kb),
    );
    let texts: Vec<String> = tree
        .dockerfiles
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let parse_once = |t: &String| {
        let src = dlint::source::SourceFile::new("Dockerfile", t);
        let m = dlint::analyze(&src);
        black_box(dlint::shell::scripts(&m).len())
    };
    let parse_1 = best(rounds, || {
        texts.iter().for_each(|t| {
            parse_once(t);
        })
    });
    let parse_n = best(rounds, || {
        black_box(texts.par_iter().map(parse_once).sum::<usize>());
    });
    line(
        "tree in-process: parse-only, syntax + model + shell (1 thread)",
        parse_1,
        None,
    );
    line(
        "tree in-process: parse-only, syntax + model + shell (rayon)",
        parse_n,
        None,
    );
    // The CLI's resolver, in-process: which build contexts a full lint reads.
    let resolver = dlint::config::Resolver::new(None, false, dlint::config::Overrides::default());
    let lint_start = Instant::now();
    let building: std::collections::BTreeSet<PathBuf> = tree
        .dockerfiles
        .par_iter()
        .zip(&texts)
        .filter_map(|(p, t)| {
            let config = resolver.config_for(p).ok()?;
            let settings = resolver.settings(&config, p);
            let r = dlint::check_source(&p.display().to_string(), t, &settings);
            let builds = r.diagnostics.iter().any(|d| {
                d.rule == "single-stage-build"
                    && d.labels.iter().any(|(_, m)| m == "the build step")
            });
            builds.then(|| p.parent().unwrap().to_path_buf())
        })
        .collect();
    let lint_n = lint_start.elapsed();
    line(
        "tree in-process: full lint through the resolver (rayon, 1 round)",
        lint_n,
        None,
    );
    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
    println!(
        "ratio: tree cli full lint / in-process parse-only (rayon): {:.2}x; / parse-only (1 thread): {:.2}x",
        ratio(full.time, parse_n),
        ratio(full.time, parse_1)
    );
    println!(
        "ratio: tree cli --select syntax-error / in-process parse-only (rayon): {:.2}x; full lint / --select syntax-error: {:.2}x",
        ratio(cheap.time, parse_n),
        ratio(full.time, cheap.time)
    );
    let loaded = resolver.contexts_loaded();
    println!(
        "build contexts read: {loaded} of {} directories with a Dockerfile; {} hold one whose final stage builds{}",
        tree.dirs,
        building.len(),
        if loaded <= building.len() {
            ""
        } else {
            " (MORE READ THAN NEEDED)"
        }
    );
}

/// Peak memory of the binary at each tree size.
fn memory(scratch: &Path, sizes: &[usize]) {
    println!();
    let mut first: Option<(usize, i64, i64)> = None;
    for &n in sizes {
        let root = scratch.join(format!("memory-{n}"));
        let _ = std::fs::remove_dir_all(&root);
        let tree = tree::generate(&root, n, false, 0x3E3_0000_0000_0022);
        let dir = root.to_str().unwrap();
        let concise = run_cli(&["--format", "concise", "-q", dir], &root);
        let json = run_cli(&["--format", "json", dir], &root);
        println!(
            "memory: {:>6} files ({:>6.2} MB): peak RSS concise {:>6.1} MB ({:.2}s), json {:>6.1} MB ({:.2}s)",
            tree.dockerfiles.len(),
            tree.bytes as f64 / 1e6,
            mb(concise.max_rss_kb),
            concise.time.as_secs_f64(),
            mb(json.max_rss_kb),
            json.time.as_secs_f64()
        );
        match first {
            None => first = Some((n, concise.max_rss_kb, json.max_rss_kb)),
            Some((m, c, j)) => println!(
                "memory: peak RSS at {n} files / at {m} files: concise {:.2}x, json {:.2}x",
                concise.max_rss_kb as f64 / c.max(1) as f64,
                json.max_rss_kb as f64 / j.max(1) as f64
            ),
        }
        let _ = std::fs::remove_dir_all(&root);
    }
}
