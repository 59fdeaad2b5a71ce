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
        cmd.cwd(std::env::temp_dir());
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
