//! Writes never lose data: a failed write keeps the old file and leaves nothing behind,
//! links are not written through, and a failed write to standard output fails the run.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".cartsim-"))
        .collect()
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_standard_output_is_an_error() {
    for args in [
        &["export", "--markdown", "01-happy-path"][..],
        &["rules"],
        &["run", "scenarios/02-cancel-mid-checkout.json"],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_cartsim"))
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(full)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("cannot write to standard output"),
            "{stderr}"
        );
    }
}

/// A disk that fills up mid-write, made with a file size limit (and SIGXFSZ ignored, so
/// the write fails with an error instead of killing the process).
#[cfg(unix)]
#[test]
fn a_full_disk_keeps_the_previous_file_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("handout.md");
    std::fs::write(&out, "the good file").unwrap();
    let status = Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 1; exec \"$0\" export --markdown 01-happy-path -o \"$1\" --force")
        .arg(env!("CARGO_BIN_EXE_cartsim"))
        .arg(&out)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&status.stderr);
    assert_eq!(status.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("cannot write"), "{stderr}");
    assert!(stderr.contains("nothing was changed"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "the good file");
    assert!(
        leftovers(dir.path()).is_empty(),
        "{:?}",
        leftovers(dir.path())
    );
}

#[cfg(unix)]
#[test]
fn links_are_not_written_through_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "keep").unwrap();
    let link = dir.path().join("out.md");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    let dangling = dir.path().join("dangling.md");
    std::os::unix::fs::symlink(dir.path().join("elsewhere.md"), &dangling).unwrap();
    for target in [&link, &dangling] {
        let out = common::cartsim(&[
            "export",
            "--markdown",
            "01-happy-path",
            "-o",
            target.to_str().unwrap(),
            "--force",
        ]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("is a symbolic link"), "{stderr}");
    }
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
    assert!(!dir.path().join("elsewhere.md").exists());
    let out = common::cartsim(&[
        "export",
        "--markdown",
        "01-happy-path",
        "-o",
        link.to_str().unwrap(),
        "--force",
        "--follow-symlinks",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(std::fs::read_to_string(&victim).unwrap().starts_with('#'));
}

#[test]
fn the_output_name_is_shown_sanitized() {
    let dir = tempfile::tempdir().unwrap();
    let name = dir.path().join("x\u{1b}]0;pwned\u{7}\u{202E}.md");
    let out = common::cartsim(&[
        "export",
        "--markdown",
        "01-happy-path",
        "-o",
        name.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("wrote "), "{stderr}");
    assert!(
        !stderr.contains('\u{1b}') && !stderr.contains('\u{202E}'),
        "{stderr:?}"
    );
}

/// The UI's `w` with `y` used to overwrite the target of a link in the save folder.
#[cfg(unix)]
#[test]
fn the_ui_does_not_save_through_a_link() {
    use cartsim::tui::app::{App, Msg};
    use cartsim::tui::effect::drive;
    use cartsim::tui::popup::Popup;
    use cartsim::tui::theme::Theme;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let press = |a: &mut App, code| drive(a, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim.json");
    std::fs::write(&victim, "keep").unwrap();
    std::os::unix::fs::symlink(&victim, dir.path().join("mine.json")).unwrap();
    let mut a = App::new(vec![common::builtin("02-")], Theme::MONO);
    a.files.save_dir = dir.path().to_path_buf();
    press(&mut a, KeyCode::Right);
    press(&mut a, KeyCode::Char('x'));
    press(&mut a, KeyCode::Char('w'));
    let Some(Popup::Save(save)) = &mut a.popup else {
        panic!("no save dialog")
    };
    save.name.set("mine.json");
    press(&mut a, KeyCode::Enter);
    if matches!(&a.popup, Some(Popup::Save(s)) if s.confirm_overwrite) {
        press(&mut a, KeyCode::Char('y'));
    }
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
    let Some(Popup::Save(save)) = &a.popup else {
        panic!("expected the dialog to stay, got {:?}", a.popup.is_some())
    };
    let problem = save.problem.clone().unwrap_or_default();
    assert!(problem.starts_with("not saved"), "{problem}");
    assert!(leftovers(dir.path()).is_empty());
}
