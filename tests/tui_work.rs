//! Long work in the UI stays interruptible: End on a long scenario is done a slice at a
//! time (the run loop sends `Msg::Work`), shows its progress, stops on Esc or Ctrl-C
//! where it got to, and drops the keys pressed meanwhile instead of queueing them.

use cartsim::scenario::generate::{Spec, generate};
use cartsim::tui::app::{App, Msg};
use cartsim::tui::effect::drive;
use cartsim::tui::theme::Theme;
use cartsim::tui::work::Work;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

const STEPS: usize = 12_000;

fn long_app() -> App {
    let text = generate(Spec::sized(STEPS, 60));
    let scenario = cartsim::scenario::load_bytes("long.json", text.as_bytes()).unwrap();
    App::new(vec![scenario], Theme::MONO)
}

fn key(app: &mut App, code: KeyCode, modifiers: KeyModifiers) {
    drive(app, Msg::Key(KeyEvent::new(code, modifiers)));
}

fn position(app: &App) -> usize {
    app.player.playback.as_ref().unwrap().script_position()
}

#[test]
fn end_on_a_long_scenario_is_work_in_slices_with_progress() {
    let mut app = long_app();
    key(&mut app, KeyCode::End, KeyModifiers::NONE);
    assert_eq!(app.work, Some(Work::End));
    assert_eq!(position(&app), 0, "nothing is played inside the key press");
    drive(&mut app, Msg::Work(1_000));
    assert_eq!(position(&app), 1_000);
    let status = app.status.clone().unwrap();
    assert!(
        status.contains(&format!("step 1000 of {STEPS}"))
            && status.contains("Esc or Ctrl-C stops here"),
        "{status}"
    );
    while app.work.is_some() {
        drive(&mut app, Msg::Work(5_000));
    }
    assert_eq!(position(&app), STEPS);
}

#[test]
fn ctrl_c_during_end_did_nothing_now_it_stops_where_it_got_to() {
    for (code, modifiers) in [
        (KeyCode::Char('c'), KeyModifiers::CONTROL),
        (KeyCode::Esc, KeyModifiers::NONE),
    ] {
        let mut app = long_app();
        key(&mut app, KeyCode::End, KeyModifiers::NONE);
        drive(&mut app, Msg::Work(700));
        key(&mut app, code, modifiers);
        assert_eq!(app.work, None);
        assert_eq!(position(&app), 700);
        assert!(
            app.status
                .as_deref()
                .unwrap()
                .contains("stopped playing to the end (End): at step 700")
        );
        assert!(!app.quit, "Ctrl-C stops the work, not the program");
        // Nothing goes on after the stop.
        drive(&mut app, Msg::Work(700));
        drive(&mut app, Msg::Frame);
        assert_eq!(position(&app), 700);
    }
}

#[test]
fn keys_queued_during_long_work_do_not_pile_up() {
    let mut app = long_app();
    key(&mut app, KeyCode::End, KeyModifiers::NONE);
    drive(&mut app, Msg::Work(100));
    // Impatient presses: each would start more work (Home, End, step back, play).
    for code in [
        KeyCode::Home,
        KeyCode::End,
        KeyCode::Left,
        KeyCode::Char(' '),
        KeyCode::Char('q'),
    ] {
        key(&mut app, code, KeyModifiers::NONE);
    }
    assert_eq!(position(&app), 100);
    assert_eq!(app.work, Some(Work::End));
    assert!(!app.quit);
    assert!(!app.player.playback.as_ref().unwrap().playing);
    key(&mut app, KeyCode::Esc, KeyModifiers::NONE);
    assert_eq!(position(&app), 100, "nothing queued runs after the stop");
    assert_eq!(app.work, None);
}

#[test]
fn short_work_is_done_at_once() {
    let mut app = App::new(
        vec![
            cartsim::scenario::load_bytes(
                cartsim::scenario::builtin::BUILTIN[0].name,
                cartsim::scenario::builtin::BUILTIN[0].text.as_bytes(),
            )
            .unwrap(),
        ],
        Theme::MONO,
    );
    key(&mut app, KeyCode::End, KeyModifiers::NONE);
    assert_eq!(app.work, None);
    let p = app.player.playback.as_ref().unwrap();
    assert_eq!(p.script_position(), p.step_count());
}
