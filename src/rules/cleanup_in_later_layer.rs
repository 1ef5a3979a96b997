//! `cleanup-in-later-layer`: a RUN removes what an earlier instruction wrote; the bytes stay in
//! the earlier layer.
//!
//! The rule walks the stages the final image is built from, oldest first, and keeps what each
//! instruction leaves in its layer: paths a `COPY`/`ADD` writes (resolved against WORKDIR),
//! files `curl`/`wget` download, `git clone` targets, what `tar`/`unzip` extract, `cp`/`mv`
//! destinations, `node_modules`, package-manager caches ([`CACHES`]), tool caches (Go, Cargo,
//! conda, Maven, Gradle) and installed packages. A later command that removes one of them (`rm`,
//! `find -delete`, a cache cleaner such as `apt-get clean`, a package removal such as `apk del`)
//! is reported, with a label on the instruction that wrote it. What the same RUN writes and
//! removes is fine; what the base image brings is never known here, so removing it (a default
//! config file) is not reported.

use super::{Ctx, Report};
use crate::fix::{edits, Edit, Fix};
use crate::model::{clean_path, mounts, Base, Workdir};
use crate::shell::packages::{CacheId, Kind, Manager, Source, CACHES};
use crate::shell::{basename, Command, Form, RunsAs, Script, ShellWord, Span};
use crate::source::TextRange;
use crate::syntax::{Args, Instruction, Keyword};

crate::declare_rule! {
    slug: "cleanup-in-later-layer",
    codes: [],
    group: Size,
    severity: Warning,
    fix: Sometimes,
    since: "0.4.0",
    summary: "a RUN removes files an earlier instruction wrote: they stay in that layer and the image does not shrink",
    hooks: { file: check },
}

/// Most things kept track of at once; past it the oldest are forgotten.
const MAX_LIVE: usize = 256;

/// Most commands looked at per file.
const MAX_COMMANDS: usize = 100_000;

/// Tool caches outside [`CACHES`]: what fills them, what clears them, where they live.
struct ToolCache {
    name: &'static str,
    /// `program subcommand` (or `program`) that fills it.
    fills: &'static [&'static str],
    /// `program sub [arg]` that clears it.
    cleaners: &'static [&'static [&'static str]],
    /// Path endings that name it (`.cache/go-build`).
    suffixes: &'static [&'static str],
}

#[rustfmt::skip]
const TOOL_CACHES: &[ToolCache] = &[
    ToolCache {
        name: "Go's build cache",
        fills: &["go build", "go install", "go test", "go run", "go vet", "go generate"],
        cleaners: &[&["go", "clean", "-cache"], &["go", "clean", "-testcache"]],
        suffixes: &[".cache/go-build"],
    },
    ToolCache {
        name: "Go's module cache",
        fills: &["go build", "go install", "go test", "go run", "go get", "go mod"],
        cleaners: &[&["go", "clean", "-modcache"]],
        suffixes: &["pkg/mod"],
    },
    ToolCache {
        name: "Cargo's registry",
        fills: &["cargo build", "cargo install", "cargo fetch", "cargo test"],
        cleaners: &[],
        suffixes: &[".cargo/registry", ".cargo/git"],
    },
    ToolCache {
        name: "conda's package cache",
        fills: &["conda install", "conda create", "conda update", "conda env", "mamba install", "mamba create", "mamba update", "micromamba install", "micromamba create"],
        cleaners: &[&["conda", "clean"], &["mamba", "clean"], &["micromamba", "clean"]],
        suffixes: &["conda/pkgs", "mambaforge/pkgs", "miniconda3/pkgs", "miniforge3/pkgs"],
    },
    ToolCache {
        name: "Maven's repository",
        fills: &["mvn", "mvnw"],
        cleaners: &[],
        suffixes: &[".m2/repository", ".m2"],
    },
    ToolCache {
        name: "Gradle's caches",
        fills: &["gradle", "gradlew"],
        cleaners: &[],
        suffixes: &[".gradle/caches", ".gradle"],
    },
];

/// What an instruction left in its layer.
#[derive(Debug, Clone, PartialEq, Eq)]
enum What {
    /// A file or directory, and everything under it.
    Path(Vec<String>),
    /// Entries of unknown names in a directory (`tar -x -C dir`); `stem` is the archive's name
    /// without its extensions, the usual name of the directory it holds.
    Contents { dir: Vec<String>, stem: Option<String> },
    /// A package manager's cache, by index into [`CACHES`].
    Cache(usize),
    /// A tool cache, by index into [`TOOL_CACHES`].
    Tool(usize),
    /// An installed package (or apk virtual package).
    Package(Manager, String),
}

/// One thing an instruction left.
#[derive(Debug, Clone)]
struct Made {
    what: What,
    inst: usize,
    /// Where the label goes: the command that wrote it, or the COPY/ADD.
    range: TextRange,
    /// `wget`, `COPY`, `apt-get update`.
    by: String,
    /// Written by a COPY or ADD (not by a RUN).
    copied: bool,
    /// The first later instruction that reads it (for the fix and the help).
    read_at: Option<usize>,
    /// A later RUN whose commands cannot be seen, or an instruction writing over it.
    touched: bool,
    /// Written again by a later instruction: later reads are of the new copy.
    replaced: bool,
    /// The working directory at the end of the RUN that wrote it.
    end_cwd: Option<Vec<String>>,
}

/// A late cleanup found by the walk.
#[derive(Clone)]
struct Late {
    inst: usize,
    /// Index of the command in its script.
    command: usize,
    range: TextRange,
    /// The cleanup as shown (`rm -rf /tmp/x`).
    shown: String,
    /// What it removes, by index into the walk's arena, in order.
    made: Vec<usize>,
    /// Every target of the command was something a single earlier RUN made.
    movable: bool,
    /// Working directory at the command, when a target was given relative to it.
    relative_cwd: Option<Option<Vec<String>>>,
    /// The paths it removes.
    targets: Vec<Vec<String>>,
}

#[derive(Default)]
struct Walk {
    arena: Vec<Made>,
    /// Indices into `arena` of what earlier instructions left and nothing removed yet.
    live: Vec<usize>,
    /// `/etc/apt/apt.conf.d/docker-clean` removed: apt keeps its archives from then on.
    keeps_archives: bool,
    late: Vec<Late>,
    commands: usize,
    /// A WORKDIR was set along the line: the base image's no longer applies.
    workdir_set: bool,
}

fn check(ctx: &Ctx, out: &mut Report) {
    let model = ctx.model;
    let Some(last) = model.final_stage() else {
        return;
    };
    // The stages the final image is made of, oldest first: a builder stage's files never ship.
    let mut line = vec![last.index];
    while let Some(&c) = line.last() {
        match model.stages[c].base {
            Base::Stage(p) if p < c && line.len() <= model.stages.len() => line.push(p),
            _ => break,
        }
    }
    line.reverse();
    let mut w = Walk::default();
    for &s in &line {
        let stage = &model.stages[s];
        // Windows images run cmd or PowerShell: their commands are not read here.
        if stage.windows {
            return;
        }
        for (i, inst) in model.stage_body(stage) {
            match inst.keyword {
                Keyword::Run => w.run(ctx, i),
                Keyword::Copy | Keyword::Add => w.copy(ctx, i, inst),
                Keyword::Workdir | Keyword::Volume => {
                    w.workdir_set |= inst.keyword == Keyword::Workdir;
                    w.touch_dirs(ctx, i, inst)
                }
                _ => {}
            }
            if w.commands > MAX_COMMANDS {
                break;
            }
        }
    }
    for late in &w.late {
        report(ctx, &w, late, out);
    }
}

/// A path as components (`/a/b` -> `["a", "b"]`).
fn components(p: &str) -> Vec<String> {
    clean_path(p)
        .split('/')
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

fn joined(p: &[String]) -> String {
    format!("/{}", p.join("/"))
}

/// The home directory of a user, as far as it is known.
fn home_of(user: Option<&str>) -> String {
    match user {
        None | Some("root") | Some("0") | Some("root:root") | Some("0:0") => "/root".into(),
        Some(u) => format!("/home/{}", u.split(':').next().unwrap_or(u)),
    }
}

/// Where one command runs: working directory, home, and the variables it can read.
struct Env<'a> {
    cwd: Option<Vec<String>>,
    home: String,
    scope: &'a crate::model::Scope,
    /// The script's text, to tell variables it sets itself.
    script_text: &'a str,
}

impl Env<'_> {
    /// A word as an absolute path: variables from ENV/ARG (when the script does not set them),
    /// `~` and `$HOME`, relative paths against the working directory.
    fn path(&self, w: &ShellWord) -> Option<Vec<String>> {
        let value = match &w.value {
            Some(v) => v.clone(),
            None => self.expand(&w.raw)?,
        };
        self.path_str(&value)
    }

    fn path_str(&self, value: &str) -> Option<Vec<String>> {
        if value.is_empty() || value.starts_with('-') || value.contains("://") {
            return None;
        }
        let abs = if value == "~" || value.starts_with("~/") {
            format!("{}{}", self.home, &value[1..])
        } else if value.starts_with('/') {
            value.to_string()
        } else if value.starts_with('~') {
            return None;
        } else {
            format!("{}/{value}", joined(self.cwd.as_ref()?))
        };
        Some(components(&abs))
    }

    fn expand(&self, raw: &str) -> Option<String> {
        if raw.contains("$(") || raw.contains('`') || raw.contains('\'') {
            return None;
        }
        let text = raw
            .replace('"', "")
            .replace("${HOME}", &self.home)
            .replace("$HOME", &self.home);
        // A variable the script sets itself is not the ENV's.
        let mut rest = text.as_str();
        while let Some(i) = rest.find('$') {
            rest = &rest[i + 1..];
            let name: String = rest
                .trim_start_matches('{')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if name.is_empty() || self.script_text.contains(&format!("{name}=")) {
                return None;
            }
        }
        self.scope.expand(&text, '\\')
    }
}

/// Whether a shell glob (`*`, `?`, `[...]`) matches a whole path component.
fn glob(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    // Iterative matching with backtracking on the last `*`: linear in practice.
    let (mut i, mut j) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while j < n.len() {
        if i < p.len() && p[i] == '*' {
            star = Some((i, j));
            i += 1;
            continue;
        }
        if i < p.len() && (p[i] == '?' || p[i] == n[j]) {
            i += 1;
            j += 1;
            continue;
        }
        if i < p.len() && p[i] == '[' {
            if let Some(end) = p[i + 1..].iter().position(|c| *c == ']') {
                let set = &p[i + 1..i + 1 + end];
                let (neg, set) = match set.first() {
                    Some('!' | '^') => (true, &set[1..]),
                    _ => (false, set),
                };
                let mut hit = false;
                let mut k = 0;
                while k < set.len() {
                    if k + 2 < set.len() && set[k + 1] == '-' {
                        hit |= set[k] <= n[j] && n[j] <= set[k + 2];
                        k += 3;
                    } else {
                        hit |= set[k] == n[j];
                        k += 1;
                    }
                }
                if hit != neg {
                    i += end + 2;
                    j += 1;
                    continue;
                }
            }
        }
        match star {
            Some((si, sj)) => {
                i = si + 1;
                j = sj + 1;
                star = Some((si, sj + 1));
            }
            None => return false,
        }
    }
    p[i..].iter().all(|c| *c == '*')
}

/// Whether the glob path `target` is `path` or one of its parents.
fn covers(target: &[String], path: &[String]) -> bool {
    target.len() <= path.len() && target.iter().zip(path).all(|(t, p)| glob(t, p))
}

/// `/usr/share/{doc,man}` -> both paths (one level of braces).
fn braces(value: &str) -> Vec<String> {
    let (Some(open), Some(close)) = (value.find('{'), value.find('}')) else {
        return vec![value.to_string()];
    };
    if close < open {
        return vec![value.to_string()];
    }
    let inner = &value[open + 1..close];
    if !inner.contains(',') {
        return vec![value.to_string()];
    }
    inner
        .split(',')
        .take(32)
        .map(|alt| format!("{}{alt}{}", &value[..open], &value[close + 1..]))
        .collect()
}

/// An archive's name without its extensions (`node-v20.1.0-linux-x64.tar.xz` ->
/// `node-v20.1.0-linux-x64`).
fn stem(name: &str) -> Option<String> {
    let base = basename(name);
    let lower = base.to_ascii_lowercase();
    for ext in [
        ".tar.gz", ".tar.xz", ".tar.bz2", ".tar.zst", ".tar.lz", ".tgz", ".txz", ".tbz2", ".tbz",
        ".tar", ".zip", ".jar", ".war",
    ] {
        if lower.ends_with(ext) && base.len() > ext.len() {
            return Some(base[..base.len() - ext.len()].to_string());
        }
    }
    None
}

fn is_archive(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [
        ".tar.gz", ".tar.xz", ".tar.bz2", ".tar.zst", ".tgz", ".txz", ".tbz2", ".tar",
    ]
    .iter()
    .any(|e| lower.ends_with(e))
}

/// The file name a URL downloads to (`https://x/a/b.tgz?x=1` -> `b.tgz`).
fn url_file(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next()?;
    let path = path.split_once("://").map_or(path, |(_, r)| r);
    let (_, file) = path.rsplit_once('/')?;
    (!file.is_empty()).then(|| file.to_string())
}

/// Options and operands of a command's arguments: `takes` says which options take a value.
/// Returns (option name, value) pairs and operands, `--` and clusters (`-xzf x`) handled.
fn parse_args<'w>(
    args: &'w [ShellWord],
    takes: &[&str],
) -> (Vec<(String, Option<&'w ShellWord>)>, Vec<&'w ShellWord>) {
    let mut opts = Vec::new();
    let mut operands = Vec::new();
    let mut i = 0;
    let mut ended = false;
    while i < args.len() {
        let w = &args[i];
        i += 1;
        let text = w.value.as_deref().unwrap_or(&w.raw);
        if ended || !text.starts_with('-') || text == "-" {
            operands.push(w);
            continue;
        }
        if text == "--" {
            ended = true;
            continue;
        }
        if let Some(long) = text.strip_prefix("--") {
            let name = long.split('=').next().unwrap_or(long);
            let name = format!("--{name}");
            if long.contains('=') {
                opts.push((name, Some(w)));
            } else if takes.contains(&name.as_str()) {
                opts.push((name, args.get(i)));
                i += 1;
            } else {
                opts.push((name, None));
            }
            continue;
        }
        let body: Vec<char> = text[1..].chars().collect();
        for (k, c) in body.iter().enumerate() {
            let name = format!("-{c}");
            if takes.contains(&name.as_str()) {
                if k + 1 == body.len() {
                    opts.push((name, args.get(i)));
                    i += 1;
                } else {
                    // `-ofile`: the rest of the word (its value is the word; see `opt_value`).
                    opts.push((name, Some(w)));
                }
                break;
            }
            opts.push((name, None));
        }
    }
    (opts, operands)
}

/// The literal value of an option found by [`parse_args`]: `--name=value`, `-nvalue` or the
/// next word.
fn opt_value(name: &str, w: &ShellWord) -> Option<String> {
    let v = w.value.as_deref()?;
    if let Some(rest) = v.strip_prefix(&format!("{name}=")) {
        return Some(rest.to_string());
    }
    if name.len() == 2 && v.starts_with('-') && !v.starts_with("--") {
        let c = name.chars().nth(1)?;
        let at = v.find(c)?;
        let rest = &v[at + c.len_utf8()..];
        if !rest.is_empty() {
            return Some(rest.to_string());
        }
    }
    Some(v.to_string())
}

/// The value of an option as a path word: the next word as it is (variables expanded later).
fn opt_path(env: &Env, name: &str, w: &ShellWord) -> Option<Vec<String>> {
    if w.value.is_none() {
        return env.path(w);
    }
    env.path_str(&opt_value(name, w)?)
}

/// What a command writes, besides caches and packages.
fn writes(c: &Command, env: &Env) -> Vec<(What, &'static str)> {
    let argv = c.argv();
    let Some(name) = c.name() else {
        return Vec::new();
    };
    let args = argv.get(1..).unwrap_or(&[]);
    let mut out = Vec::new();
    let mut path = |p: Option<Vec<String>>, by| {
        if let Some(p) = p.filter(|p| !p.is_empty()) {
            out.push((What::Path(p), by));
        }
    };
    match name {
        "curl" => {
            let (opts, operands) = parse_args(
                args,
                &[
                    "-o", "--output", "-H", "--header", "-u", "--user", "-d", "--data", "-X",
                    "--request", "-A", "--user-agent", "-e", "--referer", "-m", "--max-time",
                    "--retry", "--connect-timeout", "-w", "--write-out", "-x", "--proxy",
                    "--output-dir", "-T", "--upload-file", "--cacert", "-E", "--cert", "-r",
                    "--range", "-b", "--cookie", "-c", "--cookie-jar", "-F", "--form", "-K",
                    "--config", "--retry-delay", "--retry-max-time", "--data-binary",
                    "--data-raw", "--data-urlencode", "-C", "--continue-at", "--resolve",
                    "--limit-rate", "-Y", "-y", "-z", "--time-cond", "--url", "-U",
                    "--proxy-user", "--tlsv1.2",
                ],
            );
            let dir = opts
                .iter()
                .find(|(n, _)| n == "--output-dir")
                .and_then(|(n, w)| opt_path(env, n, (*w)?));
            let remote = opts
                .iter()
                .any(|(n, _)| n == "-O" || n == "--remote-name" || n == "--remote-name-all");
            for (n, w) in &opts {
                if n == "-o" || n == "--output" {
                    let Some(w) = w else { continue };
                    if opt_value(n, w).as_deref() == Some("-") {
                        continue;
                    }
                    path(opt_path(env, n, w), "curl");
                }
            }
            if remote {
                for u in operands.iter().filter_map(|w| w.value.as_deref()) {
                    let Some(file) = url_file(u) else { continue };
                    let p = match &dir {
                        Some(d) => Some([d.clone(), vec![file]].concat()),
                        None => env.path_str(&file),
                    };
                    path(p, "curl");
                }
            }
        }
        "wget" => {
            let (opts, operands) = parse_args(
                args,
                &[
                    "-O", "--output-document", "-P", "--directory-prefix", "-o",
                    "--output-file", "-a", "--append-output", "-t", "--tries", "-T",
                    "--timeout", "-U", "--user-agent", "--header", "--user", "--password",
                    "-e", "--execute", "-i", "--input-file", "-w", "--wait", "--limit-rate",
                    "-Q", "--quota", "--ca-certificate", "--certificate", "--post-data",
                    "--post-file", "-l", "--level", "-A", "--accept", "-R", "--reject", "-D",
                    "--domains", "--progress", "--method", "--body-data", "-B", "--base",
                ],
            );
            let doc = opts
                .iter()
                .find(|(n, _)| n == "-O" || n == "--output-document");
            match doc {
                Some((n, Some(w))) => {
                    if opt_value(n, w).as_deref() != Some("-") {
                        path(opt_path(env, n, w), "wget");
                    }
                }
                Some((_, None)) => {}
                None => {
                    let dir = opts
                        .iter()
                        .find(|(n, _)| n == "-P" || n == "--directory-prefix")
                        .and_then(|(n, w)| opt_path(env, n, (*w)?));
                    for u in operands.iter().filter_map(|w| w.value.as_deref()) {
                        let Some(file) = url_file(u) else { continue };
                        let p = match &dir {
                            Some(d) => Some([d.clone(), vec![file]].concat()),
                            None => env.path_str(&file),
                        };
                        path(p, "wget");
                    }
                }
            }
        }
        "git" => {
            let (_, operands) = parse_args(
                args,
                &[
                    "-C", "-c", "-b", "--branch", "--depth", "-o", "--origin", "-j", "--jobs",
                    "--reference", "--separate-git-dir", "--template", "-u", "--upload-pack",
                    "--shallow-since", "--shallow-exclude", "--filter", "--config",
                ],
            );
            if operands.first().and_then(|w| w.value.as_deref()) != Some("clone") {
                return out;
            }
            let dir = match (operands.get(1), operands.get(2)) {
                (_, Some(d)) => env.path(d),
                (Some(u), None) => u
                    .value
                    .as_deref()
                    .map(|u| u.trim_end_matches('/'))
                    .and_then(|u| u.rsplit(['/', ':']).next())
                    .map(|b| b.trim_end_matches(".git").to_string())
                    .filter(|b| !b.is_empty())
                    .and_then(|b| env.path_str(&b)),
                _ => None,
            };
            path(dir, "git clone");
        }
        "tar" | "bsdtar" => {
            let (opts, operands) = parse_args(
                args,
                &[
                    "-f", "--file", "-C", "--directory", "--exclude", "-T", "--files-from",
                    "-X", "--exclude-from", "--strip-components", "--owner", "--group",
                    "--mode", "--transform", "-I", "--use-compress-program",
                ],
            );
            // Old-style `tar xzf file`: the first operand is the option cluster.
            let (old, operands) = match operands.split_first() {
                Some((first, rest))
                    if opts.is_empty()
                        && first.value.as_deref().is_some_and(|v| {
                            v.contains('x') && v.chars().all(|c| c.is_ascii_alphabetic())
                        }) =>
                {
                    (first.value.as_deref(), rest.to_vec())
                }
                _ => (None, operands),
            };
            let extracts = old.is_some()
                || opts
                    .iter()
                    .any(|(n, _)| n == "-x" || n == "--extract" || n == "--get");
            if !extracts {
                return out;
            }
            let file = match old {
                Some(cluster) if cluster.contains('f') => {
                    operands.first().and_then(|w| w.value.clone())
                }
                _ => opts
                    .iter()
                    .find(|(n, _)| n == "-f" || n == "--file")
                    .and_then(|(n, w)| opt_value(n, (*w)?)),
            };
            let dir = match opts.iter().find(|(n, _)| n == "-C" || n == "--directory") {
                Some((n, Some(w))) => opt_path(env, n, w),
                Some((_, None)) => None,
                None => env.cwd.clone(),
            };
            let strips = opts.iter().any(|(n, _)| n == "--strip-components");
            if let Some(dir) = dir {
                out.push((
                    What::Contents {
                        dir,
                        stem: file.as_deref().and_then(stem).filter(|_| !strips),
                    },
                    "tar",
                ));
            }
        }
        "unzip" => {
            let (opts, operands) = parse_args(args, &["-d", "-x", "-P"]);
            let dir = match opts.iter().find(|(n, _)| n == "-d") {
                Some((n, Some(w))) => opt_path(env, n, w),
                Some((_, None)) => None,
                None => env.cwd.clone(),
            };
            let file = operands.first().and_then(|w| w.value.clone());
            if let Some(dir) = dir {
                out.push((
                    What::Contents {
                        dir,
                        stem: file.as_deref().and_then(stem),
                    },
                    "unzip",
                ));
            }
        }
        "cp" | "mv" | "rsync" | "install" => {
            let (opts, operands) = parse_args(args, &["-t", "--target-directory", "-m", "--mode", "-o", "-g", "--owner", "--group", "-e", "--exclude", "--chown", "--chmod"]);
            let by = match name {
                "cp" => "cp",
                "mv" => "mv",
                "rsync" => "rsync",
                _ => "install",
            };
            if name == "install" && opts.iter().any(|(n, _)| n == "-d") {
                return out;
            }
            let target = opts
                .iter()
                .find(|(n, _)| n == "-t" || n == "--target-directory")
                .and_then(|(n, w)| opt_path(env, n, (*w)?));
            let (dest, sources) = match target {
                Some(t) => (Some(t), &operands[..]),
                None => match operands.split_last() {
                    Some((d, s)) if !s.is_empty() => (env.path(d), s),
                    _ => (None, &operands[..0]),
                },
            };
            let Some(dest) = dest.filter(|d| !d.is_empty()) else {
                return out;
            };
            let dir_only = operands
                .last()
                .and_then(|w| w.value.as_deref())
                .is_some_and(|v| v.ends_with('/'))
                || sources.len() > 1;
            if !dir_only {
                out.push((What::Path(dest.clone()), by));
            }
            for s in sources {
                let Some(v) = s.value.as_deref() else { continue };
                let b = basename(v.trim_end_matches('/'));
                if !b.is_empty() && !b.contains(['*', '?', '[']) && b != "." && b != ".." {
                    out.push((What::Path([dest.clone(), vec![b.to_string()]].concat()), by));
                } else {
                    out.push((
                        What::Contents {
                            dir: dest.clone(),
                            stem: None,
                        },
                        by,
                    ));
                }
            }
        }
        "npm" | "yarn" | "pnpm" => {
            let sub = c.subcommand();
            let installs = match name {
                "yarn" => matches!(sub, None | Some("install" | "add")),
                _ => matches!(sub, Some("install" | "i" | "ci" | "add")),
            };
            if installs && !c.has_option("--global", Some('g')) && !c.has_arg("global") {
                path(
                    env.cwd.clone().map(|d| [d, vec!["node_modules".into()]].concat()),
                    "npm install",
                );
            }
        }
        _ => {}
    }
    out
}

/// The tool caches a command fills.
fn tool_fills(c: &Command) -> Vec<usize> {
    let Some(name) = c.name() else {
        return Vec::new();
    };
    let sub = c.subcommand().unwrap_or("");
    TOOL_CACHES
        .iter()
        .enumerate()
        .filter(|(_, t)| {
            t.fills.iter().any(|f| match f.split_once(' ') {
                Some((p, s)) => p == name && s == sub,
                None => *f == name || name.strip_prefix("./") == Some(f),
            })
        })
        .map(|(i, _)| i)
        .collect()
}

/// What a command removes.
#[derive(Debug, Default)]
struct Removal {
    /// Glob paths removed with everything under them.
    paths: Vec<Vec<String>>,
    /// `find DIR -name PAT -delete`: files under DIR whose name matches.
    named: Vec<(Vec<String>, String)>,
    /// Paths given relative to the working directory.
    relative: bool,
    /// Some target is not known (a variable), so what it removes cannot be told.
    unknown: bool,
}

fn removal(c: &Command, env: &Env) -> Option<Removal> {
    let name = c.name()?;
    let argv = c.argv();
    let args = argv.get(1..).unwrap_or(&[]);
    let mut r = Removal::default();
    let target = |w: &ShellWord, r: &mut Removal| {
        let value = match &w.value {
            Some(v) => Some(v.clone()),
            None => env.expand(&w.raw),
        };
        let Some(value) = value else {
            r.unknown = true;
            return None;
        };
        let mut found = Vec::new();
        for v in braces(&value) {
            if !v.starts_with('/') && !v.starts_with('~') {
                r.relative = true;
            }
            match env.path_str(&v) {
                Some(p) if !p.is_empty() => found.push(p),
                _ => r.unknown = true,
            }
        }
        Some(found)
    };
    match name {
        "rm" => {
            let (_, operands) = parse_args(args, &[]);
            for w in operands {
                if let Some(p) = target(w, &mut r) {
                    r.paths.extend(p);
                }
            }
        }
        "find" => {
            let words: Vec<&str> = args.iter().map(|w| w.value.as_deref().unwrap_or("")).collect();
            let deletes = words.contains(&"-delete")
                || words
                    .windows(2)
                    .any(|w| w[0] == "-exec" && basename(w[1]) == "rm");
            if !deletes {
                return None;
            }
            let roots: Vec<&ShellWord> = args
                .iter()
                .take_while(|w| {
                    w.value
                        .as_deref()
                        .is_none_or(|v| !v.starts_with('-') && v != "(" && v != "!")
                })
                .collect();
            // Only `-name`/`-type` filters are understood; others leave it unknown.
            let mut name_pat = None;
            let mut k = roots.len();
            while k < words.len() {
                match words[k] {
                    "-name" | "-iname" => {
                        name_pat = words.get(k + 1).map(|s| s.to_string());
                        k += 2;
                    }
                    "-type" | "-maxdepth" | "-mindepth" => k += 2,
                    "-delete" => k += 1,
                    "-exec" => break,
                    _ => return None,
                }
            }
            for w in roots {
                let Some(ps) = target(w, &mut r) else { continue };
                for p in ps {
                    match &name_pat {
                        Some(pat) => r.named.push((p, pat.clone())),
                        None => r.paths.push(p),
                    }
                }
            }
        }
        _ => return None,
    }
    Some(r)
}

/// Whether a glob target removes what `what` is (a path, or entries of a directory).
fn removes_path(target: &[String], what: &What) -> bool {
    match what {
        What::Path(p) => covers(target, p),
        What::Contents { dir, stem } => {
            if target.len() <= dir.len() {
                return covers(target, dir);
            }
            // The directory's entries: all of them (`dir/*`), or the one the archive is named
            // after; what is deeper, or matched by a narrower glob, may not come from it.
            target.len() == dir.len() + 1
                && covers(&target[..dir.len()], dir)
                && match (&target[dir.len()], stem) {
                    (t, _) if t == "*" => true,
                    (t, Some(s)) => glob(t, s),
                    _ => false,
                }
        }
        _ => false,
    }
}

/// Whether one removed (glob) path is what takes `what` away.
fn target_hits(target: &[String], what: &What) -> bool {
    // `/var/lib/apt/lists/*` empties the directory: as good as removing it.
    let t = match target.split_last() {
        Some((last, rest)) if last == "*" => rest,
        _ => target,
    };
    let t = joined(t);
    match what {
        What::Cache(m) => CACHES[*m]
            .paths
            .iter()
            .any(|p| crate::shell::packages::covers(&t, p)),
        What::Tool(k) => TOOL_CACHES[*k]
            .suffixes
            .iter()
            .any(|s| t.ends_with(&format!("/{s}"))),
        _ => removes_path(target, what),
    }
}

/// Whether a directory is `what` (a path or a directory of entries) or inside it.
fn inside(p: &[String], what: &What) -> bool {
    match what {
        What::Path(d) | What::Contents { dir: d, .. } => p.starts_with(d),
        _ => false,
    }
}

/// Whether a path names something at or under `what`, or a directory holding it.
fn overlaps(p: &[String], what: &What) -> bool {
    let dir = match what {
        What::Path(d) => d,
        What::Contents { dir, .. } => dir,
        _ => return false,
    };
    let n = p.len().min(dir.len());
    p[..n] == dir[..n]
}

impl Walk {
    /// The WORKDIR of instruction `i`: set in the Dockerfile, or the base image's, when known.
    fn workdir<'m>(&self, ctx: &Ctx<'m>, i: usize) -> Option<&'m str> {
        let model = ctx.model;
        match &model.contexts[i].workdir {
            Workdir::Known(w) => Some(w),
            Workdir::Unknown if !self.workdir_set => model.stage_of(i)?.image_workdir,
            Workdir::Unknown => None,
        }
    }

    fn push(&mut self, made: Made) -> usize {
        self.arena.push(made);
        self.arena.len() - 1
    }

    fn run(&mut self, ctx: &Ctx, i: usize) {
        let model = ctx.model;
        let inst = &model.instructions[i];
        // A trigger runs in another build, after everything here.
        if inst.keyword == Keyword::Onbuild {
            return;
        }
        let Some(script) = ctx.scripts.get(i) else {
            // A RUN that cannot be read may use or change anything.
            for &l in &self.live {
                self.arena[l].touched = true;
            }
            return;
        };
        let context = &model.contexts[i];
        let covered: Vec<Vec<String>> = mounts(inst)
            .into_iter()
            .filter_map(|m| m.target)
            .map(|t| components(&t))
            .collect();
        let text = match &inst.args {
            Args::Shell(sh) => sh.logical.text.clone(),
            _ => String::new(),
        };
        let heredoc_text: String = inst.heredocs.iter().map(|h| h.content.text.as_str()).collect();
        let text = format!("{text}\n{heredoc_text}");
        let mut env = Env {
            cwd: self.workdir(ctx, i).map(components),
            home: home_of(context.user.as_deref()),
            scope: &context.scope,
            script_text: &text,
        };
        if !script.clean || script.too_deep.is_some() {
            for &l in &self.live {
                self.arena[l].touched = true;
            }
        }
        // What this RUN writes, by index into the arena.
        let mut pending: Vec<usize> = Vec::new();
        let actions = script.actions();
        for (k, c) in script.commands.iter().enumerate() {
            self.commands += 1;
            if self.commands > MAX_COMMANDS {
                return;
            }
            let a = actions.get(k).and_then(Option::as_ref);
            if c.runs_unseen_script() {
                for &l in &self.live {
                    self.arena[l].touched = true;
                }
            }
            // Reads of what earlier instructions left (the command read once for all).
            let seen = Seen::of(c, a, &env);
            for &l in &self.live {
                let m = &self.arena[l];
                if m.read_at.is_none() && !m.replaced && seen.reads(c, a, &m.what) {
                    self.arena[l].read_at = Some(i);
                }
            }
            // Removals: of this RUN's own files (fine), and of earlier layers' (too late).
            let rm = removal(c, &env);
            let removes = |what: &What| -> bool {
                if let Some(r) = &rm {
                    if r.paths.iter().any(|t| removes_path(t, what))
                        || r.named.iter().any(|(d, pat)| match what {
                            What::Path(p) => {
                                p.len() > d.len()
                                    && covers(d, p)
                                    && p.last().is_some_and(|n| glob(pat, n))
                            }
                            _ => false,
                        })
                    {
                        return true;
                    }
                }
                match what {
                    What::Cache(m) => CACHES[*m].cleans(c, a, None),
                    What::Tool(t) => tool_cleans(c, &TOOL_CACHES[*t]),
                    What::Package(mgr, name) => a.is_some_and(|a| {
                        a.manager == *mgr
                            && matches!(a.kind, Kind::Remove | Kind::Purge)
                            && a.packages
                                .iter()
                                .any(|p| p.name.as_deref() == Some(name.as_str()))
                    }),
                    _ => false,
                }
            };
            let own_before = pending.len();
            pending.retain(|&p| !removes(&self.arena[p].what));
            let own_removed = pending.len() != own_before;
            let hits: Vec<usize> = self
                .live
                .iter()
                .copied()
                .filter(|&l| removes(&self.arena[l].what))
                .collect();
            // A removal inside a mount (`--mount=type=tmpfs,target=/tmp`) is not the layer's.
            let in_mount = rm.as_ref().is_some_and(|r| {
                !r.paths.is_empty()
                    && r.paths
                        .iter()
                        .all(|t| covered.iter().any(|m| covers(m, t)))
            });
            if !hits.is_empty() && !in_mount {
                self.live.retain(|l| !hits.contains(l));
                if !own_removed {
                    let creators: Vec<usize> = hits.iter().map(|&h| self.arena[h].inst).collect();
                    let single = creators.iter().all(|&c0| c0 == creators[0])
                        && !hits.iter().any(|&h| self.arena[h].copied);
                    let movable = single
                        && rm.as_ref().is_none_or(|r| {
                            !r.unknown
                                && r.paths.iter().all(|t| {
                                    hits.iter().any(|&h| target_hits(t, &self.arena[h].what))
                                })
                        });
                    self.late.push(Late {
                        inst: i,
                        command: k,
                        range: c.range.clone(),
                        shown: shown(c),
                        made: hits,
                        movable,
                        relative_cwd: rm
                            .as_ref()
                            .filter(|r| r.relative)
                            .map(|_| env.cwd.clone()),
                        targets: rm.as_ref().map(|r| r.paths.clone()).unwrap_or_default(),
                    });
                }
            }
            // What it writes.
            let mut made: Vec<(What, String)> = Vec::new();
            if let Some(a) = a {
                for (mi, m) in CACHES.iter().enumerate() {
                    if !m.fills(a, &context.scope) {
                        continue;
                    }
                    if m.id == CacheId::AptArchives && !self.keeps_archives {
                        continue;
                    }
                    if let Some(dir) = m.moved_by(a) {
                        if let Some(p) = env.path_str(&dir) {
                            made.push((What::Path(p), program_sub(c, Some(a))));
                        }
                    } else if !covered.iter().any(|t| m.mounted_at(&joined(t))) {
                        made.push((What::Cache(mi), program_sub(c, Some(a))));
                    }
                }
                if a.kind == Kind::Install {
                    for p in &a.packages {
                        if let (Some(n), Source::Registry) = (&p.name, p.source) {
                            made.push((What::Package(a.manager, n.clone()), program_sub(c, Some(a))));
                        }
                    }
                    for o in ["--virtual", "-t"] {
                        if a.manager == Manager::Apk {
                            if let Some(v) = a.option_value(o) {
                                made.push((What::Package(a.manager, v.to_string()), program_sub(c, Some(a))));
                            }
                        }
                    }
                }
            }
            for t in tool_fills(c) {
                made.push((What::Tool(t), program_sub(c, a)));
            }
            for (w, by) in writes(c, &env) {
                made.push((w, by.to_string()));
            }
            for (what, by) in made {
                // Written under a mount: not in the layer.
                let mounted = match &what {
                    What::Path(p) | What::Contents { dir: p, .. } => {
                        covered.iter().any(|m| covers(m, p))
                    }
                    _ => false,
                };
                if mounted || pending.iter().any(|&p| self.arena[p].what == what) {
                    continue;
                }
                for &l in &self.live {
                    if self.arena[l].what == what {
                        self.arena[l].replaced = true;
                    }
                }
                let id = self.push(Made {
                    what,
                    inst: i,
                    range: c.range.clone(),
                    by,
                    copied: false,
                    read_at: None,
                    touched: false,
                    replaced: false,
                    end_cwd: None,
                });
                pending.push(id);
            }
            if c.name() == Some("rm") && c.args().any(|a| a.ends_with("apt.conf.d/docker-clean")) {
                self.keeps_archives = true;
            }
            // `cd` moves the commands after it.
            if c.name() == Some("cd") && c.nested == 0 {
                env.cwd = match c.argv().get(1) {
                    Some(w) => env.path(w),
                    None => components(&env.home).into(),
                };
            }
        }
        for &p in &pending {
            self.arena[p].end_cwd = env.cwd.clone();
        }
        self.live.extend(pending);
        self.forget();
    }

    /// Files a COPY or ADD writes.
    fn copy(&mut self, ctx: &Ctx, i: usize, inst: &Instruction) {
        let model = ctx.model;
        let scope = &model.contexts[i].scope;
        let words = inst.words();
        let Some((dest, sources)) = words.split_last() else {
            return;
        };
        let Some(dest_value) = scope.expand(&dest.value, model.escape) else {
            // Somewhere unknown: it may write over anything.
            for &l in &self.live {
                self.arena[l].touched = true;
            }
            return;
        };
        let dest_path = if dest_value.starts_with('/') {
            Some(components(&dest_value))
        } else {
            self.workdir(ctx, i)
                .map(|w| components(&format!("{w}/{dest_value}")))
        };
        let Some(dest_path) = dest_path else {
            return;
        };
        let by = inst.keyword_text.to_ascii_uppercase();
        let mut made = Vec::new();
        // Several sources (heredocs are among the words) go into a directory.
        let dir = dest_value.ends_with('/') || sources.len() > 1;
        if !dir && !dest_path.is_empty() {
            made.push(What::Path(dest_path.clone()));
        }
        let contents = What::Contents {
            dir: dest_path.clone(),
            stem: None,
        };
        for s in sources {
            let heredoc = inst.heredocs.iter().any(|h| {
                h.opener_range.start < s.range.end && s.range.start < h.opener_range.end
            });
            if heredoc {
                continue;
            }
            let v = scope.expand(&s.value, model.escape).unwrap_or_default();
            let url = v.contains("://");
            let b = if url {
                url_file(&v).unwrap_or_default()
            } else {
                basename(v.trim_end_matches('/')).to_string()
            };
            if inst.keyword == Keyword::Add && !url && is_archive(&v) {
                made.push(What::Contents {
                    dir: dest_path.clone(),
                    stem: stem(&v),
                });
                continue;
            }
            // A directory's files go into the destination, a file under its own name.
            let file_like = !v.ends_with('/')
                && !b.is_empty()
                && !b.contains(['*', '?', '[', '$'])
                && b != "."
                && b != "..";
            if file_like {
                made.push(What::Path([dest_path.clone(), vec![b]].concat()));
            }
            if !made.contains(&contents) {
                made.push(contents.clone());
            }
        }
        // Anything it writes over was changed in between.
        for &l in &self.live {
            if made.iter().any(|m| match m {
                What::Path(p) | What::Contents { dir: p, .. } => overlaps(p, &self.arena[l].what),
                _ => false,
            }) {
                self.arena[l].touched = true;
            }
        }
        for what in made {
            if what == What::Path(Vec::new()) {
                continue;
            }
            let id = self.push(Made {
                what,
                inst: i,
                range: inst.range.start..inst.range.end.min(line_end(ctx, inst.range.start)),
                by: by.clone(),
                copied: true,
                read_at: None,
                touched: false,
                replaced: false,
                end_cwd: None,
            });
            self.live.push(id);
        }
        self.forget();
    }

    /// `WORKDIR` and `VOLUME` into something: it is used there.
    fn touch_dirs(&mut self, ctx: &Ctx, i: usize, inst: &Instruction) {
        let model = ctx.model;
        let paths: Vec<Vec<String>> = match inst.keyword {
            Keyword::Workdir => match &model.contexts.get(i + 1).map(|c| &c.workdir) {
                Some(Workdir::Known(w)) => vec![components(w)],
                _ => Vec::new(),
            },
            _ => inst
                .words()
                .iter()
                .filter(|w| w.value.starts_with('/'))
                .map(|w| components(&w.value))
                .collect(),
        };
        for &l in &self.live {
            if paths.iter().any(|p| inside(p, &self.arena[l].what)) {
                self.arena[l].read_at.get_or_insert(i);
            }
        }
    }

    /// Keep the live list bounded.
    fn forget(&mut self) {
        if self.live.len() > MAX_LIVE {
            let drop = self.live.len() - MAX_LIVE;
            self.live.drain(..drop);
        }
    }
}

fn line_end(ctx: &Ctx, at: usize) -> usize {
    ctx.source.text[at..]
        .find('\n')
        .map_or(ctx.source.text.len(), |n| at + n)
}

/// Whether a tool cache's cleaner runs (`go clean -cache`), or `rm` of a path ending like it.
fn tool_cleans(c: &Command, t: &ToolCache) -> bool {
    let Some(name) = c.name() else {
        return false;
    };
    if name == "rm" {
        return c.args().any(|a| {
            let a = a.trim_end_matches('*').trim_end_matches('/');
            t.suffixes.iter().any(|s| {
                a.ends_with(&format!("/{s}")) || a == *s
            })
        });
    }
    let args: Vec<&str> = c.args().collect();
    t.cleaners
        .iter()
        .any(|cl| cl[0] == name && cl[1..].iter().all(|w| args.contains(w)))
}

/// A command as the read checks see it: computed once, compared with everything kept.
struct Seen<'c> {
    /// Its arguments as paths, where they resolve, and as written.
    paths: Vec<Vec<String>>,
    raw: Vec<&'c str>,
    cwd: Option<Vec<String>>,
    removes: bool,
    /// May run what a package installed (anything but a builtin that prints or sets).
    runs_packages: bool,
    tools: Vec<usize>,
}

impl<'c> Seen<'c> {
    fn of(c: &'c Command, a: Option<&crate::shell::packages::Action>, env: &Env) -> Seen<'c> {
        let args = c.argv().get(1..).unwrap_or(&[]);
        let removes = c.name() == Some("rm")
            || a.is_some_and(|a| matches!(a.kind, Kind::Remove | Kind::Purge));
        Seen {
            paths: args.iter().filter_map(|w| env.path(w)).collect(),
            raw: args.iter().map(|w| w.raw.as_str()).collect(),
            cwd: env.cwd.clone(),
            removes,
            runs_packages: !removes
                && !c.name().is_some_and(|n| {
                    matches!(n, "echo" | "printf" | "true" | ":" | "set" | "export" | "cd")
                }),
            tools: tool_fills(c),
        }
    }

    /// Whether the command reads what an earlier instruction left.
    fn reads(&self, c: &Command, a: Option<&crate::shell::packages::Action>, what: &What) -> bool {
        match what {
            What::Cache(m) => CACHES[*m].reads(c, a),
            What::Package(..) => self.runs_packages,
            What::Tool(t) => self.tools.contains(t),
            What::Path(_) | What::Contents { .. } => {
                if self.removes {
                    return false;
                }
                let last = match what {
                    What::Path(p) => p.last().map(String::as_str),
                    What::Contents { dir, stem } => stem.as_deref().or(dir.last().map(String::as_str)),
                    _ => None,
                }
                .unwrap_or("");
                // Working in it, or naming it (also by a relative path or inside a word).
                self.cwd.as_ref().is_some_and(|d| inside(d, what))
                    || self.paths.iter().any(|p| overlaps(p, what))
                    || (last.len() >= 3 && self.raw.iter().any(|r| r.contains(last)))
            }
        }
    }
}

/// `apt-get update`, `wget`: the program and its subcommand.
fn program_sub(c: &Command, a: Option<&crate::shell::packages::Action>) -> String {
    let prog = a
        .map(|a| a.program.as_str())
        .or_else(|| c.name())
        .unwrap_or("");
    let sub = match a {
        Some(a) => a.sub(),
        None => c.subcommand(),
    };
    match sub {
        Some(s) if !s.contains('/') && !s.contains("://") && s.len() < 24 => format!("{prog} {s}"),
        _ => prog.to_string(),
    }
}

/// The cleanup as written, shortened.
fn shown(c: &Command) -> String {
    let words: Vec<&str> = c.words.iter().map(|w| w.raw.as_str()).collect();
    let mut s = String::new();
    for w in &words {
        if !s.is_empty() {
            s.push(' ');
        }
        if s.len() + w.len() > 60 {
            s.push_str("...");
            break;
        }
        s.push_str(w);
    }
    s.replace('`', "'").replace('\n', " ")
}

/// How a finding names what it removes, and whether that is plural.
fn described(m: &Made, targets: &[Vec<String>]) -> (String, bool) {
    let by = &m.by;
    match &m.what {
        // The directory an archive holds, removed by name.
        What::Contents {
            dir,
            stem: Some(s),
        } if targets
            .iter()
            .any(|t| t.len() == dir.len() + 1 && t.starts_with(dir) && t.last() == Some(s)) =>
        {
            (
                format!("`{}` from `{by}`", joined(&[dir.clone(), vec![s.clone()]].concat())),
                false,
            )
        }
        What::Path(p) => (format!("`{}` from `{by}`", joined(p)), false),
        What::Contents { dir, .. } if m.copied => {
            (format!("the files `{by}` put in `{}`", joined(dir)), true)
        }
        What::Contents { dir, .. } => {
            (format!("the files `{by}` extracted into `{}`", joined(dir)), true)
        }
        What::Cache(c) => {
            let id = CACHES[*c].id;
            let plural = matches!(id, CacheId::AptLists | CacheId::AptArchives);
            (format!("{} from `{by}`", cache_name(id)), plural)
        }
        What::Tool(t) => (format!("{} from `{by}`", TOOL_CACHES[*t].name), false),
        What::Package(_, n) => (format!("package `{n}` from `{by}`"), false),
    }
}

fn cache_name(id: CacheId) -> &'static str {
    match id {
        CacheId::AptLists => "the package lists",
        CacheId::AptArchives => "the downloaded `.deb` archives",
        CacheId::Apk => "apk's cache",
        CacheId::Pip => "pip's cache",
        CacheId::Npm => "npm's cache",
        CacheId::Yarn => "yarn's cache",
        CacheId::Pnpm => "pnpm's store",
        CacheId::Dnf => "the package manager's cache",
        CacheId::Zypper => "zypper's cache",
        CacheId::Gem => "the gem cache",
        CacheId::Composer => "composer's cache",
    }
}

fn report(ctx: &Ctx, w: &Walk, late: &Late, out: &mut Report) {
    let model = ctx.model;
    let Some(&first) = late.made.first() else {
        return;
    };
    // A cache read between where it is made and where it is removed is `cache-in-layer`'s to
    // report, at the RUN that makes it (or uses it last): the fix there is to make it where it
    // is used.
    let kept: Vec<usize> = late
        .made
        .iter()
        .copied()
        .filter(|&m| !(matches!(w.arena[m].what, What::Cache(_)) && w.arena[m].read_at.is_some()))
        .collect();
    if kept.is_empty() {
        return;
    }
    let late = &Late {
        made: kept,
        ..late.clone()
    };
    // What it removes, each counted once: of the paths one instruction wrote, those under
    // another (`COPY x /tmp/x` may write `/tmp/x` or `/tmp/x/x`) are that one.
    let dir_of = |m: &Made| match &m.what {
        What::Path(p) | What::Contents { dir: p, .. } => Some(p.clone()),
        _ => None,
    };
    let distinct: Vec<&Made> = late
        .made
        .iter()
        .map(|&m| &w.arena[m])
        .filter(|m| {
            let Some(p) = dir_of(m) else {
                return true;
            };
            !late.made.iter().map(|&o| &w.arena[o]).any(|o| {
                let path_over_contents = matches!(o.what, What::Path(_))
                    && matches!(m.what, What::Contents { .. });
                o.inst == m.inst
                    && !std::ptr::eq(o, *m)
                    && dir_of(o).is_some_and(|q| {
                        p.starts_with(&q) && (q.len() < p.len() || path_over_contents)
                    })
            })
        })
        .collect();
    // The latest writer is the one the finding speaks of.
    let made = distinct
        .iter()
        .rev()
        .copied()
        .max_by_key(|m| m.inst)
        .unwrap_or(&w.arena[first]);
    let line = |i: usize| ctx.source.line_col(model.instructions[i].range.start).line;
    let (what, plural) = described(made, &late.targets);
    let more = match distinct.len() {
        0 | 1 => String::new(),
        n => format!(" (and {} more)", n - 1),
    };
    let stays = if plural && more.is_empty() { "stay" } else if more.is_empty() { "stays" } else { "stay" };
    let mut lines: Vec<usize> = distinct.iter().map(|m| line(m.inst)).collect();
    lines.sort_unstable();
    lines.dedup();
    let layers = match lines.as_slice() {
        [one] => format!("line {one}'s layer"),
        [rest @ .., last] => format!(
            "the layers of lines {} and {last}",
            rest.iter().map(|l| l.to_string()).collect::<Vec<_>>().join(", ")
        ),
        [] => "an earlier layer".to_string(),
    };
    let message = format!(
        "`{}` comes a layer too late: {what}{more} {stays} in {layers}, so the image does not get smaller",
        late.shown,
    );
    let mut d = out.report(late.range.clone(), message);
    let mut labelled: Vec<usize> = Vec::new();
    for &m in &late.made {
        let mm = &w.arena[m];
        if labelled.contains(&mm.inst) {
            continue;
        }
        labelled.push(mm.inst);
        let verb = match &mm.what {
            What::Package(..) => "installs",
            What::Contents { .. } => "extracts",
            _ if mm.copied => "copies",
            _ => "writes",
        };
        let it = match &mm.what {
            What::Cache(c) if matches!(CACHES[*c].id, CacheId::AptLists | CacheId::AptArchives) => {
                "them"
            }
            What::Contents { stem: None, .. } => "them",
            _ => "it",
        };
        d = d.label(mm.range.clone(), format!("`{}` {verb} {it} here", mm.by));
    }
    let read_at = late.made.iter().filter_map(|&m| w.arena[m].read_at).min();
    let fix = if late.movable {
        move_fix(ctx, w, late)
    } else {
        None
    };
    let help = if made.copied {
        format!(
            "what line {}'s `{}` brings in stays in its layer: mount it for the RUN that uses it instead (`RUN --mount=type=bind,source=...,target=...`), or copy it into a build stage and copy only the result",
            line(made.inst),
            made.by
        )
    } else if fix.is_some() {
        format!("move it to the end of the RUN on line {}", line(made.inst))
    } else if matches!(made.what, What::Package(..)) {
        "install, use and remove it in one RUN, or build in a separate stage and copy only the result".to_string()
    } else if let Some(r) = read_at.filter(|&r| r != late.inst) {
        format!(
            "line {} uses it in between: write, use and remove it in one RUN, or build in a separate stage and copy only the result",
            line(r)
        )
    } else if read_at == Some(late.inst) {
        format!(
            "this RUN uses it first: write it in this RUN instead of line {}'s, or build in a separate stage and copy only the result",
            line(made.inst)
        )
    } else {
        format!(
            "move it into the RUN that created it (line {}), or build in a separate stage and copy only the result",
            line(made.inst)
        )
    };
    d = d.help(help);
    if let Some(f) = fix {
        d.fix(Some(f)).unsafe_because(
            "the fix is unsafe: nothing in between names what it removes, but a program may still read it (a build reading its working directory)",
        );
    }
}

/// Move the cleanup to the end of the RUN that wrote what it removes: only when that RUN is
/// of the same stage and user, nothing in between reads or changes it, the cleanup is a plain
/// command of a shell-form chain (joined by `&&` or `;`) that keeps running the same without
/// it, and it is not the RUN's only command (removing an instruction is not a fix).
fn move_fix(ctx: &Ctx, w: &Walk, late: &Late) -> Option<Fix> {
    let model = ctx.model;
    let made: Vec<&Made> = late.made.iter().map(|&m| &w.arena[m]).collect();
    let creator = made.first()?.inst;
    if made
        .iter()
        .any(|m| m.touched || m.read_at.is_some() || m.inst != creator)
    {
        return None;
    }
    // Same stage, same user.
    let (cc, lc) = (&model.contexts[creator], &model.contexts[late.inst]);
    if cc.stage != lc.stage || cc.user != lc.user {
        return None;
    }
    if let Some(cwd) = &late.relative_cwd {
        if cwd.is_none() || made.iter().any(|m| m.end_cwd != *cwd) {
            return None;
        }
    }
    let script = ctx.scripts.get(late.inst)?;
    let creator_script = ctx.scripts.get(creator)?;
    if script.form != Form::Shell || !script.clean || creator_script.form != Form::Shell {
        return None;
    }
    let cmd = script.commands.get(late.command)?;
    if cmd.nested != 0
        || !cmd.assignments.is_empty()
        || cmd.words.iter().any(|w| w.span != Span::Exact)
        || matches!(cmd.runs_as(), RunsAs::Other(_))
    {
        return None;
    }
    let heredoc = !model.instructions[late.inst].heredocs.is_empty();
    let removal = removal_edit(ctx, script, late.command, heredoc)?;
    let text: Vec<&str> = cmd.words.iter().map(|w| w.raw.as_str()).collect();
    let text = text.join(" ");
    if text.contains('\n') {
        return None;
    }
    let inst = &model.instructions[creator];
    let append = edits::append_to_chain(ctx.source, model, inst, creator_script, &text)?;
    let line = ctx.source.line_col(inst.range.start).line;
    Some(Fix::unsafe_(
        format!("move `{}` to the end of the RUN on line {line}", late.shown),
        vec![append, removal],
    ))
}

/// The edit that takes command `k` out of its script's top-level chain, with one of the
/// separators around it, so that the commands left run as before: `None` when it is the only
/// command, inside a compound command, or joined by `||` or a pipe. A command on a line of its
/// own in a heredoc script loses its line.
fn removal_edit(ctx: &Ctx, script: &Script, k: usize, heredoc: bool) -> Option<Edit> {
    let cmd = script.commands.get(k)?;
    // Top-level commands: not inside another command's range (substitutions, `sh -c`).
    let top: Vec<(usize, &Command)> = script
        .commands
        .iter()
        .enumerate()
        .filter(|(j, c)| {
            c.nested == 0
                && !script.commands.iter().enumerate().any(|(o, other)| {
                    o != *j
                        && other.range.start <= c.range.start
                        && c.range.end <= other.range.end
                        && other.range != c.range
                })
        })
        .collect();
    let pos = top.iter().position(|(j, _)| *j == k)?;
    if top.len() < 2 {
        return None;
    }
    let text = &ctx.source.text;
    // `&&` or `;` (a line break in a script is one), when that is all there is between two
    // commands; comment lines count in a heredoc script only.
    let gap = |a: usize, b: usize| -> Option<&'static str> {
        let between = text.get(a..b)?;
        let mut rest = String::new();
        let mut chars = between.chars().peekable();
        while let Some(ch) = chars.next() {
            match ch {
                '\\' if matches!(chars.peek(), Some('\n' | '\r')) => {
                    while matches!(chars.peek(), Some('\n' | '\r')) {
                        chars.next();
                    }
                }
                '#' if heredoc => {
                    while chars.peek().is_some_and(|c| *c != '\n') {
                        chars.next();
                    }
                }
                ' ' | '\t' | '\r' => {}
                '\n' => rest.push(';'),
                c => rest.push(c),
            }
        }
        match rest.as_str() {
            "&&" => Some("&&"),
            s if !s.is_empty() && s.chars().all(|c| c == ';') => Some(";"),
            _ => None,
        }
    };
    let before = pos
        .checked_sub(1)
        .map(|p| (top[p].1, gap(top[p].1.range.end, cmd.range.start)));
    let after = top
        .get(pos + 1)
        .map(|(_, n)| (*n, gap(cmd.range.end, n.range.start)));
    // A line of its own in a heredoc: remove the line.
    let line_start = text[..cmd.range.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[cmd.range.end..]
        .find('\n')
        .map_or(text.len(), |i| cmd.range.end + i + 1);
    let alone = text[line_start..cmd.range.start].trim().is_empty()
        && text[cmd.range.end..line_end].trim().is_empty();
    let by_newline = |g: &Option<(&Command, Option<&str>)>| {
        g.as_ref().is_none_or(|(_, s)| *s == Some(";"))
    };
    if heredoc && alone && by_newline(&before) && by_newline(&after) {
        return Some(Edit::delete(line_start..line_end));
    }
    if heredoc && text[cmd.range.start..cmd.range.end].contains('\n') {
        return None;
    }
    match (before, after) {
        // `a && rm x [op b]` -> `a [op b]`.
        (Some((prev, Some("&&"))), _) | (Some((prev, Some(_))), None) => {
            Some(Edit::delete(prev.range.end..cmd.range.end))
        }
        // `[a ;] rm x op b` -> `[a ;] b`.
        (Some((_, Some(_))) | None, Some((next, Some(_)))) => {
            Some(Edit::delete(cmd.range.start..next.range.start))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob("*", "x"));
        assert!(glob("*.tar.gz", "a.tar.gz"));
        assert!(!glob("*.tar.gz", "a.tgz"));
        assert!(glob("node-v*", "node-v20.1.0-linux-x64"));
        assert!(glob("[ab]?c*", "bxcd"));
        assert!(!glob("[!ab]", "a"));
        assert!(glob("a*b*c", "aXbYbZc"));
    }

    #[test]
    fn names_and_stems() {
        assert_eq!(stem("/tmp/node-v20.1.0-linux-x64.tar.xz").as_deref(), Some("node-v20.1.0-linux-x64"));
        assert_eq!(stem("x.zip").as_deref(), Some("x"));
        assert_eq!(url_file("https://e.com/a/b.tgz?sig=1").as_deref(), Some("b.tgz"));
        assert_eq!(braces("/usr/share/{doc,man}"), ["/usr/share/doc", "/usr/share/man"]);
    }
}
