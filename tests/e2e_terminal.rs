//! End to end, in a real (pseudo-)terminal: the built binary is started in a pty, keys
//! are typed, and the screen is read back through a terminal emulator (vt100). No
//! external program is needed. Every wait polls the screen up to a deadline, so the
//! test does not depend on timing.

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn parser(rows: u16, cols: u16) -> vt100::Parser {
    let nz = |n: u16| std::num::NonZeroU16::new(n).expect("not zero");
    vt100::Parser::new(nz(rows), nz(cols), 0)
}

const DEADLINE: Duration = Duration::from_secs(15);

struct Screen {
    parser: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    /// Kept open while the test runs: closing the master hangs up the child.
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Screen {
    fn text(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    fn wait_for(&self, wanted: &[&str]) -> String {
        let start = Instant::now();
        loop {
            let text = self.text();
            if wanted.iter().all(|w| text.contains(w)) {
                return text;
            }
            if start.elapsed() > DEADLINE {
                panic!("waited {DEADLINE:?} for {wanted:?}; the screen shows:\n{text}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn press(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        // A lone Esc must not merge with the next key into Alt-key.
        std::thread::sleep(Duration::from_millis(60));
    }
}

/// Starts the binary in a pty of `rows` x `cols`, with a thread feeding its output to a
/// terminal emulator.
fn spawn(
    args: &[&str],
    rows: u16,
    cols: u16,
) -> (Screen, Box<dyn portable_pty::Child + Send + Sync>) {
    let pair = native_pty_system()
        .openpty(PtySize {
            rows,
            cols,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("a pty");
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_cartsim"));
    cmd.args(args);
    cmd.env("TERM", "xterm-256color");
    cmd.env_remove("NO_COLOR");
    // Settings go to a file of the test's own, not the user's config folder.
    cmd.env(
        "CARTSIM_CONFIG",
        std::env::temp_dir().join(format!("cartsim-e2e-config-{}.toml", std::process::id())),
    );
    // Recovery files too: a branch this test leaves is never offered to another run.
    cmd.env(
        "CARTSIM_STATE",
        std::env::temp_dir().join(format!("cartsim-e2e-state-{}", std::process::id())),
    );
    cmd.cwd(std::env::temp_dir());
    let child = pair.slave.spawn_command(cmd).expect("the binary starts");
    drop(pair.slave);
    let parser = Arc::new(Mutex::new(parser(rows, cols)));
    let mut reader = pair.master.try_clone_reader().unwrap();
    let feed = Arc::clone(&parser);
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            feed.lock().unwrap().process(&buf[..n]);
        }
    });
    let writer = pair.master.take_writer().unwrap();
    (
        Screen {
            parser,
            writer,
            _master: pair.master,
        },
        child,
    )
}

fn wait_exit(child: &mut Box<dyn portable_pty::Child + Send + Sync>) -> portable_pty::ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(start.elapsed() < DEADLINE, "the program did not exit");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn watch_mode_reloads_the_saved_file_at_the_same_step() {
    let dir = std::env::temp_dir().join(format!("cartsim-e2e-watch-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("watched.json");
    let original = include_str!("../scenarios/02-cancel-mid-checkout.json");
    std::fs::write(&file, original).unwrap();
    let path = file.display().to_string();
    let (mut s, mut child) = spawn(&["play", "--watch", &path], 40, 120);
    s.wait_for(&["Cancel in the middle of checkout", "step 0 of 5"]);
    s.press("l");
    s.press("l");
    s.wait_for(&["step 2 of 5"]);
    std::fs::write(
        &file,
        original.replace("Cancel in the middle of checkout", "Edited while watching"),
    )
    .unwrap();
    s.wait_for(&["Edited while watching", "step 2 of 5"]);
    std::fs::write(&file, "{\"cartsim\": 1, \"title\": \"broken\x1b[2J\"").unwrap();
    let text = s.wait_for(&["no longer loads", "watched.json"]);
    assert!(
        text.contains("Edited while watching"),
        "the last good version stays:\n{text}"
    );
    s.press("q");
    assert!(wait_exit(&mut child).success());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_new_user_session_in_a_real_terminal() {
    let (mut s, mut child) = spawn(&[], 40, 120);

    // The picker, on the built-in scenarios.
    s.wait_for(&["Pick a scenario", "A whole checkout"]);
    s.press("\r");
    s.wait_for(&[
        "Carts (WebCart)",
        "Checkout Sessions",
        "Background Operations",
        "step 0 of",
    ]);

    // Start a checkout on the selected cart: off script, the cart locks.
    s.press("s");
    s.wait_for(&["OFF SCRIPT", "Status ◐ Checkout", "Check Cart Inventory"]);

    // Cancel it: the operation is Canceled and the cart unlocked.
    s.press("x");
    s.wait_for(&["Canceled", "▪ archived", "unlocked"]);

    // Back to the picker: the branch is not saved, so b asks first. c keeps it; b again
    // and d discards it.
    s.press("b");
    s.wait_for(&["Unsaved branch", "save it as a scenario file", "discard it"]);
    s.press("c");
    s.wait_for(&["OFF SCRIPT"]);
    s.press("b");
    s.wait_for(&["Unsaved branch"]);
    s.press("d");
    s.wait_for(&["Pick a scenario"]);
    for _ in 0..3 {
        s.press("j");
    }
    s.wait_for(&["›  4. Cancelling a Closed cart"]);
    s.press("\r");
    s.wait_for(&["step 0 of"]);
    s.press("G");
    s.wait_for(&["● Closed"]);
    s.press("\x1b");
    s.press("x");
    s.wait_for(&["INVALID_OPERATION", "HTTP 403", "requirement 4"]);
    s.press("\x1b");

    // Help, made from the key table.
    s.press("?");
    s.wait_for(&[
        "Help: keys",
        "Cancel Cart Async Operation on the selected cart",
    ]);
    s.press("\x1b");

    // Quit: the refused cancel is a branch of one action, so q offers to save it; d
    // discards it and quits with exit code 0, the terminal back on the main screen.
    s.press("q");
    s.wait_for(&["Unsaved branch", "Quitting would discard it"]);
    s.press("d");
    let status = wait_exit(&mut child);
    assert!(status.success(), "exit status {status:?}");
    let start = Instant::now();
    loop {
        let restored = {
            let p = s.parser.lock().unwrap();
            !p.screen().alternate_screen() && !p.screen().hide_cursor()
        };
        if restored {
            break;
        }
        assert!(start.elapsed() < DEADLINE, "the terminal was not restored");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_tiny_terminal_shows_a_message_then_resizing_shows_the_ui() {
    let (mut s, mut child) = spawn(&[], 10, 40);
    s.wait_for(&["terminal too small", "80x24"]);
    // Growing the terminal redraws the whole UI.
    let size = PtySize {
        rows: 30,
        cols: 100,
        pixel_width: 0,
        pixel_height: 0,
    };
    let nz = |n: u16| std::num::NonZeroU16::new(n).expect("not zero");
    s.parser.lock().unwrap().set_size(nz(30), nz(100));
    s._master.resize(size).expect("resize");
    s.wait_for(&["Pick a scenario", "A whole checkout"]);
    // Ctrl-C quits cleanly too.
    s.press("\x03");
    let status = wait_exit(&mut child);
    assert!(status.success(), "exit status {status:?}");
}
