//! The network view (`N`, or Enter on the log): every REST call of the script, as the
//! file plays it, and of the user's branch, as a browser's network tab lists them:
//! method and path, the status answered, and the request and response bodies.

use super::theme::Theme;
use crate::engine::Outcome;
use crate::player::Origin;
use crate::player::playback::Playback;
use crate::scenario::sanitize;
use ratatui::text::{Line, Span};

/// The lines of the network view.
pub fn lines(t: Theme, p: &Playback) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let played = p.script_position();
    let script = crate::player::play_headless(p.scenario());
    let calls: Vec<_> = script
        .iter()
        .filter(|r| r.outcome.request.is_some())
        .collect();
    out.push(Line::styled(
        format!("The script: {} REST calls", calls.len()),
        t.title(),
    ));
    if calls.is_empty() {
        out.push(Line::styled(
            "  none: checkout in an Aura store runs as flow actions, not REST calls",
            t.dim(),
        ));
    }
    for r in calls {
        let mark = if r.index < played { "✔" } else { " " };
        out.push(call(
            t,
            format!("{mark} step {:<3} @{:<4}", r.index + 1, r.tick_before),
            &r.outcome,
        ));
        out.extend(request(t, &p.scenario().steps[r.index].action));
        out.extend(body(t, &r.outcome));
    }
    out.push(Line::raw(""));
    let branch: Vec<_> = p
        .played()
        .iter()
        .filter(|e| e.origin == Origin::Branch && e.outcome.request.is_some())
        .collect();
    out.push(Line::styled(
        match p.left_script_at() {
            Some(at) => format!(
                "Your branch (left the script at step {at}): {} REST calls",
                branch.len()
            ),
            None => format!(
                "Your branch: none yet (act on an LWR cart: {})",
                crate::tui::keys::lwr_call_keys()
            ),
        },
        t.title(),
    ));
    for e in branch {
        out.push(call(t, format!("⎇ @{:<4}", e.tick_before), &e.outcome));
        out.extend(request(t, &e.action));
        out.extend(body(t, &e.outcome));
    }
    out.push(Line::raw(""));
    out.push(Line::styled(
        "✔ played so far · ⎇ your own calls · → the request body · ← the response body · Esc closes",
        t.dim(),
    ));
    out
}

/// One call: `step 2 @0  PUT /commerce/webstores/west/checkouts  202 Accepted`.
fn call(t: Theme, head: String, outcome: &Outcome) -> Line<'static> {
    let request = sanitize::line(outcome.request.as_deref().unwrap_or_default());
    let status = match outcome.http {
        Some(code) => format!("{code} {}", crate::engine::rest::reason_phrase(code))
            .trim_end()
            .to_string(),
        None => "no response".to_string(),
    };
    let ok = outcome.result.is_ok();
    Line::from(vec![
        Span::styled(format!("  {head} "), t.dim()),
        Span::styled(request, t.text()),
        Span::raw("  "),
        Span::styled(status, if ok { t.ok() } else { t.error() }),
    ])
}

/// The request body the call sent (PATCH, pay, Place Order V2), under its call.
fn request(t: Theme, action: &crate::engine::Action) -> Vec<Line<'static>> {
    match crate::engine::rest::request_body(action) {
        Some(body) => json_lines(t, '→', &body),
        None => Vec::new(),
    }
}

/// The response body under its call (none for a 204).
fn body(t: Theme, outcome: &Outcome) -> Vec<Line<'static>> {
    match outcome.body.as_ref() {
        Some(body) => json_lines(t, '←', body),
        None => Vec::new(),
    }
}

/// How far a body is indented under its call.
const BODY: &str = "    ";
/// How far the view indents the continuation of a wrapped line: under the body's
/// first field.
pub const HANGING: usize = 6;

/// A JSON body as a network tab shows it, readable at 80 columns: one line per
/// top-level field (the first on the arrow's line), each value written with a space
/// after every `,` and `:` so that a long one wraps between items, never inside a word.
fn json_lines(t: Theme, arrow: char, value: &serde_json::Value) -> Vec<Line<'static>> {
    let style = t.dim();
    let serde_json::Value::Object(fields) = value else {
        return vec![Line::styled(
            format!("{BODY}{arrow}{}", sanitize::line(&spaced(value))),
            style,
        )];
    };
    if fields.is_empty() {
        return vec![Line::styled(format!("{BODY}{arrow}{{}}"), style)];
    }
    let last = fields.len() - 1;
    fields
        .iter()
        .enumerate()
        .map(|(i, (key, value))| {
            let lead = if i == 0 {
                format!("{BODY}{arrow}{{")
            } else {
                format!("{BODY}  ")
            };
            let end = if i == last { "}" } else { "," };
            let field = format!("{}: {}{end}", json_string(key), spaced(value));
            Line::styled(format!("{lead}{}", sanitize::line(&field)), style)
        })
        .collect()
}

/// A value as compact JSON with a space after each `,` and `:`.
fn spaced(value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::Object(fields) => format!(
            "{{{}}}",
            fields
                .iter()
                .map(|(k, v)| format!("{}: {}", json_string(k), spaced(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(spaced).collect::<Vec<_>>().join(", ")
        ),
        other => other.to_string(),
    }
}

fn json_string(text: &str) -> String {
    serde_json::Value::String(text.to_string()).to_string()
}
