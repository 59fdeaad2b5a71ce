//! The command line: `cartsim` (the terminal UI), `run`, `check` and friends.

pub mod handout;
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
    /// Print a JSON Schema of the scenario format, for editors to validate and complete files.
    Schema,
    /// List the built-in scenarios (the curriculum) with what each teaches.
    List,
    /// Export a scenario: a Markdown handout for trainees, or an asciicast v2 recording of
    /// it playing in the terminal UI (one marker per chapter) that asciinema can play.
    Export {
        /// Write a Markdown handout: the story, each step with its note, the changes and the rules cited.
        #[arg(long, group = "format", required = true)]
        markdown: bool,
        /// Write an asciicast v2 recording (120x40) of the scenario playing in the UI,
        /// with a marker per chapter; play it with `asciinema play FILE`.
        #[arg(long, group = "format", required = true)]
        cast: bool,
        /// The scenario file, or the name of a built-in scenario (see `cartsim list`).
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Where to write; standard output when left out. An existing file is never
        /// overwritten unless --force is given.
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
        /// Overwrite OUT if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Print the equivalent scenario file in the newest edition (`"cartsim": 2`).
    ///
    /// Every store setting, and the default checkout flow of a format 1 file, is
    /// written out with the meaning it had, so the upgraded file plays exactly as the
    /// original. Exit status 2 when the file does not load.
    Upgrade {
        /// The scenario file, or the name of a built-in scenario (see `cartsim list`).
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Open one scenario file in the terminal UI.
    Play {
        /// The scenario file (JSON, format 1).
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Reload the file whenever it is saved and return to the same step; load
        /// errors are shown inside the UI instead of quitting.
        #[arg(long)]
        watch: bool,
    },
    /// Write a long generated scenario (for measuring speed): each cart checks out,
    /// settles, continues and cancels, again and again, with waits in between.
    Generate {
        /// How many steps.
        #[arg(long, default_value_t = 1_000)]
        steps: usize,
        /// How many carts (each with its own buyer and account).
        #[arg(long, default_value_t = 10)]
        carts: usize,
        /// One checkout action every N steps; the steps between are one-tick waits.
        #[arg(long, default_value_t = 4, value_name = "N")]
        sparsity: usize,
        /// Seed of the choice of cart.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Where to write; standard output when left out. An existing file is never
        /// overwritten unless --force is given.
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
        /// Overwrite OUT if it exists.
        #[arg(long)]
        force: bool,
    },
}

/// Parses the command line and runs it.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        None => ui(builtin_scenarios()),
        Some(Command::Play { file, watch: true }) => match crate::tui::run_watch(&file) {
            Ok(()) => EXIT_OK,
            Err(e) => {
                eprintln!("cartsim: {e:#}");
                EXIT_LOAD
            }
        },
        Some(Command::Play { file, watch: false }) => match scenario::load_file(&file) {
            Ok(s) => ui(vec![s]),
            Err(e) => {
                report_load_error(&e);
                EXIT_LOAD
            }
        },
        Some(Command::Run { files, json }) => run(&files, json),
        Some(Command::Check { files }) => check(&files),
        Some(Command::Schema) => {
            say(&format!("{}\n", crate::scenario::SCHEMA.trim_end()));
            EXIT_OK
        }
        Some(Command::List) => list(),
        Some(Command::Export {
            markdown,
            cast: _,
            file,
            output,
            force,
        }) => match open_scenario(&file) {
            Ok(s) => {
                let text = if markdown {
                    handout::markdown(&s)
                } else {
                    crate::tui::cast::record(&s, crate::tui::theme::Theme::COLOR)
                };
                write_output(&text, output.as_deref(), force)
            }
            Err(e) => {
                report_load_error(&e);
                EXIT_LOAD
            }
        },
        Some(Command::Rules) => {
            say(&rules_table::markdown());
            EXIT_OK
        }
        Some(Command::Generate {
            steps,
            carts,
            sparsity,
            seed,
            output,
            force,
        }) => {
            let spec = scenario::generate::Spec {
                steps,
                carts,
                sparsity,
                seed,
            };
            write_output(
                &scenario::generate::generate(spec),
                output.as_deref(),
                force,
            )
        }
        Some(Command::Upgrade { file }) => match open_with_raw(&file) {
            Ok((s, raw)) => {
                say(&scenario::save::to_text(&scenario::save::upgrade(
                    raw, s.edition,
                )));
                EXIT_OK
            }
            Err(e) => {
                report_load_error(&e);
                EXIT_LOAD
            }
        },
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

/// Writes to standard output. A closed pipe (`cartsim list | head`) is not an error
/// worth a panic: the rest of the output is dropped and the exit status still reports
/// the run.
fn say(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

fn report_load_error(error: &LoadError) {
    eprintln!("{error}");
}

/// `cartsim run`.
pub fn run(files: &[PathBuf], json: bool) -> u8 {
    let mut tally = transcript::Tally::default();
    let mut load_failed = false;
    for file in files {
        let scenario = match scenario::load_file(file) {
            Ok(s) => s,
            Err(e) => {
                report_load_error(&e);
                if json {
                    say(&format!("{}\n", transcript::load_error_json(&e)));
                }
                load_failed = true;
                continue;
            }
        };
        say(&render(&scenario, json, &mut tally));
    }
    if !json {
        say(&format!(
            "{} passed, {} failed\n",
            tally.passed, tally.failed
        ));
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

/// A scenario from a file path, or else from the built-ins by file name (with or without
/// `.json`), so exports work from any folder.
pub fn open_scenario(file: &std::path::Path) -> Result<Scenario, LoadError> {
    open_with_raw(file).map(|(scenario, _)| scenario)
}

/// [`open_scenario`], also returning the file as the format's types.
pub fn open_with_raw(
    file: &std::path::Path,
) -> Result<(Scenario, scenario::format::RawScenario), LoadError> {
    if !file.exists() {
        let wanted = file.to_string_lossy();
        let found = scenario::builtin::BUILTIN
            .iter()
            .find(|b| b.name == wanted || b.name.trim_end_matches(".json") == wanted);
        if let Some(b) = found {
            return scenario::load_with_raw(b.name, b.text.as_bytes());
        }
    }
    scenario::load_file_with_raw(file)
}

/// Writes `text` to `output` (refusing to overwrite unless `force`), or to stdout.
fn write_output(text: &str, output: Option<&std::path::Path>, force: bool) -> u8 {
    let Some(path) = output else {
        say(text);
        return EXIT_OK;
    };
    if path.exists() && !force {
        eprintln!(
            "{}: exists; not overwritten (give --force to replace it)",
            path.display()
        );
        return EXIT_LOAD;
    }
    match std::fs::write(path, text) {
        Ok(()) => {
            eprintln!("wrote {}", path.display());
            EXIT_OK
        }
        Err(e) => {
            eprintln!("{}: cannot write: {e}", path.display());
            EXIT_LOAD
        }
    }
}

/// `cartsim list`: one block per built-in scenario.
pub fn list() -> u8 {
    let scenarios = builtin_scenarios();
    for s in &scenarios {
        let quizzes = s.steps.iter().filter(|st| st.quiz.is_some()).count();
        let chapters: Vec<&str> = s.chapters().into_iter().map(|(_, m)| m).collect();
        say(&format!("{}  {}\n", s.file, s.title));
        let mut facts = format!("    {} steps", s.steps.len());
        if !chapters.is_empty() {
            facts.push_str(&format!("; chapters: {}", chapters.join(", ")));
        }
        if quizzes > 0 {
            facts.push_str(&format!(
                "; {quizzes} quiz{}",
                if quizzes == 1 { "" } else { "zes" }
            ));
        }
        say(&format!("{facts}\n"));
        if let Some(summary) = &s.summary {
            say(&format!("    {}\n", summary.replace('\n', "\n    ")));
        }
    }
    if scenarios.len() == crate::scenario::builtin::BUILTIN.len() {
        EXIT_OK
    } else {
        EXIT_LOAD
    }
}

/// `cartsim check`.
pub fn check(files: &[PathBuf]) -> u8 {
    let mut code = EXIT_OK;
    for file in files {
        match scenario::load_file(file) {
            Ok(s) => say(&format!("{}: ok ({} steps)\n", s.file, s.steps.len())),
            Err(e) => {
                report_load_error(&e);
                code = EXIT_LOAD;
            }
        }
    }
    code
}
