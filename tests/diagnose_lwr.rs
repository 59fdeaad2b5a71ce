//! `cartsim diagnose` on both store kinds: the records an LWR checkout keeps (delivery
//! groups, payment authorizations, amounts, order references, orders), guest carts, the
//! BackgroundOperation retrieve output, the REST calls predicted with their statuses and
//! bodies, and `--open` with every setting given. Each ticket is read in JSON and CSV.

mod common;

use cartsim::cli::diagnose as cli;
use cartsim::diagnose::{self, Input, Options};
use cartsim::engine::{CheckoutExpiry, Edition, StoreSettings, Template};
use clap::Parser;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

const TICKETS: &str = "tests/fixtures/tickets";
const FORMATS: [&str; 2] = ["json", "csv"];

fn dir(ticket: &str, format: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(TICKETS)
        .join(ticket)
        .join(format)
}

fn inputs(ticket: &str, format: &str) -> Vec<Input> {
    cli::read_inputs(&[dir(ticket, format)]).expect("fixture files read")
}

fn options(settings: &[(&str, &str)]) -> Options {
    Options {
        settings: settings
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ..Options::default()
    }
}

/// The diagnosis of inputs: (text, JSON).
fn run_inputs(inputs: &[Input], opts: &Options) -> (String, Value) {
    let (_, d) = diagnose::diagnose(inputs, opts, false).unwrap_or_else(|e| panic!("{e:?}"));
    (
        diagnose::explain::text(&d),
        serde_json::to_value(&d).unwrap(),
    )
}

fn run(ticket: &str, format: &str, opts: &Options) -> (String, Value) {
    run_inputs(&inputs(ticket, format), opts)
}

fn prediction<'a>(cart: &'a Value, action: &str) -> &'a Value {
    cart["predictions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["action"] == action)
        .unwrap_or_else(|| panic!("no prediction {action}: {:#}", cart["predictions"]))
}

fn actions(cart: &Value) -> Vec<&str> {
    cart["predictions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["action"].as_str().unwrap())
        .collect()
}

fn codes(cart: &Value) -> Vec<&str> {
    cart["inconsistencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect()
}

fn assumptions(json: &Value) -> String {
    json["assumptions"].to_string()
}

#[test]
fn an_lwr_store_is_predicted_as_rest_calls_with_statuses_and_bodies() {
    for format in FORMATS {
        let (text, json) = run("lwr-422", format, &options(&[("template", "lwr")]));
        assert_eq!(json["lwr"], true);
        let cart = &json["carts"][0];
        assert_eq!(
            actions(cart),
            [
                "checkout_start",
                "checkout_poll",
                "checkout_update",
                "pay",
                "place_order",
                "checkout_delete",
                "add_to_cart",
                "expiry"
            ],
            "{format}"
        );
        // The poll is ready with errors: 422, the Error row in the body.
        let poll = prediction(cart, "checkout_poll");
        assert_eq!(poll["result"], "ok");
        assert_eq!(poll["http"], 422);
        assert_eq!(
            poll["request"],
            "GET /commerce/webstores/0ZEHs0000007001OAA/checkouts/2z9Hs0000000601IAA"
        );
        assert_eq!(poll["body"]["checkoutStatus"], 422);
        assert_eq!(
            poll["body"]["errors"][0]["type"],
            "/commerce/integrations/inventory"
        );
        assert_eq!(poll["body"]["errors"].as_array().unwrap().len(), 1);
        assert_eq!(prediction(cart, "checkout_start")["http"], 200);
        // DELETE answers 204 with no body.
        let delete = prediction(cart, "checkout_delete");
        assert_eq!(delete["http"], 204);
        assert!(delete.get("body").is_none(), "{delete:#}");
        // No delivery group was exported: nothing to PATCH again, and place order is
        // refused with the platform's error list as its body.
        assert_eq!(prediction(cart, "checkout_update")["result"], "none");
        let order = prediction(cart, "place_order");
        assert_eq!(order["http"], 422);
        assert_eq!(order["body"][0]["errorCode"], "VALIDATION_ERROR");
        assert!(
            cart["verdict"]
                .as_str()
                .unwrap()
                .starts_with("In Checkout, ready with errors: a poll answers 422")
        );
        assert!(text.contains(
            "      call  GET /commerce/webstores/0ZEHs0000007001OAA/checkouts/2z9Hs0000000601IAA -> 422 Unprocessable Entity"
        ));
        assert!(text.contains(
            "      body  {\"checkoutId\":\"2z9Hs0000000601IAA\",\"checkoutStatus\":422,"
        ));
        assert!(text.contains("What each REST checkout call would answer now"));
        assert!(!text.contains("not simulated"), "{text}");
        assert!(!assumptions(&json).contains("not simulated"));
    }
}

#[test]
fn an_aura_store_keeps_the_flow_predictions_and_prints_no_http() {
    let (text, json) = run("lwr-422", "csv", &Options::default());
    assert_eq!(json["lwr"], false);
    let cart = &json["carts"][0];
    assert_eq!(
        actions(cart),
        [
            "cancel",
            "start_checkout",
            "add_to_cart",
            "continue",
            "expiry"
        ]
    );
    for p in cart["predictions"].as_array().unwrap() {
        assert!(
            p.get("http").is_none() && p.get("request").is_none(),
            "{p:#}"
        );
    }
    assert!(!text.contains("      call  "));
}

#[test]
fn a_payment_that_no_longer_matches_the_grand_total_breaks_the_order() {
    for format in FORMATS {
        let (text, json) = run(
            "lwr-paid-then-patched",
            format,
            &options(&[("template", "lwr")]),
        );
        let cart = &json["carts"][0];
        assert_eq!(cart["total_charge_amount"], "10.00", "{format}");
        assert_eq!(cart["total_tax_amount"], "8.80");
        assert_eq!(cart["grand_total_amount"], "118.80");
        assert_eq!(cart["payment_method_id"], "03OHs0000000031MAA");
        let group = &cart["delivery_groups"][0];
        assert_eq!(group["deliver_to_city"], "Springfield");
        assert_eq!(group["delivery_method_id"], "2DmHs0000000012KAA");
        assert_eq!(
            cart["payment_authorizations"],
            json!([{"id": "0XcHs0000000701KAA", "amount": "108.00", "status": "Processed", "payment_group_id": "9zxHs0000000701IAA"}])
        );
        assert_eq!(codes(cart), ["payment_does_not_match_grand_total"]);
        // The PATCH sends the delivery group's current method again, and calculates.
        let patch = prediction(cart, "checkout_update");
        assert_eq!(
            patch["request_body"],
            json!({"deliveryMethodId": "2DmHs0000000012KAA"})
        );
        assert_eq!(patch["http"], 202);
        assert_eq!(
            patch["body"]["deliveryGroups"]["items"][0]["selectedDeliveryMethod"]["id"],
            "2DmHs0000000012KAA"
        );
        // Place order checks the payment against GrandTotalAmount.
        let order = prediction(cart, "place_order");
        assert_eq!(order["http"], 422);
        // The body carries the platform's words; the amounts are in cartsim's account.
        assert_eq!(
            order["body"][0]["message"],
            "Looks like the payment method isn't authorized."
        );
        assert!(
            order
                .to_string()
                .contains("add up to 108.00, GrandTotalAmount is 118.80"),
            "{order}"
        );
        // Paying again reverses the earlier authorization and authorizes the new total.
        let pay = prediction(cart, "pay");
        assert_eq!(pay["http"], 200);
        let changes = pay["changes"].as_array().unwrap();
        assert!(changes.iter().any(|c| c["record"] == "0XcHs0000000701KAA"
            && c["field"] == "Status"
            && c["new"] == "Canceled"));
        assert!(
            changes
                .iter()
                .any(|c| c["line"].as_str().unwrap().contains("Amount 118.80"))
        );
        // The store's tax rate is read from the recorded tax, its valid-after date too.
        let a = assumptions(&json);
        assert!(
            a.contains("tax_rate is 0.08, read from WebCart 0a6Hs0000000701IAA"),
            "{a}"
        );
        assert!(a.contains("(from WebStore.CheckoutValidAfterDate"), "{a}");
        assert!(text.contains("  TotalChargeAmount 10.00  TotalTaxAmount 8.80  GrandTotalAmount 118.80  PaymentMethodId 03OHs0000000031MAA"));
        assert!(text.contains("      sent  {\"deliveryMethodId\":\"2DmHs0000000012KAA\"}"));
    }
    // Without the setting, the records show no LWR store: a delivery group and a payment
    // authorization are kept by Aura checkouts too.
    let (_, json) = run("lwr-paid-then-patched", "json", &Options::default());
    assert_eq!(json["lwr"], false);
    assert!(assumptions(&json).contains("the store's template is aura"));
}

#[test]
fn a_recorded_grand_total_that_is_not_the_sum_is_an_inconsistency() {
    let tmp = tempfile::tempdir().unwrap();
    let files = copy(&dir("lwr-paid-then-patched", "csv"), tmp.path());
    let cart = files
        .iter()
        .find(|f| f.ends_with("webcart.csv"))
        .unwrap()
        .clone();
    let text = std::fs::read_to_string(&cart)
        .unwrap()
        .replace(",118.80,", ",120.00,");
    std::fs::write(&cart, text).unwrap();
    let (_, json) = run_inputs(
        &cli::read_inputs(&[tmp.path().to_path_buf()]).unwrap(),
        &options(&[("template", "lwr")]),
    );
    let cart = &json["carts"][0];
    assert!(
        codes(cart).contains(&"grand_total_not_the_sum"),
        "{:?}",
        codes(cart)
    );
}

/// Copies a fixture folder's files into `to`; returns the copies.
fn copy(from: &Path, to: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(from)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            let target = to.join(path.file_name().unwrap());
            std::fs::copy(&path, &target).unwrap();
            target
        })
        .collect()
}

#[test]
fn a_guest_cart_is_never_not_a_store_member() {
    for format in FORMATS {
        let (text, json) = run("lwr-guest-checkout", format, &Options::default());
        // The records show the store kind: a guest's cart with a checkout.
        assert_eq!(json["lwr"], true, "{format}");
        assert!(assumptions(&json).contains("is a guest's (its AccountId 3K0Hs0000000101KAA is its store's WebStore.GuestBuyerProfileId)"));
        let cart = &json["carts"][0];
        assert_eq!(cart["guest"], true);
        assert_eq!(cart["guest_email_address"], Value::Null);
        for p in cart["predictions"].as_array().unwrap() {
            assert!(!p.to_string().contains("not a buyer member"), "{p:#}");
        }
        assert_eq!(prediction(cart, "checkout_start")["http"], 200);
        // A guest's order needs the e-mail first.
        let order = prediction(cart, "place_order");
        assert_eq!(order["http"], 412);
        assert!(
            order["body"][0]["message"]
                .as_str()
                .unwrap()
                .contains("has no GuestEmailAddress")
        );
        // The PATCH sends the delivery group's address (it has no method yet).
        let patch = prediction(cart, "checkout_update");
        assert_eq!(
            patch["request_body"]["deliveryAddress"]["city"],
            "Shelbyville"
        );
        assert_eq!(patch["http"], 202);
        assert!(text.contains(
            "A guest's cart: AccountId is a GuestBuyerProfile, so store membership is not judged"
        ));
    }
    // The same cart named by an ordinary account that the membership files leave out is
    // not a store member: the guest reading above is what spares the guest's cart.
    let tmp = tempfile::tempdir().unwrap();
    for f in copy(&dir("lwr-guest-checkout", "csv"), tmp.path()) {
        if f.ends_with("webcart.csv") {
            let text = std::fs::read_to_string(&f)
                .unwrap()
                .replace("3K0Hs0000000101KAA", "001Hs0000004499IAA");
            std::fs::write(&f, text).unwrap();
        }
    }
    let (_, json) = run_inputs(
        &cli::read_inputs(&[tmp.path().to_path_buf()]).unwrap(),
        &options(&[("template", "lwr")]),
    );
    let cart = &json["carts"][0];
    assert_eq!(cart["guest"], false);
    assert!(
        prediction(cart, "checkout_start")["error"]["message"]
            .as_str()
            .unwrap()
            .contains("is not a buyer member")
    );
}

#[test]
fn a_guest_cart_is_told_by_its_key_prefix_without_the_store_record() {
    let all = inputs("lwr-guest-checkout", "json");
    let without_store: Vec<Input> = all
        .into_iter()
        .filter(|i| !i.name.ends_with("store.json"))
        .collect();
    let (_, json) = run_inputs(&without_store, &Options::default());
    assert_eq!(json["carts"][0]["guest"], true);
    assert!(assumptions(&json).contains("starts with 3K0, the key prefix of GuestBuyerProfile"));
}

#[test]
fn an_order_reference_shows_an_lwr_store_and_retrieved_operations_are_read() {
    for format in FORMATS {
        let (text, json) = run("lwr-order-placed", format, &Options::default());
        assert_eq!(json["lwr"], true, "{format}");
        assert!(
            assumptions(&json).contains(
                "has an OrderReferenceNumber, which the REST checkout's place order gives"
            )
        );
        let counts = json["records"].to_string();
        assert!(
            counts.contains(r#"{"object":"BackgroundOperation","records":2}"#),
            "{counts}"
        );
        let cart = &json["carts"][0];
        assert_eq!(cart["status"], "Closed");
        assert_eq!(
            cart["active_session"]["order_reference_number"],
            "5f3e1c2a-8b4d-4e6f-9a1b-2c3d4e5f6a7b"
        );
        assert_eq!(
            cart["orders"],
            json!([{"id": "801Hs0000000703IAA", "order_reference_number": "5f3e1c2a-8b4d-4e6f-9a1b-2c3d4e5f6a7b", "status": "Draft"}])
        );
        assert_eq!(cart["operation"]["name"], "Cart to Order");
        assert_eq!(cart["operation"]["condition"], "complete");
        // The order was accepted: place order returns the same reference again, and
        // nothing else may change the checkout.
        let order = prediction(cart, "place_order");
        assert_eq!(order["http"], 201);
        assert_eq!(
            order["body"]["orderReferenceNumber"],
            "5f3e1c2a-8b4d-4e6f-9a1b-2c3d4e5f6a7b"
        );
        assert_eq!(prediction(cart, "checkout_update")["http"], 423);
        assert!(text.contains("  Order 801Hs0000000703IAA: OrderReferenceNumber 5f3e1c2a-8b4d-4e6f-9a1b-2c3d4e5f6a7b, Status Draft"));
    }
}

#[test]
fn json_and_csv_exports_of_lwr_tickets_give_the_same_diagnosis() {
    for ticket in [
        "lwr-paid-then-patched",
        "lwr-guest-checkout",
        "lwr-order-placed",
    ] {
        for opts in [Options::default(), options(&[("template", "lwr")])] {
            let (_, a) = run(ticket, "json", &opts);
            let (_, b) = run(ticket, "csv", &opts);
            assert_eq!(a["carts"], b["carts"], "{ticket}");
            assert_eq!(a["assumptions"], b["assumptions"], "{ticket}");
        }
    }
}

#[test]
fn place_order_v2_is_predicted_as_prepare_and_submit() {
    let (_, json) = run(
        "lwr-paid-then-patched",
        "csv",
        &options(&[("template", "lwr"), ("place_order", "v2")]),
    );
    let cart = &json["carts"][0];
    let prepare = prediction(cart, "place_order_prepare");
    assert_eq!(
        prepare["request_body"],
        json!({"actions": [{"action": "prepare"}]})
    );
    assert_eq!(prepare["http"], 200);
    // Submit without a prepare since the last calculation is refused.
    assert_eq!(prediction(cart, "place_order_submit")["result"], "refused");
    assert!(!actions(cart).contains(&"place_order"));
}

#[test]
fn cancel_checkout_cleanup_cancels_on_a_cart_change() {
    let (_, json) = run(
        "lwr-paid-then-patched",
        "csv",
        &options(&[("template", "lwr"), ("cart_cleanup", "cancel_checkout")]),
    );
    let add = prediction(&json["carts"][0], "add_to_cart");
    let changes = add["changes"].as_array().unwrap();
    assert!(
        changes
            .iter()
            .any(|c| c["field"] == "IsArchived" && c["new"] == true),
        "{add:#}"
    );
    assert!(
        !changes
            .iter()
            .any(|c| c["line"].as_str().unwrap().contains("Cart Calculate"))
    );
}

#[test]
fn a_checkout_started_before_checkout_valid_after_is_expired() {
    let tmp = tempfile::tempdir().unwrap();
    for f in copy(&dir("lwr-paid-then-patched", "json"), tmp.path()) {
        let text = std::fs::read_to_string(&f).unwrap().replace(
            "2026-11-01T00:00:00.000+0000",
            "2026-11-26T10:05:00.000+0000",
        );
        std::fs::write(&f, text).unwrap();
    }
    let (rebuilt, d) = diagnose::diagnose(
        &cli::read_inputs(&[tmp.path().to_path_buf()]).unwrap(),
        &options(&[("template", "lwr")]),
        false,
    )
    .unwrap();
    // Tick 0 is 09:58, so 10:05 is tick 7; the session started at 10:00 (tick 2).
    assert_eq!(
        rebuilt
            .world
            .stores()
            .nth(0)
            .unwrap()
            .settings
            .checkout_valid_after,
        Some(7)
    );
    let json = serde_json::to_value(&d).unwrap();
    let cart = &json["carts"][0];
    assert!(
        codes(cart).contains(&"checkout_past_time_to_live"),
        "{:?}",
        codes(cart)
    );
    assert!(
        cart["verdict"]
            .as_str()
            .unwrap()
            .starts_with("In Checkout, expired")
    );
    // The buyer's next call finds it expired: its Cart Calculate runs again.
    let poll = prediction(cart, "checkout_poll");
    assert_eq!(poll["http"], 202);
    assert!(poll["changes"].to_string().contains("Cart Calculate"));
}

#[test]
fn anonymized_lwr_records_keep_guests_and_order_references() {
    let (_, d) = diagnose::diagnose(
        &inputs("lwr-guest-checkout", "json"),
        &Options::default(),
        true,
    )
    .unwrap();
    let json = serde_json::to_string(&d).unwrap();
    assert!(
        !json.contains("Elm Rd") && !json.contains("Shelbyville"),
        "{json}"
    );
    assert!(!json.contains("3K0Hs"), "a real id survived");
    assert!(d.lwr);
    assert!(d.carts[0].guest);
    let (_, d) = diagnose::diagnose(
        &inputs("lwr-order-placed", "csv"),
        &Options::default(),
        true,
    )
    .unwrap();
    let cart = &d.carts[0];
    assert_eq!(
        cart.active_session
            .as_ref()
            .unwrap()
            .order_reference_number
            .as_deref(),
        Some("orn-1")
    );
    assert_eq!(
        cart.orders[0].order_reference_number.as_deref(),
        Some("orn-1")
    );
    assert_eq!(cart.payment_authorizations[0].amount, "65.00");
}

#[test]
fn an_authorization_that_cannot_be_related_is_listed_as_missing() {
    let tmp = tempfile::tempdir().unwrap();
    for f in copy(&dir("lwr-paid-then-patched", "csv"), tmp.path()) {
        if f.ends_with("webcart.csv") {
            // The cart's export without its PaymentGroupId value.
            let text = std::fs::read_to_string(&f)
                .unwrap()
                .replace("9zxHs0000000701IAA", "");
            std::fs::write(&f, text).unwrap();
        }
    }
    let (_, json) = run_inputs(
        &cli::read_inputs(&[tmp.path().to_path_buf()]).unwrap(),
        &options(&[("template", "lwr")]),
    );
    assert_eq!(json["carts"][0]["payment_authorizations"], json!([]));
    let missing = json["missing"].to_string();
    assert!(
        missing
            .contains("PaymentAuthorization 0XcHs0000000701KAA: related to no cart in the files")
            && missing.contains("PaymentAuthorization.PaymentGroupId = WebCart.PaymentGroupId"),
        "{missing}"
    );
}

/// `cartsim diagnose ARGS` as parsed from the command line.
#[derive(Parser)]
struct Cmd {
    #[command(flatten)]
    args: cli::DiagnoseArgs,
}

fn open(args: &[&str]) -> cartsim::scenario::Scenario {
    let mut argv = vec!["diagnose"];
    argv.extend_from_slice(args);
    let cmd = Cmd::try_parse_from(argv).expect("the flags parse");
    assert!(cmd.args.open);
    cli::scenario_to_open(&cmd.args).unwrap_or_else(|e| panic!("{e:?}"))
}

#[test]
fn open_honours_every_setting_given() {
    let fixture = dir("lwr-paid-then-patched", "csv");
    let fixture = fixture.to_str().unwrap();
    // Every setting `--setting` takes, each away from its edition 1 default.
    let given = [
        ("template", "lwr"),
        ("checkout_session", "get_or_create"),
        ("cancel_requirements", "lenient"),
        ("continue_while_processing", "already_in_process"),
        ("cart_access", "owner_and_account"),
        ("validation_on_start", "clear"),
        ("order_created", "at_cart_to_order"),
        ("canceled_finished_at", "null"),
        ("checkout_expiry", "on_return"),
        ("place_order", "v2"),
        ("cart_cleanup", "cancel_checkout"),
    ];
    // Keys whose values are numbers: taken when `--setting` takes them (they then win
    // over what the records say: the tax rate read from the cart, CheckoutValidAfterDate).
    let numeric = [
        ("tax_rate", "0.05"),
        ("checkout_valid_after", "3"),
        ("operation_expiry", "10"),
    ];
    let given: Vec<(&str, &str)> = given
        .into_iter()
        .chain(numeric.into_iter().filter(|(k, v)| {
            let pair = format!("{k}={v}");
            let cmd = Cmd::try_parse_from(["diagnose", "--setting", pair.as_str(), "x"]).unwrap();
            cli::options(&cmd.args).is_ok()
        }))
        .collect();
    let mut args = vec![
        "--open",
        "--edition",
        "1",
        "--ttl-minutes",
        "90",
        "--tick-minutes",
        "5",
    ];
    let pairs: Vec<String> = given.iter().map(|(k, v)| format!("{k}={v}")).collect();
    for p in &pairs {
        args.extend(["--setting", p.as_str()]);
    }
    args.push(fixture);
    let scenario = open(&args);
    assert_eq!(scenario.edition, Edition::One);
    let store = &scenario.world.stores().nth(0).unwrap();
    let values = store.settings.values();
    for &(key, value) in &given {
        assert!(
            values.contains(&(key, value.to_string())),
            "{key}={value} is not in the opened world: {values:?}"
        );
    }
    let set = |key: &str| given.iter().any(|(k, _)| *k == key);
    // 90 minutes at 5 minutes a tick; WebStore.CheckoutValidAfterDate as a tick.
    assert_eq!(store.settings.checkout_ttl, Some(18));
    if !set("checkout_valid_after") {
        assert_eq!(store.settings.checkout_valid_after, Some(0));
    }
    // The tax rate read from the records, and the delivery method its group names.
    if !set("tax_rate") {
        assert_eq!(store.settings.tax_rate.to_string(), "0.08");
    }
    assert_eq!(store.delivery_methods[0].id, "2DmHs0000000012KAA");
    assert_eq!(scenario.world.delivery_groups().len(), 1);
    assert_eq!(scenario.world.payment_authorizations().len(), 1);
    assert!(
        scenario
            .summary
            .as_deref()
            .unwrap()
            .contains("a saved file leaves them out")
    );
    // And the settings survive `w`: the opened world saved and loaded again.
    let raw = cartsim::scenario::format::RawScenario {
        cartsim: Value::from(1),
        title: scenario.title.clone(),
        summary: scenario.summary.clone(),
        tags: scenario.tags.clone(),
        world: cartsim::scenario::save::raw_world(&scenario.world),
        steps: Vec::new(),
        explore: None,
    };
    let text = cartsim::scenario::save::to_text(&raw);
    let loaded = cartsim::scenario::load_bytes("saved.json", text.as_bytes())
        .unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(
        loaded.world.stores().nth(0).unwrap().settings,
        store.settings
    );

    // The defaults, when nothing is given: an edition 2 aura store (the records of this
    // ticket show no store kind), the store's own time-to-live.
    let scenario = open(&["--open", fixture]);
    let settings = scenario.world.stores().nth(0).unwrap().settings;
    assert_eq!(scenario.edition, Edition::Two);
    assert_eq!(settings.template, Template::Aura);
    assert_eq!(settings.checkout_expiry, CheckoutExpiry::OnReturn);
    assert_eq!(settings.checkout_ttl, Some(2880));
    let defaults = StoreSettings::defaults(Edition::Two);
    assert_eq!(settings.place_order, defaults.place_order);
    // `--ttl-minutes none` never expires.
    let scenario = open(&["--open", "--ttl-minutes", "none", fixture]);
    assert_eq!(
        scenario
            .world
            .stores()
            .nth(0)
            .unwrap()
            .settings
            .checkout_ttl,
        None
    );
}

#[test]
fn queries_fetch_every_lwr_record_and_fall_back_to_one_retrieve_per_operation() {
    let out = common::cartsim(&["diagnose", "--queries", "0a6Hs0000000701IAA"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for (object, fields) in [
        ("WebCart", diagnose::queries::WEBCART),
        ("CartCheckoutSession", diagnose::queries::SESSION),
        ("WebStore", diagnose::queries::STORE),
        ("CartDeliveryGroup", diagnose::queries::DELIVERY_GROUP),
        ("PaymentAuthorization", diagnose::queries::PAYMENT),
        ("Order", diagnose::queries::ORDER),
    ] {
        assert!(
            text.contains(&format!("SELECT {fields} FROM {object} ")),
            "{object}: {text}"
        );
    }
    for field in [
        "OrderReferenceNumber",
        "GrandTotalAmount",
        "PaymentMethodId",
        "GuestEmailAddress",
        "CheckoutValidAfterDate",
        "DeliverToStreet",
        "DeliveryMethodId",
    ] {
        assert!(text.contains(field), "{field}");
    }
    assert!(text.contains(
        "FROM PaymentAuthorization WHERE PaymentGroupId IN (SELECT PaymentGroupId FROM WebCart WHERE Id = '0a6Hs0000000701IAA')"
    ));
    assert!(text.contains(
        "| while read -r id; do sf data get record -s BackgroundOperation -i \"$id\" --json > \"operation-$id.json\"; done"
    ));
}

#[test]
fn no_output_or_source_says_lwr_is_not_simulated() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![
        root.join("README.md"),
        root.join("docs/diagnose.md"),
        root.join("src/cli/diagnose.rs"),
    ];
    let mut dirs = vec![root.join("src/diagnose")];
    while let Some(dir) = dirs.pop() {
        for e in std::fs::read_dir(dir).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(path);
            }
        }
    }
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        assert!(!text.contains("not simulated"), "{}", f.display());
    }
}

#[test]
fn the_readme_shows_an_lwr_diagnosis_as_it_is() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/diagnose.md")).unwrap();
    let marker = "(`cartsim diagnose --setting template=lwr\ntests/fixtures/tickets/lwr-paid-then-patched/csv`)";
    let after = &readme[readme.find(marker).expect("marker in docs/diagnose.md")..];
    let start = after.find("```text\n").unwrap() + "```text\n".len();
    let end = after[start..].find("\n```").unwrap();
    let block = &after[start..start + end];
    let out = common::cartsim(&[
        "diagnose",
        "--setting",
        "template=lwr",
        "tests/fixtures/tickets/lwr-paid-then-patched/csv",
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(block),
        "the README's excerpt is not in:\n{text}"
    );
}

#[test]
fn an_explicit_template_wins_over_what_the_records_show() {
    let (_, json) = run("lwr-order-placed", "csv", &options(&[("template", "aura")]));
    assert_eq!(json["lwr"], false);
    assert!(assumptions(&json).contains(
        "the store's template is aura (--setting template=aura), though the records look like an lwr store's"
    ));
    assert_eq!(
        actions(&json["carts"][0]),
        [
            "cancel",
            "start_checkout",
            "add_to_cart",
            "continue",
            "expiry"
        ]
    );
}

/// Runs `cartsim diagnose` on the files; returns its error output, after checking that it
/// refused them (exit 2, nothing on standard output, no panic).
fn refused(files: &[&Path]) -> String {
    let mut args = vec!["diagnose".to_string()];
    args.extend(files.iter().map(|f| f.to_string_lossy().into_owned()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = common::cartsim(&args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(out.stdout.is_empty());
    stderr
}

#[test]
fn bad_lwr_records_name_the_file_the_record_and_the_field() {
    let tmp = tempfile::tempdir().unwrap();
    let files = copy(&dir("lwr-paid-then-patched", "csv"), tmp.path());
    let edit = |name: &str, from: &str, to: &str| {
        let f = files.iter().find(|f| f.ends_with(name)).unwrap();
        let text = std::fs::read_to_string(f).unwrap();
        assert!(text.contains(from), "{name}: {from}");
        std::fs::write(f, text.replace(from, to)).unwrap();
    };
    // A time is checked with every other before the world is rebuilt.
    edit(
        "store.csv",
        "2026-11-01T00:00:00.000+0000",
        "1 November 2026",
    );
    let e = refused(&[tmp.path()]);
    assert!(
        e.contains("store.csv: record 1 (WebStore 0ZEHs0000007003OAA): CheckoutValidAfterDate: \"1 November 2026\" is not a timestamp"),
        "{e}"
    );
    edit(
        "store.csv",
        "1 November 2026",
        "2026-11-01T00:00:00.000+0000",
    );
    edit("payments.csv", "108.00,Processed", "a lot,Settled");
    edit("delivery-groups.csv", ",0a6Hs0000000701IAA,", ",,");
    edit("webcart.csv", ",10.00,8.80,", ",ten,8.80,");
    let e = refused(&[tmp.path()]);
    for expected in [
        "payments.csv: record 1 (PaymentAuthorization 0XcHs0000000701KAA): Status: \"Settled\" is not a PaymentAuthorization.Status; expected one of: Draft, Canceled, Pending, Processed, Failed",
        "delivery-groups.csv: record 1 (CartDeliveryGroup 0a7Hs0000000701IAA): CartId: missing; a CartDeliveryGroup must name its cart",
        "webcart.csv: record 1 (WebCart 0a6Hs0000000701IAA): TotalChargeAmount: \"ten\" is not an amount",
    ] {
        assert!(e.contains(expected), "{expected}\nin:\n{e}");
    }
    // A Pending authorization is read but left out, and said so.
    let tmp = tempfile::tempdir().unwrap();
    for f in copy(&dir("lwr-paid-then-patched", "csv"), tmp.path()) {
        let text = std::fs::read_to_string(&f)
            .unwrap()
            .replace(",Processed,", ",Pending,");
        std::fs::write(&f, text).unwrap();
    }
    let (_, json) = run_inputs(
        &cli::read_inputs(&[tmp.path().to_path_buf()]).unwrap(),
        &options(&[("template", "lwr")]),
    );
    assert_eq!(json["carts"][0]["payment_authorizations"], json!([]));
    assert!(json["notes"].to_string().contains(
        "PaymentAuthorization 0XcHs0000000701KAA is Pending: cartsim models Processed, Failed and Canceled authorizations"
    ));
}
