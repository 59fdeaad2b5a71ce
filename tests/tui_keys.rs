//! Key handling on the UI state alone: no terminal.

mod common;

use common::builtin;

use cartsim::engine::CartStatus;
use cartsim::scenario::{builtin::BUILTIN, load_bytes};
use cartsim::tui::app::{App, Focus, Msg, Screen};
use cartsim::tui::effect::drive;
use cartsim::tui::keys;
use cartsim::tui::popup::Popup;
use cartsim::tui::theme::Theme;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::time::Duration;

fn app(prefix: &str) -> App {
    App::new(vec![builtin(prefix)], Theme::MONO)
}

/// A key press, with the effects it asks for (writing a file) done as the run loop does.
fn press(app: &mut App, code: KeyCode) {
    drive(app, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn chars(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

fn cart_status(app: &App) -> CartStatus {
    app.world().unwrap().cart("cart-1").unwrap().status
}

#[test]
fn one_scenario_opens_the_player_several_open_the_picker() {
    assert_eq!(app("01-").screen, Screen::Player);
    let mut a = App::new(vec![builtin("01-"), builtin("02-")], Theme::MONO);
    assert_eq!(a.screen, Screen::Picker);
    press(&mut a, KeyCode::Down);
    press(&mut a, KeyCode::Enter);
    assert_eq!(a.screen, Screen::Player);
    assert_eq!(
        a.player.playback.as_ref().unwrap().scenario().title,
        builtin("02-").title
    );
    press(&mut a, KeyCode::Char('b'));
    assert_eq!(a.screen, Screen::Picker);
}

#[test]
fn step_forward_and_back_return_the_exact_world() {
    let mut a = app("02-");
    let start = a.world().unwrap().clone();
    press(&mut a, KeyCode::Right);
    let after_one = a.world().unwrap().clone();
    chars(&mut a, "ll");
    assert_eq!(cart_status(&a), CartStatus::Active, "step 3 cancels");
    press(&mut a, KeyCode::Left);
    press(&mut a, KeyCode::Char('h'));
    assert_eq!(a.world().unwrap(), &after_one);
    assert!(a.player.transition.is_none(), "stepping back is instant");
    press(&mut a, KeyCode::Home);
    assert_eq!(a.world().unwrap(), &start);
}

#[test]
fn space_plays_on_the_clock_and_pauses() {
    let mut a = app("02-");
    a.now = Duration::from_secs(1);
    press(&mut a, KeyCode::Char(' '));
    let p = a.player.playback.as_ref().unwrap();
    assert!(p.playing);
    assert_eq!(p.timeline().cursor(), 1, "the first step plays at once");
    assert!(a.wake_in().is_some(), "a timer runs while playing");
    a.now += Duration::from_secs(10);
    a.update(Msg::Frame);
    assert_eq!(a.player.playback.as_ref().unwrap().timeline().cursor(), 2);
    press(&mut a, KeyCode::Char(' '));
    assert!(!a.player.playback.as_ref().unwrap().playing);
    a.now += Duration::from_secs(10);
    assert_eq!(a.wake_in(), None, "paused and still: the loop sleeps");
}

#[test]
fn speed_keys_are_bounded() {
    let mut a = app("01-");
    chars(&mut a, "++++++++++");
    assert_eq!(a.player.playback.as_ref().unwrap().speed(), 8.0);
    chars(&mut a, "----------");
    assert_eq!(a.player.playback.as_ref().unwrap().speed(), 0.25);
}

#[test]
fn cancel_on_a_closed_cart_shows_invalid_operation_403() {
    let mut a = app("04-");
    // Play to just before the scripted cancel.
    for _ in 0..4 {
        press(&mut a, KeyCode::Right);
    }
    assert_eq!(cart_status(&a), CartStatus::Closed);
    press(&mut a, KeyCode::Char('x'));
    let Some(Popup::Refusal(view)) = &a.popup else {
        panic!("expected the error popup, got {:?}", a.popup);
    };
    assert_eq!(view.error.code(), "INVALID_OPERATION");
    assert_eq!(view.error.http(), Some(403));
    assert!(a.player.playback.as_ref().unwrap().off_script());
    assert_eq!(
        cart_status(&a),
        CartStatus::Closed,
        "a refusal changes nothing"
    );
    press(&mut a, KeyCode::Esc);
    assert!(a.popup.is_none());
}

#[test]
fn acting_branches_and_r_returns_to_the_script() {
    let mut a = app("02-");
    press(&mut a, KeyCode::Right);
    assert_eq!(cart_status(&a), CartStatus::Checkout);
    press(&mut a, KeyCode::Char('x'));
    assert_eq!(cart_status(&a), CartStatus::Active);
    assert!(a.player.playback.as_ref().unwrap().off_script());
    assert!(a.player.transition.is_some(), "the change animates");
    press(&mut a, KeyCode::Char('r'));
    assert!(matches!(a.popup, Some(Popup::Confirm(_))), "r asks first");
    press(&mut a, KeyCode::Char('d'));
    let p = a.player.playback.as_ref().unwrap();
    assert!(!p.off_script());
    assert_eq!(p.script_position(), 1);
    assert_eq!(cart_status(&a), CartStatus::Checkout);
}

#[test]
fn start_checkout_continue_fail_and_tick_act_on_the_selected_cart() {
    let mut a = app("01-");
    press(&mut a, KeyCode::Char('s'));
    assert_eq!(cart_status(&a), CartStatus::Checkout);
    press(&mut a, KeyCode::Char('c'));
    assert!(
        matches!(a.popup, Some(Popup::Refusal(_))),
        "continue while processing is refused"
    );
    press(&mut a, KeyCode::Esc);
    press(&mut a, KeyCode::Char('f'));
    press(&mut a, KeyCode::Char('t'));
    let w = a.world().unwrap();
    let s = w.active_session("cart-1").unwrap();
    assert_eq!(s.state, "Error");
    assert!(s.is_error);
}

#[test]
fn add_to_cart_picks_product_and_quantity() {
    let mut a = app("02-");
    press(&mut a, KeyCode::Char('a'));
    assert!(matches!(a.popup, Some(Popup::AddToCart(_))));
    chars(&mut a, "25");
    press(&mut a, KeyCode::Enter);
    assert!(a.popup.is_none());
    let w = a.world().unwrap();
    assert_eq!(
        cartsim::engine::World::total_product_count(w.cart("cart-1").unwrap()),
        125
    );
    // Zero is refused with the engine's own error.
    press(&mut a, KeyCode::Char('a'));
    chars(&mut a, "0");
    press(&mut a, KeyCode::Enter);
    let Some(Popup::Refusal(view)) = &a.popup else {
        panic!("{:?}", a.popup)
    };
    assert_eq!(view.error.code(), "INVALID_INPUT");
}

#[test]
fn the_menus_go_to_either_end_and_by_a_page() {
    let mut a = app("02-");
    press(&mut a, KeyCode::Char('e'));
    let len = cartsim::tui::popup::world_menu::items(a.world().unwrap(), "cart-1").len();
    assert!(len > 11, "a menu long enough to page through: {len}");
    let at = |a: &cartsim::tui::app::App| match &a.popup {
        Some(Popup::WorldMenu(m)) => m.index,
        other => panic!("{other:?}"),
    };
    press(&mut a, KeyCode::End);
    assert_eq!(at(&a), len - 1);
    press(&mut a, KeyCode::Down);
    assert_eq!(at(&a), len - 1, "the last stays last");
    press(&mut a, KeyCode::Char('g'));
    assert_eq!(at(&a), 0);
    press(&mut a, KeyCode::PageDown);
    assert_eq!(at(&a), 10);
    press(&mut a, KeyCode::PageUp);
    assert_eq!(at(&a), 0);
    press(&mut a, KeyCode::Char('G'));
    assert_eq!(at(&a), len - 1);
    press(&mut a, KeyCode::Home);
    assert_eq!(at(&a), 0);
    press(&mut a, KeyCode::Esc);
    // The timeline: moments 0 (before the first step) to the last step.
    press(&mut a, KeyCode::Char('J'));
    press(&mut a, KeyCode::End);
    let steps = a.player.playback.as_ref().map(|p| p.step_count()).unwrap();
    let Some(Popup::Timeline(t)) = &a.popup else {
        panic!("{:?}", a.popup)
    };
    assert_eq!(t.index, steps);
}

#[test]
fn the_world_menu_revokes_a_permission_so_cancel_is_refused() {
    let mut a = app("02-");
    press(&mut a, KeyCode::Right);
    press(&mut a, KeyCode::Char('e'));
    let items = cartsim::tui::popup::world_menu::items(a.world().unwrap(), "cart-1");
    let i = items
        .iter()
        .position(|(l, _)| l.starts_with("revoke cancel_checkout"))
        .unwrap();
    for _ in 0..i {
        press(&mut a, KeyCode::Down);
    }
    press(&mut a, KeyCode::Enter);
    assert!(a.popup.is_none());
    press(&mut a, KeyCode::Char('x'));
    let Some(Popup::Refusal(view)) = &a.popup else {
        panic!("{:?}", a.popup)
    };
    assert_eq!(view.error.code(), "BAD_REQUEST");
    assert!(
        view.error
            .kind
            .spec()
            .requirement
            .starts_with("requirement 1")
    );
}

#[test]
fn help_opens_and_esc_closes_q_quits() {
    let mut a = app("01-");
    press(&mut a, KeyCode::Char('?'));
    assert!(matches!(a.popup, Some(Popup::Help(_))));
    press(&mut a, KeyCode::Down);
    press(&mut a, KeyCode::Esc);
    assert!(a.popup.is_none());
    assert!(!a.quit);
    press(&mut a, KeyCode::Char('q'));
    assert!(a.quit);
}

#[test]
fn ctrl_c_quits_even_while_typing_a_file_name() {
    let mut a = app("01-");
    press(&mut a, KeyCode::Right);
    press(&mut a, KeyCode::Char('w'));
    assert!(matches!(a.popup, Some(Popup::Save(_))));
    chars(&mut a, "q?");
    assert!(!a.quit, "q and ? are text in the name field");
    a.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('c'),
        KeyModifiers::CONTROL,
    )));
    assert!(a.quit);
}

#[test]
fn tab_moves_focus_and_selection_follows_links() {
    let mut a = app("01-");
    assert_eq!(a.player.focus, Focus::Carts);
    press(&mut a, KeyCode::Tab);
    assert_eq!(a.player.focus, Focus::Sessions);
    press(&mut a, KeyCode::BackTab);
    press(&mut a, KeyCode::BackTab);
    assert_eq!(a.player.focus, Focus::Log);
}

#[test]
fn save_proposes_a_free_name_and_asks_before_overwriting() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let mut a = app("02-");
    a.files.save_dir = dir.to_path_buf();
    press(&mut a, KeyCode::Right);
    press(&mut a, KeyCode::Char('x'));
    press(&mut a, KeyCode::Char('w'));
    let Some(Popup::Save(save)) = &a.popup else {
        panic!()
    };
    assert_eq!(save.name.value(), "cartsim-branch-1.json");
    press(&mut a, KeyCode::Enter);
    let saved = dir.join("cartsim-branch-1.json");
    assert!(saved.exists());
    let Some(Popup::Text(message)) = &a.popup else {
        panic!("{:?}", a.popup)
    };
    assert_eq!(message.title, "Saved");
    let first = std::fs::read_to_string(&saved).unwrap();
    let s = cartsim::scenario::load_file(&saved).expect("the saved file loads");
    assert_eq!(s.steps.len(), 2);
    assert!(
        cartsim::player::play_headless(&s)
            .iter()
            .all(|r| r.passed())
    );
    // The next proposal is free again; typing the old name asks before overwriting.
    press(&mut a, KeyCode::Esc);
    press(&mut a, KeyCode::Char('t'));
    press(&mut a, KeyCode::Char('w'));
    let Some(Popup::Save(save)) = &a.popup else {
        panic!()
    };
    assert_eq!(save.name.value(), "cartsim-branch-2.json");
    for _ in 0..6 {
        press(&mut a, KeyCode::Backspace);
    }
    // `.json` is added when left out.
    chars(&mut a, "1");
    press(&mut a, KeyCode::Enter);
    assert!(matches!(&a.popup, Some(Popup::Save(s)) if s.confirm_overwrite));
    press(&mut a, KeyCode::Char('n'));
    assert_eq!(
        std::fs::read_to_string(&saved).unwrap(),
        first,
        "n keeps the file"
    );
    press(&mut a, KeyCode::Enter);
    press(&mut a, KeyCode::Char('y'));
    assert_ne!(
        std::fs::read_to_string(&saved).unwrap(),
        first,
        "y overwrites"
    );
}

#[test]
fn save_takes_a_path_and_quotes_the_replay_hint() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("my runs")).unwrap();
    let mut a = app("02-");
    a.files.save_dir = dir.path().to_path_buf();
    press(&mut a, KeyCode::Right);
    press(&mut a, KeyCode::Char('w'));
    let Some(Popup::Save(save)) = &mut a.popup else {
        panic!()
    };
    save.name.set("");
    chars(&mut a, "my runs/it's one");
    press(&mut a, KeyCode::Enter);
    let saved = dir.path().join("my runs").join("it's one.json");
    assert!(saved.exists(), "saved where the user said, with .json");
    let Some(Popup::Text(message)) = &a.popup else {
        panic!("{:?}", a.popup)
    };
    let text = message.plain().join("\n");
    assert!(text.contains("cartsim run '"), "{text}");
    assert!(text.contains("it'\\''s one.json'"), "{text}");
}

#[test]
fn save_with_nothing_played_says_there_is_nothing_to_save() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app("02-");
    a.files.save_dir = dir.path().to_path_buf();
    press(&mut a, KeyCode::Char('w'));
    assert!(a.popup.is_none(), "w is not offered with nothing played");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn quiz_keys_answer_and_score() {
    let text = r#"{"cartsim":1,"title":"q","world":{
      "stores":[{"id":"w"}],"accounts":[{"id":"a","stores":["w"]}],
      "buyers":[{"id":"b","accounts":["a"]}],"products":[{"sku":"S","price":1}],
      "carts":[{"id":"c","store":"w","buyer":"b"}]},
      "steps":[{"do":"start_checkout","cart":"c",
        "quiz":{"question":"What does start checkout create?","choices":["an error","a CartCheckoutSession"],"answer":2,
                "explanation":"Checkout Session creates one."}}]}"#;
    let mut a = App::new(
        vec![load_bytes("q.json", text.as_bytes()).unwrap()],
        Theme::MONO,
    );
    press(&mut a, KeyCode::Right);
    assert_eq!(a.context(), keys::Context::Quiz);
    assert_eq!(a.player.playback.as_ref().unwrap().timeline().cursor(), 0);
    press(&mut a, KeyCode::Char('2'));
    assert_eq!(a.player.playback.as_ref().unwrap().score(), (1, 1));
    press(&mut a, KeyCode::Enter);
    assert_eq!(a.player.playback.as_ref().unwrap().timeline().cursor(), 1);
    assert!(a.status.as_deref().unwrap().contains("score 1/1"));
}

#[test]
fn key_releases_are_not_presses() {
    // The run loop filters with as_key_press_event; make sure releases really differ.
    let mut release = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
    release.kind = crossterm::event::KeyEventKind::Release;
    assert!(
        crossterm::event::Event::Key(release)
            .as_key_press_event()
            .is_none()
    );
}

#[test]
fn help_lists_every_binding_from_the_key_table() {
    let lines = keys::help_lines();
    for b in keys::BINDINGS {
        assert!(
            lines
                .iter()
                .any(|(_, label, help)| *label == keys::key_names(b.keys)
                    && *help == keys::help_of(b)),
            "{}",
            b.label
        );
    }
}

#[test]
fn every_key_is_safe_anywhere() {
    let all_keys: Vec<KeyCode> =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 +-=_[]?"
            .chars()
            .map(KeyCode::Char)
            .chain([
                KeyCode::Enter,
                KeyCode::Esc,
                KeyCode::Tab,
                KeyCode::BackTab,
                KeyCode::Up,
                KeyCode::Down,
                KeyCode::Left,
                KeyCode::Right,
                KeyCode::Home,
                KeyCode::End,
                KeyCode::PageUp,
                KeyCode::PageDown,
                KeyCode::Backspace,
                KeyCode::F(1),
            ])
            .filter(|k| *k != KeyCode::Char('q') && *k != KeyCode::Char('w'))
            .collect();
    let mut a = App::new(
        BUILTIN
            .iter()
            .filter_map(|b| load_bytes(b.name, b.text.as_bytes()).ok())
            .collect(),
        Theme::MONO,
    );
    // The walk may save a branch (s in the branch-safety prompt): into a folder of its own.
    let dir = tempfile::tempdir().unwrap();
    a.files.save_dir = dir.path().to_path_buf();
    let mut backend = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    // A fixed pseudo-random walk, so a failure reproduces.
    let mut seed: u64 = 0x5eed;
    for i in 0..3000 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let key = all_keys[(seed >> 33) as usize % all_keys.len()];
        a.now += Duration::from_millis(137);
        press(&mut a, key);
        a.update(Msg::Frame);
        if i % 25 == 0 {
            backend.draw(|f| cartsim::tui::view::draw(f, &a)).unwrap();
        }
        assert!(!a.quit);
    }
}

#[test]
fn watch_mode_reloads_at_the_same_step_and_shows_load_errors_inside() {
    let s = builtin("01-");
    let mut a = App::watch("01.json".into(), Ok(s.clone()), Theme::MONO);
    assert_eq!(a.screen, Screen::Player);
    chars(&mut a, "lll");
    let mut changed = s.clone();
    changed.title = "Edited title".into();
    a.update(Msg::Reloaded(Box::new(Ok(changed))));
    let p = a.player.playback.as_ref().unwrap();
    assert_eq!(p.scenario().title, "Edited title");
    assert_eq!(p.script_position(), 3);
    let bad = load_bytes("01.json", b"{\"cartsim\": 1, \"title\": \"x\x1b[2J\"").unwrap_err();
    a.update(Msg::Reloaded(Box::new(Err(bad))));
    let e = a.files.watch_error.clone().unwrap();
    assert!(e.contains("01.json"), "{e}");
    assert!(!e.chars().any(|c| c.is_control()), "{e:?}");
    assert_eq!(
        a.player.playback.as_ref().unwrap().script_position(),
        3,
        "the last good version stays"
    );
    // A first load that fails opens the UI all the same, waiting for a good version.
    let bad = load_bytes("x.json", b"nope").unwrap_err();
    let a = App::watch("x.json".into(), Err(bad), Theme::MONO);
    assert!(a.player.playback.is_none());
    assert!(a.files.watch_error.is_some());
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| cartsim::tui::view::draw(f, &a)).unwrap();
    assert!(terminal.backend().to_string().contains("x.json"));
}

/// Scenario 02 with one step played and a branch of one cancel.
fn branched() -> App {
    let mut a = app("02-");
    press(&mut a, KeyCode::Right);
    press(&mut a, KeyCode::Char('x'));
    assert!(a.player.playback.as_ref().unwrap().off_script());
    a
}

fn asks(a: &App) -> bool {
    matches!(a.popup, Some(Popup::Confirm(_)))
}

#[test]
fn every_key_that_would_discard_a_branch_asks_first_and_c_keeps_it() {
    for key in [
        KeyCode::Left,
        KeyCode::Char('h'),
        KeyCode::Home,
        KeyCode::Char('g'),
        KeyCode::Char('['),
        KeyCode::Char(']'),
        KeyCode::Char('r'),
        KeyCode::Char('q'),
    ] {
        let mut a = branched();
        let before = a.world().unwrap().clone();
        press(&mut a, key);
        assert!(asks(&a), "{key:?} asks first");
        assert_eq!(a.context(), keys::Context::Confirm);
        press(&mut a, KeyCode::Char('c'));
        assert!(a.popup.is_none());
        assert!(!a.quit);
        let p = a.player.playback.as_ref().unwrap();
        assert!(p.off_script(), "{key:?}: c keeps the branch");
        assert_eq!(a.world().unwrap(), &before, "{key:?}: nothing moved");
        // Esc cancels as well.
        press(&mut a, key);
        press(&mut a, KeyCode::Esc);
        assert!(a.player.playback.as_ref().unwrap().off_script());
    }
}

#[test]
fn b_asks_before_leaving_a_branch_for_the_picker() {
    let mut a = App::new(vec![builtin("01-"), builtin("02-")], Theme::MONO);
    press(&mut a, KeyCode::Enter);
    press(&mut a, KeyCode::Char('t'));
    press(&mut a, KeyCode::Char('b'));
    assert!(asks(&a));
    press(&mut a, KeyCode::Char('d'));
    assert_eq!(a.screen, Screen::Picker);
}

#[test]
fn d_discards_the_branch_and_does_what_was_asked() {
    let mut a = branched();
    press(&mut a, KeyCode::Left);
    press(&mut a, KeyCode::Char('d'));
    let p = a.player.playback.as_ref().unwrap();
    assert!(!p.off_script());
    assert_eq!(p.script_position(), 1);
    assert_eq!(p.branch_recorded(), None, "the branch is gone for good");
    assert_eq!(cart_status(&a), CartStatus::Checkout);
    // Nothing is asked any more.
    press(&mut a, KeyCode::Left);
    assert!(a.popup.is_none());
    assert_eq!(a.player.playback.as_ref().unwrap().script_position(), 0);
}

#[test]
fn q_with_an_unsaved_branch_offers_to_save_then_quits() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = branched();
    a.files.save_dir = dir.path().to_path_buf();
    press(&mut a, KeyCode::Char('q'));
    assert!(asks(&a));
    assert!(!a.quit);
    // q is not an answer: a second q does not quit past the question.
    press(&mut a, KeyCode::Char('q'));
    assert!(!a.quit);
    press(&mut a, KeyCode::Char('s'));
    assert!(matches!(a.popup, Some(Popup::Save(_))));
    press(&mut a, KeyCode::Enter);
    assert!(dir.path().join("cartsim-branch-1.json").exists());
    assert!(a.quit, "saved, then quit as asked");
}

#[test]
fn a_saved_branch_is_not_asked_about_until_it_changes() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = branched();
    a.files.save_dir = dir.path().to_path_buf();
    press(&mut a, KeyCode::Char('w'));
    press(&mut a, KeyCode::Enter);
    press(&mut a, KeyCode::Esc);
    press(&mut a, KeyCode::Home);
    assert!(!asks(&a), "saved: Home goes at once");
    assert_eq!(a.player.playback.as_ref().unwrap().script_position(), 0);
    let mut a = branched();
    a.files.save_dir = dir.path().to_path_buf();
    press(&mut a, KeyCode::Char('w'));
    press(&mut a, KeyCode::Enter);
    press(&mut a, KeyCode::Esc);
    press(&mut a, KeyCode::Char('t'));
    press(&mut a, KeyCode::Home);
    assert!(asks(&a), "changed since it was saved");
}

#[test]
fn acting_in_the_middle_of_a_branch_asks_before_replacing_its_end() {
    let mut a = branched();
    press(&mut a, KeyCode::Char('t'));
    press(&mut a, KeyCode::Left);
    assert!(
        a.popup.is_none(),
        "stepping back inside the branch loses nothing"
    );
    press(&mut a, KeyCode::Char('t'));
    assert!(asks(&a));
    press(&mut a, KeyCode::Char('d'));
    let p = a.player.playback.as_ref().unwrap();
    assert_eq!(p.branch_len(), 2);
    assert_eq!(p.branch_recorded().unwrap().1, 2);
}

#[test]
fn undo_in_the_refusal_popup_steps_back_over_the_refused_action() {
    let mut a = app("04-");
    for _ in 0..4 {
        press(&mut a, KeyCode::Right);
    }
    let before = a.player.playback.as_ref().unwrap().timeline().cursor();
    press(&mut a, KeyCode::Char('x'));
    assert!(matches!(a.popup, Some(Popup::Refusal(_))));
    press(&mut a, KeyCode::Left);
    assert!(a.popup.is_none());
    let p = a.player.playback.as_ref().unwrap();
    assert_eq!(p.timeline().cursor(), before);
    assert!(!p.off_script(), "the refused action is undone");
    assert_eq!(p.branch_recorded(), None);
}

#[test]
fn help_pages_and_q_closes_it() {
    let mut a = app("01-");
    press(&mut a, KeyCode::Char('?'));
    // Draw once so the help knows its page.
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| cartsim::tui::view::draw(f, &a)).unwrap();
    press(&mut a, KeyCode::PageDown);
    let Some(Popup::Help(help)) = &a.popup else {
        panic!()
    };
    assert!(help.scroll > 5, "a page, not a line: {}", help.scroll);
    press(&mut a, KeyCode::Char('q'));
    assert!(a.popup.is_none());
    assert!(!a.quit, "q closes the help, it does not quit");
}

#[test]
fn watch_mode_keeps_a_branch_that_still_applies_and_says_when_it_is_dropped() {
    let s = builtin("02-");
    let mut a = App::watch("02.json".into(), Ok(s.clone()), Theme::MONO);
    press(&mut a, KeyCode::Right);
    press(&mut a, KeyCode::Char('x'));
    let mut retitled = s.clone();
    retitled.title = "Edited".into();
    drive(&mut a, Msg::Reloaded(Box::new(Ok(retitled))));
    let p = a.player.playback.as_ref().unwrap();
    assert!(p.off_script(), "the branch still applies");
    assert_eq!(cart_status(&a), CartStatus::Active);
    assert!(a.status.as_deref().unwrap().contains("kept"));
    // A file whose first step no longer starts a checkout: the cancel now is refused.
    let mut changed = s.clone();
    changed.steps[0].action = cartsim::engine::Action::Wait { ticks: 1 };
    drive(&mut a, Msg::Reloaded(Box::new(Ok(changed))));
    let p = a.player.playback.as_ref().unwrap();
    assert!(!p.off_script());
    assert!(a.status.as_deref().unwrap().contains("dropped"));
}

#[test]
fn the_header_chapter_is_the_one_played_and_the_next_is_named_as_next() {
    let mut a = app("02-");
    chars(&mut a, "ll");
    let p = a.player.playback.as_ref().unwrap();
    // Step 3 carries the marker "Cancel": not played yet.
    assert_ne!(p.chapter().map(|c| c.1), Some("Cancel"));
    assert_eq!(p.chapter_ahead().map(|c| c.1), Some("Cancel"));
    press(&mut a, KeyCode::Right);
    let p = a.player.playback.as_ref().unwrap();
    assert_eq!(p.chapter().map(|c| c.1), Some("Cancel"));
}

#[test]
fn a_too_small_terminal_pauses_playback() {
    let mut a = app("02-");
    a.now = Duration::from_secs(1);
    press(&mut a, KeyCode::Char(' '));
    assert!(a.player.playback.as_ref().unwrap().playing);
    drive(&mut a, Msg::TooSmall(true));
    assert!(!a.player.playback.as_ref().unwrap().playing);
    let cursor = a.player.playback.as_ref().unwrap().timeline().cursor();
    a.now += Duration::from_secs(30);
    drive(&mut a, Msg::Frame);
    assert_eq!(
        a.player.playback.as_ref().unwrap().timeline().cursor(),
        cursor
    );
}

#[test]
fn the_world_and_the_narration_open_in_full() {
    let mut a = app("02-");
    press(&mut a, KeyCode::Char('i'));
    let Some(Popup::Text(world)) = &a.popup else {
        panic!()
    };
    let text = world.plain().join("\n");
    assert!(text.contains("effective account"), "{text}");
    assert!(text.contains("template"), "{text}");
    press(&mut a, KeyCode::Esc);
    chars(&mut a, "lll");
    press(&mut a, KeyCode::Char('n'));
    let Some(Popup::Text(n)) = &a.popup else {
        panic!()
    };
    let note = a.player.playback.as_ref().unwrap().scenario().steps[2]
        .note()
        .unwrap()
        .to_string();
    assert!(n.plain().join(" ").contains(&note));
}

#[test]
fn the_picker_filters_pages_and_jumps_to_its_ends() {
    let all: Vec<_> = BUILTIN
        .iter()
        .filter_map(|b| load_bytes(b.name, b.text.as_bytes()).ok())
        .collect();
    let count = all.len();
    let mut a = App::new(all, Theme::MONO);
    press(&mut a, KeyCode::PageDown);
    assert_eq!(a.picker.selected, 10.min(count - 1));
    press(&mut a, KeyCode::End);
    assert_eq!(a.picker.selected, count - 1);
    press(&mut a, KeyCode::Home);
    assert_eq!(a.picker.selected, 0);
    press(&mut a, KeyCode::Char('/'));
    assert_eq!(a.context(), keys::Context::Filter);
    chars(&mut a, "closed q");
    assert_eq!(
        a.picker.filter.value(),
        "closed q",
        "q is text while filtering"
    );
    assert!(!a.quit);
    press(&mut a, KeyCode::Backspace);
    press(&mut a, KeyCode::Backspace);
    press(&mut a, KeyCode::Enter);
    let listed = a.picker.listed();
    assert!(!listed.is_empty() && listed.len() < count);
    assert!(listed.contains(&a.picker.selected));
    for i in &listed {
        assert!(
            a.picker.scenarios[*i]
                .title
                .to_lowercase()
                .contains("closed")
                || a.picker.scenarios[*i]
                    .file
                    .to_lowercase()
                    .contains("closed")
                || a.picker.scenarios[*i]
                    .tags
                    .iter()
                    .any(|t| t.to_lowercase().contains("closed"))
        );
    }
    press(&mut a, KeyCode::Enter);
    assert_eq!(a.screen, Screen::Player);
}

#[test]
fn settings_stay_across_scenarios_and_sessions() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cartsim").join("config.toml");
    let mut a = App::new(vec![builtin("01-"), builtin("02-")], Theme::MONO);
    a.prefs.path = Some(path.clone());
    press(&mut a, KeyCode::Enter);
    chars(&mut a, "p++T");
    let text = std::fs::read_to_string(&path).expect("the settings file is written");
    assert!(text.contains("presenter = true"), "{text}");
    assert!(text.contains("speed = 4"), "{text}");
    assert!(text.contains("theme = \"high-contrast\""), "{text}");
    // Another scenario opens with them.
    press(&mut a, KeyCode::Char('b'));
    press(&mut a, KeyCode::Down);
    press(&mut a, KeyCode::Enter);
    let p = a.player.playback.as_ref().unwrap();
    assert!(p.presenter);
    assert_eq!(p.speed(), 4.0);
    // A new session reads them back.
    let mut b = App::new(vec![builtin("01-")], Theme::MONO);
    b.apply_settings(cartsim::tui::settings::load(Some(&path)).0);
    assert_eq!(
        b.prefs.theme.palette,
        cartsim::tui::theme::Palette::HighContrast
    );
    assert_eq!(b.player.playback.as_ref().unwrap().speed(), 4.0);
}

#[test]
fn settle_lets_time_pass_until_nothing_runs() {
    let mut a = app("02-");
    press(&mut a, KeyCode::Right);
    press(&mut a, KeyCode::Char('S'));
    let w = a.world().unwrap();
    assert!(
        w.operations().iter().all(|o| !o.status.in_progress()),
        "nothing runs after settle"
    );
    assert!(a.player.playback.as_ref().unwrap().off_script());
}

#[test]
fn a_quiz_can_be_skipped_exercise_mode_switched_off_and_the_score_reset() {
    let text = r#"{"cartsim":1,"title":"q","world":{
      "stores":[{"id":"w"}],"accounts":[{"id":"a","stores":["w"]}],
      "buyers":[{"id":"b","accounts":["a"]}],"products":[{"sku":"S","price":1}],
      "carts":[{"id":"c","store":"w","buyer":"b"}]},
      "steps":[{"do":"start_checkout","cart":"c",
        "quiz":{"question":"What does start checkout create?","choices":["an error","a CartCheckoutSession"],"answer":2}}]}"#;
    let open = || {
        App::new(
            vec![load_bytes("q.json", text.as_bytes()).unwrap()],
            Theme::MONO,
        )
    };
    // Skip: the step plays, nothing is scored.
    let mut a = open();
    press(&mut a, KeyCode::Right);
    assert_eq!(a.context(), keys::Context::Quiz);
    press(&mut a, KeyCode::Char('s'));
    let p = a.player.playback.as_ref().unwrap();
    assert_eq!(p.timeline().cursor(), 1);
    assert_eq!(p.score(), (0, 0));
    // Exercise mode off: no question.
    let mut a = open();
    press(&mut a, KeyCode::Char('E'));
    press(&mut a, KeyCode::Right);
    assert_eq!(a.player.playback.as_ref().unwrap().timeline().cursor(), 1);
    // Reset: the next group is asked again.
    let mut a = open();
    press(&mut a, KeyCode::Right);
    press(&mut a, KeyCode::Char('2'));
    press(&mut a, KeyCode::Enter);
    assert_eq!(a.player.playback.as_ref().unwrap().score(), (1, 1));
    press(&mut a, KeyCode::Home);
    press(&mut a, KeyCode::Char('R'));
    assert_eq!(a.player.playback.as_ref().unwrap().score(), (0, 0));
    press(&mut a, KeyCode::Right);
    assert_eq!(a.context(), keys::Context::Quiz, "asked again");
}

#[test]
fn waits_in_a_branch_are_one_wait_and_play_lets_time_pass() {
    let mut a = branched();
    let tick = a.world().unwrap().tick;
    chars(&mut a, "ttt");
    let p = a.player.playback.as_ref().unwrap();
    assert_eq!(p.branch_len(), 2, "cancel, then one wait");
    assert_eq!(&*p.last().unwrap().description, "wait 3 ticks");
    assert_eq!(a.world().unwrap().tick, tick + 3);
    // The saved file holds the one wait too.
    let exported = p.export("x");
    let steps = exported["steps"].as_array().unwrap();
    assert_eq!(steps.last().unwrap()["ticks"], 3);
    // space at the end of a branch: virtual time passes, a tick per step, into the wait.
    a.now = Duration::from_secs(100);
    press(&mut a, KeyCode::Char(' '));
    a.now += Duration::from_secs(10);
    drive(&mut a, Msg::Frame);
    press(&mut a, KeyCode::Char(' '));
    let p = a.player.playback.as_ref().unwrap();
    assert!(
        a.world().unwrap().tick >= tick + 5,
        "{}",
        a.world().unwrap().tick
    );
    assert_eq!(p.branch_len(), 2, "still one wait");
}

#[test]
fn the_timeline_jumps_to_a_step_and_asks_before_leaving_a_branch() {
    let mut a = app("02-");
    press(&mut a, KeyCode::Char('J'));
    assert!(matches!(a.popup, Some(Popup::Timeline(_))));
    for _ in 0..3 {
        press(&mut a, KeyCode::Down);
    }
    press(&mut a, KeyCode::Enter);
    assert!(a.popup.is_none());
    assert_eq!(a.player.playback.as_ref().unwrap().script_position(), 3);
    assert_eq!(cart_status(&a), CartStatus::Active, "step 3 cancelled");
    let mut a = branched();
    press(&mut a, KeyCode::Char('J'));
    press(&mut a, KeyCode::Down);
    press(&mut a, KeyCode::Enter);
    assert!(asks(&a));
    press(&mut a, KeyCode::Char('d'));
    let p = a.player.playback.as_ref().unwrap();
    assert!(!p.off_script());
    assert_eq!(p.script_position(), 2);
}

/// The screen's text, drawn the way the run loop draws it.
fn screen_text(app: &App, width: u16, height: u16) -> String {
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| cartsim::tui::view::draw(f, app)).unwrap();
    let buffer = terminal.backend().buffer();
    (0..height)
        .map(|y| {
            (0..width)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn o_collapses_finished_operations_to_one_line_and_back() {
    let mut app = app("01-");
    press(&mut app, KeyCode::End);
    app.now += Duration::from_secs(5);
    app.update(Msg::Frame);
    let full = screen_text(&app, 200, 60);
    assert!(
        !full.contains("bop-1 Check Cart Inventory ✔ Complete"),
        "{full}"
    );
    assert!(full.contains("2/2 ticks"), "{full}");
    press(&mut app, KeyCode::Char('o'));
    assert!(app.player.collapse_finished);
    let collapsed = screen_text(&app, 200, 60);
    assert!(
        collapsed.contains("bop-1 Check Cart Inventory ✔ Complete"),
        "{collapsed}"
    );
    assert!(!collapsed.contains("2/2 ticks"), "{collapsed}");
    press(&mut app, KeyCode::Char('o'));
    assert!(!app.player.collapse_finished);
}

#[test]
fn q_closes_every_popup_and_quits_only_from_the_main_view() {
    let mut a = app("04-");
    // The world, the narration, the timeline, a refusal: q closes each, never quits.
    for key in ['i', 'n', 'J', 'e', 'a'] {
        press(&mut a, KeyCode::Char(key));
        assert!(a.popup.is_some(), "{key} opens a popup");
        press(&mut a, KeyCode::Char('q'));
        assert!(a.popup.is_none(), "q closes the popup of {key}");
        assert!(!a.quit, "q in the popup of {key} does not quit");
    }
    press(&mut a, KeyCode::End);
    press(&mut a, KeyCode::Char('x'));
    assert!(matches!(a.popup, Some(Popup::Refusal(_))), "{:?}", a.popup);
    press(&mut a, KeyCode::Char('q'));
    assert!(a.popup.is_none() && !a.quit, "q closes the refusal");
    // The keys bar of a popup offers no quit.
    press(&mut a, KeyCode::Char('i'));
    let bar = keys::bar(a.context(), |c| a.available(c));
    assert!(bar.iter().all(|b| b.command != keys::Command::Quit));
    press(&mut a, KeyCode::Esc);
    press(&mut a, KeyCode::Char('q'));
    assert!(a.popup.is_some(), "the branch is unsaved: q asks first");
    press(&mut a, KeyCode::Char('d'));
    assert!(a.quit, "from the main view q quits");
}

#[test]
fn q_closes_an_open_question_like_esc() {
    let (i, _) = BUILTIN
        .iter()
        .enumerate()
        .find(|(_, b)| {
            load_bytes(b.name, b.text.as_bytes())
                .unwrap()
                .steps
                .iter()
                .any(|s| s.quiz().is_some())
        })
        .unwrap();
    let s = load_bytes(BUILTIN[i].name, BUILTIN[i].text.as_bytes()).unwrap();
    let mut a = App::new(vec![s], Theme::MONO);
    press(&mut a, KeyCode::End);
    assert!(a.player.playback.as_ref().unwrap().quiz().is_some());
    press(&mut a, KeyCode::Char('q'));
    assert!(!a.quit);
    assert!(a.player.playback.as_ref().unwrap().quiz().is_none());
}

#[test]
fn the_quantity_field_edits_like_a_shell_line() {
    let mut a = app("02-");
    press(&mut a, KeyCode::Char('a'));
    chars(&mut a, "250");
    press(&mut a, KeyCode::Backspace);
    press(&mut a, KeyCode::Left);
    press(&mut a, KeyCode::Char('7'));
    let Some(Popup::AddToCart(add)) = &a.popup else {
        panic!()
    };
    assert_eq!(add.quantity.value(), "275");
    a.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('u'),
        KeyModifiers::CONTROL,
    )));
    chars(&mut a, "3");
    press(&mut a, KeyCode::Char('+'));
    let Some(Popup::AddToCart(add)) = &a.popup else {
        panic!()
    };
    assert_eq!(add.amount(), 4);
    press(&mut a, KeyCode::Enter);
    let w = a.world().unwrap();
    assert_eq!(
        cartsim::engine::World::total_product_count(w.cart("cart-1").unwrap()),
        104
    );
}

#[test]
fn the_save_name_and_the_filter_have_a_cursor_and_ctrl_u_ctrl_w() {
    let mut a = app("01-");
    press(&mut a, KeyCode::Right);
    press(&mut a, KeyCode::Char('w'));
    let ctrl = |a: &mut App, ch| {
        a.update(Msg::Key(KeyEvent::new(
            KeyCode::Char(ch),
            KeyModifiers::CONTROL,
        )));
    };
    ctrl(&mut a, 'u');
    chars(&mut a, "runs/first try");
    ctrl(&mut a, 'w');
    press(&mut a, KeyCode::Home);
    chars(&mut a, "my-");
    let Some(Popup::Save(save)) = &a.popup else {
        panic!()
    };
    assert_eq!(save.name.value(), "my-runs/first ");
    assert_eq!(save.name.cursor(), 3);
    press(&mut a, KeyCode::Esc);
    let mut a = App::new(vec![builtin("01-"), builtin("02-")], Theme::MONO);
    press(&mut a, KeyCode::Char('/'));
    chars(&mut a, "cancel");
    press(&mut a, KeyCode::Left);
    press(&mut a, KeyCode::Left);
    press(&mut a, KeyCode::Backspace);
    assert_eq!(a.picker.filter.value(), "canel");
    ctrl(&mut a, 'u');
    assert_eq!(a.picker.filter.value(), "");
}

#[test]
fn chapter_keys_say_where_they_landed() {
    let mut a = app("01-");
    press(&mut a, KeyCode::Char(']'));
    let status = a.status.clone().unwrap();
    assert!(status.starts_with("before chapter 2/3"), "{status}");
    press(&mut a, KeyCode::Char(']'));
    press(&mut a, KeyCode::Char(']'));
    let status = a.status.clone().unwrap();
    assert!(status.starts_with("no chapter after this one"), "{status}");
    press(&mut a, KeyCode::Char('['));
    assert!(a.status.is_some());
}

#[test]
fn the_picker_filters_on_badges_and_lists_broken_files() {
    let all: Vec<_> = BUILTIN
        .iter()
        .map(|b| load_bytes(b.name, b.text.as_bytes()))
        .collect();
    let mut a = App::with_broken(all, Theme::MONO);
    press(&mut a, KeyCode::Char('/'));
    chars(&mut a, "lwr");
    press(&mut a, KeyCode::Enter);
    let lwr: Vec<&str> = a
        .picker
        .listed()
        .iter()
        .map(|&i| a.picker.scenarios[i].file.as_str())
        .collect();
    assert!(lwr.contains(&"48-aura-vs-lwr.json") && lwr.contains(&"40-lwr-happy-path.json"));
    for &i in &a.picker.listed() {
        assert!(
            cartsim::tui::picker::badges(&a.picker.scenarios[i]).contains(&"LWR"),
            "{}",
            a.picker.scenarios[i].file
        );
    }
    press(&mut a, KeyCode::Char('/'));
    a.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('u'),
        KeyModifiers::CONTROL,
    )));
    chars(&mut a, "/quiz");
    press(&mut a, KeyCode::Enter);
    assert!(!a.picker.listed().is_empty());
    for &i in &a.picker.listed() {
        assert!(
            a.picker.scenarios[i]
                .steps
                .iter()
                .any(|s| s.quiz().is_some())
        );
    }
    // A broken file sits in its place in the folder's order, and Enter shows its error.
    let good = load_bytes("01-good.json", BUILTIN[0].text.as_bytes());
    let bad = load_bytes("02-bad.json", b"{\"cartsim\": 1, \"title\": 5}");
    let later = load_bytes("03-more.json", BUILTIN[1].text.as_bytes());
    assert!(bad.is_err());
    let mut a = App::with_broken(vec![good, bad, later], Theme::MONO);
    assert_eq!(a.screen, Screen::Picker);
    assert_eq!(a.picker.listed(), vec![0, 2, 1]);
    press(&mut a, KeyCode::Down);
    assert_eq!(a.picker.selected, 2);
    press(&mut a, KeyCode::Enter);
    let Some(Popup::Text(t)) = &a.popup else {
        panic!("{:?}", a.popup)
    };
    assert_eq!(t.title, "02-bad.json does not load");
    assert!(a.player.playback.is_none());
}

#[test]
fn a_key_picks_the_acting_buyer_and_the_saved_branch_says_as() {
    let mut a = app("29-");
    let owner = a.world().unwrap().cart("cart-1").unwrap().buyer;
    assert_eq!(a.player.actor_of("cart-1").as_deref(), Some(owner.as_str()));
    press(&mut a, KeyCode::Char('A'));
    let other = a.player.acting.clone().expect("another buyer acts");
    assert_ne!(other, owner);
    assert_eq!(a.player.actor_of("cart-1"), Some(other.clone()));
    let line = cartsim::tui::header::actor_line(&a, 200)
        .unwrap()
        .to_string();
    assert!(
        line.contains(&format!("as {other} (not the owner: {owner} owns cart-1)")),
        "{line}"
    );
    assert!(
        line.contains("effective account") && line.contains("member of"),
        "{line}"
    );
    let short = cartsim::tui::header::actor_line(&a, 80).unwrap();
    assert!(short.width() <= 80, "{short}");
    press(&mut a, KeyCode::Char('s'));
    let p = a.player.playback.as_ref().unwrap();
    let last = p.played().last().unwrap();
    assert_eq!(last.action.actor(), Some(other.as_str()));
    let saved = serde_json::to_string(&p.export("t")).unwrap();
    assert!(saved.contains(&format!("\"as\":\"{other}\"")), "{saved}");
    // The world edits follow the acting buyer.
    let items =
        cartsim::tui::popup::world_menu::items_for(a.world().unwrap(), "cart-1", Some(&other));
    assert!(items[0].0.contains(&format!("({other})")), "{:?}", items[0]);
    // Round the buyers back to the owner (a refusal popup, if any, closed first).
    press(&mut a, KeyCode::Esc);
    for _ in 0..a.world().unwrap().buyers().len() {
        if a.player.acting.is_none() {
            break;
        }
        press(&mut a, KeyCode::Char('A'));
    }
    assert_eq!(a.player.acting, None);
}

#[test]
fn slash_searches_the_log_and_l_finds_a_records_changes() {
    let mut a = app("02-");
    press(&mut a, KeyCode::End);
    // Draw once so the log knows its size.
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| cartsim::tui::view::draw(f, &a)).unwrap();
    press(&mut a, KeyCode::Char('/'));
    assert_eq!(a.context(), keys::Context::Search);
    chars(&mut a, "canceledx");
    press(&mut a, KeyCode::Backspace);
    press(&mut a, KeyCode::Enter);
    let search = a.player.search.clone().expect("hits");
    assert!(!search.hits.is_empty());
    let (entry, line) = search.hits[search.at];
    let text = cartsim::tui::log::entry_lines(&a.player, a.prefs.theme, entry)[line].to_string();
    assert!(text.to_lowercase().contains("canceled"), "{text}");
    assert_eq!(a.player.log_mark, Some((entry, line)));
    let status = a.status.clone().unwrap();
    assert!(
        status.starts_with(&format!(
            "{}/{} \"canceled\"",
            search.at + 1,
            search.hits.len()
        )),
        "{status}"
    );
    // The marked line is on screen.
    terminal.draw(|f| cartsim::tui::view::draw(f, &a)).unwrap();
    assert!(terminal.backend().to_string().contains('»'));
    let n = search.hits.len();
    press(&mut a, KeyCode::Char('>'));
    assert_eq!(a.player.search.as_ref().unwrap().at, (search.at + 1) % n);
    press(&mut a, KeyCode::Char('<'));
    press(&mut a, KeyCode::Char('<'));
    assert_eq!(
        a.player.search.as_ref().unwrap().at,
        (search.at + n - 1) % n
    );
    // Nothing found says so.
    press(&mut a, KeyCode::Char('/'));
    a.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('u'),
        KeyModifiers::CONTROL,
    )));
    chars(&mut a, "no such words");
    press(&mut a, KeyCode::Enter);
    assert!(a.player.search.is_none());
    assert_eq!(a.status.as_deref(), Some("no log line: \"no such words\""));
    // L: the changes of the selected session.
    press(&mut a, KeyCode::Tab);
    assert_eq!(a.player.selected_record().as_deref(), Some("ccs-1"));
    press(&mut a, KeyCode::Char('L'));
    let search = a.player.search.clone().expect("ccs-1 changed");
    for &(entry, line) in &search.hits {
        let text =
            cartsim::tui::log::entry_lines(&a.player, a.prefs.theme, entry)[line].to_string();
        assert!(
            text.contains("ccs-1.") || text.contains("ccs-1: new"),
            "{text}"
        );
    }
    assert!(search.hits.len() >= 3);
}

#[test]
fn an_lwr_cart_has_rest_keys_forms_and_no_aura_flow() {
    let mut a = app("40-");
    press(&mut a, KeyCode::Char('E'));
    let bar: Vec<String> = keys::bar(a.context(), |c| a.available(c))
        .iter()
        .map(|b| format!("{} {}", b.label, keys::short_on(b, a.player.lwr_cart())))
        .collect();
    for wanted in [
        "s PUT",
        "c GET",
        "u PATCH",
        "$ pay",
        "O place order",
        "d DELETE",
    ] {
        assert!(bar.iter().any(|b| b == wanted), "{wanted} in {bar:?}");
    }
    // Off script, every REST call: PUT, GET until 200, PATCH (a form), pay (a form),
    // place order, DELETE.
    press(&mut a, KeyCode::Char('s'));
    press(&mut a, KeyCode::Char('S'));
    press(&mut a, KeyCode::Char('c'));
    let last = |a: &App| {
        a.player
            .playback
            .as_ref()
            .unwrap()
            .played()
            .last()
            .unwrap()
            .clone()
    };
    assert_eq!(last(&a).outcome.http, Some(200), "{:?}", last(&a).outcome);
    press(&mut a, KeyCode::Char('u'));
    assert_eq!(a.context(), keys::Context::Form);
    chars(&mut a, "1 Main St");
    press(&mut a, KeyCode::Enter);
    let e = last(&a);
    assert!(
        matches!(&*e.action, cartsim::engine::Action::CheckoutUpdate { patch, .. }
            if patch.shipping_address.as_ref().and_then(|a| a.street.as_deref()) == Some("1 Main St")),
        "{:?}",
        e.action
    );
    assert_eq!(e.action.actor(), Some("bob"));
    assert!(e.outcome.request.as_deref().unwrap().starts_with("PATCH "));
    press(&mut a, KeyCode::Char('S'));
    press(&mut a, KeyCode::Char('$'));
    press(&mut a, KeyCode::Tab);
    press(&mut a, KeyCode::Enter);
    let e = last(&a);
    assert!(e.outcome.request.as_deref().unwrap().ends_with("/payments"));
    assert!(
        matches!(&*e.action, cartsim::engine::Action::Pay { outcome, .. } if outcome.as_str() == "declined")
    );
    if a.popup.is_some() {
        press(&mut a, KeyCode::Esc);
    }
    press(&mut a, KeyCode::Char('O'));
    assert!(
        last(&a)
            .outcome
            .request
            .as_deref()
            .unwrap()
            .ends_with("/orders")
    );
    if a.popup.is_some() {
        press(&mut a, KeyCode::Esc);
    }
    press(&mut a, KeyCode::Char('d'));
    assert!(
        last(&a)
            .outcome
            .request
            .as_deref()
            .unwrap()
            .starts_with("DELETE ")
    );
    if a.popup.is_some() {
        press(&mut a, KeyCode::Esc);
    }
    // The session pane shows the calls and no Aura flow strip; the world view no
    // Aura setting.
    let text = screen_text(&a, 120, 40);
    assert!(text.contains("calls"), "{text}");
    assert!(
        !text.contains("flow ✔") && !text.contains("flow ▶") && !text.contains("flow ○"),
        "{text}"
    );
    press(&mut a, KeyCode::Char('i'));
    let Some(Popup::Text(world)) = &a.popup else {
        panic!()
    };
    let world: String = world.lines.iter().map(|l| format!("{l}\n")).collect();
    assert!(!world.contains("on_cart_change"), "{world}");
    assert!(!world.contains("flow (default)"), "{world}");
    assert!(world.contains("Connect REST checkout API"), "{world}");
    press(&mut a, KeyCode::Esc);
    // The network view lists the script's calls and the branch's, with their status.
    press(&mut a, KeyCode::Char('N'));
    let Some(Popup::Text(net)) = &a.popup else {
        panic!("{:?}", a.popup)
    };
    let net: String = net.lines.iter().map(|l| format!("{l}\n")).collect();
    assert!(net.contains("The script: "), "{net}");
    assert!(
        net.contains("PUT /commerce/webstores/west/checkouts  202 Accepted"),
        "{net}"
    );
    assert!(net.contains("⎇ @"), "{net}");
    assert!(
        net.contains("PATCH /commerce/webstores/west/checkouts/"),
        "{net}"
    );
    assert!(
        net.contains("→{\"deliveryAddress\":"),
        "a PATCH's request body: {net}"
    );
    assert!(
        net.contains("←{\"checkoutId\":"),
        "a response body under its call: {net}"
    );
    press(&mut a, KeyCode::Esc);
    // From the log: Enter opens it too.
    while a.player.focus != Focus::Log {
        press(&mut a, KeyCode::Tab);
    }
    press(&mut a, KeyCode::Enter);
    assert!(matches!(&a.popup, Some(Popup::Text(t)) if t.title.starts_with("Network")));
}

#[test]
fn an_aura_cart_offers_no_rest_keys_and_captions_show_the_http_status() {
    let a = app("01-");
    for c in [
        keys::Command::Patch,
        keys::Command::Pay,
        keys::Command::PlaceOrder,
        keys::Command::DeleteCheckout,
    ] {
        assert!(!a.available(c), "{c:?}");
    }
    let mut a = app("40-");
    press(&mut a, KeyCode::Char('E'));
    press(&mut a, KeyCode::Right);
    let text = screen_text(&a, 120, 40);
    assert!(
        text.contains("step 1: checkout_start cart-1 as bob ⇄ 202 Accepted"),
        "{text}"
    );
}

#[test]
fn f_on_a_refusal_from_a_reading_flips_it_and_acts_again_and_left_undoes() {
    let mut a = app("10-");
    press(&mut a, KeyCode::Char('E'));
    press(&mut a, KeyCode::Right);
    let Some(Popup::Refusal(r)) = &a.popup else {
        panic!("{:?}", a.popup)
    };
    assert!(
        r.error
            .kind
            .reading()
            .unwrap()
            .starts_with("cancel_requirements")
    );
    let before = a.world().unwrap().clone();
    press(&mut a, KeyCode::Char('F'));
    assert!(a.popup.is_none(), "{:?}", a.popup);
    let p = a.player.playback.as_ref().unwrap();
    let played = p.played();
    let n = played.len();
    assert!(matches!(
        &*played[n - 2].action,
        cartsim::engine::Action::SetSetting { key, .. } if key == "cancel_requirements"
    ));
    assert!(
        played[n - 1].outcome.result.is_ok(),
        "the same cancel went through"
    );
    assert_eq!(played[n - 1].kind, "cancel");
    let status = a.status.clone().unwrap();
    assert!(
        status.contains("cancel_requirements is now lenient"),
        "{status}"
    );
    // ← steps back over the cancel, then over the switch (past the branch's start,
    // which asks first: d discards it): the store's reading as it was.
    press(&mut a, KeyCode::Left);
    assert_eq!(
        a.world()
            .unwrap()
            .store("west")
            .unwrap()
            .settings
            .cancel_requirements
            .as_str(),
        "lenient"
    );
    press(&mut a, KeyCode::Left);
    if matches!(a.popup, Some(Popup::Confirm(_))) {
        press(&mut a, KeyCode::Char('d'));
    }
    let w = a.world().unwrap();
    assert_eq!(
        w.store("west").unwrap().settings,
        before.store("west").unwrap().settings
    );
}

#[test]
fn the_world_menu_switches_any_store_setting_to_another_reading() {
    let mut a = app("02-");
    let items = cartsim::tui::popup::world_menu::items(a.world().unwrap(), "cart-1");
    let i = items
        .iter()
        .position(|(l, _)| l == "west: checkout_session → get_or_create")
        .expect("a reading to switch to");
    press(&mut a, KeyCode::Char('e'));
    for _ in 0..i {
        press(&mut a, KeyCode::Down);
    }
    press(&mut a, KeyCode::Enter);
    let w = a.world().unwrap();
    assert_eq!(
        w.store("west").unwrap().settings.checkout_session.as_str(),
        "get_or_create"
    );
    assert!(a.player.playback.as_ref().unwrap().off_script());
}

#[test]
fn selecting_a_cart_brings_its_session_and_operation_into_view() {
    let mut a = app("48-");
    press(&mut a, KeyCode::Char('E'));
    press(&mut a, KeyCode::Right);
    press(&mut a, KeyCode::Right);
    let session_cart = |a: &App| {
        let w = a.world().unwrap();
        w.sessions()
            .iter()
            .rev()
            .nth(a.player.session_sel)
            .unwrap()
            .cart
    };
    assert_eq!(a.world().unwrap().sessions().len(), 2);
    a.player.focus = Focus::Carts;
    press(&mut a, KeyCode::Up);
    let cart = a.selected_cart().unwrap();
    assert_eq!(session_cart(&a), cart);
    press(&mut a, KeyCode::Down);
    let other = a.selected_cart().unwrap();
    assert_ne!(other, cart);
    assert_eq!(session_cart(&a), other);
    let w = a.world().unwrap();
    let op = w.operations().iter().rev().nth(a.player.op_sel).unwrap();
    let owner = a.player.op_owner(&op.id).unwrap();
    assert_eq!(w.session(owner).unwrap().cart, other);
}

#[test]
fn a_watch_error_is_shown_whole_and_the_status_line_agrees() {
    let s = builtin("01-");
    let mut a = App::watch("01.json".into(), Ok(s.clone()), Theme::MONO);
    press(&mut a, KeyCode::Right);
    a.update(Msg::Reloaded(Box::new(Ok(s.clone()))));
    assert!(
        a.status
            .as_deref()
            .unwrap()
            .starts_with("reloaded the file")
    );
    // An error longer than a line: the unknown key's suggestion list ends the message.
    let bad = load_bytes(
        "a-rather-long-folder-name/and-a-long-scenario-file-name.json",
        br#"{"cartsim": 1, "title": "x", "world": {}, "steps": [{"do": "wait", "tiks": 1}]}"#,
    )
    .unwrap_err();
    let message = bad.to_string();
    assert!(
        message.len() > 100,
        "a message longer than a line: {message}"
    );
    a.update(Msg::Reloaded(Box::new(Err(bad))));
    assert!(
        a.status.as_deref().unwrap().contains("no longer loads"),
        "{:?}",
        a.status
    );
    let text = screen_text(&a, 80, 24);
    // Every word of the error is on screen, wrapped in the banner.
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for word in message.split_whitespace().filter(|w| w.len() < 30) {
        let word = word.trim_matches(|c: char| !c.is_alphanumeric());
        assert!(flat.contains(word), "{word} missing from:\n{text}");
    }
}
