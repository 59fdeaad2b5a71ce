//! Undoing an action: while [`World::apply_undoable`] runs, every way the world's
//! records change (an edit through a `*_mut` accessor, a record appended or removed, a
//! generated-id counter moved, time passing) leaves a step in a journal, and
//! [`World::undo`] walks those steps backwards. An edited record's journal step holds the
//! record as it was before its first edit in the action, so undoing costs what the
//! action changed, not what the world holds.
//!
//! Outside [`World::apply_undoable`] the journal is off and costs nothing, so `run`,
//! `check` and the rest of the engine pay nothing for it.

use super::actions::{Action, Outcome};
use super::model::*;
use super::world::{IdKind, World};

/// Which list of the world a record lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum List {
    Stores,
    Accounts,
    Buyers,
    Carts,
    Sessions,
    Operations,
    Orders,
    ValidationOutputs,
    DeliveryGroups,
    Payments,
}

/// A record as it was before an action edited it, with its position in its list.
#[derive(Debug, Clone)]
pub(crate) enum Before {
    Store(Store),
    Account(Account),
    Buyer(Buyer),
    Cart(WebCart),
    Session(CartCheckoutSession),
    Operation(BackgroundOperation),
    ValidationOutput(CartValidationOutput),
    DeliveryGroup(CartDeliveryGroup),
    Payment(PaymentAuthorization),
}

/// A record kind the journal keeps before images of.
pub(crate) trait Kept: Clone {
    /// Its list.
    const LIST: List;
    /// The record, wrapped for the journal.
    fn before(self) -> Before;
}

macro_rules! kept {
    ($($t:ty => $list:ident, $variant:ident;)+) => {
        $(impl Kept for $t {
            const LIST: List = List::$list;
            fn before(self) -> Before {
                Before::$variant(self)
            }
        })+
    };
}

kept! {
    Store => Stores, Store;
    Account => Accounts, Account;
    Buyer => Buyers, Buyer;
    WebCart => Carts, Cart;
    CartCheckoutSession => Sessions, Session;
    BackgroundOperation => Operations, Operation;
    CartValidationOutput => ValidationOutputs, ValidationOutput;
    CartDeliveryGroup => DeliveryGroups, DeliveryGroup;
    PaymentAuthorization => Payments, Payment;
}

/// One thing an action did, in the order it did it.
#[derive(Debug, Clone)]
enum Step {
    /// The record at this position was edited; this is how it was.
    Edited(usize, Box<Before>),
    /// A record was appended to this list.
    Appended(List),
    /// A generated-id counter held this value.
    Counter(IdKind, u64),
    /// This operation was removed from this position.
    RemovedOperation(usize, Box<BackgroundOperation>),
    /// This CartValidationOutput was removed from this position.
    RemovedValidationOutput(usize, Box<CartValidationOutput>),
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
            Step::Appended(_) => "appended",
            Step::Counter(..) => "counter",
            Step::RemovedOperation(..) => "removed operation",
            Step::RemovedValidationOutput(..) => "removed validation output",
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
    /// The records whose before image is already kept, by list and position. Cleared
    /// when a removal shifts positions (a second image of a record is then kept, which
    /// is harmless: undoing restores the older one last).
    kept: foldhash::HashSet<(List, usize)>,
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
    /// Keeps the record at `i` as it is now, if the action has not edited it before.
    pub(crate) fn edit<T: Kept>(&mut self, items: &[T], i: usize) {
        let Some(r) = self.on.as_mut() else {
            return;
        };
        if let Some(record) = items.get(i)
            && r.kept.insert((T::LIST, i))
        {
            r.steps
                .push(Step::Edited(i, Box::new(record.clone().before())));
        }
    }

    /// Notes a record appended to a list.
    pub(crate) fn appended(&mut self, list: List) {
        if let Some(r) = self.on.as_mut() {
            r.steps.push(Step::Appended(list));
        }
    }

    /// Notes a generated-id counter's value before it moves.
    pub(crate) fn counter(&mut self, kind: IdKind, value: u64) {
        if let Some(r) = self.on.as_mut() {
            r.steps.push(Step::Counter(kind, value));
        }
    }

    /// Notes an operation about to be removed from position `i`.
    pub(crate) fn removed_operation(&mut self, i: usize, op: &BackgroundOperation) {
        if let Some(r) = self.on.as_mut() {
            r.steps
                .push(Step::RemovedOperation(i, Box::new(op.clone())));
            r.kept.clear();
        }
    }

    /// Notes a CartValidationOutput about to be removed from position `i`.
    pub(crate) fn removed_validation_output(&mut self, i: usize, row: &CartValidationOutput) {
        if let Some(r) = self.on.as_mut() {
            r.steps
                .push(Step::RemovedValidationOutput(i, Box::new(row.clone())));
            r.kept.clear();
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
        self.journal = Journal {
            on: Some(Recording {
                tick: self.tick,
                ..Recording::default()
            }),
        };
        let outcome = self.apply(action);
        let recording = self.journal.take().on.unwrap_or_default();
        let undo = Undo {
            tick: recording.tick,
            steps: recording.steps.into_boxed_slice(),
        };
        (outcome, undo)
    }

    /// Takes the world back to what it was before the action `undo` was made for. The
    /// world must be exactly the one that action left (undo the later actions first).
    pub fn undo(&mut self, undo: &Undo) {
        for step in undo.steps.iter().rev() {
            match step {
                Step::Edited(i, before) => self.restore(*i, (**before).clone()),
                Step::Appended(list) => self.unappend(*list),
                Step::Counter(kind, value) => self.next_ids[*kind as usize] = *value,
                Step::RemovedOperation(i, op) => self.reinsert_operation(*i, (**op).clone()),
                Step::RemovedValidationOutput(i, row) => {
                    self.reinsert_validation_output(*i, (**row).clone())
                }
            }
        }
        self.tick = undo.tick;
    }

    fn restore(&mut self, i: usize, before: Before) {
        fn put<T>(items: &mut [T], i: usize, record: T) {
            if let Some(slot) = items.get_mut(i) {
                *slot = record;
            }
        }
        match before {
            Before::Store(r) => put(&mut self.stores, i, r),
            Before::Account(r) => put(&mut self.accounts, i, r),
            Before::Buyer(r) => put(&mut self.buyers, i, r),
            Before::Cart(r) => put(&mut self.carts, i, r),
            Before::Session(r) => self.restore_session(i, r),
            Before::Operation(r) => self.restore_operation(i, r),
            Before::ValidationOutput(r) => put(&mut self.validation_outputs, i, r),
            Before::DeliveryGroup(r) => put(&mut self.delivery_groups, i, r),
            Before::Payment(r) => put(&mut self.payment_authorizations, i, r),
        }
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
        world.reindex();
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
            if let Err(e) = world.index_agrees() {
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
            [
                "appended",
                "counter",
                "edited",
                "removed operation",
                "removed validation output"
            ]
        );
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
