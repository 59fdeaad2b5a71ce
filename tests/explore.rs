//! `cartsim explore`: shortest depths against a naive search, every anomaly with a world
//! that shows it and one that does not, written counterexamples that pass `run`, and
//! bad input refused with exit 2.

mod common;

use cartsim::engine::{
    Action, BackgroundOperation, CartCheckoutSession, CartStatus, OperationStatus, Order,
    Permission, World, WorldBuilder,
};
use cartsim::explore::alphabet::{Letter, Move};
use cartsim::explore::anomaly::{self, CATALOGUE, Lookahead, Open};
use cartsim::explore::{self, Config, What, property};
use common::{builtin, cartsim};
use std::collections::VecDeque;
use std::sync::atomic::AtomicBool;

fn run_explore(world: &World, config: &Config) -> explore::Report {
    explore::explore(world, config, &AtomicBool::new(false), &mut |_| {}).expect("explores")
}

/// The world with the clock and every recorded instant zeroed: the naive search's own
/// notion of "the same state" when no store makes time observable.
fn timeless(world: &World) -> World {
    let mut w = WorldBuilder::from(world.clone());
    // The work left counts, not the tick at which a Running operation's work is done.
    let left: Vec<(cartsim::engine::Id, u64)> = world
        .operations()
        .iter()
        .map(|o| (o.id, world.ticks_left(o)))
        .collect();
    for (o, left) in left {
        w.edit_operation(&o, |o| o.set_ticks_left(left, 0));
    }
    w.tick(0);
    let sessions: Vec<cartsim::engine::Id> = w.sessions().iter().map(|s| s.id).collect();
    for s in sessions {
        w.edit_session(&s, |s| s.started_at = 0);
    }
    let operations: Vec<cartsim::engine::Id> = w.operations().iter().map(|o| o.id).collect();
    for o in operations {
        w.edit_operation(&o, |o| {
            o.submitted_at = 0;
            o.started_at = None;
            o.finished_at = None;
            o.ended_at = None;
        });
    }
    w.build()
}

/// Changes the world's first session.
fn edit_first_session(world: World, edit: impl FnOnce(&mut CartCheckoutSession)) -> World {
    let mut w = WorldBuilder::from(world);
    let id = w.sessions().first().expect("a session").id;
    w.edit_session(&id, edit);
    w.build()
}

/// Changes the world's first operation.
fn edit_first_operation(world: World, edit: impl FnOnce(&mut BackgroundOperation)) -> World {
    let mut w = WorldBuilder::from(world);
    let id = w.operations().first().expect("an operation").id;
    w.edit_operation(&id, edit);
    w.build()
}

/// A plain breadth-first search keeping whole worlds and comparing them with `==`:
/// for each predicate, the fewest actions after which it holds; and how many distinct
/// states there are within `depth`.
/// A predicate on worlds, boxed.
type Goal = Box<dyn Fn(&World) -> bool>;

fn naive(
    root: &World,
    letters: &[Letter],
    depth: usize,
    goals: &[&dyn Fn(&World) -> bool],
) -> (Vec<Option<usize>>, usize) {
    let mut seen: Vec<World> = vec![timeless(root)];
    let mut queue = VecDeque::from([(root.clone(), 0usize)]);
    let mut best: Vec<Option<usize>> = goals.iter().map(|g| g(root).then_some(0)).collect();
    while let Some((world, d)) = queue.pop_front() {
        if d == depth {
            continue;
        }
        for letter in letters {
            let mut child = world.clone();
            child.apply(&letter.action);
            let key = timeless(&child);
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            for (i, g) in goals.iter().enumerate() {
                if best[i].is_none() && g(&child) {
                    best[i] = Some(d + 1);
                }
            }
            queue.push_back((child, d + 1));
        }
    }
    (best, seen.len())
}

fn status_is(cart: &'static str, status: CartStatus) -> impl Fn(&World) -> bool {
    move |w: &World| w.cart(cart).is_some_and(|c| c.status == status)
}

#[test]
fn shortest_depths_and_state_counts_equal_a_naive_search() {
    for (prefix, properties) in [
        (
            "01-",
            vec![
                "cart-1.Status=Checkout,ccs-1.IsProcessing=false",
                "cart-1.Status=Checkout",
                "ccs-1.IsArchived=true",
            ],
        ),
        (
            "40-",
            vec![
                "cart-1.Status=Checkout",
                "ccs-1.IsArchived=true",
                "cart-1.Status=Active,ccs-1.IsProcessing=false",
            ],
        ),
    ] {
        let world = builtin(prefix).world;
        let depth = 5;
        let never: Vec<property::Never> = properties
            .iter()
            .map(|p| property::parse(p, &world).expect("a valid property"))
            .collect();
        let config = Config {
            depth,
            never: never.clone(),
            ..Config::default()
        };
        let report = run_explore(&world, &config);
        let goals: Vec<Goal> = never
            .iter()
            .map(|p| {
                let p = p.clone();
                Box::new(move |w: &World| p.holds(w)) as Goal
            })
            .collect();
        let refs: Vec<&dyn Fn(&World) -> bool> = goals.iter().map(|g| g.as_ref()).collect();
        let (best, states) = naive(&world, &report.alphabet, depth, &refs);
        assert_eq!(report.progress.states, states, "{prefix}: distinct states");
        for (i, want) in best.iter().enumerate() {
            let got = report
                .findings
                .iter()
                .find(|f| f.what == What::Property(i))
                .map(|f| f.path.len());
            assert_eq!(got, *want, "{prefix}: {}", properties[i]);
        }
        // Both searches reach the first property, and its path replays into it.
        assert!(best[0].is_some(), "{prefix}");
        let f = report
            .findings
            .iter()
            .find(|f| f.what == What::Property(0))
            .unwrap();
        let end = explore::replay(&world, &report.alphabet, &f.path);
        assert!(never[0].holds(&end));
        assert!(status_is("cart-1", CartStatus::Checkout)(&end));
    }
}

/// A plain breadth-first search for the catalogue's anomalies, keeping whole worlds:
/// the fewest actions after which each shows (state anomalies on each new state, step
/// anomalies on every step from every state expanded), judged on separate copies of
/// the worlds before and after each step.
fn naive_anomalies(root: &World, letters: &[Letter], depth: usize) -> Vec<(&'static str, usize)> {
    let timed = explore::fingerprint::time_observable(root);
    let key = |w: &World| if timed { w.clone() } else { timeless(w) };
    let mut ahead = Lookahead::new(letters, 3, timed);
    let mut best: Vec<Option<usize>> = vec![None; CATALOGUE.len()];
    let note = |seen: Vec<anomaly::Seen>, d: usize, best: &mut [Option<usize>]| {
        for s in seen {
            best[s.anomaly].get_or_insert(d);
        }
    };
    note(anomaly::in_state(root, &mut ahead), 0, &mut best);
    let mut seen: Vec<World> = vec![key(root)];
    let mut queue = VecDeque::from([(root.clone(), 0usize)]);
    while let Some((world, d)) = queue.pop_front() {
        if d == depth {
            continue;
        }
        for letter in letters {
            let mut child = world.clone();
            let outcome = child.apply(&letter.action);
            note(
                anomaly::in_step(&world, letter, &outcome, &child, &mut ahead),
                d + 1,
                &mut best,
            );
            let k = key(&child);
            if seen.contains(&k) {
                continue;
            }
            seen.push(k);
            note(anomaly::in_state(&child, &mut ahead), d + 1, &mut best);
            queue.push_back((child, d + 1));
        }
    }
    best.iter()
        .enumerate()
        .filter_map(|(i, d)| d.map(|d| (CATALOGUE[i].name, d)))
        .collect()
}

/// The search plays each letter on one world in place and judges a refused cancel
/// after undoing it; the naive search judges each step on copies. Both find each
/// anomaly at the same depth.
#[test]
fn anomaly_depths_equal_a_naive_search() {
    let mut found = 0;
    for (prefix, depth) in [("40-", 4), ("46-", 4), ("18-", 2), ("12-", 2), ("48-", 3)] {
        let world = builtin(prefix).world;
        let report = run_explore(
            &world,
            &Config {
                depth,
                ..Config::default()
            },
        );
        let mut got: Vec<(String, usize)> = report
            .findings
            .iter()
            .map(|f| (f.name(), f.path.len()))
            .collect();
        let mut want: Vec<(String, usize)> = naive_anomalies(&world, &report.alphabet, depth)
            .into_iter()
            .map(|(n, d)| (n.to_string(), d))
            .collect();
        got.sort();
        want.sort();
        assert_eq!(got, want, "{prefix} to depth {depth}");
        found += want.len();
    }
    assert!(found >= 8, "{found} anomalies found in all");
}

#[test]
fn every_thread_count_finds_the_same_paths() {
    let world = builtin("01-").world;
    let never = vec![property::parse("cart-1.Status=Closed", &world).unwrap()];
    let one = run_explore(
        &world,
        &Config {
            depth: 6,
            never: never.clone(),
            ..Config::default()
        },
    );
    let four = run_explore(
        &world,
        &Config {
            depth: 6,
            never,
            jobs: 4,
            ..Config::default()
        },
    );
    assert_eq!(one.progress.states, four.progress.states);
    let paths = |r: &explore::Report| {
        r.findings
            .iter()
            .map(|f| (f.name(), f.path.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(paths(&one), paths(&four));
}

fn letters(world: &World) -> Vec<Letter> {
    explore::alphabet(world, &Config::default()).expect("an alphabet")
}

fn state_names(world: &World) -> Vec<&'static str> {
    let letters = letters(world);
    let mut ahead = Lookahead::new(&letters, 3, false);
    anomaly::in_state(world, &mut ahead)
        .iter()
        .map(|s| CATALOGUE[s.anomaly].name)
        .collect()
}

fn step_names(before: &World, letter: &Letter) -> Vec<&'static str> {
    step_names_together(before, &[letter], &Config::default()).remove(0)
}

/// The names of the anomalies of each step from `before`, judged one after the other by
/// one look-ahead over `config`'s alphabet, as a search judges every letter of a state.
fn step_names_together(
    before: &World,
    steps: &[&Letter],
    config: &Config,
) -> Vec<Vec<&'static str>> {
    let letters = explore::alphabet(before, config).expect("an alphabet");
    let mut ahead = Lookahead::new(&letters, 3, false);
    steps
        .iter()
        .map(|letter| {
            let mut after = before.clone();
            let outcome = after.apply(&letter.action);
            anomaly::in_step(before, letter, &outcome, &after, &mut ahead)
                .iter()
                .map(|s| CATALOGUE[s.anomaly].name)
                .collect()
        })
        .collect()
}

/// The aura happy path's world after Bob starts checkout: a session processing a
/// running operation.
fn aura_in_checkout() -> World {
    let mut world = builtin("01-").world;
    let out = world.apply(&Action::StartCheckout {
        cart: "cart-1".into(),
        actor: None,
    });
    assert!(out.result.is_ok());
    world
}

fn lwr_in_checkout() -> World {
    let mut world = builtin("40-").world;
    let out = world.apply(&Action::CheckoutStart {
        cart: "cart-1".into(),
        actor: None,
    });
    assert!(out.result.is_ok());
    world
}

#[test]
fn a_healthy_checkout_shows_no_state_anomaly() {
    assert_eq!(state_names(&builtin("01-").world), Vec::<&str>::new());
    assert_eq!(state_names(&aura_in_checkout()), Vec::<&str>::new());
}

#[test]
fn checkout_without_session() {
    let world = edit_first_session(aura_in_checkout(), |s| s.is_archived = true);
    assert!(state_names(&world).contains(&"checkout-without-session"));
    assert!(!state_names(&aura_in_checkout()).contains(&"checkout-without-session"));
}

#[test]
fn processing_without_operation() {
    let world = edit_first_operation(aura_in_checkout(), |o| o.status = OperationStatus::Complete);
    assert!(state_names(&world).contains(&"processing-without-operation"));
    assert!(!state_names(&aura_in_checkout()).contains(&"processing-without-operation"));
}

#[test]
fn missing_operation() {
    let world = edit_first_session(aura_in_checkout(), |s| {
        s.background_operation_id = Some("bop-99".into())
    });
    assert!(state_names(&world).contains(&"missing-operation"));
    assert!(!state_names(&aura_in_checkout()).contains(&"missing-operation"));
}

#[test]
fn stuck_in_checkout() {
    // lwr: while the calculators run, DELETE and a cart change answer 409 and a poll
    // changes nothing: only time frees the cart.
    assert!(state_names(&lwr_in_checkout()).contains(&"stuck-in-checkout"));
    // aura: Cancel Cart Async Operation takes the cart back to Active.
    assert!(!state_names(&aura_in_checkout()).contains(&"stuck-in-checkout"));
}

fn with_orders(n: usize, status: CartStatus) -> World {
    let world = edit_first_operation(aura_in_checkout(), |o| o.status = OperationStatus::Complete);
    let mut world = WorldBuilder::from(edit_first_session(world, |s| s.is_processing = false));
    let cart = world.carts().first().expect("a cart").id;
    world.edit_cart(&cart, |c| c.status = status);
    for i in 1..=n {
        world.add_order(Order {
            id: format!("ord-{i}").into(),
            cart: "cart-1".into(),
            session: "ccs-1".into(),
        });
    }
    world.build()
}

#[test]
fn two_orders() {
    assert!(state_names(&with_orders(2, CartStatus::Closed)).contains(&"two-orders"));
    assert!(!state_names(&with_orders(1, CartStatus::Closed)).contains(&"two-orders"));
}

#[test]
fn order_cart_open() {
    assert!(state_names(&with_orders(1, CartStatus::Checkout)).contains(&"order-cart-open"));
    assert!(!state_names(&with_orders(1, CartStatus::Closed)).contains(&"order-cart-open"));
}

/// The world just before the scenario's first `place_order` step, and that step.
fn before_last_place_order(prefix: &str) -> (World, Letter) {
    let scenario = builtin(prefix);
    let last = scenario
        .steps
        .iter()
        .position(|s| matches!(s.action, Action::PlaceOrder { .. }))
        .expect("a place_order step");
    let mut world = scenario.world.clone();
    for step in &scenario.steps[..last] {
        world.apply(&step.action);
    }
    let letter = Letter {
        kind: Move::PlaceOrder,
        action: scenario.steps[last].action.clone(),
    };
    (world, letter)
}

#[test]
fn paid_no_order() {
    let (world, letter) = before_last_place_order("46-");
    assert!(step_names(&world, &letter).contains(&"paid-no-order"));
    let (world, letter) = before_last_place_order("40-");
    assert!(!step_names(&world, &letter).contains(&"paid-no-order"));
}

#[test]
fn cancel_never_succeeds() {
    let delete = Letter {
        kind: Move::CheckoutDelete,
        action: Action::CheckoutDelete {
            cart: "cart-1".into(),
            actor: None,
        },
    };
    assert!(step_names(&lwr_in_checkout(), &delete).contains(&"cancel-never-succeeds"));
    // Refused too, but the cart is not in a checkout: nothing to cancel is no anomaly.
    let active = builtin("40-").world;
    let mut probe = active.clone();
    assert!(probe.apply(&delete.action).result.is_err());
    assert!(!step_names(&active, &delete).contains(&"cancel-never-succeeds"));
    // aura: the cancel succeeds.
    let cancel = Letter {
        kind: Move::Cancel,
        action: Action::Cancel {
            cart: "cart-1".into(),
            actor: None,
        },
    };
    assert!(!step_names(&aura_in_checkout(), &cancel).contains(&"cancel-never-succeeds"));
}

#[test]
fn the_catalogue_has_the_eight_anomalies_each_with_a_sentence_and_a_source() {
    let names: Vec<&str> = CATALOGUE.iter().map(|a| a.name).collect();
    assert_eq!(
        names,
        [
            "checkout-without-session",
            "processing-without-operation",
            "missing-operation",
            "stuck-in-checkout",
            "two-orders",
            "order-cart-open",
            "paid-no-order",
            "cancel-never-succeeds"
        ]
    );
    for a in CATALOGUE {
        assert!(a.sentence.ends_with('.') && !a.why.is_empty(), "{}", a.name);
    }
}

#[test]
fn a_written_counterexample_passes_run() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let o = cartsim(&[
        "explore",
        "scenarios/40-lwr-happy-path.json",
        "--depth",
        "5",
        "--never",
        "ccs-1.IsProcessing=false,cart-1.Status=Checkout",
        "-o",
        out,
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let mut files: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let names: Vec<String> = files
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().any(|n| n.ends_with("-never-1.json")),
        "{names:?}"
    );
    assert!(
        names.iter().any(|n| n.ends_with("-stuck-in-checkout.json")),
        "{names:?}"
    );
    for file in &files {
        let run = cartsim(&["run", file.to_str().unwrap()]);
        let text = String::from_utf8_lossy(&run.stdout);
        assert_eq!(run.status.code(), Some(0), "{text}");
        assert!(text.contains("0 failed"), "{text}");
    }
    // Writing again refuses to overwrite without --force.
    let again = cartsim(&[
        "explore",
        "scenarios/40-lwr-happy-path.json",
        "--depth",
        "2",
        "-o",
        out,
    ]);
    assert_eq!(again.status.code(), Some(2));
}

#[test]
fn json_lines_are_one_object_per_finding_then_a_summary() {
    let o = cartsim(&[
        "explore",
        "scenarios/01-happy-path.json",
        "--depth",
        "4",
        "--never",
        "cart-1.Status=Checkout",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    let first = &lines[0];
    assert_eq!(first["kind"], "property");
    assert_eq!(first["name"], "never-1");
    assert_eq!(first["property"], "cart-1.Status=Checkout");
    assert_eq!(first["depth"], 1);
    assert_eq!(first["steps"][0]["do"], "start_checkout");
    let last = lines.last().unwrap();
    assert_eq!(last["kind"], "summary");
    assert_eq!(last["depth"], 4);
    assert!(last["states"].as_u64().unwrap() > 1);
    for key in ["seconds", "states_per_second", "bytes_per_state"] {
        assert!(last[key].is_number(), "{key}");
    }
}

#[test]
fn the_explore_section_is_read_by_explore_and_ignored_by_run() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string("scenarios/01-happy-path.json").unwrap();
    let with = text.replacen(
        "\"world\"",
        "\"explore\": {\"depth\": 2, \"never\": [{\"cart-1.Status\": \"Checkout\"}]},\n  \"world\"",
        1,
    );
    let path = dir.path().join("s.json");
    std::fs::write(&path, &with).unwrap();
    let p = path.to_str().unwrap();
    assert_eq!(cartsim(&["run", p]).status.code(), Some(0));
    let o = cartsim(&["explore", p, "--json"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("\"property\":\"cart-1.Status=Checkout\""),
        "{out}"
    );
    assert!(out.contains("\"depth\":2,"), "{out}");
    // A bad property in the section: its position and what was expected.
    let bad = text.replacen(
        "\"world\"",
        "\"explore\": {\"never\": [{\"cart-1.Colour\": \"Red\"}]},\n  \"world\"",
        1,
    );
    std::fs::write(&path, &bad).unwrap();
    let o = cartsim(&["explore", p]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("s.json:6:26: explore.never[0].cart-1.Colour: cart-1 is a WebCart and has no field Colour"), "{err}");
}

#[test]
fn bad_input_is_refused_with_exit_2() {
    for (args, wanted) in [
        (vec!["--never", "cart-9.Status=Closed"], "no record cart-9"),
        (vec!["--never", "ccs-1.Colour=Red"], "has no field Colour"),
        (
            vec!["--never", "cart-1.Status=Closed,ord-x.Id=1"],
            "column 22",
        ),
        (
            vec!["--actions", "checkout_start"],
            "checkout_start is an action of lwr stores",
        ),
        (vec!["--actions", "fly"], "\"fly\" is not an action"),
        (vec!["--depth", "0"], "a depth of 0"),
        (vec!["--from", "99"], "expected at most"),
    ] {
        let mut all = vec!["explore", "scenarios/01-happy-path.json"];
        all.extend(args.iter().copied());
        let o = cartsim(&all);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(wanted), "{args:?}: {err}");
    }
}

#[test]
fn explore_from_step_k_starts_where_the_file_is() {
    let world = builtin("01-").world;
    let text = "cart-1.Status=Checkout,ccs-1.IsProcessing=false";
    let never = vec![property::parse(text, &world).unwrap()];
    let from_start = run_explore(
        &world,
        &Config {
            depth: 6,
            never,
            ..Config::default()
        },
    );
    let direct = from_start
        .findings
        .iter()
        .find(|f| f.what == What::Property(0))
        .unwrap();
    assert_eq!(direct.path.len(), 3);
    // The file's first step is start_checkout: one action fewer from there.
    let o = cartsim(&[
        "explore",
        "scenarios/01-happy-path.json",
        "--from",
        "1",
        "--depth",
        "6",
        "--never",
        text,
        "--json",
    ]);
    let first: serde_json::Value =
        serde_json::from_str(String::from_utf8_lossy(&o.stdout).lines().next().unwrap()).unwrap();
    assert_eq!(first["name"], "never-1");
    assert_eq!(first["depth"], 2);
}

#[test]
fn a_stop_ends_the_search_with_what_was_found_so_far() {
    // The stop flag set from the progress callback, as Ctrl-C's handler sets it: the
    // run ends early, says it was interrupted, and keeps its findings.
    let world = builtin("10-").world;
    let never = vec![property::parse("cart-1.Status=Checkout", &world).unwrap()];
    let config = Config {
        depth: 12,
        never,
        ..Config::default()
    };
    let stop = AtomicBool::new(false);
    let mut calls = 0;
    let report = explore::explore(&world, &config, &stop, &mut |p| {
        calls += 1;
        if p.depth >= 2 {
            stop.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    })
    .unwrap();
    assert!(report.interrupted && !report.complete && !report.truncated);
    assert!(calls >= 2);
    assert!(report.progress.depth < 12);
    assert_eq!(report.findings.len(), 1, "{:?}", report.findings);
    assert_eq!(report.findings[0].path.len(), 1);
}

#[test]
fn max_states_truncates_and_a_large_frontier_is_replayed_whole() {
    let world = builtin("10-").world;
    let config = Config {
        depth: 8,
        max_states: Some(500),
        ..Config::default()
    };
    let report = run_explore(&world, &config);
    assert!(report.truncated && !report.complete);
    assert_eq!(report.progress.states, 500);
    // Every frontier state is rebuilt by replay on one world: 10- at depth 8 has
    // 23,013 states and a frontier past 10,000.
    let full = run_explore(
        &world,
        &Config {
            depth: 8,
            ..Config::default()
        },
    );
    assert!(full.progress.peak_frontier > 10_000);
    assert_eq!(full.progress.states, 23_013);
}

#[test]
fn the_alphabet_follows_faults_actors_and_actions() {
    let aura = builtin("01-").world;
    let kinds = |config: &Config, world: &World| {
        explore::alphabet(world, config)
            .unwrap()
            .iter()
            .map(|l| (l.kind.name(), l.action.actor().map(str::to_string)))
            .collect::<Vec<_>>()
    };
    let plain = kinds(&Config::default(), &aura);
    let names: Vec<&str> = plain.iter().map(|(k, _)| *k).collect();
    assert_eq!(
        names,
        [
            "start_checkout",
            "continue",
            "cancel",
            "add_to_cart",
            "wait"
        ]
    );
    let lwr = builtin("40-").world;
    let names: Vec<&str> = kinds(&Config::default(), &lwr)
        .iter()
        .map(|(k, _)| *k)
        .collect();
    assert_eq!(
        names,
        [
            "checkout_start",
            "checkout_poll",
            "checkout_delete",
            "add_to_cart",
            "wait"
        ]
    );
    let faults = kinds(
        &Config {
            faults: true,
            ..Config::default()
        },
        &aura,
    );
    assert!(faults.iter().any(|(k, _)| *k == "fail_operation"));
    assert!(faults.iter().any(|(k, _)| *k == "custom_update"));
    let only = kinds(
        &Config {
            moves: Some(explore::parse_moves("cancel, wait").unwrap()),
            ..Config::default()
        },
        &aura,
    );
    assert_eq!(only, [("cancel", None), ("wait", None)]);
    // Every buyer: the owner (no `as`) and each other buyer by id, on buyer actions only.
    let world = builtin("13-").world;
    let all = kinds(
        &Config {
            all_actors: true,
            ..Config::default()
        },
        &world,
    );
    let others = world.buyers().len() - 1;
    let cancels = all.iter().filter(|(k, _)| *k == "cancel").count();
    assert_eq!(cancels, world.carts().len() * (1 + others));
    assert!(all.iter().any(|(_, a)| a.is_some()) || others == 0);
}

/// The quiet apply explore uses leaves the same world and answers the same as the
/// logged one, at every step of every built-in scenario; it only skips the log.
#[test]
fn a_quiet_apply_leaves_the_same_world_and_result_as_a_logged_one() {
    let mut logged_something = false;
    for b in cartsim::scenario::builtin::BUILTIN {
        let s = cartsim::scenario::load_bytes(b.name, b.text.as_bytes()).expect("loads");
        let mut loud = s.world.clone();
        let mut quiet = s.world.clone();
        for step in &s.steps {
            let a = loud.apply(&step.action);
            let q = quiet.apply_quiet(&step.action);
            assert_eq!(loud, quiet, "{}: {:?}", b.name, step.action);
            assert_eq!(a.result, q.result, "{}", b.name);
            assert_eq!(a.http, q.http, "{}", b.name);
            assert_eq!(a.body, q.body, "{}", b.name);
            assert!(q.changes.is_empty(), "{}: {:?}", b.name, q.changes);
            logged_something |= !a.changes.is_empty();
        }
    }
    assert!(logged_something, "the logged apply logs");
}

/// Whether a refused cancel can ever succeed depends on who cancels: the owner's answer
/// must not stand for another buyer's, whichever the search asks first.
#[test]
fn a_refused_cancel_is_judged_for_the_buyer_who_tried_it() {
    // ccs-1 waits at Checkout Summary naming bop-9, which does not exist: Bob's cancel
    // is refused until his `continue` launches an operation. Alice, of the same
    // account, may not cancel Bob's cart at all.
    let mut world = WorldBuilder::from(builtin("12-").world);
    world.plain_buyer("alice", &["acme"]);
    world.edit_buyer("alice", |b| {
        b.permissions.retain(|p| *p != Permission::CancelCheckout)
    });
    let world = world.build();
    let cancel = |actor: Option<&str>| Letter {
        kind: Move::Cancel,
        action: Action::Cancel {
            cart: "cart-1".into(),
            actor: actor.map(Into::into),
        },
    };
    let (owner, other) = (cancel(None), cancel(Some("alice")));
    for letter in [&owner, &other] {
        assert!(world.clone().apply(&letter.action).result.is_err());
    }
    const NEVER: &str = "cancel-never-succeeds";
    let every_buyer = Config {
        all_actors: true,
        ..Config::default()
    };
    let alone: Vec<bool> = [&owner, &other]
        .iter()
        .map(|l| step_names_together(&world, &[l], &every_buyer)[0].contains(&NEVER))
        .collect();
    assert_eq!(alone, [false, true], "owner can, alice never can");
    for order in [[&owner, &other], [&other, &owner]] {
        let together: Vec<bool> = step_names_together(&world, &order, &every_buyer)
            .iter()
            .map(|names| names.contains(&NEVER))
            .collect();
        let expected: Vec<bool> = order.iter().map(|l| std::ptr::eq(*l, &other)).collect();
        assert_eq!(together, expected, "asked in the order {order:?}");
    }
}

/// The look-ahead answers for one cart on that cart alone (`World::one_cart`), which is
/// only right if a cart's own actions do to it in the whole world exactly what they do
/// to it alone. Checked at every step of every built-in scenario, for every cart and
/// each of its letters (every buyer, with the faults), then each letter again after it:
/// the same answer (or refusal), and the same changes to the cart's records, up to the
/// ids of records made on the way.
#[test]
fn a_carts_own_actions_do_to_it_alone_what_they_do_in_the_whole_world() {
    let config = Config {
        all_actors: true,
        faults: true,
        ..Config::default()
    };
    let mut compared = 0;
    let check = |world: &World, label: &str, compared: &mut usize| {
        // The same answer (or refusal) and the same changes to the cart's records: the
        // cart, what it held, and what was made on the way (only its actions ran).
        let start_ids = common::generated_kinds_ids(world);
        let compare = |cart: &cartsim::engine::WebCart,
                       alone: &World,
                       (a, whole): (&cartsim::engine::Outcome, &World),
                       (b, only): (&cartsim::engine::Outcome, &World),
                       label: &str,
                       letters: &[&Letter]| {
            let view = |o: &cartsim::engine::Outcome, after: &World| {
                let mine: std::collections::HashSet<String> = std::iter::once(cart.id.to_string())
                    .chain(common::generated_kinds_ids(alone))
                    .chain(
                        common::generated_kinds_ids(after)
                            .difference(&start_ids)
                            .cloned(),
                    )
                    .collect();
                let changes: Vec<_> = o
                    .changes
                    .iter()
                    .filter(|c| mine.contains(&c.record))
                    .collect();
                let text = format!("{:?} {:?}", o.result.as_ref().map_err(|e| e.kind), changes);
                common::new_ids_as_new(world, after, &text)
            };
            let actions: Vec<_> = letters.iter().map(|l| &l.action).collect();
            assert_eq!(view(a, whole), view(b, only), "{label}: {actions:?}");
        };
        let letters = explore::alphabet(world, &config).expect("an alphabet");
        for cart in world.carts().iter() {
            let alone = world.one_cart(&cart.id);
            let own: Vec<&Letter> = letters
                .iter()
                .filter(|l| l.action.cart() == Some(cart.id.as_str()))
                .collect();
            for first in &own {
                // The first letter from the world, then each letter after it.
                let (mut whole, mut only) = (world.clone(), alone.clone());
                let a = whole.apply(&first.action);
                let b = only.apply(&first.action);
                compare(cart, &alone, (&a, &whole), (&b, &only), label, &[first]);
                for second in &own {
                    let (mut w2, mut o2) = (whole.clone(), only.clone());
                    let a = w2.apply(&second.action);
                    let b = o2.apply(&second.action);
                    compare(cart, &alone, (&a, &w2), (&b, &o2), label, &[first, second]);
                }
            }
            *compared += own.len() * (own.len() + 1);
        }
    };
    for b in cartsim::scenario::builtin::BUILTIN {
        let s = cartsim::scenario::load_bytes(b.name, b.text.as_bytes()).expect("loads");
        let mut world = s.world.clone();
        check(&world, b.name, &mut compared);
        for (i, step) in s.steps.iter().enumerate() {
            world.apply(&step.action);
            check(&world, &format!("{} step {}", b.name, i + 1), &mut compared);
        }
    }
    assert!(compared > 10_000, "{compared} actions compared");
}

/// A search stops looking for an anomaly once it has its shortest example: what the
/// checks report with some anomalies closed is exactly what they report with all open,
/// less the closed ones. Checked for every anomaly, at every step of every built-in
/// scenario, for the state and for each letter of the alphabet as the step.
#[test]
fn an_anomaly_no_longer_looked_for_is_the_only_one_left_out() {
    let names = |seen: Vec<anomaly::Seen>| -> Vec<&'static str> {
        seen.iter().map(|s| CATALOGUE[s.anomaly].name).collect()
    };
    let mut shown = std::collections::BTreeSet::new();
    let mut check = |world: &World| {
        let letters = letters(world);
        let mut ahead = Lookahead::new(&letters, 3, false);
        let all_state = names(anomaly::in_state(world, &mut ahead));
        let outcomes: Vec<_> = letters
            .iter()
            .map(|l| {
                let mut after = world.clone();
                let outcome = after.apply(&l.action);
                (l, outcome, after)
            })
            .collect();
        let all_steps: Vec<_> = outcomes
            .iter()
            .map(|(l, o, a)| names(anomaly::in_step(world, l, o, a, &mut ahead)))
            .collect();
        shown.extend(all_state.iter().copied());
        shown.extend(all_steps.iter().flatten().copied());
        for (k, closed) in CATALOGUE.iter().enumerate() {
            let open = Open::from_fn(|i| i != k);
            let without = |all: &[&'static str]| -> Vec<&'static str> {
                all.iter().copied().filter(|n| *n != closed.name).collect()
            };
            // The look-ahead plays on the world it is given and must hand it back.
            let mut played_on = world.clone();
            assert_eq!(
                names(anomaly::in_state_open(&mut played_on, &mut ahead, open)),
                without(&all_state),
                "{} closed",
                closed.name
            );
            assert!(
                played_on == *world,
                "{} closed: the world changed",
                closed.name
            );
            for ((l, o, a), all) in outcomes.iter().zip(&all_steps) {
                assert_eq!(
                    names(anomaly::in_step_open(world, l, o, a, &mut ahead, open)),
                    without(all),
                    "{} closed, {:?}",
                    closed.name,
                    l.action
                );
            }
        }
        let none = Open::from_fn(|_| false);
        assert!(anomaly::in_state_open(&mut world.clone(), &mut ahead, none).is_empty());
    };
    for b in cartsim::scenario::builtin::BUILTIN {
        let s = cartsim::scenario::load_bytes(b.name, b.text.as_bytes()).expect("loads");
        let mut world = s.world.clone();
        check(&world);
        for step in &s.steps {
            world.apply(&step.action);
            check(&world);
        }
    }
    // The built-in scenarios show most of the catalogue, so most closings are tested
    // against a state or step that shows the anomaly closed.
    assert!(shown.len() >= 6, "{shown:?}");
}
