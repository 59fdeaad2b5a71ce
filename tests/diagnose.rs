//! `cartsim diagnose`: every ticket fixture (tests/fixtures/tickets, JSON and CSV) is
//! diagnosed and its important facts checked in text and JSON; bad input exits 2 with
//! a message naming the file, the record and the field, never a panic.

mod common;

use cartsim::cli::diagnose as cli;
use cartsim::diagnose::{self, Input, Options};
use serde_json::Value;
use std::path::PathBuf;

const TICKETS: &str = "tests/fixtures/tickets";
const FORMATS: [&str; 2] = ["json", "csv"];

fn inputs(ticket: &str, format: &str) -> Vec<Input> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(TICKETS)
        .join(ticket)
        .join(format);
    cli::read_inputs(&[dir]).expect("fixture files read")
}

fn options(now: Option<&str>, settings: &[(&str, &str)]) -> Options {
    Options {
        now: now.map(|t| diagnose::values::parse_timestamp(t).unwrap()),
        settings: settings
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ..Options::default()
    }
}

/// The diagnosis of a fixture in one format: (text, JSON).
fn run(ticket: &str, format: &str, opts: &Options) -> (String, Value) {
    let (_, d) = diagnose::diagnose(&inputs(ticket, format), opts, false)
        .unwrap_or_else(|e| panic!("{ticket}/{format}: {e:?}"));
    (
        diagnose::explain::text(&d),
        serde_json::to_value(&d).unwrap(),
    )
}

fn prediction<'a>(cart: &'a Value, action: &str) -> &'a Value {
    cart["predictions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["action"] == action)
        .unwrap_or_else(|| panic!("no prediction {action}"))
}

fn codes(cart: &Value) -> Vec<String> {
    cart["inconsistencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn failed_tax_call_is_stuck_in_error_and_cancel_unlocks_it() {
    for format in FORMATS {
        let (text, json) = run("failed-tax", format, &Options::default());
        let cart = &json["carts"][0];
        assert_eq!(cart["status"], "Checkout", "{format}");
        assert!(
            cart["verdict"]
                .as_str()
                .unwrap()
                .starts_with("Stuck after a failed Calculate Cart Taxes"),
            "{format}"
        );
        assert_eq!(cart["active_session"]["state"], "Error");
        assert_eq!(cart["operation"]["condition"], "failed");
        assert!(
            cart["operation"]["error"]
                .as_str()
                .unwrap()
                .contains("Read timed out")
        );
        assert_eq!(cart["validation"][0]["kind"], "Taxes");
        assert_eq!(cart["total_product_amount"], "1534.00");
        let cancel = prediction(cart, "cancel");
        assert_eq!(cancel["result"], "ok");
        assert!(
            cancel["changes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["field"] == "Status"
                    && c["new"] == "Active"
                    && c["source"] == "documented")
        );
        assert_eq!(
            prediction(cart, "continue")["error"]["code"],
            "STATE_MISMATCH"
        );
        // The add keeps the recorded total exact, then adds one unit.
        let add = prediction(cart, "add_to_cart");
        assert!(
            add["changes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["field"] == "TotalProductCount" && c["old"] == 12 && c["new"] == 13)
        );
        assert!(text.contains("Cancel Cart Async Operation: succeeds"));
        assert!(text.contains(
            "Checkout -> Active  (Cancel Cart Async Operation unlocks the cart) [documented]"
        ));
        assert!(text.contains("from WebStore.CheckoutTimeToLive"));
    }
}

#[test]
fn two_tabs_leave_one_archived_session_and_one_running() {
    for format in FORMATS {
        let (text, json) = run("two-tabs", format, &Options::default());
        let cart = &json["carts"][0];
        assert_eq!(
            cart["archived_sessions"].as_array().unwrap().len(),
            1,
            "{format}"
        );
        assert_eq!(cart["active_session"]["is_processing"], true);
        assert_eq!(cart["operation"]["condition"], "running");
        assert!(codes(cart).is_empty(), "{:?}", codes(cart));
        let cont = prediction(cart, "continue");
        assert_eq!(cont["error"]["code"], "ALREADY_IN_PROCESS");
        assert_eq!(cont["error"]["http"], 400);
        let cancel = prediction(cart, "cancel");
        assert!(
            cancel["changes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["new"] == "Canceled")
        );
        // Start checkout in format 2 returns the active session and changes nothing else.
        assert_eq!(prediction(cart, "start_checkout")["result"], "ok");
        assert!(text.contains("Archived sessions (1):"));
    }
}

#[test]
fn expired_checkout_is_overdue_at_the_query_time() {
    for format in FORMATS {
        // Eager expiry: the checkout expires at the next tick.
        let (text, json) = run(
            "expired-checkout",
            format,
            &options(
                Some("2026-11-25T14:30:00Z"),
                &[("checkout_expiry", "eager")],
            ),
        );
        let cart = &json["carts"][0];
        assert!(
            codes(cart).contains(&"checkout_past_time_to_live".to_string()),
            "{format}"
        );
        let expiry = prediction(cart, "expiry");
        assert!(expiry["summary"].as_str().unwrap().starts_with("overdue"));
        assert!(
            expiry["changes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["field"] == "Status" && c["new"] == "Active")
        );
        assert!(text.contains("time-to-live has passed"));
        // As the time-to-live guide documents it (the default): nothing changes until
        // the buyer returns, and then the integrations run again.
        let (text, json) = run(
            "expired-checkout",
            format,
            &options(Some("2026-11-25T14:30:00Z"), &[]),
        );
        let cart = &json["carts"][0];
        assert!(codes(cart).contains(&"checkout_past_time_to_live".to_string()));
        let expiry = prediction(cart, "expiry");
        assert_eq!(expiry["result"], "on_return");
        assert!(expiry["summary"].as_str().unwrap().starts_with("passed at"));
        assert!(expiry["changes"].as_array().unwrap().is_empty());
        assert!(text.contains("integrations run again"), "{text}");
        // The same records an hour after the checkout started are not expired.
        let (_, json) = run(
            "expired-checkout",
            format,
            &options(
                Some("2026-11-22T10:00:00Z"),
                &[("checkout_expiry", "eager")],
            ),
        );
        let cart = &json["carts"][0];
        assert!(codes(cart).is_empty());
        assert!(
            prediction(cart, "expiry")["summary"]
                .as_str()
                .unwrap()
                .starts_with("at 2026-11-24T09:00:00Z")
        );
    }
}

#[test]
fn purged_operation_refuses_cancel_under_enforce_and_passes_under_lenient() {
    for format in FORMATS {
        let (text, json) = run("purged-operation", format, &Options::default());
        let cart = &json["carts"][0];
        assert_eq!(cart["operation"]["condition"], "purged", "{format}");
        let found = codes(cart);
        assert!(
            found.contains(&"session_names_purged_operation".to_string()),
            "{found:?}"
        );
        assert!(
            found.contains(&"processing_with_nothing_running".to_string()),
            "{found:?}"
        );
        let cancel = prediction(cart, "cancel");
        assert_eq!(cancel["error"]["code"], "UNKNOWN_EXCEPTION");
        assert!(
            cancel["error"]["requirement"]
                .as_str()
                .unwrap()
                .contains("requirement 6")
        );
        assert_eq!(prediction(cart, "expiry")["result"], "none");
        assert!(text.contains("never: the store's checkouts do not expire"));
        let (_, json) = run(
            "purged-operation",
            format,
            &options(None, &[("cancel_requirements", "lenient")]),
        );
        let cancel = prediction(&json["carts"][0], "cancel");
        assert_eq!(cancel["result"], "ok");
        assert!(
            cancel["changes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["new"] == "Active")
        );
    }
}

#[test]
fn closed_cart_refuses_every_buyer_action() {
    for format in FORMATS {
        let (text, json) = run("closed-cart", format, &Options::default());
        let cart = &json["carts"][0];
        assert!(
            cart["verdict"].as_str().unwrap().starts_with("Closed"),
            "{format}"
        );
        assert!(
            cart["verdict"]
                .as_str()
                .unwrap()
                .contains("801Hs0000005501IAA")
        );
        let cancel = prediction(cart, "cancel");
        assert_eq!(cancel["error"]["code"], "INVALID_OPERATION");
        assert_eq!(cancel["error"]["http"], 403);
        assert!(
            cancel["error"]["origin"]
                .as_str()
                .unwrap()
                .starts_with("[documented")
        );
        for action in ["start_checkout", "add_to_cart", "continue"] {
            assert_eq!(prediction(cart, action)["result"], "refused", "{action}");
        }
        assert!(text.contains("failed requirement 4: the cart status is not Closed"));
    }
}

#[test]
fn lwr_store_is_diagnosed_with_the_rest_calls() {
    for format in FORMATS {
        let (text, json) = run("lwr-422", format, &options(None, &[("template", "lwr")]));
        assert_eq!(json["lwr"], true);
        let cart = &json["carts"][0];
        let rows = cart["validation"].as_array().unwrap();
        assert_eq!(rows.len(), 2, "{format}");
        assert!(rows.iter().any(|r| r["level"] == "Error"
            && r["kind"] == "Inventory"
            && r["message"].as_str().unwrap().contains("in stock")));
        assert!(rows.iter().any(|r| r["level"] == "Warning"));
        assert!(text.contains("LWR store: the storefront calls the Connect REST checkout API"));
        assert!(
            text.contains("What each REST checkout call would answer now (as the cart's owner):")
        );
        assert!(text.contains(
            "    Poll checkout (REST GET /checkouts/{id}): answers 422 Unprocessable Entity"
        ));
    }
}

#[test]
fn json_and_csv_exports_give_the_same_diagnosis() {
    for ticket in [
        "failed-tax",
        "two-tabs",
        "expired-checkout",
        "purged-operation",
        "closed-cart",
        "lwr-422",
    ] {
        let (_, a) = run(ticket, "json", &Options::default());
        let (_, b) = run(ticket, "csv", &Options::default());
        assert_eq!(a["carts"], b["carts"], "{ticket}");
        assert_eq!(a["assumptions"], b["assumptions"], "{ticket}");
    }
}

#[test]
fn the_command_prints_text_json_and_queries() {
    let out = common::cartsim(&["diagnose", "tests/fixtures/tickets/failed-tax/csv"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("WebCart 0a6Hs0000000101IAA \"Cart\": Checkout"));
    assert!(text.contains("Assumptions (facts these records cannot show):"));
    let out = common::cartsim(&[
        "diagnose",
        "--json",
        "tests/fixtures/tickets/closed-cart/json",
    ]);
    assert!(out.status.success());
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["carts"][0]["status"], "Closed");
    let out = common::cartsim(&["diagnose", "--queries", "0a6Hs0000000101"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for object in [
        "FROM WebCart",
        "FROM CartCheckoutSession",
        "FROM BackgroundOperation",
        "FROM CartValidationOutput",
        "FROM WebStore",
    ] {
        assert!(text.contains(object), "{object}");
    }
    assert!(text.contains("sf data query --json --query \"SELECT Id, WebCartId, State"));
    let out = common::cartsim(&["diagnose", "--queries", "0a6Hs0000000101IAB"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("do not match"));
}

#[test]
fn anonymize_replaces_real_ids_with_readable_ones() {
    let (_, d) =
        diagnose::diagnose(&inputs("two-tabs", "json"), &Options::default(), true).unwrap();
    let json = serde_json::to_string(&d).unwrap();
    assert!(!json.contains("Hs0000"), "a real id survived");
    assert!(!json.contains("Bob Buyer"));
    assert_eq!(d.carts[0].id, "cart-1");
    assert_eq!(d.carts[0].active_session.as_ref().unwrap().id, "ccs-2");
    // The rebuilt world saves as a scenario file that loads back.
    let (rebuilt, d) =
        diagnose::diagnose(&inputs("two-tabs", "json"), &Options::default(), true).unwrap();
    let scenario = diagnose::scenario(rebuilt.world, &d, cartsim::engine::Edition::Two);
    let raw = cartsim::scenario::format::RawScenario {
        cartsim: Value::from(2),
        title: scenario.title.clone(),
        summary: scenario.summary.clone(),
        tags: scenario.tags.clone(),
        world: cartsim::scenario::save::raw_world(&scenario.world),
        steps: Vec::new(),
        explore: None,
    };
    let text = cartsim::scenario::save::to_text(&raw);
    let loaded = cartsim::scenario::load_bytes("saved.json", text.as_bytes())
        .expect("the saved world loads");
    assert_eq!(
        loaded.world.carts().nth(0).unwrap().status,
        cartsim::engine::CartStatus::Checkout
    );
    assert_eq!(loaded.world.sessions().len(), 2);
}

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

fn refused(files: &[&str]) -> String {
    let mut args = vec!["diagnose"];
    args.extend_from_slice(files);
    let out = common::cartsim(&args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{files:?}: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(out.stdout.is_empty());
    stderr
}

const SESSIONS_CSV: &str = "Id,WebCartId,State,NextState,IsProcessing,IsError,IsArchived,BackgroundOperationId,OrderId,CreatedDate\n";

#[test]
fn bad_input_names_file_record_and_field_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let html = write(
        &dir,
        "cart.json",
        "<!DOCTYPE html><html><body>Session expired</body></html>",
    );
    assert!(refused(&[&html]).contains("cart.json: this is an HTML or XML page"));

    let truncated = write(
        &dir,
        "t.json",
        r#"{"status":0,"result":{"records":[{"attributes":{"type":"WebCart"},"Id":"0a6Hs0"#,
    );
    let e = refused(&[&truncated]);
    assert!(e.contains("t.json:1:") && e.contains("truncated"), "{e}");

    let other = write(
        &dir,
        "accounts.csv",
        "Id,Name,Industry\n001Hs0000004411,Acme,Manufacturing\n",
    );
    assert!(
        refused(&[&other])
            .contains("accounts.csv: line 1: the header (Id,Name,Industry) matches no object")
    );

    let order = write(
        &dir,
        "o.json",
        r#"{"status":0,"result":{"records":[{"attributes":{"type":"Opportunity"},"Id":"006Hs0000005501"}],"done":true}}"#,
    );
    let e = refused(&[&order]);
    assert!(
        e.contains(
            "o.json: record 1: attributes.type: \"Opportunity\" is not an object diagnose reads"
        ),
        "{e}"
    );

    let two = write(
        &dir,
        "s.csv",
        &format!(
            "{SESSIONS_CSV}2z9Hs0000000201,0a6Hs0000000201,Inventory,,true,false,false,,,2026-11-25T09:20:00.000+0000\n2z9Hs0000000202,0a6Hs0000000201,Inventory,,true,false,false,,,2026-11-25T09:31:00.000+0000\n"
        ),
    );
    let e = refused(&[&two]);
    assert!(
        e.contains("s.csv: record 2 (CartCheckoutSession 2z9Hs0000000202")
            && e.contains("IsArchived: false, but the cart"),
        "{e}"
    );

    let bad_id = write(
        &dir,
        "b.csv",
        &format!(
            "{SESSIONS_CSV}2z9Hs0000000201IAB,0a6Hs0000000201,Inventory,,true,false,false,,,2026-11-25T09:20:00.000+0000\n"
        ),
    );
    // A mistyped checksum is a warning naming the right suffix, not a refusal.
    let out = common::cartsim(&["diagnose", &bad_id]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("b.csv: record 1")
            && stdout.contains("Id: 2z9Hs0000000201IAB: the id's last three characters IAB do not match its first fifteen: the right suffix is IAA"),
        "{stdout}"
    );

    let bad_value = write(
        &dir,
        "v.csv",
        &format!(
            "{SESSIONS_CSV}2z9Hs0000000201,0a6Hs0000000201,Inventory,,maybe,false,false,,,yesterday\n"
        ),
    );
    let e = refused(&[&bad_value]);
    assert!(
        e.contains("CreatedDate: \"yesterday\" is not a timestamp"),
        "{e}"
    );

    let status = write(
        &dir,
        "c.csv",
        "Id,Status,WebStoreId\n0a6Hs0000000201,Stuck,0ZEHs0000007001\n",
    );
    let e = refused(&[&status]);
    assert!(
        e.contains("c.csv: record 1 (WebCart 0a6Hs0000000201")
            && e.contains("Status: \"Stuck\" is not a WebCart.Status"),
        "{e}"
    );

    let failed = write(
        &dir,
        "f.json",
        r#"{"status":1,"name":"INVALID_TYPE","message":"sObject type 'CartCheckoutSesion' is not supported."}"#,
    );
    assert!(
        refused(&[&failed]).contains("f.json: result 1: the Salesforce CLI reported INVALID_TYPE")
    );

    assert!(
        refused(&[&dir.path().join("nothing.json").to_string_lossy()])
            .contains("cannot read the file")
    );
}

#[test]
fn nothing_from_a_file_reaches_the_terminal_unsanitized() {
    let dir = tempfile::tempdir().unwrap();
    let cart = write(
        &dir,
        "c.csv",
        "Id,Name,Status,OwnerId,AccountId,WebStoreId\n0a6Hs0000000201,\"Evil\u{1b}]0;pwned\u{7}\u{202e}cart\",Active,005Hs0000002210,001Hs0000004411,0ZEHs0000007001\n",
    );
    let out = common::cartsim(&["diagnose", &cart]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Evil\u{FFFD}]0;pwned\u{FFFD}\u{FFFD}cart"),
        "{text}"
    );
    assert!(!text.contains('\u{1b}'));
    let bad = write(
        &dir,
        "x\u{1b}[2J.csv",
        "Id,WebStoreId,Status\n0a6Hs0000000201,0ZEHs0000007001,\u{1b}[31mBad\n",
    );
    let e = refused(&[&bad]);
    assert!(!e.contains('\u{1b}'), "{e:?}");
}

#[test]
fn a_partial_export_gets_a_partial_diagnosis() {
    let dir = tempfile::tempdir().unwrap();
    let sessions = write(
        &dir,
        "s.csv",
        &format!(
            "{SESSIONS_CSV}2z9Hs0000000201,0a6Hs0000000201,Inventory,,true,false,false,0bOHs0000000206,,2026-11-25T09:20:00.000+0000\n"
        ),
    );
    let out = common::cartsim(&["diagnose", &sessions]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("No WebCart in the files"));
    assert!(
        text.contains(
            "WebCart 0a6Hs0000000201IAA: named by CartCheckoutSession 2z9Hs0000000201IAA"
        ),
        "{text}"
    );
    assert!(text.contains("BackgroundOperation: no records in the files"));

    // A cart whose query left out fields the diagnosis needs names them.
    let cart = write(
        &dir,
        "c.csv",
        "Id,WebStoreId,OwnerId,AccountId\n0a6Hs0000000201,0ZEHs0000007001,005Hs0000002210,001Hs0000004411\n",
    );
    let out = common::cartsim(&["diagnose", &cart, &sessions]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("WebCart.Status: not in"), "{text}");
    assert!(text.contains("read as Active"));
    assert!(
        text.contains("BackgroundOperation records were given")
            || text.contains("no BackgroundOperation records were given"),
        "{text}"
    );
}

/// The code block that follows `marker` in the diagnose page of the reference.
fn readme_block(marker: &str) -> String {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/diagnose.md")).unwrap();
    let after = &readme[readme.find(marker).expect("marker in docs/diagnose.md")..];
    let start = after.find("```text\n").unwrap() + "```text\n".len();
    let end = after[start..].find("\n```").unwrap();
    format!("{}\n", &after[start..start + end])
}

#[test]
fn the_readme_shows_real_output() {
    let out = common::cartsim(&[
        "diagnose",
        "--now",
        "2026-11-25T14:00:00Z",
        "tests/fixtures/tickets/failed-tax/csv",
    ]);
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        readme_block(
            "(`cartsim diagnose --now 2026-11-25T14:00:00Z tests/fixtures/tickets/failed-tax/csv`)"
        )
    );
    let out = common::cartsim(&["diagnose", "--queries", "0a6Hs0000000101IAA"]);
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        readme_block("**1. The queries.**")
    );
}

#[test]
fn setting_takes_every_declared_store_setting_through_its_own_parser() {
    use cartsim::diagnose::rebuild::check_setting;
    for (pair, ok) in [
        ("cancel_requirements=lenient", true),
        ("checkout_expiry=eager", true),
        ("checkout_valid_after=7", true),
        ("checkout_valid_after=null", true),
        ("place_order=v2", true),
        ("cart_cleanup=cancel_checkout", true),
        ("tax_rate=0.0825", true),
        ("operation_expiry=5", true),
        ("canceled_finished_at=null", true),
        ("tax_rate=0.08255", false),
        ("checkout_expiry=lazy", false),
        ("place_order=v3", false),
    ] {
        assert_eq!(
            check_setting(pair).is_ok(),
            ok,
            "{pair}: {:?}",
            check_setting(pair)
        );
    }
    let e = check_setting("checkout_expiry=lazy").unwrap_err();
    assert!(
        e.contains(r#"expected one of: "on_return", "eager""#),
        "{e}"
    );
    let e = check_setting("tax_rate=2").unwrap_err();
    assert!(e.contains("decimal fraction from 0 to 1"), "{e}");
    let e = check_setting("nope=1").unwrap_err();
    assert!(
        e.contains("tax_rate") && e.contains("checkout_expiry"),
        "{e}"
    );
    assert!(
        !e.contains("checkout_ttl,"),
        "the time to live has its own option: {e}"
    );
    let e = check_setting("checkout_ttl=5").unwrap_err();
    assert!(e.contains("--ttl-minutes"), "{e}");

    // Given, a setting reaches the rebuilt store.
    let (_, json) = run(
        "purged-operation",
        "json",
        &options(
            None,
            &[("tax_rate", "0.0825"), ("checkout_expiry", "eager")],
        ),
    );
    let text = json.to_string();
    assert!(
        text.contains("tax_rate=0.0825"),
        "the assumption names it: {text}"
    );
}

#[test]
fn a_bad_setting_on_the_command_line_exits_2_naming_the_values() {
    let out = common::cartsim(&[
        "diagnose",
        "--setting",
        "place_order=v3",
        "tests/fixtures/tickets/failed-tax/csv",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(r#""v1", "v2""#), "{err}");
}

#[test]
fn an_operation_running_for_no_active_session_is_found() {
    // two-tabs, with the operation of the first (archived) tab still running: only the
    // archived session names it, so nothing active will ever pick up its result.
    let mut files = inputs("two-tabs", "json");
    for f in &mut files {
        if f.name.ends_with("operations.json") {
            let text = String::from_utf8(f.bytes.clone()).unwrap();
            let first = text
                .find("\"Status\": \"Complete\"")
                .expect("a complete operation");
            let mut changed = text.clone();
            changed.replace_range(
                first..first + "\"Status\": \"Complete\"".len(),
                "\"Status\": \"Running\"",
            );
            f.bytes = changed.into_bytes();
        }
    }
    let (_, d) = diagnose::diagnose(&files, &options(None, &[]), false).expect("diagnosed");
    let json = serde_json::to_value(&d).unwrap();
    let carts = json["carts"].as_array().unwrap();
    assert_eq!(carts.len(), 1);
    let found: Vec<&Value> = carts[0]["inconsistencies"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "operation_running_for_no_session")
        .collect();
    assert_eq!(found.len(), 1, "{:#}", carts[0]["inconsistencies"]);
    assert!(
        found[0]["text"]
            .as_str()
            .unwrap()
            .starts_with("0bOHs0000000204MAA (Calculate Cart Shipment Costs) is Running"),
        "{}",
        found[0]["text"]
    );
    // As exported, every running operation has an active session naming it.
    let (_, plain) = run("two-tabs", "json", &options(None, &[]));
    assert!(!codes(&plain["carts"][0]).contains(&"operation_running_for_no_session".to_string()));
}

/// The command prints each cart as it diagnoses it; what it prints is the text and the
/// JSON of the whole diagnosis, for every ticket, in both formats and anonymized.
#[test]
fn the_diagnosis_written_cart_by_cart_is_the_whole_diagnosis() {
    let tickets = std::fs::read_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(TICKETS))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect::<Vec<_>>();
    assert!(tickets.len() >= 9, "{tickets:?}");
    for ticket in &tickets {
        for format in FORMATS {
            for anonymized in [false, true] {
                let opts = Options::default();
                let (_, whole) = diagnose::diagnose(&inputs(ticket, format), &opts, anonymized)
                    .unwrap_or_else(|e| panic!("{ticket}/{format}: {e:?}"));
                let (rebuilt, notes) =
                    diagnose::rebuild_inputs(inputs(ticket, format), &opts, anonymized).unwrap();
                let summary = diagnose::explain::summary(&rebuilt, notes);
                let mut text = Vec::new();
                diagnose::explain::write_text(&rebuilt, &summary, &mut text).unwrap();
                assert_eq!(
                    String::from_utf8(text).unwrap(),
                    diagnose::explain::text(&whole),
                    "{ticket}/{format}"
                );
                let mut json = Vec::new();
                diagnose::explain::write_json(&rebuilt, &summary, &mut json).unwrap();
                assert_eq!(
                    String::from_utf8(json).unwrap(),
                    serde_json::to_string_pretty(&whole).unwrap(),
                    "{ticket}/{format}"
                );
            }
        }
    }
}

/// For each cart of `world` with a checkout deadline: the wait to it changes the cart's
/// records alike in the whole world and in `World::one_cart`, and leaves them alike.
/// Returns how many carts the wait changed.
fn time_moves_each_cart_alone(world: &cartsim::engine::World, label: &str) -> usize {
    use cartsim::engine::{Action, checkout_deadline};
    use std::collections::HashSet;
    let mut expiring = 0;
    for cart in world.carts().iter() {
        let alone = world.one_cart(&cart.id);
        // The cart's records, found in the whole world.
        let sessions: Vec<_> = world.sessions_of(&cart.id).collect();
        let mine: HashSet<String> = std::iter::once(cart.id.to_string())
            .chain(sessions.iter().map(|s| s.id.to_string()))
            .chain(
                sessions
                    .iter()
                    .filter_map(|s| s.background_operation_id)
                    .filter(|o| world.operation(o).is_some())
                    .map(|o| o.to_string()),
            )
            .chain(
                world
                    .validation_outputs_of(&cart.id)
                    .map(|v| v.id.to_string()),
            )
            .collect();
        let held: HashSet<String> = alone
            .carts()
            .iter()
            .map(|c| c.id.to_string())
            .chain(alone.sessions().iter().map(|s| s.id.to_string()))
            .chain(alone.operations().iter().map(|o| o.id.to_string()))
            .chain(alone.validation_outputs().iter().map(|v| v.id.to_string()))
            .collect();
        assert_eq!(held, mine, "{label}: {}", cart.id);
        let Some(at) = world
            .active_session(&cart.id)
            .and_then(|s| checkout_deadline(world, s))
        else {
            continue;
        };
        let wait = Action::Wait {
            ticks: at.saturating_sub(world.tick).max(1),
        };
        let (mut whole, mut only) = (world.clone(), alone.clone());
        let changes = |w: &mut cartsim::engine::World| -> Vec<_> {
            w.apply(&wait)
                .changes
                .into_iter()
                .filter(|c| mine.contains(&c.record))
                .collect()
        };
        let (whole_changes, alone_changes) = (changes(&mut whole), changes(&mut only));
        if !whole_changes.is_empty() {
            expiring += 1;
        }
        // An operation the flow launches on the way gets the next free id of the world
        // it runs in, so only its being new is compared.
        let same = |a: &dyn std::fmt::Debug, b: &dyn std::fmt::Debug| {
            let new = |w: &cartsim::engine::World, t: String| common::new_ids_as_new(world, w, &t);
            assert_eq!(
                new(&whole, format!("{a:?}")),
                new(&only, format!("{b:?}")),
                "{label}: {}",
                cart.id
            );
        };
        same(&whole_changes, &alone_changes);
        same(&whole.cart(&cart.id), &only.cart(&cart.id));
        for id in &mine {
            same(&whole.session(id), &only.session(id));
            same(&whole.operation(id), &only.operation(id));
        }
    }
    expiring
}

/// A cart's expiry is predicted on the cart alone (`World::one_cart`), which is only
/// right if time does to one cart in the whole world exactly what it does to the cart
/// alone. Checked on a generated export under eager expiry (edition 1), and on every
/// built-in scenario's world at every step.
#[test]
fn time_does_to_one_cart_alone_what_it_does_in_the_whole_world() {
    use cartsim::engine::Edition;
    let inputs: Vec<Input> = cartsim::scenario::generate::diagnose_export(120)
        .into_iter()
        .map(|(name, text)| Input {
            name,
            bytes: text.into_bytes(),
        })
        .collect();
    let opts = Options {
        edition: Edition::One,
        ..Options::default()
    };
    let (rebuilt, _) = diagnose::rebuild_inputs(inputs, &opts, false).unwrap();
    assert!(time_moves_each_cart_alone(&rebuilt.world, "export") >= 100);
    let mut expiring = 0;
    for b in cartsim::scenario::builtin::BUILTIN {
        let s = cartsim::scenario::load_bytes(b.name, b.text.as_bytes()).expect("loads");
        let mut world = s.world.clone();
        expiring += time_moves_each_cart_alone(&world, b.name);
        for (i, step) in s.steps.iter().enumerate() {
            world.apply(&step.action);
            expiring += time_moves_each_cart_alone(&world, &format!("{} step {}", b.name, i + 1));
        }
    }
    assert!(expiring >= 10, "{expiring} moments a wait changed a cart");
}
