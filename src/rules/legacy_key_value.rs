//! `legacy-key-value`: `ENV key value` and `LABEL key value`, the legacy form without `=`.

use super::{At, Ctx, Report};
use crate::fix::{Edit, Fix};
use crate::syntax::{lex, scan, Keyword};

crate::declare_rule! {
    slug: "legacy-key-value",
    codes: [LegacyKeyValueFormat: "legacy key/value format with whitespace separator should not be used"],
    group: Style,
    severity: Warning,
    fix: Sometimes,
    since: "0.4.0",
    summary: "`ENV key value` or `LABEL key value`: the legacy form without `=`",
    hooks: { instruction: (&[Keyword::Env, Keyword::Label], check) },
}

/// What each character of a value becomes: `(offset, len, text)`.
type Pieces = Vec<(usize, usize, String)>;

/// Deepest `${...}` nesting followed when quoting a value.
const MAX_DEPTH: usize = 32;

fn check(ctx: &Ctx, at: &At, out: &mut Report) {
    // A trigger is checked where it runs, in the builds of images made from this one.
    if at.onbuild || !at.inst.flags.is_empty() {
        return;
    }
    let inst = at.inst;
    let escape = ctx.model.escape;
    let line = scan::joined_line(&ctx.source.text, inst.range.clone(), escape);
    let text = line.text.as_str();
    let Some((key, value)) = legacy(text, escape) else {
        return;
    };
    let kw = inst.keyword.as_str();
    let name = &text[key.clone()];
    let plain_key = !name.contains(['"', '\'', escape]);
    let d = out.report(
        inst.keyword_range.start..line.range_to_source(key.clone()).end,
        if plain_key {
            format!("`{kw} {name} ...` uses the legacy `key value` form")
        } else {
            format!("`{kw}` uses the legacy `key value` form")
        },
    );
    if !plain_key {
        d.help(format!(
            "write `{kw} key=\"value\"`; no automatic fix because the key is quoted or escaped"
        ));
        return;
    }
    let no_fix = |why: &str| {
        format!("write `{kw} {name}=\"...\"`; no automatic fix because {why}")
    };
    let key_end = line.range_to_source(key.clone()).end;
    let value_src = line.range_to_source(value.clone());
    let gap = &ctx.source.text[key_end..value_src.start];
    if !gap.chars().all(|c| c.is_whitespace() || c == escape) {
        d.help(no_fix("a comment between the key and the value would be lost"));
        return;
    }
    let (emitted, dropped) = match quote(&text[value.clone()], escape) {
        Ok(e) => e,
        Err(why) => {
            d.help(no_fix(why));
            return;
        }
    };
    // The new text: `="`, each value character as quoted, what the source has between
    // characters (continuations, comment lines) kept as it is, and the closing `"`.
    let mut new_source = String::from("=\"");
    let mut new_logical = format!("{name}=\"");
    let mut prev_end: Option<usize> = None;
    for (offset, len, piece) in &emitted {
        let at = value.start + offset;
        let src = line.to_source(at);
        if let Some(p) = prev_end.filter(|p| *p < src) {
            new_source.push_str(&ctx.source.text[p..src]);
        }
        new_source.push_str(piece);
        new_logical.push_str(piece);
        prev_end = Some(line.range_to_source(at..at + len).end);
    }
    new_source.push('"');
    new_logical.push('"');
    // What BuildKit's parser reads from the new text must be one `key="..."` word.
    if lex::words(&new_logical, 0, escape).len() != 1 {
        d.help(no_fix("the value cannot be quoted as one word"));
        return;
    }
    let shown = &new_logical[name.len()..];
    let title = if shown.len() <= 60 {
        format!("rewrite to `{kw} {name}{shown}`")
    } else {
        format!("rewrite to `{kw} {name}=\"...\"`")
    };
    let note = dropped.map_or(String::new(), |c| {
        format!(" (the value reads `{escape}{c}` as `{c}`, and so does the fix)")
    });
    d.help(format!(
        "join the key and the value with `=` and quote the value: `{kw} {name}=\"...\"`{note}"
    ))
    .fix(Some(Fix::safe(
        title,
        vec![Edit::replace(key_end..value_src.end, new_source)],
    )));
}

/// The key and value (logical ranges) of an `ENV`/`LABEL` line in the legacy form, as BuildKit
/// reads it: the first word has no `=`, the key runs to the first whitespace, the value is the
/// rest of the line after the whitespace.
fn legacy(line: &str, escape: char) -> Option<(std::ops::Range<usize>, std::ops::Range<usize>)> {
    let (_, rest) = lex::split_keyword(line);
    let first = lex::words(line, rest, escape).into_iter().next()?;
    if line[first.range].contains('=') {
        return None;
    }
    let key_end = rest + line[rest..].find(lex::is_split_space)?;
    let value_start = key_end
        + line[key_end..]
            .find(|c| !lex::is_split_space(c))
            .unwrap_or(line.len() - key_end);
    let value_end = line.trim_end().len();
    (value_start < value_end).then_some((rest..key_end, value_start..value_end))
}

/// What each character of a legacy value becomes inside one pair of double quotes, so that
/// BuildKit's word processing gives the same string: `(offset, len, text)` for every character.
/// Quotes are merged into the outer ones, single-quoted characters and escapes are written as
/// double-quoted text reads them, variable references are kept as they are (they expand the same
/// inside double quotes).
/// Also the first letter or digit that an escape only kept literal (`\\x` reads as `x`).
fn quote(value: &str, escape: char) -> Result<(Pieces, Option<char>), &'static str> {
    let chars: Vec<(usize, char)> = value.char_indices().collect();
    let n = chars.len();
    let mut out = Vec::with_capacity(n);
    let mut dropped = None;
    let same = |k: usize, out: &mut Pieces| {
        let (o, c) = chars[k];
        out.push((o, c.len_utf8(), c.to_string()));
    };
    let set = |k: usize, text: String, out: &mut Pieces| {
        let (o, c) = chars[k];
        out.push((o, c.len_utf8(), text));
    };
    let mut i = 0;
    while i < n {
        let c = chars[i].1;
        if c == '$' {
            let j = skip_dollar(&chars, i, escape, 0)?;
            for k in i..j {
                same(k, &mut out);
            }
            i = j;
        } else if c == '\'' {
            let close = (i + 1..n)
                .find(|&k| chars[k].1 == '\'')
                .ok_or("the value has an unterminated quote")?;
            set(i, String::new(), &mut out);
            for &(o, c) in &chars[i + 1..close] {
                let text = if c == '"' || c == '$' || c == escape {
                    format!("{escape}{c}")
                } else {
                    c.to_string()
                };
                out.push((o, c.len_utf8(), text));
            }
            set(close, String::new(), &mut out);
            i = close + 1;
        } else if c == '"' {
            let after = skip_double(&chars, i, escape, 0)?;
            set(i, String::new(), &mut out);
            for k in i + 1..after - 1 {
                same(k, &mut out);
            }
            set(after - 1, String::new(), &mut out);
            i = after;
        } else if c == escape {
            match chars.get(i + 1).map(|x| x.1) {
                // An escape at the end of the value is dropped.
                None => set(i, String::new(), &mut out),
                // Escapes that double quotes keep meaning the same.
                Some(next) if next == '"' || next == '$' || next == escape => {
                    same(i, &mut out);
                    same(i + 1, &mut out);
                }
                // Elsewhere the escape only keeps the next character literal, as quotes do.
                Some(next) => {
                    if next.is_ascii_alphanumeric() {
                        dropped = dropped.or(Some(next));
                    }
                    set(i, String::new(), &mut out);
                    same(i + 1, &mut out);
                }
            }
            i += 2;
        } else {
            same(i, &mut out);
            i += 1;
        }
    }
    Ok((out, dropped))
}

/// Where a `$` reference starting at `i` ends, as BuildKit's word processing reads it; refused
/// when it holds a `"` (the quoting it would be put in ends there for the parser).
fn skip_dollar(
    chars: &[(usize, char)],
    i: usize,
    escape: char,
    depth: usize,
) -> Result<usize, &'static str> {
    const BAD: &str = "the value has a `${...}` that BuildKit does not read";
    if depth > MAX_DEPTH {
        return Err("the value nests `${...}` too deeply");
    }
    let at = |k: usize| chars.get(k).map(|x| x.1);
    let mut j = i + 1;
    if at(j) != Some('{') {
        return Ok(skip_name(chars, j));
    }
    j += 1;
    match at(j) {
        None | Some('{' | '}' | ':') => return Err(BAD),
        _ => {}
    }
    j = skip_name(chars, j);
    let Some(op) = at(j) else {
        return Err(BAD);
    };
    j += 1;
    let end = match op {
        '}' => j,
        ':' => match at(j) {
            Some('-' | '+' | '?') => stop_on(chars, j + 1, '}', escape, depth)?,
            _ => return Err(BAD),
        },
        '+' | '-' | '?' | '#' | '%' => stop_on(chars, j, '}', escape, depth)?,
        '/' => {
            if at(j) == Some('/') {
                j += 1;
            }
            let j = stop_on(chars, j, '/', escape, depth)?;
            stop_on(chars, j, '}', escape, depth)?
        }
        _ => return Err(BAD),
    };
    if chars[i..end].iter().any(|x| x.1 == '"') {
        return Err("the value has double quotes inside a `${...}`");
    }
    Ok(end)
}

/// A variable name: digits, one special parameter character, or letters, digits and `_`.
fn skip_name(chars: &[(usize, char)], mut j: usize) -> usize {
    let at = |k: usize| chars.get(k).map(|x| x.1);
    match at(j) {
        Some(c) if c.is_ascii_digit() => {
            while at(j).is_some_and(|c| c.is_ascii_digit()) {
                j += 1;
            }
            j
        }
        Some('@' | '*' | '#' | '?' | '-' | '$' | '!' | '0') => j + 1,
        _ => {
            while at(j).is_some_and(|c| c.is_alphanumeric() || c == '_') {
                j += 1;
            }
            j
        }
    }
}

/// Past the next unquoted, unescaped `stop` (inside `${...}`).
fn stop_on(
    chars: &[(usize, char)],
    mut j: usize,
    stop: char,
    escape: char,
    depth: usize,
) -> Result<usize, &'static str> {
    loop {
        let Some(&(_, c)) = chars.get(j) else {
            return Err("the value has an unterminated `${...}`");
        };
        if c == stop {
            return Ok(j + 1);
        }
        j = match c {
            '$' => skip_dollar(chars, j, escape, depth + 1)?,
            '\'' => {
                1 + (j + 1..chars.len())
                    .find(|&k| chars[k].1 == '\'')
                    .ok_or("the value has an unterminated quote")?
            }
            '"' => skip_double(chars, j, escape, depth + 1)?,
            c if c == escape => j + 2,
            _ => j + 1,
        };
    }
}

/// Past the `"` closing the double-quoted text that starts at `i`.
fn skip_double(
    chars: &[(usize, char)],
    i: usize,
    escape: char,
    depth: usize,
) -> Result<usize, &'static str> {
    let mut j = i + 1;
    loop {
        let Some(&(_, c)) = chars.get(j) else {
            return Err("the value has an unterminated quote");
        };
        j = match c {
            '"' => return Ok(j + 1),
            '$' => skip_dollar(chars, j, escape, depth + 1)?,
            c if c == escape => match chars.get(j + 1).map(|x| x.1) {
                Some(n) if n == '"' || n == '$' || n == escape => j + 2,
                _ => j + 1,
            },
            _ => j + 1,
        };
    }
}

#[cfg(test)]
mod tests {
    fn fixed(text: &str) -> String {
        let settings = crate::Settings {
            rules: vec![&super::RULE],
            ..Default::default()
        };
        crate::fix_source("Dockerfile", text, &settings, false).fixed
    }

    #[test]
    fn a_value_on_the_next_lines_starts_right_after_the_quote() {
        // A comment line cannot mark these in a fixture: between the key and the value it
        // would stop the fix.
        assert_eq!(
            fixed("FROM a\nENV DEPS \\\n    curl \\\n  # c\n    git\nENV B \\\n  x\n"),
            "FROM a\nENV DEPS=\"curl \\\n  # c\n    git\"\nENV B=\"x\"\n"
        );
        assert_eq!(
            fixed("FROM a\r\nLABEL a \\\r\n    b \\\r\n    c\r\n"),
            "FROM a\r\nLABEL a=\"b \\\r\n    c\"\r\n"
        );
    }

    fn quoted(value: &str, escape: char) -> Result<String, &'static str> {
        Ok(super::quote(value, escape)?
            .0
            .into_iter()
            .map(|(_, _, t)| t)
            .collect())
    }

    #[test]
    fn values_keep_what_buildkit_reads() {
        assert_eq!(quoted("b  c", '\\'), Ok("b  c".into()));
        assert_eq!(quoted("$PATH:/x ${Y:-a b}", '\\'), Ok("$PATH:/x ${Y:-a b}".into()));
        assert_eq!(quoted("\"a b\" 'c \"d\" $e'", '\\'), Ok("a b c \\\"d\\\" \\$e".into()));
        assert_eq!(quoted("a\\ b \\$x \\\\ \\\"", '\\'), Ok("a b \\$x \\\\ \\\"".into()));
        assert_eq!(quoted("C:\\x `$y", '`'), Ok("C:\\x `$y".into()));
        assert_eq!(quoted("trailing\\", '\\'), Ok("trailing".into()));
        assert!(quoted("${X:-\"q\"}", '\\').is_err());
        assert!(quoted("'open", '\\').is_err());
        assert!(quoted("${X", '\\').is_err());
        assert!(quoted("${:}", '\\').is_err());
    }

    #[test]
    fn legacy_lines() {
        let l = "ENV  A  b c  ";
        let (k, v) = super::legacy(l, '\\').unwrap();
        assert_eq!((&l[k], &l[v]), ("A", "b c"));
        assert!(super::legacy("ENV A=b c", '\\').is_none());
        assert!(super::legacy("ENV A", '\\').is_none());
        assert!(super::legacy("LABEL \"a=b\" c", '\\').is_none());
    }
}
