//! BuildKit's word expansion read for what it refers to: which variables a word of an
//! instruction uses (`$X`, `${X}`, `${X:-d}`, `${X+a}`, `${X?err}`, ...), where they are, and
//! what the word becomes for given values; bounded in depth, linear in the word's length.
//!
//! The rules follow what BuildKit's Dockerfile frontend is observed to do: outside quotes the
//! escape character takes the next character literally; single quotes expand nothing; inside
//! double quotes the escape character escapes only `"`, `$` and itself. Heredoc bodies (COPY and
//! ADD with an unquoted delimiter) expand variables but treat quotes as plain text. The words
//! of `${X:-word}` and the like are read (and their variables counted) whatever `X` holds.

use std::ops::Range;

/// Deepest `${a:-${b:-...}}` nesting read; deeper words are not analysed.
pub const MAX_DEPTH: usize = 32;

/// How quotes are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// An instruction's word: quotes are removed, single quotes expand nothing.
    Word,
    /// A heredoc body: quotes are plain text; only the escape character before `$` (or
    /// itself) escapes.
    Heredoc,
}

/// One variable reference in a word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VarRef {
    /// `X` of `$X`; a special parameter (`@`, `1`, `?`) as written.
    pub name: String,
    /// From the `$` to the end of the name (offsets into the word's text).
    pub range: Range<usize>,
    /// The name alone.
    pub name_range: Range<usize>,
    /// `${X?msg}` / `${X:?msg}`: the build stops when `X` is unset instead of reading it.
    pub required: bool,
}

/// A word after expansion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expanded {
    pub value: String,
    /// `false` when the word uses an operation whose result is not computed here
    /// (`${X/a/b}`, `${X#pat*}`): `value` is then only an approximation.
    pub exact: bool,
    pub refs: Vec<VarRef>,
}

/// Why a word cannot be expanded (BuildKit fails the instruction).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WordError {
    /// A quote or `${` without its end.
    Unterminated,
    /// `${}`, `${X!}`, ...
    BadSubstitution,
    /// `${X?msg}` with `X` unset.
    Required(String),
    /// Nested deeper than [`MAX_DEPTH`].
    TooDeep,
}

/// Expand `text` with `lookup` giving each variable's value (`None`: unset).
pub fn expand(
    text: &str,
    escape: char,
    mode: Mode,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<Expanded, WordError> {
    let mut p = Reader {
        text,
        chars: text.char_indices().collect(),
        pos: 0,
        escape,
        mode,
        lookup,
        refs: Vec::new(),
        exact: true,
    };
    let value = p.word(0, false)?;
    Ok(Expanded {
        value,
        exact: p.exact,
        refs: p.refs,
    })
}

/// Special parameters BuildKit reads after `$` (all of them unset in a Dockerfile).
const SPECIAL: &str = "@*#?$!-";

struct Reader<'a> {
    text: &'a str,
    chars: Vec<(usize, char)>,
    pos: usize,
    escape: char,
    mode: Mode,
    lookup: &'a dyn Fn(&str) -> Option<String>,
    refs: Vec<VarRef>,
    exact: bool,
}

impl Reader<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).map(|&(_, c)| c)
    }

    fn peek_at(&self, n: usize) -> Option<char> {
        self.chars.get(self.pos + n).map(|&(_, c)| c)
    }

    /// Byte offset of the current character (the text's end past the last).
    fn offset(&self) -> usize {
        self.chars
            .get(self.pos)
            .map_or(self.text.len(), |&(i, _)| i)
    }

    /// Read up to the end, or up to an unquoted `}` (left unread) when `in_braces`.
    fn word(&mut self, depth: usize, in_braces: bool) -> Result<String, WordError> {
        if depth > MAX_DEPTH {
            return Err(WordError::TooDeep);
        }
        let mut out = String::new();
        while let Some(c) = self.peek() {
            if in_braces && c == '}' {
                return Ok(out);
            }
            match (self.mode, c) {
                (_, '$') => self.dollar(depth, &mut out)?,
                (Mode::Word, c) if c == self.escape => {
                    self.pos += 1;
                    match self.peek() {
                        Some(n) => {
                            out.push(n);
                            self.pos += 1;
                        }
                        None => out.push(c),
                    }
                }
                (Mode::Heredoc, c) if c == self.escape => {
                    self.pos += 1;
                    match self.peek() {
                        Some(n) if n == '$' || n == self.escape => {
                            out.push(n);
                            self.pos += 1;
                        }
                        _ => out.push(c),
                    }
                }
                (Mode::Word, '\'') => {
                    self.pos += 1;
                    loop {
                        match self.peek() {
                            None => return Err(WordError::Unterminated),
                            Some('\'') => {
                                self.pos += 1;
                                break;
                            }
                            Some(ch) => {
                                out.push(ch);
                                self.pos += 1;
                            }
                        }
                    }
                }
                (Mode::Word, '"') => {
                    self.pos += 1;
                    self.double_quoted(depth, &mut out)?;
                }
                (_, c) => {
                    out.push(c);
                    self.pos += 1;
                }
            }
        }
        if in_braces {
            return Err(WordError::Unterminated);
        }
        Ok(out)
    }

    /// After an opening `"`, up to and including the closing one.
    fn double_quoted(&mut self, depth: usize, out: &mut String) -> Result<(), WordError> {
        loop {
            match self.peek() {
                None => return Err(WordError::Unterminated),
                Some('"') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some('$') => self.dollar(depth, out)?,
                Some(c) if c == self.escape => match self.peek_at(1) {
                    Some(n) if n == '"' || n == '$' || n == self.escape => {
                        out.push(n);
                        self.pos += 2;
                    }
                    _ => {
                        out.push(c);
                        self.pos += 1;
                    }
                },
                Some(c) => {
                    out.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    /// At a `$`: a reference, or a literal `$`.
    fn dollar(&mut self, depth: usize, out: &mut String) -> Result<(), WordError> {
        let start = self.offset();
        self.pos += 1;
        match self.peek() {
            Some('{') => {
                self.pos += 1;
                self.braced(start, depth, out)
            }
            Some(c) if c.is_alphabetic() || c == '_' || c.is_ascii_digit() => {
                let digits = c.is_ascii_digit();
                let name_start = self.offset();
                while let Some(n) = self.peek() {
                    let ok = if digits {
                        n.is_ascii_digit()
                    } else {
                        n.is_alphanumeric() || n == '_'
                    };
                    if !ok {
                        break;
                    }
                    self.pos += 1;
                }
                let name_end = self.offset();
                let name = self.text[name_start..name_end].to_string();
                out.push_str(&(self.lookup)(&name).unwrap_or_default());
                self.refs.push(VarRef {
                    name,
                    range: start..name_end,
                    name_range: name_start..name_end,
                    required: false,
                });
                Ok(())
            }
            Some(c) if SPECIAL.contains(c) => {
                let name_start = self.offset();
                self.pos += 1;
                let name_end = self.offset();
                self.refs.push(VarRef {
                    name: c.to_string(),
                    range: start..name_end,
                    name_range: name_start..name_end,
                    required: false,
                });
                Ok(())
            }
            _ => {
                out.push('$');
                Ok(())
            }
        }
    }

    /// After `${`: the name, an operator and its word, and the closing `}`.
    fn braced(&mut self, start: usize, depth: usize, out: &mut String) -> Result<(), WordError> {
        let name_start = self.offset();
        match self.peek() {
            Some(c) if c.is_ascii_digit() => {
                while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                    self.pos += 1;
                }
            }
            Some(c) if c.is_alphabetic() || c == '_' => {
                while self.peek().is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    self.pos += 1;
                }
            }
            Some(c) if SPECIAL.contains(c) => self.pos += 1,
            _ => {}
        }
        let name_end = self.offset();
        if name_end == name_start {
            return Err(WordError::BadSubstitution);
        }
        let name = self.text[name_start..name_end].to_string();
        let value = (self.lookup)(&name);
        let colon = self.peek() == Some(':');
        if colon {
            self.pos += 1;
        }
        let op = self.peek().ok_or(WordError::Unterminated)?;
        let required = op == '?';
        self.refs.push(VarRef {
            name: name.clone(),
            range: start..name_end,
            name_range: name_start..name_end,
            required,
        });
        if op == '}' && !colon {
            self.pos += 1;
            out.push_str(&value.unwrap_or_default());
            return Ok(());
        }
        let set = value.as_deref().is_some_and(|v| !colon || !v.is_empty());
        match op {
            '-' | '+' | '?' => {
                self.pos += 1;
                let word = self.word(depth + 1, true)?;
                self.pos += 1; // the `}`
                match op {
                    '-' => out.push_str(&if set { value.unwrap_or_default() } else { word }),
                    '+' => {
                        if set {
                            out.push_str(&word)
                        }
                    }
                    _ if set => out.push_str(&value.unwrap_or_default()),
                    _ => return Err(WordError::Required(name)),
                }
                Ok(())
            }
            '#' | '%' if !colon => {
                self.pos += 1;
                let longest = self.peek() == Some(op);
                if longest {
                    self.pos += 1;
                }
                let pattern = self.word(depth + 1, true)?;
                self.pos += 1;
                let v = value.unwrap_or_default();
                if pattern.contains(['*', '?', '[']) {
                    // Globs are not matched here.
                    self.exact = false;
                    out.push_str(&v);
                } else if op == '#' {
                    out.push_str(v.strip_prefix(pattern.as_str()).unwrap_or(&v));
                } else {
                    out.push_str(v.strip_suffix(pattern.as_str()).unwrap_or(&v));
                }
                Ok(())
            }
            '/' if !colon => {
                self.pos += 1;
                self.word(depth + 1, true)?;
                self.pos += 1;
                self.exact = false;
                out.push_str(&value.unwrap_or_default());
                Ok(())
            }
            _ => Err(WordError::BadSubstitution),
        }
    }
}

/// The text BuildKit reads from `source[range]` (one word or value of an instruction): line
/// continuations (the escape character, blanks, a line break, and the comment and empty lines
/// after it) removed. `exact` when nothing was removed, so text offsets are source offsets
/// from `range.start`.
pub fn source_text(source: &str, range: Range<usize>, escape: char) -> (String, bool) {
    let Some(slice) = source.get(range) else {
        return (String::new(), false);
    };
    if !slice.contains('\n') {
        return (slice.to_string(), true);
    }
    let mut out = String::with_capacity(slice.len());
    let mut rest = slice;
    while let Some(i) = rest.find(escape) {
        let after = &rest[i + escape.len_utf8()..];
        let blanks = after.len() - after.trim_start_matches([' ', '\t']).len();
        let tail = &after[blanks..];
        let newline = if tail.starts_with("\r\n") {
            2
        } else if tail.starts_with('\n') {
            1
        } else {
            0
        };
        if newline == 0 {
            // Not a continuation: keep the escape and what it escapes.
            let n = after.chars().next().map_or(0, char::len_utf8);
            out.push_str(&rest[..i + escape.len_utf8() + n]);
            rest = &after[n..];
            continue;
        }
        out.push_str(&rest[..i]);
        rest = &tail[newline..];
        // Comment and empty lines inside a continuation are not part of the instruction.
        loop {
            let line_end = rest.find('\n').map_or(rest.len(), |e| e + 1);
            let line = rest[..line_end].trim();
            if line_end < rest.len() && (line.is_empty() || line.starts_with('#')) {
                rest = &rest[line_end..];
            } else {
                break;
            }
        }
    }
    out.push_str(rest);
    (out, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none(_: &str) -> Option<String> {
        None
    }

    fn names(text: &str, mode: Mode) -> Vec<String> {
        expand(text, '\\', mode, &none)
            .map(|e| e.refs.into_iter().map(|r| r.name).collect())
            .unwrap_or_default()
    }

    #[test]
    fn finds_references_outside_single_quotes_and_escapes() {
        assert_eq!(
            names(r#"$A ${B} "$C" '$D' \$E ${F:-$G} ${H+${I}}"#, Mode::Word),
            ["A", "B", "C", "F", "G", "H", "I"]
        );
        assert_eq!(names("'$A' \"$B", Mode::Heredoc), ["A", "B"]);
        assert_eq!(names("$1 $@ $$ $ x$", Mode::Word), ["1", "@", "$"]);
        assert_eq!(names("a-$b_c-d", Mode::Word), ["b_c"]);
    }

    #[test]
    fn ranges_point_at_the_reference() {
        let e = expand("x/${ABC:-1}/$D", '\\', Mode::Word, &none).unwrap();
        assert_eq!(e.refs[0].range, 2..7);
        assert_eq!(e.refs[0].name_range, 4..7);
        assert_eq!(e.refs[1].range, 12..14);
        assert_eq!(e.value, "x/1/");
    }

    #[test]
    fn values_follow_the_operators() {
        let look = |n: &str| match n {
            "A" => Some("a".to_string()),
            "E" => Some(String::new()),
            _ => None,
        };
        let v = |t: &str| expand(t, '\\', Mode::Word, &look).map(|e| e.value);
        assert_eq!(v("${A:-x}${E:-y}${E-z}${U-w}").unwrap(), "ayw");
        assert_eq!(v("${A:+p}${E:+q}${E+r}${U+s}").unwrap(), "pr");
        assert_eq!(v("${A%a}b${A#x}").unwrap(), "ba");
        assert_eq!(v("${U?no}"), Err(WordError::Required("U".into())));
        assert_eq!(v("${}"), Err(WordError::BadSubstitution));
        assert_eq!(v("'open"), Err(WordError::Unterminated));
        assert_eq!(v("${A"), Err(WordError::Unterminated));
        assert_eq!(v(r#""a\"b\x""#).unwrap(), r#"a"b\x"#);
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = format!("{}x{}", "${a:-".repeat(100), "}".repeat(100));
        assert_eq!(
            expand(&deep, '\\', Mode::Word, &none),
            Err(WordError::TooDeep)
        );
    }

    #[test]
    fn continuations_are_joined() {
        let src = "ENV A=x\\\n  # note\n\n  $B";
        assert_eq!(
            source_text(src, 6..src.len(), '\\'),
            ("x  $B".into(), false)
        );
        assert_eq!(source_text("a\\$b", 0..4, '\\'), ("a\\$b".into(), true));
    }
}
