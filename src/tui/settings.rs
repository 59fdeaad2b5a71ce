//! Settings that stay across scenarios and sessions: presenter mode, speed and palette,
//! kept in `cartsim/config.toml` in the platform's config folder (`~/.config` on Linux,
//! `~/Library/Application Support` on macOS, `%APPDATA%` on Windows; `CARTSIM_CONFIG`
//! names another file). The UI writes the file when one of them changes (through an
//! [`Effect`](super::effect::Effect)).
//!
//! The file is the user's: it is read with a size limit and only when it is a regular
//! file (a FIFO or a device there must not hang the start or fill the memory); each key
//! is read on its own, so an unknown key or a bad value is reported (on the status line
//! and in `--help`) and the rest still applies; numbers are clamped to their documented
//! ranges. A write changes only the keys the UI keeps, leaving the user's comments,
//! order and other keys as they were (`toml_edit`), goes through a symbolic link to its
//! target (dotfile managers link the file), and is atomic.

use super::theme::Palette;
use crate::safe_write::{self, Permit};
use crate::scenario::sanitize;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The largest settings file read (a few lines are expected).
pub const MAX_BYTES: u64 = 64 * 1024;
/// The slowest playback speed.
pub const MIN_SPEED: f64 = 0.25;
/// The fastest playback speed.
pub const MAX_SPEED: f64 = 8.0;

/// The keys of the file, with what each takes: the FILES section of `--help` lists them.
pub const KEYS: &[(&str, &str)] = &[
    (
        "presenter",
        "true or false: playback pauses before each chapter",
    ),
    (
        "speed",
        "0.25 to 8 (0.25, 0.5, 1, 2, 4 or 8; the nearest is taken)",
    ),
    ("theme", "\"default\", \"high-contrast\" or \"light\""),
    ("projector", "true or false: the projector layout"),
];

/// The settings, as the file holds them. Every key is optional.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
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
    /// The settings in a TOML text, and what was wrong with it (each problem sanitized):
    /// an unknown key or a bad value is reported and skipped, every other key applies; a
    /// text that is not TOML gives the defaults and says where it breaks.
    pub fn parse(text: &str) -> (Settings, Vec<String>) {
        let mut settings = Settings::default();
        let mut problems = Vec::new();
        let doc = match text.parse::<toml_edit::DocumentMut>() {
            Ok(doc) => doc,
            Err(e) => {
                // Counted on bytes: a span need not fall on a character boundary.
                let line = e.span().map(|s| {
                    1 + text.as_bytes()[..s.start.min(text.len())]
                        .iter()
                        .filter(|b| **b == b'\n')
                        .count()
                });
                problems.push(format!(
                    "not TOML{}: {}; the defaults apply and the file is left as it is",
                    line.map(|l| format!(" (line {l})")).unwrap_or_default(),
                    sanitize::line(e.message())
                ));
                return (settings, problems);
            }
        };
        for (key, item) in doc.iter() {
            let bad = |expected: &str| {
                format!(
                    "{}: {} is not allowed; expected {expected}",
                    sanitize::line(key),
                    sanitize::line(item.to_string().trim())
                )
            };
            match key {
                "presenter" | "projector" => match item.as_bool() {
                    Some(b) if key == "presenter" => settings.presenter = b,
                    Some(b) => settings.projector = b,
                    None => problems.push(bad("true or false")),
                },
                "speed" => {
                    let n = item
                        .as_float()
                        .or_else(|| item.as_integer().map(|i| i as f64));
                    match n {
                        Some(n) if n.is_nan() => problems.push(bad("a number from 0.25 to 8")),
                        Some(n) => {
                            let clamped = n.clamp(MIN_SPEED, MAX_SPEED);
                            if clamped != n {
                                problems.push(format!(
                                    "speed: {} is out of range; {clamped} is used (0.25 to 8)",
                                    sanitize::line(item.to_string().trim())
                                ));
                            }
                            settings.speed = clamped;
                        }
                        None => problems.push(bad("a number from 0.25 to 8")),
                    }
                }
                "theme" => match item
                    .as_str()
                    .and_then(|t| Palette::ALL.into_iter().find(|p| p.name() == t))
                {
                    Some(p) => settings.theme = p,
                    None => problems.push(bad("\"default\", \"high-contrast\" or \"light\"")),
                },
                _ => problems.push(format!(
                    "unknown key {} (kept in the file, not used); the keys are: {}",
                    sanitize::line(key),
                    KEYS.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(", ")
                )),
            }
        }
        (settings, problems)
    }

    /// The TOML text of the settings alone.
    pub fn to_text(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }

    /// `existing` (the user's file) with the keys of `self` set, and everything else
    /// (comments, order, other keys) as it was. `None` when `existing` is not TOML: the
    /// user's file is then not touched.
    pub fn merge_into(&self, existing: &str) -> Option<String> {
        let mut doc = existing.parse::<toml_edit::DocumentMut>().ok()?;
        let set = |doc: &mut toml_edit::DocumentMut, key: &str, value: toml_edit::Value| {
            match doc.get_mut(key).and_then(|i| i.as_value_mut()) {
                // Keep the comment and spacing around the old value.
                Some(old) => {
                    let decor = old.decor().clone();
                    *old = value;
                    *old.decor_mut() = decor;
                }
                None => doc[key] = toml_edit::value(value),
            }
        };
        set(&mut doc, "presenter", self.presenter.into());
        set(&mut doc, "speed", self.speed.into());
        set(&mut doc, "theme", self.theme.name().into());
        set(&mut doc, "projector", self.projector.into());
        Some(doc.to_string())
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

/// The file's text: `Ok(None)` when there is no file; an error when it is not a regular
/// file, is larger than [`MAX_BYTES`] (counted on what is read) or is not UTF-8.
pub fn read(path: &Path) -> Result<Option<String>, String> {
    use std::io::Read;
    let fail = |why: String| format!("{}: {why}", sanitize::path(path));
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(fail(format!("cannot read: {e}"))),
    };
    let not_regular = || fail("is not a regular file (a FIFO, device or folder); not read".into());
    if !meta.is_file() {
        return Err(not_regular());
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    // Non-blocking: a file swapped for a FIFO after the check cannot hang the open.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options
        .open(path)
        .map_err(|e| fail(format!("cannot read: {e}")))?;
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        return Err(not_regular());
    }
    let mut bytes = Vec::new();
    file.take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(format!("cannot read: {e}")))?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(fail(format!(
            "larger than {MAX_BYTES} bytes; not read (a settings file is a few lines)"
        )));
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| fail("not UTF-8 text; not read".into()))
}

/// Reads the settings file (I/O: the run loop calls it once, at start): the settings,
/// and what was wrong with the file, each problem naming it.
pub fn load(path: Option<&Path>) -> (Settings, Vec<String>) {
    let Some(path) = path else {
        return (Settings::default(), Vec::new());
    };
    match read(path) {
        Ok(None) => (Settings::default(), Vec::new()),
        Ok(Some(text)) => {
            let (settings, problems) = Settings::parse(&text);
            let file = sanitize::path(path);
            (
                settings,
                problems
                    .into_iter()
                    .map(|p| format!("{file}: {p}"))
                    .collect(),
            )
        }
        Err(e) => (Settings::default(), vec![e]),
    }
}

/// Keeps `settings` in the file (I/O: done for the UI by its effects): the user's file is
/// edited in place (comments, order and other keys kept), through a symbolic link to
/// its target, atomically. Returns the file written, or why nothing was written.
pub fn save(path: &Path, settings: &Settings) -> Result<PathBuf, String> {
    let existing = read(path)?.unwrap_or_default();
    let text = settings.merge_into(&existing).ok_or_else(|| {
        format!(
            "{}: not TOML; the settings were not saved, so as not to overwrite it",
            sanitize::path(path)
        )
    })?;
    if let Some(dir) = path.parent()
        && !dir.as_os_str().is_empty()
    {
        let _ = std::fs::create_dir_all(dir);
    }
    let permit = Permit {
        overwrite: true,
        follow_symlinks: true,
    };
    safe_write::write(path, text.as_bytes(), permit).map_err(|e| e.to_string())
}

/// The FILES section of `--help`: where the settings file is, its keys, and what is
/// wrong with it now.
pub fn help_section() -> String {
    let path = path();
    let mut out = String::from("FILES:\n");
    match &path {
        Some(p) => out.push_str(&format!(
            "  {}\n      The terminal UI's settings (CARTSIM_CONFIG names another file):\n",
            sanitize::path(p)
        )),
        None => out.push_str(
            "  (no config folder on this system; CARTSIM_CONFIG names a settings file)\n",
        ),
    }
    for (key, what) in KEYS {
        out.push_str(&format!("        {key} = {what}\n"));
    }
    let (_, problems) = load(path.as_deref());
    for p in problems {
        out.push_str(&format!("      Problem: {p}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_round_trips() {
        let s = Settings {
            presenter: true,
            speed: 2.0,
            theme: Palette::HighContrast,
            projector: true,
        };
        assert_eq!(Settings::parse(&s.to_text()), (s.clone(), Vec::new()));
        assert!(s.to_text().contains("theme = \"high-contrast\""));
        let (parsed, problems) = Settings::parse("speed = 4");
        assert_eq!(parsed.speed, 4.0);
        assert!(problems.is_empty());
    }

    #[test]
    fn one_unknown_key_is_reported_and_the_rest_still_applies() {
        let (s, problems) = Settings::parse("theme = \"light\"\nnope = 1\nspeed = 2.0\n");
        assert_eq!(s.theme, Palette::Light);
        assert_eq!(s.speed, 2.0);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("unknown key nope"), "{problems:?}");
        let (s, problems) = Settings::parse("theme = \"sepia\"\npresenter = true\n");
        assert!(s.presenter);
        assert!(
            problems[0].contains("theme: \"sepia\" is not allowed"),
            "{problems:?}"
        );
    }

    #[test]
    fn any_text_parses_without_panicking() {
        for text in ["é = ", "\u{202e}x = [", "a = \"é", "[[é]]\nspeed = 2", "\0"] {
            let (_, problems) = Settings::parse(text);
            for p in problems {
                assert_eq!(sanitize::line(&p), p);
            }
        }
        let (_, problems) = Settings::parse("# ok\n\nspeed = = 2\n");
        assert!(problems[0].contains("(line 3)"), "{problems:?}");
    }

    #[test]
    fn an_infinite_speed_is_clamped_to_8x_not_made_a_quarter() {
        let (s, problems) = Settings::parse("speed = inf\n");
        assert_eq!(s.speed, MAX_SPEED);
        assert!(problems[0].contains("out of range"), "{problems:?}");
        assert_eq!(Settings::parse("speed = -inf").0.speed, MIN_SPEED);
        assert_eq!(Settings::parse("speed = 1e300").0.speed, MAX_SPEED);
        assert_eq!(Settings::parse("speed = nan").0.speed, 1.0);
        let mut p = crate::player::playback::Playback::new(
            crate::scenario::load_bytes(
                crate::scenario::builtin::BUILTIN[0].name,
                crate::scenario::builtin::BUILTIN[0].text.as_bytes(),
            )
            .unwrap(),
        );
        p.set_speed(Settings::parse("speed = inf").0.speed);
        assert_eq!(p.speed(), MAX_SPEED);
    }

    #[test]
    fn a_change_keeps_the_users_comments_order_and_unknown_keys() {
        let mine =
            "# my settings\nspeed = 2.0 # fast\n\n# later\nfuture_key = \"x\"\ntheme = \"light\"\n";
        let s = Settings {
            speed: 4.0,
            ..Settings::parse(mine).0
        };
        let merged = s.merge_into(mine).unwrap();
        assert!(merged.starts_with("# my settings\nspeed = 4.0 # fast\n\n# later\nfuture_key = \"x\"\ntheme = \"light\"\n"), "{merged}");
        assert!(merged.contains("presenter = false") && merged.contains("projector = false"));
        assert_eq!(Settings::parse(&merged).0, s);
        assert_eq!(s.merge_into("speed = = 2"), None);
    }
}
