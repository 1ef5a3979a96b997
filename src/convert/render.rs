//! Choosing the runtime image and writing the conversion as edits: the builder keeps the build,
//! the runtime stage gets the artifacts, the runtime metadata and the moved comments.

use super::artifacts::{join, Located};
use super::recipes::{recipes, CopyPolicy, Strategy};
use super::{fill, BuilderFacts, Conversion, Input, Step};
use crate::fix::{edits, Edit};
use crate::model::{Dockerfile, ImageRef, Stage};
use crate::shell::{basename, users};
use crate::source::SourceFile;
use crate::syntax::{Args, Instruction, Keyword};

/// Instructions that describe the image, not the build: moved into the runtime stage.
fn moved(k: Keyword) -> bool {
    matches!(
        k,
        Keyword::Label
            | Keyword::Expose
            | Keyword::Volume
            | Keyword::Healthcheck
            | Keyword::Stopsignal
            | Keyword::Cmd
            | Keyword::Entrypoint
            | Keyword::Maintainer
    )
}

/// The comment lines directly above an instruction: (start offset of the first one, text).
fn attached_comments(
    source: &SourceFile,
    model: &Dockerfile,
    inst: &Instruction,
) -> (usize, String) {
    let text = &source.text;
    let mut line = source.line_index(inst.range.start);
    let mut start = source.line_start(line);
    while line > 0 {
        let prev = source.line_start(line - 1);
        let l = text[prev..start].trim();
        let is_comment = l.starts_with('#')
            && model
                .comments
                .iter()
                .any(|c| c.start >= prev && c.start < start);
        if !is_comment {
            break;
        }
        line -= 1;
        start = prev;
    }
    let first_inst_line = source.line_start(source.line_index(inst.range.start));
    (start, text[start..first_inst_line].to_string())
}

/// The range that removes an instruction with its comments and its line break.
fn removal(source: &SourceFile, model: &Dockerfile, inst: &Instruction) -> Edit {
    let (start, _) = attached_comments(source, model, inst);
    let text = &source.text;
    let mut end = inst.range.end;
    if text[end..].starts_with("\r\n") {
        end += 2;
    } else if text[end..].starts_with('\n') {
        end += 1;
    }
    Edit::delete(start..end)
}

/// Runtime packages: what the stage installs minus build-only packages, `-dev` packages
/// replaced by their runtime libraries; `-l` libraries must come from an installed package.
fn runtime_packages(packages: &[(String, bool)], libs: &[String]) -> Result<Vec<String>, String> {
    let table = &recipes().packages;
    let mut out: Vec<String> = Vec::new();
    let mut provided_libs: Vec<String> = Vec::new();
    for (p, apk) in packages {
        if table.is_build_only(p) {
            continue;
        }
        if let Some(d) = table.dev(p, *apk) {
            provided_libs.extend(d.libs.iter().cloned());
            if !d.runtime.is_empty() && !out.contains(&d.runtime) {
                out.push(d.runtime.clone());
            }
            continue;
        }
        if p.ends_with("-dev") || p.ends_with("-devel") {
            return Err(format!(
                "runtime dependency unknown: which package carries the library of `{p}` at runtime"
            ));
        }
        if !out.contains(p) {
            out.push(p.clone());
        }
    }
    for l in libs {
        if !provided_libs.contains(l) {
            return Err(format!(
                "runtime dependency unknown: `-l{l}` comes from no package this Dockerfile installs"
            ));
        }
    }
    Ok(out)
}

/// The same distribution without build tools: `debian:bookworm` -> `debian:bookworm-slim`.
fn distro_runtime(image: &ImageRef) -> String {
    let name = image.name();
    let tag = image.tag.as_deref().unwrap_or("latest");
    if image.short_name() == "debian" && !tag.contains("slim") {
        let t = if tag == "latest" {
            "stable".to_string()
        } else {
            tag.to_string()
        };
        return format!("{name}:{t}-slim");
    }
    match &image.digest {
        Some(_) => image.canonical(),
        None => format!("{name}:{tag}"),
    }
}

fn is_shell_less(image: &str) -> bool {
    image == "scratch" || ImageRef::parse(image).is_some_and(|i| i.is_shell_less())
}

/// Plain `USER` names every image has.
fn user_known_everywhere(u: &str) -> bool {
    u == "root" || u == "nobody" || u.chars().all(|c| c.is_ascii_digit())
}

#[allow(clippy::too_many_arguments)]
pub fn render(
    input: &Input,
    stage: &Stage,
    image: &ImageRef,
    steps: &[Step],
    packages: &[(String, bool)],
    facts: &BuilderFacts,
    located: Located,
) -> Result<Conversion, String> {
    let model = input.model;
    let source = input.source;
    let recipe = steps[located.primary].recipe;
    let mut runtime_pkgs = runtime_packages(packages, &located.libs)?;
    let mut needs_shell = located.entry.needs_shell;
    let apk = packages.iter().any(|(_, a)| *a) || facts.alpine;

    // USER: the last one; a user created in this stage is created again in the runtime stage.
    let mut user: Option<(usize, String)> = None;
    for (i, inst) in model.stage_body(stage) {
        if inst.keyword == Keyword::User {
            user = inst.words().first().map(|w| (i, w.value.clone()));
        }
    }
    let mut user_run: Option<usize> = None;
    if let Some((_, u)) = &user {
        let name = u.split(':').next().unwrap_or(u);
        let creates = |i: usize| {
            input
                .scripts
                .get(i)
                .is_some_and(|s| s.commands.iter().any(|c| users::creates_user(c, name)))
        };
        let creator = model
            .stage_body(stage)
            .find(|(i, inst)| inst.keyword == Keyword::Run && creates(*i))
            .map(|(i, _)| i);
        if let Some(i) = creator {
            let only_users = input.scripts.get(i).is_some_and(|s| {
                s.clean
                    && s.commands.iter().all(|c| {
                        users::manages_accounts(c)
                            || matches!(c.name(), Some("mkdir" | "chown" | "chmod"))
                    })
            });
            if !only_users {
                return Err(format!(
                    "USER `{name}` is created by a RUN that also does other work"
                ));
            }
            user_run = Some(i);
            needs_shell = true;
        } else if !user_known_everywhere(name) && name != "nonroot" {
            // Comes from the builder image: only the same image family has it.
            let same_family =
                matches!(recipe.artifact, Strategy::Node | Strategy::Python) && !facts.distro;
            if !same_family {
                return Err(format!(
                    "USER `{name}` comes from the builder image; the runtime image may not have it"
                ));
            }
        }
    }

    // HEALTHCHECK: its program must exist in the runtime image.
    for (_, inst) in model.stage_body(stage) {
        if inst.keyword != Keyword::Healthcheck {
            continue;
        }
        let Args::Healthcheck(Some(args)) = &inst.args else {
            continue;
        };
        let argv: Vec<String> = match args.as_ref() {
            Args::Exec(w) => w.iter().map(|w| w.value.clone()).collect(),
            Args::Shell(sh) => {
                needs_shell = true;
                sh.logical
                    .text
                    .split_whitespace()
                    .map(String::from)
                    .collect()
            }
            _ => continue,
        };
        let prog = argv
            .iter()
            .find(|w| !matches!(w.as_str(), "CMD-SHELL"))
            .cloned()
            .unwrap_or_default();
        let base = basename(&prog).to_string();
        if matches!(base.as_str(), "curl" | "wget") {
            if !runtime_pkgs.contains(&base) {
                runtime_pkgs.push(base);
            }
        } else if !located.copy.iter().any(|a| a.path == prog) {
            return Err(format!(
                "HEALTHCHECK runs `{prog}`, which the runtime image may not have"
            ));
        }
    }

    let provided = &recipes().packages.provided;
    let extra_pkgs: Vec<String> = runtime_pkgs
        .iter()
        .filter(|p| !provided.contains(p))
        .cloned()
        .collect();

    // The runtime image.
    let key = if located.war.is_some() {
        "java-war"
    } else {
        recipe.key.as_str()
    };
    let configured = input.images.get(key).cloned();
    let wants_static = located.static_ok && extra_pkgs.is_empty() && !needs_shell;
    let extra_vars = dotnet_vars(input, image);
    let vars: Vec<(&str, &str)> = extra_vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (mut runtime, use_static) = if let Some(w) = &located.war {
        let _ = w;
        (fill(&recipes().war.runtime, facts, &vars)?, false)
    } else if wants_static && recipe.static_.is_some() {
        (fill(&recipe.runtime, facts, &vars)?, true)
    } else if facts.alpine && !matches!(recipe.artifact, Strategy::Java | Strategy::Dotnet) {
        // musl-built code stays on Alpine.
        if matches!(recipe.artifact, Strategy::Node | Strategy::Python) || facts.distro {
            (distro_runtime(image), false)
        } else {
            ("alpine:3".to_string(), false)
        }
    } else if facts.distro {
        (distro_runtime(image), false)
    } else if !extra_pkgs.is_empty() || needs_shell {
        (fill(&recipe.runtime_shell, facts, &vars)?, false)
    } else if recipe.static_.is_some() {
        // Dynamic build (libraries or a build system we cannot make static).
        (fill(&recipe.runtime_shell, facts, &vars)?, false)
    } else {
        (fill(&recipe.runtime, facts, &vars)?, false)
    };
    let mut use_static = use_static;
    if let Some(c) = configured {
        let glibc = !facts.alpine;
        if c.contains("alpine")
            && glibc
            && !(use_static || located.static_ok && recipe.static_.is_some())
        {
            return Err(format!(
                "the configured runtime `{c}` is Alpine (musl), but the build links against glibc"
            ));
        }
        if is_shell_less(&c) && (needs_shell || !extra_pkgs.is_empty()) {
            return Err(format!(
                "the configured runtime `{c}` has no shell or package manager, which the runtime stage needs"
            ));
        }
        if (c == "scratch" || c.contains("distroless/static")) && recipe.static_.is_some() {
            if !located.static_ok {
                return Err(format!(
                    "the configured runtime `{c}` has no libc, and the build cannot be made static"
                ));
            }
            use_static = true;
        } else if c == "scratch" || c.contains("distroless/static") {
            if !matches!(recipe.artifact, Strategy::Go | Strategy::Cc) {
                return Err(format!("the configured runtime `{c}` has no libc"));
            }
        } else if recipe.static_.is_some()
            && !c.contains("distroless")
            && !c.contains("alpine")
            && !located.static_ok
        {
            use_static = false;
        }
        runtime = c;
    }
    if is_shell_less(&runtime) && (needs_shell || !extra_pkgs.is_empty()) {
        runtime = fill(&recipe.runtime_shell, facts, &vars)?;
        use_static = false;
    }
    if runtime.contains("alpine")
        && !facts.alpine
        && !use_static
        && !matches!(recipe.artifact, Strategy::Java | Strategy::Dotnet)
    {
        return Err("glibc-built binaries do not run on Alpine".into());
    }

    // Stage names: the builder gets `build` (or the stage's name + `-build`), the runtime
    // stage takes over the original name so `--target` keeps its meaning.
    let taken = |n: &str| model.stages.iter().any(|s| s.name.as_deref() == Some(n));
    // A final stage named like a build stage keeps its name (`--target build` still means the
    // build environment); otherwise the runtime stage takes the name.
    let buildish = stage
        .name
        .as_deref()
        .is_some_and(|n| ["build", "compile", "dev"].iter().any(|b| n.contains(b)));
    let builder = match &stage.name {
        Some(n) if buildish => n.clone(),
        Some(n) => format!("{n}-build"),
        None => ["build", "builder", "build-stage"]
            .into_iter()
            .find(|n| !taken(n))
            .unwrap_or("build-stage")
            .to_string(),
    };
    let from = &model.instructions[stage.from];
    let lower = from.keyword_text.chars().all(|c| !c.is_ascii_uppercase());
    let kw = |k: &str| {
        if lower {
            k.to_ascii_lowercase()
        } else {
            k.to_string()
        }
    };

    let mut out_edits: Vec<Edit> = Vec::new();
    match &stage.name {
        Some(_) if buildish => {}
        Some(_) => out_edits.extend(edits::rename_stage(model, stage, &builder)),
        None => out_edits.extend(edits::add_stage_name(model, stage, &builder)),
    }
    if use_static {
        out_edits.extend(located.static_edits.iter().cloned());
    }
    for (after, text) in &located.builder_additions {
        let inst = &model.instructions[*after];
        out_edits.push(edits::insert_instruction_after(source, inst, text));
    }

    // The runtime stage, in the original order of what it carries.
    let n = source.newline();
    let mut lines: Vec<String> = Vec::new();
    let as_name = stage
        .name_range
        .as_ref()
        .filter(|_| !buildish)
        .map(|r| format!(" {} {}", kw("AS"), &source.text[r.clone()]))
        .unwrap_or_default();
    lines.push(format!("{} {runtime}{as_name}", kw("FROM")));
    let build_only_env = &recipes().env.build_only;
    let last_of = |k: Keyword| {
        model
            .stage_body(stage)
            .filter(|(_, i)| i.keyword == k)
            .map(|(i, _)| i)
            .last()
    };
    let last_workdir = last_of(Keyword::Workdir);
    let last_user = user.as_ref().map(|u| u.0);
    let last_step = steps.iter().map(|s| s.inst).max().unwrap_or(stage.from);
    let last_entry = [
        located.entry.entrypoint.as_ref().map(|e| e.0),
        located.entry.cmd.as_ref().map(|e| e.0),
    ];
    let last_health = last_of(Keyword::Healthcheck);
    let cmd_wd = last_entry
        .iter()
        .flatten()
        .next()
        .and_then(|&i| super::artifacts::workdir_at(model, i).ok());

    let mut body: Vec<String> = Vec::new();
    let mut used_text = String::new();
    for (i, inst) in model.stage_body(stage) {
        let text = &source.text[inst.range.clone()];
        match inst.keyword {
            Keyword::Env => {
                let Args::Pairs(pairs) = &inst.args else {
                    continue;
                };
                let keep: Vec<_> = pairs
                    .iter()
                    .filter(|p| !build_only_env.contains(&p.key))
                    .collect();
                if keep.len() == pairs.len() {
                    body.push(text.to_string());
                } else if !keep.is_empty() {
                    let parts: Vec<&str> =
                        keep.iter().map(|p| &source.text[p.range.clone()]).collect();
                    body.push(format!("{} {}", inst.keyword_text, parts.join(" ")));
                }
            }
            Keyword::Workdir if Some(i) == last_workdir && located.war.is_none() => {
                if let Some(w) = stage.workdir.known().or(cmd_wd.as_deref()) {
                    body.push(format!("{} {w}", inst.keyword_text));
                }
            }
            Keyword::User if Some(i) == last_user => body.push(text.to_string()),
            Keyword::Copy | Keyword::Add => {
                let words = inst.words();
                let Some((dest, srcs)) = words.split_last() else {
                    continue;
                };
                let from_stage = inst.flag("from").is_some();
                let first = |s: &str| {
                    s.trim_start_matches("./")
                        .split('/')
                        .next()
                        .unwrap_or("")
                        .to_string()
                };
                let assets = &recipes().assets.dirs;
                let python = recipe.copy == CopyPolicy::All && recipe.artifact == Strategy::Python;
                let carry = if from_stage {
                    true
                } else if python {
                    !srcs.iter().all(|s| {
                        recipe.build_only_sources.iter().any(|p| {
                            super::recipes::glob_match(p, s.value.trim_start_matches("./"))
                        })
                    })
                } else {
                    let whole = srcs
                        .iter()
                        .any(|s| matches!(s.value.trim_end_matches('/'), "." | "" | "*"));
                    if whole {
                        if let Some(a) = input.context.entries.iter().find(|e| {
                            e.ends_with('/')
                                && assets.contains(&e.trim_end_matches('/').to_string())
                        }) {
                            return Err(format!(
                                "the build context has `{a}`, which the program may read at runtime"
                            ));
                        }
                    }
                    !srcs.is_empty() && srcs.iter().all(|s| assets.contains(&first(&s.value)))
                };
                if !carry {
                    continue;
                }
                if !inst.heredocs.is_empty() {
                    return Err("a COPY with a heredoc would have to be repeated".into());
                }
                let wd = super::artifacts::workdir_at(model, i)?;
                let dir_like = dest.value.ends_with('/') || dest.value == "." || srcs.len() > 1;
                let mut abs = join(&wd, &dest.value);
                if dir_like && !abs.ends_with('/') {
                    abs.push('/');
                }
                let t = &source.text;
                body.push(format!(
                    "{}{}{}",
                    &t[inst.range.start..dest.range.start],
                    abs,
                    &t[dest.range.end..inst.range.end]
                ));
            }
            k if moved(k) => {
                let is_entry = matches!(k, Keyword::Cmd | Keyword::Entrypoint);
                if (is_entry && !last_entry.contains(&Some(i)))
                    || (k == Keyword::Healthcheck && Some(i) != last_health)
                {
                    out_edits.push(removal(source, model, inst));
                    continue;
                }
                let (_, comments) = attached_comments(source, model, inst);
                let line = if is_entry {
                    let e = if k == Keyword::Cmd {
                        &located.entry.cmd
                    } else {
                        &located.entry.entrypoint
                    };
                    let argv = e.as_ref().map(|e| e.1.clone()).unwrap_or_default();
                    format!("{} {}", inst.keyword_text, edits::exec_json(&argv))
                } else {
                    text.to_string()
                };
                body.push(format!(
                    "{}{line}",
                    comments.replace("\r\n", "\n").replace('\n', n)
                ));
                out_edits.push(removal(source, model, inst));
            }
            _ => {}
        }
        if i == last_step {
            for a in &located.copy {
                body.push(format!(
                    "{} --from={builder} {} {}",
                    kw("COPY"),
                    a.path,
                    a.path
                ));
            }
            if let Some(w) = &located.war {
                body.push(format!(
                    "{} --from={builder} {w} {}",
                    kw("COPY"),
                    recipes().war.deploy
                ));
            }
        }
    }
    // A WORKDIR the CMD relies on although the stage never set one (the base image's).
    if last_workdir.is_none() {
        if let Some(w) = cmd_wd.as_deref().filter(|w| *w != "/") {
            let relative = located.entry.words().iter().skip(1).any(|a| {
                !a.starts_with('/') && !a.starts_with('-') && (a.contains('/') || a.contains('.'))
            });
            if relative {
                body.insert(0, format!("{} {w}", kw("WORKDIR")));
            }
        }
    }
    for l in &body {
        used_text.push_str(l);
    }
    // ARGs the carried instructions use, declared again.
    for (i, inst) in model.stage_body(stage) {
        if inst.keyword != Keyword::Arg {
            continue;
        }
        if let Args::Pairs(pairs) = &inst.args {
            if pairs.iter().any(|p| {
                used_text.contains(&format!("${}", p.key))
                    || used_text.contains(&format!("${{{}", p.key))
            }) {
                lines.push(source.text[model.instructions[i].range.clone()].to_string());
            }
        }
    }
    if !extra_pkgs.is_empty() {
        let list = extra_pkgs.join(" ");
        lines.push(if apk {
            format!("{} apk add --no-cache {list}", kw("RUN"))
        } else {
            format!(
                "{} apt-get update && apt-get install -y --no-install-recommends {list} && rm -rf /var/lib/apt/lists/*",
                kw("RUN")
            )
        });
    }
    if let Some(i) = user_run {
        lines.push(source.text[model.instructions[i].range.clone()].to_string());
    }
    lines.extend(body);

    // The builder as edited, its trailing blank lines trimmed, then one blank line and the
    // runtime stage: one edit from the final stage's FROM to the end of the file.
    let text = &source.text;
    let start = source.line_start(source.line_index(from.range.start));
    let refs: Vec<&Edit> = out_edits.iter().collect();
    let edited = crate::fix::apply_edits(text, &refs);
    let mut tail = edited[start..].trim_end().to_string();
    tail.push_str(n);
    tail.push_str(n);
    tail.push_str(&lines.join(n));
    tail.push_str(n);
    let out_edits = vec![Edit::replace(start..text.len(), tail)];

    let mut what: Vec<String> = located
        .copy
        .iter()
        .map(|a| format!("`{}`", a.path))
        .collect();
    if let Some(w) = &located.war {
        what.push(format!("`{w}` deployed to `{}`", recipes().war.deploy));
    }
    let mut note = format!(
        "the runtime stage will be `{runtime}` with {}",
        what.join(", ")
    );
    if !extra_pkgs.is_empty() {
        note.push_str(&format!(
            " and the packages {}",
            extra_pkgs
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if use_static && !located.static_edits.is_empty() {
        note.push_str("; the build is made static");
    }
    Ok(Conversion {
        runtime,
        note,
        edits: out_edits,
    })
}

/// The .NET runtime image a project needs: `runtime` when the context's project file is not a
/// web project, else `aspnet` (which has the plain runtime too).
pub fn dotnet_runtime(context: &crate::context::BuildContext) -> &'static str {
    let web = context
        .with_extension("csproj")
        .chain(context.with_extension("fsproj"))
        .map(|(_, t)| t.contains("Microsoft.NET.Sdk.Web"))
        .next();
    match web {
        Some(false) => "runtime",
        _ => "aspnet",
    }
}

/// `{dotnet-runtime}` (aspnet for web projects) and `{tag}` for the .NET template.
fn dotnet_vars(input: &Input, image: &ImageRef) -> Vec<(&'static str, String)> {
    vec![
        ("dotnet-runtime", dotnet_runtime(input.context).to_string()),
        ("tag", image.tag.clone().unwrap_or_else(|| "latest".into())),
    ]
}
