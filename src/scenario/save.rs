//! Writing scenario files: a world, actions and expectations turned back into the
//! format's own types ([`super::format`]), so saving a branch and `cartsim upgrade`
//! write exactly what loading reads.

use super::format::*;
use crate::engine::flow::{FlowStep, StepKind, default_flow};
use crate::engine::*;
use serde_json::Value;

/// A store's flow as the file writes it.
fn raw_flow(flow: &[FlowStep]) -> Vec<RawFlowStep> {
    flow.iter()
        .map(|f| {
            let mut step = RawFlowStep {
                state: f.state.clone(),
                operation: None,
                ticks: None,
                buyer: None,
                sync: None,
            };
            match &f.kind {
                StepKind::Async { operation, ticks } => {
                    step.operation = Some(operation.clone());
                    step.ticks = Some(*ticks);
                }
                StepKind::Buyer => step.buyer = Some(true),
                StepKind::Sync => step.sync = Some(true),
            }
            step
        })
        .collect()
}

/// Writes every setting of `settings` explicitly on a store (a setting without a
/// value, a null tick count, is left out: null and absent mean the same).
fn write_settings(store: &mut RawStore, settings: &StoreSettings) {
    for setting in settings::SETTINGS {
        let value = setting.get(settings).to_json();
        if let Some(slot) = store.setting_mut(setting.key) {
            *slot = (!value.is_null()).then_some(value);
        }
    }
}

/// The world as the file format writes it, with every store setting explicit. A
/// built-in default flow is left out, so the file must be read in `edition`.
pub fn raw_world(world: &World) -> RawWorld {
    RawWorld {
        stores: world
            .stores()
            .iter()
            .map(|s| {
                let mut store = RawStore {
                    id: s.id.to_string(),
                    name: Some(s.name.clone()),
                    // An lwr store takes no on_cart_change (its checkout reruns calculators).
                    on_cart_change: (s.settings.template != Template::Lwr)
                        .then(|| s.on_cart_change.as_str().to_string()),
                    delivery_methods: s
                        .delivery_methods
                        .iter()
                        .map(|m| RawDeliveryMethod {
                            id: m.id.clone(),
                            name: Some(m.name.clone()),
                            price: money_number(m.price),
                        })
                        .collect(),
                    checkout_flow: (!s.default_flow).then(|| raw_flow(&s.checkout_flow)),
                    ..RawStore::default()
                };
                write_settings(&mut store, &s.settings);
                store
            })
            .collect(),
        accounts: world
            .accounts()
            .iter()
            .map(|a| RawAccount {
                id: a.id.to_string(),
                name: Some(a.name.clone()),
                stores: a.stores.iter().map(|s| s.to_string()).collect(),
            })
            .collect(),
        buyers: world
            .buyers()
            .iter()
            .map(|b| RawBuyer {
                id: b.id.to_string(),
                name: Some(b.name.clone()),
                accounts: b.accounts.iter().map(|a| a.to_string()).collect(),
                effective_account: Some(b.effective_account.to_string()),
                permissions: Some(
                    b.permissions
                        .iter()
                        .map(|p| p.as_str().to_string())
                        .collect(),
                ),
                guest: b.guest,
                token: b.token.clone(),
                address: b.address.as_ref().map(address_value),
            })
            .collect(),
        products: world
            .products()
            .iter()
            .map(|p| RawProduct {
                sku: p.sku.to_string(),
                name: Some(p.name.clone()),
                price: money_number(p.price),
            })
            .collect(),
        carts: world
            .carts()
            .iter()
            .map(|c| RawCart {
                id: c.id.to_string(),
                name: Some(c.name.clone()),
                store: c.store.to_string(),
                buyer: c.buyer.to_string(),
                account: Some(c.account.to_string()),
                status: Some(c.status.as_str().to_string()),
                items: c
                    .items
                    .iter()
                    .map(|i| RawItem {
                        sku: i.sku.to_string(),
                        quantity: i.quantity.max(0) as u64,
                    })
                    .collect(),
            })
            .collect(),
        sessions: world
            .sessions()
            .iter()
            .map(|s| RawSession {
                id: s.id.to_string(),
                cart: s.cart.to_string(),
                state: (!s.state.is_empty()).then(|| s.state.clone()),
                next_state: s.next_state.clone(),
                is_processing: s.is_processing,
                is_error: s.is_error,
                is_archived: s.is_archived,
                background_operation_id: s.background_operation_id.map(String::from),
                started_at: (s.started_at != 0).then_some(s.started_at),
            })
            .collect(),
        operations: world
            .operations()
            .iter()
            .map(|o| RawOperation {
                id: o.id.to_string(),
                name: o.name.clone(),
                status: o.status.as_str().to_string(),
                ticks_left: Some(world.ticks_left(o)),
            })
            .collect(),
        validation_outputs: world
            .validation_outputs()
            .iter()
            .map(|v| RawValidationOutput {
                id: v.id.to_string(),
                cart: v.cart.to_string(),
                operation: v.operation.map(String::from),
                level: v.level.as_str().to_string(),
                kind: v.kind.as_str().to_string(),
                message: v.message.clone(),
                related: v.related.clone(),
                is_dismissed: v.is_dismissed,
            })
            .collect(),
    }
}

/// A price as a JSON number with its two decimal places, exactly as `Money` prints.
fn money_number(m: Money) -> serde_json::Number {
    match FieldValue::Money(m).to_json() {
        Value::Number(n) => n,
        _ => serde_json::Number::from(0),
    }
}

/// An empty step of a kind; the caller fills in its keys.
pub fn empty_step(kind: &str) -> RawStep {
    RawStep {
        kind: kind.to_string(),
        cart: None,
        sku: None,
        quantity: None,
        ticks: None,
        message: None,
        row_type: None,
        level: None,
        shipping_address: None,
        delivery_method: None,
        contact: None,
        action: None,
        during: None,
        outcome: None,
        buyer: None,
        permission: None,
        account: None,
        store: None,
        key: None,
        value: None,
        actor: None,
        note: None,
        marker: None,
        expect: None,
        quiz: None,
    }
}

/// A step that takes `action`, with the keys its kind uses: the names (and which are
/// given) come from the kind's row in [`STEP_KINDS`], the values from
/// [`Action::key_values`], so a new kind needs a row and its typed action, nothing here.
pub fn raw_step(kind: &str, action: &Action) -> RawStep {
    let mut step = empty_step(kind);
    for (key, value) in action.key_values() {
        let known = step.set_kind_key(key, value.to_json());
        debug_assert!(known, "`{kind}`: {key} is no step key of this type");
    }
    step.actor = action.actor().map(str::to_string);
    step
}

/// The equivalent file in the newest edition: `"cartsim": 2`, and every store setting
/// and a default checkout flow written out with the meaning the file had in its own
/// edition, so it plays exactly as before. The file must already load.
pub fn upgrade(mut raw: RawScenario, edition: Edition) -> RawScenario {
    let defaults = StoreSettings::defaults(edition);
    for store in &mut raw.world.stores {
        for setting in settings::SETTINGS {
            let value = setting.get(&defaults).to_json();
            if let Some(slot @ None) = store.setting_mut(setting.key)
                && !value.is_null()
            {
                *slot = Some(value);
            }
        }
        // An lwr store runs no flow and refuses a `checkout_flow` key.
        let lwr = store.template.as_ref().and_then(Value::as_str) == Some(Template::Lwr.as_str());
        if store.checkout_flow.is_none() && edition == Edition::One && !lwr {
            store.checkout_flow = Some(raw_flow(&default_flow()));
        }
    }
    raw.cartsim = Value::from(LATEST_VERSION);
    raw
}

/// A scenario file's text: pretty JSON with a final newline.
pub fn to_text(raw: &RawScenario) -> String {
    let mut text = escape_unsafe(&serde_json::to_string_pretty(raw).unwrap_or_default());
    text.push('\n');
    text
}

/// An address as a file writes it: an object with the parts that are known.
fn address_value(a: &crate::engine::Address) -> serde_json::Value {
    crate::engine::kinds::Arg::Address(a).to_json()
}

/// JSON text with every character a terminal could act on (bidi controls, format
/// characters; serde_json already escapes the C0 controls) written as a `\uXXXX`
/// escape: the same JSON value, but printing it (`cartsim upgrade`, `cat`) shows no
/// reordered or hidden text. Such characters only occur inside strings.
pub fn escape_unsafe(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        // The line breaks between members are the only controls serde_json leaves.
        if c != '\n' && super::sanitize::is_unsafe(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}
