//! `set_setting`: a scenario changes one store setting from that instant on. The engine
//! applies it through `StoreSettings::set`, the loader refuses what a key does not take,
//! and saving writes it back as a step.

mod common;

use cartsim::engine::settings::SettingValue;
use cartsim::engine::{
    Action, CancelReading, ErrorKind, FieldValue, RecordKind, Rule, Source, TaxRate,
};
use cartsim::player::kind_of;
use cartsim::scenario::format::RawScenario;
use cartsim::scenario::save::{raw_step, raw_world, to_text};
use cartsim::scenario::{LoadError, load_bytes};
use common::*;

fn set(store: &str, key: &str, value: SettingValue) -> Action {
    Action::SetSetting {
        store: store.to_string(),
        key: key.to_string(),
        value,
    }
}

#[test]
fn set_setting_changes_the_store_from_that_instant_and_logs_it_as_configuration() {
    let mut w = world();
    // Without an active session, enforce refuses the cancel (requirement 5).
    let before = w.clone();
    let refused = w.apply(&cancel("cart-1"));
    assert_eq!(
        refused.result.unwrap_err().kind,
        ErrorKind::CancelNoActiveSession
    );
    assert_eq!(w, before);

    let out = ok(
        &mut w,
        set("west", "cancel_requirements", SettingValue::Name("lenient")),
    );
    assert_eq!(
        w.store("west").unwrap().settings.cancel_requirements,
        CancelReading::Lenient
    );
    assert_eq!(out.changes.len(), 1);
    let change = &out.changes[0];
    assert_eq!(change.kind, RecordKind::WebStore);
    assert_eq!(change.record, "west");
    assert_eq!(change.field, Some("~cancel_requirements"));
    assert_eq!(change.old, FieldValue::Text("enforce".into()));
    assert_eq!(change.new, FieldValue::Text("lenient".into()));
    assert_eq!(change.rule, Rule::SettingChanged);
    assert_eq!(change.rule.source(), Source::Scenario);
    // Simulator configuration, not a WebStore field: written with a `~`.
    assert_eq!(
        change.headline(),
        "west.~cancel_requirements: enforce -> lenient"
    );
    // The other store keeps its own reading.
    assert_eq!(
        w.store("east").unwrap().settings.cancel_requirements,
        CancelReading::Enforce
    );

    // From now on the cancel with nothing to cancel succeeds.
    ok(&mut w, cancel("cart-1"));
}

#[test]
fn set_setting_checks_no_actor_and_takes_every_kind_of_value() {
    let mut w = world();
    // A world edit has no actor: bob's missing permission does not matter.
    ok(&mut w, revoke("bob", cartsim::engine::Permission::Checkout));
    ok(
        &mut w,
        set("west", "checkout_ttl", SettingValue::Ticks(Some(5))),
    );
    ok(
        &mut w,
        set(
            "west",
            "tax_rate",
            SettingValue::Rate(TaxRate::parse("0.0825").unwrap()),
        ),
    );
    let out = ok(
        &mut w,
        set("west", "checkout_ttl", SettingValue::Ticks(None)),
    );
    assert_eq!(out.changes[0].old, FieldValue::Int(5));
    assert_eq!(out.changes[0].new, FieldValue::Null);
    let s = w.store("west").unwrap().settings;
    assert_eq!(s.checkout_ttl, None);
    assert_eq!(s.tax_rate.to_string(), "0.0825");
    // Setting the value it already has logs nothing.
    let out = ok(
        &mut w,
        set("west", "checkout_ttl", SettingValue::Ticks(None)),
    );
    assert!(out.changes.is_empty());
}

#[test]
fn set_setting_refuses_the_template_an_unknown_key_a_wrong_value_and_an_unknown_store() {
    let mut w = world();
    let before = w.clone();
    for (action, kind) in [
        (
            set("west", "template", SettingValue::Name("lwr")),
            ErrorKind::UnknownSetting,
        ),
        (
            set("west", "nope", SettingValue::Name("x")),
            ErrorKind::UnknownSetting,
        ),
        (
            set("west", "cancel_requirements", SettingValue::Ticks(Some(3))),
            ErrorKind::UnknownSetting,
        ),
        (
            set("west", "checkout_ttl", SettingValue::Ticks(Some(1_000_001))),
            ErrorKind::UnknownSetting,
        ),
        (
            set(
                "north",
                "cancel_requirements",
                SettingValue::Name("lenient"),
            ),
            ErrorKind::UnknownRecord,
        ),
    ] {
        let out = w.apply(&action);
        assert_eq!(out.result.unwrap_err().kind, kind, "{action:?}");
        assert!(out.changes.is_empty());
        assert_eq!(w, before, "{action:?} changed nothing");
    }
}

const HEAD: &str = r#"{"cartsim": 2, "title": "t", "world": {
  "stores": [{"id": "west"}],
  "accounts": [{"id": "acme", "stores": ["west"]}],
  "buyers": [{"id": "bob", "accounts": ["acme"]}],
  "products": [], "carts": [{"id": "cart-1", "store": "west", "buyer": "bob"}]},
"steps": [
"#;

fn with_step(step: &str) -> String {
    format!("{HEAD}{step}\n]}}")
}

fn error(text: &str) -> LoadError {
    match load_bytes("bad.json", text.as_bytes()) {
        Ok(_) => panic!("expected a load error for:\n{text}"),
        Err(e) => e,
    }
}

/// The 1-based column of `needle` on the step's line (the line after HEAD).
fn column_of(step: &str, needle: &str) -> usize {
    step.find(needle).unwrap() + 1
}

#[test]
fn a_value_the_key_does_not_take_is_refused_at_the_value_naming_the_values() {
    let line = HEAD.lines().count() + 1;
    for (step, needle, words) in [
        (
            r#"{"do": "set_setting", "store": "west", "key": "cancel_requirements", "value": "Lenient"}"#,
            r#""Lenient""#,
            r#"expected one of: "enforce", "lenient""#,
        ),
        (
            r#"{"do": "set_setting", "store": "west", "key": "checkout_ttl", "value": "10"}"#,
            r#""10""#,
            "expected a number of ticks from 0 to 1000000, or null",
        ),
        (
            r#"{"do": "set_setting", "store": "west", "key": "tax_rate", "value": 0.12345}"#,
            "0.12345",
            "at most four places",
        ),
        (
            r#"{"do": "set_setting", "store": "west", "key": "tax_rate", "value": null}"#,
            "null",
            "decimal fraction from 0 to 1",
        ),
    ] {
        let e = error(&with_step(step));
        assert_eq!(e.path.as_deref(), Some("steps[0].value"), "{e}");
        assert!(e.message.contains(words), "{e}");
        let p = e.position.unwrap();
        assert_eq!((p.line, p.column), (line, column_of(step, needle)), "{e}");
        assert!(
            e.to_string()
                .starts_with(&format!("bad.json:{line}:{}:", p.column)),
            "{e}"
        );
    }
}

#[test]
fn an_unknown_key_and_the_template_are_refused_at_the_key() {
    let line = HEAD.lines().count() + 1;
    let step = r#"{"do": "set_setting", "store": "west", "key": "cancel_requirement", "value": "lenient"}"#;
    let e = error(&with_step(step));
    assert_eq!(e.path.as_deref(), Some("steps[0].key"), "{e}");
    assert!(e.message.contains("is not a store setting"), "{e}");
    assert!(
        e.message.contains("did you mean cancel_requirements"),
        "{e}"
    );
    assert!(
        !e.message.contains("template"),
        "template is not offered: {e}"
    );
    let p = e.position.unwrap();
    assert_eq!(
        (p.line, p.column),
        (line, column_of(step, r#""cancel_requirement""#))
    );

    let step = r#"{"do": "set_setting", "store": "west", "key": "template", "value": "lwr"}"#;
    let e = error(&with_step(step));
    assert_eq!(e.path.as_deref(), Some("steps[0].key"), "{e}");
    assert!(e.message.contains("fixed for the whole scenario"), "{e}");

    let step = r#"{"do": "set_setting", "store": "north", "key": "checkout_ttl", "value": 5}"#;
    let e = error(&with_step(step));
    assert_eq!(e.path.as_deref(), Some("steps[0].store"), "{e}");

    let step = r#"{"do": "set_setting", "store": "west", "key": "checkout_ttl"}"#;
    let e = error(&with_step(step));
    assert!(e.message.contains("need `value`"), "{e}");
}

#[test]
fn a_scenario_with_set_setting_steps_survives_saving_and_loading() {
    let text = with_step(
        r#"{"do": "set_setting", "store": "west", "key": "cancel_requirements", "value": "lenient"},
{"do": "set_setting", "store": "west", "key": "checkout_ttl", "value": 40},
{"do": "set_setting", "store": "west", "key": "checkout_ttl", "value": null,
 "expect": {"result": "ok"}},
{"do": "set_setting", "store": "west", "key": "tax_rate", "value": 0.0825},
{"do": "cancel", "cart": "cart-1", "expect": {"result": "ok"}}"#,
    );
    let scenario = load_bytes("steps.json", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    let actions: Vec<Action> = scenario.steps.iter().map(|s| s.action.clone()).collect();
    assert_eq!(
        actions[2],
        set("west", "checkout_ttl", SettingValue::Ticks(None)),
        "null is a value, not a missing key"
    );

    // What a branch recorded in the UI writes: each action as a step of its kind.
    let saved = RawScenario {
        cartsim: serde_json::json!(2),
        title: "t".into(),
        summary: None,
        tags: Vec::new(),
        explore: None,
        world: raw_world(&scenario.world),
        steps: actions.iter().map(|a| raw_step(kind_of(a), a)).collect(),
    };
    let saved_text = to_text(&saved);
    assert!(saved_text.contains(r#""key": "tax_rate""#), "{saved_text}");
    assert!(saved_text.contains(r#""value": 0.0825"#), "{saved_text}");
    assert!(saved_text.contains(r#""value": null"#), "{saved_text}");
    let again = load_bytes("saved.json", saved_text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    let again: Vec<Action> = again.steps.iter().map(|s| s.action.clone()).collect();
    assert_eq!(again, actions);

    // Played, the setting takes effect at its step.
    let report = cartsim::player::play_headless(&scenario);
    assert_eq!(
        report[4].outcome.result,
        Ok(()),
        "lenient lets the cancel through"
    );
    assert!(report.iter().all(|r| r.passed()));
    assert!(!report[4].checks.is_empty());
}
