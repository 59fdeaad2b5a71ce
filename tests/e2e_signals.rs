//! The terminal is restored on every way out: the built binary runs in a pty, gets a
//! signal, and the terminal emulator (vt100) and the pty's modes are checked afterwards:
//! main screen, cursor shown, canonical mode and echo back on. Ctrl-Z suspends and
//! continuing redraws the whole UI in raw mode. Every wait polls up to a deadline.

#![cfg(unix)]

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const DEADLINE: Duration = Duration::from_secs(15);

struct Ui {
    parser: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    master: Box<dyn portable_pty::MasterPty + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Ui {
    fn start() -> Ui {
        let ui = Ui::spawn(&[]);
        ui.wait_until("the UI is up", |ui| {
            ui.alternate() && ui.text().contains("happy") && !ui.canonical()
        });
        ui
    }

    fn spawn(args: &[&str]) -> Ui {
        Ui::spawn_in(args, &std::env::temp_dir(), &[])
    }

    /// The binary in a pty, in folder `cwd`, with extra environment variables.
    fn spawn_in(args: &[&str], cwd: &std::path::Path, env: &[(&str, &std::path::Path)]) -> Ui {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 30,
                cols: 100,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_cartsim"));
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        cmd.cwd(cwd);
        // Recovery files go to a folder of the test's own unless the test names one.
        cmd.env(
            "CARTSIM_STATE",
            std::env::temp_dir().join(format!("cartsim-e2e-state-{}", std::process::id())),
        );
        for (key, value) in env {
            cmd.env(key, value);
        }
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let nz = |n| std::num::NonZeroU16::new(n).unwrap();
        let parser = Arc::new(Mutex::new(vt100::Parser::new(nz(30), nz(100), 0)));
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
        Ui {
            parser,
            writer,
            master: pair.master,
            child,
        }
    }

    fn text(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }
    fn alternate(&self) -> bool {
        self.parser.lock().unwrap().screen().alternate_screen()
    }
    fn cursor_hidden(&self) -> bool {
        self.parser.lock().unwrap().screen().hide_cursor()
    }
    /// Canonical mode and echo, as the pty has them now.
    fn canonical(&self) -> bool {
        let fd = self.master.as_raw_fd().unwrap();
        // SAFETY: tcgetattr on an open pty fd, into a zeroed plain-data struct.
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        assert_eq!(unsafe { libc::tcgetattr(fd, &mut t) }, 0);
        t.c_lflag & libc::ICANON != 0 && t.c_lflag & libc::ECHO != 0
    }
    fn restored(&self) -> bool {
        !self.alternate() && !self.cursor_hidden() && self.canonical()
    }
    fn pid(&self) -> i32 {
        self.child.process_id().unwrap() as i32
    }
    fn wait_until(&self, what: &str, done: impl Fn(&Ui) -> bool) {
        let start = Instant::now();
        while !done(self) {
            assert!(
                start.elapsed() < DEADLINE,
                "waited {DEADLINE:?} for {what}; the screen shows:\n{}",
                self.text()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(start.elapsed() < DEADLINE, "the program did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    fn press(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }
}

fn signal_restores_the_terminal(signal: i32) {
    let mut ui = Ui::start();
    assert_eq!(unsafe { libc::kill(ui.pid(), signal) }, 0);
    let status = ui.wait_exit();
    assert!(!status.success(), "ended by the signal");
    ui.wait_until("the terminal to be restored", Ui::restored);
}

#[test]
fn sigterm_restores_the_terminal() {
    signal_restores_the_terminal(libc::SIGTERM);
}

#[test]
fn sighup_restores_the_terminal() {
    signal_restores_the_terminal(libc::SIGHUP);
}

#[test]
fn sigint_restores_the_terminal() {
    signal_restores_the_terminal(libc::SIGINT);
}

#[test]
fn sigquit_restores_the_terminal() {
    signal_restores_the_terminal(libc::SIGQUIT);
}

#[test]
fn sigabrt_restores_the_terminal() {
    signal_restores_the_terminal(libc::SIGABRT);
}

#[test]
fn ctrl_z_suspends_and_continuing_redraws_in_raw_mode() {
    for suspend in ["key", "signal"] {
        let mut ui = Ui::start();
        match suspend {
            "key" => ui.press("\u{1a}"),
            _ => assert_eq!(unsafe { libc::kill(ui.pid(), libc::SIGTSTP) }, 0),
        }
        ui.wait_until("the terminal to be restored while stopped", Ui::restored);
        // Something written while stopped is wiped by the full redraw.
        ui.parser
            .lock()
            .unwrap()
            .process(b"\x1b[2J\x1b[Hshell junk");
        assert_eq!(unsafe { libc::kill(ui.pid(), libc::SIGCONT) }, 0);
        ui.wait_until("the UI to come back", |ui| {
            ui.alternate() && ui.cursor_hidden() && !ui.canonical() && ui.text().contains("happy")
        });
        ui.press("q");
        assert!(ui.wait_exit().success());
        ui.wait_until("the terminal to be restored", Ui::restored);
    }
}

/// `--watch` used to block forever (q and Ctrl-C dead) once the file became a FIFO.
#[test]
fn watch_mode_refuses_a_fifo_and_keeps_answering_keys() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("w.json");
    std::fs::write(
        &file,
        include_str!("../scenarios/02-cancel-mid-checkout.json"),
    )
    .unwrap();
    let mut ui = Ui::spawn(&["play", "--watch", file.to_str().unwrap()]);
    ui.wait_until("the UI is up", |ui| {
        ui.text().contains("Cancel in the middle")
    });
    std::fs::remove_file(&file).unwrap();
    let c = std::ffi::CString::new(file.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    ui.wait_until("the load error", |ui| {
        ui.text().contains("w.json: is not a")
    });
    ui.press("q");
    assert!(ui.wait_exit().success());
    ui.wait_until("the terminal to be restored", Ui::restored);
}

/// The recovery files in a state folder.
fn recovery_files(state: &std::path::Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(state.join("recovery"))
        .map(|entries| entries.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default()
}

/// A signal ends the UI mid-branch: the branch was kept as it grew, the path is printed,
/// and the next start offers it back, writes it as a scenario file and opens it.
fn a_branch_survives(signal: i32) {
    let home = tempfile::tempdir().unwrap();
    let state = home.path().join("state");
    let work = home.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    let env = [("CARTSIM_STATE", state.as_path())];
    let mut ui = Ui::spawn_in(&[], &work, &env);
    ui.wait_until("the picker", |ui| {
        ui.alternate() && ui.text().contains("happy")
    });
    ui.press("\r");
    ui.wait_until("the player", |ui| ui.text().contains("step 0 of"));
    assert!(
        recovery_files(&state).is_empty(),
        "nothing to keep on script"
    );
    // Off script: start a checkout, then cancel it.
    ui.press("s");
    ui.wait_until("the branch", |ui| ui.text().contains("OFF SCRIPT"));
    ui.press("x");
    ui.wait_until("the cancel", |ui| ui.text().contains("Canceled"));
    // The file follows the branch: both actions are in it before the signal.
    let start = Instant::now();
    while !recovery_files(&state)
        .first()
        .and_then(|f| std::fs::read_to_string(f).ok())
        .is_some_and(|t| t.contains("\"branch_actions\":2"))
    {
        assert!(
            start.elapsed() < DEADLINE,
            "the recovery file did not follow the branch"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(unsafe { libc::kill(ui.pid(), signal) }, 0);
    assert!(!ui.wait_exit().success(), "ended by the signal");
    ui.wait_until("the terminal restored and the file named", |ui| {
        ui.restored() && ui.text().contains("the unsaved branch is kept in")
    });
    assert!(ui.text().contains("cartsim recover"), "{}", ui.text());
    assert_eq!(recovery_files(&state).len(), 1);

    // `cartsim recover` lists it with its scenario's file name, title and time.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cartsim"))
        .arg("recover")
        .env("CARTSIM_STATE", &state)
        .output()
        .unwrap();
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(
        listed.contains("  1  20")
            && listed.contains("01-happy-path")
            && listed.contains("(2 actions off script)"),
        "{listed}"
    );

    // The next start offers it; yes writes it next to the user and opens it.
    let mut again = Ui::spawn_in(&[], &work, &env);
    again.wait_until("the offer", |ui| ui.text().contains("Recover it into"));
    again.press("y\r");
    again.wait_until("the recovered branch", |ui| {
        ui.alternate() && ui.text().contains("recovered into")
    });
    let saved = work.join("cartsim-branch-1.json");
    let text = std::fs::read_to_string(&saved).unwrap();
    assert!(
        text.contains("(recovered)") && text.contains("explored in the UI (off script)"),
        "{text}"
    );
    assert!(
        recovery_files(&state).is_empty(),
        "the recovered branch's file is gone"
    );
    again.press("q");
    assert!(again.wait_exit().success());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cartsim"))
        .args(["run", saved.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn sigterm_mid_branch_keeps_the_branch_and_the_next_start_recovers_it() {
    a_branch_survives(libc::SIGTERM);
}

#[test]
fn sighup_mid_branch_keeps_the_branch_and_the_next_start_recovers_it() {
    a_branch_survives(libc::SIGHUP);
}

/// A settings file with an unknown key: the UI starts with the rest of it applied and
/// says what it did not understand on the status line.
#[test]
fn an_unknown_settings_key_is_reported_on_the_status_line() {
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config.toml");
    std::fs::write(&config, "speed = 4\ncolour = \"blue\"\n").unwrap();
    let state = home.path().join("state");
    let env = [
        ("CARTSIM_CONFIG", config.as_path()),
        ("CARTSIM_STATE", state.as_path()),
    ];
    let scenario = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/01-happy-path.json");
    let mut ui = Ui::spawn_in(&["play", scenario], home.path(), &env);
    ui.wait_until("the status line and the speed", |ui| {
        let text = ui.text();
        text.contains("unknown key colour") && text.contains("4x")
    });
    ui.press("q");
    assert!(ui.wait_exit().success());
}
