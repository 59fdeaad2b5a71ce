//! Virtual time: ticks pass, operations progress and finish in launch order.

use super::checkout::finish_operation;
use super::model::OperationStatus;
use super::rules::Rule;
use super::tx::Tx;

/// Lets `ticks` ticks pass. Stretches in which nothing can finish are skipped in one
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

/// True while some operation is New or Running.
pub(crate) fn busy(tx: &Tx) -> bool {
    tx.world.operations.iter().any(|o| o.status.in_progress())
}

/// How many ticks until the next tick at which something happens (at least 1), or
/// `None` when nothing is in progress.
pub(crate) fn ticks_until_next_event(tx: &Tx) -> Option<u64> {
    tx.world
        .operations
        .iter()
        .filter(|o| o.status.in_progress())
        .map(|o| {
            if o.status == OperationStatus::New || o.pending_fault.is_some() {
                1
            } else {
                o.ticks_left.max(1)
            }
        })
        .min()
}

/// Advances `n` ticks in which no operation starts or finishes.
fn skip_quiet(tx: &mut Tx, n: u64) {
    tx.world.tick += n;
    for op in tx.world.operations.iter_mut() {
        if op.status == OperationStatus::Running {
            op.ticks_left = op.ticks_left.saturating_sub(n);
        }
    }
}

/// One tick: every operation that was in progress when the tick began moves, in launch
/// order. Operations launched during this tick wait for the next one.
fn one_tick(tx: &mut Tx) {
    tx.world.tick += 1;
    let now = tx.world.tick;
    let moving: Vec<String> = tx
        .world
        .operations
        .iter()
        .filter(|o| o.status.in_progress())
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
        if op.status == OperationStatus::New {
            tx.edit(&id, &["Status", "StartedAt"], Rule::OperationStarts, |w| {
                if let Some(op) = w.operation_mut(&id) {
                    op.status = OperationStatus::Running;
                    op.started_at = Some(now);
                }
            });
            continue;
        }
        if let Some(message) = op.pending_fault.clone() {
            finish_operation(tx, &id, Some(message));
            continue;
        }
        let done = op.ticks_left <= 1;
        if let Some(op) = tx.world.operation_mut(&id) {
            op.ticks_left = op.ticks_left.saturating_sub(1);
        }
        if done {
            finish_operation(tx, &id, None);
        }
    }
}
