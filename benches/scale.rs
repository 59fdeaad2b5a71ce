//! How cost grows with the work, over the generated sizes of
//! [`cartsim::scenario::generate::BENCH_SIZES`] (1,000 steps over 10 records to
//! 1,000,000 steps over 10,000 records):
//!
//! - `play`: headless play of the whole file (criterion reports steps per second);
//! - `run`: what `cartsim run FILE` does (load, validate, play, transcript) next to
//!   serde_json parsing the same bytes into a `Value`;
//! - `seek`: a jump to a pseudo-random step of the history, and one step back at its end.
//!
//! After criterion's own report, each size prints a `summary` line with the ratios the
//! README quotes: run time over parse time, and the median and 99th percentile of 1,000
//! timed seeks. `CARTSIM_BENCH_MAX_STEPS=10000` limits the sizes while iterating.

use cartsim::cli::render;
use cartsim::cli::transcript::Tally;
use cartsim::player::{Origin, Timeline, play_headless};
use cartsim::scenario::generate::{BENCH_SIZES, Spec, generate};
use cartsim::scenario::{Scenario, load_bytes};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::{Duration, Instant};

fn sizes() -> Vec<(usize, usize)> {
    let max = std::env::var("CARTSIM_BENCH_MAX_STEPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(usize::MAX);
    BENCH_SIZES
        .iter()
        .copied()
        .filter(|(steps, _)| *steps <= max)
        .collect()
}

fn label(steps: usize, records: usize) -> String {
    format!("{steps} steps, {records} records")
}

fn scenario(text: &str) -> Scenario {
    load_bytes("generated.json", text.as_bytes()).expect("generated scenarios load")
}

fn median_of(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn play(c: &mut Criterion) {
    let mut group = c.benchmark_group("play");
    group.sample_size(10);
    for (steps, records) in sizes() {
        let s = scenario(&generate(Spec::sized(steps, records)));
        group.throughput(Throughput::Elements(steps as u64));
        group.bench_function(BenchmarkId::from_parameter(label(steps, records)), |b| {
            b.iter(|| black_box(play_headless(&s)))
        });
    }
    group.finish();
}

fn run(c: &mut Criterion) {
    let mut group = c.benchmark_group("run");
    group.sample_size(10);
    for (steps, records) in sizes() {
        let text = generate(Spec::sized(steps, records));
        let bytes = text.as_bytes();
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        let parse = || black_box(serde_json::from_slice::<serde_json::Value>(bytes).is_ok());
        let run = || {
            let s = load_bytes("generated.json", bytes).expect("loads");
            let mut tally = Tally::default();
            black_box(render(&s, false, &mut tally).len())
        };
        group.bench_function(
            BenchmarkId::new("serde_json parse", label(steps, records)),
            |b| b.iter(parse),
        );
        group.bench_function(
            BenchmarkId::new("cartsim run", label(steps, records)),
            |b| b.iter(run),
        );
        let time = |f: &dyn Fn() -> bool| {
            median_of(
                (0..5)
                    .map(|_| {
                        let t = Instant::now();
                        f();
                        t.elapsed()
                    })
                    .collect(),
            )
        };
        let parsed = time(&|| parse());
        let ran = time(&|| run() > 0);
        println!(
            "summary run {}: {} bytes, parse {:?}, run {:?}, run/parse {:.1}x",
            label(steps, records),
            bytes.len(),
            parsed,
            ran,
            ran.as_secs_f64() / parsed.as_secs_f64()
        );
    }
    group.finish();
}

/// The history of every step of the file, as the player records it.
fn timeline_of(s: &Scenario) -> Timeline {
    let mut timeline = Timeline::new(s.world.clone());
    for (i, step) in s.steps.iter().enumerate() {
        timeline.push(step.kind, step.action.clone(), Origin::Script(i));
    }
    timeline
}

fn seek(c: &mut Criterion) {
    let mut group = c.benchmark_group("seek");
    for (steps, records) in sizes() {
        let s = scenario(&generate(Spec::sized(steps, records)));
        let mut timeline = timeline_of(&s);
        let mut target = 0usize;
        // A fixed pseudo-random walk, so that runs are comparable.
        let mut next = move || {
            target = (target * 7919 + 104_729) % (steps + 1);
            target
        };
        group.bench_function(
            BenchmarkId::new("to a random step", label(steps, records)),
            |b| b.iter(|| timeline.seek(black_box(next()))),
        );
        group.bench_function(
            BenchmarkId::new("one step back at the end", label(steps, records)),
            |b| {
                b.iter_custom(|iters| {
                    let mut total = Duration::ZERO;
                    for _ in 0..iters {
                        timeline.seek(steps);
                        let t = Instant::now();
                        timeline.seek(black_box(steps - 1));
                        total += t.elapsed();
                    }
                    total
                })
            },
        );
        let mut times: Vec<Duration> = (0..1_000)
            .map(|_| {
                let n = next();
                let t = Instant::now();
                timeline.seek(n);
                t.elapsed()
            })
            .collect();
        times.sort();
        let back = median_of(
            (0..101)
                .map(|_| {
                    timeline.seek(steps);
                    let t = Instant::now();
                    timeline.seek(steps - 1);
                    t.elapsed()
                })
                .collect(),
        );
        println!(
            "summary seek {}: median {:?}, p99 {:?}, max {:?}; one step back at the end {:?}; {} checkpoints",
            label(steps, records),
            times[times.len() / 2],
            times[times.len() * 99 / 100],
            times[times.len() - 1],
            back,
            timeline.checkpoint_count()
        );
    }
    group.finish();
}

criterion_group!(benches, play, run, seek);
criterion_main!(benches);
