//! The command line: clap definitions (the one place flags are documented), dispatch, exit codes.

mod check;
mod commands;
pub mod write;

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::diagnostic::Severity;
use crate::report::Format;
use crate::rules;
use crate::source::{self, InputError};

/// Exit status: no findings at or above the fail level.
pub const EXIT_CLEAN: u8 = 0;
/// Exit status: findings at or above the fail level remain.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit status: usage, configuration or input/IO error (other files are still linted).
pub const EXIT_ERROR: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "dlint",
    version,
    about = "A Dockerfile linter that knows stages, shells and package managers",
    args_conflicts_with_subcommands = true,
    after_help = "Exit status: 0 no findings at or above --fail-level; 1 findings remain; \
                  2 usage, configuration or input error (other files are still linted)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub check: CheckArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint Dockerfiles (the default command).
    Check(CheckArgs),
    /// Print a rule's documentation, by slug or alias (e.g. `DL3009`).
    Rule {
        /// Rule slug or alias.
        name: String,
    },
    /// List all rules.
    Rules {
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Run the language server over stdin/stdout (for editors).
    #[command(alias = "server")]
    Lsp,
    /// Print the JSON Schema of `dlint.toml` (every rule's options included), for editors.
    Schema,
    /// Show the parsed model of a Dockerfile (instructions, stages, references).
    Inspect {
        /// The Dockerfile, or `-` for standard input.
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// Files or directories to lint (directories are searched for Dockerfile names, honouring
    /// .gitignore); `-` reads standard input.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Full, env = "DLINT_FORMAT")]
    pub format: Format,
    /// Rules to enable, by slug, alias or group (comma-separated or repeated); default: every
    /// group but `pedantic`.
    #[arg(long, value_delimiter = ',', env = "DLINT_SELECT")]
    pub select: Vec<String>,
    /// Rules to disable, by slug, alias or group.
    #[arg(long, value_delimiter = ',', env = "DLINT_IGNORE")]
    pub ignore: Vec<String>,
    /// Write the report to this file instead of standard output.
    #[arg(long, env = "DLINT_OUTPUT_FILE")]
    pub output_file: Option<PathBuf>,
    /// Print a count of findings per rule (and how many are fixable) instead of the findings.
    #[arg(long)]
    pub statistics: bool,
    /// Print findings only: no summary lines.
    #[arg(short, long, env = "DLINT_QUIET")]
    pub quiet: bool,
    /// The path to report for standard input.
    #[arg(long)]
    pub stdin_filename: Option<String>,
    /// Lowest severity that makes the exit status 1 [default: info, or the config's `fail-level`].
    #[arg(long, value_enum, env = "DLINT_FAIL_LEVEL")]
    pub fail_level: Option<Severity>,
    /// Rules to add to the configured selection.
    #[arg(long, value_delimiter = ',', env = "DLINT_EXTEND_SELECT")]
    pub extend_select: Vec<String>,
    /// Use this configuration file for every file, instead of the nearest `dlint.toml`.
    #[arg(long, env = "DLINT_CONFIG")]
    pub config: Option<PathBuf>,
    /// Ignore all configuration files.
    #[arg(long, env = "DLINT_ISOLATED")]
    pub isolated: bool,
    /// Say which configuration files are used (and what a `.hadolint.yaml` maps to).
    #[arg(short, long)]
    pub verbose: bool,
    /// When to color the `full` output (`NO_COLOR` set means never, for `auto`).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, env = "DLINT_COLOR")]
    pub color: ColorChoice,
    /// Apply safe fixes in place (with `-`, print the fixed file to stdout).
    #[arg(long)]
    pub fix: bool,
    /// Also apply unsafe fixes (with --fix or --diff).
    #[arg(long, env = "DLINT_UNSAFE_FIXES")]
    pub unsafe_fixes: bool,
    /// Print unified diffs of the fixes instead of writing; exit 1 when there is a diff.
    #[arg(long, conflicts_with_all = ["fix", "fix_only"])]
    pub diff: bool,
    /// With --fix, list every fix applied.
    #[arg(long)]
    pub show_fixes: bool,
    /// Apply fixes and report nothing else (exit 0 unless an error occurs).
    #[arg(long)]
    pub fix_only: bool,
    /// Add `# dlint ignore=...` comments for every current finding (to adopt dlint in a large
    /// repository); writes the files like --fix.
    #[arg(long, conflicts_with_all = ["fix", "fix_only", "diff"])]
    pub add_suppressions: bool,
}

/// Run the command line; returns the exit status.
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<u8> {
    match cli.command {
        None => check::check(&cli.check, out, err),
        Some(Command::Check(args)) => check::check(&args, out, err),
        Some(Command::Rule { name }) => match rules::find(&name) {
            Some(rule) => {
                out.write_all(rule.doc.as_bytes())?;
                Ok(EXIT_CLEAN)
            }
            None => {
                writeln!(
                    err,
                    "dlint: error: unknown rule `{name}`{} (see `dlint rules`)",
                    rules::registry::did_you_mean(&name)
                )?;
                Ok(EXIT_ERROR)
            }
        },
        Some(Command::Rules { format }) => {
            commands::list_rules(format, out)?;
            Ok(EXIT_CLEAN)
        }
        // `main` starts the server before it locks stdout; here it would deadlock.
        Some(Command::Lsp) => {
            writeln!(
                err,
                "error[dlint::lsp]: the language server must be started by `main`"
            )?;
            Ok(EXIT_ERROR)
        }
        Some(Command::Schema) => {
            out.write_all(crate::config::json_schema().as_bytes())?;
            Ok(EXIT_CLEAN)
        }
        Some(Command::Inspect { file, format }) => commands::inspect(&file, format, out, err),
    }
}

pub(crate) fn read_stdin() -> Result<String, InputError> {
    if source::std_stream_was_closed(0) {
        return Err(InputError::StdinClosed);
    }
    source::read_bounded(std::io::stdin().lock())
}

pub(crate) fn report_error(
    err: &mut dyn Write,
    path: &str,
    e: &dyn miette::Diagnostic,
) -> std::io::Result<()> {
    let code = e
        .code()
        .map(|c| c.to_string())
        .unwrap_or_else(|| "dlint::error".into());
    match e.help() {
        Some(help) => writeln!(err, "error[{code}]: {path}: {e} (help: {help})"),
        None => writeln!(err, "error[{code}]: {path}: {e}"),
    }
}
