//! `undefined-variable`: an instruction BuildKit expands uses a `$VAR` that no `ARG` or `ENV`
//! in scope, nor the base image, defines.

use std::cell::Cell;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

use super::{Ctx, Report};
use crate::fix::{edits, Applicability, Edit, Fix};
use crate::model::expand::{self, Mode};
use crate::model::image_env::{image_env, ImageEnv};
use crate::model::{Base, Stage};
use crate::source::TextRange;
use crate::syntax::{Args, Instruction, Keyword, Logical};

crate::declare_rule! {
    slug: "undefined-variable",
    codes: [UndefinedVar: "variables should be defined before their use"],
    group: Correctness,
    severity: Warning,
    fix: Sometimes,
    since: "0.4.0",
    summary: "an instruction uses a variable that no `ARG` or `ENV` in scope, nor the base image, defines",
    options: Options,
    hooks: { file: check },
}

/// `[rules.undefined-variable]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "UndefinedVariableOptions")]
pub struct Options {
    /// Also report variables in stages whose base image dlint does not know, as BuildKit does
    /// when the image sets no ENV (the image may define them: off by default).
    #[serde(default)]
    pub report_unknown_bases: bool,
}

/// Variables BuildKit defines in every stage without a declaration.
const ALWAYS: &[&str] = &["BUILDKIT_SBOM_SCAN_CONTEXT", "BUILDKIT_SBOM_SCAN_STAGE"];

/// What a stage can read at a point.
#[derive(Clone)]
struct Scope {
    /// Declared by ARG and ENV in this stage and the stages it is built on, and `PATH`.
    defined: imbl::HashSet<String>,
    /// The variables of the base image, when it is a well-known one.
    image: Option<ImageEnv>,
    /// The base image's variables are not known: it may set any.
    unknown: bool,
    /// Built on `scratch`, which has no variables at all.
    scratch: bool,
}

impl Scope {
    fn has(&self, name: &str) -> bool {
        self.defined.contains(name)
            || self.image.is_some_and(|e| e.sets(name))
            || ALWAYS.contains(&name)
    }

    fn candidates(&self) -> Vec<&str> {
        let mut c: Vec<&str> = self.defined.iter().map(String::as_str).collect();
        for n in self.image.into_iter().flat_map(ImageEnv::names) {
            c.push(n);
        }
        c.sort_unstable();
        c.dedup();
        c
    }
}

/// Where a variable is declared, for the messages.
struct Decl {
    instruction: usize,
    arg: bool,
}

/// What the file knows of a name, beyond the scope.
struct Files<'a> {
    /// By name, in instruction order.
    decls: HashMap<&'a str, Vec<Decl>>,
    global: HashSet<&'a str>,
    /// "Did you mean" searches left: each costs a pass over the names in scope, so a file
    /// with thousands of undefined variables gets suggestions for the first ones only.
    suggestions: Cell<usize>,
}

/// How many findings of a file get a "did you mean" search.
const SUGGESTIONS: usize = 200;

fn check(ctx: &Ctx, out: &mut Report) {
    let model = ctx.model;
    let report_unknown = ctx.options::<Options>().report_unknown_bases;
    let mut files = Files {
        decls: HashMap::new(),
        global: HashSet::new(),
        suggestions: Cell::new(SUGGESTIONS),
    };
    for (i, inst) in model.instructions.iter().enumerate() {
        let arg = match inst.keyword {
            Keyword::Arg => true,
            Keyword::Env => false,
            _ => continue,
        };
        let Args::Pairs(pairs) = &inst.args else {
            continue;
        };
        for p in pairs {
            if model.contexts[i].stage.is_none() {
                files.global.insert(&p.key);
            } else {
                files.decls.entry(&p.key).or_default().push(Decl {
                    instruction: i,
                    arg,
                });
            }
        }
    }
    let mut ends: Vec<Scope> = Vec::with_capacity(model.stages.len());
    for stage in &model.stages {
        let mut scope = start_scope(stage, &model.instructions[stage.from], &ends);
        for (i, inst) in model.stage_body(stage) {
            let mut w = Walk {
                ctx,
                stage,
                index: i,
                inst,
                files: &files,
                report_unknown,
                reported: Vec::new(),
            };
            w.instruction(&mut scope, out);
        }
        ends.push(scope);
    }
}

/// The scope a stage starts with: its parent stage's at its end, or its base image's.
fn start_scope(stage: &Stage, from: &Instruction, ends: &[Scope]) -> Scope {
    let mut scope = Scope {
        defined: imbl::HashSet::new(),
        image: None,
        unknown: false,
        scratch: false,
    };
    match &stage.base {
        Base::Stage(p) => {
            if let Some(parent) = ends.get(*p) {
                return parent.clone();
            }
            scope.unknown = true;
        }
        // `scratch` has no variables at all, not even `PATH`.
        Base::Scratch => scope.scratch = true,
        Base::Image(img) => {
            scope.image = image_env(img).filter(|_| !stage.windows);
            scope.unknown = scope.image.is_none();
        }
        // `alpine:${TAG}`: the tag is not known, but the image is.
        Base::Unresolved(_) => {
            scope.image = from
                .words()
                .first()
                .and_then(|w| repository_of(&w.raw))
                .and_then(|img| image_env(&img))
                .filter(|_| !stage.windows);
            scope.unknown = scope.image.is_none();
        }
    }
    if !matches!(stage.base, Base::Scratch) {
        scope.defined.insert("PATH".to_string());
    }
    scope
}

/// The image a `FROM` names when only its tag or digest uses variables.
fn repository_of(raw: &str) -> Option<crate::model::ImageRef> {
    let name = raw.split('@').next().unwrap_or(raw);
    let slash = name.rfind('/').map_or(0, |i| i + 1);
    let name = match name[slash..].find(':') {
        Some(i) => &name[..slash + i],
        None => name,
    };
    if name.contains(['$', '"', '\'', '\\', '`']) {
        return None;
    }
    crate::model::ImageRef::parse(name)
}

/// A text BuildKit expands, and where it is in the source.
struct Text<'a> {
    text: String,
    mode: Mode,
    place: Place<'a>,
}

enum Place<'a> {
    /// Text offsets are source offsets from here.
    At(usize),
    /// A heredoc body, mapped through its logical text.
    Logical(&'a Logical),
    /// Only the whole range is known (the text spans a line continuation).
    Whole(TextRange),
}

impl Place<'_> {
    fn map(&self, r: Range<usize>) -> (TextRange, bool) {
        match self {
            Place::At(start) => (start + r.start..start + r.end, true),
            Place::Logical(l) => (l.range_to_source(r), true),
            Place::Whole(range) => (range.clone(), false),
        }
    }
}

/// One instruction being checked.
struct Walk<'a> {
    ctx: &'a Ctx<'a>,
    stage: &'a Stage,
    index: usize,
    inst: &'a Instruction,
    files: &'a Files<'a>,
    report_unknown: bool,
    /// Names already reported for this instruction.
    reported: Vec<String>,
}

impl<'a> Walk<'a> {
    fn instruction(&mut self, scope: &mut Scope, out: &mut Report) {
        let inst = self.inst;
        match (inst.keyword, &inst.args) {
            // ARG reads its default with the names declared before it, pair by pair.
            (Keyword::Arg, Args::Pairs(pairs)) => {
                for p in pairs {
                    if let Some(range) = &p.value_range {
                        let t = self.pair_text(range);
                        self.check_text(&t, scope, &[], out);
                    }
                    scope.defined.insert(p.key.clone());
                }
            }
            // ENV expands all its pairs with the variables set before the instruction.
            (Keyword::Env, Args::Pairs(pairs)) => {
                let mut earlier: Vec<&str> = Vec::new();
                for p in pairs {
                    let key = self.pair_text(&p.key_range);
                    self.check_text(&key, scope, &earlier, out);
                    if let Some(range) = &p.value_range {
                        let t = self.pair_text(range);
                        self.check_text(&t, scope, &earlier, out);
                    }
                    earlier.push(&p.key);
                }
                for p in pairs {
                    scope.defined.insert(p.key.clone());
                }
            }
            _ => {
                for t in self.texts() {
                    self.check_text(&t, scope, &[], out);
                }
            }
        }
    }

    fn pair_text(&self, range: &TextRange) -> Text<'a> {
        let (text, exact) =
            expand::source_text(&self.ctx.source.text, range.clone(), self.ctx.model.escape);
        Text {
            text,
            mode: Mode::Word,
            place: if exact {
                Place::At(range.start)
            } else {
                Place::Whole(range.clone())
            },
        }
    }

    /// The texts BuildKit expands in an instruction other than ARG and ENV.
    fn texts(&self) -> Vec<Text<'a>> {
        let inst = self.inst;
        let mut out = Vec::new();
        let flags: &[&str] = match inst.keyword {
            Keyword::Copy => &["chown", "chmod"],
            Keyword::Add => &["chown", "chmod", "checksum"],
            Keyword::Run => &["mount"],
            _ => &[],
        };
        for f in &inst.flags {
            if !flags.iter().any(|n| f.name.eq_ignore_ascii_case(n)) {
                continue;
            }
            let Some(eq) = f.raw.find('=') else {
                continue;
            };
            // `--mount=from=$X` is an error BuildKit stops at, not an undefined variable.
            let from_var = f.name.eq_ignore_ascii_case("mount")
                && f.raw[eq + 1..]
                    .split(',')
                    .any(|part| part.starts_with("from=") && part.contains('$'));
            if from_var {
                continue;
            }
            let place = if f.range.len() == f.raw.len() {
                Place::At(f.range.start + eq + 1)
            } else {
                Place::Whole(f.range.clone())
            };
            out.push(Text {
                text: f.raw[eq + 1..].to_string(),
                mode: Mode::Word,
                place,
            });
        }
        match inst.keyword {
            Keyword::Label => {
                if let Args::Pairs(pairs) = &inst.args {
                    for p in pairs {
                        out.push(self.pair_text(&p.key_range));
                        if let Some(range) = &p.value_range {
                            out.push(self.pair_text(range));
                        }
                    }
                }
            }
            Keyword::Copy
            | Keyword::Add
            | Keyword::Workdir
            | Keyword::User
            | Keyword::Volume
            | Keyword::Stopsignal => {
                let exec = inst.is_exec_form();
                for w in inst.words() {
                    let (text, place) = if exec {
                        // A JSON string: its decoded value is what BuildKit expands.
                        let plain = w.raw.len() == w.value.len() + 2
                            && w.raw.get(1..w.raw.len() - 1) == Some(w.value.as_str());
                        let place = if plain && w.range.len() == w.raw.len() {
                            Place::At(w.range.start + 1)
                        } else {
                            Place::Whole(w.range.clone())
                        };
                        (w.value.clone(), place)
                    } else if w.range.len() == w.raw.len() {
                        (w.raw.clone(), Place::At(w.range.start))
                    } else {
                        (w.raw.clone(), Place::Whole(w.range.clone()))
                    };
                    out.push(Text {
                        text,
                        mode: Mode::Word,
                        place,
                    });
                }
                if matches!(inst.keyword, Keyword::Copy | Keyword::Add) {
                    for h in inst.heredocs.iter().filter(|h| h.expand) {
                        out.push(Text {
                            text: h.content.text.clone(),
                            mode: Mode::Heredoc,
                            place: Place::Logical(&h.content),
                        });
                    }
                }
            }
            _ => {}
        }
        out
    }

    fn check_text(&mut self, t: &Text, scope: &Scope, earlier: &[&str], out: &mut Report) {
        if !t.text.contains('$') {
            return;
        }
        let lookup = |n: &str| scope.has(n).then(|| "x".to_string());
        // A word BuildKit cannot expand fails the build; that is not this rule's finding.
        let Ok(e) = expand::expand(&t.text, self.ctx.model.escape, t.mode, &lookup) else {
            return;
        };
        for r in e.refs {
            if r.required || scope.has(&r.name) || self.reported.contains(&r.name) {
                continue;
            }
            let why = self.why(&r.name, earlier);
            if scope.unknown && !self.report_unknown && !why.certain() {
                continue;
            }
            self.reported.push(r.name.clone());
            let (range, exact) = t.place.map(r.range.clone());
            let (name_range, _) = t.place.map(r.name_range.clone());
            self.report(out, &r.name, range, exact.then_some(name_range), why, scope);
        }
    }

    /// Why a name is not in scope, as far as the file tells.
    fn why(&self, name: &str, earlier: &[&str]) -> Why {
        if earlier.contains(&name) {
            return Why::SameEnv;
        }
        let decls = self.files.decls.get(name).map_or(&[][..], Vec::as_slice);
        let body = &self.stage.body;
        let next = decls.partition_point(|d| d.instruction <= self.index);
        if let Some(d) = decls.get(next).filter(|d| body.contains(&d.instruction)) {
            return Why::Later {
                line: self.ctx.model.instructions[d.instruction].start_line,
                arg: d.arg,
            };
        }
        if self.files.global.contains(name) {
            return Why::Global;
        }
        let elsewhere = decls
            .first()
            .filter(|d| d.instruction < body.start)
            .or(decls.last().filter(|d| d.instruction >= body.end));
        match elsewhere {
            Some(d) => Why::OtherStage {
                line: self.ctx.model.instructions[d.instruction].start_line,
                arg: d.arg,
            },
            None => Why::Undefined,
        }
    }

    fn report(
        &self,
        out: &mut Report,
        name: &str,
        range: TextRange,
        name_range: Option<TextRange>,
        why: Why,
        scope: &Scope,
    ) {
        let d = out.report(range, format!("undefined variable `${name}`"));
        if !name.starts_with(|c: char| c.is_alphabetic() || c == '_') {
            d.help(format!(
                "`${name}` is a shell parameter, which BuildKit expands to nothing here: write `{esc}${name}` for a literal `$`",
                esc = self.ctx.model.escape
            ));
            return;
        }
        if name == "PATH" && scope.scratch {
            d.help("a stage built on `scratch` has no variables, not even `PATH`");
            return;
        }
        match why {
            Why::SameEnv => d.help(format!(
                "this `ENV` sets `{name}`, but its values see only variables set before it: set `{name}` in an earlier `ENV`"
            )),
            Why::Later { line, arg } => d.help(format!(
                "`{}` on line {line} comes after this use: declare it before",
                if arg { format!("ARG {name}") } else { format!("ENV {name}") }
            )),
            Why::Global => {
                let from = &self.ctx.model.instructions[self.stage.from];
                let kw = if from.keyword_text.chars().any(|c| c.is_ascii_lowercase()) {
                    "arg"
                } else {
                    "ARG"
                };
                let text = format!("{kw} {name}");
                // Shown, never applied: it adds an instruction, and the variable also
                // becomes an environment variable of the stage's `RUN` commands.
                d.help(format!(
                    "the global `ARG {name}` is not in scope in a stage until the stage declares it again: add `{text}` to the stage"
                ))
                .fix(Some(Fix::new(
                    format!("add `{text}` after the stage's `FROM`"),
                    Applicability::DisplayOnly,
                    vec![edits::insert_instruction_after(self.ctx.source, from, &text)],
                )))
            }
            Why::OtherStage { line, arg } => d.help(format!(
                "it is declared on line {line}, in another stage: {} do not carry over to stages not built on that one",
                if arg { "ARGs" } else { "ENVs" }
            )),
            Why::Undefined => {
                let left = self.files.suggestions.get();
                self.files.suggestions.set(left.saturating_sub(1));
                let suggestion = if left > 0 {
                    closest(name, &scope.candidates())
                } else {
                    None
                };
                match suggestion {
                    Some((c, distance)) => {
                        let help = if c.eq_ignore_ascii_case(name) {
                            format!("variable names are case-sensitive: did you mean `${c}`?")
                        } else {
                            format!("did you mean `${c}`?")
                        };
                        let applicability = if distance <= 1 {
                            Applicability::Unsafe
                        } else {
                            Applicability::DisplayOnly
                        };
                        let fix = name_range.map(|r| {
                            Fix::new(
                                format!("use `${c}`"),
                                applicability,
                                vec![Edit::replace(r, c)],
                            )
                        });
                        d.help(help).fix(fix)
                    }
                    None => d.help(format!(
                        "declare it first (`ARG {name}` or `ENV {name}=...`){}",
                        if scope.unknown {
                            ""
                        } else {
                            ", or check its spelling"
                        }
                    )),
                }
            }
        };
    }
}

/// A defined name close to `name` (case-insensitive), and how far: not one that shares no
/// letter with it (`$E` is no typo of `$A`).
pub(crate) fn closest<'c>(name: &str, candidates: &[&'c str]) -> Option<(&'c str, usize)> {
    super::registry::closest(name, candidates)
        .filter(|(c, d)| *d < name.chars().count().min(c.chars().count()))
}

/// Why a name is undefined where it is used.
#[derive(Debug, Clone, Copy)]
enum Why {
    /// Set by an earlier pair of the same `ENV`.
    SameEnv,
    /// Declared later in the stage.
    Later { line: usize, arg: bool },
    /// A global ARG the stage does not declare.
    Global,
    /// Declared only in a stage this one is not built on.
    OtherStage { line: usize, arg: bool },
    Undefined,
}

impl Why {
    /// Whether the file itself shows the name is meant as its own variable, so that a base
    /// image that might define it does not change the finding.
    fn certain(self) -> bool {
        matches!(
            self,
            Why::SameEnv
                | Why::Global
                | Why::Later { arg: true, .. }
                | Why::OtherStage { arg: true, .. }
        )
    }
}
