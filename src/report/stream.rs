//! Writing a report as a stream: the document's opening, one piece per file in order, the
//! closing; the bytes are those of rendering the whole run at once, and only a JUnit report
//! (whose opening counts the whole run) keeps its body until the end, in a [`Spool`].

use std::io::{self, Seek, Write};
use std::path::PathBuf;

use super::{ci, concise, full, json_items, sarif, Format};
use crate::FileResult;

/// One file's part of a report, rendered on any thread; [`Stream::push`] writes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Piece {
    /// The text, or for the JSON formats the file's items pretty-printed at the top level and
    /// joined with `,\n` (the stream indents them to the array's depth).
    text: String,
    /// The file's findings: the items of a JSON array, the failing test cases of a JUnit suite.
    findings: usize,
}

/// Render one file's piece of a `format` report.
pub fn piece(format: Format, color: bool, r: &FileResult) -> Piece {
    let items = |values: Vec<serde_json::Value>| -> String {
        let texts: Vec<String> = values
            .iter()
            .map(|v| serde_json::to_string_pretty(v).unwrap_or_default())
            .collect();
        texts.join(",\n")
    };
    let text = match format {
        Format::Full => full(r, color),
        Format::Concise => concise(r),
        Format::Github => ci::github(r),
        Format::Checkstyle => ci::checkstyle(r),
        Format::Junit => ci::junit(r),
        Format::Json => items(json_items(r)),
        Format::Gitlab => items(ci::gitlab(r)),
        Format::Sarif => items(sarif::results(r)),
    };
    Piece {
        text,
        findings: r.diagnostics.len(),
    }
}

/// A report being written: [`Stream::begin`], [`Stream::push`] for every file in path order,
/// [`Stream::end`].
pub struct Stream {
    doc: Doc,
    /// Array items written so far.
    items: usize,
    /// JUnit test cases and failing ones so far.
    tests: usize,
    failures: usize,
}

enum Doc {
    /// Pieces one after another (full, concise, github).
    Lines,
    Checkstyle,
    /// The body waits for the totals the opening element carries.
    Junit(Spool),
    /// A pretty-printed JSON document with one array written item by item.
    Array(JsonArray),
}

impl Stream {
    pub fn new(format: Format) -> Stream {
        let doc = match format {
            Format::Full | Format::Concise | Format::Github => Doc::Lines,
            Format::Checkstyle => Doc::Checkstyle,
            Format::Junit => Doc::Junit(Spool::default()),
            Format::Json | Format::Gitlab => {
                Doc::Array(JsonArray::of(&serde_json::json!([MARKER])))
            }
            Format::Sarif => Doc::Array(JsonArray::of(&sarif::log_with(MARKER))),
        };
        Stream {
            doc,
            items: 0,
            tests: 0,
            failures: 0,
        }
    }

    /// Write the document's opening.
    pub fn begin(&mut self, out: &mut dyn Write) -> io::Result<()> {
        match &self.doc {
            Doc::Lines | Doc::Junit(_) => Ok(()),
            Doc::Checkstyle => out.write_all(ci::CHECKSTYLE_HEAD.as_bytes()),
            Doc::Array(a) => {
                out.write_all(a.head.as_bytes())?;
                out.write_all(b"[")
            }
        }
    }

    /// Write the next file's piece.
    pub fn push(&mut self, piece: &Piece, out: &mut dyn Write) -> io::Result<()> {
        match &mut self.doc {
            Doc::Lines | Doc::Checkstyle => out.write_all(piece.text.as_bytes()),
            Doc::Junit(spool) => {
                self.tests += piece.findings.max(1);
                self.failures += piece.findings;
                spool.write_all(piece.text.as_bytes())
            }
            Doc::Array(a) => {
                if piece.findings == 0 {
                    return Ok(());
                }
                let mut text = String::with_capacity(piece.text.len() + 64);
                text.push_str(if self.items == 0 { "\n" } else { ",\n" });
                for (n, line) in piece.text.split('\n').enumerate() {
                    if n > 0 {
                        text.push('\n');
                    }
                    text.push_str(&a.indent);
                    text.push_str(line);
                }
                self.items += piece.findings;
                out.write_all(text.as_bytes())
            }
        }
    }

    /// Write the document's closing (and for JUnit, the whole document).
    pub fn end(self, out: &mut dyn Write) -> io::Result<()> {
        match self.doc {
            Doc::Lines => Ok(()),
            Doc::Checkstyle => out.write_all(ci::CHECKSTYLE_TAIL.as_bytes()),
            Doc::Junit(mut spool) => {
                out.write_all(ci::junit_head(self.tests, self.failures).as_bytes())?;
                spool.copy_to(out)?;
                out.write_all(ci::JUNIT_TAIL.as_bytes())
            }
            Doc::Array(a) => {
                if self.items > 0 {
                    out.write_all(b"\n")?;
                    out.write_all(a.close.as_bytes())?;
                }
                out.write_all(b"]")?;
                out.write_all(a.tail.as_bytes())
            }
        }
    }
}

/// Stands for the streamed array's items in the document a [`JsonArray`] is cut from.
const MARKER: &str = "@dlint-stream-items@";

/// A pretty-printed JSON document around one array: the text before its `[`, the indentation
/// of its items and of its `]`, and the text after it (with the final newline).
#[derive(Debug, Clone, PartialEq, Eq)]
struct JsonArray {
    head: String,
    indent: String,
    close: String,
    tail: String,
}

impl JsonArray {
    /// Cut `doc`, whose streamed array holds [`MARKER`] alone, around that array.
    fn of(doc: &serde_json::Value) -> JsonArray {
        let text = serde_json::to_string_pretty(doc).unwrap_or_default();
        let quoted = format!("\"{MARKER}\"");
        let at = text.find(&quoted).unwrap_or(text.len());
        let before = &text[..at];
        let indent = before.rsplit('\n').next().unwrap_or("");
        let head = before[..before.len() - indent.len()]
            .strip_suffix("[\n")
            .unwrap_or("");
        let after = text.get(at + quoted.len()..).unwrap_or("");
        let after = after.strip_prefix('\n').unwrap_or(after);
        let (close, tail) = after.split_once(']').unwrap_or(("", ""));
        JsonArray {
            head: head.to_string(),
            indent: indent.to_string(),
            close: close.to_string(),
            tail: format!("{tail}\n"),
        }
    }
}

/// Most bytes a [`Spool`] keeps in memory before it moves to a temporary file.
const SPOOL_IN_MEMORY: usize = 8 << 20;

/// Bytes kept until the end of a run: in memory up to [`SPOOL_IN_MEMORY`], then in a temporary
/// file (removed when done; in memory still when none can be created).
#[derive(Debug, Default)]
pub struct Spool {
    memory: Vec<u8>,
    file: Option<std::fs::File>,
    /// The temporary file's path while it must still be removed.
    path: Option<PathBuf>,
}

impl Spool {
    /// Write everything kept to `out`, in order.
    pub fn copy_to(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if let Some(f) = &mut self.file {
            f.flush()?;
            f.rewind()?;
            io::copy(f, out)?;
        }
        out.write_all(&self.memory)
    }

    /// Move to a temporary file, if one can be created.
    fn move_to_file(&mut self) {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("dlint-spool-{}-{n}.tmp", std::process::id()));
        let opened = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path);
        let Ok(mut f) = opened else {
            return;
        };
        if f.write_all(&self.memory).is_err() {
            let _ = std::fs::remove_file(&path);
            return;
        }
        self.memory = Vec::new();
        self.file = Some(f);
        // An open file outlives its name on Unix: nothing is left behind if the run is killed.
        self.path = match std::fs::remove_file(&path) {
            Ok(()) => None,
            Err(_) => Some(path),
        };
    }
}

impl Write for Spool {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if let Some(f) = &mut self.file {
            return f.write(buf);
        }
        self.memory.extend_from_slice(buf);
        if self.memory.len() > SPOOL_IN_MEMORY {
            self.move_to_file();
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.file {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for Spool {
    fn drop(&mut self) {
        self.file = None;
        if let Some(p) = self.path.take() {
            let _ = std::fs::remove_file(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrays_are_cut_where_serde_would_print_them() {
        let a = JsonArray::of(&serde_json::json!([MARKER]));
        assert_eq!((a.head.as_str(), a.indent.as_str()), ("", "  "));
        assert_eq!((a.close.as_str(), a.tail.as_str()), ("", "\n"));
        let doc = serde_json::json!({"runs": [{"x": 1, "results": [MARKER]}]});
        let a = JsonArray::of(&doc);
        assert_eq!(
            a.head,
            "{\n  \"runs\": [\n    {\n      \"x\": 1,\n      \"results\": "
        );
        assert_eq!((a.indent.len(), a.close.len()), (8, 6));
        assert_eq!(a.tail, "\n    }\n  ]\n}\n");
    }

    #[test]
    fn a_spool_keeps_order_across_the_move_to_a_file() {
        let mut s = Spool::default();
        let block = vec![b'x'; SPOOL_IN_MEMORY / 3 + 1];
        for b in [b'a', b'b', b'c', b'd'] {
            s.write_all(&[b]).unwrap();
            s.write_all(&block).unwrap();
        }
        let mut out = Vec::new();
        s.copy_to(&mut out).unwrap();
        assert_eq!(out.len(), 4 * (block.len() + 1));
        let marks: Vec<u8> = out.iter().copied().filter(|b| *b != b'x').collect();
        assert_eq!(marks, b"abcd");
    }
}
