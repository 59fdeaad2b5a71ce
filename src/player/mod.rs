//! The player: plays a scenario's steps against the engine, keeps the history, and
//! moves through it (step back, jump, branch off the script).

pub mod headless;
pub mod playback;
pub mod recovery;
pub mod timeline;
pub mod wording;

pub use headless::{StepReport, play_headless};
pub use timeline::{Entry, Origin, Timeline};

use crate::engine::{Action, World};

/// A one-line description of an action: `cancel cart-1 as bob`.
pub fn describe(world: &World, kind: &str, action: &Action) -> String {
    let actor = action
        .cart()
        .filter(|_| action.is_buyer_action())
        .and_then(|cart| world.actor_for(cart, action.actor()));
    let body = match action {
        Action::StartCheckout { cart, .. }
        | Action::Cancel { cart, .. }
        | Action::Continue { cart, .. } => format!("{kind} {cart}"),
        Action::AddToCart {
            cart,
            sku,
            quantity,
            ..
        } => {
            let q = match quantity {
                crate::engine::Quantity::Whole(n) => n.to_string(),
                crate::engine::Quantity::Other(t) => t.clone(),
            };
            format!("{kind} {cart} {q} x {sku}")
        }
        Action::Wait { ticks } => {
            format!("{kind} {ticks} tick{}", if *ticks == 1 { "" } else { "s" })
        }
        Action::Settle => kind.to_string(),
        Action::FailOperation { cart, message } => format!("{kind} {cart} \"{message}\""),
        Action::IntegrationFault {
            cart,
            message,
            level,
            kind: row_type,
        } => {
            let row_type = row_type.map_or(String::new(), |t| format!(" {t}"));
            format!("{kind} {cart} {level}{row_type} \"{message}\"")
        }
        Action::CustomUpdate {
            cart,
            during_next_call,
        } => {
            if *during_next_call {
                format!("{kind} {cart} during next_call")
            } else {
                format!("{kind} {cart}")
            }
        }
        Action::Grant { buyer, permission } | Action::Revoke { buyer, permission } => {
            format!("{kind} {buyer} {permission}")
        }
        Action::SwitchAccount { buyer, account } => format!("{kind} {buyer} -> {account}"),
        Action::JoinStore { account, store } | Action::LeaveStore { account, store } => {
            format!("{kind} {account} {store}")
        }
        Action::SetSetting { store, key, value } => format!("{kind} {store} {key} {value}"),
        Action::CheckoutStart { cart, .. }
        | Action::CheckoutPoll { cart, .. }
        | Action::CheckoutDelete { cart, .. }
        | Action::PlaceOrder {
            cart, step: None, ..
        } => format!("{kind} {cart}"),
        Action::PlaceOrder {
            cart,
            step: Some(step),
            ..
        } => format!("{kind} {cart} {step}"),
        Action::CheckoutUpdate { cart, patch, .. } => {
            let mut body = format!("{kind} {cart}");
            let address = patch.shipping_address.as_ref().map(|a| a.one_line());
            for (key, value) in [
                ("shipping_address", &address),
                ("delivery_method", &patch.delivery_method),
                ("contact", &patch.contact),
            ] {
                if let Some(value) = value {
                    body.push_str(&format!(" {key} \"{value}\""));
                }
            }
            body
        }
        Action::Pay { cart, outcome, .. } => format!("{kind} {cart} {outcome}"),
    };
    match actor {
        Some(a) => format!("{body} as {a}"),
        None => body,
    }
}

/// The `do` keyword of an action (used for actions taken in the UI).
pub fn kind_of(action: &Action) -> &'static str {
    action.kind().name()
}
