//! Animations computed from a clock value, never from the wall clock directly, so a test
//! can render any instant of a transition. A [`Transition`] starts when a step is played
//! (not when stepping back: that is instant) and lasts [`HIGHLIGHT`].

use crate::engine::{BackgroundOperation, CartStatus, Change, FieldValue, World};
use std::time::Duration;

/// How long a changed field stays highlighted with old -> new.
pub const HIGHLIGHT: Duration = Duration::from_millis(1200);
/// How long progress bars take to glide to their new value.
pub const GLIDE: Duration = Duration::from_millis(800);
/// The frame interval while something moves (20 frames a second).
pub const FRAME: Duration = Duration::from_millis(50);

/// The changes of the last played step, and the world before it.
#[derive(Debug, Clone)]
pub struct Transition {
    /// The clock value when it started.
    pub started: Duration,
    /// The world before the step.
    pub before: World,
    /// What the step changed.
    pub changes: Vec<Change>,
    /// How long progress bars glide: [`GLIDE`], or less when playback is fast, so a
    /// bar arrives before the next step starts.
    pub glide: Duration,
}

impl Transition {
    /// Elapsed share of `span` at `now`, from 0.0 to 1.0.
    fn phase(&self, now: Duration, span: Duration) -> f64 {
        let t = now.saturating_sub(self.started).as_secs_f64() / span.as_secs_f64();
        t.clamp(0.0, 1.0)
    }

    /// True while something still moves.
    pub fn active(&self, now: Duration) -> bool {
        now < self.started + HIGHLIGHT
    }

    /// The old and new value of a field changed by the step, while highlighted.
    pub fn changed(
        &self,
        now: Duration,
        record: &str,
        field: &str,
    ) -> Option<(&FieldValue, &FieldValue)> {
        if !self.active(now) {
            return None;
        }
        let mut hits = self
            .changes
            .iter()
            .filter(|c| c.record == record && c.field == Some(field));
        let first = hits.next()?;
        let last = hits.next_back().unwrap_or(first);
        Some((&first.old, &last.new))
    }

    /// True while a record created by the step is highlighted.
    pub fn created(&self, now: Duration, record: &str) -> bool {
        self.active(now)
            && self
                .changes
                .iter()
                .any(|c| c.record == record && c.field.is_none())
    }

    /// The progress to draw for an operation: glides from its value before the step to
    /// its value now (at tick `tick`), eased so that the motion slows as it arrives.
    pub fn progress(&self, now: Duration, op: &BackgroundOperation, tick: u64) -> f64 {
        let to = op.progress(tick);
        let from = self
            .before
            .operation(&op.id)
            .map_or(0.0, |o| o.progress(self.before.tick));
        let t = self.phase(now, self.glide);
        let eased = 1.0 - (1.0 - t) * (1.0 - t);
        from + (to - from) * eased
    }

    /// The lock badge of a cart whose status changed, frame by frame: the lock opens
    /// (or closes) over the first part of the highlight.
    pub fn lock_frame(
        &self,
        now: Duration,
        cart: &str,
        status: CartStatus,
    ) -> Option<&'static str> {
        let (old, _) = self.changed(now, cart, "Status")?;
        let was_locked = old.to_string() != "Active";
        let locked = status != CartStatus::Active;
        if was_locked == locked {
            return None;
        }
        let t = self.phase(now, HIGHLIGHT);
        Some(match (locked, t) {
            (false, t) if t < 0.25 => "[#] locked",
            (false, t) if t < 0.5 => "[/] opening",
            (false, _) => "[ ] unlocked",
            (true, t) if t < 0.25 => "[ ] unlocked",
            (true, t) if t < 0.5 => "[\\] closing",
            (true, _) => "[#] locked",
        })
    }
}

/// A spinner frame for running operations, from the clock.
pub fn spinner(now: Duration) -> &'static str {
    const FRAMES: [&str; 8] = ["⠋", "⠙", "⠸", "⠴", "⠦", "⠇", "⠏", "⠛"];
    FRAMES[(now.as_millis() / 120 % 8) as usize]
}

/// A progress bar `width` cells wide with eighth-cell resolution, so motion is smooth.
pub fn bar(progress: f64, width: usize) -> String {
    const EIGHTHS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
    let p = progress.clamp(0.0, 1.0);
    let total = (p * width as f64 * 8.0).round() as usize;
    let full = total / 8;
    let mut s = "█".repeat(full.min(width));
    if full < width {
        s.push(if total.is_multiple_of(8) {
            '·'
        } else {
            EIGHTHS[total % 8]
        });
        s.push_str(&"·".repeat(width - full - 1));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_have_fixed_width() {
        for p in [0.0, 0.01, 0.5, 0.99, 1.0] {
            assert_eq!(bar(p, 10).chars().count(), 10, "{p}");
        }
        assert_eq!(bar(1.0, 4), "████");
        assert_eq!(bar(0.5, 4), "██··");
    }
}
