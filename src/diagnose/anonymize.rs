//! Readable ids for sharing: every real id becomes `cart-1`, `ccs-1`, `bop-1`, ... and
//! the names of carts, stores and users are replaced, so a rebuilt world can be saved
//! as a training scenario without the customer's ids. Validation messages and
//! operation errors are kept: they say what went wrong.

use super::rebuild::{ID_FIELDS, Records};
use super::records::Object;
use std::collections::HashMap;

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
        _ => "item",
    }
}

/// Replaces every id and name in the records, the same real id always by the same
/// readable one.
pub fn anonymize(records: &mut Records) {
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
                    let new = name(&id, prefix_of_field(field), &mut map);
                    r.set(field, Some(new));
                }
            }
        }
    }
    for (object, list) in records.by_object.iter_mut() {
        if matches!(object, Object::WebCart | Object::WebStore | Object::User) {
            for r in list.iter_mut() {
                let id = r.value("Id").unwrap_or_default().to_string();
                for field in ["Name", "Username", "Owner.Name"] {
                    if r.value(field).is_some() {
                        r.set(field, Some(id.clone()));
                    }
                }
            }
        }
    }
}
