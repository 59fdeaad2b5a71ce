//! The world: every record at one instant of virtual time, and how to read its fields.

use super::change::{FieldValue, RecordKind};
use super::model::*;
use super::money::Money;

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
    /// Counters behind generated ids (`ccs-N`, `bop-N`, `ord-N`).
    pub(crate) next_ids: [u64; 3],
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
pub const CART_FIELDS: &[&str] = &[
    "Name",
    "Status",
    "WebStoreId",
    "AccountId",
    "OwnerId",
    "TotalProductCount",
    "UniqueProductCount",
    "TotalProductAmount",
];
/// CartCheckoutSession fields.
pub const SESSION_FIELDS: &[&str] = &[
    "WebCartId",
    "State",
    "NextState",
    "IsProcessing",
    "IsError",
    "IsArchived",
    "BackgroundOperationId",
    "OrderId",
];
/// BackgroundOperation fields.
pub const OPERATION_FIELDS: &[&str] = &[
    "Name",
    "Status",
    "Error",
    "SubmittedAt",
    "StartedAt",
    "FinishedAt",
];

/// Which generated-id counter.
#[derive(Debug, Clone, Copy)]
pub(crate) enum IdKind {
    Session = 0,
    Operation = 1,
    Order = 2,
}

impl World {
    /// The store with this id.
    pub fn store(&self, id: &str) -> Option<&Store> {
        self.stores.iter().find(|s| s.id == id)
    }
    /// The account with this id.
    pub fn account(&self, id: &str) -> Option<&Account> {
        self.accounts.iter().find(|a| a.id == id)
    }
    /// The buyer with this id.
    pub fn buyer(&self, id: &str) -> Option<&Buyer> {
        self.buyers.iter().find(|b| b.id == id)
    }
    /// The product with this SKU.
    pub fn product(&self, sku: &str) -> Option<&Product> {
        self.products.iter().find(|p| p.sku == sku)
    }
    /// The cart with this id.
    pub fn cart(&self, id: &str) -> Option<&WebCart> {
        self.carts.iter().find(|c| c.id == id)
    }
    /// The session with this id.
    pub fn session(&self, id: &str) -> Option<&CartCheckoutSession> {
        self.sessions.iter().find(|s| s.id == id)
    }
    /// The operation with this id.
    pub fn operation(&self, id: &str) -> Option<&BackgroundOperation> {
        self.operations.iter().find(|o| o.id == id)
    }

    /// The cart's active (non-archived) CartCheckoutSession, if any.
    pub fn active_session(&self, cart: &str) -> Option<&CartCheckoutSession> {
        self.sessions
            .iter()
            .find(|s| s.cart == cart && !s.is_archived)
    }

    /// All sessions of a cart, oldest first.
    pub fn sessions_of<'a>(
        &'a self,
        cart: &'a str,
    ) -> impl Iterator<Item = &'a CartCheckoutSession> + 'a {
        self.sessions.iter().filter(move |s| s.cart == cart)
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
        } else {
            None
        }
    }

    /// Reads a field by its Salesforce name (`cart-1`, `Status`).
    pub fn field(&self, id: &str, field: &str) -> Result<FieldValue, FieldError> {
        if let Some(cart) = self.cart(id) {
            return self.cart_field(cart, field);
        }
        if let Some(session) = self.session(id) {
            return session_field(session, field);
        }
        if let Some(op) = self.operation(id) {
            return operation_field(op, field);
        }
        Err(FieldError::NoRecord)
    }

    fn cart_field(&self, cart: &WebCart, field: &str) -> Result<FieldValue, FieldError> {
        Ok(match field {
            "Name" => FieldValue::Text(cart.name.clone()),
            "Status" => FieldValue::Text(cart.status.to_string()),
            "WebStoreId" => FieldValue::Text(cart.store.clone()),
            "AccountId" => FieldValue::Text(cart.account.clone()),
            "OwnerId" => FieldValue::Text(cart.buyer.clone()),
            "TotalProductCount" => FieldValue::Int(World::total_product_count(cart)),
            "UniqueProductCount" => FieldValue::Int(cart.items.len() as i64),
            "TotalProductAmount" => FieldValue::Money(self.total_product_amount(cart)),
            _ => return Err(FieldError::NoField(RecordKind::WebCart, CART_FIELDS)),
        })
    }

    /// Whether an id is taken by any record of any kind, or named by a session's
    /// BackgroundOperationId or OrderId (a dangling reference must never be adopted by a
    /// newly created record).
    pub fn id_in_use(&self, id: &str) -> bool {
        self.kind_of(id).is_some()
            || self.sessions.iter().any(|s| {
                s.background_operation_id.as_deref() == Some(id)
                    || s.order_id.as_deref() == Some(id)
            })
            || self.store(id).is_some()
            || self.account(id).is_some()
            || self.buyer(id).is_some()
            || self.product(id).is_some()
            || self.orders.iter().any(|o| o.id == id)
    }

    /// The next generated id of a kind, skipping ids the world already uses.
    pub(crate) fn next_id(&mut self, kind: IdKind) -> String {
        let prefix = match kind {
            IdKind::Session => "ccs",
            IdKind::Operation => "bop",
            IdKind::Order => "ord",
        };
        loop {
            self.next_ids[kind as usize] += 1;
            let id = format!("{prefix}-{}", self.next_ids[kind as usize]);
            if !self.id_in_use(&id) {
                return id;
            }
        }
    }

    pub(crate) fn cart_mut(&mut self, id: &str) -> Option<&mut WebCart> {
        self.carts.iter_mut().find(|c| c.id == id)
    }
    pub(crate) fn session_mut(&mut self, id: &str) -> Option<&mut CartCheckoutSession> {
        self.sessions.iter_mut().find(|s| s.id == id)
    }
    pub(crate) fn operation_mut(&mut self, id: &str) -> Option<&mut BackgroundOperation> {
        self.operations.iter_mut().find(|o| o.id == id)
    }
    pub(crate) fn buyer_mut(&mut self, id: &str) -> Option<&mut Buyer> {
        self.buyers.iter_mut().find(|b| b.id == id)
    }
    pub(crate) fn account_mut(&mut self, id: &str) -> Option<&mut Account> {
        self.accounts.iter_mut().find(|a| a.id == id)
    }
}

fn session_field(s: &CartCheckoutSession, field: &str) -> Result<FieldValue, FieldError> {
    Ok(match field {
        "WebCartId" => FieldValue::Text(s.cart.clone()),
        "State" => FieldValue::Text(s.state.clone()),
        "NextState" => FieldValue::opt_text(&s.next_state),
        "IsProcessing" => FieldValue::Bool(s.is_processing),
        "IsError" => FieldValue::Bool(s.is_error),
        "IsArchived" => FieldValue::Bool(s.is_archived),
        "BackgroundOperationId" => FieldValue::opt_text(&s.background_operation_id),
        "OrderId" => FieldValue::opt_text(&s.order_id),
        _ => {
            return Err(FieldError::NoField(
                RecordKind::CartCheckoutSession,
                SESSION_FIELDS,
            ));
        }
    })
}

fn operation_field(o: &BackgroundOperation, field: &str) -> Result<FieldValue, FieldError> {
    Ok(match field {
        "Name" => FieldValue::Text(o.name.clone()),
        "Status" => FieldValue::Text(o.status.to_string()),
        "Error" => FieldValue::opt_text(&o.error),
        "SubmittedAt" => FieldValue::opt_int(Some(o.submitted_at)),
        "StartedAt" => FieldValue::opt_int(o.started_at),
        "FinishedAt" => FieldValue::opt_int(o.finished_at),
        _ => {
            return Err(FieldError::NoField(
                RecordKind::BackgroundOperation,
                OPERATION_FIELDS,
            ));
        }
    })
}
