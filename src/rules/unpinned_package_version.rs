//! `unpinned-package-version`: a package installed by name alone, with apk, pip, npm, dnf, yum,
//! zypper, gem or `go install`, so each build installs whatever version is newest that day.
//!
//! What a command installs is the shell layer's reading ([`crate::shell::packages`]); this rule
//! judges, per manager, what counts as a pin (any version constraint, as hadolint does) and which
//! words are no registry package at all (paths, archives, URLs with a ref, requirement files).
//! apt's pins are another rule's (hadolint's DL3008).

use super::{At, Ctx, Report};
use crate::shell::packages::{Action, Kind, Manager, Package, Source};
use crate::syntax::Keyword;

crate::declare_rule! {
    slug: "unpinned-package-version",
    codes: [
        DL3018: "pin versions in `apk add`: `apk add <package>=<version>`",
        DL3013: "pin versions in pip: `pip install <package>==<version>` or `pip install -r <requirements file>`",
        DL3016: "pin versions in npm: `npm install <package>@<version>`",
        DL3041: "specify a version with `dnf install -y <package>-<version>`",
        DL3033: "specify a version with `yum install -y <package>-<version>`",
        DL3037: "specify a version with `zypper install -y <package>=<version>`",
        DL3028: "pin versions in gem install: `gem install <gem>:<version>`",
        DL3062: "pin versions in go: `go install <package>@<version>`",
    ],
    group: Pedantic,
    severity: Warning,
    fix: None,
    since: "0.5.0",
    summary: "a package installed without a version, so every build may install a different one",
    hooks: { instruction: (&[Keyword::Run], check) },
}

fn check(ctx: &Ctx, at: &At, out: &mut Report) {
    let Some(script) = ctx.scripts.get(at.index) else {
        return;
    };
    for action in script.actions().iter().flatten() {
        let Some((code, how)) = pinning(action) else {
            continue;
        };
        for p in &action.packages {
            if !unpinned(action, p) {
                continue;
            }
            let name = p.name.as_deref().unwrap_or(&p.word.raw);
            let prog = &action.program;
            let sub = action.sub().unwrap_or("install");
            out.report(
                p.range().clone(),
                format!("`{prog} {sub}` installs `{name}` without a pinned version"),
            )
            .help(help(action, p, name, how))
            .code(code);
        }
    }
}

/// The code of an install that this rule checks, and how a pin is written (`{}`: the name).
fn pinning(a: &Action) -> Option<(&'static str, &'static str)> {
    if a.kind != Kind::Install {
        return None;
    }
    let sub = a.sub()?;
    let found = match (a.manager, sub) {
        (Manager::Apk, "add") => ("DL3018", "apk add {}=<version>"),
        (Manager::Pip, "install") => ("DL3013", "pip install {}==<version>"),
        (Manager::Npm, "install" | "i" | "add" | "isntall" | "in") => {
            ("DL3016", "npm install {}@<version>")
        }
        (Manager::Dnf, "install" | "in") if a.program == "yum" => {
            ("DL3033", "yum install -y {}-<version>")
        }
        (Manager::Dnf, "install" | "in") => ("DL3041", "dnf install -y {}-<version>"),
        (Manager::Zypper, "install" | "in") => ("DL3037", "zypper install -y {}=<version>"),
        (Manager::Gem, "install") => ("DL3028", "gem install {}:<version>"),
        (Manager::Go, "install") => ("DL3062", "go install {}@<version>"),
        (Manager::Go, "get") => ("DL3062", "go get {}@<version>"),
        _ => return None,
    };
    // Requirement and constraint files pin what they list (hadolint trusts them too).
    if a.manager == Manager::Pip
        && a.has_any_option(&["-r", "--requirement", "-c", "--constraint"])
    {
        return None;
    }
    // `gem install rails -v 7.0` pins its gem; with several gems gem refuses `-v` altogether.
    if a.manager == Manager::Gem && a.has_any_option(&["-v", "--version"]) {
        return None;
    }
    Some(found)
}

/// How to pin the package: a version, or for a VCS URL a tag or commit.
fn help(a: &Action, p: &Package, name: &str, how: &str) -> String {
    match (p.source, a.manager) {
        (Source::Url, Manager::Npm) => format!("name a tag or commit: `{name}#<ref>`"),
        (Source::Url, _) => format!("name a tag or commit: `{name}@<ref>`"),
        (_, Manager::Go) if p.version.is_some() => format!(
            "`@{}` resolves to whatever is newest: pin a version, `{}`",
            p.version.as_deref().unwrap_or(""),
            how.replace("{}", name)
        ),
        // `curl@edge` names a repository tag, not a version.
        (_, Manager::Apk) => format!(
            "pin it: `{}`",
            how.replace("{}", name.split('@').next().unwrap_or(name))
        ),
        _ => format!("pin it: `{}`", how.replace("{}", name)),
    }
}

/// Whether a package the command names is taken from the registry at no version.
fn unpinned(a: &Action, p: &Package) -> bool {
    match p.source {
        // A variable may hold a pinned list (`$PACKAGES` = `curl=8.5.0-r0 ...`): not guessed.
        Source::Unknown | Source::Path => false,
        // A VCS URL without a ref follows its default branch.
        Source::Url => vcs_without_ref(a.manager, p.word.value.as_deref().unwrap_or("")),
        Source::Registry => {
            let Some(name) = p.name.as_deref() else {
                return false;
            };
            match a.manager {
                Manager::Dnf => !rpm_versioned(name),
                // `@latest` and branch queries resolve to whatever is newest.
                Manager::Go => p.version.as_deref().is_none_or(|v| {
                    matches!(v, "latest" | "upgrade" | "patch" | "master" | "main" | "HEAD")
                }),
                _ => p.version.is_none(),
            }
        }
    }
}

/// dnf and yum take `name-version[-release]`: a `-` followed by a digit, or a constraint
/// (`'pkg >= 1'`); `@group`s and `@module:stream`s are not packages.
fn rpm_versioned(name: &str) -> bool {
    let bytes = name.as_bytes();
    name.starts_with('@')
        || name.contains(['=', '<', '>'])
        || bytes
            .windows(2)
            .any(|w| w[0] == b'-' && w[1].is_ascii_digit())
}

/// `git+https://host/repo` (pip) or `github:user/repo`, `user/repo` (npm) without `@ref` or
/// `#ref`.
fn vcs_without_ref(m: Manager, url: &str) -> bool {
    match m {
        Manager::Pip => {
            let vcs = ["git+", "hg+", "svn+", "bzr+"].iter().any(|p| url.starts_with(p));
            let path = url.split_once("://").map_or(url, |(_, r)| r);
            let path = path.split('#').next().unwrap_or(path);
            vcs && !path.split_once('/').is_some_and(|(_, p)| p.contains('@'))
        }
        Manager::Npm => {
            let archive = [".tgz", ".tar.gz", ".tar"].iter().any(|e| url.ends_with(e));
            let hosted = url.starts_with("git")
                || url.starts_with("github:")
                || url.starts_with("gitlab:")
                || url.starts_with("bitbucket:")
                || !url.contains(':');
            hosted && !archive && !url.contains('#')
        }
        _ => false,
    }
}
