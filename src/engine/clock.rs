//! Virtual time: ticks pass, operations progress and finish in launch order, checkouts
//! past their time-to-live expire, and finished operations past ExpiresAt leave the queue.

use super::change::RecordKind;
use super::checkout::{
    Ending, checkout_deadline, expire_checkout, expires_eagerly, finish_operation, write_validation,
};
use super::fields::OperationField;
use super::model::{
    BackgroundOperation, CartCheckoutSession, OperationStatus, StoreSettings, ValidationLevel,
};
use super::rules::Rule;
use super::tx::Tx;
use super::world::World;

/// Lets `ticks` ticks pass. Stretches in which nothing can happen are skipped in one
/// jump, so a long wait costs no more than a short one.
pub(crate) fn advance(tx: &mut Tx, mut ticks: u64) {
    while ticks > 0 {
        let quiet = ticks_until_next_event(tx)
            .map_or(ticks, |n| n - 1)
            .min(ticks);
        if quiet > 0 {
            skip_quiet(tx, quiet);
            ticks -= quiet;
            continue;
        }
        one_tick(tx);
        ticks -= 1;
    }
}

/// Whether any checkout can expire: some store (or the settings of a session whose
/// store is missing) has a time-to-live other than 0. When none can, time need not look
/// at the sessions at all.
fn checkouts_can_expire(world: &World) -> bool {
    let expires = |s: &StoreSettings| {
        expires_eagerly(s)
            && (s.checkout_ttl.is_some_and(|t| t > 0) || s.checkout_valid_after.is_some())
    };
    expires(&StoreSettings::default()) || world.stores.iter().any(|s| expires(&s.settings))
}

/// True while some operation is in progress (New, Scheduled, Waiting or Running).
pub(crate) fn busy(tx: &Tx) -> bool {
    tx.world.operations_in_progress().next().is_some()
}

/// How many ticks until the next tick at which something happens (at least 1), or
/// `None` when nothing is scheduled.
pub(crate) fn ticks_until_next_event(tx: &Tx) -> Option<u64> {
    let now = tx.world.tick;
    let running = tx
        .world
        .operations_in_progress()
        .map(|o| {
            if o.status.queued() || o.pending_fault.is_some() {
                1
            } else {
                o.ticks_left.max(1)
            }
        })
        .min();
    let leaving = tx
        .world
        .next_expiry()
        .map(|at| at.saturating_sub(now).max(1));
    let operations = match (running, leaving) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let checkouts = checkouts_can_expire(tx.world)
        .then(|| tx.world.live_sessions())
        .into_iter()
        .flatten()
        .filter(|s| eager_session(tx.world, s))
        .filter_map(|s| checkout_deadline(tx.world, s))
        .map(|at| at.saturating_sub(now).max(1))
        .min();
    match (operations, checkouts) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Advances `n` ticks in which no operation starts or finishes and nothing expires.
fn skip_quiet(tx: &mut Tx, n: u64) {
    tx.world.tick += n;
    let running: Vec<String> = tx
        .world
        .operations_in_progress()
        .filter(|o| o.status == OperationStatus::Running)
        .map(|o| o.id.clone())
        .collect();
    for id in running {
        tx.world.edit(&id, |op: &mut BackgroundOperation| {
            op.ticks_left = op.ticks_left.saturating_sub(n);
        });
    }
}

/// One tick: every operation that was in progress when the tick began moves, in launch
/// order (operations launched during this tick wait for the next one); then checkouts
/// whose time-to-live has passed expire; then finished operations past ExpiresAt leave
/// the queue.
fn one_tick(tx: &mut Tx) {
    tx.world.tick += 1;
    let now = tx.world.tick;
    let moving: Vec<String> = tx
        .world
        .operations_in_progress()
        .map(|o| o.id.clone())
        .collect();
    for id in moving {
        let Some(op) = tx.world.operation(&id) else {
            continue;
        };
        // An earlier finish in this same tick may have canceled it.
        if !op.status.in_progress() {
            continue;
        }
        if op.status.queued() {
            tx.edit(
                &id,
                &[OperationField::Status, OperationField::StartedAt],
                Rule::OperationStarts,
                |op| {
                    op.status = OperationStatus::Running;
                    op.started_at = Some(now);
                },
            );
            continue;
        }
        if let Some(fault) = op.pending_fault.clone() {
            // A Warning or Info row from one calculator of a Cart Calculate does not
            // stop the others: the row is written and the calculation goes on.
            let calculating = !op.calculators.is_empty();
            if calculating && fault.level != ValidationLevel::Error {
                let cart = op.launched_for.as_ref().map(|(c, _)| c.clone());
                tx.world.edit(&id, |o: &mut BackgroundOperation| {
                    o.pending_fault = None;
                });
                if let Some(cart) = cart {
                    write_validation(tx, &cart, Some(&id), fault, Rule::WarningDoesNotStop);
                }
            } else {
                finish_operation(tx, &id, Ending::Fault(fault));
                continue;
            }
        }
        let Some(op) = tx.world.operation(&id) else {
            continue;
        };
        let done = op.ticks_left <= 1;
        let stale = op.launched_for.as_ref().is_some_and(|(cart, version)| {
            tx.world.cart(cart).is_some_and(|c| c.version != *version)
        });
        tx.world.edit(&id, |op: &mut BackgroundOperation| {
            op.ticks_left = op.ticks_left.saturating_sub(1);
        });
        if done {
            let ending = if stale {
                Ending::CartInUse
            } else {
                Ending::Done
            };
            finish_operation(tx, &id, ending);
        }
    }
    let expired: Vec<String> = checkouts_can_expire(tx.world)
        .then(|| tx.world.live_sessions())
        .into_iter()
        .flatten()
        .filter(|s| eager_session(tx.world, s))
        .filter(|s| checkout_deadline(tx.world, s).is_some_and(|at| at <= now))
        .map(|s| s.id.clone())
        .collect();
    for session in expired {
        expire_checkout(tx, &session);
    }
    let leaving: Vec<(String, String)> = tx
        .world
        .operations_expired_by(now)
        .into_iter()
        .map(|o| (o.id.clone(), format!("{}, {}", o.name, o.status)))
        .collect();
    for (id, description) in leaving {
        tx.world.remove::<BackgroundOperation>(&id);
        tx.removed(
            RecordKind::BackgroundOperation,
            &id,
            description,
            Rule::OperationLeavesQueue,
        );
    }
}

/// Whether the clock expires this session's checkout at its deadline.
fn eager_session(world: &World, session: &CartCheckoutSession) -> bool {
    world.store_of_cart(&session.cart).map_or_else(
        || expires_eagerly(&StoreSettings::default()),
        |s| expires_eagerly(&s.settings),
    )
}
