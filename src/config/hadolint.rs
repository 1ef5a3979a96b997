//! Migration: read `.hadolint.yaml` / `.hadolint.yml` when no `dlint.toml` is found.
//!
//! `ignored`, `override`, `failure-threshold` and `trustedRegistries` map onto dlint's options
//! through the rules' hadolint aliases; codes dlint has no rule for, and `label-schema`, are
//! listed in `--verbose` output.

use std::collections::BTreeMap;
use std::path::Path;

use super::{Config, ConfigError, Origin, RawConfig, RuleConfig};
use crate::diagnostic::Severity;
use crate::rules;

pub const FILE_NAMES: [&str; 2] = [".hadolint.yaml", ".hadolint.yml"];

#[derive(Debug, Default, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
struct HadolintConfig {
    #[serde(default)]
    ignored: Vec<String>,
    #[serde(default, rename = "override")]
    overrides: BTreeMap<String, Vec<String>>,
    failure_threshold: Option<String>,
    #[serde(default, rename = "trustedRegistries")]
    trusted_registries: Vec<String>,
    #[serde(default)]
    label_schema: BTreeMap<String, serde_norway::Value>,
    #[serde(flatten)]
    other: BTreeMap<String, serde_norway::Value>,
}

pub fn load(path: &Path) -> Result<Config, Box<ConfigError>> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError::io(path, e))?;
    let h: HadolintConfig = if text.trim().is_empty() {
        HadolintConfig::default()
    } else {
        serde_norway::from_str(&text).map_err(|e| {
            let span = e.location().map(|l| l.index()..l.index() + 1);
            ConfigError::new(
                path,
                &text,
                format!("invalid hadolint configuration: {e}"),
                span,
                "here",
            )
        })?
    };
    let mut notes = vec![format!(
        "no dlint.toml found: using hadolint's configuration `{}`",
        path.display()
    )];
    let known = |code: &str, what: &str, notes: &mut Vec<String>| -> Option<&'static str> {
        let rule = rules::find(code).map(|r| r.slug);
        if rule.is_none() {
            notes.push(format!("`{code}` in `{what}` has no dlint rule: ignored"));
        }
        rule
    };
    let ignore: Vec<String> = h
        .ignored
        .iter()
        .filter_map(|c| known(c, "ignored", &mut notes).map(|_| c.clone()))
        .collect();
    let mut rules_cfg: BTreeMap<String, RuleConfig> = BTreeMap::new();
    for (level, codes) in &h.overrides {
        let severity = match level.as_str() {
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            "info" | "style" => Severity::Info,
            other => {
                notes.push(format!(
                    "override level `{other}` is not a hadolint level: ignored"
                ));
                continue;
            }
        };
        for c in codes {
            if let Some(slug) = known(c, "override", &mut notes) {
                rules_cfg.entry(slug.to_string()).or_default().severity = Some(severity);
            }
        }
    }
    let fail_level = match h.failure_threshold.as_deref() {
        None => None,
        Some("error") => Some(Severity::Error),
        Some("warning") => Some(Severity::Warning),
        Some("info") | Some("style") => Some(Severity::Info),
        Some(other) => {
            notes.push(format!(
                "failure-threshold `{other}` has no dlint equivalent: ignored"
            ));
            None
        }
    };
    if !h.label_schema.is_empty() {
        notes.push("`label-schema` has no dlint equivalent yet: ignored".into());
    }
    for key in h.other.keys() {
        notes.push(format!(
            "hadolint option `{key}` has no dlint equivalent: ignored"
        ));
    }
    Ok(Config {
        raw: RawConfig {
            ignore: (!ignore.is_empty()).then_some(ignore),
            fail_level,
            trusted_registries: (!h.trusted_registries.is_empty()).then_some(h.trusted_registries),
            rules: (!rules_cfg.is_empty()).then_some(rules_cfg),
            ..RawConfig::default()
        },
        origin: Origin::Hadolint(path.to_path_buf()),
        base: path.parent().unwrap_or(Path::new(".")).to_path_buf(),
        notes,
    })
}
