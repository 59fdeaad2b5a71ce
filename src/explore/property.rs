//! The user's own properties: `--never 'cart-1.Status=Closed,ccs-1.IsError=true'`, a
//! conjunction of field values that no reachable state may show.

use crate::engine::world::{FieldError, fields_of};
use crate::engine::{RecordKind, World};
use serde_json::Value;

/// One conjunct: a record's field has a value.
#[derive(Debug, Clone, PartialEq)]
pub struct Conjunct {
    /// The record id (`cart-1`, `ccs-2`).
    pub record: String,
    /// The field (`Status`).
    pub field: String,
    /// The value, as an expectation writes it.
    pub value: Value,
}

/// A property: the states where every conjunct holds must not be reachable.
#[derive(Debug, Clone, PartialEq)]
pub struct Never {
    /// The property as written (`cart-1.Status=Closed,ccs-1.IsError=true`).
    pub text: String,
    /// Its conjuncts.
    pub all: Vec<Conjunct>,
}

/// What is wrong with a property: the character (from 1) where the fault starts, and
/// a message that names what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropertyError {
    /// The column in the property's text, from 1.
    pub column: usize,
    /// What is wrong and what was expected.
    pub message: String,
}

/// The kinds of generated ids a run can create, by prefix.
const GENERATED: &[(&str, RecordKind)] = &[
    ("ccs-", RecordKind::CartCheckoutSession),
    ("bop-", RecordKind::BackgroundOperation),
    ("cvo-", RecordKind::CartValidationOutput),
    ("cdg-", RecordKind::CartDeliveryGroup),
    ("pa-", RecordKind::PaymentAuthorization),
];

/// A value as written after `=`: `true`, `false`, `null` or a number are JSON; anything
/// else is text.
fn value_of(text: &str) -> Value {
    match serde_json::from_str::<Value>(text) {
        Ok(v @ (Value::Bool(_) | Value::Null | Value::Number(_) | Value::String(_))) => v,
        _ => Value::String(text.to_string()),
    }
}

/// Parses `RECORD.Field=value,...` and checks each record and field against `world`.
pub fn parse(text: &str, world: &World) -> Result<Never, PropertyError> {
    let mut all = Vec::new();
    let mut column = 1;
    for part in text.split(',') {
        let chars = part.chars().count();
        let trimmed = part.trim();
        let lead = part.chars().take_while(|c| c.is_whitespace()).count();
        let at = column + lead;
        let Some((path, value)) = trimmed.split_once('=') else {
            return Err(PropertyError {
                column: at,
                message: format!(
                    "\"{trimmed}\" is not RECORD.Field=value; expected for example cart-1.Status=Closed"
                ),
            });
        };
        let Some((record, field)) = path.trim().split_once('.') else {
            return Err(PropertyError {
                column: at,
                message: format!(
                    "\"{}\" names no field; expected RECORD.Field, for example cart-1.Status",
                    path.trim()
                ),
            });
        };
        let conjunct = Conjunct {
            record: record.trim().to_string(),
            field: field.trim().to_string(),
            value: value_of(value.trim()),
        };
        check(&conjunct, world).map_err(|message| PropertyError {
            column: at,
            message,
        })?;
        all.push(conjunct);
        column += chars + 1;
    }
    Ok(Never {
        text: text.to_string(),
        all,
    })
}

/// Builds a property from an object of `"RECORD.Field": value` members (the scenario
/// file's `explore.never`), checking each.
pub fn from_object(
    members: &serde_json::Map<String, Value>,
    world: &World,
) -> Result<Never, (String, String)> {
    let mut all = Vec::new();
    let mut text = Vec::new();
    for (key, value) in members {
        let Some((record, field)) = key.split_once('.') else {
            return Err((
                key.clone(),
                format!(
                    "\"{key}\" names no field; expected RECORD.Field, for example cart-1.Status"
                ),
            ));
        };
        if !matches!(
            value,
            Value::Bool(_) | Value::Null | Value::Number(_) | Value::String(_)
        ) {
            return Err((
                key.clone(),
                "expected a string, number, boolean or null".to_string(),
            ));
        }
        let conjunct = Conjunct {
            record: record.to_string(),
            field: field.to_string(),
            value: value.clone(),
        };
        check(&conjunct, world).map_err(|m| (key.clone(), m))?;
        let shown = match value {
            Value::String(s) => s.clone(),
            v => v.to_string(),
        };
        text.push(format!("{key}={shown}"));
        all.push(conjunct);
    }
    if all.is_empty() {
        return Err((
            String::new(),
            "an empty property; expected at least one \"RECORD.Field\": value".to_string(),
        ));
    }
    Ok(Never {
        text: text.join(","),
        all,
    })
}

/// Whether the record can exist and has the field.
fn check(c: &Conjunct, world: &World) -> Result<(), String> {
    let kind = match world.field(&c.record, &c.field) {
        Ok(_) => return Ok(()),
        Err(FieldError::NoField(kind, _)) => kind,
        Err(FieldError::NoRecord) => {
            let generated = GENERATED.iter().find(|(prefix, _)| {
                c.record
                    .strip_prefix(prefix)
                    .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            });
            match generated {
                Some((_, kind)) => *kind,
                None => {
                    let mut ids: Vec<&str> = world.carts().iter().map(|c| c.id.as_str()).collect();
                    ids.extend(world.sessions().iter().map(|s| s.id.as_str()));
                    ids.extend(world.operations().iter().map(|o| o.id.as_str()));
                    return Err(format!(
                        "no record {} exists or can be created; expected a record of the world ({}) or a generated id (ccs-N, bop-N, cvo-N, cdg-N, pa-N)",
                        c.record,
                        if ids.is_empty() {
                            "none".to_string()
                        } else {
                            ids.join(", ")
                        }
                    ));
                }
            }
        }
    };
    let fields = fields_of(kind);
    if fields.contains(&c.field.as_str()) {
        Ok(())
    } else {
        Err(format!(
            "{} is a {} and has no field {}; expected one of: {}",
            c.record,
            kind.as_str(),
            c.field,
            fields.join(", ")
        ))
    }
}

impl Never {
    /// Whether every conjunct holds in `world` (a record that does not exist yet holds
    /// nothing).
    pub fn holds(&self, world: &World) -> bool {
        self.all.iter().all(|c| {
            world
                .field(&c.record, &c.field)
                .is_ok_and(|v| crate::scenario::expect::matches(&v, &c.value))
        })
    }
}
