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
}

impl ErrorOrigin {
    /// `documented`, `borrowed` or `choice`.
    pub fn tag(self) -> &'static str {
        match self {
            ErrorOrigin::Documented(_) => "documented",
            ErrorOrigin::Borrowed(_) => "borrowed",
            ErrorOrigin::Choice(_) => "choice",
        }
    }

    /// The page, the sibling action, or the reason.
    pub fn reference(self) -> &'static str {
        match self {
            ErrorOrigin::Documented(r) | ErrorOrigin::Borrowed(r) | ErrorOrigin::Choice(r) => r,
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
}

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
    /// Fault injection: no running operation to fail.
    FailNoRunningOperation,
    /// Settle: operations were still running after the bound.
    SettleTimeout,
    /// An action named a cart, buyer, account, store or product that does not exist.
    UnknownRecord,
}

impl ErrorKind {
    /// Every error, in catalogue order.
    pub const ALL: [ErrorKind; 25] = [
        ErrorKind::CancelNoPermission,
        ErrorKind::CancelInvalidEffectiveAccount,
        ErrorKind::CancelNotStoreMember,
        ErrorKind::CancelCartClosed,
        ErrorKind::CancelNoActiveSession,
        ErrorKind::CancelInvalidOperationId,
        ErrorKind::CheckoutNoPermission,
        ErrorKind::CheckoutInvalidEffectiveAccount,
        ErrorKind::CheckoutNotStoreMember,
        ErrorKind::CheckoutAlreadyInProgress,
        ErrorKind::CheckoutCartNotActive,
        ErrorKind::AddNoPermission,
        ErrorKind::AddInvalidEffectiveAccount,
        ErrorKind::AddNotStoreMember,
        ErrorKind::AddCartNotModifiable,
        ErrorKind::AddInvalidQuantity,
        ErrorKind::ContinueNoPermission,
        ErrorKind::ContinueInvalidEffectiveAccount,
        ErrorKind::ContinueNotStoreMember,
        ErrorKind::ContinueNoActiveSession,
        ErrorKind::ContinueWhileProcessing,
        ErrorKind::ContinueStateMismatch,
        ErrorKind::FailNoRunningOperation,
        ErrorKind::SettleTimeout,
        ErrorKind::UnknownRecord,
    ];

    /// The catalogue entry.
    pub fn spec(self) -> ErrorSpec {
        use ErrorKind::*;
        use ErrorOrigin::*;
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
        };
        ErrorSpec {
            code,
            http,
            action,
            requirement,
            origin,
        }
    }
}

/// A refusal: the catalogue entry plus a message about this particular case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionError {
    /// Which catalogue entry.
    pub kind: ErrorKind,
    /// What happened, naming the records involved.
    pub message: String,
}

impl ActionError {
    /// A refusal of this kind with this message.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> ActionError {
        ActionError {
            kind,
            message: message.into(),
        }
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
