//! The engine: pure rules of carts, checkout sessions and background operations.
//!
//! No I/O, no terminal, no wall clock. A [`World`] is the state at one instant;
//! [`World::apply`] takes an [`Action`] and returns an [`Outcome`]: every change with
//! its old value, new value and [`Rule`], or an [`ActionError`] from the catalogue in
//! [`errors`]. The same world and action always give the same outcome, which is what
//! lets the player step back by replaying from a snapshot.

#[macro_use]
mod named;

pub mod actions;
pub mod builder;
pub mod change;
mod checkout;
pub use checkout::checkout_deadline;
mod clock;
pub mod errors;
pub mod fields;
pub mod flow;
pub mod id;
mod id_index;
mod index;
pub mod kinds;
pub mod model;
pub mod money;
pub mod rest;
pub mod rules;
pub mod settings;
pub mod source;
pub mod table;
mod tx;
pub mod undo;
pub mod world;

pub use actions::{Action, Outcome, Quantity};
pub use builder::{CartRecords, WorldBuilder};
pub use change::{Change, ChangeWhat, FieldValue, RecordKind};
pub use errors::{ActionError, ErrorKind};
pub use fields::*;
pub use id::Id;
pub use kinds::{STEP_KINDS, StepKind, StepKindRow, Stores};
pub use model::*;
pub use money::Money;
pub use rules::Rule;
pub use settings::{SettingError, SettingInput, SettingValue, StoreSettings};
pub use source::Source;
pub use table::Table;
pub use undo::Undo;
pub use world::World;
