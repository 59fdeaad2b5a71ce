//! The world: every record at one instant of virtual time, and how to read its fields.

use super::change::{FieldValue, RecordKind};
use super::fields::*;
use super::index::Index;
use super::model::*;
use super::money::Money;
use super::undo::Journal;

/// Everything the simulator knows at one instant. Cloning it is a snapshot.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct World {
    /// Virtual time, in ticks.
    pub tick: u64,
    /// Stores.
    pub stores: Vec<Store>,
    /// Buyer accounts.
    pub accounts: Vec<Account>,
    /// Buyer users.
    pub buyers: Vec<Buyer>,
    /// Products.
    pub products: Vec<Product>,
    /// WebCarts.
    pub carts: Vec<WebCart>,
    /// CartCheckoutSessions, in creation order.
    pub sessions: Vec<CartCheckoutSession>,
    /// BackgroundOperations, in launch order.
    pub operations: Vec<BackgroundOperation>,
    /// Orders placed.
    pub orders: Vec<Order>,
    /// CartValidationOutputs, in creation order.
    pub validation_outputs: Vec<CartValidationOutput>,
    /// CartDeliveryGroups of `lwr` checkouts, in creation order.
    pub delivery_groups: Vec<CartDeliveryGroup>,
    /// PaymentAuthorizations of `lwr` checkouts, in creation order.
    pub payment_authorizations: Vec<PaymentAuthorization>,
    /// Counters behind generated ids (`ccs-N`, `bop-N`, `ord-N`, `cvo-N`, `cdg-N`, `pa-N`).
    pub(crate) next_ids: [u64; 6],
    /// Records by id, for lookups that cost the same however many records there are.
    pub(crate) index: Index,
    /// What the action under way changed, while [`World::apply_undoable`] runs.
    pub(crate) journal: Journal,
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

impl World {
    /// The store with this id.
    pub fn store(&self, id: &str) -> Option<&Store> {
        self.index
            .stores
            .position(&self.stores, id)
            .map(|i| &self.stores[i])
    }
    /// The account with this id.
    pub fn account(&self, id: &str) -> Option<&Account> {
        self.index
            .accounts
            .position(&self.accounts, id)
            .map(|i| &self.accounts[i])
    }
    /// The buyer with this id.
    pub fn buyer(&self, id: &str) -> Option<&Buyer> {
        self.index
            .buyers
            .position(&self.buyers, id)
            .map(|i| &self.buyers[i])
    }
    /// The product with this SKU.
    pub fn product(&self, sku: &str) -> Option<&Product> {
        self.index
            .products
            .position(&self.products, sku)
            .map(|i| &self.products[i])
    }
    /// The cart with this id.
    pub fn cart(&self, id: &str) -> Option<&WebCart> {
        self.index
            .carts
            .position(&self.carts, id)
            .map(|i| &self.carts[i])
    }
    /// The session with this id.
    pub fn session(&self, id: &str) -> Option<&CartCheckoutSession> {
        self.index
            .sessions
            .position(&self.sessions, id)
            .map(|i| &self.sessions[i])
    }
    /// The operation with this id.
    pub fn operation(&self, id: &str) -> Option<&BackgroundOperation> {
        self.index
            .operations
            .position(&self.operations, id)
            .map(|i| &self.operations[i])
    }

    /// The CartValidationOutput with this id.
    pub fn validation_output(&self, id: &str) -> Option<&CartValidationOutput> {
        self.index
            .validation_outputs
            .position(&self.validation_outputs, id)
            .map(|i| &self.validation_outputs[i])
    }

    /// The CartValidationOutputs of a cart, oldest first.
    /// A CartDeliveryGroup by id.
    pub fn delivery_group(&self, id: &str) -> Option<&CartDeliveryGroup> {
        self.index
            .delivery_groups
            .position(&self.delivery_groups, id)
            .map(|i| &self.delivery_groups[i])
    }

    /// A PaymentAuthorization by id.
    pub fn payment_authorization(&self, id: &str) -> Option<&PaymentAuthorization> {
        self.index
            .payment_authorizations
            .position(&self.payment_authorizations, id)
            .map(|i| &self.payment_authorizations[i])
    }

    /// The CartDeliveryGroup a checkout created.
    pub fn delivery_group_of_session(&self, session: &str) -> Option<&CartDeliveryGroup> {
        self.delivery_groups
            .iter()
            .rev()
            .find(|g| g.session == session)
    }

    /// The PaymentAuthorizations made for a checkout, oldest first.
    pub fn payment_authorizations_of<'a>(
        &'a self,
        session: &'a str,
    ) -> impl Iterator<Item = &'a PaymentAuthorization> + 'a {
        self.payment_authorizations
            .iter()
            .filter(move |p| p.session == session)
    }

    /// WebCart.GrandTotalAmount: TotalProductAmount + TotalChargeAmount + TotalTaxAmount.
    pub fn grand_total_amount(&self, cart: &WebCart) -> Money {
        self.total_product_amount(cart) + cart.total_charge + cart.total_tax
    }

    pub fn validation_outputs_of<'a>(
        &'a self,
        cart: &'a str,
    ) -> impl Iterator<Item = &'a CartValidationOutput> + 'a {
        self.validation_outputs
            .iter()
            .filter(move |v| v.cart == cart)
    }

    /// The store a cart belongs to.
    pub fn store_of_cart(&self, cart: &str) -> Option<&Store> {
        self.cart(cart).and_then(|c| self.store(&c.store))
    }

    /// The cart's active (non-archived) CartCheckoutSession, if any.
    pub fn active_session(&self, cart: &str) -> Option<&CartCheckoutSession> {
        let i = self.active_session_position(cart)?;
        Some(&self.sessions[i])
    }

    /// All sessions of a cart, oldest first.
    pub fn sessions_of<'a>(
        &'a self,
        cart: &'a str,
    ) -> impl Iterator<Item = &'a CartCheckoutSession> + 'a {
        self.session_positions(cart).map(|i| &self.sessions[i])
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
        if self.cart(id).is_some() {
            Some(RecordKind::WebCart)
        } else if self.session(id).is_some() {
            Some(RecordKind::CartCheckoutSession)
        } else if self.operation(id).is_some() {
            Some(RecordKind::BackgroundOperation)
        } else if self.validation_output(id).is_some() {
            Some(RecordKind::CartValidationOutput)
        } else if self.delivery_group(id).is_some() {
            Some(RecordKind::CartDeliveryGroup)
        } else if self.payment_authorization(id).is_some() {
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
            return Ok(operation_field(op, f));
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
            CartField::WebStoreId => FieldValue::Text(cart.store.clone()),
            CartField::AccountId => FieldValue::Text(cart.account.clone()),
            CartField::OwnerId => FieldValue::Text(cart.buyer.clone()),
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
        self.kind_of(id).is_some()
            || (self.maybe_dangling(id)
                && self.sessions.iter().any(|s| {
                    s.background_operation_id.as_deref() == Some(id)
                        || s.order_id.as_deref() == Some(id)
                }))
            || self.store(id).is_some()
            || self.account(id).is_some()
            || self.buyer(id).is_some()
            || self.product(id).is_some()
            || self.index.orders.position(&self.orders, id).is_some()
    }

    /// The next generated id of a kind, skipping ids the world already uses.
    pub(crate) fn next_id(&mut self, kind: IdKind) -> String {
        let prefix = match kind {
            IdKind::Session => "ccs",
            IdKind::Operation => "bop",
            IdKind::Order => "ord",
            IdKind::Validation => "cvo",
            IdKind::DeliveryGroup => "cdg",
            IdKind::Payment => "pa",
        };
        self.journal.counter(kind, self.next_ids[kind as usize]);
        loop {
            self.next_ids[kind as usize] += 1;
            let id = format!("{prefix}-{}", self.next_ids[kind as usize]);
            if !self.id_in_use(&id) {
                return id;
            }
        }
    }

    pub(crate) fn cart_mut(&mut self, id: &str) -> Option<&mut WebCart> {
        let i = self.index.carts.position(&self.carts, id)?;
        self.journal.edit(&self.carts, i);
        self.carts.get_mut(i)
    }
    pub(crate) fn session_mut(&mut self, id: &str) -> Option<&mut CartCheckoutSession> {
        let i = self.index.sessions.position(&self.sessions, id)?;
        self.journal.edit(&self.sessions, i);
        self.sessions.get_mut(i)
    }
    pub(crate) fn operation_mut(&mut self, id: &str) -> Option<&mut BackgroundOperation> {
        let i = self.index.operations.position(&self.operations, id)?;
        self.journal.edit(&self.operations, i);
        self.operations.get_mut(i)
    }
    pub(crate) fn validation_output_mut(&mut self, id: &str) -> Option<&mut CartValidationOutput> {
        let i = self
            .index
            .validation_outputs
            .position(&self.validation_outputs, id)?;
        self.journal.edit(&self.validation_outputs, i);
        self.validation_outputs.get_mut(i)
    }
    pub(crate) fn delivery_group_mut(&mut self, id: &str) -> Option<&mut CartDeliveryGroup> {
        let i = self
            .index
            .delivery_groups
            .position(&self.delivery_groups, id)?;
        self.journal.edit(&self.delivery_groups, i);
        self.delivery_groups.get_mut(i)
    }
    pub(crate) fn payment_authorization_mut(
        &mut self,
        id: &str,
    ) -> Option<&mut PaymentAuthorization> {
        let i = self
            .index
            .payment_authorizations
            .position(&self.payment_authorizations, id)?;
        self.journal.edit(&self.payment_authorizations, i);
        self.payment_authorizations.get_mut(i)
    }
    pub(crate) fn buyer_mut(&mut self, id: &str) -> Option<&mut Buyer> {
        let i = self.index.buyers.position(&self.buyers, id)?;
        self.journal.edit(&self.buyers, i);
        self.buyers.get_mut(i)
    }
    pub(crate) fn store_mut(&mut self, id: &str) -> Option<&mut Store> {
        let i = self.index.stores.position(&self.stores, id)?;
        self.journal.edit(&self.stores, i);
        self.stores.get_mut(i)
    }
    pub(crate) fn account_mut(&mut self, id: &str) -> Option<&mut Account> {
        let i = self.index.accounts.position(&self.accounts, id)?;
        self.journal.edit(&self.accounts, i);
        self.accounts.get_mut(i)
    }
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
        SessionField::WebCartId => FieldValue::Text(s.cart.clone()),
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

/// Reads a BackgroundOperation field.
pub fn operation_field(o: &BackgroundOperation, field: OperationField) -> FieldValue {
    match field {
        OperationField::Name => FieldValue::Text(o.name.clone()),
        OperationField::Status => FieldValue::Text(o.status.to_string()),
        OperationField::Error => FieldValue::opt_text(&o.error),
        OperationField::SubmittedAt => FieldValue::opt_int(Some(o.submitted_at)),
        OperationField::StartedAt => FieldValue::opt_int(o.started_at),
        OperationField::FinishedAt => FieldValue::opt_int(o.finished_at),
        OperationField::ExpiresAt => FieldValue::opt_int(o.expires_at),
        OperationField::Calculator => match o.current_calculator() {
            Some(c) => FieldValue::Text(c.as_str().to_string()),
            None => FieldValue::Null,
        },
    }
}

/// Reads a CartValidationOutput field.
pub fn validation_field(v: &CartValidationOutput, field: ValidationField) -> FieldValue {
    match field {
        ValidationField::CartId => FieldValue::Text(v.cart.clone()),
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
        DeliveryGroupField::CartId => FieldValue::Text(g.cart.clone()),
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
