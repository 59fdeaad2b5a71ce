//! The `?` help, generated from the key table: one heading per context, one line per
//! binding. It scrolls by line (↑↓) and by page (PgUp/PgDn, space); `q`, `?`, Enter and
//! Esc close it.

use super::{Limits, Reply, scrolled_indented};
use crate::tui::keys::{self, Command};
use crate::tui::prefs::Preferences;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// What each symbol on screen means (colour only ever repeats it).
pub const LEGEND: &[(&str, &str)] = &[
    (
        "○ ◐ ◑ ◒ ⊘ ●",
        "cart Active, Checkout, Processing, PendingClosed, PendingDelete, Closed",
    ),
    ("[#] [/] [ ]", "cart locked, opening, unlocked"),
    ("◆ ▪", "session active, archived"),
    ("✓ true · false", "a flag"),
    (
        "spinner ✔ ✖ ⊘",
        "operation Running, Complete, Error, Canceled",
    ),
    ("n/m ticks", "an operation's work done, of its total"),
    (
        "⚡ fault armed",
        "f made the operation fail at its next tick",
    ),
    (
        "flow ✔ ▶ ○ ◇ =",
        "states done, current, then async, buyer, sync",
    ),
    ("⚠ warning", "data that does not hang together"),
    (
        "old → new",
        "a field the last step changed (highlighted a moment)",
    ),
    (
        "•Field",
        "a field the last step changed (until the next step)",
    ),
    ("▌ and bold", "records of the selected cart"),
    ("⎇", "off script: your own actions"),
    ("…", "text cut: n, i or z shows it whole"),
    (
        "[documented] [sample] [inferred] [choice] [scenario]",
        "where a rule comes from",
    ),
];

/// The help's state: how far it is scrolled.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Help {
    /// Lines scrolled.
    pub scroll: u16,
    limits: Limits,
}

impl Help {
    /// Handles a key of the help's context.
    pub fn key(&mut self, command: Option<Command>) -> Reply {
        self.limits.apply(&mut self.scroll, command);
        Reply::Keep
    }

    /// Draws the help over most of the screen.
    pub fn draw(&self, frame: &mut Frame, area: Rect, prefs: &Preferences) {
        let t = prefs.theme;
        let mut text = Vec::new();
        for (heading, label, help) in keys::help_lines() {
            match heading {
                Some(h) => {
                    if !text.is_empty() {
                        text.push(Line::raw(""));
                    }
                    text.push(Line::styled(h.to_string(), t.title()));
                }
                None => text.push(Line::from(vec![
                    Span::styled(format!("  {label:<22}"), t.key()),
                    Span::raw(help.to_string()),
                ])),
            }
        }
        text.push(Line::raw(""));
        text.push(Line::styled("Symbols", t.title()));
        for (symbol, meaning) in LEGEND {
            text.push(Line::from(vec![
                Span::styled(format!("  {symbol:<22}"), t.key()),
                Span::raw(*meaning),
            ]));
        }
        scrolled_indented(
            frame,
            area,
            t,
            ("Help: keys (↑↓ line, PgUp/PgDn page, q close)", 24),
            text,
            self.scroll,
            &self.limits,
        );
    }
}
