//! Never a panic: every fixture and doc example, mutated thousands of ways, goes through the whole
//! pipeline (parse, model, shell, every rule, every report format, inspect); every input the
//! fuzzers found (testdata/fuzz/) passes the fuzz targets' checks again.

use crate::common::rng::Rng;
use crate::common::*;
use rayon::prelude::*;

/// The fuzz targets' properties, one function per target (src/fuzz/README.md).
use crate::fuzz_checks;

const PIECES: &[&str] = &[
    "\\",
    "\\\n",
    "`",
    "\"",
    "'",
    "[",
    "]",
    "<<EOF",
    "<<-EOF\n",
    "\nEOF\n",
    "EOF",
    "\n",
    "\r\n",
    "#",
    "# escape=`\n",
    "$",
    "${",
    "}",
    "--from=",
    "--mount=type=cache,target=",
    "FROM ",
    "FROM scratch\n",
    "COPY --from=0 a b\n",
    "RUN ",
    "CMD ",
    "ONBUILD ",
    "HEALTHCHECK CMD ",
    " AS ",
    "=",
    ",",
    "&&",
    "|",
    ";",
    "é",
    "\u{feff}",
    "\t",
    " ",
    "apt-get update",
    "pip install x",
    "[\"a\",",
    "\u{2028}",
    "\0",
];

fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut s: Vec<char> = text.chars().collect();
    for _ in 0..1 + rng.below(4) {
        let pos = rng.below(s.len() + 1);
        match rng.below(5) {
            0 => {
                let piece = PIECES[rng.below(PIECES.len())];
                s.splice(pos..pos, piece.chars());
            }
            1 if !s.is_empty() => {
                let end = (pos + 1 + rng.below(8)).min(s.len());
                s.drain(pos.min(end)..end);
            }
            2 => s.truncate(pos),
            3 if !s.is_empty() => {
                let a = rng.below(s.len());
                let b = (a + rng.below(40)).min(s.len());
                let chunk: Vec<char> = s[a..b].to_vec();
                s.splice(pos..pos, chunk);
            }
            _ => {
                if pos < s.len() {
                    s[pos] = PIECES[rng.below(PIECES.len())]
                        .chars()
                        .next()
                        .unwrap_or(' ');
                }
            }
        }
    }
    s.into_iter().collect()
}

fn run_all(text: &str) {
    let all = dlint::Settings {
        rules: dlint::rules::RULES.to_vec(),
        ..Default::default()
    };
    let r = dlint::check_source("Dockerfile", text, &all);
    for d in &r.diagnostics {
        assert!(d.range.start <= d.range.end && d.range.end <= r.source.text.len());
        assert!(
            r.source.text.is_char_boundary(d.range.start)
                && r.source.text.is_char_boundary(d.range.end)
        );
    }
    for f in [
        dlint::report::Format::Full,
        dlint::report::Format::Concise,
        dlint::report::Format::Json,
        dlint::report::Format::Sarif,
        dlint::report::Format::Github,
        dlint::report::Format::Gitlab,
        dlint::report::Format::Checkstyle,
        dlint::report::Format::Junit,
    ] {
        dlint::report::render(std::slice::from_ref(&r), f, false);
    }
    // Fixing never panics either, and never makes the file parse worse.
    let fixed = dlint::fix_source("Dockerfile", text, &all, true);
    let errors = |t: &str| {
        dlint::syntax::parse(t)
            .errors
            .iter()
            .filter(|e| e.kind == dlint::syntax::ErrorKind::Build)
            .count()
    };
    assert!(
        errors(&fixed.fixed) <= errors(text),
        "a fix added a parse error"
    );
    let model = dlint::analyze(&r.source);
    dlint::report::inspect::to_json(&r.source, &model);
    dlint::report::inspect::to_text(&r.source, &model);
}

fn corpus() -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = fixtures()
        .into_iter()
        .map(|p| {
            (
                p.display().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    v.extend(doc_examples());
    v
}

#[test]
fn mutated_inputs_never_panic() {
    // The mutations are drawn in order (deterministic), then checked on every core. Under
    // `DLINT_TEST_ALL=1` a fixed budget of mutations is spread over the inputs, so the run
    // costs the same however many fixtures the rules bring (fuzzing goes further); 6 per
    // input in the quick loop.
    let corpus = corpus();
    let per_input = if all() {
        (MUTATIONS / corpus.len().max(1)).max(6)
    } else {
        6
    };
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut cases: Vec<(String, usize, String)> = Vec::new();
    for (name, text) in corpus {
        for i in 0..per_input {
            cases.push((name.clone(), i, mutate(&mut rng, &text)));
        }
    }
    assert!(cases.len() > 33 * per_input, "{}", cases.len());
    cases.par_iter().for_each(|(name, i, m)| {
        let r = std::panic::catch_unwind(|| run_all(m));
        assert!(r.is_ok(), "panic on mutation {i} of {name}:\n{m:?}");
    });
}

/// The gated budgets: mutated inputs, and prefixes of inputs, checked per run.
const MUTATIONS: usize = 16_000;
const PREFIXES: usize = 30_000;

#[test]
fn every_prefix_of_every_fixture_is_handled() {
    // Under `DLINT_TEST_ALL=1` every prefix while the inputs hold at most `PREFIXES` characters,
    // every n-th beyond (a fixed budget, as for mutations); every 41st (and the whole text) in
    // the quick loop.
    let corpus = corpus();
    let chars: usize = corpus.iter().map(|(_, t)| t.chars().count()).sum();
    let stride = if all() {
        chars.div_ceil(PREFIXES).max(1)
    } else {
        41
    };
    let prefixes: Vec<(&str, &str, usize)> = corpus
        .iter()
        .flat_map(|(name, text)| {
            text.char_indices()
                .enumerate()
                .filter(move |(n, _)| n % stride == 0)
                .map(move |(_, (i, _))| (name.as_str(), text.as_str(), i))
                .chain(std::iter::once((name.as_str(), text.as_str(), text.len())))
        })
        .collect();
    prefixes.par_iter().for_each(|(name, text, i)| {
        let r = std::panic::catch_unwind(|| run_all(&text[..*i]));
        assert!(r.is_ok(), "panic on the first {i} bytes of {name}");
    });
}

#[test]
fn huge_and_degenerate_inputs() {
    let long_line = format!("FROM alpine\nRUN echo {}\n", "x".repeat(1 << 20));
    let many = "FROM alpine\nRUN apt-get update && \\\n  echo hi\n".repeat(20_000);
    let deep = format!("FROM a\nRUN {}{}\n", "$(".repeat(2000), ")".repeat(2000));
    let heredocs = format!("FROM a\nRUN {}\n", "<<EOF ".repeat(500));
    let garbage: String = (0..200_000u32)
        .map(|i| char::from_u32(32 + (i * 7919) % 90).unwrap())
        .collect();
    for t in [
        &long_line,
        &many,
        &deep,
        &heredocs,
        &garbage,
        &String::new(),
        &"\n\n\n".to_string(),
        &"\\".to_string(),
    ] {
        run_all(t);
    }
}

/// The message of a caught panic.
fn panic_text(p: Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".into())
}

/// Every input a fuzzer found, in testdata/fuzz/<target>/, passes its target's checks again; a
/// Dockerfile one (any target but `lsp_reader`) also parse, lint and fix checks with the
/// fixprops properties. Every failing fixture is listed.
#[test]
fn fuzz_fixtures_pass_their_targets_checks() {
    type Check = fn(&[u8]) -> Result<(), String>;
    let dockerfile: [(&str, Check); 3] = [
        ("parse_model", fuzz_checks::parse_model),
        ("lint", fuzz_checks::lint),
        ("fix", fuzz_checks::fix),
    ];
    let mut failures = Vec::new();
    let mut cases = 0;
    for dir in sorted_files("testdata/fuzz") {
        let target = dir.file_name().unwrap().to_string_lossy().into_owned();
        let mut checks: Vec<(&str, Check)> = match target.as_str() {
            "lsp_reader" => vec![("lsp_reader", fuzz_checks::lsp_reader)],
            "convert" => vec![("convert", fuzz_checks::convert)],
            "parse_model" | "lint" | "fix" => vec![],
            other => panic!("testdata/fuzz/{other}: no fuzz target of that name"),
        };
        if target != "lsp_reader" {
            checks.extend(dockerfile);
        }
        for file in sorted_files(&format!("testdata/fuzz/{target}")) {
            let data = std::fs::read(&file).unwrap();
            let name = format!("{target}/{}", file.file_name().unwrap().to_string_lossy());
            cases += 1;
            for (check, f) in &checks {
                let r = std::panic::catch_unwind(|| f(&data))
                    .unwrap_or_else(|p| Err(format!("panic: {}", panic_text(p))));
                if let Err(e) = r {
                    failures.push(format!("{name} ({check}): {e}"));
                }
            }
            let Ok(text) = std::str::from_utf8(&data) else {
                continue;
            };
            if target == "lsp_reader" {
                continue;
            }
            let all = fuzz_checks::all_rules();
            let r = std::panic::catch_unwind(|| {
                let outcome = dlint::fix_source("Dockerfile", text, &all, true);
                crate::common::fixprops::fix_properties(text, &outcome, &all)
            });
            match r.unwrap_or_else(|p| Err(format!("panic: {}", panic_text(p)))) {
                Ok(()) => {}
                Err(e) => failures.push(format!("{name} (fixprops): {e}")),
            }
        }
    }
    assert!(cases > 0, "no fixtures under testdata/fuzz/");
    assert!(
        failures.is_empty(),
        "{} failures in {cases} fixtures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
