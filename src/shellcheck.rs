//! The one external pass: ShellCheck over the RUN scripts of a file. What to check is derived
//! from the model without IO ([`inputs`]); a [`Runner`] (the `shellcheck` found on PATH, once
//! per process) runs the scripts it has not seen, several per process, and keeps every result
//! by script hash. The engine calls it only when the front end put a runner in the settings and
//! the `shellcheck` rule is enabled; the rule maps the findings back to the Dockerfile.

use std::collections::HashMap;
use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use crate::model::image_env::image_env;
use crate::model::{Base, Dockerfile};
use crate::shell::{basename, runs_heredoc, Dialect};
use crate::syntax::logical::Logical;
use crate::syntax::{Args, Keyword};

/// A script larger than this is not handed to ShellCheck (bounded work).
const MAX_SCRIPT: usize = 256 * 1024;
/// Scripts per ShellCheck process.
const BATCH: usize = 256;
/// Output read from one process at most.
const MAX_OUTPUT: u64 = 64 * 1024 * 1024;

/// ShellCheck's severity levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
    Info,
    Style,
}

/// One ShellCheck finding, in the coordinates of the script it was given: 1-based lines, and
/// 1-based columns counting characters (tabs as one, as `-f json1` does).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub code: u32,
    pub level: Level,
    pub message: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

/// One RUN script to check: where it comes from and what ShellCheck is told about it.
#[derive(Debug, Clone)]
pub struct Input {
    /// Index into `model.instructions`.
    pub index: usize,
    /// The script as the shell receives it, mapped to the Dockerfile.
    pub script: Logical,
    /// `-s` dialect: `sh`, `bash`, `dash`, `ksh` or `busybox`.
    pub dialect: &'static str,
    /// Variables the stage declares (ARG, ENV, the base image's environment), with their
    /// values where the Dockerfile gives them.
    pub vars: Vec<(String, Option<String>)>,
}

impl Input {
    /// The line (1-based) of the preamble assigning the known variables: the first, or the
    /// second after a `#!` line; `None` without variables.
    pub fn preamble_line(&self) -> Option<usize> {
        if self.vars.is_empty() {
            return None;
        }
        Some(if self.script.text.starts_with("#!") {
            2
        } else {
            1
        })
    }

    /// The text handed to ShellCheck: the script with one line of assignments inserted at
    /// [`Input::preamble_line`]. A value the Dockerfile gives is assigned as it is, so
    /// ShellCheck judges it (`ENV dirs="a b"` still asks for quotes); a value only known at
    /// build time (an ARG without default, the base image's variables) is a plain word, as
    /// hadolint does: the variable is set, and a build argument is taken to be one word.
    pub fn text(&self) -> String {
        let Some(at) = self.preamble_line() else {
            return self.script.text.clone();
        };
        let mut line = String::new();
        for (name, value) in &self.vars {
            let v = value.as_deref().unwrap_or("1").replace('\'', "'\\''");
            line.push_str(&format!("{name}='{v}' "));
        }
        line.push_str("# dlint: known variables\n");
        let t = &self.script.text;
        if at == 1 {
            return line + t;
        }
        let split = t.find('\n').map_or(t.len(), |i| i + 1);
        let mut out = t[..split].to_string();
        if !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(&line);
        out.push_str(&t[split..]);
        out
    }

    /// The script's line of a line of [`Input::text`], `None` for the preamble's.
    pub fn script_line(&self, line: usize) -> Option<usize> {
        match self.preamble_line() {
            Some(p) if line == p => None,
            Some(p) if line > p => Some(line - 1),
            _ => Some(line),
        }
    }

    /// Lines of the script proper.
    pub fn lines(&self) -> usize {
        self.script.text.split('\n').count()
    }
}

/// A script and ShellCheck's findings on it.
#[derive(Debug, Clone)]
pub struct Checked {
    pub input: Input,
    pub comments: Arc<[Comment]>,
}

/// ShellCheck's `-s` name for a shell, `None` for shells it does not know (zsh, fish, ...).
fn dialect_name(shell: &[String]) -> Option<&'static str> {
    if Dialect::of(shell) != Dialect::Posix {
        return None;
    }
    let mut words = shell.iter().map(|w| basename(w).to_ascii_lowercase());
    let mut first = words.next()?;
    if first == "env" || first == "busybox" {
        first = words.find(|w| !w.starts_with('-'))?;
    }
    match first.as_str() {
        "sh" | "ash" => Some("sh"),
        "bash" => Some("bash"),
        "dash" => Some("dash"),
        "ksh" | "mksh" | "ksh93" | "pdksh" => Some("ksh"),
        _ => None,
    }
}

fn is_name(v: &str) -> bool {
    let mut c = v.chars();
    c.next()
        .is_some_and(|f| f.is_ascii_alphabetic() || f == '_')
        && c.all(|x| x.is_ascii_alphanumeric() || x == '_')
}

/// The scripts of a model's RUN instructions that ShellCheck can read (shell form and heredoc
/// scripts under a POSIX shell it knows), with the variables each stage declares.
pub fn inputs(model: &Dockerfile) -> Vec<Input> {
    let mut out = Vec::new();
    for (index, outer) in model.instructions.iter().enumerate() {
        let inst = outer.sub.as_deref().unwrap_or(outer);
        if inst.keyword != Keyword::Run {
            continue;
        }
        let Args::Shell(sh) = &inst.args else {
            continue;
        };
        let Some(context) = model.contexts.get(index) else {
            continue;
        };
        let Some(mut dialect) = dialect_name(&context.shell) else {
            continue;
        };
        let script = if runs_heredoc(inst) {
            let body = &inst.heredocs[0].content;
            if let Some(interp) = body.text.lines().next().and_then(|l| l.strip_prefix("#!")) {
                let argv: Vec<String> = interp.split_whitespace().map(String::from).collect();
                let Some(d) = dialect_name(&argv) else {
                    continue;
                };
                dialect = d;
            }
            body.clone()
        } else if inst.heredocs.is_empty() {
            sh.logical.clone()
        } else {
            // `RUN cat <<EOF > /x`: the command line, heredoc openers blanked (same length, so
            // the map holds); the bodies are data.
            let end = sh.logical.text.find('\n').unwrap_or(sh.logical.text.len());
            let mut line = sh.logical.slice(0..end);
            let mut text = line.text.clone();
            for h in &inst.heredocs {
                let a = line.from_source(h.opener_range.start);
                let b = line.from_source(h.opener_range.end);
                if a < b && b <= text.len() && text.is_char_boundary(a) && text.is_char_boundary(b)
                {
                    text.replace_range(a..b, &" ".repeat(b - a));
                }
            }
            line.text = text;
            line
        };
        if script.text.trim().is_empty() || script.text.len() > MAX_SCRIPT {
            continue;
        }
        let mut vars: Vec<(String, Option<String>)> = Vec::new();
        if let Some(stage) = context.stage.and_then(|s| model.stages.get(s)) {
            if let Base::Image(img) = &stage.base {
                if let Some(env) = image_env(img) {
                    vars.extend(env.names().map(|n| (n.to_string(), None)));
                }
            }
        }
        // The stage's own declarations win over the image's.
        vars.retain(|(n, _)| context.scope.get(n).is_none());
        vars.extend(
            context
                .scope
                .names()
                .filter(|n| is_name(n))
                .map(|n| (n.to_string(), context.scope.get(n).cloned().flatten())),
        );
        vars.sort();
        vars.dedup_by(|a, b| a.0 == b.0);
        out.push(Input {
            index,
            script,
            dialect,
            vars,
        });
    }
    out
}

/// A `shellcheck` executable and the findings of every script it checked in this process.
pub struct Runner {
    program: PathBuf,
    pub version: String,
    cache: Mutex<HashMap<[u8; 32], Arc<[Comment]>>>,
    processes: AtomicUsize,
}

impl std::fmt::Debug for Runner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Runner({})", self.program.display())
    }
}

fn key(dialect: &str, text: &str) -> [u8; 32] {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    h.update(dialect.as_bytes());
    h.update([0]);
    h.update(text.as_bytes());
    h.finalize().into()
}

/// The `shellcheck` on PATH, looked for once per process; `None` when there is none.
pub fn global() -> Option<&'static Runner> {
    static RUNNER: OnceLock<Option<Runner>> = OnceLock::new();
    RUNNER.get_or_init(|| Runner::find("shellcheck")).as_ref()
}

impl Runner {
    /// `program` if it runs and says it is ShellCheck.
    pub fn find(program: &str) -> Option<Runner> {
        let out = Command::new(program)
            .arg("--version")
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output()
            .ok()?;
        let text = String::from_utf8_lossy(&out.stdout);
        let version = text
            .lines()
            .find_map(|l| l.strip_prefix("version:"))?
            .trim()
            .to_string();
        Some(Runner {
            program: PathBuf::from(program),
            version,
            cache: Default::default(),
            processes: AtomicUsize::new(0),
        })
    }

    /// How many ShellCheck processes ran.
    pub fn processes(&self) -> usize {
        self.processes.load(Ordering::Relaxed)
    }

    /// Findings for each input, in order: cached ones from memory, the others from one
    /// ShellCheck process per dialect and batch. A script ShellCheck could not be run on has
    /// no findings.
    pub fn check(&self, inputs: Vec<Input>) -> Vec<Checked> {
        let texts: Vec<String> = inputs.iter().map(Input::text).collect();
        let keys: Vec<[u8; 32]> = inputs
            .iter()
            .zip(&texts)
            .map(|(i, t)| key(i.dialect, t))
            .collect();
        let mut missing: HashMap<&'static str, Vec<usize>> = HashMap::new();
        {
            let cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
            for (n, k) in keys.iter().enumerate() {
                if !cache.contains_key(k) {
                    missing.entry(inputs[n].dialect).or_default().push(n);
                }
            }
        }
        let mut dialects: Vec<_> = missing.into_iter().collect();
        dialects.sort();
        for (dialect, ns) in dialects {
            for batch in ns.chunks(BATCH) {
                let scripts: Vec<&str> = batch.iter().map(|&n| texts[n].as_str()).collect();
                let found = self.run(dialect, &scripts);
                let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
                for (&n, comments) in batch.iter().zip(found) {
                    cache.insert(keys[n], comments.into());
                }
            }
        }
        let cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        inputs
            .into_iter()
            .zip(keys)
            .map(|(input, k)| Checked {
                input,
                comments: cache.get(&k).cloned().unwrap_or_else(|| Arc::from([])),
            })
            .collect()
    }

    /// One ShellCheck process over `scripts` (written to a fresh temporary directory).
    fn run(&self, dialect: &str, scripts: &[&str]) -> Vec<Vec<Comment>> {
        let mut out = vec![Vec::new(); scripts.len()];
        static SEQ: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "dlint-shellcheck-{}-{}",
            std::process::id(),
            SEQ.fetch_add(1, Ordering::Relaxed)
        ));
        if std::fs::create_dir_all(&dir).is_err() {
            return out;
        }
        let mut files = Vec::new();
        for (n, s) in scripts.iter().enumerate() {
            let f = dir.join(format!("{n}.sh"));
            if std::fs::write(&f, s).is_err() {
                let _ = std::fs::remove_dir_all(&dir);
                return out;
            }
            files.push(f);
        }
        self.processes.fetch_add(1, Ordering::Relaxed);
        let child = Command::new(&self.program)
            .args(["--norc", "-f", "json1", "-s", dialect, "--"])
            .args(&files)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn();
        let mut text = String::new();
        if let Ok(mut child) = child {
            if let Some(stdout) = child.stdout.take() {
                let _ = stdout.take(MAX_OUTPUT).read_to_string(&mut text);
            }
            let _ = child.wait();
        }
        let _ = std::fs::remove_dir_all(&dir);
        let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
            return out;
        };
        let by_file: HashMap<String, usize> = files
            .iter()
            .enumerate()
            .map(|(n, f)| (f.display().to_string(), n))
            .collect();
        for c in json["comments"].as_array().into_iter().flatten() {
            let Some(&n) = c["file"].as_str().and_then(|f| by_file.get(f)) else {
                continue;
            };
            let num = |k: &str| c[k].as_u64().map(|v| v as usize);
            let level = match c["level"].as_str() {
                Some("error") => Level::Error,
                Some("warning") => Level::Warning,
                Some("info") => Level::Info,
                _ => Level::Style,
            };
            let (Some(code), Some(line), Some(column)) =
                (c["code"].as_u64(), num("line"), num("column"))
            else {
                continue;
            };
            out[n].push(Comment {
                code: code as u32,
                level,
                message: c["message"].as_str().unwrap_or_default().to_string(),
                line,
                column,
                end_line: num("endLine").unwrap_or(line),
                end_column: num("endColumn").unwrap_or(column),
            });
        }
        out
    }
}
