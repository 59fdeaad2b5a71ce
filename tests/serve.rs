//! `cartsim serve` driven by a real HTTP client (ureq) against a server started in this
//! process on an ephemeral loopback port, with virtual time moved only by the control API.

use cartsim::engine::rest::{PaymentOutcome, is_rest, request_body};
use cartsim::engine::{Action, Quantity};
use cartsim::player::play_headless;
use cartsim::scenario::{self, Scenario, format::RawScenario};
use cartsim::serve::{self, Config, Running, session::Time};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// An HTTP answer: status and body (`None` when empty).
#[derive(Debug)]
struct Reply {
    status: u16,
    body: Option<Value>,
}

/// A keep-alive client of one running server.
struct Client {
    agent: ureq::Agent,
    base: String,
    running: Option<Running>,
}

impl Client {
    fn start(scenario: &Scenario, raw: RawScenario, config: Config) -> Client {
        let running = serve::spawn(scenario, raw, config, false).expect("the server starts");
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        Client {
            agent,
            base: format!("http://{}", running.addr),
            running: Some(running),
        }
    }

    fn on_text(text: &str, config: Config) -> Client {
        let (s, raw) = scenario::load_with_raw("test.json", text.as_bytes()).expect("loads");
        Client::start(&s, raw, config)
    }

    fn send(&self, method: &str, path: &str, token: Option<&str>, body: Option<&Value>) -> Reply {
        self.raw(
            method,
            path,
            token,
            body.map(|b| b.to_string().into_bytes()),
        )
    }

    fn raw(&self, method: &str, path: &str, token: Option<&str>, body: Option<Vec<u8>>) -> Reply {
        let mut request = ureq::http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base));
        if let Some(t) = token {
            request = request.header("Authorization", format!("Bearer {t}"));
        }
        let result = match body {
            Some(b) => self.agent.run(
                request
                    .header("Content-Type", "application/json")
                    .body(b)
                    .unwrap(),
            ),
            None => self.agent.run(request.body(()).unwrap()),
        };
        let mut response = result.unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let status = response.status().as_u16();
        let text = response.body_mut().read_to_string().unwrap_or_default();
        let body = (!text.is_empty())
            .then(|| serde_json::from_str(&text).unwrap_or_else(|e| panic!("{text}: {e}")));
        Reply { status, body }
    }

    fn control(&self, path: &str, body: Value) -> Reply {
        self.send("POST", &format!("/cartsim/{path}"), None, Some(&body))
    }

    fn stop(mut self) {
        self.running
            .take()
            .unwrap()
            .stop()
            .expect("the server stops cleanly");
    }
}

fn manual() -> Config {
    Config {
        port: 0,
        time: Time::Manual,
        log: false,
        ..Config::default()
    }
}

const V: &str = "/services/data/v63.0";

/// An lwr store with a buyer (bob), a guest (gus), a second account bob may not act for
/// (other), and an aura store.
const WORLD: &str = r#"{
  "cartsim": 2, "title": "Serve test",
  "world": {
    "stores": [{"id": "west", "template": "lwr", "tax_rate": 0.1,
                "delivery_methods": [{"id": "ground", "name": "Ground", "price": 5}]},
               {"id": "east", "template": "aura"}],
    "accounts": [{"id": "acme", "stores": ["west", "east"]}, {"id": "other", "stores": ["west"]}],
    "buyers": [{"id": "bob", "accounts": ["acme"]}, {"id": "gus", "guest": true, "accounts": ["acme"]}],
    "products": [{"sku": "BOLT", "price": 2}],
    "carts": [{"id": "cart-1", "store": "west", "buyer": "bob", "items": [{"sku": "BOLT", "quantity": 5}]},
              {"id": "cart-g", "store": "west", "buyer": "gus", "items": [{"sku": "BOLT", "quantity": 1}]},
              {"id": "cart-a", "store": "east", "buyer": "bob", "items": [{"sku": "BOLT", "quantity": 1}]}]
  }
}"#;

fn checkouts(rest: &str) -> String {
    format!("{V}/commerce/webstores/west/checkouts{rest}")
}

fn scenario_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

/// Plays one scenario over HTTP, step by step beside `cartsim run`'s headless play, and
/// checks each answer against what the engine reported.
fn replay_over_http(scenario: &Scenario, raw: RawScenario) {
    let name = scenario.file.clone();
    let reports = play_headless(scenario);
    let client = Client::start(scenario, raw.clone(), manual());
    let mut world = scenario.world.clone();
    for (step, report) in scenario.steps.iter().zip(&reports) {
        let at = format!("{name} step {}", report.index + 1);
        let action = &step.action;
        let actor = action
            .cart()
            .and_then(|c| world.actor_for(c, action.actor()))
            .unwrap_or_default();
        let outcome = &report.outcome;
        if is_rest(action) {
            let line = outcome
                .request
                .as_deref()
                .expect("a REST call has a request line");
            let (method, path) = line.split_once(' ').unwrap();
            let mut body = request_body(action);
            if let Action::Pay {
                outcome: PaymentOutcome::Declined,
                ..
            } = action
            {
                body = Some(json!({ "requestType": "Auth", "paymentToken": "declined" }));
            }
            let reply = client.send(method, &format!("{V}{path}"), Some(&actor), body.as_ref());
            assert_eq!(Some(reply.status), outcome.http, "{at}: {line}");
            assert_eq!(reply.body, outcome.body, "{at}: {line}");
        } else if let Action::AddToCart {
            cart,
            sku,
            quantity,
            ..
        } = action
        {
            let store = &world.cart(cart).unwrap().store;
            let quantity = match quantity {
                Quantity::Whole(n) => json!(n),
                Quantity::Other(t) => json!(t),
            };
            let reply = client.send(
                "POST",
                &format!("{V}/commerce/webstores/{store}/carts/{cart}/cart-items"),
                Some(&actor),
                Some(&json!({ "productId": sku, "quantity": quantity, "type": "Product" })),
            );
            match &outcome.result {
                Ok(()) => assert_eq!(reply.status, 201, "{at}: {:?}", reply.body),
                Err(e) => {
                    assert_eq!(reply.status, e.http().unwrap_or(400), "{at}");
                    assert_eq!(reply.body.unwrap()[0]["errorCode"], e.code(), "{at}");
                }
            }
        } else if matches!(
            action,
            Action::StartCheckout { .. } | Action::Continue { .. } | Action::Cancel { .. }
        ) {
            let name = match action {
                Action::StartCheckout { .. } => "checkoutSessionAction",
                Action::Continue { .. } => "updateCheckoutSessionStateAction",
                _ => "cancelCartAsyncOperation",
            };
            let reply = client.send(
                "POST",
                &format!("{V}/actions/standard/{name}"),
                Some(&actor),
                Some(&json!({ "inputs": [{ "cartId": action.cart().unwrap() }] })),
            );
            let result = &reply.body.as_ref().unwrap()[0];
            match &outcome.result {
                Ok(()) => assert_eq!(
                    (reply.status, &result["isSuccess"]),
                    (200, &json!(true)),
                    "{at}"
                ),
                Err(e) => {
                    assert_eq!(reply.status, 400, "{at}");
                    assert_eq!(result["errors"][0]["statusCode"], e.code(), "{at}");
                }
            }
        } else {
            let step_json = serde_json::to_value(&raw.steps[report.index]).unwrap();
            let reply = client.control("step", step_json);
            let expected = match &outcome.result {
                Ok(()) => "ok",
                Err(e) => e.code(),
            };
            assert_eq!(reply.body.unwrap()["result"], expected, "{at}");
        }
        world.apply(action);
    }
    let state = client.send("GET", "/cartsim/state", None, None);
    assert_eq!(
        state.body.unwrap(),
        serve::session::state_json(&world),
        "{name}: the served world ends as the headless one"
    );
    client.stop();
}

/// Every REST scenario of the curriculum that loads plays over HTTP with the statuses and
/// bodies `cartsim run` reports. (That every file loads is `scenarios.rs`'s test.)
#[test]
fn every_rest_scenario_of_the_curriculum_replays_over_http() {
    let mut replayed = Vec::new();
    for file in scenario_files() {
        let Ok((s, raw)) = scenario::load_file_with_raw(&file) else {
            continue;
        };
        if !s.steps.iter().any(|st| is_rest(&st.action)) {
            continue;
        }
        replay_over_http(&s, raw);
        replayed.push(s.file.clone());
    }
    assert!(!replayed.is_empty(), "no REST scenario loaded");
    eprintln!("replayed over HTTP: {replayed:?}");
}

#[test]
fn a_guest_without_contact_is_refused_and_a_patch_with_it_lets_the_order_through() {
    let c = Client::on_text(WORLD, manual());
    assert_eq!(c.send("PUT", &checkouts(""), Some("gus"), None).status, 202);
    c.control("settle", json!({}));
    let address = json!({
        "deliveryAddress": {"street": "1 Main St", "city": "Springfield", "postalCode": "1", "country": "US"},
        "deliveryMethodId": "ground"
    });
    assert_eq!(
        c.send("PATCH", &checkouts("/active"), Some("gus"), Some(&address))
            .status,
        202
    );
    c.control("settle", json!({}));
    let paid = c.send(
        "POST",
        &checkouts("/active/payments"),
        Some("gus"),
        Some(&json!({"requestType": "Auth"})),
    );
    assert_eq!(paid.status, 200);
    let refused = c.send("POST", &checkouts("/active/orders"), Some("gus"), None);
    assert_eq!(refused.status, 412, "{:?}", refused.body);
    assert_eq!(refused.body.unwrap()[0]["errorCode"], "PRECONDITION_FAILED");
    let contact = json!({"contactInfo": {"email": "gus@example.com"}});
    assert_eq!(
        c.send("PATCH", &checkouts("/ccs-1"), Some("gus"), Some(&contact))
            .status,
        200
    );
    let placed = c.send("POST", &checkouts("/ccs-1/orders"), Some("gus"), None);
    assert_eq!(placed.status, 201, "{:?}", placed.body);
    assert_eq!(placed.body.unwrap()["orderReferenceNumber"], "orn-1");
    c.stop();
}

#[test]
fn two_overlapping_patches_give_one_202_and_one_409() {
    let c = Client::on_text(WORLD, manual());
    assert_eq!(c.send("PUT", &checkouts(""), Some("bob"), None).status, 202);
    c.control("settle", json!({}));
    let barrier = std::sync::Barrier::new(2);
    let body = json!({"deliveryAddress": {"street": "1 Main St", "country": "US"}});
    let mut statuses: Vec<u16> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..2)
            .map(|_| {
                s.spawn(|| {
                    barrier.wait();
                    c.send("PATCH", &checkouts("/active"), Some("bob"), Some(&body))
                        .status
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    statuses.sort();
    assert_eq!(statuses, vec![202, 409]);
    c.stop();
}

#[test]
fn the_manners_of_a_server() {
    let c = Client::on_text(WORLD, manual());
    let missing = c.send("GET", &checkouts("/active"), None, None);
    assert_eq!(missing.status, 401);
    assert_eq!(missing.body.unwrap()[0]["errorCode"], "INVALID_SESSION_ID");
    assert_eq!(
        c.send("GET", &checkouts("/active"), Some("nobody"), None)
            .status,
        401
    );
    let unknown = c.send(
        "GET",
        "/services/data/v63.0/sobjects/Account",
        Some("bob"),
        None,
    );
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.body.unwrap()[0]["errorCode"], "NOT_FOUND");
    let store = c.send(
        "PUT",
        &format!("{V}/commerce/webstores/nowhere/checkouts"),
        Some("bob"),
        None,
    );
    assert_eq!(store.status, 404);
    let wrong = c.send("GET", &checkouts(""), Some("bob"), None);
    assert_eq!(wrong.status, 405);
    assert_eq!(wrong.body.unwrap()[0]["errorCode"], "METHOD_NOT_ALLOWED");
    let malformed = c.raw(
        "PATCH",
        &checkouts("/active"),
        Some("bob"),
        Some(b"{\"deliveryMethodId\":".to_vec()),
    );
    assert_eq!(malformed.status, 400);
    assert_eq!(malformed.body.unwrap()[0]["errorCode"], "JSON_PARSER_ERROR");
    let shape = c.send(
        "PATCH",
        &checkouts("/active"),
        Some("bob"),
        Some(&json!({"deliveryAddress": 3})),
    );
    assert_eq!(shape.status, 400);
    let mut big = b"{\"deliveryMethodId\": \"".to_vec();
    big.extend(std::iter::repeat_n(b'x', serve::MAX_BODY));
    big.extend(b"\"}");
    let too_large = c.raw("PATCH", &checkouts("/active"), Some("bob"), Some(big));
    assert_eq!(too_large.status, 413);
    // POST created a checkout before API 57.0; PUT since.
    let post_new = c.send("POST", &checkouts(""), Some("bob"), None);
    assert_eq!(post_new.status, 405);
    let post_old = c.send(
        "POST",
        "/services/data/v56.0/commerce/webstores/west/checkouts",
        Some("bob"),
        None,
    );
    assert_eq!(post_old.status, 202);
    let bad_version = c.send(
        "GET",
        "/services/data/63/commerce/webstores/west/checkouts/active",
        Some("bob"),
        None,
    );
    assert_eq!(bad_version.status, 404);
    // Nothing refused before the engine changed the world: one checkout, from the POST.
    let state = c.send("GET", "/cartsim/state", None, None).body.unwrap();
    assert!(state["records"]["ccs-1"].is_object());
    assert!(state["records"]["ccs-2"].is_null());
    c.stop();
}

#[test]
fn a_token_given_for_a_buyer_replaces_its_id() {
    let config = Config {
        tokens: vec![("bob".into(), "s3cret".into())],
        ..manual()
    };
    let c = Client::on_text(WORLD, config);
    assert_eq!(c.send("PUT", &checkouts(""), Some("bob"), None).status, 401);
    assert_eq!(
        c.send("PUT", &checkouts(""), Some("s3cret"), None).status,
        202
    );
    // Other buyers keep their id as token.
    assert_eq!(c.send("PUT", &checkouts(""), Some("gus"), None).status, 202);
    c.stop();
}

#[test]
fn the_file_maps_tokens_to_buyers_and_the_command_line_overrides_it() {
    let world = WORLD.replace(
        r#"{"id": "bob", "accounts": ["acme"]}"#,
        r#"{"id": "bob", "accounts": ["acme"], "token": "bobs-token"}"#,
    );
    assert_ne!(world, WORLD, "the fixture names bob as expected");
    let c = Client::on_text(&world, manual());
    let unknown = c.send("PUT", &checkouts(""), Some("bob"), None);
    assert_eq!(unknown.status, 401);
    assert_eq!(unknown.body.unwrap()[0]["errorCode"], "INVALID_SESSION_ID");
    assert_eq!(
        c.send("PUT", &checkouts(""), Some("bobs-token"), None)
            .status,
        202
    );
    c.stop();
    let config = Config {
        tokens: vec![("bob".into(), "s3cret".into())],
        ..manual()
    };
    let c = Client::on_text(&world, config);
    assert_eq!(
        c.send("PUT", &checkouts(""), Some("bobs-token"), None)
            .status,
        401
    );
    assert_eq!(
        c.send("PUT", &checkouts(""), Some("s3cret"), None).status,
        202
    );
    c.stop();
}

#[test]
fn effective_account_id_switches_the_buyers_account_first() {
    let c = Client::on_text(WORLD, manual());
    let unknown = c.send(
        "PUT",
        &checkouts("?effectiveAccountId=nope"),
        Some("bob"),
        None,
    );
    assert_eq!(unknown.status, 400);
    assert_eq!(unknown.body.unwrap()[0]["errorCode"], "INVALID_ID_FIELD");
    // bob may not act for "other": the engine refuses as the platform does.
    let refused = c.send(
        "PUT",
        &checkouts("?effectiveAccountId=other"),
        Some("bob"),
        None,
    );
    assert_eq!(refused.status, 400, "{:?}", refused.body);
    assert_eq!(refused.body.unwrap()[0]["errorCode"], "BAD_REQUEST");
    let ok = c.send(
        "PUT",
        &checkouts("?effectiveAccountId=acme"),
        Some("bob"),
        None,
    );
    assert_eq!(ok.status, 202, "{:?}", ok.body);
    c.stop();
}

#[test]
fn cart_items_are_added_and_listed() {
    let c = Client::on_text(WORLD, manual());
    let path = format!("{V}/commerce/webstores/west/carts/active/cart-items");
    let added = c.send(
        "POST",
        &path,
        Some("bob"),
        Some(&json!({"productId": "BOLT", "quantity": "3", "type": "Product"})),
    );
    assert_eq!(added.status, 201, "{:?}", added.body);
    assert_eq!(added.body.unwrap()["quantity"], "8");
    let listed = c.send("GET", &path, Some("bob"), None).body.unwrap();
    assert_eq!(listed["cartItems"][0]["cartItem"]["productId"], "BOLT");
    assert_eq!(listed["cartSummary"]["totalProductCount"], "8");
    let other = c.send(
        "GET",
        &format!("{V}/commerce/webstores/west/carts/cart-9/cart-items"),
        Some("bob"),
        None,
    );
    assert_eq!(other.status, 404);
    c.stop();
}

#[test]
fn aura_flow_actions_are_invocable_and_cart_to_order_is_refused() {
    let c = Client::on_text(WORLD, manual());
    let input = json!({"inputs": [{"cartId": "cart-a"}]});
    let started = c.send(
        "POST",
        &format!("{V}/actions/standard/checkoutSessionAction"),
        Some("bob"),
        Some(&input),
    );
    assert_eq!(started.status, 200, "{:?}", started.body);
    let out = &started.body.unwrap()[0];
    assert_eq!(out["isSuccess"], true);
    assert_eq!(out["outputValues"]["Id"], "ccs-1");
    let cancel = c.send(
        "POST",
        &format!("{V}/actions/standard/cancelCartAsyncOperation"),
        Some("bob"),
        Some(&input),
    );
    assert_eq!(cancel.status, 200, "{:?}", cancel.body);
    let refused = c.send(
        "POST",
        &format!("{V}/actions/standard/cartToOrderAction"),
        Some("bob"),
        Some(&input),
    );
    assert_eq!(refused.status, 400);
    assert_eq!(refused.body.unwrap()[0]["errorCode"], "NOT_SUPPORTED");
    let unknown = c.send(
        "POST",
        &format!("{V}/actions/standard/doesNotExist"),
        Some("bob"),
        Some(&input),
    );
    assert_eq!(unknown.status, 404);
    // A REST call on an aura cart is refused by the engine.
    let rest = c.send(
        "PUT",
        &format!("{V}/commerce/webstores/east/checkouts"),
        Some("bob"),
        None,
    );
    assert_eq!(rest.status, 400, "{:?}", rest.body);
    c.stop();
}

#[test]
fn the_control_api_moves_time_fails_operations_and_resets() {
    let c = Client::on_text(WORLD, manual());
    assert_eq!(c.send("PUT", &checkouts(""), Some("bob"), None).status, 202);
    let advanced = c.control("advance", json!({"ticks": 1}));
    assert_eq!(advanced.body.unwrap()["tick"], 1);
    let failed = c.control("fail", json!({"cart": "cart-1", "message": "Only 3 left"}));
    assert_eq!(failed.status, 200, "{:?}", failed.body);
    c.control("settle", json!({}));
    let poll = c.send("GET", &checkouts("/active"), Some("bob"), None);
    assert_eq!(poll.status, 422);
    assert_eq!(poll.body.unwrap()["errors"][0]["detail"], "Only 3 left");
    let bad = c.control(
        "step",
        json!({"do": "grant", "buyer": "nobody", "permission": "checkout"}),
    );
    assert_eq!(bad.status, 400, "{:?}", bad.body);
    let armed = c.control(
        "custom-update",
        json!({"cart": "cart-1", "during": "next_call"}),
    );
    assert_eq!(armed.status, 200);
    let conflict = c.send(
        "PATCH",
        &checkouts("/active"),
        Some("bob"),
        Some(&json!({"deliveryMethodId": "ground"})),
    );
    assert_eq!(conflict.status, 409);
    c.control("reset", json!({}));
    let state = c.send("GET", "/cartsim/state", None, None).body.unwrap();
    assert_eq!(state["tick"], 0);
    assert!(state["records"]["ccs-1"].is_null());
    c.stop();
}

#[test]
fn from_k_plays_the_first_steps_before_serving() {
    let text = WORLD.replace(
        "\n}",
        r#", "steps": [{"do": "checkout_start", "cart": "cart-1"}, {"do": "settle"}]}"#,
    );
    let c = Client::on_text(
        &text,
        Config {
            from: 2,
            ..manual()
        },
    );
    let poll = c.send("GET", &checkouts("/ccs-1"), Some("bob"), None);
    assert_eq!(poll.status, 200, "{:?}", poll.body);
    c.stop();
}

#[test]
fn the_record_replays_with_cartsim_run_and_leaves_out_what_the_engine_never_saw() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("session.json");
    let text = WORLD.replace("\n}", r#", "steps": [{"do": "wait", "ticks": 2}]}"#);
    let config = Config {
        record: Some(out.clone()),
        from: 1,
        ..manual()
    };
    let c = Client::on_text(&text, config);
    assert_eq!(c.send("PUT", &checkouts(""), Some("bob"), None).status, 202);
    assert_eq!(c.send("GET", &checkouts("/active"), None, None).status, 401);
    assert_eq!(
        c.raw(
            "PATCH",
            &checkouts("/active"),
            Some("bob"),
            Some(b"{".to_vec())
        )
        .status,
        400
    );
    let patch = json!({"deliveryAddress": {"street": "1 Main St", "country": "US"}});
    assert_eq!(
        c.send("PATCH", &checkouts("/active"), Some("bob"), Some(&patch))
            .status,
        409
    );
    c.control("settle", json!({}));
    assert_eq!(
        c.send("PATCH", &checkouts("/active"), Some("bob"), Some(&patch))
            .status,
        202
    );
    c.stop();
    let (recorded, raw) = scenario::load_file_with_raw(&out).expect("the record loads");
    let kinds: Vec<&str> = recorded.steps.iter().map(|s| s.kind).collect();
    assert_eq!(
        kinds,
        [
            "wait",
            "checkout_start",
            "checkout_update",
            "settle",
            "checkout_update"
        ]
    );
    assert_eq!(raw.steps[2].expect.as_ref().unwrap().http, Some(409));
    let reports = play_headless(&recorded);
    assert!(reports.iter().all(|r| r.passed()), "{reports:#?}");
    assert!(reports.iter().all(|r| !r.checks.is_empty() || r.index == 0));
}

/// `cartsim serve` as a user starts it: prints its address, logs each request, and on
/// SIGTERM stops with exit status 0 after writing the complete record.
#[cfg(unix)]
#[test]
fn the_binary_prints_its_address_logs_requests_and_stops_cleanly_on_sigterm() {
    use std::io::{BufRead, BufReader, Read};
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let world = dir.path().join("world.json");
    std::fs::write(&world, WORLD).unwrap();
    let out = dir.path().join("rec.json");
    let mut child = Command::new(env!("CARGO_BIN_EXE_cartsim"))
        .args(["serve", "--port", "0", "--manual-time", "--record"])
        .arg(&out)
        .arg(&world)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    assert!(addr.starts_with("127.0.0.1:"), "{line}");
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let reply = agent
        .put(format!(
            "http://{addr}{V}/commerce/webstores/west/checkouts"
        ))
        .header("Authorization", "Bearer bob")
        .send_empty()
        .unwrap();
    assert_eq!(reply.status().as_u16(), 202);
    // SAFETY: kill(2) with the id of a child this test started and has not reaped.
    let sent = unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
    assert_eq!(sent, 0);
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(
        stderr.contains("PUT /services/data/v63.0/commerce/webstores/west/checkouts 202 "),
        "{stderr}"
    );
    let recorded = scenario::load_file(&out).expect("the record is complete and loads");
    assert_eq!(recorded.steps.len(), 1);
    assert!(play_headless(&recorded).iter().all(|r| r.passed()));
}

/// `--ui`: the terminal UI replays what the server applies, so it shows the served world,
/// and its log lists each call with its status and body.
#[test]
fn a_watching_ui_shows_the_served_world_and_each_call() {
    use cartsim::tui::app::{App, Msg};
    use cartsim::tui::theme::Theme;
    use ratatui::{Terminal, backend::TestBackend};
    let (s, raw) = scenario::load_with_raw("test.json", WORLD.as_bytes()).unwrap();
    let (feed, events) = std::sync::mpsc::channel();
    let config = Config {
        feed: Some(feed),
        ..manual()
    };
    let c = Client::start(&s, raw, config);
    let mut app = App::new(vec![s.clone()], Theme::MONO);
    assert_eq!(c.send("PUT", &checkouts(""), Some("bob"), None).status, 202);
    assert_eq!(
        c.send(
            "PATCH",
            &checkouts("/active"),
            Some("bob"),
            Some(&json!({"deliveryMethodId": "ground"}))
        )
        .status,
        409
    );
    c.control("settle", json!({}));
    let served = c.send("GET", "/cartsim/state", None, None).body.unwrap();
    for live in events.try_iter() {
        let _ = app.update(Msg::Live(live));
    }
    assert_eq!(serve::session::state_json(app.world().unwrap()), served);
    app.now = std::time::Duration::from_secs(60);
    let mut terminal = Terminal::new(TestBackend::new(160, 48)).unwrap();
    terminal
        .draw(|f| cartsim::tui::view::draw(f, &app))
        .unwrap();
    let screen = terminal.backend().to_string();
    assert!(
        screen.contains("PATCH /commerce/webstores/west/checkouts/ccs-1 -> 409 Conflict"),
        "{screen}"
    );
    assert!(
        screen.contains(r#"body [{"errorCode":"CHECKOUT_CONFLICT""#),
        "{screen}"
    );
    // A client's refusal is in the log, not in a popup over the view.
    assert!(!screen.contains("┌ Refused"), "{screen}");
    // A reset puts the UI back at the start too.
    c.control("reset", json!({}));
    for live in events.try_iter() {
        let _ = app.update(Msg::Live(live));
    }
    assert!(app.world().unwrap().sessions().is_empty());
    c.stop();
}

/// Listening beyond loopback is said out loud.
#[cfg(unix)]
#[test]
fn a_bind_address_that_is_not_loopback_prints_a_warning() {
    use std::io::{BufRead, BufReader, Read};
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let world = dir.path().join("world.json");
    std::fs::write(&world, WORLD).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_cartsim"))
        .args(["serve", "--bind", "0.0.0.0", "--port", "0", "--manual-time"])
        .arg(&world)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(line.contains("listening on http://0.0.0.0:"), "{line}");
    // SAFETY: kill(2) with the id of a child this test started and has not reaped.
    assert_eq!(
        unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) },
        0
    );
    assert!(child.wait().unwrap().success());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(
        stderr.contains("warning: listening on 0.0.0.0, not a loopback address"),
        "{stderr}"
    );
}

/// An existing --record file is not replaced without --force, and the server says so
/// before it starts rather than when it stops.
#[test]
fn an_existing_record_file_is_refused_before_serving() {
    let dir = tempfile::tempdir().unwrap();
    let world = dir.path().join("world.json");
    std::fs::write(&world, WORLD).unwrap();
    let out = dir.path().join("rec.json");
    std::fs::write(&out, "keep me").unwrap();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_cartsim"))
        .args(["serve", "--port", "0", "--record"])
        .arg(&out)
        .arg(&world)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("exists; not overwritten"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me");
}

#[test]
fn a_token_with_a_space_or_shared_by_two_buyers_is_a_load_error() {
    for (bob, gus, why) in [
        (r#""token": "a b""#, r#""token": "g""#, "one word"),
        (r#""token": "same""#, r#""token": "same""#, "another buyer"),
    ] {
        let world = WORLD
            .replace(
                r#"{"id": "bob", "accounts": ["acme"]}"#,
                &format!(r#"{{"id": "bob", "accounts": ["acme"], {bob}}}"#),
            )
            .replace(
                r#"{"id": "gus", "guest": true, "accounts": ["acme"]}"#,
                &format!(r#"{{"id": "gus", "guest": true, "accounts": ["acme"], {gus}}}"#),
            );
        let e = scenario::load_bytes("t.json", world.as_bytes())
            .expect_err("refused")
            .to_string();
        assert!(e.contains(".token") && e.contains(why), "{e}");
    }
}
