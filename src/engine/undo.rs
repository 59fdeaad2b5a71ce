//! Undoing an action: while [`World::apply_undoable`] runs, every change the world's
//! one edit path makes (`World::insert`, `World::edit`, `World::remove`), every
//! generated-id counter that moves and the time before the action leave a step in a
//! journal, and [`World::undo`] walks those steps backwards through the same path, so
//! the derived lookups follow. An edited or removed record's step holds the record as
//! it was, by sharing its `Arc` with the table rather than copying it, so undoing costs
//! what the action changed, not what the world holds.
//!
//! Outside [`World::apply_undoable`] the journal is off and costs nothing, so `run`,
//! `check` and the rest of the engine pay nothing for it.

use super::actions::{Action, Outcome};
use super::model::*;
use super::table::Seq;
use super::world::{IdKind, World};
use std::sync::Arc;

/// A record as it was, shared with the table that held it, tagged with its kind.
#[derive(Debug, Clone)]
pub(crate) enum Image {
    Store(Arc<Store>),
    Account(Arc<Account>),
    Buyer(Arc<Buyer>),
    Product(Arc<Product>),
    Cart(Arc<WebCart>),
    Session(Arc<CartCheckoutSession>),
    Operation(Arc<BackgroundOperation>),
    Order(Arc<Order>),
    ValidationOutput(Arc<CartValidationOutput>),
    DeliveryGroup(Arc<CartDeliveryGroup>),
    Payment(Arc<PaymentAuthorization>),
}

/// Which table a record lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    Store,
    Account,
    Buyer,
    Product,
    Cart,
    Session,
    Operation,
    Order,
    ValidationOutput,
    DeliveryGroup,
    Payment,
}

/// A record kind the journal keeps images of.
pub(crate) trait Kept: Sized {
    /// Its table.
    const KIND: Kind;
    /// The shared record, tagged for the journal.
    fn image(record: Arc<Self>) -> Image;
}

macro_rules! kept {
    ($($t:ty => $variant:ident;)+) => {
        $(impl Kept for $t {
            const KIND: Kind = Kind::$variant;
            fn image(record: Arc<Self>) -> Image {
                Image::$variant(record)
            }
        })+

        impl World {
            /// Takes out the record inserted at `seq`.
            fn uninsert_kind(&mut self, kind: Kind, seq: Seq) {
                match kind {
                    $(Kind::$variant => self.uninsert::<$t>(seq),)+
                }
            }

            /// Puts an edited record back as it was.
            fn unedit_image(&mut self, seq: Seq, image: &Image) {
                match image {
                    $(Image::$variant(r) => self.unedit::<$t>(seq, Arc::clone(r)),)+
                }
            }

            /// Puts a removed record back where it was.
            fn unremove_image(&mut self, seq: Seq, image: &Image) {
                match image {
                    $(Image::$variant(r) => self.unremove::<$t>(seq, Arc::clone(r)),)+
                }
            }
        }
    };
}

kept! {
    Store => Store;
    Account => Account;
    Buyer => Buyer;
    Product => Product;
    WebCart => Cart;
    CartCheckoutSession => Session;
    BackgroundOperation => Operation;
    Order => Order;
    CartValidationOutput => ValidationOutput;
    CartDeliveryGroup => DeliveryGroup;
    PaymentAuthorization => Payment;
}

/// One thing an action did, in the order it did it.
#[derive(Debug, Clone)]
enum Step {
    /// A record was inserted at this place of its table.
    Inserted(Kind, Seq),
    /// The record at this place was edited; this is how it was.
    Edited(Seq, Image),
    /// This record was removed from this place.
    Removed(Seq, Image),
    /// A generated-id counter held this value.
    Counter(IdKind, u64),
}

/// What undoes one action: the time before it and the journal of what it did.
/// Time that passed and nothing else is an empty journal (and no allocation).
#[derive(Debug, Clone, Default)]
pub struct Undo {
    tick: u64,
    steps: Box<[Step]>,
}

impl Undo {
    /// True when the action changed no record and no counter (only, perhaps, the
    /// time): undoing it is setting the time back, and replaying it is setting the time
    /// to what it was after.
    pub fn only_time(&self) -> bool {
        self.steps.is_empty()
    }

    /// The virtual time before the action.
    pub fn tick_before(&self) -> u64 {
        self.tick
    }

    /// How many steps the journal holds (what undoing costs).
    pub fn len(&self) -> usize {
        self.steps.len()
    }

    /// The kinds of step the journal holds, for tests that must reach every kind.
    #[cfg(test)]
    fn kinds(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.steps.iter().map(|s| match s {
            Step::Edited(..) => "edited",
            Step::Inserted(..) => "inserted",
            Step::Counter(..) => "counter",
            Step::Removed(..) => "removed",
        })
    }

    /// True when the journal is empty (see [`Undo::only_time`]).
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }
}

/// The journal the world writes while an undoable action runs. A clone of the world
/// starts with it off (a snapshot does not record), and every journal compares equal,
/// so that worlds compare by their records alone.
#[derive(Debug, Default)]
pub(crate) struct Journal {
    on: Option<Recording>,
}

#[derive(Debug, Default)]
struct Recording {
    tick: u64,
    steps: Vec<Step>,
    /// The records whose image before the action is already kept (or that the action
    /// inserted), by table and place: a later edit of one needs no step, and keeping
    /// none leaves the world the only owner of the record, so it is edited in place.
    kept: foldhash::HashSet<(Kind, Seq)>,
}

/// The most steps a kept spare recording has room for: one that grew past it (a long
/// `settle`) is dropped, so that its memory does not stay with the thread.
const SPARE_STEPS: usize = 256;

thread_local! {
    /// The last recording, emptied, with its room: a search undoes millions of small
    /// actions, and growing a new list of steps and a new set of kept records for each
    /// was several allocations per action.
    static SPARE: std::cell::RefCell<Option<Recording>> = const { std::cell::RefCell::new(None) };
}

impl Clone for Journal {
    fn clone(&self) -> Journal {
        Journal::default()
    }
}

impl PartialEq for Journal {
    fn eq(&self, _: &Journal) -> bool {
        true
    }
}

impl Journal {
    /// Whether a record about to be edited needs its image kept: the journal is on and
    /// the action has neither edited nor inserted it before.
    pub(crate) fn wants<T: Kept>(&self, seq: Seq) -> bool {
        self.on
            .as_ref()
            .is_some_and(|r| !r.kept.contains(&(T::KIND, seq)))
    }

    /// Keeps the image of the record at `seq` before its first edit in the action.
    pub(crate) fn edited<T: Kept>(&mut self, seq: Seq, before: Arc<T>) {
        if let Some(r) = self.on.as_mut()
            && r.kept.insert((T::KIND, seq))
        {
            r.steps.push(Step::Edited(seq, T::image(before)));
        }
    }

    /// Notes a record inserted at `seq`.
    pub(crate) fn inserted<T: Kept>(&mut self, seq: Seq) {
        if let Some(r) = self.on.as_mut() {
            r.kept.insert((T::KIND, seq));
            r.steps.push(Step::Inserted(T::KIND, seq));
        }
    }

    /// Notes a record removed from `seq`.
    pub(crate) fn removed<T: Kept>(&mut self, seq: Seq, record: &Arc<T>) {
        if let Some(r) = self.on.as_mut() {
            r.steps
                .push(Step::Removed(seq, T::image(Arc::clone(record))));
        }
    }

    /// Notes a generated-id counter's value before it moves.
    pub(crate) fn counter(&mut self, kind: IdKind, value: u64) {
        if let Some(r) = self.on.as_mut() {
            r.steps.push(Step::Counter(kind, value));
        }
    }

    /// Whether the journal records.
    pub(crate) fn is_on(&self) -> bool {
        self.on.is_some()
    }

    /// The journal with nothing recorded yet (on if it was on).
    pub(crate) fn emptied(self) -> Journal {
        Journal {
            on: self.on.map(|r| Recording {
                tick: r.tick,
                ..Recording::default()
            }),
        }
    }

    /// Moves the journal (on or off) out, leaving it off.
    pub(crate) fn take(&mut self) -> Journal {
        std::mem::take(self)
    }
}

impl World {
    /// Applies an action like [`World::apply`], and also returns what undoes it with
    /// [`World::undo`]. The outcome is exactly the one `apply` gives.
    pub fn apply_undoable(&mut self, action: &Action) -> (Outcome, Undo) {
        let mut recording = SPARE.with(|s| s.borrow_mut().take()).unwrap_or_default();
        recording.tick = self.tick;
        self.journal = Journal {
            on: Some(recording),
        };
        let outcome = self.apply(action);
        let mut recording = self.journal.take().on.unwrap_or_default();
        let undo = Undo {
            tick: recording.tick,
            steps: recording.steps.drain(..).collect(),
        };
        recording.kept.clear();
        if recording.steps.capacity() <= SPARE_STEPS && recording.kept.capacity() <= SPARE_STEPS {
            SPARE.with(|s| *s.borrow_mut() = Some(recording));
        }
        (outcome, undo)
    }

    /// Takes the world back to what it was before the action `undo` was made for. The
    /// world must be exactly the one that action left (undo the later actions first).
    pub fn undo(&mut self, undo: &Undo) {
        for step in undo.steps.iter().rev() {
            match step {
                Step::Inserted(kind, seq) => self.uninsert_kind(*kind, *seq),
                Step::Edited(seq, before) => self.unedit_image(*seq, before),
                Step::Removed(seq, record) => self.unremove_image(*seq, record),
                Step::Counter(kind, value) => self.next_ids[*kind as usize] = *value,
            }
        }
        self.tick = undo.tick;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load_bytes;

    /// Plays every step with its undo, then undoes them one by one: each world is the
    /// one before the step, records and lookups alike, and playing on from it gives
    /// the outcomes it gave the first time.
    fn check_round_trip(
        name: &str,
        text: &str,
        seen: &mut std::collections::BTreeSet<&'static str>,
    ) {
        let s = load_bytes(name, text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        let mut world = s.world.clone();
        let mut worlds = vec![world.clone()];
        let mut played = Vec::new();
        for step in &s.steps {
            let (outcome, undo) = world.apply_undoable(&step.action);
            worlds.push(world.clone());
            seen.extend(undo.kinds());
            played.push((outcome, undo));
        }
        for k in (0..played.len()).rev() {
            world.undo(&played[k].1);
            assert_eq!(world, worlds[k], "{name}: undoing step {k}");
            if let Err(e) = world.lookups_agree() {
                panic!("{name}: the lookups after undoing step {k}: {e}");
            }
            // Playing it again, on the lookups the undo left, gives the same outcome.
            let outcome = world.apply(&s.steps[k].action);
            assert_eq!(outcome, played[k].0, "{name}: replaying step {k}");
            assert_eq!(world, worlds[k + 1]);
            world.undo(&played[k].1);
            assert_eq!(world, worlds[k]);
        }
    }

    #[test]
    fn undoing_every_step_of_every_builtin_scenario_gives_the_world_before_it() {
        let mut seen = Default::default();
        for b in crate::scenario::builtin::BUILTIN {
            check_round_trip(b.name, b.text, &mut seen);
        }
    }

    #[test]
    fn undoing_every_step_of_every_shipped_scenario_gives_the_world_before_it() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        assert!(files.len() > 10);
        let mut seen = std::collections::BTreeSet::new();
        for path in files {
            let text = std::fs::read_to_string(&path).unwrap();
            check_round_trip(&path.display().to_string(), &text, &mut seen);
        }
        // Every kind of journal step was undone at least once.
        assert_eq!(
            seen.into_iter().collect::<Vec<_>>(),
            ["counter", "edited", "inserted", "removed"]
        );
    }

    #[test]
    fn a_quiet_undoable_action_does_what_the_undoable_one_does_without_the_log_or_the_text() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let (mut steps, mut bodies) = (0, 0);
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|x| x != "json") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let s = load_bytes(&path.display().to_string(), text.as_bytes()).unwrap();
            let mut loud = s.world.clone();
            let mut quiet = s.world.clone();
            for step in &s.steps {
                let before = quiet.clone();
                let (outcome, undo) = loud.apply_undoable(&step.action);
                let (q, q_undo) = quiet.apply_quiet_undoable(&step.action);
                assert_eq!(quiet, loud, "{}", path.display());
                assert!(q.changes.is_empty());
                assert_eq!((q.result, q.http), (outcome.result, outcome.http));
                // Nor the REST call's text.
                assert_eq!((q.request, q.body), (None, None));
                bodies += usize::from(outcome.body.is_some());
                assert_eq!(q_undo.len(), undo.len());
                quiet.undo(&q_undo);
                assert_eq!(quiet, before, "{}", path.display());
                quiet.lookups_agree().unwrap();
                quiet = loud.clone();
                steps += 1;
            }
        }
        assert!(steps > 100, "{steps}");
        assert!(bodies > 10, "{bodies}");
    }

    #[test]
    fn undoing_a_generated_churn_gives_the_world_before_each_step() {
        use crate::scenario::generate::{Spec, generate};
        for carts in [1, 3, 20] {
            let text = generate(Spec {
                steps: 400,
                carts,
                sparsity: 1,
                seed: 3,
            });
            check_round_trip("churn.json", &text, &mut Default::default());
        }
    }

    #[test]
    fn an_edited_record_is_kept_by_sharing_it_and_put_back_as_the_same_record() {
        use crate::engine::builder::WorldBuilder;
        use crate::engine::money::Money;
        let mut b = WorldBuilder::new();
        b.plain_store("w")
            .plain_account("a", &["w"])
            .plain_buyer("b", &["a"])
            .plain_product("sku", Money::from_cents(1_000));
        for i in 0..100 {
            b.empty_cart(&format!("cart-{i}"), "w", "b");
        }
        let mut world = b.build();
        let before = world.clone();
        let (outcome, undo) = world.apply_undoable(&Action::StartCheckout {
            cart: "cart-7".into(),
            actor: None,
        });
        assert!(outcome.result.is_ok(), "{:?}", outcome.result);
        let seq = world.carts.seq("cart-7").unwrap();
        let shared = before.carts.shared(seq).unwrap();
        // The journal holds the very record the snapshot holds: no copy was made of it.
        let kept = undo.steps.iter().find_map(|s| match s {
            Step::Edited(at, Image::Cart(r)) if *at == seq => Some(r),
            _ => None,
        });
        assert!(kept.is_some_and(|r| Arc::ptr_eq(r, &shared)));
        assert!(!Arc::ptr_eq(&world.carts.shared(seq).unwrap(), &shared));
        // What the action did not touch is still shared, and the journal is short.
        let other = world.carts.seq("cart-8").unwrap();
        assert!(Arc::ptr_eq(
            &world.carts.shared(other).unwrap(),
            &before.carts.shared(other).unwrap()
        ));
        assert!(undo.len() < 10, "{undo:?}");
        world.undo(&undo);
        assert_eq!(world, before);
        assert!(Arc::ptr_eq(&world.carts.shared(seq).unwrap(), &shared));
        world.lookups_agree().unwrap();
    }

    #[test]
    fn time_that_passes_and_nothing_else_is_an_empty_journal() {
        let mut world = World::default();
        let (_, undo) = world.apply_undoable(&Action::Wait { ticks: 5 });
        assert!(undo.only_time());
        assert_eq!(undo.tick_before(), 0);
        assert_eq!(world.tick, 5);
        world.undo(&undo);
        assert_eq!(world.tick, 0);
        // Outside apply_undoable nothing is recorded.
        assert!(!world.journal.is_on());
    }
}
