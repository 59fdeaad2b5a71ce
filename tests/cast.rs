//! `cartsim export --cast`: an asciicast v2 recording of a scenario playing in the UI.
//! Checked for the format (header, events, markers) and for content, by replaying the
//! output into a terminal emulator.

mod common;

use common::builtin;

use cartsim::scenario::{Scenario, load_bytes};
use cartsim::tui::app::App;
use cartsim::tui::cast::{HEIGHT, WIDTH, parse_size, record, record_at};
use cartsim::tui::theme::Theme;
use cartsim::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use serde_json::Value;
use unicode_width::UnicodeWidthStr;

struct Cast {
    header: Value,
    events: Vec<(f64, String, String)>,
}

fn parse(text: &str) -> Cast {
    let mut lines = text.lines();
    let header: Value = serde_json::from_str(lines.next().expect("a header")).expect("JSON header");
    let events = lines
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"));
            let a = v.as_array().expect("an event is an array");
            assert_eq!(a.len(), 3, "{l}");
            (
                a[0].as_f64().expect("time"),
                a[1].as_str().expect("type").to_string(),
                a[2].as_str().expect("data").to_string(),
            )
        })
        .collect();
    Cast { header, events }
}

/// A terminal emulator of the recording's size.
fn emulator(cast: &Cast) -> vt100::Parser {
    let size = |v: &Value| {
        let n = v
            .as_u64()
            .and_then(|n| u16::try_from(n).ok())
            .expect("a size");
        std::num::NonZero::new(n).expect("a real size")
    };
    vt100::Parser::new(size(&cast.header["height"]), size(&cast.header["width"]), 0)
}

/// Replays the output into a terminal emulator and returns every screen it passed through.
fn screens(cast: &Cast) -> Vec<String> {
    let mut term = emulator(cast);
    let mut out = Vec::new();
    for (_, kind, data) in &cast.events {
        if kind == "o" {
            term.process(data.as_bytes());
            out.push(term.screen().contents());
        }
    }
    out
}

#[test]
fn the_recording_is_asciicast_v2_with_a_marker_per_chapter() {
    let scenario = builtin("02-");
    let cast = parse(&record(&scenario, Theme::COLOR));
    assert_eq!(cast.header["version"], 2);
    assert_eq!(cast.header["width"], WIDTH);
    assert_eq!(cast.header["height"], HEIGHT);
    assert_eq!(cast.header["title"], format!("cartsim: {}", scenario.title));
    let mut last = 0.0;
    for (t, kind, _) in &cast.events {
        assert!(*t >= last, "time goes backwards at {t}");
        assert!(kind == "o" || kind == "m", "unknown event type {kind}");
        last = *t;
    }
    let markers: Vec<&str> = cast
        .events
        .iter()
        .filter(|e| e.1 == "m")
        .map(|e| e.2.as_str())
        .collect();
    let chapters: Vec<&str> = scenario.chapters().into_iter().map(|(_, m)| m).collect();
    assert_eq!(markers, chapters);
    assert!(
        last > 5.0,
        "a recording a person can follow lasts a while: {last}"
    );
}

#[test]
fn the_recording_shows_the_scenario_playing_to_its_end() {
    let scenario = builtin("02-");
    let screens = screens(&parse(&record(&scenario, Theme::COLOR)));
    let last = screens.last().unwrap();
    assert!(last.contains(&scenario.title), "{last}");
    assert!(last.contains("step 5 of 5"), "{last}");
    assert!(
        screens.iter().any(|s| s.contains("Canceled")),
        "the cancel is shown"
    );
    assert!(
        screens
            .iter()
            .any(|s| s.contains("Cancel Cart Async Operation"))
    );
}

#[test]
fn refusals_and_quizzes_are_shown_on_the_way() {
    let refused = screens(&parse(&record(&builtin("04-"), Theme::MONO)));
    assert!(
        refused
            .iter()
            .any(|s| s.contains("INVALID_OPERATION") && s.contains("403"))
    );
    let scenario = builtin("05-");
    let quiz = scenario
        .steps
        .iter()
        .find_map(|s| s.quiz().cloned())
        .expect("05 has a quiz");
    let screens = screens(&parse(&record(&scenario, Theme::MONO)));
    let first_words: String = quiz.question.chars().take(30).collect();
    assert!(
        screens.iter().any(|s| s.contains(&first_words)),
        "the question is shown"
    );
    assert!(screens.last().unwrap().contains("step 6 of 6"));
}

#[test]
fn recordings_are_deterministic() {
    let s = builtin("01-");
    assert_eq!(record(&s, Theme::COLOR), record(&s, Theme::COLOR));
}

#[test]
fn the_cli_writes_a_recording_and_never_overwrites_silently() {
    let dir = std::env::temp_dir().join(format!("cartsim-cast-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("demo.cast");
    let _ = std::fs::remove_file(&out);
    let run = |extra: &[&str]| {
        let mut args = vec![
            "export",
            "--cast",
            "scenarios/04-cancel-closed-cart.json",
            "-o",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        std::process::Command::new(env!("CARGO_BIN_EXE_cartsim"))
            .args(&args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .unwrap()
    };
    assert_eq!(run(&[]).status.code(), Some(0));
    let cast = parse(&std::fs::read_to_string(&out).unwrap());
    assert_eq!(cast.header["version"], 2);
    assert_eq!(run(&[]).status.code(), Some(2), "an existing file is kept");
    assert_eq!(run(&["--force"]).status.code(), Some(0));
}

/// Scenario 02 with wide characters (CJK and an emoji, which the sanitizing policy keeps)
/// in its title, its chapters and its narration.
fn wide_scenario() -> Scenario {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/02-cancel-mid-checkout.json"
    ))
    .unwrap()
    .replace(
        r#""title": "Cancel in the middle of checkout""#,
        r#""title": "途中で取消 🛒 Cancel mid-checkout""#,
    )
    .replace(r#""marker": "Cancel""#, r#""marker": "取消 ❌""#)
    .replace(
        "Cancel Cart Async Operation: the running operation",
        "取消 🛒 Cancel Cart Async Operation: the running operation",
    );
    let s = load_bytes("wide.json", text.as_bytes()).expect("loads");
    assert_eq!(
        s.title, "途中で取消 🛒 Cancel mid-checkout",
        "the policy keeps them"
    );
    s
}

/// Where the emulator's screen differs from a rendered buffer, cell by cell: a
/// double-width symbol takes its cell and the next, which the emulator marks as the
/// continuation of a wide character.
fn differences(screen: &vt100::Screen, buffer: &Buffer) -> Vec<String> {
    let mut out = Vec::new();
    for y in 0..buffer.area.height {
        let mut x = 0;
        while x < buffer.area.width {
            let symbol = buffer[(x, y)].symbol();
            let width = symbol.width().max(1) as u16;
            let cell = screen.cell(y, x).expect("inside the screen");
            let shown = if cell.contents().is_empty() {
                " "
            } else {
                cell.contents()
            };
            if shown != symbol || cell.is_wide() != (width == 2) {
                out.push(format!("({x},{y}): {shown:?} instead of {symbol:?}"));
            }
            if width == 2 && x + 1 < buffer.area.width {
                let next = screen.cell(y, x + 1).expect("inside the screen");
                if !next.is_wide_continuation() {
                    out.push(format!("({},{y}) does not continue {symbol:?}", x + 1));
                }
            }
            x += width;
        }
    }
    out
}

#[test]
fn wide_characters_take_two_columns_and_keep_the_screen_in_step() {
    let scenario = wide_scenario();
    for (width, height) in [(WIDTH, HEIGHT), (80, 24), (133, 37)] {
        let cast = parse(&record_at(&scenario, Theme::COLOR, (width, height)));
        assert_eq!(cast.header["width"], width);
        assert_eq!(cast.header["height"], height);
        // The first screen recorded is the UI as it opens, drawn cell for cell.
        let mut term = emulator(&cast);
        for (_, _, data) in cast.events.iter().filter(|e| e.1 == "o").take(2) {
            term.process(data.as_bytes());
        }
        let app = App::new(vec![scenario.clone()], Theme::COLOR);
        let Ok(mut expected) = Terminal::new(TestBackend::new(width, height));
        let Ok(frame) = expected.draw(|f| view::draw(f, &app));
        let wrong = differences(term.screen(), frame.buffer);
        assert!(
            wrong.is_empty(),
            "{width}x{height}: {wrong:?}\n{}",
            term.screen().contents()
        );
        // Every screen after the clear has the header whole on its first row: a wide
        // character written twice, or a cursor out of step, would push `tick N` off it.
        for screen in screens(&cast).iter().skip(1) {
            let header = screen.lines().next().unwrap_or_default();
            assert!(
                header.contains("途中で取消 🛒 Cancel mid-checkout"),
                "{header}"
            );
            let tick = header.trim_end().rsplit(' ').nth(1);
            assert_eq!(tick, Some("tick"), "{width}x{height}: {header}");
        }
        let all = screens(&cast).join("\n");
        assert!(all.contains("取消 ❌"), "the chapter name is shown");
        assert!(
            all.contains("取消 🛒 Cancel Cart Async Operation"),
            "the note is shown"
        );
    }
}

#[test]
fn sizes_are_checked_with_a_clear_error() {
    assert_eq!(parse_size("120x40"), Ok((120, 40)));
    assert_eq!(parse_size("80x24"), Ok((80, 24)));
    assert_eq!(parse_size("1000X500"), Ok((1000, 500)));
    for (text, wanted) in [
        ("79x24", "79x24 is too small: the UI needs at least 80x24"),
        ("80x23", "80x23 is too small: the UI needs at least 80x24"),
        (
            "1001x40",
            "1001x40 is too large: a recording is at most 1000x500",
        ),
        (
            "120x501",
            "120x501 is too large: a recording is at most 1000x500",
        ),
        (
            "99999999999x40",
            "99999999999x40 is too large: a recording is at most 1000x500",
        ),
        (
            "120",
            "\"120\" is not a size; expected WIDTHxHEIGHT, for example 120x40",
        ),
        ("120x", "\"120x\" is not a size; expected WIDTHxHEIGHT"),
        ("-1x40", "\"-1x40\" is not a size"),
        ("120x40x2", "\"120x40x2\" is not a size"),
    ] {
        let e = parse_size(text).expect_err(text);
        assert!(e.starts_with(wanted), "{text}: {e}");
    }
    let out = common::cartsim(&[
        "export",
        "--cast",
        "02-cancel-mid-checkout",
        "--size",
        "60x20",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("60x20 is too small: the UI needs at least 80x24"),
        "{err}"
    );
    let out = common::cartsim(&[
        "export",
        "--cast",
        "02-cancel-mid-checkout",
        "--size",
        "100x30",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let cast = parse(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(
        (
            cast.header["width"].as_u64(),
            cast.header["height"].as_u64()
        ),
        (Some(100), Some(30))
    );
}
