//! The diagnosis: per cart, what state it is in and why, what does not add up, and
//! what each buyer action and the clock would do now, found by applying the action to
//! a copy of the rebuilt world, so every prediction is the engine's own answer with
//! the rule and the source behind each change.

use super::rebuild::{Assumption, Rebuilt};
use super::records::Object;
use super::values::format_timestamp;
use crate::engine::flow::ERROR;
use crate::engine::rest::{CheckoutPatch, PaymentOutcome, PlaceOrderStep, reason_phrase};
use crate::engine::*;
use crate::player::wording::{change_line, error_wording};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

/// Everything the diagnosis says, as data (`--json` prints it).
#[derive(Debug, Clone, Serialize)]
pub struct Diagnosis {
    /// The time diagnosed (UTC).
    pub now: String,
    /// The tick `now` falls in.
    pub now_tick: u64,
    /// Minutes per tick.
    pub tick_minutes: u64,
    /// The time of tick 0 (UTC).
    pub tick_zero: String,
    /// How many records of each object were read.
    pub records: Vec<Count>,
    /// One entry per WebCart.
    pub carts: Vec<CartDiagnosis>,
    /// What the files did not hold that the diagnosis needed.
    pub missing: Vec<String>,
    /// Facts the records cannot show, and how to set them.
    pub assumptions: Vec<Assumption>,
    /// Remarks about the files (an incomplete result, an empty file).
    pub notes: Vec<String>,
    /// True when the store is an `lwr` store: the predictions are the REST checkout
    /// calls, each with its HTTP status and response body.
    pub lwr: bool,
}

/// How many records of one object were read.
#[derive(Debug, Clone, Serialize)]
pub struct Count {
    /// The object.
    pub object: String,
    /// How many.
    pub records: usize,
}

/// One cart's diagnosis.
#[derive(Debug, Clone, Serialize)]
pub struct CartDiagnosis {
    /// WebCart.Id.
    pub id: String,
    /// WebCart.Name.
    pub name: String,
    /// WebCart.Status.
    pub status: String,
    /// One sentence: the state the cart is in and why.
    pub verdict: String,
    /// WebCart.OwnerId.
    pub owner: String,
    /// WebCart.AccountId.
    pub account: String,
    /// WebCart.WebStoreId.
    pub store: String,
    /// WebCart.TotalProductCount as recorded.
    pub total_product_count: Option<String>,
    /// WebCart.TotalProductAmount as recorded.
    pub total_product_amount: Option<String>,
    /// WebCart.LastModifiedDate.
    pub last_modified: Option<String>,
    /// True when WebCart.AccountId names a GuestBuyerProfile: a guest's cart, whose
    /// store membership is not judged.
    pub guest: bool,
    /// WebCart.TotalChargeAmount as recorded.
    pub total_charge_amount: Option<String>,
    /// WebCart.TotalTaxAmount as recorded.
    pub total_tax_amount: Option<String>,
    /// WebCart.GrandTotalAmount as recorded.
    pub grand_total_amount: Option<String>,
    /// WebCart.PaymentMethodId.
    pub payment_method_id: Option<String>,
    /// WebCart.GuestEmailAddress.
    pub guest_email_address: Option<String>,
    /// The cart's CartDeliveryGroups that a checkout here uses.
    pub delivery_groups: Vec<DeliveryGroupView>,
    /// The PaymentAuthorizations related to the cart (through its PaymentGroupId).
    pub payment_authorizations: Vec<PaymentView>,
    /// The orders of the cart's checkouts.
    pub orders: Vec<OrderView>,
    /// The non-archived CartCheckoutSession.
    pub active_session: Option<SessionView>,
    /// The archived sessions, newest first.
    pub archived_sessions: Vec<SessionView>,
    /// The operation the active session names.
    pub operation: Option<OperationView>,
    /// The cart's CartValidationOutput rows.
    pub validation: Vec<ValidationView>,
    /// What does not add up.
    pub inconsistencies: Vec<Finding>,
    /// What each buyer action would do now, and what the clock would do.
    pub predictions: Vec<Prediction>,
}

/// A CartCheckoutSession as recorded.
#[derive(Debug, Clone, Serialize)]
pub struct SessionView {
    /// Id.
    pub id: String,
    /// State.
    pub state: String,
    /// NextState.
    pub next_state: Option<String>,
    /// IsProcessing.
    pub is_processing: bool,
    /// IsError.
    pub is_error: bool,
    /// IsArchived.
    pub is_archived: bool,
    /// BackgroundOperationId.
    pub background_operation_id: Option<String>,
    /// OrderId.
    pub order_id: Option<String>,
    /// OrderReferenceNumber.
    pub order_reference_number: Option<String>,
    /// CreatedDate (UTC).
    pub created: Option<String>,
    /// When its checkout expires, if the store has a time-to-live (UTC).
    pub expires: Option<String>,
}

/// The operation a session names.
#[derive(Debug, Clone, Serialize)]
pub struct OperationView {
    /// The id the session names.
    pub id: String,
    /// `running`, `queued`, `complete`, `failed`, `canceled`, `merged`, `purged` (not
    /// among the operations exported) or `not exported` (no operations were given).
    pub condition: String,
    /// Name, when found.
    pub name: Option<String>,
    /// Status, when found.
    pub status: Option<String>,
    /// Error, when found.
    pub error: Option<String>,
    /// SubmittedAt, StartedAt, FinishedAt, ExpiresAt as recorded (UTC).
    pub times: Vec<(String, String)>,
}

/// A CartDeliveryGroup.
#[derive(Debug, Clone, Serialize)]
pub struct DeliveryGroupView {
    /// Id.
    pub id: String,
    /// DeliverToStreet.
    pub deliver_to_street: Option<String>,
    /// DeliverToCity.
    pub deliver_to_city: Option<String>,
    /// DeliverToPostalCode.
    pub deliver_to_postal_code: Option<String>,
    /// DeliverToCountry.
    pub deliver_to_country: Option<String>,
    /// DeliveryMethodId.
    pub delivery_method_id: Option<String>,
}

/// A PaymentAuthorization.
#[derive(Debug, Clone, Serialize)]
pub struct PaymentView {
    /// Id.
    pub id: String,
    /// Amount.
    pub amount: String,
    /// Status.
    pub status: String,
    /// PaymentGroupId.
    pub payment_group_id: Option<String>,
}

/// An Order.
#[derive(Debug, Clone, Serialize)]
pub struct OrderView {
    /// Id.
    pub id: String,
    /// OrderReferenceNumber, when exported.
    pub order_reference_number: Option<String>,
    /// Status, when exported.
    pub status: Option<String>,
}

/// A CartValidationOutput row.
#[derive(Debug, Clone, Serialize)]
pub struct ValidationView {
    /// Id.
    pub id: String,
    /// Level.
    pub level: String,
    /// Type.
    pub kind: String,
    /// Message.
    pub message: String,
    /// BackgroundOperationId.
    pub operation: Option<String>,
    /// RelatedEntityId.
    pub related: Option<String>,
    /// IsDismissed.
    pub is_dismissed: bool,
}

/// Something that does not add up.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// A stable code (`checkout_without_session`, ...).
    pub code: &'static str,
    /// What it means.
    pub text: String,
}

/// What one action would do.
#[derive(Debug, Clone, Serialize)]
pub struct Prediction {
    /// `cancel`, `start_checkout`, `add_to_cart`, `continue` or `expiry` in an `aura`
    /// store; `checkout_start` (PUT), `checkout_poll` (GET), `checkout_update` (PATCH),
    /// `pay`, `place_order` (or `place_order_prepare` and `place_order_submit`),
    /// `checkout_delete` (DELETE), `add_to_cart` and `expiry` in an `lwr` store.
    pub action: &'static str,
    /// The action's name.
    pub title: String,
    /// `ok`, `refused`, or `none` (for expiry: nothing would expire).
    pub result: &'static str,
    /// A sentence for `none`, or what the success means.
    pub summary: String,
    /// Every change, in order.
    pub changes: Vec<ChangeView>,
    /// The refusal.
    pub error: Option<ErrorView>,
    /// A REST call's request line (`PATCH /commerce/webstores/.../checkouts/...`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<String>,
    /// The body the REST call sends, where it sends one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_body: Option<serde_json::Value>,
    /// The HTTP status the REST call answers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http: Option<u16>,
    /// The response body as the Connect API returns it (absent for a 204).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<serde_json::Value>,
}

/// One predicted change, with its rule and source.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeView {
    /// The line as transcripts write it.
    pub line: String,
    /// The record.
    pub record: String,
    /// The field (`null` when the record is created).
    pub field: Option<&'static str>,
    /// Old value.
    pub old: serde_json::Value,
    /// New value.
    pub new: serde_json::Value,
    /// The rule's sentence.
    pub rule: &'static str,
    /// `documented`, `sample`, `choice`, `inferred` or `scenario`.
    pub source: &'static str,
    /// The reference behind the source.
    pub reference: &'static str,
}

/// A predicted refusal.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorView {
    /// The code.
    pub code: &'static str,
    /// The HTTP status.
    pub http: Option<u16>,
    /// The engine's message.
    pub message: String,
    /// The requirement that failed.
    pub requirement: String,
    /// Where the code comes from.
    pub origin: String,
    /// The store setting whose reading makes it a refusal.
    pub reading: Option<String>,
    /// What the buyer sees.
    pub buyer_sees: Option<String>,
}

fn time_of(rebuilt: &Rebuilt, object: Object, id: &str, field: &str) -> Option<String> {
    rebuilt
        .records
        .find(object, id)
        .and_then(|r| r.value(field))
        .and_then(|v| super::values::parse_timestamp(v).ok())
        .map(format_timestamp)
}

/// Diagnoses every cart of the rebuilt world.
pub fn diagnose(rebuilt: &Rebuilt, notes: Vec<String>) -> Diagnosis {
    Diagnosis {
        carts: carts(rebuilt).collect(),
        ..summary(rebuilt, notes)
    }
}

/// The diagnosis without its carts (`carts` is empty): what comes before and after
/// them, known before any cart is diagnosed.
pub fn summary(rebuilt: &Rebuilt, notes: Vec<String>) -> Diagnosis {
    let world = &rebuilt.world;
    Diagnosis {
        now: format_timestamp(rebuilt.now),
        now_tick: world.tick,
        tick_minutes: rebuilt.clock.minutes,
        tick_zero: format_timestamp(rebuilt.clock.origin),
        records: rebuilt
            .records
            .by_object
            .iter()
            .map(|(o, r)| Count {
                object: o.to_string(),
                records: r.len(),
            })
            .collect(),
        carts: Vec::new(),
        missing: rebuilt.missing.clone(),
        assumptions: rebuilt.assumptions.clone(),
        notes: notes
            .into_iter()
            .chain(rebuilt.notes.iter().cloned())
            .collect(),
        lwr: rebuilt.template == Template::Lwr,
    }
}

/// What the diagnosis of every cart looks up, found once for all of them so that a
/// diagnosis stays linear in the records.
struct Shared<'a> {
    /// The operations an active session names.
    named: HashSet<&'a str>,
    /// The CartDeliveryGroups of each cart, in the world's order.
    groups: HashMap<&'a str, Vec<&'a CartDeliveryGroup>>,
    /// The Orders of each cart, in the world's order.
    orders: HashMap<&'a str, Vec<&'a Order>>,
}

impl<'a> Shared<'a> {
    fn new(world: &'a World) -> Shared<'a> {
        let mut groups: HashMap<&str, Vec<&CartDeliveryGroup>> = HashMap::new();
        for g in world.delivery_groups().iter() {
            groups.entry(g.cart.as_str()).or_default().push(g);
        }
        let mut orders: HashMap<&str, Vec<&Order>> = HashMap::new();
        for o in world.orders().iter() {
            orders.entry(o.cart.as_str()).or_default().push(o);
        }
        Shared {
            named: world
                .sessions()
                .iter()
                .filter(|s| !s.is_archived)
                .filter_map(|s| s.background_operation_id.as_deref())
                .collect(),
            groups,
            orders,
        }
    }
}

/// The diagnosis of each cart of the rebuilt world, in the world's order, a few hundred
/// at a time (a caller that prints each as it comes holds those, not all of them).
///
/// Each cart's diagnosis reads the world and changes only its own copies of it, so the
/// carts of a round are diagnosed on every core the machine offers and handed out in
/// order: the result is the same as one by one.
pub fn carts(rebuilt: &Rebuilt) -> impl Iterator<Item = CartDiagnosis> + '_ {
    let world = &rebuilt.world;
    let shared = Shared::new(world);
    let all: Vec<&WebCart> = world.carts().iter().collect();
    let total = all.len();
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    // Small enough that a round's diagnoses take little memory, large enough that
    // starting its threads costs nothing beside them.
    let round = 128 * threads;
    let mut done = 0;
    std::iter::from_fn(move || {
        if done >= all.len() {
            return None;
        }
        let these = &all[done..(done + round).min(all.len())];
        done += these.len();
        let share = these.len().div_ceil(threads);
        let shared = &shared;
        let diagnosed: Vec<CartDiagnosis> = std::thread::scope(|scope| {
            let mut parts = these.chunks(share);
            let first = parts.next().unwrap_or_default();
            let others: Vec<_> = parts
                .map(|part| {
                    scope.spawn(move || {
                        part.iter()
                            .map(|c| cart(rebuilt, shared, c))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            let mut out: Vec<CartDiagnosis> =
                first.iter().map(|c| cart(rebuilt, shared, c)).collect();
            for other in others {
                match other.join() {
                    Ok(part) => out.extend(part),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
            out
        });
        Some(diagnosed)
    })
    .flatten()
    .enumerate()
    .map(move |(i, c)| {
        // A front end watching (`diagnose --open`) shows how far it has got. A stop is
        // not needed here: that front end has stopped waiting already.
        let _ = crate::progress::report("diagnosing the carts", i, total);
        c
    })
}

fn session_view(rebuilt: &Rebuilt, s: &CartCheckoutSession) -> SessionView {
    SessionView {
        id: s.id.to_string(),
        state: s.state.clone(),
        next_state: s.next_state.clone(),
        is_processing: s.is_processing,
        is_error: s.is_error,
        is_archived: s.is_archived,
        background_operation_id: s.background_operation_id.map(String::from),
        order_id: s.order_id.map(String::from),
        order_reference_number: s.rest.order_reference.clone(),
        created: time_of(rebuilt, Object::CartCheckoutSession, &s.id, "CreatedDate"),
        expires: checkout_deadline(&rebuilt.world, s)
            .map(|t| format_timestamp(rebuilt.clock.time_of(t))),
    }
}

fn operation_view(rebuilt: &Rebuilt, id: &str) -> OperationView {
    let given = rebuilt.records.given(Object::BackgroundOperation);
    match rebuilt.world.operation(id) {
        None => OperationView {
            id: id.to_string(),
            condition: if given { "purged" } else { "not exported" }.to_string(),
            name: None,
            status: None,
            error: None,
            times: Vec::new(),
        },
        Some(o) => OperationView {
            id: id.to_string(),
            condition: match o.status {
                OperationStatus::Running => "running",
                OperationStatus::New | OperationStatus::Scheduled | OperationStatus::Waiting => {
                    "queued"
                }
                OperationStatus::Complete => "complete",
                OperationStatus::Error => "failed",
                OperationStatus::Canceled => "canceled",
                OperationStatus::Merged => "merged",
            }
            .to_string(),
            name: Some(o.name.clone()),
            status: Some(o.status.to_string()),
            error: o.error.clone(),
            times: ["SubmittedAt", "StartedAt", "FinishedAt", "ExpiresAt"]
                .iter()
                .filter_map(|f| {
                    time_of(rebuilt, Object::BackgroundOperation, id, f).map(|t| (f.to_string(), t))
                })
                .collect(),
        },
    }
}

fn cart(rebuilt: &Rebuilt, shared: &Shared, c: &WebCart) -> CartDiagnosis {
    let world = &rebuilt.world;
    let record = rebuilt.records.find(Object::WebCart, &c.id);
    let active = world.active_session(&c.id);
    let mut archived: Vec<SessionView> = world
        .sessions_of(&c.id)
        .filter(|s| s.is_archived)
        .map(|s| session_view(rebuilt, s))
        .collect();
    archived.reverse();
    let operation = active
        .and_then(|s| s.background_operation_id.as_deref())
        .map(|id| operation_view(rebuilt, id));
    let validation: Vec<ValidationView> = world
        .validation_outputs_of(&c.id)
        .map(|v| ValidationView {
            id: v.id.to_string(),
            level: v.level.to_string(),
            kind: v.kind.to_string(),
            message: v.message.clone(),
            operation: v.operation.map(String::from),
            related: v.related.clone(),
            is_dismissed: v.is_dismissed,
        })
        .collect();
    let inconsistencies = findings(rebuilt, &shared.named, c, active, operation.as_ref());
    let verdict = if is_lwr(world, &c.id) {
        lwr_verdict(rebuilt, c, active, operation.as_ref(), &validation)
    } else {
        verdict(rebuilt, c, active, operation.as_ref(), &validation)
    };
    CartDiagnosis {
        id: c.id.to_string(),
        name: c.name.clone(),
        status: c.status.to_string(),
        verdict,
        owner: world.buyer(&c.buyer).map_or(c.buyer.to_string(), |b| {
            if b.name == b.id {
                b.id.to_string()
            } else {
                format!("{} ({})", b.id, b.name)
            }
        }),
        account: c.account.to_string(),
        store: world.store(&c.store).map_or(c.store.to_string(), |s| {
            if s.name == s.id {
                s.id.to_string()
            } else {
                format!("{} ({})", s.id, s.name)
            }
        }),
        total_product_count: record
            .and_then(|r| r.value("TotalProductCount"))
            .map(str::to_string),
        total_product_amount: record
            .and_then(|r| r.value("TotalProductAmount"))
            .map(amount_text),
        last_modified: time_of(rebuilt, Object::WebCart, &c.id, "LastModifiedDate"),
        guest: world.buyer(&c.buyer).is_some_and(|b| b.guest),
        total_charge_amount: record
            .and_then(|r| r.value("TotalChargeAmount"))
            .map(amount_text),
        total_tax_amount: record
            .and_then(|r| r.value("TotalTaxAmount"))
            .map(amount_text),
        grand_total_amount: record
            .and_then(|r| r.value("GrandTotalAmount"))
            .map(amount_text),
        payment_method_id: record
            .and_then(|r| r.value("PaymentMethodId"))
            .map(str::to_string),
        guest_email_address: c.guest_email.clone(),
        delivery_groups: shared
            .groups
            .get(c.id.as_str())
            .into_iter()
            .flatten()
            .map(|g| DeliveryGroupView {
                id: g.id.to_string(),
                deliver_to_street: g.address.street.clone(),
                deliver_to_city: g.address.city.clone(),
                deliver_to_postal_code: g.address.postal_code.clone(),
                deliver_to_country: g.address.country.clone(),
                delivery_method_id: g.delivery_method.clone(),
            })
            .collect(),
        payment_authorizations: world
            .sessions_of(&c.id)
            .flat_map(|s| world.payment_authorizations_of(&s.id))
            .map(|p| PaymentView {
                id: p.id.to_string(),
                amount: FieldValue::Money(p.amount).to_string(),
                status: p.status.to_string(),
                payment_group_id: rebuilt
                    .records
                    .find(Object::PaymentAuthorization, &p.id)
                    .and_then(|r| r.value("PaymentGroupId"))
                    .map(str::to_string),
            })
            .collect(),
        orders: shared
            .orders
            .get(c.id.as_str())
            .into_iter()
            .flatten()
            .map(|o| {
                let r = rebuilt.records.find(Object::Order, &o.id);
                OrderView {
                    id: o.id.to_string(),
                    order_reference_number: r
                        .and_then(|r| r.value("OrderReferenceNumber"))
                        .map(str::to_string),
                    status: r.and_then(|r| r.value("Status")).map(str::to_string),
                }
            })
            .collect(),
        active_session: active.map(|s| session_view(rebuilt, s)),
        archived_sessions: archived,
        operation,
        validation,
        inconsistencies,
        predictions: predictions(rebuilt, c),
    }
}

/// An amount as recorded, written with two places when it reads as one.
fn amount_text(v: &str) -> String {
    amount_of(v).map_or(v.to_string(), |m| FieldValue::Money(m).to_string())
}

fn amount_of(v: &str) -> Option<Money> {
    Money::parse_decimal(v).or_else(|| {
        v.parse::<f64>()
            .ok()
            .and_then(|f| Money::parse_decimal(&format!("{f:.2}")))
    })
}

/// Whether the cart's store is an `lwr` store.
fn is_lwr(world: &World, cart: &str) -> bool {
    world
        .store_of_cart(cart)
        .is_some_and(|s| s.settings.template == Template::Lwr)
}

fn op_label(op: Option<&OperationView>) -> String {
    match op {
        Some(OperationView {
            name: Some(name),
            id,
            ..
        }) => format!("{name} ({id})"),
        Some(o) => o.id.clone(),
        None => "no operation".to_string(),
    }
}

fn verdict(
    rebuilt: &Rebuilt,
    c: &WebCart,
    active: Option<&CartCheckoutSession>,
    op: Option<&OperationView>,
    rows: &[ValidationView],
) -> String {
    let errors = rows
        .iter()
        .filter(|r| r.level == "Error" && !r.is_dismissed)
        .count();
    let condition = op.map(|o| o.condition.as_str());
    match (c.status, active) {
        (CartStatus::Closed, _) => format!(
            "Closed: the checkout finished and the order{} was created; the cart can no longer change or be canceled, and a buyer who still sees it is looking at an old page or tab (a new cart is needed).",
            rebuilt.world.sessions_of(&c.id).find_map(|s| s.order_id).map(|o| format!(" {o}")).unwrap_or_default()
        ),
        (CartStatus::Checkout, None) => "Stuck in Checkout with no active CartCheckoutSession: nothing runs and nothing will unlock the cart on its own.".to_string(),
        (CartStatus::Checkout, Some(s)) if s.is_error || s.state == ERROR => format!(
            "Stuck after a failed {}: the session is in Error{}; the buyer must cancel the checkout and start again.",
            op_label(op),
            if errors > 0 { format!(" and the cart has {errors} Error-level validation row(s)") } else { String::new() }
        ),
        (CartStatus::Checkout, Some(s)) if s.is_processing && matches!(condition, Some("running" | "queued")) => format!(
            "In Checkout, waiting for {} to finish (IsProcessing); the cart is locked until it does or the checkout is canceled.",
            op_label(op)
        ),
        (CartStatus::Checkout, Some(s)) if s.is_processing => format!(
            "Stuck in Checkout: the session says IsProcessing but {} is {}; no operation will finish to move it on.",
            op_label(op),
            condition.unwrap_or("named by no one")
        ),
        (CartStatus::Checkout, Some(s)) => {
            let expired = checkout_deadline(&rebuilt.world, s).is_some_and(|at| at <= rebuilt.world.tick);
            format!(
                "In Checkout, waiting for the buyer at State {:?}{}.",
                s.state,
                match (expired, expires_on_return(&rebuilt.world, &s.cart)) {
                    (false, _) => "",
                    (true, true) => "; its time-to-live has passed, so the buyer's next checkout action finds it expired and its integrations run again",
                    (true, false) => "; its time-to-live has passed, so the checkout expires at the next tick",
                }
            )
        }
        (CartStatus::Active, _) if errors > 0 => format!(
            "Active: no checkout is in progress; {errors} Error-level validation row(s) remain from an earlier checkout."
        ),
        (CartStatus::Active, _) => "Active: no checkout is in progress; the buyer can change the cart and start a checkout.".to_string(),
        (status, _) => format!("{status}: the cart is being processed and may not be changed until that finishes."),
    }
}

/// The verdict on a cart of an `lwr` store, read from what a poll would answer now.
fn lwr_verdict(
    rebuilt: &Rebuilt,
    c: &WebCart,
    active: Option<&CartCheckoutSession>,
    op: Option<&OperationView>,
    rows: &[ValidationView],
) -> String {
    let world = &rebuilt.world;
    let Some(s) = active else {
        return verdict(rebuilt, c, active, op, rows);
    };
    if c.status == CartStatus::PendingClosed
        && let Some(reference) = &s.rest.order_reference
    {
        return format!(
            "PendingClosed: place order accepted the order {reference}; cart-to-order runs asynchronously ({}) and closes the cart when it finishes.",
            op_label(op)
        );
    }
    if c.status != CartStatus::Checkout {
        return verdict(rebuilt, c, active, op, rows);
    }
    let expired = checkout_deadline(world, s).is_some_and(|at| at <= world.tick);
    if expired && expires_on_return(world, &c.id) {
        return "In Checkout, expired: its time-to-live has passed, so the buyer's next call finds it expired and its Cart Calculate runs again (a poll answers 202 while it runs).".to_string();
    }
    let mut copy = world.clone();
    let poll = copy.apply(&Action::CheckoutPoll {
        cart: c.id.to_string(),
        actor: None,
    });
    let errors = rows
        .iter()
        .filter(|r| r.level == "Error" && !r.is_dismissed)
        .count();
    let condition = op.map(|o| o.condition.as_str());
    match poll.http {
        Some(202) if matches!(condition, Some("running" | "queued")) => format!(
            "In Checkout, calculating: {} runs, so a poll answers 202 and every call that changes the checkout 409 until it finishes.",
            op_label(op)
        ),
        Some(202) => format!(
            "Stuck in Checkout: the session says IsProcessing but {} is {}; a poll answers 202 and every call that changes the checkout 409, and no operation will finish to move it on.",
            op_label(op),
            condition.unwrap_or("named by no one")
        ),
        Some(422) => format!(
            "In Checkout, ready with errors: a poll answers 422 with {errors} Error-level row(s) in its body{}; the buyer changes the cart ({}) or the storefront deletes the checkout.",
            match op {
                Some(_) => format!(" (from {})", op_label(op)),
                None => String::new(),
            },
            match world
                .store_of_cart(&c.id)
                .map(|st| st.settings.cart_cleanup)
            {
                Some(CartCleanup::CancelCheckout) =>
                    "which cancels the checkout: cart_cleanup cancel_checkout",
                _ => "which runs the calculation again: Simplified Cart Cleanup",
            }
        ),
        Some(200) => format!(
            "In Checkout, ready: a poll answers 200 and the checkout waits for the buyer's next call (PATCH, pay, place order){}.",
            if expired {
                "; its time-to-live has passed, so the checkout expires at the next tick"
            } else {
                ""
            }
        ),
        _ => match &poll.result {
            Err(e) => format!(
                "In Checkout, but a poll is refused: {}.",
                error_wording(e).head
            ),
            Ok(()) => "In Checkout.".to_string(),
        },
    }
}

fn findings(
    rebuilt: &Rebuilt,
    named: &HashSet<&str>,
    c: &WebCart,
    active: Option<&CartCheckoutSession>,
    op: Option<&OperationView>,
) -> Vec<Finding> {
    let world = &rebuilt.world;
    let mut out = Vec::new();
    if c.status == CartStatus::Checkout && active.is_none() {
        out.push(Finding {
            code: "checkout_without_session",
            text: format!(
                "{} is Checkout but has no active CartCheckoutSession ({} archived): the lock has no checkout behind it.",
                c.id,
                world.sessions_of(&c.id).count()
            ),
        });
    }
    if let (Some(s), Some(o)) = (active, op) {
        if o.condition == "purged" {
            out.push(Finding {
                code: "session_names_purged_operation",
                text: format!(
                    "{}.BackgroundOperationId names {}, which is not among the {} BackgroundOperations exported: it left the queue (its ExpiresAt passed) or was deleted.",
                    s.id,
                    o.id,
                    rebuilt.records.of(Object::BackgroundOperation).len()
                ),
            });
        }
        if s.is_processing && !matches!(o.condition.as_str(), "running" | "queued" | "not exported")
        {
            out.push(Finding {
                code: "processing_with_nothing_running",
                text: format!(
                    "{}.IsProcessing is true but its operation {} is {}: nothing is running that would clear it.",
                    s.id, o.id, o.condition
                ),
            });
        }
        if (s.is_error || s.state == ERROR)
            && o.condition != "failed"
            && o.condition != "not exported"
        {
            out.push(Finding {
                code: "error_without_failed_operation",
                text: format!(
                    "{} is in Error but its operation {} is {}, not failed.",
                    s.id, o.id, o.condition
                ),
            });
        }
    }
    if let Some(s) = active {
        if s.is_processing && s.background_operation_id.is_none() {
            out.push(Finding {
                code: "processing_with_nothing_running",
                text: format!(
                    "{}.IsProcessing is true but it names no BackgroundOperation.",
                    s.id
                ),
            });
        }
        if c.status == CartStatus::Active && s.state != flow::COMPLETE {
            out.push(Finding {
                code: "active_cart_with_open_session",
                text: format!(
                    "{} is Active but its session {} is not archived (State {:?}): a cancel or an expiry archives the session when it unlocks the cart.",
                    c.id, s.id, s.state
                ),
            });
        }
        if c.status == CartStatus::Closed && s.state != flow::COMPLETE && s.order_id.is_none() {
            out.push(Finding {
                code: "closed_cart_with_open_session",
                text: format!(
                    "{} is Closed but its active session {} is at State {:?} with no OrderId.",
                    c.id, s.id, s.state
                ),
            });
        }
        if let Some(at) = checkout_deadline(world, s)
            && at <= world.tick
            && c.status == CartStatus::Checkout
        {
            out.push(Finding {
                code: "checkout_past_time_to_live",
                text: format!(
                    "{}'s checkout started {} and its time-to-live ended {}: {}",
                    s.id,
                    time_of(rebuilt, Object::CartCheckoutSession, &s.id, "CreatedDate").unwrap_or_else(|| "at an unknown time".to_string()),
                    format_timestamp(rebuilt.clock.time_of(at)),
                    if expires_on_return(world, &c.id) {
                        "nothing changes until the buyer returns; the buyer's next checkout action finds it expired and its integrations run again (checkout_expiry on_return, the time-to-live guide)."
                    } else {
                        "it should have expired (the cart Active, the session archived); the expiry runs at the next tick (checkout_expiry eager)."
                    }
                ),
            });
        }
    }
    // The cart's operations (those its validation rows or sessions name), in launch
    // order: looking only at these keeps a diagnosis linear in the records.
    let mut mine: Vec<&BackgroundOperation> = world
        .validation_outputs_of(&c.id)
        .filter_map(|v| v.operation.as_deref())
        .chain(
            world
                .sessions_of(&c.id)
                .filter_map(|s| s.background_operation_id.as_deref()),
        )
        .filter_map(|id| world.operation(id))
        .collect();
    mine.sort_by_key(|o| world.operations().seq(&o.id));
    mine.dedup_by(|a, b| a.id == b.id);
    for o in mine.into_iter().filter(|o| o.status.in_progress()) {
        if !named.contains(o.id.as_str()) {
            out.push(Finding {
                code: "operation_running_for_no_session",
                text: format!(
                    "{} ({}) is {} but no active session names it.",
                    o.id, o.name, o.status
                ),
            });
        }
    }
    if let Some(recorded) = rebuilt
        .records
        .find(Object::WebCart, &c.id)
        .and_then(|r| r.value("GrandTotalAmount"))
        .and_then(amount_of)
    {
        let sum = world.grand_total_amount(c);
        if recorded != sum {
            out.push(Finding {
                code: "grand_total_not_the_sum",
                text: format!(
                    "{}.GrandTotalAmount is {recorded} but TotalProductAmount + TotalChargeAmount + TotalTaxAmount is {sum}: the org counts something cartsim does not model (adjustments, promotions, more charges, a Gross tax store); the predictions check payment against {sum}.",
                    c.id
                ),
            });
        }
    }
    if let Some(s) = active
        && is_lwr(world, &c.id)
        && s.rest.order_reference.is_none()
    {
        let processed: Vec<&PaymentAuthorization> = world
            .payment_authorizations_of(&s.id)
            .filter(|p| p.status == PaymentAuthorizationStatus::Processed)
            .collect();
        let authorized: Money = processed.iter().map(|p| p.amount).sum();
        let total = world.grand_total_amount(c);
        if !processed.is_empty() && authorized != total {
            out.push(Finding {
                code: "payment_does_not_match_grand_total",
                text: format!(
                    "the Processed authorizations ({}) add up to {authorized} but GrandTotalAmount is {total}: place order answers 422 (\"Looks like the payment method isn't authorized\") until the buyer pays again.",
                    processed.iter().map(|p| p.id.as_str()).collect::<Vec<_>>().join(", ")
                ),
            });
        }
    }
    let current_op = active.and_then(|s| s.background_operation_id);
    let stale: Vec<&CartValidationOutput> = world
        .validation_outputs_of(&c.id)
        .filter(|v| v.level == ValidationLevel::Error && !v.is_dismissed)
        .filter(|v| v.operation.is_some() && v.operation != current_op)
        .collect();
    if !stale.is_empty() && c.status != CartStatus::Closed {
        out.push(Finding {
            code: "validation_rows_from_an_earlier_checkout",
            text: format!(
                "{} Error-level row(s) ({}) were written by an operation the active session does not name: they are left from an earlier checkout{}.",
                stale.len(),
                stale.iter().map(|v| v.id.as_str()).collect::<Vec<_>>().join(", "),
                match rebuilt.world.store_of_cart(&c.id).map(|s| s.settings.validation_on_start) {
                    Some(ValidationOnStart::Clear) => "; a new checkout deletes them",
                    _ => "",
                }
            ),
        });
    }
    out
}

fn change_view(change: &Change) -> ChangeView {
    ChangeView {
        line: change_line(change),
        record: change.record.clone(),
        field: change.field,
        old: change.old.to_json(),
        new: change.new.to_json(),
        rule: change.rule.text(),
        source: change.rule.source().tag(),
        reference: change.rule.source().reference(),
    }
}

fn predict(world: &World, key: &'static str, action: Action) -> Prediction {
    let mut copy = world.clone();
    let outcome = copy.apply(&action);
    let title = action.title().to_string();
    let request_body = crate::engine::rest::is_rest(&action)
        .then(|| crate::engine::rest::request_body(&action))
        .flatten();
    let prediction = match &outcome.result {
        Ok(()) => Prediction {
            action: key,
            title,
            result: "ok",
            summary: match (outcome.http, outcome.changes.len()) {
                (None, 0) => "succeeds and changes nothing".to_string(),
                (None, n) => format!("succeeds with {n} change(s)"),
                (Some(h), 0) => format!("answers {h} {} and changes nothing", reason_phrase(h)),
                (Some(h), n) => format!("answers {h} {} with {n} change(s)", reason_phrase(h)),
            },
            changes: outcome.changes.iter().map(change_view).collect(),
            error: None,
            request: None,
            request_body: None,
            http: None,
            body: None,
        },
        Err(e) => {
            let w = error_wording(e);
            let spec = e.kind.spec();
            Prediction {
                action: key,
                title,
                result: "refused",
                summary: format!("refused: {} {}", spec.code, w.http),
                // What the platform records even on a refusal (a declined payment's
                // Failed authorization, the save of custom code).
                changes: outcome.changes.iter().map(change_view).collect(),
                error: Some(ErrorView {
                    code: spec.code,
                    http: spec.http,
                    message: e.message.clone(),
                    requirement: w.requirement,
                    origin: w.origin_tag,
                    reading: w.reading,
                    buyer_sees: w.buyer_sees,
                }),
                request: None,
                request_body: None,
                http: None,
                body: None,
            }
        }
    };
    Prediction {
        request: outcome.request.clone(),
        request_body,
        http: outcome.http,
        body: outcome.body.clone(),
        ..prediction
    }
}

/// A prediction of a call there is nothing to make.
fn nothing(key: &'static str, title: &str, summary: String) -> Prediction {
    Prediction {
        action: key,
        title: title.to_string(),
        result: "none",
        summary,
        changes: Vec::new(),
        error: None,
        request: None,
        request_body: None,
        http: None,
        body: None,
    }
}

/// The PATCH to predict: the cart's delivery group's current delivery method, else its
/// address (a PATCH that repeats the current values still calculates). `Err` says why
/// there is none to send while the cart has a checkout; without one the PATCH is sent
/// empty, to show the refusal.
fn patch_of(world: &World, cart: &str) -> Result<CheckoutPatch, String> {
    let active = world.active_session(cart);
    let group = world
        .sessions_of(cart)
        .filter_map(|s| world.delivery_group_of_session(&s.id))
        .last();
    if let Some(g) = group {
        if let Some(m) = &g.delivery_method {
            return Ok(CheckoutPatch {
                delivery_method: Some(m.clone()),
                ..CheckoutPatch::default()
            });
        }
        if g.address != Address::default() {
            return Ok(CheckoutPatch {
                shipping_address: Some(g.address.clone()),
                ..CheckoutPatch::default()
            });
        }
    }
    match active {
        None => Ok(CheckoutPatch::default()),
        Some(s) => Err(format!(
            "nothing to send again: {}'s CartDeliveryGroup has no DeliveryMethodId and no address in the records{}",
            s.id,
            if group.is_none() {
                " (no CartDeliveryGroup was exported)"
            } else {
                ""
            }
        )),
    }
}

/// The REST checkout calls of an `lwr` store, each applied to a copy of the world.
fn rest_predictions(world: &World, cart: &str, add: Action) -> Vec<Prediction> {
    let cart = cart.to_string();
    let mut out = vec![
        predict(
            world,
            "checkout_start",
            Action::CheckoutStart {
                cart: cart.clone(),
                actor: None,
            },
        ),
        predict(
            world,
            "checkout_poll",
            Action::CheckoutPoll {
                cart: cart.clone(),
                actor: None,
            },
        ),
    ];
    let update = Action::CheckoutUpdate {
        cart: cart.clone(),
        patch: CheckoutPatch::default(),
        actor: None,
    };
    out.push(match patch_of(world, &cart) {
        Ok(patch) => predict(
            world,
            "checkout_update",
            Action::CheckoutUpdate {
                cart: cart.clone(),
                patch,
                actor: None,
            },
        ),
        Err(why) => nothing("checkout_update", update.title(), why),
    });
    out.push(predict(
        world,
        "pay",
        Action::Pay {
            cart: cart.clone(),
            outcome: PaymentOutcome::Authorized,
            actor: None,
        },
    ));
    let v2 = world
        .store_of_cart(&cart)
        .is_some_and(|s| s.settings.place_order == PlaceOrderVersion::V2);
    if v2 {
        for (key, step) in [
            ("place_order_prepare", PlaceOrderStep::Prepare),
            ("place_order_submit", PlaceOrderStep::Submit),
        ] {
            out.push(predict(
                world,
                key,
                Action::PlaceOrder {
                    cart: cart.clone(),
                    step: Some(step),
                    actor: None,
                },
            ));
        }
    } else {
        out.push(predict(
            world,
            "place_order",
            Action::PlaceOrder {
                cart: cart.clone(),
                step: None,
                actor: None,
            },
        ));
    }
    out.push(predict(
        world,
        "checkout_delete",
        Action::CheckoutDelete {
            cart: cart.clone(),
            actor: None,
        },
    ));
    out.push(predict(world, "add_to_cart", add));
    out
}

fn predictions(rebuilt: &Rebuilt, c: &WebCart) -> Vec<Prediction> {
    let world = &rebuilt.world;
    let cart = c.id;
    let sku = c
        .items
        .first()
        .map(|i| i.sku)
        .or_else(|| world.products().first().map(|p| p.sku))
        .unwrap_or_default();
    let add = Action::AddToCart {
        cart: cart.to_string(),
        sku: sku.to_string(),
        quantity: Quantity::Whole(1),
        actor: None,
    };
    let mut out = if is_lwr(world, &cart) {
        rest_predictions(world, &cart, add)
    } else {
        flow_predictions(world, &cart, add)
    };
    let deadline = world
        .active_session(&cart)
        .and_then(|s| checkout_deadline(world, s));
    out.push(match deadline {
        None => nothing(
            "expiry",
            "Checkout time-to-live",
            match world.active_session(&cart) {
                None => "nothing to expire: the cart has no active checkout".to_string(),
                Some(s) if s.state == flow::COMPLETE => "nothing to expire: the checkout is complete".to_string(),
                Some(s) if s.rest.order_reference.is_some() => "nothing to expire: place order accepted the order".to_string(),
                Some(_) => "never: the store's checkouts do not expire (no time-to-live)".to_string(),
            },
        ),
        Some(at) if expires_on_return(world, &cart) => {
            let when = format_timestamp(rebuilt.clock.time_of(at.max(world.tick)));
            Prediction {
                result: "on_return",
                ..nothing(
                    "expiry",
                    "Checkout time-to-live",
                    if at <= world.tick {
                        format!("passed at {when}: nothing changes until the buyer returns; the buyer's next checkout action finds the checkout expired and its integrations run again (checkout_expiry on_return)")
                    } else {
                        format!("ends at {when} (tick {at}); nothing changes then: the buyer's next checkout action after it finds the checkout expired and its integrations run again (checkout_expiry on_return)")
                    },
                )
            }
        }
        Some(at) => {
            let wait = at.saturating_sub(world.tick).max(1);
            // The cart alone: what the wait does to it is what it does in the whole
            // world, and the other carts' expiries on the way are theirs to list.
            let mut p = predict(&world.one_cart(&cart), "expiry", Action::Wait { ticks: wait });
            p.changes.retain(|ch| ch.rule == Rule::CheckoutExpires.text());
            p.title = "Checkout time-to-live".to_string();
            let when = format_timestamp(rebuilt.clock.time_of(at.max(world.tick + 1)));
            p.summary = if at <= world.tick {
                format!("overdue: the time-to-live has already passed; at the next tick ({when}) the checkout expires")
            } else {
                format!("at {when} (tick {at}, in {wait} tick(s)) the checkout expires, unless it finishes first")
            };
            p
        }
    });
    out
}

/// The flow actions of an `aura` store, each applied to a copy of the world.
fn flow_predictions(world: &World, cart: &str, add: Action) -> Vec<Prediction> {
    let cart = cart.to_string();
    vec![
        predict(
            world,
            "cancel",
            Action::Cancel {
                cart: cart.clone(),
                actor: None,
            },
        ),
        predict(
            world,
            "start_checkout",
            Action::StartCheckout {
                cart: cart.clone(),
                actor: None,
            },
        ),
        predict(world, "add_to_cart", add),
        predict(
            world,
            "continue",
            Action::Continue {
                cart: cart.clone(),
                actor: None,
            },
        ),
    ]
}

/// Writes the text of [`text`], diagnosing one cart at a time from `rebuilt` (with
/// `summary` from [`summary`]), so that only one cart's diagnosis and text are held at
/// once however many carts the records hold.
pub fn write_text(
    rebuilt: &Rebuilt,
    summary: &Diagnosis,
    out: &mut impl std::io::Write,
) -> std::io::Result<()> {
    let mut piece = String::new();
    text_head(summary, rebuilt.world.carts().is_empty(), &mut piece);
    out.write_all(piece.as_bytes())?;
    for c in carts(rebuilt) {
        piece.clear();
        text_cart(summary.lwr, &c, &mut piece);
        out.write_all(piece.as_bytes())?;
    }
    piece.clear();
    text_tail(summary, &mut piece);
    out.write_all(piece.as_bytes())
}

/// Writes the diagnosis as JSON, as `serde_json::to_writer_pretty` writes a whole
/// [`Diagnosis`], diagnosing one cart at a time from `rebuilt` (with `summary` from
/// [`summary`]) as [`write_text`] does.
pub fn write_json(
    rebuilt: &Rebuilt,
    summary: &Diagnosis,
    out: &mut impl std::io::Write,
) -> serde_json::Result<()> {
    use serde::ser::SerializeStruct;
    use std::cell::RefCell;

    type Lazy<'a> = RefCell<Option<Box<dyn Iterator<Item = CartDiagnosis> + 'a>>>;
    struct Carts<'r, 'a>(&'r Lazy<'a>);
    impl Serialize for Carts<'_, '_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let carts = self.0.borrow_mut().take();
            s.collect_seq(carts.into_iter().flatten())
        }
    }
    struct Streamed<'a> {
        d: &'a Diagnosis,
        carts: Lazy<'a>,
    }
    // The fields of `Diagnosis`, in its order (a test compares the two).
    impl Serialize for Streamed<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let d = self.d;
            let mut st = s.serialize_struct("Diagnosis", 10)?;
            st.serialize_field("now", &d.now)?;
            st.serialize_field("now_tick", &d.now_tick)?;
            st.serialize_field("tick_minutes", &d.tick_minutes)?;
            st.serialize_field("tick_zero", &d.tick_zero)?;
            st.serialize_field("records", &d.records)?;
            st.serialize_field("carts", &Carts(&self.carts))?;
            st.serialize_field("missing", &d.missing)?;
            st.serialize_field("assumptions", &d.assumptions)?;
            st.serialize_field("notes", &d.notes)?;
            st.serialize_field("lwr", &d.lwr)?;
            st.end()
        }
    }
    let streamed = Streamed {
        d: summary,
        carts: RefCell::new(Some(Box::new(carts(rebuilt)))),
    };
    serde_json::to_writer_pretty(out, &streamed)
}

/// The diagnosis as text a trainer can paste into a ticket.
pub fn text(d: &Diagnosis) -> String {
    let mut out = String::new();
    text_head(d, d.carts.is_empty(), &mut out);
    for c in &d.carts {
        text_cart(d.lwr, c, &mut out);
    }
    text_tail(d, &mut out);
    out
}

/// What the text says before the carts (`d.carts` is not read: `no_carts` says whether
/// there are any).
pub fn text_head(d: &Diagnosis, no_carts: bool, out: &mut String) {
    let mut line = |s: &dyn std::fmt::Display| {
        let _ = writeln!(out, "{s}");
    };
    let counts: Vec<String> = d
        .records
        .iter()
        .map(|c| format!("{} {}", c.records, c.object))
        .collect();
    line(&format_args!(
        "Diagnosis at {} (1 tick = {} minute{}; tick 0 = {}, now = tick {})",
        d.now,
        d.tick_minutes,
        if d.tick_minutes == 1 { "" } else { "s" },
        d.tick_zero,
        d.now_tick
    ));
    line(&format_args!(
        "Records read: {}",
        if counts.is_empty() {
            "none".to_string()
        } else {
            counts.join(", ")
        }
    ));
    if d.lwr {
        line(
            &"LWR store: the storefront calls the Connect REST checkout API; the predictions are those calls, each with its HTTP status and response body.",
        );
    }
    if no_carts {
        line(&"No WebCart in the files: nothing to diagnose per cart.");
    }
}

/// What the text says of one cart; `lwr` as [`Diagnosis::lwr`].
pub fn text_cart(lwr: bool, c: &CartDiagnosis, out: &mut String) {
    let mut line = |s: &dyn std::fmt::Display| {
        let _ = writeln!(out, "{s}");
    };
    line(&"");
    line(&format_args!(
        "WebCart {}{}: {}",
        c.id,
        if c.name.is_empty() {
            String::new()
        } else {
            format!(" {:?}", c.name)
        },
        c.status
    ));
    line(&format_args!("  {}", c.verdict));
    line(&format_args!(
        "  OwnerId {}  AccountId {}  WebStoreId {}",
        c.owner, c.account, c.store
    ));
    line(&format_args!(
        "  TotalProductCount {}  TotalProductAmount {}{}",
        c.total_product_count.as_deref().unwrap_or("?"),
        c.total_product_amount.as_deref().unwrap_or("?"),
        c.last_modified
            .as_ref()
            .map(|t| format!("  LastModifiedDate {t}"))
            .unwrap_or_default()
    ));
    let amounts: Vec<String> = [
        ("TotalChargeAmount", &c.total_charge_amount),
        ("TotalTaxAmount", &c.total_tax_amount),
        ("GrandTotalAmount", &c.grand_total_amount),
        ("PaymentMethodId", &c.payment_method_id),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k} {v}")))
    .collect();
    if !amounts.is_empty() {
        line(&format_args!("  {}", amounts.join("  ")));
    }
    if c.guest {
        line(&format_args!(
            "  A guest's cart: AccountId is a GuestBuyerProfile, so store membership is not judged; GuestEmailAddress {}",
            c.guest_email_address.as_deref().unwrap_or("null")
        ));
    } else if let Some(e) = &c.guest_email_address {
        line(&format_args!("  GuestEmailAddress {e}"));
    }
    for g in &c.delivery_groups {
        let part = |k: &str, v: &Option<String>| {
            format!(
                "{k} {}",
                v.as_deref()
                    .map_or("null".to_string(), |v| format!("{v:?}"))
            )
        };
        line(&format_args!(
            "  CartDeliveryGroup {}: {}, {}, {}, {}, {}",
            g.id,
            part("DeliverToStreet", &g.deliver_to_street),
            part("DeliverToCity", &g.deliver_to_city),
            part("DeliverToPostalCode", &g.deliver_to_postal_code),
            part("DeliverToCountry", &g.deliver_to_country),
            format_args!(
                "DeliveryMethodId {}",
                g.delivery_method_id.as_deref().unwrap_or("null")
            )
        ));
    }
    for p in &c.payment_authorizations {
        line(&format_args!(
            "  PaymentAuthorization {}: Amount {}, Status {}{}",
            p.id,
            p.amount,
            p.status,
            p.payment_group_id
                .as_ref()
                .map(|g| format!(", PaymentGroupId {g}"))
                .unwrap_or_default()
        ));
    }
    for o in &c.orders {
        line(&format_args!(
            "  Order {}: OrderReferenceNumber {}, Status {}",
            o.id,
            o.order_reference_number
                .as_deref()
                .unwrap_or("(not exported)"),
            o.status.as_deref().unwrap_or("(not exported)")
        ));
    }
    match &c.active_session {
        None => line(&"  Active session: none".to_string()),
        Some(s) => {
            line(&format_args!(
                "  Active session {}: {}",
                s.id,
                session_fields(s)
            ));
            if let Some(e) = &s.expires {
                line(&format_args!("    its checkout expires {e} (time-to-live)"));
            }
        }
    }
    if c.archived_sessions.is_empty() {
        line(&"  Archived sessions: none");
    } else {
        line(&format_args!(
            "  Archived sessions ({}):",
            c.archived_sessions.len()
        ));
        for s in &c.archived_sessions {
            line(&format_args!("    {}: {}", s.id, session_fields(s)));
        }
    }
    if let Some(o) = &c.operation {
        let mut text = format!("  Operation named by the active session: {} ", o.id);
        match (&o.name, &o.status) {
            (Some(n), Some(s)) => text.push_str(&format!("{n}: {s} ({})", o.condition)),
            _ if o.condition == "purged" => {
                text.push_str("is not among the exported operations (purged)")
            }
            _ => text.push_str("(no BackgroundOperation records were given)"),
        }
        line(&text);
        if let Some(e) = &o.error {
            line(&format_args!("    Error: {e}"));
        }
        if !o.times.is_empty() {
            line(&format_args!(
                "    {}",
                o.times
                    .iter()
                    .map(|(k, v)| format!("{k} {v}"))
                    .collect::<Vec<_>>()
                    .join("  ")
            ));
        }
    }
    if c.validation.is_empty() {
        line(&"  Validation rows (CartValidationOutput): none");
    } else {
        line(&format_args!(
            "  Validation rows (CartValidationOutput) ({}):",
            c.validation.len()
        ));
        for v in &c.validation {
            line(&format_args!(
                "    {} {} {} {:?}{}{}{}",
                v.id,
                v.level,
                v.kind,
                v.message,
                v.operation
                    .as_ref()
                    .map(|o| format!(" from {o}"))
                    .unwrap_or_default(),
                v.related
                    .as_ref()
                    .map(|r| format!(" about {r}"))
                    .unwrap_or_default(),
                if v.is_dismissed { " (dismissed)" } else { "" }
            ));
        }
    }
    if c.inconsistencies.is_empty() {
        line(&"  Inconsistencies: none");
    } else {
        line(&"  Inconsistencies:");
        for f in &c.inconsistencies {
            line(&format_args!("    - {} [{}]", f.text, f.code));
        }
    }
    line(&if lwr {
        "  What each REST checkout call would answer now (as the cart's owner):".to_string()
    } else {
        "  What would happen now (as the cart's owner):".to_string()
    });
    for p in &c.predictions {
        line(&format_args!("    {}: {}", p.title, p.summary));
        if let Some(request) = &p.request {
            let status = p
                .http
                .map(|h| format!("{h} {}", reason_phrase(h)))
                .unwrap_or_else(|| "no response".to_string());
            line(&format_args!(
                "      call  {request} -> {}",
                status.trim_end()
            ));
        }
        if let Some(sent) = &p.request_body {
            line(&format_args!(
                "      sent  {}",
                crate::scenario::sanitize::line(&sent.to_string())
            ));
        }
        if let Some(body) = &p.body {
            line(&format_args!(
                "      body  {}",
                crate::scenario::sanitize::line(&body.to_string())
            ));
        }
        for ch in &p.changes {
            line(&format_args!("      {}", ch.line));
        }
        if let Some(e) = &p.error {
            line(&format_args!(
                "      {} {}: {}",
                e.code,
                e.http.map(|h| h.to_string()).unwrap_or_default(),
                e.message
            ));
            line(&format_args!("      failed {} {}", e.requirement, e.origin));
            if let Some(r) = &e.reading {
                line(&format_args!("      only in the reading: {r}"));
            }
            if let Some(b) = &e.buyer_sees {
                line(&format_args!("      the buyer sees: {b}"));
            }
        }
    }
}

/// What the text says after the carts.
pub fn text_tail(d: &Diagnosis, out: &mut String) {
    let mut line = |s: &dyn std::fmt::Display| {
        let _ = writeln!(out, "{s}");
    };
    if !d.missing.is_empty() {
        line(&"");
        line(&"Missing from the records:");
        for m in &d.missing {
            line(&format_args!("  - {m}"));
        }
    }
    if !d.notes.is_empty() {
        line(&"");
        line(&"Notes on the files:");
        for n in &d.notes {
            line(&format_args!("  - {n}"));
        }
    }
    line(&"");
    line(&"Assumptions (facts these records cannot show):");
    for a in &d.assumptions {
        line(&format_args!("  - {} [set with {}]", a.fact, a.set_with));
    }
}

fn session_fields(s: &SessionView) -> String {
    let mut parts = vec![
        if s.state.is_empty() {
            "State null".to_string()
        } else {
            format!("State {:?}", s.state)
        },
        format!(
            "NextState {}",
            s.next_state
                .as_deref()
                .map_or("null".to_string(), |n| format!("{n:?}"))
        ),
        format!("IsProcessing {}", s.is_processing),
        format!("IsError {}", s.is_error),
        format!(
            "BackgroundOperationId {}",
            s.background_operation_id.as_deref().unwrap_or("null")
        ),
    ];
    if let Some(o) = &s.order_id {
        parts.push(format!("OrderId {o}"));
    }
    if let Some(r) = &s.order_reference_number {
        parts.push(format!("OrderReferenceNumber {r}"));
    }
    if let Some(c) = &s.created {
        parts.push(format!("CreatedDate {c}"));
    }
    parts.join(", ")
}

/// Whether the cart's store notices an expired checkout only when the buyer returns
/// (`checkout_expiry: on_return`) rather than at the deadline.
fn expires_on_return(world: &World, cart: &str) -> bool {
    world
        .store_of_cart(cart)
        .is_some_and(|s| s.settings.checkout_expiry == crate::engine::CheckoutExpiry::OnReturn)
}
