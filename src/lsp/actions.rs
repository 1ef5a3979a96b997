//! `textDocument/codeAction`, `codeAction/resolve` and `textDocument/formatting`: a quick fix
//! per fixable diagnostic, "fix all safe problems" (`source.fixAll.dlint`), the multi-stage
//! conversion, suppressions for the line or the file; formatting applies the safe fixes.
//!
//! Fix-all runs the whole converge loop, so it is computed only when wanted: a client that can
//! resolve a code action's `edit` gets the action without it and asks for the edit when the
//! user picks it; other clients get it (with its edit) only when they ask for its kind, as
//! editors do for fix-on-save.

use std::collections::HashMap;

use lsp_types as lsp;

use super::position;
use crate::diagnostic::Diagnostic;
use crate::fix::{edits, Applicability, Edit};
use crate::model::Dockerfile;
use crate::{FileResult, Settings};

/// The code action kind of "fix all safe problems".
pub const FIX_ALL: &str = "source.fixAll.dlint";

/// The title of "fix all safe problems".
const FIX_ALL_TITLE: &str = "Fix all safe problems (dlint)";

// lsp-types keys the changes by `Uri`, which clippy considers mutable.
#[allow(clippy::mutable_key_type)]
pub fn workspace_edit(uri: &lsp::Uri, edits: Vec<lsp::TextEdit>) -> lsp::WorkspaceEdit {
    let mut changes = HashMap::new();
    changes.insert(uri.clone(), edits);
    lsp::WorkspaceEdit {
        changes: Some(changes),
        document_changes: None,
        change_annotations: None,
    }
}

/// Whether the client asked only for other kinds.
fn wanted(only: &Option<Vec<lsp::CodeActionKind>>, kind: &lsp::CodeActionKind) -> bool {
    match only {
        None => true,
        Some(kinds) => kinds.iter().any(|k| {
            kind.as_str() == k.as_str() || kind.as_str().starts_with(&format!("{}.", k.as_str()))
        }),
    }
}

/// The whole-document edit that turns `old` into `new` (one replacement of the changed middle).
pub fn document_edit(source: &crate::source::SourceFile, new: &str) -> Vec<lsp::TextEdit> {
    let old = &source.text;
    let new = new.strip_prefix('\u{feff}').unwrap_or(new);
    if old == new {
        return Vec::new();
    }
    let prefix = old
        .char_indices()
        .zip(new.chars())
        .find(|((_, a), b)| a != b)
        .map_or(old.len().min(new.len()), |((i, _), _)| i);
    let mut suffix = 0;
    for (a, b) in old[prefix..].chars().rev().zip(new[prefix..].chars().rev()) {
        if a != b {
            break;
        }
        suffix += a.len_utf8();
    }
    let suffix = suffix.min(old.len() - prefix).min(new.len() - prefix);
    let e = Edit::replace(prefix..old.len() - suffix, &new[prefix..new.len() - suffix]);
    vec![position::text_edit(source, &e)]
}

/// Where a `# dlint global ignore=` comment goes: after the parser directives.
fn file_comment_offset(model: &Dockerfile, source: &crate::source::SourceFile) -> usize {
    model
        .directives
        .iter()
        .map(|d| d.range.end)
        .max()
        .map_or(0, |end| {
            let line = source.line_index(end);
            source.line_start(line + 1).min(source.text.len())
        })
}

/// Code actions for the diagnostics that touch `range` (fix-all is [`fix_all`]).
pub fn code_actions(
    uri: &lsp::Uri,
    result: &FileResult,
    model: &Dockerfile,
    range: lsp::Range,
    only: &Option<Vec<lsp::CodeActionKind>>,
) -> Vec<lsp::CodeActionOrCommand> {
    let source = &result.source;
    let (start, end) = (
        position::offset(source, range.start),
        position::offset(source, range.end),
    );
    let touches = |d: &Diagnostic| d.range.start <= end && start <= d.range.end;
    let mut out = Vec::new();
    let convert_kind = lsp::CodeActionKind::REFACTOR_REWRITE;
    for d in result.diagnostics.iter().filter(|d| touches(d)) {
        let lsp_diag = position::diagnostic(source, uri, d);
        if let Some(fix) = &d.fix {
            if fix.applicability != Applicability::DisplayOnly {
                // A fix that restructures the file (the multi-stage conversion) is a refactoring.
                let conversion = fix.restructures;
                let kind = if conversion {
                    convert_kind.clone()
                } else {
                    lsp::CodeActionKind::QUICKFIX
                };
                let title = match (conversion, fix.applicability) {
                    (true, _) => format!("Convert to a multi-stage build ({})", fix.title),
                    (false, Applicability::Unsafe) => format!("{} (unsafe)", fix.title),
                    _ => fix.title.clone(),
                };
                if wanted(only, &kind) {
                    let edits = fix
                        .edits
                        .iter()
                        .map(|e| position::text_edit(source, e))
                        .collect();
                    out.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                        title,
                        kind: Some(kind),
                        diagnostics: Some(vec![lsp_diag.clone()]),
                        edit: Some(workspace_edit(uri, edits)),
                        is_preferred: Some(fix.applicability == Applicability::Safe),
                        ..Default::default()
                    }));
                }
            }
        }
        let offer = crate::rules::find(d.rule).is_none_or(|r| r.offer_suppression);
        if !wanted(only, &lsp::CodeActionKind::QUICKFIX) || !offer {
            continue;
        }
        // Suppress on the instruction's line.
        if let Some(inst) = model
            .instructions
            .iter()
            .find(|i| i.range.start <= d.range.start && d.range.start <= i.range.end)
        {
            let e = edits::insert_instruction_before(
                source,
                inst,
                &format!("# dlint ignore={}", d.rule),
            );
            out.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                title: format!("Suppress `{}` for this line", d.rule),
                kind: Some(lsp::CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![lsp_diag.clone()]),
                edit: Some(workspace_edit(uri, vec![position::text_edit(source, &e)])),
                ..Default::default()
            }));
        }
        let at = file_comment_offset(model, source);
        let e = Edit::insert(
            at,
            format!("# dlint global ignore={}{}", d.rule, source.newline()),
        );
        out.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
            title: format!("Suppress `{}` for this file", d.rule),
            kind: Some(lsp::CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![lsp_diag]),
            edit: Some(workspace_edit(uri, vec![position::text_edit(source, &e)])),
            ..Default::default()
        }));
    }
    out
}

/// How the fix-all action is offered.
pub enum FixAll<'a> {
    /// Without its edit: the client resolves it, sending `data` back.
    Resolve(serde_json::Value),
    /// With its edit, computed now when the client asked for the kind.
    Edits(&'a dyn Fn() -> Vec<lsp::TextEdit>),
}

/// "Fix all safe problems", when there is a safe fix and the client wants the kind: without its
/// edit for a client that resolves it, else with its edit but only when `only` asks for it.
pub fn fix_all(
    uri: &lsp::Uri,
    result: &FileResult,
    only: &Option<Vec<lsp::CodeActionKind>>,
    how: FixAll,
) -> Option<lsp::CodeActionOrCommand> {
    let kind = lsp::CodeActionKind::new(FIX_ALL);
    let any_safe = result.diagnostics.iter().any(|d| {
        d.fix
            .as_ref()
            .is_some_and(|f| f.applicability == Applicability::Safe)
    });
    if !any_safe || !wanted(only, &kind) {
        return None;
    }
    let action = lsp::CodeAction {
        title: FIX_ALL_TITLE.into(),
        kind: Some(kind),
        ..Default::default()
    };
    let action = match how {
        FixAll::Resolve(data) => lsp::CodeAction {
            data: Some(data),
            ..action
        },
        // Costly: only when asked for by kind (`source`, `source.fixAll`), not for a menu.
        FixAll::Edits(_) if only.is_none() => return None,
        FixAll::Edits(edits) => {
            let edits = edits();
            if edits.is_empty() {
                return None;
            }
            lsp::CodeAction {
                edit: Some(workspace_edit(uri, edits)),
                ..action
            }
        }
    };
    Some(lsp::CodeActionOrCommand::CodeAction(action))
}

/// Every safe fix, through the same converge loop as `dlint --fix`.
pub fn safe_fix_edits(result: &FileResult, settings: &Settings) -> Vec<lsp::TextEdit> {
    let source = &result.source;
    let outcome = crate::engine::converge::fix_source(&source.path, &source.text, settings, false);
    if !outcome.converged {
        return Vec::new();
    }
    document_edit(source, &outcome.fixed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    #[test]
    fn document_edits_replace_only_the_changed_middle() {
        let s = SourceFile::new("Dockerfile", "FROM a\nRUN x\nCMD y\n");
        let e = document_edit(&s, "FROM a\nRUN x && z\nCMD y\n");
        assert_eq!(e.len(), 1);
        assert_eq!(
            e[0].range,
            lsp::Range::new(lsp::Position::new(1, 5), lsp::Position::new(1, 5))
        );
        assert_eq!(e[0].new_text, " && z");
        assert!(document_edit(&s, &s.text.clone()).is_empty());
    }
}
