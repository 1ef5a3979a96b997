//! What a rule reports: rule slug, the specific code, severity, byte range, message, help,
//! extra labels and a fix.

use crate::fix::Fix;
use crate::source::TextRange;

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule: &'static str,
    /// The specific code the finding stands for (`DL3042`, `JSONArgsRecommended`), when the
    /// rule declares codes: suppressions and selections by code act on exactly these findings.
    pub code: Option<&'static str>,
    pub severity: Severity,
    pub range: TextRange,
    /// Lowercase start, no trailing period, code in backticks.
    pub message: String,
    pub help: Option<String>,
    /// Secondary locations, e.g. the stage a reference points at.
    pub labels: Vec<(TextRange, String)>,
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// The rule and, where one applies, the code: `cache-in-layer/DL3009`, as output shows it.
    pub fn tag(&self) -> std::borrow::Cow<'static, str> {
        match self.code {
            Some(c) => format!("{}/{c}", self.rule).into(),
            None => self.rule.into(),
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn fix(mut self, fix: Option<Fix>) -> Self {
        self.fix = fix;
        self
    }

    pub fn label(mut self, range: TextRange, text: impl Into<String>) -> Self {
        self.labels.push((range, text.into()));
        self
    }
}
