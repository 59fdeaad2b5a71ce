//! The command line keeps one rule: anywhere a FILE is taken, a built-in name works
//! (with or without `.json`), a folder means its `*.json` files and `-` means standard
//! input; `run` ends with a recap and counts scenarios and expectations separately.

mod common;

use common::cartsim;
use std::io::Write;
use std::process::{Command, Stdio};

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn with_stdin(args: &[&str], input: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cartsim"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn built_in_names_work_everywhere_with_or_without_json() {
    for name in ["02-cancel-mid-checkout", "02-cancel-mid-checkout.json"] {
        for cmd in ["run", "check"] {
            let out = cartsim(&[cmd, name]);
            assert_eq!(
                out.status.code(),
                Some(0),
                "{cmd} {name}: {}",
                text(&out.stderr)
            );
        }
        let out = cartsim(&["export", "--markdown", name]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    }
}

#[test]
fn a_misspelt_name_gets_a_suggestion() {
    let out = cartsim(&["check", "02-cancel-mid-chekout"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("did you mean 02-cancel-mid-checkout.json?"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn dash_reads_standard_input() {
    let scenario = include_str!("../scenarios/04-cancel-closed-cart.json");
    let out = with_stdin(&["check", "-"], scenario);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("<stdin>: ok"));
    let out = with_stdin(&["run", "--json", "-"], scenario);
    assert_eq!(out.status.code(), Some(0));
    let out = with_stdin(&["check", "-"], "{\"cartsim\": 1,");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).starts_with("<stdin>:1:"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn run_takes_a_folder_and_ends_with_a_recap_and_separate_counts() {
    let dir = tempfile::tempdir().unwrap();
    let good = include_str!("../scenarios/02-cancel-mid-checkout.json");
    std::fs::write(dir.path().join("a-good.json"), good).unwrap();
    let bad = good.replacen(
        "\"ccs-1.IsArchived\": true",
        "\"ccs-1.IsArchived\": false",
        1,
    );
    std::fs::write(dir.path().join("b-wrong.json"), bad).unwrap();
    std::fs::write(dir.path().join("c-broken.json"), "{").unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not a scenario").unwrap();
    let folder = dir.path().to_str().unwrap();
    let out = cartsim(&["run", folder]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{stdout}");
    assert!(
        stdout.contains("Expectations that did not hold (1):"),
        "{stdout}"
    );
    assert!(
        stdout.contains("b-wrong.json:")
            && stdout.contains(": step 3: ccs-1.IsArchived: expected false, found true"),
        "{stdout}"
    );
    assert!(stdout.contains("Files that did not load (1):"), "{stdout}");
    assert!(stdout.contains("c-broken.json:1:"), "{stdout}");
    assert!(
        stdout.ends_with(
            "3 scenarios: 1 passed, 1 failed, 1 not loaded; 34 expectations: 33 held, 1 failed\n"
        ),
        "{stdout}"
    );
    // --quiet: no transcript, the same recap and totals.
    let quiet = text(&cartsim(&["run", "--quiet", folder]).stdout);
    assert!(!quiet.contains("step 1 @ tick 0"), "{quiet}");
    assert!(quiet.ends_with("33 held, 1 failed\n"), "{quiet}");
}

#[test]
fn json_expectations_are_json_values() {
    let out = cartsim(&["run", "--json", "02-cancel-mid-checkout"]);
    let lines: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let archived = lines
        .iter()
        .find(|v| v["event"] == "expect" && v["path"] == "ccs-1.IsArchived")
        .unwrap();
    assert_eq!(archived["expected"], serde_json::json!(true));
    assert_eq!(archived["actual"], serde_json::json!(true));
    let status = lines
        .iter()
        .find(|v| v["event"] == "expect" && v["path"] == "cart-1.Status")
        .unwrap();
    assert_eq!(status["expected"], serde_json::json!("Checkout"));
}

#[test]
fn export_usage_names_one_of_its_formats() {
    let out = cartsim(&["export", "01-happy-path"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("<--markdown|--cast>"), "{stderr}");
    assert!(!stderr.contains("--cast <"), "{stderr}");
    let out = cartsim(&["export", "--markdown", "--cast", "01-happy-path"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_trainee_handout_has_no_answers() {
    let full = text(&cartsim(&["export", "--markdown", "06-cancel-needs-permission"]).stdout);
    let trainee = text(
        &cartsim(&[
            "export",
            "--markdown",
            "--trainee",
            "06-cancel-needs-permission",
        ])
        .stdout,
    );
    assert!(full.contains("## Answers"));
    assert!(!trainee.contains("## Answers"), "{trainee}");
    assert!(trainee.contains("**Predict:**"));
}

#[test]
fn completions_and_a_manual_page_are_generated_from_the_command_line() {
    for shell in ["bash", "zsh", "fish"] {
        let out = cartsim(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0));
        let script = text(&out.stdout);
        for sub in ["run", "check", "export", "play", "completions"] {
            assert!(script.contains(sub), "{shell}: {sub}");
        }
    }
    let man = text(&cartsim(&["man"]).stdout);
    assert!(man.contains(".TH cartsim 1"), "{man}");
    assert!(man.contains("export"), "{man}");
}

#[test]
fn amounts_print_with_two_places() {
    let out = text(&cartsim(&["run", "02-cancel-mid-checkout"]).stdout);
    assert!(
        out.contains("pass  cart-1.TotalProductAmount = 150.00\n"),
        "{out}"
    );
}
