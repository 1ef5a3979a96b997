//! `dlint.toml` / `.dlint.toml` (and `.hadolint.yaml` when there is none): raw options, found by
//! walking up from each file (nearest wins), resolved into per-file [`Settings`].

pub mod hadolint;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use miette::{NamedSource, SourceSpan};
use serde::Deserialize;

use crate::diagnostic::Severity;
use crate::rules::registry::{CacheFixStyle, RuleOptions};
use crate::rules::{self, Rule};
use crate::Settings;

/// Config file names, in the order they are looked for in each directory.
pub const FILE_NAMES: [&str; 2] = ["dlint.toml", ".dlint.toml"];

/// The options a config file may set. Unknown keys are errors.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(
    title = "dlint configuration",
    description = "dlint.toml or .dlint.toml"
)]
pub struct RawConfig {
    /// Rules to enable (slugs, aliases such as `DL3009`, groups, or `all`); replaces the default.
    pub select: Option<Vec<String>>,
    /// Rules to add to the selection.
    pub extend_select: Option<Vec<String>>,
    /// Rules to disable.
    pub ignore: Option<Vec<String>>,
    /// Lowest severity that makes the exit status 1.
    pub fail_level: Option<Severity>,
    /// Apply unsafe fixes with `--fix` / `--diff`.
    pub unsafe_fixes: Option<bool>,
    /// Registries images may come from (e.g. `docker.io`, `ghcr.io/acme`); empty means any.
    pub trusted_registries: Option<Vec<String>>,
    /// Rules to disable for files matching a glob (relative to the config file's directory).
    pub per_file_ignores: Option<BTreeMap<String, Vec<String>>>,
    /// Per-rule settings, by slug.
    pub rules: Option<BTreeMap<String, RuleConfig>>,
    /// Runtime images the single-stage to multi-stage conversion uses, per ecosystem.
    pub convert: Option<ConvertConfig>,
}

/// `[convert]`: the runtime image per ecosystem (an image reference such as
/// `gcr.io/distroless/static-debian12` or `eclipse-temurin:21-jre`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConvertConfig {
    pub go: Option<String>,
    pub c: Option<String>,
    pub cpp: Option<String>,
    pub rust: Option<String>,
    pub java: Option<String>,
    /// `.war` files.
    pub java_war: Option<String>,
    pub node: Option<String>,
    pub python: Option<String>,
    pub dotnet: Option<String>,
}

impl ConvertConfig {
    /// Every ecosystem key, as written in `dlint.toml`.
    pub const KEYS: [&'static str; 9] = [
        "go", "c", "cpp", "rust", "java", "java-war", "node", "python", "dotnet",
    ];

    /// (ecosystem key, image) for every image set.
    pub fn images(&self) -> Vec<(&'static str, &str)> {
        [
            ("go", &self.go),
            ("c", &self.c),
            ("cpp", &self.cpp),
            ("rust", &self.rust),
            ("java", &self.java),
            ("java-war", &self.java_war),
            ("node", &self.node),
            ("python", &self.python),
            ("dotnet", &self.dotnet),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.as_deref().map(|v| (k, v)))
        .collect()
    }
}

/// `[rules.<slug>]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RuleConfig {
    /// Severity to report the rule's findings with.
    pub severity: Option<Severity>,
    /// `cache-in-layer` only: which fix to offer.
    pub fix: Option<CacheFixOption>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum CacheFixOption {
    /// `--no-cache`-style options or a cleanup appended to the RUN (safe).
    Cleanup,
    /// A `--mount=type=cache` on the RUN (unsafe).
    Mount,
}

/// A configuration error, rendered by miette with the offending span of the file.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{message}")]
#[diagnostic(code(dlint::config))]
pub struct ConfigError {
    pub message: String,
    #[source_code]
    pub src: NamedSource<String>,
    #[label("{label}")]
    pub span: Option<SourceSpan>,
    pub label: String,
    #[help]
    pub help: Option<String>,
}

impl ConfigError {
    fn new(
        path: &Path,
        text: &str,
        message: String,
        span: Option<std::ops::Range<usize>>,
        label: &str,
    ) -> Box<Self> {
        Box::new(ConfigError {
            message,
            src: NamedSource::new(path.display().to_string(), text.to_string()),
            span: span.map(|r| (r.start, r.len()).into()),
            label: label.to_string(),
            help: None,
        })
    }

    fn io(path: &Path, e: std::io::Error) -> Box<Self> {
        ConfigError::new(
            path,
            "",
            format!("cannot read `{}`: {e}", path.display()),
            None,
            "",
        )
    }
}

/// Where a configuration came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Default,
    Toml(PathBuf),
    Hadolint(PathBuf),
}

/// A loaded, validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub raw: RawConfig,
    pub origin: Origin,
    /// Directory `per-file-ignores` globs are relative to.
    pub base: PathBuf,
    /// Notes for `--verbose` (e.g. hadolint keys that have no dlint equivalent).
    pub notes: Vec<String>,
}

impl Config {
    pub fn default_in(base: &Path) -> Config {
        Config {
            raw: RawConfig::default(),
            origin: Origin::Default,
            base: base.to_path_buf(),
            notes: Vec::new(),
        }
    }
}

/// Parse and validate a `dlint.toml`.
pub fn load_toml(path: &Path) -> Result<Config, Box<ConfigError>> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError::io(path, e))?;
    let raw: RawConfig = toml::from_str(&text).map_err(|e| {
        ConfigError::new(
            path,
            &text,
            format!("invalid configuration: {}", e.message()),
            e.span(),
            "here",
        )
    })?;
    let config = Config {
        raw,
        origin: Origin::Toml(path.to_path_buf()),
        base: path.parent().unwrap_or(Path::new(".")).to_path_buf(),
        notes: Vec::new(),
    };
    validate(&config, path, &text)?;
    Ok(config)
}

/// Every selector names a rule, alias or group; every rule table names a rule; globs compile.
fn validate(config: &Config, path: &Path, text: &str) -> Result<(), Box<ConfigError>> {
    let span_of = |needle: &str| {
        let quoted = format!("\"{needle}\"");
        text.find(&quoted)
            .map(|i| i..i + quoted.len())
            .or_else(|| text.find(needle).map(|i| i..i + needle.len()))
    };
    let raw = &config.raw;
    let selectors = raw
        .select
        .iter()
        .chain(&raw.extend_select)
        .chain(&raw.ignore)
        .flatten()
        .chain(
            raw.per_file_ignores
                .iter()
                .flat_map(|m| m.values().flatten()),
        );
    for s in selectors {
        if rules::registry::resolve(s).is_err() {
            let mut e = ConfigError::new(
                path,
                text,
                format!("unknown rule or group `{s}`"),
                span_of(s),
                "not a rule, alias or group",
            );
            e.help = Some(match rules::registry::suggest(s) {
                Some(near) => format!("did you mean `{near}`? (`dlint rules` lists the rules)"),
                None => "`dlint rules` lists the rules; groups are correctness, suspicious, security, size, performance, style, pedantic".into(),
            });
            return Err(e);
        }
    }
    for (slug, rc) in raw.rules.iter().flatten() {
        let Some(rule) = rules::find(slug) else {
            return Err(ConfigError::new(
                path,
                text,
                format!(
                    "unknown rule `{slug}` in `[rules]`{}",
                    rules::registry::did_you_mean(slug)
                ),
                span_of(slug),
                "not a rule",
            ));
        };
        if rc.fix.is_some() && rule.slug != "cache-in-layer" {
            return Err(ConfigError::new(
                path,
                text,
                format!("`{}` has no `fix` option", rule.slug),
                span_of("fix"),
                "only `cache-in-layer` takes `fix`",
            ));
        }
    }
    for (key, image) in raw.convert.iter().flat_map(|c| c.images()) {
        let valid = image == "scratch" || crate::model::ImageRef::parse(image).is_some();
        if !valid {
            return Err(ConfigError::new(
                path,
                text,
                format!("`convert.{key}` is not an image reference: `{image}`"),
                span_of(image),
                "expected e.g. `debian:12-slim` or `gcr.io/distroless/static-debian12`",
            ));
        }
    }
    for glob in raw.per_file_ignores.iter().flat_map(|m| m.keys()) {
        if let Err(e) = globset::Glob::new(glob) {
            return Err(ConfigError::new(
                path,
                text,
                format!("invalid glob `{glob}`: {e}"),
                span_of(glob),
                "here",
            ));
        }
    }
    Ok(())
}

/// The configuration for files in `dir`: the nearest `dlint.toml`/`.dlint.toml` up the tree,
/// else the nearest `.hadolint.yaml`/`.hadolint.yml`, else the defaults.
pub fn find(dir: &Path) -> Result<Config, Box<ConfigError>> {
    let start = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    for d in start.ancestors() {
        for name in FILE_NAMES {
            let p = d.join(name);
            if p.is_file() {
                return load_toml(&p);
            }
        }
    }
    for d in start.ancestors() {
        for name in hadolint::FILE_NAMES {
            let p = d.join(name);
            if p.is_file() {
                return hadolint::load(&p);
            }
        }
    }
    Ok(Config::default_in(&start))
}

/// Command-line choices that override or extend a configuration file.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub select: Vec<String>,
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
}

/// Settings for one file: the config's selection, the command line's on top, per-file ignores,
/// severity overrides and rule options.
pub fn settings_for(config: &Config, overrides: &Overrides, file: &Path) -> Settings {
    let raw = &config.raw;
    let select: Vec<String> = if overrides.select.is_empty() {
        raw.select.clone().unwrap_or_default()
    } else {
        overrides.select.clone()
    };
    let mut extend = raw.extend_select.clone().unwrap_or_default();
    extend.extend(overrides.extend_select.iter().cloned());
    let mut ignore = raw.ignore.clone().unwrap_or_default();
    ignore.extend(overrides.ignore.iter().cloned());
    // Selectors were validated when the file was loaded; the command line's are checked by the CLI.
    let mut chosen: Vec<&'static Rule> = rules::select(&select, &[]).unwrap_or_default();
    for s in &extend {
        for r in rules::registry::resolve(s).unwrap_or_default() {
            if !chosen.iter().any(|c| c.slug == r.slug) {
                chosen.push(r);
            }
        }
    }
    // The file's path relative to the config file's directory (canonical paths when needed).
    let rel: PathBuf = match file.strip_prefix(&config.base) {
        Ok(r) => r.to_path_buf(),
        Err(_) => std::fs::canonicalize(file)
            .ok()
            .and_then(|f| f.strip_prefix(&config.base).ok().map(Path::to_path_buf))
            .unwrap_or_else(|| file.to_path_buf()),
    };
    for (glob, names) in raw.per_file_ignores.iter().flatten() {
        let Ok(g) = globset::GlobBuilder::new(glob)
            .literal_separator(false)
            .build()
        else {
            continue;
        };
        let m = g.compile_matcher();
        let name_matches = rel.file_name().is_some_and(|n| m.is_match(n));
        if m.is_match(&rel) || name_matches {
            ignore.extend(names.iter().cloned());
        }
    }
    for s in &ignore {
        let off = rules::registry::resolve(s).unwrap_or_default();
        chosen.retain(|r| !off.iter().any(|o| o.slug == r.slug));
    }
    chosen.sort_by_key(|r| r.slug);
    let mut severities = BTreeMap::new();
    let mut options = RuleOptions::default();
    for (slug, rc) in raw.rules.iter().flatten() {
        let Some(rule) = rules::find(slug) else {
            continue;
        };
        if let Some(s) = rc.severity {
            severities.insert(rule.slug, s);
        }
        if let Some(f) = rc.fix {
            options.cache_in_layer_fix = match f {
                CacheFixOption::Cleanup => CacheFixStyle::Cleanup,
                CacheFixOption::Mount => CacheFixStyle::Mount,
            };
        }
    }
    options.trusted_registries = raw.trusted_registries.clone().unwrap_or_default();
    options.convert_images = raw
        .convert
        .iter()
        .flat_map(|c| c.images())
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Settings {
        rules: chosen,
        options,
        severities,
        context: Default::default(),
    }
}

/// The JSON Schema of `dlint.toml`, as shipped in `src/config/dlint.schema.json`.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(RawConfig);
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}
