//! Long work in the UI (End on a long scenario, a jump far ahead) is done a slice at a
//! time, so the UI stays responsive: between two slices the run loop draws the progress
//! and reads the keys, Esc or Ctrl-C stops the work where it got to, and every other
//! key pressed meanwhile is dropped instead of queueing more work behind it.
//!
//! `update` stays free of I/O and of the clock: the run loop hands it a number of steps
//! per slice ([`Msg::Work`](super::app::Msg::Work)) and [`Budget`] sizes that number from
//! how long the last slice took, so a slice lasts about [`SLICE`] on any machine and a
//! cancelling key is read well within 100 ms.

use std::time::Duration;

/// What is under way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    /// Playing to the end (End): it stops where End stops (the end, a question).
    End,
    /// Going to script position `to` (a jump from the timeline).
    Goto {
        /// The script position to reach.
        to: usize,
    },
}

impl Work {
    /// What the status line calls it.
    pub fn name(self) -> &'static str {
        match self {
            Work::End => "playing to the end (End)",
            Work::Goto { .. } => "jumping ahead",
        }
    }
}

/// Work of at most this many steps is done at once, in one key press.
pub const AT_ONCE: usize = 2_000;

/// How long a slice of work should last.
pub const SLICE: Duration = Duration::from_millis(20);

/// The number of steps per slice, adapted to how long slices take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    steps: usize,
}

impl Default for Budget {
    fn default() -> Budget {
        Budget { steps: 64 }
    }
}

impl Budget {
    /// The steps the next slice may play.
    pub fn steps(self) -> usize {
        self.steps
    }

    /// The last slice of `steps` took `elapsed`: the next one is sized to last about
    /// [`SLICE`] (growing at most fourfold at a time, never below one step).
    pub fn took(&mut self, elapsed: Duration) {
        let per_step = elapsed.as_secs_f64() / self.steps.max(1) as f64;
        let fits = if per_step > 0.0 {
            (SLICE.as_secs_f64() / per_step) as usize
        } else {
            usize::MAX
        };
        self.steps = fits.clamp(1, self.steps.saturating_mul(4).max(1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_follows_the_time_a_slice_takes() {
        let mut b = Budget::default();
        b.took(Duration::from_millis(5));
        assert_eq!(b.steps(), 256, "grows at most fourfold");
        b.took(Duration::from_millis(80));
        assert_eq!(b.steps(), 64, "a slow slice shrinks the next one to fit");
        b.took(Duration::from_secs(10));
        assert_eq!(b.steps(), 1);
    }
}
