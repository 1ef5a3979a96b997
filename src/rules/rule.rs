//! The rule framework: what one rule declaration holds ([`Rule`], written with
//! [`declare_rule!`](crate::declare_rule)), the hooks the pipeline's single walk dispatches to,
//! what a hook sees ([`Ctx`], [`At`]) and the report builder bound to the rule ([`Report`]).

use std::any::{Any, TypeId};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

use crate::diagnostic::{Diagnostic, Severity};
use crate::fix::{Applicability, Fix};
use crate::model::{Context, Dockerfile, Stage};
use crate::shell::{Command, Scripts};
use crate::source::{SourceFile, TextRange};
use crate::syntax::{Instruction, Keyword};

/// Closed set of rule groups; default enablement follows the group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Group {
    Correctness,
    Suspicious,
    Security,
    Size,
    Performance,
    Style,
    Pedantic,
}

impl Group {
    pub const ALL: [Group; 7] = [
        Group::Correctness,
        Group::Suspicious,
        Group::Security,
        Group::Size,
        Group::Performance,
        Group::Style,
        Group::Pedantic,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Group::Correctness => "correctness",
            Group::Suspicious => "suspicious",
            Group::Security => "security",
            Group::Size => "size",
            Group::Performance => "performance",
            Group::Style => "style",
            Group::Pedantic => "pedantic",
        }
    }

    pub fn enabled_by_default(self) -> bool {
        self != Group::Pedantic
    }
}

/// Whether a rule's findings come with fixes; the doc harness checks the declaration against
/// what the rule emits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FixAvailability {
    None,
    Sometimes,
    Always,
}

/// One specific code a rule's findings may carry: a hadolint code or a BuildKit check name,
/// with the other tools' names for the same check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    /// What the finding shows (`DL3042`).
    pub name: &'static str,
    /// Other names selecting and suppressing exactly this code (a BuildKit check name for a
    /// hadolint code that means the same).
    pub also: &'static [&'static str],
    /// What this code stands for.
    pub summary: &'static str,
}

impl Code {
    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
            || self.also.iter().any(|a| a.eq_ignore_ascii_case(name))
    }
}

/// A rule's options value, type-erased (plain data: shareable across threads and unwinding).
pub type AnyOptions = dyn Any + Send + Sync + std::panic::RefUnwindSafe;

/// A rule's options type, erased: parsed from `[rules.<slug>]`, described in the JSON Schema.
#[derive(Clone, Copy)]
pub struct OptionsDecl {
    pub parse: fn(toml::Value) -> Result<Arc<AnyOptions>, String>,
    pub default: fn() -> Arc<AnyOptions>,
    pub schema: fn(&mut schemars::SchemaGenerator) -> schemars::Schema,
    /// Top-level `dlint.toml` keys that set one of the options (`trusted-registries`), as
    /// (key, option name).
    pub top_level: &'static [(&'static str, &'static str)],
}

impl OptionsDecl {
    pub const fn of<T>(top_level: &'static [(&'static str, &'static str)]) -> OptionsDecl
    where
        T: serde::de::DeserializeOwned
            + schemars::JsonSchema
            + Default
            + Send
            + Sync
            + std::panic::RefUnwindSafe
            + 'static,
    {
        fn parse<
            T: serde::de::DeserializeOwned + Send + Sync + std::panic::RefUnwindSafe + 'static,
        >(
            v: toml::Value,
        ) -> Result<Arc<AnyOptions>, String> {
            T::deserialize(v)
                .map(|t| Arc::new(t) as Arc<AnyOptions>)
                .map_err(|e| e.message().to_string())
        }
        fn default<T: Default + Send + Sync + std::panic::RefUnwindSafe + 'static>(
        ) -> Arc<AnyOptions> {
            Arc::new(T::default())
        }
        fn schema<T: schemars::JsonSchema>(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
            g.subschema_for::<T>()
        }
        OptionsDecl {
            parse: parse::<T>,
            default: default::<T>,
            schema: schema::<T>,
            top_level,
        }
    }
}

/// A hook on the whole file (stage graph, conversion).
pub type FileHook = fn(&Ctx, &mut Report);
/// A hook on instructions of some keywords, ONBUILD triggers included.
pub type InstructionHook = fn(&Ctx, &At, &mut Report);
/// A hook on shell commands of RUN instructions, by program name.
pub type CommandHook = fn(&Ctx, &At, &Command, &mut Report);
/// The pass after suppressions are applied: sees how each suppression was used.
pub type SuppressionHook = fn(&Ctx, &[SuppressionUse], &mut Report);

/// Where the walk calls a rule. Rules that hook nothing the file has never run.
#[derive(Clone, Copy, Default)]
pub struct Hooks {
    pub file: Option<FileHook>,
    /// Keywords (of the instruction, or of an ONBUILD's trigger) and the hook.
    pub instruction: Option<(&'static [Keyword], InstructionHook)>,
    /// Program names (basename of argv\[0\], after `sudo`/`env` wrappers are looked through
    /// by the shell layer) and the hook.
    pub command: Option<(&'static [&'static str], CommandHook)>,
    pub suppressions: Option<SuppressionHook>,
}

/// One rule, declared once with [`declare_rule!`](crate::declare_rule).
pub struct Rule {
    pub slug: &'static str,
    /// Specific codes its findings carry (hadolint codes, BuildKit check names).
    pub codes: &'static [Code],
    pub group: Group,
    pub severity: Severity,
    pub fix: FixAvailability,
    pub since: &'static str,
    /// One line: what the rule flags.
    pub summary: &'static str,
    /// `lints/<slug>.md`.
    pub doc: &'static str,
    pub options: Option<OptionsDecl>,
    pub hooks: Hooks,
    /// Whether editors offer to suppress its findings (not for what the build itself refuses).
    pub offer_suppression: bool,
}

impl Rule {
    /// Every code name and other name, as accepted by selectors and suppressions (a name that
    /// is one code's and another's other name is listed once).
    pub fn aliases(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.codes.iter().flat_map(move |c| {
            std::iter::once(c.name).chain(
                c.also
                    .iter()
                    .copied()
                    .filter(move |a| !self.codes.iter().any(|k| k.name.eq_ignore_ascii_case(a))),
            )
        })
    }

    /// The code a name stands for: the code of that name, else the code that also answers to it.
    pub fn code(&self, name: &str) -> Option<&'static Code> {
        self.codes
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
            .or_else(|| self.codes.iter().find(|c| c.is(name)))
    }

    /// The names a finding of code `found` answers to when selecting and suppressing: its code
    /// and that code's other names. A code's other name may be a broader code of the same rule
    /// (`WorkdirRelativePath` also answers to `DL3000`, the code of every relative WORKDIR
    /// hadolint reports), so that code's selectors and suppressions cover it too.
    pub fn names_of(&self, found: &str) -> impl Iterator<Item = &'static str> + '_ {
        let code = self.codes.iter().find(|c| c.name == found);
        code.into_iter()
            .flat_map(|c| std::iter::once(c.name).chain(c.also.iter().copied()))
    }
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.slug)
    }
}

/// Options of rules, by slug.
#[derive(Clone, Default)]
pub struct OptionMap(BTreeMap<&'static str, Arc<AnyOptions>>);

impl OptionMap {
    pub fn new() -> OptionMap {
        OptionMap::default()
    }

    pub fn get(&self, slug: &str) -> Option<&Arc<AnyOptions>> {
        self.0.get(slug)
    }

    pub fn insert(&mut self, slug: &'static str, options: Arc<AnyOptions>) {
        self.0.insert(slug, options);
    }

    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &Arc<AnyOptions>)> {
        self.0.iter().map(|(k, v)| (*k, v))
    }

    /// A rule's options as their type.
    pub fn of<T: Any>(&self, slug: &str) -> Option<&T> {
        let any: &(dyn Any + Send + Sync) = self.0.get(slug)?.as_ref();
        any.downcast_ref::<T>()
    }
}

impl std::ops::Index<&str> for OptionMap {
    type Output = Arc<AnyOptions>;
    fn index(&self, slug: &str) -> &Arc<AnyOptions> {
        &self.0[slug]
    }
}

impl FromIterator<(&'static str, Arc<AnyOptions>)> for OptionMap {
    fn from_iter<I: IntoIterator<Item = (&'static str, Arc<AnyOptions>)>>(iter: I) -> Self {
        OptionMap(iter.into_iter().collect())
    }
}

impl std::fmt::Debug for OptionMap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.0.keys()).finish()
    }
}

/// What every hook of a file sees: the file, its model, its RUN scripts, the build context
/// (read on first use) and the calling rule's options.
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    pub rule: &'static Rule,
    pub source: &'a SourceFile,
    pub model: &'a Dockerfile,
    pub scripts: &'a Scripts<'a>,
    pub context: &'a crate::context::Lazy,
    pub(crate) options: &'a OptionMap,
    /// ShellCheck's findings on the RUN scripts, when the external pass ran.
    pub shellcheck: &'a [crate::shellcheck::Checked],
}

impl<'a> Ctx<'a> {
    /// The calling rule's options (its declared type; the defaults when not configured).
    pub fn options<T: Any + Default + Send + Sync>(&self) -> &'a T {
        self.options
            .of::<T>(self.rule.slug)
            .unwrap_or_else(|| default_of::<T>())
    }
}

/// One shared default per options type, for a rule asked about options it was not given.
fn default_of<T: Any + Default + Send + Sync>() -> &'static T {
    type Defaults = Mutex<HashMap<TypeId, &'static (dyn Any + Send + Sync)>>;
    static DEFAULTS: OnceLock<Defaults> = OnceLock::new();
    let mut map = DEFAULTS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    let any: &'static (dyn Any + Send + Sync) = *map
        .entry(TypeId::of::<T>())
        .or_insert_with(|| Box::leak(Box::new(T::default())));
    any.downcast_ref::<T>().expect("keyed by its type")
}

/// An instruction as the walk presents it: ONBUILD triggers resolved to the instruction they
/// carry, with the stage, whether it ships, and the scope, WORKDIR, SHELL and USER in force.
#[derive(Clone, Copy)]
pub struct At<'a> {
    /// Index into `model.instructions`.
    pub index: usize,
    /// The instruction itself, or the trigger an ONBUILD carries.
    pub inst: &'a Instruction,
    /// The instruction as written (the ONBUILD for a trigger).
    pub outer: &'a Instruction,
    pub onbuild: bool,
    pub stage: Option<&'a Stage>,
    /// Whether the stage ends up in the final image.
    pub ships: bool,
    /// Scope, WORKDIR, SHELL and USER in force.
    pub context: &'a Context,
}

/// How one suppression was used, for the pass after suppressions.
#[derive(Debug, Clone)]
pub struct SuppressionUse {
    /// Written as `# dlint ...` (hadolint and BuildKit comments also serve those tools).
    pub dlint: bool,
    /// The comment's whole line, newline included.
    pub line: TextRange,
    pub codes: Vec<CodeUse>,
}

/// One name of a suppression list.
#[derive(Debug, Clone)]
pub struct CodeUse {
    pub text: String,
    pub range: TextRange,
    /// What it names: a rule slug, or a rule and one of its codes; `None` for unknown names.
    pub target: Option<(&'static Rule, Option<&'static Code>)>,
    /// Whether the rule it names ran (a disabled rule's suppressions cannot be judged).
    pub judged: bool,
    pub used: bool,
}

/// Where a rule's findings go: every finding is the rule's own.
pub struct Report<'o> {
    rule: &'static Rule,
    out: &'o mut Vec<Diagnostic>,
}

impl<'o> Report<'o> {
    pub fn new(rule: &'static Rule, out: &'o mut Vec<Diagnostic>) -> Self {
        Report { rule, out }
    }

    /// Start a finding; it is recorded when the builder is dropped.
    pub fn report(&mut self, range: TextRange, message: impl Into<String>) -> Finding<'_> {
        let rule = self.rule;
        // A rule with one code: every finding stands for it.
        let code = match rule.codes {
            [only] => Some(only.name),
            _ => None,
        };
        Finding {
            rule,
            d: Some(Diagnostic {
                rule: rule.slug,
                code,
                severity: rule.severity,
                range,
                message: message.into(),
                help: None,
                labels: Vec::new(),
                fix: None,
            }),
            out: self.out,
        }
    }
}

/// A finding being built: `report(range, msg).code("DL3042").help(..).fix(..)`.
pub struct Finding<'r> {
    rule: &'static Rule,
    d: Option<Diagnostic>,
    out: &'r mut Vec<Diagnostic>,
}

impl Finding<'_> {
    fn d(&mut self) -> &mut Diagnostic {
        self.d.as_mut().expect("a finding is built once")
    }

    /// The specific code, one the rule declares.
    pub fn code(mut self, name: &str) -> Self {
        let code = self.rule.code(name).map(|c| c.name);
        debug_assert!(
            code.is_some(),
            "{} does not declare code {name}",
            self.rule.slug
        );
        self.d().code = code;
        self
    }

    /// A severity of its own (a finding whose code carries one, as ShellCheck's do).
    pub fn severity(mut self, severity: Severity) -> Self {
        self.d().severity = severity;
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.d().help = Some(help.into());
        self
    }

    pub fn label(mut self, range: TextRange, text: impl Into<String>) -> Self {
        self.d().labels.push((range, text.into()));
        self
    }

    pub fn fix(mut self, fix: Option<Fix>) -> Self {
        self.d().fix = fix;
        self
    }

    /// Make the fix (if any) unsafe and say why in the help.
    pub fn unsafe_because(mut self, why: impl Into<String>) -> Self {
        let d = self.d();
        if let Some(f) = d.fix.as_mut() {
            f.applicability = Applicability::Unsafe;
            let why = why.into();
            d.help = Some(match d.help.take() {
                Some(h) => format!("{h}; {why}"),
                None => why,
            });
        }
        self
    }
}

impl Drop for Finding<'_> {
    fn drop(&mut self) {
        if let Some(d) = self.d.take() {
            self.out.push(d);
        }
    }
}

/// Declare a rule: `pub static RULE` in the rule's file, its doc read from `lints/<slug>.md`.
///
/// ```ignore
/// declare_rule! {
///     slug: "untrusted-registry",
///     codes: [DL3026: "use only an allowed registry in the FROM image"],
///     group: Security,
///     severity: Error,
///     fix: None,
///     since: "0.1.0",
///     summary: "an image comes from a registry that `trusted-registries` does not list",
///     options: Options, top_level: [("trusted-registries", "registries")],
///     hooks: { file: check },
/// }
/// ```
#[macro_export]
macro_rules! declare_rule {
    (
        slug: $slug:literal,
        codes: [$($code:ident $(| $also:ident)* : $code_summary:literal),* $(,)?],
        group: $group:ident,
        severity: $severity:ident,
        fix: $fix:ident,
        since: $since:literal,
        summary: $summary:literal,
        $(offer_suppression: $offer:literal,)?
        $(options: $options:ty $(, top_level: [$(($key:literal, $field:literal)),* $(,)?])? ,)?
        hooks: { $($hook:ident : $value:expr),* $(,)? } $(,)?
    ) => {
        pub static RULE: $crate::rules::Rule = $crate::rules::Rule {
            slug: $slug,
            codes: &[$($crate::rules::Code {
                name: stringify!($code),
                also: &[$(stringify!($also)),*],
                summary: $code_summary,
            }),*],
            group: $crate::rules::Group::$group,
            severity: $crate::diagnostic::Severity::$severity,
            fix: $crate::rules::FixAvailability::$fix,
            since: $since,
            summary: $summary,
            doc: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/lints/", $slug, ".md")),
            options: $crate::declare_rule!(@options $($options $(, [$(($key, $field)),*])?)?),
            hooks: $crate::rules::Hooks {
                $($hook: Some($value),)*
                ..$crate::rules::Hooks::NONE
            },
            offer_suppression: $crate::declare_rule!(@offer $($offer)?),
        };
    };
    (@offer) => { true };
    (@offer $offer:literal) => { $offer };
    (@options) => { None };
    (@options $options:ty) => { Some($crate::rules::OptionsDecl::of::<$options>(&[])) };
    (@options $options:ty, [$(($key:literal, $field:literal)),*]) => {
        Some($crate::rules::OptionsDecl::of::<$options>(&[$(($key, $field)),*]))
    };
}

impl Hooks {
    /// No hooks (what `declare_rule!` fills in for hooks not given).
    pub const NONE: Hooks = Hooks {
        file: None,
        instruction: None,
        command: None,
        suppressions: None,
    };
}
