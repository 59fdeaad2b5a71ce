//! `cartsim diagnose`: the command line of the diagnosis. It reads the files, calls
//! [`crate::diagnose`] and prints, or opens the rebuilt world in the terminal UI.

use crate::diagnose::rebuild::{Options, check_setting};
use crate::diagnose::{Input, values};
use crate::engine::{Edition, Permission};
use crate::scenario::sanitize;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Exit status: the diagnosis was printed (or the UI closed normally).
pub const EXIT_OK: u8 = 0;
/// Exit status: an input could not be read or is not a query result, or bad usage.
pub const EXIT_BAD_INPUT: u8 = 2;

/// The arguments of `cartsim diagnose`.
#[derive(Debug, Clone, clap::Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["files", "queries"])))]
pub struct DiagnoseArgs {
    /// Files written by `sf data query --json` or `--result-format csv` (WebCart,
    /// CartCheckoutSession, BackgroundOperation, CartValidationOutput, and optionally
    /// CartDeliveryGroup, PaymentAuthorization, Order, WebStore, User, BuyerAccount,
    /// BuyerGroupMember, WebStoreBuyerGroup) or by `sf data get record --json`, one
    /// object or several per file, told from the content; a folder means its .json and
    /// .csv files; - reads standard input.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Print the `sf data query` commands that fetch everything the diagnosis needs
    /// about this cart (a 15- or 18-character WebCart id), instead of diagnosing.
    #[arg(long, value_name = "CART_ID", conflicts_with_all = ["files", "json", "open"])]
    pub queries: Option<String>,
    /// Print the diagnosis as JSON.
    #[arg(long)]
    pub json: bool,
    /// Open the rebuilt world in the terminal UI to try each action (w saves it as a
    /// scenario file).
    #[arg(long, conflicts_with = "json")]
    pub open: bool,
    /// Replace the real ids with readable ones (cart-1, ccs-1, bop-1, ...) and every
    /// free text (names, e-mails, validation messages, operation errors, URLs) and file
    /// path, keeping codes, statuses, times and amounts, so the diagnosis or a saved
    /// scenario can be shared in training.
    #[arg(long)]
    pub anonymize: bool,
    /// The time to diagnose at (ISO 8601, e.g. 2026-11-25T14:30:00Z; `now` for this
    /// machine's clock). Default: the latest time in the records.
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
    /// Minutes per tick of the simulator's clock.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=10_080))]
    pub tick_minutes: u64,
    /// The store's checkout time-to-live in minutes (`none`: checkouts never expire;
    /// 0 disables checkout). Default: WebStore.CheckoutTimeToLive, else 2880.
    #[arg(long, value_name = "N|none")]
    pub ttl_minutes: Option<String>,
    /// The edition whose store settings (readings) to start from: 1 or 2.
    #[arg(long, value_name = "1|2", default_value = "2")]
    pub edition: String,
    /// A store setting, KEY=VALUE (e.g. cancel_requirements=lenient, template=lwr);
    /// may be repeated. `cartsim rules` lists the readings.
    #[arg(long = "setting", value_name = "KEY=VALUE")]
    pub settings: Vec<String>,
    /// A permission the buyer does NOT hold (edit_cart, checkout, cancel_checkout);
    /// may be repeated. Default: the buyer holds all three.
    #[arg(long, value_name = "PERMISSION")]
    pub without: Vec<String>,
}

/// Runs `cartsim diagnose`; returns the exit status.
pub fn run(args: &DiagnoseArgs) -> u8 {
    if let Some(cart) = &args.queries {
        // The queries name the cart exactly: a mistyped checksum is refused here.
        let checked = values::check_id(cart, values::IdKind::WebCart)
            .and_then(|c| c.warning.map_or(Ok(()), Err));
        return match checked {
            Ok(()) => out(&crate::diagnose::queries::commands(cart)),
            Err(why) => fail(&[format!("--queries {}: {why}", sanitize::line(cart))]),
        };
    }
    if args.open {
        // The rebuild of a big export takes a while: the terminal shows how far it has
        // got, and Esc or Ctrl-C stops it.
        let owned = args.clone();
        let rebuilt =
            match crate::tui::loading::run("diagnose --open", move || scenario_to_open(&owned)) {
                Ok(crate::tui::loading::Loaded::Done(rebuilt)) => rebuilt,
                Ok(crate::tui::loading::Loaded::Stopped(seen)) => {
                    eprintln!(
                        "cartsim: diagnose --open stopped ({})",
                        crate::tui::loading::figure(&seen)
                    );
                    return super::EXIT_STOPPED;
                }
                Err(e) => return fail(&[format!("{e:#}")]),
            };
        return match rebuilt {
            Ok(scenario) => match crate::tui::run(vec![scenario]) {
                Ok(()) => EXIT_OK,
                Err(e) => fail(&[format!("{e:#}")]),
            },
            Err(e) => fail(&e),
        };
    }
    let options = match options(args) {
        Ok(o) => o,
        Err(e) => return fail(&[e]),
    };
    let inputs = match read_inputs(&args.files) {
        Ok(i) => i,
        Err(e) => return fail(&e),
    };
    // The inputs are dropped as they are read, and each cart is printed as soon as it
    // is diagnosed: a big export is never held as text, records and diagnosis at once.
    let (rebuilt, notes) = match crate::diagnose::rebuild_inputs(inputs, &options, args.anonymize) {
        Ok(r) => r,
        Err(e) => return fail(&e),
    };
    let summary = crate::diagnose::explain::summary(&rebuilt, notes);
    let mut stdout = std::io::BufWriter::with_capacity(
        1 << 16,
        Output {
            out: std::io::stdout().lock(),
            error: None,
        },
    );
    let written = if args.json {
        crate::diagnose::explain::write_json(&rebuilt, &summary, &mut stdout)
            .map_err(|e| e.to_string())
            .and_then(|()| stdout.write_all(b"\n").map_err(|e| e.to_string()))
    } else {
        crate::diagnose::explain::write_text(&rebuilt, &summary, &mut stdout)
            .map_err(|e| e.to_string())
    };
    let written = written.and_then(|()| stdout.flush().map_err(|e| e.to_string()));
    // The process ends now: freeing the records and the world one by one would only
    // make it end later.
    std::mem::forget(rebuilt);
    match (written, stdout.get_mut().error.take()) {
        (Ok(()), _) => EXIT_OK,
        (Err(_), Some(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_BAD_INPUT,
        (Err(_), Some(e)) => {
            eprintln!("cartsim: cannot write to standard output: {e}");
            EXIT_BAD_INPUT
        }
        (Err(e), None) => fail(&[format!("cannot write the diagnosis as JSON: {e}")]),
    }
}

/// Standard output, keeping the first error writing to it: the JSON writer reports it
/// wrapped, and a closed pipe ends the command quietly.
struct Output<W> {
    out: W,
    error: Option<std::io::Error>,
}

impl<W: Write> Write for Output<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.out.write(buf).map_err(|e| self.keep(e))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush().map_err(|e| self.keep(e))
    }
}

impl<W> Output<W> {
    /// Keeps the error (the first one) and returns one like it to the writer.
    fn keep(&mut self, e: std::io::Error) -> std::io::Error {
        let like = std::io::Error::new(e.kind(), e.to_string());
        self.error.get_or_insert(e);
        like
    }
}

/// What `--open` opens: the world rebuilt from the files with every setting the flags
/// give (`--setting`, `--ttl-minutes`, `--edition`, `--without`, `--now`,
/// `--tick-minutes`, `--anonymize`), as a scenario with no steps.
pub fn scenario_to_open(args: &DiagnoseArgs) -> Result<crate::scenario::Scenario, Vec<String>> {
    let options = options(args).map_err(|e| vec![e])?;
    let inputs = read_inputs(&args.files)?;
    let (rebuilt, diagnosis) = crate::diagnose::diagnose(&inputs, &options, args.anonymize)?;
    Ok(crate::diagnose::scenario(
        rebuilt.world,
        &diagnosis,
        options.edition,
    ))
}

/// The options from the flags, each checked with a message naming the flag.
pub fn options(args: &DiagnoseArgs) -> Result<Options, String> {
    let edition = Edition::parse(&args.edition).ok_or_else(|| {
        format!(
            "--edition {}: expected 1 or 2",
            sanitize::line(&args.edition)
        )
    })?;
    let now = match args.now.as_deref() {
        None => None,
        Some("now") => Some(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64),
        ),
        Some(t) => Some(values::parse_timestamp(t).map_err(|why| format!("--now: {why}"))?),
    };
    let ttl_minutes = match args.ttl_minutes.as_deref() {
        None => None,
        Some("none") => Some(None),
        Some(n) => Some(Some(n.parse::<u64>().map_err(|_| {
            format!(
                "--ttl-minutes {}: expected a whole number of minutes or none",
                sanitize::line(n)
            )
        })?)),
    };
    let settings = args
        .settings
        .iter()
        .map(|s| check_setting(s).map_err(|e| sanitize::line(&e)))
        .collect::<Result<Vec<_>, _>>()?;
    let without = args
        .without
        .iter()
        .map(|p| {
            Permission::parse(p).ok_or_else(|| {
                format!(
                    "--without {}: expected edit_cart, checkout or cancel_checkout",
                    sanitize::line(p)
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Options {
        edition,
        tick_minutes: args.tick_minutes,
        ttl_minutes,
        settings,
        without,
        now,
    })
}

/// Reads the inputs: files, folders (their .json and .csv files, by name) and `-`.
pub fn read_inputs(files: &[PathBuf]) -> Result<Vec<Input>, Vec<String>> {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for file in files {
        if file.as_os_str() == "-" {
            use std::io::Read;
            let mut bytes = Vec::new();
            let limit = crate::scenario::load::MAX_FILE_BYTES as u64;
            match std::io::stdin()
                .lock()
                .take(limit + 1)
                .read_to_end(&mut bytes)
            {
                Ok(_) if bytes.len() as u64 > limit => {
                    errors.push(format!("<stdin>: larger than {limit} bytes"))
                }
                Ok(_) => inputs.push(Input {
                    name: "<stdin>".to_string(),
                    bytes,
                }),
                Err(e) => errors.push(format!("<stdin>: cannot read: {e}")),
            }
            continue;
        }
        let paths = if file.is_dir() {
            match folder(file) {
                Ok(p) => p,
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            }
        } else {
            vec![file.clone()]
        };
        for path in paths {
            match crate::scenario::load::read_file(&path) {
                Ok(bytes) => inputs.push(Input {
                    name: path.display().to_string(),
                    bytes,
                }),
                Err(e) => errors.push(e.to_string()),
            }
        }
    }
    if errors.is_empty() {
        Ok(inputs)
    } else {
        Err(errors)
    }
}

fn folder(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: cannot read the folder: {e}", sanitize::path(dir)))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json" || x == "csv"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!(
            "{}: the folder holds no .json or .csv files",
            sanitize::path(dir)
        ));
    }
    Ok(files)
}

fn out(text: &str) -> u8 {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => EXIT_OK,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_BAD_INPUT,
        Err(e) => {
            eprintln!("cartsim: cannot write to standard output: {e}");
            EXIT_BAD_INPUT
        }
    }
}

fn fail(errors: &[String]) -> u8 {
    for e in errors {
        eprintln!("{}", sanitize::line(e));
    }
    EXIT_BAD_INPUT
}
