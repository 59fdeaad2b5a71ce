//! Checking expectations against what a step did and the world after it.

use super::{Expect, ExpectedField, ExpectedResult};
use crate::engine::world::FieldError;
use crate::engine::{ActionError, FieldValue, Money, World};

/// One expectation checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// What was checked: `result` or `cart-1.Status`.
    pub path: String,
    /// The expected value, as written.
    pub expected: String,
    /// What was found.
    pub actual: String,
    /// Whether it held.
    pub passed: bool,
}

/// Reading an expected field from the world.
pub enum FieldCheck {
    /// The field exists; here is its value.
    Value(FieldValue),
    /// The record or field does not exist: an error in the file.
    Invalid(String),
}

/// Reads the field an expectation names.
pub fn resolve(world: &World, field: &ExpectedField) -> FieldCheck {
    match world.field(&field.record, &field.field) {
        Ok(v) => FieldCheck::Value(v),
        Err(FieldError::NoRecord) => {
            let mut ids: Vec<&str> = world.carts.iter().map(|c| c.id.as_str()).collect();
            ids.extend(world.sessions.iter().map(|s| s.id.as_str()));
            ids.extend(world.operations.iter().map(|o| o.id.as_str()));
            FieldCheck::Invalid(format!(
                "no cart, CartCheckoutSession or BackgroundOperation has the id {} after this step; expected one of: {}",
                field.record,
                if ids.is_empty() {
                    "(none)".to_string()
                } else {
                    ids.join(", ")
                }
            ))
        }
        Err(FieldError::NoField(kind, fields)) => FieldCheck::Invalid(format!(
            "{} is a {} and has no field {}; expected one of: {}",
            field.record,
            kind.as_str(),
            field.field,
            fields.join(", ")
        )),
    }
}

/// Whether an actual value equals the value a file expects. Amounts compare exactly.
pub fn matches(actual: &FieldValue, expected: &serde_json::Value) -> bool {
    use serde_json::Value as J;
    match (actual, expected) {
        (FieldValue::Null, J::Null) => true,
        (FieldValue::Bool(a), J::Bool(b)) => a == b,
        (FieldValue::Text(a), J::String(b)) => a == b,
        (FieldValue::Int(a), J::Number(n)) => {
            n.as_i64() == Some(*a)
                || n.as_f64()
                    .is_some_and(|f| f == *a as f64 && f.fract() == 0.0)
        }
        (FieldValue::Money(a), J::Number(n)) => Money::parse_decimal(&n.to_string()) == Some(*a),
        _ => false,
    }
}

/// A JSON value as a transcript shows it (strings quoted, so `"null"` and null differ).
pub fn show_expected(value: &serde_json::Value) -> String {
    super::sanitize::line(&value.to_string())
}

/// A field value as a transcript shows it, in the same notation as [`show_expected`].
pub fn show_actual(value: &FieldValue) -> String {
    match value {
        FieldValue::Text(t) => {
            super::sanitize::line(&serde_json::Value::String(t.clone()).to_string())
        }
        other => other.to_string(),
    }
}

/// Checks every expectation of a step, in file order: the result first, then fields.
pub fn check(expect: &Expect, result: &Result<(), ActionError>, world: &World) -> Vec<Checked> {
    let mut out = Vec::new();
    if let Some(wanted) = &expect.result {
        let actual = match result {
            Ok(()) => "ok".to_string(),
            Err(e) => match e.http() {
                Some(h) => format!("{} {h}", e.code()),
                None => e.code().to_string(),
            },
        };
        let (expected, passed) = match wanted {
            ExpectedResult::Ok => ("ok".to_string(), result.is_ok()),
            ExpectedResult::AnyError => ("error".to_string(), result.is_err()),
            ExpectedResult::Code { code, http } => {
                let passed = result
                    .as_ref()
                    .err()
                    .is_some_and(|e| e.code() == code && http.is_none_or(|h| e.http() == Some(h)));
                let expected = match http {
                    Some(h) => format!("{code} {h}"),
                    None => code.clone(),
                };
                (expected, passed)
            }
        };
        out.push(Checked {
            path: "result".to_string(),
            expected,
            actual,
            passed,
        });
    }
    for field in &expect.state {
        let path = format!("{}.{}", field.record, field.field);
        let mut expected = show_expected(&field.value);
        let (actual, passed) = match resolve(world, field) {
            FieldCheck::Value(v) => {
                // An amount is shown as amounts are (150.00, not 150.0).
                if let (FieldValue::Money(_), serde_json::Value::Number(n)) = (&v, &field.value)
                    && let Some(m) = Money::parse_decimal(&n.to_string())
                {
                    expected = m.to_string();
                }
                (show_actual(&v), matches(&v, &field.value))
            }
            FieldCheck::Invalid(message) => (message, false),
        };
        out.push(Checked {
            path,
            expected,
            actual,
            passed,
        });
    }
    out
}
