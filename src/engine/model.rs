//! The records the simulator keeps, named as Salesforce names them.

use super::flow::FlowStep;
use super::money::Money;
use std::fmt;
use std::sync::Arc;

/// Defines a closed set of names that print and parse as Salesforce spells them.
macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every value, in the order Salesforce lists them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name as Salesforce spells it.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Parses the name as Salesforce spells it.
            pub fn parse(text: &str) -> Option<$name> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

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
    /// BackgroundOperation.Status, as the simulator uses it.
    OperationStatus {
        /// Queued, not started.
        New => "New",
        /// Working.
        Running => "Running",
        /// Finished successfully.
        Complete => "Complete",
        /// Finished with an error.
        Error => "Error",
        /// Stopped by Cancel Cart Async Operation.
        Canceled => "Canceled",
    }
}

impl OperationStatus {
    /// New or Running: the operation has not finished.
    pub fn in_progress(self) -> bool {
        matches!(self, OperationStatus::New | OperationStatus::Running)
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
    pub id: String,
    /// Display name.
    pub name: String,
    /// What a cart change during checkout does.
    pub on_cart_change: OnCartChange,
    /// The states a checkout walks through (the default flow unless the file gives one).
    pub checkout_flow: Arc<[FlowStep]>,
    /// True when the flow is the built-in default.
    pub default_flow: bool,
}

/// A buyer account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// Scenario id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The stores the account is a buyer member of.
    pub stores: Vec<String>,
}

/// A buyer user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Buyer {
    /// Scenario id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The accounts the buyer may act for.
    pub accounts: Vec<String>,
    /// The account the buyer acts for now (may be one it may not act for, to stage errors).
    pub effective_account: String,
    /// The permissions the buyer holds.
    pub permissions: Vec<Permission>,
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
    pub sku: String,
    /// Display name.
    pub name: String,
    /// Unit price, exact.
    pub price: Money,
}

/// One line of a cart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CartItem {
    /// The product.
    pub sku: String,
    /// How many.
    pub quantity: i64,
}

/// A WebCart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebCart {
    /// Scenario id.
    pub id: String,
    /// WebCart.Name.
    pub name: String,
    /// WebCart.WebStoreId.
    pub store: String,
    /// WebCart.OwnerId: the buyer who owns the cart.
    pub buyer: String,
    /// WebCart.AccountId.
    pub account: String,
    /// WebCart.Status.
    pub status: CartStatus,
    /// The cart's lines.
    pub items: Vec<CartItem>,
}

/// A CartCheckoutSession.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CartCheckoutSession {
    /// Scenario or generated id (`ccs-1`, ...).
    pub id: String,
    /// WebCartId.
    pub cart: String,
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
    pub background_operation_id: Option<String>,
    /// OrderId, set when the order is placed.
    pub order_id: Option<String>,
}

/// A BackgroundOperation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackgroundOperation {
    /// Scenario or generated id (`bop-1`, ...).
    pub id: String,
    /// Name (for example "Check Cart Inventory").
    pub name: String,
    /// Status.
    pub status: OperationStatus,
    /// Ticks of work still to do.
    pub ticks_left: u64,
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
    /// A fault the scenario injected: the operation ends in Error with this message at its next tick.
    pub pending_fault: Option<String>,
}

impl BackgroundOperation {
    /// Share of the work done, from 0.0 to 1.0.
    pub fn progress(&self) -> f64 {
        if self.ticks_total == 0 {
            return 1.0;
        }
        let done = self.ticks_total.saturating_sub(self.ticks_left);
        done as f64 / self.ticks_total as f64
    }
}

/// An order placed by a checkout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    /// Generated id (`ord-1`, ...).
    pub id: String,
    /// The cart it was placed from.
    pub cart: String,
    /// The session that placed it.
    pub session: String,
}
