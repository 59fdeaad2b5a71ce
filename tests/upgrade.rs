//! `cartsim upgrade`: every curriculum file and its format 2 equivalent play the same.

mod common;

use cartsim::cli::transcript::{Tally, text};
use cartsim::engine::Edition;
use cartsim::player::play_headless;
use cartsim::scenario::builtin::BUILTIN;
use cartsim::scenario::save::{to_text, upgrade};
use cartsim::scenario::{load_bytes, load_with_raw};
use common::cartsim;

fn transcript(scenario: &cartsim::scenario::Scenario) -> String {
    let mut tally = Tally::default();
    text(scenario, &play_headless(scenario), &mut tally)
}

#[test]
fn every_curriculum_file_and_its_upgrade_give_the_same_transcript() {
    for b in BUILTIN {
        let (original, raw) = load_with_raw(b.name, b.text.as_bytes()).expect("loads");
        let upgraded_text = to_text(&upgrade(raw, original.edition));
        let upgraded = load_bytes(b.name, upgraded_text.as_bytes())
            .unwrap_or_else(|e| panic!("{}: the upgrade does not load: {e}", b.name));
        assert_eq!(upgraded.edition, Edition::Two, "{}", b.name);
        assert_eq!(
            transcript(&original),
            transcript(&upgraded),
            "{}: the upgrade plays differently",
            b.name
        );
        for (a, b) in original.world.stores().iter().zip(upgraded.world.stores()) {
            assert_eq!(a.settings, b.settings, "{}", b.id);
            assert_eq!(a.checkout_flow, b.checkout_flow, "{}", b.id);
        }
    }
}

#[test]
fn upgrading_twice_changes_nothing_more() {
    for b in BUILTIN {
        let (s, raw) = load_with_raw(b.name, b.text.as_bytes()).unwrap();
        let once = to_text(&upgrade(raw, s.edition));
        let (s2, raw2) = load_with_raw(b.name, once.as_bytes()).unwrap();
        assert_eq!(once, to_text(&upgrade(raw2, s2.edition)), "{}", b.name);
    }
}

#[test]
fn the_upgrade_names_every_setting_with_its_format_1_meaning() {
    let (s, raw) = load_with_raw(BUILTIN[0].name, BUILTIN[0].text.as_bytes()).unwrap();
    let text = to_text(&upgrade(raw, s.edition));
    for needle in [
        "\"cartsim\": 2",
        "\"checkout_session\": \"strict\"",
        "\"continue_while_processing\": \"checkout_conflict\"",
        "\"cart_access\": \"unchecked\"",
        "\"order_created\": \"at_completion\"",
        "\"checkout_flow\"",
    ] {
        assert!(text.contains(needle), "missing {needle} in\n{text}");
    }
}

#[test]
fn cartsim_upgrade_prints_the_file_and_refuses_a_broken_one() {
    let out = cartsim(&["upgrade", "scenarios/02-cancel-mid-checkout.json"]);
    assert_eq!(out.status.code(), Some(0));
    let printed = String::from_utf8(out.stdout).unwrap();
    let s = load_bytes("printed", printed.as_bytes()).expect("the output loads");
    assert_eq!(s.edition, Edition::Two);

    let dir = std::env::temp_dir().join(format!("cartsim-upgrade-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.json");
    std::fs::write(&bad, "{\"cartsim\": 1,\n \"title\": \"t\", \"world\": {\"stores\": [{\"id\": \"w\", \"checkout_session\": \"sometimes\"}]}}").unwrap();
    let out = cartsim(&["upgrade", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("bad.json:2:"), "{err}");
    assert!(
        err.contains("expected one of: \"strict\", \"get_or_create\""),
        "{err}"
    );
    assert!(out.stdout.is_empty());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_saved_branch_of_a_format_2_scenario_replays_with_every_expectation_held() {
    use cartsim::engine::{Action, ValidationLevel};
    use cartsim::player::playback::Playback;
    let text = r#"{"cartsim": 2, "title": "t",
      "world": {"stores": [{"id": "west", "checkout_ttl": 40, "operation_expiry": 3,
                            "cancel_requirements": "lenient"}],
        "accounts": [{"id": "acme", "stores": ["west"]}],
        "buyers": [{"id": "bob", "accounts": ["acme"]}],
        "products": [{"sku": "BOLT", "price": 1.25}],
        "carts": [{"id": "cart-1", "store": "west", "buyer": "bob"}]},
      "steps": [{"do": "start_checkout", "cart": "cart-1"}]}"#;
    let scenario = load_bytes("t.json", text.as_bytes()).unwrap();
    let mut p = Playback::new(scenario);
    p.step_forward();
    for action in [
        Action::IntegrationFault {
            cart: "cart-1".into(),
            message: "only 3 left".into(),
            level: ValidationLevel::Warning,
            kind: None,
        },
        Action::Wait { ticks: 1 },
        Action::CustomUpdate {
            cart: "cart-1".into(),
            during_next_call: false,
        },
        Action::Wait { ticks: 8 },
        Action::Cancel {
            cart: "cart-1".into(),
            actor: None,
        },
        Action::Cancel {
            cart: "cart-1".into(),
            actor: None,
        },
    ] {
        p.act(action);
    }
    let saved = serde_json::to_string_pretty(&p.export("branch")).unwrap();
    let replay = load_bytes("branch.json", saved.as_bytes())
        .unwrap_or_else(|e| panic!("the saved branch does not load: {e}\n{saved}"));
    assert_eq!(replay.edition, Edition::Two);
    assert!(saved.contains("\"custom_update\""), "{saved}");
    assert!(saved.contains("\"level\": \"Warning\""), "{saved}");
    let reports = play_headless(&replay);
    let checks: usize = reports.iter().map(|r| r.checks.len()).sum();
    assert!(checks > 10, "the branch pins what happened");
    let failures: Vec<String> = reports
        .iter()
        .flat_map(|r| {
            r.checks.iter().filter(|c| !c.passed).map(move |c| {
                format!(
                    "step {}: {} expected {}, found {}",
                    r.index + 1,
                    c.path,
                    c.expected,
                    c.actual
                )
            })
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_new_store_settings_and_delivery_methods_survive_saving_and_upgrading() {
    use cartsim::engine::{CartCleanup, CheckoutExpiry, Money, PlaceOrderVersion, TaxRate};
    use cartsim::scenario::format::RawScenario;
    use cartsim::scenario::save::raw_world;
    let text = r#"{"cartsim": 1, "title": "t", "world": {
        "stores": [{"id": "west", "template": "lwr", "checkout_expiry": "on_return",
                    "checkout_valid_after": 7, "place_order": "v2",
                    "cart_cleanup": "cancel_checkout", "tax_rate": 0.0825,
                    "delivery_methods": [{"id": "Ground", "name": "Ground", "price": 10},
                                         {"id": "Express", "price": 24.5}]},
                   {"id": "east"}],
        "accounts": [], "buyers": [], "products": [], "carts": []}}"#;
    let (scenario, raw) = load_with_raw("new.json", text.as_bytes()).expect("loads");
    let west = &scenario.world.stores().nth(0).unwrap();
    assert_eq!(west.settings.checkout_expiry, CheckoutExpiry::OnReturn);
    assert_eq!(west.settings.checkout_valid_after, Some(7));
    assert_eq!(west.settings.place_order, PlaceOrderVersion::V2);
    assert_eq!(west.settings.cart_cleanup, CartCleanup::CancelCheckout);
    assert_eq!(
        west.settings.tax_rate,
        TaxRate::from_ten_thousandths(825).unwrap()
    );
    assert_eq!(
        west.delivery_methods[1].name, "Express",
        "the name defaults to the id"
    );
    assert_eq!(west.delivery_methods[1].price, Money::from_cents(2450));
    // Format 1's default expiry is the eager reading.
    assert_eq!(
        scenario
            .world
            .stores()
            .nth(1)
            .unwrap()
            .settings
            .checkout_expiry,
        CheckoutExpiry::Eager
    );

    // Saved (every setting explicit, the default flow left out) and read back.
    let saved = RawScenario {
        cartsim: serde_json::json!(1),
        title: "t".to_string(),
        summary: None,
        tags: Vec::new(),
        explore: None,
        world: raw_world(&scenario.world),
        steps: Vec::new(),
    };
    let saved_text = to_text(&saved);
    assert!(saved_text.contains("\"tax_rate\": 0.0825"), "{saved_text}");
    let again = load_bytes("saved.json", saved_text.as_bytes()).expect("the saved file loads");
    assert_eq!(again.world.stores(), scenario.world.stores());

    // Upgraded: format 1's eager expiry is written out, so the meaning stays (an lwr
    // store gets no checkout flow written: it runs none).
    let upgraded = to_text(&upgrade(raw, Edition::One));
    let again = load_bytes("upgraded.json", upgraded.as_bytes()).expect("the upgrade loads");
    for (a, b) in again.world.stores().iter().zip(scenario.world.stores()) {
        assert_eq!(a.settings, b.settings, "{}", a.id);
        assert_eq!(a.delivery_methods, b.delivery_methods, "{}", a.id);
    }
    assert_eq!(
        again.world.stores().nth(1).unwrap().checkout_flow,
        scenario.world.stores().nth(1).unwrap().checkout_flow
    );
}

#[test]
fn upgrade_prints_no_bidi_character_from_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bidi.json");
    // A right-to-left override and a zero-width joiner in the title and a cart's name.
    std::fs::write(
        &path,
        "{\"cartsim\": 1, \"title\": \"Refund \u{202e}gpj.exe\u{200d}\",\n\"world\": {\"stores\": [{\"id\": \"w\"}], \"accounts\": [{\"id\": \"a\", \"stores\": [\"w\"]}], \"buyers\": [{\"id\": \"b\", \"accounts\": [\"a\"]}], \"carts\": [{\"id\": \"c\", \"name\": \"\u{2067}x\u{2069}\", \"store\": \"w\", \"buyer\": \"b\"}]}, \"steps\": []}\n",
    )
    .unwrap();
    let out = cartsim(&["upgrade", path.to_str().unwrap()]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    for c in stdout.chars() {
        assert!(
            c == '\n' || !cartsim::scenario::sanitize::is_unsafe(c),
            "{c:?} printed: {stdout}"
        );
    }
    assert!(stdout.contains("\\u202e"), "{stdout}");
    // The escapes are the same JSON: the upgraded file loads with the same title.
    let again = load_bytes("upgraded.json", stdout.as_bytes()).unwrap();
    let original = cartsim::scenario::load_file(&path).unwrap();
    assert_eq!(again.title, original.title);
    assert_eq!(
        again.world.carts().nth(0).unwrap().name,
        original.world.carts().nth(0).unwrap().name
    );
}
