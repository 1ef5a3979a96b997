//! `secret-in-url`: credentials written into a URL (`https://user:token@host/...`) of a RUN
//! command, an `ADD` source or an `ENV`/`ARG` value: the image's history or configuration keeps
//! the instruction's text, or the build argument's value, for anyone who pulls it.

use super::secret_in_arg_or_env::looks_secret;
use super::{At, Ctx, Report};
use crate::model::Scope;
use crate::shell::Span;
use crate::source::TextRange;
use crate::syntax::{Args, Keyword};

crate::declare_rule! {
    slug: "secret-in-url",
    codes: [],
    group: Security,
    severity: Warning,
    fix: None,
    since: "0.4.0",
    summary: "a URL with credentials in it, which the image's history or configuration keeps",
    hooks: { instruction: (&[Keyword::Run, Keyword::Add, Keyword::Env, Keyword::Arg], check) },
}

/// Prefixes of access tokens that serve as a URL's user name alone (`https://ghp_...@github.com`).
const TOKEN_PREFIXES: &[&str] = &[
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "github_pat_",
    "glpat-",
    "gldt-",
];

/// Credentials found in a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Byte range of the URL's `scheme://user:password@host` in the text searched.
    pub range: std::ops::Range<usize>,
    pub scheme: String,
    pub user: String,
    pub password: Option<String>,
    pub host: String,
}

/// Every `scheme://userinfo@host` in `text` (a shell word or a value as written).
pub fn find_credentials(text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices("://") {
        let scheme_start = text[..at]
            .char_indices()
            .rev()
            .find(|&(_, c)| !(c.is_ascii_alphanumeric() || "+.-".contains(c)))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let scheme = &text[scheme_start..at];
        if !scheme.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let rest = &text[at + 3..];
        let authority_len = authority_end(rest);
        let authority = &rest[..authority_len];
        let Some(sep) = authority.rfind('@') else {
            continue;
        };
        let (userinfo, host) = (&authority[..sep], &authority[sep + 1..]);
        let host_ok = host
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '[' || c == '$');
        if !host_ok || userinfo.is_empty() {
            continue;
        }
        let (user, password) = match split_userinfo(userinfo) {
            (u, Some(p)) => (u, Some(p)),
            (u, None) => (u, None),
        };
        out.push(Found {
            range: scheme_start..at + 3 + authority_len,
            scheme: scheme.to_string(),
            user: user.to_string(),
            password: password.map(str::to_string),
            host: host.to_string(),
        });
    }
    out
}

/// Longest authority (`user:password@host:port`) looked at: past it, the text is no URL.
const MAX_AUTHORITY: usize = 2048;

/// Where a URL's authority ends: at `/`, `?`, `#`, whitespace, a quote or a shell operator,
/// outside `${...}`; at most [`MAX_AUTHORITY`] bytes in, so that no text costs more than a
/// bounded look per `://`.
fn authority_end(rest: &str) -> usize {
    let mut depth = 0usize;
    let mut prev = '\0';
    for (i, c) in rest.char_indices() {
        if i >= MAX_AUTHORITY {
            return i;
        }
        match c {
            '{' if prev == '$' => depth += 1,
            '}' if depth > 0 => depth -= 1,
            _ if depth > 0 => {}
            '/' | '?' | '#' | '"' | '\'' | '`' | '\\' | ';' | '|' | '&' | '<' | '>' | '(' | ')'
            | ',' => return i,
            c if c.is_whitespace() => return i,
            _ => {}
        }
        prev = c;
    }
    rest.len()
}

/// `user:password` split at the first `:` outside `${...}`.
fn split_userinfo(userinfo: &str) -> (&str, Option<&str>) {
    let mut depth = 0usize;
    let mut prev = '\0';
    for (i, c) in userinfo.char_indices() {
        match c {
            '{' if prev == '$' => depth += 1,
            '}' if depth > 0 => depth -= 1,
            ':' if depth == 0 => return (&userinfo[..i], Some(&userinfo[i + 1..])),
            _ => {}
        }
        prev = c;
    }
    (userinfo, None)
}

/// The variables of a text made of variable references only (`$A`, `${B}`, `${C:-x}`);
/// `None` when it has text of its own (a literal, a command substitution).
fn only_variables(text: &str) -> Option<Vec<&str>> {
    let mut names = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let after = rest.strip_prefix('$')?;
        if let Some(braced) = after.strip_prefix('{') {
            let end = braced.find('}')?;
            let inner = &braced[..end];
            let name_end = inner
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(inner.len());
            names.push(&inner[..name_end]);
            rest = &braced[end + 1..];
        } else {
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            if end == 0 {
                return None;
            }
            names.push(&after[..end]);
            rest = &after[end..];
        }
    }
    (!names.is_empty()).then_some(names)
}

/// Where a credential's value comes from.
enum Source<'a> {
    /// Written out.
    Literal,
    /// From build arguments or ENV of the Dockerfile.
    Variables(Vec<&'a str>),
}

/// Whether a part of a URL's userinfo is a credential the image keeps, and where it is from:
/// a literal, or variables the Dockerfile declares (an `ARG`, whose value the history keeps,
/// or an `ENV`). A variable the shell sets itself (from a secret mount) is not kept.
fn kept<'a>(part: &'a str, scope: &Scope) -> Option<Source<'a>> {
    if part.is_empty() {
        return None;
    }
    if part.contains("$(") || part.contains('`') {
        return None;
    }
    match only_variables(part) {
        Some(names) => {
            let declared: Vec<&str> = names
                .into_iter()
                .filter(|n| scope.get(n).is_some())
                .collect();
            (!declared.is_empty()).then_some(Source::Variables(declared))
        }
        None if part.contains('$') => {
            // Text around variables is still written out.
            Some(Source::Literal)
        }
        None => Some(Source::Literal),
    }
}

/// A finding's facts: what the URL shows (its password masked) and where the secret is from.
struct Leak<'a> {
    shown: String,
    source: Source<'a>,
}

/// The leak in one URL, if its credentials are kept: a password, or a user name that is a
/// token (`ghp_...`, `$GITHUB_TOKEN`).
fn leak<'a>(f: &'a Found, scope: &Scope) -> Option<Leak<'a>> {
    let (part, masked) = match &f.password {
        Some(p) => {
            let shown = if only_variables(p).is_some() {
                p.clone()
            } else {
                "****".to_string()
            };
            (p.as_str(), format!("{}://{}:{shown}@{}", f.scheme, f.user, f.host))
        }
        None => {
            let token = TOKEN_PREFIXES.iter().any(|t| f.user.starts_with(t))
                || only_variables(&f.user).is_some_and(|v| v.iter().any(|n| looks_secret(n)));
            if !token {
                return None;
            }
            let shown = if only_variables(&f.user).is_some() {
                f.user.clone()
            } else {
                "****".to_string()
            };
            (f.user.as_str(), format!("{}://{shown}@{}", f.scheme, f.host))
        }
    };
    Some(Leak {
        shown: masked,
        source: kept(part, scope)?,
    })
}

fn check(ctx: &Ctx, at: &At, out: &mut Report) {
    // A trigger runs in another build, with its own arguments.
    if at.onbuild {
        return;
    }
    let scope = &at.context.scope;
    // (range in the Dockerfile, text searched, whether the range holds exactly that text)
    let mut texts: Vec<(TextRange, &str, bool)> = Vec::new();
    let kw = at.inst.keyword;
    match kw {
        Keyword::Run => {
            let Some(script) = ctx.scripts.get(at.index) else {
                return;
            };
            for c in &script.commands {
                for w in &c.words {
                    texts.push((w.range.clone(), &w.raw, w.span == Span::Exact));
                }
            }
        }
        Keyword::Add => {
            let words = at.inst.words();
            let Some((_dest, sources)) = words.split_last() else {
                return;
            };
            for w in sources {
                texts.push((w.range.clone(), &w.raw, true));
            }
        }
        _ => {
            let Args::Pairs(pairs) = &at.inst.args else {
                return;
            };
            for p in pairs {
                if let Some(r) = &p.value_range {
                    let raw = ctx.source.text.get(r.clone()).unwrap_or("");
                    texts.push((r.clone(), raw, true));
                }
            }
        }
    }
    let mut reported: Vec<TextRange> = Vec::new();
    for (range, text, exact) in texts {
        for f in find_credentials(text) {
            let Some(l) = leak(&f, scope) else {
                continue;
            };
            let range = if exact && range.len() == text.len() {
                range.start + f.range.start..range.start + f.range.end
            } else {
                range.clone()
            };
            // A `sh -c` string and the commands in it show the same URL once.
            if reported
                .iter()
                .any(|r| r.start < range.end && range.start < r.end)
            {
                continue;
            }
            reported.push(range.clone());
            let (message, help) = texts_for(kw, &f, &l);
            out.report(range, message).help(help);
        }
    }
}

/// The message and help of a finding.
fn texts_for(kw: Keyword, f: &Found, l: &Leak) -> (String, String) {
    let whose = match &l.source {
        Source::Literal => match kw {
            Keyword::Env => "the image's configuration keeps them".to_string(),
            _ => "the image's history keeps them".to_string(),
        },
        Source::Variables(names) => {
            let list = names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ");
            match kw {
                Keyword::Env => format!("the image's configuration keeps the value of {list}"),
                _ => format!(
                    "they come from {list}, whose value the image keeps (in its history, or its configuration for an `ENV`)"
                ),
            }
        }
    };
    let message = format!("`{}` has credentials in it: {whose}", l.shown);
    let git = f.scheme.contains("git") || f.host.contains("github") || f.host.contains("gitlab");
    let help = match kw {
        Keyword::Add if git => "`ADD` of a private git repository takes the `GIT_AUTH_TOKEN` build secret (`docker build --secret id=GIT_AUTH_TOKEN,env=TOKEN`) instead".to_string(),
        Keyword::Add => "download it in a `RUN` that mounts the credentials as a build secret (`RUN --mount=type=secret,id=netrc,target=/root/.netrc curl --netrc -fsSLO ...`)".to_string(),
        Keyword::Env | Keyword::Arg => "keep credentials out of the image: pass them as a build secret to the `RUN` that needs them (`RUN --mount=type=secret,id=token,env=TOKEN ...`), and at run time from the container's environment".to_string(),
        _ => "mount them as a build secret (`RUN --mount=type=secret,id=token,env=TOKEN ...`) and give them to the tool outside the URL (a `.netrc` secret, a git credential helper): a URL with credentials is also stored by tools such as `git clone`".to_string(),
    };
    (message, help)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_found_in_urls() {
        let f = find_credentials("git clone https://x-access-token:${TOKEN}@github.com/a/b.git");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].user, "x-access-token");
        assert_eq!(f[0].password.as_deref(), Some("${TOKEN}"));
        assert_eq!(f[0].host, "github.com");
        let f = find_credentials("\"https://${U:-me}:${P}@h.example/x\"");
        assert_eq!((f[0].user.as_str(), f[0].password.as_deref()), ("${U:-me}", Some("${P}")));
        assert_eq!(find_credentials("ssh://git@github.com/a/b")[0].password, None);
        for none in [
            "git@github.com:a/b.git",
            "https://example.com/user@x",
            "https://$(cat /run/secrets/t)@github.com/x",
            "https://@host",
            "user:pass@host",
        ] {
            assert!(find_credentials(none).is_empty(), "{none}");
        }
        assert!(find_credentials("é://u:p@h").is_empty());
        assert_eq!(find_credentials("éx://u:p@h")[0].scheme, "x");
        let two = find_credentials("a://u:p@h b://v:q@k/x");
        assert_eq!(two.len(), 2);
        assert_eq!(two[1].range, 10..19);
        // Unclosed braces do not make every `://` scan to the end.
        let many = format!("a://${{{}", "://".repeat(200_000));
        assert!(find_credentials(&many).is_empty());
    }

    #[test]
    fn variables_only() {
        assert_eq!(only_variables("${A}$B"), Some(vec!["A", "B"]));
        assert_eq!(only_variables("${A:-x}"), Some(vec!["A"]));
        assert_eq!(only_variables("x$A"), None);
        assert_eq!(only_variables("$"), None);
        assert_eq!(only_variables(""), None);
    }
}
