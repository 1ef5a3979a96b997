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
    add_instead_of_copy,
    analysis_limit,
    apt_get_with_recommends,
    apt_get_without_yes,
    apt_instead_of_apt_get,
    base_image_platform_mismatch,
    cache_in_layer,
    cleanup_in_later_layer,
    consecutive_run,
    constant_from_platform,
    copy_from_unpinned_image,
    copy_ignored_file,
    duplicate_stage_name,
    dynamic_binary_on_scratch,
    empty_continuation_line,
    expose_with_host_port,
    heredoc_without_errexit,
    inconsistent_keyword_casing,
    invalid_from_default,
    latest_tag,
    legacy_key_value,
    maintainer_deprecated,
    malformed_description_comment,
    mismatched_as_casing,
    overridden_instruction,
    package_manager_prompt,
    redundant_target_platform,
    relative_copy_from,
    relative_workdir,
    reserved_stage_name,
    secret_in_arg_or_env,
    secret_in_url,
    shell_form_cmd,
    shell_form_on_scratch,
    shellcheck,
    single_stage_build,
    source_in_final_stage,
    syntax_error,
    toolchain_final_stage,
    undefined_arg_in_from,
    undefined_stage,
    undefined_variable,
    unnamed_stage,
    unpinned_apt_package,
    unpinned_package_version,
    untagged_image,
    untrusted_registry,
    unused_suppression,
    uppercase_expose_protocol,
    uppercase_stage_name,
}
