//! The simulator's own control API under `/cartsim/`: what no Salesforce client can ask
//! for (time passing, an integration failing, custom code saving the cart), for tests
//! and demos. Each changing call is a scenario step read through the loader, so it takes
//! the same keys as in a file and is recorded like one.
//!
//! | call | body | step |
//! |---|---|---|
//! | `GET /cartsim/state` | | (reads only) |
//! | `POST /cartsim/advance` | `{"ticks": N}` (1 when left out) | `wait` |
//! | `POST /cartsim/settle` | | `settle` |
//! | `POST /cartsim/fail` | `{"cart", "message", "type", "level"}` | `fail_operation` |
//! | `POST /cartsim/custom-update` | `{"cart", "during"}` | `custom_update` |
//! | `POST /cartsim/step` | any scenario step (`{"do": ...}`) | that step |
//! | `POST /cartsim/reset` | | (back to the start) |

use super::session::Refusal;
use super::{App, answer, body_bytes, connect};
use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Instant;

/// The control routes.
pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/cartsim/state", get(state))
        .route("/cartsim/advance", post(advance))
        .route("/cartsim/settle", post(settle))
        .route("/cartsim/fail", post(fail))
        .route("/cartsim/custom-update", post(custom_update))
        .route("/cartsim/step", post(step))
        .route("/cartsim/reset", post(reset))
}

async fn state(State(app): State<Arc<App>>) -> Response {
    let mut session = app.lock();
    session.catch_up(Instant::now());
    answer(Ok(connect::Answer {
        status: 200,
        body: Some(session.state_json()),
    }))
}

/// Reads the body as a JSON object (an empty body is `{}`), sets `do`, and plays it.
async fn run_step(app: Arc<App>, kind: &str, body: Body) -> Response {
    answer(
        async {
            let bytes = body_bytes(body).await?;
            let mut value = match connect::json_body(&bytes)? {
                Value::Null => json!({}),
                v @ Value::Object(_) => v,
                _ => {
                    return Err(Refusal::new(400, "INVALID_INPUT", "expected a JSON object"));
                }
            };
            if let Some(object) = value.as_object_mut()
                && !kind.is_empty()
            {
                object.insert("do".to_string(), json!(kind));
            }
            let mut session = app.lock();
            session.catch_up(Instant::now());
            let (kind, action) = session.parse_step(&value)?;
            let outcome = session.apply(kind, &action);
            let tick = session.world().tick;
            let changes = outcome.changes.len();
            Ok(match &outcome.result {
                Ok(()) => connect::Answer {
                    status: 200,
                    body: Some(json!({
                        "result": "ok",
                        "step": kind,
                        "tick": tick,
                        "changes": changes,
                    })),
                },
                Err(e) => connect::Answer {
                    status: 422,
                    body: Some(json!({
                        "result": e.code(),
                        "step": kind,
                        "tick": tick,
                        "errorCode": e.code(),
                        "message": e.message,
                    })),
                },
            })
        }
        .await,
    )
}

async fn advance(State(app): State<Arc<App>>, body: Body) -> Response {
    run_step(app, "wait", body).await
}

async fn settle(State(app): State<Arc<App>>, body: Body) -> Response {
    run_step(app, "settle", body).await
}

async fn fail(State(app): State<Arc<App>>, body: Body) -> Response {
    run_step(app, "fail_operation", body).await
}

async fn custom_update(State(app): State<Arc<App>>, body: Body) -> Response {
    run_step(app, "custom_update", body).await
}

async fn step(State(app): State<Arc<App>>, body: Body) -> Response {
    run_step(app, "", body).await
}

async fn reset(State(app): State<Arc<App>>) -> Response {
    let mut session = app.lock();
    session.reset(Instant::now());
    answer(Ok(connect::Answer {
        status: 200,
        body: Some(json!({ "result": "ok", "tick": session.world().tick })),
    }))
}
