//! `cartsim explore`: the command line of [`crate::explore`].

use super::{EXIT_FAILED, EXIT_LOAD, EXIT_OK, say, transcript};
use crate::explore::{self, Config, Progress, Report, counterexample, property};
use crate::player::play_headless;
use crate::scenario::{self, position, sanitize};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

/// `cartsim explore`'s arguments.
#[derive(Debug, clap::Args)]
pub struct ExploreArgs {
    /// The scenario file (its world, and its `explore` section if it has one), a
    /// built-in scenario's name, or - (standard input).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The longest action sequence explored (default 8).
    #[arg(long, value_name = "N")]
    pub depth: Option<usize>,
    /// Stop after this many distinct states.
    #[arg(long, value_name = "N")]
    pub max_states: Option<usize>,
    /// Play the file's first K steps, then explore from the world they leave.
    #[arg(long, value_name = "K")]
    pub from: Option<usize>,
    /// Add fault injection to the alphabet: fail_operation and custom_update.
    #[arg(long)]
    pub faults: bool,
    /// Whose actions: `owner` (each cart's buyer, the default) or `all` (every buyer).
    #[arg(long, value_name = "WHO", value_parser = ["owner", "all"])]
    pub actors: Option<String>,
    /// The alphabet, exactly: step kinds separated by commas (start_checkout, continue,
    /// cancel, checkout_start, checkout_poll, checkout_delete, pay, place_order,
    /// add_to_cart, wait, fail_operation, custom_update).
    #[arg(long, value_name = "LIST")]
    pub actions: Option<String>,
    /// A state that must never be reachable: RECORD.Field=value pairs separated by
    /// commas, all holding at once (`cart-1.Status=Closed,ccs-1.IsError=true`).
    /// Repeatable.
    #[arg(long, value_name = "PROPERTY")]
    pub never: Vec<String>,
    /// How many buyer actions ahead stuck-in-checkout and cancel-never-succeeds look.
    #[arg(long, value_name = "N", default_value_t = explore::DEFAULT_LOOKAHEAD)]
    pub lookahead: usize,
    /// Threads expanding each level; 0 uses every core.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub jobs: usize,
    /// Print one JSON object per finding, then a summary object (JSON Lines).
    #[arg(long)]
    pub json: bool,
    /// Write each counterexample as a scenario file into DIR (created if missing).
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Overwrite files in DIR.
    #[arg(long)]
    pub force: bool,
    /// Open the findings in the terminal UI, on the file at the state explored from:
    /// each with its depth and sentence, and Enter plays its actions there as a branch.
    #[arg(long, conflicts_with = "json")]
    pub open: bool,
}

/// The scenario's text, for positions of errors in its `explore` section.
fn source_text(file: &Path) -> Option<String> {
    if file.as_os_str() == "-" {
        return None;
    }
    if std::fs::symlink_metadata(file).is_err() {
        let name = file.to_str()?;
        return scenario::builtin::BUILTIN
            .iter()
            .find(|b| b.name == name || b.name.trim_end_matches(".json") == name)
            .map(|b| b.text.to_string());
    }
    std::fs::read_to_string(file).ok()
}

/// Prints an error and gives the exit status of bad input.
fn bad(message: &str) -> u8 {
    eprintln!("{}", sanitize::line(message));
    EXIT_LOAD
}

/// `cartsim explore`.
pub fn run(args: &ExploreArgs) -> u8 {
    let (loaded, raw) = match super::open_with_raw(&args.file) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("{e}");
            return EXIT_LOAD;
        }
    };
    let text = source_text(&args.file);
    let positions = text.as_deref().map(position::index);
    let at = |path: &str| -> String {
        let p = positions.as_ref().map(|p| p.nearest(path));
        match p {
            Some(p) => format!("{}:{}:{}: {path}", loaded.file, p.line, p.column),
            None => format!("{}: {path}", loaded.file),
        }
    };
    let section = raw.explore.clone().unwrap_or_default();
    let from = args.from.or(section.from.map(|f| f as usize)).unwrap_or(0);
    if from > loaded.steps.len() {
        let place = if args.from.is_some() {
            format!("{}: --from", loaded.file)
        } else {
            at("explore.from")
        };
        return bad(&format!(
            "{place}: the file has {} steps; expected at most that many",
            loaded.steps.len()
        ));
    }
    let mut world = loaded.world.clone();
    for step in &loaded.steps[..from] {
        world.apply(&step.action);
    }
    let mut config = Config {
        depth: args
            .depth
            .or(section.depth.map(|d| d as usize))
            .unwrap_or(explore::DEFAULT_DEPTH),
        max_states: args.max_states.or(section.max_states.map(|m| m as usize)),
        faults: args.faults || section.faults.unwrap_or(false),
        lookahead: args.lookahead,
        jobs: if args.jobs == 0 {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        } else {
            args.jobs
        },
        ..Config::default()
    };
    match args.actors.as_deref().or(section.actors.as_deref()) {
        None | Some("owner") => {}
        Some("all") => config.all_actors = true,
        Some(other) => {
            return bad(&format!(
                "{}: \"{other}\" is not an actor set; expected owner or all",
                at("explore.actors")
            ));
        }
    }
    if let Some(list) = &args.actions {
        match explore::parse_moves(list) {
            Ok(m) => config.moves = Some(m),
            Err(e) => return bad(&format!("{}: --actions: {e}", loaded.file)),
        }
    } else if let Some(list) = &section.actions {
        let mut moves = Vec::new();
        for (i, name) in list.iter().enumerate() {
            match explore::parse_moves(name) {
                Ok(m) => moves.extend(m),
                Err(e) => return bad(&format!("{}: {e}", at(&format!("explore.actions[{i}]")))),
            }
        }
        config.moves = Some(moves);
    }
    for (i, members) in section.never.iter().enumerate() {
        match property::from_object(members, &world) {
            Ok(p) => config.never.push(p),
            Err((key, message)) => {
                let path = if key.is_empty() {
                    format!("explore.never[{i}]")
                } else {
                    position::member(&format!("explore.never[{i}]"), &key)
                };
                return bad(&format!("{}: {message}", at(&path)));
            }
        }
    }
    for (i, text) in args.never.iter().enumerate() {
        match property::parse(text, &world) {
            Ok(p) => config.never.push(p),
            Err(e) => {
                return bad(&format!(
                    "{}: --never #{}, column {}: {}",
                    loaded.file,
                    i + 1,
                    e.column,
                    e.message
                ));
            }
        }
    }
    if let Err(e) = explore::alphabet(&world, &config) {
        let place = if args.depth.is_some() || args.actions.is_some() {
            loaded.file.clone()
        } else if section.depth.is_some() && config.depth == 0 {
            at("explore.depth")
        } else {
            at("explore")
        };
        return bad(&format!("{place}: {e}"));
    }
    let stop = Arc::new(AtomicBool::new(false));
    let _ = signal_hook::flag::register(signal_hook::consts::SIGINT, Arc::clone(&stop));
    let tty = std::io::stderr().is_terminal();
    let mut shown = false;
    let mut show = |p: &Progress| {
        if tty {
            eprint!(
                "\r\x1b[2Kexplore: {} states, depth {}, frontier {}, {:.0} states/s, {:.1} MiB held",
                p.states,
                p.depth,
                p.frontier,
                p.states_per_second(),
                p.visited_bytes as f64 / (1024.0 * 1024.0)
            );
            shown = true;
        }
    };
    let report = match explore::explore(&world, &config, &stop, &mut show) {
        Ok(r) => r,
        Err(e) => return bad(&format!("{}: {e}", loaded.file)),
    };
    if shown {
        eprintln!();
    }
    let mut wrote_failed = false;
    for (n, finding) in report.findings.iter().enumerate() {
        let file = counterexample::scenario(&raw, from, &report, finding, &config.never);
        let body = scenario::save::to_text(&file);
        if args.open {
            // Listed in the UI instead (below).
        } else if args.json {
            say(&format!(
                "{}\n",
                counterexample::json(&report, finding, &config.never)
            ));
        } else {
            say(&finding_text(n, finding, &config, &body));
        }
        if let Some(dir) = &args.output
            && !write_finding(dir, n, &finding.name(), &body, args.force)
        {
            wrote_failed = true;
        }
    }
    if args.open && !report.findings.is_empty() {
        let explored = crate::tui::explore_job::Explored::of(&report, &config.never);
        if let Err(e) = crate::tui::run_explored(loaded, from, explored) {
            eprintln!("cartsim: {e:#}");
            return EXIT_LOAD;
        }
    }
    say(&summary(&report, args.json));
    if wrote_failed {
        EXIT_LOAD
    } else if report.findings.is_empty() {
        EXIT_OK
    } else {
        EXIT_FAILED
    }
}

/// One finding as text: what, why, and the counterexample's transcript.
fn finding_text(n: usize, finding: &explore::Finding, config: &Config, body: &str) -> String {
    let (sentence, why) = counterexample::describe(finding, &config.never);
    let mut out = format!(
        "\n#{} {} (depth {})\n  {}\n  why wrong: {}\n",
        n + 1,
        finding.name(),
        finding.path.len(),
        sanitize::line(&sentence),
        why
    );
    match scenario::load_bytes(&format!("{}.json", finding.name()), body.as_bytes()) {
        Ok(s) => {
            let reports = play_headless(&s);
            let mut tally = transcript::Tally::default();
            out.push_str(&transcript::text(&s, &reports, &mut tally));
        }
        Err(e) => out.push_str(&format!("  (the counterexample does not load: {e})\n")),
    }
    out
}

/// Writes one counterexample; false when it could not be written.
fn write_finding(dir: &Path, n: usize, name: &str, body: &str, force: bool) -> bool {
    if let Err(e) = std::fs::create_dir_all(dir) {
        eprintln!("cartsim: cannot create {}: {e}", sanitize::path(dir));
        return false;
    }
    let path = dir.join(format!("{:02}-{name}.json", n + 1));
    let permit = crate::safe_write::Permit {
        overwrite: force,
        follow_symlinks: false,
    };
    match crate::safe_write::write(&path, body.as_bytes(), permit) {
        Ok(_) => {
            eprintln!("wrote {}", sanitize::path(&path));
            true
        }
        Err(e) => {
            eprintln!("cartsim: {e}");
            false
        }
    }
}

/// The summary: text, or the last JSON Lines object.
pub fn summary(report: &Report, json: bool) -> String {
    let p = &report.progress;
    let seconds = (p.seconds * 1000.0).round() / 1000.0;
    let rate = p.states_per_second().round();
    if json {
        return format!(
            "{}\n",
            serde_json::json!({
                "kind": "summary",
                "states": p.states,
                "depth": p.depth,
                "seconds": seconds,
                "states_per_second": rate,
                "findings": report.findings.len(),
                "alphabet": report.alphabet.len(),
                "complete": report.complete,
                "truncated": report.truncated,
                "interrupted": report.interrupted,
                "time_observable": report.timed,
                "peak_frontier": p.peak_frontier,
                "bytes_per_state": (p.bytes_per_state() * 10.0).round() / 10.0,
            })
        );
    }
    let end = if report.interrupted {
        "interrupted"
    } else if report.truncated {
        "stopped at --max-states"
    } else {
        "complete"
    };
    format!(
        "\nexplore: {} distinct states to depth {} ({end}), {} actions in the alphabet, {} finding{}{}\n  speed: {seconds} s, {rate} states/s, {:.1} bytes per visited state, peak frontier {}\n",
        p.states,
        p.depth,
        report.alphabet.len(),
        report.findings.len(),
        if report.findings.len() == 1 { "" } else { "s" },
        if report.timed {
            "; time is observable, so the clock counts"
        } else {
            ""
        },
        p.bytes_per_state(),
        p.peak_frontier,
    )
}
