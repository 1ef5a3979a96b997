//! Inputs built to exhaust a linter stay bounded: exponential variable expansion, deep nesting,
//! thousands of heredocs or stages, over-long lines. Each case checks what dlint makes of the
//! input (values unknown past the caps, an `analysis-limit` finding, BuildKit's boundaries); the
//! time and memory they take are measured by `cargo bench --bench limits`, not here.

use dlint::model::Workdir;
use dlint::source::SourceFile;

fn lint(text: &str) -> dlint::FileResult {
    let settings = dlint::Settings {
        rules: dlint::rules::RULES.to_vec(),
        ..Default::default()
    };
    dlint::check_source("Dockerfile", text, &settings)
}

fn findings<'r>(r: &'r dlint::FileResult, rule: &str) -> Vec<&'r dlint::diagnostic::Diagnostic> {
    r.diagnostics.iter().filter(|d| d.rule == rule).collect()
}

/// Run `f` on a thread with a small stack: recursion that grows with the input would overflow it.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(512 * 1024)
        .spawn(f)
        .unwrap()
        .join()
        .expect("no stack overflow or panic")
}

fn doubling(keyword: &str, lines: usize) -> String {
    let mut t = format!("FROM debian:12\n{keyword} A0=xxxxxxxx\n");
    for i in 1..lines {
        t.push_str(&format!("{keyword} A{i}=${{A{}}}${{A{}}}\n", i - 1, i - 1));
    }
    t.push_str(&format!("WORKDIR /$A{}\n", lines - 1));
    t
}

#[test]
fn exponential_expansion_is_unknown_past_the_cap() {
    for keyword in ["ENV", "ARG"] {
        let text = doubling(keyword, 28);
        let model = dlint::analyze(&SourceFile::new("Dockerfile", &text));
        let last = model.contexts.len() - 1;
        // The WORKDIR would be 2^27 * 8 bytes long: it is unknown instead.
        assert_eq!(model.stages[0].workdir, Workdir::Unknown, "{keyword}");
        // The values that fit are still known.
        let small = model.contexts[last].scope.expand("$A3", '\\');
        assert_eq!(small.as_deref(), Some("x".repeat(64).as_str()), "{keyword}");
        let r = lint(&text);
        assert!(
            r.diagnostics.iter().all(|d| d.rule != "syntax-error"),
            "{keyword}"
        );
    }
}

#[test]
fn deep_expansion_nesting_is_reported_not_recursed() {
    for depth in [20_000, 50_000] {
        let text = format!(
            "FROM debian:12\nWORKDIR /{}x{}\n",
            "${a:-".repeat(depth),
            "}".repeat(depth)
        );
        let r = on_small_stack(move || lint(&text));
        let limits = findings(&r, "analysis-limit");
        assert_eq!(limits.len(), 1, "{depth}");
        assert!(
            limits[0]
                .message
                .contains("nested more than 16 levels deep"),
            "{}",
            limits[0].message
        );
    }
}

#[test]
fn deep_command_substitution_is_reported_not_parsed() {
    let text = format!(
        "FROM debian:12\nRUN echo {}x{}\n",
        "$(echo ".repeat(20_000),
        ")".repeat(20_000)
    );
    let r = on_small_stack(move || lint(&text));
    let limits = findings(&r, "analysis-limit");
    assert_eq!(limits.len(), 1);
    assert!(limits[0].message.contains("more than 100 levels deep"));
    // Just under the limit the command is analysed as usual.
    let ok = format!(
        "FROM debian:12\nRUN {}apt-get update{}\n",
        "$(".repeat(40),
        ")".repeat(40)
    );
    let r = lint(&ok);
    assert!(findings(&r, "analysis-limit").is_empty());
    assert_eq!(findings(&r, "cache-in-layer").len(), 1);
}

#[test]
fn ten_thousand_heredocs_on_one_run() {
    // The openers on continuation lines (one line of them all would be over BuildKit's 64 KiB).
    let n = 10_000;
    let mut text = String::from("FROM debian:12\nRUN true \\\n");
    for k in (0..n).step_by(100) {
        let openers: Vec<String> = (k..k + 100).map(|i| format!("<<E{i}")).collect();
        let more = if k + 100 < n { " \\" } else { "" };
        text.push_str(&format!("  {}{more}\n", openers.join(" ")));
    }
    for i in 0..n {
        text.push_str(&format!("echo {i}\nE{i}\n"));
    }
    text.push_str("CMD [\"true\"]\n");
    let model = dlint::analyze(&SourceFile::new("Dockerfile", &text));
    let run = &model.instructions[1];
    assert_eq!(run.heredocs.len(), n);
    // As BuildKit delimits it (its parser says lines 2 to 20102, then CMD on 20103).
    let lines = 1 + n / 100 + 2 * n;
    assert_eq!((run.start_line, run.end_line), (2, 1 + lines));
    assert_eq!(model.instructions[2].start_line, 2 + lines);
    let r = lint(&text);
    assert!(
        findings(&r, "syntax-error").is_empty(),
        "{:?}",
        findings(&r, "syntax-error")
    );
}

#[test]
fn twenty_thousand_stages() {
    let n = 20_000;
    let mut text = String::from("FROM debian:12 AS s0\n");
    for i in 1..n {
        text.push_str(&format!(
            "FROM s{} AS s{i}\nCOPY --from={} /a /a\n",
            i - 1,
            i - 1
        ));
    }
    let r = lint(&text);
    // Every numeric reference is reported, each with its own fix.
    let unnamed = findings(&r, "unnamed-stage");
    assert_eq!(unnamed.len(), n - 1);
    assert!(unnamed.iter().all(|d| d.fix.is_some()));
    let model = dlint::analyze(&r.source);
    assert!(model.ships(0) && model.ships(n - 1));
}

#[test]
fn lines_over_64_kib_are_syntax_errors() {
    let text = format!("FROM debian:12\nRUN echo {}\n", "x".repeat(70_000));
    let r = lint(&text);
    let errors = findings(&r, "syntax-error");
    assert_eq!(errors.len(), 1);
    assert_eq!(
        errors[0].message,
        "line 2 is 70009 bytes long: BuildKit refuses lines over 65535 bytes"
    );
}

#[test]
fn variables_past_the_budget_are_unknown_and_reported() {
    // Short lines that each store 64 KiB: a value doubled up to the cap, then copied.
    let mut text = String::from("FROM debian:12\nENV A0=xxxxxxxx\n");
    for i in 1..=13 {
        text.push_str(&format!("ENV A{i}=${{A{}}}${{A{}}}\n", i - 1, i - 1));
    }
    for i in 0..200 {
        text.push_str(&format!("ENV V{i}=$A13\n"));
    }
    text.push_str("WORKDIR /$V0\nWORKDIR /$V199\n");
    let r = lint(&text);
    let limits = findings(&r, "analysis-limit");
    assert_eq!(limits.len(), 1, "{:?}", r.diagnostics);
    assert!(limits[0]
        .message
        .contains("treats every variable from here on as unknown"));
    let model = dlint::analyze(&r.source);
    assert_eq!(model.stages[0].workdir, Workdir::Unknown);
    // A real file with many variables is far from it.
    let mut real = String::from("FROM debian:12\n");
    for i in 0..300 {
        real.push_str(&format!("ENV SETTING_{i}=/opt/app/config/value-{i}\n"));
    }
    real.push_str("WORKDIR $SETTING_299\n");
    let r = lint(&real);
    assert!(findings(&r, "analysis-limit").is_empty());
    let model = dlint::analyze(&r.source);
    assert_eq!(
        model.stages[0].workdir,
        Workdir::Known("/opt/app/config/value-299".into())
    );
}
