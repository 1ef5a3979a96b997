//! ARG/ENV scopes and `$VAR` expansion where values are known.

use std::collections::HashMap;

/// Variables visible at a point: `Some(value)` when known, `None` when declared without a
/// value we can know (build-arg, base image ENV, ...).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    vars: HashMap<String, Option<String>>,
}

impl Scope {
    pub fn set(&mut self, name: &str, value: Option<String>) {
        self.vars.insert(name.to_string(), value);
    }

    pub fn get(&self, name: &str) -> Option<&Option<String>> {
        self.vars.get(name)
    }

    /// Expand `$X`, `${X}`, `${X:-d}`, `${X-d}`, `${X:+a}`, `${X+a}`; `None` if a value is unknown.
    pub fn expand(&self, text: &str, escape: char) -> Option<String> {
        self.expand_at(text, escape, 0)
    }

    fn expand_at(&self, text: &str, escape: char, depth: usize) -> Option<String> {
        if depth > 16 {
            return None;
        }
        if !text.contains('$') {
            return Some(text.to_string());
        }
        let mut out = String::new();
        let mut chars = text.char_indices().peekable();
        while let Some((_, c)) = chars.next() {
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
                Some((_, '{')) => {
                    chars.next();
                    let mut inner = String::new();
                    let mut depth = 1;
                    for (_, c) in chars.by_ref() {
                        match c {
                            '{' => depth += 1,
                            '}' => {
                                depth -= 1;
                                if depth == 0 {
                                    break;
                                }
                            }
                            _ => {}
                        }
                        inner.push(c);
                    }
                    out.push_str(&self.expand_braced(&inner, escape, depth)?);
                }
                Some((_, n)) if n.is_ascii_alphabetic() || n == '_' => {
                    let mut name = String::new();
                    while let Some(&(_, n)) = chars.peek() {
                        if n.is_ascii_alphanumeric() || n == '_' {
                            name.push(n);
                            chars.next();
                        } else {
                            break;
                        }
                    }
                    out.push_str(self.value(&name)?);
                }
                _ => out.push('$'),
            }
        }
        Some(out)
    }

    fn value(&self, name: &str) -> Option<&str> {
        self.vars.get(name)?.as_deref()
    }

    fn expand_braced(&self, inner: &str, escape: char, depth: usize) -> Option<String> {
        let name_len = inner
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(inner.len());
        let (name, op) = inner.split_at(name_len);
        let state = self.vars.get(name);
        let (colon, op) = match op.strip_prefix(':') {
            Some(rest) => (true, rest),
            None => (false, op),
        };
        let is_set = |v: &Option<String>| !colon || v.as_deref().is_some_and(|s| !s.is_empty());
        if op.is_empty() {
            return self.value(name).map(str::to_string);
        }
        let kind_len = op.chars().next().map_or(0, char::len_utf8);
        let (kind, word) = op.split_at(kind_len);
        match (kind, state) {
            ("-", None) => self.expand_at(word, escape, depth + 1),
            ("-", Some(None)) => None,
            ("-", Some(v)) if is_set(v) => v.clone(),
            ("-", Some(_)) => self.expand_at(word, escape, depth + 1),
            ("+", None) => Some(String::new()),
            ("+", Some(None)) => None,
            ("+", Some(v)) if is_set(v) => self.expand_at(word, escape, depth + 1),
            ("+", Some(_)) => Some(String::new()),
            _ => None,
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
    }
}
