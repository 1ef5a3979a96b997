//! The fix vocabulary rules build with: edits, fixes and their applicability, edit builders.
//!
//! It depends only on the source, syntax, model and shell layers; applying fixes to a fixed
//! point is the engine's ([`crate::engine::converge`]).

pub mod edits;

use crate::source::TextRange;

/// How sure a fix is to keep the Dockerfile's meaning; fixed when the fix is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// Keeps the meaning: `--fix` applies it.
    Safe,
    /// May change behaviour: needs `--unsafe-fixes`.
    Unsafe,
    /// Shown as a suggestion, never applied.
    DisplayOnly,
}

/// Replace `range` of the (BOM-less) source text with `content`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Edit {
    pub range: TextRange,
    pub content: String,
}

impl Edit {
    pub fn replace(range: TextRange, content: impl Into<String>) -> Edit {
        Edit {
            range,
            content: content.into(),
        }
    }

    pub fn insert(at: usize, content: impl Into<String>) -> Edit {
        Edit::replace(at..at, content)
    }

    pub fn delete(range: TextRange) -> Edit {
        Edit::replace(range, "")
    }
}

/// A set of edits that resolves one diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// Imperative: "add `AS builder`".
    pub title: String,
    pub applicability: Applicability,
    /// Sorted, non-overlapping.
    pub edits: Vec<Edit>,
    /// Adds, removes or reorders instructions (the multi-stage conversion): the fix loop then
    /// only requires that the file parses no worse.
    pub restructures: bool,
    /// Replaces an instruction by one of another keyword (`MAINTAINER` -> `LABEL`): the fix
    /// loop then accepts the new keyword, but still no instruction added or removed.
    pub rewrites_keyword: bool,
    /// Deletes whole instructions (one that a later one overrides): the fix loop then accepts
    /// a result whose instructions are the input's with some left out, none added or changed.
    pub removes_instructions: bool,
}

impl Fix {
    pub fn new(
        title: impl Into<String>,
        applicability: Applicability,
        mut edits: Vec<Edit>,
    ) -> Fix {
        edits.sort_by_key(|e| (e.range.start, e.range.end));
        Fix {
            title: title.into(),
            applicability,
            edits,
            restructures: false,
            rewrites_keyword: false,
            removes_instructions: false,
        }
    }

    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix::new(title, Applicability::Safe, edits)
    }

    pub fn unsafe_(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix::new(title, Applicability::Unsafe, edits)
    }

    /// Mark a fix that changes the instruction sequence.
    pub fn restructuring(mut self) -> Fix {
        self.restructures = true;
        self
    }

    /// Mark a fix that replaces an instruction's keyword.
    pub fn rewriting_keyword(mut self) -> Fix {
        self.rewrites_keyword = true;
        self
    }

    /// Mark a fix that deletes whole instructions.
    pub fn removing_instructions(mut self) -> Fix {
        self.removes_instructions = true;
        self
    }

    /// Whether `--fix` (and `--unsafe-fixes` when `unsafe_ok`) applies this fix.
    pub fn applies(&self, unsafe_ok: bool) -> bool {
        match self.applicability {
            Applicability::Safe => true,
            Applicability::Unsafe => unsafe_ok,
            Applicability::DisplayOnly => false,
        }
    }

    /// Smallest range covering all edits.
    pub fn span(&self) -> TextRange {
        let start = self.edits.iter().map(|e| e.range.start).min().unwrap_or(0);
        let end = self.edits.iter().map(|e| e.range.end).max().unwrap_or(0);
        start..end
    }
}

/// Apply sorted, non-overlapping edits to `text`.
pub fn apply_edits(text: &str, edits: &[&Edit]) -> String {
    let mut sorted: Vec<&Edit> = edits.to_vec();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len() + 64);
    let mut last = 0;
    for e in sorted {
        if e.range.start < last || e.range.end > text.len() {
            continue;
        }
        out.push_str(&text[last..e.range.start]);
        out.push_str(&e.content);
        last = e.range.end;
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_apply_in_order() {
        let a = Edit::insert(4, " [");
        let b = Edit::replace(0..3, "CMD");
        let c = Edit::delete(8..9);
        assert_eq!(apply_edits("cmd x y z", &[&a, &b, &c]), "CMD  [x y ");
    }
}
