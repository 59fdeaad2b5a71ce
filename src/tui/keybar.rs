//! The status line and the key bar: only the keys that work now, from the key table.
//! When they do not all fit, the last ones give way, but `?` help and `q` quit always
//! stay, so every other key can still be found.

use super::app::App;
use super::keys::{self, Binding, Command};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Draws the status line (if any) and the key bar below it.
pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let t = app.prefs.theme;
    let mut lines = Vec::new();
    if app.player.searching
        && let Some(search) = &app.player.search
    {
        let mut spans = vec![Span::styled(" search the log: /", t.label())];
        spans.extend(
            search
                .query
                .spans(t.key(), (area.width as usize).saturating_sub(20), true),
        );
        lines.push(Line::from(spans));
    } else if let Some(status) = &app.status {
        lines.push(Line::styled(format!(" {status}"), t.title()));
    }
    let rows = (area.height as usize).saturating_sub(lines.len()).max(1);
    let width = area.width as usize;
    let bindings = keys::bar(app.context(), |c| app.available(c));
    let (tail, body): (Vec<&Binding>, Vec<&Binding>) = bindings
        .into_iter()
        .partition(|b| matches!(b.command, Command::Help | Command::Quit));
    let lwr = app.player.lwr_cart();
    let item = |b: &Binding| format!(" {} {} ", b.label, keys::short_on(b, lwr));
    let tail_width: usize = tail.iter().map(|b| Span::raw(item(b)).width()).sum();
    // Fill rows greedily; the last row keeps room for the tail.
    let mut rows_out: Vec<Vec<&Binding>> = vec![Vec::new()];
    let mut used = 0;
    for b in body {
        let w = Span::raw(item(b)).width();
        let last_row = rows_out.len() == rows;
        let room = if last_row {
            width.saturating_sub(tail_width)
        } else {
            width
        };
        if used + w > room {
            if last_row {
                break;
            }
            rows_out.push(Vec::new());
            used = 0;
            if rows_out.len() == rows && w > width.saturating_sub(tail_width) {
                break;
            }
        }
        rows_out.last_mut().expect("a row").push(b);
        used += w;
    }
    if used + tail_width > width && rows_out.len() < rows {
        rows_out.push(Vec::new());
    }
    rows_out.last_mut().expect("a row").extend(tail);
    for row in rows_out {
        let mut spans = Vec::new();
        for b in row {
            spans.push(Span::styled(format!(" {}", b.label), t.key()));
            spans.push(Span::raw(format!(" {} ", keys::short_on(b, lwr))));
        }
        lines.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(lines), area);
}
