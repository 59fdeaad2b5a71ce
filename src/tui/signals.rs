//! The terminal is restored on every way out, and Ctrl-Z suspends.
//!
//! While the UI runs, handlers (registered with signal-hook) catch SIGTERM, SIGHUP,
//! SIGINT, SIGQUIT and SIGABRT (which an allocation failure raises through `abort`): each
//! leaves the alternate screen, shows the cursor, puts back the terminal modes saved
//! before raw mode, and then lets the signal do what it does by default (the process
//! ends by that signal, so the shell sees the usual status). Only async-signal-safe calls
//! are made there: `write(2)` and `tcsetattr(3)`.
//!
//! While the UI keeps an unsaved branch in its recovery file
//! ([`crate::player::recovery`]), SIGTERM, SIGHUP, SIGINT and SIGQUIT also print where
//! it is kept; one that arrives while that file is being written waits until the write
//! is finished ([`writing`]), so the file on disk is the branch as it was last seen.
//!
//! SIGTSTP (and Ctrl-Z, which raw mode delivers as a key) restores the terminal the same
//! way and stops the process; when `fg` continues it, the handler puts the terminal back
//! into raw mode and the alternate screen, flags a full redraw, and raises SIGWINCH so the
//! blocked event loop wakes up (crossterm turns it into a resize event).

use signal_hook::consts::{SIGABRT, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP, SIGWINCH};
use signal_hook::low_level;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

/// Terminal modes before raw mode, and in raw mode.
struct Modes {
    cooked: libc::termios,
    raw: libc::termios,
}

static MODES: OnceLock<Modes> = OnceLock::new();
static REDRAW: AtomicBool = AtomicBool::new(false);
/// What to print when a signal ends the UI while a branch is kept: set once, before the
/// handlers may read it.
static RECOVERY_NOTE: OnceLock<Vec<u8>> = OnceLock::new();
/// The recovery file holds an unsaved branch.
static KEEPING: AtomicBool = AtomicBool::new(false);
/// The recovery file is being written.
static WRITING: AtomicBool = AtomicBool::new(false);
/// A signal that arrived while the recovery file was being written (0: none).
static DEFERRED: AtomicI32 = AtomicI32::new(0);
/// True while the UI watches a served world (`cartsim serve --ui`): SIGTERM, SIGINT and
/// SIGQUIT then ask the run loop to quit, so that the server stops cleanly
/// and its record is written, instead of ending the process at once.
static GRACEFUL: AtomicBool = AtomicBool::new(false);
/// The signal that asked a graceful quit, 0 for none.
static QUIT: AtomicI32 = AtomicI32::new(0);

/// Makes SIGTERM, SIGINT and SIGQUIT ask the run loop to quit instead of ending the
/// process (for a served world's watcher, whose server must stop cleanly).
pub fn quit_gracefully(on: bool) {
    GRACEFUL.store(on, Ordering::SeqCst);
}

/// The signal that asked the run loop to quit, once.
pub fn take_quit() -> Option<i32> {
    let signal = QUIT.swap(0, Ordering::SeqCst);
    (signal != 0).then_some(signal)
}

/// Leaves the alternate screen, shows the cursor and resets colours.
const LEAVE: &[u8] = b"\x1b[0m\x1b[?25h\x1b[?1049l";
/// Enters the alternate screen and hides the cursor again.
const ENTER: &[u8] = b"\x1b[?1049h\x1b[?25l";

fn write_all(bytes: &[u8]) {
    write_to(libc::STDOUT_FILENO, bytes);
}

fn write_to(fd: libc::c_int, bytes: &[u8]) {
    // SAFETY: write(2) on a valid buffer; async-signal-safe.
    let _ = unsafe { libc::write(fd, bytes.as_ptr().cast(), bytes.len()) };
}

/// Names the recovery file in what a signal prints; call once, before [`install`].
pub fn set_recovery_file(path: &std::path::Path) {
    let shown = crate::scenario::sanitize::path(path);
    let _ = RECOVERY_NOTE.set(
        format!("cartsim: the unsaved branch is kept in {shown}\r\ncartsim: `cartsim recover` restores it (the next start offers to)\r\n")
            .into_bytes(),
    );
}

/// Says whether the recovery file now holds an unsaved branch.
pub fn keeping_branch(on: bool) {
    KEEPING.store(on, Ordering::SeqCst);
}

/// Marks the recovery file's write as started (`true`) or finished (`false`). A signal
/// that arrived meanwhile ends the process now, as it would have then.
pub fn writing(on: bool) {
    WRITING.store(on, Ordering::SeqCst);
    if !on {
        let signal = DEFERRED.swap(0, Ordering::SeqCst);
        if signal != 0
            && let Some(modes) = MODES.get()
        {
            end(signal, modes);
        }
    }
}

/// What an ending signal does: the terminal restored, the recovery file named, then the
/// signal's default action. Async-signal-safe.
fn end(signal: i32, modes: &Modes) {
    write_all(LEAVE);
    set_modes(&modes.cooked);
    if KEEPING.load(Ordering::SeqCst)
        && let Some(note) = RECOVERY_NOTE.get()
    {
        write_to(libc::STDERR_FILENO, note);
    }
    let _ = low_level::emulate_default_handler(signal);
}

fn set_modes(modes: &libc::termios) {
    // SAFETY: tcsetattr(3) with a termios that tcgetattr filled; async-signal-safe.
    let _ = unsafe { libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, modes) };
}

fn termios_now() -> Option<libc::termios> {
    // SAFETY: tcgetattr(3) fills the zeroed struct, which is plain data.
    unsafe {
        let mut t: libc::termios = std::mem::zeroed();
        (libc::tcgetattr(libc::STDIN_FILENO, &mut t) == 0).then_some(t)
    }
}

/// Takes the terminal modes before raw mode; call before entering it.
pub fn save_cooked_modes() -> Option<libc::termios> {
    termios_now()
}

/// The handlers, registered while the UI runs; dropping this unregisters them.
pub struct Guard {
    ids: Vec<signal_hook::SigId>,
}

impl Drop for Guard {
    fn drop(&mut self) {
        for id in self.ids.drain(..) {
            low_level::unregister(id);
        }
    }
}

/// Registers the handlers; `cooked` are the modes [`save_cooked_modes`] took before raw
/// mode was entered (raw mode must be on now).
pub fn install(cooked: libc::termios) -> std::io::Result<Guard> {
    let raw = termios_now().unwrap_or(cooked);
    let modes = MODES.get_or_init(|| Modes { cooked, raw });
    let mut ids = Vec::new();
    for signal in [SIGTERM, SIGHUP, SIGINT, SIGQUIT] {
        // SAFETY: the action only calls async-signal-safe functions.
        ids.push(unsafe {
            low_level::register(signal, move || {
                // A hang-up means the terminal is gone: nothing can be drawn any more, so
                // even a served world's watcher ends at once.
                if signal != SIGHUP && GRACEFUL.load(Ordering::SeqCst) {
                    QUIT.store(signal, Ordering::SeqCst);
                    return;
                }
                if WRITING.load(Ordering::SeqCst) {
                    // The run loop ends the process once the file is whole.
                    DEFERRED.store(signal, Ordering::SeqCst);
                    return;
                }
                end(signal, modes);
            })
        }?);
    }
    // An allocation failure aborts: nothing more is attempted than restoring.
    // SAFETY: as above.
    ids.push(unsafe {
        low_level::register(SIGABRT, move || {
            write_all(LEAVE);
            set_modes(&modes.cooked);
            let _ = low_level::emulate_default_handler(SIGABRT);
        })
    }?);
    // SAFETY: as above; raise(3) is async-signal-safe.
    ids.push(unsafe {
        low_level::register(SIGTSTP, move || {
            write_all(LEAVE);
            set_modes(&modes.cooked);
            let _ = low_level::raise(signal_hook::consts::SIGSTOP);
            // Continued (`fg`): back to the UI's modes, and redraw everything.
            set_modes(&modes.raw);
            write_all(ENTER);
            REDRAW.store(true, Ordering::SeqCst);
            let _ = low_level::raise(SIGWINCH);
        })
    }?);
    Ok(Guard { ids })
}

/// Suspends the process as SIGTSTP does (for Ctrl-Z, which raw mode turns into a key).
pub fn suspend() {
    let _ = low_level::raise(SIGTSTP);
}

/// True once after the process was continued: the screen must be redrawn in full.
pub fn take_redraw() -> bool {
    REDRAW.swap(false, Ordering::SeqCst)
}
