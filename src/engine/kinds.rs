//! The catalogue of step kinds: one declarative row per kind of [`Action`], the `do`
//! keyword of a scenario step. The loader, the saver, the player's wording, the REST
//! request line, the terminal UI's key help and the JSON Schema (`cartsim schema`) all
//! read this table, so a kind is declared once and the copies cannot drift.

use super::Template;
use super::actions::{Action, Quantity};
use super::model::Address;
use super::settings::SettingValue;

/// Which kind of store accepts a step kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stores {
    /// Both store kinds (time, fault injection, world edits, cart changes).
    Both,
    /// Only `aura` stores: the checkout flow actions.
    Aura,
    /// Only `lwr` stores: the calls of the Connect REST checkout API.
    Lwr,
}

impl Stores {
    /// True when a store of `template` accepts the kind.
    pub fn accepts(self, template: Template) -> bool {
        match self {
            Stores::Both => true,
            Stores::Aura => template == Template::Aura,
            Stores::Lwr => template == Template::Lwr,
        }
    }
}

/// One row of the catalogue.
#[derive(Debug)]
pub struct StepKindRow {
    /// The kind this row declares.
    pub kind: StepKind,
    /// The `do` keyword.
    pub name: &'static str,
    /// The keys it takes besides the common ones (`do`, `as`, `note`, `marker`,
    /// `expect`, `quiz`), in the order a file writes them.
    pub keys: &'static [&'static str],
    /// Which of `keys` may be left out.
    pub optional: &'static [&'static str],
    /// Of these optional keys, at least one must be given.
    pub one_of: &'static [&'static str],
    /// Which store kind accepts it.
    pub stores: Stores,
    /// A human name: Salesforce's name where it has one.
    pub title: &'static str,
    /// A REST call's method and path after `/commerce/webstores/{store}/checkouts`
    /// (`{id}` is the checkout's id); `None` for an action that is not a REST call.
    pub request: Option<(&'static str, &'static str)>,
    /// How the log words a step of this kind after its `do` keyword (`cancel cart-1`):
    /// `{key}` is the value of one of `keys`, `{key|one|many}` the word that agrees with
    /// a count, and a part in `[...]` is written only when every key it names is given.
    /// Every key appears, so the log hides nothing the step says.
    pub wording: &'static str,
    /// What it does, in one line, for help texts.
    pub help: &'static str,
    /// What it does and refuses, in full, for the schema (after the request line, for
    /// a REST call).
    pub doc: &'static str,
}

/// Declares [`StepKind`] and [`STEP_KINDS`] from the same rows, so the enum and the
/// table have one order and one spelling.
macro_rules! step_kinds {
    ($($variant:ident { $($field:ident: $value:expr),* $(,)? })+) => {
        /// The kind of a step: the `do` keyword, typed. [`Action`] is its typed face
        /// (an action with its arguments); [`Action::kind`] goes from one to the other.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum StepKind {
            $(
                #[doc = concat!("See [`STEP_KINDS`]: `", stringify!($variant), "`.")]
                $variant,
            )+
        }

        /// Every step kind (both editions), in the order the schema and help list them.
        pub const STEP_KINDS: &[StepKindRow] = &[
            $(StepKindRow { kind: StepKind::$variant, $($field: $value),* },)+
        ];
    };
}

step_kinds! {
    StartCheckout {
        name: "start_checkout",
        keys: &["cart"],
        optional: &[],
        one_of: &[],
        stores: Stores::Aura,
        title: "Checkout Session (start checkout)",
        request: None,
        wording: "{cart}",
        help: "the Checkout Session action",
        doc: "The Checkout Session action: checks the buyer (permission `checkout`, a valid effective account, store membership), refuses a cart that is not Active or already has an active session (\"Cart Is Already in Progress\"; see the store setting `checkout_session`), creates a CartCheckoutSession, sets WebCart.Status to Checkout and enters the flow's first state.",
    }
    AddToCart {
        name: "add_to_cart",
        keys: &["cart", "sku", "quantity"],
        optional: &[],
        one_of: &[],
        stores: Stores::Both,
        title: "Add to cart",
        request: None,
        wording: "{cart} {quantity} x {sku}",
        help: "a cart change",
        doc: "A cart change (permission `edit_cart`). Refused when WebCart.Status is Closed, PendingClosed, PendingDelete or Processing, or the quantity is not a positive whole number. On a cart in Checkout it first runs Cancel Cart Async Operation (store setting `cancel_checkout`) or restarts the checkout (`recalculate`).",
    }
    Cancel {
        name: "cancel",
        keys: &["cart"],
        optional: &[],
        one_of: &[],
        stores: Stores::Both,
        title: "Cancel Cart Async Operation",
        request: None,
        wording: "{cart}",
        help: "Cancel Cart Async Operation",
        doc: "Cancel Cart Async Operation (permission `cancel_checkout`): checks its six requirements in order; on success the running BackgroundOperation becomes Canceled, the session gets CartCheckoutSession.IsArchived true and the cart becomes Active.",
    }
    Continue {
        name: "continue",
        keys: &["cart"],
        optional: &[],
        one_of: &[],
        stores: Stores::Aura,
        title: "Continue (Update Checkout Session)",
        request: None,
        wording: "{cart}",
        help: "the buyer completes the current buyer state",
        doc: "The buyer completes the current buyer state (permission `checkout`); the checkout moves to its next state. Refused while an operation runs (with the code the store setting `continue_while_processing` names) or when the session is not waiting in a buyer state.",
    }
    Wait {
        name: "wait",
        keys: &["ticks"],
        optional: &["ticks"],
        one_of: &[],
        stores: Stores::Both,
        title: "Wait",
        request: None,
        wording: "{ticks} {ticks|tick|ticks}",
        help: "virtual time passes (1 tick unless `ticks`)",
        doc: "Virtual time passes: `ticks` ticks, 1 when left out.",
    }
    Settle {
        name: "settle",
        keys: &[],
        optional: &[],
        one_of: &[],
        stores: Stores::Both,
        title: "Settle",
        request: None,
        wording: "",
        help: "time passes until nothing is New or Running",
        doc: "Time passes until no BackgroundOperation is in progress (New, Scheduled, Waiting or Running) (refused after 1,000,000 ticks, changing nothing). Takes no keys besides the common ones.",
    }
    FailOperation {
        name: "fail_operation",
        keys: &["cart", "message", "type", "level"],
        optional: &["message", "type", "level"],
        one_of: &[],
        stores: Stores::Both,
        title: "Fail operation",
        request: None,
        wording: "{cart}[ {level}][ {type}] \"{message}\"",
        help: "the running operation's integration fails at its next tick and writes a CartValidationOutput (an Error stops the checkout; a Warning or Info does not)",
        doc: "Fault injection: the integration of the running BackgroundOperation of the cart's active session fails at its next tick and writes a CartValidationOutput row (`type`, `level`, `message`). With level Error (the default) the operation ends in Error, with `message` as its Error, and the session in Error; with Warning or Info the operation completes and the checkout moves on. Refused (NO_RUNNING_OPERATION) when no operation is in progress.",
    }
    CustomUpdate {
        name: "custom_update",
        keys: &["cart", "during"],
        optional: &["during"],
        one_of: &[],
        stores: Stores::Both,
        title: "Custom code saves the cart",
        request: None,
        wording: "{cart}[ during {during}]",
        help: "custom code saves the cart: its ~version goes up, and an operation that read the older version fails (\"cart is currently in use\"); with \"during\": \"next_call\" it runs inside the cart's next PUT, PATCH or DELETE, which answers 409",
        doc: "Custom code (an Apex trigger or an integration, not a buyer: no permission or access checks) saves the cart, which increments its simulator-only `~version`; with `\"during\": \"next_call\"` it runs inside the cart's next PUT, PATCH or DELETE instead, which answers 409 CHECKOUT_CONFLICT. An operation of that cart that launched before the save and finishes after it ends in Error with the message \"Looks like your cart is currently in use. Please try again later.\" and a System_Error CartValidationOutput row.",
    }
    Grant {
        name: "grant",
        keys: &["buyer", "permission"],
        optional: &[],
        one_of: &[],
        stores: Stores::Both,
        title: "Grant permission",
        request: None,
        wording: "{buyer} {permission}",
        help: "give a buyer a permission",
        doc: "Give a buyer a permission.",
    }
    Revoke {
        name: "revoke",
        keys: &["buyer", "permission"],
        optional: &[],
        one_of: &[],
        stores: Stores::Both,
        title: "Revoke permission",
        request: None,
        wording: "{buyer} {permission}",
        help: "take a permission from a buyer",
        doc: "Take a permission from a buyer.",
    }
    SwitchAccount {
        name: "switch_account",
        keys: &["buyer", "account"],
        optional: &[],
        one_of: &[],
        stores: Stores::Both,
        title: "Switch effective account",
        request: None,
        wording: "{buyer} -> {account}",
        help: "set a buyer's effective account",
        doc: "Set a buyer's effective account (any existing account, even one the buyer may not act for).",
    }
    JoinStore {
        name: "join_store",
        keys: &["account", "store"],
        optional: &[],
        one_of: &[],
        stores: Stores::Both,
        title: "Join store",
        request: None,
        wording: "{account} {store}",
        help: "make an account a buyer member of a store",
        doc: "Make an account a buyer member of a store.",
    }
    LeaveStore {
        name: "leave_store",
        keys: &["account", "store"],
        optional: &[],
        one_of: &[],
        stores: Stores::Both,
        title: "Leave store",
        request: None,
        wording: "{account} {store}",
        help: "remove an account from a store's buyers",
        doc: "Remove an account from a store's buyer members.",
    }
    SetSetting {
        name: "set_setting",
        keys: &["store", "key", "value"],
        optional: &[],
        one_of: &[],
        stores: Stores::Both,
        title: "Change a store setting",
        request: None,
        wording: "{store} {key} {value}",
        help: "change one store setting (any but template) from this instant on",
        doc: "Change one store setting from this instant on: `store`, `key` (any key of the store settings but `template`, which is fixed for the whole scenario) and `value` (as the store key takes it: a string for a named value, a number or null for ticks, a number for `tax_rate`). A world edit, like `grant` or `join_store`: no buyer, no actor checks. The log shows it on the store as simulator configuration (`west.~cancel_requirements`), not as a WebStore field.",
    }
    CheckoutStart {
        name: "checkout_start",
        keys: &["cart"],
        optional: &[],
        one_of: &[],
        stores: Stores::Lwr,
        title: "Start checkout (REST PUT /checkouts)",
        request: Some(("PUT", "")),
        wording: "{cart}",
        help: "lwr stores: PUT /commerce/webstores/{store}/checkouts, get or create (202 while calculators run, 200 when ready)",
        doc: ", get or create: with a checkout it returns it (200, or 202 while its calculation runs) and changes nothing; else it creates one (a CartCheckoutSession and its CartDeliveryGroup, the cart to Checkout) and runs one Cart Calculate: Pricing, Promotions and Inventory, and Shipping, Post Shipping and Tax when the buyer has a saved `address` (202).",
    }
    CheckoutPoll {
        name: "checkout_poll",
        keys: &["cart"],
        optional: &[],
        one_of: &[],
        stores: Stores::Lwr,
        title: "Poll checkout (REST GET /checkouts/{id})",
        request: Some(("GET", "/{id}")),
        wording: "{cart}",
        help: "lwr stores: GET .../checkouts/{id} (200 ready, 202 calculation running, 422 ready with errors from an Error row, 404 no checkout, 410 expired)",
        doc: ": 202 while the calculation runs, 422 (result ok: ready with errors) when the cart has an Error CartValidationOutput, else 200; 404 NOT_FOUND without a checkout, 410 GONE when it expired (checkout_expiry eager). Reads only, except that an expired checkout (checkout_expiry on_return) reruns its integrations.",
    }
    CheckoutUpdate {
        name: "checkout_update",
        keys: &["cart", "shipping_address", "delivery_method", "contact"],
        optional: &["shipping_address", "delivery_method", "contact"],
        one_of: &["shipping_address", "delivery_method", "contact"],
        stores: Stores::Lwr,
        title: "Update checkout (REST PATCH /checkouts/{id})",
        request: Some(("PATCH", "/{id}")),
        wording: "{cart}[ shipping_address \"{shipping_address}\"][ delivery_method \"{delivery_method}\"][ contact \"{contact}\"]",
        help: "lwr stores: PATCH .../checkouts/{id} with at least one of shipping_address (an object: street, city, postal_code, country; reruns Shipping, Post Shipping and Tax), delivery_method (one of the store's delivery_methods; reruns Post Shipping and Tax), contact (a guest's e-mail, WebCart.GuestEmailAddress); 409 while the calculation runs",
        doc: " with at least one of `shipping_address` (reruns Shipping, Post Shipping and Tax), `delivery_method` (reruns Post Shipping and Tax) and `contact` (a guest's e-mail; runs nothing): 202, or 200 when nothing calculates; 409 CHECKOUT_CONFLICT while a calculation runs or when custom code ran during the call, 422 INVALID_INPUT for a delivery method the store does not list, 423 LOCKED once the order was accepted.",
    }
    CheckoutDelete {
        name: "checkout_delete",
        keys: &["cart"],
        optional: &[],
        one_of: &[],
        stores: Stores::Lwr,
        title: "Delete checkout (REST DELETE /checkouts/{id})",
        request: Some(("DELETE", "/{id}")),
        wording: "{cart}",
        help: "lwr stores: DELETE .../checkouts/{id} (204; 409 while a calculator runs)",
        doc: ": 204, the session archived and the cart Active (the delivery group and authorizations stay); 409 CHECKOUT_CONFLICT while a calculation runs.",
    }
    Pay {
        name: "pay",
        keys: &["cart", "outcome"],
        optional: &[],
        one_of: &[],
        stores: Stores::Lwr,
        title: "Pay (REST POST /checkouts/{id}/payments)",
        request: Some(("POST", "/{id}/payments")),
        wording: "{cart} {outcome}",
        help: "lwr stores: POST .../checkouts/{id}/payments; `outcome` authorized or declined; paying again reverses the earlier authorization",
        doc: " with `outcome`: `authorized` makes a Processed PaymentAuthorization for the cart's GrandTotalAmount (200), first canceling an earlier one; `declined` is refused (422 PAYMENT_DECLINED) and leaves a Failed PaymentAuthorization. 409 CHECKOUT_CONFLICT while a calculation runs.",
    }
    PlaceOrder {
        name: "place_order",
        keys: &["cart", "action"],
        optional: &["action"],
        one_of: &[],
        stores: Stores::Lwr,
        title: "Place order (REST POST /checkouts/{id}/orders)",
        request: Some(("POST", "/{id}/orders")),
        wording: "{cart}[ {action}]",
        help: "lwr stores: POST .../checkouts/{id}/orders (201 with an OrderReferenceNumber, the cart PendingClosed; repeat-safe; 409, 412, 422); in a place_order: v2 store, `action` prepare or submit calls Place Order V2 (POST .../orders/actions, 200 or 422)",
        doc: ": 201 with an OrderReferenceNumber, the cart PendingClosed and a Cart to Order operation that creates the order and closes the cart; a repeat returns the same number. Refused: 409 while a calculation runs or when custom code saved the cart after the payment, 412 PRECONDITION_FAILED for a guest without GuestEmailAddress, 422 VALIDATION_ERROR without a delivery method, with an Error row, or when the Processed PaymentAuthorizations do not add up to GrandTotalAmount. With `action` (a `place_order: v2` store): Place Order V2, 200 or 422.",
    }
}

/// Place Order V2 (`place_order` with `action`): the one action whose title and request
/// differ from its kind's row.
const PLACE_ORDER_V2_TITLE: &str = "Place Order V2 (REST POST /checkouts/{id}/orders/actions)";
const PLACE_ORDER_V2_REQUEST: (&str, &str) = ("POST", "/{id}/orders/actions");

impl StepKind {
    /// The kind's row in [`STEP_KINDS`].
    pub fn row(self) -> &'static StepKindRow {
        // The macro writes the enum and the table in one order.
        &STEP_KINDS[self as usize]
    }

    /// The `do` keyword.
    pub fn name(self) -> &'static str {
        self.row().name
    }

    /// The kind a `do` keyword names.
    pub fn parse(name: &str) -> Option<StepKind> {
        STEP_KINDS.iter().find(|r| r.name == name).map(|r| r.kind)
    }

    /// Every kind, in table order.
    pub fn all() -> impl Iterator<Item = StepKind> {
        STEP_KINDS.iter().map(|r| r.kind)
    }

    /// The kinds only a store of `stores` accepts, as `do` keywords.
    pub fn names_only_in(stores: Stores) -> impl Iterator<Item = &'static str> {
        STEP_KINDS
            .iter()
            .filter(move |r| r.stores == stores)
            .map(|r| r.name)
    }
}

impl std::fmt::Display for StepKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Action {
    /// The action's step kind (both fault injections are `fail_operation`).
    pub fn kind(&self) -> StepKind {
        match self {
            Action::StartCheckout { .. } => StepKind::StartCheckout,
            Action::AddToCart { .. } => StepKind::AddToCart,
            Action::Cancel { .. } => StepKind::Cancel,
            Action::Continue { .. } => StepKind::Continue,
            Action::Wait { .. } => StepKind::Wait,
            Action::Settle => StepKind::Settle,
            Action::FailOperation { .. } | Action::IntegrationFault { .. } => {
                StepKind::FailOperation
            }
            Action::CustomUpdate { .. } => StepKind::CustomUpdate,
            Action::Grant { .. } => StepKind::Grant,
            Action::Revoke { .. } => StepKind::Revoke,
            Action::SwitchAccount { .. } => StepKind::SwitchAccount,
            Action::JoinStore { .. } => StepKind::JoinStore,
            Action::LeaveStore { .. } => StepKind::LeaveStore,
            Action::SetSetting { .. } => StepKind::SetSetting,
            Action::CheckoutStart { .. } => StepKind::CheckoutStart,
            Action::CheckoutPoll { .. } => StepKind::CheckoutPoll,
            Action::CheckoutUpdate { .. } => StepKind::CheckoutUpdate,
            Action::CheckoutDelete { .. } => StepKind::CheckoutDelete,
            Action::Pay { .. } => StepKind::Pay,
            Action::PlaceOrder { .. } => StepKind::PlaceOrder,
        }
    }

    /// A human name for the action: Salesforce's name where it has one.
    pub fn title(&self) -> &'static str {
        match self {
            Action::PlaceOrder { step: Some(_), .. } => PLACE_ORDER_V2_TITLE,
            _ => self.kind().row().title,
        }
    }

    /// A REST call's method and path after `/commerce/webstores/{store}/checkouts`
    /// (`{id}` stands for the checkout's id); `None` for other actions.
    pub fn request(&self) -> Option<(&'static str, &'static str)> {
        match self {
            Action::PlaceOrder { step: Some(_), .. } => Some(PLACE_ORDER_V2_REQUEST),
            _ => self.kind().row().request,
        }
    }
}

/// The most keys a step kind takes besides the common ones (a test checks every row).
pub const MAX_KEYS: usize = 4;

/// The value of one key of a step, borrowed from its [`Action`]: what the saver writes
/// (as JSON) and the log's wording shows (as text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg<'a> {
    /// Text: an id, a message, or a name of a closed set (`Warning`, `authorized`).
    Text(&'a str),
    /// A count (`ticks`).
    Count(u64),
    /// A quantity as the file wrote it.
    Quantity(&'a Quantity),
    /// A store setting's value.
    Setting(SettingValue),
    /// A shipping address.
    Address(&'a Address),
}

impl Arg<'_> {
    /// The value as a scenario file writes it.
    pub fn to_json(self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            Arg::Text(t) => Value::String(t.to_string()),
            Arg::Count(n) => Value::from(n),
            Arg::Quantity(Quantity::Whole(n)) => Value::from(*n),
            // Text the loader kept because it is no whole number (`1.5`): the number it
            // was written as.
            Arg::Quantity(Quantity::Other(t)) => {
                Value::Number(serde_json::from_str(t).unwrap_or_else(|_| 0.into()))
            }
            Arg::Setting(v) => v.to_json(),
            Arg::Address(a) => {
                let mut map = serde_json::Map::new();
                for (key, part) in [
                    ("street", &a.street),
                    ("city", &a.city),
                    ("postal_code", &a.postal_code),
                    ("country", &a.country),
                ] {
                    if let Some(text) = part {
                        map.insert(key.to_string(), Value::String(text.clone()));
                    }
                }
                Value::Object(map)
            }
        }
    }
}

impl std::fmt::Display for Arg<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Arg::Text(t) => f.write_str(t),
            Arg::Count(n) => write!(f, "{n}"),
            Arg::Quantity(Quantity::Whole(n)) => write!(f, "{n}"),
            Arg::Quantity(Quantity::Other(t)) => f.write_str(t),
            Arg::Setting(v) => write!(f, "{v}"),
            Arg::Address(a) => f.write_str(&a.one_line()),
        }
    }
}

impl Action {
    /// The action's arguments, one slot per key of its kind's row, in the row's order
    /// (`None`: an optional key left out; slots past the row's keys stay `None`). This
    /// is the one place that takes an action apart; the key names come from the row.
    pub fn args(&self) -> [Option<Arg<'_>>; MAX_KEYS] {
        use Arg::Text;
        match self {
            Action::StartCheckout { cart, .. }
            | Action::Cancel { cart, .. }
            | Action::Continue { cart, .. }
            | Action::CheckoutStart { cart, .. }
            | Action::CheckoutPoll { cart, .. }
            | Action::CheckoutDelete { cart, .. } => [Some(Text(cart)), None, None, None],
            Action::AddToCart {
                cart,
                sku,
                quantity,
                ..
            } => [
                Some(Text(cart)),
                Some(Text(sku)),
                Some(Arg::Quantity(quantity)),
                None,
            ],
            Action::Wait { ticks } => [Some(Arg::Count(*ticks)), None, None, None],
            Action::Settle => [None; MAX_KEYS],
            Action::FailOperation { cart, message } => {
                [Some(Text(cart)), Some(Text(message)), None, None]
            }
            Action::IntegrationFault {
                cart,
                message,
                level,
                kind,
            } => [
                Some(Text(cart)),
                Some(Text(message)),
                kind.map(|k| Text(k.as_str())),
                Some(Text(level.as_str())),
            ],
            Action::CustomUpdate {
                cart,
                during_next_call,
            } => [
                Some(Text(cart)),
                during_next_call.then_some(Text("next_call")),
                None,
                None,
            ],
            Action::Grant { buyer, permission } | Action::Revoke { buyer, permission } => [
                Some(Text(buyer)),
                Some(Text(permission.as_str())),
                None,
                None,
            ],
            Action::SwitchAccount { buyer, account } => {
                [Some(Text(buyer)), Some(Text(account)), None, None]
            }
            Action::JoinStore { account, store } | Action::LeaveStore { account, store } => {
                [Some(Text(account)), Some(Text(store)), None, None]
            }
            Action::SetSetting { store, key, value } => [
                Some(Text(store)),
                Some(Text(key)),
                Some(Arg::Setting(*value)),
                None,
            ],
            Action::CheckoutUpdate { cart, patch, .. } => [
                Some(Text(cart)),
                patch.shipping_address.as_ref().map(Arg::Address),
                patch.delivery_method.as_deref().map(Text),
                patch.contact.as_deref().map(Text),
            ],
            Action::Pay { cart, outcome, .. } => {
                [Some(Text(cart)), Some(Text(outcome.as_str())), None, None]
            }
            Action::PlaceOrder { cart, step, .. } => {
                [Some(Text(cart)), step.map(|s| Text(s.as_str())), None, None]
            }
        }
    }

    /// The keys the action's step gives, named by its kind's row, with their values.
    pub fn key_values(&self) -> impl Iterator<Item = (&'static str, Arg<'_>)> {
        self.kind()
            .row()
            .keys
            .iter()
            .zip(self.args())
            .filter_map(|(key, arg)| arg.map(|a| (*key, a)))
    }

    /// How the log words the action after its `do` keyword (`cart-1 2 x sku-1`): its
    /// row's [`StepKindRow::wording`] filled in with its arguments.
    pub fn wording(&self) -> String {
        let row = self.kind().row();
        let args = self.args();
        let arg = |key: &str| {
            row.keys
                .iter()
                .position(|k| *k == key)
                .and_then(|i| args.get(i).copied().flatten())
        };
        fill(row.wording, &arg)
    }
}

/// Fills in a wording template (see [`StepKindRow::wording`]).
fn fill<'a>(template: &str, arg: &dyn Fn(&str) -> Option<Arg<'a>>) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('[') {
        fill_part(&rest[..open], arg, &mut out);
        let after = &rest[open + 1..];
        let close = after.find(']').unwrap_or(after.len());
        let mut part = String::new();
        if fill_part(&after[..close], arg, &mut part) {
            out.push_str(&part);
        }
        rest = after.get(close + 1..).unwrap_or("");
    }
    fill_part(rest, arg, &mut out);
    out
}

/// Fills in a template without `[...]` parts; false when a key it names is not given
/// (what it wrote of that key is then empty).
fn fill_part<'a>(template: &str, arg: &dyn Fn(&str) -> Option<Arg<'a>>, out: &mut String) -> bool {
    use std::fmt::Write;
    let mut all = true;
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}').unwrap_or(after.len());
        let mut spec = after[..close].split('|');
        let key = spec.next().unwrap_or_default();
        match (arg(key), spec.next(), spec.next()) {
            (Some(Arg::Count(n)), Some(one), Some(many)) => {
                out.push_str(if n == 1 { one } else { many })
            }
            (Some(value), _, _) => {
                let _ = write!(out, "{value}");
            }
            (None, _, _) => all = false,
        }
        rest = after.get(close + 1..).unwrap_or("");
    }
    out.push_str(rest);
    all
}

/// The keys a wording template names, in order.
pub fn wording_keys(template: &str) -> impl Iterator<Item = &str> {
    template
        .split('{')
        .skip(1)
        .filter_map(|part| part.split('}').next())
        .map(|spec| spec.split('|').next().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_row_sits_at_its_kinds_index_and_names_are_unique() {
        for (i, row) in STEP_KINDS.iter().enumerate() {
            assert_eq!(row.kind as usize, i, "{}", row.name);
            assert_eq!(StepKind::parse(row.name), Some(row.kind));
            for key in row.optional.iter().chain(row.one_of) {
                assert!(row.keys.contains(key), "{}: {key} is not a key", row.name);
            }
            for key in row.one_of {
                assert!(
                    row.optional.contains(key),
                    "{}: {key} is required",
                    row.name
                );
            }
        }
        assert_eq!(StepKind::parse("fly"), None);
    }

    #[test]
    fn every_wording_names_each_of_its_kinds_keys_and_no_other() {
        for row in STEP_KINDS {
            assert!(row.keys.len() <= MAX_KEYS, "{}", row.name);
            let named: Vec<&str> = wording_keys(row.wording).collect();
            for key in &named {
                assert!(row.keys.contains(key), "{}: {key} is not a key", row.name);
            }
            for key in row.keys {
                assert!(named.contains(key), "{}: the log hides {key}", row.name);
            }
            let open = row.wording.matches('[').count();
            assert_eq!(open, row.wording.matches(']').count(), "{}", row.name);
            assert_eq!(
                row.wording.matches('{').count(),
                row.wording.matches('}').count(),
                "{}",
                row.name
            );
        }
    }

    #[test]
    fn a_wording_leaves_out_the_parts_of_keys_not_given_and_agrees_with_counts() {
        let fault = |kind| Action::IntegrationFault {
            cart: "cart-1".into(),
            message: "no stock".into(),
            level: super::super::model::ValidationLevel::Warning,
            kind,
        };
        assert_eq!(fault(None).wording(), "cart-1 Warning \"no stock\"");
        assert_eq!(
            fault(Some(super::super::model::ValidationType::Inventory)).wording(),
            "cart-1 Warning Inventory \"no stock\""
        );
        assert_eq!(Action::Wait { ticks: 1 }.wording(), "1 tick");
        assert_eq!(Action::Wait { ticks: 0 }.wording(), "0 ticks");
        assert_eq!(Action::Settle.wording(), "");
    }

    #[test]
    fn a_rest_call_has_a_request_line_and_is_taken_only_by_lwr_stores() {
        for row in STEP_KINDS {
            assert_eq!(
                row.request.is_some(),
                row.stores == Stores::Lwr,
                "{}",
                row.name
            );
        }
        assert!(Stores::Aura.accepts(Template::Aura) && !Stores::Aura.accepts(Template::Lwr));
        assert!(Stores::Lwr.accepts(Template::Lwr) && !Stores::Lwr.accepts(Template::Aura));
    }
}
