//! The only module that knows the Dockerfile grammar: tree-sitter-containerfile plus BuildKit-exact recovery.
//!
//! [`parse`] never fails. BuildKit's line rules ([`scan`]) decide where every instruction starts
//! and ends; tree-sitter parses the whole file once, and each instruction whose tree node lines
//! up with BuildKit and has no error is read from the tree. An instruction the grammar got wrong
//! (continuation lines starting with `[`, comments inside continuations, the backtick escape, ...)
//! is re-parsed alone from its joined logical line; if that still has errors, BuildKit's own
//! lexical rules ([`lex`]) read it. Every instruction records which way it was read.

pub mod lex;
pub mod logical;
pub mod scan;

use std::cell::RefCell;

use crate::source::TextRange;
pub use logical::Logical;
pub use scan::Directive;

/// Instruction keywords BuildKit knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Keyword {
    From,
    Run,
    Cmd,
    Entrypoint,
    Copy,
    Add,
    Env,
    Arg,
    Label,
    Expose,
    Volume,
    User,
    Workdir,
    Shell,
    Healthcheck,
    Stopsignal,
    Onbuild,
    Maintainer,
    Unknown,
}

impl Keyword {
    pub fn parse(s: &str) -> Keyword {
        match s.to_ascii_lowercase().as_str() {
            "from" => Keyword::From,
            "run" => Keyword::Run,
            "cmd" => Keyword::Cmd,
            "entrypoint" => Keyword::Entrypoint,
            "copy" => Keyword::Copy,
            "add" => Keyword::Add,
            "env" => Keyword::Env,
            "arg" => Keyword::Arg,
            "label" => Keyword::Label,
            "expose" => Keyword::Expose,
            "volume" => Keyword::Volume,
            "user" => Keyword::User,
            "workdir" => Keyword::Workdir,
            "shell" => Keyword::Shell,
            "healthcheck" => Keyword::Healthcheck,
            "stopsignal" => Keyword::Stopsignal,
            "onbuild" => Keyword::Onbuild,
            "maintainer" => Keyword::Maintainer,
            _ => Keyword::Unknown,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Keyword::From => "FROM",
            Keyword::Run => "RUN",
            Keyword::Cmd => "CMD",
            Keyword::Entrypoint => "ENTRYPOINT",
            Keyword::Copy => "COPY",
            Keyword::Add => "ADD",
            Keyword::Env => "ENV",
            Keyword::Arg => "ARG",
            Keyword::Label => "LABEL",
            Keyword::Expose => "EXPOSE",
            Keyword::Volume => "VOLUME",
            Keyword::User => "USER",
            Keyword::Workdir => "WORKDIR",
            Keyword::Shell => "SHELL",
            Keyword::Healthcheck => "HEALTHCHECK",
            Keyword::Stopsignal => "STOPSIGNAL",
            Keyword::Onbuild => "ONBUILD",
            Keyword::Maintainer => "MAINTAINER",
            Keyword::Unknown => "UNKNOWN",
        }
    }
}

/// A word of an instruction: `raw` as written (continuations removed), `value` with quotes
/// removed and escapes processed (variables are not expanded here).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub raw: String,
    pub value: String,
    pub range: TextRange,
}

/// A builder flag such as `--from=build` or `--mount=type=cache,target=/root/.cache`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    /// The flag as written (continuations removed), e.g. `--from=build`.
    pub raw: String,
    pub name: String,
    pub value: Option<String>,
    pub range: TextRange,
}

/// `key=value` of ENV, LABEL and ARG (value `None` for `ARG NAME`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    pub key: String,
    pub key_range: TextRange,
    pub value: Option<String>,
    pub value_range: Option<TextRange>,
    pub range: TextRange,
}

/// Shell-form text: the logical text the shell receives, mapped to source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShellText {
    pub logical: Logical,
    pub range: TextRange,
}

/// The arguments of an instruction, by form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Args {
    None,
    /// JSON (exec) form.
    Exec(Vec<Word>),
    /// Shell form (RUN, CMD, ENTRYPOINT, SHELL written wrongly).
    Shell(ShellText),
    Words(Vec<Word>),
    Pairs(Vec<Pair>),
    /// `HEALTHCHECK NONE` is `None`; `HEALTHCHECK CMD ...` holds the command's args.
    Healthcheck(Option<Box<Args>>),
}

/// A heredoc attached to RUN, COPY or ADD.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heredoc {
    pub name: String,
    pub chomp: bool,
    pub expand: bool,
    pub fd: u32,
    pub opener_range: TextRange,
    pub content: Logical,
    pub terminated: bool,
}

/// How an instruction's contents were read; see the module doc.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ParsedBy {
    Tree,
    Reparsed,
    Lexical,
}

/// One instruction, delimited as BuildKit delimits it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    pub keyword: Keyword,
    pub keyword_text: String,
    pub keyword_range: TextRange,
    /// Whole instruction including continuation and heredoc lines.
    pub range: TextRange,
    /// 1-based, as BuildKit counts them.
    pub start_line: usize,
    pub end_line: usize,
    pub flags: Vec<Flag>,
    pub args: Args,
    pub heredocs: Vec<Heredoc>,
    /// The instruction an ONBUILD carries.
    pub sub: Option<Box<Instruction>>,
    pub parsed_by: ParsedBy,
}

impl Instruction {
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(name))
    }

    pub fn is_exec_form(&self) -> bool {
        matches!(self.args, Args::Exec(_))
    }

    pub fn words(&self) -> &[Word] {
        match &self.args {
            Args::Words(w) | Args::Exec(w) => w,
            _ => &[],
        }
    }
}

/// Whether a syntax error stops `docker build` or only shows where the grammar needed help.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ErrorKind {
    /// BuildKit rejects the file.
    Build,
    /// The grammar had an error here that the BuildKit rules recovered from.
    Recovered,
    /// BuildKit builds it, but it goes past one of dlint's analysis limits (nesting, size):
    /// that part is not analysed.
    Limit,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub range: TextRange,
    pub message: String,
    pub kind: ErrorKind,
}

/// The parse of one file.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub escape: char,
    pub directives: Vec<Directive>,
    pub instructions: Vec<Instruction>,
    pub comments: Vec<TextRange>,
    pub errors: Vec<SyntaxError>,
}

thread_local! {
    static PARSER: RefCell<tree_sitter::Parser> = RefCell::new({
        let mut p = tree_sitter::Parser::new();
        p.set_language(&tree_sitter_containerfile::LANGUAGE.into())
            .expect("tree-sitter-containerfile is ABI-compatible with the linked tree-sitter");
        p
    });
}

fn ts_parse(text: &str) -> Option<tree_sitter::Tree> {
    PARSER.with(|p| {
        let mut p = p.borrow_mut();
        p.reset();
        // Back to the whole text after a ranged parse.
        p.set_included_ranges(&[]).ok()?;
        p.parse(text, None)
    })
}

/// Source bytes of instructions the grammar reads at once.
const CHUNK: usize = 64 * 1024;

/// Heredocs on one instruction beyond which the grammar is not asked (its heredoc scanner
/// slows down with many); BuildKit's rules read the instruction.
const MAX_TREE_HEREDOCS: usize = 64;

pub use scan::MAX_LINE;

/// Whether an instruction is kept away from the grammar.
fn hard(raw: &scan::RawInstruction) -> bool {
    raw.heredocs.len() > MAX_TREE_HEREDOCS || raw.range.len() > 16 * MAX_LINE
}

/// Row/column of byte offsets, moving forward through a text (for tree-sitter ranges).
struct RowCounter<'t> {
    text: &'t str,
    offset: usize,
    row: usize,
    line_start: usize,
}

impl<'t> RowCounter<'t> {
    fn new(text: &'t str) -> Self {
        RowCounter {
            text,
            offset: 0,
            row: 0,
            line_start: 0,
        }
    }

    /// The point of `offset`, which is at or after the last one asked for.
    fn point(&mut self, offset: usize) -> tree_sitter::Point {
        let offset = offset.min(self.text.len()).max(self.offset);
        for (i, b) in self.text.as_bytes()[self.offset..offset].iter().enumerate() {
            if *b == b'\n' {
                self.row += 1;
                self.line_start = self.offset + i + 1;
            }
        }
        self.offset = offset;
        tree_sitter::Point::new(self.row, offset - self.line_start)
    }
}

/// Parse only `range` of `text`; node offsets stay those of the whole text.
fn ts_parse_range(
    text: &str,
    range: TextRange,
    rows: &mut RowCounter,
) -> Option<tree_sitter::Tree> {
    let r = tree_sitter::Range {
        start_byte: range.start,
        end_byte: range.end,
        start_point: rows.point(range.start),
        end_point: rows.point(range.end),
    };
    PARSER.with(|p| {
        let mut p = p.borrow_mut();
        p.reset();
        p.set_included_ranges(&[r]).ok()?;
        p.parse(text, None)
    })
}

/// Parse only with tree-sitter (the benchmark's baseline for "parse alone").
pub fn tree_sitter_only(text: &str) -> usize {
    ts_parse(text).map_or(0, |t| t.root_node().child_count())
}

/// Parse a Dockerfile. Never fails: problems are in [`Parsed::errors`].
pub fn parse(text: &str) -> Parsed {
    let scan = scan::scan(text);
    let mut errors: Vec<SyntaxError> = scan
        .errors
        .iter()
        .map(|e| SyntaxError {
            range: e.range.clone(),
            message: e.message.clone(),
            kind: ErrorKind::Build,
        })
        .collect();
    // The grammar reads the file a chunk of whole instructions at a time, so the tree in
    // memory stays small whatever the file's size; an instruction whose tree node lines up
    // needs no re-parsing, and most do.
    let mut instructions = Vec::with_capacity(scan.instructions.len());
    let mut rows = RowCounter::new(text);
    let mut pending = &scan.instructions[..];
    while !pending.is_empty() {
        let mut take = 0;
        let start = pending[0].range.start;
        while take < pending.len()
            && (take == 0 || pending[take].range.end - start <= CHUNK)
            && !hard(&pending[take])
        {
            take += 1;
        }
        if take == 0 {
            // Too much for the grammar (thousands of heredocs, a line BuildKit refuses): read
            // by BuildKit's rules alone.
            instructions.push(build(&pending[0], None, scan.escape, &mut errors, false));
            pending = &pending[1..];
            continue;
        }
        let (chunk, rest) = pending.split_at(take);
        let range = start..chunk[take - 1].range.end;
        let tree = if scan.escape == '\\' {
            ts_parse_range(text, range.clone(), &mut rows)
        } else {
            None
        };
        let top: Vec<tree_sitter::Node> = tree
            .as_ref()
            .map(|t| {
                let root = t.root_node();
                let mut c = root.walk();
                root.named_children(&mut c)
                    .filter(|n| n.kind() != "comment")
                    .collect()
            })
            .unwrap_or_default();
        let mut next_node = 0;
        for raw in chunk {
            let kw_start = raw.line.to_source(0);
            while next_node < top.len() && top[next_node].start_byte() < kw_start {
                next_node += 1;
            }
            let whole = top
                .get(next_node)
                .filter(|n| n.start_byte() == kw_start && lines_up(n, text, raw));
            instructions.push(build(raw, whole.copied(), scan.escape, &mut errors, true));
        }
        pending = rest;
    }
    if instructions.is_empty() {
        errors.push(SyntaxError {
            range: 0..0,
            message: "the file has no instructions".into(),
            kind: ErrorKind::Build,
        });
    }
    Parsed {
        escape: scan.escape,
        directives: scan.directives,
        instructions,
        comments: scan.comments,
        errors,
    }
}

/// Does the whole-file tree node cover exactly the lines BuildKit gives this instruction?
fn lines_up(node: &tree_sitter::Node, text: &str, raw: &scan::RawInstruction) -> bool {
    if node.has_error() || !node.kind().ends_with("_instruction") {
        return false;
    }
    // Compare where the node's text and the instruction's text end, ignoring trailing blanks;
    // only the instruction's own bytes are looked at, so this stays linear over the file.
    let start = raw.range.start;
    let end = node.end_byte().min(text.len());
    if end < start || !text.is_char_boundary(end) {
        return false;
    }
    let node_end = start + text[start..end].trim_end().len();
    let inst_end = start + text[start..raw.range.end].trim_end().len();
    node_end == inst_end
}

/// Boundaries of an instruction's parts in logical (`raw.full`) coordinates.
#[derive(Debug)]
struct Shape {
    keyword: TextRange,
    flags: Vec<TextRange>,
    args: ShapeArgs,
    sub: Option<Box<Shape>>,
    /// A JSON array with non-string elements (BuildKit rejects it).
    bad_json: Option<TextRange>,
}

#[derive(Debug)]
enum ShapeArgs {
    None,
    Exec(Vec<TextRange>),
    Shell(usize),
    Words(Vec<TextRange>),
    Pairs(Vec<(TextRange, TextRange, Option<TextRange>)>),
    Healthcheck(Option<Box<ShapeArgs>>),
}

impl ShapeArgs {
    fn form(&self) -> u8 {
        match self {
            ShapeArgs::Exec(_) => 1,
            ShapeArgs::Shell(_) => 2,
            ShapeArgs::Healthcheck(Some(a)) => 10 + a.form(),
            _ => 0,
        }
    }
}

fn build(
    raw: &scan::RawInstruction,
    whole: Option<tree_sitter::Node>,
    escape: char,
    errors: &mut Vec<SyntaxError>,
    may_reparse: bool,
) -> Instruction {
    let line = &raw.line.text;
    let lexical = lex_shape(line, 0, escape);
    let mut bad = lexical.bad_json.clone();
    if let Some(sub) = &lexical.sub {
        bad = bad.or(sub.bad_json.clone());
    }
    if let Some(r) = bad {
        errors.push(SyntaxError {
            range: raw.line.range_to_source(r),
            message: "a JSON array of arguments must contain only strings".into(),
            kind: ErrorKind::Build,
        });
    }
    let mut parsed_by = ParsedBy::Tree;
    let from_tree = whole.and_then(|n| {
        let to_logical = |r: TextRange| raw.full.from_source(r.start)..raw.full.from_source(r.end);
        cst_shape(&n, &to_logical)
    });
    let shape = match from_tree.filter(|s| agrees(s, &lexical)) {
        Some(s) => s,
        None => {
            let reparsed = if may_reparse
                && escape == '\\'
                && Keyword::parse(&line[lexical.keyword.clone()]) != Keyword::Unknown
            {
                ts_parse(&raw.full.text).and_then(|t| {
                    let root = t.root_node();
                    let mut c = root.walk();
                    let first = root
                        .named_children(&mut c)
                        .find(|n| n.kind() != "comment")?;
                    if first.has_error()
                        || root.has_error()
                        || first.start_byte() != lexical.keyword.start
                    {
                        return None;
                    }
                    cst_shape(&first, &|r| r)
                })
            } else {
                None
            };
            match reparsed.filter(|s| agrees(s, &lexical)) {
                Some(s) => {
                    parsed_by = ParsedBy::Reparsed;
                    s
                }
                None => {
                    parsed_by = ParsedBy::Lexical;
                    lexical
                }
            }
        }
    };
    if parsed_by != ParsedBy::Tree
        && escape == '\\'
        && Keyword::parse(&line[shape.keyword.clone()]) != Keyword::Unknown
    {
        errors.push(SyntaxError {
            range: raw.range.clone(),
            message: format!(
                "the grammar did not parse this instruction cleanly; read it with BuildKit's rules ({})",
                if parsed_by == ParsedBy::Reparsed { "re-parsed alone" } else { "lexical" }
            ),
            kind: ErrorKind::Recovered,
        });
    }
    let mut inst = materialize(raw, &shape, escape, parsed_by);
    if inst.keyword == Keyword::Unknown {
        errors.push(SyntaxError {
            range: inst.keyword_range.clone(),
            message: format!("unknown instruction `{}`", inst.keyword_text),
            kind: ErrorKind::Build,
        });
    }
    if let Some(sub) = &inst.sub {
        if matches!(
            sub.keyword,
            Keyword::Onbuild | Keyword::From | Keyword::Maintainer
        ) {
            errors.push(SyntaxError {
                range: sub.keyword_range.clone(),
                message: format!(
                    "`{}` is not allowed as an ONBUILD trigger",
                    sub.keyword_text
                ),
                kind: ErrorKind::Build,
            });
        }
    } else if inst.keyword == Keyword::Onbuild {
        errors.push(SyntaxError {
            range: inst.keyword_range.clone(),
            message: "`ONBUILD` needs an instruction".into(),
            kind: ErrorKind::Build,
        });
    }
    for target in std::iter::once(&inst).chain(inst.sub.as_deref()) {
        for f in &target.flags {
            if !known_flag(target.keyword, &f.name) {
                errors.push(SyntaxError {
                    range: f.range.clone(),
                    message: format!("unknown flag `--{}` for `{}`", f.name, target.keyword_text),
                    kind: ErrorKind::Build,
                });
            }
        }
    }
    inst.heredocs = raw
        .heredocs
        .iter()
        .map(|h| Heredoc {
            name: h.opener.name.clone(),
            chomp: h.opener.chomp,
            expand: h.opener.expand,
            fd: h.opener.fd,
            opener_range: raw.line.range_to_source(h.opener.range.clone()),
            content: h.content.clone(),
            terminated: h.terminator.is_some(),
        })
        .collect();
    inst
}

/// Builder flags each instruction accepts (BuildKit's Dockerfile frontend, labs flags included).
fn known_flag(keyword: Keyword, name: &str) -> bool {
    let known: &[&str] = match keyword {
        Keyword::From => &["platform"],
        Keyword::Run => &["mount", "network", "security", "device"],
        Keyword::Copy => &["from", "chown", "chmod", "link", "parents", "exclude"],
        Keyword::Add => &[
            "chown",
            "chmod",
            "link",
            "checksum",
            "keep-git-dir",
            "exclude",
            "unpack",
        ],
        Keyword::Healthcheck => &[
            "interval",
            "timeout",
            "start-period",
            "start-interval",
            "retries",
        ],
        // Unknown instructions are reported as such.
        Keyword::Unknown => return true,
        _ => &[],
    };
    known.contains(&name.to_ascii_lowercase().as_str())
}

/// The tree's reading is used only where it means what BuildKit means.
fn agrees(tree: &Shape, lexical: &Shape) -> bool {
    let words = |s: &Shape| match &s.args {
        ShapeArgs::Words(w) => Some(w.len()),
        _ => None,
    };
    tree.keyword == lexical.keyword
        && words(tree) == words(lexical)
        && tree.flags.len() == lexical.flags.len()
        && tree.args.form() == lexical.args.form()
        && match (&tree.sub, &lexical.sub) {
            (Some(a), Some(b)) => agrees(a, b),
            (None, None) => true,
            _ => false,
        }
}

/// BuildKit's reading of a logical line starting at `from`.
fn lex_shape(line: &str, from: usize, escape: char) -> Shape {
    let (kw_rel, rest_rel) = lex::split_keyword(&line[from..]);
    let keyword = from + kw_rel.start..from + kw_rel.end;
    let rest = from + rest_rel;
    let (flags, args_start) = lex::extract_flags(line, rest);
    let flags = flags.into_iter().map(|f| f.range).collect();
    let kw = Keyword::parse(&line[keyword.clone()]);
    let words = |from: usize| -> Vec<TextRange> {
        lex::words(line, from, escape)
            .into_iter()
            .map(|w| w.range)
            .collect()
    };
    let whole_rest = |from: usize| -> Vec<TextRange> {
        let t = line[from..].trim();
        if t.is_empty() {
            Vec::new()
        } else {
            let s = from + (line[from..].len() - line[from..].trim_start().len());
            std::iter::once(s..s + t.len()).collect()
        }
    };
    let mut bad_json = None;
    let mut exec_or = |from: usize, shell: bool| -> ShapeArgs {
        match lex::json(line, from) {
            lex::Json::Strings(v) => ShapeArgs::Exec(v.into_iter().map(|(_, r)| r).collect()),
            lex::Json::NotStrings(r) => {
                bad_json = Some(r);
                ShapeArgs::None
            }
            lex::Json::No if line[from..].trim().is_empty() => ShapeArgs::None,
            lex::Json::No if shell => ShapeArgs::Shell(from),
            lex::Json::No => ShapeArgs::Words(words(from)),
        }
    };
    let mut sub = None;
    let args = match kw {
        Keyword::Run | Keyword::Cmd | Keyword::Entrypoint | Keyword::Shell => {
            exec_or(args_start, true)
        }
        Keyword::Copy | Keyword::Add | Keyword::Volume => exec_or(args_start, false),
        Keyword::Workdir | Keyword::User | Keyword::Stopsignal | Keyword::Maintainer => {
            ShapeArgs::Words(whole_rest(args_start))
        }
        Keyword::Env | Keyword::Label | Keyword::Arg => {
            ShapeArgs::Pairs(lex_pairs(line, args_start, escape, kw == Keyword::Arg))
        }
        Keyword::Healthcheck => {
            let w = words(args_start);
            match w.first() {
                Some(r) if line[r.clone()].eq_ignore_ascii_case("cmd") => {
                    ShapeArgs::Healthcheck(Some(Box::new(exec_or(r.end, true))))
                }
                Some(r) if line[r.clone()].eq_ignore_ascii_case("none") => {
                    ShapeArgs::Healthcheck(None)
                }
                _ => ShapeArgs::Words(w),
            }
        }
        Keyword::Onbuild => {
            // `ONBUILD ONBUILD` is an error; one level is all BuildKit reads.
            let nested = from > 0;
            if !nested && !line[args_start..].trim().is_empty() {
                sub = Some(Box::new(lex_shape(line, args_start, escape)));
            }
            ShapeArgs::None
        }
        _ => ShapeArgs::Words(words(args_start)),
    };
    Shape {
        keyword,
        flags,
        args,
        sub,
        bad_json,
    }
}

/// ENV/LABEL `k=v k2=v2`, the legacy `ENV k v w`, and ARG `name[=default]`.
fn lex_pairs(
    line: &str,
    from: usize,
    escape: char,
    is_arg: bool,
) -> Vec<(TextRange, TextRange, Option<TextRange>)> {
    let ws = lex::words(line, from, escape);
    let Some(first) = ws.first() else {
        return Vec::new();
    };
    if !is_arg && !line[first.range.clone()].contains('=') {
        let key = first.range.clone();
        let value_start = key.end + (line[key.end..].len() - line[key.end..].trim_start().len());
        let value_end = line.trim_end().len().max(value_start);
        let value = (value_start < value_end).then_some(value_start..value_end);
        return vec![(key.start..value_end.max(key.end), key, value)];
    }
    ws.into_iter()
        .map(|w| {
            let text = &line[w.range.clone()];
            match text.find('=') {
                Some(eq) => (
                    w.range.clone(),
                    w.range.start..w.range.start + eq,
                    Some(w.range.start + eq + 1..w.range.end),
                ),
                None => (w.range.clone(), w.range.clone(), None),
            }
        })
        .collect()
}

const NOT_ARGS: &[&str] = &[
    "param",
    "mount_param",
    "comment",
    "line_continuation",
    "heredoc_block",
];

/// The tree's reading of an instruction node; `to_logical` maps node byte ranges to `raw.full`.
fn cst_shape(
    node: &tree_sitter::Node,
    to_logical: &dyn Fn(TextRange) -> TextRange,
) -> Option<Shape> {
    let mut cursor = node.walk();
    let children: Vec<tree_sitter::Node> = node.children(&mut cursor).collect();
    let kw_node = children.first().filter(|c| !c.is_named())?;
    let keyword = to_logical(kw_node.byte_range());
    let flags = children
        .iter()
        .filter(|c| matches!(c.kind(), "param" | "mount_param"))
        .map(|c| to_logical(c.byte_range()))
        .collect();
    let named = |kind: &str| children.iter().find(|c| c.kind() == kind);
    let args_nodes: Vec<&tree_sitter::Node> = children[1..]
        .iter()
        .filter(|c| {
            (c.is_named() && !NOT_ARGS.contains(&c.kind())) || c.kind().eq_ignore_ascii_case("as")
        })
        .collect();
    let mut sub = None;
    let args = match node.kind() {
        "onbuild_instruction" => {
            let inner = children
                .iter()
                .find(|c| c.kind().ends_with("_instruction"))?;
            sub = Some(Box::new(cst_shape(inner, to_logical)?));
            ShapeArgs::None
        }
        "healthcheck_instruction" => match named("cmd_instruction") {
            Some(cmd) => ShapeArgs::Healthcheck(Some(Box::new(cst_shape(cmd, to_logical)?.args))),
            None if children
                .iter()
                .any(|c| c.kind().eq_ignore_ascii_case("none")) =>
            {
                ShapeArgs::Healthcheck(None)
            }
            None => return None,
        },
        "env_instruction" | "label_instruction" | "arg_instruction" => ShapeArgs::Pairs(
            args_nodes
                .iter()
                .map(|p| {
                    let key = p
                        .child_by_field_name("name")
                        .or_else(|| p.child_by_field_name("key"))
                        .map(|k| to_logical(k.byte_range()));
                    // `KEY=` has no value node: its value is the empty string after `=`.
                    let empty_after_eq = p
                        .child(p.child_count().saturating_sub(1))
                        .filter(|c| c.kind() == "=")
                        .map(|c| to_logical(c.end_byte()..c.end_byte()));
                    let value = p
                        .child_by_field_name("value")
                        .or_else(|| p.child_by_field_name("default"))
                        .map(|v| to_logical(v.byte_range()))
                        .or(empty_after_eq);
                    key.map(|k| (to_logical(p.byte_range()), k, value))
                })
                .collect::<Option<Vec<_>>>()?,
        ),
        // BuildKit reads the rest of the line as one string.
        "workdir_instruction"
        | "user_instruction"
        | "stopsignal_instruction"
        | "maintainer_instruction" => {
            // The grammar has no child nodes for some of these: take the text after the keyword.
            let r = to_logical(kw_node.end_byte()..node.end_byte());
            if r.is_empty() {
                ShapeArgs::None
            } else {
                ShapeArgs::Words(vec![r])
            }
        }
        _ => {
            if let Some(arr) = named("json_string_array") {
                let mut c = arr.walk();
                ShapeArgs::Exec(
                    arr.named_children(&mut c)
                        .map(|s| to_logical(s.byte_range()))
                        .collect(),
                )
            } else if let Some(sh) = named("shell_command") {
                ShapeArgs::Shell(to_logical(sh.byte_range()).start)
            } else if args_nodes.is_empty() {
                ShapeArgs::None
            } else {
                ShapeArgs::Words(
                    args_nodes
                        .iter()
                        .map(|n| to_logical(n.byte_range()))
                        .collect(),
                )
            }
        }
    };
    Some(Shape {
        keyword,
        flags,
        args,
        sub,
        bad_json: None,
    })
}

/// Turn boundaries into an [`Instruction`] with values and source ranges.
fn materialize(
    raw: &scan::RawInstruction,
    shape: &Shape,
    escape: char,
    parsed_by: ParsedBy,
) -> Instruction {
    let full = &raw.full;
    let text = &full.text;
    let line_len = raw.line.text.len();
    let src = |r: &TextRange| full.range_to_source(r.clone());
    let word = |r: &TextRange| {
        let r = r.start.min(text.len())..r.end.min(text.len());
        let lead = text[r.clone()].len() - text[r.clone()].trim_start().len();
        let r = r.start + lead..r.start + lead + text[r.start + lead..r.end].trim_end().len();
        let raw_text = text[r.clone()].to_string();
        Word {
            value: lex::unquote(&raw_text, escape),
            raw: raw_text,
            range: src(&r),
        }
    };
    let flags = shape
        .flags
        .iter()
        .map(|r| {
            let raw_text = text[r.clone()].to_string();
            let body = lex::unquote(raw_text.trim_start_matches("--"), escape);
            let (name, value) = match body.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (body.clone(), None),
            };
            Flag {
                raw: raw_text,
                name,
                value,
                range: src(r),
            }
        })
        .collect();
    fn args_of(
        a: &ShapeArgs,
        full: &Logical,
        line_len: usize,
        word: &dyn Fn(&TextRange) -> Word,
        src: &dyn Fn(&TextRange) -> TextRange,
        escape: char,
    ) -> Args {
        let text = &full.text;
        match a {
            ShapeArgs::None => Args::None,
            ShapeArgs::Exec(v) => Args::Exec(
                v.iter()
                    .map(|r| {
                        let mut w = word(r);
                        w.value = serde_json::from_str(&w.raw).unwrap_or(w.value);
                        w
                    })
                    .collect(),
            ),
            ShapeArgs::Shell(start) => {
                let start = (*start).min(text.len());
                // The shell text runs to the end of the joined line and over any heredoc lines.
                let end = if full.text.len() > line_len {
                    text.len()
                } else {
                    line_len
                };
                let end = end.max(start);
                let trimmed_end = start + text[start..end].trim_end().len();
                Args::Shell(ShellText {
                    logical: full.slice(start..trimmed_end),
                    range: src(&(start..trimmed_end)),
                })
            }
            ShapeArgs::Words(v) => Args::Words(v.iter().map(word).collect()),
            ShapeArgs::Pairs(v) => Args::Pairs(
                v.iter()
                    .map(|(whole, k, val)| Pair {
                        key: lex::unquote(&text[k.clone()], escape),
                        key_range: src(k),
                        value: val.as_ref().map(|r| lex::unquote(&text[r.clone()], escape)),
                        value_range: val.as_ref().map(src),
                        range: src(whole),
                    })
                    .collect(),
            ),
            ShapeArgs::Healthcheck(inner) => Args::Healthcheck(
                inner
                    .as_ref()
                    .map(|a| Box::new(args_of(a, full, line_len, word, src, escape))),
            ),
        }
    }
    let args = args_of(&shape.args, full, line_len, &word, &src, escape);
    let keyword_text = text[shape.keyword.clone()].to_string();
    let sub = shape.sub.as_ref().map(|s| {
        let mut inner = materialize(raw, s, escape, parsed_by);
        inner.range = src(&(s.keyword.start..text.len()));
        Box::new(inner)
    });
    Instruction {
        keyword: Keyword::parse(&keyword_text),
        keyword_text,
        keyword_range: src(&shape.keyword),
        range: raw.range.clone(),
        start_line: raw.start_line,
        end_line: raw.end_line,
        flags,
        args,
        heredocs: Vec::new(),
        sub,
        parsed_by,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_from_the_tree_when_it_lines_up() {
        let p = parse("FROM golang:1.22 AS build\nRUN --mount=type=cache,target=/x go build \\\n  -o /a\nCMD [\"/a\"]\n");
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert!(p.instructions.iter().all(|i| i.parsed_by == ParsedBy::Tree));
        let run = &p.instructions[1];
        assert_eq!(run.flags[0].name, "mount");
        let Args::Shell(sh) = &run.args else { panic!() };
        assert_eq!(sh.logical.text, "go build   -o /a");
        assert!(p.instructions[2].is_exec_form());
    }

    #[test]
    fn recovers_comment_inside_continuation() {
        let text = "FROM a\nRUN set -eux; \\\n# comment\n  [ -f x ] && echo y\n";
        let p = parse(text);
        let run = &p.instructions[1];
        assert_eq!((run.start_line, run.end_line), (2, 4));
        let Args::Shell(sh) = &run.args else { panic!() };
        assert_eq!(sh.logical.text, "set -eux;   [ -f x ] && echo y");
    }

    #[test]
    fn backtick_escape_is_read_lexically() {
        let p = parse("# escape=`\nFROM mcr.microsoft.com/windows/servercore\nRUN powershell -Command `\n    Write-Host hi\n");
        let run = &p.instructions[1];
        assert_eq!((run.start_line, run.end_line), (3, 4));
        assert_eq!(run.parsed_by, ParsedBy::Lexical);
    }

    #[test]
    fn pairs_and_onbuild() {
        let p = parse("ENV A=1 B=\"x y\"\nENV LEGACY a b c\nONBUILD COPY --from=x a b\n");
        let Args::Pairs(ps) = &p.instructions[0].args else {
            panic!()
        };
        assert_eq!(ps[1].value.as_deref(), Some("x y"));
        let Args::Pairs(ps) = &p.instructions[1].args else {
            panic!()
        };
        assert_eq!(ps[0].value.as_deref(), Some("a b c"));
        let sub = p.instructions[2].sub.as_ref().unwrap();
        assert_eq!(sub.keyword, Keyword::Copy);
        assert_eq!(sub.flag("from").unwrap().value.as_deref(), Some("x"));
    }

    #[test]
    fn unknown_instruction_and_empty_file() {
        let p = parse("FOO bar\n");
        assert!(p
            .errors
            .iter()
            .any(|e| e.message.contains("unknown instruction")));
        assert!(parse("").errors[0].message.contains("no instructions"));
    }
}
