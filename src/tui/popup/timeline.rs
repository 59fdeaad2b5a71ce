//! The timeline (`J`): every step of the script with its chapter, a `?` on steps with a
//! question, `▶` where playback stands and `⎇` where your branch left the script. ↑↓
//! choose a step and Enter jumps there (the state after it), asking first if that
//! would discard an unsaved branch.

use super::{Reply, hint};
use crate::tui::keys::Command;
use crate::tui::player_view::PlayerView;
use crate::tui::prefs::Preferences;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

/// The timeline's state: the highlighted step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeline {
    /// The highlighted step (0 is "before the first step").
    pub index: usize,
}

impl Timeline {
    /// Handles a key: ↑↓ choose, Enter jumps.
    pub fn key(&mut self, view: &PlayerView, command: Option<Command>) -> Reply {
        let steps = view.playback.as_ref().map_or(0, |p| p.step_count());
        // Moments 0 to `steps`: one more than the steps.
        if super::choose(&mut self.index, steps + 1, command) {
            return Reply::Keep;
        }
        if command == Some(Command::Confirm) {
            return Reply::Jump(self.index);
        }
        Reply::Keep
    }

    /// Draws the timeline, the highlighted step kept in view.
    pub fn draw(&self, frame: &mut Frame, area: Rect, view: &PlayerView, prefs: &Preferences) {
        let t = prefs.theme;
        let Some(p) = &view.playback else { return };
        let pos = p.script_position();
        let left = p.left_script_at();
        let mut lines: Vec<Line<'static>> = Vec::new();
        let mut at_line = 0;
        for n in 0..=p.step_count() {
            let marker = n
                .checked_sub(1)
                .and_then(|i| p.scenario().steps.get(i))
                .and_then(|s| s.marker().map(str::to_string));
            if let Some(marker) = marker {
                lines.push(Line::styled(format!("  § {marker}"), t.title()));
            }
            let here = if n == pos { "▶" } else { " " };
            let what = if n == 0 {
                "the start, nothing played".to_string()
            } else {
                let step = &p.scenario().steps[n - 1];
                let quiz = if step.quiz().is_some() { " ?" } else { "" };
                format!("after step {n}: {}{quiz}", p.describe_step(n - 1))
            };
            if n == self.index {
                at_line = lines.len();
            }
            let style = if n == self.index {
                t.selected()
            } else {
                t.text()
            };
            let mut spans = vec![Span::styled(format!("{here} {what}"), style)];
            if left == Some(n) {
                spans.push(Span::styled(
                    format!("  ⎇ your branch (+{}) left here", p.branch_len()),
                    t.off_script(),
                ));
            }
            lines.push(super::super::header::fit(
                Line::from(spans),
                area.width.saturating_sub(6) as usize,
            ));
        }
        lines.push(Line::raw(""));
        lines.push(hint(
            t,
            "↑↓ choose · Enter jump · ? marks a question · Esc close",
        ));
        let width = area.width.saturating_sub(4);
        let height = area.height.saturating_sub(4);
        let rect = Rect {
            x: area.x + 2,
            y: area.y + 2,
            width,
            height,
        };
        let page = height.saturating_sub(2) as usize;
        let offset = at_line.saturating_sub(page.saturating_sub(2));
        frame.render_widget(Clear, rect);
        frame.render_widget(
            Paragraph::new(lines).scroll((offset as u16, 0)).block(
                Block::bordered()
                    .title(Span::styled(" Timeline: jump to a step ", t.title()))
                    .border_style(t.focus_border()),
            ),
            rect,
        );
    }
}
