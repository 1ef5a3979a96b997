//! `apt-get-with-recommends`: `apt-get install` that also installs the packages it recommends.

use super::{At, Ctx, Report};
use crate::fix::{edits, Fix};
use crate::model::Base;
use crate::shell::packages::Action;
use crate::shell::Command;
use crate::syntax::Keyword;

crate::declare_rule! {
    slug: "apt-get-with-recommends",
    codes: [DL3015: "avoid additional packages by specifying `--no-install-recommends`"],
    group: Size,
    severity: Info,
    fix: Sometimes,
    since: "0.5.0",
    summary: "`apt-get install` without `--no-install-recommends` also installs recommended packages",
    hooks: { command: (&["apt-get", "apt"], check) },
}

fn check(ctx: &Ctx, at: &At, cmd: &Command, out: &mut Report) {
    // Only the image's own layers grow; a builder stage's packages are thrown away.
    if !at.ships {
        return;
    }
    let Some(a) = ctx.scripts.get(at.index).and_then(|s| s.apt_install_of(cmd)) else {
        return;
    };
    if recommends_decided(a) || configured_earlier(ctx, at) {
        return;
    }
    let Some(sub) = a.subcommand.as_ref() else {
        return;
    };
    let fix = edits::insert_arg_after(sub, "--no-install-recommends").map(|e| {
        Fix::unsafe_("add `--no-install-recommends`", vec![e])
    });
    out.report(
        cmd.range.clone(),
        format!(
            "`{} install` without `--no-install-recommends` also installs the packages the named ones recommend",
            a.program
        ),
    )
    .help("add `--no-install-recommends` and name the recommended packages the image needs")
    .fix(fix)
    .unsafe_because(
        "packages that were installed only as recommendations are no longer installed, and a later command may need them",
    );
}

/// Whether the command says what to do with recommendations: `--no-install-recommends`,
/// `--install-recommends` (asked for on purpose) or `-o APT::Install-Recommends=...`.
fn recommends_decided(a: &Action) -> bool {
    if a.has_any_option(&["--no-install-recommends", "--install-recommends"]) {
        return true;
    }
    a.options.iter().any(|o| {
        matches!(o.name.as_str(), "-o" | "--option")
            && o.value.as_deref().is_some_and(|v| {
                v.split_once('=')
                    .is_some_and(|(k, _)| k.trim().eq_ignore_ascii_case("APT::Install-Recommends"))
            })
    })
}

/// Whether an earlier RUN of the stage, or of a stage it is built on, writes
/// `APT::Install-Recommends` into apt's configuration (`echo 'APT::Install-Recommends "0";' >
/// /etc/apt/apt.conf.d/...`).
fn configured_earlier(ctx: &Ctx, at: &At) -> bool {
    let model = ctx.model;
    let mut stage = at.stage;
    let mut end = at.index;
    // Each step goes to an earlier stage, so the walk ends; bound it anyway.
    for _ in 0..=model.stages.len() {
        let Some(s) = stage else {
            return false;
        };
        let runs = model
            .instructions
            .get(s.body.start..end.min(s.body.end))
            .unwrap_or_default();
        if runs.iter().any(|i| writes_setting(ctx, i)) {
            return true;
        }
        let Base::Stage(parent) = s.base else {
            return false;
        };
        if parent >= s.index {
            return false;
        }
        stage = model.stages.get(parent);
        end = usize::MAX;
    }
    false
}

/// Whether a RUN writes `APT::Install-Recommends "0"` (or `false`, `no`, `off`) into a file of
/// `/etc/apt/apt.conf.d` or `/etc/apt/apt.conf`.
fn writes_setting(ctx: &Ctx, inst: &crate::syntax::Instruction) -> bool {
    if inst.keyword != Keyword::Run {
        return false;
    }
    let Some(text) = ctx.source.text.get(inst.range.clone()) else {
        return false;
    };
    if !text.contains("apt.conf") {
        return false;
    }
    let lower = text.to_ascii_lowercase();
    lower.match_indices("apt::install-recommends").any(|(k, key)| {
        let value: String = lower[k + key.len()..]
            .trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '=' | '\\'))
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        matches!(value.as_str(), "0" | "false" | "no" | "off")
    })
}
