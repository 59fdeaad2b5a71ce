//! The scenario file format, both editions, exactly as it is written on disk: the one
//! description of the format. Loading reads these types, and saving a branch and
//! `cartsim upgrade` write them, so the three cannot drift apart.
//!
//! These types only mirror the JSON; [`super::load`] checks references, fills defaults
//! and builds the engine's world. Unknown keys are refused everywhere.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Number, Value};

/// The first edition of the format.
pub const FORMAT_VERSION: u64 = 1;
/// The newest edition this build reads and writes.
pub const LATEST_VERSION: u64 = 2;
/// Every edition this build reads.
pub const VERSIONS: &[u64] = &[1, 2];

fn is_false(b: &bool) -> bool {
    !*b
}

fn no_steps<Steps: AsRef<[RawStep]>>(steps: &Steps) -> bool {
    steps.as_ref().is_empty()
}

/// A whole file. `Steps` is how its steps are held: a list, but for the loader, which
/// reads them one at a time in a second pass so that a file of a million steps is never
/// held whole ([`serde::de::IgnoredAny`] then skips them in the first pass).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(
    deny_unknown_fields,
    bound(serialize = "Steps: Serialize + AsRef<[RawStep]>")
)]
pub struct RawScenario<Steps = Vec<RawStep>> {
    /// The format version (checked before anything else).
    pub cartsim: Value,
    /// Title.
    pub title: String,
    /// Paragraph shown on the title card.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Free tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// The starting world.
    pub world: RawWorld,
    /// What happens.
    #[serde(default, skip_serializing_if = "no_steps")]
    pub steps: Steps,
    /// What `cartsim explore` explores by default (ignored by every other command).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explore: Option<RawExplore>,
}

/// The `explore` section: `cartsim explore`'s options for this file. Command-line
/// options win over it; `never` properties of both are checked.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawExplore {
    /// The longest action sequence (at least 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub depth: Option<u64>,
    /// Play this many of the file's steps before exploring.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<u64>,
    /// Add fail_operation and custom_update to the default alphabet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub faults: Option<bool>,
    /// `owner` (the cart's buyer) or `all` (every buyer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actors: Option<String>,
    /// The alphabet, exactly: step kinds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actions: Option<Vec<String>>,
    /// Stop after this many distinct states.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_states: Option<u64>,
    /// Properties: each an object of `"RECORD.Field": value` members that must never
    /// all hold at once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub never: Vec<Map<String, Value>>,
}

/// The starting world.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawWorld {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stores: Vec<RawStore>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accounts: Vec<RawAccount>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buyers: Vec<RawBuyer>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub products: Vec<RawProduct>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub carts: Vec<RawCart>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sessions: Vec<RawSession>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub operations: Vec<RawOperation>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub validation_outputs: Vec<RawValidationOutput>,
}

/// Builds [`RawStore`] with one key per store setting, from the engine's declaration
/// (`engine::settings`): a setting's value is kept as the file wrote it and parsed by
/// the setting itself, so that the loader, `set_setting` and `diagnose` read it alike.
macro_rules! raw_store {
    ($($field:ident { $($row:tt)* })+) => {
        #[derive(Debug, Clone, Default, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct RawStore {
            pub id: String,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub name: Option<String>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub on_cart_change: Option<String>,
            $(
                #[doc = concat!("The store setting `", stringify!($field), "`; null or absent is the edition's default.")]
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $field: Option<Value>,
            )+
            /// The delivery methods the store offers.
            #[serde(default, skip_serializing_if = "Vec::is_empty")]
            pub delivery_methods: Vec<RawDeliveryMethod>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub checkout_flow: Option<Vec<RawFlowStep>>,
        }

        impl RawStore {
            /// The value the file gives a store setting, if any.
            pub fn setting(&self, key: &str) -> Option<&Value> {
                match key {
                    $(stringify!($field) => self.$field.as_ref(),)+
                    _ => None,
                }
            }

            /// Where a store setting's value is kept; `None` for a key that is not one.
            pub fn setting_mut(&mut self, key: &str) -> Option<&mut Option<Value>> {
                match key {
                    $(stringify!($field) => Some(&mut self.$field),)+
                    _ => None,
                }
            }
        }
    };
}

crate::engine::settings::for_each_store_setting!(raw_store);

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDeliveryMethod {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub price: Number,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFlowStep {
    pub state: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticks: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buyer: Option<bool>,
    /// A synchronous state: its work is done in the same instant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sync: Option<bool>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAccount {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stores: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBuyer {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accounts: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_account: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions: Option<Vec<String>>,
    /// A guest buyer: an `lwr` store's checkout needs contact details before the order.
    #[serde(default, skip_serializing_if = "is_false")]
    pub guest: bool,
    /// `cartsim serve`: the bearer token that calls as this buyer (its id when left out).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// The buyer's saved shipping address (same shape as `checkout_update`'s
    /// `shipping_address`): a new `lwr` checkout takes it and runs Shipping and Tax too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Value>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProduct {
    pub sku: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub price: Number,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCart {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub store: String,
    pub buyer: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<RawItem>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawItem {
    pub sku: String,
    pub quantity: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSession {
    pub id: String,
    pub cart: String,
    /// CartCheckoutSession.State: required in an `aura` store; an `lwr` checkout's
    /// State is null (left out).
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_state: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub is_processing: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub is_error: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub is_archived: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub background_operation_id: Option<String>,
    /// The tick the checkout started, for its time to live (may be negative: before
    /// the scenario's first instant); 0 when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOperation {
    pub id: String,
    pub name: String,
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticks_left: Option<u64>,
}

/// A CartValidationOutput that exists before the first step.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawValidationOutput {
    pub id: String,
    pub cart: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    pub level: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub related: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub is_dismissed: bool,
}

/// A step: `do` names the kind; the other keys depend on it (checked in the loader).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStep {
    #[serde(rename = "do")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cart: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticks: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// `fail_operation`: the CartValidationOutput's Type.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub row_type: Option<String>,
    /// `fail_operation`: the CartValidationOutput's Level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    /// `checkout_update`: the shipping address, an object (`street`, `city`,
    /// `postal_code`, `country`) or a string read as the street (reruns Shipping, Post
    /// Shipping and Tax). Checked in the loader, which names the position of a bad one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping_address: Option<Value>,
    /// `checkout_update`: the delivery method (reruns Tax).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_method: Option<String>,
    /// `checkout_update`: a guest's contact e-mail (WebCart.GuestEmailAddress).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    /// `place_order` in a `place_order: v2` store: `prepare` or `submit` (Place Order V2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// `custom_update`: `next_call` arms the custom code to run inside the cart's next
    /// PUT, PATCH or DELETE (which answers 409); without it the code saves now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub during: Option<String>,
    /// `pay`: `authorized` or `declined`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buyer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permission: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store: Option<String>,
    /// `set_setting`: the store setting's key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// `set_setting`: the new value, as the store key takes it (`null` is a value here,
    /// not an absent key).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub value: Option<Value>,
    #[serde(default, rename = "as", skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect: Option<RawExpect>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quiz: Option<RawQuiz>,
}

impl RawStep {
    /// The keys a step kind may take, in the order the format lists them: the loader
    /// checks them against the kind's row, and the schema describes exactly these keys.
    /// `do` and the keys every step may have (`as`, `note`, `marker`, `expect`, `quiz`)
    /// are not among them.
    pub const KIND_KEYS: [&'static str; 19] = [
        "cart",
        "sku",
        "quantity",
        "ticks",
        "message",
        "type",
        "level",
        "shipping_address",
        "delivery_method",
        "contact",
        "action",
        "during",
        "outcome",
        "buyer",
        "permission",
        "account",
        "store",
        "key",
        "value",
    ];

    /// Whether each of [`Self::KIND_KEYS`] is given, in that order.
    pub fn kind_keys(&self) -> [(&'static str, bool); 19] {
        let given = [
            self.cart.is_some(),
            self.sku.is_some(),
            self.quantity.is_some(),
            self.ticks.is_some(),
            self.message.is_some(),
            self.row_type.is_some(),
            self.level.is_some(),
            self.shipping_address.is_some(),
            self.delivery_method.is_some(),
            self.contact.is_some(),
            self.action.is_some(),
            self.during.is_some(),
            self.outcome.is_some(),
            self.buyer.is_some(),
            self.permission.is_some(),
            self.account.is_some(),
            self.store.is_some(),
            self.key.is_some(),
            self.value.is_some(),
        ];
        std::array::from_fn(|i| (Self::KIND_KEYS[i], given[i]))
    }

    /// Sets one of [`Self::KIND_KEYS`] to a value as a file writes it; false when `key`
    /// is none of them or `value` is not of the key's type (the step is then unchanged).
    pub fn set_kind_key(&mut self, key: &str, value: Value) -> bool {
        let text = |slot: &mut Option<String>| match value.as_str() {
            Some(t) => {
                *slot = Some(t.to_string());
                true
            }
            None => false,
        };
        match key {
            "cart" => text(&mut self.cart),
            "sku" => text(&mut self.sku),
            "message" => text(&mut self.message),
            "type" => text(&mut self.row_type),
            "level" => text(&mut self.level),
            "delivery_method" => text(&mut self.delivery_method),
            "contact" => text(&mut self.contact),
            "action" => text(&mut self.action),
            "during" => text(&mut self.during),
            "outcome" => text(&mut self.outcome),
            "buyer" => text(&mut self.buyer),
            "permission" => text(&mut self.permission),
            "account" => text(&mut self.account),
            "store" => text(&mut self.store),
            "key" => text(&mut self.key),
            "quantity" => match value {
                Value::Number(n) => {
                    self.quantity = Some(n);
                    true
                }
                _ => false,
            },
            "ticks" => match value.as_u64() {
                Some(n) => {
                    self.ticks = Some(n);
                    true
                }
                None => false,
            },
            "shipping_address" => {
                self.shipping_address = Some(value);
                true
            }
            "value" => {
                self.value = Some(value);
                true
            }
            _ => false,
        }
    }
}

/// A key that is present, even as `null`: `Some(Value::Null)`, where a plain `Option`
/// would read `None` as if the key were absent.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

/// What must hold right after a step.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExpect {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<Map<String, Value>>,
    /// A REST call's response body, matched as a subset: every key given must be
    /// there with an equal value; an array must have the same length and match
    /// element by element.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
}

/// A question put to the trainee before a step plays (exercise mode).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQuiz {
    pub question: String,
    pub choices: Vec<String>,
    /// The number of the right choice, counting from 1.
    pub answer: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
}
