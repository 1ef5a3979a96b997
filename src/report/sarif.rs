//! SARIF 2.1.0: rule metadata, results with regions, and fixes as artifact changes.

use serde_json::{json, Value};

use super::{file_uri, severity_level};
use crate::rules::RULES;
use crate::FileResult;

/// The SARIF log with `results` holding `marker` alone: the document a stream of results is
/// written into (see [`super::Stream`]).
pub fn log_with(marker: &str) -> Value {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.slug,
                "name": camel(r.slug),
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": first_paragraph(r.doc, "## What it does")},
                "help": {"text": r.doc, "markdown": r.doc},
                "defaultConfiguration": {"level": severity_level(r.severity)},
                "properties": {"tags": [r.group.as_str()], "aliases": r.aliases().collect::<Vec<_>>()},
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "dlint",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": [marker],
        }],
    })
}

/// One file's SARIF results, with regions and fixes as artifact changes.
pub fn results(r: &FileResult) -> Vec<Value> {
    let index_of = |slug: &str| RULES.iter().position(|r| r.slug == slug);
    let mut out = Vec::new();
    let uri = file_uri(&r.source.path);
    for d in &r.diagnostics {
        let region = |range: &std::ops::Range<usize>| {
            let (a, b) = (r.source.line_col(range.start), r.source.line_col(range.end));
            json!({"startLine": a.line, "startColumn": a.column, "endLine": b.line, "endColumn": b.column})
        };
        let mut result = json!({
            "ruleId": d.rule,
            "level": severity_level(d.severity),
            "message": {"text": match &d.help {
                Some(h) => format!("{} (help: {h})", d.message),
                None => d.message.clone(),
            }},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": uri},
                "region": region(&d.range),
            }}],
        });
        if let Some(i) = index_of(d.rule) {
            result["ruleIndex"] = json!(i);
        }
        if let Some(code) = d.code {
            result["properties"] = json!({"code": code});
        }
        if let Some(f) = &d.fix {
            result["fixes"] = json!([{
                "description": {"text": format!("{} ({})", f.title, serde_json::to_value(f.applicability).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default())},
                "artifactChanges": [{
                    "artifactLocation": {"uri": uri},
                    "replacements": f.edits.iter().map(|e| json!({
                        "deletedRegion": region(&e.range),
                        "insertedContent": {"text": e.content},
                    })).collect::<Vec<_>>(),
                }],
            }]);
        }
        out.push(result);
    }
    out
}

/// `cache-in-layer` -> `CacheInLayer`.
fn camel(slug: &str) -> String {
    slug.split('-')
        .map(|p| {
            let mut c = p.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// The paragraph under a doc heading, joined into one line.
fn first_paragraph(doc: &str, heading: &str) -> String {
    doc.split_once(&format!("{heading}\n"))
        .map(|(_, rest)| rest.split("\n\n").next().unwrap_or("").replace('\n', " "))
        .unwrap_or_default()
}
