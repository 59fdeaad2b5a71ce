//! Record ids, interned: an [`Id`] points at text held once for the whole process, so
//! copying an id, comparing two and keeping one in a lookup cost what an integer costs,
//! and a record with ids is copied without allocating.
//!
//! The text of each distinct id is kept until the process ends. Ids come from the files
//! and exports a person opens and from the ids the engine generates (`ccs-N`, `bop-N`,
//! ...), so what is kept is bounded by what was read and played.
//!
//! The table is written here rather than taken from an interning crate: the engine
//! interns an id at every launch, and a table that starts small and grows with the ids
//! stays in the processor's cache, where a large table set aside up front (`ustr`'s
//! 12 MB) cost a cache miss on every id made (a sixth of a long `settle`).

use std::borrow::Borrow;
use std::collections::HashSet;
use std::fmt;
use std::hash::{BuildHasher, Hash, Hasher};
use std::ops::Deref;
use std::sync::{LazyLock, Mutex};

/// A record's id (or a reference to one): interned text.
///
/// It reads as a `&str` wherever one is expected. It hashes and orders as its text does,
/// so maps keyed by ids are found by `&str`, and iteration orders are those of the
/// strings they replaced. Two ids are equal when they point at the same text. It holds
/// the text's place and length, so reading it costs no load of its own.
#[derive(Clone, Copy)]
pub struct Id(&'static str);

type Hashing = foldhash::fast::FixedState;

/// One shard of the table: each text once, found by `&str` (its place and length are
/// held in the table itself, so a lookup reads the text it compares and nothing else).
type Shard = HashSet<&'static str, Hashing>;

/// Shards of the table, each behind its own lock, so that explore's threads seldom wait
/// for one another.
const SHARDS: usize = 16;

static TABLE: LazyLock<[Mutex<Shard>; SHARDS]> =
    LazyLock::new(|| std::array::from_fn(|_| Mutex::new(HashSet::default())));

/// The shard that holds (or would hold) this text.
fn shard(text: &str) -> &'static Mutex<Shard> {
    // The table's own hasher picks a place inside the shard from the low bits; the
    // shard is picked from the high ones.
    let hash = Hashing::default().hash_one(text);
    &TABLE[(hash >> 60) as usize % SHARDS]
}

impl Id {
    /// The id with this text (interned on first use).
    pub fn new(text: &str) -> Id {
        // A poisoned lock still holds a consistent table: texts are only ever added.
        let mut set = shard(text).lock().unwrap_or_else(|e| e.into_inner());
        if let Some(kept) = set.get(text) {
            return Id(kept);
        }
        let kept: &'static str = Box::leak(text.to_owned().into_boxed_str());
        set.insert(kept);
        Id(kept)
    }

    /// The id with this text if any id with it was ever made, without interning it: an
    /// id no record could hold costs one lookup and nothing kept.
    pub fn existing(text: &str) -> Option<Id> {
        let set = shard(text).lock().unwrap_or_else(|e| e.into_inner());
        set.get(text).map(|kept| Id(kept))
    }

    /// The text, for as long as the process runs.
    pub fn as_str(&self) -> &'static str {
        self.0
    }
}

impl Default for Id {
    /// The empty id.
    fn default() -> Id {
        Id::new("")
    }
}

/// The same text is the same place: one compare.
impl PartialEq for Id {
    fn eq(&self, other: &Id) -> bool {
        std::ptr::eq(self.0.as_ptr(), other.0.as_ptr())
    }
}

impl Eq for Id {}

impl Deref for Id {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Id {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

/// Consistent with [`Hash`] and [`Eq`]: both follow the text.
impl Borrow<str> for Id {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

/// As the text hashes, so that a map keyed by ids is found by `&str`.
impl Hash for Id {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl PartialOrd for Id {
    fn partial_cmp(&self, other: &Id) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// As the text orders.
impl Ord for Id {
    fn cmp(&self, other: &Id) -> std::cmp::Ordering {
        if self == other {
            return std::cmp::Ordering::Equal;
        }
        self.as_str().cmp(other.as_str())
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// As a `String` shows, so that debug output reads as before.
impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl From<&str> for Id {
    fn from(text: &str) -> Id {
        Id::new(text)
    }
}

impl From<String> for Id {
    fn from(text: String) -> Id {
        Id::new(&text)
    }
}

impl From<&String> for Id {
    fn from(text: &String) -> Id {
        Id::new(text)
    }
}

impl From<Id> for String {
    fn from(id: Id) -> String {
        id.as_str().to_string()
    }
}

impl From<Id> for std::borrow::Cow<'static, str> {
    fn from(id: Id) -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed(id.as_str())
    }
}

/// Written as its text.
impl serde::Serialize for Id {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl PartialEq<str> for Id {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Id {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Id {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<Id> for str {
    fn eq(&self, other: &Id) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Id> for &str {
    fn eq(&self, other: &Id) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<Id> for String {
    fn eq(&self, other: &Id) -> bool {
        self == other.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn an_id_is_its_text_wherever_text_is_expected() {
        let a = Id::new("cart-1");
        assert_eq!(a, "cart-1");
        assert_eq!(a, Id::from("cart-1".to_string()));
        assert_ne!(a, Id::new("cart-2"));
        assert_eq!(format!("{a}"), "cart-1");
        assert_eq!(format!("{a:?}"), format!("{:?}", "cart-1"));
        let mut by_id = HashMap::new();
        by_id.insert(a, 1);
        assert_eq!(by_id.get("cart-1"), Some(&1), "found by &str");
    }

    #[test]
    fn the_same_text_is_the_same_id_from_any_thread() {
        let here = Id::new("bop-interned-once");
        let there: Vec<Id> = (0..4)
            .map(|_| std::thread::spawn(|| Id::new("bop-interned-once")))
            .map(|t| t.join().expect("interns"))
            .collect();
        assert!(
            there
                .iter()
                .all(|id| std::ptr::eq(id.as_str(), here.as_str()))
        );
        assert_eq!(Id::existing("bop-interned-once"), Some(here));
        assert_eq!(Id::existing("bop-never-made-by-anyone"), None);
        assert_eq!(
            Id::existing("bop-never-made-by-anyone"),
            None,
            "asking keeps nothing"
        );
        assert_eq!(Id::default(), "");
    }

    #[test]
    fn ids_order_as_their_text() {
        let mut ids: Vec<Id> = ["ccs-10", "ccs-2", "bop-1", "ccs-1"]
            .into_iter()
            .map(Id::new)
            .collect();
        ids.sort();
        let text: Vec<&str> = ids.iter().map(|i| i.as_str()).collect();
        assert_eq!(text, ["bop-1", "ccs-1", "ccs-10", "ccs-2"]);
    }
}
