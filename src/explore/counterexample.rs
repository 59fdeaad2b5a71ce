//! A finding as a scenario file: the file's world, its first K steps, then the shortest
//! path, whose last step expects the anomalous state. It is a regression test (`cartsim
//! run` passes while the anomaly is there) and a lesson that plays in the UI.

use super::anomaly::CATALOGUE;
use super::{Finding, Report, What};
use crate::scenario::format::{RawExpect, RawScenario, RawStep};
use crate::scenario::save::raw_step;
use serde_json::{Map, Value};

/// The title and summary of a finding: its sentence and the rule that makes it wrong.
pub fn describe(finding: &Finding, report_never: &[super::property::Never]) -> (String, String) {
    match finding.what {
        What::Anomaly(i) => {
            let a = &CATALOGUE[i];
            (a.sentence.to_string(), a.why.to_string())
        }
        What::Property(i) => {
            let text = report_never.get(i).map(|p| p.text.as_str()).unwrap_or("");
            (
                format!("A state the property never {text} forbids is reachable."),
                "The property was given to cartsim explore: every state where all its fields have these values is a counterexample.".to_string(),
            )
        }
    }
}

/// The steps of a finding's path, as a scenario writes them.
pub fn steps(report: &Report, finding: &Finding) -> Vec<RawStep> {
    finding
        .path
        .iter()
        .map(|&i| {
            let letter = &report.alphabet[i];
            raw_step(letter.kind.name(), &letter.action)
        })
        .collect()
}

/// The scenario file of a finding: `raw`'s world and its first `from` steps, then the
/// path; the last step expects the witness (and a refusal where the step is refused).
pub fn scenario(
    raw: &RawScenario,
    from: usize,
    report: &Report,
    finding: &Finding,
    never: &[super::property::Never],
) -> RawScenario {
    let (sentence, why) = describe(finding, never);
    let mut out = raw.clone();
    out.explore = None;
    out.title = format!(
        "Found by explore (depth {}): {}",
        finding.path.len(),
        finding.name()
    );
    out.summary = Some(format!("{sentence} {why}"));
    out.steps.truncate(from);
    let mut path = steps(report, finding);
    let mut state = Map::new();
    for (record, field, value) in &finding.witness {
        state.insert(format!("{record}.{field}"), value.clone());
    }
    let expect = RawExpect {
        result: finding.refused.then(|| "error".to_string()),
        http: None,
        state: (!state.is_empty()).then_some(state),
        body: None,
    };
    if let Some(n) = path.len().checked_sub(1) {
        path[n].note = Some(sentence);
        path[n].expect = Some(expect);
        path[0].marker = Some(finding.name());
    } else if let Some(last) = out.steps.last_mut() {
        // Found in the starting state itself: the last played step shows it.
        last.expect = Some(expect);
    }
    out.steps.extend(path);
    out
}

/// A finding as one JSON Lines object, as `--json` prints it.
pub fn json(report: &Report, finding: &Finding, never: &[super::property::Never]) -> Value {
    let mut object = Map::new();
    match finding.what {
        What::Anomaly(_) => {
            object.insert("kind".into(), Value::from("anomaly"));
            object.insert("name".into(), Value::from(finding.name()));
        }
        What::Property(i) => {
            object.insert("kind".into(), Value::from("property"));
            object.insert("name".into(), Value::from(finding.name()));
            object.insert(
                "property".into(),
                Value::from(never.get(i).map(|p| p.text.as_str()).unwrap_or("")),
            );
        }
    }
    object.insert("depth".into(), Value::from(finding.path.len()));
    let steps: Vec<Value> = steps(report, finding)
        .iter()
        .map(|s| serde_json::to_value(s).unwrap_or(Value::Null))
        .collect();
    object.insert("steps".into(), Value::Array(steps));
    Value::Object(object)
}

/// A finding as the terminal UI lists it and plays it as a branch: what, how deep, why
/// it is wrong, and the actions of its shortest path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lesson {
    /// The finding's name (`stuck-in-checkout`, `never-1`).
    pub name: String,
    /// What the state shows, in one sentence.
    pub sentence: String,
    /// The rule or source that makes it wrong.
    pub why: String,
    /// The actions of the shortest path, in order (empty: the state itself shows it).
    pub actions: Vec<crate::engine::Action>,
    /// The last action is refused.
    pub refused: bool,
}

impl Lesson {
    /// How many actions lead to it.
    pub fn depth(&self) -> usize {
        self.actions.len()
    }
}

/// Every finding of a run as a [`Lesson`], in the order they were found.
pub fn lessons(report: &Report, never: &[super::property::Never]) -> Vec<Lesson> {
    report
        .findings
        .iter()
        .map(|finding| {
            let (sentence, why) = describe(finding, never);
            Lesson {
                name: finding.name(),
                sentence,
                why,
                actions: finding
                    .path
                    .iter()
                    .map(|&i| report.alphabet[i].action.clone())
                    .collect(),
                refused: finding.refused,
            }
        })
        .collect()
}
