//! The pipeline every front end uses: parse, model, one walk that dispatches to the enabled
//! rules' hooks, suppressions and the pass after them, code filters and severities; and the
//! converge loop that applies fixes ([`converge`]).

pub mod converge;

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Dockerfile;
use crate::rules::{
    At, CodeFilter, CommandHook, Ctx, FileHook, InstructionHook, OptionMap, Report, Rule,
    Selection, SuppressionHook, Target,
};
use crate::shell::Scripts;
use crate::source::SourceFile;
use crate::syntax::Keyword;
use crate::{shell, suppress, syntax};

/// What to check, for one file.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The enabled rules, sorted by slug.
    pub rules: Vec<&'static Rule>,
    /// Codes singled out or turned off on top of the enabled rules.
    pub codes: CodeFilter,
    /// Options by rule slug (every rule with options has an entry; the defaults unless configured).
    pub options: OptionMap,
    /// Severity overrides by rule slug or code (`[rules.<slug>] severity`); a code's wins.
    pub severities: BTreeMap<&'static str, Severity>,
    /// The build context next to the file, read the first time a rule looks at it.
    pub context: crate::context::Lazy,
    /// The external ShellCheck pass (the `shellcheck` rule's input); `None` keeps the
    /// pipeline free of processes. Front ends set it to [`crate::shellcheck::global`].
    pub shellcheck: Option<&'static crate::shellcheck::Runner>,
}

impl Settings {
    /// These rules, every code of them, default options.
    pub fn with_rules(rules: Vec<&'static Rule>) -> Settings {
        Settings {
            rules,
            ..Settings::default()
        }
    }

    /// A selection's rules and code filter, default options.
    pub fn with_selection(selection: Selection) -> Settings {
        Settings {
            rules: selection.rules,
            codes: selection.codes,
            ..Settings::default()
        }
    }

    /// Whether a rule, or one code of it, is checked.
    pub fn checks(&self, t: Target) -> bool {
        let rule = t.rule();
        if !self.rules.iter().any(|r| r.slug == rule.slug) {
            return false;
        }
        match t.code() {
            None => true,
            Some(c) => self.codes.keeps_code(rule.slug, c),
        }
    }
}

/// The options of every rule that declares some, at their defaults.
pub fn default_options() -> OptionMap {
    crate::rules::RULES
        .iter()
        .filter_map(|r| r.options.map(|o| (r.slug, (o.default)())))
        .collect()
}

impl Default for Settings {
    fn default() -> Self {
        let sel = Selection::new(&[], &[], &[]).unwrap_or_default();
        Settings {
            rules: sel.rules,
            codes: sel.codes,
            options: default_options(),
            severities: Default::default(),
            context: Default::default(),
            shellcheck: None,
        }
    }
}

/// One file's findings, sorted by position.
#[derive(Debug, Clone)]
pub struct FileResult {
    pub source: SourceFile,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parse and model a file.
pub fn analyze(source: &SourceFile) -> Dockerfile {
    Dockerfile::build(syntax::parse(&source.text))
}

/// Lint one file's text.
pub fn check_source(path: &str, text: &str, settings: &Settings) -> FileResult {
    check_source_with_model(path, text, settings).0
}

/// The enabled rules' hooks, by where the walk calls them.
#[derive(Default)]
struct Dispatch {
    file: Vec<(&'static Rule, FileHook)>,
    /// By keyword (as an index).
    instruction: Vec<Vec<(&'static Rule, InstructionHook)>>,
    command: Vec<(&'static Rule, &'static [&'static str], CommandHook)>,
    suppressions: Vec<(&'static Rule, SuppressionHook)>,
}

const KEYWORDS: usize = Keyword::Unknown as usize + 1;

impl Dispatch {
    fn new(rules: &[&'static Rule]) -> Dispatch {
        let mut d = Dispatch {
            instruction: vec![Vec::new(); KEYWORDS],
            ..Default::default()
        };
        for &r in rules {
            let h = &r.hooks;
            if let Some(f) = h.file {
                d.file.push((r, f));
            }
            if let Some((kws, f)) = h.instruction {
                for k in kws {
                    d.instruction[*k as usize].push((r, f));
                }
            }
            if let Some((progs, f)) = h.command {
                d.command.push((r, progs, f));
            }
            if let Some(f) = h.suppressions {
                d.suppressions.push((r, f));
            }
        }
        d
    }

    fn walks(&self) -> bool {
        self.instruction.iter().any(|v| !v.is_empty()) || !self.command.is_empty()
    }
}

/// [`check_source`], also returning the model it built (for callers that need both).
pub fn check_source_with_model(
    path: &str,
    text: &str,
    settings: &Settings,
) -> (FileResult, Dockerfile) {
    let source = SourceFile::new(path, text);
    let model = analyze(&source);
    let scripts = Scripts::new(&model);
    let dispatch = Dispatch::new(&settings.rules);
    // The one external pass, explicit: only with a runner and the rule that reads it enabled.
    let shellchecked = match settings.shellcheck {
        Some(runner)
            if settings
                .rules
                .iter()
                .any(|r| std::ptr::eq(*r, &crate::rules::shellcheck::RULE)) =>
        {
            runner.check(crate::shellcheck::inputs(&model))
        }
        _ => Vec::new(),
    };
    let base = |rule: &'static Rule| Ctx {
        rule,
        source: &source,
        model: &model,
        scripts: &scripts,
        context: &settings.context,
        options: &settings.options,
        shellcheck: &shellchecked,
    };
    let mut diagnostics = Vec::new();
    for (rule, hook) in &dispatch.file {
        hook(&base(rule), &mut Report::new(rule, &mut diagnostics));
    }
    if dispatch.walks() {
        walk(&model, &scripts, &dispatch, &base, &mut diagnostics);
    }
    diagnostics.retain(|d| settings.codes.keeps(d));
    let list = suppress::parse(&source, &model);
    let used = suppress::apply(&model, &list, &mut diagnostics);
    if !dispatch.suppressions.is_empty() {
        let uses = suppress::uses(&list, &used, &|t| settings.checks(t));
        for (rule, hook) in &dispatch.suppressions {
            hook(&base(rule), &uses, &mut Report::new(rule, &mut diagnostics));
        }
    }
    for d in &mut diagnostics {
        let configured = d
            .code
            .and_then(|c| settings.severities.get(c))
            .or_else(|| settings.severities.get(d.rule));
        if let Some(s) = configured {
            d.severity = *s;
        }
    }
    diagnostics.sort_by(|a, b| {
        (a.range.start, a.rule, &a.message, a.range.end).cmp(&(
            b.range.start,
            b.rule,
            &b.message,
            b.range.end,
        ))
    });
    diagnostics.dedup();
    (
        FileResult {
            source,
            diagnostics,
        },
        model,
    )
}

/// The one walk over the instructions: instruction hooks by keyword (an ONBUILD's trigger by
/// the trigger's keyword), command hooks by program name for the commands of each RUN.
fn walk<'a>(
    model: &'a Dockerfile,
    scripts: &'a Scripts<'a>,
    dispatch: &Dispatch,
    base: &dyn Fn(&'static Rule) -> Ctx<'a>,
    out: &mut Vec<Diagnostic>,
) {
    for (index, outer) in model.instructions.iter().enumerate() {
        let inst = outer.sub.as_deref().unwrap_or(outer);
        let context = &model.contexts[index];
        let stage = context.stage.map(|s| &model.stages[s]);
        let at = At {
            index,
            inst,
            outer,
            onbuild: outer.sub.is_some(),
            stage,
            ships: stage.is_some_and(|s| model.ships(s.index)),
            context,
        };
        for (rule, hook) in &dispatch.instruction[inst.keyword as usize] {
            hook(&base(rule), &at, &mut Report::new(rule, out));
        }
        if dispatch.command.is_empty() || inst.keyword != Keyword::Run {
            continue;
        }
        let Some(script) = scripts.get(index) else {
            continue;
        };
        for cmd in &script.commands {
            let Some(name) = cmd.name().map(shell::basename) else {
                continue;
            };
            for (rule, programs, hook) in &dispatch.command {
                if programs.contains(&name) {
                    hook(&base(rule), &at, cmd, &mut Report::new(rule, out));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{FixAvailability, Group, Hooks};

    const fn rule(slug: &'static str, hooks: Hooks) -> Rule {
        Rule {
            slug,
            codes: &[],
            group: Group::Pedantic,
            severity: Severity::Info,
            fix: FixAvailability::None,
            since: "0.1.0",
            summary: "test rule",
            doc: "",
            options: None,
            hooks,
            offer_suppression: true,
        }
    }

    /// Reports every COPY (ONBUILD triggers included, saying so) and every apt-get command.
    static WATCHER: Rule = rule(
        "test-watcher",
        Hooks {
            instruction: Some((&[Keyword::Copy], |_ctx, at, out| {
                let what = if at.onbuild { "trigger" } else { "copy" };
                out.report(at.outer.range.clone(), format!("{what} ships={}", at.ships));
            })),
            command: Some((&["apt-get"], |_ctx, _at, cmd, out| {
                out.report(cmd.range.clone(), format!("apt-get nested={}", cmd.nested));
            })),
            ..Hooks::NONE
        },
    );

    #[test]
    fn one_walk_dispatches_by_keyword_and_program() {
        let text = "FROM debian:12 AS build\nCOPY a /a\nFROM debian:12\nONBUILD COPY b /b\nRUN sudo apt-get update && sh -c 'apt-get install -y x' && apk add y\n";
        let settings = Settings::with_rules(vec![&WATCHER]);
        let r = check_source("Dockerfile", text, &settings);
        let got: Vec<&str> = r.diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            got,
            [
                "copy ships=false",
                "trigger ships=true",
                "apt-get nested=0",
                "apt-get nested=1"
            ]
        );
        // A rule that is not enabled is never called.
        let none = Settings::with_rules(vec![]);
        assert!(check_source("Dockerfile", text, &none)
            .diagnostics
            .is_empty());
    }
}
