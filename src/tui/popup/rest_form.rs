//! The small forms of the REST calls that need input, on an LWR cart: PATCH (`u`: a
//! shipping address, a delivery method, contact details; at least one) and pay (`$`:
//! the payment service authorizes or declines). Enter sends the call off script.

use super::{Reply, boxed, hint};
use crate::engine::Action;
use crate::engine::rest::PaymentOutcome;
use crate::tui::app::App;
use crate::tui::field::{Edit, Field};
use crate::tui::keys::Command;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// The longest value a field takes.
const MAX: usize = 200;

/// Which call the form sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// PATCH the checkout: shipping address, delivery method, contact (in that order).
    Patch(Box<[Field; 3]>),
    /// POST /payments: authorized (true) or declined.
    Pay(bool),
}

/// A form's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestForm {
    /// The cart the call is about.
    pub cart: String,
    /// The call and its inputs.
    pub kind: Kind,
    /// The field with the cursor (PATCH).
    pub focus: usize,
    /// Why Enter did not send.
    pub problem: Option<String>,
}

const PATCH_LABELS: [&str; 3] = ["shipping address", "delivery method", "contact"];

impl RestForm {
    /// The PATCH form, empty.
    pub fn patch(cart: String) -> RestForm {
        RestForm {
            cart,
            kind: Kind::Patch(Default::default()),
            focus: 0,
            problem: None,
        }
    }

    /// The pay form, on "authorized".
    pub fn pay(cart: String) -> RestForm {
        RestForm {
            cart,
            kind: Kind::Pay(true),
            focus: 0,
            problem: None,
        }
    }

    /// Handles a key: typing edits the field, Tab (↑↓) moves between fields or choices,
    /// Enter sends.
    pub fn key(&mut self, command: Option<Command>, key: KeyEvent) -> Reply {
        match command {
            Some(Command::NextField) => {
                match &mut self.kind {
                    Kind::Pay(authorized) => *authorized = !*authorized,
                    Kind::Patch(_) => {
                        let back = matches!(key.code, KeyCode::Up | KeyCode::BackTab);
                        self.focus = if back {
                            (self.focus + 2) % 3
                        } else {
                            (self.focus + 1) % 3
                        };
                    }
                }
                return Reply::Keep;
            }
            Some(Command::Confirm) => return self.send(),
            _ => {}
        }
        if let Kind::Patch(fields) = &mut self.kind {
            match fields[self.focus].key(key, MAX, |_| true) {
                Edit::Done => self.problem = None,
                Edit::Refused => self.problem = Some(format!("at most {MAX} characters")),
                Edit::NotMine => {}
            }
        }
        Reply::Keep
    }

    /// The action Enter sends, or why not.
    fn send(&mut self) -> Reply {
        let cart = self.cart.clone();
        match &self.kind {
            Kind::Pay(authorized) => Reply::Act(Action::Pay {
                cart,
                outcome: if *authorized {
                    PaymentOutcome::Authorized
                } else {
                    PaymentOutcome::Declined
                },
                actor: None,
            }),
            Kind::Patch(fields) => {
                let value = |i: usize| {
                    let v = fields[i].value().trim();
                    (!v.is_empty()).then(|| v.to_string())
                };
                let (shipping_address, delivery_method, contact) = (value(0), value(1), value(2));
                if shipping_address.is_none() && delivery_method.is_none() && contact.is_none() {
                    self.problem = Some("fill in at least one field".into());
                    return Reply::Keep;
                }
                Reply::Act(Action::CheckoutUpdate {
                    cart,
                    shipping_address,
                    delivery_method,
                    contact,
                    actor: None,
                })
            }
        }
    }

    /// Draws the form.
    pub fn draw(&self, frame: &mut Frame, area: Rect, app: &App) {
        let t = app.theme;
        let store = app
            .world()
            .and_then(|w| w.store_of_cart(&self.cart))
            .map(|s| s.id.clone())
            .unwrap_or_default();
        let (title, mut text) = match &self.kind {
            Kind::Patch(fields) => {
                let mut text = vec![
                    Line::raw(format!(
                        "PATCH /commerce/webstores/{store}/checkouts/{{id}} for {}",
                        self.cart
                    )),
                    Line::styled(
                        "an address reruns Shipping and Tax; a delivery method reruns Tax",
                        t.dim(),
                    ),
                    Line::raw(""),
                ];
                for (i, label) in PATCH_LABELS.iter().enumerate() {
                    let focused = i == self.focus;
                    let mut spans = vec![Span::styled(
                        format!("{} {label:<17}", if focused { "›" } else { " " }),
                        if focused { t.selected() } else { t.label() },
                    )];
                    spans.extend(fields[i].spans(t.key(), 48, focused));
                    text.push(Line::from(spans));
                }
                if let Some(methods) = app
                    .world()
                    .and_then(|w| w.store_of_cart(&self.cart))
                    .map(|s| &s.delivery_methods)
                    .filter(|m| !m.is_empty())
                {
                    let ids: Vec<&str> = methods.iter().map(|m| m.id.as_str()).collect();
                    text.push(Line::styled(
                        format!("  delivery methods of the store: {}", ids.join(", ")),
                        t.dim(),
                    ));
                }
                ("PATCH the checkout", text)
            }
            Kind::Pay(authorized) => {
                let choice = |on: bool, label: &str| {
                    Line::styled(
                        format!("{} {label}", if on { "›" } else { " " }),
                        if on { t.selected() } else { t.text() },
                    )
                };
                (
                    "Pay",
                    vec![
                        Line::raw(format!(
                            "POST /commerce/webstores/{store}/checkouts/{{id}}/payments for {}",
                            self.cart
                        )),
                        Line::raw(""),
                        Line::styled("the payment service answers:", t.dim()),
                        choice(*authorized, "authorized"),
                        choice(!*authorized, "declined"),
                    ],
                )
            }
        };
        text.push(Line::raw(""));
        if let Some(problem) = &self.problem {
            text.push(Line::styled(format!("✖ {problem}"), t.error()));
        }
        text.push(hint(
            app,
            "Tab/↑↓ next field · Enter send (off script) · Esc close",
        ));
        boxed(frame, area, app, title, text, 78, t.focus_border());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn patch_sends_what_was_typed_and_needs_one_field() {
        let mut f = RestForm::patch("cart-1".into());
        assert_eq!(
            f.key(Some(Command::Confirm), key(KeyCode::Enter)),
            Reply::Keep
        );
        assert!(f.problem.is_some());
        f.key(Some(Command::NextField), key(KeyCode::Tab));
        for c in "ground".chars() {
            f.key(None, key(KeyCode::Char(c)));
        }
        let Reply::Act(Action::CheckoutUpdate {
            shipping_address,
            delivery_method,
            contact,
            ..
        }) = f.key(Some(Command::Confirm), key(KeyCode::Enter))
        else {
            panic!()
        };
        assert_eq!(shipping_address, None);
        assert_eq!(delivery_method.as_deref(), Some("ground"));
        assert_eq!(contact, None);
    }

    #[test]
    fn pay_toggles_between_authorized_and_declined() {
        let mut f = RestForm::pay("cart-1".into());
        f.key(Some(Command::NextField), key(KeyCode::Down));
        assert!(matches!(
            f.key(Some(Command::Confirm), key(KeyCode::Enter)),
            Reply::Act(Action::Pay {
                outcome: PaymentOutcome::Declined,
                ..
            })
        ));
    }
}
