//! Engine speed: playing scenarios, loading files, and scrubbing a long history.

use cartsim::engine::{Action, Quantity};
use cartsim::player::{Origin, Timeline, play_headless};
use cartsim::scenario::builtin::BUILTIN;
use cartsim::scenario::load_bytes;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn load_all() -> Vec<cartsim::scenario::Scenario> {
    BUILTIN
        .iter()
        .map(|b| load_bytes(b.name, b.text.as_bytes()).expect("built-in scenarios load"))
        .collect()
}

fn bench_play(c: &mut Criterion) {
    let scenarios = load_all();
    c.bench_function("play every built-in scenario headless", |b| {
        b.iter(|| {
            for s in &scenarios {
                black_box(play_headless(s));
            }
        })
    });
    let first = &BUILTIN[0];
    c.bench_function("load and validate 01-happy-path.json", |b| {
        b.iter(|| black_box(load_bytes(first.name, first.text.as_bytes()).is_ok()))
    });
}

/// A 10,000-step history of checkouts, cancels, adds and waits.
fn long_timeline() -> Timeline {
    let scenario = load_all().remove(0);
    let mut timeline = Timeline::new(scenario.world);
    let cart = "cart-1".to_string();
    for i in 0..10_000 {
        let action = match i % 5 {
            0 => Action::StartCheckout {
                cart: cart.clone(),
                actor: None,
            },
            1 | 3 => Action::Wait { ticks: 1 },
            2 => Action::AddToCart {
                cart: cart.clone(),
                sku: "BOLT-10".into(),
                quantity: Quantity::Whole(1),
                actor: None,
            },
            _ => Action::Cancel {
                cart: cart.clone(),
                actor: None,
            },
        };
        timeline.push("step", action, Origin::Branch);
    }
    timeline
}

fn bench_scrub(c: &mut Criterion) {
    let mut timeline = long_timeline();
    let mut target = 0usize;
    c.bench_function("seek to a random step of a 10,000-step history", |b| {
        b.iter(|| {
            // A fixed pseudo-random walk so runs are comparable.
            target = (target * 7919 + 104_729) % 10_000;
            timeline.seek(black_box(target));
        })
    });
    c.bench_function(
        "step back one step at the end of a 10,000-step history",
        |b| {
            b.iter(|| {
                timeline.seek(10_000);
                timeline.seek(black_box(9_999));
            })
        },
    );
}

criterion_group!(benches, bench_play, bench_scrub);
criterion_main!(benches);
