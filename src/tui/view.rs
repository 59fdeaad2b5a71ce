//! The whole screen, a pure function of the [`App`] (its clock included):
//!
//! ```text
//! ┌ header: title · tick · play/pause · speed · step k of N · chapter · off script ┐
//! ┌ Carts ──────────┐┌ Checkout Sessions ───────┐┌ Background Operations ──────┐
//! │ records         ││ records                  ││ records                     │
//! └─────────────────┘└──────────────────────────┘└─────────────────────────────┘
//!   caption: the step's note
//! ┌ Event log (why) ─────────────────────────────────────────────────────────────┐
//! └──────────────────────────────────────────────────────────────────────────────┘
//!   status line / key bar
//! ```

use super::app::{App, MIN_HEIGHT, MIN_WIDTH, Screen};
use super::{header, keybar, log, panes, picker, popup};
use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

/// Draws the screen.
pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(frame, area);
        return;
    }
    match app.screen {
        Screen::Picker => picker::draw(frame, area, app),
        Screen::Player => player(frame, area, app),
    }
    popup::draw(frame, area, app);
}

fn too_small(frame: &mut Frame, area: Rect) {
    let text = vec![
        Line::from(format!(
            "terminal too small (need {MIN_WIDTH}x{MIN_HEIGHT})"
        )),
        Line::from(format!(
            "now {}x{}; enlarge it, or q quits",
            area.width, area.height
        )),
    ];
    let y = area.height.saturating_sub(2) / 2;
    let inner = Rect {
        y: area.y + y,
        height: area.height.saturating_sub(y),
        ..area
    };
    frame.render_widget(
        Paragraph::new(text)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        inner,
    );
}

fn player(frame: &mut Frame, area: Rect, app: &App) {
    // The panes get what their records need (at least 10 rows, at most what leaves the
    // log 6); the log gets the rest, so "why" has room when the records are few.
    // A narrow screen wraps the caption (the step's note) onto a third line.
    let caption_height = if area.width < 100 { 3 } else { 2 };
    let most = area.height.saturating_sub(2 + caption_height + 2 + 6);
    let panes_height = panes::needed_height(app, area).clamp(10.min(most), most);
    let [head, body, caption, events, keys] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(panes_height),
        Constraint::Length(caption_height),
        Constraint::Min(6),
        Constraint::Length(2),
    ])
    .areas(area);
    header::draw(frame, head, app);
    panes::draw(frame, body, app);
    log::caption(frame, caption, app);
    log::draw(frame, events, app);
    keybar::draw(frame, keys, app);
}
