//! The command line: `cartsim` (the terminal UI), `run`, `check` and friends.

pub mod rules_table;
pub mod transcript;

use crate::player::play_headless;
use crate::scenario::{self, LoadError, Scenario};
use clap::{Parser, Subcommand};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit code: every expectation held.
pub const EXIT_OK: u8 = 0;
/// Exit code: at least one expectation did not hold.
pub const EXIT_FAILED: u8 = 1;
/// Exit code: a file could not be loaded (or bad usage).
pub const EXIT_LOAD: u8 = 2;

/// A terminal simulator of Salesforce B2B Commerce checkout: carts, CartCheckoutSessions
/// and BackgroundOperations side by side, and what Cancel Cart Async Operation does and refuses.
///
/// With no command, opens the terminal UI on the built-in scenarios.
#[derive(Debug, Parser)]
#[command(name = "cartsim", version, about, long_about)]
pub struct Cli {
    /// What to do (default: open the terminal UI on the built-in scenarios).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Play scenario files headless and print a transcript.
    ///
    /// Exit status: 0 when every expectation held, 1 when at least one did not,
    /// 2 when a file could not be loaded.
    Run {
        /// Scenario files (JSON, format 1).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Print one JSON object per event (scenario, step, result, change, expect,
        /// summary) instead of the readable transcript.
        #[arg(long)]
        json: bool,
    },
    /// Load and validate scenario files only. Exit status 0 when all are valid, 2 otherwise.
    Check {
        /// Scenario files (JSON, format 1).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Print the rules table: why each field changes and each refusal, with its source
    /// (documented by Salesforce, from Salesforce's sample code, or the simulator's choice).
    Rules,
    /// Open one scenario file in the terminal UI.
    Play {
        /// The scenario file (JSON, format 1).
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

/// Parses the command line and runs it.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        None => ui(builtin_scenarios()),
        Some(Command::Play { file }) => match scenario::load_file(&file) {
            Ok(s) => ui(vec![s]),
            Err(e) => {
                report_load_error(&e);
                EXIT_LOAD
            }
        },
        Some(Command::Run { files, json }) => run(&files, json),
        Some(Command::Check { files }) => check(&files),
        Some(Command::Rules) => {
            print!("{}", rules_table::markdown());
            EXIT_OK
        }
    };
    ExitCode::from(code)
}

/// The scenarios compiled into the binary. They are tested, so a failure to load one
/// is reported rather than hidden, and the others still open.
pub fn builtin_scenarios() -> Vec<Scenario> {
    scenario::builtin::BUILTIN
        .iter()
        .filter_map(|b| match scenario::load_bytes(b.name, b.text.as_bytes()) {
            Ok(s) => Some(s),
            Err(e) => {
                report_load_error(&e);
                None
            }
        })
        .collect()
}

fn ui(scenarios: Vec<Scenario>) -> u8 {
    match crate::tui::run(scenarios) {
        Ok(()) => EXIT_OK,
        Err(e) => {
            eprintln!("cartsim: {e:#}");
            EXIT_LOAD
        }
    }
}

fn report_load_error(error: &LoadError) {
    eprintln!("{error}");
}

/// `cartsim run`.
pub fn run(files: &[PathBuf], json: bool) -> u8 {
    let mut tally = transcript::Tally::default();
    let mut load_failed = false;
    let stdout = std::io::stdout();
    for file in files {
        let scenario = match scenario::load_file(file) {
            Ok(s) => s,
            Err(e) => {
                report_load_error(&e);
                load_failed = true;
                continue;
            }
        };
        let text = render(&scenario, json, &mut tally);
        let mut lock = stdout.lock();
        let _ = lock.write_all(text.as_bytes());
        let _ = lock.flush();
    }
    if !json {
        println!("{} passed, {} failed", tally.passed, tally.failed);
    }
    if load_failed {
        EXIT_LOAD
    } else if tally.failed > 0 {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}

/// Plays one scenario and renders its transcript.
pub fn render(scenario: &Scenario, json: bool, tally: &mut transcript::Tally) -> String {
    let reports = play_headless(scenario);
    if json {
        transcript::json_lines(scenario, &reports, tally)
    } else {
        transcript::text(scenario, &reports, tally)
    }
}

/// `cartsim check`.
pub fn check(files: &[PathBuf]) -> u8 {
    let mut code = EXIT_OK;
    for file in files {
        match scenario::load_file(file) {
            Ok(s) => println!("{}: ok ({} steps)", s.file, s.steps.len()),
            Err(e) => {
                report_load_error(&e);
                code = EXIT_LOAD;
            }
        }
    }
    code
}
