//! A state's fingerprint: a 64-bit hash of what the explored actions can change.
//!
//! What counts as the state:
//! - the carts, CartCheckoutSessions, BackgroundOperations, Orders,
//!   CartValidationOutputs, CartDeliveryGroups and PaymentAuthorizations, and the
//!   counters behind generated ids (two worlds that would name their next session
//!   differently are different states);
//! - not the stores, accounts, buyers and products: no explored action changes them
//!   (the alphabet has no grant, revoke, switch_account or set_setting), so they are the
//!   same in every state of one run;
//! - not the clock, and not the instants recorded on records (a session's start, an
//!   operation's SubmittedAt, StartedAt, FinishedAt), *unless time is observable*: a
//!   store has a checkout time to live (`checkout_ttl`), a CheckoutValidAfterDate
//!   (`checkout_valid_after`) or an operation expiry (`operation_expiry`), or an
//!   operation already carries an ExpiresAt. Then the tick and every instant count,
//!   because waiting changes what the next action does.
//!
//! Without those settings the engine's rules read no instant: what happens next depends
//! on statuses and on the ticks an operation has left, which do count.

use crate::engine::World;
use std::fmt::Write as _;
use std::hash::{BuildHasher, Hasher};

/// Whether time is observable in this world (see the module documentation).
pub fn time_observable(world: &World) -> bool {
    world.stores().iter().any(|s| {
        s.settings.checkout_ttl.is_some()
            || s.settings.checkout_valid_after.is_some()
            || s.settings.operation_expiry.is_some()
    }) || world.operations().iter().any(|o| o.expires_at.is_some())
}

thread_local! {
    /// The Debug text of one state, reused from state to state: hashing it in one piece
    /// is several times faster than hashing each small piece Debug writes.
    static TEXT: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// The fingerprint of a world. With `timed` false the clock and the recorded instants
/// are left out: each session and operation is hashed as a copy without them (the world
/// is borrowed mutably for the callers' sake; it is not changed).
pub fn fingerprint(world: &mut World, timed: bool) -> u64 {
    let mut h = foldhash::quality::FixedState::with_seed(0x5eed_ca57).build_hasher();
    hash_records(world, timed, &mut h);
    if timed {
        h.write_u64(world.tick);
    }
    h.finish()
}

fn hash_records<H: Hasher>(world: &World, timed: bool, h: &mut H) {
    // Debug output is derived from every field, so a field added to a record counts
    // without this function changing; each list is closed by a separator.
    TEXT.with_borrow_mut(|text| {
        text.clear();
        let _ = write!(text, "{:?}|", world.carts());
        if timed {
            let _ = write!(text, "{:?}|{:?}|", world.sessions(), world.operations());
        } else {
            for s in world.sessions() {
                let mut s = s.clone();
                s.started_at = 0;
                let _ = write!(text, "{s:?},");
            }
            text.push('|');
            for o in world.operations() {
                let mut o = o.clone();
                o.submitted_at = 0;
                o.started_at = None;
                o.finished_at = None;
                o.ended_at = None;
                let _ = write!(text, "{o:?},");
            }
            text.push('|');
        }
        let _ = write!(
            text,
            "{:?}|{:?}|{:?}|{:?}|{:?}",
            world.orders(),
            world.validation_outputs(),
            world.delivery_groups(),
            world.payment_authorizations(),
            world.next_ids()
        );
        h.write(text.as_bytes());
    });
}
