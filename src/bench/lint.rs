//! Benchmark: lint a generated corpus of varied Dockerfiles; report files/s, MB/s and parse-only cost.
//!
//! `cargo bench --bench lint` (add `-- --files N` for another corpus size). Each phase runs over
//! the whole corpus several times on one thread; the best round is reported, then a parallel
//! (rayon) lint round as the CLI runs it. Phases: tree-sitter alone, dlint's syntax layer (tree
//! plus BuildKit-exact recovery), syntax + model + shell, and the full lint with every rule.

use std::hint::black_box;
use std::time::{Duration, Instant};

use rayon::prelude::*;

#[path = "corpus.rs"]
mod corpus;

use corpus::{dockerfile, Rng};

fn best<F: FnMut()>(rounds: usize, mut f: F) -> Duration {
    (0..rounds)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let files = args
        .iter()
        .position(|a| a == "--files")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(2000usize);
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    let corpus: Vec<String> = (0..files).map(|i| dockerfile(&mut rng, i)).collect();
    let bytes: usize = corpus.iter().map(String::len).sum();
    let lines: usize = corpus.iter().map(|s| s.lines().count()).sum();
    let mb = bytes as f64 / 1e6;
    println!(
        "corpus: {files} files, {lines} lines, {:.2} MB (generated, deterministic)",
        mb
    );
    let settings = dlint::Settings {
        rules: dlint::rules::RULES.to_vec(),
        ..Default::default()
    };
    let rounds = 5;
    let phases: Vec<(&str, Duration)> = vec![
        (
            "tree-sitter parse only",
            best(rounds, || {
                for t in &corpus {
                    black_box(dlint::syntax::tree_sitter_only(t));
                }
            }),
        ),
        (
            "syntax layer (tree + BuildKit recovery)",
            best(rounds, || {
                for t in &corpus {
                    black_box(dlint::syntax::parse(t));
                }
            }),
        ),
        (
            "syntax + model + shell",
            best(rounds, || {
                for t in &corpus {
                    let src = dlint::source::SourceFile::new("Dockerfile", t);
                    let m = dlint::analyze(&src);
                    black_box(dlint::shell::scripts(&m));
                }
            }),
        ),
        (
            "full lint, all rules (1 thread)",
            best(rounds, || {
                for t in &corpus {
                    black_box(dlint::check_source("Dockerfile", t, &settings));
                }
            }),
        ),
        (
            "full lint, all rules (rayon)",
            best(rounds, || {
                black_box(
                    corpus
                        .par_iter()
                        .map(|t| {
                            dlint::check_source("Dockerfile", t, &settings)
                                .diagnostics
                                .len()
                        })
                        .sum::<usize>(),
                );
            }),
        ),
    ];
    let base = phases[0].1.as_secs_f64();
    println!(
        "{:<42} {:>10} {:>12} {:>9} {:>12}",
        "phase", "time", "files/s", "MB/s", "x tree-sitter"
    );
    for (name, d) in &phases {
        let s = d.as_secs_f64();
        println!(
            "{:<42} {:>8.1}ms {:>12.0} {:>9.2} {:>12.2}",
            name,
            s * 1e3,
            files as f64 / s,
            mb / s,
            s / base
        );
    }
    let findings: usize = corpus
        .iter()
        .map(|t| {
            dlint::check_source("Dockerfile", t, &settings)
                .diagnostics
                .len()
        })
        .sum();
    println!("findings in corpus: {findings}");
}
