//! The README and the reference in `docs/` are part of the product: their tables must
//! say what the code does.

use cartsim::engine::flow::{StepKind, default_flow};

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

/// A page of the reference, `docs/NAME`.
fn doc(name: &str) -> String {
    std::fs::read_to_string(format!("{}/docs/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[test]
fn the_readme_starts_with_the_two_commands() {
    let text = readme();
    let first_block = text
        .split("```sh")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .unwrap();
    let commands: Vec<&str> = first_block
        .lines()
        .filter_map(|l| l.split('#').next())
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(commands, ["cargo run --release", "cargo test"]);
}

#[test]
fn the_rules_page_holds_the_rules_table_from_the_code() {
    assert!(
        doc("rules.md").contains(&cartsim::cli::rules_table::markdown()),
        "docs/rules.md's rules table differs from `cartsim rules`: paste the new output"
    );
}

#[test]
fn the_format_page_describes_the_default_flow_the_code_uses() {
    let text = doc("scenario-format.md");
    for (i, step) in default_flow().iter().enumerate() {
        let row = flow_row(i, step);
        assert!(
            text.contains(&row),
            "docs/scenario-format.md lacks the default flow row: {row}"
        );
    }
}

#[test]
fn the_format_page_describes_the_edition_2_default_flow_the_code_uses() {
    let text = doc("scenario-format.md");
    let section = text
        .split("### The default flow of format 2")
        .nth(1)
        .expect("docs/scenario-format.md has a section on the format 2 default flow");
    for (i, step) in cartsim::engine::flow::default_flow_v2().iter().enumerate() {
        let row = flow_row(i, step);
        assert!(
            section.contains(&row),
            "docs/scenario-format.md lacks the format 2 default flow row: {row}"
        );
    }
}

fn flow_row(i: usize, step: &cartsim::engine::flow::FlowStep) -> String {
    {
        match &step.kind {
            StepKind::Async { operation, ticks } => {
                format!(
                    "| {} | {} | asynchronous | {operation} | {ticks} |",
                    i + 1,
                    step.state
                )
            }
            StepKind::Buyer => format!("| {} | {} | buyer | - | - |", i + 1, step.state),
            StepKind::Sync => format!("| {} | {} | synchronous | - | - |", i + 1, step.state),
        }
    }
}

#[test]
fn the_format_page_example_is_a_valid_passing_scenario() {
    let text = doc("scenario-format.md");
    let example = text
        .split("```json\n")
        .nth(1)
        .and_then(|b| b.split("\n```").next())
        .unwrap();
    let scenario = cartsim::scenario::load_bytes("docs example", example.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    let reports = cartsim::player::play_headless(&scenario);
    assert!(reports.iter().all(|r| r.passed()));
    assert!(reports.iter().any(|r| !r.checks.is_empty()));
}

#[test]
fn the_format_page_lists_every_store_setting_with_its_defaults() {
    use cartsim::engine::Edition;
    use cartsim::engine::settings::SETTINGS;
    let text = doc("scenario-format.md");
    for setting in SETTINGS {
        let row = format!(
            "| `{}` | `{}` | `{}` |",
            setting.key,
            setting.default_in(Edition::One),
            setting.default_in(Edition::Two)
        );
        assert!(
            text.contains(&row),
            "docs/scenario-format.md's editions table has no row starting {row}"
        );
    }
}

/// The README's "Find the edge cases" shows a real run: the same command prints the same
/// text today, except the line of timings.
#[test]
fn the_readme_explore_run_is_what_the_command_prints() {
    let text = readme();
    let section = text
        .split("## Find the edge cases")
        .nth(1)
        .expect("README has a section \"Find the edge cases\"");
    let block = section
        .split("```console\n")
        .nth(1)
        .and_then(|b| b.split("\n```").next())
        .expect("the section shows a run");
    let (command, shown) = block.split_once('\n').unwrap();
    let args: Vec<&str> = command
        .strip_prefix("$ cartsim ")
        .expect("the block starts with the command")
        .split_whitespace()
        .collect();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cartsim"))
        .args(&args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let timeless = |t: &str| {
        t.lines()
            .filter(|l| !l.starts_with("  speed: "))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        timeless(&String::from_utf8_lossy(&out.stdout)),
        timeless(shown),
        "README.md's explore run differs from what `cartsim {command}` prints: paste the new output"
    );
}
