//! The popup of a refused action: code and HTTP status, message, action, the requirement
//! that did not hold, where the code comes from, the reading, and what the buyer sees.
//! `←` undoes the refused step (steps back to before it); `F` switches the setting of
//! the reading to its other value and tries the same action again; Enter and Esc close.

use super::{Reply, boxed, hint, row};
use crate::engine::ActionError;
use crate::tui::keys::Command;
use crate::tui::player_view::PlayerView;
use crate::tui::prefs::Preferences;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

/// A refusal to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The action's title (`Cancel Cart Async Operation`).
    pub action: String,
    /// What it was asked (`cancel cart-1 as bob`).
    pub description: String,
    /// The refusal.
    pub error: ActionError,
}

impl Refusal {
    /// Handles a key of the refusal's context: `←` undoes.
    pub fn key(&mut self, view: &PlayerView, command: Option<Command>) -> Reply {
        match command {
            Some(Command::Undo) => Reply::Undo,
            // Only a setting that can be switched (not the store's template).
            Some(Command::FlipReading) if flip_of(view, &self.error).is_some() => Reply::Flip,
            _ => Reply::Keep,
        }
    }

    /// Draws the popup.
    pub fn draw(&self, frame: &mut Frame, area: Rect, view: &PlayerView, prefs: &Preferences) {
        let t = prefs.theme;
        let spec = self.error.kind.spec();
        let wording = crate::player::wording::error_wording(&self.error);
        let width = 96.min(area.width.saturating_sub(4));
        let inner = width.saturating_sub(2) as usize;
        let mut text = vec![Line::styled(
            format!("✖ {} · {}", spec.code, wording.http),
            t.error(),
        )];
        text.extend(row(t, inner, "message", &self.error.message, t.text()));
        // The description may already end in a parenthesis; a comma keeps them single.
        text.extend(row(
            t,
            inner,
            "action",
            &format!("{}: {}", self.action, self.description),
            t.text(),
        ));
        text.extend(row(
            t,
            inner,
            "required",
            &format!("{} (did not hold)", spec.requirement),
            t.title(),
        ));
        text.extend(row(
            t,
            inner,
            "origin",
            &format!("[{}] {}", spec.origin.tag(), wording.origin),
            t.text(),
        ));
        if let Some(reading) = &wording.reading {
            text.extend(row(t, inner, "reading", reading, t.text()));
            if let Some((key, other)) = flip_of(view, &self.error) {
                text.extend(row(
                    t,
                    inner,
                    "",
                    &format!("F: switch {key} to {other} and try the same action again"),
                    t.key(),
                ));
            }
        }
        if let Some(buyer) = &wording.buyer_sees {
            text.extend(row(t, inner, "buyer", buyer, t.text()));
        }
        text.push(hint(
            t,
            "Nothing changed: a refused action changes nothing. Esc close · ← undo",
        ));
        boxed(frame, area, t, "Refused", text, width, t.error());
    }
}

/// The setting a refusal's reading names and the value that would let the action
/// through: (key, value as written), for the store of the cart acted on.
pub fn flip_of(view: &PlayerView, error: &ActionError) -> Option<(&'static str, &'static str)> {
    let key = error.kind.reading()?.split(':').next()?.trim();
    let p = view.playback.as_ref()?;
    let cart = p.played().last()?.action.cart()?.to_string();
    let store = view.world()?.store_of_cart(&cart)?;
    super::world_menu::other_readings(&store.settings)
        .into_iter()
        .find(|(k, _, _)| *k == key)
        .map(|(k, _, label)| (k, label))
}
