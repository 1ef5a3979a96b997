//! Byte ranges <-> LSP positions (UTF-16 code units, a BOM counted on line 0), and dlint's
//! diagnostics and edits in LSP terms.

use lsp_types as lsp;

use crate::diagnostic::{Diagnostic, Severity};
use crate::fix::Edit;
use crate::source::{SourceFile, TextRange};

/// The LSP position of a byte offset of the (BOM-less) source text.
pub fn position(source: &SourceFile, offset: usize) -> lsp::Position {
    let offset = offset.min(source.text.len());
    let line = source.line_index(offset);
    let mut character = source.utf16_col(offset);
    if line == 0 && source.bom {
        character += 1;
    }
    lsp::Position::new(line as u32, character as u32)
}

pub fn range(source: &SourceFile, r: &TextRange) -> lsp::Range {
    lsp::Range::new(position(source, r.start), position(source, r.end))
}

/// The byte offset of an LSP position (clamped into the text).
pub fn offset(source: &SourceFile, pos: lsp::Position) -> usize {
    let line = pos.line as usize;
    let mut character = pos.character as usize;
    if line == 0 && source.bom {
        character = character.saturating_sub(1);
    }
    source.offset_at_utf16(line, character)
}

pub fn text_edit(source: &SourceFile, e: &Edit) -> lsp::TextEdit {
    lsp::TextEdit::new(range(source, &e.range), e.content.clone())
}

fn severity(s: Severity) -> lsp::DiagnosticSeverity {
    match s {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
    }
}

/// A dlint diagnostic as the editor shows it: the help as a second line, labels as related
/// information.
pub fn diagnostic(source: &SourceFile, uri: &lsp::Uri, d: &Diagnostic) -> lsp::Diagnostic {
    let mut message = d.message.clone();
    if let Some(h) = &d.help {
        message.push('\n');
        message.push_str(h);
    }
    let related: Vec<lsp::DiagnosticRelatedInformation> = d
        .labels
        .iter()
        .map(|(r, text)| lsp::DiagnosticRelatedInformation {
            location: lsp::Location::new(uri.clone(), range(source, r)),
            message: text.clone(),
        })
        .collect();
    lsp::Diagnostic {
        range: range(source, &d.range),
        severity: Some(severity(d.severity)),
        code: Some(lsp::NumberOrString::String(d.tag().into_owned())),
        code_description: None,
        source: Some("dlint".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_positions_round_trip() {
        // `é` is one UTF-16 unit and two bytes; `😀` is two units and four bytes.
        let s = SourceFile::new("Dockerfile", "\u{feff}FROM a\r\nLABEL x=\"é😀y\"\n");
        let y = s.text.find('y').unwrap();
        let p = position(&s, y);
        assert_eq!(p, lsp::Position::new(1, 12));
        assert_eq!(offset(&s, p), y);
        // Line 0 counts the BOM the editor sees.
        assert_eq!(position(&s, 0), lsp::Position::new(0, 1));
        assert_eq!(offset(&s, lsp::Position::new(0, 1)), 0);
        // Past the end of a line clamps to the line's end (before the CR LF).
        assert_eq!(offset(&s, lsp::Position::new(0, 99)), "FROM a".len());
        assert_eq!(offset(&s, lsp::Position::new(9, 0)), s.text.len());
    }
}
