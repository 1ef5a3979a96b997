//! The generated Dockerfiles the benchmarks run on: varied stages, RUN chains, heredocs, CRLF.

#[path = "../tests/common/rng.rs"]
mod rng;

pub use rng::Rng;

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

pub fn dockerfile(rng: &mut Rng, i: usize) -> String {
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
