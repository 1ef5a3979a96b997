//! `uppercase-expose-protocol`: `EXPOSE 80/TCP`; protocols are written in lowercase.

use super::{At, Ctx, Report};
use crate::fix::{Edit, Fix};
use crate::syntax::{Keyword, Word};

crate::declare_rule! {
    slug: "uppercase-expose-protocol",
    codes: [ExposeProtoCasing: "protocol in EXPOSE instruction should be lowercase"],
    group: Style,
    severity: Warning,
    fix: Sometimes,
    since: "0.4.0",
    summary: "`EXPOSE` with a protocol not written in lowercase (`80/TCP`)",
    hooks: { instruction: (&[Keyword::Expose], check) },
}

fn check(ctx: &Ctx, at: &At, out: &mut Report) {
    // A trigger is checked where it runs, in the builds of images made from this one.
    if at.onbuild {
        return;
    }
    let escape = ctx.model.escape;
    for w in at.inst.words() {
        // BuildKit expands the word and splits it into ports; an unknown value is read as written.
        let value = at
            .context
            .scope
            .expand(&w.value, escape)
            .unwrap_or_else(|| w.value.clone());
        for port in value.split_whitespace() {
            let Some(proto) = protocol(port) else {
                continue;
            };
            let lower = proto.to_ascii_lowercase();
            if proto == lower {
                continue;
            }
            let fixed = format!("{}{lower}", &port[..port.len() - proto.len()]);
            let d = out
                .report(
                    w.range.clone(),
                    format!("protocol `{proto}` of `EXPOSE {port}` is not lowercase"),
                )
                .help(format!("write `{fixed}`"));
            if let Some(range) = literal_protocol(ctx, w, proto) {
                // BuildKit lowercases the protocol itself: the image is the same.
                d.fix(Some(Fix::safe(
                    format!("lowercase the protocol: `{fixed}`"),
                    vec![Edit::replace(range, lower)],
                )));
            }
        }
    }
}

/// The protocol of a port spec (`[ip:][host:]port[/proto]`), when it is one BuildKit accepts.
fn protocol(port: &str) -> Option<&str> {
    let container = port.rsplit(':').next()?;
    let (number, proto) = container.split_once('/')?;
    let known = ["tcp", "udp", "sctp"]
        .iter()
        .any(|p| p.eq_ignore_ascii_case(proto));
    (!number.is_empty() && known).then_some(proto)
}

/// Where `proto` is written in the source at the end of the word (before a closing quote).
fn literal_protocol(ctx: &Ctx, w: &Word, proto: &str) -> Option<std::ops::Range<usize>> {
    if w.raw.contains('$') || ctx.source.text.get(w.range.clone())? != w.raw {
        return None;
    }
    let body = w.raw.trim_end_matches(['"', '\'']);
    let start = body.len().checked_sub(proto.len())?;
    (body.get(start..)? == proto && body[..start].ends_with('/'))
        .then(|| w.range.start + start..w.range.start + body.len())
}
