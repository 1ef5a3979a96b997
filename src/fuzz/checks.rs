//! The properties the fuzz targets check, one function per target, each returning what broke.
//!
//! The targets in `fuzz_targets/` panic with the error; `src/tests/robustness.rs` includes this
//! file (`#[path]`) and runs every fixture under `testdata/fuzz/<target>/` through the same
//! function, so a minimized crash stays a regression test that fails the way the fuzzer saw it.
//! It depends on nothing but `dlint`, `serde_json` and std. The fix properties are a copy of
//! `src/tests/common/fixprops.rs` (the fuzz crate cannot depend on the test crate); keep the two
//! in step.

use std::io::BufReader;
use std::ops::Range;

use dlint::convert::BuildContext;
use dlint::model::Dockerfile;
use dlint::report::Format;
use dlint::source::SourceFile;
use dlint::syntax::{self, Args, ErrorKind, Instruction, Logical};
use dlint::Settings;
use dlint::{fix_source, FixOutcome};

/// What a check found wrong.
pub type Outcome = Result<(), String>;

/// Every rule enabled.
pub fn all_rules() -> Settings {
    Settings {
        rules: dlint::rules::RULES.to_vec(),
        ..Default::default()
    }
}

/// Every report format. The match makes a new format a compile error here until it is listed.
pub fn formats() -> [Format; 8] {
    match Format::Full {
        Format::Full
        | Format::Concise
        | Format::Json
        | Format::Sarif
        | Format::Github
        | Format::Gitlab
        | Format::Checkstyle
        | Format::Junit => {}
    }
    [
        Format::Full,
        Format::Concise,
        Format::Json,
        Format::Sarif,
        Format::Github,
        Format::Gitlab,
        Format::Checkstyle,
        Format::Junit,
    ]
}

/// `range` is ordered, inside `text`, and starts and ends on char boundaries.
fn in_text(text: &str, range: &Range<usize>, what: &str) -> Outcome {
    let ok = range.start <= range.end
        && range.end <= text.len()
        && text.is_char_boundary(range.start)
        && text.is_char_boundary(range.end);
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{what}: range {range:?} is not a char-aligned range of the {}-byte text",
            text.len()
        ))
    }
}

/// `inner` is a valid range of `text` inside `outer`.
fn within(text: &str, inner: &Range<usize>, outer: &Range<usize>, what: &str) -> Outcome {
    in_text(text, inner, what)?;
    if inner.start < outer.start || inner.end > outer.end {
        return Err(format!("{what}: range {inner:?} is outside its {outer:?}"));
    }
    Ok(())
}

/// Where a logical text's bytes come from in the source.
fn logical(text: &str, l: &Logical, outer: &Range<usize>, what: &str) -> Outcome {
    if l.text.is_empty() {
        return Ok(());
    }
    let r = l.range_to_source(0..l.text.len());
    within(text, &r, outer, what)
}

fn args(text: &str, a: &Args, outer: &Range<usize>, what: &str) -> Outcome {
    match a {
        Args::None | Args::Healthcheck(None) => Ok(()),
        Args::Exec(words) | Args::Words(words) => words
            .iter()
            .try_for_each(|w| within(text, &w.range, outer, &format!("{what} word {:?}", w.raw))),
        Args::Shell(s) => {
            within(text, &s.range, outer, &format!("{what} shell text"))?;
            logical(
                text,
                &s.logical,
                outer,
                &format!("{what} shell logical text"),
            )
        }
        Args::Pairs(pairs) => pairs.iter().try_for_each(|p| {
            let what = format!("{what} pair {:?}", p.key);
            within(text, &p.range, outer, &what)?;
            within(text, &p.key_range, &p.range, &format!("{what} key"))?;
            match &p.value_range {
                Some(v) => within(text, v, &p.range, &format!("{what} value")),
                None => Ok(()),
            }
        }),
        Args::Healthcheck(Some(inner)) => args(text, inner, outer, what),
    }
}

fn instruction(text: &str, inst: &Instruction, outer: &Range<usize>, what: &str) -> Outcome {
    let r = &inst.range;
    within(text, r, outer, what)?;
    within(text, &inst.keyword_range, r, &format!("{what} keyword"))?;
    for f in &inst.flags {
        within(text, &f.range, r, &format!("{what} flag {:?}", f.raw))?;
    }
    args(text, &inst.args, r, what)?;
    for h in &inst.heredocs {
        let what = format!("{what} heredoc {:?}", h.name);
        within(text, &h.opener_range, r, &format!("{what} opener"))?;
        logical(text, &h.content, r, &format!("{what} content"))?;
    }
    if inst.start_line == 0 || inst.start_line > inst.end_line {
        return Err(format!(
            "{what}: lines {}..{} (1-based)",
            inst.start_line, inst.end_line
        ));
    }
    match &inst.sub {
        Some(sub) => instruction(text, sub, r, &format!("{what} ONBUILD trigger")),
        None => Ok(()),
    }
}

/// Every range of the model is a char-aligned range of the text (instructions in order, their
/// parts inside them) and every index points at an instruction.
pub fn model_ranges(text: &str, model: &Dockerfile) -> Outcome {
    let whole = 0..text.len();
    let n = model.instructions.len();
    let mut previous_end = 0;
    for (i, inst) in model.instructions.iter().enumerate() {
        let what = format!("instruction {i} ({})", inst.keyword_text);
        instruction(text, inst, &whole, &what)?;
        if inst.range.start < previous_end {
            return Err(format!(
                "{what}: range {:?} starts before the previous instruction's end {previous_end}",
                inst.range
            ));
        }
        previous_end = inst.range.end;
        for m in dlint::model::mounts(inst) {
            within(text, &m.range, &inst.range, &format!("{what} mount"))?;
            if let Some(r) = &m.from_range {
                within(text, r, &m.range, &format!("{what} mount from="))?;
            }
        }
    }
    if model.contexts.len() != n {
        return Err(format!(
            "{} contexts for {n} instructions",
            model.contexts.len()
        ));
    }
    for d in &model.directives {
        in_text(text, &d.range, &format!("directive {:?}", d.name))?;
    }
    for c in &model.comments {
        in_text(text, c, "comment")?;
    }
    for e in &model.errors {
        in_text(text, &e.range, &format!("syntax error {:?}", e.message))?;
    }
    for s in &model.stages {
        let what = format!("stage {}", s.index);
        if s.from >= n || s.body.start > s.body.end || s.body.end > n {
            return Err(format!(
                "{what}: FROM {} and body {:?} of {n} instructions",
                s.from, s.body
            ));
        }
        let from = &model.instructions[s.from].range;
        if let Some(r) = &s.name_range {
            within(text, r, from, &format!("{what} name"))?;
        }
        if let Some(r) = &s.base_range {
            within(text, r, from, &format!("{what} base"))?;
        }
    }
    if let Some(&g) = model.global_args.iter().find(|&&g| g >= n) {
        return Err(format!("global ARG {g} of {n} instructions"));
    }
    for r in &model.stage_refs {
        let what = format!("stage reference {:?}", r.text);
        let Some(inst) = model.instructions.get(r.instruction) else {
            return Err(format!("{what}: instruction {} of {n}", r.instruction));
        };
        within(text, &r.range, &inst.range, &what)?;
    }
    Ok(())
}

/// `parse_model`: the model and the shell scripts of a text; every range valid.
pub fn parse_model(data: &[u8]) -> Outcome {
    let Ok(text) = std::str::from_utf8(data) else {
        return Ok(());
    };
    let source = SourceFile::new("Dockerfile", text);
    let model = dlint::analyze(&source);
    model_ranges(&source.text, &model)?;
    let scripts = dlint::shell::scripts(&model);
    if scripts.len() != model.instructions.len() {
        return Err(format!(
            "{} scripts for {} instructions",
            scripts.len(),
            model.instructions.len()
        ));
    }
    for (i, script) in scripts.iter().enumerate() {
        let Some(script) = script else { continue };
        let outer = &model.instructions[i].range;
        for (c, cmd) in script.commands.iter().enumerate() {
            let what = format!("instruction {i} command {c}");
            within(&source.text, &cmd.range, outer, &what)?;
            for w in &cmd.words {
                let what = format!("{what} word {:?} ({:?})", w.raw, w.span);
                within(&source.text, &w.range, outer, &what)?;
            }
        }
        if let Some(e) = &script.ending {
            within(&source.text, &(e.start..e.start), outer, "script ending")?;
        }
    }
    Ok(())
}

/// Diagnostics, labels and fix edits of a lint result are valid ranges of its text; a fix's
/// edits are sorted and do not overlap.
pub fn lint_ranges(result: &dlint::FileResult) -> Outcome {
    let text = &result.source.text;
    for d in &result.diagnostics {
        let what = format!("`{}` diagnostic {:?}", d.rule, d.message);
        in_text(text, &d.range, &what)?;
        for (r, label) in &d.labels {
            in_text(text, r, &format!("{what} label {label:?}"))?;
        }
        let Some(fix) = &d.fix else { continue };
        let mut end = 0;
        for e in &fix.edits {
            let what = format!("{what} fix {:?} edit", fix.title);
            in_text(text, &e.range, &what)?;
            if e.range.start < end {
                return Err(format!("{what} {:?} overlaps the edit before it", e.range));
            }
            end = e.range.end;
        }
    }
    Ok(())
}

/// Every report format renders; the JSON ones are JSON.
pub fn render_all(result: &dlint::FileResult) -> Outcome {
    for f in formats() {
        let out = dlint::report::render(std::slice::from_ref(result), f, false);
        if matches!(f, Format::Json | Format::Sarif | Format::Gitlab) {
            if let Err(e) = serde_json::from_str::<serde_json::Value>(&out) {
                return Err(format!("the {f:?} report is not JSON: {e}"));
            }
        }
    }
    Ok(())
}

/// `lint`: every rule; every range valid; every report format renders.
pub fn lint(data: &[u8]) -> Outcome {
    let Ok(text) = std::str::from_utf8(data) else {
        return Ok(());
    };
    let result = dlint::check_source("Dockerfile", text, &all_rules());
    lint_ranges(&result)?;
    render_all(&result)
}

fn build_errors(text: &str) -> usize {
    syntax::parse(text)
        .errors
        .iter()
        .filter(|e| e.kind == ErrorKind::Build)
        .count()
}

fn keywords(text: &str) -> Vec<String> {
    syntax::parse(text)
        .instructions
        .iter()
        .map(|i| i.keyword_text.to_ascii_uppercase())
        .collect()
}

/// The fixprops properties: converges; a second pass (same applicability) changes nothing; no
/// new BuildKit error; same instruction keywords unless restructured (then exactly one more
/// FROM) or instructions were removed (then fewer, the rest in order); no applicable fix left;
/// the BOM kept.
pub fn fix_properties(
    input: &str,
    outcome: &FixOutcome,
    settings: &Settings,
    unsafe_ok: bool,
) -> Outcome {
    if !outcome.converged {
        return Err(format!("did not converge; applied {:?}", outcome.applied));
    }
    let again = fix_source("Dockerfile", &outcome.fixed, settings, unsafe_ok);
    if again.changed() {
        return Err(format!(
            "not idempotent: a second pass applied {:?}, giving {:?}",
            again.applied, again.fixed
        ));
    }
    let (before, after) = (build_errors(input), build_errors(&outcome.fixed));
    if after > before {
        return Err(format!(
            "parse errors went from {before} to {after}: {:?}",
            outcome.fixed
        ));
    }
    if outcome.restructured {
        let froms = |t: &str| keywords(t).iter().filter(|k| *k == "FROM").count();
        if froms(&outcome.fixed) != froms(input) + 1 {
            return Err(format!(
                "a restructuring fix did not add exactly one stage: {:?}",
                outcome.fixed
            ));
        }
    } else if outcome.removed_instructions {
        // The instructions left are the input's, in order (any keyword when one was rewritten).
        let (before, after) = (keywords(input), keywords(&outcome.fixed));
        let mut rest = before.iter();
        let kept = after
            .iter()
            .all(|a| rest.by_ref().any(|b| outcome.rewrote_keywords || a == b));
        if after.len() >= before.len() || !kept {
            return Err(format!(
                "a fix removing instructions changed them from {before:?} to {after:?} (applied {:?})",
                outcome.applied
            ));
        }
    } else if outcome.rewrote_keywords {
        if keywords(input).len() != keywords(&outcome.fixed).len() {
            return Err("a keyword rewrite added or removed instructions".into());
        }
    } else if keywords(input) != keywords(&outcome.fixed) {
        return Err(format!(
            "the instructions changed from {:?} to {:?} (applied {:?})",
            keywords(input),
            keywords(&outcome.fixed),
            outcome.applied
        ));
    }
    if let Some(d) = outcome
        .result
        .diagnostics
        .iter()
        .find(|d| d.fix.as_ref().is_some_and(|f| f.applies(unsafe_ok)))
    {
        return Err(format!("a fixable `{}` remains: {}", d.rule, d.message));
    }
    if input.starts_with('\u{feff}') != outcome.fixed.starts_with('\u{feff}') {
        return Err("the BOM changed".into());
    }
    Ok(())
}

/// Fix `text` with safe fixes, then with unsafe ones too; each keeps [`fix_properties`].
fn fix_both(text: &str, settings: &Settings) -> Outcome {
    for unsafe_ok in [false, true] {
        let outcome = fix_source("Dockerfile", text, settings, unsafe_ok);
        fix_properties(text, &outcome, settings, unsafe_ok)
            .map_err(|e| format!("{} fixes: {e}", if unsafe_ok { "unsafe" } else { "safe" }))?;
    }
    Ok(())
}

/// `fix`: every rule, safe then unsafe fixes, with the fixprops properties.
pub fn fix(data: &[u8]) -> Outcome {
    let Ok(text) = std::str::from_utf8(data) else {
        return Ok(());
    };
    fix_both(text, &all_rules())
}

/// Decode a `convert` input: a Dockerfile, then build-context entries, each after a NUL byte as
/// `NAME\nCONTENTS`. Like `context::BuildContext::load`, a name is a top-level entry (a directory
/// when it ends with `/`) and only manifests (`convert::MANIFESTS`, `*.csproj`, ...) keep their
/// contents; a name that is empty, `.`, `..` or has a `/` inside is left out. `None` when the
/// input is not UTF-8.
pub fn convert_input(data: &[u8]) -> Option<(&str, BuildContext)> {
    let text = std::str::from_utf8(data).ok()?;
    let mut parts = text.split('\0');
    let dockerfile = parts.next().unwrap_or_default();
    let mut ctx = BuildContext::default();
    for part in parts {
        let (name, contents) = part.split_once('\n').unwrap_or((part, ""));
        let bare = name.strip_suffix('/').unwrap_or(name);
        if bare.is_empty() || bare == "." || bare == ".." || bare.contains('/') {
            continue;
        }
        let manifest = dlint::convert::MANIFESTS.contains(&name)
            || dlint::convert::MANIFEST_EXTENSIONS
                .iter()
                .any(|e| name.ends_with(&format!(".{e}")));
        if manifest {
            ctx.files.insert(name.to_string(), contents.to_string());
        }
        ctx.entries.push(name.to_string());
    }
    ctx.entries.sort();
    ctx.entries.dedup();
    Some((dockerfile, ctx))
}

/// `convert`: `single-stage-build` with the input's build context; ranges valid, the fixprops
/// properties with safe and unsafe fixes (the conversion is unsafe), fixing twice = once.
pub fn convert(data: &[u8]) -> Outcome {
    let Some((text, ctx)) = convert_input(data) else {
        return Ok(());
    };
    let Some(rule) = dlint::rules::find("single-stage-build") else {
        return Err("no `single-stage-build` rule".into());
    };
    let settings = Settings {
        rules: vec![rule],
        context: dlint::context::Lazy::known(ctx),
        ..Default::default()
    };
    let result = dlint::check_source("Dockerfile", text, &settings);
    lint_ranges(&result)?;
    fix_both(text, &settings)
}

/// `lsp_reader`: the first byte sets how many bytes a read gets (1 to 64, as a pipe may
/// deliver them), the second the body limit (16 to 4096 bytes, so the fuzzer reaches it); the
/// rest is the stream. Reading ends, holds no more than a body or a header line, produces at
/// most one answer per input byte, and reads the same however the input is chunked.
pub fn lsp_reader(data: &[u8]) -> Outcome {
    let [chunk, limit, stream @ ..] = data else {
        return Ok(());
    };
    let chunk = 1 + usize::from(*chunk) % 64;
    let max_body = 16 * (1 + usize::from(*limit));
    let read = |r: &mut dyn std::io::BufRead| {
        dlint::lsp::transport::read_frames(r, max_body).map_err(|e| e.to_string())
    };
    let whole = read(&mut &stream[..])?;
    let trickle = read(&mut BufReader::with_capacity(chunk, stream))?;
    if whole != trickle {
        return Err(format!(
            "read whole: {whole:?}; {chunk} bytes at a time: {trickle:?}"
        ));
    }
    let cap = max_body.max(dlint::lsp::transport::MAX_HEADER_LINE);
    if whole.most_held > cap {
        return Err(format!(
            "held {} bytes, over the {cap}-byte cap: {whole:?}",
            whole.most_held
        ));
    }
    if whole.messages + whole.errors > stream.len() {
        return Err(format!(
            "{} answers for {} bytes: {whole:?}",
            whole.messages + whole.errors,
            stream.len()
        ));
    }
    Ok(())
}
