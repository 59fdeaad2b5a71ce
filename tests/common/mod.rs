//! Shared helpers for the integration tests: small worlds built through the real loader.

#![allow(dead_code)]

use cartsim::engine::{
    Action, CartCheckoutSession, Outcome, Permission, Quantity, WebCart, World, WorldBuilder,
};
use cartsim::scenario::{Scenario, builtin::BUILTIN, load_bytes};
use std::process::{Command, Output};

/// A scenario from JSON text; panics with the loader's message if it is invalid.
pub fn scenario(json: &str) -> Scenario {
    match load_bytes("test.json", json.as_bytes()) {
        Ok(s) => s,
        Err(e) => panic!("test scenario did not load: {e}"),
    }
}

/// One store `west` (flow: Inventory 2 ticks -> Summary (buyer) -> Cart To Order 1 tick),
/// a store `east` with `on_cart_change` as given, accounts `acme` (member of both) and
/// `other` (member of none), buyer `bob` (acts for acme only), products, and carts
/// `cart-1` (west) and `cart-2` (east).
pub fn world_with(east_mode: &str) -> World {
    let json = format!(
        r#"{{
      "cartsim": 1, "title": "t",
      "world": {{
        "stores": [
          {{"id": "west", "checkout_flow": [
            {{"state": "Inventory", "operation": "Check Cart Inventory", "ticks": 2}},
            {{"state": "Checkout Summary", "buyer": true}},
            {{"state": "Cart To Order", "operation": "Cart to Order", "ticks": 1}}]}},
          {{"id": "east", "on_cart_change": "{east_mode}", "checkout_flow": [
            {{"state": "Inventory", "operation": "Check Cart Inventory", "ticks": 2}},
            {{"state": "Checkout Summary", "buyer": true}}]}}
        ],
        "accounts": [{{"id": "acme", "stores": ["west", "east"]}}, {{"id": "other"}}],
        "buyers": [{{"id": "bob", "accounts": ["acme"]}}, {{"id": "eve", "accounts": ["acme"], "permissions": []}}],
        "products": [{{"sku": "BOLT", "price": 1.25}}, {{"sku": "NUT", "price": 0.1}}],
        "carts": [
          {{"id": "cart-1", "store": "west", "buyer": "bob", "items": [{{"sku": "BOLT", "quantity": 10}}]}},
          {{"id": "cart-2", "store": "east", "buyer": "bob"}}
        ]
      }}
    }}"#
    );
    scenario(&json).world
}

/// The standard test world (east store recalculates).
pub fn world() -> World {
    world_with("recalculate")
}

pub fn start(cart: &str) -> Action {
    Action::StartCheckout {
        cart: cart.into(),
        actor: None,
    }
}
pub fn cancel(cart: &str) -> Action {
    Action::Cancel {
        cart: cart.into(),
        actor: None,
    }
}
pub fn cont(cart: &str) -> Action {
    Action::Continue {
        cart: cart.into(),
        actor: None,
    }
}
pub fn add(cart: &str, sku: &str, n: i64) -> Action {
    Action::AddToCart {
        cart: cart.into(),
        sku: sku.into(),
        quantity: Quantity::Whole(n),
        actor: None,
    }
}
pub fn wait(ticks: u64) -> Action {
    Action::Wait { ticks }
}
pub fn revoke(buyer: &str, p: Permission) -> Action {
    Action::Revoke {
        buyer: buyer.into(),
        permission: p,
    }
}
pub fn grant(buyer: &str, p: Permission) -> Action {
    Action::Grant {
        buyer: buyer.into(),
        permission: p,
    }
}

pub fn switch(buyer: &str, account: &str) -> Action {
    Action::SwitchAccount {
        buyer: buyer.into(),
        account: account.into(),
    }
}
pub fn leave(account: &str, store: &str) -> Action {
    Action::LeaveStore {
        account: account.into(),
        store: store.into(),
    }
}
pub fn join(account: &str, store: &str) -> Action {
    Action::JoinStore {
        account: account.into(),
        store: store.into(),
    }
}

/// Runs a whole checkout of `cart` on the test flow: start, settle, continue, settle.
pub fn place_order(world: &mut World, cart: &str) {
    ok(world, start(cart));
    ok(world, Action::Settle);
    ok(world, cont(cart));
    ok(world, Action::Settle);
}

/// Applies an action that must succeed.
pub fn ok(world: &mut World, action: Action) -> Outcome {
    let outcome = world.apply(&action);
    if let Err(e) = &outcome.result {
        panic!("{action:?} was refused: {e}");
    }
    outcome
}

/// Reads a field as text for compact assertions.
pub fn field(world: &World, id: &str, name: &str) -> String {
    world
        .field(id, name)
        .unwrap_or_else(|e| panic!("{id}.{name}: {e:?}"))
        .to_string()
}

/// The built-in scenario whose file name starts with `prefix` (`"02-"`).
pub fn builtin(prefix: &str) -> Scenario {
    let b = BUILTIN
        .iter()
        .find(|b| b.name.starts_with(prefix))
        .expect("built-in");
    load_bytes(b.name, b.text.as_bytes()).expect("loads")
}

/// Runs the built binary from the crate's folder.
pub fn cartsim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cartsim"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs")
}

/// Stages a state the actions cannot reach: changes the world through its builder.
pub fn stage(w: &mut World, edit: impl FnOnce(&mut WorldBuilder)) {
    let mut b = WorldBuilder::from(std::mem::take(w));
    edit(&mut b);
    *w = b.build();
}

/// Changes the world's `i`-th cart.
pub fn edit_nth_cart(w: &mut World, i: usize, edit: impl FnOnce(&mut WebCart)) {
    let id = w.carts().nth(i).expect("a cart").id;
    stage(w, |b| {
        b.edit_cart(&id, edit);
    });
}

/// Changes the world's `i`-th session.
pub fn edit_nth_session(w: &mut World, i: usize, edit: impl FnOnce(&mut CartCheckoutSession)) {
    let id = w.sessions().nth(i).expect("a session").id;
    stage(w, |b| {
        b.edit_session(&id, edit);
    });
}

/// The ids of every session, operation, order, validation output, delivery group and
/// payment of `world`.
pub fn generated_kinds_ids(world: &World) -> std::collections::HashSet<String> {
    world
        .sessions()
        .iter()
        .map(|s| s.id.to_string())
        .chain(world.operations().iter().map(|o| o.id.to_string()))
        .chain(world.orders().iter().map(|o| o.id.to_string()))
        .chain(world.validation_outputs().iter().map(|v| v.id.to_string()))
        .chain(world.delivery_groups().iter().map(|g| g.id.to_string()))
        .chain(
            world
                .payment_authorizations()
                .iter()
                .map(|p| p.id.to_string()),
        )
        .collect()
}

/// `text` with each quoted id that `after` holds and `before` did not written `"new"`.
pub fn new_ids_as_new(before: &World, after: &World, text: &str) -> String {
    let old = generated_kinds_ids(before);
    let mut out = text.to_string();
    for id in generated_kinds_ids(after).difference(&old) {
        out = out.replace(&format!("\"{id}\""), "\"new\"");
    }
    out
}
