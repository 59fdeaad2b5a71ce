//! The transcript of a headless run: readable text for trainers, or one JSON object
//! per event for tools.

use crate::player::StepReport;
use crate::scenario::Scenario;
use crate::scenario::expect::Checked;
use serde_json::json;
use std::fmt::Write;

/// Totals over a run.
#[derive(Debug, Default, Clone, Copy)]
pub struct Tally {
    /// Expectations that held.
    pub passed: usize,
    /// Expectations that did not.
    pub failed: usize,
}

pub use crate::player::wording::{body_line, call_line, change_line, error_lines};

fn check_line(check: &Checked) -> String {
    if check.passed {
        format!("  pass  {} = {}", check.path, check.expected)
    } else {
        format!(
            "  FAIL  {}: expected {}, found {}",
            check.path, check.expected, check.actual
        )
    }
}

/// The whole text transcript of one scenario.
pub fn text(scenario: &Scenario, reports: &[StepReport], tally: &mut Tally) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "== {}: {} ==", scenario.file, scenario.title);
    for report in reports {
        let step = &scenario.steps[report.index];
        if let Some(marker) = step.marker() {
            let _ = writeln!(out, "-- chapter: {marker} --");
        }
        let _ = writeln!(
            out,
            "step {} @ tick {}: {}",
            report.index + 1,
            report.tick_before,
            report.description
        );
        if let Some(note) = step.note() {
            for line in note.lines() {
                let _ = writeln!(out, "  | {line}");
            }
        }
        if step.quiz().is_some() {
            let _ = writeln!(out, "  quiz: skipped in a headless run");
        }
        if let Some(call) = call_line(&report.outcome) {
            let _ = writeln!(out, "  call  {call}");
        }
        if let Some(body) = body_line(&report.outcome) {
            let _ = writeln!(out, "  body  {body}");
        }
        match &report.outcome.result {
            Ok(()) => {
                let _ = writeln!(out, "  ok");
            }
            Err(e) => {
                for (i, line) in error_lines(e).into_iter().enumerate() {
                    let lead = if i == 0 { "  error " } else { "        " };
                    let _ = writeln!(out, "{lead}{line}");
                }
            }
        }
        for change in &report.outcome.changes {
            let at = if change.tick != report.tick_before {
                format!("at tick {}: ", change.tick)
            } else {
                String::new()
            };
            let _ = writeln!(out, "  {at}{}", change_line(change));
        }
        for check in &report.checks {
            let _ = writeln!(out, "{}", check_line(check));
            if check.passed {
                tally.passed += 1;
            } else {
                tally.failed += 1;
                let _ = writeln!(
                    out,
                    "        at step {} ({}:{}:{})",
                    report.index + 1,
                    scenario.file,
                    step.position.line,
                    step.position.column
                );
            }
        }
    }
    let failed: usize = reports
        .iter()
        .flat_map(|r| &r.checks)
        .filter(|c| !c.passed)
        .count();
    let total: usize = reports.iter().map(|r| r.checks.len()).sum();
    let verdict = if failed == 0 { "PASS" } else { "FAIL" };
    let _ = writeln!(
        out,
        "{verdict} {}: {} steps, {} of {total} expectations held",
        scenario.file,
        reports.len(),
        total - failed
    );
    out
}

/// One line per expectation that did not hold, for the recap at the end of a run:
/// `FILE:LINE:COLUMN: step N: PATH: expected X, found Y`.
pub fn failures(scenario: &Scenario, reports: &[StepReport]) -> Vec<String> {
    let mut out = Vec::new();
    for report in reports {
        let step = &scenario.steps[report.index];
        for check in report.checks.iter().filter(|c| !c.passed) {
            out.push(format!(
                "{}:{}:{}: step {}: {}: expected {}, found {}",
                scenario.file,
                step.position.line,
                step.position.column,
                report.index + 1,
                check.path,
                check.expected,
                check.actual
            ));
        }
    }
    out
}

/// An expected or actual value as a JSON value: state values are written as JSON text
/// (`"Canceled"`, `true`, `120`), results as words (`ok`, `INVALID_OPERATION 403`).
/// Decoding can bring back what the text form kept escaped (`"\u001b"`), so strings are
/// sanitized again.
fn json_value(text: &str) -> serde_json::Value {
    use serde_json::Value;
    match serde_json::from_str(text) {
        Ok(Value::String(s)) => Value::String(crate::scenario::sanitize::line(&s)),
        Ok(value @ (Value::Null | Value::Bool(_) | Value::Number(_))) => value,
        _ => Value::String(crate::scenario::sanitize::line(text)),
    }
}

/// A file that could not be loaded, as one JSON event (also reported on stderr).
pub fn load_error_json(error: &crate::scenario::LoadError) -> serde_json::Value {
    let error = error.sanitized();
    json!({
        "event": "load_error", "file": error.file,
        "line": error.position.map(|p| p.line), "column": error.position.map(|p| p.column),
        "path": error.path, "message": error.message,
    })
}

/// The JSON-lines transcript of one scenario: one object per event.
pub fn json_lines(scenario: &Scenario, reports: &[StepReport], tally: &mut Tally) -> String {
    let mut out = String::new();
    let mut emit = |value: serde_json::Value| {
        out.push_str(&value.to_string());
        out.push('\n');
    };
    emit(
        json!({"event": "scenario", "file": scenario.file, "title": scenario.title, "steps": scenario.steps.len()}),
    );
    for report in reports {
        let step = &scenario.steps[report.index];
        emit(json!({
            "event": "step", "file": scenario.file, "step": report.index + 1,
            "tick": report.tick_before, "do": step.kind, "action": report.description,
            "note": step.note(), "marker": step.marker(),
        }));
        match &report.outcome.result {
            Ok(()) => emit(json!({
                "event": "result", "step": report.index + 1, "ok": true,
                "http": report.outcome.http, "request": report.outcome.request,
                "body": report.outcome.body,
            })),
            Err(e) => {
                let spec = e.kind.spec();
                emit(json!({
                    "event": "result", "step": report.index + 1, "ok": false,
                    "code": spec.code, "http": spec.http, "message": e.message,
                    "request": report.outcome.request, "body": report.outcome.body,
                    "requirement": spec.requirement, "origin": spec.origin.tag(),
                    "source": spec.origin.reference(), "reading": spec.reading,
                    "buyer_message": e.buyer_message().map(|m| m.text),
                    "buyer_message_source": e.buyer_message().map(|m| m.source),
                }));
            }
        }
        for c in &report.outcome.changes {
            emit(json!({
                "event": "change", "step": report.index + 1, "tick": c.tick,
                "object": c.kind.as_str(), "record": c.record, "field": c.field,
                "simulator_only": c.field.is_some_and(crate::engine::is_simulator_only),
                "old": c.old.to_json(), "new": c.new.to_json(),
                "cause": c.rule.text(), "source": c.rule.source().tag(),
                "reference": c.rule.source().reference(),
            }));
        }
        for check in &report.checks {
            if check.passed {
                tally.passed += 1;
            } else {
                tally.failed += 1;
            }
            emit(json!({
                "event": "expect", "step": report.index + 1, "path": check.path,
                "expected": json_value(&check.expected), "actual": json_value(&check.actual),
                "passed": check.passed,
            }));
        }
    }
    let failed = reports
        .iter()
        .flat_map(|r| &r.checks)
        .filter(|c| !c.passed)
        .count();
    emit(
        json!({"event": "summary", "file": scenario.file, "steps": reports.len(), "failed": failed, "passed": failed == 0}),
    );
    out
}
