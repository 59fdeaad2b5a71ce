//! `diagnose` on hostile and sloppy tickets: each defect found by fuzzing and by hand has
//! a test named after it. What `diagnose --open` shows can be saved with `w` and loaded
//! again, or the input is refused with a message naming the record.

mod common;

use cartsim::diagnose::{self, Input, Options};
use cartsim::player::playback::Playback;

fn input(name: &str, text: &str) -> Input {
    Input {
        name: name.to_string(),
        bytes: text.as_bytes().to_vec(),
    }
}

/// What `diagnose --open` then `w` writes, loaded back as `cartsim check` loads it.
fn open_save_load(inputs: &[Input]) -> Result<cartsim::scenario::Scenario, Vec<String>> {
    let options = Options::default();
    let (rebuilt, d) = diagnose::diagnose(inputs, &options, false)?;
    let scenario = diagnose::scenario(rebuilt.world, &d, options.edition);
    let text = serde_json::to_string_pretty(&Playback::new(scenario).export("saved")).unwrap();
    Ok(cartsim::scenario::load_bytes("saved.json", text.as_bytes())
        .unwrap_or_else(|e| panic!("the saved world does not load: {e}\n{text}")))
}

const CART: &str =
    "Id,Name,Status,OwnerId,AccountId,WebStoreId,TotalProductCount,TotalProductAmount\n";
const SESSIONS: &str =
    "Id,WebCartId,State,IsProcessing,IsError,BackgroundOperationId,CreatedDate\n";

fn cart(count: &str, amount: &str) -> Input {
    input(
        "cart.csv",
        &format!(
            "{CART}0a6Hs0000000201IAA,Cart,Checkout,005Hs0000002210IAA,001Hs0000004411IAA,0ZEHs0000007001OAA,{count},{amount}\n"
        ),
    )
}

#[test]
fn a_non_ascii_character_in_now_exits_2_without_echoing_escapes() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/tickets/failed-tax/csv"
    );
    for now in [
        "2026-11-25T14:03:1é",
        "2026-11-25T14:03:1\u{1b}[31m\u{202e}é",
    ] {
        let out = common::cartsim(&["diagnose", "--now", now, dir]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains("--now: ") && stderr.contains("is not a timestamp"),
            "{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(
            !stderr.contains('\u{1b}') && !stderr.contains('\u{202e}'),
            "{stderr:?}"
        );
    }
}

#[test]
fn a_session_without_is_archived_is_not_a_second_active_session() {
    let sessions = input(
        "sessions.csv",
        &format!(
            "{SESSIONS}2z9Hs0000000201IAA,0a6Hs0000000201IAA,Inventory,false,false,,2026-11-25T09:20:00.000+0000\n2z9Hs0000000202IAA,0a6Hs0000000201IAA,Start,false,false,,2026-11-25T09:31:00.000+0000\n"
        ),
    );
    let inputs = [cart("1", "10.00"), sessions];
    let (rebuilt, d) = diagnose::diagnose(&inputs, &Options::default(), false).unwrap();
    let active: Vec<_> = rebuilt
        .world
        .sessions()
        .iter()
        .filter(|s| !s.is_archived)
        .collect();
    assert_eq!(active.len(), 1);
    assert_eq!(
        active[0].id, "2z9Hs0000000202IAA",
        "the newest is the active one"
    );
    let cart = &d.carts[0];
    assert_eq!(
        cart.active_session.as_ref().unwrap().id,
        "2z9Hs0000000202IAA"
    );
    assert_eq!(
        cart.archived_sessions.len(),
        1,
        "the text diagnosis counts one archived"
    );
    assert!(
        d.missing
            .iter()
            .any(|m| m.contains("CartCheckoutSession.IsArchived")),
        "{:?}",
        d.missing
    );
    let loaded = open_save_load(&inputs).unwrap();
    assert_eq!(loaded.world.sessions().len(), 2);
}

#[test]
fn one_id_on_records_of_different_objects_is_refused() {
    let sessions = input(
        "sessions.csv",
        &format!(
            "{SESSIONS}0a6Hs0000000201IAA,0a6Hs0000000201IAA,Start,false,false,,2026-11-25T09:20:00.000+0000\n"
        ),
    );
    let e = diagnose::diagnose(&[cart("1", "1"), sessions], &Options::default(), false)
        .unwrap_err()
        .join("\n");
    assert!(
        e.contains("sessions.csv: record 1 (CartCheckoutSession 0a6Hs0000000201IAA): Id: 0a6Hs0000000201IAA is also the Id of a WebCart record"),
        "{e}"
    );
}

#[test]
fn a_validation_message_over_the_loaders_limit_is_refused_before_opening() {
    let long = "x".repeat(300);
    let validation = input(
        "validation.csv",
        &format!(
            "Id,CartId,Level,Type,Message,IsDismissed\n0a7Hs0000000101IAA,0a6Hs0000000201IAA,Error,Taxes,{long},false\n"
        ),
    );
    let e = open_save_load(&[cart("1", "1"), validation])
        .unwrap_err()
        .join("\n");
    assert!(
        e.contains("validation.csv: record 1 (CartValidationOutput 0a7Hs0000000101IAA): the rebuilt world cannot be saved as a scenario and opened again: message: expected a message of at most 255 characters"),
        "{e}"
    );
}

#[test]
fn a_negative_or_huge_amount_is_refused() {
    for amount in ["-5.00", "1e300", "99999999999.00", "12.345", "lots"] {
        let e = open_save_load(&[cart("2", amount)]).unwrap_err().join("\n");
        assert!(
            e.contains("cart.csv: record 1 (WebCart 0a6Hs0000000201IAA): TotalProductAmount:")
                && e.contains("is not an amount; expected a decimal from 0 to 1000000000.00"),
            "{amount}: {e}"
        );
    }
    for count in ["-1", "2.5", "1e300", "1000001"] {
        let e = open_save_load(&[cart(count, "1")]).unwrap_err().join("\n");
        assert!(e.contains("TotalProductCount:"), "{count}: {e}");
    }
    // What a spreadsheet writes in many countries is read, exactly.
    let loaded = open_save_load(&[cart("4", "\"1534,01\"")]).unwrap();
    let total: i128 = loaded
        .world
        .carts()
        .nth(0)
        .unwrap()
        .items
        .iter()
        .map(|i| {
            loaded
                .world
                .products()
                .iter()
                .find(|p| p.sku == i.sku)
                .unwrap()
                .price
                .cents()
                * i128::from(i.quantity)
        })
        .sum();
    assert_eq!(total, 153_401);
}

#[test]
fn a_huge_time_to_live_is_refused_instead_of_wrapping() {
    for ttl in ["1e300", "18446744073709551615", "2000000"] {
        let store = input(
            "store.csv",
            &format!("Id,Name,CheckoutTimeToLive\n0ZEHs0000007001OAA,Store,{ttl}\n"),
        );
        let e = open_save_load(&[cart("1", "1"), store])
            .unwrap_err()
            .join("\n");
        assert!(
            e.contains("store.csv: record 1 (WebStore 0ZEHs0000007001OAA): CheckoutTimeToLive:"),
            "{ttl}: {e}"
        );
    }
    let options = Options {
        ttl_minutes: Some(Some(u64::MAX)),
        ..Options::default()
    };
    let e = diagnose::diagnose(&[cart("1", "1")], &options, false).unwrap_err();
    assert!(e[0].starts_with("--ttl-minutes: "), "{e:?}");
    // The longest the clock holds is accepted, and saves.
    let store = input(
        "store.csv",
        "Id,Name,CheckoutTimeToLive\n0ZEHs0000007001OAA,Store,1000000\n",
    );
    let loaded = open_save_load(&[cart("1", "1"), store]).unwrap();
    assert_eq!(
        loaded.world.stores().nth(0).unwrap().settings.checkout_ttl,
        Some(1_000_000)
    );
}

#[test]
fn store_groups_of_stores_without_a_cart_do_not_make_an_unloadable_account() {
    let inputs = [
        cart("1", "1"),
        input(
            "buyer.csv",
            "Id,BuyerId,IsActive\n0ZMHs0000000001IAA,001Hs0000004411IAA,true\n",
        ),
        input(
            "members.csv",
            "Id,BuyerId,BuyerGroupId\n0ZNHs0000000001IAA,001Hs0000004411IAA,0ZGHs0000000001IAA\n",
        ),
        input(
            "stores.csv",
            "Id,WebStoreId,BuyerGroupId\n0ZXHs0000000001IAA,0ZEHs0000009999IAA,0ZGHs0000000001IAA\n0ZXHs0000000002IAA,0ZEHs0000007001OAA,0ZGHs0000000001IAA\n",
        ),
    ];
    let loaded = open_save_load(&inputs).unwrap();
    assert_eq!(
        loaded.world.accounts().nth(0).unwrap().stores,
        vec!["0ZEHs0000007001OAA"]
    );
}

#[test]
fn an_offset_of_99_hours_february_31_a_repeated_column_and_ids_of_the_wrong_object_are_refused() {
    let refused = |name: &str, text: &str| {
        diagnose::diagnose(&[input(name, text)], &Options::default(), false)
            .unwrap_err()
            .join("\n")
    };
    let e = refused(
        "s.csv",
        &format!(
            "{SESSIONS}2z9Hs0000000201IAA,0a6Hs0000000201IAA,Start,false,false,,2026-11-25T09:20:00.000+99:99\n"
        ),
    );
    assert!(
        e.contains("CreatedDate: \"2026-11-25T09:20:00.000+99:99\" is not a timestamp"),
        "{e}"
    );
    let e = refused(
        "s.csv",
        &format!(
            "{SESSIONS}2z9Hs0000000201IAA,0a6Hs0000000201IAA,Start,false,false,,2026-02-31T09:20:00.000+0000\n"
        ),
    );
    assert!(
        e.contains("CreatedDate: \"2026-02-31T09:20:00.000+0000\" is not a timestamp"),
        "{e}"
    );
    let e = refused(
        "s.csv",
        "Id,WebCartId,State,WebCartId\n2z9Hs0000000201IAA,0a6Hs0000000201IAA,Start,0a6Hs0000000202IAA\n",
    );
    assert!(
        e.contains("s.csv: line 1: the column WebCartId appears twice"),
        "{e}"
    );
    let e = refused(
        "s.csv",
        &format!(
            "{SESSIONS}2z9Hs0000000201IAA,005Hs0000002210IAA,Start,false,false,,2026-11-25T09:20:00.000+0000\n"
        ),
    );
    assert!(
        e.contains(
            "WebCartId: 005Hs0000002210IAA: expected the id of a WebCart (starting with 0a6)"
        ),
        "{e}"
    );
}

#[test]
fn a_utf16_export_from_excel_is_read() {
    let text = format!(
        "{}0a6Hs0000000201IAA\tCart\tCheckout\t005Hs0000002210IAA\t001Hs0000004411IAA\t0ZEHs0000007001OAA\t1\t1.00\r\n",
        CART.replace(',', "\t").replace('\n', "\r\n")
    );
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        bytes.extend(unit.to_le_bytes());
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cart.txt");
    std::fs::write(&path, bytes).unwrap();
    let out = common::cartsim(&["diagnose", path.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("0a6Hs0000000201IAA"), "{stdout}");
}

/// Every value of every field of a ticket's files, with the field's name.
fn every_value(dir: &std::path::Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let parsed = diagnose::records::parse("f", &bytes).unwrap();
        for r in &parsed.records {
            for field in r.field_names() {
                if let Some(v) = r.value(field) {
                    out.push((field.to_string(), v.to_string()));
                }
            }
        }
    }
    out
}

#[test]
fn anonymize_replaces_every_free_text_and_path() {
    use cartsim::diagnose::anonymize::KEPT_FIELDS;
    use cartsim::diagnose::rebuild::TIME_FIELDS;
    let tickets = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tickets");
    // What the fixtures' free texts hold, so the check below is known to look at them.
    let mut looked_at = Vec::new();
    for ticket in std::fs::read_dir(&tickets).unwrap() {
        for format in ["json", "csv"] {
            let dir = ticket.as_ref().unwrap().path().join(format);
            let dir_text = dir.to_str().unwrap();
            let mut output = String::new();
            for flag in [None, Some("--json")] {
                let mut args = vec!["diagnose", "--anonymize", dir_text];
                args.extend(flag);
                let out = common::cartsim(&args);
                assert_eq!(out.status.code(), Some(0), "{args:?}");
                output.push_str(&String::from_utf8_lossy(&out.stdout));
            }
            // And the scenario `diagnose --open --anonymize` saves with `w`.
            let inputs = cartsim::cli::diagnose::read_inputs(std::slice::from_ref(&dir)).unwrap();
            let (rebuilt, d) = diagnose::diagnose(&inputs, &Options::default(), true).unwrap();
            let scenario = diagnose::scenario(rebuilt.world, &d, cartsim::engine::Edition::Two);
            output.push_str(
                &serde_json::to_string_pretty(&Playback::new(scenario).export("saved")).unwrap(),
            );
            for input in &inputs {
                let file = std::path::Path::new(&input.name);
                let stem = file.file_name().unwrap().to_str().unwrap();
                assert!(
                    !output.contains(stem),
                    "{dir_text}: the file name {stem} survived"
                );
            }
            assert!(
                !output.contains("fixtures"),
                "{dir_text}: the path survived"
            );
            for (field, value) in every_value(&dir) {
                let kept = [KEPT_FIELDS, TIME_FIELDS]
                    .iter()
                    .any(|list| list.iter().any(|k| k.eq_ignore_ascii_case(&field)));
                // Salesforce's own checkout states and operation names are kept.
                let standard = ["State", "NextState", "Name"].contains(&field.as_str())
                    && [
                        cartsim::engine::flow::default_flow(),
                        cartsim::engine::flow::default_flow_v2(),
                    ]
                    .iter()
                    .flat_map(|f| f.iter())
                    .any(|s| {
                        s.state == value
                            || matches!(&s.kind, cartsim::engine::flow::StepKind::Async { operation, .. } if *operation == value)
                    });
                // So is the name cartsim gives an lwr store's calculation.
                let standard =
                    standard || (field == "Name" && value == cartsim::engine::rest::CART_CALCULATE);
                if kept || standard || value == "Complete" || value == "Error" {
                    continue;
                }
                looked_at.push(value.clone());
                // An id also in its 15-character form.
                let short = if value.len() == 18 {
                    &value[..15]
                } else {
                    &value[..]
                };
                // A short word ("Cart") is also the tool's own vocabulary: it is looked
                // for as a whole JSON string, where a kept name would be.
                let survived = if short.chars().count() < 6 {
                    output.contains(&format!("{short:?}"))
                } else {
                    output.contains(short)
                };
                assert!(
                    !survived,
                    "{dir_text}: {field} = {value:?} survived --anonymize"
                );
            }
        }
    }
    for sample in [
        "bob@acme.example",
        "https://tax.example.com/v2/quote",
        "Acme Parts B2B",
    ] {
        assert!(
            looked_at.iter().any(|v| v.contains(sample)),
            "the fixtures hold {sample:?}: {looked_at:?}"
        );
    }
}
