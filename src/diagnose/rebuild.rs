//! Rebuilding a world from real records: ids checked and put in their 18-character
//! form, timestamps turned into ticks, every value checked against the engine's
//! statuses, and every fact the records cannot show filled in from an option and
//! written down as an assumption.

use super::records::{Field, Object, Record};
use super::values::{Clock, IdKind, check_id, format_timestamp, parse_timestamp};
use crate::engine::Id;
use crate::engine::actions::MAX_LINE_QUANTITY;
use crate::engine::flow::default_flow_v2;
use crate::engine::*;
use foldhash::fast::FixedState;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Fields that hold Salesforce ids; each is checked and normalized to 18 characters.
pub const ID_FIELDS: &[&str] = &[
    "Id",
    "WebCartId",
    "CartId",
    "BackgroundOperationId",
    "OrderId",
    "OwnerId",
    "AccountId",
    "WebStoreId",
    "RelatedEntityId",
    "BuyerId",
    "BuyerGroupId",
    "PaymentGroupId",
    "PaymentMethodId",
    "DeliveryMethodId",
    "GuestBuyerProfileId",
];

/// Fields that hold timestamps.
pub const TIME_FIELDS: &[&str] = &[
    "CreatedDate",
    "LastModifiedDate",
    "SubmittedAt",
    "StartedAt",
    "FinishedAt",
    "ExpiresAt",
    "CheckoutValidAfterDate",
];

/// The documented default of WebStore.CheckoutTimeToLive for B2B stores, in minutes.
pub const DEFAULT_TTL_MINUTES: u64 = 2880;

/// How many ticks an operation the records show in progress is taken to go on running:
/// the records cannot tell when it will finish.
pub const STILL_RUNNING_TICKS: u64 = 1_000_000;

/// What the records cannot show, chosen on the command line.
#[derive(Debug, Clone)]
pub struct Options {
    /// The edition whose store settings are the starting point.
    pub edition: Edition,
    /// Minutes per tick.
    pub tick_minutes: u64,
    /// The checkout time-to-live in minutes (`Some(None)`: never expires), overriding
    /// WebStore.CheckoutTimeToLive.
    pub ttl_minutes: Option<Option<u64>>,
    /// `KEY=VALUE` store settings, already checked.
    pub settings: Vec<(String, String)>,
    /// Permissions the buyer lacks.
    pub without: Vec<Permission>,
    /// The time to diagnose at, in seconds since the epoch; the latest time in the
    /// records when `None`.
    pub now: Option<i64>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            edition: Edition::Two,
            tick_minutes: 1,
            ttl_minutes: None,
            settings: Vec::new(),
            without: Vec::new(),
            now: None,
        }
    }
}

/// A fact the records cannot show, the value assumed and how to change it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Assumption {
    /// What is assumed.
    pub fact: String,
    /// The flag or key that sets it.
    pub set_with: String,
}

/// The records of every file, checked, by object.
#[derive(Debug, Clone, Default)]
pub struct Records {
    /// Every record, by object, in file order. Whoever changes it after a lookup calls
    /// [`Records::changed`].
    pub by_object: BTreeMap<Object, Vec<Record>>,
    /// Each record's place in its list, by object and id (the first, as a scan finds):
    /// built at the first lookup, so that finding a record costs the same however many
    /// there are.
    ids: std::sync::OnceLock<HashMap<Object, Places>>,
}

/// Each record's place in its object's list, by id.
type Places = HashMap<Box<str>, usize, FixedState>;

impl Records {
    /// The records of one object.
    pub fn of(&self, object: Object) -> &[Record] {
        self.by_object.get(&object).map_or(&[], Vec::as_slice)
    }

    /// The record of an object with this id.
    pub fn find(&self, object: Object, id: &str) -> Option<&Record> {
        let ids = self.ids.get_or_init(|| {
            self.by_object
                .iter()
                .map(|(object, list)| {
                    let mut ids =
                        HashMap::with_capacity_and_hasher(list.len(), FixedState::default());
                    for (i, r) in list.iter().enumerate() {
                        if let Some(id) = r.value("Id") {
                            ids.entry(Box::from(id)).or_insert(i);
                        }
                    }
                    (*object, ids)
                })
                .collect()
        });
        let i = *ids.get(&object)?.get(id)?;
        self.of(object).get(i)
    }

    /// Forgets the lookups after `by_object` was changed.
    pub fn changed(&mut self) {
        self.ids = std::sync::OnceLock::new();
    }

    /// True when at least one file held this object (even with no records).
    pub fn given(&self, object: Object) -> bool {
        self.by_object.contains_key(&object)
    }
}

/// The key prefix an id field must have on a record of `object`.
fn id_kind(object: Object, field: &str) -> IdKind {
    match (object, field) {
        (Object::WebCart, "Id") | (_, "WebCartId") | (_, "CartId") => IdKind::WebCart,
        (Object::User, "Id") => IdKind::User,
        (_, "OrderId") | (Object::Order, "Id") => IdKind::Order,
        (_, "OwnerId") => IdKind::Owner,
        // A guest's cart names a GuestBuyerProfile in AccountId.
        (Object::WebCart, "AccountId") => IdKind::Unchecked,
        (_, "AccountId") | (_, "BuyerId") => IdKind::Account,
        _ => IdKind::Unchecked,
    }
}

/// Checks and normalizes the records of all files: ids (with the key prefix of their
/// object), timestamps, duplicates, one id per record, and at most one active session
/// per cart. Every problem is returned, each naming the file, the record and the field;
/// with the records come warnings (an id whose checksum was mistyped).
pub fn check(
    records: Vec<Record>,
    objects_given: &[Object],
) -> Result<(Records, Vec<String>), Vec<String>> {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut out = Records::default();
    for object in objects_given {
        out.by_object.entry(*object).or_default();
    }
    // Where the first record with each id went, to compare a repeated one with it.
    // Comparing the records themselves (rather than keeping a copy of each one's text)
    // keeps the memory of the check at the records' own.
    enum Place {
        Kept(usize),
        Refused(usize),
    }
    let mut seen: HashMap<Box<str>, (Object, Place), FixedState> =
        HashMap::with_capacity_and_hasher(records.len(), FixedState::default());
    let mut refused: Vec<Record> = Vec::new();
    for mut record in records {
        let mut ok = true;
        for field in ID_FIELDS {
            if let Some(v) = record.value(field) {
                match check_id(v, id_kind(record.object, field)) {
                    Ok(checked) => {
                        if let Some(w) = checked.warning {
                            warnings.push(record.problem(field, format!("{v}: {w}")));
                        }
                        if checked.id != v {
                            record.set(field, Some(checked.id));
                        }
                    }
                    Err(why) => {
                        errors.push(record.problem(field, format!("{v}: {why}")));
                        ok = false;
                    }
                }
            }
        }
        for field in TIME_FIELDS {
            if let Some(v) = record.value(field)
                && let Err(why) = parse_timestamp(v)
            {
                errors.push(record.problem(field, why));
                ok = false;
            }
        }
        match record.value("Id") {
            None => {
                errors.push(record.problem(
                    "Id",
                    "missing; every record needs its Id (add Id to the query)",
                ));
                ok = false;
            }
            Some(id) => {
                if let Some((object, place)) = seen.get(id) {
                    let before = match place {
                        Place::Kept(i) => &out.by_object[object][*i],
                        Place::Refused(i) => &refused[*i],
                    };
                    if *object != record.object {
                        errors.push(record.problem("Id", format!("{id} is also the Id of a {object} record; an id names one record of one object (is a column in the wrong file?)")));
                    } else if !record.same_content(before) {
                        errors.push(record.problem("Id", "appears twice with different values; expected each record once (were two exports of different times mixed?)"));
                    }
                    continue;
                }
                let id: Box<str> = Box::from(id);
                let place = if ok {
                    Place::Kept(out.by_object.get(&record.object).map_or(0, Vec::len))
                } else {
                    Place::Refused(refused.len())
                };
                seen.insert(id, (record.object, place));
            }
        }
        if ok {
            out.by_object.entry(record.object).or_default().push(record);
        } else if record.value("Id").is_some() {
            refused.push(record);
        }
    }
    // At most one active session per cart.
    let mut active: HashMap<String, String> = HashMap::new();
    for s in out.of(Object::CartCheckoutSession) {
        if s.value("IsArchived")
            .is_some_and(|v| v.eq_ignore_ascii_case("false"))
            && let (Some(cart), Some(id)) = (s.value("WebCartId"), s.value("Id"))
            && let Some(other) = active.insert(cart.to_string(), id.to_string())
        {
            errors.push(s.problem(
                "IsArchived",
                format!("false, but the cart {cart} already has the active session {other}; a cart has at most one non-archived CartCheckoutSession (were two exports of different times mixed?)"),
            ));
        }
    }
    if errors.is_empty() {
        Ok((out, warnings))
    } else {
        Err(errors)
    }
}

/// The world rebuilt from records, with what it took to rebuild it.
#[derive(Debug, Clone)]
pub struct Rebuilt {
    /// The world at `now`.
    pub world: World,
    /// How times became ticks.
    pub clock: Clock,
    /// The time diagnosed, in seconds since the epoch.
    pub now: i64,
    /// The template the records' stores are assumed to use.
    pub template: Template,
    /// The records it was built from.
    pub records: Records,
    /// Fields or records the diagnosis needed and did not get.
    pub missing: Vec<String>,
    /// Facts taken from options or defaults.
    pub assumptions: Vec<Assumption>,
    /// Records read but left out of the world, and why.
    pub notes: Vec<String>,
}

/// A boolean field: `true`/`false` in any case; absent or null reads as false (noted).
fn flag(record: &Record, field: &str, missing: &mut Missing) -> Result<bool, String> {
    match record.get(field) {
        Field::Value(v) if v.eq_ignore_ascii_case("true") => Ok(true),
        Field::Value(v) if v.eq_ignore_ascii_case("false") => Ok(false),
        Field::Value(v) => Err(record.problem(
            field,
            format!("{v:?} is not a boolean; expected true or false"),
        )),
        Field::Null => Ok(false),
        Field::Absent => {
            missing.field(record, field, "read as false");
            Ok(false)
        }
    }
}

/// Whether each session (by id) is archived. A session whose IsArchived is not in the
/// records (not queried, or an empty cell) is not taken to be active: a cart has at most
/// one active session, so of a cart's sessions without IsArchived only the newest is
/// read as active, and only when no session of the cart says it is. `sessions` are
/// oldest first.
fn archived_reading<'r>(sessions: &[&'r Record], missing: &mut Missing) -> HashMap<&'r str, bool> {
    let mut out = HashMap::new();
    let mut active_carts: HashSet<&str> = HashSet::new();
    let mut unknown: Vec<&Record> = Vec::new();
    for s in sessions {
        let Some(id) = s.value("Id") else { continue };
        match s.get("IsArchived") {
            Field::Value(v) if v.eq_ignore_ascii_case("true") => {
                out.insert(id, true);
            }
            Field::Value(v) if v.eq_ignore_ascii_case("false") => {
                out.insert(id, false);
                if let Some(cart) = s.value("WebCartId") {
                    active_carts.insert(cart);
                }
            }
            // Not a boolean: reported by the session's own reading below.
            Field::Value(_) => {}
            Field::Null | Field::Absent => unknown.push(s),
        }
    }
    for s in unknown.iter().rev() {
        let (Some(id), cart) = (s.value("Id"), s.value("WebCartId")) else {
            continue;
        };
        let active = cart.is_some_and(|c| active_carts.insert(c));
        out.insert(id, !active);
        missing.field(
            s,
            "IsArchived",
            "of a cart's sessions without it, the newest is read as active (when no session says it is) and the others as archived",
        );
    }
    out
}

/// Collects missing fields once per object and field.
#[derive(Default)]
struct Missing {
    seen: HashSet<(Object, String)>,
    lines: Vec<String>,
}

impl Missing {
    fn field(&mut self, record: &Record, field: &str, assumed: &str) {
        if self.seen.insert((record.object, field.to_string())) {
            self.lines.push(format!(
                "{}.{field}: not in {} (add it to the query); {assumed}",
                record.object, record.file
            ));
        }
    }
}

fn text_or<'a>(
    record: &'a Record,
    field: &str,
    missing: &mut Missing,
    assumed: &str,
) -> Option<&'a str> {
    match record.get(field) {
        Field::Value(v) => Some(v),
        Field::Null => None,
        Field::Absent => {
            missing.field(record, field, assumed);
            None
        }
    }
}

fn time(record: &Record, field: &str) -> Option<i64> {
    record.value(field).and_then(|v| parse_timestamp(v).ok())
}

/// Rebuilds the world. Errors name the file, the record and the field.
pub fn rebuild(records: Records, options: &Options) -> Result<Rebuilt, Vec<String>> {
    let mut errors = Vec::new();
    let mut missing = Missing::default();
    let mut assumptions = Vec::new();

    // Time: tick 0 is the earliest time in the records, rounded down to a tick.
    let times: Vec<i64> = records
        .by_object
        .values()
        .flatten()
        .flat_map(|r| {
            // ExpiresAt is a time to come and CheckoutValidAfterDate a setting, not times
            // at which something was seen.
            TIME_FIELDS
                .iter()
                .filter(|f| **f != "ExpiresAt" && **f != "CheckoutValidAfterDate")
                .filter_map(move |f| time(r, f))
        })
        .collect();
    let span = (options.tick_minutes.max(1) * 60) as i64;
    let latest = times.iter().copied().max();
    let now = match (options.now, latest) {
        (Some(n), _) => n,
        (None, Some(l)) => {
            assumptions.push(Assumption {
                fact: format!("now is {}, the latest time in the records (the records do not say when they were queried)", format_timestamp(l)),
                set_with: "--now TIME (for example the time of the query), or --now now for this machine's clock".to_string(),
            });
            l
        }
        (None, None) => 0,
    };
    let earliest = times.iter().copied().min().unwrap_or(now).min(now);
    let clock = Clock {
        origin: earliest.div_euclid(span) * span,
        minutes: options.tick_minutes.max(1),
    };

    // Store settings.
    let mut settings = StoreSettings::defaults(options.edition);
    for (key, value) in &options.settings {
        apply_setting(&mut settings, key, value);
    }
    let given = |key: &str| options.settings.iter().any(|(k, _)| k == key);
    let evidence = super::checkout::lwr_evidence(&records);
    if !given("template") && evidence.is_some() {
        settings.template = Template::Lwr;
    }
    let template = settings.template;
    let changed: Vec<String> = options
        .settings
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let with = if changed.is_empty() {
        String::new()
    } else {
        format!(" with {}", changed.join(", "))
    };
    assumptions.push(Assumption {
        fact: if template == Template::Lwr {
            format!(
                "the store follows the format {} readings{with} (cart_access {}, checkout_expiry {}, place_order {}, cart_cleanup {})",
                options.edition,
                settings.cart_access,
                settings.checkout_expiry,
                settings.place_order,
                settings.cart_cleanup
            )
        } else {
            format!(
                "the store follows the format {} readings{with} (checkout_session {}, cancel_requirements {}, cart_access {}, continue_while_processing {}) and the format 2 default checkout flow, its States mapped by name",
                options.edition,
                settings.checkout_session,
                settings.cancel_requirements,
                settings.cart_access,
                settings.continue_while_processing
            )
        },
        set_with: "--edition 1|2, --setting KEY=VALUE (see `cartsim rules`)".to_string(),
    });
    assumptions.push(Assumption {
        fact: match (&evidence, given("template"), template) {
            (Some(why), true, Template::Aura) => format!(
                "the store's template is aura (--setting template=aura), though the records look like an lwr store's: {why}"
            ),
            (_, true, t) => format!("the store's template is {t} (--setting template={t})"),
            (Some(why), false, _) => format!(
                "the store's template is lwr, so the predictions are the REST checkout calls: {why}"
            ),
            (None, false, Template::Lwr) => {
                "the store's template is lwr, so the predictions are the REST checkout calls".to_string()
            }
            (None, false, t) => format!(
                "the store's template is {t} (checkout runs as a flow); the records do not show the template"
            ),
        },
        set_with: "--setting template=aura|lwr".to_string(),
    });
    let held: Vec<Permission> = [
        Permission::EditCart,
        Permission::Checkout,
        Permission::CancelCheckout,
    ]
    .into_iter()
    .filter(|p| !options.without.contains(p))
    .collect();
    assumptions.push(Assumption {
        fact: format!(
            "each cart's owner holds the permissions {} and acts for the cart's account (the records do not show permissions)",
            if held.is_empty() { "none".to_string() } else { held.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(", ") }
        ),
        set_with: "--without edit_cart|checkout|cancel_checkout".to_string(),
    });

    let mut world = WorldBuilder::new();
    world.tick(clock.tick(now));

    // Stores, from the carts and the WebStore records.
    let carts = records.of(Object::WebCart);
    let mut store_ids: Vec<String> = Vec::new();
    let mut stores_seen: HashSet<&str> = HashSet::new();
    for c in carts {
        let store = text_or(
            c,
            "WebStoreId",
            &mut missing,
            "the cart is put in a store named unknown-store",
        )
        .unwrap_or("unknown-store");
        if stores_seen.insert(store) {
            store_ids.push(store.to_string());
        }
    }
    for store_id in &store_ids {
        let record = records.find(Object::WebStore, store_id);
        let (ttl, why) = match (
            options.ttl_minutes,
            record.map(|r| r.get("CheckoutTimeToLive")),
        ) {
            (Some(t), _) => (t, "set with --ttl-minutes".to_string()),
            (None, Some(Field::Value(v))) => match v.parse::<f64>() {
                // Below 2^53 a whole f64 is exact, and any time-to-live beyond the
                // clock's reach is refused just below.
                Ok(m) if (0.0..9.0e15).contains(&m) && m.fract() == 0.0 => (
                    Some(m as u64),
                    "from WebStore.CheckoutTimeToLive".to_string(),
                ),
                _ => {
                    errors.push(
                        record
                            .map(|r| {
                                r.problem(
                                    "CheckoutTimeToLive",
                                    format!("{v:?} is not a number of minutes"),
                                )
                            })
                            .unwrap_or_default(),
                    );
                    (None, String::new())
                }
            },
            (None, Some(Field::Null)) => (None, "WebStore.CheckoutTimeToLive is null".to_string()),
            _ => {
                assumptions.push(Assumption {
                    fact: format!("store {store_id}'s checkout time-to-live is {DEFAULT_TTL_MINUTES} minutes, the B2B default (no WebStore.CheckoutTimeToLive in the records)"),
                    set_with: "--ttl-minutes N (none: never expires), or a WebStore file with CheckoutTimeToLive".to_string(),
                });
                (Some(DEFAULT_TTL_MINUTES), "assumed".to_string())
            }
        };
        if let Some(m) = ttl
            && clock.ticks_for_minutes(m) > crate::scenario::load::MAX_TICKS
        {
            let why = format!(
                "{m} minutes is beyond the simulator's clock; expected 0 to {} minutes at {} minute(s) per tick (--tick-minutes makes ticks longer)",
                crate::scenario::load::MAX_TICKS.saturating_mul(clock.minutes),
                clock.minutes
            );
            errors.push(match (options.ttl_minutes, record) {
                (None, Some(r)) => r.problem("CheckoutTimeToLive", why),
                _ => format!("--ttl-minutes: {why}"),
            });
            continue;
        }
        if why != "assumed" && !why.is_empty() {
            assumptions.push(Assumption {
                fact: match ttl {
                    Some(m) => format!(
                        "store {store_id}'s checkout time-to-live is {m} minutes ({why}), {} ticks",
                        clock.ticks_for_minutes(m)
                    ),
                    None => format!("store {store_id}'s checkouts never expire ({why})"),
                },
                set_with: "--ttl-minutes N|none".to_string(),
            });
        }
        let mut s = settings;
        s.checkout_ttl = ttl.map(|m| clock.ticks_for_minutes(m));
        // WebStore.CheckoutValidAfterDate, unless --setting gave checkout_valid_after.
        if !given("checkout_valid_after")
            && let Some(r) = record
            && let Some(at) = time(r, "CheckoutValidAfterDate")
        {
            let tick = clock.tick(at);
            if tick > crate::scenario::load::MAX_TICKS {
                errors.push(r.problem(
                    "CheckoutValidAfterDate",
                    format!(
                        "{} is beyond the simulator's clock ({} ticks of {} minute(s) after tick 0); --tick-minutes makes ticks longer",
                        format_timestamp(at),
                        crate::scenario::load::MAX_TICKS,
                        clock.minutes
                    ),
                ));
                continue;
            }
            s.checkout_valid_after = Some(tick);
            assumptions.push(Assumption {
                fact: format!(
                    "store {store_id}'s checkouts started before {} (tick {tick}) are expired (from WebStore.CheckoutValidAfterDate; a checkout started within that tick counts as started after it)",
                    format_timestamp(at)
                ),
                set_with: "--setting checkout_valid_after=TICK".to_string(),
            });
        }
        if template == Template::Lwr && !given("tax_rate") {
            assumptions.extend(tax_rate_of(&records, store_id, &mut s.tax_rate));
        }
        world.add_store(Store {
            id: Id::new(store_id),
            name: record
                .and_then(|r| r.value("Name"))
                .unwrap_or(store_id)
                .to_string(),
            on_cart_change: OnCartChange::CancelCheckout,
            // An lwr store runs no flow: it keeps its edition's default, as a loaded one does.
            checkout_flow: match (template, options.edition) {
                (Template::Lwr, Edition::One) => crate::engine::flow::default_flow(),
                _ => default_flow_v2(),
            },
            default_flow: options.edition == Edition::Two || template == Template::Lwr,
            settings: s,
            delivery_methods: Vec::new(),
        });
    }

    // Accounts and their store membership.
    let membership_given = records.given(Object::BuyerAccount)
        && records.given(Object::BuyerGroupMember)
        && records.given(Object::WebStoreBuyerGroup);
    // The accounts enabled as buyers, and each account's buyer groups, found once.
    let mut active_buyers: HashSet<&str> = HashSet::new();
    let mut groups_of: HashMap<&str, Vec<&str>> = HashMap::new();
    if membership_given {
        for b in records.of(Object::BuyerAccount) {
            if let Some(account) = b.value("BuyerId")
                && !b
                    .value("IsActive")
                    .is_some_and(|v| v.eq_ignore_ascii_case("false"))
            {
                active_buyers.insert(account);
            }
        }
        for m in records.of(Object::BuyerGroupMember) {
            if let (Some(account), Some(group)) = (m.value("BuyerId"), m.value("BuyerGroupId")) {
                groups_of.entry(account).or_default().push(group);
            }
        }
    }
    let member_of = |account: &str| -> Vec<String> {
        if !active_buyers.contains(account) {
            return Vec::new();
        }
        let groups: &[&str] = groups_of.get(account).map_or(&[], Vec::as_slice);
        let mut stores: Vec<String> = records
            .of(Object::WebStoreBuyerGroup)
            .iter()
            .filter(|w| w.value("BuyerGroupId").is_some_and(|g| groups.contains(&g)))
            .filter_map(|w| w.value("WebStoreId").map(str::to_string))
            // Stores no cart is in are not in the world.
            .filter(|s| store_ids.contains(s))
            .collect();
        stores.dedup();
        stores
    };
    if !membership_given && !carts.is_empty() {
        assumptions.push(Assumption {
            fact: "each cart's account is a buyer member of the cart's store (no BuyerAccount, BuyerGroupMember and WebStoreBuyerGroup records)".to_string(),
            set_with: "files with BuyerAccount, BuyerGroupMember and WebStoreBuyerGroup records (see --queries)".to_string(),
        });
    }

    // Carts, buyers, stand-in lines.
    for (n, c) in carts.iter().enumerate() {
        let id = c.value("Id").unwrap_or_default().to_string();
        let store = c.value("WebStoreId").unwrap_or("unknown-store").to_string();
        let owner = text_or(
            c,
            "OwnerId",
            &mut missing,
            "the owner is named unknown-owner",
        )
        .unwrap_or("unknown-owner")
        .to_string();
        let account = text_or(
            c,
            "AccountId",
            &mut missing,
            "the account is named unknown-account",
        )
        .unwrap_or("unknown-account")
        .to_string();
        let status = match text_or(c, "Status", &mut missing, "read as Active") {
            None => CartStatus::Active,
            Some(s) => match CartStatus::parse(s) {
                Some(st) => st,
                None => {
                    errors.push(c.problem(
                        "Status",
                        format!(
                            "{s:?} is not a WebCart.Status; expected one of: {}",
                            CartStatus::NAMES.join(", ")
                        ),
                    ));
                    continue;
                }
            },
        };
        // A guest's cart names its store's guest buyer profile, not an account: no
        // BuyerAccount or buyer group names it, so its membership is not judged.
        let guest = super::checkout::guest_reason(c, records.find(Object::WebStore, &store));
        if let Some(why) = &guest {
            assumptions.push(Assumption {
                fact: format!(
                    "WebCart {id} is a guest's cart ({why}): the guest buyer profile belongs to the store, so store membership is not judged, and the buyer is a guest (place order needs WebCart.GuestEmailAddress)"
                ),
                set_with: "nothing (the AccountId shows it)".to_string(),
            });
        }
        if world.account(&account).is_none() {
            let stores = if membership_given && guest.is_none() {
                member_of(&account)
            } else {
                Vec::new()
            };
            world.add_account(Account {
                id: Id::new(&account),
                name: account.clone(),
                stores: stores.iter().map(|s| Id::new(s)).collect(),
            });
        }
        if !membership_given || guest.is_some() {
            world.edit_account(&account, |a| {
                if !a.stores.contains(&Id::new(&store)) {
                    a.stores.push(Id::new(&store));
                }
            });
        }
        let known = world.edit_buyer(&owner, |b| {
            if !b.accounts.contains(&Id::new(&account)) {
                b.accounts.push(Id::new(&account));
            }
            b.guest |= guest.is_some();
        });
        match known {
            true => {}
            false => {
                let name = records
                    .find(Object::User, &owner)
                    .and_then(|u| u.value("Name"))
                    .unwrap_or(&owner)
                    .to_string();
                world.add_buyer(Buyer {
                    id: Id::new(&owner),
                    name,
                    accounts: vec![Id::new(&account)],
                    effective_account: Id::new(&account),
                    permissions: held.clone(),
                    guest: guest.is_some(),
                    address: None,
                    token: None,
                });
            }
        }
        let count = match text_or(
            c,
            "TotalProductCount",
            &mut missing,
            "the cart is taken to be empty",
        ) {
            None => 0,
            Some(v) => match v.parse::<f64>() {
                Ok(n) if n.fract() == 0.0 && (0.0..=MAX_LINE_QUANTITY as f64).contains(&n) => {
                    n as i64
                }
                _ => {
                    errors.push(c.problem(
                        "TotalProductCount",
                        format!("{v:?} is not a count of products; expected a whole number from 0 to {MAX_LINE_QUANTITY}"),
                    ));
                    continue;
                }
            },
        };
        let amount = match text_or(
            c,
            "TotalProductAmount",
            &mut missing,
            "its lines are priced at 0",
        ) {
            None => Money::ZERO,
            Some(v) => match amount_of(v) {
                Some(m) if m >= Money::ZERO && m.cents() <= MAX_AMOUNT_CENTS => m,
                _ => {
                    errors.push(c.problem(
                        "TotalProductAmount",
                        format!("{v:?} is not an amount; expected a decimal from 0 to {} with at most two places", Money::from_cents(MAX_AMOUNT_CENTS)),
                    ));
                    continue;
                }
            },
        };
        // The charge and tax an lwr checkout keeps on the cart; an aura store's flow
        // keeps its own, so their absence is noted only for an lwr store.
        let mut charge_and_tax = [Money::ZERO; 2];
        for (slot, field) in charge_and_tax
            .iter_mut()
            .zip(["TotalChargeAmount", "TotalTaxAmount"])
        {
            let value = if template == Template::Lwr {
                text_or(c, field, &mut missing, "read as 0")
            } else {
                c.value(field)
            };
            if let Some(v) = value {
                match amount_of(v) {
                    Some(m) if m >= Money::ZERO && m.cents() <= MAX_AMOUNT_CENTS => *slot = m,
                    _ => errors.push(c.problem(
                        field,
                        format!("{v:?} is not an amount; expected a decimal from 0 to {} with at most two places", Money::from_cents(MAX_AMOUNT_CENTS)),
                    )),
                }
            }
        }
        // Stand-in lines whose totals are exactly the recorded ones: count - 1 units
        // at the average price rounded down, and one unit that takes the remainder.
        let mut items = Vec::new();
        if count > 0 {
            let unit = amount.cents() / count as i128;
            let rest = amount.cents() - unit * (count as i128 - 1);
            let sku = format!("LINES-{}", n + 1);
            world.add_product(Product {
                sku: Id::new(&sku),
                name: format!("{id}'s lines (stand-in)"),
                price: Money::from_cents(unit),
            });
            if count > 1 {
                items.push(CartItem {
                    sku: Id::new(&sku),
                    quantity: count - 1,
                });
            }
            if rest == unit {
                match items.first_mut() {
                    Some(first) => first.quantity += 1,
                    None => items.push(CartItem {
                        sku: Id::from(sku),
                        quantity: 1,
                    }),
                }
            } else {
                let last = format!("{sku}-REST");
                world.add_product(Product {
                    sku: Id::new(&last),
                    name: format!("{id}'s remaining amount (stand-in)"),
                    price: Money::from_cents(rest),
                });
                items.push(CartItem {
                    sku: Id::from(last),
                    quantity: 1,
                });
            }
        }
        world.add_cart(WebCart {
            id: Id::from(id),
            name: c.value("Name").unwrap_or_default().to_string(),
            store: Id::from(store),
            buyer: Id::from(owner),
            account: Id::from(account),
            status,
            items,
            version: 0,
            touched_by_custom_code: false,
            guest_email: c.value("GuestEmailAddress").map(str::to_string),
            total_charge: charge_and_tax[0],
            total_tax: charge_and_tax[1],
            custom_code_armed: false,
            last_custom_save: None,
        });
    }
    if world.products().is_empty() && !world.carts().is_empty() {
        world.add_product(Product {
            sku: Id::from("LINES-1".to_string()),
            name: "a product (stand-in)".to_string(),
            price: Money::ZERO,
        });
    }
    if !world.carts().is_empty() {
        assumptions.push(Assumption {
            fact: "a cart's lines (CartItem) are not read: each cart holds stand-in lines (LINES-n) with exactly its TotalProductCount and TotalProductAmount, and add to cart adds one more unit of LINES-n".to_string(),
            set_with: "nothing yet (CartItem records are not read)".to_string(),
        });
    }

    // Operations, run in the order they were submitted.
    let mut operations = Vec::new();
    for o in records.of(Object::BackgroundOperation) {
        let id = o.value("Id").unwrap_or_default().to_string();
        let status = match text_or(o, "Status", &mut missing, "read as Complete") {
            None => OperationStatus::Complete,
            Some(s) => match OperationStatus::parse(s) {
                Some(st) => st,
                None => {
                    errors.push(o.problem(
                        "Status",
                        format!(
                            "{s:?} is not a BackgroundOperation.Status; expected one of: {}",
                            OperationStatus::NAMES.join(", ")
                        ),
                    ));
                    continue;
                }
            },
        };
        let tick = |f: &str| time(o, f).map(|t| clock.tick(t));
        let finished = !status.in_progress();
        operations.push(BackgroundOperation {
            id: Id::from(id),
            name: text_or(o, "Name", &mut missing, "the operation is unnamed")
                .unwrap_or("(unnamed)")
                .to_string(),
            status,
            work: BackgroundOperation::work_for(
                status,
                if finished { 0 } else { STILL_RUNNING_TICKS },
                world.tick,
            ),
            ticks_total: STILL_RUNNING_TICKS,
            error: o.value("Error").map(str::to_string),
            submitted_at: tick("SubmittedAt").unwrap_or(world.tick),
            started_at: tick("StartedAt"),
            finished_at: tick("FinishedAt"),
            pending_fault: None,
            launched_for: None,
            ended_at: finished.then(|| tick("FinishedAt").unwrap_or(world.tick)),
            expires_at: tick("ExpiresAt"),
            calculators: Vec::new(),
        });
    }
    if operations.iter().any(|o| o.status.in_progress()) {
        assumptions.push(Assumption {
            fact: "an operation the records show in progress goes on running: the records cannot tell when (or whether) it will finish".to_string(),
            set_with: "nothing (query the records again later)".to_string(),
        });
    }
    operations.sort_by_key(|o| o.submitted_at);
    for o in operations {
        world.add_operation(o);
    }

    // Sessions, oldest first.
    let mut sessions: Vec<&Record> = records.of(Object::CartCheckoutSession).iter().collect();
    // Each time read once, not at every comparison.
    sessions.sort_by_cached_key(|s| time(s, "CreatedDate"));
    let archived = archived_reading(&sessions, &mut missing);
    for s in sessions {
        let id = s.value("Id").unwrap_or_default().to_string();
        let Some(cart) = s.value("WebCartId") else {
            errors.push(s.problem(
                "WebCartId",
                "missing; a session must name its cart (add WebCartId to the query)",
            ));
            continue;
        };
        let result = (|| -> Result<CartCheckoutSession, String> {
            // Only checked here: `archived` holds the reading.
            flag(s, "IsArchived", &mut Missing::default())?;
            Ok(CartCheckoutSession {
                id: Id::new(&id),
                cart: Id::new(cart),
                state: text_or(s, "State", &mut missing, "read as an empty State")
                    .unwrap_or("")
                    .to_string(),
                next_state: text_or(s, "NextState", &mut missing, "read as null")
                    .map(str::to_string),
                is_processing: flag(s, "IsProcessing", &mut missing)?,
                is_error: flag(s, "IsError", &mut missing)?,
                is_archived: archived.get(id.as_str()).copied().unwrap_or(true),
                background_operation_id: text_or(
                    s,
                    "BackgroundOperationId",
                    &mut missing,
                    "read as null",
                )
                .map(Id::new),
                order_id: text_or(s, "OrderId", &mut missing, "read as null").map(Id::new),
                rest: crate::engine::rest::RestCheckout {
                    order_reference: s.value("OrderReferenceNumber").map(str::to_string),
                    ..Default::default()
                },
                started_at: match time(s, "CreatedDate") {
                    Some(t) => i64::try_from(clock.tick(t)).unwrap_or(i64::MAX),
                    None => {
                        missing.field(
                            s,
                            "CreatedDate",
                            "the checkout is taken to start now, so its time-to-live is not judged",
                        );
                        i64::try_from(world.tick).unwrap_or(i64::MAX)
                    }
                },
            })
        })();
        match result {
            Ok(session) => {
                if world.cart(&session.cart).is_none() {
                    missing.lines.push(format!(
                        "WebCart {cart}: named by CartCheckoutSession {id} in {}, but not in the files; query it (cartsim diagnose --queries {cart})",
                        s.file
                    ));
                    continue;
                }
                if let Some(order) = &session.order_id
                    && !world.orders().contains(order)
                {
                    world.add_order(Order {
                        id: *order,
                        cart: session.cart,
                        session: Id::new(&id),
                    });
                }
                world.add_session(session);
            }
            Err(e) => errors.push(e),
        }
    }

    // Validation outputs.
    for v in records.of(Object::CartValidationOutput) {
        let id = v.value("Id").unwrap_or_default().to_string();
        let Some(cart) = v.value("CartId") else {
            errors.push(v.problem(
                "CartId",
                "missing; a CartValidationOutput must name its cart (add CartId to the query)",
            ));
            continue;
        };
        let level = match text_or(v, "Level", &mut missing, "read as Error") {
            None => ValidationLevel::Error,
            Some(l) => match ValidationLevel::parse(l) {
                Some(l) => l,
                None => {
                    errors.push(v.problem(
                        "Level",
                        format!(
                            "{l:?} is not a CartValidationOutput.Level; expected one of: {}",
                            ValidationLevel::NAMES.join(", ")
                        ),
                    ));
                    continue;
                }
            },
        };
        let kind = match text_or(v, "Type", &mut missing, "read as Other") {
            None => ValidationType::Other,
            Some(t) => match ValidationType::parse(t) {
                Some(t) => t,
                None => {
                    errors.push(v.problem(
                        "Type",
                        format!(
                            "{t:?} is not a CartValidationOutput.Type; expected one of: {}",
                            ValidationType::NAMES.join(", ")
                        ),
                    ));
                    continue;
                }
            },
        };
        let row = CartValidationOutput {
            id: Id::new(&id),
            cart: Id::new(cart),
            operation: v.value("BackgroundOperationId").map(Id::new),
            level,
            kind,
            message: text_or(v, "Message", &mut missing, "read as empty")
                .unwrap_or("")
                .to_string(),
            related: v.value("RelatedEntityId").map(str::to_string),
            is_dismissed: flag(v, "IsDismissed", &mut missing).unwrap_or_else(|e| {
                errors.push(e);
                false
            }),
        };
        if world.cart(cart).is_none() {
            missing.lines.push(format!(
                "WebCart {cart}: named by CartValidationOutput {id} in {}, but not in the files; query it (cartsim diagnose --queries {cart})",
                v.file
            ));
            continue;
        }
        world.add_validation_output(row);
    }

    // What the checkout keeps besides its session.
    let mut found = super::checkout::Found::default();
    super::checkout::delivery_groups(&records, &mut world, &mut found);
    super::checkout::payments(&records, &mut world, &mut found);
    super::checkout::orders(&records, &mut world, &mut found);
    errors.extend(found.errors);
    missing.lines.extend(found.missing);
    assumptions.extend(found.assumptions);

    for object in [
        Object::WebCart,
        Object::CartCheckoutSession,
        Object::BackgroundOperation,
        Object::CartValidationOutput,
    ] {
        if !records.given(object) {
            missing.lines.push(format!("{object}: no records in the files (none exist, or they were not queried: see cartsim diagnose --queries CART_ID)"));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // The loader's own rules: a world that breaks one could be shown but not saved and
    // opened again, so it is refused here, naming the record it came from.
    let world = world.build();
    let problems = crate::scenario::validate::world(&world);
    if !problems.is_empty() {
        return Err(problems
            .iter()
            .map(|p| refusal(&records, &world, p))
            .collect());
    }
    Ok(Rebuilt {
        world,
        clock,
        now,
        template,
        records,
        missing: missing.lines,
        assumptions,
        notes: found.notes,
    })
}

/// An `lwr` store's tax rate, read from the first of its carts with a TotalTaxAmount:
/// the rate of at most four places whose tax on TotalProductAmount + TotalChargeAmount is
/// exactly the recorded one. Returns what was assumed.
fn tax_rate_of(records: &Records, store: &str, rate: &mut TaxRate) -> Option<Assumption> {
    let amount = |c: &Record, f: &str| c.value(f).and_then(amount_of);
    let (cart, tax, base) = records
        .of(Object::WebCart)
        .iter()
        .filter(|c| c.value("WebStoreId") == Some(store))
        .find_map(|c| {
            let tax = amount(c, "TotalTaxAmount").filter(|t| *t > Money::ZERO)?;
            let base = amount(c, "TotalProductAmount")? + amount(c, "TotalChargeAmount")?;
            Some((c.value("Id").unwrap_or_default(), tax, base))
        })?;
    let guess = (base > Money::ZERO)
        .then(|| {
            let r = (tax.cents() * 10_000 + base.cents() / 2) / base.cents();
            TaxRate::from_ten_thousandths(u32::try_from(r).ok()?)
        })
        .flatten()
        .filter(|r| r.tax_on(base) == tax);
    let set_with = "--setting tax_rate=R".to_string();
    Some(match guess {
        Some(r) => {
            *rate = r;
            Assumption {
                fact: format!(
                    "store {store}'s tax_rate is {r}, read from WebCart {cart} (TotalTaxAmount {tax} on TotalProductAmount + TotalChargeAmount {base}): a calculation that runs Tax here writes TotalTaxAmount at that rate (an org's tax comes from its tax calculator)"
                ),
                set_with,
            }
        }
        None => Assumption {
            fact: format!(
                "store {store}'s tax_rate is {rate}: WebCart {cart}'s TotalTaxAmount {tax} is no rate of at most four places of {base}, so a calculation that runs Tax here writes TotalTaxAmount at {rate} (an org's tax comes from its tax calculator)"
            ),
            set_with,
        },
    })
}

/// A rule of the scenario format the rebuilt world breaks, said about the record it
/// came from (a stand-in product about its cart).
fn refusal(records: &Records, world: &World, p: &crate::scenario::validate::Problem) -> String {
    let id = match p.list {
        crate::scenario::validate::List::Products => world
            .carts()
            .iter()
            .find(|c| c.items.iter().any(|i| i.sku == p.id))
            .map_or(p.id.as_str(), |c| c.id.as_str()),
        _ => p.id.as_str(),
    };
    let why = format!(
        "the rebuilt world cannot be saved as a scenario and opened again: {}: {}",
        p.field, p.message
    );
    match records
        .by_object
        .values()
        .flatten()
        .find(|r| r.value("Id") == Some(id))
    {
        Some(r) => format!("{}: {}: {why}", r.file, r.label()),
        None => format!("{} {id}: {why}", p.list.key()),
    }
}

/// The largest cart amount (in cents) a rebuilt world holds: the most a product's price may be in
/// a scenario file, so that a cart's stand-in lines can be saved and loaded again.
pub const MAX_AMOUNT_CENTS: i128 = 100_000_000_000;

/// An amount as an export writes it: `1534.00`, `1534`, `1.534e3`, or with a decimal
/// comma as a spreadsheet in many countries writes it (`1534,00`).
pub(super) fn amount_of(text: &str) -> Option<Money> {
    let text = text.trim();
    if let Some(m) = Money::parse_decimal(text) {
        return Some(m);
    }
    if !text.contains('.') && text.matches(',').count() == 1 {
        return Money::parse_decimal(&text.replace(',', "."));
    }
    // Scientific notation: exact to the cent or refused.
    let f = text.parse::<f64>().ok().filter(|f| f.is_finite())?;
    let cents = (f * 100.0).round();
    (cents.abs() < 9.0e15 && ((cents / 100.0) - f).abs() < 1e-9 * f.abs().max(1.0))
        .then(|| Money::from_cents(cents as i128))
}

/// Sets one store setting from `KEY=VALUE`; the pair must have passed [`check_setting`].
fn apply_setting(s: &mut StoreSettings, key: &str, value: &str) {
    // A checked pair always parses; an unchecked one leaves the setting as it was.
    let _ = s.set(key, SettingInput::Arg(value));
}

/// The settings that `--setting` does not take: the time to live is given in minutes.
const NOT_BY_SETTING: &[(&str, &str)] = &[("checkout_ttl", "--ttl-minutes")];

/// Checks a `KEY=VALUE` store setting, naming the keys or values allowed.
pub fn check_setting(pair: &str) -> Result<(String, String), String> {
    let keys = || {
        settings::keys()
            .filter(|k| NOT_BY_SETTING.iter().all(|(n, _)| n != k))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (key, value) = pair.split_once('=').ok_or_else(|| {
        format!(
            "--setting {pair:?}: expected KEY=VALUE, with KEY one of: {}",
            keys()
        )
    })?;
    if let Some((_, option)) = NOT_BY_SETTING.iter().find(|(n, _)| *n == key) {
        return Err(format!("--setting: {key} is given with {option}"));
    }
    let setting = settings::setting(key).ok_or_else(|| {
        format!(
            "--setting: {key:?} is not a store setting; expected one of: {} (the time-to-live is --ttl-minutes)",
            keys()
        )
    })?;
    setting
        .parse(SettingInput::Arg(value))
        .map_err(|e| format!("--setting {key}: {e}"))?;
    Ok((key.to_string(), value.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(id: &str, state: &str, created: &str) -> Record {
        Record::new(
            Object::CartCheckoutSession,
            "s.csv",
            1,
            vec![
                ("Id".to_string(), Some(id.to_string())),
                (
                    "WebCartId".to_string(),
                    Some("0a6Hs0000000101IAA".to_string()),
                ),
                ("State".to_string(), Some(state.to_string())),
                ("CreatedDate".to_string(), Some(created.to_string())),
            ],
        )
    }

    const ID: &str = "2z9Hs0000000101AAA";
    const AT: &str = "2026-11-25T10:00:00.000+0000";

    #[test]
    fn a_repeated_record_is_read_once_and_a_changed_one_is_refused() {
        let given = [Object::CartCheckoutSession];
        let (records, _) = check(
            vec![session(ID, "Start", AT), session(ID, "Start", AT)],
            &given,
        )
        .expect("the same record twice is one record");
        assert_eq!(records.of(Object::CartCheckoutSession).len(), 1);
        let kept = records.of(Object::CartCheckoutSession)[0]
            .value("Id")
            .unwrap();
        assert!(records.find(Object::CartCheckoutSession, kept).is_some());
        assert!(records.find(Object::WebCart, kept).is_none());
        let e = check(
            vec![session(ID, "Start", AT), session(ID, "Error", AT)],
            &given,
        )
        .unwrap_err();
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].contains("appears twice with different values"),
            "{e:?}"
        );
        // A refused record is still compared with its repeat: the same refusal is not
        // said to differ, a different one is.
        let e = check(
            vec![session(ID, "Start", "soon"), session(ID, "Start", "soon")],
            &given,
        )
        .unwrap_err();
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(e.iter().all(|e| e.contains("CreatedDate")), "{e:?}");
        let e = check(
            vec![session(ID, "Start", "soon"), session(ID, "Error", "soon")],
            &given,
        )
        .unwrap_err();
        assert_eq!(e.len(), 3, "{e:?}");
        assert!(
            e[2].contains("appears twice with different values"),
            "{e:?}"
        );
    }
}
