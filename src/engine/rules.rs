//! The rule catalogue: every change the engine makes cites one of these rules, so
//! trainees can see *why* a field moved and whether Salesforce documents it.
//!
//! Each rule is one row of the table below (its name, the sentence shown after a
//! change, and its [`Source`]); the enum, the catalogue order and the lookups are
//! generated from the rows, so a new rule is one row.

use super::source::Source;
use std::fmt;

const HELP_CANCEL: &str = "help.salesforce.com: Flow Core Action: Cancel Cart Async Operation (b2b_comm_actions_cancel_cart_async_operation)";
const HELP_CHECKOUT_SESSION: &str =
    "help.salesforce.com: Flow Core Action: Checkout Session (b2b_comm_actions_checkout_session)";
const GUIDE_STATES: &str =
    "developer.salesforce.com commerce guide: checkout states (b2b-b2c-comm-checkout-states)";
const QS_REENTRANT: &str = "quickstart examples/checkout-reentrant/flows/Reentrant_Checkout.flow";
const HELP_ADD_ITEM: &str = "help.salesforce.com: Flow Core Action: Add Cart Item";
const QS_CONFIRMATION: &str = "quickstart examples/checkout-reentrant/flows/Reentrant_Subflow_Order_Confirmation.flow (Close_Cart)";
const GUIDE_EXEC_TASKS: &str = "developer.salesforce.com commerce guide: synchronous and asynchronous tasks (b2b-b2c-comm-checkout-exec-tasks)";
const OBJ_VALIDATION: &str =
    "Object Reference: CartValidationOutput; Apex sfdc_checkout.AsyncCartProcessor";
const CE_CALCULATE: &str =
    "commerce-extensibility CartCalculateSample.cls: the chain stops only at an Error-level row";
const GUIDE_CONCURRENCY: &str = "developer.salesforce.com commerce guide: prevent concurrency issues (b2b-comm-checkout-prevent-concurrency)";
const GUIDE_TTL: &str =
    "developer.salesforce.com commerce guide: checkout time-to-live (b2b-b2c-comm-checkout-ttl)";
const OBJ_OPERATION: &str = "Object Reference: BackgroundOperation (ExpiresAt, FinishedAt)";
const GUIDE_HOW_STANDARD: &str = "developer.salesforce.com commerce guide: how standard checkout works (b2b-comm-checkout-how-standard-works)";
const GUIDE_ASYNC: &str = "developer.salesforce.com commerce guide: checkout async processing (b2b-comm-checkout-async-processing)";
const GUIDE_CALCULATORS: &str =
    "developer.salesforce.com commerce guide: checkout calculators (b2b-comm-checkout-calculators)";
const GUIDE_ORDERS: &str = "developer.salesforce.com commerce guide: orders API (b2b-comm-checkout-orders-api); Connect REST: Commerce Webstore Checkout Orders";
const INFERRED_CANCEL: &str = "inferred from the sample: quickstart Checkout_Main_Checkout.flow calls Cancel Cart Async Operation on every cart not yet complete, with no fault path, so a cart with nothing to cancel must pass";

/// Builds [`Rule`], [`Rule::ALL`], [`Rule::text`] and [`Rule::source`] from the rows.
macro_rules! rules {
    ($($(#[$doc:meta])* $name:ident { text: $text:expr, source: $source:expr $(,)? })+) => {
        /// Why a change happened. Each rule has a sentence and a [`Source`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Rule {
            $($(#[$doc])* $name,)+
        }

        impl Rule {
            /// Every rule, in catalogue order.
            pub const ALL: [Rule; <[&str]>::len(&[$(stringify!($name)),+])] = [$(Rule::$name),+];

            /// The sentence shown in parentheses after a change.
            pub fn text(self) -> &'static str {
                match self {
                    $(Rule::$name => $text,)+
                }
            }

            /// Where the rule comes from.
            pub fn source(self) -> Source {
                match self {
                    $(Rule::$name => $source,)+
                }
            }
        }
    };
}

rules! {
    /// Checkout Session creates a CartCheckoutSession.
    CheckoutCreatesSession {
        text: "Checkout Session creates a CartCheckoutSession",
        source: Source::Documented(HELP_CHECKOUT_SESSION),
    }
    /// Checkout Session sets the cart to Checkout.
    CheckoutLocksCart {
        text: "Checkout Session sets the cart to Checkout",
        source: Source::Documented(HELP_CHECKOUT_SESSION),
    }
    /// An asynchronous checkout state launches its background operation.
    StateLaunchesOperation {
        text: "an asynchronous checkout state launches its background operation",
        source: Source::Documented(GUIDE_STATES),
    }
    /// A buyer state waits for the buyer.
    StateWaitsForBuyer {
        text: "a buyer state waits for the buyer",
        source: Source::Sample(QS_REENTRANT),
    }
    /// A New operation starts running at the next tick.
    OperationStarts {
        text: "a New background operation starts running",
        source: Source::Choice("the docs name no start rule; cartsim starts a New operation at the next tick"),
    }
    /// A running operation completes when its ticks have passed.
    OperationCompletes {
        text: "the background operation finished its work",
        source: Source::Choice("real operations take real time; cartsim counts each operation's work in ticks"),
    }
    /// When the background task finishes, NextState is copied into State.
    SessionAdvances {
        text: "the task finished: NextState is copied into State",
        source: Source::Documented(GUIDE_STATES),
    }
    /// An injected fault ends the operation in Error.
    OperationFails {
        text: "the background operation ended in Error",
        source: Source::Scenario,
    }
    /// On error the session's State becomes Error and NextState null.
    SessionErrors {
        text: "the task failed: State becomes Error and NextState null",
        source: Source::Documented(GUIDE_STATES),
    }
    /// The buyer finishes a buyer state and the checkout moves to the next state.
    BuyerContinues {
        text: "the buyer finished this state; the checkout moves on",
        source: Source::Sample(QS_REENTRANT),
    }
    /// The last checkout state places the order and closes the cart.
    OrderPlaced {
        text: "the last checkout state places the order and closes the cart",
        source: Source::Sample(QS_REENTRANT),
    }
    /// Cancel Cart Async Operation marks the background operation canceled.
    CancelMarksOperation {
        text: "Cancel Cart Async Operation marks the background operation canceled",
        source: Source::Documented(HELP_CANCEL),
    }
    /// Cancel Cart Async Operation archives the CartCheckoutSession.
    CancelArchivesSession {
        text: "Cancel Cart Async Operation archives the CartCheckoutSession",
        source: Source::Documented(HELP_CANCEL),
    }
    /// Cancel Cart Async Operation returns the cart to Active.
    CancelUnlocksCart {
        text: "Cancel Cart Async Operation unlocks the cart",
        source: Source::Documented(HELP_CANCEL),
    }
    /// Nothing runs for an archived session, so IsProcessing is cleared.
    CancelStopsProcessing {
        text: "nothing runs for an archived session",
        source: Source::Choice("the docs say the session is archived; cartsim also clears IsProcessing"),
    }
    /// A cart change during checkout runs Cancel Cart Async Operation first.
    CartChangeCancelsCheckout {
        text: "a cart change during checkout runs Cancel Cart Async Operation first",
        source: Source::Documented(HELP_CANCEL),
    }
    /// Add to cart adds the product (or more of it) to the cart.
    AddToCartAddsItem {
        text: "add to cart adds the product",
        source: Source::Documented(HELP_ADD_ITEM),
    }
    /// In a `recalculate` store, a cart change re-runs the checkout's calculators.
    CartChangeRecalculates {
        text: "this store recalculates: the cart change re-runs the checkout from its first state",
        source: Source::Choice("the LWR guide says a change re-runs the calculators; cartsim makes it a per-store setting and restarts the flow"),
    }
    /// A scenario edit of the world (permissions, accounts, store membership).
    WorldEdit {
        text: "the scenario changes the world",
        source: Source::Scenario,
    }
    /// A scenario changes a store setting (`set_setting`).
    SettingChanged {
        text: "the scenario changes a store setting from this instant on (simulator configuration, not a WebStore field)",
        source: Source::Scenario,
    }
    /// `checkout_session: get_or_create`: Checkout Session returns the active session.
    CheckoutReturnsSession {
        text: "get or create: Checkout Session returns the cart's active session and changes nothing",
        source: Source::Documented("help.salesforce.com: Checkout Session (\"gets or creates a checkout session\"); the sample Reentrant_Subflow_Checkout_Session.flow calls it on every loop"),
    }
    /// `validation_on_start: clear`: Checkout Session deletes the cart's CartValidationOutputs.
    CheckoutClearsValidation {
        text: "Checkout Session deletes the cart's CartValidationOutput rows",
        source: Source::Documented(HELP_CHECKOUT_SESSION),
    }
    /// A synchronous checkout state does its work at once, with no BackgroundOperation.
    SyncStateRuns {
        text: "a synchronous checkout state does its work at once, with no background operation",
        source: Source::Documented(GUIDE_EXEC_TASKS),
    }
    /// `order_created: at_cart_to_order`: Cart to Order creates the order.
    CartToOrderCreatesOrder {
        text: "Cart to Order creates the order; the cart stays in Checkout until the flow ends",
        source: Source::Sample(QS_REENTRANT),
    }
    /// `order_created: at_cart_to_order`: the flow's last state closes the cart.
    FlowEndClosesCart {
        text: "the flow's last state (Order Confirmation) closes the cart",
        source: Source::Sample(QS_CONFIRMATION),
    }
    /// A failing integration records a CartValidationOutput.
    IntegrationWritesValidation {
        text: "the integration reports its failure as a CartValidationOutput row",
        source: Source::Documented(OBJ_VALIDATION),
    }
    /// A Warning or Info row does not stop the checkout.
    WarningDoesNotStop {
        text: "a Warning or Info row does not stop the checkout",
        source: Source::Sample(CE_CALCULATE),
    }
    /// Custom code saved the cart: its version goes up.
    CustomCodeSavesCart {
        text: "custom code saved the cart: its version goes up",
        source: Source::Documented(GUIDE_CONCURRENCY),
    }
    /// An operation that read an older version of the cart fails: the cart is in use.
    CartInUse {
        text: "the cart was saved since the operation read it: Looks like your cart is currently in use",
        source: Source::Documented(GUIDE_CONCURRENCY),
    }
    /// The checkout's time-to-live passed: it expires.
    CheckoutExpires {
        text: "the checkout's time-to-live passed: the checkout expires and the cart is Active again",
        source: Source::Documented(GUIDE_TTL),
    }
    /// A finished operation gets an ExpiresAt.
    OperationExpirySet {
        text: "a finished background operation is given an ExpiresAt",
        source: Source::Documented(OBJ_OPERATION),
    }
    /// A finished operation leaves the queue at ExpiresAt.
    OperationLeavesQueue {
        text: "ExpiresAt passed: the finished background operation leaves the queue",
        source: Source::Documented(OBJ_OPERATION),
    }
    /// `cancel_requirements: lenient`: a cart with no active session passes, nothing changes.
    CancelNothingToCancel {
        text: "lenient reading: the cart has no active CartCheckoutSession, so there is nothing to cancel",
        source: Source::Inferred(INFERRED_CANCEL),
    }
    /// `cancel_requirements: lenient`: no valid operation, so none is canceled; the
    /// session is still archived and the cart unlocked.
    CancelWithoutOperation {
        text: "lenient reading: no valid BackgroundOperationId, so no operation is canceled",
        source: Source::Inferred(INFERRED_CANCEL),
    }
    /// `lwr`: PUT /checkouts creates the checkout and sets the cart to Checkout.
    RestCheckoutCreated {
        text: "PUT /checkouts creates the checkout (a CartCheckoutSession) and sets the cart to Checkout",
        source: Source::Documented(GUIDE_HOW_STANDARD),
    }
    /// `lwr`: PUT /checkouts returns the cart's existing checkout.
    RestCheckoutReturned {
        text: "get or create: PUT /checkouts returns the cart's existing checkout and changes nothing",
        source: Source::Documented(GUIDE_HOW_STANDARD),
    }
    /// `lwr`: a calculator runs as a background operation; the cart is locked for updates.
    CalculatorRuns {
        text: "a checkout calculator runs as a background operation; the cart is locked for updates until it finishes (202)",
        source: Source::Documented(GUIDE_ASYNC),
    }
    /// `lwr`: a calculator deletes the rows of its type from its earlier run.
    CalculatorClearsRows {
        text: "a calculator deletes the CartValidationOutput rows of its type from its earlier run",
        source: Source::Sample("commerce-extensibility CartCalculateSample.cls: each calculator replaces the CartValidationOutput rows of its type"),
    }
    /// `lwr`: an Error row stops the chain of calculators; the checkout stays usable.
    CalculatorChainStops {
        text: "an Error row stops the chain of calculators; the checkout stays usable (poll answers 422)",
        source: Source::Sample(CE_CALCULATE),
    }
    /// `lwr`: every calculator finished; the checkout is ready.
    CalculatorsDone {
        text: "every calculator finished: the checkout is ready (poll answers 200)",
        source: Source::Documented(GUIDE_ASYNC),
    }
    /// `lwr`: PATCH with a shipping address reruns Shipping and Tax.
    AddressRerunsShippingTax {
        text: "PATCH with a shipping address reruns Shipping and Tax",
        source: Source::Documented(GUIDE_CALCULATORS),
    }
    /// `lwr`: PATCH with a delivery method reruns Tax.
    DeliveryMethodRerunsTax {
        text: "PATCH with a delivery method reruns Tax",
        source: Source::Documented(GUIDE_CALCULATORS),
    }
    /// `lwr`: PATCH gives the checkout the buyer's contact details.
    ContactGiven {
        text: "PATCH gives the checkout the buyer's contact details",
        source: Source::Documented("developer.salesforce.com commerce guide: how standard checkout works (guests give email and phone after the checkout is created)"),
    }
    /// `lwr`: Simplified Cart Cleanup: an item change reruns the calculators it needs.
    ItemChangeReruns {
        text: "Simplified Cart Cleanup: an item change keeps the cart in Checkout and reruns pricing, promotions and inventory (shipping and tax too when an address is known)",
        source: Source::Sample("commerce-extensibility CartCalculateSample.cls (the matrix per buyer action); Simplified Cart Cleanup, Spring '25, API 63.0"),
    }
    /// `lwr`: DELETE /checkouts/{id} ends the checkout.
    RestCheckoutDeleted {
        text: "DELETE /checkouts/{id} ends the checkout: the session is archived and the cart is Active",
        source: Source::Choice("Connect REST documents DELETE answering 204; that the session is archived and the cart Active again follows Cancel Cart Async Operation"),
    }
    /// `lwr`: the payment is authorized.
    PaymentAuthorized {
        text: "the payment is authorized for the cart's total",
        source: Source::Choice("the payment service is outside cartsim: the step says whether it authorizes; the amount is the cart's TotalProductAmount"),
    }
    /// `lwr`: paying again reverses the earlier authorization.
    PaymentReversed {
        text: "paying again reverses the earlier authorization",
        source: Source::Documented("developer.salesforce.com commerce guide: checkout troubleshooting (payments, API 63.0+)"),
    }
    /// `lwr`: the cart's total changed, so the authorization no longer holds.
    PaymentInvalidated {
        text: "the cart's total changed: the payment authorization no longer holds",
        source: Source::Documented("developer.salesforce.com commerce guide: checkout troubleshooting (payments, API 63.0+)"),
    }
    /// `lwr`: place order accepts the order: OrderReferenceNumber, cart PendingClosed.
    OrderAccepted {
        text: "POST /orders accepts the order: an OrderReferenceNumber, the cart PendingClosed, cart-to-order runs asynchronously",
        source: Source::Documented(GUIDE_ORDERS),
    }
    /// `lwr`: a repeated place order returns the same OrderReferenceNumber.
    OrderReferenceReturned {
        text: "a repeated POST /orders returns the same OrderReferenceNumber and changes nothing",
        source: Source::Documented(GUIDE_ORDERS),
    }
    /// `lwr`: cart-to-order finished asynchronously: the order exists, the cart is Closed.
    AsyncOrderCreated {
        text: "cart-to-order finished: the order exists and the cart is Closed",
        source: Source::Documented(GUIDE_ORDERS),
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text())
    }
}
