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

/// How many states a search of `root` visits (what each timed run computes).
fn explored(root: &World, config: &Config, stop: &AtomicBool) -> usize {
    explore::explore(root, config, stop, &mut |_| {})
        .expect("explores")
        .progress
        .states
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
            b.iter(|| black_box(explored(&root, &config, &stop)))
        });
        let quick = Config {
            lookahead: 0,
            ..config.clone()
        };
        group.bench_function(format!("{prefix} fingerprints, no look-ahead"), |b| {
            b.iter(|| black_box(explored(&root, &quick, &stop)))
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

/// The goal: distinct states per second on one core, on every curriculum world.
const GOAL: f64 = 200_000.0;

/// States per second of every built-in scenario's search (depth 8, at most 100,000
/// states, one thread, as `cartsim explore FILE --max-states 100000 --jobs 1` runs it),
/// in this process: the median of repeated runs (at least three, and for a quarter of a
/// second), so that each figure is the search's own speed rather than the first touch
/// of a fresh process's code and memory. Prints one line per world and how many meet
/// the goal; criterion then times the slowest world's search.
fn bench_curriculum(c: &mut Criterion) {
    let stop = AtomicBool::new(false);
    let config = Config {
        max_states: Some(100_000),
        ..Config::default()
    };
    let mut slowest: Option<(f64, &str)> = None;
    let mut met = 0;
    for b in BUILTIN {
        let root = load_bytes(b.name, b.text.as_bytes()).expect("loads").world;
        let mut rates = Vec::new();
        let began = std::time::Instant::now();
        while rates.len() < 3 || (began.elapsed().as_secs_f64() < 0.25 && rates.len() < 200) {
            let t = std::time::Instant::now();
            let report = explore::explore(&root, &config, &stop, &mut |_| {}).expect("explores");
            rates.push(report.progress.states as f64 / t.elapsed().as_secs_f64());
        }
        rates.sort_by(f64::total_cmp);
        let median = rates[rates.len() / 2];
        met += usize::from(median >= GOAL);
        if slowest.is_none_or(|(r, _)| median < r) {
            slowest = Some((median, b.name));
        }
        println!(
            "curriculum {}: {:.0} states per second (median of {} runs){}",
            b.name,
            median,
            rates.len(),
            if median >= GOAL {
                ""
            } else {
                ", below the goal"
            }
        );
    }
    println!(
        "curriculum: {met} of {} worlds at least {GOAL:.0} states per second",
        BUILTIN.len()
    );
    let Some((_, name)) = slowest else { return };
    let root = world(name);
    let mut group = c.benchmark_group("explore curriculum");
    group.sample_size(10);
    group.bench_function(format!("slowest, {name}"), |b| {
        b.iter(|| black_box(explored(&root, &config, &stop)))
    });
    group.finish();
}

criterion_group!(benches, bench_explore, bench_curriculum);
criterion_main!(benches);
