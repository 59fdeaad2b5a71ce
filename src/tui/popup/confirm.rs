//! The branch-safety prompt: a key that would discard an unsaved branch (`←` past its
//! start, Home, `[`/`]`, `r`, `b`, `q`, or acting in the middle of it) asks first:
//! `s` save it, then go on; `d` discard it and go on; `c` or Esc cancel.

use super::{Reply, boxed, hint};
use crate::tui::app::Pending;
use crate::tui::keys::Command;
use crate::tui::prefs::Preferences;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// The prompt's state: what was asked, and the branch it would discard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirm {
    /// What the user asked for, done after save or discard.
    pub pending: Pending,
    /// How many actions the branch holds.
    pub actions: usize,
    /// The script step the branch left at.
    pub left_at: usize,
}

impl Confirm {
    /// Handles a key: s, d, c.
    pub fn key(&mut self, command: Option<Command>) -> Reply {
        match command {
            Some(Command::SaveFirst) => Reply::Proceed { save_first: true },
            Some(Command::Discard) => Reply::Proceed { save_first: false },
            _ => Reply::Keep,
        }
    }

    /// Draws the prompt.
    pub fn draw(&self, frame: &mut Frame, area: Rect, prefs: &Preferences) {
        let t = prefs.theme;
        let s = if self.actions == 1 { "" } else { "s" };
        let text = vec![
            Line::raw(format!(
                "Your branch ({} action{s} of yours, off the script after step {}) is not saved.",
                self.actions, self.left_at
            )),
            Line::raw(format!("{} would discard it.", self.pending.what())),
            Line::raw(""),
            Line::from(vec![
                Span::styled(" s ", t.key()),
                Span::raw("save it as a scenario file, then go on"),
            ]),
            Line::from(vec![
                Span::styled(" d ", t.key()),
                Span::raw("discard it and go on"),
            ]),
            Line::from(vec![
                Span::styled(" c ", t.key()),
                Span::raw("cancel: keep the branch (Esc too)"),
            ]),
            Line::raw(""),
            hint(t, "s save · d discard · c/Esc cancel"),
        ];
        boxed(frame, area, t, "Unsaved branch", text, 80, t.error());
    }
}
