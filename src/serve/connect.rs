//! The Salesforce paths: the Connect REST checkout and cart-items resources of `lwr`
//! stores and the invocable flow actions of `aura` stores, each turned into the engine
//! action of the same step kind. Nothing here knows HTTP framing: it takes the path's
//! parts, the caller and the body, and gives a status and a JSON body.

use super::session::{Refusal, Session};
use crate::engine::rest::{CheckoutPatch, PaymentOutcome, PlaceOrderStep};
use crate::engine::{Action, Address, CartStatus, Outcome, Quantity, StepKind, World};
use serde::Deserialize;
use serde_json::{Value, json};

/// An answer: the HTTP status and the JSON body (`None` for a 204).
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// The status.
    pub status: u16,
    /// The body.
    pub body: Option<Value>,
}

impl From<Refusal> for Answer {
    fn from(r: Refusal) -> Answer {
        Answer {
            status: r.status,
            body: Some(r.body()),
        }
    }
}

/// Which Connect checkout resource a request names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    /// `PUT .../checkouts` (or `POST` before API 57.0).
    Start,
    /// `GET .../checkouts/{id}`.
    Poll,
    /// `PATCH .../checkouts/{id}`.
    Update,
    /// `DELETE .../checkouts/{id}`.
    Delete,
    /// `POST .../checkouts/{id}/payments`.
    Pay,
    /// `POST .../checkouts/{id}/orders`.
    Order,
    /// `POST .../checkouts/{id}/orders/actions` (Place Order V2).
    OrderActions,
}

/// The API version of a `v{N}.0` path segment.
pub fn api_version(segment: &str) -> Option<u32> {
    let n = segment.strip_prefix('v')?.strip_suffix(".0")?;
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) || n.len() > 3 {
        return None;
    }
    n.parse().ok()
}

/// Reads a JSON body; an empty body is `null`. A malformed one answers 400
/// JSON_PARSER_ERROR, as the platform does.
pub fn json_body(bytes: &[u8]) -> Result<Value, Refusal> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    serde_json::from_slice(bytes).map_err(|e| {
        Refusal::new(
            400,
            "JSON_PARSER_ERROR",
            format!("the request body is not valid JSON: {e}"),
        )
    })
}

/// Reads a body of a given shape: JSON_PARSER_ERROR when it is not JSON, INVALID_INPUT
/// when it is JSON of another shape.
fn shaped<T: for<'de> Deserialize<'de> + Default>(bytes: &[u8], what: &str) -> Result<T, Refusal> {
    match json_body(bytes)? {
        Value::Null => Ok(T::default()),
        value => serde_json::from_value(value)
            .map_err(|e| Refusal::new(400, "INVALID_INPUT", format!("{what}: {e}"))),
    }
}

/// The body of `PUT .../checkouts`: the cart, when not the buyer's active one.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CheckoutInput {
    cart_id: Option<String>,
}

/// `deliveryAddress` of a PATCH.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct AddressInput {
    street: Option<String>,
    city: Option<String>,
    postal_code: Option<String>,
    country: Option<String>,
}

/// `contactInfo` of a PATCH.
#[derive(Debug, Default, Deserialize)]
struct ContactInput {
    email: Option<String>,
}

/// The body of `PATCH .../checkouts/{id}`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PatchInput {
    delivery_address: Option<AddressInput>,
    delivery_method_id: Option<String>,
    contact_info: Option<ContactInput>,
}

/// The body of `POST .../payments`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PaymentInput {
    payment_token: Option<String>,
}

/// One action of Place Order V2.
#[derive(Debug, Deserialize)]
struct OrderAction {
    action: String,
}

/// The body of `POST .../orders/actions`.
#[derive(Debug, Default, Deserialize)]
struct OrderActionsInput {
    actions: Vec<OrderAction>,
}

/// The body of `POST .../cart-items`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CartItemInput {
    product_id: Option<String>,
    quantity: Option<Value>,
}

/// The body of an invocable action: `{"inputs": [{"cartId": ...}]}`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct InvocableInput {
    inputs: Vec<InvocableCart>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct InvocableCart {
    cart_id: String,
}

/// The `paymentToken` that the simulated payment service declines.
pub const DECLINED_TOKEN: &str = "declined";

fn not_found(message: String) -> Refusal {
    Refusal::new(404, "NOT_FOUND", message)
}

/// The store a path names, or 404.
fn check_store(world: &World, store: &str) -> Result<(), Refusal> {
    match world.store(store) {
        Some(_) => Ok(()),
        None => Err(not_found(format!("no webstore has the id {store}"))),
    }
}

/// The buyer's cart in a store that `active` names: the one in Checkout, else the Active
/// one, else the latest (whose refusal the engine then words).
pub fn active_cart(world: &World, store: &str, buyer: &str) -> Result<String, Refusal> {
    let carts: Vec<_> = world
        .carts()
        .iter()
        .filter(|c| c.store == store && c.buyer == buyer)
        .collect();
    carts
        .iter()
        .find(|c| c.status == CartStatus::Checkout)
        .or_else(|| carts.iter().find(|c| c.status == CartStatus::Active))
        .or_else(|| carts.last())
        .map(|c| c.id.to_string())
        .ok_or_else(|| not_found(format!("{buyer} has no cart in webstore {store}")))
}

/// The cart a cart path segment names (`active` or a cart id), in this store.
fn cart_in_store(world: &World, store: &str, buyer: &str, id: &str) -> Result<String, Refusal> {
    if id == "active" {
        return active_cart(world, store, buyer);
    }
    match world.cart(id) {
        Some(c) if c.store == store => Ok(c.id.to_string()),
        _ => Err(not_found(format!("no cart {id} in webstore {store}"))),
    }
}

/// The cart whose checkout a checkout path segment names (`active` or a checkout id).
/// A checkout id must be the cart's checkout now (or its last one, once none is active):
/// an older one has ended and answers 404.
pub fn checkout_cart(world: &World, store: &str, buyer: &str, id: &str) -> Result<String, Refusal> {
    if id == "active" {
        return active_cart(world, store, buyer);
    }
    let session = world
        .session(id)
        .ok_or_else(|| not_found(format!("no checkout has the id {id}")))?;
    let cart = world
        .cart(&session.cart)
        .filter(|c| c.store == store)
        .ok_or_else(|| not_found(format!("checkout {id} is not in webstore {store}")))?;
    let current = world
        .active_session(&cart.id)
        .or_else(|| world.sessions_of(&cart.id).last());
    match current {
        Some(s) if s.id != id => Err(not_found(format!(
            "checkout {id} has ended; the checkout of {} is {}",
            cart.id, s.id
        ))),
        _ => Ok(cart.id.to_string()),
    }
}

/// Sets the buyer's effective account to the request's `effectiveAccountId` (a recorded
/// `switch_account` step) when it differs; an account that does not exist answers 400
/// before the engine.
pub fn effective_account(
    session: &mut Session,
    buyer: &str,
    account: Option<&str>,
) -> Result<(), Refusal> {
    let Some(account) = account else {
        return Ok(());
    };
    let world = session.world();
    if world.account(account).is_none() {
        return Err(Refusal::new(
            400,
            "INVALID_ID_FIELD",
            format!("effectiveAccountId: no account has the id {account}"),
        ));
    }
    if world
        .buyer(buyer)
        .is_some_and(|b| b.effective_account == account)
    {
        return Ok(());
    }
    session.apply(
        "switch_account",
        &Action::SwitchAccount {
            buyer: buyer.to_string(),
            account: account.to_string(),
        },
    );
    Ok(())
}

/// A Connect checkout call: the path's store and checkout (`None` for `.../checkouts`),
/// by `buyer`, with `body`.
pub fn checkout_call(
    session: &mut Session,
    resource: Resource,
    store: &str,
    checkout: Option<&str>,
    buyer: &str,
    body: &[u8],
) -> Result<Answer, Refusal> {
    let world = session.world();
    check_store(world, store)?;
    let actor = Some(buyer.to_string());
    let cart = match (resource, checkout) {
        (Resource::Start, _) => {
            let input: CheckoutInput = shaped(body, "Checkout Input")?;
            match input.cart_id {
                Some(id) => cart_in_store(world, store, buyer, &id)?,
                None => active_cart(world, store, buyer)?,
            }
        }
        (_, Some(id)) => checkout_cart(world, store, buyer, id)?,
        (_, None) => return Err(not_found("no checkout id".into())),
    };
    let action = match resource {
        Resource::Start => Action::CheckoutStart { cart, actor },
        Resource::Poll => Action::CheckoutPoll { cart, actor },
        Resource::Delete => Action::CheckoutDelete { cart, actor },
        Resource::Update => {
            let input: PatchInput = shaped(body, "Checkout Input")?;
            let patch = CheckoutPatch {
                shipping_address: input.delivery_address.map(|a| Address {
                    street: a.street,
                    city: a.city,
                    postal_code: a.postal_code,
                    country: a.country,
                }),
                delivery_method: input.delivery_method_id,
                contact: input.contact_info.and_then(|c| c.email),
            };
            if patch == CheckoutPatch::default() {
                return Err(Refusal::new(
                    400,
                    "INVALID_INPUT",
                    "expected at least one of deliveryAddress, deliveryMethodId, contactInfo.email",
                ));
            }
            Action::CheckoutUpdate { cart, patch, actor }
        }
        Resource::Pay => {
            let input: PaymentInput = shaped(body, "Payment Input")?;
            let outcome = if input.payment_token.as_deref() == Some(DECLINED_TOKEN) {
                PaymentOutcome::Declined
            } else {
                PaymentOutcome::Authorized
            };
            Action::Pay {
                cart,
                outcome,
                actor,
            }
        }
        Resource::Order => Action::PlaceOrder {
            cart,
            step: None,
            actor,
        },
        Resource::OrderActions => {
            let input: OrderActionsInput = shaped(body, "Place Order Actions Input")?;
            let [one] = input.actions.as_slice() else {
                return Err(Refusal::new(
                    400,
                    "INVALID_INPUT",
                    format!(
                        "expected one action in \"actions\", found {}",
                        input.actions.len()
                    ),
                ));
            };
            let step = PlaceOrderStep::parse(&one.action).ok_or_else(|| {
                Refusal::new(
                    400,
                    "INVALID_INPUT",
                    format!(
                        "{:?} is not a place order action; expected prepare or submit",
                        one.action
                    ),
                )
            })?;
            Action::PlaceOrder {
                cart,
                step: Some(step),
                actor,
            }
        }
    };
    let kind = crate::player::kind_of(&action);
    let outcome = session.apply(kind, &action);
    Ok(rest_answer(&outcome))
}

/// The status and body a REST call got, exactly as the engine gave them.
pub fn rest_answer(outcome: &Outcome) -> Answer {
    let status = outcome.http.unwrap_or(match &outcome.result {
        Ok(()) => 200,
        Err(e) => e.http().unwrap_or(400),
    });
    Answer {
        status,
        body: outcome.body.clone(),
    }
}

/// `POST .../carts/{id}/cart-items`: add to cart (201 with the Cart Item), or `GET`: the
/// cart's items (reads only; not a step).
pub fn cart_items(
    session: &mut Session,
    store: &str,
    cart: &str,
    buyer: &str,
    body: Option<&[u8]>,
) -> Result<Answer, Refusal> {
    let world = session.world();
    check_store(world, store)?;
    let cart = cart_in_store(world, store, buyer, cart)?;
    let Some(body) = body else {
        return Ok(Answer {
            status: 200,
            body: Some(items_json(world, &cart)),
        });
    };
    let input: CartItemInput = shaped(body, "Cart Item Input")?;
    let sku = input
        .product_id
        .ok_or_else(|| Refusal::new(400, "INVALID_INPUT", "expected productId"))?;
    let quantity = match &input.quantity {
        None => Quantity::Whole(1),
        Some(Value::String(t)) => t
            .trim()
            .parse::<i64>()
            .map_or_else(|_| Quantity::Other(t.clone()), Quantity::Whole),
        Some(Value::Number(n)) => n
            .as_i64()
            .map_or_else(|| Quantity::Other(n.to_string()), Quantity::Whole),
        Some(other) => Quantity::Other(other.to_string()),
    };
    let action = Action::AddToCart {
        cart: cart.clone(),
        sku: sku.clone(),
        quantity: quantity.clone(),
        actor: Some(buyer.to_string()),
    };
    let outcome = session.apply("add_to_cart", &action);
    Ok(match &outcome.result {
        Ok(()) => {
            let world = session.world();
            Answer {
                status: 201,
                body: Some(item_json(
                    world,
                    &cart,
                    &sku,
                    quantity_of(world, &cart, &sku),
                )),
            }
        }
        Err(e) => Answer {
            status: e.http().unwrap_or(400),
            body: Some(json!([{ "errorCode": e.code(), "message": e.message }])),
        },
    })
}

fn quantity_of(world: &World, cart: &str, sku: &str) -> i64 {
    world
        .cart(cart)
        .and_then(|c| c.items.iter().find(|i| i.sku == sku))
        .map_or(0, |i| i.quantity)
}

/// A Cart Item as the Connect API shapes it (the fields cartsim keeps).
fn item_json(world: &World, cart: &str, sku: &str, quantity: i64) -> Value {
    let product = world.product(sku);
    json!({
        "cartId": cart,
        "productId": sku,
        "name": product.map(|p| p.name.clone()),
        "quantity": quantity.to_string(),
        "type": "Product",
        "salesPrice": product.map(|p| p.price.to_string()),
    })
}

/// A Cart Item Collection: each item, and the cart's summary.
fn items_json(world: &World, cart_id: &str) -> Value {
    let Some(cart) = world.cart(cart_id) else {
        return json!({ "cartItems": [] });
    };
    let items: Vec<Value> = cart
        .items
        .iter()
        .map(|i| json!({ "cartItem": item_json(world, cart_id, &i.sku, i.quantity) }))
        .collect();
    json!({
        "cartItems": items,
        "cartSummary": {
            "cartId": cart.id,
            "name": cart.name,
            "status": cart.status.to_string(),
            "accountId": cart.account,
            "ownerId": cart.buyer,
            "webstoreId": cart.store,
            "totalProductCount": World::total_product_count(cart).to_string(),
            "uniqueProductCount": cart.items.len(),
            "totalProductAmount": world.total_product_amount(cart).to_string(),
            "grandTotalAmount": world.grand_total_amount(cart).to_string(),
        },
    })
}

/// The invocable actions of the B2B Commerce checkout flows that cartsim models, by the
/// names the quickstart flows use, and their step kinds.
pub const INVOCABLE: &[(&str, StepKind)] = &[
    ("checkoutSessionAction", StepKind::StartCheckout),
    ("updateCheckoutSessionStateAction", StepKind::Continue),
    ("cancelCartAsyncOperation", StepKind::Cancel),
];

/// Cart to Order runs inside the modelled checkout flow (its last asynchronous state), so
/// it is not an action a client calls on its own here.
pub const CART_TO_ORDER: &str = "cartToOrderAction";

/// `POST .../actions/standard/{name}`: one flow action on one cart. Answers as the
/// invocable actions resource does: an array with one result per input.
pub fn invocable(
    session: &mut Session,
    name: &str,
    buyer: &str,
    body: &[u8],
) -> Result<Answer, Refusal> {
    if name == CART_TO_ORDER {
        return Err(Refusal::new(
            400,
            "NOT_SUPPORTED",
            "cartToOrderAction is not callable on its own in cartsim: Cart to Order runs as the checkout flow's last asynchronous state (updateCheckoutSessionStateAction moves the flow to it)",
        ));
    }
    let kind = INVOCABLE
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, k)| *k)
        .ok_or_else(|| {
            not_found(format!(
                "no standard action {name}; cartsim serves {} ({CART_TO_ORDER} is refused)",
                INVOCABLE
                    .iter()
                    .map(|(n, _)| *n)
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?;
    let input: InvocableInput = shaped(body, "inputs")?;
    let [one] = input.inputs.as_slice() else {
        return Err(Refusal::new(
            400,
            "INVALID_INPUT",
            format!(
                "expected one input in \"inputs\", found {}",
                input.inputs.len()
            ),
        ));
    };
    let cart = one.cart_id.clone();
    if session.world().cart(&cart).is_none() {
        return Err(not_found(format!("no cart has the id {cart}")));
    }
    let actor = Some(buyer.to_string());
    let action = match kind {
        StepKind::StartCheckout => Action::StartCheckout { cart, actor },
        StepKind::Continue => Action::Continue { cart, actor },
        _ => Action::Cancel { cart, actor },
    };
    let outcome = session.apply(kind.name(), &action);
    let world = session.world();
    let cart = action.cart().unwrap_or_default();
    Ok(match &outcome.result {
        Ok(()) => Answer {
            status: 200,
            body: Some(json!([{
                "actionName": name,
                "errors": null,
                "isSuccess": true,
                "outputValues": session_outputs(world, cart),
            }])),
        },
        Err(e) => Answer {
            status: 400,
            body: Some(json!([{
                "actionName": name,
                "errors": [{ "statusCode": e.code(), "message": e.message, "fields": [] }],
                "isSuccess": false,
                "outputValues": null,
            }])),
        },
    })
}

/// The outputs of a flow action: the fields of the cart's CartCheckoutSession after it.
fn session_outputs(world: &World, cart: &str) -> Value {
    use crate::engine::SessionField;
    let Some(session) = world
        .active_session(cart)
        .or_else(|| world.sessions_of(cart).last())
    else {
        return json!({ "CartId": cart });
    };
    let mut out = serde_json::Map::new();
    out.insert("Id".into(), json!(session.id));
    out.insert("CartId".into(), json!(cart));
    for field in [
        SessionField::State,
        SessionField::NextState,
        SessionField::IsProcessing,
        SessionField::IsError,
        SessionField::BackgroundOperationId,
        SessionField::OrderId,
    ] {
        if let Ok(v) = world.field(&session.id, field.as_str()) {
            out.insert(field.as_str().to_string(), v.to_json());
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_versions_are_read_from_v_n_dot_0_only() {
        assert_eq!(api_version("v63.0"), Some(63));
        assert_eq!(api_version("v56.0"), Some(56));
        for bad in ["63.0", "v63", "v63.1", "v.0", "vx.0", "v12345.0"] {
            assert_eq!(api_version(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_malformed_body_is_a_json_parser_error_and_an_empty_one_is_null() {
        assert_eq!(json_body(b"  ").unwrap(), Value::Null);
        let e = json_body(b"{\"deliveryMethodId\": ").unwrap_err();
        assert_eq!((e.status, e.code), (400, "JSON_PARSER_ERROR"));
        let e = shaped::<PatchInput>(b"{\"deliveryAddress\": 3}", "Checkout Input").unwrap_err();
        assert_eq!((e.status, e.code), (400, "INVALID_INPUT"));
    }
}
