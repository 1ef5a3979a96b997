//! `expose-with-host-port`: `EXPOSE 127.0.0.1:80:80`; the host address and port are ignored.

use std::net::IpAddr;

use super::{At, Ctx, Report};
use crate::fix::{Edit, Fix};
use crate::syntax::Keyword;

crate::declare_rule! {
    slug: "expose-with-host-port",
    codes: [ExposeInvalidFormat: "IP address and host-port mapping should not be used in EXPOSE instruction"],
    group: Correctness,
    severity: Warning,
    fix: Sometimes,
    since: "0.4.0",
    summary: "`EXPOSE` with a host address or host port, which the build ignores",
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
        let expanded = at.context.scope.expand(&w.value, escape);
        let literal = !w.raw.contains('$')
            && w.raw == w.value
            && ctx.source.text.get(w.range.clone()) == Some(w.raw.as_str());
        let value = expanded.unwrap_or_else(|| w.value.clone());
        for port in value.split_whitespace() {
            let (ip, host, container) = split_parts(port);
            if ip.is_empty() && host.is_empty() {
                continue;
            }
            let what = if ip.is_empty() {
                "a host port"
            } else {
                "a host address"
            };
            let help = if container.is_empty() {
                "`EXPOSE` only says which port the container listens on (`EXPOSE 80`); publish ports with `docker run -p`".to_string()
            } else {
                format!("`EXPOSE` only says which port the container listens on: write `EXPOSE {container}`, and publish it with `docker run -p {port}`")
            };
            let d = out
                .report(
                    w.range.clone(),
                    format!("`EXPOSE {port}` names {what}, which the build ignores"),
                )
                .help(help);
            if literal && builds(ip, host, container) {
                // The image records only the container port either way.
                d.fix(Some(Fix::safe(
                    format!("keep the container port: `{container}`"),
                    vec![Edit::replace(w.range.clone(), container)],
                )));
            }
        }
    }
}

/// `[ip:][host:]container`, split as BuildKit splits it: on `:`, the last two parts being the
/// host and container ports, everything before them the address.
fn split_parts(port: &str) -> (&str, &str, &str) {
    let mut it = port.rmatch_indices(':');
    match (it.next(), it.next()) {
        (None, _) => ("", "", port),
        (Some((c, _)), None) => ("", &port[..c], &port[c + 1..]),
        (Some((c, _)), Some((h, _))) => (&port[..h], &port[h + 1..c], &port[c + 1..]),
    }
}

/// Whether BuildKit accepts the spec (the fix must not turn a failing build into a passing one).
fn builds(ip: &str, host: &str, container: &str) -> bool {
    let (number, proto) = container.split_once('/').unwrap_or((container, "tcp"));
    let proto_ok = ["tcp", "udp", "sctp"]
        .iter()
        .any(|p| p.eq_ignore_ascii_case(proto));
    let ip = ip
        .strip_prefix('[')
        .and_then(|i| i.strip_suffix(']'))
        .unwrap_or(ip);
    let ip_ok = ip.is_empty() || ip.parse::<IpAddr>().is_ok();
    let Some((start, end)) = range(number) else {
        return false;
    };
    let host_ok = host.is_empty()
        || range(host).is_some_and(|(hs, he)| end - start == he - hs || start == end);
    proto_ok && ip_ok && host_ok
}

/// A port or `start-end` range of ports.
fn range(ports: &str) -> Option<(u32, u32)> {
    let number = |s: &str| {
        let ok = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        s.parse::<u32>().ok().filter(|n| ok && *n <= 65535)
    };
    match ports.split_once('-') {
        None => number(ports).map(|p| (p, p)),
        Some((a, b)) if a == b => number(a).map(|p| (p, p)),
        Some((a, b)) => {
            let (a, b) = (number(a)?, number(b)?);
            (b >= a).then_some((a, b))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_validates_like_buildkit() {
        assert_eq!(split_parts("80"), ("", "", "80"));
        assert_eq!(split_parts("8080:80"), ("", "8080", "80"));
        assert_eq!(split_parts("127.0.0.1:80:80"), ("127.0.0.1", "80", "80"));
        assert_eq!(split_parts("[::1]:80:80/udp"), ("[::1]", "80", "80/udp"));
        assert_eq!(split_parts("::1:80:80"), ("::1", "80", "80"));
        assert!(builds("127.0.0.1", "80", "80"));
        assert!(builds("[::1]", "", "80/UDP"));
        assert!(builds("", "8000-8001", "80"));
        assert!(builds("", "8000-8001", "80-81"));
        assert!(!builds("", "8000-8002", "80-81"));
        assert!(!builds("", "80", ""));
        assert!(!builds("", "a", "80"));
        assert!(!builds("1.2.3", "80", "80"));
        assert!(!builds("", "80", "80/http"));
    }
}
