//! ARG/ENV scopes and `$VAR` expansion where values are known, bounded in depth and length.

/// Deepest `${a:-${b:-...}}` nesting expanded; deeper text is unknown (and reported).
pub const MAX_EXPANSION_DEPTH: usize = 16;

/// Longest expanded value kept; longer ones are unknown, so `ENV A2=$A1$A1` doubling cannot
/// grow without end.
pub const MAX_EXPANDED_LEN: usize = 64 * 1024;

/// What expanding a text gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expansion {
    Known(String),
    /// A variable's value is not known (a build argument, the base image's ENV, ...).
    Unknown,
    /// Nested deeper than [`MAX_EXPANSION_DEPTH`].
    TooDeep,
    /// Longer than [`MAX_EXPANDED_LEN`].
    TooLong,
}

/// Variables visible at a point: `Some(value)` when known, `None` when declared without a
/// value we can know (build-arg, base image ENV, ...). A scope that went over the model's
/// budget is `exhausted`: every variable in it is unknown.
///
/// The map is persistent (`imbl`): every instruction keeps the scope it sees, and a copy costs
/// nothing until one of them changes it, so a thousand `ENV` lines cost a thousand entries,
/// not half a million copies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    vars: imbl::HashMap<String, Option<String>>,
    /// Bytes of names and values held.
    bytes: usize,
    exhausted: bool,
    /// BuildKit's platform ARGs (`TARGETPLATFORM`, ...) are declared, values unknown.
    automatic: bool,
}

/// Built-in platform ARGs: declared, values unknown until build time.
pub const AUTOMATIC_ARGS: [&str; 8] = [
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
];

/// Every variable of an exhausted scope.
static UNKNOWN: Option<String> = None;

/// Bytes a scope entry costs beyond its name and value.
const ENTRY_OVERHEAD: usize = 48;

impl Scope {
    /// An empty scope where BuildKit's platform ARGs are declared (with unknown values).
    pub fn with_platform_args() -> Scope {
        Scope {
            automatic: true,
            ..Scope::default()
        }
    }

    pub fn set(&mut self, name: &str, value: Option<String>) {
        if self.exhausted {
            return;
        }
        let added = name.len() + value.as_ref().map_or(0, String::len) + ENTRY_OVERHEAD;
        if let Some(old) = self.vars.insert(name.to_string(), value) {
            self.bytes -= name.len() + old.map_or(0, |v| v.len()) + ENTRY_OVERHEAD;
        }
        self.bytes += added;
    }

    pub fn get(&self, name: &str) -> Option<&Option<String>> {
        if self.exhausted {
            return Some(&UNKNOWN);
        }
        self.vars
            .get(name)
            .or_else(|| (self.automatic && AUTOMATIC_ARGS.contains(&name)).then_some(&UNKNOWN))
    }

    /// The names of the variables it holds (the platform ARGs not included).
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.vars.keys().map(String::as_str)
    }

    /// Bytes of names and values the scope holds (roughly).
    pub fn weight(&self) -> usize {
        self.bytes
    }

    /// Forget every value: past the model's budget nothing more is tracked.
    pub fn exhaust(&mut self) {
        self.vars = imbl::HashMap::new();
        self.bytes = 0;
        self.exhausted = true;
        self.automatic = false;
    }

    pub fn is_exhausted(&self) -> bool {
        self.exhausted
    }

    /// This scope with BuildKit's platform ARGs declared (a stage's start: the ENV it
    /// inherits, plus those).
    pub fn with_platform_args_too(mut self) -> Scope {
        self.automatic = !self.exhausted;
        self
    }

    /// Expand `$X`, `${X}`, `${X:-d}`, `${X-d}`, `${X:+a}`, `${X+a}`; `None` if a value is
    /// unknown, or the text is nested or grows past the limits.
    pub fn expand(&self, text: &str, escape: char) -> Option<String> {
        match self.expansion(text, escape) {
            Expansion::Known(s) => Some(s),
            _ => None,
        }
    }

    /// [`Scope::expand`], saying why a value is not known.
    pub fn expansion(&self, text: &str, escape: char) -> Expansion {
        if !text.contains('$') {
            return Expansion::Known(text.to_string());
        }
        if self.exhausted {
            return Expansion::Unknown;
        }
        let mut out = String::new();
        match self.expand_into(text, escape, 0, &mut out) {
            Ok(true) => Expansion::Known(out),
            Ok(false) => Expansion::Unknown,
            Err(e) => e,
        }
    }

    /// Append the expansion of `text` to `out`: `Ok(false)` when a value is unknown.
    fn expand_into(
        &self,
        text: &str,
        escape: char,
        depth: usize,
        out: &mut String,
    ) -> Result<bool, Expansion> {
        if depth > MAX_EXPANSION_DEPTH {
            return Err(Expansion::TooDeep);
        }
        let mut known = true;
        let mut chars = text.char_indices().peekable();
        while let Some((_, c)) = chars.next() {
            if out.len() > MAX_EXPANDED_LEN {
                return Err(Expansion::TooLong);
            }
            if c == escape {
                if let Some(&(_, '$')) = chars.peek() {
                    out.push('$');
                    chars.next();
                    continue;
                }
                out.push(c);
                continue;
            }
            if c != '$' {
                out.push(c);
                continue;
            }
            match chars.peek().copied() {
                Some((open, '{')) => {
                    chars.next();
                    // The matching `}`: the inner text is looked at by the next level only.
                    let mut level = 1;
                    let mut end = text.len();
                    for (j, c) in chars.by_ref() {
                        match c {
                            '{' => level += 1,
                            '}' => {
                                level -= 1;
                                if level == 0 {
                                    end = j;
                                    break;
                                }
                            }
                            _ => {}
                        }
                    }
                    let inner = &text[open + 1..end];
                    known &= self.expand_braced(inner, escape, depth + 1, out)?;
                }
                Some((_, n)) if n.is_ascii_alphabetic() || n == '_' => {
                    let start = chars.peek().map_or(text.len(), |(j, _)| *j);
                    let mut end = start;
                    while let Some(&(j, n)) = chars.peek() {
                        if n.is_ascii_alphanumeric() || n == '_' {
                            end = j + n.len_utf8();
                            chars.next();
                        } else {
                            break;
                        }
                    }
                    match self.value(&text[start..end]) {
                        Some(v) => out.push_str(v),
                        None => known = false,
                    }
                }
                _ => out.push('$'),
            }
            if !known {
                // The rest cannot make the value known; stop early, but look for nesting
                // errors in what is left only as far as the limits go.
                return Ok(false);
            }
        }
        if out.len() > MAX_EXPANDED_LEN {
            return Err(Expansion::TooLong);
        }
        Ok(known)
    }

    fn value(&self, name: &str) -> Option<&str> {
        self.get(name)?.as_deref()
    }

    fn expand_braced(
        &self,
        inner: &str,
        escape: char,
        depth: usize,
        out: &mut String,
    ) -> Result<bool, Expansion> {
        if depth > MAX_EXPANSION_DEPTH {
            return Err(Expansion::TooDeep);
        }
        let name_len = inner
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(inner.len());
        let (name, op) = inner.split_at(name_len);
        let state = self.get(name);
        let (colon, op) = match op.strip_prefix(':') {
            Some(rest) => (true, rest),
            None => (false, op),
        };
        // `${X:-d}` treats an empty value as unset; `${X-d}` only an undeclared one.
        let is_set = |v: &str| !colon || !v.is_empty();
        if op.is_empty() {
            return Ok(match self.value(name) {
                Some(v) => {
                    out.push_str(v);
                    true
                }
                None => false,
            });
        }
        let kind_len = op.chars().next().map_or(0, char::len_utf8);
        let (kind, word) = op.split_at(kind_len);
        match (kind, state) {
            ("-", None) => self.expand_into(word, escape, depth, out),
            ("-", Some(None)) => Ok(false),
            ("-", Some(Some(v))) if is_set(v) => {
                out.push_str(v);
                Ok(true)
            }
            ("-", Some(Some(_))) => self.expand_into(word, escape, depth, out),
            ("+", None) => Ok(true),
            ("+", Some(None)) => Ok(false),
            ("+", Some(Some(v))) if is_set(v) => self.expand_into(word, escape, depth, out),
            ("+", Some(Some(_))) => Ok(true),
            _ => Ok(false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_known_and_refuses_unknown() {
        let mut s = Scope::default();
        s.set("A", Some("x".into()));
        s.set("B", None);
        assert_eq!(s.expand("$A/${A}-${C:-d}", '\\').as_deref(), Some("x/x-d"));
        assert_eq!(s.expand("$B", '\\'), None);
        assert_eq!(s.expand("\\$A", '\\').as_deref(), Some("$A"));
        assert_eq!(s.expand("${A:+y}", '\\').as_deref(), Some("y"));
        assert_eq!(s.expand("${C:-${A}z}", '\\').as_deref(), Some("xz"));
    }

    #[test]
    fn depth_and_length_are_bounded() {
        let mut s = Scope::default();
        let deep = format!("{}x{}", "${a:-".repeat(20_000), "}".repeat(20_000));
        assert_eq!(s.expansion(&deep, '\\'), Expansion::TooDeep);
        let ok = format!("{}x{}", "${a:-".repeat(10), "}".repeat(10));
        assert_eq!(s.expansion(&ok, '\\'), Expansion::Known("x".into()));
        s.set("A", Some("y".repeat(MAX_EXPANDED_LEN / 2 + 1)));
        assert_eq!(s.expansion("$A$A", '\\'), Expansion::TooLong);
    }

    #[test]
    fn exhausted_scopes_know_nothing() {
        let mut s = Scope::default();
        s.set("A", Some("x".into()));
        assert!(s.weight() > 0);
        s.exhaust();
        assert_eq!(s.expand("$A", '\\'), None);
        assert_eq!(s.get("anything"), Some(&None));
        assert_eq!(s.expand("plain", '\\').as_deref(), Some("plain"));
    }
}
