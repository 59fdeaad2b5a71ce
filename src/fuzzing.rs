//! The harnesses behind the fuzz targets in `fuzz/` and the property tests that run the
//! same harnesses on stable Rust (`tests/fuzzing.rs`). Each takes arbitrary bytes and
//! panics only when it finds a bug: a panic in the code under test, or a broken promise
//! checked here.
//!
//! - [`load`]: the loader on any bytes. A file that loads plays to its end, and its
//!   upgraded form loads and plays the same transcript; a file that does not load gets
//!   an error with nothing unsanitized in it.
//! - [`keys`]: the UI on the built-in scenarios, driven by any sequence of keys, clock
//!   ticks and terminal sizes, drawn after every event. Whatever was explored, the branch
//!   `w` would save loads and replays with every expectation holding.
//! - [`diagnose`]: `cartsim diagnose` on any files. Either it refuses them, every message
//!   sanitized, or what `diagnose --open` shows saves with `w` as a file that loads (as
//!   `cartsim check` loads it) and replays; the same with `--anonymize`. [`export`]
//!   writes generated records as the Salesforce CLI would, for the stable property test.

use crate::player::{play_headless, playback::Playback};
use crate::scenario::{self, Scenario, builtin::BUILTIN, sanitize, save};
use crate::tui::app::{App, Msg};
use crate::tui::theme::Theme;
use crate::tui::view;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::sync::OnceLock;
use std::time::Duration;

/// Loads `bytes` as a scenario file and checks what the loader promises.
pub fn load(bytes: &[u8]) {
    let whole = scenario::load_with_raw("fuzz.json", bytes);
    // `load_bytes` reads the steps one at a time and keeps no copy of the file: it must
    // give the same scenario, or the same error (message, position and path).
    let streamed = scenario::load_bytes("fuzz.json", bytes);
    match (&whole, &streamed) {
        (Err(a), Err(b)) => assert_eq!(a, b, "load_bytes and load_with_raw disagree"),
        (Ok((a, _)), Ok(b)) => {
            assert_eq!(format!("{:?}", a.steps), format!("{:?}", b.steps));
            assert_eq!(
                (&a.title, &a.summary, &a.tags),
                (&b.title, &b.summary, &b.tags)
            );
        }
        _ => panic!(
            "load_bytes and load_with_raw disagree: {:?} against {:?}",
            whole.as_ref().err(),
            streamed.as_ref().err()
        ),
    }
    match whole {
        Err(e) => {
            let text = e.to_string();
            assert_eq!(sanitize::line(&text), text, "a load error is sanitized");
        }
        Ok((loaded, raw)) => {
            let played = transcript(&loaded);
            let upgraded = save::to_text(&save::upgrade(raw, loaded.edition));
            let again = scenario::load_bytes("upgraded.json", upgraded.as_bytes())
                .unwrap_or_else(|e| panic!("the upgraded file does not load: {e}\n{upgraded}"));
            assert_eq!(
                transcript(&again),
                played,
                "the upgraded file plays differently\n{upgraded}"
            );
        }
    }
}

/// What a headless run shows: each step's description, outcome and checks.
fn transcript(scenario: &Scenario) -> Vec<String> {
    play_headless(scenario)
        .iter()
        .map(|r| format!("{} {:?} {:?}", r.description, r.outcome, r.checks))
        .collect()
}

/// The built-in scenarios, loaded once.
fn builtins() -> &'static [Scenario] {
    static LOADED: OnceLock<Vec<Scenario>> = OnceLock::new();
    LOADED.get_or_init(|| {
        BUILTIN
            .iter()
            .map(|b| {
                scenario::load_bytes(b.name, b.text.as_bytes())
                    .unwrap_or_else(|e| panic!("a built-in scenario does not load: {e}"))
            })
            .collect()
    })
}

/// The keys the UI's key table knows, plus digits and the answers of the save prompt:
/// the first bytes of the input alphabet map onto these, so most inputs press real keys.
const KEYS: &[KeyCode] = &[
    KeyCode::Char(' '),
    KeyCode::Right,
    KeyCode::Left,
    KeyCode::Char('l'),
    KeyCode::Char('h'),
    KeyCode::Char('+'),
    KeyCode::Char('-'),
    KeyCode::Home,
    KeyCode::End,
    KeyCode::Char('g'),
    KeyCode::Char('G'),
    KeyCode::Char('['),
    KeyCode::Char(']'),
    KeyCode::Char('p'),
    KeyCode::Char('s'),
    KeyCode::Char('a'),
    KeyCode::Char('x'),
    KeyCode::Char('c'),
    KeyCode::Char('f'),
    KeyCode::Char('t'),
    KeyCode::Char('e'),
    KeyCode::Char('r'),
    KeyCode::Char('w'),
    KeyCode::Tab,
    KeyCode::BackTab,
    KeyCode::Up,
    KeyCode::Down,
    KeyCode::Char('j'),
    KeyCode::Char('k'),
    KeyCode::PageUp,
    KeyCode::PageDown,
    KeyCode::Char('b'),
    KeyCode::Char('?'),
    KeyCode::Esc,
    KeyCode::Enter,
    KeyCode::Backspace,
    KeyCode::Char('y'),
    KeyCode::Char('n'),
    KeyCode::Char('0'),
    KeyCode::Char('1'),
    KeyCode::Char('2'),
    KeyCode::Char('3'),
    KeyCode::Char('4'),
    KeyCode::Char('5'),
    KeyCode::Char('6'),
    KeyCode::Char('7'),
    KeyCode::Char('8'),
    KeyCode::Char('9'),
    KeyCode::Char('q'),
];

/// One event decoded from the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A key press.
    Key(KeyEvent),
    /// Virtual time passes, then the UI gets a frame.
    Wait(Duration),
    /// The terminal takes a new size.
    Resize(u16, u16),
}

/// Decodes bytes into events. Every byte sequence decodes; a byte below the length of
/// the key table presses that key, `0xF0..=0xF7` lets a quarter second to two seconds
/// pass, `0xF8 w h` resizes the terminal, `0xF9 a b c` types any character, `0xFA k m`
/// presses key `k` with modifiers `m`, and any other byte types itself as a character.
pub fn events(bytes: &[u8]) -> Vec<Event> {
    let mut out = Vec::new();
    let mut rest = bytes.iter().copied();
    let press = |code: KeyCode, modifiers: KeyModifiers| Event::Key(KeyEvent::new(code, modifiers));
    while let Some(b) = rest.next() {
        let event = match b {
            _ if usize::from(b) < KEYS.len() => press(KEYS[usize::from(b)], KeyModifiers::NONE),
            0xF0..=0xF7 => Event::Wait(Duration::from_millis(250) * u32::from(b - 0xEF)),
            0xF8 => {
                let w = rest.next().unwrap_or(0);
                let h = rest.next().unwrap_or(0);
                Event::Resize(1 + u16::from(w) % 220, 1 + u16::from(h) % 80)
            }
            0xF9 => {
                let [a, b, c] =
                    [rest.next(), rest.next(), rest.next()].map(Option::unwrap_or_default);
                let code = u32::from_be_bytes([0, a % 0x11, b, c]);
                match char::from_u32(code) {
                    Some(ch) => press(KeyCode::Char(ch), KeyModifiers::NONE),
                    None => continue,
                }
            }
            0xFA => {
                let k = rest.next().unwrap_or(0);
                let m = rest.next().unwrap_or(0);
                press(
                    KEYS[usize::from(k) % KEYS.len()],
                    KeyModifiers::from_bits_truncate(m),
                )
            }
            _ => press(KeyCode::Char(char::from(b)), KeyModifiers::NONE),
        };
        out.push(event);
    }
    out
}

/// Drives the UI on the built-in scenarios with the events `bytes` decode to, drawing
/// after each, then checks that the branch explored saves as a file that replays.
pub fn keys(bytes: &[u8]) {
    let mut app = App::new(builtins().to_vec(), Theme::COLOR);
    // No folder has this name (a NUL byte is never part of a path), so `w` builds the
    // file's text and then fails to write it: the fuzzer never writes files.
    app.files.save_dir = std::env::temp_dir().join("cartsim\0fuzzing");
    let Ok(mut terminal) = Terminal::new(TestBackend::new(120, 40));
    for event in events(bytes) {
        match event {
            // The effects `update` asks for (writing a file, saving settings) are
            // dropped: the fuzzer never touches the disk.
            Event::Key(key) => drop(app.update(Msg::Key(key))),
            Event::Wait(span) => {
                app.now += span;
                drop(app.update(Msg::Frame));
            }
            Event::Resize(w, h) => terminal.backend_mut().resize(w, h),
        }
        let Ok(_) = terminal.draw(|f| view::draw(f, &app));
        if app.quit {
            break;
        }
    }
    if let Some(p) = &app.player.playback {
        replays(p);
    }
}

/// The file `w` saves for this playback loads, and replaying it holds every expectation.
fn replays(playback: &Playback) {
    let text = serde_json::to_string_pretty(&playback.export("branch")).unwrap_or_default();
    let saved = scenario::load_bytes("branch.json", text.as_bytes())
        .unwrap_or_else(|e| panic!("the saved branch does not load: {e}\n{text}"));
    for report in play_headless(&saved) {
        let failed: Vec<_> = report.checks.iter().filter(|c| !c.passed).collect();
        assert!(
            failed.is_empty(),
            "the saved branch fails its own replay at step {}: {failed:?}\n{text}",
            report.index + 1
        );
    }
}

/// Runs `diagnose` on the files `bytes` holds (split at NUL bytes, which no export
/// contains) and checks what it promises, plain and anonymized.
pub fn diagnose(bytes: &[u8]) {
    use crate::diagnose::{self as d, Input, Options};
    let inputs: Vec<Input> = bytes
        .split(|b| *b == 0)
        .enumerate()
        .map(|(i, part)| Input {
            name: format!("export-{}.txt", i + 1),
            bytes: part.to_vec(),
        })
        .collect();
    for anonymized in [false, true] {
        match d::diagnose(&inputs, &Options::default(), anonymized) {
            Err(errors) => {
                assert!(!errors.is_empty(), "a refusal says why");
                for e in errors {
                    assert_eq!(sanitize::line(&e), e, "a refusal is sanitized");
                }
            }
            Ok((rebuilt, diagnosis)) => {
                let text = d::explain::text(&diagnosis);
                assert_eq!(
                    sanitize::paragraph(&text),
                    text,
                    "the diagnosis is sanitized"
                );
                let scenario = d::scenario(rebuilt.world, &diagnosis, crate::engine::Edition::Two);
                replays(&Playback::new(scenario));
            }
        }
    }
}

/// One generated record: its object and its fields (name, JSON value).
pub type Record = (&'static str, Vec<(String, serde_json::Value)>);

/// The records as `sf data query --json` writes them, one result per object (in `json`)
/// or as one CSV file per object, joined with NUL bytes as [`diagnose`] splits them.
pub fn export(records: &[Record], json: bool) -> Vec<u8> {
    use serde_json::{Map, Value, json};
    let mut objects: Vec<&str> = records.iter().map(|(o, _)| *o).collect();
    objects.dedup();
    objects.sort_unstable();
    objects.dedup();
    let mut files: Vec<Vec<u8>> = Vec::new();
    for object in objects {
        let rows: Vec<&Vec<(String, Value)>> = records
            .iter()
            .filter(|(o, _)| *o == object)
            .map(|(_, f)| f)
            .collect();
        if json {
            let list: Vec<Value> = rows
                .iter()
                .map(|fields| {
                    let mut map = Map::new();
                    map.insert("attributes".into(), json!({"type": object}));
                    for (k, v) in fields.iter() {
                        map.insert(k.clone(), v.clone());
                    }
                    Value::Object(map)
                })
                .collect();
            let doc = json!({"status": 0, "result": {"records": list, "totalSize": rows.len(), "done": true}});
            files.push(doc.to_string().into_bytes());
        } else {
            let mut header: Vec<&str> = Vec::new();
            for fields in &rows {
                for (k, _) in fields.iter() {
                    if !header.contains(&k.as_str()) {
                        header.push(k);
                    }
                }
            }
            let mut w = csv::Writer::from_writer(Vec::new());
            let _ = w.write_record(&header);
            for fields in &rows {
                let cells: Vec<String> = header
                    .iter()
                    .map(
                        |h| match fields.iter().find(|(k, _)| k == h).map(|(_, v)| v) {
                            None | Some(Value::Null) => String::new(),
                            Some(Value::String(s)) => s.clone(),
                            Some(other) => other.to_string(),
                        },
                    )
                    .collect();
                let _ = w.write_record(&cells);
            }
            files.push(w.into_inner().unwrap_or_default());
        }
    }
    files.join(&0u8)
}
