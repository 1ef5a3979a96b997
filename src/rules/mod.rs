//! Lint rules: the registry and one file per rule (declaration, detection, nothing else).

pub mod registry;

pub mod analysis_limit;
pub mod cache_in_layer;
pub mod relative_copy_from;
pub mod shell_form_on_scratch;
pub mod single_stage_build;
pub mod syntax_error;
pub mod undefined_stage;
pub mod unnamed_stage;
pub mod untrusted_registry;
pub mod unused_suppression;

pub use registry::{find, select, Ctx, FixAvailability, Group, Rule, RULES};
