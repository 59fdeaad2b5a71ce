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
const QS_CONFIRMATION: &str = "quickstart examples/checkout-reentrant/flows/Reentrant_Subflow_Order_Confirmation.flow (Close_Cart)";
const GUIDE_EXEC_TASKS: &str = "developer.salesforce.com commerce guide: synchronous and asynchronous tasks (b2b-b2c-comm-checkout-exec-tasks)";
const OBJ_VALIDATION: &str =
    "Object Reference: CartValidationOutput; Apex sfdc_checkout.AsyncCartProcessor";
const CE_CALCULATE: &str =
    "commerce-extensibility CartCalculateSample.cls: the chain stops only at an Error-level row";
const GUIDE_CONCURRENCY: &str = "developer.salesforce.com commerce guide: prevent concurrency issues (b2b-comm-checkout-prevent-concurrency)";
const OBJ_OPERATION: &str = "Object Reference: BackgroundOperation (ExpiresAt, FinishedAt)";
const GUIDE_HOW_STANDARD: &str = "developer.salesforce.com commerce guide: how standard checkout works (b2b-comm-checkout-how-standard-works)";
const GUIDE_ASYNC: &str = "developer.salesforce.com commerce guide: checkout async processing (b2b-comm-checkout-async-processing)";
const GUIDE_CALCULATORS: &str =
    "developer.salesforce.com commerce guide: checkout calculators (b2b-comm-checkout-calculators)";
const GUIDE_ORDERS: &str = "developer.salesforce.com commerce guide: orders API (b2b-comm-checkout-orders-api); Connect REST: Commerce Webstore Checkout Orders";
const GUIDE_TTL_RETURN: &str = "developer.salesforce.com commerce guide: checkout time-to-live (b2b-b2c-comm-checkout-ttl): \"when the user returns to their cart, the checkout integrations run again and provide current information\"";
const CONNECT_CHECKOUTS_409: &str = "Connect REST: Commerce Webstore Checkouts (PUT, PATCH, DELETE): 409 when custom code modifies the cart or a checkout session while calling the resource";
const GUIDE_HOW_STANDARD_ADDRESS: &str = "developer.salesforce.com commerce guide: how standard checkout works (\"If the delivery address is present (registered user has an address saved), then it also runs Shipping and Tax\")";
const GUIDE_PLACE_ORDER_V2: &str = "developer.salesforce.com commerce guide: Commerce Webstore Checkout Place Order Action API (b2b-comm-checkout-place-order-action-api; API 64.0+, Streamlined Place Order)";
const CONNECT_PAYMENTS: &str = "Connect REST: Commerce Webstore Checkout Payments (re-entrant payment reverses the earlier authorization, API 63.0+)";
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
        source: Source::Choice("adding a product adds its line or more of it; the Add Cart Item flow action's help page (\"Cart actions aren't available in flows for B2B stores built on an Aura template\") describes the LWR flow action, not the storefront's add to cart"),
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
        source: Source::Inferred("developer.salesforce.com commerce guide: prevent concurrency issues describes \"Looks like your cart is currently in use\" for the Connect checkout and payment APIs; that a flow integration that read an older version fails the same way is inferred"),
    }
    /// The checkout's time-to-live passed: it expires.
    CheckoutExpires {
        text: "checkout_expiry eager: the checkout's time to live (or CheckoutValidAfterDate) passed, so the clock expires it: its operation is Canceled, the session archived, the cart Active",
        source: Source::Inferred("the earlier model's reading of the time-to-live guide (b2b-b2c-comm-checkout-ttl), which says only that the integrations run again when the buyer returns; \"the checkout status is set to Canceled and the cart status is reverted to Active\" was attributed to the D2C Streamlined Place Order page and could not be verified"),
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
        text: "one Cart Calculate (a BackgroundOperation) runs the calculators the call needs, in order; the cart is locked for updates until it finishes (202)",
        source: Source::Sample("Apex CartExtension.CartCalculate (one entry point: \"the Salesforce app will call the calculate method when starting Cart calculations\"); commerce-extensibility CartCalculateSample.cls runs the calculators in sequence inside that one call; the 202 and the lock: commerce guide, checkout async processing. BackgroundOperation.Name \"Cart Calculate\" is cartsim's choice (no source names the value)"),
    }
    /// `lwr`: a calculator deletes the rows of its type from its earlier run.
    CalculatorClearsRows {
        text: "a calculation deletes the CartValidationOutput rows of the types its calculators write, from their earlier run",
        source: Source::Inferred("commerce-extensibility CartCalculateSample.cls: each calculator replaces the CartValidationOutput rows of its type; cartsim removes them when the calculation starts"),
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
        text: "PATCH with a shipping address sets the delivery group's DeliverTo fields and reruns Shipping, Post Shipping and Tax",
        source: Source::Documented(GUIDE_CALCULATORS),
    }
    /// `lwr`: PATCH with a delivery method reruns Tax.
    DeliveryMethodRerunsTax {
        text: "PATCH with a delivery method sets the delivery group's DeliveryMethodId and reruns Post Shipping and Tax",
        source: Source::Documented(GUIDE_CALCULATORS),
    }
    /// `lwr`: PATCH gives the checkout the buyer's contact details.
    ContactGiven {
        text: "PATCH gives a guest's contact e-mail: WebCart.GuestEmailAddress",
        source: Source::Documented("developer.salesforce.com commerce guide: how standard checkout works (guests give email and phone after the checkout is created); Object Reference: WebCart.GuestEmailAddress"),
    }
    /// `lwr`: Simplified Cart Cleanup: an item change reruns the calculators it needs.
    ItemChangeReruns {
        text: "Simplified Cart Cleanup: an item change keeps the cart in Checkout and reruns Pricing, Promotions and Inventory (Shipping, Post Shipping and Tax too once an address is known)",
        source: Source::Documented("developer.salesforce.com commerce guide: how standard checkout works (with the cart in Checkout an item change reruns Pricing, Promotion and Inventory, and Shipping and Tax when an address is present); Simplified Cart Cleanup (b2b-d2c-comm-cart-cleanup), Spring '25, API 63.0. Custom orchestrators differ (commerce-extensibility CartCalculateSample.cls reruns only pricing and promotions)"),
    }
    /// `lwr`: DELETE /checkouts/{id} ends the checkout.
    RestCheckoutDeleted {
        text: "DELETE /checkouts/{id} ends the checkout: the session is archived and the cart is Active",
        source: Source::Choice("Connect REST documents DELETE answering 204; that the session is archived and the cart Active again follows Cancel Cart Async Operation"),
    }
    /// `lwr`: the payment is authorized.
    PaymentAuthorized {
        text: "the payment is authorized for the cart's GrandTotalAmount: a Processed PaymentAuthorization",
        source: Source::Choice("the payment gateway is outside cartsim: the step says whether it authorizes; the amount is GrandTotalAmount, which place order checks (commerce guide: avoid common misconfigurations, \"TotalAuthAndSaleAmount + PendingAuthAndSaleAmount = GrandTotalAmount\")"),
    }
    /// `lwr`: paying again reverses the earlier authorization.
    PaymentReversed {
        text: "paying again reverses the earlier authorization",
        source: Source::Documented(CONNECT_PAYMENTS),
    }
    /// `lwr`: place order accepts the order: OrderReferenceNumber, cart PendingClosed.
    OrderAccepted {
        text: "POST /orders accepts the order: an OrderReferenceNumber, the cart PendingClosed, cart-to-order runs asynchronously",
        source: Source::Documented(GUIDE_ORDERS),
    }
    /// `lwr`: a repeated place order returns the same OrderReferenceNumber.
    OrderReferenceReturned {
        text: "the order was already accepted: place order returns the existing OrderReferenceNumber and changes nothing",
        source: Source::Inferred("the orders guide says a PendingClosed cart \"returns existing ORN\" but gives no status for the repeat, nor what a Closed cart answers; cartsim answers as the first call did (201 for v1, 200 for Place Order V2) with the same OrderReferenceNumber"),
    }
    /// `lwr`: cart-to-order finished asynchronously: the order exists, the cart is Closed.
    AsyncOrderCreated {
        text: "cart-to-order finished: the order exists and the cart is Closed",
        source: Source::Documented(GUIDE_ORDERS),
    }
    /// `checkout_expiry: on_return`: the buyer returns to an expired checkout and its integrations run again.
    CheckoutRerunsOnReturn {
        text: "the buyer returned to an expired checkout: its integrations run again and its time to live starts over",
        source: Source::Documented(GUIDE_TTL_RETURN),
    }
    /// `lwr`: custom code saves the cart inside a PUT, PATCH or DELETE, which answers 409.
    CustomCodeDuringCall {
        text: "custom code saved the cart while the checkout call ran: the call answers 409 CHECKOUT_CONFLICT",
        source: Source::Documented(CONNECT_CHECKOUTS_409),
    }
    /// `lwr`: a new checkout for a buyer with a saved address runs Shipping and Tax too.
    SavedAddressUsed {
        text: "the buyer has a saved address: the new checkout's delivery group takes it, and the calculation runs Shipping, Post Shipping and Tax too",
        source: Source::Documented(GUIDE_HOW_STANDARD_ADDRESS),
    }
    /// `lwr`: a new checkout creates its CartDeliveryGroup.
    DeliveryGroupCreated {
        text: "the new checkout creates its CartDeliveryGroup (no address or delivery method yet)",
        source: Source::Choice("the guides show one delivery group per checkout; cartsim creates it with the checkout, empty until the buyer gives an address"),
    }
    /// `lwr`: choosing a delivery method applies its price as TotalChargeAmount.
    DeliveryChargeApplied {
        text: "the selected delivery method's price becomes the cart's TotalChargeAmount",
        source: Source::Choice("the store's delivery_methods list is cartsim's stand-in for a shipping integration: TotalChargeAmount is the selected method's price"),
    }
    /// `lwr`: the payment service declines: a Failed PaymentAuthorization.
    PaymentDeclined {
        text: "the payment service declined: the PaymentAuthorization is Failed",
        source: Source::Choice("the payment gateway is outside cartsim: the step says whether it authorizes; PaymentAuthorization.Status Failed records a decline (Object Reference: PaymentAuthorization)"),
    }
    /// `lwr`, Place Order V2: prepare validated the checkout.
    PlaceOrderPrepared {
        text: "Place Order V2 prepare: the delivery and the cart are ready for order placement (call payments next, then submit)",
        source: Source::Documented(GUIDE_PLACE_ORDER_V2),
    }
    /// `lwr`, Place Order V2: submit accepts the order.
    OrderSubmitted {
        text: "Place Order V2 submit: the payment is validated, an OrderReferenceNumber is returned, the cart PendingClosed; cart-to-order runs asynchronously",
        source: Source::Documented(GUIDE_PLACE_ORDER_V2),
    }
    /// `lwr`: the Tax calculator writes TotalTaxAmount.
    TaxWritten {
        text: "the Tax calculator ran: TotalTaxAmount is tax_rate x (TotalProductAmount + TotalChargeAmount), rounded half up to the cent",
        source: Source::Choice("the store's tax_rate is cartsim's stand-in for a tax integration; that GrandTotalAmount = product + charge + tax follows the WebCart fields"),
    }
    /// `lwr`: a new checkout starts with no charge and no tax.
    NewCheckoutAmounts {
        text: "a new checkout's delivery group has no delivery method and Tax has not run for it: TotalChargeAmount and TotalTaxAmount start at 0",
        source: Source::Choice("the charge follows the delivery group's selected method (none yet); that the tax of an earlier checkout does not carry over is cartsim's choice"),
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text())
    }
}
