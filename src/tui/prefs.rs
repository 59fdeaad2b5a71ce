//! The user's preferences, in one home: what `config.toml` keeps (presenter mode,
//! playback speed, palette, projector layout), the theme drawn from them, and where
//! they are kept. Loaded in one place ([`Preferences::load`], by the run loop) and saved
//! in one place ([`Preferences::save`], an [`Effect`] the run loop performs), so `update`
//! stays free of I/O.
//!
//! The file's format (parsing, merging into the user's own file) is [`super::settings`].

use super::effect::Effect;
use super::settings::Settings;
use super::theme::Theme;
use crate::player::playback::Playback;
use std::path::PathBuf;

/// What the user chose to keep across scenarios and sessions.
#[derive(Debug, Clone)]
pub struct Preferences {
    /// Styles; its palette is the file's `theme`.
    pub theme: Theme,
    /// Presenter mode: playback pauses before each chapter.
    pub presenter: bool,
    /// Playback speed (0.25 to 8).
    pub speed: f64,
    /// The projector layout: a larger caption, no key bar, panes that do not move.
    pub projector: bool,
    /// Where they are kept; `None` keeps them for this run only (tests).
    pub path: Option<PathBuf>,
}

impl Preferences {
    /// The defaults, drawn in `theme` (colour or not, from `NO_COLOR`), kept nowhere.
    pub fn new(theme: Theme) -> Preferences {
        let mut prefs = Preferences {
            theme,
            presenter: false,
            speed: 1.0,
            projector: false,
            path: None,
        };
        prefs.apply(Settings {
            theme: theme.palette,
            ..Settings::default()
        });
        prefs
    }

    /// Reads the settings file (I/O: the run loop calls it once, at start), keeping the
    /// path for later saves. Returns what was wrong with the file, each problem naming
    /// it; the rest of the file still applies.
    pub fn load(&mut self) -> Vec<String> {
        self.path = super::settings::path();
        let (settings, problems) = super::settings::load(self.path.as_deref());
        self.apply(settings);
        problems
    }

    /// Takes these settings (read from the file).
    pub fn apply(&mut self, settings: Settings) {
        self.theme = self.theme.with(settings.theme);
        self.presenter = settings.presenter;
        self.speed = settings.speed;
        self.projector = settings.projector;
    }

    /// The settings as the file keeps them.
    pub fn settings(&self) -> Settings {
        Settings {
            presenter: self.presenter,
            speed: self.speed,
            theme: self.theme.palette,
            projector: self.projector,
        }
    }

    /// Gives a playback the presenter mode and the speed chosen.
    pub fn configure(&self, playback: &mut Playback) {
        playback.presenter = self.presenter;
        playback.set_speed(self.speed);
    }

    /// Takes the presenter mode and the speed a playback has now (changed by a key).
    pub fn remember(&mut self, playback: &Playback) {
        self.presenter = playback.presenter;
        self.speed = playback.speed();
    }

    /// What keeps them in the file: an effect for the run loop, or nothing when they are
    /// kept for this run only.
    pub fn save(&self) -> Option<Effect> {
        Some(Effect::SaveSettings {
            path: self.path.clone()?,
            text: self.settings().to_text(),
        })
    }
}
