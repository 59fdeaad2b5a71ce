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
            None => "Your branch: none yet (act on an LWR cart: s PUT, c GET, u PATCH, $ pay, O place order, d DELETE)".to_string(),
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

/// The request body the call sent (PATCH, pay, Place Order V2), as one line of JSON.
fn request(t: Theme, action: &crate::engine::Action) -> Option<Line<'static>> {
    let body = crate::engine::rest::request_body(action)?;
    let text = sanitize::line(&serde_json::to_string(&body).unwrap_or_default());
    Some(Line::styled(format!("→{text}"), t.dim()))
}

/// The response body, as one line of JSON under its call (none for a 204).
fn body(t: Theme, outcome: &Outcome) -> Option<Line<'static>> {
    let body = outcome.body.as_ref()?;
    let text = sanitize::line(&serde_json::to_string(body).unwrap_or_default());
    // No space after the arrow: the JSON is one long word, cut across lines from here.
    Some(Line::styled(format!("←{text}"), t.dim()))
}
