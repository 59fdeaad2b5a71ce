//! One kind of record: the records in the order they were added, found by id.
//!
//! Both halves are persistent collections ([`imbl`]): cloning a table (and so a world)
//! copies two pointers, and a clone that is then changed copies only the path to what
//! changed. Each record sits behind its own `Arc`, so the first change to a shared
//! record copies that record alone. This is what makes a world snapshot cheap for the
//! player's history, `diagnose`'s predictions and `explore`'s search.
//!
//! The records sit in a persistent vector indexed by their place (`Seq`), a removed
//! record leaving an empty slot: finding the record at a place is an index into a
//! shallow tree rather than a search down an ordered map, and the id map gives the
//! place.

use super::id::Id;
use super::id_index::IdIndex;
use imbl::shared_ptr::DefaultSharedPtr;
use imbl::{GenericHashMap, GenericOrdSet, Vector};
use std::sync::Arc;

/// A persistent hash map with the engine's fixed, fast hasher (iteration order is never
/// read, so a fixed seed costs nothing in behaviour and keeps runs reproducible).
pub(crate) type Map<K, V> = GenericHashMap<K, V, foldhash::fast::FixedState, DefaultSharedPtr>;

/// A persistent ordered set.
pub(crate) type Set<A> = GenericOrdSet<A, DefaultSharedPtr>;

/// A record with an id.
pub trait Keyed: Clone {
    /// The id (the SKU for a product).
    fn key(&self) -> Id;
}

/// The place of a record in its table: ascending in the order records were added, never
/// reused, so it orders records without shifting when one is removed.
pub(crate) type Seq = u64;

/// The records of one kind, in the order they were added, each found by its id.
///
/// A valid world has unique ids. A world being checked may hold a repeated id (so that
/// the check can name both places); a lookup then finds the first.
pub struct Table<T> {
    /// Slot `seq` holds the record stored there, or nothing once it was removed; there
    /// are always `next` slots.
    rows: Vector<Option<Arc<T>>>,
    ids: IdIndex,
    /// How many slots hold a record.
    live: usize,
    next: Seq,
}

impl<T> Clone for Table<T> {
    fn clone(&self) -> Table<T> {
        Table {
            rows: self.rows.clone(),
            ids: self.ids.clone(),
            live: self.live,
            next: self.next,
        }
    }
}

impl<T> Default for Table<T> {
    fn default() -> Table<T> {
        Table {
            rows: Vector::new(),
            ids: IdIndex::default(),
            live: 0,
            next: 0,
        }
    }
}

impl<T: Keyed + std::fmt::Debug> std::fmt::Debug for Table<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// Tables compare by their records in order (not by where they were stored).
impl<T: Keyed + PartialEq> PartialEq for Table<T> {
    fn eq(&self, other: &Table<T>) -> bool {
        (self.rows.ptr_eq(&other.rows) && self.next == other.next)
            || (self.len() == other.len() && self.iter().eq(other.iter()))
    }
}

/// The records of a table in order, skipping the slots of removed ones.
pub struct Iter<'a, T> {
    slots: imbl::vector::Iter<'a, Option<Arc<T>>, DefaultSharedPtr>,
    left: usize,
}

impl<'a, T> Iterator for Iter<'a, T> {
    type Item = &'a T;
    fn next(&mut self) -> Option<&'a T> {
        let record = self.slots.by_ref().flatten().next()?;
        self.left -= 1;
        Some(record)
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl<T> DoubleEndedIterator for Iter<'_, T> {
    fn next_back(&mut self) -> Option<Self::Item> {
        while let Some(slot) = self.slots.next_back() {
            if let Some(record) = slot {
                self.left -= 1;
                return Some(record);
            }
        }
        None
    }
}

impl<T> ExactSizeIterator for Iter<'_, T> {}

impl<T: Keyed> Table<T> {
    /// How many records.
    pub fn len(&self) -> usize {
        self.live
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// The records, in the order they were added.
    pub fn iter(&self) -> Iter<'_, T> {
        Iter {
            slots: self.rows.iter(),
            left: self.live,
        }
    }

    /// The record with this id.
    pub fn get(&self, id: &str) -> Option<&T> {
        let seq = self.ids.get(id)?;
        self.at(seq)
    }

    /// Whether a record has this id.
    pub fn contains(&self, id: &str) -> bool {
        self.ids.get(id).is_some()
    }

    /// The first record added (of those still here).
    pub fn first(&self) -> Option<&T> {
        self.iter().next()
    }

    /// The last record added.
    pub fn last(&self) -> Option<&T> {
        self.iter().next_back()
    }

    /// The record at this position, counting from the first (walks the records before it).
    pub fn nth(&self, i: usize) -> Option<&T> {
        self.iter().nth(i)
    }

    /// The position of the record with this id, counting from the first (walks the
    /// records before it).
    pub fn position(&self, id: &str) -> Option<usize> {
        let seq = self.ids.get(id)?;
        Some(
            self.rows
                .iter()
                .take(seq as usize)
                .filter(|slot| slot.is_some())
                .count(),
        )
    }

    /// Where the record with this id is stored.
    pub(crate) fn seq(&self, id: &str) -> Option<Seq> {
        self.ids.get(id)
    }

    /// The record stored at `seq`.
    pub(crate) fn at(&self, seq: Seq) -> Option<&T> {
        self.rows.get(seq as usize)?.as_deref()
    }

    /// Where the next record added will be stored.
    pub(crate) fn next_seq(&self) -> Seq {
        self.next
    }

    /// Adds a record after the others; returns where it is stored.
    pub(crate) fn insert(&mut self, record: T) -> Seq {
        let seq = self.next;
        self.next += 1;
        // The first record with an id keeps it.
        self.ids.add_first(record.key(), seq);
        self.rows.push_back(Some(Arc::new(record)));
        self.live += 1;
        seq
    }

    /// Changes the record with this id in place (its id must stay); copies it first only
    /// when a snapshot shares it. Returns where it is stored and what `edit` returned.
    pub(crate) fn update<R>(
        &mut self,
        id: &str,
        edit: impl FnOnce(&mut T) -> R,
    ) -> Option<(Seq, R)> {
        let seq = self.ids.get(id)?;
        let row = self.rows.get_mut(seq as usize)?.as_mut()?;
        let record = Arc::make_mut(row);
        let out = edit(record);
        debug_assert_eq!(record.key(), id, "a record keeps its id");
        Some((seq, out))
    }

    /// Removes the record with this id; returns where it was stored and the record.
    pub(crate) fn remove(&mut self, id: &str) -> Option<(Seq, Arc<T>)> {
        let seq = self.ids.remove(id)?;
        let record = self.rows.get_mut(seq as usize)?.take()?;
        self.live -= 1;
        Some((seq, record))
    }
}

/// Undoing (see `undo.rs`): each puts a table back exactly as it was before the change
/// it undoes, places included, so a later undo or replay finds what it expects.
impl<T: Keyed> Table<T> {
    /// The record stored at `seq`, shared (the next change to it then copies it).
    pub(crate) fn shared(&self, seq: Seq) -> Option<Arc<T>> {
        self.rows.get(seq as usize)?.clone()
    }

    /// Takes out the record inserted last at `seq`, and gives its place back.
    pub(crate) fn take_back(&mut self, seq: Seq) -> Option<Arc<T>> {
        let record = self.rows.get_mut(seq as usize)?.take()?;
        self.live -= 1;
        let key = record.key();
        if self.ids.get(&key) == Some(seq) {
            self.ids.remove(&key);
        }
        if self.next == seq + 1 {
            self.next = seq;
            self.rows.pop_back();
        }
        Some(record)
    }

    /// Puts `record` (with the same id) at `seq` in place of the one there; returns
    /// that one.
    pub(crate) fn replace(&mut self, seq: Seq, record: Arc<T>) -> Option<Arc<T>> {
        let row = self.rows.get_mut(seq as usize)?.as_mut()?;
        Some(std::mem::replace(row, record))
    }

    /// Puts a removed record back at `seq`, found by its id again.
    pub(crate) fn put_back(&mut self, seq: Seq, record: Arc<T>) {
        let Some(slot) = self.rows.get_mut(seq as usize) else {
            return;
        };
        if slot.is_none() {
            self.live += 1;
        }
        self.ids.set(record.key(), seq);
        *slot = Some(record);
    }
}

impl<'a, T: Keyed> IntoIterator for &'a Table<T> {
    type Item = &'a T;
    type IntoIter = Iter<'a, T>;
    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}

impl<T: Keyed> FromIterator<T> for Table<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Table<T> {
        let mut table = Table::default();
        for record in iter {
            table.insert(record);
        }
        table
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, PartialEq)]
    struct Row(String, u32);
    impl Keyed for Row {
        fn key(&self) -> Id {
            Id::new(&self.0)
        }
    }

    fn row(id: &str, n: u32) -> Row {
        Row(id.to_string(), n)
    }

    #[test]
    fn records_keep_their_order_and_are_found_by_id_after_removals() {
        let mut t: Table<Row> = ["a", "b", "c", "d"].iter().map(|id| row(id, 0)).collect();
        assert_eq!(t.remove("b").map(|(_, r)| r.0.clone()), Some("b".into()));
        t.insert(row("e", 0));
        let ids: Vec<&str> = t.iter().map(|r| r.0.as_str()).collect();
        assert_eq!(ids, ["a", "c", "d", "e"]);
        assert!(t.get("b").is_none());
        assert_eq!(t.get("d"), Some(&row("d", 0)));
        assert_eq!(t.position("e"), Some(3));
        assert_eq!(t.nth(1), Some(&row("c", 0)));
        assert_eq!(t.iter().next_back(), Some(&row("e", 0)));
        assert_eq!(
            (t.first(), t.last()),
            (Some(&row("a", 0)), Some(&row("e", 0)))
        );
    }

    #[test]
    fn a_clone_is_a_snapshot_that_later_changes_do_not_reach() {
        let mut t: Table<Row> = (0..1000).map(|i| row(&format!("r{i}"), 0)).collect();
        let snapshot = t.clone();
        t.update("r500", |r| r.1 = 7);
        t.remove("r3");
        t.insert(row("new", 1));
        assert_eq!(snapshot.get("r500"), Some(&row("r500", 0)));
        assert_eq!(snapshot.len(), 1000);
        assert!(snapshot.get("new").is_none());
        assert_eq!(t.get("r500"), Some(&row("r500", 7)));
        assert_ne!(t, snapshot);
        // Tables with the same records in the same order are equal, however stored.
        let rebuilt: Table<Row> = t.iter().cloned().collect();
        assert_eq!(rebuilt, t);
    }

    #[test]
    fn a_repeated_id_is_kept_in_order_and_found_at_its_first_place() {
        let t: Table<Row> = [row("x", 1), row("y", 0), row("x", 2)]
            .into_iter()
            .collect();
        assert_eq!(t.len(), 3);
        assert_eq!(t.get("x"), Some(&row("x", 1)));
    }
}
