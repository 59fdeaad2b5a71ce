//! Recording a scenario as it plays in the UI: an asciicast v2 file that asciinema (and
//! any asciicast player) replays, with a marker per chapter.
//!
//! The recording drives the real [`App`] with a virtual clock: it steps through the
//! script like a presenter (showing each quiz, answering it, showing each refusal),
//! renders every frame into a buffer, and writes only the cells that changed, through
//! ratatui's own crossterm backend: the same escape sequences a terminal gets from
//! `cartsim play`, so a double-width character is written once and the cursor moves past
//! both of its columns. The same scenario always gives the same file.

use super::app::{App, MIN_HEIGHT, MIN_WIDTH, Msg};
use super::popup::Popup;
use super::theme::Theme;
use super::view;
use crate::player::playback::QuizState;
use crate::scenario::Scenario;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::{Backend, CrosstermBackend, TestBackend};
use ratatui::buffer::Buffer;
use serde_json::json;
use std::time::Duration;

/// The width of the recorded terminal unless another size is asked for.
pub const WIDTH: u16 = 120;
/// The height of the recorded terminal unless another size is asked for.
pub const HEIGHT: u16 = 40;
/// The widest recording (a guard against sizes no screen shows).
pub const MAX_WIDTH: u16 = 1000;
/// The tallest recording.
pub const MAX_HEIGHT: u16 = 500;

/// Reads a terminal size written `WIDTHxHEIGHT` (`120x40`), from 80x24 (the smallest the
/// UI draws in) to 1000x500. The error says what was expected.
pub fn parse_size(text: &str) -> Result<(u16, u16), String> {
    let expected = "expected WIDTHxHEIGHT, for example 120x40";
    let (w, h) = text
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("{text:?} is not a size; {expected}"))?;
    let number = |part: &str| -> Result<u32, String> {
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("{text:?} is not a size; {expected}"));
        }
        // Digits only: a number too long for u32 is too large anyway.
        Ok(part.parse().unwrap_or(u32::MAX))
    };
    let (w, h) = (number(w)?, number(h)?);
    if w < u32::from(MIN_WIDTH) || h < u32::from(MIN_HEIGHT) {
        return Err(format!(
            "{text} is too small: the UI needs at least {MIN_WIDTH}x{MIN_HEIGHT}"
        ));
    }
    if w > u32::from(MAX_WIDTH) || h > u32::from(MAX_HEIGHT) {
        return Err(format!(
            "{text} is too large: a recording is at most {MAX_WIDTH}x{MAX_HEIGHT}"
        ));
    }
    Ok((w as u16, h as u16))
}
/// Frames per second while something animates.
const FPS: u32 = 15;
/// How long each step stays on screen once its animation is over.
const HOLD: Duration = Duration::from_millis(1500);
/// How long a question, a revealed answer or a refusal stays on screen.
const READ: Duration = Duration::from_secs(4);
/// No step plays for more than this: a guard against an animation that never ends.
const MAX_ANIMATION: Duration = Duration::from_secs(5);
/// No recording is longer than this many steps (a guard for huge files).
const MAX_STEPS: usize = 2_000;

struct Recorder {
    app: App,
    terminal: Terminal<TestBackend>,
    lines: Vec<String>,
    /// What the recorded terminal shows now.
    previous: Buffer,
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

impl Recorder {
    fn press(&mut self, code: KeyCode) {
        self.app.update(key(code));
        self.app.update(Msg::Frame);
        self.frame();
    }

    /// Lets `span` of virtual time pass, drawing a frame whenever the UI asks for one.
    fn pass(&mut self, span: Duration) {
        let end = self.app.now + span;
        let frame = Duration::from_secs(1) / FPS;
        while self.app.now < end {
            let step = self.app.wake_in().unwrap_or(end - self.app.now).max(frame);
            self.app.now = (self.app.now + step).min(end);
            self.app.update(Msg::Frame);
            self.frame();
        }
    }

    /// Lets the current animation finish (bounded), then holds the screen.
    fn settle(&mut self) {
        let start = self.app.now;
        let frame = Duration::from_secs(1) / FPS;
        while self
            .app
            .player
            .transition
            .as_ref()
            .is_some_and(|t| t.active(self.app.now))
            && self.app.now - start < MAX_ANIMATION
        {
            self.app.now += frame;
            self.app.update(Msg::Frame);
            self.frame();
        }
        self.pass(HOLD);
    }

    fn at(&self) -> f64 {
        self.app.now.as_secs_f64()
    }

    fn marker(&mut self, label: &str) {
        let line = json!([round(self.at()), "m", label]).to_string();
        self.lines.push(line);
    }

    /// Renders the UI and records the cells that changed since the last frame.
    fn frame(&mut self) {
        let app = &self.app;
        let Ok(frame) = self.terminal.draw(|f| view::draw(f, app));
        let buffer = frame.buffer.clone();
        let data = ansi_diff(&self.previous, &buffer);
        if !data.is_empty() {
            let line = json!([round(self.at()), "o", data]).to_string();
            self.lines.push(line);
        }
        self.previous = buffer;
    }
}

fn round(seconds: f64) -> f64 {
    (seconds * 1000.0).round() / 1000.0
}

/// Records `scenario` playing in the UI at 120x40 as an asciicast v2 document (one JSON
/// value per line).
pub fn record(scenario: &Scenario, theme: Theme) -> String {
    record_at(scenario, theme, (WIDTH, HEIGHT))
}

/// Records `scenario` playing in the UI in a terminal of `size` (width, height; see
/// [`parse_size`] for the sizes that make sense) as an asciicast v2 document.
pub fn record_at(scenario: &Scenario, theme: Theme, size: (u16, u16)) -> String {
    let (width, height) = size;
    let title = scenario.title.clone();
    let mut app = App::new(vec![scenario.clone()], theme);
    app.now = Duration::ZERO;
    let Ok(terminal) = Terminal::new(TestBackend::new(width, height));
    let mut r = Recorder {
        app,
        terminal,
        lines: Vec::new(),
        // The screen right after the clear below.
        previous: Buffer::empty(ratatui::layout::Rect::new(0, 0, width, height)),
    };
    let header = json!({
        "version": 2,
        "width": width,
        "height": height,
        "title": format!("cartsim: {title}"),
        "env": {"TERM": "xterm-256color"},
    });
    r.lines.push(header.to_string());
    // Hide the cursor and start from a clear screen.
    r.lines
        .push(json!([0.0, "o", "\u{1b}[?25l\u{1b}[2J"]).to_string());
    r.frame();
    r.pass(Duration::from_secs(2));

    let steps = scenario.steps.len().min(MAX_STEPS);
    while r
        .app
        .player
        .playback
        .as_ref()
        .is_some_and(|p| p.script_position() < steps)
    {
        let Some(p) = r.app.player.playback.as_ref() else {
            break;
        };
        let position = p.script_position();
        if let Some(marker) = scenario.steps.get(position).and_then(|s| s.marker()) {
            r.marker(marker);
        }
        r.press(KeyCode::Right);
        // A quiz stops the player before the step: ask, reveal the answer, then play.
        if let Some(QuizState::Asking(step)) = r.app.player.playback.as_ref().and_then(|p| p.quiz())
        {
            r.pass(READ);
            let answer = scenario.steps[step].quiz().map_or(0, |q| q.answer);
            let digit = char::from_digit(answer as u32 + 1, 10).unwrap_or('1');
            r.press(KeyCode::Char(digit));
            r.pass(READ);
            r.press(KeyCode::Enter);
            if r.app
                .player
                .playback
                .as_ref()
                .is_some_and(|p| p.script_position() == position)
            {
                r.press(KeyCode::Right);
            }
        }
        r.settle();
        if matches!(r.app.popup, Some(Popup::Refusal(_))) {
            r.pass(READ);
            r.press(KeyCode::Esc);
            r.pass(Duration::from_millis(500));
        }
        // A step that could not move the player (should not happen) ends the recording.
        if r.app
            .player
            .playback
            .as_ref()
            .is_some_and(|p| p.script_position() == position)
        {
            break;
        }
    }
    r.pass(Duration::from_secs(3));
    r.lines
        .push(json!([round(r.at()), "o", "\u{1b}[0m\u{1b}[?25h"]).to_string());
    let mut out = r.lines.join("\n");
    out.push('\n');
    out
}

/// The escape sequences that turn the screen `before` into `after`, as ratatui's
/// crossterm backend writes them to a real terminal: only the cells that changed, a
/// double-width character once (the cell it covers is skipped), a cursor move wherever
/// the next cell is not the one the cursor is on, and the style reset at the end.
fn ansi_diff(before: &Buffer, after: &Buffer) -> String {
    let changes = before.diff(after);
    if changes.is_empty() {
        return String::new();
    }
    let mut bytes = Vec::new();
    let mut backend = CrosstermBackend::new(&mut bytes);
    if backend.draw(changes.into_iter()).is_err() || Backend::flush(&mut backend).is_err() {
        return String::new();
    }
    // Cell symbols are strings and the escape sequences ASCII, so this is UTF-8.
    String::from_utf8_lossy(&bytes).into_owned()
}
