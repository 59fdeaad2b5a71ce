//! Rendering cost of one full frame into a 200x50 TestBackend buffer, mid-animation,
//! with a long event log: the work the run loop does on every frame tick.

use cartsim::scenario::{builtin::BUILTIN, load_bytes};
use cartsim::tui::app::{App, Msg};
use cartsim::tui::theme::Theme;
use cartsim::tui::view;
use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::hint::black_box;
use std::time::Duration;

fn frame(c: &mut Criterion) {
    let b = BUILTIN
        .iter()
        .find(|b| b.name.starts_with("01-"))
        .expect("built-in 01");
    let scenario = load_bytes(b.name, b.text.as_bytes()).expect("loads");
    let mut app = App::new(vec![scenario], Theme::COLOR);
    app.now = Duration::from_secs(1);
    for _ in 0..5 {
        app.update(Msg::Key(KeyEvent::new(KeyCode::Right, KeyModifiers::NONE)));
    }
    // Mid-transition: highlights and gliding progress bars are drawn.
    app.now += Duration::from_millis(300);
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).expect("backend");
    c.bench_function("full frame 200x50", |bench| {
        bench.iter(|| {
            terminal
                .draw(|f| view::draw(f, black_box(&app)))
                .expect("draw");
        })
    });
}

criterion_group!(benches, frame);
criterion_main!(benches);
