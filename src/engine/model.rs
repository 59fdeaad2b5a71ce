//! The records the simulator keeps, named as Salesforce names them.

use super::flow::Flow;
use super::id::Id;
use super::money::Money;
pub use super::settings::StoreSettings;

named_enum! {
    /// WebCart.Status.
    CartStatus {
        /// Created and available; may be modified.
        Active => "Active",
        /// In checkout; modifying it cancels (or recalculates) the checkout.
        Checkout => "Checkout",
        /// Being processed; may not be modified.
        Processing => "Processing",
        /// Marked to close, request not finished; may not be modified.
        PendingClosed => "PendingClosed",
        /// Marked for deletion, request not finished; may not be modified.
        PendingDelete => "PendingDelete",
        /// Checkout complete, order created; may not be modified.
        Closed => "Closed",
    }
}

impl CartStatus {
    /// Whether add to cart may change a cart in this status (Checkout may, by first
    /// cancelling or recalculating the checkout).
    pub fn allows_changes(self) -> bool {
        matches!(self, CartStatus::Active | CartStatus::Checkout)
    }
}

named_enum! {
    /// BackgroundOperation.Status: the documented values (Object Reference, API 67.0).
    OperationStatus {
        /// Queued, not started.
        New => "New",
        /// Scheduled to run; counts as in progress (starts at the next tick).
        Scheduled => "Scheduled",
        /// Waiting to run; counts as in progress (starts at the next tick).
        Waiting => "Waiting",
        /// Working.
        Running => "Running",
        /// Finished successfully.
        Complete => "Complete",
        /// Finished with an error.
        Error => "Error",
        /// Stopped by Cancel Cart Async Operation.
        Canceled => "Canceled",
        /// Grouped with other operations to be processed in bulk; counts as finished.
        Merged => "Merged",
    }
}

impl OperationStatus {
    /// New, Scheduled, Waiting or Running: the operation has not finished.
    pub fn in_progress(self) -> bool {
        matches!(
            self,
            OperationStatus::New
                | OperationStatus::Scheduled
                | OperationStatus::Waiting
                | OperationStatus::Running
        )
    }

    /// Queued but not started: New, Scheduled or Waiting.
    pub fn queued(self) -> bool {
        matches!(
            self,
            OperationStatus::New | OperationStatus::Scheduled | OperationStatus::Waiting
        )
    }
}

named_enum! {
    /// The edition of the scenario format a world was loaded from. The editions differ
    /// only in the defaults of the store settings below.
    Edition {
        /// `"cartsim": 1`: the first model's readings.
        One => "1",
        /// `"cartsim": 2`: the readings of Salesforce's sample flows and newer docs.
        Two => "2",
    }
}

named_enum! {
    /// WebStore template: how the storefront runs checkout.
    Template {
        /// Checkout runs as a flow of the B2B Commerce flow actions.
        Aura => "aura",
        /// The storefront calls the Connect REST checkout API.
        Lwr => "lwr",
    }
}

named_enum! {
    /// How Checkout Session treats a cart that already has an active session.
    CheckoutSessionReading {
        /// Refuse ("Cart Is Already in Progress"), and refuse a cart that is not Active.
        Strict => "strict",
        /// Return the active session unchanged; accept a cart that is Active or Checkout.
        GetOrCreate => "get_or_create",
    }
}

named_enum! {
    /// How Cancel Cart Async Operation treats requirements 5 and 6.
    CancelReading {
        /// Requirements 5 and 6 are refusals.
        Enforce => "enforce",
        /// With nothing to cancel the action succeeds; with no valid operation it
        /// archives the session and unlocks the cart.
        Lenient => "lenient",
    }
}

named_enum! {
    /// What `continue` answers while an operation runs.
    ContinueWhileProcessing {
        /// CHECKOUT_CONFLICT 409 (the REST checkout API's code; format 1).
        CheckoutConflict => "checkout_conflict",
        /// ALREADY_IN_PROCESS 400 (the flow actions' code; format 2).
        AlreadyInProcess => "already_in_process",
    }
}

named_enum! {
    /// Whether buyer actions check that the actor owns the cart and acts for its account.
    CartAccess {
        /// Not checked (format 1).
        Unchecked => "unchecked",
        /// Checked after store membership (format 2).
        OwnerAndAccount => "owner_and_account",
    }
}

named_enum! {
    /// What Checkout Session does with the cart's CartValidationOutput rows.
    ValidationOnStart {
        /// Leave them (format 1).
        Keep => "keep",
        /// Delete them when it creates a session (format 2).
        Clear => "clear",
    }
}

named_enum! {
    /// When the order is created.
    OrderCreated {
        /// When the flow's last state is done, together with closing the cart (format 1).
        AtCompletion => "at_completion",
        /// When an operation named `Cart to Order` completes; the cart closes later (format 2).
        AtCartToOrder => "at_cart_to_order",
    }
}

named_enum! {
    /// Whether a canceled operation gets a FinishedAt.
    CanceledFinishedAt {
        /// FinishedAt is set on Canceled too (format 1).
        Set => "set",
        /// FinishedAt is set only on Complete or Error, as the Object Reference says (format 2).
        Null => "null",
    }
}

named_enum! {
    /// CartValidationOutput.Level.
    ValidationLevel {
        /// Informational.
        Info => "Info",
        /// A warning: the checkout goes on.
        Warning => "Warning",
        /// An error: the checkout stops.
        Error => "Error",
    }
}

named_enum! {
    /// CartValidationOutput.Type.
    ValidationType {
        /// Inventory.
        Inventory => "Inventory",
        /// Taxes.
        Taxes => "Taxes",
        /// Pricing.
        Pricing => "Pricing",
        /// Promotions.
        Promotions => "Promotions",
        /// Shipping.
        Shipping => "Shipping",
        /// Entitlement.
        Entitlement => "Entitlement",
        /// System_Error.
        SystemError => "System_Error",
        /// Other.
        Other => "Other",
    }
}

impl ValidationType {
    /// The type that matches a BackgroundOperation's name, else Other.
    pub fn for_operation(name: &str) -> ValidationType {
        let lower = name.to_ascii_lowercase();
        if lower.contains("inventory") {
            ValidationType::Inventory
        } else if lower.contains("tax") {
            ValidationType::Taxes
        } else if lower.contains("promotion") {
            ValidationType::Promotions
        } else if lower.contains("price") || lower.contains("pricing") {
            ValidationType::Pricing
        } else if lower.contains("shipment") || lower.contains("shipping") {
            ValidationType::Shipping
        } else {
            ValidationType::Other
        }
    }
}

named_enum! {
    /// When a checkout past its time to live is found expired.
    CheckoutExpiry {
        /// Nothing changes when the time passes; the buyer's next checkout action finds
        /// the checkout expired and its integrations run again (format 2).
        OnReturn => "on_return",
        /// At the deadline the running operation is Canceled, the session archived and
        /// the cart Active (the earlier reading, kept for format 1 files).
        Eager => "eager",
    }
}

named_enum! {
    /// Which place order call an LWR storefront makes.
    PlaceOrderVersion {
        /// `POST .../checkouts/{id}/orders`.
        V1 => "v1",
        /// Place Order V2: `POST .../checkouts/{id}/orders/actions` with `prepare` or
        /// `submit` (API 64.0+, Streamlined Place Order enabled).
        V2 => "v2",
    }
}

named_enum! {
    /// What a cart change during checkout does in an LWR store.
    CartCleanup {
        /// Simplified Cart Cleanup: the checkout stays and its calculators run again.
        Simplified => "simplified",
        /// The checkout is canceled, as in an Aura store (before Spring '25, or without
        /// the Cart Calculate API).
        CancelCheckout => "cancel_checkout",
    }
}

/// A tax rate: a decimal fraction from 0 to 1 with at most four decimal places, kept
/// exactly in ten-thousandths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct TaxRate(u32);

impl TaxRate {
    /// No tax.
    pub const ZERO: TaxRate = TaxRate(0);

    /// The rate in ten-thousandths (`0.0825` is 825).
    pub fn ten_thousandths(self) -> u32 {
        self.0
    }

    /// A rate from ten-thousandths, if it is at most 1 (10000).
    pub fn from_ten_thousandths(n: u32) -> Option<TaxRate> {
        (n <= 10_000).then_some(TaxRate(n))
    }

    /// Parses a rate as a JSON number's text (`0.0825`, `0`, `1`, `8.25e-2`). Refuses
    /// more than four decimal places, negatives, more than 1 and anything not a number.
    pub fn parse(text: &str) -> Option<TaxRate> {
        let n = super::money::parse_fixed(text, 4)?;
        TaxRate::from_ten_thousandths(u32::try_from(n).ok()?)
    }

    /// The tax on an amount: rate x amount, rounded half up to the cent.
    pub fn tax_on(self, amount: Money) -> Money {
        amount.times_fraction(i128::from(self.0), 10_000)
    }
}

impl std::fmt::Display for TaxRate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let whole = self.0 / 10_000;
        let frac = self.0 % 10_000;
        if frac == 0 {
            return write!(f, "{whole}");
        }
        let digits = format!("{frac:04}");
        write!(f, "{whole}.{}", digits.trim_end_matches('0'))
    }
}

named_enum! {
    /// What a store does when a cart in checkout is changed.
    OnCartChange {
        /// Run Cancel Cart Async Operation first (the flow behaviour; the default).
        CancelCheckout => "cancel_checkout",
        /// Apply the change and run the checkout's calculators again (LWR behaviour).
        Recalculate => "recalculate",
    }
}

named_enum! {
    /// A buyer permission the simulator checks.
    Permission {
        /// Needed by add to cart.
        EditCart => "edit_cart",
        /// Needed by start checkout and continue.
        Checkout => "checkout",
        /// Needed by Cancel Cart Async Operation.
        CancelCheckout => "cancel_checkout",
    }
}

/// A B2B store (WebStore).
#[derive(Debug, Clone, PartialEq)]
pub struct Store {
    /// Scenario id.
    pub id: Id,
    /// Display name.
    pub name: String,
    /// What a cart change during checkout does.
    pub on_cart_change: OnCartChange,
    /// The states a checkout walks through (the default flow unless the file gives one).
    pub checkout_flow: Flow,
    /// True when the flow is the built-in default.
    pub default_flow: bool,
    /// The settings that choose between readings of the sources.
    pub settings: StoreSettings,
    /// The delivery methods a buyer may choose at checkout (CartDeliveryGroup's
    /// DeliveryMethodId names one).
    pub delivery_methods: Vec<DeliveryMethod>,
}

/// A delivery method a store offers, with its shipping charge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryMethod {
    /// The id a checkout names (CartDeliveryGroup.DeliveryMethodId).
    pub id: String,
    /// Display name.
    pub name: String,
    /// The charge (WebCart.TotalChargeAmount while it is selected).
    pub price: Money,
}

/// A buyer account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// Scenario id.
    pub id: Id,
    /// Display name.
    pub name: String,
    /// The stores the account is a buyer member of.
    pub stores: Vec<Id>,
}

/// A buyer user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Buyer {
    /// Scenario id.
    pub id: Id,
    /// Display name.
    pub name: String,
    /// The accounts the buyer may act for.
    pub accounts: Vec<Id>,
    /// The account the buyer acts for now (may be one it may not act for, to stage errors).
    pub effective_account: Id,
    /// The permissions the buyer holds.
    pub permissions: Vec<Permission>,
    /// A guest buyer (not logged in): in an `lwr` store the checkout needs the buyer's
    /// contact details before the order can be placed.
    pub guest: bool,
    /// The bearer token `cartsim serve` takes for this buyer (simulator-only: an org
    /// issues session ids); `None`: the buyer's id.
    pub token: Option<String>,
    /// The buyer's saved shipping address: a new `lwr` checkout copies it into its
    /// CartDeliveryGroup and runs Shipping and Tax too.
    pub address: Option<Address>,
}

impl Buyer {
    /// Whether the buyer holds the permission.
    pub fn has(&self, permission: Permission) -> bool {
        self.permissions.contains(&permission)
    }
}

/// A product that can be added to a cart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    /// Stock keeping unit, the product's id.
    pub sku: Id,
    /// Display name.
    pub name: String,
    /// Unit price, exact.
    pub price: Money,
}

/// One line of a cart.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CartItem {
    /// The product.
    pub sku: Id,
    /// How many.
    pub quantity: i64,
}

/// A WebCart.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WebCart {
    /// Scenario id.
    pub id: Id,
    /// WebCart.Name.
    pub name: String,
    /// WebCart.WebStoreId.
    pub store: Id,
    /// WebCart.OwnerId: the buyer who owns the cart.
    pub buyer: Id,
    /// WebCart.AccountId.
    pub account: Id,
    /// WebCart.Status.
    pub status: CartStatus,
    /// The cart's lines.
    pub items: Vec<CartItem>,
    /// The version behind optimistic concurrency: every save increments it.
    pub version: u64,
    /// True once custom code (`custom_update`) has saved the cart.
    pub touched_by_custom_code: bool,
    /// WebCart.GuestEmailAddress: a guest's contact e-mail, given with PATCH.
    pub guest_email: Option<String>,
    /// WebCart.TotalChargeAmount: the price of the selected delivery method.
    pub total_charge: Money,
    /// WebCart.TotalTaxAmount: written when the Tax calculator runs.
    pub total_tax: Money,
    /// Custom code armed to save the cart inside the cart's next PUT, PATCH or DELETE
    /// (`custom_update` with `"during": "next_call"`): that call answers 409.
    pub custom_code_armed: bool,
    /// The simulator-only `~version` after the latest save by custom code, if any.
    pub last_custom_save: Option<u64>,
}

/// A CartCheckoutSession.
#[derive(Debug, Clone, PartialEq, Eq, Default, Hash)]
pub struct CartCheckoutSession {
    /// Scenario or generated id (`ccs-1`, ...).
    pub id: Id,
    /// WebCartId.
    pub cart: Id,
    /// State.
    pub state: String,
    /// NextState.
    pub next_state: Option<String>,
    /// IsProcessing.
    pub is_processing: bool,
    /// IsError.
    pub is_error: bool,
    /// IsArchived; once true, never false again.
    pub is_archived: bool,
    /// BackgroundOperationId: the operation in progress (or the last one).
    pub background_operation_id: Option<Id>,
    /// OrderId, set when the order is placed.
    pub order_id: Option<Id>,
    /// The tick at which the checkout started (for its time-to-live); a session the
    /// file staged may have started before tick 0.
    pub started_at: i64,
    /// What an `lwr` store's REST checkout keeps besides the session's fields.
    pub rest: super::rest::RestCheckout,
}

/// A BackgroundOperation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BackgroundOperation {
    /// Scenario or generated id (`bop-1`, ...).
    pub id: Id,
    /// Name (for example "Check Cart Inventory").
    pub name: String,
    /// Status.
    pub status: OperationStatus,
    /// The work still to do: while the operation is Running, the tick at which none is
    /// left, so that time passing rewrites no operation; in any other status, the ticks
    /// of work still to do. Read it with [`BackgroundOperation::ticks_left_at`] or
    /// [`super::World::ticks_left`].
    pub(crate) work: u64,
    /// Ticks of work in all (for progress).
    pub ticks_total: u64,
    /// Error: the message, only on error.
    pub error: Option<String>,
    /// SubmittedAt, in ticks.
    pub submitted_at: u64,
    /// StartedAt, in ticks.
    pub started_at: Option<u64>,
    /// FinishedAt, in ticks.
    pub finished_at: Option<u64>,
    /// A fault the scenario injected: the operation ends at its next tick and writes a
    /// CartValidationOutput row.
    pub pending_fault: Option<Fault>,
    /// The cart whose checkout launched it, and the cart's version then (`None` for an
    /// operation the file staged).
    pub launched_for: Option<(Id, u64)>,
    /// The tick at which it reached a finished status (even when FinishedAt stays null).
    pub ended_at: Option<u64>,
    /// ExpiresAt: when a finished operation leaves the queue (the store's
    /// `operation_expiry` after it finished); `None` keeps it for ever.
    pub expires_at: Option<u64>,
    /// The calculators a Cart Calculate runs, in order, one tick each (`lwr` stores);
    /// empty for every other operation.
    pub calculators: Vec<super::rest::Calculator>,
}

/// A fault injected into a running operation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Fault {
    /// The message (BackgroundOperation.Error and CartValidationOutput.Message).
    pub message: String,
    /// The row's Level: Error stops the checkout; Warning and Info do not.
    pub level: ValidationLevel,
    /// The row's Type.
    pub kind: ValidationType,
}

/// A CartValidationOutput: a message an integration left on the cart.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CartValidationOutput {
    /// Scenario or generated id (`cvo-1`, ...).
    pub id: Id,
    /// CartId.
    pub cart: Id,
    /// BackgroundOperationId: the operation that wrote it, if any.
    pub operation: Option<Id>,
    /// Level.
    pub level: ValidationLevel,
    /// Type.
    pub kind: ValidationType,
    /// Message (255 characters at most).
    pub message: String,
    /// RelatedEntityId: the cart, cart item or delivery group it is about.
    pub related: Option<String>,
    /// IsDismissed.
    pub is_dismissed: bool,
}

impl BackgroundOperation {
    /// The `work` of an operation in `status` with `ticks_left` ticks of work still to do
    /// at tick `now`.
    pub(crate) fn work_for(status: OperationStatus, ticks_left: u64, now: u64) -> u64 {
        if status == OperationStatus::Running {
            now.saturating_add(ticks_left)
        } else {
            ticks_left
        }
    }

    /// Gives it `ticks_left` ticks of work still to do at tick `now`.
    pub fn set_ticks_left(&mut self, ticks_left: u64, now: u64) {
        self.work = Self::work_for(self.status, ticks_left, now);
    }

    /// Ticks of work still to do at tick `now` (between two ticks, not in the middle of
    /// one: see [`super::World::ticks_left`]). A Running operation loses one each tick.
    pub fn ticks_left_at(&self, now: u64) -> u64 {
        if self.status == OperationStatus::Running {
            self.work.saturating_sub(now)
        } else {
            self.work
        }
    }

    /// The calculator a Cart Calculate in progress is running now (simulator-only
    /// `~calculator`): one tick each, in order.
    pub fn current_calculator(&self, now: u64) -> Option<super::rest::Calculator> {
        self.calculator_after(self.ticks_left_at(now))
    }

    /// The calculator it runs with `ticks_left` ticks of work still to do.
    pub(crate) fn calculator_after(&self, ticks_left: u64) -> Option<super::rest::Calculator> {
        if !self.status.in_progress() || self.calculators.is_empty() {
            return None;
        }
        let done = self.ticks_total.saturating_sub(ticks_left) as usize;
        self.calculators
            .get(done.min(self.calculators.len() - 1))
            .copied()
    }

    /// Share of the work done at tick `now`, from 0.0 to 1.0.
    pub fn progress(&self, now: u64) -> f64 {
        if self.ticks_total == 0 {
            return 1.0;
        }
        let done = self.ticks_total.saturating_sub(self.ticks_left_at(now));
        done as f64 / self.ticks_total as f64
    }
}

/// An order placed by a checkout.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Order {
    /// Generated id (`ord-1`, ...).
    pub id: Id,
    /// The cart it was placed from.
    pub cart: Id,
    /// The session that placed it.
    pub session: Id,
}

/// A shipping address, as a PATCH gives it and a CartDeliveryGroup holds it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Hash)]
pub struct Address {
    /// DeliverToStreet.
    pub street: Option<String>,
    /// DeliverToCity.
    pub city: Option<String>,
    /// DeliverToPostalCode.
    pub postal_code: Option<String>,
    /// DeliverToCountry.
    pub country: Option<String>,
}

impl Address {
    /// One line for captions and logs: the parts given, comma separated.
    pub fn one_line(&self) -> String {
        let parts: Vec<&str> = [&self.street, &self.city, &self.postal_code, &self.country]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect();
        if parts.is_empty() {
            "(empty)".to_string()
        } else {
            parts.join(", ")
        }
    }
}

/// A CartDeliveryGroup: where and how an `lwr` checkout's items ship. Each checkout
/// creates its own.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CartDeliveryGroup {
    /// Generated id (`cdg-1`, ...).
    pub id: Id,
    /// CartId.
    pub cart: Id,
    /// The checkout that created it (simulator-only link; the org relates them through
    /// the cart).
    pub session: Id,
    /// DeliverToStreet, DeliverToCity, DeliverToPostalCode, DeliverToCountry.
    pub address: Address,
    /// DeliveryMethodId: the selected delivery method, null until the buyer picks one.
    pub delivery_method: Option<String>,
}

named_enum! {
    /// PaymentAuthorization.Status, the values the simulator uses.
    PaymentAuthorizationStatus {
        /// Authorized: the payment service accepted it.
        Processed => "Processed",
        /// Declined by the payment service.
        Failed => "Failed",
        /// Reversed because the buyer paid again (API 63.0 and later).
        Canceled => "Canceled",
    }
}

/// A PaymentAuthorization made by `POST .../payments` in an `lwr` store.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PaymentAuthorization {
    /// Generated id (`pa-1`, ...).
    pub id: Id,
    /// The checkout it was made for (simulator-only link).
    pub session: Id,
    /// Amount: the cart's GrandTotalAmount when the buyer paid.
    pub amount: Money,
    /// Status.
    pub status: PaymentAuthorizationStatus,
    /// The cart's simulator-only `~version` when the buyer paid, so that a later save by
    /// custom code is the documented 409 at place order.
    pub cart_version: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tax_rate_is_read_and_written_exactly() {
        let rate = |t: &str| TaxRate::parse(t).map(TaxRate::ten_thousandths);
        assert_eq!(rate("0.0825"), Some(825));
        assert_eq!(rate("0"), Some(0));
        assert_eq!(rate("1"), Some(10_000));
        assert_eq!(
            rate("0.08250"),
            Some(825),
            "a trailing zero is no fifth place"
        );
        assert_eq!(rate("8.25e-2"), Some(825));
        for bad in ["0.08255", "-0.1", "1.0001", "2", "abc", "", "0x1"] {
            assert_eq!(rate(bad), None, "{bad}");
        }
        for text in ["0.0825", "0", "1", "0.5", "0.07"] {
            assert_eq!(TaxRate::parse(text).unwrap().to_string(), text);
        }
    }

    #[test]
    fn tax_is_rounded_half_up_to_the_cent() {
        let rate = TaxRate::parse("0.0825").unwrap();
        // 110.00 x 0.0825 = 9.075 -> 9.08
        assert_eq!(
            rate.tax_on(Money::from_cents(11_000)),
            Money::from_cents(908)
        );
        // 10.00 x 0.0825 = 0.825 -> 0.83; 0.10 x 0.0825 = 0.00825 -> 0.01
        assert_eq!(rate.tax_on(Money::from_cents(1_000)), Money::from_cents(83));
        assert_eq!(rate.tax_on(Money::from_cents(10)), Money::from_cents(1));
        // 0.05 x 0.0825 = 0.0041 -> 0.00
        assert_eq!(rate.tax_on(Money::from_cents(5)), Money::ZERO);
        assert_eq!(TaxRate::ZERO.tax_on(Money::from_cents(12_345)), Money::ZERO);
        let one = TaxRate::parse("1").unwrap();
        assert_eq!(
            one.tax_on(Money::from_cents(12_345)),
            Money::from_cents(12_345)
        );
    }
}
