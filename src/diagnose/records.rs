//! Reading the files the Salesforce CLI writes: `sf data query --json` output (one or
//! more results in a file, parent relationships and subqueries flattened) and
//! `--result-format csv` output (one object per file, told from its header). Every
//! value is sanitized as it is read, so nothing from a file reaches the terminal as
//! it is; the format is told from the content, never from the file's name.

use crate::scenario::sanitize;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

mod json;

/// The objects diagnose reads, by their Salesforce API names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Object {
    /// A cart.
    WebCart,
    /// A checkout session of a cart.
    CartCheckoutSession,
    /// An operation in the asynchronous job queue.
    BackgroundOperation,
    /// A message an integration left on a cart.
    CartValidationOutput,
    /// The store (its CheckoutTimeToLive).
    WebStore,
    /// An account enabled as a buyer.
    BuyerAccount,
    /// An account's membership of a buyer group.
    BuyerGroupMember,
    /// A buyer group's access to a store.
    WebStoreBuyerGroup,
    /// The buyer's user.
    User,
    /// Where and how a cart ships (`lwr` checkouts).
    CartDeliveryGroup,
    /// A payment authorization (`lwr` checkouts).
    PaymentAuthorization,
    /// An order a checkout created.
    Order,
}

impl Object {
    /// Every object, in the order a diagnosis lists them.
    pub const ALL: [Object; 12] = [
        Object::WebCart,
        Object::CartCheckoutSession,
        Object::BackgroundOperation,
        Object::CartValidationOutput,
        Object::WebStore,
        Object::BuyerAccount,
        Object::BuyerGroupMember,
        Object::WebStoreBuyerGroup,
        Object::User,
        Object::CartDeliveryGroup,
        Object::PaymentAuthorization,
        Object::Order,
    ];
    /// Their API names, in the same order.
    pub const NAMES: [&'static str; 12] = [
        "WebCart",
        "CartCheckoutSession",
        "BackgroundOperation",
        "CartValidationOutput",
        "WebStore",
        "BuyerAccount",
        "BuyerGroupMember",
        "WebStoreBuyerGroup",
        "User",
        "CartDeliveryGroup",
        "PaymentAuthorization",
        "Order",
    ];

    /// The API name.
    pub fn as_str(self) -> &'static str {
        Object::NAMES[self as usize]
    }

    /// The object with this API name (exact case, as the CLI writes it).
    pub fn parse(name: &str) -> Option<Object> {
        Object::ALL.into_iter().find(|o| o.as_str() == name)
    }
}

impl std::fmt::Display for Object {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which format a file was in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// `sf data query --json`.
    Json,
    /// `sf data query --result-format csv`.
    Csv,
}

/// One record of a query result: its object, where it was found, and its fields as
/// text (`None` for null). Field names are matched without regard to case.
///
/// An export holds tens of thousands of records with the same dozen field names and
/// the same file name, so those are shared between the records of a file rather than
/// copied into each.
#[derive(Debug, Clone)]
pub struct Record {
    /// The object type.
    pub object: Object,
    /// The file, as shown in messages (sanitized).
    pub file: Arc<str>,
    /// The record's number in its file, from 1.
    pub number: usize,
    fields: Box<[Pair]>,
}

/// A field's name and its value (`None` for null).
type Pair = (Arc<str>, Option<Box<str>>);

/// Text from a file as [`sanitize::line`] makes it, without a copy when it is already
/// clean (printable ASCII, as nearly every value of an export is).
fn clean(text: String) -> String {
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        text
    } else {
        sanitize::line(&text)
    }
}

/// [`clean`] of borrowed text, boxed as a record keeps it.
fn clean_str(text: &str) -> Box<str> {
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        Box::from(text)
    } else {
        sanitize::line(text).into_boxed_str()
    }
}

/// The field names of one file, each sanitized and stored once, with the serial of the
/// last record that used it (see [`Names::once`]).
#[derive(Default)]
struct Names(HashMap<Box<str>, (Arc<str>, u64), foldhash::fast::FixedState>);

impl Names {
    fn get(&mut self, name: &str) -> Arc<str> {
        self.entry(name).0.clone()
    }

    /// The shared name, unless a record numbered `serial` or later (records are
    /// numbered in the order they begin) used it already; marks it used by `serial`.
    fn once(&mut self, name: &str, serial: u64) -> Option<Arc<str>> {
        let entry = self.entry(name);
        if entry.1 >= serial {
            return None;
        }
        entry.1 = serial;
        Some(entry.0.clone())
    }

    fn entry(&mut self, name: &str) -> &mut (Arc<str>, u64) {
        // Looked up before inserting, so that a known name (nearly all) is not copied.
        if !self.0.contains_key(name) {
            let shared: Arc<str> = Arc::from(clean(name.to_string()));
            self.0.insert(Box::from(name), (shared, 0));
        }
        self.0.get_mut(name).expect("inserted above")
    }
}

/// A field as a record has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field<'a> {
    /// The query did not select it.
    Absent,
    /// Selected, and null (an empty cell in CSV).
    Null,
    /// Selected, with a value.
    Value(&'a str),
}

impl Record {
    /// Builds a record; names and values are sanitized here.
    pub fn new(
        object: Object,
        file: &str,
        number: usize,
        fields: Vec<(String, Option<String>)>,
    ) -> Record {
        let mut names = Names::default();
        Record::read(
            object,
            &Arc::from(file),
            number,
            fields.into_iter().map(|(k, v)| (names.get(&k), v)),
        )
    }

    /// Builds a record from a file's shared name and field names; values are
    /// sanitized here.
    fn read(
        object: Object,
        file: &Arc<str>,
        number: usize,
        fields: impl Iterator<Item = (Arc<str>, Option<String>)>,
    ) -> Record {
        Record {
            object,
            file: file.clone(),
            number,
            fields: fields
                .map(|(k, v)| (k, v.map(|v| clean(v).into_boxed_str())))
                .collect(),
        }
    }

    /// A field by name (any case).
    pub fn get(&self, name: &str) -> Field<'_> {
        match self
            .fields
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
        {
            None => Field::Absent,
            Some((_, None)) => Field::Null,
            Some((_, Some(v))) => Field::Value(v),
        }
    }

    /// The field's value, if selected and not null.
    pub fn value(&self, name: &str) -> Option<&str> {
        match self.get(name) {
            Field::Value(v) => Some(v),
            _ => None,
        }
    }

    /// Replaces a field's value (used to normalize ids and to anonymize).
    pub fn set(&mut self, name: &str, value: Option<String>) {
        if let Some(slot) = self
            .fields
            .iter_mut()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
        {
            slot.1 = value.map(String::into_boxed_str);
        }
    }

    /// The names of the fields the record has.
    pub fn field_names(&self) -> impl Iterator<Item = &str> {
        self.fields.iter().map(|(k, _)| &**k)
    }

    /// True when both records have the same fields, in the same order, with the same
    /// values (as [`Record::get`] reads them).
    pub fn same_content(&self, other: &Record) -> bool {
        self.field_names().eq(other.field_names())
            && self.field_names().all(|k| self.get(k) == other.get(k))
    }

    /// `record 3 (CartCheckoutSession 1Ck...)`: how messages name the record.
    pub fn label(&self) -> String {
        match self.value("Id") {
            Some(id) => format!("record {} ({} {id})", self.number, self.object),
            None => format!("record {} ({})", self.number, self.object),
        }
    }

    /// A message about one field of this record: `FILE: record N (Type Id): Field: why`.
    pub fn problem(&self, field: &str, why: impl std::fmt::Display) -> String {
        format!("{}: {}: {field}: {why}", self.file, self.label())
    }
}

/// What one file held.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The format it was in.
    pub format: Format,
    /// The records, in file order.
    pub records: Vec<Record>,
    /// Remarks worth telling the reader (an incomplete result, an empty one).
    pub notes: Vec<String>,
}

/// Reads one file's bytes. `file` is the name shown in messages (already sanitized).
/// The error names the file, and the record and field where there is one.
pub fn parse(file: &str, bytes: &[u8]) -> Result<Parsed, String> {
    let decoded = decode(file, bytes)?;
    let text: &str = &decoded;
    let start = text.trim_start();
    match start.chars().next() {
        None => Err(format!(
            "{file}: the file is empty; expected the output of `sf data query --json` or `--result-format csv`"
        )),
        Some('{') | Some('[') => parse_json(file, text),
        Some('<') => Err(format!(
            "{file}: this is an HTML or XML page (it starts with {:?}), not a Salesforce CLI query result; a login or error page was probably saved instead of the query's output",
            sanitize::line(&start.chars().take(20).collect::<String>())
        )),
        Some(_) => parse_csv(file, text),
    }
}

/// The file's text: UTF-8 (with or without a byte order mark), or UTF-16 with a byte
/// order mark (what Excel's "Unicode Text" and some Windows tools save).
fn decode<'b>(file: &str, bytes: &'b [u8]) -> Result<Cow<'b, str>, String> {
    let utf16 = |big: bool, body: &[u8]| -> Result<String, String> {
        if !body.len().is_multiple_of(2) {
            return Err(format!(
                "{file}: UTF-16 text (it starts with a byte order mark) with an odd number of bytes: the file is truncated"
            ));
        }
        let units = body.chunks_exact(2).map(|p| {
            if big {
                u16::from_be_bytes([p[0], p[1]])
            } else {
                u16::from_le_bytes([p[0], p[1]])
            }
        });
        let mut text = String::with_capacity(body.len() / 2);
        for (i, c) in char::decode_utf16(units).enumerate() {
            match c {
                Ok(c) => text.push(c),
                Err(_) => {
                    return Err(format!(
                        "{file}: not valid UTF-16 text (byte {}: half of a character pair); expected the output of `sf data query`",
                        2 + i * 2
                    ));
                }
            }
        }
        Ok(text)
    };
    if let Some(body) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(false, body).map(Cow::Owned);
    }
    if let Some(body) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(true, body).map(Cow::Owned);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map(Cow::Borrowed).map_err(|e| {
        format!(
            "{file}: not UTF-8 text (byte {}); expected the output of `sf data query` (UTF-8, or UTF-16 with a byte order mark)",
            e.valid_up_to()
        )
    })
}

/// What reading one file needs besides its records: its name as shown, shared by its
/// records, and its field names, each stored once.
struct Reading<'a> {
    file: &'a str,
    shared: Arc<str>,
    names: Names,
}

fn parse_json(file: &str, text: &str) -> Result<Parsed, String> {
    if let Some(parsed) = json::read(file, text) {
        return Ok(parsed);
    }
    parse_json_value(file, text)
}

/// The reader of any JSON text, through serde_json's `Value`: it words every error, and
/// reads what [`json::read`] leaves to it.
fn parse_json_value(file: &str, text: &str) -> Result<Parsed, String> {
    let mut out = Parsed {
        format: Format::Json,
        records: Vec::new(),
        notes: Vec::new(),
    };
    let mut reading = Reading {
        file,
        shared: Arc::from(file),
        names: Names::default(),
    };
    let stream = serde_json::Deserializer::from_str(text).into_iter::<Value>();
    let mut documents = 0;
    for doc in stream {
        let doc = doc.map_err(|e| {
            let why = if e.is_eof() {
                "the JSON ends early: the file is truncated (was the command interrupted, or the output cut?)".to_string()
            } else {
                format!("invalid JSON: {}", sanitize::line(&e.to_string()))
            };
            format!("{file}:{}:{}: {why}", e.line(), e.column())
        })?;
        documents += 1;
        match doc {
            Value::Array(items) => {
                for (i, item) in items.into_iter().enumerate() {
                    result_document(&mut reading, &format!("element {}", i + 1), item, &mut out)?;
                }
            }
            other => result_document(
                &mut reading,
                &format!("result {documents}"),
                other,
                &mut out,
            )?,
        }
    }
    Ok(out)
}

/// One `sf data query --json` document, or a bare `{"records": [...]}` result. The
/// document is taken apart as its records are read, so that its text is not held twice.
fn result_document(
    reading: &mut Reading,
    which: &str,
    doc: Value,
    out: &mut Parsed,
) -> Result<(), String> {
    let file = reading.file;
    let Value::Object(mut map) = doc else {
        return Err(format!(
            "{file}: {which}: expected a JSON object as `sf data query --json` prints it"
        ));
    };
    if let Some(status) = map.get("status").and_then(Value::as_i64)
        && status != 0
    {
        let name = map
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("an error");
        let message = map.get("message").and_then(Value::as_str).unwrap_or("");
        return Err(format!(
            "{file}: {which}: the Salesforce CLI reported {} (status {status}) instead of records: {}",
            sanitize::line(name),
            sanitize::line(message)
        ));
    }
    let result = match map.remove("result") {
        Some(r) => r,
        None if map.contains_key("records") => Value::Object(map),
        None => {
            return Err(format!(
                "{file}: {which}: no `result.records`: this JSON is not the output of `sf data query --json`"
            ));
        }
    };
    let Value::Object(mut result) = result else {
        return Err(format!(
            "{file}: {which}: result: expected an object with `records`"
        ));
    };
    // `sf data get record --json` (a retrieve by id, the one call the Object Reference
    // lists for BackgroundOperation) prints the record itself as the result.
    if !result.contains_key("records") && result.get("attributes").is_some_and(Value::is_object) {
        return json_record(reading, Value::Object(result), out);
    }
    if !matches!(result.get("records"), Some(Value::Array(_))) {
        return Err(format!(
            "{file}: {which}: result.records: expected a list of records"
        ));
    }
    if result.get("done") == Some(&Value::Bool(false)) {
        out.notes.push(incomplete_note(file));
    }
    let Some(Value::Array(records)) = result.get_mut("records").map(Value::take) else {
        unreachable!("checked above to be a list");
    };
    if records.is_empty() {
        out.notes.push(empty_note(file, &which));
    }
    for record in records {
        json_record(reading, record, out)?;
    }
    Ok(())
}

/// The note on a result with `done: false`.
fn incomplete_note(file: &str) -> String {
    format!(
        "{file}: the query result is incomplete (done: false): more records exist than the file holds"
    )
}

/// The note on a result with no records; `which` is `result 2` or `element 3`.
fn empty_note(file: &str, which: &dyn std::fmt::Display) -> String {
    format!("{file}: {which} has no records")
}

fn json_record(reading: &mut Reading, record: Value, out: &mut Parsed) -> Result<(), String> {
    let file = reading.file;
    let number = out.records.len() + 1;
    let Value::Object(map) = record else {
        return Err(format!("{file}: record {number}: expected a JSON object"));
    };
    let type_name = map
        .get("attributes")
        .and_then(|a| a.get("type"))
        .and_then(Value::as_str)
        .ok_or_else(|| format!("{file}: record {number}: attributes.type: missing; every record of `sf data query --json` names its object there"))?;
    let object = Object::parse(type_name).ok_or_else(|| unsupported(file, number, type_name))?;
    let mut fields = Vec::new();
    let mut children = Vec::new();
    flatten(map, "", &mut reading.names, &mut fields, &mut children);
    out.records.push(Record::read(
        object,
        &reading.shared,
        number,
        fields.into_iter(),
    ));
    for child in children {
        json_record(reading, child, out)?;
    }
    Ok(())
}

fn unsupported(file: &str, number: usize, type_name: &str) -> String {
    format!(
        "{file}: record {number}: attributes.type: {:?} is not an object diagnose reads; expected one of: {}",
        sanitize::line(type_name),
        Object::NAMES.join(", ")
    )
}

/// A record's fields, with parent relationships as `Owner.Name` and subquery records
/// collected for reading after their parent. The values are moved out of the document.
fn flatten(
    map: serde_json::Map<String, Value>,
    prefix: &str,
    names: &mut Names,
    fields: &mut Vec<(Arc<str>, Option<String>)>,
    children: &mut Vec<Value>,
) {
    for (key, value) in map {
        if key == "attributes" {
            continue;
        }
        let name = |names: &mut Names| {
            if prefix.is_empty() {
                names.get(&key)
            } else {
                names.get(&format!("{prefix}{key}"))
            }
        };
        match value {
            Value::Null => fields.push((name(names), None)),
            Value::String(s) => fields.push((name(names), Some(s))),
            Value::Bool(b) => fields.push((name(names), Some(b.to_string()))),
            Value::Number(n) => fields.push((name(names), Some(n.to_string()))),
            Value::Object(mut inner) => match inner.get_mut("records") {
                Some(Value::Array(rows)) => children.append(rows),
                _ => flatten(inner, &format!("{prefix}{key}."), names, fields, children),
            },
            Value::Array(items) => {
                let text = Value::Array(items).to_string();
                fields.push((name(names), Some(text)))
            }
        }
    }
}

/// The object a CSV header describes, from the fields only that object has.
fn object_of_header(header: &[String]) -> Option<Object> {
    let has = |f: &str| header.iter().any(|h| h.eq_ignore_ascii_case(f));
    if has("WebCartId") {
        Some(Object::CartCheckoutSession)
    } else if has("CartId") && (has("Level") || has("Type") || has("Message") || has("IsDismissed"))
    {
        Some(Object::CartValidationOutput)
    } else if has("CartId")
        && (has("DeliveryMethodId")
            || has("DeliverToStreet")
            || has("DeliverToCity")
            || has("DeliverToPostalCode")
            || has("DeliverToCountry"))
    {
        Some(Object::CartDeliveryGroup)
    } else if has("Amount") || has("PaymentAuthorizationNumber") {
        Some(Object::PaymentAuthorization)
    } else if has("OrderReferenceNumber") || has("OrderNumber") {
        Some(Object::Order)
    } else if has("SubmittedAt")
        || has("StartedAt")
        || has("FinishedAt")
        || has("ExpiresAt")
        || has("RetryCount")
    {
        Some(Object::BackgroundOperation)
    } else if has("BuyerGroupId") && has("WebStoreId") {
        Some(Object::WebStoreBuyerGroup)
    } else if has("BuyerGroupId") && has("BuyerId") {
        Some(Object::BuyerGroupMember)
    } else if has("BuyerId") {
        Some(Object::BuyerAccount)
    } else if has("WebStoreId") && (has("Status") || has("OwnerId") || has("TotalProductCount")) {
        Some(Object::WebCart)
    } else if has("CheckoutTimeToLive") || has("CheckoutValidAfterDate") || has("DefaultLanguage") {
        Some(Object::WebStore)
    } else if has("Username") || has("ContactId") || has("ProfileId") {
        Some(Object::User)
    } else {
        None
    }
}

/// The delimiter of a CSV text as spreadsheets write it: Excel's `sep=;` first line
/// names it; otherwise the one of comma, semicolon (Excel where the decimal mark is a
/// comma) and tab (Excel's "Unicode Text") that the header line holds most often.
/// Returns the delimiter and the text after any `sep=` line.
fn delimiter(text: &str) -> (u8, &str) {
    let first = text.lines().next().unwrap_or("");
    if let Some(sep) = first.trim_end().strip_prefix("sep=")
        && let [d] = sep.as_bytes()
    {
        let rest = text.split_once('\n').map_or("", |(_, r)| r);
        return (*d, rest);
    }
    let count = |d: char| first.matches(d).count();
    let best = [',', ';', '\t']
        .into_iter()
        .max_by_key(|d| (count(*d), *d == ','))
        .unwrap_or(',');
    (best as u8, text)
}

fn parse_csv(file: &str, text: &str) -> Result<Parsed, String> {
    let (delimiter, text) = delimiter(text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| {
            format!(
                "{file}: line 1: not CSV: {}",
                sanitize::line(&e.to_string())
            )
        })?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    for (i, h) in header.iter().enumerate() {
        if let Some(j) = header[..i].iter().position(|k| k.eq_ignore_ascii_case(h)) {
            return Err(format!(
                "{file}: line 1: the column {} appears twice (columns {} and {}); expected each field once, as `sf data query` writes it",
                sanitize::line(h),
                j + 1,
                i + 1
            ));
        }
    }
    if !header.iter().any(|h| h.eq_ignore_ascii_case("Id")) {
        return Err(format!(
            "{file}: line 1: the header ({}) has no Id column: this is not the CSV of `sf data query --result-format csv` with the fields diagnose needs (run `cartsim diagnose --queries CART_ID` for the queries)",
            sanitize::line(&header.join(","))
        ));
    }
    let object = object_of_header(&header).ok_or_else(|| {
        format!(
            "{file}: line 1: the header ({}) matches no object diagnose reads; a CSV file holds one object, told by its fields: WebCart (WebStoreId, Status), CartCheckoutSession (WebCartId), BackgroundOperation (SubmittedAt), CartValidationOutput (CartId, Level), WebStore (CheckoutTimeToLive), BuyerAccount (BuyerId), BuyerGroupMember (BuyerId, BuyerGroupId), WebStoreBuyerGroup (WebStoreId, BuyerGroupId), User (Username), CartDeliveryGroup (CartId, DeliveryMethodId or DeliverTo...), PaymentAuthorization (Amount), Order (OrderReferenceNumber)",
            sanitize::line(&header.join(","))
        )
    })?;
    let mut out = Parsed {
        format: Format::Csv,
        records: Vec::new(),
        notes: Vec::new(),
    };
    let shared: Arc<str> = Arc::from(file);
    let mut names = Names::default();
    let header: Vec<Arc<str>> = header.iter().map(|h| names.get(h)).collect();
    let mut row = csv::StringRecord::new();
    loop {
        let more = reader.read_record(&mut row).map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            format!("{file}:{line}: {}", sanitize::line(&e.to_string()))
        })?;
        if !more {
            break;
        }
        let number = out.records.len() + 1;
        let fields = header
            .iter()
            .zip(row.iter())
            .map(|(k, v)| (k.clone(), (!v.is_empty()).then(|| v.to_string())));
        out.records
            .push(Record::read(object, &shared, number, fields));
    }
    if out.records.is_empty() {
        out.notes
            .push(format!("{file}: the CSV has a header and no records"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_with_relationships_and_subqueries() {
        let text = r#"{"status":0,"result":{"records":[{"attributes":{"type":"WebCart","url":"/x"},
            "Id":"0a6Hs000000bCdEIAU","Status":"Checkout","Owner":{"attributes":{"type":"User"},"Name":"Bob"},
            "CartCheckoutSessions":{"totalSize":1,"done":true,"records":[
              {"attributes":{"type":"CartCheckoutSession"},"Id":"1CkHs0000000001AAA","IsArchived":false,"OrderId":null}]}}],
            "totalSize":1,"done":true}}"#;
        let p = parse("f.json", text.as_bytes()).unwrap();
        assert_eq!(p.format, Format::Json);
        assert_eq!(p.records.len(), 2);
        assert_eq!(p.records[0].value("owner.name"), Some("Bob"));
        assert_eq!(p.records[1].object, Object::CartCheckoutSession);
        assert_eq!(p.records[1].get("OrderId"), Field::Null);
        assert_eq!(p.records[1].get("State"), Field::Absent);
        assert_eq!(p.records[1].value("IsArchived"), Some("false"));
    }

    #[test]
    fn csv_told_from_its_header() {
        let text =
            "Id,WebCartId,State,IsArchived\n1CkHs0000000001AAA,0a6Hs000000bCdEIAU,Error,false\n";
        let p = parse("s.csv", text.as_bytes()).unwrap();
        assert_eq!(p.records[0].object, Object::CartCheckoutSession);
        let p = parse("o.csv", b"Id,Name,Status,ExpiresAt\nx,Tax,Error,\n").unwrap();
        assert_eq!(p.records[0].object, Object::BackgroundOperation);
        assert_eq!(p.records[0].get("ExpiresAt"), Field::Null);
    }

    #[test]
    fn bad_files_name_file_and_place() {
        let e = parse("t.json", br#"{"status":0,"result":{"records":[{"attri"#).unwrap_err();
        assert!(e.starts_with("t.json:1:") && e.contains("truncated"), "{e}");
        let e = parse("p.html", b"<!DOCTYPE html><html>Login</html>").unwrap_err();
        assert!(e.contains("HTML"), "{e}");
        let e = parse("x.csv", b"Id,Foo\n1,2\n").unwrap_err();
        assert!(e.contains("matches no object"), "{e}");
        let e = parse(
            "o.json",
            br#"{"result":{"records":[{"attributes":{"type":"Opportunity"},"Id":"1"}]}}"#,
        )
        .unwrap_err();
        assert!(
            e.contains("record 1: attributes.type") && e.contains("Opportunity"),
            "{e}"
        );
        let e = parse("err.json", br#"{"status":1,"name":"INVALID_TYPE","message":"sObject type 'Foo' is not supported"}"#).unwrap_err();
        assert!(e.contains("INVALID_TYPE"), "{e}");
    }

    #[test]
    fn a_retrieve_by_id_is_one_record() {
        // `sf data get record -s BackgroundOperation -i ID --json`
        let text = r#"{"status":0,"result":{"attributes":{"type":"BackgroundOperation","url":"/services/data/v62.0/sobjects/BackgroundOperation/08PHs0000000601MAA"},
            "Id":"08PHs0000000601MAA","Name":"Cart Calculate","Status":"Running","Error":null},"warnings":[]}"#;
        let p = parse("op.json", text.as_bytes()).unwrap();
        assert_eq!(p.records.len(), 1);
        assert_eq!(p.records[0].object, Object::BackgroundOperation);
        assert_eq!(p.records[0].value("Status"), Some("Running"));
        assert_eq!(p.records[0].get("Error"), Field::Null);
        assert!(p.notes.is_empty(), "{:?}", p.notes);
        // Several retrieves written one after another into one file.
        let two = format!("{text}\n{}", text.replace("601MAA", "602MAA"));
        assert_eq!(parse("ops.json", two.as_bytes()).unwrap().records.len(), 2);
        // A result that is neither a query result nor a record is still refused.
        let e = parse("x.json", br#"{"status":0,"result":{"Id":"1"}}"#).unwrap_err();
        assert!(e.contains("result.records"), "{e}");
    }

    #[test]
    fn lwr_records_are_told_from_their_csv_header() {
        let of = |text: &str| parse("f.csv", text.as_bytes()).unwrap().records[0].object;
        assert_eq!(
            of(
                "Id,CartId,DeliverToStreet,DeliverToCity,DeliverToPostalCode,DeliverToCountry,DeliveryMethodId\n0a7Hs0000000601IAA,0a6Hs0000000601IAA,1 Main St,Springfield,12345,US,2DmHs0000000001AAA\n"
            ),
            Object::CartDeliveryGroup
        );
        assert_eq!(
            of(
                "Id,Amount,Status,PaymentGroupId\n0XcHs0000000601IAA,110.00,Processed,9zxHs0000000601IAA\n"
            ),
            Object::PaymentAuthorization
        );
        assert_eq!(
            of("Id,OrderReferenceNumber,Status\n801Hs0000000601IAA,ORN-1,Draft\n"),
            Object::Order
        );
        // A validation row names its cart too, and stays one.
        assert_eq!(
            of("Id,CartId,Level,Message\n0dPHs0000000601IAA,0a6Hs0000000601IAA,Error,x\n"),
            Object::CartValidationOutput
        );
        // A session's OrderReferenceNumber does not make it an Order.
        assert_eq!(
            of("Id,WebCartId,OrderReferenceNumber\n2z9Hs0000000601IAA,0a6Hs0000000601IAA,ORN-1\n"),
            Object::CartCheckoutSession
        );
    }

    #[test]
    fn a_repeated_csv_column_is_refused() {
        let text = "Id,WebCartId,State,state\n2z9Hs0000000001AAA,0a6Hs000000bCdEIAU,Error,Start\n";
        let e = parse("s.csv", text.as_bytes()).unwrap_err();
        assert!(
            e.contains("the column state appears twice (columns 3 and 4)"),
            "{e}"
        );
    }

    #[test]
    fn a_utf16_file_with_a_byte_order_mark_is_decoded() {
        let text = "Id\tWebCartId\tState\r\n2z9Hs0000000001AAA\t0a6Hs000000bCdEIAU\tÉtat\r\n";
        for big in [false, true] {
            let mut bytes = if big {
                vec![0xFE, 0xFF]
            } else {
                vec![0xFF, 0xFE]
            };
            for unit in text.encode_utf16() {
                bytes.extend(if big {
                    unit.to_be_bytes()
                } else {
                    unit.to_le_bytes()
                });
            }
            let p = parse("excel.txt", &bytes).unwrap();
            assert_eq!(p.records[0].object, Object::CartCheckoutSession);
            assert_eq!(p.records[0].value("State"), Some("État"));
        }
        let e = parse("cut.txt", &[0xFF, 0xFE, b'I', 0, b'd']).unwrap_err();
        assert!(e.contains("truncated"), "{e}");
        let e = parse("half.txt", &[0xFF, 0xFE, 0x00, 0xD8, b'x', 0]).unwrap_err();
        assert!(e.contains("UTF-16"), "{e}");
    }

    #[test]
    fn excel_style_csv_decodes() {
        // Semicolons where the decimal mark is a comma, CRLF, a byte order mark.
        let text = "\u{feff}Id;Name;Status;WebStoreId;TotalProductAmount\r\n0a6Hs0000000101IAA;\"Cart; main\";Active;0ZEHs0000007001OAA;1534,00\r\n";
        let p = parse("cart.csv", text.as_bytes()).unwrap();
        assert_eq!(p.records[0].object, Object::WebCart);
        assert_eq!(p.records[0].value("Name"), Some("Cart; main"));
        // Excel's `sep=` line names the delimiter.
        let text = "sep=,\nId,Name,CheckoutTimeToLive\n0ZEHs0000007001OAA,Store;1,2880\n";
        let p = parse("store.csv", text.as_bytes()).unwrap();
        assert_eq!(p.records[0].object, Object::WebStore);
        assert_eq!(p.records[0].value("Name"), Some("Store;1"));
    }
}
