//! `cartsim export --cast`: an asciicast v2 recording of a scenario playing in the UI.
//! Checked for the format (header, events, markers) and for content, by replaying the
//! output into a terminal emulator.

mod common;

use common::builtin;

use cartsim::tui::cast::{HEIGHT, WIDTH, record};
use cartsim::tui::theme::Theme;
use serde_json::Value;

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

/// Replays the output into a terminal emulator and returns every screen it passed through.
fn screens(cast: &Cast) -> Vec<String> {
    let size = |n: u16| std::num::NonZero::new(n).expect("a real size");
    let mut term = vt100::Parser::new(size(HEIGHT), size(WIDTH), 0);
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
        .find_map(|s| s.quiz.clone())
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
