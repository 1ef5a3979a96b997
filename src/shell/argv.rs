//! Shell-form command lines that mean the same in exec form: the argv a simple command runs.
//!
//! `CMD`, `ENTRYPOINT` and `RUN` in shell form hand their text to `/bin/sh -c`; the exec form
//! runs an argv directly. The rewrite is mechanical only when the shell would do nothing but
//! split words and remove plain quotes: one simple command, no expansions of any kind (variables,
//! globs, `~`, braces, command substitution), no redirects, lists, pipes or assignments, no
//! backslashes, and a program that exists outside the shell (not a builtin such as `cd`).
//! A leading `exec` is dropped: exec form already runs the program in the shell's place.

use super::PARSER;

/// Shell builtins that are no program on `PATH` (`echo`, `test`, `true` and `kill` are).
const BUILTINS: &[&str] = &[
    ".",
    ":",
    "alias",
    "bg",
    "bind",
    "break",
    "builtin",
    "caller",
    "cd",
    "command",
    "compgen",
    "complete",
    "continue",
    "declare",
    "dirs",
    "disown",
    "enable",
    "eval",
    "exit",
    "export",
    "fc",
    "fg",
    "getopts",
    "hash",
    "help",
    "history",
    "jobs",
    "let",
    "local",
    "logout",
    "mapfile",
    "popd",
    "pushd",
    "read",
    "readarray",
    "readonly",
    "return",
    "set",
    "shift",
    "shopt",
    "source",
    "suspend",
    "times",
    "trap",
    "type",
    "typeset",
    "ulimit",
    "umask",
    "unalias",
    "unset",
    "wait",
];

/// The argv that exec form would need to run `text` as `/bin/sh -c` runs it, or what shell
/// feature the text uses (for a help message: "the command uses {why}").
pub fn exec_form_argv(text: &str) -> Result<Vec<String>, &'static str> {
    let t = text.trim();
    if t.is_empty() {
        return Err("no command");
    }
    if t.contains('\n') {
        return Err("several lines");
    }
    // Cheap refusals first (and a bound on what the parser is given): characters that are
    // shell syntax wherever they appear outside single quotes.
    if t.contains('\\') {
        return Err("backslash escapes");
    }
    if t.contains('`') {
        return Err("command substitution");
    }
    if t.contains('$') {
        return Err("variables");
    }
    if t.len() > 64 * 1024 {
        return Err("a command line this long");
    }
    let mut argv = match words(t) {
        Ok(argv) => argv,
        // Words that tree-sitter-bash does not read (`100%`) are still plain when the text
        // has no shell syntax character at all.
        Err(why) => super::exec_argv(t).map_err(|_| why)?,
    };
    // `exec prog args`: the shell replaces itself with the program, which exec form does.
    if argv.first().map(String::as_str) == Some("exec") {
        match argv.get(1) {
            Some(next) if !next.starts_with('-') => {
                argv.remove(0);
            }
            _ => return Err("the shell builtin `exec` with options"),
        }
    }
    let Some(program) = argv.first() else {
        return Err("no command");
    };
    if BUILTINS.contains(&program.as_str()) {
        return Err("a shell builtin");
    }
    if program.contains('=') {
        return Err("a variable assignment");
    }
    Ok(argv)
}

/// The words of one simple command, read with tree-sitter-bash.
fn words(t: &str) -> Result<Vec<String>, &'static str> {
    let Some(tree) = PARSER.with(|p| p.borrow_mut().parse(t, None)) else {
        return Err("shell syntax");
    };
    let root = tree.root_node();
    if root.has_error() {
        return Err("shell syntax the parser does not read");
    }
    let mut c = root.walk();
    let stmts: Vec<tree_sitter::Node> = root.named_children(&mut c).collect();
    let [cmd] = stmts.as_slice() else {
        return Err(if stmts.iter().any(|s| s.kind() == "comment") {
            "a comment"
        } else {
            "command lists"
        });
    };
    match cmd.kind() {
        "command" => {}
        "list" => return Err("command lists"),
        "pipeline" => return Err("a pipe"),
        "redirected_statement" => return Err("redirects"),
        "subshell" => return Err("subshells"),
        "variable_assignment" | "variable_assignments" => return Err("a variable assignment"),
        "negated_command" => return Err("`!`"),
        "comment" => return Err("a comment"),
        _ => return Err("shell syntax"),
    }
    let mut argv = Vec::new();
    let mut c = cmd.walk();
    for (i, child) in cmd.children(&mut c).enumerate() {
        let field = cmd.field_name_for_child(i as u32);
        match (field, child.kind()) {
            (Some("name"), _) => {
                let word = child.named_child(0).ok_or("shell syntax")?;
                argv.push(literal(word, t)?);
            }
            (Some("argument"), _) => argv.push(literal(child, t)?),
            (_, "variable_assignment") => return Err("a variable assignment"),
            (_, k) if k.ends_with("redirect") => return Err("redirects"),
            (_, "comment") => return Err("a comment"),
            _ if child.is_named() => return Err("shell syntax"),
            _ => {}
        }
    }
    Ok(argv)
}

/// The value of a word the shell passes on unchanged but for removing plain quotes.
fn literal(node: tree_sitter::Node, src: &str) -> Result<String, &'static str> {
    let raw = &src[node.byte_range()];
    match node.kind() {
        "word" | "number" => {
            if raw.contains(['*', '?', '[', ']']) {
                return Err("globs");
            }
            if raw.contains(['{', '}']) {
                return Err("braces");
            }
            if raw.contains('~') {
                return Err("`~`");
            }
            if raw.starts_with('#') {
                return Err("a comment");
            }
            Ok(raw.to_string())
        }
        "raw_string" => Ok(raw
            .strip_prefix('\'')
            .and_then(|r| r.strip_suffix('\''))
            .ok_or("quoting")?
            .to_string()),
        "string" => {
            let mut c = node.walk();
            let mut out = String::new();
            for child in node.named_children(&mut c) {
                if child.kind() != "string_content" {
                    return Err("expansions in quotes");
                }
                out.push_str(&src[child.byte_range()]);
            }
            // The content is the text between the quotes exactly (no escapes were allowed).
            let inner = raw
                .strip_prefix('"')
                .and_then(|r| r.strip_suffix('"'))
                .ok_or("quoting")?;
            if inner != out {
                return Err("quoting");
            }
            Ok(out)
        }
        "concatenation" => {
            let mut c = node.walk();
            let mut out = String::new();
            for child in node.children(&mut c) {
                out.push_str(&literal(child, src)?);
            }
            Ok(out)
        }
        _ => Err(match node.kind() {
            "simple_expansion" | "expansion" => "variables",
            "command_substitution" => "command substitution",
            "process_substitution" => "process substitution",
            "arithmetic_expansion" => "arithmetic",
            "brace_expression" => "braces",
            "ansi_c_string" | "translated_string" => "quoting",
            _ => "shell syntax",
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::exec_form_argv as argv;

    fn ok(t: &str) -> Vec<String> {
        argv(t).unwrap_or_else(|e| panic!("{t}: {e}"))
    }

    #[test]
    fn plain_words_and_quotes() {
        assert_eq!(ok("./hello --x 1"), ["./hello", "--x", "1"]);
        assert_eq!(
            ok(r#"python -c "print('hi there')""#),
            ["python", "-c", "print('hi there')"]
        );
        assert_eq!(ok("echo 'a  b' --k=\"v w\""), ["echo", "a  b", "--k=v w"]);
        assert_eq!(ok("exec java -jar /app.jar"), ["java", "-jar", "/app.jar"]);
        assert_eq!(ok("nginx -g 'daemon off;'"), ["nginx", "-g", "daemon off;"]);
        assert_eq!(ok("100% ./x"), ["100%", "./x"]);
    }

    #[test]
    fn shell_features_are_refused() {
        for (t, why) in [
            ("./hello $X", "variables"),
            ("a && b", "command lists"),
            ("a; b", "command lists"),
            ("a | b", "a pipe"),
            ("a > /log", "redirects"),
            ("X=1 ./a", "a variable assignment"),
            ("ls *.txt", "globs"),
            ("ls ~/x", "`~`"),
            ("echo {a,b}", "braces"),
            ("echo a\\ b", "backslash escapes"),
            ("echo `date`", "command substitution"),
            ("cd /x", "a shell builtin"),
            ("exec -a x y", "the shell builtin `exec` with options"),
            ("exec", "the shell builtin `exec` with options"),
            ("(a)", "subshells"),
            ("a # note", "a comment"),
            ("a\nb", "several lines"),
            ("if true; then a; fi", "shell syntax"),
            ("", "no command"),
            ("['a', 'b']", "shell syntax the parser does not read"),
        ] {
            assert_eq!(argv(t), Err(why), "{t}");
        }
    }
}
