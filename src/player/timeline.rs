//! History that costs what changed. Each entry keeps what undoes it (the engine's
//! journal of the records it changed, see [`World::apply_undoable`]), so one step back
//! is undoing one entry, whatever the length of the history or the size of the world.
//!
//! Most entries of a long history change nothing but the time (a `wait` while nothing
//! runs): moving over them, either way, is setting the clock, so the history keeps the
//! positions of the entries that changed records and a move costs the changing entries
//! it passes, undone (backwards) or replayed (forwards; the engine is deterministic, so
//! replaying an entry's action on the same world gives the same outcome).
//!
//! A far move is bounded by sparse checkpoints: a new one is taken once the work of
//! the changing entries since the last one (their changes and journal steps) times
//! [`WORK_PER_RECORD`] reaches the world's record count. A checkpoint costs memory in
//! proportion to the world (less once worlds share structure when cloned), so the
//! memory of all checkpoints stays in proportion to the work recorded, and a seek
//! starts from the cursor or from the nearest checkpoint, whichever passes less work.

use super::describe;
use crate::engine::{Action, FieldValue, Outcome, Undo, World};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// A checkpoint is taken once the work since the last one (changes and journal steps
/// of the entries that changed records) times this reaches the world's record count.
pub const WORK_PER_RECORD: usize = 2;

/// What starting a move from a checkpoint costs besides the travel, in units of work:
/// a clone that shares the checkpoint's tables and lookups, and dropping the world it
/// replaces. Small and fixed, so a move near the cursor stays on the cursor.
const CHECKPOINT_START: usize = 32;

/// Where an entry came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Step `n` (from 0) of the scenario.
    Script(usize),
    /// An action the user took off script.
    Branch,
}

/// One action in the history and what it did.
///
/// A long history is mostly the same few entries (a one-tick wait that changed nothing),
/// so the action, the outcome and the description are shared between the entries that
/// have the same ones: an entry costs about a hundred bytes.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The `do` keyword.
    pub kind: &'static str,
    /// The action.
    pub action: Arc<Action>,
    /// Script step or branch.
    pub origin: Origin,
    /// What it did.
    pub outcome: Arc<Outcome>,
    /// Virtual time before it.
    pub tick_before: u64,
    /// `cancel cart-1 as bob`: the action described against the world it was played on.
    pub description: Arc<str>,
    /// Virtual time after it.
    tick_after: u64,
    /// What undoes it.
    undo: Undo,
}

/// A history of actions from a starting world, with a cursor.
///
/// Its entries are the script's steps in order, then (once the user acts off script)
/// only branch entries: acting at the cursor drops the entries after it.
#[derive(Debug, Clone)]
pub struct Timeline {
    /// `(n, world after n entries)`, sorted by `n`; the first is the start (`n = 0`).
    checkpoints: Vec<(usize, World)>,
    entries: Vec<Entry>,
    /// The entries that changed more than the time: `(index, work up to and with it)`,
    /// by index.
    changing: Vec<(usize, usize)>,
    /// How many entries have been applied to `current`.
    cursor: usize,
    current: World,
    /// The index of the first branch entry, if any.
    first_branch: Option<usize>,
    /// Which session launched each operation (its BackgroundOperationId named it).
    owners: HashMap<String, String>,
    /// What entries share: waits by their ticks, the outcome that changed nothing, and
    /// every description.
    shared: Shared,
}

/// The values entries share, so that each is kept once.
#[derive(Debug, Clone, Default)]
struct Shared {
    waits: HashMap<u64, Arc<Action>>,
    quiet: Option<Arc<Outcome>>,
    descriptions: HashSet<Arc<str>>,
}

impl Shared {
    fn action(&mut self, action: Action) -> Arc<Action> {
        match action {
            Action::Wait { ticks } => Arc::clone(
                self.waits
                    .entry(ticks)
                    .or_insert_with(|| Arc::new(Action::Wait { ticks })),
            ),
            other => Arc::new(other),
        }
    }

    fn outcome(&mut self, outcome: Outcome) -> Arc<Outcome> {
        let quiet = outcome.result.is_ok()
            && outcome.changes.is_empty()
            && outcome.http.is_none()
            && outcome.request.is_none()
            && outcome.body.is_none();
        if !quiet {
            return Arc::new(outcome);
        }
        Arc::clone(self.quiet.get_or_insert_with(|| Arc::new(outcome)))
    }

    fn description(&mut self, text: String) -> Arc<str> {
        if let Some(shared) = self.descriptions.get(text.as_str()) {
            return Arc::clone(shared);
        }
        let shared: Arc<str> = Arc::from(text);
        self.descriptions.insert(Arc::clone(&shared));
        shared
    }
}

/// How much memory a checkpoint of the world costs, in records.
fn weight(world: &World) -> usize {
    world.stores().len()
        + world.accounts().len()
        + world.buyers().len()
        + world.products().len()
        + world.carts().len()
        + world.sessions().len()
        + world.operations().len()
        + world.orders().len()
        + 1
}

/// What replaying or undoing an entry costs, roughly: the records it changed. An entry
/// that only moved the clock costs nothing.
fn work_of(outcome: &Outcome, undo: &Undo) -> usize {
    if undo.only_time() {
        0
    } else {
        1 + outcome.changes.len() + undo.len()
    }
}

impl Timeline {
    /// A history that starts at `world`, with nothing played.
    pub fn new(world: World) -> Timeline {
        let owners = world
            .sessions()
            .iter()
            .filter_map(|s| {
                s.background_operation_id
                    .as_ref()
                    .map(|op| (op.to_string(), s.id.to_string()))
            })
            .collect();
        Timeline {
            checkpoints: vec![(0, world.clone())],
            entries: Vec::new(),
            changing: Vec::new(),
            cursor: 0,
            current: world,
            first_branch: None,
            owners,
            shared: Shared::default(),
        }
    }

    /// The world at the cursor.
    pub fn world(&self) -> &World {
        &self.current
    }

    /// How many entries are behind the cursor.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// Every entry, played or not.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entries up to the cursor.
    pub fn played(&self) -> &[Entry] {
        &self.entries[..self.cursor]
    }

    /// The index of the first branch entry (played or not), if any. Every entry after it
    /// is a branch entry too.
    pub fn first_branch(&self) -> Option<usize> {
        self.first_branch
    }

    /// How many checkpoints the history keeps (the start included).
    pub fn checkpoint_count(&self) -> usize {
        self.checkpoints.len()
    }

    /// How many entries changed more than the time (the only ones a move replays or
    /// undoes).
    pub fn changing_count(&self) -> usize {
        self.changing.len()
    }

    /// The session whose BackgroundOperationId named this operation when it was launched.
    pub fn owner_of(&self, operation: &str) -> Option<&str> {
        self.owners.get(operation).map(String::as_str)
    }

    /// The work of the changing entries before entry `n`.
    fn work_before(&self, n: usize) -> usize {
        let k = self.changing.partition_point(|c| c.0 < n);
        k.checked_sub(1).map_or(0, |k| self.changing[k].1)
    }

    /// Applies an action at the cursor. Entries after the cursor are dropped: acting in
    /// the past starts a new future.
    pub fn push(&mut self, kind: &'static str, action: Action, origin: Origin) -> &Entry {
        self.truncate_after_cursor();
        let tick_before = self.current.tick;
        let description = describe(&self.current, kind, &action);
        let (outcome, undo) = self.current.apply_undoable(&action);
        for change in &outcome.changes {
            if change.field == Some("BackgroundOperationId")
                && let FieldValue::Text(op) = &change.new
            {
                self.owners.insert(op.clone(), change.record.clone());
            }
        }
        if origin == Origin::Branch && self.first_branch.is_none() {
            self.first_branch = Some(self.entries.len());
        }
        let work = work_of(&outcome, &undo);
        if work > 0 {
            let total = self.work_before(self.cursor) + work;
            self.changing.push((self.cursor, total));
        }
        self.entries.push(Entry {
            kind,
            action: self.shared.action(action),
            origin,
            outcome: self.shared.outcome(outcome),
            tick_before,
            description: self.shared.description(description),
            tick_after: self.current.tick,
            undo,
        });
        self.cursor += 1;
        let last = self.checkpoints.last().map_or(0, |c| c.0);
        let since = self.work_before(self.cursor) - self.work_before(last);
        if since > 0 && since * WORK_PER_RECORD >= weight(&self.current) {
            self.checkpoints.push((self.cursor, self.current.clone()));
        }
        &self.entries[self.cursor - 1]
    }

    /// Drops the entries after the cursor (a future no longer wanted, such as a branch
    /// the user discarded).
    pub fn drop_future(&mut self) {
        self.truncate_after_cursor();
    }

    fn truncate_after_cursor(&mut self) {
        if self.entries.len() == self.cursor {
            return;
        }
        self.entries.truncate(self.cursor);
        let keep = self.checkpoints.partition_point(|c| c.0 <= self.cursor);
        self.checkpoints.truncate(keep);
        let keep = self.changing.partition_point(|c| c.0 < self.cursor);
        self.changing.truncate(keep);
        if self.first_branch.is_some_and(|b| b >= self.cursor) {
            self.first_branch = None;
        }
    }

    /// Moves `world`, which is the world after `from` entries, to the world after `to`
    /// entries, by undoing or replaying the changing entries between.
    fn travel(&self, world: &mut World, from: usize, to: usize) {
        if to < from {
            let lo = self.changing.partition_point(|c| c.0 < to);
            let hi = self.changing.partition_point(|c| c.0 < from);
            for &(i, _) in self.changing[lo..hi].iter().rev() {
                world.undo(&self.entries[i].undo);
            }
            world.tick = self.entries[to].tick_before;
        } else if to > from {
            let lo = self.changing.partition_point(|c| c.0 < from);
            let hi = self.changing.partition_point(|c| c.0 < to);
            for &(i, _) in &self.changing[lo..hi] {
                let entry = &self.entries[i];
                world.tick = entry.tick_before;
                let outcome = world.apply(&entry.action);
                debug_assert_eq!(outcome, *entry.outcome, "the engine is deterministic");
            }
            world.tick = self.entries[to - 1].tick_after;
        }
    }

    /// Where a move to `n` entries starts: `None` for the world at the cursor, or the
    /// checkpoint to start from, whichever costs least. A unit of work costs about half
    /// as much to undo as to replay; starting from a checkpoint costs a clone of it,
    /// which shares the checkpoint's records and lookups (a few pointers, whatever the
    /// world holds), counted as [`CHECKPOINT_START`] units of work.
    fn start_for(&self, n: usize) -> Option<usize> {
        let cost = |from: usize| {
            let work = self.work_before(from.max(n)) - self.work_before(from.min(n));
            if from > n { work / 2 } else { work }
        };
        let mut best = (cost(self.cursor), None);
        let i = self.checkpoints.partition_point(|c| c.0 <= n);
        // The checkpoints on either side of `n`.
        for k in [i.checked_sub(1), (i < self.checkpoints.len()).then_some(i)]
            .into_iter()
            .flatten()
        {
            let total = cost(self.checkpoints[k].0) + CHECKPOINT_START;
            if total < best.0 {
                best = (total, Some(k));
            }
        }
        best.1
    }

    /// Moves the cursor to `n` entries (clamped): from the world at the cursor, or from
    /// the nearest checkpoint when that passes less work.
    pub fn seek(&mut self, n: usize) {
        let n = n.min(self.entries.len());
        if n == self.cursor {
            return;
        }
        let mut world = std::mem::take(&mut self.current);
        let from = match self.start_for(n) {
            None => self.cursor,
            Some(k) => {
                let (at, checkpoint) = &self.checkpoints[k];
                world = checkpoint.clone();
                *at
            }
        };
        self.travel(&mut world, from, n);
        self.current = world;
        self.cursor = n;
    }

    /// The world after `n` entries, without moving the cursor.
    pub fn world_at(&self, n: usize) -> World {
        let n = n.min(self.entries.len());
        let (mut world, from) = match self.start_for(n) {
            None => (self.current.clone(), self.cursor),
            Some(k) => {
                let (at, checkpoint) = &self.checkpoints[k];
                (checkpoint.clone(), *at)
            }
        };
        self.travel(&mut world, from, n);
        world
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Action;

    #[test]
    fn seeking_back_gives_the_exact_earlier_world() {
        let mut timeline = Timeline::new(World::default());
        let mut seen = vec![timeline.world().clone()];
        for _ in 0..100 {
            timeline.push("wait", Action::Wait { ticks: 1 }, Origin::Branch);
            seen.push(timeline.world().clone());
        }
        for n in [0, 1, 31, 32, 33, 64, 99, 100, 5] {
            timeline.seek(n);
            assert_eq!(timeline.world(), &seen[n], "after {n} entries");
            assert_eq!(timeline.world_at(n), seen[n]);
        }
    }

    #[test]
    fn acting_in_the_past_drops_the_old_future() {
        let mut timeline = Timeline::new(World::default());
        for _ in 0..40 {
            timeline.push("wait", Action::Wait { ticks: 1 }, Origin::Branch);
        }
        timeline.seek(10);
        timeline.push("wait", Action::Wait { ticks: 5 }, Origin::Branch);
        assert_eq!(timeline.entries().len(), 11);
        assert_eq!(timeline.world().tick, 15);
        timeline.seek(0);
        timeline.seek(11);
        assert_eq!(timeline.world().tick, 15);
    }

    #[test]
    fn checkpoints_grow_with_the_work_not_with_the_world() {
        // A world of 3,000 carts, buyers and accounts: a checkpoint costs 9,003 records,
        // so one is taken only once the work since the last reaches 4,502.
        let text = crate::scenario::generate::generate(crate::scenario::generate::Spec {
            steps: 0,
            carts: 3_000,
            sparsity: 1,
            seed: 1,
        });
        let s = crate::scenario::load_bytes("big.json", text.as_bytes()).unwrap();
        let every = weight(&s.world).div_ceil(WORK_PER_RECORD);
        assert_eq!(every, 4_502);
        let mut timeline = Timeline::new(s.world);
        // Waits while nothing runs change only the time: no work, no checkpoint, and
        // nothing to replay or undo.
        for _ in 0..5_000 {
            timeline.push("wait", Action::Wait { ticks: 1 }, Origin::Branch);
        }
        assert_eq!(timeline.checkpoint_count(), 1);
        assert_eq!(timeline.changing_count(), 0);
        for n in [0, 1, 2_250, 4_999, 1_500, 5_000] {
            timeline.seek(n);
            assert_eq!(timeline.world().tick, n as u64);
        }
        // Checkouts change records: their work brings checkpoints.
        let mut seen = vec![timeline.world().clone()];
        for i in 0..1_000 {
            let cart = format!("cart-{i}");
            timeline.push(
                "start_checkout",
                Action::StartCheckout { cart, actor: None },
                Origin::Branch,
            );
            seen.push(timeline.world().clone());
        }
        assert_eq!(timeline.changing_count(), 1_000);
        let work = timeline.work_before(timeline.entries().len());
        assert!(work >= 1_000 * 3, "{work}");
        let taken = timeline.checkpoint_count() - 1;
        assert!(
            taken >= 1 && taken <= work / every,
            "{taken} checkpoints for {work} work"
        );
        for n in [
            5_000, 5_001, 5_500, 5_999, 6_000, 5_250, 0, 6_000, 2_000, 5_700,
        ] {
            timeline.seek(n);
            match n.checked_sub(5_000) {
                Some(k) => assert_eq!(timeline.world(), &seen[k], "at {n}"),
                None => assert_eq!(timeline.world().tick, n as u64),
            }
            assert_eq!(timeline.world_at(n), *timeline.world());
        }
        for n in (5_900..=6_000).rev() {
            timeline.seek(n);
            assert_eq!(timeline.world(), &seen[n - 5_000], "back to {n}");
        }
    }

    #[test]
    fn moves_through_every_shipped_scenario_give_the_recorded_worlds() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        let mut checkpoints = 0;
        for path in files {
            let text = std::fs::read_to_string(&path).unwrap();
            let s = crate::scenario::load_bytes("s.json", text.as_bytes()).unwrap();
            let mut timeline = Timeline::new(s.world.clone());
            let mut seen = vec![timeline.world().clone()];
            for (i, step) in s.steps.iter().enumerate() {
                timeline.push(step.kind, step.action.clone(), Origin::Script(i));
                seen.push(timeline.world().clone());
            }
            checkpoints += timeline.checkpoint_count() - 1;
            let len = s.steps.len();
            // Every step back from the end, then a fixed pseudo-random walk.
            for n in (0..len).rev() {
                timeline.seek(n);
                assert_eq!(
                    timeline.world(),
                    &seen[n],
                    "{}: back to {n}",
                    path.display()
                );
            }
            let mut n = 0;
            for _ in 0..3 * len {
                n = (n * 7 + 5) % (len + 1);
                timeline.seek(n);
                assert_eq!(timeline.world(), &seen[n], "{}: to {n}", path.display());
                assert_eq!(timeline.world_at(len - n), seen[len - n]);
            }
        }
        assert!(checkpoints > 0, "some moves start from a checkpoint");
    }

    #[test]
    fn a_far_move_starts_from_the_checkpoint_on_either_side_that_costs_least() {
        let text = crate::scenario::generate::generate(crate::scenario::generate::Spec {
            steps: 3_000,
            carts: 2,
            sparsity: 1,
            seed: 5,
        });
        let s = crate::scenario::load_bytes("churn.json", text.as_bytes()).unwrap();
        let mut timeline = Timeline::new(s.world.clone());
        let mut seen = vec![timeline.world().clone()];
        for (i, step) in s.steps.iter().enumerate() {
            timeline.push(step.kind, step.action.clone(), Origin::Script(i));
            seen.push(timeline.world().clone());
        }
        assert!(timeline.checkpoint_count() > 10);
        let (at, _) = timeline.checkpoints[timeline.checkpoint_count() / 2];
        // Just after a checkpoint: from it, forwards.
        let k = timeline.checkpoint_count() / 2;
        assert_eq!(timeline.start_for(at + 1), Some(k));
        timeline.seek(at + 1);
        assert_eq!(timeline.world(), &seen[at + 1]);
        // Just before one, far from the cursor: from it, backwards.
        timeline.seek(3_000);
        assert_eq!(timeline.start_for(at - 1), Some(k));
        timeline.seek(at - 1);
        assert_eq!(timeline.world(), &seen[at - 1]);
        // Near the cursor: from the cursor.
        assert_eq!(timeline.start_for(at + 3), None);
        timeline.seek(at + 3);
        assert_eq!(timeline.world(), &seen[at + 3]);
    }

    #[test]
    fn the_first_branch_entry_is_tracked_through_truncation() {
        let mut timeline = Timeline::new(World::default());
        timeline.push("wait", Action::Wait { ticks: 1 }, Origin::Script(0));
        timeline.push("wait", Action::Wait { ticks: 1 }, Origin::Branch);
        timeline.push("wait", Action::Wait { ticks: 1 }, Origin::Branch);
        assert_eq!(timeline.first_branch(), Some(1));
        timeline.seek(2);
        timeline.push("wait", Action::Wait { ticks: 1 }, Origin::Branch);
        assert_eq!(timeline.first_branch(), Some(1));
        timeline.seek(1);
        timeline.push("wait", Action::Wait { ticks: 1 }, Origin::Script(1));
        assert_eq!(timeline.first_branch(), None);
        assert_eq!(timeline.entries().len(), 2);
    }
}
