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

use crate::engine::builder::CartPlaces;
use crate::engine::table::{Keyed, Table};
use crate::engine::{BackgroundOperation, CartCheckoutSession, World};
use std::hash::{BuildHasher, Hash, Hasher};

/// Whether time is observable in this world (see the module documentation).
pub fn time_observable(world: &World) -> bool {
    world.stores().iter().any(|s| {
        s.settings.checkout_ttl.is_some()
            || s.settings.checkout_valid_after.is_some()
            || s.settings.operation_expiry.is_some()
    }) || world.operations().iter().any(|o| o.expires_at.is_some())
}

/// The fingerprint of a world. With `timed` false the clock and the recorded instants
/// are left out (see the module documentation).
pub fn fingerprint(world: &World, timed: bool) -> u64 {
    let mut h = foldhash::quality::FixedState::with_seed(0x5eed_ca57).build_hasher();
    hash_records(world, timed, &mut h);
    world.next_ids().hash(&mut h);
    if timed {
        h.write_u64(world.tick);
    }
    h.finish()
}

/// The fingerprint of one cart's records ([`World::cart_records`]), counted as
/// [`fingerprint`] counts them but without the counters behind generated ids: what
/// decides whether the cart's own actions succeed, not which id the next record gets.
/// `None` when there is no such cart. `places` is room to find the records in, kept
/// by the caller between calls.
pub fn cart_fingerprint(
    world: &World,
    cart: &str,
    timed: bool,
    places: &mut CartPlaces,
) -> Option<u64> {
    if !world.cart_places(cart, places) {
        return None;
    }
    let mut h = foldhash::quality::FixedState::with_seed(0x5eed_ca58).build_hasher();
    world.carts().at(places.cart)?.hash(&mut h);
    let sessions = records(world.sessions(), &places.sessions);
    let operations = records(world.operations(), &places.operations);
    hash_checkouts(&mut h, world, timed, sessions, operations);
    list(&mut h, records(world.orders(), &places.orders));
    list(
        &mut h,
        records(world.validation_outputs(), &places.validation_outputs),
    );
    list(
        &mut h,
        records(world.delivery_groups(), &places.delivery_groups),
    );
    list(
        &mut h,
        records(
            world.payment_authorizations(),
            &places.payment_authorizations,
        ),
    );
    if timed {
        h.write_u64(world.tick);
    }
    Some(h.finish())
}

/// The records of `table` at `places`.
fn records<'w, T: Keyed>(table: &'w Table<T>, places: &'w [u64]) -> AtPlaces<'w, T> {
    AtPlaces {
        table,
        places: places.iter(),
    }
}

/// The records at places [`World::cart_places`] found: each holds one, so there are as
/// many records as places.
struct AtPlaces<'w, T> {
    table: &'w Table<T>,
    places: std::slice::Iter<'w, u64>,
}

impl<'w, T: Keyed> Iterator for AtPlaces<'w, T> {
    type Item = &'w T;
    fn next(&mut self) -> Option<&'w T> {
        self.places.by_ref().find_map(|&i| self.table.at(i))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.places.len(), Some(self.places.len()))
    }
}

impl<T: Keyed> ExactSizeIterator for AtPlaces<'_, T> {}

/// Hashes every record the explored actions can change, through the records' derived
/// `Hash`: a field added to a record counts without this function changing. Each list
/// is prefixed by its length, so that records cannot slide from one list to the next.
fn hash_records<H: Hasher>(world: &World, timed: bool, h: &mut H) {
    list(h, world.carts().iter());
    hash_checkouts(
        h,
        world,
        timed,
        world.sessions().iter(),
        world.operations().iter(),
    );
    list(h, world.orders().iter());
    list(h, world.validation_outputs().iter());
    list(h, world.delivery_groups().iter());
    list(h, world.payment_authorizations().iter());
}

/// Hashes a list of records, prefixed by its length.
fn list<'a, T: Hash + 'a, H: Hasher>(h: &mut H, items: impl ExactSizeIterator<Item = &'a T>) {
    h.write_usize(items.len());
    for item in items {
        item.hash(h);
    }
}

/// Hashes sessions and operations: whole when time is observable, else without the
/// instants they carry (an operation's ticks left from `world`'s clock instead).
fn hash_checkouts<'a, H: Hasher>(
    h: &mut H,
    world: &World,
    timed: bool,
    sessions: impl ExactSizeIterator<Item = &'a CartCheckoutSession>,
    operations: impl ExactSizeIterator<Item = &'a BackgroundOperation>,
) {
    if timed {
        list(h, sessions);
        list(h, operations);
        return;
    }
    h.write_usize(sessions.len());
    for s in sessions {
        session_untimed(s, h);
    }
    h.write_usize(operations.len());
    for o in operations {
        operation_untimed(o, world.ticks_left(o), h);
    }
}

/// A session without the instant it started. The pattern names every field, so a field
/// added to the record fails to compile here until it is counted or set aside.
fn session_untimed<H: Hasher>(s: &CartCheckoutSession, h: &mut H) {
    let CartCheckoutSession {
        id,
        cart,
        state,
        next_state,
        is_processing,
        is_error,
        is_archived,
        background_operation_id,
        order_id,
        started_at: _,
        rest,
    } = s;
    (id, cart, state, next_state, is_processing, is_error).hash(h);
    (is_archived, background_operation_id, order_id, rest).hash(h);
}

/// An operation without its SubmittedAt, StartedAt, FinishedAt and the tick it ended
/// (its ExpiresAt counts: it is set only when time is observable anyway). Every field is
/// named, as for sessions.
fn operation_untimed<H: Hasher>(o: &BackgroundOperation, ticks_left: u64, h: &mut H) {
    let BackgroundOperation {
        id,
        name,
        status,
        work: _,
        ticks_total,
        error,
        submitted_at: _,
        started_at: _,
        finished_at: _,
        pending_fault,
        launched_for,
        ended_at: _,
        expires_at,
        calculators,
    } = o;
    (id, name, status, ticks_left, ticks_total, error).hash(h);
    (pending_fault, launched_for, expires_at, calculators).hash(h);
}
