//! Checkout flows: the states a checkout walks through.

use std::sync::Arc;

/// What a checkout state does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepKind {
    /// Runs a background operation for some ticks; the session IsProcessing meanwhile.
    Async {
        /// The BackgroundOperation's Name.
        operation: String,
        /// Ticks of work (at least 1).
        ticks: u64,
    },
    /// Waits for the buyer (a screen); `continue` moves on.
    Buyer,
    /// Does its work in the same instant (an Apex action such as Authorize Payment):
    /// no BackgroundOperation, IsProcessing stays false.
    Sync,
}

/// One state of a checkout flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowStep {
    /// The CartCheckoutSession.State while the checkout is here.
    pub state: String,
    /// Asynchronous or buyer state.
    pub kind: StepKind,
}

impl FlowStep {
    /// An asynchronous state.
    pub fn run(state: &str, operation: &str, ticks: u64) -> FlowStep {
        FlowStep {
            state: state.to_string(),
            kind: StepKind::Async {
                operation: operation.to_string(),
                ticks,
            },
        }
    }

    /// A buyer state.
    pub fn buyer(state: &str) -> FlowStep {
        FlowStep {
            state: state.to_string(),
            kind: StepKind::Buyer,
        }
    }

    /// A synchronous state.
    pub fn sync(state: &str) -> FlowStep {
        FlowStep {
            state: state.to_string(),
            kind: StepKind::Sync,
        }
    }

    /// True for a buyer state.
    pub fn is_buyer(&self) -> bool {
        matches!(self.kind, StepKind::Buyer)
    }
}

/// The State a session takes when the order is placed.
pub const COMPLETE: &str = "Complete";
/// The State a session takes when its background operation fails.
pub const ERROR: &str = "Error";

/// The default flow of a format 1 file, modelled on the quickstart's re-entrant checkout
/// (`examples/checkout-reentrant/flows/Reentrant_Checkout.flow`).
///
/// The quickstart's first screen (Start/Shipping Address) is where the buyer starts the
/// checkout, so start checkout stands for it and the flow begins with the first
/// asynchronous state. Order Confirmation is where the quickstart closes the cart, which
/// the simulator does when the last state is done; the session's State then becomes
/// `Complete`.
pub fn default_flow() -> Arc<[FlowStep]> {
    Arc::from(vec![
        FlowStep::run("Inventory", "Check Cart Inventory", 2),
        FlowStep::run("Confirm Price", "Price Cart", 2),
        FlowStep::run("Calculate Promotions", "Calculate Cart Promotions", 1),
        FlowStep::run("Shipping Cost", "Calculate Cart Shipment Costs", 2),
        FlowStep::buyer("Delivery Method"),
        FlowStep::run("Taxes", "Calculate Cart Taxes", 2),
        FlowStep::buyer("Payment And Billing Address"),
        FlowStep::buyer("Checkout Summary"),
        FlowStep::run("Cart To Order", CART_TO_ORDER, 1),
        FlowStep::run("Authorize Payment", "Authorize Payment", 1),
        FlowStep::run("Activate Order", "Activate Order", 1),
    ])
}

/// The default flow of a format 2 file, closer to the quickstart's re-entrant checkout:
/// Authorize Payment is synchronous (an Apex action, no BackgroundOperation, in
/// `Reentrant_Subflow_Authorize_Payment.flow`), and Order Confirmation, the state whose
/// subflow closes the cart (`Close_Cart`), is the last state, also synchronous.
pub fn default_flow_v2() -> Arc<[FlowStep]> {
    // Up to Cart To Order the two default flows are the same states.
    let mut steps: Vec<FlowStep> = default_flow()
        .iter()
        .take_while(|s| s.state != "Authorize Payment")
        .cloned()
        .collect();
    steps.extend([
        FlowStep::sync("Authorize Payment"),
        FlowStep::run("Activate Order", "Activate Order", 1),
        FlowStep::sync("Order Confirmation"),
    ]);
    Arc::from(steps)
}

/// The BackgroundOperation name that creates the order when the store's
/// `order_created` is `at_cart_to_order`.
pub const CART_TO_ORDER: &str = "Cart to Order";
