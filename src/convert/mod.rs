//! Single-stage to multi-stage conversion: finds the build in the shipped stage and plans the
//! rewrite into a named builder stage and a runtime stage, or says why it cannot.
//!
//! The ecosystem knowledge is data ([`recipes`]); this module reads the model and the shell
//! commands of the final stage, locates artifacts with the recipe's strategy ([`artifacts`]) and
//! renders the edits ([`render`]). It does no IO: project files next to the Dockerfile come in
//! through [`BuildContext`], which the pipeline reads on first use.

pub mod artifacts;
pub mod recipes;
pub mod render;

use std::collections::BTreeMap;

use crate::fix::Edit;
use crate::model::{Base, Dockerfile, ImageRef, Stage};
use crate::shell::packages::{Kind, Manager};
use crate::shell::{Command, Scripts};
use crate::source::{SourceFile, TextRange};
use crate::syntax::Keyword;

pub use recipes::{recipes, Recipe, Strategy};

pub use crate::context::{BuildContext, MANIFESTS, MANIFEST_EXTENSIONS};

/// What the converter sees.
pub struct Input<'a> {
    pub source: &'a SourceFile,
    pub model: &'a Dockerfile,
    pub scripts: &'a Scripts<'a>,
    /// The build context, read when a conversion is first attempted.
    pub context: &'a crate::context::Lazy,
    /// `[convert]` runtime images by recipe key.
    pub images: &'a BTreeMap<String, String>,
}

/// A final stage that builds, and the conversion (or why there is none).
#[derive(Debug, Clone)]
pub struct Finding {
    pub range: TextRange,
    pub message: String,
    /// The build step that makes this a build stage.
    pub step: Option<TextRange>,
    pub conversion: Result<Conversion, String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conversion {
    pub runtime: String,
    /// What the runtime stage holds, for the diagnostic's note.
    pub note: String,
    pub edits: Vec<Edit>,
}

/// A recognised build command.
#[derive(Debug, Clone)]
pub struct Step<'r> {
    pub inst: usize,
    pub cmd: Command,
    pub recipe: &'r Recipe,
}

/// The program and arguments of a command, `None` for words with unknown values.
pub fn argv_values(cmd: &Command) -> Vec<Option<&str>> {
    cmd.argv().iter().map(|w| w.value.as_deref()).collect()
}

/// Whether a command matches an argv prefix: same program (basename, `./mvnw` = `mvnw`), then
/// the prefix's words in order, the first of them being the subcommand (except for Maven and
/// Gradle goals, which may come anywhere).
fn matches_prefix(cmd: &Command, prefix: &[String]) -> bool {
    let argv = argv_values(cmd);
    let Some(Some(prog)) = argv.first() else {
        return false;
    };
    let prog = crate::shell::basename(prog);
    if prefix.first().map(String::as_str) != Some(prog) {
        return false;
    }
    let rest: Vec<&str> = argv[1..].iter().map(|a| a.unwrap_or("")).collect();
    let goals_anywhere = matches!(prog, "mvn" | "mvnw" | "gradle" | "gradlew");
    let mut pos = 0;
    let is = |a: &str, want: &str| {
        if want.contains('*') {
            recipes::glob_match(want, a)
        } else {
            a == want
        }
    };
    for (n, want) in prefix[1..].iter().enumerate() {
        let found = if n == 0 && !goals_anywhere && !want.starts_with('-') {
            // The subcommand: the first argument that is not an option.
            let first = rest[pos..].iter().position(|a| !a.starts_with('-'));
            first.filter(|&i| is(rest[pos + i], want))
        } else {
            rest[pos..].iter().position(|a| is(a, want))
        };
        match found {
            Some(i) => pos += i + 1,
            None => return false,
        }
    }
    true
}

/// Every command of the stage's RUN instructions, with the instruction's index.
fn run_commands<'s>(
    model: &'s Dockerfile,
    scripts: &'s Scripts,
    stage: &'s Stage,
) -> impl Iterator<Item = (usize, &'s Command)> + 's {
    model
        .stage_body(stage)
        .filter(|(_, inst)| inst.keyword == Keyword::Run)
        .filter_map(|(i, _)| scripts.get(i).map(|s| (i, s)))
        .flat_map(|(i, s)| s.commands.iter().map(move |c| (i, c)))
}

/// `javac --version`, `go version`, `gcc -dumpversion`: a smoke test of the toolchain, not a
/// build.
fn is_smoke_test(cmd: &Command) -> bool {
    let args: Vec<&str> = cmd.args().collect();
    !args.is_empty()
        && args.len() + 1 == cmd.argv().len()
        && args.iter().all(|a| {
            matches!(
                *a,
                "--version"
                    | "-version"
                    | "-v"
                    | "-V"
                    | "version"
                    | "--help"
                    | "-h"
                    | "-help"
                    | "help"
                    | "--info"
                    | "-dumpversion"
                    | "-dumpmachine"
                    | "--list-runtimes"
                    | "--list-sdks"
            )
        })
}

/// A RUN that builds software from source, installs it (`make install`) and removes the
/// source tree it built in: how official language images (python, ruby, ...) install their
/// interpreter. What ships is the installed software, not a build's output.
fn installs_from_source(script: &crate::shell::Script) -> bool {
    let mut dir: Option<String> = None;
    let mut built_in: Option<String> = None;
    let mut installed = false;
    for c in &script.commands {
        let argv = argv_values(c);
        match c.name() {
            Some("cd") => {
                dir = argv
                    .get(1)
                    .copied()
                    .flatten()
                    .map(|d| d.trim_end_matches('/').to_string())
            }
            Some("make" | "ninja" | "gmake")
                if argv[1..]
                    .iter()
                    .any(|a| a.is_some_and(|a| a.starts_with("install") || a == "altinstall")) =>
            {
                installed = true;
                built_in = built_in.or_else(|| dir.clone());
            }
            Some("cmake") if argv.contains(&Some("--install")) => {
                installed = true;
                built_in = built_in.or_else(|| dir.clone());
            }
            Some("rm") if installed => {
                let removed = |d: &str| {
                    argv[1..].iter().flatten().any(|a| {
                        let a = a.trim_end_matches('/');
                        !a.starts_with('-')
                            && a.len() > 1
                            && (d == a || d.starts_with(&format!("{a}/")))
                    })
                };
                if built_in.as_deref().is_some_and(removed) {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

/// The build steps of a stage, in order.
pub fn build_steps<'r>(model: &Dockerfile, scripts: &Scripts, stage: &Stage) -> Vec<Step<'r>> {
    let mut out = Vec::new();
    let from_source: Vec<usize> = model
        .stage_body(stage)
        .filter(|(i, _)| scripts.get(*i).is_some_and(installs_from_source))
        .map(|(i, _)| i)
        .collect();
    for (i, cmd) in run_commands(model, scripts, stage) {
        if is_smoke_test(cmd) || from_source.contains(&i) {
            continue;
        }
        let recipe = recipes().recipe.iter().find(|r| {
            r.builds.iter().any(|p| matches_prefix(cmd, p))
                && (r.artifact != Strategy::Python
                    || artifacts::python_target(model, scripts, i, cmd).is_some())
        });
        if let Some(recipe) = recipe {
            out.push(Step {
                inst: i,
                cmd: cmd.clone(),
                recipe,
            });
        }
    }
    out
}

/// Packages a stage installs with apt or apk: (package, installed by apk).
pub fn installed_packages(
    model: &Dockerfile,
    scripts: &Scripts,
    stage: &Stage,
) -> Result<Vec<(String, bool)>, String> {
    let mut out: Vec<(String, bool)> = Vec::new();
    let runs = model
        .stage_body(stage)
        .filter(|(_, inst)| inst.keyword == Keyword::Run)
        .filter_map(|(i, _)| scripts.get(i));
    for (_, a) in runs.flat_map(|s| s.package_commands()) {
        let apk = a.manager == Manager::Apk;
        if !(apk || a.manager == Manager::Apt) || a.kind != Kind::Install {
            continue;
        }
        for p in &a.packages {
            let Some(pkg) = &p.name else {
                return Err(format!(
                    "`{}` installs packages named by variables",
                    a.program
                ));
            };
            if !out.iter().any(|(q, _)| q == pkg) {
                out.push((pkg.clone(), apk));
            }
        }
    }
    Ok(out)
}

/// Whether the stage removes build packages after building (`apt-get purge`, `apk del`): the
/// single-layer build-and-clean pattern, which ships no toolchain.
fn purges_after(model: &Dockerfile, scripts: &Scripts, stage: &Stage, after: usize) -> bool {
    model.stage_body(stage).any(|(i, inst)| {
        i >= after
            && inst.keyword == Keyword::Run
            && scripts.get(i).is_some_and(|s| {
                s.package_commands().any(|(_, a)| {
                    matches!(a.manager, Manager::Apt | Manager::Apk | Manager::Dnf)
                        && matches!(a.kind, Kind::Remove | Kind::Purge)
                })
            })
    })
}

/// Files whose image is a build environment by name: a development container
/// (`.devcontainer/`), a builder (`Dockerfile.builder`, `builder/Dockerfile`), a toolchain or
/// SDK image (`sdk/…/Dockerfile`).
fn ships_toolchain_on_purpose(path: &str) -> bool {
    path.split(['/', '\\'])
        .flat_map(|part| part.split(['.', '-', '_']))
        .any(|w| {
            matches!(
                w.to_ascii_lowercase().as_str(),
                "devcontainer" | "builder" | "builders" | "toolchain" | "sdk" | "buildenv"
            )
        })
}

/// Find the build in the final stage, and plan its conversion.
pub fn find(input: &Input) -> Option<Finding> {
    let model = input.model;
    let stage = model.final_stage()?;
    if ships_toolchain_on_purpose(&input.source.path) {
        return None;
    }
    if model
        .errors
        .iter()
        .any(|e| e.kind == crate::syntax::ErrorKind::Build)
    {
        return None;
    }
    let base = match &stage.base {
        Base::Image(img) => Some(img),
        Base::Scratch => return None,
        _ => None,
    };
    let toolchain = base.and_then(|b| recipes().recipe.iter().find(|r| r.is_toolchain(b)));
    let steps = build_steps(model, input.scripts, stage);
    let from = &model.instructions[stage.from];
    let range = from.keyword_range.start..from.range.end;
    let base_text = &stage.base_text;
    let Some(first) = steps.first() else {
        let recipe = toolchain?;
        // An image built on a toolchain image that brings no application of its own (copies
        // nothing in, runs nothing) is a toolchain image too, on purpose (an SDK variant).
        let brings_app = model.stage_body(stage).any(|(_, inst)| {
            matches!(
                inst.keyword,
                Keyword::Copy | Keyword::Add | Keyword::Cmd | Keyword::Entrypoint
            )
        });
        // A final stage that copies from another stage of the file runs what that stage
        // built: `toolchain-final-stage` judges it (with the runtime image to use instead).
        let copies_from_stage = model.stage_refs.iter().any(|r| {
            r.kind == crate::model::RefKind::CopyFrom
                && stage.body.contains(&r.instruction)
                && matches!(
                    r.target,
                    crate::model::Target::Named(_) | crate::model::Target::Index(_)
                )
        });
        if !brings_app || copies_from_stage {
            return None;
        }
        return Some(Finding {
            range,
            message: format!(
                "the final image is the {} toolchain image `{base_text}`",
                recipe.name
            ),
            step: None,
            conversion: Err(
                "no build step found in the final stage (it runs the toolchain itself)".into(),
            ),
        });
    };
    if toolchain.is_none() && purges_after(model, input.scripts, stage, first.inst) {
        return None;
    }
    let packages = installed_packages(model, input.scripts, stage);
    // Python installs into a venv only pay off where the stage has compilers to leave behind.
    if steps.iter().all(|s| s.recipe.artifact == Strategy::Python) {
        let full_python = base.is_some_and(|b| {
            b.short_name() == "python"
                && !b
                    .tag
                    .as_deref()
                    .is_some_and(|t| t.contains("slim") || t.contains("alpine"))
        });
        let build_tools = packages.as_ref().is_ok_and(|p| {
            p.iter().any(|(p, apk)| {
                recipes().packages.is_build_only(p) || recipes().packages.dev(p, *apk).is_some()
            })
        });
        if !full_python && !build_tools {
            return None;
        }
    }
    let words = model.instructions[first.inst].range.clone();
    let what = first
        .recipe
        .builds
        .iter()
        .find(|p| matches_prefix(&first.cmd, p))
        .map(|p| p.join(" "))
        .unwrap_or_else(|| command_text(&first.cmd));
    let message = match toolchain {
        Some(r) => format!(
            "the final stage builds with `{what}` and ships the {} toolchain image `{base_text}`",
            r.name
        ),
        None => {
            format!("the final stage builds with `{what}` and ships its build tools and sources")
        }
    };
    let conversion = plan(input, stage, &steps, packages);
    Some(Finding {
        range,
        message,
        step: Some(words),
        conversion,
    })
}

/// The build command as written, shortened for messages.
fn command_text(cmd: &Command) -> String {
    let words: Vec<&str> = cmd.argv().iter().map(|w| w.raw.as_str()).take(3).collect();
    words.join(" ").chars().take(40).collect()
}

/// Builder image facts the runtime templates use.
#[derive(Debug, Clone, Default)]
pub struct BuilderFacts {
    pub version: Option<String>,
    pub suffix: String,
    pub release: String,
    pub debian: String,
    pub alpine: bool,
    /// A plain distribution image (`debian`, `ubuntu`, ...) rather than a language image.
    pub distro: bool,
    pub java: Option<String>,
}

const DISTROS: &[&str] = &[
    "debian",
    "ubuntu",
    "alpine",
    "fedora",
    "centos",
    "rockylinux",
    "almalinux",
    "amazonlinux",
    "buildpack-deps",
    "opensuse/leap",
    "archlinux",
];

pub fn builder_facts(image: &ImageRef, packages: &[(String, bool)]) -> BuilderFacts {
    let tag = image.tag.as_deref().unwrap_or("latest");
    let name = image.short_name();
    let version: String = tag
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let version = (!version.is_empty()).then_some(version.trim_end_matches('.').to_string());
    let table = &recipes().debian;
    let mut release = table[0].codename.clone();
    let mut debian = table[0].number.clone();
    let mut suffix = String::new();
    for d in table {
        if tag.split('-').any(|p| p == d.codename) {
            release = d.codename.clone();
            debian = d.number.clone();
            suffix = format!("-{}", d.codename);
        }
    }
    if name == "debian" {
        if let Some(d) = table.iter().find(|d| tag.starts_with(&d.number)) {
            release = d.codename.clone();
            debian = d.number.clone();
        }
    }
    let alpine = tag.contains("alpine") || name == "alpine";
    let java = java_version(&name, tag).or_else(|| {
        packages.iter().find_map(|(p, _)| {
            let rest = p.strip_prefix("openjdk-")?;
            let n: String = rest.chars().take_while(char::is_ascii_digit).collect();
            (!n.is_empty()).then_some(n)
        })
    });
    BuilderFacts {
        version,
        suffix,
        release,
        debian,
        alpine,
        distro: DISTROS.contains(&name.as_str()),
        java,
    }
}

/// The Java major version a JDK image tag names (`17-jdk`, `3.9-eclipse-temurin-21`, `jdk17`).
fn java_version(name: &str, tag: &str) -> Option<String> {
    let digits_after = |marker: &str| -> Option<String> {
        let i = tag.find(marker)? + marker.len();
        let n: String = tag[i..].chars().take_while(char::is_ascii_digit).collect();
        (!n.is_empty()).then_some(n)
    };
    for m in [
        "temurin-",
        "jdk-",
        "jdk",
        "openjdk-",
        "corretto-",
        "java",
        "sapmachine-",
    ] {
        if let Some(n) = digits_after(m) {
            return Some(n);
        }
    }
    if matches!(
        name,
        "eclipse-temurin" | "openjdk" | "amazoncorretto" | "sapmachine" | "ibm-semeru-runtimes"
    ) {
        let n: String = tag.chars().take_while(char::is_ascii_digit).collect();
        return (!n.is_empty()).then_some(n);
    }
    None
}

/// Fill a runtime image template from the builder's facts.
pub fn fill(
    template: &str,
    facts: &BuilderFacts,
    extra: &[(&str, &str)],
) -> Result<String, String> {
    let mut s = template.to_string();
    if facts.version.is_none() && facts.suffix.is_empty() {
        // `node:latest` -> `node:slim`.
        s = s
            .replace("{version}{suffix}-slim", "slim")
            .replace("{version}-slim{suffix}", "slim");
    }
    if s.contains("{version}") {
        let v = facts
            .version
            .as_deref()
            .ok_or("the builder image's tag names no version")?;
        s = s.replace("{version}", v);
    }
    if s.contains("{java}") {
        let v = facts
            .java
            .as_deref()
            .ok_or("the Java version of the builder is unknown")?;
        s = s.replace("{java}", v);
    }
    s = s
        .replace("{suffix}", &facts.suffix)
        .replace("{release}", &facts.release)
        .replace("{debian}", &facts.debian);
    for (k, v) in extra {
        s = s.replace(&format!("{{{k}}}"), v);
    }
    Ok(s)
}

/// Plan the conversion of `stage` (the final one).
fn plan(
    input: &Input,
    stage: &Stage,
    steps: &[Step],
    packages: Result<Vec<(String, bool)>, String>,
) -> Result<Conversion, String> {
    let model = input.model;
    let image = match &stage.base {
        Base::Image(img) => img,
        Base::Stage(p) => {
            return Err(format!(
                "the stage builds on stage `{}`; convert that stage instead",
                model.stages[*p]
                    .name
                    .clone()
                    .unwrap_or_else(|| p.to_string())
            ))
        }
        _ => return Err("the base image is not known".into()),
    };
    if stage.platform.is_some() {
        return Err("the stage sets `--platform`; the runtime image would need it too".into());
    }
    let packages = packages?;
    let facts = builder_facts(image, &packages);
    let found = artifacts::locate(input, stage, steps)?;
    // Names from project files (`<artifactId>`, `[package] name`) go into COPY lines as words.
    let odd = found
        .copy
        .iter()
        .map(|a| a.path.as_str())
        .chain(found.war.as_deref())
        .find(|p| {
            p.chars()
                .any(|c| c.is_whitespace() || c.is_control() || "\"'\\$`".contains(c))
        });
    if let Some(p) = odd {
        return Err(format!(
            "the artifact path {p:?} has blanks, quotes or control characters that a COPY line would split or change"
        ));
    }
    render::render(input, stage, image, steps, &packages, &facts, found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_environments_by_name() {
        for p in [
            "latest/glibc/Dockerfile.builder",
            "src/sdk/9.0/alpine/amd64/Dockerfile",
            ".devcontainer/Dockerfile",
            "ci/toolchain.Dockerfile",
        ] {
            assert!(ships_toolchain_on_purpose(p), "{p}");
        }
        for p in [
            "Dockerfile",
            "app/build.Dockerfile",
            "services/api/Dockerfile.prod",
        ] {
            assert!(!ships_toolchain_on_purpose(p), "{p}");
        }
    }
}
