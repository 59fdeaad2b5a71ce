//! `lwr` stores: the REST checkout API. Every status and every code it answers, the
//! calculators each call reruns, payments, the asynchronous order, and the load errors
//! that keep REST steps out of aura stores and flow steps out of lwr stores.

mod common;

use cartsim::engine::rest::PaymentOutcome;
use cartsim::engine::*;
use cartsim::scenario::load_bytes;
use common::*;

/// An lwr store `west` (extra store keys allowed), an aura store `east`, buyer `bob`
/// (owner of `cart-1` in west and `cart-2` in east), guest `gus` (owner of `cart-g`).
fn lwr_world(store_keys: &str) -> World {
    let json = format!(
        r#"{{
      "cartsim": 2, "title": "t",
      "world": {{
        "stores": [{{"id": "west", "template": "lwr" {store_keys}}}, {{"id": "east"}}],
        "accounts": [{{"id": "acme", "stores": ["west", "east"]}}, {{"id": "other"}}],
        "buyers": [{{"id": "bob", "accounts": ["acme"]}}, {{"id": "gus", "accounts": ["acme"], "guest": true}},
                   {{"id": "amy", "accounts": ["acme"]}}],
        "products": [{{"sku": "BOLT", "price": 1.25}}, {{"sku": "NUT", "price": 0.4}}],
        "carts": [{{"id": "cart-1", "store": "west", "buyer": "bob", "items": [{{"sku": "BOLT", "quantity": 10}}]}},
                  {{"id": "cart-2", "store": "east", "buyer": "bob"}},
                  {{"id": "cart-g", "store": "west", "buyer": "gus", "items": [{{"sku": "NUT", "quantity": 1}}]}}]
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
fn patch(cart: &str, address: Option<&str>, method: Option<&str>, contact: Option<&str>) -> Action {
    Action::CheckoutUpdate {
        cart: cart.into(),
        shipping_address: address.map(Into::into),
        delivery_method: method.map(Into::into),
        contact: contact.map(Into::into),
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
        actor: None,
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
    // A REST call carries the status on its outcome; add to cart only in its error.
    assert_eq!(out.http.or(e.http()), kind.spec().http);
    out
}

/// A checkout of cart-1 whose calculators finished, with a delivery method.
fn ready(world: &mut World) {
    status(world, put("cart-1"), 202);
    ok(world, Action::Settle);
    status(world, patch("cart-1", None, Some("Ground"), None), 202);
    ok(world, Action::Settle);
}

#[test]
fn start_is_get_or_create_and_answers_202_then_200() {
    let mut w = lwr_world("");
    let out = status(&mut w, put("cart-1"), 202);
    assert_eq!(
        out.request.as_deref(),
        Some("PUT /commerce/webstores/west/checkouts")
    );
    assert_eq!(field(&w, "cart-1", "Status"), "Checkout");
    assert_eq!(field(&w, "ccs-1", "State"), "Pricing");
    // The same checkout comes back, still running: 202, nothing changed but a note.
    let again = status(&mut w, put("cart-1"), 202);
    assert!(
        again
            .changes
            .iter()
            .all(|c| c.rule == Rule::RestCheckoutReturned)
    );
    ok(&mut w, Action::Settle);
    status(&mut w, put("cart-1"), 200);
    assert_eq!(w.sessions.len(), 1);
    let names: Vec<&str> = w.operations.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Pricing Calculator",
            "Promotions Calculator",
            "Inventory Calculator"
        ]
    );
}

#[test]
fn poll_answers_202_200_422_404_and_410() {
    let mut w = lwr_world(r#", "checkout_ttl": 20"#);
    refused(&mut w, get("cart-1"), ErrorKind::RestNotFound);
    status(&mut w, put("cart-1"), 202);
    let out = status(&mut w, get("cart-1"), 202);
    assert_eq!(
        out.request.as_deref(),
        Some("GET /commerce/webstores/west/checkouts/ccs-1")
    );
    ok(&mut w, wait(2));
    ok(
        &mut w,
        Action::IntegrationFault {
            cart: "cart-1".into(),
            message: "out of stock".into(),
            level: ValidationLevel::Error,
            kind: None,
        },
    );
    ok(&mut w, wait(1));
    assert_eq!(field(&w, "ccs-1", "IsError"), "false");
    let e = refused(&mut w, get("cart-1"), ErrorKind::RestCalculatorFailed);
    assert_eq!(e.http, Some(422));
    ok(&mut w, wait(30));
    assert_eq!(field(&w, "ccs-1", "IsArchived"), "true");
    refused(&mut w, get("cart-1"), ErrorKind::RestGone);
    assert_eq!(ErrorKind::RestGone.spec().http, Some(410));
    assert_eq!(ErrorKind::RestGone.spec().origin.tag(), "sample");
}

#[test]
fn patch_reruns_the_calculators_the_change_needs() {
    let mut w = lwr_world("");
    status(&mut w, put("cart-1"), 202);
    ok(&mut w, Action::Settle);
    let before = w.operations.len();
    status(&mut w, patch("cart-1", Some("1 Main St"), None, None), 202);
    ok(&mut w, Action::Settle);
    let names: Vec<&str> = w.operations[before..]
        .iter()
        .map(|o| o.name.as_str())
        .collect();
    assert_eq!(names, ["Shipping Calculator", "Tax Calculator"]);
    let before = w.operations.len();
    status(&mut w, patch("cart-1", None, Some("Ground"), None), 202);
    ok(&mut w, Action::Settle);
    let names: Vec<&str> = w.operations[before..]
        .iter()
        .map(|o| o.name.as_str())
        .collect();
    assert_eq!(names, ["Tax Calculator"]);
    // Contact details need no calculator: 200 at once.
    status(
        &mut w,
        patch("cart-1", None, None, Some("bob@example.com")),
        200,
    );
    assert_eq!(field(&w, "ccs-1", "ContactInfo"), "bob@example.com");
}

#[test]
fn calls_overlapping_a_calculator_get_409_and_delete_answers_204() {
    let mut w = lwr_world("");
    status(&mut w, put("cart-1"), 202);
    refused(
        &mut w,
        patch("cart-1", Some("x"), None, None),
        ErrorKind::RestConflict,
    );
    refused(&mut w, delete("cart-1"), ErrorKind::RestConflict);
    refused(
        &mut w,
        pay("cart-1", PaymentOutcome::Authorized),
        ErrorKind::RestConflict,
    );
    refused(&mut w, order("cart-1"), ErrorKind::RestConflict);
    refused(
        &mut w,
        add("cart-1", "NUT", 1),
        ErrorKind::AddWhileCalculating,
    );
    assert_eq!(ErrorKind::RestConflict.spec().http, Some(409));
    ok(&mut w, Action::Settle);
    status(&mut w, delete("cart-1"), 204);
    assert_eq!(field(&w, "ccs-1", "IsArchived"), "true");
    assert_eq!(field(&w, "cart-1", "Status"), "Active");
    // Deleted, not expired: 404.
    refused(&mut w, get("cart-1"), ErrorKind::RestNotFound);
}

#[test]
fn an_item_change_keeps_the_checkout_and_invalidates_a_payment_for_another_total() {
    let mut w = lwr_world("");
    ready(&mut w);
    status(&mut w, patch("cart-1", Some("1 Main St"), None, None), 202);
    ok(&mut w, Action::Settle);
    status(&mut w, pay("cart-1", PaymentOutcome::Authorized), 200);
    let before = w.operations.len();
    ok(&mut w, add("cart-1", "NUT", 5));
    assert_eq!(field(&w, "ccs-1", "IsArchived"), "false");
    assert_eq!(field(&w, "cart-1", "Status"), "Checkout");
    assert_eq!(field(&w, "ccs-1", "PaymentStatus"), "Invalidated");
    ok(&mut w, Action::Settle);
    let names: Vec<&str> = w.operations[before..]
        .iter()
        .map(|o| o.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "Pricing Calculator",
            "Promotions Calculator",
            "Inventory Calculator",
            "Shipping Calculator",
            "Tax Calculator"
        ]
    );
    refused(
        &mut w,
        order("cart-1"),
        ErrorKind::PlaceOrderPaymentNotAuthorized,
    );
}

#[test]
fn paying_again_reverses_and_a_declined_payment_changes_nothing() {
    let mut w = lwr_world("");
    ready(&mut w);
    status(&mut w, pay("cart-1", PaymentOutcome::Authorized), 200);
    let out = status(&mut w, pay("cart-1", PaymentOutcome::Authorized), 200);
    let rules: Vec<Rule> = out.changes.iter().map(|c| c.rule).collect();
    assert_eq!(rules[0], Rule::PaymentReversed);
    assert_eq!(field(&w, "ccs-1", "PaymentStatus"), "Authorized");
    refused(
        &mut w,
        pay("cart-1", PaymentOutcome::Declined),
        ErrorKind::RestPaymentDeclined,
    );
    assert_eq!(field(&w, "ccs-1", "PaymentStatus"), "Authorized");
}

#[test]
fn place_order_answers_201_then_the_same_number_and_the_order_is_created_later() {
    let mut w = lwr_world("");
    ready(&mut w);
    refused(
        &mut w,
        order("cart-1"),
        ErrorKind::PlaceOrderPaymentNotAuthorized,
    );
    status(&mut w, pay("cart-1", PaymentOutcome::Authorized), 200);
    status(&mut w, order("cart-1"), 201);
    assert_eq!(field(&w, "ccs-1", "OrderReferenceNumber"), "orn-1");
    assert_eq!(field(&w, "cart-1", "Status"), "PendingClosed");
    assert_eq!(field(&w, "ccs-1", "OrderId"), "null");
    status(&mut w, order("cart-1"), 200);
    assert_eq!(field(&w, "ccs-1", "OrderReferenceNumber"), "orn-1");
    refused(
        &mut w,
        patch("cart-1", None, Some("Express"), None),
        ErrorKind::RestLocked,
    );
    assert_eq!(ErrorKind::RestLocked.spec().http, Some(423));
    ok(&mut w, Action::Settle);
    assert_eq!(field(&w, "ccs-1", "OrderId"), "ord-1");
    assert_eq!(field(&w, "cart-1", "Status"), "Closed");
    assert_eq!(w.orders.len(), 1);
}

#[test]
fn place_order_refusals_412_422_and_409_after_custom_code() {
    let mut w = lwr_world("");
    status(&mut w, put("cart-1"), 202);
    ok(&mut w, Action::Settle);
    refused(
        &mut w,
        order("cart-1"),
        ErrorKind::PlaceOrderNoDeliveryMethod,
    );
    status(&mut w, patch("cart-1", None, Some("Ground"), None), 202);
    ok(&mut w, Action::Settle);
    status(&mut w, pay("cart-1", PaymentOutcome::Authorized), 200);
    ok(
        &mut w,
        Action::CustomUpdate {
            cart: "cart-1".into(),
        },
    );
    let out = refused(
        &mut w,
        order("cart-1"),
        ErrorKind::PlaceOrderCartChangedAfterPayment,
    );
    assert_eq!(out.http, Some(409));
    // Guests must give contact details: 412.
    status(&mut w, put("cart-g"), 202);
    ok(&mut w, Action::Settle);
    status(&mut w, patch("cart-g", None, Some("Ground"), None), 202);
    ok(&mut w, Action::Settle);
    status(&mut w, pay("cart-g", PaymentOutcome::Authorized), 200);
    let out = refused(&mut w, order("cart-g"), ErrorKind::PlaceOrderNoContact);
    assert_eq!(out.http, Some(412));
    status(
        &mut w,
        patch("cart-g", None, None, Some("gus@example.com")),
        200,
    );
    status(&mut w, order("cart-g"), 201);
}

#[test]
fn an_error_row_is_422_until_the_calculator_runs_again() {
    let mut w = lwr_world("");
    ready(&mut w);
    w.validation_outputs.push(CartValidationOutput {
        id: "row".into(),
        cart: "cart-1".into(),
        operation: None,
        level: ValidationLevel::Error,
        kind: ValidationType::Inventory,
        message: "short".into(),
        related: None,
        is_dismissed: false,
    });
    status(&mut w, pay("cart-1", PaymentOutcome::Authorized), 200);
    refused(
        &mut w,
        order("cart-1"),
        ErrorKind::PlaceOrderValidationErrors,
    );
    refused(&mut w, get("cart-1"), ErrorKind::RestCalculatorFailed);
    ok(&mut w, add("cart-1", "NUT", 1));
    ok(&mut w, Action::Settle);
    assert!(
        w.validation_output("row").is_none(),
        "Inventory replaced its row"
    );
    status(&mut w, get("cart-1"), 200);
}

#[test]
fn actor_checks_disabled_checkout_and_closed_carts() {
    let mut w = lwr_world("");
    ok(&mut w, revoke("bob", Permission::Checkout));
    refused(&mut w, put("cart-1"), ErrorKind::RestNoPermission);
    ok(&mut w, grant("bob", Permission::Checkout));
    ok(&mut w, switch("bob", "other"));
    refused(
        &mut w,
        put("cart-1"),
        ErrorKind::RestInvalidEffectiveAccount,
    );
    ok(&mut w, switch("bob", "acme"));
    ok(&mut w, leave("acme", "west"));
    refused(&mut w, put("cart-1"), ErrorKind::RestNotStoreMember);
    ok(&mut w, join("acme", "west"));
    refused(
        &mut w,
        put("cart-1").with_actor("amy"),
        ErrorKind::RestNoCartAccess,
    );
    w.carts[0].status = CartStatus::PendingDelete;
    refused(
        &mut w,
        put("cart-1"),
        ErrorKind::RestCartNotActiveOrCheckout,
    );
    let mut w = lwr_world(r#", "checkout_ttl": 0"#);
    refused(&mut w, put("cart-1"), ErrorKind::RestCheckoutDisabled);
}

#[test]
fn the_template_decides_which_calls_a_cart_takes() {
    let mut w = lwr_world("");
    let out = refused(&mut w, put("cart-2"), ErrorKind::RestInAuraStore);
    assert_eq!(out.http, None);
    refused(&mut w, start("cart-1"), ErrorKind::FlowActionInLwrStore);
    refused(&mut w, cont("cart-1"), ErrorKind::FlowActionInLwrStore);
    // The aura store is unchanged: its flow actions work and answer no HTTP status.
    let out = ok(&mut w, start("cart-2"));
    assert_eq!(out.http, None);
    assert_eq!(out.request, None);
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
    let e = load_error(r#"{"do": "start_checkout", "cart": "cart-1"}"#, "");
    assert!(e.contains("steps[0].do"), "{e}");
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
        "",
        r#", "template": "lwr", "on_cart_change": "recalculate""#,
    );
    assert!(e.contains("on_cart_change"), "{e}");
    let e = load_error(
        r#"{"do": "checkout_start", "cart": "cart-1", "expect": {"http": 202}}"#,
        "",
    );
    assert!(
        e.contains("expect.http") && e.contains("beside a `result`"),
        "{e}"
    );
}

#[test]
fn expect_http_beside_ok_is_checked() {
    let json = r#"{"cartsim": 2, "title": "t", "world": {
        "stores": [{"id": "west", "template": "lwr"}],
        "accounts": [{"id": "acme", "stores": ["west"]}],
        "buyers": [{"id": "bob", "accounts": ["acme"]}],
        "carts": [{"id": "cart-1", "store": "west", "buyer": "bob"}]},
        "steps": [{"do": "checkout_start", "cart": "cart-1", "expect": {"result": "ok", "http": 200}}]}"#;
    let scenario = load_bytes("t.json", json.as_bytes()).expect("loads");
    let reports = cartsim::player::play_headless(&scenario);
    let check = &reports[0].checks[0];
    assert!(!check.passed);
    assert_eq!(check.expected, "ok 200");
    assert_eq!(check.actual, "ok 202");
}

#[test]
fn every_lwr_status_and_code_is_in_the_catalogue_with_a_source() {
    let rest = [
        ErrorKind::RestNotFound,
        ErrorKind::RestGone,
        ErrorKind::RestConflict,
        ErrorKind::RestLocked,
        ErrorKind::RestCalculatorFailed,
        ErrorKind::PlaceOrderNoContact,
        ErrorKind::PlaceOrderNoDeliveryMethod,
        ErrorKind::PlaceOrderPaymentNotAuthorized,
        ErrorKind::PlaceOrderCartChangedAfterPayment,
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
    let raw = cartsim::scenario::format::RawScenario {
        cartsim: serde_json::Value::from(2),
        title: "saved".into(),
        summary: None,
        tags: Vec::new(),
        world: cartsim::scenario::save::raw_world(&world),
        steps: vec![cartsim::scenario::save::raw_step(
            "pay",
            &pay("cart-1", PaymentOutcome::Authorized),
        )],
    };
    let text = cartsim::scenario::save::to_text(&raw);
    let again = load_bytes("saved.json", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again.world.stores[0].settings.template, Template::Lwr);
    assert_eq!(
        again.steps[0].action,
        pay("cart-1", PaymentOutcome::Authorized)
    );
}
