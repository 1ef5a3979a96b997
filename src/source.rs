//! The text of one Dockerfile as dlint sees it: BOM and line endings recorded, byte offsets <-> lines/columns.

use std::ops::Range;

/// A byte range into [`SourceFile::text`].
pub type TextRange = Range<usize>;

/// How lines end in a file; kept so that fixes can write the same style back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LineEnding {
    Lf,
    Crlf,
}

/// One Dockerfile's text. The BOM, when present, is stripped from `text` and recorded in `bom`,
/// as BuildKit strips it before parsing.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
    pub bom: bool,
    pub line_ending: LineEnding,
    line_starts: Vec<usize>,
}

/// A 1-based line and column; columns count Unicode scalar values, as editors and BuildKit do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: &str) -> Self {
        let (bom, text) = match text.strip_prefix('\u{feff}') {
            Some(rest) => (true, rest.to_string()),
            None => (false, text.to_string()),
        };
        let mut line_starts = vec![0];
        line_starts.extend(memchr_newlines(&text));
        let crlf = text.matches("\r\n").count();
        let lf = text.matches('\n').count();
        let line_ending = if crlf > 0 && crlf * 2 >= lf {
            LineEnding::Crlf
        } else {
            LineEnding::Lf
        };
        SourceFile {
            path: path.into(),
            text,
            bom,
            line_ending,
            line_starts,
        }
    }

    /// Number of lines (a trailing newline does not start a new line).
    pub fn line_count(&self) -> usize {
        let n = self.line_starts.len();
        if n > 1 && self.line_starts[n - 1] == self.text.len() {
            n - 1
        } else {
            n
        }
    }

    /// 0-based line index of a byte offset.
    pub fn line_index(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// Byte offset where 0-based line `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len())
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = self.floor_char_boundary(offset.min(self.text.len()));
        let line = self.line_index(offset);
        let start = self.line_starts[line];
        LineCol {
            line: line + 1,
            column: self.text[start..offset].chars().count() + 1,
        }
    }

    /// Column in UTF-16 code units (0-based), for the LSP.
    pub fn utf16_col(&self, offset: usize) -> usize {
        let offset = self.floor_char_boundary(offset.min(self.text.len()));
        let start = self.line_starts[self.line_index(offset)];
        self.text[start..offset].encode_utf16().count()
    }

    /// The file's line break, for text inserted into it.
    pub fn newline(&self) -> &'static str {
        match self.line_ending {
            LineEnding::Lf => "\n",
            LineEnding::Crlf => "\r\n",
        }
    }

    /// The byte offset of a 0-based line and UTF-16 column (as LSP counts them), clamped to the
    /// line's end and to the text.
    pub fn offset_at_utf16(&self, line: usize, column: usize) -> usize {
        let Some(&start) = self.line_starts.get(line) else {
            return self.text.len();
        };
        let end = self
            .line_starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.text.len());
        let line_text = self.text[start..end].trim_end_matches(['\n', '\r']);
        let mut units = 0;
        for (i, c) in line_text.char_indices() {
            if units >= column {
                return start + i;
            }
            units += c.len_utf16();
        }
        start + line_text.len()
    }

    fn floor_char_boundary(&self, mut offset: usize) -> usize {
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }

    pub fn slice(&self, range: TextRange) -> &str {
        &self.text[range]
    }
}

fn memchr_newlines(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.bytes()
        .enumerate()
        .filter(|(_, b)| *b == b'\n')
        .map(|(i, _)| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_crlf_are_recorded() {
        let s = SourceFile::new("x", "\u{feff}FROM a\r\nRUN b\r\n");
        assert!(s.bom);
        assert_eq!(s.line_ending, LineEnding::Crlf);
        assert!(s.text.starts_with("FROM"));
        assert_eq!(s.line_count(), 2);
        assert_eq!(s.line_col(8), LineCol { line: 2, column: 1 });
    }

    #[test]
    fn columns_count_characters() {
        let s = SourceFile::new("x", "# é\nRUN é x\n");
        assert_eq!(s.line_col(s.text.find('x').unwrap()).column, 7);
        assert_eq!(s.utf16_col(s.text.find('x').unwrap()), 6);
    }
}

/// Why a file's bytes cannot be linted as a Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
pub enum InputError {
    #[error("cannot read: {0}")]
    #[diagnostic(code(dlint::io))]
    Io(String),
    #[error("not found")]
    #[diagnostic(code(dlint::not_found))]
    NotFound,
    #[error("the file is not valid UTF-8 (invalid byte at line {line}, column {column})")]
    #[diagnostic(
        code(dlint::not_utf8),
        help("save the file as UTF-8; BuildKit reads Dockerfiles as UTF-8")
    )]
    NotUtf8 { line: usize, column: usize },
    #[error(
        "the file looks binary (it contains a NUL byte at line {line}), not like a Dockerfile"
    )]
    #[diagnostic(code(dlint::binary))]
    Binary { line: usize },
    #[error("the file is {size} bytes, more than the {limit}-byte limit")]
    #[diagnostic(code(dlint::too_large))]
    TooLarge { size: u64, limit: u64 },
}

/// Largest file dlint reads (BuildKit itself refuses lines over 64 KiB, files are far smaller).
pub const MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;

/// Decode a file's bytes: UTF-8 (with or without BOM), no NUL bytes.
pub fn decode(bytes: Vec<u8>) -> Result<String, InputError> {
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(InputError::TooLarge {
            size: bytes.len() as u64,
            limit: MAX_FILE_SIZE,
        });
    }
    let line_of = |pos: usize| bytes[..pos].iter().filter(|b| **b == b'\n').count() + 1;
    if let Some(pos) = bytes.iter().position(|b| *b == 0) {
        return Err(InputError::Binary { line: line_of(pos) });
    }
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let pos = e.utf8_error().valid_up_to();
        let line_start = bytes[..pos]
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&bytes[line_start..pos])
            .chars()
            .count()
            + 1;
        InputError::NotUtf8 {
            line: bytes[..pos].iter().filter(|b| **b == b'\n').count() + 1,
            column,
        }
    })
}

/// Read and decode a file.
pub fn read(path: &std::path::Path) -> Result<String, InputError> {
    let meta = std::fs::metadata(path).map_err(io_error)?;
    if meta.is_dir() {
        return Err(InputError::Io("is a directory".into()));
    }
    if meta.len() > MAX_FILE_SIZE {
        return Err(InputError::TooLarge {
            size: meta.len(),
            limit: MAX_FILE_SIZE,
        });
    }
    decode(std::fs::read(path).map_err(io_error)?)
}

pub fn io_error(e: std::io::Error) -> InputError {
    match e.kind() {
        std::io::ErrorKind::NotFound => InputError::NotFound,
        std::io::ErrorKind::PermissionDenied => InputError::Io("permission denied".into()),
        _ => InputError::Io(e.to_string()),
    }
}

#[cfg(test)]
mod decode_tests {
    use super::*;

    #[test]
    fn rejects_binary_and_bad_utf8() {
        assert_eq!(
            decode(b"FROM a\n\0".to_vec()),
            Err(InputError::Binary { line: 2 })
        );
        assert_eq!(
            decode(b"FROM a\nRUN \xe9\n".to_vec()),
            Err(InputError::NotUtf8 { line: 2, column: 5 })
        );
        assert_eq!(
            decode(b"\xef\xbb\xbfFROM a".to_vec()).unwrap(),
            "\u{feff}FROM a"
        );
    }
}
