//! Finding rules and codes by name, "did you mean", and resolving selectors (`all`, groups,
//! slugs, codes) into the enabled rules and the codes filtered out.

use std::collections::{BTreeMap, BTreeSet};

use super::rule::{Code, Group, Rule};
use super::RULES;
use crate::diagnostic::Diagnostic;

/// What a name selects: a whole rule (its slug) or one code of it.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    Rule(&'static Rule),
    Code(&'static Rule, &'static Code),
}

impl Target {
    pub fn rule(self) -> &'static Rule {
        match self {
            Target::Rule(r) | Target::Code(r, _) => r,
        }
    }

    pub fn code(self) -> Option<&'static Code> {
        match self {
            Target::Code(_, c) => Some(c),
            Target::Rule(_) => None,
        }
    }

    /// Whether a finding is one this target names.
    pub fn matches(self, d: &Diagnostic) -> bool {
        match self {
            Target::Rule(r) => r.slug == d.rule,
            Target::Code(r, c) => {
                r.slug == d.rule
                    && d.code
                        .is_some_and(|f| r.names_of(f).any(|n| n.eq_ignore_ascii_case(c.name)))
            }
        }
    }
}

/// A rule or a code by name (case-insensitive).
pub fn find_target(name: &str) -> Option<Target> {
    for r in RULES {
        if r.slug.eq_ignore_ascii_case(name) {
            return Some(Target::Rule(r));
        }
        if let Some(c) = r.code(name) {
            return Some(Target::Code(r, c));
        }
    }
    None
}

/// A rule by slug or by one of its codes (case-insensitive).
pub fn find(name: &str) -> Option<&'static Rule> {
    find_target(name).map(Target::rule)
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

/// A selector (slug, code, group or `all`) close to a mistyped one: for "did you mean".
pub fn suggest(selector: &str) -> Option<&'static str> {
    let mut names: Vec<&'static str> = vec!["all"];
    names.extend(Group::ALL.iter().map(|g| g.as_str()));
    for r in RULES {
        names.push(r.slug);
        names.extend(r.aliases());
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

/// What one selector names: `all`, a group (whole rules), a slug or a code.
pub fn resolve(selector: &str) -> Result<Vec<Target>, UnknownSelector> {
    let s = selector.trim();
    if s.eq_ignore_ascii_case("all") {
        return Ok(RULES.iter().map(|r| Target::Rule(r)).collect());
    }
    if let Some(g) = Group::ALL
        .iter()
        .find(|g| g.as_str().eq_ignore_ascii_case(s))
    {
        return Ok(RULES
            .iter()
            .filter(|r| r.group == *g)
            .map(|r| Target::Rule(r))
            .collect());
    }
    find_target(s)
        .map(|t| vec![t])
        .ok_or_else(|| UnknownSelector(s.to_string()))
}

/// Codes turned off or singled out, on top of the enabled rules.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CodeFilter {
    /// Rules enabled only for some of their codes (selected by code), by slug.
    pub only: BTreeMap<&'static str, BTreeSet<&'static str>>,
    /// Codes ignored (their findings are dropped; the rest of the rule stays on).
    pub off: BTreeSet<&'static str>,
}

impl CodeFilter {
    /// Whether a finding of an enabled rule is kept.
    pub fn keeps(&self, d: &Diagnostic) -> bool {
        let rule = RULES.iter().find(|r| r.slug == d.rule);
        let code = d.code.and_then(|c| rule.and_then(|r| r.code(c)));
        match code {
            Some(c) => self.keeps_code(d.rule, c),
            None => !self.only.contains_key(d.rule),
        }
    }

    /// Whether findings of a code of the rule `slug` are kept: neither the code nor a broader
    /// code it also answers to is ignored, and it is selected when the rule is selected only
    /// by some codes.
    pub fn keeps_code(&self, slug: &str, c: &Code) -> bool {
        let mut names = std::iter::once(c.name).chain(c.also.iter().copied());
        if names.clone().any(|n| self.off.contains(n)) {
            return false;
        }
        match self.only.get(slug) {
            Some(codes) => names.any(|n| codes.contains(n)),
            None => true,
        }
    }
}

/// The enabled rules and the code filter.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub rules: Vec<&'static Rule>,
    pub codes: CodeFilter,
}

impl Selection {
    /// `select` (or the default groups when empty), plus `extend`, minus `ignore`.
    pub fn new(
        select: &[String],
        extend: &[String],
        ignore: &[String],
    ) -> Result<Selection, UnknownSelector> {
        let mut sel = Selection::default();
        if select.is_empty() {
            sel.rules = RULES
                .iter()
                .copied()
                .filter(|r| r.group.enabled_by_default())
                .collect();
        }
        for s in select.iter().chain(extend) {
            for t in resolve(s)? {
                sel.enable(t);
            }
        }
        for s in ignore {
            for t in resolve(s)? {
                sel.disable(t);
            }
        }
        sel.rules.sort_by_key(|r| r.slug);
        Ok(sel)
    }

    fn enable(&mut self, t: Target) {
        let r = t.rule();
        let on = self.rules.iter().any(|x| x.slug == r.slug);
        match t.code() {
            None => {
                self.codes.only.remove(r.slug);
                if !on {
                    self.rules.push(r);
                }
            }
            Some(c) => {
                self.codes.off.remove(c.name);
                if !on {
                    self.rules.push(r);
                    self.codes.only.entry(r.slug).or_default().insert(c.name);
                } else if let Some(only) = self.codes.only.get_mut(r.slug) {
                    only.insert(c.name);
                }
            }
        }
    }

    /// Turn off a rule or one code (the command line's and per-file ignores come after the
    /// selection, so they always win).
    pub fn disable(&mut self, t: Target) {
        match t.code() {
            None => {
                let slug = t.rule().slug;
                self.rules.retain(|r| r.slug != slug);
                self.codes.only.remove(slug);
            }
            Some(c) => {
                self.codes.off.insert(c.name);
            }
        }
    }
}
