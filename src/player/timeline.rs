//! History with instant scrubbing: the world after any entry is a snapshot plus a short
//! replay. The engine is deterministic, so replaying an entry's action on the same
//! world gives the same outcome; snapshots every [`SNAPSHOT_EVERY`] entries bound the
//! replay, so stepping back through a history of thousands of steps stays instant
//! without keeping a world per step.

use crate::engine::{Action, Outcome, World};

/// Entries between two snapshots.
pub const SNAPSHOT_EVERY: usize = 32;

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
}

/// A history of actions from a starting world, with a cursor.
#[derive(Debug, Clone)]
pub struct Timeline {
    /// Snapshot `k` is the world after `k * SNAPSHOT_EVERY` entries.
    snapshots: Vec<World>,
    entries: Vec<Entry>,
    /// How many entries have been applied to `current`.
    cursor: usize,
    current: World,
}

impl Timeline {
    /// A history that starts at `world`, with nothing played.
    pub fn new(world: World) -> Timeline {
        Timeline {
            snapshots: vec![world.clone()],
            entries: Vec::new(),
            cursor: 0,
            current: world,
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

    /// Applies an action at the cursor. Entries after the cursor are dropped: acting in
    /// the past starts a new future.
    pub fn push(&mut self, kind: &'static str, action: Action, origin: Origin) -> &Entry {
        self.truncate_after_cursor();
        let tick_before = self.current.tick;
        let outcome = self.current.apply(&action);
        self.entries.push(Entry {
            kind,
            action,
            origin,
            outcome,
            tick_before,
        });
        self.cursor += 1;
        if self.cursor.is_multiple_of(SNAPSHOT_EVERY) {
            self.snapshots.push(self.current.clone());
        }
        &self.entries[self.cursor - 1]
    }

    fn truncate_after_cursor(&mut self) {
        self.entries.truncate(self.cursor);
        self.snapshots.truncate(self.cursor / SNAPSHOT_EVERY + 1);
    }

    /// Moves the cursor to `n` entries (clamped), rebuilding the world from the nearest
    /// snapshot at or before it.
    pub fn seek(&mut self, n: usize) {
        let n = n.min(self.entries.len());
        if n == self.cursor {
            return;
        }
        // Moving forward from the current world is cheaper when it is close.
        let from_snapshot = (n / SNAPSHOT_EVERY) * SNAPSHOT_EVERY;
        let start = if n > self.cursor && self.cursor >= from_snapshot {
            self.cursor
        } else {
            self.current = self.snapshots[n / SNAPSHOT_EVERY].clone();
            from_snapshot
        };
        for i in start..n {
            let outcome = self.current.apply(&self.entries[i].action);
            debug_assert_eq!(
                outcome, self.entries[i].outcome,
                "the engine is deterministic"
            );
            if (i + 1).is_multiple_of(SNAPSHOT_EVERY)
                && self.snapshots.len() == (i + 1) / SNAPSHOT_EVERY
            {
                self.snapshots.push(self.current.clone());
            }
        }
        self.cursor = n;
    }

    /// The world after `n` entries, without moving the cursor.
    pub fn world_at(&self, n: usize) -> World {
        let n = n.min(self.entries.len());
        let mut world = self.snapshots[(n / SNAPSHOT_EVERY).min(self.snapshots.len() - 1)].clone();
        let start = (n / SNAPSHOT_EVERY).min(self.snapshots.len() - 1) * SNAPSHOT_EVERY;
        for entry in &self.entries[start..n] {
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
}
