//! The terminal UI: carts, checkout sessions and background operations side by side.

use crate::scenario::Scenario;

/// Opens the terminal UI on these scenarios (a picker when there are several).
pub fn run(scenarios: Vec<Scenario>) -> anyhow::Result<()> {
    let _ = scenarios;
    anyhow::bail!("the terminal UI is not built yet")
}
