//! Logical text: what BuildKit sees after joining continuation lines, mapped back to source bytes.

use crate::source::TextRange;

/// A run of logical bytes copied from the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Seg {
    logical: usize,
    source: usize,
    len: usize,
}

/// Text assembled from slices of the source (continuations, in-continuation comments and the
/// `\r` of CRLF removed). Every logical byte maps to exactly one source byte, so any range found
/// in the logical text maps back to a source range for diagnostics and edits.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Logical {
    pub text: String,
    segs: Vec<Seg>,
    /// Where an empty text sits in the source (a line that is only a continuation).
    anchor: usize,
}

impl Logical {
    /// Text with no source of its own (e.g. decoded from a JSON string); maps to offset 0.
    pub fn default_with(text: &str) -> Logical {
        Logical {
            text: text.to_string(),
            segs: Vec::new(),
            anchor: 0,
        }
    }

    /// Empty text at source offset `at`, to be pushed to.
    pub fn at(at: usize) -> Logical {
        Logical {
            anchor: at,
            ..Logical::default()
        }
    }

    /// Append `source[range]`.
    pub fn push(&mut self, source: &str, range: TextRange) {
        if range.is_empty() {
            return;
        }
        let logical = self.text.len();
        self.text.push_str(&source[range.clone()]);
        if let Some(last) = self.segs.last_mut() {
            if last.source + last.len == range.start && last.logical + last.len == logical {
                last.len += range.len();
                return;
            }
        }
        self.segs.push(Seg {
            logical,
            source: range.start,
            len: range.len(),
        });
    }

    /// Append a synthetic `\n` that stands for the line break at `source_at`.
    pub fn push_newline(&mut self, source_at: usize) {
        let logical = self.text.len();
        self.text.push('\n');
        self.segs.push(Seg {
            logical,
            source: source_at,
            len: 1,
        });
    }

    /// Source offset of logical offset `pos` (a position between bytes).
    pub fn to_source(&self, pos: usize) -> usize {
        if self.segs.is_empty() {
            return self.anchor;
        }
        let i = match self.segs.binary_search_by(|s| s.logical.cmp(&pos)) {
            Ok(i) => i,
            Err(0) => 0,
            Err(i) => i - 1,
        };
        let s = self.segs[i];
        s.source + (pos - s.logical).min(s.len)
    }

    /// Source range of a logical range; the end maps to just after the last byte it covers.
    pub fn range_to_source(&self, range: TextRange) -> TextRange {
        let start = self.to_source(range.start);
        if range.is_empty() {
            return start..start;
        }
        let end = self.to_source(range.end - 1) + 1;
        start..end.max(start)
    }

    /// Logical offset of a source offset; an offset inside removed text maps to the next kept byte.
    pub fn from_source(&self, pos: usize) -> usize {
        for s in &self.segs {
            if pos < s.source {
                return s.logical;
            }
            if pos <= s.source + s.len {
                return s.logical + (pos - s.source);
            }
        }
        self.text.len()
    }

    /// The sub-text `range` with its own map.
    pub fn slice(&self, range: TextRange) -> Logical {
        let mut out = Logical::at(self.to_source(range.start));
        for s in &self.segs {
            let a = s.logical.max(range.start);
            let b = (s.logical + s.len).min(range.end);
            if a < b {
                out.segs.push(Seg {
                    logical: a - range.start,
                    source: s.source + (a - s.logical),
                    len: b - a,
                });
            }
        }
        out.text = self.text[range].to_string();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_across_removed_continuations() {
        let src = "RUN a \\\n  # c\n  b\n";
        let mut l = Logical::default();
        l.push(src, 0..6);
        l.push(src, 14..17);
        assert_eq!(l.text, "RUN a   b");
        let b = l.text.find('b').unwrap();
        assert_eq!(&src[l.range_to_source(b..b + 1)], "b");
        assert_eq!(l.range_to_source(0..l.text.len()), 0..17);
        assert_eq!(l.from_source(16), b);
        let s = l.slice(4..9);
        assert_eq!(s.text, "a   b");
        assert_eq!(s.to_source(4), 16);
    }
}
