//! Settings that stay across scenarios and sessions: presenter mode, speed and palette,
//! kept in `cartsim/config.toml` in the platform's config folder (`~/.config` on Linux,
//! `~/Library/Application Support` on macOS, `%APPDATA%` on Windows; `CARTSIM_CONFIG`
//! names another file). The UI writes the file when one of them changes (through an
//! [`Effect`](super::effect::Effect)); a missing or unreadable file means the defaults.

use super::theme::Palette;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// The settings, as the file holds them. Every key is optional.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Presenter mode: playback pauses before each chapter.
    pub presenter: bool,
    /// Playback speed: 0.25, 0.5, 1, 2, 4 or 8 (the nearest is taken).
    pub speed: f64,
    /// The palette: `default`, `high-contrast` or `light`.
    pub theme: Palette,
    /// The projector layout: a larger caption, no key bar, panes that do not move.
    pub projector: bool,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            presenter: false,
            speed: 1.0,
            theme: Palette::Default,
            projector: false,
        }
    }
}

impl Settings {
    /// The settings in a TOML text; `None` when it does not parse.
    pub fn parse(text: &str) -> Option<Settings> {
        toml::from_str(text).ok()
    }

    /// The TOML text of the settings.
    pub fn to_text(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }
}

/// Where the settings file is: `CARTSIM_CONFIG`, else `cartsim/config.toml` in the
/// platform's config folder.
pub fn path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CARTSIM_CONFIG").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    Some(dirs::config_dir()?.join("cartsim").join("config.toml"))
}

/// Reads the settings file (I/O: the run loop calls it once, at start).
pub fn load(path: Option<&std::path::Path>) -> Settings {
    path.and_then(|p| std::fs::read_to_string(p).ok())
        .and_then(|t| Settings::parse(&t))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_round_trips_and_bad_text_means_defaults() {
        let s = Settings {
            presenter: true,
            speed: 2.0,
            theme: Palette::HighContrast,
            projector: true,
        };
        assert_eq!(Settings::parse(&s.to_text()), Some(s.clone()));
        assert!(s.to_text().contains("theme = \"high-contrast\""));
        assert_eq!(
            Settings::parse("speed = 4.0"),
            Some(Settings {
                speed: 4.0,
                ..Settings::default()
            })
        );
        assert_eq!(Settings::parse("nope = 1"), None);
    }
}
