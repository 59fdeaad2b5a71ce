//! Recording a scenario as it plays in the UI: an asciicast v2 file that asciinema (and
//! any asciicast player) replays, with a marker per chapter.
//!
//! The recording drives the real [`App`] with a virtual clock: it steps through the
//! script like a presenter (showing each quiz, answering it, showing each refusal),
//! renders every frame into a buffer, and writes only the rows that changed. The same
//! scenario always gives the same file.

use super::app::{App, Msg};
use super::popup::Popup;
use super::theme::Theme;
use super::view;
use crate::player::playback::QuizState;
use crate::scenario::Scenario;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier, Style};
use serde_json::json;
use std::fmt::Write;
use std::time::Duration;

/// The size of the recorded terminal.
pub const WIDTH: u16 = 120;
/// The height of the recorded terminal.
pub const HEIGHT: u16 = 40;
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
    previous: Option<Buffer>,
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

    /// Renders the UI and records the rows that changed since the last frame.
    fn frame(&mut self) {
        let app = &self.app;
        if self.terminal.draw(|f| view::draw(f, app)).is_err() {
            return;
        }
        let buffer = self.terminal.backend().buffer().clone();
        let data = ansi_diff(self.previous.as_ref(), &buffer);
        if !data.is_empty() {
            let line = json!([round(self.at()), "o", data]).to_string();
            self.lines.push(line);
        }
        self.previous = Some(buffer);
    }
}

fn round(seconds: f64) -> f64 {
    (seconds * 1000.0).round() / 1000.0
}

/// Records `scenario` playing in the UI as an asciicast v2 document (one JSON value per line).
pub fn record(scenario: &Scenario, theme: Theme) -> String {
    let title = scenario.title.clone();
    let mut app = App::new(vec![scenario.clone()], theme);
    app.now = Duration::ZERO;
    let mut r = Recorder {
        app,
        terminal: Terminal::new(TestBackend::new(WIDTH, HEIGHT))
            .expect("a test backend never fails to open"),
        lines: Vec::new(),
        previous: None,
    };
    let header = json!({
        "version": 2,
        "width": WIDTH,
        "height": HEIGHT,
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
        .playback
        .as_ref()
        .is_some_and(|p| p.script_position() < steps)
    {
        let Some(p) = r.app.playback.as_ref() else {
            break;
        };
        let position = p.script_position();
        if let Some(marker) = scenario.steps.get(position).and_then(|s| s.marker.clone()) {
            r.marker(&marker);
        }
        r.press(KeyCode::Right);
        // A quiz stops the player before the step: ask, reveal the answer, then play.
        if let Some(QuizState::Asking(step)) = r.app.playback.as_ref().and_then(|p| p.quiz()) {
            r.pass(READ);
            let answer = scenario.steps[step].quiz.as_ref().map_or(0, |q| q.answer);
            let digit = char::from_digit(answer as u32 + 1, 10).unwrap_or('1');
            r.press(KeyCode::Char(digit));
            r.pass(READ);
            r.press(KeyCode::Enter);
            if r.app
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

/// The escape sequences that turn the screen `before` into `after`: each changed row is
/// rewritten whole, with its colours and modifiers.
fn ansi_diff(before: Option<&Buffer>, after: &Buffer) -> String {
    let area = after.area;
    let mut out = String::new();
    for y in 0..area.height {
        let row = |b: &Buffer| -> Vec<(String, Style)> {
            (0..area.width)
                .map(|x| {
                    let cell = &b[(x, y)];
                    (cell.symbol().to_string(), cell.style())
                })
                .collect()
        };
        let now = row(after);
        if before.filter(|b| b.area == area).map(row).as_ref() == Some(&now) {
            continue;
        }
        let _ = write!(out, "\u{1b}[{};1H\u{1b}[0m", y + 1);
        let mut style = Style::default();
        for (symbol, cell_style) in now {
            if cell_style != style {
                out.push_str(&sgr(cell_style));
                style = cell_style;
            }
            out.push_str(&symbol);
        }
        out.push_str("\u{1b}[0m");
    }
    out
}

/// One SGR sequence that resets and then sets a cell's style.
fn sgr(style: Style) -> String {
    let mut codes: Vec<String> = vec!["0".to_string()];
    let m = style.add_modifier;
    for (flag, code) in [
        (Modifier::BOLD, "1"),
        (Modifier::DIM, "2"),
        (Modifier::ITALIC, "3"),
        (Modifier::UNDERLINED, "4"),
        (Modifier::REVERSED, "7"),
        (Modifier::CROSSED_OUT, "9"),
    ] {
        if m.contains(flag) {
            codes.push(code.to_string());
        }
    }
    if let Some(fg) = style.fg.and_then(|c| color(c, false)) {
        codes.push(fg);
    }
    if let Some(bg) = style.bg.and_then(|c| color(c, true)) {
        codes.push(bg);
    }
    format!("\u{1b}[{}m", codes.join(";"))
}

fn color(c: Color, background: bool) -> Option<String> {
    let base = if background { 40 } else { 30 };
    let bright = if background { 100 } else { 90 };
    let code = match c {
        Color::Reset => return None,
        Color::Black => base,
        Color::Red => base + 1,
        Color::Green => base + 2,
        Color::Yellow => base + 3,
        Color::Blue => base + 4,
        Color::Magenta => base + 5,
        Color::Cyan => base + 6,
        Color::Gray => base + 7,
        Color::DarkGray => bright,
        Color::LightRed => bright + 1,
        Color::LightGreen => bright + 2,
        Color::LightYellow => bright + 3,
        Color::LightBlue => bright + 4,
        Color::LightMagenta => bright + 5,
        Color::LightCyan => bright + 6,
        Color::White => bright + 7,
        Color::Indexed(n) => return Some(format!("{};5;{n}", base + 8)),
        Color::Rgb(r, g, b) => return Some(format!("{};2;{r};{g};{b}", base + 8)),
    };
    Some(code.to_string())
}
