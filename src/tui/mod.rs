//! The terminal UI: carts, checkout sessions and background operations side by side.
//!
//! View and input only; the rules live in [`crate::engine`] and playback (time, history,
//! branches, quizzes) in [`crate::player::playback`]. One module per job:
//! [`app`] (state and `update`, routing between its parts: [`picker`], [`player_view`],
//! [`prefs`] and [`files`]), [`effect`] (the I/O `update` asks for, done by the run
//! loop), [`keys`] (the one key table), [`field`] (text fields), [`theme`] (styles), [`anim`] (animations from a
//! clock value), [`view`] and one file per region ([`header`], [`panes`], [`log`],
//! [`keybar`], [`picker`], [`world`], [`network`]), [`popup`] (one module per popup: state, keys,
//! drawing), and [`terminal`] (the run loop), [`loading`] (progress of a load before the
//! UI opens) and [`signals`] (the terminal restored on every way out).

pub mod anim;
pub mod app;
pub mod cast;
pub mod effect;
pub mod explore_job;
pub mod field;
pub mod files;
pub mod header;
pub mod keybar;
pub mod keys;
pub mod loading;
pub mod log;
pub mod network;
pub mod panes;
pub mod picker;
pub mod player_view;
pub mod popup;
pub mod prefs;
pub mod settings;
pub mod signals;
pub mod terminal;
pub mod theme;
pub mod view;
pub mod work;
pub mod world;

pub use terminal::{run, run_explored, run_live, run_loaded, run_watch, run_watch_from};
