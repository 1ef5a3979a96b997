//! dlint: a Dockerfile linter and auto-refactoring tool.
//!
//! # Bird's-eye view
//! A Dockerfile goes through one pipeline, shared by the CLI and (later) the LSP:
//!
//! ```text
//! source (SourceFile: text, BOM, line endings)
//!   -> syntax  (tree-sitter-containerfile, BuildKit-exact instruction boundaries)
//!   -> model   (stages, bases, WORKDIR, SHELL, ARG/ENV scopes, stage references)
//!   -> shell   (RUN bodies as commands, via tree-sitter-bash)
//!   -> rules   (one file per rule, registered in rules/registry.rs)
//!   -> suppress (`# dlint ignore=`, `# hadolint ignore=`, `# check=skip=`), then late rules
//!   -> fix     (edits, converge loop, diffs, atomic writes)
//!   -> report  (full | concise | json | sarif | github | gitlab | checkstyle | junit)
//! ```
//!
//! # Code map
//! - [`source`]: text, offsets <-> lines/columns, decoding input bytes.
//! - [`syntax`]: the only module that knows the Dockerfile grammar.
//! - [`model`]: immutable typed model of stages and instructions.
//! - [`shell`]: the only module that knows tree-sitter-bash.
//! - [`rules`]: the registry and one module per rule.
//! - [`suppress`]: inline suppressions and which of them were used.
//! - [`convert`]: single-stage -> multi-stage conversion, ecosystem recipes as data.
//! - [`fix`]: edits and their builders, the converge loop, diffs, writing files.
//! - [`config`]: `dlint.toml` (and `.hadolint.yaml`) into per-file [`Settings`].
//! - [`report`]: the only module that knows output formats.
//! - [`lsp`]: the language server (`dlint lsp`), the only module that knows the LSP crates.
//! - [`discover`]: which files are Dockerfiles; directory walking.
//! - [`cli`]: argument parsing, the lint/fix runs, exit codes.
//!
//! # Invariants
//! - Layers point one way: syntax <- model <- shell <- rules <- suppress <- fix <- {cli, report}.
//!   Fix types and edit builders (`fix::{Edit, Fix}`, `fix::edits`) depend only on the lower
//!   layers, so rules can build fixes; `fix::converge` sits above the rules.
//! - Parsing never fails and never panics; problems are data.
//! - A rule does no IO, never panics, and does not ask whether another rule is enabled.

pub mod cli;
pub mod config;
pub mod convert;
pub mod diagnostic;
pub mod discover;
pub mod fix;
pub mod lsp;
pub mod model;
pub mod report;
pub mod rules;
pub mod shell;
pub mod source;
pub mod suppress;
pub mod syntax;

use diagnostic::Diagnostic;
use model::Dockerfile;
use rules::Rule;
use source::SourceFile;

/// What to check.
#[derive(Debug, Clone)]
pub struct Settings {
    pub rules: Vec<&'static Rule>,
    pub options: rules::registry::RuleOptions,
    /// Severity overrides by rule slug (`[rules.<slug>] severity`).
    pub severities: std::collections::BTreeMap<&'static str, diagnostic::Severity>,
    /// Project files of the build context (read by the front end; empty when unknown).
    pub context: std::sync::Arc<convert::BuildContext>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            rules: rules::select(&[], &[]).unwrap_or_default(),
            options: Default::default(),
            severities: Default::default(),
            context: Default::default(),
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

/// Lint one file's text: the pipeline every front end uses.
pub fn check_source(path: &str, text: &str, settings: &Settings) -> FileResult {
    check_source_with_model(path, text, settings).0
}

/// [`check_source`], also returning the model it built (for callers that need both).
pub fn check_source_with_model(
    path: &str,
    text: &str,
    settings: &Settings,
) -> (FileResult, Dockerfile) {
    let source = SourceFile::new(path, text);
    let model = analyze(&source);
    let scripts = shell::Scripts::new(&model);
    let enabled: Vec<&'static str> = settings.rules.iter().map(|r| r.slug).collect();
    let mut ctx = rules::Ctx {
        source: &source,
        model: &model,
        scripts: &scripts,
        options: &settings.options,
        suppressions: None,
        enabled: &enabled,
        context: &settings.context,
    };
    let mut diagnostics = Vec::new();
    for rule in settings.rules.iter().filter(|r| !r.late) {
        (rule.check)(&ctx, rule, &mut diagnostics);
    }
    let list = suppress::parse(&source, &model);
    let used = suppress::apply(&model, &list, &mut diagnostics);
    let state = rules::registry::Suppressions { list, used };
    ctx.suppressions = Some(&state);
    for rule in settings.rules.iter().filter(|r| r.late) {
        (rule.check)(&ctx, rule, &mut diagnostics);
    }
    for d in &mut diagnostics {
        if let Some(s) = settings.severities.get(d.rule) {
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
