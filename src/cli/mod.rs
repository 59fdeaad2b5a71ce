//! The command line: `cartsim` (the terminal UI), `run`, `check` and friends.

pub mod diagnose;
pub mod explore;
pub mod handout;
pub mod inputs;
pub mod recover;
pub mod rules_table;
pub mod serve;
pub mod transcript;

use crate::player::headless::{Detail, play_unplayed};
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
/// Exit status when the user stopped a load before the UI opened (Esc or Ctrl-C), as a
/// shell reports a program ended by Ctrl-C.
pub const EXIT_STOPPED: u8 = 130;

/// A terminal simulator of Salesforce B2B Commerce checkout: carts, CartCheckoutSessions
/// and BackgroundOperations side by side, and what Cancel Cart Async Operation does and refuses.
///
/// With no command, opens the terminal UI on the built-in scenarios; `cartsim DIR` opens
/// it on a folder of your own scenarios (as `cartsim play DIR` does).
#[derive(Debug, Parser)]
#[command(
    name = "cartsim",
    version,
    about,
    long_about,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// What to do (default: open the terminal UI on the built-in scenarios).
    #[command(subcommand)]
    pub command: Option<Command>,
    /// A folder of scenario files (or one file) to open in the terminal UI, as
    /// `cartsim play` does.
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Play scenario files headless and print a transcript.
    ///
    /// Exit status: 0 when every expectation held, 1 when at least one did not,
    /// 2 when a file could not be loaded.
    Run {
        /// Scenario files; a built-in scenario's name (with or without .json), a folder
        /// (its *.json files) or - (standard input) also work.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Print one JSON object per event (scenario, step, result, change, expect,
        /// summary) instead of the readable transcript.
        #[arg(long)]
        json: bool,
        /// Print only what failed, the recap and the totals (no transcript).
        #[arg(short, long, conflicts_with = "json")]
        quiet: bool,
    },
    /// Load and validate scenario files only. Exit status 0 when all are valid, 2 otherwise.
    Check {
        /// Scenario files; a built-in scenario's name (with or without .json), a folder
        /// (its *.json files) or - (standard input) also work.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish or powershell), for
    /// example `cartsim completions bash > ~/.local/share/bash-completion/completions/cartsim`.
    Completions {
        /// The shell.
        #[arg(value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
    /// Print a manual page (roff): cartsim's, or a command's (`cartsim man run` prints
    /// cartsim-run(1)), for example `cartsim man > cartsim.1; man ./cartsim.1`.
    Man {
        /// The command whose page to print (cartsim's own page when left out).
        #[arg(value_name = "COMMAND")]
        command: Option<String>,
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
    #[command(group(clap::ArgGroup::new("format").required(true).args(["markdown", "cast"])))]
    Export {
        /// Write a Markdown handout: the story, each step with its note, the changes and the rules cited.
        #[arg(long)]
        markdown: bool,
        /// Write an asciicast v2 recording of the scenario playing in the UI, with a
        /// marker per chapter; play it with `asciinema play FILE`.
        #[arg(long)]
        cast: bool,
        /// With --cast: the recorded terminal's size, WIDTHxHEIGHT, from 80x24 (the
        /// smallest the UI draws in) to 1000x500; 120x40 when left out.
        #[arg(long, conflicts_with = "markdown", value_name = "WxH", value_parser = crate::tui::cast::parse_size)]
        size: Option<(u16, u16)>,
        /// With --markdown: a handout for trainees, without the answers (no Answers
        /// section, and the steps with a quiz show neither their note nor their
        /// outcome). Refused with --cast: a recording shows every outcome.
        #[arg(long)]
        trainee: bool,
        /// The scenario file, a built-in scenario's name (see `cartsim list`; with or
        /// without .json), or - (standard input).
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Where to write; standard output when left out (a recording is refused on a
        /// terminal). An existing file is never overwritten unless --force is given.
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
        /// Overwrite OUT if it exists (the new file replaces it in one step; a failed
        /// write keeps the old one).
        #[arg(long)]
        force: bool,
        /// When OUT is a symbolic link, write to the file it points to (refused otherwise).
        #[arg(long)]
        follow_symlinks: bool,
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
    /// Diagnose a cart from a ticket: read the customer's records (`sf data query`
    /// output, JSON or CSV), say what state each cart is in and why, and what each
    /// action would do now. Exit status 2 when a file is not a query result.
    Diagnose(diagnose::DiagnoseArgs),
    /// Explore every action sequence from a scenario's world, breadth first, and print
    /// the shortest counterexample of each anomaly and each `--never` property.
    ///
    /// Exit status: 0 when nothing was found, 1 when something was, 2 on bad input.
    Explore(explore::ExploreArgs),
    /// Serve the checkout API of a scenario's world on localhost: the Connect REST
    /// checkout and cart-items resources, the flow actions of aura stores, and a control
    /// API for time, for curl, Postman and a storefront under test.
    Serve(serve::ServeArgs),
    /// List the unsaved branches a UI that ended (a closed terminal, a dropped ssh
    /// session, a kill) left behind, with their scenario and when they were made;
    /// `cartsim recover N` writes branch N as a scenario file, as `w` would have.
    Recover(recover::RecoverArgs),
    /// Open a scenario file in the terminal UI (the picker on the built-in scenarios
    /// when FILE is left out).
    Play {
        /// The scenario file; a built-in scenario's name or number (`48`), a folder (its
        /// *.json files, in the picker; a file that does not load is listed, marked, with
        /// its error) or - (standard input) also work.
        #[arg(value_name = "FILE", required_if_eq("watch", "true"))]
        file: Option<PathBuf>,
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
        /// Where to write; standard output when left out (refused on a terminal, which
        /// it would flood). An existing file is never overwritten unless --force is given.
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
        /// Overwrite OUT if it exists.
        #[arg(long)]
        force: bool,
    },
}

/// Parses the command line and runs it.
pub fn main() -> ExitCode {
    // `--help` ends with the settings file: where it is, its keys, and what is wrong
    // with it now (an unknown key, a bad value).
    let matches = <Cli as clap::CommandFactory>::command()
        .after_help(crate::tui::settings::help_section())
        .get_matches();
    let cli = match <Cli as clap::FromArgMatches>::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let code = match cli.command {
        None => match cli.dir {
            Some(dir) => match mistyped_command(&dir) {
                Some(command) => {
                    eprintln!(
                        "cartsim: {} is neither a file, a folder nor a built-in scenario; did you mean the command `cartsim {command}`? (`cartsim --help` lists the commands)",
                        scenario::sanitize::path(&dir)
                    );
                    EXIT_LOAD
                }
                None => play(&dir),
            },
            None => ui(builtin_scenarios()),
        },
        Some(Command::Play {
            file: Some(file),
            watch: true,
        }) => watch(&file),
        Some(Command::Play { file: None, .. }) => ui(builtin_scenarios()),
        Some(Command::Play {
            file: Some(file), ..
        }) => play(&file),
        Some(Command::Run { files, json, quiet }) => run_with(&files, json, quiet),
        Some(Command::Diagnose(args)) => diagnose::run(&args),
        Some(Command::Serve(args)) => serve::run(&args),
        Some(Command::Recover(args)) => recover::run(&args),
        Some(Command::Explore(args)) => explore::run(&args),
        Some(Command::Check { files }) => check(&files),
        Some(Command::Schema) => {
            say(&crate::scenario::schema::schema_text());
            EXIT_OK
        }
        Some(Command::List) => list(),
        Some(Command::Export {
            trainee: true,
            cast: true,
            ..
        }) => {
            eprintln!(
                "cartsim: --trainee works with --markdown only: a recording plays every step with its outcome, so it would show the answers. For trainees, export --markdown --trainee; keep the recording for after the class."
            );
            EXIT_LOAD
        }
        Some(Command::Export {
            cast: true,
            output: None,
            ..
        }) if stdout_is_terminal() => {
            eprintln!(
                "cartsim: a recording is not for reading on the terminal (it would flood it with escape codes); write it to a file with -o FILE.cast, or redirect it (> FILE.cast)"
            );
            EXIT_LOAD
        }
        Some(Command::Generate { output: None, .. }) if stdout_is_terminal() => {
            eprintln!(
                "cartsim: a generated scenario runs to thousands of lines; write it to a file with -o FILE.json, or redirect it (> FILE.json)"
            );
            EXIT_LOAD
        }
        Some(Command::Export {
            markdown,
            cast: _,
            size,
            trainee,
            file,
            output,
            force,
            follow_symlinks,
        }) => match open_scenario(&file) {
            Ok(s) => {
                let text = if markdown {
                    handout::markdown_with(&s, handout::Options { answers: !trainee })
                } else {
                    let size = size.unwrap_or((crate::tui::cast::WIDTH, crate::tui::cast::HEIGHT));
                    crate::tui::cast::record_at(&s, crate::tui::theme::Theme::COLOR, size)
                };
                let permit = crate::safe_write::Permit {
                    overwrite: force,
                    follow_symlinks,
                };
                write_output(&text, output.as_deref(), permit)
            }
            Err(e) => {
                report_load_error(&e);
                EXIT_LOAD
            }
        },
        Some(Command::Completions { shell }) => {
            let mut out = Vec::new();
            clap_complete::generate(
                shell,
                &mut <Cli as clap::CommandFactory>::command(),
                "cartsim",
                &mut out,
            );
            say(&String::from_utf8_lossy(&out));
            EXIT_OK
        }
        Some(Command::Man { command }) => match man_page(command.as_deref()) {
            Ok(page) => {
                say(&page);
                EXIT_OK
            }
            Err(e) => {
                eprintln!("cartsim: {e}");
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
            let permit = crate::safe_write::Permit {
                overwrite: force,
                follow_symlinks: false,
            };
            write_output(
                &scenario::generate::generate(spec),
                output.as_deref(),
                permit,
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
    // A failed write to standard output (a full disk, a closed pipe) fails the command.
    if STDOUT_FAILED.load(std::sync::atomic::Ordering::Relaxed) {
        return ExitCode::from(EXIT_LOAD);
    }
    ExitCode::from(code)
}

/// A manual page in roff: cartsim(1), or cartsim-COMMAND(1) for a command; each ends
/// with ENVIRONMENT and FILES, and cartsim(1)'s SUBCOMMANDS name pages that exist.
pub fn man_page(command: Option<&str>) -> Result<String, String> {
    let cli = <Cli as clap::CommandFactory>::command();
    let cmd = match command {
        None => cli,
        Some(name) => {
            let Some(sub) = cli.find_subcommand(name).cloned() else {
                let names: Vec<String> = cli
                    .get_subcommands()
                    .map(|c| c.get_name().to_string())
                    .collect();
                let safe = scenario::sanitize::line(name);
                return Err(format!(
                    "no command is called {safe}; the commands are: {}",
                    names.join(", ")
                ));
            };
            let title = format!("cartsim-{}", sub.get_name());
            sub.name(title.clone()).bin_name(title)
        }
    };
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd)
        .render(&mut out)
        .map_err(|e| format!("cannot render the manual page: {e}"))?;
    let mut page = String::from_utf8_lossy(&out).into_owned();
    page.push_str(MAN_TAIL);
    Ok(page)
}

/// The sections every manual page ends with.
const MAN_TAIL: &str = r#".SH ENVIRONMENT
.TP
\fBNO_COLOR\fR
When set (to anything but an empty value), the terminal UI and recordings use no colour; every meaning stays in a symbol or a word.
.TP
\fBCARTSIM_CONFIG\fR
The settings file of the terminal UI, instead of the one under FILES.
.SH FILES
.TP
\fI$XDG_CONFIG_HOME/cartsim/config.toml\fR (\fI~/.config/cartsim/config.toml\fR; \fI~/Library/Application Support/cartsim/config.toml\fR on macOS)
The terminal UI's settings that stay across runs: presenter mode, speed, palette, projector layout.
.TP
\fIcartsim-branch.json\fR, \fIcartsim-branch-N.json\fR
What \fBw\fR in the terminal UI saves by default: the steps played and your branch, each with its expected result, in the scenario's own folder (the folder cartsim started in for a built-in scenario).
.SH SEE ALSO
\fBcartsim\fR(1), \fBcartsim-run\fR(1), \fBcartsim-play\fR(1), \fBcartsim-check\fR(1), \fBcartsim-export\fR(1), \fBcartsim-diagnose\fR(1); \fBcartsim man COMMAND\fR prints each.
"#;

/// Whether standard output is a terminal (where a recording or a generated file would
/// flood the screen).
fn stdout_is_terminal() -> bool {
    use std::io::IsTerminal;
    std::io::stdout().is_terminal()
}

/// Set once a write to standard output has failed.
static STDOUT_FAILED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

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

/// A DIR argument that names no file, folder or built-in scenario but is close to a
/// command's name (`cartsim plya`): the command it probably meant.
fn mistyped_command(dir: &std::path::Path) -> Option<String> {
    if std::fs::symlink_metadata(dir).is_ok() || dir.as_os_str() == "-" {
        return None;
    }
    let word = dir.to_str()?;
    if inputs::builtin(word).is_some() {
        return None;
    }
    let cli = <Cli as clap::CommandFactory>::command();
    let names: Vec<String> = cli
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    scenario::suggest(word, names.iter().map(String::as_str)).map(str::to_string)
}

/// Opens the UI on one file and reloads it whenever it changes. A big file's first load
/// shows its progress, as `play` does, and Esc or Ctrl-C stops it.
fn watch(file: &std::path::Path) -> u8 {
    let path = file.to_path_buf();
    let first = match load_showing_progress(file, move || scenario::load_file(&path)) {
        Ok(first) => first,
        Err(code) => return code,
    };
    match crate::tui::run_watch_from(file, first) {
        Ok(()) => EXIT_OK,
        Err(e) => {
            eprintln!("cartsim: {e:#}");
            EXIT_LOAD
        }
    }
}

/// A file this big takes seconds to load: the terminal shows how far the load has got.
const BIG_FILE: u64 = 1024 * 1024;

/// Runs `load` of `file`: at once for a small file; for a big one while the terminal
/// shows how far it has got, Esc or Ctrl-C stopping it. `Err` is the exit status after
/// the reason was printed.
fn load_showing_progress<T: Send + 'static>(
    file: &std::path::Path,
    load: impl FnOnce() -> T + Send + 'static,
) -> Result<T, u8> {
    let big = std::fs::metadata(file).is_ok_and(|m| m.is_file() && m.len() > BIG_FILE);
    if !big {
        return Ok(load());
    }
    let title = format!("Loading {}", scenario::sanitize::path(file));
    match crate::tui::loading::run(&title, load) {
        Ok(crate::tui::loading::Loaded::Done(loaded)) => Ok(loaded),
        Ok(crate::tui::loading::Loaded::Stopped(seen)) => {
            eprintln!(
                "cartsim: stopped loading {} ({})",
                scenario::sanitize::path(file),
                crate::tui::loading::figure(&seen)
            );
            Err(EXIT_STOPPED)
        }
        Err(e) => {
            eprintln!("cartsim: {e:#}");
            Err(EXIT_LOAD)
        }
    }
}

/// Opens the UI on a file or a folder (its `*.json` files, in the picker). A folder
/// opens even when some of its files do not load: the picker lists them, marked, with
/// their errors (and they are printed here too, for the record). One file that does
/// not load is an error.
fn play(file: &std::path::Path) -> u8 {
    // A big file takes seconds to load, before the UI opens: the terminal shows how far
    // the load has got, and Esc or Ctrl-C stops it.
    let path = file.to_path_buf();
    let loaded = match load_showing_progress(file, move || inputs::load_all(&[path])) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let ok = loaded.iter().filter(|l| l.is_ok()).count();
    for e in loaded.iter().filter_map(|l| l.as_ref().err()) {
        report_load_error(e);
    }
    if ok == 0 || (!file.is_dir() && ok < loaded.len()) {
        return EXIT_LOAD;
    }
    match crate::tui::run_loaded(loaded) {
        Ok(()) => EXIT_OK,
        Err(e) => {
            eprintln!("cartsim: {e:#}");
            EXIT_LOAD
        }
    }
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

/// Writes to standard output. A failed write is reported once on standard error (a
/// closed pipe, as in `cartsim list | head`, silently: its reader has gone), the rest of
/// the output is dropped, and the command exits with status 2.
fn say(text: &str) {
    use std::sync::atomic::Ordering;
    if STDOUT_FAILED.load(Ordering::Relaxed) {
        return;
    }
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        STDOUT_FAILED.store(true, Ordering::Relaxed);
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("cartsim: cannot write to standard output: {e}");
        }
    }
}

fn report_load_error(error: &LoadError) {
    eprintln!("{error}");
}

/// `cartsim run`.
pub fn run(files: &[PathBuf], json: bool) -> u8 {
    run_with(files, json, false)
}

/// `cartsim run`, with `--quiet`: ends with a recap of every failed expectation and
/// every file that did not load, and totals that count scenarios and expectations
/// separately.
pub fn run_with(files: &[PathBuf], json: bool, quiet: bool) -> u8 {
    let mut tally = transcript::Tally::default();
    let (mut passed, mut failed, mut not_loaded) = (0usize, 0usize, 0usize);
    let mut recap: Vec<String> = Vec::new();
    let mut load_errors: Vec<String> = Vec::new();
    let mut not_loaded_error = |e: LoadError| {
        report_load_error(&e);
        if json {
            say(&format!("{}\n", transcript::load_error_json(&e)));
        }
        load_errors.push(e.to_string());
    };
    // One pass per file: the loader leaves the expectation paths to the play, which
    // checks them step by step, so a file is played once, not twice.
    let detail = if quiet {
        Detail::Checks
    } else {
        Detail::Transcript
    };
    for loaded in inputs::load_all_unplayed(files) {
        let mut reports = Vec::new();
        let played = loaded.and_then(|unplayed| {
            play_unplayed(&unplayed, detail, |r| reports.push(r)).map(|()| unplayed)
        });
        let unplayed = match played {
            Ok(u) => u,
            Err(e) => {
                not_loaded_error(e);
                not_loaded += 1;
                continue;
            }
        };
        let scenario = unplayed.scenario();
        let before = tally.failed;
        if quiet {
            // No transcript: the expectations are counted and recapped.
            for check in reports.iter().flat_map(|r| &r.checks) {
                if check.passed {
                    tally.passed += 1;
                } else {
                    tally.failed += 1;
                }
            }
        } else {
            let out = if json {
                transcript::json_lines(scenario, &reports, &mut tally)
            } else {
                transcript::text(scenario, &reports, &mut tally)
            };
            say(&out);
        }
        let lines = transcript::failures(scenario, &reports);
        if quiet {
            for line in &lines {
                say(&format!("{line}\n"));
            }
        }
        recap.extend(lines);
        if tally.failed > before {
            failed += 1;
        } else {
            passed += 1;
        }
    }
    if !json {
        let mut out = String::new();
        if !recap.is_empty() {
            out.push_str(&format!(
                "\nExpectations that did not hold ({}):\n",
                recap.len()
            ));
            for line in &recap {
                out.push_str(&format!("  {line}\n"));
            }
        }
        if !load_errors.is_empty() {
            out.push_str(&format!(
                "\nFiles that did not load ({}):\n",
                load_errors.len()
            ));
            for line in &load_errors {
                out.push_str(&format!("  {line}\n"));
            }
        }
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        out.push_str(&format!(
            "{}: {passed} passed, {failed} failed, {not_loaded} not loaded; {}: {} held, {} failed\n",
            plural(passed + failed + not_loaded, "scenario", "scenarios"),
            plural(tally.passed + tally.failed, "expectation", "expectations"),
            tally.passed,
            tally.failed
        ));
        say(&out);
    }
    if not_loaded > 0 {
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

/// One scenario for `export`: a file, a built-in name (with or without `.json`) or `-`.
pub fn open_scenario(file: &std::path::Path) -> Result<Scenario, LoadError> {
    inputs::load_one(file)
}

/// [`open_scenario`], also returning the file as the format's types.
pub fn open_with_raw(
    file: &std::path::Path,
) -> Result<(Scenario, scenario::format::RawScenario), LoadError> {
    inputs::load_one_with_raw(file)
}

/// Writes `text` to `output` through [`crate::safe_write`] (never overwriting or
/// following a link unless permitted), or to stdout.
fn write_output(
    text: &str,
    output: Option<&std::path::Path>,
    permit: crate::safe_write::Permit,
) -> u8 {
    let Some(path) = output else {
        say(text);
        return EXIT_OK;
    };
    match crate::safe_write::write(path, text.as_bytes(), permit) {
        Ok(_) => {
            eprintln!("wrote {}", scenario::sanitize::path(path));
            EXIT_OK
        }
        Err(e) => {
            eprintln!("cartsim: {e}");
            EXIT_LOAD
        }
    }
}

/// `cartsim list`: one block per built-in scenario.
pub fn list() -> u8 {
    let scenarios = builtin_scenarios();
    for s in &scenarios {
        let quizzes = s.steps.iter().filter(|st| st.quiz().is_some()).count();
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
    for loaded in inputs::load_all(files) {
        match loaded {
            Ok(s) => say(&format!("{}: ok ({} steps)\n", s.file, s.steps.len())),
            Err(e) => {
                report_load_error(&e);
                code = EXIT_LOAD;
            }
        }
    }
    code
}
