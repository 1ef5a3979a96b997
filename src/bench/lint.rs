//! Benchmark: lint a generated corpus of varied Dockerfiles; report files/s, MB/s and parse-only cost.
//!
//! `cargo bench --bench lint` (add `-- --files N` for another corpus size). Each phase runs over
//! the whole corpus several times on one thread; the best round is reported, then a parallel
//! (rayon) lint round as the CLI runs it. Phases: tree-sitter alone, dlint's syntax layer (tree
//! plus BuildKit-exact recovery), syntax + model + shell, and the full lint with every rule.

use std::hint::black_box;
use std::time::{Duration, Instant};

use rayon::prelude::*;

#[path = "../tests/common/rng.rs"]
mod rng;

use rng::Rng;

const BASES: &[&str] = &[
    "golang:1.22",
    "node:22-slim",
    "python:3.12",
    "maven:3-eclipse-temurin-21",
    "rust:1.80",
    "gcc:14",
    "debian:12-slim",
    "alpine:3.20",
    "ubuntu:24.04",
    "mcr.microsoft.com/dotnet/sdk:8.0",
];
const RUNTIMES: &[&str] = &[
    "scratch",
    "gcr.io/distroless/static-debian12",
    "debian:12-slim",
    "alpine:3.20",
    "eclipse-temurin:21-jre",
    "node:22-alpine",
];
const PACKAGES: &[&str] = &[
    "curl",
    "ca-certificates",
    "git",
    "build-essential",
    "libssl-dev",
    "tzdata",
    "jq",
    "unzip",
    "gnupg",
    "openssh-client",
];

fn packages(rng: &mut Rng) -> String {
    (0..1 + rng.next() % 6)
        .map(|_| rng.pick(PACKAGES))
        .collect::<Vec<_>>()
        .join(" \\\n      ")
}

fn dockerfile(rng: &mut Rng, i: usize) -> String {
    let mut s = String::new();
    if rng.chance(40) {
        s.push_str("# syntax=docker/dockerfile:1\n");
    }
    s.push_str(&format!(
        "# generated file {i}\nARG VERSION=1.{}\n",
        rng.next() % 30
    ));
    let stages = 1 + rng.next() % 3;
    for st in 0..stages {
        let base = if st + 1 == stages && stages > 1 {
            rng.pick(RUNTIMES)
        } else {
            rng.pick(BASES)
        };
        s.push_str(&format!("FROM {base} AS stage{st}\n"));
        if rng.chance(60) {
            s.push_str(&format!("WORKDIR /src/app{st}\n"));
        }
        s.push_str(&format!("ENV APP_HOME=/app PATH=/app/bin:$PATH LANG=C.UTF-8\nLABEL org.opencontainers.image.version=\"${{VERSION}}\" maintainer=\"team{i}@example.com\"\n"));
        for _ in 0..rng.next() % 8 {
            match rng.next() % 9 {
                0 => s.push_str(&format!("RUN apt-get update \\\n && apt-get install -y --no-install-recommends \\\n      {} \\\n && rm -rf /var/lib/apt/lists/*\n", packages(rng))),
                1 => s.push_str(&format!("RUN apk add --no-cache {}\n", rng.pick(PACKAGES))),
                2 => s.push_str("RUN --mount=type=cache,target=/root/.cache/pip \\\n    pip install -r requirements.txt\n"),
                3 => s.push_str("COPY . .\nRUN set -eux; \\\n# build the thing\n    make -j\"$(nproc)\" && make install; \\\n    [ -x /usr/local/bin/app ] || exit 1\n"),
                4 => s.push_str("RUN <<EOF\nset -e\necho building\nnpm ci\nnpm run build\nEOF\n"),
                5 => s.push_str("COPY --chown=app:app --chmod=755 scripts/ /usr/local/bin/\n"),
                6 => s.push_str(&format!("RUN go build -ldflags=\"-s -w\" -o /out/app{i} ./cmd/app && \\\n    go test ./... | tee /tmp/test.log\n")),
                7 => s.push_str("HEALTHCHECK --interval=30s --timeout=3s CMD curl -fsS http://localhost:8080/health || exit 1\n"),
                _ => s.push_str("ARG TARGETARCH\nRUN echo \"building for ${TARGETARCH}\" > /arch.txt\n"),
            }
        }
        if st > 0 {
            s.push_str(&format!("COPY --from=stage{} /out /out\n", st - 1));
            if rng.chance(30) {
                s.push_str("COPY --from=0 app .\n");
            }
        }
    }
    s.push_str("EXPOSE 8080\nUSER 1000:1000\n");
    s.push_str(if rng.chance(50) {
        "ENTRYPOINT [\"/app\"]\nCMD [\"--serve\"]\n"
    } else {
        "CMD ./app --serve\n"
    });
    if rng.chance(10) {
        s = s.replace('\n', "\r\n");
    }
    s
}

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
