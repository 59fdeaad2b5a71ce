//! The world's lookup index: records by id in O(1), the sessions of each cart, and the
//! records the clock must look at (operations in progress or due to leave the queue,
//! sessions not archived), so that an action costs what it touches, not what the world
//! holds.
//!
//! The index is a cache beside the world's record lists, which stay plain `Vec`s that
//! the loader and the tests fill directly. It covers a prefix of each list: records
//! appended since it was brought up to date are found by a scan of the tail, a hit is
//! checked against the list before it is trusted, and [`World::reindex`] (run by
//! [`World::apply`] before every action) extends it over appended records or
//! rebuilds it when records were removed. Records are never renamed in place; the
//! engine removes them only through [`World::remove_operation`] and
//! [`World::remove_validation_output`], which keep the index right.
//!
//! A clone of the world starts with an empty index (a snapshot does not pay for it);
//! lookups on it are linear scans until it is reindexed.

use super::model::*;
use super::undo::List;
use super::world::World;
use foldhash::{HashMap, HashSet};

/// A record with an id.
pub(crate) trait Keyed {
    /// The id (the SKU for a product).
    fn key(&self) -> &str;
}

macro_rules! keyed {
    ($($t:ty => $f:ident),+ $(,)?) => {
        $(impl Keyed for $t {
            fn key(&self) -> &str {
                &self.$f
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

/// Positions of the first `covered` records of one list, by id.
#[derive(Debug, Default)]
pub(crate) struct IdIndex {
    map: HashMap<String, usize>,
    covered: usize,
    /// The ids of the first and last covered records, to notice records removed.
    ends: Option<(String, String)>,
}

impl IdIndex {
    /// The position of the record with this id (the first one, as a scan would find).
    pub(crate) fn position<T: Keyed>(&self, items: &[T], id: &str) -> Option<usize> {
        if self.covered > items.len() {
            // Records were removed since the index was built.
            return items.iter().position(|x| x.key() == id);
        }
        match self.map.get(id) {
            Some(&i) if items.get(i).is_some_and(|x| x.key() == id) => Some(i),
            Some(_) => items.iter().position(|x| x.key() == id),
            // Records removed and others appended leave the length as it was: the last
            // covered record then is not the one indexed there.
            None if self
                .ends
                .as_ref()
                .is_some_and(|(_, last)| items[self.covered - 1].key() != last) =>
            {
                items.iter().position(|x| x.key() == id)
            }
            None => items[self.covered..]
                .iter()
                .position(|x| x.key() == id)
                .map(|k| k + self.covered),
        }
    }

    /// True when the covered prefix still holds the records it was built from, as far as
    /// its ends show (records are only appended, or removed through the world).
    /// Indexes the record just appended to `items`, when the index covered every record
    /// before it; otherwise the next [`World::reindex`] does. Keeps a lookup of a record
    /// created inside a long action (a `settle`) from scanning the list's tail.
    fn appended<T: Keyed>(&mut self, items: &[T]) -> bool {
        let Some(last) = items.last() else {
            return false;
        };
        if self.covered + 1 != items.len() || (self.covered > 0 && self.ends.is_none()) {
            return false;
        }
        self.map
            .entry(last.key().to_string())
            .or_insert(items.len() - 1);
        self.ends = Some(match self.ends.take() {
            Some((first, _)) => (first, last.key().to_string()),
            None => (last.key().to_string(), last.key().to_string()),
        });
        self.covered = items.len();
        true
    }

    fn prefix_holds<T: Keyed>(&self, items: &[T]) -> bool {
        self.covered <= items.len()
            && match &self.ends {
                None => self.covered == 0,
                Some((first, last)) => {
                    items[0].key() == first && items[self.covered - 1].key() == last
                }
            }
    }

    /// Brings the index up to date; returns the position from which records are new to
    /// it (0 after a rebuild).
    fn sync<T: Keyed>(&mut self, items: &[T]) -> usize {
        if !self.prefix_holds(items) {
            self.map.clear();
            self.covered = 0;
        }
        let from = self.covered;
        for (i, x) in items.iter().enumerate().skip(from) {
            self.map.entry(x.key().to_string()).or_insert(i);
        }
        if from < items.len() || items.is_empty() {
            self.ends = items
                .first()
                .zip(items.last())
                .map(|(a, b)| (a.key().to_string(), b.key().to_string()));
        }
        self.covered = items.len();
        from
    }
}

/// Everything the world indexes. Cloning gives an empty index; every index compares
/// equal, so that worlds compare by their records alone.
#[derive(Debug, Default)]
pub(crate) struct Index {
    pub(crate) stores: IdIndex,
    pub(crate) accounts: IdIndex,
    pub(crate) buyers: IdIndex,
    pub(crate) products: IdIndex,
    pub(crate) carts: IdIndex,
    pub(crate) sessions: IdIndex,
    pub(crate) operations: IdIndex,
    pub(crate) orders: IdIndex,
    pub(crate) validation_outputs: IdIndex,
    pub(crate) delivery_groups: IdIndex,
    pub(crate) payment_authorizations: IdIndex,
    /// Positions of each cart's sessions, in creation order (sessions are never removed).
    sessions_by_cart: HashMap<String, Vec<usize>>,
    /// The position of each cart's session that was not archived when it was indexed:
    /// the only one that can be active, since a cart has at most one active session and
    /// a session never leaves IsArchived.
    active_by_cart: HashMap<String, usize>,
    /// Positions of the operations that are in progress or have an ExpiresAt, in launch
    /// order (a superset: some may have finished since), and how many operations were
    /// looked at.
    live_operations: Vec<usize>,
    operations_seen: usize,
    live_operations_pruned: usize,
    /// Positions of the sessions not archived, in creation order (a superset, pruned
    /// whenever it has doubled), and how many sessions were looked at.
    live_sessions: Vec<usize>,
    sessions_seen: usize,
    live_sessions_pruned: usize,
    /// Every id a session named as BackgroundOperationId or OrderId when it was indexed,
    /// and every removed operation: the only ids that may be named without being a
    /// record (a superset).
    maybe_dangling: HashSet<String>,
}

impl Clone for Index {
    fn clone(&self) -> Index {
        Index::default()
    }
}

impl PartialEq for Index {
    fn eq(&self, _: &Index) -> bool {
        true
    }
}

fn live_operation(o: &BackgroundOperation) -> bool {
    o.status.in_progress() || o.expires_at.is_some()
}

impl World {
    /// Brings the lookup index up to date with the record lists (after records were
    /// appended or removed directly). [`World::apply`] does it before every action; lookups are right without it, only slower.
    pub fn reindex(&mut self) {
        let ix = &mut self.index;
        ix.stores.sync(&self.stores);
        ix.accounts.sync(&self.accounts);
        ix.buyers.sync(&self.buyers);
        ix.products.sync(&self.products);
        ix.carts.sync(&self.carts);
        ix.orders.sync(&self.orders);
        ix.validation_outputs.sync(&self.validation_outputs);
        ix.delivery_groups.sync(&self.delivery_groups);
        ix.payment_authorizations.sync(&self.payment_authorizations);
        let from = ix.sessions.sync(&self.sessions);
        if from == 0 {
            ix.sessions_by_cart.clear();
            ix.active_by_cart.clear();
            ix.live_sessions.clear();
            ix.sessions_seen = 0;
        }
        for (i, s) in self.sessions.iter().enumerate().skip(from) {
            ix.sessions_by_cart
                .entry(s.cart.clone())
                .or_default()
                .push(i);
            if !s.is_archived {
                ix.active_by_cart.insert(s.cart.clone(), i);
            }
            for id in [&s.background_operation_id, &s.order_id]
                .into_iter()
                .flatten()
            {
                ix.maybe_dangling.insert(id.clone());
            }
        }
        let sessions = &self.sessions;
        // Archived sessions are skipped when the list is read; dropping them costs the
        // list's length, so it is done only when the list has doubled since.
        if ix.live_sessions.len() > 2 * ix.live_sessions_pruned + 64 {
            ix.live_sessions
                .retain(|&i| sessions.get(i).is_some_and(|s| !s.is_archived));
            ix.live_sessions_pruned = ix.live_sessions.len();
        }
        for (i, s) in sessions.iter().enumerate().skip(ix.sessions_seen) {
            if !s.is_archived {
                ix.live_sessions.push(i);
            }
        }
        ix.sessions_seen = sessions.len();
        let from = ix.operations.sync(&self.operations);
        if from == 0 {
            ix.live_operations.clear();
            ix.operations_seen = 0;
        }
        let operations = &self.operations;
        // Finished operations are skipped when the list is read; dropping them costs the
        // list's length, so it is done only when the list has doubled since.
        if from == 0 || ix.live_operations.len() > 2 * ix.live_operations_pruned + 64 {
            ix.live_operations
                .retain(|&i| operations.get(i).is_some_and(live_operation));
            ix.live_operations_pruned = ix.live_operations.len();
        }
        let seen = ix.operations_seen.min(operations.len());
        for (i, o) in operations.iter().enumerate().skip(seen) {
            if live_operation(o) {
                ix.live_operations.push(i);
            }
        }
        ix.operations_seen = operations.len();
    }

    /// Appends a session and indexes it at once.
    pub(crate) fn push_session(&mut self, session: CartCheckoutSession) {
        self.sessions.push(session);
        self.journal.appended(List::Sessions);
        let ix = &mut self.index;
        if ix.sessions.appended(&self.sessions) && ix.sessions_seen + 1 == self.sessions.len() {
            let i = self.sessions.len() - 1;
            let s = &self.sessions[i];
            ix.sessions_by_cart
                .entry(s.cart.clone())
                .or_default()
                .push(i);
            if !s.is_archived {
                ix.active_by_cart.insert(s.cart.clone(), i);
                ix.live_sessions.push(i);
            }
            for id in [&s.background_operation_id, &s.order_id]
                .into_iter()
                .flatten()
            {
                ix.maybe_dangling.insert(id.clone());
            }
            ix.sessions_seen = self.sessions.len();
        }
    }

    /// Appends an operation and indexes it at once.
    pub(crate) fn push_operation(&mut self, op: BackgroundOperation) {
        self.operations.push(op);
        self.journal.appended(List::Operations);
        let ix = &mut self.index;
        if ix.operations.appended(&self.operations)
            && ix.operations_seen + 1 == self.operations.len()
        {
            let i = self.operations.len() - 1;
            if live_operation(&self.operations[i]) {
                ix.live_operations.push(i);
            }
            ix.operations_seen = self.operations.len();
        }
    }

    /// Appends a CartValidationOutput and indexes it at once.
    pub(crate) fn push_validation_output(&mut self, row: CartValidationOutput) {
        self.validation_outputs.push(row);
        self.journal.appended(List::ValidationOutputs);
        self.index
            .validation_outputs
            .appended(&self.validation_outputs);
    }

    /// Appends an order and indexes it at once.
    pub(crate) fn push_order(&mut self, order: Order) {
        self.orders.push(order);
        self.journal.appended(List::Orders);
        self.index.orders.appended(&self.orders);
    }

    /// Appends a CartDeliveryGroup and indexes it at once.
    pub(crate) fn push_delivery_group(&mut self, group: CartDeliveryGroup) {
        self.delivery_groups.push(group);
        self.journal.appended(List::DeliveryGroups);
        self.index.delivery_groups.appended(&self.delivery_groups);
    }

    /// Appends a PaymentAuthorization and indexes it at once.
    pub(crate) fn push_payment_authorization(&mut self, pa: PaymentAuthorization) {
        self.payment_authorizations.push(pa);
        self.journal.appended(List::Payments);
        self.index
            .payment_authorizations
            .appended(&self.payment_authorizations);
    }

    /// The cart's active (not archived) session, found without scanning its history
    /// when the index covers the sessions.
    pub(crate) fn active_session_position(&self, cart: &str) -> Option<usize> {
        let covered = self.index.sessions.covered;
        if covered > self.sessions.len() || covered == 0 && !self.sessions.is_empty() {
            return self
                .session_positions(cart)
                .find(|&i| !self.sessions[i].is_archived);
        }
        let tail = self.sessions[covered..]
            .iter()
            .enumerate()
            .rev()
            .find(|(_, s)| s.cart == cart && !s.is_archived)
            .map(|(k, _)| k + covered);
        tail.or_else(|| {
            self.index.active_by_cart.get(cart).copied().filter(|&i| {
                self.sessions
                    .get(i)
                    .is_some_and(|s| s.cart == cart && !s.is_archived)
            })
        })
    }

    /// Operations that are in progress or have an ExpiresAt, in launch order: the only
    /// ones time can change.
    pub(crate) fn live_operations(&self) -> impl Iterator<Item = &BackgroundOperation> {
        let seen = self.index.operations_seen.min(self.operations.len());
        self.index
            .live_operations
            .iter()
            .filter_map(|&i| self.operations.get(i))
            .chain(self.operations[seen..].iter())
            .filter(|o| live_operation(o))
    }

    /// Sessions that are not archived, in creation order.
    pub(crate) fn live_sessions(&self) -> impl Iterator<Item = &CartCheckoutSession> {
        let seen = self.index.sessions_seen.min(self.sessions.len());
        self.index
            .live_sessions
            .iter()
            .filter_map(|&i| self.sessions.get(i))
            .chain(self.sessions[seen..].iter())
            .filter(|s| !s.is_archived)
    }

    /// Positions of a cart's sessions, in creation order.
    pub(crate) fn session_positions<'a>(
        &'a self,
        cart: &'a str,
    ) -> Box<dyn Iterator<Item = usize> + 'a> {
        let covered = self.index.sessions.covered;
        if covered > self.sessions.len() {
            return Box::new(
                self.sessions
                    .iter()
                    .enumerate()
                    .filter(move |(_, s)| s.cart == cart)
                    .map(|(i, _)| i),
            );
        }
        let indexed = self
            .index
            .sessions_by_cart
            .get(cart)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .copied();
        let tail = self.sessions[covered..]
            .iter()
            .enumerate()
            .filter(move |(_, s)| s.cart == cart)
            .map(move |(k, _)| k + covered);
        Box::new(indexed.chain(tail))
    }

    /// Whether a session may name this id without it being a record (a superset): an id
    /// named when the session was indexed, a removed operation's, or one a session not
    /// archived names now (its references may have been edited directly).
    pub(crate) fn maybe_dangling(&self, id: &str) -> bool {
        let names = |s: &CartCheckoutSession| {
            s.background_operation_id.as_deref() == Some(id) || s.order_id.as_deref() == Some(id)
        };
        self.index.maybe_dangling.contains(id)
            || self.sessions[self.index.sessions.covered.min(self.sessions.len())..]
                .iter()
                .any(names)
            || self.live_sessions().any(names)
    }

    /// Removes a BackgroundOperation (it left the queue), keeping the index right.
    pub(crate) fn remove_operation(&mut self, id: &str) {
        // Operations launched since the last reindex join the live list first, so that
        // none is lost when positions shift.
        let seen = self.index.operations_seen.min(self.operations.len());
        for (i, o) in self.operations.iter().enumerate().skip(seen) {
            if live_operation(o) {
                self.index.live_operations.push(i);
            }
        }
        let Some(gone) = self.operations.iter().position(|o| o.id == id) else {
            return;
        };
        self.journal.removed_operation(gone, &self.operations[gone]);
        self.operations.remove(gone);
        self.index.maybe_dangling.insert(id.to_string());
        self.index.operations = IdIndex::default();
        self.index.operations.sync(&self.operations);
        // Every later operation moved up by one.
        self.index.live_operations.retain(|&i| i != gone);
        for i in &mut self.index.live_operations {
            if *i > gone {
                *i -= 1;
            }
        }
        self.index.operations_seen = self.operations.len();
    }

    /// Removes a CartValidationOutput, keeping the index right.
    pub(crate) fn remove_validation_output(&mut self, id: &str) {
        if self.journal.is_on() {
            // Last first, so that undoing (in reverse) puts each back where it was.
            for (i, row) in self.validation_outputs.iter().enumerate().rev() {
                if row.id == id {
                    self.journal.removed_validation_output(i, row);
                }
            }
        }
        self.validation_outputs.retain(|v| v.id != id);
        self.index.validation_outputs = IdIndex::default();
        self.index.validation_outputs.sync(&self.validation_outputs);
    }
}

impl IdIndex {
    /// Forgets the record just popped from `items` (now one shorter), when it was
    /// covered.
    fn popped<T: Keyed>(&mut self, items: &[T], gone: &T) {
        if self.covered != items.len() + 1 {
            return;
        }
        if self.map.get(gone.key()) == Some(&items.len()) {
            self.map.remove(gone.key());
        }
        self.covered = items.len();
        self.ends = match (self.ends.take(), items.last()) {
            (Some((first, _)), Some(last)) => Some((first, last.key().to_string())),
            _ => None,
        };
    }
}

/// Puts `i` into a sorted list of positions, if it is not there.
fn insert_sorted(list: &mut Vec<usize>, i: usize) {
    if let Err(at) = list.binary_search(&i) {
        list.insert(at, i);
    }
}

/// Undoing (see `undo.rs`): each step put back keeps the lookups right, at the cost of
/// the records it touches (a removal put back costs the list, as the removal did).
impl World {
    /// Removes the record last appended to a list.
    pub(crate) fn unappend(&mut self, list: List) {
        fn pop<T: Keyed>(items: &mut Vec<T>, ix: &mut IdIndex) {
            if let Some(gone) = items.pop() {
                ix.popped(items, &gone);
            }
        }
        let ix = &mut self.index;
        match list {
            List::Sessions => self.pop_session(),
            List::Operations => {
                let Some(gone) = self.operations.pop() else {
                    return;
                };
                let i = self.operations.len();
                ix.operations.popped(&self.operations, &gone);
                if ix.operations_seen > i {
                    ix.live_operations.retain(|&k| k != i);
                    ix.operations_seen = i;
                }
            }
            List::Orders => pop(&mut self.orders, &mut ix.orders),
            List::ValidationOutputs => {
                pop(&mut self.validation_outputs, &mut ix.validation_outputs)
            }
            List::DeliveryGroups => pop(&mut self.delivery_groups, &mut ix.delivery_groups),
            List::Payments => pop(
                &mut self.payment_authorizations,
                &mut ix.payment_authorizations,
            ),
            List::Stores => pop(&mut self.stores, &mut ix.stores),
            List::Accounts => pop(&mut self.accounts, &mut ix.accounts),
            List::Buyers => pop(&mut self.buyers, &mut ix.buyers),
            List::Carts => pop(&mut self.carts, &mut ix.carts),
        }
    }

    fn pop_session(&mut self) {
        let Some(gone) = self.sessions.pop() else {
            return;
        };
        let i = self.sessions.len();
        let ix = &mut self.index;
        let covered = ix.sessions.covered > i;
        ix.sessions.popped(&self.sessions, &gone);
        if covered {
            if let Some(list) = ix.sessions_by_cart.get_mut(&gone.cart)
                && list.last() == Some(&i)
            {
                list.pop();
            }
            if ix.active_by_cart.get(&gone.cart) == Some(&i) {
                // The cart's latest session that is not archived, if any, is active again.
                let sessions = &self.sessions;
                let before = ix.sessions_by_cart.get(&gone.cart).and_then(|list| {
                    list.iter()
                        .rev()
                        .copied()
                        .find(|&k| sessions.get(k).is_some_and(|s| !s.is_archived))
                });
                match before {
                    Some(k) => ix.active_by_cart.insert(gone.cart.clone(), k),
                    None => ix.active_by_cart.remove(&gone.cart),
                };
            }
        }
        if ix.sessions_seen > i {
            ix.live_sessions.retain(|&k| k != i);
            ix.sessions_seen = i;
        }
    }

    /// Puts a session back as it was at position `i`.
    pub(crate) fn restore_session(&mut self, i: usize, session: CartCheckoutSession) {
        if i >= self.sessions.len() {
            return;
        }
        let ix = &mut self.index;
        for id in [&session.background_operation_id, &session.order_id]
            .into_iter()
            .flatten()
        {
            ix.maybe_dangling.insert(id.clone());
        }
        if !session.is_archived {
            if ix.sessions.covered > i {
                ix.active_by_cart.insert(session.cart.clone(), i);
            }
            if ix.sessions_seen > i {
                insert_sorted(&mut ix.live_sessions, i);
            }
        }
        self.sessions[i] = session;
    }

    /// Puts an operation back as it was at position `i`.
    pub(crate) fn restore_operation(&mut self, i: usize, op: BackgroundOperation) {
        if i >= self.operations.len() {
            return;
        }
        if live_operation(&op) && self.index.operations_seen > i {
            insert_sorted(&mut self.index.live_operations, i);
        }
        self.operations[i] = op;
    }

    /// Puts a removed operation back at position `i`.
    pub(crate) fn reinsert_operation(&mut self, i: usize, op: BackgroundOperation) {
        let i = i.min(self.operations.len());
        self.operations.insert(i, op);
        let ix = &mut self.index;
        ix.operations = IdIndex::default();
        ix.operations.sync(&self.operations);
        ix.live_operations = (0..self.operations.len())
            .filter(|&k| live_operation(&self.operations[k]))
            .collect();
        ix.live_operations_pruned = ix.live_operations.len();
        ix.operations_seen = self.operations.len();
    }

    /// Puts a removed CartValidationOutput back at position `i`.
    pub(crate) fn reinsert_validation_output(&mut self, i: usize, row: CartValidationOutput) {
        let i = i.min(self.validation_outputs.len());
        self.validation_outputs.insert(i, row);
        self.index.validation_outputs = IdIndex::default();
        self.index.validation_outputs.sync(&self.validation_outputs);
    }

    /// Whether every lookup gives what it gives on a copy of the world indexed from
    /// scratch; names the first that does not.
    #[cfg(test)]
    pub(crate) fn index_agrees(&self) -> Result<(), String> {
        let mut fresh = self.clone();
        fresh.reindex();
        fn ids<'a>(it: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
            it.collect()
        }
        for c in &self.carts {
            if self.active_session_position(&c.id) != fresh.active_session_position(&c.id) {
                return Err(format!("the active session of {}", c.id));
            }
            let a: Vec<usize> = self.session_positions(&c.id).collect();
            let b: Vec<usize> = fresh.session_positions(&c.id).collect();
            if a != b {
                return Err(format!("the sessions of {}: {a:?} / {b:?}", c.id));
            }
        }
        let live = |w: &World| ids(w.live_operations().map(|o| o.id.as_str())).join(" ");
        if live(self) != live(&fresh) {
            return Err(format!(
                "live operations: {} / {}",
                live(self),
                live(&fresh)
            ));
        }
        let live = |w: &World| ids(w.live_sessions().map(|s| s.id.as_str())).join(" ");
        if live(self) != live(&fresh) {
            return Err(format!("live sessions: {} / {}", live(self), live(&fresh)));
        }
        macro_rules! same {
            ($($list:ident),+) => {$(
                for x in &self.$list {
                    if self.index.$list.position(&self.$list, x.key())
                        != fresh.index.$list.position(&fresh.$list, x.key())
                    {
                        return Err(format!("the position of {}", x.key()));
                    }
                }
            )+};
        }
        same!(
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
        for s in &self.sessions {
            for id in [&s.background_operation_id, &s.order_id]
                .into_iter()
                .flatten()
            {
                if self.id_in_use(id) != fresh.id_in_use(id) {
                    return Err(format!("whether {id} is in use"));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Action;
    use crate::scenario::generate::{Spec, generate};
    use crate::scenario::load_bytes;

    fn world(carts: usize) -> World {
        let text = generate(Spec {
            steps: 0,
            carts,
            sparsity: 1,
            seed: 1,
        });
        load_bytes("w.json", text.as_bytes()).unwrap().world
    }

    fn op(id: &str, status: OperationStatus) -> BackgroundOperation {
        BackgroundOperation {
            id: id.into(),
            name: "Price Cart".into(),
            status,
            ticks_left: 3,
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
    fn lookups_find_records_appended_removed_or_cloned_since_the_index_was_built() {
        let mut w = world(50);
        w.reindex();
        assert_eq!(w.cart("cart-49").map(|c| c.id.as_str()), Some("cart-49"));
        assert!(w.cart("cart-50").is_none());
        w.operations.push(op("bop-a", OperationStatus::Running));
        w.operations.push(op("bop-b", OperationStatus::Complete));
        assert!(w.operation("bop-b").is_some(), "found in the tail");
        w.reindex();
        w.remove_operation("bop-a");
        assert!(w.operation("bop-a").is_none());
        assert_eq!(w.operation("bop-b").map(|o| o.id.as_str()), Some("bop-b"));
        // Removed directly, then one appended: the list has its old length again.
        w.reindex();
        w.operations.retain(|o| o.id != "bop-b");
        w.operations.push(op("bop-c", OperationStatus::New));
        assert!(w.operation("bop-b").is_none());
        assert!(w.operation("bop-c").is_some());
        w.reindex();
        assert!(w.operation("bop-c").is_some());
        assert_eq!(w.live_operations().count(), 1);
        let copy = w.clone();
        assert_eq!(copy, w);
        assert!(
            copy.operation("bop-c").is_some(),
            "a clone scans until reindexed"
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
            let active = w.active_session("cart-1").map(|s| s.id.clone());
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
        assert!(
            w.live_operations()
                .all(|o| o.status.in_progress() || o.expires_at.is_some())
        );
    }

    #[test]
    fn a_dangling_reference_is_never_adopted_by_a_new_record() {
        let mut w = world(1);
        w.apply(&Action::StartCheckout {
            cart: "cart-0".into(),
            actor: None,
        });
        // Edited directly: the session names an operation that does not exist.
        w.sessions[0].background_operation_id = Some("bop-2".into());
        w.apply(&Action::Wait { ticks: 50 });
        assert!(w.operations.iter().all(|o| o.id != "bop-2"));
    }

    #[test]
    fn records_created_inside_an_action_are_indexed_at_once() {
        let mut w = world(4);
        for cart in ["cart-0", "cart-1", "cart-2", "cart-3"] {
            w.apply(&Action::StartCheckout {
                cart: cart.into(),
                actor: None,
            });
        }
        w.apply(&Action::Settle);
        // Every record the settle created is covered by the index, not left to a scan
        // of the list's tail.
        assert_eq!(w.index.operations.covered, w.operations.len());
        assert_eq!(w.index.sessions.covered, w.sessions.len());
        assert_eq!(w.index.orders.covered, w.orders.len());
        for o in &w.operations {
            assert_eq!(w.operation(&o.id).map(|x| &x.id), Some(&o.id));
        }
    }

    #[test]
    fn the_active_session_is_the_one_not_archived_whatever_its_place() {
        // A file may stage the active session before an archived one of the same cart.
        let text = r#"{"cartsim": 1, "title": "t", "world": {
            "stores": [{"id": "w"}], "accounts": [{"id": "a", "stores": ["w"]}],
            "buyers": [{"id": "b", "accounts": ["a"]}],
            "carts": [{"id": "c", "store": "w", "buyer": "b", "status": "Checkout"}],
            "operations": [{"id": "op-1", "name": "Check Cart Inventory", "status": "Running"}],
            "sessions": [{"id": "s-1", "cart": "c", "state": "Inventory", "is_processing": true,
                          "background_operation_id": "op-1"},
                         {"id": "s-2", "cart": "c", "state": "Complete", "is_archived": true}]}}"#;
        let mut w = load_bytes("t.json", text.as_bytes()).unwrap().world;
        w.reindex();
        assert_eq!(w.active_session("c").map(|s| s.id.as_str()), Some("s-1"));
        // Unindexed (a fresh clone) gives the same answer.
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
        w.apply(&Action::StartCheckout {
            cart: "c".into(),
            actor: None,
        });
        assert_eq!(w.active_session("c").map(|s| s.id.as_str()), Some("ccs-1"));
    }
}
