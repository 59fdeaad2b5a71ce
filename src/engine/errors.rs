//! The error catalogue: every refusal the engine can give, with its code, HTTP status,
//! the requirement that failed and where the code comes from.
//!
//! Each error kind is one row of the table below; the enum, the catalogue order and
//! the lookups are generated from the rows, so a new refusal is one row. Its origin is
//! a [`Source`], the provenance type the rules and the store settings use too.

use super::source::Source;
use std::fmt;

/// One entry of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorSpec {
    /// The error code, as Salesforce spells it where it has one.
    pub code: &'static str,
    /// The HTTP status, where the action is an API call.
    pub http: Option<u16>,
    /// The action that refuses.
    pub action: &'static str,
    /// When it happens (the requirement that failed), in a trainee's words.
    pub requirement: &'static str,
    /// Documented, borrowed from a sibling action, or the simulator's choice.
    pub origin: Source,
    /// The store setting whose reading makes this a refusal, when there is one
    /// (`checkout_session: strict`); the other reading lets the action through.
    pub reading: Option<&'static str>,
}

/// What the buyer or the admin sees on the storefront, where the sample or the docs
/// give it, so a trainee handed a screenshot can find the error in cartsim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuyerMessage {
    /// The words on the screen.
    pub text: &'static str,
    /// Where the words come from.
    pub source: &'static str,
}

/// The storefront's words for an error in a checkout flow's error screen.
pub const SOMETHING_WENT_WRONG: BuyerMessage = BuyerMessage {
    text: "Something went wrong. Cancel the current checkout process and try again.",
    source: "sample: quickstart Reentrant_Subflow_Error.flow / Checkout_Subflow_Error.flow",
};
/// The storefront's words when the cart was saved by someone else.
pub const CART_IN_USE: &str = "Looks like your cart is currently in use. Please try again later.";
const MSG_CART_IN_USE: BuyerMessage = BuyerMessage {
    text: CART_IN_USE,
    source: "documented: developer.salesforce.com commerce guide: prevent concurrency issues",
};
const MSG_PAYMENT_NOT_AUTHORIZED: BuyerMessage = BuyerMessage {
    text: "Looks like the payment method isn't authorized.",
    source: "documented: developer.salesforce.com commerce guide: avoid common misconfigurations (b2b-comm-checkout-avoid-misconfigurations)",
};
const MSG_NOT_ALLOWED: BuyerMessage = BuyerMessage {
    text: "Looks like you're not allowed to use checkout actions. Your account rep can help with that.",
    source: "community: quickstart issue 6",
};
const MSG_NO_CART_ACCESS: BuyerMessage = BuyerMessage {
    text: "You don't have access to this cart. If possible, contact the admin for this web store.",
    source: "documented: help.salesforce.com: Add Cart Item, INSUFFICIENT_ACCESS_OR_READONLY 400",
};
const MSG_NO_SESSION: BuyerMessage = BuyerMessage {
    text: "Looks like you don't have an active CartCheckoutSession. Do you have a checkout running in another tab?",
    source: "sample: quickstart examples/checkout-main/flows",
};
const MSG_OUT_OF_DATE: BuyerMessage = BuyerMessage {
    text: "This checkout is out of date, please refresh the page.",
    source: "sample: quickstart examples/checkout-reentrant/flows (expected State differs)",
};
const MSG_FLOW_ERROR: BuyerMessage = BuyerMessage {
    text: "An error occurred with the flow. Contact your admin for more information.",
    source: "community: the flow runtime's message for an unhandled fault",
};

const CANCEL: &str = "Cancel Cart Async Operation";
const CHECKOUT: &str = "Checkout Session";
const ADD: &str = "Add to cart";
const CONTINUE: &str = "Update Checkout Session (continue)";
const HELP_CANCEL: &str = "help.salesforce.com: Cancel Cart Async Operation";
const HELP_SESSION: &str = "help.salesforce.com: Checkout Session";
const HELP_UPDATE: &str = "help.salesforce.com: Update Checkout Session";
const HELP_ADD: &str = "help.salesforce.com: Add Cart Item";

const REST: &str = "Connect REST checkout (any call)";
const REST_START: &str = "Start checkout (PUT /checkouts)";
const REST_CHANGE: &str = "PATCH, DELETE, payments or orders on /checkouts/{id}";
const REST_PAY: &str = "Pay (POST /checkouts/{id}/payments)";
const REST_ORDER: &str = "Place order (POST /checkouts/{id}/orders)";
const FLOW: &str = "Checkout flow action (start_checkout, continue)";
const GUIDE_ASYNC: &str = "developer.salesforce.com commerce guide: checkout async processing (b2b-comm-checkout-async-processing)";

/// Builds [`ErrorKind`], [`ErrorKind::ALL`], [`ErrorKind::spec`],
/// [`ErrorKind::reading`] and [`ErrorKind::buyer_message`] from the rows.
macro_rules! error_kinds {
    ($($(#[$doc:meta])* $name:ident {
        code: $code:expr,
        http: $http:expr,
        action: $action:expr,
        requirement: $requirement:expr,
        origin: $origin:expr,
        reading: $reading:expr,
        buyer: $buyer:expr $(,)?
    })+) => {
        /// Every refusal the engine can give.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ErrorKind {
            $($(#[$doc])* $name,)+
        }

        impl ErrorKind {
            /// Every error, in catalogue order.
            pub const ALL: [ErrorKind; <[&str]>::len(&[$(stringify!($name)),+])] =
                [$(ErrorKind::$name),+];

            /// The catalogue entry.
            pub fn spec(self) -> ErrorSpec {
                match self {
                    $(ErrorKind::$name => ErrorSpec {
                        code: $code,
                        http: $http,
                        action: $action,
                        requirement: $requirement,
                        origin: $origin,
                        reading: $reading,
                    },)+
                }
            }

            /// The store setting whose reading makes this a refusal, if any.
            pub fn reading(self) -> Option<&'static str> {
                self.spec().reading
            }

            /// What the buyer or admin sees on the storefront, where a source gives it.
            pub fn buyer_message(self) -> Option<BuyerMessage> {
                match self {
                    $(ErrorKind::$name => $buyer,)+
                }
            }
        }
    };
}

error_kinds! {
    /// Cancel requirement 1: permission to invoke the action.
    CancelNoPermission {
        code: "BAD_REQUEST",
        http: Some(400),
        action: CANCEL,
        requirement: "requirement 1: the user has the permission to invoke the action",
        origin: Source::Borrowed("Cart to Order: no permission, BAD_REQUEST 400"),
        reading: None,
        buyer: Some(MSG_NOT_ALLOWED),
    }
    /// Cancel requirement 2: the effective account is valid.
    CancelInvalidEffectiveAccount {
        code: "INSUFFICIENT_ACCESS_OR_READONLY",
        http: Some(500),
        action: CANCEL,
        requirement: "requirement 2: the effective account is valid",
        origin: Source::Borrowed("Cart to Order: invalid effective account, INSUFFICIENT_ACCESS_OR_READONLY 500"),
        reading: None,
        buyer: Some(SOMETHING_WENT_WRONG),
    }
    /// Cancel requirement 3: the buyer account is a member of the store.
    CancelNotStoreMember {
        code: "BAD_REQUEST",
        http: Some(400),
        action: CANCEL,
        requirement: "requirement 3: the buyer account is a member of the store",
        origin: Source::Borrowed("Checkout Session: not a store member, BAD_REQUEST 400"),
        reading: None,
        buyer: Some(SOMETHING_WENT_WRONG),
    }
    /// Cancel requirement 4: the cart status is not Closed.
    CancelCartClosed {
        code: "INVALID_OPERATION",
        http: Some(403),
        action: CANCEL,
        requirement: "requirement 4: the cart status is not Closed",
        origin: Source::Documented(HELP_CANCEL),
        reading: None,
        buyer: Some(SOMETHING_WENT_WRONG),
    }
    /// Cancel requirement 5: an active CartCheckoutSession exists.
    CancelNoActiveSession {
        code: "INSUFFICIENT_ACCESS_OR_READONLY",
        http: Some(400),
        action: CANCEL,
        requirement: "requirement 5: there is an active CartCheckoutSession for the cart",
        origin: Source::Borrowed("Update Checkout Session: no session, INSUFFICIENT_ACCESS_OR_READONLY 400"),
        reading: Some("cancel_requirements: enforce (the help page lists it as a requirement; lenient lets the cancel through)"),
        buyer: Some(SOMETHING_WENT_WRONG),
    }
    /// Cancel requirement 6: the BackgroundOperationId is valid.
    CancelInvalidOperationId {
        code: "UNKNOWN_EXCEPTION",
        http: Some(500),
        action: CANCEL,
        requirement: "requirement 6: there is a valid BackgroundOperationId",
        origin: Source::Borrowed("Cart to Order: an id that names nothing, UNKNOWN_EXCEPTION 500"),
        reading: Some("cancel_requirements: enforce (the help page lists it as a requirement; lenient lets the cancel through)"),
        buyer: Some(MSG_FLOW_ERROR),
    }
    /// Cancel: the actor does not own the cart or act for its account.
    CancelNoCartAccess {
        code: "BAD_REQUEST",
        http: Some(400),
        action: CANCEL,
        requirement: "cart access: the user owns the cart and acts for its account (User Doesn't Have Access to the Cart)",
        origin: Source::Borrowed("Cart to Order: User Doesn't Have Access to the Cart, BAD_REQUEST 400"),
        reading: Some("cart_access: owner_and_account"),
        buyer: Some(SOMETHING_WENT_WRONG),
    }
    /// Start checkout: no `checkout` permission.
    CheckoutNoPermission {
        code: "BAD_REQUEST",
        http: Some(400),
        action: CHECKOUT,
        requirement: "the user has the permission to start a checkout",
        origin: Source::Documented(HELP_SESSION),
        reading: None,
        buyer: Some(MSG_NOT_ALLOWED),
    }
    /// Start checkout: no access to the effective account.
    CheckoutInvalidEffectiveAccount {
        code: "BAD_REQUEST",
        http: Some(400),
        action: CHECKOUT,
        requirement: "the user has access to the effective account",
        origin: Source::Documented(HELP_SESSION),
        reading: None,
        buyer: Some(SOMETHING_WENT_WRONG),
    }
    /// Start checkout: the effective account is not a member of the store.
    CheckoutNotStoreMember {
        code: "BAD_REQUEST",
        http: Some(400),
        action: CHECKOUT,
        requirement: "the buyer account is a member of the store",
        origin: Source::Documented(HELP_SESSION),
        reading: None,
        buyer: Some(SOMETHING_WENT_WRONG),
    }
    /// Start checkout: the cart already has an active session.
    CheckoutAlreadyInProgress {
        code: "BAD_REQUEST",
        http: Some(400),
        action: CHECKOUT,
        requirement: "Cart Is Already in Progress: the cart has no active CartCheckoutSession",
        origin: Source::Documented(HELP_SESSION),
        reading: Some("checkout_session: strict (the help page's requirement; get_or_create returns the active session)"),
        buyer: Some(SOMETHING_WENT_WRONG),
    }
    /// Start checkout: the cart is not Active.
    CheckoutCartNotActive {
        code: "INVALID_OPERATION",
        http: Some(403),
        action: CHECKOUT,
        requirement: "the cart status is Active",
        origin: Source::Borrowed("Cart to Order: cart not in the expected status, INVALID_OPERATION 403"),
        reading: Some("checkout_session: strict (the help page's requirement; get_or_create returns the active session)"),
        buyer: Some(SOMETHING_WENT_WRONG),
    }
    /// Start checkout (get or create): the cart is neither Active nor Checkout.
    CheckoutCartNotActiveOrCheckout {
        code: "INVALID_OPERATION",
        http: Some(403),
        action: CHECKOUT,
        requirement: "the cart status is Active or Checkout",
        origin: Source::Borrowed("Cart to Order: cart not in the expected status, INVALID_OPERATION 403"),
        reading: Some("checkout_session: get_or_create"),
        buyer: Some(SOMETHING_WENT_WRONG),
    }
    /// Start checkout: the store's CheckoutTimeToLive is 0, which disables checkout.
    CheckoutDisabled {
        code: "BAD_REQUEST",
        http: Some(400),
        action: CHECKOUT,
        requirement: "checkout is enabled (the store's CheckoutTimeToLive is not 0)",
        origin: Source::Choice("the time-to-live guide says 0 disables checkout but gives no code; Checkout Session's refusals are BAD_REQUEST 400"),
        reading: Some("checkout_ttl: 0"),
        buyer: Some(SOMETHING_WENT_WRONG),
    }
    /// Start checkout: the actor does not own the cart or act for its account.
    CheckoutNoCartAccess {
        code: "BAD_REQUEST",
        http: Some(400),
        action: CHECKOUT,
        requirement: "cart access: the user owns the cart and acts for its account (User Doesn't Have Access to the Cart)",
        origin: Source::Borrowed("Cart to Order: User Doesn't Have Access to the Cart, BAD_REQUEST 400"),
        reading: Some("cart_access: owner_and_account"),
        buyer: Some(SOMETHING_WENT_WRONG),
    }
    /// Add to cart: no `edit_cart` permission.
    AddNoPermission {
        code: "INSUFFICIENT_ACCESS_OR_READONLY",
        http: Some(400),
        action: ADD,
        requirement: "the user has the permission to edit the cart",
        origin: Source::Documented(HELP_ADD),
        reading: None,
        buyer: Some(MSG_NO_CART_ACCESS),
    }
    /// Add to cart: the effective account is not valid.
    AddInvalidEffectiveAccount {
        code: "INSUFFICIENT_ACCESS_OR_READONLY",
        http: Some(400),
        action: ADD,
        requirement: "the effective account is valid",
        origin: Source::Documented(HELP_ADD),
        reading: None,
        buyer: Some(MSG_NO_CART_ACCESS),
    }
    /// Add to cart: the effective account is not a member of the store.
    AddNotStoreMember {
        code: "INSUFFICIENT_ACCESS_OR_READONLY",
        http: Some(400),
        action: ADD,
        requirement: "the buyer account is a member of the store",
        origin: Source::Documented(HELP_ADD),
        reading: None,
        buyer: Some(MSG_NO_CART_ACCESS),
    }
    /// Add to cart: the cart's status does not allow changes.
    AddCartNotModifiable {
        code: "INVALID_OPERATION",
        http: Some(403),
        action: ADD,
        requirement: "the cart status allows changes (not Closed, PendingClosed, PendingDelete or Processing)",
        origin: Source::Borrowed("Cart to Order: cart not in the expected status, INVALID_OPERATION 403"),
        reading: None,
        buyer: None,
    }
    /// Add to cart: the quantity is not a positive whole number (or is too large).
    AddInvalidQuantity {
        code: "INVALID_INPUT",
        http: Some(400),
        action: ADD,
        requirement: "the quantity is a positive whole number of at most 1,000,000 per cart line",
        origin: Source::Choice("the docs give no code for a bad quantity"),
        reading: None,
        buyer: None,
    }
    /// Add to cart: the actor does not own the cart or act for its account.
    AddNoCartAccess {
        code: "INSUFFICIENT_ACCESS_OR_READONLY",
        http: Some(400),
        action: ADD,
        requirement: "cart access: the user owns the cart and acts for its account",
        origin: Source::Documented(HELP_ADD),
        reading: Some("cart_access: owner_and_account"),
        buyer: Some(MSG_NO_CART_ACCESS),
    }
    /// Continue: no `checkout` permission.
    ContinueNoPermission {
        code: "BAD_REQUEST",
        http: Some(400),
        action: CONTINUE,
        requirement: "the user has the permission to run the checkout",
        origin: Source::Documented(HELP_UPDATE),
        reading: None,
        buyer: Some(MSG_NOT_ALLOWED),
    }
    /// Continue: the effective account is not valid.
    ContinueInvalidEffectiveAccount {
        code: "INSUFFICIENT_ACCESS_OR_READONLY",
        http: Some(400),
        action: CONTINUE,
        requirement: "the user has access to the effective account",
        origin: Source::Documented(HELP_UPDATE),
        reading: None,
        buyer: Some(SOMETHING_WENT_WRONG),
    }
    /// Continue: the effective account is not a member of the store.
    ContinueNotStoreMember {
        code: "INSUFFICIENT_ACCESS_OR_READONLY",
        http: Some(400),
        action: CONTINUE,
        requirement: "the buyer account is a member of the store",
        origin: Source::Documented(HELP_UPDATE),
        reading: None,
        buyer: Some(SOMETHING_WENT_WRONG),
    }
    /// Continue: the cart has no active session.
    ContinueNoActiveSession {
        code: "INSUFFICIENT_ACCESS_OR_READONLY",
        http: Some(400),
        action: CONTINUE,
        requirement: "there is an active CartCheckoutSession for the cart",
        origin: Source::Documented(HELP_UPDATE),
        reading: None,
        buyer: Some(MSG_NO_SESSION),
    }
    /// Continue: a background operation is still running.
    ContinueWhileProcessing {
        code: "CHECKOUT_CONFLICT",
        http: Some(409),
        action: CONTINUE,
        requirement: "no background operation is still running (IsProcessing is false)",
        origin: Source::Borrowed("Connect REST checkout: a call overlapping a running one, CHECKOUT_CONFLICT 409"),
        reading: Some("continue_while_processing: checkout_conflict"),
        buyer: Some(SOMETHING_WENT_WRONG),
    }
    /// Continue while an integration runs, in the flow actions' reading.
    ContinueAlreadyInProcess {
        code: "ALREADY_IN_PROCESS",
        http: Some(400),
        action: CONTINUE,
        requirement: "no integration is already in progress (IsProcessing is false)",
        origin: Source::Borrowed("Cart to Order: Integration Is Already in Progress, ALREADY_IN_PROCESS 400"),
        reading: Some("continue_while_processing: already_in_process"),
        buyer: Some(SOMETHING_WENT_WRONG),
    }
    /// Continue: the session is not waiting in a buyer state.
    ContinueStateMismatch {
        code: "STATE_MISMATCH",
        http: Some(409),
        action: CONTINUE,
        requirement: "the session waits in a buyer state (not Error, not Complete)",
        origin: Source::Choice("the docs give a 4XX for a state mismatch but no code"),
        reading: None,
        buyer: Some(MSG_OUT_OF_DATE),
    }
    /// Continue: the actor does not own the cart or act for its account.
    ContinueNoCartAccess {
        code: "INSUFFICIENT_ACCESS_OR_READONLY",
        http: Some(400),
        action: CONTINUE,
        requirement: "cart access: the user owns the cart and acts for its account",
        origin: Source::Documented(HELP_UPDATE),
        reading: Some("cart_access: owner_and_account"),
        buyer: Some(SOMETHING_WENT_WRONG),
    }
    /// Fault injection: no running operation to fail.
    FailNoRunningOperation {
        code: "NO_RUNNING_OPERATION",
        http: None,
        action: "Fail operation (fault injection)",
        requirement: "the cart's active session has a running background operation",
        origin: Source::Choice("fault injection is a simulator tool, not a Salesforce action"),
        reading: None,
        buyer: None,
    }
    /// Settle: operations were still running after the bound.
    SettleTimeout {
        code: "SETTLE_TIMEOUT",
        http: None,
        action: "Settle",
        requirement: "every background operation finishes within the settle bound",
        origin: Source::Choice("settle stops after a bound so a scenario can never hang"),
        reading: None,
        buyer: None,
    }
    /// Change a store setting: the key is not one a scenario may change, or the value
    /// is not one it takes.
    UnknownSetting {
        code: "UNKNOWN_SETTING",
        http: None,
        action: "Change a store setting (set_setting)",
        requirement: "the key names a store setting a scenario may change (any but template) and the value is one it takes",
        origin: Source::Choice("set_setting is a simulator tool, not a Salesforce action"),
        reading: None,
        buyer: None,
    }
    /// An action named a cart, buyer, account, store or product that does not exist.
    UnknownRecord {
        code: "UNKNOWN_EXCEPTION",
        http: Some(500),
        action: "any action",
        requirement: "every id the action names exists",
        origin: Source::Documented("help.salesforce.com: Checkout Session and siblings, bad cartId UNKNOWN_EXCEPTION 500"),
        reading: None,
        buyer: Some(MSG_FLOW_ERROR),
    }
    /// A REST checkout call on a cart of an `aura` store.
    RestInAuraStore {
        code: "WRONG_TEMPLATE",
        http: None,
        action: REST,
        requirement: "the cart's store is an lwr store: only LWR and headless storefronts call the REST checkout API",
        origin: Source::Choice("a simulator check: an aura store runs checkout as a flow (help.salesforce.com: Add Cart Item); the loader refuses such a step in a file"),
        reading: Some("template: aura"),
        buyer: None,
    }
    /// A checkout flow action (Checkout Session, continue) on a cart of an `lwr` store.
    FlowActionInLwrStore {
        code: "WRONG_TEMPLATE",
        http: None,
        action: FLOW,
        requirement: "the cart's store is an aura store: an lwr store runs no checkout flow",
        origin: Source::Choice("a simulator check: LWR and headless stores call the REST checkout API instead of the flow actions; the loader refuses such a step in a file"),
        reading: Some("template: lwr"),
        buyer: None,
    }
    /// REST checkout: no `checkout` permission.
    RestNoPermission {
        code: "BAD_REQUEST",
        http: Some(400),
        action: REST,
        requirement: "the user has the permission to check out",
        origin: Source::Borrowed("Checkout Session: no permission, BAD_REQUEST 400"),
        reading: None,
        buyer: None,
    }
    /// REST checkout: the effective account is not valid.
    RestInvalidEffectiveAccount {
        code: "BAD_REQUEST",
        http: Some(400),
        action: REST,
        requirement: "the user has access to the effective account",
        origin: Source::Borrowed("Checkout Session: no access to the effective account, BAD_REQUEST 400"),
        reading: None,
        buyer: None,
    }
    /// REST checkout: the effective account is not a member of the store.
    RestNotStoreMember {
        code: "BAD_REQUEST",
        http: Some(400),
        action: REST,
        requirement: "the buyer account is a member of the store",
        origin: Source::Borrowed("Checkout Session: not a store member, BAD_REQUEST 400"),
        reading: None,
        buyer: None,
    }
    /// REST checkout: the actor does not own the cart or act for its account.
    RestNoCartAccess {
        code: "BAD_REQUEST",
        http: Some(400),
        action: REST,
        requirement: "cart access: the user owns the cart and acts for its account (User Doesn't Have Access to the Cart)",
        origin: Source::Borrowed("Cart to Order: User Doesn't Have Access to the Cart, BAD_REQUEST 400"),
        reading: None,
        buyer: None,
    }
    /// REST start: the store's CheckoutTimeToLive is 0.
    RestCheckoutDisabled {
        code: "BAD_REQUEST",
        http: Some(400),
        action: REST_START,
        requirement: "checkout is enabled (the store's CheckoutTimeToLive is not 0)",
        origin: Source::Choice("the time-to-live guide says 0 disables checkout but gives no code; the flow's Checkout Session refusal is borrowed"),
        reading: Some("checkout_ttl: 0"),
        buyer: None,
    }
    /// REST start: no checkout to return and the cart is neither Active nor Checkout.
    RestCartNotActiveOrCheckout {
        code: "INVALID_OPERATION",
        http: Some(403),
        action: REST_START,
        requirement: "the cart has a checkout to return, or is Active or Checkout",
        origin: Source::Borrowed("Cart to Order: cart not in the expected status, INVALID_OPERATION 403"),
        reading: None,
        buyer: None,
    }
    /// REST: the cart has no checkout (never started, or deleted).
    RestNotFound {
        code: "NOT_FOUND",
        http: Some(404),
        action: REST,
        requirement: "the cart has a checkout (it was started and not deleted)",
        origin: Source::Sample("b2b-commerce-open-source-components checkoutNotification/utils.js handles 404 NotFound; the code is the REST API's usual NOT_FOUND (borrowed)"),
        reading: None,
        buyer: None,
    }
    /// REST: the cart's checkout expired.
    RestGone {
        code: "GONE",
        http: Some(410),
        action: REST,
        requirement: "the cart's checkout has not expired (its time-to-live)",
        origin: Source::Sample("named only in the storefront's components: b2b-commerce-open-source-components checkoutNotification/utils.js handles 410 Gone; the docs give no 410, so answering it for an expired checkout and the code are cartsim's choice"),
        reading: None,
        buyer: None,
    }
    /// REST: a calculator is still running (the cart is locked for updates).
    RestConflict {
        code: "CHECKOUT_CONFLICT",
        http: Some(409),
        action: REST_CHANGE,
        requirement: "no calculator is still running: \"Don't invoke another Checkout API until the previous request returns 200 OK\" (retry until 2xx)",
        origin: Source::Documented(GUIDE_ASYNC),
        reading: None,
        buyer: None,
    }
    /// REST: the order is being placed, the checkout can no longer change.
    RestLocked {
        code: "LOCKED",
        http: Some(423),
        action: REST_CHANGE,
        requirement: "the order is not being placed (the cart is not PendingClosed or Closed)",
        origin: Source::Sample("named only in the storefront's components: b2b-commerce-open-source-components checkoutNotification/utils.js handles 423 DbLock; the docs give no 423, so when it is answered and the code are cartsim's choice"),
        reading: None,
        buyer: None,
    }
    /// REST payment: the payment service declined the authorization.
    RestPaymentDeclined {
        code: "PAYMENT_DECLINED",
        http: Some(422),
        action: REST_PAY,
        requirement: "the payment service authorizes the payment",
        origin: Source::Choice("the docs give neither status nor code for a declined authorization; cartsim answers 422 as place order does for an unauthorized payment"),
        reading: None,
        buyer: None,
    }
    /// REST place order: a guest gave no contact details.
    PlaceOrderNoContact {
        code: "PRECONDITION_FAILED",
        http: Some(412),
        action: REST_ORDER,
        requirement: "a guest buyer gave contact details (email, phone)",
        origin: Source::Choice("the status is documented (Commerce Webstore Checkout Orders, API 63.0+: 412 for incomplete contact information); the docs give no code, so cartsim names it"),
        reading: None,
        buyer: None,
    }
    /// REST place order: no delivery method.
    PlaceOrderNoDeliveryMethod {
        code: "VALIDATION_ERROR",
        http: Some(422),
        action: REST_ORDER,
        requirement: "the checkout has a delivery method",
        origin: Source::Choice("the status is documented (Commerce Webstore Checkout Orders, API 63.0+: 422 for a missing delivery method); the docs give no code, so cartsim names it"),
        reading: None,
        buyer: None,
    }
    /// REST place order: an Error CartValidationOutput row is on the cart.
    PlaceOrderValidationErrors {
        code: "VALIDATION_ERROR",
        http: Some(422),
        action: REST_ORDER,
        requirement: "no Error CartValidationOutput is on the cart",
        origin: Source::Choice("the docs give 422 for validation errors (Commerce Webstore Checkout Orders, API 63.0+) but no code; that an Error row is one of them is cartsim's reading"),
        reading: None,
        buyer: None,
    }
    /// REST place order: no valid payment authorization.
    PlaceOrderPaymentNotAuthorized {
        code: "VALIDATION_ERROR",
        http: Some(422),
        action: REST_ORDER,
        requirement: "the Processed PaymentAuthorizations add up to GrandTotalAmount (\"TotalAuthAndSaleAmount + PendingAuthAndSaleAmount = GrandTotalAmount\"): shipping and tax count, not only items",
        origin: Source::Choice("the status is documented (Commerce Webstore Checkout Orders, API 63.0+: 422 for an unauthorized payment method) and so is the check and its message (commerce guide: avoid common misconfigurations); the docs give no code, so cartsim names it"),
        reading: None,
        buyer: Some(MSG_PAYMENT_NOT_AUTHORIZED),
    }
    /// REST place order: custom code saved the cart after the payment was authorized.
    PlaceOrderCartChangedAfterPayment {
        code: "CHECKOUT_CONFLICT",
        http: Some(409),
        action: REST_ORDER,
        requirement: "no custom code saved the cart after the payment was authorized (payment processed but not saved to the cart)",
        origin: Source::Borrowed("the checkout API's overlapping-call 409 CHECKOUT_CONFLICT; the 409 itself is documented for this case (Commerce Webstore Checkout Orders: custom code modifies the cart after payment authorization)"),
        reading: None,
        buyer: Some(MSG_CART_IN_USE),
    }
    /// Add to cart in an `lwr` store while a calculator runs.
    AddWhileCalculating {
        code: "CHECKOUT_CONFLICT",
        http: Some(409),
        action: ADD,
        requirement: "no checkout calculation is running (202: \"cart locked for updates\")",
        origin: Source::Borrowed("PATCH after a 202: CHECKOUT_CONFLICT 409 (commerce guide: checkout async processing); the docs give add to cart no code for a locked cart"),
        reading: Some("template: lwr"),
        buyer: None,
    }
    /// REST: the checkout had expired; its integrations run again and the cart is locked.
    RestExpiredRerun {
        code: "CHECKOUT_CONFLICT",
        http: Some(409),
        action: REST_CHANGE,
        requirement: "the checkout has not expired (checkout_expiry: on_return); on return its integrations run again, so retry once the poll answers 200",
        origin: Source::Choice("the time-to-live guide says the integrations run again when the buyer returns but not how each call answers; cartsim answers a PATCH, payment, place order or DELETE with the overlapping-call 409 while they run"),
        reading: None,
        buyer: None,
    }
    /// REST: custom code saved the cart during the call.
    RestCustomCodeConflict {
        code: "CHECKOUT_CONFLICT",
        http: Some(409),
        action: "PUT, PATCH or DELETE on /checkouts",
        requirement: "no custom code modifies the cart or the checkout session while the call runs",
        origin: Source::Documented("Connect REST: Commerce Webstore Checkouts (PUT, PATCH, DELETE): 409 when custom code modifies the cart or a checkout session while calling the resource; the code CHECKOUT_CONFLICT is the overlapping call's (commerce guide: checkout async processing)"),
        reading: None,
        buyer: None,
    }
    /// REST PATCH: the delivery method is not one of the store's.
    RestUnknownDeliveryMethod {
        code: "INVALID_INPUT",
        http: Some(422),
        action: "Update checkout (PATCH /checkouts/{id})",
        requirement: "the delivery method is one the store offers (its delivery_methods)",
        origin: Source::Choice("the docs give no status or code for an unknown delivery method; cartsim answers 422 with a code of its own"),
        reading: None,
        buyer: None,
    }
    /// REST Place Order V2 on a store without it.
    PlaceOrderV2NotEnabled {
        code: "NOT_FOUND",
        http: Some(404),
        action: "Place Order V2 (POST /checkouts/{id}/orders/actions)",
        requirement: "the store has Streamlined Place Order enabled (place_order: v2)",
        origin: Source::Choice("the guide makes Streamlined Place Order a prerequisite of /orders/actions but gives no status without it; cartsim answers 404 NOT_FOUND"),
        reading: None,
        buyer: None,
    }
    /// REST Place Order V2 prepare or submit: a validation failed.
    PrepareValidation {
        code: "VALIDATION_ERROR",
        http: Some(422),
        action: "Place Order V2 prepare (POST /checkouts/{id}/orders/actions)",
        requirement: "the checkout is ready for order placement: a delivery method, a guest's e-mail, no Error CartValidationOutput",
        origin: Source::Choice("the status is documented (Place Order Action API: \"On failure, returns 422\"; prepare validates shipping); the code is cartsim's"),
        reading: None,
        buyer: None,
    }
    /// REST Place Order V2 submit before prepare.
    SubmitBeforePrepare {
        code: "VALIDATION_ERROR",
        http: Some(422),
        action: "Place Order V2 submit (POST /checkouts/{id}/orders/actions)",
        requirement: "prepare succeeded since the checkout last calculated",
        origin: Source::Choice("the guide orders the calls (prepare, payments, submit) and answers 422 on failure; that submit without prepare fails is cartsim's reading"),
        reading: None,
        buyer: None,
    }
    /// REST Place Order V2 submit: the payment does not cover GrandTotalAmount.
    SubmitPaymentNotAuthorized {
        code: "VALIDATION_ERROR",
        http: Some(422),
        action: "Place Order V2 submit (POST /checkouts/{id}/orders/actions)",
        requirement: "the Processed PaymentAuthorizations add up to GrandTotalAmount (\"TotalAuthAndSaleAmount + PendingAuthAndSaleAmount = GrandTotalAmount\")",
        origin: Source::Documented("commerce guide: Place Order Action API (submit validates payments, 422 on failure); avoid common misconfigurations (b2b-comm-checkout-avoid-misconfigurations)"),
        reading: None,
        buyer: Some(MSG_PAYMENT_NOT_AUTHORIZED),
    }
}

/// A refusal: the catalogue entry plus a message about this particular case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionError {
    /// Which catalogue entry.
    pub kind: ErrorKind,
    /// What happened, naming the records involved.
    pub message: String,
    /// What the buyer sees in this particular case, when it differs from the
    /// catalogue's (a session in Error shows the error screen, not "out of date").
    pub screen: Option<BuyerMessage>,
}

impl ActionError {
    /// A refusal of this kind with this message.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> ActionError {
        ActionError {
            kind,
            message: message.into(),
            screen: None,
        }
    }

    /// The same refusal, showing the buyer `screen` instead of the catalogue's words.
    pub fn with_screen(mut self, screen: BuyerMessage) -> ActionError {
        self.screen = Some(screen);
        self
    }

    /// What the buyer sees on the storefront, where a source gives it.
    pub fn buyer_message(&self) -> Option<BuyerMessage> {
        self.screen.or_else(|| self.kind.buyer_message())
    }

    /// The error code.
    pub fn code(&self) -> &'static str {
        self.kind.spec().code
    }

    /// The HTTP status, if the action is an API call.
    pub fn http(&self) -> Option<u16> {
        self.kind.spec().http
    }
}

impl fmt::Display for ActionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let spec = self.kind.spec();
        write!(f, "{}", spec.code)?;
        if let Some(http) = spec.http {
            write!(f, " {http}")?;
        }
        write!(f, " {}", self.message)
    }
}

impl std::error::Error for ActionError {}
