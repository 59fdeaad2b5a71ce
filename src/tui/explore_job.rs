//! Exploring from the moment on screen (`X`): `cartsim explore`'s breadth-first search,
//! run beside the UI so that the screen keeps drawing its progress and Esc stops it.
//!
//! `update` only asks for it ([`Effect::Explore`](super::effect::Effect::Explore)); the
//! run loop starts a [`Job`] on a thread and hands the app its progress and its end as
//! messages. The key tests run the same search at once with [`run_now`].

use super::app::Msg;
use crate::engine::World;
use crate::explore::{self, Config, Progress, counterexample};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// The bound on states an exploration from the UI visits: enough for every curriculum
/// world at the default depth in seconds, small enough to keep its memory modest.
pub const UI_MAX_STATES: usize = 100_000;

/// What to explore: the world on screen, and how.
#[derive(Debug, Clone)]
pub struct Request {
    /// The world at the cursor.
    pub world: World,
    /// The search: the default alphabet, depth and catalogue, bounded by
    /// [`UI_MAX_STATES`].
    pub config: Config,
}

impl PartialEq for Request {
    fn eq(&self, other: &Request) -> bool {
        self.world == other.world
            && self.config.depth == other.config.depth
            && self.config.max_states == other.config.max_states
    }
}

impl Eq for Request {}

impl Request {
    /// Explore `world` with the defaults of `cartsim explore`, bounded for the UI.
    pub fn new(world: World) -> Request {
        Request {
            world,
            config: Config {
                max_states: Some(UI_MAX_STATES),
                jobs: std::thread::available_parallelism().map_or(1, |n| n.get()),
                ..Config::default()
            },
        }
    }
}

/// How an exploration ended, as the app shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explored {
    /// The findings, shortest path each.
    pub lessons: Vec<counterexample::Lesson>,
    /// One line of figures: states, depth, and whether it was complete, bounded or
    /// stopped.
    pub summary: String,
}

impl Explored {
    /// A run's end, as the app lists it.
    pub fn of(report: &explore::Report, never: &[explore::property::Never]) -> Explored {
        let p = &report.progress;
        let how = if report.interrupted {
            "stopped"
        } else if report.truncated {
            "bounded"
        } else if report.complete {
            "complete"
        } else {
            "done"
        };
        Explored {
            lessons: counterexample::lessons(report, never),
            summary: format!(
                "{} states to depth {} ({how}, {:.1} s)",
                p.states, p.depth, p.seconds
            ),
        }
    }
}

/// Runs the search and words its end.
fn search(
    request: &Request,
    stop: &AtomicBool,
    shared: &Mutex<Progress>,
) -> Result<Explored, String> {
    let mut show = |p: &Progress| {
        if let Ok(mut s) = shared.lock() {
            *s = p.clone();
        }
    };
    let report = explore::explore(&request.world, &request.config, stop, &mut show)
        .map_err(|e| e.to_string())?;
    Ok(Explored::of(&report, &request.config.never))
}

/// Explores at once, on this thread (the key tests, and any caller that can wait).
pub fn run_now(request: &Request) -> Msg {
    let stop = AtomicBool::new(false);
    let shared = Mutex::new(Progress::default());
    Msg::Explored(search(request, &stop, &shared))
}

/// An exploration running on its own thread.
#[derive(Debug)]
pub struct Job {
    stop: Arc<AtomicBool>,
    progress: Arc<Mutex<Progress>>,
    done: Receiver<Result<Explored, String>>,
    thread: Option<JoinHandle<()>>,
}

impl Job {
    /// Starts exploring.
    pub fn start(request: Request) -> Job {
        let stop = Arc::new(AtomicBool::new(false));
        let progress = Arc::new(Mutex::new(Progress::default()));
        let (tx, done) = channel();
        let (s, p) = (Arc::clone(&stop), Arc::clone(&progress));
        let thread = std::thread::spawn(move || {
            let _ = tx.send(search(&request, &s, &p));
        });
        Job {
            stop,
            progress,
            done,
            thread: Some(thread),
        }
    }

    /// Asks the search to stop; it ends with what it found so far.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }

    /// The figures so far.
    pub fn progress(&self) -> Progress {
        self.progress.lock().map(|p| p.clone()).unwrap_or_default()
    }

    /// The end, once the search has ended (`None` while it runs).
    pub fn poll(&mut self) -> Option<Msg> {
        match self.done.try_recv() {
            Ok(result) => {
                if let Some(t) = self.thread.take() {
                    let _ = t.join();
                }
                Some(Msg::Explored(result))
            }
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => {
                self.thread = None;
                Some(Msg::Explored(Err(
                    "the search ended without an answer".into()
                )))
            }
        }
    }
}

impl Drop for Job {
    fn drop(&mut self) {
        // Quitting mid-search: stop it rather than leave a thread working.
        self.stop();
    }
}
