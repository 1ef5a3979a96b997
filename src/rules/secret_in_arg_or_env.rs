//! `secret-in-arg-or-env`: an `ARG` or `ENV` whose name says it holds a secret, which the image
//! keeps in its history or configuration (BuildKit's `SecretsUsedInArgOrEnv`).

use super::{At, Ctx, Report};
use crate::syntax::{Args, Keyword};

crate::declare_rule! {
    slug: "secret-in-arg-or-env",
    codes: [SecretsUsedInArgOrEnv: "sensitive data should not be used in the ARG or ENV commands"],
    group: Security,
    severity: Warning,
    fix: None,
    since: "0.4.0",
    summary: "an `ARG` or `ENV` name says it holds a secret, which the image keeps",
    hooks: { instruction: (&[Keyword::Arg, Keyword::Env], check) },
}

/// Words of a name (split at `_`, compared without case) that say it holds a secret.
const SECRET_WORDS: &[&str] = &[
    "apikey",
    "auth",
    "credential",
    "credentials",
    "key",
    "passwd",
    "password",
    "secret",
    "token",
];

/// Words that say it does not: it names a file holding the secret, a public key, or the
/// version of a tool (`DOCKER_AUTH_VERSION`).
const ALLOWED_WORDS: &[&str] = &["file", "public", "version"];

/// Whether a variable name looks like a secret's, as BuildKit judges it: one of its `_`-separated
/// words is a secret word, and none is an allowed one. The name is taken as written
/// (`${PREFIX}_TOKEN` has the word `TOKEN`; `API-KEY` and `apiKey` are one word each).
pub fn looks_secret(name: &str) -> bool {
    let words = || name.split('_');
    let is = |list: &[&str], w: &str| list.iter().any(|s| s.eq_ignore_ascii_case(w));
    words().any(|w| is(SECRET_WORDS, w)) && !words().any(|w| is(ALLOWED_WORDS, w))
}

fn check(ctx: &Ctx, at: &At, out: &mut Report) {
    // A trigger runs in another build, which reports it there.
    if at.onbuild {
        return;
    }
    let Args::Pairs(pairs) = &at.inst.args else {
        return;
    };
    let kw = at.inst.keyword;
    for p in pairs {
        // The name as written: a quoted name is not split into the words it holds.
        let name = ctx.source.text.get(p.key_range.clone()).unwrap_or(&p.key);
        if !looks_secret(name) {
            continue;
        }
        let kept = if kw == Keyword::Arg {
            "build arguments are recorded in the image's history"
        } else {
            "environment variables are stored in the image's configuration"
        };
        let plain = p.key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        let (id, key) = if plain {
            (p.key.to_ascii_lowercase(), p.key.clone())
        } else {
            ("<id>".to_string(), "<NAME>".to_string())
        };
        let mount = if p.key.split('_').any(|w| w.eq_ignore_ascii_case("ssh")) {
            "forward the SSH agent to the RUN that needs it: `RUN --mount=type=ssh ...` with `docker build --ssh default`".to_string()
        } else {
            format!("pass it as a build secret to the RUN that needs it: `RUN --mount=type=secret,id={id},env={key} ...` with `docker build --secret id={id},env={key}`")
        };
        let help = if kw == Keyword::Arg {
            mount
        } else {
            format!("{mount}; give it to the container at run time")
        };
        out.report(
            p.key_range.clone(),
            format!("`{}` looks like a secret: {kept}", p.key),
        )
        .help(help);
    }
}

#[cfg(test)]
mod tests {
    use super::looks_secret;

    #[test]
    fn names_are_judged_by_their_words() {
        for yes in [
            "GITHUB_TOKEN",
            "AWS_SECRET_ACCESS_KEY",
            "API_KEY",
            "APIKEY",
            "SECRET",
            "PASSWD",
            "password",
            "Token",
            "SSH_AUTH_SOCK",
            "KEY_ID",
            "PASSWORD_PATH",
            "TOKEN_FILES",
            "__TOKEN__",
            "${X}_TOKEN",
            "X_CREDENTIAL_Y",
        ] {
            assert!(looks_secret(yes), "{yes}");
        }
        for no in [
            "GOPRIVATE",
            "NPM_TOKEN_FILE",
            "PASSWORD_FILE",
            "MY_SECRETS",
            "DB_PASS",
            "TOKENIZER",
            "PUBLIC_KEY",
            "public_key",
            "KEYCLOAK_VERSION",
            "secretKey",
            "API-KEY",
            "my.token",
            "TOKEN1",
            "KEYS",
            "PGPASSWORD",
            "DOCKER_AUTH_VERSION",
            "KEY_Version",
            "\"QUOTED_TOKEN\"",
            "TOK${X}",
            "$TOKEN",
        ] {
            assert!(!looks_secret(no), "{no}");
        }
    }
}
