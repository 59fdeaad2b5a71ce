//! Checking expectations against what a step did and the world after it.

use super::{Expect, ExpectedField, ExpectedResult};
use crate::engine::world::FieldError;
use crate::engine::{FieldValue, Money, Outcome, World};

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
            let mut ids: Vec<&str> = world.carts().iter().map(|c| c.id.as_str()).collect();
            ids.extend(world.sessions().iter().map(|s| s.id.as_str()));
            ids.extend(world.operations().iter().map(|o| o.id.as_str()));
            ids.extend(world.validation_outputs().iter().map(|v| v.id.as_str()));
            ids.extend(world.delivery_groups().iter().map(|g| g.id.as_str()));
            ids.extend(world.payment_authorizations().iter().map(|p| p.id.as_str()));
            FieldCheck::Invalid(format!(
                "no WebCart, CartCheckoutSession, BackgroundOperation, CartValidationOutput, CartDeliveryGroup or PaymentAuthorization has the id {} after this step; expected one of: {}",
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

/// Whether an actual value equals the value a file expects. Numbers compare exactly, from
/// the text the file wrote (serde_json keeps it: the `arbitrary_precision` feature).
pub fn matches(actual: &FieldValue, expected: &serde_json::Value) -> bool {
    use serde_json::Value as J;
    match (actual, expected) {
        (FieldValue::Null, J::Null) => true,
        (FieldValue::Bool(a), J::Bool(b)) => a == b,
        (FieldValue::Text(a), J::String(b)) => a == b,
        // A number is read from its text, exactly (`120`, `120.0` and `1.2e2` are 120).
        (FieldValue::Int(a), J::Number(n)) => {
            Money::parse_number(&n.to_string()).is_some_and(|m| m.cents() == i128::from(*a) * 100)
        }
        (FieldValue::Money(a), J::Number(n)) => Money::parse_number(&n.to_string()) == Some(*a),
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

/// Checks every expectation of a step, in file order: the result first (with its HTTP
/// status when the file gives one), then fields.
pub fn check(expect: &Expect, outcome: &Outcome, world: &World) -> Vec<Checked> {
    let result = &outcome.result;
    let mut out = Vec::new();
    if let Some(wanted) = &expect.result {
        // The status a REST call answered, else the refusal's.
        let status = outcome
            .http
            .or_else(|| result.as_ref().err().and_then(|e| e.http()));
        let with_status = |word: String| match (expect.http, status) {
            (Some(_), Some(h)) => format!("{word} {h}"),
            _ => word,
        };
        let actual = match result {
            Ok(()) => with_status("ok".to_string()),
            Err(e) => match e.http() {
                Some(h) => format!("{} {h}", e.code()),
                None => e.code().to_string(),
            },
        };
        let http_holds = expect.http.is_none_or(|h| status == Some(h));
        let wanted_word = |word: &str| match expect.http {
            Some(h) => format!("{word} {h}"),
            None => word.to_string(),
        };
        let (expected, passed) = match wanted {
            ExpectedResult::Ok => (wanted_word("ok"), result.is_ok() && http_holds),
            ExpectedResult::AnyError => (wanted_word("error"), result.is_err() && http_holds),
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
    if expect.result.is_none()
        && let Some(wanted) = expect.http
    {
        let status = outcome
            .http
            .or_else(|| result.as_ref().err().and_then(|e| e.http()));
        out.push(Checked {
            path: "http".to_string(),
            expected: wanted.to_string(),
            actual: status.map_or("no HTTP status (not a REST call)".to_string(), |s| {
                s.to_string()
            }),
            passed: status == Some(wanted),
        });
    }
    if let Some(wanted) = &expect.body {
        let (actual, passed) = match &outcome.body {
            Some(body) => (
                super::sanitize::line(&body.to_string()),
                body_matches(body, wanted),
            ),
            None => ("no body".to_string(), false),
        };
        out.push(Checked {
            path: "body".to_string(),
            expected: show_expected(wanted),
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
                    && let Some(m) = Money::parse_number(&n.to_string())
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

/// `expect.body`: every key the file gives must be in the body with an equal value; an
/// array must have the same length and match element by element; numbers compare by
/// their value (`202` and `202.0` are equal).
pub fn body_matches(actual: &serde_json::Value, wanted: &serde_json::Value) -> bool {
    use serde_json::Value as J;
    match (actual, wanted) {
        (J::Object(a), J::Object(w)) => w
            .iter()
            .all(|(k, wv)| a.get(k).is_some_and(|av| body_matches(av, wv))),
        (J::Array(a), J::Array(w)) => {
            a.len() == w.len() && a.iter().zip(w).all(|(av, wv)| body_matches(av, wv))
        }
        (J::Number(a), J::Number(w)) => {
            match (
                Money::parse_number(&a.to_string()),
                Money::parse_number(&w.to_string()),
            ) {
                (Some(x), Some(y)) => x == y,
                _ => a.to_string() == w.to_string(),
            }
        }
        (a, w) => a == w,
    }
}
