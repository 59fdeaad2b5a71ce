//! What [`App::update`](super::app::App::update) asks the outside world to do, and the
//! one place that does it. `update` never touches a file: it returns [`Effect`]s, the run
//! loop (and the tests, through [`drive`]) performs them with [`perform`] and feeds the
//! result back as a [`Msg`]. This is the shape of the Elm architecture and of gitui's
//! components: state and key handling stay testable and free of I/O.

use super::app::{App, Msg};
use crate::safe_write::{self, Permit, WriteError};
use std::path::{Path, PathBuf};

/// Something to do outside the UI state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Write a scenario file (atomically, never through a symbolic link). The result comes
    /// back as [`Msg::Written`].
    Write {
        /// Where.
        path: PathBuf,
        /// The file's text.
        text: String,
        /// Replace an existing file.
        overwrite: bool,
    },
    /// Find a file name that is free in a folder, for the save dialog to propose. The
    /// answer comes back as [`Msg::FreeName`].
    FreeName {
        /// The folder.
        dir: PathBuf,
    },
    /// Keep the settings (presenter mode, speed, palette) in the settings file, changing
    /// only those keys in the user's file. A failure comes back as [`Msg::Notice`].
    SaveSettings {
        /// The settings file.
        path: PathBuf,
        /// The settings, as TOML.
        text: String,
    },
    /// Explore every sequence of buyer actions from this world (`X`). The run loop runs
    /// it on a thread ([`super::explore_job::Job`]) and reports its progress as
    /// [`Msg::Exploring`] and its end as [`Msg::Explored`]; [`drive`] runs it at once.
    Explore(Box<super::explore_job::Request>),
    /// Stop the exploration under way (Esc, Ctrl-C); it ends with what it found.
    StopExplore,
}

/// Why a write did not happen, as the UI needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteFailure {
    /// The file exists (the save dialog then asks before overwriting).
    pub exists: bool,
    /// The message to show (sanitized).
    pub message: String,
}

/// Performs one effect and returns the message that reports its result, if any.
pub fn perform(effect: Effect) -> Option<Msg> {
    match effect {
        Effect::Write {
            path,
            text,
            overwrite,
        } => {
            let permit = Permit {
                overwrite,
                follow_symlinks: false,
            };
            let result = safe_write::write(&path, text.as_bytes(), permit)
                .map(|_| ())
                .map_err(|e| WriteFailure {
                    exists: matches!(e, WriteError::Exists(_)),
                    message: crate::scenario::sanitize::line(&e.to_string()),
                });
            Some(Msg::Written { path, result })
        }
        Effect::FreeName { dir } => Some(Msg::FreeName(free_name(&dir))),
        Effect::SaveSettings { path, text } => {
            let (settings, _) = super::settings::Settings::parse(&text);
            super::settings::save(&path, &settings)
                .err()
                .map(|why| Msg::Notice(format!("settings not kept: {why}")))
        }
        Effect::Explore(request) => Some(super::explore_job::run_now(&request)),
        // Nothing runs beside the UI when the search is done at once.
        Effect::StopExplore => None,
    }
}

/// Hands `msg` to the app and performs every effect it asks for, feeding each result
/// back, until nothing is left to do. The run loop and the key tests both use it.
pub fn drive(app: &mut App, msg: Msg) {
    drive_with(app, msg, &mut perform);
}

/// [`drive`] with another performer: the run loop's starts an exploration on a thread
/// instead of waiting for it.
pub fn drive_with(app: &mut App, msg: Msg, perform: &mut dyn FnMut(Effect) -> Option<Msg>) {
    let mut queue = vec![msg];
    while let Some(msg) = queue.pop() {
        for effect in app.update(msg) {
            if let Some(reply) = perform(effect) {
                queue.push(reply);
            }
        }
    }
}

/// The first `cartsim-branch-N.json` that does not exist in `dir`.
pub fn free_name(dir: &Path) -> String {
    (1..)
        .map(|n| format!("cartsim-branch-{n}.json"))
        .find(|name| std::fs::symlink_metadata(dir.join(name)).is_err())
        .unwrap_or_else(|| "cartsim-branch.json".to_string())
}
