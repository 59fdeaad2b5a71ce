//! The error catalogue: every refusal the engine can give, with its code, HTTP status,
//! the requirement that failed and where the code comes from.

use std::fmt;

/// Where an error code comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorOrigin {
    /// Salesforce documents this code for this action and condition.
    Documented(&'static str),
    /// The docs give no code for this condition; the code of the nearest sibling
    /// action (named here) is borrowed.
    Borrowed(&'static str),
    /// The simulator's own code: the condition exists only in the simulator, or the
    /// docs give neither a code nor a sibling; the text says why.
    Choice(&'static str),
    /// Named only in Salesforce's own storefront components (the open-source LWR
    /// components), not in the docs; the text names the component.
    Sample(&'static str),
}

impl ErrorOrigin {
    /// `documented`, `borrowed` or `choice`.
    pub fn tag(self) -> &'static str {
        match self {
            ErrorOrigin::Documented(_) => "documented",
            ErrorOrigin::Borrowed(_) => "borrowed",
            ErrorOrigin::Choice(_) => "choice",
            ErrorOrigin::Sample(_) => "sample",
        }
    }

    /// The page, the sibling action, or the reason.
    pub fn reference(self) -> &'static str {
        match self {
            ErrorOrigin::Documented(r)
            | ErrorOrigin::Borrowed(r)
            | ErrorOrigin::Choice(r)
            | ErrorOrigin::Sample(r) => r,
        }
    }
}

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
    pub origin: ErrorOrigin,
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

/// Every refusal the engine can give.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ErrorKind {
    /// Cancel requirement 1: permission to invoke the action.
    CancelNoPermission,
    /// Cancel requirement 2: the effective account is valid.
    CancelInvalidEffectiveAccount,
    /// Cancel requirement 3: the buyer account is a member of the store.
    CancelNotStoreMember,
    /// Cancel requirement 4: the cart status is not Closed.
    CancelCartClosed,
    /// Cancel requirement 5: an active CartCheckoutSession exists.
    CancelNoActiveSession,
    /// Cancel requirement 6: the BackgroundOperationId is valid.
    CancelInvalidOperationId,
    /// Start checkout: no `checkout` permission.
    CheckoutNoPermission,
    /// Start checkout: no access to the effective account.
    CheckoutInvalidEffectiveAccount,
    /// Start checkout: the effective account is not a member of the store.
    CheckoutNotStoreMember,
    /// Start checkout: the cart already has an active session.
    CheckoutAlreadyInProgress,
    /// Start checkout: the cart is not Active.
    CheckoutCartNotActive,
    /// Add to cart: no `edit_cart` permission.
    AddNoPermission,
    /// Add to cart: the effective account is not valid.
    AddInvalidEffectiveAccount,
    /// Add to cart: the effective account is not a member of the store.
    AddNotStoreMember,
    /// Add to cart: the cart's status does not allow changes.
    AddCartNotModifiable,
    /// Add to cart: the quantity is not a positive whole number (or is too large).
    AddInvalidQuantity,
    /// Continue: no `checkout` permission.
    ContinueNoPermission,
    /// Continue: the effective account is not valid.
    ContinueInvalidEffectiveAccount,
    /// Continue: the effective account is not a member of the store.
    ContinueNotStoreMember,
    /// Continue: the cart has no active session.
    ContinueNoActiveSession,
    /// Continue: a background operation is still running.
    ContinueWhileProcessing,
    /// Continue: the session is not waiting in a buyer state.
    ContinueStateMismatch,
    /// Cancel: the actor does not own the cart or act for its account.
    CancelNoCartAccess,
    /// Start checkout: the actor does not own the cart or act for its account.
    CheckoutNoCartAccess,
    /// Start checkout (get or create): the cart is neither Active nor Checkout.
    CheckoutCartNotActiveOrCheckout,
    /// Start checkout: the store's CheckoutTimeToLive is 0, which disables checkout.
    CheckoutDisabled,
    /// Add to cart: the actor does not own the cart or act for its account.
    AddNoCartAccess,
    /// Continue: the actor does not own the cart or act for its account.
    ContinueNoCartAccess,
    /// Continue while an integration runs, in the flow actions' reading.
    ContinueAlreadyInProcess,
    /// Fault injection: no running operation to fail.
    FailNoRunningOperation,
    /// Settle: operations were still running after the bound.
    SettleTimeout,
    /// An action named a cart, buyer, account, store or product that does not exist.
    UnknownRecord,
    /// A REST checkout call on a cart of an `aura` store.
    RestInAuraStore,
    /// A checkout flow action (Checkout Session, continue) on a cart of an `lwr` store.
    FlowActionInLwrStore,
    /// REST checkout: no `checkout` permission.
    RestNoPermission,
    /// REST checkout: the effective account is not valid.
    RestInvalidEffectiveAccount,
    /// REST checkout: the effective account is not a member of the store.
    RestNotStoreMember,
    /// REST checkout: the actor does not own the cart or act for its account.
    RestNoCartAccess,
    /// REST start: the store's CheckoutTimeToLive is 0.
    RestCheckoutDisabled,
    /// REST start: no checkout to return and the cart is neither Active nor Checkout.
    RestCartNotActiveOrCheckout,
    /// REST: the cart has no checkout (never started, or deleted).
    RestNotFound,
    /// REST: the cart's checkout expired.
    RestGone,
    /// REST: a calculator is still running (the cart is locked for updates).
    RestConflict,
    /// REST: the order is being placed, the checkout can no longer change.
    RestLocked,
    /// REST payment: the payment service declined the authorization.
    RestPaymentDeclined,
    /// REST place order: a guest gave no contact details.
    PlaceOrderNoContact,
    /// REST place order: no delivery method.
    PlaceOrderNoDeliveryMethod,
    /// REST place order: an Error CartValidationOutput row is on the cart.
    PlaceOrderValidationErrors,
    /// REST place order: no valid payment authorization.
    PlaceOrderPaymentNotAuthorized,
    /// REST place order: custom code saved the cart after the payment was authorized.
    PlaceOrderCartChangedAfterPayment,
    /// Add to cart in an `lwr` store while a calculator runs.
    AddWhileCalculating,
    /// REST: the checkout had expired; its integrations run again and the cart is locked.
    RestExpiredRerun,
    /// REST: custom code saved the cart during the call.
    RestCustomCodeConflict,
    /// REST PATCH: the delivery method is not one of the store's.
    RestUnknownDeliveryMethod,
    /// REST Place Order V2 on a store without it.
    PlaceOrderV2NotEnabled,
    /// REST Place Order V2 prepare or submit: a validation failed.
    PrepareValidation,
    /// REST Place Order V2 submit before prepare.
    SubmitBeforePrepare,
    /// REST Place Order V2 submit: the payment does not cover GrandTotalAmount.
    SubmitPaymentNotAuthorized,
}

impl ErrorKind {
    /// Every error, in catalogue order.
    pub const ALL: [ErrorKind; 58] = [
        ErrorKind::CancelNoPermission,
        ErrorKind::CancelInvalidEffectiveAccount,
        ErrorKind::CancelNotStoreMember,
        ErrorKind::CancelCartClosed,
        ErrorKind::CancelNoActiveSession,
        ErrorKind::CancelInvalidOperationId,
        ErrorKind::CancelNoCartAccess,
        ErrorKind::CheckoutNoPermission,
        ErrorKind::CheckoutInvalidEffectiveAccount,
        ErrorKind::CheckoutNotStoreMember,
        ErrorKind::CheckoutAlreadyInProgress,
        ErrorKind::CheckoutCartNotActive,
        ErrorKind::CheckoutCartNotActiveOrCheckout,
        ErrorKind::CheckoutDisabled,
        ErrorKind::CheckoutNoCartAccess,
        ErrorKind::AddNoPermission,
        ErrorKind::AddInvalidEffectiveAccount,
        ErrorKind::AddNotStoreMember,
        ErrorKind::AddCartNotModifiable,
        ErrorKind::AddInvalidQuantity,
        ErrorKind::AddNoCartAccess,
        ErrorKind::ContinueNoPermission,
        ErrorKind::ContinueInvalidEffectiveAccount,
        ErrorKind::ContinueNotStoreMember,
        ErrorKind::ContinueNoActiveSession,
        ErrorKind::ContinueWhileProcessing,
        ErrorKind::ContinueAlreadyInProcess,
        ErrorKind::ContinueStateMismatch,
        ErrorKind::ContinueNoCartAccess,
        ErrorKind::FailNoRunningOperation,
        ErrorKind::SettleTimeout,
        ErrorKind::UnknownRecord,
        ErrorKind::RestInAuraStore,
        ErrorKind::FlowActionInLwrStore,
        ErrorKind::RestNoPermission,
        ErrorKind::RestInvalidEffectiveAccount,
        ErrorKind::RestNotStoreMember,
        ErrorKind::RestNoCartAccess,
        ErrorKind::RestCheckoutDisabled,
        ErrorKind::RestCartNotActiveOrCheckout,
        ErrorKind::RestNotFound,
        ErrorKind::RestGone,
        ErrorKind::RestConflict,
        ErrorKind::RestLocked,
        ErrorKind::RestPaymentDeclined,
        ErrorKind::PlaceOrderNoContact,
        ErrorKind::PlaceOrderNoDeliveryMethod,
        ErrorKind::PlaceOrderValidationErrors,
        ErrorKind::PlaceOrderPaymentNotAuthorized,
        ErrorKind::PlaceOrderCartChangedAfterPayment,
        ErrorKind::AddWhileCalculating,
        ErrorKind::RestExpiredRerun,
        ErrorKind::RestCustomCodeConflict,
        ErrorKind::RestUnknownDeliveryMethod,
        ErrorKind::PlaceOrderV2NotEnabled,
        ErrorKind::PrepareValidation,
        ErrorKind::SubmitBeforePrepare,
        ErrorKind::SubmitPaymentNotAuthorized,
    ];

    /// The catalogue entry.
    pub fn spec(self) -> ErrorSpec {
        use ErrorKind::*;
        use ErrorOrigin::*;
        if let Some(rest) = rest_spec(self) {
            return ErrorSpec {
                code: rest.0,
                http: rest.1,
                action: rest.2,
                requirement: rest.3,
                origin: rest.4,
                reading: self.reading(),
            };
        }
        let (code, http, action, requirement, origin) = match self {
            CancelNoPermission => (
                "BAD_REQUEST",
                Some(400),
                CANCEL,
                "requirement 1: the user has the permission to invoke the action",
                Borrowed("Cart to Order: no permission, BAD_REQUEST 400"),
            ),
            CancelInvalidEffectiveAccount => (
                "INSUFFICIENT_ACCESS_OR_READONLY",
                Some(500),
                CANCEL,
                "requirement 2: the effective account is valid",
                Borrowed(
                    "Cart to Order: invalid effective account, INSUFFICIENT_ACCESS_OR_READONLY 500",
                ),
            ),
            CancelNotStoreMember => (
                "BAD_REQUEST",
                Some(400),
                CANCEL,
                "requirement 3: the buyer account is a member of the store",
                Borrowed("Checkout Session: not a store member, BAD_REQUEST 400"),
            ),
            CancelCartClosed => (
                "INVALID_OPERATION",
                Some(403),
                CANCEL,
                "requirement 4: the cart status is not Closed",
                Documented(HELP_CANCEL),
            ),
            CancelNoActiveSession => (
                "INSUFFICIENT_ACCESS_OR_READONLY",
                Some(400),
                CANCEL,
                "requirement 5: there is an active CartCheckoutSession for the cart",
                Borrowed(
                    "Update Checkout Session: no session, INSUFFICIENT_ACCESS_OR_READONLY 400",
                ),
            ),
            CancelInvalidOperationId => (
                "UNKNOWN_EXCEPTION",
                Some(500),
                CANCEL,
                "requirement 6: there is a valid BackgroundOperationId",
                Borrowed("Cart to Order: an id that names nothing, UNKNOWN_EXCEPTION 500"),
            ),
            CheckoutNoPermission => (
                "BAD_REQUEST",
                Some(400),
                CHECKOUT,
                "the user has the permission to start a checkout",
                Documented(HELP_SESSION),
            ),
            CheckoutInvalidEffectiveAccount => (
                "BAD_REQUEST",
                Some(400),
                CHECKOUT,
                "the user has access to the effective account",
                Documented(HELP_SESSION),
            ),
            CheckoutNotStoreMember => (
                "BAD_REQUEST",
                Some(400),
                CHECKOUT,
                "the buyer account is a member of the store",
                Documented(HELP_SESSION),
            ),
            CheckoutAlreadyInProgress => (
                "BAD_REQUEST",
                Some(400),
                CHECKOUT,
                "Cart Is Already in Progress: the cart has no active CartCheckoutSession",
                Documented(HELP_SESSION),
            ),
            CheckoutCartNotActive => (
                "INVALID_OPERATION",
                Some(403),
                CHECKOUT,
                "the cart status is Active",
                Borrowed("Cart to Order: cart not in the expected status, INVALID_OPERATION 403"),
            ),
            AddNoPermission => (
                "INSUFFICIENT_ACCESS_OR_READONLY",
                Some(400),
                ADD,
                "the user has the permission to edit the cart",
                Documented(HELP_ADD),
            ),
            AddInvalidEffectiveAccount => (
                "INSUFFICIENT_ACCESS_OR_READONLY",
                Some(400),
                ADD,
                "the effective account is valid",
                Documented(HELP_ADD),
            ),
            AddNotStoreMember => (
                "INSUFFICIENT_ACCESS_OR_READONLY",
                Some(400),
                ADD,
                "the buyer account is a member of the store",
                Documented(HELP_ADD),
            ),
            AddCartNotModifiable => (
                "INVALID_OPERATION",
                Some(403),
                ADD,
                "the cart status allows changes (not Closed, PendingClosed, PendingDelete or Processing)",
                Borrowed("Cart to Order: cart not in the expected status, INVALID_OPERATION 403"),
            ),
            AddInvalidQuantity => (
                "INVALID_INPUT",
                Some(400),
                ADD,
                "the quantity is a positive whole number of at most 1,000,000 per cart line",
                Choice("the docs give no code for a bad quantity"),
            ),
            ContinueNoPermission => (
                "BAD_REQUEST",
                Some(400),
                CONTINUE,
                "the user has the permission to run the checkout",
                Documented(HELP_UPDATE),
            ),
            ContinueInvalidEffectiveAccount => (
                "INSUFFICIENT_ACCESS_OR_READONLY",
                Some(400),
                CONTINUE,
                "the user has access to the effective account",
                Documented(HELP_UPDATE),
            ),
            ContinueNotStoreMember => (
                "INSUFFICIENT_ACCESS_OR_READONLY",
                Some(400),
                CONTINUE,
                "the buyer account is a member of the store",
                Documented(HELP_UPDATE),
            ),
            ContinueNoActiveSession => (
                "INSUFFICIENT_ACCESS_OR_READONLY",
                Some(400),
                CONTINUE,
                "there is an active CartCheckoutSession for the cart",
                Documented(HELP_UPDATE),
            ),
            ContinueWhileProcessing => (
                "CHECKOUT_CONFLICT",
                Some(409),
                CONTINUE,
                "no background operation is still running (IsProcessing is false)",
                Borrowed(
                    "Connect REST checkout: a call overlapping a running one, CHECKOUT_CONFLICT 409",
                ),
            ),
            ContinueStateMismatch => (
                "STATE_MISMATCH",
                Some(409),
                CONTINUE,
                "the session waits in a buyer state (not Error, not Complete)",
                Choice("the docs give a 4XX for a state mismatch but no code"),
            ),
            CancelNoCartAccess => (
                "BAD_REQUEST",
                Some(400),
                CANCEL,
                "cart access: the user owns the cart and acts for its account (User Doesn't Have Access to the Cart)",
                Borrowed("Cart to Order: User Doesn't Have Access to the Cart, BAD_REQUEST 400"),
            ),
            CheckoutNoCartAccess => (
                "BAD_REQUEST",
                Some(400),
                CHECKOUT,
                "cart access: the user owns the cart and acts for its account (User Doesn't Have Access to the Cart)",
                Borrowed("Cart to Order: User Doesn't Have Access to the Cart, BAD_REQUEST 400"),
            ),
            CheckoutCartNotActiveOrCheckout => (
                "INVALID_OPERATION",
                Some(403),
                CHECKOUT,
                "the cart status is Active or Checkout",
                Borrowed("Cart to Order: cart not in the expected status, INVALID_OPERATION 403"),
            ),
            CheckoutDisabled => (
                "BAD_REQUEST",
                Some(400),
                CHECKOUT,
                "checkout is enabled (the store's CheckoutTimeToLive is not 0)",
                Choice(
                    "the time-to-live guide says 0 disables checkout but gives no code; Checkout Session's refusals are BAD_REQUEST 400",
                ),
            ),
            AddNoCartAccess => (
                "INSUFFICIENT_ACCESS_OR_READONLY",
                Some(400),
                ADD,
                "cart access: the user owns the cart and acts for its account",
                Documented(HELP_ADD),
            ),
            ContinueNoCartAccess => (
                "INSUFFICIENT_ACCESS_OR_READONLY",
                Some(400),
                CONTINUE,
                "cart access: the user owns the cart and acts for its account",
                Documented(HELP_UPDATE),
            ),
            ContinueAlreadyInProcess => (
                "ALREADY_IN_PROCESS",
                Some(400),
                CONTINUE,
                "no integration is already in progress (IsProcessing is false)",
                Borrowed(
                    "Cart to Order: Integration Is Already in Progress, ALREADY_IN_PROCESS 400",
                ),
            ),
            FailNoRunningOperation => (
                "NO_RUNNING_OPERATION",
                None,
                "Fail operation (fault injection)",
                "the cart's active session has a running background operation",
                Choice("fault injection is a simulator tool, not a Salesforce action"),
            ),
            SettleTimeout => (
                "SETTLE_TIMEOUT",
                None,
                "Settle",
                "every background operation finishes within the settle bound",
                Choice("settle stops after a bound so a scenario can never hang"),
            ),
            UnknownRecord => (
                "UNKNOWN_EXCEPTION",
                Some(500),
                "any action",
                "every id the action names exists",
                Documented(
                    "help.salesforce.com: Checkout Session and siblings, bad cartId UNKNOWN_EXCEPTION 500",
                ),
            ),
            // The REST checkout's errors and the template checks: `rest_spec` above.
            _ => (
                "UNKNOWN_EXCEPTION",
                None,
                REST,
                "every id the action names exists",
                Choice("the REST checkout's catalogue answers first"),
            ),
        };
        ErrorSpec {
            code,
            http,
            action,
            requirement,
            origin,
            reading: self.reading(),
        }
    }

    /// The store setting whose reading makes this a refusal, if any.
    pub fn reading(self) -> Option<&'static str> {
        use ErrorKind::*;
        match self {
            CancelNoActiveSession | CancelInvalidOperationId => Some(
                "cancel_requirements: enforce (the help page lists it as a requirement; lenient lets the cancel through)",
            ),
            CheckoutAlreadyInProgress | CheckoutCartNotActive => Some(
                "checkout_session: strict (the help page's requirement; get_or_create returns the active session)",
            ),
            CheckoutCartNotActiveOrCheckout => Some("checkout_session: get_or_create"),
            ContinueWhileProcessing => Some("continue_while_processing: checkout_conflict"),
            ContinueAlreadyInProcess => Some("continue_while_processing: already_in_process"),
            CancelNoCartAccess | CheckoutNoCartAccess | AddNoCartAccess | ContinueNoCartAccess => {
                Some("cart_access: owner_and_account")
            }
            CheckoutDisabled | RestCheckoutDisabled => Some("checkout_ttl: 0"),
            RestInAuraStore => Some("template: aura"),
            FlowActionInLwrStore | AddWhileCalculating => Some("template: lwr"),
            _ => None,
        }
    }

    /// What the buyer or admin sees on the storefront, where a source gives it.
    pub fn buyer_message(self) -> Option<BuyerMessage> {
        use ErrorKind::*;
        match self {
            CancelNoPermission | CheckoutNoPermission | ContinueNoPermission => {
                Some(MSG_NOT_ALLOWED)
            }
            AddNoPermission | AddInvalidEffectiveAccount | AddNotStoreMember | AddNoCartAccess => {
                Some(MSG_NO_CART_ACCESS)
            }
            ContinueNoActiveSession => Some(MSG_NO_SESSION),
            ContinueStateMismatch => Some(MSG_OUT_OF_DATE),
            CancelInvalidOperationId | UnknownRecord => Some(MSG_FLOW_ERROR),
            CancelInvalidEffectiveAccount
            | CancelNotStoreMember
            | CancelCartClosed
            | CancelNoActiveSession
            | CancelNoCartAccess
            | CheckoutInvalidEffectiveAccount
            | CheckoutNotStoreMember
            | CheckoutAlreadyInProgress
            | CheckoutCartNotActive
            | CheckoutCartNotActiveOrCheckout
            | CheckoutDisabled
            | CheckoutNoCartAccess
            | ContinueInvalidEffectiveAccount
            | ContinueNotStoreMember
            | ContinueNoCartAccess
            | ContinueWhileProcessing
            | ContinueAlreadyInProcess => Some(SOMETHING_WENT_WRONG),
            PlaceOrderCartChangedAfterPayment => Some(MSG_CART_IN_USE),
            AddCartNotModifiable | AddInvalidQuantity | FailNoRunningOperation | SettleTimeout => {
                None
            }
            RestInAuraStore
            | FlowActionInLwrStore
            | RestNoPermission
            | RestInvalidEffectiveAccount
            | RestNotStoreMember
            | RestNoCartAccess
            | RestCheckoutDisabled
            | RestCartNotActiveOrCheckout
            | RestNotFound
            | RestGone
            | RestConflict
            | RestLocked
            | RestPaymentDeclined
            | PlaceOrderNoContact
            | PlaceOrderNoDeliveryMethod
            | PlaceOrderValidationErrors
            | AddWhileCalculating
            | RestExpiredRerun
            | RestCustomCodeConflict
            | RestUnknownDeliveryMethod
            | PlaceOrderV2NotEnabled
            | PrepareValidation
            | SubmitBeforePrepare => None,
            PlaceOrderPaymentNotAuthorized | SubmitPaymentNotAuthorized => {
                Some(MSG_PAYMENT_NOT_AUTHORIZED)
            }
        }
    }
}

const REST: &str = "Connect REST checkout (any call)";
const REST_START: &str = "Start checkout (PUT /checkouts)";
const REST_CHANGE: &str = "PATCH, DELETE, payments or orders on /checkouts/{id}";
const REST_PAY: &str = "Pay (POST /checkouts/{id}/payments)";
const REST_ORDER: &str = "Place order (POST /checkouts/{id}/orders)";
const FLOW: &str = "Checkout flow action (start_checkout, continue)";
const GUIDE_ASYNC: &str = "developer.salesforce.com commerce guide: checkout async processing (b2b-comm-checkout-async-processing)";

type Spec = (
    &'static str,
    Option<u16>,
    &'static str,
    &'static str,
    ErrorOrigin,
);

/// The REST checkout API's refusals (`lwr` stores), and the template checks.
fn rest_spec(kind: ErrorKind) -> Option<Spec> {
    use ErrorKind::*;
    use ErrorOrigin::*;
    Some(match kind {
        RestInAuraStore => (
            "WRONG_TEMPLATE",
            None,
            REST,
            "the cart's store is an lwr store: only LWR and headless storefronts call the REST checkout API",
            Choice(
                "a simulator check: an aura store runs checkout as a flow (help.salesforce.com: Add Cart Item); the loader refuses such a step in a file",
            ),
        ),
        FlowActionInLwrStore => (
            "WRONG_TEMPLATE",
            None,
            FLOW,
            "the cart's store is an aura store: an lwr store runs no checkout flow",
            Choice(
                "a simulator check: LWR and headless stores call the REST checkout API instead of the flow actions; the loader refuses such a step in a file",
            ),
        ),
        RestNoPermission => (
            "BAD_REQUEST",
            Some(400),
            REST,
            "the user has the permission to check out",
            Borrowed("Checkout Session: no permission, BAD_REQUEST 400"),
        ),
        RestInvalidEffectiveAccount => (
            "BAD_REQUEST",
            Some(400),
            REST,
            "the user has access to the effective account",
            Borrowed("Checkout Session: no access to the effective account, BAD_REQUEST 400"),
        ),
        RestNotStoreMember => (
            "BAD_REQUEST",
            Some(400),
            REST,
            "the buyer account is a member of the store",
            Borrowed("Checkout Session: not a store member, BAD_REQUEST 400"),
        ),
        RestNoCartAccess => (
            "BAD_REQUEST",
            Some(400),
            REST,
            "cart access: the user owns the cart and acts for its account (User Doesn't Have Access to the Cart)",
            Borrowed("Cart to Order: User Doesn't Have Access to the Cart, BAD_REQUEST 400"),
        ),
        RestCheckoutDisabled => (
            "BAD_REQUEST",
            Some(400),
            REST_START,
            "checkout is enabled (the store's CheckoutTimeToLive is not 0)",
            Choice(
                "the time-to-live guide says 0 disables checkout but gives no code; the flow's Checkout Session refusal is borrowed",
            ),
        ),
        RestCartNotActiveOrCheckout => (
            "INVALID_OPERATION",
            Some(403),
            REST_START,
            "the cart has a checkout to return, or is Active or Checkout",
            Borrowed("Cart to Order: cart not in the expected status, INVALID_OPERATION 403"),
        ),
        RestNotFound => (
            "NOT_FOUND",
            Some(404),
            REST,
            "the cart has a checkout (it was started and not deleted)",
            Sample(
                "b2b-commerce-open-source-components checkoutNotification/utils.js handles 404 NotFound; the code is the REST API's usual NOT_FOUND (borrowed)",
            ),
        ),
        RestGone => (
            "GONE",
            Some(410),
            REST,
            "the cart's checkout has not expired (its time-to-live)",
            Sample(
                "named only in the storefront's components: b2b-commerce-open-source-components checkoutNotification/utils.js handles 410 Gone; the docs give no 410, so answering it for an expired checkout and the code are cartsim's choice",
            ),
        ),
        RestConflict => (
            "CHECKOUT_CONFLICT",
            Some(409),
            REST_CHANGE,
            "no calculator is still running: \"Don't invoke another Checkout API until the previous request returns 200 OK\" (retry until 2xx)",
            Documented(GUIDE_ASYNC),
        ),
        RestLocked => (
            "LOCKED",
            Some(423),
            REST_CHANGE,
            "the order is not being placed (the cart is not PendingClosed or Closed)",
            Sample(
                "named only in the storefront's components: b2b-commerce-open-source-components checkoutNotification/utils.js handles 423 DbLock; the docs give no 423, so when it is answered and the code are cartsim's choice",
            ),
        ),
        RestPaymentDeclined => (
            "PAYMENT_DECLINED",
            Some(422),
            REST_PAY,
            "the payment service authorizes the payment",
            Choice(
                "the docs give neither status nor code for a declined authorization; cartsim answers 422 as place order does for an unauthorized payment",
            ),
        ),
        PlaceOrderNoContact => (
            "PRECONDITION_FAILED",
            Some(412),
            REST_ORDER,
            "a guest buyer gave contact details (email, phone)",
            Choice(
                "the status is documented (Commerce Webstore Checkout Orders, API 63.0+: 412 for incomplete contact information); the docs give no code, so cartsim names it",
            ),
        ),
        PlaceOrderNoDeliveryMethod => (
            "VALIDATION_ERROR",
            Some(422),
            REST_ORDER,
            "the checkout has a delivery method",
            Choice(
                "the status is documented (Commerce Webstore Checkout Orders, API 63.0+: 422 for a missing delivery method); the docs give no code, so cartsim names it",
            ),
        ),
        PlaceOrderValidationErrors => (
            "VALIDATION_ERROR",
            Some(422),
            REST_ORDER,
            "no Error CartValidationOutput is on the cart",
            Choice(
                "the docs give 422 for validation errors (Commerce Webstore Checkout Orders, API 63.0+) but no code; that an Error row is one of them is cartsim's reading",
            ),
        ),
        PlaceOrderPaymentNotAuthorized => (
            "VALIDATION_ERROR",
            Some(422),
            REST_ORDER,
            "the Processed PaymentAuthorizations add up to GrandTotalAmount (\"TotalAuthAndSaleAmount + PendingAuthAndSaleAmount = GrandTotalAmount\"): shipping and tax count, not only items",
            Choice(
                "the status is documented (Commerce Webstore Checkout Orders, API 63.0+: 422 for an unauthorized payment method) and so is the check and its message (commerce guide: avoid common misconfigurations); the docs give no code, so cartsim names it",
            ),
        ),
        PlaceOrderCartChangedAfterPayment => (
            "CHECKOUT_CONFLICT",
            Some(409),
            REST_ORDER,
            "no custom code saved the cart after the payment was authorized (payment processed but not saved to the cart)",
            Borrowed(
                "the checkout API's overlapping-call 409 CHECKOUT_CONFLICT; the 409 itself is documented for this case (Commerce Webstore Checkout Orders: custom code modifies the cart after payment authorization)",
            ),
        ),
        RestExpiredRerun
        | RestCustomCodeConflict
        | RestUnknownDeliveryMethod
        | PlaceOrderV2NotEnabled
        | PrepareValidation
        | SubmitBeforePrepare
        | SubmitPaymentNotAuthorized => return new_rest_spec(kind),
        AddWhileCalculating => (
            "CHECKOUT_CONFLICT",
            Some(409),
            ADD,
            "no checkout calculation is running (202: \"cart locked for updates\")",
            Borrowed(
                "PATCH after a 202: CHECKOUT_CONFLICT 409 (commerce guide: checkout async processing); the docs give add to cart no code for a locked cart",
            ),
        ),
        _ => return None,
    })
}

/// The REST refusals of the records an org keeps (Place Order V2, custom code,
/// delivery methods, the time to live on return).
fn new_rest_spec(kind: ErrorKind) -> Option<Spec> {
    use ErrorKind::*;
    use ErrorOrigin::*;
    Some(match kind {
        RestExpiredRerun => (
            "CHECKOUT_CONFLICT",
            Some(409),
            REST_CHANGE,
            "the checkout has not expired (checkout_expiry: on_return); on return its integrations run again, so retry once the poll answers 200",
            Choice(
                "the time-to-live guide says the integrations run again when the buyer returns but not how each call answers; cartsim answers a PATCH, payment, place order or DELETE with the overlapping-call 409 while they run",
            ),
        ),
        RestCustomCodeConflict => (
            "CHECKOUT_CONFLICT",
            Some(409),
            "PUT, PATCH or DELETE on /checkouts",
            "no custom code modifies the cart or the checkout session while the call runs",
            Documented(
                "Connect REST: Commerce Webstore Checkouts (PUT, PATCH, DELETE): 409 when custom code modifies the cart or a checkout session while calling the resource; the code CHECKOUT_CONFLICT is the overlapping call's (commerce guide: checkout async processing)",
            ),
        ),
        RestUnknownDeliveryMethod => (
            "INVALID_INPUT",
            Some(422),
            "Update checkout (PATCH /checkouts/{id})",
            "the delivery method is one the store offers (its delivery_methods)",
            Choice(
                "the docs give no status or code for an unknown delivery method; cartsim answers 422 with a code of its own",
            ),
        ),
        PlaceOrderV2NotEnabled => (
            "NOT_FOUND",
            Some(404),
            "Place Order V2 (POST /checkouts/{id}/orders/actions)",
            "the store has Streamlined Place Order enabled (place_order: v2)",
            Choice(
                "the guide makes Streamlined Place Order a prerequisite of /orders/actions but gives no status without it; cartsim answers 404 NOT_FOUND",
            ),
        ),
        PrepareValidation => (
            "VALIDATION_ERROR",
            Some(422),
            "Place Order V2 prepare (POST /checkouts/{id}/orders/actions)",
            "the checkout is ready for order placement: a delivery method, a guest's e-mail, no Error CartValidationOutput",
            Choice(
                "the status is documented (Place Order Action API: \"On failure, returns 422\"; prepare validates shipping); the code is cartsim's",
            ),
        ),
        SubmitBeforePrepare => (
            "VALIDATION_ERROR",
            Some(422),
            "Place Order V2 submit (POST /checkouts/{id}/orders/actions)",
            "prepare succeeded since the checkout last calculated",
            Choice(
                "the guide orders the calls (prepare, payments, submit) and answers 422 on failure; that submit without prepare fails is cartsim's reading",
            ),
        ),
        SubmitPaymentNotAuthorized => (
            "VALIDATION_ERROR",
            Some(422),
            "Place Order V2 submit (POST /checkouts/{id}/orders/actions)",
            "the Processed PaymentAuthorizations add up to GrandTotalAmount (\"TotalAuthAndSaleAmount + PendingAuthAndSaleAmount = GrandTotalAmount\")",
            Documented(
                "commerce guide: Place Order Action API (submit validates payments, 422 on failure); avoid common misconfigurations (b2b-comm-checkout-avoid-misconfigurations)",
            ),
        ),
        _ => return None,
    })
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
