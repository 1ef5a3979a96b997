//! Migration: read `.hadolint.yaml` / `.hadolint.yml` when no `dlint.toml` is found.
//!
//! `ignored`, `override`, `failure-threshold` and `trustedRegistries` map onto dlint's options
//! through the rules' hadolint codes (each acting on exactly that code's findings); codes dlint
//! has no rule for, and `label-schema`, are listed in `--verbose` output.

use std::collections::BTreeMap;
use std::path::Path;

use super::{Config, ConfigError, Origin};
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
    let known = |code: &str, what: &str, notes: &mut Vec<String>| -> bool {
        let found = rules::find(code).is_some();
        if !found {
            notes.push(format!("`{code}` in `{what}` has no dlint rule: ignored"));
        }
        found
    };
    let mut table = toml::Table::new();
    let ignore: Vec<toml::Value> = h
        .ignored
        .iter()
        .filter(|c| known(c, "ignored", &mut notes))
        .map(|c| toml::Value::String(c.clone()))
        .collect();
    if !ignore.is_empty() {
        table.insert("ignore".into(), toml::Value::Array(ignore));
    }
    let mut rules_cfg = toml::Table::new();
    for (level, codes) in &h.overrides {
        let severity = match level.as_str() {
            "error" => "error",
            "warning" => "warning",
            "info" | "style" => "info",
            other => {
                notes.push(format!(
                    "override level `{other}` is not a hadolint level: ignored"
                ));
                continue;
            }
        };
        for c in codes {
            if known(c, "override", &mut notes) {
                let mut t = toml::Table::new();
                t.insert("severity".into(), toml::Value::String(severity.into()));
                rules_cfg.insert(c.clone(), toml::Value::Table(t));
            }
        }
    }
    if !rules_cfg.is_empty() {
        table.insert("rules".into(), toml::Value::Table(rules_cfg));
    }
    let fail_level = match h.failure_threshold.as_deref() {
        None => None,
        Some("error") => Some("error"),
        Some("warning") => Some("warning"),
        Some("info") | Some("style") => Some("info"),
        Some(other) => {
            notes.push(format!(
                "failure-threshold `{other}` has no dlint equivalent: ignored"
            ));
            None
        }
    };
    if let Some(f) = fail_level {
        table.insert("fail-level".into(), toml::Value::String(f.into()));
    }
    if !h.trusted_registries.is_empty() {
        table.insert(
            "trusted-registries".into(),
            toml::Value::Array(
                h.trusted_registries
                    .iter()
                    .map(|r| toml::Value::String(r.clone()))
                    .collect(),
            ),
        );
    }
    if !h.label_schema.is_empty() {
        notes.push("`label-schema` has no dlint equivalent yet: ignored".into());
    }
    for key in h.other.keys() {
        notes.push(format!(
            "hadolint option `{key}` has no dlint equivalent: ignored"
        ));
    }
    let mut config = super::from_table(table, path, &text, Origin::Hadolint(path.to_path_buf()))?;
    config.notes = notes;
    Ok(config)
}
