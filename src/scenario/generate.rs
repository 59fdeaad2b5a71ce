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

/// The world of the one-dimension generators below: one store (with `flow` as its
/// `checkout_flow` when given), and `carts` carts, each with its own buyer and account.
fn world(out: &mut String, carts: usize, flow: Option<&str>) {
    out.push_str("\"world\":{\"stores\":[{\"id\":\"west\",\"name\":\"West Store\"");
    if let Some(flow) = flow {
        let _ = write!(out, ",\"checkout_flow\":{flow}");
    }
    out.push_str("}],\"accounts\":[");
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
    out.push(']');
}

/// Steps as a JSON array's members, one a line.
fn steps(out: &mut String, steps: impl IntoIterator<Item = String>) {
    out.push_str(",\"steps\":[\n");
    for (i, step) in steps.into_iter().enumerate() {
        if i > 0 {
            out.push_str(",\n");
        }
        out.push_str(&step);
    }
    out.push_str("\n]}\n");
}

/// Every cart starts checkout on a flow of `states` one-tick asynchronous states, then
/// one `settle` runs them all: every record the settle creates is made inside one long
/// action. Grows the states of a flow (and, with `carts`, the checkouts in flight).
pub fn flow_settle(carts: usize, states: usize) -> String {
    let carts = carts.max(1);
    let mut flow = String::from("[");
    for i in 0..states.max(1) {
        let sep = if i == 0 { "" } else { "," };
        let _ = write!(
            flow,
            "{sep}{{\"state\":\"State {i}\",\"operation\":\"Operation {i}\",\"ticks\":1}}"
        );
    }
    flow.push(']');
    let mut out = format!(
        "{{\"cartsim\":1,\"title\":\"Generated: {carts} carts settle a {states}-state flow\","
    );
    world(&mut out, carts, Some(&flow));
    out.push('}');
    let starts = (0..carts).map(|i| format!("{{\"do\":\"start_checkout\",\"cart\":\"cart-{i}\"}}"));
    steps(
        &mut out,
        starts.chain(std::iter::once("{\"do\":\"settle\"}".to_string())),
    );
    out
}

/// `alive` carts start checkouts whose first state runs for a million ticks, so that
/// `alive` BackgroundOperations are Running at once, then `waits` one-tick waits pass.
/// Grows the operations alive at once.
pub fn alive_operations(alive: usize, waits: usize) -> String {
    let alive = alive.max(1);
    let flow = "[{\"state\":\"Long\",\"operation\":\"Long Operation\",\"ticks\":1000000},{\"state\":\"Checkout Summary\",\"buyer\":true}]";
    let mut out = format!(
        "{{\"cartsim\":1,\"title\":\"Generated: {alive} operations alive through {waits} waits\","
    );
    world(&mut out, alive, Some(flow));
    out.push('}');
    let starts = (0..alive).map(|i| format!("{{\"do\":\"start_checkout\",\"cart\":\"cart-{i}\"}}"));
    let wait = (0..waits).map(|_| "{\"do\":\"wait\",\"ticks\":1}".to_string());
    steps(&mut out, starts.chain(wait));
    out
}

/// One cart that already had `sessions` checkouts (archived CartCheckoutSessions in the
/// world), then `cycles` checkout cycles of its own (start checkout, settle, continue,
/// cancel). Grows the sessions of one cart while the steps stay the same.
pub fn cart_history(sessions: usize, cycles: usize) -> String {
    let mut out = format!(
        "{{\"cartsim\":1,\"title\":\"Generated: a cart with {sessions} earlier checkouts\","
    );
    world(&mut out, 1, None);
    out.push_str(",\"sessions\":[");
    for i in 0..sessions {
        let sep = if i == 0 { "" } else { "," };
        let _ = write!(
            out,
            "{sep}{{\"id\":\"old-{i}\",\"cart\":\"cart-0\",\"state\":\"Checkout Summary\",\"is_archived\":true}}"
        );
    }
    out.push_str("]}");
    let cycle = [
        "{\"do\":\"start_checkout\",\"cart\":\"cart-0\"}",
        "{\"do\":\"settle\"}",
        "{\"do\":\"continue\",\"cart\":\"cart-0\"}",
        "{\"do\":\"cancel\",\"cart\":\"cart-0\"}",
    ];
    steps(
        &mut out,
        (0..cycles).flat_map(|_| cycle.iter().map(|s| s.to_string())),
    );
    out
}

/// A Salesforce id of 18 characters: the object's key prefix, then `n`.
fn sf_id(prefix: &str, n: usize) -> String {
    format!("{prefix}Hs{n:010}IAA")
}

/// One `sf data query --json` result of `records` (each a JSON object's members).
fn query_result(object: &str, records: impl Iterator<Item = (String, String)>) -> String {
    let mut out = String::from("{\"status\":0,\"result\":{\"records\":[");
    let mut total = 0;
    for (i, (id, fields)) in records.enumerate() {
        let sep = if i == 0 { "" } else { "," };
        let _ = write!(
            out,
            "{sep}\n{{\"attributes\":{{\"type\":\"{object}\",\"url\":\"/services/data/v62.0/sobjects/{object}/{id}\"}},\"Id\":\"{id}\",{fields}}}"
        );
        total += 1;
    }
    let _ = writeln!(
        out,
        "],\"totalSize\":{total},\"done\":true}},\"warnings\":[]}}"
    );
    out
}

/// A `cartsim diagnose` export of `carts` carts, as `sf data query --json` writes it:
/// one file per object (file name, text). Each cart is in Checkout with an active
/// session whose Price Cart operation is Running, and an archived earlier session
/// whose operation completed; each has its own buyer (User) in one store. Grows the
/// records of an export (about 2,800 bytes a cart).
pub fn diagnose_export(carts: usize) -> Vec<(String, String)> {
    let store = sf_id("0ZE", 1);
    let stamp = |minute: usize| format!("2026-11-25T09:{minute:02}:00.000+0000");
    let webcarts = query_result(
        "WebCart",
        (0..carts).map(|i| {
            (
                sf_id("0a6", i),
                format!(
                    "\"Name\":\"Cart\",\"Status\":\"Checkout\",\"OwnerId\":\"{}\",\"AccountId\":\"{}\",\"WebStoreId\":\"{store}\",\"TotalProductCount\":3,\"TotalProductAmount\":89.97,\"CreatedDate\":\"{}\",\"LastModifiedDate\":\"{}\"",
                    sf_id("005", i),
                    sf_id("001", i),
                    stamp(12),
                    stamp(31)
                ),
            )
        }),
    );
    let sessions = query_result(
        "CartCheckoutSession",
        (0..carts).flat_map(|i| {
            let cart = sf_id("0a6", i);
            [
                (
                    sf_id("2z9", 2 * i),
                    format!(
                        "\"WebCartId\":\"{cart}\",\"State\":\"Delivery Method\",\"NextState\":\"Taxes\",\"IsProcessing\":false,\"IsError\":false,\"IsArchived\":true,\"BackgroundOperationId\":\"{}\",\"OrderId\":null,\"CreatedDate\":\"{}\"",
                        sf_id("0bO", 2 * i),
                        stamp(20)
                    ),
                ),
                (
                    sf_id("2z9", 2 * i + 1),
                    format!(
                        "\"WebCartId\":\"{cart}\",\"State\":\"Confirm Price\",\"NextState\":\"Calculate Promotions\",\"IsProcessing\":true,\"IsError\":false,\"IsArchived\":false,\"BackgroundOperationId\":\"{}\",\"OrderId\":null,\"CreatedDate\":\"{}\"",
                        sf_id("0bO", 2 * i + 1),
                        stamp(30)
                    ),
                ),
            ]
        }),
    );
    let operations = query_result(
        "BackgroundOperation",
        (0..carts).flat_map(|i| {
            [
                (
                    sf_id("0bO", 2 * i),
                    format!(
                        "\"Name\":\"Calculate Cart Shipment Costs\",\"Status\":\"Complete\",\"SubmittedAt\":\"{}\",\"StartedAt\":\"{}\",\"FinishedAt\":\"{}\",\"ExpiresAt\":null,\"Error\":null",
                        stamp(20),
                        stamp(20),
                        stamp(21)
                    ),
                ),
                (
                    sf_id("0bO", 2 * i + 1),
                    format!(
                        "\"Name\":\"Price Cart\",\"Status\":\"Running\",\"SubmittedAt\":\"{}\",\"StartedAt\":\"{}\",\"FinishedAt\":null,\"ExpiresAt\":null,\"Error\":null",
                        stamp(30),
                        stamp(31)
                    ),
                ),
            ]
        }),
    );
    let users = query_result(
        "User",
        (0..carts).map(|i| {
            (
                sf_id("005", i),
                format!(
                    "\"Name\":\"Buyer {i}\",\"Username\":\"buyer{i}@acme.example\",\"AccountId\":\"{}\",\"IsActive\":true",
                    sf_id("001", i)
                ),
            )
        }),
    );
    let stores = query_result(
        "WebStore",
        std::iter::once((
            store.clone(),
            "\"Name\":\"Acme Parts B2B\",\"CheckoutTimeToLive\":2880".to_string(),
        )),
    );
    let validation = query_result("CartValidationOutput", std::iter::empty());
    vec![
        ("webcart.json".to_string(), webcarts),
        ("sessions.json".to_string(), sessions),
        ("operations.json".to_string(), operations),
        ("user.json".to_string(), users),
        ("store.json".to_string(), stores),
        ("validation.json".to_string(), validation),
    ]
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

    #[test]
    fn the_one_dimension_files_load_and_play_without_refusals() {
        for text in [
            flow_settle(5, 30),
            alive_operations(20, 50),
            cart_history(40, 10),
        ] {
            let s = load_bytes("gen.json", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
            for r in play_headless(&s) {
                assert!(
                    r.outcome.result.is_ok(),
                    "{}: {:?}",
                    r.description,
                    r.outcome.result
                );
            }
        }
        let s = load_bytes("gen.json", flow_settle(3, 10).as_bytes()).unwrap();
        let reports = play_headless(&s);
        let settle = reports.last().unwrap();
        // Three checkouts of ten states: start_checkout made each one's first
        // operation, the one settle the other nine.
        let created = settle
            .outcome
            .changes
            .iter()
            .filter(|c| c.field.is_none())
            .count();
        assert_eq!(created, 27, "records created by the settle");
    }

    #[test]
    fn a_generated_export_is_diagnosed_cart_by_cart() {
        use crate::diagnose::{Input, Options, diagnose};
        let inputs: Vec<Input> = diagnose_export(3)
            .into_iter()
            .map(|(name, text)| Input {
                name,
                bytes: text.into_bytes(),
            })
            .collect();
        let (_, diagnosis) = diagnose(&inputs, &Options::default(), false)
            .unwrap_or_else(|e| panic!("{}", e.join("\n")));
        let text = format!("{diagnosis:?}");
        for i in 0..3 {
            assert!(text.contains(&sf_id("0a6", i)), "cart {i} is diagnosed");
        }
    }
}
