//! A popup of text to read, scrolled when it does not fit: a message (saved, not saved,
//! reloaded), the world (buyers, accounts, stores), the narration of a step in full.

use super::{Limits, Reply, scrolled_indented};
use crate::tui::keys::Command;
use crate::tui::prefs::Preferences;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

/// Text to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    /// The title.
    pub title: String,
    /// The lines (sanitized by whoever made them; styled when drawn).
    pub lines: Vec<Line<'static>>,
    /// Lines scrolled.
    pub scroll: u16,
    /// How far a wrapped line's continuation is indented.
    pub indent: usize,
    limits: Limits,
}

impl Text {
    /// A popup of these lines.
    pub fn new(title: impl Into<String>, lines: Vec<Line<'static>>) -> Text {
        Text {
            title: title.into(),
            lines,
            scroll: 0,
            indent: 2,
            limits: Limits::default(),
        }
    }

    /// The text as plain strings, one per line (for tests and the cast).
    pub fn plain(&self) -> Vec<String> {
        self.lines
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    /// Handles a key: scrolling; Enter and Esc close (through the shared Close).
    pub fn key(&mut self, command: Option<Command>) -> Reply {
        self.limits.apply(&mut self.scroll, command);
        Reply::Keep
    }

    /// Draws the text in a scrolling box.
    pub fn draw(&self, frame: &mut Frame, area: Rect, prefs: &Preferences) {
        let t = prefs.theme;
        let mut text = self.lines.clone();
        text.push(Line::raw(""));
        text.push(super::hint(t, "Enter/Esc close · ↑↓ PgUp/PgDn scroll"));
        scrolled_indented(
            frame,
            area,
            t,
            (&self.title, self.indent),
            text,
            self.scroll,
            &self.limits,
        );
    }
}
