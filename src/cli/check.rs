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
    let configs = crate::config::Resolver::new(explicit, args.isolated, overrides);
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
    let run_one = |name: &str, text: &str, config: &Config, path: &Path| -> Outcome {
        let settings = configs.settings(config, path);
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
    let mut errors: Vec<(String, FileError)> = Vec::new();
    let mut outcomes: Vec<Outcome> = Vec::new();
    let mut used_configs: Vec<Arc<Config>> = Vec::new();
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
            Ok(text) => {
                let mut o = run_one(&name, &text, &config, Path::new(&name));
                // A fix that did not settle changes nothing: `--fix -` prints the input as it was.
                if let Some(f) = o.fix.as_mut().filter(|f| !f.converged) {
                    f.fixed = f.original.clone();
                    f.applied.clear();
                    errors.push((name.clone(), FileError::NotConverged));
                }
                outcomes.push(o);
            }
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
        let mut jobs = Vec::with_capacity(found.files.len());
        for f in found.files {
            match configs.config_for(&f.path) {
                Ok(c) => {
                    if !used_configs.iter().any(|u| Arc::ptr_eq(u, &c)) {
                        used_configs.push(c.clone());
                    }
                    jobs.push((f, c));
                }
                Err(e) => {
                    report_config_error(err, e)?;
                    return Ok(EXIT_ERROR);
                }
            }
        }
        let done: Vec<Result<Outcome, (String, FileError)>> = jobs
            .par_iter()
            .map(|(f, config)| {
                let p = &f.path;
                let name = p.strip_prefix("./").unwrap_or(p).display().to_string();
                let text = source::read(p).map_err(|e| (name.clone(), e.into()))?;
                let o = run_one(&name, &text, config, p);
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
                Ok(o)
            })
            .collect();
        for o in done {
            match o {
                Ok(r) => outcomes.push(r),
                Err(e) => errors.push(e),
            }
        }
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
    }
    let unsafe_ok = outcomes.iter().any(|o| o.unsafe_ok) || args.unsafe_fixes;
    outcomes.sort_by(|a, b| a.result.source.path.cmp(&b.result.source.path));
    errors.sort_by(|a, b| a.0.cmp(&b.0));
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    };
    // The report goes to --output-file when given; diffs and fixed stdin text stay on stdout.
    let mut file_out: Option<std::fs::File> = match &args.output_file {
        Some(p) => match std::fs::File::create(p) {
            Ok(f) => Some(f),
            Err(e) => {
                writeln!(err, "dlint: error: cannot write `{}`: {e}", p.display())?;
                return Ok(EXIT_ERROR);
            }
        },
        None => None,
    };
    let failed = errors.len();
    let report = |results: &[FileResult], color: bool| -> String {
        if args.statistics {
            report::statistics(results)
        } else if args.quiet || !report::is_human(args.format) {
            report::render(results, args.format, color)
        } else {
            report::render(results, args.format, color) + &report::summary(results, failed)
        }
    };
    let color = color && file_out.is_none();
    let fixed: usize = outcomes
        .iter()
        .filter_map(|o| o.fix.as_ref())
        .map(|f| f.applied.len())
        .sum();
    let results: Vec<FileResult> = outcomes.iter().map(|o| o.result.clone()).collect();
    let mut any_diff = false;
    match mode {
        Mode::Diff => {
            use crate::report::diff::{patch_path, unified, PatchPath};
            let cwd = std::env::current_dir().unwrap_or_default();
            let mut outside = Vec::new();
            for o in &outcomes {
                if let Some(f) = o.fix.as_ref().filter(|f| f.changed() && f.converged) {
                    any_diff = true;
                    let header = match patch_path(Path::new(&o.result.source.path), &cwd) {
                        PatchPath::Relative(p) => p,
                        PatchPath::Absolute(p) => {
                            outside.push(o.result.source.path.clone());
                            p
                        }
                    };
                    out.write_all(unified(&header, &f.original, &f.fixed).as_bytes())?;
                }
            }
            for p in &outside {
                writeln!(
                    err,
                    "dlint: note: `{p}` is outside the current directory, where `patch -p1` cannot \
                     write: its diff names the absolute path; apply it with `patch -d / -p1`"
                )?;
            }
            if !args.quiet {
                writeln!(
                    err,
                    "{}",
                    report::fix_summary(fixed, &results, unsafe_ok, "Would fix", true)
                )?;
            }
        }
        Mode::Fix if stdin => {
            if let Some(f) = outcomes.first().and_then(|o| o.fix.as_ref()) {
                out.write_all(f.fixed.as_bytes())?;
            }
            if !args.fix_only {
                err.write_all(report(&results, false).as_bytes())?;
            }
            if !args.quiet {
                writeln!(
                    err,
                    "{}",
                    report::fix_summary(fixed, &results, unsafe_ok, verb, args.fix_only)
                )?;
            }
        }
        Mode::Fix => {
            if args.show_fixes {
                for o in &outcomes {
                    for (rule, title) in o.fix.iter().flat_map(|f| &f.applied) {
                        writeln!(out, "{}: fixed [{rule}] {title}", o.result.source.path)?;
                    }
                }
            }
            if !args.fix_only {
                let text = report(&results, color);
                match file_out.as_mut() {
                    Some(f) => f.write_all(text.as_bytes())?,
                    None => out.write_all(text.as_bytes())?,
                }
            }
            if !args.quiet {
                writeln!(
                    out,
                    "{}",
                    report::fix_summary(fixed, &results, unsafe_ok, verb, args.fix_only)
                )?;
            }
        }
        Mode::Lint => {
            let text = report(&results, color);
            match file_out.as_mut() {
                Some(f) => f.write_all(text.as_bytes())?,
                None => out.write_all(text.as_bytes())?,
            }
        }
    }
    for (path, e) in &errors {
        report_error(err, path, e)?;
    }
    let failing = !args.fix_only
        && outcomes.iter().any(|o| {
            o.result
                .diagnostics
                .iter()
                .any(|d| d.severity >= o.fail_level)
        });
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
