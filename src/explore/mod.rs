//! Explore: every sequence of actions from a world, breadth first, each distinct state
//! visited once, looking for anomalies and for the states a user says must never happen.
//!
//! Memory per visited state is a 64-bit fingerprint (in a hash set) and a parent link
//! (the parent's index and the letter that led here, eight bytes). No world is kept
//! for the frontier: each state is rebuilt when expanded, on one world per thread that
//! undoes back to what its path shares with the last one rebuilt (siblings share all
//! but their last letter), and expanded in place on it. A path is rebuilt by following
//! the links back to the root and replaying the letters, so the shortest
//! counterexample of each finding costs nothing until it is printed.

pub mod alphabet;
pub mod anomaly;
pub mod counterexample;
pub mod fingerprint;
pub mod property;

use crate::engine::World;
use alphabet::{Letter, Move, template_of};
use anomaly::{CATALOGUE, Lookahead, Open, Seen, Witness};
use property::Never;
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// The default depth: sequences of up to 8 actions.
pub const DEFAULT_DEPTH: usize = 8;
/// Frontier states expanded together (their children are held at once).
const BATCH: usize = 512;
/// How many buyer actions ahead the two look-ahead anomalies search.
pub const DEFAULT_LOOKAHEAD: usize = 3;

/// What to explore.
#[derive(Debug, Clone)]
pub struct Config {
    /// The moves to try; `None`: the default alphabet of each cart's store kind, with
    /// wait (and the faults when `faults`).
    pub moves: Option<Vec<Move>>,
    /// Add `fail_operation` and `custom_update` to the default alphabet.
    pub faults: bool,
    /// Try every buyer as the actor, not only the cart's own.
    pub all_actors: bool,
    /// The longest sequence explored (at least 1).
    pub depth: usize,
    /// Stop after this many distinct states.
    pub max_states: Option<usize>,
    /// The user's properties.
    pub never: Vec<Never>,
    /// How many threads expand each level (1: this thread only).
    pub jobs: usize,
    /// How many buyer actions ahead `stuck-in-checkout` and `cancel-never-succeeds` look.
    pub lookahead: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            moves: None,
            faults: false,
            all_actors: false,
            depth: DEFAULT_DEPTH,
            max_states: None,
            never: Vec::new(),
            jobs: 1,
            lookahead: DEFAULT_LOOKAHEAD,
        }
    }
}

/// Why a configuration cannot be explored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    /// `--depth 0`.
    ZeroDepth,
    /// An action name that is no move.
    UnknownAction(String),
    /// An action no cart's store kind takes.
    WrongKind {
        /// The move.
        action: &'static str,
        /// The store kind it needs.
        needs: &'static str,
    },
    /// The world has no cart to act on.
    NoCart,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConfigError::ZeroDepth => {
                write!(f, "a depth of 0 explores nothing; expected 1 or more")
            }
            ConfigError::UnknownAction(a) => write!(
                f,
                "\"{}\" is not an action explore takes; expected one of: {}",
                crate::scenario::sanitize::line(a),
                alphabet::MOVES
                    .iter()
                    .map(|m| m.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            ConfigError::WrongKind { action, needs } => write!(
                f,
                "{action} is an action of {needs} stores and no cart of this world is in one; expected actions its stores take"
            ),
            ConfigError::NoCart => write!(f, "the world has no cart; expected at least one"),
        }
    }
}

/// Parses a comma-separated list of moves (`--actions`).
pub fn parse_moves(list: &str) -> Result<Vec<Move>, ConfigError> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|name| Move::parse(name).ok_or_else(|| ConfigError::UnknownAction(name.to_string())))
        .collect()
}

/// The alphabet of a world: every letter, in a fixed order (per cart, then wait).
pub fn alphabet(world: &World, config: &Config) -> Result<Vec<Letter>, ConfigError> {
    if config.depth == 0 {
        return Err(ConfigError::ZeroDepth);
    }
    if world.carts().is_empty() {
        return Err(ConfigError::NoCart);
    }
    if let Some(moves) = &config.moves {
        for m in moves {
            if let Some(needs) = m.template()
                && !world
                    .carts()
                    .iter()
                    .any(|c| template_of(world, &c.id) == needs)
            {
                return Err(ConfigError::WrongKind {
                    action: m.name(),
                    needs: needs.as_str(),
                });
            }
        }
    }
    let mut letters = Vec::new();
    let mut wait = config.moves.is_none();
    for cart in world.carts() {
        let template = template_of(world, &cart.id);
        let moves: Vec<Move> = match &config.moves {
            Some(m) => m.clone(),
            None => {
                let mut m = Move::defaults(template).to_vec();
                if config.faults {
                    m.extend([Move::FailOperation, Move::CustomUpdate]);
                }
                m
            }
        };
        let actors: Vec<Option<String>> = if config.all_actors {
            std::iter::once(None)
                .chain(
                    world
                        .buyers()
                        .iter()
                        .filter(|b| b.id != cart.buyer)
                        .map(|b| Some(b.id.to_string())),
                )
                .collect()
        } else {
            vec![None]
        };
        for m in moves {
            if m == Move::Wait {
                wait = true;
                continue;
            }
            if m.template().is_some_and(|t| t != template) {
                continue;
            }
            let who: &[Option<String>] = if m.is_buyer() { &actors } else { &[None] };
            for actor in who {
                letters.push(Letter {
                    kind: m,
                    action: alphabet::action(world, m, &cart.id, actor.clone()),
                });
            }
        }
    }
    if wait {
        letters.push(Letter {
            kind: Move::Wait,
            action: alphabet::action(world, Move::Wait, "", None),
        });
    }
    Ok(letters)
}

/// What was found: an anomaly or a property.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum What {
    /// An anomaly of the catalogue (its index).
    Anomaly(usize),
    /// A property of [`Config::never`] (its index).
    Property(usize),
}

/// One finding: what, and the shortest path to it.
#[derive(Debug, Clone)]
pub struct Finding {
    /// What was found.
    pub what: What,
    /// The letters (indices into the alphabet), in order.
    pub path: Vec<usize>,
    /// The field values that show it after the last step.
    pub witness: Witness,
    /// True when the last step is refused.
    pub refused: bool,
}

impl Finding {
    /// The finding's name: the anomaly's, or `never-N` for the Nth property.
    pub fn name(&self) -> String {
        match self.what {
            What::Anomaly(i) => CATALOGUE[i].name.to_string(),
            What::Property(i) => format!("never-{}", i + 1),
        }
    }
}

/// How far a run got, at the end or while it runs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Progress {
    /// Distinct states visited.
    pub states: usize,
    /// The depth fully explored (every state at this depth has been visited).
    pub depth: usize,
    /// States waiting to be expanded.
    pub frontier: usize,
    /// The largest frontier so far.
    pub peak_frontier: usize,
    /// Seconds since the start.
    pub seconds: f64,
    /// Bytes held for the visited states: the fingerprint set and the parent links
    /// (the frontier's worlds not included).
    pub visited_bytes: usize,
}

impl Progress {
    /// Distinct states per second.
    pub fn states_per_second(&self) -> f64 {
        if self.seconds > 0.0 {
            self.states as f64 / self.seconds
        } else {
            0.0
        }
    }

    /// Bytes per visited state (fingerprint set and parent links).
    pub fn bytes_per_state(&self) -> f64 {
        if self.states > 0 {
            self.visited_bytes as f64 / self.states as f64
        } else {
            0.0
        }
    }
}

/// The end of a run.
#[derive(Debug, Clone)]
pub struct Report {
    /// The alphabet explored.
    pub alphabet: Vec<Letter>,
    /// Every finding, each with its shortest path, in the order they were found.
    pub findings: Vec<Finding>,
    /// The figures.
    pub progress: Progress,
    /// Every sequence up to the depth was explored.
    pub complete: bool,
    /// Stopped by `max_states`.
    pub truncated: bool,
    /// Stopped from outside (Ctrl-C).
    pub interrupted: bool,
    /// Whether the fingerprint counted time.
    pub timed: bool,
}

/// The fingerprints of the states visited.
type Visited = HashSet<u64, foldhash::fast::FixedState>;

/// A parent link: the parent's index and the letter that led here.
#[derive(Debug, Clone, Copy)]
struct Link {
    parent: u32,
    letter: u32,
}

/// What one frontier node's expansion produced: a child not visited before and its
/// own findings.
struct Child {
    letter: usize,
    fingerprint: u64,
    findings: Vec<(What, Witness)>,
}

/// The new states one thread's expansions of a batch found (their fingerprints).
type Found = HashSet<u64, foldhash::fast::FixedState>;

/// What the expansions of one thread share: the new states they found, so that a
/// state two parents reach is checked once. The set is the thread's own, emptied for
/// each batch and kept for the next.
struct Sharing<'v> {
    visited: &'v Visited,
    found: &'v mut Found,
}

/// What a search still looks for: the anomalies and the properties (by position in
/// `never`) it has no finding of yet. Only the first finding of each is reported, so
/// the others need not be looked for again.
struct Wanted {
    anomalies: Open,
    properties: Vec<bool>,
}

impl Wanted {
    /// Every anomaly and property.
    fn all(never: &[Never]) -> Wanted {
        Wanted {
            anomalies: Open::ALL,
            properties: vec![true; never.len()],
        }
    }
}

/// Expanding one node: its children, and the step anomalies seen on the way.
struct Expanded {
    children: Vec<Child>,
    steps: Vec<(usize, Seen)>,
}

/// Expands one state on `world` itself: every letter is played on it and undone, so
/// nothing is copied (a copy would copy each record and table node an action then
/// edits). A child that is a new state (not visited, not found by this thread's
/// earlier expansions; a letter that changes nothing, not even the clock, leads back to
/// `world`, which is visited) has its findings checked before the undo. What a step
/// shows on the world before it (a refused cancel's look-ahead) is judged after it.
fn expand(
    world: &mut World,
    letters: &[Letter],
    timed: bool,
    never: &[Never],
    wanted: &Wanted,
    ahead: &mut Lookahead,
    sharing: &mut Sharing,
) -> Expanded {
    let mut children = Vec::with_capacity(letters.len());
    let mut steps = Vec::new();
    let mut seen = Vec::new();
    let tick = world.tick;
    for (i, letter) in letters.iter().enumerate() {
        let cancel = anomaly::CancelCheck::before(world, letter, wanted.anomalies);
        let (outcome, undo) = world.apply_quiet_undoable(&letter.action);
        let refused =
            anomaly::step_after(letter, &outcome, world, wanted.anomalies, cancel, &mut seen);
        if !(undo.is_empty() && world.tick == tick) {
            let fingerprint = fingerprint::fingerprint(world, timed);
            if !sharing.visited.contains(&fingerprint) && sharing.found.insert(fingerprint) {
                let findings = state_findings(world, never, wanted, ahead);
                children.push(Child {
                    letter: i,
                    fingerprint,
                    findings,
                });
            }
        }
        world.undo(&undo);
        if let Some(refused) = refused {
            refused.judge(world, ahead, &mut seen);
        }
        steps.extend(seen.drain(..).map(|s| (i, s)));
    }
    Expanded { children, steps }
}

/// The findings of `wanted` a state shows: anomalies, then properties.
fn state_findings(
    world: &mut World,
    never: &[Never],
    wanted: &Wanted,
    ahead: &mut Lookahead,
) -> Vec<(What, Witness)> {
    let mut out: Vec<(What, Witness)> = anomaly::in_state_open(world, ahead, wanted.anomalies)
        .into_iter()
        .map(|s| (What::Anomaly(s.anomaly), s.witness))
        .collect();
    for (i, p) in never.iter().enumerate() {
        if wanted.properties[i] && p.holds(world) {
            let witness = p
                .all
                .iter()
                .map(|c| (c.record.clone(), c.field.clone(), c.value.clone()))
                .collect();
            out.push((What::Property(i), witness));
        }
    }
    out
}

/// Runs `f` over `items` in contiguous chunks, one per state of `states` (one per
/// thread), on scoped threads, keeping order.
fn par_map<T: Send, S: Send, R: Send>(
    items: &mut [T],
    states: &mut [S],
    f: &(dyn Fn(&mut [T], &mut S) -> Vec<R> + Sync),
) -> Vec<R> {
    let jobs = states.len();
    if jobs <= 1 || items.len() < 2 * jobs {
        return match states.first_mut() {
            Some(state) => f(items, state),
            None => Vec::new(),
        };
    }
    let size = items.len().div_ceil(jobs);
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks_mut(size)
            .zip(states.iter_mut())
            .map(|(chunk, state)| scope.spawn(move || f(chunk, state)))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

/// The letters from the root to state `node`, following its links, into `path`.
fn path_into(links: &[Link], mut node: usize, path: &mut Vec<usize>) {
    path.clear();
    while links[node].parent != u32::MAX {
        path.push(links[node].letter as usize);
        node = links[node].parent as usize;
    }
    path.reverse();
}

/// Moves one world between the states of a breadth-first search, each state known by
/// its links to the root. Consecutive states of a level usually share all but their
/// last letters (siblings are listed together, each level in its parents' order), so
/// the world is undone back to the prefix the next path shares with the last and only
/// the rest is played: no world is copied.
struct Replay {
    /// The letters played on the world since the root, each with what undoes it.
    played: Vec<(usize, crate::engine::Undo)>,
    /// Room for the path of the next state, reused.
    path: Vec<usize>,
}

impl Replay {
    fn new() -> Replay {
        Replay {
            played: Vec::new(),
            path: Vec::new(),
        }
    }

    /// Moves `world` (the root with this replay's letters played on it) to state
    /// `node`; `action` gives each letter's action.
    fn move_to_node<'a>(
        &mut self,
        world: &mut World,
        action: impl Fn(usize) -> &'a crate::engine::Action,
        links: &[Link],
        node: usize,
    ) {
        let mut path = std::mem::take(&mut self.path);
        path_into(links, node, &mut path);
        self.move_to_path(world, action, &path);
        self.path = path;
    }

    /// Moves `world` to the state after `path` from the root.
    fn move_to_path<'a>(
        &mut self,
        world: &mut World,
        action: impl Fn(usize) -> &'a crate::engine::Action,
        path: &[usize],
    ) {
        let shared = self
            .played
            .iter()
            .zip(path)
            .take_while(|((a, _), b)| a == *b)
            .count();
        for (_, undo) in self.played.drain(shared..).rev() {
            world.undo(&undo);
        }
        for &i in &path[shared..] {
            let (_, undo) = world.apply_quiet_undoable(action(i));
            self.played.push((i, undo));
        }
    }

    /// Puts `world` back at the root.
    fn move_to_root(&mut self, world: &mut World) {
        for (_, undo) in self.played.drain(..).rev() {
            world.undo(&undo);
        }
    }
}

/// Rebuilds frontier states on one world of its own ([`Replay`]).
struct Replayer {
    world: World,
    replay: Replay,
}

impl Replayer {
    fn new(root: &World) -> Replayer {
        Replayer {
            world: root.clone(),
            replay: Replay::new(),
        }
    }

    /// The world of state `node`, whose path from the root its links give.
    fn rebuild(&mut self, letters: &[Letter], links: &[Link], node: usize) -> &mut World {
        let action = |i: usize| &letters[i].action;
        self.replay
            .move_to_node(&mut self.world, action, links, node);
        &mut self.world
    }

    /// The world after `path` from the root.
    fn to(&mut self, letters: &[Letter], path: &[usize]) -> &mut World {
        let action = |i: usize| &letters[i].action;
        self.replay.move_to_path(&mut self.world, action, path);
        &mut self.world
    }
}

/// Explores `root` breadth first. `stop` ends the run early (what was found so far is
/// returned); `progress` is called after each batch of states.
pub fn explore(
    root: &World,
    config: &Config,
    stop: &AtomicBool,
    progress: &mut dyn FnMut(&Progress),
) -> Result<Report, ConfigError> {
    let letters = alphabet(root, config)?;
    let timed = fingerprint::time_observable(root);
    let start = Instant::now();
    let root_fp = fingerprint::fingerprint(root, timed);
    let mut visited: Visited = HashSet::with_hasher(foldhash::fast::FixedState::with_seed(1));
    visited.insert(root_fp);
    let mut links: Vec<Link> = vec![Link {
        parent: u32::MAX,
        letter: u32::MAX,
    }];
    let total = CATALOGUE.len() + config.never.len();
    let slot = |what: &What| match what {
        What::Anomaly(i) => *i,
        What::Property(i) => CATALOGUE.len() + i,
    };
    let mut found: Vec<Option<Finding>> = vec![None; total];
    let mut order: Vec<usize> = Vec::new();
    // Keeps the first finding of each anomaly and property (the shortest: breadth first).
    let record = |found: &mut Vec<Option<Finding>>,
                  order: &mut Vec<usize>,
                  what: What,
                  path: Vec<usize>,
                  witness: Witness,
                  refused: bool| {
        let s = slot(&what);
        if found[s].is_none() {
            found[s] = Some(Finding {
                what,
                path,
                witness,
                refused,
            });
            order.push(s);
        }
    };
    let path_to = |links: &[Link], node: usize| {
        let mut path = Vec::new();
        path_into(links, node, &mut path);
        path
    };
    // The frontier: each state's index in `links`.
    let mut frontier: Vec<u32> = vec![0];
    let mut figures = Progress {
        states: 1,
        frontier: 1,
        peak_frontier: 1,
        ..Progress::default()
    };
    let (mut complete, mut truncated, mut interrupted) = (false, false, false);
    let jobs = config.jobs.max(1);
    // One look-ahead and one replayer per thread, kept for the whole search so that the
    // look-ahead's answers serve every level and the replayer's world follows the
    // frontier from one level to the next.
    let mut aheads: Vec<(Lookahead, Replayer, Found)> = (0..jobs)
        .map(|_| {
            (
                Lookahead::new(&letters, config.lookahead, timed),
                Replayer::new(root),
                Found::with_hasher(foldhash::fast::FixedState::with_seed(2)),
            )
        })
        .collect();
    // The root's findings, on the first thread's world (the root: no letter played yet).
    if let Some((ahead, replayer, _)) = aheads.first_mut() {
        let everything = Wanted::all(&config.never);
        let world = replayer.to(&letters, &[]);
        for (what, witness) in state_findings(world, &config.never, &everything, ahead) {
            record(&mut found, &mut order, what, Vec::new(), witness, false);
        }
    }
    let measure = |visited: &Visited, links: &Vec<Link>, figures: &mut Progress| {
        // hashbrown keeps one control byte per bucket beside the 8-byte key.
        figures.visited_bytes =
            visited.capacity() * 9 + links.capacity() * std::mem::size_of::<Link>();
        figures.seconds = start.elapsed().as_secs_f64();
    };
    'levels: for depth in 1..=config.depth {
        let mut next: Vec<u32> = Vec::new();
        // The level goes in batches, so that the children held at once stay few.
        for batch in frontier.chunks_mut(BATCH) {
            // Expand (in parallel), then keep the first child of each new fingerprint in
            // frontier order: the same choice a single thread makes, so the paths found
            // do not depend on the number of threads.
            let links_now = &links;
            let visited_now = &visited;
            let never = &config.never;
            // What this batch still looks for: what the batches before found is reported
            // by their first finding already.
            let wanted = Wanted {
                anomalies: Open::from_fn(|i| found[i].is_none()),
                properties: (0..never.len())
                    .map(|i| found[CATALOGUE.len() + i].is_none())
                    .collect(),
            };
            let wanted = &wanted;
            let expanded: Vec<(u32, Expanded)> =
                par_map(batch, &mut aheads, &|chunk, (ahead, replayer, found)| {
                    found.clear();
                    let mut sharing = Sharing {
                        visited: visited_now,
                        found,
                    };
                    chunk
                        .iter()
                        .take_while(|_| !stop.load(Ordering::Relaxed))
                        .map(|&index| {
                            let w = replayer.rebuild(&letters, links_now, index as usize);
                            let e = expand(w, &letters, timed, never, wanted, ahead, &mut sharing);
                            (index, e)
                        })
                        .collect()
                });
            for (parent, e) in expanded {
                for (letter, seen) in e.steps {
                    let mut path = path_to(&links, parent as usize);
                    path.push(letter);
                    record(
                        &mut found,
                        &mut order,
                        What::Anomaly(seen.anomaly),
                        path,
                        seen.witness,
                        seen.refused,
                    );
                }
                for child in e.children {
                    if !visited.insert(child.fingerprint) {
                        continue;
                    }
                    links.push(Link {
                        parent,
                        letter: child.letter as u32,
                    });
                    let index = links.len() - 1;
                    for (what, witness) in child.findings {
                        record(
                            &mut found,
                            &mut order,
                            what,
                            path_to(&links, index),
                            witness,
                            false,
                        );
                    }
                    next.push(index as u32);
                    figures.states += 1;
                    if config.max_states.is_some_and(|m| figures.states >= m) {
                        truncated = true;
                        break;
                    }
                }
                if truncated {
                    break;
                }
            }
            figures.frontier = next.len();
            figures.peak_frontier = figures.peak_frontier.max(next.len());
            measure(&visited, &links, &mut figures);
            progress(&figures);
            if truncated || stop.load(Ordering::Relaxed) {
                break;
            }
        }
        drop(std::mem::take(&mut frontier));
        if truncated || stop.load(Ordering::Relaxed) {
            interrupted = !truncated;
            break 'levels;
        }
        figures.depth = depth;
        measure(&visited, &links, &mut figures);
        progress(&figures);
        if next.is_empty() {
            complete = true;
            break;
        }
        frontier = next;
        if depth == config.depth {
            complete = true;
        }
    }
    measure(&visited, &links, &mut figures);
    let findings = order
        .into_iter()
        .filter_map(|s| found[s].take())
        .collect::<Vec<_>>();
    let mut findings = findings;
    // Shortest first; among equals, the catalogue's order, then the properties'.
    findings.sort_by_key(|f| (f.path.len(), slot(&f.what)));
    Ok(Report {
        alphabet: letters,
        findings,
        progress: figures,
        complete,
        truncated,
        interrupted,
        timed,
    })
}

/// Replays a path from `root`: the world after each letter, with the outcomes.
pub fn replay(root: &World, letters: &[Letter], path: &[usize]) -> World {
    let mut world = root.clone();
    for &i in path {
        world.apply_quiet(&letters[i].action);
    }
    world
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load_bytes;

    /// The replayer's world after each path is the world replayed from the root, in
    /// every order a frontier can list paths: siblings, cousins, shorter after longer,
    /// the same path twice and the empty path.
    #[test]
    fn the_replayer_reaches_each_path_as_a_replay_from_the_root_does() {
        let mut compared = 0;
        for b in crate::scenario::builtin::BUILTIN {
            let root = load_bytes(b.name, b.text.as_bytes()).unwrap().world;
            let letters = alphabet(&root, &Config::default()).unwrap();
            let n = letters.len();
            let timed = fingerprint::time_observable(&root);
            let mut replayer = Replayer::new(&root);
            // A walk over paths of up to four letters that keeps changing how much of
            // the last path it shares.
            let mut seed = 7usize;
            let mut path: Vec<usize> = Vec::new();
            for _ in 0..60 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let keep = (seed >> 33) % (path.len() + 1);
                path.truncate(keep);
                let grow = (seed >> 40) % 4;
                for g in 0..grow {
                    path.push((seed >> (44 + 4 * g)) % n);
                }
                path.truncate(4);
                let by_replay = replay(&root, &letters, &path);
                let by_replayer = replayer.to(&letters, &path);
                assert_eq!(*by_replayer, by_replay, "{} after {path:?}", b.name);
                assert_eq!(
                    fingerprint::fingerprint(by_replayer, timed),
                    fingerprint::fingerprint(&by_replay, timed)
                );
                by_replayer.lookups_agree().unwrap();
                compared += 1;
            }
        }
        assert!(compared > 1_000, "{compared}");
    }
}
