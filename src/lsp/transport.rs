//! stdio transport for `dlint lsp`: lsp-server's message types over our own reader thread, so a
//! malformed message gets a JSON-RPC error answer (parse error / invalid request) and the server
//! keeps running instead of losing the connection.
//!
//! The reader resynchronises after a bad frame instead of trusting `Content-Length`: a body is
//! read with a small JSON scanner (`Scan`) that ends it at the end of its JSON value, even
//! before the declared length (a length larger than the body would otherwise swallow the next
//! message, or wait for bytes that never come). Anything that cannot be a frame — a header line
//! without a colon or longer than `MAX_HEADER_LINE`, a bad length, a body that is not JSON —
//! is answered with a parse error, and the reader skips forward to the next `Content-Length:`
//! header. A body over `MAX_BODY` is scanned to its end without being kept, and answered
//! likewise. A well-formed stream is read exactly as its lengths say.

use std::io::{self, BufRead, Write};
use std::thread;

use crossbeam_channel::{select, unbounded, Receiver};
use lsp_server::{Connection, Message, RequestId, Response};

/// JSON-RPC error codes for what cannot become a message.
const PARSE_ERROR: i32 = -32700;
const INVALID_REQUEST: i32 = -32600;

/// The longest header line read; longer ones are discarded as they stream in.
#[doc(hidden)]
pub const MAX_HEADER_LINE: usize = 8 << 10;

/// The largest body read: a document at the file-size limit, whose JSON string may be twice as
/// long as its text (`\n`, `\"` escapes), plus the envelope. Larger bodies are scanned to their
/// end without being kept.
const MAX_BODY: usize = 2 * crate::source::MAX_FILE_SIZE as usize + (1 << 20);

/// The header that starts a frame, which resynchronisation looks for (compared lowercase).
const LENGTH_HEADER: &[u8] = b"content-length:";

/// What the writer thread writes: a message, or a raw JSON-RPC error for a message that had no
/// usable id.
enum Out {
    Raw(String),
}

pub struct Threads {
    reader: thread::JoinHandle<()>,
    writer: thread::JoinHandle<io::Result<()>>,
}

impl Threads {
    /// Wait for the writer to flush; the reader ends with stdin.
    pub fn join(self) -> io::Result<()> {
        let w = self.writer.join().unwrap_or(Ok(()));
        drop(self.reader);
        w
    }
}

/// What the reader got from the input.
#[derive(Debug, PartialEq)]
enum Frame {
    /// A body, to decode into a message.
    Body(Vec<u8>),
    /// Something that is not a frame, answered with a parse error.
    Bad(String),
    /// The end of the input.
    End,
}

/// One header line, or why there is none.
enum Line {
    Text(Vec<u8>),
    TooLong,
    End,
}

/// Whether the JSON scanner wants more bytes.
#[derive(Clone, Copy, PartialEq)]
enum State {
    More,
    /// The byte ended the value.
    Done,
    /// The byte cannot be where it is in JSON; it is not part of the body.
    Broken,
}

/// Where a JSON-RPC body ends: the depth of `{`/`[` and whether the scan is inside a string.
/// It accepts a superset of JSON (serde_json checks the body); what it refuses is what cannot
/// be JSON, such as the next frame's header after a body that broke off.
#[derive(Default)]
struct Scan {
    depth: usize,
    in_string: bool,
    escape: bool,
    /// The offset of the opening quote of the string the scan is in.
    string_start: usize,
}

impl Scan {
    fn step(&mut self, b: u8, at: usize) -> State {
        if self.in_string {
            match b {
                _ if self.escape => self.escape = false,
                b'\\' => self.escape = true,
                b'"' => self.in_string = false,
                // A raw line break cannot be in a JSON string: the body broke off.
                0..=0x1f => return State::Broken,
                _ => {}
            }
            return State::More;
        }
        match b {
            b'{' | b'[' => self.depth += 1,
            b'}' | b']' if self.depth > 0 => {
                self.depth -= 1;
                if self.depth == 0 {
                    return State::Done;
                }
            }
            b' ' | b'\t' | b'\r' | b'\n' => {}
            b'"' if self.depth > 0 => {
                self.in_string = true;
                self.string_start = at;
            }
            // Separators, numbers, `true`, `false` and `null`.
            b':'
            | b','
            | b'-'
            | b'+'
            | b'.'
            | b'0'..=b'9'
            | b'e'
            | b'E'
            | b'a'
            | b'f'
            | b'l'
            | b'n'
            | b'r'
            | b's'
            | b't'
            | b'u'
                if self.depth > 0 => {}
            _ => return State::Broken,
        }
        State::More
    }
}

/// Frames from a byte stream, resynchronising after bad ones.
struct FrameReader<R> {
    input: R,
    /// Bytes to read again before the input: the part of a bad line or broken body where the
    /// next frame's header may be.
    back: Vec<u8>,
    back_pos: usize,
    /// After a bad frame: skip to the next `Content-Length:` header.
    resync: bool,
    /// Bodies longer than this are scanned to their end but not kept.
    max_body: usize,
}

impl<R: BufRead> FrameReader<R> {
    fn new(input: R, max_body: usize) -> Self {
        FrameReader {
            input,
            back: Vec::new(),
            back_pos: 0,
            resync: false,
            max_body,
        }
    }

    fn fill(&mut self) -> io::Result<&[u8]> {
        if self.back_pos < self.back.len() {
            return Ok(&self.back[self.back_pos..]);
        }
        loop {
            match self.input.fill_buf() {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
                Ok(_) => break,
            }
        }
        // Already buffered: this does not read again.
        self.input.fill_buf()
    }

    fn consume(&mut self, n: usize) {
        if self.back_pos < self.back.len() {
            self.back_pos += n;
            if self.back_pos == self.back.len() {
                self.back = Vec::new();
                self.back_pos = 0;
            }
        } else {
            self.input.consume(n);
        }
    }

    /// Read `bytes` again before the rest of the input.
    fn unread(&mut self, bytes: &[u8]) {
        let mut back = bytes.to_vec();
        back.extend_from_slice(&self.back[self.back_pos..]);
        self.back = back;
        self.back_pos = 0;
    }

    /// The next frame: a body, a bad frame (after which the reader resynchronises), or the end.
    fn next(&mut self) -> io::Result<Frame> {
        let mut length = None;
        if self.resync {
            self.resync = false;
            if !self.skip_to_length_header()? {
                return Ok(Frame::End);
            }
            // The rest of the line is the header's value.
            match self.line()? {
                Line::End => return Ok(Frame::End),
                Line::TooLong => return Ok(self.too_long()),
                Line::Text(v) => match content_length(&String::from_utf8_lossy(&v)) {
                    Ok(n) => length = Some(n),
                    Err(m) => return Ok(self.bad_line(&v, m)),
                },
            }
        }
        let length = loop {
            let line = match self.line()? {
                Line::End => return Ok(Frame::End),
                Line::TooLong => return Ok(self.too_long()),
                Line::Text(l) => l,
            };
            let text = String::from_utf8_lossy(&line);
            let l = text.trim();
            if l.is_empty() {
                // Blank lines between frames are tolerated.
                match length {
                    Some(n) => break n,
                    None => continue,
                }
            }
            let header = l.split_once(':').filter(|(name, _)| is_token(name.trim()));
            let Some((name, value)) = header else {
                let m = format!("malformed header `{}`", shorten(l));
                return Ok(self.bad_line(&line, m));
            };
            if name.trim().eq_ignore_ascii_case("content-length") {
                match content_length(value) {
                    Ok(n) => length = Some(n),
                    Err(m) => return Ok(self.bad_line(&line, m)),
                }
            }
        };
        self.body(length)
    }

    /// One header line with its line break; a line longer than the cap is not kept.
    fn line(&mut self) -> io::Result<Line> {
        let mut line = Vec::new();
        loop {
            let (used, done, too_long) = {
                let buf = self.fill()?;
                if buf.is_empty() {
                    return Ok(if line.is_empty() {
                        Line::End
                    } else {
                        Line::Text(line)
                    });
                }
                let (used, done) = match buf.iter().position(|&b| b == b'\n') {
                    Some(i) => (i + 1, true),
                    None => (buf.len(), false),
                };
                let too_long = line.len() + used > MAX_HEADER_LINE;
                if !too_long {
                    line.extend_from_slice(&buf[..used]);
                }
                (used, done, too_long)
            };
            self.consume(used);
            if too_long {
                return Ok(Line::TooLong);
            }
            if done {
                return Ok(Line::Text(line));
            }
        }
    }

    /// Skip to just after the next `Content-Length:` (in any case), discarding what comes
    /// before it as it streams; `false` at the end of the input.
    fn skip_to_length_header(&mut self) -> io::Result<bool> {
        let mut matched = 0;
        loop {
            let (used, found) = {
                let buf = self.fill()?;
                if buf.is_empty() {
                    return Ok(false);
                }
                let mut found = None;
                for (i, b) in buf.iter().enumerate() {
                    let b = b.to_ascii_lowercase();
                    // `c` occurs only first in the pattern, so a mismatch restarts the match
                    // at this byte or not at all.
                    matched = if b == LENGTH_HEADER[matched] {
                        matched + 1
                    } else {
                        usize::from(b == LENGTH_HEADER[0])
                    };
                    if matched == LENGTH_HEADER.len() {
                        found = Some(i + 1);
                        break;
                    }
                }
                (found.unwrap_or(buf.len()), found.is_some())
            };
            self.consume(used);
            if found {
                return Ok(true);
            }
        }
    }

    /// A body of at most `length` bytes that ends with its JSON value.
    fn body(&mut self, length: usize) -> io::Result<Frame> {
        let mut body = Vec::new();
        let mut kept = true;
        let mut scan = Scan::default();
        let mut read = 0;
        while read < length {
            let (used, state) = {
                let max_body = self.max_body;
                let buf = self.fill()?;
                if buf.is_empty() {
                    // The input ended: what came is the body.
                    break;
                }
                let buf = &buf[..buf.len().min(length - read)];
                let mut state = State::More;
                let mut used = buf.len();
                for (i, &b) in buf.iter().enumerate() {
                    state = scan.step(b, read + i);
                    if state != State::More {
                        used = i + usize::from(state == State::Done);
                        break;
                    }
                }
                if kept && body.len() + used > max_body {
                    kept = false;
                    body = Vec::new();
                }
                if kept {
                    body.extend_from_slice(&buf[..used]);
                }
                (used, state)
            };
            self.consume(used);
            read += used;
            match state {
                State::More => {}
                State::Done => break,
                State::Broken if scan.depth == 0 => {
                    return Ok(self.bad("parse error: a message body must be a JSON object".into()))
                }
                State::Broken => {
                    // A string cannot hold a line break: the next header may be inside it.
                    if kept && scan.in_string {
                        let from = scan.string_start;
                        self.unread(&body[from..]);
                    }
                    let at = read;
                    return Ok(self.bad(format!(
                        "parse error: the message body is not JSON at byte {at}"
                    )));
                }
            }
        }
        // The declared length ended inside the value: the rest of it is no header.
        self.resync = scan.depth > 0;
        if !kept {
            return Ok(Frame::Bad(format!(
                "the message body is {read} bytes, more than the {}-byte limit",
                self.max_body
            )));
        }
        Ok(Frame::Body(body))
    }

    /// A bad frame: answered, then the reader looks for the next header.
    fn bad(&mut self, message: String) -> Frame {
        self.resync = true;
        Frame::Bad(message)
    }

    /// A bad header line: the rest of it may hold the next `Content-Length:`.
    fn bad_line(&mut self, line: &[u8], message: String) -> Frame {
        self.unread(line.get(1..).unwrap_or_default());
        self.bad(message)
    }

    fn too_long(&mut self) -> Frame {
        self.bad(format!("header line longer than {MAX_HEADER_LINE} bytes"))
    }
}

/// The value of a `Content-Length` header.
fn content_length(value: &str) -> Result<usize, String> {
    let v = value.trim();
    v.parse::<usize>()
        .map_err(|_| format!("bad Content-Length `{}`", shorten(v)))
}

/// Whether a header name is an HTTP token.
fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// A header as an error message quotes it.
fn shorten(s: &str) -> String {
    match s.char_indices().nth(80) {
        Some((i, _)) => format!("{}...", &s[..i]),
        None => s.to_string(),
    }
}

fn error_json(id: serde_json::Value, code: i32, message: &str) -> String {
    serde_json::json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
        .to_string()
}
/// Turn a body into a message, or the error answer it deserves.
fn decode(body: &[u8]) -> Result<Message, Out> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
        Out::Raw(error_json(
            serde_json::Value::Null,
            PARSE_ERROR,
            &format!("parse error: {e}"),
        ))
    })?;
    let id = value.get("id").cloned();
    serde_json::from_value::<Message>(value).map_err(|e| {
        let id = id
            .filter(|i| i.is_string() || i.is_i64())
            .unwrap_or(serde_json::Value::Null);
        Out::Raw(error_json(
            id,
            INVALID_REQUEST,
            &format!("invalid request: {e}"),
        ))
    })
}

fn write_raw(out: &mut impl Write, text: &str) -> io::Result<()> {
    write!(out, "Content-Length: {}\r\n\r\n", text.len())?;
    out.write_all(text.as_bytes())?;
    out.flush()
}

/// A connection over stdin/stdout.
pub fn stdio() -> (Connection, Threads) {
    let (to_server, server_rx) = unbounded::<Message>();
    let (server_tx, from_server) = unbounded::<Message>();
    let (raw_tx, raw_rx) = unbounded::<Out>();
    let reader = thread::spawn(move || {
        let stdin = io::stdin();
        let mut frames = FrameReader::new(stdin.lock(), MAX_BODY);
        loop {
            let out = match frames.next() {
                Ok(Frame::Body(body)) => match decode(&body) {
                    Ok(msg) => {
                        let exit = matches!(&msg, Message::Notification(n) if n.method == "exit");
                        if to_server.send(msg).is_err() || exit {
                            break;
                        }
                        continue;
                    }
                    Err(out) => out,
                },
                Ok(Frame::Bad(message)) => {
                    Out::Raw(error_json(serde_json::Value::Null, PARSE_ERROR, &message))
                }
                Ok(Frame::End) | Err(_) => break,
            };
            if raw_tx.send(out).is_err() {
                break;
            }
        }
    });
    let writer = thread::spawn(move || writer_loop(from_server, raw_rx));
    (
        Connection {
            sender: server_tx,
            receiver: server_rx,
        },
        Threads { reader, writer },
    )
}

fn writer_loop(messages: Receiver<Message>, raw: Receiver<Out>) -> io::Result<()> {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    loop {
        select! {
            recv(messages) -> m => match m {
                Ok(m) => m.write(&mut out)?,
                // The server is done: flush what is left of the raw answers and stop.
                Err(_) => {
                    while let Ok(Out::Raw(t)) = raw.try_recv() {
                        write_raw(&mut out, &t)?;
                    }
                    return Ok(());
                }
            },
            recv(raw) -> r => match r {
                Ok(Out::Raw(t)) => write_raw(&mut out, &t)?,
                // The reader is gone (end of input or `exit`): write the server's last messages.
                Err(_) => {
                    for m in messages.iter() {
                        m.write(&mut out)?;
                    }
                    return Ok(());
                }
            },
        }
    }
}

/// What [`read_frames`] made of a stream.
#[doc(hidden)]
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FrameCounts {
    /// Bodies that decoded into messages.
    pub messages: usize,
    /// Error answers: bad frames, and bodies that are no message.
    pub errors: usize,
    /// The most bytes held at once: the longest body kept, or the bytes waiting to be read
    /// again after a bad frame.
    pub most_held: usize,
}

/// Read a whole stream as the server's reader thread does (bodies over `max_body` are not
/// kept), without stopping at `exit`: for the fuzz target and the robustness test, which check
/// that it ends, never panics and holds no more than its caps.
#[doc(hidden)]
pub fn read_frames(input: impl BufRead, max_body: usize) -> io::Result<FrameCounts> {
    let mut frames = FrameReader::new(input, max_body);
    let mut counts = FrameCounts::default();
    loop {
        let frame = frames.next()?;
        let pending = frames.back.len() - frames.back_pos;
        counts.most_held = counts.most_held.max(pending);
        match frame {
            Frame::Body(body) => {
                counts.most_held = counts.most_held.max(body.len());
                match decode(&body) {
                    Ok(_) => counts.messages += 1,
                    Err(_) => counts.errors += 1,
                }
            }
            Frame::Bad(_) => counts.errors += 1,
            Frame::End => return Ok(counts),
        }
    }
}

/// An error response for a request whose parameters do not fit.
pub fn invalid_params(id: RequestId, e: impl std::fmt::Display) -> Message {
    Message::Response(Response::new_err(
        id,
        lsp_server::ErrorCode::InvalidParams as i32,
        format!("invalid params: {e}"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    fn read_all(mut r: FrameReader<impl BufRead>) -> Vec<Frame> {
        let mut out = Vec::new();
        loop {
            match r.next().unwrap() {
                Frame::End => return out,
                f => out.push(f),
            }
        }
    }

    /// Every frame of `input`, read with a body limit of `max_body`; the same when the input
    /// arrives a few bytes at a time.
    fn frames(input: &str, max_body: usize) -> Vec<Frame> {
        let whole = read_all(FrameReader::new(input.as_bytes(), max_body));
        let trickle = io::BufReader::with_capacity(5, input.as_bytes());
        assert_eq!(read_all(FrameReader::new(trickle, max_body)), whole);
        whole
    }

    fn body(s: &str) -> Frame {
        Frame::Body(s.as_bytes().to_vec())
    }

    fn is_bad(f: &Frame, text: &str) -> bool {
        matches!(f, Frame::Bad(m) if m.contains(text))
    }

    const A: &str = r#"{"jsonrpc":"2.0","id":1,"method":"a","params":{"t":"x}\"]{"}}"#;
    const B: &str = r#"{"jsonrpc":"2.0","method":"b"}"#;

    #[test]
    fn well_formed_frames_are_read_as_their_lengths_say() {
        let input = format!(
            "{}\r\n\r\ncontent-length: 3\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n[1]{}",
            frame(A),
            frame(B)
        );
        assert_eq!(frames(&input, 1 << 20), [body(A), body("[1]"), body(B)]);
        // A length that counts whitespace after the value.
        let input = format!(
            "Content-Length: {}\r\n\r\n{A}\r\n {}",
            A.len() + 3,
            frame(B)
        );
        assert_eq!(frames(&input, 1 << 20), [body(A), body(B)]);
        let ok = br#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#;
        assert!(matches!(decode(ok), Ok(Message::Request(_))));
        assert!(matches!(decode(b"[1]"), Err(Out::Raw(t)) if t.contains("-32600")));
    }

    #[test]
    fn a_length_larger_than_the_body_ends_with_the_json_value() {
        let input = format!("Content-Length: 9999\r\n\r\n{A}{}", frame(B));
        assert_eq!(frames(&input, 1 << 20), [body(A), body(B)]);
        // Nothing follows: the body is complete without waiting for the declared length.
        let input = format!("Content-Length: 99999999999\r\n\r\n{B}");
        assert_eq!(frames(&input, 1 << 20), [body(B)]);
    }

    #[test]
    fn a_body_that_breaks_off_is_answered_and_the_next_frame_read() {
        // Cut inside a string, inside the next header's name and after a value.
        for cut in [
            r#"{"jsonrpc":"2.0","id":1,"meth"#,
            r#"{"jsonrpc":"2.0","id":1,"method":"a\"#,
            r#"{"jsonrpc":"2.0","id":1,"#,
        ] {
            let input = format!("Content-Length: 9999\r\n\r\n{cut}{}", frame(B));
            let f = frames(&input, 1 << 20);
            assert_eq!(f.len(), 2, "{cut}: {f:?}");
            assert!(is_bad(&f[0], "parse error"), "{f:?}");
            assert_eq!(f[1], body(B), "{cut}");
        }
    }

    #[test]
    fn garbage_is_answered_and_skipped_to_the_next_header() {
        let input = format!("Content-Length: 11\r\n\r\nhello world{}", frame(B));
        let f = frames(&input, 1 << 20);
        assert!(is_bad(&f[0], "must be a JSON object"), "{f:?}");
        assert_eq!(f[1..], [body(B)]);
        // A body that starts like JSON but is not: its length still ends it.
        let input = format!("{}{}", frame("{this is not json"), frame(B));
        let f = frames(&input, 1 << 20);
        assert!(is_bad(&f[0], "not JSON at byte 2"), "{f:?}");
        assert_eq!(f[1..], [body(B)]);
    }

    #[test]
    fn bad_headers_are_answered_and_skipped_to_the_next_header() {
        for (header, error) in [
            ("no colon here\r\n", "malformed header `no colon here`"),
            ("Content-Length: x\r\n\r\n{}", "bad Content-Length `x`"),
            (
                "Content-Length: 5\r\n{bad name}: 1\r\n\r\n{}",
                "malformed header",
            ),
            (
                "Content-Length: 18446744073709551616\r\n\r\n",
                "bad Content-Length",
            ),
        ] {
            let input = format!("{header}{}", frame(B));
            let f = frames(&input, 1 << 20);
            assert_eq!(f.len(), 2, "{header}: {f:?}");
            assert!(is_bad(&f[0], error), "{f:?}");
            assert_eq!(f[1], body(B), "{header}");
        }
        // A length shorter than the body: the cut body fails to decode, its rest is skipped.
        let input = format!("Content-Length: 10\r\n\r\n{A}{}", frame(B));
        let f = frames(&input, 1 << 20);
        assert_eq!(f, [body(&A[..10]), body(B)]);
        assert!(matches!(decode(&A.as_bytes()[..10]), Err(Out::Raw(t)) if t.contains("-32700")));
    }

    #[test]
    fn read_frames_counts_messages_and_error_answers() {
        // A message, a body that is no message, a bad header (its rest held to be read again).
        let input = format!("{}{}no colon here\r\n", frame(B), frame("[1]"));
        let c = read_frames(input.as_bytes(), 1 << 20).unwrap();
        assert_eq!((c.messages, c.errors), (1, 2), "{c:?}");
        assert_eq!(c.most_held, B.len());
    }

    #[test]
    fn an_overlong_header_line_is_discarded() {
        let long = "X".repeat(3 * MAX_HEADER_LINE);
        let input = format!("X-Long: {long}\r\n{}", frame(B));
        let f = frames(&input, 1 << 20);
        assert!(is_bad(&f[0], "header line longer than 8192 bytes"), "{f:?}");
        assert_eq!(f[1..], [body(B)]);
    }

    #[test]
    fn a_body_over_the_limit_is_scanned_but_not_kept() {
        let big = format!(
            r#"{{"jsonrpc":"2.0","method":"x","params":"{}"}}"#,
            "y".repeat(500)
        );
        let f = frames(&format!("{}{}", frame(&big), frame(B)), 100);
        assert!(is_bad(&f[0], "more than the 100-byte limit"), "{f:?}");
        assert_eq!(f[1..], [body(B)]);
        // A declared length over the limit with a small body is read.
        let f = frames(&format!("Content-Length: 1000\r\n\r\n{B}"), 100);
        assert_eq!(f, [body(B)]);
    }
}
