//! Explore's speed: breadth first with 64-bit fingerprints and parent links, against a
//! plain exhaustive search that keeps every state whole in a set (its Debug text) and
//! every path beside it.

use cartsim::engine::World;
use cartsim::explore::{self, Config};
use cartsim::scenario::builtin::BUILTIN;
use cartsim::scenario::load_bytes;
use criterion::{Criterion, criterion_group, criterion_main};
use std::collections::{HashSet, VecDeque};
use std::hint::black_box;
use std::sync::atomic::AtomicBool;

fn world(prefix: &str) -> World {
    let b = BUILTIN
        .iter()
        .find(|b| b.name.starts_with(prefix))
        .expect("built-in");
    load_bytes(b.name, b.text.as_bytes()).expect("loads").world
}

/// The plain search: a set of whole states (without the clock) and a queue of
/// (world, path) pairs. Returns the states and the bytes its set holds per state.
fn plain(root: &World, config: &Config) -> (usize, usize) {
    let letters = explore::alphabet(root, config).expect("an alphabet");
    let key = |w: &World| {
        let mut text = format!("{:?}", w.carts());
        for s in w.sessions() {
            let mut s = s.clone();
            s.started_at = 0;
            text.push_str(&format!("{s:?}"));
        }
        for o in w.operations() {
            // The work left counts (as explore's fingerprint counts it), not the
            // instants it is reckoned from.
            text.push_str(&format!("left {} ", w.ticks_left(o)));
            let mut o = o.clone();
            o.submitted_at = 0;
            o.started_at = None;
            o.finished_at = None;
            o.ended_at = None;
            text.push_str(&format!("{o:?}"));
        }
        text.push_str(&format!(
            "{:?}{:?}{:?}{:?}",
            w.orders(),
            w.validation_outputs(),
            w.delivery_groups(),
            w.payment_authorizations()
        ));
        text
    };
    let mut seen: HashSet<String> = HashSet::from([key(root)]);
    let mut queue: VecDeque<(World, Vec<usize>)> = VecDeque::from([(root.clone(), Vec::new())]);
    while let Some((w, path)) = queue.pop_front() {
        if path.len() == config.depth {
            continue;
        }
        for (i, letter) in letters.iter().enumerate() {
            let mut child = w.clone();
            child.apply(&letter.action);
            if seen.insert(key(&child)) {
                let mut p = path.clone();
                p.push(i);
                queue.push_back((child, p));
            }
        }
    }
    let bytes: usize = seen.iter().map(|k| k.capacity() + 24).sum();
    (seen.len(), bytes / seen.len().max(1))
}

fn bench_explore(c: &mut Criterion) {
    let mut group = c.benchmark_group("explore depth 6");
    group.sample_size(10);
    for prefix in ["01-", "40-"] {
        let root = world(prefix);
        let config = Config {
            depth: 6,
            ..Config::default()
        };
        let stop = AtomicBool::new(false);
        group.bench_function(format!("{prefix} fingerprints"), |b| {
            b.iter(|| {
                black_box(
                    explore::explore(&root, &config, &stop, &mut |_| {})
                        .expect("explores")
                        .progress
                        .states,
                )
            })
        });
        let quick = Config {
            lookahead: 0,
            ..config.clone()
        };
        group.bench_function(format!("{prefix} fingerprints, no look-ahead"), |b| {
            b.iter(|| {
                black_box(
                    explore::explore(&root, &quick, &stop, &mut |_| {})
                        .expect("explores")
                        .progress
                        .states,
                )
            })
        });
        group.bench_function(format!("{prefix} whole states"), |b| {
            b.iter(|| black_box(plain(&root, &config)))
        });
        let ours = explore::explore(&root, &config, &stop, &mut |_| {}).expect("explores");
        let (states, bytes) = plain(&root, &config);
        assert_eq!(
            states, ours.progress.states,
            "both searches see the same states"
        );
        println!(
            "summary {prefix}: {states} states; bytes per visited state: fingerprints {:.1}, whole states {bytes}",
            ours.progress.bytes_per_state()
        );
    }
    group.finish();
}

criterion_group!(benches, bench_explore);
criterion_main!(benches);
