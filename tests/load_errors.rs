//! Bad scenario files give the promised messages: file, line, column, JSON path and
//! what was expected. Never a panic.

use cartsim::scenario::load::load_unplayed;
use cartsim::scenario::{LoadError, load_bytes, load_with_raw};

fn error(text: &str) -> LoadError {
    match load_bytes("bad.json", text.as_bytes()) {
        Ok(_) => panic!("expected a load error for:\n{text}"),
        Err(e) => e,
    }
}

const WORLD: &str = r#""world": {
    "stores": [{"id": "west"}],
    "accounts": [{"id": "acme", "stores": ["west"]}],
    "buyers": [{"id": "bob", "accounts": ["acme"]}],
    "products": [{"sku": "BOLT", "price": 1.25}],
    "carts": [{"id": "cart-1", "store": "west", "buyer": "bob"}]
  }"#;

#[test]
fn a_syntax_error_names_its_line_and_column() {
    let text =
        format!("{{\n  \"cartsim\": 1,\n  \"title\": \"t\",\n  {WORLD},\n  \"steps\": [}}\n");
    let e = error(&text);
    let line = text
        .lines()
        .position(|l| l.contains("\"steps\": [}"))
        .unwrap()
        + 1;
    assert_eq!(e.position.map(|p| p.line), Some(line));
    let shown = e.to_string();
    assert!(shown.starts_with(&format!("bad.json:{line}:")), "{shown}");
    assert!(shown.contains("JSON syntax"), "{shown}");
}

#[test]
fn a_syntax_error_on_line_5_is_reported_as_file_5_column() {
    let text = "{\n\"cartsim\": 1,\n\"title\": \"t\",\n\"world\": {},\n\"steps\": [,]\n}";
    let e = error(text);
    assert!(e.to_string().starts_with("bad.json:5:"), "{e}");
}

#[test]
fn an_unknown_key_is_named_with_its_path_and_the_keys_expected() {
    let text = format!(
        "{{\"cartsim\": 1, \"title\": \"t\", {WORLD},\n \"steps\": [{{\"do\": \"cancel\", \"cart\": \"cart-1\", \"nite\": \"typo\"}}]}}"
    );
    let e = error(&text);
    assert_eq!(e.path.as_deref(), Some("steps[0].nite"));
    assert!(e.message.contains("unknown key `nite`"), "{e}");
    assert!(e.message.contains("`note`"), "lists the expected keys: {e}");
    let p = e.position.unwrap();
    assert_eq!((p.line, p.column), (8, 47), "{e}");
}

#[test]
fn an_unknown_reference_names_the_path_and_the_ids_that_exist() {
    let text = format!(
        "{{\"cartsim\": 1, \"title\": \"t\", {WORLD},\n \"steps\": [{{\"do\": \"cancel\", \"cart\": \"cart-9\"}}]}}"
    );
    let e = error(&text);
    assert_eq!(e.path.as_deref(), Some("steps[0].cart"));
    assert!(e.message.contains("no cart has the id cart-9"), "{e}");
    assert!(e.message.contains("expected one of: cart-1"), "{e}");
    assert_eq!(e.position.map(|p| (p.line, p.column)), Some((8, 37)));
}

#[test]
fn references_inside_the_world_are_checked_too() {
    let text = r#"{"cartsim": 1, "title": "t", "world": {"stores": [{"id": "w"}],
      "accounts": [{"id": "a", "stores": ["w", "east"]}]}}"#;
    let e = error(text);
    assert_eq!(e.path.as_deref(), Some("world.accounts[0].stores[1]"));
    assert!(e.message.contains("no store has the id east"), "{e}");
}

#[test]
fn a_wrong_version_names_the_versions_this_build_reads() {
    let e = error(r#"{"cartsim": 3, "title": "t", "world": {}, "future_key": true}"#);
    assert_eq!(e.path.as_deref(), Some("cartsim"));
    assert!(e.message.contains("format version 3"), "{e}");
    assert!(
        e.message.contains("the versions this build reads: 1, 2"),
        "{e}"
    );
    let e = error(r#"{"title": "t", "world": {}}"#);
    assert!(e.message.contains("missing key `cartsim`"), "{e}");
}

#[test]
fn an_unknown_field_in_an_expectation_is_an_error_in_the_file() {
    let text = format!(
        "{{\"cartsim\": 1, \"title\": \"t\", {WORLD},\n \"steps\": [{{\"do\": \"start_checkout\", \"cart\": \"cart-1\",\n  \"expect\": {{\"state\": {{\"cart-1.Satus\": \"Checkout\"}}}}}}]}}"
    );
    let e = error(&text);
    assert_eq!(
        e.path.as_deref(),
        Some("steps[0].expect.state.cart-1.Satus")
    );
    assert!(e.message.contains("Satus is not a field"), "{e}");
    assert!(
        e.message.contains("Status"),
        "names the fields expected: {e}"
    );
    assert_eq!(e.position.map(|p| p.line), Some(9));
}

#[test]
fn an_expectation_on_a_field_of_the_wrong_record_kind_is_an_error_in_the_file() {
    let text = format!(
        "{{\"cartsim\": 1, \"title\": \"t\", {WORLD},\n \"steps\": [{{\"do\": \"start_checkout\", \"cart\": \"cart-1\",\n  \"expect\": {{\"state\": {{\"cart-1.IsArchived\": false, \"ccs-7.State\": \"x\"}}}}}}]}}"
    );
    let e = error(&text);
    assert!(
        e.message
            .contains("cart-1 is a WebCart and has no field IsArchived"),
        "{e}"
    );
    let text = text.replace("\"cart-1.IsArchived\": false, ", "");
    let e = error(&text);
    assert!(
        e.message
            .contains("no WebCart, CartCheckoutSession, BackgroundOperation, CartValidationOutput, CartDeliveryGroup or PaymentAuthorization has the id ccs-7"),
        "{e}"
    );
    assert!(
        e.message.contains("ccs-1"),
        "lists the records that exist then: {e}"
    );
}

#[test]
fn wrong_values_name_what_was_expected() {
    let cases = [
        (
            r#""status": "Open""#,
            "is not a WebCart.Status; expected one of: Active, Checkout",
        ),
        (
            r#""status": 3"#,
            "invalid type: integer `3`, expected a string",
        ),
    ];
    for (cart_extra, wanted) in cases {
        let text = WORLD.replace(
            r#""buyer": "bob"}"#,
            &format!(r#""buyer": "bob", {cart_extra}}}"#),
        );
        let e = error(&format!("{{\"cartsim\": 1, \"title\": \"t\", {text}}}"));
        assert!(e.message.contains(wanted), "{e}");
        assert_eq!(e.path.as_deref(), Some("world.carts[0].status"));
    }
    let e = error(&format!(
        "{{\"cartsim\": 1, \"title\": \"t\", {}}}",
        WORLD.replace("1.25", "1.255")
    ));
    assert!(e.message.contains("at most two places"), "{e}");
    let e = error(&format!(
        "{{\"cartsim\": 1, \"title\": \"t\", {WORLD}, \"steps\": [{{\"do\": \"cancel\", \"cart\": \"cart-1\", \"expect\": {{\"result\": \"INVALID_OPERATON\"}}}}]}}"
    ));
    assert!(
        e.message
            .contains("expected \"ok\", \"error\" or an error code"),
        "{e}"
    );
}

#[test]
fn step_keys_must_fit_the_step_kind() {
    let e = error(&format!(
        "{{\"cartsim\": 1, \"title\": \"t\", {WORLD}, \"steps\": [{{\"do\": \"cancel\", \"cart\": \"cart-1\", \"sku\": \"BOLT\"}}]}}"
    ));
    assert_eq!(e.path.as_deref(), Some("steps[0].sku"));
    assert!(e.message.contains("`cancel` steps do not use `sku`"), "{e}");
    let e = error(&format!(
        "{{\"cartsim\": 1, \"title\": \"t\", {WORLD}, \"steps\": [{{\"do\": \"add_to_cart\", \"cart\": \"cart-1\"}}]}}"
    ));
    assert!(e.message.contains("`add_to_cart` steps need `sku`"), "{e}");
    let e = error(&format!(
        "{{\"cartsim\": 1, \"title\": \"t\", {WORLD}, \"steps\": [{{\"do\": \"checkout\"}}]}}"
    ));
    assert!(
        e.message
            .contains("\"checkout\" is not a step kind; expected one of: start_checkout"),
        "{e}"
    );
}

#[test]
fn duplicate_ids_and_keys_are_refused() {
    let e = error(&format!(
        "{{\"cartsim\": 1, \"title\": \"t\", {}}}",
        WORLD.replace(r#"{"id": "acme""#, r#"{"id": "west""#)
    ));
    assert!(
        e.message
            .contains("id west is already used at world.stores[0].id"),
        "{e}"
    );
    let e = error(r#"{"cartsim": 1, "title": "t", "title": "u", "world": {}}"#);
    assert!(e.message.contains("appears twice"), "{e}");
}

#[test]
fn hostile_input_gives_errors_not_panics() {
    let deep = "[".repeat(100_000);
    let inputs: Vec<Vec<u8>> = vec![
        Vec::new(),
        b"\xff\xfe\x00garbage".to_vec(),
        deep.into_bytes(),
        b"{\"cartsim\": 1e999}".to_vec(),
        b"{\"cartsim\": 1, \"title\": \"t\", \"world\": {}, \"steps\": [{\"do\": \"wait\", \"ticks\": 184467440737095516150}]}".to_vec(),
        b"{\"cartsim\": 1, \"title\": \"t\", \"world\": {}, \"steps\": [{\"do\": \"wait\", \"ticks\": -1}]}".to_vec(),
        b"null".to_vec(),
        b"[1, 2]".to_vec(),
        "{\"cartsim\": 1, \"title\": \"\u{1b}[2J\", \"world\": {\"stores\": [{\"id\": \"w\u{1b}\"}]}}".as_bytes().to_vec(),
    ];
    for input in inputs {
        let e = load_bytes("hostile.json", &input).expect_err("must not load");
        let shown = e.to_string();
        assert!(shown.starts_with("hostile.json:"), "{shown}");
        assert!(
            !shown.chars().any(|c| c.is_control()),
            "control characters leak: {shown:?}"
        );
    }
}

#[test]
fn text_from_a_file_is_sanitized_on_load() {
    let s = load_bytes(
        "ok.json",
        "{\"cartsim\": 1, \"title\": \"Evil\\u001b]0;pwned\\u0007\", \"summary\": \"a\\nb\\u001b[31m\", \"world\": {}}".as_bytes(),
    )
    .unwrap();
    assert!(!s.title.chars().any(|c| c.is_control()), "{:?}", s.title);
    let summary = s.summary.unwrap();
    assert!(summary.contains('\n'));
    assert!(
        !summary.chars().any(|c| c.is_control() && c != '\n'),
        "{summary:?}"
    );
}

#[test]
fn a_wrong_number_is_quoted_with_the_range_expected() {
    let wait = |ticks: &str| {
        error(&format!(
            "{{\"cartsim\": 1, \"title\": \"t\", \"world\": {{}}, \"steps\": [{{\"do\": \"wait\", \"ticks\": {ticks}}}]}}"
        ))
    };
    for (ticks, quoted) in [
        ("-1", "integer `-1`"),
        ("1.5", "floating point `1.5`"),
        ("184467440737095516150", "integer `184467440737095516150`"),
    ] {
        let e = wait(ticks);
        assert_eq!(e.path.as_deref(), Some("steps[0].ticks"));
        assert!(
            e.message.contains(&format!(
                "invalid value: {quoted}, expected a whole number from 0 to 18446744073709551615"
            )),
            "{e}"
        );
    }
    let e = error(
        r#"{"cartsim": 1, "title": "t", "world": {}, "steps": [{"do": "settle", "expect": {"result": "BAD_REQUEST", "http": 70000}}]}"#,
    );
    assert!(
        e.message
            .contains("invalid value: integer `70000`, expected a whole number from 0 to 65535"),
        "{e}"
    );
}

/// A file whose store is `store` (one line, so that positions are easy to check).
fn with_store(store: &str) -> String {
    format!(
        "{{\"cartsim\": 2, \"title\": \"t\", \"world\": {{\n\"stores\": [{store}],\n\"accounts\": [], \"buyers\": [], \"products\": [], \"carts\": []}},\n\"steps\": []}}"
    )
}

#[test]
fn a_wrong_value_of_each_new_store_setting_names_the_values_it_takes() {
    for (key, value, expected) in [
        ("checkout_expiry", "\"lazy\"", "\"on_return\", \"eager\""),
        ("place_order", "\"v3\"", "\"v1\", \"v2\""),
        (
            "cart_cleanup",
            "\"cancel\"",
            "\"simplified\", \"cancel_checkout\"",
        ),
        ("checkout_valid_after", "2000000", "from 0 to 1000000"),
        ("tax_rate", "0.08255", "at most four places"),
        ("tax_rate", "1.5", "from 0 to 1"),
        ("tax_rate", "-0.1", "from 0 to 1"),
    ] {
        let store = format!("{{\"id\": \"west\", \"{key}\": {value}}}");
        let e = error(&with_store(&store));
        assert_eq!(
            e.path.as_deref(),
            Some(&*format!("world.stores[0].{key}")),
            "{e}"
        );
        assert!(e.message.contains(expected), "{key}: {e}");
        let p = e.position.unwrap();
        let column = store.find(value).unwrap() + "\"stores\": [".len() + 1;
        assert_eq!((p.line, p.column), (2, column), "{key}: {e}");
    }
}

#[test]
fn a_tax_rate_that_is_not_a_number_is_refused() {
    let e = error(&with_store(r#"{"id": "west", "tax_rate": "0.08"}"#));
    assert_eq!(e.path.as_deref(), Some("world.stores[0].tax_rate"), "{e}");
    assert!(e.to_string().starts_with("bad.json:2:"), "{e}");
}

#[test]
fn delivery_methods_need_unique_ids_and_exact_prices() {
    let e = error(&with_store(
        r#"{"id": "west", "delivery_methods": [{"id": "Ground", "price": 10}, {"id": "Ground", "price": 12}]}"#,
    ));
    assert_eq!(
        e.path.as_deref(),
        Some("world.stores[0].delivery_methods[1].id"),
        "{e}"
    );
    assert!(e.message.contains("appears twice"), "{e}");
    assert!(e.to_string().starts_with("bad.json:2:"), "{e}");
    let e = error(&with_store(
        r#"{"id": "west", "delivery_methods": [{"id": "Ground", "price": 10.005}]}"#,
    ));
    assert_eq!(
        e.path.as_deref(),
        Some("world.stores[0].delivery_methods[0].price"),
        "{e}"
    );
    assert!(e.message.contains("at most two places"), "{e}");
    let e = error(&with_store(
        r#"{"id": "west", "delivery_methods": [{"id": "Ground", "price": -1}]}"#,
    ));
    assert!(e.message.contains("from 0"), "{e}");
    let e = error(&with_store(
        r#"{"id": "west", "delivery_methods": [{"id": " ", "price": 1}]}"#,
    ));
    assert_eq!(
        e.path.as_deref(),
        Some("world.stores[0].delivery_methods[0].id"),
        "{e}"
    );
}

/// The step messages that the step-kind table words: a kind in the wrong kind of store,
/// and a PATCH that changes nothing.
#[test]
fn a_step_for_the_other_store_kind_names_the_steps_that_kind_takes() {
    let aura = format!(
        "{{\"cartsim\": 1, \"title\": \"t\", {WORLD},\n \"steps\": [{{\"do\": \"pay\", \"cart\": \"cart-1\", \"outcome\": \"authorized\"}}]}}"
    );
    assert_eq!(
        error(&aura).message,
        "`pay` is a call of the REST checkout API, which only lwr stores make; cart-1 is in store west, whose template is aura; expected a cart of a store with \"template\": \"lwr\" (an aura store checks out with start_checkout and continue)"
    );
    let lwr_world = WORLD.replace(r#"{"id": "west"}"#, r#"{"id": "west", "template": "lwr"}"#);
    let lwr = |step: &str| {
        format!("{{\"cartsim\": 2, \"title\": \"t\", {lwr_world},\n \"steps\": [{step}]}}")
    };
    assert_eq!(
        error(&lwr(r#"{"do": "continue", "cart": "cart-1"}"#)).message,
        "`continue` is a checkout flow action, and cart-1 is in store west, an lwr store, which runs no checkout flow; expected the REST steps (checkout_start, checkout_poll, checkout_update, checkout_delete, pay, place_order) or a cart of an aura store"
    );
    assert_eq!(
        error(&lwr(r#"{"do": "checkout_update", "cart": "cart-1"}"#)).message,
        "`checkout_update` steps (PATCH) change something; expected at least one of `shipping_address`, `delivery_method`, `contact`"
    );
}

/// The error `load_bytes` gives, after checking that the loaders that read the file
/// whole (`load_with_raw`) and that defer the dry run (`load_unplayed`) give the same.
fn same_error(text: &str) -> LoadError {
    let e = error(text);
    let whole = load_with_raw("bad.json", text.as_bytes()).map(|_| ());
    assert_eq!(whole, Err(e.clone()), "load_with_raw differs for:\n{text}");
    if let Err(unplayed) = load_unplayed("bad.json", text.as_bytes()) {
        assert_eq!(unplayed, e, "load_unplayed differs for:\n{text}");
    }
    e
}

#[test]
fn a_type_error_in_a_later_step_wins_over_a_wrong_reference_in_an_earlier_one() {
    // The steps are read one at a time; a refused step is reported only once every
    // later step has been read, as when the file was read whole before any check.
    let text = format!(
        "{{\"cartsim\": 1, \"title\": \"t\", {WORLD},\n \"steps\": [{{\"do\": \"cancel\", \"cart\": \"cart-9\"}},\n  {{\"do\": \"wait\", \"ticks\": \"two\"}}]}}"
    );
    let e = same_error(&text);
    assert_eq!(e.path.as_deref(), Some("steps[1].ticks"), "{e}");
    // Without the type error, the reference is the error.
    let text = text.replace("\"two\"", "2");
    let e = same_error(&text);
    assert_eq!(e.path.as_deref(), Some("steps[0].cart"), "{e}");
}

#[test]
fn a_type_error_after_the_steps_wins_over_a_refused_step_or_world() {
    let text = format!(
        "{{\"cartsim\": 1, \"title\": \"t\", {WORLD},\n \"steps\": [{{\"do\": \"cancel\", \"cart\": \"cart-9\"}}],\n \"explore\": {{\"depth\": \"deep\"}}}}"
    );
    assert_eq!(same_error(&text).path.as_deref(), Some("explore.depth"));
    let text = text.replace("\"buyer\": \"bob\"", "\"buyer\": \"nobody\"");
    assert_eq!(same_error(&text).path.as_deref(), Some("explore.depth"));
    let text = text.replace("\"deep\"", "3");
    assert_eq!(
        same_error(&text).path.as_deref(),
        Some("world.carts[0].buyer")
    );
}

#[test]
fn a_type_error_in_a_step_wins_over_a_refused_world() {
    let text = format!(
        "{{\"cartsim\": 1, \"title\": \" \", {WORLD},\n \"steps\": [{{\"do\": \"settle\", \"ticks\": 1}}, {{\"do\": 7}}]}}"
    );
    assert_eq!(same_error(&text).path.as_deref(), Some("steps[1].do"));
    let text = text.replace(", {\"do\": 7}", "");
    assert_eq!(same_error(&text).path.as_deref(), Some("title"));
}

#[test]
fn steps_before_the_world_or_written_with_escapes_load_alike() {
    let steps = r#""st\u0065ps": [{"do": "cancel", "cart": "cart-1", "expect": {"result": "error"}},
  {"do": "cancel", "cart": "cart-2"}]"#;
    let text = format!("{{\"cartsim\": 1, {steps}, \"title\": \"t\", {WORLD}}}");
    let e = same_error(&text);
    assert_eq!(e.path.as_deref(), Some("steps[1].cart"), "{e}");
    let p = e.position.unwrap();
    assert_eq!((p.line, p.column), (2, 28), "{e}");
    let text = text.replace("cart-2", "cart-1");
    let (whole, _) = load_with_raw("ok.json", text.as_bytes()).expect("loads");
    let streamed = load_bytes("ok.json", text.as_bytes()).expect("loads");
    assert_eq!(streamed.steps.len(), 2);
    assert_eq!(
        format!("{:?}", streamed.steps),
        format!("{:?}", whole.steps)
    );
}

#[test]
fn steps_that_are_not_a_list_are_named_as_when_read_whole() {
    for steps in ["null", "{}", "5", "[1]", "[{\"do\": \"settle\"}, []]"] {
        let text = format!("{{\"cartsim\": 1, \"title\": \"t\", {WORLD}, \"steps\": {steps}}}");
        let e = same_error(&text);
        assert!(e.path.as_deref().unwrap_or("").starts_with("steps"), "{e}");
    }
}

#[test]
fn a_value_nested_to_the_parser_limit_in_a_step_is_judged_as_when_read_whole() {
    // serde_json refuses nesting past 128 levels, counted from the top of the file:
    // a step read on its own must not be granted the levels above it.
    let mut loaded = Vec::new();
    for depth in [120, 122, 123, 124, 125, 126, 127, 130] {
        let body = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
        let text = format!(
            "{{\"cartsim\": 1, \"title\": \"t\", {WORLD}, \"steps\": [{{\"do\": \"settle\", \"expect\": {{\"body\": {body}}}}}]}}"
        );
        let whole = load_with_raw("deep.json", text.as_bytes()).map(|_| ());
        let streamed = load_bytes("deep.json", text.as_bytes()).map(|_| ());
        assert_eq!(streamed, whole, "nested {depth} deep");
        loaded.push(whole.is_ok());
    }
    assert!(
        loaded.contains(&true) && loaded.contains(&false),
        "{loaded:?}"
    );
}
