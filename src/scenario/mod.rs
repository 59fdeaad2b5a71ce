//! Scenario files: the format, loading with precise errors, and expectations.
//!
//! A [`Scenario`] is a starting [`World`] and a list of [`Step`]s, each an engine
//! [`Action`] with its narration and what must hold afterwards.

pub mod builtin;
pub mod expect;
pub mod format;
pub mod generate;
pub mod load;
pub mod position;
/// The sanitizing policy, which lives below every layer ([`crate::text`]); kept under
/// this name for the scenario layer's callers.
pub use crate::text as sanitize;
pub mod save;
pub mod schema;
pub mod validate;

use crate::engine::{Action, World};
pub use load::{LoadError, load_bytes, load_file, load_file_with_raw, load_with_raw};
pub use position::Position;

/// A loaded, validated scenario.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// The edition of the format the file is written in.
    pub edition: crate::engine::Edition,
    /// The file it came from, as given (or the built-in name).
    pub file: String,
    /// Title (sanitized).
    pub title: String,
    /// Summary paragraph (sanitized).
    pub summary: Option<String>,
    /// Tags (sanitized).
    pub tags: Vec<String>,
    /// The world before the first step.
    pub world: World,
    /// The steps, in order.
    pub steps: Vec<Step>,
}

/// One scripted step.
#[derive(Debug, Clone)]
pub struct Step {
    /// The `do` keyword (`start_checkout`, `cancel`, ...).
    pub kind: &'static str,
    /// What happens.
    pub action: Action,
    /// Where the step starts in its file.
    pub position: Position,
    /// What few steps carry besides their action, apart so that a step without any (a
    /// long file's usual step) stays small: a file may hold a million steps.
    extras: Option<Box<Extras>>,
}

/// The parts of a [`Step`] most steps leave out.
#[derive(Debug, Clone, Default)]
struct Extras {
    note: Option<String>,
    marker: Option<String>,
    expect: Option<Expect>,
    quiz: Option<Quiz>,
}

impl Step {
    /// A step with its action and none of the rest (no note, marker, expectation or
    /// quiz).
    pub fn new(kind: &'static str, action: Action, position: Position) -> Step {
        Step {
            kind,
            action,
            position,
            extras: None,
        }
    }

    /// The same step with its narration, chapter name, expectation and quiz. `note`
    /// and `marker` are shown as they are: sanitize them first.
    pub fn with(
        mut self,
        note: Option<String>,
        marker: Option<String>,
        expect: Option<Expect>,
        quiz: Option<Quiz>,
    ) -> Step {
        let extras = Extras {
            note,
            marker,
            expect,
            quiz,
        };
        let none = extras.note.is_none()
            && extras.marker.is_none()
            && extras.expect.is_none()
            && extras.quiz.is_none();
        self.extras = (!none).then(|| Box::new(extras));
        self
    }

    /// Narration shown when the step plays (sanitized).
    pub fn note(&self) -> Option<&str> {
        self.extras.as_ref()?.note.as_deref()
    }

    /// Chapter name starting at this step (sanitized).
    pub fn marker(&self) -> Option<&str> {
        self.extras.as_ref()?.marker.as_deref()
    }

    /// What must hold right after the step.
    pub fn expect(&self) -> Option<&Expect> {
        self.extras.as_ref()?.expect.as_ref()
    }

    /// A question put to the trainee before the step plays.
    pub fn quiz(&self) -> Option<&Quiz> {
        self.extras.as_ref()?.quiz.as_ref()
    }
}

/// What must hold after a step.
#[derive(Debug, Clone, Default)]
pub struct Expect {
    /// The expected result, if given.
    pub result: Option<ExpectedResult>,
    /// The expected HTTP status (`expect.http`), with any result: a REST call's 200,
    /// 201, 202 or 204 beside `"ok"`, or a refusal's.
    pub http: Option<u16>,
    /// Expected field values, in file order.
    pub state: Vec<ExpectedField>,
    /// The REST call's response body, matched as a subset (`expect.body`).
    pub body: Option<serde_json::Value>,
}

/// The expected result of a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExpectedResult {
    /// `"ok"`.
    Ok,
    /// `"error"`: any error.
    AnyError,
    /// An error code, optionally with its HTTP status.
    Code {
        /// The code.
        code: String,
        /// The HTTP status.
        http: Option<u16>,
    },
}

/// One `"<record>.<Field>": value` expectation.
#[derive(Debug, Clone)]
pub struct ExpectedField {
    /// The record id.
    pub record: String,
    /// The Salesforce field name.
    pub field: String,
    /// The expected value (string, number, boolean or null).
    pub value: serde_json::Value,
    /// Where it is written.
    pub position: Position,
}

/// A multiple-choice question (exercise mode).
#[derive(Debug, Clone)]
pub struct Quiz {
    /// The question.
    pub question: String,
    /// The choices, in order.
    pub choices: Vec<String>,
    /// The index (from 0) of the right choice.
    pub answer: usize,
    /// Shown after the trainee answers.
    pub explanation: Option<String>,
}

/// The candidate closest to a misspelt `word`, when one is close enough to be what was
/// meant ("did you mean"): Jaro-Winkler similarity (strsim) of at least 0.8.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// The number a scenario file starts with (`48-aura-vs-lwr.json` is 48): the picker
/// shows it, and `cartsim run 48` finds the file by it.
pub fn file_number(file: &str) -> Option<u32> {
    let name = std::path::Path::new(file).file_name()?.to_str()?;
    let digits: String = name.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

impl Scenario {
    /// The chapters: (step index, marker name).
    pub fn chapters(&self) -> Vec<(usize, &str)> {
        self.steps
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.marker().map(|m| (i, m)))
            .collect()
    }
}
