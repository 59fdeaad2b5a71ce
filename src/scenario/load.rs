//! Loading a scenario file: JSON syntax, the format version, unknown keys, every
//! reference, then a dry run that proves each expectation names a real record and field.
//! Every failure is a [`LoadError`] naming the file, the line and column, the JSON path
//! and what was expected. No input can make it panic.

use super::expect::{self, FieldCheck};
use super::format::*;
use super::position::{self, Position, PositionIndex, element, member};
use super::sanitize;
use super::validate;
use super::{Expect, ExpectedField, ExpectedResult, Quiz, Scenario, Step};
use crate::engine::Id;
use crate::engine::flow::{COMPLETE, ERROR, Flow, FlowStep, default_flow, default_flow_v2};
use crate::engine::rest::{PaymentOutcome, PlaceOrderStep};
use crate::engine::world::{CART_FIELDS, OPERATION_FIELDS, SESSION_FIELDS, VALIDATION_FIELDS};
use crate::engine::*;
use crate::progress;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::Path;

/// The largest scenario file read.
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;
pub use super::validate::MAX_TICKS;
/// The longest State a flow may name (CartCheckoutSession.NextState is text(30)).
pub const MAX_STATE_LEN: usize = 30;

/// Why a file could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    /// The file, as named.
    pub file: String,
    /// Where, when a position exists.
    pub position: Option<Position>,
    /// The JSON path (`steps[3].cart`), when known.
    pub path: Option<String>,
    /// What is wrong and what was expected (sanitized).
    pub message: String,
}

/// Every part is passed through [`sanitize::line`] here, whoever built the error: a JSON
/// path holds the file's own keys, which may carry escape sequences.
impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", sanitize::line(&self.file))?;
        if let Some(p) = self.position {
            write!(f, ":{}:{}", p.line, p.column)?;
        }
        write!(f, ": ")?;
        if let Some(path) = self.path.as_deref().filter(|p| !p.is_empty()) {
            write!(f, "{}: ", sanitize::line(path))?;
        }
        f.write_str(&sanitize::line(&self.message))
    }
}

impl LoadError {
    /// The same error with every text part sanitized, for outputs that show the parts
    /// one by one (`run --json`).
    pub fn sanitized(&self) -> LoadError {
        LoadError {
            file: sanitize::line(&self.file),
            position: self.position,
            path: self.path.as_deref().map(sanitize::line),
            message: sanitize::line(&self.message),
        }
    }
}

impl std::error::Error for LoadError {}

/// Reads a scenario file's bytes, refusing what is not a regular file (a folder, a FIFO,
/// a device: reading those could block forever or never end) and anything larger than
/// [`MAX_FILE_BYTES`], counted on what is read, not on what the metadata claims.
pub fn read_file(path: &Path) -> Result<Vec<u8>, LoadError> {
    use std::io::Read;
    let fail = |message: String| LoadError {
        file: sanitize::path(path),
        position: None,
        path: None,
        message,
    };
    let not_regular = |meta: &std::fs::Metadata| {
        let kind = if meta.is_dir() {
            "is a folder"
        } else {
            "is not a regular file (a FIFO, socket or device)"
        };
        fail(format!("{kind}; expected a scenario file (.json)"))
    };
    let meta = std::fs::metadata(path).map_err(|e| fail(format!("cannot read the file: {e}")))?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    // Non-blocking, so that a file swapped for a FIFO after the check above cannot hang
    // the open; it changes nothing for a regular file.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options
        .open(path)
        .map_err(|e| fail(format!("cannot read the file: {e}")))?;
    let meta = file
        .metadata()
        .map_err(|e| fail(format!("cannot read the file: {e}")))?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(format!("cannot read the file: {e}")))?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(fail(too_large()));
    }
    Ok(bytes)
}

fn too_large() -> String {
    format!(
        "the file is larger than {MAX_FILE_BYTES} bytes ({} MiB), the most a scenario file may hold",
        MAX_FILE_BYTES / (1024 * 1024)
    )
}

/// Loads and validates a file from disk.
pub fn load_file(path: &Path) -> Result<Scenario, LoadError> {
    let bytes = read_file(path)?;
    load_bytes(&path.display().to_string(), &bytes)
}

/// Loads and validates a file from disk, and also returns it as the format's types.
pub fn load_file_with_raw(path: &Path) -> Result<(Scenario, RawScenario), LoadError> {
    let bytes = read_file(path)?;
    load_with_raw(&path.display().to_string(), &bytes)
}

/// The UTF-8 byte order mark that some Windows editors write at the start of a file.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Loads and validates a scenario from bytes; `name` is used in messages. A leading
/// UTF-8 byte order mark is accepted and skipped.
pub fn load_bytes(name: &str, bytes: &[u8]) -> Result<Scenario, LoadError> {
    load_inner(name, bytes, DryRun::Now)
}

/// Loads and validates a scenario from bytes, and also returns the file as the format's
/// types (what `cartsim upgrade` rewrites). This holds the whole file twice over, as the
/// format's types and as the scenario: [`load_bytes`] holds only the scenario.
pub fn load_with_raw(name: &str, bytes: &[u8]) -> Result<(Scenario, RawScenario), LoadError> {
    let (cx, edition, bytes) = open(name, bytes)?;
    let raw = read_raw(&cx, bytes)?;
    let scenario = Builder::new(&cx, edition).build(&raw)?;
    drop(cx);
    dry_run(&scenario)?;
    Ok((scenario, raw))
}

/// A scenario that passed every check but the last: that each expectation names a
/// record and field that exist at its step, which only playing the steps can tell. A
/// headless run plays the steps anyway, so it checks each step as it plays it
/// ([`Unplayed::check_step`]) instead of playing the whole file twice.
#[derive(Debug)]
pub struct Unplayed {
    scenario: Scenario,
}

impl Unplayed {
    /// The scenario, not yet proven to the end.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// After step `index` was applied to `world`: the load error [`load_bytes`] would
    /// have given for an expectation of that step that names no record or field of the
    /// world at that step.
    pub fn check_step(&self, index: usize, world: &World) -> Result<(), LoadError> {
        check_step(
            &self.scenario.file,
            index,
            &self.scenario.steps[index],
            world,
        )
    }
}

/// Loads a file from disk with every check but the expectation paths, which the caller
/// checks as it plays (see [`Unplayed`]).
pub fn load_file_unplayed(path: &Path) -> Result<Unplayed, LoadError> {
    let bytes = read_file(path)?;
    load_unplayed(&path.display().to_string(), &bytes)
}

/// [`load_bytes`] with every check but the expectation paths (see [`Unplayed`]).
pub fn load_unplayed(name: &str, bytes: &[u8]) -> Result<Unplayed, LoadError> {
    load_inner(name, bytes, DryRun::Deferred).map(|scenario| Unplayed { scenario })
}

/// Whether loading plays the steps to check the expectation paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DryRun {
    /// Now, before the scenario is returned.
    Now,
    /// Later, by whoever plays it ([`Unplayed`]).
    Deferred,
}

/// Loads a scenario without keeping the file as the format's types: the steps are
/// read and checked one at a time ([`read_streamed`]), so that a long file is held once,
/// as its scenario. Every error is the one [`load_with_raw`] gives for the same bytes.
fn load_inner(name: &str, bytes: &[u8], dry_run: DryRun) -> Result<Scenario, LoadError> {
    let (cx, edition, bytes) = open(name, bytes)?;
    let scenario = match read_streamed(&cx, edition, bytes) {
        Ok(scenario) => scenario,
        Err(Some(refused)) => return Err(refused),
        // The file does not fit the format's types. Reading it whole words that error
        // exactly (its path, the value quoted, the position); it only costs memory on
        // a file that is refused anyway.
        Err(None) => {
            let raw = read_raw(&cx, bytes)?;
            Builder::new(&cx, edition).build(&raw)?
        }
    };
    // The positions are only needed for errors found before the dry run: each
    // expectation keeps its own.
    drop(cx);
    if dry_run == DryRun::Now {
        self::dry_run(&scenario)?;
    }
    Ok(scenario)
}

/// Everything that comes before reading the file as the format's types: its size, its
/// JSON syntax, the position of each value, a key given twice in one object and the
/// format version. Gives the file's context for errors, its edition and its bytes
/// without a byte order mark.
fn open<'b>(name: &str, bytes: &'b [u8]) -> Result<(Cx, Edition, &'b [u8]), LoadError> {
    let file = sanitize::line(name);
    if bytes.len() > MAX_FILE_BYTES {
        return Err(LoadError {
            file,
            position: None,
            path: None,
            message: too_large(),
        });
    }
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    let stopped = |_| stopped(&file);
    progress::report(READING, 0, bytes.len()).map_err(stopped)?;
    // One pass checks the whole syntax and reads only the format version; everything
    // else is skipped without being built (a file may hold a million steps).
    let object = bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    let head = if object {
        serde_json::from_slice::<Head>(bytes).map(Some)
    } else {
        serde_json::from_slice::<serde::de::IgnoredAny>(bytes).map(|_| None)
    };
    let head = match head {
        Ok(head) => head,
        Err(e) if e.is_syntax() || e.is_eof() => return Err(syntax_error(&file, bytes, &e)),
        // An object that repeats `cartsim`: the duplicate check below names it.
        Err(_) => None,
    };
    // serde_json accepted it, so it is valid UTF-8.
    let text = std::str::from_utf8(bytes).unwrap_or_default();
    let positions = position::index(text);
    let cx = Cx {
        file: file.clone(),
        positions,
    };
    if let Some((path, pos)) = cx.positions.duplicate.clone() {
        return Err(cx.at(
            &path,
            Some(pos),
            "this key appears twice in the same object; expected each key once".to_string(),
        ));
    }
    let edition = check_version(&cx, head)?;
    Ok((cx, edition, bytes))
}

/// The whole file as the format's types, or the error that says where and why it does
/// not fit them.
fn read_raw(cx: &Cx, bytes: &[u8]) -> Result<RawScenario, LoadError> {
    // Read the typed file from the text itself, not from `value`: turning a Value into
    // the types goes through f64 for numbers, and amounts must stay exact to the cent.
    let mut from_text = serde_json::Deserializer::from_slice(bytes);
    let raw: RawScenario = serde_path_to_error::deserialize(&mut from_text).map_err(|e| {
        let path = render_path(e.path());
        let key = match e.path().iter().next_back() {
            Some(serde_path_to_error::Segment::Map { key }) => Some(key.as_str()),
            _ => None,
        };
        // The value the error is about, for its wording: parsed only now, on an error.
        let value: serde_json::Value =
            serde_json::from_slice(bytes).unwrap_or(serde_json::Value::Null);
        let message = describe_serde(&e.inner().to_string(), value_at(&value, e.path()), key);
        let pos = cx.positions.nearest(&path);
        cx.at(&path, Some(pos), message)
    })?;
    progress::report(READING, bytes.len(), bytes.len()).map_err(|_| stopped(&cx.file))?;
    Ok(raw)
}

/// Reads and checks the file in two passes over its text without ever holding all its
/// steps as the format's types: the first reads everything but the steps (skipped), the
/// second reads the steps one at a time, each made a [`Step`] as soon as it is read.
/// Both read with the format's own types at the depth [`read_raw`] reads them, so the
/// same files pass. `Err(None)` when the file does not fit the types: [`read_raw`] then
/// words the error. A step the builder refuses is only reported once every later step
/// has been read: an error of the format's types in a later step is the one reported,
/// as [`load_with_raw`] reports it.
fn read_streamed(cx: &Cx, edition: Edition, bytes: &[u8]) -> Result<Scenario, Option<LoadError>> {
    let Ok(head) = serde_json::from_slice::<RawScenario<serde::de::IgnoredAny>>(bytes) else {
        return Err(None);
    };
    progress::report(READING, bytes.len(), bytes.len()).map_err(|_| Some(stopped(&cx.file)))?;
    let mut builder = Builder::new(cx, edition);
    let refused = builder.world(&head).err();
    let total = cx.positions.count("steps").unwrap_or(0);
    let mut steps = StepReader {
        builder: &builder,
        steps: Vec::with_capacity(if refused.is_none() { total } else { 0 }),
        read: 0,
        total,
        refused,
        stopped: false,
    };
    let mut from_text = serde_json::Deserializer::from_slice(bytes);
    let read = serde::Deserializer::deserialize_map(&mut from_text, TopLevel(&mut steps));
    if steps.stopped {
        return Err(Some(stopped(&cx.file)));
    }
    read.map_err(|_| None)?;
    if let Some(refused) = steps.refused {
        return Err(Some(refused));
    }
    let steps = steps.steps;
    builder.finish(&head, steps).map_err(Some)
}

/// The second pass of [`read_streamed`]: the top-level object, whose `steps` it reads
/// and whose other members it skips (the first pass read them).
struct TopLevel<'r, 'b, 'c>(&'r mut StepReader<'b, 'c>);

/// The steps read so far, made [`Step`]s, or the first one refused.
struct StepReader<'b, 'c> {
    builder: &'b Builder<'c>,
    steps: Vec<Step>,
    /// How many steps were read.
    read: usize,
    /// How many the file has.
    total: usize,
    /// The first refusal: the steps after it are read only to check their types.
    refused: Option<LoadError>,
    /// Whoever watched the load stopped it.
    stopped: bool,
}

/// A top-level key: whether it is `steps` (decoded as serde decodes it: `"st\u0065ps"`
/// is `steps` too).
struct IsSteps(bool);

impl<'de> serde::Deserialize<'de> for IsSteps {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Key;
        impl serde::de::Visitor<'_> for Key {
            type Value = IsSteps;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<IsSteps, E> {
                Ok(IsSteps(key == "steps"))
            }
        }
        d.deserialize_str(Key)
    }
}

impl<'de> serde::de::Visitor<'de> for TopLevel<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a scenario")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(IsSteps(steps)) = map.next_key()? {
            if steps {
                map.next_value_seed(&mut *self.0)?;
            } else {
                map.next_value::<serde::de::IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for &mut StepReader<'_, '_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> serde::de::Visitor<'de> for &mut StepReader<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sequence")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(raw) = seq.next_element::<RawStep>()? {
            let i = self.read;
            self.read += 1;
            if progress::report_every(1024, CHECKING, i, self.total).is_err() {
                self.stopped = true;
                return Err(serde::de::Error::custom("stopped"));
            }
            if self.refused.is_some() {
                continue;
            }
            match self.builder.step(&element("steps", i), &raw) {
                Ok(step) => self.steps.push(step),
                Err(refused) => {
                    self.refused = Some(refused);
                    self.steps = Vec::new();
                }
            }
        }
        Ok(())
    }
}

/// What a front end watching a load ([`crate::progress`]) is told: the bytes read (in
/// three passes over the text, the second one counted), then each step checked, then
/// each step played once.
use position::READING;

const CHECKING: &str = "checking the steps";
const PLAYING: &str = "playing the steps once";

/// The load was stopped by whoever watched it.
fn stopped(file: &str) -> LoadError {
    LoadError {
        file: file.to_string(),
        position: None,
        path: None,
        message: "loading was stopped before the end".to_string(),
    }
}

/// serde_json counts columns in bytes; every other error counts characters, so the
/// column is converted (the bytes of the error's line up to the column, in characters;
/// bytes that are not UTF-8 count one each).
fn char_column(bytes: &[u8], line: usize, byte_column: usize) -> usize {
    let Some(text) = bytes.split(|&b| b == b'\n').nth(line.saturating_sub(1)) else {
        return byte_column;
    };
    let upto = &text[..byte_column.min(text.len())];
    let extra = byte_column.saturating_sub(text.len());
    String::from_utf8_lossy(upto).chars().count() + extra
}

fn syntax_error(file: &str, bytes: &[u8], e: &serde_json::Error) -> LoadError {
    let text = e.to_string();
    let message = match text.rfind(" at line ") {
        Some(cut) => text[..cut].to_string(),
        None => text,
    };
    let message = if e.is_eof() {
        format!("{message}: the file ends too early; expected a complete JSON document")
    } else {
        format!("{message} (JSON syntax)")
    };
    LoadError {
        file: file.to_string(),
        position: Some(Position {
            line: e.line().max(1),
            column: char_column(bytes, e.line(), e.column()).max(1),
        }),
        path: None,
        message: sanitize::line(&message),
    }
}

/// The value at the path of a deserializing error, to quote it in the message.
fn value_at<'v>(
    value: &'v serde_json::Value,
    path: &serde_path_to_error::Path,
) -> Option<&'v serde_json::Value> {
    use serde_path_to_error::Segment;
    path.iter().try_fold(value, |here, segment| match segment {
        Segment::Seq { index } => here.get(*index),
        Segment::Map { key } => here.get(key),
        Segment::Enum { .. } | Segment::Unknown => Some(here),
    })
}

/// Turns serde's wording into the tool's: names the expectation plainly, and for an
/// unknown key or value suggests the closest expected one ("did you mean"). `at` is the
/// value the error is about, under `key`: numbers are kept as their text (so that
/// amounts are exact), and serde then words a wrong number without quoting it, so it is
/// quoted here.
fn describe_serde(message: &str, at: Option<&serde_json::Value>, key: Option<&str>) -> String {
    // Errors read from the text end with serde_json's own " at line L column C"; the
    // position is given in the tool's own form instead.
    let message = match message.rfind(" at line ") {
        Some(cut) => &message[..cut],
        None => message,
    };
    let mut message = message.to_string();
    if let Some(serde_json::Value::Number(n)) = at {
        let text = n.to_string();
        let quoted = if text.contains(['.', 'e', 'E']) {
            format!(
                "floating point `{}`",
                short(&serde_json::Value::Number(n.clone()))
            )
        } else {
            format!("integer `{}`", short(&serde_json::Value::Number(n.clone())))
        };
        let whole_number_wanted = message == "invalid number"
            || message.ends_with("expected u64")
            || message.ends_with("expected u16")
            || message.contains("out of range");
        if whole_number_wanted {
            // Every key the format reads a whole number into is a u64, but for `http`.
            let max = if key == Some("http") {
                u64::from(u16::MAX)
            } else {
                u64::MAX
            };
            message = format!("invalid value: {quoted}, expected a whole number from 0 to {max}");
        } else if let Some(rest) = message.strip_prefix("invalid type: number,") {
            message = format!("invalid type: {quoted},{rest}");
        }
    }
    let message = message.replace("unknown field", "unknown key");
    let message = message.replace("missing field", "missing key");
    let mut message = sanitize::line(&message);
    // serde words it "unknown key `nite`, expected one of `do`, `cart`, ...".
    if let Some(rest) = message
        .strip_prefix("unknown key `")
        .or_else(|| message.strip_prefix("unknown variant `"))
        && let Some((word, expected)) = rest.split_once('`')
    {
        let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        if let Some(close) = super::suggest(word, candidates) {
            message = format!("{message}; did you mean `{close}`?");
        }
    }
    message
}

fn render_path(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => out = element(&out, *index),
            Segment::Map { key } => out = member(&out, key),
            Segment::Enum { variant } => out = member(&out, variant),
            Segment::Unknown => {}
        }
    }
    out
}

/// The top level of a file as far as the format version: read before anything else, so
/// that a file of another version is named as such rather than by its first unknown key.
#[derive(serde::Deserialize)]
struct Head {
    /// Present (even as `null`, which is a wrong version, not a missing one) or absent.
    #[serde(default, deserialize_with = "present")]
    cartsim: Option<serde_json::Value>,
}

fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<serde_json::Value>, D::Error> {
    <serde_json::Value as serde::Deserialize>::deserialize(d).map(Some)
}

/// The edition a file's head names; `None` when the top level is not a JSON object.
fn check_version(cx: &Cx, head: Option<Head>) -> Result<Edition, LoadError> {
    let Some(head) = head else {
        return Err(cx.at(
            "",
            None,
            "expected a JSON object at the top level, starting {\"cartsim\": 1, \"title\": ...}"
                .to_string(),
        ));
    };
    match &head.cartsim {
        None => Err(cx.at(
            "",
            None,
            "missing key `cartsim`: expected the format version, \"cartsim\": 1".to_string(),
        )),
        Some(v) if v.as_u64() == Some(1) => Ok(Edition::One),
        Some(v) if v.as_u64() == Some(2) => Ok(Edition::Two),
        Some(v) => Err(cx.at(
            "cartsim",
            None,
            format!(
                "format version {} is not one this build reads; expected \"cartsim\": {FORMAT_VERSION} or {LATEST_VERSION} (the versions this build reads: {})",
                short(v),
                VERSIONS.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(", ")
            ),
        )),
    }
}

/// A short rendering of a JSON value for messages.
fn short(v: &serde_json::Value) -> String {
    let text = v.to_string();
    let text: String = if text.chars().count() > 40 {
        text.chars().take(40).chain("...".chars()).collect()
    } else {
        text
    };
    sanitize::line(&text)
}

/// The file and its positions: everything needed to word an error.
struct Cx {
    file: String,
    positions: PositionIndex,
}

impl Cx {
    /// An error at `path`; `pos` overrides the position found for the path.
    fn at(&self, path: &str, pos: Option<Position>, message: String) -> LoadError {
        LoadError {
            file: self.file.clone(),
            position: Some(pos.unwrap_or_else(|| self.positions.nearest(path))),
            path: Some(sanitize::line(path)),
            message: sanitize::line(&message),
        }
    }

    /// An error about the value at `path` (points at the value, not its key).
    fn value_at(&self, path: &str, message: String) -> LoadError {
        let pos = self.positions.value(path);
        self.at(path, pos, message)
    }
}

/// Where each id was first declared, for duplicate messages.
struct Builder<'a> {
    cx: &'a Cx,
    edition: Edition,
    ids: HashMap<String, String>,
    /// The SKUs seen so far (a hash set: a file may list 100,000 products).
    skus: HashSet<String>,
    world: WorldBuilder,
}

fn list(ids: impl Iterator<Item = impl AsRef<str>>) -> String {
    let all: Vec<String> = ids.map(|s| s.as_ref().to_string()).collect();
    if all.is_empty() {
        "(none)".to_string()
    } else if all.len() > 12 {
        format!("{}, ... ({} in all)", all[..12].join(", "), all.len())
    } else {
        all.join(", ")
    }
}

impl<'a> Builder<'a> {
    fn new(cx: &'a Cx, edition: Edition) -> Builder<'a> {
        Builder {
            cx,
            edition,
            ids: HashMap::new(),
            skus: HashSet::new(),
            world: WorldBuilder::new(),
        }
    }

    fn err(&self, path: &str, message: String) -> LoadError {
        self.cx.value_at(path, message)
    }

    /// Checks an id is plain text and not used yet.
    fn claim(&mut self, path: &str, id: &str) -> Result<String, LoadError> {
        validate::id(id).map_err(|why| self.err(path, why))?;
        if let Some(first) = self.ids.get(id) {
            return Err(self.err(
                path,
                format!("id {id} is already used at {first}; expected ids to be unique"),
            ));
        }
        self.ids.insert(id.to_string(), path.to_string());
        Ok(id.to_string())
    }

    fn reference(
        &self,
        path: &str,
        id: &str,
        what: &str,
        exists: bool,
        known: impl Iterator<Item = impl AsRef<str>>,
    ) -> Result<String, LoadError> {
        if exists {
            return Ok(id.to_string());
        }
        Err(self.err(
            path,
            format!(
                "no {what} has the id {}; expected one of: {}",
                sanitize::line(id),
                list(known)
            ),
        ))
    }

    fn store_ref(&self, path: &str, id: &str) -> Result<String, LoadError> {
        let w = &self.world;
        self.reference(
            path,
            id,
            "store",
            w.store(id).is_some(),
            w.stores().iter().map(|s| &s.id),
        )
    }
    fn account_ref(&self, path: &str, id: &str) -> Result<String, LoadError> {
        let w = &self.world;
        self.reference(
            path,
            id,
            "account",
            w.account(id).is_some(),
            w.accounts().iter().map(|a| &a.id),
        )
    }
    fn buyer_ref(&self, path: &str, id: &str) -> Result<String, LoadError> {
        let w = &self.world;
        self.reference(
            path,
            id,
            "buyer",
            w.buyer(id).is_some(),
            w.buyers().iter().map(|b| &b.id),
        )
    }
    fn cart_ref(&self, path: &str, id: &str) -> Result<String, LoadError> {
        let w = &self.world;
        self.reference(
            path,
            id,
            "cart",
            w.cart(id).is_some(),
            w.carts().iter().map(|c| &c.id),
        )
    }
    fn sku_ref(&self, path: &str, sku: &str) -> Result<String, LoadError> {
        let w = &self.world;
        self.reference(
            path,
            sku,
            "product",
            w.product(sku).is_some(),
            w.products().iter().map(|p| &p.sku),
        )
    }

    /// The whole scenario, from the file read whole.
    fn build(mut self, raw: &RawScenario) -> Result<Scenario, LoadError> {
        self.world(raw)?;
        let mut steps = Vec::with_capacity(raw.steps.len());
        for (i, s) in raw.steps.iter().enumerate() {
            progress::report_every(1024, CHECKING, i, raw.steps.len())
                .map_err(|_| stopped(&self.cx.file))?;
            steps.push(self.step(&element("steps", i), s)?);
        }
        self.finish(raw, steps)
    }

    /// Checks the title and builds the starting world, in file order.
    fn world<S>(&mut self, raw: &RawScenario<S>) -> Result<(), LoadError> {
        if raw.title.trim().is_empty() {
            return Err(self.err(
                "title",
                "the title is empty; expected a short title".to_string(),
            ));
        }
        let w = &raw.world;
        for (i, s) in w.stores.iter().enumerate() {
            self.store(&element("world.stores", i), s)?;
        }
        for (i, a) in w.accounts.iter().enumerate() {
            self.account(&element("world.accounts", i), a)?;
        }
        for (i, b) in w.buyers.iter().enumerate() {
            self.buyer(&element("world.buyers", i), b)?;
        }
        for (i, p) in w.products.iter().enumerate() {
            self.product(&element("world.products", i), p)?;
        }
        for (i, c) in w.carts.iter().enumerate() {
            self.cart(&element("world.carts", i), c)?;
        }
        for (i, o) in w.operations.iter().enumerate() {
            self.operation(&element("world.operations", i), o)?;
        }
        for (i, s) in w.sessions.iter().enumerate() {
            self.session(&element("world.sessions", i), s)?;
        }
        for (i, v) in w.validation_outputs.iter().enumerate() {
            self.validation_output(&element("world.validation_outputs", i), v)?;
        }
        Ok(())
    }

    /// The scenario of the world built and its checked steps.
    fn finish<S>(self, raw: &RawScenario<S>, steps: Vec<Step>) -> Result<Scenario, LoadError> {
        let scenario = Scenario {
            edition: self.edition,
            file: self.cx.file.clone(),
            title: sanitize::line(&raw.title),
            summary: raw.summary.as_deref().map(sanitize::paragraph),
            tags: raw.tags.iter().map(|t| sanitize::line(t)).collect(),
            world: self.world.build(),
            steps,
        };
        // Each rule was checked where the file gives it; the whole world once more, so
        // that no combination the checks above let through reaches the engine.
        if let Some(p) = validate::world(&scenario.world).first() {
            return Err(self.cx.value_at(&p.path(), p.message.clone()));
        }
        Ok(scenario)
    }

    fn store(&mut self, path: &str, raw: &RawStore) -> Result<(), LoadError> {
        let id = self.claim(&member(path, "id"), &raw.id)?;
        let on_cart_change = match raw.on_cart_change.as_deref() {
            None => OnCartChange::CancelCheckout,
            Some(text) => OnCartChange::parse(text).ok_or_else(|| {
                self.err(
                    &member(path, "on_cart_change"),
                    format!(
                        "{:?} is not a store behaviour; expected \"cancel_checkout\" or \"recalculate\"",
                        sanitize::line(text)
                    ),
                )
            })?,
        };
        let (checkout_flow, default) = match (&raw.checkout_flow, self.edition) {
            (None, Edition::One) => (default_flow(), true),
            (None, Edition::Two) => (default_flow_v2(), true),
            (Some(steps), _) => (self.flow(&member(path, "checkout_flow"), steps)?, false),
        };
        let settings = self.settings(path, raw)?;
        let delivery_methods = self.delivery_methods(&member(path, "delivery_methods"), raw)?;
        self.world.add_store(Store {
            name: sanitize::line(raw.name.as_deref().unwrap_or(&id)),
            id: Id::from(id),
            on_cart_change,
            checkout_flow,
            default_flow: default,
            settings,
            delivery_methods,
        });
        Ok(())
    }

    /// A store's delivery methods: ids non-empty and unique, prices exact and not negative.
    fn delivery_methods(
        &self,
        path: &str,
        raw: &RawStore,
    ) -> Result<Vec<DeliveryMethod>, LoadError> {
        let mut seen = HashSet::new();
        let mut methods = Vec::with_capacity(raw.delivery_methods.len());
        for (i, m) in raw.delivery_methods.iter().enumerate() {
            let here = element(path, i);
            let id = m.id.trim();
            if id.is_empty() || sanitize::line(id) != id {
                return Err(self.err(
                    &member(&here, "id"),
                    "expected a non-empty delivery method id without control characters"
                        .to_string(),
                ));
            }
            if !seen.insert(id.to_string()) {
                return Err(self.err(
                    &member(&here, "id"),
                    format!(
                        "the delivery method {id:?} appears twice in this store; expected each id once"
                    ),
                ));
            }
            let text = m.price.to_string();
            let price = Money::parse_number(&text)
                .filter(|p| *p >= Money::ZERO && p.cents() <= 100_000_000_000)
                .ok_or_else(|| {
                    self.err(
                        &member(&here, "price"),
                        format!("price {text} is not usable; expected a decimal from 0 to 1000000000 with at most two places"),
                    )
                })?;
            methods.push(DeliveryMethod {
                id: id.to_string(),
                name: sanitize::line(m.name.as_deref().unwrap_or(id)),
                price,
            });
        }
        Ok(methods)
    }

    /// The store's settings: the edition's defaults, then each key the file names, each
    /// read by the setting's own parser (an error names the values it takes).
    fn settings(&self, path: &str, raw: &RawStore) -> Result<StoreSettings, LoadError> {
        let mut settings = StoreSettings::defaults(self.edition);
        for setting in settings::SETTINGS {
            if let Some(value) = raw.setting(setting.key) {
                settings
                    .set(setting.key, SettingInput::Json(value))
                    .map_err(|e| {
                        self.err(&member(path, setting.key), sanitize::line(&e.to_string()))
                    })?;
            }
        }
        if settings.template == Template::Lwr {
            // An lwr store runs no checkout flow, and a cart change never cancels its
            // checkout (Simplified Cart Cleanup): keys that say otherwise are mistakes.
            for (key, given) in [
                ("checkout_flow", raw.checkout_flow.is_some()),
                ("on_cart_change", raw.on_cart_change.is_some()),
            ] {
                if given {
                    return Err(self.cx.at(
                        &member(path, key),
                        None,
                        format!(
                            "an lwr store calls the REST checkout API and runs no checkout flow, so `{key}` means nothing here; expected it left out (or \"template\": \"aura\")"
                        ),
                    ));
                }
            }
        }
        Ok(settings)
    }

    /// A `set_setting` step's key and value: a setting a scenario may change, and a
    /// value it takes, each refused at its own position naming what is expected.
    fn setting_change(
        &self,
        path: &str,
        raw: &RawStep,
    ) -> Result<(String, SettingValue), LoadError> {
        let key = raw.key.as_deref().unwrap_or_default();
        let changeable = || {
            settings::SETTINGS
                .iter()
                .filter(|s| s.changeable)
                .map(|s| s.key)
                .collect::<Vec<_>>()
                .join(", ")
        };
        let setting = match settings::setting(key) {
            Some(s) if s.changeable => s,
            Some(s) => {
                return Err(self.err(
                    &member(path, "key"),
                    format!(
                        "`{}` is fixed for the whole scenario (a store does not change its kind mid-scenario); expected one of: {}",
                        s.key,
                        changeable()
                    ),
                ));
            }
            None => {
                return Err(self.err(
                    &member(path, "key"),
                    format!(
                        "{:?} is not a store setting; expected one of: {}{}",
                        sanitize::line(key),
                        changeable(),
                        super::suggest(key, settings::keys())
                            .map(|k| format!("; did you mean {k}?"))
                            .unwrap_or_default()
                    ),
                ));
            }
        };
        let value = raw.value.as_ref().unwrap_or(&serde_json::Value::Null);
        let value = setting
            .parse(SettingInput::Json(value))
            .map_err(|e| self.err(&member(path, "value"), sanitize::line(&e.to_string())))?;
        Ok((setting.key.to_string(), value))
    }

    fn flow(&self, path: &str, raw: &[RawFlowStep]) -> Result<Flow, LoadError> {
        if raw.is_empty() {
            return Err(self.err(
                path,
                "the checkout flow is empty; expected at least one state (or leave checkout_flow out for the default flow)".to_string(),
            ));
        }
        let mut seen = HashSet::new();
        let mut steps = Vec::with_capacity(raw.len());
        for (i, s) in raw.iter().enumerate() {
            let here = element(path, i);
            let state = sanitize::line(s.state.trim());
            let state_path = member(&here, "state");
            if state.is_empty() || state.chars().count() > MAX_STATE_LEN {
                return Err(self.err(
                    &state_path,
                    format!("expected a state name of 1 to {MAX_STATE_LEN} characters (CartCheckoutSession.NextState is text of 30)"),
                ));
            }
            if state == COMPLETE || state == ERROR {
                return Err(self.err(
                    &state_path,
                    format!(
                        "{state} is the State the simulator sets itself; expected another name"
                    ),
                ));
            }
            if !seen.insert(state.clone()) {
                return Err(self.err(
                    &state_path,
                    format!("the state {state} appears twice; expected each state once"),
                ));
            }
            let sync = s.sync == Some(true);
            if sync && (s.operation.is_some() || s.buyer == Some(true) || s.ticks.is_some()) {
                return Err(self.err(
                    &here,
                    "a synchronous state does its work at once; expected `\"sync\": true` without `operation`, `ticks` or `buyer`".to_string(),
                ));
            }
            let step = match (&s.operation, s.buyer) {
                _ if sync => FlowStep::sync(&state),
                (Some(_), Some(true)) => {
                    return Err(self.err(
                        &here,
                        "a state either runs an operation or waits for the buyer; expected `operation` or `\"buyer\": true`, not both".to_string(),
                    ));
                }
                (Some(op), _) => {
                    let ticks = s.ticks.unwrap_or(1);
                    if ticks == 0 || ticks > MAX_TICKS {
                        return Err(self.err(
                            &member(&here, "ticks"),
                            format!("expected a number of ticks from 1 to {MAX_TICKS}"),
                        ));
                    }
                    let op = sanitize::line(op);
                    if op.trim().is_empty() {
                        return Err(self.err(
                            &member(&here, "operation"),
                            "expected the background operation's name".to_string(),
                        ));
                    }
                    FlowStep::run(&state, &op, ticks)
                }
                (None, Some(true)) => {
                    if s.ticks.is_some() {
                        return Err(self.err(
                            &member(&here, "ticks"),
                            "a buyer state has no ticks; expected `ticks` only with `operation`"
                                .to_string(),
                        ));
                    }
                    FlowStep::buyer(&state)
                }
                (None, _) => {
                    return Err(self.err(
                        &here,
                        "expected either `operation` (with `ticks`), `\"buyer\": true` or `\"sync\": true`"
                            .to_string(),
                    ));
                }
            };
            steps.push(step);
        }
        Ok(Flow::from(steps))
    }

    fn account(&mut self, path: &str, raw: &RawAccount) -> Result<(), LoadError> {
        let id = self.claim(&member(path, "id"), &raw.id)?;
        let mut stores = Vec::new();
        let mut seen = HashSet::new();
        for (i, s) in raw.stores.iter().enumerate() {
            let s = self.store_ref(&element(&member(path, "stores"), i), s)?;
            if seen.insert(s.clone()) {
                stores.push(s);
            }
        }
        self.world.add_account(Account {
            name: sanitize::line(raw.name.as_deref().unwrap_or(&id)),
            id: Id::from(id),
            stores: stores.iter().map(|s| Id::new(s)).collect(),
        });
        Ok(())
    }

    fn buyer(&mut self, path: &str, raw: &RawBuyer) -> Result<(), LoadError> {
        let id = self.claim(&member(path, "id"), &raw.id)?;
        let mut accounts = Vec::new();
        let mut seen = HashSet::new();
        for (i, a) in raw.accounts.iter().enumerate() {
            let a = self.account_ref(&element(&member(path, "accounts"), i), a)?;
            if seen.insert(a.clone()) {
                accounts.push(a);
            }
        }
        let effective_account = match (&raw.effective_account, accounts.first()) {
            (Some(a), _) => self.account_ref(&member(path, "effective_account"), a)?,
            (None, Some(first)) => first.clone(),
            (None, None) => {
                return Err(self.err(
                    path,
                    "the buyer acts for no account; expected `accounts` (or an `effective_account`)".to_string(),
                ));
            }
        };
        let permissions = match &raw.permissions {
            None => Permission::ALL.to_vec(),
            Some(names) => {
                let mut out = Vec::new();
                for (i, name) in names.iter().enumerate() {
                    let p = self.permission(&element(&member(path, "permissions"), i), name)?;
                    if !out.contains(&p) {
                        out.push(p);
                    }
                }
                out.sort();
                out
            }
        };
        let address = match &raw.address {
            Some(v) => Some(self.address(&member(path, "address"), v)?),
            None => None,
        };
        let token = match raw.token.as_deref() {
            Some(t) if t.is_empty() || t.chars().any(|c| c.is_whitespace() || c.is_control()) => {
                return Err(self.err(
                    &member(path, "token"),
                    "expected a bearer token: one word, without spaces or control characters"
                        .to_string(),
                ));
            }
            Some(t)
                if self
                    .world
                    .buyers()
                    .iter()
                    .any(|b| b.token.as_deref() == Some(t)) =>
            {
                return Err(self.err(
                    &member(path, "token"),
                    "another buyer has this token already; expected each buyer's token to be its own".to_string(),
                ));
            }
            other => other.map(str::to_string),
        };
        self.world.add_buyer(Buyer {
            name: sanitize::line(raw.name.as_deref().unwrap_or(&id)),
            id: Id::from(id),
            accounts: accounts.iter().map(|a| Id::new(a)).collect(),
            effective_account: Id::from(effective_account),
            permissions,
            guest: raw.guest,
            address,
            token,
        });
        Ok(())
    }

    fn permission(&self, path: &str, name: &str) -> Result<Permission, LoadError> {
        Permission::parse(name).ok_or_else(|| {
            self.err(
                path,
                format!(
                    "{:?} is not a permission; expected one of: edit_cart, checkout, cancel_checkout",
                    sanitize::line(name)
                ),
            )
        })
    }

    fn product(&mut self, path: &str, raw: &RawProduct) -> Result<(), LoadError> {
        let sku_path = member(path, "sku");
        if !sanitize::is_clean_id(&raw.sku) {
            return Err(self.err(
                &sku_path,
                "expected a SKU without spaces or control characters".to_string(),
            ));
        }
        if !self.skus.insert(raw.sku.clone()) {
            return Err(self.err(
                &sku_path,
                format!(
                    "the SKU {} appears twice; expected each product once",
                    raw.sku
                ),
            ));
        }
        let text = raw.price.to_string();
        // The number's own text, read exactly: never through a float.
        let price = Money::parse_number(&text)
            .filter(|m| validate::price(*m).is_ok())
            .ok_or_else(|| {
                self.err(
                    &member(path, "price"),
                    format!("price {text} is not usable; expected a decimal from 0 to 1000000000 with at most two places"),
                )
            })?;
        self.world.add_product(Product {
            name: sanitize::line(raw.name.as_deref().unwrap_or(&raw.sku)),
            sku: Id::new(&raw.sku),
            price,
        });
        Ok(())
    }

    fn cart(&mut self, path: &str, raw: &RawCart) -> Result<(), LoadError> {
        let id = self.claim(&member(path, "id"), &raw.id)?;
        let store = self.store_ref(&member(path, "store"), &raw.store)?;
        let buyer = self.buyer_ref(&member(path, "buyer"), &raw.buyer)?;
        let account = match &raw.account {
            Some(a) => self.account_ref(&member(path, "account"), a)?,
            None => self
                .world
                .buyer(&buyer)
                .map(|b| b.effective_account.to_string())
                .unwrap_or_default(),
        };
        let status = match raw.status.as_deref() {
            None => CartStatus::Active,
            Some(s) => CartStatus::parse(s).ok_or_else(|| {
                self.err(
                    &member(path, "status"),
                    format!(
                        "{:?} is not a WebCart.Status; expected one of: {}",
                        sanitize::line(s),
                        list(CartStatus::ALL.iter().map(|s| s.as_str()))
                    ),
                )
            })?,
        };
        let mut items: Vec<CartItem> = Vec::new();
        let mut seen = HashSet::new();
        for (i, item) in raw.items.iter().enumerate() {
            let here = element(&member(path, "items"), i);
            let sku = self.sku_ref(&member(&here, "sku"), &item.sku)?;
            if !seen.insert(sku.clone()) {
                return Err(self.err(
                    &member(&here, "sku"),
                    format!("{sku} is already in this cart; expected each SKU once per cart"),
                ));
            }
            let quantity = i64::try_from(item.quantity).unwrap_or(i64::MAX);
            validate::quantity(quantity)
                .map_err(|why| self.err(&member(&here, "quantity"), why))?;
            items.push(CartItem {
                sku: Id::from(sku),
                quantity,
            });
        }
        self.world.add_cart(WebCart {
            name: sanitize::line(raw.name.as_deref().unwrap_or(&id)),
            id: Id::from(id),
            store: Id::from(store),
            buyer: Id::from(buyer),
            account: Id::new(&account),
            status,
            items,
            version: 0,
            touched_by_custom_code: false,
            guest_email: None,
            total_charge: crate::engine::Money::ZERO,
            total_tax: crate::engine::Money::ZERO,
            custom_code_armed: false,
            last_custom_save: None,
        });
        Ok(())
    }

    fn operation(&mut self, path: &str, raw: &RawOperation) -> Result<(), LoadError> {
        let id = self.claim(&member(path, "id"), &raw.id)?;
        let status = OperationStatus::parse(&raw.status).ok_or_else(|| {
            self.err(
                &member(path, "status"),
                format!(
                    "{:?} is not a BackgroundOperation.Status here; expected one of: {}",
                    sanitize::line(&raw.status),
                    list(OperationStatus::ALL.iter().map(|s| s.as_str()))
                ),
            )
        })?;
        let ticks_left = raw
            .ticks_left
            .unwrap_or(if status.in_progress() { 1 } else { 0 });
        validate::ticks(ticks_left).map_err(|why| self.err(&member(path, "ticks_left"), why))?;
        self.world.add_operation(BackgroundOperation {
            id: Id::from(id),
            name: sanitize::line(&raw.name),
            status,
            // The file describes the world at tick 0.
            work: BackgroundOperation::work_for(
                status,
                if status.in_progress() { ticks_left } else { 0 },
                0,
            ),
            ticks_total: ticks_left.max(1),
            error: None,
            submitted_at: 0,
            started_at: (!status.queued()).then_some(0),
            finished_at: (!status.in_progress()).then_some(0),
            pending_fault: None,
            launched_for: None,
            ended_at: (!status.in_progress()).then_some(0),
            expires_at: None,
            calculators: Vec::new(),
        });
        Ok(())
    }

    fn session(&mut self, path: &str, raw: &RawSession) -> Result<(), LoadError> {
        let id = self.claim(&member(path, "id"), &raw.id)?;
        let cart = self.cart_ref(&member(path, "cart"), &raw.cart)?;
        if !raw.is_archived
            && let Some(other) = self.world.active_session(&cart)
        {
            return Err(self.err(
                &member(path, "is_archived"),
                format!(
                    "{cart} already has the non-archived session {}; expected at most one active session per cart",
                    other.id
                ),
            ));
        }
        let started_at = match raw.started_at {
            Some(t) => {
                super::validate::started_at(t)
                    .map_err(|why| self.err(&member(path, "started_at"), why))?;
                t
            }
            None => 0,
        };
        let text = |s: &str| sanitize::line(s);
        // An lwr checkout's State is not documented: null (left out). A session whose
        // State a ticket's export did not give is null too.
        let state = match raw.state.as_deref() {
            Some(s) if !s.trim().is_empty() => text(s),
            _ => String::new(),
        };
        self.world.add_session(CartCheckoutSession {
            id: Id::from(id),
            cart: Id::from(cart),
            state,
            next_state: raw.next_state.as_deref().map(text),
            is_processing: raw.is_processing,
            is_error: raw.is_error,
            is_archived: raw.is_archived,
            // May name an operation that does not exist: that stages requirement 6.
            background_operation_id: raw
                .background_operation_id
                .as_deref()
                .map(text)
                .map(Id::from),
            order_id: None,
            started_at,
            rest: Default::default(),
        });
        Ok(())
    }

    /// A shipping address: an object with `street`, `city`, `postal_code` and
    /// `country` (each optional text, at least one), or a string read as the street.
    fn address(&self, path: &str, value: &serde_json::Value) -> Result<Address, LoadError> {
        const KEYS: &[&str] = &["street", "city", "postal_code", "country"];
        let part = |key: &str, v: &serde_json::Value| -> Result<Option<String>, LoadError> {
            let at = if key.is_empty() {
                path.to_string()
            } else {
                member(path, key)
            };
            use serde_json::Value;
            match v {
                Value::String(t) if t.trim().is_empty() => Err(self.err(
                    &at,
                    "expected some text (leave the part out instead)".to_string(),
                )),
                Value::String(t) if t.chars().count() > 255 => Err(self.err(
                    &at,
                    "expected at most 255 characters (a CartDeliveryGroup DeliverTo field)"
                        .to_string(),
                )),
                Value::String(t) => Ok(Some(sanitize::line(t))),
                Value::Null => Ok(None),
                _ => Err(self.err(&at, "expected a string or null".to_string())),
            }
        };
        use serde_json::Value;
        match value {
            Value::String(_) => Ok(Address {
                street: part("", value)?,
                ..Address::default()
            }),
            Value::Object(map) => {
                if let Some(key) = map.keys().find(|k| !KEYS.contains(&k.as_str())) {
                    return Err(self.err(
                        &member(path, key),
                        format!(
                            "{:?} is not part of an address; expected: {}",
                            sanitize::line(key),
                            KEYS.join(", ")
                        ),
                    ));
                }
                let get = |key: &str| match map.get(key) {
                    Some(v) => part(key, v),
                    None => Ok(None),
                };
                let address = Address {
                    street: get("street")?,
                    city: get("city")?,
                    postal_code: get("postal_code")?,
                    country: get("country")?,
                };
                if address == Address::default() {
                    return Err(self.err(
                        path,
                        format!("an empty address; expected at least one of: {}", KEYS.join(", ")),
                    ));
                }
                Ok(address)
            }
            _ => Err(self.err(
                path,
                "expected an address object (street, city, postal_code, country) or a string, read as the street"
                    .to_string(),
            )),
        }
    }

    fn validation_output(
        &mut self,
        path: &str,
        raw: &RawValidationOutput,
    ) -> Result<(), LoadError> {
        let id = self.claim(&member(path, "id"), &raw.id)?;
        let cart = self.cart_ref(&member(path, "cart"), &raw.cart)?;
        let level = self.level(&member(path, "level"), &raw.level)?;
        let kind = self.row_type(&member(path, "type"), &raw.kind)?;
        let message = sanitize::line(&raw.message);
        validate::message(&message).map_err(|why| self.err(&member(path, "message"), why))?;
        let text = |s: &str| sanitize::line(s);
        self.world.add_validation_output(CartValidationOutput {
            id: Id::from(id),
            cart: Id::from(cart),
            operation: raw.operation.as_deref().map(text).map(Id::from),
            level,
            kind,
            message,
            related: raw.related.as_deref().map(text),
            is_dismissed: raw.is_dismissed,
        });
        Ok(())
    }

    fn level(&self, path: &str, text: &str) -> Result<ValidationLevel, LoadError> {
        ValidationLevel::parse(text).ok_or_else(|| {
            self.err(
                path,
                format!(
                    "{:?} is not a CartValidationOutput.Level; expected one of: {}",
                    sanitize::line(text),
                    ValidationLevel::NAMES.join(", ")
                ),
            )
        })
    }

    fn row_type(&self, path: &str, text: &str) -> Result<ValidationType, LoadError> {
        ValidationType::parse(text).ok_or_else(|| {
            self.err(
                path,
                format!(
                    "{:?} is not a CartValidationOutput.Type; expected one of: {}",
                    sanitize::line(text),
                    ValidationType::NAMES.join(", ")
                ),
            )
        })
    }

    fn step(&self, path: &str, raw: &RawStep) -> Result<Step, LoadError> {
        let kind = StepKind::parse(&raw.kind)
            .map(StepKind::row)
            .ok_or_else(|| {
                self.err(
                    &member(path, "do"),
                    format!(
                        "{:?} is not a step kind; expected one of: {}{}",
                        sanitize::line(&raw.kind),
                        list(STEP_KINDS.iter().map(|k| k.name)),
                        super::suggest(&raw.kind, STEP_KINDS.iter().map(|k| k.name))
                            .map(|k| format!("; did you mean {k}?"))
                            .unwrap_or_default()
                    ),
                )
            })?;
        let present = raw.kind_keys();
        let takes = if kind.keys.is_empty() {
            "no other keys".to_string()
        } else {
            kind.keys.join(", ")
        };
        for (key, here) in present {
            if here && !kind.keys.contains(&key) {
                return Err(self.cx.at(
                    &member(path, key),
                    None,
                    format!(
                        "`{}` steps do not use `{key}`; expected: {takes}",
                        kind.name
                    ),
                ));
            }
        }
        for (key, here) in present {
            if !here && kind.keys.contains(&key) && !kind.optional.contains(&key) {
                return Err(self.cx.at(
                    path,
                    None,
                    format!("`{}` steps need `{key}`; expected: {takes}", kind.name),
                ));
            }
        }
        let cart = || {
            self.cart_ref(
                &member(path, "cart"),
                raw.cart.as_deref().unwrap_or_default(),
            )
        };
        let actor = match &raw.actor {
            Some(a) => Some(self.buyer_ref(&member(path, "as"), a)?),
            None => None,
        };
        let buyer = || {
            self.buyer_ref(
                &member(path, "buyer"),
                raw.buyer.as_deref().unwrap_or_default(),
            )
        };
        let account = || {
            self.account_ref(
                &member(path, "account"),
                raw.account.as_deref().unwrap_or_default(),
            )
        };
        let store = || {
            self.store_ref(
                &member(path, "store"),
                raw.store.as_deref().unwrap_or_default(),
            )
        };
        let permission = || {
            self.permission(
                &member(path, "permission"),
                raw.permission.as_deref().unwrap_or_default(),
            )
        };
        let action = match kind.kind {
            StepKind::StartCheckout => Action::StartCheckout {
                cart: cart()?,
                actor,
            },
            StepKind::AddToCart => Action::AddToCart {
                cart: cart()?,
                sku: self.sku_ref(&member(path, "sku"), raw.sku.as_deref().unwrap_or_default())?,
                quantity: quantity(raw.quantity.as_ref()),
                actor,
            },
            StepKind::Cancel => Action::Cancel {
                cart: cart()?,
                actor,
            },
            StepKind::Continue => Action::Continue {
                cart: cart()?,
                actor,
            },
            StepKind::Wait => {
                let ticks = raw.ticks.unwrap_or(1);
                if ticks > MAX_TICKS {
                    return Err(self.err(
                        &member(path, "ticks"),
                        format!("expected at most {MAX_TICKS} ticks"),
                    ));
                }
                Action::Wait { ticks }
            }
            StepKind::Settle => Action::Settle,
            StepKind::FailOperation => {
                let cart = cart()?;
                let message = raw
                    .message
                    .as_deref()
                    .map(sanitize::line)
                    .unwrap_or_else(|| "the scenario made this operation fail".to_string());
                if raw.row_type.is_none() && raw.level.is_none() {
                    Action::FailOperation { cart, message }
                } else {
                    let level = match &raw.level {
                        Some(l) => self.level(&member(path, "level"), l)?,
                        None => ValidationLevel::Error,
                    };
                    let kind = match &raw.row_type {
                        Some(t) => Some(self.row_type(&member(path, "type"), t)?),
                        None => None,
                    };
                    Action::IntegrationFault {
                        cart,
                        message,
                        level,
                        kind,
                    }
                }
            }
            StepKind::CustomUpdate => {
                let cart = cart()?;
                let during_next_call = match raw.during.as_deref() {
                    None => false,
                    Some("next_call") => true,
                    Some(other) => {
                        return Err(self.err(
                            &member(path, "during"),
                            format!(
                                "{:?} is not a `during` value; expected \"next_call\" (custom code runs inside the cart's next PUT, PATCH or DELETE), or leave it out to save now",
                                sanitize::line(other)
                            ),
                        ));
                    }
                };
                Action::CustomUpdate {
                    cart,
                    during_next_call,
                }
            }
            StepKind::Grant => Action::Grant {
                buyer: buyer()?,
                permission: permission()?,
            },
            StepKind::Revoke => Action::Revoke {
                buyer: buyer()?,
                permission: permission()?,
            },
            StepKind::SwitchAccount => Action::SwitchAccount {
                buyer: buyer()?,
                account: account()?,
            },
            StepKind::JoinStore => Action::JoinStore {
                account: account()?,
                store: store()?,
            },
            StepKind::LeaveStore => Action::LeaveStore {
                account: account()?,
                store: store()?,
            },
            StepKind::SetSetting => {
                let store = store()?;
                let (key, value) = self.setting_change(path, raw)?;
                Action::SetSetting { store, key, value }
            }
            StepKind::CheckoutStart => Action::CheckoutStart {
                cart: cart()?,
                actor,
            },
            StepKind::CheckoutPoll => Action::CheckoutPoll {
                cart: cart()?,
                actor,
            },
            StepKind::CheckoutUpdate => {
                let cart = cart()?;
                let text =
                    |key: &str, value: &Option<String>| -> Result<Option<String>, LoadError> {
                        match value.as_deref().map(sanitize::line) {
                            Some(v) if v.trim().is_empty() => Err(self.err(
                                &member(path, key),
                                format!("`{key}` is empty; expected some text"),
                            )),
                            other => Ok(other),
                        }
                    };
                let shipping_address = match &raw.shipping_address {
                    Some(v) => Some(self.address(&member(path, "shipping_address"), v)?),
                    None => None,
                };
                let delivery_method = text("delivery_method", &raw.delivery_method)?;
                let contact = text("contact", &raw.contact)?;
                if shipping_address.is_none() && delivery_method.is_none() && contact.is_none() {
                    let keys: Vec<String> = kind.one_of.iter().map(|k| format!("`{k}`")).collect();
                    return Err(self.cx.at(
                        path,
                        None,
                        format!(
                            "`{}` steps (PATCH) change something; expected at least one of {}",
                            kind.name,
                            keys.join(", ")
                        ),
                    ));
                }
                Action::CheckoutUpdate {
                    cart,
                    patch: crate::engine::rest::CheckoutPatch {
                        shipping_address,
                        delivery_method,
                        contact,
                    },
                    actor,
                }
            }
            StepKind::CheckoutDelete => Action::CheckoutDelete {
                cart: cart()?,
                actor,
            },
            StepKind::Pay => {
                let cart = cart()?;
                let text = raw.outcome.as_deref().unwrap_or_default();
                let outcome = PaymentOutcome::parse(text).ok_or_else(|| {
                    self.err(
                        &member(path, "outcome"),
                        format!(
                            "{:?} is not a payment outcome; expected \"authorized\" or \"declined\"",
                            sanitize::line(text)
                        ),
                    )
                })?;
                Action::Pay {
                    cart,
                    outcome,
                    actor,
                }
            }
            StepKind::PlaceOrder => {
                let cart = cart()?;
                let step = match raw.action.as_deref() {
                    None => None,
                    Some(text) => Some(PlaceOrderStep::parse(text).ok_or_else(|| {
                        self.err(
                            &member(path, "action"),
                            format!(
                                "{:?} is not a Place Order V2 action; expected \"prepare\" or \"submit\" (or leave it out for POST .../orders)",
                                sanitize::line(text)
                            ),
                        )
                    })?),
                };
                Action::PlaceOrder { cart, step, actor }
            }
        };
        self.template_fits(path, kind.name, &action)?;
        let expect = match &raw.expect {
            Some(e) => Some(self.expect(&member(path, "expect"), e)?),
            None => None,
        };
        let quiz = match &raw.quiz {
            Some(q) => Some(self.quiz(&member(path, "quiz"), q)?),
            None => None,
        };
        Ok(
            Step::new(kind.name, action, self.cx.positions.nearest(path)).with(
                raw.note.as_deref().map(sanitize::paragraph),
                raw.marker.as_deref().map(sanitize::line),
                expect,
                quiz,
            ),
        )
    }

    /// A REST step needs a cart of an `lwr` store, and a flow-only step a cart of an
    /// `aura` store: otherwise the file is refused here, never at run time.
    fn template_fits(&self, path: &str, kind: &str, action: &Action) -> Result<(), LoadError> {
        let Some(cart) = action.cart() else {
            return Ok(());
        };
        let Some(store) = self.world.store_of_cart(cart) else {
            return Ok(());
        };
        let template = store.settings.template;
        let stores = action.kind().row().stores;
        let message = if stores.accepts(template) {
            return Ok(());
        } else if stores == Stores::Lwr {
            format!(
                "`{kind}` is a call of the REST checkout API, which only lwr stores make; {cart} is in store {}, whose template is {template}; expected a cart of a store with \"template\": \"lwr\" (an aura store checks out with {})",
                store.id,
                and_list(StepKind::names_only_in(Stores::Aura))
            )
        } else {
            format!(
                "`{kind}` is a checkout flow action, and {cart} is in store {}, an lwr store, which runs no checkout flow; expected the REST steps ({}) or a cart of an aura store",
                store.id,
                StepKind::names_only_in(Stores::Lwr)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        Err(self.cx.at(&member(path, "do"), None, message))
    }

    fn expect(&self, path: &str, raw: &RawExpect) -> Result<Expect, LoadError> {
        let result = match raw.result.as_deref() {
            None => None,
            Some("ok") => Some(ExpectedResult::Ok),
            Some("error") => Some(ExpectedResult::AnyError),
            Some(code) => {
                if !ErrorKind::ALL.iter().any(|k| k.spec().code == code) {
                    let mut codes: Vec<&str> =
                        ErrorKind::ALL.iter().map(|k| k.spec().code).collect();
                    codes.sort();
                    codes.dedup();
                    return Err(self.err(
                        &member(path, "result"),
                        format!(
                            "{:?} is not a result; expected \"ok\", \"error\" or an error code: {}",
                            sanitize::line(code),
                            codes.join(", ")
                        ),
                    ));
                }
                Some(ExpectedResult::Code {
                    code: code.to_string(),
                    http: raw.http,
                })
            }
        };
        if let Some(http) = raw.http
            && !(100..=599).contains(&http)
        {
            return Err(self.err(
                &member(path, "http"),
                "expected an HTTP status from 100 to 599".to_string(),
            ));
        }
        let mut state = Vec::new();
        let state_path = member(path, "state");
        for (key, value) in raw.state.iter().flatten() {
            let here = member(&state_path, key);
            let Some((record, field)) = key.rsplit_once('.') else {
                return Err(self.cx.at(
                    &here,
                    None,
                    format!("{:?} is not a field path; expected \"<record id>.<Field>\", for example \"cart-1.Status\"", sanitize::line(key)),
                ));
            };
            if let Some(moved) = ["WebCart", "CartCheckoutSession"]
                .into_iter()
                .find_map(|object| removed_field(object, field))
            {
                return Err(self.cx.at(
                    &here,
                    None,
                    format!("{} is no longer a field here: {moved}", sanitize::line(key)),
                ));
            }
            let known = CART_FIELDS
                .iter()
                .chain(SESSION_FIELDS)
                .chain(OPERATION_FIELDS)
                .chain(VALIDATION_FIELDS)
                .chain(DeliveryGroupField::NAMES)
                .chain(PaymentField::NAMES)
                .any(|f| *f == field);
            if !known {
                return Err(self.cx.at(
                    &here,
                    None,
                    format!(
                        "{} is not a field the simulator keeps; expected a WebCart field ({}), a CartCheckoutSession field ({}), a BackgroundOperation field ({}), a CartValidationOutput field ({}), a CartDeliveryGroup field ({}) or a PaymentAuthorization field ({}); names with ~ are simulator-only",
                        sanitize::line(field),
                        CART_FIELDS.join(", "),
                        SESSION_FIELDS.join(", "),
                        OPERATION_FIELDS.join(", "),
                        VALIDATION_FIELDS.join(", "),
                        DeliveryGroupField::NAMES.join(", "),
                        PaymentField::NAMES.join(", ")
                    ),
                ));
            }
            if value.is_array() || value.is_object() {
                return Err(self.err(
                    &here,
                    "expected a string, a number, true, false or null".to_string(),
                ));
            }
            state.push(ExpectedField {
                record: record.to_string(),
                field: field.to_string(),
                value: value.clone(),
                position: self.cx.positions.nearest(&here),
            });
        }
        Ok(Expect {
            result,
            http: raw.http,
            state,
            body: raw.body.clone(),
        })
    }

    fn quiz(&self, path: &str, raw: &RawQuiz) -> Result<Quiz, LoadError> {
        if raw.choices.len() < 2 || raw.choices.len() > 9 {
            return Err(self.err(
                &member(path, "choices"),
                "expected from 2 to 9 choices".to_string(),
            ));
        }
        if raw.answer == 0 || raw.answer > raw.choices.len() {
            return Err(self.err(
                &member(path, "answer"),
                format!(
                    "expected the number of the right choice, from 1 to {}",
                    raw.choices.len()
                ),
            ));
        }
        Ok(Quiz {
            question: sanitize::paragraph(&raw.question),
            choices: raw.choices.iter().map(|c| sanitize::line(c)).collect(),
            answer: raw.answer - 1,
            explanation: raw.explanation.as_deref().map(sanitize::paragraph),
        })
    }
}

/// Every step kind (both editions): the engine's catalogue, which the loader reads.
pub use crate::engine::kinds::STEP_KINDS;

/// Names joined as a sentence reads them: `a`, `a and b`, `a, b and c`.
fn and_list<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<&str> = names.collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => last.to_string(),
        None => String::new(),
    }
}

/// A quantity as written: whole numbers are kept, anything else is kept as text so the
/// engine can refuse it with the value quoted.
fn quantity(n: Option<&serde_json::Number>) -> Quantity {
    let Some(n) = n else {
        return Quantity::Other("(none)".to_string());
    };
    if let Some(i) = n.as_i64() {
        return Quantity::Whole(i);
    }
    match n.as_f64() {
        Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Quantity::Whole(f as i64),
        _ => Quantity::Other(n.to_string()),
    }
}

/// Plays the scenario once to prove every expectation names a record and field that
/// exist at its step: a wrong path is an error in the file, not a failed expectation.
fn dry_run(scenario: &Scenario) -> Result<(), LoadError> {
    let mut world = scenario.world.clone();
    for (i, step) in scenario.steps.iter().enumerate() {
        progress::report_every(1024, PLAYING, i, scenario.steps.len())
            .map_err(|_| stopped(&scenario.file))?;
        // Only the world is read: the same world without the log of changes.
        world.apply_quiet(&step.action);
        check_step(&scenario.file, i, step, &world)?;
    }
    Ok(())
}

/// The first expectation of step `i` (just applied to `world`) that names a record or
/// field the world does not have, as a load error.
fn check_step(file: &str, i: usize, step: &Step, world: &World) -> Result<(), LoadError> {
    for field in step.expect().into_iter().flat_map(|e| &e.state) {
        if let FieldCheck::Invalid(message) = expect::resolve(world, field) {
            return Err(LoadError {
                file: file.to_string(),
                position: Some(field.position),
                path: Some(member(
                    &member(&element("steps", i), "expect.state"),
                    &format!("{}.{}", field.record, field.field),
                )),
                message: sanitize::line(&message),
            });
        }
    }
    Ok(())
}
