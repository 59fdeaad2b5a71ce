//! The step-kind table (`STEP_KINDS`) drives the saver, the log's wording and the UI's
//! keys: each test walks `StepKind::all()`, so a kind added to the table is checked by
//! every consumer here without a new test.

use cartsim::engine::{Action, STEP_KINDS, StepKind, Stores, Template};
use cartsim::player::describe;
use cartsim::scenario::save::raw_step;
use cartsim::scenario::{Scenario, load_bytes};
use cartsim::tui::app::{App, Msg};
use cartsim::tui::effect::drive;
use cartsim::tui::keys::{self, BINDINGS, Context};
use cartsim::tui::popup::Popup;
use cartsim::tui::theme::Theme;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// An aura store `west` with cart `cart-a` and an lwr store `east` (Place Order V2, a
/// delivery method) with cart `cart-l`; buyer `bob` lacks `cancel_checkout` and the
/// carts' account `globex` is in no store, so the world menu offers a grant and a join
/// as well as revokes and a leave.
fn world() -> Value {
    json!({
      "stores": [
        {"id": "west"},
        {"id": "east", "template": "lwr", "place_order": "v2",
         "delivery_methods": [{"id": "Ground", "price": 10}]}
      ],
      "accounts": [{"id": "acme", "stores": ["west", "east"]}, {"id": "globex"}],
      "buyers": [{"id": "bob", "accounts": ["acme"], "permissions": ["edit_cart", "checkout"]}],
      "products": [{"sku": "BOLT", "price": 1.25}],
      "carts": [
        {"id": "cart-a", "store": "west", "buyer": "bob", "account": "globex", "items": [{"sku": "BOLT", "quantity": 2}]},
        {"id": "cart-l", "store": "east", "buyer": "bob", "account": "globex", "items": [{"sku": "BOLT", "quantity": 2}]}
      ]
    })
}

fn load(steps: &[Value]) -> Scenario {
    let file = json!({"cartsim": 2, "title": "every step kind", "world": world(), "steps": steps});
    load_bytes("kinds.json", file.to_string().as_bytes())
        .unwrap_or_else(|e| panic!("the steps load: {e}"))
}

/// A value of each step key the table uses, valid in [`world`]. A kind with a key that
/// is new to the format fails here, naming the key.
fn sample(key: &str, stores: Stores) -> Value {
    match key {
        "cart" if stores == Stores::Lwr => json!("cart-l"),
        "cart" => json!("cart-a"),
        "sku" => json!("BOLT"),
        "quantity" => json!(3),
        "ticks" => json!(4),
        "message" => json!("inventory service down"),
        "type" => json!("Inventory"),
        "level" => json!("Warning"),
        "shipping_address" => json!({"street": "1 Main St", "city": "Springfield"}),
        "delivery_method" => json!("Ground"),
        "contact" => json!("buyer@example.com"),
        "action" => json!("prepare"),
        "during" => json!("next_call"),
        "outcome" => json!("declined"),
        "buyer" => json!("bob"),
        "permission" => json!("checkout"),
        "account" => json!("globex"),
        "store" => json!("west"),
        "key" => json!("checkout_ttl"),
        "value" => json!(30),
        other => panic!("no sample value for the step key `{other}`: add one"),
    }
}

/// For each kind, a step with every key given and a step with only what it needs (one
/// of its `one_of` keys, if it has them).
fn steps_of_every_kind() -> Vec<(StepKind, bool, Value)> {
    let mut out = Vec::new();
    for kind in StepKind::all() {
        let row = kind.row();
        let mut full = json!({"do": row.name});
        let mut least = json!({"do": row.name});
        for key in row.keys {
            let value = sample(key, row.stores);
            full[*key] = value.clone();
            if !row.optional.contains(key) || row.one_of.first() == Some(key) {
                least[*key] = value;
            }
        }
        out.push((kind, true, full));
        out.push((kind, false, least));
    }
    out
}

#[test]
fn every_kind_saves_its_rows_keys_and_loads_back_to_the_same_action() {
    let steps = steps_of_every_kind();
    let mut extra: Vec<Value> = steps.iter().map(|(_, _, s)| s.clone()).collect();
    // A quantity that is no whole number is kept as written, and saved as that number.
    extra.push(json!({"do": "add_to_cart", "cart": "cart-a", "sku": "BOLT", "quantity": 1.5}));
    extra.push(json!({"do": "cancel", "cart": "cart-a", "as": "bob"}));
    let loaded = load(&extra);
    let covered: BTreeSet<StepKind> = loaded.steps.iter().map(|s| s.action.kind()).collect();
    assert_eq!(covered, StepKind::all().collect(), "a step of every kind");

    let saved: Vec<Value> = loaded
        .steps
        .iter()
        .map(|s| serde_json::to_value(raw_step(s.kind, &s.action)).unwrap())
        .collect();
    for (step, json) in loaded.steps.iter().zip(&saved) {
        let row = step.action.kind().row();
        let keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .filter(|k| !["do", "as"].contains(k))
            .collect();
        for key in &keys {
            assert!(row.keys.contains(key), "{}: saved {key}: {json}", row.name);
        }
        for key in row.keys.iter().filter(|k| !row.optional.contains(k)) {
            assert!(keys.contains(key), "{}: {key} not saved: {json}", row.name);
        }
    }
    // A step written with every key is saved exactly as it was written.
    for ((kind, full, written), json) in steps.iter().zip(&saved) {
        if *full {
            assert_eq!(json, written, "{kind}");
        }
    }
    let reloaded = load(&saved);
    assert_eq!(reloaded.steps.len(), loaded.steps.len());
    for (a, b) in loaded.steps.iter().zip(&reloaded.steps) {
        assert_eq!(a.action, b.action, "{} saves and loads back", a.kind);
        assert_eq!(a.kind, b.kind);
    }
}

#[test]
fn every_kind_is_worded_from_its_row_with_every_key_it_gives() {
    let steps: Vec<Value> = steps_of_every_kind().into_iter().map(|s| s.2).collect();
    let loaded = load(&steps);
    for step in &loaded.steps {
        let row = step.action.kind().row();
        let line = describe(&loaded.world, step.kind, &step.action);
        assert!(line.starts_with(row.name), "{line}");
        let wording = step.action.wording();
        if row.keys.is_empty() {
            assert_eq!(line, row.name);
        } else {
            assert!(!wording.is_empty(), "{}", row.name);
            assert!(
                line.starts_with(&format!("{} {wording}", row.name)),
                "{line}"
            );
        }
        for (key, arg) in step.action.key_values() {
            assert!(line.contains(&arg.to_string()), "{line} hides {key}");
        }
        if step.action.is_buyer_action() {
            assert!(line.ends_with(" as bob"), "{line}");
        }
    }
    let fault = loaded
        .steps
        .iter()
        .find(|s| s.kind == "fail_operation")
        .unwrap();
    assert_eq!(
        describe(&loaded.world, fault.kind, &fault.action),
        "fail_operation cart-a Warning Inventory \"inventory service down\""
    );
}

/// A fresh UI on [`world`] with only the carts of one store template.
fn app_on(template: Template) -> (App, &'static str) {
    let cart = if template == Template::Lwr {
        "cart-l"
    } else {
        "cart-a"
    };
    let mut world = world();
    world["carts"] = json!(
        world["carts"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["id"] == cart)
            .collect::<Vec<_>>()
    );
    let file = json!({"cartsim": 2, "title": "keys", "world": world,
                      "steps": [{"do": "wait"}]});
    let scenario = load_bytes("keys.json", file.to_string().as_bytes()).unwrap();
    (App::new(vec![scenario], Theme::MONO), cart)
}

fn press(app: &mut App, code: KeyCode) {
    drive(app, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

#[test]
fn the_ui_takes_every_kind_each_store_accepts_with_the_key_its_help_names() {
    let help = keys::help_lines();
    for template in [Template::Aura, Template::Lwr] {
        for row in STEP_KINDS.iter().filter(|r| r.stores.accepts(template)) {
            let command = keys::command_of(row.kind);
            let binding = BINDINGS
                .iter()
                .find(|b| b.context == Context::Player && b.command == command)
                .unwrap_or_else(|| panic!("{}: {command:?} has a key", row.name));
            assert!(
                help.iter().any(
                    |(_, keys_text, text)| *keys_text == keys::key_names(binding.keys)
                        && text.contains(&format!("{} — {}", row.name, row.title))
                ),
                "the help of {} names {}",
                binding.label,
                row.name
            );
            let (mut app, cart) = app_on(template);
            press(&mut app, binding.keys[0].code);
            match &app.popup {
                Some(Popup::WorldMenu(_)) => {
                    let items = cartsim::tui::popup::world_menu::items(app.world().unwrap(), cart);
                    let at = items
                        .iter()
                        .position(|(_, a)| a.kind() == row.kind)
                        .unwrap_or_else(|| panic!("the world menu offers {}", row.name));
                    for _ in 0..at {
                        press(&mut app, KeyCode::Down);
                    }
                    press(&mut app, KeyCode::Enter);
                }
                Some(Popup::RestForm(_)) => {
                    // The PATCH form needs one field; the pay form sends as it opens.
                    if row.kind == StepKind::CheckoutUpdate {
                        press(&mut app, KeyCode::Char('1'));
                    }
                    press(&mut app, KeyCode::Enter);
                }
                Some(Popup::AddToCart(_)) => press(&mut app, KeyCode::Enter),
                _ => {}
            }
            let playback = app.player.playback.as_ref().unwrap();
            let last = playback.timeline().entries().last().unwrap();
            assert_eq!(
                last.kind, row.name,
                "{} on a {template} cart takes {}",
                binding.label, row.name
            );
            let expected: &Action = &last.action;
            assert_eq!(expected.kind(), row.kind);
        }
    }
}

#[test]
fn the_lwr_keys_are_named_by_their_request_method() {
    let lwr = |command| {
        let b = BINDINGS
            .iter()
            .find(|b| b.context == Context::Player && b.command == command)
            .unwrap();
        (keys::short_on(b, false), keys::short_on(b, true))
    };
    assert_eq!(lwr(keys::Command::StartCheckout), ("start checkout", "PUT"));
    assert_eq!(lwr(keys::Command::Continue), ("continue", "GET"));
    assert_eq!(lwr(keys::Command::Pay), ("pay", "pay"));
    assert_eq!(
        keys::lwr_call_keys(),
        "s PUT, c GET, u PATCH, d DELETE, $ pay, O place order"
    );
}

#[test]
fn the_world_popup_of_an_lwr_store_names_each_of_its_steps_and_its_call() {
    let (mut app, _) = app_on(Template::Lwr);
    press(&mut app, KeyCode::Char('i'));
    let Some(Popup::Text(world)) = &app.popup else {
        panic!("{:?}", app.popup)
    };
    let text: String = world.lines.iter().map(|l| format!("{l} ")).collect();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for row in STEP_KINDS.iter().filter(|r| r.stores == Stores::Lwr) {
        let (method, path) = row.request.unwrap();
        let call = format!("{} {method} /checkouts{path}", row.name);
        assert!(text.contains(&call), "{call} in {text}");
    }
}
