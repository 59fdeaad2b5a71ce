//! The shipped examples of `cartsim serve` run against a server on an ephemeral port: the
//! curl blocks of the README and of docs/serve.md (as written, output compared), the
//! walkthrough script and the Postman collection. They need `curl` and `bash`.

use cartsim::scenario;
use cartsim::serve::{self, Config, Running, session::Time};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The example store, served with virtual time moved only by the control API.
fn serve_example_store() -> Running {
    let (s, raw) = scenario::load_file_with_raw(&root().join("examples/serve-store.json"))
        .expect("the example store loads");
    let config = Config {
        port: 0,
        time: Time::Manual,
        log: false,
        ..Config::default()
    };
    serve::spawn(&s, raw, config, false).expect("the server starts")
}

/// Each ```sh block of `text` and the ```text block right after it (its output).
fn examples(text: &str) -> Vec<(String, String)> {
    let mut blocks: Vec<(String, String)> = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let Some(lang) = line.strip_prefix("```") else {
            continue;
        };
        let mut body = String::new();
        for l in lines.by_ref() {
            if l.starts_with("```") {
                break;
            }
            body.push_str(l);
            body.push('\n');
        }
        blocks.push((lang.trim().to_string(), body));
    }
    blocks
        .windows(2)
        .filter(|w| w[0].0 == "sh" && w[1].0 == "text")
        .map(|w| (w[0].1.clone(), w[1].1.clone()))
        .collect()
}

const MARK: &str = "@@end-of-example@@";

/// Runs the examples in order in one shell (variables carry over, as in a terminal)
/// against a fresh server, and compares each one's output with the text after it.
fn run_examples(doc: &str, text: &str) {
    let examples = examples(text);
    assert!(
        !examples.is_empty(),
        "{doc} has no curl example with its output"
    );
    let server = serve_example_store();
    let mut script = String::from("set -e\n");
    for (sh, _) in &examples {
        script.push_str(sh);
        script.push_str(&format!("echo {MARK}\n"));
    }
    let out = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .env("CARTSIM_URL", format!("http://{}", server.addr))
        .output()
        .expect("bash runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{doc}: {}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    let outputs: Vec<&str> = stdout.split(&format!("{MARK}\n")).collect();
    for (i, (sh, expected)) in examples.iter().enumerate() {
        assert_eq!(
            outputs.get(i).copied(),
            Some(expected.as_str()),
            "{doc}: the output of\n{sh}"
        );
    }
    server.stop().unwrap();
}

#[test]
fn the_readme_curl_examples_run_as_written() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme
        .find("## Serve the checkout API")
        .expect("README has \"Serve the checkout API\"");
    let end = readme[start + 3..]
        .find("\n## ")
        .map_or(readme.len(), |e| start + 3 + e);
    run_examples("README.md", &readme[start..end]);
}

#[test]
fn the_curl_examples_of_docs_serve_run_as_written() {
    let doc = std::fs::read_to_string(root().join("docs/serve.md")).unwrap();
    run_examples("docs/serve.md", &doc);
}

#[test]
fn the_walkthrough_script_gets_every_status_it_expects() {
    let server = serve_example_store();
    let out = Command::new("bash")
        .arg(root().join("examples/serve-walkthrough.sh"))
        .env("CARTSIM_URL", format!("http://{}", server.addr))
        .output()
        .expect("bash runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    for status in ["< 409 ", "< 422 ", "< 412 ", "< 401 ", "< 201 "] {
        assert!(stdout.contains(status), "{status}: {stdout}");
    }
    assert!(stdout.ends_with("All answers were the expected ones.\n"));
    server.stop().unwrap();
}

/// Every request of a collection (folders flattened, in order).
fn requests(items: &[Value], out: &mut Vec<Value>) {
    for item in items {
        match item.get("item").and_then(Value::as_array) {
            Some(children) => requests(children, out),
            None => out.push(item.clone()),
        }
    }
}

/// `pm.response.to.have.status(202)` in an item's test script.
fn expected_status(item: &Value) -> u16 {
    let script = item["event"][0]["script"]["exec"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect::<String>();
    let at = script.find("have.status(").expect("a status check") + "have.status(".len();
    script[at..]
        .split(')')
        .next()
        .unwrap()
        .parse()
        .expect("a status number")
}

#[test]
fn the_postman_collection_runs_in_order_with_the_statuses_it_checks() {
    let path = root().join("examples/cartsim-serve.postman_collection.json");
    let collection: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let server = serve_example_store();
    let mut vars: Vec<(String, String)> = collection["variable"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["key"].as_str().unwrap().to_string(),
                v["value"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for (k, v) in &mut vars {
        if k == "baseUrl" {
            *v = format!("http://{}", server.addr);
        }
    }
    let fill = |text: &str| {
        vars.iter().fold(text.to_string(), |t, (k, v)| {
            t.replace(&format!("{{{{{k}}}}}"), v)
        })
    };
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut all = Vec::new();
    requests(collection["item"].as_array().unwrap(), &mut all);
    assert!(all.len() > 20);
    for item in &all {
        let request = &item["request"];
        let method = request["method"].as_str().unwrap();
        let url = fill(request["url"]["raw"].as_str().unwrap());
        assert!(
            !url.contains("{{"),
            "{url}: a variable the collection does not define"
        );
        let mut builder = ureq::http::Request::builder().method(method).uri(&url);
        for h in request["header"].as_array().unwrap() {
            builder = builder.header(
                h["key"].as_str().unwrap(),
                fill(h["value"].as_str().unwrap()),
            );
        }
        let body = request["body"]["raw"]
            .as_str()
            .map(fill)
            .unwrap_or_default();
        let response = agent
            .run(builder.body(body.into_bytes()).unwrap())
            .unwrap_or_else(|e| panic!("{url}: {e}"));
        assert_eq!(
            response.status().as_u16(),
            expected_status(item),
            "{}: {method} {url}",
            item["name"]
        );
    }
    server.stop().unwrap();
    assert!(Path::new(&path).exists());
}
