//! Benchmark: the language server over stdio, as an editor drives it. Reports the time from
//! `initialize` to the first `publishDiagnostics`, and from `didChange` to `publishDiagnostics`
//! on a 500-line Dockerfile, beside the in-process lint time of the same text. On a large
//! document (20,000 lines) it reports the time of a code action request, of fix-all and of
//! formatting after it (one converge run), and the server's memory (VmRSS, VmHWM on Linux)
//! with the document open and after `didClose`.
//!
//! `cargo bench --bench lsp` (add `-- --changes N` for more edits, `--large-lines N` for another
//! large document). Uses the release binary cargo builds for the bench; medians and 95th
//! percentiles over the runs of one invocation.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

#[path = "corpus.rs"]
mod corpus;

/// About `lines` lines of varied Dockerfile text (whole generated files, concatenated).
fn document(lines: usize) -> String {
    let mut rng = corpus::Rng(7);
    let mut s = String::new();
    let (mut i, mut count) = (0, 0);
    while count < lines {
        let file = corpus::dockerfile(&mut rng, i).replace("\r\n", "\n");
        count += file.lines().count();
        s.push_str(&file);
        i += 1;
    }
    let keep: Vec<&str> = s.lines().take(lines).collect();
    keep.join("\n") + "\n"
}

struct Server {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Server {
    fn start() -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dlint"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("dlint binary");
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        Server {
            child,
            stdin,
            stdout,
        }
    }

    fn send(&mut self, v: Value) {
        let body = v.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn recv(&mut self) -> Value {
        let mut len = 0;
        loop {
            let mut line = String::new();
            self.stdout.read_line(&mut line).unwrap();
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some(v) = l.strip_prefix("Content-Length: ") {
                len = v.parse().unwrap();
            }
        }
        let mut body = vec![0; len];
        self.stdout.read_exact(&mut body).unwrap();
        serde_json::from_slice(&body).unwrap()
    }

    /// Wait for the diagnostics of `version`.
    fn diagnostics(&mut self, version: i64) -> usize {
        loop {
            let m = self.recv();
            if m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == version
            {
                return m["params"]["diagnostics"].as_array().unwrap().len();
            }
        }
    }

    /// Send a request and wait for its result.
    fn request(&mut self, id: i64, method: &str, params: Value) -> Value {
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let m = self.recv();
            if m["id"] == id && m.get("method").is_none() {
                return m["result"].clone();
            }
        }
    }

    /// VmRSS and VmHWM of the server process, in MiB (Linux).
    fn memory(&self) -> String {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
                .map_or("?".to_string(), |kb| format!("{} MiB", kb / 1024))
        };
        format!("RSS {}, peak {}", field("VmRSS:"), field("VmHWM:"))
    }

    fn stop(mut self) {
        self.send(json!({"jsonrpc": "2.0", "id": 99, "method": "shutdown"}));
        while self.recv()["id"] != 99 {}
        self.send(json!({"jsonrpc": "2.0", "method": "exit"}));
        self.child.wait().unwrap();
    }
}

const URI: &str = "file:///nonexistent/bench/Dockerfile";

fn open(s: &mut Server, text: &str) {
    s.send(
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": {"uri": URI, "languageId": "dockerfile", "version": 1, "text": text}}}),
    );
}

fn initialize(s: &mut Server) {
    s.send(
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}),
    );
    while s.recv()["id"] != 1 {}
    s.send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
}

fn stats(mut v: Vec<Duration>) -> (Duration, Duration) {
    v.sort();
    (v[v.len() / 2], v[(v.len() * 95 / 100).min(v.len() - 1)])
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let changes: usize = args
        .iter()
        .position(|a| a == "--changes")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let large_lines: usize = args
        .iter()
        .position(|a| a == "--large-lines")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let text = document(500);
    let lines = text.lines().count();

    // In-process: the pipeline alone on the same text.
    let settings = dlint::Settings::default();
    let mut lint = Vec::new();
    for _ in 0..changes {
        let t = Instant::now();
        std::hint::black_box(dlint::check_source("Dockerfile", &text, &settings));
        lint.push(t.elapsed());
    }

    // Cold: process start, initialize, didOpen, first diagnostics.
    let mut cold = Vec::new();
    let mut found = 0;
    for _ in 0..20 {
        let t = Instant::now();
        let mut s = Server::start();
        initialize(&mut s);
        open(&mut s, &text);
        found = s.diagnostics(1);
        cold.push(t.elapsed());
        s.stop();
    }

    // Warm: didChange (full text, one character edited) to publishDiagnostics.
    let mut s = Server::start();
    initialize(&mut s);
    open(&mut s, &text);
    s.diagnostics(1);
    let mut warm = Vec::new();
    for v in 2..changes as i64 + 2 {
        let edited = text.replacen("EXPOSE 8080", &format!("EXPOSE {}", 8000 + v), 1);
        let t = Instant::now();
        s.send(
            json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": URI, "version": v}, "contentChanges": [{"text": edited}]}}),
        );
        s.diagnostics(v);
        warm.push(t.elapsed());
    }
    s.stop();

    // A large document: actions, fix-all, formatting, and memory before and after didClose.
    let large = document(large_lines);
    let mut s = Server::start();
    initialize(&mut s);
    open(&mut s, &large);
    s.diagnostics(1);
    let open_memory = s.memory();
    let doc = json!({"uri": URI});
    let actions = |only: Option<&str>| {
        json!({"textDocument": doc, "range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 0}},
            "context": {"diagnostics": [], "only": only.map(|k| vec![k])}})
    };
    let t = Instant::now();
    s.request(2, "textDocument/codeAction", actions(None));
    let plain = t.elapsed();
    let t = Instant::now();
    s.request(3, "textDocument/codeAction", actions(Some("source.fixAll")));
    let fix_all = t.elapsed();
    let t = Instant::now();
    s.request(
        4,
        "textDocument/formatting",
        json!({"textDocument": doc, "options": {"tabSize": 4, "insertSpaces": true}}),
    );
    let formatting = t.elapsed();
    s.send(json!({"jsonrpc": "2.0", "method": "textDocument/didClose", "params": {"textDocument": doc}}));
    // Answered after the close is handled.
    s.request(
        5,
        "textDocument/hover",
        json!({"textDocument": doc, "position": {"line": 0, "character": 0}}),
    );
    let closed_memory = s.memory();
    s.stop();

    let (lint_med, lint_p95) = stats(lint);
    let (cold_med, cold_p95) = stats(cold);
    let (warm_med, warm_p95) = stats(warm);
    println!(
        "document: {lines} lines, {} bytes, {found} diagnostics",
        text.len()
    );
    println!(
        "in-process lint (check_source):       median {}  p95 {}  ({} per 100 lines)",
        ms(lint_med),
        ms(lint_p95),
        ms(lint_med * 100 / lines as u32)
    );
    println!(
        "didChange -> publishDiagnostics:      median {}  p95 {}  ({changes} edits)",
        ms(warm_med),
        ms(warm_p95)
    );
    println!(
        "initialize -> first diagnostics:      median {}  p95 {}  (20 process starts)",
        ms(cold_med),
        ms(cold_p95)
    );
    println!(
        "large document: {} lines, {} bytes",
        large.lines().count(),
        large.len()
    );
    println!("  codeAction (quick fixes):           {}", ms(plain));
    println!("  codeAction only source.fixAll:      {}", ms(fix_all));
    println!("  formatting after fix-all:           {}", ms(formatting));
    println!("  memory, document open:              {open_memory}");
    println!("  memory, after didClose:             {closed_memory}");
}
