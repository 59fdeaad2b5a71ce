//! The JSON Schema printed by `cartsim schema`: a valid draft 2020-12 schema, generated
//! from the step-kind table and the engine's declarations, that accepts every shipped
//! scenario and the README's examples, refuses what the loader refuses where JSON Schema
//! can say it, and names the place.

use cartsim::engine::rest::PaymentOutcome;
use cartsim::engine::{CartStatus, Edition, ErrorKind};
use cartsim::engine::{STEP_KINDS, StepKind, Stores};
use cartsim::scenario::builtin::BUILTIN;
use cartsim::scenario::save::{to_text, upgrade};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

/// The keys every step may carry besides its kind's keys.
const COMMON_STEP_KEYS: &[&str] = &["do", "as", "note", "marker", "expect", "quiz"];

fn schema() -> Value {
    cartsim::scenario::schema::schema()
}

fn validator() -> jsonschema::Validator {
    jsonschema::draft202012::new(&schema()).unwrap_or_else(|e| panic!("the schema compiles: {e}"))
}

/// Every error as `(instance path, message)`.
fn errors(instance: &Value) -> Vec<(String, String)> {
    let validator = validator();
    validator
        .iter_errors(instance)
        .map(|e| (e.instance_path().as_str().to_string(), e.to_string()))
        .collect()
}

fn assert_valid(name: &str, instance: &Value) {
    let errors = errors(instance);
    assert!(
        errors.is_empty(),
        "{name} does not validate against the schema:\n{}",
        render(&errors)
    );
}

fn render(errors: &[(String, String)]) -> String {
    errors
        .iter()
        .map(|(path, message)| format!("  at {path:?}: {message}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A small scenario using every list of the world and every step kind; the loader accepts it.
fn base() -> Value {
    json!({
      "cartsim": 1,
      "title": "Everything once",
      "summary": "A world with every kind of record and a step of every kind.",
      "tags": ["schema"],
      "world": {
        "stores": [
          {"id": "west", "name": "West Store", "on_cart_change": "cancel_checkout",
           "checkout_flow": [
             {"state": "Inventory", "operation": "Check Cart Inventory", "ticks": 2},
             {"state": "Checkout Summary", "buyer": true},
             {"state": "Cart To Order", "operation": "Cart to Order"}]},
          {"id": "east", "on_cart_change": "recalculate"}
        ],
        "accounts": [{"id": "acme", "name": "Acme Corp", "stores": ["west", "east"]},
                     {"id": "globex"}],
        "buyers": [{"id": "bob", "name": "Bob Buyer", "accounts": ["acme"],
                    "effective_account": "acme",
                    "permissions": ["edit_cart", "checkout", "cancel_checkout"]}],
        "products": [{"sku": "BOLT-10", "name": "Bolt 10mm", "price": 1.25}],
        "carts": [
          {"id": "cart-1", "name": "Bob's cart", "store": "west", "buyer": "bob", "account": "acme",
           "status": "Active", "items": [{"sku": "BOLT-10", "quantity": 100}]},
          {"id": "cart-2", "store": "east", "buyer": "bob", "status": "Checkout"}
        ],
        "sessions": [
          {"id": "old-1", "cart": "cart-2", "state": "Confirm Price", "next_state": "Taxes",
           "is_processing": true, "is_error": false, "is_archived": false,
           "background_operation_id": "gone-1"},
          {"id": "old-2", "cart": "cart-2", "state": "Inventory", "next_state": null,
           "is_archived": true, "background_operation_id": null}
        ],
        "operations": [{"id": "op-1", "name": "Price Cart", "status": "Complete", "ticks_left": 0}]
      },
      "steps": [
        {"do": "start_checkout", "cart": "cart-1", "marker": "Start",
         "expect": {"result": "ok", "state": {"cart-1.Status": "Checkout", "bop-1.Status": "Running"}}},
        {"do": "wait", "ticks": 2, "note": "Inventory is done.",
         "expect": {"state": {"ccs-1.State": "Checkout Summary", "ccs-1.NextState": null}}},
        {"do": "wait"},
        {"do": "add_to_cart", "cart": "cart-1", "sku": "BOLT-10", "quantity": 5, "as": "bob",
         "quiz": {"question": "What happens?", "choices": ["A", "B"], "answer": 2,
                  "explanation": "The checkout is canceled first."},
         "expect": {"result": "ok", "state": {"ccs-1.IsArchived": true, "cart-1.TotalProductAmount": 131.25}}},
        {"do": "cancel", "cart": "cart-1",
         "expect": {"result": "INSUFFICIENT_ACCESS_OR_READONLY", "http": 400}},
        {"do": "start_checkout", "cart": "cart-1"},
        {"do": "fail_operation", "cart": "cart-1", "message": "Inventory service down"},
        {"do": "settle", "expect": {"state": {"ccs-2.State": "Error", "ccs-2.IsError": true}}},
        {"do": "continue", "cart": "cart-1", "expect": {"result": "error"}},
        {"do": "revoke", "buyer": "bob", "permission": "checkout"},
        {"do": "grant", "buyer": "bob", "permission": "checkout"},
        {"do": "switch_account", "buyer": "bob", "account": "globex"},
        {"do": "leave_store", "account": "acme", "store": "east"},
        {"do": "join_store", "account": "acme", "store": "east"}
      ]
    })
}

/// A format 2 scenario using every key the second edition added: every store setting, a
/// synchronous flow state, pre-existing CartValidationOutputs, the new operation statuses,
/// `custom_update`, `fail_operation` with `type` and `level`, the new fields and the new code.
fn edition2() -> Value {
    json!({
      "cartsim": 2,
      "title": "Second edition, every new key",
      "world": {
        "stores": [
          {"id": "west", "template": "aura", "checkout_session": "get_or_create",
           "cancel_requirements": "lenient", "checkout_ttl": 50, "operation_expiry": 5,
           "continue_while_processing": "already_in_process", "cart_access": "owner_and_account",
           "validation_on_start": "clear", "order_created": "at_cart_to_order",
           "canceled_finished_at": "null", "checkout_expiry": "on_return",
           "checkout_valid_after": 0, "place_order": "v2", "cart_cleanup": "cancel_checkout",
           "tax_rate": 0.0825,
           "delivery_methods": [{"id": "Ground", "name": "Ground", "price": 10},
                                {"id": "Express", "price": 24.5}],
           "checkout_flow": [
             {"state": "Inventory", "operation": "Check Cart Inventory", "ticks": 2},
             {"state": "Checkout Summary", "buyer": true},
             {"state": "Cart To Order", "operation": "Cart to Order", "ticks": 1},
             {"state": "Authorize Payment", "sync": true},
             {"state": "Activate Order", "operation": "Activate Order", "ticks": 1}]},
          {"id": "east", "name": "East Store", "on_cart_change": "recalculate",
           "checkout_ttl": null, "operation_expiry": null,
           "checkout_session": "strict", "cancel_requirements": "enforce",
           "continue_while_processing": "checkout_conflict", "cart_access": "unchecked",
           "validation_on_start": "keep", "order_created": "at_completion",
           "canceled_finished_at": "set"}
        ],
        "accounts": [{"id": "acme", "stores": ["west", "east"]}],
        "buyers": [{"id": "bob", "accounts": ["acme"]}],
        "products": [{"sku": "BOLT-10", "price": 1.25}],
        "carts": [
          {"id": "cart-1", "store": "west", "buyer": "bob", "items": [{"sku": "BOLT-10", "quantity": 4}]},
          {"id": "cart-2", "store": "east", "buyer": "bob"}
        ],
        "operations": [
          {"id": "op-scheduled", "name": "Price Cart", "status": "Scheduled", "ticks_left": 1},
          {"id": "op-waiting", "name": "Calculate Cart Taxes", "status": "Waiting"},
          {"id": "op-merged", "name": "Check Cart Inventory", "status": "Merged"}
        ],
        "validation_outputs": [
          {"id": "row-1", "cart": "cart-1", "operation": "op-merged", "level": "Warning",
           "type": "Inventory", "message": "Only 3 left in stock.", "related": "BOLT-10",
           "is_dismissed": true},
          {"id": "row-2", "cart": "cart-2", "operation": null, "level": "Info",
           "type": "System_Error", "message": "", "related": null}
        ]
      },
      "steps": [
        {"do": "custom_update", "cart": "cart-1",
         "expect": {"result": "ok", "state": {"cart-1.~version": 1, "row-1.IsDismissed": true,
                    "row-1.CartId": "cart-1", "row-1.RelatedEntityId": "BOLT-10"}}},
        {"do": "start_checkout", "cart": "cart-1",
         "expect": {"result": "ok", "state": {"ccs-1.State": "Inventory", "bop-1.Status": "Running"}}},
        {"do": "continue", "cart": "cart-1", "expect": {"result": "ALREADY_IN_PROCESS", "http": 400}},
        {"do": "fail_operation", "cart": "cart-1", "type": "Inventory", "level": "Warning",
         "message": "Only 3 left in stock."},
        {"do": "wait", "expect": {"state": {
            "cvo-1.Level": "Warning", "cvo-1.Type": "Inventory", "cvo-1.Message": "Only 3 left in stock.",
            "cvo-1.BackgroundOperationId": "bop-1", "cvo-1.IsDismissed": false,
            "bop-1.Status": "Complete", "bop-1.ExpiresAt": 6, "ccs-1.State": "Checkout Summary"}}},
        {"do": "continue", "cart": "cart-1"},
        {"do": "settle", "expect": {"state": {"cart-1.Status": "Closed", "ccs-1.State": "Complete"}}},
        {"do": "start_checkout", "cart": "cart-2"},
        {"do": "fail_operation", "cart": "cart-2", "level": "Error"},
        {"do": "settle", "expect": {"state": {"row-2.Level": "Info", "ccs-2.IsError": true}}}
      ]
    })
}

/// An `lwr` store beside an `aura` one, using every key the REST checkout API added: the six
/// REST steps, `shipping_address`, `delivery_method`, `contact`, both `outcome`s, a guest
/// buyer, `http` beside "ok", the new codes and the new fields. The loader accepts it, and
/// `cartsim run` finds every expectation true.
fn lwr() -> Value {
    json!({
      "cartsim": 2,
      "title": "LWR store, every new key",
      "world": {
        "stores": [
          {"id": "west", "name": "West Store (LWR)", "template": "lwr", "checkout_ttl": 50,
           "checkout_expiry": "eager",
           "delivery_methods": [{"id": "Standard", "name": "Standard", "price": 5}], "tax_rate": 0.1},
          {"id": "east", "template": "aura", "on_cart_change": "recalculate"}
        ],
        "accounts": [{"id": "acme", "stores": ["west", "east"]}],
        "buyers": [{"id": "bob", "accounts": ["acme"], "guest": false},
                   {"id": "gus", "accounts": ["acme"], "guest": true},
                   {"id": "sam", "accounts": ["acme"], "address": {"street": "1 Main St", "country": "US"}}],
        "products": [{"sku": "BOLT-10", "price": 1.25}],
        "carts": [
          {"id": "cart-1", "store": "west", "buyer": "bob", "items": [{"sku": "BOLT-10", "quantity": 4}]},
          {"id": "cart-g", "store": "west", "buyer": "gus", "items": [{"sku": "BOLT-10", "quantity": 2}]},
          {"id": "cart-a", "store": "east", "buyer": "bob"},
          {"id": "cart-s", "store": "west", "buyer": "sam", "items": [{"sku": "BOLT-10", "quantity": 2}]}
        ]
      },
      "steps": [
        {"do": "checkout_poll", "cart": "cart-1", "expect": {"result": "NOT_FOUND", "http": 404}},
        {"do": "checkout_start", "cart": "cart-1",
         "expect": {"result": "ok", "http": 202, "state": {"ccs-1.State": null, "bop-1.~calculator": "Pricing", "cart-1.Status": "Checkout"}}},
        {"do": "checkout_update", "cart": "cart-1", "contact": "bob@example.com",
         "expect": {"result": "CHECKOUT_CONFLICT", "http": 409}},
        {"do": "settle"},
        {"do": "checkout_poll", "cart": "cart-1", "expect": {"result": "ok", "http": 200}},
        {"do": "pay", "cart": "cart-1", "outcome": "declined",
         "expect": {"result": "PAYMENT_DECLINED", "http": 422, "state": {"pa-1.Status": "Failed"}}},
        {"do": "place_order", "cart": "cart-1", "expect": {"result": "VALIDATION_ERROR", "http": 422}},
        {"do": "checkout_update", "cart": "cart-1", "shipping_address": {"street": "1 Main St", "city": "Springfield"},
         "delivery_method": "Standard", "expect": {"result": "ok", "http": 202}},
        {"do": "settle", "expect": {"state": {"cdg-1.DeliverToCity": "Springfield",
                                              "cdg-1.DeliveryMethodId": "Standard", "cart-1.GrandTotalAmount": 11}}},
        {"do": "pay", "cart": "cart-1", "outcome": "authorized",
         "expect": {"result": "ok", "http": 200, "state": {"pa-2.Status": "Processed", "pa-2.Amount": 11}}},
        {"do": "place_order", "cart": "cart-1",
         "expect": {"result": "ok", "http": 201,
                    "state": {"ccs-1.OrderReferenceNumber": "orn-1", "cart-1.Status": "PendingClosed"}}},
        {"do": "checkout_update", "cart": "cart-1", "contact": "bob@example.com",
         "expect": {"result": "LOCKED", "http": 423}},
        {"do": "settle"},
        {"do": "checkout_start", "cart": "cart-g", "expect": {"result": "ok", "http": 202}},
        {"do": "fail_operation", "cart": "cart-g", "type": "Pricing", "message": "Price service down"},
        {"do": "settle"},
        {"do": "checkout_poll", "cart": "cart-g", "expect": {"http": 422,
         "body": {"checkoutStatus": 422, "errors": [{"type": "/commerce/integrations/pricing", "detail": "Price service down"}]}}},
        {"do": "checkout_delete", "cart": "cart-g",
         "expect": {"result": "ok", "http": 204, "state": {"ccs-2.IsArchived": true, "cart-g.Status": "Active"}}},
        {"do": "checkout_start", "cart": "cart-g"},
        {"do": "settle"},
        {"do": "checkout_update", "cart": "cart-g", "delivery_method": "Standard"},
        {"do": "settle"},
        {"do": "pay", "cart": "cart-g", "outcome": "authorized"},
        {"do": "place_order", "cart": "cart-g",
         "expect": {"result": "PRECONDITION_FAILED", "http": 412, "state": {"cart-g.GuestEmailAddress": null}}},
        {"do": "start_checkout", "cart": "cart-a", "expect": {"result": "ok"}},
        {"do": "wait", "ticks": 60, "expect": {"result": "ok"}},
        {"do": "checkout_poll", "cart": "cart-g", "expect": {"result": "GONE", "http": 410}},
        {"do": "checkout_start", "cart": "cart-s",
         "expect": {"http": 202, "state": {"cdg-4.DeliverToStreet": "1 Main St", "cdg-4.DeliverToCountry": "US"}}},
        {"do": "settle"},
        {"do": "custom_update", "cart": "cart-s", "during": "next_call"},
        {"do": "checkout_update", "cart": "cart-s", "delivery_method": "Standard",
         "expect": {"result": "CHECKOUT_CONFLICT", "http": 409, "state": {"cart-s.~version": 1}}}
      ]
    })
}

/// `doc` with `step` as its only step.
fn only(mut doc: Value, step: Value) -> Value {
    doc["steps"] = json!([step]);
    doc
}

/// The base scenario with `value` put at the JSON pointer `at` (its parent must exist).
fn with(at: &str, value: Value) -> Value {
    put(base(), at, value)
}

/// `doc` with `value` put at the JSON pointer `at` (its parent must exist).
fn put(mut doc: Value, at: &str, value: Value) -> Value {
    let (parent, key) = at.rsplit_once('/').unwrap();
    match doc.pointer_mut(parent).unwrap() {
        Value::Object(map) => {
            map.insert(key.to_string(), value);
        }
        Value::Array(list) => list[key.parse::<usize>().unwrap()] = value,
        other => panic!("{parent} is {other}"),
    }
    doc
}

/// The base scenario without the key at the JSON pointer `at`.
fn without(at: &str) -> Value {
    let mut doc = base();
    let (parent, key) = at.rsplit_once('/').unwrap();
    doc.pointer_mut(parent)
        .and_then(Value::as_object_mut)
        .unwrap()
        .shift_remove(key)
        .unwrap();
    doc
}

/// Asserts the document is refused with an error at `path` whose message mentions `word`,
/// and that the loader refuses it too.
fn assert_refused_at(doc: &Value, path: &str, word: &str) {
    let errors = errors(doc);
    assert!(
        errors
            .iter()
            .any(|(at, message)| at == path && message.contains(word)),
        "expected an error at {path:?} mentioning {word:?}; got:\n{}",
        render(&errors)
    );
    let text = serde_json::to_string_pretty(doc).unwrap();
    assert!(
        cartsim::scenario::load_bytes("mutated.json", text.as_bytes()).is_err(),
        "the schema refuses this but the loader accepts it:\n{text}"
    );
}

fn scenario_files() -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

/// Every schema object in the document, with its JSON pointer.
fn walk<'a>(at: String, value: &'a Value, out: &mut Vec<(String, &'a Value)>) {
    match value {
        Value::Object(map) => {
            out.push((at.clone(), value));
            for (key, child) in map {
                walk(format!("{at}/{key}"), child, out);
            }
        }
        Value::Array(list) => {
            for (i, child) in list.iter().enumerate() {
                walk(format!("{at}/{i}"), child, out);
            }
        }
        _ => {}
    }
}

fn strings(value: &Value) -> BTreeSet<String> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("{value} is a list"))
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

fn set<'a>(names: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
    names.into_iter().map(str::to_string).collect()
}

// (a) The command prints the schema, and it is a valid draft 2020-12 schema.

#[test]
fn cartsim_schema_prints_the_built_in_schema() {
    let out = Command::new(env!("CARGO_BIN_EXE_cartsim"))
        .arg("schema")
        .output()
        .expect("the binary runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed: Value = serde_json::from_slice(&out.stdout).expect("`cartsim schema` prints JSON");
    assert_eq!(printed, schema());
}

#[test]
fn the_schema_is_a_valid_draft_2020_12_schema() {
    let schema = schema();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert!(
        schema["$id"]
            .as_str()
            .is_some_and(|id| id.ends_with("/scenario-1.json"))
    );
    assert!(schema["title"].is_string() && schema["description"].is_string());
    if let Err(e) = jsonschema::draft202012::meta::validate(&schema) {
        panic!(
            "not a valid draft 2020-12 schema: {} at {}",
            e,
            e.instance_path()
        );
    }
    validator();
}

#[test]
fn every_object_refuses_unknown_keys_and_every_key_is_described() {
    let schema = schema();
    let mut nodes = Vec::new();
    walk(String::new(), &schema, &mut nodes);
    let mut objects = 0;
    for (at, node) in nodes {
        if node.get("type") != Some(&json!("object")) {
            continue;
        }
        objects += 1;
        // expect.state and each explore.never property are maps from field paths to
        // values: their extra keys are the point.
        if at.ends_with("/expect/properties/state")
            || at.ends_with("/explore/properties/never/items")
        {
            assert!(node["propertyNames"].is_object() && node["additionalProperties"].is_object());
            continue;
        }
        assert_eq!(
            node.get("additionalProperties"),
            Some(&json!(false)),
            "{at} lets unknown keys through"
        );
        let properties = node["properties"].as_object().unwrap();
        for (key, property) in properties {
            assert!(
                property
                    .get("description")
                    .and_then(Value::as_str)
                    .is_some_and(|d| !d.is_empty()),
                "{at}/properties/{key} has no description"
            );
        }
    }
    assert!(objects >= 15, "only {objects} objects found");
}

// (b) Every shipped scenario validates.

#[test]
fn every_shipped_scenario_validates() {
    let files = scenario_files();
    assert!(!files.is_empty());
    // The lwr scenarios are among them.
    for n in 40..=49 {
        assert!(
            files.iter().any(|f| f
                .file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(&format!("{n}-"))),
            "no scenarios/{n}-*.json"
        );
    }
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let doc: Value = serde_json::from_str(&text).unwrap();
        assert_valid(&file.display().to_string(), &doc);
    }
}

#[test]
fn the_base_scenario_of_these_tests_loads_and_validates() {
    let text = serde_json::to_string(&base()).unwrap();
    cartsim::scenario::load_bytes("base.json", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    assert_valid("the base scenario", &base());
}

// (c) What the loader refuses, the schema refuses too, naming the place.

#[test]
fn a_misspelt_top_level_key_is_refused() {
    assert_refused_at(&with("/titel", json!("Typo")), "", "titel");
}

#[test]
fn a_misspelt_key_in_the_world_is_refused() {
    assert_refused_at(
        &with("/world/stores/0/nmae", json!("West")),
        "/world/stores/0",
        "nmae",
    );
    assert_refused_at(&with("/world/cart", json!([])), "/world", "cart");
    assert_refused_at(
        &with("/world/stores/0/checkout_flow/0/tick", json!(2)),
        "/world/stores/0/checkout_flow/0",
        "tick",
    );
}

#[test]
fn a_misspelt_key_in_a_step_is_refused() {
    let doc = with("/steps/4", json!({"do": "cancel", "crat": "cart-1"}));
    assert_refused_at(&doc, "/steps/4", "crat");
    assert_refused_at(&doc, "/steps/4", "\"cart\" is a required property");
    assert_refused_at(
        &with("/steps/0/expect/reslut", json!("ok")),
        "/steps/0/expect",
        "reslut",
    );
    assert_refused_at(
        &with("/steps/3/quiz/anwser", json!(1)),
        "/steps/3/quiz",
        "anwser",
    );
}

#[test]
fn a_wrong_format_version_is_refused() {
    assert_refused_at(&with("/cartsim", json!(3)), "/cartsim", "1");
    assert_refused_at(&with("/cartsim", json!(0)), "/cartsim", "2");
    assert_refused_at(&with("/cartsim", json!("1")), "/cartsim", "1");
    assert_refused_at(&with("/cartsim", json!("2")), "/cartsim", "2");
    assert_refused_at(&without("/cartsim"), "", "cartsim");
}

#[test]
fn a_wrong_enum_value_is_refused() {
    assert_refused_at(
        &with("/world/carts/0/status", json!("Open")),
        "/world/carts/0/status",
        "Open",
    );
    assert_refused_at(
        &with("/world/operations/0/status", json!("Completed")),
        "/world/operations/0/status",
        "Completed",
    );
    assert_refused_at(
        &with("/world/stores/1/on_cart_change", json!("recalc")),
        "/world/stores/1/on_cart_change",
        "recalc",
    );
    assert_refused_at(
        &with("/world/buyers/0/permissions/0", json!("edit")),
        "/world/buyers/0/permissions/0",
        "edit",
    );
    assert_refused_at(
        &with("/steps/0/do", json!("checkout")),
        "/steps/0/do",
        "checkout",
    );
    assert_refused_at(
        &with("/steps/0/expect/result", json!("OK")),
        "/steps/0/expect/result",
        "OK",
    );
}

#[test]
fn a_cancel_step_without_cart_is_refused() {
    assert_refused_at(
        &with("/steps/4", json!({"do": "cancel"})),
        "/steps/4",
        "\"cart\" is a required property",
    );
}

#[test]
fn a_cancel_step_with_sku_is_refused() {
    assert_refused_at(
        &with("/steps/4/sku", json!("BOLT-10")),
        "/steps/4/sku",
        "False schema",
    );
}

#[test]
fn each_step_kind_requires_its_keys_and_refuses_the_others() {
    let values = json!({
        "cart": "cart-1", "sku": "BOLT-10", "quantity": 1, "ticks": 1, "message": "down",
        "type": "Inventory", "level": "Warning", "shipping_address": "1 Main St",
        "delivery_method": "Standard", "contact": "bob@example.com", "outcome": "authorized",
        "action": "prepare", "during": "next_call",
        "buyer": "bob", "permission": "checkout", "account": "acme", "store": "west",
        "key": "cancel_requirements", "value": "lenient"
    });
    let values = values.as_object().unwrap();
    assert_eq!(
        set(values.keys().map(String::as_str)),
        set(STEP_KINDS.iter().flat_map(|k| k.keys.iter().copied())),
        "a value for every step key"
    );
    for kind in STEP_KINDS {
        // A REST step needs a cart of an lwr store, a flow step one of an aura store: in
        // the other kind the loader would refuse the step for its store, whatever its keys.
        let world = if kind.stores == Stores::Lwr {
            lwr()
        } else {
            base()
        };
        let mut step = json!({"do": kind.name});
        for key in kind.keys {
            step[*key] = values[*key].clone();
        }
        let doc = only(world.clone(), step.clone());
        assert_valid(kind.name, &doc);
        cartsim::scenario::load_bytes("step.json", doc.to_string().as_bytes())
            .unwrap_or_else(|e| panic!("{}: {e}", kind.name));
        for key in kind.keys.iter().filter(|k| !kind.optional.contains(k)) {
            let mut missing = step.clone();
            missing.as_object_mut().unwrap().shift_remove(*key);
            assert_refused_at(
                &only(world.clone(), missing),
                "/steps/0",
                &format!("\"{key}\" is a required property"),
            );
        }
        for (key, value) in values
            .iter()
            .filter(|(k, _)| !kind.keys.contains(&k.as_str()))
        {
            let mut extra = step.clone();
            extra[key] = value.clone();
            assert_refused_at(
                &only(world.clone(), extra),
                &format!("/steps/0/{key}"),
                "False schema",
            );
        }
    }
}

#[test]
fn a_checkout_update_needs_one_of_its_keys_and_pay_a_known_outcome() {
    let step = "/steps/2";
    assert_eq!(lwr().pointer(step).unwrap()["do"], "checkout_update");
    // Each key alone is enough.
    for key in ["shipping_address", "delivery_method", "contact"] {
        let doc = put(
            lwr(),
            step,
            json!({"do": "checkout_update", "cart": "cart-1", key: "x"}),
        );
        assert_valid(key, &doc);
        cartsim::scenario::load_bytes("ok.json", doc.to_string().as_bytes())
            .unwrap_or_else(|e| panic!("{key}: {e}"));
    }
    // None of them is refused, and so is blank text.
    let doc = put(
        lwr(),
        step,
        json!({"do": "checkout_update", "cart": "cart-1"}),
    );
    assert_refused_at(&doc, step, "anyOf");
    for key in ["delivery_method", "contact"] {
        let at = format!("{step}/{key}");
        assert_refused_at(&put(lwr(), &at, json!(" ")), &at, "\\S");
    }
    // An address is an object or non-blank text: blank text, a number and an empty or
    // unknown part are refused by both.
    let at = format!("{step}/shipping_address");
    for bad in [
        json!(" "),
        json!(12),
        json!({}),
        json!({"zip": "1"}),
        json!({"street": " "}),
    ] {
        assert_refused_at(&put(lwr(), &at, bad.clone()), &at, "oneOf");
        assert!(
            cartsim::scenario::load_bytes(
                "bad.json",
                put(lwr(), &at, bad.clone()).to_string().as_bytes()
            )
            .is_err(),
            "{bad}: the schema refuses it but the loader accepts it"
        );
    }
    // `pay` takes `authorized` or `declined`, nothing else.
    let step = "/steps/5";
    assert_eq!(lwr().pointer(step).unwrap()["do"], "pay");
    for wrong in [
        json!("Authorized"),
        json!("approved"),
        json!(""),
        json!(true),
        json!(null),
    ] {
        let at = format!("{step}/outcome");
        assert_refused_at(&put(lwr(), &at, wrong.clone()), &at, &wrong.to_string());
    }
}

#[test]
fn value_rules_are_checked_where_json_schema_can() {
    // Flow entries: an operation, a buyer state or a synchronous state, names of 1 to 30
    // characters.
    let flow = "/world/stores/0/checkout_flow/1";
    for bad in [
        json!({"state": "Summary"}),
        json!({"state": "Summary", "buyer": true, "operation": "Op"}),
        json!({"state": "Summary", "buyer": true, "ticks": 1}),
        json!({"state": "Summary", "buyer": false}),
        json!({"state": "", "buyer": true}),
        json!({"state": "A state name of thirty-one chars", "buyer": true}),
        json!({"state": "Complete", "buyer": true}),
        json!({"state": "Summary", "operation": "Op", "ticks": 0}),
        json!({"state": "Summary", "operation": "Op", "ticks": 1_000_001}),
        json!({"state": "Summary", "sync": true, "operation": "Op"}),
        json!({"state": "Summary", "sync": true, "ticks": 1}),
        json!({"state": "Summary", "sync": true, "buyer": true}),
        json!({"state": "Summary", "sync": false}),
        json!({"state": "Complete", "sync": true}),
    ] {
        let doc = with(flow, bad.clone());
        let errors = errors(&doc);
        assert!(
            errors.iter().any(|(at, _)| at.starts_with(flow)),
            "{bad} validates as a flow entry:\n{}",
            render(&errors)
        );
        assert!(
            cartsim::scenario::load_bytes("bad.json", doc.to_string().as_bytes()).is_err(),
            "{bad}: the schema refuses it but the loader accepts it"
        );
    }
    let bad = [
        ("/world/stores/0/checkout_flow", json!([])),
        ("/world/products/0/price", json!(-1)),
        ("/world/products/0/price", json!("1.25")),
        ("/world/carts/0/items/0/quantity", json!(0)),
        ("/world/carts/0/id", json!("cart 1")),
        ("/steps/1/ticks", json!(1_000_001)),
        ("/steps/0/expect/http", json!(600)),
        ("/steps/0/expect/http", json!(99)),
        ("/steps/0/expect/http", json!(200.5)),
        ("/steps/0/expect/state/cart-1.Stat", json!("Active")),
        ("/steps/0/expect/state/cart-1.Status", json!(["Active"])),
        ("/steps/3/quiz/answer", json!(0)),
        ("/steps/3/quiz/choices", json!(["only one"])),
        ("/title", json!(" ")),
    ];
    for (at, value) in bad {
        let doc = with(at, value.clone());
        let errors = errors(&doc);
        assert!(!errors.is_empty(), "{at} = {value} validates");
        assert!(
            cartsim::scenario::load_bytes("bad.json", doc.to_string().as_bytes()).is_err(),
            "{at} = {value}: the schema refuses it but the loader accepts it"
        );
    }
    // `http` beside any `result` (a REST call's 200 beside "ok"), or alone.
    for expect in [
        json!({"http": 400}),
        json!({"result": "ok", "http": 200}),
        json!({"result": "error", "http": 409}),
        json!({"result": "BAD_REQUEST", "http": 400}),
        json!({"result": "ok", "http": 100}),
        json!({"result": "ok", "http": 599}),
    ] {
        let doc = with("/steps/0/expect", expect.clone());
        assert_valid(&expect.to_string(), &doc);
        cartsim::scenario::load_bytes("ok.json", doc.to_string().as_bytes())
            .unwrap_or_else(|e| panic!("{expect}: {e}"));
    }
    // A buyer acts for some account.
    let doc = with("/world/buyers/0", json!({"id": "bob"}));
    assert!(!errors(&doc).is_empty());
    // Values the loader accepts are accepted.
    for (at, value) in [
        ("/world/products/0/price", json!(0)),
        ("/world/products/0/price", json!(1_000_000_000)),
        ("/steps/3/quantity", json!(-3)),
        ("/steps/3/quantity", json!(1.5)),
        (
            "/steps/0/expect/state/ccs-1.BackgroundOperationId",
            json!("bop-1"),
        ),
        (
            "/world/buyers/0",
            json!({"id": "bob", "effective_account": "globex"}),
        ),
        (
            "/world/stores/0/checkout_flow/1",
            json!({"state": "Summary", "sync": true}),
        ),
        ("/world/operations/0/status", json!("Merged")),
    ] {
        assert_valid(&format!("{at} = {value}"), &with(at, value));
    }
}

// LWR stores: every key the REST checkout API added, against the loader.

#[test]
fn an_lwr_scenario_with_every_new_key_validates_and_loads() {
    let doc = lwr();
    assert_valid("the lwr scenario", &doc);
    cartsim::scenario::load_bytes("lwr.json", doc.to_string().as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    let steps = doc["steps"].as_array().unwrap();
    let kinds = set(steps.iter().map(|s| s["do"].as_str().unwrap()));
    assert!(
        kinds.is_superset(&set(StepKind::names_only_in(Stores::Lwr))),
        "{kinds:?}"
    );
    let keys = set(steps
        .iter()
        .flat_map(|s| s.as_object().unwrap().keys().map(String::as_str)));
    assert!(keys.is_superset(&set([
        "shipping_address",
        "delivery_method",
        "contact",
        "outcome"
    ])));
    let outcomes = set(steps.iter().filter_map(|s| s["outcome"].as_str()));
    assert_eq!(outcomes, set(PaymentOutcome::NAMES.iter().copied()));
    assert!(
        doc["world"]["buyers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|b| b["guest"] == true)
    );
    let fields = set(steps
        .iter()
        .filter_map(|s| s["expect"]["state"].as_object())
        .flat_map(|state| state.keys())
        .map(|k| k.rsplit_once('.').unwrap().1));
    assert!(fields.is_superset(&set([
        "OrderReferenceNumber",
        "DeliverToCity",
        "DeliveryMethodId",
        "GuestEmailAddress",
        "GrandTotalAmount",
        "Status",
        "Amount",
        "~calculator"
    ])));
}

#[test]
fn an_lwr_store_refuses_a_checkout_flow_and_on_cart_change() {
    let flow = json!([{"state": "Inventory", "operation": "Check Cart Inventory"}]);
    for (key, value) in [
        ("checkout_flow", flow.clone()),
        ("on_cart_change", json!("cancel_checkout")),
        ("on_cart_change", json!("recalculate")),
    ] {
        let at = format!("/world/stores/0/{key}");
        assert_refused_at(&put(lwr(), &at, value.clone()), &at, "False schema");
        // The same key is fine on the aura store beside it, and on a store whose template
        // is left out (aura by default).
        let doc = put(lwr(), &format!("/world/stores/1/{key}"), value.clone());
        assert_valid(&format!("{key} on an aura store"), &doc);
        cartsim::scenario::load_bytes("ok.json", doc.to_string().as_bytes())
            .unwrap_or_else(|e| panic!("{key}: {e}"));
        let mut doc = doc;
        doc["world"]["stores"][1]
            .as_object_mut()
            .unwrap()
            .shift_remove("template");
        assert_valid(&format!("{key} on a store without a template"), &doc);
    }
}

// Format 2: every key the second edition added, against the loader.

#[test]
fn a_format_2_scenario_with_every_new_key_validates_and_loads() {
    let doc = edition2();
    assert_valid("the format 2 scenario", &doc);
    let scenario = cartsim::scenario::load_bytes("edition2.json", doc.to_string().as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(scenario.edition, Edition::Two);
    // The document names every key the schema declares for these records, so the loader
    // (which refuses unknown keys) accepts each of them.
    let schema = schema();
    let world = &doc["world"];
    for (def, records) in [
        ("store", world["stores"].clone()),
        (
            "flowEntry",
            Value::Array(
                world["stores"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .flat_map(|s| s["checkout_flow"].as_array().cloned().unwrap_or_default())
                    .collect(),
            ),
        ),
        ("validationOutput", world["validation_outputs"].clone()),
        ("operation", world["operations"].clone()),
    ] {
        let used = set(records
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r.as_object().unwrap().keys().map(String::as_str)));
        let declared = set(schema["$defs"][def]["properties"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str));
        assert_eq!(used, declared, "the keys of {def}");
    }
    let statuses = set(world["operations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["status"].as_str().unwrap()));
    assert!(statuses.is_superset(&set(["Scheduled", "Waiting", "Merged"])));
}

#[test]
fn every_store_setting_is_valid_in_format_1_too() {
    let mut doc = base();
    doc["world"]["stores"][1] = edition2()["world"]["stores"][0].clone();
    doc["world"]["stores"][1]["id"] = json!("east");
    let text = doc.to_string();
    cartsim::scenario::load_bytes("edition1.json", text.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_valid("format 1 with every setting", &doc);
}

#[test]
fn a_wrong_value_of_each_store_setting_is_refused() {
    let wrong = [
        ("template", json!("classic")),
        ("template", json!("Aura")),
        ("checkout_session", json!("get")),
        ("cancel_requirements", json!("Lenient")),
        ("checkout_ttl", json!(1_000_001)),
        ("checkout_ttl", json!(-1)),
        ("checkout_ttl", json!("10")),
        ("checkout_ttl", json!(1.5)),
        ("operation_expiry", json!(1_000_001)),
        ("operation_expiry", json!(-5)),
        ("operation_expiry", json!(true)),
        ("continue_while_processing", json!("conflict")),
        ("cart_access", json!("owner")),
        ("validation_on_start", json!("delete")),
        ("order_created", json!("at_cart-to-order")),
        ("canceled_finished_at", json!("unset")),
        ("canceled_finished_at", json!(false)),
        ("checkout_expiry", json!("lazy")),
        ("checkout_valid_after", json!(-1)),
        ("checkout_valid_after", json!(1_000_001)),
        ("place_order", json!("v3")),
        ("cart_cleanup", json!("cancel")),
        ("tax_rate", json!(1.5)),
        ("tax_rate", json!(-0.1)),
        ("tax_rate", json!("0.08")),
    ];
    for (key, value) in wrong {
        let at = format!("/world/stores/0/{key}");
        let word = value.to_string();
        // In either edition.
        assert_refused_at(&put(edition2(), &at, value.clone()), &at, &word);
        assert_refused_at(&with(&at, value), &at, &word);
    }
}

#[test]
fn lwr_is_in_the_format_and_the_description_says_whether_this_build_refuses_it() {
    // An lwr store as the loader wants it (no `checkout_flow`, no `on_cart_change`, REST
    // steps), so that whether the loader refuses it is about the template alone.
    let doc = lwr();
    assert_eq!(doc["world"]["stores"][0]["template"], "lwr");
    assert_valid("an lwr store", &doc);
    let refused = cartsim::scenario::load_bytes("lwr.json", doc.to_string().as_bytes()).is_err();
    let schema = schema();
    let description = schema["$defs"]["store"]["properties"]["template"]["description"]
        .as_str()
        .unwrap();
    assert_eq!(
        description.contains("refuses"),
        refused,
        "the loader {} lwr stores, but the description of `template` says otherwise: {description}",
        if refused { "refuses" } else { "accepts" }
    );
}

#[test]
fn validation_outputs_and_fault_keys_are_checked() {
    let long = "x".repeat(256);
    let bad = [
        ("/world/validation_outputs/0/level", json!("Fatal")),
        ("/world/validation_outputs/0/type", json!("Tax")),
        ("/world/validation_outputs/0/message", json!(long)),
        ("/world/validation_outputs/0/message", json!(null)),
        ("/world/validation_outputs/0/id", json!("row 1")),
        ("/world/validation_outputs/0/is_dismissed", json!("yes")),
        ("/world/validation_outputs/0/Message", json!("typo")),
        ("/steps/3/type", json!("Tax")),
        ("/steps/3/level", json!("Fatal")),
    ];
    for (at, value) in bad {
        let doc = put(edition2(), at, value.clone());
        let errors = errors(&doc);
        assert!(
            errors
                .iter()
                .any(|(path, _)| at.starts_with(path.as_str()) && !path.is_empty()),
            "{at} = {value} validates:\n{}",
            render(&errors)
        );
        assert!(
            cartsim::scenario::load_bytes("bad.json", doc.to_string().as_bytes()).is_err(),
            "{at} = {value}: the schema refuses it but the loader accepts it"
        );
    }
    for key in ["id", "cart", "level", "type", "message"] {
        let mut doc = edition2();
        doc["world"]["validation_outputs"][0]
            .as_object_mut()
            .unwrap()
            .shift_remove(key);
        assert_refused_at(
            &doc,
            "/world/validation_outputs/0",
            &format!("\"{key}\" is a required property"),
        );
    }
    // A message of 255 characters is CartValidationOutput.Message's limit, not beyond it.
    let doc = put(
        edition2(),
        "/world/validation_outputs/0/message",
        json!("x".repeat(255)),
    );
    assert_valid("a message of 255 characters", &doc);
    cartsim::scenario::load_bytes("ok.json", doc.to_string().as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn every_upgraded_curriculum_file_validates() {
    for b in BUILTIN {
        let (scenario, raw) = cartsim::scenario::load_with_raw(b.name, b.text.as_bytes())
            .unwrap_or_else(|e| panic!("{e}"));
        let upgraded: Value = serde_json::from_str(&to_text(&upgrade(raw, scenario.edition)))
            .expect("the upgrade is JSON");
        assert_eq!(upgraded["cartsim"], json!(2));
        assert_valid(&format!("{} upgraded", b.name), &upgraded);
    }
}

// (d) The whole-scenario examples of the README and of docs/ validate.

#[test]
fn the_readme_scenario_examples_validate() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    for page in std::fs::read_dir(root.join("docs")).unwrap() {
        readme.push_str(&std::fs::read_to_string(page.unwrap().path()).unwrap());
    }
    let mut whole = 0;
    for block in readme.split("```json\n").skip(1) {
        let text = block.split("\n```").next().unwrap();
        let Ok(doc) = serde_json::from_str::<Value>(text) else {
            continue; // a fragment, such as a "checkout_flow" or an "expect"
        };
        if doc.get("cartsim").is_none() {
            continue;
        }
        whole += 1;
        assert_valid(&format!("README example {whole}"), &doc);
    }
    assert!(
        whole >= 1,
        "the README and docs/ hold no whole scenario example"
    );
}

// The schema's closed lists follow the code.

#[test]
fn the_store_settings_follow_their_declaration() {
    use cartsim::engine::settings::{Kind, MAX_TICKS, SETTINGS};
    let schema = schema();
    let store = schema["$defs"]["store"]["properties"].as_object().unwrap();
    let not_settings = set([
        "id",
        "name",
        "on_cart_change",
        "delivery_methods",
        "checkout_flow",
    ]);
    let settings = set(SETTINGS.iter().map(|s| s.key));
    let declared: BTreeSet<String> = store.keys().cloned().collect();
    assert_eq!(
        declared,
        settings.union(&not_settings).cloned().collect(),
        "every store setting, and nothing else, besides the store's own keys"
    );
    for setting in SETTINGS {
        let property = &store[setting.key];
        match setting.kind {
            Kind::Names(names) => {
                assert_eq!(
                    strings(&property["enum"]),
                    set(names.iter().copied()),
                    "{}",
                    setting.key
                )
            }
            Kind::Ticks | Kind::Tick => {
                assert_eq!(
                    property["type"],
                    json!(["integer", "null"]),
                    "{}",
                    setting.key
                );
                assert_eq!(property["minimum"], json!(0), "{}", setting.key);
                assert_eq!(property["maximum"], json!(MAX_TICKS), "{}", setting.key);
            }
            Kind::Rate => {
                assert_eq!(property["type"], json!("number"), "{}", setting.key);
                assert_eq!(property["minimum"], json!(0), "{}", setting.key);
                assert_eq!(property["maximum"], json!(1), "{}", setting.key);
            }
        }
        let defaults = format!(
            "(default {} / {})",
            setting.default_in(Edition::One),
            setting.default_in(Edition::Two)
        );
        let description = property["description"].as_str().unwrap();
        assert!(
            description.contains(&defaults),
            "{}: the description names {defaults}: {description}",
            setting.key
        );
    }
    // set_setting takes every setting but the ones fixed for a run, each value checked
    // against the store key's own schema.
    let step = &schema["$defs"]["step"];
    let changeable = set(SETTINGS.iter().filter(|s| s.changeable).map(|s| s.key));
    assert_eq!(strings(&step["properties"]["key"]["enum"]), changeable);
    for key in &changeable {
        let rule = step["allOf"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["if"]["properties"]["key"]["const"] == json!(key))
            .unwrap_or_else(|| panic!("no value rule for {key}"));
        assert_eq!(
            rule["then"]["properties"]["value"]["$ref"],
            json!(format!("#/$defs/store/properties/{key}"))
        );
    }
}

#[test]
fn set_setting_values_are_checked_by_the_schema_and_the_loader_alike() {
    let step = |key: &str, value: Value| {
        only(
            base(),
            json!({"do": "set_setting", "store": "west", "key": key, "value": value}),
        )
    };
    assert_valid("lenient", &step("cancel_requirements", json!("lenient")));
    assert_valid("ticks", &step("checkout_ttl", json!(40)));
    assert_valid("no ticks", &step("checkout_ttl", json!(null)));
    assert_valid("rate", &step("tax_rate", json!(0.0825)));
    for (key, value) in [
        ("cancel_requirements", json!("Lenient")),
        ("checkout_ttl", json!("40")),
        ("checkout_ttl", json!(-1)),
        ("tax_rate", json!(2)),
        ("place_order", json!("v3")),
    ] {
        assert_refused_at(&step(key, value.clone()), "/steps/0/value", "");
    }
    assert_refused_at(&step("template", json!("lwr")), "/steps/0/key", "");
}

#[test]
fn the_explore_section_validates_loads_and_refuses_what_explore_refuses() {
    let section = json!({
        "depth": 6, "from": 0, "faults": true, "actors": "all",
        "actions": ["start_checkout", "continue", "cancel", "wait"],
        "max_states": 100000,
        "never": [{"cart-1.Status": "Closed", "ccs-1.IsError": true}]
    });
    let doc = with("/explore", section.clone());
    assert_valid("explore section", &doc);
    let text = serde_json::to_string_pretty(&doc).unwrap();
    cartsim::scenario::load_bytes("explore.json", text.as_bytes())
        .unwrap_or_else(|e| panic!("the loader accepts the explore section: {e}"));
    // A misspelt key: refused by both.
    assert_refused_at(
        &put(doc.clone(), "/explore/dept", json!(3)),
        "/explore",
        "dept",
    );
    // Values only explore checks (the loader leaves the section to it).
    for (at, value) in [
        ("/explore/depth", json!(0)),
        ("/explore/actors", json!("everyone")),
        ("/explore/actions", json!(["fly"])),
        ("/explore/never", json!([{}])),
        ("/explore/never", json!([{"Status": "Closed"}])),
        ("/explore/never", json!([{"cart-1.Status": ["Closed"]}])),
    ] {
        let bad = put(doc.clone(), at, value.clone());
        assert!(
            !errors(&bad).is_empty(),
            "the schema accepts {at} = {value}"
        );
    }
}

// (c) The schema is generated: what the generator cannot see, checked here.

#[test]
fn every_step_key_the_format_reads_is_a_kind_key_or_a_common_key() {
    use cartsim::scenario::format::{RawExpect, RawQuiz, RawStep};
    // Every field of a step set, so that serializing it writes every key the format has.
    let mut step = cartsim::scenario::save::empty_step("wait");
    step.cart = Some("c".into());
    step.sku = Some("s".into());
    step.quantity = Some(1.into());
    step.ticks = Some(1);
    step.message = Some("m".into());
    step.row_type = Some("Other".into());
    step.level = Some("Error".into());
    step.shipping_address = Some(json!("1 Main St"));
    step.delivery_method = Some("d".into());
    step.contact = Some("e".into());
    step.action = Some("prepare".into());
    step.during = Some("next_call".into());
    step.outcome = Some("authorized".into());
    step.buyer = Some("b".into());
    step.permission = Some("checkout".into());
    step.account = Some("a".into());
    step.store = Some("w".into());
    step.key = Some("tax_rate".into());
    step.value = Some(json!(0.1));
    step.actor = Some("b".into());
    step.note = Some("n".into());
    step.marker = Some("m".into());
    step.expect = Some(RawExpect {
        result: None,
        http: None,
        state: None,
        body: None,
    });
    step.quiz = Some(RawQuiz {
        question: "q".into(),
        choices: vec![],
        answer: 1,
        explanation: None,
    });
    let written = serde_json::to_value(&step).unwrap();
    let written: BTreeSet<String> = written.as_object().unwrap().keys().cloned().collect();
    let mut known = set(RawStep::KIND_KEYS);
    known.extend(set(COMMON_STEP_KEYS.iter().copied()));
    assert_eq!(written, known, "a key of RawStep that is neither");
    assert!(step.kind_keys().iter().all(|(_, given)| *given));
    // And the schema declares exactly those keys.
    let schema = schema();
    let declared: BTreeSet<String> = schema["$defs"]["step"]["properties"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(declared, known);
    let kinds = strings(&schema["$defs"]["step"]["properties"]["do"]["enum"]);
    assert_eq!(kinds, set(STEP_KINDS.iter().map(|k| k.name)));
}

#[test]
fn every_shipped_file_and_generated_scenario_validates() {
    let mut files = scenario_files();
    files.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/serve-store.json"));
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let doc: Value = serde_json::from_str(&text).unwrap();
        assert_valid(&file.display().to_string(), &doc);
    }
    for b in BUILTIN {
        let doc: Value = serde_json::from_str(b.text).unwrap();
        assert_valid(b.name, &doc);
    }
    use cartsim::scenario::generate::{Spec, generate};
    for spec in [
        Spec::default(),
        Spec::sized(2_000, 60),
        Spec {
            sparsity: 1,
            ..Spec::default()
        },
    ] {
        let doc: Value = serde_json::from_str(&generate(spec)).unwrap();
        assert_valid(&format!("{spec:?}"), &doc);
    }
}

#[test]
fn the_hand_written_records_refer_to_the_generated_lists() {
    let schema = schema();
    for (at, def) in [
        (
            "/$defs/validationOutput/properties/level",
            "validationLevel",
        ),
        ("/$defs/validationOutput/properties/type", "validationType"),
        ("/$defs/step/properties/level", "validationLevel"),
        ("/$defs/step/properties/type", "validationType"),
    ] {
        assert_eq!(
            schema.pointer(at).unwrap()["$ref"],
            format!("#/$defs/{def}"),
            "{at}"
        );
    }
    assert_eq!(
        strings(&schema["$defs"]["cartStatus"]["enum"]),
        set(CartStatus::ALL.iter().map(|s| s.as_str()))
    );
    assert_eq!(
        schema["properties"]["cartsim"]["enum"],
        json!(cartsim::scenario::format::VERSIONS)
    );
    let mut results = set(["ok", "error"]);
    results.extend(ErrorKind::ALL.iter().map(|k| k.spec().code.to_string()));
    assert_eq!(
        strings(&schema["$defs"]["expect"]["properties"]["result"]["enum"]),
        results
    );
}
