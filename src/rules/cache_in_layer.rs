//! `cache-in-layer`: a package manager's cache left in a layer of the shipped image.
//!
//! Package managers are data (`MANAGERS`): what leaves a cache, where it lives, what removes
//! it, and what later reads it. A cache is not reported when a `--mount=type=cache` (or tmpfs)
//! covers it, when the same RUN removes it, or when the stage does not end up in the final
//! image. A cache that a later RUN of the stage, or of a stage built on it, still reads (apt
//! lists for an `apt-get install` that does not update again) is never removed where it is
//! made: the finding moves to the last RUN that reads it, or stays without a fix.

use super::{Ctx, Report};
use crate::fix::{edits, Fix};
use crate::model::{clean_path, mounts, Base, Dockerfile, Scope, Target};
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

/// How one package manager leaves a cache behind.
struct Manager {
    /// Program names (basename of argv[0]).
    programs: &'static [&'static str],
    /// The code a finding carries, by program (`*`: every program of the manager).
    codes: &'static [(&'static str, &'static str)],
    /// Subcommands that fill the cache (`""` = no subcommand, e.g. bare `yarn`).
    fills: &'static [&'static str],
    /// Options that keep the command from caching (`--no-cache`).
    no_cache_options: &'static [&'static str],
    /// The shortest abbreviation of a `no_cache_options` entry the program accepts (pip takes
    /// `--no-cache` for `--no-cache-dir`, as Python's option parsers accept unique prefixes).
    abbreviation: Option<&'static str>,
    /// Environment variables that turn the cache off when set to a non-empty value.
    no_cache_env: &'static [&'static str],
    /// Where the cache lives; `~/` is any home directory.
    paths: &'static [&'static str],
    /// Options that move the cache for one command (`npm ci --cache /tmp/npm`).
    dir_options: &'static [&'static str],
    /// Variables naming the cache (or the home holding it): `rm -rf "$VAR"` clears it.
    cache_env: &'static [&'static str],
    /// `program subcommand [arg]` invocations that clear the cache.
    cleaners: &'static [&'static [&'static str]],
    /// Programs (`program` or `program subcommand`) that read the cache later and fail or
    /// change without it; `reads_unless` options make them fetch for themselves.
    readers: &'static [&'static str],
    reads_unless: &'static [&'static str],
    /// Options that make a command read the cache (`npm ci --offline`).
    reads_with: &'static [&'static str],
    /// What is left, for the message, on Linux and on Windows (`None`: no such cache there).
    what: &'static str,
    what_windows: Option<&'static str>,
    /// How to avoid it, for the help.
    help: &'static str,
    /// Only report when a command in the same RUN also matches this (e.g. removing docker-clean).
    requires: Option<fn(&Command) -> bool>,
    /// The safe fix.
    fix: CacheFix,
    /// Where the unsafe alternative mounts a cache (`~` as root's home).
    mount: Option<&'static str>,
}

/// How the safe fix removes the cache.
#[derive(Clone, Copy)]
enum CacheFix {
    /// Append a cleanup command to the RUN (`{prog}` is the program that filled the cache).
    Append(&'static str),
    /// Add an option after the subcommand of every filling command; `Append` when a filling
    /// subcommand does not take it (`apk update`).
    Option {
        option: &'static str,
        takes_it: &'static [&'static str],
        otherwise: &'static str,
    },
    None,
}

const APT: &[&str] = &["apt-get", "apt", "aptitude"];

const MANAGERS: &[Manager] = &[
    Manager {
        programs: APT,
        codes: &[("*", "DL3009")],
        fills: &["update"],
        no_cache_options: &[],
        abbreviation: None,
        no_cache_env: &[],
        paths: &["/var/lib/apt/lists"],
        dir_options: &[],
        cache_env: &[],
        // apt 2.7+ (Debian trixie, Ubuntu 24.04): `dist-clean` also removes the lists.
        cleaners: &[
            &["apt-get", "dist-clean"],
            &["apt", "dist-clean"],
            &["apt-get", "distclean"],
            &["apt", "distclean"],
        ],
        // What needs the lists: installing, upgrading, fetching sources, querying packages.
        readers: &[
            "apt-get install", "apt-get upgrade", "apt-get dist-upgrade", "apt-get full-upgrade",
            "apt-get build-dep", "apt-get source", "apt-get download", "apt-get reinstall",
            "apt-get satisfy", "apt install", "apt upgrade", "apt full-upgrade", "apt reinstall",
            "apt satisfy", "apt show", "apt search", "apt list", "apt policy", "apt source",
            "apt download", "aptitude install", "aptitude safe-upgrade", "aptitude full-upgrade",
            "apt-cache", "apt-file", "install_packages",
        ],
        reads_unless: &[],
        reads_with: &[],
        what: "package lists in `/var/lib/apt/lists`",
        what_windows: None,
        help: "end the same RUN with `&& rm -rf /var/lib/apt/lists/*`, or mount a cache: `RUN --mount=type=cache,target=/var/lib/apt/lists,sharing=locked`",
        requires: None,
        fix: CacheFix::Append("rm -rf /var/lib/apt/lists/*"),
        mount: Some("/var/lib/apt/lists"),
    },
    Manager {
        programs: APT,
        codes: &[],
        fills: &["install", "upgrade", "dist-upgrade", "full-upgrade"],
        no_cache_options: &[],
        abbreviation: None,
        no_cache_env: &[],
        paths: &["/var/cache/apt"],
        dir_options: &[],
        cache_env: &[],
        cleaners: &[&["apt-get", "clean"], &["apt", "clean"], &["apt-get", "autoclean"]],
        // `apt-get install --no-download` installs only what is in the archive cache.
        readers: &[],
        reads_unless: &[],
        reads_with: &["--no-download"],
        what: "downloaded `.deb` archives in `/var/cache/apt` (the `docker-clean` hook is removed)",
        what_windows: None,
        help: "run `apt-get clean` in the same RUN, or mount a cache: `--mount=type=cache,target=/var/cache/apt,sharing=locked`",
        requires: Some(removes_docker_clean),
        fix: CacheFix::Append("apt-get clean"),
        mount: Some("/var/cache/apt"),
    },
    Manager {
        programs: &["apk"],
        codes: &[("*", "DL3019")],
        fills: &["add", "update", "upgrade"],
        no_cache_options: &["--no-cache", "--no-network"],
        abbreviation: None,
        no_cache_env: &[],
        paths: &["/var/cache/apk", "/etc/apk/cache"],
        dir_options: &["--cache-dir"],
        cache_env: &[],
        cleaners: &[&["apk", "cache", "clean"], &["apk", "cache", "purge"]],
        // `apk add` fetches a missing index itself; only `--no-network` needs the cache.
        readers: &[],
        reads_unless: &[],
        reads_with: &["--no-network"],
        what: "the package index and packages in `/var/cache/apk`",
        what_windows: None,
        help: "use `apk add --no-cache`",
        requires: None,
        fix: CacheFix::Option { option: "--no-cache", takes_it: &["add", "upgrade"], otherwise: "rm -rf /var/cache/apk/*" },
        mount: Some("/var/cache/apk"),
    },
    Manager {
        programs: &["pip", "pip3", "pip2"],
        codes: &[("*", "DL3042")],
        fills: &["install", "wheel", "download"],
        no_cache_options: &["--no-cache-dir"],
        abbreviation: Some("--no-ca"),
        no_cache_env: &["PIP_NO_CACHE_DIR"],
        paths: &["~/.cache/pip"],
        dir_options: &["--cache-dir"],
        cache_env: &["PIP_CACHE_DIR", "XDG_CACHE_HOME"],
        cleaners: &[&["pip", "cache", "purge"], &["pip3", "cache", "purge"]],
        readers: &[],
        reads_unless: &[],
        reads_with: &[],
        what: "downloaded wheels in pip's cache (`~/.cache/pip`)",
        what_windows: Some("downloaded wheels in pip's cache (`%LOCALAPPDATA%\\pip\\Cache`)"),
        help: "use `pip install --no-cache-dir`, set `ENV PIP_NO_CACHE_DIR=1`, or mount a cache: `--mount=type=cache,target=/root/.cache/pip`",
        requires: None,
        fix: CacheFix::Option { option: "--no-cache-dir", takes_it: &["install", "wheel", "download"], otherwise: "pip cache purge" },
        mount: Some("~/.cache/pip"),
    },
    Manager {
        programs: &["npm"],
        codes: &[],
        fills: &["install", "i", "ci", "add", "update"],
        no_cache_options: &[],
        abbreviation: None,
        no_cache_env: &[],
        paths: &["~/.npm"],
        dir_options: &["--cache"],
        cache_env: &["npm_config_cache", "NPM_CONFIG_CACHE"],
        cleaners: &[&["npm", "cache", "clean"]],
        readers: &[],
        reads_unless: &[],
        reads_with: &["--offline"],
        what: "npm's package cache (`~/.npm`)",
        what_windows: Some("npm's package cache (`%LOCALAPPDATA%\\npm-cache`)"),
        help: "end the same RUN with `&& npm cache clean --force`, or mount a cache: `--mount=type=cache,target=/root/.npm`",
        requires: None,
        fix: CacheFix::Append("npm cache clean --force"),
        mount: Some("~/.npm"),
    },
    Manager {
        programs: &["yarn"],
        codes: &[("*", "DL3060")],
        fills: &["", "install", "add"],
        no_cache_options: &[],
        abbreviation: None,
        no_cache_env: &[],
        paths: &["~/.cache/yarn", "/usr/local/share/.cache/yarn"],
        dir_options: &["--cache-folder"],
        cache_env: &["YARN_CACHE_FOLDER", "XDG_CACHE_HOME"],
        cleaners: &[&["yarn", "cache", "clean"]],
        readers: &[],
        reads_unless: &[],
        reads_with: &["--offline"],
        what: "yarn's package cache",
        what_windows: Some("yarn's package cache (`%LOCALAPPDATA%\\Yarn\\Cache`)"),
        help: "end the same RUN with `&& yarn cache clean`, or mount a cache: `--mount=type=cache,target=/usr/local/share/.cache/yarn`",
        requires: None,
        fix: CacheFix::Append("yarn cache clean"),
        mount: Some("/usr/local/share/.cache/yarn"),
    },
    Manager {
        programs: &["pnpm"],
        codes: &[],
        fills: &["install", "i", "add"],
        no_cache_options: &[],
        abbreviation: None,
        no_cache_env: &[],
        paths: &["~/.local/share/pnpm/store", "~/.pnpm-store", "/pnpm/store"],
        dir_options: &["--store-dir"],
        cache_env: &["PNPM_HOME", "npm_config_store_dir"],
        cleaners: &[&["pnpm", "store", "prune"]],
        readers: &[],
        reads_unless: &[],
        reads_with: &["--offline"],
        what: "pnpm's content-addressable store",
        what_windows: Some("pnpm's content-addressable store"),
        help: "mount the store as a cache (`--mount=type=cache,target=/root/.local/share/pnpm/store`) or end the same RUN with `&& pnpm store prune`",
        requires: None,
        fix: CacheFix::Append("pnpm store prune"),
        mount: Some("~/.local/share/pnpm/store"),
    },
    Manager {
        programs: &["dnf", "yum", "microdnf", "dnf5", "tdnf"],
        codes: &[("yum", "DL3032"), ("dnf", "DL3040"), ("microdnf", "DL3040"), ("dnf5", "DL3040")],
        fills: &["install", "groupinstall", "reinstall", "update", "upgrade", "makecache"],
        no_cache_options: &[],
        abbreviation: None,
        no_cache_env: &[],
        paths: &["/var/cache/dnf", "/var/cache/yum", "/var/cache/libdnf5", "/var/cache/tdnf"],
        dir_options: &[],
        cache_env: &[],
        cleaners: &[
            &["dnf", "clean", "all"],
            &["yum", "clean", "all"],
            &["microdnf", "clean", "all"],
            &["dnf5", "clean", "all"],
            &["tdnf", "clean", "all"],
        ],
        // Metadata is fetched again when missing; `-C`/`--cacheonly` runs from the cache.
        readers: &[],
        reads_unless: &[],
        reads_with: &["-C", "--cacheonly"],
        what: "package metadata and packages in `/var/cache`",
        what_windows: None,
        help: "end the same RUN with `&& dnf clean all` (`yum clean all`, `microdnf clean all`)",
        requires: None,
        fix: CacheFix::Append("{prog} clean all"),
        mount: None,
    },
    Manager {
        programs: &["zypper"],
        codes: &[("*", "DL3036")],
        fills: &["install", "in", "refresh", "ref", "update", "up", "dist-upgrade", "dup", "patch"],
        no_cache_options: &[],
        abbreviation: None,
        no_cache_env: &[],
        paths: &["/var/cache/zypp"],
        dir_options: &[],
        cache_env: &[],
        cleaners: &[&["zypper", "clean"], &["zypper", "cc"]],
        readers: &[],
        reads_unless: &[],
        reads_with: &["--no-refresh"],
        what: "package metadata and packages in `/var/cache/zypp`",
        what_windows: None,
        help: "end the same RUN with `&& zypper clean --all`",
        requires: None,
        fix: CacheFix::Append("zypper clean --all"),
        mount: Some("/var/cache/zypp"),
    },
    Manager {
        programs: &["gem", "bundle", "bundler"],
        codes: &[],
        fills: &["install"],
        no_cache_options: &[],
        abbreviation: None,
        no_cache_env: &[],
        paths: &["/usr/local/bundle/cache", "~/.gem", "/var/lib/gems", "/usr/local/lib/ruby/gems"],
        dir_options: &[],
        cache_env: &["GEM_HOME", "BUNDLE_PATH", "BUNDLE_APP_CONFIG"],
        cleaners: &[],
        readers: &[],
        reads_unless: &[],
        reads_with: &["--local"],
        what: "downloaded `.gem` files in the gem cache",
        what_windows: None,
        help: "remove the gem cache in the same RUN (`&& rm -rf /usr/local/bundle/cache ~/.gem`)",
        requires: None,
        fix: CacheFix::None,
        mount: None,
    },
    Manager {
        programs: &["composer", "composer.phar"],
        codes: &[],
        fills: &["install", "require", "update", "create-project"],
        no_cache_options: &["--no-cache"],
        abbreviation: None,
        no_cache_env: &["COMPOSER_NO_CACHE"],
        paths: &["~/.composer/cache", "~/.cache/composer", "/tmp/cache"],
        dir_options: &[],
        cache_env: &["COMPOSER_HOME", "COMPOSER_CACHE_DIR"],
        cleaners: &[&["composer", "clear-cache"], &["composer", "clearcache"], &["composer", "cc"]],
        readers: &[],
        reads_unless: &[],
        reads_with: &[],
        what: "composer's download cache",
        what_windows: Some("composer's download cache"),
        help: "use `--no-cache`, or end the same RUN with `&& composer clear-cache`",
        requires: None,
        fix: CacheFix::Append("composer clear-cache"),
        mount: Some("~/.composer/cache"),
    },
];

/// The code of a finding about `cmd`, the command that filled the cache.
fn code_of(m: &Manager, cmd: &Command) -> Option<&'static str> {
    let prog = program(cmd).unwrap_or("");
    m.codes
        .iter()
        .find(|(p, _)| *p == "*" || *p == prog)
        .map(|(_, c)| *c)
}

fn removes_docker_clean(c: &Command) -> bool {
    c.name() == Some("rm") && c.args().any(|a| a.ends_with("apt.conf.d/docker-clean"))
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
            for m in MANAGERS {
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
    m: &Manager,
    at: &Place,
    children: &[Vec<usize>],
    out: &mut Report,
) {
    let scope = &ctx.model.contexts[at.index].scope;
    let script = at.script;
    let what = if at.windows {
        let Some(w) = m.what_windows else {
            return;
        };
        w
    } else {
        m.what
    };
    if let Some(req) = m.requires {
        if !script.commands.iter().any(req) {
            return;
        }
    }
    // A cleanup only helps what was filled before it: report the first fill after the last one.
    let last_clean = script.commands.iter().rposition(|c| cleans(m, c, None));
    let fills_after: Vec<&Command> = script
        .commands
        .iter()
        .enumerate()
        .filter(|(i, c)| last_clean.is_none_or(|l| *i > l) && fills(m, c, scope))
        .map(|(_, c)| c)
        .collect();
    let Some(cmd) = fills_after.first() else {
        return;
    };
    // A cache moved with `--cache DIR` is removed by removing DIR.
    if let Some(dir) = moved_cache(m, cmd) {
        let pos = script.commands.iter().position(|c| std::ptr::eq(c, *cmd));
        if script.commands[pos.map_or(0, |p| p + 1)..]
            .iter()
            .any(|c| cleans(m, c, Some(&dir)))
            || at.covered.iter().any(|t| covers(t, &dir))
        {
            return;
        }
    } else if m
        .paths
        .iter()
        .any(|p| at.covered.iter().any(|t| covers(t, p)))
    {
        // The paths are alternatives (per program, per user): a cache mount on one is enough.
        return;
    }
    let filled = shown(cmd);
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
            .help(m.help)
            .fix(fix)
        }
        Verdict::LastReader(r) => {
            let reader = &ctx.model.instructions[r.index];
            let reader_script = ctx.scripts.get(r.index);
            let line = ctx.source.line_col(cmd.range.start).line;
            let fix = match (&m.fix, reader_script) {
                (CacheFix::Append(c), Some(s)) if !at.windows => {
                    let prog = program(r.command(s)).unwrap_or("");
                    cleanup_command(r.command(s), &c.replace("{prog}", prog)).and_then(|c| {
                        edits::append_to_chain(ctx.source, ctx.model, reader, s, &c)
                            .map(|e| Fix::safe(format!("append `{c}` to the RUN"), vec![e]))
                    })
                }
                _ => None,
            };
            let range = reader_script.map_or(reader.range.clone(), |s| r.command(s).range.clone());
            let reader_shown = reader_script.map_or_else(String::new, |s| shown(r.command(s)));
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
                    m.help.to_string(),
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
    if let Some(code) = code_of(m, cmd) {
        d = d.code(code);
    }
    drop(d);
}

/// `apt-get update`, `yum install`, `pip install`, bare `yarn`: the program and the
/// subcommand, never an option.
fn shown(c: &Command) -> String {
    let prog = program(c).unwrap_or("");
    match pip_args(c).find(|a| !a.starts_with('-')) {
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
fn find_readers(ctx: &Ctx, m: &Manager, at: &Place, children: &[Vec<usize>]) -> Readers {
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
fn first_use(ctx: &Ctx, m: &Manager, s: &Script, index: usize) -> Use {
    let scope = &ctx.model.contexts[index].scope;
    for (k, c) in s.commands.iter().enumerate() {
        if reads(m, c) {
            let cleans = s.commands[k + 1..].iter().any(|c| cleans(m, c, None));
            return Use::Reads(k, cleans);
        }
        if cleans(m, c, None) || (fills(m, c, scope) && !m.readers.is_empty()) {
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
fn copied_from(ctx: &Ctx, m: &Manager, at: &Place, children: &[Vec<usize>]) -> Vec<Reader> {
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
            m.paths.iter().any(|c| covers(&p, c) || covers(c, &p))
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

/// Whether a command needs the cache an earlier RUN left.
fn reads(m: &Manager, c: &Command) -> bool {
    let Some(name) = program(c) else {
        return false;
    };
    // Any command that names a file in the cache (`dpkg -i /var/cache/apt/archives/x.deb`,
    // `ls /var/lib/apt/lists`), or copies a directory holding it, except the ones removing it.
    let copies = matches!(name, "cp" | "tar" | "rsync" | "mv" | "zip");
    let names_cache = name != "rm"
        && name != "find"
        && c.args().any(|a| {
            let a = a.replace("${HOME}", "~").replace("$HOME", "~");
            let a = a.trim_end_matches('*').trim_end_matches('/');
            !a.is_empty()
                && m.paths
                    .iter()
                    .any(|p| inside(a, p) || (copies && covers(a, p)))
        });
    if names_cache {
        return true;
    }
    if !m.programs.contains(&name) && !m.readers.iter().any(|r| r.split(' ').next() == Some(name)) {
        return false;
    }
    if m.reads_with.iter().any(|o| c.has_option(o, None)) && m.programs.contains(&name) {
        return true;
    }
    if m.reads_unless.iter().any(|o| c.has_option(o, None)) {
        return false;
    }
    let sub = pip_args(c).find(|a| !a.starts_with('-')).unwrap_or("");
    m.readers.iter().any(|r| match r.split_once(' ') {
        Some((p, s)) => p == name && s == sub,
        None => *r == name,
    })
}

/// The safe fix: an option on every filling command, or a cleanup appended to the RUN, run
/// with the privileges of the command that filled the cache.
fn cleanup_fix(ctx: &Ctx, at: &Place, m: &Manager, fills: &[&Command]) -> Option<Fix> {
    let inst = &ctx.model.instructions[at.index];
    let last = fills.last()?;
    let append = |cmd: &str| {
        let cmd = cleanup_command(last, cmd)?;
        edits::append_to_chain(ctx.source, ctx.model, inst, at.script, &cmd)
            .map(|e| Fix::safe(format!("append `{cmd}` to the RUN"), vec![e]))
    };
    // A cache moved for the command (`npm ci --cache /tmp/npm`) is removed as a directory.
    if let Some(dir) = moved_cache(m, last) {
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
    let prog = fills.first().and_then(|c| program(c)).unwrap_or("");
    match m.fix {
        CacheFix::None => None,
        CacheFix::Append(cmd) => append(&cmd.replace("{prog}", prog)),
        CacheFix::Option { otherwise, .. } => {
            option_fix(m, fills).or_else(|| append(&otherwise.replace("{prog}", prog)))
        }
    }
}

/// The option fix alone (`--no-cache-dir` on every filling command), in shell or JSON form.
fn option_fix(m: &Manager, fills: &[&Command]) -> Option<Fix> {
    let CacheFix::Option {
        option, takes_it, ..
    } = m.fix
    else {
        return None;
    };
    let words: Option<Vec<&ShellWord>> = fills
        .iter()
        .map(|c| {
            subcommand_word(c).filter(|w| takes_it.contains(&w.value.as_deref().unwrap_or("")))
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
fn mount_fix(ctx: &Ctx, index: usize, m: &Manager) -> Option<Fix> {
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

/// The subcommand word (`install` in `pip install`, `python -m pip install`).
fn subcommand_word(c: &Command) -> Option<&ShellWord> {
    let skip = if c.name().is_some_and(|n| n.starts_with("python")) {
        3
    } else {
        1
    };
    c.argv()
        .iter()
        .skip(skip)
        .find(|w| w.value.as_deref().is_some_and(|v| !v.starts_with('-')))
}

fn fills(m: &Manager, c: &Command, scope: &Scope) -> bool {
    let Some(name) = program(c) else {
        return false;
    };
    if !m.programs.contains(&name) {
        return false;
    }
    let sub = pip_args(c).find(|a| !a.starts_with('-')).unwrap_or("");
    if !m.fills.contains(&sub) {
        return false;
    }
    // `yarn --version` is not `yarn` (install).
    if sub.is_empty()
        && c.args()
            .any(|a| matches!(a, "--version" | "-v" | "--help" | "-h"))
    {
        return false;
    }
    if m.no_cache_options.iter().any(|o| c.has_option(o, None)) {
        return false;
    }
    if let Some(short) = m.abbreviation {
        let full = m.no_cache_options.first().copied().unwrap_or("");
        if c.args()
            .any(|a| a.len() >= short.len() && full.starts_with(a.split('=').next().unwrap_or(a)))
        {
            return false;
        }
    }
    let env_off = |name: &str| {
        c.assignments
            .iter()
            .any(|(n, v)| n == name && v.as_deref().is_some_and(|v| !v.is_empty()))
            || matches!(scope.get(name), Some(Some(v)) if !v.is_empty())
            || matches!(scope.get(name), Some(None))
    };
    !m.no_cache_env.iter().any(|e| env_off(e))
}

/// The cache directory a command was told to use (`--cache /tmp/npm`), when given literally.
fn moved_cache(m: &Manager, c: &Command) -> Option<String> {
    m.dir_options
        .iter()
        .find_map(|o| c.option_value(o))
        .map(|d| d.trim_end_matches('/').to_string())
}

/// The program, seeing through `python -m pip`.
fn program(c: &Command) -> Option<&str> {
    let name = c.name()?;
    if name.starts_with("python") && c.args().take(2).collect::<Vec<_>>() == ["-m", "pip"] {
        return Some("pip");
    }
    Some(name)
}

/// Arguments after the program (after `-m pip` for `python -m pip`).
fn pip_args(c: &Command) -> impl Iterator<Item = &str> {
    let skip = if c.name().is_some_and(|n| n.starts_with("python")) {
        2
    } else {
        0
    };
    c.args().skip(skip)
}

/// Whether a command removes the cache (or `dir`, a cache moved for one command).
fn cleans(m: &Manager, c: &Command, dir: Option<&str>) -> bool {
    let Some(name) = program(c) else {
        return false;
    };
    let removes = |w: &ShellWord| {
        if dir.is_none() && removes_cache_var(&w.raw, m.cache_env) {
            return true;
        }
        let raw = w
            .value
            .clone()
            .unwrap_or_else(|| w.raw.replace("${HOME}", "~").replace("$HOME", "~"));
        let path = raw.trim_end_matches('*').trim_end_matches('/');
        !path.is_empty()
            && match dir {
                Some(d) => covers(path, d),
                None => m.paths.iter().any(|p| covers(path, p)),
            }
    };
    match name {
        "rm" => c.argv().iter().skip(1).any(removes),
        // `find /var/lib/apt/lists -type f -delete` (or `-exec rm`).
        "find" => {
            let deletes = c.args().any(|a| a == "-delete")
                || c.args()
                    .collect::<Vec<_>>()
                    .windows(2)
                    .any(|w| w[0] == "-exec" && crate::shell::basename(w[1]) == "rm");
            deletes
                && c.argv()
                    .iter()
                    .skip(1)
                    .take_while(|w| w.value.as_deref().is_some_and(|v| !v.starts_with('-')))
                    .any(removes)
        }
        _ if dir.is_some() => false,
        _ => {
            let args: Vec<&str> = pip_args(c).filter(|a| !a.starts_with('-')).collect();
            m.cleaners.iter().any(|cl| {
                cl[0] == name
                    && cl[1..]
                        .iter()
                        .zip(args.iter().chain(std::iter::repeat(&"")))
                        .all(|(a, b)| a == b)
            })
        }
    }
}

/// `"$VAR"`, `${VAR}` or `$VAR/...` for one of `vars`.
fn removes_cache_var(raw: &str, vars: &[&str]) -> bool {
    let t = raw.trim_matches(['"', '\'']);
    let Some(rest) = t.strip_prefix('$') else {
        return false;
    };
    let name = match rest.strip_prefix('{') {
        Some(r) => r.split('}').next().unwrap_or(""),
        None => rest.split('/').next().unwrap_or(""),
    };
    vars.contains(&name)
}

/// Whether `arg` is the cache `path` or a file in it (`~/` in `path` is any home directory).
fn inside(arg: &str, path: &str) -> bool {
    match path.strip_prefix("~/") {
        Some(rel) => {
            let after_home = arg
                .strip_prefix("~/")
                .or_else(|| arg.strip_prefix("/root/"))
                .or_else(|| {
                    arg.strip_prefix("/home/")
                        .and_then(|r| r.split_once('/').map(|(_, rest)| rest))
                });
            after_home.is_some_and(|r| r == rel || r.starts_with(&format!("{rel}/")))
        }
        None => arg == path || arg.starts_with(&format!("{path}/")),
    }
}

/// Whether `dir` (a mount target or removed path) is `path` or one of its parents.
/// `path` may start with `~/`, standing for any home directory.
fn covers(dir: &str, path: &str) -> bool {
    let dir = dir.trim_end_matches('/');
    if let Some(rel) = path.strip_prefix("~/") {
        if let Some(d) = dir.strip_prefix("~/") {
            return rel == d || rel.starts_with(&format!("{d}/"));
        }
        // `/root/.cache` or `/home/app/.cache` covers `~/.cache/pip`.
        let mut prefix = String::new();
        for part in rel.split('/') {
            if !prefix.is_empty() {
                prefix.push('/');
            }
            prefix.push_str(part);
            if dir.ends_with(&format!("/{prefix}")) {
                return true;
            }
        }
        return false;
    }
    dir.is_empty() || path == dir || path.starts_with(&format!("{dir}/"))
}

#[cfg(test)]
mod tests {
    use super::covers;

    #[test]
    fn coverage_of_cache_paths() {
        assert!(covers("/var/lib/apt/lists", "/var/lib/apt/lists"));
        assert!(covers("/var/lib/apt", "/var/lib/apt/lists"));
        assert!(!covers("/var/lib/ap", "/var/lib/apt/lists"));
        assert!(covers("/root/.cache", "~/.cache/pip"));
        assert!(covers("/home/app/.cache/pip", "~/.cache/pip"));
        assert!(covers("~/.cache", "~/.cache/pip"));
        assert!(!covers("/root/.npm", "~/.cache/pip"));
    }
}
