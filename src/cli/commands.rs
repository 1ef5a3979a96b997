//! `dlint rule(s)` and `dlint inspect`: documentation and the parsed model.

use std::io::Write;

use super::{read_stdin, report_error, ListFormat, EXIT_CLEAN, EXIT_ERROR};
use crate::report;
use crate::rules::RULES;
use crate::source::{self, SourceFile};

pub(super) fn list_rules(format: ListFormat, out: &mut dyn Write) -> std::io::Result<()> {
    match format {
        ListFormat::Json => {
            let v: Vec<serde_json::Value> = RULES
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "slug": r.slug, "aliases": r.aliases().collect::<Vec<_>>(),
                        "codes": r.codes.iter().map(|c| serde_json::json!({
                            "code": c.name, "also": c.also, "summary": c.summary,
                        })).collect::<Vec<_>>(),
                        "group": r.group,
                        "severity": r.severity, "fix": r.fix, "since": r.since,
                        "default": r.group.enabled_by_default(), "summary": r.summary,
                    })
                })
                .collect();
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&v).unwrap_or_default()
            )
        }
        ListFormat::Text => {
            let width = RULES.iter().map(|r| r.slug.len()).max().unwrap_or(0);
            writeln!(
                out,
                "{:<width$} {:<12} {:<8} {:<3} {:<9} summary (codes)",
                "rule", "group", "severity", "on", "fix"
            )?;
            for r in RULES {
                let fix = match r.fix {
                    crate::rules::FixAvailability::None => "-",
                    crate::rules::FixAvailability::Sometimes => "sometimes",
                    crate::rules::FixAvailability::Always => "always",
                };
                writeln!(
                    out,
                    "{:<width$} {:<12} {:<8} {:<3} {:<9} {}{}",
                    r.slug,
                    r.group.as_str(),
                    r.severity.as_str(),
                    if r.group.enabled_by_default() {
                        "on"
                    } else {
                        "off"
                    },
                    fix,
                    r.summary,
                    if r.codes.is_empty() {
                        String::new()
                    } else {
                        format!(" (codes: {})", code_ranges(r.aliases()))
                    }
                )?;
            }
            Ok(())
        }
    }
}

/// Codes as written, with runs of three or more consecutive numbers of one prefix shown as a
/// range (`SC1000-SC1199`): a rule for a whole tool's codes stays one readable line.
fn code_ranges<'a>(codes: impl Iterator<Item = &'a str>) -> String {
    fn split(code: &str) -> Option<(&str, u32)> {
        let at = code.find(|c: char| c.is_ascii_digit())?;
        let (prefix, digits) = code.split_at(at);
        (digits.len() == 4).then(|| digits.parse().ok().map(|n| (prefix, n)))?
    }
    let codes: Vec<&str> = codes.collect();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < codes.len() {
        let mut j = i;
        if let Some((prefix, first)) = split(codes[i]) {
            while j + 1 < codes.len()
                && split(codes[j + 1]) == Some((prefix, first + (j + 1 - i) as u32))
            {
                j += 1;
            }
        }
        if j - i >= 2 {
            out.push(format!("{}-{}", codes[i], codes[j]));
        } else {
            out.extend(codes[i..=j].iter().map(|c| c.to_string()));
        }
        i = j + 1;
    }
    out.join(", ")
}

pub(super) fn inspect(
    file: &std::path::Path,
    format: ListFormat,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<u8> {
    let (path, text) = if file.as_os_str() == "-" {
        ("-".to_string(), read_stdin())
    } else {
        (file.display().to_string(), source::read(file))
    };
    let text = match text {
        Ok(t) => t,
        Err(e) => {
            report_error(err, &path, &e)?;
            return Ok(EXIT_ERROR);
        }
    };
    let src = SourceFile::new(path, &text);
    let model = crate::analyze(&src);
    match format {
        ListFormat::Json => writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&report::inspect::to_json(&src, &model))
                .unwrap_or_default()
        )?,
        ListFormat::Text => out.write_all(report::inspect::to_text(&src, &model).as_bytes())?,
    }
    Ok(EXIT_CLEAN)
}
