//! A generated project tree for the CLI benchmarks: Dockerfiles beside manifests and sources,
//! a few directories with thousands of source files, and files discovery must skip.

use std::path::{Path, PathBuf};

use super::corpus::{dockerfile, Rng};

/// What was written.
pub struct Tree {
    /// The Dockerfiles, in the order written.
    pub dockerfiles: Vec<PathBuf>,
    /// Their bytes.
    pub bytes: usize,
    /// Other files written (manifests, sources, ignored files).
    pub others: usize,
    /// Directories holding a Dockerfile.
    pub dirs: usize,
}

/// Sizes of the directories with many source files beside their Dockerfile.
pub const BIG_DIRS: &[usize] = &[1_000, 1_500, 2_000, 3_000, 4_000, 5_000];

const MANIFESTS: &[(&str, &str)] = &[
    ("go.mod", "module example.com/svc\n\ngo 1.22\n"),
    (
        "package.json",
        "{\n  \"name\": \"svc\",\n  \"version\": \"1.0.0\",\n  \"main\": \"dist/index.js\",\n  \"scripts\": {\"build\": \"tsc\"}\n}\n",
    ),
    (
        "pom.xml",
        "<project>\n  <modelVersion>4.0.0</modelVersion>\n  <groupId>com.example</groupId>\n  <artifactId>svc</artifactId>\n  <version>1.0</version>\n  <packaging>jar</packaging>\n</project>\n",
    ),
    (
        "Cargo.toml",
        "[package]\nname = \"svc\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    ),
    ("requirements.txt", "flask==3.0.0\nrequests==2.32.0\n"),
    (
        "App.csproj",
        "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup><AssemblyName>App</AssemblyName></PropertyGroup>\n</Project>\n",
    ),
];

/// Single-stage builds the manifests above go with: the conversion reads the build context.
const BUILDS: &[&str] = &[
    "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /bin/svc .\nCMD [\"/bin/svc\"]\n",
    "FROM node:22\nWORKDIR /app\nCOPY package.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\nCMD [\"node\", \"dist/index.js\"]\n",
    "FROM maven:3-eclipse-temurin-21\nWORKDIR /app\nCOPY . .\nRUN mvn -B package\nCMD [\"java\", \"-jar\", \"target/svc-1.0.jar\"]\n",
    "FROM rust:1.80\nWORKDIR /src\nCOPY . .\nRUN cargo build --release\nCMD [\"/src/target/release/svc\"]\n",
    "FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt .\nRUN apt-get update && apt-get install -y gcc && pip install -r requirements.txt\nCOPY . .\nCMD [\"python\", \"app.py\"]\n",
    "FROM mcr.microsoft.com/dotnet/sdk:8.0\nWORKDIR /src\nCOPY . .\nRUN dotnet publish -c Release -o /out\nCMD [\"dotnet\", \"/out/App.dll\"]\n",
];

/// Odd files: no FROM, an unknown instruction, an unterminated heredoc, a bad flag, ONBUILD.
const ODD: &[&str] = &[
    "RUN echo no base image\n",
    "FROM alpine:3.20\nFOO bar\nRUN apk add curl\n",
    "FROM debian:12\nRUN <<EOF\napt-get update\n",
    "FROM debian:12\nCOPY --frm=build /a /b\nADD http://example.com/x.tgz /tmp/\n",
    "FROM node:22 AS base\nONBUILD COPY . /app\nONBUILD RUN npm install\n# hadolint ignore=DL3008\nRUN apt-get install -y curl\n",
];

fn file(rng: &mut Rng, i: usize, manifest: usize) -> String {
    match rng.next() % 20 {
        // A longer file: several generated ones one after another.
        0 => (0..2 + rng.below(4))
            .map(|k| dockerfile(rng, i * 7 + k))
            .collect::<Vec<_>>()
            .join("\n"),
        1 => ODD[rng.below(ODD.len())].to_string(),
        2..=4 => BUILDS[manifest].to_string(),
        _ => dockerfile(rng, i),
    }
}

fn write(path: &Path, text: &str) {
    if let Some(d) = path.parent() {
        std::fs::create_dir_all(d).unwrap();
    }
    std::fs::write(path, text).unwrap();
}

/// Write a tree of `count` Dockerfiles under `root` (which must not exist): projects of one to
/// three Dockerfiles with a manifest and a few sources, nested two levels deep; with `big`, the
/// [`BIG_DIRS`] too. Ignored by the root `.gitignore` or in `.git`: more Dockerfiles, never
/// linted.
pub fn generate(root: &Path, count: usize, big: bool, seed: u64) -> Tree {
    let mut rng = Rng(seed);
    let mut tree = Tree {
        dockerfiles: Vec::new(),
        bytes: 0,
        others: 0,
        dirs: 0,
    };
    std::fs::create_dir_all(root).unwrap();
    fn other(path: PathBuf, text: &str, tree: &mut Tree) {
        write(&path, text);
        tree.others += 1;
    }
    other(root.join(".gitignore"), "node_modules/\n*.log\n", &mut tree);
    for (i, dir) in ["node_modules/pkg", ".git/hooks", "vendor/.git"]
        .iter()
        .enumerate()
    {
        other(
            root.join(dir).join("Dockerfile"),
            "FROM scratch\nLABEL ignored=yes\n",
            &mut tree,
        );
        other(root.join(dir).join(format!("file{i}.js")), "x\n", &mut tree);
    }
    let mut project = 0;
    while tree.dockerfiles.len() < count {
        let dir = root
            .join(format!("org{:03}", project / 100))
            .join(format!("repo{:05}", project));
        let manifest = rng.below(MANIFESTS.len());
        let (name, text) = MANIFESTS[manifest];
        other(dir.join(name), text, &mut tree);
        other(dir.join("README.md"), "# service\n", &mut tree);
        for k in 0..rng.below(4) {
            other(
                dir.join("src").join(format!("mod{k}.go")),
                "package main\n",
                &mut tree,
            );
        }
        if rng.chance(10) {
            other(
                dir.join("Dockerfile.dockerignore"),
                "node_modules\n",
                &mut tree,
            );
        }
        let names = ["Dockerfile", "Dockerfile.dev", "deploy/api.Dockerfile"];
        let n = 1 + rng.below(3);
        for (k, name) in names.iter().take(n).enumerate() {
            if tree.dockerfiles.len() == count {
                break;
            }
            let p = dir.join(name);
            // A big directory's first file builds: its context is read (once).
            let text = if big && project < BIG_DIRS.len() && k == 0 {
                BUILDS[manifest].to_string()
            } else {
                file(&mut rng, tree.dockerfiles.len(), manifest)
            };
            write(&p, &text);
            tree.bytes += text.len();
            tree.dockerfiles.push(p);
            tree.dirs += usize::from(k == 0 || k == 2);
        }
        if big && project < BIG_DIRS.len() {
            for s in 0..BIG_DIRS[project] {
                other(
                    dir.join(format!("src_{s:05}.go")),
                    "package main\n\nfunc f() {}\n",
                    &mut tree,
                );
            }
        }
        project += 1;
    }
    tree
}
