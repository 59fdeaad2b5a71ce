//! A small screen (80x24, the smallest the UI draws in) keeps in view what a step is
//! about: the selected cart's records, the fields the step changed (a step that changes
//! more than the pane's eight rows hold says how many more, on the pane's border), and,
//! while a Cart Calculate runs, the calculator it is in. Checked on every step of the
//! LWR scenarios 41 to 47, then snapshotted at 80x24 and 120x40.

mod common;

use cartsim::engine::OperationStatus;
use cartsim::tui::app::{App, Msg};
use cartsim::tui::popup::Popup;
use cartsim::tui::theme::Theme;
use cartsim::tui::view;
use common::builtin;
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

/// The rows of the three record panes (the screen between their top and bottom
/// borders), so that what the log says does not count as shown.
fn panes(screen: &str) -> String {
    screen
        .lines()
        .skip_while(|l| !l.contains("┌ Carts"))
        .skip(1)
        .take_while(|l| !l.starts_with("\"└"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The panes' bottom border row.
fn bottom_border(screen: &str) -> String {
    screen
        .lines()
        .skip_while(|l| !l.contains("┌ Carts"))
        .find(|l| l.starts_with("\"└"))
        .unwrap_or_default()
        .to_string()
}

/// The session pane's column of the panes' rows.
fn session_pane(panes: &str) -> String {
    panes
        .lines()
        .map(|l| {
            let cells: Vec<&str> = l.split('│').collect();
            // "│ carts │" "│ sessions │" "│ operations │": the sessions are the 4th cell.
            cells.get(3).copied().unwrap_or_default().to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_step_of_the_lwr_scenarios_keeps_its_changes_and_calculator_in_view_at_80x24() {
    for prefix in ["41-", "42-", "43-", "44-", "45-", "46-", "47-"] {
        let mut app = App::new(vec![builtin(prefix)], Theme::MONO);
        press(&mut app, KeyCode::Char('E'));
        let steps = app.player.playback.as_ref().unwrap().step_count();
        for step in 1..=steps {
            press(&mut app, KeyCode::Right);
            // The animation over: what stays is the • mark on each changed field.
            app.now += Duration::from_secs(30);
            if matches!(app.popup, Some(Popup::Refusal(_))) {
                press(&mut app, KeyCode::Esc);
            }
            let screen = render(&app, 80, 24);
            let shown = panes(&screen);
            let large = panes(&render(&app, 120, 40));
            let sessions = session_pane(&shown);
            let p = app.player.playback.as_ref().unwrap();
            let entry = p.played().last().unwrap();
            let world = p.world();
            let cart = app.player.selected_cart().unwrap();
            let session = world.active_session(&cart).map(|s| s.id).or_else(|| {
                world
                    .sessions()
                    .iter()
                    .rev()
                    .find(|s| s.cart == cart)
                    .map(|s| s.id)
            });
            let at = format!("{prefix} step {step} at 80x24");
            assert!(shown.contains(&cart), "{at}: the cart {cart}\n{screen}");
            if let Some(id) = &session {
                assert!(sessions.contains(id.as_str()), "{at}: {id}\n{screen}");
            }
            // Every field the step changed on the cart, its session or the session's
            // delivery group that a large screen shows; a group's field with the group.
            let group = session
                .as_deref()
                .and_then(|id| world.delivery_group_of_session(id))
                .map(|g| g.id);
            let mut missing = 0;
            let mut changed = 0;
            for change in &entry.outcome.changes {
                let Some(field) = change.field else { continue };
                let in_group = group.is_some_and(|g| change.record == g);
                let ours = change.record == cart
                    || session.is_some_and(|s| change.record == s)
                    || in_group;
                if !ours || field.starts_with('~') || !large.contains(field) {
                    continue;
                }
                changed += 1;
                if !shown.contains(field) {
                    missing += 1;
                    continue;
                }
                if in_group {
                    assert!(
                        sessions.contains(&change.record),
                        "{at}: {}.{field} is shown without its record\n{screen}",
                        change.record
                    );
                }
            }
            // A change that does not fit (only a step that changes more than the eight
            // rows hold) is counted on the pane's border, with the keys that show it.
            let said: usize = bottom_border(&screen)
                .split(" +")
                .skip(1)
                .filter_map(|t| t.split(' ').next()?.parse::<usize>().ok())
                .sum();
            assert_eq!(said, missing, "{at}: changes out of view, said\n{screen}");
            assert!(
                missing == 0 || changed >= 5,
                "{at}: {missing} of {changed} changes out of view\n{screen}"
            );
            // The calculator of a running Cart Calculate.
            let running = session
                .as_deref()
                .and_then(|id| world.session(id))
                .and_then(|s| s.background_operation_id.as_deref())
                .and_then(|op| world.operation(op))
                .is_some_and(|op| op.status == OperationStatus::Running);
            if running {
                assert!(
                    sessions.contains("~calculator"),
                    "{at}: the running calculator\n{screen}"
                );
            }
        }
    }
}

#[test]
fn an_lwr_calculation_at_80x24_and_120x40() {
    for (w, h) in [(80, 24), (120, 40)] {
        // Scenario 41 after its PUT: the Cart Calculate runs, in Pricing.
        let mut app = App::new(vec![builtin("41-")], Theme::MONO);
        app.now = Duration::from_secs(10);
        press(&mut app, KeyCode::Char('E'));
        press(&mut app, KeyCode::Right);
        app.now = Duration::from_secs(30);
        let screen = render(&app, w, h);
        let sessions = session_pane(&panes(&screen));
        assert!(sessions.contains("~calculator"), "{screen}");
        assert!(sessions.contains("Pricing"), "{screen}");
        assert!(sessions.contains("•BackgroundOperationId"), "{screen}");
        insta::assert_snapshot!(format!("lwr_calculating_{w}x{h}"), screen);
        // The network view of scenario 44 (its payments), bodies wrapped between items.
        let mut app = App::new(vec![builtin("44-")], Theme::MONO);
        press(&mut app, KeyCode::Char('E'));
        press(&mut app, KeyCode::End);
        press(&mut app, KeyCode::Char('N'));
        let screen = render(&app, w, h);
        let Some(Popup::Text(text)) = &app.popup else {
            panic!("the network view: {:?}", app.popup)
        };
        // Every word on the popup's rows is a whole word of the view: a body wraps
        // between its items, never inside one.
        let mut words: Vec<String> = text
            .plain()
            .iter()
            .flat_map(|l| l.split_whitespace().map(str::to_string).collect::<Vec<_>>())
            .collect();
        words.extend(
            "Enter/Esc close · ↑↓ PgUp/PgDn scroll"
                .split_whitespace()
                .map(str::to_string),
        );
        let width = 100.min(w as usize - 4);
        let x = (w as usize - width) / 2;
        // Page by page from the newest call up to the first.
        let mut page = screen.clone();
        loop {
            let mut rows = 0;
            for line in page.lines() {
                let cells: Vec<char> = line.trim_matches('"').chars().collect();
                if cells.get(x) != Some(&'│') {
                    continue;
                }
                let inside: String = cells[x + 1..x + width - 1].iter().collect();
                for word in inside.split_whitespace() {
                    assert!(
                        words.iter().any(|w| w == word),
                        "{word:?} is a piece of a word, cut across lines:\n{page}"
                    );
                }
                rows += 1;
            }
            assert!(rows > 10, "{page}");
            let Some(Popup::Text(text)) = &app.popup else {
                panic!()
            };
            if text.scroll == 0 {
                break;
            }
            press(&mut app, KeyCode::PageUp);
            page = render(&app, w, h);
        }
        insta::assert_snapshot!(format!("network_bodies_{w}x{h}"), screen);
    }
}
