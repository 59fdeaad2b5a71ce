//! How a checkout session walks its flow: entering states, launching operations,
//! advancing when an operation finishes, and placing the order.

use super::change::RecordKind;
use super::flow::{COMPLETE, ERROR, FlowStep, StepKind};
use super::model::{BackgroundOperation, CartStatus, OperationStatus, Order};
use super::rules::Rule;
use super::tx::Tx;
use super::world::IdKind;
use std::sync::Arc;

/// The flow of the store that owns a session's cart.
pub(crate) fn flow_of_session(tx: &Tx, session_id: &str) -> Option<Arc<[FlowStep]>> {
    let session = tx.world.session(session_id)?;
    let cart = tx.world.cart(&session.cart)?;
    tx.world
        .store(&cart.store)
        .map(|s| Arc::clone(&s.checkout_flow))
}

/// Puts the session into flow state `index` (or places the order past the last one).
/// An asynchronous state launches its operation at once.
pub(crate) fn enter_state(tx: &mut Tx, session_id: &str, index: usize, rule: Rule) {
    let Some(flow) = flow_of_session(tx, session_id) else {
        return;
    };
    let Some(step) = flow.get(index) else {
        place_order(tx, session_id, rule);
        return;
    };
    let state = step.state.clone();
    match &step.kind {
        StepKind::Async { operation, ticks } => {
            let next = flow
                .get(index + 1)
                .map_or(COMPLETE.to_string(), |s| s.state.clone());
            tx.edit(session_id, &["State", "NextState"], rule, |w| {
                if let Some(s) = w.session_mut(session_id) {
                    s.state = state;
                    s.next_state = Some(next);
                }
            });
            let op_id = launch(tx, operation, *ticks);
            tx.edit(
                session_id,
                &["IsProcessing", "BackgroundOperationId"],
                Rule::StateLaunchesOperation,
                |w| {
                    if let Some(s) = w.session_mut(session_id) {
                        s.is_processing = true;
                        s.background_operation_id = Some(op_id);
                    }
                },
            );
        }
        StepKind::Buyer => {
            tx.edit(session_id, &["State"], rule, |w| {
                if let Some(s) = w.session_mut(session_id) {
                    s.state = state;
                }
            });
            tx.edit(
                session_id,
                &["NextState", "IsProcessing"],
                Rule::StateWaitsForBuyer,
                |w| {
                    if let Some(s) = w.session_mut(session_id) {
                        s.next_state = None;
                        s.is_processing = false;
                    }
                },
            );
        }
    }
}

/// Creates a Running background operation and returns its id.
fn launch(tx: &mut Tx, name: &str, ticks: u64) -> String {
    let id = tx.world.next_id(IdKind::Operation);
    let now = tx.world.tick;
    tx.world.operations.push(BackgroundOperation {
        id: id.clone(),
        name: name.to_string(),
        status: OperationStatus::Running,
        ticks_left: ticks,
        ticks_total: ticks,
        error: None,
        submitted_at: now,
        started_at: Some(now),
        finished_at: None,
        pending_fault: None,
    });
    tx.created(
        RecordKind::BackgroundOperation,
        &id,
        format!("{name}, Running, {ticks} tick{}", plural(ticks)),
        Rule::StateLaunchesOperation,
    );
    id
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The session's State becomes Complete, an order is created and the cart closes.
pub(crate) fn place_order(tx: &mut Tx, session_id: &str, rule: Rule) {
    let Some(cart_id) = tx.world.session(session_id).map(|s| s.cart.clone()) else {
        return;
    };
    let order_id = tx.world.next_id(IdKind::Order);
    tx.world.orders.push(Order {
        id: order_id.clone(),
        cart: cart_id.clone(),
        session: session_id.to_string(),
    });
    tx.edit(session_id, &["State"], rule, |w| {
        if let Some(s) = w.session_mut(session_id) {
            s.state = COMPLETE.to_string();
        }
    });
    tx.edit(
        session_id,
        &["NextState", "IsProcessing", "OrderId"],
        Rule::OrderPlaced,
        |w| {
            if let Some(s) = w.session_mut(session_id) {
                s.next_state = None;
                s.is_processing = false;
                s.order_id = Some(order_id);
            }
        },
    );
    tx.edit(&cart_id, &["Status"], Rule::OrderPlaced, |w| {
        if let Some(c) = w.cart_mut(&cart_id) {
            c.status = CartStatus::Closed;
        }
    });
}

/// An operation finished (successfully, or with `error`): mark it, then move every
/// session waiting on it.
pub(crate) fn finish_operation(tx: &mut Tx, op_id: &str, error: Option<String>) {
    let now = tx.world.tick;
    let failed = error.is_some();
    let rule = if failed {
        Rule::OperationFails
    } else {
        Rule::OperationCompletes
    };
    tx.edit(op_id, &["Status", "Error", "FinishedAt"], rule, |w| {
        if let Some(op) = w.operation_mut(op_id) {
            op.status = if failed {
                OperationStatus::Error
            } else {
                OperationStatus::Complete
            };
            op.ticks_left = 0;
            op.error = error;
            op.finished_at = Some(now);
            op.pending_fault = None;
        }
    });
    let waiting: Vec<String> = tx
        .world
        .sessions
        .iter()
        .filter(|s| {
            !s.is_archived && s.is_processing && s.background_operation_id.as_deref() == Some(op_id)
        })
        .map(|s| s.id.clone())
        .collect();
    for session_id in waiting {
        if failed {
            session_errors(tx, &session_id);
        } else {
            session_advances(tx, &session_id);
        }
    }
}

/// On error: IsProcessing false, IsError true, State Error, NextState null.
fn session_errors(tx: &mut Tx, session_id: &str) {
    tx.edit(
        session_id,
        &["State", "NextState", "IsProcessing", "IsError"],
        Rule::SessionErrors,
        |w| {
            if let Some(s) = w.session_mut(session_id) {
                s.state = ERROR.to_string();
                s.next_state = None;
                s.is_processing = false;
                s.is_error = true;
            }
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
        tx.edit(session_id, &["IsProcessing"], Rule::SessionAdvances, |w| {
            if let Some(s) = w.session_mut(session_id) {
                s.is_processing = false;
            }
        });
        return;
    };
    if target == COMPLETE {
        place_order(tx, session_id, Rule::SessionAdvances);
        return;
    }
    let index = flow_of_session(tx, session_id)
        .and_then(|flow| flow.iter().position(|s| s.state == target));
    match index {
        Some(index) => enter_state(tx, session_id, index, Rule::SessionAdvances),
        None => {
            // A state the flow does not know (staged by a file): copy it and stop.
            tx.edit(
                session_id,
                &["State", "NextState", "IsProcessing"],
                Rule::SessionAdvances,
                |w| {
                    if let Some(s) = w.session_mut(session_id) {
                        s.state = target;
                        s.next_state = None;
                        s.is_processing = false;
                    }
                },
            );
        }
    }
}

/// Stops an operation that is still New or Running (a finished one keeps its status).
pub(crate) fn cancel_operation(tx: &mut Tx, op_id: &str, rule: Rule) {
    let now = tx.world.tick;
    tx.edit(op_id, &["Status", "FinishedAt"], rule, |w| {
        if let Some(op) = w.operation_mut(op_id)
            && op.status.in_progress()
        {
            op.status = OperationStatus::Canceled;
            op.finished_at = Some(now);
            op.pending_fault = None;
        }
    });
}
