//! The settings file (`config.toml`) belongs to the user: what is wrong with it is
//! reported and the rest applies, a FIFO or a device there cannot hang the start, and a
//! change rewrites only the keys the UI keeps, through a symbolic link, atomically.

mod common;

use cartsim::tui::app::{App, Msg};
use cartsim::tui::effect::drive;
use cartsim::tui::settings::{self, Settings};
use cartsim::tui::theme::{Palette, Theme};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The UI on a built-in scenario, keeping its settings in `path`, as the run loop starts it.
fn app_with(path: &std::path::Path) -> App {
    let mut app = App::new(vec![common::builtin("01-")], Theme::MONO);
    app.prefs.path = Some(path.to_path_buf());
    let (settings, _) = settings::load(Some(path));
    app.apply_settings(settings);
    app
}

/// `T` cycles the palette and keeps the settings.
fn change_palette(app: &mut App) {
    drive(
        app,
        Msg::Key(KeyEvent::new(KeyCode::Char('T'), KeyModifiers::NONE)),
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_config_does_not_hang_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("config.toml");
    let name = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo(3) with a valid C string.
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
    // Nobody writes to the FIFO: reading it would block forever.
    let (settings, problems) = settings::load(Some(&fifo));
    assert_eq!(settings, Settings::default());
    assert!(
        problems[0].contains("is not a regular file"),
        "{problems:?}"
    );
    // A change is not written into it either.
    let mut app = app_with(&fifo);
    change_palette(&mut app);
    assert!(
        app.status
            .as_deref()
            .unwrap_or("")
            .contains("settings not kept"),
        "{:?}",
        app.status
    );
}

#[cfg(target_os = "linux")]
#[test]
fn dev_zero_as_config_does_not_grow_memory() {
    let (settings, problems) = settings::load(Some(std::path::Path::new("/dev/zero")));
    assert_eq!(settings, Settings::default());
    assert!(
        problems[0].contains("is not a regular file"),
        "{problems:?}"
    );
    // A regular file that is too large is refused on what is read.
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("config.toml");
    std::fs::write(&big, "#".repeat(settings::MAX_BYTES as usize + 1)).unwrap();
    let (_, problems) = settings::load(Some(&big));
    assert!(problems[0].contains("larger than"), "{problems:?}");
}

#[test]
fn one_unknown_key_no_longer_resets_every_setting_or_loses_the_users_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    let mine =
        "# Trainer laptop\nspeed = 2.0  # a bit faster\nfuture_option = true\npresenter = true\n";
    std::fs::write(&path, mine).unwrap();
    let (settings, problems) = settings::load(Some(&path));
    assert!(settings.presenter);
    assert_eq!(settings.speed, 2.0);
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].contains("unknown key future_option"),
        "{problems:?}"
    );
    let mut app = app_with(&path);
    assert!(app.player.playback.as_ref().unwrap().presenter);
    change_palette(&mut app);
    let after = std::fs::read_to_string(&path).unwrap();
    assert!(
        after.starts_with("# Trainer laptop\nspeed = 2.0  # a bit faster\nfuture_option = true\npresenter = true\n"),
        "{after}"
    );
    assert_eq!(settings::load(Some(&path)).0.theme, Palette::HighContrast);
}

#[cfg(unix)]
#[test]
fn a_symlinked_config_is_updated_through_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let dotfiles = dir.path().join("dotfiles");
    std::fs::create_dir(&dotfiles).unwrap();
    let target = dotfiles.join("cartsim.toml");
    std::fs::write(&target, "theme = \"default\" # managed by my dotfiles\n").unwrap();
    let link = dir.path().join("config.toml");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let mut app = app_with(&link);
    change_palette(&mut app);
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let text = std::fs::read_to_string(&target).unwrap();
    assert!(
        text.starts_with("theme = \"high-contrast\" # managed by my dotfiles\n"),
        "{text}"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&dotfiles)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().starts_with(".cartsim-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_config_that_is_not_toml_is_reported_and_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, "speed = = 2\n").unwrap();
    let (settings, problems) = settings::load(Some(&path));
    assert_eq!(settings, Settings::default());
    assert!(problems[0].contains("not TOML (line 1)"), "{problems:?}");
    let mut app = app_with(&path);
    change_palette(&mut app);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "speed = = 2\n");
    assert!(
        app.status
            .as_deref()
            .unwrap_or("")
            .contains("settings not kept"),
        "{:?}",
        app.status
    );
}

#[test]
fn help_lists_the_settings_file_and_its_problems() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, "speed = inf\nthme = \"light\"\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cartsim"))
        .arg("--help")
        .env("CARTSIM_CONFIG", &path)
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("FILES:"), "{help}");
    assert!(help.contains(path.to_str().unwrap()), "{help}");
    assert!(
        help.contains("speed: inf is out of range; 8 is used"),
        "{help}"
    );
    assert!(help.contains("unknown key thme"), "{help}");
}
