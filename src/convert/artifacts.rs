//! Where a build's artifacts land (output flags, project files) and what the CMD/ENTRYPOINT uses.

use super::recipes::{recipes, CopyPolicy, Strategy};
use super::{argv_values, Input, Step};
use crate::fix::Edit;
use crate::model::{clean_path, Dockerfile, Stage};
use crate::shell::{basename, Command, Scripts};
use crate::syntax::{Args, Keyword};

/// A file or directory a build step produces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    /// Absolute path in the builder.
    pub path: String,
    pub dir: bool,
    /// Index into the steps.
    pub step: usize,
}

/// The CMD/ENTRYPOINT of the stage, as the runtime stage will write them.
#[derive(Debug, Clone, Default)]
pub struct Entry {
    /// (instruction, argv, written in shell form).
    pub entrypoint: Option<(usize, Vec<String>, bool)>,
    pub cmd: Option<(usize, Vec<String>, bool)>,
    /// The command line needs `/bin/sh` (shell syntax in a shell-form instruction).
    pub needs_shell: bool,
    /// A shell-form command whose only shell feature is a glob (`java -jar target/*.jar`).
    pub globbed: bool,
}

impl Entry {
    /// The words that run: ENTRYPOINT then CMD (CMD is ignored after a shell-form ENTRYPOINT).
    pub fn words(&self) -> Vec<String> {
        match (&self.entrypoint, &self.cmd) {
            (Some((_, e, true)), _) => e.clone(),
            (Some((_, e, false)), Some((_, c, _))) => e.iter().chain(c).cloned().collect(),
            (Some((_, e, _)), None) => e.clone(),
            (None, Some((_, c, _))) => c.clone(),
            (None, None) => Vec::new(),
        }
    }
}

/// What the converter found in the builder.
#[derive(Debug, Clone)]
pub struct Located {
    /// Artifacts to copy into the runtime stage, with the same path.
    pub copy: Vec<Artifact>,
    /// A `.war` deployed onto Tomcat rather than run by the CMD.
    pub war: Option<String>,
    pub entry: Entry,
    /// Index into the steps of the recipe that makes the artifact the CMD runs.
    pub primary: usize,
    /// Edits that make the build static, used when the runtime has no libc.
    pub static_edits: Vec<Edit>,
    /// Whether every copied artifact can be made static.
    pub static_ok: bool,
    /// Non-standard `-l` libraries linked.
    pub libs: Vec<String>,
    /// Instructions to add to the builder after an instruction (npm prune).
    pub builder_additions: Vec<(usize, String)>,
    /// Effective PATH directories at the CMD.
    pub path_dirs: Vec<String>,
}

const DEFAULT_PATH: &[&str] = &[
    "/usr/local/sbin",
    "/usr/local/bin",
    "/usr/sbin",
    "/usr/bin",
    "/sbin",
    "/bin",
];

/// `dir` joined with `p` (absolute `p` wins), cleaned.
pub fn join(dir: &str, p: &str) -> String {
    let p = p.trim_start_matches("./");
    if p.starts_with('/') {
        clean_path(p)
    } else if p.is_empty() || p == "." {
        clean_path(dir)
    } else {
        clean_path(&format!("{}/{p}", dir.trim_end_matches('/')))
    }
}

/// The value of an option: `-o X`, `-o=X`, `-oX` (single-letter), `--output X`, `--output=X`.
pub fn option_value(args: &[Option<&str>], names: &[String]) -> Option<Option<String>> {
    let mut it = args.iter();
    let mut found = None;
    while let Some(a) = it.next() {
        let Some(a) = a else { continue };
        for n in names {
            if *a == n.as_str() {
                found = Some(it.next().and_then(|v| v.map(String::from)));
            } else if let Some(v) = a.strip_prefix(n.as_str()) {
                if let Some(v) = v.strip_prefix('=') {
                    found = Some(Some(v.to_string()));
                } else if n.len() == 2 && !n.starts_with("--") && !v.is_empty() {
                    found = Some(Some(v.to_string()));
                }
            }
        }
    }
    found
}

/// The WORKDIR at an instruction; `/` for official images that set none, when the stage has
/// not changed it.
pub fn workdir_at(model: &Dockerfile, inst: usize) -> Result<String, String> {
    if let Some(w) = model.contexts[inst].workdir.known() {
        return Ok(w.to_string());
    }
    let stage = model.stage_of(inst);
    let untouched = stage.is_some_and(|s| {
        !model
            .stage_body(s)
            .any(|(i, x)| i < inst && x.keyword == Keyword::Workdir)
    });
    if let Some(crate::model::Base::Image(img)) = stage.map(|s| &s.base) {
        if let (true, Some(w)) = (untouched, img.known_workdir()) {
            return Ok(w.to_string());
        }
    }
    Err("the WORKDIR of the build is unknown (set by the base image)".to_string())
}

/// A variable's value in the scope of an instruction, when known.
fn var(model: &Dockerfile, inst: usize, name: &str) -> Option<String> {
    model.contexts[inst].scope.get(name).cloned().flatten()
}

/// The directory a pip command installs into: a venv (by the pip's path, `PATH` or
/// `VIRTUAL_ENV`) or an install prefix; `None` for the system site-packages.
pub fn python_target(
    model: &Dockerfile,
    scripts: &Scripts,
    inst: usize,
    cmd: &Command,
) -> Option<String> {
    let argv = argv_values(cmd);
    let prog = argv.first().copied().flatten()?;
    let wd = model.contexts[inst].workdir.known().unwrap_or("/");
    let args: Vec<Option<&str>> = argv[1..].to_vec();
    for flag in ["--prefix", "--target", "-t", "--root"] {
        if let Some(Some(v)) = option_value(&args, &[flag.to_string()]) {
            return Some(join(wd, &v));
        }
    }
    if args.contains(&Some("--user")) {
        return Some("/root/.local".into());
    }
    if matches!(basename(prog), "poetry" | "uv") {
        return var(model, inst, "VIRTUAL_ENV").or_else(|| {
            (basename(prog) == "uv" && args.first() == Some(&Some("sync")))
                .then(|| join(wd, ".venv"))
        });
    }
    // `/opt/venv/bin/pip install` or `/opt/venv/bin/python -m pip install`.
    if let Some(dir) = prog.strip_suffix(&format!("/bin/{}", basename(prog))) {
        if prog.starts_with('/') && dir != "/usr" && dir != "/usr/local" && !dir.is_empty() {
            return Some(clean_path(dir));
        }
    }
    if let Some(v) = var(model, inst, "VIRTUAL_ENV") {
        return Some(v);
    }
    // A venv created in this stage whose bin directory comes first on PATH.
    let venvs = venvs_created(model, scripts, inst);
    let path = raw_path(model, inst);
    path.iter()
        .find_map(|d| {
            d.strip_suffix("/bin")
                .filter(|v| venvs.iter().any(|x| x == v))
        })
        .map(String::from)
}

/// Virtual environments created (`python -m venv DIR`, `virtualenv DIR`) before `upto`.
fn venvs_created(model: &Dockerfile, scripts: &Scripts, upto: usize) -> Vec<String> {
    let Some(stage) = model.stage_of(upto) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, inst) in model.stage_body(stage) {
        if i > upto || inst.keyword != Keyword::Run {
            continue;
        }
        let Some(script) = scripts.get(i) else {
            continue;
        };
        let wd = model.contexts[i].workdir.known().unwrap_or("/");
        for c in &script.commands {
            let a = argv_values(c);
            let dir = match a.as_slice() {
                [Some(p), Some("-m"), Some("venv" | "virtualenv"), rest @ ..]
                    if basename(p).starts_with("python") =>
                {
                    rest.iter().flatten().find(|x| !x.starts_with('-')).copied()
                }
                [Some(p), rest @ ..] if basename(p) == "virtualenv" => {
                    rest.iter().flatten().find(|x| !x.starts_with('-')).copied()
                }
                [Some(p), Some("venv"), rest @ ..] if basename(p) == "uv" => {
                    rest.iter().flatten().find(|x| !x.starts_with('-')).copied()
                }
                _ => None,
            };
            if let Some(d) = dir {
                out.push(join(wd, d));
            }
        }
    }
    out
}

/// The PATH entries the stage's ENV instructions put before `inst`, unexpanded parts dropped.
fn raw_path(model: &Dockerfile, inst: usize) -> Vec<String> {
    let Some(stage) = model.stage_of(inst) else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    for (i, ins) in model.stage_body(stage) {
        if i > inst || ins.keyword != Keyword::Env {
            continue;
        }
        if let Args::Pairs(pairs) = &ins.args {
            for p in pairs.iter().filter(|p| p.key == "PATH") {
                let v = p.value.clone().unwrap_or_default();
                let mut new: Vec<String> = Vec::new();
                for part in v.split(':') {
                    if part == "$PATH" || part == "${PATH}" {
                        new.extend(out.iter().cloned());
                    } else if !part.contains('$') && part.starts_with('/') {
                        new.push(clean_path(part));
                    }
                }
                out = new;
            }
        }
    }
    out
}

/// The last ENTRYPOINT and CMD of the stage.
fn entry(model: &Dockerfile, stage: &Stage) -> Entry {
    let mut e = Entry::default();
    for (i, inst) in model.stage_body(stage) {
        let slot = match inst.keyword {
            Keyword::Entrypoint => &mut e.entrypoint,
            Keyword::Cmd => &mut e.cmd,
            _ => continue,
        };
        let parsed = match &inst.args {
            Args::Exec(words) => (words.iter().map(|w| w.value.clone()).collect(), false),
            Args::Shell(sh) => match crate::shell::exec_argv(&sh.logical.text) {
                Ok(argv) => (argv, true),
                // Only a glob: resolved against the artifacts below, or run by a shell.
                Err("globs") if !sh.logical.text.contains(['?', '[', '{', '~', '\n']) => {
                    e.globbed = true;
                    (
                        sh.logical
                            .text
                            .split_whitespace()
                            .map(String::from)
                            .collect(),
                        true,
                    )
                }
                Err(_) => (
                    vec![
                        "/bin/sh".into(),
                        "-c".into(),
                        sh.logical.text.trim().to_string(),
                    ],
                    true,
                ),
            },
            _ => continue,
        };
        *slot = Some((i, parsed.0, parsed.1));
        if inst.keyword == Keyword::Entrypoint {
            // A new ENTRYPOINT resets the CMD inherited so far.
            e.cmd = None;
        }
    }
    let shell_words = |x: &Option<(usize, Vec<String>, bool)>| {
        x.as_ref().is_some_and(|(_, w, _)| {
            w.first()
                .is_some_and(|p| matches!(basename(p), "sh" | "bash" | "ash" | "dash"))
        })
    };
    e.needs_shell = shell_words(&e.entrypoint) || (e.entrypoint.is_none() && shell_words(&e.cmd));
    e
}

/// Paths the command line uses: (word index, absolute path). Bare programs are looked up on
/// PATH among `artifacts`; words with a `/` or a known file extension are paths; classpaths
/// are split.
fn used_paths(
    words: &[String],
    wd: &str,
    path_dirs: &[String],
    artifacts: &[Artifact],
) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    if let [sh, c, text] = words {
        if matches!(basename(sh), "sh" | "bash" | "ash" | "dash") && c == "-c" {
            // The programs and paths of the shell command line.
            let inner: Vec<String> = text
                .split(|c: char| {
                    c.is_whitespace() || matches!(c, ';' | '|' | '&' | '(' | ')' | '"' | '\'')
                })
                .filter(|t| !t.is_empty())
                .map(String::from)
                .collect();
            for t in &inner {
                let single = [t.clone()];
                out.extend(
                    used_paths(&single, wd, path_dirs, artifacts)
                        .into_iter()
                        .map(|(_, p)| (2, p)),
                );
            }
            return out;
        }
    }
    let mut prev = "";
    for (i, w) in words.iter().enumerate() {
        if i == 0 && !w.contains('/') {
            for d in path_dirs {
                let cand = join(d, w);
                if artifacts.iter().any(|a| covers(a, &cand)) {
                    out.push((i, cand));
                    break;
                }
            }
        } else if matches!(prev, "-cp" | "-classpath" | "--class-path") {
            for part in w.split(':') {
                out.push((i, join(wd, part)));
            }
        } else if !w.starts_with('-') && (w.contains('/') || has_file_extension(w)) {
            out.push((i, join(wd, w)));
        }
        prev = w;
    }
    out
}

fn has_file_extension(w: &str) -> bool {
    [".jar", ".war", ".dll", ".js", ".mjs", ".cjs", ".py", ".exe"]
        .iter()
        .any(|e| w.ends_with(e))
}

/// Whether `path` is the artifact or inside it.
fn covers(a: &Artifact, path: &str) -> bool {
    path == a.path
        || (a.dir && path.starts_with(&format!("{}/", a.path.trim_end_matches('/'))))
        || (path.contains('*') && super::recipes::glob_match(path, &a.path))
}

/// Locate the artifacts of every step and decide what the runtime stage copies.
pub fn locate(input: &Input, stage: &Stage, steps: &[Step]) -> Result<Located, String> {
    let model = input.model;
    let mut entry = entry(model, stage);
    let mut all: Vec<Artifact> = Vec::new();
    let mut static_edits = Vec::new();
    let mut static_ok = true;
    let mut libs: Vec<String> = Vec::new();
    let mut builder_additions = Vec::new();
    let cmd_at = entry
        .cmd
        .as_ref()
        .or(entry.entrypoint.as_ref())
        .map_or(stage.body.end.saturating_sub(1).max(stage.from), |c| c.0);
    let mut path_dirs: Vec<String> = raw_path(model, cmd_at);
    if path_dirs.is_empty() {
        path_dirs = DEFAULT_PATH.iter().map(|s| s.to_string()).collect();
        path_dirs.extend(["/go/bin".to_string(), "/usr/local/cargo/bin".to_string()]);
    }
    let cmd_wd = workdir_at(model, cmd_at).ok();
    for (n, step) in steps.iter().enumerate() {
        let argv = argv_values(&step.cmd);
        let args: Vec<Option<&str>> = argv[1..].to_vec();
        let wd = || workdir_at(model, step.inst);
        let mut push = |path: String, dir: bool| {
            if !all.iter().any(|a| a.path == path) {
                all.push(Artifact { path, dir, step: n });
            }
        };
        match step.recipe.artifact {
            Strategy::Go => {
                let install =
                    args.iter().flatten().find(|a| !a.starts_with('-')) == Some(&"install");
                let pkgs = go_packages(&args);
                let name = match pkgs.first() {
                    Some(p) if p.ends_with(".go") => Some(
                        p.trim_end_matches(".go")
                            .rsplit('/')
                            .next()
                            .unwrap_or(p)
                            .to_string(),
                    ),
                    Some(p) if *p != "." && *p != "./" && !p.contains("...") => {
                        let p = p.split('@').next().unwrap_or(p).trim_end_matches('/');
                        let mut parts: Vec<&str> = p.split('/').collect();
                        if parts.len() > 1 && is_major_suffix(parts[parts.len() - 1]) {
                            parts.pop();
                        }
                        parts.last().map(|s| s.to_string())
                    }
                    Some(p) if p.contains("...") => {
                        // Several packages: the one the CMD runs by name is the artifact.
                        match entry.words().first().filter(|p| !p.contains('/')) {
                            Some(p) if install => Some(p.clone()),
                            _ => {
                                return Err(format!(
                                    "`go {}` builds several packages",
                                    if install { "install" } else { "build" }
                                ))
                            }
                        }
                    }
                    _ => go_module_name(input.context).or_else(|| {
                        // GOPATH mode (a known context without go.mod): the directory's name.
                        let gopath = !input.context.entries.is_empty()
                            && !input.context.entries.iter().any(|e| e == "go.mod");
                        gopath
                            .then(|| workdir_at(model, step.inst).ok())
                            .flatten()
                            .map(|w| basename(&w).to_string())
                            .filter(|n| !n.is_empty())
                    }),
                };
                if install {
                    let bin = var(model, step.inst, "GOBIN")
                        .or_else(|| var(model, step.inst, "GOPATH").map(|g| format!("{g}/bin")));
                    let bin = bin.or_else(|| {
                        step.recipe
                            .is_toolchain_base(stage)
                            .then(|| "/go/bin".to_string())
                    });
                    let (Some(bin), Some(name)) = (bin, name) else {
                        return Err("where `go install` puts the binary is unknown".into());
                    };
                    push(join(&bin, &name), false);
                } else {
                    let out = option_value(&args, &step.recipe.output_flags);
                    let path = match out {
                        Some(Some(o)) if o.ends_with('/') => match name {
                            Some(n) => Some(join(&wd()?, &format!("{o}{n}"))),
                            None => None,
                        },
                        Some(Some(o)) => Some(join(&wd()?, &o)),
                        Some(None) => None,
                        None => match name {
                            Some(n) => Some(join(&wd()?, &n)),
                            None => None,
                        },
                    };
                    let Some(path) = path else {
                        return Err("the output of `go build` is unknown (no `-o` and no `go.mod` next to the Dockerfile)".into());
                    };
                    push(path, false);
                }
                let cgo_set = step.cmd.assignments.iter().any(|(k, _)| k == "CGO_ENABLED")
                    || var(model, step.inst, "CGO_ENABLED").is_some();
                if !cgo_set {
                    if let Some(env) = step.recipe.static_.as_ref().and_then(|s| s.env.as_ref()) {
                        let at = step
                            .cmd
                            .argv()
                            .first()
                            .map_or(step.cmd.range.start, |w| w.range.start);
                        static_edits.push(Edit::insert(at, format!("{env} ")));
                    }
                }
            }
            Strategy::Cc => {
                if args.iter().any(|a| {
                    matches!(
                        a,
                        Some("-c" | "-E" | "-S" | "-M" | "-MM" | "--version" | "-v")
                    )
                }) {
                    continue;
                }
                if args.contains(&Some("-shared")) {
                    return Err("the build makes a shared library".into());
                }
                let out = match option_value(&args, &step.recipe.output_flags) {
                    Some(Some(o)) => o,
                    Some(None) => return Err("the compiler's `-o` is not a literal path".into()),
                    None => "a.out".into(),
                };
                push(join(&wd()?, &out), false);
                for a in args.iter().flatten() {
                    if let Some(l) = a.strip_prefix("-l") {
                        if !recipes().libs.standard.iter().any(|s| s == l)
                            && !libs.iter().any(|x| x == l)
                        {
                            libs.push(l.to_string());
                        }
                    }
                }
                if !args.contains(&Some("-static")) {
                    if let (Some(flag), Some(w)) = (
                        step.recipe.static_.as_ref().and_then(|s| s.flag.as_ref()),
                        step.cmd.argv().first(),
                    ) {
                        static_edits.push(Edit::insert(w.range.end, format!(" {flag}")));
                    }
                }
            }
            Strategy::Command => {
                static_ok = false;
                if args.contains(&Some("install")) {
                    return Err("`make install` spreads its files under a prefix".into());
                }
                let words = entry.words();
                let Some(prog) = words.first() else {
                    return Err(
                        "the build's output is unknown (no CMD or ENTRYPOINT runs it)".into(),
                    );
                };
                if !prog.contains('/') {
                    return Err(format!(
                        "the build's output is unknown (`{prog}` is looked up on PATH)"
                    ));
                }
                let Some(cwd) = cmd_wd.as_deref() else {
                    return Err("the WORKDIR of the CMD is unknown".into());
                };
                let p = join(cwd, prog);
                if p.starts_with("/usr/bin/") || p.starts_with("/bin/") {
                    return Err(format!(
                        "the build's output is unknown (`{prog}` comes with the image)"
                    ));
                }
                push(p, false);
            }
            Strategy::Cargo => {
                let wd = wd()?;
                let sub = args.iter().flatten().find(|a| !a.starts_with('-')).copied();
                let manifest = option_value(&args, &["--manifest-path".to_string()]).flatten();
                let project_rel = manifest.as_deref().map(|m| {
                    m.trim_end_matches("Cargo.toml")
                        .trim_end_matches('/')
                        .to_string()
                });
                let manifest_text = project_rel
                    .as_deref()
                    .map(|p| {
                        if p.is_empty() {
                            "Cargo.toml".to_string()
                        } else {
                            format!("{p}/Cargo.toml")
                        }
                    })
                    .or(Some("Cargo.toml".into()))
                    .and_then(|m| {
                        input
                            .context
                            .get(&context_rel(model, step.inst, &m)?)
                            .map(String::from)
                    });
                let bin = option_value(&args, &["--bin".to_string()])
                    .flatten()
                    .or_else(|| manifest_text.as_deref().and_then(cargo_bin));
                let target = option_value(&args, &["--target".to_string()]).flatten();
                if target.as_deref().is_some_and(|t| !t.contains("musl")) || target.is_none() {
                    static_ok = false;
                }
                if sub == Some("install") {
                    let root = option_value(&args, &["--root".to_string()])
                        .flatten()
                        .or_else(|| var(model, step.inst, "CARGO_INSTALL_ROOT"))
                        .or_else(|| var(model, step.inst, "CARGO_HOME"))
                        .or_else(|| {
                            step.recipe
                                .is_toolchain_base(stage)
                                .then(|| "/usr/local/cargo".into())
                        });
                    let (Some(root), Some(bin)) = (root, bin) else {
                        return Err("where `cargo install` puts the binary is unknown".into());
                    };
                    push(join(&join(&wd, &root), &format!("bin/{bin}")), false);
                } else {
                    let profile =
                        if let Some(Some(p)) = option_value(&args, &["--profile".to_string()]) {
                            if p == "dev" {
                                "debug".to_string()
                            } else {
                                p
                            }
                        } else if args.iter().any(|a| matches!(a, Some("--release" | "-r"))) {
                            "release".into()
                        } else {
                            "debug".into()
                        };
                    let target_dir = option_value(&args, &["--target-dir".to_string()])
                        .flatten()
                        .or_else(|| var(model, step.inst, "CARGO_TARGET_DIR"))
                        .unwrap_or_else(|| match &project_rel {
                            Some(p) if !p.is_empty() => format!("{p}/target"),
                            _ => "target".into(),
                        });
                    let dir = match &target {
                        Some(t) => format!("{target_dir}/{t}/{profile}"),
                        None => format!("{target_dir}/{profile}"),
                    };
                    let dir = join(&wd, &dir);
                    match bin {
                        Some(b) => push(join(&dir, &b), false),
                        None => {
                            // Without Cargo.toml, accept the binary the CMD runs from that directory.
                            let words = entry.words();
                            let p = words
                                .first()
                                .zip(cmd_wd.as_deref())
                                .map(|(p, w)| join(w, p));
                            match p.filter(|p| p.starts_with(&format!("{dir}/"))) {
                                Some(p) => push(p, false),
                                None => return Err("the binary's name is unknown (no `Cargo.toml` next to the Dockerfile)".into()),
                            }
                        }
                    }
                }
            }
            Strategy::Maven => {
                let wd = wd()?;
                let pom_rel = option_value(&args, &["-f".to_string(), "--file".to_string()])
                    .flatten()
                    .unwrap_or_else(|| "pom.xml".into());
                let project = pom_rel.trim_end_matches("pom.xml").trim_end_matches('/');
                let pom =
                    context_rel(model, step.inst, &pom_rel).and_then(|r| input.context.get(&r));
                let target = join(
                    &wd,
                    if project.is_empty() {
                        "target".into()
                    } else {
                        format!("{project}/target")
                    }
                    .as_str(),
                );
                match cmd_artifact_under(&entry, cmd_wd.as_deref(), &target) {
                    Some(p) => push(p, false),
                    None => match pom.and_then(maven_artifact) {
                        Some(file) => push(join(&target, &file), false),
                        None => return Err("the Maven artifact is unknown (no readable `pom.xml` next to the Dockerfile)".into()),
                    },
                }
            }
            Strategy::Gradle => {
                let wd = wd()?;
                let libs_dir = join(&wd, "build/libs");
                let settings = input
                    .context
                    .get("settings.gradle")
                    .or_else(|| input.context.get("settings.gradle.kts"));
                let build = input
                    .context
                    .get("build.gradle")
                    .or_else(|| input.context.get("build.gradle.kts"));
                let name = settings
                    .and_then(|s| gradle_value(s, "rootProject.name"))
                    .or_else(|| basename(&wd).to_string().into())
                    .filter(|n| !n.is_empty());
                let version = build.and_then(|b| gradle_value(b, "version")).or_else(|| {
                    input
                        .context
                        .get("gradle.properties")
                        .and_then(|p| gradle_value(p, "version"))
                });
                match cmd_artifact_under(&entry, cmd_wd.as_deref(), &libs_dir) {
                    Some(p) => push(p, false),
                    None => match (name, build.is_some()) {
                        (Some(n), true) => push(join(&libs_dir, &match version { Some(v) => format!("{n}-{v}.jar"), None => format!("{n}.jar") }), false),
                        _ => return Err("the Gradle artifact is unknown (no `build.gradle` next to the Dockerfile)".into()),
                    },
                }
            }
            Strategy::Java => {
                let wd = wd()?;
                let prog = argv.first().copied().flatten().map(basename).unwrap_or("");
                if prog == "javac" {
                    match option_value(&args, &["-d".to_string()]) {
                        Some(Some(d)) => push(join(&wd, &d), true),
                        _ => {
                            return Err(
                                "`javac` without `-d` writes the classes beside the sources".into(),
                            )
                        }
                    }
                } else {
                    match jar_file(&args) {
                        Some(f) => push(join(&wd, &f), false),
                        None => {
                            if args
                                .iter()
                                .flatten()
                                .next()
                                .is_some_and(|a| a.contains('c') || a.starts_with("--create"))
                            {
                                return Err("the `jar` command's output file is unknown".into());
                            }
                        }
                    }
                }
            }
            Strategy::Node => {
                let wd = wd()?;
                let pm = argv
                    .first()
                    .copied()
                    .flatten()
                    .map(basename)
                    .unwrap_or("npm");
                // The build output is the directory the CMD's script lives in.
                let mut words = entry.words();
                if words.len() >= 2
                    && matches!(basename(&words[0]), "npm" | "yarn" | "pnpm")
                    && words[1..].iter().any(|w| w == "start")
                {
                    let start = input
                        .context
                        .get("package.json")
                        .and_then(|p| package_script(p, "start"));
                    // Leading `NAME=value` assignments only set the environment.
                    let start = start.map(|s| {
                        s.split_whitespace()
                            .skip_while(|w| w.contains('=') && !w.starts_with('-'))
                            .collect::<Vec<_>>()
                            .join(" ")
                    });
                    match start.and_then(|s| crate::shell::exec_argv(&s).ok()) {
                        Some(argv) => words = argv,
                        None => return Err("what `npm start` runs is unknown (no `package.json` start script next to the Dockerfile)".into()),
                    }
                }
                let script = words.iter().skip(1).find(|w| !w.starts_with('-'));
                let node = words.first().is_some_and(|p| basename(p) == "node");
                let Some(script) = script.filter(|_| node) else {
                    return Err("the build output the CMD runs is unknown (the CMD does not run `node <file>`)".into());
                };
                let cwd = cmd_wd.clone().unwrap_or_else(|| wd.clone());
                let abs = join(&cwd, script);
                let rel = abs
                    .strip_prefix(&format!("{}/", wd.trim_end_matches('/')))
                    .unwrap_or("");
                let Some((top, _)) = rel.split_once('/') else {
                    return Err(format!("the CMD runs `{script}` from the source tree, not from a build output directory"));
                };
                if matches!(top, "src" | "node_modules") {
                    return Err(format!(
                        "the CMD runs `{script}` from `{top}/`, not from a build output directory"
                    ));
                }
                push(join(&wd, top), true);
                push(join(&wd, "package.json"), false);
                push(join(&wd, "node_modules"), true);
                let prune = match pm {
                    "yarn" => "RUN yarn install --production --ignore-scripts --prefer-offline",
                    "pnpm" => "RUN pnpm prune --prod",
                    _ => "RUN npm prune --omit=dev",
                };
                builder_additions.push((step.inst, prune.to_string()));
                static_ok = false;
            }
            Strategy::Python => {
                static_ok = false;
                let prog = argv.first().copied().flatten().map(basename).unwrap_or("");
                if args.iter().flatten().any(|a| *a == "wheel") && matches!(prog, "pip" | "pip3") {
                    return Err("`pip wheel` builds wheels that the runtime stage would still have to install".into());
                }
                let Some(t) = python_target(model, input.scripts, step.inst, &step.cmd) else {
                    return Err("`pip install` writes into the system site-packages".into());
                };
                push(t, true);
            }
            Strategy::Dotnet => {
                static_ok = false;
                let wd = wd()?;
                match option_value(&args, &step.recipe.output_flags) {
                    Some(Some(o)) => push(join(&wd, &o), true),
                    _ => return Err("`dotnet publish` has no `-o` output directory".into()),
                }
            }
        }
    }
    derived_copies(model, input.scripts, stage, &mut all);
    cargo_run_entry(&mut entry, &all, steps);
    // Which artifacts does the runtime stage need?
    let words = entry.words();
    let cwd = cmd_wd.clone().unwrap_or_else(|| "/".into());
    let used = used_paths(&words, &cwd, &path_dirs, &all);
    if !words.is_empty()
        && cmd_wd.is_none()
        && used.iter().any(|(i, _)| !words[*i].starts_with('/'))
    {
        return Err("the WORKDIR of the CMD is unknown".into());
    }
    let mut copy: Vec<Artifact> = Vec::new();
    let mut primary = None;
    for a in &all {
        let recipe = steps[a.step].recipe;
        let referenced = used.iter().any(|(_, p)| covers(a, p));
        if referenced || recipe.copy == CopyPolicy::All {
            if referenced && primary.is_none() {
                primary = Some(a.step);
            }
            if !copy.iter().any(|c| c.path == a.path) {
                copy.push(a.clone());
            }
        }
    }
    // Globs in the CMD (`target/*.jar`) become the artifact they match.
    let mut war = None;
    if primary.is_none() {
        if let Some(w) = all.iter().find(|a| a.path.ends_with(".war")) {
            war = Some(w.path.clone());
            primary = Some(w.step);
            copy.retain(|c| c.path != w.path);
        } else if let Some(a) = copy.first() {
            primary = Some(a.step);
        }
    }
    let Some(primary) = primary else {
        return match (words.first(), all.first()) {
            (None, _) => {
                Err("no `CMD` or `ENTRYPOINT`: what the runtime stage should run is unknown".into())
            }
            (Some(_), Some(a)) => Err(format!(
                "the CMD does not run the build's output `{}`",
                a.path
            )),
            (Some(_), None) => Err("the build's output is unknown".into()),
        };
    };
    // Steps whose output is left behind would silently go missing.
    for (n, s) in steps.iter().enumerate() {
        let produced: Vec<&Artifact> = all.iter().filter(|a| a.step == n).collect();
        let kept = produced
            .iter()
            .any(|a| copy.iter().any(|c| c.path == a.path) || war.as_deref() == Some(&a.path));
        let intermediate = produced.iter().all(|a| {
            // e.g. `javac -d classes` feeding `jar`: used by a later step of the same recipe.
            steps.iter().skip(n + 1).any(|later| {
                later.cmd.argv().iter().any(|w| {
                    w.value.as_deref().is_some_and(|v| {
                        join(&workdir_at(model, later.inst).unwrap_or_default(), v) == a.path
                    })
                })
            })
        });
        if !kept && !intermediate && !produced.is_empty() {
            return Err(format!(
                "the build also runs `{}`, whose output `{}` the runtime stage would not carry",
                super::command_text(&s.cmd),
                produced[0].path
            ));
        }
    }
    // Executables in the CMD become absolute paths.
    for (_, argv, _) in [&mut entry.entrypoint, &mut entry.cmd]
        .into_iter()
        .flatten()
    {
        if let Some(p) = argv.first_mut() {
            if p.contains('/') && !p.starts_with('/') {
                *p = join(&cwd, p);
            } else if !p.contains('/') {
                if let Some(a) = copy.iter().find(|a| {
                    !a.dir
                        && basename(&a.path) == p
                        && path_dirs.iter().any(|d| join(d, p) == a.path)
                }) {
                    *p = a.path.clone();
                }
            }
        }
        let shell = argv
            .first()
            .is_some_and(|p| matches!(basename(p), "sh" | "bash" | "ash" | "dash"));
        let mut prev = String::new();
        for w in argv.iter_mut().skip(1) {
            let plain = !shell && !w.contains('$') && !w.contains("://") && !w.starts_with('/');
            if plain && matches!(prev.as_str(), "-cp" | "-classpath" | "--class-path") {
                let parts: Vec<String> = w.split(':').map(|p| join(&cwd, p)).collect();
                *w = parts.join(":");
            } else if plain
                && !w.starts_with('-')
                && !w.contains(':')
                && (w.contains('/') || has_file_extension(w))
            {
                *w = join(&cwd, w);
            }
            prev = w.clone();
            if w.contains('*') {
                let abs = join(&cwd, w);
                if let Some(a) = copy
                    .iter()
                    .find(|a| super::recipes::glob_match(&abs, &a.path))
                {
                    *w = a.path.clone();
                }
            }
        }
    }
    if entry.globbed {
        for (_, argv, _) in [&mut entry.entrypoint, &mut entry.cmd]
            .into_iter()
            .flatten()
        {
            if argv.iter().any(|w| w.contains('*')) {
                let text = argv.join(" ");
                *argv = vec!["/bin/sh".into(), "-c".into(), text];
                entry.needs_shell = true;
            }
        }
    }
    let static_ok = static_ok
        && steps
            .iter()
            .all(|s| s.recipe.static_.is_some() || s.recipe.artifact == Strategy::Java);
    Ok(Located {
        copy,
        war,
        entry,
        primary,
        static_edits,
        static_ok,
        libs,
        builder_additions,
        path_dirs,
    })
}

/// A concrete artifact the CMD names under `dir` (e.g. `target/app.jar`), or the one its glob
/// names when the glob has no other candidate.
fn cmd_artifact_under(entry: &Entry, cwd: Option<&str>, dir: &str) -> Option<String> {
    let cwd = cwd?;
    entry
        .words()
        .iter()
        .map(|w| join(cwd, w))
        .find(|p| p.starts_with(&format!("{dir}/")) && !p.contains('*'))
}

pub fn is_major_suffix(s: &str) -> bool {
    s.len() > 1 && s.starts_with('v') && s[1..].chars().all(|c| c.is_ascii_digit())
}

/// Package arguments of `go build`/`go install` (flag values skipped).
pub fn go_packages<'a>(args: &[Option<&'a str>]) -> Vec<&'a str> {
    const WITH_VALUE: &[&str] = &[
        "-o",
        "-p",
        "-ldflags",
        "-gcflags",
        "-asmflags",
        "-tags",
        "-mod",
        "-modfile",
        "-buildmode",
        "-compiler",
        "-gccgoflags",
        "-installsuffix",
        "-overlay",
        "-pgo",
        "-pkgdir",
        "-toolexec",
        "-buildvcs",
        "-C",
    ];
    let mut out = Vec::new();
    let mut it = args
        .iter()
        .skip_while(|a| a.is_some_and(|a| a.starts_with('-')))
        .skip(1);
    while let Some(a) = it.next() {
        let Some(a) = a else { continue };
        let flag = a.trim_start_matches('-');
        if a.starts_with('-') {
            if !a.contains('=') && WITH_VALUE.contains(&format!("-{flag}").as_str()) {
                it.next();
            }
            continue;
        }
        out.push(*a);
    }
    out
}

/// The last element of the module path in `go.mod` (major version suffix dropped).
pub fn go_module_name(ctx: &super::BuildContext) -> Option<String> {
    let m = ctx.get("go.mod")?;
    let line = m.lines().find_map(|l| l.trim().strip_prefix("module "))?;
    let path = line.trim().trim_matches('"');
    let mut parts: Vec<&str> = path.split('/').collect();
    if parts.len() > 1 && is_major_suffix(parts[parts.len() - 1]) {
        parts.pop();
    }
    parts.last().map(|s| s.to_string())
}

/// The context-relative path of a file a build step names relative to its WORKDIR, assuming
/// the context is copied to the WORKDIR (`COPY . .` or `COPY <file> .`).
fn context_rel(model: &Dockerfile, inst: usize, rel: &str) -> Option<String> {
    if rel.starts_with('/') {
        let wd = model.contexts[inst].workdir.known()?;
        return rel
            .strip_prefix(&format!("{}/", wd.trim_end_matches('/')))
            .map(String::from);
    }
    Some(rel.trim_start_matches("./").to_string())
}

/// The binary name from `Cargo.toml`: the single `[[bin]]`'s name, else the package name.
fn cargo_bin(text: &str) -> Option<String> {
    let v: toml::Value = toml::from_str(text).ok()?;
    if let Some(bins) = v.get("bin").and_then(|b| b.as_array()) {
        if bins.len() == 1 {
            if let Some(n) = bins[0].get("name").and_then(|n| n.as_str()) {
                return Some(n.to_string());
            }
        }
        if bins.len() > 1 {
            return None;
        }
    }
    v.get("package")?.get("name")?.as_str().map(String::from)
}

/// `<finalName or artifactId-version>.<packaging>` from a `pom.xml`.
fn maven_artifact(pom: &str) -> Option<String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(pom);
    let mut path: Vec<String> = Vec::new();
    let (mut artifact, mut version, mut parent_version, mut packaging, mut final_name) =
        (None, None, None, None, None);
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) => {
                path.push(String::from_utf8_lossy(e.local_name().as_ref()).into_owned())
            }
            Event::End(_) => {
                path.pop();
            }
            Event::Text(t) => {
                let text = t.unescape().ok()?.trim().to_string();
                let p: Vec<&str> = path.iter().map(String::as_str).collect();
                match p.as_slice() {
                    ["project", "artifactId"] => artifact = Some(text),
                    ["project", "version"] => version = Some(text),
                    ["project", "parent", "version"] => parent_version = Some(text),
                    ["project", "packaging"] => packaging = Some(text),
                    ["project", "build", "finalName"] => final_name = Some(text),
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let version = version.or(parent_version);
    let packaging = packaging.unwrap_or_else(|| "jar".into());
    if !matches!(packaging.as_str(), "jar" | "war") {
        return None;
    }
    let name = match final_name {
        Some(f) => f
            .replace("${project.artifactId}", artifact.as_deref()?)
            .replace("${project.version}", version.as_deref().unwrap_or("")),
        None => format!("{}-{}", artifact?, version?),
    };
    if name.contains("${") {
        return None;
    }
    Some(format!("{name}.{packaging}"))
}

/// `name = 'value'` / `name = "value"` in a Gradle or properties file.
fn gradle_value(text: &str, key: &str) -> Option<String> {
    text.lines().find_map(|l| {
        let rest = l.trim().strip_prefix(key)?.trim_start();
        let rest = rest.strip_prefix('=')?.trim();
        let v = rest.trim_matches(|c| c == '\'' || c == '"');
        (!v.is_empty() && !v.contains('$') && !v.contains(' ')).then(|| v.to_string())
    })
}

/// The file `jar` writes: `--file X`, `--file=X`, or the value for `f` in an option cluster.
fn jar_file(args: &[Option<&str>]) -> Option<String> {
    if let Some(Some(f)) = option_value(args, &["--file".to_string()]) {
        return Some(f);
    }
    let first = args.first().copied().flatten()?;
    if first.starts_with("--") {
        return None;
    }
    let cluster = first.trim_start_matches('-');
    // Letters that take a value, in order, consume the following arguments.
    let mut next = 1;
    for c in cluster.chars() {
        match c {
            'f' => return args.get(next).copied().flatten().map(String::from),
            'e' | 'm' => next += 1,
            _ => {}
        }
    }
    None
}

/// A script from `package.json`.
fn package_script(text: &str, name: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(text).ok()?;
    v.get("scripts")?.get(name)?.as_str().map(String::from)
}

/// `cp`/`mv` of an artifact in a later RUN makes the copy an artifact too (`cp target/*.jar app.jar`).
fn derived_copies(model: &Dockerfile, scripts: &Scripts, stage: &Stage, all: &mut Vec<Artifact>) {
    for (i, inst) in model.stage_body(stage) {
        if inst.keyword != Keyword::Run {
            continue;
        }
        let Some(script) = scripts.get(i) else {
            continue;
        };
        let Ok(wd) = workdir_at(model, i) else {
            continue;
        };
        for c in &script.commands {
            if !matches!(c.name(), Some("cp" | "mv" | "install")) {
                continue;
            }
            let args: Vec<&str> = c.args().filter(|a| !a.starts_with('-')).collect();
            let [src, dest] = args.as_slice() else {
                continue;
            };
            let src = join(&wd, src);
            let Some(a) = all
                .iter()
                .find(|a| covers(a, &src) || src == a.path)
                .cloned()
            else {
                continue;
            };
            let mut d = join(&wd, dest);
            if dest.ends_with('/') || *dest == "." {
                d = join(&d, basename(&a.path));
            }
            if !all.iter().any(|x| x.path == d) {
                all.push(Artifact {
                    path: d,
                    dir: a.dir,
                    step: a.step,
                });
            }
        }
    }
}

/// `cargo run [--release] [--bin X] [-- ARGS]` in the CMD runs the binary the build made.
fn cargo_run_entry(entry: &mut Entry, all: &[Artifact], steps: &[Step]) {
    for slot in [&mut entry.entrypoint, &mut entry.cmd] {
        let Some((_, argv, _)) = slot else { continue };
        let is_run = argv.len() >= 2 && basename(&argv[0]) == "cargo" && argv[1] == "run";
        if !is_run {
            continue;
        }
        let release = argv.iter().any(|a| a == "--release" || a == "-r");
        let profile = if release { "/release/" } else { "/debug/" };
        let bin = argv
            .windows(2)
            .find(|w| w[0] == "--bin")
            .map(|w| w[1].clone());
        let cargo = all.iter().find(|a| {
            steps[a.step].recipe.artifact == Strategy::Cargo
                && a.path.contains(profile)
                && bin.as_ref().is_none_or(|b| basename(&a.path) == b)
        });
        if let Some(a) = cargo {
            let rest: Vec<String> = argv
                .iter()
                .skip_while(|a| *a != "--")
                .skip(1)
                .cloned()
                .collect();
            let mut new = vec![a.path.clone()];
            new.extend(rest);
            *argv = new;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn option_values() {
        fn a(s: &str) -> Vec<Option<&str>> {
            s.split(' ').map(Some).collect()
        }
        let o = vec!["-o".to_string()];
        assert_eq!(
            option_value(&a("-O2 -o app main.c"), &o),
            Some(Some("app".into()))
        );
        assert_eq!(
            option_value(&a("-oapp main.c"), &o),
            Some(Some("app".into()))
        );
        assert_eq!(option_value(&a("main.c"), &o), None);
        assert_eq!(
            jar_file(&a("cfe app.jar Main -C classes .")),
            Some("app.jar".into())
        );
        assert_eq!(
            jar_file(&a("cvef Main app.jar -C classes .")),
            Some("app.jar".into())
        );
        assert_eq!(jar_file(&a("--create --file=x.jar")), Some("x.jar".into()));
        assert_eq!(
            go_packages(&a("build -ldflags -s -o /x ./cmd/srv")),
            vec!["./cmd/srv"]
        );
    }

    #[test]
    fn project_files() {
        assert_eq!(
            cargo_bin("[package]\nname = \"rustcli\"\n"),
            Some("rustcli".into())
        );
        assert_eq!(
            cargo_bin("[package]\nname = \"a\"\n[[bin]]\nname = \"b\"\npath = \"src/main.rs\"\n"),
            Some("b".into())
        );
        let pom = "<project><parent><version>3.2.0</version></parent><artifactId>demo</artifactId><version>0.0.1-SNAPSHOT</version></project>";
        assert_eq!(maven_artifact(pom), Some("demo-0.0.1-SNAPSHOT.jar".into()));
        let pom = "<project><artifactId>web</artifactId><version>1</version><packaging>war</packaging><build><finalName>${project.artifactId}</finalName></build></project>";
        assert_eq!(maven_artifact(pom), Some("web.war".into()));
        assert_eq!(
            gradle_value("rootProject.name = 'demo'\n", "rootProject.name"),
            Some("demo".into())
        );
        assert_eq!(
            gradle_value("version = \"1.0\"\n", "version"),
            Some("1.0".into())
        );
        let ctx = super::super::BuildContext {
            files: [(
                "go.mod".to_string(),
                "module example.com/tool/v2\n\ngo 1.22\n".to_string(),
            )]
            .into(),
            entries: vec![],
        };
        assert_eq!(go_module_name(&ctx), Some("tool".into()));
        assert_eq!(join("/app", "./dist/index.js"), "/app/dist/index.js");
        assert_eq!(join("/app", "/x/../y"), "/y");
    }
}
