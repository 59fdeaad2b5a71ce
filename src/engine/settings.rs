//! The store settings, each declared once: its key, type, defaults in each edition of
//! the format, whether the store pane shows it, and its readings (each value, what it
//! does, and which source backs it).
//!
//! Everything else comes from this one table: [`StoreSettings`] and its defaults,
//! parsing ([`StoreSettings::set`], used by the loader, the `set_setting` step and
//! `diagnose --setting`), writing (save and `upgrade`), the world view and the store
//! pane, the rules table that `cartsim rules` prints, and the store keys of the file
//! format (`scenario::format::RawStore`). The schema's store settings are tested
//! against it.

use super::model::{
    CancelReading, CanceledFinishedAt, CartAccess, CartCleanup, CheckoutExpiry,
    CheckoutSessionReading, ContinueWhileProcessing, Edition, OrderCreated, PlaceOrderVersion,
    TaxRate, Template, ValidationOnStart,
};
use super::source::Source;
use std::fmt;

/// The largest tick count or tick a setting takes.
pub const MAX_TICKS: u64 = 1_000_000;

/// One value of a setting, as the rules table lists it.
#[derive(Debug, Clone, Copy)]
pub struct Reading {
    /// The value as a file writes it, or a placeholder for any number (`N ticks`, `T`,
    /// `R`; see [`is_placeholder`]).
    pub value: &'static str,
    /// What it does.
    pub meaning: &'static str,
    /// Which source backs it.
    pub source: Source,
}

/// What values a setting takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One of these names.
    Names(&'static [&'static str]),
    /// A number of ticks (a duration), or null.
    Ticks,
    /// A tick (an instant), or null.
    Tick,
    /// A decimal fraction from 0 to 1 with at most four places.
    Rate,
}

impl Kind {
    /// What the setting takes, in the words of an error message.
    pub fn expected(self) -> String {
        match self {
            Kind::Names(names) => format!(
                "expected one of: {}",
                names
                    .iter()
                    .map(|n| format!("\"{n}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Kind::Ticks => format!("expected a number of ticks from 0 to {MAX_TICKS}, or null"),
            Kind::Tick => format!("expected a tick from 0 to {MAX_TICKS}, or null"),
            Kind::Rate => {
                "expected a decimal fraction from 0 to 1 with at most four places (e.g. 0.0825)"
                    .to_string()
            }
        }
    }

    /// The value an input stands for, if this kind takes it.
    fn parse(self, input: &SettingInput<'_>) -> Option<SettingValue> {
        use serde_json::Value;
        let ticks = |n: Option<u64>| match n {
            Some(n) if n > MAX_TICKS => None,
            n => Some(SettingValue::Ticks(n)),
        };
        let text = match input {
            SettingInput::Json(Value::String(text)) => Some(text.as_str()),
            SettingInput::Arg(text) => Some(*text),
            _ => None,
        };
        match (self, input) {
            (Kind::Names(names), SettingInput::Json(_) | SettingInput::Arg(_)) => names
                .iter()
                .find(|n| Some(**n) == text)
                .map(|n| SettingValue::Name(n)),
            (Kind::Names(names), SettingInput::Value(SettingValue::Name(n))) => {
                names.contains(n).then_some(SettingValue::Name(n))
            }
            (Kind::Ticks | Kind::Tick, SettingInput::Json(Value::Null)) => ticks(None),
            (Kind::Ticks | Kind::Tick, SettingInput::Json(Value::Number(n))) => {
                ticks(Some(n.as_u64()?))
            }
            (Kind::Ticks | Kind::Tick, SettingInput::Arg(text)) => match *text {
                "null" | "none" => ticks(None),
                text => ticks(Some(text.parse().ok()?)),
            },
            (Kind::Ticks | Kind::Tick, SettingInput::Value(SettingValue::Ticks(n))) => ticks(*n),
            (Kind::Rate, SettingInput::Json(Value::Number(n))) => {
                TaxRate::parse(&n.to_string()).map(SettingValue::Rate)
            }
            (Kind::Rate, SettingInput::Arg(text)) => TaxRate::parse(text).map(SettingValue::Rate),
            (Kind::Rate, SettingInput::Value(SettingValue::Rate(r))) => {
                Some(SettingValue::Rate(*r))
            }
            _ => None,
        }
    }
}

/// A setting's value, whatever its type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SettingValue {
    /// A named value (`lenient`).
    Name(&'static str),
    /// A tick count or a tick, or null.
    Ticks(Option<u64>),
    /// A tax rate.
    Rate(TaxRate),
}

impl SettingValue {
    /// As a file writes it.
    pub fn to_json(self) -> serde_json::Value {
        match self {
            SettingValue::Name(n) => serde_json::Value::String(n.to_string()),
            SettingValue::Ticks(None) => serde_json::Value::Null,
            SettingValue::Ticks(Some(n)) => serde_json::Value::from(n),
            // The exact decimal text, kept as a number's text (arbitrary precision).
            SettingValue::Rate(r) => {
                serde_json::from_str(&r.to_string()).unwrap_or(serde_json::Value::Null)
            }
        }
    }
}

/// The value as a file writes it: `lenient`, `40`, `null`, `0.0825`.
impl fmt::Display for SettingValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SettingValue::Name(n) => f.write_str(n),
            SettingValue::Ticks(None) => f.write_str("null"),
            SettingValue::Ticks(Some(n)) => write!(f, "{n}"),
            SettingValue::Rate(r) => write!(f, "{r}"),
        }
    }
}

/// A value to set, as it came: a JSON value from a file, a `KEY=VALUE` argument, or a
/// value already typed (an engine action).
#[derive(Debug, Clone, Copy)]
pub enum SettingInput<'a> {
    /// From a scenario file: a string for a named value, a number or null otherwise.
    Json(&'a serde_json::Value),
    /// From the command line: the text after `=` (`null` or `none` for no value).
    Arg(&'a str),
    /// Already typed.
    Value(SettingValue),
}

impl SettingInput<'_> {
    /// The input quoted for an error message (control characters escaped).
    fn quoted(&self) -> String {
        use serde_json::Value;
        let quote = |text: &str| {
            let short: String = text.chars().take(60).collect();
            format!("{short:?}")
        };
        match self {
            SettingInput::Json(Value::String(s)) => quote(s),
            SettingInput::Arg(s) => quote(s),
            SettingInput::Json(Value::Number(n)) => quote(&n.to_string()).replace('"', ""),
            SettingInput::Json(Value::Null) => "null".to_string(),
            SettingInput::Json(Value::Bool(b)) => b.to_string(),
            SettingInput::Json(Value::Array(_)) => "a list".to_string(),
            SettingInput::Json(Value::Object(_)) => "an object".to_string(),
            SettingInput::Value(v) => v.to_string(),
        }
    }
}

/// Why a setting could not be set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingError {
    /// No store setting has this key.
    UnknownKey(String),
    /// The key does not take this value.
    Value {
        /// The setting.
        key: &'static str,
        /// The value given, quoted.
        given: String,
        /// What it takes.
        expected: String,
    },
}

impl fmt::Display for SettingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SettingError::UnknownKey(key) => {
                let key: String = key.chars().take(60).collect();
                write!(
                    f,
                    "{key:?} is not a store setting; expected one of: {}",
                    keys().collect::<Vec<_>>().join(", ")
                )
            }
            SettingError::Value {
                key,
                given,
                expected,
            } => write!(f, "{given} is not a value of `{key}`; {expected}"),
        }
    }
}

impl std::error::Error for SettingError {}

/// One store setting: the row of the declaration.
#[derive(Clone, Copy)]
pub struct Setting {
    /// The store key, which is also the field of [`StoreSettings`].
    pub key: &'static str,
    /// The key with a `~`: how the change log names it (simulator configuration).
    pub label: &'static str,
    /// What it does, in one line.
    pub summary: &'static str,
    /// The values it takes.
    pub kind: Kind,
    /// False for a setting fixed for the whole run (`template`: a store does not change
    /// its kind mid-scenario), which `set_setting` refuses.
    pub changeable: bool,
    /// Its values, what each does and which source backs it.
    pub readings: &'static [Reading],
    get: fn(&StoreSettings) -> SettingValue,
    put: fn(&mut StoreSettings, SettingValue) -> bool,
    shown: fn(&StoreSettings) -> bool,
}

impl fmt::Debug for Setting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Setting").field("key", &self.key).finish()
    }
}

impl Setting {
    /// The setting's value in `settings`.
    pub fn get(&self, settings: &StoreSettings) -> SettingValue {
        (self.get)(settings)
    }

    /// Whether the store pane shows the setting (the world view shows every one).
    pub fn shown_in_pane(&self, settings: &StoreSettings) -> bool {
        (self.shown)(settings)
    }

    /// The value for a reader: `none` for no value, `40 ticks`, `tick 7`, `0.0825`.
    pub fn show(&self, settings: &StoreSettings) -> String {
        match (self.kind, self.get(settings)) {
            (Kind::Ticks | Kind::Tick, SettingValue::Ticks(None)) => "none".to_string(),
            (Kind::Ticks, SettingValue::Ticks(Some(n))) => format!("{n} ticks"),
            (Kind::Tick, SettingValue::Ticks(Some(n))) => format!("tick {n}"),
            (_, value) => value.to_string(),
        }
    }

    /// The default in an edition.
    pub fn default_in(&self, edition: Edition) -> SettingValue {
        self.get(&StoreSettings::defaults(edition))
    }

    /// The value an input stands for, if this setting takes it.
    pub fn parse(&self, input: SettingInput<'_>) -> Result<SettingValue, SettingError> {
        self.kind.parse(&input).ok_or_else(|| SettingError::Value {
            key: self.key,
            given: input.quoted(),
            expected: self.kind.expected(),
        })
    }
}

/// The setting with this key.
pub fn setting(key: &str) -> Option<&'static Setting> {
    SETTINGS.iter().find(|s| s.key == key)
}

/// Every setting's key, in declaration order.
pub fn keys() -> impl Iterator<Item = &'static str> {
    SETTINGS.iter().map(|s| s.key)
}

/// True for a reading that stands for any number (`N ticks`, `T`, `R`), not one value.
pub fn is_placeholder(value: &str) -> bool {
    value.starts_with(|c: char| c.is_ascii_uppercase())
}

/// How a Rust type is held in a [`SettingValue`].
trait SettingType: Sized {
    fn to_value(self) -> SettingValue;
    fn from_value(value: SettingValue) -> Option<Self>;
}

impl<T: super::named::Named> SettingType for T {
    fn to_value(self) -> SettingValue {
        SettingValue::Name(self.name())
    }
    fn from_value(value: SettingValue) -> Option<T> {
        match value {
            SettingValue::Name(n) => T::from_name(n),
            _ => None,
        }
    }
}

impl SettingType for Option<u64> {
    fn to_value(self) -> SettingValue {
        SettingValue::Ticks(self)
    }
    fn from_value(value: SettingValue) -> Option<Option<u64>> {
        match value {
            SettingValue::Ticks(n) => Some(n),
            _ => None,
        }
    }
}

impl SettingType for TaxRate {
    fn to_value(self) -> SettingValue {
        SettingValue::Rate(self)
    }
    fn from_value(value: SettingValue) -> Option<TaxRate> {
        match value {
            SettingValue::Rate(r) => Some(r),
            _ => None,
        }
    }
}

macro_rules! kind_of {
    (names, $ty:ty) => {
        Kind::Names(<$ty>::NAMES)
    };
    (ticks, $ty:ty) => {
        Kind::Ticks
    };
    (tick, $ty:ty) => {
        Kind::Tick
    };
    (rate, $ty:ty) => {
        Kind::Rate
    };
}

/// Builds [`StoreSettings`], its defaults and [`SETTINGS`] from the rows of
/// [`for_each_store_setting`].
macro_rules! declare_store_settings {
    ($(
        $field:ident {
            type: $ty:ty, kind: $kind:ident,
            defaults: ($one:expr, $two:expr),
            changeable: $changeable:expr,
            pane: $shown:expr,
            summary: $summary:expr,
            readings: [$(($value:expr, $meaning:expr, $source:expr)),+ $(,)?] $(,)?
        }
    )+) => {
        /// The per-store settings that choose between readings of the sources. Each
        /// edition of the scenario format has its own defaults; every setting can be
        /// named explicitly. Declared once, in [`SETTINGS`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct StoreSettings {
            $(
                #[doc = concat!("`", stringify!($field), "`: ", $summary)]
                pub $field: $ty,
            )+
        }

        impl StoreSettings {
            /// The defaults of an edition.
            pub fn defaults(edition: Edition) -> StoreSettings {
                match edition {
                    Edition::One => StoreSettings { $($field: $one,)+ },
                    Edition::Two => StoreSettings { $($field: $two,)+ },
                }
            }
        }

        /// Every setting's name in the change log: its key with a `~`, since a setting
        /// is the simulator's configuration, not a WebStore field.
        pub const LABELS: &[&str] = &[$(concat!("~", stringify!($field))),+];

        /// Every store setting, in the order the format documents them.
        pub const SETTINGS: &[Setting] = &[$(
            Setting {
                key: stringify!($field),
                label: concat!("~", stringify!($field)),
                summary: $summary,
                kind: kind_of!($kind, $ty),
                changeable: $changeable,
                readings: &[$(Reading { value: $value, meaning: $meaning, source: $source },)+],
                get: |s: &StoreSettings| SettingType::to_value(s.$field),
                put: |s: &mut StoreSettings, v: SettingValue| match <$ty as SettingType>::from_value(v) {
                    Some(value) => {
                        s.$field = value;
                        true
                    }
                    None => false,
                },
                shown: $shown,
            },
        )+];
    };
}

/// Hands the rows of the declaration to `$callback!`: the one list of store settings.
/// Besides this module, the file format expands it into its store keys.
macro_rules! for_each_store_setting {
    ($callback:ident) => {
        $callback! {
            template {
                type: Template, kind: names,
                defaults: (Template::Aura, Template::Aura),
                changeable: false,
                pane: |_| false,
                summary: "how the storefront runs checkout (flow actions or the REST checkout API).",
                readings: [
                    ("aura", "checkout runs as a flow of the B2B Commerce flow actions",
                     Source::Documented("developer.salesforce.com commerce guide: B2B Commerce Checkout Flow (Aura): Aura stores run checkout as a flow of the checkout flow actions (Checkout Session, Update Checkout Session, Cancel Cart Async Operation, Cart to Order)")),
                    ("lwr", "the storefront calls the Connect REST checkout API: the steps checkout_start, checkout_poll, checkout_update, checkout_delete, pay and place_order; start_checkout and continue are refused; a cart change in checkout reruns the calculators it needs (Simplified Cart Cleanup)",
                     Source::Documented("developer.salesforce.com commerce guide: how standard checkout works and checkout async processing (LWR and headless stores)")),
                ],
            }
            checkout_session {
                type: CheckoutSessionReading, kind: names,
                defaults: (CheckoutSessionReading::Strict, CheckoutSessionReading::GetOrCreate),
                changeable: true,
                // An lwr store's PUT always gets or creates: the reading is the flow's.
                pane: |s| s.template == Template::Aura,
                summary: "what Checkout Session does with a cart that already has an active session.",
                readings: [
                    ("strict", "a second start is refused: Cart Is Already in Progress (BAD_REQUEST 400); the cart must be Active",
                     Source::Documented("help.salesforce.com: Checkout Session, requirement \"no current, active session\"")),
                    ("get_or_create", "a start on a cart with an active session returns that session and changes nothing; the cart may be Active or Checkout",
                     Source::Documented("help.salesforce.com: Checkout Session summary (\"gets or creates\"); sample Reentrant_Subflow_Checkout_Session.flow calls it on every loop")),
                ],
            }
            cancel_requirements {
                type: CancelReading, kind: names,
                defaults: (CancelReading::Enforce, CancelReading::Enforce),
                changeable: true,
                pane: |_| true,
                summary: "whether Cancel Cart Async Operation's requirements 5 and 6 are refusals.",
                readings: [
                    ("enforce", "requirements 5 (an active session) and 6 (a valid BackgroundOperationId) are refusals",
                     Source::Documented(HELP_CANCEL)),
                    ("lenient", "with no active session the cancel succeeds and changes nothing; with no valid operation it archives the session and unlocks the cart",
                     Source::Inferred("quickstart Checkout_Main_Checkout.flow calls the cancel on every cart not yet complete, with no fault path")),
                ],
            }
            checkout_ttl {
                type: Option<u64>, kind: ticks,
                defaults: (None, None),
                changeable: true,
                pane: |s| s.checkout_ttl.is_some(),
                summary: "ticks a checkout may take before it expires; `None` never expires.",
                readings: [
                    ("null", "checkouts never expire",
                     Source::Documented("developer.salesforce.com commerce guide: checkout time-to-live (null never expires)")),
                    ("N ticks", "a checkout not finished N ticks after it started is expired (what then happens: checkout_expiry); 0 disables checkout",
                     Source::Documented("developer.salesforce.com commerce guide: checkout time-to-live (WebStore.CheckoutTimeToLive; B2B default 2880 minutes)")),
                ],
            }
            operation_expiry {
                type: Option<u64>, kind: ticks,
                defaults: (None, None),
                changeable: true,
                pane: |s| s.operation_expiry.is_some(),
                summary: "ticks after which a finished operation leaves the queue.",
                readings: [
                    ("null", "finished operations stay in the queue",
                     Source::Choice("the docs give no default for ExpiresAt; cartsim keeps them unless asked")),
                    ("N ticks", "a finished operation (Complete, Canceled, Error, Merged) leaves the queue N ticks after it finished",
                     Source::Documented("Object Reference: BackgroundOperation.ExpiresAt")),
                ],
            }
            continue_while_processing {
                type: ContinueWhileProcessing, kind: names,
                defaults: (ContinueWhileProcessing::CheckoutConflict, ContinueWhileProcessing::AlreadyInProcess),
                changeable: true,
                pane: |_| false,
                summary: "what `continue` answers while an operation runs.",
                readings: [
                    ("checkout_conflict", "continue while an operation runs gives CHECKOUT_CONFLICT 409",
                     Source::Borrowed("the REST checkout API's code for a call overlapping a running calculation (commerce guide: checkout async processing); the docs give Update Checkout Session no code for it")),
                    ("already_in_process", "continue while an operation runs gives ALREADY_IN_PROCESS 400",
                     Source::Borrowed("Cart to Order's \"Integration Is Already in Progress\" (help.salesforce.com: Cart to Order); the docs give Update Checkout Session no code for it")),
                ],
            }
            cart_access {
                type: CartAccess, kind: names,
                defaults: (CartAccess::Unchecked, CartAccess::OwnerAndAccount),
                changeable: true,
                pane: |_| false,
                summary: "whether buyer actions check that the actor may use the cart.",
                readings: [
                    ("unchecked", "any buyer who passes the permission, account and membership checks may act on the cart",
                     Source::Choice("the first model's reading; kept for format 1 files")),
                    ("owner_and_account", "the acting buyer must own the cart and act for its account (User Doesn't Have Access to the Cart)",
                     Source::Borrowed("Cart to Order's \"User Doesn't Have Access to the Cart\" (help.salesforce.com: Cart to Order); the docs give the other flow actions and the REST calls no such check")),
                ],
            }
            validation_on_start {
                type: ValidationOnStart, kind: names,
                defaults: (ValidationOnStart::Keep, ValidationOnStart::Clear),
                changeable: true,
                pane: |_| false,
                summary: "what Checkout Session does with the cart's CartValidationOutput rows.",
                readings: [
                    ("keep", "Checkout Session leaves the cart's CartValidationOutput rows",
                     Source::Choice("the first model's reading; kept for format 1 files")),
                    ("clear", "Checkout Session deletes every CartValidationOutput row of the cart when it creates a session",
                     Source::Documented(HELP_SESSION)),
                ],
            }
            order_created {
                type: OrderCreated, kind: names,
                defaults: (OrderCreated::AtCompletion, OrderCreated::AtCartToOrder),
                changeable: true,
                pane: |_| false,
                summary: "when the order is created.",
                readings: [
                    ("at_completion", "the order is created when the flow's last state is done, as the cart closes",
                     Source::Choice("the first model's reading; kept for format 1 files")),
                    ("at_cart_to_order", "an operation named Cart to Order creates the order; the cart closes only when the flow ends",
                     Source::Sample("quickstart Reentrant_Checkout.flow and Reentrant_Subflow_Order_Confirmation.flow (Close_Cart)")),
                ],
            }
            canceled_finished_at {
                type: CanceledFinishedAt, kind: names,
                defaults: (CanceledFinishedAt::Set, CanceledFinishedAt::Null),
                changeable: true,
                pane: |_| false,
                summary: "whether a canceled operation gets a FinishedAt.",
                readings: [
                    ("set", "a canceled operation gets a FinishedAt",
                     Source::Choice("the first model's reading; kept for format 1 files")),
                    ("null", "FinishedAt is set only on Complete or Error",
                     Source::Documented("Object Reference: BackgroundOperation.FinishedAt (\"completed or error\")")),
                ],
            }
            checkout_expiry {
                type: CheckoutExpiry, kind: names,
                defaults: (CheckoutExpiry::Eager, CheckoutExpiry::OnReturn),
                changeable: true,
                // The reading matters only once a checkout can expire.
                pane: |s| s.checkout_ttl.is_some() || s.checkout_valid_after.is_some(),
                summary: "when a checkout past its time to live is found expired.",
                readings: [
                    ("on_return", "nothing changes when the time passes; the buyer's next checkout action (Aura: start_checkout or continue; LWR: any checkout call) finds the checkout expired and its integrations run again",
                     Source::Documented("developer.salesforce.com commerce guide: checkout time-to-live (b2b-b2c-comm-checkout-ttl): \"when the user returns to their cart, the checkout integrations run again and provide current information\"")),
                    ("eager", "at the deadline the running operation is Canceled, the session archived and the cart Active",
                     Source::Inferred("the earlier model's reading; \"the checkout status is set to Canceled and the cart status is reverted to Active\" was attributed to the D2C Streamlined Place Order page and could not be verified")),
                ],
            }
            checkout_valid_after {
                type: Option<u64>, kind: tick,
                defaults: (None, None),
                changeable: true,
                pane: |s| s.checkout_valid_after.is_some(),
                summary: "WebStore.CheckoutValidAfterDate: a checkout started before this tick is expired; `None` sets no such date.",
                readings: [
                    ("null", "no date: a checkout expires only by its time to live",
                     Source::Documented(TTL_API)),
                    ("T", "a checkout started before tick T is expired; cartsim applies the date once the clock reaches T (a date still in the future expires nothing yet)",
                     Source::Documented(TTL_API)),
                ],
            }
            place_order {
                type: PlaceOrderVersion, kind: names,
                defaults: (PlaceOrderVersion::V1, PlaceOrderVersion::V1),
                changeable: true,
                pane: |s| s.template == Template::Lwr && s.place_order != PlaceOrderVersion::V1,
                summary: "which place order call an LWR storefront makes.",
                readings: [
                    ("v1", "place_order is POST .../checkouts/{id}/orders",
                     Source::Documented("Connect REST API reference: Commerce Webstore Checkout Orders")),
                    ("v2", "Place Order V2: place_order with `action` is POST .../checkouts/{id}/orders/actions with {\"actions\":[{\"action\":\"prepare\"|\"submit\"}]} (API 64.0+, Streamlined Place Order enabled); without `action` it is still POST .../orders, which the guide's API comparison lists beside V2",
                     Source::Documented("Connect REST API reference: Commerce Webstore Checkout Orders Actions; extension point Commerce_Domain_Checkout_PlaceOrder")),
                ],
            }
            cart_cleanup {
                type: CartCleanup, kind: names,
                defaults: (CartCleanup::Simplified, CartCleanup::Simplified),
                changeable: true,
                pane: |s| s.template == Template::Lwr && s.cart_cleanup != CartCleanup::Simplified,
                summary: "what a cart change during checkout does in an LWR store.",
                readings: [
                    ("simplified", "in an lwr store a cart change during checkout keeps the checkout and reruns the calculators it needs",
                     Source::Documented(CART_CLEANUP)),
                    ("cancel_checkout", "in an lwr store a cart change during checkout cancels the checkout, as in an aura store (before Spring '25, or the Cart Calculate API off)",
                     Source::Documented(CART_CLEANUP)),
                ],
            }
            tax_rate {
                type: TaxRate, kind: rate,
                defaults: (TaxRate::ZERO, TaxRate::ZERO),
                changeable: true,
                pane: |s| s.tax_rate != TaxRate::ZERO,
                summary: "TotalTaxAmount is this rate of product plus charge.",
                readings: [
                    ("0", "no tax: TotalTaxAmount is 0", Source::Choice(TAX_STAND_IN)),
                    ("R", "TotalTaxAmount is tax_rate x (TotalProductAmount + TotalChargeAmount), rounded half up to the cent; R is a decimal fraction from 0 to 1 with at most four places",
                     Source::Choice(TAX_STAND_IN)),
                ],
            }
        }
    };
}
pub(crate) use for_each_store_setting;

const HELP_SESSION: &str = "help.salesforce.com: Checkout Session";
const HELP_CANCEL: &str = "help.salesforce.com: Cancel Cart Async Operation";
const TTL_API: &str = "developer.salesforce.com commerce guide: checkout time-to-live API (b2b-b2c-comm-checkout-ttl-api): WebStore.CheckoutValidAfterDate, \"If a checkout starts before this date, it's considered expired\"";
const CART_CLEANUP: &str = "developer.salesforce.com commerce guide: Simplified Cart Cleanup (b2b-d2c-comm-cart-cleanup): LWR stores with the Cart Calculate API enabled, Spring '25, API 63.0; can be reverted through support";
const TAX_STAND_IN: &str = "the simulator's stand-in for a tax integration (a real store's tax comes from its tax calculator)";

for_each_store_setting!(declare_store_settings);

impl Default for StoreSettings {
    fn default() -> StoreSettings {
        StoreSettings::defaults(Edition::One)
    }
}

impl StoreSettings {
    /// Sets one setting from its key and a value as it came (a file's JSON, a
    /// command-line argument or a typed value): the one parser of store settings, used
    /// by the loader, the `set_setting` step and `diagnose --setting`. On an error
    /// nothing changes. Returns the value set.
    pub fn set(
        &mut self,
        key: &str,
        value: SettingInput<'_>,
    ) -> Result<SettingValue, SettingError> {
        let setting = setting(key).ok_or_else(|| SettingError::UnknownKey(key.to_string()))?;
        let value = setting.parse(value)?;
        // The kind's parser only yields values of the setting's own type.
        let stored = (setting.put)(self, value);
        debug_assert!(stored, "{key}: a parsed value fits its field");
        Ok(value)
    }

    /// A setting's value by key.
    pub fn get(&self, key: &str) -> Option<SettingValue> {
        setting(key).map(|s| s.get(self))
    }

    /// Each setting's key and current value, as a file writes them.
    pub fn values(&self) -> Vec<(&'static str, String)> {
        SETTINGS
            .iter()
            .map(|s| (s.key, s.get(self).to_string()))
            .collect()
    }

    /// The settings whose value differs from an edition's default.
    pub fn differences_from(&self, edition: Edition) -> Vec<(&'static str, String)> {
        let defaults = StoreSettings::defaults(edition);
        SETTINGS
            .iter()
            .filter(|s| s.get(self) != s.get(&defaults))
            .map(|s| (s.key, s.get(self).to_string()))
            .collect()
    }
}

/// The reading that a setting's value selects, if the catalogue names it.
pub fn reading(key: &str, value: &str) -> Option<&'static Reading> {
    let setting = setting(key)?;
    setting
        .readings
        .iter()
        .find(|r| r.value == value)
        .or_else(|| {
            // Numbers are catalogued under a placeholder ("N ticks", "T", "R").
            value
                .parse::<f64>()
                .ok()
                .and_then(|_| setting.readings.iter().find(|r| is_placeholder(r.value)))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn set_reads_each_kind_of_value() {
        let mut s = StoreSettings::default();
        s.set("cancel_requirements", SettingInput::Json(&json!("lenient")))
            .unwrap();
        assert_eq!(s.cancel_requirements, CancelReading::Lenient);
        s.set("checkout_ttl", SettingInput::Arg("40")).unwrap();
        assert_eq!(s.checkout_ttl, Some(40));
        s.set("checkout_ttl", SettingInput::Json(&json!(null)))
            .unwrap();
        assert_eq!(s.checkout_ttl, None);
        s.set("tax_rate", SettingInput::Arg("0.0825")).unwrap();
        assert_eq!(s.tax_rate.to_string(), "0.0825");
        s.set("canceled_finished_at", SettingInput::Arg("null"))
            .unwrap();
        assert_eq!(s.canceled_finished_at, CanceledFinishedAt::Null);
    }

    #[test]
    fn set_refuses_what_a_key_does_not_take_and_changes_nothing() {
        let mut s = StoreSettings::default();
        let before = s;
        let e = s
            .set("cancel_requirements", SettingInput::Json(&json!("Lenient")))
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "\"Lenient\" is not a value of `cancel_requirements`; expected one of: \"enforce\", \"lenient\""
        );
        let e = s
            .set("checkout_ttl", SettingInput::Json(&json!("10")))
            .unwrap_err();
        assert!(e.to_string().contains("from 0 to 1000000, or null"), "{e}");
        assert!(
            s.set("checkout_ttl", SettingInput::Json(&json!(1_000_001)))
                .is_err()
        );
        assert!(s.set("tax_rate", SettingInput::Json(&json!(1.5))).is_err());
        assert!(s.set("tax_rate", SettingInput::Json(&json!(null))).is_err());
        let e = s.set("nope", SettingInput::Arg("x")).unwrap_err();
        assert!(
            e.to_string().starts_with(
                "\"nope\" is not a store setting; expected one of: template, checkout_session,"
            ),
            "{e}"
        );
        assert_eq!(s, before);
    }

    #[test]
    fn every_row_round_trips_its_defaults_through_its_own_parser() {
        for edition in [Edition::One, Edition::Two] {
            let defaults = StoreSettings::defaults(edition);
            for setting in SETTINGS {
                let json = setting.get(&defaults).to_json();
                let mut s = StoreSettings::defaults(match edition {
                    Edition::One => Edition::Two,
                    Edition::Two => Edition::One,
                });
                s.set(setting.key, SettingInput::Json(&json)).unwrap();
                assert_eq!(s.get(setting.key), Some(setting.get(&defaults)));
                let arg = setting.get(&defaults).to_string();
                s.set(setting.key, SettingInput::Arg(&arg)).unwrap();
                assert_eq!(s.get(setting.key), Some(setting.get(&defaults)));
            }
        }
    }

    #[test]
    fn every_named_value_has_a_reading_and_every_reading_a_value() {
        for setting in SETTINGS {
            if let Kind::Names(names) = setting.kind {
                let values: Vec<&str> = setting.readings.iter().map(|r| r.value).collect();
                assert_eq!(values, names, "{}", setting.key);
            }
        }
    }
}
