//! `invalid-from-default`: with the global ARGs at their defaults, a `FROM` names no valid
//! image (`ARG TAG` without a default, then `FROM alpine:${TAG}`).

use std::collections::{HashMap, HashSet};

use super::{Ctx, Report};
use crate::model::expand::{self, Mode};
use crate::syntax::Args;

crate::declare_rule! {
    slug: "invalid-from-default",
    codes: [InvalidDefaultArgInFrom: "default value for global ARG results in an empty or invalid base image name"],
    group: Correctness,
    severity: Warning,
    fix: None,
    since: "0.4.0",
    summary: "with the global ARGs at their defaults, `FROM` names an empty or invalid image",
    hooks: { file: check },
}

/// The values BuildKit gives its platform ARGs when the check runs on an x86-64 or arm64
/// machine (the variant is empty there).
const AUTOMATIC: &[(&str, &str)] = &[
    ("BUILDARCH", "amd64"),
    ("BUILDOS", "linux"),
    ("BUILDPLATFORM", "linux/amd64"),
    ("BUILDVARIANT", ""),
    ("TARGETARCH", "amd64"),
    ("TARGETOS", "linux"),
    ("TARGETPLATFORM", "linux/amd64"),
    ("TARGETVARIANT", ""),
];

fn check(ctx: &Ctx, out: &mut Report) {
    let model = ctx.model;
    let escape = model.escape;
    // The global ARGs' defaults, in order: a default may use the ARGs before it.
    let mut values: HashMap<&str, Option<String>> = HashMap::new();
    // Defaults whose value is not known here (an expansion this rule does not compute).
    let mut unknown: HashSet<&str> = HashSet::new();
    let value_of = |values: &HashMap<&str, Option<String>>, n: &str| -> Option<String> {
        AUTOMATIC
            .iter()
            .find(|(a, _)| *a == n)
            .map(|(_, v)| v.to_string())
            .or_else(|| values.get(n).cloned().flatten())
    };
    for &i in &model.global_args {
        let Args::Pairs(pairs) = &model.instructions[i].args else {
            continue;
        };
        for p in pairs {
            let Some(range) = &p.value_range else {
                values.entry(&p.key).or_insert(None);
                continue;
            };
            let (text, _) = expand::source_text(&ctx.source.text, range.clone(), escape);
            let e = expand::expand(&text, escape, Mode::Word, &|n| value_of(&values, n));
            match e {
                Ok(e) if e.exact && !e.refs.iter().any(|r| unknown.contains(r.name.as_str())) => {
                    unknown.remove(p.key.as_str());
                    values.insert(&p.key, Some(e.value));
                }
                _ => {
                    unknown.insert(&p.key);
                }
            }
        }
    }
    for stage in &model.stages {
        let from = &model.instructions[stage.from];
        let Some(word) = from.words().first() else {
            continue;
        };        // A `FROM` BuildKit cannot parse is a syntax error, not this rule's finding.
        if !well_formed(from) {
            continue;
        }

        let Ok(e) = expand::expand(&word.raw, escape, Mode::Word, &|n| value_of(&values, n))
        else {
            continue;
        };
        if !e.exact || e.refs.iter().any(|r| unknown.contains(r.name.as_str())) {
            continue;
        }
        let reason = if e.value.is_empty() {
            "the image name is empty".to_string()
        } else {
            match invalid_reference(&e.value) {
                Some(why) => format!("`{}` is not a valid image reference: {why}", e.value),
                None => continue,
            }
        };
        let d = if e.refs.is_empty() {
            out.report(word.range.clone(), reason)
        } else {
            out.report(
                word.range.clone(),
                format!("with the global ARGs at their defaults, {reason}"),
            )
        };
        // The ARGs that are empty by default are the likely cause.
        let mut empty: Vec<&str> = e
            .refs
            .iter()
            .map(|r| r.name.as_str())
            .filter(|n| value_of(&values, n).is_none_or(|v| v.is_empty()))
            .collect();
        empty.dedup();
        match empty.first() {
            Some(n) if n.ends_with("VARIANT") && AUTOMATIC.iter().any(|(a, _)| a == n) => {
                d.help(format!(
                    "`{n}` is empty unless the platform has a variant (`linux/arm/v7`): write `${{{n}:-<default>}}`"
                ));
            }
            Some(n) if !AUTOMATIC.iter().any(|(a, _)| a == n) => {
                d.help(format!(
                    "give `ARG {n}` a default value, or write `${{{n}:-<default>}}`: a build without `--build-arg {n}=...` fails"
                ));
            }
            _ => drop(d),
        }
    }
}

/// Why `text` is not an image reference BuildKit accepts (the distribution reference grammar:
/// `[host[:port]/]path[:tag][@digest]`, lowercase paths); `None` when it is one.
pub fn invalid_reference(text: &str) -> Option<&'static str> {
    let (rest, digest) = match text.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (text, None),
    };
    if let Some(d) = digest {
        if !valid_digest(d) {
            return Some("the digest is not a sha256, sha384 or sha512 digest in lowercase hex");
        }
    }
    let slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match rest[slash..].rfind(':') {
        Some(i) => (&rest[..slash + i], Some(&rest[slash + i + 1..])),
        None => (rest, None),
    };
    match tag {
        Some("") => return Some("the tag is empty"),
        Some(t) if !valid_tag(t) => {
            return Some("a tag has up to 128 letters, digits, `_`, `.` and `-`, and does not start with `.` or `-`")
        }
        _ => {}
    }
    if name.is_empty() {
        return Some("the image name is empty");
    }
    if name.len() > 255 {
        return Some("the name is longer than 255 characters");
    }
    let (domain, path) = match name.split_once('/') {
        Some((first, rest))
            if first.contains(['.', ':'])
                || first == "localhost"
                || first.chars().any(|c| c.is_ascii_uppercase()) =>
        {
            (Some(first), rest)
        }
        _ => (None, name),
    };
    if domain.is_some_and(|d| !valid_domain(d)) {
        return Some("the registry host is not valid");
    }
    if path.chars().any(|c| c.is_ascii_uppercase()) {
        return Some("repository names must be lowercase");
    }
    if !path.split('/').all(valid_component) {
        return Some("a name component is lowercase letters and digits, separated by `.`, `_`, `__` or dashes");
    }
    None
}

fn valid_tag(t: &str) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    t.len() <= 128
        && t.chars().next().is_some_and(word)
        && t.chars().all(|c| word(c) || c == '.' || c == '-')
}

fn valid_digest(d: &str) -> bool {
    let Some((algo, hex)) = d.split_once(':') else {
        return false;
    };
    let len = match algo {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        _ => return false,
    };
    hex.len() == len && hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// `host[:port]`: dot-separated labels of letters, digits and inner dashes, or `[IPv6]`.
fn valid_domain(d: &str) -> bool {
    let (host, port) = if let Some(v6) = d.strip_prefix('[') {
        match v6.split_once(']') {
            Some((addr, rest)) => {
                if addr.is_empty() || !addr.chars().all(|c| c.is_ascii_hexdigit() || c == ':') {
                    return false;
                }
                match rest {
                    "" => return true,
                    r => match r.strip_prefix(':') {
                        Some(p) => return !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()),
                        None => return false,
                    },
                }
            }
            None => return false,
        }
    } else {
        match d.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (d, None),
        }
    };
    let label = |l: &str| {
        !l.is_empty()
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    host.split('.').all(label)
        && port.is_none_or(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// `[a-z0-9]+` joined by `.`, `_`, `__` or one or more `-`.
fn valid_component(c: &str) -> bool {
    let bytes = c.as_bytes();
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    if bytes.is_empty() || !alnum(bytes[0]) || !alnum(bytes[bytes.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        if alnum(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && !alnum(bytes[i]) {
            i += 1;
        }
        let sep = &c[start..i];
        let ok = sep == "." || sep == "_" || sep == "__" || sep.bytes().all(|b| b == b'-');
        if !ok {
            return false;
        }
    }
    true
}

/// `FROM image` or `FROM image AS name`, as BuildKit accepts it.
fn well_formed(from: &crate::syntax::Instruction) -> bool {
    match from.words() {
        [_] => true,
        [_, kw, _] => kw.value.eq_ignore_ascii_case("as"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::invalid_reference as bad;

    #[test]
    fn references_follow_the_grammar() {
        for ok in [
            "alpine",
            "alpine:3.20",
            "a__b/c-d:1",
            "a--b",
            "localhost:5000/a:1",
            "Reg.io/a",
            "[::1]:5000/a",
            "ghcr.io/acme/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "scratch",
        ] {
            assert_eq!(bad(ok), None, "{ok}");
        }
        for no in [
            "",
            "alpine:",
            "Alpine",
            "a..b",
            "a___b",
            "/alpine",
            "platform-",
            "reg.io:/a",
            "alpine:-x",
            "alpine@sha256:abc",
            "alpine@md5:01234567890123456789012345678901",
            "alpine:3@sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
            "alpine:$T",
            "{{image}}",
        ] {
            assert!(bad(no).is_some(), "{no}");
        }
    }
}
