//! Rendering cost of one full frame into a 200x50 TestBackend buffer: the work the run
//! loop does on every frame tick.
//!
//! - `full frame 200x50`: a built-in scenario mid-animation;
//! - `frame`: at the end of the generated files of
//!   [`cartsim::scenario::generate::BENCH_SIZES`] (up to a 1,000,000-step history over
//!   10,000 records), next to a bare ratatui `Table` holding the same 50 visible rows in
//!   the same buffer; a `summary` line prints the ratio the README quotes.
//!
//! `CARTSIM_BENCH_MAX_STEPS=10000` limits the sizes while iterating.

use cartsim::scenario::generate::{BENCH_SIZES, Spec, generate};
use cartsim::scenario::{builtin::BUILTIN, load_bytes};
use cartsim::tui::app::{App, Msg};
use cartsim::tui::theme::Theme;
use cartsim::tui::view;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Constraint;
use ratatui::widgets::{Row, Table};
use std::hint::black_box;
use std::time::{Duration, Instant};

fn frame(c: &mut Criterion) {
    let b = BUILTIN
        .iter()
        .find(|b| b.name.starts_with("01-"))
        .expect("built-in 01");
    let scenario = load_bytes(b.name, b.text.as_bytes()).expect("loads");
    let mut app = App::new(vec![scenario], Theme::COLOR);
    app.now = Duration::from_secs(1);
    for _ in 0..5 {
        let _ = app.update(Msg::Key(KeyEvent::new(KeyCode::Right, KeyModifiers::NONE)));
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

/// The rows of a drawn screen, as text.
fn screen_rows(terminal: &Terminal<TestBackend>) -> Vec<String> {
    let buffer = terminal.backend().buffer();
    (0..buffer.area.height)
        .map(|y| {
            (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect()
        })
        .collect()
}

fn frame_at_scale(c: &mut Criterion) {
    let max = std::env::var("CARTSIM_BENCH_MAX_STEPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(usize::MAX);
    let mut group = c.benchmark_group("frame");
    for (steps, records) in BENCH_SIZES.iter().copied().filter(|(s, _)| *s <= max) {
        let label = format!("{steps} steps, {records} records");
        let text = generate(Spec::sized(steps, records));
        let scenario = load_bytes("generated.json", text.as_bytes()).expect("loads");
        drop(text);
        let mut app = App::new(vec![scenario], Theme::COLOR);
        if let Some(p) = app.player.playback.as_mut() {
            p.end();
        }
        app.now = Duration::from_secs(1);
        let mut terminal = Terminal::new(TestBackend::new(200, 50)).expect("backend");
        terminal.draw(|f| view::draw(f, &app)).expect("draw");
        let rows = screen_rows(&terminal);
        let table = || {
            Table::new(
                rows.iter().map(|r| Row::new([r.as_str()])),
                [Constraint::Fill(1)],
            )
        };
        group.bench_function(BenchmarkId::new("cartsim", &label), |b| {
            b.iter(|| {
                terminal
                    .draw(|f| view::draw(f, black_box(&app)))
                    .expect("draw");
            })
        });
        group.bench_function(BenchmarkId::new("bare Table", &label), |b| {
            b.iter(|| {
                terminal
                    .draw(|f| f.render_widget(black_box(table()), f.area()))
                    .expect("draw");
            })
        });
        let mut time = |draw: &mut dyn FnMut(&mut Terminal<TestBackend>)| {
            let mut times: Vec<Duration> = (0..201)
                .map(|_| {
                    let t = Instant::now();
                    draw(&mut terminal);
                    t.elapsed()
                })
                .collect();
            times.sort();
            times[times.len() / 2]
        };
        let ours = time(&mut |t| {
            t.draw(|f| view::draw(f, &app)).expect("draw");
        });
        let bare = time(&mut |t| {
            t.draw(|f| f.render_widget(table(), f.area()))
                .expect("draw");
        });
        println!(
            "summary frame {label}: cartsim {ours:?}, bare Table {bare:?}, ratio {:.2}x",
            ours.as_secs_f64() / bare.as_secs_f64()
        );
    }
    group.finish();
}

criterion_group!(benches, frame, frame_at_scale);
criterion_main!(benches);
