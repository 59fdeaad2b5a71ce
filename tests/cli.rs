//! The command line contract: transcripts, exit codes 0/1/2, positions in errors.

mod common;

use common::cartsim;

use std::path::{Path, PathBuf};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn temp_file(name: &str, contents: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cartsim-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

#[test]
fn run_passes_a_good_file_and_prints_a_readable_transcript() {
    let out = cartsim(&["run", "scenarios/02-cancel-mid-checkout.json"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains("step 3 @ tick 3: cancel cart-1 as bob"),
        "{stdout}"
    );
    assert!(
        stdout.contains("cart-1.Status: Checkout -> Active  (Cancel Cart Async Operation unlocks the cart) [documented]"),
        "{stdout}"
    );
    assert!(
        stdout.contains("pass  bop-2.Status = \"Canceled\""),
        "{stdout}"
    );
    assert!(
        stdout.contains("\n0 failed") || stdout.contains(", 0 failed"),
        "{stdout}"
    );
}

#[test]
fn a_wrong_expectation_exits_1_naming_step_path_expected_and_found() {
    let good = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/02-cancel-mid-checkout.json"),
    )
    .unwrap();
    let bad = good.replacen(
        "\"ccs-1.IsArchived\": true",
        "\"ccs-1.IsArchived\": false",
        1,
    );
    assert_ne!(good, bad);
    let path = temp_file("wrong.json", &bad);
    let out = cartsim(&["run", path.to_str().unwrap()]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("FAIL  ccs-1.IsArchived: expected false, found true"),
        "{stdout}"
    );
    assert!(stdout.contains("at step 3 ("), "{stdout}");
    assert!(stdout.contains("1 failed"), "{stdout}");
}

#[test]
fn a_refusal_is_shown_with_code_http_message_and_requirement() {
    let out = cartsim(&["run", "scenarios/04-cancel-closed-cart.json"]);
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("error INVALID_OPERATION 403: cart-1 is Closed"),
        "{stdout}"
    );
    assert!(
        stdout.contains("failed requirement 4: the cart status is not Closed [documented"),
        "{stdout}"
    );
}

#[test]
fn check_reports_a_syntax_error_as_file_line_column_and_exits_2() {
    let path = temp_file(
        "syntax.json",
        "{\n  \"cartsim\": 1,\n  \"title\": \"t\",\n  \"world\": {},\n  \"steps\": [,]\n}\n",
    );
    let shown = path.display().to_string();
    let out = cartsim(&["check", &shown]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.starts_with(&format!("{shown}:5:")), "{stderr}");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("backtrace"),
        "{stderr}"
    );
    // run gives the same error and exit 2
    let out = cartsim(&["run", &shown]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn check_accepts_every_curriculum_file() {
    let mut args = vec!["check".to_string()];
    for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")).unwrap()
    {
        args.push(entry.unwrap().path().display().to_string());
    }
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = cartsim(&refs);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn missing_files_exit_2_with_a_message_and_folders_mean_their_json_files() {
    let out = cartsim(&["check", "no/such/file.json", "scenarios"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("no/such/file.json: no such file, and no built-in scenario"),
        "{stderr}"
    );
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("scenarios/01-happy-path.json: ok"),
        "{stdout}"
    );
}

#[test]
fn transcripts_are_deterministic() {
    let a = cartsim(&[
        "run",
        "scenarios/01-happy-path.json",
        "scenarios/03-add-to-cart-cancels-checkout.json",
    ]);
    let b = cartsim(&[
        "run",
        "scenarios/01-happy-path.json",
        "scenarios/03-add-to-cart-cancels-checkout.json",
    ]);
    assert_eq!(a.stdout, b.stdout);
    assert!(!a.stdout.is_empty());
}

#[test]
fn json_output_is_one_object_per_event() {
    let out = cartsim(&["run", "--json", "scenarios/04-cancel-closed-cart.json"]);
    assert_eq!(out.status.code(), Some(0));
    let events: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert_eq!(events.first().unwrap()["event"], "scenario");
    assert_eq!(events.last().unwrap()["event"], "summary");
    let refusal = events
        .iter()
        .find(|e| e["event"] == "result" && e["ok"] == false)
        .expect("the closed-cart cancel is refused");
    assert_eq!(refusal["code"], "INVALID_OPERATION");
    assert_eq!(refusal["http"], 403);
    assert_eq!(refusal["origin"], "documented");
    let change = events.iter().find(|e| e["event"] == "change").unwrap();
    for key in ["record", "field", "old", "new", "cause", "source"] {
        assert!(change.get(key).is_some(), "change events carry {key}");
    }
}

#[test]
fn json_output_reports_a_file_that_cannot_be_loaded() {
    let path = temp_file("broken.json", "{\n  \"cartsim\": 1,\n  oops\n}");
    let out = cartsim(&[
        "run",
        "--json",
        path.to_str().unwrap(),
        "scenarios/04-cancel-closed-cart.json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let first: serde_json::Value =
        serde_json::from_str(text(&out.stdout).lines().next().unwrap()).unwrap();
    assert_eq!(first["event"], "load_error");
    assert_eq!(first["line"], 3);
    assert!(first["message"].as_str().unwrap().contains("JSON syntax"));
    // The other file still plays.
    assert!(text(&out.stdout).contains("\"event\":\"summary\""));
}

#[test]
fn help_describes_every_command() {
    let out = cartsim(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = text(&out.stdout);
    for word in ["run", "check", "play", "Cancel Cart Async Operation"] {
        assert!(help.contains(word), "--help lacks {word}:\n{help}");
    }
    let out = cartsim(&["run", "--help"]);
    let help = text(&out.stdout);
    assert!(
        help.contains("--json") && help.contains("Exit status"),
        "{help}"
    );
}

#[test]
fn cartsim_dir_opens_the_ui_on_a_folder_and_names_a_bad_file() {
    // Without a terminal the UI refuses to start, after loading the folder: a good
    // folder gets that message, a folder with a broken file gets the file's error.
    let out = cartsim(&["scenarios"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("the terminal UI needs a terminal"),
        "{}",
        text(&out.stderr)
    );
    let dir = std::env::temp_dir().join(format!("cartsim-dir-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("broken.json"), "{").unwrap();
    let out = cartsim(&[dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("broken.json"),
        "{}",
        text(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_mistyped_command_is_suggested_and_a_number_names_a_built_in_file() {
    let out = cartsim(&["plya"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("did you mean the command `cartsim play`?"),
        "{}",
        text(&out.stderr)
    );
    let out = cartsim(&["run", "48", "--quiet"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("1 scenario: 1 passed"));
    let out = cartsim(&["check", "048"]);
    assert!(text(&out.stdout).starts_with("48-aura-vs-lwr.json: ok"));
}

#[test]
fn every_command_has_a_manual_page_with_environment_and_files() {
    for command in [
        None,
        Some("run"),
        Some("play"),
        Some("export"),
        Some("diagnose"),
        Some("check"),
    ] {
        let args: Vec<&str> = std::iter::once("man").chain(command).collect();
        let out = cartsim(&args);
        let page = text(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        let name = command.map_or("cartsim".to_string(), |c| format!("cartsim\\-{c}"));
        assert!(page.contains(&format!(".SH NAME\n{name} ")), "{page}");
        assert!(page.contains(".SH ENVIRONMENT") && page.contains("NO_COLOR"));
        assert!(page.contains(".SH FILES") && page.contains("config.toml"));
    }
    let out = cartsim(&["man", "plya"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_trainee_recording_is_refused_with_a_reason() {
    let out = cartsim(&["export", "--cast", "--trainee", "29", "-o", "/dev/null"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("would show the answers"));
}

#[test]
fn a_handout_names_each_store_kind_and_a_trainee_one_keeps_quiz_notes_back() {
    let out = cartsim(&["export", "--markdown", "48"]);
    let md = text(&out.stdout);
    assert!(
        md.contains("(east), an **Aura** store: checkout runs as a flow"),
        "{md}"
    );
    assert!(
        md.contains("(west), an **LWR** store: the storefront calls the Connect REST checkout API"),
        "{md}"
    );
    let west = md.lines().find(|l| l.contains("(west)")).unwrap();
    assert!(
        !west.contains("checkout flow"),
        "an LWR store has no flow: {west}"
    );
    let s = common::builtin("48-");
    let trainee = text(&cartsim(&["export", "--markdown", "--trainee", "48"]).stdout);
    for step in s.steps.iter().filter(|st| st.quiz().is_some()) {
        let note = step.note().unwrap();
        let first = note
            .split_whitespace()
            .take(6)
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            md.contains(&first),
            "the full handout has the note: {first}"
        );
        assert!(
            !trainee.contains(&first),
            "the trainee handout keeps it back: {first}"
        );
    }
}
