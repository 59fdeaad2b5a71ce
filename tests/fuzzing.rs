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
