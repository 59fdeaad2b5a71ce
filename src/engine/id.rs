//! Record ids, interned: an [`Id`] is one pointer to text held once for the whole
//! process, so copying an id, comparing two and keeping one in a lookup cost what an
//! integer costs, and a record with ids is copied without allocating.
//!
//! The text of each distinct id is kept until the process ends. Ids come from the files
//! and exports a person opens and from the ids the engine generates (`ccs-N`, `bop-N`,
//! ...), so what is kept is bounded by what was read and played.

use std::borrow::Borrow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

/// A record's id (or a reference to one): interned text.
///
/// It reads as a `&str` wherever one is expected. It hashes and orders as its text does,
/// so maps keyed by ids are found by `&str`, and iteration orders are those of the
/// strings they replaced.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub struct Id(ustr::Ustr);

impl Id {
    /// The id with this text (interned on first use).
    pub fn new(text: &str) -> Id {
        Id(ustr::Ustr::from(text))
    }

    /// The id with this text if any id with it was ever made, without interning it: an
    /// id no record could hold costs one lookup and nothing kept.
    pub fn existing(text: &str) -> Option<Id> {
        ustr::Ustr::from_existing(text).map(Id)
    }

    /// The text, for as long as the process runs.
    pub fn as_str(&self) -> &'static str {
        self.0.as_str()
    }
}

impl Deref for Id {
    type Target = str;
    fn deref(&self) -> &str {
        self.0.as_str()
    }
}

impl AsRef<str> for Id {
    fn as_ref(&self) -> &str {
        self.0.as_str()
    }
}

/// Consistent with [`Hash`] and [`Eq`]: both follow the text.
impl Borrow<str> for Id {
    fn borrow(&self) -> &str {
        self.0.as_str()
    }
}

/// As the text hashes, so that a map keyed by ids is found by `&str`.
impl Hash for Id {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.as_str().hash(state);
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
        if self.0 == other.0 {
            return std::cmp::Ordering::Equal;
        }
        self.0.as_str().cmp(other.0.as_str())
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.as_str())
    }
}

/// As a `String` shows, so that debug output reads as before.
impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.0.as_str(), f)
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
        serializer.serialize_str(self.0.as_str())
    }
}

impl PartialEq<str> for Id {
    fn eq(&self, other: &str) -> bool {
        self.0.as_str() == other
    }
}

impl PartialEq<&str> for Id {
    fn eq(&self, other: &&str) -> bool {
        self.0.as_str() == *other
    }
}

impl PartialEq<String> for Id {
    fn eq(&self, other: &String) -> bool {
        self.0.as_str() == other
    }
}

impl PartialEq<Id> for str {
    fn eq(&self, other: &Id) -> bool {
        self == other.0.as_str()
    }
}

impl PartialEq<Id> for &str {
    fn eq(&self, other: &Id) -> bool {
        *self == other.0.as_str()
    }
}

impl PartialEq<Id> for String {
    fn eq(&self, other: &Id) -> bool {
        self == other.0.as_str()
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
