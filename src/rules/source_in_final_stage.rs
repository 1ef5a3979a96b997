//! `source-in-final-stage`: the final stage of a multi-stage build copies the whole build
//! context (`COPY . <dst>`) next to the artifact a builder stage compiled, so the sources ship.
//!
//! A project is compiled when the stage the final stage copies from is built on a toolchain
//! image or runs a build step of a compiled language (the converter's recipes: Go, C, C++,
//! Rust, Java, .NET). Interpreted programs run from their sources and are left alone.

use super::{Ctx, Report};
use crate::convert::{self, recipes, Recipe, Strategy};
use crate::model::{Base, Dockerfile, RefKind, Stage, Target};
use crate::shell::packages::{Kind, Manager};
use crate::shell::{self, basename};
use crate::syntax::{Args, Keyword, Logical};

crate::declare_rule! {
    slug: "source-in-final-stage",
    codes: [],
    group: Size,
    severity: Warning,
    fix: None,
    since: "0.4.0",
    summary: "the final stage copies the whole build context next to an artifact compiled in a builder stage",
    hooks: { file: check },
}

/// Images whose programs run from their sources (interpreters, web servers of static files).
const INTERPRETER_IMAGES: &[&str] = &[
    "python", "pypy", "node", "ruby", "jruby", "php", "perl", "r-base", "julia", "elixir",
    "erlang", "denoland/deno", "oven/bun", "nginx", "httpd", "caddy", "openresty/openresty",
    "wordpress", "drupal", "joomla", "gcr.io/distroless/python3", "gcr.io/distroless/nodejs",
];

/// Programs that run a program from its sources.
const INTERPRETERS: &[&str] = &[
    "python", "python3", "python2", "node", "nodejs", "ruby", "php", "php-fpm", "perl", "bun",
    "deno", "Rscript", "julia", "gunicorn", "uvicorn", "celery", "flask", "npm", "npx", "yarn",
    "pnpm", "bundle", "rails", "rake", "puma", "pm2", "elixir", "mix", "iex",
];

/// Build recipes of compiled languages (the make recipe builds anything).
fn compiled(recipe: &Recipe) -> bool {
    matches!(
        recipe.key.as_str(),
        "go" | "c" | "cpp" | "rust" | "java" | "dotnet"
    ) && recipe.artifact != Strategy::Command
}

/// The language's name, as the recipe gives it (`Java (Maven)` -> `Java`).
fn language(recipe: &Recipe) -> &str {
    recipe.name.split(" (").next().unwrap_or(&recipe.name)
}

fn check(ctx: &Ctx, out: &mut Report) {
    let model = ctx.model;
    if model.stages.len() < 2 {
        return;
    }
    let Some(last) = model.final_stage() else {
        return;
    };
    let stages = line(model, last);
    if let Some(Base::Image(img)) = stages.last().map(|s| &s.base) {
        let name = img.short_name();
        if INTERPRETER_IMAGES
            .iter()
            .any(|i| name == *i || name.starts_with(&format!("{i}-")))
        {
            return;
        }
    }
    // A final stage that builds (or installs an interpreter's packages) needs its sources.
    if stages.iter().any(|s| {
        !convert::build_steps(model, ctx.scripts, s).is_empty() || installs_libraries(ctx, s)
    }) || runs_interpreter(model, &stages)
    {
        return;
    }
    let Some((builder, recipe)) = compiled_source(ctx, &stages) else {
        return;
    };
    if ignores_sources(ctx) {
        return;
    }
    for s in &stages {
        for (_, inst) in model.stage_body(s) {
            if !matches!(inst.keyword, Keyword::Copy | Keyword::Add) || inst.flag("from").is_some()
            {
                continue;
            }
            let words = inst.words();
            let Some((_, sources)) = words.split_last() else {
                continue;
            };
            let Some(src) = sources
                .iter()
                .find(|w| matches!(w.value.as_str(), "." | "./"))
            else {
                continue;
            };
            let kw = inst.keyword_text.to_ascii_uppercase();
            out.report(
                src.range.clone(),
                format!(
                    "`{kw} .` puts the whole build context, {} sources included, into the final image, which runs what stage `{builder}` compiled",
                    language(recipe)
                ),
            )
            .help(
                "copy only what the program needs at run time (configuration, templates, static files) with their own `COPY` lines, or exclude the sources in `.dockerignore`: sources in the image add size and can leak code and secrets",
            );
        }
    }
}

/// The stage and the stages it is built on, nearest first.
fn line<'m>(model: &'m Dockerfile, stage: &'m Stage) -> Vec<&'m Stage> {
    let mut out = vec![stage];
    let mut s = stage;
    while let Base::Stage(p) = &s.base {
        if *p >= s.index || out.len() > model.stages.len() {
            break;
        }
        s = &model.stages[*p];
        out.push(s);
    }
    out
}

/// Whether a stage installs an interpreter's libraries (`pip install`, `npm ci`, `bundle
/// install`, `composer install`): its program runs from source.
fn installs_libraries(ctx: &Ctx, stage: &Stage) -> bool {
    ctx.model.stage_body(stage).any(|(i, inst)| {
        inst.keyword == Keyword::Run
            && ctx.scripts.get(i).is_some_and(|s| {
                s.package_commands().any(|(_, a)| {
                    a.kind == Kind::Install
                        && matches!(
                            a.manager,
                            Manager::Pip
                                | Manager::Npm
                                | Manager::Yarn
                                | Manager::Pnpm
                                | Manager::Gem
                                | Manager::Bundler
                                | Manager::Composer
                        )
                })
            })
    })
}

/// Whether the CMD or ENTRYPOINT in force runs an interpreter.
fn runs_interpreter(model: &Dockerfile, stages: &[&Stage]) -> bool {
    let mut programs: Vec<String> = Vec::new();
    for s in stages.iter().rev() {
        for (_, inst) in model.stage_body(s) {
            if !matches!(inst.keyword, Keyword::Cmd | Keyword::Entrypoint) {
                continue;
            }
            match &inst.args {
                Args::Exec(words) => {
                    let first = words.first().map(|w| basename(&w.value));
                    match first {
                        Some(p) if shell::SHELLS.contains(&p) => {
                            if let Some(script) = words
                                .iter()
                                .position(|w| w.value == "-c")
                                .and_then(|i| words.get(i + 1))
                            {
                                let sc = shell::parse_script(&Logical::default_with(&script.value));
                                programs.extend(
                                    sc.commands.iter().filter_map(|c| c.name().map(String::from)),
                                );
                            }
                        }
                        Some(p) => programs.push(p.to_string()),
                        None => {}
                    }
                }
                Args::Shell(sh) => {
                    let sc = shell::parse_script(&sh.logical);
                    programs.extend(sc.commands.iter().filter_map(|c| c.name().map(String::from)));
                }
                _ => {}
            }
        }
    }
    programs.iter().any(|p| {
        let p = p.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
        INTERPRETERS.contains(&p) || p.ends_with(".py") || p.ends_with(".js") || p.ends_with(".rb")
            || p.ends_with(".php")
    })
}

/// The first stage the final stage's line copies from that compiles: built on a compiled
/// language's toolchain image, or running one of its build steps. With the recipe.
fn compiled_source<'m>(
    ctx: &Ctx<'m>,
    stages: &[&Stage],
) -> Option<(String, &'static Recipe)> {
    let model = ctx.model;
    let mut seen: Vec<usize> = Vec::new();
    for r in &model.stage_refs {
        if r.kind != RefKind::CopyFrom
            || !stages.iter().any(|s| s.body.contains(&r.instruction))
            || model.instructions[r.instruction].keyword == Keyword::Onbuild
        {
            continue;
        }
        let (Target::Named(b) | Target::Index(b)) = r.target else {
            continue;
        };
        // Each builder is looked at once, however many COPYs name it.
        if seen.contains(&b) {
            continue;
        }
        seen.push(b);
        let Some(builder) = model.stages.get(b) else {
            continue;
        };
        let from = line(model, builder);
        let by_image = from.last().and_then(|s| match &s.base {
            Base::Image(img) => recipes()
                .recipe
                .iter()
                .find(|r| compiled(r) && r.is_toolchain(img)),
            _ => None,
        });
        let by_step = || {
            from.iter().find_map(|s| {
                convert::build_steps(model, ctx.scripts, s)
                    .into_iter()
                    .map(|st| st.recipe)
                    .find(|r| compiled(r))
            })
        };
        if let Some(recipe) = by_image.or_else(by_step) {
            let name = builder
                .name
                .clone()
                .unwrap_or_else(|| builder.index.to_string());
            return Some((name, recipe));
        }
    }
    None
}

/// Source file patterns that, in `.dockerignore`, keep a compiled project's sources out.
const SOURCE_PATTERNS: &[&str] = &[
    ".go", ".rs", ".c", ".cc", ".cpp", ".h", ".hpp", ".java", ".kt", ".scala", ".cs", ".fs",
    ".vb", ".swift",
];

/// Whether `.dockerignore` keeps the sources out: an allowlist (`*` then `!` exceptions), a
/// pattern for source files (`**/*.go`), or the `src` directory.
fn ignores_sources(ctx: &Ctx) -> bool {
    let Some(text) = ctx.context.get(".dockerignore") else {
        return false;
    };
    text.lines().map(str::trim).any(|l| {
        let l = l.trim_start_matches('/');
        matches!(l, "*" | "**" | "**/*" | "src" | "src/" | "src/**")
            || (l.contains('*') && SOURCE_PATTERNS.iter().any(|e| l.ends_with(e)))
    })
}
