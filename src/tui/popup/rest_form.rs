//! The small forms of the REST calls that need input, on an LWR cart: PATCH (`u`: a
//! shipping address in its four parts, a delivery method, a guest's contact e-mail; at
//! least one) and pay (`$`: the payment service authorizes or declines). Enter sends
//! the call off script.

use super::{Reply, boxed, hint};
use crate::engine::Action;
use crate::engine::Address;
use crate::engine::rest::{CheckoutPatch, PaymentOutcome};
use crate::tui::field::{Edit, Field};
use crate::tui::keys::Command;
use crate::tui::player_view::PlayerView;
use crate::tui::prefs::Preferences;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// The longest value a field takes.
const MAX: usize = 200;

/// Which call the form sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// PATCH the checkout: street, city, postal code, country, delivery method, contact
    /// (in that order).
    Patch(Box<[Field; FIELDS]>),
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

/// The PATCH form's fields.
const FIELDS: usize = 6;
const PATCH_LABELS: [&str; FIELDS] = [
    "street",
    "city",
    "postal code",
    "country",
    "delivery method",
    "contact e-mail",
];

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
                            (self.focus + FIELDS - 1) % FIELDS
                        } else {
                            (self.focus + 1) % FIELDS
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
                let address = Address {
                    street: value(0),
                    city: value(1),
                    postal_code: value(2),
                    country: value(3),
                };
                let given = address.street.is_some()
                    || address.city.is_some()
                    || address.postal_code.is_some()
                    || address.country.is_some();
                let patch = CheckoutPatch {
                    shipping_address: given.then_some(address),
                    delivery_method: value(4),
                    contact: value(5),
                };
                if patch.shipping_address.is_none()
                    && patch.delivery_method.is_none()
                    && patch.contact.is_none()
                {
                    self.problem = Some("fill in at least one field".into());
                    return Reply::Keep;
                }
                Reply::Act(Action::CheckoutUpdate {
                    cart,
                    patch,
                    actor: None,
                })
            }
        }
    }

    /// Draws the form.
    pub fn draw(&self, frame: &mut Frame, area: Rect, view: &PlayerView, prefs: &Preferences) {
        let t = prefs.theme;
        let store = view
            .world()
            .and_then(|w| w.store_of_cart(&self.cart))
            .map(|s| s.id)
            .unwrap_or_default();
        let (title, mut text) = match &self.kind {
            Kind::Patch(fields) => {
                let mut text = vec![
                    Line::raw(format!(
                        "PATCH /commerce/webstores/{store}/checkouts/{{id}} for {}",
                        self.cart
                    )),
                    Line::styled(
                        "an address reruns Shipping, Post Shipping and Tax; a delivery method Post Shipping and Tax",
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
                if let Some(methods) = view
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
            t,
            "Tab/↑↓ next field · Enter send (off script) · Esc close",
        ));
        boxed(frame, area, t, title, text, 78, t.focus_border());
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
        for c in "1 Main St".chars() {
            f.key(None, key(KeyCode::Char(c)));
        }
        for _ in 0..4 {
            f.key(Some(Command::NextField), key(KeyCode::Tab));
        }
        for c in "ground".chars() {
            f.key(None, key(KeyCode::Char(c)));
        }
        let Reply::Act(Action::CheckoutUpdate { patch, .. }) =
            f.key(Some(Command::Confirm), key(KeyCode::Enter))
        else {
            panic!()
        };
        let address = patch.shipping_address.expect("an address");
        assert_eq!(address.street.as_deref(), Some("1 Main St"));
        assert_eq!(address.city, None);
        assert_eq!(patch.delivery_method.as_deref(), Some("ground"));
        assert_eq!(patch.contact, None);
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
