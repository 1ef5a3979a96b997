//! dlint: a Dockerfile linter and auto-refactoring tool.
pub mod source;
pub mod syntax;
pub mod model;
pub mod report;
