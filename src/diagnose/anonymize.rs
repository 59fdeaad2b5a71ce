//! Records made fit to share in training: every real id becomes `cart-1`, `ccs-1`,
//! `bop-1`, ..., and every free text (names, e-mails, validation messages, operation
//! errors, URLs, any field the diagnosis does not read) is replaced. Only what the
//! diagnosis needs is kept as it was: statuses, states, levels and types (codes), flags,
//! times, counts and amounts, and the names of Salesforce's own checkout operations and
//! states. The input files' names are replaced too (see [`file_name`]).

use super::rebuild::{ID_FIELDS, Records, TIME_FIELDS};
use super::records::Object;
use crate::engine::flow::{COMPLETE, ERROR, StepKind, default_flow, default_flow_v2};
use std::collections::HashMap;

/// Fields kept as they are: codes, flags, counts and amounts (times are kept too).
pub const KEPT_FIELDS: &[&str] = &[
    "Status",
    "Level",
    "Type",
    "IsProcessing",
    "IsError",
    "IsArchived",
    "IsDismissed",
    "IsActive",
    "TotalProductCount",
    "TotalProductAmount",
    "TotalChargeAmount",
    "TotalTaxAmount",
    "GrandTotalAmount",
    "Amount",
    "CheckoutTimeToLive",
];

/// How a GuestBuyerProfile id reads once anonymized (`guest-profile-1`): no real id
/// starts so, and a guest's cart is still told from it.
pub const GUEST_PROFILE: &str = "guest-profile";

/// The name an input file is shown by once anonymized (its real path often holds the
/// customer's name): `file-1`, `file-2`, ...
pub fn file_name(n: usize) -> String {
    format!("file-{n}")
}

fn prefix_of_object(object: Object) -> &'static str {
    match object {
        Object::WebCart => "cart",
        Object::CartCheckoutSession => "ccs",
        Object::BackgroundOperation => "bop",
        Object::CartValidationOutput => "cvo",
        Object::WebStore => "store",
        Object::BuyerAccount => "buyer-account",
        Object::BuyerGroupMember => "group-member",
        Object::WebStoreBuyerGroup => "store-group",
        Object::User => "buyer",
        Object::CartDeliveryGroup => "cdg",
        Object::PaymentAuthorization => "pa",
        Object::Order => "ord",
    }
}

fn prefix_of_field(field: &str) -> &'static str {
    match field {
        "WebCartId" | "CartId" => "cart",
        "BackgroundOperationId" => "bop",
        "OrderId" => "ord",
        "OwnerId" => "buyer",
        "AccountId" | "BuyerId" => "account",
        "WebStoreId" => "store",
        "BuyerGroupId" => "group",
        "PaymentGroupId" => "payment-group",
        "PaymentMethodId" => "payment-method",
        "DeliveryMethodId" => "delivery-method",
        "GuestBuyerProfileId" => "account",
        _ => "item",
    }
}

/// The operation names and State names of Salesforce's default checkout flows: not the
/// customer's words, and what a trainee needs to see.
fn standard_names() -> (Vec<String>, Vec<String>) {
    // The name cartsim gives an lwr store's calculation: predictions show it anyway.
    let mut operations = vec![crate::engine::rest::CART_CALCULATE.to_string()];
    let mut states = vec![COMPLETE.to_string(), ERROR.to_string()];
    for flow in [default_flow(), default_flow_v2()] {
        for step in flow.iter() {
            states.push(step.state.clone());
            if let StepKind::Async { operation, .. } = &step.kind {
                operations.push(operation.clone());
            }
        }
    }
    (operations, states)
}

/// Replaces every id, name and free text in the records, the same real id always by
/// the same readable one.
pub fn anonymize(records: &mut Records) {
    records.changed();
    let mut map: HashMap<String, String> = HashMap::new();
    let mut counters: HashMap<&'static str, usize> = HashMap::new();
    let mut name =
        |real: &str, prefix: &'static str, map: &mut HashMap<String, String>| -> String {
            if let Some(known) = map.get(real) {
                return known.clone();
            }
            let n = counters.entry(prefix).or_insert(0);
            *n += 1;
            let readable = format!("{prefix}-{n}");
            map.insert(real.to_string(), readable.clone());
            readable
        };
    // Record ids first, so a cart is cart-N wherever it is named; then the references.
    for (object, list) in records.by_object.iter_mut() {
        for r in list.iter_mut() {
            if let Some(id) = r.value("Id").map(str::to_string) {
                let new = name(&id, prefix_of_object(*object), &mut map);
                r.set("Id", Some(new));
            }
        }
    }
    for list in records.by_object.values_mut() {
        for r in list.iter_mut() {
            for field in ID_FIELDS.iter().filter(|f| **f != "Id") {
                if let Some(id) = r.value(field).map(str::to_string) {
                    let guest = *field == "GuestBuyerProfileId"
                        || id.starts_with(super::checkout::GUEST_BUYER_PROFILE_PREFIX);
                    let prefix = if guest {
                        GUEST_PROFILE
                    } else {
                        prefix_of_field(field)
                    };
                    let new = name(&id, prefix, &mut map);
                    r.set(field, Some(new));
                }
            }
        }
    }
    // Every other field: kept when the diagnosis reads it as a code, a time or a number;
    // otherwise replaced by words that say what was there.
    let (operations, states) = standard_names();
    let mut renamed_states: HashMap<String, String> = HashMap::new();
    for (object, list) in records.by_object.iter_mut() {
        for r in list.iter_mut() {
            let id = r.value("Id").unwrap_or_default().to_string();
            let fields: Vec<String> = r.field_names().map(str::to_string).collect();
            for field in fields {
                let is = |names: &[&str]| names.iter().any(|n| n.eq_ignore_ascii_case(&field));
                if is(ID_FIELDS) || is(TIME_FIELDS) || is(KEPT_FIELDS) {
                    continue;
                }
                let Some(value) = r.value(&field).map(str::to_string) else {
                    continue;
                };
                let new = if is(&["OrderReferenceNumber"]) {
                    // The same reference on the session and on its order stays the same.
                    name(&value, "orn", &mut map)
                } else if is(&["State", "NextState"]) {
                    if states.contains(&value) {
                        continue;
                    }
                    let n = renamed_states.len() + 1;
                    renamed_states
                        .entry(value)
                        .or_insert_with(|| format!("State {n}"))
                        .clone()
                } else if is(&["Name"]) && *object == Object::BackgroundOperation {
                    if operations.contains(&value) {
                        continue;
                    }
                    format!("operation of {id}")
                } else if is(&["Name", "Username", "Owner.Name"]) {
                    id.clone()
                } else if is(&["Message"]) {
                    format!("message of {id} (removed by --anonymize)")
                } else if is(&["Error"]) {
                    format!("error of {id} (removed by --anonymize)")
                } else {
                    format!("{field} of {id} (removed by --anonymize)")
                };
                r.set(&field, Some(new));
            }
        }
    }
}
