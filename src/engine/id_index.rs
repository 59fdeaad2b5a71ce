//! A table's ids and where their records sit: a short list while the table is small,
//! a persistent hash map beyond.
//!
//! Most tables of a world hold a handful of records (a store's carts, a cart's
//! sessions), and a lookup by id is the engine's commonest read. Walking a short list
//! and comparing the interned id's pointer first costs less than hashing the text and
//! walking a hash map's node, and the list is copied whole (at most [`FEW`] entries of
//! 16 bytes) only when a snapshot shares it. Past [`FEW`] ids the list becomes a
//! persistent map, so that a table of thousands of records still finds one in a
//! logarithm.

use super::id::Id;
use super::table::{Map, Seq};
use std::sync::Arc;

/// The most ids kept as a list.
pub(crate) const FEW: usize = 8;

/// Ids to places, each id once (the first place given keeps it).
#[derive(Clone)]
pub(crate) enum IdIndex {
    /// At most [`FEW`] ids, in the order they were added.
    Few(Arc<Vec<(Id, Seq)>>),
    /// More.
    Many(Map<Id, Seq>),
}

impl Default for IdIndex {
    fn default() -> IdIndex {
        IdIndex::Few(Arc::new(Vec::new()))
    }
}

/// Whether `text` is `id`'s own interned text (the usual case: the text read from an
/// id is the id's own).
fn same_pointer(id: &Id, text: &str) -> bool {
    let own = id.as_str();
    own.as_ptr() == text.as_ptr() && own.len() == text.len()
}

/// Whether `id` has the text `text`: the same interned pointer, or the same characters.
fn same(id: &Id, text: &str) -> bool {
    same_pointer(id, text) || id.as_str() == text
}

impl IdIndex {
    /// Where the record with this id sits.
    pub(crate) fn get(&self, id: &str) -> Option<Seq> {
        match self {
            IdIndex::Few(list) => {
                // Pointers first: an id read from a record matches without comparing text.
                list.iter()
                    .find(|(k, _)| same_pointer(k, id))
                    .or_else(|| list.iter().find(|(k, _)| k.as_str() == id))
                    .map(|&(_, seq)| seq)
            }
            IdIndex::Many(map) => map.get(id).copied(),
        }
    }

    /// Adds `id` at `seq` unless it is already there (the first place keeps it).
    pub(crate) fn add_first(&mut self, id: Id, seq: Seq) {
        if self.get(&id).is_some() {
            return;
        }
        self.set(id, seq);
    }

    /// Puts `id` at `seq`, in place of where it was.
    pub(crate) fn set(&mut self, id: Id, seq: Seq) {
        match self {
            IdIndex::Few(list) => {
                // The list is copied (when a snapshot shares it) only to change it.
                if let Some(at) = list.iter().position(|(k, _)| *k == id) {
                    Arc::make_mut(list)[at].1 = seq;
                } else if list.len() < FEW {
                    Arc::make_mut(list).push((id, seq));
                } else {
                    let mut map: Map<Id, Seq> = list.iter().copied().collect();
                    map.insert(id, seq);
                    *self = IdIndex::Many(map);
                }
            }
            IdIndex::Many(map) => {
                map.insert(id, seq);
            }
        }
    }

    /// Takes `id` out; returns where it was.
    pub(crate) fn remove(&mut self, id: &str) -> Option<Seq> {
        match self {
            IdIndex::Few(list) => {
                let at = list.iter().position(|(k, _)| same(k, id))?;
                Some(Arc::make_mut(list).remove(at).1)
            }
            // A map that shrinks stays a map: tables rarely shrink, and a map is right
            // whatever its size.
            IdIndex::Many(map) => map.remove(id),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    #[derive(Debug, Clone)]
    enum Op {
        AddFirst(u8, u64),
        Set(u8, u64),
        Remove(u8),
        Snapshot,
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0u8..24, 0u64..100).prop_map(|(k, s)| Op::AddFirst(k, s)),
            (0u8..24, 0u64..100).prop_map(|(k, s)| Op::Set(k, s)),
            (0u8..24).prop_map(Op::Remove),
            Just(Op::Snapshot),
        ]
    }

    fn key(k: u8) -> Id {
        Id::new(&format!("idx-{k}"))
    }

    proptest! {
        /// Through additions, replacements and removals that cross the list's limit,
        /// the index answers as a plain map does, for ids given by their interned text
        /// and by a copy of the text; and a snapshot taken on the way keeps what it had.
        #[test]
        fn an_index_answers_as_a_map_does_short_or_long(ops in prop::collection::vec(op(), 0..120)) {
            let mut index = IdIndex::default();
            let mut model: HashMap<u8, u64> = HashMap::new();
            let mut snapshots: Vec<(IdIndex, HashMap<u8, u64>)> = Vec::new();
            for op in ops {
                match op {
                    Op::AddFirst(k, s) => {
                        index.add_first(key(k), s);
                        model.entry(k).or_insert(s);
                    }
                    Op::Set(k, s) => {
                        index.set(key(k), s);
                        model.insert(k, s);
                    }
                    Op::Remove(k) => {
                        let copy = key(k).as_str().to_string();
                        prop_assert_eq!(index.remove(&copy), model.remove(&k));
                    }
                    Op::Snapshot => snapshots.push((index.clone(), model.clone())),
                }
                for k in 0..24 {
                    prop_assert_eq!(index.get(key(k).as_str()), model.get(&k).copied());
                    let copy = key(k).as_str().to_string();
                    prop_assert_eq!(index.get(&copy), model.get(&k).copied());
                }
            }
            for (snapshot, model) in snapshots {
                for k in 0..24 {
                    prop_assert_eq!(snapshot.get(key(k).as_str()), model.get(&k).copied());
                }
            }
        }
    }

    #[test]
    fn more_ids_than_the_list_holds_move_to_a_map() {
        let mut index = IdIndex::default();
        for k in 0..FEW as u8 {
            index.set(key(k), u64::from(k));
        }
        assert!(matches!(index, IdIndex::Few(_)));
        index.set(key(FEW as u8), 99);
        assert!(matches!(index, IdIndex::Many(_)));
        assert_eq!(index.get(key(FEW as u8).as_str()), Some(99));
        assert_eq!(index.get(key(0).as_str()), Some(0));
    }
}
