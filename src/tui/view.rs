//! The whole screen, a pure function of the [`App`] (its clock included):
//!
//! ```text
//! ┌ header: title · tick · play/pause · speed · step k of N · chapter · off script ┐
//!   who acts: buyer · permissions · effective account · store membership
//! ┌ Carts ──────────┐┌ Checkout Sessions ───────┐┌ Background Operations ──────┐
//! │ records         ││ records                  ││ records                     │
//! └─────────────────┘└──────────────────────────┘└─────────────────────────────┘
//!   caption: the step's note
//! ┌ Event log (why) ─────────────────────────────────────────────────────────────┐
//! └──────────────────────────────────────────────────────────────────────────────┘
//!   status line / key bar
//! ```

use super::app::{App, Focus, MIN_HEIGHT, MIN_WIDTH, Screen};
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
    // A narrow screen wraps the caption (the step's note) onto a third line.
    let caption_height = if area.width < 100 { 3 } else { 2 };
    if app.player.zoom {
        zoomed(frame, area, app, caption_height);
        return;
    }
    if app.prefs.projector {
        projector(frame, area, app);
        return;
    }
    // The panes get what their records need (at least 10 rows, at most what leaves the
    // log its minimum: 6 rows at 24, half of every row beyond), so "why" keeps room at
    // the end of a long checkout too; the log gets the rest.
    let log_min = 6 + area.height.saturating_sub(MIN_HEIGHT) / 2;
    let most = area
        .height
        .saturating_sub(header::HEIGHT + caption_height + 2 + log_min);
    let panes_height = panes::needed_height(app, area).clamp(10.min(most), most);
    let [head, body, caption, events, keys] = Layout::vertical([
        Constraint::Length(header::HEIGHT),
        Constraint::Length(panes_height),
        Constraint::Length(caption_height),
        Constraint::Min(log_min),
        Constraint::Length(2),
    ])
    .areas(area);
    header::draw(frame, head, app);
    panes::draw(frame, body, app);
    log::caption(frame, caption, app);
    log::draw(frame, events, app);
    keybar::draw(frame, keys, app);
}

/// Zoom (`z`): the focused pane over the whole body; the log full screen.
fn zoomed(frame: &mut Frame, area: Rect, app: &App, caption_height: u16) {
    if app.player.focus == Focus::Log {
        let [head, events, keys] = Layout::vertical([
            Constraint::Length(header::HEIGHT),
            Constraint::Min(3),
            Constraint::Length(2),
        ])
        .areas(area);
        header::draw(frame, head, app);
        log::draw(frame, events, app);
        keybar::draw(frame, keys, app);
        return;
    }
    let [head, body, caption, keys] = Layout::vertical([
        Constraint::Length(header::HEIGHT),
        Constraint::Min(3),
        Constraint::Length(caption_height),
        Constraint::Length(2),
    ])
    .areas(area);
    header::draw(frame, head, app);
    panes::draw_zoomed(frame, body, app, app.player.focus);
    log::caption(frame, caption, app);
    keybar::draw(frame, keys, app);
}

/// The projector layout (`P`): a caption twice as tall, no key bar (one line: the status,
/// or how to get help), and panes of a fixed share of the screen, so nothing jumps while
/// records appear during a step.
fn projector(frame: &mut Frame, area: Rect, app: &App) {
    let caption_height = if area.height < 30 { 4 } else { 6 };
    let rest = area
        .height
        .saturating_sub(header::HEIGHT + caption_height + 1);
    let panes_height = rest * 11 / 20;
    let [head, body, caption, events, keys] = Layout::vertical([
        Constraint::Length(header::HEIGHT),
        Constraint::Length(panes_height),
        Constraint::Length(caption_height),
        Constraint::Min(3),
        Constraint::Length(1),
    ])
    .areas(area);
    header::draw(frame, head, app);
    panes::draw(frame, body, app);
    log::caption(frame, caption, app);
    log::draw(frame, events, app);
    let t = app.prefs.theme;
    let line = match &app.status {
        Some(status) => Line::styled(format!(" {status}"), t.title()),
        None => Line::styled(
            " projector layout: ? keys · P back to the usual layout",
            t.text(),
        ),
    };
    frame.render_widget(
        Paragraph::new(super::header::fit(line, area.width as usize)),
        keys,
    );
}
