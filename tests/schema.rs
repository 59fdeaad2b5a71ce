//! The JSON Schema printed by `cartsim schema`: a valid draft 2020-12 schema that accepts
//! every shipped scenario and the README's examples, refuses what the loader refuses where
//! JSON Schema can say it, and names the place; its closed lists follow the code.

use cartsim::engine::world::{CART_FIELDS, OPERATION_FIELDS, SESSION_FIELDS};
use cartsim::engine::{CartStatus, ErrorKind, OnCartChange, OperationStatus, Permission};
use cartsim::scenario::SCHEMA;
use cartsim::scenario::load::STEP_KINDS;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

/// The keys every step may carry besides its kind's keys.
const COMMON_STEP_KEYS: &[&str] = &["do", "as", "note", "marker", "expect", "quiz"];

fn schema() -> Value {
    serde_json::from_str(SCHEMA).expect("src/scenario/schema.json is JSON")
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

/// The base scenario with `value` put at the JSON pointer `at` (its parent must exist).
fn with(at: &str, value: Value) -> Value {
    let mut doc = base();
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
        // expect.state is a map from field paths to values: its extra keys are the point.
        if at.ends_with("/expect/properties/state") {
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
    assert_refused_at(&with("/cartsim", json!(2)), "/cartsim", "1");
    assert_refused_at(&with("/cartsim", json!("1")), "/cartsim", "1");
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
        "buyer": "bob", "permission": "checkout", "account": "acme", "store": "west"
    });
    let values = values.as_object().unwrap();
    for kind in STEP_KINDS {
        let mut step = json!({"do": kind.name});
        for key in kind.keys {
            step[*key] = values[*key].clone();
        }
        assert_valid(kind.name, &with("/steps/0", step.clone()));
        for key in kind.keys.iter().filter(|k| !kind.optional.contains(k)) {
            let mut missing = step.clone();
            missing.as_object_mut().unwrap().shift_remove(*key);
            assert_refused_at(
                &with("/steps/0", missing),
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
                &with("/steps/0", extra),
                &format!("/steps/0/{key}"),
                "False schema",
            );
        }
    }
}

#[test]
fn value_rules_are_checked_where_json_schema_can() {
    // Flow entries: either an operation or a buyer state, names of 1 to 30 characters.
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
    // `http` only beside an error code.
    let doc = with("/steps/0/expect", json!({"result": "ok", "http": 200}));
    assert!(!errors(&doc).is_empty());
    let doc = with("/steps/0/expect", json!({"http": 400}));
    assert!(!errors(&doc).is_empty());
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
    ] {
        assert_valid(&format!("{at} = {value}"), &with(at, value));
    }
}

// (d) The README's whole-scenario examples validate.

#[test]
fn the_readme_scenario_examples_validate() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
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
    assert!(whole >= 1, "README.md has no whole scenario example");
}

// The schema's closed lists follow the code.

#[test]
fn the_step_kinds_and_their_keys_follow_the_loader() {
    let schema = schema();
    let step = &schema["$defs"]["step"];
    let kinds: BTreeSet<String> = STEP_KINDS.iter().map(|k| k.name.to_string()).collect();
    assert_eq!(strings(&step["properties"]["do"]["enum"]), kinds);
    let every_key: BTreeSet<String> = STEP_KINDS
        .iter()
        .flat_map(|k| k.keys.iter().copied())
        .chain(COMMON_STEP_KEYS.iter().copied())
        .map(str::to_string)
        .collect();
    let declared: BTreeSet<String> = step["properties"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(declared, every_key);
    let rules = step["allOf"].as_array().unwrap();
    for kind in STEP_KINDS {
        let rule = rules
            .iter()
            .find(|r| r["if"]["properties"]["do"]["const"] == kind.name)
            .unwrap_or_else(|| panic!("no rule for {}", kind.name));
        let required = rule["then"]
            .get("required")
            .map(strings)
            .unwrap_or_default();
        let needed = set(kind
            .keys
            .iter()
            .copied()
            .filter(|k| !kind.optional.contains(k)));
        assert_eq!(required, needed, "{}", kind.name);
        let forbidden: BTreeSet<String> = rule["then"]["properties"]
            .as_object()
            .unwrap()
            .iter()
            .inspect(|(_, v)| assert_eq!(**v, json!(false)))
            .map(|(k, _)| k.clone())
            .collect();
        let expected: BTreeSet<String> = every_key
            .iter()
            .filter(|k| !kind.keys.contains(&k.as_str()) && !COMMON_STEP_KEYS.contains(&k.as_str()))
            .cloned()
            .collect();
        assert_eq!(forbidden, expected, "{}", kind.name);
    }
}

#[test]
fn the_enums_follow_the_engine() {
    let schema = schema();
    let defs = &schema["$defs"];
    assert_eq!(
        strings(&defs["cartStatus"]["enum"]),
        set(CartStatus::ALL.iter().map(|s| s.as_str()))
    );
    assert_eq!(
        strings(&defs["operationStatus"]["enum"]),
        set(OperationStatus::ALL.iter().map(|s| s.as_str()))
    );
    assert_eq!(
        strings(&defs["permission"]["enum"]),
        set(Permission::ALL.iter().map(|p| p.as_str()))
    );
    assert_eq!(
        strings(&defs["store"]["properties"]["on_cart_change"]["enum"]),
        set(OnCartChange::ALL.iter().map(|o| o.as_str()))
    );
    let mut results = set(["ok", "error"]);
    results.extend(ErrorKind::ALL.iter().map(|k| k.spec().code.to_string()));
    assert_eq!(
        strings(&defs["expect"]["properties"]["result"]["enum"]),
        results
    );
}

#[test]
fn the_state_field_pattern_names_exactly_the_fields_the_engine_keeps() {
    let schema = schema();
    let pattern = schema["$defs"]["expect"]["properties"]["state"]["propertyNames"]["pattern"]
        .as_str()
        .unwrap();
    let names = pattern
        .strip_prefix("^.+\\.(")
        .and_then(|p| p.strip_suffix(")$"))
        .unwrap_or_else(|| panic!("unexpected pattern {pattern}"));
    let fields = set(CART_FIELDS
        .iter()
        .chain(SESSION_FIELDS)
        .chain(OPERATION_FIELDS)
        .copied());
    assert_eq!(set(names.split('|')), fields);
}
