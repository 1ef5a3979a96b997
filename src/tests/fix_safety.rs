//! A safe fix never removes what a later step reads: on thousands of generated Dockerfiles (stages
//! built on stages, update-only RUNs, later installs, `COPY --from`, ONBUILD triggers, `sudo`,
//! Windows shells, heredocs), every path a safe fix deletes (or stops a command from keeping) is
//! checked against every later instruction of its stage and of the stages built on it.
//!
//! The oracle here is written independently of the rule: its own table of what commands read and
//! write, its own reading of the RUN text. It first proves it catches the fix that used to break
//! builds (removing apt lists in an update-only RUN that a later install reads).

use crate::common::rng::Rng;

/// What a command does to the cache paths the fixes touch.
#[derive(Debug, Default, Clone)]
struct Effect {
    reads: Vec<&'static str>,
    writes: Vec<&'static str>,
    removes: Vec<&'static str>,
}

const LISTS: &str = "/var/lib/apt/lists";
const ARCHIVES: &str = "/var/cache/apt/archives";
const NPM: &str = "/root/.npm";
const PIP: &str = "/root/.cache/pip";
const APK: &str = "/var/cache/apk";
const YUM: &str = "/var/cache/yum";

/// The oracle's own knowledge of the commands the generator uses.
fn effect(words: &[&str]) -> Effect {
    let mut e = Effect::default();
    let mut w: Vec<&str> = words.to_vec();
    while matches!(w.first(), Some(&"sudo") | Some(&"-E")) {
        w.remove(0);
    }
    let has = |o: &str| w.contains(&o);
    match w.as_slice() {
        ["apt-get" | "apt", "update", ..] => e.writes.push(LISTS),
        ["apt-get" | "apt", "install" | "upgrade" | "source" | "build-dep", ..] => {
            e.reads.push(LISTS);
            if has("--no-download") {
                e.reads.push(ARCHIVES);
            }
            e.writes.push(ARCHIVES);
        }
        ["apt-get" | "apt", "clean", ..] => e.removes.push(ARCHIVES),
        ["apt-get" | "apt", "dist-clean", ..] => e.removes.extend([LISTS, ARCHIVES]),
        ["apt-cache", ..] => e.reads.push(LISTS),
        ["npm", "ci" | "install", ..] => {
            if has("--offline") {
                e.reads.push(NPM);
            }
            e.writes.push(NPM);
        }
        ["npm", "cache", "clean", ..] => e.removes.push(NPM),
        ["pip" | "pip3", "install", ..] if !has("--no-cache-dir") => e.writes.push(PIP),
        ["pip", "cache", "purge"] => e.removes.push(PIP),
        ["apk", "add" | "update" | "upgrade", ..] => {
            if has("--no-network") {
                e.reads.push(APK);
            }
            if !has("--no-cache") {
                e.writes.push(APK);
            }
        }
        ["yum" | "dnf", rest @ ..] => {
            if rest.contains(&"-C") {
                e.reads.push(YUM);
            }
            if rest.contains(&"clean") {
                e.removes.push(YUM);
            } else {
                e.writes.push(YUM);
            }
        }
        ["rm", rest @ ..] => {
            for a in rest {
                let a = a.trim_end_matches("/*").trim_end_matches('/');
                for p in [LISTS, ARCHIVES, NPM, PIP, APK, YUM] {
                    if p == a || p.starts_with(&format!("{a}/")) {
                        e.removes.push(p);
                    }
                }
            }
        }
        ["ls" | "cat" | "dpkg", rest @ ..] => {
            for a in rest {
                for p in [LISTS, ARCHIVES, NPM, PIP, APK, YUM] {
                    if a.starts_with(p) {
                        e.reads.push(p);
                    }
                }
            }
        }
        _ => {}
    }
    e
}

/// The commands of a generated RUN, in order: split on `&&`, `;`, `|` and lines; `sh -c '...'`
/// and heredoc scripts opened up. Only the generator's forms need to be read.
fn commands(body: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut lines = body.lines();
    let first = lines.next().unwrap_or("");
    let script: String = if first.trim() == "<<EOF" {
        lines
            .take_while(|l| *l != "EOF")
            .collect::<Vec<_>>()
            .join("\n")
    } else {
        body.to_string()
    };
    for part in script.split(['\n', ';']).flat_map(|p| p.split("&&")) {
        let part = part.trim();
        if let Some((before, inner)) = part.split_once("-c '") {
            let inner = inner.trim_end_matches('\'');
            let prefix: Vec<String> = before.split_whitespace().map(String::from).collect();
            for c in commands(inner) {
                let mut c2 = prefix.clone();
                c2.retain(|w| w == "sudo");
                c2.extend(c);
                out.push(c2);
            }
            continue;
        }
        let words: Vec<String> = part.split_whitespace().map(String::from).collect();
        if !words.is_empty() {
            out.push(words);
        }
    }
    out
}

/// One instruction as the oracle sees it.
#[derive(Debug, Clone)]
struct Step {
    stage: usize,
    /// `Some(body)` for RUN (and `ONBUILD RUN`), the effects of its commands.
    run: Option<Vec<Vec<String>>>,
    onbuild: bool,
    /// `COPY --from=<stage> <path>`: reads `path` from that stage.
    copy_from: Option<(usize, String)>,
}

fn steps(text: &str) -> (Vec<Step>, Vec<Option<usize>>) {
    let p = dlint::syntax::parse(text);
    let mut stages: Vec<Option<usize>> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for inst in &p.instructions {
        let kw = inst.keyword_text.to_ascii_uppercase();
        let rest = text[inst.keyword_range.end..inst.range.end]
            .trim()
            .to_string();
        match kw.as_str() {
            "FROM" => {
                let w: Vec<&str> = rest.split_whitespace().collect();
                let parent = names.iter().position(|n| n == w[0]);
                out.push(Step {
                    stage: stages.len(),
                    run: None,
                    onbuild: false,
                    copy_from: None,
                });
                stages.push(parent);
                names.push(w.get(2).copied().unwrap_or("").to_string());
            }
            "RUN" | "ONBUILD" => {
                let onbuild = kw == "ONBUILD";
                let body = if onbuild {
                    rest.trim_start_matches("RUN").trim().to_string()
                } else {
                    rest.clone()
                };
                // Under PowerShell the same words still run the same programs.
                let run = Some(commands(&body));
                out.push(Step {
                    stage: stages.len() - 1,
                    run,
                    onbuild,
                    copy_from: None,
                });
            }
            "COPY" => {
                let w: Vec<&str> = rest.split_whitespace().collect();
                let from = w[0]
                    .strip_prefix("--from=")
                    .and_then(|n| names.iter().position(|x| x == n));
                out.push(Step {
                    stage: stages.len() - 1,
                    run: None,
                    onbuild: false,
                    copy_from: from.map(|f| (f, w[1].to_string())),
                });
            }
            _ => out.push(Step {
                stage: stages.len().saturating_sub(1),
                run: None,
                onbuild: false,
                copy_from: None,
            }),
        }
    }
    (out, stages)
}

/// Every (instruction index, path) a fix removed: commands of the fixed RUN that the original
/// did not have, and options that stop a command from keeping its cache.
fn removed_by_fix(before: &[Step], after: &[Step]) -> Vec<(usize, &'static str)> {
    let mut out = Vec::new();
    for (i, (b, a)) in before.iter().zip(after).enumerate() {
        let (Some(rb), Some(ra)) = (&b.run, &a.run) else {
            continue;
        };
        if rb == ra {
            continue;
        }
        for c in ra {
            if rb.contains(c) {
                continue;
            }
            let words: Vec<&str> = c.iter().map(String::as_str).collect();
            out.extend(effect(&words).removes.into_iter().map(|p| (i, p)));
            // A command that lost its cache by an added option (`--no-cache`).
            if let Some(orig) = rb
                .iter()
                .find(|o| o.len() + 1 == c.len() && o.iter().all(|w| c.contains(w)))
            {
                let ow: Vec<&str> = orig.iter().map(String::as_str).collect();
                let kept = effect(&ow).writes;
                let now = effect(&words).writes;
                out.extend(
                    kept.into_iter()
                        .filter(|p| !now.contains(p))
                        .map(|p| (i, p)),
                );
            }
        }
    }
    out
}

/// The first later read of `path`, with no write of it in between, after instruction `at` in
/// its stage and in every stage built on it (which start from the state their parent ends in),
/// ONBUILD triggers and `COPY --from` included.
fn read_after(steps: &[Step], parents: &[Option<usize>], at: usize, path: &str) -> Option<usize> {
    let stage = steps[at].stage;
    let derives = |mut s: usize| loop {
        if s == stage {
            return true;
        }
        match parents[s] {
            Some(p) => s = p,
            None => return false,
        }
    };
    // Per stage: whether `path` was written again in its line after `at`.
    let mut fresh: Vec<Option<bool>> = vec![None; parents.len()];
    fresh[stage] = Some(false);
    fn freshness(fresh: &[Option<bool>], parents: &[Option<usize>], s: usize) -> bool {
        match (fresh[s], parents[s]) {
            (Some(f), _) => f,
            (None, Some(p)) => freshness(fresh, parents, p),
            (None, None) => false,
        }
    }
    for (j, s) in steps.iter().enumerate().skip(at + 1) {
        if !derives(s.stage) {
            continue;
        }
        if fresh[s.stage].is_none() {
            fresh[s.stage] = Some(freshness(&fresh, parents, s.stage));
        }
        let is_fresh = fresh[s.stage] == Some(true);
        if let Some((from, p)) = &s.copy_from {
            if derives(*from) && p.starts_with(path) && !freshness(&fresh, parents, *from) {
                return Some(j);
            }
        }
        let Some(cmds) = &s.run else {
            continue;
        };
        let mut fresh_here = is_fresh;
        for c in cmds {
            let words: Vec<&str> = c.iter().map(String::as_str).collect();
            let e = effect(&words);
            if e.reads.contains(&path) && !fresh_here {
                return Some(j);
            }
            if e.writes.contains(&path) {
                fresh_here = true;
            }
        }
        if !s.onbuild {
            fresh[s.stage] = Some(fresh_here);
        }
    }
    None
}

/// Fix with every rule's safe fixes; `Ok(changed)` when no removal is read later.
fn check(text: &str) -> Result<bool, String> {
    let settings = dlint::Settings {
        rules: dlint::rules::RULES.to_vec(),
        ..Default::default()
    };
    let outcome = dlint::fix_source("Dockerfile", text, &settings, false);
    if !outcome.changed() {
        return Ok(false);
    }
    violations(text, &outcome.fixed).map(|()| true)
}

fn violations(before: &str, after: &str) -> Result<(), String> {
    let (b, parents) = steps(before);
    let (a, _) = steps(after);
    if a.len() != b.len() {
        return Err("a safe fix changed the instructions".into());
    }
    for (i, path) in removed_by_fix(&b, &a) {
        if let Some(j) = read_after(&b, &parents, i, path) {
            return Err(format!(
                "the fix of instruction {} removes `{path}`, which instruction {} reads",
                i + 1,
                j + 1
            ));
        }
    }
    Ok(())
}

const FROMS: &[&str] = &[
    "debian:12",
    "debian:12-slim",
    "python:3.12",
    "node:22",
    "alpine:3.20",
];

const RUNS: &[&str] = &[
    "RUN apt-get update",
    "RUN apt-get install -y curl",
    "RUN apt-get update && apt-get install -y git",
    "RUN apt-get install -y make && rm -rf /var/lib/apt/lists/*",
    "RUN ls /var/lib/apt/lists",
    "RUN apt-cache policy curl",
    "RUN rm -f /etc/apt/apt.conf.d/docker-clean && apt-get install -y wget",
    "RUN apt-get install -y --no-download wget",
    "RUN dpkg -i /var/cache/apt/archives/wget.deb",
    "RUN sudo apt-get update",
    "RUN sudo apt-get install -y jq",
    "RUN sudo -E sh -c 'apt-get update && apt-get install -y vim'",
    "RUN npm ci",
    "RUN npm ci --offline",
    "RUN cat /root/.npm/_cacache/index-v5",
    "RUN pip install flask",
    "RUN pip install --no-cache-dir flask",
    "RUN apk update",
    "RUN apk add curl",
    "RUN apk add --no-network curl",
    "RUN yum install -y which",
    "RUN yum -C install -y which",
    "RUN <<EOF\napt-get update\nEOF",
    "RUN <<EOF\napt-get update\napt-get install -y tree\nexit 0\nEOF",
    "ONBUILD RUN apt-get install -y git",
    "USER app",
    "USER root",
    "ENV PIP_NO_CACHE_DIR=1",
    "SHELL [\"powershell\", \"-Command\"]",
    "WORKDIR /app",
];

fn generate(rng: &mut Rng) -> String {
    let mut out = String::new();
    let stages = 1 + rng.below(3);
    for s in 0..stages {
        if s > 0 && rng.chance(60) {
            out.push_str(&format!("FROM s{} AS s{s}\n", rng.below(s)));
        } else {
            out.push_str(&format!("FROM {} AS s{s}\n", rng.pick(FROMS)));
        }
        for _ in 0..1 + rng.below(6) {
            if s > 0 && rng.chance(8) {
                let from = rng.below(s);
                let path = rng.pick(&[LISTS, ARCHIVES, NPM, "/etc/os-release"]);
                out.push_str(&format!("COPY --from=s{from} {path} /copied\n"));
            } else {
                out.push_str(rng.pick(RUNS));
                out.push('\n');
            }
        }
    }
    out
}

#[test]
fn the_oracle_catches_the_fix_that_used_to_break_builds() {
    let before = "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n";
    let bad = "FROM debian:12\nRUN apt-get update && rm -rf /var/lib/apt/lists/*\nRUN apt-get install -y curl\n";
    let e = violations(before, bad).unwrap_err();
    assert!(
        e.contains("removes `/var/lib/apt/lists`, which instruction 3 reads"),
        "{e}"
    );
    let derived = "FROM debian:12 AS a\nRUN apt-get update\nFROM a\nRUN apt-get install -y curl\n";
    let bad = "FROM debian:12 AS a\nRUN apt-get update && rm -rf /var/lib/apt/lists/*\nFROM a\nRUN apt-get install -y curl\n";
    assert!(violations(derived, bad).is_err());
    let offline = "FROM node:22\nRUN npm ci\nRUN npm ci --offline\n";
    let bad = "FROM node:22\nRUN npm ci && npm cache clean --force\nRUN npm ci --offline\n";
    assert!(violations(offline, bad).is_err());
    // A later update refills the lists: removing them before it is fine.
    let refilled =
        "FROM debian:12\nRUN apt-get update\nRUN apt-get update && apt-get install -y x\n";
    let ok = "FROM debian:12\nRUN apt-get update && rm -rf /var/lib/apt/lists/*\nRUN apt-get update && apt-get install -y x\n";
    assert!(violations(refilled, ok).is_ok());
}

#[test]
fn safe_fixes_never_remove_what_a_later_step_reads() {
    // 3,000 generated files under `DLINT_TEST_ALL=1`, 600 in the quick loop.
    let files = if crate::common::all() { 3000 } else { 600 };
    let mut rng = Rng(0xD1_17_5A_FE_F1_C5);
    let mut fixed = 0;
    for n in 0..files {
        let text = generate(&mut rng);
        match check(&text) {
            Ok(changed) => fixed += usize::from(changed),
            Err(e) => panic!("case {n}: {e}\n{text}"),
        }
    }
    assert!(
        fixed > files / 3,
        "only {fixed} of {files} generated files had safe fixes"
    );
}

/// A later RUN whose commands cannot be seen may install from the lists: the cleanup is only
/// offered as an unsafe fix, and the help says why.
#[test]
fn a_fix_before_an_unseen_script_is_unsafe() {
    let settings = dlint::Settings {
        rules: vec![dlint::rules::find("cache-in-layer").unwrap()],
        ..Default::default()
    };
    for later in [
        "RUN ./install-deps.sh",
        "RUN curl -fsSL https://example.com/setup | bash -",
        "SHELL [\"pwsh\", \"-Command\"]\nRUN apt-get install -y curl",
    ] {
        let text =
            format!("FROM debian:12\nRUN apt-get update && apt-get install -y git\n{later}\n");
        let r = dlint::check_source("Dockerfile", &text, &settings);
        let d = &r.diagnostics[0];
        let fix = d.fix.as_ref().expect("a fix is still offered");
        assert_eq!(
            fix.applicability,
            dlint::fix::Applicability::Unsafe,
            "{later}"
        );
        assert!(
            d.help
                .as_deref()
                .unwrap()
                .contains("the fix is unsafe: the RUN on line "),
            "{later}"
        );
        let plain = "FROM debian:12\nRUN apt-get update && apt-get install -y git\nRUN make\n";
        let r = dlint::check_source("Dockerfile", plain, &settings);
        assert_eq!(
            r.diagnostics[0].fix.as_ref().unwrap().applicability,
            dlint::fix::Applicability::Safe
        );
    }
}
