//! `dynamic-binary-on-scratch`: a binary linked against a C library it will not find is copied
//! into the final image: onto `scratch`, a static distroless image or `busybox`, or a
//! glibc-linked binary onto Alpine (musl).
//!
//! The build step is found in the stage a `COPY --from` names (or the stages it is built on)
//! with the converter's recipes ([`crate::convert::build_steps`]): `go build`/`go install`,
//! the C and C++ compilers, `cargo build`/`cargo install`. Its output path comes from `-o`,
//! the package or module name, or Cargo's target directory, resolved against the WORKDIR, and
//! must be what the `COPY` copies. What the images provide is [`crate::model::runtime`].

use std::collections::{BTreeMap, HashMap};

use super::{Ctx, Report};
use crate::convert::artifacts::{
    go_module_name, go_packages, is_major_suffix, join, option_value,
};
use crate::convert::recipes::glob_match;
use crate::convert::{self, Strategy};
use crate::fix::{Edit, Fix};
use crate::model::runtime::{self, Libc, SharedLibs};
use crate::model::{clean_path, Base, Dockerfile, Stage, Target};
use crate::shell::{basename, Command, Span};
use crate::source::TextRange;
use crate::syntax::Keyword;

crate::declare_rule! {
    slug: "dynamic-binary-on-scratch",
    codes: [],
    group: Correctness,
    severity: Error,
    fix: Sometimes,
    since: "0.4.0",
    summary: "a dynamically linked binary is copied into a final image that lacks its C library (`scratch`, static distroless, `busybox`, glibc on Alpine)",
    hooks: { file: check },
}

/// What a build step links dynamically against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Linking {
    /// Go with cgo on: dynamic when the program imports `net` or `os/user` (or uses cgo).
    GoCgo,
    /// C: libc.
    C,
    /// C++: libc, libstdc++ and libgcc_s.
    Cxx,
    /// Rust for a `*-linux-gnu` target: glibc and libgcc_s.
    Rust,
}

impl Linking {
    fn needs_gcc_runtime(self) -> bool {
        matches!(self, Linking::Cxx | Linking::Rust)
    }
}

/// A dynamically linked output of a build step.
#[derive(Debug, Clone)]
struct Built {
    /// Absolute path in the builder.
    path: String,
    /// A directory whose files are the outputs (Cargo's profile directory, `go build -o dir/`).
    dir: bool,
    linking: Linking,
    /// The C library it links against, when known.
    libc: Option<Libc>,
    /// Why it is linked dynamically, for the help.
    why: String,
    /// The build command's range, for a label.
    step: TextRange,
    /// The edit that makes the build static, when there is a mechanical one.
    fix: Option<(String, Edit)>,
}

/// The image a binary is copied into, and what it provides.
struct Runtime {
    what: String,
    libs: SharedLibs,
}

fn check(ctx: &Ctx, out: &mut Report) {
    let model = ctx.model;
    if model.stages.len() < 2 {
        return;
    }
    // An image with no command is an export stage (`--output`), its files are not run here.
    let runs = model
        .stages
        .iter()
        .filter(|s| model.ships(s.index))
        .any(|s| {
            model
                .stage_body(s)
                .any(|(_, i)| matches!(i.keyword, Keyword::Cmd | Keyword::Entrypoint))
        });
    // The outputs of each builder stage, found once however many COPYs name it.
    let mut cache: HashMap<usize, Outputs> = HashMap::new();
    // Per stage (shipping ones only): whether it brings libraries in.
    let provides: Vec<bool> = model
        .stages
        .iter()
        .map(|s| model.ships(s.index) && provides_libraries(ctx, s))
        .collect();
    // The stage each COPY/ADD `--from` names, by instruction.
    let sources: HashMap<usize, usize> = model
        .stage_refs
        .iter()
        .filter(|r| r.kind == crate::model::RefKind::CopyFrom)
        .filter_map(|r| match r.target {
            Target::Named(s) | Target::Index(s) => Some((r.instruction, s)),
            _ => None,
        })
        .collect();
    for stage in model.stages.iter().filter(|s| model.ships(s.index)) {
        if stage.windows {
            continue;
        }
        let Some(rt) = runtime_of(model, stage) else {
            continue;
        };
        if rt.libs.libc.is_none() && !runs && !has_default_command(model, stage) {
            continue;
        }
        if line(model, stage)
            .iter()
            .any(|s| provides.get(s.index).copied().unwrap_or(false))
        {
            continue;
        }
        for (i, inst) in model.stage_body(stage) {
            if !matches!(inst.keyword, Keyword::Copy | Keyword::Add) {
                continue;
            }
            let Some(from) = sources.get(&i).and_then(|&s| model.stages.get(s)) else {
                continue;
            };
            let built = cache
                .entry(from.index)
                .or_insert_with(|| outputs(ctx, from));
            if built.is_empty() {
                continue;
            }
            let words = inst.words();
            let Some((_, sources)) = words.split_last() else {
                continue;
            };
            for src in sources {
                let Some(value) = model.contexts[i].scope.expand(&src.value, model.escape) else {
                    continue;
                };
                let path = clean_path(&value);
                let Some(b) = built.find(&path) else {
                    continue;
                };
                report(out, &rt, b, &path, src.range.clone(), from);
            }
        }
    }
}

/// Whether the stage is built on an image (not `scratch`): such an image is run, with a command
/// given at `docker run` if it sets none (`busybox` and `alpine` run a shell by default).
fn has_default_command(model: &Dockerfile, stage: &Stage) -> bool {
    matches!(root_base(model, stage), Base::Image(_))
}

/// The first base of a stage's line that is not another stage.
fn root_base<'m>(model: &'m Dockerfile, stage: &'m Stage) -> &'m Base {
    let mut s = stage;
    for _ in 0..model.stages.len() {
        match &s.base {
            Base::Stage(p) if *p < s.index => s = &model.stages[*p],
            other => return other,
        }
    }
    &s.base
}

/// The stage and the stages it is built on, nearest first.
fn line<'m>(model: &'m Dockerfile, stage: &'m Stage) -> Vec<&'m Stage> {
    let mut out = vec![stage];
    let mut s = stage;
    while let Base::Stage(p) = &s.base {
        if *p >= s.index || out.len() > model.stages.len() {
            break;
        }
        s = &model.stages[*p];
        out.push(s);
    }
    out
}

/// What the stage's image provides, when it lacks something a dynamic binary may need.
fn runtime_of(model: &Dockerfile, stage: &Stage) -> Option<Runtime> {
    let (what, libs) = match root_base(model, stage) {
        Base::Scratch => (
            "`scratch`".to_string(),
            SharedLibs {
                libc: None,
                gcc_runtime: false,
            },
        ),
        Base::Image(img) => (format!("`{}`", image_text(img)), runtime::shared_libs(img)?),
        _ => return None,
    };
    let what = match (&stage.base, line(model, stage).last()) {
        (Base::Stage(_), Some(root)) => format!("{what} (the base of stage `{}`)", stage_name(root)),
        _ => what,
    };
    Some(Runtime { what, libs })
}

fn stage_name(s: &Stage) -> String {
    s.name.clone().unwrap_or_else(|| s.index.to_string())
}

/// Whether the stage brings a C library or a root filesystem in: copies of `/lib`, the loader
/// or `libc.so`, of a whole root (`COPY --from=x / /`, an archive `ADD`ed), or Alpine's glibc
/// compatibility packages.
fn provides_libraries(ctx: &Ctx, s: &Stage) -> bool {
    ctx.model.stage_body(s).any(|(i, inst)| match inst.keyword {
        Keyword::Copy | Keyword::Add => copies_libraries(inst),
        Keyword::Run => ctx.scripts.get(i).is_some_and(|sc| {
            sc.package_commands().any(|(_, a)| {
                a.packages.iter().any(|p| {
                    p.name.as_deref().is_some_and(|n| {
                        matches!(n, "gcompat" | "libc6-compat" | "glibc" | "glibc-bin")
                    })
                })
            })
        }),
        _ => false,
    })
}

/// Library directories a COPY may fill.
const LIB_DIRS: &[&str] = &["/lib", "/lib64", "/usr/lib", "/usr/lib64", "/usr/local/lib"];
/// Names of the loader and the C and C++ runtime libraries.
const LIB_NAMES: &[&str] = &["ld-linux", "ld-musl", "libc.so", "libc.musl", "libstdc++", "libgcc"];

/// Whether a COPY or ADD brings libraries: a library directory or file, a whole root file
/// system, or an archive `ADD` unpacks.
fn copies_libraries(inst: &crate::syntax::Instruction) -> bool {
    let words = inst.words();
    words.iter().enumerate().any(|(n, w)| {
        let v = w.value.as_str();
        let source = n + 1 < words.len();
        let root = source && v == "/";
        let lib_dir = LIB_DIRS
            .iter()
            .any(|d| v == *d || v.strip_prefix(d).is_some_and(|r| r.starts_with('/')));
        let lib = LIB_NAMES.iter().any(|n| v.contains(n));
        // ADD unpacks local archives only.
        let archive = inst.keyword == Keyword::Add
            && source
            && !v.contains("://")
            && [".tar", ".tgz", ".txz", ".tbz"].iter().any(|e| v.contains(e));
        root || lib_dir || lib || archive
    })
}

/// The outputs of a builder line, indexed by path so that a file with thousands of builds and
/// COPYs is not compared pairwise.
#[derive(Default)]
struct Outputs {
    list: Vec<Built>,
    by_path: BTreeMap<String, usize>,
}

/// Most outputs a glob is matched against.
const GLOB_SCAN_LIMIT: usize = 1_000;

impl Outputs {
    fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    fn push(&mut self, b: Built) {
        if self.by_path.contains_key(&b.path) {
            return;
        }
        self.by_path.insert(b.path.clone(), self.list.len());
        self.list.push(b);
    }

    /// The output that copying `path` copies: the file itself, a file in an output directory,
    /// a directory holding an output, or a glob matching one.
    fn find(&self, path: &str) -> Option<&Built> {
        if path == "/" {
            return None;
        }
        let at = |i: &usize| self.list.get(*i);
        if let Some(b) = self.by_path.get(path).and_then(at) {
            return Some(b);
        }
        // A program directly in an output directory (`target/release/app`).
        if let Some((dir, name)) = path.rsplit_once('/') {
            let dir = if dir.is_empty() { "/" } else { dir };
            if let Some(b) = self.by_path.get(dir).and_then(at) {
                if b.dir && is_binary_name(name) {
                    return Some(b);
                }
            }
        }
        // A directory that holds an output.
        let prefix = format!("{}/", path.trim_end_matches('/'));
        if let Some((_, i)) = self.by_path.range(prefix.clone()..).next() {
            if let Some(b) = at(i).filter(|b| b.path.starts_with(&prefix)) {
                return Some(b);
            }
        }
        // Globs are matched by backtracking: only simple ones.
        if path.contains('*') && path.matches('*').count() <= 3 {
            return self
                .list
                .iter()
                .take(GLOB_SCAN_LIMIT)
                .find(|b| glob_match(path, &b.path));
        }
        None
    }
}

/// Whether a file in Cargo's profile directory (or a Go output directory) is a program.
fn is_binary_name(name: &str) -> bool {
    !matches!(
        name,
        "deps" | "build" | "examples" | "incremental" | ".fingerprint" | ".cargo-lock"
    ) && ![".d", ".rlib", ".rmeta", ".so", ".a", ".dylib"]
        .iter()
        .any(|e| name.ends_with(e))
}

/// The dynamically linked outputs of the build steps of a stage's line, with the copies later
/// RUNs make of them (`cp target/release/app /usr/local/bin/`).
fn outputs(ctx: &Ctx, stage: &Stage) -> Outputs {
    let model = ctx.model;
    let mut out = Outputs::default();
    let stages = line(model, stage);
    let facts = LineFacts::of(ctx, &stages);
    for s in stages.iter().rev() {
        for step in convert::build_steps(model, ctx.scripts, s) {
            if model.instructions[step.inst].keyword == Keyword::Onbuild {
                continue;
            }
            let found = match step.recipe.artifact {
                Strategy::Go => go_output(ctx, &stages, &facts, step.inst, &step.cmd),
                Strategy::Cc => cc_output(model, &stages, &facts, step.inst, &step.cmd, &step.recipe.key),
                Strategy::Cargo => cargo_output(ctx, &stages, &facts, step.inst, &step.cmd),
                _ => None,
            };
            if let Some(b) = found {
                out.push(b);
            }
        }
        copies_made(ctx, s, &facts, &mut out);
    }
    out
}

/// Variables set for one command: `NAME=v cmd`, `env NAME=v cmd`, and `NAME=v` earlier in
/// the same RUN (`export CGO_ENABLED=0 && go build`; declarations are not commands of the
/// shell model, so the RUN's text before the command is read).
fn command_env(ctx: &Ctx, inst: usize, cmd: &Command) -> Vec<(String, Option<String>)> {
    let mut env: Vec<(String, Option<String>)> = Vec::new();
    let start = ctx.model.instructions[inst].range.start;
    if let Some(before) = ctx.source.text.get(start..cmd.range.start) {
        for name in ["CGO_ENABLED", "GOOS", "GOARCH", "GOFLAGS", "CC", "RUSTFLAGS", "CARGO_BUILD_TARGET"] {
            let pat = format!("{name}=");
            let Some(at) = before.rfind(&pat) else {
                continue;
            };
            let prev = before[..at].chars().next_back();
            if prev.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
                continue;
            }
            let value: String = before[at + pat.len()..]
                .chars()
                .take_while(|c| !c.is_whitespace() && !";&|)".contains(*c))
                .collect();
            let value = value.trim_matches(|c| c == '"' || c == '\'');
            let known = (!value.contains('$')).then(|| value.to_string());
            env.push((name.to_string(), known));
        }
    }
    env.extend(cmd.assignments.iter().cloned());
    let wrappers = cmd.words.len() - cmd.argv().len();
    for w in &cmd.words[..wrappers] {
        if let Some((k, v)) = w.raw.split_once('=') {
            if k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && !k.is_empty() {
                env.push((k.to_string(), w.value.as_ref().map(|_| v.to_string())));
            }
        }
    }
    env
}

/// A variable for a command: its own environment first, then the instruction's scope
/// (`Some(None)`: set, value unknown).
fn variable(
    model: &Dockerfile,
    inst: usize,
    env: &[(String, Option<String>)],
    name: &str,
) -> Option<Option<String>> {
    if let Some((_, v)) = env.iter().rev().find(|(k, _)| k == name) {
        return Some(v.clone());
    }
    model.contexts[inst].scope.get(name).cloned()
}

/// Unknown words that may carry linking options (`$LDFLAGS`, `${GO_TAGS}`).
fn hides_options(cmd: &Command) -> bool {
    cmd.argv().iter().any(|w| {
        w.value.is_none() && {
            let r = w.raw.to_ascii_lowercase();
            ["static", "flags", "tags", "netgo", "args", "opts"]
                .iter()
                .any(|k| r.contains(k))
        }
    })
}

/// An image as written: `name:tag`.
fn image_text(image: &crate::model::ImageRef) -> String {
    match &image.tag {
        Some(t) => format!("{}:{t}", image.name()),
        None => image.name(),
    }
}

/// The root image of a builder line, when it is an image.
fn builder_image<'m>(stages: &[&'m Stage]) -> Option<&'m crate::model::ImageRef> {
    match &stages.last()?.base {
        Base::Image(img) => Some(img),
        _ => None,
    }
}

/// What a builder line sets up before its builds, gathered once per line.
#[derive(Default)]
struct LineFacts {
    /// The first RUN that installs a C compiler with apt, apk or dnf.
    compiler_at: Option<usize>,
    /// `go env -w CGO_ENABLED=<v>` runs: (instruction, command start, value), in order.
    go_env: Vec<(usize, usize, String)>,
    /// Per stage of the line: its first WORKDIR instruction.
    first_workdir: Vec<(usize, Option<usize>)>,
}

impl LineFacts {
    fn of(ctx: &Ctx, stages: &[&Stage]) -> LineFacts {
        let model = ctx.model;
        let mut f = LineFacts::default();
        for s in stages.iter().rev() {
            let first = model
                .stage_body(s)
                .find(|(_, x)| x.keyword == Keyword::Workdir)
                .map(|(i, _)| i);
            f.first_workdir.push((s.index, first));
            for (i, inst) in model.stage_body(s) {
                if inst.keyword != Keyword::Run {
                    continue;
                }
                let Some(sc) = ctx.scripts.get(i) else {
                    continue;
                };
                let compiler = sc.package_commands().any(|(_, a)| {
                    a.packages.iter().any(|p| {
                        p.name.as_deref().is_some_and(|n| {
                            matches!(
                                n,
                                "gcc"
                                    | "clang"
                                    | "build-base"
                                    | "build-essential"
                                    | "alpine-sdk"
                                    | "gcc-c++"
                                    | "musl-gcc"
                            )
                        })
                    })
                });
                if compiler && f.compiler_at.is_none() {
                    f.compiler_at = Some(i);
                }
                for c in &sc.commands {
                    let args: Vec<&str> = c.args().collect();
                    if c.name() == Some("go") && args.first() == Some(&"env") && args.contains(&"-w")
                    {
                        for a in &args {
                            if let Some(v) = a.strip_prefix("CGO_ENABLED=") {
                                f.go_env.push((i, c.range.start, v.to_string()));
                            }
                        }
                    }
                }
            }
        }
        f
    }

    /// Whether a compiler is installed before instruction `upto`.
    fn compiler_before(&self, upto: usize) -> bool {
        self.compiler_at.is_some_and(|i| i < upto)
    }

    /// The `CGO_ENABLED` that `go env -w` set before the command at `before` of `upto`.
    fn go_env_cgo(&self, upto: usize, before: usize) -> Option<&str> {
        let n = self
            .go_env
            .partition_point(|(i, at, _)| *i < upto || (*i == upto && *at < before));
        n.checked_sub(1)
            .and_then(|k| self.go_env.get(k))
            .map(|(_, _, v)| v.as_str())
    }

    /// The WORKDIR at an instruction of the line: as the model knows it, or the one the base
    /// image sets while the stage has declared none before it (as the converter reads it).
    fn workdir(&self, model: &Dockerfile, inst: usize) -> Option<String> {
        let ctx = model.contexts.get(inst)?;
        if let Some(w) = ctx.workdir.known() {
            return Some(w.to_string());
        }
        let stage = model.stages.get(ctx.stage?)?;
        let first = self
            .first_workdir
            .iter()
            .find(|(s, _)| *s == stage.index)
            .and_then(|(_, f)| *f);
        if first.is_some_and(|f| f < inst) {
            return None;
        }
        stage.image_workdir.map(String::from)
    }
}

/// `go build`/`go install` with cgo on: where its binary lands.
fn go_output(
    ctx: &Ctx,
    stages: &[&Stage],
    facts: &LineFacts,
    inst: usize,
    cmd: &Command,
) -> Option<Built> {
    let model = ctx.model;
    let env = command_env(ctx, inst, cmd);
    let var = |n: &str| variable(model, inst, &env, n);
    // Go takes `--flag` for `-flag`.
    let argv: Vec<Option<&str>> = cmd
        .argv()
        .iter()
        .map(|w| {
            w.value
                .as_deref()
                .map(|v| if v.starts_with("--") { &v[1..] } else { v })
        })
        .collect();
    let args = &argv[1..];
    let install = args.iter().flatten().find(|a| !a.starts_with('-')) == Some(&"install");
    let image = builder_image(stages);
    // Is cgo on?
    // Is cgo on, and was that asked for explicitly?
    let (why, explicit) = match var("CGO_ENABLED") {
        Some(Some(v)) if v == "1" => ("`CGO_ENABLED=1` is set".to_string(), true),
        Some(_) => return None,
        None => match facts.go_env_cgo(inst, cmd.range.start) {
            Some("1") => ("`go env -w CGO_ENABLED=1` is set".to_string(), true),
            Some(_) => return None,
            None if image.is_some_and(runtime::has_c_compiler) => (format!(
                "cgo is on by default because `{}` has a C compiler and `CGO_ENABLED` is not `0`",
                image.map(image_text).unwrap_or_default()
            ), false),
            None if facts.compiler_before(inst) => (
                "cgo is on by default because the stage installs a C compiler and `CGO_ENABLED` is not `0`".to_string(),
                false,
            ),
            None => return None,
        },
    };
    // A cross-compilation turns cgo off; a cross compiler or static linking makes it moot.
    if var("CC").is_some() || var("GOOS").is_some_and(|v| v.as_deref() != Some("linux")) {
        return None;
    }
    if let Some(arch) = var("GOARCH") {
        let platform = stages.iter().any(|s| s.platform.is_some());
        if platform || arch.as_deref().is_some_and(|a| a != "amd64") {
            return None;
        }
    }
    if var("GOFLAGS").is_some_and(|v| v.is_none_or(|v| v.contains("netgo") || v.contains("static")))
    {
        return None;
    }
    let flag = |n: &str| option_value(args, &[n.to_string()]);
    let ldflags = flag("-ldflags");
    if ldflags
        .as_ref()
        .is_some_and(|v| v.as_deref().is_none_or(|v| v.contains("static")))
        || flag("-tags").is_some_and(|v| v.as_deref().is_none_or(|v| v.contains("netgo")))
        || flag("-buildmode").is_some()
        || flag("-C").is_some()
        || hides_options(cmd)
    {
        return None;
    }
    let pkgs = go_packages(args);
    // `go build` of several packages without `-o` only checks that they compile.
    if !install && pkgs.len() > 1 && option_value(args, &["-o".to_string()]).is_none() {
        return None;
    }
    let name = match pkgs.first() {
        Some(p) if p.ends_with(".go") => Some(
            p.trim_end_matches(".go")
                .rsplit('/')
                .next()
                .unwrap_or(p)
                .to_string(),
        ),
        Some(p) if p.contains("...") => None,
        Some(p) if *p != "." && *p != "./" => {
            let p = p.split('@').next().unwrap_or(p).trim_end_matches('/');
            let mut parts: Vec<&str> = p.split('/').collect();
            if parts.len() > 1 && parts.last().is_some_and(|l| is_major_suffix(l)) {
                parts.pop();
            }
            parts.last().map(|s| s.to_string())
        }
        _ => go_module_name(ctx.context),
    };
    let wd = facts.workdir(model, inst);
    let (path, dir) = if install {
        let bin = var("GOBIN")
            .flatten()
            .or_else(|| var("GOPATH").flatten().map(|g| format!("{g}/bin")))
            .or_else(|| {
                image
                    .is_some_and(|i| i.short_name() == "golang")
                    .then(|| "/go/bin".to_string())
            })?;
        match name {
            Some(n) => (join(&bin, &n), false),
            None => (clean_path(&bin), true),
        }
    } else {
        match option_value(args, &["-o".to_string()]) {
            Some(Some(o)) if o.ends_with('/') => (join(wd.as_deref()?, &o), true),
            Some(Some(o)) => (join(wd.as_deref()?, &o), false),
            Some(None) => return None,
            None => (join(wd.as_deref()?, &name?), false),
        }
    };
    // An explicit `CGO_ENABLED=1` is a choice: say what it does, but do not undo it.
    let fix = static_fix(cmd, "CGO_ENABLED=0", true).filter(|_| !explicit);
    Some(Built {
        path,
        dir,
        linking: Linking::GoCgo,
        libc: image.and_then(runtime::build_libc),
        why,
        step: cmd.range.clone(),
        fix,
    })
}

/// A C or C++ compiler run that links a program without `-static`.
fn cc_output(
    model: &Dockerfile,
    stages: &[&Stage],
    facts: &LineFacts,
    inst: usize,
    cmd: &Command,
    key: &str,
) -> Option<Built> {
    let argv: Vec<Option<&str>> = cmd.argv().iter().map(|w| w.value.as_deref()).collect();
    let prog = basename(argv.first().copied().flatten()?);
    let args = &argv[1..];
    let no_link = [
        "-c", "-E", "-S", "-M", "-MM", "-shared", "-static", "-static-pie", "-nostdlib", "-r",
        "--version", "-v", "-dumpversion", "-dumpmachine", "--help",
    ];
    if args.iter().any(|a| a.is_some_and(|a| no_link.contains(&a))) || hides_options(cmd) {
        return None;
    }
    if args.iter().any(|a| a.is_some_and(|a| a.contains("-static") && a.starts_with("-Wl"))) {
        return None;
    }
    let cxx = key == "cpp"
        && !(args.contains(&Some("-static-libstdc++")) && args.contains(&Some("-static-libgcc")));
    let out = match option_value(args, &["-o".to_string()]) {
        Some(Some(o)) => o,
        Some(None) => return None,
        None => "a.out".into(),
    };
    let path = join(&facts.workdir(model, inst)?, &out);
    let libc = if prog.starts_with("musl-") {
        Some(Libc::Musl)
    } else {
        builder_image(stages).and_then(runtime::build_libc)
    };
    let what = if cxx { "libstdc++ and libgcc_s" } else { "the C library" };
    Some(Built {
        path,
        dir: false,
        linking: if cxx { Linking::Cxx } else { Linking::C },
        libc,
        why: format!("`{prog}` links without `-static`, so the program loads {what} at start"),
        step: cmd.range.clone(),
        fix: static_fix(cmd, "-static", false),
    })
}

/// `cargo build`/`cargo install` for a `*-linux-gnu` target: its output directory.
fn cargo_output(
    ctx: &Ctx,
    stages: &[&Stage],
    facts: &LineFacts,
    inst: usize,
    cmd: &Command,
) -> Option<Built> {
    let model = ctx.model;
    let env = command_env(ctx, inst, cmd);
    let var = |n: &str| variable(model, inst, &env, n);
    let argv: Vec<Option<&str>> = cmd.argv().iter().map(|w| w.value.as_deref()).collect();
    let args = &argv[1..];
    if hides_options(cmd) {
        return None;
    }
    for flags in ["RUSTFLAGS", "CARGO_BUILD_RUSTFLAGS", "CARGO_ENCODED_RUSTFLAGS"] {
        if var(flags).is_some_and(|v| v.is_none_or(|v| v.contains("crt-static"))) {
            return None;
        }
    }
    let image = builder_image(stages)?;
    let target = match option_value(args, &["--target".to_string()]) {
        Some(t) => Some(t?),
        None => match var("CARGO_BUILD_TARGET") {
            Some(t) => Some(t?),
            None => None,
        },
    };
    let host_libc = runtime::build_libc(image)?;
    match &target {
        Some(t) if !t.contains("-linux-gnu") => return None,
        None if host_libc != Libc::Glibc => return None,
        _ => {}
    }
    let sub = args.iter().flatten().find(|a| !a.starts_with('-')).copied();
    let wd = facts.workdir(model, inst)?;
    let bin = option_value(args, &["--bin".to_string()]).flatten();
    let (dir, bin) = if sub == Some("install") {
        let root = option_value(args, &["--root".to_string()])
            .flatten()
            .or_else(|| var("CARGO_INSTALL_ROOT").flatten())
            .or_else(|| var("CARGO_HOME").flatten())
            .or_else(|| (image.short_name() == "rust").then(|| "/usr/local/cargo".into()))?;
        (join(&join(&wd, &root), "bin"), bin)
    } else {
        let profile = match option_value(args, &["--profile".to_string()]) {
            Some(Some(p)) if p == "dev" => "debug".to_string(),
            Some(Some(p)) => p,
            Some(None) => return None,
            None if args.iter().any(|a| matches!(a, Some("--release" | "-r"))) => {
                "release".into()
            }
            None => "debug".into(),
        };
        let target_dir = match option_value(args, &["--target-dir".to_string()]) {
            Some(d) => d?,
            None => match var("CARGO_TARGET_DIR") {
                Some(d) => d?,
                None => {
                    let manifest = option_value(args, &["--manifest-path".to_string()]);
                    match manifest {
                        Some(m) => {
                            let m = m?;
                            let project = m.trim_end_matches("Cargo.toml").trim_end_matches('/');
                            if project.is_empty() {
                                "target".into()
                            } else {
                                format!("{project}/target")
                            }
                        }
                        None => "target".into(),
                    }
                }
            },
        };
        let dir = match &target {
            Some(t) => format!("{target_dir}/{t}/{profile}"),
            None => format!("{target_dir}/{profile}"),
        };
        (join(&wd, &dir), bin)
    };
    let (path, is_dir) = match bin {
        Some(b) => (join(&dir, &b), false),
        None => (dir, true),
    };
    let triple = target.as_deref().unwrap_or("the default `*-linux-gnu` target");
    Some(Built {
        path,
        dir: is_dir,
        linking: Linking::Rust,
        libc: Some(Libc::Glibc),
        why: format!("`cargo` builds for {triple}, which links glibc and libgcc_s dynamically"),
        step: cmd.range.clone(),
        fix: None,
    })
}

/// The edit that links a build statically: `CGO_ENABLED=0 ` before the program, or ` -static`
/// after the compiler; only in shell text whose words are exactly in the source.
fn static_fix(cmd: &Command, text: &str, before: bool) -> Option<(String, Edit)> {
    let prog = cmd.argv().first()?;
    if prog.span != Span::Exact || cmd.nested > 0 {
        return None;
    }
    let edit = if before {
        Edit::insert(prog.range.start, format!("{text} "))
    } else {
        Edit::insert(prog.range.end, format!(" {text}"))
    };
    Some((format!("build with `{text}`"), edit))
}

/// Copies a RUN makes of outputs (`cp`, `mv`, `install` with one source and a destination).
fn copies_made(ctx: &Ctx, stage: &Stage, facts: &LineFacts, built: &mut Outputs) {
    let model = ctx.model;
    for (i, inst) in model.stage_body(stage) {
        if inst.keyword != Keyword::Run {
            continue;
        }
        let Some(script) = ctx.scripts.get(i) else {
            continue;
        };
        let Some(wd) = facts.workdir(model, i) else {
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
            if src.contains('*') {
                continue;
            }
            let Some(b) = built.find(&src).cloned() else {
                continue;
            };
            let name = basename(&src).to_string();
            let d = join(&wd, dest);
            let into_dir = dest.ends_with('/') || *dest == "." || b.dir && src == b.path;
            let path = if into_dir && !(b.dir && src == b.path) {
                join(&d, &name)
            } else {
                d
            };
            let dir = b.dir && src == b.path;
            built.push(Built { path, dir, ..b });
        }
    }
}

/// Report one copied binary, if the image lacks what it is linked against.
fn report(out: &mut Report, rt: &Runtime, b: &Built, path: &str, range: TextRange, from: &Stage) {
    let what = &rt.what;
    let from_name = stage_name(from);
    let (message, remedy) = match (rt.libs.libc, b.libc) {
        (None, _) => {
            let needs = match b.linking {
                Linking::Rust => "glibc and libgcc_s",
                Linking::Cxx => "a C library, libstdc++ and libgcc_s",
                _ => "a C library",
            };
            let message = match b.linking {
                Linking::GoCgo => format!(
                    "`{path}` from stage `{from_name}` is built with cgo on and may be linked dynamically, but {what} has no C library"
                ),
                _ => format!(
                    "`{path}` from stage `{from_name}` is linked dynamically against {needs}, but {what} has none"
                ),
            };
            (message, "or copy it onto an image that has the libraries (`gcr.io/distroless/base-debian12`, `gcr.io/distroless/cc-debian12` for Rust and C++)")
        }
        (Some(Libc::Glibc), Some(Libc::Musl)) => (
            format!(
                "`{path}` from stage `{from_name}` is linked against musl, but {what} has glibc"
            ),
            "or build it on a glibc image",
        ),
        (Some(Libc::Glibc), _) if b.linking.needs_gcc_runtime() && !rt.libs.gcc_runtime => (
            format!(
                "`{path}` from stage `{from_name}` is linked against libgcc_s{}, but {what} has only the C library",
                if b.linking == Linking::Cxx { " and libstdc++" } else { "" }
            ),
            "or copy it onto `gcr.io/distroless/cc-debian12`",
        ),
        (Some(Libc::Musl), Some(Libc::Glibc)) => (
            match b.linking {
                Linking::GoCgo => format!("`{path}` from stage `{from_name}` is built with cgo on a glibc image and may be linked against glibc, but {what} has musl"),
                _ => format!("`{path}` from stage `{from_name}` is linked against glibc, but {what} has musl"),
            },
            "or build it on the builder image's Alpine variant, or install `gcompat` in this stage",
        ),
        _ => return,
    };
    // Without the loader the kernel cannot start the program; with it, the loader stops at
    // the first library it cannot find.
    let loader_missing = rt.libs.libc.is_none() || rt.libs.libc != b.libc;
    let fails = if loader_missing {
        "the container fails to start with `exec ...: no such file or directory`"
    } else {
        "the program stops at start with `error while loading shared libraries: libgcc_s.so.1`"
    };
    let consequence = match b.linking {
        Linking::GoCgo => format!(
            "a program that imports `net` or `os/user` (most servers do) is then linked against the C library, and {fails}"
        ),
        _ => fails.to_string(),
    };
    let static_how = match b.linking {
        Linking::GoCgo => "build with `CGO_ENABLED=0`",
        Linking::C | Linking::Cxx => "link with `-static`",
        Linking::Rust => "build for `x86_64-unknown-linux-musl` (statically linked)",
    };
    let d = out
        .report(range, message)
        .label(b.step.clone(), "built here")
        .help(format!("{}: {consequence}; {static_how}, {remedy}", b.why));
    let Some((title, edit)) = &b.fix else {
        return;
    };
    let why = match b.linking {
        Linking::GoCgo => "the fix is unsafe: a program that needs cgo (a C library through `import \"C\"`, such as `go-sqlite3`) no longer builds, and DNS and user lookups switch to Go's own implementations",
        _ => "the fix is unsafe: every library the program links must exist as a static archive (`.a`), and a static glibc program still loads NSS modules for DNS and user lookups",
    };
    d.fix(Some(Fix::unsafe_(title.clone(), vec![edit.clone()])))
        .unsafe_because(why);
}
