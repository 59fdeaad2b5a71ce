//! The recovery file: kept only while a branch is unsaved, rewritten only when the branch
//! changed, and restored by `cartsim recover` as the file `w` would have saved.

mod common;

use cartsim::player::playback::Playback;
use cartsim::player::recovery::{self, Keeper};

/// A playback of a built-in scenario one action off script.
fn branched() -> Playback {
    let mut p = Playback::new(common::builtin("01-"));
    p.goto(1);
    let cart = p.world().carts().nth(0).unwrap().id.to_string();
    p.act(cartsim::engine::Action::Cancel { cart, actor: None });
    p
}

#[test]
fn the_file_is_written_when_the_branch_changes_and_removed_when_it_is_gone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("recovery").join("branch-1-2.json");
    let mut keeper: Keeper<u32> = Keeper::new(path.clone());
    assert!(!keeper.keep(None, || unreachable!()).unwrap());
    assert!(!path.exists());
    assert!(keeper.keep(Some(1), || "one".into()).unwrap());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "one");
    // The same branch is not written again.
    assert!(!keeper.keep(Some(1), || unreachable!()).unwrap());
    assert!(keeper.keep(Some(2), || "two".into()).unwrap());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "two");
    assert!(keeper.keep(None, String::new).unwrap());
    assert!(!path.exists());
    assert!(!keeper.holds_a_branch());
}

#[test]
fn cartsim_recover_lists_restores_and_discards() {
    let state = tempfile::tempdir().unwrap();
    let dir = state.path().join("recovery");
    std::fs::create_dir_all(&dir).unwrap();
    let p = branched();
    // Two files left by a process that no longer runs (pid 0 is never a UI).
    for name in ["branch-1-0.json", "branch-2-0.json"] {
        let text =
            recovery::snapshot(&p).replace(&format!("\"pid\":{}", std::process::id()), "\"pid\":0");
        std::fs::write(dir.join(name), text).unwrap();
    }
    let cartsim = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_cartsim"))
            .args(args)
            .env("CARTSIM_STATE", state.path())
            .current_dir(state.path())
            .output()
            .unwrap()
    };
    let out = cartsim(&["recover"]);
    let listed = String::from_utf8_lossy(&out.stdout);
    let title = &p.scenario().title;
    assert!(
        listed.contains(&format!("\"{title}\"")) && listed.contains("(1 action off script)"),
        "{listed}"
    );
    assert!(listed.contains("  2  "), "{listed}");
    let out = cartsim(&["recover", "1", "-o", "mine.json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let restored = cartsim::scenario::load_file(&state.path().join("mine.json")).unwrap();
    assert_eq!(restored.title, format!("{title} (recovered)"));
    assert_eq!(restored.steps.len(), 2);
    // It replays with every expectation holding.
    for report in cartsim::player::play_headless(&restored) {
        assert!(report.checks.iter().all(|c| c.passed), "{report:?}");
    }
    let out = cartsim(&["recover", "1", "--discard"]);
    assert!(out.status.success());
    let out = cartsim(&["recover"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("No unsaved branch"));
    let out = cartsim(&["recover", "3"]);
    assert_eq!(out.status.code(), Some(2));
}
