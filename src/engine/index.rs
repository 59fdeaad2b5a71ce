//! The one edit path of the world's records, and the lookups derived from them.
//!
//! Every record is added with [`World::insert`], changed with [`World::edit`] and removed
//! with [`World::remove`]; nothing else reaches the tables. Each of them updates the
//! derived lookups at once, so a lookup is never stale and never guesses: each cart's
//! sessions and its active session, the sessions not archived, the operations that time
//! can change, the CartValidationOutputs of each cart, the delivery groups and payments
//! of each checkout, and how many sessions name each id. Like the tables, the lookups are
//! persistent collections, so a snapshot of the world shares them.

use super::id::Id;
use super::model::*;
use super::table::{Keyed, Map, Seq, Set, Table};
use super::undo::Kept;
use super::world::{IdKind, World};
use std::sync::Arc;

macro_rules! keyed {
    ($($t:ty => $f:ident),+ $(,)?) => {
        $(impl Keyed for $t {
            fn key(&self) -> Id {
                self.$f
            }
        })+
    };
}

keyed! {
    Store => id,
    Account => id,
    Buyer => id,
    Product => sku,
    WebCart => id,
    CartCheckoutSession => id,
    BackgroundOperation => id,
    Order => id,
    CartValidationOutput => id,
    CartDeliveryGroup => id,
    PaymentAuthorization => id,
}

/// How many places a key of a lookup keeps inline before they move to a persistent set.
const FEW: usize = 3;

/// The places of the records filed under one key (a cart's sessions, a checkout's
/// payments), ascending. Nearly every key has one to three, so up to [`FEW`] sit inline:
/// filing one copies them with the map's entry instead of copying a node of a set of its
/// own. More move to a persistent set, so that a cart with thousands of sessions still
/// costs a logarithm per change.
#[derive(Debug, Clone)]
pub(crate) enum Seqs {
    /// The first `len` places of `at`, ascending.
    Few { len: u8, at: [Seq; FEW] },
    /// More than [`FEW`] places at some time.
    Many(Set<Seq>),
}

impl Seqs {
    /// One place.
    fn unit(seq: Seq) -> Seqs {
        Seqs::Few {
            len: 1,
            at: [seq; FEW],
        }
    }

    /// Files a place (once).
    fn insert(&mut self, seq: Seq) {
        match self {
            Seqs::Few { len, at } => {
                let n = usize::from(*len);
                let Err(pos) = at[..n].binary_search(&seq) else {
                    return;
                };
                if n < FEW {
                    at.copy_within(pos..n, pos + 1);
                    at[pos] = seq;
                    *len += 1;
                } else {
                    let mut set: Set<Seq> = at.iter().copied().collect();
                    set.insert(seq);
                    *self = Seqs::Many(set);
                }
            }
            Seqs::Many(set) => {
                set.insert(seq);
            }
        }
    }

    /// Takes a place out.
    fn remove(&mut self, seq: &Seq) {
        match self {
            Seqs::Few { len, at } => {
                let n = usize::from(*len);
                if let Ok(pos) = at[..n].binary_search(seq) {
                    at.copy_within(pos + 1..n, pos);
                    *len -= 1;
                }
            }
            Seqs::Many(set) => {
                set.remove(seq);
            }
        }
    }

    /// True when no place is filed.
    fn is_empty(&self) -> bool {
        match self {
            Seqs::Few { len, .. } => *len == 0,
            Seqs::Many(set) => set.is_empty(),
        }
    }

    /// The places, ascending.
    pub(crate) fn iter(&self) -> SeqsIter<'_> {
        match self {
            Seqs::Few { len, at } => SeqsIter::Few(at[..usize::from(*len)].iter()),
            Seqs::Many(set) => SeqsIter::Many(set.iter()),
        }
    }

    /// The highest place (the latest record).
    pub(crate) fn get_max(&self) -> Option<&Seq> {
        match self {
            Seqs::Few { len, at } => at[..usize::from(*len)].last(),
            Seqs::Many(set) => set.get_max(),
        }
    }
}

/// The places of a [`Seqs`], ascending.
pub(crate) enum SeqsIter<'a> {
    Few(std::slice::Iter<'a, Seq>),
    Many(imbl::ordset::Iter<'a, Seq, imbl::shared_ptr::DefaultSharedPtr>),
}

impl<'a> Iterator for SeqsIter<'a> {
    type Item = &'a Seq;
    fn next(&mut self) -> Option<&'a Seq> {
        match self {
            SeqsIter::Few(it) => it.next(),
            SeqsIter::Many(it) => it.next(),
        }
    }
}

/// What is derived from the records: kept current by every insert, edit and removal.
#[derive(Debug, Clone, Default)]
pub(crate) struct Lookups {
    /// Each cart's sessions, in creation order.
    pub(crate) sessions_by_cart: Map<Id, Seqs>,
    /// Each cart's sessions not archived (at most one in a valid world; the latest is the
    /// active one).
    pub(crate) active_by_cart: Map<Id, Seqs>,
    /// Sessions not archived, in creation order.
    live_sessions: Set<Seq>,
    /// Sessions whose checkout may still expire (not archived, not Complete, no order
    /// accepted), by StartedAt: a deadline never comes earlier for a later start.
    expirable: Set<(i64, Seq)>,
    /// Operations in progress, in launch order: the ones each tick moves.
    running: Set<Seq>,
    /// Operations in progress by the tick of their next move that is not plain work: 0
    /// for one that starts or meets its injected fault at the next tick, else the tick at
    /// which its work is done. Time skips to the first and moves only those due.
    due: Set<(u64, Seq)>,
    /// Finished operations with an ExpiresAt, by ExpiresAt: the next to leave the queue
    /// come first.
    expiring: Set<(u64, Seq)>,
    /// How many sessions name each id as BackgroundOperationId or OrderId.
    pub(crate) references: Map<Id, u32>,
    /// The sessions that name each operation as BackgroundOperationId, in creation order.
    pub(crate) sessions_by_operation: Map<Id, Seqs>,
    /// How many sessions hold each OrderReferenceNumber, and how many hold one at all.
    pub(crate) order_references: Map<String, u32>,
    pub(crate) with_order_reference: usize,
    /// Each cart's CartValidationOutputs, in creation order.
    pub(crate) validation_by_cart: Map<Id, Seqs>,
    /// Each checkout's CartDeliveryGroups.
    pub(crate) groups_by_session: Map<Id, Seqs>,
    /// Each checkout's PaymentAuthorizations.
    pub(crate) payments_by_session: Map<Id, Seqs>,
    /// Per kind of generated id (`ccs-N`, `bop-N`, ...), the highest N of any id of that
    /// form a record has held or a session has named. It only grows, so a generated id
    /// above it is free without asking every table (see [`World::next_id`]).
    pub(crate) generated_high: [u64; 6],
}

impl Lookups {
    /// Notes an id that a record holds or a session names.
    fn saw(&mut self, id: &Id) {
        if let Some((kind, n)) = IdKind::generated(id.as_str()) {
            let high = &mut self.generated_high[kind as usize];
            *high = (*high).max(n);
        }
    }
}

/// Counts a session naming an id (as BackgroundOperationId or OrderId) up or down.
fn refer(l: &mut Lookups, id: &Id, add: bool) {
    if add {
        l.saw(id);
    }
    count(&mut l.references, id, add);
}

fn add_to(map: &mut Map<Id, Seqs>, key: &Id, seq: Seq) {
    match map.get_mut(key) {
        Some(set) => {
            set.insert(seq);
        }
        None => {
            map.insert(*key, Seqs::unit(seq));
        }
    }
}

fn drop_from(map: &mut Map<Id, Seqs>, key: &Id, seq: Seq) {
    if let Some(set) = map.get_mut(key) {
        set.remove(&seq);
        if set.is_empty() {
            map.remove(key);
        }
    }
}

/// Counts `key` up or down; a count that reaches zero leaves the map.
fn count<K: std::hash::Hash + Eq + Clone>(map: &mut Map<K, u32>, key: &K, up: bool) {
    match (map.get_mut(key), up) {
        (Some(n), true) => *n += 1,
        (None, true) => {
            map.insert(key.clone(), 1);
        }
        (Some(n), false) if *n > 1 => *n -= 1,
        (Some(_), false) => {
            map.remove(key);
        }
        (None, false) => {}
    }
}

/// A kind of record the world keeps: which table holds it, and what of it the lookups
/// depend on (its footprint). An edit that leaves the footprint as it was leaves the
/// lookups alone.
pub(crate) trait Record: Keyed + Kept {
    /// What of the record the lookups depend on.
    type Footprint: PartialEq;
    /// The record's footprint.
    fn footprint(&self) -> Self::Footprint;
    /// The table and the lookups, for a change.
    fn parts(world: &mut World) -> (&mut Table<Self>, &mut Lookups);
    /// Adds (`true`) or drops a record's footprint from the lookups.
    fn index(_lookups: &mut Lookups, _seq: Seq, _footprint: &Self::Footprint, _add: bool) {}
    /// Moves a record's footprint from `before` to `after` (they differ).
    fn reindex(lookups: &mut Lookups, seq: Seq, before: &Self::Footprint, after: &Self::Footprint) {
        Self::index(lookups, seq, before, false);
        Self::index(lookups, seq, after, true);
    }
}

macro_rules! plain_record {
    ($($t:ty => $field:ident),+ $(,)?) => {
        $(impl Record for $t {
            type Footprint = ();
            fn footprint(&self) {}
            fn parts(world: &mut World) -> (&mut Table<Self>, &mut Lookups) {
                (&mut world.$field, &mut world.lookups)
            }
        })+
    };
}

plain_record! {
    Store => stores,
    Account => accounts,
    Buyer => buyers,
    Product => products,
    WebCart => carts,
    Order => orders,
}

impl Record for CartCheckoutSession {
    /// The cart, whether archived, the ids it names, its OrderReferenceNumber, and its
    /// start while its checkout may still expire.
    type Footprint = (
        Id,
        bool,
        Option<Id>,
        Option<Id>,
        Option<String>,
        Option<i64>,
    );
    fn footprint(&self) -> Self::Footprint {
        let expirable = !self.is_archived
            && self.state != super::flow::COMPLETE
            && self.rest.order_reference.is_none();
        (
            self.cart,
            self.is_archived,
            self.background_operation_id,
            self.order_id,
            self.rest.order_reference.clone(),
            expirable.then_some(self.started_at),
        )
    }
    fn parts(world: &mut World) -> (&mut Table<Self>, &mut Lookups) {
        (&mut world.sessions, &mut world.lookups)
    }
    fn index(
        l: &mut Lookups,
        seq: Seq,
        (cart, archived, op, order, reference, expirable): &Self::Footprint,
        add: bool,
    ) {
        let change = if add { add_to } else { drop_from };
        if let Some(started) = expirable {
            if add {
                l.expirable.insert((*started, seq));
            } else {
                l.expirable.remove(&(*started, seq));
            }
        }
        change(&mut l.sessions_by_cart, cart, seq);
        if let Some(op) = op {
            change(&mut l.sessions_by_operation, op, seq);
        }
        if let Some(reference) = reference {
            count(&mut l.order_references, reference, add);
            if add {
                l.with_order_reference += 1;
            } else {
                l.with_order_reference -= 1;
            }
        }
        if !archived {
            change(&mut l.active_by_cart, cart, seq);
            if add {
                l.live_sessions.insert(seq);
            } else {
                l.live_sessions.remove(&seq);
            }
        }
        for id in [op, order].into_iter().flatten() {
            refer(l, id, add);
        }
    }
    fn reindex(l: &mut Lookups, seq: Seq, before: &Self::Footprint, after: &Self::Footprint) {
        // Most edits archive a session or change what it names: only the lookups of the
        // parts that changed are touched.
        if before.0 != after.0 {
            Self::index(l, seq, before, false);
            Self::index(l, seq, after, true);
            return;
        }
        let cart = &before.0;
        if before.1 != after.1 {
            let archived = after.1;
            if archived {
                drop_from(&mut l.active_by_cart, cart, seq);
                l.live_sessions.remove(&seq);
            } else {
                add_to(&mut l.active_by_cart, cart, seq);
                l.live_sessions.insert(seq);
            }
        }
        if before.2 != after.2 {
            if let Some(op) = &before.2 {
                drop_from(&mut l.sessions_by_operation, op, seq);
                refer(l, op, false);
            }
            if let Some(op) = &after.2 {
                add_to(&mut l.sessions_by_operation, op, seq);
                refer(l, op, true);
            }
        }
        if before.3 != after.3 {
            if let Some(order) = &before.3 {
                refer(l, order, false);
            }
            if let Some(order) = &after.3 {
                refer(l, order, true);
            }
        }
        if before.5 != after.5 {
            if let Some(started) = before.5 {
                l.expirable.remove(&(started, seq));
            }
            if let Some(started) = after.5 {
                l.expirable.insert((started, seq));
            }
        }
        if before.4 != after.4 {
            if let Some(reference) = &before.4 {
                count(&mut l.order_references, reference, false);
                l.with_order_reference -= 1;
            }
            if let Some(reference) = &after.4 {
                count(&mut l.order_references, reference, true);
                l.with_order_reference += 1;
            }
        }
    }
}

impl Record for BackgroundOperation {
    /// Whether it is in progress, when it leaves the queue once finished, and when it is
    /// next due to move while in progress.
    type Footprint = (bool, Option<u64>, Option<u64>);
    fn footprint(&self) -> Self::Footprint {
        let running = self.status.in_progress();
        let due = running.then(|| {
            if self.status.queued() || self.pending_fault.is_some() {
                0
            } else {
                self.work
            }
        });
        (running, self.expires_at.filter(|_| !running), due)
    }
    fn parts(world: &mut World) -> (&mut Table<Self>, &mut Lookups) {
        (&mut world.operations, &mut world.lookups)
    }
    fn index(l: &mut Lookups, seq: Seq, (running, expires, due): &Self::Footprint, add: bool) {
        if let Some(at) = due {
            if add {
                l.due.insert((*at, seq));
            } else {
                l.due.remove(&(*at, seq));
            }
        }
        if *running {
            if add {
                l.running.insert(seq);
            } else {
                l.running.remove(&seq);
            }
        }
        if let Some(at) = expires {
            if add {
                l.expiring.insert((*at, seq));
            } else {
                l.expiring.remove(&(*at, seq));
            }
        }
    }
}

macro_rules! grouped_record {
    ($($t:ty => $field:ident by $key:ident in $map:ident),+ $(,)?) => {
        $(impl Record for $t {
            type Footprint = Id;
            fn footprint(&self) -> Id {
                self.$key
            }
            fn parts(world: &mut World) -> (&mut Table<Self>, &mut Lookups) {
                (&mut world.$field, &mut world.lookups)
            }
            fn index(l: &mut Lookups, seq: Seq, key: &Id, add: bool) {
                if add {
                    add_to(&mut l.$map, key, seq);
                } else {
                    drop_from(&mut l.$map, key, seq);
                }
            }
        })+
    };
}

grouped_record! {
    CartValidationOutput => validation_outputs by cart in validation_by_cart,
    CartDeliveryGroup => delivery_groups by session in groups_by_session,
    PaymentAuthorization => payment_authorizations by session in payments_by_session,
}

impl World {
    /// Adds a record after the others of its kind.
    pub(crate) fn insert<T: Record>(&mut self, record: T) {
        let footprint = record.footprint();
        let (table, lookups) = T::parts(self);
        lookups.saw(&record.key());
        let seq = table.insert(record);
        T::index(lookups, seq, &footprint, true);
        self.journal.inserted::<T>(seq);
    }

    /// Changes the record with this id (if there is one) and returns what `edit` returns.
    /// The record keeps its id.
    pub(crate) fn edit<T: Record, R>(
        &mut self,
        id: &str,
        edit: impl FnOnce(&mut T) -> R,
    ) -> Option<R> {
        // While an action is undoable, the record as it was is kept by sharing it: the
        // edit below then copies that one record, as it does for a snapshot.
        if self.journal.is_on()
            && let Some(seq) = T::parts(self).0.seq(id)
            && self.journal.wants::<T>(seq)
            && let Some(before) = T::parts(self).0.shared(seq)
        {
            self.journal.edited(seq, before);
        }
        let (table, lookups) = T::parts(self);
        let (seq, (before, out, after)) = table.update(id, |record| {
            let before = record.footprint();
            let out = edit(record);
            (before, out, record.footprint())
        })?;
        if after != before {
            T::reindex(lookups, seq, &before, &after);
        }
        Some(out)
    }

    /// Removes the record with this id; returns it.
    pub(crate) fn remove<T: Record>(&mut self, id: &str) -> Option<Arc<T>> {
        let (table, lookups) = T::parts(self);
        let (seq, record) = table.remove(id)?;
        T::index(lookups, seq, &record.footprint(), false);
        self.journal.removed(seq, &record);
        Some(record)
    }

    /// Undoing an insert: takes the record at `seq` out again, lookups and all.
    pub(crate) fn uninsert<T: Record>(&mut self, seq: Seq) {
        let (table, lookups) = T::parts(self);
        if let Some(record) = table.take_back(seq) {
            T::index(lookups, seq, &record.footprint(), false);
        }
    }

    /// Undoing an edit: puts the record at `seq` back as it was, moving its lookups.
    pub(crate) fn unedit<T: Record>(&mut self, seq: Seq, before: Arc<T>) {
        let (table, lookups) = T::parts(self);
        let was = before.footprint();
        if let Some(now) = table.replace(seq, before) {
            let now = now.footprint();
            if now != was {
                T::reindex(lookups, seq, &now, &was);
            }
        }
    }

    /// Undoing a removal: puts the record back at `seq`, lookups and all.
    pub(crate) fn unremove<T: Record>(&mut self, seq: Seq, record: Arc<T>) {
        let footprint = record.footprint();
        let (table, lookups) = T::parts(self);
        table.put_back(seq, record);
        T::index(lookups, seq, &footprint, true);
    }

    /// Operations in progress (New, Scheduled, Waiting or Running), in launch order.
    pub(crate) fn operations_in_progress(&self) -> impl Iterator<Item = &BackgroundOperation> {
        self.lookups
            .running
            .iter()
            .filter_map(|&i| self.operations.at(i))
    }

    /// The earliest tick at which an operation in progress is due to do more than lose a
    /// tick's work (0 when one starts or meets a fault at the next tick), if any.
    pub(crate) fn next_due(&self) -> Option<u64> {
        self.lookups.due.get_min().map(|&(at, _)| at)
    }

    /// Operations in progress due to do more than lose a tick's work at or before `now`,
    /// in launch order.
    pub(crate) fn operations_due_by(&self, now: u64) -> Vec<Id> {
        let mut due: Vec<Seq> = self
            .lookups
            .due
            .range(..=(now, Seq::MAX))
            .map(|&(_, seq)| seq)
            .collect();
        due.sort_unstable();
        due.into_iter()
            .filter_map(|i| self.operations.at(i).map(|o| o.id))
            .collect()
    }

    /// The earliest ExpiresAt of a finished operation, if any.
    pub(crate) fn next_expiry(&self) -> Option<u64> {
        self.lookups.expiring.get_min().map(|&(at, _)| at)
    }

    /// Finished operations whose ExpiresAt is at or before `now`, in launch order.
    pub(crate) fn operations_expired_by(&self, now: u64) -> Vec<&BackgroundOperation> {
        let mut due: Vec<Seq> = self
            .lookups
            .expiring
            .range(..=(now, Seq::MAX))
            .map(|&(_, seq)| seq)
            .collect();
        due.sort_unstable();
        due.into_iter()
            .filter_map(|i| self.operations.at(i))
            .collect()
    }

    /// The sessions that name this operation as BackgroundOperationId, in creation order.
    pub(crate) fn sessions_naming_operation<'a>(
        &'a self,
        op: &str,
    ) -> impl Iterator<Item = &'a CartCheckoutSession> + 'a {
        self.lookups
            .sessions_by_operation
            .get(op)
            .into_iter()
            .flat_map(|seqs| seqs.iter())
            .filter_map(|&i| self.sessions.at(i))
    }

    /// How many sessions hold an OrderReferenceNumber.
    pub(crate) fn sessions_with_order_reference(&self) -> usize {
        self.lookups.with_order_reference
    }

    /// Whether a session holds this OrderReferenceNumber.
    pub(crate) fn order_reference_in_use(&self, reference: &str) -> bool {
        self.lookups.order_references.contains_key(reference)
    }

    /// Sessions whose checkout may still expire, by StartedAt (then creation order).
    pub(crate) fn expirable_sessions(&self) -> impl Iterator<Item = &CartCheckoutSession> {
        self.lookups
            .expirable
            .iter()
            .filter_map(|&(_, i)| self.sessions.at(i))
    }

    /// How many sessions are not archived.
    pub(crate) fn live_session_count(&self) -> usize {
        self.lookups.live_sessions.len()
    }

    /// Sessions that are not archived, in creation order.
    #[cfg(test)]
    pub(crate) fn live_sessions(&self) -> impl Iterator<Item = &CartCheckoutSession> {
        self.lookups
            .live_sessions
            .iter()
            .filter_map(|&i| self.sessions.at(i))
    }
}

/// Whether the lookups and each table's ids say what they say on a world built afresh
/// from the same records; names the first that does not. Places are compared by the
/// records at them, as a world built afresh numbers them anew.
#[cfg(test)]
impl World {
    pub(crate) fn lookups_agree(&self) -> Result<(), String> {
        let mut fresh = World::default();
        macro_rules! tables {
            ($($f:ident),+) => {$(
                for r in self.$f.iter() {
                    fresh.insert(r.clone());
                }
                for r in self.$f.iter() {
                    if self.$f.position(&r.key()) != fresh.$f.position(&r.key()) {
                        return Err(format!("the place of {}", r.key()));
                    }
                }
            )+};
        }
        tables!(
            stores,
            accounts,
            buyers,
            products,
            carts,
            sessions,
            operations,
            orders,
            validation_outputs,
            delivery_groups,
            payment_authorizations
        );
        for (a, b) in self
            .lookups_described()
            .iter()
            .zip(fresh.lookups_described())
        {
            if *a != b {
                return Err(format!("{a} / {b}"));
            }
        }
        Ok(())
    }

    /// Every lookup as text, each place named by the id of the record at it.
    fn lookups_described(&self) -> Vec<String> {
        fn ids<'s, T: Keyed>(seqs: impl Iterator<Item = &'s Seq>, table: &Table<T>) -> String {
            let ids: Vec<&str> = seqs
                .map(|&s| table.at(s).map_or("(none)", |r| r.key().as_str()))
                .collect();
            ids.join(" ")
        }
        fn by<T: Keyed>(name: &str, map: &Map<Id, Seqs>, table: &Table<T>) -> String {
            let mut rows: Vec<String> = map
                .iter()
                .map(|(k, seqs)| format!("{k}: {}", ids(seqs.iter(), table)))
                .collect();
            rows.sort();
            format!("{name}: {}", rows.join("; "))
        }
        fn keyed<K: Ord + Copy + std::fmt::Debug, T: Keyed>(
            name: &str,
            set: &Set<(K, Seq)>,
            table: &Table<T>,
        ) -> String {
            let rows: Vec<(K, &str)> = set
                .iter()
                .map(|&(k, s)| (k, table.at(s).map_or("(none)", |r| r.key().as_str())))
                .collect();
            format!("{name}: {rows:?}")
        }
        fn counts<K: std::fmt::Display>(name: &str, map: &Map<K, u32>) -> String {
            let mut rows: Vec<String> = map.iter().map(|(k, n)| format!("{k}: {n}")).collect();
            rows.sort();
            format!("{name}: {}", rows.join("; "))
        }
        let l = &self.lookups;
        vec![
            by("sessions by cart", &l.sessions_by_cart, &self.sessions),
            by("active by cart", &l.active_by_cart, &self.sessions),
            format!(
                "live sessions: {}",
                ids(l.live_sessions.iter(), &self.sessions)
            ),
            format!("running: {}", ids(l.running.iter(), &self.operations)),
            keyed("expiring", &l.expiring, &self.operations),
            keyed("expirable", &l.expirable, &self.sessions),
            counts("references", &l.references),
            by(
                "sessions by operation",
                &l.sessions_by_operation,
                &self.sessions,
            ),
            counts("order references", &l.order_references),
            format!("with an order reference: {}", l.with_order_reference),
            by(
                "validation by cart",
                &l.validation_by_cart,
                &self.validation_outputs,
            ),
            by(
                "groups by session",
                &l.groups_by_session,
                &self.delivery_groups,
            ),
            by(
                "payments by session",
                &l.payments_by_session,
                &self.payment_authorizations,
            ),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Action;
    use crate::engine::builder::WorldBuilder;
    use crate::engine::money::Money;

    proptest::proptest! {
        /// The places under a key behave as an ordered set whatever it holds: filed and
        /// taken out in any order, growing past the inline few and losing places again,
        /// and a copy does not see the changes made to the original after it.
        #[test]
        fn the_places_under_a_key_are_an_ordered_set_inline_or_not(
            first in 0u64..12,
            changes in proptest::collection::vec((proptest::bool::ANY, 0u64..12), 0..40),
        ) {
            let mut seqs = Seqs::unit(first);
            let mut model = std::collections::BTreeSet::from([first]);
            for (file, seq) in changes {
                let copy = seqs.clone();
                let before: Vec<Seq> = copy.iter().copied().collect();
                if file {
                    seqs.insert(seq);
                    model.insert(seq);
                } else {
                    seqs.remove(&seq);
                    model.remove(&seq);
                }
                proptest::prop_assert_eq!(
                    seqs.iter().copied().collect::<Vec<_>>(),
                    model.iter().copied().collect::<Vec<_>>()
                );
                proptest::prop_assert_eq!(seqs.get_max(), model.last());
                proptest::prop_assert_eq!(seqs.is_empty(), model.is_empty());
                proptest::prop_assert_eq!(copy.iter().copied().collect::<Vec<_>>(), before);
            }
        }
    }

    /// Past the inline few, the places move to a persistent set and stay ordered.
    #[test]
    fn more_places_than_the_inline_few_move_to_a_set() {
        let mut seqs = Seqs::unit(5);
        for seq in [9, 1, 7, 3] {
            seqs.insert(seq);
        }
        assert!(matches!(seqs, Seqs::Many(_)));
        assert_eq!(seqs.iter().copied().collect::<Vec<_>>(), [1, 3, 5, 7, 9]);
    }

    /// One store, one account, one buyer, one product and `carts` carts.
    fn world(carts: usize) -> World {
        let mut b = WorldBuilder::new();
        b.plain_store("w")
            .plain_account("a", &["w"])
            .plain_buyer("b", &["a"])
            .plain_product("sku", Money::from_cents(1_000));
        for i in 0..carts {
            b.empty_cart(&format!("cart-{i}"), "w", "b");
        }
        b.build()
    }

    fn op(id: &str, status: OperationStatus) -> BackgroundOperation {
        BackgroundOperation {
            id: id.into(),
            name: "Price Cart".into(),
            status,
            work: BackgroundOperation::work_for(status, 3, 0),
            ticks_total: 3,
            error: None,
            submitted_at: 0,
            started_at: None,
            finished_at: None,
            pending_fault: None,
            launched_for: None,
            ended_at: None,
            expires_at: None,
            calculators: Vec::new(),
        }
    }

    #[test]
    fn lookups_follow_records_added_changed_and_removed() {
        let mut w = world(50);
        assert_eq!(w.cart("cart-49").map(|c| c.id.as_str()), Some("cart-49"));
        assert!(w.cart("cart-50").is_none());
        w.insert(op("bop-a", OperationStatus::Running));
        w.insert(op("bop-b", OperationStatus::Complete));
        assert!(w.operation("bop-b").is_some());
        assert_eq!(w.operations_in_progress().count(), 1);
        w.remove::<BackgroundOperation>("bop-a");
        assert!(w.operation("bop-a").is_none());
        assert_eq!(w.operation("bop-b").map(|o| o.id.as_str()), Some("bop-b"));
        assert_eq!(w.operations_in_progress().count(), 0);
        w.insert(op("bop-c", OperationStatus::New));
        assert_eq!(w.operations_in_progress().count(), 1);
        let copy = w.clone();
        w.edit("bop-c", |o: &mut BackgroundOperation| {
            o.status = OperationStatus::Complete
        });
        assert_eq!(w.operations_in_progress().count(), 0, "finished");
        assert_eq!(w.next_expiry(), None);
        w.edit("bop-b", |o: &mut BackgroundOperation| {
            o.expires_at = Some(12)
        });
        w.edit("bop-c", |o: &mut BackgroundOperation| {
            o.expires_at = Some(9)
        });
        assert_eq!(w.next_expiry(), Some(9), "the next to leave the queue");
        let due = |w: &World, now| -> Vec<Id> {
            w.operations_expired_by(now).iter().map(|o| o.id).collect()
        };
        assert_eq!(due(&w, 8), Vec::<String>::new());
        assert_eq!(due(&w, 9), ["bop-c"]);
        assert_eq!(due(&w, 12), ["bop-b", "bop-c"], "in launch order");
        // The snapshot kept its own records and lookups.
        assert_eq!(copy.operations_in_progress().count(), 1);
        assert_eq!(copy.next_expiry(), None);
        assert_eq!(
            copy.operation("bop-c").map(|o| o.status),
            Some(OperationStatus::New)
        );
        assert!(copy.cart("cart-7").is_some());
    }

    #[test]
    fn a_carts_sessions_and_its_active_one_follow_checkouts_and_cancels() {
        let mut w = world(3);
        for round in 0..5 {
            let start = Action::StartCheckout {
                cart: "cart-1".into(),
                actor: None,
            };
            assert!(w.apply(&start).result.is_ok(), "round {round}");
            let active = w.active_session("cart-1").map(|s| s.id);
            assert!(active.is_some());
            assert_eq!(w.sessions_of("cart-1").count(), round + 1);
            assert_eq!(w.sessions_of("cart-0").count(), 0);
            let cancel = Action::Cancel {
                cart: "cart-1".into(),
                actor: None,
            };
            assert!(w.apply(&cancel).result.is_ok());
            assert!(w.active_session("cart-1").is_none());
        }
        // Only the sessions and operations time can change are looked at.
        assert_eq!(w.live_sessions().count(), 0);
        assert!(w.operations_in_progress().all(|o| o.status.in_progress()));
    }

    #[test]
    fn a_dangling_reference_is_never_adopted_by_a_new_record() {
        let mut w = world(1);
        w.apply(&Action::StartCheckout {
            cart: "cart-0".into(),
            actor: None,
        });
        // The session names an operation that does not exist.
        let session = w.sessions().first().map(|s| s.id).unwrap();
        w.edit(&session, |s: &mut CartCheckoutSession| {
            s.background_operation_id = Some("bop-2".into())
        });
        assert!(w.id_in_use("bop-2"));
        w.apply(&Action::Wait { ticks: 50 });
        assert!(w.operations().iter().all(|o| o.id != "bop-2"));
    }

    #[test]
    fn the_active_session_is_the_one_not_archived_whatever_its_place() {
        // A world may stage the active session before an archived one of the same cart.
        let mut b = WorldBuilder::new();
        b.plain_store("w")
            .plain_account("a", &["w"])
            .plain_buyer("b", &["a"])
            .empty_cart("c", "w", "b");
        b.add_operation(op("op-1", OperationStatus::Running));
        b.add_session(CartCheckoutSession {
            id: "s-1".into(),
            cart: "c".into(),
            state: "Inventory".into(),
            is_processing: true,
            background_operation_id: Some("op-1".into()),
            ..CartCheckoutSession::default()
        });
        b.add_session(CartCheckoutSession {
            id: "s-2".into(),
            cart: "c".into(),
            state: "Complete".into(),
            is_archived: true,
            ..CartCheckoutSession::default()
        });
        b.edit_cart("c", |c| c.status = CartStatus::Checkout);
        let mut w = b.build();
        assert_eq!(w.active_session("c").map(|s| s.id.as_str()), Some("s-1"));
        let clone = w.clone();
        assert_eq!(
            clone.active_session("c").map(|s| s.id.as_str()),
            Some("s-1")
        );
        let out = w.apply(&Action::Cancel {
            cart: "c".into(),
            actor: None,
        });
        assert!(out.result.is_ok(), "{:?}", out.result);
        assert!(w.active_session("c").is_none());
        assert_eq!(
            clone.active_session("c").map(|s| s.id.as_str()),
            Some("s-1"),
            "the snapshot is untouched"
        );
        w.apply(&Action::StartCheckout {
            cart: "c".into(),
            actor: None,
        });
        assert_eq!(w.active_session("c").map(|s| s.id.as_str()), Some("ccs-1"));
    }

    #[test]
    fn references_count_every_session_that_names_an_id() {
        let mut w = world(2);
        for cart in ["cart-0", "cart-1"] {
            w.insert(CartCheckoutSession {
                id: Id::new(&format!("s-{cart}")),
                cart: cart.into(),
                order_id: Some("ord-9".into()),
                is_archived: true,
                ..CartCheckoutSession::default()
            });
        }
        assert!(w.id_in_use("ord-9"));
        w.edit("s-cart-0", |s: &mut CartCheckoutSession| s.order_id = None);
        assert!(w.id_in_use("ord-9"), "the other session still names it");
        w.edit("s-cart-1", |s: &mut CartCheckoutSession| s.order_id = None);
        assert!(!w.id_in_use("ord-9"));
    }
}
