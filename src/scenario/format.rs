//! The scenario file format, version 1, exactly as it is written on disk.
//!
//! These types only mirror the JSON; [`super::load`] checks references, fills defaults
//! and builds the engine's world. Unknown keys are refused everywhere.

use serde::Deserialize;
use serde_json::{Map, Number, Value};

/// The format version this build reads.
pub const FORMAT_VERSION: u64 = 1;

/// A whole file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    /// The format version (checked before anything else).
    pub cartsim: Value,
    /// Title.
    pub title: String,
    /// Paragraph shown on the title card.
    #[serde(default)]
    pub summary: Option<String>,
    /// Free tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// The starting world.
    pub world: RawWorld,
    /// What happens.
    #[serde(default)]
    pub steps: Vec<RawStep>,
}

/// The starting world.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawWorld {
    #[serde(default)]
    pub stores: Vec<RawStore>,
    #[serde(default)]
    pub accounts: Vec<RawAccount>,
    #[serde(default)]
    pub buyers: Vec<RawBuyer>,
    #[serde(default)]
    pub products: Vec<RawProduct>,
    #[serde(default)]
    pub carts: Vec<RawCart>,
    #[serde(default)]
    pub sessions: Vec<RawSession>,
    #[serde(default)]
    pub operations: Vec<RawOperation>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStore {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub on_cart_change: Option<String>,
    #[serde(default)]
    pub checkout_flow: Option<Vec<RawFlowStep>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFlowStep {
    pub state: String,
    #[serde(default)]
    pub operation: Option<String>,
    #[serde(default)]
    pub ticks: Option<u64>,
    #[serde(default)]
    pub buyer: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAccount {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub stores: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBuyer {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub accounts: Vec<String>,
    #[serde(default)]
    pub effective_account: Option<String>,
    #[serde(default)]
    pub permissions: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProduct {
    pub sku: String,
    #[serde(default)]
    pub name: Option<String>,
    pub price: Number,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCart {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    pub store: String,
    pub buyer: String,
    #[serde(default)]
    pub account: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub items: Vec<RawItem>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawItem {
    pub sku: String,
    pub quantity: u64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSession {
    pub id: String,
    pub cart: String,
    pub state: String,
    #[serde(default)]
    pub next_state: Option<String>,
    #[serde(default)]
    pub is_processing: bool,
    #[serde(default)]
    pub is_error: bool,
    #[serde(default)]
    pub is_archived: bool,
    #[serde(default)]
    pub background_operation_id: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOperation {
    pub id: String,
    pub name: String,
    pub status: String,
    #[serde(default)]
    pub ticks_left: Option<u64>,
}

/// A step: `do` names the kind; the other keys depend on it (checked in the loader).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStep {
    #[serde(rename = "do")]
    pub kind: String,
    #[serde(default)]
    pub cart: Option<String>,
    #[serde(default)]
    pub sku: Option<String>,
    #[serde(default)]
    pub quantity: Option<Number>,
    #[serde(default)]
    pub ticks: Option<u64>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub buyer: Option<String>,
    #[serde(default)]
    pub permission: Option<String>,
    #[serde(default)]
    pub account: Option<String>,
    #[serde(default)]
    pub store: Option<String>,
    #[serde(default, rename = "as")]
    pub actor: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub marker: Option<String>,
    #[serde(default)]
    pub expect: Option<RawExpect>,
    #[serde(default)]
    pub quiz: Option<RawQuiz>,
}

/// What must hold right after a step.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExpect {
    #[serde(default)]
    pub result: Option<String>,
    #[serde(default)]
    pub http: Option<u16>,
    #[serde(default)]
    pub state: Option<Map<String, Value>>,
}

/// A question put to the trainee before a step plays (exercise mode).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQuiz {
    pub question: String,
    pub choices: Vec<String>,
    /// The index (from 0) of the right choice.
    pub answer: usize,
    #[serde(default)]
    pub explanation: Option<String>,
}
