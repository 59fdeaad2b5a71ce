//! Long scenarios on demand: a valid scenario of any number of steps over any number of
//! carts, for measuring how cost grows with the work (`cartsim generate`, the benches).
//!
//! The steps are deterministic: the same [`Spec`] always gives the same file. Each cart
//! walks a checkout cycle (start checkout, settle, continue, cancel) that leaves it
//! Active again, so the cycle repeats for as long as the file runs and every cycle adds a
//! CartCheckoutSession and its BackgroundOperations to the world. Between two checkout
//! actions there are `wait` steps, so most steps touch no record at all (sparse
//! checkouts), as in a long training session.

use std::fmt::Write;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    /// How many steps.
    pub steps: usize,
    /// How many carts (each with its own buyer and account).
    pub carts: usize,
    /// One checkout action every `sparsity` steps; the steps between are one-tick waits.
    /// 1 means every step acts on a cart.
    pub sparsity: usize,
    /// Picks which cart acts next.
    pub seed: u64,
}

impl Default for Spec {
    fn default() -> Spec {
        Spec {
            steps: 1_000,
            carts: 10,
            sparsity: 4,
            seed: 1,
        }
    }
}

/// The sizes the benchmarks measure: (steps, records), from 1,000 steps over 10
/// records to 1,000,000 steps over 10,000 records.
pub const BENCH_SIZES: [(usize, usize); 4] = [
    (1_000, 10),
    (10_000, 100),
    (100_000, 1_000),
    (1_000_000, 10_000),
];

impl Spec {
    /// A file of `steps` steps whose world ends with about `records` carts, sessions and
    /// operations: half of them carts from the start, the rest made by sparse checkouts
    /// (one checkout action every 300 steps when the sizes grow together, as in
    /// [`BENCH_SIZES`]).
    pub fn sized(steps: usize, records: usize) -> Spec {
        // A checkout cycle is 4 actions and adds about 6 records (a session and its
        // operations), so records/2 more records need records/3 actions.
        let carts = (records / 2).max(1);
        let actions = (records / 3).max(1);
        Spec {
            steps,
            carts,
            sparsity: (steps / actions).max(1),
            seed: 1,
        }
    }
}

/// The next value of a 64-bit linear congruential generator (Knuth's MMIX constants).
fn next(state: &mut u64) -> u64 {
    *state = state
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1_442_695_040_888_963_407);
    *state >> 33
}

/// The scenario as JSON text (format 1), ready for [`crate::scenario::load_bytes`].
pub fn generate(spec: Spec) -> String {
    let carts = spec.carts.max(1);
    let sparsity = spec.sparsity.max(1);
    let mut out = String::with_capacity(256 + carts * 200 + spec.steps * 48);
    let _ = write!(
        out,
        "{{\"cartsim\":1,\"title\":\"Generated: {} steps over {carts} carts\",",
        spec.steps
    );
    out.push_str(
        "\"summary\":\"A long generated scenario: each cart checks out, settles, continues and cancels, again and again.\",",
    );
    out.push_str("\"world\":{\"stores\":[{\"id\":\"west\",\"name\":\"West Store\"}],");
    out.push_str("\"accounts\":[");
    for i in 0..carts {
        let sep = if i == 0 { "" } else { "," };
        let _ = write!(out, "{sep}{{\"id\":\"acct-{i}\",\"stores\":[\"west\"]}}");
    }
    out.push_str("],\"buyers\":[");
    for i in 0..carts {
        let sep = if i == 0 { "" } else { "," };
        let _ = write!(
            out,
            "{sep}{{\"id\":\"buyer-{i}\",\"accounts\":[\"acct-{i}\"]}}"
        );
    }
    out.push_str("],\"products\":[{\"sku\":\"BOLT-10\",\"price\":1.25}],\"carts\":[");
    for i in 0..carts {
        let sep = if i == 0 { "" } else { "," };
        let _ = write!(
            out,
            "{sep}{{\"id\":\"cart-{i}\",\"store\":\"west\",\"buyer\":\"buyer-{i}\",\"items\":[{{\"sku\":\"BOLT-10\",\"quantity\":1}}]}}"
        );
    }
    out.push_str("]},\"steps\":[\n");
    // Where each cart stands in its cycle.
    let mut phase = vec![0u8; carts];
    let mut rng = spec.seed;
    for i in 0..spec.steps {
        if i > 0 {
            out.push_str(",\n");
        }
        if i % sparsity != sparsity - 1 {
            out.push_str("{\"do\":\"wait\",\"ticks\":1}");
            continue;
        }
        let cart = (next(&mut rng) % carts as u64) as usize;
        let step = match phase[cart] {
            0 => format!("{{\"do\":\"start_checkout\",\"cart\":\"cart-{cart}\"}}"),
            1 => "{\"do\":\"settle\"}".to_string(),
            2 => format!("{{\"do\":\"continue\",\"cart\":\"cart-{cart}\"}}"),
            _ => format!("{{\"do\":\"cancel\",\"cart\":\"cart-{cart}\"}}"),
        };
        phase[cart] = (phase[cart] + 1) % 4;
        out.push_str(&step);
    }
    out.push_str("\n]}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::player::play_headless;
    use crate::scenario::load_bytes;

    #[test]
    fn generated_scenarios_load_and_play_to_the_end() {
        for (steps, carts, sparsity) in [(0, 1, 1), (1, 1, 1), (200, 3, 1), (500, 20, 4)] {
            let spec = Spec {
                steps,
                carts,
                sparsity,
                seed: 7,
            };
            let text = generate(spec);
            let s = load_bytes("gen.json", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(s.steps.len(), steps);
            assert_eq!(s.world.carts().len(), carts);
            assert_eq!(play_headless(&s).len(), steps);
        }
    }

    #[test]
    fn the_cycle_checks_out_and_cancels_again_and_again() {
        let text = generate(Spec {
            steps: 400,
            carts: 2,
            sparsity: 1,
            seed: 3,
        });
        let s = load_bytes("gen.json", text.as_bytes()).unwrap();
        let reports = play_headless(&s);
        let ok = reports.iter().filter(|r| r.outcome.result.is_ok()).count();
        assert_eq!(ok, reports.len(), "every step of the cycle succeeds");
        let cancels = reports
            .iter()
            .filter(|r| r.description.starts_with("cancel"))
            .count();
        assert!(cancels > 50, "{cancels} cancels");
    }

    #[test]
    fn the_same_spec_gives_the_same_file() {
        let spec = Spec::default();
        assert_eq!(generate(spec), generate(spec));
        assert_ne!(generate(spec), generate(Spec { seed: 2, ..spec }));
    }
}
