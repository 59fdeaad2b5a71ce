//! cartsim: a terminal simulator of Salesforce B2B Commerce checkout.
//!
//! The layers depend one way only:
//! [`engine`] (pure rules) <- [`scenario`] (load, validate, expect) <- [`player`]
//! (time, playback, history) <- the terminal UI and the command line. [`text`]
//! (sanitizing what comes from outside), [`safe_write`] and [`progress`] (how far a
//! long task has got) sit below every layer.

pub mod cli;
pub mod diagnose;
pub mod engine;
pub mod explore;
#[doc(hidden)]
pub mod fuzzing;
pub mod player;
pub mod progress;
pub mod safe_write;
pub mod scenario;
pub mod serve;
pub mod text;
pub mod tui;
