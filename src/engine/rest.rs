//! `lwr` stores: the Connect REST checkout API, side by side with the flow of `aura`
//! stores, with the records an org keeps for it.
//!
//! LWR and headless storefronts do not run checkout as a flow of actions. The storefront
//! calls the REST checkout resources: `PUT /commerce/webstores/{store}/checkouts` gets or
//! creates the checkout (a CartCheckoutSession and its CartDeliveryGroup). A call that
//! must calculate runs **one** Cart Calculate orchestration, one BackgroundOperation that
//! runs the calculators it needs in order (Pricing, Promotions, Inventory, Shipping, Post
//! Shipping, Tax; commerce-extensibility `CartCalculateSample.cls`) and stops at the first
//! Error-level CartValidationOutput, while the storefront polls `GET .../checkouts/{id}`
//! (202 while it runs, 200 when done, 422 when it left an Error row). `PATCH` changes the
//! delivery group's address or delivery method (or a guest's e-mail on the cart), `POST
//! .../payments` makes a PaymentAuthorization for the cart's GrandTotalAmount, and `POST
//! .../orders` (or Place Order V2, `.../orders/actions`) accepts the order, which is then
//! created asynchronously.
//!
//! Every call answers an HTTP status and a response body as the Connect API shapes them;
//! [`World::apply`](super::World::apply) puts both on the [`Outcome`](super::Outcome).
//! Every check comes before any change, so a refused call changes nothing, except what
//! the platform itself records on the way: a declined payment's Failed
//! PaymentAuthorization, and the save of custom code that ran inside the call.

use super::actions::{Action, ActorErrors, check_actor, clear_validation, find_cart};
use super::change::{FieldValue, RecordKind};
use super::checkout::{create_order, launch, restart_expired, settings_of_cart};
use super::errors::{ActionError, ErrorKind};
use super::fields::*;
use super::flow::CART_TO_ORDER;
use super::id::Id;
use super::model::*;
use super::money::Money;
use super::rules::Rule;
use super::tx::Tx;
use super::world::{IdKind, World};
use serde_json::{Value, json};

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
    /// Place Order V2's two actions (`POST .../orders/actions`).
    PlaceOrderStep {
        /// Validations and readiness checks (delivery method), before payment.
        Prepare => "prepare",
        /// Payment validation and the order, after payment.
        Submit => "submit",
    }
}

named_enum! {
    /// A calculator of the Cart Calculate orchestration, in the order it runs them.
    Calculator {
        /// Prices the cart.
        Pricing => "Pricing",
        /// Applies promotions.
        Promotions => "Promotions",
        /// Checks inventory.
        Inventory => "Inventory",
        /// Finds the delivery methods and their charges (needs an address).
        Shipping => "Shipping",
        /// Applies the selected delivery method's charge.
        PostShipping => "Post Shipping",
        /// Computes tax (needs an address).
        Tax => "Tax",
    }
}

impl Calculator {
    /// The CartValidationOutput.Type its rows carry.
    pub fn row_type(self) -> ValidationType {
        match self {
            Calculator::Pricing => ValidationType::Pricing,
            Calculator::Promotions => ValidationType::Promotions,
            Calculator::Inventory => ValidationType::Inventory,
            Calculator::Shipping | Calculator::PostShipping => ValidationType::Shipping,
            Calculator::Tax => ValidationType::Taxes,
        }
    }
}

/// BackgroundOperation.Name of the Cart Calculate orchestration (cartsim's choice: the
/// docs name no value).
pub const CART_CALCULATE: &str = "Cart Calculate";
/// Ticks each calculator takes (cartsim's choice: real calculators take real time).
pub const CALCULATOR_TICKS: u64 = 1;
/// Ticks the asynchronous cart-to-order takes after place order (cartsim's choice).
pub const CART_TO_ORDER_TICKS: u64 = 1;
/// The calculators every item calculation runs.
pub const ITEM_CALCULATORS: &[Calculator] = &[
    Calculator::Pricing,
    Calculator::Promotions,
    Calculator::Inventory,
];
/// The calculators that need an address.
pub const ADDRESS_CALCULATORS: &[Calculator] = &[
    Calculator::Shipping,
    Calculator::PostShipping,
    Calculator::Tax,
];
/// The calculators a delivery method alone reruns.
pub const METHOD_CALCULATORS: &[Calculator] = &[Calculator::PostShipping, Calculator::Tax];

/// What an `lwr` checkout keeps on its CartCheckoutSession besides the session's fields
/// (simulator-only, except OrderReferenceNumber).
#[derive(Debug, Clone, PartialEq, Eq, Default, Hash)]
pub struct RestCheckout {
    /// CartCheckoutSession.OrderReferenceNumber, once place order accepted the order.
    pub order_reference: Option<String>,
    /// True once DELETE ended the checkout.
    pub deleted: bool,
    /// Place Order V2: `prepare` succeeded since the last calculation (`~prepared`).
    pub prepared: bool,
    /// True once the checkout expired (`checkout_expiry: eager`), so that a later call
    /// answers 410.
    pub expired: bool,
}

/// The changes a PATCH asks for (`checkout_update`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CheckoutPatch {
    /// The shipping address (reruns Shipping, Post Shipping and Tax).
    pub shipping_address: Option<Address>,
    /// The delivery method's id (reruns Post Shipping and Tax).
    pub delivery_method: Option<String>,
    /// A guest's contact e-mail (WebCart.GuestEmailAddress; calculates nothing).
    pub contact: Option<String>,
}

/// Reads the REST checkout's fields of a session.
pub fn session_field(s: &CartCheckoutSession, field: SessionField) -> FieldValue {
    match field {
        SessionField::OrderReferenceNumber => FieldValue::opt_text(&s.rest.order_reference),
        SessionField::Prepared => FieldValue::Bool(s.rest.prepared),
        _ => FieldValue::Null,
    }
}

/// A REST call's answer: its status (or refusal), the request line and the body.
pub(crate) struct Call {
    /// The HTTP status of a success, or the refusal.
    pub result: Result<u16, ActionError>,
    /// `PUT /commerce/webstores/west/checkouts`; `None` for a flow action refused here.
    pub request: Option<String>,
    /// The response body as the Connect API returns it; `None` for a 204 or a flow
    /// action refused here.
    pub body: Option<Value>,
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
    action.request().is_some()
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
        .map_or("active".to_string(), |s| s.id.to_string());
    // The path comes from the step-kind table; only `{id}` is filled in.
    let (method, path) = action.request()?;
    Some(format!("{method} {base}{}", path.replace("{id}", &id)))
}

/// The request body a REST call sends, where it sends one.
pub fn request_body(action: &Action) -> Option<Value> {
    match action {
        Action::CheckoutUpdate { patch, .. } => {
            let mut body = serde_json::Map::new();
            if let Some(a) = &patch.shipping_address {
                body.insert("deliveryAddress".into(), address_json(a));
            }
            if let Some(m) = &patch.delivery_method {
                body.insert("deliveryMethodId".into(), json!(m));
            }
            if let Some(c) = &patch.contact {
                body.insert("contactInfo".into(), json!({ "email": c }));
            }
            Some(Value::Object(body))
        }
        Action::Pay { .. } => Some(json!({ "requestType": "Auth" })),
        Action::PlaceOrder {
            step: Some(step), ..
        } => Some(json!({ "actions": [{ "action": step.as_str() }] })),
        _ => None,
    }
}

fn address_json(a: &Address) -> Value {
    json!({
        "street": a.street,
        "city": a.city,
        "postalCode": a.postal_code,
        "country": a.country,
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
                body: None,
            })
        }
        _ if is_rest(action) => {
            // A search that reads only the result is spared the call's text.
            let bare = super::tx::bare();
            let request = (!bare).then(|| request_line(tx.world, action)).flatten();
            let result = run(tx, action);
            let body = (!bare)
                .then(|| response_body(tx.world, action, &result))
                .flatten();
            Some(Call {
                result,
                request,
                body,
            })
        }
        _ => None,
    }
}

/// The response body of a call: the Checkout output for PUT, GET and PATCH, the order
/// reference for place order, nothing for DELETE's 204, and the platform's error list
/// (`[{"errorCode", "message"}]`) for a refusal.
fn response_body(
    world: &World,
    action: &Action,
    result: &Result<u16, ActionError>,
) -> Option<Value> {
    let cart = action.cart()?;
    match result {
        // The platform's own words where a source gives them, else cartsim's account.
        Err(e) => Some(json!([{
            "errorCode": e.code(),
            "message": e.buyer_message().map_or(e.message.clone(), |m| m.text.to_string()),
        }])),
        Ok(204) => None,
        Ok(status) => Some(match action {
            Action::CheckoutStart { .. }
            | Action::CheckoutPoll { .. }
            | Action::CheckoutUpdate { .. } => checkout_output(world, cart, *status),
            Action::PlaceOrder {
                step: Some(PlaceOrderStep::Prepare),
                ..
            } => json!({}),
            Action::PlaceOrder { .. } => json!({
                "orderReferenceNumber": world
                    .active_session(cart)
                    .or_else(|| world.sessions_of(cart).last())
                    .and_then(|s| s.rest.order_reference.clone()),
            }),
            // The Checkout Payment output's fields are not modelled.
            _ => json!({}),
        }),
    }
}

/// The Checkout output (Connect REST): the checkout's id and status, the errors the
/// calculators left, the order reference and the delivery groups.
pub fn checkout_output(world: &World, cart_id: &str, status: u16) -> Value {
    let session = world
        .active_session(cart_id)
        .or_else(|| world.sessions_of(cart_id).last());
    let errors: Vec<Value> = error_rows(world, cart_id)
        .iter()
        .map(|row| json!({ "type": error_type(row.kind), "detail": row.message }))
        .collect();
    let groups: Vec<Value> = session
        .and_then(|s| world.delivery_group_of_session(&s.id))
        .map(|g| {
            let method = g.delivery_method.as_ref().map(|id| {
                let name = world
                    .store_of_cart(cart_id)
                    .and_then(|st| st.delivery_methods.iter().find(|m| &m.id == id))
                    .map_or(id.clone(), |m| m.name.clone());
                json!({ "id": id, "name": name })
            });
            let address = (g.address != Address::default()).then(|| address_json(&g.address));
            json!({ "id": g.id, "deliveryAddress": address, "selectedDeliveryMethod": method })
        })
        .into_iter()
        .collect();
    json!({
        "checkoutId": session.map(|s| s.id),
        "checkoutStatus": status,
        "errors": errors,
        "orderReferenceNumber": session.and_then(|s| s.rest.order_reference.clone()),
        "deliveryGroups": { "items": groups },
    })
}

/// The `type` of an integration error in the Checkout output
/// (`/commerce/integrations/inventory` is the storefront components' example).
fn error_type(kind: ValidationType) -> &'static str {
    match kind {
        ValidationType::Inventory => "/commerce/integrations/inventory",
        ValidationType::Pricing => "/commerce/integrations/pricing",
        ValidationType::Promotions => "/commerce/integrations/promotions",
        ValidationType::Shipping => "/commerce/integrations/shipping",
        ValidationType::Taxes => "/commerce/integrations/tax",
        ValidationType::Entitlement => "/commerce/integrations/entitlement",
        ValidationType::SystemError | ValidationType::Other => "/commerce/errors/checkout",
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
    // Time to live, noticed on return: the buyer's call finds the checkout expired and
    // its integrations run again.
    let rerun = returns_to_expired(tx, &cart_id);
    match action {
        Action::CheckoutStart { .. } => start(tx, &cart_id),
        Action::CheckoutPoll { .. } => poll(tx.world, &cart_id),
        _ if rerun => Err(conflict_on_return(tx.world, &cart_id)),
        Action::CheckoutUpdate { patch, .. } => update(tx, &cart_id, patch),
        Action::CheckoutDelete { .. } => delete(tx, &cart_id),
        Action::Pay { outcome, .. } => pay(tx, &cart_id, *outcome),
        Action::PlaceOrder { step, .. } => place_order(tx, &cart_id, *step),
        _ => Ok(200),
    }
}

/// `checkout_expiry: on_return`: if the cart's checkout has expired (time to live or
/// CheckoutValidAfterDate), its Cart Calculate runs again from the start and its time to
/// live starts over. True when it did.
fn returns_to_expired(tx: &mut Tx, cart_id: &str) -> bool {
    let Some(id) = restart_expired(
        tx,
        cart_id,
        false,
        "the buyer returned to an expired checkout: its time to live starts over",
    ) else {
        return false;
    };
    let calculators = calculators_for_items(tx.world, &id);
    calculate(tx, &id, &calculators, Rule::CheckoutRerunsOnReturn);
    true
}

fn conflict_on_return(world: &World, cart_id: &str) -> ActionError {
    let op = world
        .active_session(cart_id)
        .and_then(|s| s.background_operation_id)
        .unwrap_or_else(|| Id::new("null"));
    ActionError::new(
        ErrorKind::RestExpiredRerun,
        format!(
            "{cart_id}'s checkout had expired: its integrations run again ({op}) and the cart is locked until they finish"
        ),
    )
}

/// Custom code armed to run inside this call (`custom_update` with `during:
/// next_call`) saves the cart; the call answers 409.
fn custom_code_conflict(tx: &mut Tx, cart_id: &str) -> Result<(), ActionError> {
    if !tx.world.cart(cart_id).is_some_and(|c| c.custom_code_armed) {
        return Ok(());
    }
    tx.edit(
        cart_id,
        &[CartField::Version],
        Rule::CustomCodeDuringCall,
        |c| {
            c.version += 1;
            c.touched_by_custom_code = true;
            c.custom_code_armed = false;
            c.last_custom_save = Some(c.version);
        },
    );
    Err(ActionError::new(
        ErrorKind::RestCustomCodeConflict,
        format!("custom code saved {cart_id} while the call ran"),
    ))
}

/// The calculators an item calculation runs on a checkout: Pricing, Promotions and
/// Inventory, and Shipping, Post Shipping and Tax once its delivery group has an address.
fn calculators_for_items(world: &World, session_id: &str) -> Vec<Calculator> {
    let mut calculators = ITEM_CALCULATORS.to_vec();
    let address = world
        .delivery_group_of_session(session_id)
        .is_some_and(|g| g.address != Address::default());
    if address {
        calculators.extend_from_slice(ADDRESS_CALCULATORS);
    }
    calculators
}

/// PUT: returns the cart's checkout, or creates one (with its CartDeliveryGroup) and
/// runs the Cart Calculate.
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
            "the existing checkout is returned (IsProcessing {})",
            session.is_processing
        );
        let id = session.id;
        custom_code_conflict(tx, cart_id)?;
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
    let saved = world
        .buyer(&world.actor_for(cart_id, None).unwrap_or_default())
        .and_then(|b| b.address.clone());
    custom_code_conflict(tx, cart_id)?;
    if settings.validation_on_start == ValidationOnStart::Clear {
        clear_validation(tx, cart_id);
    }
    let session_id = tx.world.next_id(IdKind::Session);
    let now = i64::try_from(tx.world.tick).unwrap_or(i64::MAX);
    tx.world.insert(CartCheckoutSession {
        id: session_id,
        cart: Id::new(cart_id),
        started_at: now,
        ..CartCheckoutSession::default()
    });
    tx.created(
        RecordKind::CartCheckoutSession,
        &session_id,
        format!("the checkout of {cart_id}"),
        Rule::RestCheckoutCreated,
    );
    let group = tx.world.next_id(IdKind::DeliveryGroup);
    let with_address = saved.is_some();
    tx.world.insert(CartDeliveryGroup {
        id: group,
        cart: Id::new(cart_id),
        session: session_id,
        address: saved.clone().unwrap_or_default(),
        delivery_method: None,
    });
    tx.created(
        RecordKind::CartDeliveryGroup,
        &group,
        match &saved {
            Some(a) => format!(
                "of {cart_id}, to the buyer's saved address {}",
                a.one_line()
            ),
            None => format!("of {cart_id}, no address yet"),
        },
        if with_address {
            Rule::SavedAddressUsed
        } else {
            Rule::DeliveryGroupCreated
        },
    );
    tx.edit(
        cart_id,
        &[CartField::Status],
        Rule::RestCheckoutCreated,
        |c| c.status = CartStatus::Checkout,
    );
    tx.edit(
        cart_id,
        &[
            CartField::TotalChargeAmount,
            CartField::TotalTaxAmount,
            CartField::GrandTotalAmount,
        ],
        Rule::NewCheckoutAmounts,
        |c| {
            c.total_charge = Money::ZERO;
            c.total_tax = Money::ZERO;
        },
    );
    let mut calculators = ITEM_CALCULATORS.to_vec();
    let rule = if with_address {
        calculators.extend_from_slice(ADDRESS_CALCULATORS);
        Rule::SavedAddressUsed
    } else {
        Rule::RestCheckoutCreated
    };
    calculate(tx, &session_id, &calculators, rule);
    Ok(202)
}

/// The cart's checkout, or 410 when it expired (`eager`), or 404.
fn checkout_of<'w>(
    world: &'w World,
    cart_id: &str,
) -> Result<&'w CartCheckoutSession, ActionError> {
    if let Some(session) = world.active_session(cart_id) {
        return Ok(session);
    }
    let last = world.sessions_of(cart_id).last();
    if let Some(last) = last
        && last.rest.expired
    {
        return Err(ActionError::new(
            ErrorKind::RestGone,
            format!("{}, the checkout of {cart_id}, expired", last.id),
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

/// GET: 202 while the calculation runs, 422 (ready, with errors) after an Error row,
/// else 200. Reads only.
fn poll(world: &World, cart_id: &str) -> Result<u16, ActionError> {
    let session = checkout_of(world, cart_id)?;
    if session.is_processing {
        return Ok(202);
    }
    if !error_rows(world, cart_id).is_empty() {
        return Ok(422);
    }
    Ok(200)
}

/// The checks every call that changes the checkout makes: it exists (404, 410), the
/// order is not being placed (423), and no calculation runs (409).
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
        return Err(conflict(world, session, cart_id));
    }
    Ok(session)
}

fn conflict(world: &World, session: &CartCheckoutSession, cart_id: &str) -> ActionError {
    let op = session.background_operation_id.as_deref().unwrap_or("null");
    let calculator = world
        .operation(op)
        .and_then(|o| o.current_calculator(world.tick))
        .map_or(String::new(), |c| format!(", now in {c}"));
    ActionError::new(
        ErrorKind::RestConflict,
        format!(
            "{cart_id} is locked for updates: {} is running {op}{calculator}",
            session.id
        ),
    )
}

/// PATCH: sets the delivery group's address and/or delivery method (and a guest's
/// e-mail on the cart), and runs the calculators they need.
fn update(tx: &mut Tx, cart_id: &str, patch: &CheckoutPatch) -> Result<u16, ActionError> {
    let session = changeable(tx.world, cart_id)?;
    let id = session.id;
    let group = tx.world.delivery_group_of_session(&id).map(|g| g.id);
    let method = match &patch.delivery_method {
        Some(m) => {
            let store = tx.world.store_of_cart(cart_id);
            let found = store.and_then(|s| s.delivery_methods.iter().find(|d| &d.id == m));
            match found {
                Some(d) => Some(d.clone()),
                None => {
                    let listed: Vec<&str> = store
                        .map(|s| s.delivery_methods.iter().map(|d| d.id.as_str()).collect())
                        .unwrap_or_default();
                    return Err(ActionError::new(
                        ErrorKind::RestUnknownDeliveryMethod,
                        format!(
                            "{m:?} is not a delivery method of the store; it lists {}",
                            if listed.is_empty() {
                                "none".to_string()
                            } else {
                                listed.join(", ")
                            }
                        ),
                    ));
                }
            }
        }
        None => None,
    };
    custom_code_conflict(tx, cart_id)?;
    if let Some(contact) = &patch.contact {
        tx.edit(
            cart_id,
            &[CartField::GuestEmailAddress],
            Rule::ContactGiven,
            |c| c.guest_email = Some(contact.clone()),
        );
    }
    let mut calculators: &[Calculator] = &[];
    let mut rule = Rule::ContactGiven;
    if let (Some(address), Some(group)) = (&patch.shipping_address, &group) {
        tx.edit(
            group,
            DeliveryGroupField::ADDRESS,
            Rule::AddressRerunsShippingTax,
            |g| {
                g.address = address.clone();
            },
        );
        calculators = ADDRESS_CALCULATORS;
        rule = Rule::AddressRerunsShippingTax;
    }
    if let (Some(method), Some(group)) = (method, &group) {
        tx.edit(
            group,
            &[DeliveryGroupField::DeliveryMethodId],
            Rule::DeliveryMethodRerunsTax,
            |g| g.delivery_method = Some(method.id.clone()),
        );
        tx.edit(
            cart_id,
            &[CartField::TotalChargeAmount, CartField::GrandTotalAmount],
            Rule::DeliveryChargeApplied,
            |c| c.total_charge = method.price,
        );
        if calculators.is_empty() {
            calculators = METHOD_CALCULATORS;
            rule = Rule::DeliveryMethodRerunsTax;
        }
    }
    if calculators.is_empty() {
        return Ok(200);
    }
    calculate(tx, &id, calculators, rule);
    Ok(202)
}

/// DELETE: archives the checkout and makes the cart Active again; the delivery group
/// and any authorizations stay as they are.
fn delete(tx: &mut Tx, cart_id: &str) -> Result<u16, ActionError> {
    let id = changeable(tx.world, cart_id)?.id;
    custom_code_conflict(tx, cart_id)?;
    tx.edit(
        &id,
        &[SessionField::IsArchived],
        Rule::RestCheckoutDeleted,
        |s| {
            s.is_archived = true;
            s.rest.deleted = true;
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

/// POST payments: authorizes the cart's GrandTotalAmount, reversing an earlier
/// authorization; a decline leaves a Failed PaymentAuthorization.
fn pay(tx: &mut Tx, cart_id: &str, outcome: PaymentOutcome) -> Result<u16, ActionError> {
    let session = changeable(tx.world, cart_id)?;
    let id = session.id;
    let cart = find_cart(tx.world, cart_id)?;
    let amount = tx.world.grand_total_amount(cart);
    let cart_version = cart.version;
    let earlier: Vec<Id> = tx
        .world
        .payment_authorizations_of(&id)
        .filter(|p| p.status == PaymentAuthorizationStatus::Processed)
        .map(|p| p.id)
        .collect();
    let declined = outcome == PaymentOutcome::Declined;
    if !declined {
        for pa in &earlier {
            tx.edit(pa, &[PaymentField::Status], Rule::PaymentReversed, |p| {
                p.status = PaymentAuthorizationStatus::Canceled
            });
        }
    }
    let pa = tx.world.next_id(IdKind::Payment);
    let status = if declined {
        PaymentAuthorizationStatus::Failed
    } else {
        PaymentAuthorizationStatus::Processed
    };
    tx.world.insert(PaymentAuthorization {
        id: pa,
        session: id,
        amount,
        status,
        cart_version,
    });
    let rule = if declined {
        Rule::PaymentDeclined
    } else {
        Rule::PaymentAuthorized
    };
    tx.created(
        RecordKind::PaymentAuthorization,
        &pa,
        format!("{status}, Amount {amount}, for {id}"),
        rule,
    );
    if declined {
        return Err(ActionError::new(
            ErrorKind::RestPaymentDeclined,
            format!(
                "the payment service declined the authorization of {amount} for {cart_id} ({pa} Failed)"
            ),
        ));
    }
    Ok(200)
}

/// The next OrderReferenceNumber: `orn-1`, `orn-2`, ...
fn next_reference(world: &World) -> String {
    let mut n = world.sessions_with_order_reference() + 1;
    loop {
        let id = format!("orn-{n}");
        let taken = world.id_in_use(&id) || world.order_reference_in_use(&id);
        if !taken {
            return id;
        }
        n += 1;
    }
}

/// The payment check: the Processed authorizations add up to GrandTotalAmount, and no
/// custom code saved the cart after the latest of them.
fn check_payment(
    world: &World,
    session: &CartCheckoutSession,
    cart: &WebCart,
) -> Result<(), ActionError> {
    let processed: Vec<&PaymentAuthorization> = world
        .payment_authorizations_of(&session.id)
        .filter(|p| p.status == PaymentAuthorizationStatus::Processed)
        .collect();
    let authorized: Money = processed.iter().map(|p| p.amount).sum();
    let total = world.grand_total_amount(cart);
    if let Some(latest) = processed.last()
        && cart
            .last_custom_save
            .is_some_and(|v| v > latest.cart_version)
    {
        return Err(ActionError::new(
            ErrorKind::PlaceOrderCartChangedAfterPayment,
            format!(
                "custom code saved {} after {} was authorized: the payment was processed but not saved to the cart",
                cart.id, latest.id
            ),
        ));
    }
    if processed.is_empty() || authorized != total {
        return Err(ActionError::new(
            ErrorKind::PlaceOrderPaymentNotAuthorized,
            if processed.is_empty() {
                format!("{} has no Processed PaymentAuthorization", session.id)
            } else {
                format!(
                    "the Processed authorizations add up to {authorized}, GrandTotalAmount is {total}"
                )
            },
        ));
    }
    Ok(())
}

/// POST orders (v1), or Place Order V2's prepare and submit.
fn place_order(
    tx: &mut Tx,
    cart_id: &str,
    step: Option<PlaceOrderStep>,
) -> Result<u16, ActionError> {
    let world = &*tx.world;
    let v2 = settings_of_cart(world, cart_id).place_order == PlaceOrderVersion::V2;
    if step.is_some() && !v2 {
        return Err(ActionError::new(
            ErrorKind::PlaceOrderV2NotEnabled,
            format!(
                "store {} has Place Order V2 off (place_order: v1): POST .../orders/actions is not available",
                world.cart(cart_id).map_or("?", |c| c.store.as_str())
            ),
        ));
    }
    let session = checkout_of(world, cart_id)?;
    let ok = if step.is_some() { 200 } else { 201 };
    if let Some(reference) = &session.rest.order_reference {
        let status = world.cart(cart_id).map_or(CartStatus::Closed, |c| c.status);
        let text = match step {
            Some(PlaceOrderStep::Prepare) => format!(
                "the order was already accepted ({reference}, cart {status}): prepare returns early"
            ),
            _ => format!(
                "the order was already accepted (cart {status}): {reference} is returned again"
            ),
        };
        let id = session.id;
        tx.noted(
            RecordKind::CartCheckoutSession,
            &id,
            text,
            Rule::OrderReferenceReturned,
        );
        return Ok(ok);
    }
    let cart = find_cart(world, cart_id)?;
    if session.is_processing {
        return Err(conflict(world, session, cart_id));
    }
    let prepare = step == Some(PlaceOrderStep::Prepare);
    // v1 and prepare check the delivery and the buyer's details; v1 and submit check the
    // payment.
    if step != Some(PlaceOrderStep::Submit) {
        let guest = world.buyer(&cart.buyer).is_some_and(|b| b.guest);
        if guest && cart.guest_email.is_none() {
            return Err(ActionError::new(
                if step.is_some() {
                    ErrorKind::PrepareValidation
                } else {
                    ErrorKind::PlaceOrderNoContact
                },
                format!(
                    "{} is a guest and {cart_id} has no GuestEmailAddress",
                    cart.buyer
                ),
            ));
        }
        let method = world
            .delivery_group_of_session(&session.id)
            .and_then(|g| g.delivery_method.clone());
        if method.is_none() {
            return Err(ActionError::new(
                if step.is_some() {
                    ErrorKind::PrepareValidation
                } else {
                    ErrorKind::PlaceOrderNoDeliveryMethod
                },
                format!("{}'s CartDeliveryGroup has no DeliveryMethodId", session.id),
            ));
        }
        if let Some(row) = error_rows(world, cart_id).first() {
            return Err(ActionError::new(
                if step.is_some() {
                    ErrorKind::PrepareValidation
                } else {
                    ErrorKind::PlaceOrderValidationErrors
                },
                format!("{} {} {}: {}", row.id, row.level, row.kind, row.message),
            ));
        }
    }
    if prepare {
        let id = session.id;
        tx.edit(
            &id,
            &[SessionField::Prepared],
            Rule::PlaceOrderPrepared,
            |s| {
                s.rest.prepared = true;
            },
        );
        return Ok(200);
    }
    if step == Some(PlaceOrderStep::Submit) && !session.rest.prepared {
        return Err(ActionError::new(
            ErrorKind::SubmitBeforePrepare,
            format!("{} was not prepared since its last calculation", session.id),
        ));
    }
    if let Err(e) = check_payment(world, session, cart) {
        return Err(match (step, e.kind) {
            (Some(_), ErrorKind::PlaceOrderPaymentNotAuthorized) => {
                ActionError::new(ErrorKind::SubmitPaymentNotAuthorized, e.message)
            }
            _ => e,
        });
    }
    let id = session.id;
    let reference = next_reference(world);
    let rule = if step.is_some() {
        Rule::OrderSubmitted
    } else {
        Rule::OrderAccepted
    };
    tx.edit(&id, &[SessionField::OrderReferenceNumber], rule, |s| {
        s.rest.order_reference = Some(reference)
    });
    tx.edit(cart_id, &[CartField::Status], rule, |c| {
        c.status = CartStatus::PendingClosed;
    });
    let op = launch(
        tx,
        CART_TO_ORDER,
        CART_TO_ORDER_TICKS,
        Some(Id::new(cart_id)),
        rule,
    );
    tx.edit(
        &id,
        &[
            SessionField::IsProcessing,
            SessionField::BackgroundOperationId,
        ],
        rule,
        |s| {
            s.is_processing = true;
            s.background_operation_id = Some(op);
        },
    );
    Ok(ok)
}

/// Launches one Cart Calculate that runs `calculators` in order, one tick each. The
/// rows of their types from earlier runs are deleted first.
pub(crate) fn calculate(tx: &mut Tx, session_id: &str, calculators: &[Calculator], rule: Rule) {
    let Some(cart) = tx.world.session(session_id).map(|s| s.cart) else {
        return;
    };
    let types: Vec<ValidationType> = calculators.iter().map(|c| c.row_type()).collect();
    super::actions::remove_validation_rows(
        tx,
        &cart,
        |v| types.contains(&v.kind),
        Rule::CalculatorClearsRows,
    );
    let ticks = CALCULATOR_TICKS * calculators.len() as u64;
    let op = launch(tx, CART_CALCULATE, ticks, Some(Id::new(&cart)), rule);
    let list = calculators.to_vec();
    tx.world.edit(&op, |o: &mut BackgroundOperation| {
        o.calculators = list;
    });
    let names: Vec<&str> = calculators.iter().map(|c| c.as_str()).collect();
    tx.noted(
        RecordKind::BackgroundOperation,
        &op,
        format!("runs {}", names.join(", ")),
        Rule::CalculatorRuns,
    );
    tx.edit(
        session_id,
        &[
            SessionField::IsProcessing,
            SessionField::IsError,
            SessionField::BackgroundOperationId,
            SessionField::Prepared,
        ],
        Rule::CalculatorRuns,
        |s| {
            s.is_processing = true;
            s.is_error = false;
            s.background_operation_id = Some(op);
            s.rest.prepared = false;
        },
    );
}

/// An operation an `lwr` checkout waited on finished: after a calculation that ran Tax,
/// TotalTaxAmount is written; the checkout is ready (or ready with errors after an Error
/// row); after cart-to-order the order exists and the cart is Closed.
pub(crate) fn operation_finished(tx: &mut Tx, session_id: &str, op_id: &str, failed: bool) {
    let Some(op) = tx.world.operation(op_id) else {
        return;
    };
    let order = op.name == CART_TO_ORDER;
    let ran_tax = op.calculators.contains(&Calculator::Tax);
    let Some(cart) = tx.world.session(session_id).map(|s| s.cart) else {
        return;
    };
    if order && !failed {
        create_order(tx, session_id, Rule::AsyncOrderCreated);
        tx.edit(
            session_id,
            &[SessionField::IsProcessing],
            Rule::AsyncOrderCreated,
            |s| s.is_processing = false,
        );
        tx.edit(&cart, &[CartField::Status], Rule::AsyncOrderCreated, |c| {
            c.status = CartStatus::Closed;
        });
        return;
    }
    if !failed && ran_tax {
        let rate = settings_of_cart(tx.world, &cart).tax_rate;
        let base = tx
            .world
            .cart(&cart)
            .map(|c| tx.world.total_product_amount(c) + c.total_charge);
        if let Some(base) = base {
            let tax = rate.tax_on(base);
            tx.edit(
                &cart,
                &[CartField::TotalTaxAmount, CartField::GrandTotalAmount],
                Rule::TaxWritten,
                |c| c.total_tax = tax,
            );
        }
    }
    tx.edit(
        session_id,
        &[SessionField::IsProcessing],
        if failed {
            Rule::CalculatorChainStops
        } else {
            Rule::CalculatorsDone
        },
        |s| s.is_processing = false,
    );
}

/// Add to cart in an `lwr` store: refused (409) while a calculation runs, since the
/// cart is locked for updates.
pub(crate) fn check_cart_change(world: &World, cart_id: &str) -> Result<(), ActionError> {
    match world.active_session(cart_id) {
        Some(session) if session.is_processing => {
            let e = conflict(world, session, cart_id);
            Err(ActionError::new(ErrorKind::AddWhileCalculating, e.message))
        }
        _ => Ok(()),
    }
}

/// A buyer's cart change in checkout. With Simplified Cart Cleanup the cart stays in
/// Checkout and the calculators an item change needs run again; with `cart_cleanup:
/// cancel_checkout` the checkout is canceled, as in an `aura` store.
pub(crate) fn after_item_change(tx: &mut Tx, cart_id: &str) {
    let Some(session) = tx.world.active_session(cart_id) else {
        return;
    };
    let id = session.id;
    let calculators = calculators_for_items(tx.world, &id);
    calculate(tx, &id, &calculators, Rule::ItemChangeReruns);
}

/// Whether a cart change in this `lwr` store's checkout cancels it (`cart_cleanup:
/// cancel_checkout`), and the cancel's plan, checked before anything changes.
pub(crate) fn cleanup_cancels(world: &World, cart_id: &str) -> bool {
    settings_of_cart(world, cart_id).cart_cleanup == CartCleanup::CancelCheckout
}
