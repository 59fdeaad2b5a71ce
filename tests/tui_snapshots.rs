//! Whole-screen snapshots: the UI rendered into ratatui's TestBackend at 80x24 and
//! 120x40, at fixed clock values before, during and after an animated transition, and
//! with popups open. The view is a pure function of the app and its clock, so these
//! are exact.

mod common;

use common::builtin;

use cartsim::scenario::{Scenario, load_bytes};
use cartsim::tui::app::{App, Msg};
use cartsim::tui::theme::Theme;
use cartsim::tui::view;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::time::Duration;

fn press(app: &mut App, code: KeyCode) {
    cartsim::tui::effect::drive(app, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn render(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| view::draw(f, app)).unwrap();
    terminal.backend().to_string()
}

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

/// Scenario 02 played to just before its cancel, at clock 10 s.
fn before_cancel() -> App {
    let mut app = App::new(vec![builtin("02-")], Theme::MONO);
    app.now = Duration::from_secs(10);
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Right);
    // Let the step-2 animation finish.
    app.now = Duration::from_secs(20);
    app
}

#[test]
fn cancel_transition_before_during_after() {
    for (w, h) in SIZES {
        let mut app = before_cancel();
        insta::assert_snapshot!(format!("cancel_before_{w}x{h}"), render(&app, w, h));
        press(&mut app, KeyCode::Right);
        let started = app.now;
        app.now = started + Duration::from_millis(400);
        insta::assert_snapshot!(format!("cancel_during_{w}x{h}"), render(&app, w, h));
        app.now = started + Duration::from_secs(3);
        insta::assert_snapshot!(format!("cancel_after_{w}x{h}"), render(&app, w, h));
    }
}

#[test]
fn progress_glides_between_ticks() {
    let mut app = before_cancel();
    // Step 1 of scenario 01 launches an operation; step 2 waits for it.
    app = {
        let mut a = App::new(vec![builtin("01-")], Theme::MONO);
        a.now = Duration::from_secs(5);
        press(&mut a, KeyCode::Right);
        a.now = Duration::from_secs(9);
        press(&mut a, KeyCode::Right);
        let _ = &mut app;
        a
    };
    let start = app.now;
    app.now = start + Duration::from_millis(200);
    insta::assert_snapshot!("progress_during_120x40", render(&app, 120, 40));
}

#[test]
fn error_popup_on_a_closed_cart() {
    for (w, h) in SIZES {
        let mut app = App::new(vec![builtin("04-")], Theme::MONO);
        app.now = Duration::from_secs(10);
        for _ in 0..4 {
            press(&mut app, KeyCode::Right);
        }
        app.now = Duration::from_secs(20);
        press(&mut app, KeyCode::Char('x'));
        app.now = Duration::from_secs(30);
        let screen = render(&app, w, h);
        assert!(screen.contains("INVALID_OPERATION"), "{screen}");
        assert!(screen.contains("403"), "{screen}");
        insta::assert_snapshot!(format!("error_closed_cart_{w}x{h}"), screen);
    }
}

#[test]
fn picker_help_and_too_small() {
    let scenarios: Vec<Scenario> = ["01-", "02-", "03-", "04-"]
        .iter()
        .map(|p| builtin(p))
        .collect();
    let mut app = App::new(scenarios, Theme::MONO);
    insta::assert_snapshot!("picker_80x24", render(&app, 80, 24));
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('?'));
    insta::assert_snapshot!("help_120x40", render(&app, 120, 40));
    let small = render(&app, 60, 20);
    assert!(small.contains("terminal too small (need 80x24)"), "{small}");
    // Even absurd sizes draw without a panic.
    for (w, h) in [(1, 1), (80, 1), (1, 24), (80, 24), (300, 100)] {
        let _ = render(&app, w, h);
    }
}

#[test]
fn no_color_theme_carries_meaning_in_words_and_symbols() {
    let mut app = before_cancel();
    press(&mut app, KeyCode::Right);
    app.now += Duration::from_secs(3);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    terminal.draw(|f| view::draw(f, &app)).unwrap();
    let buffer = terminal.backend().buffer();
    for cell in buffer.content() {
        assert_eq!(
            cell.fg,
            ratatui::style::Color::Reset,
            "NO_COLOR: no foreground colour"
        );
        assert_eq!(
            cell.bg,
            ratatui::style::Color::Reset,
            "NO_COLOR: no background colour"
        );
    }
    let text = terminal.backend().to_string();
    for words in [
        "⊘ Canceled",
        "○ Active",
        "[ ] unlocked",
        "▪ archived",
        "[documented]",
    ] {
        assert!(text.contains(words), "{words} missing:\n{text}");
    }
}

#[test]
fn quiz_question_and_revealed_answer() {
    let text = r#"{"cartsim":1,"title":"Exercise","world":{
      "stores":[{"id":"w"}],"accounts":[{"id":"a","stores":["w"]}],
      "buyers":[{"id":"b","accounts":["a"]}],"products":[{"sku":"S","price":1}],
      "carts":[{"id":"c","store":"w","buyer":"b","status":"Closed"}]},
      "steps":[{"do":"cancel","cart":"c","marker":"Closed",
        "quiz":{"question":"The cart is Closed. What does cancel answer?",
                "choices":["ok","INVALID_OPERATION 403","BAD_REQUEST 400"],"answer":2,
                "explanation":"Requirement 4: the docs give INVALID_OPERATION, HTTP 403."}}]}"#;
    let mut app = App::new(
        vec![load_bytes("quiz.json", text.as_bytes()).unwrap()],
        Theme::MONO,
    );
    app.now = Duration::from_secs(1);
    press(&mut app, KeyCode::Right);
    insta::assert_snapshot!("quiz_asking_80x24", render(&app, 80, 24));
    press(&mut app, KeyCode::Char('2'));
    insta::assert_snapshot!("quiz_revealed_80x24", render(&app, 80, 24));
    press(&mut app, KeyCode::Enter);
    let screen = render(&app, 120, 40);
    assert!(screen.contains("score 1/1"), "{screen}");
    assert!(screen.contains("INVALID_OPERATION"), "{screen}");
}

#[test]
fn world_branch_prompt_and_narration_panels() {
    for (w, h) in SIZES {
        let mut app = before_cancel();
        press(&mut app, KeyCode::Char('i'));
        insta::assert_snapshot!(format!("world_{w}x{h}"), render(&app, w, h));
        press(&mut app, KeyCode::Esc);
        press(&mut app, KeyCode::Char('x'));
        press(&mut app, KeyCode::Char('q'));
        let screen = render(&app, w, h);
        assert!(screen.contains("Unsaved branch"), "{screen}");
        insta::assert_snapshot!(format!("branch_prompt_{w}x{h}"), screen);
    }
    // A buyer state: NextState is null, the strip still says what comes next.
    let mut app = App::new(vec![builtin("01-")], Theme::MONO);
    for _ in 0..3 {
        press(&mut app, KeyCode::Right);
    }
    app.now += Duration::from_secs(10);
    for (w, h) in SIZES {
        let screen = render(&app, w, h);
        assert!(screen.contains("then"), "{screen}");
        insta::assert_snapshot!(format!("flow_strip_buyer_state_{w}x{h}"), screen);
    }
    press(&mut app, KeyCode::Char('n'));
    insta::assert_snapshot!("narration_80x24", render(&app, 80, 24));
}

#[test]
fn high_contrast_and_light_palettes_use_no_dim_yellow_or_cyan() {
    use cartsim::tui::theme::Palette;
    for palette in [Palette::HighContrast, Palette::Light] {
        let mut app = App::new(vec![builtin("02-")], Theme::COLOR.with(palette));
        app.now = Duration::from_secs(1);
        press(&mut app, KeyCode::Right);
        press(&mut app, KeyCode::Char('x'));
        app.now = Duration::from_millis(1300);
        for (w, h) in SIZES {
            let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
            terminal.draw(|f| view::draw(f, &app)).unwrap();
            for cell in terminal.backend().buffer().content() {
                assert!(
                    !cell.modifier.contains(ratatui::style::Modifier::DIM),
                    "{palette:?}: dim text at {w}x{h}"
                );
                assert!(
                    !matches!(
                        cell.fg,
                        ratatui::style::Color::Yellow | ratatui::style::Color::Cyan
                    ),
                    "{palette:?}: {:?} at {w}x{h}",
                    cell.fg
                );
            }
            insta::assert_snapshot!(
                format!("palette_{}_{w}x{h}", palette.name()),
                terminal.backend().to_string()
            );
        }
    }
}

#[test]
fn zoom_shows_the_log_full_screen() {
    let mut app = App::new(vec![builtin("01-")], Theme::MONO);
    press(&mut app, KeyCode::End);
    press(&mut app, KeyCode::BackTab);
    press(&mut app, KeyCode::Char('z'));
    assert!(app.player.zoom);
    for (w, h) in SIZES {
        let screen = render(&app, w, h);
        assert!(!screen.contains("Carts (WebCart)"), "{screen}");
        insta::assert_snapshot!(format!("zoom_log_{w}x{h}"), screen);
    }
    press(&mut app, KeyCode::Char('z'));
    assert!(render(&app, 80, 24).contains("Carts (WebCart)"));
}

#[test]
fn projector_layout_has_a_taller_caption_and_no_key_bar() {
    let mut app = before_cancel();
    press(&mut app, KeyCode::Char('P'));
    assert!(app.prefs.projector);
    for (w, h) in SIZES {
        let screen = render(&app, w, h);
        assert!(!screen.contains("play/pause"), "no key bar:\n{screen}");
        assert!(screen.contains("P back to the usual layout"), "{screen}");
        insta::assert_snapshot!(format!("projector_{w}x{h}"), screen);
    }
}

#[test]
fn timeline_with_chapters_questions_and_the_branch_point() {
    for (w, h) in SIZES {
        let mut app = before_cancel();
        press(&mut app, KeyCode::Char('x'));
        press(&mut app, KeyCode::Char('J'));
        let screen = render(&app, w, h);
        assert!(screen.contains("⎇ your branch"), "{screen}");
        insta::assert_snapshot!(format!("timeline_{w}x{h}"), screen);
    }
}

#[test]
fn a_log_search_marks_its_hit_and_another_buyer_acts() {
    for (w, h) in SIZES {
        let mut app = App::new(vec![builtin("02-")], Theme::MONO);
        press(&mut app, KeyCode::End);
        render(&app, w, h);
        press(&mut app, KeyCode::Char('/'));
        for c in "archived".chars() {
            press(&mut app, KeyCode::Char(c));
        }
        insta::assert_snapshot!(format!("search_typing_{w}x{h}"), render(&app, w, h));
        press(&mut app, KeyCode::Enter);
        insta::assert_snapshot!(format!("search_hit_{w}x{h}"), render(&app, w, h));
        let mut app = App::new(vec![builtin("29-")], Theme::MONO);
        press(&mut app, KeyCode::Char('A'));
        insta::assert_snapshot!(format!("acting_buyer_{w}x{h}"), render(&app, w, h));
    }
}

#[test]
fn an_lwr_checkout_its_calls_and_the_network_view() {
    for (w, h) in SIZES {
        let mut app = App::new(vec![builtin("40-")], Theme::MONO);
        app.now = Duration::from_secs(10);
        press(&mut app, KeyCode::Char('E'));
        for _ in 0..5 {
            press(&mut app, KeyCode::Right);
        }
        app.now = Duration::from_secs(30);
        insta::assert_snapshot!(format!("lwr_checkout_{w}x{h}"), render(&app, w, h));
        press(&mut app, KeyCode::Char('u'));
        for c in "ground".chars() {
            press(&mut app, KeyCode::Char(c));
        }
        insta::assert_snapshot!(format!("lwr_patch_form_{w}x{h}"), render(&app, w, h));
        press(&mut app, KeyCode::Esc);
        press(&mut app, KeyCode::Char('N'));
        insta::assert_snapshot!(format!("network_{w}x{h}"), render(&app, w, h));
    }
}

#[test]
fn a_refusal_offers_to_flip_its_reading() {
    for (w, h) in SIZES {
        let mut app = App::new(vec![builtin("10-")], Theme::MONO);
        press(&mut app, KeyCode::Char('E'));
        press(&mut app, KeyCode::Right);
        insta::assert_snapshot!(format!("refusal_reading_{w}x{h}"), render(&app, w, h));
        press(&mut app, KeyCode::Char('F'));
        app.now = Duration::from_secs(60);
        insta::assert_snapshot!(format!("reading_flipped_{w}x{h}"), render(&app, w, h));
    }
}

#[test]
fn a_store_setting_switched_live_from_the_world_menu() {
    for (w, h) in SIZES {
        let mut app = before_cancel();
        let items = cartsim::tui::popup::world_menu::items(app.world().unwrap(), "cart-1");
        let flip = items
            .iter()
            .position(|(l, _)| l == "west: checkout_session → get_or_create")
            .expect("a reading to switch to");
        press(&mut app, KeyCode::Char('e'));
        for _ in 0..flip {
            press(&mut app, KeyCode::Down);
        }
        let screen = render(&app, w, h);
        assert!(
            screen.contains("checkout_session → get_or_create"),
            "{screen}"
        );
        insta::assert_snapshot!(format!("setting_menu_{w}x{h}"), screen);
        press(&mut app, KeyCode::Enter);
        app.now = Duration::from_secs(60);
        let screen = render(&app, w, h);
        assert!(screen.contains("get_or_create"), "{screen}");
        insta::assert_snapshot!(format!("setting_switched_{w}x{h}"), screen);
    }
}
