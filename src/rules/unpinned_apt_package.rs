//! `unpinned-apt-package`: `apt-get install` of a package without a version.

use super::{At, Ctx, Report};
use crate::shell::packages::Source;
use crate::shell::Command;

crate::declare_rule! {
    slug: "unpinned-apt-package",
    codes: [DL3008: "pin versions in apt get install. Instead of `apt-get install <package>` use `apt-get install <package>=<version>`"],
    group: Pedantic,
    severity: Warning,
    fix: None,
    since: "0.5.0",
    summary: "`apt-get install` names a package without a version (`pkg=<version>`)",
    hooks: { command: (&["apt-get", "apt"], check) },
}

fn check(ctx: &Ctx, at: &At, cmd: &Command, out: &mut Report) {
    let Some(a) = ctx.scripts.get(at.index).and_then(|s| s.apt_install_of(cmd)) else {
        return;
    };
    // A file (`./x.deb`) is its own version; `pkg/bookworm-backports` pins a release; a package
    // named by a variable may carry its version; a pattern (`python3-*`) or a template's
    // placeholder (`{{ pkgs }}`) is no package name.
    let unpinned: Vec<&str> = a
        .packages
        .iter()
        .filter(|p| p.source == Source::Registry && p.version.is_none())
        .filter_map(|p| p.name.as_deref())
        .filter(|n| is_package_name(n))
        .collect();
    let Some(first) = unpinned.first() else {
        return;
    };
    let names = match unpinned.len() {
        1 => format!("`{first}`"),
        n => format!("`{first}` and {} more", n - 1),
    };
    out.report(
        cmd.range.clone(),
        format!("`{} install` of {names} without a version", a.program),
    )
    .help(format!(
        "pin each package (`{first}=<version>`, as `apt-cache policy {first}` shows); pins fail once the archive drops that version"
    ));
}

/// A Debian package name (`libc6`, `g++-12`, `python3.11`), with an optional architecture
/// (`libc6:amd64`).
fn is_package_name(n: &str) -> bool {
    let name = n.split_once(':').map_or(n, |(name, _)| name);
    name.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '+' | '-' | '.'))
}
