//! What `X` found from the moment on screen: each anomaly of `cartsim explore`'s
//! catalogue that some sequence of buyer actions reaches, with the shortest such
//! sequence. ↑↓ choose one, and Enter plays its actions from here as a branch (asking
//! first if that would replace an unsaved branch's future), so the class sees it happen.

use super::{Reply, hint};
use crate::explore::counterexample::Lesson;
use crate::player::describe;
use crate::scenario::sanitize;
use crate::tui::keys::Command;
use crate::tui::player_view::PlayerView;
use crate::tui::prefs::Preferences;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

/// The findings and the highlighted one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Findings {
    /// What was found, shortest path each, in the order found.
    pub lessons: Vec<Lesson>,
    /// The figures of the search (states, depth, how it ended).
    pub summary: String,
    /// The highlighted finding.
    pub index: usize,
}

impl Findings {
    /// The list, the first finding highlighted.
    pub fn new(lessons: Vec<Lesson>, summary: String) -> Findings {
        Findings {
            lessons,
            summary,
            index: 0,
        }
    }

    /// Handles a key: ↑↓ choose, Enter plays the highlighted finding as a branch.
    pub fn key(&mut self, command: Option<Command>) -> Reply {
        if super::choose(&mut self.index, self.lessons.len(), command) {
            return Reply::Keep;
        }
        if command == Some(Command::Confirm)
            && let Some(l) = self.lessons.get(self.index)
        {
            return Reply::Play(l.actions.clone());
        }
        Reply::Keep
    }

    /// The text of the list: one entry per finding, the highlighted one with its rule
    /// and its actions.
    pub fn lines(&self, view: &PlayerView, prefs: &Preferences) -> Vec<Line<'static>> {
        let t = prefs.theme;
        let world = view.playback.as_ref().map(|p| p.world());
        let mut lines = vec![Line::styled(
            sanitize::line(&format!("Explored from here: {}", self.summary)),
            t.dim(),
        )];
        for (n, lesson) in self.lessons.iter().enumerate() {
            let chosen = n == self.index;
            let marker = if chosen { "▶" } else { " " };
            let depth = match lesson.depth() {
                0 => "here already".to_string(),
                1 => "1 action".to_string(),
                d => format!("{d} actions"),
            };
            lines.push(Line::from(vec![Span::styled(
                sanitize::line(&format!("{marker} {} ({depth})", lesson.name)),
                if chosen { t.selected() } else { t.title() },
            )]));
            lines.push(Line::styled(
                sanitize::line(&format!("    {}", lesson.sentence)),
                t.text(),
            ));
            if chosen {
                lines.push(Line::styled(
                    sanitize::line(&format!("    why wrong: {}", lesson.why)),
                    t.dim(),
                ));
                for (i, action) in lesson.actions.iter().enumerate() {
                    let what = match world {
                        Some(w) => describe(w, action.kind().name(), action),
                        None => action.kind().name().to_string(),
                    };
                    let refused = if lesson.refused && i + 1 == lesson.actions.len() {
                        " (refused)"
                    } else {
                        ""
                    };
                    lines.push(Line::styled(
                        sanitize::line(&format!("    {}. {what}{refused}", i + 1)),
                        t.text(),
                    ));
                }
            }
        }
        lines.push(Line::raw(""));
        lines.push(hint(
            t,
            "↑↓ choose · Enter play it here as a branch · Esc close",
        ));
        lines
    }

    /// Draws the list in a box over most of the screen, the highlighted finding in view.
    pub fn draw(&self, frame: &mut Frame, area: Rect, view: &PlayerView, prefs: &Preferences) {
        let t = prefs.theme;
        let lines = self.lines(view, prefs);
        let at_line = lines
            .iter()
            .position(|l| l.spans.first().is_some_and(|s| s.content.starts_with('▶')))
            .unwrap_or(0);
        let rect = Rect {
            x: area.x + 2,
            y: area.y + 2,
            width: area.width.saturating_sub(4),
            height: area.height.saturating_sub(4),
        };
        let page = rect.height.saturating_sub(2) as usize;
        let offset = at_line.saturating_sub(page / 3);
        frame.render_widget(Clear, rect);
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .scroll((offset as u16, 0))
                .block(
                    Block::bordered()
                        .title(Span::styled(
                            " Explore: what can go wrong from here ",
                            t.title(),
                        ))
                        .border_style(t.focus_border()),
                ),
            rect,
        );
    }
}
