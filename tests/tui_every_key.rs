//! Every key the help lists does what the help says. The test walks the key table the
//! help is drawn from (`keys::BINDINGS`, every key of every row): for each key it builds
//! a state where the key applies, presses it, and checks an effect that only that key
//! has. A binding added to the table without a proof here fails the walk.

mod common;

use cartsim::engine::{Action, OperationStatus};
use cartsim::player::playback::QuizState;
use cartsim::scenario::{builtin::BUILTIN, load_bytes};
use cartsim::tui::app::{App, Focus, Msg, Screen};
use cartsim::tui::effect::drive;
use cartsim::tui::keys::{self, BINDINGS, Binding, Command as C, Context as X, Key};
use cartsim::tui::popup::Popup;
use cartsim::tui::popup::rest_form::Kind;
use cartsim::tui::theme::Theme;
use common::builtin;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn app(prefix: &str) -> App {
    App::new(vec![builtin(prefix)], Theme::MONO)
}

/// Exercise mode off, so that stepping never stops at a question.
fn quiet(prefix: &str) -> App {
    let mut a = app(prefix);
    press(&mut a, KeyCode::Char('E'));
    a
}

fn press(a: &mut App, code: KeyCode) {
    drive(a, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn chars(a: &mut App, text: &str) {
    for c in text.chars() {
        press(a, KeyCode::Char(c));
    }
}

/// Presses a key as the table writes it.
fn hit(a: &mut App, key: &Key) {
    let modifiers = if key.ctrl {
        KeyModifiers::CONTROL
    } else {
        KeyModifiers::NONE
    };
    drive(a, Msg::Key(KeyEvent::new(key.code, modifiers)));
}

fn cursor(a: &App) -> usize {
    a.player.playback.as_ref().unwrap().timeline().cursor()
}

fn position(a: &App) -> usize {
    a.player.playback.as_ref().unwrap().script_position()
}

fn last_action(a: &App) -> Action {
    a.player
        .playback
        .as_ref()
        .unwrap()
        .played()
        .last()
        .expect("something played")
        .action
        .as_ref()
        .clone()
}

fn last_request(a: &App) -> String {
    a.player
        .playback
        .as_ref()
        .unwrap()
        .played()
        .last()
        .and_then(|e| e.outcome.request.clone())
        .unwrap_or_default()
}

fn text_title(a: &App) -> Option<String> {
    match &a.popup {
        Some(Popup::Text(t)) => Some(t.title.clone()),
        _ => None,
    }
}

fn scroll_of(a: &App) -> u16 {
    match &a.popup {
        Some(Popup::Text(t)) => t.scroll,
        Some(Popup::Help(h)) => h.scroll,
        other => panic!("no scrolling popup: {other:?}"),
    }
}

/// A scenario with a question on its first step.
fn quiz_app() -> App {
    let text = r#"{"cartsim":1,"title":"q","world":{
      "stores":[{"id":"w"}],"accounts":[{"id":"a","stores":["w"]}],
      "buyers":[{"id":"b","accounts":["a"]}],"products":[{"sku":"S","price":1}],
      "carts":[{"id":"c","store":"w","buyer":"b"}]},
      "steps":[{"do":"start_checkout","cart":"c",
        "quiz":{"question":"What does start checkout create?","choices":["an error","a CartCheckoutSession"],"answer":2}}]}"#;
    let mut a = App::new(
        vec![load_bytes("q.json", text.as_bytes()).unwrap()],
        Theme::MONO,
    );
    press(&mut a, KeyCode::Right);
    assert_eq!(a.context(), X::Quiz);
    a
}

/// Every built-in scenario in the picker (more than a page).
fn picker() -> App {
    let all = BUILTIN
        .iter()
        .map(|b| load_bytes(b.name, b.text.as_bytes()).unwrap())
        .collect();
    let a = App::new(all, Theme::MONO);
    assert_eq!(a.context(), X::Picker);
    a
}

fn picker_at(n: usize) -> App {
    let mut a = picker();
    a.picker.selected = a.picker.listed()[n];
    a
}

/// An LWR cart whose checkout was started off script (PUT) and has settled.
fn lwr_started() -> App {
    let mut a = quiet("40-");
    press(&mut a, KeyCode::Char('s'));
    press(&mut a, KeyCode::Char('S'));
    a
}

/// A branch of one action (cancel) after the script's first step.
fn branched() -> App {
    let mut a = app("02-");
    press(&mut a, KeyCode::Right);
    press(&mut a, KeyCode::Char('x'));
    assert!(a.player.playback.as_ref().unwrap().off_script());
    a
}

/// A refusal popup: cancel on a closed cart.
fn refused() -> App {
    let mut a = app("04-");
    for _ in 0..4 {
        press(&mut a, KeyCode::Right);
    }
    press(&mut a, KeyCode::Char('x'));
    assert_eq!(a.context(), X::Refusal);
    a
}

/// A text popup long enough to scroll (the world of a scenario with several stores).
fn long_text() -> App {
    let mut a = app("48-");
    press(&mut a, KeyCode::Char('i'));
    assert_eq!(a.context(), X::Popup);
    a
}

/// Proves that `key` of `binding` works: an effect specific to it.
fn prove(b: &Binding, key: &Key) {
    let name = keys::key_name(key);
    let ctx = format!("{name} ({:?} in {:?})", b.command, b.context);
    match (b.context, b.command) {
        // The picker.
        (X::Picker, C::Up) => {
            let mut a = picker_at(3);
            hit(&mut a, key);
            assert_eq!(a.picker.selected, a.picker.listed()[2], "{ctx}");
        }
        (X::Picker, C::Down) => {
            let mut a = picker_at(3);
            hit(&mut a, key);
            assert_eq!(a.picker.selected, a.picker.listed()[4], "{ctx}");
        }
        (X::Picker, C::PageUp) => {
            let mut a = picker_at(15);
            hit(&mut a, key);
            assert_eq!(a.picker.selected, a.picker.listed()[5], "{ctx}");
        }
        (X::Picker, C::PageDown) => {
            let mut a = picker_at(0);
            hit(&mut a, key);
            assert_eq!(a.picker.selected, a.picker.listed()[10], "{ctx}");
        }
        (X::Picker, C::Home) => {
            let mut a = picker_at(7);
            hit(&mut a, key);
            assert_eq!(a.picker.selected, a.picker.listed()[0], "{ctx}");
        }
        (X::Picker, C::End) => {
            let mut a = picker_at(0);
            hit(&mut a, key);
            let listed = a.picker.listed();
            assert_eq!(a.picker.selected, *listed.last().unwrap(), "{ctx}");
        }
        (X::Picker, C::Filter) => {
            let mut a = picker();
            hit(&mut a, key);
            assert_eq!(a.context(), X::Filter, "{ctx}");
            chars(&mut a, "lwr");
            assert!(
                a.picker.listed().len() < a.picker.len(),
                "{ctx}: it filters"
            );
        }
        (X::Picker, C::Confirm) => {
            let mut a = picker_at(2);
            let chosen = a.picker.scenarios[a.picker.selected].title.clone();
            hit(&mut a, key);
            assert_eq!(a.screen, Screen::Player, "{ctx}");
            let p = a.player.playback.as_ref().unwrap();
            assert_eq!(p.scenario().title, chosen, "{ctx}");
        }
        (X::Filter, C::Confirm) => {
            let mut a = picker();
            press(&mut a, KeyCode::Char('/'));
            chars(&mut a, "lwr");
            hit(&mut a, key);
            assert_eq!(a.context(), X::Picker, "{ctx}: back to the list");
            assert_eq!(a.picker.filter.value(), "lwr", "{ctx}: the filter kept");
        }
        // Searching the log.
        (X::Search, C::Confirm) => {
            let mut a = app("02-");
            press(&mut a, KeyCode::End);
            press(&mut a, KeyCode::Char('/'));
            chars(&mut a, "canceled");
            assert!(a.player.search.as_ref().unwrap().hits.is_empty());
            hit(&mut a, key);
            assert_ne!(a.context(), X::Search, "{ctx}");
            assert!(!a.player.search.as_ref().unwrap().hits.is_empty(), "{ctx}");
            assert!(a.player.log_mark.is_some(), "{ctx}");
        }
        // The player: playback.
        (X::Player, C::PlayPause) => {
            let mut a = app("01-");
            hit(&mut a, key);
            assert!(a.player.playback.as_ref().unwrap().playing, "{ctx}");
            hit(&mut a, key);
            assert!(!a.player.playback.as_ref().unwrap().playing, "{ctx}");
        }
        (X::Player, C::StepForward) => {
            let mut a = app("01-");
            hit(&mut a, key);
            assert_eq!(cursor(&a), 1, "{ctx}");
        }
        (X::Player, C::StepBack) => {
            let mut a = app("01-");
            chars(&mut a, "ll");
            hit(&mut a, key);
            assert_eq!(cursor(&a), 1, "{ctx}");
        }
        (X::Player, C::Faster) => {
            let mut a = app("01-");
            hit(&mut a, key);
            assert_eq!(a.player.playback.as_ref().unwrap().speed(), 2.0, "{ctx}");
            assert_eq!(a.prefs.speed, 2.0, "{ctx}: kept in the preferences");
        }
        (X::Player, C::Slower) => {
            let mut a = app("01-");
            hit(&mut a, key);
            assert_eq!(a.player.playback.as_ref().unwrap().speed(), 0.5, "{ctx}");
            assert_eq!(a.prefs.speed, 0.5, "{ctx}: kept in the preferences");
        }
        (X::Player, C::Home) => {
            let mut a = app("01-");
            chars(&mut a, "ll");
            hit(&mut a, key);
            assert_eq!(cursor(&a), 0, "{ctx}");
        }
        (X::Player, C::End) => {
            let mut a = app("01-");
            hit(&mut a, key);
            let p = a.player.playback.as_ref().unwrap();
            assert_eq!(p.script_position(), p.step_count(), "{ctx}");
        }
        (X::Player, C::PrevChapter) => {
            let mut a = app("01-");
            press(&mut a, KeyCode::End);
            let end = position(&a);
            hit(&mut a, key);
            assert!(position(&a) < end, "{ctx}");
            assert!(a.status.is_some(), "{ctx}: says where it landed");
        }
        (X::Player, C::NextChapter) => {
            let mut a = app("01-");
            hit(&mut a, key);
            let moved = position(&a);
            assert!(moved > 0, "{ctx}");
            hit(&mut a, key);
            assert!(position(&a) > moved, "{ctx}: the next chapter again");
        }
        (X::Player, C::Presenter) => {
            let mut a = app("01-");
            hit(&mut a, key);
            assert!(a.player.playback.as_ref().unwrap().presenter, "{ctx}");
            assert!(a.prefs.presenter, "{ctx}: kept in the preferences");
        }
        (X::Player, C::Exercise) => {
            let mut a = app("05-");
            assert!(a.player.playback.as_ref().unwrap().exercise);
            hit(&mut a, key);
            assert!(!a.player.playback.as_ref().unwrap().exercise, "{ctx}");
        }
        (X::Player, C::ResetScore) => {
            let mut a = quiz_app();
            press(&mut a, KeyCode::Char('2'));
            press(&mut a, KeyCode::Enter);
            assert_eq!(a.player.playback.as_ref().unwrap().score(), (1, 1));
            press(&mut a, KeyCode::Home);
            hit(&mut a, key);
            assert_eq!(a.player.playback.as_ref().unwrap().score(), (0, 0), "{ctx}");
        }
        (X::Player, C::Timeline) => {
            let mut a = app("01-");
            hit(&mut a, key);
            assert!(matches!(a.popup, Some(Popup::Timeline(_))), "{ctx}");
        }
        (X::Player, C::Narration) => {
            let mut a = app("01-");
            press(&mut a, KeyCode::Right);
            hit(&mut a, key);
            assert_eq!(text_title(&a).as_deref(), Some("Narration"), "{ctx}");
        }
        (X::Player, C::World) => {
            let mut a = app("01-");
            hit(&mut a, key);
            let title = text_title(&a).unwrap_or_default();
            assert!(title.starts_with("The world"), "{ctx}: {title}");
        }
        (X::Player, C::Network) => {
            let mut a = app("40-");
            hit(&mut a, key);
            let title = text_title(&a).unwrap_or_default();
            assert!(title.starts_with("Network"), "{ctx}: {title}");
        }
        (X::Player, C::Open) => {
            let mut a = app("40-");
            hit(&mut a, key);
            assert!(a.popup.is_none(), "{ctx}: only with the log focused");
            a.player.focus = Focus::Log;
            hit(&mut a, key);
            let title = text_title(&a).unwrap_or_default();
            assert!(title.starts_with("Network"), "{ctx}: {title}");
        }
        // The player: acting on the selected cart.
        (X::Player, C::StartCheckout) => {
            let mut a = app("01-");
            hit(&mut a, key);
            assert!(
                matches!(last_action(&a), Action::StartCheckout { .. }),
                "{ctx}"
            );
            let mut a = quiet("40-");
            hit(&mut a, key);
            assert!(last_request(&a).starts_with("PUT "), "{ctx} on LWR");
        }
        (X::Player, C::Cancel) => {
            let mut a = app("02-");
            press(&mut a, KeyCode::Right);
            hit(&mut a, key);
            assert!(matches!(last_action(&a), Action::Cancel { .. }), "{ctx}");
        }
        (X::Player, C::Continue) => {
            let mut a = app("01-");
            hit(&mut a, key);
            assert!(matches!(last_action(&a), Action::Continue { .. }), "{ctx}");
            let mut a = lwr_started();
            hit(&mut a, key);
            assert!(last_request(&a).starts_with("GET "), "{ctx} on LWR");
        }
        (X::Player, C::FailOperation) => {
            let mut a = app("01-");
            press(&mut a, KeyCode::Char('s'));
            hit(&mut a, key);
            assert!(
                matches!(last_action(&a), Action::FailOperation { .. }),
                "{ctx}"
            );
        }
        (X::Player, C::AdvanceTick) => {
            let mut a = app("01-");
            hit(&mut a, key);
            assert_eq!(last_action(&a), Action::Wait { ticks: 1 }, "{ctx}");
        }
        (X::Player, C::Settle) => {
            let mut a = app("01-");
            press(&mut a, KeyCode::Char('s'));
            let running = |a: &App| {
                a.world()
                    .unwrap()
                    .operations()
                    .iter()
                    .any(|o| o.status == OperationStatus::Running)
            };
            assert!(running(&a));
            hit(&mut a, key);
            assert!(!running(&a), "{ctx}");
        }
        (X::Player, C::AddToCart) => {
            let mut a = app("01-");
            hit(&mut a, key);
            assert!(matches!(a.popup, Some(Popup::AddToCart(_))), "{ctx}");
        }
        (X::Player, C::WorldMenu) => {
            let mut a = app("01-");
            hit(&mut a, key);
            assert!(matches!(a.popup, Some(Popup::WorldMenu(_))), "{ctx}");
        }
        (X::Player, C::ActAs) => {
            let mut a = app("29-");
            hit(&mut a, key);
            let owner = a.world().unwrap().cart("cart-1").unwrap().buyer;
            let acting = a.player.acting.clone().expect("another buyer acts");
            assert_ne!(acting, owner, "{ctx}");
        }
        (X::Player, C::Patch) => {
            let mut a = lwr_started();
            hit(&mut a, key);
            assert!(
                matches!(&a.popup, Some(Popup::RestForm(f)) if matches!(f.kind, Kind::Patch(_))),
                "{ctx}"
            );
        }
        (X::Player, C::Explore) => {
            // From the start of the LWR happy path, a DELETE during the first Cart
            // Calculate is refused with nothing else the buyer can do: a finding.
            let mut a = app("40-");
            hit(&mut a, key);
            assert!(a.exploring.is_none(), "{ctx}: the search ended");
            let Some(Popup::Findings(f)) = &a.popup else {
                panic!("{ctx}: {:?} / {:?}", a.popup, a.status)
            };
            assert!(
                f.lessons.iter().any(|l| l.name == "stuck-in-checkout"),
                "{ctx}: {:?}",
                f.lessons
            );
        }
        (X::Player, C::Pay) => {
            let mut a = lwr_started();
            hit(&mut a, key);
            assert!(
                matches!(&a.popup, Some(Popup::RestForm(f)) if matches!(f.kind, Kind::Pay(_))),
                "{ctx}"
            );
        }
        (X::Player, C::PlaceOrder) => {
            let mut a = lwr_started();
            hit(&mut a, key);
            let request = last_request(&a);
            assert!(
                request.starts_with("POST ") && request.ends_with("/orders"),
                "{ctx}: {request}"
            );
        }
        (X::Player, C::DeleteCheckout) => {
            let mut a = lwr_started();
            hit(&mut a, key);
            assert!(last_request(&a).starts_with("DELETE "), "{ctx}");
        }
        (X::Player, C::ReturnToScript) => {
            let mut a = branched();
            hit(&mut a, key);
            assert!(matches!(a.popup, Some(Popup::Confirm(_))), "{ctx}: asks");
            press(&mut a, KeyCode::Char('d'));
            assert!(!a.player.playback.as_ref().unwrap().off_script(), "{ctx}");
        }
        (X::Player, C::Save) => {
            let mut a = branched();
            hit(&mut a, key);
            assert!(matches!(a.popup, Some(Popup::Save(_))), "{ctx}");
        }
        (X::Player, C::Picker) => {
            let mut a = App::new(vec![builtin("01-"), builtin("02-")], Theme::MONO);
            press(&mut a, KeyCode::Enter);
            assert_eq!(a.screen, Screen::Player);
            hit(&mut a, key);
            assert_eq!(a.screen, Screen::Picker, "{ctx}");
        }
        // The player: looking.
        (X::Player, C::Search) => {
            let mut a = app("01-");
            hit(&mut a, key);
            assert_eq!(a.context(), X::Search, "{ctx}");
        }
        (X::Player, C::NextMatch) | (X::Player, C::PrevMatch) => {
            let mut a = app("02-");
            press(&mut a, KeyCode::End);
            press(&mut a, KeyCode::Char('/'));
            chars(&mut a, "cart-1");
            press(&mut a, KeyCode::Enter);
            let search = a.player.search.clone().unwrap();
            let n = search.hits.len();
            assert!(n > 2);
            hit(&mut a, key);
            let wanted = if b.command == C::NextMatch {
                (search.at + 1) % n
            } else {
                (search.at + n - 1) % n
            };
            let at = a.player.search.as_ref().unwrap().at;
            assert_eq!(at, wanted, "{ctx}");
            assert_eq!(a.player.log_mark, Some(search.hits[at]), "{ctx}");
        }
        (X::Player, C::RecordLog) => {
            let mut a = app("02-");
            press(&mut a, KeyCode::End);
            hit(&mut a, key);
            let search = a.player.search.clone().expect("the cart's changes");
            assert_eq!(search.what, "changes of cart-1", "{ctx}");
            assert!(!search.hits.is_empty(), "{ctx}");
        }
        (X::Player, C::FocusNext) => {
            let mut a = app("01-");
            hit(&mut a, key);
            assert_eq!(a.player.focus, Focus::Sessions, "{ctx}");
        }
        (X::Player, C::FocusPrev) => {
            let mut a = app("01-");
            hit(&mut a, key);
            assert_eq!(a.player.focus, Focus::Log, "{ctx}");
        }
        (X::Player, C::Up) => {
            let mut a = app("48-");
            a.player.cart_sel = 1;
            hit(&mut a, key);
            assert_eq!(a.player.cart_sel, 0, "{ctx}");
        }
        (X::Player, C::Down) => {
            let mut a = app("48-");
            hit(&mut a, key);
            assert_eq!(a.player.cart_sel, 1, "{ctx}");
        }
        (X::Player, C::LogUp) => {
            let mut a = app("01-");
            press(&mut a, KeyCode::End);
            hit(&mut a, key);
            assert_eq!(a.player.log_scroll, 5, "{ctx}");
        }
        (X::Player, C::LogDown) => {
            let mut a = app("01-");
            press(&mut a, KeyCode::End);
            a.player.log_scroll = 12;
            hit(&mut a, key);
            assert_eq!(a.player.log_scroll, 7, "{ctx}");
        }
        (X::Player, C::Zoom) => {
            let mut a = app("01-");
            hit(&mut a, key);
            assert!(a.player.zoom, "{ctx}");
        }
        (X::Player, C::CollapseFinished) => {
            let mut a = app("01-");
            hit(&mut a, key);
            assert!(a.player.collapse_finished, "{ctx}");
        }
        (X::Player, C::Projector) => {
            let mut a = app("01-");
            hit(&mut a, key);
            assert!(a.prefs.projector, "{ctx}");
        }
        (X::Player, C::Palette) => {
            let mut a = app("01-");
            let before = a.prefs.theme.palette;
            hit(&mut a, key);
            assert_ne!(a.prefs.theme.palette, before, "{ctx}");
        }
        // The REST call forms.
        (X::Form, C::NextField) => {
            let mut a = lwr_started();
            press(&mut a, KeyCode::Char('u'));
            hit(&mut a, key);
            let Some(Popup::RestForm(form)) = &a.popup else {
                panic!("{ctx}: {:?}", a.popup)
            };
            let back = matches!(key.code, KeyCode::Up | KeyCode::BackTab);
            assert_eq!(form.focus, if back { 5 } else { 1 }, "{ctx}");
            // On the pay form it switches the choice.
            let mut a = lwr_started();
            press(&mut a, KeyCode::Char('$'));
            hit(&mut a, key);
            assert!(
                matches!(&a.popup, Some(Popup::RestForm(f)) if f.kind == Kind::Pay(false)),
                "{ctx}"
            );
        }
        (X::Form, C::Confirm) => {
            let mut a = lwr_started();
            press(&mut a, KeyCode::Char('$'));
            hit(&mut a, key);
            assert!(last_request(&a).ends_with("/payments"), "{ctx}");
        }
        // Add to cart.
        (X::AddToCart, C::Up) | (X::AddToCart, C::Down) => {
            let mut a = app("03-");
            press(&mut a, KeyCode::Char('a'));
            if b.command == C::Up {
                press(&mut a, KeyCode::Down);
            }
            hit(&mut a, key);
            let Some(Popup::AddToCart(add)) = &a.popup else {
                panic!("{ctx}")
            };
            assert_eq!(add.product, usize::from(b.command == C::Down), "{ctx}");
        }
        (X::AddToCart, C::More) | (X::AddToCart, C::Less) => {
            let mut a = app("03-");
            press(&mut a, KeyCode::Char('a'));
            chars(&mut a, "5");
            hit(&mut a, key);
            let Some(Popup::AddToCart(add)) = &a.popup else {
                panic!("{ctx}")
            };
            let wanted = if b.command == C::More { 6 } else { 4 };
            assert_eq!(add.amount(), wanted, "{ctx}");
        }
        (X::AddToCart, C::Confirm) => {
            let mut a = app("03-");
            press(&mut a, KeyCode::Char('a'));
            hit(&mut a, key);
            assert!(matches!(last_action(&a), Action::AddToCart { .. }), "{ctx}");
        }
        // The world edits menu and the timeline share the menu keys.
        (X::Menu, C::Up) | (X::Menu, C::Down) => {
            let down = b.command == C::Down;
            let mut a = app("01-");
            press(&mut a, KeyCode::Char('e'));
            if !down {
                chars(&mut a, "jj");
            }
            hit(&mut a, key);
            let Some(Popup::WorldMenu(menu)) = &a.popup else {
                panic!("{ctx}")
            };
            assert_eq!(menu.index, 1, "{ctx}");
            let mut a = app("01-");
            press(&mut a, KeyCode::Char('J'));
            if !down {
                chars(&mut a, "jj");
            }
            hit(&mut a, key);
            let Some(Popup::Timeline(timeline)) = &a.popup else {
                panic!("{ctx}")
            };
            assert_eq!(timeline.index, 1, "{ctx}: the timeline");
        }
        (X::Menu, C::PageUp | C::PageDown | C::Home | C::End) => {
            // From the middle of the world menu, each key moves to where it says.
            let mut a = app("01-");
            press(&mut a, KeyCode::Char('e'));
            let len = cartsim::tui::popup::world_menu::items(a.world().unwrap(), "cart-1").len();
            assert!(len > 12, "{ctx}: a menu long enough to page through");
            chars(&mut a, &"j".repeat(11));
            hit(&mut a, key);
            let Some(Popup::WorldMenu(menu)) = &a.popup else {
                panic!("{ctx}")
            };
            let expected = match b.command {
                C::PageUp => 1,
                C::PageDown => (11 + 10).min(len - 1),
                C::Home => 0,
                _ => len - 1,
            };
            assert_eq!(menu.index, expected, "{ctx}");
        }
        (X::Menu, C::Confirm) => {
            let mut a = app("01-");
            press(&mut a, KeyCode::Char('e'));
            hit(&mut a, key);
            assert!(a.popup.is_none(), "{ctx}");
            assert!(
                a.player.playback.as_ref().unwrap().off_script(),
                "{ctx}: the edit applied"
            );
            let mut a = app("01-");
            press(&mut a, KeyCode::Char('J'));
            chars(&mut a, "jjj");
            hit(&mut a, key);
            assert_eq!(position(&a), 3, "{ctx}: the timeline jumps");
        }
        // Questions.
        (X::Quiz, C::Confirm) => {
            let mut a = quiz_app();
            press(&mut a, KeyCode::Char('2'));
            assert!(matches!(
                a.player.playback.as_ref().unwrap().quiz(),
                Some(QuizState::Revealed { .. })
            ));
            hit(&mut a, key);
            assert_eq!(cursor(&a), 1, "{ctx}: the step plays");
        }
        (X::Quiz, C::SkipQuiz) => {
            let mut a = quiz_app();
            hit(&mut a, key);
            let p = a.player.playback.as_ref().unwrap();
            assert_eq!(p.timeline().cursor(), 1, "{ctx}");
            assert_eq!(p.score(), (0, 0), "{ctx}: nothing scored");
        }
        // Saving.
        (X::Save, C::Confirm) => {
            let dir = tempfile::tempdir().unwrap();
            let mut a = branched();
            a.files.save_dir = dir.path().to_path_buf();
            press(&mut a, KeyCode::Char('w'));
            hit(&mut a, key);
            assert!(dir.path().join("cartsim-branch-1.json").exists(), "{ctx}");
            assert_eq!(text_title(&a).as_deref(), Some("Saved"), "{ctx}");
        }
        (X::Confirm, C::SaveFirst) => {
            let mut a = branched();
            press(&mut a, KeyCode::Home);
            hit(&mut a, key);
            assert!(
                matches!(&a.popup, Some(Popup::Save(s)) if s.then.is_some()),
                "{ctx}: the save dialog, then Home"
            );
        }
        (X::Confirm, C::Discard) => {
            let mut a = branched();
            press(&mut a, KeyCode::Home);
            hit(&mut a, key);
            assert!(a.popup.is_none(), "{ctx}");
            assert_eq!(cursor(&a), 0, "{ctx}: Home done");
            assert!(a.unsaved_branch().is_none(), "{ctx}: the branch dropped");
        }
        (X::Confirm, C::Close) => {
            let mut a = branched();
            let at = cursor(&a);
            press(&mut a, KeyCode::Home);
            hit(&mut a, key);
            assert!(a.popup.is_none(), "{ctx}");
            assert_eq!(cursor(&a), at, "{ctx}: nothing done");
            assert!(a.unsaved_branch().is_some(), "{ctx}: the branch kept");
        }
        // A refusal.
        (X::Refusal, C::Undo) => {
            let mut a = refused();
            let played = cursor(&a);
            hit(&mut a, key);
            assert!(a.popup.is_none(), "{ctx}");
            assert_eq!(cursor(&a), played - 1, "{ctx}");
        }
        (X::Refusal, C::FlipReading) => {
            let mut a = quiet("10-");
            press(&mut a, KeyCode::Right);
            assert_eq!(a.context(), X::Refusal);
            hit(&mut a, key);
            let p = a.player.playback.as_ref().unwrap();
            let played = p.played();
            assert!(
                matches!(&*played[played.len() - 2].action, Action::SetSetting { .. }),
                "{ctx}"
            );
            assert!(played[played.len() - 1].outcome.result.is_ok(), "{ctx}");
            // A refusal whose reading is the store's template (no setting to switch):
            // the key bar does not offer it, and the key does nothing.
            let mut a = quiet("41-");
            for _ in 0..2 {
                press(&mut a, KeyCode::Right);
                press(&mut a, KeyCode::Esc);
            }
            press(&mut a, KeyCode::Right);
            let Some(Popup::Refusal(r)) = &a.popup else {
                panic!("{ctx}: {:?}", a.popup)
            };
            assert!(r.error.kind.reading().unwrap().contains("template"));
            assert!(!a.available(C::FlipReading), "{ctx}: not offered");
            let played = cursor(&a);
            hit(&mut a, key);
            assert!(matches!(a.popup, Some(Popup::Refusal(_))), "{ctx}");
            assert_eq!(cursor(&a), played, "{ctx}: nothing played");
        }
        (X::Refusal, C::Close) => {
            let mut a = refused();
            let played = cursor(&a);
            hit(&mut a, key);
            assert!(a.popup.is_none(), "{ctx}");
            assert_eq!(cursor(&a), played, "{ctx}: the refused step stays");
        }
        // The help and the text popups scroll.
        (X::Help, C::Up) | (X::Popup, C::Up) => {
            let mut a = open_scrolling(b.context);
            chars(&mut a, "jjj");
            hit(&mut a, key);
            assert_eq!(scroll_of(&a), 2, "{ctx}");
        }
        (X::Help, C::Down) | (X::Popup, C::Down) => {
            let mut a = open_scrolling(b.context);
            hit(&mut a, key);
            assert_eq!(scroll_of(&a), 1, "{ctx}");
        }
        (X::Help, C::PageDown) | (X::Popup, C::PageDown) => {
            let mut a = open_scrolling(b.context);
            hit(&mut a, key);
            assert!(scroll_of(&a) > 1, "{ctx}");
        }
        (X::Help, C::PageUp) | (X::Popup, C::PageUp) => {
            let mut a = open_scrolling(b.context);
            press(&mut a, KeyCode::PageDown);
            press(&mut a, KeyCode::PageDown);
            let down = scroll_of(&a);
            hit(&mut a, key);
            let up = scroll_of(&a);
            assert!(up < down && down - up > 1, "{ctx}: {down} -> {up}");
        }
        (X::Help, C::Close) | (X::Popup, C::Close) => {
            let mut a = open_scrolling(b.context);
            hit(&mut a, key);
            assert!(a.popup.is_none(), "{ctx}");
            assert!(!a.quit, "{ctx}: closes, never quits");
        }
        // Everywhere.
        (X::Global, C::Close) => {
            for mut a in [long_text(), refused(), open_scrolling(X::Help)] {
                hit(&mut a, key);
                assert!(a.popup.is_none(), "{ctx}");
            }
            let mut a = app("01-");
            press(&mut a, KeyCode::Char('/'));
            hit(&mut a, key);
            assert_eq!(a.context(), X::Player, "{ctx}: the search closes");
        }
        (X::Global, C::Help) => {
            let mut a = app("01-");
            hit(&mut a, key);
            assert!(matches!(a.popup, Some(Popup::Help(_))), "{ctx}");
            let mut a = picker();
            hit(&mut a, key);
            assert!(matches!(a.popup, Some(Popup::Help(_))), "{ctx}: picker");
        }
        (X::Global, C::Quit) => {
            let mut a = app("01-");
            hit(&mut a, key);
            assert!(a.quit, "{ctx}");
            let mut a = picker();
            hit(&mut a, key);
            assert!(a.quit, "{ctx}: picker");
        }
        (context, command) => panic!(
            "no test proves the key {name} ({command:?} in {context:?}): add one to tests/tui_every_key.rs"
        ),
    }
}

/// The help, or a long text popup, at its top.
fn open_scrolling(context: X) -> App {
    match context {
        X::Help => {
            let mut a = app("01-");
            press(&mut a, KeyCode::Char('?'));
            assert_eq!(a.context(), X::Help);
            a
        }
        _ => long_text(),
    }
}

#[test]
fn every_key_of_the_help_does_what_it_says() {
    // The help is drawn from this table: every key of every row is proved.
    let help = keys::help_lines();
    let mut proved = 0;
    for b in BINDINGS {
        assert!(
            help.iter()
                .any(|(_, keys_text, text)| *text == keys::help_of(b)
                    && *keys_text == keys::key_names(b.keys)),
            "{:?} is in the help",
            b.command
        );
        for key in b.keys {
            prove(b, key);
            proved += 1;
        }
    }
    assert!(proved >= BINDINGS.len());
}

/// `X` from a moment, then Enter on a finding: its actions play from that moment as an
/// unsaved branch, and the state they reach shows the anomaly.
#[test]
fn a_finding_of_explore_plays_from_here_as_a_branch() {
    let mut a = app("40-");
    press(&mut a, KeyCode::Char('X'));
    let Some(Popup::Findings(f)) = &a.popup else {
        panic!("no findings: {:?}", a.status)
    };
    let chosen = f
        .lessons
        .iter()
        .position(|l| l.name == "cancel-never-succeeds")
        .expect("a cancel that never succeeds");
    let lesson = f.lessons[chosen].clone();
    for _ in 0..chosen {
        press(&mut a, KeyCode::Down);
    }
    press(&mut a, KeyCode::Enter);
    let p = a.player.playback.as_ref().unwrap();
    assert_eq!(
        p.branch_len(),
        lesson.depth(),
        "the whole path is the branch"
    );
    assert_eq!(
        p.left_script_at(),
        Some(0),
        "it left the script where X was pressed"
    );
    // The same actions, each as the cart's buyer (the UI names the actor it acts as).
    let what = |a: &Action| (a.kind(), a.cart().map(str::to_string));
    let played: Vec<_> = p.played().iter().map(|e| what(&e.action)).collect();
    let path: Vec<_> = lesson.actions.iter().map(what).collect();
    assert_eq!(played, path);
    // The last DELETE is refused: the refusal popup shows it.
    assert!(matches!(a.popup, Some(Popup::Refusal(_))), "{:?}", a.popup);
}

/// Esc while a search runs stops it: the run loop is told, and other keys wait.
#[test]
fn keys_wait_while_explore_runs_and_esc_stops_it() {
    let mut a = app("01-");
    a.exploring = Some(Default::default());
    let before = cursor(&a);
    let effects = a.update(Msg::Key(KeyEvent::new(KeyCode::Right, KeyModifiers::NONE)));
    assert!(effects.is_empty());
    assert_eq!(cursor(&a), before, "no step while the search runs");
    let effects = a.update(Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));
    assert_eq!(effects, vec![cartsim::tui::effect::Effect::StopExplore]);
    assert!(a.exploring.is_some(), "it waits for what was found so far");
}

/// A finding the state on screen already shows has no action to play: Enter says so.
#[test]
fn a_finding_found_here_already_says_so_instead_of_playing_nothing() {
    let mut a = quiet("41-");
    press(&mut a, KeyCode::Right);
    press(&mut a, KeyCode::Char('X'));
    let Some(Popup::Findings(f)) = &a.popup else {
        panic!("no findings: {:?}", a.status)
    };
    assert_eq!(f.lessons[0].depth(), 0, "{:?}", f.lessons[0]);
    let before = cursor(&a);
    press(&mut a, KeyCode::Enter);
    assert_eq!(cursor(&a), before);
    assert!(a.popup.is_none());
    assert!(
        a.status
            .as_deref()
            .unwrap_or("")
            .contains("already shows it")
    );
}
