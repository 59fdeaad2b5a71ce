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

#[test]
fn play_without_a_file_opens_the_picker_and_a_number_opens_that_file() {
    let (mut s, mut child) = spawn(&["play"], 24, 80);
    s.wait_for(&["Pick a scenario", " 1. A whole checkout"]);
    s.press("G");
    s.wait_for(&["49. LWR store", "[LWR v2 quiz]"]);
    s.press("q");
    assert!(wait_exit(&mut child).success());
    let (mut s, mut child) = spawn(&["48"], 24, 80);
    s.wait_for(&["Aura or LWR?", "step 0 of"]);
    s.press("q");
    assert!(wait_exit(&mut child).success());
}

#[test]
fn a_folder_with_a_broken_file_opens_with_it_marked_and_its_error_readable() {
    let dir = std::env::temp_dir().join(format!("cartsim-e2e-broken-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("01-good.json"),
        include_str!("../scenarios/01-happy-path.json"),
    )
    .unwrap();
    std::fs::write(dir.join("02-bad.json"), "{\"cartsim\": 1, \"title\": 5}").unwrap();
    let path = dir.display().to_string();
    let (mut s, mut child) = spawn(&[&path], 40, 120);
    s.wait_for(&[
        "Pick a scenario",
        "1. A whole checkout",
        "✖ does not load: 02-bad.json",
    ]);
    s.press("j");
    s.wait_for(&["02-bad.json does not load", "title"]);
    s.press("\r");
    s.wait_for(&["Enter/Esc close"]);
    s.press("q");
    s.press("k");
    s.press("\r");
    s.wait_for(&["step 0 of 8"]);
    s.press("q");
    assert!(wait_exit(&mut child).success());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn save_then_quit_prints_the_path_and_the_replay_command() {
    let dir = std::env::temp_dir().join(format!("cartsim-e2e-farewell-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("02.json");
    std::fs::write(
        &file,
        include_str!("../scenarios/02-cancel-mid-checkout.json"),
    )
    .unwrap();
    let path = file.display().to_string();
    let (mut s, mut child) = spawn(&["play", &path], 40, 120);
    s.wait_for(&["step 0 of 5"]);
    s.press("l");
    s.press("x");
    s.wait_for(&["OFF SCRIPT"]);
    s.press("q");
    s.wait_for(&["Unsaved branch"]);
    s.press("s");
    s.wait_for(&["Save as scenario", "cartsim-branch"]);
    s.press("\r");
    assert!(wait_exit(&mut child).success());
    let text = s.wait_for(&[
        "replay it with: cartsim run",
        "steps, each with its expected result",
    ]);
    let line = text
        .lines()
        .find(|l| l.starts_with("saved "))
        .expect("the saved line");
    let saved = line["saved ".len()..].split(": ").next().unwrap();
    assert!(saved.starts_with(&dir.display().to_string()), "{text}");
    assert!(std::path::Path::new(saved).exists(), "{saved}");
    assert!(
        text.contains(&format!("replay it with: cartsim run {saved}")),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_recording_or_a_generated_file_is_not_poured_onto_a_terminal() {
    let (s, mut child) = spawn(&["export", "--cast", "01"], 24, 80);
    s.wait_for(&["not for reading on the terminal", "-o FILE.cast"]);
    assert_eq!(wait_exit(&mut child).exit_code(), 2);
    let (s, mut child) = spawn(&["generate"], 24, 80);
    s.wait_for(&["-o FILE.json"]);
    assert_eq!(wait_exit(&mut child).exit_code(), 2);
}

#[test]
fn explore_open_lists_the_findings_and_enter_plays_one_as_a_branch() {
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/40-lwr-happy-path.json"
    );
    let (mut s, mut child) = spawn(&["explore", file, "--open", "--depth", "3"], 24, 80);
    s.wait_for(&["Explore: what can go wrong", "stuck-in-checkout (1 action)"]);
    s.press("\r");
    s.wait_for(&["OFF SCRIPT +1", "ccs-1"]);
    // Ctrl-C: the way out that never asks (the branch stays for recovery).
    s.press("\x03");
    wait_exit(&mut child);
}

#[test]
fn x_explores_from_here_shows_its_progress_and_esc_stops_it() {
    // Scenario 12's world has 17 actions to try: the search takes seconds.
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/12-invalid-background-operation-id.json"
    );
    let (mut s, mut child) = spawn(&["play", file], 40, 120);
    s.wait_for(&["step 0 of"]);
    s.press("X");
    s.wait_for(&["exploring from here:", "Esc stops"]);
    s.press("\x1b");
    s.wait_for(&[
        "Explore: what can go wrong",
        "(stopped,",
        "missing-operation",
    ]);
    s.press("\x1b");
    s.press("q");
    assert!(wait_exit(&mut child).success());
}

#[test]
fn the_trainers_views_in_a_real_terminal_at_80x24_and_120x40() {
    // The world edit that switches a store setting of scenario 02 live, and its place in
    // the world menu.
    let s02 = {
        let b = cartsim::scenario::builtin::BUILTIN
            .iter()
            .find(|b| b.name.starts_with("02-"))
            .unwrap();
        cartsim::scenario::load_bytes(b.name, b.text.as_bytes()).unwrap()
    };
    let world = cartsim::player::playback::Playback::new(s02)
        .world()
        .clone();
    let items = cartsim::tui::popup::world_menu::items(&world, "cart-1");
    let flip = items
        .iter()
        .position(|(l, _)| l == "west: checkout_session → get_or_create")
        .expect("a reading to switch to");
    for (rows, cols) in [(24, 80), (40, 120)] {
        // An LWR checkout: the running calculator, the changed fields and who acts.
        let (mut s, mut child) = spawn(&["41"], rows, cols);
        s.wait_for(&["step 0 of"]);
        s.press("E");
        s.press("l");
        s.wait_for(&[
            "~calculator",
            "Pricing in",
            "•IsProcessing",
            "as bob (owner",
        ]);
        // The network view.
        s.press("N");
        s.wait_for(&[
            "Network: every REST call",
            "DELETE /commerce/webstores/west/checkouts/ccs-1",
            "←[{\"errorCode\": \"NOT_FOUND\"",
        ]);
        s.press("\x1b");
        // A search of the log, and its next match.
        s.press("/");
        s.press("bop-1\r");
        s.wait_for(&["\"bop-1\" (step 1) · > next"]);
        s.press(">");
        s.wait_for(&["1/", "\"bop-1\""]);
        s.press("q");
        assert!(wait_exit(&mut child).success());

        // Another buyer acts: the actor line says so.
        let (mut s, mut child) = spawn(&["29"], rows, cols);
        s.wait_for(&["step 0 of"]);
        s.press("A");
        s.wait_for(&["acting as ", "(not the cart's owner)", "owner"]);
        s.press("q");
        assert!(wait_exit(&mut child).success());

        // A store setting switched live from the world menu, then quitting asks about
        // the branch it made.
        let (mut s, mut child) = spawn(&["02"], rows, cols);
        s.wait_for(&["step 0 of"]);
        s.press("e");
        s.wait_for(&["checkout_session → get_or_create"]);
        for _ in 0..flip {
            s.press("j");
        }
        s.press("\r");
        s.wait_for(&["OFF SCRIPT", "get_or_create"]);
        s.press("q");
        s.wait_for(&["Unsaved branch"]);
        s.press("d");
        assert!(wait_exit(&mut child).success());
    }
}
