//! `cartsim serve`: the checkout API on localhost. A front end like the command line and
//! the terminal UI: it turns HTTP requests into engine actions of the scenario format's
//! step kinds and answers with the status and body the engine gives, as `cartsim run`
//! reports them.
//!
//! The engine stays synchronous and pure. The server owns the clock ([`session::Time`])
//! and serializes access to the world: every request takes one lock on the
//! [`session::Session`], so two overlapping PATCHes apply one after the other (one 202,
//! one 409), as the platform's lock on the cart makes them.
//!
//! HTTP is axum on tokio; nothing here parses HTTP. The Salesforce paths live in
//! [`connect`], the simulator's own control API (`/cartsim/...`) in [`control`].

pub mod connect;
pub mod control;
pub mod session;

use crate::scenario::format::RawScenario;
use crate::scenario::{Scenario, sanitize};
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use connect::{Answer, Resource};
use serde_json::Value;
use session::{Refusal, Session, Time};
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

/// The port `cartsim serve` listens on unless told.
pub const DEFAULT_PORT: u16 = 8321;
/// The address it listens on unless told: loopback only.
pub const DEFAULT_BIND: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);
/// The largest request body accepted; a larger one answers 413.
pub const MAX_BODY: usize = 1024 * 1024;
/// The first API version whose checkout is created with PUT; before it, with POST.
pub const PUT_SINCE: u32 = 57;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// The address to listen on.
    pub bind: IpAddr,
    /// The port; 0 picks a free one.
    pub port: u16,
    /// Bearer tokens besides the default ones: (buyer, token).
    pub tokens: Vec<(String, String)>,
    /// How virtual time passes.
    pub time: Time,
    /// Where to write the session as a scenario file when the server stops.
    pub record: Option<PathBuf>,
    /// Overwrite the record file if it exists.
    pub force: bool,
    /// How many of the file's steps to play before serving.
    pub from: usize,
    /// One line per request on standard error.
    pub log: bool,
    /// A terminal UI watching the world (`--ui`): it gets every action applied, and
    /// with wall time the clock also ticks between requests so that it sees time pass.
    pub feed: Option<std::sync::mpsc::Sender<crate::tui::app::Live>>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            bind: DEFAULT_BIND,
            port: DEFAULT_PORT,
            tokens: Vec::new(),
            time: Time::Wall(std::time::Duration::from_millis(1000)),
            record: None,
            force: false,
            from: 0,
            log: true,
            feed: None,
        }
    }
}

/// What every handler shares: the session behind its lock, and who each token is.
pub struct App {
    session: Mutex<Session>,
    tokens: HashMap<String, String>,
    log: bool,
}

impl App {
    /// The session, locked. A handler that panicked while holding the lock left a world
    /// that every change kept whole (the engine checks before it changes), so the lock
    /// is taken back rather than refused.
    pub fn lock(&self) -> MutexGuard<'_, Session> {
        self.session.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Who may call: each buyer's `token` from the file (its id when the file gives none),
/// unless `--token` gives that buyer one.
pub fn token_map(
    world: &crate::engine::World,
    extra: &[(String, String)],
) -> Result<HashMap<String, String>, String> {
    let mut tokens = HashMap::new();
    for (buyer, token) in extra {
        if world.buyer(buyer).is_none() {
            return Err(format!(
                "--token {}=...: the file has no buyer {}",
                sanitize::line(buyer),
                sanitize::line(buyer)
            ));
        }
        if token.is_empty() || token.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(format!(
                "--token {}=...: a token is one word without spaces",
                sanitize::line(buyer)
            ));
        }
        tokens.insert(token.clone(), buyer.clone());
    }
    for b in world.buyers() {
        if !extra.iter().any(|(buyer, _)| buyer == &b.id) {
            let token = b.token.clone().unwrap_or_else(|| b.id.to_string());
            tokens.entry(token).or_insert_with(|| b.id.to_string());
        }
    }
    Ok(tokens)
}

/// Parses `--token buyer=TOKEN`.
pub fn parse_token(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((buyer, token)) if !buyer.is_empty() && !token.is_empty() => {
            Ok((buyer.to_string(), token.to_string()))
        }
        _ => Err("expected BUYER=TOKEN".to_string()),
    }
}

/// A JSON answer.
fn reply(status: u16, body: Option<Value>) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    match body {
        Some(body) => {
            let mut response = (status, body.to_string()).into_response();
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json;charset=UTF-8"),
            );
            response
        }
        None => status.into_response(),
    }
}

fn answer(result: Result<Answer, Refusal>) -> Response {
    let a = result.unwrap_or_else(Answer::from);
    reply(a.status, a.body)
}

/// The buyer a request's `Authorization: Bearer TOKEN` names, or 401 INVALID_SESSION_ID.
fn caller(app: &App, headers: &HeaderMap) -> Result<String, Refusal> {
    let invalid = |m: &str| Refusal::new(401, "INVALID_SESSION_ID", m);
    let value = headers
        .get(header::AUTHORIZATION)
        .ok_or_else(|| invalid("Session expired or invalid: no Authorization header"))?;
    let value = value
        .to_str()
        .map_err(|_| invalid("Session expired or invalid"))?;
    let token = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("OAuth "))
        .ok_or_else(|| {
            invalid("Session expired or invalid: expected Authorization: Bearer TOKEN")
        })?;
    app.tokens
        .get(token.trim())
        .cloned()
        .ok_or_else(|| invalid("Session expired or invalid"))
}

/// The request body, or 413 when it is over [`MAX_BODY`].
async fn body_bytes(body: Body) -> Result<Bytes, Refusal> {
    axum::body::to_bytes(body, MAX_BODY).await.map_err(|_| {
        Refusal::new(
            413,
            "REQUEST_ENTITY_TOO_LARGE",
            format!("the request body is over {MAX_BODY} bytes"),
        )
    })
}

/// The `effectiveAccountId` query parameter, if given.
fn effective_account_param(uri: &Uri) -> Option<String> {
    uri.query()?.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == "effectiveAccountId").then(|| v.to_string())
    })
}

/// What the Connect and invocable handlers do first: the API version, the caller, the
/// body, the lock, the clock, the effective account.
struct Prepared<'a> {
    session: MutexGuard<'a, Session>,
    buyer: String,
    body: Bytes,
    version: u32,
}

async fn prepare<'a>(
    app: &'a App,
    version: &str,
    headers: &HeaderMap,
    uri: &Uri,
    body: Body,
) -> Result<Prepared<'a>, Refusal> {
    let version = connect::api_version(version).ok_or_else(|| {
        Refusal::new(
            404,
            "NOT_FOUND",
            "The requested resource does not exist: expected /services/data/v{N}.0/...",
        )
    })?;
    let buyer = caller(app, headers)?;
    let body = body_bytes(body).await?;
    let mut session = app.lock();
    session.catch_up(Instant::now());
    connect::effective_account(
        &mut session,
        &buyer,
        effective_account_param(uri).as_deref(),
    )?;
    Ok(Prepared {
        session,
        buyer,
        body,
        version,
    })
}

type StoreParams = Path<(String, String)>;
type CheckoutParams = Path<(String, String, String)>;

async fn checkouts(
    State(app): State<Arc<App>>,
    method: Method,
    Path((version, store)): StoreParams,
    headers: HeaderMap,
    uri: Uri,
    body: Body,
) -> Response {
    answer(
        async {
            let mut p = prepare(&app, &version, &headers, &uri, body).await?;
            if method == Method::POST && p.version >= PUT_SINCE {
                return Err(Refusal::new(
                    405,
                    "METHOD_NOT_ALLOWED",
                    format!("HTTP Method 'POST' not allowed: since API {PUT_SINCE}.0 a checkout starts with PUT"),
                ));
            }
            connect::checkout_call(&mut p.session, Resource::Start, &store, None, &p.buyer, &p.body)
        }
        .await,
    )
}

async fn checkout(
    resource: Resource,
    app: Arc<App>,
    (version, store, id): (String, String, String),
    headers: HeaderMap,
    uri: Uri,
    body: Body,
) -> Response {
    answer(
        async {
            let mut p = prepare(&app, &version, &headers, &uri, body).await?;
            connect::checkout_call(
                &mut p.session,
                resource,
                &store,
                Some(&id),
                &p.buyer,
                &p.body,
            )
        }
        .await,
    )
}

macro_rules! checkout_handler {
    ($name:ident, $resource:expr) => {
        async fn $name(
            State(app): State<Arc<App>>,
            Path(params): CheckoutParams,
            headers: HeaderMap,
            uri: Uri,
            body: Body,
        ) -> Response {
            checkout($resource, app, params, headers, uri, body).await
        }
    };
}

checkout_handler!(poll, Resource::Poll);
checkout_handler!(update, Resource::Update);
checkout_handler!(delete, Resource::Delete);
checkout_handler!(pay, Resource::Pay);
checkout_handler!(order, Resource::Order);
checkout_handler!(order_actions, Resource::OrderActions);

async fn cart_items(
    State(app): State<Arc<App>>,
    method: Method,
    Path((version, store, cart)): CheckoutParams,
    headers: HeaderMap,
    uri: Uri,
    body: Body,
) -> Response {
    answer(
        async {
            let mut p = prepare(&app, &version, &headers, &uri, body).await?;
            let body = (method == Method::POST).then_some(&p.body[..]);
            connect::cart_items(&mut p.session, &store, &cart, &p.buyer, body)
        }
        .await,
    )
}

async fn invocable(
    State(app): State<Arc<App>>,
    Path((version, name)): StoreParams,
    headers: HeaderMap,
    uri: Uri,
    body: Body,
) -> Response {
    answer(
        async {
            let mut p = prepare(&app, &version, &headers, &uri, body).await?;
            connect::invocable(&mut p.session, &name, &p.buyer, &p.body)
        }
        .await,
    )
}

async fn not_found(uri: Uri) -> Response {
    answer(Err(Refusal::new(
        404,
        "NOT_FOUND",
        format!(
            "The requested resource does not exist: {}",
            sanitize::line(uri.path())
        ),
    )))
}

async fn method_not_allowed(method: Method) -> Response {
    answer(Err(Refusal::new(
        405,
        "METHOD_NOT_ALLOWED",
        format!(
            "HTTP Method '{}' not allowed for this resource",
            sanitize::line(method.as_str())
        ),
    )))
}

/// One line per request on standard error: method, path, status, duration.
async fn log_line(
    State(app): State<Arc<App>>,
    request: Request,
    next: axum::middleware::Next,
) -> Response {
    if !app.log {
        return next.run(request).await;
    }
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let response = next.run(request).await;
    eprintln!(
        "{} {} {} {:.2}ms",
        sanitize::line(method.as_str()),
        sanitize::line(&path),
        response.status().as_u16(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    response
}

/// Every route: the Connect checkout and cart-items resources, the invocable flow
/// actions, and the control API.
pub fn router(app: Arc<App>) -> Router {
    let store = "/services/data/{version}/commerce/webstores/{store}";
    Router::new()
        .route(
            &format!("{store}/checkouts"),
            put(checkouts).post(checkouts),
        )
        .route(
            &format!("{store}/checkouts/{{id}}"),
            get(poll).patch(update).delete(delete),
        )
        .route(&format!("{store}/checkouts/{{id}}/payments"), post(pay))
        .route(&format!("{store}/checkouts/{{id}}/orders"), post(order))
        .route(
            &format!("{store}/checkouts/{{id}}/orders/actions"),
            post(order_actions),
        )
        .route(
            &format!("{store}/carts/{{cart}}/cart-items"),
            get(cart_items).post(cart_items),
        )
        .route(
            "/services/data/{version}/actions/standard/{name}",
            post(invocable),
        )
        .merge(control::routes())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(app.clone(), log_line))
        .with_state(app)
}

/// A server started in the background ([`spawn`]).
pub struct Running {
    /// The address it listens on.
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<Result<(), String>>>,
}

impl Running {
    /// Stops the server (in-flight requests finish), writes the record if asked, and
    /// returns any error the server or the write met.
    pub fn stop(mut self) -> Result<(), String> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.wait()
    }

    /// Waits until the server stops by itself (Ctrl-C or SIGTERM when `signals`).
    pub fn wait(mut self) -> Result<(), String> {
        match self.thread.take().map(|t| t.join()) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err("the server stopped unexpectedly".to_string()),
            None => Ok(()),
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Starts serving `scenario` on its own thread and runtime, and returns once it listens.
/// With `signals`, Ctrl-C and SIGTERM stop it too. The record (if any) is written when it
/// stops.
pub fn spawn(
    scenario: &Scenario,
    raw: RawScenario,
    config: Config,
    signals: bool,
) -> Result<Running, String> {
    let mut session = Session::new(
        scenario,
        raw,
        config.from,
        config.time,
        config.record.is_some(),
    )?;
    let watched = config.feed.is_some();
    if let Some(feed) = config.feed.clone() {
        session.watch(feed);
    }
    let tokens = token_map(session.world(), &config.tokens)?;
    let app = Arc::new(App {
        session: Mutex::new(session),
        tokens,
        log: config.log,
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server's runtime: {e}"))?;
    let addr = SocketAddr::new(config.bind, config.port);
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(addr))
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("cannot read the address listened on: {e}"))?;
    if let (true, Time::Wall(tick)) = (watched, config.time) {
        // A watching UI sees time pass between requests too.
        let app = app.clone();
        runtime.spawn(async move {
            let mut every = tokio::time::interval(tick);
            loop {
                every.tick().await;
                app.lock().catch_up(Instant::now());
            }
        });
    }
    let signals = match signals {
        true => Some(
            runtime
                .block_on(async { StopSignals::new() })
                .map_err(|e| format!("cannot listen for Ctrl-C and SIGTERM: {e}"))?,
        ),
        false => None,
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let record = config.record.clone();
    let force = config.force;
    let thread = std::thread::Builder::new()
        .name("cartsim-serve".to_string())
        .spawn(move || {
            let served = runtime.block_on(async {
                let shutdown = async move {
                    match signals {
                        Some(signals) => {
                            tokio::select! {
                                _ = stopped => {}
                                _ = signals.recv() => {}
                            }
                        }
                        None => {
                            let _ = stopped.await;
                        }
                    }
                };
                axum::serve(listener, router(app.clone()))
                    .with_graceful_shutdown(shutdown)
                    .await
            });
            // Requests still queued on the runtime are dropped with it.
            drop(runtime);
            let written = match &record {
                Some(path) => write_record(&app, path, force),
                None => Ok(()),
            };
            served.map_err(|e| format!("the server failed: {e}"))?;
            written
        })
        .map_err(|e| format!("cannot start the server's thread: {e}"))?;
    Ok(Running {
        addr,
        stop: Some(stop),
        thread: Some(thread),
    })
}

/// Ctrl-C and SIGTERM, listened for from the moment they are created (inside the runtime,
/// before the address is printed), so that a signal sent as soon as a client has seen
/// the server is never missed.
struct StopSignals {
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
}

impl StopSignals {
    /// Starts listening; must run inside the runtime.
    fn new() -> std::io::Result<StopSignals> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(StopSignals {
                interrupt: signal(SignalKind::interrupt())?,
                terminate: signal(SignalKind::terminate())?,
            })
        }
        #[cfg(not(unix))]
        {
            Ok(StopSignals {})
        }
    }

    /// Until one arrives.
    async fn recv(mut self) {
        #[cfg(unix)]
        {
            tokio::select! {
                _ = self.interrupt.recv() => {}
                _ = self.terminate.recv() => {}
            }
        }
        #[cfg(not(unix))]
        {
            let _ = &mut self;
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

/// Writes the session as a scenario file, atomically.
fn write_record(app: &App, path: &std::path::Path, force: bool) -> Result<(), String> {
    let session = app.lock();
    let text = crate::scenario::save::to_text(&session.recording());
    let permit = crate::safe_write::Permit {
        overwrite: force,
        follow_symlinks: false,
    };
    crate::safe_write::write(path, text.as_bytes(), permit)
        .map(|_| ())
        .map_err(|e| e.to_string())
}
