//! Checkout flows: the states a checkout walks through.

use std::collections::HashMap;
use std::sync::Arc;

/// A checkout flow: its states in order, and where each state name first appears, so
/// that a checkout moving to its next state finds it without walking the flow (a settle
/// over a long flow did, at every state of every checkout). Cloning it shares both.
#[derive(Clone)]
pub struct Flow(Arc<FlowParts>);

struct FlowParts {
    steps: Vec<FlowStep>,
    places: HashMap<String, usize>,
}

impl Flow {
    /// The place of the first state with this name.
    pub fn place(&self, state: &str) -> Option<usize> {
        self.0.places.get(state).copied()
    }
}

impl From<Vec<FlowStep>> for Flow {
    fn from(steps: Vec<FlowStep>) -> Flow {
        let mut places = HashMap::with_capacity(steps.len());
        for (i, step) in steps.iter().enumerate() {
            places.entry(step.state.clone()).or_insert(i);
        }
        Flow(Arc::new(FlowParts { steps, places }))
    }
}

impl FromIterator<FlowStep> for Flow {
    fn from_iter<I: IntoIterator<Item = FlowStep>>(iter: I) -> Flow {
        Flow::from(iter.into_iter().collect::<Vec<_>>())
    }
}

impl std::ops::Deref for Flow {
    type Target = [FlowStep];
    fn deref(&self) -> &[FlowStep] {
        &self.0.steps
    }
}

/// Flows compare by their states.
impl PartialEq for Flow {
    fn eq(&self, other: &Flow) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.0.steps == other.0.steps
    }
}

impl Eq for Flow {}

/// A flow shows as the list of its states.
impl std::fmt::Debug for Flow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

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
pub fn default_flow() -> Flow {
    Flow::from(vec![
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
pub fn default_flow_v2() -> Flow {
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
    Flow::from(steps)
}

/// The BackgroundOperation name that creates the order when the store's
/// `order_created` is `at_cart_to_order`.
pub const CART_TO_ORDER: &str = "Cart to Order";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_state_is_found_at_its_first_place_and_a_flow_compares_by_its_states() {
        let flow = default_flow();
        for (i, step) in flow.iter().enumerate() {
            assert_eq!(flow.place(&step.state), Some(i), "{}", step.state);
        }
        assert_eq!(flow.place("Order Confirmation"), None);
        assert_eq!(flow.place(COMPLETE), None);
        // A flow built by hand may repeat a name: the first place is the one found,
        // as a walk from the start finds it.
        let repeated = Flow::from(vec![
            FlowStep::buyer("A"),
            FlowStep::run("B", "Op", 1),
            FlowStep::run("A", "Op", 1),
        ]);
        assert_eq!(repeated.place("A"), Some(0));
        assert_eq!(repeated.place("B"), Some(1));
        let rebuilt: Flow = flow.iter().cloned().collect();
        assert_eq!(rebuilt, flow);
        assert_ne!(rebuilt, default_flow_v2());
        assert_eq!(format!("{flow:?}"), format!("{:?}", &flow[..]));
    }
}
