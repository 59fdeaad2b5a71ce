//! The fuzz harnesses of `fuzz/` (`cartsim::fuzzing`), run on stable Rust with generated
//! inputs, so that a regression is caught by `cargo test` without a nightly toolchain.
//! Inputs that once made a fuzzer fail are kept below as plain tests.

use cartsim::fuzzing;
use cartsim::scenario::builtin::BUILTIN;
use proptest::prelude::*;

/// A change to a file: overwrite, insert or remove a byte at a place.
#[derive(Debug, Clone)]
enum Edit {
    Set(usize, u8),
    Insert(usize, u8),
    Remove(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    // Bytes that matter to JSON and to the format, and any byte.
    let byte = prop_oneof![
        prop::sample::select(b"{}[]\",:0123456789.-eE \\tnu".to_vec()),
        any::<u8>(),
    ];
    prop_oneof![
        (any::<usize>(), byte.clone()).prop_map(|(at, b)| Edit::Set(at, b)),
        (any::<usize>(), byte).prop_map(|(at, b)| Edit::Insert(at, b)),
        any::<usize>().prop_map(Edit::Remove),
    ]
}

fn apply(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for e in edits {
        let len = bytes.len();
        match *e {
            Edit::Set(at, b) if len > 0 => bytes[at % len] = b,
            Edit::Insert(at, b) => bytes.insert(at % (len + 1), b),
            Edit::Remove(at) if len > 0 => {
                bytes.remove(at % len);
            }
            _ => {}
        }
    }
    bytes
}

/// A built-in scenario with a few bytes changed: mostly still JSON, often still loadable.
fn mutated_scenario() -> impl Strategy<Value = Vec<u8>> {
    (0..BUILTIN.len(), prop::collection::vec(edit(), 0..4))
        .prop_map(|(i, edits)| apply(BUILTIN[i].text.as_bytes().to_vec(), &edits))
}

/// A small world whose numbers are drawn at random, in every JSON notation.
fn numbers_scenario() -> impl Strategy<Value = Vec<u8>> {
    let number = prop_oneof![
        (0u64..2_000_000_000_000).prop_map(|c| format!("{}.{:02}", c / 100, c % 100)),
        (0u64..2_000_000, -4i32..20).prop_map(|(m, e)| format!("{m}e{e}")),
        any::<i64>().prop_map(|n| n.to_string()),
        "-?[0-9]{1,25}(\\.[0-9]{1,4})?([eE][+-]?[0-9]{1,3})?",
    ];
    (number.clone(), number.clone(), number).prop_map(|(price, quantity, expected)| {
        format!(
            r#"{{"cartsim": 2, "title": "numbers",
  "world": {{"stores": [{{"id": "w"}}], "accounts": [{{"id": "a", "stores": ["w"]}}],
    "buyers": [{{"id": "b", "accounts": ["a"]}}],
    "products": [{{"sku": "P", "price": {price}}}],
    "carts": [{{"id": "c", "store": "w", "buyer": "b"}}]}},
  "steps": [{{"do": "add_to_cart", "cart": "c", "sku": "P", "quantity": {quantity},
    "expect": {{"state": {{"c.TotalProductAmount": {expected}, "c.TotalProductCount": {expected}}}}}}}]}}"#
        )
        .into_bytes()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn the_loader_harness_holds_on_changed_curriculum_files(bytes in mutated_scenario()) {
        fuzzing::load(&bytes);
    }

    #[test]
    fn the_loader_harness_holds_on_any_numbers(bytes in numbers_scenario()) {
        fuzzing::load(&bytes);
    }

    #[test]
    fn the_loader_harness_holds_on_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        fuzzing::load(&bytes);
    }
}

/// A field's value: mostly one of the plausible `good` ones, now and then a `bad` one,
/// null or hostile text (a few in every hundred exports, so most exports open).
fn pick(
    good: &'static [&'static str],
    bad: &'static [&'static str],
) -> impl Strategy<Value = serde_json::Value> {
    let bad = if bad.is_empty() { good } else { bad };
    prop_oneof![
        300 => prop::sample::select(good).prop_map(serde_json::Value::from),
        2 => prop::sample::select(bad).prop_map(serde_json::Value::from),
        1 => Just(serde_json::Value::Null),
        1 => "[ -~\u{e9}\u{202e}\u{1b}]{0,12}".prop_map(serde_json::Value::from),
    ]
}

const CARTS: &[&str] = &["0a6Hs0000000201", "0a6Hs0000000202IAA", "0a6Hs0000000203"];
const SESSIONS: &[&str] = &[
    "2z9Hs0000000301",
    "2z9Hs0000000302",
    "2z9Hs0000000303IAA",
    "2z9Hs0000000304",
];
const OPERATIONS: &[&str] = &["0bOHs0000000101", "0bOHs0000000102", "0bOHs0000000103"];
const TIMES: &[&str] = &[
    "2026-11-25T09:20:00.000+0000",
    "2026-11-25T10:20:00Z",
    "2026-11-24T23:59:59.999+01:00",
    "2026-11-25T09:21:00.000+0000",
];
const BAD_TIMES: &[&str] = &[
    "2026-02-31T09:20:00.000+0000",
    "2026-11-25T09:20:00.000+99:99",
    "9999-12-31T23:59:59Z",
    "1970-01-01T00:00:00Z",
];

/// Fields of an object, each present or not.
fn fields(
    object: &'static str,
    list: Vec<(&'static str, BoxedStrategy<serde_json::Value>)>,
) -> impl Strategy<Value = fuzzing::Record> {
    let names: Vec<&'static str> = list.iter().map(|(n, _)| *n).collect();
    let values: Vec<_> = list
        .into_iter()
        .map(|(n, v)| {
            // The fields that tell a CSV file's object are always selected (an export
            // without them is refused, as the changed ticket files show); others often.
            let always = [
                "Id",
                "WebCartId",
                "WebStoreId",
                "Status",
                "SubmittedAt",
                "CartId",
                "CheckoutTimeToLive",
            ];
            if always.contains(&n) {
                v.prop_map(Some).boxed()
            } else {
                prop::option::weighted(0.8, v).boxed()
            }
        })
        .collect();
    values.prop_map(move |vals| {
        let fields = names
            .iter()
            .zip(vals)
            .filter_map(|(n, v)| v.map(|v| (n.to_string(), v)))
            .collect();
        (object, fields)
    })
}

/// Records of every object diagnose reads, with values that share ids across records.
fn records() -> impl Strategy<Value = Vec<fuzzing::Record>> {
    let cart = fields(
        "WebCart",
        vec![
            (
                "Id",
                pick(CARTS, &["2z9Hs0000000301", "0a6Hs00000002"]).boxed(),
            ),
            ("Name", pick(&["Cart", "Bob's cart", "x"], &[]).boxed()),
            (
                "Status",
                pick(
                    &["Active", "Checkout", "Closed", "PendingDelete"],
                    &["Stuck"],
                )
                .boxed(),
            ),
            (
                "OwnerId",
                pick(
                    &["005Hs0000002210", "00GHs0000002210"],
                    &["0a6Hs0000000201"],
                )
                .boxed(),
            ),
            (
                "AccountId",
                pick(
                    &["001Hs0000004411", "001Hs0000004412"],
                    &["0ZEHs0000007001"],
                )
                .boxed(),
            ),
            (
                "WebStoreId",
                pick(
                    &["0ZEHs0000007001", "0ZEHs0000007002"],
                    &["001Hs0000004411"],
                )
                .boxed(),
            ),
            (
                "TotalProductCount",
                pick(
                    &["0", "1", "12", "1000000"],
                    &["-1", "2.5", "1e300", "1000001"],
                )
                .boxed(),
            ),
            (
                "TotalProductAmount",
                pick(
                    &["10.00", "1534", "0.01", "1000000000.00", "7,50", "1.5e3"],
                    &["-5", "1e300", "12.345"],
                )
                .boxed(),
            ),
            ("CreatedDate", pick(TIMES, BAD_TIMES).boxed()),
        ],
    );
    let session = fields(
        "CartCheckoutSession",
        vec![
            ("Id", pick(SESSIONS, &["0a6Hs0000000201"]).boxed()),
            (
                "WebCartId",
                pick(CARTS, &["2z9Hs0000000301", "0a6Hs00000002"]).boxed(),
            ),
            (
                "State",
                pick(
                    &[
                        "Start",
                        "Inventory",
                        "Checkout Summary",
                        "Error",
                        "Complete",
                        "Custom State",
                    ],
                    &["A state name longer than thirty characters"],
                )
                .boxed(),
            ),
            (
                "NextState",
                pick(&["Confirm Price", "Payment And Billing Address"], &[]).boxed(),
            ),
            (
                "IsProcessing",
                pick(&["true", "false", "TRUE"], &["maybe"]).boxed(),
            ),
            (
                "IsError",
                pick(&["true", "false", "TRUE"], &["maybe"]).boxed(),
            ),
            (
                "IsArchived",
                pick(&["true", "false", "TRUE"], &["maybe"]).boxed(),
            ),
            (
                "BackgroundOperationId",
                pick(OPERATIONS, &["0bOHs0000000101XYZ"]).boxed(),
            ),
            (
                "OrderId",
                pick(&["801Hs0000005501"], &["0a6Hs0000000201"]).boxed(),
            ),
            ("CreatedDate", pick(TIMES, BAD_TIMES).boxed()),
        ],
    );
    let operation = fields(
        "BackgroundOperation",
        vec![
            ("Id", pick(OPERATIONS, &["0bOHs0000000101XYZ"]).boxed()),
            (
                "Name",
                pick(&["Calculate Cart Taxes", "Acme connector"], &[]).boxed(),
            ),
            (
                "Status",
                pick(
                    &["New", "Running", "Complete", "Error", "Canceled"],
                    &["Stuck"],
                )
                .boxed(),
            ),
            ("SubmittedAt", pick(TIMES, BAD_TIMES).boxed()),
            ("StartedAt", pick(TIMES, BAD_TIMES).boxed()),
            ("FinishedAt", pick(TIMES, BAD_TIMES).boxed()),
            ("ExpiresAt", pick(TIMES, BAD_TIMES).boxed()),
            (
                "Error",
                pick(
                    &["Read timed out calling https://tax.example.com", "x"],
                    &[],
                )
                .boxed(),
            ),
        ],
    );
    let long: &'static str = Box::leak("m".repeat(300).into_boxed_str());
    let messages: &'static [&'static str] =
        Box::leak(vec!["Out of stock", long].into_boxed_slice());
    let validation = fields(
        "CartValidationOutput",
        vec![
            (
                "Id",
                pick(
                    &["0a7Hs0000000101", "0a7Hs0000000102"],
                    &["0bOHs0000000101"],
                )
                .boxed(),
            ),
            (
                "CartId",
                pick(CARTS, &["2z9Hs0000000301", "0a6Hs00000002"]).boxed(),
            ),
            (
                "Level",
                pick(&["Error", "Info", "Warning"], &["Loud"]).boxed(),
            ),
            (
                "Type",
                pick(&["Taxes", "Inventory", "Other"], &["Vibes"]).boxed(),
            ),
            (
                "Message",
                pick(&["Out of stock", "We couldn't calculate tax."], messages).boxed(),
            ),
            (
                "IsDismissed",
                pick(&["true", "false", "TRUE"], &["maybe"]).boxed(),
            ),
        ],
    );
    let store = fields(
        "WebStore",
        vec![
            (
                "Id",
                pick(&["0ZEHs0000007001", "0ZEHs0000007002"], &[]).boxed(),
            ),
            ("Name", pick(&["Acme Parts B2B"], &[]).boxed()),
            (
                "CheckoutTimeToLive",
                pick(
                    &["2880", "0", "1000000"],
                    &["1e300", "1000001", "-1", "soon"],
                )
                .boxed(),
            ),
        ],
    );
    (
        prop::collection::vec(cart, 1..3),
        prop::collection::vec(session, 0..4),
        prop::collection::vec(operation, 0..3),
        prop::collection::vec(validation, 0..2),
        prop::collection::vec(store, 0..2),
    )
        .prop_map(|(a, b, c, d, e)| {
            // One record per id (a repeated id is its own, refused, case).
            let mut all = [a, b, c, d, e].concat();
            let mut seen = std::collections::HashSet::new();
            all.retain(|(_, fields)| {
                let id = fields
                    .iter()
                    .find(|(k, _)| k == "Id")
                    .map(|(_, v)| v.to_string());
                seen.insert(id)
            });
            all
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Whatever the export, `diagnose --open` then `w` saves a file that loads and
    /// replays, or diagnose refused the export with a message.
    #[test]
    fn the_diagnose_harness_holds_on_generated_exports(records in records(), json in any::<bool>()) {
        fuzzing::diagnose(&fuzzing::export(&records, json));
    }

    #[test]
    fn the_diagnose_harness_holds_on_changed_ticket_files(
        file in prop::sample::select(ticket_files()),
        edits in prop::collection::vec(edit(), 0..4),
    ) {
        fuzzing::diagnose(&apply(std::fs::read(file).unwrap(), &edits));
    }
}

/// Every file of the ticket fixtures.
fn ticket_files() -> Vec<std::path::PathBuf> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tickets");
    let mut out = Vec::new();
    for ticket in std::fs::read_dir(root).unwrap() {
        for format in ["json", "csv"] {
            for f in std::fs::read_dir(ticket.as_ref().unwrap().path().join(format)).unwrap() {
                out.push(f.unwrap().path());
            }
        }
    }
    out.sort();
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn the_key_harness_holds_on_any_keys(bytes in prop::collection::vec(any::<u8>(), 0..120)) {
        fuzzing::keys(&bytes);
    }

    /// Mostly the keys of the key table, with the clock moving: deeper into the UI.
    #[test]
    fn the_key_harness_holds_on_table_keys(bytes in prop::collection::vec(
        prop_oneof![4 => 0u8..49, 1 => 0xF0u8..=0xF8], 0..160)
    ) {
        fuzzing::keys(&bytes);
    }
}

/// The seed inputs of `fuzz/seeds/`, run as they are.
#[test]
fn the_seed_inputs_pass_the_harnesses() {
    let seeds = |target: &str| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fuzz/seeds")
            .join(target);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        assert!(!files.is_empty(), "{} has seeds", dir.display());
        files
            .into_iter()
            .map(|f| std::fs::read(f).unwrap())
            .collect::<Vec<_>>()
    };
    for input in seeds("load") {
        fuzzing::load(&input);
    }
    for input in seeds("keys") {
        fuzzing::keys(&input);
    }
    for input in seeds("diagnose_json")
        .into_iter()
        .chain(seeds("diagnose_csv"))
    {
        fuzzing::diagnose(&input);
    }
}

#[test]
fn events_decode_every_byte() {
    use fuzzing::Event;
    let events = fuzzing::events(&[0, 1, 0xF0, 0xF7, 0xF8, 10, 20, 0xF9, 0, 0x4E, 0x2D, 0xFA]);
    assert_eq!(events.len(), 7);
    assert!(matches!(events[2], Event::Wait(d) if d.as_millis() == 250));
    assert!(matches!(events[3], Event::Wait(d) if d.as_millis() == 2000));
    assert_eq!(events[4], Event::Resize(11, 21));
    assert!(matches!(events[5], Event::Key(k) if k.code == crossterm::event::KeyCode::Char('中')));
}
