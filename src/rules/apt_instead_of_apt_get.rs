//! `apt-instead-of-apt-get`: `apt`, the interactive front end, used in a build script.

use super::{At, Ctx, Report};
use crate::fix::{Edit, Fix};
use crate::shell::{Command, ShellWord, Span};

crate::declare_rule! {
    slug: "apt-instead-of-apt-get",
    codes: [DL3027: "do not use apt as it is meant to be an end-user tool, use apt-get or apt-cache instead"],
    group: Suspicious,
    severity: Warning,
    fix: Sometimes,
    since: "0.5.0",
    summary: "`apt` is an interactive tool without a stable command line; scripts use `apt-get` and `apt-cache`",
    hooks: { command: (&["apt"], check) },
}

/// What an `apt` subcommand is in the script tools, and whether the switch changes nothing.
/// `None`: no script tool does the same (`apt list`, `apt edit-sources`).
fn replacement(sub: &str) -> Option<(&'static str, bool)> {
    Some(match sub {
        // The same command; `apt` only adds a progress bar and colours.
        "update" | "remove" | "purge" | "autoremove" | "clean" | "autoclean" | "source"
        | "build-dep" | "download" | "changelog" | "check" | "satisfy" => ("apt-get", true),
        // `apt` deletes the `.deb` files it downloaded (`Keep-Downloaded-Packages`); `apt-get`
        // keeps them in `/var/cache/apt/archives` unless the image's configuration removes them.
        "install" | "reinstall" => ("apt-get", false),
        // `apt upgrade` also installs new dependencies, `apt-get upgrade` holds those packages
        // back; `apt full-upgrade` is `apt-get dist-upgrade`.
        "upgrade" | "full-upgrade" | "dist-upgrade" => ("apt-get", false),
        "search" | "show" | "showsrc" | "policy" | "depends" | "rdepends" => ("apt-cache", true),
        _ => return None,
    })
}

fn check(ctx: &Ctx, at: &At, cmd: &Command, out: &mut Report) {
    let Some(a) = ctx.scripts.get(at.index).and_then(|s| s.action_of(cmd)) else {
        return;
    };
    if a.program != "apt" {
        return;
    }
    let sub = a.sub();
    let Some(((tool, same), sub)) = sub.and_then(|s| Some((replacement(s)?, s))) else {
        out.report(
            cmd.range.clone(),
            "`apt` is meant for interactive use, not for build scripts",
        )
        .help("`apt` warns that its command line is not stable: use `apt-get` or `apt-cache`, or `dpkg-query` to list packages");
        return;
    };
    // `full-upgrade` is `dist-upgrade` for `apt-get`.
    let new_sub = if sub == "full-upgrade" { "dist-upgrade" } else { sub };
    let mut edits = Vec::new();
    if let Some(e) = cmd.argv().first().and_then(|w| rename(w, tool)) {
        edits.push(e);
        if new_sub != sub {
            match a.subcommand.as_ref().and_then(|w| rename(w, new_sub)) {
                Some(e) => edits.push(e),
                None => edits.clear(),
            }
        }
    }
    let title = format!("use `{tool} {new_sub}`");
    let fix = (!edits.is_empty()).then(|| {
        if same {
            Fix::safe(title, edits)
        } else {
            Fix::unsafe_(title, edits)
        }
    });
    let f = out
        .report(
            cmd.range.clone(),
            format!("`apt {sub}` in a build script: use `{tool} {new_sub}`"),
        )
        .help(format!(
            "`{tool}` has a command line and output that are stable for scripts"
        ))
        .fix(fix);
    if !same {
        f.unsafe_because(match sub {
            "upgrade" => "`apt-get upgrade` holds back upgrades that need new packages, where `apt upgrade` installs them, and `apt-get` keeps the downloaded `.deb` files that `apt` deletes",
            _ => "`apt-get` keeps the downloaded `.deb` files in `/var/cache/apt/archives`, where `apt` deletes them",
        });
    }
}

/// The edit that renames the word `w` (`apt`, `/usr/bin/apt`, `"apt"` in exec form) to `to`,
/// keeping its directory; `None` where the word's text is not exactly its range.
fn rename(w: &ShellWord, to: &str) -> Option<Edit> {
    let value = w.value.as_deref()?;
    let dir = value.rsplit_once('/').map_or("", |(d, _)| d);
    let new = if dir.is_empty() && !value.starts_with('/') {
        to.to_string()
    } else {
        format!("{dir}/{to}")
    };
    match w.span {
        Span::Exact if w.raw == value => Some(Edit::replace(w.range.clone(), new)),
        Span::Json => Some(Edit::replace(
            w.range.clone(),
            serde_json::to_string(&new).ok()?,
        )),
        _ => None,
    }
}
