//! `.dockerignore` files as Docker reads them: which paths of the build context they exclude.
//!
//! Written from Docker's documentation of the format: a line starting with `#` (in the first
//! column) is a comment; every other line is trimmed, an `!` makes it an exception, and the
//! pattern is cleaned as Go's `filepath.Clean` cleans it, without a leading `/`, so `/foo`,
//! `./foo` and `foo/` all mean `foo`. A pattern is a glob in the form of Go's `filepath.Match`
//! (`*` and `?` stop at `/`, `[...]` is a class negated by `^`, `\` escapes) extended with `**`,
//! which matches any number of directories, none included (`**/*.go`), and anything when it
//! ends the pattern (`vendor/**`). A pattern matches a path when it matches the path or one of
//! the directories above it, so `node_modules` excludes everything in it, and the last pattern
//! that matches decides, so a later `!` line takes a path back.

/// Most patterns read from one file; the rest are left out (a file that long is not written
/// by hand).
const MAX_PATTERNS: usize = 10_000;

/// Longest pattern compiled; longer ones match nothing.
const MAX_PATTERN_LEN: usize = 4096;

/// One line of a `.dockerignore`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// The line as written, trimmed.
    pub text: String,
    /// 1-based line in the file.
    pub line: usize,
    /// An `!` exception: what it matches is sent after all.
    pub exception: bool,
    tokens: Option<Vec<Token>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Char(char),
    /// `?`: one character other than `/`.
    One,
    /// `*`: any run of characters other than `/`.
    Star,
    /// `**` inside a pattern: nothing, or anything ending with `/`.
    Dirs,
    /// `**` at the end: anything.
    Rest,
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
}

/// The patterns of a `.dockerignore` file, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ignore {
    pub patterns: Vec<Pattern>,
}

impl Ignore {
    pub fn parse(text: &str) -> Ignore {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut patterns = Vec::new();
        for (n, line) in text.lines().enumerate() {
            if patterns.len() >= MAX_PATTERNS {
                break;
            }
            if line.starts_with('#') {
                continue;
            }
            let trimmed = line.trim();
            if trimmed.is_empty() {
                continue;
            }
            let (exception, body) = match trimmed.strip_prefix('!') {
                Some(rest) => (true, rest.trim()),
                None => (false, trimmed),
            };
            let cleaned = clean(body);
            let cleaned = match cleaned.strip_prefix('/') {
                Some(rest) if !rest.is_empty() => rest.to_string(),
                _ => cleaned,
            };
            patterns.push(Pattern {
                text: trimmed.to_string(),
                line: n + 1,
                exception,
                tokens: compile(&cleaned),
            });
        }
        Ignore { patterns }
    }

    /// The pattern that decides `path` (relative to the context root, `/`-separated, cleaned):
    /// the last one matching it or a directory above it; `None` when none does. `budget`
    /// counts matching steps; `Err` when it runs out before the answer is known.
    pub fn decisive(
        &self,
        path: &str,
        budget: &mut Budget,
    ) -> Result<Option<&Pattern>, OutOfBudget> {
        let parents: Vec<&str> = path
            .match_indices('/')
            .map(|(i, _)| &path[..i])
            .filter(|p| !p.is_empty())
            .collect();
        for p in self.patterns.iter().rev() {
            let Some(tokens) = &p.tokens else {
                continue;
            };
            for candidate in std::iter::once(path).chain(parents.iter().copied()) {
                budget.charge(tokens.len().saturating_mul(candidate.len() + 1))?;
                if matches(tokens, candidate) {
                    return Ok(Some(p));
                }
            }
        }
        Ok(None)
    }

    /// The pattern excluding `path`, when it is excluded (see [`Ignore::decisive`]).
    pub fn excluding(
        &self,
        path: &str,
        budget: &mut Budget,
    ) -> Result<Option<&Pattern>, OutOfBudget> {
        Ok(self.decisive(path, budget)?.filter(|p| !p.exception))
    }
}

/// Matching steps left: bounds the work one Dockerfile's sources cost against one file,
/// however many patterns and sources there are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget(pub usize);

/// The budget ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfBudget;

impl Budget {
    /// Enough for a few hundred sources against a few hundred patterns.
    pub const DEFAULT: Budget = Budget(50_000_000);

    fn charge(&mut self, steps: usize) -> Result<(), OutOfBudget> {
        self.0 = self.0.checked_sub(steps).ok_or(OutOfBudget)?;
        Ok(())
    }
}

/// Go's `filepath.Clean` for `/`-separated paths.
pub fn clean(path: &str) -> String {
    if path.is_empty() {
        return ".".into();
    }
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            s => parts.push(s),
        }
    }
    let body = parts.join("/");
    match (rooted, body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => ".".into(),
        (false, false) => body,
    }
}

/// The tokens of a cleaned pattern; `None` for a pattern Docker rejects (an unterminated
/// class) or one too long to compile.
fn compile(pattern: &str) -> Option<Vec<Token>> {
    if pattern.len() > MAX_PATTERN_LEN {
        return None;
    }
    let mut out = Vec::new();
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' if chars.peek() == Some(&'*') => {
                chars.next();
                if chars.peek() == Some(&'/') {
                    chars.next();
                }
                out.push(if chars.peek().is_none() {
                    Token::Rest
                } else {
                    Token::Dirs
                });
            }
            '*' => out.push(Token::Star),
            '?' => out.push(Token::One),
            '\\' => out.push(Token::Char(chars.next().unwrap_or('\\'))),
            '[' => {
                let negated = chars.peek() == Some(&'^');
                if negated {
                    chars.next();
                }
                let mut ranges = Vec::new();
                let mut closed = false;
                while let Some(c) = chars.next() {
                    let lo = match c {
                        ']' if !ranges.is_empty() => {
                            closed = true;
                            break;
                        }
                        '\\' => chars.next()?,
                        c => c,
                    };
                    let hi = if chars.peek() == Some(&'-') {
                        chars.next();
                        match chars.next()? {
                            '\\' => chars.next()?,
                            ']' => return None,
                            h => h,
                        }
                    } else {
                        lo
                    };
                    if hi < lo {
                        return None;
                    }
                    ranges.push((lo, hi));
                }
                if !closed {
                    return None;
                }
                out.push(Token::Class { negated, ranges });
            }
            c => out.push(Token::Char(c)),
        }
    }
    Some(out)
}

/// Whether the tokens match the whole of `text`: a table of which (token, position) pairs can
/// still match, so a pattern of `p` tokens costs at most `p × text` steps.
fn matches(tokens: &[Token], text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    // reach[i]: the pattern so far can end at position i.
    let mut reach = vec![false; n + 1];
    reach[0] = true;
    for t in tokens {
        let mut next = vec![false; n + 1];
        match t {
            Token::Star => {
                let mut on = false;
                for i in 0..=n {
                    on = reach[i] || (on && chars[i - 1] != '/');
                    next[i] = on;
                }
            }
            Token::Rest => {
                let mut on = false;
                for i in 0..=n {
                    on |= reach[i];
                    next[i] = on;
                }
            }
            Token::Dirs => {
                // Nothing, or anything up to and including a `/`.
                let mut on = false;
                for i in 0..=n {
                    next[i] = reach[i] || (on && i > 0 && chars[i - 1] == '/');
                    on |= reach[i];
                }
            }
            single => {
                for i in 0..n {
                    if reach[i] && one(single, chars[i]) {
                        next[i + 1] = true;
                    }
                }
            }
        }
        reach = next;
        if !reach.iter().any(|&r| r) {
            return false;
        }
    }
    reach[n]
}

/// Whether a one-character token matches `c`.
fn one(t: &Token, c: char) -> bool {
    match t {
        Token::Char(x) => *x == c,
        Token::One => c != '/',
        Token::Class { negated, ranges } => {
            c != '/' && ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&c)) != *negated
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn excluded(ignore: &str, path: &str) -> bool {
        let mut b = Budget::DEFAULT;
        Ignore::parse(ignore)
            .excluding(path, &mut b)
            .unwrap()
            .is_some()
    }

    #[test]
    fn patterns_are_cleaned() {
        for p in [
            "/top.log",
            "./top.log",
            "top.log/",
            "a/../top.log",
            "  top.log  ",
        ] {
            assert!(excluded(p, "top.log"), "{p}");
        }
        assert!(!excluded("../top.log", "top.log"));
        assert!(!excluded(" # not a comment", "top.log"));
        assert!(excluded(" # x", "# x"));
        assert!(!excluded("# top.log", "top.log"));
        assert!(!excluded(".", "x"));
        assert!(!excluded("/", "x"));
        assert_eq!(clean("a//b/./c/.."), "a/b");
        assert_eq!(clean("/../a"), "/a");
        assert_eq!(clean("../../a"), "../../a");
        assert_eq!(clean("./"), ".");
    }

    #[test]
    fn globs_stay_within_a_segment() {
        assert!(excluded("*.log", "a.log"));
        assert!(!excluded("*.log", "d/a.log"));
        assert!(excluded("*/tmp/*", "x/tmp/y"));
        assert!(!excluded("*/tmp/*", "tmp/y"));
        assert!(excluded("d?.txt", "d1.txt"));
        assert!(!excluded("d?.txt", "d/.txt"));
        assert!(excluded("[a-c]x", "bx"));
        assert!(!excluded("[^a-c]x", "bx"));
        assert!(excluded("[^a-c]x", "dx"));
        assert!(excluded("[!a]x", "!x"));
        assert!(excluded("\\*x", "*x"));
        assert!(!excluded("\\*x", "ax"));
        // An unterminated class is a bad pattern: it matches nothing.
        assert!(!excluded("[ab", "a"));
        assert!(!excluded("[ab", "[ab"));
    }

    #[test]
    fn double_stars_cross_directories() {
        assert!(excluded("**/*.go", "main.go"));
        assert!(excluded("**/*.go", "a/b/main.go"));
        assert!(!excluded("**/*.go", "a/b/main.rs"));
        assert!(excluded("a/**/z", "a/z"));
        assert!(excluded("a/**/z", "a/b/c/z"));
        assert!(excluded("vendor/**", "vendor/x/y"));
        assert!(excluded("**", "anything/at/all"));
        // `**` inside a segment: nothing, or directories.
        assert!(excluded("a**b", "ab"));
        assert!(excluded("a**b", "ax/b"));
        assert!(!excluded("a**b", "axb"));
    }

    #[test]
    fn directories_exclude_their_content_and_the_last_match_decides() {
        let ig = "build\n!build/keep\nnode_modules/\n*.md\n!README.md\n";
        assert!(excluded(ig, "build"));
        assert!(excluded(ig, "build/out"));
        assert!(!excluded(ig, "build/keep"));
        assert!(!excluded(ig, "build/keep/k"));
        assert!(excluded(ig, "node_modules/x/i"));
        assert!(excluded(ig, "CHANGES.md"));
        assert!(!excluded(ig, "README.md"));
        assert!(!excluded(ig, "docs/CHANGES.md"));
        let ig = "*\n!src\n";
        assert!(!excluded(ig, "src/a/b.go"));
        assert!(excluded(ig, "go.mod"));
        // An exception before the pattern it would undo does nothing.
        assert!(excluded("!a\na\n", "a"));
        let ig = Ignore::parse("\u{feff}x\r\n# c\r\ny\r\n");
        assert_eq!(ig.patterns.len(), 2);
        let mut b = Budget::DEFAULT;
        assert_eq!(ig.excluding("y", &mut b).unwrap().map(|p| p.line), Some(3));
    }

    #[test]
    fn matching_is_bounded() {
        let pattern = "*a".repeat(200);
        let text = "a".repeat(3000);
        assert!(matches(&compile(&pattern).unwrap(), &text));
        assert!(!matches(&compile(&format!("{pattern}b")).unwrap(), &text));
        let many = format!("{pattern}b\n").repeat(MAX_PATTERNS);
        let ig = Ignore::parse(&many);
        assert_eq!(ig.patterns.len(), MAX_PATTERNS);
        let mut budget = Budget(5_000_000);
        assert_eq!(ig.decisive(&text, &mut budget), Err(OutOfBudget));
    }
}
