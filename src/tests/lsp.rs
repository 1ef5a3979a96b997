//! The language server, capability by capability: in-process over `lsp_server::Connection::memory`
//! (the same `serve` the binary runs), plus the binary over stdio for malformed input and exit.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::thread;
use std::time::Duration;

use dlint::lsp::Ending;
use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{json, Value};

/// A client talking to an in-process server.
struct Client {
    conn: Connection,
    server: Option<thread::JoinHandle<Result<Ending, String>>>,
    next: i32,
    /// Notifications and server requests received while waiting for a response.
    pending: Vec<Message>,
}

impl Client {
    fn start(capabilities: Value) -> Client {
        let (server, client) = Connection::memory();
        let handle = thread::spawn(move || dlint::lsp::serve(&server));
        let mut c = Client {
            conn: client,
            server: Some(handle),
            next: 0,
            pending: Vec::new(),
        };
        let init = c.request("initialize", json!({"capabilities": capabilities}));
        assert!(init.get("capabilities").is_some(), "{init}");
        c.notify("initialized", json!({}));
        c
    }

    fn notify(&self, method: &str, params: Value) {
        self.conn
            .sender
            .send(Message::Notification(Notification::new(
                method.into(),
                params,
            )))
            .unwrap();
    }

    fn recv(&self) -> Message {
        self.conn
            .receiver
            .recv_timeout(Duration::from_secs(20))
            .expect("the server answers within 20 s")
    }

    /// Send a request and wait for its response: `Ok(result)` or `Err(error)`.
    fn call(&mut self, method: &str, params: Value) -> Result<Value, Value> {
        self.next += 1;
        let id = RequestId::from(self.next);
        self.conn
            .sender
            .send(Message::Request(Request::new(
                id.clone(),
                method.into(),
                params,
            )))
            .unwrap();
        loop {
            match self.recv() {
                Message::Response(r) if r.id == id => {
                    return r
                        .response_result
                        .map_err(|e| serde_json::to_value(e).unwrap());
                }
                other => self.pending.push(other),
            }
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.call(method, params)
            .unwrap_or_else(|e| panic!("{method}: {e}"))
    }

    /// The next `publishDiagnostics` for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Value {
        if let Some(i) = self.pending.iter().position(|m| is_diagnostics(m, uri)) {
            let Message::Notification(n) = self.pending.remove(i) else {
                unreachable!()
            };
            return n.params;
        }
        loop {
            let m = self.recv();
            if is_diagnostics(&m, uri) {
                let Message::Notification(n) = m else {
                    unreachable!()
                };
                return n.params;
            }
            self.pending.push(m);
        }
    }

    fn open(&mut self, uri: &str, text: &str) -> Value {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}}),
        );
        self.diagnostics(uri)
    }

    fn stop(mut self) {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        let r = self.server.take().unwrap().join().unwrap();
        assert_eq!(r, Ok(Ending::Exit));
    }
}

fn is_diagnostics(m: &Message, uri: &str) -> bool {
    matches!(m, Message::Notification(n) if n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri)
}

fn codes(diags: &Value) -> Vec<String> {
    diags["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

/// Apply LSP text edits (UTF-16 positions) to a text, as an editor does.
fn apply(text: &str, edits: &Value) -> String {
    let offset = |p: &Value| -> usize {
        let (line, ch) = (
            p["line"].as_u64().unwrap() as usize,
            p["character"].as_u64().unwrap() as usize,
        );
        let mut start = 0;
        for _ in 0..line {
            match text[start..].find('\n') {
                Some(i) => start += i + 1,
                None => return text.len(),
            }
        }
        let mut units = 0;
        for (i, c) in text[start..].char_indices() {
            if units >= ch || c == '\n' {
                return start + i;
            }
            units += c.len_utf16();
        }
        text.len()
    };
    let mut edits: Vec<(usize, usize, String)> = edits
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (s, e, t) in edits {
        out.replace_range(s..e, &t);
    }
    out
}

fn action_edits(action: &Value, uri: &str) -> Value {
    action["edit"]["changes"][uri].clone()
}

fn range(l1: u32, c1: u32, l2: u32, c2: u32) -> Value {
    json!({"start": {"line": l1, "character": c1}, "end": {"line": l2, "character": c2}})
}

const URI: &str = "file:///nonexistent/dlint-lsp-test/Dockerfile";
const APT: &str =
    "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n";

#[test]
fn initialize_advertises_every_capability() {
    let (server, client) = Connection::memory();
    let h = thread::spawn(move || dlint::lsp::serve(&server));
    client
        .sender
        .send(Message::Request(Request::new(
            1.into(),
            "initialize".into(),
            json!({"capabilities": {}}),
        )))
        .unwrap();
    let Message::Response(r) = client.receiver.recv().unwrap() else {
        panic!()
    };
    let caps = &r.response_result.unwrap()["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["textDocumentSync"]["change"], 1, "full sync");
    assert_eq!(caps["textDocumentSync"]["openClose"], true);
    assert_eq!(caps["textDocumentSync"]["save"]["includeText"], true);
    assert_eq!(caps["hoverProvider"], true);
    assert_eq!(caps["documentFormattingProvider"], true);
    let kinds = caps["codeActionProvider"]["codeActionKinds"].to_string();
    for k in ["quickfix", "refactor.rewrite", "source.fixAll.dlint"] {
        assert!(kinds.contains(k), "{kinds}");
    }
    assert_eq!(caps["codeActionProvider"]["resolveProvider"], true);
    client
        .sender
        .send(Message::Notification(Notification::new(
            "initialized".into(),
            json!({}),
        )))
        .unwrap();
    client
        .sender
        .send(Message::Request(Request::new(
            2.into(),
            "shutdown".into(),
            Value::Null,
        )))
        .unwrap();
    assert!(matches!(client.receiver.recv().unwrap(), Message::Response(r) if r.id == 2.into()));
    client
        .sender
        .send(Message::Notification(Notification::new(
            "exit".into(),
            Value::Null,
        )))
        .unwrap();
    assert_eq!(h.join().unwrap(), Ok(Ending::Exit));
}

#[test]
fn diagnostics_follow_open_change_save_and_close() {
    let mut c = Client::start(json!({}));
    let d = c.open(URI, APT);
    assert_eq!(codes(&d), ["cache-in-layer/DL3009"]);
    assert_eq!(d["version"], 1);
    let diag = &d["diagnostics"][0];
    assert_eq!(diag["source"], "dlint");
    assert_eq!(diag["severity"], 2);
    assert_eq!(diag["range"]["start"], json!({"line": 1, "character": 4}));
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": "FROM debian:12\nCOPY --from=0 /a /b\n"}]}),
    );
    let d = c.diagnostics(URI);
    assert_eq!(d["version"], 2);
    assert_eq!(codes(&d), ["undefined-stage/DL3022"]);
    c.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": URI}, "text": "FROM debian:12\n"}),
    );
    assert_eq!(codes(&c.diagnostics(URI)), Vec::<String>::new());
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": URI}}),
    );
    assert_eq!(c.diagnostics(URI)["diagnostics"], json!([]));
    c.stop();
}

/// A document over the CLI's size limit is not linted: its diagnostics are cleared, the user is
/// told once per version, and actions, hover and formatting have nothing to offer.
#[test]
fn documents_over_the_size_limit_are_not_linted() {
    let limit = dlint::source::MAX_FILE_SIZE as usize;
    let mut big = APT.to_string();
    big.push_str(&"#".repeat(limit - big.len()));
    big.push('\n');
    assert_eq!(big.len(), limit + 1);
    let mut c = Client::start(json!({"textDocument": {"codeAction": {
        "dataSupport": true, "resolveSupport": {"properties": ["edit"]}}}}));
    assert_eq!(codes(&c.open(URI, APT)), ["cache-in-layer/DL3009"]);
    let change = |c: &mut Client, version: i32, text: &str| {
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": version}, "contentChanges": [{"text": text}]}),
        );
        c.diagnostics(URI)
    };
    let warnings = |c: &mut Client| -> Vec<Value> {
        let (warned, rest) = std::mem::take(&mut c.pending).into_iter().partition(
            |m| matches!(m, Message::Notification(n) if n.method == "window/showMessage"),
        );
        c.pending = rest;
        warned
            .into_iter()
            .map(|m| match m {
                Message::Notification(n) => n.params,
                _ => unreachable!(),
            })
            .collect()
    };

    let d = change(&mut c, 2, &big);
    assert_eq!(d["diagnostics"], json!([]), "the old ones are cleared");
    assert_eq!(d["version"], 2);
    let w = warnings(&mut c);
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0]["type"], 2, "a warning");
    assert_eq!(
        w[0]["message"],
        format!(
            "dlint: /nonexistent/dlint-lsp-test/Dockerfile is {} bytes, more than the {limit}-byte limit; it is not linted",
            limit + 1
        )
    );
    // Saving the same version tells nobody again.
    c.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": URI}, "text": big}),
    );
    assert_eq!(c.diagnostics(URI)["diagnostics"], json!([]));
    assert_eq!(
        c.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": range(1, 6, 1, 6), "context": {"diagnostics": []}}),
        ),
        json!([])
    );
    assert_eq!(
        c.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": 1, "character": 10}}),
        ),
        Value::Null
    );
    assert_eq!(
        c.request(
            "textDocument/formatting",
            json!({"textDocument": {"uri": URI}, "options": {"tabSize": 4, "insertSpaces": true}}),
        ),
        Value::Null
    );
    assert!(warnings(&mut c).is_empty());
    // A new version that is still too large: told again.
    assert_eq!(change(&mut c, 3, &big)["diagnostics"], json!([]));
    assert_eq!(warnings(&mut c).len(), 1);
    // Back under the limit, it is linted again.
    assert_eq!(codes(&change(&mut c, 4, APT)), ["cache-in-layer/DL3009"]);
    c.stop();
}

/// `didClose` forgets the document: its text and its lint are gone, so nothing is offered for
/// it any more (the memory given back is measured by `cargo bench --bench lsp`).
#[test]
fn closing_a_document_forgets_its_text_and_lint() {
    let mut c = Client::start(json!({"textDocument": {"codeAction": {
        "dataSupport": true, "resolveSupport": {"properties": ["edit"]}}}}));
    c.open(URI, APT);
    let hover = json!({"textDocument": {"uri": URI}, "position": {"line": 1, "character": 10}});
    let actions = json!({"textDocument": {"uri": URI}, "range": range(1, 6, 1, 6), "context": {"diagnostics": []}});
    assert!(c.request("textDocument/hover", hover.clone()).is_object());
    let acts = c.request("textDocument/codeAction", actions.clone());
    let all = acts
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kind"] == "source.fixAll.dlint")
        .unwrap()
        .clone();
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": URI}}),
    );
    assert_eq!(c.diagnostics(URI)["diagnostics"], json!([]));
    assert_eq!(c.request("textDocument/hover", hover), Value::Null);
    assert_eq!(c.request("textDocument/codeAction", actions), json!([]));
    assert_eq!(
        c.call("codeAction/resolve", all).unwrap_err()["code"],
        -32801
    );
    c.stop();
}

#[test]
fn quick_fix_fix_all_and_suppressions() {
    let mut c = Client::start(json!({}));
    let text = "# syntax=docker/dockerfile:1\nFROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nRUN apk add git\n";
    c.open(URI, text);
    let acts = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": range(2, 6, 2, 6), "context": {"diagnostics": []}}),
    );
    let titles: Vec<&str> = acts
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert!(
        titles
            .iter()
            .any(|t| t.contains("rm -rf /var/lib/apt/lists")),
        "{titles:?}"
    );
    assert!(
        titles.contains(&"Suppress `cache-in-layer` for this line"),
        "{titles:?}"
    );
    assert!(
        titles.contains(&"Suppress `cache-in-layer` for this file"),
        "{titles:?}"
    );
    // A client that cannot resolve the edit gets fix-all only when it asks for the kind.
    assert!(
        !titles.contains(&"Fix all safe problems (dlint)"),
        "{titles:?}"
    );
    let find = |t: &str| {
        acts.as_array()
            .unwrap()
            .iter()
            .find(|a| a["title"].as_str().unwrap().contains(t))
            .unwrap()
            .clone()
    };

    let quick = find("rm -rf");
    assert_eq!(quick["kind"], "quickfix");
    assert_eq!(quick["isPreferred"], true);
    assert_eq!(quick["diagnostics"][0]["code"], "cache-in-layer/DL3009");
    let fixed = apply(text, &action_edits(&quick, URI));
    assert!(
        fixed.contains("install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n"),
        "{fixed}"
    );
    assert!(
        fixed.contains("RUN apk add git\n"),
        "only this diagnostic's fix: {fixed}"
    );

    let line = apply(text, &action_edits(&find("for this line"), URI));
    assert!(
        line.contains("FROM debian:12\n# dlint ignore=cache-in-layer\nRUN apt-get"),
        "{line}"
    );
    let file = apply(text, &action_edits(&find("for this file"), URI));
    assert!(
        file.starts_with("# syntax=docker/dockerfile:1\n# dlint global ignore=cache-in-layer\n"),
        "after the directive: {file}"
    );
    // The suppressed texts have no such finding any more.
    for t in [&line, &file] {
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": 3}, "contentChanges": [{"text": t}]}),
        );
        let d = c.diagnostics(URI);
        let remaining = codes(&d);
        assert!(
            remaining
                .iter()
                .filter(|x| *x == "cache-in-layer/DL3009")
                .count()
                < 2,
            "{remaining:?}"
        );
    }

    // `only` filters by kind, and asking for `source.fixAll` (or `source`) brings fix-all.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 4}, "contentChanges": [{"text": text}]}),
    );
    c.diagnostics(URI);
    let settings = dlint::Settings::default();
    let cli = dlint::fix_source("Dockerfile", text, &settings, false).fixed;
    for kind in ["source.fixAll", "source"] {
        let only = c.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": range(0, 0, 0, 0), "context": {"diagnostics": [], "only": [kind]}}),
        );
        assert_eq!(only.as_array().unwrap().len(), 1, "{kind}: {only}");
        let all = &only[0];
        assert_eq!(all["title"], "Fix all safe problems (dlint)");
        assert_eq!(all["kind"], "source.fixAll.dlint");
        let everything = apply(text, &action_edits(all, URI));
        assert_eq!(everything, cli, "fix-all equals `dlint --fix`");
    }
    c.stop();
}

/// A client that resolves code actions gets fix-all without its edit (the converge loop runs
/// only when the action is picked), and `codeAction/resolve` fills it in for that version.
#[test]
fn fix_all_is_resolved_when_the_client_can() {
    let mut c = Client::start(json!({"textDocument": {"codeAction": {
        "dataSupport": true, "resolveSupport": {"properties": ["edit"]}}}}));
    let text = APT;
    c.open(URI, text);
    let acts = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": range(1, 6, 1, 6), "context": {"diagnostics": []}}),
    );
    let all = acts
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kind"] == "source.fixAll.dlint")
        .expect("fix-all in a plain request")
        .clone();
    assert_eq!(all["title"], "Fix all safe problems (dlint)");
    assert!(all.get("edit").is_none(), "{all}");
    assert_eq!(all["data"], json!({"uri": URI, "version": 1}));
    // Quick fixes keep their edits.
    let quick = acts
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kind"] == "quickfix" && a["isPreferred"] == true)
        .unwrap()
        .clone();
    assert!(quick["edit"].is_object(), "{quick}");

    let resolved = c.request("codeAction/resolve", all.clone());
    let cli = dlint::fix_source("Dockerfile", text, &dlint::Settings::default(), false).fixed;
    assert_eq!(apply(text, &action_edits(&resolved, URI)), cli);
    assert_eq!(resolved["title"], all["title"]);
    // Formatting shares the same converge run.
    let formatted = c.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": URI}, "options": {"tabSize": 4, "insertSpaces": true}}),
    );
    assert_eq!(apply(text, &formatted), cli);
    // An action without dlint's data comes back as it is.
    assert_eq!(c.request("codeAction/resolve", quick.clone()), quick);

    // Once the document changed, the old action's edit would be wrong: ContentModified.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends git\n"}]}),
    );
    c.diagnostics(URI);
    let e = c.call("codeAction/resolve", all).unwrap_err();
    assert_eq!(e["code"], -32801, "{e}");
    c.stop();
}

#[test]
fn convert_to_a_multi_stage_build() {
    let mut c = Client::start(json!({}));
    let text = "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /usr/local/bin/app .\nCMD [\"app\"]\n";
    let d = c.open(URI, text);
    assert_eq!(codes(&d), ["single-stage-build"]);
    assert!(d["diagnostics"][0]["message"]
        .as_str()
        .unwrap()
        .contains("the runtime stage will be `gcr.io/distroless/static-debian12`"));
    let acts = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": range(0, 0, 0, 4), "context": {"diagnostics": []}}),
    );
    let conv = acts
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kind"] == "refactor.rewrite")
        .expect("a conversion action")
        .clone();
    assert!(conv["title"]
        .as_str()
        .unwrap()
        .starts_with("Convert to a multi-stage build"));
    let converted = apply(text, &action_edits(&conv, URI));
    assert!(
        converted.starts_with("FROM golang:1.22 AS build\n"),
        "{converted}"
    );
    assert!(
        converted.contains("\nFROM gcr.io/distroless/static-debian12\n"),
        "{converted}"
    );
    assert!(
        converted.ends_with("CMD [\"/usr/local/bin/app\"]\n"),
        "{converted}"
    );
    c.stop();
}

#[test]
fn hover_shows_rule_docs_and_instruction_reference() {
    let mut c = Client::start(json!({}));
    c.open(URI, APT);
    let h = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": 1, "character": 10}}),
    );
    let v = h["contents"]["value"].as_str().unwrap();
    assert!(v.starts_with("# cache-in-layer"), "{v}");
    assert_eq!(h["contents"]["kind"], "markdown");
    let h = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 2}}),
    );
    let v = h["contents"]["value"].as_str().unwrap();
    assert!(
        v.contains("FROM [--platform=<platform>] <image> [AS <name>]"),
        "{v}"
    );
    assert_eq!(h["range"], range(0, 0, 0, 4));
    let none = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 9}}),
    );
    assert_eq!(none, Value::Null);
    c.stop();
}

#[test]
fn formatting_applies_safe_fixes() {
    let mut c = Client::start(json!({}));
    let text = "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nFROM alpine AS x\nCOPY --from=0 /a /b\n";
    c.open(URI, text);
    let edits = c.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": URI}, "options": {"tabSize": 4, "insertSpaces": true}}),
    );
    let formatted = apply(text, &edits);
    let cli = dlint::fix_source("Dockerfile", text, &dlint::Settings::default(), false).fixed;
    assert_eq!(formatted, cli);
    assert_ne!(formatted, text);
    // A clean document formats to no edits.
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": "FROM debian:12\n"}]}));
    c.diagnostics(URI);
    let none = c.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": URI}, "options": {"tabSize": 4, "insertSpaces": true}}),
    );
    assert_eq!(none, json!([]));
    c.stop();
}

#[test]
fn settings_come_from_dlint_toml_and_reload_when_it_changes() {
    let dir = crate::common::TempDir::new("lsp-config");
    let df = dir.write("app/Dockerfile", APT);
    let uri = url::Url::from_file_path(&df).unwrap().to_string();
    dir.write("dlint.toml", "ignore = [\"cache-in-layer\"]\n");
    let mut c = Client::start(
        json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}}),
    );
    let d = c.open(&uri, APT);
    assert!(codes(&d).is_empty(), "the config's ignore applies: {d}");
    // The server asked to watch the config files.
    let reg = c
        .pending
        .iter()
        .find_map(|m| match m {
            Message::Request(r) if r.method == "client/registerCapability" => {
                Some(r.params.clone())
            }
            _ => None,
        })
        .expect("a watcher registration");
    assert!(reg.to_string().contains("dlint.toml"), "{reg}");
    dir.write("dlint.toml", "select = [\"all\"]\n");
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": url::Url::from_file_path(dir.0.join("dlint.toml")).unwrap().to_string(), "type": 2}]}),
    );
    assert_eq!(
        codes(&c.diagnostics(&uri)),
        ["cache-in-layer/DL3009", "unpinned-apt-package/DL3008"]
    );
    // A broken config is reported and the defaults are used.
    dir.write("dlint.toml", "select = [\"no-such-rule\"]\n");
    c.notify("workspace/didChangeWatchedFiles", json!({"changes": []}));
    let d = c.diagnostics(&uri);
    assert_eq!(codes(&d), ["cache-in-layer/DL3009"]);
    assert!(
        c.pending.iter().any(|m| matches!(m, Message::Notification(n) if n.method == "window/showMessage" && n.params.to_string().contains("no-such-rule"))),
        "{:?}",
        c.pending
    );
    c.stop();
}

#[test]
fn utf16_positions_with_non_ascii_text() {
    let mut c = Client::start(json!({}));
    // `é` is 2 bytes / 1 unit, `😀` 4 bytes / 2 units: the finding starts at UTF-16 column 12.
    let text = "FROM debian:12\nLABEL a=\"é😀\"\nCOPY --from=0 /a /b\n";
    let d = c.open(URI, text);
    assert_eq!(codes(&d), ["undefined-stage/DL3022"]);
    assert_eq!(
        d["diagnostics"][0]["range"]["start"],
        json!({"line": 2, "character": 12})
    );
    let text =
        "FROM debian:12 AS é😀\nRUN echo ünï😀 && apt-get update && apt-get install -y --no-install-recommends curl\n";
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": text}]}),
    );
    let d = c.diagnostics(URI);
    assert_eq!(codes(&d), ["cache-in-layer/DL3009"]);
    let acts = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": range(1, 30, 1, 30), "context": {"diagnostics": []}}),
    );
    let q = acts
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kind"] == "quickfix" && a["isPreferred"] == true)
        .expect("the cache fix");
    // The edit lands at the end of the line, after the non-ASCII text.
    assert_eq!(
        q["edit"]["changes"][URI][0]["range"]["start"],
        json!({"line": 1, "character": 83})
    );
    let fixed = apply(text, &action_edits(q, URI));
    assert_eq!(
        fixed,
        "FROM debian:12 AS é😀\nRUN echo ünï😀 && apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n"
    );
    c.stop();
}

#[test]
fn bad_params_and_unknown_methods_get_errors_and_the_server_goes_on() {
    let mut c = Client::start(json!({}));
    let e = c
        .call("textDocument/hover", json!({"nope": 1}))
        .unwrap_err();
    assert_eq!(e["code"], -32602);
    let e = c.call("workspace/unknownThing", json!({})).unwrap_err();
    assert_eq!(e["code"], -32601);
    // A document that is not open has no actions, hover or formatting.
    assert_eq!(
        c.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": "file:///x"}, "position": {"line": 0, "character": 0}})
        ),
        Value::Null
    );
    assert_eq!(codes(&c.open(URI, APT)), ["cache-in-layer/DL3009"]);
    c.stop();
}

/// After `shutdown`, requests get `InvalidRequest` (-32600), notifications other than `exit`
/// are ignored, and `exit` ends the server.
#[test]
fn requests_after_shutdown_get_invalid_request_and_exit_ends_the_server() {
    let mut c = Client::start(json!({}));
    assert_eq!(c.request("shutdown", Value::Null), Value::Null);
    let e = c
        .call(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}}),
        )
        .unwrap_err();
    assert_eq!(e["code"], -32600, "{e}");
    assert!(
        e["message"].as_str().unwrap().contains("after `shutdown`"),
        "{e}"
    );
    // Ignored: no diagnostics come before the answer to the next request.
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "dockerfile", "version": 1, "text": APT}}),
    );
    assert_eq!(c.call("shutdown", Value::Null).unwrap_err()["code"], -32600);
    assert!(
        !c.pending.iter().any(|m| is_diagnostics(m, URI)),
        "{:?}",
        c.pending
    );
    c.notify("exit", Value::Null);
    let r = c.server.take().unwrap().join().unwrap();
    assert_eq!(r, Ok(Ending::Exit));
}

/// `exit` without `shutdown` ends the server too, with exit code 1 (the LSP specification).
#[test]
fn exit_without_shutdown_ends_the_server_with_exit_code_1() {
    let mut c = Client::start(json!({}));
    c.notify("exit", Value::Null);
    let r = c.server.take().unwrap().join().unwrap();
    assert_eq!(r, Ok(Ending::ExitWithoutShutdown));
    assert_eq!(Ending::ExitWithoutShutdown.exit_code(), 1);
    assert_eq!(Ending::Exit.exit_code(), 0);

    let mut b = Binary::start();
    b.write(&frame(&json!({"jsonrpc": "2.0", "method": "exit"})));
    assert_eq!(b.wait().code(), Some(1));
}

/// The binary over stdio: malformed frames and bodies are answered, then `shutdown` + `exit`
/// end the process with status 0.
#[test]
fn the_binary_survives_malformed_messages_and_exits_cleanly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dlint"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let frame = |body: &str| format!("Content-Length: {}\r\n\r\n{body}", body.len());
    let mut input = String::new();
    input +=
        &frame(r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#);
    input += &frame(r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#);
    input += &frame("{this is not json");
    input += &frame(r#"{"jsonrpc":"2.0","id":"x"}"#);
    input += &frame(
        r#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///nonexistent/Dockerfile","languageId":"dockerfile","version":1,"text":"FROM a:1\nCOPY --from=0 /a /b\n"}}}"#,
    );
    input += &frame(r#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#);
    input += &frame(r#"{"jsonrpc":"2.0","method":"exit"}"#);
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let status = child.wait().unwrap();
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    assert!(status.success(), "{status:?}");
    let bodies: Vec<Value> = out
        .split("Content-Length: ")
        .filter(|p| !p.is_empty())
        .map(|p| serde_json::from_str(p.split_once("\r\n\r\n").unwrap().1).unwrap())
        .collect();
    let parse = bodies
        .iter()
        .find(|b| b["error"]["code"] == -32700)
        .expect("a parse error answer");
    assert_eq!(parse["id"], Value::Null);
    let invalid = bodies
        .iter()
        .find(|b| b["error"]["code"] == -32600)
        .expect("an invalid request answer");
    assert_eq!(invalid["id"], "x");
    assert!(bodies
        .iter()
        .any(|b| b["method"] == "textDocument/publishDiagnostics"
            && b["params"]["diagnostics"][0]["code"] == "undefined-stage/DL3022"));
    assert!(bodies
        .iter()
        .any(|b| b["id"] == 2 && b.get("result").is_some()));
}

/// `dlint lsp` as a child process, its answers read on a thread so that every wait has a
/// timeout: a server that hangs fails the test instead of blocking it.
struct Binary {
    child: std::process::Child,
    stdin: Option<std::process::ChildStdin>,
    out: std::sync::mpsc::Receiver<Value>,
}

impl Binary {
    /// Start the server and initialize it.
    fn start() -> Binary {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dlint"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, out) = std::sync::mpsc::channel();
        thread::spawn(move || {
            use std::io::BufRead;
            let mut r = std::io::BufReader::new(stdout);
            loop {
                let mut len = None;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    match line.trim_end().strip_prefix("Content-Length: ") {
                        Some(n) => len = n.parse::<usize>().ok(),
                        None if line.trim_end().is_empty() => break,
                        None => {}
                    }
                }
                let mut body = vec![0; len.expect("the server's frames have a length")];
                if r.read_exact(&mut body).is_err() {
                    return;
                }
                if tx.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        let stdin = child.stdin.take();
        let mut b = Binary { child, stdin, out };
        b.write(&frame(
            &json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}),
        ));
        b.answer(1);
        b.write(&frame(
            &json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
        ));
        b
    }

    /// Write raw bytes (frames or anything else) to the server's stdin.
    fn write(&mut self, bytes: &str) {
        let stdin = self.stdin.as_mut().unwrap();
        stdin.write_all(bytes.as_bytes()).unwrap();
        stdin.flush().unwrap();
    }

    fn next(&self) -> Value {
        self.out
            .recv_timeout(Duration::from_secs(20))
            .expect("the server answers within 20 s")
    }

    /// Messages up to the response to `id`, which is last.
    fn until_answer(&self, id: i64) -> Vec<Value> {
        let mut seen = Vec::new();
        loop {
            let m = self.next();
            let done = m["id"] == id && m.get("method").is_none();
            seen.push(m);
            if done {
                return seen;
            }
        }
    }

    fn answer(&self, id: i64) -> Value {
        self.until_answer(id).pop().unwrap()
    }

    /// `shutdown`, `exit` and the exit status (within 20 s).
    fn finish(mut self) -> std::process::ExitStatus {
        self.write(&frame(
            &json!({"jsonrpc": "2.0", "id": 999, "method": "shutdown"}),
        ));
        assert_eq!(self.answer(999)["result"], Value::Null);
        self.write(&frame(&json!({"jsonrpc": "2.0", "method": "exit"})));
        self.wait()
    }

    fn wait(&mut self) -> std::process::ExitStatus {
        for _ in 0..200 {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            thread::sleep(Duration::from_millis(100));
        }
        panic!("the server did not exit within 20 s");
    }
}

impl Drop for Binary {
    fn drop(&mut self) {
        // A failed test leaves the server running: stop it.
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn frame(v: &Value) -> String {
    let body = v.to_string();
    format!("Content-Length: {}\r\n\r\n{body}", body.len())
}

/// A hover request with id `id` on `URI` at the `RUN` line's `apt-get`.
fn hover(id: i64) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/hover", "params": {
        "textDocument": {"uri": URI}, "position": {"line": 1, "character": 10}}})
}

fn did_open(text: &str) -> Value {
    json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": URI, "languageId": "dockerfile", "version": 1, "text": text}}})
}

fn parse_errors(messages: &[Value]) -> usize {
    messages
        .iter()
        .filter(|m| m["error"]["code"] == -32700 && m["id"] == Value::Null)
        .count()
}

/// A `Content-Length` larger than its body: the body ends with its JSON value, and the next
/// message is read, not swallowed.
#[test]
fn a_too_large_content_length_does_not_swallow_the_next_message() {
    let mut b = Binary::start();
    let open = did_open(APT).to_string();
    b.write(&format!(
        "Content-Length: {}\r\n\r\n{open}{}",
        open.len() + 5000,
        frame(&hover(2))
    ));
    let seen = b.until_answer(2);
    assert!(
        seen.iter()
            .any(|m| m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["diagnostics"][0]["code"] == "cache-in-layer/DL3009"),
        "the short body was read: {seen:?}"
    );
    let hover = seen.last().unwrap();
    assert!(
        hover["result"]["contents"]["value"]
            .as_str()
            .is_some_and(|v| v.starts_with("# cache-in-layer")),
        "{hover}"
    );
    assert!(b.finish().success());
}

/// A `Content-Length` larger than anything that follows: the server answers the body it got
/// instead of waiting for bytes that never come.
#[test]
fn a_too_large_content_length_with_nothing_after_it_is_answered() {
    let mut b = Binary::start();
    let shutdown = json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}).to_string();
    b.write(&format!("Content-Length: 1000000\r\n\r\n{shutdown}"));
    // stdin stays open: only the end of the JSON value can end the body.
    assert_eq!(b.answer(2)["result"], Value::Null);
    b.write(&frame(&json!({"jsonrpc": "2.0", "method": "exit"})));
    assert_eq!(b.wait().code(), Some(0));
}

/// A body that is not JSON (with a length too large, so it would swallow the next message):
/// a parse error, then the next message is answered.
#[test]
fn a_garbage_body_is_answered_and_the_next_message_read() {
    let mut b = Binary::start();
    b.write(&format!(
        "Content-Length: 4000\r\n\r\nthis is not json\r\n{}{}",
        frame(&did_open(APT)),
        frame(&hover(2))
    ));
    let seen = b.until_answer(2);
    assert_eq!(parse_errors(&seen), 1, "{seen:?}");
    assert!(seen.last().unwrap()["result"]["contents"]["value"]
        .as_str()
        .is_some_and(|v| v.starts_with("# cache-in-layer")));
    assert!(b.finish().success());
}

/// A header line with no colon in a frame's header: a parse error for that frame, then the
/// next message is answered.
#[test]
fn a_header_line_without_a_colon_is_answered_and_the_next_message_read() {
    let mut b = Binary::start();
    let lost = hover(3).to_string();
    b.write(&format!(
        "Content-Length: {}\r\nthis is no header\r\n\r\n{lost}{}{}",
        lost.len(),
        frame(&did_open(APT)),
        frame(&hover(2))
    ));
    let seen = b.until_answer(2);
    assert_eq!(parse_errors(&seen), 1, "{seen:?}");
    let error = seen.iter().find(|m| m["error"]["code"] == -32700).unwrap();
    assert!(
        error["error"]["message"]
            .as_str()
            .unwrap()
            .contains("malformed header `this is no header`"),
        "{error}"
    );
    assert!(seen.last().unwrap()["result"].is_object(), "{seen:?}");
    assert!(b.finish().success());
}

/// A header line far longer than any header (1 MiB, streamed): discarded as it arrives,
/// answered with a parse error, and the next message is answered.
#[test]
fn an_overlong_header_line_is_discarded_and_the_next_message_read() {
    let mut b = Binary::start();
    b.write(&format!("X-Junk: {}", "x".repeat(1 << 20)));
    b.write(&format!("\r\n{}", frame(&hover(2))));
    let seen = b.until_answer(2);
    assert_eq!(parse_errors(&seen), 1, "{seen:?}");
    assert!(seen.iter().any(|m| m["error"]["message"]
        .as_str()
        .is_some_and(|t| t.contains("header line longer than"))));
    assert_eq!(seen.last().unwrap()["result"], Value::Null, "{seen:?}");
    assert!(b.finish().success());
}

#[test]
fn end_of_input_without_exit_ends_the_server() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dlint"))
        .arg("server")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdin.take());
    let status = child.wait().unwrap();
    // No initialize ever came: the server stops with a protocol error, not a hang or a panic.
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert_eq!(status.code(), Some(2), "{err}");
    assert!(err.contains("error[dlint::lsp]"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

/// A real editor: Neovim (Debian's 0.7) headless attaches `dlint lsp` to a Dockerfile buffer,
/// gets the diagnostics, applies a code action and sees the re-lint (testdata/lsp/neovim-e2e.lua).
#[test]
fn neovim_shows_diagnostics_and_applies_a_code_action() {
    if !crate::common::gated("Neovim") {
        return;
    }
    let nvim =
        which("nvim").expect("Neovim is needed: `apt-get install neovim` (.ci/run installs it)");
    let dir = crate::common::TempDir::new("lsp-nvim");
    let text = "FROM debian:12\n# Ünïcödé 😀 before the finding\nRUN echo 'héllo 😀' && apt-get update && apt-get install -y --no-install-recommends curl\nCOPY --from=0 /a /b\n";
    let file = dir.write("Dockerfile", text);
    let out = dir.0.join("result.json");
    let script = crate::common::root().join("testdata/lsp/neovim-e2e.lua");
    let status = Command::new(nvim)
        .args(["--headless", "-u", "NONE", "-i", "NONE", "-n", "-c"])
        .arg(format!("luafile {}", script.display()))
        .env("DLINT", env!("CARGO_BIN_EXE_dlint"))
        .env("FILE", &file)
        .env("OUT", &out)
        .env("XDG_STATE_HOME", dir.0.join("state"))
        .env("XDG_DATA_HOME", dir.0.join("data"))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let result: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap_or_else(|_| {
        panic!(
            "nvim wrote no result: {}",
            String::from_utf8_lossy(&status.stderr)
        )
    }))
    .unwrap();
    assert_eq!(result["ok"], true, "{result}");
    let before: Vec<&str> = result["before"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(
        before.contains(&"cache-in-layer/DL3009") && before.contains(&"undefined-stage/DL3022"),
        "{result}"
    );
    let cache = result["before"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "cache-in-layer/DL3009")
        .unwrap();
    // Neovim's columns are byte offsets in its buffer: `apt-get` after the non-ASCII echo.
    assert_eq!(cache["lnum"], 2);
    assert_eq!(
        cache["col"].as_u64().unwrap() as usize,
        text.lines().nth(2).unwrap().find("apt-get").unwrap()
    );
    assert_eq!(cache["source"], "dlint");
    assert_eq!(
        result["lines"][2],
        "RUN echo 'héllo 😀' && apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*"
    );
    let after: Vec<&str> = result["after"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(after, ["undefined-stage/DL3022"], "{result}");
    assert!(
        result["hover"]
            .as_str()
            .unwrap_or("")
            .contains("FROM [--platform"),
        "{result}"
    );
}

fn which(name: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join(name))
            .find(|f| f.is_file())
    })
}

/// The Neovim setup shipped in editors/neovim (init.lua) with its check script: diagnostics
/// arrive and formatting applies the safe fix, with `dlint` found on PATH as users install it.
#[test]
fn the_shipped_neovim_setup_works() {
    if !crate::common::gated("Neovim") {
        return;
    }
    let nvim =
        which("nvim").expect("Neovim is needed: `apt-get install neovim` (.ci/run installs it)");
    let dir = crate::common::TempDir::new("lsp-nvim-setup");
    let file = dir.write("Dockerfile", APT);
    let root = crate::common::root();
    let bin_dir = std::path::Path::new(env!("CARGO_BIN_EXE_dlint"))
        .parent()
        .unwrap()
        .to_path_buf();
    let path = std::env::join_paths(std::iter::once(bin_dir).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .unwrap();
    let out = Command::new(nvim)
        .arg("--headless")
        .arg("-u")
        .arg(root.join("editors/neovim/init.lua"))
        .args(["-i", "NONE", "-n", "-c"])
        .arg(format!(
            "luafile {}",
            root.join("editors/neovim/check.lua").display()
        ))
        .arg(&file)
        .env("PATH", path)
        .env("XDG_STATE_HOME", dir.0.join("state"))
        .env("XDG_DATA_HOME", dir.0.join("data"))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("2:5: dlint[cache-in-layer/DL3009]"),
        "{stdout}"
    );
    assert!(
        stdout.contains("formatted:\nFROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n"),
        "{stdout}"
    );
}
