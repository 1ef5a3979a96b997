//! stdio transport for `dlint lsp`: lsp-server's message types over our own reader thread, so a
//! malformed message gets a JSON-RPC error answer (parse error / invalid request) and the server
//! keeps running instead of losing the connection.

use std::io::{self, BufRead, Write};
use std::thread;

use crossbeam_channel::{select, unbounded, Receiver};
use lsp_server::{Connection, Message, RequestId, Response};

/// JSON-RPC error codes for what cannot become a message.
const PARSE_ERROR: i32 = -32700;
const INVALID_REQUEST: i32 = -32600;

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

/// One framed message body (`None` at end of input); `Err` for a header that makes no sense.
fn read_frame(input: &mut impl BufRead) -> io::Result<Option<Vec<u8>>> {
    let mut length: Option<usize> = None;
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        let l = line.trim_end_matches(['\r', '\n']);
        if l.is_empty() {
            if length.is_some() {
                break;
            }
            // Blank lines between frames are tolerated.
            continue;
        }
        let Some((name, value)) = l.split_once(':') else {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("malformed header `{l}`"),
            ));
        };
        if name.trim().eq_ignore_ascii_case("content-length") {
            let n = value.trim().parse::<usize>().map_err(|_| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("bad Content-Length `{}`", value.trim()),
                )
            })?;
            if n > 64 << 20 {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "message larger than 64 MiB",
                ));
            }
            length = Some(n);
        }
    }
    let mut body = vec![0; length.unwrap_or(0)];
    input.read_exact(&mut body)?;
    Ok(Some(body))
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
        let mut input = stdin.lock();
        loop {
            match read_frame(&mut input) {
                Ok(Some(body)) => match decode(&body) {
                    Ok(msg) => {
                        let exit = matches!(&msg, Message::Notification(n) if n.method == "exit");
                        if to_server.send(msg).is_err() || exit {
                            break;
                        }
                    }
                    Err(out) => {
                        if raw_tx.send(out).is_err() {
                            break;
                        }
                    }
                },
                Ok(None) => break,
                Err(e) if e.kind() == io::ErrorKind::InvalidData => {
                    let _ = raw_tx.send(Out::Raw(error_json(
                        serde_json::Value::Null,
                        PARSE_ERROR,
                        &e.to_string(),
                    )));
                }
                Err(_) => break,
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

    #[test]
    fn frames_and_bad_bodies() {
        let mut input: &[u8] = b"Content-Length: 2\r\n\r\n{}\r\ncontent-length: 3\r\n\r\n[1]";
        let a = read_frame(&mut input).unwrap().unwrap();
        assert_eq!(a, b"{}");
        assert!(matches!(decode(&a), Err(Out::Raw(t)) if t.contains("-32600")));
        let b = read_frame(&mut input).unwrap().unwrap();
        assert!(matches!(decode(&b), Err(Out::Raw(t)) if t.contains("-32600")));
        assert!(read_frame(&mut input).unwrap().is_none());
        assert!(matches!(decode(b"{nope"), Err(Out::Raw(t)) if t.contains("-32700")));
        let mut bad: &[u8] = b"Content-Length: x\r\n\r\n";
        assert!(read_frame(&mut bad).is_err());
        let ok = br#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#;
        assert!(matches!(decode(ok), Ok(Message::Request(_))));
    }
}
