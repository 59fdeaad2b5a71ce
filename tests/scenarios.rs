//! Every file in `scenarios/` is a regression test: it must load and every expectation
//! must hold. The built-in list must be exactly the folder's files.

use cartsim::player::play_headless;
use cartsim::scenario::{builtin::BUILTIN, load_file};
use std::path::Path;

fn scenario_files() -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("scenarios/ exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_scenario_file_passes() {
    let files = scenario_files();
    assert!(files.len() >= 4, "the curriculum is missing");
    let mut failures = Vec::new();
    for file in &files {
        let scenario = load_file(file).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            scenario.summary.is_some(),
            "{}: every curriculum file has a summary",
            file.display()
        );
        let expectations: usize = scenario
            .steps
            .iter()
            .filter_map(|s| s.expect())
            .map(|e| e.state.len() + e.result.iter().count())
            .sum();
        assert!(
            expectations > 0,
            "{}: a curriculum file must test something",
            file.display()
        );
        for report in play_headless(&scenario) {
            for check in report.checks.iter().filter(|c| !c.passed) {
                failures.push(format!(
                    "{} step {}: {} expected {}, found {}",
                    file.display(),
                    report.index + 1,
                    check.path,
                    check.expected,
                    check.actual
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_built_in_scenarios_are_the_files_of_the_folder() {
    let on_disk: Vec<String> = scenario_files()
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    let built_in: Vec<&str> = BUILTIN.iter().map(|b| b.name).collect();
    assert_eq!(built_in, on_disk);
    for (b, path) in BUILTIN.iter().zip(scenario_files()) {
        assert_eq!(
            b.text,
            std::fs::read_to_string(path).unwrap(),
            "{} is stale",
            b.name
        );
    }
}
