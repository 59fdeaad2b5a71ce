//! How a checkout session walks its flow: entering states, launching operations,
//! advancing when an operation finishes, writing CartValidationOutputs, expiring, and
//! creating the order.

use super::change::RecordKind;
use super::errors::CART_IN_USE;
use super::fields::*;
use super::flow::{CART_TO_ORDER, COMPLETE, ERROR, Flow, StepKind};
use super::id::Id;
use super::model::*;
use super::rules::Rule;
use super::tx::Tx;
use super::world::{IdKind, World};

/// The flow of the store that owns a session's cart.
pub(crate) fn flow_of_session(world: &World, session_id: &str) -> Option<Flow> {
    let session = world.session(session_id)?;
    world
        .store_of_cart(&session.cart)
        .map(|s| s.checkout_flow.clone())
}

/// The settings of the store that owns a cart (a format 1 store's when it has none).
pub(crate) fn settings_of_cart(world: &World, cart: &str) -> StoreSettings {
    world
        .store_of_cart(cart)
        .map(|s| s.settings)
        .unwrap_or_default()
}

fn settings_of_session(world: &World, session_id: &str) -> StoreSettings {
    world
        .session(session_id)
        .map(|s| settings_of_cart(world, &s.cart))
        .unwrap_or_default()
}

/// Puts the session into flow state `index` (or completes the checkout past the last
/// one). An asynchronous state launches its operation at once; a synchronous state does
/// its work in the same instant and the flow moves on.
pub(crate) fn enter_state(tx: &mut Tx, session_id: &str, index: usize, rule: Rule) {
    let Some(flow) = flow_of_session(tx.world, session_id) else {
        return;
    };
    let (mut index, mut rule) = (index, rule);
    loop {
        let Some(step) = flow.get(index) else {
            complete(tx, session_id, rule);
            return;
        };
        let state = step.state.clone();
        let next = flow
            .get(index + 1)
            .map_or(COMPLETE.to_string(), |s| s.state.clone());
        match &step.kind {
            StepKind::Async { operation, ticks } => {
                tx.edit(
                    session_id,
                    &[SessionField::State, SessionField::NextState],
                    rule,
                    |s| {
                        s.state = state;
                        s.next_state = Some(next);
                    },
                );
                let cart = tx.world.session(session_id).map(|s| s.cart);
                let op_id = launch(tx, operation, *ticks, cart, Rule::StateLaunchesOperation);
                tx.edit(
                    session_id,
                    &[
                        SessionField::IsProcessing,
                        SessionField::BackgroundOperationId,
                    ],
                    Rule::StateLaunchesOperation,
                    |s| {
                        s.is_processing = true;
                        s.background_operation_id = Some(op_id);
                    },
                );
                return;
            }
            StepKind::Buyer => {
                tx.edit(session_id, &[SessionField::State], rule, |s| {
                    s.state = state
                });
                tx.edit(
                    session_id,
                    &[SessionField::NextState, SessionField::IsProcessing],
                    Rule::StateWaitsForBuyer,
                    |s| {
                        s.next_state = None;
                        s.is_processing = false;
                    },
                );
                return;
            }
            StepKind::Sync => {
                tx.edit(
                    session_id,
                    &[SessionField::State, SessionField::NextState],
                    rule,
                    |s| {
                        s.state = state;
                        s.next_state = Some(next);
                    },
                );
                tx.edit(
                    session_id,
                    &[SessionField::IsProcessing],
                    Rule::SyncStateRuns,
                    |s| s.is_processing = false,
                );
                index += 1;
                rule = Rule::SyncStateRuns;
            }
        }
    }
}

/// Creates a Running background operation for a cart's checkout and returns its id.
pub(crate) fn launch(tx: &mut Tx, name: &str, ticks: u64, cart: Option<Id>, rule: Rule) -> Id {
    let id = tx.world.next_id(IdKind::Operation);
    let now = tx.world.tick;
    let launched_for = cart.and_then(|c| {
        let version = tx.world.cart(&c)?.version;
        Some((c, version))
    });
    tx.world.insert(BackgroundOperation {
        id,
        name: name.to_string(),
        status: OperationStatus::Running,
        work: BackgroundOperation::work_for(OperationStatus::Running, ticks, now),
        ticks_total: ticks,
        error: None,
        submitted_at: now,
        started_at: Some(now),
        finished_at: None,
        pending_fault: None,
        launched_for,
        ended_at: None,
        expires_at: None,
        calculators: Vec::new(),
    });
    tx.created(
        RecordKind::BackgroundOperation,
        &id,
        format!("{name}, Running, {ticks} tick{}", plural(ticks)),
        rule,
    );
    id
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Creates an order for the session's cart and sets the session's OrderId.
pub(crate) fn create_order(tx: &mut Tx, session_id: &str, rule: Rule) {
    let Some(cart_id) = tx.world.session(session_id).map(|s| s.cart) else {
        return;
    };
    let order_id = tx.world.next_id(IdKind::Order);
    tx.world.insert(Order {
        id: order_id,
        cart: cart_id,
        session: Id::new(session_id),
    });
    tx.edit(session_id, &[SessionField::OrderId], rule, |s| {
        s.order_id = Some(order_id);
    });
}

/// The checkout is done: State Complete, the order exists, the cart is Closed. With
/// `order_created: at_completion` (format 1) the order is created here; with
/// `at_cart_to_order` it was created by Cart to Order, unless the flow has none.
pub(crate) fn complete(tx: &mut Tx, session_id: &str, rule: Rule) {
    let Some(cart_id) = tx.world.session(session_id).map(|s| s.cart) else {
        return;
    };
    let settings = settings_of_cart(tx.world, &cart_id);
    match settings.order_created {
        OrderCreated::AtCompletion => {
            let order_id = tx.world.next_id(IdKind::Order);
            tx.world.insert(Order {
                id: order_id,
                cart: cart_id,
                session: Id::new(session_id),
            });
            tx.edit(session_id, &[SessionField::State], rule, |s| {
                s.state = COMPLETE.to_string();
            });
            tx.edit(
                session_id,
                &[
                    SessionField::NextState,
                    SessionField::IsProcessing,
                    SessionField::OrderId,
                ],
                Rule::OrderPlaced,
                |s| {
                    s.next_state = None;
                    s.is_processing = false;
                    s.order_id = Some(order_id);
                },
            );
            tx.edit(&cart_id, &[CartField::Status], Rule::OrderPlaced, |c| {
                c.status = CartStatus::Closed;
            });
        }
        OrderCreated::AtCartToOrder => {
            let has_order = tx
                .world
                .session(session_id)
                .is_some_and(|s| s.order_id.is_some());
            if !has_order {
                create_order(tx, session_id, Rule::FlowEndClosesCart);
            }
            tx.edit(session_id, &[SessionField::State], rule, |s| {
                s.state = COMPLETE.to_string();
            });
            tx.edit(
                session_id,
                &[SessionField::NextState, SessionField::IsProcessing],
                Rule::FlowEndClosesCart,
                |s| {
                    s.next_state = None;
                    s.is_processing = false;
                },
            );
            tx.edit(
                &cart_id,
                &[CartField::Status],
                Rule::FlowEndClosesCart,
                |c| {
                    c.status = CartStatus::Closed;
                },
            );
        }
    }
}

/// How an operation ended.
pub(crate) enum Ending {
    /// Its work is done.
    Done,
    /// An injected fault.
    Fault(Fault),
    /// The cart was saved after the operation read it.
    CartInUse,
}

/// The cart an operation works for: the cart it was launched for, else the cart of a
/// session that names it.
fn cart_of_operation(world: &World, op_id: &str) -> Option<Id> {
    if let Some((cart, _)) = world.operation(op_id).and_then(|o| o.launched_for) {
        return Some(cart);
    }
    world
        .sessions_naming_operation(op_id)
        .next()
        .map(|s| s.cart)
}

/// An operation finished: mark it, record a CartValidationOutput for a fault or a
/// cart in use, create the order after Cart to Order, then move every session waiting
/// on it.
pub(crate) fn finish_operation(tx: &mut Tx, op_id: &str, ending: Ending) {
    let now = tx.world.tick;
    let cart = cart_of_operation(tx.world, op_id);
    let settings = cart
        .as_deref()
        .map(|c| settings_of_cart(tx.world, c))
        .unwrap_or_default();
    let (error, row, rule) = match ending {
        Ending::Done => (None, None, Rule::OperationCompletes),
        Ending::Fault(fault) if fault.level == ValidationLevel::Error => (
            Some(fault.message.clone()),
            Some((fault, Rule::IntegrationWritesValidation)),
            Rule::OperationFails,
        ),
        Ending::Fault(fault) => (None, Some((fault, Rule::WarningDoesNotStop)), {
            Rule::OperationCompletes
        }),
        Ending::CartInUse => (
            Some(CART_IN_USE.to_string()),
            Some((
                Fault {
                    message: CART_IN_USE.to_string(),
                    level: ValidationLevel::Error,
                    kind: ValidationType::SystemError,
                },
                Rule::CartInUse,
            )),
            Rule::CartInUse,
        ),
    };
    let failed = error.is_some();
    tx.edit(
        op_id,
        &[
            OperationField::Status,
            OperationField::Error,
            OperationField::FinishedAt,
        ],
        rule,
        |op| {
            op.status = if failed {
                OperationStatus::Error
            } else {
                OperationStatus::Complete
            };
            op.work = 0;
            op.error = error;
            op.finished_at = Some(now);
            op.ended_at = Some(now);
            op.pending_fault = None;
        },
    );
    set_expiry(tx, op_id, settings);
    if let (Some((fault, row_rule)), Some(cart)) = (row, cart.as_deref()) {
        write_validation(tx, cart, Some(op_id), fault, row_rule);
    }
    let waiting: Vec<Id> = tx
        .world
        .sessions_naming_operation(op_id)
        .filter(|s| !s.is_archived && s.is_processing)
        .map(|s| s.id)
        .collect();
    let creates_order = !failed
        && settings.order_created == OrderCreated::AtCartToOrder
        && tx
            .world
            .operation(op_id)
            .is_some_and(|o| o.name == CART_TO_ORDER);
    for session_id in waiting {
        // An lwr store's checkout runs calculators, not a flow.
        if super::rest::is_lwr_session(tx.world, &session_id) {
            super::rest::operation_finished(tx, &session_id, op_id, failed);
            continue;
        }
        if failed {
            session_errors(tx, &session_id);
            continue;
        }
        if creates_order
            && tx
                .world
                .session(&session_id)
                .is_some_and(|s| s.order_id.is_none())
        {
            create_order(tx, &session_id, Rule::CartToOrderCreatesOrder);
        }
        session_advances(tx, &session_id);
    }
}

/// Gives a finished operation its ExpiresAt, when its store has an `operation_expiry`.
fn set_expiry(tx: &mut Tx, op_id: &str, settings: StoreSettings) {
    let Some(after) = settings.operation_expiry else {
        return;
    };
    let now = tx.world.tick;
    tx.edit(
        op_id,
        &[OperationField::ExpiresAt],
        Rule::OperationExpirySet,
        |op| op.expires_at = Some(now.saturating_add(after)),
    );
}

/// Writes a CartValidationOutput row.
pub(crate) fn write_validation(
    tx: &mut Tx,
    cart: &str,
    op_id: Option<&str>,
    fault: Fault,
    rule: Rule,
) {
    let id = tx.world.next_id(IdKind::Validation);
    let description = format!(
        "{} {} on {cart}: {}",
        fault.level, fault.kind, fault.message
    );
    tx.world.insert(CartValidationOutput {
        id,
        cart: Id::new(cart),
        operation: op_id.map(Id::new),
        level: fault.level,
        kind: fault.kind,
        message: fault.message,
        related: Some(cart.to_string()),
        is_dismissed: false,
    });
    tx.created(RecordKind::CartValidationOutput, &id, description, rule);
}

/// On error: IsProcessing false, IsError true, State Error, NextState null.
fn session_errors(tx: &mut Tx, session_id: &str) {
    tx.edit(
        session_id,
        &[
            SessionField::State,
            SessionField::NextState,
            SessionField::IsProcessing,
            SessionField::IsError,
        ],
        Rule::SessionErrors,
        |s| {
            s.state = ERROR.to_string();
            s.next_state = None;
            s.is_processing = false;
            s.is_error = true;
        },
    );
}

/// On success: NextState is copied into State; an asynchronous next state launches.
fn session_advances(tx: &mut Tx, session_id: &str) {
    let Some(target) = tx
        .world
        .session(session_id)
        .and_then(|s| s.next_state.clone())
    else {
        tx.edit(
            session_id,
            &[SessionField::IsProcessing],
            Rule::SessionAdvances,
            |s| s.is_processing = false,
        );
        return;
    };
    if target == COMPLETE {
        complete(tx, session_id, Rule::SessionAdvances);
        return;
    }
    let index = flow_of_session(tx.world, session_id).and_then(|flow| flow.place(&target));
    match index {
        Some(index) => enter_state(tx, session_id, index, Rule::SessionAdvances),
        None => {
            // A state the flow does not know (staged by a file): copy it and stop.
            tx.edit(
                session_id,
                &[
                    SessionField::State,
                    SessionField::NextState,
                    SessionField::IsProcessing,
                ],
                Rule::SessionAdvances,
                |s| {
                    s.state = target;
                    s.next_state = None;
                    s.is_processing = false;
                },
            );
        }
    }
}

/// Stops an operation that is still in progress (a finished one keeps its status).
/// FinishedAt is set only where the store's `canceled_finished_at` says so.
pub(crate) fn cancel_operation(tx: &mut Tx, op_id: &str, rule: Rule) {
    let now = tx.world.tick;
    let in_progress = tx
        .world
        .operation(op_id)
        .is_some_and(|o| o.status.in_progress());
    if !in_progress {
        return;
    }
    let settings = cart_of_operation(tx.world, op_id)
        .map(|c| settings_of_cart(tx.world, &c))
        .unwrap_or_default();
    let stamp = settings.canceled_finished_at == CanceledFinishedAt::Set;
    // Canceled, it keeps the work it had left, which time no longer counts down.
    let left = tx.world.operation(op_id).map(|o| tx.world.ticks_left(o));
    tx.edit(
        op_id,
        &[OperationField::Status, OperationField::FinishedAt],
        rule,
        |op| {
            op.status = OperationStatus::Canceled;
            if let Some(left) = left {
                op.work = left;
            }
            if stamp {
                op.finished_at = Some(now);
            }
            op.ended_at = Some(now);
            op.pending_fault = None;
        },
    );
    set_expiry(tx, op_id, settings);
}

/// The checkout's time-to-live passed: its running operation is Canceled, the session
/// archived and the cart Active again.
pub(crate) fn expire_checkout(tx: &mut Tx, session_id: &str) {
    let Some((cart, op)) = tx
        .world
        .session(session_id)
        .map(|s| (s.cart, s.background_operation_id))
    else {
        return;
    };
    if let Some(op) = op {
        cancel_operation(tx, &op, Rule::CheckoutExpires);
    }
    tx.edit(
        session_id,
        &[SessionField::IsArchived, SessionField::IsProcessing],
        Rule::CheckoutExpires,
        |s| {
            s.is_archived = true;
            s.is_processing = false;
            s.rest.expired = true;
        },
    );
    tx.edit(&cart, &[CartField::Status], Rule::CheckoutExpires, |c| {
        if c.status == CartStatus::Checkout {
            c.status = CartStatus::Active;
        }
    });
}

/// When a session's checkout expires: its time to live after it started, or, for a
/// checkout started before the store's CheckoutValidAfterDate, that date; `None` when
/// neither applies or the checkout is finished.
pub fn checkout_deadline(world: &World, session: &CartCheckoutSession) -> Option<u64> {
    // An lwr checkout whose order was accepted no longer expires.
    if session.is_archived || session.state == COMPLETE || session.rest.order_reference.is_some() {
        return None;
    }
    let settings = settings_of_session(world, &session.id);
    let by_ttl = settings.checkout_ttl.filter(|t| *t > 0).map(|ttl| {
        session
            .started_at
            .saturating_add(i64::try_from(ttl).unwrap_or(i64::MAX))
    });
    let by_date = settings
        .checkout_valid_after
        .and_then(|at| i64::try_from(at).ok())
        .filter(|at| session.started_at < *at);
    let at = match (by_ttl, by_date) {
        (Some(a), Some(b)) => a.min(b),
        (a, b) => a.or(b)?,
    };
    Some(u64::try_from(at.max(0)).unwrap_or(0))
}

/// Whether the clock expires checkouts at their deadline (`checkout_expiry: eager`).
pub(crate) fn expires_eagerly(settings: &StoreSettings) -> bool {
    settings.checkout_expiry == CheckoutExpiry::Eager
}

/// `checkout_expiry: on_return`: whether a checkout has passed its deadline, so that
/// the buyer's next checkout action finds it expired.
pub(crate) fn checkout_expired(world: &World, session: &CartCheckoutSession) -> bool {
    let settings = settings_of_session(world, &session.id);
    !expires_eagerly(&settings)
        && checkout_deadline(world, session).is_some_and(|at| at <= world.tick)
}

/// `checkout_expiry: on_return`, `aura` stores: the buyer's start or continue finds the
/// checkout expired. Its running operation is canceled and the flow starts over at its
/// first state, so the integrations run again; the time to live starts over. True when
/// it did.
pub(crate) fn flow_returns_to_expired(tx: &mut Tx, cart_id: &str) -> bool {
    let Some(id) = restart_expired(
        tx,
        cart_id,
        true,
        "the buyer returned to an expired checkout: the flow starts over and its time to live with it",
    ) else {
        return false;
    };
    enter_state(tx, &id, 0, Rule::CheckoutRerunsOnReturn);
    true
}

/// `checkout_expiry: on_return`, both store kinds: when the cart's active checkout has
/// expired, its running operation is canceled, its time to live starts over and IsError
/// is cleared (and IsProcessing too, when `idle`), with `note` in the log. Returns the
/// session's id so the caller reruns the integrations its way; `None` when the checkout
/// has not expired.
pub(crate) fn restart_expired(
    tx: &mut Tx,
    cart_id: &str,
    idle: bool,
    note: &str,
) -> Option<String> {
    let session = tx.world.active_session(cart_id)?;
    if !checkout_expired(tx.world, session) {
        return None;
    }
    let id = session.id;
    if let Some(op) = session.background_operation_id {
        cancel_operation(tx, &op, Rule::CheckoutRerunsOnReturn);
    }
    let now = i64::try_from(tx.world.tick).unwrap_or(i64::MAX);
    let fields: &[SessionField] = if idle {
        &[SessionField::IsError, SessionField::IsProcessing]
    } else {
        &[SessionField::IsError]
    };
    tx.edit(&id, fields, Rule::CheckoutRerunsOnReturn, |s| {
        s.started_at = now;
        s.is_error = false;
        if idle {
            s.is_processing = false;
        }
    });
    tx.noted(
        RecordKind::CartCheckoutSession,
        &id,
        note.to_string(),
        Rule::CheckoutRerunsOnReturn,
    );
    Some(id.to_string())
}
