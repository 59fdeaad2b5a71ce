//! The actions a buyer, the clock or the scenario can take, and their requirement checks.
//!
//! Every action checks all its requirements before it changes anything, so a refused
//! action leaves the world exactly as it was.

use super::change::{Change, FieldValue, RecordKind};
use super::checkout::{cancel_operation, complete, enter_state, settings_of_cart};
use super::clock::{advance, busy, ticks_until_next_event};
use super::errors::{ActionError, ErrorKind};
use super::fields::*;
use super::id::Id;
use super::model::*;
use super::rules::Rule;
use super::tx::Tx;
use super::world::{IdKind, World};

/// The largest quantity one cart line may hold.
pub const MAX_LINE_QUANTITY: i64 = 1_000_000;
/// How many ticks `settle` lets pass before it gives up.
pub const SETTLE_LIMIT: u64 = 1_000_000;

/// A quantity as the scenario wrote it: a whole number, or anything else (kept as text
/// so that the refusal can quote it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Quantity {
    /// A whole number (possibly zero or negative).
    Whole(i64),
    /// Not a whole number that fits: `1.5`, `1e30`, ...
    Other(String),
}

/// Something that happens to the world.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// The Checkout Session action.
    StartCheckout {
        /// The cart.
        cart: String,
        /// The acting buyer; `None` means the cart's owner.
        actor: Option<String>,
    },
    /// Add a product to a cart (a cart change).
    AddToCart {
        /// The cart.
        cart: String,
        /// The product.
        sku: String,
        /// How many.
        quantity: Quantity,
        /// The acting buyer; `None` means the cart's owner.
        actor: Option<String>,
    },
    /// Cancel Cart Async Operation.
    Cancel {
        /// The cart.
        cart: String,
        /// The acting buyer; `None` means the cart's owner.
        actor: Option<String>,
    },
    /// The buyer completes the current buyer state.
    Continue {
        /// The cart.
        cart: String,
        /// The acting buyer; `None` means the cart's owner.
        actor: Option<String>,
    },
    /// Virtual time passes.
    Wait {
        /// How many ticks.
        ticks: u64,
    },
    /// Time passes until no operation is New or Running.
    Settle,
    /// Fault injection: the cart's running operation ends in Error at its next tick.
    FailOperation {
        /// The cart.
        cart: String,
        /// The BackgroundOperation.Error message.
        message: String,
    },
    /// Fault injection with the CartValidationOutput row's Level and Type chosen: an
    /// Error stops the checkout; a Warning or Info is recorded and the checkout goes on.
    IntegrationFault {
        /// The cart.
        cart: String,
        /// The message (BackgroundOperation.Error on an Error, and the row's Message).
        message: String,
        /// The row's Level.
        level: ValidationLevel,
        /// The row's Type; `None` picks the type that matches the operation.
        kind: Option<ValidationType>,
    },
    /// Custom code (an Apex trigger or integration, not a buyer) saves the cart, which
    /// increments its version.
    CustomUpdate {
        /// The cart.
        cart: String,
        /// True: the code is armed to run inside the cart's next PUT, PATCH or DELETE
        /// (`"during": "next_call"`), which then answers 409; false: it saves now.
        during_next_call: bool,
    },
    /// Give a buyer a permission.
    Grant {
        /// The buyer.
        buyer: String,
        /// The permission.
        permission: Permission,
    },
    /// Take a permission from a buyer.
    Revoke {
        /// The buyer.
        buyer: String,
        /// The permission.
        permission: Permission,
    },
    /// Set a buyer's effective account.
    SwitchAccount {
        /// The buyer.
        buyer: String,
        /// The account (any existing one, even one the buyer may not act for).
        account: String,
    },
    /// Make an account a buyer member of a store.
    JoinStore {
        /// The account.
        account: String,
        /// The store.
        store: String,
    },
    /// Remove an account from a store's buyers.
    LeaveStore {
        /// The account.
        account: String,
        /// The store.
        store: String,
    },
    /// Change one store setting from this instant on (a world edit, not a buyer action).
    SetSetting {
        /// The store.
        store: String,
        /// The setting's key (any but `template`).
        key: String,
        /// The new value.
        value: super::settings::SettingValue,
    },
    /// `lwr` stores: `PUT /commerce/webstores/{store}/checkouts`, get or create.
    CheckoutStart {
        /// The cart.
        cart: String,
        /// The acting buyer; `None` means the cart's owner.
        actor: Option<String>,
    },
    /// `lwr` stores: `GET .../checkouts/{id}`, poll while calculators run.
    CheckoutPoll {
        /// The cart.
        cart: String,
        /// The acting buyer; `None` means the cart's owner.
        actor: Option<String>,
    },
    /// `lwr` stores: `PATCH .../checkouts/{id}` with an address, a delivery method
    /// and/or contact details (at least one).
    CheckoutUpdate {
        /// The cart.
        cart: String,
        /// What the PATCH changes (at least one part).
        patch: super::rest::CheckoutPatch,
        /// The acting buyer; `None` means the cart's owner.
        actor: Option<String>,
    },
    /// `lwr` stores: `DELETE .../checkouts/{id}`.
    CheckoutDelete {
        /// The cart.
        cart: String,
        /// The acting buyer; `None` means the cart's owner.
        actor: Option<String>,
    },
    /// `lwr` stores: `POST .../checkouts/{id}/payments`.
    Pay {
        /// The cart.
        cart: String,
        /// What the payment service answers.
        outcome: super::rest::PaymentOutcome,
        /// The acting buyer; `None` means the cart's owner.
        actor: Option<String>,
    },
    /// `lwr` stores: `POST .../checkouts/{id}/orders`.
    PlaceOrder {
        /// The cart.
        cart: String,
        /// Place Order V2's action (`POST .../orders/actions`); `None` for v1
        /// (`POST .../orders`).
        step: Option<super::rest::PlaceOrderStep>,
        /// The acting buyer; `None` means the cart's owner.
        actor: Option<String>,
    },
}

impl Action {
    /// The cart the action is about, if any.
    pub fn cart(&self) -> Option<&str> {
        match self {
            Action::StartCheckout { cart, .. }
            | Action::AddToCart { cart, .. }
            | Action::Cancel { cart, .. }
            | Action::Continue { cart, .. }
            | Action::FailOperation { cart, .. }
            | Action::IntegrationFault { cart, .. }
            | Action::CustomUpdate { cart, .. }
            | Action::CheckoutStart { cart, .. }
            | Action::CheckoutPoll { cart, .. }
            | Action::CheckoutUpdate { cart, .. }
            | Action::CheckoutDelete { cart, .. }
            | Action::Pay { cart, .. }
            | Action::PlaceOrder { cart, .. } => Some(cart),
            _ => None,
        }
    }

    /// The explicit actor, if any.
    pub fn actor(&self) -> Option<&str> {
        self.actor_slot().and_then(|a| a.as_deref())
    }

    /// True for an action a buyer takes (it has an actor, the `as` key): the flow
    /// actions and the REST calls, as opposed to time, fault injection and world edits.
    pub fn is_buyer_action(&self) -> bool {
        self.actor_slot().is_some()
    }

    /// Sets the acting buyer of a buyer action (the `as` key); other actions have none.
    pub fn set_actor(&mut self, buyer: &str) {
        match self {
            Action::StartCheckout { actor, .. }
            | Action::AddToCart { actor, .. }
            | Action::Cancel { actor, .. }
            | Action::Continue { actor, .. }
            | Action::CheckoutStart { actor, .. }
            | Action::CheckoutPoll { actor, .. }
            | Action::CheckoutUpdate { actor, .. }
            | Action::CheckoutDelete { actor, .. }
            | Action::Pay { actor, .. }
            | Action::PlaceOrder { actor, .. } => *actor = Some(buyer.to_string()),
            _ => {}
        }
    }

    /// Where a buyer action keeps its actor; `None` for actions without one.
    fn actor_slot(&self) -> Option<&Option<String>> {
        match self {
            Action::StartCheckout { actor, .. }
            | Action::AddToCart { actor, .. }
            | Action::Cancel { actor, .. }
            | Action::Continue { actor, .. }
            | Action::CheckoutStart { actor, .. }
            | Action::CheckoutPoll { actor, .. }
            | Action::CheckoutUpdate { actor, .. }
            | Action::CheckoutDelete { actor, .. }
            | Action::Pay { actor, .. }
            | Action::PlaceOrder { actor, .. } => Some(actor),
            _ => None,
        }
    }
}

/// What an action did: the changes, in order, and whether it succeeded. A refused action
/// has no changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Every change, in the order it happened.
    pub changes: Vec<Change>,
    /// Ok, or the refusal.
    pub result: Result<(), ActionError>,
    /// The HTTP status a REST checkout call answered (200, 201, 202, 204, or the
    /// refusal's); `None` for every other action.
    pub http: Option<u16>,
    /// The REST call as a developer sees it in the network tab
    /// (`PUT /commerce/webstores/west/checkouts`); `None` for every other action.
    pub request: Option<String>,
    /// The REST call's response body as the Connect API returns it (the Checkout
    /// output, the order reference, or the platform's `[{"errorCode", "message"}]`);
    /// `None` for a 204 and every other action.
    pub body: Option<serde_json::Value>,
}

impl World {
    /// Applies an action. Pure and deterministic: the same world and action always give
    /// the same outcome. A refused action changes nothing.
    pub fn apply(&mut self, action: &Action) -> Outcome {
        if let Action::Settle = action {
            return self.settle();
        }
        let mut tx = Tx::new(self);
        let (result, http, request, body) = match super::rest::call(&mut tx, action) {
            Some(call) => {
                let http = match &call.result {
                    Ok(status) => Some(*status),
                    Err(e) => e.http(),
                };
                (call.result.map(|_| ()), http, call.request, call.body)
            }
            None => (run(&mut tx, action), None, None, None),
        };
        let changes = tx.changes;
        // A refusal changes nothing, except what the platform records on the way in a
        // REST call (a declined payment, custom code run inside the call, an expired
        // checkout's integrations run again).
        debug_assert!(result.is_ok() || changes.is_empty() || http.is_some());
        Outcome {
            changes,
            result,
            http,
            request,
            body,
        }
    }

    /// An upper bound on the ticks until nothing is in progress: every live operation's
    /// remaining work, plus, for every session not archived, the longest store flow run
    /// state by state (each asynchronous state a tick to start, its work, a tick to hand
    /// over). `None` when an `lwr` store's REST calculations run work that no checkout
    /// flow lists.
    fn settle_bound(&self) -> Option<u64> {
        if self
            .stores
            .iter()
            .any(|s| s.settings.template == Template::Lwr)
        {
            return None;
        }
        let mut bound: u64 = 0;
        for op in self.operations_in_progress() {
            bound = bound.saturating_add(self.ticks_left(op).saturating_add(2));
        }
        // Every session not archived may walk a whole flow: the longest flow of any
        // store, once per session, bounds them all without looking each one's store up.
        let longest = self
            .stores
            .iter()
            .map(|store| {
                store
                    .checkout_flow
                    .iter()
                    .map(|step| match &step.kind {
                        super::flow::StepKind::Async { ticks, .. } => ticks.saturating_add(2),
                        super::flow::StepKind::Buyer | super::flow::StepKind::Sync => 1,
                    })
                    .fold(0u64, u64::saturating_add)
            })
            .max()
            .unwrap_or(0);
        let sessions = self.live_session_count() as u64;
        Some(bound.saturating_add(sessions.saturating_mul(longest)))
    }

    /// The acting buyer for an action on a cart: the explicit actor, else the owner.
    pub fn actor_for(&self, cart: &str, actor: Option<&str>) -> Option<Id> {
        match actor {
            Some(a) => Some(Id::new(a)),
            None => self.cart(cart).map(|c| c.buyer),
        }
    }

    /// Runs time forward until nothing is in progress, or refuses (changing nothing) if
    /// that takes more than [`SETTLE_LIMIT`] ticks. When [`World::settle_bound`] shows it
    /// cannot take that long, time runs on the world itself; otherwise on a copy, kept
    /// only if it settled in time.
    fn settle(&mut self) -> Outcome {
        if self.settle_bound().is_some_and(|b| b <= SETTLE_LIMIT) {
            let mut tx = Tx::new(self);
            let start = tx.world.tick;
            while busy(&tx) {
                let next = ticks_until_next_event(&tx).unwrap_or(1);
                debug_assert!(tx.world.tick - start + next <= SETTLE_LIMIT);
                advance(&mut tx, next);
            }
            return Outcome {
                changes: tx.changes,
                result: Ok(()),
                http: None,
                request: None,
                body: None,
            };
        }
        let mut copy = self.clone();
        // What the copy does is what the world does if it is kept: the journal of an
        // undoable action goes with it, and comes back empty if the copy is dropped.
        copy.journal = self.journal.take();
        let mut tx = Tx::new(&mut copy);
        let start = tx.world.tick;
        while busy(&tx) {
            let waited = tx.world.tick - start;
            let next = ticks_until_next_event(&tx).unwrap_or(1);
            if waited + next > SETTLE_LIMIT {
                self.journal = tx.world.journal.take().emptied();
                return Outcome {
                    changes: Vec::new(),
                    result: Err(ActionError::new(
                        ErrorKind::SettleTimeout,
                        format!("operations still running after {SETTLE_LIMIT} ticks"),
                    )),
                    http: None,
                    request: None,
                    body: None,
                };
            }
            advance(&mut tx, next);
        }
        let changes = tx.changes;
        *self = copy;
        Outcome {
            changes,
            result: Ok(()),
            http: None,
            request: None,
            body: None,
        }
    }
}

fn run(tx: &mut Tx, action: &Action) -> Result<(), ActionError> {
    match action {
        Action::StartCheckout { cart, actor } => start_checkout(tx, cart, actor.as_deref()),
        Action::AddToCart {
            cart,
            sku,
            quantity,
            actor,
        } => add_to_cart(tx, cart, sku, quantity, actor.as_deref()),
        Action::Cancel { cart, actor } => {
            let plan = check_cancel(tx.world, cart, actor.as_deref())?;
            apply_cancel(tx, &plan, Rule::CancelUnlocksCart);
            Ok(())
        }
        Action::IntegrationFault {
            cart,
            message,
            level,
            kind,
        } => inject_fault(tx, cart, message, *level, *kind),
        Action::CustomUpdate {
            cart,
            during_next_call,
        } => custom_update(tx, cart, *during_next_call),
        Action::Continue { cart, actor } => continue_checkout(tx, cart, actor.as_deref()),
        Action::Wait { ticks } => {
            advance(tx, *ticks);
            Ok(())
        }
        // World::apply settles on a copy before any transaction opens.
        Action::Settle => Ok(()),
        Action::FailOperation { cart, message } => {
            inject_fault(tx, cart, message, ValidationLevel::Error, None)
        }
        Action::Grant { buyer, permission } => edit_permission(tx, buyer, *permission, true),
        Action::Revoke { buyer, permission } => edit_permission(tx, buyer, *permission, false),
        Action::SwitchAccount { buyer, account } => switch_account(tx, buyer, account),
        Action::JoinStore { account, store } => edit_membership(tx, account, store, true),
        Action::LeaveStore { account, store } => edit_membership(tx, account, store, false),
        Action::SetSetting { store, key, value } => set_setting(tx, store, key, *value),
        // World::apply sends the REST calls to `rest::call`; this keeps the match whole.
        Action::CheckoutStart { .. }
        | Action::CheckoutPoll { .. }
        | Action::CheckoutUpdate { .. }
        | Action::CheckoutDelete { .. }
        | Action::Pay { .. }
        | Action::PlaceOrder { .. } => super::rest::run(tx, action).map(|_| ()),
    }
}

pub(crate) fn unknown(what: &str, id: &str) -> ActionError {
    ActionError::new(
        ErrorKind::UnknownRecord,
        format!("no {what} has the id {id}"),
    )
}

/// The failure kinds of the actor checks, for one action.
pub(crate) struct ActorErrors {
    pub permission: ErrorKind,
    pub account: ErrorKind,
    pub member: ErrorKind,
    pub access: ErrorKind,
}

/// The checks every buyer action makes first, in this order: the permission, a valid
/// effective account, that account's membership of the cart's store, and (where the
/// store's `cart_access` is `owner_and_account`) that the buyer owns the cart and acts
/// for its account.
pub(crate) fn check_actor(
    world: &World,
    cart: &WebCart,
    actor: Option<&str>,
    permission: Permission,
    errors: ActorErrors,
) -> Result<String, ActionError> {
    let actor_id = actor.unwrap_or(&cart.buyer);
    let buyer = world
        .buyer(actor_id)
        .ok_or_else(|| unknown("buyer", actor_id))?;
    if !buyer.has(permission) {
        return Err(ActionError::new(
            errors.permission,
            format!("{} lacks the {} permission", buyer.id, permission),
        ));
    }
    let effective = &buyer.effective_account;
    if world.account(effective).is_none() {
        return Err(ActionError::new(
            errors.account,
            format!(
                "{}'s effective account {} does not exist",
                buyer.id, effective
            ),
        ));
    }
    if !buyer.accounts.contains(effective) {
        return Err(ActionError::new(
            errors.account,
            format!(
                "{}'s effective account {} is not one {} may act for",
                buyer.id, effective, buyer.id
            ),
        ));
    }
    let member = world
        .account(effective)
        .is_some_and(|a| a.stores.contains(&cart.store));
    if !member {
        return Err(ActionError::new(
            errors.member,
            format!(
                "account {} is not a buyer member of store {}",
                effective, cart.store
            ),
        ));
    }
    if settings_of_cart(world, &cart.id).cart_access == CartAccess::OwnerAndAccount {
        if cart.buyer != buyer.id {
            return Err(ActionError::new(
                errors.access,
                format!(
                    "User Doesn't Have Access to the Cart: {} is owned by {}, not {}",
                    cart.id, cart.buyer, buyer.id
                ),
            ));
        }
        if cart.account != *effective {
            return Err(ActionError::new(
                errors.access,
                format!(
                    "User Doesn't Have Access to the Cart: {} belongs to account {}; {} acts for {}",
                    cart.id, cart.account, buyer.id, effective
                ),
            ));
        }
    }
    Ok(buyer.id.to_string())
}

pub(crate) fn find_cart<'w>(world: &'w World, cart: &str) -> Result<&'w WebCart, ActionError> {
    world.cart(cart).ok_or_else(|| unknown("cart", cart))
}

/// What a cancel that passed its checks will touch.
enum CancelPlan {
    /// The documented effects: the operation (if valid) Canceled, the session
    /// archived, the cart Active. `operation` is `None` only in the lenient reading.
    Cancel {
        cart: String,
        session: String,
        operation: Option<String>,
    },
    /// The lenient reading, with no active session: nothing to cancel.
    Nothing { cart: String },
}

/// Cancel Cart Async Operation's six requirements, in the documented order.
fn check_cancel(
    world: &World,
    cart_id: &str,
    actor: Option<&str>,
) -> Result<CancelPlan, ActionError> {
    let cart = find_cart(world, cart_id)?;
    check_actor(
        world,
        cart,
        actor,
        Permission::CancelCheckout,
        ActorErrors {
            permission: ErrorKind::CancelNoPermission,
            account: ErrorKind::CancelInvalidEffectiveAccount,
            member: ErrorKind::CancelNotStoreMember,
            access: ErrorKind::CancelNoCartAccess,
        },
    )?;
    if cart.status == CartStatus::Closed {
        return Err(ActionError::new(
            ErrorKind::CancelCartClosed,
            format!("{cart_id} is Closed: its checkout is complete and the order was created"),
        ));
    }
    let lenient = settings_of_cart(world, cart_id).cancel_requirements == CancelReading::Lenient;
    let Some(session) = world.active_session(cart_id) else {
        if lenient {
            return Ok(CancelPlan::Nothing {
                cart: cart_id.to_string(),
            });
        }
        return Err(ActionError::new(
            ErrorKind::CancelNoActiveSession,
            format!("{cart_id} has no active CartCheckoutSession"),
        ));
    };
    let invalid = match &session.background_operation_id {
        None => Some(format!("{}.BackgroundOperationId is null", session.id)),
        Some(op) if world.operation(op).is_none() => Some(format!(
            "{}.BackgroundOperationId {} names no BackgroundOperation",
            session.id, op
        )),
        Some(_) => None,
    };
    if let Some(why) = invalid.as_ref().filter(|_| !lenient) {
        return Err(ActionError::new(
            ErrorKind::CancelInvalidOperationId,
            why.clone(),
        ));
    }
    Ok(CancelPlan::Cancel {
        cart: cart_id.to_string(),
        session: session.id.to_string(),
        operation: match invalid {
            None => session.background_operation_id.map(String::from),
            Some(_) => None,
        },
    })
}

/// The effects of a cancel: operation Canceled (if unfinished), session archived, cart Active.
fn apply_cancel(tx: &mut Tx, plan: &CancelPlan, cart_rule: Rule) {
    let (cart, session, operation) = match plan {
        CancelPlan::Nothing { cart } => {
            tx.noted(
                RecordKind::WebCart,
                cart,
                "no active CartCheckoutSession; nothing changes".to_string(),
                Rule::CancelNothingToCancel,
            );
            return;
        }
        CancelPlan::Cancel {
            cart,
            session,
            operation,
        } => (cart.as_str(), session.as_str(), operation.as_deref()),
    };
    match operation {
        Some(op) => cancel_operation(tx, op, Rule::CancelMarksOperation),
        None => tx.noted(
            RecordKind::CartCheckoutSession,
            session,
            "BackgroundOperationId names no BackgroundOperation; none is canceled".to_string(),
            Rule::CancelWithoutOperation,
        ),
    }
    tx.edit(
        session,
        &[SessionField::IsArchived],
        Rule::CancelArchivesSession,
        |s| s.is_archived = true,
    );
    tx.edit(
        session,
        &[SessionField::IsProcessing],
        Rule::CancelStopsProcessing,
        |s| s.is_processing = false,
    );
    tx.edit(cart, &[CartField::Status], cart_rule, |c| {
        c.status = CartStatus::Active;
    });
}

fn start_checkout(tx: &mut Tx, cart_id: &str, actor: Option<&str>) -> Result<(), ActionError> {
    let world = &*tx.world;
    let cart = find_cart(world, cart_id)?;
    check_actor(
        world,
        cart,
        actor,
        Permission::Checkout,
        ActorErrors {
            permission: ErrorKind::CheckoutNoPermission,
            account: ErrorKind::CheckoutInvalidEffectiveAccount,
            member: ErrorKind::CheckoutNotStoreMember,
            access: ErrorKind::CheckoutNoCartAccess,
        },
    )?;
    let settings = settings_of_cart(world, cart_id);
    if settings.checkout_ttl == Some(0) {
        return Err(ActionError::new(
            ErrorKind::CheckoutDisabled,
            format!(
                "store {}'s CheckoutTimeToLive is 0: checkout is disabled",
                cart.store
            ),
        ));
    }
    if super::checkout::flow_returns_to_expired(tx, cart_id) {
        return Ok(());
    }
    let world = &*tx.world;
    let cart = find_cart(world, cart_id)?;
    if settings.checkout_session == CheckoutSessionReading::GetOrCreate {
        if !matches!(cart.status, CartStatus::Active | CartStatus::Checkout) {
            return Err(ActionError::new(
                ErrorKind::CheckoutCartNotActiveOrCheckout,
                format!("{cart_id} is {}, not Active or Checkout", cart.status),
            ));
        }
        if let Some(session) = world.active_session(cart_id) {
            let text = format!(
                "returned to the buyer unchanged (State {}, IsProcessing {})",
                session.state, session.is_processing
            );
            let id = session.id;
            tx.noted(
                RecordKind::CartCheckoutSession,
                &id,
                text,
                Rule::CheckoutReturnsSession,
            );
            return Ok(());
        }
    }
    // A cart in Checkout with a live session is the documented "already in progress";
    // any other status that is not Active (a Closed cart above all) is named as such.
    let active = world.active_session(cart_id);
    if let Some(session) =
        active.filter(|_| matches!(cart.status, CartStatus::Active | CartStatus::Checkout))
    {
        return Err(ActionError::new(
            ErrorKind::CheckoutAlreadyInProgress,
            format!(
                "Cart Is Already in Progress: {} is its active CartCheckoutSession",
                session.id
            ),
        ));
    }
    if cart.status != CartStatus::Active
        && settings.checkout_session == CheckoutSessionReading::Strict
    {
        return Err(ActionError::new(
            ErrorKind::CheckoutCartNotActive,
            format!("{cart_id} is {}, not Active", cart.status),
        ));
    }
    let first_state = world
        .store(&cart.store)
        .and_then(|s| s.checkout_flow.first())
        .map(|s| s.state.clone())
        .unwrap_or_default();
    if settings.validation_on_start == ValidationOnStart::Clear {
        clear_validation(tx, cart_id);
    }
    let session_id = tx.world.next_id(IdKind::Session);
    let now = i64::try_from(tx.world.tick).unwrap_or(i64::MAX);
    tx.world.insert(CartCheckoutSession {
        id: session_id,
        cart: Id::new(cart_id),
        state: first_state,
        started_at: now,
        ..CartCheckoutSession::default()
    });
    tx.created(
        RecordKind::CartCheckoutSession,
        &session_id,
        format!("for {cart_id}"),
        Rule::CheckoutCreatesSession,
    );
    tx.edit(
        cart_id,
        &[CartField::Status],
        Rule::CheckoutLocksCart,
        |c| {
            c.status = CartStatus::Checkout;
        },
    );
    enter_state(tx, &session_id, 0, Rule::CheckoutCreatesSession);
    Ok(())
}

fn add_to_cart(
    tx: &mut Tx,
    cart_id: &str,
    sku: &str,
    quantity: &Quantity,
    actor: Option<&str>,
) -> Result<(), ActionError> {
    let world = &*tx.world;
    let cart = find_cart(world, cart_id)?;
    let actor_id = check_actor(
        world,
        cart,
        actor,
        Permission::EditCart,
        ActorErrors {
            permission: ErrorKind::AddNoPermission,
            account: ErrorKind::AddInvalidEffectiveAccount,
            member: ErrorKind::AddNotStoreMember,
            access: ErrorKind::AddNoCartAccess,
        },
    )?;
    if !cart.status.allows_changes() {
        return Err(ActionError::new(
            ErrorKind::AddCartNotModifiable,
            format!("{cart_id} is {} and may not be modified", cart.status),
        ));
    }
    world.product(sku).ok_or_else(|| unknown("product", sku))?;
    let already = cart
        .items
        .iter()
        .find(|i| i.sku == sku)
        .map_or(0, |i| i.quantity);
    let amount = match quantity {
        Quantity::Whole(n) if *n > 0 && already + *n <= MAX_LINE_QUANTITY => *n,
        Quantity::Whole(n) if *n > 0 => {
            return Err(ActionError::new(
                ErrorKind::AddInvalidQuantity,
                format!(
                    "{already} + {n} of {sku} would exceed {MAX_LINE_QUANTITY} on one cart line"
                ),
            ));
        }
        Quantity::Whole(n) => {
            return Err(ActionError::new(
                ErrorKind::AddInvalidQuantity,
                format!("quantity {n} is not a positive whole number"),
            ));
        }
        Quantity::Other(text) => {
            return Err(ActionError::new(
                ErrorKind::AddInvalidQuantity,
                format!("quantity {text} is not a positive whole number"),
            ));
        }
    };
    // An lwr store keeps the cart in Checkout and reruns calculators instead.
    let lwr = settings_of_cart(world, cart_id).template == Template::Lwr;
    if lwr {
        super::rest::check_cart_change(world, cart_id)?;
    }
    let lwr_cancels = lwr && super::rest::cleanup_cancels(world, cart_id);
    let store_mode = match world.store(&cart.store) {
        _ if lwr_cancels => OnCartChange::CancelCheckout,
        _ if lwr => OnCartChange::Recalculate,
        Some(s) => s.on_cart_change,
        None => OnCartChange::CancelCheckout,
    };
    let in_checkout = cart.status == CartStatus::Checkout;
    let touched = cart.touched_by_custom_code;
    // Check the cancel's requirements too before changing anything.
    let cancel = if in_checkout && store_mode == OnCartChange::CancelCheckout {
        Some(check_cancel(world, cart_id, Some(&actor_id))?)
    } else {
        None
    };
    let restart = if in_checkout && store_mode == OnCartChange::Recalculate && !lwr {
        world
            .active_session(cart_id)
            .map(|s| (s.id, s.background_operation_id.unwrap_or_default()))
    } else {
        None
    };

    if let Some(plan) = cancel {
        apply_cancel(tx, &plan, Rule::CartChangeCancelsCheckout);
    }
    // Every save increments the cart's version; the log shows the version once
    // custom code has saved the cart, where it explains "cart is currently in use".
    let fields: &[CartField] = if touched {
        &[
            CartField::TotalProductCount,
            CartField::UniqueProductCount,
            CartField::TotalProductAmount,
            CartField::Version,
        ]
    } else {
        &[
            CartField::TotalProductCount,
            CartField::UniqueProductCount,
            CartField::TotalProductAmount,
        ]
    };
    tx.edit(cart_id, fields, Rule::AddToCartAddsItem, |c| {
        match c.items.iter_mut().find(|i| i.sku == sku) {
            Some(line) => line.quantity += amount,
            None => c.items.push(CartItem {
                sku: Id::new(sku),
                quantity: amount,
            }),
        }
        c.version += 1;
    });
    if lwr && in_checkout && !lwr_cancels {
        super::rest::after_item_change(tx, cart_id);
    }
    if let Some((session, operation)) = restart {
        cancel_operation(tx, &operation, Rule::CartChangeRecalculates);
        tx.edit(
            &session,
            &[SessionField::IsError],
            Rule::CartChangeRecalculates,
            |s| s.is_error = false,
        );
        enter_state(tx, &session, 0, Rule::CartChangeRecalculates);
    }
    Ok(())
}

fn continue_checkout(tx: &mut Tx, cart_id: &str, actor: Option<&str>) -> Result<(), ActionError> {
    let world = &*tx.world;
    let cart = find_cart(world, cart_id)?;
    check_actor(
        world,
        cart,
        actor,
        Permission::Checkout,
        ActorErrors {
            permission: ErrorKind::ContinueNoPermission,
            account: ErrorKind::ContinueInvalidEffectiveAccount,
            member: ErrorKind::ContinueNotStoreMember,
            access: ErrorKind::ContinueNoCartAccess,
        },
    )?;
    if super::checkout::flow_returns_to_expired(tx, cart_id) {
        return Ok(());
    }
    let world = &*tx.world;
    #[allow(unused_variables)]
    let cart = find_cart(world, cart_id)?;
    let session = world.active_session(cart_id).ok_or_else(|| {
        ActionError::new(
            ErrorKind::ContinueNoActiveSession,
            format!("{cart_id} has no active CartCheckoutSession"),
        )
    })?;
    if session.is_processing {
        let kind = match settings_of_cart(world, cart_id).continue_while_processing {
            ContinueWhileProcessing::CheckoutConflict => ErrorKind::ContinueWhileProcessing,
            ContinueWhileProcessing::AlreadyInProcess => ErrorKind::ContinueAlreadyInProcess,
        };
        return Err(ActionError::new(
            kind,
            format!(
                "{} is still processing {} ({})",
                session.id,
                session.state,
                session.background_operation_id.as_deref().unwrap_or("null")
            ),
        ));
    }
    let session_id = session.id;
    let flow = world
        .store(&cart.store)
        .map(|s| s.checkout_flow.clone())
        .unwrap_or_else(|| super::flow::Flow::from(vec![]));
    // The first buyer state of that name (a file's flow names each state once).
    let index = flow
        .place(&session.state)
        .filter(|&i| flow[i].is_buyer())
        .or_else(|| {
            flow.iter()
                .position(|s| s.state == session.state && s.is_buyer())
        });
    let Some(index) = index.filter(|_| !session.is_error) else {
        let error = ActionError::new(
            ErrorKind::ContinueStateMismatch,
            format!(
                "{} is in State {}, not a state that waits for the buyer",
                session.id, session.state
            ),
        );
        // After an error the storefront shows its error screen (the sample's error subflow).
        return Err(if session.is_error {
            error.with_screen(crate::engine::errors::SOMETHING_WENT_WRONG)
        } else {
            error
        });
    };
    if index + 1 == flow.len() {
        complete(tx, &session_id, Rule::BuyerContinues);
    } else {
        enter_state(tx, &session_id, index + 1, Rule::BuyerContinues);
    }
    Ok(())
}

fn inject_fault(
    tx: &mut Tx,
    cart_id: &str,
    message: &str,
    level: ValidationLevel,
    kind: Option<ValidationType>,
) -> Result<(), ActionError> {
    find_cart(tx.world, cart_id)?;
    let running = tx
        .world
        .active_session(cart_id)
        .and_then(|s| s.background_operation_id.as_deref())
        .and_then(|id| tx.world.operation(id))
        .filter(|op| op.status.in_progress())
        .map(|op| op.id);
    let Some(op_id) = running else {
        return Err(ActionError::new(
            ErrorKind::FailNoRunningOperation,
            format!("{cart_id}'s active session has no running background operation"),
        ));
    };
    let left = tx
        .world
        .operation(&op_id)
        .map_or(0, |o| tx.world.ticks_left(o));
    tx.world.edit(&op_id, |op: &mut BackgroundOperation| {
        op.pending_fault = Some(Fault {
            message: message.to_string(),
            level,
            kind: kind.unwrap_or_else(|| match op.calculator_after(left) {
                Some(calculator) => calculator.row_type(),
                None => ValidationType::for_operation(&op.name),
            }),
        });
    });
    Ok(())
}

/// Custom code saves the cart: no permission checks, the version goes up. Armed for
/// the next call, it saves inside the cart's next PUT, PATCH or DELETE instead.
fn custom_update(tx: &mut Tx, cart_id: &str, during_next_call: bool) -> Result<(), ActionError> {
    find_cart(tx.world, cart_id)?;
    if during_next_call {
        tx.world.edit(cart_id, |c: &mut WebCart| {
            c.custom_code_armed = true;
        });
        tx.noted(
            RecordKind::WebCart,
            cart_id,
            "custom code will save the cart inside its next PUT, PATCH or DELETE".to_string(),
            Rule::CustomCodeDuringCall,
        );
        return Ok(());
    }
    tx.edit(
        cart_id,
        &[CartField::Version],
        Rule::CustomCodeSavesCart,
        |c| {
            c.version += 1;
            c.touched_by_custom_code = true;
            c.last_custom_save = Some(c.version);
        },
    );
    Ok(())
}

/// Deletes every CartValidationOutput of a cart (Checkout Session, format 2).
pub(crate) fn clear_validation(tx: &mut Tx, cart_id: &str) {
    remove_validation_rows(tx, cart_id, |_| true, Rule::CheckoutClearsValidation);
}

/// Deletes the CartValidationOutputs of a cart that `which` picks, logging each removal
/// with `rule`.
pub(crate) fn remove_validation_rows(
    tx: &mut Tx,
    cart_id: &str,
    which: impl Fn(&CartValidationOutput) -> bool,
    rule: Rule,
) {
    let rows: Vec<(Id, String)> = tx
        .world
        .validation_outputs_of(cart_id)
        .filter(|v| which(v))
        .map(|v| (v.id, format!("{} {}: {}", v.level, v.kind, v.message)))
        .collect();
    for (id, description) in rows {
        tx.world.remove::<CartValidationOutput>(&id);
        tx.removed(RecordKind::CartValidationOutput, &id, description, rule);
    }
}

fn edit_permission(
    tx: &mut Tx,
    buyer: &str,
    permission: Permission,
    grant: bool,
) -> Result<(), ActionError> {
    tx.world
        .buyer(buyer)
        .ok_or_else(|| unknown("buyer", buyer))?;
    tx.edit(buyer, &[BuyerField::Permissions], Rule::WorldEdit, |b| {
        b.permissions.retain(|p| *p != permission);
        if grant {
            b.permissions.push(permission);
            b.permissions.sort();
        }
    });
    Ok(())
}

fn switch_account(tx: &mut Tx, buyer: &str, account: &str) -> Result<(), ActionError> {
    tx.world
        .buyer(buyer)
        .ok_or_else(|| unknown("buyer", buyer))?;
    tx.world
        .account(account)
        .ok_or_else(|| unknown("account", account))?;
    tx.edit(
        buyer,
        &[BuyerField::EffectiveAccount],
        Rule::WorldEdit,
        |b| {
            b.effective_account = Id::new(account);
        },
    );
    Ok(())
}

fn edit_membership(tx: &mut Tx, account: &str, store: &str, join: bool) -> Result<(), ActionError> {
    tx.world
        .account(account)
        .ok_or_else(|| unknown("account", account))?;
    tx.world
        .store(store)
        .ok_or_else(|| unknown("store", store))?;
    tx.edit(account, &[AccountField::Stores], Rule::WorldEdit, |a| {
        a.stores.retain(|s| s != store);
        if join {
            a.stores.push(Id::new(store));
        }
    });
    Ok(())
}

/// Changes one store setting through [`StoreSettings::set`], the parser every setting
/// goes through; `template` is fixed for the run. Logged on the store, with the setting's
/// key as the field.
fn set_setting(
    tx: &mut Tx,
    store: &str,
    key: &str,
    value: super::settings::SettingValue,
) -> Result<(), ActionError> {
    let setting = super::settings::setting(key)
        .filter(|s| s.changeable)
        .ok_or_else(|| {
            ActionError::new(
                ErrorKind::UnknownSetting,
                format!("{key:?} is not a store setting a scenario may change"),
            )
        })?;
    let current = tx
        .world
        .store(store)
        .ok_or_else(|| unknown("store", store))?
        .settings;
    let mut settings = current;
    settings
        .set(key, super::settings::SettingInput::Value(value))
        .map_err(|e| ActionError::new(ErrorKind::UnknownSetting, e.to_string()))?;
    let old = setting.get(&current);
    let new = setting.get(&settings);
    tx.world.edit(store, |s: &mut Store| {
        s.settings = settings;
    });
    if old != new {
        tx.changes.push(Change {
            tick: tx.world.tick,
            kind: RecordKind::WebStore,
            record: store.to_string(),
            field: Some(setting.label),
            old: setting_field(old),
            new: setting_field(new),
            rule: Rule::SettingChanged,
        });
    }
    Ok(())
}

/// A setting's value as the log shows it.
fn setting_field(value: super::settings::SettingValue) -> FieldValue {
    use super::settings::SettingValue;
    match value {
        SettingValue::Name(n) => FieldValue::Text(n.to_string()),
        SettingValue::Ticks(n) => FieldValue::opt_int(n),
        SettingValue::Rate(r) => FieldValue::Text(r.to_string()),
    }
}

impl Action {
    /// The same buyer action, taken by `buyer` instead of the cart's owner (the `as` key).
    /// Actions without an actor are returned unchanged.
    pub fn with_actor(mut self, buyer: &str) -> Action {
        self.set_actor(buyer);
        self
    }
}
