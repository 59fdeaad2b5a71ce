//! History with instant scrubbing: the world after any entry is a checkpoint plus a
//! short replay. The engine is deterministic, so replaying an entry's action on the same
//! world gives the same outcome.
//!
//! Checkpoints are sparse and spaced by the work done, not by a fixed count: a new one
//! is taken once the entries since the last one, plus the changes they made, reach a
//! quarter of the world's record count (and at least [`SNAPSHOT_EVERY`] entries). A
//! checkpoint costs memory in proportion to the world, so this keeps the memory of all
//! checkpoints in proportion to the work recorded (entries and changes), however large
//! the world grows, while a seek replays at most that much work.

use super::describe;
use crate::engine::{Action, FieldValue, Outcome, World};
use std::collections::HashMap;

/// The fewest entries between two checkpoints.
pub const SNAPSHOT_EVERY: usize = 32;
/// A checkpoint is taken once the work since the last one (entries plus changes) times
/// this reaches the world's record count.
pub const WORK_PER_RECORD: usize = 4;

/// Where an entry came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Step `n` (from 0) of the scenario.
    Script(usize),
    /// An action the user took off script.
    Branch,
}

/// One action in the history and what it did.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The `do` keyword.
    pub kind: &'static str,
    /// The action.
    pub action: Action,
    /// Script step or branch.
    pub origin: Origin,
    /// What it did.
    pub outcome: Outcome,
    /// Virtual time before it.
    pub tick_before: u64,
    /// `cancel cart-1 as bob`: the action described against the world it was played on.
    pub description: String,
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
    /// How many entries have been applied to `current`.
    cursor: usize,
    current: World,
    /// The index of the first branch entry, if any.
    first_branch: Option<usize>,
    /// Entries plus changes since the last checkpoint.
    work_since_checkpoint: usize,
    /// Which session launched each operation (its BackgroundOperationId named it).
    owners: HashMap<String, String>,
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

fn work_of(entry: &Entry) -> usize {
    1 + entry.outcome.changes.len()
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
                    .map(|op| (op.clone(), s.id.clone()))
            })
            .collect();
        Timeline {
            checkpoints: vec![(0, world.clone())],
            entries: Vec::new(),
            cursor: 0,
            current: world,
            first_branch: None,
            work_since_checkpoint: 0,
            owners,
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

    /// The session whose BackgroundOperationId named this operation when it was launched.
    pub fn owner_of(&self, operation: &str) -> Option<&str> {
        self.owners.get(operation).map(String::as_str)
    }

    /// Applies an action at the cursor. Entries after the cursor are dropped: acting in
    /// the past starts a new future.
    pub fn push(&mut self, kind: &'static str, action: Action, origin: Origin) -> &Entry {
        self.truncate_after_cursor();
        let tick_before = self.current.tick;
        let description = describe(&self.current, kind, &action);
        let outcome = self.current.apply(&action);
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
        self.entries.push(Entry {
            kind,
            action,
            origin,
            outcome,
            tick_before,
            description,
        });
        self.cursor += 1;
        self.work_since_checkpoint += work_of(&self.entries[self.cursor - 1]);
        let last = self.checkpoints.last().map_or(0, |c| c.0);
        if self.cursor - last >= SNAPSHOT_EVERY
            && self.work_since_checkpoint * WORK_PER_RECORD >= weight(&self.current)
        {
            self.checkpoints.push((self.cursor, self.current.clone()));
            self.work_since_checkpoint = 0;
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
        let last = self.checkpoints.last().map_or(0, |c| c.0);
        self.work_since_checkpoint = self.entries[last..].iter().map(work_of).sum();
        if self.first_branch.is_some_and(|b| b >= self.cursor) {
            self.first_branch = None;
        }
    }

    /// The checkpoint at or before `n` entries.
    fn checkpoint_before(&self, n: usize) -> &(usize, World) {
        let i = self.checkpoints.partition_point(|c| c.0 <= n);
        &self.checkpoints[i.saturating_sub(1)]
    }

    /// Moves the cursor to `n` entries (clamped), rebuilding the world from the nearest
    /// checkpoint at or before it, or from the world at the cursor when that is closer.
    pub fn seek(&mut self, n: usize) {
        let n = n.min(self.entries.len());
        if n == self.cursor {
            return;
        }
        let (at, _) = self.checkpoint_before(n);
        let start = if n > self.cursor && self.cursor >= *at {
            self.cursor
        } else {
            let (at, world) = self.checkpoint_before(n);
            let (at, world) = (*at, world.clone());
            self.current = world;
            at
        };
        for entry in &self.entries[start..n] {
            let outcome = self.current.apply(&entry.action);
            debug_assert_eq!(outcome, entry.outcome, "the engine is deterministic");
        }
        self.cursor = n;
    }

    /// The world after `n` entries, without moving the cursor.
    pub fn world_at(&self, n: usize) -> World {
        let n = n.min(self.entries.len());
        if n == self.cursor {
            return self.current.clone();
        }
        let (at, world) = self.checkpoint_before(n);
        let mut world = world.clone();
        for entry in &self.entries[*at..n] {
            world.apply(&entry.action);
        }
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
        // A world of 3,000 carts, buyers and accounts: a checkpoint costs 9,000 records,
        // so waits that change nothing take one only every 2,251 entries.
        let text = crate::scenario::generate::generate(crate::scenario::generate::Spec {
            steps: 0,
            carts: 3_000,
            sparsity: 1,
            seed: 1,
        });
        let s = crate::scenario::load_bytes("big.json", text.as_bytes()).unwrap();
        let every = weight(&s.world).div_ceil(WORK_PER_RECORD);
        assert_eq!(every, 2_251);
        let mut timeline = Timeline::new(s.world);
        for _ in 0..5_000 {
            timeline.push("wait", Action::Wait { ticks: 1 }, Origin::Branch);
        }
        // The start plus one per 2,251 entries of work.
        assert_eq!(timeline.checkpoint_count(), 1 + 5_000 / every);
        let mut small = Timeline::new(World::default());
        for _ in 0..3_000 {
            small.push("wait", Action::Wait { ticks: 1 }, Origin::Branch);
        }
        assert_eq!(small.checkpoint_count(), 1 + 3_000 / SNAPSHOT_EVERY);
        for n in [0, 1, 2_250, 2_251, 2_252, 4_999, 1_500, 5_000] {
            timeline.seek(n);
            assert_eq!(timeline.world().tick, n as u64);
        }
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
