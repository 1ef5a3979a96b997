//! Which commands of a script fail without failing it: the ones `set -e` would stop at.
//!
//! A shell without errexit returns the status of its last command: a command before it that
//! fails is passed over. [`unchecked`] walks a script's statements the way the shell runs them
//! and lists the commands whose failure neither reaches the script's exit status nor is handled
//! by the script itself, and that `set -e` would stop at: not a condition (`if`, `while`, the
//! left side of `&&` or `||`, `!`), not a pipeline's earlier stages (that is `pipefail`'s
//! business), not a function body (it runs where it is called), and not a builtin that does not
//! fail in practice (`echo`, `export`, `true`, ...). `set -e` and `set +e` change the state
//! from where they run on: commands after `set -e` are checked, and commands after `set +e`
//! were left unchecked on purpose, so neither is listed.

use crate::source::TextRange;
use crate::syntax::Logical;

/// What [`unchecked`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unchecked {
    /// Commands (or assignments running a command substitution) whose failure the script passes
    /// over, with their source ranges and program names (`None` for an assignment), in order.
    pub commands: Vec<(TextRange, Option<String>)>,
    /// Source range of the first `set -e` (or `set -o errexit`) that comes after one of them.
    pub late_errexit: Option<TextRange>,
    /// Whether the parser read the script without errors.
    pub clean: bool,
}

/// Builtins whose failure nobody checks: their status is not worth stopping a build for.
const HARMLESS: &[&str] = &[
    "set", "true", ":", "echo", "printf", "export", "unset", "shopt", "trap", "umask", "exit",
    "return", "break", "continue", "local", "declare", "typeset", "readonly", "alias", "sleep",
    "pwd", "hash", "wait",
];

/// Deepest statement nesting walked; deeper statements are taken as checked.
const MAX_DEPTH: usize = 64;

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    /// Failures are passed over, and nothing says so on purpose.
    Off,
    /// `set -e` is in force.
    On,
    /// `set +e`: failures are passed over on purpose.
    OffOnPurpose,
}

struct Walk<'t> {
    text: &'t Logical,
    state: State,
    out: Unchecked,
}

/// The commands of `text` (a whole script) whose failure does not fail it; `errexit` is whether
/// the shell already runs with `-e`.
pub fn unchecked(text: &Logical, errexit: bool) -> Unchecked {
    if super::nesting_depth(&text.text, super::MAX_NESTING) > super::MAX_NESTING {
        return Unchecked::default();
    }
    let Some(tree) = super::PARSER.with(|p| p.borrow_mut().parse(&text.text, None)) else {
        return Unchecked::default();
    };
    let root = tree.root_node();
    let mut w = Walk {
        text,
        state: if errexit { State::On } else { State::Off },
        out: Unchecked {
            clean: !root.has_error(),
            ..Unchecked::default()
        },
    };
    w.sequence(root, true, 0);
    w.out
}

/// How a statement's status is used.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// It is the script's status.
    Tail,
    /// It is tested (a condition, `a || b`'s `a`, `! a`) or ignored on purpose.
    Handled,
    /// Nothing looks at it.
    Ignored,
}

impl Walk<'_> {
    /// The statements of a body, the last one taking `tail`'s role.
    fn sequence(&mut self, node: tree_sitter::Node, tail: bool, depth: usize) {
        let mut c = node.walk();
        let stmts: Vec<tree_sitter::Node> = node
            .named_children(&mut c)
            .filter(|n| is_statement(n.kind()))
            .collect();
        let last = stmts.len().saturating_sub(1);
        for (k, s) in stmts.iter().enumerate() {
            let role = if tail && k == last {
                Role::Tail
            } else {
                Role::Ignored
            };
            self.statement(*s, role, depth + 1);
        }
    }

    fn statement(&mut self, node: tree_sitter::Node, role: Role, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        match node.kind() {
            "command" => self.command(node, role),
            // `X=$(cmd)` fails when `cmd` does; `X=1` does not.
            "variable_assignment" | "variable_assignments"
                if role == Role::Ignored && self.state == State::Off && has_substitution(node) =>
            {
                let range = self.text.range_to_source(node.byte_range());
                self.out.commands.push((range, None));
            }
            "redirected_statement" => {
                if let Some(body) = node.child_by_field_name("body") {
                    self.statement(body, role, depth + 1);
                }
            }
            "list" => {
                // `a && b`: `a`'s failure is the list's when the list is the tail, and exempt
                // from errexit otherwise; `a || b` handles `a`'s failure.
                let mut c = node.walk();
                let parts: Vec<tree_sitter::Node> = node.named_children(&mut c).collect();
                let op = node.child(1).map(|o| o.kind()).unwrap_or("");
                if let [left, right] = parts.as_slice() {
                    let left_role = match (op, role) {
                        ("&&", Role::Tail) => Role::Tail,
                        _ => Role::Handled,
                    };
                    self.statement(*left, left_role, depth + 1);
                    self.statement(*right, role, depth + 1);
                } else {
                    for p in parts {
                        self.statement(p, Role::Handled, depth + 1);
                    }
                }
            }
            "pipeline" => {
                let mut c = node.walk();
                let parts: Vec<tree_sitter::Node> = node
                    .named_children(&mut c)
                    .filter(|n| is_statement(n.kind()))
                    .collect();
                if let Some((last, rest)) = parts.split_last() {
                    for p in rest {
                        self.statement(*p, Role::Handled, depth + 1);
                    }
                    self.statement(*last, role, depth + 1);
                }
            }
            "negated_command" => {
                let mut c = node.walk();
                let inner: Vec<tree_sitter::Node> = node.named_children(&mut c).collect();
                for n in inner {
                    self.statement(n, Role::Handled, depth + 1);
                }
            }
            "compound_statement" | "subshell" => self.body(node, role, depth),
            "if_statement" | "elif_clause" | "else_clause" | "while_statement" => {
                // Statements before `then` (or `do`) are conditions; the rest is the body.
                let mut in_condition = node.kind() != "else_clause";
                let mut c = node.walk();
                for child in node.children(&mut c) {
                    match child.kind() {
                        "then" | "do" => in_condition = false,
                        "elif_clause" | "else_clause" => self.statement(child, role, depth + 1),
                        "do_group" => self.body(child, role, depth),
                        k if is_statement(k) => {
                            if in_condition {
                                self.statement(child, Role::Handled, depth + 1);
                            } else {
                                self.body_statement(child, role, depth);
                            }
                        }
                        _ => {}
                    }
                }
            }
            "for_statement" | "c_style_for_statement" | "select_statement" => {
                if let Some(body) = node.child_by_field_name("body") {
                    self.body(body, role, depth);
                }
            }
            "case_statement" => {
                let mut c = node.walk();
                for item in node.named_children(&mut c) {
                    if item.kind() == "case_item" {
                        self.body(item, role, depth);
                    }
                }
            }
            // A function runs where it is called; `[ ... ]` as a statement of its own is a
            // test whose result is not used either way.
            _ => {}
        }
    }

    /// A body's statements: the last one has the body's role (`Handled` stays handled).
    fn body(&mut self, node: tree_sitter::Node, role: Role, depth: usize) {
        match role {
            Role::Tail => self.sequence(node, true, depth),
            Role::Ignored => self.sequence(node, false, depth),
            Role::Handled => {
                // `if cmd; then ...`: commands before the last are still ignored.
                let mut c = node.walk();
                let stmts: Vec<tree_sitter::Node> = node
                    .named_children(&mut c)
                    .filter(|n| is_statement(n.kind()))
                    .collect();
                let last = stmts.len().saturating_sub(1);
                for (k, s) in stmts.iter().enumerate() {
                    let r = if k == last {
                        Role::Handled
                    } else {
                        Role::Ignored
                    };
                    self.statement(*s, r, depth + 1);
                }
            }
        }
    }

    /// A statement of an `if` branch given inline in the `if_statement` node: the last one of
    /// the branch (before `elif`, `else` or `fi`) has the statement's role.
    fn body_statement(&mut self, stmt: tree_sitter::Node, role: Role, depth: usize) {
        let mut next = stmt.next_sibling();
        while let Some(n) = next {
            if n.kind() == "comment" {
                next = n.next_sibling();
                continue;
            }
            break;
        }
        let last_of_branch = next.is_none_or(|n| !is_statement(n.kind()));
        let r = if last_of_branch { role } else { Role::Ignored };
        self.statement(stmt, r, depth + 1);
    }

    fn command(&mut self, node: tree_sitter::Node, role: Role) {
        let name = node
            .child_by_field_name("name")
            .map(|n| self.text.text[n.byte_range()].to_string());
        if name.as_deref() == Some("set") {
            let mut c = node.walk();
            let args: Vec<&str> = node
                .children_by_field_name("argument", &mut c)
                .map(|a| &self.text.text[a.byte_range()])
                .collect();
            match errexit_of(&args) {
                Some(true) => {
                    if self.state == State::Off && !self.out.commands.is_empty() {
                        self.out
                            .late_errexit
                            .get_or_insert_with(|| self.text.range_to_source(node.byte_range()));
                    }
                    self.state = State::On;
                }
                Some(false) => self.state = State::OffOnPurpose,
                None => {}
            }
            return;
        }
        if role != Role::Ignored || self.state != State::Off {
            return;
        }
        let base = name.as_deref().map(super::basename);
        if base.is_some_and(|n| HARMLESS.contains(&n)) {
            return;
        }
        let range = self.text.range_to_source(node.byte_range());
        self.out.commands.push((range, base.map(String::from)));
    }
}

/// Whether `set` arguments turn errexit on (`-e`, `-eux`, `-o errexit`) or off (`+e`).
pub fn errexit_of(args: &[&str]) -> Option<bool> {
    let mut change = None;
    for (i, a) in args.iter().enumerate() {
        let named = args.get(i + 1).is_some_and(|n| *n == "errexit");
        match a.as_bytes() {
            [b'-', b'o'] if named => change = Some(true),
            [b'+', b'o'] if named => change = Some(false),
            [b'-', b'-', ..] => break,
            [b'-', rest @ ..] if rest.contains(&b'e') => change = Some(true),
            [b'+', rest @ ..] if rest.contains(&b'e') => change = Some(false),
            _ => {}
        }
    }
    change
}

/// Whether the options of a shell's command line (`bash -euxo pipefail -c`, `sh -e`, `bash -o
/// errexit`) turn errexit on: the options before the script or `-c` argument.
pub fn shell_errexit(args: &[&str]) -> bool {
    let mut on = false;
    let mut i = 0;
    while let Some(a) = args.get(i) {
        i += 1;
        if *a == "--" || !a.starts_with(['-', '+']) || a.starts_with("--") {
            if a.starts_with("--") && *a != "--" {
                continue;
            }
            break;
        }
        let body = &a[1..];
        let takes_o = body.contains('o');
        if body.contains('e') {
            on = a.starts_with('-');
        }
        if takes_o {
            if args.get(i) == Some(&"errexit") {
                on = a.starts_with('-');
            }
            i += 1;
        }
        if body.ends_with('c') {
            break;
        }
    }
    on
}

fn is_statement(kind: &str) -> bool {
    matches!(
        kind,
        "command"
            | "variable_assignment"
            | "variable_assignments"
            | "redirected_statement"
            | "list"
            | "pipeline"
            | "negated_command"
            | "compound_statement"
            | "subshell"
            | "if_statement"
            | "while_statement"
            | "for_statement"
            | "c_style_for_statement"
            | "select_statement"
            | "case_statement"
            | "function_definition"
            | "test_command"
            | "declaration_command"
            | "unset_command"
    )
}

/// Whether a node runs a command substitution (`$(...)` or backquotes).
fn has_substitution(node: tree_sitter::Node) -> bool {
    super::has_descendant(node, |kind| kind == "command_substitution")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(script: &str) -> Vec<String> {
        unchecked(&Logical::default_with(script), false)
            .commands
            .into_iter()
            .map(|(_, n)| n.unwrap_or_else(|| "=".into()))
            .collect()
    }

    #[test]
    fn statements_before_the_last() {
        assert_eq!(names("apt-get update\napt-get install -y x\n"), ["apt-get"]);
        assert!(names("apt-get update && apt-get install -y x\n").is_empty());
        assert!(names("make\n").is_empty());
        assert_eq!(names("a; b; c\n"), ["a", "b"]);
        assert!(names("echo hi\nexport X=1\nY=2\nmake\n").is_empty());
        assert_eq!(names("X=$(cat f)\nmake\n"), ["="]);
        // `a && b` before the last: only `b` is stopped at by `set -e`.
        assert_eq!(names("a && b\nc\n"), ["b"]);
        assert_eq!(names("a || b\nc\n"), ["b"]);
        assert!(names("a || true\nc\n").is_empty());
        assert_eq!(names("curl x | tar xz\nc\n"), ["tar"]);
        assert!(names("! grep x f\nc\n").is_empty());
        assert!(names("f() {\n a\n b\n}\nf\n").is_empty());
        assert_eq!(names("cd /x\nmake\n"), ["cd"]);
    }

    #[test]
    fn compound_statements() {
        assert_eq!(names("if [ -f x ]; then\n a\n b\nfi\n"), ["a"]);
        assert_eq!(
            names("if a; then\n b\n c\nelif d; then\n e\n f\nelse\n g\n h\nfi\n"),
            ["b", "e", "g"]
        );
        assert_eq!(names("if a; then b; fi\nc\n"), ["b"]);
        assert_eq!(names("for f in *; do\n a\n b\ndone\n"), ["a"]);
        assert_eq!(names("while read l; do a; b; done < f\n"), ["a"]);
        assert_eq!(names("{ a; b; }\n"), ["a"]);
        assert_eq!(names("(cd x && a)\nb\n"), ["a"]);
        assert_eq!(names("case $x in\n a) b; c;;\n *) d;;\nesac\n"), ["b"]);
    }

    #[test]
    fn set_e_and_set_plus_e() {
        assert!(names("set -e\na\nb\n").is_empty());
        assert!(names("set -eux\na\nb\n").is_empty());
        assert!(names("set -o errexit\na\nb\n").is_empty());
        assert!(names("set -o pipefail -e\na\nb\n").is_empty());
        assert_eq!(names("set -o pipefail\na\nb\n"), ["a"]);
        assert_eq!(names("set -ux\na\nb\n"), ["a"]);
        let late = unchecked(&Logical::default_with("a\nset -e\nb\nc\n"), false);
        assert_eq!(late.commands.len(), 1);
        assert!(late.late_errexit.is_some());
        assert!(names("set +e\na\nb\n").is_empty());
        assert_eq!(names("set -e\nset +e\na\nb\n").len(), 0);
        assert!(unchecked(&Logical::default_with("a\nb\n"), true)
            .commands
            .is_empty());
    }

    #[test]
    fn shell_options() {
        assert!(shell_errexit(&["-e", "-c"]));
        assert!(shell_errexit(&["-euxo", "pipefail", "-c"]));
        assert!(shell_errexit(&["-ec"]));
        assert!(shell_errexit(&["-o", "errexit", "-c"]));
        assert!(!shell_errexit(&["-o", "pipefail", "-c"]));
        assert!(!shell_errexit(&["-c"]));
        assert!(!shell_errexit(&["-x"]));
        assert!(shell_errexit(&["-ex"]));
        assert!(!shell_errexit(&["--login", "-c"]));
        assert!(shell_errexit(&["--login", "-e", "-c"]));
    }
}
