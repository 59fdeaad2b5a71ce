//! Playing a whole scenario without a terminal: the basis of `cartsim run` and of the
//! tests that run every file in `scenarios/`.

use crate::engine::Outcome;
use crate::scenario::expect::{self, Checked};
use crate::scenario::load::Unplayed;
use crate::scenario::{LoadError, Scenario};

/// What one step did.
#[derive(Debug, Clone)]
pub struct StepReport {
    /// Index of the step (from 0).
    pub index: usize,
    /// Virtual time before the step.
    pub tick_before: u64,
    /// Virtual time after it.
    pub tick_after: u64,
    /// `cancel cart-1 as bob`.
    pub description: String,
    /// Changes and result.
    pub outcome: Outcome,
    /// Expectations checked after the step.
    pub checks: Vec<Checked>,
}

impl StepReport {
    /// Whether every expectation of the step held.
    pub fn passed(&self) -> bool {
        self.checks.iter().all(|c| c.passed)
    }
}

/// Plays every step in order and checks its expectations.
pub fn play_headless(scenario: &Scenario) -> Vec<StepReport> {
    let mut world = scenario.world.clone();
    let mut reports = Vec::with_capacity(scenario.steps.len());
    for (index, step) in scenario.steps.iter().enumerate() {
        let tick_before = world.tick;
        let description = super::describe(&world, step.kind, &step.action);
        let outcome = world.apply(&step.action);
        let checks = step
            .expect()
            .map(|e| expect::check(e, &outcome, &world))
            .unwrap_or_default();
        reports.push(StepReport {
            index,
            tick_before,
            tick_after: world.tick,
            description,
            outcome,
            checks,
        });
    }
    reports
}

/// How much of each step a headless run reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Every step, with everything a transcript shows.
    Transcript,
    /// Only the steps with expectations, without their description: enough to count
    /// and recap the expectations (`cartsim run --quiet`), with no transcript built.
    Checks,
}

/// Plays a scenario whose expectation paths are not proven yet ([`Unplayed`]) in one
/// pass: each step is applied, its expectation paths are checked as the loader checks
/// them (the first wrong one ends the run with the loader's error), and its
/// expectations are checked. `each` gets the reports `detail` asks for, in step order.
pub fn play_unplayed(
    unplayed: &Unplayed,
    detail: Detail,
    mut each: impl FnMut(StepReport),
) -> Result<(), LoadError> {
    let scenario = unplayed.scenario();
    let mut world = scenario.world.clone();
    for (index, step) in scenario.steps.iter().enumerate() {
        let tick_before = world.tick;
        let keep = detail == Detail::Transcript || step.expect().is_some();
        let description = if detail == Detail::Transcript {
            super::describe(&world, step.kind, &step.action)
        } else {
            String::new()
        };
        if !keep {
            // Nothing reads this step's log of changes: the same world without it.
            world.apply_quiet(&step.action);
            unplayed.check_step(index, &world)?;
            continue;
        }
        let outcome = world.apply(&step.action);
        unplayed.check_step(index, &world)?;
        let checks = step
            .expect()
            .map(|e| expect::check(e, &outcome, &world))
            .unwrap_or_default();
        each(StepReport {
            index,
            tick_before,
            tick_after: world.tick,
            description,
            outcome,
            checks,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::builtin::BUILTIN;
    use crate::scenario::load::load_unplayed;

    fn unplayed(name: &str, text: &str) -> Unplayed {
        load_unplayed(name, text.as_bytes()).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn one_pass_reports_what_loading_then_playing_reports() {
        for b in BUILTIN {
            let loaded = crate::scenario::load_bytes(b.name, b.text.as_bytes()).unwrap();
            let twice = play_headless(&loaded);
            let u = unplayed(b.name, b.text);
            let mut once = Vec::new();
            play_unplayed(&u, Detail::Transcript, |r| once.push(r)).unwrap();
            assert_eq!(format!("{once:?}"), format!("{twice:?}"), "{}", b.name);
            let mut checks = Vec::new();
            play_unplayed(&u, Detail::Checks, |r| checks.push(r)).unwrap();
            let with_expect: Vec<&StepReport> = twice
                .iter()
                .filter(|r| loaded.steps[r.index].expect().is_some())
                .collect();
            assert_eq!(checks.len(), with_expect.len(), "{}", b.name);
            for (light, full) in checks.iter().zip(with_expect) {
                assert_eq!(light.index, full.index);
                assert_eq!(format!("{:?}", light.checks), format!("{:?}", full.checks));
                assert!(light.description.is_empty(), "no transcript is built");
            }
        }
    }

    #[test]
    fn a_wrong_expectation_path_is_the_loaders_error_at_the_step_that_names_it() {
        let text = r#"{"cartsim": 1, "title": "t", "world": {
            "stores": [{"id": "west"}],
            "accounts": [{"id": "acme", "stores": ["west"]}],
            "buyers": [{"id": "bob", "accounts": ["acme"]}],
            "carts": [{"id": "cart-1", "store": "west", "buyer": "bob"}]},
          "steps": [
            {"do": "start_checkout", "cart": "cart-1", "expect": {"state": {"cart-1.Status": "Closed"}}},
            {"do": "settle", "expect": {"state": {"ccs-9.State": "Error"}}},
            {"do": "cancel", "cart": "cart-1"}]}"#;
        let refused = crate::scenario::load_bytes("bad.json", text.as_bytes()).unwrap_err();
        let u = unplayed("bad.json", text);
        let mut seen = Vec::new();
        let error = play_unplayed(&u, Detail::Transcript, |r| seen.push(r.index)).unwrap_err();
        assert_eq!(error.to_string(), refused.to_string());
        assert_eq!(
            error.path.as_deref(),
            Some("steps[1].expect.state.ccs-9.State")
        );
        // The step before was reported; the play stopped at the wrong path.
        assert_eq!(seen, vec![0]);
    }
}
