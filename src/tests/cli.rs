//! The `dlint` binary as users run it: formats, selection, stdin, discovery, exit codes, bad input.

use std::io::Write;
use std::path::Path;

use crate::common::TempDir;
use std::process::{Command, Output, Stdio};

fn dlint() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_dlint"));
    c.env_remove("NO_COLOR");
    c
}

fn run(args: &[&str], cwd: &Path) -> Output {
    dlint().args(args).current_dir(cwd).output().unwrap()
}

/// Run with `input` on standard input.
fn run_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = dlint()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const BAD: &str = "FROM golang:1.22 AS build\nWORKDIR /src\nRUN go build -o hello .\nFROM scratch\nCOPY --from=0 hello .\nCMD ./hello\n";
const GOOD: &str = "FROM golang:1.22 AS build\nWORKDIR /src\nRUN CGO_ENABLED=0 go build -o /hello .\nFROM scratch\nCOPY --from=build /hello /hello\nCMD [\"/hello\"]\n";

#[test]
fn concise_format_and_exit_1() {
    let t = TempDir::new("concise");
    t.write("Dockerfile", BAD);
    let o = run(&["--format", "concise", "Dockerfile"], &t.0);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "Dockerfile:5:13: warning[unnamed-stage] stage `0` is referenced by its index"
    );
    assert_eq!(lines[1], "Dockerfile:5:15: warning[relative-copy-from] `hello` is resolved from the root of stage `build`, not from its WORKDIR");
    assert!(lines[2].starts_with(
        "Dockerfile:6:1: warning[shell-form-cmd/JSONArgsRecommended] shell-form `CMD` runs the program under `/bin/sh -c`"
    ));
    assert!(lines[3].starts_with(
        "Dockerfile:6:1: error[shell-form-on-scratch] shell-form `CMD` runs `/bin/sh -c`"
    ));
    assert_eq!(
        lines[4],
        "Found 4 problems (1 error, 3 warnings) in 1 file."
    );
}

#[test]
fn clean_file_exits_0() {
    let t = TempDir::new("clean");
    t.write("Dockerfile", GOOD);
    let o = run(&["Dockerfile"], &t.0);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert_eq!(stdout(&o), "All checks passed (1 file).\n");
}

#[test]
fn json_format_shape() {
    let t = TempDir::new("json");
    t.write("Dockerfile", BAD);
    let o = run(&["--format", "json", "Dockerfile"], &t.0);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let first = &v.as_array().unwrap()[0];
    let keys: Vec<&str> = first
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "path",
            "rule",
            "code",
            "severity",
            "message",
            "help",
            "line",
            "column",
            "end_line",
            "end_column",
            "fix"
        ]
    );
    assert_eq!(first["rule"], "unnamed-stage");
    assert_eq!(
        (
            first["line"].as_u64(),
            first["column"].as_u64(),
            first["end_column"].as_u64()
        ),
        (Some(5), Some(13), Some(14))
    );
    let fix = &first["fix"];
    assert_eq!(fix["applicability"], "safe");
    assert_eq!(fix["title"], "refer to stage 0 by its name `build`");
    assert_eq!(fix["edits"][0]["content"], "build");
    assert_eq!(
        (
            fix["edits"][0]["line"].as_u64(),
            fix["edits"][0]["column"].as_u64(),
            fix["edits"][0]["end_column"].as_u64()
        ),
        (Some(5), Some(13), Some(14))
    );
}

#[test]
fn full_format_shows_snippet_and_help() {
    let t = TempDir::new("full");
    t.write("Dockerfile", BAD);
    let o = run(&["--color", "never", "Dockerfile"], &t.0);
    let out = stdout(&o);
    assert!(
        out.contains("error[shell-form-on-scratch]: shell-form `CMD` runs `/bin/sh -c`"),
        "{out}"
    );
    assert!(out.contains("┌─ Dockerfile:6:1"), "{out}");
    assert!(out.contains("6 │ CMD ./hello"), "{out}");
    assert!(
        out.contains("= help: use the exec form: `CMD [\"./hello\"]`"),
        "{out}"
    );
    assert!(out.contains("stage 0 starts here"), "{out}");
    assert!(!out.contains('\u{1b}'), "no color with --color never");
    let colored = stdout(&run(&["--color", "always", "Dockerfile"], &t.0));
    assert!(colored.contains('\u{1b}'));
}

#[test]
fn select_and_ignore_by_slug_alias_and_group() {
    let t = TempDir::new("select");
    t.write(
        "Dockerfile",
        "FROM debian:12\nRUN apt-get update\nCOPY --from=nope /a /b\n",
    );
    let rules_of = |args: &[&str]| -> Vec<String> {
        let mut a = vec!["--format", "json"];
        a.extend_from_slice(args);
        a.push("Dockerfile");
        let v: serde_json::Value = serde_json::from_slice(&run(&a, &t.0).stdout).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .map(|d| d["rule"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(rules_of(&[]), ["cache-in-layer", "undefined-stage"]);
    assert_eq!(rules_of(&["--select", "DL3009"]), ["cache-in-layer"]);
    assert_eq!(rules_of(&["--select", "correctness"]), ["undefined-stage"]);
    assert_eq!(rules_of(&["--ignore", "dl3022,size"]), Vec::<String>::new());
    assert_eq!(
        rules_of(&["--select", "all", "--ignore", "undefined-stage"]),
        ["cache-in-layer"]
    );
    let o = run(&["--select", "no-such-rule", "Dockerfile"], &t.0);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown rule or group `no-such-rule`"));
}

#[test]
fn fail_level() {
    let t = TempDir::new("fail-level");
    t.write("Dockerfile", "FROM debian:12\nRUN apt-get update\n");
    assert_eq!(run(&["Dockerfile"], &t.0).status.code(), Some(1));
    assert_eq!(
        run(&["--fail-level", "error", "Dockerfile"], &t.0)
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn stdin_with_filename() {
    let o = run_stdin(
        &[
            "--format",
            "concise",
            "--stdin-filename",
            "svc/Dockerfile",
            "-",
        ],
        BAD.as_bytes(),
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).starts_with("svc/Dockerfile:5:13: "),
        "{}",
        stdout(&o)
    );
}

#[test]
fn directory_discovery_honours_gitignore_and_names() {
    let t = TempDir::new("discover");
    for name in [
        "Dockerfile",
        "Containerfile",
        "api.Dockerfile",
        "web.dockerfile",
        "Dockerfile.dev",
        "Containerfile.prod",
        "sub/deep/Dockerfile",
        ".devcontainer/Dockerfile",
        "ignored/Dockerfile",
    ] {
        t.write(name, "FROM debian:12\nRUN apt-get update\n");
    }
    t.write("README.md", "FROM x");
    t.write("Dockerfile.dockerignore", "node_modules\n");
    t.write(".gitignore", "ignored/\n");
    let o = run(&["--format", "concise"], &t.0);
    let out = stdout(&o);
    let paths: Vec<&str> = out
        .lines()
        .filter(|l| l.contains(": warning["))
        .map(|l| l.split(':').next().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            ".devcontainer/Dockerfile",
            "Containerfile",
            "Containerfile.prod",
            "Dockerfile",
            "Dockerfile.dev",
            "api.Dockerfile",
            "sub/deep/Dockerfile",
            "web.dockerfile"
        ]
    );
    // An explicit path is always linted, whatever its name or .gitignore says.
    t.write("odd-name.txt", "FROM debian:12\nRUN apt-get update\n");
    let o = run(
        &["--format", "concise", "odd-name.txt", "ignored/Dockerfile"],
        &t.0,
    );
    assert_eq!(
        stdout(&o)
            .lines()
            .filter(|l| l.contains("cache-in-layer"))
            .count(),
        2
    );
}

#[test]
fn output_is_sorted_and_deterministic() {
    let t = TempDir::new("sorted");
    for i in 0..40 {
        t.write(&format!("d{i:02}/Dockerfile"), BAD);
    }
    let a = stdout(&run(&["--format", "concise", "."], &t.0));
    let b = stdout(&run(&["--format", "concise", "."], &t.0));
    assert_eq!(a, b);
    let lines: Vec<&str> = a.lines().filter(|l| l.starts_with('d')).collect();
    assert_eq!(lines.len(), 160);
    let mut sorted = lines.clone();
    sorted.sort_by_key(|l| l.split(':').next().unwrap().to_string());
    assert_eq!(lines, sorted);
}

#[test]
fn bad_input_is_reported_and_other_files_still_linted() {
    let t = TempDir::new("bad-input");
    t.write("a/Dockerfile", b"FROM debian:12\nRUN echo \xe9t\xe9\n");
    t.write("b/Dockerfile", b"\x7fELF\x02\x01\x01\x00\x00\x00binary");
    t.write("c/Dockerfile", "");
    t.write("d/Dockerfile", BAD);
    t.write("e/Dockerfile", "FROM\nCOPY --from=\nRUN <<EOF\necho half");
    #[cfg(unix)]
    std::os::unix::fs::symlink(t.0.join("nowhere"), t.0.join("f.Dockerfile")).unwrap();
    let o = run(&["--format", "concise", ".", "missing/Dockerfile"], &t.0);
    assert_eq!(o.status.code(), Some(2), "IO and input errors give exit 2");
    let err = stderr(&o);
    assert!(err.contains("error[dlint::not_utf8]: a/Dockerfile: the file is not valid UTF-8 (invalid byte at line 2, column 10)"), "{err}");
    assert!(
        err.contains("error[dlint::binary]: b/Dockerfile: the file looks binary"),
        "{err}"
    );
    assert!(
        err.contains("error[dlint::not_found]: missing/Dockerfile: not found"),
        "{err}"
    );
    #[cfg(unix)]
    assert!(
        err.contains("f.Dockerfile"),
        "dangling symlink reported: {err}"
    );
    assert_eq!(
        err.lines().count(),
        if cfg!(unix) { 4 } else { 3 },
        "one line per bad path: {err}"
    );
    let out = stdout(&o);
    assert!(
        out.contains("c/Dockerfile:1:1: error[syntax-error] the file has no instructions"),
        "{out}"
    );
    assert!(
        out.contains("d/Dockerfile:6:1: error[shell-form-on-scratch]"),
        "{out}"
    );
    assert!(
        out.contains("e/Dockerfile:3:5: error[syntax-error] unterminated heredoc `EOF`"),
        "{out}"
    );
}

#[test]
fn files_at_and_over_the_size_limit() {
    let t = TempDir::new("huge");
    let limit = dlint::source::MAX_FILE_SIZE as usize;
    let line = "RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\nENV A=1 B=2\n";
    let mut text = String::from("FROM debian:12\n");
    while text.len() + line.len() <= limit {
        text.push_str(line);
    }
    t.write("ok/Dockerfile", &text);
    text.push_str(line);
    t.write("big/Dockerfile", &text);
    let o = run(&["ok/Dockerfile", "big/Dockerfile"], &t.0);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!(
            "error[dlint::too_large]: big/Dockerfile: the input is {} bytes, more than the {limit}-byte limit",
            text.len()
        )),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        stdout(&o),
        "No problems found in 1 file; 1 file failed with an error.\n"
    );
}

/// Inputs that are not regular files, endless or closed, are refused without reading them to
/// the end, and the other files are still linted.
#[test]
fn streams_devices_and_closed_standard_streams() {
    let t = TempDir::new("streams");
    t.write("Dockerfile", "FROM debian:12\n");
    let fifo = t.0.join("fifo.Dockerfile");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo with a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let o = run(&["/dev/zero", "fifo.Dockerfile", "Dockerfile"], &t.0);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("/dev/zero: not a regular file (a character device)"),
        "{err}"
    );
    assert!(
        err.contains("fifo.Dockerfile: not a regular file (a FIFO)"),
        "{err}"
    );
    assert_eq!(
        stdout(&o),
        "No problems found in 1 file; 2 files failed with an error.\n"
    );
    // An endless stdin stops at the limit.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_dlint"))
        .arg("-")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        let block = vec![b'#'; 1 << 16];
        // Keeps writing until dlint stops reading and closes the pipe.
        while stdin.write_all(&block).is_ok() {}
    });
    let o = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("the input is larger than the"),
        "{}",
        stderr(&o)
    );
    // A closed stdin or stdout is an error, not an empty file or a silent exit.
    let sh = |script: &str| {
        std::process::Command::new("sh")
            .arg("-c")
            .arg(script)
            .arg("sh")
            .arg(env!("CARGO_BIN_EXE_dlint"))
            .current_dir(&t.0)
            .output()
            .unwrap()
    };
    let o = sh("\"$1\" - <&-");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("standard input is closed"),
        "{}",
        stderr(&o)
    );
    let o = sh("\"$1\" Dockerfile >&-");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("standard output is closed"),
        "{}",
        stderr(&o)
    );
    // `/dev/null` given on purpose is an empty input, and `> /dev/null` keeps the exit status.
    let o = sh("\"$1\" - < /dev/null");
    assert_eq!(o.status.code(), Some(1));
    let o = sh("\"$1\" Dockerfile > /dev/null");
    assert_eq!(o.status.code(), Some(0));
}

/// `patch -p1` applies every diff dlint prints: names with blanks, tabs and newlines are quoted
/// as git quotes them, and files outside the current directory get absolute names (with a note
/// saying to apply them with `patch -d / -p1`).
#[test]
fn diff_headers_patch_accepts() {
    if !crate::common::gated("patch") {
        return;
    }
    let t = TempDir::new("patch-names");
    let broken = "FROM alpine:3.20\nRUN apk add curl\n";
    let names = [
        "with space/Dockerfile",
        "tab\there/Dockerfile",
        "new\nline/Dockerfile",
        "quote\"d/x.Dockerfile",
    ];
    for n in names {
        t.write(&format!("work/{n}"), broken);
    }
    t.write("outside/Dockerfile", broken);
    let work = t.0.join("work");
    let o = run(&["--diff", "."], &work);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let diff = stdout(&o);
    assert!(diff.contains("--- \"a/tab\\there/Dockerfile\""), "{diff}");
    assert!(diff.contains("--- \"a/with space/Dockerfile\""), "{diff}");
    assert!(apply_patch(&work, &["-p1", "--quiet"], diff.as_bytes()));
    for n in names {
        let fixed = std::fs::read_to_string(work.join(n)).unwrap();
        assert!(fixed.contains("apk add --no-cache curl"), "{n}: {fixed}");
    }
    // A file outside the directory: an absolute header, a note, and `patch -d / -p1` applies it.
    let o = run(&["--diff", "../outside/Dockerfile"], &work);
    let abs = std::fs::canonicalize(t.0.join("outside/Dockerfile")).unwrap();
    let header = format!("--- a{}\n", abs.display());
    assert!(stdout(&o).starts_with(&header), "{}", stdout(&o));
    assert!(
        stderr(&o)
            .contains("dlint: note: `../outside/Dockerfile` is outside the current directory"),
        "{}",
        stderr(&o)
    );
    assert!(apply_patch(
        Path::new("/"),
        &["-d", "/", "-p1", "--quiet"],
        &o.stdout
    ));
    assert!(std::fs::read_to_string(&abs)
        .unwrap()
        .contains("apk add --no-cache curl"));
}

/// The summary counts the files with findings among those checked, never claims all checks
/// passed when a file could not be read, and puts each summary line on its own line.
#[test]
fn summary_lines() {
    let t = TempDir::new("summary");
    t.write("a/Dockerfile", "FROM alpine:3.20\nRUN apk add curl\n");
    t.write("b/Dockerfile", GOOD);
    t.write("c/Dockerfile", GOOD);
    let o = run(&["--format", "concise"], &t.0);
    assert!(
        stdout(&o).ends_with(
            "Found 1 problem (1 warning) in 1 of 3 files checked.\n1 fixable with `--fix`.\n"
        ),
        "{}",
        stdout(&o)
    );
    let o = run(&["b/Dockerfile", "missing/Dockerfile"], &t.0);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stdout(&o),
        "No problems found in 1 file; 1 file failed with an error.\n"
    );
    let o = run(&["--diff", "a/Dockerfile"], &t.0);
    assert_eq!(stderr(&o), "Would fix 1 problem (0 remaining).\n");
    assert!(
        stdout(&o).ends_with("+RUN apk add --no-cache curl\n"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn directory_without_dockerfiles() {
    let t = TempDir::new("empty-dir");
    t.write("src/main.rs", "fn main() {}");
    let o = run(&[], &t.0);
    assert_eq!(o.status.code(), Some(0));
    assert!(stderr(&o).contains("warning: no Dockerfiles found in `.`"));
}

#[test]
fn rule_and_rules_commands() {
    let cwd = std::env::temp_dir();
    let o = run(&["rule", "DL3009"], &cwd);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).starts_with("# cache-in-layer\n"));
    assert_eq!(
        stdout(&o),
        dlint::rules::find("cache-in-layer").unwrap().doc
    );
    assert_eq!(run(&["rule", "nope"], &cwd).status.code(), Some(2));
    let typo = run(&["rule", "cache-in-layr"], &cwd);
    assert_eq!(typo.status.code(), Some(2));
    assert_eq!(
        stderr(&typo),
        "dlint: error: unknown rule `cache-in-layr` (did you mean `cache-in-layer`?) (see `dlint rules`)\n"
    );
    let typo = run(&["--select", "corectness", "."], &cwd);
    assert!(
        stderr(&typo).contains("(did you mean `correctness`?)"),
        "{}",
        stderr(&typo)
    );
    // The declared fix availability matches what the rule does.
    let rules: serde_json::Value =
        serde_json::from_slice(&run(&["rules", "--format", "json"], &cwd).stdout).unwrap();
    let cache = rules
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["slug"] == "cache-in-layer")
        .unwrap();
    assert_eq!(cache["fix"], "sometimes");
    let o = run(&["rules"], &cwd);
    let out = stdout(&o);
    for r in dlint::rules::RULES {
        // One aligned line per rule: slug, group, severity, on/off, fix availability, codes.
        let line = out
            .lines()
            .find(|l| l.split_whitespace().next() == Some(r.slug))
            .unwrap_or_else(|| panic!("no line for {}:\n{out}", r.slug));
        let cols: Vec<&str> = line.split_whitespace().take(5).collect();
        let fix = match r.fix {
            dlint::rules::FixAvailability::None => "-",
            dlint::rules::FixAvailability::Sometimes => "sometimes",
            dlint::rules::FixAvailability::Always => "always",
        };
        assert_eq!(
            cols[1..],
            [
                r.group.as_str(),
                r.severity.as_str(),
                if r.group.enabled_by_default() {
                    "on"
                } else {
                    "off"
                },
                fix
            ],
            "{line}"
        );
        for code in r.aliases() {
            // Written out, or inside a range of its prefix (`SC1000-SC1199`).
            let in_range = line.split([' ', ',', '(', ')']).any(|w| {
                w.split_once('-').is_some_and(|(a, b)| {
                    let num = |c: &str| c.trim_start_matches(|c: char| c.is_ascii_alphabetic()).parse::<u32>().ok();
                    a.len() == code.len()
                        && a[..2] == code[..2]
                        && matches!((num(a), num(code), num(b)), (Some(x), Some(n), Some(y)) if x <= n && n <= y)
                })
            });
            assert!(line.contains(code) || in_range, "{line} lacks {code}");
        }
    }
    // Summaries start in one column, under the header's, however long the slugs.
    let column = out.lines().next().and_then(|h| h.find("summary"));
    for r in dlint::rules::RULES {
        let line = out
            .lines()
            .find(|l| l.starts_with(&format!("{} ", r.slug)))
            .unwrap();
        assert_eq!(line.find(r.summary), column, "{line}");
    }
    let v: serde_json::Value =
        serde_json::from_slice(&run(&["rules", "--format", "json"], &cwd).stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), dlint::rules::RULES.len());
}

#[test]
fn inspect_json() {
    let t = TempDir::new("inspect");
    t.write("Dockerfile", "FROM golang:1.22 AS builder\nWORKDIR /src\nRUN --mount=type=cache,target=/x \\\n  go build \\\n  -o /app\nFROM builder\nCOPY --from=builder /app /app\n");
    let o = run(&["inspect", "--format", "json", "Dockerfile"], &t.0);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let run_i = &v["instructions"][2];
    assert_eq!(run_i["keyword"], "RUN");
    assert_eq!(
        (run_i["start_line"].as_u64(), run_i["end_line"].as_u64()),
        (Some(3), Some(5))
    );
    assert_eq!(run_i["flags"][0], "--mount=type=cache,target=/x");
    assert_eq!(run_i["json_form"], false);
    let s0 = &v["stages"][0];
    assert_eq!(
        (
            s0["index"].as_u64(),
            s0["name"].as_str(),
            s0["base"].as_str(),
            s0["workdir"].as_str()
        ),
        (Some(0), Some("builder"), Some("golang:1.22"), Some("/src"))
    );
    assert!(s0["parent_stage"].is_null());
    assert_eq!(s0["image"]["repository"], "golang");
    assert_eq!(s0["image"]["tag"], "1.22");
    assert_eq!(v["stages"][1]["parent_stage"], 0);
    assert_eq!(v["stages"][1]["workdir"], "/src");
    let text = stdout(&run(&["inspect", "Dockerfile"], &t.0));
    assert!(
        text.contains("stage 0 (builder) FROM golang:1.22 workdir=/src"),
        "{text}"
    );
}

#[test]
fn help_lists_exit_codes_and_formats() {
    let o = run(&["--help"], &std::env::temp_dir());
    let out = stdout(&o);
    assert!(out.contains("Exit status: 0"));
    assert!(out.contains("--format <FORMAT>"));
    assert!(out.contains("--stdin-filename"));
    assert_eq!(
        run(&["--format", "xml"], &std::env::temp_dir())
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn broken_pipe_is_not_an_error() {
    let t = TempDir::new("pipe");
    // More output than a pipe buffer holds, so writing fails once the reader is gone.
    for i in 0..800 {
        t.write(&format!("d{i:03}/Dockerfile"), BAD);
    }
    let mut child = dlint()
        .args(["--format", "concise", "."])
        .current_dir(&t.0)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    // Like `grep | head`: a reader that went away is not a failure, and nothing is printed.
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
}

/// `dlint --select <slug>` on every doc example reports exactly the marked lines.
#[test]
fn the_binary_reports_exactly_the_doc_markers() {
    let t = TempDir::new("doc-examples");
    let mut checked = 0;
    for rule in dlint::rules::RULES {
        // A `dockerignore` block is the ignore file of the blocks after it: written as each
        // one's own `<name>.dockerignore`, which the binary reads from the build context.
        let mut ignore: Option<&str> = None;
        let blocks = crate::common::blocks(rule.doc);
        for (i, b) in blocks.iter().enumerate() {
            if b.info == "dockerignore" {
                ignore = Some(&b.text);
                continue;
            }
            if !b.info.starts_with("dockerfile") || b.info.contains("fixed") {
                continue;
            }
            let name = format!("{}-{i}.Dockerfile", rule.slug);
            if let Some(text) = ignore {
                t.write(&format!("{name}.dockerignore"), text);
            }
            // Options from the block's info string go into a config file beside it.
            let config = crate::common::block_config(&b.info).unwrap_or_default();
            let config_name = format!("{}-{i}.toml", rule.slug);
            t.write(&config_name, &config);
            t.write(&name, &b.text);
            // A late rule judges the other rules' suppressions: run it with every rule.
            let select = if rule.hooks.suppressions.is_some() {
                "all"
            } else {
                rule.slug
            };
            let o = run(
                &[
                    "--format",
                    "json",
                    "--select",
                    select,
                    "--config",
                    &config_name,
                    &name,
                ],
                &t.0,
            );
            let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
            let mut got: Vec<(usize, String)> = v
                .as_array()
                .unwrap()
                .iter()
                .filter(|d| d["rule"] == rule.slug)
                .map(|d| {
                    (
                        d["line"].as_u64().unwrap() as usize,
                        d["rule"].as_str().unwrap().to_string(),
                    )
                })
                .collect();
            got.sort();
            let expected = crate::common::markers(&b.text);
            assert_eq!(got, expected, "{name}");
            assert_eq!(
                o.status.code(),
                Some(if expected.is_empty() { 0 } else { 1 }),
                "{name}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 12);
}

/// Apply a unified diff with `patch ARGS` in `cwd`; whether patch succeeded.
fn apply_patch(cwd: &Path, args: &[&str], diff: &[u8]) -> bool {
    let mut patch = Command::new("patch")
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::piped())
        .spawn()
        .expect("patch(1) is needed");
    patch.stdin.take().unwrap().write_all(diff).unwrap();
    patch.wait().unwrap().success()
}

const FIXABLE: &str = "FROM golang:1.22\nWORKDIR /src\nRUN go build -o /hello .\nFROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nCOPY --from=0 /hello /hello\nCOPY --from=buildr /x /x\nCMD [\"/hello\"]\n";

#[test]
fn diff_applies_with_patch() {
    if !crate::common::gated("patch") {
        return;
    }
    let t = TempDir::new("patch");
    t.write("svc/Dockerfile", FIXABLE);
    t.write("web/Dockerfile", "FROM alpine:3.20\nRUN apk add curl\n");
    t.write("clean/Dockerfile", GOOD);
    let o = run(&["--diff", "--unsafe-fixes"], &t.0);
    assert_eq!(o.status.code(), Some(1), "a diff exits 1");
    let diff = stdout(&o);
    assert!(
        diff.contains("--- a/svc/Dockerfile\n+++ b/svc/Dockerfile\n"),
        "{diff}"
    );
    assert!(!diff.contains("clean/Dockerfile"));
    assert!(
        stderr(&o).contains("Would fix 4 problems"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read_to_string(t.0.join("svc/Dockerfile")).unwrap(),
        FIXABLE,
        "--diff writes nothing"
    );
    assert!(apply_patch(&t.0, &["-p1", "--quiet"], diff.as_bytes()));
    let patched = std::fs::read_to_string(t.0.join("svc/Dockerfile")).unwrap();
    // The patched tree is what --fix would have written: nothing left to fix.
    let again = run(&["--diff", "--unsafe-fixes"], &t.0);
    assert_eq!(again.status.code(), Some(0), "{}", stdout(&again));
    assert!(
        patched.contains("FROM golang:1.22 AS builder\n"),
        "{patched}"
    );
    assert!(patched.contains("COPY --from=builder /x /x\n"), "{patched}");
}

#[test]
fn fix_writes_in_place_keeping_permissions_and_crlf() {
    let t = TempDir::new("fix-write");
    let p = t.write("Dockerfile", FIXABLE.replace('\n', "\r\n"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let o = run(
        &["--fix", "--show-fixes", "--format", "concise", "Dockerfile"],
        &t.0,
    );
    let out = stdout(&o);
    assert!(
        out.contains(
            "Dockerfile: fixed [cache-in-layer] append `rm -rf /var/lib/apt/lists/*` to the RUN"
        ),
        "{out}"
    );
    assert!(
        out.contains(
            "Dockerfile: fixed [unnamed-stage] name stage 0 `builder` and refer to it by name"
        ),
        "{out}"
    );
    assert!(out.contains("Fixed 2 problems (1 remaining)."), "{out}");
    assert_eq!(o.status.code(), Some(1), "the undefined stage remains");
    let fixed = std::fs::read_to_string(&p).unwrap();
    assert_eq!(
        fixed.matches("\r\n").count(),
        fixed.matches('\n').count(),
        "CRLF kept: {fixed:?}"
    );
    assert!(
        fixed.contains("&& rm -rf /var/lib/apt/lists/*\r\n"),
        "{fixed:?}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let leftovers: Vec<_> = std::fs::read_dir(&t.0)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("dlint"))
        .collect();
    assert!(leftovers.is_empty(), "no temp files left");
    let o = run(&["--fix", "--unsafe-fixes", "Dockerfile"], &t.0);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(std::fs::read_to_string(&p)
        .unwrap()
        .contains("COPY --from=builder /x /x\r\n"));
}

#[test]
fn fix_from_stdin_prints_the_fixed_file() {
    let o = run_stdin(
        &["--fix", "--stdin-filename", "Dockerfile", "-"],
        b"FROM alpine:3.20\nRUN apk add curl\n",
    );
    assert_eq!(
        stdout(&o),
        "FROM alpine:3.20\nRUN apk add --no-cache curl\n"
    );
    assert!(
        stderr(&o).contains("Fixed 1 problem (0 remaining)."),
        "{}",
        stderr(&o)
    );
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn fix_only_reports_nothing_else() {
    let t = TempDir::new("fix-only");
    t.write("Dockerfile", FIXABLE);
    let o = run(&["--fix-only", "Dockerfile"], &t.0);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        stdout(&o),
        "Fixed 2 problems (1 remaining). 1 more fixable with `--unsafe-fixes`.\n"
    );
}

#[test]
fn read_only_and_escaping_symlinks_are_errors_for_that_file_only() {
    let t = TempDir::new("fix-refuse");
    let ro = t.write("ro/Dockerfile", "FROM alpine:3.20\nRUN apk add curl\n");
    let mut perms = std::fs::metadata(&ro).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&ro, perms).unwrap();
    t.write("ok/Dockerfile", "FROM alpine:3.20\nRUN apk add curl\n");
    let outside = TempDir::new("fix-outside");
    let target = outside.write("Dockerfile", "FROM alpine:3.20\nRUN apk add curl\n");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&target, t.0.join("link.Dockerfile")).unwrap();
    let o = run(&["--fix", "."], &t.0);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("error[dlint::read_only]: ro/Dockerfile: the file is read-only"),
        "{err}"
    );
    #[cfg(unix)]
    {
        assert!(
            err.contains(
                "error[dlint::symlink_escape]: link.Dockerfile: not fixed: it is a symlink to"
            ),
            "{err}"
        );
        assert_eq!(
            std::fs::read_to_string(&target).unwrap(),
            "FROM alpine:3.20\nRUN apk add curl\n"
        );
    }
    assert_eq!(
        std::fs::read_to_string(t.0.join("ok/Dockerfile")).unwrap(),
        "FROM alpine:3.20\nRUN apk add --no-cache curl\n"
    );
}

#[test]
fn suppressions_from_dlint_hadolint_and_buildkit() {
    let t = TempDir::new("suppress");
    t.write(
        "Dockerfile",
        std::fs::read_to_string(
            crate::common::root().join("testdata/rules/unused-suppression/suppressions.Dockerfile"),
        )
        .unwrap(),
    );
    let o = run(&["--format", "concise", "-q", "Dockerfile"], &t.0);
    // Everything but the two unused `# dlint` names is suppressed.
    assert_eq!(
        stdout(&o),
        "Dockerfile:12:32: warning[unused-suppression] unused suppression: `shell-form-on-scratch` reports nothing here\n\
         Dockerfile:15:16: warning[unused-suppression] `nope-rule` is not a dlint rule\n"
    );
    let o = run(&["--fix", "-q", "Dockerfile"], &t.0);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let fixed = std::fs::read_to_string(t.0.join("Dockerfile")).unwrap();
    assert!(
        fixed.contains("# dlint ignore=undefined-stage\n"),
        "{fixed}"
    );
    assert!(!fixed.contains("nope-rule"), "{fixed}");
    // Without the comments, the findings come back.
    let bare: String = fixed
        .lines()
        .filter(|l| !l.contains("ignore=") && !l.starts_with("# check"))
        .map(|l| format!("{l}\n"))
        .collect();
    t.write("Bare.Dockerfile", bare);
    let o = run(&["--format", "concise", "-q", "Bare.Dockerfile"], &t.0);
    let rules: Vec<String> = crate::common::tags(stdout(&o).lines());
    assert_eq!(
        rules,
        [
            "unnamed-stage",
            "relative-copy-from",
            "cache-in-layer/DL3009",
            "cache-in-layer/DL3009",
            "undefined-stage/DL3022"
        ]
    );
}

#[test]
fn add_suppressions_silences_every_finding() {
    let t = TempDir::new("add-suppressions");
    t.write(
        "Dockerfile",
        "FROM golang:1.22\nRUN CGO_ENABLED=0 go build -o /x .\nFROM scratch\n  COPY --from=0 /x /x\nCMD /x\n",
    );
    let o = run(&["--add-suppressions", "Dockerfile"], &t.0);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stdout(&o).contains("Suppressed 3 problems (0 remaining)."),
        "{}",
        stdout(&o)
    );
    assert_eq!(
        std::fs::read_to_string(t.0.join("Dockerfile")).unwrap(),
        "FROM golang:1.22\nRUN CGO_ENABLED=0 go build -o /x .\nFROM scratch\n  # dlint ignore=unnamed-stage\n  COPY --from=0 /x /x\n# dlint ignore=shell-form-cmd,shell-form-on-scratch\nCMD /x\n"
    );
    assert_eq!(run(&["Dockerfile"], &t.0).status.code(), Some(0));
}

/// `dlint --help` is part of the interface: it is snapshotted (`DLINT_BLESS=1` rewrites it), so
/// a changed option or text shows up in review.
#[test]
fn help_is_snapshotted() {
    for (args, file) in [
        (&["--help"][..], "help.expected"),
        (&["rule", "--help"][..], "help-rule.expected"),
        (&["inspect", "--help"][..], "help-inspect.expected"),
    ] {
        let o = dlint().args(args).env("COLUMNS", "100").output().unwrap();
        assert_eq!(o.status.code(), Some(0));
        crate::common::expect_file(
            &crate::common::root().join("testdata/cli").join(file),
            &String::from_utf8(o.stdout).unwrap(),
            &format!("`dlint {}`", args.join(" ")),
        );
    }
}
