//! A big load before the UI opens shows how far it has got and stops on Esc or Ctrl-C:
//! the built binary runs in a pty on a generated 300,000-step file (and `diagnose
//! --open` on a generated 3,000-cart export), the screen (vt100) is read until the
//! progress figure appears, and a stop ends the program with the terminal restored.
//! Every wait polls up to a deadline; nothing is timed.

#![cfg(unix)]

use cartsim::cli::diagnose as cli;
use cartsim::progress::{self, Progress};
use cartsim::scenario::generate::{Spec, generate};
use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const DEADLINE: Duration = Duration::from_secs(60);
const STEPS: usize = 300_000;

struct Ui {
    parser: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    master: Box<dyn portable_pty::MasterPty + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Ui {
    fn spawn(args: &[&str], cwd: &std::path::Path) -> Ui {
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
        cmd.env("CARTSIM_STATE", cwd.join("state"));
        cmd.env("CARTSIM_CONFIG", cwd.join("config.toml"));
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

    fn canonical(&self) -> bool {
        let fd = self.master.as_raw_fd().unwrap();
        // SAFETY: tcgetattr on an open pty fd, into a zeroed plain-data struct.
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        assert_eq!(unsafe { libc::tcgetattr(fd, &mut t) }, 0);
        t.c_lflag & libc::ICANON != 0 && t.c_lflag & libc::ECHO != 0
    }

    fn wait_until(&self, what: &str, done: impl Fn(&Ui) -> bool) {
        let start = Instant::now();
        while !done(self) {
            assert!(
                start.elapsed() < DEADLINE,
                "waited {DEADLINE:?} for {what}; the screen shows:\n{}",
                self.text()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(start.elapsed() < DEADLINE, "the program did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn press(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }
}

/// A folder of the test's own holding `big.json`, a generated 300,000-step scenario.
fn big_file(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cartsim-e2e-load-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let text = generate(Spec::sized(STEPS, 3_000));
    assert!(
        text.len() > 1024 * 1024,
        "big enough to be loaded with progress"
    );
    std::fs::write(dir.join("big.json"), text).unwrap();
    dir
}

/// The progress figure: `<phase>: <done> of <total> (<n>%)`, inside the loading box.
fn shows_progress(text: &str) -> bool {
    text.contains("Loading big.json")
        && text.contains("Esc or Ctrl-C stops")
        && text
            .lines()
            .any(|l| l.contains(" of ") && l.contains("%)") && l.contains(": "))
}

fn a_big_load_stops_on(name: &str, stop: &str) {
    a_big_load_of_stops_on(name, &["big.json"], stop);
}

fn a_big_load_of_stops_on(name: &str, args: &[&str], stop: &str) {
    let dir = big_file(name);
    let mut ui = Ui::spawn(args, &dir);
    ui.wait_until("the progress of the load", |ui| {
        ui.alternate() && shows_progress(&ui.text())
    });
    // The counts move on while it loads.
    let first = ui.text();
    ui.wait_until("the counts to move", |ui| ui.text() != first);
    // Impatient keys: none of them queues work for later.
    ui.press("\x1b[F\x1b[Hjjjj ");
    ui.press(stop);
    let status = ui.wait_exit();
    assert_eq!(status.exit_code(), 130, "stopped as by Ctrl-C");
    ui.wait_until("the terminal restored", |ui| {
        !ui.alternate() && ui.canonical()
    });
    let text = ui.text();
    assert!(
        text.contains("cartsim: stopped loading big.json ("),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_big_load_showed_only_a_loading_line_now_it_shows_progress_and_esc_stops_it() {
    a_big_load_stops_on("esc", "\x1b");
}

#[test]
fn ctrl_c_stops_a_big_load() {
    a_big_load_stops_on("ctrl-c", "\x03");
}

#[test]
fn watch_mode_shows_a_big_first_load_and_esc_stops_it() {
    a_big_load_of_stops_on("watch", &["play", "--watch", "big.json"], "\x1b");
}

/// A folder of the test's own holding `carts.json`, an export of 3,000 WebCart records
/// (15-character ids, as a query returns them), which `diagnose` takes minutes over.
fn big_export(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("cartsim-e2e-export-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let records: Vec<serde_json::Value> = (0..3_000)
        .map(|i| {
            serde_json::json!({
                "attributes": {"type": "WebCart"},
                "Id": format!("0a6Hs{:010}", 1_000 + i),
                "Name": "Cart",
                "Status": "Active",
                "OwnerId": "005Hs0000002210",
                "AccountId": "001Hs0000004411",
                "WebStoreId": "0ZEHs0000007001",
                "TotalProductCount": 1,
                "TotalProductAmount": 9.99,
                "CreatedDate": "2026-11-25T09:12:00.000+0000"
            })
        })
        .collect();
    let export = serde_json::json!({
        "status": 0,
        "result": {"records": records, "totalSize": 3_000, "done": true},
        "warnings": []
    });
    std::fs::write(dir.join("carts.json"), export.to_string()).unwrap();
    dir
}

#[test]
fn diagnose_open_showed_nothing_while_it_worked_now_it_shows_progress_and_ctrl_c_stops_it() {
    let dir = big_export("open");
    let mut ui = Ui::spawn(&["diagnose", "--open", "carts.json"], &dir);
    ui.wait_until("the carts being diagnosed, counted", |ui| {
        let text = ui.text();
        ui.alternate()
            && text.contains("diagnose --open")
            && text.contains("diagnosing the carts: ")
            && text.contains(" of 3,000 (")
    });
    ui.press("\x1b[Fq");
    ui.press("\x03");
    let status = ui.wait_exit();
    assert_eq!(status.exit_code(), 130, "stopped as by Ctrl-C");
    ui.wait_until("the terminal restored", |ui| {
        !ui.alternate() && ui.canonical()
    });
    let text = ui.text();
    assert!(
        text.contains("cartsim: diagnose --open stopped (diagnosing the carts: "),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn diagnose_open_reports_how_far_it_has_got() {
    let dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tickets/two-tabs/json");
    let inputs = cli::read_inputs(&[dir]).unwrap();
    let seen = Progress::new();
    let (_, diagnosis) = progress::watched(Arc::clone(&seen), || {
        cartsim::diagnose::diagnose(&inputs, &Default::default(), false)
    })
    .unwrap();
    let last = seen.seen();
    assert_eq!(last.phase, "diagnosing the carts");
    assert_eq!(last.total, diagnosis.carts.len());
    assert_eq!(last.done, diagnosis.carts.len() - 1);
}
