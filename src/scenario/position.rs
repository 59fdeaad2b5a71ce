//! Where each value of a JSON document starts, by JSON path (`steps[3].cart`), so that
//! every error in a file can name its line and column.
//!
//! Runs only on text that serde_json has already accepted, so it need not diagnose
//! syntax; it walks iteratively, so no input can exhaust the stack. The index is a tree
//! of small fixed-size nodes, one per value; the children of every array and object lie
//! in one flat list, each container pointing at its run, and each member name is stored
//! once however often it repeats. So its memory is linear in the input and small per
//! value (a file may hold a million steps): no path string is stored per value, which
//! made a long key repeated down a big array cost gigabytes, and no allocation is made
//! per value.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// A 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1, in characters.
    pub column: usize,
}

/// A position as the index keeps it: half the size of a [`Position`]. Line 0 means
/// none. A file the loader reads is at most 64 MiB, far below `u32::MAX` lines or
/// columns; a longer text saturates rather than wraps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct At {
    line: u32,
    column: u32,
}

impl At {
    const NONE: At = At { line: 0, column: 0 };

    fn new(p: Position) -> At {
        At {
            line: small(p.line),
            column: small(p.column),
        }
    }

    fn get(self) -> Option<Position> {
        (self.line != 0).then_some(Position {
            line: self.line as usize,
            column: self.column as usize,
        })
    }
}

/// A count or place that fits the index's 32-bit fields (see [`At`]).
fn small(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// One value: where it starts, where its key starts when it is an object member, and
/// for an array or object the run of its children in [`PositionIndex::children`]
/// (`first`, `len`).
#[derive(Debug, Clone, Copy)]
struct Node {
    value: At,
    key: At,
    first: u32,
    len: u32,
}

/// The name an array's element has in [`PositionIndex::children`]: none (names are
/// numbered from 0 up, so no name has this number).
const ELEMENT: u32 = u32::MAX;

/// The positions of every value and every object key in a document.
#[derive(Debug, Default)]
pub struct PositionIndex {
    /// Node 0 is the document's top value.
    nodes: Vec<Node>,
    /// The children of every array and object as (name, node), one run per container:
    /// an array's elements in order (named [`ELEMENT`]), an object's members sorted by
    /// name and, for a name given twice, in file order (the first one is found).
    children: Vec<(u32, u32)>,
    /// Each member name once, numbered in the order first seen.
    names: HashMap<Box<str>, u32>,
    /// The first key that appears twice in one object, with its path and position.
    pub duplicate: Option<(String, Position)>,
}

/// How many ways of cutting a path's next member name are tried: a key may itself hold
/// `.` or `[` (`"cart-1.Status"`), and this bounds the work on a hostile key.
const MAX_CUTS: usize = 64;

/// From this many members on, an object being read looks for a repeated key in a hash
/// set rather than among its members read so far.
const SMALL_OBJECT: usize = 16;

impl PositionIndex {
    /// The children of `node`, as (name, node).
    fn run(&self, node: usize) -> &[(u32, u32)] {
        let n = self.nodes[node];
        let first = n.first as usize;
        self.children
            .get(first..first + n.len as usize)
            .unwrap_or_default()
    }

    /// The element `index` of the array at `node`.
    fn element(&self, node: usize, index: usize) -> Option<usize> {
        match self.run(node).get(index) {
            Some(&(ELEMENT, child)) => Some(child as usize),
            _ => None,
        }
    }

    /// The member `name` of the object at `node` (the first, if it is given twice).
    fn member(&self, node: usize, name: &str) -> Option<usize> {
        let &id = self.names.get(name)?;
        let run = self.run(node);
        let at = run.partition_point(|&(k, _)| k < id);
        match run.get(at) {
            Some(&(k, child)) if k == id => Some(child as usize),
            _ => None,
        }
    }

    /// The node at `path`, if the document has one.
    fn find(&self, path: &str) -> Option<usize> {
        if self.nodes.is_empty() {
            return None;
        }
        let mut node = 0;
        let mut rest = path;
        let mut first = true;
        while !rest.is_empty() {
            if let Some(inner) = rest.strip_prefix('[')
                && let Some(close) = inner.find(']')
                && let Ok(i) = inner[..close].parse::<usize>()
                && let Some(child) = self.element(node, i)
            {
                node = child;
                rest = &inner[close + 1..];
                first = false;
                continue;
            }
            let name = if first { rest } else { rest.strip_prefix('.')? };
            // The longest member name that exists wins.
            let mut cuts: Vec<usize> = name
                .match_indices(['.', '['])
                .map(|(i, _)| i)
                .take(MAX_CUTS)
                .collect();
            cuts.push(name.len());
            let (child, cut) = cuts
                .iter()
                .rev()
                .find_map(|&cut| self.member(node, &name[..cut]).map(|c| (c, cut)))?;
            node = child;
            rest = &name[cut..];
            first = false;
        }
        Some(node)
    }

    /// Where the value at `path` starts.
    pub fn value(&self, path: &str) -> Option<Position> {
        self.find(path).and_then(|n| self.nodes[n].value.get())
    }

    /// Where the key of the member at `path` starts (falls back to the value).
    pub fn key(&self, path: &str) -> Option<Position> {
        self.find(path).and_then(|n| {
            let node = self.nodes[n];
            node.key.get().or(node.value.get())
        })
    }

    /// How many elements (or members) the array (or object) at `path` has: 0 for any
    /// other value, `None` when there is no value at `path`. Lets a reader size its
    /// list before it reads a long array.
    pub fn count(&self, path: &str) -> Option<usize> {
        self.find(path).map(|n| self.run(n).len())
    }

    /// The nearest known position for `path`: its key, else its value, else its
    /// closest ancestor's.
    pub fn nearest(&self, path: &str) -> Position {
        let mut p = path;
        loop {
            if let Some(pos) = self.key(p) {
                return pos;
            }
            match parent(p) {
                Some(up) => p = up,
                None => return self.value("").unwrap_or(Position { line: 1, column: 1 }),
            }
        }
    }

    /// The number of a member name, given it one if it is new.
    fn name_id(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.names.get(name) {
            return id;
        }
        let id = small(self.names.len());
        self.names.insert(name.into(), id);
        id
    }

    /// The member name numbered `id` (only for a message: it looks through every name).
    fn name(&self, id: u32) -> &str {
        self.names
            .iter()
            .find(|&(_, &n)| n == id)
            .map_or("", |(name, _)| name)
    }
}

/// The path of the container holding `path` (`steps[3].cart` -> `steps[3]`).
pub fn parent(path: &str) -> Option<&str> {
    if path.is_empty() {
        return None;
    }
    let cut = path.rfind(['.', '[']).unwrap_or(0);
    Some(&path[..cut])
}

/// Joins a member name onto a path.
pub fn member(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Joins an array index onto a path.
pub fn element(path: &str, index: usize) -> String {
    format!("{path}[{index}]")
}

/// A container being read. Its children read so far are the entries of `pending` from
/// `start` on (the containers inside it have moved theirs out when they closed).
enum Frame {
    Object {
        node: usize,
        start: usize,
        /// The member being read: its name's number and where its key starts.
        key: Option<(u32, Position)>,
        /// The names of the members read so far, once the object is no longer small.
        seen: Option<HashSet<u32>>,
    },
    Array {
        node: usize,
        start: usize,
        next: usize,
    },
}

/// The path of the value being read inside the innermost of `stack`, written out only
/// for a message (the first duplicate key).
fn stack_path(index: &PositionIndex, stack: &[Frame]) -> String {
    let mut out = String::new();
    for frame in stack {
        match frame {
            Frame::Object {
                key: Some((k, _)), ..
            } => out = member(&out, index.name(*k)),
            Frame::Object { key: None, .. } => {}
            Frame::Array { next, .. } => out = element(&out, next.saturating_sub(1)),
        }
    }
    out
}

/// The phase a watched load ([`crate::progress`]) is in while the text is read, counted
/// in bytes.
pub const READING: &str = "reading the file (bytes)";

/// Builds the index of a syntactically valid JSON text.
pub fn index(text: &str) -> PositionIndex {
    let mut out = PositionIndex::default();
    let mut stack: Vec<Frame> = Vec::new();
    // The children of the open containers, innermost last (see `Frame`).
    let mut pending: Vec<(u32, u32)> = Vec::new();
    let mut chars = text.char_indices().peekable();
    let (mut line, mut column) = (1usize, 1usize);
    // Whether the next value to start is an object key.
    let mut expect_key = false;

    while let Some((start, c)) = chars.next() {
        let here = Position { line, column };
        if c == '\n' {
            line += 1;
            column = 1;
            if line % 4096 == 0 {
                // How far a watched load has got (`crate::progress`); a stop is seen by
                // the loader after this pass.
                let _ = crate::progress::report(READING, start, text.len());
            }
        } else {
            column += 1;
        }
        match c {
            ' ' | '\t' | '\r' | '\n' | ',' | ':' => {
                if c == ',' && matches!(stack.last(), Some(Frame::Object { .. })) {
                    expect_key = true;
                }
                continue;
            }
            '}' | ']' => {
                if let Some(frame) = stack.pop() {
                    close(&mut out, &mut pending, frame);
                }
                expect_key = false;
                continue;
            }
            _ => {}
        }
        // A string is either a key or a value; skip it whole (strings hold no raw
        // newline: serde_json accepted the text).
        let mut end = start + 1;
        if c == '"' {
            let mut escaped = false;
            for (i, d) in chars.by_ref() {
                column += 1;
                end = i + d.len_utf8();
                if escaped {
                    escaped = false;
                } else if d == '\\' {
                    escaped = true;
                } else if d == '"' {
                    break;
                }
            }
        }
        if expect_key {
            expect_key = false;
            if c != '"' {
                continue;
            }
            // Decoded as serde_json decodes it, so paths match serde's; without an
            // escape the text between the quotes is the name.
            let quoted = &text[start..end];
            let name: Cow<str> = match quoted.strip_prefix('"').and_then(|q| q.strip_suffix('"')) {
                Some(inner) if !quoted.contains('\\') => Cow::Borrowed(inner),
                _ => Cow::Owned(serde_json::from_str::<String>(quoted).unwrap_or_default()),
            };
            let id = out.name_id(&name);
            let again = match stack.last_mut() {
                Some(Frame::Object { start, seen, .. }) if out.duplicate.is_none() => {
                    let read = &pending[*start..];
                    if seen.is_none() && read.len() >= SMALL_OBJECT {
                        *seen = Some(read.iter().map(|&(k, _)| k).collect());
                    }
                    match seen {
                        Some(seen) => seen.contains(&id),
                        None => read.iter().any(|&(k, _)| k == id),
                    }
                }
                Some(Frame::Object { .. }) => false,
                _ => continue,
            };
            if again {
                // The enclosing frames name the object; the key completes the path.
                let object = stack_path(&out, &stack[..stack.len() - 1]);
                out.duplicate = Some((member(&object, &name), here));
            }
            if let Some(Frame::Object { key, .. }) = stack.last_mut() {
                *key = Some((id, here));
            }
            continue;
        }
        // A value starts here: record it under its container.
        let id = out.nodes.len();
        let mut key_at = At::NONE;
        match stack.last_mut() {
            Some(Frame::Object {
                key: Some((name, at)),
                seen,
                ..
            }) => {
                key_at = At::new(*at);
                pending.push((*name, small(id)));
                if let Some(seen) = seen {
                    seen.insert(*name);
                }
            }
            Some(Frame::Array { next, .. }) => {
                *next += 1;
                pending.push((ELEMENT, small(id)));
            }
            // The top value, or (never, in valid JSON) a value without its key.
            _ => {}
        }
        out.nodes.push(Node {
            value: At::new(here),
            key: key_at,
            first: 0,
            len: 0,
        });
        match c {
            '{' => {
                stack.push(Frame::Object {
                    node: id,
                    start: pending.len(),
                    key: None,
                    seen: None,
                });
                expect_key = true;
            }
            '[' => stack.push(Frame::Array {
                node: id,
                start: pending.len(),
                next: 0,
            }),
            '"' => {}
            _ => {
                // A number or literal: skip to its end.
                while let Some(&(_, d)) = chars.peek() {
                    if matches!(d, ',' | '}' | ']' | ' ' | '\t' | '\r' | '\n') {
                        break;
                    }
                    chars.next();
                    column += 1;
                }
            }
        }
    }
    out.nodes.shrink_to_fit();
    out.children.shrink_to_fit();
    out
}

/// A container ends: its children move from `pending` to the index, an object's
/// sorted by name (a stable sort: a name given twice keeps its file order).
fn close(out: &mut PositionIndex, pending: &mut Vec<(u32, u32)>, frame: Frame) {
    let (node, start, object) = match frame {
        Frame::Object { node, start, .. } => (node, start, true),
        Frame::Array { node, start, .. } => (node, start, false),
    };
    let start = start.min(pending.len());
    let run = &mut pending[start..];
    if object {
        run.sort_by_key(|&(name, _)| name);
    }
    if let Some(n) = out.nodes.get_mut(node) {
        n.first = small(out.children.len());
        n.len = small(run.len());
    }
    out.children.extend_from_slice(run);
    pending.truncate(start);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_values_and_keys() {
        let text = "{\n  \"steps\": [\n    {\"do\": \"cancel\", \"cart\": \"c1\"}\n  ]\n}";
        let idx = index(text);
        assert_eq!(
            idx.value("steps[0].cart"),
            Some(Position {
                line: 3,
                column: 30
            })
        );
        assert_eq!(
            idx.key("steps[0].cart"),
            Some(Position {
                line: 3,
                column: 22
            })
        );
        assert_eq!(
            idx.value("steps"),
            Some(Position {
                line: 2,
                column: 12
            })
        );
        assert!(idx.duplicate.is_none());
    }

    #[test]
    fn nearest_walks_up_to_a_known_ancestor() {
        let idx = index("{\"a\": {\"b\": 1}}");
        assert_eq!(idx.nearest("a.zzz[4]"), Position { line: 1, column: 2 });
        assert_eq!(parent("steps[3].cart"), Some("steps[3]"));
        assert_eq!(parent("steps[3]"), Some("steps"));
        assert_eq!(parent("steps"), Some(""));
    }

    #[test]
    fn reports_duplicate_keys() {
        let idx = index("{\"a\": 1,\n \"a\": 2}");
        assert_eq!(
            idx.duplicate,
            Some(("a".to_string(), Position { line: 2, column: 2 }))
        );
    }

    #[test]
    fn strings_with_brackets_and_escapes_do_not_confuse_it() {
        let idx = index(r#"{"t": "a]}\"{[", "u": [1, {"v": true}]}"#);
        assert_eq!(idx.value("u[1].v").map(|p| p.column), Some(33));
    }

    #[test]
    fn keys_are_decoded_and_may_hold_dots() {
        let idx = index(r#"{"s": {"cart-1.Status": 1, "a\u0062": [true, {"c": 2}]}}"#);
        assert_eq!(idx.value("s.cart-1.Status").map(|p| p.column), Some(25));
        assert_eq!(idx.value("s.ab[1].c").map(|p| p.column), Some(52));
        assert_eq!(idx.nearest("s.ab[7].zz").column, 28);
    }

    #[test]
    fn a_long_key_over_a_big_array_costs_memory_linear_in_the_text() {
        // Each value used to store its whole path: this text cost gigabytes.
        let key = "k".repeat(100_000);
        let text = format!("{{\"{key}\": [{}0]}}", "0,".repeat(100_000));
        let idx = index(&text);
        assert_eq!(idx.nodes.len(), 100_003);
        assert_eq!(idx.value(&format!("{key}[99999]")).map(|p| p.line), Some(1));
    }

    #[test]
    fn a_repeated_key_is_found_in_a_big_object_and_the_first_one_wins() {
        let members: Vec<String> = (0..40).map(|i| format!("\"k{i}\": {i}")).collect();
        let text = format!(
            "{{\"o\": {{{},\n \"k7\": 99}}, \"a\": [{{\"x\": 1, \"x\": 2}}]}}",
            members.join(", ")
        );
        let idx = index(&text);
        assert_eq!(
            idx.duplicate,
            Some(("o.k7".to_string(), Position { line: 2, column: 2 }))
        );
        assert_eq!(idx.value("o.k7").map(|p| p.line), Some(1));
        assert_eq!(idx.value("o.k39").map(|p| p.line), Some(1));
        let idx = index(r#"{"a": [{"y": 0}, {"x": 1, "x": 2}]}"#);
        assert_eq!(
            idx.duplicate,
            Some((
                "a[1].x".to_string(),
                Position {
                    line: 1,
                    column: 27
                }
            ))
        );
        assert_eq!(idx.value("a[1].x").map(|p| p.column), Some(24));
    }

    #[test]
    fn counts_the_children_of_a_value() {
        let idx = index(r#"{"steps": [{"do": "settle"}, 1, [], {}], "e": [], "n": 5}"#);
        assert_eq!(idx.count("steps"), Some(4));
        assert_eq!(idx.count("steps[0]"), Some(1));
        assert_eq!(idx.count("e"), Some(0));
        assert_eq!(idx.count("n"), Some(0));
        assert_eq!(idx.count("nothing"), None);
        assert_eq!(idx.value("steps[3]").map(|p| p.column), Some(37));
        assert_eq!(idx.value("steps[4]"), None);
        assert_eq!(idx.value("steps.0"), None);
    }

    #[test]
    fn a_value_costs_the_index_a_few_bytes() {
        // Several values a step, a million steps: a node is its two positions and its
        // children's run, and a child is two numbers.
        assert!(std::mem::size_of::<Node>() <= 24);
        assert!(std::mem::size_of::<(u32, u32)>() <= 8);
    }
}
