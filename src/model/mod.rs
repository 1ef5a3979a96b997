//! The typed, immutable model of a Dockerfile: stages, their bases, WORKDIR, SHELL, scopes, stage references.

pub mod expand;
pub mod image;
pub mod image_env;
pub mod runtime;
pub mod scope;

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

pub use image::ImageRef;
pub use scope::{Expansion, Scope};

use crate::source::TextRange;
use crate::syntax::{self, Args, Instruction, Keyword, Parsed};

/// What a stage is built on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Base {
    Scratch,
    /// `FROM <earlier stage>`.
    Stage(usize),
    Image(ImageRef),
    /// Uses variables whose value is unknown, or is not a valid reference.
    Unresolved(String),
}

/// A directory known at a point of the build, or not knowable from the Dockerfile alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Workdir {
    /// Shared: every instruction of a stage holds the same one.
    Known(Arc<str>),
    /// Comes from a base image we cannot see.
    Unknown,
}

impl Workdir {
    pub fn known(&self) -> Option<&str> {
        match self {
            Workdir::Known(s) => Some(s),
            Workdir::Unknown => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Stage {
    pub index: usize,
    /// Lowercased, as BuildKit matches stage names.
    pub name: Option<String>,
    pub name_range: Option<TextRange>,
    /// Index of the FROM instruction.
    pub from: usize,
    pub base: Base,
    /// The base as written and after expansion.
    pub base_text: String,
    pub base_range: Option<TextRange>,
    pub platform: Option<String>,
    /// Instructions after FROM that belong to this stage.
    pub body: Range<usize>,
    /// Effective WORKDIR at the end of the stage.
    pub workdir: Workdir,
    /// Whether an explicit WORKDIR was set in this stage or a parent stage.
    pub workdir_declared: bool,
    /// SHELL at the end of the stage (what a stage built on it starts with).
    pub shell: Arc<[String]>,
    /// USER at the end of the stage; `None` while it is the base image's.
    pub user: Option<Arc<str>>,
    /// ENV at the end of the stage, inherited by stages built on it (ARGs are not).
    pub env: Arc<Scope>,
    /// A Windows image (Server Core, Nano Server), directly, by `--platform` or inherited.
    pub windows: bool,
    /// No `/bin/sh`: `scratch` or a shell-less image, directly or inherited.
    pub shell_less: bool,
    /// The WORKDIR the base image sets, as known for official images (`/` when it sets
    /// none), while no stage of this one's line declares its own.
    pub image_workdir: Option<&'static str>,
}

/// Per-instruction facts that depend on what came before.
#[derive(Debug, Clone)]
pub struct Context {
    pub stage: Option<usize>,
    /// WORKDIR in effect when the instruction runs.
    pub workdir: Workdir,
    /// SHELL in effect (`["/bin/sh", "-c"]` unless changed), shared until a SHELL changes it.
    pub shell: Arc<[String]>,
    /// Variables visible to the instruction (shared between instructions until one changes them).
    pub scope: Arc<Scope>,
    /// USER in effect; `None` while it is the base image's (root for most images).
    pub user: Option<Arc<str>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RefKind {
    CopyFrom,
    MountFrom,
    FromStage,
}

/// What a stage reference resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A stage, by name.
    Named(usize),
    /// A stage, by its number.
    Index(usize),
    /// A number that is no earlier stage.
    BadIndex(usize),
    /// A name of a stage defined later in the file.
    Later(usize),
    Image(ImageRef),
    /// Not a stage and not a valid image reference.
    Invalid,
    /// Uses variables with unknown values.
    Dynamic,
}

#[derive(Debug, Clone)]
pub struct StageRef {
    pub instruction: usize,
    pub kind: RefKind,
    /// As written.
    pub text: String,
    /// After expanding known variables.
    pub value: String,
    /// Range of the reference's value in the source.
    pub range: TextRange,
    pub target: Target,
}

/// A `RUN --mount=...` flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    pub kind: String,
    pub target: Option<String>,
    pub from: Option<String>,
    pub source: Option<String>,
    pub range: TextRange,
    /// Source range of the `from=` value, when the flag is written on one line without quotes.
    pub from_range: Option<TextRange>,
}

/// The model of one Dockerfile.
#[derive(Debug, Clone)]
pub struct Dockerfile {
    pub escape: char,
    pub directives: Vec<syntax::Directive>,
    pub comments: Vec<TextRange>,
    pub errors: Vec<syntax::SyntaxError>,
    pub instructions: Vec<Instruction>,
    pub contexts: Vec<Context>,
    pub stages: Vec<Stage>,
    /// ARGs before the first FROM.
    pub global_args: Vec<usize>,
    pub stage_refs: Vec<StageRef>,
    /// Per stage: whether it ends up in the final image.
    shipped: Vec<bool>,
    /// Stage index by lowercased name (the first stage of a name).
    names: HashMap<String, usize>,
}

/// The default SHELL: `/bin/sh -c`, or `cmd /S /C` on Windows.
pub fn default_shell(windows: bool) -> Arc<[String]> {
    if windows {
        WINDOWS_SHELL.map(String::from).into()
    } else {
        DEFAULT_SHELL.map(String::from).into()
    }
}

/// How many bytes of ARG/ENV values the model keeps for a file of `len` bytes before it stops
/// tracking variables: a small multiple of the file, so that no file can make the model large,
/// however its variables refer to each other (each value is capped at 64 KiB, but a thousand
/// of them could still fill gigabytes). Scopes are persistent maps, so keeping one per
/// instruction costs nothing beyond the values.
fn variable_budget(len: usize) -> usize {
    16 * len + (256 << 10)
}

/// What the model may still spend on variables; see [`variable_budget`].
struct Budget {
    left: usize,
    exhausted_at: Option<usize>,
}

impl Budget {
    /// Charge `bytes` for instruction `i`; `false` once the budget is spent.
    fn charge(&mut self, bytes: usize, i: usize) -> bool {
        if self.exhausted_at.is_some() {
            return false;
        }
        match self.left.checked_sub(bytes) {
            Some(left) => {
                self.left = left;
                true
            }
            None => {
                self.exhausted_at = Some(i);
                false
            }
        }
    }

    /// The scope to change at instruction `i` to add `adds` bytes: exhausted past the budget.
    fn scope_mut<'s>(&mut self, scope: &'s mut Arc<Scope>, i: usize, adds: usize) -> &'s mut Scope {
        let ok = self.charge(adds, i);
        let s = Arc::make_mut(scope);
        if !ok {
            s.exhaust();
        }
        s
    }
}

const DEFAULT_SHELL: [&str; 2] = ["/bin/sh", "-c"];
/// Windows images run shell-form commands with `cmd /S /C`.
const WINDOWS_SHELL: [&str; 3] = ["cmd", "/S", "/C"];

impl Dockerfile {
    pub fn build(parsed: Parsed) -> Dockerfile {
        let Parsed {
            escape,
            directives,
            instructions,
            comments,
            mut errors,
        } = parsed;
        let len = instructions.last().map_or(0, |i| i.range.end);
        let mut budget = Budget {
            left: variable_budget(len),
            exhausted_at: None,
        };
        let mut stages: Vec<Stage> = Vec::new();
        let mut names: HashMap<String, usize> = HashMap::new();
        let mut contexts = Vec::with_capacity(instructions.len());
        let mut global_args = Vec::new();
        let mut global = Scope::with_platform_args();
        let mut scope = Arc::new(global.clone());
        let mut global_arc: Option<Arc<Scope>> = None;
        let mut env = Arc::new(Scope::default());
        let mut workdir = Workdir::Unknown;
        let mut shell = default_shell(false);
        let mut user: Option<Arc<str>> = None;
        let mut stage_refs = Vec::new();
        let mut declared = false;
        // Instructions whose expansions went past a limit (reported once each).
        let mut limited: Vec<(usize, Expansion)> = Vec::new();
        let mut note = |i: usize, e: &Expansion| {
            if matches!(e, Expansion::TooDeep) && limited.last().is_none_or(|(l, _)| *l != i) {
                limited.push((i, e.clone()));
            }
        };
        for (i, inst) in instructions.iter().enumerate() {
            if let Some(message) = arity_error(inst) {
                errors.push(syntax::SyntaxError {
                    range: inst.keyword_range.clone(),
                    message,
                    kind: syntax::ErrorKind::Build,
                });
            }
            if inst.keyword == Keyword::From {
                if let Some(last) = stages.last_mut() {
                    end_stage(last, i, &workdir, declared, &shell, &user, &env);
                }
                let stage = from_stage(i, inst, &stages, &names, &global, escape, &mut note);
                if let (Base::Stage(p), Some(range)) = (&stage.base, &stage.base_range) {
                    stage_refs.push(StageRef {
                        instruction: i,
                        kind: RefKind::FromStage,
                        text: stage.base_text.clone(),
                        value: stage.base_text.clone(),
                        range: range.clone(),
                        target: Target::Named(*p),
                    });
                }
                // A stage built on an earlier one starts where that one ended.
                let parent = match &stage.base {
                    Base::Stage(p) => Some(&stages[*p]),
                    _ => None,
                };
                (workdir, declared) = match (&stage.base, parent) {
                    (Base::Scratch, _) => (Workdir::Known(Arc::from("/")), false),
                    (_, Some(p)) => (p.workdir.clone(), p.workdir_declared),
                    _ => (Workdir::Unknown, false),
                };
                shell = parent.map_or_else(|| default_shell(stage.windows), |p| p.shell.clone());
                user = match (&stage.base, parent) {
                    (Base::Scratch, _) => Some(Arc::from("root")),
                    (_, Some(p)) => p.user.clone(),
                    _ => None,
                };
                env = parent.map_or_else(|| Arc::new(Scope::default()), |p| p.env.clone());
                scope = Arc::new(Scope::clone(&env).with_platform_args_too());
                // FROM sees the global ARGs, which only change before the first FROM.
                let global_scope = global_arc.get_or_insert_with(|| Arc::new(global.clone()));
                contexts.push(Context {
                    stage: Some(stages.len()),
                    workdir: workdir.clone(),
                    shell: shell.clone(),
                    scope: global_scope.clone(),
                    user: user.clone(),
                });
                if let Some(n) = &stage.name {
                    names.entry(n.clone()).or_insert(stages.len());
                }
                stages.push(stage);
                continue;
            }
            let stage = stages.len().checked_sub(1);
            contexts.push(Context {
                stage,
                workdir: workdir.clone(),
                shell: shell.clone(),
                scope: scope.clone(),
                user: user.clone(),
            });
            match (inst.keyword, &inst.args) {
                (Keyword::Arg, Args::Pairs(pairs)) => {
                    for p in pairs {
                        let value = match &p.value {
                            Some(v) => {
                                let e = scope.expansion(v, escape);
                                note(i, &e);
                                known(e)
                            }
                            // `ARG X` in a stage takes the global default.
                            None if stage.is_some() => global.get(&p.key).cloned().flatten(),
                            None => None,
                        };
                        let adds = p.key.len() + value.as_ref().map_or(0, String::len);
                        if stage.is_none() {
                            let value = match &p.value {
                                Some(v) => {
                                    let e = global.expansion(v, escape);
                                    note(i, &e);
                                    known(e)
                                }
                                None => None,
                            };
                            if budget.charge(adds, i) {
                                global.set(&p.key, value);
                            } else {
                                global.exhaust();
                            }
                            global_args.push(i);
                        } else {
                            budget.scope_mut(&mut scope, i, adds).set(&p.key, value);
                        }
                    }
                }
                (Keyword::Env, Args::Pairs(pairs)) => {
                    for p in pairs {
                        let value = p.value.as_deref().and_then(|v| {
                            let e = scope.expansion(v, escape);
                            note(i, &e);
                            known(e)
                        });
                        let adds = p.key.len() + value.as_ref().map_or(0, String::len);
                        budget
                            .scope_mut(&mut env, i, adds)
                            .set(&p.key, value.clone());
                        budget.scope_mut(&mut scope, i, adds).set(&p.key, value);
                    }
                }
                (Keyword::Workdir, Args::Words(w)) if !w.is_empty() => {
                    let raw = &w[0].value;
                    let e = scope.expansion(raw, escape);
                    note(i, &e);
                    workdir = match (known(e), &workdir) {
                        (Some(p), _) if p.starts_with('/') => Workdir::Known(clean_path(&p).into()),
                        (Some(p), Workdir::Known(cur)) => {
                            Workdir::Known(clean_path(&format!("{cur}/{p}")).into())
                        }
                        _ => Workdir::Unknown,
                    };
                    declared = true;
                }
                (Keyword::Shell, Args::Exec(w)) if !w.is_empty() => {
                    shell = w.iter().map(|w| w.value.clone()).collect();
                }
                (Keyword::User, Args::Words(w)) if !w.is_empty() => {
                    let u = scope
                        .expand(&w[0].value, escape)
                        .unwrap_or(w[0].value.clone());
                    user = Some(u.into());
                }
                _ => {}
            }
            if stage.is_none() && !matches!(inst.keyword, Keyword::Arg | Keyword::Unknown) {
                errors.push(syntax::SyntaxError {
                    range: inst.keyword_range.clone(),
                    message: format!(
                        "`{}` before the first `FROM`: only `ARG` may come before it",
                        inst.keyword_text
                    ),
                    kind: syntax::ErrorKind::Build,
                });
            }
            for r in refs_of(i, inst, &scope, &stages, &names, escape) {
                stage_refs.push(r);
            }
        }
        if let Some(last) = stages.last_mut() {
            end_stage(
                last,
                instructions.len(),
                &workdir,
                declared,
                &shell,
                &user,
                &env,
            );
        } else if !instructions.is_empty() {
            errors.push(syntax::SyntaxError {
                range: 0..0,
                message: "the file has no `FROM` instruction".into(),
                kind: syntax::ErrorKind::Build,
            });
        }
        for (i, _) in &limited {
            errors.push(syntax::SyntaxError {
                range: instructions[*i].range.clone(),
                message: format!(
                    "variable expansions are nested more than {} levels deep: dlint does not expand them",
                    scope::MAX_EXPANSION_DEPTH
                ),
                kind: syntax::ErrorKind::Limit,
            });
        }
        if let Some(i) = budget.exhausted_at {
            errors.push(syntax::SyntaxError {
                range: instructions[i].keyword_range.clone(),
                message: format!(
                    "ARG and ENV values grow past {} KiB here: dlint treats every variable from here on as unknown",
                    variable_budget(len) >> 10
                ),
                kind: syntax::ErrorKind::Limit,
            });
        }
        // References to stage names defined later are resolved once all stages are known.
        for r in &mut stage_refs {
            if matches!(r.target, Target::Image(_) | Target::Invalid) {
                if let Some(&s) = names.get(&r.value.to_ascii_lowercase()) {
                    r.target = Target::Later(s);
                }
            }
        }
        let mut shipped = vec![false; stages.len()];
        let mut cur = stages.len().checked_sub(1);
        while let Some(c) = cur {
            shipped[c] = true;
            cur = match stages[c].base {
                Base::Stage(p) if p < c => Some(p),
                _ => None,
            };
        }
        Dockerfile {
            escape,
            directives,
            comments,
            errors,
            instructions,
            contexts,
            stages,
            global_args,
            stage_refs,
            shipped,
            names,
        }
    }

    /// The stage named `name` (case-insensitive), the first one if several share it.
    pub fn stage_named(&self, name: &str) -> Option<&Stage> {
        self.names
            .get(&name.to_ascii_lowercase())
            .map(|&i| &self.stages[i])
    }

    /// The stage whose image the build produces by default.
    pub fn final_stage(&self) -> Option<&Stage> {
        self.stages.last()
    }

    /// Whether stage `index` ends up in the final image (it is the final stage or one it builds on).
    pub fn ships(&self, index: usize) -> bool {
        self.shipped.get(index).copied().unwrap_or(false)
    }

    /// Whether a stage has no `/bin/sh`: scratch or a shell-less image, directly or by inheritance.
    pub fn stage_is_shell_less(&self, index: usize) -> bool {
        self.stages[index].shell_less
    }

    /// The stage an index into `instructions` belongs to.
    pub fn stage_of(&self, instruction: usize) -> Option<&Stage> {
        self.contexts[instruction].stage.map(|s| &self.stages[s])
    }

    /// Instructions of a stage (its FROM excluded), with their indices.
    pub fn stage_body(&self, stage: &Stage) -> impl Iterator<Item = (usize, &Instruction)> {
        let start = stage.body.start;
        self.instructions[stage.body.clone()]
            .iter()
            .enumerate()
            .map(move |(i, inst)| (start + i, inst))
    }
}

/// The argument counts BuildKit insists on; `None` when the instruction is well-formed.
fn arity_error(inst: &Instruction) -> Option<String> {
    let inst = inst.sub.as_deref().unwrap_or(inst);
    let kw = inst.keyword.as_str();
    let n = match &inst.args {
        Args::None => 0,
        Args::Exec(w) | Args::Words(w) => w.len(),
        Args::Pairs(p) => p.len(),
        Args::Shell(s) => usize::from(!s.logical.text.trim().is_empty()),
        Args::Healthcheck(_) => 1,
    };
    match inst.keyword {
        Keyword::From => {
            let w = inst.words();
            let ok = n == 1 || (n == 3 && w[1].value.eq_ignore_ascii_case("as"));
            (!ok).then(|| "`FROM` takes an image and optionally `AS <name>`".to_string())
        }
        Keyword::Copy | Keyword::Add if n + inst.heredocs.len() < 2 => Some(format!(
            "`{kw}` needs at least one source and a destination"
        )),
        Keyword::Run
        | Keyword::Workdir
        | Keyword::User
        | Keyword::Expose
        | Keyword::Env
        | Keyword::Label
        | Keyword::Arg
        | Keyword::Stopsignal
        | Keyword::Volume
        | Keyword::Maintainer
            if n == 0 =>
        {
            Some(format!("`{kw}` needs at least one argument"))
        }
        Keyword::Shell if !matches!(inst.args, Args::Exec(ref w) if !w.is_empty()) => Some(
            "`SHELL` must be a non-empty JSON array, e.g. `SHELL [\"/bin/bash\", \"-c\"]`".into(),
        ),
        Keyword::Healthcheck if !matches!(inst.args, Args::Healthcheck(_)) => {
            Some("`HEALTHCHECK` takes `CMD <command>` or `NONE`".into())
        }
        Keyword::Env | Keyword::Label => match &inst.args {
            Args::Pairs(p) if p.iter().any(|p| p.value.is_none()) => {
                Some(format!("`{kw}` needs `key=value` pairs"))
            }
            _ => None,
        },
        _ => None,
    }
}

/// The value of an expansion, when it is known.
fn known(e: Expansion) -> Option<String> {
    match e {
        Expansion::Known(s) => Some(s),
        _ => None,
    }
}

/// Record the state a stage ends in (what stages built on it start from).
fn end_stage(
    stage: &mut Stage,
    end: usize,
    workdir: &Workdir,
    declared: bool,
    shell: &Arc<[String]>,
    user: &Option<Arc<str>>,
    env: &Arc<Scope>,
) {
    stage.body.end = end;
    stage.workdir = workdir.clone();
    stage.workdir_declared = declared;
    stage.shell = shell.clone();
    stage.user = user.clone();
    stage.env = env.clone();
}

fn from_stage(
    i: usize,
    inst: &Instruction,
    stages: &[Stage],
    names: &HashMap<String, usize>,
    global: &Scope,
    escape: char,
    note: &mut dyn FnMut(usize, &Expansion),
) -> Stage {
    let words = inst.words();
    let base_word = words.first();
    let base_text = base_word.map(|w| w.value.clone()).unwrap_or_default();
    let (name, name_range) = match words {
        [_, kw, alias, ..] if kw.value.eq_ignore_ascii_case("as") => (
            Some(alias.value.to_ascii_lowercase()),
            Some(alias.range.clone()),
        ),
        _ => (None, None),
    };
    let e = global.expansion(&base_text, escape);
    note(i, &e);
    let expanded = known(e);
    let base = match expanded.as_deref() {
        None => Base::Unresolved(base_text.clone()),
        Some(b) if b.eq_ignore_ascii_case("scratch") => Base::Scratch,
        Some(b) => match names.get(&b.to_ascii_lowercase()) {
            Some(&s) => Base::Stage(s),
            None => match ImageRef::parse(b) {
                Some(img) => Base::Image(img),
                None => Base::Unresolved(b.to_string()),
            },
        },
    };
    let platform = inst.flag("platform").and_then(|f| f.value.clone());
    let platform_windows = platform
        .as_deref()
        .and_then(|p| global.expand(p, escape))
        .is_some_and(|p| p.to_ascii_lowercase().starts_with("windows"));
    let (windows, shell_less, image_workdir) = match &base {
        Base::Scratch => (platform_windows, true, Some("/")),
        Base::Stage(p) => {
            let p = &stages[*p];
            let inherited = (!p.workdir_declared).then_some(p.image_workdir).flatten();
            (p.windows, p.shell_less, inherited)
        }
        Base::Image(img) => (
            img.is_windows() || platform_windows,
            img.is_shell_less(),
            img.known_workdir(),
        ),
        Base::Unresolved(_) => (platform_windows, false, None),
    };
    Stage {
        index: stages.len(),
        name,
        name_range,
        from: i,
        base,
        base_text: expanded.unwrap_or(base_text),
        base_range: base_word.map(|w| w.range.clone()),
        platform,
        body: i + 1..i + 1,
        workdir: Workdir::Unknown,
        workdir_declared: false,
        shell: default_shell(windows),
        user: None,
        env: Arc::new(Scope::default()),
        windows,
        shell_less,
        image_workdir,
    }
}

/// Stage references made by one instruction (`COPY --from`, `RUN --mount=from=`), ONBUILD excluded.
fn refs_of(
    i: usize,
    inst: &Instruction,
    scope: &Scope,
    stages: &[Stage],
    names: &HashMap<String, usize>,
    escape: char,
) -> Vec<StageRef> {
    let mut out = Vec::new();
    let mut push = |kind: RefKind, text: &str, range: TextRange| {
        let value = scope.expand(text, escape);
        let target = match &value {
            None => Target::Dynamic,
            Some(v) => resolve(v, stages, names),
        };
        out.push(StageRef {
            instruction: i,
            kind,
            text: text.to_string(),
            value: value.unwrap_or_else(|| text.to_string()),
            range,
            target,
        });
    };
    match inst.keyword {
        Keyword::Copy | Keyword::Add => {
            if let Some(f) = inst.flag("from") {
                let value = f.value.clone().unwrap_or_default();
                let start =
                    f.range.end - f.raw.len() + f.raw.find('=').map_or(f.raw.len(), |e| e + 1);
                push(
                    RefKind::CopyFrom,
                    &value,
                    start.min(f.range.end)..f.range.end,
                );
            }
        }
        Keyword::Run => {
            for m in mounts(inst) {
                if let Some(from) = &m.from {
                    push(
                        RefKind::MountFrom,
                        from,
                        m.from_range.clone().unwrap_or(m.range.clone()),
                    );
                }
            }
        }
        _ => {}
    }
    out
}

/// Resolve a `--from` value; `stages` ends with the stage the reference is made in.
fn resolve(value: &str, stages: &[Stage], names: &HashMap<String, usize>) -> Target {
    let lower = value.to_ascii_lowercase();
    let current = stages.len().saturating_sub(1);
    if let Some(&s) = names.get(&lower) {
        return if s < current {
            Target::Named(s)
        } else {
            Target::Later(s)
        };
    }
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return match value.parse::<usize>() {
            Ok(n) if n < current => Target::Index(n),
            Ok(n) => Target::BadIndex(n),
            Err(_) => Target::Invalid,
        };
    }
    match ImageRef::parse(value) {
        Some(img) => Target::Image(img),
        None => Target::Invalid,
    }
}

/// The `--mount` flags of a RUN, parsed as BuildKit's CSV key=value lists.
pub fn mounts(inst: &Instruction) -> Vec<Mount> {
    inst.flags
        .iter()
        .filter(|f| f.name.eq_ignore_ascii_case("mount"))
        .map(|f| {
            let mut m = Mount {
                kind: "bind".into(),
                target: None,
                from: None,
                source: None,
                range: f.range.clone(),
                from_range: None,
            };
            // A flag whose source is exactly its text maps offsets one to one.
            let verbatim = f.range.len() == f.raw.len();
            let value_start = f.raw.find('=').map_or(f.raw.len(), |i| i + 1);
            let mut offset = value_start;
            for part in f.value.as_deref().unwrap_or("").split(',') {
                let part_start = offset;
                offset += part.len() + 1;
                if let Some(v) = part.strip_prefix("from=") {
                    let start = f.range.start + part_start + "from=".len();
                    let raw_ok = f.raw.get(part_start..part_start + part.len()) == Some(part);
                    if verbatim && raw_ok && !v.is_empty() {
                        m.from_range = Some(start..start + v.len());
                    }
                }
                let (k, v) = part.split_once('=').unwrap_or((part, ""));
                let v = v.trim_matches('"').to_string();
                match k.trim().to_ascii_lowercase().as_str() {
                    "type" => m.kind = v.to_ascii_lowercase(),
                    "target" | "dst" | "destination" => m.target = Some(v),
                    "from" => m.from = Some(v),
                    "source" | "src" => m.source = Some(v),
                    _ => {}
                }
            }
            m
        })
        .collect()
}

/// A stage name BuildKit accepts (`FROM <image> AS <name>`): an ASCII letter, then letters,
/// digits, `-`, `_` and `.`, in any case; any other name stops the build.
pub fn valid_stage_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// Normalise an absolute path: collapse `//`, `.` and `..`; keep a single leading `/`.
pub fn clean_path(p: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    format!("/{}", parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(text: &str) -> Dockerfile {
        Dockerfile::build(syntax::parse(text))
    }

    #[test]
    fn stages_workdirs_and_refs() {
        let m = model(
            "ARG GO=1.22\nFROM golang:${GO} AS Builder\nWORKDIR /src\nWORKDIR app\nRUN go build\n\
             FROM builder AS test\nFROM scratch\nCOPY --from=builder /src/app/x /x\nCOPY --from=1 a b\n",
        );
        assert_eq!(m.stages.len(), 3);
        let b = &m.stages[0];
        assert_eq!(b.name.as_deref(), Some("builder"));
        assert_eq!(b.base, Base::Image(ImageRef::parse("golang:1.22").unwrap()));
        assert_eq!(b.workdir, Workdir::Known("/src/app".into()));
        assert_eq!(m.stages[1].base, Base::Stage(0));
        assert_eq!(m.stages[1].workdir, Workdir::Known("/src/app".into()));
        assert_eq!(m.stages[2].workdir, Workdir::Known("/".into()));
        let targets: Vec<_> = m.stage_refs.iter().map(|r| r.target.clone()).collect();
        assert_eq!(
            targets,
            vec![Target::Named(0), Target::Named(0), Target::Index(1)]
        );
        assert!(m.ships(2) && !m.ships(0));
        assert!(m.stage_is_shell_less(2));
    }

    #[test]
    fn mounts_are_parsed() {
        let m = model("FROM a\nRUN --mount=type=cache,target=/root/.cache --mount=from=x,source=/a,target=/b true\n");
        let ms = mounts(&m.instructions[1]);
        assert_eq!(ms[0].kind, "cache");
        assert_eq!(ms[1].from.as_deref(), Some("x"));
        assert_eq!(ms[1].kind, "bind");
    }

    #[test]
    fn instruction_before_from_is_an_error() {
        let m = model("RUN x\nFROM a\n");
        assert!(m
            .errors
            .iter()
            .any(|e| e.message.contains("before the first")));
    }
}
