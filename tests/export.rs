//! `cartsim export --markdown`: the handout's structure and content, and file safety.

mod common;

use common::cartsim;

#[test]
fn the_handout_tells_the_story_step_by_step_with_changes_and_rules() {
    let out = cartsim(&["export", "--markdown", "scenarios/14-calculator-error.json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = String::from_utf8(out.stdout).unwrap();
    let scenario = cartsim::scenario::load_file(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/14-calculator-error.json"
    )))
    .unwrap();
    assert!(md.starts_with(&format!("# {}\n", scenario.title)));
    for heading in [
        "## The world at the start",
        "## What happens",
        "## Answers",
        "## Rules cited",
    ] {
        assert!(md.contains(heading), "missing {heading}");
    }
    for (i, step) in scenario.steps.iter().enumerate() {
        assert!(
            md.contains(&format!("**Step {}** (tick ", i + 1)),
            "step {} missing",
            i + 1
        );
        if let Some(marker) = step.marker() {
            assert!(
                md.contains(&format!("### {marker}")),
                "chapter {marker} missing"
            );
        }
        if let Some(quiz) = step.quiz() {
            assert!(md.contains("> **Predict:**"));
            assert!(md.contains(&format!("- Step {}: **{}.", i + 1, quiz.answer + 1)));
        }
    }
    assert!(
        md.contains(
            "`bop-2.Status: Running -> Error  (the background operation ended in Error) [scenario]`"
        ),
        "{md}"
    );
    assert!(
        md.contains("Result: **refused**, `STATE_MISMATCH 409"),
        "{md}"
    );
    assert!(md.contains("Cancel Cart Async Operation archives the CartCheckoutSession: documented (help.salesforce.com"));
    assert!(md.contains("refuses with `STATE_MISMATCH 409` when this fails"));
}

#[test]
fn built_in_scenarios_export_by_name_and_outputs_are_never_overwritten_silently() {
    let dir = std::env::temp_dir().join(format!("cartsim-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let target = dir.join("handout.md");
    let target_s = target.to_str().unwrap();
    let _ = std::fs::remove_file(&target);
    let export = |extra: &[&str]| {
        let mut args = vec![
            "export",
            "--markdown",
            "04-cancel-closed-cart",
            "-o",
            target_s,
        ];
        args.extend_from_slice(extra);
        cartsim(&args)
    };
    let out = export(&[]);
    assert_eq!(out.status.code(), Some(0));
    let first = std::fs::read_to_string(&target).unwrap();
    assert!(first.contains("`INVALID_OPERATION 403"));
    std::fs::write(&target, "mine").unwrap();
    let out = export(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not overwritten"));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "mine");
    let out = export(&["--force"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), first);
}

#[test]
fn list_prints_every_built_in_scenario() {
    let out = cartsim(&["list"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    for b in cartsim::scenario::builtin::BUILTIN {
        assert!(text.contains(b.name), "{} not listed", b.name);
    }
    assert!(text.contains("quiz"));
}
