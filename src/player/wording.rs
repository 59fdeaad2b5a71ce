//! The wording of changes and refusals: one home shared by the transcripts, the
//! handout, the event log and the refusal popup, so a trainee reads the same words
//! everywhere.

use crate::engine::rest::reason_phrase;
use crate::engine::{ActionError, Change, Outcome};

/// A REST call as a developer reads it in the browser's network tab or a HAR file:
/// `PUT /commerce/webstores/west/checkouts -> 202 Accepted`. `None` for actions that
/// are not REST calls.
pub fn call_line(outcome: &Outcome) -> Option<String> {
    let request = outcome.request.as_deref()?;
    Some(match outcome.http {
        Some(status) => format!("{request} -> {status} {}", reason_phrase(status))
            .trim_end()
            .to_string(),
        None => format!("{request} -> no response"),
    })
}

/// A REST call's response body as the network tab shows it, on one line (the Checkout
/// output, the order reference or the platform's error list). `None` for a 204 and for
/// actions that are not REST calls. Text from a file inside it is sanitized.
pub fn body_line(outcome: &Outcome) -> Option<String> {
    let body = outcome.body.as_ref()?;
    Some(crate::scenario::sanitize::line(&body.to_string()))
}

/// How a change is written in a transcript or the log:
/// `cart-1.Status: Checkout -> Active  (Cancel Cart Async Operation unlocks the cart) [documented]`.
pub fn change_line(change: &Change) -> String {
    format!(
        "{}  ({}) [{}]",
        change.headline(),
        change.rule.text(),
        change.rule.source().tag()
    )
}

/// Every part of a refusal, worded once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorWording {
    /// `INVALID_OPERATION 403: cart-1 is Closed: ...`.
    pub head: String,
    /// `HTTP 403`, or that the action is not an API call.
    pub http: String,
    /// The requirement the action checks, as a trainee reads it.
    pub requirement: String,
    /// `[documented: ...]`, `[borrowed from ...]` or `[choice: ...]`.
    pub origin_tag: String,
    /// The origin in a sentence, for the popup.
    pub origin: String,
    /// The store setting whose reading makes this a refusal, if any.
    pub reading: Option<String>,
    /// What the buyer or admin sees on the storefront, with its source, if known.
    pub buyer_sees: Option<String>,
}

/// The wording of a refusal.
pub fn error_wording(error: &ActionError) -> ErrorWording {
    let spec = error.kind.spec();
    let head = match spec.http {
        Some(http) => format!("{} {http}: {}", spec.code, error.message),
        None => format!("{}: {}", spec.code, error.message),
    };
    let origin_tag = spec.origin.bracketed();
    let origin = spec.origin.explained();
    ErrorWording {
        head,
        http: spec
            .http
            .map_or("no HTTP status (not an API call)".to_string(), |h| {
                format!("HTTP {h}")
            }),
        requirement: spec.requirement.to_string(),
        origin_tag,
        origin,
        reading: spec.reading.map(|r| format!("store setting {r}")),
        buyer_sees: error
            .buyer_message()
            // The source may hold parentheses of its own: a dash keeps them single.
            .map(|m| format!("\"{}\" — {}", m.text, m.source)),
    }
}

/// A refusal in transcript lines: the head, then the requirement that failed with the
/// code's origin, then the reading and what the buyer sees where known.
pub fn error_lines(error: &ActionError) -> Vec<String> {
    let w = error_wording(error);
    let mut lines = vec![w.head, format!("failed {} {}", w.requirement, w.origin_tag)];
    if let Some(reading) = w.reading {
        lines.push(format!("only in the reading: {reading}"));
    }
    if let Some(buyer) = w.buyer_sees {
        lines.push(format!("the buyer sees: {buyer}"));
    }
    lines
}
