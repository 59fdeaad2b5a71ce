//! Add to cart: pick a product (↑↓) and a quantity (+/- or digits, edited like a shell
//! line), Enter adds it to the selected cart, off script. 0 and huge quantities are
//! allowed, to provoke the refusals.

use super::{Reply, boxed, hint};
use crate::engine::{Action, Quantity};
use crate::tui::field::{Edit, Field};
use crate::tui::keys::Command;
use crate::tui::player_view::PlayerView;
use crate::tui::prefs::Preferences;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// The largest quantity that can be typed.
const MOST: i64 = 99_999_999;
/// Its digits.
const MOST_DIGITS: usize = 8;

/// The add-to-cart popup's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddToCart {
    /// The cart it adds to.
    pub cart: String,
    /// Index into the world's products.
    pub product: usize,
    /// The quantity, as typed (digits only).
    pub quantity: Field,
    /// True once the quantity was edited (until then the first digit replaces it).
    pub typed: bool,
}

impl AddToCart {
    /// The popup for a cart: the first product, quantity 1.
    pub fn new(cart: String) -> AddToCart {
        AddToCart {
            cart,
            product: 0,
            quantity: Field::new("1"),
            typed: false,
        }
    }

    /// The quantity as a number (an empty field is 0).
    pub fn amount(&self) -> i64 {
        self.quantity.value().parse::<i64>().unwrap_or(0).min(MOST)
    }

    /// Handles a key: ↑↓ product, +/- quantity, digits and the line keys edit it, Enter adds.
    pub fn key(&mut self, view: &PlayerView, command: Option<Command>, key: KeyEvent) -> Reply {
        if let KeyCode::Char('0'..='9') = key.code
            && !self.typed
        {
            // The proposed quantity is replaced by the first digit typed.
            self.quantity.set("");
        }
        if command.is_none() {
            if self.quantity.key(key, MOST_DIGITS, |c| c.is_ascii_digit()) == Edit::Done {
                self.typed = true;
            }
            return Reply::Keep;
        }
        let products = view.world().map_or(0, |w| w.products().len());
        match command {
            Some(Command::Up) => super::step(&mut self.product, products, true),
            Some(Command::Down) => super::step(&mut self.product, products, false),
            Some(Command::More) => {
                self.quantity
                    .set(&(self.amount() + 1).clamp(0, MOST).to_string());
                self.typed = true;
            }
            Some(Command::Less) => {
                self.quantity
                    .set(&(self.amount() - 1).clamp(0, MOST).to_string());
                self.typed = true;
            }
            Some(Command::Confirm) => {
                let Some(sku) = view
                    .world()
                    .and_then(|w| w.products().nth(self.product))
                    .map(|p| p.sku)
                else {
                    return Reply::Close;
                };
                return Reply::Act(Action::AddToCart {
                    cart: self.cart.clone(),
                    sku: sku.to_string(),
                    quantity: Quantity::Whole(self.amount()),
                    actor: None,
                });
            }
            _ => {}
        }
        Reply::Keep
    }

    /// Draws the popup.
    pub fn draw(&self, frame: &mut Frame, area: Rect, view: &PlayerView, prefs: &Preferences) {
        let t = prefs.theme;
        let Some(world) = view.world() else { return };
        let mut text = vec![Line::raw(format!("Add to {}:", self.cart)), Line::raw("")];
        for (i, p) in world.products().iter().enumerate() {
            let chosen = i == self.product;
            text.push(Line::styled(
                format!(
                    "{} {} {} at {}",
                    if chosen { "›" } else { " " },
                    p.sku,
                    p.name,
                    p.price
                ),
                if chosen { t.selected() } else { t.text() },
            ));
        }
        text.push(Line::raw(""));
        text.push(Line::from(
            [Span::styled("quantity ", t.label())]
                .into_iter()
                .chain(self.quantity.spans(t.key(), 10, true))
                .chain([Span::styled(
                    "   (0 or more than 1,000,000 provoke the refusal)",
                    t.dim(),
                )])
                .collect::<Vec<_>>(),
        ));
        text.push(Line::raw(""));
        text.push(hint(
            t,
            "↑↓ product · +/- or digits quantity (← → Backspace Ctrl-U) · Enter add · Esc close",
        ));
        boxed(frame, area, t, "Add to cart", text, 72, t.focus_border());
    }
}
