//! The only module that knows tree-sitter-bash: RUN bodies as commands with argv and source ranges.
//!
//! A RUN is read the way the build runs it: under the SHELL in effect (only POSIX shells are
//! parsed as shell; PowerShell and cmd bodies are not guessed at), with `sh -c "..."` strings
//! and shells fed a heredoc parsed as the scripts they are, heredocs fed to other programs kept
//! as data, and commands after an unconditional top-level `exit` or `exec` left out because
//! they never run. Work is bounded: a body nested deeper than [`MAX_NESTING`] is not handed to
//! the parser (the model reports it), and nested scripts stop at [`MAX_NESTED_SCRIPTS`] levels.

pub mod argv;
pub mod errexit;
pub mod packages;
pub mod users;

use std::cell::{OnceCell, RefCell};

use crate::model::Dockerfile;
use crate::source::TextRange;
use crate::syntax::{Args, Instruction, Keyword, Logical};

pub use argv::exec_form_argv;

/// How a word's source range relates to its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    /// The range holds exactly the shell text of the word: text can be inserted next to it.
    Exact,
    /// The range is a JSON string token of an exec-form RUN (`"install"`).
    Json,
    /// The range only points near the word (inside a JSON-encoded `sh -c` script).
    Approximate,
}

/// One word of a command line. `value` is `None` when it depends on expansions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShellWord {
    pub raw: String,
    pub value: Option<String>,
    pub range: TextRange,
    pub span: Span,
}

/// Who a command runs as, relative to the RUN's user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunsAs {
    /// The RUN's own user.
    Same,
    /// Through `sudo` (its words as written, e.g. `sudo -E`), in the command or around it.
    Sudo(String),
    /// Through another program that changes user or root (`su`, `gosu`, `chroot`, ...).
    Other(String),
}

/// A simple command: `NAME=v cmd arg...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    /// Command name and arguments as written (assignments and redirects excluded).
    pub words: Vec<ShellWord>,
    /// Leading `NAME=value` assignments.
    pub assignments: Vec<(String, Option<String>)>,
    pub range: TextRange,
    /// 0 for the RUN's own script; 1 and more inside `sh -c "..."` strings or shell heredocs.
    pub nested: u8,
    /// Privilege of the enclosing commands (`sudo bash -c "..."`), before this command's own.
    pub outer: RunsAs,
    /// How many leading words are wrappers (`sudo -E`, `env X=1`), counted once.
    wrappers: usize,
}

/// Commands that run another command given as their arguments.
const WRAPPERS: &[&str] = &[
    "sudo", "env", "nice", "nohup", "time", "exec", "command", "xargs", "timeout", "stdbuf",
    "ionice", "doas",
];

/// Programs that run their argument command as another user or in another root.
const USER_CHANGERS: &[&str] = &[
    "su",
    "runuser",
    "gosu",
    "su-exec",
    "setpriv",
    "chroot",
    "chpst",
    "s6-setuidgid",
    "setuidgid",
];

/// Shells whose `-c` argument is a script.
pub const SHELLS: &[&str] = &["sh", "bash", "ash", "dash", "zsh", "ksh", "mksh"];

impl Command {
    /// The words of the command that really runs, wrappers such as `sudo` or `env X=1` skipped.
    pub fn argv(&self) -> &[ShellWord] {
        &self.words[self.wrappers.min(self.words.len())..]
    }

    /// A command of `words`.
    pub fn new(
        words: Vec<ShellWord>,
        assignments: Vec<(String, Option<String>)>,
        range: TextRange,
        nested: u8,
        outer: RunsAs,
    ) -> Command {
        let wrappers = wrapper_len(&words);
        Command {
            words,
            assignments,
            range,
            nested,
            outer,
            wrappers,
        }
    }

    /// Basename of the program that runs (`/usr/bin/apt-get` -> `apt-get`).
    pub fn name(&self) -> Option<&str> {
        self.argv().first()?.value.as_deref().map(basename)
    }

    /// Static argument values after the program name.
    pub fn args(&self) -> impl Iterator<Item = &str> {
        self.argv()
            .iter()
            .skip(1)
            .filter_map(|w| w.value.as_deref())
    }

    /// The first non-option argument (e.g. `install` in `apt-get -y install`).
    pub fn subcommand(&self) -> Option<&str> {
        self.args().find(|a| !a.starts_with('-'))
    }

    /// The word of [`Command::subcommand`].
    pub fn subcommand_word(&self) -> Option<&ShellWord> {
        self.argv()
            .iter()
            .skip(1)
            .find(|w| w.value.as_deref().is_some_and(|v| !v.starts_with('-')))
    }

    pub fn has_arg(&self, arg: &str) -> bool {
        self.args().any(|a| a == arg)
    }

    /// Whether an option is given, as `--name`, `--name=value` or in a short-option cluster.
    pub fn has_option(&self, long: &str, short: Option<char>) -> bool {
        self.args().any(|a| {
            a == long
                || a.strip_prefix(long).is_some_and(|r| r.starts_with('='))
                || short.is_some_and(|s| {
                    a.len() > 1 && a.starts_with('-') && !a.starts_with("--") && a[1..].contains(s)
                })
        })
    }

    /// The value of an option given as `--name value` or `--name=value`.
    pub fn option_value(&self, long: &str) -> Option<&str> {
        let args: Vec<&str> = self.args().collect();
        args.iter().enumerate().find_map(|(i, a)| {
            if *a == long {
                args.get(i + 1).copied()
            } else {
                a.strip_prefix(long).and_then(|r| r.strip_prefix('='))
            }
        })
    }

    /// Whether the command runs a script whose commands cannot be seen here: a file
    /// (`./install.sh`, `bash /tmp/setup`, `. ./env.sh`) or a shell reading standard input
    /// (`curl -fsSL https://... | sh`).
    pub fn runs_unseen_script(&self) -> bool {
        let argv = self.argv();
        let Some(prog) = argv.first().map(|w| w.value.as_deref().unwrap_or(&w.raw)) else {
            return false;
        };
        let name = basename(prog);
        if prog.contains('/')
            && ![
                "/bin/",
                "/usr/bin/",
                "/sbin/",
                "/usr/sbin/",
                "/usr/local/bin/",
            ]
            .iter()
            .any(|d| prog.starts_with(d))
        {
            return true;
        }
        if name.ends_with(".sh") || matches!(name, "." | "source") {
            return true;
        }
        if SHELLS.contains(&name) {
            let mut rest = argv[1..].iter().filter_map(|w| w.value.as_deref());
            // `sh -c '...'` is parsed; `sh script` and a bare `sh` (reading stdin) are not.
            return match rest
                .find(|a| !a.starts_with('-') || a.ends_with('c') && !a.starts_with("--"))
            {
                Some(a) => !a.starts_with('-'),
                None => true,
            };
        }
        false
    }

    /// Who the command runs as: through `sudo` (its own or an enclosing one), through another
    /// user-changing program, or as the RUN's user.
    pub fn runs_as(&self) -> RunsAs {
        if let RunsAs::Other(p) = &self.outer {
            return RunsAs::Other(p.clone());
        }
        let own = &self.words[..self.wrappers.min(self.words.len())];
        if let Some(i) = own
            .iter()
            .position(|w| w.value.as_deref().map(basename) == Some("sudo"))
        {
            // `sudo`, its options (`-u "$USER"` too) and any wrappers after it, as written: a
            // command prefixed with them runs the same way. Not through `xargs` or `exec`,
            // which take their input or replace the shell.
            let after = &own[i..];
            if after[1..]
                .iter()
                .any(|w| matches!(w.value.as_deref().map(basename), Some("xargs" | "exec")))
            {
                return RunsAs::Other("sudo".into());
            }
            let text: Vec<&str> = after.iter().map(|w| w.raw.as_str()).collect();
            return RunsAs::Sudo(text.join(" "));
        }
        if let Some(doas) = own
            .iter()
            .find(|w| w.value.as_deref().map(basename) == Some("doas"))
        {
            return RunsAs::Other(doas.raw.clone());
        }
        self.outer.clone()
    }
}

/// How many leading words are wrappers (`sudo -E`, `env X=1`, `timeout 5`).
fn wrapper_len(w: &[ShellWord]) -> usize {
    let mut start = 0;
    loop {
        let Some(first) = w.get(start).and_then(|f| f.value.as_deref()) else {
            return start;
        };
        let name = basename(first);
        if !WRAPPERS.contains(&name) {
            return start;
        }
        let mut i = start + 1;
        while let Some(v) = w.get(i).and_then(|x| x.value.as_deref()) {
            let takes_value = matches!(
                (name, v),
                (
                    "sudo",
                    "-u" | "-g" | "-C" | "-D" | "-h" | "-p" | "-r" | "-t" | "-U"
                ) | ("env", "-u" | "-C" | "-S")
                    | ("nice", "-n")
                    | ("ionice", "-c" | "-n")
                    | ("timeout", "-s" | "-k")
                    | ("doas", "-u" | "-C")
            );
            if v == "--" {
                i += 1;
                break;
            } else if v.starts_with('-') || (name == "env" && v.contains('=')) {
                i += if takes_value { 2 } else { 1 };
            } else if name == "timeout" && v.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                i += 1;
                break;
            } else {
                break;
            }
        }
        start = i.min(w.len());
    }
}

/// The argv of a command that needs no shell, or what shell syntax it uses.
pub fn exec_argv(text: &str) -> Result<Vec<String>, &'static str> {
    let t = text.trim();
    let uses = [
        ("$", "variables"),
        ("`", "command substitution"),
        ("*?[]{}~", "globs"),
        ("|", "a pipe"),
        ("<>", "redirects"),
        ("&;", "command lists"),
        ("'\"\\", "quoting"),
        ("()", "subshells"),
        ("#", "a comment"),
        ("\n", "several lines"),
    ];
    for (chars, why) in uses {
        if t.contains(|c: char| chars.contains(c)) {
            return Err(why);
        }
    }
    // `FOO=bar cmd` sets a variable for the command: a shell feature too.
    if t.split_whitespace().next().is_some_and(|w| w.contains('=')) {
        return Err("a variable assignment");
    }
    if t.is_empty() {
        return Err("no command");
    }
    Ok(t.split_whitespace().map(String::from).collect())
}

/// The last path component, for `/` and Windows `\` separators.
pub fn basename(s: &str) -> &str {
    s.rsplit(['/', '\\']).next().unwrap_or(s)
}

/// The language a shell-form RUN is written in, from the SHELL in effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// `sh`, `bash` and the other POSIX shells: parsed with tree-sitter-bash.
    Posix,
    PowerShell,
    Cmd,
    /// Something else (`python -c`, ...): not parsed.
    Other,
}

impl Dialect {
    /// The dialect of a SHELL argv (`["/bin/bash", "-o", "pipefail", "-c"]`,
    /// `["/usr/bin/env", "bash", "-c"]`, `["powershell", "-Command"]`, `["cmd", "/S", "/C"]`).
    pub fn of(shell: &[String]) -> Dialect {
        let mut words = shell.iter().map(|w| {
            let b = basename(w).to_ascii_lowercase();
            b.strip_suffix(".exe").map(str::to_string).unwrap_or(b)
        });
        let mut first = words.next().unwrap_or_default();
        if first == "env" || first == "busybox" {
            first = words.find(|w| !w.starts_with('-')).unwrap_or_default();
        }
        match first.as_str() {
            s if SHELLS.contains(&s) => Dialect::Posix,
            "powershell" | "pwsh" => Dialect::PowerShell,
            "cmd" => Dialect::Cmd,
            _ => Dialect::Other,
        }
    }

    /// The separator that runs the next command only when the previous one succeeded, if the
    /// dialect has one that every version understands (Windows PowerShell 5.1 has no `&&`).
    pub fn and_then(self) -> Option<&'static str> {
        match self {
            Dialect::Posix | Dialect::Cmd => Some("&&"),
            Dialect::PowerShell | Dialect::Other => None,
        }
    }
}

/// Deepest nesting of `$(`, backquotes, `${`, `(` and `{` that is handed to the shell parser:
/// far beyond real scripts, small enough that parsing stays fast and small.
pub const MAX_NESTING: usize = 100;

/// Levels of `sh -c "..."` (and shell heredocs) inside one another that are parsed as scripts.
pub const MAX_NESTED_SCRIPTS: u8 = 4;

/// How the words of a script map to the Dockerfile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Form {
    /// Shell-form text (or a heredoc script): words are [`Span::Exact`].
    #[default]
    Shell,
    /// An exec-form RUN running a program directly: words are JSON tokens.
    Exec,
    /// An exec-form `["sh", "-c", "script"]`: every range is the script's JSON token.
    ExecScript,
}

/// How a script ends early: a top-level `exit` or `exec` after which nothing runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ending {
    /// Source offset where that command starts.
    pub start: usize,
    /// `exit` with a literal status (`exit 0`): a command inserted before it changes nothing
    /// but its own effect. `exit` with no status or a variable one returns the status of the
    /// command before it, and `exec` replaces the shell.
    pub literal_exit: bool,
}

/// The commands a RUN executes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Script {
    /// Commands that may run, in document order (nested scripts after their command).
    pub commands: Vec<Command>,
    /// Whether bash parsed the text without errors.
    pub clean: bool,
    pub form: Form,
    /// The top-level `exit`/`exec` that ends the script, if any.
    pub ending: Option<Ending>,
    /// The nesting depth, when it is over [`MAX_NESTING`] and the text was not parsed.
    pub too_deep: Option<usize>,
    /// `set -e` (or `set -o errexit`) is in force at the end of the script: a failing command
    /// stops it, so a command added on a line of its own cannot hide a failure.
    pub errexit: bool,
    /// Where the last top-level statement ends (source offset), when `&& cmd` can follow it
    /// there: not inside a heredoc the statement feeds.
    pub tail: Option<usize>,
    /// The package-manager action of each command, read on first use (after the script is
    /// built; `commands` are not changed after that).
    actions: OnceCell<Vec<Option<packages::Action>>>,
}

impl Script {
    /// The package-manager action of each command, by position in `commands`: read once per
    /// script, so every rule and the converter share one reading.
    pub fn actions(&self) -> &[Option<packages::Action>] {
        self.actions
            .get_or_init(|| self.commands.iter().map(packages::action).collect())
    }

    /// The action of command `k`.
    pub fn action(&self, k: usize) -> Option<&packages::Action> {
        self.actions().get(k)?.as_ref()
    }

    /// The action of `cmd`, one of this script's commands (as a command hook receives it).
    pub fn action_of(&self, cmd: &Command) -> Option<&packages::Action> {
        let k = self.commands.iter().position(|c| std::ptr::eq(c, cmd))?;
        self.action(k)
    }

    /// `cmd`'s action when it is an `apt-get install` or `apt install` (not aptitude's): what
    /// the apt rules (DL3008, DL3014, DL3015) look at.
    pub fn apt_install_of(&self, cmd: &Command) -> Option<&packages::Action> {
        self.action_of(cmd).filter(|a| {
            a.manager == packages::Manager::Apt
                && a.program != "aptitude"
                && a.sub() == Some("install")
        })
    }

    /// The package-manager commands with their actions, in order.
    pub fn package_commands(&self) -> impl Iterator<Item = (&Command, &packages::Action)> {
        self.commands
            .iter()
            .zip(self.actions())
            .filter_map(|(c, a)| Some((c, a.as_ref()?)))
    }
}

thread_local! {
    static PARSER: RefCell<tree_sitter::Parser> = RefCell::new({
        let mut p = tree_sitter::Parser::new();
        p.set_language(&tree_sitter_bash::LANGUAGE.into())
            .expect("tree-sitter-bash is ABI-compatible with the linked tree-sitter");
        p
    });
}

/// The deepest nesting of substitutions, expansions, subshells, groups and quotes in shell text
/// (`echo "(((("` nests one level, not five); stops counting past `limit`.
pub fn nesting_depth(text: &str, limit: usize) -> usize {
    let b = text.as_bytes();
    // Open constructs: `(` for `$(` and `(`, `{` for `${` and `{`, a backquote, `"`.
    let mut stack: Vec<u8> = Vec::new();
    let mut max = 0usize;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let top = stack.last().copied();
        let substitution = c == b'$' && matches!(b.get(i + 1), Some(b'(' | b'{'));
        match (top, c) {
            (_, b'\\') => i += 1,
            (Some(b'"'), b'"') | (Some(b'`'), b'`') => {
                stack.pop();
            }
            (_, b'$') if substitution => {
                i += 1;
                stack.push(b[i]);
            }
            (Some(b'"'), b'`') => stack.push(c),
            (Some(b'"'), _) => {}
            (_, b'\'') => {
                i += 1;
                while i < b.len() && b[i] != b'\'' {
                    i += 1;
                }
            }
            (_, b'"' | b'`' | b'(' | b'{') => stack.push(c),
            (Some(b'('), b')') | (Some(b'{'), b'}') => {
                stack.pop();
            }
            _ => {}
        }
        max = max.max(stack.len());
        if max > limit {
            return max;
        }
        i += 1;
    }
    max
}

/// How many simple commands shell text runs, declarations (`export`, `unset`) and command
/// substitutions included, as a count of a command line's parts; `None` when the text does not
/// parse as bash or nests deeper than [`MAX_NESTING`]. `sh -c` strings are not looked into.
pub fn command_count(text: &str) -> Option<usize> {
    if nesting_depth(text, MAX_NESTING) > MAX_NESTING {
        return None;
    }
    let tree = PARSER.with(|p| p.borrow_mut().parse(text, None))?;
    let root = tree.root_node();
    if root.has_error() {
        return None;
    }
    let mut count = 0;
    let mut cursor = root.walk();
    loop {
        let kind = cursor.node().kind();
        if matches!(kind, "command" | "declaration_command" | "unset_command") {
            count += 1;
        }
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.node() == root {
                return Some(count);
            }
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return Some(count);
            }
        }
    }
}

/// Parse shell text whose bytes map to source through `text`.
pub fn parse_script(text: &Logical) -> Script {
    parse_at(text, 0, &RunsAs::Same)
}

fn parse_at(text: &Logical, nested: u8, outer: &RunsAs) -> Script {
    let depth = nesting_depth(&text.text, MAX_NESTING);
    if depth > MAX_NESTING {
        return Script {
            too_deep: Some(depth),
            ..Script::default()
        };
    }
    let Some(tree) = PARSER.with(|p| p.borrow_mut().parse(&text.text, None)) else {
        return Script::default();
    };
    let root = tree.root_node();
    let mut script = Script {
        clean: !root.has_error(),
        ..Script::default()
    };
    let mut c = root.walk();
    for stmt in root.named_children(&mut c) {
        if script.ending.is_some() {
            // Nothing after an unconditional top-level `exit` or `exec` runs.
            break;
        }
        if stmt.kind() == "comment" {
            continue;
        }
        let first = script.commands.len();
        collect(stmt, text, nested, outer, &mut script.commands);
        if nested == 0 {
            script.ending = ending(stmt, &text.text).map(|(start, literal_exit)| Ending {
                start: text.to_source(start),
                literal_exit,
            });
            if stmt.kind() == "command" {
                if let Some(e) = script.commands.get(first).and_then(errexit_change) {
                    script.errexit = e;
                }
            }
            script.tail = (!has_heredoc(stmt)).then(|| text.to_source(stmt.end_byte()));
        }
    }
    script
}

/// What `set` does to errexit: `set -e`, `set -eux`, `set -o errexit` turn it on, `set +e`
/// and `set +o errexit` off.
fn errexit_change(c: &Command) -> Option<bool> {
    if c.name() != Some("set") {
        return None;
    }
    let args: Vec<&str> = c.args().collect();
    let mut change = None;
    for (i, a) in args.iter().enumerate() {
        let named_o = args.get(i + 1) == Some(&"errexit");
        match a.as_bytes() {
            [b'-', b'o'] if named_o => change = Some(true),
            [b'+', b'o'] if named_o => change = Some(false),
            [b'-', rest @ ..] if !a.starts_with("--") && rest.contains(&b'e') => {
                change = Some(true)
            }
            [b'+', rest @ ..] if rest.contains(&b'e') => change = Some(false),
            _ => {}
        }
    }
    change
}

/// Whether a statement feeds a heredoc (its text ends with the heredoc's terminator line).
fn has_heredoc(node: tree_sitter::Node) -> bool {
    has_descendant(node, |kind| kind.starts_with("heredoc"))
}

/// Whether `node` or a node below it is of a kind `wanted` accepts (a walk without recursion,
/// so deep trees cost no stack).
pub(crate) fn has_descendant(node: tree_sitter::Node, wanted: impl Fn(&str) -> bool) -> bool {
    let mut cursor = node.walk();
    loop {
        if wanted(cursor.node().kind()) {
            return true;
        }
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.node() == node {
                return false;
            }
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return false;
            }
        }
    }
}

/// A statement that always ends the script: `exit ...`, `exec cmd`, or a `;`/`&&` list whose
/// last command is one. Returns the logical start of that command and whether it is an `exit`
/// with a literal status.
fn ending(stmt: tree_sitter::Node, src: &str) -> Option<(usize, bool)> {
    match stmt.kind() {
        "command" => {
            let name = stmt.child_by_field_name("name")?;
            let name = &src[name.byte_range()];
            let mut c = stmt.walk();
            let args: Vec<tree_sitter::Node> =
                stmt.children_by_field_name("argument", &mut c).collect();
            match name {
                "exit" => {
                    let literal = match args.as_slice() {
                        [a] => src[a.byte_range()].bytes().all(|b| b.is_ascii_digit()),
                        _ => false,
                    };
                    Some((stmt.start_byte(), literal))
                }
                // `exec` with a command replaces the shell; `exec >log` only redirects.
                "exec" if !args.is_empty() => Some((stmt.start_byte(), false)),
                _ => None,
            }
        }
        "list" => {
            // `a && exit 0` reaches the exit when `a` succeeds (otherwise the RUN fails); with
            // `||` the exit may be skipped.
            let op = stmt.child(1).map(|o| o.kind()).unwrap_or("");
            if op != "&&" && op != ";" {
                return None;
            }
            let last = stmt.named_child(stmt.named_child_count().checked_sub(1)?)?;
            ending(last, src)
        }
        _ => None,
    }
}

/// Every `command` node under `root`, in document order, without recursion (scripts can nest
/// deeply); `sh -c` strings are parsed as scripts of their own.
fn collect(
    root: tree_sitter::Node,
    text: &Logical,
    nested: u8,
    outer: &RunsAs,
    out: &mut Vec<Command>,
) {
    let mut cursor = root.walk();
    loop {
        let node = cursor.node();
        if node.kind() == "command" {
            let cmd = command(node, text, nested, outer.clone());
            let inner = nested_script(&cmd, node, text, nested);
            out.push(cmd);
            out.extend(inner);
        }
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.node() == root {
                return;
            }
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
        }
    }
}

/// The commands of `sh -c "script"` (also `sudo bash -c`, `su -c`), parsed as a script.
fn nested_script(
    cmd: &Command,
    node: tree_sitter::Node,
    text: &Logical,
    nested: u8,
) -> Vec<Command> {
    if nested >= MAX_NESTED_SCRIPTS {
        return Vec::new();
    }
    let argv = cmd.argv();
    let Some(name) = argv.first().and_then(|w| w.value.as_deref()).map(basename) else {
        return Vec::new();
    };
    let runs_as = cmd.runs_as();
    let (runs_as, script_word) = if SHELLS.contains(&name) {
        // The first argument after an option cluster ending in `c` (`-c`, `-ec`, `-xc`).
        let pos = argv.iter().position(|w| {
            w.value
                .as_deref()
                .is_some_and(|v| v.starts_with('-') && !v.starts_with("--") && v.ends_with('c'))
        });
        (runs_as, pos.and_then(|p| argv.get(p + 1)))
    } else if USER_CHANGERS.contains(&name) {
        let pos = argv.iter().position(|w| {
            matches!(
                w.value.as_deref(),
                Some("-c" | "--command" | "--session-command")
            )
        });
        (
            RunsAs::Other(name.to_string()),
            pos.and_then(|p| argv.get(p + 1)),
        )
    } else {
        return Vec::new();
    };
    let Some(word) = script_word else {
        return Vec::new();
    };
    let Some(value) = &word.value else {
        return Vec::new();
    };
    // Where the word's text lies in the logical text, to map the inner script exactly when
    // quoting removes only the outer quotes.
    let Some(logical) = logical_range_of(node, text, word) else {
        return Vec::new();
    };
    let inner_text = if word.raw.len() == value.len() + 2
        && (word.raw.starts_with('\'') || word.raw.starts_with('"'))
        && word.raw[1..word.raw.len() - 1] == *value
    {
        text.slice(logical.start + 1..logical.end - 1)
    } else if word.raw == *value {
        text.slice(logical)
    } else {
        // Escapes inside: parse the value, point every range at the word.
        let mut s = parse_at(&Logical::default_with(value), nested + 1, &runs_as);
        for c in &mut s.commands {
            c.range = word.range.clone();
            for w in &mut c.words {
                w.range = word.range.clone();
                w.span = Span::Approximate;
            }
        }
        return s.commands;
    };
    parse_at(&inner_text, nested + 1, &runs_as).commands
}

/// The logical byte range of one of `node`'s argument words.
fn logical_range_of(
    node: tree_sitter::Node,
    text: &Logical,
    word: &ShellWord,
) -> Option<TextRange> {
    let mut c = node.walk();
    let found = node
        .children(&mut c)
        .find(|n| text.range_to_source(n.byte_range()) == word.range)?;
    Some(found.byte_range())
}

fn command(node: tree_sitter::Node, text: &Logical, nested: u8, outer: RunsAs) -> Command {
    let mut words = Vec::new();
    let mut assignments = Vec::new();
    let mut c = node.walk();
    for (i, child) in node.children(&mut c).enumerate() {
        let field = node.field_name_for_child(i as u32);
        match (field, child.kind()) {
            (Some("name"), _) | (Some("argument"), _) => {
                words.push(word(child, text));
            }
            (_, "variable_assignment") => {
                let name = child
                    .child_by_field_name("name")
                    .map(|n| text.text[n.byte_range()].to_string())
                    .unwrap_or_default();
                let value = child
                    .child_by_field_name("value")
                    .and_then(|v| static_value(v, &text.text, 0));
                assignments.push((name, value));
            }
            _ => {}
        }
    }
    Command::new(
        words,
        assignments,
        text.range_to_source(node.byte_range()),
        nested,
        outer,
    )
}

fn word(node: tree_sitter::Node, text: &Logical) -> ShellWord {
    ShellWord {
        raw: text.text[node.byte_range()].to_string(),
        value: static_value(node, &text.text, 0),
        range: text.range_to_source(node.byte_range()),
        span: Span::Exact,
    }
}

/// The value of a word when it has no expansions (`None` past a sane nesting depth too).
fn static_value(node: tree_sitter::Node, src: &str, depth: usize) -> Option<String> {
    if depth > 32 {
        return None;
    }
    let raw = &src[node.byte_range()];
    match node.kind() {
        "command_name" => node
            .named_child(0)
            .and_then(|n| static_value(n, src, depth + 1)),
        "word" | "number" => Some(unescape(raw)),
        "raw_string" => Some(raw.trim_matches('\'').to_string()),
        "string" => {
            let mut c = node.walk();
            let mut out = String::new();
            for child in node.named_children(&mut c) {
                if child.kind() != "string_content" {
                    return None;
                }
                out.push_str(&unescape_double(&src[child.byte_range()]));
            }
            Some(out)
        }
        "concatenation" => {
            let mut c = node.walk();
            let mut out = String::new();
            for child in node.children(&mut c) {
                out.push_str(&static_value(child, src, depth + 1)?);
            }
            Some(out)
        }
        _ if !node.is_named() => Some(raw.to_string()),
        _ => None,
    }
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn unescape_double(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && matches!(chars.peek(), Some('"' | '\\' | '$' | '`')) {
            out.push(chars.next().unwrap_or('\\'));
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether a shell-form RUN's first line is only heredoc openers (`RUN <<EOF`): then the
/// first heredoc is the script.
pub fn runs_heredoc(inst: &Instruction) -> bool {
    let Args::Shell(sh) = &inst.args else {
        return false;
    };
    !inst.heredocs.is_empty()
        && sh
            .logical
            .text
            .lines()
            .next()
            .unwrap_or("")
            .split_whitespace()
            .all(|w| {
                w.trim_start_matches(|c: char| c.is_ascii_digit())
                    .starts_with("<<")
            })
}

/// The script a RUN instruction runs under the SHELL `shell` (argv), or `None` for non-RUN
/// instructions, shells that are not POSIX and programs that are not shells.
pub fn script_of(inst: &Instruction, shell: &[String]) -> Option<Script> {
    let inst = inst.sub.as_deref().unwrap_or(inst);
    if inst.keyword != Keyword::Run {
        return None;
    }
    match &inst.args {
        Args::Shell(sh) => {
            if Dialect::of(shell) != Dialect::Posix {
                return None;
            }
            if runs_heredoc(inst) {
                let body = &inst.heredocs[0].content;
                let first = body.text.lines().next().unwrap_or("");
                if let Some(interpreter) = first.strip_prefix("#!") {
                    let argv: Vec<String> =
                        interpreter.split_whitespace().map(String::from).collect();
                    if Dialect::of(&argv) != Dialect::Posix {
                        return None;
                    }
                }
                return Some(parse_script(body));
            }
            if inst.heredocs.is_empty() {
                return Some(parse_script(&sh.logical));
            }
            Some(with_heredocs(inst, &sh.logical))
        }
        Args::Exec(words) => {
            let first = words.first()?;
            let is_shell = SHELLS.contains(&basename(&first.value));
            if is_shell {
                if let Some(pos) = words.iter().position(|w| {
                    w.value == "-c"
                        || (w.value.starts_with('-')
                            && w.value.ends_with('c')
                            && !w.value.starts_with("--"))
                }) {
                    if let Some(script) = words.get(pos + 1) {
                        let mut s = parse_script(&Logical::default_with(&script.value));
                        s.form = Form::ExecScript;
                        s.ending = None;
                        for c in &mut s.commands {
                            c.range = script.range.clone();
                            for w in &mut c.words {
                                w.range = script.range.clone();
                                w.span = Span::Approximate;
                            }
                        }
                        return Some(s);
                    }
                }
            }
            Some(Script {
                commands: vec![Command::new(
                    words
                        .iter()
                        .map(|w| ShellWord {
                            raw: w.raw.clone(),
                            value: Some(w.value.clone()),
                            range: w.range.clone(),
                            span: Span::Json,
                        })
                        .collect(),
                    Vec::new(),
                    inst.range.clone(),
                    0,
                    RunsAs::Same,
                )],
                clean: true,
                form: Form::Exec,
                ending: None,
                too_deep: None,
                errexit: false,
                tail: None,
                actions: OnceCell::new(),
            })
        }
        _ => None,
    }
}

/// A shell-form RUN with heredocs after a command (`RUN cat <<EOF > /x`, `RUN <<EOF bash`):
/// the command line is parsed with the heredoc openers blanked out (tree-sitter-bash does not
/// read a redirect before the command name); a heredoc is a script only when the line is one
/// shell reading standard input, otherwise it is data.
fn with_heredocs(inst: &Instruction, logical: &Logical) -> Script {
    let line_end = logical.text.find('\n').unwrap_or(logical.text.len());
    let mut line = logical.slice(0..line_end);
    let mut blanked = line.text.clone();
    for h in &inst.heredocs {
        let opener = line.from_source(h.opener_range.start)..line.from_source(h.opener_range.end);
        if opener.end <= blanked.len()
            && blanked.is_char_boundary(opener.start)
            && blanked.is_char_boundary(opener.end)
        {
            blanked.replace_range(opener.clone(), &" ".repeat(opener.len()));
        }
    }
    line.text = blanked;
    let mut script = parse_script(&line);
    let reads_stdin = match script.commands.as_slice() {
        [] => true,
        [only] => {
            let argv = only.argv();
            argv.first()
                .and_then(|w| w.value.as_deref())
                .is_some_and(|n| SHELLS.contains(&basename(n)))
                && !argv.iter().skip(1).any(|w| {
                    w.value.as_deref().is_some_and(|v| {
                        !v.starts_with('-') || (v.ends_with('c') && !v.starts_with("--"))
                    })
                })
        }
        _ => false,
    };
    if reads_stdin {
        let outer = script
            .commands
            .first()
            .map(|c| c.runs_as())
            .unwrap_or(RunsAs::Same);
        let body = parse_at(&inst.heredocs[0].content, 1, &outer);
        script.clean &= body.clean;
        script.too_deep = script.too_deep.or(body.too_deep);
        script.commands.extend(body.commands);
    }
    script
}

/// The scripts of a model's RUN instructions, each parsed the first time a rule asks for it
/// and then kept, so a file pays for bash parsing only where some rule looks.
pub struct Scripts<'m> {
    model: &'m Dockerfile,
    cells: Vec<std::cell::OnceCell<Option<Script>>>,
}

impl<'m> Scripts<'m> {
    pub fn new(model: &'m Dockerfile) -> Self {
        Scripts {
            model,
            cells: (0..model.instructions.len())
                .map(|_| Default::default())
                .collect(),
        }
    }

    /// The script of instruction `index`, if it is a RUN that runs a shell or a program.
    pub fn get(&self, index: usize) -> Option<&Script> {
        let inst = self.model.instructions.get(index)?;
        self.cells[index]
            .get_or_init(|| script_of(inst, &self.model.contexts[index].shell))
            .as_ref()
    }
}

/// Scripts of every instruction of a model, by instruction index.
pub fn scripts(model: &Dockerfile) -> Vec<Option<Script>> {
    model
        .instructions
        .iter()
        .zip(&model.contexts)
        .map(|(i, c)| script_of(i, &c.shell))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax;

    fn sh() -> Vec<String> {
        vec!["/bin/sh".into(), "-c".into()]
    }

    fn first_script(text: &str) -> Script {
        let p = syntax::parse(text);
        script_of(
            p.instructions
                .iter()
                .find(|i| i.keyword == Keyword::Run)
                .unwrap(),
            &sh(),
        )
        .unwrap()
    }

    fn names(s: &Script) -> Vec<&str> {
        s.commands.iter().filter_map(|c| c.name()).collect()
    }

    #[test]
    fn commands_with_argv_and_ranges() {
        let text = "FROM a\nRUN apt-get update && \\\n  DEBIAN_FRONTEND=noninteractive sudo apt-get install -y \"curl\" $(cat x)\n";
        let s = first_script(text);
        assert_eq!(names(&s), vec!["apt-get", "apt-get", "cat"]);
        let install = &s.commands[1];
        assert_eq!(install.subcommand(), Some("install"));
        assert!(install.has_option("--yes", Some('y')));
        assert_eq!(install.assignments[0].0, "DEBIAN_FRONTEND");
        assert_eq!(&text[install.argv()[3].range.clone()], "\"curl\"");
        assert_eq!(install.argv()[4].value, None);
        assert_eq!(install.runs_as(), RunsAs::Sudo("sudo".into()));
        assert_eq!(s.commands[0].runs_as(), RunsAs::Same);
        let s = first_script("FROM a\nRUN sudo -u ${USERNAME} -E timeout 60 npm install -g x\n");
        assert_eq!(
            s.commands[0].runs_as(),
            RunsAs::Sudo("sudo -u ${USERNAME} -E timeout 60".into())
        );
        assert_eq!(s.commands[0].name(), Some("npm"));
    }

    #[test]
    fn heredoc_script_and_exec_form() {
        let s = first_script("FROM a\nRUN <<EOF\nset -e\napk add x\nEOF\n");
        assert_eq!(s.commands[1].name(), Some("apk"));
        let s = first_script("FROM a\nRUN [\"sh\", \"-c\", \"pip install x && true\"]\n");
        assert_eq!(s.commands[0].name(), Some("pip"));
        assert_eq!(s.form, Form::ExecScript);
        let s = first_script("FROM a\nRUN [\"/usr/bin/pip\", \"install\", \"x\"]\n");
        assert_eq!(s.commands[0].subcommand(), Some("install"));
        assert_eq!(s.commands[0].words[1].span, Span::Json);
    }

    #[test]
    fn heredocs_fed_to_programs_are_data() {
        let s = first_script("FROM a\nRUN <<EOF cat > /script.sh\napt-get update\nEOF\n");
        assert_eq!(names(&s), vec!["cat"]);
        assert!(s.clean);
        let s = first_script("FROM a\nRUN <<EOF bash -e\napt-get update\nEOF\n");
        assert_eq!(names(&s), vec!["bash", "apt-get"]);
        let s = first_script("FROM a\nRUN sudo sh <<EOF\napt-get update\nEOF\n");
        assert_eq!(s.commands[1].runs_as(), RunsAs::Sudo("sudo".into()));
    }

    #[test]
    fn sh_c_strings_are_scripts() {
        let text = "FROM a\nRUN sudo bash -c \"apt-get update && rm -rf /var/lib/apt/lists/*\"\n";
        let s = first_script(text);
        assert_eq!(names(&s), vec!["bash", "apt-get", "rm"]);
        let rm = &s.commands[2];
        assert_eq!(rm.nested, 1);
        assert_eq!(rm.runs_as(), RunsAs::Sudo("sudo".into()));
        assert_eq!(&text[rm.range.clone()], "rm -rf /var/lib/apt/lists/*");
        let s = first_script("FROM a\nRUN su app -c 'pip install x'\n");
        assert_eq!(s.commands[1].runs_as(), RunsAs::Other("su".into()));
    }

    #[test]
    fn scripts_that_cannot_be_seen() {
        let unseen = |run: &str| {
            first_script(&format!("FROM a\nRUN {run}\n"))
                .commands
                .iter()
                .any(|c| c.runs_unseen_script())
        };
        for run in [
            "./install.sh",
            "bash /tmp/setup",
            "sh scripts/deps",
            ". ./env.sh && make",
            "curl -fsSL https://deb.nodesource.com/setup_22.x | bash -",
            "/opt/tools/bootstrap --all",
        ] {
            assert!(unseen(run), "{run}");
        }
        for run in [
            "sh -c 'apt-get update'",
            "bash -ec 'make'",
            "/usr/bin/apt-get install -y x",
            "make install",
        ] {
            assert!(!unseen(run), "{run}");
        }
    }

    #[test]
    fn nothing_runs_after_exit() {
        let s = first_script(
            "FROM a\nRUN <<EOF\napt-get update\nexit 0\nrm -rf /var/lib/apt/lists/*\nEOF\n",
        );
        assert_eq!(names(&s), vec!["apt-get", "exit"]);
        assert!(s.ending.as_ref().is_some_and(|e| e.literal_exit));
        let s = first_script("FROM a\nRUN apt-get update && exec nginx\n");
        assert!(s.ending.as_ref().is_some_and(|e| !e.literal_exit));
        let s = first_script("FROM a\nRUN test -f x || exit 1; apt-get update\n");
        assert!(s.ending.is_none());
        assert_eq!(names(&s), vec!["test", "exit", "apt-get"]);
    }

    #[test]
    fn dialects() {
        let d = |v: &[&str]| Dialect::of(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(d(&["/bin/bash", "-o", "pipefail", "-c"]), Dialect::Posix);
        assert_eq!(d(&["/usr/bin/env", "bash", "-c"]), Dialect::Posix);
        assert_eq!(d(&["powershell", "-Command"]), Dialect::PowerShell);
        assert_eq!(
            d(&["C:\\Windows\\System32\\cmd.exe", "/S", "/C"]),
            Dialect::Cmd
        );
        assert_eq!(d(&["python3", "-c"]), Dialect::Other);
        let p = syntax::parse("FROM a\nRUN npm install\n");
        assert!(script_of(&p.instructions[1], &["pwsh".into(), "-Command".into()]).is_none());
    }

    #[test]
    fn nesting_is_measured_and_bounded() {
        assert_eq!(nesting_depth("echo $(a $(b)) \"((((\" '{{{'", 100), 2);
        assert_eq!(nesting_depth("a `b` c `d`", 100), 1);
        let deep = format!("echo {}x{}", "$(echo ".repeat(500), ")".repeat(500));
        assert!(nesting_depth(&deep, MAX_NESTING) > MAX_NESTING);
        let p = syntax::parse(&format!("FROM a\nRUN {deep}\n"));
        let s = script_of(&p.instructions[1], &sh()).unwrap();
        assert!(s.too_deep.is_some() && s.commands.is_empty());
    }
}
