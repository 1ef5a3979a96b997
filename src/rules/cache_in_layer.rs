//! `cache-in-layer`: a package manager's cache left in a layer of the shipped image.
//!
//! Package managers are data (`MANAGERS`): what leaves a cache, where it lives, what removes
//! it. A cache is not reported when a `--mount=type=cache` (or tmpfs) covers it, when the same
//! RUN removes it, or when the stage does not end up in the final image.

use super::registry::{CacheFixStyle, Ctx, FixAvailability, Group, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::fix::{edits, Fix};
use crate::model::{clean_path, mounts, Scope};
use crate::shell::{Command, Script, ShellWord};

pub const RULE: Rule = Rule {
    slug: "cache-in-layer",
    aliases: &[
        "DL3009", "DL3019", "DL3042", "DL3060", "DL3032", "DL3036", "DL3040",
    ],
    group: Group::Size,
    severity: Severity::Warning,
    fix: FixAvailability::None,
    since: "0.1.0",
    summary: "a package manager leaves its cache in a layer of the final image",
    doc: include_str!("../../lints/cache-in-layer.md"),
    late: false,
    check,
};

/// How one package manager leaves a cache behind.
struct Manager {
    /// Program names (basename of argv[0]).
    programs: &'static [&'static str],
    /// Subcommands that fill the cache (`""` = no subcommand, e.g. bare `yarn`).
    fills: &'static [&'static str],
    /// Options that keep the command from caching (`--no-cache`).
    no_cache_options: &'static [&'static str],
    /// Environment variables that turn the cache off when set to a non-empty value.
    no_cache_env: &'static [&'static str],
    /// Where the cache lives; `~/` is any home directory.
    paths: &'static [&'static str],
    /// Variables naming the cache (or the home holding it): `rm -rf "$VAR"` clears it.
    cache_env: &'static [&'static str],
    /// `program subcommand [arg]` invocations that clear the cache.
    cleaners: &'static [&'static [&'static str]],
    /// What is left, for the message.
    what: &'static str,
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

const MANAGERS: &[Manager] = &[
    Manager {
        programs: &["apt-get", "apt"],
        fills: &["update"],
        no_cache_options: &[],
        no_cache_env: &[],
        paths: &["/var/lib/apt/lists"],
        cache_env: &[],
        // apt 2.7+ (Debian trixie, Ubuntu 24.04): `dist-clean` also removes the lists.
        cleaners: &[
            &["apt-get", "dist-clean"],
            &["apt", "dist-clean"],
            &["apt-get", "distclean"],
            &["apt", "distclean"],
        ],
        what: "package lists in `/var/lib/apt/lists`",
        help: "end the same RUN with `&& rm -rf /var/lib/apt/lists/*`, or mount a cache: `RUN --mount=type=cache,target=/var/lib/apt/lists,sharing=locked`",
        requires: None,
        fix: CacheFix::Append("rm -rf /var/lib/apt/lists/*"),
        mount: Some("/var/lib/apt/lists"),
    },
    Manager {
        programs: &["apt-get", "apt"],
        fills: &["install", "upgrade", "dist-upgrade", "full-upgrade"],
        no_cache_options: &[],
        no_cache_env: &[],
        paths: &["/var/cache/apt"],
        cache_env: &[],
        cleaners: &[&["apt-get", "clean"], &["apt", "clean"], &["apt-get", "autoclean"]],
        what: "downloaded `.deb` archives in `/var/cache/apt` (the `docker-clean` hook is removed)",
        help: "run `apt-get clean` in the same RUN, or mount a cache: `--mount=type=cache,target=/var/cache/apt,sharing=locked`",
        requires: Some(removes_docker_clean),
        fix: CacheFix::Append("apt-get clean"),
        mount: Some("/var/cache/apt"),
    },
    Manager {
        programs: &["apk"],
        fills: &["add", "update", "upgrade"],
        no_cache_options: &["--no-cache", "--no-network"],
        no_cache_env: &[],
        paths: &["/var/cache/apk", "/etc/apk/cache"],
        cache_env: &[],
        cleaners: &[&["apk", "cache", "clean"], &["apk", "cache", "purge"]],
        what: "the package index and packages in `/var/cache/apk`",
        help: "use `apk add --no-cache`",
        requires: None,
        fix: CacheFix::Option { option: "--no-cache", takes_it: &["add", "upgrade"], otherwise: "rm -rf /var/cache/apk/*" },
        mount: Some("/var/cache/apk"),
    },
    Manager {
        programs: &["pip", "pip3", "pip2"],
        fills: &["install", "wheel"],
        no_cache_options: &["--no-cache-dir"],
        no_cache_env: &["PIP_NO_CACHE_DIR"],
        paths: &["~/.cache/pip"],
        cache_env: &["PIP_CACHE_DIR", "XDG_CACHE_HOME"],
        cleaners: &[&["pip", "cache", "purge"], &["pip3", "cache", "purge"]],
        what: "downloaded wheels in pip's cache (`~/.cache/pip`)",
        help: "use `pip install --no-cache-dir`, set `ENV PIP_NO_CACHE_DIR=1`, or mount a cache: `--mount=type=cache,target=/root/.cache/pip`",
        requires: None,
        fix: CacheFix::Option { option: "--no-cache-dir", takes_it: &["install", "wheel"], otherwise: "pip cache purge" },
        mount: Some("~/.cache/pip"),
    },
    Manager {
        programs: &["npm"],
        fills: &["install", "i", "ci", "add", "update"],
        no_cache_options: &[],
        no_cache_env: &[],
        paths: &["~/.npm"],
        cache_env: &["npm_config_cache", "NPM_CONFIG_CACHE"],
        cleaners: &[&["npm", "cache", "clean"]],
        what: "npm's package cache (`~/.npm`)",
        help: "end the same RUN with `&& npm cache clean --force`, or mount a cache: `--mount=type=cache,target=/root/.npm`",
        requires: None,
        fix: CacheFix::Append("npm cache clean --force"),
        mount: Some("~/.npm"),
    },
    Manager {
        programs: &["yarn"],
        fills: &["", "install", "add"],
        no_cache_options: &[],
        no_cache_env: &[],
        paths: &["~/.cache/yarn", "/usr/local/share/.cache/yarn"],
        cache_env: &["YARN_CACHE_FOLDER", "XDG_CACHE_HOME"],
        cleaners: &[&["yarn", "cache", "clean"]],
        what: "yarn's package cache",
        help: "end the same RUN with `&& yarn cache clean`, or mount a cache: `--mount=type=cache,target=/usr/local/share/.cache/yarn`",
        requires: None,
        fix: CacheFix::Append("yarn cache clean"),
        mount: Some("/usr/local/share/.cache/yarn"),
    },
    Manager {
        programs: &["pnpm"],
        fills: &["install", "i", "add"],
        no_cache_options: &[],
        no_cache_env: &[],
        paths: &["~/.local/share/pnpm/store", "~/.pnpm-store", "/pnpm/store"],
        cache_env: &["PNPM_HOME", "npm_config_store_dir"],
        cleaners: &[&["pnpm", "store", "prune"]],
        what: "pnpm's content-addressable store",
        help: "mount the store as a cache (`--mount=type=cache,target=/root/.local/share/pnpm/store`) or end the same RUN with `&& pnpm store prune`",
        requires: None,
        fix: CacheFix::Append("pnpm store prune"),
        mount: Some("~/.local/share/pnpm/store"),
    },
    Manager {
        programs: &["dnf", "yum", "microdnf", "dnf5", "tdnf"],
        fills: &["install", "groupinstall", "reinstall", "update", "upgrade", "makecache"],
        no_cache_options: &[],
        no_cache_env: &[],
        paths: &["/var/cache/dnf", "/var/cache/yum", "/var/cache/libdnf5", "/var/cache/tdnf"],
        cache_env: &[],
        cleaners: &[
            &["dnf", "clean", "all"],
            &["yum", "clean", "all"],
            &["microdnf", "clean", "all"],
            &["dnf5", "clean", "all"],
            &["tdnf", "clean", "all"],
        ],
        what: "package metadata and packages in `/var/cache`",
        help: "end the same RUN with `&& dnf clean all` (`yum clean all`, `microdnf clean all`)",
        requires: None,
        fix: CacheFix::Append("{prog} clean all"),
        mount: None,
    },
    Manager {
        programs: &["zypper"],
        fills: &["install", "in", "refresh", "ref", "update", "up", "dist-upgrade", "dup", "patch"],
        no_cache_options: &[],
        no_cache_env: &[],
        paths: &["/var/cache/zypp"],
        cache_env: &[],
        cleaners: &[&["zypper", "clean"], &["zypper", "cc"]],
        what: "package metadata and packages in `/var/cache/zypp`",
        help: "end the same RUN with `&& zypper clean --all`",
        requires: None,
        fix: CacheFix::Append("zypper clean --all"),
        mount: Some("/var/cache/zypp"),
    },
    Manager {
        programs: &["gem", "bundle", "bundler"],
        fills: &["install"],
        no_cache_options: &[],
        no_cache_env: &[],
        paths: &["/usr/local/bundle/cache", "~/.gem", "/var/lib/gems", "/usr/local/lib/ruby/gems"],
        cache_env: &["GEM_HOME", "BUNDLE_PATH", "BUNDLE_APP_CONFIG"],
        cleaners: &[],
        what: "downloaded `.gem` files in the gem cache",
        help: "remove the gem cache in the same RUN (`&& rm -rf /usr/local/bundle/cache ~/.gem`)",
        requires: None,
        fix: CacheFix::None,
        mount: None,
    },
    Manager {
        programs: &["composer", "composer.phar"],
        fills: &["install", "require", "update", "create-project"],
        no_cache_options: &["--no-cache"],
        no_cache_env: &["COMPOSER_NO_CACHE"],
        paths: &["~/.composer/cache", "~/.cache/composer", "/tmp/cache"],
        cache_env: &["COMPOSER_HOME", "COMPOSER_CACHE_DIR"],
        cleaners: &[&["composer", "clear-cache"], &["composer", "clearcache"], &["composer", "cc"]],
        what: "composer's download cache",
        help: "use `--no-cache`, or end the same RUN with `&& composer clear-cache`",
        requires: None,
        fix: CacheFix::Append("composer clear-cache"),
        mount: Some("~/.composer/cache"),
    },
];

fn removes_docker_clean(c: &Command) -> bool {
    c.name() == Some("rm") && c.args().any(|a| a.ends_with("apt.conf.d/docker-clean"))
}

fn check(ctx: &Ctx, rule: &Rule, out: &mut Vec<Diagnostic>) {
    let model = ctx.model;
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
            let covered: Vec<String> = mounts(inst)
                .into_iter()
                .filter(|m| m.kind == "cache" || m.kind == "tmpfs")
                .filter_map(|m| m.target)
                .map(|t| clean_path(&t))
                .collect();
            check_script(ctx, rule, i, script, &covered, out);
        }
    }
}

fn check_script(
    ctx: &Ctx,
    rule: &Rule,
    index: usize,
    script: &Script,
    covered: &[String],
    out: &mut Vec<Diagnostic>,
) {
    let scope = &ctx.model.contexts[index].scope;
    for m in MANAGERS {
        if let Some(req) = m.requires {
            if !script.commands.iter().any(req) {
                continue;
            }
        }
        // The paths are alternatives (per program, per user): a cache mount on one is enough.
        let kept = m.paths.iter().any(|p| covered.iter().any(|t| covers(t, p)));
        if kept {
            continue;
        }
        // A cleanup only helps what was filled before it: report the first fill after the last one.
        let last_clean = script.commands.iter().rposition(|c| cleans(m, c));
        let fills_after: Vec<&Command> = script
            .commands
            .iter()
            .enumerate()
            .filter(|(i, c)| last_clean.is_none_or(|l| *i > l) && fills(m, c, scope))
            .map(|(_, c)| c)
            .collect();
        let Some(cmd) = fills_after.first() else {
            continue;
        };
        let shown: Vec<&str> = cmd.argv().iter().take(2).map(|w| w.raw.as_str()).collect();
        let fix = match ctx.options.cache_in_layer_fix {
            CacheFixStyle::Cleanup => cleanup_fix(ctx, index, script, m, &fills_after),
            CacheFixStyle::Mount => mount_fix(ctx, index, m),
        };
        out.push(
            rule.diagnostic(
                cmd.range.clone(),
                format!("`{}` leaves {} in the image", shown.join(" "), m.what),
            )
            .help(m.help)
            .fix(fix),
        );
    }
}

/// The safe fix: an option on every filling command, or a cleanup appended to the RUN.
fn cleanup_fix(
    ctx: &Ctx,
    index: usize,
    script: &Script,
    m: &Manager,
    fills: &[&Command],
) -> Option<Fix> {
    let inst = &ctx.model.instructions[index];
    let append = |cmd: &str| {
        edits::append_to_chain(ctx.source, ctx.model, inst, script, cmd)
            .map(|e| Fix::safe(format!("append `{cmd}` to the RUN"), vec![e]))
    };
    let prog = fills.first().and_then(|c| program(c)).unwrap_or("");
    match m.fix {
        CacheFix::None => None,
        CacheFix::Append(cmd) => append(&cmd.replace("{prog}", prog)),
        CacheFix::Option {
            option,
            takes_it,
            otherwise,
        } => {
            let words: Option<Vec<&ShellWord>> = fills
                .iter()
                .map(|c| {
                    subcommand_word(c)
                        .filter(|w| takes_it.contains(&w.value.as_deref().unwrap_or("")))
                })
                .collect();
            match words {
                Some(words) => Some(Fix::safe(
                    format!("add `{option}`"),
                    words
                        .iter()
                        .map(|w| edits::insert_after(w.range.end, option))
                        .collect(),
                )),
                None => append(otherwise),
            }
        }
    }
}

/// The unsafe alternative: a `--mount=type=cache` over the cache directory.
fn mount_fix(ctx: &Ctx, index: usize, m: &Manager) -> Option<Fix> {
    let target = m.mount?.replacen('~', "/root", 1);
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
    let env_off = |name: &str| {
        c.assignments
            .iter()
            .any(|(n, v)| n == name && v.as_deref().is_some_and(|v| !v.is_empty()))
            || matches!(scope.get(name), Some(Some(v)) if !v.is_empty())
            || matches!(scope.get(name), Some(None))
    };
    !m.no_cache_env.iter().any(|e| env_off(e))
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

fn cleans(m: &Manager, c: &Command) -> bool {
    let Some(name) = program(c) else {
        return false;
    };
    if name == "rm" {
        return c.argv().iter().skip(1).any(|w| {
            if removes_cache_var(&w.raw, m.cache_env) {
                return true;
            }
            let raw = w
                .value
                .clone()
                .unwrap_or_else(|| w.raw.replace("${HOME}", "~").replace("$HOME", "~"));
            let path = raw.trim_end_matches('*').trim_end_matches('/');
            !path.is_empty() && m.paths.iter().any(|p| covers(path, p))
        });
    }
    let args: Vec<&str> = pip_args(c).filter(|a| !a.starts_with('-')).collect();
    m.cleaners.iter().any(|cl| {
        cl[0] == name
            && cl[1..]
                .iter()
                .zip(args.iter().chain(std::iter::repeat(&"")))
                .all(|(a, b)| a == b)
    })
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
