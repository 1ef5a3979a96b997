//! BuildKit's lexical rules for one logical line: keyword split, builder flags, words, JSON arrays.
//!
//! These follow the behaviour of BuildKit's Dockerfile parser (observed and documented), so
//! that recovered instructions mean what they mean to `docker build`.

use crate::source::TextRange;

/// A whitespace-delimited word of a logical line, with its logical byte range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexWord {
    pub range: TextRange,
}

/// BuildKit splits the keyword off with `[\t\v\f\r ]+`.
pub fn is_split_space(c: char) -> bool {
    matches!(c, '\t' | '\u{b}' | '\u{c}' | '\r' | ' ')
}

/// Keyword range and the start of the rest of the line (after separating whitespace).
pub fn split_keyword(line: &str) -> (TextRange, usize) {
    let start = line.len() - line.trim_start().len();
    let end = line[start..]
        .find(is_split_space)
        .map_or(line.len(), |i| start + i);
    let rest = line[end..]
        .find(|c: char| !is_split_space(c))
        .map_or(line.len(), |i| end + i);
    (start..end, rest)
}

/// A `--name[=value]` builder flag found by [`extract_flags`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexFlag {
    /// The flag's text after quote removal, without the leading `--`.
    pub body: String,
    pub range: TextRange,
}

/// BuildKit's `extractBuilderFlags`: leading words that start with `--` are flags; `--` alone
/// ends them. Returns the flags and where the arguments start (logical offset).
pub fn extract_flags(line: &str, from: usize) -> (Vec<LexFlag>, usize) {
    let bytes = line.as_bytes();
    let mut flags = Vec::new();
    let mut pos = from;
    loop {
        while pos < bytes.len() && (bytes[pos] as char).is_ascii_whitespace() {
            pos += 1;
        }
        if pos + 1 >= bytes.len() || bytes[pos] != b'-' || bytes[pos + 1] != b'-' {
            return (flags, pos.min(line.len()));
        }
        let start = pos;
        let mut word = String::new();
        let mut quote: Option<u8> = None;
        while pos < bytes.len() {
            let c = bytes[pos];
            match quote {
                None if (c as char).is_ascii_whitespace() => break,
                None if c == b'\'' || c == b'"' => quote = Some(c),
                Some(q) if c == q => quote = None,
                _ if c == b'\\' && pos + 1 < bytes.len() => {
                    pos += 1;
                    push_byte(&mut word, line, pos);
                    pos += char_len(line, pos);
                    continue;
                }
                _ if c == b'\\' => {}
                _ => {
                    push_byte(&mut word, line, pos);
                    pos += char_len(line, pos);
                    continue;
                }
            }
            pos += 1;
        }
        if word == "--" {
            return (flags, pos);
        }
        flags.push(LexFlag {
            body: word.trim_start_matches("--").to_string(),
            range: start..pos,
        });
    }
}

fn char_len(s: &str, pos: usize) -> usize {
    s[pos..].chars().next().map_or(1, char::len_utf8)
}

fn push_byte(word: &mut String, s: &str, pos: usize) {
    if let Some(c) = s[pos..].chars().next() {
        word.push(c);
    }
}

/// Split into words on whitespace outside quotes; `escape` escapes the next character.
pub fn words(line: &str, from: usize, escape: char) -> Vec<LexWord> {
    let mut out = Vec::new();
    let mut chars = line[from..].char_indices().map(|(i, c)| (i + from, c));
    let mut start: Option<usize> = None;
    let mut quote: Option<char> = None;
    while let Some((i, c)) = chars.next() {
        if quote.is_none() && c.is_whitespace() {
            if let Some(s) = start.take() {
                out.push(LexWord { range: s..i });
            }
            continue;
        }
        if start.is_none() {
            start = Some(i);
        }
        match quote {
            Some(q) if c == q => quote = None,
            Some('\'') => {}
            _ if c == escape => {
                chars.next();
            }
            None if c == '\'' || c == '"' => quote = Some(c),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(LexWord {
            range: s..line.len(),
        });
    }
    out
}

/// Remove quotes and process escapes, as the shell lexer does for a word with no variables.
pub fn unquote(raw: &str, escape: char) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match quote {
            Some('\'') if c == '\'' => quote = None,
            Some('\'') => out.push(c),
            Some(q) if c == q => quote = None,
            Some(_) if c == escape => match chars.peek() {
                Some(&n) if n == '"' || n == escape || n == '$' => {
                    out.push(n);
                    chars.next();
                }
                _ => out.push(c),
            },
            Some(_) => out.push(c),
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == escape => {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            None => out.push(c),
        }
    }
    out
}

/// What BuildKit makes of arguments that might be a JSON array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Json {
    /// Not JSON: shell form.
    No,
    /// A JSON array with a non-string element: BuildKit rejects the instruction.
    NotStrings(TextRange),
    /// Exec form: decoded strings and the logical ranges of their tokens.
    Strings(Vec<(String, TextRange)>),
}

/// BuildKit decodes the first JSON value and ignores anything after it (`CMD ["a"] x` is exec
/// form). Logical ranges are relative to `text`.
pub fn json(text: &str, from: usize) -> Json {
    let rest = &text[from..];
    let trimmed = rest.trim_start();
    if !trimmed.starts_with('[') {
        return Json::No;
    }
    let base = from + (rest.len() - trimmed.len());
    let mut stream =
        serde_json::Deserializer::from_str(trimmed).into_iter::<Vec<serde_json::Value>>();
    let values = match stream.next() {
        Some(Ok(v)) => v,
        _ => return Json::No,
    };
    let consumed = stream.byte_offset();
    let strings: Option<Vec<String>> = values
        .into_iter()
        .map(|v| match v {
            serde_json::Value::String(s) => Some(s),
            _ => None,
        })
        .collect();
    let Some(strings) = strings else {
        return Json::NotStrings(base..base + consumed);
    };
    // The array is valid JSON, so every string token is found by scanning quotes.
    let bytes = &trimmed.as_bytes()[..consumed];
    let mut ranges = Vec::with_capacity(strings.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'"' {
            let start = i;
            i += 1;
            while i < bytes.len() && bytes[i] != b'"' {
                if bytes[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            ranges.push(base + start..base + i + 1);
        }
        i += 1;
    }
    if ranges.len() != strings.len() {
        return Json::No;
    }
    Json::Strings(strings.into_iter().zip(ranges).collect())
}

/// The exec-form strings, if `text[from..]` is exec form.
pub fn json_array(text: &str, from: usize) -> Option<Vec<(String, TextRange)>> {
    match json(text, from) {
        Json::Strings(v) => Some(v),
        _ => None,
    }
}

/// A heredoc opener in an instruction line (`<<EOF`, `<<-EOF`, `<<"EOF"`, `3<<EOF`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeredocOpener {
    pub name: String,
    pub chomp: bool,
    pub expand: bool,
    pub fd: u32,
    pub range: TextRange,
}

/// BuildKit's heredoc detection: every word (backslash escapes, quotes kept) matching
/// `^(\d*)<<(-?)([^<]*)$` whose rest is one shell word.
pub fn heredoc_openers(line: &str) -> Vec<HeredocOpener> {
    if !line.contains("<<") {
        return Vec::new();
    }
    let mut out = Vec::new();
    for w in words(line, 0, '\\') {
        let word = &line[w.range.clone()];
        let digits = word.bytes().take_while(u8::is_ascii_digit).count();
        let Some(after) = word[digits..].strip_prefix("<<") else {
            continue;
        };
        let (chomp, rest) = match after.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, after),
        };
        if rest.is_empty() || rest.contains('<') {
            continue;
        }
        if words(rest, 0, '\\').len() != 1 {
            continue;
        }
        let name = unquote(rest, '\\');
        let expand = !rest.contains(['\'', '"']);
        let fd = if digits == 0 {
            0
        } else {
            match word[..digits].parse() {
                Ok(fd) => fd,
                Err(_) => continue,
            }
        };
        out.push(HeredocOpener {
            name,
            chomp,
            expand,
            fd,
            range: w.range,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_stop_at_first_plain_word() {
        let line = "COPY --from=build --chown=\"a b\" src dst";
        let (kw, rest) = split_keyword(line);
        assert_eq!(&line[kw], "COPY");
        let (flags, args) = extract_flags(line, rest);
        assert_eq!(flags.len(), 2);
        assert_eq!(flags[0].body, "from=build");
        assert_eq!(flags[1].body, "chown=a b");
        assert_eq!(&line[args..], "src dst");
    }

    #[test]
    fn double_dash_ends_flags() {
        let line = "RUN -- --not-a-flag";
        let (flags, args) = extract_flags(line, 4);
        assert!(flags.is_empty());
        assert_eq!(&line[args..], " --not-a-flag");
    }

    #[test]
    fn json_arrays_and_not() {
        let v = json_array(r#"CMD ["a", "b\"c"]"#, 4).unwrap();
        assert_eq!(v[1].0, "b\"c");
        assert_eq!(v[1].1, 10..16);
        assert!(json_array("CMD [a]", 4).is_none());
        assert!(matches!(json("CMD [1]", 4), Json::NotStrings(_)));
        assert_eq!(json_array(r#"CMD ["a"] x"#, 4).unwrap().len(), 1);
        assert!(json_array("CMD echo", 4).is_none());
    }

    #[test]
    fn heredoc_words() {
        let h = heredoc_openers("RUN <<EOF cat <<-'END' 2<<X echo '<<NO'");
        let names: Vec<_> = h
            .iter()
            .map(|h| (h.name.as_str(), h.chomp, h.expand))
            .collect();
        assert_eq!(
            names,
            vec![
                ("EOF", false, true),
                ("END", true, false),
                ("X", false, true)
            ]
        );
        assert!(heredoc_openers("RUN echo a<<b").is_empty());
    }

    #[test]
    fn unquoting() {
        assert_eq!(unquote(r#""a b"c'd'"#, '\\'), "a bcd");
        assert_eq!(unquote(r"a\ b", '\\'), "a b");
    }
}
