//! The one way to make a world from records: the scenario loader, `diagnose`'s rebuild
//! and the tests all build through [`WorldBuilder`], which adds each record through the
//! world's edit path so its lookups are right from the start.

use super::flow::{default_flow, default_flow_v2};
use super::id::Id;
use super::model::*;
use super::money::Money;
use super::table::{Keyed, Seq, Table};
use super::world::World;

/// Builds a world record by record, in the order given (which is the order the world
/// keeps). It checks nothing: a loader checks what it reads, and
/// `scenario::validate::world` checks a whole world.
#[derive(Debug, Default)]
pub struct WorldBuilder {
    world: World,
}

impl WorldBuilder {
    /// An empty world at tick 0.
    pub fn new() -> WorldBuilder {
        WorldBuilder::default()
    }

    /// The world built so far, to look records up while building.
    pub fn world(&self) -> &World {
        &self.world
    }

    /// The finished world.
    pub fn build(self) -> World {
        self.world
    }

    /// Sets the clock.
    pub fn tick(&mut self, tick: u64) -> &mut Self {
        self.world.tick = tick;
        self
    }

    /// Adds a store.
    pub fn add_store(&mut self, store: Store) -> &mut Self {
        self.world.insert(store);
        self
    }
    /// Adds a buyer account.
    pub fn add_account(&mut self, account: Account) -> &mut Self {
        self.world.insert(account);
        self
    }
    /// Adds a buyer.
    pub fn add_buyer(&mut self, buyer: Buyer) -> &mut Self {
        self.world.insert(buyer);
        self
    }
    /// Adds a product.
    pub fn add_product(&mut self, product: Product) -> &mut Self {
        self.world.insert(product);
        self
    }
    /// Adds a cart.
    pub fn add_cart(&mut self, cart: WebCart) -> &mut Self {
        self.world.insert(cart);
        self
    }
    /// Adds a CartCheckoutSession.
    pub fn add_session(&mut self, session: CartCheckoutSession) -> &mut Self {
        self.world.insert(session);
        self
    }
    /// Adds a BackgroundOperation (operations run in the order they are added).
    pub fn add_operation(&mut self, operation: BackgroundOperation) -> &mut Self {
        self.world.insert(operation);
        self
    }
    /// Adds an order.
    pub fn add_order(&mut self, order: Order) -> &mut Self {
        self.world.insert(order);
        self
    }
    /// Adds a CartValidationOutput.
    pub fn add_validation_output(&mut self, row: CartValidationOutput) -> &mut Self {
        self.world.insert(row);
        self
    }
    /// Adds a CartDeliveryGroup.
    pub fn add_delivery_group(&mut self, group: CartDeliveryGroup) -> &mut Self {
        self.world.insert(group);
        self
    }
    /// Adds a PaymentAuthorization.
    pub fn add_payment_authorization(&mut self, pa: PaymentAuthorization) -> &mut Self {
        self.world.insert(pa);
        self
    }

    /// Changes a store already added; false when there is none with this id.
    pub fn edit_store(&mut self, id: &str, edit: impl FnOnce(&mut Store)) -> bool {
        self.world.edit(id, edit).is_some()
    }
    /// Changes an account already added.
    pub fn edit_account(&mut self, id: &str, edit: impl FnOnce(&mut Account)) -> bool {
        self.world.edit(id, edit).is_some()
    }
    /// Changes a buyer already added.
    pub fn edit_buyer(&mut self, id: &str, edit: impl FnOnce(&mut Buyer)) -> bool {
        self.world.edit(id, edit).is_some()
    }
    /// Changes a cart already added.
    pub fn edit_cart(&mut self, id: &str, edit: impl FnOnce(&mut WebCart)) -> bool {
        self.world.edit(id, edit).is_some()
    }
    /// Changes a session already added.
    pub fn edit_session(&mut self, id: &str, edit: impl FnOnce(&mut CartCheckoutSession)) -> bool {
        self.world.edit(id, edit).is_some()
    }
    /// Changes an operation already added.
    pub fn edit_operation(
        &mut self,
        id: &str,
        edit: impl FnOnce(&mut BackgroundOperation),
    ) -> bool {
        self.world.edit(id, edit).is_some()
    }
    /// Changes a product already added.
    pub fn edit_product(&mut self, sku: &str, edit: impl FnOnce(&mut Product)) -> bool {
        self.world.edit(sku, edit).is_some()
    }

    /// Adds a store with the current edition's defaults: its id as name, the default
    /// flow, no delivery methods.
    pub fn plain_store(&mut self, id: &str) -> &mut Self {
        self.plain_store_of(id, Edition::Two)
    }

    /// Adds a store with an edition's default settings and flow.
    pub fn plain_store_of(&mut self, id: &str, edition: Edition) -> &mut Self {
        self.add_store(Store {
            id: Id::new(id),
            name: id.to_string(),
            on_cart_change: OnCartChange::CancelCheckout,
            checkout_flow: match edition {
                Edition::One => default_flow(),
                Edition::Two => default_flow_v2(),
            },
            default_flow: true,
            settings: StoreSettings::defaults(edition),
            delivery_methods: Vec::new(),
        })
    }

    /// Adds an account that is a buyer member of these stores.
    pub fn plain_account(&mut self, id: &str, stores: &[&str]) -> &mut Self {
        self.add_account(Account {
            id: Id::new(id),
            name: id.to_string(),
            stores: stores.iter().map(|s| Id::new(s)).collect(),
        })
    }

    /// Adds a buyer who may act for these accounts (acting for the first), with every
    /// permission.
    pub fn plain_buyer(&mut self, id: &str, accounts: &[&str]) -> &mut Self {
        self.add_buyer(Buyer {
            id: Id::new(id),
            name: id.to_string(),
            accounts: accounts.iter().map(|a| Id::new(a)).collect(),
            effective_account: accounts.first().map(|a| Id::new(a)).unwrap_or_default(),
            permissions: Permission::ALL.to_vec(),
            guest: false,
            token: None,
            address: None,
        })
    }

    /// Adds a product.
    pub fn plain_product(&mut self, sku: &str, price: Money) -> &mut Self {
        self.add_product(Product {
            sku: Id::new(sku),
            name: sku.to_string(),
            price,
        })
    }

    /// Adds an empty Active cart of this store, owned by this buyer, for the buyer's
    /// effective account.
    pub fn empty_cart(&mut self, id: &str, store: &str, buyer: &str) -> &mut Self {
        let account = self
            .world
            .buyer(buyer)
            .map(|b| b.effective_account)
            .unwrap_or_default();
        self.add_cart(WebCart {
            id: Id::new(id),
            name: id.to_string(),
            store: Id::new(store),
            buyer: Id::new(buyer),
            account,
            status: CartStatus::Active,
            items: Vec::new(),
            version: 0,
            touched_by_custom_code: false,
            guest_email: None,
            total_charge: Money::ZERO,
            total_tax: Money::ZERO,
            custom_code_armed: false,
            last_custom_save: None,
        })
    }
}

/// Goes on building from a world: records are added or changed through the same edit
/// path as a fresh build (tests stage a state this way, the UI its world edits).
impl From<World> for WorldBuilder {
    fn from(world: World) -> WorldBuilder {
        WorldBuilder { world }
    }
}

/// The world built so far can be read while building (to look a record up before adding
/// another); it changes only through the builder's methods.
impl std::ops::Deref for WorldBuilder {
    type Target = World;
    fn deref(&self) -> &World {
        &self.world
    }
}

/// One cart's records in a world, each kind in the order the world keeps it: what
/// [`World::one_cart`] holds, and what `explore` files a cart's look-ahead answers by.
#[derive(Debug, Clone)]
pub struct CartRecords<'w> {
    /// The cart.
    pub cart: &'w WebCart,
    /// Its CartCheckoutSessions.
    pub sessions: Vec<&'w CartCheckoutSession>,
    /// The BackgroundOperations its sessions name.
    pub operations: Vec<&'w BackgroundOperation>,
    /// The orders its sessions name.
    pub orders: Vec<&'w Order>,
    /// Its CartValidationOutputs.
    pub validation_outputs: Vec<&'w CartValidationOutput>,
    /// Its checkouts' CartDeliveryGroups.
    pub delivery_groups: Vec<&'w CartDeliveryGroup>,
    /// Its checkouts' PaymentAuthorizations.
    pub payment_authorizations: Vec<&'w PaymentAuthorization>,
}

/// Where one cart's records sit in their tables ([`CartRecords`] as places), each kind
/// in the order of its table. Kept between calls of [`World::cart_places`], so that a
/// search asking for thousands of carts' records reuses the same room.
#[derive(Debug, Clone, Default)]
pub struct CartPlaces {
    pub(crate) cart: Seq,
    pub(crate) sessions: Vec<Seq>,
    pub(crate) operations: Vec<Seq>,
    pub(crate) orders: Vec<Seq>,
    pub(crate) validation_outputs: Vec<Seq>,
    pub(crate) delivery_groups: Vec<Seq>,
    pub(crate) payment_authorizations: Vec<Seq>,
}

/// Sorts places into table order, each once.
fn in_order(seqs: &mut Vec<Seq>) {
    seqs.sort_unstable();
    seqs.dedup();
}

impl World {
    /// Fills `out` with the places of `cart`'s records (see [`CartRecords`]); false
    /// when there is no such cart.
    pub fn cart_places(&self, cart: &str, out: &mut CartPlaces) -> bool {
        let Some(at) = self.carts.seq(cart) else {
            return false;
        };
        out.cart = at;
        // Only places that hold a record, so that a reader finds one at each.
        out.sessions.clear();
        if let Some(seqs) = self.lookups.sessions_by_cart.get(cart) {
            out.sessions.extend(seqs.iter().copied());
        }
        out.sessions.retain(|&i| self.sessions.at(i).is_some());
        out.operations.clear();
        out.orders.clear();
        out.delivery_groups.clear();
        out.payment_authorizations.clear();
        for &seq in &out.sessions {
            let Some(s) = self.sessions.at(seq) else {
                continue;
            };
            if let Some(o) = s.background_operation_id
                && let Some(at) = self.operations.seq(&o)
            {
                out.operations.push(at);
            }
            if let Some(o) = s.order_id
                && let Some(at) = self.orders.seq(&o)
            {
                out.orders.push(at);
            }
            if let Some(seqs) = self.lookups.groups_by_session.get(&s.id) {
                out.delivery_groups.extend(seqs.iter().copied());
            }
            if let Some(seqs) = self.lookups.payments_by_session.get(&s.id) {
                out.payment_authorizations.extend(seqs.iter().copied());
            }
        }
        // Each kind in the order of its table: operations run in launch order.
        in_order(&mut out.operations);
        in_order(&mut out.orders);
        in_order(&mut out.delivery_groups);
        in_order(&mut out.payment_authorizations);
        out.operations.retain(|&i| self.operations.at(i).is_some());
        out.orders.retain(|&i| self.orders.at(i).is_some());
        out.delivery_groups
            .retain(|&i| self.delivery_groups.at(i).is_some());
        out.payment_authorizations
            .retain(|&i| self.payment_authorizations.at(i).is_some());
        out.validation_outputs.clear();
        if let Some(seqs) = self.lookups.validation_by_cart.get(cart) {
            out.validation_outputs.extend(seqs.iter().copied());
        }
        out.validation_outputs
            .retain(|&i| self.validation_outputs.at(i).is_some());
        true
    }

    /// The records of `cart` (see [`CartRecords`]); `None` when there is no such cart.
    pub fn cart_records(&self, cart: &str) -> Option<CartRecords<'_>> {
        let mut places = CartPlaces::default();
        if !self.cart_places(cart, &mut places) {
            return None;
        }
        fn at<'w, T: Keyed>(table: &'w Table<T>, seqs: &[Seq]) -> Vec<&'w T> {
            seqs.iter().filter_map(|&i| table.at(i)).collect()
        }
        Some(CartRecords {
            cart: self.carts.at(places.cart)?,
            sessions: at(&self.sessions, &places.sessions),
            operations: at(&self.operations, &places.operations),
            orders: at(&self.orders, &places.orders),
            validation_outputs: at(&self.validation_outputs, &places.validation_outputs),
            delivery_groups: at(&self.delivery_groups, &places.delivery_groups),
            payment_authorizations: at(
                &self.payment_authorizations,
                &places.payment_authorizations,
            ),
        })
    }

    /// This world with one cart's records only: the clock, the stores, accounts, buyers
    /// and products as they are (shared, not copied), and of the carts' records those of
    /// [`World::cart_records`]. Its cost is what that cart holds.
    ///
    /// Time moves each cart's checkout on its own (an operation's work, a session's
    /// time-to-live and what a finishing operation changes all belong to one cart), and
    /// a buyer action on a cart reads only that cart's records and the reference ones:
    /// so what a wait or the cart's own actions do to `cart` here is what they do to it
    /// in the whole world, without the other carts' events. `diagnose` predicts each
    /// cart's expiry this way, and `explore` files the answers of a cart's look-ahead by
    /// these records alone for the same reason. An id
    /// generated here is above every id of its form this world holds or names (so it
    /// never names another cart's record), and so may differ from the one the whole
    /// world would give.
    pub fn one_cart(&self, cart: &str) -> World {
        let mut w = World {
            tick: self.tick,
            stores: self.stores.clone(),
            accounts: self.accounts.clone(),
            buyers: self.buyers.clone(),
            products: self.products.clone(),
            ..World::default()
        };
        // Generated ids start above every id of their form this world holds or names,
        // so that none names another cart's record.
        for (next, (own, high)) in w
            .next_ids
            .iter_mut()
            .zip(self.next_ids.iter().zip(self.lookups.generated_high))
        {
            *next = (*own).max(high);
        }
        w.lookups.generated_high = self.lookups.generated_high;
        let Some(r) = self.cart_records(cart) else {
            return w;
        };
        w.insert(r.cart.clone());
        for s in r.sessions {
            w.insert(s.clone());
        }
        for o in r.operations {
            w.insert(o.clone());
        }
        for o in r.orders {
            w.insert(o.clone());
        }
        for v in r.validation_outputs {
            w.insert(v.clone());
        }
        for g in r.delivery_groups {
            w.insert(g.clone());
        }
        for p in r.payment_authorizations {
            w.insert(p.clone());
        }
        w
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Action;

    #[test]
    fn a_built_world_runs_a_checkout_without_any_file() {
        let mut b = WorldBuilder::new();
        b.plain_store("w")
            .plain_account("a", &["w"])
            .plain_buyer("b", &["a"])
            .plain_product("p", Money::from_cents(500))
            .empty_cart("c", "w", "b");
        let mut w = b.build();
        let add = Action::AddToCart {
            cart: "c".into(),
            sku: "p".into(),
            quantity: crate::engine::Quantity::Whole(1),
            actor: None,
        };
        assert!(w.apply(&add).result.is_ok());
        let start = Action::StartCheckout {
            cart: "c".into(),
            actor: None,
        };
        assert!(w.apply(&start).result.is_ok());
        assert!(w.apply(&Action::Settle).result.is_ok());
        assert_eq!(w.cart("c").map(|c| c.status), Some(CartStatus::Checkout));
        assert!(w.active_session("c").is_some());
    }
}
