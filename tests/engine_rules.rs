//! Every rule and every refusal of the engine, one test each.

mod common;

use cartsim::engine::*;
use common::*;

/// The id of the world's `i`-th cart.
fn nth_cart(w: &World, i: usize) -> String {
    w.carts().nth(i).expect("a cart").id.to_string()
}

/// Applies an action that must be refused with `kind`, and checks it changed nothing.
fn refused(world: &mut World, action: Action, kind: ErrorKind) -> ActionError {
    let before = world.clone();
    let outcome = world.apply(&action);
    let error = outcome
        .result
        .clone()
        .expect_err(&format!("{action:?} should be refused with {kind:?}"));
    assert_eq!(error.kind, kind, "{error}");
    assert!(
        outcome.changes.is_empty(),
        "a refused action reported changes"
    );
    assert_eq!(*world, before, "a refused action changed the world");
    error
}

// ---- Checkout Session (start checkout) ----

#[test]
fn start_checkout_creates_a_session_locks_the_cart_and_launches_the_first_operation() {
    let mut w = world();
    let out = ok(&mut w, start("cart-1"));
    assert_eq!(field(&w, "cart-1", "Status"), "Checkout");
    assert_eq!(field(&w, "ccs-1", "State"), "Inventory");
    assert_eq!(field(&w, "ccs-1", "NextState"), "Checkout Summary");
    assert_eq!(field(&w, "ccs-1", "IsProcessing"), "true");
    assert_eq!(field(&w, "ccs-1", "BackgroundOperationId"), "bop-1");
    assert_eq!(field(&w, "bop-1", "Status"), "Running");
    assert_eq!(field(&w, "bop-1", "Name"), "Check Cart Inventory");
    let rules: Vec<Rule> = out.changes.iter().map(|c| c.rule).collect();
    assert!(rules.contains(&Rule::CheckoutCreatesSession));
    assert!(rules.contains(&Rule::CheckoutLocksCart));
    assert!(rules.contains(&Rule::StateLaunchesOperation));
}

#[test]
fn start_checkout_refusals_change_nothing() {
    let mut w = world();
    refused(
        &mut w,
        start("cart-1").with_actor("eve"),
        ErrorKind::CheckoutNoPermission,
    );
    ok(&mut w, switch("bob", "other"));
    refused(
        &mut w,
        start("cart-1"),
        ErrorKind::CheckoutInvalidEffectiveAccount,
    );
    ok(&mut w, switch("bob", "acme"));
    ok(&mut w, leave("acme", "west"));
    refused(&mut w, start("cart-1"), ErrorKind::CheckoutNotStoreMember);
    ok(&mut w, join("acme", "west"));
    ok(&mut w, start("cart-1"));
    let e = refused(
        &mut w,
        start("cart-1"),
        ErrorKind::CheckoutAlreadyInProgress,
    );
    assert_eq!((e.code(), e.http()), ("BAD_REQUEST", Some(400)));
    assert!(e.message.contains("Cart Is Already in Progress"));
    let cart = nth_cart(&w, 1);
    stage(&mut w, |b| {
        b.edit_cart(&cart, |c| c.status = CartStatus::PendingDelete);
    });
    let e = refused(&mut w, start("cart-2"), ErrorKind::CheckoutCartNotActive);
    assert_eq!((e.code(), e.http()), ("INVALID_OPERATION", Some(403)));
}

// ---- time ----

#[test]
fn an_operation_finishes_after_exactly_its_ticks_and_the_session_advances() {
    let mut w = world();
    ok(&mut w, start("cart-1"));
    ok(&mut w, wait(1));
    assert_eq!(field(&w, "bop-1", "Status"), "Running");
    let out = ok(&mut w, wait(1));
    assert_eq!(w.tick, 2);
    assert_eq!(field(&w, "bop-1", "Status"), "Complete");
    assert_eq!(field(&w, "bop-1", "FinishedAt"), "2");
    assert_eq!(field(&w, "ccs-1", "State"), "Checkout Summary");
    assert_eq!(field(&w, "ccs-1", "NextState"), "null");
    assert_eq!(field(&w, "ccs-1", "IsProcessing"), "false");
    // The finished operation stays the session's BackgroundOperationId.
    assert_eq!(field(&w, "ccs-1", "BackgroundOperationId"), "bop-1");
    assert!(out.changes.iter().any(|c| c.rule == Rule::SessionAdvances));
    assert!(out.changes.iter().all(|c| c.tick == 2));
}

#[test]
fn continuing_past_the_last_state_places_the_order_and_closes_the_cart() {
    let mut w = world();
    ok(&mut w, start("cart-1"));
    ok(&mut w, Action::Settle);
    ok(&mut w, cont("cart-1"));
    assert_eq!(field(&w, "ccs-1", "State"), "Cart To Order");
    assert_eq!(field(&w, "ccs-1", "NextState"), "Complete");
    ok(&mut w, Action::Settle);
    assert_eq!(field(&w, "ccs-1", "State"), "Complete");
    assert_eq!(field(&w, "ccs-1", "OrderId"), "ord-1");
    assert_eq!(field(&w, "cart-1", "Status"), "Closed");
    // A flow ending on a buyer state places the order on continue.
    ok(&mut w, start("cart-2"));
    ok(&mut w, Action::Settle);
    let out = ok(&mut w, cont("cart-2"));
    assert_eq!(field(&w, "cart-2", "Status"), "Closed");
    assert_eq!(field(&w, "ccs-2", "OrderId"), "ord-2");
    assert!(out.changes.iter().any(|c| c.rule == Rule::OrderPlaced));
}

#[test]
fn operations_finishing_in_the_same_tick_are_handled_in_launch_order() {
    let mut w = world();
    ok(&mut w, start("cart-1"));
    ok(&mut w, start("cart-2"));
    let out = ok(&mut w, wait(2));
    let finished: Vec<&str> = out
        .changes
        .iter()
        .filter(|c| c.field == Some("Status") && c.new == FieldValue::Text("Complete".into()))
        .map(|c| c.record.as_str())
        .collect();
    assert_eq!(finished, ["bop-1", "bop-2"]);
}

#[test]
fn a_new_operation_starts_at_the_next_tick_then_runs_its_ticks() {
    let s = scenario(
        r#"{"cartsim": 1, "title": "t", "world": {
        "stores": [{"id": "w"}], "accounts": [{"id": "a", "stores": ["w"]}],
        "buyers": [{"id": "b", "accounts": ["a"]}],
        "carts": [{"id": "c", "store": "w", "buyer": "b", "status": "Checkout"}],
        "operations": [{"id": "op", "name": "Price Cart", "status": "New", "ticks_left": 2}],
        "sessions": [{"id": "s", "cart": "c", "state": "Confirm Price", "next_state": "Calculate Promotions",
                      "is_processing": true, "background_operation_id": "op"}]}}"#,
    );
    let mut w = s.world;
    let out = ok(&mut w, wait(1));
    assert_eq!(field(&w, "op", "Status"), "Running");
    assert!(out.changes.iter().any(|c| c.rule == Rule::OperationStarts));
    ok(&mut w, wait(1));
    assert_eq!(field(&w, "op", "Status"), "Running");
    ok(&mut w, wait(1));
    assert_eq!(field(&w, "op", "Status"), "Complete");
    // NextState was copied into State and its operation launched (default flow).
    assert_eq!(field(&w, "s", "State"), "Calculate Promotions");
    assert_eq!(field(&w, "s", "BackgroundOperationId"), "bop-1");
}

#[test]
fn a_long_wait_equals_many_short_ones() {
    let mut a = world();
    let mut b = world();
    for w in [&mut a, &mut b] {
        ok(w, start("cart-1"));
        ok(w, start("cart-2"));
    }
    ok(&mut a, wait(50));
    for _ in 0..50 {
        ok(&mut b, wait(1));
    }
    assert_eq!(a, b);
}

#[test]
fn an_injected_fault_ends_the_operation_in_error_at_its_next_tick() {
    let mut w = world();
    ok(&mut w, start("cart-1"));
    let out = ok(
        &mut w,
        Action::FailOperation {
            cart: "cart-1".into(),
            message: "Inventory service down".into(),
        },
    );
    assert!(out.changes.is_empty());
    ok(&mut w, wait(1));
    assert_eq!(field(&w, "bop-1", "Status"), "Error");
    assert_eq!(field(&w, "bop-1", "Error"), "Inventory service down");
    assert_eq!(field(&w, "ccs-1", "State"), "Error");
    assert_eq!(field(&w, "ccs-1", "NextState"), "null");
    assert_eq!(field(&w, "ccs-1", "IsError"), "true");
    assert_eq!(field(&w, "ccs-1", "IsProcessing"), "false");
    // Nothing runs now, so there is nothing to fail.
    refused(
        &mut w,
        Action::FailOperation {
            cart: "cart-1".into(),
            message: "again".into(),
        },
        ErrorKind::FailNoRunningOperation,
    );
}

#[test]
fn settle_runs_until_nothing_is_in_progress_and_refuses_endless_work_without_changes() {
    let mut w = world();
    ok(&mut w, start("cart-1"));
    ok(&mut w, Action::Settle);
    assert_eq!(w.tick, 2);
    assert!(w.operations().iter().all(|o| !o.status.in_progress()));
    // Settling with nothing running is a no-op that succeeds.
    assert!(ok(&mut w, Action::Settle).changes.is_empty());
    let s = scenario(
        r#"{"cartsim": 1, "title": "t", "world": {
        "stores": [{"id": "w", "checkout_flow": [
           {"state": "A", "operation": "Slow", "ticks": 1000000},
           {"state": "B", "operation": "Slow", "ticks": 1000000}]}],
        "accounts": [{"id": "a", "stores": ["w"]}],
        "buyers": [{"id": "b", "accounts": ["a"]}],
        "carts": [{"id": "c", "store": "w", "buyer": "b"}]}}"#,
    );
    let mut w = s.world;
    ok(&mut w, start("c"));
    refused(&mut w, Action::Settle, ErrorKind::SettleTimeout);
}

// ---- Cancel Cart Async Operation ----

#[test]
fn cancel_marks_the_operation_canceled_archives_the_session_and_unlocks_the_cart() {
    let mut w = world();
    ok(&mut w, start("cart-1"));
    let out = ok(&mut w, cancel("cart-1"));
    assert_eq!(field(&w, "bop-1", "Status"), "Canceled");
    assert_eq!(field(&w, "ccs-1", "IsArchived"), "true");
    assert_eq!(field(&w, "ccs-1", "IsProcessing"), "false");
    assert_eq!(field(&w, "cart-1", "Status"), "Active");
    let tagged: Vec<(Rule, &str)> = out
        .changes
        .iter()
        .map(|c| (c.rule, c.rule.source().tag()))
        .collect();
    assert!(tagged.contains(&(Rule::CancelMarksOperation, "documented")));
    assert!(tagged.contains(&(Rule::CancelArchivesSession, "documented")));
    assert!(tagged.contains(&(Rule::CancelUnlocksCart, "documented")));
    assert!(tagged.contains(&(Rule::CancelStopsProcessing, "choice")));
    // The canceled operation never completes, and the archived session never moves.
    ok(&mut w, wait(10));
    assert_eq!(field(&w, "bop-1", "Status"), "Canceled");
    assert_eq!(field(&w, "ccs-1", "State"), "Inventory");
}

#[test]
fn cancel_in_a_buyer_state_leaves_the_finished_operation_as_it_was() {
    let mut w = world();
    ok(&mut w, start("cart-1"));
    ok(&mut w, Action::Settle);
    ok(&mut w, cancel("cart-1"));
    assert_eq!(field(&w, "bop-1", "Status"), "Complete");
    assert_eq!(field(&w, "ccs-1", "IsArchived"), "true");
    assert_eq!(field(&w, "cart-1", "Status"), "Active");
}

#[test]
fn cancel_checks_its_six_requirements_in_the_documented_order() {
    let mut w = world();
    // Break all of them at once: each fix reveals the next requirement, in order.
    ok(&mut w, revoke("bob", Permission::CancelCheckout));
    ok(&mut w, switch("bob", "other"));
    ok(&mut w, leave("acme", "west"));
    edit_nth_cart(&mut w, 0, |c| c.status = CartStatus::Closed);

    let order = [
        ErrorKind::CancelNoPermission,
        ErrorKind::CancelInvalidEffectiveAccount,
        ErrorKind::CancelNotStoreMember,
        ErrorKind::CancelCartClosed,
        ErrorKind::CancelNoActiveSession,
        ErrorKind::CancelInvalidOperationId,
    ];
    for (n, kind) in order.iter().enumerate() {
        let e = refused(&mut w, cancel("cart-1"), *kind);
        assert!(
            e.kind
                .spec()
                .requirement
                .starts_with(&format!("requirement {}", n + 1))
        );
        match n {
            0 => drop(ok(&mut w, grant("bob", Permission::CancelCheckout))),
            1 => drop(ok(&mut w, switch("bob", "acme"))),
            2 => drop(ok(&mut w, join("acme", "west"))),
            3 => {
                let cart = nth_cart(&w, 0);
                stage(&mut w, |b| {
                    b.edit_cart(&cart, |c| c.status = CartStatus::Checkout);
                })
            }
            4 => stage(&mut w, |b| {
                b.add_session(CartCheckoutSession {
                    id: "stale".into(),
                    cart: "cart-1".into(),
                    state: "Inventory".into(),
                    next_state: None,
                    is_processing: true,
                    is_error: false,
                    is_archived: false,
                    background_operation_id: Some("bop-404".into()),
                    order_id: None,
                    started_at: 0,
                    ..CartCheckoutSession::default()
                });
            }),
            _ => {}
        }
    }
    assert!(
        w.sessions()
            .nth(0)
            .unwrap()
            .background_operation_id
            .is_some()
    );
    let session = w.sessions().first().expect("a session").id;
    stage(&mut w, |b| {
        b.edit_session(&session, |s| s.background_operation_id = None);
    });
    let e = refused(
        &mut w,
        cancel("cart-1"),
        ErrorKind::CancelInvalidOperationId,
    );
    assert!(e.message.contains("is null"));
}

#[test]
fn cancel_error_codes_are_documented_or_labelled_borrowed() {
    for kind in [
        ErrorKind::CancelNoPermission,
        ErrorKind::CancelInvalidEffectiveAccount,
        ErrorKind::CancelNotStoreMember,
        ErrorKind::CancelNoActiveSession,
        ErrorKind::CancelInvalidOperationId,
    ] {
        assert_eq!(kind.spec().origin.tag(), "borrowed", "{kind:?}");
    }
    let closed = ErrorKind::CancelCartClosed.spec();
    assert_eq!(
        (closed.code, closed.http, closed.origin.tag()),
        ("INVALID_OPERATION", Some(403), "documented")
    );
}

#[test]
fn cancelling_a_closed_cart_gives_invalid_operation_403() {
    let mut w = world();
    place_order(&mut w, "cart-1");
    let e = refused(&mut w, cancel("cart-1"), ErrorKind::CancelCartClosed);
    assert_eq!(
        e.to_string().split(' ').take(2).collect::<Vec<_>>(),
        ["INVALID_OPERATION", "403"]
    );
}

#[test]
fn cancelling_twice_fails_the_second_time_for_want_of_an_active_session() {
    let mut w = world();
    ok(&mut w, start("cart-1"));
    ok(&mut w, cancel("cart-1"));
    refused(&mut w, cancel("cart-1"), ErrorKind::CancelNoActiveSession);
}

#[test]
fn a_new_checkout_after_cancel_gets_a_new_session_and_the_old_stays_archived() {
    let mut w = world();
    ok(&mut w, start("cart-1"));
    ok(&mut w, cancel("cart-1"));
    ok(&mut w, start("cart-1"));
    assert_eq!(field(&w, "ccs-1", "IsArchived"), "true");
    assert_eq!(field(&w, "ccs-2", "IsArchived"), "false");
    assert_eq!(
        w.active_session("cart-1").map(|s| s.id.as_str()),
        Some("ccs-2")
    );
}

// ---- add to cart ----

#[test]
fn add_to_cart_updates_counts_and_exact_amounts() {
    let mut w = world();
    let out = ok(&mut w, add("cart-1", "NUT", 3));
    assert_eq!(field(&w, "cart-1", "TotalProductCount"), "13");
    assert_eq!(field(&w, "cart-1", "UniqueProductCount"), "2");
    // 10 x 1.25 + 3 x 0.10: exact, no float drift.
    assert_eq!(field(&w, "cart-1", "TotalProductAmount"), "12.80");
    ok(&mut w, add("cart-1", "NUT", 7));
    assert_eq!(field(&w, "cart-1", "TotalProductAmount"), "13.50");
    assert!(
        out.changes
            .iter()
            .all(|c| c.rule == Rule::AddToCartAddsItem)
    );
}

#[test]
fn add_to_cart_during_checkout_cancels_it_first_in_a_cancel_checkout_store() {
    let mut w = world();
    ok(&mut w, start("cart-1"));
    let out = ok(&mut w, add("cart-1", "NUT", 1));
    assert_eq!(field(&w, "bop-1", "Status"), "Canceled");
    assert_eq!(field(&w, "ccs-1", "IsArchived"), "true");
    assert_eq!(field(&w, "cart-1", "Status"), "Active");
    assert_eq!(field(&w, "cart-1", "TotalProductCount"), "11");
    let cart_status = out
        .changes
        .iter()
        .find(|c| c.field == Some("Status") && c.record == "cart-1");
    assert_eq!(
        cart_status.map(|c| c.rule),
        Some(Rule::CartChangeCancelsCheckout)
    );
}

#[test]
fn add_to_cart_fails_with_the_cancels_error_when_the_cancel_would_fail() {
    let mut w = world();
    ok(&mut w, start("cart-1"));
    ok(&mut w, revoke("bob", Permission::CancelCheckout));
    refused(
        &mut w,
        add("cart-1", "NUT", 1),
        ErrorKind::CancelNoPermission,
    );
}

#[test]
fn add_to_cart_in_a_recalculate_store_restarts_the_checkout() {
    let mut w = world_with("recalculate");
    ok(&mut w, start("cart-2"));
    ok(&mut w, wait(1));
    let out = ok(&mut w, add("cart-2", "NUT", 1));
    assert_eq!(field(&w, "cart-2", "Status"), "Checkout");
    assert_eq!(field(&w, "ccs-1", "IsArchived"), "false");
    assert_eq!(field(&w, "bop-1", "Status"), "Canceled");
    assert_eq!(field(&w, "ccs-1", "BackgroundOperationId"), "bop-2");
    assert_eq!(field(&w, "bop-2", "Status"), "Running");
    assert_eq!(field(&w, "ccs-1", "State"), "Inventory");
    assert!(
        out.changes
            .iter()
            .any(|c| c.rule == Rule::CartChangeRecalculates)
    );
    assert_eq!(Rule::CartChangeRecalculates.source().tag(), "choice");
    // The same change in a cancel_checkout store cancels instead.
    let mut w = world_with("cancel_checkout");
    ok(&mut w, start("cart-2"));
    ok(&mut w, add("cart-2", "NUT", 1));
    assert_eq!(field(&w, "ccs-1", "IsArchived"), "true");
}

#[test]
fn add_to_cart_refuses_locked_carts_and_bad_quantities() {
    for status in [
        CartStatus::Closed,
        CartStatus::PendingClosed,
        CartStatus::PendingDelete,
        CartStatus::Processing,
    ] {
        let mut w = world();
        let cart = nth_cart(&w, 0);
        stage(&mut w, |b| {
            b.edit_cart(&cart, |c| c.status = status);
        });
        refused(
            &mut w,
            add("cart-1", "NUT", 1),
            ErrorKind::AddCartNotModifiable,
        );
    }
    let mut w = world();
    for q in [
        Quantity::Whole(0),
        Quantity::Whole(-3),
        Quantity::Other("1.5".into()),
    ] {
        let action = Action::AddToCart {
            cart: "cart-1".into(),
            sku: "NUT".into(),
            quantity: q,
            actor: None,
        };
        refused(&mut w, action, ErrorKind::AddInvalidQuantity);
    }
    refused(
        &mut w,
        add("cart-1", "NUT", 1_000_001),
        ErrorKind::AddInvalidQuantity,
    );
    refused(
        &mut w,
        add("cart-1", "BOLT", 999_991),
        ErrorKind::AddInvalidQuantity,
    );
    ok(&mut w, add("cart-1", "BOLT", 999_990));
}

#[test]
fn add_to_cart_checks_the_actor() {
    let mut w = world();
    refused(
        &mut w,
        add("cart-1", "NUT", 1).with_actor("eve"),
        ErrorKind::AddNoPermission,
    );
    ok(&mut w, switch("bob", "other"));
    refused(
        &mut w,
        add("cart-1", "NUT", 1),
        ErrorKind::AddInvalidEffectiveAccount,
    );
    ok(&mut w, switch("bob", "acme"));
    ok(&mut w, leave("acme", "west"));
    refused(
        &mut w,
        add("cart-1", "NUT", 1),
        ErrorKind::AddNotStoreMember,
    );
}

// ---- continue ----

#[test]
fn continue_refuses_while_processing_in_error_and_without_a_session() {
    let mut w = world();
    refused(&mut w, cont("cart-1"), ErrorKind::ContinueNoActiveSession);
    ok(&mut w, start("cart-1"));
    let e = refused(&mut w, cont("cart-1"), ErrorKind::ContinueWhileProcessing);
    assert_eq!((e.code(), e.http()), ("CHECKOUT_CONFLICT", Some(409)));
    ok(
        &mut w,
        Action::FailOperation {
            cart: "cart-1".into(),
            message: "x".into(),
        },
    );
    ok(&mut w, wait(1));
    refused(&mut w, cont("cart-1"), ErrorKind::ContinueStateMismatch);
    refused(
        &mut w,
        cont("cart-1").with_actor("eve"),
        ErrorKind::ContinueNoPermission,
    );
}

#[test]
fn continue_checks_account_and_membership() {
    let mut w = world();
    ok(&mut w, start("cart-1"));
    ok(&mut w, Action::Settle);
    ok(&mut w, switch("bob", "other"));
    refused(
        &mut w,
        cont("cart-1"),
        ErrorKind::ContinueInvalidEffectiveAccount,
    );
    ok(&mut w, switch("bob", "acme"));
    ok(&mut w, leave("acme", "west"));
    refused(&mut w, cont("cart-1"), ErrorKind::ContinueNotStoreMember);
}

// ---- world edits, ids, catalogue ----

#[test]
fn world_edits_are_logged_as_scenario_changes() {
    let mut w = world();
    let out = ok(&mut w, revoke("bob", Permission::Checkout));
    assert_eq!(out.changes.len(), 1);
    assert_eq!(
        out.changes[0].headline(),
        "bob.permissions: edit_cart, checkout, cancel_checkout -> edit_cart, cancel_checkout"
    );
    assert_eq!(out.changes[0].rule.source(), Source::Scenario);
    // Granting what is already held changes nothing and succeeds.
    assert!(
        ok(&mut w, grant("bob", Permission::EditCart))
            .changes
            .is_empty()
    );
}

#[test]
fn unknown_ids_are_refused_not_panicked_on() {
    let mut w = world();
    refused(&mut w, start("nope"), ErrorKind::UnknownRecord);
    refused(&mut w, add("cart-1", "NOPE", 1), ErrorKind::UnknownRecord);
    refused(
        &mut w,
        grant("nobody", Permission::Checkout),
        ErrorKind::UnknownRecord,
    );
    refused(&mut w, join("acme", "nope"), ErrorKind::UnknownRecord);
}

#[test]
fn generated_ids_skip_ids_the_world_already_uses() {
    let s = scenario(
        r#"{"cartsim": 1, "title": "t", "world": {
        "stores": [{"id": "w"}], "accounts": [{"id": "a", "stores": ["w"]}],
        "buyers": [{"id": "b", "accounts": ["a"]}],
        "carts": [{"id": "c", "store": "w", "buyer": "b"}, {"id": "ccs-1", "store": "w", "buyer": "b"}],
        "operations": [{"id": "bop-1", "name": "Old", "status": "Complete"}]}}"#,
    );
    let mut w = s.world;
    ok(&mut w, start("c"));
    assert!(w.session("ccs-2").is_some());
    assert_eq!(field(&w, "ccs-2", "BackgroundOperationId"), "bop-2");
}

#[test]
fn a_generated_id_skips_one_taken_further_on_and_not_one_only_alike() {
    // bop-3 is taken ahead of the counter; bop-02 and bop-x only look like generated ids.
    let s = scenario(
        r#"{"cartsim": 1, "title": "t", "world": {
        "stores": [{"id": "w"}], "accounts": [{"id": "a", "stores": ["w"]}],
        "buyers": [{"id": "b", "accounts": ["a"]}],
        "carts": [{"id": "c1", "store": "w", "buyer": "b"}, {"id": "c2", "store": "w", "buyer": "b"},
                  {"id": "c3", "store": "w", "buyer": "b"}],
        "operations": [{"id": "bop-3", "name": "Old", "status": "Complete"},
                       {"id": "bop-02", "name": "Old", "status": "Complete"},
                       {"id": "bop-x", "name": "Old", "status": "Complete"}]}}"#,
    );
    let mut w = s.world;
    for cart in ["c1", "c2", "c3"] {
        ok(&mut w, start(cart));
    }
    assert_eq!(field(&w, "ccs-1", "BackgroundOperationId"), "bop-1");
    assert_eq!(field(&w, "ccs-2", "BackgroundOperationId"), "bop-2");
    assert_eq!(field(&w, "ccs-3", "BackgroundOperationId"), "bop-4");
}

#[test]
fn the_catalogue_is_complete_and_consistent() {
    for kind in ErrorKind::ALL {
        let spec = kind.spec();
        assert!(!spec.code.is_empty() && !spec.requirement.is_empty());
        assert!(
            spec.http.is_none_or(|h| (400..600).contains(&h)),
            "{kind:?}"
        );
        assert!(!spec.origin.reference().is_empty());
    }
    for rule in Rule::ALL {
        assert!(!rule.text().is_empty());
    }
}

#[test]
fn a_dangling_background_operation_id_is_never_adopted_by_a_new_operation() {
    let s = scenario(
        r#"{"cartsim": 1, "title": "t", "world": {
        "stores": [{"id": "w"}], "accounts": [{"id": "a", "stores": ["w"]}],
        "buyers": [{"id": "b", "accounts": ["a"]}],
        "carts": [{"id": "c1", "store": "w", "buyer": "b", "status": "Checkout"},
                  {"id": "c2", "store": "w", "buyer": "b"}],
        "sessions": [{"id": "s", "cart": "c1", "state": "Inventory", "is_processing": true,
                      "background_operation_id": "bop-1"}]}}"#,
    );
    let mut w = s.world;
    refused(&mut w, cancel("c1"), ErrorKind::CancelInvalidOperationId);
    ok(&mut w, start("c2"));
    assert_eq!(field(&w, "ccs-1", "BackgroundOperationId"), "bop-2");
    refused(&mut w, cancel("c1"), ErrorKind::CancelInvalidOperationId);
}

#[test]
fn starting_checkout_on_a_closed_cart_names_the_status_not_the_finished_session() {
    let mut w = world();
    place_order(&mut w, "cart-1");
    let e = refused(&mut w, start("cart-1"), ErrorKind::CheckoutCartNotActive);
    assert!(e.message.contains("Closed"), "{e}");
}
