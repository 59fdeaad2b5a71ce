//! `lwr` stores: the Connect REST checkout API, side by side with the flow of `aura`
//! stores.
//!
//! LWR and headless storefronts do not run checkout as a flow of actions. The storefront
//! calls the REST checkout resources: `PUT /commerce/webstores/{store}/checkouts` gets or
//! creates the checkout (a CartCheckoutSession), the checkout's **calculators** (Pricing,
//! Promotions, Inventory, Shipping, Tax) run one after the other as BackgroundOperations
//! while the storefront polls `GET .../checkouts/{id}` (202 while they run, 200 when
//! done, 422 when one left an Error CartValidationOutput), `PATCH` changes the address,
//! the delivery method or the contact details and reruns the calculators that need it,
//! `POST .../payments` authorizes the payment and `POST .../orders` accepts the order,
//! which is then created asynchronously.
//!
//! Every call answers an HTTP status; [`call`] returns it beside the result, and
//! [`World::apply`](super::World::apply) puts it on the [`Outcome`](super::Outcome).
//! As everywhere in the engine, every check comes before any change, so a refused call
//! changes nothing.

use super::actions::{Action, ActorErrors, check_actor, clear_validation, find_cart};
use super::change::{FieldValue, RecordKind};
use super::checkout::{create_order, launch, settings_of_cart};
use super::errors::{ActionError, ErrorKind};
use super::fields::*;
use super::flow::{CART_TO_ORDER, COMPLETE};
use super::model::*;
use super::money::Money;
use super::rules::Rule;
use super::tx::Tx;
use super::world::{IdKind, World};

named_enum! {
    /// What the payment service answers to `pay` (the step's `outcome`).
    PaymentOutcome {
        /// The payment is authorized.
        Authorized => "authorized",
        /// The payment service declines it.
        Declined => "declined",
    }
}

named_enum! {
    /// The status of the checkout's payment authorization (`PaymentStatus`).
    PaymentStatus {
        /// Authorized for the cart's total at the time.
        Authorized => "Authorized",
        /// Reversed because the buyer paid again.
        Reversed => "Reversed",
        /// No longer valid: the cart's total changed after it.
        Invalidated => "Invalidated",
    }
}

named_enum! {
    /// A checkout calculator (the Cart Calculate API's calculators), in the order a new
    /// checkout runs them.
    Calculator {
        /// Prices the cart.
        Pricing => "Pricing",
        /// Applies promotions.
        Promotions => "Promotions",
        /// Checks inventory.
        Inventory => "Inventory",
        /// Computes shipping (needs an address).
        Shipping => "Shipping",
        /// Computes tax (needs an address).
        Tax => "Tax",
    }
}

impl Calculator {
    /// The BackgroundOperation.Name of its run.
    pub fn operation(self) -> &'static str {
        match self {
            Calculator::Pricing => "Pricing Calculator",
            Calculator::Promotions => "Promotions Calculator",
            Calculator::Inventory => "Inventory Calculator",
            Calculator::Shipping => "Shipping Calculator",
            Calculator::Tax => "Tax Calculator",
        }
    }

    /// The CartValidationOutput.Type its rows carry.
    pub fn row_type(self) -> ValidationType {
        match self {
            Calculator::Pricing => ValidationType::Pricing,
            Calculator::Promotions => ValidationType::Promotions,
            Calculator::Inventory => ValidationType::Inventory,
            Calculator::Shipping => ValidationType::Shipping,
            Calculator::Tax => ValidationType::Taxes,
        }
    }
}

/// Ticks each calculator takes (cartsim's choice: real calculators take real time).
pub const CALCULATOR_TICKS: u64 = 1;
/// Ticks the asynchronous cart-to-order takes after place order (cartsim's choice).
pub const CART_TO_ORDER_TICKS: u64 = 1;
/// The session's State when no calculator runs (cartsim's choice of name).
pub const READY: &str = "Ready";
/// The session's State while the order is created.
pub const PLACING_ORDER: &str = "Cart To Order";
/// The calculators a new checkout, or an item change, reruns without an address.
pub const ITEM_CALCULATORS: &[Calculator] = &[
    Calculator::Pricing,
    Calculator::Promotions,
    Calculator::Inventory,
];

/// The payment authorization a checkout holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Payment {
    /// Its status.
    pub status: PaymentStatus,
    /// The amount authorized: the cart's TotalProductAmount when the buyer paid.
    pub amount: Money,
    /// The cart's version when the buyer paid (a later save by custom code is the
    /// documented "payment processed but not saved to the cart").
    pub cart_version: u64,
}

/// What an `lwr` store's REST checkout keeps on its CartCheckoutSession besides the
/// session's own fields.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RestCheckout {
    /// Calculators still to run after the one running now.
    pub pending: Vec<Calculator>,
    /// The shipping address given with PATCH.
    pub shipping_address: Option<String>,
    /// The delivery method given with PATCH.
    pub delivery_method: Option<String>,
    /// The contact details given with PATCH (guests must give them).
    pub contact: Option<String>,
    /// The payment authorization.
    pub payment: Option<Payment>,
    /// CartCheckoutSession.OrderReferenceNumber, once place order accepted the order.
    pub order_reference: Option<String>,
    /// True once DELETE ended the checkout.
    pub deleted: bool,
}

/// Reads the REST checkout's fields of a session.
pub fn session_field(s: &CartCheckoutSession, field: SessionField) -> FieldValue {
    let r = &s.rest;
    match field {
        SessionField::OrderReferenceNumber => FieldValue::opt_text(&r.order_reference),
        SessionField::ShippingAddress => FieldValue::opt_text(&r.shipping_address),
        SessionField::DeliveryMethod => FieldValue::opt_text(&r.delivery_method),
        SessionField::ContactInfo => FieldValue::opt_text(&r.contact),
        SessionField::PaymentStatus => {
            FieldValue::opt_text(&r.payment.map(|p| p.status.as_str().to_string()))
        }
        _ => FieldValue::Null,
    }
}

/// A REST call's answer: its status (or refusal) and the request line.
pub(crate) struct Call {
    /// The HTTP status of a success, or the refusal.
    pub result: Result<u16, ActionError>,
    /// `PUT /commerce/webstores/west/checkouts`; `None` for a flow action refused here.
    pub request: Option<String>,
}

/// The reason phrase of an HTTP status, as a browser's network tab shows it.
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        410 => "Gone",
        412 => "Precondition Failed",
        422 => "Unprocessable Entity",
        423 => "Locked",
        500 => "Internal Server Error",
        _ => "",
    }
}

/// Whether a session's cart belongs to an `lwr` store.
pub(crate) fn is_lwr_session(world: &World, session_id: &str) -> bool {
    world
        .session(session_id)
        .is_some_and(|s| settings_of_cart(world, &s.cart).template == Template::Lwr)
}

/// Whether an action is one of the REST checkout calls.
pub fn is_rest(action: &Action) -> bool {
    matches!(
        action,
        Action::CheckoutStart { .. }
            | Action::CheckoutPoll { .. }
            | Action::CheckoutUpdate { .. }
            | Action::CheckoutDelete { .. }
            | Action::Pay { .. }
            | Action::PlaceOrder { .. }
    )
}

/// The request line of a REST call, as the browser's network tab or a HAR file shows
/// it, against the world before the call: the checkout's id where the cart has one (the
/// id the storefront still holds after it ended), else `active`, which the API accepts
/// in its place.
pub fn request_line(world: &World, action: &Action) -> Option<String> {
    let cart = action.cart()?;
    let store = world.cart(cart).map_or("?", |c| c.store.as_str());
    let base = format!("/commerce/webstores/{store}/checkouts");
    let id = world
        .active_session(cart)
        .or_else(|| world.sessions_of(cart).last())
        .map_or("active".to_string(), |s| s.id.clone());
    Some(match action {
        Action::CheckoutStart { .. } => format!("PUT {base}"),
        Action::CheckoutPoll { .. } => format!("GET {base}/{id}"),
        Action::CheckoutUpdate { .. } => format!("PATCH {base}/{id}"),
        Action::CheckoutDelete { .. } => format!("DELETE {base}/{id}"),
        Action::Pay { .. } => format!("POST {base}/{id}/payments"),
        Action::PlaceOrder { .. } => format!("POST {base}/{id}/orders"),
        _ => return None,
    })
}

/// Runs a REST call, or refuses a checkout flow action in an `lwr` store; `None` for
/// every other action, which the flow engine runs.
pub(crate) fn call(tx: &mut Tx, action: &Action) -> Option<Call> {
    match action {
        Action::StartCheckout { cart, .. } | Action::Continue { cart, .. } => {
            let lwr = settings_of_cart(tx.world, cart).template == Template::Lwr;
            let known = tx.world.cart(cart).is_some();
            (lwr && known).then(|| Call {
                result: Err(ActionError::new(
                    ErrorKind::FlowActionInLwrStore,
                    format!(
                        "{cart} is in an lwr store, which runs no checkout flow; expected the REST calls (checkout_start, checkout_poll, ...)"
                    ),
                )),
                request: None,
            })
        }
        _ if is_rest(action) => {
            let request = request_line(tx.world, action);
            Some(Call {
                result: run(tx, action),
                request,
            })
        }
        _ => None,
    }
}

/// Runs one REST call: the cart, its store's template, the actor, then the call.
pub(crate) fn run(tx: &mut Tx, action: &Action) -> Result<u16, ActionError> {
    let (Some(cart_id), actor) = (action.cart(), action.actor()) else {
        return Ok(200);
    };
    let world = &*tx.world;
    let cart = find_cart(world, cart_id)?;
    if settings_of_cart(world, cart_id).template != Template::Lwr {
        return Err(ActionError::new(
            ErrorKind::RestInAuraStore,
            format!(
                "{cart_id} is in store {}, an aura store: it runs checkout as a flow (start_checkout, continue)",
                cart.store
            ),
        ));
    }
    check_actor(
        world,
        cart,
        actor,
        Permission::Checkout,
        ActorErrors {
            permission: ErrorKind::RestNoPermission,
            account: ErrorKind::RestInvalidEffectiveAccount,
            member: ErrorKind::RestNotStoreMember,
            access: ErrorKind::RestNoCartAccess,
        },
    )?;
    let cart_id = cart_id.to_string();
    match action {
        Action::CheckoutStart { .. } => start(tx, &cart_id),
        Action::CheckoutPoll { .. } => poll(tx.world, &cart_id),
        Action::CheckoutUpdate {
            shipping_address,
            delivery_method,
            contact,
            ..
        } => update(
            tx,
            &cart_id,
            shipping_address.as_deref(),
            delivery_method.as_deref(),
            contact.as_deref(),
        ),
        Action::CheckoutDelete { .. } => delete(tx, &cart_id),
        Action::Pay { outcome, .. } => pay(tx, &cart_id, *outcome),
        Action::PlaceOrder { .. } => place_order(tx, &cart_id),
        _ => Ok(200),
    }
}

/// PUT: returns the cart's checkout, or creates one and runs the calculators.
fn start(tx: &mut Tx, cart_id: &str) -> Result<u16, ActionError> {
    let world = &*tx.world;
    let cart = find_cart(world, cart_id)?;
    let settings = settings_of_cart(world, cart_id);
    if settings.checkout_ttl == Some(0) {
        return Err(ActionError::new(
            ErrorKind::RestCheckoutDisabled,
            format!(
                "store {}'s CheckoutTimeToLive is 0: checkout is disabled",
                cart.store
            ),
        ));
    }
    if let Some(session) = world.active_session(cart_id) {
        let status = if session.is_processing { 202 } else { 200 };
        let text = format!(
            "the existing checkout is returned (State {}, IsProcessing {})",
            session.state, session.is_processing
        );
        let id = session.id.clone();
        tx.noted(
            RecordKind::CartCheckoutSession,
            &id,
            text,
            Rule::RestCheckoutReturned,
        );
        return Ok(status);
    }
    if !matches!(cart.status, CartStatus::Active | CartStatus::Checkout) {
        return Err(ActionError::new(
            ErrorKind::RestCartNotActiveOrCheckout,
            format!("{cart_id} is {} and has no checkout to return", cart.status),
        ));
    }
    if settings.validation_on_start == ValidationOnStart::Clear {
        clear_validation(tx, cart_id);
    }
    let session_id = tx.world.next_id(IdKind::Session);
    let now = tx.world.tick;
    tx.world.sessions.push(CartCheckoutSession {
        id: session_id.clone(),
        cart: cart_id.to_string(),
        state: READY.to_string(),
        started_at: now,
        ..CartCheckoutSession::default()
    });
    tx.created(
        RecordKind::CartCheckoutSession,
        &session_id,
        format!("the checkout of {cart_id}"),
        Rule::RestCheckoutCreated,
    );
    tx.edit(
        cart_id,
        &[CartField::Status],
        Rule::RestCheckoutCreated,
        |c| c.status = CartStatus::Checkout,
    );
    run_calculators(tx, &session_id, ITEM_CALCULATORS, Rule::RestCheckoutCreated);
    Ok(202)
}

/// The cart's checkout, or 410 when it expired, or 404.
fn checkout_of<'w>(
    world: &'w World,
    cart_id: &str,
) -> Result<&'w CartCheckoutSession, ActionError> {
    if let Some(session) = world.active_session(cart_id) {
        return Ok(session);
    }
    let last = world.sessions_of(cart_id).last();
    let ttl = settings_of_cart(world, cart_id)
        .checkout_ttl
        .filter(|t| *t > 0);
    if let (Some(last), Some(ttl)) = (last, ttl)
        && !last.rest.deleted
        && last.started_at.saturating_add(ttl) <= world.tick
    {
        return Err(ActionError::new(
            ErrorKind::RestGone,
            format!(
                "{}, the checkout of {cart_id}, expired at tick {} (CheckoutTimeToLive {ttl})",
                last.id,
                last.started_at.saturating_add(ttl)
            ),
        ));
    }
    Err(ActionError::new(
        ErrorKind::RestNotFound,
        match last {
            Some(last) => format!("{cart_id} has no checkout: {} has ended", last.id),
            None => format!("{cart_id} has no checkout: none was started"),
        },
    ))
}

/// The cart's Error-level CartValidationOutput rows that are not dismissed.
fn error_rows<'w>(world: &'w World, cart_id: &'w str) -> Vec<&'w CartValidationOutput> {
    world
        .validation_outputs_of(cart_id)
        .filter(|v| v.level == ValidationLevel::Error && !v.is_dismissed)
        .collect()
}

/// GET: 202 while a calculator runs, 422 after an Error row, else 200. Reads only.
fn poll(world: &World, cart_id: &str) -> Result<u16, ActionError> {
    let session = checkout_of(world, cart_id)?;
    if session.is_processing {
        return Ok(202);
    }
    if let Some(row) = error_rows(world, cart_id).first() {
        return Err(ActionError::new(
            ErrorKind::RestCalculatorFailed,
            format!("{} {} {}: {}", row.id, row.level, row.kind, row.message),
        ));
    }
    Ok(200)
}

/// The checks every call that changes the checkout makes: it exists (404, 410), the
/// order is not being placed (423), and no calculator runs (409).
fn changeable<'w>(world: &'w World, cart_id: &str) -> Result<&'w CartCheckoutSession, ActionError> {
    let session = checkout_of(world, cart_id)?;
    let cart = find_cart(world, cart_id)?;
    if session.rest.order_reference.is_some()
        || matches!(cart.status, CartStatus::PendingClosed | CartStatus::Closed)
    {
        return Err(ActionError::new(
            ErrorKind::RestLocked,
            format!(
                "{cart_id} is {}: its order {} is being placed",
                cart.status,
                session.rest.order_reference.as_deref().unwrap_or("(none)")
            ),
        ));
    }
    if session.is_processing {
        return Err(conflict(session, cart_id));
    }
    Ok(session)
}

fn conflict(session: &CartCheckoutSession, cart_id: &str) -> ActionError {
    ActionError::new(
        ErrorKind::RestConflict,
        format!(
            "{cart_id} is locked for updates: {} is running the {} calculator ({})",
            session.id,
            session.state,
            session.background_operation_id.as_deref().unwrap_or("null")
        ),
    )
}

/// PATCH: sets the address, the delivery method and/or the contact details, and
/// reruns the calculators they need.
fn update(
    tx: &mut Tx,
    cart_id: &str,
    address: Option<&str>,
    method: Option<&str>,
    contact: Option<&str>,
) -> Result<u16, ActionError> {
    // A PATCH with nothing in it (the loader refuses one in a file) changes nothing.
    let id = changeable(tx.world, cart_id)?.id.clone();
    let mut calculators = Vec::new();
    let mut rule = Rule::ContactGiven;
    if let Some(contact) = contact {
        tx.edit(&id, &[SessionField::ContactInfo], Rule::ContactGiven, |s| {
            s.rest.contact = Some(contact.to_string());
        });
    }
    if let Some(method) = method {
        tx.edit(
            &id,
            &[SessionField::DeliveryMethod],
            Rule::DeliveryMethodRerunsTax,
            |s| s.rest.delivery_method = Some(method.to_string()),
        );
        calculators = vec![Calculator::Tax];
        rule = Rule::DeliveryMethodRerunsTax;
    }
    if let Some(address) = address {
        tx.edit(
            &id,
            &[SessionField::ShippingAddress],
            Rule::AddressRerunsShippingTax,
            |s| s.rest.shipping_address = Some(address.to_string()),
        );
        calculators = vec![Calculator::Shipping, Calculator::Tax];
        rule = Rule::AddressRerunsShippingTax;
    }
    if calculators.is_empty() {
        return Ok(200);
    }
    run_calculators(tx, &id, &calculators, rule);
    Ok(202)
}

/// DELETE: archives the checkout and makes the cart Active again.
fn delete(tx: &mut Tx, cart_id: &str) -> Result<u16, ActionError> {
    let id = changeable(tx.world, cart_id)?.id.clone();
    tx.edit(
        &id,
        &[SessionField::IsArchived],
        Rule::RestCheckoutDeleted,
        |s| {
            s.is_archived = true;
            s.rest.deleted = true;
            s.rest.pending.clear();
        },
    );
    tx.edit(
        cart_id,
        &[CartField::Status],
        Rule::RestCheckoutDeleted,
        |c| c.status = CartStatus::Active,
    );
    Ok(204)
}

/// POST payments: authorizes the cart's total, reversing an earlier authorization.
fn pay(tx: &mut Tx, cart_id: &str, outcome: PaymentOutcome) -> Result<u16, ActionError> {
    let session = changeable(tx.world, cart_id)?;
    if outcome == PaymentOutcome::Declined {
        return Err(ActionError::new(
            ErrorKind::RestPaymentDeclined,
            format!(
                "the payment service declined the authorization for {cart_id}; {} keeps what it had",
                session.id
            ),
        ));
    }
    let id = session.id.clone();
    let earlier = session.rest.payment;
    let cart = find_cart(tx.world, cart_id)?;
    let amount = tx.world.total_product_amount(cart);
    let cart_version = cart.version;
    if let Some(p) = earlier.filter(|p| p.status == PaymentStatus::Authorized) {
        tx.edit(
            &id,
            &[SessionField::PaymentStatus],
            Rule::PaymentReversed,
            |s| {
                s.rest.payment = Some(Payment {
                    status: PaymentStatus::Reversed,
                    ..p
                });
            },
        );
    }
    tx.edit(
        &id,
        &[SessionField::PaymentStatus],
        Rule::PaymentAuthorized,
        |s| {
            s.rest.payment = Some(Payment {
                status: PaymentStatus::Authorized,
                amount,
                cart_version,
            });
        },
    );
    tx.noted(
        RecordKind::CartCheckoutSession,
        &id,
        format!("payment authorized for {amount}"),
        Rule::PaymentAuthorized,
    );
    Ok(200)
}

/// The next OrderReferenceNumber: `orn-1`, `orn-2`, ...
fn next_reference(world: &World) -> String {
    let used = world
        .sessions
        .iter()
        .filter(|s| s.rest.order_reference.is_some())
        .count();
    let mut n = used + 1;
    loop {
        let id = format!("orn-{n}");
        let taken = world.id_in_use(&id)
            || world
                .sessions
                .iter()
                .any(|s| s.rest.order_reference.as_deref() == Some(&id));
        if !taken {
            return id;
        }
        n += 1;
    }
}

/// POST orders: checks in the order the docs list the errors (409, 412, 422), then
/// accepts the order; cart-to-order runs asynchronously.
fn place_order(tx: &mut Tx, cart_id: &str) -> Result<u16, ActionError> {
    let world = &*tx.world;
    let session = checkout_of(world, cart_id)?;
    if let Some(reference) = &session.rest.order_reference {
        let text = format!("the order was already accepted: {reference} is returned again");
        let id = session.id.clone();
        tx.noted(
            RecordKind::CartCheckoutSession,
            &id,
            text,
            Rule::OrderReferenceReturned,
        );
        return Ok(200);
    }
    let cart = find_cart(world, cart_id)?;
    if session.is_processing {
        return Err(conflict(session, cart_id));
    }
    let guest = world.buyer(&cart.buyer).is_some_and(|b| b.guest);
    if guest && session.rest.contact.is_none() {
        return Err(ActionError::new(
            ErrorKind::PlaceOrderNoContact,
            format!(
                "{} is a guest and {} has no contact details (email, phone)",
                cart.buyer, session.id
            ),
        ));
    }
    if session.rest.delivery_method.is_none() {
        return Err(ActionError::new(
            ErrorKind::PlaceOrderNoDeliveryMethod,
            format!("{} has no delivery method", session.id),
        ));
    }
    if let Some(row) = error_rows(world, cart_id).first() {
        return Err(ActionError::new(
            ErrorKind::PlaceOrderValidationErrors,
            format!("{} {} {}: {}", row.id, row.level, row.kind, row.message),
        ));
    }
    let payment = match session.rest.payment {
        Some(p) if p.status == PaymentStatus::Authorized => p,
        other => {
            return Err(ActionError::new(
                ErrorKind::PlaceOrderPaymentNotAuthorized,
                match other {
                    Some(p) => format!("{}'s payment is {}", session.id, p.status),
                    None => format!("{} has no payment", session.id),
                },
            ));
        }
    };
    if payment.cart_version != cart.version {
        return Err(ActionError::new(
            ErrorKind::PlaceOrderCartChangedAfterPayment,
            format!(
                "{cart_id} was saved after the payment was authorized (version {} then, {} now): the payment was processed but not saved to the cart",
                payment.cart_version, cart.version
            ),
        ));
    }
    let id = session.id.clone();
    let reference = next_reference(world);
    tx.edit(
        &id,
        &[SessionField::OrderReferenceNumber],
        Rule::OrderAccepted,
        |s| s.rest.order_reference = Some(reference),
    );
    tx.edit(cart_id, &[CartField::Status], Rule::OrderAccepted, |c| {
        c.status = CartStatus::PendingClosed;
    });
    tx.edit(
        &id,
        &[SessionField::State, SessionField::NextState],
        Rule::OrderAccepted,
        |s| {
            s.state = PLACING_ORDER.to_string();
            s.next_state = Some(COMPLETE.to_string());
        },
    );
    let op = launch(
        tx,
        CART_TO_ORDER,
        CART_TO_ORDER_TICKS,
        Some(cart_id.to_string()),
        Rule::OrderAccepted,
    );
    tx.edit(
        &id,
        &[
            SessionField::IsProcessing,
            SessionField::BackgroundOperationId,
        ],
        Rule::OrderAccepted,
        |s| {
            s.is_processing = true;
            s.background_operation_id = Some(op);
        },
    );
    Ok(201)
}

/// Launches the first of `calculators` and queues the rest (replacing any queue).
fn run_calculators(tx: &mut Tx, session_id: &str, calculators: &[Calculator], rule: Rule) {
    let Some((first, rest)) = calculators.split_first() else {
        return;
    };
    let rest = rest.to_vec();
    tx.edit(session_id, &[SessionField::IsError], rule, |s| {
        s.rest.pending = rest;
        s.is_error = false;
    });
    run_calculator(tx, session_id, *first, rule);
}

/// Runs one calculator: it first deletes its type's rows from its earlier run, then
/// works as a BackgroundOperation while the session waits (IsProcessing).
fn run_calculator(tx: &mut Tx, session_id: &str, calculator: Calculator, rule: Rule) {
    let Some(session) = tx.world.session(session_id) else {
        return;
    };
    let cart = session.cart.clone();
    let next = session
        .rest
        .pending
        .first()
        .map_or(READY.to_string(), |c| c.as_str().to_string());
    let row_type = calculator.row_type();
    super::actions::remove_validation_rows(
        tx,
        &cart,
        |v| v.kind == row_type,
        Rule::CalculatorClearsRows,
    );
    tx.edit(
        session_id,
        &[SessionField::State, SessionField::NextState],
        rule,
        |s| {
            s.state = calculator.as_str().to_string();
            s.next_state = Some(next);
        },
    );
    let op = launch(
        tx,
        calculator.operation(),
        CALCULATOR_TICKS,
        Some(cart),
        Rule::CalculatorRuns,
    );
    tx.edit(
        session_id,
        &[
            SessionField::IsProcessing,
            SessionField::BackgroundOperationId,
        ],
        Rule::CalculatorRuns,
        |s| {
            s.is_processing = true;
            s.background_operation_id = Some(op);
        },
    );
}

/// An operation an `lwr` checkout waited on finished: the next calculator runs, or the
/// checkout is ready; after an Error the chain stops; after cart-to-order the order
/// exists and the cart is Closed.
pub(crate) fn operation_finished(tx: &mut Tx, session_id: &str, op_id: &str, failed: bool) {
    let order = tx
        .world
        .operation(op_id)
        .is_some_and(|o| o.name == CART_TO_ORDER);
    let Some(cart) = tx.world.session(session_id).map(|s| s.cart.clone()) else {
        return;
    };
    if order && !failed {
        create_order(tx, session_id, Rule::AsyncOrderCreated);
        tx.edit(
            session_id,
            &[
                SessionField::State,
                SessionField::NextState,
                SessionField::IsProcessing,
            ],
            Rule::AsyncOrderCreated,
            |s| {
                s.state = COMPLETE.to_string();
                s.next_state = None;
                s.is_processing = false;
            },
        );
        tx.edit(&cart, &[CartField::Status], Rule::AsyncOrderCreated, |c| {
            c.status = CartStatus::Closed;
        });
        return;
    }
    if failed {
        // An Error row stops the chain; the checkout stays usable.
        let state = if order { PLACING_ORDER } else { READY };
        tx.edit(
            session_id,
            &[
                SessionField::State,
                SessionField::NextState,
                SessionField::IsProcessing,
            ],
            Rule::CalculatorChainStops,
            |s| {
                s.state = state.to_string();
                s.next_state = None;
                s.is_processing = false;
                s.rest.pending.clear();
            },
        );
        return;
    }
    let next = tx
        .world
        .session(session_id)
        .and_then(|s| s.rest.pending.first().copied());
    match next {
        Some(calculator) => {
            tx.edit(
                session_id,
                &[SessionField::IsError],
                Rule::CalculatorRuns,
                |s| {
                    s.rest.pending.remove(0);
                },
            );
            run_calculator(tx, session_id, calculator, Rule::CalculatorRuns);
        }
        None => tx.edit(
            session_id,
            &[
                SessionField::State,
                SessionField::NextState,
                SessionField::IsProcessing,
            ],
            Rule::CalculatorsDone,
            |s| {
                s.state = READY.to_string();
                s.next_state = None;
                s.is_processing = false;
            },
        ),
    }
}

/// Add to cart in an `lwr` store: refused (409) while a calculator runs, since the
/// cart is locked for updates.
pub(crate) fn check_cart_change(world: &World, cart_id: &str) -> Result<(), ActionError> {
    match world.active_session(cart_id) {
        Some(session) if session.is_processing => Err(ActionError::new(
            ErrorKind::AddWhileCalculating,
            format!(
                "{cart_id} is locked for updates: {} is running the {} calculator",
                session.id, session.state
            ),
        )),
        _ => Ok(()),
    }
}

/// Simplified Cart Cleanup: after an item change in checkout the cart stays in
/// Checkout and the calculators an item change needs run again; an authorized payment
/// for another total no longer holds.
pub(crate) fn after_item_change(tx: &mut Tx, cart_id: &str) {
    let Some(session) = tx.world.active_session(cart_id) else {
        return;
    };
    let id = session.id.clone();
    let address = session.rest.shipping_address.is_some();
    let payment = session.rest.payment;
    let total = tx
        .world
        .cart(cart_id)
        .map(|c| tx.world.total_product_amount(c))
        .unwrap_or_default();
    if let Some(p) = payment.filter(|p| p.status == PaymentStatus::Authorized && p.amount != total)
    {
        tx.edit(
            &id,
            &[SessionField::PaymentStatus],
            Rule::PaymentInvalidated,
            |s| {
                s.rest.payment = Some(Payment {
                    status: PaymentStatus::Invalidated,
                    ..p
                });
            },
        );
    }
    let mut calculators = ITEM_CALCULATORS.to_vec();
    if address {
        calculators.extend([Calculator::Shipping, Calculator::Tax]);
    }
    run_calculators(tx, &id, &calculators, Rule::ItemChangeReruns);
}
