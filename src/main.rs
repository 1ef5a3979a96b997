//! The `dlint` binary: parse arguments, run the shared pipeline, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = dlint::cli::Cli::parse();
    // Rust reopens a closed stdout on /dev/null: the report would vanish with exit status 1.
    if dlint::source::std_stream_was_closed(1) {
        eprintln!("dlint: error: standard output is closed; nothing could be reported");
        return ExitCode::from(dlint::cli::EXIT_ERROR);
    }
    // The language server owns stdin/stdout from its own threads: no lock may be held here.
    if matches!(cli.command, Some(dlint::cli::Command::Lsp)) {
        return match dlint::lsp::run_stdio() {
            Ok(ending) => ExitCode::from(ending.exit_code()),
            Err(e) => {
                eprintln!("error[dlint::lsp]: {e}");
                ExitCode::from(dlint::cli::EXIT_ERROR)
            }
        };
    }
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let mut out = stdout.lock();
    let mut err = stderr.lock();
    match dlint::cli::run(cli, &mut out, &mut err) {
        Ok(code) => ExitCode::from(code),
        // A closed pipe (`dlint | head`) is not a failure.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dlint: error: {e}");
            ExitCode::from(dlint::cli::EXIT_ERROR)
        }
    }
}
