//! Field values and the change log every action returns.

use super::money::Money;
use super::rules::Rule;
use std::fmt;

/// A field's value, as a transcript or an expectation sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    /// No value (Salesforce null).
    Null,
    /// A checkbox.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A currency amount.
    Money(Money),
    /// Text or a picklist value.
    Text(String),
}

impl FieldValue {
    /// Text, or Null when absent.
    pub fn opt_text<S: AsRef<str>>(value: &Option<S>) -> FieldValue {
        match value {
            Some(text) => FieldValue::Text(text.as_ref().to_string()),
            None => FieldValue::Null,
        }
    }

    /// A number, or Null when absent.
    pub fn opt_int(value: Option<u64>) -> FieldValue {
        match value {
            Some(n) => FieldValue::Int(i64::try_from(n).unwrap_or(i64::MAX)),
            None => FieldValue::Null,
        }
    }

    /// As JSON, for machine-readable transcripts.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            FieldValue::Null => serde_json::Value::Null,
            FieldValue::Bool(b) => serde_json::Value::Bool(*b),
            FieldValue::Int(n) => serde_json::Value::from(*n),
            FieldValue::Money(m) => {
                // serde_json keeps a number's text (its `arbitrary_precision` feature), so
                // the amount's two decimal places are written exactly, at any size.
                serde_json::from_str(&m.to_string()).unwrap_or(serde_json::Value::Null)
            }
            FieldValue::Text(t) => serde_json::Value::String(t.clone()),
        }
    }
}

impl fmt::Display for FieldValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldValue::Null => f.write_str("null"),
            FieldValue::Bool(b) => write!(f, "{b}"),
            FieldValue::Int(n) => write!(f, "{n}"),
            FieldValue::Money(m) => write!(f, "{m}"),
            FieldValue::Text(t) => f.write_str(t),
        }
    }
}

/// The kinds of record the simulator keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordKind {
    /// WebCart.
    WebCart,
    /// CartCheckoutSession.
    CartCheckoutSession,
    /// BackgroundOperation.
    BackgroundOperation,
    /// CartValidationOutput.
    CartValidationOutput,
    /// CartDeliveryGroup (`lwr` checkouts).
    CartDeliveryGroup,
    /// PaymentAuthorization (`lwr` checkouts).
    PaymentAuthorization,
    /// A buyer user (world edits).
    Buyer,
    /// A buyer account (world edits).
    Account,
    /// A store (WebStore), whose settings a scenario may change. Its fields in the log
    /// are the simulator's store settings, named with a `~` (`~checkout_ttl`): they are
    /// not WebStore fields.
    WebStore,
}

impl RecordKind {
    /// Salesforce's object name.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::WebCart => "WebCart",
            RecordKind::CartCheckoutSession => "CartCheckoutSession",
            RecordKind::BackgroundOperation => "BackgroundOperation",
            RecordKind::CartValidationOutput => "CartValidationOutput",
            RecordKind::CartDeliveryGroup => "CartDeliveryGroup",
            RecordKind::PaymentAuthorization => "PaymentAuthorization",
            RecordKind::Buyer => "Buyer",
            RecordKind::Account => "Account",
            RecordKind::WebStore => "WebStore",
        }
    }
}

/// What a [`Change`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeWhat {
    /// A field went from one value to another.
    Field,
    /// A record was created.
    Created,
    /// A record was removed (an expired BackgroundOperation left the queue).
    Removed,
    /// Nothing changed; the fact is logged so the rule behind it is visible.
    Noted,
}

/// One change an action made: a record created, or a field set from one value to another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The virtual time at which it happened.
    pub tick: u64,
    /// What kind of record.
    pub kind: RecordKind,
    /// The record's id.
    pub record: String,
    /// The field, or `None` when the record was created.
    pub field: Option<&'static str>,
    /// The value before (Null for a created record).
    pub old: FieldValue,
    /// The value after (for a created record, a short description).
    pub new: FieldValue,
    /// Why.
    pub rule: Rule,
}

impl Change {
    /// `cart-1.Status: Checkout -> Active`, `ccs-1: new CartCheckoutSession (…)`,
    /// `bop-1: BackgroundOperation removed (…)` or `ccs-1: CartCheckoutSession (…)`.
    pub fn headline(&self) -> String {
        match (self.field, self.what()) {
            (Some(field), _) => {
                format!("{}.{}: {} -> {}", self.record, field, self.old, self.new)
            }
            (None, ChangeWhat::Created) => {
                format!("{}: new {} ({})", self.record, self.kind.as_str(), self.new)
            }
            (None, ChangeWhat::Removed) => {
                format!(
                    "{}: {} removed ({})",
                    self.record,
                    self.kind.as_str(),
                    self.old
                )
            }
            (None, _) => format!("{}: {} ({})", self.record, self.kind.as_str(), self.new),
        }
    }

    /// Whether the change set a field, created or removed a record, or only noted a fact.
    pub fn what(&self) -> ChangeWhat {
        match (self.field, &self.old, &self.new) {
            (Some(_), _, _) => ChangeWhat::Field,
            (None, FieldValue::Null, _) => ChangeWhat::Created,
            (None, _, FieldValue::Null) => ChangeWhat::Removed,
            (None, _, _) => ChangeWhat::Noted,
        }
    }
}
