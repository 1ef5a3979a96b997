//! The one table of rules: slug, aliases, group, default severity, fix availability, doc.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Dockerfile;
use crate::shell::Scripts;
use crate::source::{SourceFile, TextRange};

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FixAvailability {
    None,
    Sometimes,
    Always,
}

/// Which fix `cache-in-layer` offers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CacheFixStyle {
    /// Safe: `--no-cache`-style options or a cleanup appended to the RUN.
    #[default]
    Cleanup,
    /// Unsafe: a `--mount=type=cache` on the RUN (needs BuildKit; the cache lives on the builder).
    Mount,
}

/// Per-rule options.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleOptions {
    pub cache_in_layer_fix: CacheFixStyle,
    /// Registries `untrusted-registry` accepts; empty turns the rule off.
    pub trusted_registries: Vec<String>,
    /// `[convert]` runtime images by recipe key (`go`, `java-war`, ...).
    pub convert_images: std::collections::BTreeMap<String, String>,
}

/// What a rule sees: the file, its model, the shell scripts of its RUNs and the rule options.
pub struct Ctx<'a> {
    pub source: &'a SourceFile,
    pub model: &'a Dockerfile,
    pub scripts: &'a Scripts<'a>,
    pub options: &'a RuleOptions,
    /// For late rules: the file's suppressions and which of their codes were used.
    pub suppressions: Option<&'a Suppressions>,
    /// Slugs of the enabled rules (late rules only judge suppressions of enabled rules).
    pub enabled: &'a [&'static str],
    /// Project files next to the Dockerfile (empty when unknown).
    pub context: &'a crate::convert::BuildContext,
}

/// The suppressions of a file and, per suppression and code, whether it suppressed something.
pub struct Suppressions {
    pub list: Vec<crate::suppress::Suppression>,
    pub used: Vec<Vec<bool>>,
}

pub struct Rule {
    pub slug: &'static str,
    /// hadolint codes and BuildKit check names accepted as selectors.
    pub aliases: &'static [&'static str],
    pub group: Group,
    pub severity: Severity,
    pub fix: FixAvailability,
    pub since: &'static str,
    /// One line: what the rule flags.
    pub summary: &'static str,
    /// `lints/<slug>.md`.
    pub doc: &'static str,
    /// Runs after suppressions are applied, seeing which were used (`unused-suppression`).
    pub late: bool,
    pub check: fn(&Ctx, &Rule, &mut Vec<Diagnostic>),
}

impl Rule {
    pub fn diagnostic(&self, range: TextRange, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            rule: self.slug,
            severity: self.severity,
            range,
            message: message.into(),
            help: None,
            labels: Vec::new(),
            fix: None,
        }
    }
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.slug)
    }
}

use super::*;

/// Every rule, sorted by slug.
pub static RULES: &[&Rule] = &[
    &analysis_limit::RULE,
    &cache_in_layer::RULE,
    &relative_copy_from::RULE,
    &shell_form_on_scratch::RULE,
    &single_stage_build::RULE,
    &syntax_error::RULE,
    &undefined_stage::RULE,
    &unnamed_stage::RULE,
    &untrusted_registry::RULE,
    &unused_suppression::RULE,
];

/// A rule by slug or alias (case-insensitive).
pub fn find(name: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| {
        r.slug.eq_ignore_ascii_case(name) || r.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
    })
}

/// The candidate closest to `name` (case-insensitive) and its edit distance, when it is close
/// enough to be a typo of it.
pub fn closest<'a>(name: &str, candidates: &[&'a str]) -> Option<(&'a str, usize)> {
    let lower = name.to_ascii_lowercase();
    candidates
        .iter()
        .map(|c| {
            (
                strsim::damerau_levenshtein(&lower, &c.to_ascii_lowercase()),
                *c,
            )
        })
        .filter(|(d, c)| *d <= (c.len().max(lower.len()) / 3).max(1))
        .min()
        .map(|(d, c)| (c, d))
}

/// A selector (slug, alias, group or `all`) close to a mistyped one: for "did you mean".
pub fn suggest(selector: &str) -> Option<&'static str> {
    let mut names: Vec<&'static str> = vec!["all"];
    names.extend(Group::ALL.iter().map(|g| g.as_str()));
    for r in RULES {
        names.push(r.slug);
        names.extend(r.aliases.iter().copied());
    }
    closest(selector.trim(), &names).map(|(n, _)| n)
}

/// ` (did you mean `x`?)` for an unknown selector, or nothing.
pub fn did_you_mean(selector: &str) -> String {
    suggest(selector)
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default()
}

/// An unknown rule selector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownSelector(pub String);

/// Rules matched by one selector: `all`, a group name, a slug or an alias.
pub fn resolve(selector: &str) -> Result<Vec<&'static Rule>, UnknownSelector> {
    let s = selector.trim();
    if s.eq_ignore_ascii_case("all") {
        return Ok(RULES.to_vec());
    }
    if let Some(g) = Group::ALL
        .iter()
        .find(|g| g.as_str().eq_ignore_ascii_case(s))
    {
        return Ok(RULES.iter().copied().filter(|r| r.group == *g).collect());
    }
    find(s)
        .map(|r| vec![r])
        .ok_or_else(|| UnknownSelector(s.to_string()))
}

/// The enabled rules: `select` (or the default groups) minus `ignore`.
pub fn select(select: &[String], ignore: &[String]) -> Result<Vec<&'static Rule>, UnknownSelector> {
    let mut on: Vec<&'static Rule> = if select.is_empty() {
        RULES
            .iter()
            .copied()
            .filter(|r| r.group.enabled_by_default())
            .collect()
    } else {
        let mut v = Vec::new();
        for s in select {
            for r in resolve(s)? {
                if !v.iter().any(|x: &&Rule| x.slug == r.slug) {
                    v.push(r);
                }
            }
        }
        v
    };
    for s in ignore {
        let off = resolve(s)?;
        on.retain(|r| !off.iter().any(|o| o.slug == r.slug));
    }
    on.sort_by_key(|r| r.slug);
    Ok(on)
}
