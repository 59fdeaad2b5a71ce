//! The shape of the costs: each family grows ONE dimension of the work at real sizes,
//! with everything else fixed, and prints every figure with the exponent fitted to it
//! (least squares on log(cost) against log(size): 1 is linear, 2 quadratic) and its
//! ratio to a serde_json parse of the same file into a `Value`.
//!
//! Families (the generators are in `cartsim::scenario::generate`):
//! - `steps, sparse`: 100 carts, one checkout action every 300 steps (waits between);
//! - `steps, churn`: 100 carts, every step a checkout action;
//! - `carts`: 20,000 steps, one action every 4, over more and more carts;
//! - `states per flow`: 100 carts start checkout on an N-state flow, then one `settle`;
//! - `operations alive`: N checkouts whose operation runs throughout 1,000 waits;
//! - `sessions per cart`: one cart with N archived checkouts, then 1,000 steps on it;
//! - `diagnose records`: `cartsim diagnose` of an export of N carts (6 JSON files);
//! - `history`: the UI's timeline of a sparse file of N steps: a seek to a random
//!   step, one step back at the end, End after Home, and bytes of history per step.
//!
//! `check` is loading and validating (`cartsim check`), `run --quiet` is what
//! `cartsim run --quiet` does (load, then one pass that plays and checks). After the
//! families, the goals are listed as met or not met. Then criterion times the
//! smallest size of each family, for comparing runs.
//!
//! `cargo bench --bench shape` runs everything (several minutes; the 1M-step sizes
//! dominate). `CARTSIM_BENCH_MAX_STEPS=100000` leaves out every size whose file holds
//! more steps or records than that. Memory is counted by a global allocator that tallies
//! live bytes and their peak, so those figures are exact; timings are medians of up to
//! five runs (one for a run over a second). A family stops growing once one measurement
//! takes over 20 s (`CARTSIM_BENCH_BUDGET_SECS`), and says which sizes it left out.
//! `CARTSIM_BENCH_FAMILIES=churn,diagnose` measures only the families whose names
//! contain one of those words (the 1M-step `check` memory is the family `big check`),
//! and leaves out criterion's timings.

use cartsim::diagnose::{Input, Options, diagnose, explain, rebuild_inputs};
use cartsim::player::headless::{Detail, play_unplayed};
use cartsim::player::{Origin, Timeline};
use cartsim::scenario::generate::{
    Spec, alive_operations, cart_history, diagnose_export, flow_settle, generate,
};
use cartsim::scenario::load::load_unplayed;
use cartsim::scenario::load_bytes;
use criterion::Criterion;
use std::hint::black_box;
use std::time::{Duration, Instant};

#[path = "../tests/common/counting.rs"]
mod counting;

#[global_allocator]
static ALLOCATOR: counting::Counting = counting::Counting;

/// The most steps (or records) a generated file may hold in this run.
fn max_work() -> usize {
    std::env::var("CARTSIM_BENCH_MAX_STEPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(usize::MAX)
}

/// The longest one measurement of a family may take before its larger sizes are left
/// out (a super-linear path would otherwise run for hours): 20 s, or
/// `CARTSIM_BENCH_BUDGET_SECS`.
fn budget() -> Duration {
    Duration::from_secs(
        std::env::var("CARTSIM_BENCH_BUDGET_SECS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(20),
    )
}

/// Whether the family is measured in this run (`CARTSIM_BENCH_FAMILIES`, a comma list
/// of words; every family when unset).
fn wanted(family: &str) -> bool {
    match std::env::var("CARTSIM_BENCH_FAMILIES") {
        Ok(list) if !list.trim().is_empty() => list
            .split(',')
            .map(str::trim)
            .any(|word| !word.is_empty() && family.contains(word)),
        _ => true,
    }
}

/// Says that the sizes from `rest` on were left out, and why.
fn left_out(dimension: &str, rest: &[usize]) {
    if !rest.is_empty() {
        let sizes: Vec<String> = rest.iter().map(usize::to_string).collect();
        println!(
            "  {dimension} {}: not measured (the size before took over the budget of {} s)",
            sizes.join(", "),
            budget().as_secs()
        );
    }
}

/// The median time of `f`: five runs, or one when the first takes over a second.
fn time(mut f: impl FnMut()) -> Duration {
    let t = Instant::now();
    f();
    let first = t.elapsed();
    if first > Duration::from_secs(1) {
        return first;
    }
    let mut times = vec![first];
    for _ in 0..4 {
        let t = Instant::now();
        f();
        times.push(t.elapsed());
    }
    times.sort();
    times[times.len() / 2]
}

/// The slope of log(y) against log(x), by least squares.
fn exponent(points: &[(f64, f64)]) -> Option<f64> {
    let points: Vec<(f64, f64)> = points
        .iter()
        .filter(|(x, y)| *x > 0.0 && *y > 0.0)
        .map(|(x, y)| (x.ln(), y.ln()))
        .collect();
    if points.len() < 2 {
        return None;
    }
    let n = points.len() as f64;
    let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
    (sxx > 0.0).then(|| sxy / sxx)
}

fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1e3;
    if ms >= 100.0 {
        format!("{ms:.0} ms")
    } else if ms >= 1.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{:.1} µs", ms * 1e3)
    }
}

/// One measured quantity of a family: its name and (size, value) points.
struct Series {
    name: &'static str,
    points: Vec<(usize, Duration)>,
}

/// Prints a family: a row per size with each series and its ratio to the parse, then
/// the fitted exponent of each series.
fn print_family(
    family: &str,
    dimension: &str,
    sizes: &[(usize, usize)],
    parse: &[Duration],
    series: &[Series],
) -> Vec<(&'static str, Option<f64>)> {
    println!("\n== {family}: grows {dimension}");
    for (i, (size, bytes)) in sizes.iter().enumerate() {
        let mut row = format!(
            "  {dimension} {size:>9}  {:>6.2} MB  parse {:>9}",
            *bytes as f64 / 1e6,
            ms(parse[i])
        );
        for s in series {
            let d = s.points[i].1;
            row.push_str(&format!(
                "  {} {:>9} ({:.1}x parse)",
                s.name,
                ms(d),
                d.as_secs_f64() / parse[i].as_secs_f64()
            ));
        }
        println!("{row}");
    }
    let mut fits = Vec::new();
    let xs: Vec<f64> = sizes.iter().map(|(s, _)| *s as f64).collect();
    let parse_fit = exponent(
        &xs.iter()
            .zip(parse)
            .map(|(x, d)| (*x, d.as_secs_f64()))
            .collect::<Vec<_>>(),
    );
    let mut line = format!(
        "  exponent in {dimension}: parse {}",
        parse_fit.map_or("-".into(), |e| format!("{e:.2}"))
    );
    for s in series {
        let fit = exponent(
            &s.points
                .iter()
                .map(|(x, d)| (*x as f64, d.as_secs_f64()))
                .collect::<Vec<_>>(),
        );
        line.push_str(&format!(
            ", {} {}",
            s.name,
            fit.map_or("-".into(), |e| format!("{e:.2}"))
        ));
        fits.push((s.name, fit));
    }
    println!("{line}");
    fits
}

fn parse_time(text: &str) -> Duration {
    time(|| {
        black_box(serde_json::from_str::<serde_json::Value>(text).is_ok());
    })
}

fn check_time(text: &str) -> Duration {
    time(|| {
        black_box(load_bytes("generated.json", text.as_bytes()).is_ok());
    })
}

/// What `cartsim run --quiet` does: load with the paths left to the play, one pass.
fn run_quiet(text: &str) -> usize {
    let unplayed = load_unplayed("generated.json", text.as_bytes()).expect("generated loads");
    let mut checks = 0;
    play_unplayed(&unplayed, Detail::Checks, |r| checks += r.checks.len())
        .expect("generated plays");
    checks
}

fn run_quiet_time(text: &str) -> Duration {
    time(|| {
        black_box(run_quiet(text));
    })
}

/// What the goals need from the families.
#[derive(Default)]
struct Figures {
    /// Every fitted exponent: (family, series, exponent).
    exponents: Vec<(String, &'static str, Option<f64>)>,
    /// (what, measured ratio or figure, goal, unit) for the single goals.
    goals: Vec<(String, f64, f64, &'static str)>,
    /// Goals whose size was not measured, with why (and an extrapolation if any).
    unmeasured: Vec<String>,
}

/// A family of scenario files: parse, check and run --quiet at each size.
fn file_family(
    figures: &mut Figures,
    family: &str,
    dimension: &str,
    sizes: &[usize],
    work: impl Fn(usize) -> usize,
    file: impl Fn(usize) -> String,
    run: bool,
) {
    if !wanted(family) {
        return;
    }
    let max = max_work();
    let mut kept = Vec::new();
    let mut parse = Vec::new();
    let mut check = Series {
        name: "check",
        points: Vec::new(),
    };
    let mut quiet = Series {
        name: "run --quiet",
        points: Vec::new(),
    };
    let sizes: Vec<usize> = sizes.iter().copied().filter(|s| work(*s) <= max).collect();
    let mut rest: &[usize] = &[];
    for (i, &size) in sizes.iter().enumerate() {
        let text = file(size);
        kept.push((size, text.len()));
        parse.push(parse_time(&text));
        let checked = check_time(&text);
        check.points.push((size, checked));
        let mut slowest = checked;
        if run {
            let ran = run_quiet_time(&text);
            quiet.points.push((size, ran));
            slowest = slowest.max(ran);
        }
        if slowest > budget() {
            rest = &sizes[i + 1..];
            break;
        }
    }
    if kept.is_empty() {
        println!("\n== {family}: every size is over CARTSIM_BENCH_MAX_STEPS");
        return;
    }
    let series = if run { vec![check, quiet] } else { vec![check] };
    for (name, fit) in print_family(family, dimension, &kept, &parse, &series) {
        figures.exponents.push((family.to_string(), name, fit));
    }
    left_out(dimension, rest);
    for size in rest {
        let named = match family {
            "steps, churn" => *size == 10_000,
            "steps, sparse" => *size == 100_000 || *size == 800_000,
            "states per flow" => *size == 300,
            _ => false,
        };
        if named {
            figures.unmeasured.push(format!(
                "{family}, {size} {dimension}: not measured (a smaller size took over the budget)"
            ));
        }
    }
    // The single goals that name a size of this family.
    for (i, (size, _)) in kept.iter().enumerate() {
        let p = parse[i].as_secs_f64();
        let goal = |what: &str| format!("{what} ({family}, {size} {dimension})");
        let named = match family {
            "steps, churn" => *size == 10_000,
            "steps, sparse" => *size == 100_000 || *size == 800_000,
            _ => false,
        };
        if named {
            for s in &series {
                let limit = if s.name == "check" { 2.0 } else { 3.0 };
                let r = s.points[i].1.as_secs_f64() / p;
                figures
                    .goals
                    .push((goal(&format!("{} / parse", s.name)), r, limit, "x"));
            }
        }
        if family == "states per flow" && *size == 300 {
            let r = series[0].points[i].1.as_secs_f64() / p;
            figures
                .goals
                .push((goal("100-cart settle: check / parse"), r, 10.0, "x"));
        }
    }
}

/// What `cartsim diagnose DIR` does once the files are read: the inputs (copied here, as
/// the command holds what it read) are dropped as they are parsed, and each cart's text
/// is written as it is diagnosed (to nowhere).
fn diagnose_command(inputs: &[Input], options: &Options) -> bool {
    let Ok((rebuilt, notes)) = rebuild_inputs(inputs.to_vec(), options, false) else {
        return false;
    };
    let summary = explain::summary(&rebuilt, notes);
    explain::write_text(&rebuilt, &summary, &mut std::io::sink()).is_ok()
}

fn diagnose_family(figures: &mut Figures) {
    if !wanted("diagnose records") {
        return;
    }
    let max = max_work();
    let mut kept = Vec::new();
    let mut parse = Vec::new();
    let mut run = Series {
        name: "diagnose",
        points: Vec::new(),
    };
    // The same export with checkouts that expire at their deadline (edition 1): each
    // cart's time-to-live prediction then lets time run, on the cart alone.
    let mut eager = Series {
        name: "diagnose --edition 1",
        points: Vec::new(),
    };
    let mut memory = Vec::new();
    let sizes: Vec<usize> = [100, 200, 400, 1_600, 10_000]
        .into_iter()
        .filter(|c| c * 10 <= max)
        .collect();
    let mut rest: &[usize] = &[];
    for (i, &carts) in sizes.iter().enumerate() {
        let files = diagnose_export(carts);
        let bytes: usize = files.iter().map(|(_, t)| t.len()).sum();
        let inputs: Vec<Input> = files
            .iter()
            .map(|(name, text)| Input {
                name: name.clone(),
                bytes: text.clone().into_bytes(),
            })
            .collect();
        parse.push(time(|| {
            for (_, text) in &files {
                black_box(serde_json::from_str::<serde_json::Value>(text).is_ok());
            }
        }));
        let options = Options::default();
        run.points.push((
            carts,
            time(|| {
                black_box(diagnose_command(&inputs, &options));
            }),
        ));
        memory.push(counting::peak(|| {
            black_box(diagnose_command(&inputs, &options));
        }));
        let edition_1 = Options {
            edition: cartsim::engine::Edition::One,
            ..Options::default()
        };
        eager.points.push((
            carts,
            time(|| {
                black_box(diagnose_command(&inputs, &edition_1));
            }),
        ));
        kept.push((carts, bytes));
        if run.points[i].1 > budget() {
            rest = &sizes[i + 1..];
            break;
        }
    }
    if kept.is_empty() {
        println!("\n== diagnose records: every size is over CARTSIM_BENCH_MAX_STEPS");
        return;
    }
    let times: Vec<Duration> = run.points.iter().map(|p| p.1).collect();
    let fits = print_family("diagnose records", "carts", &kept, &parse, &[run, eager]);
    for (i, (carts, bytes)) in kept.iter().enumerate() {
        println!(
            "  carts {carts:>9}  peak memory {:.1} MB ({:.1}x the export)",
            memory[i] as f64 / 1e6,
            memory[i] as f64 / *bytes as f64
        );
    }
    let memory_fit = exponent(
        &kept
            .iter()
            .zip(&memory)
            .map(|((c, _), m)| (*c as f64, *m as f64))
            .collect::<Vec<_>>(),
    );
    println!(
        "  exponent in carts: peak memory {}",
        memory_fit.map_or("-".into(), |e| format!("{e:.2}"))
    );
    left_out("carts", rest);
    if rest.contains(&10_000) {
        let (last, _) = kept[kept.len() - 1];
        let guess = fits[0].1.map_or(String::new(), |e| {
            let secs = times[times.len() - 1].as_secs_f64() * (10_000.0 / last as f64).powf(e);
            format!("; at the fitted exponent it would take about {secs:.0} s")
        });
        let ratio = memory[memory.len() - 1] as f64 / kept[kept.len() - 1].1 as f64;
        figures.unmeasured.push(format!(
            "diagnose of a 10,000-cart export: not measured ({last} carts took over the budget{guess}; peak memory was {ratio:.1}x the export at {last} carts, goal 10x)"
        ));
    }
    for (name, fit) in fits {
        figures
            .exponents
            .push(("diagnose records".to_string(), name, fit));
    }
    figures
        .exponents
        .push(("diagnose records".to_string(), "peak memory", memory_fit));
    if let Some(i) = kept.iter().position(|(c, _)| *c == 10_000) {
        let bytes = kept[i].1;
        figures.goals.push((
            format!(
                "diagnose of a 10,000-cart export ({:.0} MB): time",
                bytes as f64 / 1e6
            ),
            times[i].as_secs_f64(),
            2.0,
            "s",
        ));
        figures.goals.push((
            "diagnose of a 10,000-cart export: peak memory / export size".to_string(),
            memory[i] as f64 / bytes as f64,
            10.0,
            "x",
        ));
    }
}

/// The history a player keeps of a sparse file of `steps` steps: each figure a move
/// through it costs, and its bytes.
fn history_family(figures: &mut Figures) {
    if !wanted("history") {
        return;
    }
    let max = max_work();
    let mut kept = Vec::new();
    let mut parse = Vec::new();
    let mut seek = Series {
        name: "seek",
        points: Vec::new(),
    };
    let mut back = Series {
        name: "step back",
        points: Vec::new(),
    };
    let mut end = Series {
        name: "End after Home",
        points: Vec::new(),
    };
    let mut first_end = Series {
        name: "first End",
        points: Vec::new(),
    };
    let mut per_step = Vec::new();
    let sizes: Vec<usize> = [1_000, 10_000, 100_000, 1_000_000]
        .into_iter()
        .filter(|s| *s <= max)
        .collect();
    let mut rest: &[usize] = &[];
    for (i, &steps) in sizes.iter().enumerate() {
        let text = generate(sparse(steps));
        parse.push(parse_time(&text));
        let s = load_bytes("generated.json", text.as_bytes()).expect("generated loads");
        kept.push((steps, text.len()));
        drop(text);
        // The first End: every step played and recorded, as the UI's End does on a
        // fresh file.
        let before = counting::live();
        let t = Instant::now();
        let mut timeline = Timeline::new(s.world.clone());
        for (i, step) in s.steps.iter().enumerate() {
            timeline.push(step.kind, step.action.clone(), Origin::Script(i));
        }
        first_end.points.push((steps, t.elapsed()));
        per_step.push(counting::live().saturating_sub(before) as f64 / steps as f64);
        // A fixed pseudo-random walk, so that runs are comparable.
        let mut target = 0usize;
        let mut seeks: Vec<Duration> = (0..200)
            .map(|_| {
                target = (target * 7919 + 104_729) % (steps + 1);
                let t = Instant::now();
                timeline.seek(target);
                t.elapsed()
            })
            .collect();
        seeks.sort();
        seek.points.push((steps, seeks[seeks.len() / 2]));
        let mut backs: Vec<Duration> = (0..51)
            .map(|_| {
                timeline.seek(steps);
                let t = Instant::now();
                timeline.seek(steps - 1);
                t.elapsed()
            })
            .collect();
        backs.sort();
        back.points.push((steps, backs[backs.len() / 2]));
        // End after Home: only the End is timed (median of up to five).
        let mut ends: Vec<Duration> = Vec::new();
        for _ in 0..5 {
            timeline.seek(0);
            let t = Instant::now();
            timeline.seek(steps);
            ends.push(t.elapsed());
            if ends[0] > Duration::from_secs(1) {
                break;
            }
        }
        ends.sort();
        end.points.push((steps, ends[ends.len() / 2]));
        if first_end.points[i].1 > budget() {
            rest = &sizes[i + 1..];
            break;
        }
    }
    if kept.is_empty() {
        println!("\n== history: every size is over CARTSIM_BENCH_MAX_STEPS");
        return;
    }
    let series = [seek, back, end, first_end];
    let fits = print_family("history", "steps", &kept, &parse, &series);
    for (i, (steps, _)) in kept.iter().enumerate() {
        println!(
            "  steps {steps:>9}  history {:.0} bytes per step",
            per_step[i]
        );
    }
    let bytes_fit = exponent(
        &kept
            .iter()
            .zip(&per_step)
            .map(|((s, _), b)| (*s as f64, b * *s as f64))
            .collect::<Vec<_>>(),
    );
    println!(
        "  exponent in steps: history bytes {}",
        bytes_fit.map_or("-".into(), |e| format!("{e:.2}"))
    );
    left_out("steps", rest);
    if rest.contains(&1_000_000) {
        figures.unmeasured.push(
            "history at 1M steps: not measured (a smaller size took over the budget)".to_string(),
        );
    }
    for (name, fit) in fits {
        figures.exponents.push(("history".to_string(), name, fit));
    }
    figures
        .exponents
        .push(("history".to_string(), "history bytes", bytes_fit));
    if let Some(i) = kept.iter().position(|(s, _)| *s == 1_000_000) {
        let at = "at 1M steps";
        figures.goals.push((
            format!("seek {at}"),
            series[0].points[i].1.as_secs_f64() * 1e3,
            5.0,
            "ms",
        ));
        figures.goals.push((
            format!("step back {at}"),
            series[1].points[i].1.as_secs_f64() * 1e3,
            1.0,
            "ms",
        ));
        figures.goals.push((
            format!("End after Home / first End {at}"),
            series[2].points[i].1.as_secs_f64() / series[3].points[i].1.as_secs_f64(),
            2.0,
            "x",
        ));
        figures.goals.push((
            format!("history bytes per step {at}"),
            per_step[i],
            300.0,
            "bytes",
        ));
    }
}

/// A sparse file: 100 carts, one checkout action every 300 steps.
fn sparse(steps: usize) -> Spec {
    Spec {
        steps,
        carts: 100,
        sparsity: 300,
        seed: 1,
    }
}

/// A churning file: 100 carts, every step a checkout action.
fn churn(steps: usize) -> Spec {
    Spec {
        steps,
        carts: 100,
        sparsity: 1,
        seed: 1,
    }
}

/// `check` of a 1M-step file over 5,000 carts: its peak memory over its size.
fn big_check_memory(figures: &mut Figures) {
    if max_work() < 1_000_000 || !wanted("big check") {
        return;
    }
    let text = generate(Spec::sized(1_000_000, 10_000));
    let bytes = text.len();
    let memory = counting::peak(|| {
        black_box(load_bytes("generated.json", text.as_bytes()).is_ok());
    });
    println!(
        "\n== check of a 1,000,000-step file over 5,000 carts ({:.1} MB): peak memory {:.1} MB",
        bytes as f64 / 1e6,
        memory as f64 / 1e6
    );
    figures.goals.push((
        "check of a 1M-step, 5,000-cart file: peak memory / file size".to_string(),
        memory as f64 / bytes as f64,
        20.0,
        "x",
    ));
}

/// Every family, then the goals: met or not met.
fn figures() {
    let mut figures = Figures::default();
    file_family(
        &mut figures,
        "steps, sparse",
        "steps",
        &[12_500, 100_000, 200_000, 400_000, 800_000, 1_000_000],
        |n| n,
        |n| generate(sparse(n)),
        true,
    );
    file_family(
        &mut figures,
        "steps, churn",
        "steps",
        &[5_000, 10_000, 20_000, 40_000, 80_000],
        |n| n,
        |n| generate(churn(n)),
        true,
    );
    file_family(
        &mut figures,
        "carts",
        "carts",
        &[250, 500, 1_000, 2_000, 4_000, 8_000],
        |_| 20_000,
        |n| {
            generate(Spec {
                steps: 20_000,
                carts: n,
                sparsity: 4,
                seed: 1,
            })
        },
        true,
    );
    file_family(
        &mut figures,
        "states per flow",
        "states",
        &[25, 50, 100, 200, 300],
        |n| 100 * n,
        |n| flow_settle(100, n),
        true,
    );
    file_family(
        &mut figures,
        "operations alive",
        "operations",
        &[125, 250, 500, 1_000, 2_000, 4_000],
        |n| n + 1_000,
        |n| alive_operations(n, 1_000),
        true,
    );
    file_family(
        &mut figures,
        "sessions per cart",
        "sessions",
        &[1_000, 4_000, 16_000, 64_000],
        |n| n + 1_000,
        |n| cart_history(n, 250),
        true,
    );
    diagnose_family(&mut figures);
    history_family(&mut figures);
    big_check_memory(&mut figures);

    println!("\n== goals (met when at most the goal)");
    let mut worst = None::<(String, f64)>;
    for (family, series, fit) in &figures.exponents {
        if let Some(e) = fit
            && worst.as_ref().is_none_or(|(_, w)| e > w)
        {
            worst = Some((format!("{family}: {series}"), *e));
        }
    }
    if let Some((what, e)) = worst {
        let over: Vec<String> = figures
            .exponents
            .iter()
            .filter_map(|(f, s, e)| e.filter(|e| *e > 1.1).map(|e| format!("{f}: {s} {e:.2}")))
            .collect();
        println!(
            "  {}  every fitted exponent at most 1.1: the largest is {e:.2} ({what}){}",
            if e <= 1.1 { "met    " } else { "NOT MET" },
            if over.is_empty() {
                String::new()
            } else {
                format!("; over 1.1: {}", over.join(", "))
            }
        );
    }
    for (what, value, goal, unit) in &figures.goals {
        println!(
            "  {}  {what}: {} {unit} (goal {goal} {unit})",
            if value <= goal { "met    " } else { "NOT MET" },
            if *value < 0.1 {
                format!("{value:.4}")
            } else {
                format!("{value:.2}")
            }
        );
    }
    for what in &figures.unmeasured {
        println!("  NOT MET  {what}");
    }
}

/// The smallest size of each family under criterion, for comparing runs.
fn smallest(c: &mut Criterion) {
    let mut group = c.benchmark_group("shape");
    group.sample_size(10);
    let files = [
        ("check sparse 12,500 steps", generate(sparse(12_500))),
        ("check churn 5,000 steps", generate(churn(5_000))),
        ("check 100 carts settle 25 states", flow_settle(100, 25)),
        ("check 125 operations alive", alive_operations(125, 1_000)),
        ("check 1,000 sessions of one cart", cart_history(1_000, 250)),
    ];
    for (name, text) in &files {
        group.bench_function(*name, |b| {
            b.iter(|| black_box(load_bytes("generated.json", text.as_bytes()).is_ok()))
        });
    }
    let (_, sparse_text) = &files[0];
    group.bench_function("run --quiet sparse 12,500 steps", |b| {
        b.iter(|| black_box(run_quiet(sparse_text)))
    });
    let inputs: Vec<Input> = diagnose_export(100)
        .into_iter()
        .map(|(name, text)| Input {
            name,
            bytes: text.into_bytes(),
        })
        .collect();
    group.bench_function("diagnose 100 carts", |b| {
        b.iter(|| black_box(diagnose(&inputs, &Options::default(), false).is_ok()))
    });
    group.finish();
}

fn main() {
    figures();
    if std::env::var_os("CARTSIM_BENCH_FAMILIES").is_some() {
        return;
    }
    let mut c = Criterion::default().configure_from_args();
    smallest(&mut c);
    c.final_summary();
}
