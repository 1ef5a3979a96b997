//! `toolchain-final-stage`: the final stage of a multi-stage build is built on a compiler or SDK
//! image, yet only runs what it copies from a builder stage: the image ships the toolchain for
//! nothing.
//!
//! Which images are toolchains is the converter's data ([`crate::convert::recipes`]); which
//! runtime image pairs with one comes from the same recipes (`debian:<release>-slim`, the
//! distroless image the Rust recipe uses, the .NET template) and from
//! [`crate::model::runtime::jre_for`] for JDK images.

use super::{Ctx, Report};
use crate::convert::{self, recipes, Recipe};
use crate::fix::{Edit, Fix};
use crate::model::{runtime, Base, Dockerfile, ImageRef, RefKind, Stage, Target};
use crate::shell::packages::Manager;
use crate::shell::{self, basename, users};
use crate::syntax::{Args, Keyword, Logical};

crate::declare_rule! {
    slug: "toolchain-final-stage",
    codes: [],
    group: Size,
    severity: Warning,
    fix: Sometimes,
    since: "0.4.0",
    summary: "the final stage is a compiler or SDK image but only runs an artifact copied from another stage",
    hooks: { file: check },
}

/// The toolchain families, by the recipe key of their images.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Go,
    C,
    Rust,
    Java,
    Dotnet,
}

impl Family {
    fn of(recipe: &Recipe) -> Option<Family> {
        Some(match recipe.key.as_str() {
            "go" => Family::Go,
            "c" | "cpp" => Family::C,
            "rust" => Family::Rust,
            "java" => Family::Java,
            "dotnet" => Family::Dotnet,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Family::Go => "Go toolchain",
            Family::C => "C/C++ toolchain",
            Family::Rust => "Rust toolchain",
            Family::Java => "JDK",
            Family::Dotnet => ".NET SDK",
        }
    }

    /// Programs only the toolchain image has: a stage that runs one uses the toolchain.
    fn tools(self) -> &'static [&'static str] {
        match self {
            Family::Go => &["go", "gofmt"],
            Family::C => &[
                "gcc", "g++", "cc", "c++", "clang", "clang++", "make", "cmake", "ld", "as", "ar",
            ],
            Family::Rust => &["cargo", "rustc", "rustup", "rustfmt", "rustdoc"],
            Family::Java => &[
                "javac", "jar", "jarsigner", "javadoc", "javap", "jcmd", "jconsole", "jdb",
                "jdeps", "jhsdb", "jinfo", "jlink", "jmap", "jpackage", "jps", "jshell",
                "jstack", "jstat", "jstatd", "jwebserver", "jdeprscan", "jimage", "jmod",
                "serialver", "mvn", "mvnw", "gradle", "gradlew",
            ],
            Family::Dotnet => &["pwsh"],
        }
    }
}

/// `dotnet` subcommands that need the SDK (`dotnet app.dll` and `dotnet --info` run on the
/// runtime images).
const DOTNET_SDK_COMMANDS: &[&str] = &[
    "build", "run", "test", "publish", "restore", "watch", "ef", "tool", "new", "pack",
    "msbuild", "nuget", "add", "remove", "sln", "format", "dev-certs", "user-secrets", "vstest",
    "workload", "clean", "store", "list", "sdk", "fsi",
];

/// Tools toolchain images carry (they are built on `buildpack-deps` and the like) that runtime
/// images may lack.
const EXTRA_TOOLS: &[&str] = &[
    "curl", "wget", "git", "ssh", "scp", "sftp", "gpg", "ps", "pgrep", "pkill", "top", "unzip",
    "zip", "bzip2", "xz", "file", "svn", "hg", "bzr", "procps",
];

/// Directories toolchain images put on PATH that runtime images do not.
const TOOLCHAIN_PATH: &[&str] = &["/go/bin", "/usr/local/go/bin", "/usr/local/cargo/bin"];

/// Where JDK images keep Java: a path under one of them changes with the vendor.
const JAVA_HOMES: &[&str] = &["/usr/local/openjdk", "/usr/lib/jvm", "/opt/java"];

/// Users the base images of the replacements define (Debian's and distroless's).
const DEBIAN_USERS: &[&str] = &[
    "root", "daemon", "bin", "sys", "games", "man", "lp", "mail", "news", "uucp", "proxy",
    "www-data", "backup", "list", "irc", "nobody",
];
const DISTROLESS_USERS: &[&str] = &["root", "nonroot", "nobody"];

/// A program a stage runs: by which instruction, its name and its arguments.
struct Use {
    keyword: Keyword,
    program: String,
    args: Vec<String>,
}

fn check(ctx: &Ctx, out: &mut Report) {
    let model = ctx.model;
    if model.stages.len() < 2 {
        return;
    }
    let Some(stage) = model.final_stage() else {
        return;
    };
    let Base::Image(image) = &stage.base else {
        return;
    };
    let Some((family, recipe)) = toolchain(image) else {
        return;
    };
    // It must run something (an image without a command is a base for builds: an SDK with
    // extra tools, a development container)...
    if !model
        .stage_body(stage)
        .any(|(_, i)| matches!(i.keyword, Keyword::Cmd | Keyword::Entrypoint))
    {
        return;
    }
    // ...bring an artifact from a stage of the file...
    let Some(from) = copied_from(model, stage) else {
        return;
    };
    // ...and do nothing with the toolchain itself: no build, no ONBUILD for images built on it.
    if !convert::build_steps(model, ctx.scripts, stage).is_empty()
        || model
            .stage_body(stage)
            .any(|(_, i)| i.keyword == Keyword::Onbuild)
    {
        return;
    }
    let uses = uses(ctx, stage);
    if uses.iter().any(|u| uses_toolchain(family, u)) {
        return;
    }
    let Some(range) = stage.base_range.clone() else {
        return;
    };
    let text = &stage.base_text;
    let d = out.report(
        range.clone(),
        format!(
            "the final stage is built on the {} image `{text}` but only runs what it copies from {from}",
            family.name()
        ),
    );
    match runtime_image(ctx, stage, image, family, recipe, &uses) {
        Ok((new, lacks)) => {
            let variables = model.instructions[stage.from]
                .words()
                .first()
                .is_some_and(|w| w.raw.contains('$'));
            let fix = (!variables).then(|| {
                Fix::unsafe_(
                    format!("build the final stage on `{new}`"),
                    vec![Edit::replace(range, new.clone())],
                )
            });
            let why_not = if variables {
                "; no automatic fix: the `FROM` names its image with variables"
            } else {
                ""
            };
            d.help(format!(
                "build it on the runtime image `{new}`: the compiler, package caches and SDK stay out of the image{why_not}"
            ))
            .fix(fix)
            .unsafe_because(format!(
                "the fix is unsafe: `{new}` has no {lacks}, which the program or a script it runs may use"
            ));
        }
        Err(why) => {
            d.help(format!(
                "build it on a runtime image ({}); no automatic fix: {why}",
                examples(family)
            ));
        }
    }
}

/// Runtime images to name when there is no fix.
fn examples(family: Family) -> &'static str {
    match family {
        Family::Go | Family::C => {
            "`gcr.io/distroless/static-debian12` for a static binary, `gcr.io/distroless/cc-debian12` or `debian:<release>-slim` of the toolchain's Debian release otherwise"
        }
        Family::Rust => {
            "`gcr.io/distroless/cc-debian12`, or `debian:<release>-slim` of the toolchain's Debian release"
        }
        Family::Java => "a JRE of the same Java version, such as `eclipse-temurin:21-jre`",
        Family::Dotnet => "`mcr.microsoft.com/dotnet/aspnet` or `runtime` with the SDK's version",
    }
}

/// The toolchain family of an image, and its recipe.
fn toolchain(image: &ImageRef) -> Option<(Family, &'static Recipe)> {
    let all = &recipes().recipe;
    if runtime::is_jre(image) {
        return None;
    }
    if let Some(r) = all.iter().find(|r| r.is_toolchain(image)) {
        return Family::of(r).map(|f| (f, r));
    }
    if runtime::is_unmarked_jdk(image) {
        let r = all.iter().find(|r| r.key == "java")?;
        return Some((Family::Java, r));
    }
    None
}

/// `stage `build`` for the first stage the final stage copies from; `None` when it copies from
/// no stage of the file.
fn copied_from(model: &Dockerfile, stage: &Stage) -> Option<String> {
    model.stage_refs.iter().find_map(|r| {
        if r.kind != RefKind::CopyFrom || !stage.body.contains(&r.instruction) {
            return None;
        }
        if model.instructions[r.instruction].keyword == Keyword::Onbuild {
            return None;
        }
        let s = match r.target {
            Target::Named(s) | Target::Index(s) => &model.stages[s],
            _ => return None,
        };
        Some(match &s.name {
            Some(n) => format!("stage `{n}`"),
            None => format!("stage {}", s.index),
        })
    })
}

/// Every program the stage runs: RUN commands, CMD, ENTRYPOINT and HEALTHCHECK.
fn uses(ctx: &Ctx, stage: &Stage) -> Vec<Use> {
    let mut out = Vec::new();
    for (i, inst) in ctx.model.stage_body(stage) {
        match inst.keyword {
            Keyword::Run => {
                let Some(script) = ctx.scripts.get(i) else {
                    continue;
                };
                for c in &script.commands {
                    if let Some(name) = c.name() {
                        out.push(Use {
                            keyword: Keyword::Run,
                            program: name.to_string(),
                            args: c.args().map(String::from).collect(),
                        });
                    }
                }
            }
            Keyword::Cmd | Keyword::Entrypoint => command_uses(inst.keyword, &inst.args, &mut out),
            Keyword::Healthcheck => {
                if let Args::Healthcheck(Some(args)) = &inst.args {
                    command_uses(inst.keyword, args, &mut out);
                }
            }
            _ => {}
        }
    }
    out
}

/// The programs of a CMD, ENTRYPOINT or HEALTHCHECK command, shell scripts parsed.
fn command_uses(keyword: Keyword, args: &Args, out: &mut Vec<Use>) {
    let script = match args {
        Args::Shell(sh) => shell::parse_script(&sh.logical),
        Args::Exec(words) => {
            let Some(first) = words.first() else {
                return;
            };
            let program = basename(&first.value);
            let script = shell::SHELLS
                .contains(&program)
                .then(|| words.iter().position(|w| w.value == "-c"))
                .flatten()
                .and_then(|p| words.get(p + 1));
            match script {
                Some(s) => shell::parse_script(&Logical::default_with(&s.value)),
                None => {
                    out.push(Use {
                        keyword,
                        program: program.to_string(),
                        args: words[1..].iter().map(|w| w.value.clone()).collect(),
                    });
                    return;
                }
            }
        }
        _ => return,
    };
    for c in &script.commands {
        if let Some(name) = c.name() {
            out.push(Use {
                keyword,
                program: name.to_string(),
                args: c.args().map(String::from).collect(),
            });
        }
    }
}

/// Whether a program is the toolchain at work (`go run`, `mvn`, `dotnet watch`).
fn uses_toolchain(family: Family, u: &Use) -> bool {
    let p = u.program.as_str();
    if family.tools().contains(&p) {
        return true;
    }
    match family {
        Family::Dotnet if p == "dotnet" => u
            .args
            .iter()
            .find(|a| !a.starts_with('-'))
            .is_some_and(|a| DOTNET_SDK_COMMANDS.contains(&a.as_str())),
        _ => false,
    }
}

/// Whether the stage needs `/bin/sh`: a RUN, a shell-form command, or a shell run directly.
fn needs_shell(model: &Dockerfile, stage: &Stage, uses: &[Use]) -> bool {
    let shell_form = |a: &Args| matches!(a, Args::Shell(_));
    model.stage_body(stage).any(|(_, inst)| match inst.keyword {
        Keyword::Run | Keyword::Shell => true,
        Keyword::Cmd | Keyword::Entrypoint => shell_form(&inst.args),
        Keyword::Healthcheck => matches!(&inst.args, Args::Healthcheck(Some(a)) if shell_form(a)),
        _ => false,
    }) || uses
        .iter()
        .any(|u| u.keyword != Keyword::Run && shell::SHELLS.contains(&u.program.as_str()))
}

/// The users the stage switches to, with whether a RUN of the stage creates them.
fn users_of(ctx: &Ctx, stage: &Stage) -> Vec<(String, bool)> {
    let model = ctx.model;
    let created: Vec<String> = model
        .stage_body(stage)
        .filter(|(_, x)| x.keyword == Keyword::Run)
        .filter_map(|(i, _)| ctx.scripts.get(i))
        .flat_map(|s| s.commands.iter())
        .filter_map(users::account)
        .filter(|a| a.kind == users::AccountKind::User)
        .filter_map(|a| a.name.value)
        .collect();
    let mut out = Vec::new();
    for (_, inst) in model.stage_body(stage) {
        if inst.keyword != Keyword::User {
            continue;
        }
        let Some(w) = inst.words().first() else {
            continue;
        };
        let user = w.value.split(':').next().unwrap_or("").to_string();
        if user.is_empty() || user.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let made = created.contains(&user);
        out.push((user, made));
    }
    out
}

/// The runtime image to build the stage on, or why none can be named.
fn runtime_image(
    ctx: &Ctx,
    stage: &Stage,
    image: &ImageRef,
    family: Family,
    recipe: &Recipe,
    uses: &[Use],
) -> Result<(String, &'static str), String> {
    let model = ctx.model;
    if image.digest.is_some() {
        return Err("the image is pinned by digest; pin the runtime image too".into());
    }
    if let Some(u) = uses
        .iter()
        .find(|u| EXTRA_TOOLS.contains(&u.program.as_str()))
    {
        return Err(format!(
            "`{}` runs `{}`, which runtime images often lack",
            u.keyword.as_str(),
            u.program
        ));
    }
    if let Some(w) = stage
        .image_workdir
        .filter(|w| *w != "/" && relies_on_workdir(model, stage, uses))
    {
        return Err(format!(
            "the stage works in the image's WORKDIR `{w}`; set `WORKDIR` first"
        ));
    }
    if let Some(why) = package_manager_mismatch(ctx, stage, image, family) {
        return Err(why);
    }
    let shell_needed = needs_shell(model, stage, uses);
    let users = users_of(ctx, stage);
    let foreign = |allowed: &[&str]| {
        users
            .iter()
            .find(|(u, created)| !created && !allowed.contains(&u.as_str()))
            .map(|(u, _)| u.clone())
    };
    let facts = convert::builder_facts(image, &[]);
    match family {
        Family::Java => {
            let Some(jre) = runtime::jre_for(image) else {
                return Err(match facts.java {
                    Some(v) => format!("no JRE image of Java {v} is known"),
                    None => "the tag names no Java version".into(),
                });
            };
            let same_repo = jre.split(':').next() == Some(image.short_name().as_str());
            if !same_repo {
                if let Some(u) = foreign(DEBIAN_USERS) {
                    return Err(format!("`USER {u}` comes from `{}`", stage.base_text));
                }
                let java_path = uses.iter().any(|u| {
                    std::iter::once(&u.program)
                        .chain(&u.args)
                        .any(|a| JAVA_HOMES.iter().any(|h| a.starts_with(h)))
                });
                if java_path {
                    return Err("a command names the JDK's install directory, which differs in the JRE image".into());
                }
            }
            Ok((jre, "compiler or other JDK tools"))
        }
        Family::Dotnet => {
            let name = image.name();
            if !name.starts_with("mcr.microsoft.com/dotnet/") {
                return Err(format!("no runtime image is known for `{name}`"));
            }
            let tag = dotnet_tag(image.tag.as_deref().unwrap_or("latest"));
            if let Some(u) = foreign(DEBIAN_USERS).filter(|u| u != "app") {
                return Err(format!("`USER {u}` comes from `{}`", stage.base_text));
            }
            let image = convert::fill(
                &recipe.runtime_shell,
                &facts,
                &[
                    ("dotnet-runtime", convert::render::dotnet_runtime(ctx.context)),
                    ("tag", &tag),
                ],
            )?;
            Ok((image, "SDK, `curl`, `git` or PowerShell"))
        }
        Family::Go | Family::C | Family::Rust => {
            // A bare program the toolchain's PATH finds would not be found on the runtime's.
            let on_toolchain_path = model.stage_body(stage).any(|(_, inst)| {
                matches!(inst.keyword, Keyword::Copy | Keyword::Add)
                    && inst
                        .words()
                        .last()
                        .is_some_and(|d| TOOLCHAIN_PATH.iter().any(|p| d.value.starts_with(p)))
            });
            if on_toolchain_path && !sets_path(stage, model) {
                return Err(format!(
                    "the program is copied into a directory on the PATH of `{}` ({}), which the runtime image does not have",
                    stage.base_text,
                    TOOLCHAIN_PATH.join(", ")
                ));
            }
            if facts.alpine {
                let tag = image.tag.as_deref().unwrap_or("");
                let Some(v) = tag
                    .split('-')
                    .find_map(|p| p.strip_prefix("alpine"))
                    .filter(|v| !v.is_empty())
                else {
                    return Err("the tag names no Alpine release".into());
                };
                if let Some(u) = foreign(&["root", "nobody"]) {
                    return Err(format!("`USER {u}` comes from `{}`", stage.base_text));
                }
                return Ok((format!("alpine:{v}"), "`bash`, `curl`, `git` or build tools"));
            }
            if facts.suffix.is_empty() {
                return Err(format!(
                    "the tag of `{}` names no Debian release",
                    stage.base_text
                ));
            }
            let distroless = recipes()
                .recipe
                .iter()
                .find(|r| r.key == "rust")
                .map(|r| r.runtime.as_str());
            let distroless_ok = !shell_needed
                && foreign(DISTROLESS_USERS).is_none()
                && matches!(facts.debian.as_str(), "11" | "12" | "13");
            if let (true, Some(template)) = (distroless_ok, distroless) {
                let image = convert::fill(template, &facts, &[])?;
                return Ok((image, "shell, package manager, `curl` or `git`"));
            }
            if let Some(u) = foreign(DEBIAN_USERS) {
                return Err(format!("`USER {u}` comes from `{}`", stage.base_text));
            }
            let image = convert::fill(&recipe.runtime_shell, &facts, &[])?;
            Ok((image, "CA certificates, `curl`, `git` or `procps`"))
        }
    }
}

/// Whether the stage uses relative paths (a relative COPY destination, a command with a
/// relative path), which resolve against the WORKDIR.
fn relies_on_workdir(model: &Dockerfile, stage: &Stage, uses: &[Use]) -> bool {
    let relative = |a: &str| {
        a.starts_with("./") || a.starts_with("../") || (a.contains('/') && !a.starts_with('/') && !a.contains(':') && !a.starts_with('-'))
    };
    model.stage_body(stage).any(|(_, inst)| match inst.keyword {
        Keyword::Copy | Keyword::Add => inst
            .words()
            .last()
            .is_some_and(|d| !d.value.starts_with('/') && !d.value.starts_with('$')),
        _ => false,
    }) || uses
        .iter()
        .any(|u| relative(&u.program) || u.args.iter().any(|a| relative(a)))
}

/// The system package manager of the images the fix picks, by the picked image's name.
fn manager_of(image: &str) -> Option<Manager> {
    let i = image.to_ascii_lowercase();
    Some(if i.contains("alpine") {
        Manager::Apk
    } else if i.starts_with("amazoncorretto") || i.contains("ubi") || i.contains("azurelinux") {
        Manager::Dnf
    } else if i.starts_with("gcr.io/distroless/") {
        return None;
    } else {
        Manager::Apt
    })
}

/// A RUN that uses a system package manager the runtime image may not have: the replacement
/// changes the distribution (`openjdk:17` is Oracle Linux, `eclipse-temurin` Ubuntu).
fn package_manager_mismatch(
    ctx: &Ctx,
    stage: &Stage,
    image: &ImageRef,
    family: Family,
) -> Option<String> {
    let model = ctx.model;
    let used: Vec<(Manager, String)> = model
        .stage_body(stage)
        .filter(|(_, i)| i.keyword == Keyword::Run)
        .filter_map(|(i, _)| ctx.scripts.get(i))
        .flat_map(|s| s.package_commands())
        .filter(|(_, a)| {
            matches!(
                a.manager,
                Manager::Apt | Manager::Apk | Manager::Dnf | Manager::Zypper
            )
        })
        .map(|(_, a)| (a.manager, a.program.clone()))
        .collect();
    if used.is_empty() {
        return None;
    }
    // The same repository's runtime tags keep the distribution.
    let target = match family {
        Family::Java => runtime::jre_for(image)?,
        _ => return None,
    };
    if target.split(':').next() == Some(image.short_name().as_str()) {
        return None;
    }
    let want = manager_of(&target);
    let other = used.iter().find(|(m, _)| Some(*m) != want)?;
    Some(format!(
        "`RUN` uses `{}`, which `{target}` may not have (it is another distribution)",
        other.1
    ))
}

/// Whether the stage sets PATH itself (then it carries over to the new base).
fn sets_path(stage: &Stage, model: &Dockerfile) -> bool {
    model.stage_body(stage).any(|(_, inst)| {
        inst.keyword == Keyword::Env
            && matches!(&inst.args, Args::Pairs(p) if p.iter().any(|p| p.key == "PATH"))
    })
}

/// The runtime images' tag for an SDK tag: SDK versions (`8.0.204`) become the .NET version
/// (`8.0`); variants stay (`8.0-bookworm-slim`).
fn dotnet_tag(tag: &str) -> String {
    let (version, rest) = tag.split_at(tag.find('-').unwrap_or(tag.len()));
    let parts: Vec<&str> = version.split('.').collect();
    match parts.as_slice() {
        [major, minor, patch]
            if patch.len() >= 3 && patch.chars().all(|c| c.is_ascii_digit()) =>
        {
            format!("{major}.{minor}{rest}")
        }
        _ => tag.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sdk_tags_become_runtime_tags() {
        assert_eq!(super::dotnet_tag("8.0"), "8.0");
        assert_eq!(super::dotnet_tag("8.0.204-bookworm-slim"), "8.0-bookworm-slim");
        assert_eq!(super::dotnet_tag("9.0-alpine"), "9.0-alpine");
        assert_eq!(super::dotnet_tag("8.0.4"), "8.0.4");
    }
}
