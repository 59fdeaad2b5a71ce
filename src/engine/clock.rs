//! Virtual time: ticks pass, operations progress and finish in launch order, checkouts
//! past their time-to-live expire, and finished operations past ExpiresAt leave the queue.

use super::change::RecordKind;
use super::checkout::{
    Ending, checkout_deadline, expire_checkout, expires_eagerly, finish_operation, write_validation,
};
use super::fields::OperationField;
use super::id::Id;
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

/// The settings under which the clock expires checkouts: those of each store whose
/// checkouts expire at their deadline with a time-to-live other than 0 or a
/// CheckoutValidAfterDate (and the defaults, which apply to a session whose store is
/// missing). Empty when no checkout can expire: time need not look at the sessions.
fn expiring_settings(world: &World) -> Vec<&StoreSettings> {
    let expires = |s: &StoreSettings| {
        expires_eagerly(s)
            && (s.checkout_ttl.is_some_and(|t| t > 0) || s.checkout_valid_after.is_some())
    };
    static DEFAULTS: std::sync::LazyLock<StoreSettings> =
        std::sync::LazyLock::new(StoreSettings::default);
    std::iter::once(&*DEFAULTS)
        .chain(world.stores.iter().map(|s| &s.settings))
        .filter(|s| expires(s))
        .collect()
}

/// The earliest deadline any of `settings` gives a checkout started at `started` (as
/// [`checkout_deadline`] computes one), or `None` when none gives it one. It never
/// decreases as `started` grows, which lets a walk of the sessions by StartedAt stop.
fn earliest_deadline(settings: &[&StoreSettings], started: i64) -> Option<i64> {
    settings
        .iter()
        .filter_map(|s| {
            let by_ttl = s
                .checkout_ttl
                .filter(|t| *t > 0)
                .map(|ttl| started.saturating_add(i64::try_from(ttl).unwrap_or(i64::MAX)));
            let by_date = s
                .checkout_valid_after
                .and_then(|at| i64::try_from(at).ok())
                .filter(|at| started < *at);
            match (by_ttl, by_date) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            }
        })
        .map(|at| at.max(0))
        .min()
}

/// The deadline of each checkout the clock expires that falls at or before `until`
/// (all of them with `until` `None`), walking the sessions by StartedAt only as far as a
/// deadline at or before `until` (or before the earliest found) is still possible.
fn eager_deadlines(world: &World, until: Option<u64>) -> Vec<(u64, &CartCheckoutSession)> {
    let settings = expiring_settings(world);
    let mut out = Vec::new();
    if settings.is_empty() {
        return out;
    }
    let mut earliest: Option<u64> = None;
    for s in world.expirable_sessions() {
        let Some(bound) = earliest_deadline(&settings, s.started_at) else {
            break;
        };
        let bound = u64::try_from(bound).unwrap_or(0);
        match until {
            Some(until) if bound > until => break,
            None if earliest.is_some_and(|e| bound > e) => break,
            _ => {}
        }
        if eager_session(world, s)
            && let Some(at) = checkout_deadline(world, s)
            && until.is_none_or(|u| at <= u)
        {
            earliest = Some(earliest.map_or(at, |e| e.min(at)));
            out.push((at, s));
        }
    }
    out
}

/// True while some operation is in progress (New, Scheduled, Waiting or Running).
pub(crate) fn busy(tx: &Tx) -> bool {
    tx.world.operations_in_progress().next().is_some()
}

/// How many ticks until the next tick at which something happens (at least 1), or
/// `None` when nothing is scheduled. Operations doing plain work do not count: each is
/// found by the tick its work is done.
pub(crate) fn ticks_until_next_event(tx: &Tx) -> Option<u64> {
    let now = tx.world.tick;
    let running = tx.world.next_due().map(|at| at.saturating_sub(now).max(1));
    let leaving = tx
        .world
        .next_expiry()
        .map(|at| at.saturating_sub(now).max(1));
    let operations = match (running, leaving) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let checkouts = eager_deadlines(tx.world, None)
        .into_iter()
        .map(|(at, _)| at.saturating_sub(now).max(1))
        .min();
    match (operations, checkouts) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Advances `n` ticks in which no operation starts or finishes and nothing expires. A
/// Running operation keeps the tick at which its work is done, so no record changes.
fn skip_quiet(tx: &mut Tx, n: u64) {
    tx.world.tick += n;
}

/// One tick: every operation that was in progress when the tick began moves, in launch
/// order (operations launched during this tick wait for the next one); then checkouts
/// whose time-to-live has passed expire; then finished operations past ExpiresAt leave
/// the queue. A Running operation whose work is not done by this tick only loses a
/// tick's work, which its record already says: only the operations due are visited.
fn one_tick(tx: &mut Tx) {
    tx.world.tick += 1;
    let now = tx.world.tick;
    let moving: Vec<Id> = tx.world.operations_due_by(now);
    let fresh = tx.world.operations.next_seq();
    for id in moving {
        let seq = tx.world.operations.seq(&id).unwrap_or(0);
        tx.world.clock_hand = Some((seq, fresh));
        let Some(op) = tx.world.operation(&id) else {
            continue;
        };
        // An earlier finish in this same tick may have canceled it.
        if !op.status.in_progress() {
            continue;
        }
        if op.status.queued() {
            let left = op.work;
            tx.edit(
                &id,
                &[OperationField::Status, OperationField::StartedAt],
                Rule::OperationStarts,
                |op| {
                    op.status = OperationStatus::Running;
                    op.started_at = Some(now);
                    // It starts working at the next tick.
                    op.work = BackgroundOperation::work_for(op.status, left, now);
                },
            );
            continue;
        }
        if let Some(fault) = op.pending_fault.clone() {
            // A Warning or Info row from one calculator of a Cart Calculate does not
            // stop the others: the row is written and the calculation goes on.
            let calculating = !op.calculators.is_empty();
            if calculating && fault.level != ValidationLevel::Error {
                let cart = op.launched_for.as_ref().map(|(c, _)| *c);
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
        // Its work is done at this tick when it had at most one tick of it left.
        let done = op.status == OperationStatus::Running && op.work <= now;
        let stale = op.launched_for.as_ref().is_some_and(|(cart, version)| {
            tx.world.cart(cart).is_some_and(|c| c.version != *version)
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
    tx.world.clock_hand = None;
    // Expired in creation order, as the sessions were made.
    let mut expired: Vec<(Option<u64>, Id)> = eager_deadlines(tx.world, Some(now))
        .into_iter()
        .map(|(_, s)| (tx.world.sessions.seq(&s.id), s.id))
        .collect();
    expired.sort();
    let expired = expired.into_iter().map(|(_, id)| id);
    for session in expired {
        expire_checkout(tx, &session);
    }
    let leaving: Vec<(Id, String)> = tx
        .world
        .operations_expired_by(now)
        .into_iter()
        .map(|o| (o.id, format!("{}, {}", o.name, o.status)))
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

#[cfg(test)]
mod tests {
    use crate::engine::builder::WorldBuilder;
    use crate::engine::id::Id;
    use crate::engine::model::{BackgroundOperation, CheckoutExpiry, Edition, OperationStatus};
    use crate::engine::{Action, Money, Rule};
    use std::sync::Arc;

    /// `bop-{i}`, Running since tick `launched` with `ticks` ticks of work.
    fn running(i: u64, ticks: u64, launched: u64) -> BackgroundOperation {
        let status = OperationStatus::Running;
        BackgroundOperation {
            id: Id::new(&format!("bop-{i}")),
            name: "Long Operation".into(),
            status,
            work: BackgroundOperation::work_for(status, ticks, launched),
            ticks_total: ticks,
            error: None,
            submitted_at: launched,
            started_at: Some(launched),
            finished_at: None,
            pending_fault: None,
            launched_for: None,
            ended_at: None,
            expires_at: None,
            calculators: Vec::new(),
        }
    }

    /// A long wait over many Running operations rewrites none of their records (each
    /// keeps the very record it had, not a copy), so a quiet stretch costs the same
    /// whatever the number of operations alive; yet the work left reads as counted down,
    /// and each operation finishes at its own tick, in launch order.
    #[test]
    fn a_quiet_wait_rewrites_no_running_operation() {
        const ALIVE: u64 = 200;
        let mut w = WorldBuilder::new().build();
        for i in 0..ALIVE {
            // The later launched finish first: the tick decides, not the launch order.
            let ticks = 1_000 + (ALIVE - 1 - i);
            w.insert(running(i, ticks, 0));
        }
        let kept: Vec<Arc<BackgroundOperation>> = w
            .operations
            .iter()
            .filter_map(|o| w.operations.shared(w.operations.seq(&o.id)?))
            .collect();
        assert_eq!(kept.len() as u64, ALIVE);
        assert!(w.apply(&Action::Wait { ticks: 999 }).result.is_ok());
        assert_eq!(w.tick, 999);
        for (i, was) in kept.iter().enumerate() {
            let now = w.operation(&was.id).expect("still there");
            assert!(std::ptr::eq(now, was.as_ref()), "{} was rewritten", was.id);
            assert_eq!(w.ticks_left(now), 1 + (ALIVE - 1 - i as u64), "{}", was.id);
            assert!((now.progress(w.tick) - 999.0 / now.ticks_total as f64).abs() < 1e-9);
        }
        let finished = |w: &mut crate::engine::World, ticks| {
            w.apply(&Action::Wait { ticks })
                .changes
                .iter()
                .filter(|c| c.rule == Rule::OperationCompletes && c.field == Some("Status"))
                .map(|c| (c.tick, c.record.clone()))
                .collect::<Vec<_>>()
        };
        let last = format!("bop-{}", ALIVE - 1);
        assert_eq!(finished(&mut w, 1), [(1_000, last.clone())]);
        let next = format!("bop-{}", ALIVE - 2);
        assert_eq!(finished(&mut w, 1), [(1_001, next)]);
        let rest = finished(&mut w, 10_000);
        assert_eq!(rest.len() as u64, ALIVE - 2);
        assert!(rest.windows(2).all(|p| p[0].0 < p[1].0), "one per tick");
        assert!(w.operations.iter().all(|o| w.ticks_left(o) == 0));
    }

    /// In the middle of a tick, an operation placed after the one moving has not yet lost
    /// this tick's work, one placed before it has, and one launched during the tick has
    /// lost none: what the ticks left read for an operation canceled there.
    #[test]
    fn the_ticks_left_mid_tick_follow_the_launch_order() {
        let mut w = WorldBuilder::new().build();
        for (i, launched) in [0, 0, 0, 5].into_iter().enumerate() {
            w.insert(running(i as u64, 10, launched));
        }
        w.tick = 5;
        let left = |w: &crate::engine::World| -> Vec<u64> {
            w.operations.iter().map(|o| w.ticks_left(o)).collect()
        };
        assert_eq!(left(&w), [5, 5, 5, 10], "between ticks");
        // bop-1 moves in tick 5; bop-3 was launched during it.
        w.clock_hand = Some((1, 3));
        assert_eq!(left(&w), [5, 5, 6, 10]);
        w.clock_hand = None;
    }

    /// Two stores whose checkouts expire eagerly, `slow` after 50 ticks and `fast`
    /// after 5: a checkout started later in `fast` expires before one started earlier
    /// in `slow`, and each expires at its own deadline.
    #[test]
    fn each_checkout_expires_at_its_own_stores_deadline_whatever_the_order_of_starts() {
        let mut b = WorldBuilder::new();
        for (store, ttl) in [("slow", 50), ("fast", 5)] {
            b.plain_store_of(store, Edition::One);
            b.edit_store(store, |s| {
                s.settings.checkout_expiry = CheckoutExpiry::Eager;
                s.settings.checkout_ttl = Some(ttl);
            });
        }
        b.plain_account("a", &["slow", "fast"])
            .plain_buyer("b", &["a"])
            .plain_product("p", Money::from_cents(100))
            .empty_cart("c-slow", "slow", "b")
            .empty_cart("c-fast", "fast", "b");
        let mut w = b.build();
        let start = |cart: &str| Action::StartCheckout {
            cart: cart.into(),
            actor: None,
        };
        assert!(w.apply(&start("c-slow")).result.is_ok());
        assert!(w.apply(&Action::Wait { ticks: 1 }).result.is_ok());
        assert!(w.apply(&start("c-fast")).result.is_ok());
        let started = w.tick;
        let expiries = |w: &mut crate::engine::World, ticks| {
            w.apply(&Action::Wait { ticks })
                .changes
                .iter()
                .filter(|c| c.rule == Rule::CheckoutExpires && c.field == Some("IsArchived"))
                .map(|c| (c.tick, c.record.clone()))
                .collect::<Vec<_>>()
        };
        let fast = expiries(&mut w, 10);
        assert_eq!(fast.len(), 1, "{fast:?}");
        assert_eq!(fast[0].0, started + 5);
        assert!(w.active_session("c-fast").is_none());
        assert!(w.active_session("c-slow").is_some());
        let slow = expiries(&mut w, 100);
        assert_eq!(slow.len(), 1, "{slow:?}");
        assert_eq!(slow[0].0, 50, "started at tick 0");
        assert!(w.active_session("c-slow").is_none());
    }
}
