//! `cache-in-layer`: a package manager's cache left in a layer of the shipped image.
//!
//! What each package manager caches, where, and what removes or later reads it is data in
//! [`crate::shell::packages::CACHES`]; this rule judges where a cache can be removed and says
//! so (its codes and texts per cache are in `texts`). A cache is not reported when a
//! `--mount=type=cache` (or tmpfs) covers it, when the same RUN removes it, or when the stage
//! does not end up in the final image. A cache that a later RUN of the stage, or of a stage built on it, still reads (apt
//! lists for an `apt-get install` that does not update again) is never removed where it is
//! made: the finding moves to the last RUN that reads it, or stays without a fix.

use super::{Ctx, Report};
use crate::fix::{edits, Fix};
use crate::model::{clean_path, mounts, Base, Dockerfile, Target};
use crate::shell::packages::{covers, Action, Cache, CacheId, Cleanup, CACHES};
use crate::shell::{Command, RunsAs, Script, ShellWord};
use crate::syntax::Keyword;

crate::declare_rule! {
    slug: "cache-in-layer",
    codes: [
        DL3009: "delete the apt-get lists after installing something",
        DL3019: "use the `--no-cache` switch to avoid the need to use `--update` and remove `/var/cache/apk/*`",
        DL3042: "avoid the use of cache directory with pip: use `pip install --no-cache-dir <package>`",
        DL3060: "`yarn cache clean` missing after `yarn install`",
        DL3032: "`yum clean all` missing after yum command",
        DL3036: "`zypper clean` missing after zypper use",
        DL3040: "`dnf clean all` missing after dnf command",
    ],
    group: Size,
    severity: Warning,
    fix: Sometimes,
    since: "0.1.0",
    summary: "a package manager leaves its cache in a layer of the final image",
    options: Options,
    hooks: { file: check },
}

/// `[rules.cache-in-layer]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "CacheInLayerOptions")]
pub struct Options {
    /// Which fix to offer.
    #[serde(default)]
    pub fix: FixStyle,
}

/// Which fix `cache-in-layer` offers.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum FixStyle {
    /// `--no-cache`-style options or a cleanup appended to the RUN (safe).
    #[default]
    Cleanup,
    /// A `--mount=type=cache` on the RUN (unsafe: needs BuildKit; the cache lives on the builder).
    Mount,
}


/// What the rule says about one cache.
struct Texts {
    /// The code a finding carries, by program (`*`: every program of the cache).
    codes: &'static [(&'static str, &'static str)],
    /// What is left, for the message, on Linux and on Windows (`None`: no such cache there).
    what: &'static str,
    what_windows: Option<&'static str>,
    /// How to avoid it, for the help.
    help: &'static str,
}

#[rustfmt::skip]
fn texts(id: CacheId) -> Texts {
    match id {
        CacheId::AptLists => Texts {
            codes: &[("*", "DL3009")],
            what: "package lists in `/var/lib/apt/lists`",
            what_windows: None,
            help: "end the same RUN with `&& rm -rf /var/lib/apt/lists/*`, or mount a cache: `RUN --mount=type=cache,target=/var/lib/apt/lists,sharing=locked`",
        },
        CacheId::AptArchives => Texts {
            codes: &[],
            what: "downloaded `.deb` archives in `/var/cache/apt` (the `docker-clean` hook is removed)",
            what_windows: None,
            help: "run `apt-get clean` in the same RUN, or mount a cache: `--mount=type=cache,target=/var/cache/apt,sharing=locked`",
        },
        CacheId::Apk => Texts {
            codes: &[("*", "DL3019")],
            what: "the package index and packages in `/var/cache/apk`",
            what_windows: None,
            help: "use `apk add --no-cache`",
        },
        CacheId::Pip => Texts {
            codes: &[("*", "DL3042")],
            what: "downloaded wheels in pip's cache (`~/.cache/pip`)",
            what_windows: Some("downloaded wheels in pip's cache (`%LOCALAPPDATA%\\pip\\Cache`)"),
            help: "use `pip install --no-cache-dir`, set `ENV PIP_NO_CACHE_DIR=1`, or mount a cache: `--mount=type=cache,target=/root/.cache/pip`",
        },
        CacheId::Npm => Texts {
            codes: &[],
            what: "npm's package cache (`~/.npm`)",
            what_windows: Some("npm's package cache (`%LOCALAPPDATA%\\npm-cache`)"),
            help: "end the same RUN with `&& npm cache clean --force`, or mount a cache: `--mount=type=cache,target=/root/.npm`",
        },
        CacheId::Yarn => Texts {
            codes: &[("*", "DL3060")],
            what: "yarn's package cache",
            what_windows: Some("yarn's package cache (`%LOCALAPPDATA%\\Yarn\\Cache`)"),
            help: "end the same RUN with `&& yarn cache clean`, or mount a cache: `--mount=type=cache,target=/usr/local/share/.cache/yarn`",
        },
        CacheId::Pnpm => Texts {
            codes: &[],
            what: "pnpm's content-addressable store",
            what_windows: Some("pnpm's content-addressable store"),
            help: "mount the store as a cache (`--mount=type=cache,target=/root/.local/share/pnpm/store`) or end the same RUN with `&& pnpm store prune`",
        },
        CacheId::Dnf => Texts {
            codes: &[("yum", "DL3032"), ("dnf", "DL3040"), ("microdnf", "DL3040"), ("dnf5", "DL3040")],
            what: "package metadata and packages in `/var/cache`",
            what_windows: None,
            help: "end the same RUN with `&& dnf clean all` (`yum clean all`, `microdnf clean all`)",
        },
        CacheId::Zypper => Texts {
            codes: &[("*", "DL3036")],
            what: "package metadata and packages in `/var/cache/zypp`",
            what_windows: None,
            help: "end the same RUN with `&& zypper clean --all`",
        },
        CacheId::Gem => Texts {
            codes: &[],
            what: "downloaded `.gem` files in the gem cache",
            what_windows: None,
            help: "remove the gem cache in the same RUN (`&& rm -rf /usr/local/bundle/cache ~/.gem`)",
        },
        CacheId::Composer => Texts {
            codes: &[],
            what: "composer's download cache",
            what_windows: Some("composer's download cache"),
            help: "use `--no-cache`, or end the same RUN with `&& composer clear-cache`",
        },
    }
}

/// The code of a finding about `a`, the action that filled the cache.
fn code_of(t: &Texts, a: &Action) -> Option<&'static str> {
    t.codes
        .iter()
        .find(|(p, _)| *p == "*" || *p == a.program)
        .map(|(_, c)| *c)
}

/// The program of a command: its action's (`pip` for `python -m pip`) or its name.
fn program<'a>(c: &'a Command, a: Option<&'a Action>) -> &'a str {
    a.map(|a| a.program.as_str()).or_else(|| c.name()).unwrap_or("")
}

/// Most instructions looked at for the readers of one cache; past it, readers are assumed.
const READER_WALK_LIMIT: usize = 100_000;

fn check(ctx: &Ctx, out: &mut Report) {
    let model = ctx.model;
    let children = children_of(model);
    for stage in &model.stages {
        // A builder stage's cache never ships.
        if !model.ships(stage.index) {
            continue;
        }
        for (i, _) in model.stage_body(stage) {
            let Some(script) = ctx.scripts.get(i) else {
                continue;
            };
            let inst = &model.instructions[i];
            let covered: Vec<String> = mounts(inst.sub.as_deref().unwrap_or(inst))
                .into_iter()
                .filter(|m| m.kind == "cache" || m.kind == "tmpfs")
                .filter_map(|m| m.target)
                .map(|t| clean_path(&t))
                .collect();
            let place = Place {
                index: i,
                stage: stage.index,
                script,
                covered: &covered,
                windows: stage.windows,
                onbuild: inst.keyword == Keyword::Onbuild,
            };
            for m in CACHES {
                check_manager(ctx, m, &place, &children, out);
            }
        }
    }
}

/// A RUN being checked.
struct Place<'a> {
    index: usize,
    stage: usize,
    script: &'a Script,
    covered: &'a [String],
    windows: bool,
    onbuild: bool,
}

fn check_manager(
    ctx: &Ctx,
    m: &Cache,
    at: &Place,
    children: &[Vec<usize>],
    out: &mut Report,
) {
    let scope = &ctx.model.contexts[at.index].scope;
    let script = at.script;
    let t = texts(m.id);
    let what = if at.windows {
        let Some(w) = t.what_windows else {
            return;
        };
        w
    } else {
        t.what
    };
    if let Some(req) = m.requires {
        if !script.commands.iter().any(req) {
            return;
        }
    }
    let actions = script.actions();
    // A cleanup only helps what was filled before it: report the first fill after the last one.
    let last_clean = script
        .commands
        .iter()
        .zip(actions)
        .rposition(|(c, a)| m.cleans(c, a.as_ref(), None));
    let fills_after: Vec<(usize, &Command, &Action)> = script
        .commands
        .iter()
        .zip(actions)
        .enumerate()
        .filter_map(|(i, (c, a))| Some((i, c, a.as_ref()?)))
        .filter(|(i, _, a)| last_clean.is_none_or(|l| *i > l) && m.fills(a, scope))
        .collect();
    let Some(&(pos, cmd, action)) = fills_after.first() else {
        return;
    };
    let fills_after: Vec<(&Command, &Action)> =
        fills_after.iter().map(|(_, c, a)| (*c, *a)).collect();
    // A cache moved with `--cache DIR` is removed by removing DIR.
    if let Some(dir) = m.moved_by(action) {
        if script.commands[pos + 1..]
            .iter()
            .zip(&actions[pos + 1..])
            .any(|(c, a)| m.cleans(c, a.as_ref(), Some(&dir)))
            || at.covered.iter().any(|t| covers(t, &dir))
        {
            return;
        }
    } else if at.covered.iter().any(|t| m.mounted_at(t)) {
        // The paths are alternatives (per program, per user): a cache mount on one is enough.
        return;
    }
    let filled = shown(cmd, Some(action));
    let readers = if at.onbuild {
        Readers::default()
    } else {
        find_readers(ctx, m, at, children)
    };
    let verdict = readers.verdict(ctx.model, at);
    let fix_at = match &verdict {
        Verdict::Here => Some(at.index),
        Verdict::LastReader(r) => Some(r.index),
        Verdict::Kept { .. } => None,
    };
    let mut d = match verdict {
        Verdict::Here => {
            let fix = match ctx.options::<Options>().fix {
                FixStyle::Cleanup if !at.windows => cleanup_fix(ctx, at, m, &fills_after),
                FixStyle::Cleanup => option_fix(m, &fills_after),
                FixStyle::Mount if at.windows => None,
                FixStyle::Mount => mount_fix(ctx, at.index, m),
            };
            out.report(
                cmd.range.clone(),
                format!("`{filled}` leaves {what} in the image"),
            )
            .help(t.help)
            .fix(fix)
        }
        Verdict::LastReader(r) => {
            let reader = &ctx.model.instructions[r.index];
            let reader_script = ctx.scripts.get(r.index);
            let line = ctx.source.line_col(cmd.range.start).line;
            let fix = match (&m.cleanup, reader_script) {
                (Cleanup::Append(c), Some(s)) if !at.windows => {
                    let prog = program(r.command(s), s.action(r.command));
                    cleanup_command(r.command(s), &c.replace("{prog}", prog)).and_then(|c| {
                        edits::append_to_chain(ctx.source, ctx.model, reader, s, &c)
                            .map(|e| Fix::safe(format!("append `{c}` to the RUN"), vec![e]))
                    })
                }
                _ => None,
            };
            let range = reader_script.map_or(reader.range.clone(), |s| r.command(s).range.clone());
            let reader_shown = reader_script
                .map_or_else(String::new, |s| shown(r.command(s), s.action(r.command)));
            out.report(
                range,
                format!("`{reader_shown}` is the last to use the {what} from line {line}'s `{filled}`, and leaves them in the image"),
            )
            .label(cmd.range.clone(), format!("`{filled}` writes them here"))
            .help(format!(
                "removing them at the end of this RUN keeps them out of the final filesystem, but line {line}'s layer still holds them: to shrink the image, run `{filled}` in this RUN instead of its own"
            ))
            .fix(fix)
        }
        Verdict::Kept { by, why } => {
            let line = ctx
                .source
                .line_col(ctx.model.instructions[by].range.start)
                .line;
            let (message, help) = match why {
                Why::RemovedLater => (
                    format!("`{filled}` leaves {what} in its layer; removing them on line {line} does not shrink the image"),
                    format!("run `{filled}` in the RUN on line {line}, which uses and removes them"),
                ),
                Why::Onbuild => (
                    format!("`{filled}` leaves {what} in the image; the `ONBUILD` trigger on line {line} may use them, so they cannot be removed here"),
                    "remove them in the trigger, after it installs".to_string(),
                ),
                Why::Derived => (
                    format!("`{filled}` leaves {what} in the image; a stage built on this one uses them on line {line}, so they cannot be removed here"),
                    format!("run `{filled}` in the RUN that uses them, and remove them there"),
                ),
                Why::Copied => (
                    format!("`{filled}` leaves {what} in the image; line {line} copies them, so they cannot be removed here"),
                    "copy what the later stage needs from elsewhere, or keep the cache out of the shipped stage".to_string(),
                ),
                Why::TooMany => (
                    format!("`{filled}` leaves {what} in the image; too many stages are built on this one to tell whether they can be removed here"),
                    t.help.to_string(),
                ),
            };
            let d = out.report(cmd.range.clone(), message).help(help);
            if by == at.index {
                d
            } else {
                d.label(ctx.model.instructions[by].range.clone(), "uses them here")
            }
        }
    };
    // A later RUN that dlint cannot see into may read the cache too: the fix needs review.
    let unseen = fix_at.and_then(|f| readers.maybe.iter().copied().find(|&m| m > f));
    if let Some(u) = unseen {
        let line = ctx
            .source
            .line_col(ctx.model.instructions[u].range.start)
            .line;
        d = d.unsafe_because(format!(
            "the fix is unsafe: the RUN on line {line} runs commands dlint cannot see (a script, a non-POSIX shell), which may use them"
        ));
    }
    if let Some(code) = code_of(&t, action) {
        d = d.code(code);
    }
    drop(d);
}

/// `apt-get update`, `yum install`, `pip install`, bare `yarn`: the program and the
/// subcommand, never an option.
fn shown(c: &Command, a: Option<&Action>) -> String {
    let prog = program(c, a);
    let sub = match a {
        Some(a) => a.sub(),
        None => c.subcommand(),
    };
    match sub {
        Some(sub) => format!("{prog} {sub}"),
        None => prog.to_string(),
    }
}

/// A later command that reads a cache an earlier RUN left.
#[derive(Debug, Clone, Copy)]
struct Reader {
    index: usize,
    stage: usize,
    /// Position of the reading command in its script.
    command: usize,
    /// The same RUN removes the cache after reading it.
    cleans: bool,
    /// An ONBUILD trigger: it reads in a build we cannot see.
    onbuild: bool,
    /// `COPY --from` or a mount of the stage: the reader is outside the stage's own line.
    copied: bool,
}

impl Reader {
    fn command<'s>(&self, s: &'s Script) -> &'s Command {
        &s.commands[self.command]
    }
}

#[derive(Debug, Default)]
struct Readers {
    list: Vec<Reader>,
    /// Too much to look at: assume someone reads.
    unknown: bool,
    /// Later RUNs whose commands cannot be seen (a script file, `curl | sh`, a shell that is
    /// not POSIX, text the shell parser rejects): they may read it, so a fix is unsafe.
    maybe: Vec<usize>,
}

enum Verdict {
    /// Nothing reads it later: remove it where it is made.
    Here,
    /// Remove it after this last reader, which nothing after reads.
    LastReader(Reader),
    /// It must stay in this layer; `by` is the instruction that reads (or removes) it.
    Kept { by: usize, why: Why },
}

/// Why a cache cannot be removed where it is made.
enum Why {
    /// A later RUN of the stage uses it and removes it: the earlier layer keeps it anyway.
    RemovedLater,
    Onbuild,
    /// A stage built on this one uses it.
    Derived,
    /// `COPY --from` or a mount takes files from it.
    Copied,
    /// More stages than the walk looks at.
    TooMany,
}

impl Readers {
    fn verdict(&self, model: &Dockerfile, at: &Place) -> Verdict {
        if self.unknown {
            return Verdict::Kept {
                by: at.index,
                why: Why::TooMany,
            };
        }
        let Some(last) = self.list.last() else {
            return Verdict::Here;
        };
        if let Some(r) = self.list.iter().find(|r| r.onbuild) {
            return Verdict::Kept {
                by: r.index,
                why: Why::Onbuild,
            };
        }
        // The last reader along the shipped stages is where a cleanup can go, if nothing reads
        // the state it leaves: no later reader in its stage or in a stage built on it.
        let shipped: Vec<&Reader> = self
            .list
            .iter()
            .filter(|r| model.ships(r.stage) && !r.copied)
            .collect();
        match shipped.last() {
            Some(r) if r.cleans => Verdict::Kept {
                by: r.index,
                why: Why::RemovedLater,
            },
            Some(r) if !self.list.iter().any(|o| o.index > r.index) => Verdict::LastReader(**r),
            _ => Verdict::Kept {
                by: last.index,
                why: if last.copied {
                    Why::Copied
                } else {
                    Why::Derived
                },
            },
        }
    }
}

/// Stages built directly on each stage.
fn children_of(model: &Dockerfile) -> Vec<Vec<usize>> {
    let mut children = vec![Vec::new(); model.stages.len()];
    for s in &model.stages {
        if let Base::Stage(p) = s.base {
            if p < s.index {
                children[p].push(s.index);
            }
        }
    }
    children
}

/// Who reads the cache `m` that the RUN `at` leaves: later RUNs of its stage and of stages
/// built on it (until one fills or removes the cache again), ONBUILD triggers, and `COPY
/// --from` or mounts of those stages that take files from the cache.
fn find_readers(ctx: &Ctx, m: &Cache, at: &Place, children: &[Vec<usize>]) -> Readers {
    if m.readers.is_empty() && m.reads_with.is_empty() {
        // Still copied by a later instruction? Only paths can tell.
        return Readers {
            list: copied_from(ctx, m, at, children),
            ..Readers::default()
        };
    }
    let mut readers = Readers::default();
    let mut budget = READER_WALK_LIMIT;
    // (stage, first instruction to look at)
    let mut todo = vec![(at.stage, at.index + 1)];
    while let Some((stage, from)) = todo.pop() {
        let end = ctx.model.stages[stage].body.end;
        let mut open = true;
        for j in from..end {
            if budget == 0 {
                readers.unknown = true;
                return readers;
            }
            budget -= 1;
            let inst = &ctx.model.instructions[j];
            let is_run = inst.sub.as_deref().unwrap_or(inst).keyword == Keyword::Run;
            // A RUN under PowerShell or cmd, or one the shell parser rejects, may read it too.
            let Some(s) = ctx.scripts.get(j) else {
                if is_run {
                    readers.maybe.push(j);
                }
                continue;
            };
            let onbuild = inst.keyword == Keyword::Onbuild;
            if !s.clean || s.too_deep.is_some() {
                readers.maybe.push(j);
            }
            match first_use(ctx, m, s, j) {
                Use::Maybe => readers.maybe.push(j),
                Use::Reads(command, cleans) => {
                    readers.list.push(Reader {
                        index: j,
                        stage,
                        command,
                        cleans: cleans && !onbuild,
                        onbuild,
                        copied: false,
                    });
                    if cleans && !onbuild {
                        open = false;
                        break;
                    }
                }
                // Filled or removed again: later readers read another cache.
                Use::Replaces if !onbuild => {
                    open = false;
                    break;
                }
                _ => {}
            }
        }
        if open {
            for &c in &children[stage] {
                todo.push((c, ctx.model.stages[c].body.start));
            }
        }
    }
    readers.list.extend(copied_from(ctx, m, at, children));
    readers.list.sort_by_key(|r| r.index);
    readers
}

enum Use {
    /// The command at this position reads it; `true` when the script then removes it.
    Reads(usize, bool),
    /// A script runs that may read it.
    Maybe,
    /// Filled again or removed before any read.
    Replaces,
    None,
}

/// What a later script does with the cache first.
fn first_use(ctx: &Ctx, m: &Cache, s: &Script, index: usize) -> Use {
    let scope = &ctx.model.contexts[index].scope;
    let actions = s.actions();
    for (k, (c, a)) in s.commands.iter().zip(actions).enumerate() {
        let a = a.as_ref();
        if m.reads(c, a) {
            let cleans = s.commands[k + 1..]
                .iter()
                .zip(&actions[k + 1..])
                .any(|(c, a)| m.cleans(c, a.as_ref(), None));
            return Use::Reads(k, cleans);
        }
        if m.cleans(c, a, None) || (a.is_some_and(|a| m.fills(a, scope)) && !m.readers.is_empty())
        {
            return Use::Replaces;
        }
        if !m.readers.is_empty() && c.runs_unseen_script() {
            return Use::Maybe;
        }
    }
    Use::None
}

/// `COPY --from` / `RUN --mount=from=` of the stage (or one built on it) whose source is in
/// the cache.
fn copied_from(ctx: &Ctx, m: &Cache, at: &Place, children: &[Vec<usize>]) -> Vec<Reader> {
    let mut family = vec![at.stage];
    let mut k = 0;
    while k < family.len() && family.len() < READER_WALK_LIMIT {
        family.extend(children[family[k]].iter().copied());
        k += 1;
    }
    let mut out = Vec::new();
    for r in &ctx.model.stage_refs {
        let (Target::Named(s) | Target::Index(s) | Target::Later(s)) = r.target else {
            continue;
        };
        if !family.contains(&s) || r.instruction <= at.index {
            continue;
        }
        let inst = &ctx.model.instructions[r.instruction];
        let sources: Vec<String> = match inst.keyword {
            Keyword::Copy | Keyword::Add => {
                let w = inst.words();
                w[..w.len().saturating_sub(1)]
                    .iter()
                    .map(|w| w.value.clone())
                    .collect()
            }
            _ => mounts(inst)
                .into_iter()
                .filter(|mt| mt.from.is_some())
                .map(|mt| mt.source.unwrap_or_else(|| "/".into()))
                .collect(),
        };
        let takes_cache = sources.iter().any(|src| {
            let p = clean_path(&format!("/{}", src.trim_end_matches('*')));
            m.overlaps(&p)
        });
        if takes_cache {
            out.push(Reader {
                index: r.instruction,
                stage: ctx.model.contexts[r.instruction].stage.unwrap_or(0),
                command: 0,
                cleans: false,
                onbuild: false,
                copied: true,
            });
        }
    }
    out
}

/// The safe fix: an option on every filling command, or a cleanup appended to the RUN, run
/// with the privileges of the command that filled the cache.
fn cleanup_fix(
    ctx: &Ctx,
    at: &Place,
    m: &Cache,
    fills: &[(&Command, &Action)],
) -> Option<Fix> {
    let inst = &ctx.model.instructions[at.index];
    let &(last, last_action) = fills.last()?;
    let append = |cmd: &str| {
        let cmd = cleanup_command(last, cmd)?;
        edits::append_to_chain(ctx.source, ctx.model, inst, at.script, &cmd)
            .map(|e| Fix::safe(format!("append `{cmd}` to the RUN"), vec![e]))
    };
    // A cache moved for the command (`npm ci --cache /tmp/npm`) is removed as a directory.
    if let Some(dir) = m.moved_by(last_action) {
        let plain = dir.starts_with('/')
            && dir
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "/._-".contains(c));
        return if plain {
            append(&format!("rm -rf {dir}"))
        } else {
            None
        };
    }
    let prog = fills.first().map_or("", |(_, a)| a.program.as_str());
    match m.cleanup {
        Cleanup::None => None,
        Cleanup::Append(cmd) => append(&cmd.replace("{prog}", prog)),
        Cleanup::Option { otherwise, .. } => {
            option_fix(m, fills).or_else(|| append(&otherwise.replace("{prog}", prog)))
        }
    }
}

/// The option fix alone (`--no-cache-dir` on every filling command), in shell or JSON form.
fn option_fix(m: &Cache, fills: &[(&Command, &Action)]) -> Option<Fix> {
    let Cleanup::Option {
        option, takes_it, ..
    } = m.cleanup
    else {
        return None;
    };
    let words: Option<Vec<&ShellWord>> = fills
        .iter()
        .map(|(_, a)| {
            a.subcommand
                .as_ref()
                .filter(|w| takes_it.contains(&w.value.as_deref().unwrap_or("")))
        })
        .collect();
    let edits = words?
        .iter()
        .map(|w| edits::insert_arg_after(w, option))
        .collect::<Option<Vec<_>>>()?;
    Some(Fix::safe(format!("add `{option}`"), edits))
}

/// `cmd` run with the privileges of `after`: `sudo ...` when that ran through sudo; `None`
/// when it ran as another user in a way a plain command cannot repeat (`su -c`, `gosu`).
fn cleanup_command(after: &Command, cmd: &str) -> Option<String> {
    match after.runs_as() {
        RunsAs::Same => Some(cmd.to_string()),
        RunsAs::Sudo(prefix) => Some(format!("{prefix} {cmd}")),
        RunsAs::Other(_) => None,
    }
}

/// The unsafe alternative: a `--mount=type=cache` over the cache directory, for root's home
/// only (a cache mount is created as root; another user's home is unknown here).
fn mount_fix(ctx: &Ctx, index: usize, m: &Cache) -> Option<Fix> {
    let path = m.mount?;
    let user = ctx.model.contexts[index].user.as_deref();
    if path.starts_with('~') && user.is_some_and(|u| u != "root" && u != "0") {
        return None;
    }
    let target = path.replacen('~', "/root", 1);
    let inst = &ctx.model.instructions[index];
    let flag = format!("--mount=type=cache,target={target},sharing=locked");
    Some(Fix::unsafe_(
        format!("mount a cache at `{target}`"),
        vec![edits::insert_flag(inst, &flag)],
    ))
}
