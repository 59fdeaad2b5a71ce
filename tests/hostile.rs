//! Hostile text never reaches an output: generated strings full of escape sequences,
//! C1 controls, bidi and format characters and disputed-width characters are put into
//! every text a scenario file can carry (and into keys, for load errors), and every
//! output is searched for them: the text and JSON transcripts, the Markdown handout,
//! the asciicast recording, the UI's screen buffer and load errors.

mod common;

use cartsim::cli::{handout, transcript};
use cartsim::scenario::sanitize::is_unsafe;
use cartsim::scenario::{LoadError, load_bytes};
use cartsim::tui::app::{App, Msg};
use cartsim::tui::theme::Theme;
use cartsim::tui::view;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// Pieces of hostile text: whole escape sequences and single characters.
const PIECES: &[&str] = &[
    "\u{1b}]0;pwned\u{7}",
    "\u{1b}]52;c;cm0gLXJm\u{7}",
    "\u{1b}[2J\u{1b}[H",
    "\u{9b}31m",
    "\u{9d}0;t\u{9c}",
    "\u{85}",
    "\u{202E}",
    "\u{2066}",
    "\u{061C}",
    "\u{00AD}",
    "\u{E0041}\u{E007F}",
    "\u{FFF9}",
    "\u{FDD0}",
    "\u{1F1EB}\u{1F1F7}",
    "\u{FE0F}",
    "\u{200D}",
    "\u{2028}",
    "\u{7f}",
    "\r",
    "\t",
    "\n",
    "plain",
    "日本",
    "# ",
    "```",
    "[x](http://e.vil)",
    "<b>",
    "|",
];

fn hostile() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 1..6)
        .prop_map(|v| format!("x{}", v.concat()))
}

/// Panics when `text` holds an unsafe character (newlines are allowed where `newlines`).
fn assert_clean(what: &str, text: &str, newlines: bool) {
    if let Some(c) = text
        .chars()
        .find(|&c| is_unsafe(c) && !(newlines && c == '\n'))
    {
        panic!("{what}: U+{:04X} got through in {text:?}", c as u32);
    }
}

/// Every string inside a JSON value.
fn strings(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|v| strings(v, out)),
        serde_json::Value::Object(o) => o.iter().for_each(|(k, v)| {
            out.push(k.clone());
            strings(v, out)
        }),
        _ => {}
    }
}

fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

fn scenario_text(t: &[String; 6]) -> String {
    format!(
        r#"{{"cartsim": 1, "title": {title}, "summary": {summary}, "tags": [{title}],
  "world": {{
    "stores": [{{"id": "west", "name": {name}}}],
    "accounts": [{{"id": "acme", "name": {name}, "stores": ["west"]}}],
    "buyers": [{{"id": "bob", "name": {name}, "accounts": ["acme"]}}],
    "products": [{{"sku": "BOLT", "name": {name}, "price": 1.25}}],
    "carts": [{{"id": "cart-1", "name": {name}, "store": "west", "buyer": "bob",
               "items": [{{"sku": "BOLT", "quantity": 2}}]}}]
  }},
  "steps": [
    {{"do": "start_checkout", "cart": "cart-1", "note": {note}, "marker": {marker},
      "expect": {{"result": "ok", "state": {{"cart-1.Status": {name}}}}}}},
    {{"do": "fail_operation", "cart": "cart-1", "message": {message}, "marker": {marker},
      "quiz": {{"question": {note}, "choices": [{name}, {marker}], "answer": 1, "explanation": {summary}}}}},
    {{"do": "wait", "ticks": 3, "note": {summary}}}
  ]}}"#,
        title = q(&t[0]),
        summary = q(&t[1]),
        name = q(&t[2]),
        note = q(&t[3]),
        marker = q(&t[4]),
        message = q(&t[5]),
    )
}

fn press(app: &mut App, code: KeyCode) {
    cartsim::tui::effect::drive(app, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn check_load_error(e: &LoadError) {
    assert_clean("load error", &e.to_string(), false);
    let json = transcript::load_error_json(e);
    let mut all = Vec::new();
    strings(&json, &mut all);
    for s in all {
        assert_clean("load error JSON", &s, false);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn every_output_is_clean(t in prop::array::uniform6(hostile())) {
        let s = load_bytes("hostile.json", scenario_text(&t).as_bytes()).expect("loads");
        let mut tally = transcript::Tally::default();
        let text = cartsim::cli::render(&s, false, &mut tally);
        assert_clean("transcript", &text, true);
        for line in cartsim::cli::render(&s, true, &mut tally).lines() {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            let mut all = Vec::new();
            strings(&value, &mut all);
            for s in all {
                assert_clean("JSON transcript", &s, true);
            }
        }
        assert_clean("handout", &handout::markdown(&s), true);

        let mut app = App::new(vec![s.clone()], Theme::MONO);
        for _ in 0..4 {
            let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
            terminal.draw(|f| view::draw(f, &app)).unwrap();
            for cell in terminal.backend().buffer().content() {
                assert_clean("UI buffer", cell.symbol(), false);
            }
            press(&mut app, KeyCode::Right);
        }
    }

    #[test]
    fn load_errors_are_clean(key in hostile(), value in hostile()) {
        let k = q(&key);
        let v = q(&value);
        // An unknown key, an unknown key inside a step, an expect.state key, a
        // duplicate key and a bad value.
        for text in [
            format!(r#"{{"cartsim": 1, "title": "t", {k}: 1, "world": {{}}}}"#),
            format!(r#"{{"cartsim": 1, "title": "t", "world": {{}}, "steps": [{{"do": "wait", {k}: 1}}]}}"#),
            format!(r#"{{"cartsim": 1, "title": "t", "world": {{}}, "steps": [{{"do": "wait", "expect": {{"state": {{{k}: 1}}}}}}]}}"#),
            format!(r#"{{"cartsim": 1, "title": "t", "world": {{}}, "steps": [{{"do": "wait", "expect": {{"state": {{"x.{key}": 1}}}}}}]}}"#, key = key.replace(['"', '\\'], "").replace(|c: char| c.is_control(), "")),
            format!(r#"{{"cartsim": 1, "title": "t", "world": {{"stores": [{{"id": "w", {k}: 1, {k}: 2}}]}}}}"#),
            format!(r#"{{"cartsim": 1, "title": "t", "world": {{"stores": [{{"id": {v}}}]}}}}"#),
            format!(r#"{{"cartsim": 1, "title": "t", "world": {{}}, "steps": [{{"do": {v}}}]}}"#),
        ] {
            if let Err(e) = load_bytes(&format!("dir/{value}.json"), text.as_bytes()) {
                check_load_error(&e);
            }
        }
    }
}

#[test]
fn the_cast_recording_is_clean() {
    let t: [String; 6] = std::array::from_fn(|i| PIECES[i * 3..i * 3 + 4].concat());
    let s = load_bytes("hostile.json", scenario_text(&t).as_bytes()).expect("loads");
    let cast = cartsim::tui::cast::record(&s, Theme::COLOR);
    for line in cast.lines() {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        let mut all = Vec::new();
        strings(&value, &mut all);
        for s in all {
            // The recording's own output carries the renderer's colour sequences (CSI
            // after ESC, and CR/LF); nothing else may be unsafe, and no OSC may appear.
            assert!(!s.contains("\u{1b}]"), "OSC in the cast: {s:?}");
            let stripped: String = s
                .chars()
                .filter(|&c| !matches!(c, '\u{1b}' | '\r' | '\n'))
                .collect();
            assert_clean("cast", &stripped, false);
        }
    }
}

/// The hostile files kept as fixtures: each is refused or loads, and its message is clean.
#[test]
fn hostile_fixtures_give_clean_messages() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let out = common::cartsim(&["check", path.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_clean("check stderr", &stderr, true);
        assert_clean("check stdout", &stdout, true);
        seen += 1;
    }
    assert!(seen > 0);
}

fn builtin_text(prefix: &str) -> &'static str {
    cartsim::scenario::builtin::BUILTIN
        .iter()
        .find(|b| b.name.starts_with(prefix))
        .unwrap()
        .text
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let text = format!("\u{FEFF}{}", builtin_text("02-"));
    let s = load_bytes("bom.json", text.as_bytes()).expect("a BOM is skipped");
    assert_eq!(s.title, "Cancel in the middle of checkout");
}

#[test]
fn syntax_error_columns_count_characters() {
    let e = load_bytes("c.json", "{\"title\": \"é日本\" x}".as_bytes()).unwrap_err();
    let ascii = load_bytes("c.json", "{\"title\": \"eab\" x}".as_bytes()).unwrap_err();
    assert_eq!(e.position, ascii.position, "{e}");
    assert_eq!(e.position.map(|p| p.column), Some(17), "{e}");
}

/// Runs `cartsim ARGS` and waits for it; a run that has not ended after a minute is a
/// hang (the bug this guards against blocked forever), so it is killed and reported.
fn cartsim_must_end(args: &[&str]) -> std::process::Output {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_cartsim"))
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    for _ in 0..600 {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    child.kill().unwrap();
    panic!("cartsim {args:?} hung");
}

#[test]
fn fifos_and_devices_are_refused_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("s.json");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    for path in [fifo.to_str().unwrap(), "/dev/zero"] {
        let out = cartsim_must_end(&["check", path]);
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("is not a regular file"), "{stderr}");
    }
}

#[test]
fn the_size_cap_is_checked_on_what_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.json");
    let mut text = String::from("{\"title\": \"");
    text.push_str(&"a".repeat(cartsim::scenario::load::MAX_FILE_BYTES));
    text.push_str("\"}");
    std::fs::write(&big, text).unwrap();
    let e = cartsim::scenario::load_file(&big).unwrap_err();
    let cap = format!(
        "larger than {} bytes",
        cartsim::scenario::load::MAX_FILE_BYTES
    );
    assert!(e.message.contains(&cap), "{e}");
}

#[test]
fn a_long_key_over_a_big_array_is_refused_with_its_position() {
    // 300 KB; each of its values used to store a copy of the 100 KB key.
    let key = "k".repeat(100_000);
    let text = format!(
        "{{\"cartsim\": 1, \"title\": \"t\", \"world\": {{}},\n \"{key}\": [{}0]}}",
        "0,".repeat(100_000)
    );
    let e = load_bytes("long.json", text.as_bytes()).unwrap_err();
    assert_eq!(e.position.map(|p| (p.line, p.column)), Some((2, 2)), "{e}");
}

#[test]
fn duplicate_skus_among_many_products_are_found() {
    let mut products: Vec<String> = (0..100_000)
        .map(|i| format!("{{\"sku\": \"S{i}\", \"price\": 1}}"))
        .collect();
    products.push("{\"sku\": \"S5\", \"price\": 1}".to_string());
    let text = format!(
        "{{\"cartsim\": 1, \"title\": \"t\", \"world\": {{\"products\": [{}]}}}}",
        products.join(",\n")
    );
    let e = load_bytes("many.json", text.as_bytes()).unwrap_err();
    assert_eq!(e.path.as_deref(), Some("world.products[100000].sku"), "{e}");
    assert_eq!(e.position.map(|p| p.line), Some(100_001), "{e}");
}

/// A transcript writes an expected string as JSON text (`"\u001b"`, harmless); the JSON
/// transcript decodes it into a value, which must be sanitized again.
#[test]
fn an_expected_string_is_clean_in_the_json_transcript() {
    let t: [String; 6] = std::array::from_fn(|_| "x".to_string());
    let mut t = t;
    t[2] = "x\u{1b}]0;pwned\u{7}".to_string();
    let s = load_bytes("e.json", scenario_text(&t).as_bytes()).expect("loads");
    let mut tally = transcript::Tally::default();
    for line in cartsim::cli::render(&s, true, &mut tally).lines() {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        let mut all = Vec::new();
        strings(&value, &mut all);
        for s in all {
            assert_clean("JSON transcript", &s, true);
        }
    }
}
