//! The run loop: the real terminal, the clock, and (in watch mode) the file.
//!
//! When nothing moves and playback is paused it blocks on `event::read()`, so an idle UI
//! uses no CPU. While playing or animating it waits with `event::poll` for at most a
//! frame. It redraws only after an event or a timer tick. On a served world (`cartsim
//! serve --ui`) it also looks for what the server did every [`LIVE_EVERY`].

use super::app::{App, Live, MIN_HEIGHT, MIN_WIDTH, Msg};
use super::effect::{Effect, drive, drive_with, perform};
use super::explore_job::Job;
use super::signals;
use super::theme::Theme;
use super::view;
use crate::player::recovery::{self, Keeper};
use crate::scenario::{self, Scenario};
use crossterm::event::{self, Event};
use ratatui::DefaultTerminal;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant, SystemTime};

/// How often watch mode looks at the file.
pub const WATCH_EVERY: Duration = Duration::from_millis(500);
/// How often the UI of a served world looks for what happened to it.
pub const LIVE_EVERY: Duration = Duration::from_millis(50);
/// How often the screen shows an exploration's figures while it runs.
pub const EXPLORE_EVERY: Duration = Duration::from_millis(100);

/// Runs the UI on these scenarios until the user quits.
pub fn run(scenarios: Vec<Scenario>) -> anyhow::Result<()> {
    let app = App::new(scenarios, Theme::from_env());
    with_terminal(app, None, None)
}

/// Runs the UI on one scenario at the state after its first `at` steps, with what
/// `cartsim explore --open` found from there listed to play as branches.
pub fn run_explored(
    scenario: Scenario,
    at: usize,
    explored: super::explore_job::Explored,
) -> anyhow::Result<()> {
    let mut app = App::new(vec![scenario], Theme::from_env());
    app.show_findings(at, explored);
    with_terminal(app, None, None)
}

/// Runs the UI on a served world (`cartsim serve --ui`): `scenario` holds the world the
/// server started from, and `feed` what happened to it since; the UI replays each event
/// as it arrives.
pub fn run_live(scenario: Scenario, feed: Receiver<Live>) -> anyhow::Result<()> {
    let app = App::new(vec![scenario], Theme::from_env());
    signals::quit_gracefully(true);
    let result = with_terminal(app, None, Some(feed));
    signals::quit_gracefully(false);
    result
}

/// Runs the UI on a folder's files: those that did not load are listed in the picker,
/// marked, with their errors.
pub fn run_loaded(loaded: Vec<Result<Scenario, scenario::LoadError>>) -> anyhow::Result<()> {
    let app = App::with_broken(loaded, Theme::from_env());
    with_terminal(app, None, None)
}

/// Runs the UI on one file, reloading it whenever it changes on disk.
pub fn run_watch(path: &Path) -> anyhow::Result<()> {
    run_watch_from(path, scenario::load_file(path))
}

/// [`run_watch`] with the file's first load already done (the command line shows a big
/// file's first load with its progress, and can stop it).
pub fn run_watch_from(
    path: &Path,
    first: Result<Scenario, scenario::LoadError>,
) -> anyhow::Result<()> {
    let app = App::watch(path.display().to_string(), first, Theme::from_env());
    with_terminal(app, Some(path.to_path_buf()), None)
}

fn with_terminal(
    mut app: App,
    watch: Option<PathBuf>,
    feed: Option<Receiver<Live>>,
) -> anyhow::Result<()> {
    // The preferences that stay across sessions (presenter mode, speed, palette), read
    // in their one place and given to the scenario already open.
    let problems = app.prefs.load();
    app.apply_settings(app.prefs.settings());
    if !problems.is_empty() {
        // The rest of the file applies; `cartsim --help` lists every problem too.
        let more = match problems.len() {
            1 => String::new(),
            n => format!(" (and {} more: see cartsim --help)", n - 1),
        };
        drive(&mut app, Msg::Notice(format!("{}{more}", problems[0])));
    }
    // `w` saves into the folder the user started from; shown in full in the dialog.
    if let Ok(dir) = std::env::current_dir() {
        app.files.save_dir = dir;
    }
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        anyhow::bail!(
            "the terminal UI needs a terminal; for a transcript use `cartsim run FILE...`"
        );
    }
    // A branch a killed UI left behind is offered first, on the plain terminal.
    let recovery_dir = recovery::dir();
    if let Some(dir) = &recovery_dir {
        offer_recovery(&mut app, dir);
    }
    let mut keeper = recovery_dir.map(|dir| Keeper::new(recovery::file_in(&dir)));
    if let Some(k) = &keeper {
        signals::set_recovery_file(k.path());
    }
    // try_init() enters raw mode and the alternate screen, and installs a panic hook
    // that restores the terminal before the panic message prints; signals restore it
    // too (see `signals`).
    let cooked = signals::save_cooked_modes();
    let mut terminal = match ratatui::try_init() {
        Ok(t) => t,
        Err(e) => {
            ratatui::restore();
            anyhow::bail!("cannot open the terminal UI: {e}");
        }
    };
    let guard = match cooked.map(signals::install) {
        Some(Ok(guard)) => Some(guard),
        Some(Err(e)) => {
            ratatui::restore();
            anyhow::bail!("cannot watch for signals: {e}");
        }
        None => None,
    };
    let result = event_loop(&mut terminal, app, watch, feed, &mut keeper);
    ratatui::restore();
    drop(guard);
    // A normal quit asked about an unsaved branch already (save or discard): its
    // recovery file goes. After an error (the terminal went away) it stays.
    if result.is_ok()
        && let Some(k) = keeper.as_mut()
        && let Err(e) = k.keep(None, String::new)
    {
        eprintln!("cartsim: {e}");
    }
    // What the UI asked to say once the terminal is back (where a branch was saved).
    for line in result? {
        println!("{line}");
    }
    Ok(())
}

/// Offers to recover the newest branch a UI that no longer runs left in the recovery
/// folder: on yes it is written as a scenario file in the save folder (as `w` would
/// have), opened, and its recovery file removed.
fn offer_recovery(app: &mut App, dir: &Path) {
    use std::io::Write;
    let orphans = recovery::orphans(dir);
    let Some(newest) = orphans.last() else {
        return;
    };
    let name = super::effect::free_name(&app.files.save_dir);
    let target = app.files.save_dir.join(&name);
    let more = match orphans.len() {
        1 => String::new(),
        n => format!(" ({} more: cartsim recover lists them)", n - 1),
    };
    eprint!(
        "cartsim: a UI that ended left an unsaved branch: {}{more}\r\nRecover it into {} and open it? [Y/n] ",
        newest.describe(),
        scenario::sanitize::path(&target)
    );
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    if std::io::stdin().read_line(&mut answer).is_err() {
        return;
    }
    if !matches!(answer.trim(), "" | "y" | "Y" | "yes") {
        eprintln!("cartsim: kept; `cartsim recover` lists it");
        return;
    }
    let permit = crate::safe_write::Permit::default();
    let written = newest.restore().and_then(|text| {
        crate::safe_write::write(&target, text.as_bytes(), permit).map_err(|e| e.to_string())
    });
    let opened = written.and_then(|path| {
        scenario::load_file(&path)
            .map(|s| (path, s))
            .map_err(|e| e.to_string())
    });
    match opened {
        Ok((path, s)) => {
            let _ = newest.remove();
            app.picker.scenarios.push(s);
            app.open(app.picker.scenarios.len() - 1);
            app.status = Some(scenario::sanitize::line(&format!(
                "recovered into {}: End shows where the branch stood",
                path.display()
            )));
        }
        Err(e) => eprintln!(
            "cartsim: could not recover it: {}; `cartsim recover` lists it",
            scenario::sanitize::line(&e)
        ),
    }
}

/// Keeps the unsaved branch in the recovery file (or removes the file when there is none
/// any more). A signal that arrives during the write ends the process after it.
fn keep_branch(keeper: &mut Option<Keeper<(usize, usize, String)>>, app: &mut App) {
    let Some(k) = keeper.as_mut() else {
        return;
    };
    let branch = app.unsaved_branch_key();
    signals::writing(true);
    let result = k.keep(branch, || {
        app.player
            .playback
            .as_ref()
            .map(recovery::snapshot)
            .unwrap_or_default()
    });
    signals::keeping_branch(k.holds_a_branch());
    signals::writing(false);
    if let Err(e) = result {
        drive(
            app,
            Msg::Notice(format!("the branch is not kept for recovery: {e}")),
        );
    }
}

/// What the watcher last saw of the file.
#[derive(Debug, Default, PartialEq, Eq)]
struct Seen {
    modified: Option<SystemTime>,
    len: Option<u64>,
    contents: Option<Vec<u8>>,
}

fn look(path: &Path) -> Seen {
    let meta = std::fs::metadata(path).ok();
    Seen {
        modified: meta.as_ref().and_then(|m| m.modified().ok()),
        len: meta.as_ref().map(|m| m.len()),
        // Contents too: some editors save twice within one mtime tick. Read like the
        // loader reads: a FIFO or device is refused at once instead of blocking the UI.
        contents: scenario::load::read_file(path).ok(),
    }
}

fn event_loop(
    terminal: &mut DefaultTerminal,
    mut app: App,
    watch: Option<PathBuf>,
    feed: Option<Receiver<Live>>,
    keeper: &mut Option<Keeper<(usize, usize, String)>>,
) -> anyhow::Result<Vec<String>> {
    let start = Instant::now();
    let mut seen = watch.as_deref().map(look);
    let mut last_look = Instant::now();
    let mut redraw = true;
    let mut budget = super::work::Budget::default();
    // An exploration from the moment on screen (`X`), running beside the UI.
    let mut job: Option<Job> = None;
    loop {
        app.now = start.elapsed();
        // The I/O `update` never does: the unsaved branch kept as it grows.
        keep_branch(keeper, &mut app);
        // A served world's watcher quits on a signal so the server can stop cleanly.
        if signals::take_quit().is_some() {
            return Ok(std::mem::take(&mut app.files.farewell));
        }
        if signals::take_redraw() {
            // Continued after a suspend: the screen was left, so draw all of it.
            // (Not `Terminal::clear`, which asks the terminal for the cursor position.)
            use ratatui::backend::{Backend, ClearType};
            terminal.backend_mut().clear_region(ClearType::All)?;
            // Each swap blanks the buffer the next frame is compared with.
            terminal.swap_buffers();
            terminal.swap_buffers();
            redraw = true;
        }
        if redraw {
            // Playback waits while the terminal is too small to show it.
            let size = terminal.size()?;
            let small = size.width < MIN_WIDTH || size.height < MIN_HEIGHT;
            if small != app.too_small {
                drive_loop(&mut app, &mut job, Msg::TooSmall(small));
            }
            terminal.draw(|frame| view::draw(frame, &app))?;
        }
        if app.quit {
            return Ok(std::mem::take(&mut app.files.farewell));
        }
        let mut wait = app.wake_in();
        if watch.is_some() {
            let left = WATCH_EVERY.saturating_sub(last_look.elapsed());
            wait = Some(wait.map_or(left, |w| w.min(left)));
        }
        if feed.is_some() {
            wait = Some(wait.map_or(LIVE_EVERY, |w| w.min(LIVE_EVERY)));
        }
        if job.is_some() {
            wait = Some(wait.map_or(EXPLORE_EVERY, |w| w.min(EXPLORE_EVERY)));
        }
        // Long work: the keys first (Esc or Ctrl-C stops it), then the next slice.
        let busy = app.work.is_some();
        if busy {
            wait = Some(Duration::ZERO);
        }
        let event = match wait {
            None => Some(event::read()?),
            Some(timeout) => {
                if event::poll(timeout)? {
                    Some(event::read()?)
                } else {
                    None
                }
            }
        };
        app.now = start.elapsed();
        // Key releases and repeats of other kinds are ignored: only presses act.
        redraw = match &event {
            Some(e) => match e.as_key_press_event() {
                Some(key) if is_suspend(&key) => {
                    signals::suspend();
                    true
                }
                Some(key) => {
                    // The effects `update` asks for (writing a file) are done here.
                    drive_loop(&mut app, &mut job, Msg::Key(key));
                    drive_loop(&mut app, &mut job, Msg::Frame);
                    true
                }
                None => matches!(e, Event::Resize(..)),
            },
            None if busy => {
                let slice = Instant::now();
                drive_loop(&mut app, &mut job, Msg::Work(budget.steps()));
                budget.took(slice.elapsed());
                true
            }
            None => {
                drive_loop(&mut app, &mut job, Msg::Frame);
                true
            }
        };
        // The exploration's figures, or its end.
        if let Some(j) = job.as_mut() {
            let msg = match j.poll() {
                Some(end) => {
                    job = None;
                    end
                }
                None => Msg::Exploring(j.progress()),
            };
            drive_loop(&mut app, &mut job, msg);
            redraw = true;
        }
        // The served world's events since the last look, in order.
        while let Some(live) = feed.as_ref().and_then(|f| f.try_recv().ok()) {
            drive_loop(&mut app, &mut job, Msg::Live(live));
            redraw = true;
        }
        if let Some(path) = watch.as_deref()
            && last_look.elapsed() >= WATCH_EVERY
        {
            last_look = Instant::now();
            let now = look(path);
            if seen.as_ref() != Some(&now) {
                seen = Some(now);
                drive_loop(
                    &mut app,
                    &mut job,
                    Msg::Reloaded(Box::new(scenario::load_file(path))),
                );
                redraw = true;
            }
        }
    }
}

/// [`drive`] as the run loop does it: an exploration starts on its own thread (kept in
/// `job`) instead of holding up the screen, and Esc stops it.
fn drive_loop(app: &mut App, job: &mut Option<Job>, msg: Msg) {
    drive_with(app, msg, &mut |effect| match effect {
        Effect::Explore(request) => {
            *job = Some(Job::start(*request));
            None
        }
        Effect::StopExplore => {
            if let Some(j) = job.as_ref() {
                j.stop();
            }
            None
        }
        other => perform(other),
    });
}

/// Ctrl-Z: raw mode delivers it as a key instead of suspending.
fn is_suspend(key: &crossterm::event::KeyEvent) -> bool {
    key.code == crossterm::event::KeyCode::Char('z')
        && key
            .modifiers
            .contains(crossterm::event::KeyModifiers::CONTROL)
}
