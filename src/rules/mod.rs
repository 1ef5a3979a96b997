//! Lint rules: the framework ([`rule`]), lookups ([`registry`]) and one file per rule. A rule is
//! its file (one `declare_rule!` and its hooks), `lints/<slug>.md`, `testdata/rules/<slug>/` and
//! one line in the list below.

#[macro_use]
pub mod rule;
pub mod registry;

pub use registry::{find, CodeFilter, Selection, Target};
pub use rule::{
    At, Code, CodeUse, CommandHook, Ctx, FileHook, Finding, FixAvailability, Group, Hooks,
    InstructionHook, OptionMap, OptionsDecl, Report, Rule, SuppressionHook, SuppressionUse,
};

/// The registration list: one module per rule, in slug order; `RULES` is generated from it.
macro_rules! register_rules {
    ($($module:ident),* $(,)?) => {
        $(pub mod $module;)*
        /// Every rule, sorted by slug.
        pub static RULES: &[&Rule] = &[$(&$module::RULE),*];
    };
}

register_rules! {
    analysis_limit,
    base_image_platform_mismatch,
    cache_in_layer,
    constant_from_platform,
    invalid_from_default,
    maintainer_deprecated,
    redundant_target_platform,
    relative_copy_from,
    shell_form_on_scratch,
    single_stage_build,
    syntax_error,
    undefined_arg_in_from,
    undefined_stage,
    undefined_variable,
    unnamed_stage,
    untrusted_registry,
    unused_suppression,
}
