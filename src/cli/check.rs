//! The lint, fix and diff runs: configuration per file, parallel processing, output, exit status.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use super::{
    read_stdin, report_error, CheckArgs, ColorChoice, EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS,
};
use crate::config::Config;
use crate::diagnostic::Severity;
use crate::discover::FoundFile;
use crate::engine::converge::{fix_source, FixOutcome};
use crate::report;
use crate::rules;
use crate::source::{self, InputError};
use crate::{check_source, FileResult};

/// A per-file problem that is not a finding: the file could not be read, fixed or written.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
enum FileError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Input(#[from] InputError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Write(#[from] super::write::WriteError),
    /// The configuration became a broken one while the run went on (it was checked first).
    #[error("{0}")]
    #[diagnostic(code(dlint::config))]
    Config(String),
    #[error(
        "fixes did not converge after {} passes; the file was not changed",
        crate::engine::converge::MAX_PASSES
    )]
    #[diagnostic(code(dlint::not_converged))]
    NotConverged,
}

/// What happened to one file.
struct Outcome {
    result: FileResult,
    fix: Option<FixOutcome>,
    /// The file's effective fail level and unsafe-fixes choice (command line over config).
    fail_level: Severity,
    unsafe_ok: bool,
}

/// The path a file is shown by (without a leading `./`), borrowed where it is UTF-8.
fn shown(path: &Path) -> std::borrow::Cow<'_, str> {
    path.strip_prefix("./").unwrap_or(path).to_string_lossy()
}

/// What the report and the exit status need of one linted file (its text and result are
/// dropped once this is made).
#[derive(Default)]
struct Done {
    piece: Option<report::Piece>,
    totals: report::Totals,
    /// A finding at or above the file's fail level.
    failing: bool,
    unsafe_ok: bool,
    /// Fixes applied.
    fixed: usize,
    diff: Option<String>,
    /// The path, when its diff names it absolutely (it is outside the current directory).
    outside: Option<String>,
    /// `--show-fixes` lines.
    shown: Vec<String>,
    /// `--fix -`: the text to print.
    fixed_text: Option<String>,
    /// Standard input's fix did not settle (reported, and the input printed as it was).
    error: Option<(String, FileError)>,
}

/// A writer that keeps its first error and drops what comes after it: `--fix` goes on writing
/// files when the report's reader has gone (`dlint --fix . | head`); the error is returned at
/// the end ([`Latch::check`]).
struct Latch<W: Write> {
    inner: W,
    error: Option<std::io::Error>,
}

impl<W: Write> Latch<W> {
    fn new(inner: W) -> Self {
        Latch { inner, error: None }
    }

    fn put(&mut self, bytes: &[u8]) {
        if self.error.is_none() && !bytes.is_empty() {
            if let Err(e) = self.inner.write_all(bytes) {
                self.error = Some(e);
            }
        }
    }

    /// The first error, if a write failed.
    fn check(&mut self) -> std::io::Result<()> {
        self.error.take().map_or(Ok(()), Err)
    }
}

impl<W: Write> Write for Latch<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.put(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Where the report goes.
enum Dest {
    /// `--diff`, `--fix-only`: no report.
    Nowhere,
    Out,
    /// `--fix -`: stdout has the fixed text.
    Err,
    /// `--output-file`.
    File(Latch<std::fs::File>),
    /// `--fix --show-fixes` on stdout: the report follows every `fixed` line.
    Spool(Latch<report::Spool>),
}

impl Dest {
    /// Write `bytes` (and empty them).
    fn put<W: Write>(
        &mut self,
        bytes: &mut Vec<u8>,
        out: &mut Latch<W>,
        err: &mut dyn Write,
    ) -> std::io::Result<()> {
        match self {
            Dest::Nowhere => {}
            Dest::Out => out.put(bytes),
            Dest::Err => err.write_all(bytes)?,
            Dest::File(f) => f.put(bytes),
            Dest::Spool(s) => s.put(bytes),
        }
        bytes.clear();
        Ok(())
    }

    fn check(&mut self) -> std::io::Result<()> {
        match self {
            Dest::File(f) => f.check(),
            Dest::Spool(s) => s.check(),
            _ => Ok(()),
        }
    }
}

/// Directories whose configuration a run keeps at once (about 0.5 KB each): a run over fewer
/// finds each once; a larger one forgets them in turn and finds a directory's again for its
/// files' chunk, so its memory does not grow with the number of directories.
const CONFIGS_KEPT: usize = 2048;

/// Files linted between two writes of the output, per thread: the run holds this many files'
/// results at most, whatever the number of files.
const CHUNK_PER_THREAD: usize = 64;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Lint,
    /// Write fixed files (stdin: print the fixed text).
    Fix,
    /// Print diffs, write nothing.
    Diff,
}

/// Render a configuration error with miette (source snippet and span).
fn report_config_error(
    err: &mut dyn Write,
    e: Box<crate::config::ConfigError>,
) -> std::io::Result<()> {
    let mut text = String::new();
    let handler =
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor());
    if handler.render_report(&mut text, &*e).is_err() {
        text = format!("error: {e}\n");
    }
    err.write_all(text.as_bytes())
}

pub(super) fn check(
    args: &CheckArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<u8> {
    for s in args
        .select
        .iter()
        .chain(&args.extend_select)
        .chain(&args.ignore)
    {
        if rules::registry::resolve(s).is_err() {
            writeln!(
                err,
                "dlint: error: unknown rule or group `{s}` in --select/--extend-select/--ignore{} (see `dlint rules`)",
                rules::registry::did_you_mean(s)
            )?;
            return Ok(EXIT_ERROR);
        }
    }
    let overrides = crate::config::Overrides {
        select: args.select.clone(),
        extend_select: args.extend_select.clone(),
        ignore: args.ignore.clone(),
    };
    let explicit = match (&args.config, args.isolated) {
        (Some(p), false) => match crate::config::load_toml(p) {
            Ok(c) => Some(c),
            Err(e) => {
                report_config_error(err, e)?;
                return Ok(EXIT_ERROR);
            }
        },
        _ => None,
    };
    let configs = crate::config::Resolver::new(explicit, args.isolated, overrides.clone());
    let mode = if args.diff {
        Mode::Diff
    } else if args.fix || args.fix_only || args.add_suppressions {
        Mode::Fix
    } else {
        Mode::Lint
    };
    let verb = if args.add_suppressions {
        "Suppressed"
    } else {
        "Fixed"
    };
    // The settings come with the build context `contexts` holds for the file's directory.
    let run_one = |name: &str,
                   text: &str,
                   config: &Config,
                   path: &Path,
                   contexts: &crate::config::Resolver|
     -> Outcome {
        let settings = contexts.settings(config, path);
        let unsafe_ok = args.unsafe_fixes || config.raw.unsafe_fixes.unwrap_or(false);
        let fail_level = args
            .fail_level
            .or(config.raw.fail_level)
            .unwrap_or(Severity::Info);
        let (result, fix) = match mode {
            Mode::Lint => (check_source(name, text, &settings), None),
            Mode::Fix if args.add_suppressions => {
                let f = crate::engine::converge::add_suppressions(name, text, &settings);
                (f.result.clone(), Some(f))
            }
            Mode::Fix | Mode::Diff => {
                let f = fix_source(name, text, &settings, unsafe_ok);
                (f.result.clone(), Some(f))
            }
        };
        Outcome {
            result,
            fix,
            fail_level,
            unsafe_ok,
        }
    };
    let stdin = args.paths.len() == 1 && args.paths[0].as_os_str() == "-";
    // Directories whose configuration `configs` holds (at most about `CONFIGS_KEPT`).
    let mut configs_held = 0;
    let mut errors: Vec<(String, FileError)> = Vec::new();
    let mut used_configs: Vec<Arc<Config>> = Vec::new();
    // The files in the order of the report (by the name shown), or standard input's text.
    let mut files: Vec<FoundFile> = Vec::new();
    let mut stdin_job: Option<(String, Arc<Config>)> = None;
    if stdin {
        let name = args.stdin_filename.clone().unwrap_or_else(|| "-".into());
        let config = match configs.config_for(Path::new(&name)) {
            Ok(c) => c,
            Err(e) => {
                report_config_error(err, e)?;
                return Ok(EXIT_ERROR);
            }
        };
        used_configs.push(config.clone());
        match read_stdin() {
            Ok(text) => stdin_job = Some((text, config)),
            Err(e) => errors.push((name, e.into())),
        }
    } else {
        let found = crate::discover::discover(&args.paths);
        for dir in &found.empty_dirs {
            writeln!(
                err,
                "dlint: warning: no Dockerfiles found in `{}`",
                dir.display()
            )?;
        }
        errors.extend(
            found
                .errors
                .into_iter()
                .map(|(p, e)| (p.display().to_string(), e.into())),
        );
        // Every directory's configuration is found (and checked) before anything is linted:
        // a broken one stops the run before any output. In batches of directories, each
        // looked up in parallel, the first error (in discovery's order) reported. Past
        // `CONFIGS_KEPT` directories the resolver forgets them, and the files' chunks find
        // theirs again: the memory does not grow with the number of directories.
        let mut dirs = std::collections::HashSet::new();
        let mut seen = std::collections::HashSet::new();
        let mut batch: Vec<&FoundFile> = Vec::new();
        let mut files_left = found.files.iter().peekable();
        while files_left.peek().is_some() {
            for f in files_left.by_ref() {
                let dir = f.path.parent().unwrap_or(Path::new(""));
                if dirs.insert(dir) || args.isolated {
                    batch.push(f);
                    if batch.len() == 1024 {
                        break;
                    }
                }
            }
            let looked_up: Vec<_> = batch
                .par_iter()
                .map(|f| configs.config_for(&f.path))
                .collect();
            for c in looked_up {
                match c {
                    // Kept alive in `used_configs`, the pointers `seen` holds stay unique.
                    Ok(c) if args.verbose && seen.insert(Arc::as_ptr(&c)) => used_configs.push(c),
                    Ok(_) => {}
                    Err(e) => {
                        report_config_error(err, e)?;
                        return Ok(EXIT_ERROR);
                    }
                }
            }
            configs_held += batch.len();
            batch.clear();
            if configs_held >= CONFIGS_KEPT {
                configs.clear();
                configs_held = 0;
                // `--verbose` names each directory's configuration once: it remembers them.
                if !args.verbose {
                    dirs.clear();
                }
            }
        }
        drop((dirs, seen, batch));
        files = found.files;
        // By the path shown; two paths shown alike keep discovery's order (which is the
        // paths' order), with no scratch memory.
        files.sort_unstable_by(|a, b| {
            (shown(&a.path), &a.path, &a.root).cmp(&(shown(&b.path), &b.path, &b.root))
        });
    }
    if args.verbose {
        for c in &used_configs {
            match &c.origin {
                crate::config::Origin::Default => writeln!(
                    err,
                    "dlint: no configuration file found: using the defaults"
                )?,
                crate::config::Origin::Toml(p) => {
                    writeln!(err, "dlint: using configuration `{}`", p.display())?
                }
                crate::config::Origin::Hadolint(_) => {}
            }
            for note in &c.notes {
                writeln!(err, "dlint: {note}")?;
            }
        }
        // The external pass: a missing ShellCheck is a note, and its rule reports nothing.
        let wants_shellcheck = used_configs.iter().any(|c| {
            crate::config::settings_for(c, &overrides, Path::new("Dockerfile"))
                .rules
                .iter()
                .any(|r| std::ptr::eq(*r, &crate::rules::shellcheck::RULE))
        });
        if wants_shellcheck {
            match crate::shellcheck::global() {
                Some(r) => writeln!(err, "dlint: using ShellCheck {}", r.version)?,
                None => writeln!(
                    err,
                    "dlint: `shellcheck` not found on PATH: the `shellcheck` rule reports nothing"
                )?,
            }
        }
    }
    drop(used_configs);
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    };
    // The report goes to --output-file when given; diffs and fixed stdin text stay on stdout.
    // The file is created before anything is linted or fixed: a report that cannot be written
    // stops the run before it changes files.
    let file_out: Option<std::fs::File> = match &args.output_file {
        Some(p) => match std::fs::File::create(p) {
            Ok(f) => Some(f),
            Err(e) => {
                writeln!(err, "dlint: error: cannot write `{}`: {e}", p.display())?;
                return Ok(EXIT_ERROR);
            }
        },
        None => None,
    };
    let color = color && file_out.is_none();
    // Where the report goes: `--fix -` reports on stderr (stdout has the fixed text), and a
    // report after `--show-fixes` lines on stdout waits for them in a spool.
    let mut dest = match mode {
        Mode::Diff => Dest::Nowhere,
        Mode::Fix if args.fix_only => Dest::Nowhere,
        Mode::Fix if stdin => Dest::Err,
        _ => match file_out {
            Some(f) => Dest::File(Latch::new(f)),
            None if mode == Mode::Fix && args.show_fixes => {
                Dest::Spool(Latch::new(Default::default()))
            }
            None => Dest::Out,
        },
    };
    let report_color = color && !matches!(dest, Dest::Err);
    let pieces = !matches!(dest, Dest::Nowhere) && !args.statistics;
    let cwd = match mode {
        Mode::Diff => std::env::current_dir().unwrap_or_default(),
        _ => Default::default(),
    };
    // What the report and the exit status need of one linted file; its text and result are
    // dropped once this is made.
    let finish = |o: Outcome| -> Done {
        use crate::report::diff::{patch_path, unified, PatchPath};
        let r = &o.result;
        let mut done = Done {
            piece: pieces.then(|| report::piece(args.format, report_color, r)),
            totals: report::Totals::of(std::slice::from_ref(r)),
            failing: r.diagnostics.iter().any(|d| d.severity >= o.fail_level),
            unsafe_ok: o.unsafe_ok,
            ..Default::default()
        };
        let Some(f) = o.fix else {
            return done;
        };
        done.fixed = f.applied.len();
        if mode == Mode::Diff && f.changed() && f.converged {
            let header = match patch_path(Path::new(&r.source.path), &cwd) {
                PatchPath::Relative(p) => p,
                PatchPath::Absolute(p) => {
                    done.outside = Some(r.source.path.clone());
                    p
                }
            };
            done.diff = Some(unified(&header, &f.original, &f.fixed));
        }
        if mode == Mode::Fix && args.show_fixes {
            done.shown = f
                .applied
                .iter()
                .map(|(rule, title)| format!("{}: fixed [{rule}] {title}\n", r.source.path))
                .collect();
        }
        if stdin && mode == Mode::Fix {
            done.fixed_text = Some(f.fixed);
        }
        done
    };
    let stdin_name = args.stdin_filename.clone().unwrap_or_else(|| "-".into());
    // Standard input's file: a fix that did not settle changes nothing, and `--fix -` prints
    // the input as it was.
    let process_stdin = |text: &str, config: &Config| -> Done {
        let name = &stdin_name;
        let mut o = run_one(name, text, config, Path::new(name), &configs);
        if let Some(f) = o.fix.as_mut().filter(|f| !f.converged) {
            f.fixed = f.original.clone();
            f.applied.clear();
            let mut d = finish(o);
            d.error = Some((name.clone(), FileError::NotConverged));
            return d;
        }
        finish(o)
    };
    // A file of a chunk: its configuration from the run's resolver, its build context from
    // the chunk's (read at most once per directory and chunk, dropped after it).
    let process =
        |f: &FoundFile, resolver: &crate::config::Resolver| -> Result<Done, (String, FileError)> {
            let p = &f.path;
            let name = shown(p).into_owned();
            let config = configs
                .config_for(p)
                .map_err(|e| (name.clone(), FileError::Config(e.to_string())))?;
            let text = source::read(p).map_err(|e| (name.clone(), e.into()))?;
            let o = run_one(&name, &text, &config, p, resolver);
            drop(text);
            // Neither written nor shown as a diff: what it would be is not settled.
            if o.fix.as_ref().is_some_and(|f| !f.converged) {
                return Err((name, FileError::NotConverged));
            }
            if mode == Mode::Fix {
                if let Some(fix) = &o.fix {
                    if fix.changed() {
                        super::write::resolve_target(p, &f.root)
                            .and_then(|target| super::write::write_atomic(&target, &fix.fixed))
                            .map_err(|e| (name.clone(), e.into()))?;
                    }
                }
            }
            Ok(finish(o))
        };
    // The run, chunk by chunk: each chunk is linted in parallel, then written in order, so the
    // memory held is one chunk's, whatever the number of files.
    let mut out = Latch::new(out);
    let mut stream = report::Stream::new(args.format);
    let mut report_bytes: Vec<u8> = Vec::new();
    if pieces {
        stream.begin(&mut report_bytes)?;
    }
    let mut totals = report::Totals::default();
    let mut fixed = 0;
    let mut unsafe_ok = args.unsafe_fixes;
    let mut failing = false;
    let mut any_diff = false;
    let chunk = (rayon::current_num_threads() * CHUNK_PER_THREAD).max(256);
    let mut chunks = files.chunks(chunk);
    loop {
        let done: Vec<Result<Done, (String, FileError)>> = match stdin_job.take() {
            Some((text, config)) => vec![Ok(process_stdin(&text, &config))],
            None => {
                let Some(jobs) = chunks.next() else {
                    break;
                };
                let contexts = crate::config::Resolver::new(None, false, overrides.clone());
                let done = jobs.par_iter().map(|f| process(f, &contexts)).collect();
                configs_held += jobs
                    .windows(2)
                    .filter(|w| w[0].path.parent() != w[1].path.parent())
                    .count()
                    + 1;
                if configs_held >= CONFIGS_KEPT {
                    configs.clear();
                    configs_held = 0;
                }
                done
            }
        };
        let mut out_bytes: Vec<u8> = Vec::new();
        for d in done {
            let d = match d {
                Ok(d) => d,
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            };
            totals.merge(&d.totals);
            fixed += d.fixed;
            unsafe_ok |= d.unsafe_ok;
            failing |= d.failing;
            if let Some(diff) = &d.diff {
                any_diff = true;
                out_bytes.extend_from_slice(diff.as_bytes());
            }
            if let Some(p) = &d.outside {
                writeln!(
                    err,
                    "dlint: note: `{p}` is outside the current directory, where `patch -p1` cannot \
                     write: its diff names the absolute path; apply it with `patch -d / -p1`"
                )?;
            }
            for line in &d.shown {
                out_bytes.extend_from_slice(line.as_bytes());
            }
            // `--fix -`: the fixed text comes before the report (on stderr), as it always has.
            if let Some(text) = &d.fixed_text {
                out_bytes.extend_from_slice(text.as_bytes());
            }
            if let Some(piece) = &d.piece {
                stream.push(piece, &mut report_bytes)?;
            }
            if let Some(e) = d.error {
                errors.push(e);
            }
        }
        out.put(&out_bytes);
        dest.put(&mut report_bytes, &mut out, err)?;
        // Once the reader has gone, linting on is for nothing; fixing goes on (files are written).
        if mode != Mode::Fix {
            out.check()?;
            dest.check()?;
        }
    }
    let failed = errors.len();
    // The report's closing: the document's end, the summary lines or the statistics.
    if !matches!(dest, Dest::Nowhere) {
        if args.statistics {
            report_bytes.extend_from_slice(report::statistics(&totals).as_bytes());
        } else {
            stream.end(&mut report_bytes)?;
            if !args.quiet && report::is_human(args.format) {
                report_bytes.extend_from_slice(report::summary(&totals, failed).as_bytes());
            }
        }
        dest.put(&mut report_bytes, &mut out, err)?;
    }
    match mode {
        Mode::Diff => {
            if !args.quiet {
                writeln!(
                    err,
                    "{}",
                    report::fix_summary(fixed, &totals, unsafe_ok, "Would fix", true)
                )?;
            }
        }
        Mode::Fix if stdin => {
            if !args.quiet {
                writeln!(
                    err,
                    "{}",
                    report::fix_summary(fixed, &totals, unsafe_ok, verb, args.fix_only)
                )?;
            }
        }
        Mode::Fix => {
            if let Dest::Spool(spool) = &mut dest {
                spool.inner.copy_to(&mut out)?;
            }
            if !args.quiet {
                let line = report::fix_summary(fixed, &totals, unsafe_ok, verb, args.fix_only);
                out.put(format!("{line}\n").as_bytes());
            }
        }
        Mode::Lint => {}
    }
    out.check()?;
    dest.check()?;
    errors.sort_by(|a, b| a.0.cmp(&b.0));
    for (path, e) in &errors {
        report_error(err, path, e)?;
    }
    let failing = !args.fix_only && failing;
    Ok(if !errors.is_empty() {
        EXIT_ERROR
    } else if mode == Mode::Diff {
        if any_diff {
            EXIT_FINDINGS
        } else {
            EXIT_CLEAN
        }
    } else if failing {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    })
}
