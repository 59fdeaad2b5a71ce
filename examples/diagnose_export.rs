//! Writes a large `sf data query --json` export for `cartsim diagnose`, to measure how
//! its cost grows with the records: `cargo run --release --example diagnose_export -- N DIR`
//! writes N carts (each with its buyer, two checkout sessions, three operations and,
//! for every tenth cart, a CartValidationOutput) into DIR as one file per object.
//! 10,000 carts make about 28 MB.

use serde_json::{Value, json};
use std::path::Path;

/// An 18-character id in the shape Salesforce gives: a key prefix, a serial, a suffix.
fn id(prefix: &str, n: usize, suffix: &str) -> String {
    format!("{prefix}Hs{n:010}{suffix}")
}

fn record(kind: &str, id: &str, mut fields: Value) -> Value {
    let object = fields.as_object_mut().expect("an object");
    let mut out = serde_json::Map::new();
    out.insert(
        "attributes".into(),
        json!({"type": kind, "url": format!("/services/data/v62.0/sobjects/{kind}/{id}")}),
    );
    out.insert("Id".into(), json!(id));
    out.append(object);
    Value::Object(out)
}

fn write(dir: &Path, name: &str, records: Vec<Value>) -> std::io::Result<()> {
    let total = records.len();
    let doc = json!({
        "status": 0,
        "result": {"records": records, "totalSize": total, "done": true},
        "warnings": [],
    });
    let text = serde_json::to_string_pretty(&doc).expect("JSON");
    std::fs::write(dir.join(name), text)
}

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let carts: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(10_000);
    let dir = args.next().unwrap_or_else(|| "diagnose-export".to_string());
    let dir = Path::new(&dir);
    std::fs::create_dir_all(dir)?;
    let store = id("0ZE", 1, "OAA");
    let (mut users, mut webcarts, mut sessions, mut operations, mut validation) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for n in 0..carts {
        let cart = id("0a6", n, "IAA");
        let user = id("005", n, "IAA");
        let account = id("001", n, "IAA");
        // Minutes into the day, so the carts' times spread over the export.
        let at = |minute: usize| {
            let m = (n * 7 + minute) % (24 * 60);
            format!("2026-11-25T{:02}:{:02}:00.000+0000", m / 60, m % 60)
        };
        users.push(record(
            "User",
            &user,
            json!({"Name": format!("Buyer {n}"), "Username": format!("buyer{n}@acme.example"),
                   "AccountId": account, "IsActive": true}),
        ));
        webcarts.push(record(
            "WebCart",
            &cart,
            json!({"Name": "Cart", "Status": "Checkout", "OwnerId": user, "AccountId": account,
                   "WebStoreId": store, "TotalProductCount": 3, "TotalProductAmount": 89.97,
                   "CreatedDate": at(0), "LastModifiedDate": at(11)}),
        ));
        let ops: Vec<String> = (0..3).map(|k| id("0bO", n * 3 + k, "MAA")).collect();
        let done = |name: &str, op: &str, start: usize| {
            record(
                "BackgroundOperation",
                op,
                json!({"Name": name, "Status": "Complete", "SubmittedAt": at(start),
                       "StartedAt": at(start), "FinishedAt": at(start + 1),
                       "ExpiresAt": null, "Error": null}),
            )
        };
        operations.push(done("Calculate Cart Shipment Costs", &ops[0], 2));
        operations.push(done("Check Cart Inventory", &ops[1], 8));
        operations.push(record(
            "BackgroundOperation",
            &ops[2],
            json!({"Name": "Price Cart", "Status": "Running", "SubmittedAt": at(10),
                   "StartedAt": at(10), "FinishedAt": null, "ExpiresAt": null, "Error": null}),
        ));
        sessions.push(record(
            "CartCheckoutSession",
            &id("2z9", n * 2, "IAA"),
            json!({"WebCartId": cart, "State": "Delivery Method", "NextState": "Taxes",
                   "IsProcessing": false, "IsError": false, "IsArchived": true,
                   "BackgroundOperationId": ops[0], "OrderId": null, "CreatedDate": at(1)}),
        ));
        sessions.push(record(
            "CartCheckoutSession",
            &id("2z9", n * 2 + 1, "IAA"),
            json!({"WebCartId": cart, "State": "Confirm Price", "NextState": "Calculate Promotions",
                   "IsProcessing": true, "IsError": false, "IsArchived": false,
                   "BackgroundOperationId": ops[2], "OrderId": null, "CreatedDate": at(8)}),
        ));
        if n % 10 == 0 {
            validation.push(record(
                "CartValidationOutput",
                &id("0a7", n, "IAA"),
                json!({"CartId": cart, "BackgroundOperationId": ops[1], "Level": "Warning",
                       "Type": "Inventory", "Message": "Only 2 left in stock.",
                       "RelatedEntityId": cart, "IsDismissed": false}),
            ));
        }
    }
    write(
        dir,
        "store.json",
        vec![record(
            "WebStore",
            &store,
            json!({"Name": "Acme Parts B2B", "CheckoutTimeToLive": 2880}),
        )],
    )?;
    write(dir, "user.json", users)?;
    write(dir, "webcart.json", webcarts)?;
    write(dir, "sessions.json", sessions)?;
    write(dir, "operations.json", operations)?;
    write(dir, "validation.json", validation)
}
