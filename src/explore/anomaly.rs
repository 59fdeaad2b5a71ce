//! The catalogue of anomalies: states (or steps) that no correct checkout reaches.
//!
//! Each entry has a name, a sentence, and the rule or source that makes it wrong. Most
//! are read from one state; two need a step (the action that led there), and two look a
//! few buyer actions ahead ([`Lookahead`]).

use super::alphabet::{Letter, Move, template_of};
use super::fingerprint::{cart_fingerprint, fingerprint};
use super::{Link, Replay};
use crate::engine::{Action, CartStatus, Id, Outcome, PaymentAuthorizationStatus, World};
use serde_json::Value;
use std::collections::HashMap;

/// One anomaly of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Anomaly {
    /// A short name (kebab-case), as `--json` and the written files name it.
    pub name: &'static str,
    /// What is wrong, in one sentence.
    pub sentence: &'static str,
    /// The rule or source that makes it wrong.
    pub why: &'static str,
}

/// The cart is in Checkout and no CartCheckoutSession of it is active.
pub const CHECKOUT_WITHOUT_SESSION: Anomaly = Anomaly {
    name: "checkout-without-session",
    sentence: "The cart is in Checkout but has no active CartCheckoutSession.",
    why: "WebCart.Status Checkout means a checkout is in progress (Object Reference, WebCart); the checkout's state lives on its CartCheckoutSession, so with none active no checkout action can move the cart on.",
};
/// A session says it is processing while no operation of it runs.
pub const PROCESSING_WITHOUT_OPERATION: Anomaly = Anomaly {
    name: "processing-without-operation",
    sentence: "An active CartCheckoutSession is processing (IsProcessing true) but no BackgroundOperation of it is in progress.",
    why: "IsProcessing tells the storefront to wait for the session's BackgroundOperation (Object Reference, CartCheckoutSession); with none in progress the spinner never stops.",
};
/// A session names an operation that does not exist.
pub const MISSING_OPERATION: Anomaly = Anomaly {
    name: "missing-operation",
    sentence: "A CartCheckoutSession's BackgroundOperationId names no BackgroundOperation.",
    why: "BackgroundOperationId is a lookup to BackgroundOperation (Object Reference, CartCheckoutSession); a dangling id leaves nothing to poll or cancel.",
};
/// The buyer cannot take the cart out of Checkout.
pub const STUCK_IN_CHECKOUT: Anomaly = Anomaly {
    name: "stuck-in-checkout",
    sentence: "The cart is in Checkout and no sequence of buyer actions within the lookahead takes it out; only time or support can free it.",
    why: "A buyer may always leave a checkout: Cancel Cart Async Operation or a cart change cancels it (Checkout Flow Actions guide; WebCart.Status Checkout 'may be modified').",
};
/// Two orders for one cart.
pub const TWO_ORDERS: Anomaly = Anomaly {
    name: "two-orders",
    sentence: "One cart has two Orders.",
    why: "A checkout turns one cart into one order and closes the cart (Object Reference, WebCart.Status Closed: 'checkout complete, order created').",
};
/// An order while the cart stays open.
pub const ORDER_CART_OPEN: Anomaly = Anomaly {
    name: "order-cart-open",
    sentence: "An Order exists for the cart while the cart is still Active or Checkout and nothing in progress will close it.",
    why: "Creating the order closes the cart (Object Reference, WebCart.Status Closed); an open cart with an order can be ordered again.",
};
/// A payment and no order after place order.
pub const PAID_NO_ORDER: Anomaly = Anomaly {
    name: "paid-no-order",
    sentence: "After place order the checkout has a Processed PaymentAuthorization and no Order, and nothing in progress will create one.",
    why: "Place order turns an authorized payment into an order (Connect REST API, POST /checkouts/{id}/orders); a processed payment with no order is money taken for nothing.",
};
/// A refused cancel that no buyer action can make succeed.
pub const CANCEL_NEVER_SUCCEEDS: Anomaly = Anomaly {
    name: "cancel-never-succeeds",
    sentence: "The buyer's cancel of a checkout is refused, and no sequence of buyer actions within the lookahead lets a cancel succeed.",
    why: "Cancel Cart Async Operation exists so that a buyer can leave a checkout (Checkout Flow Actions guide); a refusal should name something the buyer can change.",
};

/// The whole catalogue, in the order findings are reported.
pub const CATALOGUE: &[Anomaly] = &[
    CHECKOUT_WITHOUT_SESSION,
    PROCESSING_WITHOUT_OPERATION,
    MISSING_OPERATION,
    STUCK_IN_CHECKOUT,
    TWO_ORDERS,
    ORDER_CART_OPEN,
    PAID_NO_ORDER,
    CANCEL_NEVER_SUCCEEDS,
];

/// The anomalies of the catalogue a search still looks for: bit `i` stands for
/// `CATALOGUE[i]`. A search reports each anomaly once, by its shortest example, so once
/// it has one, looking for that anomaly again (and running its look-ahead, the dearest
/// check) can change nothing it reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Open(u32);

impl Open {
    /// Every anomaly of the catalogue.
    pub const ALL: Open = Open((1 << CATALOGUE.len()) - 1);

    /// The anomalies at the positions of the catalogue for which `open` is true.
    pub fn from_fn(open: impl Fn(usize) -> bool) -> Open {
        Open(
            (0..CATALOGUE.len())
                .filter(|&i| open(i))
                .fold(0, |bits, i| bits | 1 << i),
        )
    }

    /// Whether `anomaly` is still looked for.
    fn has(self, anomaly: &Anomaly) -> bool {
        self.0 & 1 << index_of(anomaly) != 0
    }

    /// True when none is.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

/// The field values that show an anomaly in a state: what the counterexample's last
/// step expects.
pub type Witness = Vec<(String, String, Value)>;

/// An anomaly seen, with its witness; `refused` when the step itself must be refused.
#[derive(Debug, Clone)]
pub struct Seen {
    /// Which anomaly (index into [`CATALOGUE`]).
    pub anomaly: usize,
    /// The field values that show it.
    pub witness: Witness,
    /// True when the last step is refused (its expectation says so).
    pub refused: bool,
}

fn index_of(a: &Anomaly) -> usize {
    CATALOGUE.iter().position(|c| c.name == a.name).unwrap_or(0)
}

fn w(record: &str, field: &str, value: Value) -> (String, String, Value) {
    (record.to_string(), field.to_string(), value)
}

/// Whether some operation a cart's active session names is still in progress.
fn busy(world: &World, cart: &str) -> bool {
    world
        .active_session(cart)
        .and_then(|s| s.background_operation_id.as_deref())
        .and_then(|id| world.operation(id))
        .is_some_and(|o| o.status.in_progress())
}

/// The most answers a [`Lookahead`] keeps (about 24 bytes each, 6 MiB in all).
pub const LOOKAHEAD_CACHE: usize = 1 << 18;

/// What a look-ahead asks of a state, as its answers are filed: the same search with
/// another goal is another question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Question {
    /// Can the cart leave Checkout?
    LeaveCheckout,
    /// Can this buyer's cancel succeed? The buyer's position among the world's buyers;
    /// `u32::MAX` for the cart's own (no `as`), `u32::MAX - 1` for a buyer the world
    /// does not have. Whether a cancel is refused depends on who cancels, so one
    /// buyer's answer never stands for another's.
    CancelSucceeds(u32),
}

/// Buyer actions a few steps ahead, with a cache per state.
pub struct Lookahead<'a> {
    /// The buyer letters of the alphabet, in the order the search tries them: the
    /// cancels first, then the cart changes, then the rest (see [`Lookahead::new`]).
    pub letters: Vec<&'a Letter>,
    /// How many buyer actions ahead to look.
    pub depth: usize,
    /// Whether the fingerprint counts time.
    pub timed: bool,
    /// Answers already known: (the cart's fingerprint, question) -> reachable.
    /// It lives as long as the search (one per thread), and is emptied when it reaches
    /// [`LOOKAHEAD_CACHE`] answers, so its memory stays bounded.
    cache: HashMap<(u64, Question), bool>,
    /// Room to find a cart's records in, reused by every question.
    places: crate::engine::builder::CartPlaces,
    /// Room for the ids of a state's carts, reused by every state.
    carts: Vec<Id>,
}

impl<'a> Lookahead<'a> {
    /// A lookahead over the buyer letters of `alphabet`.
    ///
    /// Whether a goal is reached within the depth does not depend on the order the
    /// letters are tried in, but how soon the search stops does: a cart usually leaves
    /// Checkout by a cancel or a cart change, so those are tried first.
    pub fn new(alphabet: &'a [Letter], depth: usize, timed: bool) -> Self {
        let mut letters: Vec<&Letter> = alphabet.iter().filter(|l| l.kind.is_buyer()).collect();
        letters.sort_by_key(|l| match l.kind {
            Move::Cancel | Move::CheckoutDelete => 0,
            Move::AddToCart => 1,
            _ => 2,
        });
        Lookahead {
            letters,
            depth,
            timed,
            cache: HashMap::new(),
            places: Default::default(),
            carts: Vec::new(),
        }
    }

    /// Whether some sequence of at most `depth` buyer actions on `cart` reaches a world
    /// where `goal` holds (the start world included).
    fn reaches(
        &mut self,
        start: &mut World,
        question: Question,
        cart: &str,
        goal: &dyn Fn(&mut World) -> bool,
    ) -> bool {
        // Only the cart's own actions are tried, and they read only the cart's own
        // records (and the reference ones, the same in every state): the answer is the
        // cart's alone, whatever the other carts hold, so it is filed by the cart's
        // records. A miss searches from the whole state in place, and puts it back.
        let Some(cart_fp) = cart_fingerprint(start, cart, self.timed, &mut self.places) else {
            // No such cart: none of its actions can reach anything.
            return false;
        };
        let key = (cart_fp, question);
        if let Some(&known) = self.cache.get(&key) {
            return known;
        }
        let root_fp = fingerprint(start, self.timed);
        let answer = self.search(start, root_fp, cart, goal);
        if self.cache.len() >= LOOKAHEAD_CACHE {
            self.cache.clear();
        }
        self.cache.insert(key, answer);
        answer
    }

    /// Searches from `root`, which it changes and puts back as it was. Breadth first,
    /// each state kept as its path of letters from `root` (a parent link): the world
    /// moves from one state to the next by undoing back to the prefix the two paths
    /// share and playing the rest, so no world is copied (a copy would copy each record
    /// and table node the next action edits).
    fn search(
        &self,
        root: &mut World,
        root_fp: u64,
        cart: &str,
        goal: &dyn Fn(&mut World) -> bool,
    ) -> bool {
        if goal(root) {
            return true;
        }
        let mut seen = std::collections::HashSet::new();
        seen.insert(root_fp);
        // Only the cart's own actions: another cart's checkout does not free this one.
        let letters: Vec<&Letter> = self
            .letters
            .iter()
            .copied()
            .filter(|l| l.action.cart() == Some(cart))
            .collect();
        // The states found, each as its link to its parent; state 0 is `root`.
        let mut links = vec![Link {
            parent: u32::MAX,
            letter: u32::MAX,
        }];
        let mut level = 0..1;
        let mut replay = Replay::new();
        let action = |i: usize| &letters[i].action;
        let mut reached = false;
        'levels: for step in 1..=self.depth {
            let last = step == self.depth;
            let next = links.len();
            for node in level {
                replay.move_to_node(root, action, &links, node);
                for (i, letter) in letters.iter().enumerate() {
                    let (outcome, undo) = root.apply_quiet_undoable(&letter.action);
                    if outcome.result.is_ok() {
                        reached = goal(root);
                        if !reached && !last && seen.insert(fingerprint(root, self.timed)) {
                            links.push(Link {
                                parent: node as u32,
                                letter: i as u32,
                            });
                        }
                    }
                    root.undo(&undo);
                    if reached {
                        break 'levels;
                    }
                }
            }
            level = next..links.len();
        }
        replay.move_to_root(root);
        reached
    }
}

/// The anomalies a state shows.
pub fn in_state(world: &World, ahead: &mut Lookahead) -> Vec<Seen> {
    in_state_open(&mut world.clone(), ahead, Open::ALL)
}

/// The anomalies of `open` a state shows.
///
/// The look-ahead plays actions on `world` itself and undoes them: it is handed back
/// as it was.
pub fn in_state_open(world: &mut World, ahead: &mut Lookahead, open: Open) -> Vec<Seen> {
    let mut out = Vec::new();
    if open.is_empty() {
        return out;
    }
    // The carts' ids in room the look-ahead keeps (its searches change `world`, so
    // the carts cannot be read from it while they run).
    let mut carts = std::mem::take(&mut ahead.carts);
    carts.clear();
    carts.extend(world.carts().iter().map(|c| c.id));
    for &cart_id in &carts {
        let id = cart_id.as_str();
        let Some(status) = world.cart(id).map(|c| c.status) else {
            continue;
        };
        let active = world.active_session(id);
        if status == CartStatus::Checkout && active.is_none() && open.has(&CHECKOUT_WITHOUT_SESSION)
        {
            let mut witness = vec![w(id, "Status", Value::from("Checkout"))];
            for s in world.sessions_of(id) {
                witness.push(w(&s.id, "IsArchived", Value::Bool(true)));
            }
            out.push(Seen {
                anomaly: index_of(&CHECKOUT_WITHOUT_SESSION),
                witness,
                refused: false,
            });
        }
        if let Some(s) = active
            && s.is_processing
            && open.has(&PROCESSING_WITHOUT_OPERATION)
        {
            let op = s
                .background_operation_id
                .as_deref()
                .and_then(|o| world.operation(o));
            if !op.is_some_and(|o| o.status.in_progress()) {
                let mut witness = vec![w(&s.id, "IsProcessing", Value::Bool(true))];
                match (op, s.background_operation_id.as_deref()) {
                    (Some(o), _) => {
                        witness.push(w(&o.id, "Status", Value::from(o.status.as_str())));
                    }
                    (None, None) => witness.push(w(&s.id, "BackgroundOperationId", Value::Null)),
                    (None, Some(_)) => {}
                }
                out.push(Seen {
                    anomaly: index_of(&PROCESSING_WITHOUT_OPERATION),
                    witness,
                    refused: false,
                });
            }
        }
        if status == CartStatus::Checkout && open.has(&STUCK_IN_CHECKOUT) {
            let free = ahead.reaches(world, Question::LeaveCheckout, id, &|w: &mut World| {
                w.cart(id).is_some_and(|c| c.status != CartStatus::Checkout)
            });
            if !free {
                out.push(Seen {
                    anomaly: index_of(&STUCK_IN_CHECKOUT),
                    witness: vec![w(id, "Status", Value::from("Checkout"))],
                    refused: false,
                });
            }
        }
        if !open.has(&TWO_ORDERS) && !open.has(&ORDER_CART_OPEN) {
            continue;
        }
        let orders: Vec<_> = world.orders().iter().filter(|o| o.cart == id).collect();
        if orders.len() >= 2 && open.has(&TWO_ORDERS) {
            let witness = orders
                .iter()
                .filter(|o| {
                    world
                        .session(&o.session)
                        .is_some_and(|s| s.order_id.as_deref() == Some(o.id.as_str()))
                })
                .map(|o| w(&o.session, "OrderId", Value::from(o.id.as_str())))
                .collect();
            out.push(Seen {
                anomaly: index_of(&TWO_ORDERS),
                witness,
                refused: false,
            });
        }
        if let Some(order) = orders.first()
            && open.has(&ORDER_CART_OPEN)
            && matches!(status, CartStatus::Active | CartStatus::Checkout)
            && !busy(world, id)
        {
            let mut witness = vec![w(id, "Status", Value::from(status.as_str()))];
            if world
                .session(&order.session)
                .is_some_and(|s| s.order_id.as_deref() == Some(order.id.as_str()))
            {
                witness.push(w(&order.session, "OrderId", Value::from(order.id.as_str())));
            }
            out.push(Seen {
                anomaly: index_of(&ORDER_CART_OPEN),
                witness,
                refused: false,
            });
        }
    }
    ahead.carts = carts;
    for s in world
        .sessions()
        .iter()
        .filter(|_| open.has(&MISSING_OPERATION))
    {
        if let Some(op) = s.background_operation_id.as_deref()
            && world.operation(op).is_none()
        {
            out.push(Seen {
                anomaly: index_of(&MISSING_OPERATION),
                witness: vec![w(&s.id, "BackgroundOperationId", Value::from(op))],
                refused: false,
            });
        }
    }
    out
}

/// The anomalies a step shows: `before` --`letter`--> `after`.
pub fn in_step(
    before: &World,
    letter: &Letter,
    outcome: &Outcome,
    after: &World,
    ahead: &mut Lookahead,
) -> Vec<Seen> {
    in_step_open(before, letter, outcome, after, ahead, Open::ALL)
}

/// The anomalies of `open` a step shows: `before` --`letter`--> `after`.
pub fn in_step_open(
    before: &World,
    letter: &Letter,
    outcome: &Outcome,
    after: &World,
    ahead: &mut Lookahead,
    open: Open,
) -> Vec<Seen> {
    let mut out = Vec::new();
    let cancel = CancelCheck::before(before, letter, open);
    let refused = step_after(letter, outcome, after, open, cancel, &mut out);
    if let Some(refused) = refused {
        refused.judge(&mut before.clone(), ahead, &mut out);
    }
    out
}

/// What the step's anomalies need to know of the world before the step: whether the
/// letter is its cart's cancel while the cart is in Checkout, and whose it is. Taken
/// before the letter is played, so that a search playing letters on one world in place
/// can judge the step after undoing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CancelCheck {
    /// The buyer whose cancel it is: a place among the world's buyers, `u32::MAX` for
    /// an action without an actor, `u32::MAX - 1` for a buyer the world does not have.
    who: u32,
}

impl CancelCheck {
    /// Taken from the world before `letter`: `Some` when `cancel-never-succeeds` is
    /// open and the letter is the cancel of a cart in Checkout.
    pub fn before(before: &World, letter: &Letter, open: Open) -> Option<CancelCheck> {
        if !open.has(&CANCEL_NEVER_SUCCEEDS) {
            return None;
        }
        let cart = letter.action.cart()?;
        let in_checkout = letter.kind == Move::cancel_of(template_of(before, cart))
            && before
                .cart(cart)
                .is_some_and(|c| c.status == CartStatus::Checkout);
        if !in_checkout {
            return None;
        }
        let who = match letter.action.actor() {
            None => u32::MAX,
            // A buyer the world does not have: refused alike whoever it names.
            Some(a) => before
                .buyers()
                .position(a)
                .map_or(u32::MAX - 1, |i| i as u32),
        };
        Some(CancelCheck { who })
    }
}

/// A refused cancel of a cart in Checkout, waiting to be judged on the world before
/// the step: whether any buyer actions within the look-ahead let that cancel succeed.
pub struct RefusedCancel<'l> {
    letter: &'l Letter,
    who: u32,
    /// The cart's status after the refusal, for the witness.
    status: String,
}

impl RefusedCancel<'_> {
    /// Judges the refusal from `before` (the world the cancel was refused on), adding
    /// `cancel-never-succeeds` to `out` when no buyer actions let the cancel succeed.
    /// The look-ahead plays actions on `before` and hands it back as it was.
    pub fn judge(self, before: &mut World, ahead: &mut Lookahead, out: &mut Vec<Seen>) {
        let Some(cart) = self.letter.action.cart() else {
            return;
        };
        let cancel = &self.letter.action;
        let can = ahead.reaches(before, Question::CancelSucceeds(self.who), cart, &|w| {
            let (outcome, undo) = w.apply_quiet_undoable(cancel);
            w.undo(&undo);
            outcome.result.is_ok()
        });
        if !can {
            out.push(Seen {
                anomaly: index_of(&CANCEL_NEVER_SUCCEEDS),
                witness: vec![w(cart, "Status", Value::from(self.status))],
                refused: true,
            });
        }
    }
}

/// The step's anomalies that are seen on `after`, added to `out`; and, when `cancel`
/// (taken before the step) applies and the cancel was refused, the refusal to judge on
/// the world before the step.
pub fn step_after<'l>(
    letter: &'l Letter,
    outcome: &Outcome,
    after: &World,
    open: Open,
    cancel: Option<CancelCheck>,
    out: &mut Vec<Seen>,
) -> Option<RefusedCancel<'l>> {
    let cart = letter.action.cart()?;
    if matches!(letter.action, Action::PlaceOrder { .. })
        && open.has(&PAID_NO_ORDER)
        && let Some(s) = after
            .active_session(cart)
            .or_else(|| after.sessions_of(cart).last())
        && !busy(after, cart)
        && !after.orders().iter().any(|o| o.session == s.id)
        && let Some(p) = after
            .payment_authorizations_of(&s.id)
            .find(|p| p.status == PaymentAuthorizationStatus::Processed)
    {
        out.push(Seen {
            anomaly: index_of(&PAID_NO_ORDER),
            witness: vec![
                w(&p.id, "Status", Value::from("Processed")),
                w(&s.id, "OrderId", Value::Null),
            ],
            refused: outcome.result.is_err(),
        });
    }
    let check = cancel?;
    if outcome.result.is_ok() {
        return None;
    }
    Some(RefusedCancel {
        letter,
        who: check.who,
        status: after
            .cart(cart)
            .map(|c| c.status.as_str())
            .unwrap_or("Checkout")
            .to_string(),
    })
}
