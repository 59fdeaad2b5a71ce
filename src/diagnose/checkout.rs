//! What an export shows of a checkout besides its CartCheckoutSession: where the cart
//! ships (CartDeliveryGroup), how it was paid (PaymentAuthorization), the order it became
//! (Order), whose cart it is (a guest's), and which kind of store runs it.
//!
//! The org does not link a delivery group or an authorization to a checkout session:
//! a group names its cart (`CartId`), an authorization its payment group
//! (`PaymentGroupId`, which the cart names too in `WebCart.PaymentGroupId`). The
//! simulator keeps each with the checkout it belongs to, so each is given to its cart's
//! active checkout, else the newest one, and the diagnosis says so.

use super::rebuild::{Assumption, Records};
use super::records::{Field, Object, Record};
use crate::engine::Id;
use crate::engine::*;
use std::collections::{HashMap, HashSet};

/// The key prefix of GuestBuyerProfile ids. A guest's cart names its store's guest buyer
/// profile in `WebCart.AccountId` (Object Reference, WebCart.AccountId: "if the WebCart
/// was created through Guest Browsing, this ID is the ID of the GuestBuyerProfile", API
/// 51.0 and later). The prefix is not printed in the Object Reference; `3K0` is what an
/// org's global describe reports for GuestBuyerProfile (the sf-explorer object index),
/// so a cart is also taken to be a guest's when its AccountId is its store's
/// `WebStore.GuestBuyerProfileId`.
pub const GUEST_BUYER_PROFILE_PREFIX: &str = "3K0";

/// The values of PaymentAuthorization.Status (Object Reference).
pub const PAYMENT_STATUSES: &[&str] = &["Draft", "Canceled", "Pending", "Processed", "Failed"];

/// Why a cart is a guest's, or `None` for a buyer's cart.
pub fn guest_reason(cart: &Record, store: Option<&Record>) -> Option<String> {
    let account = cart.value("AccountId")?;
    if store.and_then(|s| s.value("GuestBuyerProfileId")) == Some(account) {
        return Some(format!(
            "its AccountId {account} is its store's WebStore.GuestBuyerProfileId"
        ));
    }
    if account.starts_with(super::anonymize::GUEST_PROFILE) {
        return Some(format!("its AccountId {account} is a GuestBuyerProfile"));
    }
    account.starts_with(GUEST_BUYER_PROFILE_PREFIX).then(|| {
        format!(
            "its AccountId {account} starts with {GUEST_BUYER_PROFILE_PREFIX}, the key prefix of GuestBuyerProfile"
        )
    })
}

/// Why the records show an `lwr` store, if they do: a CartCheckoutSession with an
/// OrderReferenceNumber (the REST checkout's place order gives it; a flow's Cart to Order
/// gives only OrderId), or a guest's cart with a checkout (B2B guest checkout is for
/// stores built on an LWR template: WebStore.OptionsGuestCheckoutEnabled). A
/// CartDeliveryGroup or a PaymentAuthorization is no sign of either kind: every cart item
/// names a delivery group (CartItem.CartDeliveryGroupId is required), and Aura checkout
/// flows authorize payments too.
pub fn lwr_evidence(records: &Records) -> Option<String> {
    if let Some(s) = records
        .of(Object::CartCheckoutSession)
        .iter()
        .find(|s| s.value("OrderReferenceNumber").is_some())
    {
        return Some(format!(
            "CartCheckoutSession {} has an OrderReferenceNumber, which the REST checkout's place order gives (a flow's Cart to Order gives only OrderId)",
            s.value("Id").unwrap_or("?")
        ));
    }
    // The carts with a session, found at the first guest's cart.
    let mut with_session: Option<HashSet<&str>> = None;
    records.of(Object::WebCart).iter().find_map(|c| {
        let id = c.value("Id")?;
        let store = c
            .value("WebStoreId")
            .and_then(|s| records.find(Object::WebStore, s));
        let why = guest_reason(c, store)?;
        let has_checkout = with_session
            .get_or_insert_with(|| {
                records
                    .of(Object::CartCheckoutSession)
                    .iter()
                    .filter_map(|s| s.value("WebCartId"))
                    .collect()
            })
            .contains(id);
        has_checkout.then(|| {
            format!(
                "WebCart {id} is a guest's ({why}) and has a checkout: B2B guest checkout is for stores built on an LWR template (WebStore.OptionsGuestCheckoutEnabled)"
            )
        })
    })
}

/// What reading the checkout's other records found besides the records themselves.
#[derive(Debug, Default)]
pub struct Found {
    /// Problems with a record (each names the file, the record and the field).
    pub errors: Vec<String>,
    /// What the diagnosis needed and did not get.
    pub missing: Vec<String>,
    /// Records read but kept out of the world, and why.
    pub notes: Vec<String>,
    /// How the records were related to carts and checkouts.
    pub assumptions: Vec<Assumption>,
}

/// The checkout a record of a cart belongs to in the simulator: the cart's active
/// checkout, else its newest.
fn checkout_of(world: &World, cart: &str) -> Option<String> {
    world
        .active_session(cart)
        .or_else(|| world.sessions_of(cart).last())
        .map(|s| s.id.to_string())
}

/// Adds the CartDeliveryGroups to the world, each with its cart's checkout, and gives
/// each store the delivery methods its groups name, priced at the cart's
/// TotalChargeAmount (the charge of the selected method).
pub fn delivery_groups(records: &Records, world: &mut WorldBuilder, found: &mut Found) {
    let mut per_cart: Vec<(String, Vec<String>)> = Vec::new();
    let mut place: HashMap<String, usize> = HashMap::new();
    for g in records.of(Object::CartDeliveryGroup) {
        let id = g.value("Id").unwrap_or_default().to_string();
        let Some(cart) = g.value("CartId") else {
            found.errors.push(g.problem(
                "CartId",
                "missing; a CartDeliveryGroup must name its cart (add CartId to the query)",
            ));
            continue;
        };
        if world.cart(cart).is_none() {
            found.missing.push(format!(
                "WebCart {cart}: named by CartDeliveryGroup {id} in {}, but not in the files; query it (cartsim diagnose --queries {cart})",
                g.file
            ));
            continue;
        }
        let Some(session) = checkout_of(world, cart) else {
            found.notes.push(format!(
                "CartDeliveryGroup {id}: its cart {cart} has no CartCheckoutSession in the files, so no checkout here uses it (a new checkout makes its own)"
            ));
            continue;
        };
        let text = |f: &str| g.value(f).map(str::to_string);
        let method = text("DeliveryMethodId");
        if let (Some(m), Some(c)) = (&method, world.cart(cart)) {
            let price = c.total_charge;
            let store = c.store;
            let added = world
                .store(&store)
                .is_some_and(|s| !s.delivery_methods.iter().any(|d| &d.id == m))
                && world.edit_store(&store, |s| {
                    s.delivery_methods.push(DeliveryMethod {
                        id: m.clone(),
                        name: m.clone(),
                        price,
                    })
                });
            if added {
                found.assumptions.push(Assumption {
                    fact: format!(
                        "store {store} offers the delivery method {m} (named by CartDeliveryGroup {id}) at {price}, its cart's TotalChargeAmount; the store's other methods and their prices are not in the records"
                    ),
                    set_with: "nothing (DeliveryMethod records are not read)".to_string(),
                });
            }
        }
        world.add_delivery_group(CartDeliveryGroup {
            id: Id::new(&id),
            cart: Id::new(cart),
            session: Id::new(&session),
            address: Address {
                street: text("DeliverToStreet"),
                city: text("DeliverToCity"),
                postal_code: text("DeliverToPostalCode"),
                country: text("DeliverToCountry"),
            },
            delivery_method: method,
        });
        match place.get(cart) {
            Some(&i) => per_cart[i].1.push(id),
            None => {
                place.insert(cart.to_string(), per_cart.len());
                per_cart.push((cart.to_string(), vec![id]));
            }
        }
    }
    for (cart, ids) in per_cart {
        let session = checkout_of(world, &cart).unwrap_or_default();
        found.assumptions.push(Assumption {
            fact: if ids.len() == 1 {
                format!(
                    "CartDeliveryGroup {} belongs to {session}, the cart's {} checkout (the org relates a delivery group to its cart only)",
                    ids[0],
                    if world.active_session(&cart).is_some() { "active" } else { "newest" }
                )
            } else {
                format!(
                    "WebCart {cart} has {} CartDeliveryGroups ({}); cartsim models one per checkout, so {session} uses the last one read, {} (split shipments are not modelled)",
                    ids.len(),
                    ids.join(", "),
                    ids[ids.len() - 1]
                )
            },
            set_with: "nothing (the records relate a delivery group to its cart only)".to_string(),
        });
    }
}

/// Adds the PaymentAuthorizations to the world, each with the checkout of the cart whose
/// WebCart.PaymentGroupId is its PaymentGroupId. An authorization that cannot be related
/// to a cart in the files, or whose Status the simulator does not model (Draft,
/// Pending), is listed instead.
pub fn payments(records: &Records, world: &mut WorldBuilder, found: &mut Found) {
    let mut unrelated: Vec<String> = Vec::new();
    let mut related = 0;
    // The first cart naming each payment group, found once.
    let mut cart_of_group: HashMap<&str, Option<&str>> = HashMap::new();
    if !records.of(Object::PaymentAuthorization).is_empty() {
        for c in records.of(Object::WebCart) {
            if let Some(group) = c.value("PaymentGroupId") {
                cart_of_group.entry(group).or_insert(c.value("Id"));
            }
        }
    }
    for p in records.of(Object::PaymentAuthorization) {
        let id = p.value("Id").unwrap_or_default().to_string();
        let cart = p
            .value("PaymentGroupId")
            .and_then(|group| cart_of_group.get(group).copied().flatten());
        let Some(cart) = cart.filter(|c| world.cart(c).is_some()) else {
            unrelated.push(id);
            continue;
        };
        let status = match p.get("Status") {
            Field::Value(s) => match PaymentAuthorizationStatus::parse(s) {
                Some(st) => st,
                None if PAYMENT_STATUSES.contains(&s) => {
                    found.notes.push(format!(
                        "PaymentAuthorization {id} is {s}: cartsim models Processed, Failed and Canceled authorizations, so it is left out (the org counts a Pending one toward the payment check, cartsim does not)"
                    ));
                    continue;
                }
                None => {
                    found.errors.push(p.problem(
                        "Status",
                        format!(
                            "{s:?} is not a PaymentAuthorization.Status; expected one of: {}",
                            PAYMENT_STATUSES.join(", ")
                        ),
                    ));
                    continue;
                }
            },
            Field::Null | Field::Absent => {
                found.missing.push(format!(
                    "PaymentAuthorization.Status: not in {} (add it to the query); {id} is left out, since only a Processed authorization counts",
                    p.file
                ));
                continue;
            }
        };
        let amount = match p.get("Amount") {
            Field::Value(v) => match super::rebuild::amount_of(v) {
                Some(m) if m >= Money::ZERO => m,
                _ => {
                    found.errors.push(p.problem(
                        "Amount",
                        format!("{v:?} is not an amount; expected a decimal of at least 0 with at most two places"),
                    ));
                    continue;
                }
            },
            Field::Null | Field::Absent => {
                found.missing.push(format!(
                    "PaymentAuthorization.Amount: not in {} (add it to the query); {id} is left out",
                    p.file
                ));
                continue;
            }
        };
        let Some(session) = checkout_of(world, cart) else {
            found.notes.push(format!(
                "PaymentAuthorization {id}: its cart {cart} has no CartCheckoutSession in the files, so no checkout here counts it"
            ));
            continue;
        };
        world.add_payment_authorization(PaymentAuthorization {
            id: Id::from(id),
            session: Id::from(session),
            amount,
            status,
            cart_version: 0,
        });
        related += 1;
    }
    if related > 0 {
        found.assumptions.push(Assumption {
            fact: "a PaymentAuthorization belongs to the cart whose WebCart.PaymentGroupId is its PaymentGroupId, and counts for that cart's active (else newest) checkout; the org does not link an authorization to a checkout session".to_string(),
            set_with: "nothing (the records relate an authorization to a payment group only)".to_string(),
        });
    }
    if !unrelated.is_empty() {
        found.missing.push(format!(
            "PaymentAuthorization {}: related to no cart in the files; cartsim relates an authorization to a cart through PaymentAuthorization.PaymentGroupId = WebCart.PaymentGroupId (add both to the queries: cartsim diagnose --queries CART_ID); OrderPaymentSummaryId names an order's payment summary, not a cart",
            unrelated.join(", ")
        ));
    }
}

/// Adds the Orders that a session names, by OrderId or by OrderReferenceNumber, to the
/// world (a session's OrderId alone already gives one).
pub fn orders(records: &Records, world: &mut WorldBuilder, found: &mut Found) {
    // The first session naming each order id and each order reference, found once.
    let mut by_id: HashMap<String, (String, String)> = HashMap::new();
    let mut by_reference: HashMap<String, (String, String)> = HashMap::new();
    for s in world.sessions() {
        let both = || (s.id.to_string(), s.cart.to_string());
        if let Some(order) = &s.order_id {
            by_id.entry(order.to_string()).or_insert_with(both);
        }
        if let Some(reference) = &s.rest.order_reference {
            by_reference.entry(reference.clone()).or_insert_with(both);
        }
    }
    for o in records.of(Object::Order) {
        let id = o.value("Id").unwrap_or_default().to_string();
        let reference = o.value("OrderReferenceNumber");
        let session = by_id
            .get(&id)
            .or_else(|| reference.and_then(|r| by_reference.get(r)))
            .cloned();
        match session {
            Some((session, cart)) => {
                if !world.orders().contains(&id) {
                    world.add_order(crate::engine::Order { id: Id::from(id), cart: Id::from(cart), session: Id::from(session) });
                }
            }
            None => found.notes.push(format!(
                "Order {id}: no CartCheckoutSession in the files names it (by OrderId or OrderReferenceNumber)"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(object: Object, fields: &[(&str, Option<&str>)]) -> Record {
        Record::new(
            object,
            "f.json",
            1,
            fields
                .iter()
                .map(|(k, v)| (k.to_string(), v.map(str::to_string)))
                .collect(),
        )
    }

    fn records(list: Vec<Record>) -> Records {
        let mut out = Records::default();
        for r in list {
            out.by_object.entry(r.object).or_default().push(r);
        }
        out
    }

    #[test]
    fn a_guest_is_told_by_the_store_profile_or_the_key_prefix() {
        let cart = |account: &str| {
            record(
                Object::WebCart,
                &[
                    ("Id", Some("0a6Hs0000000701IAA")),
                    ("AccountId", Some(account)),
                ],
            )
        };
        let store = record(
            Object::WebStore,
            &[
                ("Id", Some("0ZEHs0000007003OAA")),
                ("GuestBuyerProfileId", Some("3K0Hs0000000101KAA")),
            ],
        );
        let by_store = guest_reason(&cart("3K0Hs0000000101KAA"), Some(&store)).unwrap();
        assert!(
            by_store.contains("is its store's WebStore.GuestBuyerProfileId"),
            "{by_store}"
        );
        let by_prefix = guest_reason(&cart("3K0Hs0000000999KAA"), None).unwrap();
        assert!(by_prefix.contains("starts with 3K0"), "{by_prefix}");
        assert_eq!(
            guest_reason(&cart("001Hs0000004431IAA"), Some(&store)),
            None
        );
        let no_account = record(Object::WebCart, &[("Id", Some("0a6Hs0000000701IAA"))]);
        assert_eq!(guest_reason(&no_account, None), None);
    }

    #[test]
    fn only_an_order_reference_or_a_guest_checkout_shows_an_lwr_store() {
        let cart = |account: &str| {
            record(
                Object::WebCart,
                &[
                    ("Id", Some("0a6Hs0000000701IAA")),
                    ("AccountId", Some(account)),
                ],
            )
        };
        let session = |orn: Option<&str>| {
            record(
                Object::CartCheckoutSession,
                &[
                    ("Id", Some("2z9Hs0000000701IAA")),
                    ("WebCartId", Some("0a6Hs0000000701IAA")),
                    ("OrderReferenceNumber", orn),
                ],
            )
        };
        let group = record(
            Object::CartDeliveryGroup,
            &[
                ("Id", Some("0a7Hs0000000701IAA")),
                ("CartId", Some("0a6Hs0000000701IAA")),
            ],
        );
        let payment = record(
            Object::PaymentAuthorization,
            &[("Id", Some("0XcHs0000000701KAA")), ("Amount", Some("1"))],
        );
        // Delivery groups and payments are kept by Aura checkouts too.
        let aura = records(vec![
            cart("001Hs0000004431IAA"),
            session(None),
            group,
            payment,
        ]);
        assert_eq!(lwr_evidence(&aura), None);
        let placed = records(vec![cart("001Hs0000004431IAA"), session(Some("orn"))]);
        assert!(
            lwr_evidence(&placed)
                .unwrap()
                .contains("has an OrderReferenceNumber")
        );
        let guest = records(vec![cart("3K0Hs0000000101KAA"), session(None)]);
        assert!(lwr_evidence(&guest).unwrap().contains("is a guest's"));
        // A guest's cart with no checkout shows nothing about checkout.
        let browsing = records(vec![cart("3K0Hs0000000101KAA")]);
        assert_eq!(lwr_evidence(&browsing), None);
    }
}
