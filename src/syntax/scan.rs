//! BuildKit's line structure: parser directives, comments, continuation lines and heredocs.
//!
//! This pass decides where each instruction starts and ends exactly as BuildKit does; the
//! tree-sitter grammar is then asked about each instruction's contents.

use super::lex;
use super::logical::Logical;
use crate::source::TextRange;

/// A parser directive at the top of the file (`# syntax=`, `# escape=`, `# check=`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Directive {
    pub name: String,
    pub value: String,
    #[serde(skip)]
    pub range: TextRange,
    pub line: usize,
}

/// A heredoc attached to an instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawHeredoc {
    pub opener: lex::HeredocOpener,
    /// The body, each line followed by `\n`, mapped to the source.
    pub content: Logical,
    /// Source range of the terminator line, `None` when the heredoc is unterminated.
    pub terminator: Option<TextRange>,
}

/// One instruction as BuildKit delimits it.
#[derive(Debug, Clone)]
pub struct RawInstruction {
    /// The joined instruction line.
    pub line: Logical,
    /// The joined line followed by each heredoc's lines (what tree-sitter and bash are given).
    pub full: Logical,
    pub heredocs: Vec<RawHeredoc>,
    pub start_line: usize,
    pub end_line: usize,
    pub range: TextRange,
}

/// A problem BuildKit itself reports while splitting lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanError {
    pub range: TextRange,
    pub message: String,
}

#[derive(Debug, Default)]
pub struct Scan {
    pub escape: char,
    pub directives: Vec<Directive>,
    pub instructions: Vec<RawInstruction>,
    pub comments: Vec<TextRange>,
    pub errors: Vec<ScanError>,
}

struct Line {
    start: usize,
    /// End of the content, without `\r\n` / `\n`.
    end: usize,
}

fn split_lines(text: &str) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            let end = if i > start && text.as_bytes()[i - 1] == b'\r' {
                i - 1
            } else {
                i
            };
            lines.push(Line { start, end });
            start = i + 1;
        }
    }
    if start < text.len() {
        let end = if text.ends_with('\r') {
            text.len() - 1
        } else {
            text.len()
        };
        lines.push(Line { start, end });
    }
    lines
}

const DIRECTIVES: [&str; 3] = ["syntax", "escape", "check"];

/// Parse `#\s*name\s*=\s*value\s*` (BuildKit's directive pattern).
fn directive(line: &str) -> Option<(String, String)> {
    let rest = line.strip_prefix('#')?.trim_start();
    let name_len = rest
        .char_indices()
        .take_while(|(i, c)| {
            if *i == 0 {
                c.is_ascii_alphabetic()
            } else {
                c.is_ascii_alphanumeric()
            }
        })
        .count();
    if name_len == 0 {
        return None;
    }
    let name = &rest[..name_len];
    let value = rest[name_len..].trim_start().strip_prefix('=')?.trim();
    if value.is_empty() {
        return None;
    }
    Some((name.to_ascii_lowercase(), value.to_string()))
}

/// BuildKit's continuation test: the escape character followed only by spaces/tabs.
fn trim_continuation(line: &str, escape: char) -> (&str, bool) {
    let trimmed = line.trim_end_matches([' ', '\t']);
    match trimmed.strip_suffix(escape) {
        // An escaped escape character (`\\`) at the end is not a continuation.
        Some(body) if !body.ends_with(escape) => (body, false),
        _ => (line, true),
    }
}

fn is_comment(line: &str) -> bool {
    line.trim_start().starts_with('#')
}

/// Longest physical line BuildKit reads, `\r` included (`dockerfile line greater than max
/// allowed size of 65535`).
pub const MAX_LINE: usize = 65_535;

pub fn scan(text: &str) -> Scan {
    let lines = split_lines(text);
    let mut out = Scan {
        escape: '\\',
        ..Scan::default()
    };
    for (n, l) in lines.iter().enumerate() {
        let len = l.end - l.start + usize::from(text[l.end..].starts_with('\r'));
        if len > MAX_LINE {
            out.errors.push(ScanError {
                range: l.start..l.start,
                message: format!(
                    "line {} is {len} bytes long: BuildKit refuses lines over {MAX_LINE} bytes",
                    n + 1
                ),
            });
        }
    }
    let mut directives_done = false;
    let mut i = 0;
    while i < lines.len() {
        let l = &lines[i];
        let content = &text[l.start..l.end];
        let lead = content.len() - content.trim_start().len();
        let trimmed = &content[lead..];
        if !directives_done {
            match directive(trimmed) {
                Some((name, value)) if DIRECTIVES.contains(&name.as_str()) => {
                    if out.directives.iter().any(|d| d.name == name) {
                        out.errors.push(ScanError {
                            range: l.start..l.end,
                            message: format!("only one `{name}` parser directive can be used"),
                        });
                    } else {
                        if name == "escape" {
                            match value.as_str() {
                                "\\" => out.escape = '\\',
                                "`" => out.escape = '`',
                                _ => out.errors.push(ScanError {
                                    range: l.start..l.end,
                                    message: format!(
                                        "invalid escape token `{value}`: it must be `\\` or `` ` ``"
                                    ),
                                }),
                            }
                        }
                        out.directives.push(Directive {
                            name,
                            value,
                            range: l.start..l.end,
                            line: i + 1,
                        });
                    }
                }
                _ => directives_done = true,
            }
        }
        i += 1;
        let start_line = i;
        let body = if trimmed.starts_with('#') {
            out.comments.push(l.start + lead..l.end);
            ""
        } else {
            trimmed
        };
        let (first, mut end_of_line) = trim_continuation(body, out.escape);
        if end_of_line && first.is_empty() {
            continue;
        }
        let first_start = l.start + lead;
        let mut line = Logical::at(first_start);
        line.push(text, first_start..first_start + first.len());
        let mut last_end = l.end;
        while !end_of_line && i < lines.len() {
            let c = &lines[i];
            let content = &text[c.start..c.end];
            i += 1;
            last_end = c.end;
            if is_comment(content) {
                let lead = content.len() - content.trim_start().len();
                out.comments.push(c.start + lead..c.end);
                continue;
            }
            if content.trim_start().is_empty() {
                continue;
            }
            let (part, eol) = trim_continuation(content, out.escape);
            line.push(text, c.start..c.start + part.len());
            end_of_line = eol;
        }
        let mut full = line.clone();
        let mut heredocs = Vec::new();
        if can_contain_heredoc(&line.text) {
            for opener in lex::heredoc_openers(&line.text) {
                let mut content = Logical::at(last_end);
                let mut terminator = None;
                // Each content line's line break is added once the next line shows the heredoc
                // goes on: an unterminated heredoc's last line ends at the instruction's end (it
                // may end the file without a line break), not past it.
                let mut pending_newline: Option<usize> = None;
                while i < lines.len() {
                    let h = &lines[i];
                    let raw = &text[h.start..h.end];
                    i += 1;
                    full.push_newline(last_end);
                    full.push(text, h.start..h.end);
                    last_end = h.end;
                    let candidate = if opener.chomp {
                        raw.trim_start_matches('\t')
                    } else {
                        raw
                    };
                    if let Some(at) = pending_newline.take() {
                        content.push_newline(at);
                    }
                    if candidate == opener.name {
                        terminator = Some(h.start..h.end);
                        break;
                    }
                    content.push(text, h.start..h.end);
                    pending_newline = Some(h.end);
                }
                if terminator.is_none() {
                    out.errors.push(ScanError {
                        range: line.range_to_source(opener.range.clone()),
                        message: format!("unterminated heredoc `{}`", opener.name),
                    });
                }
                heredocs.push(RawHeredoc {
                    opener,
                    content,
                    terminator,
                });
            }
        }
        out.instructions.push(RawInstruction {
            range: first_start..last_end,
            line,
            full,
            heredocs,
            start_line,
            end_line: i,
        });
    }
    out
}

/// The joined line of the instruction whose source is `range` (it starts at the keyword), as
/// [`scan`] joins it: continuation lines joined, comment and empty lines inside it left out,
/// heredoc lines not included. For rules that need the exact text BuildKit reads where the
/// model keeps only ranges (the value of a legacy `ENV key value`).
pub fn joined_line(text: &str, range: TextRange, escape: char) -> Logical {
    let start = range.start.min(text.len());
    let end = range.end.clamp(start, text.len());
    let mut line = Logical::at(start);
    let Some(slice) = text.get(start..end) else {
        return line;
    };
    let mut lines = split_lines(slice).into_iter().map(|l| Line {
        start: l.start + start,
        end: l.end + start,
    });
    let Some(first) = lines.next() else {
        return line;
    };
    let (body, mut end_of_line) = trim_continuation(&text[first.start..first.end], escape);
    line.push(text, first.start..first.start + body.len());
    for c in lines {
        if end_of_line {
            break;
        }
        let content = &text[c.start..c.end];
        if is_comment(content) || content.trim_start().is_empty() {
            continue;
        }
        let (part, eol) = trim_continuation(content, escape);
        line.push(text, c.start..c.start + part.len());
        end_of_line = eol;
    }
    line
}

/// The whitespace-only lines inside the continuation of the instruction that starts at byte
/// `start` (BuildKit skips them and warns: "empty continuation line"), each as its whole line,
/// line break included. Comment lines inside the continuation are not empty; the lines of a
/// heredoc body come after the continuation and are never counted.
pub fn empty_continuation_lines(text: &str, start: usize, escape: char) -> Vec<TextRange> {
    let mut out = Vec::new();
    let Some(rest) = text.get(start..) else {
        return out;
    };
    let mut offset = start;
    let mut first = true;
    for raw in rest.split_inclusive('\n') {
        let line_start = offset;
        offset += raw.len();
        let content = raw.strip_suffix('\n').unwrap_or(raw);
        let content = content.strip_suffix('\r').unwrap_or(content);
        if first {
            first = false;
        } else if is_comment(content) {
            continue;
        } else if content.trim_start().is_empty() {
            out.push(line_start..offset);
            continue;
        }
        if trim_continuation(content, escape).1 {
            break;
        }
    }
    out
}

/// RUN, COPY and ADD in shell form (also under ONBUILD) may carry heredocs.
fn can_contain_heredoc(line: &str) -> bool {
    if !line.contains("<<") {
        return false;
    }
    let (kw, rest) = lex::split_keyword(line);
    let mut kw = line[kw].to_ascii_lowercase();
    let mut args_from = rest;
    if kw == "onbuild" {
        let (sub, sub_rest) = lex::split_keyword(&line[rest..]);
        kw = line[rest..][sub].to_ascii_lowercase();
        args_from = rest + sub_rest;
    }
    if !matches!(kw.as_str(), "run" | "copy" | "add") {
        return false;
    }
    let (_, args) = lex::extract_flags(line, args_from);
    lex::json_array(line, args).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<(usize, usize, String)> {
        scan(text)
            .instructions
            .iter()
            .map(|i| (i.start_line, i.end_line, i.line.text.clone()))
            .collect()
    }

    #[test]
    fn continuation_comments_and_empty_lines_are_skipped() {
        let got = lines("FROM a\nRUN a \\\n  # c\n\n  b\n");
        assert_eq!(got[1], (2, 5, "RUN a   b".to_string()));
    }

    #[test]
    fn joined_line_reads_one_instruction_again() {
        for (text, escape) in [
            ("FROM a\nENV A \\\n  # c\n\n  b \\\r\n  c\nRUN x\n", '\\'),
            ("# escape=`\nFROM a\nENV A `\n b\n", '`'),
            ("FROM a\nLABEL x y", '\\'),
        ] {
            let s = scan(text);
            let raw = &s.instructions[1];
            let again = joined_line(text, raw.range.clone(), escape);
            assert_eq!(again.text, raw.line.text);
            let n = again.text.len();
            assert_eq!(again.range_to_source(0..n), raw.line.range_to_source(0..n));
        }
    }

    #[test]
    fn escape_directive_changes_continuation() {
        let s = scan("# escape=`\nFROM a\nRUN a `\n b\n");
        assert_eq!(s.escape, '`');
        assert_eq!(s.instructions[1].line.text, "RUN a  b");
        assert_eq!(s.directives[0].name, "escape");
    }

    #[test]
    fn escaped_escape_is_not_a_continuation() {
        assert_eq!(lines("ENV C a\\\\\nENV D x\n").len(), 2);
        assert_eq!(lines("ENV C a\\\\\\\nENV D x\n").len(), 2);
        assert_eq!(lines("ENV C \\\nENV D x\n").len(), 1);
    }

    #[test]
    fn directives_end_at_first_other_line() {
        let s = scan("\n# escape=`\nFROM a\n");
        assert!(s.directives.is_empty());
        assert_eq!(s.escape, '\\');
    }

    #[test]
    fn heredocs_extend_the_instruction() {
        let s = scan("RUN <<EOF cat <<-END\r\necho\r\nEOF\r\n\tx\r\n\tEND\r\nFROM a\n");
        let r = &s.instructions[0];
        assert_eq!((r.start_line, r.end_line), (1, 5));
        assert_eq!(r.heredocs[0].content.text, "echo\n");
        assert_eq!(r.heredocs[1].content.text, "\tx\n");
        assert_eq!(s.instructions[1].start_line, 6);
    }

    #[test]
    fn unterminated_heredoc_is_an_error() {
        let s = scan("RUN <<EOF\necho\n");
        assert_eq!(s.errors.len(), 1);
        assert_eq!(s.instructions[0].end_line, 2);
        // Its content stays inside the instruction, also when the file ends without a newline.
        for text in ["COPY <<o\n\n", "COPY <<o\nabc", "RUN <<A\r\nx\r\ny"] {
            let s = scan(text);
            let inst = &s.instructions[0];
            let c = &inst.heredocs[0].content;
            let r = c.range_to_source(0..c.text.len());
            assert!(
                r.end <= inst.range.end && r.end <= text.len(),
                "{text:?}: {r:?}"
            );
        }
    }

    #[test]
    fn lines_over_64_kib_are_refused_as_buildkit_does() {
        let at = |n: usize, end: &str| scan(&format!("FROM a\n{}{end}", "R".repeat(n))).errors;
        assert!(at(MAX_LINE, "\n").is_empty());
        assert!(at(MAX_LINE, "").is_empty());
        assert_eq!(at(MAX_LINE, "\r\n").len(), 1);
        assert_eq!(at(MAX_LINE + 1, "\n").len(), 1);
        assert!(at(MAX_LINE + 1, "")[0]
            .message
            .starts_with("line 2 is 65536 bytes long"));
    }

    #[test]
    fn an_instruction_of_only_a_continuation_is_where_it_is() {
        // BuildKit reads `\\` alone as an instruction with no keyword, on its own line.
        let s = scan("FROM a\n\\\n");
        let i = &s.instructions[1];
        assert_eq!((i.start_line, i.end_line), (2, 2));
        assert_eq!(i.line.to_source(0), 7);
    }

    #[test]
    fn empty_continuation_lines_are_whole_lines() {
        let text = "FROM a\nRUN a \\\n\n  # c\n \t\r\n  b \\\n\nRUN c \\\n\n";
        let at = |n: usize| {
            let start = scan(text).instructions[n].range.start;
            empty_continuation_lines(text, start, '\\')
                .into_iter()
                .map(|r| &text[r])
                .collect::<Vec<_>>()
        };
        assert!(at(0).is_empty());
        assert_eq!(at(1), ["\n", " \t\r\n", "\n", "\n"]);
        let s = scan("# escape=`\nFROM a\nRUN a `\n\n b\n");
        let start = s.instructions[1].range.start;
        let text = "# escape=`\nFROM a\nRUN a `\n\n b\n";
        assert_eq!(
            empty_continuation_lines(text, start, '`'),
            vec![26..27_usize]
        );
        assert!(empty_continuation_lines(text, start, '\\').is_empty());
    }

    #[test]
    fn json_form_has_no_heredocs() {
        let s = scan("RUN [\"<<EOF\"]\nFROM a\n");
        assert_eq!(s.instructions.len(), 2);
    }
}
