//! `cartsim serve`: the command line of the HTTP front end ([`crate::serve`]).

use crate::scenario::sanitize;
use crate::serve::{self, Config, session::Time};
use clap::Args;
use std::io::Write;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Serve the checkout API of a scenario's world on localhost.
#[derive(Debug, Args)]
#[command(after_long_help = AFTER_HELP)]
pub struct ServeArgs {
    /// The scenario file whose world is served (its steps are not played unless --from
    /// says so); a built-in scenario's name works too.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The port; 0 picks a free one (the address is printed either way).
    #[arg(long, default_value_t = serve::DEFAULT_PORT)]
    pub port: u16,
    /// The address to listen on. Anything but a loopback address lets other machines
    /// call the simulator, and a warning says so.
    #[arg(long, default_value_t = serve::DEFAULT_BIND, value_name = "ADDR")]
    pub bind: IpAddr,
    /// A bearer token for a buyer, BUYER=TOKEN (repeatable). Without one, a buyer's
    /// token is its id.
    #[arg(long = "token", value_name = "BUYER=TOKEN", value_parser = serve::parse_token)]
    pub tokens: Vec<(String, String)>,
    /// Milliseconds of wall time per tick of virtual time.
    #[arg(long, default_value_t = 1000, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=86_400_000))]
    pub tick_ms: u64,
    /// Virtual time passes only through the control API (POST /cartsim/advance,
    /// /cartsim/settle), for tests and demos.
    #[arg(long, conflicts_with = "tick_ms")]
    pub manual_time: bool,
    /// Write the session as a scenario file when the server stops (Ctrl-C or SIGTERM):
    /// one step per request that reached the engine, expecting the status it got.
    #[arg(long, value_name = "OUT")]
    pub record: Option<PathBuf>,
    /// Overwrite the --record file if it exists.
    #[arg(long, requires = "record")]
    pub force: bool,
    /// Play the file's first K steps before serving.
    #[arg(long, default_value_t = 0, value_name = "K")]
    pub from: usize,
    /// No line per request on standard error.
    #[arg(short, long)]
    pub quiet: bool,
    /// Watch the served world in the terminal UI: the panes move as requests arrive and
    /// the log lists each call with its status and body. q quits the UI and stops the
    /// server (and writes --record).
    #[arg(long)]
    pub ui: bool,
}

const AFTER_HELP: &str = "\
Paths (the Connect REST API; N is any API version, e.g. v63.0):
  PUT    /services/data/vN.0/commerce/webstores/STORE/checkouts          (POST before v57.0)
  GET    /services/data/vN.0/commerce/webstores/STORE/checkouts/ID|active
  PATCH  /services/data/vN.0/commerce/webstores/STORE/checkouts/ID|active
  DELETE /services/data/vN.0/commerce/webstores/STORE/checkouts/ID|active
  POST   .../checkouts/ID|active/payments   (paymentToken \"declined\" is declined)
  POST   .../checkouts/ID|active/orders
  POST   .../checkouts/ID|active/orders/actions   (Place Order V2)
  GET    /services/data/vN.0/commerce/webstores/STORE/carts/ID|active/cart-items
  POST   /services/data/vN.0/commerce/webstores/STORE/carts/ID|active/cart-items
  POST   /services/data/vN.0/actions/standard/checkoutSessionAction (aura stores; also
         updateCheckoutSessionStateAction, cancelCartAsyncOperation)
Every call needs `Authorization: Bearer TOKEN`; a buyer's token is its id unless --token
gives another. `?effectiveAccountId=ACCOUNT` switches the buyer's effective account first.
Control API (not Salesforce): GET /cartsim/state; POST /cartsim/advance, /cartsim/settle,
/cartsim/fail, /cartsim/custom-update, /cartsim/step, /cartsim/reset. See docs/serve.md.";

/// Runs `cartsim serve` until Ctrl-C or SIGTERM.
pub fn run(args: &ServeArgs) -> u8 {
    let (scenario, raw) = match super::inputs::load_one_with_raw(&args.file) {
        Ok(loaded) => loaded,
        Err(e) => {
            super::report_load_error(&e);
            return super::EXIT_LOAD;
        }
    };
    if let Some(path) = &args.record
        && !args.force
        && std::fs::symlink_metadata(path).is_ok()
    {
        eprintln!(
            "cartsim serve: {}: exists; not overwritten (give --force to replace it)",
            sanitize::path(path)
        );
        return super::EXIT_LOAD;
    }
    if !args.bind.is_loopback() {
        eprintln!(
            "cartsim serve: warning: listening on {}, not a loopback address: other machines can call this simulator",
            args.bind
        );
    }
    let config = Config {
        bind: args.bind,
        port: args.port,
        tokens: args.tokens.clone(),
        time: if args.manual_time {
            Time::Manual
        } else {
            Time::Wall(Duration::from_millis(args.tick_ms))
        },
        record: args.record.clone(),
        force: args.force,
        from: args.from,
        // The UI owns the terminal: a log line would break its screen.
        log: !args.quiet && !args.ui,
        feed: None,
    };
    if args.ui {
        return with_ui(&scenario, raw, config);
    }
    let running = match serve::spawn(&scenario, raw, config, true) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("cartsim serve: {}", sanitize::line(&e));
            return super::EXIT_LOAD;
        }
    };
    let mut out = std::io::stdout();
    let _ = writeln!(
        out,
        "cartsim serve: listening on http://{} ({}; Ctrl-C stops)",
        running.addr,
        sanitize::line(&scenario.title)
    );
    let _ = out.flush();
    match running.wait() {
        Ok(()) => {
            if let Some(path) = &args.record {
                eprintln!(
                    "cartsim serve: recorded the session in {}",
                    sanitize::path(path)
                );
            }
            super::EXIT_OK
        }
        Err(e) => {
            eprintln!("cartsim serve: {}", sanitize::line(&e));
            super::EXIT_LOAD
        }
    }
}

/// `--ui`: the server on its own thread, the terminal UI on this one, watching the world
/// the server started from and replaying what happens to it. Quitting the UI stops the
/// server.
fn with_ui(
    scenario: &crate::scenario::Scenario,
    raw: crate::scenario::format::RawScenario,
    mut config: Config,
) -> u8 {
    let (feed, events) = std::sync::mpsc::channel();
    config.feed = Some(feed);
    let from = config.from;
    let record = config.record.clone();
    let running = match serve::spawn(scenario, raw, config, false) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("cartsim serve: {}", sanitize::line(&e));
            return super::EXIT_LOAD;
        }
    };
    let mut world = scenario.world.clone();
    for step in scenario.steps.iter().take(from) {
        world.apply(&step.action);
    }
    let watched = crate::scenario::Scenario {
        title: format!("Served on http://{}: {}", running.addr, scenario.title),
        summary: Some(format!(
            "cartsim serve: the checkout API of this world listens on http://{}. The panes move as requests arrive; q stops the server.",
            running.addr
        )),
        steps: Vec::new(),
        world,
        ..scenario.clone()
    };
    let shown = crate::tui::run_live(watched, events);
    let stopped = running.stop();
    if let Err(e) = shown {
        eprintln!("cartsim serve: {e:#}");
        return super::EXIT_LOAD;
    }
    match stopped {
        Ok(()) => {
            if let Some(path) = &record {
                eprintln!(
                    "cartsim serve: recorded the session in {}",
                    sanitize::path(path)
                );
            }
            super::EXIT_OK
        }
        Err(e) => {
            eprintln!("cartsim serve: {}", sanitize::line(&e));
            super::EXIT_LOAD
        }
    }
}
