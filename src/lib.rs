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
pub mod source;
pub mod suppress;
pub mod syntax;

pub use engine::converge::{fix_source, FixOutcome};
pub use engine::{analyze, check_source, check_source_with_model, FileResult, Settings};
