//! The only module that knows tree-sitter-bash: RUN bodies as commands with argv and source ranges.

use std::cell::RefCell;

use crate::model::Dockerfile;
use crate::source::TextRange;
use crate::syntax::{Args, Instruction, Keyword, Logical};

/// One word of a command line. `value` is `None` when it depends on expansions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShellWord {
    pub raw: String,
    pub value: Option<String>,
    pub range: TextRange,
}

/// A simple command: `NAME=v cmd arg...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    /// Command name and arguments as written (assignments and redirects excluded).
    pub words: Vec<ShellWord>,
    /// Leading `NAME=value` assignments.
    pub assignments: Vec<(String, Option<String>)>,
    pub range: TextRange,
}

/// Commands that run another command given as their arguments.
const WRAPPERS: &[&str] = &[
    "sudo", "env", "nice", "nohup", "time", "exec", "command", "xargs", "timeout", "stdbuf",
];

impl Command {
    /// The words of the command that really runs, wrappers such as `sudo` or `env X=1` skipped.
    pub fn argv(&self) -> &[ShellWord] {
        let mut w = &self.words[..];
        loop {
            let Some(first) = w.first().and_then(|f| f.value.as_deref()) else {
                return w;
            };
            let name = basename(first);
            if !WRAPPERS.contains(&name) {
                return w;
            }
            let mut i = 1;
            while let Some(v) = w.get(i).and_then(|x| x.value.as_deref()) {
                let takes_value = matches!(
                    (name, v),
                    ("sudo", "-u" | "-g") | ("env", "-u") | ("nice", "-n")
                );
                if v.starts_with('-') || (name == "env" && v.contains('=')) {
                    i += if takes_value { 2 } else { 1 };
                } else if name == "timeout" && v.chars().next().is_some_and(|c| c.is_ascii_digit())
                {
                    i += 1;
                    break;
                } else {
                    break;
                }
            }
            w = &w[i.min(w.len())..];
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

pub fn basename(s: &str) -> &str {
    s.rsplit('/').next().unwrap_or(s)
}

/// The commands a RUN executes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Script {
    pub commands: Vec<Command>,
    /// Whether bash parsed the text without errors.
    pub clean: bool,
}

thread_local! {
    static PARSER: RefCell<tree_sitter::Parser> = RefCell::new({
        let mut p = tree_sitter::Parser::new();
        p.set_language(&tree_sitter_bash::LANGUAGE.into())
            .expect("tree-sitter-bash is ABI-compatible with the linked tree-sitter");
        p
    });
}

/// Parse shell text whose bytes map to source through `map`.
pub fn parse_script(text: &Logical) -> Script {
    let Some(tree) = PARSER.with(|p| p.borrow_mut().parse(&text.text, None)) else {
        return Script::default();
    };
    let mut commands = Vec::new();
    let root = tree.root_node();
    collect(root, text, &mut commands);
    Script {
        commands,
        clean: !root.has_error(),
    }
}

/// Every `command` node, in document order, without recursion (scripts can nest deeply).
fn collect(root: tree_sitter::Node, text: &Logical, out: &mut Vec<Command>) {
    let mut cursor = root.walk();
    loop {
        let node = cursor.node();
        if node.kind() == "command" {
            out.push(command(node, text));
        }
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
        }
    }
}

fn command(node: tree_sitter::Node, text: &Logical) -> Command {
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
    Command {
        words,
        assignments,
        range: text.range_to_source(node.byte_range()),
    }
}

fn word(node: tree_sitter::Node, text: &Logical) -> ShellWord {
    ShellWord {
        raw: text.text[node.byte_range()].to_string(),
        value: static_value(node, &text.text, 0),
        range: text.range_to_source(node.byte_range()),
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

const SHELLS: &[&str] = &["sh", "bash", "ash", "dash", "zsh", "ksh"];

/// The script a RUN instruction runs, or `None` for non-RUN instructions and non-shell programs.
pub fn script_of(inst: &Instruction) -> Option<Script> {
    let inst = inst.sub.as_deref().unwrap_or(inst);
    if inst.keyword != Keyword::Run {
        return None;
    }
    match &inst.args {
        Args::Shell(sh) => {
            // `RUN <<EOF` alone runs the heredoc as the script.
            let only_heredocs = !inst.heredocs.is_empty() && {
                let first_line = sh.logical.text.lines().next().unwrap_or("");
                first_line.split_whitespace().all(|w| {
                    w.trim_start_matches(|c: char| c.is_ascii_digit())
                        .starts_with("<<")
                })
            };
            if only_heredocs {
                let body = &inst.heredocs[0].content;
                let first = body.text.lines().next().unwrap_or("");
                if first.starts_with("#!") && !SHELLS.iter().any(|s| first.ends_with(s)) {
                    return None;
                }
                return Some(parse_script(body));
            }
            Some(parse_script(&sh.logical))
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
                        for c in &mut s.commands {
                            c.range = script.range.clone();
                            for w in &mut c.words {
                                w.range = script.range.clone();
                            }
                        }
                        return Some(s);
                    }
                }
            }
            Some(Script {
                commands: vec![Command {
                    words: words
                        .iter()
                        .map(|w| ShellWord {
                            raw: w.raw.clone(),
                            value: Some(w.value.clone()),
                            range: w.range.clone(),
                        })
                        .collect(),
                    assignments: Vec::new(),
                    range: inst.range.clone(),
                }],
                clean: true,
            })
        }
        _ => None,
    }
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
        self.cells[index].get_or_init(|| script_of(inst)).as_ref()
    }
}

/// Scripts of every instruction of a model, by instruction index.
pub fn scripts(model: &Dockerfile) -> Vec<Option<Script>> {
    model.instructions.iter().map(script_of).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax;

    fn first_script(text: &str) -> Script {
        let p = syntax::parse(text);
        script_of(
            p.instructions
                .iter()
                .find(|i| i.keyword == Keyword::Run)
                .unwrap(),
        )
        .unwrap()
    }

    #[test]
    fn commands_with_argv_and_ranges() {
        let text = "FROM a\nRUN apt-get update && \\\n  DEBIAN_FRONTEND=noninteractive sudo apt-get install -y \"curl\" $(cat x)\n";
        let s = first_script(text);
        let names: Vec<_> = s.commands.iter().filter_map(|c| c.name()).collect();
        assert_eq!(names, vec!["apt-get", "apt-get", "cat"]);
        let install = &s.commands[1];
        assert_eq!(install.subcommand(), Some("install"));
        assert!(install.has_option("--yes", Some('y')));
        assert_eq!(install.assignments[0].0, "DEBIAN_FRONTEND");
        assert_eq!(&text[install.argv()[3].range.clone()], "\"curl\"");
        assert_eq!(install.argv()[4].value, None);
    }

    #[test]
    fn heredoc_script_and_exec_form() {
        let s = first_script("FROM a\nRUN <<EOF\nset -e\napk add x\nEOF\n");
        assert_eq!(s.commands[1].name(), Some("apk"));
        let s = first_script("FROM a\nRUN [\"sh\", \"-c\", \"pip install x && true\"]\n");
        assert_eq!(s.commands[0].name(), Some("pip"));
        let s = first_script("FROM a\nRUN [\"/usr/bin/pip\", \"install\", \"x\"]\n");
        assert_eq!(s.commands[0].subcommand(), Some("install"));
    }
}
