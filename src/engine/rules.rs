//! The rule catalogue: every change the engine makes cites one of these rules, so
//! trainees can see *why* a field moved and whether Salesforce documents it.

use std::fmt;

/// Where a rule or an error code comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Salesforce documentation; the text names the page.
    Documented(&'static str),
    /// Salesforce's own sample repository (b2b-commerce-on-lightning-quickstart).
    Sample(&'static str),
    /// The simulator's own choice where the sources are silent; the text says why.
    Choice(&'static str),
    /// Set by the scenario itself (a world edit or an injected fault), not a Salesforce rule.
    Scenario,
    /// Inferred from Salesforce's sample code rather than stated in the docs; the text
    /// names the sample and what it implies.
    Inferred(&'static str),
}

impl Source {
    /// The short tag shown after a change: `documented`, `sample`, `choice` or `scenario`.
    pub fn tag(self) -> &'static str {
        match self {
            Source::Documented(_) => "documented",
            Source::Sample(_) => "sample",
            Source::Choice(_) => "choice",
            Source::Scenario => "scenario",
            Source::Inferred(_) => "inferred",
        }
    }

    /// The reference or reason behind the tag.
    pub fn reference(self) -> &'static str {
        match self {
            Source::Documented(r) | Source::Sample(r) | Source::Choice(r) | Source::Inferred(r) => {
                r
            }
            Source::Scenario => "the scenario file",
        }
    }

    /// True when Salesforce's documentation or sample code stands behind the rule.
    pub fn is_salesforce(self) -> bool {
        matches!(
            self,
            Source::Documented(_) | Source::Sample(_) | Source::Inferred(_)
        )
    }
}

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

/// Why a change happened. Each rule has a sentence and a [`Source`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    /// Checkout Session creates a CartCheckoutSession.
    CheckoutCreatesSession,
    /// Checkout Session sets the cart to Checkout.
    CheckoutLocksCart,
    /// An asynchronous checkout state launches its background operation.
    StateLaunchesOperation,
    /// A buyer state waits for the buyer.
    StateWaitsForBuyer,
    /// A New operation starts running at the next tick.
    OperationStarts,
    /// A running operation completes when its ticks have passed.
    OperationCompletes,
    /// When the background task finishes, NextState is copied into State.
    SessionAdvances,
    /// An injected fault ends the operation in Error.
    OperationFails,
    /// On error the session's State becomes Error and NextState null.
    SessionErrors,
    /// The buyer finishes a buyer state and the checkout moves to the next state.
    BuyerContinues,
    /// The last checkout state places the order and closes the cart.
    OrderPlaced,
    /// Cancel Cart Async Operation marks the background operation canceled.
    CancelMarksOperation,
    /// Cancel Cart Async Operation archives the CartCheckoutSession.
    CancelArchivesSession,
    /// Cancel Cart Async Operation returns the cart to Active.
    CancelUnlocksCart,
    /// Nothing runs for an archived session, so IsProcessing is cleared.
    CancelStopsProcessing,
    /// A cart change during checkout runs Cancel Cart Async Operation first.
    CartChangeCancelsCheckout,
    /// Add to cart adds the product (or more of it) to the cart.
    AddToCartAddsItem,
    /// In a `recalculate` store, a cart change re-runs the checkout's calculators.
    CartChangeRecalculates,
    /// A scenario edit of the world (permissions, accounts, store membership).
    WorldEdit,
    /// `checkout_session: get_or_create`: Checkout Session returns the active session.
    CheckoutReturnsSession,
    /// `validation_on_start: clear`: Checkout Session deletes the cart's CartValidationOutputs.
    CheckoutClearsValidation,
    /// A synchronous checkout state does its work at once, with no BackgroundOperation.
    SyncStateRuns,
    /// `order_created: at_cart_to_order`: Cart to Order creates the order.
    CartToOrderCreatesOrder,
    /// `order_created: at_cart_to_order`: the flow's last state closes the cart.
    FlowEndClosesCart,
    /// A failing integration records a CartValidationOutput.
    IntegrationWritesValidation,
    /// A Warning or Info row does not stop the checkout.
    WarningDoesNotStop,
    /// Custom code saved the cart: its version goes up.
    CustomCodeSavesCart,
    /// An operation that read an older version of the cart fails: the cart is in use.
    CartInUse,
    /// The checkout's time-to-live passed: it expires.
    CheckoutExpires,
    /// A finished operation gets an ExpiresAt.
    OperationExpirySet,
    /// A finished operation leaves the queue at ExpiresAt.
    OperationLeavesQueue,
    /// `cancel_requirements: lenient`: a cart with no active session passes, nothing changes.
    CancelNothingToCancel,
    /// `cancel_requirements: lenient`: no valid operation, so none is canceled; the
    /// session is still archived and the cart unlocked.
    CancelWithoutOperation,
    /// `lwr`: PUT /checkouts creates the checkout and sets the cart to Checkout.
    RestCheckoutCreated,
    /// `lwr`: PUT /checkouts returns the cart's existing checkout.
    RestCheckoutReturned,
    /// `lwr`: a calculator runs as a background operation; the cart is locked for updates.
    CalculatorRuns,
    /// `lwr`: a calculator deletes the rows of its type from its earlier run.
    CalculatorClearsRows,
    /// `lwr`: an Error row stops the chain of calculators; the checkout stays usable.
    CalculatorChainStops,
    /// `lwr`: every calculator finished; the checkout is ready.
    CalculatorsDone,
    /// `lwr`: PATCH with a shipping address reruns Shipping and Tax.
    AddressRerunsShippingTax,
    /// `lwr`: PATCH with a delivery method reruns Tax.
    DeliveryMethodRerunsTax,
    /// `lwr`: PATCH gives the checkout the buyer's contact details.
    ContactGiven,
    /// `lwr`: Simplified Cart Cleanup: an item change reruns the calculators it needs.
    ItemChangeReruns,
    /// `lwr`: DELETE /checkouts/{id} ends the checkout.
    RestCheckoutDeleted,
    /// `lwr`: the payment is authorized.
    PaymentAuthorized,
    /// `lwr`: paying again reverses the earlier authorization.
    PaymentReversed,
    /// `lwr`: place order accepts the order: OrderReferenceNumber, cart PendingClosed.
    OrderAccepted,
    /// `lwr`: a repeated place order returns the same OrderReferenceNumber.
    OrderReferenceReturned,
    /// `lwr`: cart-to-order finished asynchronously: the order exists, the cart is Closed.
    AsyncOrderCreated,
    /// `checkout_expiry: on_return`: the buyer returns to an expired checkout and its integrations run again.
    CheckoutRerunsOnReturn,
    /// `lwr`: custom code saves the cart inside a PUT, PATCH or DELETE, which answers 409.
    CustomCodeDuringCall,
    /// `lwr`: a new checkout for a buyer with a saved address runs Shipping and Tax too.
    SavedAddressUsed,
    /// `lwr`: a new checkout creates its CartDeliveryGroup.
    DeliveryGroupCreated,
    /// `lwr`: choosing a delivery method applies its price as TotalChargeAmount.
    DeliveryChargeApplied,
    /// `lwr`: the payment service declines: a Failed PaymentAuthorization.
    PaymentDeclined,
    /// `lwr`, Place Order V2: prepare validated the checkout.
    PlaceOrderPrepared,
    /// `lwr`, Place Order V2: submit accepts the order.
    OrderSubmitted,
    /// `lwr`: the Tax calculator writes TotalTaxAmount.
    TaxWritten,
    /// `lwr`: a new checkout starts with no charge and no tax.
    NewCheckoutAmounts,
}

impl Rule {
    /// Every rule, in catalogue order.
    pub const ALL: [Rule; 59] = [
        Rule::CheckoutCreatesSession,
        Rule::CheckoutLocksCart,
        Rule::StateLaunchesOperation,
        Rule::StateWaitsForBuyer,
        Rule::OperationStarts,
        Rule::OperationCompletes,
        Rule::SessionAdvances,
        Rule::OperationFails,
        Rule::SessionErrors,
        Rule::BuyerContinues,
        Rule::OrderPlaced,
        Rule::CancelMarksOperation,
        Rule::CancelArchivesSession,
        Rule::CancelUnlocksCart,
        Rule::CancelStopsProcessing,
        Rule::CartChangeCancelsCheckout,
        Rule::AddToCartAddsItem,
        Rule::CartChangeRecalculates,
        Rule::WorldEdit,
        Rule::CheckoutReturnsSession,
        Rule::CheckoutClearsValidation,
        Rule::SyncStateRuns,
        Rule::CartToOrderCreatesOrder,
        Rule::FlowEndClosesCart,
        Rule::IntegrationWritesValidation,
        Rule::WarningDoesNotStop,
        Rule::CustomCodeSavesCart,
        Rule::CartInUse,
        Rule::CheckoutExpires,
        Rule::OperationExpirySet,
        Rule::OperationLeavesQueue,
        Rule::CancelNothingToCancel,
        Rule::CancelWithoutOperation,
        Rule::RestCheckoutCreated,
        Rule::RestCheckoutReturned,
        Rule::CalculatorRuns,
        Rule::CalculatorClearsRows,
        Rule::CalculatorChainStops,
        Rule::CalculatorsDone,
        Rule::AddressRerunsShippingTax,
        Rule::DeliveryMethodRerunsTax,
        Rule::ContactGiven,
        Rule::ItemChangeReruns,
        Rule::RestCheckoutDeleted,
        Rule::PaymentAuthorized,
        Rule::PaymentReversed,
        Rule::OrderAccepted,
        Rule::OrderReferenceReturned,
        Rule::AsyncOrderCreated,
        Rule::CheckoutRerunsOnReturn,
        Rule::CustomCodeDuringCall,
        Rule::SavedAddressUsed,
        Rule::DeliveryGroupCreated,
        Rule::DeliveryChargeApplied,
        Rule::PaymentDeclined,
        Rule::PlaceOrderPrepared,
        Rule::OrderSubmitted,
        Rule::TaxWritten,
        Rule::NewCheckoutAmounts,
    ];

    /// The sentence shown in parentheses after a change.
    pub fn text(self) -> &'static str {
        match self {
            Rule::CheckoutCreatesSession => "Checkout Session creates a CartCheckoutSession",
            Rule::CheckoutLocksCart => "Checkout Session sets the cart to Checkout",
            Rule::StateLaunchesOperation => {
                "an asynchronous checkout state launches its background operation"
            }
            Rule::StateWaitsForBuyer => "a buyer state waits for the buyer",
            Rule::OperationStarts => "a New background operation starts running",
            Rule::OperationCompletes => "the background operation finished its work",
            Rule::SessionAdvances => "the task finished: NextState is copied into State",
            Rule::OperationFails => "the background operation ended in Error",
            Rule::SessionErrors => "the task failed: State becomes Error and NextState null",
            Rule::BuyerContinues => "the buyer finished this state; the checkout moves on",
            Rule::OrderPlaced => "the last checkout state places the order and closes the cart",
            Rule::CancelMarksOperation => {
                "Cancel Cart Async Operation marks the background operation canceled"
            }
            Rule::CancelArchivesSession => {
                "Cancel Cart Async Operation archives the CartCheckoutSession"
            }
            Rule::CancelUnlocksCart => "Cancel Cart Async Operation unlocks the cart",
            Rule::CancelStopsProcessing => "nothing runs for an archived session",
            Rule::CartChangeCancelsCheckout => {
                "a cart change during checkout runs Cancel Cart Async Operation first"
            }
            Rule::AddToCartAddsItem => "add to cart adds the product",
            Rule::CartChangeRecalculates => {
                "this store recalculates: the cart change re-runs the checkout from its first state"
            }
            Rule::WorldEdit => "the scenario changes the world",
            Rule::CheckoutReturnsSession => {
                "get or create: Checkout Session returns the cart's active session and changes nothing"
            }
            Rule::CheckoutClearsValidation => {
                "Checkout Session deletes the cart's CartValidationOutput rows"
            }
            Rule::SyncStateRuns => {
                "a synchronous checkout state does its work at once, with no background operation"
            }
            Rule::CartToOrderCreatesOrder => {
                "Cart to Order creates the order; the cart stays in Checkout until the flow ends"
            }
            Rule::FlowEndClosesCart => "the flow's last state (Order Confirmation) closes the cart",
            Rule::IntegrationWritesValidation => {
                "the integration reports its failure as a CartValidationOutput row"
            }
            Rule::WarningDoesNotStop => "a Warning or Info row does not stop the checkout",
            Rule::CustomCodeSavesCart => "custom code saved the cart: its version goes up",
            Rule::CartInUse => {
                "the cart was saved since the operation read it: Looks like your cart is currently in use"
            }
            Rule::CheckoutExpires => {
                "checkout_expiry eager: the checkout's time to live (or CheckoutValidAfterDate) passed, so the clock expires it: its operation is Canceled, the session archived, the cart Active"
            }
            Rule::OperationExpirySet => "a finished background operation is given an ExpiresAt",
            Rule::OperationLeavesQueue => {
                "ExpiresAt passed: the finished background operation leaves the queue"
            }
            Rule::CancelNothingToCancel => {
                "lenient reading: the cart has no active CartCheckoutSession, so there is nothing to cancel"
            }
            Rule::CancelWithoutOperation => {
                "lenient reading: no valid BackgroundOperationId, so no operation is canceled"
            }
            Rule::RestCheckoutCreated => {
                "PUT /checkouts creates the checkout (a CartCheckoutSession) and sets the cart to Checkout"
            }
            Rule::RestCheckoutReturned => {
                "get or create: PUT /checkouts returns the cart's existing checkout and changes nothing"
            }
            Rule::CalculatorRuns => {
                "one Cart Calculate (a BackgroundOperation) runs the calculators the call needs, in order; the cart is locked for updates until it finishes (202)"
            }
            Rule::CalculatorClearsRows => {
                "a calculation deletes the CartValidationOutput rows of the types its calculators write, from their earlier run"
            }
            Rule::CalculatorChainStops => {
                "an Error row stops the chain of calculators; the checkout stays usable (poll answers 422)"
            }
            Rule::CalculatorsDone => {
                "every calculator finished: the checkout is ready (poll answers 200)"
            }
            Rule::AddressRerunsShippingTax => {
                "PATCH with a shipping address sets the delivery group's DeliverTo fields and reruns Shipping, Post Shipping and Tax"
            }
            Rule::DeliveryMethodRerunsTax => {
                "PATCH with a delivery method sets the delivery group's DeliveryMethodId and reruns Post Shipping and Tax"
            }
            Rule::ContactGiven => "PATCH gives a guest's contact e-mail: WebCart.GuestEmailAddress",
            Rule::ItemChangeReruns => {
                "Simplified Cart Cleanup: an item change keeps the cart in Checkout and reruns Pricing, Promotions and Inventory (Shipping, Post Shipping and Tax too once an address is known)"
            }
            Rule::RestCheckoutDeleted => {
                "DELETE /checkouts/{id} ends the checkout: the session is archived and the cart is Active"
            }
            Rule::PaymentAuthorized => {
                "the payment is authorized for the cart's GrandTotalAmount: a Processed PaymentAuthorization"
            }
            Rule::PaymentReversed => "paying again reverses the earlier authorization",
            Rule::OrderAccepted => {
                "POST /orders accepts the order: an OrderReferenceNumber, the cart PendingClosed, cart-to-order runs asynchronously"
            }
            Rule::OrderReferenceReturned => {
                "the order was already accepted: place order returns the existing OrderReferenceNumber and changes nothing"
            }
            Rule::AsyncOrderCreated => {
                "cart-to-order finished: the order exists and the cart is Closed"
            }
            Rule::CheckoutRerunsOnReturn => {
                "the buyer returned to an expired checkout: its integrations run again and its time to live starts over"
            }
            Rule::CustomCodeDuringCall => {
                "custom code saved the cart while the checkout call ran: the call answers 409 CHECKOUT_CONFLICT"
            }
            Rule::SavedAddressUsed => {
                "the buyer has a saved address: the new checkout's delivery group takes it, and the calculation runs Shipping, Post Shipping and Tax too"
            }
            Rule::DeliveryGroupCreated => {
                "the new checkout creates its CartDeliveryGroup (no address or delivery method yet)"
            }
            Rule::DeliveryChargeApplied => {
                "the selected delivery method's price becomes the cart's TotalChargeAmount"
            }
            Rule::PaymentDeclined => {
                "the payment service declined: the PaymentAuthorization is Failed"
            }
            Rule::PlaceOrderPrepared => {
                "Place Order V2 prepare: the delivery and the cart are ready for order placement (call payments next, then submit)"
            }
            Rule::OrderSubmitted => {
                "Place Order V2 submit: the payment is validated, an OrderReferenceNumber is returned, the cart PendingClosed; cart-to-order runs asynchronously"
            }
            Rule::NewCheckoutAmounts => {
                "a new checkout's delivery group has no delivery method and Tax has not run for it: TotalChargeAmount and TotalTaxAmount start at 0"
            }
            Rule::TaxWritten => {
                "the Tax calculator ran: TotalTaxAmount is tax_rate x (TotalProductAmount + TotalChargeAmount), rounded half up to the cent"
            }
        }
    }

    /// Where the rule comes from.
    pub fn source(self) -> Source {
        match self {
            Rule::CheckoutCreatesSession => Source::Documented(HELP_CHECKOUT_SESSION),
            Rule::CheckoutLocksCart => Source::Documented(HELP_CHECKOUT_SESSION),
            Rule::StateLaunchesOperation => Source::Documented(GUIDE_STATES),
            Rule::StateWaitsForBuyer => Source::Sample(QS_REENTRANT),
            Rule::OperationStarts => Source::Choice(
                "the docs name no start rule; cartsim starts a New operation at the next tick",
            ),
            Rule::OperationCompletes => Source::Choice(
                "real operations take real time; cartsim counts each operation's work in ticks",
            ),
            Rule::SessionAdvances => Source::Documented(GUIDE_STATES),
            Rule::OperationFails => Source::Scenario,
            Rule::SessionErrors => Source::Documented(GUIDE_STATES),
            Rule::BuyerContinues => Source::Sample(QS_REENTRANT),
            Rule::OrderPlaced => Source::Sample(QS_REENTRANT),
            Rule::CancelMarksOperation => Source::Documented(HELP_CANCEL),
            Rule::CancelArchivesSession => Source::Documented(HELP_CANCEL),
            Rule::CancelUnlocksCart => Source::Documented(HELP_CANCEL),
            Rule::CancelStopsProcessing => Source::Choice(
                "the docs say the session is archived; cartsim also clears IsProcessing",
            ),
            Rule::CartChangeCancelsCheckout => Source::Documented(HELP_CANCEL),
            Rule::AddToCartAddsItem => Source::Choice(
                "adding a product adds its line or more of it; the Add Cart Item flow action's help page (\"Cart actions aren't available in flows for B2B stores built on an Aura template\") describes the LWR flow action, not the storefront's add to cart",
            ),
            Rule::CartChangeRecalculates => Source::Choice(
                "the LWR guide says a change re-runs the calculators; cartsim makes it a per-store setting and restarts the flow",
            ),
            Rule::WorldEdit => Source::Scenario,
            Rule::CheckoutReturnsSession => Source::Documented(
                "help.salesforce.com: Checkout Session (\"gets or creates a checkout session\"); the sample Reentrant_Subflow_Checkout_Session.flow calls it on every loop",
            ),
            Rule::CheckoutClearsValidation => Source::Documented(HELP_CHECKOUT_SESSION),
            Rule::SyncStateRuns => Source::Documented(GUIDE_EXEC_TASKS),
            Rule::CartToOrderCreatesOrder => Source::Sample(QS_REENTRANT),
            Rule::FlowEndClosesCart => Source::Sample(QS_CONFIRMATION),
            Rule::IntegrationWritesValidation => Source::Documented(OBJ_VALIDATION),
            Rule::WarningDoesNotStop => Source::Sample(CE_CALCULATE),
            Rule::CustomCodeSavesCart => Source::Documented(GUIDE_CONCURRENCY),
            Rule::CartInUse => Source::Inferred(
                "developer.salesforce.com commerce guide: prevent concurrency issues describes \"Looks like your cart is currently in use\" for the Connect checkout and payment APIs; that a flow integration that read an older version fails the same way is inferred",
            ),
            Rule::CheckoutExpires => Source::Inferred(
                "the earlier model's reading of the time-to-live guide (b2b-b2c-comm-checkout-ttl), which says only that the integrations run again when the buyer returns; \"the checkout status is set to Canceled and the cart status is reverted to Active\" was attributed to the D2C Streamlined Place Order page and could not be verified",
            ),
            Rule::OperationExpirySet => Source::Documented(OBJ_OPERATION),
            Rule::OperationLeavesQueue => Source::Documented(OBJ_OPERATION),
            Rule::CancelNothingToCancel => Source::Inferred(INFERRED_CANCEL),
            Rule::CancelWithoutOperation => Source::Inferred(INFERRED_CANCEL),
            Rule::RestCheckoutCreated | Rule::RestCheckoutReturned => {
                Source::Documented(GUIDE_HOW_STANDARD)
            }
            Rule::CalculatorRuns => Source::Sample(
                "Apex CartExtension.CartCalculate (one entry point: \"the Salesforce app will call the calculate method when starting Cart calculations\"); commerce-extensibility CartCalculateSample.cls runs the calculators in sequence inside that one call; the 202 and the lock: commerce guide, checkout async processing. BackgroundOperation.Name \"Cart Calculate\" is cartsim's choice (no source names the value)",
            ),
            Rule::CalculatorsDone => Source::Documented(GUIDE_ASYNC),
            Rule::CalculatorClearsRows => Source::Inferred(
                "commerce-extensibility CartCalculateSample.cls: each calculator replaces the CartValidationOutput rows of its type; cartsim removes them when the calculation starts",
            ),
            Rule::CalculatorChainStops => Source::Sample(CE_CALCULATE),
            Rule::AddressRerunsShippingTax | Rule::DeliveryMethodRerunsTax => {
                Source::Documented(GUIDE_CALCULATORS)
            }
            Rule::ContactGiven => Source::Documented(
                "developer.salesforce.com commerce guide: how standard checkout works (guests give email and phone after the checkout is created); Object Reference: WebCart.GuestEmailAddress",
            ),
            Rule::ItemChangeReruns => Source::Documented(
                "developer.salesforce.com commerce guide: how standard checkout works (with the cart in Checkout an item change reruns Pricing, Promotion and Inventory, and Shipping and Tax when an address is present); Simplified Cart Cleanup (b2b-d2c-comm-cart-cleanup), Spring '25, API 63.0. Custom orchestrators differ (commerce-extensibility CartCalculateSample.cls reruns only pricing and promotions)",
            ),
            Rule::RestCheckoutDeleted => Source::Choice(
                "Connect REST documents DELETE answering 204; that the session is archived and the cart Active again follows Cancel Cart Async Operation",
            ),
            Rule::PaymentAuthorized => Source::Choice(
                "the payment gateway is outside cartsim: the step says whether it authorizes; the amount is GrandTotalAmount, which place order checks (commerce guide: avoid common misconfigurations, \"TotalAuthAndSaleAmount + PendingAuthAndSaleAmount = GrandTotalAmount\")",
            ),
            Rule::PaymentReversed => Source::Documented(CONNECT_PAYMENTS),
            Rule::OrderAccepted | Rule::AsyncOrderCreated => Source::Documented(GUIDE_ORDERS),
            Rule::OrderReferenceReturned => Source::Inferred(
                "the orders guide says a PendingClosed cart \"returns existing ORN\" but gives no status for the repeat, nor what a Closed cart answers; cartsim answers as the first call did (201 for v1, 200 for Place Order V2) with the same OrderReferenceNumber",
            ),
            Rule::CheckoutRerunsOnReturn => Source::Documented(GUIDE_TTL_RETURN),
            Rule::CustomCodeDuringCall => Source::Documented(CONNECT_CHECKOUTS_409),
            Rule::SavedAddressUsed => Source::Documented(GUIDE_HOW_STANDARD_ADDRESS),
            Rule::DeliveryGroupCreated => Source::Choice(
                "the guides show one delivery group per checkout; cartsim creates it with the checkout, empty until the buyer gives an address",
            ),
            Rule::DeliveryChargeApplied => Source::Choice(
                "the store's delivery_methods list is cartsim's stand-in for a shipping integration: TotalChargeAmount is the selected method's price",
            ),
            Rule::PaymentDeclined => Source::Choice(
                "the payment gateway is outside cartsim: the step says whether it authorizes; PaymentAuthorization.Status Failed records a decline (Object Reference: PaymentAuthorization)",
            ),
            Rule::PlaceOrderPrepared => Source::Documented(GUIDE_PLACE_ORDER_V2),
            Rule::OrderSubmitted => Source::Documented(GUIDE_PLACE_ORDER_V2),
            Rule::NewCheckoutAmounts => Source::Choice(
                "the charge follows the delivery group's selected method (none yet); that the tax of an earlier checkout does not carry over is cartsim's choice",
            ),
            Rule::TaxWritten => Source::Choice(
                "the store's tax_rate is cartsim's stand-in for a tax integration; that GrandTotalAmount = product + charge + tax follows the WebCart fields",
            ),
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text())
    }
}
