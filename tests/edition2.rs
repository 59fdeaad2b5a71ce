//! The second edition: every contested reading as a store setting, and the behaviour the
//! first model lacked (CartValidationOutput, cart versions, expiry, synchronous states,
//! the order before the cart closes, cart access).

mod common;

use cartsim::engine::*;
use cartsim::scenario::load_bytes;
use common::*;

/// A one-store world in `edition` with extra store keys (`"key": value, ...`).
fn world2(edition: u8, store_keys: &str) -> World {
    let json = format!(
        r#"{{
      "cartsim": {edition}, "title": "t",
      "world": {{
        "stores": [{{"id": "west" {comma} {store_keys}, "checkout_flow": [
            {{"state": "Inventory", "operation": "Check Cart Inventory", "ticks": 2}},
            {{"state": "Checkout Summary", "buyer": true}},
            {{"state": "Cart To Order", "operation": "Cart to Order", "ticks": 1}},
            {{"state": "Authorize Payment", "sync": true}},
            {{"state": "Activate Order", "operation": "Activate Order", "ticks": 1}}]}}],
        "accounts": [{{"id": "acme", "stores": ["west"]}}, {{"id": "beta", "stores": ["west"]}}],
        "buyers": [{{"id": "bob", "accounts": ["acme", "beta"]}}, {{"id": "amy", "accounts": ["acme"]}}],
        "products": [{{"sku": "BOLT", "price": 1.25}}],
        "carts": [{{"id": "cart-1", "store": "west", "buyer": "bob", "items": [{{"sku": "BOLT", "quantity": 10}}]}}]
      }}
    }}"#,
        comma = if store_keys.is_empty() { "" } else { "," }
    );
    match load_bytes("t.json", json.as_bytes()) {
        Ok(s) => s.world,
        Err(e) => panic!("{e}"),
    }
}

fn refused(world: &mut World, action: Action) -> ActionError {
    let before = world.clone();
    let out = world.apply(&action);
    assert_eq!(*world, before, "a refused action changes nothing");
    out.result.expect_err("refused")
}

fn as_actor(action: Action, buyer: &str) -> Action {
    action.with_actor(buyer)
}

#[test]
fn editions_differ_only_in_store_defaults() {
    let one = world2(1, "");
    let two = world2(2, "");
    assert_eq!(
        one.stores().nth(0).unwrap().settings,
        StoreSettings::defaults(Edition::One)
    );
    assert_eq!(
        two.stores().nth(0).unwrap().settings,
        StoreSettings::defaults(Edition::Two)
    );
    let explicit = world2(
        1,
        r#""checkout_session": "get_or_create", "continue_while_processing": "already_in_process",
           "cart_access": "owner_and_account", "validation_on_start": "clear",
           "order_created": "at_cart_to_order", "canceled_finished_at": "null",
           "checkout_expiry": "on_return""#,
    );
    assert_eq!(
        explicit.stores().nth(0).unwrap().settings,
        two.stores().nth(0).unwrap().settings
    );
}

#[test]
fn strict_checkout_session_refuses_a_second_start() {
    let mut w = world2(1, "");
    ok(&mut w, start("cart-1"));
    let e = refused(&mut w, start("cart-1"));
    assert_eq!(e.kind, ErrorKind::CheckoutAlreadyInProgress);
    assert!(
        e.kind
            .spec()
            .reading
            .unwrap()
            .starts_with("checkout_session: strict")
    );
}

#[test]
fn get_or_create_returns_the_active_session_and_changes_nothing() {
    let mut w = world2(2, "");
    ok(&mut w, start("cart-1"));
    let before = w.clone();
    let out = ok(&mut w, start("cart-1"));
    assert_eq!(w, before);
    assert_eq!(out.changes.len(), 1);
    assert_eq!(out.changes[0].rule, Rule::CheckoutReturnsSession);
    assert_eq!(out.changes[0].what(), ChangeWhat::Noted);
    assert_eq!(out.changes[0].record, "ccs-1");
}

#[test]
fn get_or_create_still_refuses_a_closed_cart() {
    let mut w = world2(2, "");
    edit_nth_cart(&mut w, 0, |c| c.status = CartStatus::Closed);
    let e = refused(&mut w, start("cart-1"));
    assert_eq!(e.kind, ErrorKind::CheckoutCartNotActiveOrCheckout);
    assert_eq!(e.code(), "INVALID_OPERATION");
}

#[test]
fn lenient_cancel_without_a_session_succeeds_and_changes_nothing() {
    let mut w = world2(2, r#""cancel_requirements": "lenient""#);
    let before = w.clone();
    let out = ok(&mut w, cancel("cart-1"));
    assert_eq!(w, before);
    assert_eq!(out.changes[0].rule, Rule::CancelNothingToCancel);
    assert_eq!(out.changes[0].rule.source().tag(), "inferred");
    // The enforcing reading refuses the same cancel (requirement 5).
    let mut w = world2(2, "");
    assert_eq!(
        refused(&mut w, cancel("cart-1")).kind,
        ErrorKind::CancelNoActiveSession
    );
}

#[test]
fn lenient_cancel_with_a_dangling_operation_archives_and_unlocks() {
    let mut w = world2(2, r#""cancel_requirements": "lenient""#);
    ok(&mut w, start("cart-1"));
    edit_nth_session(&mut w, 0, |s| {
        s.background_operation_id = Some("bop-404".into())
    });
    let out = ok(&mut w, cancel("cart-1"));
    assert_eq!(field(&w, "ccs-1", "IsArchived"), "true");
    assert_eq!(field(&w, "cart-1", "Status"), "Active");
    assert!(
        out.changes
            .iter()
            .any(|c| c.rule == Rule::CancelWithoutOperation)
    );
    // bop-1 was not named by the session any more, so it is left alone.
    assert_eq!(field(&w, "bop-1", "Status"), "Running");
}

#[test]
fn a_closed_cart_is_refused_in_both_readings() {
    for keys in ["", r#""cancel_requirements": "lenient""#] {
        let mut w = world2(2, keys);
        edit_nth_cart(&mut w, 0, |c| c.status = CartStatus::Closed);
        assert_eq!(
            refused(&mut w, cancel("cart-1")).kind,
            ErrorKind::CancelCartClosed
        );
    }
}

#[test]
fn continue_while_processing_gives_the_editions_code() {
    let mut one = world2(1, "");
    ok(&mut one, start("cart-1"));
    let e = refused(&mut one, cont("cart-1"));
    assert_eq!((e.code(), e.http()), ("CHECKOUT_CONFLICT", Some(409)));
    let mut two = world2(2, "");
    ok(&mut two, start("cart-1"));
    let e = refused(&mut two, cont("cart-1"));
    assert_eq!((e.code(), e.http()), ("ALREADY_IN_PROCESS", Some(400)));
}

#[test]
fn cart_access_checks_owner_and_account_after_membership() {
    let mut w = world2(2, "");
    let e = refused(&mut w, as_actor(start("cart-1"), "amy"));
    assert_eq!(e.kind, ErrorKind::CheckoutNoCartAccess);
    assert!(e.message.contains("owned by bob"));
    ok(&mut w, switch("bob", "beta"));
    let e = refused(&mut w, cancel("cart-1"));
    assert_eq!(e.kind, ErrorKind::CancelNoCartAccess);
    let e = refused(&mut w, add("cart-1", "BOLT", 1));
    assert_eq!(e.kind, ErrorKind::AddNoCartAccess);
    assert_eq!(e.code(), "INSUFFICIENT_ACCESS_OR_READONLY");
    // Format 1 does not check cart access.
    let mut one = world2(1, "");
    ok(&mut one, as_actor(start("cart-1"), "amy"));
}

#[test]
fn a_failed_integration_writes_a_validation_row_and_stops_the_checkout() {
    let mut w = world2(2, "");
    ok(&mut w, start("cart-1"));
    ok(
        &mut w,
        Action::FailOperation {
            cart: "cart-1".into(),
            message: "BOLT is out of stock".into(),
        },
    );
    ok(&mut w, wait(1));
    assert_eq!(field(&w, "bop-1", "Status"), "Error");
    assert_eq!(field(&w, "ccs-1", "State"), "Error");
    assert_eq!(field(&w, "cvo-1", "Level"), "Error");
    assert_eq!(field(&w, "cvo-1", "Type"), "Inventory");
    assert_eq!(field(&w, "cvo-1", "Message"), "BOLT is out of stock");
    assert_eq!(field(&w, "cvo-1", "BackgroundOperationId"), "bop-1");
    assert_eq!(field(&w, "cvo-1", "CartId"), "cart-1");
}

#[test]
fn a_warning_is_recorded_and_the_checkout_goes_on() {
    let mut w = world2(2, "");
    ok(&mut w, start("cart-1"));
    ok(
        &mut w,
        Action::IntegrationFault {
            cart: "cart-1".into(),
            message: "only 8 left".into(),
            level: ValidationLevel::Warning,
            kind: None,
        },
    );
    let out = ok(&mut w, wait(1));
    assert_eq!(field(&w, "bop-1", "Status"), "Complete");
    assert_eq!(field(&w, "ccs-1", "State"), "Checkout Summary");
    assert_eq!(field(&w, "cvo-1", "Level"), "Warning");
    assert!(
        out.changes
            .iter()
            .any(|c| c.rule == Rule::WarningDoesNotStop)
    );
}

#[test]
fn checkout_session_clears_validation_rows_in_edition_2_only() {
    for (edition, left) in [(1u8, 1usize), (2, 0)] {
        let mut w = world2(edition, "");
        ok(&mut w, start("cart-1"));
        ok(
            &mut w,
            Action::FailOperation {
                cart: "cart-1".into(),
                message: "no stock".into(),
            },
        );
        ok(&mut w, wait(1));
        ok(&mut w, cancel("cart-1"));
        let out = ok(&mut w, start("cart-1"));
        assert_eq!(w.validation_outputs().len(), left, "edition {edition}");
        assert_eq!(
            out.changes
                .iter()
                .any(|c| c.rule == Rule::CheckoutClearsValidation),
            edition == 2
        );
    }
}

#[test]
fn custom_code_saving_the_cart_makes_the_running_operation_fail_as_in_use() {
    let mut w = world2(2, "");
    ok(&mut w, start("cart-1"));
    ok(
        &mut w,
        Action::CustomUpdate {
            cart: "cart-1".into(),
            during_next_call: false,
        },
    );
    assert_eq!(field(&w, "cart-1", "~version"), "1");
    ok(&mut w, wait(2));
    assert_eq!(field(&w, "bop-1", "Status"), "Error");
    assert_eq!(
        field(&w, "bop-1", "Error"),
        "Looks like your cart is currently in use. Please try again later."
    );
    assert_eq!(field(&w, "cvo-1", "Type"), "System_Error");
    assert_eq!(field(&w, "ccs-1", "State"), "Error");
    // A new checkout reads the new version and runs through.
    ok(&mut w, cancel("cart-1"));
    ok(&mut w, start("cart-1"));
    ok(&mut w, wait(2));
    assert_eq!(field(&w, "bop-2", "Status"), "Complete");
}

#[test]
fn an_eager_checkout_expires_after_its_time_to_live() {
    let mut w = world2(2, r#""checkout_ttl": 10, "checkout_expiry": "eager""#);
    ok(&mut w, start("cart-1"));
    ok(&mut w, wait(9));
    assert_eq!(field(&w, "cart-1", "Status"), "Checkout");
    let out = ok(&mut w, wait(1));
    assert_eq!(w.tick, 10);
    assert_eq!(field(&w, "ccs-1", "IsArchived"), "true");
    assert_eq!(field(&w, "cart-1", "Status"), "Active");
    assert!(out.changes.iter().all(|c| c.rule == Rule::CheckoutExpires));
    // A new checkout gets a new session and a new time-to-live.
    ok(&mut w, start("cart-1"));
    assert_eq!(field(&w, "ccs-2", "IsArchived"), "false");
}

#[test]
fn an_eagerly_expiring_checkout_cancels_its_running_operation() {
    let mut w = world2(2, r#""checkout_ttl": 1, "checkout_expiry": "eager""#);
    ok(&mut w, start("cart-1"));
    ok(&mut w, wait(1));
    assert_eq!(field(&w, "bop-1", "Status"), "Canceled");
    // Edition 2: FinishedAt only on Complete or Error.
    assert_eq!(field(&w, "bop-1", "FinishedAt"), "null");
}

#[test]
fn format_1_expires_eagerly_and_format_2_on_return() {
    for (edition, archived) in [(1, "true"), (2, "false")] {
        let mut w = world2(edition, r#""checkout_ttl": 3"#);
        ok(&mut w, start("cart-1"));
        ok(&mut w, wait(5));
        assert_eq!(
            field(&w, "ccs-1", "IsArchived"),
            archived,
            "edition {edition}"
        );
    }
}

#[test]
fn a_time_to_live_of_zero_disables_checkout() {
    let mut w = world2(2, r#""checkout_ttl": 0"#);
    assert_eq!(
        refused(&mut w, start("cart-1")).kind,
        ErrorKind::CheckoutDisabled
    );
}

#[test]
fn finished_operations_leave_the_queue_and_the_session_keeps_the_dangling_id() {
    let mut w = world2(2, r#""operation_expiry": 5"#);
    ok(&mut w, start("cart-1"));
    ok(&mut w, wait(2));
    assert_eq!(field(&w, "bop-1", "ExpiresAt"), "7");
    let out = ok(&mut w, wait(5));
    assert!(w.operation("bop-1").is_none());
    assert!(
        out.changes
            .iter()
            .any(|c| c.rule == Rule::OperationLeavesQueue && c.what() == ChangeWhat::Removed)
    );
    // The buyer state's session still names bop-1 (the last operation).
    assert_eq!(field(&w, "ccs-1", "BackgroundOperationId"), "bop-1");
    assert_eq!(
        refused(&mut w, cancel("cart-1")).kind,
        ErrorKind::CancelInvalidOperationId
    );
    // No new operation takes the freed id.
    ok(&mut w, cont("cart-1"));
    assert_eq!(field(&w, "ccs-1", "BackgroundOperationId"), "bop-2");
}

#[test]
fn a_synchronous_state_runs_at_once_without_an_operation() {
    let mut w = world2(2, "");
    ok(&mut w, start("cart-1"));
    ok(&mut w, Action::Settle);
    ok(&mut w, cont("cart-1"));
    let ops_before = w.operations().len();
    let out = ok(&mut w, wait(1)); // Cart to Order finishes, Authorize Payment runs at once
    assert!(out.changes.iter().any(|c| c.rule == Rule::SyncStateRuns));
    assert_eq!(field(&w, "ccs-1", "State"), "Activate Order");
    assert_eq!(
        w.operations().len(),
        ops_before + 1,
        "only Activate Order launched"
    );
    assert!(w.operations().iter().all(|o| o.name != "Authorize Payment"));
}

#[test]
fn the_order_exists_while_the_cart_is_still_in_checkout() {
    let mut w = world2(2, "");
    ok(&mut w, start("cart-1"));
    ok(&mut w, Action::Settle);
    ok(&mut w, cont("cart-1"));
    ok(&mut w, wait(1));
    assert_eq!(field(&w, "ccs-1", "OrderId"), "ord-1");
    assert_eq!(field(&w, "cart-1", "Status"), "Checkout");
    ok(&mut w, wait(1));
    assert_eq!(field(&w, "cart-1", "Status"), "Closed");
    assert_eq!(field(&w, "ccs-1", "State"), "Complete");
    assert_eq!(w.orders().len(), 1);
    // Format 1: the order and the closed cart come together at the end.
    let mut one = world2(1, "");
    ok(&mut one, start("cart-1"));
    ok(&mut one, Action::Settle);
    ok(&mut one, cont("cart-1"));
    ok(&mut one, wait(1));
    assert_eq!(field(&one, "ccs-1", "OrderId"), "null");
    ok(&mut one, Action::Settle);
    assert_eq!(field(&one, "ccs-1", "OrderId"), "ord-1");
    assert_eq!(field(&one, "cart-1", "Status"), "Closed");
}

#[test]
fn scheduled_and_waiting_operations_count_as_in_progress_and_merged_as_finished() {
    for status in OperationStatus::ALL {
        let expected = matches!(
            status,
            OperationStatus::New
                | OperationStatus::Scheduled
                | OperationStatus::Waiting
                | OperationStatus::Running
        );
        assert_eq!(status.in_progress(), expected, "{status}");
    }
    assert_eq!(OperationStatus::ALL.len(), 8);
}

#[test]
fn every_new_rule_and_error_has_a_source() {
    for rule in Rule::ALL {
        assert!(!rule.source().reference().is_empty(), "{rule:?}");
    }
    for kind in ErrorKind::ALL {
        let spec = kind.spec();
        assert!(!spec.origin.reference().is_empty(), "{kind:?}");
        if let Some(m) = kind.buyer_message() {
            assert!(!m.text.is_empty() && !m.source.is_empty());
        }
    }
}

#[test]
fn buyer_facing_messages_are_attached_to_their_codes() {
    let m = ErrorKind::ContinueStateMismatch.buyer_message().unwrap();
    assert_eq!(
        m.text,
        "This checkout is out of date, please refresh the page."
    );
    let m = ErrorKind::AddNoPermission.buyer_message().unwrap();
    assert!(m.text.starts_with("You don't have access to this cart."));
    let m = ErrorKind::ContinueNoActiveSession.buyer_message().unwrap();
    assert!(m.text.contains("checkout running in another tab"));
}
