//! `sf data query --json` text read straight into [`Record`]s: serde visitors walk the
//! text once, borrowing names and values from it, and build each record's fields as they
//! go, so no `serde_json::Value` of the file is built (it cost more than the records it
//! became, and most of the allocations of a big export).
//!
//! This reader takes only the plain shape the Salesforce CLI writes: a stream of
//! documents (or arrays of them), each `{"status": 0, "result": {"records": [...]}}` or a
//! bare `{"records": [...]}`, whose records are objects naming a known
//! `attributes.type`, with each key once. Anything else (an error of any kind, a key
//! written twice, a retrieve by id, serde_json's private number key) makes it give up,
//! and the file is read again by the `Value` reader in the parent module, which is the
//! one that judges unusual text and words every error. So what this reader returns is
//! always what that one would, only sooner.

use super::{Names, Object, Pair, Parsed, Record, clean_str, empty_note, incomplete_note};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

/// The records of `text`, or `None` when the text is not in the plain shape (then the
/// `Value` reader reads it).
pub(super) fn read(file: &str, text: &str) -> Option<Parsed> {
    let mut state = State {
        file,
        shared: Arc::from(file),
        names: Names::default(),
        out: Parsed {
            format: super::Format::Json,
            records: Vec::new(),
            notes: Vec::new(),
        },
        serial: 0,
        path: String::new(),
        fields: Vec::new(),
        pending: Vec::new(),
    };
    let mut de = serde_json::Deserializer::from_str(text);
    let mut documents = 0;
    // Documents follow one another, separated by white space or nothing, as the
    // `Value` reader's stream takes them; each must be an object or an array.
    while de.end().is_err() {
        documents += 1;
        Document {
            state: &mut state,
            which: Which::Result(documents),
            top: true,
        }
        .deserialize(&mut de)
        .ok()?;
    }
    Some(state.out)
}

/// Gives up: the error is never shown, the `Value` reader judges the text instead.
fn give_up<E: de::Error>() -> E {
    E::custom("not the plain shape")
}

/// The key by which serde_json hands an arbitrary-precision number to a visitor; a key
/// starting so, first in an object, is never taken as a name here.
const PRIVATE: &str = "$serde_json::private::";
const NUMBER: &str = "$serde_json::private::Number";

/// How a document is named in notes: `result 2` or `element 3`.
#[derive(Clone, Copy)]
enum Which {
    Result(usize),
    Element(usize),
}

impl fmt::Display for Which {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Which::Result(n) => write!(f, "result {n}"),
            Which::Element(n) => write!(f, "element {n}"),
        }
    }
}

struct State<'f> {
    file: &'f str,
    shared: Arc<str>,
    names: Names,
    out: Parsed,
    /// The number of records begun so far: a record's serial, to tell a key it repeats.
    serial: u64,
    /// The flattened name being built (`Owner.Profile.Name`).
    path: String,
    /// The fields of the record being read at each depth of subqueries.
    fields: Vec<Vec<Pair>>,
    /// At each depth, the records read (with their own subquery records after each)
    /// that belong after the record one level up.
    pending: Vec<Vec<Record>>,
}

impl State<'_> {
    /// The shared name of the key `key` at the current path, or `None` when the record
    /// begun as `serial` has used it already: a key written twice, which the `Value`
    /// reader keeps once, at its first place, with its last value. (A name a subquery
    /// record inside this one used, begun later, counts as used too: such rare text is
    /// left to the `Value` reader rather than tracked per record.)
    fn name(&mut self, key: &str, serial: u64) -> Option<Arc<str>> {
        let at = self.path.len();
        self.path.push_str(key);
        let name = self.names.once(&self.path, serial);
        self.path.truncate(at);
        name
    }

    /// A record read: numbered and kept at the top, held for its parent below.
    fn emit(&mut self, depth: usize, record: Record) {
        let below = self.pending.get_mut(depth + 1).map(std::mem::take);
        if depth == 0 {
            for mut r in std::iter::once(record).chain(below.into_iter().flatten()) {
                r.number = self.out.records.len() + 1;
                self.out.records.push(r);
            }
        } else {
            let here = &mut self.pending[depth];
            here.push(record);
            here.extend(below.into_iter().flatten());
        }
    }
}

/// A key, borrowed from the text unless it held an escape.
struct Key<'de>(Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s.to_string())))
            }
            fn visit_string<E>(self, s: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s)))
            }
        }
        d.deserialize_str(V)
    }
}

/// The first key of an object, refusing serde_json's private ones (an object there is
/// a number or a raw value to the `Value` reader).
fn first_key<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Option<Key<'de>>, A::Error> {
    let key = map.next_key::<Key>()?;
    if key.as_ref().is_some_and(|k| k.0.starts_with(PRIVATE)) {
        return Err(give_up());
    }
    Ok(key)
}

/// Any value, checked as the `Value` reader would take it and dropped. (serde's
/// `IgnoredAny` takes deeper nesting than `Value` does, so it is not used.)
struct Skip;

impl<'de> DeserializeSeed<'de> for Skip {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Skip {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Skip)?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        if first_key(&mut map)?.is_some() {
            map.next_value_seed(Skip)?;
            while map.next_key::<Key>()?.is_some() {
                map.next_value_seed(Skip)?;
            }
        }
        Ok(())
    }
}

/// One document of the stream (`top`), or one element of an array document.
struct Document<'s, 'f> {
    state: &'s mut State<'f>,
    which: Which,
    top: bool,
}

impl<'de> DeserializeSeed<'de> for Document<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Document<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a query result")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        if !self.top {
            return Err(give_up());
        }
        let mut i = 0;
        loop {
            i += 1;
            let element = Document {
                state: &mut *self.state,
                which: Which::Element(i),
                top: false,
            };
            if seq.next_element_seed(element)?.is_none() {
                return Ok(());
            }
        }
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let state = self.state;
        let mut status = None;
        let mut result = false;
        let mut records = None;
        let mut done = None;
        let mut key = first_key(&mut map)?;
        while let Some(Key(k)) = key {
            match &*k {
                "status" => status = Some(map.next_value::<Value>()?),
                // A document with both, or either twice, is left to the `Value` reader.
                "result" if !result && records.is_none() => {
                    result = true;
                    map.next_value_seed(Results {
                        state: &mut *state,
                        which: self.which,
                    })?;
                }
                "records" if !result && records.is_none() => {
                    records = Some(map.next_value_seed(Rows(&mut *state))?);
                }
                "result" | "records" => return Err(give_up()),
                "done" => done = Some(map.next_value::<Value>()?),
                _ => map.next_value_seed(Skip)?,
            }
            key = map.next_key()?;
        }
        if status.and_then(|s| s.as_i64()).is_some_and(|s| s != 0) {
            return Err(give_up());
        }
        if !result {
            // The document is the result itself.
            let rows = records.ok_or_else(give_up)?;
            notes(state, self.which, done, rows);
        }
        Ok(())
    }
}

/// The notes of a result read: incomplete, or empty.
fn notes(state: &mut State, which: Which, done: Option<Value>, rows: usize) {
    if done == Some(Value::Bool(false)) {
        state.out.notes.push(incomplete_note(state.file));
    }
    if rows == 0 {
        state.out.notes.push(empty_note(state.file, &which));
    }
}

/// A document's `result`: `{"records": [...], "totalSize": N, "done": true}`.
struct Results<'s, 'f> {
    state: &'s mut State<'f>,
    which: Which,
}

impl<'de> DeserializeSeed<'de> for Results<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Results<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a result")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let state = self.state;
        let mut records = None;
        let mut done = None;
        let mut key = first_key(&mut map)?;
        while let Some(Key(k)) = key {
            match &*k {
                "records" if records.is_none() => {
                    records = Some(map.next_value_seed(Rows(&mut *state))?);
                }
                "records" => return Err(give_up()),
                "done" => done = Some(map.next_value::<Value>()?),
                _ => map.next_value_seed(Skip)?,
            }
            key = map.next_key()?;
        }
        // No records: a retrieve by id, or not a result; the `Value` reader tells which.
        let rows = records.ok_or_else(give_up)?;
        notes(state, self.which, done, rows);
        Ok(())
    }
}

/// A result's list of records; its length.
struct Rows<'s, 'f>(&'s mut State<'f>);

impl<'de> DeserializeSeed<'de> for Rows<'_, '_> {
    type Value = usize;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Rows<'_, '_> {
    type Value = usize;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of records")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<usize, A::Error> {
        let mut n = 0;
        while seq
            .next_element_seed(Row {
                state: &mut *self.0,
                depth: 0,
            })?
            .is_some()
        {
            n += 1;
        }
        Ok(n)
    }
}

/// One record, at a depth of subqueries (0 for the result's own records).
struct Row<'s, 'f> {
    state: &'s mut State<'f>,
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for Row<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Row<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a record")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let (state, depth) = (self.state, self.depth);
        state.serial += 1;
        let serial = state.serial;
        if state.fields.len() <= depth {
            state.fields.resize_with(depth + 1, Vec::new);
        }
        if state.pending.len() <= depth + 1 {
            state.pending.resize_with(depth + 2, Vec::new);
        }
        debug_assert!(state.path.is_empty() && state.fields[depth].is_empty());
        let mut object = None;
        let mut key = first_key(&mut map)?;
        while let Some(Key(k)) = key {
            let name = state.name(&k, serial).ok_or_else(give_up)?;
            if &*k == "attributes" {
                object = Some(map.next_value_seed(Attributes)?);
            } else {
                map.next_value_seed(Field {
                    state: &mut *state,
                    depth,
                    serial,
                    name,
                    key: &k,
                    subquery: None,
                })?;
            }
            key = map.next_key()?;
        }
        let object = object.ok_or_else(give_up)?;
        let fields = state.fields[depth].drain(..).collect();
        let record = Record {
            object,
            file: state.shared.clone(),
            number: 0,
            fields,
        };
        state.emit(depth, record);
        Ok(())
    }
}

/// A record's `attributes`: its `type`, one of the objects diagnose reads.
struct Attributes;

impl<'de> DeserializeSeed<'de> for Attributes {
    type Value = Object;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Object, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Attributes {
    type Value = Object;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("attributes")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Object, A::Error> {
        let mut object = None;
        let mut key = first_key(&mut map)?;
        while let Some(Key(k)) = key {
            if &*k == "type" {
                // The last `type` counts, as in a `Value`; one not read gives up.
                object = Some(map.next_value_seed(TypeName)?);
            } else {
                map.next_value_seed(Skip)?;
            }
            key = map.next_key()?;
        }
        object.ok_or_else(give_up)
    }
}

/// `attributes.type`: the name of an object diagnose reads.
struct TypeName;

impl<'de> DeserializeSeed<'de> for TypeName {
    type Value = Object;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Object, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TypeName {
    type Value = Object;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object name")
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Object, E> {
        Object::parse(s).ok_or_else(give_up)
    }
}

/// The value of one key of a record, or of an object inside it: a field, a parent
/// relationship (its fields named `Key.Field`), or, for the `records` key of an object
/// inside a record (`subquery` set), a list of records: the object is then a subquery,
/// whose records follow the record, and whose other keys are not the record's.
struct Field<'s, 'f, 'k> {
    state: &'s mut State<'f>,
    depth: usize,
    serial: u64,
    name: Arc<str>,
    key: &'k str,
    /// Where the enclosing object's fields and subquery records began.
    subquery: Option<(usize, usize)>,
}

impl Field<'_, '_, '_> {
    fn push(self, value: Option<Box<str>>) -> bool {
        self.state.fields[self.depth].push((self.name, value));
        false
    }
}

impl<'de> DeserializeSeed<'de> for Field<'_, '_, '_> {
    /// Whether the value made its object a subquery.
    type Value = bool;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Field<'_, '_, '_> {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a field")
    }
    fn visit_unit<E>(self) -> Result<bool, E> {
        Ok(self.push(None))
    }
    fn visit_bool<E>(self, b: bool) -> Result<bool, E> {
        Ok(self.push(Some(Box::from(if b { "true" } else { "false" }))))
    }
    fn visit_i64<E>(self, n: i64) -> Result<bool, E> {
        Ok(self.push(Some(n.to_string().into_boxed_str())))
    }
    fn visit_u64<E>(self, n: u64) -> Result<bool, E> {
        Ok(self.push(Some(n.to_string().into_boxed_str())))
    }
    fn visit_f64<E>(self, n: f64) -> Result<bool, E> {
        // As `Value` takes it: a number, or null when not finite.
        let text = serde_json::Number::from_f64(n).map(|n| clean_str(&n.to_string()));
        Ok(self.push(text))
    }
    fn visit_str<E>(self, s: &str) -> Result<bool, E> {
        Ok(self.push(Some(clean_str(s))))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        if let Some((fields, pending)) = self.subquery {
            let Field { state, depth, .. } = self;
            // What the object held before its records is not the record's.
            state.fields[depth].truncate(fields);
            state.pending[depth + 1].truncate(pending);
            let outer = std::mem::take(&mut state.path);
            while seq
                .next_element_seed(Row {
                    state: &mut *state,
                    depth: depth + 1,
                })?
                .is_some()
            {}
            state.path = outer;
            return Ok(true);
        }
        // A list is kept as its JSON text, as the `Value` reader writes it.
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Value>()? {
            items.push(item);
        }
        let text = Value::Array(items).to_string();
        Ok(self.push(Some(clean_str(&text))))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        let Some(Key(first)) = map.next_key::<Key>()? else {
            return Ok(false);
        };
        if first == NUMBER {
            // serde_json's arbitrary-precision number: its text, as `Number` keeps it.
            let text: String = map.next_value()?;
            let number: serde_json::Number = text.parse().map_err(|_| give_up())?;
            return Ok(self.push(Some(clean_str(&number.to_string()))));
        }
        if first.starts_with(PRIVATE) {
            return Err(give_up());
        }
        // A relationship or a subquery: which one is known at its `records` key, so its
        // fields and the subquery records inside them are kept until then.
        let Field {
            state,
            depth,
            serial,
            key,
            ..
        } = self;
        let at = state.path.len();
        state.path.push_str(key);
        state.path.push('.');
        let marks = (state.fields[depth].len(), state.pending[depth + 1].len());
        let mut subquery = false;
        let mut key = Some(Key(first));
        while let Some(Key(k)) = key {
            if &*k == "attributes" {
                map.next_value_seed(Skip)?;
            } else {
                let name = state.name(&k, serial).ok_or_else(give_up)?;
                if subquery {
                    // A subquery keeps only its records.
                    map.next_value_seed(Skip)?;
                } else {
                    subquery = map.next_value_seed(Field {
                        state: &mut *state,
                        depth,
                        serial,
                        name,
                        key: &k,
                        subquery: (&*k == "records").then_some(marks),
                    })?;
                }
            }
            key = map.next_key()?;
        }
        state.path.truncate(at);
        Ok(false)
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse_json_value;
    use super::read;

    /// The direct reader took the text, and read it as the `Value` reader does.
    fn same(text: &str) -> bool {
        let Some(direct) = read("f.json", text) else {
            return false;
        };
        let value = parse_json_value("f.json", text).expect("the Value reader reads it too");
        assert_eq!(format!("{direct:?}"), format!("{value:?}"), "{text}");
        true
    }

    const CART: &str = r#"{"attributes":{"type":"WebCart","url":"/x"},"Id":"0a6Hs0000000101IAA","Status":"Active"}"#;

    #[test]
    fn the_plain_shapes_are_read_directly_and_alike() {
        let texts = [
            format!(r#"{{"status":0,"result":{{"records":[{CART},{CART}],"totalSize":2,"done":true}},"warnings":[]}}"#),
            format!(r#"{{"records":[{CART}],"done":false}}"#),
            r#"{"status":0,"result":{"totalSize":0,"done":false,"records":[]}}"#.to_string(),
            format!("[{{\"result\":{{\"records\":[]}}}}, {{\"result\":{{\"records\":[{CART}]}}}}]"),
            format!("{{\"result\":{{\"records\":[{CART}]}}}}\n{{\"records\":[]}}{{\"records\":[]}}"),
            // Numbers as the file wrote them, booleans, null, lists as their JSON text.
            r#"{"result":{"records":[{"attributes":{"type":"WebCart"},"A":110.00,"B":1e5,"C":-0,"D":12345678901234567890123,"E":-5,"F":true,"G":null,"H":[1,"x",{"b":2,"a":null}],"I":[],"J":{}}]}}"#.to_string(),
            // Escapes in names and values, and text that must be sanitized.
            r#"{"r\u0065sult":{"records":[{"\u0061ttributes":{"typ\u0065":"Web\u0043art"},"N\u001bame":"\u001b[31mred\u2028\ud83d\ude00","\u00e9":"\u00e9"}]}}"#.to_string(),
            // Relationships, and subqueries whose records follow their parent in order.
            r#"{"result":{"records":[{"attributes":{"type":"WebCart"},"Id":"c1","Owner":{"attributes":{"type":"User"},"Name":"Bob","Profile":{"Name":"P"}},
               "Sessions":{"totalSize":1,"done":true,"records":[{"attributes":{"type":"CartCheckoutSession"},"Sid":"s1",
                 "Ops":{"records":[{"attributes":{"type":"BackgroundOperation"},"Oid":"o1"}]}},{"attributes":{"type":"CartCheckoutSession"},"Sid":"s2"}]},
               "Rel":{"X":1,"Sub":{"records":[{"attributes":{"type":"Order"},"Xid":"x"}]},"records":[{"attributes":{"type":"User"},"Uid":"u"}]},
               "NotSub":{"records":5,"y":1},"records":[{"attributes":{"type":"User"}}],"Last":"z"},
              {"attributes":{"type":"WebCart"},"Id":"c2"}]}}"#.to_string(),
        ];
        for text in &texts {
            assert!(same(text), "not read directly: {text}");
        }
    }

    #[test]
    fn every_ticket_fixture_is_read_directly_and_alike() {
        let tickets =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tickets");
        let mut files = 0;
        for ticket in std::fs::read_dir(tickets).unwrap() {
            for file in std::fs::read_dir(ticket.unwrap().path().join("json")).unwrap() {
                let path = file.unwrap().path();
                let text = std::fs::read_to_string(&path).unwrap();
                // `sf data get record --json` (one record as the result) is left to the
                // `Value` reader: such a file holds one record.
                let retrieve = serde_json::from_str::<serde_json::Value>(&text).unwrap()["result"]
                    .get("attributes")
                    .is_some();
                assert_eq!(same(&text), !retrieve, "{}", path.display());
                files += 1;
            }
        }
        assert!(files >= 40, "{files}");
    }

    #[test]
    fn anything_unusual_is_left_to_the_value_reader() {
        for text in [
            // Errors of every kind.
            r#"{"status":1,"name":"X","message":"m"}"#,
            r#"{"result":{"records":[5]}}"#,
            r#"{"result":{"records":[{"Id":"x"}]}}"#,
            r#"{"result":{"records":[{"attributes":{"type":"Opportunity"}}]}}"#,
            r#"{"result":{"records":[{"attributes":{"type":"WebCart"}}]}"#,
            r#"{"result":5}"#,
            "5",
            // A retrieve by id.
            r#"{"status":0,"result":{"attributes":{"type":"WebCart"},"Id":"x"}}"#,
            // A key written twice, at every level.
            r#"{"result":{"records":[{"attributes":{"type":"WebCart"},"Id":"a","Id":"b"}]}}"#,
            r#"{"result":{"records":[]},"result":{"records":[]}}"#,
            r#"{"records":[],"result":{"records":[]}}"#,
            r#"{"result":{"records":[],"records":[]}}"#,
            r#"{"result":{"records":[{"attributes":{"type":"WebCart"},"attributes":{"type":"User"}}]}}"#,
            r#"{"result":{"records":[{"attributes":{"type":"WebCart"},"R":{"a":1,"a":2}}]}}"#,
            r#"{"result":{"records":[{"attributes":{"type":"WebCart"},"R":{"records":[],"records":5}}]}}"#,
            // A literal key and a relationship that flatten to the same name look the same.
            r#"{"result":{"records":[{"attributes":{"type":"User"},"Owner.Name":"a","Owner":{"Name":"b"}}]}}"#,
            // serde_json's private number key, where it is not a field's value.
            r#"{"result":{"records":[]},"warnings":[{"$serde_json::private::Number":"x"}]}"#,
            r#"{"result":{"records":[{"attributes":{"type":"WebCart"},"X":{"$serde_json::private::Number":"x"}}]}}"#,
        ] {
            assert!(read("f.json", text).is_none(), "{text}");
        }
        // Nesting deeper than serde_json's limit, even where nothing is read.
        let deep = format!(
            r#"{{"result":{{"records":[]}},"warnings":{}{}}}"#,
            "[".repeat(200),
            "]".repeat(200)
        );
        assert!(read("f.json", &deep).is_none());
        assert!(parse_json_value("f.json", &deep).is_err());
    }

    #[test]
    fn every_cut_and_changed_byte_reads_alike_or_is_left() {
        let text = r#"{"status":0,"result":{"records":[{"attributes":{"type":"WebCart","url":"/u"},"Id":"0a6Hs0000000101IAA","Total":1.50,"Owner":{"Name":"Bob"},"S":{"done":true,"records":[{"attributes":{"type":"CartCheckoutSession"},"Id":"2z9","L":[1]}]},"Z":null}],"done":true}}"#;
        let mut direct = 0;
        for i in 0..=text.len() {
            if let Some(cut) = text.get(..i) {
                direct += usize::from(same(cut));
            }
            for c in ['"', '{', '}', '[', ']', ':', ',', 'x', '0', '\\', ' ', '.'] {
                if let (Some(a), Some(b)) = (text.get(..i), text.get(i + 1..)) {
                    direct += usize::from(same(&format!("{a}{c}{b}")));
                }
            }
        }
        // The changes that keep the shape are read directly (and alike, checked above).
        assert!(direct > 100, "{direct}");
    }
}
