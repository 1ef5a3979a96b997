//! dlint: a Dockerfile linter and auto-refactoring tool.
//!
//! # Bird's-eye view
//! A Dockerfile goes through one pipeline ([`engine`]), shared by the CLI and the LSP:
//!
//! ```text
//! source  (SourceFile: text, BOM, line endings)
//!   -> syntax   (tree-sitter-containerfile, BuildKit-exact instruction boundaries)
//!   -> model    (stages, bases, WORKDIR, SHELL, USER, ARG/ENV scopes, stage references)
//!   -> shell    (RUN bodies as commands via tree-sitter-bash; package-manager actions)
//!   -> engine   one walk over the model, dispatching to the enabled rules' hooks:
//!               per file, per instruction keyword (ONBUILD triggers resolved), per command
//!               program; then code filters, suppressions, the pass after suppressions
//!               (`unused-suppression`), severities
//!   -> engine::converge (apply fixes, re-lint, to a fixed point)
//!   -> report   (full | concise | json | sarif | github | gitlab | checkstyle | junit)
//! ```
//!
//! The configuration ([`config::Resolver`]) turns `dlint.toml` (or `.hadolint.yaml`) and the
//! command line into per-file [`Settings`]; the build context next to a file ([`context`]) is
//! read only when a rule first looks at it, once per directory.
//!
//! # Code map
//! - [`source`]: text, offsets <-> lines/columns, decoding input bytes.
//! - [`syntax`]: the only module that knows the Dockerfile grammar.
//! - [`model`]: immutable typed model of stages and instructions.
//! - [`shell`]: the only module that knows tree-sitter-bash; `shell::packages` recognises
//!   package-manager commands (manager, action, packages, options, caches) for every rule.
//! - [`fix`]: the fix vocabulary rules build with: `Edit`, `Fix`, `Applicability`, `fix::edits`.
//! - [`context`]: the build context (project files next to a Dockerfile), loaded lazily.
//! - [`rules`]: the rule framework (`declare_rule!`, hooks, `Report`), lookups and selection,
//!   and one file per rule, registered by one line in `rules/mod.rs`.
//! - [`suppress`]: inline suppressions (by slug or by code) and which of them were used.
//! - [`convert`]: single-stage -> multi-stage conversion, ecosystem recipes as data.
//! - [`engine`]: `Settings`, `check_source`, the walk, and `converge` (`fix_source`).
//! - [`config`]: `dlint.toml` (and `.hadolint.yaml`), rule options, the shared resolver.
//! - [`report`]: the only module that knows output formats; unified diffs.
//! - [`lsp`]: the language server (`dlint lsp`), the only module that knows the LSP crates.
//! - [`discover`]: which files are Dockerfiles; directory walking.
//! - [`cli`]: argument parsing, the lint/fix runs, writing files, exit codes.
//!
//! # Invariants
//! - Layers point one way: source <- syntax <- model <- shell <- fix <- rules <- suppress <-
//!   engine <- {config, cli, lsp, report}. Rules see the layers below them only.
//! - A rule is one declaration (`declare_rule!`), its doc and its test cases: nothing outside
//!   its file names its slug, and every finding it emits is its own (the `Report` builder).
//! - Findings carry the specific code they stand for; a code selects, ignores, suppresses and
//!   sets the severity of exactly those findings, a slug of all the rule's findings.
//! - Parsing never fails and never panics; problems are data.
//! - A rule does no IO, never panics, and does not ask whether another rule is enabled.
//! - The declared fix availability matches what a rule emits (checked by the doc tests).

pub mod cli;
pub mod config;
pub mod context;
pub mod convert;
pub mod diagnostic;
pub mod discover;
pub mod engine;
pub mod fix;
pub mod lsp;
pub mod model;
pub mod report;
pub mod rules;
pub mod shell;
pub mod shellcheck;
pub mod source;
pub mod suppress;
pub mod syntax;

pub use engine::converge::{fix_source, FixOutcome};
pub use engine::{analyze, check_source, check_source_with_model, FileResult, Settings};
