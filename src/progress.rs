//! How far a long task has got, for a front end that shows it and may stop it: loading
//! a big scenario file, rebuilding a world from a `diagnose` export. The task runs on
//! one thread and reports with [`report`]; the front end watches the shared
//! [`Progress`] from another and asks it to stop with [`Progress::cancel`].
//!
//! The task reports to the progress its thread is [`watched`] by, so the layers that do
//! the work (the scenario loader, `diagnose`) need no extra parameter: outside
//! [`watched`] a report costs a thread-local read and does nothing.

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// What a long task has done so far, shared between the task and whoever watches it.
#[derive(Debug, Default)]
pub struct Progress {
    phase: Mutex<&'static str>,
    done: AtomicUsize,
    total: AtomicUsize,
    cancelled: AtomicBool,
}

/// How far the task has got, as last reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    /// What it is doing (`"checking the steps"`); empty before the first report.
    pub phase: &'static str,
    /// Units done in this phase.
    pub done: usize,
    /// Units in this phase (0 when not known).
    pub total: usize,
}

impl Seen {
    /// The share done, 0.0 to 1.0 (0.0 when the total is not known).
    pub fn ratio(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            (self.done.min(self.total) as f64) / (self.total as f64)
        }
    }
}

/// The task was asked to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cancelled;

impl Progress {
    /// A progress with nothing reported.
    pub fn new() -> Arc<Progress> {
        Arc::new(Progress::default())
    }

    /// The last report.
    pub fn seen(&self) -> Seen {
        Seen {
            phase: *self.phase.lock().unwrap_or_else(|e| e.into_inner()),
            done: self.done.load(Ordering::Relaxed),
            total: self.total.load(Ordering::Relaxed),
        }
    }

    /// Asks the task to stop at its next report.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::SeqCst);
    }

    /// True once [`Progress::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::SeqCst)
    }

    fn set(&self, phase: &'static str, done: usize, total: usize) {
        *self.phase.lock().unwrap_or_else(|e| e.into_inner()) = phase;
        self.done.store(done, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
    }
}

thread_local! {
    static CURRENT: RefCell<Option<Arc<Progress>>> = const { RefCell::new(None) };
}

/// Runs `task` on this thread with its reports going to `progress`.
pub fn watched<R>(progress: Arc<Progress>, task: impl FnOnce() -> R) -> R {
    let before = CURRENT.with(|c| c.replace(Some(progress)));
    let result = task();
    CURRENT.with(|c| *c.borrow_mut() = before);
    result
}

/// Reports that `done` of `total` units of `phase` are done; `Err` when the watcher
/// asked the task to stop (the task then returns at once, changing nothing).
pub fn report(phase: &'static str, done: usize, total: usize) -> Result<(), Cancelled> {
    CURRENT.with(|c| match &*c.borrow() {
        Some(p) if p.is_cancelled() => Err(Cancelled),
        Some(p) => {
            p.set(phase, done, total);
            Ok(())
        }
        None => Ok(()),
    })
}

/// Reports every `every` units only: for loops whose units are cheap.
pub fn report_every(
    every: usize,
    phase: &'static str,
    done: usize,
    total: usize,
) -> Result<(), Cancelled> {
    if done.is_multiple_of(every.max(1)) {
        report(phase, done, total)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_reach_the_watcher_and_a_cancel_reaches_the_task() {
        assert_eq!(report("nothing watches", 1, 2), Ok(()));
        let progress = Progress::new();
        let seen = Arc::clone(&progress);
        let result = watched(progress, || {
            report("checking the steps", 3, 10)?;
            assert_eq!(
                seen.seen(),
                Seen {
                    phase: "checking the steps",
                    done: 3,
                    total: 10
                }
            );
            seen.cancel();
            report("checking the steps", 4, 10)
        });
        assert_eq!(result, Err(Cancelled));
        assert_eq!(seen.seen().done, 3, "a cancelled report changes nothing");
        assert_eq!(report("nothing watches again", 1, 2), Ok(()));
    }
}
