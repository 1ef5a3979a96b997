//! `dlint.toml` / `.dlint.toml` (and `.hadolint.yaml` when there is none): raw options, found by
//! walking up from each file (nearest wins), resolved into per-file [`Settings`] by the one
//! [`Resolver`] the CLI and the LSP share. Rule options come from each rule's own options type
//! (`[rules.<slug>]`), so the configuration and its JSON Schema name no rule.

pub mod hadolint;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use miette::{NamedSource, SourceSpan};
use serde::Deserialize;

use crate::diagnostic::Severity;
use crate::rules::{self, registry, OptionMap, Selection, Target};
use crate::Settings;

/// Config file names, in the order they are looked for in each directory.
pub const FILE_NAMES: [&str; 2] = ["dlint.toml", ".dlint.toml"];

/// The options a config file may set besides the rules' own. Unknown keys are errors.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(
    title = "dlint configuration",
    description = "dlint.toml or .dlint.toml"
)]
pub struct RawConfig {
    /// Rules to enable (slugs, codes such as `DL3009`, groups, or `all`); replaces the default.
    pub select: Option<Vec<String>>,
    /// Rules to add to the selection.
    pub extend_select: Option<Vec<String>>,
    /// Rules to disable.
    pub ignore: Option<Vec<String>>,
    /// Lowest severity that makes the exit status 1.
    pub fail_level: Option<Severity>,
    /// Apply unsafe fixes with `--fix` / `--diff`.
    pub unsafe_fixes: Option<bool>,
    /// Rules to disable for files matching a glob (relative to the config file's directory).
    pub per_file_ignores: Option<BTreeMap<String, Vec<String>>>,
    /// Per-rule settings, by slug (or by code, for `severity`): `severity` and the rule's options.
    pub rules: Option<BTreeMap<String, RuleConfig>>,
}

/// `[rules.<slug>]`: the severity, and the rule's own options (see each rule's doc).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct RuleConfig {
    /// Severity to report the rule's (or the code's) findings with.
    pub severity: Option<Severity>,
    /// The rule's options.
    #[serde(flatten)]
    #[schemars(skip)]
    pub options: toml::Table,
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
    /// The configured rules' options, parsed into their types, by slug.
    pub options: OptionMap,
    /// Severities by rule slug or code.
    pub severities: BTreeMap<&'static str, Severity>,
}

impl Config {
    pub fn default_in(base: &Path) -> Config {
        Config {
            raw: RawConfig::default(),
            origin: Origin::Default,
            base: base.to_path_buf(),
            notes: Vec::new(),
            options: Default::default(),
            severities: Default::default(),
        }
    }
}

/// Parse and validate a `dlint.toml`.
pub fn load_toml(path: &Path) -> Result<Config, Box<ConfigError>> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError::io(path, e))?;
    from_toml_str(&text, path)
}

/// Parse and validate `dlint.toml` text (`path` for messages and `per-file-ignores`).
pub fn from_toml_str(text: &str, path: &Path) -> Result<Config, Box<ConfigError>> {
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        ConfigError::new(
            path,
            text,
            format!("invalid configuration: {}", e.message()),
            e.span(),
            "here",
        )
    })?;
    from_table(table, path, text, Origin::Toml(path.to_path_buf()))
}

/// Where `needle` is in `text` (quoted first), for errors found after parsing.
fn span_of(text: &str, needle: &str) -> Option<std::ops::Range<usize>> {
    let quoted = format!("\"{needle}\"");
    text.find(&quoted)
        .map(|i| i..i + quoted.len())
        .or_else(|| text.find(needle).map(|i| i..i + needle.len()))
}

/// The name in backticks of a serde message (`unknown field `selet``), to find its span.
fn quoted_name(message: &str) -> Option<&str> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(&message[start..start + len])
}

/// A configuration from its TOML table: the rules' top-level keys and `[rules.*]` tables go to
/// the rules' options types, the rest into [`RawConfig`]; then everything is validated.
pub(crate) fn from_table(
    mut table: toml::Table,
    path: &Path,
    text: &str,
    origin: Origin,
) -> Result<Config, Box<ConfigError>> {
    let err = |message: String, needle: Option<&str>, label: &str| {
        ConfigError::new(
            path,
            text,
            message,
            needle.and_then(|n| span_of(text, n)),
            label,
        )
    };
    // Options by slug, as TOML, and where each came from (for messages).
    let mut tables: BTreeMap<&'static str, (toml::Table, String)> = BTreeMap::new();
    for r in rules::RULES {
        let Some(decl) = r.options else { continue };
        for (key, field) in decl.top_level {
            if let Some(v) = table.remove(*key) {
                let entry = tables
                    .entry(r.slug)
                    .or_insert_with(|| (toml::Table::new(), format!("`{key}`")));
                entry.0.insert(field.to_string(), v);
            }
        }
    }
    let mut severities = BTreeMap::new();
    let rules_table = table.remove("rules");
    let raw = RawConfig::deserialize(toml::Value::Table(table)).map_err(|e| {
        let m = e.message().to_string();
        let needle = quoted_name(&m).map(str::to_string);
        err(
            format!("invalid configuration: {m}"),
            needle.as_deref(),
            "here",
        )
    })?;
    let mut raw = raw;
    if let Some(rt) = rules_table {
        let rules_cfg: BTreeMap<String, RuleConfig> = BTreeMap::deserialize(rt).map_err(|e| {
            let m = e.message().to_string();
            let needle = quoted_name(&m).map(str::to_string);
            err(format!("invalid `[rules]`: {m}"), needle.as_deref(), "here")
        })?;
        for (name, rc) in &rules_cfg {
            let Some(target) = registry::find_target(name) else {
                return Err(err(
                    format!(
                        "unknown rule `{name}` in `[rules]`{}",
                        registry::did_you_mean(name)
                    ),
                    Some(name),
                    "not a rule",
                ));
            };
            let rule = target.rule();
            if let Some(sev) = rc.severity {
                let key = match target {
                    Target::Rule(r) => r.slug,
                    Target::Code(_, c) => c.name,
                };
                severities.insert(key, sev);
            }
            if let Some(key) = rc.options.keys().next() {
                if rule.options.is_none() {
                    return Err(err(
                        format!("`{}` has no `{key}` option", rule.slug),
                        Some(key),
                        "not an option of this rule",
                    ));
                }
                let entry = tables
                    .entry(rule.slug)
                    .or_insert_with(|| (toml::Table::new(), format!("`[rules.{name}]`")));
                for (k, v) in &rc.options {
                    entry.0.insert(k.clone(), v.clone());
                }
            }
        }
        raw.rules = Some(rules_cfg);
    }
    let mut options = OptionMap::new();
    for (slug, (t, from)) in tables {
        let Some(decl) = rules::find(slug).and_then(|r| r.options) else {
            continue;
        };
        let keys: Vec<String> = t.keys().cloned().collect();
        let parsed = (decl.parse)(toml::Value::Table(t)).map_err(|m| {
            let needle = quoted_name(&m)
                .map(str::to_string)
                .or_else(|| keys.first().cloned());
            err(format!("invalid {from}: {m}"), needle.as_deref(), "here")
        })?;
        options.insert(slug, parsed);
    }
    let config = Config {
        raw,
        base: path.parent().unwrap_or(Path::new(".")).to_path_buf(),
        origin,
        notes: Vec::new(),
        options,
        severities,
    };
    validate(&config, path, text)?;
    Ok(config)
}

/// Every selector names a rule, code or group; globs compile.
fn validate(config: &Config, path: &Path, text: &str) -> Result<(), Box<ConfigError>> {
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
        if registry::resolve(s).is_err() {
            let mut e = ConfigError::new(
                path,
                text,
                format!("unknown rule or group `{s}`"),
                span_of(text, s),
                "not a rule, alias or group",
            );
            e.help = Some(match registry::suggest(s) {
                Some(near) => format!("did you mean `{near}`? (`dlint rules` lists the rules)"),
                None => "`dlint rules` lists the rules; groups are correctness, suspicious, security, size, performance, style, pedantic".into(),
            });
            return Err(e);
        }
    }
    for glob in raw.per_file_ignores.iter().flat_map(|m| m.keys()) {
        if let Err(e) = globset::Glob::new(glob) {
            return Err(ConfigError::new(
                path,
                text,
                format!("invalid glob `{glob}`: {e}"),
                span_of(text, glob),
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
/// severity overrides and rule options. The build context is the caller's (see [`Resolver`]).
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
    // Selectors were validated when the file was loaded; the command line's are checked by the
    // front end. An unknown one here selects nothing.
    let known = |v: &[String]| -> Vec<String> {
        v.iter()
            .filter(|s| registry::resolve(s).is_ok())
            .cloned()
            .collect()
    };
    let selection =
        Selection::new(&known(&select), &known(&extend), &known(&ignore)).unwrap_or_default();
    let mut options = crate::engine::default_options();
    for (slug, o) in config.options.iter() {
        options.insert(slug, o.clone());
    }
    // The external pass only when its rule runs (ShellCheck is looked for once).
    let shellcheck = selection
        .rules
        .iter()
        .any(|r| std::ptr::eq(*r, &crate::rules::shellcheck::RULE));
    Settings {
        rules: selection.rules,
        codes: selection.codes,
        options,
        severities: config.severities.clone(),
        context: Default::default(),
        shellcheck: shellcheck.then(crate::shellcheck::global).flatten(),
    }
}

/// Resolves each file's configuration (once per directory, or the `--config` / `--isolated`
/// choice) and settings, with the build context next to the file read lazily and cached per
/// directory: the one resolver the CLI and the LSP share.
#[derive(Debug, Default)]
pub struct Resolver {
    explicit: Option<Arc<Config>>,
    isolated: bool,
    overrides: Overrides,
    by_dir: Mutex<HashMap<PathBuf, Arc<Config>>>,
    contexts: crate::context::Contexts,
}

impl Resolver {
    pub fn new(explicit: Option<Config>, isolated: bool, overrides: Overrides) -> Resolver {
        Resolver {
            explicit: explicit.map(Arc::new),
            isolated,
            overrides,
            ..Default::default()
        }
    }

    /// The configuration for a file (a broken one is an error, not cached).
    pub fn config_for(&self, file: &Path) -> Result<Arc<Config>, Box<ConfigError>> {
        if let Some(c) = &self.explicit {
            return Ok(c.clone());
        }
        let dir = file
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        if self.isolated {
            return Ok(Arc::new(Config::default_in(&dir)));
        }
        if let Some(c) = self.lock().get(&dir) {
            return Ok(c.clone());
        }
        let c = Arc::new(find(&dir)?);
        self.lock().insert(dir, c.clone());
        Ok(c)
    }

    /// Remember a configuration for a directory (the LSP uses the defaults after reporting a
    /// broken file once).
    pub fn set_config(&self, dir: &Path, config: Config) -> Arc<Config> {
        let c = Arc::new(config);
        self.lock().insert(dir.to_path_buf(), c.clone());
        c
    }

    /// The settings for a file under a configuration.
    pub fn settings(&self, config: &Config, file: &Path) -> Settings {
        let mut s = settings_for(config, &self.overrides, file);
        s.context = self.contexts.for_file(file);
        s
    }

    /// Forget cached configurations and build contexts (files changed).
    pub fn clear(&self) {
        self.lock().clear();
        self.contexts.clear();
    }

    /// How many build contexts were read.
    pub fn contexts_loaded(&self) -> usize {
        self.contexts.loaded()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, Arc<Config>>> {
        self.by_dir.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The JSON Schema of `dlint.toml`, as `dlint schema` prints it (generated, so a new rule's
/// options need no edit here): the keys of
/// [`RawConfig`], each rule's options under `[rules.<slug>]`, and the rules' top-level keys.
pub fn json_schema() -> String {
    let mut generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
    let mut schema = generator.root_schema_for::<RawConfig>().to_value();
    let severity = generator.subschema_for::<Severity>().to_value();
    let mut rule_props = serde_json::Map::new();
    let mut top_level = serde_json::Map::new();
    for r in rules::RULES {
        let mut props = serde_json::Map::new();
        props.insert(
            "severity".into(),
            serde_json::json!({"description": "Severity to report the rule's findings with.", "$ref": severity["$ref"]}),
        );
        if let Some(decl) = r.options {
            let opt = (decl.schema)(&mut generator).to_value();
            let resolved = resolve_ref(&generator, &opt);
            if let Some(p) = resolved.get("properties").and_then(|p| p.as_object()) {
                for (k, v) in p {
                    props.insert(k.clone(), v.clone());
                }
                for (key, field) in decl.top_level {
                    if let Some(v) = p.get(*field) {
                        top_level.insert(key.to_string(), v.clone());
                    }
                }
            }
        }
        rule_props.insert(
            r.slug.to_string(),
            serde_json::json!({
                "description": r.summary,
                "type": "object",
                "properties": props,
                "additionalProperties": false,
            }),
        );
    }
    for r in rules::RULES {
        for c in r.codes {
            rule_props.insert(
                c.name.to_string(),
                serde_json::json!({
                    "description": format!("`{}` findings of `{}`: {}", c.name, r.slug, c.summary),
                    "type": "object",
                    "properties": {"severity": {"$ref": severity["$ref"]}},
                    "additionalProperties": false,
                }),
            );
        }
    }
    let defs = generator.take_definitions(true);
    if let Some(obj) = schema.as_object_mut() {
        if let Some(props) = obj.get_mut("properties").and_then(|p| p.as_object_mut()) {
            props.insert(
                "rules".into(),
                serde_json::json!({
                    "description": "Per-rule settings, by slug (or by code, for `severity`): `severity` and the rule's options.",
                    "type": "object",
                    "properties": rule_props,
                    "additionalProperties": false,
                }),
            );
            for (k, v) in top_level {
                props.insert(k, v);
            }
        }
        // The schema's own keys first, as people read it.
        let mut ordered = serde_json::Map::new();
        for key in ["$schema", "title", "description", "type"] {
            if let Some(v) = obj.remove(key) {
                ordered.insert(key.into(), v);
            }
        }
        ordered.append(obj);
        *obj = ordered;
        let mut all: Vec<(String, serde_json::Value)> = defs.into_iter().collect();
        all.sort_by(|a, b| a.0.cmp(&b.0));
        obj.insert(
            "$defs".into(),
            serde_json::Value::Object(all.into_iter().collect()),
        );
    }
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}

/// A schema with its top-level `$ref` (into the generator's definitions) followed.
fn resolve_ref(generator: &schemars::SchemaGenerator, v: &serde_json::Value) -> serde_json::Value {
    let Some(r) = v.get("$ref").and_then(|r| r.as_str()) else {
        return v.clone();
    };
    let name = r.rsplit('/').next().unwrap_or("");
    generator
        .definitions()
        .get(name)
        .cloned()
        .unwrap_or_else(|| v.clone())
}
