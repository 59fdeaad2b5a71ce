//! The world-edit menu (`e`): revoke or grant a permission, switch the effective account,
//! switch a store setting to another reading, make an account leave or join the store,
//! let custom code save the cart, for the acting buyer (the selected cart's owner
//! unless `A` chose another), the buyer's account and the cart's store. Enter applies
//! the edit off script.

use super::{Reply, boxed, hint};
use crate::engine::settings::{SETTINGS, SettingInput, SettingValue, is_placeholder};
use crate::engine::{Action, Permission, World};
use crate::tui::keys::Command;
use crate::tui::player_view::PlayerView;
use crate::tui::prefs::Preferences;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

/// The menu's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorldMenu {
    /// The cart whose buyer, account and store the edits are about.
    pub cart: String,
    /// The highlighted item.
    pub index: usize,
}

impl WorldMenu {
    /// The menu for a cart.
    pub fn new(cart: String) -> WorldMenu {
        WorldMenu { cart, index: 0 }
    }

    /// Handles a key: ↑↓ choose, Enter apply.
    pub fn key(&mut self, view: &PlayerView, command: Option<Command>) -> Reply {
        let Some(world) = view.world() else {
            return Reply::Close;
        };
        let items = items_for(world, &self.cart, view.acting.as_deref());
        if super::choose(&mut self.index, items.len(), command) {
            return Reply::Keep;
        }
        if command == Some(Command::Confirm) {
            return match items.into_iter().nth(self.index) {
                Some((_, action)) => Reply::Act(action),
                None => Reply::Close,
            };
        }
        Reply::Keep
    }

    /// Draws the menu.
    pub fn draw(&self, frame: &mut Frame, area: Rect, view: &PlayerView, prefs: &Preferences) {
        let t = prefs.theme;
        let Some(world) = view.world() else { return };
        let mut text = vec![
            Line::styled("World edits, applied now (off script):", t.dim()),
            Line::raw(""),
        ];
        let items = items_for(world, &self.cart, view.acting.as_deref());
        // The box leaves the header and the key bar visible; less its borders, the
        // heading and the hint, that leaves `room` items: a longer menu shows a window
        // around the chosen item.
        let room = usize::from(area.height).saturating_sub(9).max(2);
        let (start, end) = window(items.len(), self.index, room);
        for (i, (label, _)) in items.iter().enumerate().take(end).skip(start) {
            let chosen = i == self.index;
            text.push(Line::styled(
                format!("{} {label}", if chosen { "›" } else { " " }),
                if chosen { t.selected() } else { t.text() },
            ));
        }
        if end - start < items.len() {
            let below = items.len() - end;
            let more = match (start, below) {
                (0, below) => format!("{below} more below"),
                (above, 0) => format!("{above} more above"),
                (above, below) => format!("{above} more above, {below} more below"),
            };
            text.push(Line::styled(format!("  ({more}: ↑↓)"), t.dim()));
        }
        text.push(Line::raw(""));
        text.push(hint(t, "↑↓ choose · Enter apply · Esc close"));
        boxed(frame, area, t, "Edit the world", text, 72, t.focus_border());
    }
}

/// The items shown of `len` in `room` rows, as `start..end`: all when they fit, else
/// `room - 1` around `chosen` (the last row says how many are hidden).
fn window(len: usize, chosen: usize, room: usize) -> (usize, usize) {
    if len <= room {
        return (0, len);
    }
    let shown = room.saturating_sub(1).max(1);
    let start = (chosen + 1).saturating_sub(shown).min(len - shown);
    (start, start + shown)
}

/// The world edits offered for a cart's buyer, account and store.
pub fn items(world: &World, cart: &str) -> Vec<(String, Action)> {
    items_for(world, cart, None)
}

/// The world edits offered for a buyer (the cart's owner when `None`), the buyer's
/// account, and the cart's store.
pub fn items_for(world: &World, cart: &str, buyer: Option<&str>) -> Vec<(String, Action)> {
    let mut items = Vec::new();
    let Some(cart) = world.cart(cart) else {
        return items;
    };
    let Some(buyer) = world.buyer(buyer.unwrap_or(&cart.buyer)) else {
        return items;
    };
    for &permission in Permission::ALL {
        let (verb, action) = if buyer.has(permission) {
            (
                "revoke",
                Action::Revoke {
                    buyer: buyer.id.to_string(),
                    permission,
                },
            )
        } else {
            (
                "grant",
                Action::Grant {
                    buyer: buyer.id.to_string(),
                    permission,
                },
            )
        };
        items.push((format!("{verb} {permission} ({})", buyer.id), action));
    }
    for account in world.accounts() {
        if account.id != buyer.effective_account {
            let note = if buyer.accounts.contains(&account.id) {
                ""
            } else {
                ", one it may not act for"
            };
            items.push((
                format!(
                    "switch {}'s effective account to {}{note}",
                    buyer.id, account.id
                ),
                Action::SwitchAccount {
                    buyer: buyer.id.to_string(),
                    account: account.id.to_string(),
                },
            ));
        }
    }
    // Every other reading of every store setting, from this instant on (set_setting).
    if let Some(store) = world.store(&cart.store) {
        for (key, value, label) in other_readings(&store.settings) {
            items.push((
                format!("{}: {key} → {label}", store.id),
                Action::SetSetting {
                    store: store.id.to_string(),
                    key: key.to_string(),
                    value,
                },
            ));
        }
    }
    let mut accounts = vec![buyer.effective_account];
    if cart.account != buyer.effective_account {
        accounts.push(cart.account);
    }
    for id in accounts {
        if let Some(account) = world.account(&id) {
            if account.stores.contains(&cart.store) {
                items.push((
                    format!("{} leaves store {}", account.id, cart.store),
                    Action::LeaveStore {
                        account: account.id.to_string(),
                        store: cart.store.to_string(),
                    },
                ));
            } else {
                items.push((
                    format!("{} joins store {}", account.id, cart.store),
                    Action::JoinStore {
                        account: account.id.to_string(),
                        store: cart.store.to_string(),
                    },
                ));
            }
        }
    }
    // Custom code (not a buyer) saves the cart now; on an lwr cart it can instead run
    // inside the cart's next PUT, PATCH or DELETE (custom_update).
    let lwr = world
        .store(&cart.store)
        .is_some_and(|s| s.settings.template == crate::engine::Template::Lwr);
    for during_next_call in [false, true] {
        if during_next_call && !lwr {
            continue;
        }
        items.push((
            if during_next_call {
                format!(
                    "custom code saves {} inside its next PUT, PATCH or DELETE (409)",
                    cart.id
                )
            } else {
                format!("custom code saves {} now (~version goes up)", cart.id)
            },
            Action::CustomUpdate {
                cart: cart.id.to_string(),
                during_next_call,
            },
        ));
    }
    items
}

/// The readings a store could switch to now: (key, value, how it is written) for each
/// changeable setting and each of its named values other than the current one. A
/// reading that stands for any number (`N ticks`) is left out: it takes a number, not
/// a flip.
pub fn other_readings(
    settings: &crate::engine::StoreSettings,
) -> Vec<(&'static str, SettingValue, &'static str)> {
    let mut out = Vec::new();
    for setting in SETTINGS.iter().filter(|s| s.changeable) {
        let current = setting.get(settings);
        for reading in setting.readings {
            if is_placeholder(reading.value) {
                continue;
            }
            if let Ok(value) = setting.parse(SettingInput::Arg(reading.value))
                && value != current
            {
                out.push((setting.key, value, reading.value));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::window;

    #[test]
    fn a_menu_taller_than_the_screen_shows_a_window_that_keeps_the_chosen_item() {
        assert_eq!(window(5, 4, 5), (0, 5), "it fits");
        assert_eq!(window(20, 0, 10), (0, 9));
        assert_eq!(window(20, 8, 10), (0, 9));
        assert_eq!(window(20, 9, 10), (1, 10));
        assert_eq!(window(20, 19, 10), (11, 20));
        for chosen in 0..20 {
            let (start, end) = window(20, chosen, 10);
            assert!(start <= chosen && chosen < end && end - start == 9);
        }
    }
}
