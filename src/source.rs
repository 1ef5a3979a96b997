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
    #[error("{}", too_large(*size, *limit))]
    #[diagnostic(code(dlint::too_large))]
    TooLarge {
        /// Bytes, or `None` when reading stopped at the limit (a stream).
        size: Option<u64>,
        limit: u64,
    },
    #[error("not a regular file ({0})")]
    #[diagnostic(
        code(dlint::not_a_file),
        help("dlint reads regular files; pipe other input to `dlint -`")
    )]
    NotRegular(&'static str),
    #[error("standard input is closed")]
    #[diagnostic(
        code(dlint::stdin_closed),
        help("give a file, or pipe the Dockerfile to `dlint -`")
    )]
    StdinClosed,
}

fn too_large(size: Option<u64>, limit: u64) -> String {
    match size {
        Some(n) => format!("the input is {n} bytes, more than the {limit}-byte limit"),
        None => format!("the input is larger than the {limit}-byte limit (reading stopped there)"),
    }
}

/// Largest input dlint reads: 4 MiB, about forty times the largest real Dockerfile we have seen
/// (BuildKit itself refuses lines over 64 KiB). Reading stops at the limit, so a stream that
/// never ends (`/dev/zero`, a runaway pipe) costs at most this much memory.
pub const MAX_FILE_SIZE: u64 = 4 * 1024 * 1024;

/// Decode a file's bytes: UTF-8 (with or without BOM), no NUL bytes.
pub fn decode(bytes: Vec<u8>) -> Result<String, InputError> {
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(InputError::TooLarge {
            size: Some(bytes.len() as u64),
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

/// Read at most [`MAX_FILE_SIZE`] bytes from a stream and decode them; a longer stream is
/// refused after reading one byte past the limit, never read to its end.
pub fn read_bounded(reader: impl std::io::Read) -> Result<String, InputError> {
    use std::io::Read;
    let mut bytes = Vec::new();
    reader
        .take(MAX_FILE_SIZE + 1)
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(InputError::TooLarge {
            size: None,
            limit: MAX_FILE_SIZE,
        });
    }
    decode(bytes)
}

/// Read and decode a file. Only regular files (or symlinks to them) are read: a FIFO would
/// block, a device may never end.
pub fn read(path: &std::path::Path) -> Result<String, InputError> {
    let meta = std::fs::metadata(path).map_err(io_error)?;
    if meta.is_dir() {
        return Err(InputError::Io("is a directory".into()));
    }
    if !meta.is_file() {
        return Err(InputError::NotRegular(file_kind(&meta)));
    }
    if meta.len() > MAX_FILE_SIZE {
        return Err(InputError::TooLarge {
            size: Some(meta.len()),
            limit: MAX_FILE_SIZE,
        });
    }
    // Opened without blocking, so a file swapped for a FIFO since `metadata` cannot hang us.
    let file = open_nonblocking(path).map_err(io_error)?;
    let meta = file.metadata().map_err(io_error)?;
    if !meta.is_file() {
        return Err(InputError::NotRegular(file_kind(&meta)));
    }
    read_bounded(file)
}

#[cfg(unix)]
fn open_nonblocking(path: &std::path::Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &std::path::Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

fn file_kind(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    let _ = meta;
    "not a file"
}

pub fn io_error(e: std::io::Error) -> InputError {
    match e.kind() {
        std::io::ErrorKind::NotFound => InputError::NotFound,
        std::io::ErrorKind::PermissionDenied => InputError::Io("permission denied".into()),
        _ => InputError::Io(e.to_string()),
    }
}

/// Whether standard stream `fd` (0, 1 or 2) was closed when dlint started. Rust's runtime
/// reopens closed standard streams on `/dev/null` read-write (`O_RDWR`); a shell redirection
/// (`< /dev/null`, `> /dev/null`) opens it read-only or write-only, so the access mode tells a
/// closed stream from a deliberate `/dev/null`.
#[cfg(target_os = "linux")]
pub fn std_stream_was_closed(fd: i32) -> bool {
    use std::os::unix::fs::{FileTypeExt, MetadataExt};
    // SAFETY: fcntl(F_GETFL) only reads the descriptor's flags.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    if flags < 0 {
        return true;
    }
    if flags & libc::O_ACCMODE != libc::O_RDWR {
        return false;
    }
    let (Ok(stream), Ok(null)) = (
        std::fs::metadata(format!("/proc/self/fd/{fd}")),
        std::fs::metadata("/dev/null"),
    ) else {
        return false;
    };
    stream.file_type().is_char_device() && stream.rdev() == null.rdev()
}

#[cfg(not(target_os = "linux"))]
pub fn std_stream_was_closed(_fd: i32) -> bool {
    false
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

    #[test]
    fn streams_stop_at_the_limit() {
        let endless = std::io::repeat(b'#');
        assert_eq!(
            read_bounded(endless),
            Err(InputError::TooLarge {
                size: None,
                limit: MAX_FILE_SIZE
            })
        );
        assert_eq!(read_bounded(&b"FROM a\n"[..]).unwrap(), "FROM a\n");
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_fifos_are_refused() {
        assert_eq!(
            read(std::path::Path::new("/dev/zero")),
            Err(InputError::NotRegular("a character device"))
        );
        let dir = std::env::temp_dir().join(format!("dlint-fifo-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let fifo = dir.join("Dockerfile");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: mkfifo with a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        assert_eq!(read(&fifo), Err(InputError::NotRegular("a FIFO")));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
