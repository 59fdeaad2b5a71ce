//! Where each value of a JSON document starts, by JSON path (`steps[3].cart`), so that
//! every error in a file can name its line and column.
//!
//! Runs only on text that serde_json has already accepted, so it need not diagnose
//! syntax; it walks iteratively, so no input can exhaust the stack.

use std::collections::HashMap;

/// A 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1, in characters.
    pub column: usize,
}

/// The positions of every value and every object key in a document.
#[derive(Debug, Default)]
pub struct PositionIndex {
    values: HashMap<String, Position>,
    keys: HashMap<String, Position>,
    /// The first key that appears twice in one object, with its path and position.
    pub duplicate: Option<(String, Position)>,
}

impl PositionIndex {
    /// Where the value at `path` starts.
    pub fn value(&self, path: &str) -> Option<Position> {
        self.values.get(path).copied()
    }

    /// Where the key of the member at `path` starts (falls back to the value).
    pub fn key(&self, path: &str) -> Option<Position> {
        self.keys.get(path).copied().or_else(|| self.value(path))
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
        path: String,
        seen: std::collections::HashSet<String>,
        key: Option<String>,
    },
    Array {
        path: String,
        next: usize,
    },
}

/// Builds the index of a syntactically valid JSON text.
pub fn index(text: &str) -> PositionIndex {
    let mut out = PositionIndex::default();
    let mut stack: Vec<Frame> = Vec::new();
    let mut chars = text.chars().peekable();
    let (mut line, mut column) = (1usize, 1usize);
    // Whether the next value to start is an object key.
    let mut expect_key = false;

    while let Some(c) = chars.next() {
        let here = Position { line, column };
        if c == '\n' {
            line += 1;
            column = 1;
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
        // A string is either a key or a value; read it whole.
        let mut string = None;
        if c == '"' {
            let mut s = String::new();
            let mut escaped = false;
            for d in chars.by_ref() {
                column += 1;
                if escaped {
                    escaped = false;
                    s.push(match d {
                        'n' => '\n',
                        't' => '\t',
                        other => other,
                    });
                    continue;
                }
                match d {
                    '\\' => escaped = true,
                    '"' => break,
                    '\n' => {
                        line += 1;
                        column = 1;
                        s.push(d)
                    }
                    _ => s.push(d),
                }
            }
            string = Some(s);
        }
        if expect_key {
            if let (Some(Frame::Object { path, seen, key }), Some(name)) =
                (stack.last_mut(), string)
            {
                // serde_json keeps escapes like \u0041 undecoded here; good enough for
                // naming positions, and decoded keys are rare in scenario files.
                let full = member(path, &name);
                if !seen.insert(name.clone()) && out.duplicate.is_none() {
                    out.duplicate = Some((full.clone(), here));
                }
                out.keys.entry(full).or_insert(here);
                *key = Some(name);
            }
            expect_key = false;
            continue;
        }
        // A value starts here: find its path from the enclosing container.
        let path = match stack.last_mut() {
            None => String::new(),
            Some(Frame::Object { path, key, .. }) => member(path, key.as_deref().unwrap_or("")),
            Some(Frame::Array { path, next }) => {
                *next += 1;
                element(path, *next - 1)
            }
        };
        out.values.entry(path.clone()).or_insert(here);
        match c {
            '{' => {
                stack.push(Frame::Object {
                    path,
                    seen: Default::default(),
                    key: None,
                });
                expect_key = true;
            }
            '[' => stack.push(Frame::Array { path, next: 0 }),
            '"' => {}
            _ => {
                // A number or literal: skip to its end.
                while let Some(&d) = chars.peek() {
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
}
