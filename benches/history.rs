//! How moving through the history costs as it grows: the player's End, Home, End again,
//! jumps and one step back, as the UI does them ([`Playback`]), over histories of 1,000
//! to 1,000,000 steps. Two families:
//!
//! - `sizes`: [`BENCH_SIZES`], steps and records growing together (1,000 steps over 10
//!   records to 1,000,000 steps over 10,000 records);
//! - `length`: the history alone growing: 1,000 carts, one checkout action every 300
//!   steps (the records the checkouts add grow with it).
//!
//! Each size prints a `summary` line: the first End (every step played and recorded),
//! Home, End after Home and its ratio to the first End, the median and 99th percentile
//! of 200 jumps to pseudo-random steps, and the median and 99th percentile of one step
//! back from 200 such steps and from the end. Each family ends with the fitted exponent
//! (least squares of log time over log steps) of every figure.
//! `CARTSIM_BENCH_MAX_STEPS=100000` limits the sizes.

use cartsim::player::playback::Playback;
use cartsim::scenario::generate::{BENCH_SIZES, Spec, generate};
use cartsim::scenario::load_bytes;
use std::time::{Duration, Instant};

fn timed(f: impl FnOnce()) -> Duration {
    let t = Instant::now();
    f();
    t.elapsed()
}

fn quantile(times: &mut [Duration], q: f64) -> Duration {
    times.sort();
    times[((times.len() - 1) as f64 * q) as usize]
}

/// The slope of log(y) over log(x), by least squares.
fn exponent(points: &[(usize, Duration)]) -> f64 {
    let xy: Vec<(f64, f64)> = points
        .iter()
        .map(|(x, y)| ((*x as f64).ln(), y.as_secs_f64().max(1e-9).ln()))
        .collect();
    let n = xy.len() as f64;
    let (sx, sy) = xy.iter().fold((0.0, 0.0), |a, p| (a.0 + p.0, a.1 + p.1));
    let (mx, my) = (sx / n, sy / n);
    let num: f64 = xy.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let den: f64 = xy.iter().map(|p| (p.0 - mx) * (p.0 - mx)).sum();
    if den == 0.0 { 0.0 } else { num / den }
}

#[derive(Default)]
struct Figures {
    end: Vec<(usize, Duration)>,
    end_again: Vec<(usize, Duration)>,
    seek: Vec<(usize, Duration)>,
    back: Vec<(usize, Duration)>,
}

fn measure(family: &str, label: &str, spec: Spec, figures: &mut Figures) {
    let text = generate(spec);
    let s = load_bytes("generated.json", text.as_bytes()).expect("generated scenarios load");
    drop(text);
    let steps = spec.steps;
    let mut p = Playback::new(s);
    let end = timed(|| p.end());
    assert_eq!(p.timeline().cursor(), steps);
    let home = timed(|| p.home());
    let end_again = timed(|| p.end());
    assert_eq!(p.timeline().cursor(), steps);
    // A fixed pseudo-random walk, so that runs are comparable.
    let mut target = 0usize;
    let mut next = move || {
        target = (target * 7919 + 104_729) % (steps + 1);
        target
    };
    let mut seeks: Vec<Duration> = (0..200)
        .map(|_| {
            let n = next();
            timed(|| p.goto(n))
        })
        .collect();
    let mut backs: Vec<Duration> = (0..200)
        .map(|_| {
            p.goto(next().max(1));
            timed(|| p.step_back())
        })
        .collect();
    let mut backs_at_end: Vec<Duration> = (0..51)
        .map(|_| {
            p.goto(steps);
            timed(|| p.step_back())
        })
        .collect();
    let seek = quantile(&mut seeks, 0.5);
    let back = quantile(&mut backs, 0.5);
    println!(
        "summary history {family} {label}: first End {end:?}, Home {home:?}, End after Home {end_again:?} ({:.2}x the first End); jump median {seek:?}, p99 {:?}; one step back median {back:?}, p99 {:?}, at the end {:?}; {} checkpoints, {} of {steps} entries changed records",
        end_again.as_secs_f64() / end.as_secs_f64(),
        quantile(&mut seeks, 0.99),
        quantile(&mut backs, 0.99),
        quantile(&mut backs_at_end, 0.5),
        p.timeline().checkpoint_count(),
        p.timeline().changing_count(),
    );
    figures.end.push((steps, end));
    figures.end_again.push((steps, end_again));
    figures.seek.push((steps, quantile(&mut seeks, 0.99)));
    figures.back.push((steps, quantile(&mut backs, 0.99)));
}

fn report(family: &str, f: &Figures) {
    if f.end.len() < 2 {
        return;
    }
    println!(
        "summary history {family} exponents: first End {:.2}, End after Home {:.2}, jump p99 {:.2}, one step back p99 {:.2}",
        exponent(&f.end),
        exponent(&f.end_again),
        exponent(&f.seek),
        exponent(&f.back)
    );
}

fn main() {
    // `cargo bench` passes `--bench`; this binary measures once and needs no arguments.
    let max = std::env::var("CARTSIM_BENCH_MAX_STEPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(usize::MAX);
    let mut sizes = Figures::default();
    for (steps, records) in BENCH_SIZES.iter().copied().filter(|(s, _)| *s <= max) {
        let label = format!("{steps} steps, {records} records");
        measure("sizes", &label, Spec::sized(steps, records), &mut sizes);
    }
    report("sizes", &sizes);
    let mut length = Figures::default();
    for steps in [1_000, 10_000, 100_000, 1_000_000]
        .into_iter()
        .filter(|s| *s <= max)
    {
        let spec = Spec {
            steps,
            carts: 1_000,
            sparsity: 300,
            seed: 1,
        };
        let label = format!("{steps} steps, 1000 carts");
        measure("length", &label, spec, &mut length);
    }
    report("length", &length);
}
