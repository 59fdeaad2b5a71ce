//! Bytes of memory per step of history, over the generated sizes of
//! [`cartsim::scenario::generate::BENCH_SIZES`]: the heap a [`Timeline`] holds after
//! recording every step of the file, divided by the steps. Counted by a global
//! allocator that tallies live bytes, so the number is exact and does not depend on
//! timing. `CARTSIM_BENCH_MAX_STEPS=10000` limits the sizes while iterating.

use cartsim::player::{Origin, Timeline};
use cartsim::scenario::generate::{BENCH_SIZES, Spec, generate};
use cartsim::scenario::load_bytes;

#[path = "../tests/common/counting.rs"]
mod counting;

#[global_allocator]
static ALLOCATOR: counting::Counting = counting::Counting;

fn main() {
    // `cargo bench` passes `--bench`; this binary measures once and needs no arguments.
    let max = std::env::var("CARTSIM_BENCH_MAX_STEPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(usize::MAX);
    println!("history memory: bytes per step (the timeline after every step of the file)");
    // The bench sizes (steps and records growing together), then the history alone
    // growing (1,000 carts, one checkout action every 300 steps), as benches/history.rs.
    let sizes = BENCH_SIZES
        .iter()
        .map(|&(steps, records)| {
            (
                format!("{steps} steps, {records} records"),
                Spec::sized(steps, records),
            )
        })
        .chain([1_000, 10_000, 100_000, 1_000_000].map(|steps| {
            let spec = Spec {
                steps,
                carts: 1_000,
                sparsity: 300,
                seed: 1,
            };
            (format!("{steps} steps, 1000 carts"), spec)
        }))
        .filter(|(_, spec)| spec.steps <= max);
    for (label, spec) in sizes {
        let steps = spec.steps;
        let text = generate(spec);
        let s = load_bytes("generated.json", text.as_bytes()).expect("generated scenarios load");
        drop(text);
        let before = counting::live();
        let mut timeline = Timeline::new(s.world.clone());
        for (i, step) in s.steps.iter().enumerate() {
            timeline.push(step.kind, step.action.clone(), Origin::Script(i));
        }
        let after = counting::live();
        let world = timeline.world();
        let records_now = world.carts().len() + world.sessions().len() + world.operations().len();
        println!(
            "summary memory {label}: {} bytes in all, {} bytes per step, {} checkpoints, {records_now} carts/sessions/operations at the end",
            after - before,
            (after - before) / steps.max(1),
            timeline.checkpoint_count(),
        );
    }
}
