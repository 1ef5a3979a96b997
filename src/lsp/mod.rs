//! `dlint lsp`: the language server. The only module that knows lsp-server / lsp-types; it runs
//! the same pipeline as the CLI (`check_source`, `fix_source`) on open buffers, with the settings
//! of the nearest `dlint.toml`, reloaded when the client reports it changed.
//!
//! One handler per request or notification: diagnostics on open/change/save ([`Server::publish`]),
//! code actions, their resolution and formatting ([`actions`]), hover ([`hover`]); positions are
//! UTF-16 ([`position`]); the stdio transport answers malformed messages ([`transport`]).

pub mod actions;
pub mod hover;
pub mod position;
pub mod transport;

use std::cell::OnceCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types as lsp;
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;

use crate::config::{Config, Resolver};
use crate::model::Dockerfile;
use crate::{FileResult, Settings};

/// Config files whose change reloads the settings.
const CONFIG_GLOB: &str = "**/{dlint.toml,.dlint.toml,.hadolint.yaml,.hadolint.yml}";

struct Document {
    /// The text; empty for a document over the size limit, which is neither kept nor linted.
    text: String,
    /// The size of the text the client sent, in bytes.
    size: usize,
    version: i32,
    /// The file on disk, for `file:` URIs.
    path: Option<PathBuf>,
    /// The lint of the current text, shared by publish, code actions, hover and formatting;
    /// dropped when the text or the configuration changes.
    linted: Option<Rc<Linted>>,
    /// The last version the user was told is too large to lint.
    warned: Option<i32>,
}

impl Document {
    fn new(text: String, version: i32, path: Option<PathBuf>) -> Document {
        let mut d = Document {
            text: String::new(),
            size: 0,
            version,
            path,
            linted: None,
            warned: None,
        };
        d.set_text(text);
        d
    }

    fn set_text(&mut self, text: String) {
        self.size = text.len();
        self.text = if self.too_large() {
            String::new()
        } else {
            text
        };
        self.linted = None;
    }

    /// Larger than the CLI would read ([`crate::source::MAX_FILE_SIZE`]): not linted.
    fn too_large(&self) -> bool {
        self.size as u64 > crate::source::MAX_FILE_SIZE
    }

    /// The name diagnostics and messages use: the path, else the URI.
    fn name(&self, uri: &lsp::Uri) -> String {
        self.path
            .as_ref()
            .map_or_else(|| uri.as_str().to_string(), |p| p.display().to_string())
    }
}

/// One lint of a document.
struct Linted {
    result: FileResult,
    model: Dockerfile,
    settings: Settings,
    version: i32,
    /// Every safe fix through the converge loop (formatting, fix-all), run on first use.
    fixed: OnceCell<Vec<lsp::TextEdit>>,
}

impl Linted {
    fn fix_edits(&self) -> &[lsp::TextEdit] {
        self.fixed
            .get_or_init(|| actions::safe_fix_edits(&self.result, &self.settings))
    }
}

/// What a fix-all action without its edit carries to `codeAction/resolve`.
#[derive(serde::Serialize, serde::Deserialize)]
struct FixAllData {
    uri: lsp::Uri,
    version: i32,
}

/// The server's state: open documents and the configuration per directory.
pub struct Server<'c> {
    conn: &'c Connection,
    docs: HashMap<String, Document>,
    /// Configurations and build contexts per directory, as the CLI resolves them.
    resolver: Resolver,
    next_id: i32,
    /// The client resolves a code action's `edit` (and keeps its `data`): fix-all is offered
    /// without its edit.
    resolve_edits: bool,
}

/// The capabilities dlint offers.
pub fn capabilities() -> lsp::ServerCapabilities {
    lsp::ServerCapabilities {
        position_encoding: Some(lsp::PositionEncodingKind::UTF16),
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
            lsp::TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(lsp::TextDocumentSyncKind::FULL),
                will_save: None,
                will_save_wait_until: None,
                save: Some(lsp::TextDocumentSyncSaveOptions::SaveOptions(
                    lsp::SaveOptions {
                        include_text: Some(true),
                    },
                )),
            },
        )),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
            lsp::CodeActionOptions {
                code_action_kinds: Some(vec![
                    lsp::CodeActionKind::QUICKFIX,
                    lsp::CodeActionKind::REFACTOR_REWRITE,
                    lsp::CodeActionKind::new(actions::FIX_ALL),
                ]),
                work_done_progress_options: Default::default(),
                // Fix-all's edit, for the clients that can resolve it.
                resolve_provider: Some(true),
            },
        )),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        document_formatting_provider: Some(lsp::OneOf::Left(true)),
        ..Default::default()
    }
}

/// How a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// `exit` after `shutdown`.
    Exit,
    /// `exit` without `shutdown` before it.
    ExitWithoutShutdown,
    /// The client closed the connection without `exit`.
    Disconnected,
}

impl Ending {
    /// The process exit code: 1 for `exit` without `shutdown`, as the LSP specification asks.
    pub fn exit_code(self) -> u8 {
        match self {
            Ending::ExitWithoutShutdown => 1,
            Ending::Exit | Ending::Disconnected => 0,
        }
    }
}

/// Serve over stdin/stdout until `exit`.
pub fn run_stdio() -> Result<Ending, String> {
    let (conn, threads) = transport::stdio();
    let r = serve(&conn);
    drop(conn);
    threads.join().map_err(|e| e.to_string())?;
    r
}

/// Run the protocol on a connection: initialize, then the message loop until `exit` (or the end
/// of the connection).
pub fn serve(conn: &Connection) -> Result<Ending, String> {
    let caps = serde_json::to_value(capabilities()).map_err(|e| e.to_string())?;
    let init = conn.initialize(caps).map_err(|e| e.to_string())?;
    let params: lsp::InitializeParams = serde_json::from_value(init).unwrap_or_default();
    let mut server = Server {
        conn,
        docs: HashMap::new(),
        resolver: Resolver::default(),
        next_id: 0,
        resolve_edits: resolves_edits(&params),
    };
    server.register_watchers(&params);
    server.main_loop()
}

/// Whether the client can resolve a code action's `edit`, keeping its `data` meanwhile.
fn resolves_edits(params: &lsp::InitializeParams) -> bool {
    let Some(ca) = params
        .capabilities
        .text_document
        .as_ref()
        .and_then(|t| t.code_action.as_ref())
    else {
        return false;
    };
    ca.data_support == Some(true)
        && ca
            .resolve_support
            .as_ref()
            .is_some_and(|r| r.properties.iter().any(|p| p == "edit"))
}

fn uri_path(uri: &lsp::Uri) -> Option<PathBuf> {
    url::Url::parse(uri.as_str()).ok()?.to_file_path().ok()
}

impl Server<'_> {
    fn send(&self, m: Message) {
        // The client is gone when this fails; the loop ends on the closed receiver.
        let _ = self.conn.sender.send(m);
    }

    fn notify<N: lsp::notification::Notification>(&self, params: N::Params) {
        self.send(Message::Notification(Notification::new(
            N::METHOD.to_string(),
            params,
        )));
    }

    /// Ask the client to watch the config files, when it can register watchers dynamically.
    fn register_watchers(&mut self, params: &lsp::InitializeParams) {
        let dynamic = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false);
        if !dynamic {
            return;
        }
        let options = lsp::DidChangeWatchedFilesRegistrationOptions {
            watchers: vec![lsp::FileSystemWatcher {
                glob_pattern: lsp::GlobPattern::String(CONFIG_GLOB.into()),
                kind: None,
            }],
        };
        let reg = lsp::Registration {
            id: "dlint-config".into(),
            method: lsp::notification::DidChangeWatchedFiles::METHOD.into(),
            register_options: serde_json::to_value(options).ok(),
        };
        self.next_id += 1;
        self.send(Message::Request(Request::new(
            RequestId::from(format!("dlint-{}", self.next_id)),
            lsp::request::RegisterCapability::METHOD.into(),
            lsp::RegistrationParams {
                registrations: vec![reg],
            },
        )));
    }

    /// The message loop. After `shutdown`, requests get an `InvalidRequest` error and
    /// notifications other than `exit` are ignored.
    fn main_loop(&mut self) -> Result<Ending, String> {
        let mut shut_down = false;
        while let Ok(msg) = self.conn.receiver.recv() {
            match msg {
                Message::Request(req) if shut_down => {
                    self.send(Message::Response(Response::new_err(
                        req.id,
                        ErrorCode::InvalidRequest as i32,
                        format!("`{}` after `shutdown`: only `exit` is expected", req.method),
                    )))
                }
                Message::Request(req) if req.method == lsp::request::Shutdown::METHOD => {
                    shut_down = true;
                    self.send(ok(req.id, ()));
                }
                Message::Request(req) => self.request(req),
                Message::Notification(n) if n.method == lsp::notification::Exit::METHOD => {
                    return Ok(if shut_down {
                        Ending::Exit
                    } else {
                        Ending::ExitWithoutShutdown
                    });
                }
                Message::Notification(_) if shut_down => {}
                Message::Notification(n) => self.notification(n),
                // Answers to our own requests (watcher registration) need no action.
                Message::Response(_) => {}
            }
        }
        Ok(Ending::Disconnected)
    }

    fn request(&mut self, req: Request) {
        let id = req.id.clone();
        let reply = match req.method.as_str() {
            lsp::request::CodeActionRequest::METHOD => self.on_code_action(req),
            lsp::request::CodeActionResolveRequest::METHOD => self.on_code_action_resolve(req),
            lsp::request::HoverRequest::METHOD => self.on_hover(req),
            lsp::request::Formatting::METHOD => self.on_formatting(req),
            _ => Message::Response(Response::new_err(
                id,
                ErrorCode::MethodNotFound as i32,
                format!("unhandled method `{}`", req.method),
            )),
        };
        self.send(reply);
    }

    fn notification(&mut self, n: Notification) {
        use lsp::notification::*;
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Ok(p) =
                    n.extract::<lsp::DidOpenTextDocumentParams>(DidOpenTextDocument::METHOD)
                {
                    let uri = p.text_document.uri;
                    let path = uri_path(&uri);
                    let doc = Document::new(p.text_document.text, p.text_document.version, path);
                    self.docs.insert(uri.as_str().to_string(), doc);
                    self.publish(&uri);
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Ok(p) =
                    n.extract::<lsp::DidChangeTextDocumentParams>(DidChangeTextDocument::METHOD)
                {
                    let uri = p.text_document.uri;
                    if let Some(doc) = self.docs.get_mut(uri.as_str()) {
                        // Full sync: the last change holds the whole text.
                        if let Some(c) = p.content_changes.into_iter().rfind(|c| c.range.is_none())
                        {
                            doc.set_text(c.text);
                            doc.version = p.text_document.version;
                        }
                    }
                    self.publish(&uri);
                }
            }
            DidSaveTextDocument::METHOD => {
                if let Ok(p) =
                    n.extract::<lsp::DidSaveTextDocumentParams>(DidSaveTextDocument::METHOD)
                {
                    let uri = p.text_document.uri;
                    if let (Some(doc), Some(text)) = (self.docs.get_mut(uri.as_str()), p.text) {
                        if doc.too_large() || doc.text != text {
                            doc.set_text(text);
                        }
                    }
                    self.publish(&uri);
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(p) =
                    n.extract::<lsp::DidCloseTextDocumentParams>(DidCloseTextDocument::METHOD)
                {
                    // Its text and its lint (with the cached fixes) go with it.
                    self.docs.remove(p.text_document.uri.as_str());
                    release_memory();
                    self.notify::<PublishDiagnostics>(lsp::PublishDiagnosticsParams::new(
                        p.text_document.uri,
                        Vec::new(),
                        None,
                    ));
                }
            }
            DidChangeWatchedFiles::METHOD => {
                // Any config file changed: forget every loaded config and re-lint.
                self.resolver.clear();
                for d in self.docs.values_mut() {
                    d.linted = None;
                }
                let uris: Vec<String> = self.docs.keys().cloned().collect();
                for u in uris.iter().filter_map(|u| u.parse::<lsp::Uri>().ok()) {
                    self.publish(&u);
                }
            }
            _ => {}
        }
    }

    /// The settings for a document: its directory's `dlint.toml` (cached), the project files
    /// next to it for the conversion. A broken config is reported and the defaults are used.
    fn settings(&mut self, path: Option<&Path>) -> Settings {
        let Some(path) = path else {
            return Settings::default();
        };
        let dir = path.parent().unwrap_or(Path::new("/")).to_path_buf();
        let config = match self.resolver.config_for(path) {
            Ok(c) => c,
            Err(e) => {
                self.notify::<lsp::notification::ShowMessage>(lsp::ShowMessageParams {
                    typ: lsp::MessageType::ERROR,
                    message: format!("dlint: {}", e.message),
                });
                self.resolver.set_config(&dir, Config::default_in(&dir))
            }
        };
        self.resolver.settings(&config, path)
    }

    /// The document's lint, computed once per text and configuration; `None` for a document
    /// that is not open or too large to lint.
    fn lint(&mut self, uri: &lsp::Uri) -> Option<Rc<Linted>> {
        let d = self.docs.get(uri.as_str())?;
        if d.too_large() {
            return None;
        }
        if let Some(l) = &d.linted {
            return Some(l.clone());
        }
        let (text, version, path, name) = (d.text.clone(), d.version, d.path.clone(), d.name(uri));
        let settings = self.settings(path.as_deref());
        let (result, model) = crate::check_source_with_model(&name, &text, &settings);
        let linted = Rc::new(Linted {
            result,
            model,
            settings,
            version,
            fixed: OnceCell::new(),
        });
        if let Some(d) = self.docs.get_mut(uri.as_str()) {
            d.linted = Some(linted.clone());
        }
        Some(linted)
    }

    /// Lint a document and publish its diagnostics. A document too large to lint gets an empty
    /// list (clearing earlier ones), and the user is told, once per version.
    pub fn publish(&mut self, uri: &lsp::Uri) {
        if let Some(d) = self.docs.get_mut(uri.as_str()).filter(|d| d.too_large()) {
            let version = d.version;
            let warn = d.warned.replace(version) != Some(version);
            let message = format!(
                "dlint: {} is {} bytes, more than the {}-byte limit; it is not linted",
                d.name(uri),
                d.size,
                crate::source::MAX_FILE_SIZE
            );
            if warn {
                self.notify::<lsp::notification::ShowMessage>(lsp::ShowMessageParams {
                    typ: lsp::MessageType::WARNING,
                    message,
                });
            }
            self.notify::<lsp::notification::PublishDiagnostics>(
                lsp::PublishDiagnosticsParams::new(uri.clone(), Vec::new(), Some(version)),
            );
            return;
        }
        let Some(l) = self.lint(uri) else {
            return;
        };
        let version = l.version;
        let diagnostics = l
            .result
            .diagnostics
            .iter()
            .map(|d| position::diagnostic(&l.result.source, uri, d))
            .collect();
        self.notify::<lsp::notification::PublishDiagnostics>(lsp::PublishDiagnosticsParams::new(
            uri.clone(),
            diagnostics,
            Some(version),
        ));
    }

    fn on_code_action(&mut self, req: Request) -> Message {
        let (id, p) = match extract::<lsp::request::CodeActionRequest>(req) {
            Ok(x) => x,
            Err(e) => return *e,
        };
        let uri = p.text_document.uri;
        let Some(l) = self.lint(&uri) else {
            return ok(id, Vec::<lsp::CodeActionOrCommand>::new());
        };
        let only = &p.context.only;
        let mut acts = actions::code_actions(&uri, &l.result, &l.model, p.range, only);
        let edits = || l.fix_edits().to_vec();
        let how = if self.resolve_edits {
            let data = FixAllData {
                uri: uri.clone(),
                version: l.version,
            };
            actions::FixAll::Resolve(serde_json::to_value(data).unwrap_or_default())
        } else {
            actions::FixAll::Edits(&edits)
        };
        acts.extend(actions::fix_all(&uri, &l.result, only, how));
        ok(id, acts)
    }

    /// The edit of a fix-all action, for the version of the document it was offered for; a
    /// `ContentModified` error when the document changed since. Other actions come back as
    /// they are (they have their edits).
    fn on_code_action_resolve(&mut self, req: Request) -> Message {
        let (id, mut action) = match extract::<lsp::request::CodeActionResolveRequest>(req) {
            Ok(x) => x,
            Err(e) => return *e,
        };
        let Some(data) = action
            .data
            .clone()
            .and_then(|d| serde_json::from_value::<FixAllData>(d).ok())
        else {
            return ok(id, action);
        };
        match self.lint(&data.uri) {
            Some(l) if l.version == data.version => {
                let edits = l.fix_edits().to_vec();
                action.edit = Some(actions::workspace_edit(&data.uri, edits));
                ok(id, action)
            }
            _ => Message::Response(Response::new_err(
                id,
                ErrorCode::ContentModified as i32,
                format!(
                    "{} changed since the action was offered for version {}",
                    data.uri.as_str(),
                    data.version
                ),
            )),
        }
    }

    fn on_hover(&mut self, req: Request) -> Message {
        let (id, p) = match extract::<lsp::request::HoverRequest>(req) {
            Ok(x) => x,
            Err(e) => return *e,
        };
        let uri = p.text_document_position_params.text_document.uri;
        let Some(l) = self.lint(&uri) else {
            return ok(id, None::<lsp::Hover>);
        };
        ok(
            id,
            hover::hover(
                &l.result,
                &l.model,
                p.text_document_position_params.position,
            ),
        )
    }

    fn on_formatting(&mut self, req: Request) -> Message {
        let (id, p) = match extract::<lsp::request::Formatting>(req) {
            Ok(x) => x,
            Err(e) => return *e,
        };
        let Some(l) = self.lint(&p.text_document.uri) else {
            return ok(id, None::<Vec<lsp::TextEdit>>);
        };
        ok(id, Some(l.fix_edits()))
    }
}

/// Give freed memory back to the system. glibc keeps what a large lint freed (many small
/// allocations, in several arenas) for later use, so a server that linted a large document
/// would stay that large after closing it.
fn release_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim has no preconditions; it only returns free memory of the arenas.
    unsafe {
        libc::malloc_trim(0);
    }
}

fn ok<T: serde::Serialize>(id: RequestId, result: T) -> Message {
    Message::Response(Response::new_ok(id, result))
}

/// A request's parameters, or the error response for unusable ones.
fn extract<R: lsp::request::Request>(req: Request) -> Result<(RequestId, R::Params), Box<Message>> {
    let id = req.id.clone();
    serde_json::from_value::<R::Params>(req.params)
        .map(|p| (id.clone(), p))
        .map_err(|e| Box::new(transport::invalid_params(id, e)))
}
