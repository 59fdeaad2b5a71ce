//! The JSON Schema (draft 2020-12) of the scenario format, printed by `cartsim schema`
//! so that editors can validate and complete files.
//!
//! It is generated, not written: the steps come from the engine's step-kind table
//! ([`crate::engine::kinds`]), each closed list (statuses, permissions, levels, types,
//! error codes, store setting values, field names) from the engine's own declaration.
//! Only the prose about the world's records is written by hand, in `schema-records.json`,
//! which holds no list the code also holds.

use super::format::{RawStep, VERSIONS};
use crate::engine::rest::{PaymentOutcome, PlaceOrderStep};
use crate::engine::settings::{Kind, SETTINGS};
use crate::engine::world::{CART_FIELDS, OPERATION_FIELDS, SESSION_FIELDS, VALIDATION_FIELDS};
use crate::engine::{
    CartStatus, DeliveryGroupField, ErrorKind, OnCartChange, OperationStatus, PaymentField,
    Permission, STEP_KINDS, StepKind, Stores, ValidationLevel, ValidationType,
};
use serde_json::{Map, Value, json};

/// The hand-written part: the world's records, the expectations, the quiz and the
/// `explore` section, without the lists generated here.
const RECORDS: &str = include_str!("schema-records.json");

/// The keys every step may carry besides its kind's keys, with their schema.
fn common_keys() -> [(&'static str, Value); 5] {
    [
        (
            "as",
            json!({
                "description": "The id of the acting buyer; defaults to the cart's owner (WebCart.OwnerId). Any step may have it; buyer actions use it.",
                "$ref": "#/$defs/id"
            }),
        ),
        (
            "note",
            json!({"description": "Narration shown when the step plays.", "type": "string"}),
        ),
        (
            "marker",
            json!({
                "description": "A chapter name starting at this step; the player pauses here in presenter mode.",
                "type": "string"
            }),
        ),
        (
            "expect",
            json!({
                "description": "What must hold right after the step: `result` (and its `http` status) and/or `state`.",
                "$ref": "#/$defs/expect"
            }),
        ),
        (
            "quiz",
            json!({
                "description": "A question put to the trainee before the step plays (exercise mode).",
                "$ref": "#/$defs/quiz"
            }),
        ),
    ]
}

/// What a key of a step kind means, and its schema (without the description).
fn kind_key(key: &str) -> (&'static str, Value) {
    let id = json!({"$ref": "#/$defs/id"});
    let text = json!({"type": "string", "pattern": "\\S"});
    match key {
        "cart" => ("The id of the cart the step acts on.", id),
        "sku" => ("The SKU of the product to add.", id),
        "quantity" => (
            "How many to add. A number that is not a positive whole number (or would take the line above 1,000,000) is refused when the step plays (INVALID_INPUT), which is how a file stages that error.",
            json!({"type": "number"}),
        ),
        "ticks" => (
            "How many ticks pass (at most 1,000,000); 1 when left out.",
            json!({"type": "integer", "minimum": 0, "maximum": super::validate::MAX_TICKS, "default": 1}),
        ),
        "message" => (
            "The failure's message: BackgroundOperation.Error of the failed operation (level Error) and CartValidationOutput.Message of its row; a stock message when left out.",
            json!({"type": "string"}),
        ),
        "type" => (
            "CartValidationOutput.Type of the row the failure writes; when left out, the type that matches the operation's name (Inventory, Taxes, Promotions, Pricing or Shipping), else Other.",
            json!({"$ref": "#/$defs/validationType"}),
        ),
        "level" => (
            "CartValidationOutput.Level of the row the failure writes; Error when left out. Error ends the operation and the session in Error; Warning or Info let the operation complete.",
            json!({"$ref": "#/$defs/validationLevel"}),
        ),
        "shipping_address" => (
            "The shipping address the PATCH sets on the checkout's CartDeliveryGroup (DeliverToStreet, DeliverToCity, DeliverToPostalCode, DeliverToCountry); it reruns Shipping, Post Shipping and Tax. An address: an object with any of `street`, `city`, `postal_code` and `country` (each non-blank text or null; at least one given), or a string, read as the street.",
            address(),
        ),
        "delivery_method" => (
            "The delivery method the PATCH selects: the id of one of the store's `delivery_methods` (else 422 INVALID_INPUT); it sets CartDeliveryGroup.DeliveryMethodId and WebCart.TotalChargeAmount and reruns Post Shipping and Tax.",
            text,
        ),
        "contact" => (
            "A guest's contact e-mail: WebCart.GuestEmailAddress (calculates nothing).",
            text,
        ),
        "outcome" => (
            "What the payment service answers: `authorized` (the payment is authorized for the cart's total) or `declined` (422 PAYMENT_DECLINED, nothing changes).",
            json!({"enum": PaymentOutcome::NAMES}),
        ),
        "action" => (
            "Place Order V2's action in a store with `\"place_order\": \"v2\"`: `prepare` (before payment) or `submit` (after it), POST .../checkouts/{id}/orders/actions. Without it `place_order` is POST .../orders.",
            json!({"enum": PlaceOrderStep::NAMES}),
        ),
        "during" => (
            "`next_call`: the custom code runs inside the cart's next PUT, PATCH or DELETE, which answers 409 CHECKOUT_CONFLICT; without it the code saves the cart now.",
            json!({"const": "next_call"}),
        ),
        "buyer" => ("The id of the buyer to change.", id),
        "permission" => (
            "The permission to give or take.",
            json!({"$ref": "#/$defs/permission"}),
        ),
        "account" => ("The id of an account.", id),
        "store" => ("The id of a store.", id),
        "key" => (
            "The store setting to change: any key of the store settings but `template`.",
            json!({"enum": SETTINGS.iter().filter(|s| s.changeable).map(|s| s.key).collect::<Vec<_>>()}),
        ),
        "value" => (
            "The new value, as the store key takes it: a string for a named value, a number of ticks or null for `checkout_ttl`, `operation_expiry` and `checkout_valid_after`, a decimal fraction for `tax_rate`. Which values each key takes is checked below and by the loader.",
            json!({"type": ["string", "number", "null"]}),
        ),
        other => unreachable!("the step key {other} has no schema"),
    }
}

/// A shipping address: an object of parts or a string read as the street.
fn address() -> Value {
    let part = |field: &str| {
        json!({
            "type": ["string", "null"],
            "pattern": "\\S",
            "maxLength": 255,
            "description": format!("{field}: non-blank text, at most 255 characters, or null.")
        })
    };
    json!({"oneOf": [
        {"type": "string", "pattern": "\\S", "description": "Some text (not blank), read as the street."},
        {
            "type": "object",
            "properties": {
                "street": part("DeliverToStreet"),
                "city": part("DeliverToCity"),
                "postal_code": part("DeliverToPostalCode"),
                "country": part("DeliverToCountry")
            },
            "additionalProperties": false,
            "minProperties": 1,
            "description": "The parts of the address, at least one."
        }
    ]})
}

/// `a`, `b` and `c`, each in backticks.
fn code_list<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let names: Vec<String> = names.into_iter().map(|n| format!("`{n}`")).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

/// The `do` key: the kinds, each described from its row.
fn do_key() -> Value {
    let mut text = String::from("The kind of step (each takes its own keys):");
    for row in STEP_KINDS {
        let scope = match row.stores {
            Stores::Both => "",
            Stores::Aura => "aura stores. ",
            Stores::Lwr => "lwr stores. ",
        };
        let request = row.request.map_or(String::new(), |(method, path)| {
            format!("{method} /commerce/webstores/{{store}}/checkouts{path}")
        });
        text.push_str(&format!("\n- {}: {scope}{request}{}", row.name, row.doc));
    }
    let aura: Vec<&str> = StepKind::names_only_in(Stores::Aura).collect();
    let lwr: Vec<&str> = StepKind::names_only_in(Stores::Lwr).collect();
    text.push_str(&format!(
        "\nAn lwr store refuses {} (flow actions), an aura store the REST steps ({}); the loader checks which store a step's cart is in. The other kinds work in both.",
        code_list(aura),
        code_list(lwr)
    ));
    json!({
        "description": text,
        "enum": STEP_KINDS.iter().map(|r| r.name).collect::<Vec<_>>()
    })
}

/// The `step` definition: every key, and per kind which keys it needs and refuses.
fn step(description: Value) -> Value {
    let keys: Vec<&'static str> = RawStep::KIND_KEYS.to_vec();
    let mut properties = Map::new();
    properties.insert("do".into(), do_key());
    for key in &keys {
        let (meaning, schema) = kind_key(key);
        let users: Vec<&str> = STEP_KINDS
            .iter()
            .filter(|r| r.keys.contains(key))
            .map(|r| r.name)
            .collect();
        let mut property = Map::new();
        property.insert(
            "description".into(),
            json!(format!("{meaning} Used by: {}.", code_list(users))),
        );
        if let Value::Object(schema) = schema {
            property.extend(schema);
        }
        properties.insert((*key).into(), Value::Object(property));
    }
    for (key, schema) in common_keys() {
        properties.insert(key.into(), schema);
    }
    let mut rules: Vec<Value> = STEP_KINDS
        .iter()
        .map(|row| {
            let required: Vec<&str> = row
                .keys
                .iter()
                .copied()
                .filter(|k| !row.optional.contains(k))
                .collect();
            let refused: Map<String, Value> = keys
                .iter()
                .filter(|k| !row.keys.contains(k))
                .map(|k| ((*k).to_string(), Value::Bool(false)))
                .collect();
            let mut then = Map::new();
            if !required.is_empty() {
                then.insert("required".into(), json!(required));
            }
            then.insert("properties".into(), Value::Object(refused));
            if !row.one_of.is_empty() {
                let any: Vec<Value> = row
                    .one_of
                    .iter()
                    .map(|k| json!({"required": [k]}))
                    .collect();
                then.insert("anyOf".into(), Value::Array(any));
            }
            json!({
                "if": {"required": ["do"], "properties": {"do": {"const": row.name}}},
                "then": then
            })
        })
        .collect();
    // set_setting: each key's value is checked against the store key's own schema.
    let set_setting = StepKind::SetSetting.name();
    for setting in SETTINGS.iter().filter(|s| s.changeable) {
        rules.push(json!({
            "if": {
                "required": ["do", "key"],
                "properties": {"do": {"const": set_setting}, "key": {"const": setting.key}}
            },
            "then": {"properties": {"value": {"$ref": format!("#/$defs/store/properties/{}", setting.key)}}}
        }));
    }
    json!({
        "description": description,
        "type": "object",
        "required": ["do"],
        "properties": properties,
        "additionalProperties": false,
        "allOf": rules
    })
}

/// Puts `key: value` into `map` right after its description (where a reader looks for
/// it), or at the end when it has none.
fn put(map: &mut Value, key: &str, value: Value) {
    let Value::Object(object) = map else {
        unreachable!("schema-records.json: not an object where {key} goes")
    };
    let old = std::mem::take(object);
    let had_description = old.contains_key("description");
    for (k, v) in old {
        let after = k == "description";
        object.insert(k, v);
        if after {
            object.insert(key.to_string(), value.clone());
        }
    }
    if !had_description {
        object.insert(key.to_string(), value);
    }
}

/// The schema, generated.
pub fn schema() -> Value {
    let mut schema: Value =
        serde_json::from_str(RECORDS).expect("schema-records.json is JSON (tested)");
    put(
        &mut schema["properties"]["cartsim"],
        "enum",
        json!(VERSIONS),
    );
    let defs = &mut schema["$defs"];
    put(&mut defs["permission"], "enum", json!(Permission::NAMES));
    put(&mut defs["cartStatus"], "enum", json!(CartStatus::NAMES));
    put(
        &mut defs["operationStatus"],
        "enum",
        json!(OperationStatus::NAMES),
    );
    put(
        &mut defs["validationLevel"],
        "enum",
        json!(ValidationLevel::NAMES),
    );
    put(
        &mut defs["validationType"],
        "enum",
        json!(ValidationType::NAMES),
    );
    let store = &mut defs["store"]["properties"];
    put(
        &mut store["on_cart_change"],
        "enum",
        json!(OnCartChange::NAMES),
    );
    for setting in SETTINGS {
        if let Kind::Names(names) = setting.kind {
            put(&mut store[setting.key], "enum", json!(names));
        }
    }
    let mut results = vec!["ok", "error"];
    for kind in ErrorKind::ALL {
        let code = kind.spec().code;
        if !results.contains(&code) {
            results.push(code);
        }
    }
    results[2..].sort_unstable();
    put(
        &mut defs["expect"]["properties"]["result"],
        "enum",
        json!(results),
    );
    // Field names are plain words (some start with ~): nothing in them needs escaping.
    let mut fields: Vec<&str> = Vec::new();
    for field in CART_FIELDS
        .iter()
        .chain(SESSION_FIELDS)
        .chain(OPERATION_FIELDS)
        .chain(VALIDATION_FIELDS)
        .chain(DeliveryGroupField::NAMES)
        .chain(PaymentField::NAMES)
    {
        if !fields.contains(field) {
            fields.push(field);
        }
    }
    put(
        &mut defs["expect"]["properties"]["state"]["propertyNames"],
        "pattern",
        json!(format!("^.+\\.({})$", fields.join("|"))),
    );
    let description = defs["step"]["description"].take();
    defs["step"] = step(description);
    schema
}

/// The schema as `cartsim schema` prints it: pretty JSON with a final newline.
pub fn schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&schema()).expect("a Value prints");
    text.push('\n');
    text
}
