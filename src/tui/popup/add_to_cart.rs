//! Add to cart: pick a product (↑↓) and a quantity (+/- or digits), Enter adds it to the
//! selected cart, off script. 0 and huge quantities are allowed, to provoke the refusals.

use super::{Reply, boxed, hint};
use crate::engine::{Action, Quantity};
use crate::tui::app::App;
use crate::tui::keys::Command;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// The largest quantity that can be typed.
const MOST: i64 = 99_999_999;

/// The add-to-cart popup's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddToCart {
    /// The cart it adds to.
    pub cart: String,
    /// Index into the world's products.
    pub product: usize,
    /// The quantity.
    pub quantity: i64,
    /// True once a digit was typed (digits then append).
    pub typed: bool,
}

impl AddToCart {
    /// The popup for a cart: the first product, quantity 1.
    pub fn new(cart: String) -> AddToCart {
        AddToCart {
            cart,
            product: 0,
            quantity: 1,
            typed: false,
        }
    }

    /// Handles a key: ↑↓ product, +/- quantity, digits type it, Enter adds.
    pub fn key(&mut self, app: &App, command: Option<Command>, key: KeyEvent) -> Reply {
        if let KeyCode::Char(d @ '0'..='9') = key.code {
            let digit = i64::from(d as u8 - b'0');
            self.quantity = if self.typed {
                self.quantity
                    .saturating_mul(10)
                    .saturating_add(digit)
                    .min(MOST)
            } else {
                digit
            };
            self.typed = true;
            return Reply::Keep;
        }
        let products = app.world().map_or(0, |w| w.products.len());
        match command {
            Some(Command::Up) => super::step(&mut self.product, products, true),
            Some(Command::Down) => super::step(&mut self.product, products, false),
            Some(Command::More) => {
                self.quantity = (self.quantity + 1).clamp(0, MOST);
                self.typed = false;
            }
            Some(Command::Less) => {
                self.quantity = (self.quantity - 1).clamp(0, MOST);
                self.typed = false;
            }
            Some(Command::Confirm) => {
                let Some(sku) = app
                    .world()
                    .and_then(|w| w.products.get(self.product))
                    .map(|p| p.sku.clone())
                else {
                    return Reply::Close;
                };
                return Reply::Act(Action::AddToCart {
                    cart: self.cart.clone(),
                    sku,
                    quantity: Quantity::Whole(self.quantity),
                    actor: None,
                });
            }
            _ => {}
        }
        Reply::Keep
    }

    /// Draws the popup.
    pub fn draw(&self, frame: &mut Frame, area: Rect, app: &App) {
        let t = app.theme;
        let Some(world) = app.world() else { return };
        let mut text = vec![Line::raw(format!("Add to {}:", self.cart)), Line::raw("")];
        for (i, p) in world.products.iter().enumerate() {
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
        text.push(Line::from(vec![
            Span::styled("quantity ", t.label()),
            Span::styled(format!("{}", self.quantity), t.key()),
            Span::styled("   (0 or more than 1,000,000 provoke the refusal)", t.dim()),
        ]));
        text.push(Line::raw(""));
        text.push(hint(
            app,
            "↑↓ product · +/- or digits quantity · Enter add · Esc close",
        ));
        boxed(frame, area, app, "Add to cart", text, 72, t.focus_border());
    }
}
