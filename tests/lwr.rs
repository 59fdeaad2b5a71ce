//! `lwr` stores: the REST checkout API with the records an org keeps for it. One Cart
//! Calculate per calculating call, the CartDeliveryGroup, PaymentAuthorizations, the
//! cart's charge, tax and grand total, Place Order V2, custom code during a call, cart
//! cleanup, response bodies, the time to live on return, and the load errors that keep
//! REST steps out of aura stores and removed fields out of expectations.

mod common;

use cartsim::engine::rest::{CheckoutPatch, PaymentOutcome, PlaceOrderStep};
use cartsim::engine::*;
use cartsim::scenario::load_bytes;
use common::*;
use serde_json::json;

/// An lwr store `west` (extra store keys allowed) with delivery methods Ground (10)
/// and Express (25), an aura store `east`, buyer `bob` (owner of `cart-1` in west and
/// `cart-2` in east), guest `gus` (owner of `cart-g`), `sam` with a saved address
/// (owner of `cart-s`).
fn lwr_world(store_keys: &str) -> World {
    let json = format!(
        r#"{{
      "cartsim": 2, "title": "t",
      "world": {{
        "stores": [{{"id": "west", "template": "lwr",
                     "delivery_methods": [{{"id": "Ground", "name": "Ground", "price": 10}},
                                          {{"id": "Express", "name": "Express", "price": 25}}]
                     {store_keys}}}, {{"id": "east"}}],
        "accounts": [{{"id": "acme", "stores": ["west", "east"]}}, {{"id": "other"}}],
        "buyers": [{{"id": "bob", "accounts": ["acme"]}}, {{"id": "gus", "accounts": ["acme"], "guest": true}},
                   {{"id": "amy", "accounts": ["acme"]}},
                   {{"id": "sam", "accounts": ["acme"], "address": {{"street": "1 Main St", "city": "Springfield", "postal_code": "12345", "country": "US"}}}}],
        "products": [{{"sku": "BOLT", "price": 1.25}}, {{"sku": "NUT", "price": 0.4}}],
        "carts": [{{"id": "cart-1", "store": "west", "buyer": "bob", "items": [{{"sku": "BOLT", "quantity": 10}}]}},
                  {{"id": "cart-2", "store": "east", "buyer": "bob"}},
                  {{"id": "cart-g", "store": "west", "buyer": "gus", "items": [{{"sku": "NUT", "quantity": 1}}]}},
                  {{"id": "cart-s", "store": "west", "buyer": "sam", "items": [{{"sku": "BOLT", "quantity": 2}}]}}]
      }}
    }}"#
    );
    match load_bytes("t.json", json.as_bytes()) {
        Ok(s) => s.world,
        Err(e) => panic!("{e}"),
    }
}

fn put(cart: &str) -> Action {
    Action::CheckoutStart {
        cart: cart.into(),
        actor: None,
    }
}
fn get(cart: &str) -> Action {
    Action::CheckoutPoll {
        cart: cart.into(),
        actor: None,
    }
}
fn address(street: &str) -> Address {
    Address {
        street: Some(street.into()),
        city: Some("Springfield".into()),
        postal_code: None,
        country: Some("US".into()),
    }
}
fn patch(cart: &str, street: Option<&str>, method: Option<&str>, contact: Option<&str>) -> Action {
    Action::CheckoutUpdate {
        cart: cart.into(),
        patch: CheckoutPatch {
            shipping_address: street.map(address),
            delivery_method: method.map(Into::into),
            contact: contact.map(Into::into),
        },
        actor: None,
    }
}
fn delete(cart: &str) -> Action {
    Action::CheckoutDelete {
        cart: cart.into(),
        actor: None,
    }
}
fn pay(cart: &str, outcome: PaymentOutcome) -> Action {
    Action::Pay {
        cart: cart.into(),
        outcome,
        actor: None,
    }
}
fn order(cart: &str) -> Action {
    Action::PlaceOrder {
        cart: cart.into(),
        step: None,
        actor: None,
    }
}
fn order_v2(cart: &str, step: PlaceOrderStep) -> Action {
    Action::PlaceOrder {
        cart: cart.into(),
        step: Some(step),
        actor: None,
    }
}
fn custom_code_during_next_call(cart: &str) -> Action {
    Action::CustomUpdate {
        cart: cart.into(),
        during_next_call: true,
    }
}
fn fail(cart: &str, level: ValidationLevel) -> Action {
    Action::IntegrationFault {
        cart: cart.into(),
        message: "out of stock".into(),
        level,
        kind: None,
    }
}

/// Applies a call that must succeed with `status`.
fn status(world: &mut World, action: Action, status: u16) -> Outcome {
    let out = world.apply(&action);
    assert!(out.result.is_ok(), "{action:?}: {:?}", out.result);
    assert_eq!(out.http, Some(status), "{action:?}");
    assert!(out.request.is_some(), "a REST call has a request line");
    out
}

/// Applies a call that must be refused with `kind` (and its HTTP status), changing nothing.
fn refused(world: &mut World, action: Action, kind: ErrorKind) -> Outcome {
    let before = world.clone();
    let out = world.apply(&action);
    assert_eq!(*world, before, "a refused call changes nothing: {action:?}");
    let e = out.result.clone().expect_err("refused");
    assert_eq!(e.kind, kind, "{action:?}: {e}");
    assert_eq!(out.http.or(e.http()), kind.spec().http);
    out
}

/// The names of the operations launched since `before`.
fn launched_since(world: &World, before: usize) -> Vec<(String, Vec<&'static str>)> {
    world
        .operations()
        .iter()
        .skip(before)
        .map(|o| {
            (
                o.name.clone(),
                o.calculators.iter().map(|c| c.as_str()).collect(),
            )
        })
        .collect()
}

/// A checkout of cart-1 whose calculation finished, with an address and Ground.
fn ready(world: &mut World) {
    status(world, put("cart-1"), 202);
    ok(world, Action::Settle);
    status(
        world,
        patch("cart-1", Some("1 Main St"), Some("Ground"), None),
        202,
    );
    ok(world, Action::Settle);
}

#[test]
fn put_creates_one_cart_calculate_and_a_delivery_group() {
    let mut w = lwr_world("");
    let out = status(&mut w, put("cart-1"), 202);
    assert_eq!(
        out.request.as_deref(),
        Some("PUT /commerce/webstores/west/checkouts")
    );
    assert_eq!(field(&w, "cart-1", "Status"), "Checkout");
    // One BackgroundOperation for the whole calculation, not one per calculator.
    assert_eq!(
        launched_since(&w, 0),
        [(
            "Cart Calculate".to_string(),
            vec!["Pricing", "Promotions", "Inventory"]
        )]
    );
    assert_eq!(field(&w, "bop-1", "~calculator"), "Pricing");
    // State and NextState are not documented for the REST checkout: null.
    assert_eq!(field(&w, "ccs-1", "State"), "null");
    assert_eq!(field(&w, "ccs-1", "NextState"), "null");
    assert_eq!(field(&w, "ccs-1", "IsProcessing"), "true");
    assert_eq!(field(&w, "ccs-1", "BackgroundOperationId"), "bop-1");
    assert_eq!(field(&w, "cdg-1", "CartId"), "cart-1");
    assert_eq!(field(&w, "cdg-1", "DeliverToCity"), "null");
    assert_eq!(field(&w, "cdg-1", "DeliveryMethodId"), "null");
    let body = out.body.expect("the Checkout output");
    assert_eq!(body["checkoutId"], json!("ccs-1"));
    assert_eq!(body["checkoutStatus"], json!(202));
    assert_eq!(body["deliveryGroups"]["items"][0]["id"], json!("cdg-1"));
    ok(&mut w, wait(1));
    assert_eq!(field(&w, "bop-1", "~calculator"), "Promotions");
    // The same checkout comes back while it runs.
    status(&mut w, put("cart-1"), 202);
    assert_eq!(w.sessions().len(), 1);
    ok(&mut w, Action::Settle);
    assert_eq!(field(&w, "bop-1", "Status"), "Complete");
    assert_eq!(field(&w, "bop-1", "~calculator"), "null");
    status(&mut w, put("cart-1"), 200);
}

#[test]
fn a_saved_address_makes_the_first_calculation_run_shipping_and_tax() {
    let mut w = lwr_world(r#", "tax_rate": 0.1"#);
    status(&mut w, put("cart-s"), 202);
    assert_eq!(
        launched_since(&w, 0)[0].1,
        [
            "Pricing",
            "Promotions",
            "Inventory",
            "Shipping",
            "Post Shipping",
            "Tax"
        ]
    );
    assert_eq!(field(&w, "cdg-1", "DeliverToCity"), "Springfield");
    assert_eq!(field(&w, "cdg-1", "DeliverToPostalCode"), "12345");
    assert_eq!(field(&w, "cart-s", "TotalTaxAmount"), "0.00");
    ok(&mut w, Action::Settle);
    // 10% of 2.50 (no delivery method yet, so no charge).
    assert_eq!(field(&w, "cart-s", "TotalTaxAmount"), "0.25");
    assert_eq!(field(&w, "cart-s", "GrandTotalAmount"), "2.75");
}

#[test]
fn poll_answers_202_then_200_and_422_is_ready_with_errors() {
    let mut w = lwr_world("");
    refused(&mut w, get("cart-1"), ErrorKind::RestNotFound);
    status(&mut w, put("cart-1"), 202);
    let out = status(&mut w, get("cart-1"), 202);
    assert_eq!(
        out.request.as_deref(),
        Some("GET /commerce/webstores/west/checkouts/ccs-1")
    );
    ok(&mut w, wait(2));
    // Inventory runs now: its integration fails; the calculation stops there.
    assert_eq!(field(&w, "bop-1", "~calculator"), "Inventory");
    ok(&mut w, fail("cart-1", ValidationLevel::Error));
    ok(&mut w, wait(1));
    assert_eq!(field(&w, "bop-1", "Status"), "Error");
    assert_eq!(field(&w, "cvo-1", "Type"), "Inventory");
    assert_eq!(field(&w, "ccs-1", "IsProcessing"), "false");
    let out = status(&mut w, get("cart-1"), 422);
    let body = out.body.expect("body");
    assert_eq!(body["checkoutStatus"], json!(422));
    assert_eq!(
        body["errors"],
        json!([{"type": "/commerce/integrations/inventory", "detail": "out of stock"}])
    );
}

#[test]
fn a_warning_row_does_not_stop_the_calculation() {
    let mut w = lwr_world("");
    status(&mut w, put("cart-1"), 202);
    ok(&mut w, fail("cart-1", ValidationLevel::Warning));
    ok(&mut w, wait(1));
    assert_eq!(field(&w, "cvo-1", "Level"), "Warning");
    assert_eq!(field(&w, "bop-1", "Status"), "Running");
    ok(&mut w, Action::Settle);
    assert_eq!(field(&w, "bop-1", "Status"), "Complete");
    status(&mut w, get("cart-1"), 200);
}

#[test]
fn patch_sets_the_delivery_group_and_runs_the_calculators_it_needs() {
    let mut w = lwr_world(r#", "tax_rate": 0.1"#);
    status(&mut w, put("cart-1"), 202);
    ok(&mut w, Action::Settle);
    let before = w.operations().len();
    let out = status(&mut w, patch("cart-1", Some("1 Main St"), None, None), 202);
    assert_eq!(
        launched_since(&w, before),
        [(
            "Cart Calculate".to_string(),
            vec!["Shipping", "Post Shipping", "Tax"]
        )]
    );
    assert_eq!(field(&w, "cdg-1", "DeliverToStreet"), "1 Main St");
    assert_eq!(
        out.body.expect("body")["deliveryGroups"]["items"][0]["deliveryAddress"]["street"],
        json!("1 Main St")
    );
    ok(&mut w, Action::Settle);
    let before = w.operations().len();
    status(&mut w, patch("cart-1", None, Some("Ground"), None), 202);
    assert_eq!(launched_since(&w, before)[0].1, ["Post Shipping", "Tax"]);
    assert_eq!(field(&w, "cdg-1", "DeliveryMethodId"), "Ground");
    assert_eq!(field(&w, "cart-1", "TotalChargeAmount"), "10.00");
    ok(&mut w, Action::Settle);
    // 10% of 12.50 + 10.00, rounded half up.
    assert_eq!(field(&w, "cart-1", "TotalTaxAmount"), "2.25");
    assert_eq!(field(&w, "cart-1", "GrandTotalAmount"), "24.75");
    // A method the store does not list is refused.
    refused(
        &mut w,
        patch("cart-1", None, Some("Teleport"), None),
        ErrorKind::RestUnknownDeliveryMethod,
    );
    // A guest's e-mail lands on the cart and calculates nothing.
    status(
        &mut w,
        patch("cart-1", None, None, Some("bob@example.com")),
        200,
    );
    assert_eq!(field(&w, "cart-1", "GuestEmailAddress"), "bob@example.com");
}

#[test]
fn calls_overlapping_a_calculation_get_409_and_delete_keeps_the_records() {
    let mut w = lwr_world("");
    ready(&mut w);
    status(&mut w, pay("cart-1", PaymentOutcome::Authorized), 200);
    status(&mut w, patch("cart-1", Some("2 Side St"), None, None), 202);
    refused(
        &mut w,
        patch("cart-1", None, Some("Express"), None),
        ErrorKind::RestConflict,
    );
    refused(&mut w, delete("cart-1"), ErrorKind::RestConflict);
    refused(
        &mut w,
        add("cart-1", "BOLT", 1),
        ErrorKind::AddWhileCalculating,
    );
    ok(&mut w, Action::Settle);
    let out = status(&mut w, delete("cart-1"), 204);
    assert_eq!(out.body, None, "204 has no body");
    assert_eq!(field(&w, "ccs-1", "IsArchived"), "true");
    assert_eq!(field(&w, "cart-1", "Status"), "Active");
    // DELETE leaves the delivery group and the authorization as they were.
    assert_eq!(field(&w, "cdg-1", "DeliveryMethodId"), "Ground");
    assert_eq!(field(&w, "pa-1", "Status"), "Processed");
    refused(&mut w, get("cart-1"), ErrorKind::RestNotFound);
    // A new checkout has a delivery group of its own, and no charge until a method.
    status(&mut w, put("cart-1"), 202);
    assert_eq!(field(&w, "cdg-2", "DeliveryMethodId"), "null");
    assert_eq!(field(&w, "cart-1", "TotalChargeAmount"), "0.00");
}

#[test]
fn payments_are_payment_authorizations_for_the_grand_total() {
    let mut w = lwr_world(r#", "tax_rate": 0.1"#);
    ready(&mut w);
    status(&mut w, pay("cart-1", PaymentOutcome::Authorized), 200);
    assert_eq!(field(&w, "pa-1", "Status"), "Processed");
    assert_eq!(field(&w, "pa-1", "Amount"), "24.75");
    // Paying again reverses the earlier authorization.
    status(&mut w, pay("cart-1", PaymentOutcome::Authorized), 200);
    assert_eq!(field(&w, "pa-1", "Status"), "Canceled");
    assert_eq!(field(&w, "pa-2", "Status"), "Processed");
    // A decline is refused and leaves a Failed authorization, and nothing else.
    let out = w.apply(&pay("cart-1", PaymentOutcome::Declined));
    let e = out.result.expect_err("declined");
    assert_eq!(e.kind, ErrorKind::RestPaymentDeclined);
    assert_eq!(field(&w, "pa-3", "Status"), "Failed");
    assert_eq!(field(&w, "pa-2", "Status"), "Processed");
    assert_eq!(out.changes.len(), 1, "{:?}", out.changes);
    assert_eq!(
        out.body.expect("error list")[0]["errorCode"],
        json!("PAYMENT_DECLINED")
    );
    status(&mut w, order("cart-1"), 201);
}

#[test]
fn a_patch_after_payment_that_changes_tax_breaks_the_order() {
    let mut w = lwr_world(r#", "tax_rate": 0.1"#);
    ready(&mut w);
    status(&mut w, pay("cart-1", PaymentOutcome::Authorized), 200);
    status(&mut w, patch("cart-1", None, Some("Express"), None), 202);
    ok(&mut w, Action::Settle);
    assert_eq!(field(&w, "cart-1", "GrandTotalAmount"), "41.25");
    let out = refused(
        &mut w,
        order("cart-1"),
        ErrorKind::PlaceOrderPaymentNotAuthorized,
    );
    let e = out.result.expect_err("refused");
    assert!(
        e.message.contains("24.75") && e.message.contains("41.25"),
        "{e}"
    );
    assert_eq!(
        e.buyer_message().map(|m| m.text),
        Some("Looks like the payment method isn't authorized.")
    );
    status(&mut w, pay("cart-1", PaymentOutcome::Authorized), 200);
    status(&mut w, order("cart-1"), 201);
}

#[test]
fn an_item_change_reruns_the_calculation_and_a_buyer_change_is_422_not_409() {
    let mut w = lwr_world("");
    ready(&mut w);
    status(&mut w, pay("cart-1", PaymentOutcome::Authorized), 200);
    let before = w.operations().len();
    ok(&mut w, add("cart-1", "NUT", 5));
    assert_eq!(field(&w, "cart-1", "Status"), "Checkout");
    assert_eq!(
        launched_since(&w, before)[0].1,
        [
            "Pricing",
            "Promotions",
            "Inventory",
            "Shipping",
            "Post Shipping",
            "Tax"
        ]
    );
    ok(&mut w, Action::Settle);
    refused(
        &mut w,
        order("cart-1"),
        ErrorKind::PlaceOrderPaymentNotAuthorized,
    );
}

#[test]
fn cart_cleanup_cancel_checkout_cancels_on_a_cart_change() {
    let mut w = lwr_world(r#", "cart_cleanup": "cancel_checkout""#);
    status(&mut w, put("cart-1"), 202);
    ok(&mut w, Action::Settle);
    let before = w.operations().len();
    ok(&mut w, add("cart-1", "NUT", 1));
    assert_eq!(field(&w, "ccs-1", "IsArchived"), "true");
    assert_eq!(field(&w, "cart-1", "Status"), "Active");
    assert_eq!(w.operations().len(), before, "no calculation runs");
}

#[test]
fn custom_code_during_a_patch_answers_409_and_saves_the_cart() {
    let mut w = lwr_world("");
    ready(&mut w);
    ok(&mut w, custom_code_during_next_call("cart-1"));
    let version = field(&w, "cart-1", "~version");
    let out = w.apply(&patch("cart-1", None, Some("Express"), None));
    let e = out.result.expect_err("409");
    assert_eq!(e.kind, ErrorKind::RestCustomCodeConflict);
    assert_eq!(out.http, Some(409));
    assert_ne!(field(&w, "cart-1", "~version"), version);
    // Nothing of the PATCH happened.
    assert_eq!(field(&w, "cdg-1", "DeliveryMethodId"), "Ground");
    // The code ran once: the retry goes through.
    status(&mut w, patch("cart-1", None, Some("Express"), None), 202);
}

#[test]
fn place_order_v1_answers_201_then_the_same_number_and_custom_code_gives_409() {
    let mut w = lwr_world("");
    ready(&mut w);
    status(&mut w, pay("cart-1", PaymentOutcome::Authorized), 200);
    let out = status(&mut w, order("cart-1"), 201);
    assert_eq!(out.body, Some(json!({"orderReferenceNumber": "orn-1"})));
    assert_eq!(field(&w, "cart-1", "Status"), "PendingClosed");
    let again = status(&mut w, order("cart-1"), 201);
    assert_eq!(again.body, Some(json!({"orderReferenceNumber": "orn-1"})));
    ok(&mut w, Action::Settle);
    assert_eq!(field(&w, "cart-1", "Status"), "Closed");
    assert_eq!(field(&w, "ccs-1", "OrderId"), "ord-1");

    let mut w = lwr_world("");
    ready(&mut w);
    status(&mut w, pay("cart-1", PaymentOutcome::Authorized), 200);
    ok(
        &mut w,
        Action::CustomUpdate {
            cart: "cart-1".into(),
            during_next_call: false,
        },
    );
    refused(
        &mut w,
        order("cart-1"),
        ErrorKind::PlaceOrderCartChangedAfterPayment,
    );
}

#[test]
fn place_order_v2_prepares_then_submits() {
    let mut w = lwr_world("");
    ready(&mut w);
    refused(
        &mut w,
        order_v2("cart-1", PlaceOrderStep::Prepare),
        ErrorKind::PlaceOrderV2NotEnabled,
    );
    let mut w = lwr_world(r#", "place_order": "v2""#);
    status(&mut w, put("cart-1"), 202);
    ok(&mut w, Action::Settle);
    refused(
        &mut w,
        order_v2("cart-1", PlaceOrderStep::Prepare),
        ErrorKind::PrepareValidation,
    );
    status(&mut w, patch("cart-1", None, Some("Ground"), None), 202);
    ok(&mut w, Action::Settle);
    refused(
        &mut w,
        order_v2("cart-1", PlaceOrderStep::Submit),
        ErrorKind::SubmitBeforePrepare,
    );
    let out = status(&mut w, order_v2("cart-1", PlaceOrderStep::Prepare), 200);
    assert_eq!(
        out.request.as_deref(),
        Some("POST /commerce/webstores/west/checkouts/ccs-1/orders/actions")
    );
    assert_eq!(field(&w, "ccs-1", "~prepared"), "true");
    refused(
        &mut w,
        order_v2("cart-1", PlaceOrderStep::Submit),
        ErrorKind::SubmitPaymentNotAuthorized,
    );
    status(&mut w, pay("cart-1", PaymentOutcome::Authorized), 200);
    let out = status(&mut w, order_v2("cart-1", PlaceOrderStep::Submit), 200);
    assert_eq!(out.body, Some(json!({"orderReferenceNumber": "orn-1"})));
    assert_eq!(field(&w, "cart-1", "Status"), "PendingClosed");
    // Repeat-safe: PendingClosed returns the same reference.
    status(&mut w, order_v2("cart-1", PlaceOrderStep::Submit), 200);
    status(&mut w, order_v2("cart-1", PlaceOrderStep::Prepare), 200);
}

#[test]
fn guests_must_give_an_email_before_the_order() {
    let mut w = lwr_world("");
    status(&mut w, put("cart-g"), 202);
    ok(&mut w, Action::Settle);
    status(&mut w, patch("cart-g", None, Some("Ground"), None), 202);
    ok(&mut w, Action::Settle);
    status(&mut w, pay("cart-g", PaymentOutcome::Authorized), 200);
    refused(&mut w, order("cart-g"), ErrorKind::PlaceOrderNoContact);
    status(
        &mut w,
        patch("cart-g", None, None, Some("gus@example.com")),
        200,
    );
    status(&mut w, order("cart-g"), 201);
}

#[test]
fn the_time_to_live_is_noticed_when_the_buyer_returns() {
    let mut w = lwr_world(r#", "checkout_ttl": 5"#);
    status(&mut w, put("cart-1"), 202);
    ok(&mut w, Action::Settle);
    let before = w.clone();
    ok(&mut w, wait(10));
    // Nothing happens while the buyer is away.
    assert_eq!(w.sessions(), before.sessions());
    assert_eq!(field(&w, "cart-1", "Status"), "Checkout");
    // The return: the integrations run again, the same checkout answers 202.
    let ops = w.operations().len();
    status(&mut w, get("cart-1"), 202);
    assert_eq!(w.operations().len(), ops + 1);
    assert_eq!(field(&w, "ccs-1", "IsArchived"), "false");
    ok(&mut w, Action::Settle);
    status(&mut w, get("cart-1"), 200);
    // A change on return is locked out while they run.
    ok(&mut w, wait(10));
    refused_with_changes(
        &mut w,
        patch("cart-1", None, Some("Ground"), None),
        ErrorKind::RestExpiredRerun,
    );
}

/// A refusal that the platform still records something for.
fn refused_with_changes(world: &mut World, action: Action, kind: ErrorKind) -> Outcome {
    let out = world.apply(&action);
    let e = out.result.clone().expect_err("refused");
    assert_eq!(e.kind, kind, "{e}");
    assert!(!out.changes.is_empty());
    out
}

#[test]
fn eager_expiry_archives_at_the_deadline_and_answers_410() {
    let mut w = lwr_world(r#", "checkout_ttl": 5, "checkout_expiry": "eager""#);
    status(&mut w, put("cart-1"), 202);
    ok(&mut w, Action::Settle);
    ok(&mut w, wait(10));
    assert_eq!(field(&w, "ccs-1", "IsArchived"), "true");
    assert_eq!(field(&w, "cart-1", "Status"), "Active");
    refused(&mut w, get("cart-1"), ErrorKind::RestGone);
}

#[test]
fn a_checkout_started_before_checkout_valid_after_is_expired() {
    let json = r#"{"cartsim": 2, "title": "t", "world": {
        "stores": [{"id": "west", "template": "lwr", "checkout_valid_after": 0}],
        "accounts": [{"id": "acme", "stores": ["west"]}],
        "buyers": [{"id": "bob", "accounts": ["acme"]}],
        "carts": [{"id": "cart-1", "store": "west", "buyer": "bob", "status": "Checkout"}],
        "sessions": [{"id": "ccs-1", "cart": "cart-1", "state": "", "started_at": -3}]}}"#;
    let mut w = load_bytes("t.json", json.as_bytes()).expect("loads").world;
    let out = status(&mut w, get("cart-1"), 202);
    assert!(
        out.changes
            .iter()
            .any(|c| c.rule == Rule::CheckoutRerunsOnReturn)
    );
    ok(&mut w, Action::Settle);
    // Started again at tick 0, which is not before the date: no longer expired.
    status(&mut w, get("cart-1"), 200);
}

#[test]
fn an_aura_checkout_past_its_time_to_live_restarts_when_the_buyer_returns() {
    let json = r#"{"cartsim": 2, "title": "t", "world": {
        "stores": [{"id": "east", "checkout_ttl": 3}],
        "accounts": [{"id": "acme", "stores": ["east"]}],
        "buyers": [{"id": "bob", "accounts": ["acme"]}],
        "carts": [{"id": "cart-1", "store": "east", "buyer": "bob"}]}}"#;
    let mut w = load_bytes("t.json", json.as_bytes()).expect("loads").world;
    ok(&mut w, start("cart-1"));
    let first_state = field(&w, "ccs-1", "State");
    ok(&mut w, Action::Settle);
    ok(&mut w, wait(10));
    assert_eq!(field(&w, "ccs-1", "IsArchived"), "false");
    let out = ok(&mut w, cont("cart-1"));
    assert!(
        out.changes
            .iter()
            .any(|c| c.rule == Rule::CheckoutRerunsOnReturn)
    );
    assert_eq!(field(&w, "ccs-1", "State"), first_state);
}

#[test]
fn the_template_decides_which_calls_a_cart_takes() {
    let mut w = lwr_world("");
    refused(&mut w, put("cart-2"), ErrorKind::RestInAuraStore);
    refused(&mut w, start("cart-1"), ErrorKind::FlowActionInLwrStore);
}

fn load_error(steps: &str, store: &str) -> String {
    let json = format!(
        r#"{{"cartsim": 2, "title": "t", "world": {{
          "stores": [{{"id": "west", "template": "lwr"}}, {{"id": "east" {store}}}],
          "accounts": [{{"id": "acme", "stores": ["west", "east"]}}],
          "buyers": [{{"id": "bob", "accounts": ["acme"]}}],
          "carts": [{{"id": "cart-1", "store": "west", "buyer": "bob"}}, {{"id": "cart-2", "store": "east", "buyer": "bob"}}]}},
          "steps": [{steps}]}}"#
    );
    match load_bytes("t.json", json.as_bytes()) {
        Ok(_) => panic!("loaded: {steps}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn bad_lwr_input_is_a_load_error_naming_the_step_and_what_is_expected() {
    let e = load_error(r#"{"do": "checkout_poll", "cart": "cart-2"}"#, "");
    assert!(
        e.contains("steps[0].do") && e.contains("only lwr stores"),
        "{e}"
    );
    let e = load_error(r#"{"do": "continue", "cart": "cart-1"}"#, "");
    assert!(
        e.contains("steps[0].do") && e.contains("runs no checkout flow"),
        "{e}"
    );
    let e = load_error(r#"{"do": "checkout_update", "cart": "cart-1"}"#, "");
    assert!(
        e.contains("steps[0]") && e.contains("at least one of"),
        "{e}"
    );
    let e = load_error(r#"{"do": "pay", "cart": "cart-1", "outcome": "maybe"}"#, "");
    assert!(
        e.contains("steps[0].outcome") && e.contains("\"authorized\" or \"declined\""),
        "{e}"
    );
    let e = load_error(
        r#"{"do": "checkout_update", "cart": "cart-1", "shipping_address": {"street": "1 Main", "zip": "1"}}"#,
        "",
    );
    assert!(
        e.contains("steps[0].shipping_address.zip") && e.contains("postal_code"),
        "{e}"
    );
    let e = load_error(
        r#"{"do": "checkout_update", "cart": "cart-1", "shipping_address": 12}"#,
        "",
    );
    assert!(
        e.contains("steps[0].shipping_address") && e.contains("address object"),
        "{e}"
    );
    let e = load_error(
        r#"{"do": "place_order", "cart": "cart-1", "action": "finish"}"#,
        "",
    );
    assert!(
        e.contains("steps[0].action") && e.contains("\"prepare\" or \"submit\""),
        "{e}"
    );
    let e = load_error(
        r#"{"do": "custom_update", "cart": "cart-1", "during": "lunch"}"#,
        "",
    );
    assert!(
        e.contains("steps[0].during") && e.contains("next_call"),
        "{e}"
    );
    let e = load_error(
        "",
        r#", "template": "lwr", "on_cart_change": "recalculate""#,
    );
    assert!(e.contains("on_cart_change"), "{e}");
}

#[test]
fn an_old_file_naming_a_removed_field_is_told_where_the_data_lives() {
    for (name, lives) in [
        ("ShippingAddress", "CartDeliveryGroup"),
        ("DeliveryMethod", "DeliveryMethodId"),
        ("ContactInfo", "GuestEmailAddress"),
        ("PaymentStatus", "PaymentAuthorization"),
    ] {
        let e = load_error(
            &format!(
                r#"{{"do": "checkout_start", "cart": "cart-1", "expect": {{"state": {{"ccs-1.{name}": null}}}}}}"#
            ),
            "",
        );
        assert!(
            e.contains(&format!("ccs-1.{name}")) && e.contains(lives),
            "{name}: {e}"
        );
    }
    let e = load_error(
        r#"{"do": "checkout_start", "cart": "cart-1", "expect": {"state": {"cart-1.Version": 1}}}"#,
        "",
    );
    assert!(e.contains("~version"), "{e}");
}

fn play(steps: &str) -> Vec<cartsim::player::StepReport> {
    let json = format!(
        r#"{{"cartsim": 2, "title": "t", "world": {{
        "stores": [{{"id": "west", "template": "lwr"}}],
        "accounts": [{{"id": "acme", "stores": ["west"]}}],
        "buyers": [{{"id": "bob", "accounts": ["acme"]}}],
        "carts": [{{"id": "cart-1", "store": "west", "buyer": "bob"}}]}},
        "steps": [{steps}]}}"#
    );
    let scenario = load_bytes("t.json", json.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    cartsim::player::play_headless(&scenario)
}

#[test]
fn expect_http_alone_and_expect_body_are_checked() {
    let reports = play(
        r#"{"do": "checkout_start", "cart": "cart-1", "expect": {"http": 202,
              "body": {"checkoutId": "ccs-1", "checkoutStatus": 202, "errors": []}}},
           {"do": "checkout_poll", "cart": "cart-1", "expect": {"http": 200,
              "body": {"checkoutStatus": 202, "deliveryGroups": {"items": [{}, {}]}}}},
           {"do": "checkout_poll", "cart": "cart-1", "expect": {"result": "ok", "http": 200,
              "state": {"cart-1.~version": 0, "bop-1.~calculator": "Pricing"}}}"#,
    );
    let checks: Vec<(&str, bool)> = reports
        .iter()
        .flat_map(|r| r.checks.iter().map(|c| (c.path.as_str(), c.passed)))
        .collect();
    assert_eq!(
        checks,
        [
            ("http", true),
            ("body", true),
            // The poll answers 202: both expectations fail, the array by its length.
            ("http", false),
            ("body", false),
            ("result", false),
            ("cart-1.~version", true),
            ("bop-1.~calculator", true),
        ]
    );
}

#[test]
fn every_lwr_status_and_code_is_in_the_catalogue_with_a_source() {
    let rest = [
        ErrorKind::RestNotFound,
        ErrorKind::RestGone,
        ErrorKind::RestConflict,
        ErrorKind::RestLocked,
        ErrorKind::RestCustomCodeConflict,
        ErrorKind::RestUnknownDeliveryMethod,
        ErrorKind::PlaceOrderNoContact,
        ErrorKind::PlaceOrderNoDeliveryMethod,
        ErrorKind::PlaceOrderPaymentNotAuthorized,
        ErrorKind::PlaceOrderCartChangedAfterPayment,
        ErrorKind::PrepareValidation,
        ErrorKind::SubmitPaymentNotAuthorized,
    ];
    let statuses: Vec<u16> = rest.iter().filter_map(|k| k.spec().http).collect();
    for s in [404, 409, 410, 412, 422, 423] {
        assert!(statuses.contains(&s), "{s}");
    }
    for kind in ErrorKind::ALL {
        assert!(!kind.spec().origin.reference().is_empty(), "{kind:?}");
    }
    for code in [200, 201, 202, 204, 404, 409, 410, 412, 422, 423] {
        assert!(!cartsim::engine::rest::reason_phrase(code).is_empty());
    }
}

#[test]
fn an_lwr_world_saved_as_a_file_loads_again() {
    let world = lwr_world("");
    let steps = [
        patch("cart-1", Some("1 Main St"), Some("Ground"), None),
        order_v2("cart-1", PlaceOrderStep::Prepare),
        custom_code_during_next_call("cart-1"),
    ];
    let raw = cartsim::scenario::format::RawScenario {
        cartsim: serde_json::Value::from(2),
        title: "saved".into(),
        summary: None,
        tags: Vec::new(),
        explore: None,
        world: cartsim::scenario::save::raw_world(&world),
        steps: steps
            .iter()
            .map(|a| cartsim::scenario::save::raw_step(cartsim::player::kind_of(a), a))
            .collect(),
    };
    let text = cartsim::scenario::save::to_text(&raw);
    assert!(text.contains("\"place_order\": \"v1\""), "{text}");
    let text = text.replacen("\"place_order\": \"v1\"", "\"place_order\": \"v2\"", 1);
    let again = load_bytes("saved.json", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        again.world.stores().nth(0).unwrap().settings.template,
        Template::Lwr
    );
    let actions: Vec<Action> = again.steps.iter().map(|s| s.action.clone()).collect();
    assert_eq!(actions, steps);
    assert_eq!(
        again.world.buyers().nth(3).unwrap().address,
        world.buyers().nth(3).unwrap().address
    );
    assert_eq!(
        again.world.stores().nth(0).unwrap().delivery_methods.len(),
        2
    );
}

#[test]
fn an_lwr_session_is_staged_with_state_null() {
    let json = |store: &str, state: &str| {
        format!(
            r#"{{"cartsim": 2, "title": "t", "world": {{
            "stores": [{{"id": "west" {store}}}],
            "accounts": [{{"id": "acme", "stores": ["west"]}}],
            "buyers": [{{"id": "bob", "accounts": ["acme"]}}],
            "carts": [{{"id": "cart-1", "store": "west", "buyer": "bob", "status": "Checkout"}}],
            "sessions": [{{"id": "ccs-1", "cart": "cart-1" {state}}}]}}}}"#
        )
    };
    let w = load_bytes("t.json", json(r#", "template": "lwr""#, "").as_bytes())
        .unwrap_or_else(|e| panic!("{e}"))
        .world;
    assert_eq!(field(&w, "ccs-1", "State"), "null");
    // A State the export did not give is null in an aura store too; a given one is kept.
    let w = load_bytes("t.json", json("", r#", "state": null"#).as_bytes())
        .unwrap_or_else(|e| panic!("{e}"))
        .world;
    assert_eq!(field(&w, "ccs-1", "State"), "null");
    let w = load_bytes("t.json", json("", r#", "state": "Inventory""#).as_bytes())
        .unwrap_or_else(|e| panic!("{e}"))
        .world;
    assert_eq!(field(&w, "ccs-1", "State"), "Inventory");
}

#[test]
fn a_refusal_body_carries_the_platform_words_where_a_source_gives_them() {
    let mut w = lwr_world("");
    ready(&mut w);
    let out = w.apply(&order("cart-1"));
    let body = out.body.expect("an error list");
    assert_eq!(body[0]["errorCode"], json!("VALIDATION_ERROR"));
    assert_eq!(
        body[0]["message"],
        json!("Looks like the payment method isn't authorized.")
    );
}

#[test]
fn a_new_checkout_starts_without_charge_or_tax() {
    let mut w = lwr_world(r#", "tax_rate": 0.1"#);
    ready(&mut w);
    assert_eq!(field(&w, "cart-1", "TotalTaxAmount"), "2.25");
    status(&mut w, delete("cart-1"), 204);
    status(&mut w, put("cart-1"), 202);
    assert_eq!(field(&w, "cart-1", "TotalChargeAmount"), "0.00");
    assert_eq!(field(&w, "cart-1", "TotalTaxAmount"), "0.00");
    assert_eq!(field(&w, "cart-1", "GrandTotalAmount"), "12.50");
}
