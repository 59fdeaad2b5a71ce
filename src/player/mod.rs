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

/// A one-line description of an action: `cancel cart-1 as bob`. The words after the
/// `do` keyword come from the kind's row ([`crate::engine::StepKindRow::wording`]).
pub fn describe(world: &World, kind: &str, action: &Action) -> String {
    let actor = action
        .cart()
        .filter(|_| action.is_buyer_action())
        .and_then(|cart| world.actor_for(cart, action.actor()));
    let mut line = kind.to_string();
    let wording = action.wording();
    if !wording.is_empty() {
        line.push(' ');
        line.push_str(&wording);
    }
    if let Some(a) = actor {
        line.push_str(" as ");
        line.push_str(&a);
    }
    line
}

/// The `do` keyword of an action (used for actions taken in the UI).
pub fn kind_of(action: &Action) -> &'static str {
    action.kind().name()
}
