//! The world: every record at one instant of virtual time, and how to read its fields.

use super::change::{FieldValue, RecordKind};
use super::fields::*;
use super::id::Id;
use super::index::Lookups;
use super::model::*;
use super::money::Money;
use super::table::{Seq, Table};
use super::undo::Journal;

/// Everything the simulator knows at one instant. Cloning it is a snapshot, and costs
/// about the same however many records it holds: the records are kept in persistent
/// tables that a clone shares until one side changes.
///
/// The record tables are private: records are added, changed and removed only through
/// the engine's edit path (actions through `Tx`, worlds through
/// [`WorldBuilder`](super::builder::WorldBuilder)), which keeps every derived lookup
/// (each cart's sessions and active session, the operations and sessions time can
/// change, the ids sessions name) current as it goes.
#[derive(Clone, Default)]
pub struct World {
    /// Virtual time, in ticks.
    pub tick: u64,
    pub(super) stores: Table<Store>,
    pub(super) accounts: Table<Account>,
    pub(super) buyers: Table<Buyer>,
    pub(super) products: Table<Product>,
    pub(super) carts: Table<WebCart>,
    pub(super) sessions: Table<CartCheckoutSession>,
    pub(super) operations: Table<BackgroundOperation>,
    pub(super) orders: Table<Order>,
    pub(super) validation_outputs: Table<CartValidationOutput>,
    pub(super) delivery_groups: Table<CartDeliveryGroup>,
    pub(super) payment_authorizations: Table<PaymentAuthorization>,
    /// Counters behind generated ids (`ccs-N`, `bop-N`, `ord-N`, `cvo-N`, `cdg-N`, `pa-N`).
    pub(super) next_ids: [u64; 6],
    /// What is derived from the records, kept current by the edit path.
    pub(super) lookups: Lookups,
    /// What the action under way changed, while [`World::apply_undoable`] runs.
    pub(crate) journal: Journal,
    /// While a tick moves the operations: the place of the operation moving now, and the
    /// first place of an operation launched during the tick. A Running operation placed
    /// between them has not yet lost this tick's work.
    pub(crate) clock_hand: Option<(Seq, Seq)>,
}

/// Worlds compare by their clock, records and id counters; the lookups follow from the
/// records.
impl PartialEq for World {
    fn eq(&self, other: &World) -> bool {
        self.tick == other.tick
            && self.stores == other.stores
            && self.accounts == other.accounts
            && self.buyers == other.buyers
            && self.products == other.products
            && self.carts == other.carts
            && self.sessions == other.sessions
            && self.operations == other.operations
            && self.orders == other.orders
            && self.validation_outputs == other.validation_outputs
            && self.delivery_groups == other.delivery_groups
            && self.payment_authorizations == other.payment_authorizations
            && self.next_ids == other.next_ids
    }
}

impl std::fmt::Debug for World {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("World")
            .field("tick", &self.tick)
            .field("stores", &self.stores)
            .field("accounts", &self.accounts)
            .field("buyers", &self.buyers)
            .field("products", &self.products)
            .field("carts", &self.carts)
            .field("sessions", &self.sessions)
            .field("operations", &self.operations)
            .field("orders", &self.orders)
            .field("validation_outputs", &self.validation_outputs)
            .field("delivery_groups", &self.delivery_groups)
            .field("payment_authorizations", &self.payment_authorizations)
            .field("next_ids", &self.next_ids)
            .finish()
    }
}

/// Why a field could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldError {
    /// No cart, session or operation has this id.
    NoRecord,
    /// The record exists but has no such field; the fields it has are listed.
    NoField(RecordKind, &'static [&'static str]),
}

/// The fields an expectation or the UI can read, per record kind.
pub const CART_FIELDS: &[&str] = CartField::NAMES;
/// CartCheckoutSession fields.
pub const SESSION_FIELDS: &[&str] = SessionField::NAMES;
/// BackgroundOperation fields.
pub const OPERATION_FIELDS: &[&str] = OperationField::NAMES;
/// CartValidationOutput fields.
pub const VALIDATION_FIELDS: &[&str] = ValidationField::NAMES;

/// Which generated-id counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IdKind {
    Session = 0,
    Operation = 1,
    Order = 2,
    Validation = 3,
    DeliveryGroup = 4,
    Payment = 5,
}

impl IdKind {
    const ALL: [IdKind; 6] = [
        IdKind::Session,
        IdKind::Operation,
        IdKind::Order,
        IdKind::Validation,
        IdKind::DeliveryGroup,
        IdKind::Payment,
    ];

    /// What its generated ids start with, before `-N`.
    pub(crate) fn prefix(self) -> &'static str {
        match self {
            IdKind::Session => "ccs",
            IdKind::Operation => "bop",
            IdKind::Order => "ord",
            IdKind::Validation => "cvo",
            IdKind::DeliveryGroup => "cdg",
            IdKind::Payment => "pa",
        }
    }

    /// The kind and N of an id of the form a generated id takes (`bop-12`), whoever
    /// made it.
    pub(crate) fn generated(text: &str) -> Option<(IdKind, u64)> {
        let (prefix, n) = text.split_once('-')?;
        let kind = IdKind::ALL.into_iter().find(|k| k.prefix() == prefix)?;
        if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        // Too long for a u64: no counter ever reaches it.
        Some((kind, n.parse().ok()?))
    }
}

impl World {
    /// Stores (WebStore), in the order they were added.
    pub fn stores(&self) -> &Table<Store> {
        &self.stores
    }
    /// Buyer accounts.
    pub fn accounts(&self) -> &Table<Account> {
        &self.accounts
    }
    /// Buyer users.
    pub fn buyers(&self) -> &Table<Buyer> {
        &self.buyers
    }
    /// Products, by SKU.
    pub fn products(&self) -> &Table<Product> {
        &self.products
    }
    /// WebCarts.
    pub fn carts(&self) -> &Table<WebCart> {
        &self.carts
    }
    /// CartCheckoutSessions, in creation order.
    pub fn sessions(&self) -> &Table<CartCheckoutSession> {
        &self.sessions
    }
    /// BackgroundOperations, in launch order (those that left the queue are gone).
    pub fn operations(&self) -> &Table<BackgroundOperation> {
        &self.operations
    }
    /// Orders placed.
    pub fn orders(&self) -> &Table<Order> {
        &self.orders
    }
    /// CartValidationOutputs, in creation order.
    pub fn validation_outputs(&self) -> &Table<CartValidationOutput> {
        &self.validation_outputs
    }
    /// CartDeliveryGroups of `lwr` checkouts, in creation order.
    pub fn delivery_groups(&self) -> &Table<CartDeliveryGroup> {
        &self.delivery_groups
    }
    /// PaymentAuthorizations of `lwr` checkouts, in creation order.
    pub fn payment_authorizations(&self) -> &Table<PaymentAuthorization> {
        &self.payment_authorizations
    }

    /// The counters behind generated ids, in the order session, operation, order,
    /// validation output, delivery group, payment (two worlds that would name their next
    /// record differently differ).
    pub fn next_ids(&self) -> [u64; 6] {
        self.next_ids
    }

    /// The store with this id.
    pub fn store(&self, id: &str) -> Option<&Store> {
        self.stores.get(id)
    }
    /// The account with this id.
    pub fn account(&self, id: &str) -> Option<&Account> {
        self.accounts.get(id)
    }
    /// The buyer with this id.
    pub fn buyer(&self, id: &str) -> Option<&Buyer> {
        self.buyers.get(id)
    }
    /// The product with this SKU.
    pub fn product(&self, sku: &str) -> Option<&Product> {
        self.products.get(sku)
    }
    /// The cart with this id.
    pub fn cart(&self, id: &str) -> Option<&WebCart> {
        self.carts.get(id)
    }
    /// The session with this id.
    pub fn session(&self, id: &str) -> Option<&CartCheckoutSession> {
        self.sessions.get(id)
    }
    /// The operation with this id.
    pub fn operation(&self, id: &str) -> Option<&BackgroundOperation> {
        self.operations.get(id)
    }
    /// Ticks of work the operation still has to do now. In the middle of a tick, a
    /// Running operation that has not yet moved still has its work from before the tick.
    pub fn ticks_left(&self, op: &BackgroundOperation) -> u64 {
        if let Some((moving, fresh)) = self.clock_hand
            && op.status == OperationStatus::Running
            && let Some(seq) = self.operations.seq(&op.id)
            && seq > moving
            && seq < fresh
        {
            return op.ticks_left_at(self.tick.saturating_sub(1));
        }
        op.ticks_left_at(self.tick)
    }
    /// The CartValidationOutput with this id.
    pub fn validation_output(&self, id: &str) -> Option<&CartValidationOutput> {
        self.validation_outputs.get(id)
    }
    /// A CartDeliveryGroup by id.
    pub fn delivery_group(&self, id: &str) -> Option<&CartDeliveryGroup> {
        self.delivery_groups.get(id)
    }
    /// A PaymentAuthorization by id.
    pub fn payment_authorization(&self, id: &str) -> Option<&PaymentAuthorization> {
        self.payment_authorizations.get(id)
    }

    /// The CartDeliveryGroup a checkout created (the latest, if it made several).
    pub fn delivery_group_of_session(&self, session: &str) -> Option<&CartDeliveryGroup> {
        let seqs = self.lookups.groups_by_session.get(session)?;
        seqs.get_max().and_then(|&i| self.delivery_groups.at(i))
    }

    /// The PaymentAuthorizations made for a checkout, oldest first.
    pub fn payment_authorizations_of<'a>(
        &'a self,
        session: &'a str,
    ) -> impl Iterator<Item = &'a PaymentAuthorization> + 'a {
        self.lookups
            .payments_by_session
            .get(session)
            .into_iter()
            .flat_map(|seqs| seqs.iter())
            .filter_map(|&i| self.payment_authorizations.at(i))
    }

    /// WebCart.GrandTotalAmount: TotalProductAmount + TotalChargeAmount + TotalTaxAmount.
    pub fn grand_total_amount(&self, cart: &WebCart) -> Money {
        self.total_product_amount(cart) + cart.total_charge + cart.total_tax
    }

    /// The CartValidationOutputs of a cart, oldest first.
    pub fn validation_outputs_of<'a>(
        &'a self,
        cart: &'a str,
    ) -> impl Iterator<Item = &'a CartValidationOutput> + 'a {
        self.lookups
            .validation_by_cart
            .get(cart)
            .into_iter()
            .flat_map(|seqs| seqs.iter())
            .filter_map(|&i| self.validation_outputs.at(i))
    }

    /// The store a cart belongs to.
    pub fn store_of_cart(&self, cart: &str) -> Option<&Store> {
        self.cart(cart).and_then(|c| self.store(&c.store))
    }

    /// The cart's active (non-archived) CartCheckoutSession, if any.
    pub fn active_session(&self, cart: &str) -> Option<&CartCheckoutSession> {
        let seqs = self.lookups.active_by_cart.get(cart)?;
        seqs.get_max().and_then(|&i| self.sessions.at(i))
    }

    /// All sessions of a cart, oldest first.
    pub fn sessions_of<'a>(
        &'a self,
        cart: &'a str,
    ) -> impl Iterator<Item = &'a CartCheckoutSession> + 'a {
        self.lookups
            .sessions_by_cart
            .get(cart)
            .into_iter()
            .flat_map(|seqs| seqs.iter())
            .filter_map(|&i| self.sessions.at(i))
    }

    /// TotalProductCount: the sum of quantities.
    pub fn total_product_count(cart: &WebCart) -> i64 {
        cart.items.iter().map(|i| i.quantity).sum()
    }

    /// TotalProductAmount: the sum of price times quantity, exact.
    pub fn total_product_amount(&self, cart: &WebCart) -> Money {
        cart.items
            .iter()
            .map(|i| {
                self.product(&i.sku)
                    .map_or(Money::ZERO, |p| p.price.times(i.quantity))
            })
            .sum()
    }

    /// What kind of record an id names, among those with readable fields.
    pub fn kind_of(&self, id: &str) -> Option<RecordKind> {
        if self.carts.contains(id) {
            Some(RecordKind::WebCart)
        } else if self.sessions.contains(id) {
            Some(RecordKind::CartCheckoutSession)
        } else if self.operations.contains(id) {
            Some(RecordKind::BackgroundOperation)
        } else if self.validation_outputs.contains(id) {
            Some(RecordKind::CartValidationOutput)
        } else if self.delivery_groups.contains(id) {
            Some(RecordKind::CartDeliveryGroup)
        } else if self.payment_authorizations.contains(id) {
            Some(RecordKind::PaymentAuthorization)
        } else {
            None
        }
    }

    /// Reads a field by its Salesforce name (`cart-1`, `Status`).
    pub fn field(&self, id: &str, field: &str) -> Result<FieldValue, FieldError> {
        let no_field = |kind| FieldError::NoField(kind, fields_of(kind));
        if let Some(cart) = self.cart(id) {
            let f = CartField::parse(field).ok_or(no_field(RecordKind::WebCart))?;
            return Ok(self.cart_field(cart, f));
        }
        if let Some(session) = self.session(id) {
            let f = SessionField::parse(field).ok_or(no_field(RecordKind::CartCheckoutSession))?;
            return Ok(session_field(session, f));
        }
        if let Some(op) = self.operation(id) {
            let f =
                OperationField::parse(field).ok_or(no_field(RecordKind::BackgroundOperation))?;
            return Ok(operation_field(self, op, f));
        }
        if let Some(row) = self.validation_output(id) {
            let f =
                ValidationField::parse(field).ok_or(no_field(RecordKind::CartValidationOutput))?;
            return Ok(validation_field(row, f));
        }
        if let Some(g) = self.delivery_group(id) {
            let f =
                DeliveryGroupField::parse(field).ok_or(no_field(RecordKind::CartDeliveryGroup))?;
            return Ok(delivery_group_field(g, f));
        }
        if let Some(p) = self.payment_authorization(id) {
            let f = PaymentField::parse(field).ok_or(no_field(RecordKind::PaymentAuthorization))?;
            return Ok(payment_field(p, f));
        }
        Err(FieldError::NoRecord)
    }

    /// Reads a WebCart field.
    pub fn cart_field(&self, cart: &WebCart, field: CartField) -> FieldValue {
        match field {
            CartField::Name => FieldValue::Text(cart.name.clone()),
            CartField::Status => FieldValue::Text(cart.status.to_string()),
            CartField::WebStoreId => FieldValue::Text(cart.store.to_string()),
            CartField::AccountId => FieldValue::Text(cart.account.to_string()),
            CartField::OwnerId => FieldValue::Text(cart.buyer.to_string()),
            CartField::TotalProductCount => FieldValue::Int(World::total_product_count(cart)),
            CartField::UniqueProductCount => FieldValue::Int(cart.items.len() as i64),
            CartField::TotalProductAmount => FieldValue::Money(self.total_product_amount(cart)),
            CartField::GuestEmailAddress => FieldValue::opt_text(&cart.guest_email),
            CartField::TotalChargeAmount => FieldValue::Money(cart.total_charge),
            CartField::TotalTaxAmount => FieldValue::Money(cart.total_tax),
            CartField::GrandTotalAmount => FieldValue::Money(self.grand_total_amount(cart)),
            CartField::Version => FieldValue::opt_int(Some(cart.version)),
        }
    }

    /// Whether an id is taken by any record of any kind, or named by a session's
    /// BackgroundOperationId or OrderId (a dangling reference must never be adopted by a
    /// newly created record).
    pub fn id_in_use(&self, id: &str) -> bool {
        // Every id a record holds or names is interned: text never interned is free.
        if Id::existing(id).is_none() {
            return false;
        }
        self.kind_of(id).is_some()
            || self.lookups.references.contains_key(id)
            || self.stores.contains(id)
            || self.accounts.contains(id)
            || self.buyers.contains(id)
            || self.products.contains(id)
            || self.orders.contains(id)
    }

    /// The next generated id of a kind, skipping ids the world already uses.
    pub(crate) fn next_id(&mut self, kind: IdKind) -> Id {
        self.journal.counter(kind, self.next_ids[kind as usize]);
        loop {
            self.next_ids[kind as usize] += 1;
            let n = self.next_ids[kind as usize];
            let id = generated_id(kind, n);
            // Above the highest such id ever held or named, it is free: asking every
            // table for each generated id was a sixth of a long `settle`.
            if n > self.lookups.generated_high[kind as usize] || !self.id_in_use(&id) {
                return id;
            }
        }
    }
}

/// How many generated ids of each kind a thread remembers (`ccs-1` to `ccs-4095`, ...):
/// at most 6 × 4,096 places of 8 bytes, 192 KiB per thread.
const REMEMBERED_IDS: u64 = 4_096;

thread_local! {
    /// The generated ids made on this thread so far, by kind and number: a search
    /// (explore's, `diagnose`'s predictions, the player's replays) makes the same few ids
    /// again and again, and writing and interning the text each time was a tenth of an
    /// `lwr` action.
    static GENERATED: std::cell::RefCell<[Vec<Option<Id>>; 6]> = const {
        std::cell::RefCell::new([const { Vec::new() }; 6])
    };
}

/// The generated id `PREFIX-n` of `kind`.
fn generated_id(kind: IdKind, n: u64) -> Id {
    let make = || Id::new(&format!("{}-{n}", kind.prefix()));
    if n == 0 || n >= REMEMBERED_IDS {
        return make();
    }
    GENERATED.with(|cell| {
        let mut ids = cell.borrow_mut();
        let list = &mut ids[kind as usize];
        let at = (n - 1) as usize;
        if list.len() <= at {
            list.resize(at + 1, None);
        }
        *list[at].get_or_insert_with(make)
    })
}

/// The field names of a record kind.
pub fn fields_of(kind: RecordKind) -> &'static [&'static str] {
    match kind {
        RecordKind::WebCart => CART_FIELDS,
        RecordKind::CartCheckoutSession => SESSION_FIELDS,
        RecordKind::BackgroundOperation => OPERATION_FIELDS,
        RecordKind::CartValidationOutput => VALIDATION_FIELDS,
        RecordKind::CartDeliveryGroup => DeliveryGroupField::NAMES,
        RecordKind::PaymentAuthorization => PaymentField::NAMES,
        RecordKind::Buyer => BuyerField::NAMES,
        RecordKind::Account => AccountField::NAMES,
        RecordKind::WebStore => super::settings::LABELS,
    }
}

/// Reads a CartCheckoutSession field.
pub fn session_field(s: &CartCheckoutSession, field: SessionField) -> FieldValue {
    match field {
        SessionField::WebCartId => FieldValue::Text(s.cart.to_string()),
        // An lwr checkout has no documented State: it stays null.
        SessionField::State if s.state.is_empty() => FieldValue::Null,
        SessionField::State => FieldValue::Text(s.state.clone()),
        SessionField::NextState => FieldValue::opt_text(&s.next_state),
        SessionField::IsProcessing => FieldValue::Bool(s.is_processing),
        SessionField::IsError => FieldValue::Bool(s.is_error),
        SessionField::IsArchived => FieldValue::Bool(s.is_archived),
        SessionField::BackgroundOperationId => FieldValue::opt_text(&s.background_operation_id),
        SessionField::OrderId => FieldValue::opt_text(&s.order_id),
        SessionField::OrderReferenceNumber | SessionField::Prepared => {
            super::rest::session_field(s, field)
        }
    }
}

/// Reads a BackgroundOperation field. The world is needed for the ~calculator, which follows the work done.
pub fn operation_field(
    world: &World,
    o: &BackgroundOperation,
    field: OperationField,
) -> FieldValue {
    match field {
        OperationField::Name => FieldValue::Text(o.name.clone()),
        OperationField::Status => FieldValue::Text(o.status.to_string()),
        OperationField::Error => FieldValue::opt_text(&o.error),
        OperationField::SubmittedAt => FieldValue::opt_int(Some(o.submitted_at)),
        OperationField::StartedAt => FieldValue::opt_int(o.started_at),
        OperationField::FinishedAt => FieldValue::opt_int(o.finished_at),
        OperationField::ExpiresAt => FieldValue::opt_int(o.expires_at),
        OperationField::Calculator => match o.calculator_after(world.ticks_left(o)) {
            Some(c) => FieldValue::Text(c.as_str().to_string()),
            None => FieldValue::Null,
        },
    }
}

/// Reads a CartValidationOutput field.
pub fn validation_field(v: &CartValidationOutput, field: ValidationField) -> FieldValue {
    match field {
        ValidationField::CartId => FieldValue::Text(v.cart.to_string()),
        ValidationField::BackgroundOperationId => FieldValue::opt_text(&v.operation),
        ValidationField::Level => FieldValue::Text(v.level.to_string()),
        ValidationField::Type => FieldValue::Text(v.kind.to_string()),
        ValidationField::Message => FieldValue::Text(v.message.clone()),
        ValidationField::RelatedEntityId => FieldValue::opt_text(&v.related),
        ValidationField::IsDismissed => FieldValue::Bool(v.is_dismissed),
    }
}

/// Reads a CartDeliveryGroup field.
pub fn delivery_group_field(g: &CartDeliveryGroup, field: DeliveryGroupField) -> FieldValue {
    match field {
        DeliveryGroupField::CartId => FieldValue::Text(g.cart.to_string()),
        DeliveryGroupField::DeliverToStreet => FieldValue::opt_text(&g.address.street),
        DeliveryGroupField::DeliverToCity => FieldValue::opt_text(&g.address.city),
        DeliveryGroupField::DeliverToPostalCode => FieldValue::opt_text(&g.address.postal_code),
        DeliveryGroupField::DeliverToCountry => FieldValue::opt_text(&g.address.country),
        DeliveryGroupField::DeliveryMethodId => FieldValue::opt_text(&g.delivery_method),
    }
}

/// Reads a PaymentAuthorization field.
pub fn payment_field(p: &PaymentAuthorization, field: PaymentField) -> FieldValue {
    match field {
        PaymentField::Amount => FieldValue::Money(p.amount),
        PaymentField::Status => FieldValue::Text(p.status.to_string()),
    }
}
