//! The rules a world must keep to be written to a scenario file and read back: one
//! declaration, used by the loader as it reads a file and by `diagnose` before it opens
//! a world rebuilt from a customer's records, so that whatever the UI shows it can save
//! and load again.
//!
//! Each rule is a small function ([`id`], [`ticks`], [`price`], [`quantity`],
//! [`message`]) that the loader calls on a value with the file's position at hand;
//! [`world`] applies all of them, and the references between records, to a built world.

use super::sanitize;
use crate::engine::actions::MAX_LINE_QUANTITY;
use crate::engine::{Money, SettingInput, World};
use std::collections::{HashMap, HashSet};

/// The most ticks one operation may take, one `wait` may last, or a store's tick
/// settings may be (declared with the store settings).
pub use crate::engine::settings::MAX_TICKS;
/// The highest price, in cents (1,000,000,000.00).
pub const MAX_PRICE_CENTS: i128 = 100_000_000_000;
/// The longest CartValidationOutput.Message (text of 255).
pub const MAX_MESSAGE_CHARS: usize = 255;

/// An id: non-empty, without spaces or control characters.
pub fn id(text: &str) -> Result<(), String> {
    if sanitize::is_clean_id(text) {
        Ok(())
    } else {
        Err(format!(
            "id {:?} is not usable; expected a non-empty id without spaces or control characters",
            sanitize::line(text)
        ))
    }
}

/// A number of ticks (a time-to-live, an expiry, an operation's remaining time).
pub fn ticks(n: u64) -> Result<(), String> {
    if n <= MAX_TICKS {
        Ok(())
    } else {
        Err(format!(
            "{n} ticks is too many; expected a number of ticks from 0 to {MAX_TICKS}"
        ))
    }
}

/// The farthest a checkout's start may lie from the first instant, either way: a
/// ticket's records may span years at a tick a minute, and the time to live is computed
/// with saturating arithmetic, so only absurd values are refused.
pub const MAX_STARTED_AT: u64 = 1_000_000_000_000;

/// The tick a checkout started (its time to live counts from it; before the first
/// instant is fine).
pub fn started_at(t: i64) -> Result<(), String> {
    if t.unsigned_abs() <= MAX_STARTED_AT {
        Ok(())
    } else {
        Err(format!(
            "a checkout that started {t} ticks from the first instant; expected a tick from -{MAX_STARTED_AT} to {MAX_STARTED_AT}"
        ))
    }
}

/// A product's price.
pub fn price(m: Money) -> Result<(), String> {
    if m >= Money::ZERO && m.cents() <= MAX_PRICE_CENTS {
        Ok(())
    } else {
        Err(format!(
            "price {m} is not usable; expected a decimal from 0 to {} with at most two places",
            Money::from_cents(MAX_PRICE_CENTS)
        ))
    }
}

/// The quantity of one cart line.
pub fn quantity(n: i64) -> Result<(), String> {
    if (1..=MAX_LINE_QUANTITY).contains(&n) {
        Ok(())
    } else {
        Err(format!("expected a quantity from 1 to {MAX_LINE_QUANTITY}"))
    }
}

/// A CartValidationOutput's message (as it will be shown: sanitized).
pub fn message(text: &str) -> Result<(), String> {
    if text.chars().count() <= MAX_MESSAGE_CHARS {
        Ok(())
    } else {
        Err(format!(
            "expected a message of at most {MAX_MESSAGE_CHARS} characters (CartValidationOutput.Message)"
        ))
    }
}

/// Which list of the world a problem is in (its key in a scenario file's `world`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    /// `world.stores`.
    Stores,
    /// `world.accounts`.
    Accounts,
    /// `world.buyers`.
    Buyers,
    /// `world.products`.
    Products,
    /// `world.carts`.
    Carts,
    /// `world.operations`.
    Operations,
    /// `world.sessions`.
    Sessions,
    /// `world.validation_outputs`.
    ValidationOutputs,
}

impl List {
    /// The key in a scenario file.
    pub fn key(self) -> &'static str {
        match self {
            List::Stores => "stores",
            List::Accounts => "accounts",
            List::Buyers => "buyers",
            List::Products => "products",
            List::Carts => "carts",
            List::Operations => "operations",
            List::Sessions => "sessions",
            List::ValidationOutputs => "validation_outputs",
        }
    }
}

/// One broken rule: the record (by list, position and id), the field and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The list the record is in.
    pub list: List,
    /// Its position in the list, from 0.
    pub index: usize,
    /// Its id (a product's SKU).
    pub id: String,
    /// The field, as a scenario file names it (`id`, `price`, `items[2].quantity`).
    pub field: String,
    /// What is wrong and what was expected.
    pub message: String,
}

impl Problem {
    /// The JSON path of the field in a scenario file: `world.carts[3].store`.
    pub fn path(&self) -> String {
        format!("world.{}[{}].{}", self.list.key(), self.index, self.field)
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}: {}: {}",
            self.list.key(),
            sanitize::line(&self.id),
            sanitize::line(&self.field),
            sanitize::line(&self.message)
        )
    }
}

/// Every rule a world breaks, in the order of a scenario file's `world` (empty when it
/// can be saved and loaded again): ids usable and unique, every reference naming a
/// record, numbers in range, at most one active session per cart.
pub fn world(w: &World) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut push = |list, index, id: &str, field: &str, message: String| {
        out.push(Problem {
            list,
            index,
            id: id.to_string(),
            field: field.to_string(),
            message,
        })
    };
    // Ids are unique across all records but products (whose SKUs are their own).
    let mut ids: HashMap<String, List> = HashMap::new();
    let mut claim = |list: List,
                     index: usize,
                     id_text: &str,
                     push: &mut dyn FnMut(List, usize, &str, &str, String)| {
        if let Err(why) = id(id_text) {
            push(list, index, id_text, "id", why);
        } else if let Some(first) = ids.get(id_text) {
            push(
                list,
                index,
                id_text,
                "id",
                format!(
                    "id {id_text} is already used in {}; expected ids to be unique",
                    first.key()
                ),
            );
        } else {
            ids.insert(id_text.to_string(), list);
        }
    };
    let stores: HashSet<&str> = w.stores().iter().map(|s| s.id.as_str()).collect();
    let accounts: HashSet<&str> = w.accounts().iter().map(|a| a.id.as_str()).collect();
    let buyers: HashSet<&str> = w.buyers().iter().map(|b| b.id.as_str()).collect();
    let carts: HashSet<&str> = w.carts().iter().map(|c| c.id.as_str()).collect();
    let missing = |what: &str, id: &str| format!("no {what} has the id {}", sanitize::line(id));

    for (i, s) in w.stores().iter().enumerate() {
        claim(List::Stores, i, &s.id, &mut push);
        // Each setting's value must be one its own parser takes (ticks in range).
        for setting in crate::engine::settings::SETTINGS {
            let value = SettingInput::Value(setting.get(&s.settings));
            if let Err(why) = setting.parse(value) {
                push(List::Stores, i, &s.id, setting.key, why.to_string());
            }
        }
    }
    for (i, a) in w.accounts().iter().enumerate() {
        claim(List::Accounts, i, &a.id, &mut push);
        for (j, s) in a.stores.iter().enumerate() {
            if !stores.contains(s.as_str()) {
                push(
                    List::Accounts,
                    i,
                    &a.id,
                    &format!("stores[{j}]"),
                    missing("store", s),
                );
            }
        }
    }
    for (i, b) in w.buyers().iter().enumerate() {
        claim(List::Buyers, i, &b.id, &mut push);
        for (j, a) in b.accounts.iter().enumerate() {
            if !accounts.contains(a.as_str()) {
                push(
                    List::Buyers,
                    i,
                    &b.id,
                    &format!("accounts[{j}]"),
                    missing("account", a),
                );
            }
        }
        if !accounts.contains(b.effective_account.as_str()) {
            push(
                List::Buyers,
                i,
                &b.id,
                "effective_account",
                missing("account", &b.effective_account),
            );
        }
    }
    let mut skus = HashSet::new();
    for (i, p) in w.products().iter().enumerate() {
        if !sanitize::is_clean_id(&p.sku) {
            push(
                List::Products,
                i,
                &p.sku,
                "sku",
                "expected a SKU without spaces or control characters".to_string(),
            );
        } else if !skus.insert(p.sku.as_str()) {
            push(
                List::Products,
                i,
                &p.sku,
                "sku",
                format!(
                    "the SKU {} appears twice; expected each product once",
                    p.sku
                ),
            );
        }
        if let Err(why) = price(p.price) {
            push(List::Products, i, &p.sku, "price", why);
        }
    }
    for (i, c) in w.carts().iter().enumerate() {
        claim(List::Carts, i, &c.id, &mut push);
        if !stores.contains(c.store.as_str()) {
            push(List::Carts, i, &c.id, "store", missing("store", &c.store));
        }
        if !buyers.contains(c.buyer.as_str()) {
            push(List::Carts, i, &c.id, "buyer", missing("buyer", &c.buyer));
        }
        if !accounts.contains(c.account.as_str()) {
            push(
                List::Carts,
                i,
                &c.id,
                "account",
                missing("account", &c.account),
            );
        }
        let mut seen = HashSet::new();
        for (j, item) in c.items.iter().enumerate() {
            if !skus.contains(item.sku.as_str()) {
                push(
                    List::Carts,
                    i,
                    &c.id,
                    &format!("items[{j}].sku"),
                    missing("product", &item.sku),
                );
            } else if !seen.insert(item.sku.as_str()) {
                push(
                    List::Carts,
                    i,
                    &c.id,
                    &format!("items[{j}].sku"),
                    format!(
                        "{} is already in this cart; expected each SKU once per cart",
                        item.sku
                    ),
                );
            }
            if let Err(why) = quantity(item.quantity) {
                push(List::Carts, i, &c.id, &format!("items[{j}].quantity"), why);
            }
        }
    }
    for (i, o) in w.operations().iter().enumerate() {
        claim(List::Operations, i, &o.id, &mut push);
        if let Err(why) = ticks(w.ticks_left(o)) {
            push(List::Operations, i, &o.id, "ticks_left", why);
        }
    }
    let mut active: HashMap<&str, &str> = HashMap::new();
    for (i, s) in w.sessions().iter().enumerate() {
        claim(List::Sessions, i, &s.id, &mut push);
        if let Err(why) = started_at(s.started_at) {
            push(List::Sessions, i, &s.id, "started_at", why);
        }
        if !carts.contains(s.cart.as_str()) {
            push(List::Sessions, i, &s.id, "cart", missing("cart", &s.cart));
        }
        if !s.is_archived
            && let Some(other) = active.insert(s.cart.as_str(), s.id.as_str())
        {
            push(
                List::Sessions,
                i,
                &s.id,
                "is_archived",
                format!(
                    "{} already has the non-archived session {other}; expected at most one active session per cart",
                    s.cart
                ),
            );
        }
    }
    for (i, v) in w.validation_outputs().iter().enumerate() {
        claim(List::ValidationOutputs, i, &v.id, &mut push);
        if !carts.contains(v.cart.as_str()) {
            push(
                List::ValidationOutputs,
                i,
                &v.id,
                "cart",
                missing("cart", &v.cart),
            );
        }
        if let Err(why) = message(&sanitize::line(&v.message)) {
            push(List::ValidationOutputs, i, &v.id, "message", why);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::*;

    #[test]
    fn a_built_in_world_keeps_every_rule() {
        for b in super::super::builtin::BUILTIN {
            let s = super::super::load_bytes(b.name, b.text.as_bytes()).unwrap();
            assert_eq!(world(&s.world), Vec::new(), "{}", b.name);
        }
    }

    #[test]
    fn each_rule_names_the_record_and_field() {
        let s = super::super::load_bytes(
            super::super::builtin::BUILTIN[0].name,
            super::super::builtin::BUILTIN[0].text.as_bytes(),
        )
        .unwrap();
        let w = &s.world;
        let cart = w.carts().first().unwrap().id;
        // The first product priced below zero, the first store's time to live out of
        // range and the first account renamed to the first cart's id.
        let mut b = WorldBuilder::new();
        for (i, st) in w.stores().iter().enumerate() {
            let mut st = st.clone();
            if i == 0 {
                st.settings.checkout_ttl = Some(u64::MAX);
            }
            b.add_store(st);
        }
        for (i, a) in w.accounts().iter().enumerate() {
            let mut a = a.clone();
            if i == 0 {
                a.id = cart;
            }
            b.add_account(a);
        }
        for x in w.buyers() {
            b.add_buyer(x.clone());
        }
        for (i, p) in w.products().iter().enumerate() {
            let mut p = p.clone();
            if i == 0 {
                p.price = Money::from_cents(-1);
            }
            b.add_product(p);
        }
        for c in w.carts() {
            b.add_cart(c.clone());
        }
        let problems = world(&b.build());
        let paths: Vec<String> = problems.iter().map(Problem::path).collect();
        assert!(
            paths.contains(&"world.products[0].price".to_string()),
            "{paths:?}"
        );
        assert!(
            paths.contains(&"world.stores[0].checkout_ttl".to_string()),
            "{paths:?}"
        );
        assert!(
            paths.contains(&"world.carts[0].id".to_string()),
            "{paths:?}"
        );
        let mut two = WorldBuilder::new();
        for st in w.stores() {
            two.add_store(st.clone());
        }
        for id in ["s1", "s2"] {
            two.add_session(CartCheckoutSession {
                id: id.into(),
                cart: "c".into(),
                ..Default::default()
            });
        }
        let two = two.build();
        let problems = world(&two);
        assert!(
            problems
                .iter()
                .any(|p| p.field == "is_archived" && p.id == "s2"),
            "{problems:?}"
        );
        assert!(
            problems
                .iter()
                .any(|p| p.field == "cart" && p.message.contains("no cart")),
            "{problems:?}"
        );
    }
}
