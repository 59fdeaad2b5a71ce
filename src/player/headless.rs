//! Playing a whole scenario without a terminal: the basis of `cartsim run` and of the
//! tests that run every file in `scenarios/`.

use crate::engine::Outcome;
use crate::scenario::Scenario;
use crate::scenario::expect::{self, Checked};

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
            .expect
            .as_ref()
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
