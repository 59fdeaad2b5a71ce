//! Where each value of a JSON document starts, by JSON path (`steps[3].cart`), so that
//! every error in a file can name its line and column.
//!
//! Runs only on text that serde_json has already accepted, so it need not diagnose
//! syntax; it walks iteratively, so no input can exhaust the stack. The index is a tree
//! (one small node per value, children found by hashing parent and key or index), so
//! its memory is linear in the input: no path string is stored per value, which made a
//! long key repeated down a big array cost gigabytes.

use std::collections::HashMap;

/// A 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1, in characters.
    pub column: usize,
}

/// How a value is reached from its container.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Segment {
    Index(usize),
    Key(Box<str>),
}

/// One value: where it starts, and where its key starts when it is an object member.
#[derive(Debug, Clone, Copy)]
struct Node {
    value: Position,
    key: Option<Position>,
}

/// The positions of every value and every object key in a document.
#[derive(Debug, Default)]
pub struct PositionIndex {
    /// Node 0 is the document's top value.
    nodes: Vec<Node>,
    children: HashMap<(usize, Segment), usize>,
    /// The first key that appears twice in one object, with its path and position.
    pub duplicate: Option<(String, Position)>,
}

/// How many ways of cutting a path's next member name are tried: a key may itself hold
/// `.` or `[` (`"cart-1.Status"`), and this bounds the work on a hostile key.
const MAX_CUTS: usize = 64;

impl PositionIndex {
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
                && let Some(&child) = self.children.get(&(node, Segment::Index(i)))
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
            let (child, cut) = cuts.iter().rev().find_map(|&cut| {
                self.children
                    .get(&(node, Segment::Key(name[..cut].into())))
                    .map(|&c| (c, cut))
            })?;
            node = child;
            rest = &name[cut..];
            first = false;
        }
        Some(node)
    }

    /// Where the value at `path` starts.
    pub fn value(&self, path: &str) -> Option<Position> {
        self.find(path).map(|n| self.nodes[n].value)
    }

    /// Where the key of the member at `path` starts (falls back to the value).
    pub fn key(&self, path: &str) -> Option<Position> {
        self.find(path)
            .map(|n| self.nodes[n].key.unwrap_or(self.nodes[n].value))
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

enum Frame {
    Object {
        node: usize,
        /// The member being read: its name and where its key starts.
        key: Option<(Box<str>, Position)>,
    },
    Array {
        node: usize,
        next: usize,
    },
}

/// The path of the value being read inside the innermost of `stack`, written out only
/// for a message (the first duplicate key).
fn stack_path(stack: &[Frame]) -> String {
    let mut out = String::new();
    for frame in stack {
        match frame {
            Frame::Object {
                key: Some((k, _)), ..
            } => out = member(&out, k),
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
                stack.pop();
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
            // Decoded as serde_json decodes it, so paths match serde's.
            let name: Box<str> = serde_json::from_str::<String>(&text[start..end])
                .unwrap_or_default()
                .into();
            let Some(Frame::Object { node, .. }) = stack.last() else {
                continue;
            };
            if out.duplicate.is_none()
                && out
                    .children
                    .contains_key(&(*node, Segment::Key(name.clone())))
            {
                // The enclosing frames name the object; the key completes the path.
                let object = stack_path(&stack[..stack.len() - 1]);
                out.duplicate = Some((member(&object, &name), here));
            }
            if let Some(Frame::Object { key, .. }) = stack.last_mut() {
                *key = Some((name, here));
            }
            continue;
        }
        // A value starts here: record it under its container.
        let id = out.nodes.len();
        let mut key_at = None;
        let segment = match stack.last_mut() {
            None => None,
            Some(Frame::Object { node, key }) => key.as_ref().map(|(k, at)| {
                key_at = Some(*at);
                (*node, Segment::Key(k.clone()))
            }),
            Some(Frame::Array { node, next }) => {
                *next += 1;
                Some((*node, Segment::Index(*next - 1)))
            }
        };
        out.nodes.push(Node {
            value: here,
            key: key_at,
        });
        if let Some(segment) = segment {
            out.children.entry(segment).or_insert(id);
        }
        match c {
            '{' => {
                stack.push(Frame::Object {
                    node: id,
                    key: None,
                });
                expect_key = true;
            }
            '[' => stack.push(Frame::Array { node: id, next: 0 }),
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
    out
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
}
