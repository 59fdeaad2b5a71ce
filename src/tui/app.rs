//! The UI's state and its one entry point for change, [`App::update`]. No terminal and
//! no files here: key handling is tested on this state alone, the view reads it, and
//! `update` returns the [`Effect`]s (writing a file) that the run loop performs.
//!
//! Each popup keeps its own state, keys and drawing in [`super::popup`]; this module
//! routes keys to the open popup and acts on its [`Reply`]. Keys that would discard an
//! unsaved branch go through [`App::guarded`], which asks first.

use super::anim::{self, Transition};
use super::effect::{Effect, WriteFailure};
use super::keys::{self, Command, Context};
use super::popup::{
    Popup, Reply, add_to_cart::AddToCart, confirm::Confirm, help::Help, quiz, refusal::Refusal,
    rest_form::RestForm, save::Save, text::Text, world_menu::WorldMenu,
};
use super::theme::Theme;
use crate::engine::{Action, ActionError, World};
use crate::player::playback::{Playback, QuizState, Reloaded, StepResult};
use crate::scenario::{LoadError, Scenario, sanitize};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::text::Line;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Which screen is up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// The scenario picker.
    Picker,
    /// The player.
    Player,
}

/// The focused pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// WebCarts.
    Carts,
    /// CartCheckoutSessions.
    Sessions,
    /// BackgroundOperations.
    Operations,
    /// The event log.
    Log,
}

impl Focus {
    fn next(self) -> Focus {
        match self {
            Focus::Carts => Focus::Sessions,
            Focus::Sessions => Focus::Operations,
            Focus::Operations => Focus::Log,
            Focus::Log => Focus::Carts,
        }
    }
    fn prev(self) -> Focus {
        match self {
            Focus::Carts => Focus::Log,
            Focus::Sessions => Focus::Carts,
            Focus::Operations => Focus::Sessions,
            Focus::Log => Focus::Operations,
        }
    }
}

/// What the UI reacts to.
#[derive(Debug, Clone)]
pub enum Msg {
    /// A key was pressed (releases are filtered out before).
    Key(KeyEvent),
    /// A frame or timer tick: playback and animations move on.
    Frame,
    /// Watch mode: the file was loaded again (or failed to load).
    Reloaded(Box<Result<Scenario, LoadError>>),
    /// The result of [`Effect::Write`].
    Written {
        /// The file.
        path: PathBuf,
        /// Written, or why not.
        result: Result<(), WriteFailure>,
    },
    /// The result of [`Effect::FreeName`]: a name free in the save folder.
    FreeName(String),
    /// The terminal is smaller than the UI needs (or large enough again): playback
    /// pauses while the screen cannot show it.
    TooSmall(bool),
    /// Something to tell on the status line that the run loop found (a problem in the
    /// settings file, a settings change that could not be kept).
    Notice(String),
    /// A slice of the long work under way ([`App::work`]): at most this many steps.
    Work(usize),
    /// A served world moved (`cartsim serve --ui`).
    Live(Live),
}

/// What a world served over HTTP did, so that the UI replays it and shows the same
/// world (the engine is deterministic). The UI is a view of the server: what the user
/// does in it stays in the UI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Live {
    /// A request (or the clock, or the control API) applied this action.
    Acted(Action),
    /// The control API reset the world to its start.
    Reset,
}

/// Something the user asked for that waits for the answer to the branch-safety prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    /// A key's command (step back, Home, chapters, back to script, picker, quit).
    Command(Command),
    /// An action that would replace the branch's recorded future.
    Act(Action),
    /// A jump to the state after this many script steps (the timeline).
    Jump(usize),
}

impl Pending {
    /// What it is, for the prompt: "Going to the start (Home)" (the command's
    /// behaviour row words it).
    pub fn what(&self) -> String {
        match self {
            Pending::Command(c) => match keys::behaviour(*c).prompt {
                "" => format!("{c:?}"),
                prompt => prompt.to_string(),
            },
            Pending::Act(_) => "Acting here, in the middle of your branch,".into(),
            Pending::Jump(n) => format!("Jumping to step {n}"),
        }
    }
}

/// The smallest terminal the UI draws in.
pub const MIN_WIDTH: u16 = 80;
/// The smallest terminal height.
pub const MIN_HEIGHT: u16 = 24;

/// The whole UI state.
#[derive(Debug, Clone)]
pub struct App {
    /// Styles.
    pub theme: Theme,
    /// The scenarios of the picker.
    pub scenarios: Vec<Scenario>,
    /// The highlighted scenario in the picker.
    pub picker: usize,
    /// The screen.
    pub screen: Screen,
    /// The open scenario's playback.
    pub playback: Option<Playback>,
    /// The focused pane.
    pub focus: Focus,
    /// Selected cart (index into the world's carts).
    pub cart_sel: usize,
    /// Selected session (index in the pane: newest first).
    pub session_sel: usize,
    /// Selected operation (index in the pane: newest first).
    pub op_sel: usize,
    /// Event log lines scrolled up from the bottom (0 follows the newest).
    pub log_scroll: usize,
    /// The open popup.
    pub popup: Option<Popup>,
    /// The animation of the last played step.
    pub transition: Option<Transition>,
    /// The clock: time since the UI started (set by the run loop, or by tests).
    pub now: Duration,
    /// Set when the user quits.
    pub quit: bool,
    /// A one-line status message shown above the key bar.
    pub status: Option<String>,
    /// Where `w` saves files when the scenario has no folder of its own (a built-in):
    /// the folder cartsim started in.
    pub save_dir: PathBuf,
    /// Watch mode: the file watched.
    pub watching: Option<String>,
    /// Watch mode: the last load error (sanitized), shown in a banner.
    pub watch_error: Option<String>,
    /// The recorded branch as last saved (start, length, last entry), so an unchanged
    /// branch is not asked about again.
    pub saved_branch: Option<(usize, usize, String)>,
    /// The terminal is too small: playback waits.
    pub too_small: bool,
    /// The focused pane fills the screen (`z`).
    pub zoom: bool,
    /// Finished operations take one line each (`o`).
    pub collapse_finished: bool,
    /// The projector layout (`P`).
    pub projector: bool,
    /// The settings that stay across scenarios (presenter mode, speed, palette).
    pub settings: super::settings::Settings,
    /// Where the settings are kept; `None` keeps them for this run only (tests).
    pub settings_path: Option<PathBuf>,
    /// The picker's filter (case-insensitive, on title, file, tags and badges).
    pub filter: super::field::Field,
    /// The filter is being typed.
    pub filtering: bool,
    /// Files of the folder that did not load: listed in the picker, marked, with their
    /// errors readable there.
    pub broken: Vec<Broken>,
    /// The log search (`/`) or the log lines of a record (`L`), and where it stands.
    pub search: Option<Search>,
    /// A log search is being typed.
    pub searching: bool,
    /// The log line marked by the last jump (entry index, line index in the entry).
    pub log_mark: Option<(usize, usize)>,
    /// The log's inner size at the last drawing (width, height): a jump scrolls the log
    /// by wrapped lines, which only the drawing knows.
    pub log_view: std::cell::Cell<(u16, u16)>,
    /// The buyer the next actions run as; `None`: the selected cart's owner.
    pub acting: Option<String>,
    /// Lines to print on the terminal once the UI has given it back (where "save, then
    /// quit" saved the branch, and how to replay it).
    pub farewell: Vec<String>,
    /// Long work under way (End on a long scenario, a jump far ahead), done a slice at a
    /// time by the run loop ([`super::work`]).
    pub work: Option<super::work::Work>,
    /// What `update` asks the run loop to do.
    effects: Vec<Effect>,
}

/// A search of the event log: what was looked for and the lines that match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Search {
    /// The text typed (or, for `L`, the record's id).
    pub query: super::field::Field,
    /// What it is, for the status line: "\"Canceled\"", "the log lines that changed ccs-1".
    pub what: String,
    /// The matching log lines: (entry index, line index in the entry), oldest first.
    pub hits: Vec<(usize, usize)>,
    /// The hit shown now.
    pub at: usize,
}

/// A file that did not load, as the picker lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    /// The file, sanitized.
    pub file: String,
    /// The load error, sanitized.
    pub error: String,
    /// How many loaded scenarios come before it (its place in the folder's order).
    pub after: usize,
}

impl App {
    /// The UI on these scenarios: the picker when there are several, the player when one.
    pub fn new(scenarios: Vec<Scenario>, theme: Theme) -> App {
        let mut app = App {
            theme,
            scenarios,
            picker: 0,
            screen: Screen::Picker,
            playback: None,
            focus: Focus::Carts,
            cart_sel: 0,
            session_sel: 0,
            op_sel: 0,
            log_scroll: 0,
            popup: None,
            transition: None,
            now: Duration::ZERO,
            quit: false,
            status: None,
            save_dir: PathBuf::from("."),
            watching: None,
            watch_error: None,
            saved_branch: None,
            too_small: false,
            zoom: false,
            collapse_finished: false,
            projector: false,
            settings: super::settings::Settings::default(),
            settings_path: None,
            filter: super::field::Field::default(),
            filtering: false,
            broken: Vec::new(),
            search: None,
            searching: false,
            log_mark: None,
            log_view: std::cell::Cell::new((0, 0)),
            acting: None,
            farewell: Vec::new(),
            work: None,
            effects: Vec::new(),
        };
        if app.scenarios.len() == 1 {
            app.open(0);
        }
        app
    }

    /// The UI on a folder: the scenarios that loaded and the files that did not, in
    /// the folder's order. The picker opens (even on one scenario) when a file is broken,
    /// so that its error is seen.
    pub fn with_broken(loaded: Vec<Result<Scenario, LoadError>>, theme: Theme) -> App {
        let mut scenarios = Vec::new();
        let mut broken = Vec::new();
        for result in loaded {
            match result {
                Ok(s) => scenarios.push(s),
                Err(e) => broken.push(Broken {
                    file: sanitize::line(&e.file),
                    error: sanitize::paragraph(&e.to_string()),
                    after: scenarios.len(),
                }),
            }
        }
        let mut app = App::new(scenarios, theme);
        if !broken.is_empty() {
            app.screen = Screen::Picker;
            app.playback = None;
            app.broken = broken;
            app.picker = app.listed().first().copied().unwrap_or(0);
        }
        app
    }

    /// Watch mode on a file; `first` is the first load's result.
    pub fn watch(file: String, first: Result<Scenario, LoadError>, theme: Theme) -> App {
        let mut app = App::new(Vec::new(), theme);
        app.screen = Screen::Player;
        app.watching = Some(sanitize::line(&file));
        let _ = app.update(Msg::Reloaded(Box::new(first)));
        app
    }

    /// Opens scenario `index` in the player, at its start.
    pub fn open(&mut self, index: usize) {
        let Some(s) = self.scenarios.get(index) else {
            return;
        };
        let mut playback = Playback::new(s.clone());
        playback.presenter = self.settings.presenter;
        playback.set_speed(self.settings.speed);
        self.playback = Some(playback);
        self.screen = Screen::Player;
        self.focus = Focus::Carts;
        self.cart_sel = 0;
        self.session_sel = 0;
        self.op_sel = 0;
        self.log_scroll = 0;
        self.transition = None;
        self.popup = None;
        self.status = None;
        self.saved_branch = None;
        self.acting = None;
        self.search = None;
        self.searching = false;
        self.log_mark = None;
        self.work = None;
    }

    /// The buyer an action on `cart` runs as: the one `A` chose, else the cart's owner.
    pub fn actor_of(&self, cart: &str) -> Option<String> {
        self.acting
            .clone()
            .or_else(|| self.world()?.cart(cart).map(|c| c.buyer.clone()))
    }

    /// True when the selected cart is in an LWR store (its checkout is REST calls).
    pub fn lwr_cart(&self) -> bool {
        let Some(cart) = self.selected_cart() else {
            return false;
        };
        self.world().is_some_and(|w| {
            w.store_of_cart(&cart)
                .is_some_and(|s| s.settings.template == crate::engine::Template::Lwr)
        })
    }

    /// `A`: the next buyer of the world acts (after the last, the cart's owner again).
    fn next_actor(&mut self) {
        let Some(world) = self.world() else { return };
        let ids: Vec<String> = world.buyers.iter().map(|b| b.id.clone()).collect();
        let owner = self
            .selected_cart()
            .and_then(|c| world.cart(&c).map(|c| c.buyer.clone()));
        let now = self.acting.clone().or(owner.clone());
        let at = now.and_then(|n| ids.iter().position(|i| *i == n));
        if ids.len() < 2 {
            self.status = Some(format!(
                "{} is the only buyer of this world: nobody else can act",
                owner.unwrap_or_default()
            ));
            return;
        }
        let next = ids.get(at.map_or(0, |i| i + 1)).cloned();
        self.acting = next.filter(|n| Some(n) != owner.as_ref());
        self.status = Some(match &self.acting {
            Some(b) => format!("acting as {b} (not the cart's owner); A again for the next buyer"),
            None => "acting as the cart's owner again".to_string(),
        });
    }

    /// Enter in the search field: the log lines holding the text (case-insensitive),
    /// and a jump to the newest.
    fn run_search(&mut self) {
        let Some(query) = self
            .search
            .as_ref()
            .map(|s| s.query.value().trim().to_string())
        else {
            return;
        };
        if query.is_empty() {
            self.search = None;
            return;
        }
        let needle = query.to_lowercase();
        let hits = self.log_hits(|line| line.to_lowercase().contains(&needle));
        self.show_hits(format!("\"{query}\""), hits);
    }

    /// `L`: the log lines of the changes to the selected record of the focused pane.
    fn record_log(&mut self) {
        let Some(id) = self.selected_record() else {
            self.status = Some("select a record first (Tab focuses a pane)".into());
            return;
        };
        let prefix = format!("{id}.");
        let created = format!("{id}: ");
        let hits = self.log_hits(|line| {
            let line = line.trim_start();
            // A change line is "[@tick ]record.Field: old -> new" or "record: new ...".
            let line = match line.strip_prefix('@') {
                Some(rest) => rest.split_once(' ').map_or(rest, |(_, r)| r),
                None => line,
            };
            line.starts_with(&prefix) || line.starts_with(&created)
        });
        self.show_hits(format!("changes of {id}"), hits);
    }

    /// The id of the selected record of the focused pane (the selected cart when the
    /// log is focused).
    pub fn selected_record(&self) -> Option<String> {
        let world = self.world()?;
        match self.focus {
            Focus::Sessions => world
                .sessions
                .iter()
                .rev()
                .nth(self.session_sel)
                .map(|s| s.id.clone()),
            Focus::Operations => world
                .operations
                .iter()
                .rev()
                .nth(self.op_sel)
                .map(|o| o.id.clone()),
            Focus::Carts | Focus::Log => self.selected_cart(),
        }
    }

    /// Every log line (entry, line) whose text `wanted` takes, oldest first.
    fn log_hits(&self, wanted: impl Fn(&str) -> bool) -> Vec<(usize, usize)> {
        let played = self.playback.as_ref().map_or(0, |p| p.played().len());
        let mut hits = Vec::new();
        for index in 0..played {
            for (k, line) in super::log::entry_lines(self, index).iter().enumerate() {
                if wanted(&line.to_string()) {
                    hits.push((index, k));
                }
            }
        }
        hits
    }

    fn show_hits(&mut self, what: String, hits: Vec<(usize, usize)>) {
        let query = self
            .search
            .as_ref()
            .map(|s| s.query.clone())
            .unwrap_or_default();
        if hits.is_empty() {
            self.status = Some(format!("no log line: {what}"));
            self.search = None;
            self.log_mark = None;
            return;
        }
        let at = hits.len() - 1;
        self.search = Some(Search {
            query,
            what,
            hits,
            at,
        });
        self.jump_to_hit();
    }

    /// `>` and `<`: the next or previous hit, round the ends.
    fn go_to_match(&mut self, next: bool) {
        let Some(search) = self.search.as_mut() else {
            return;
        };
        let n = search.hits.len();
        if n == 0 {
            return;
        }
        search.at = if next {
            (search.at + 1) % n
        } else {
            (search.at + n - 1) % n
        };
        self.jump_to_hit();
    }

    /// Scrolls the log to the current hit (in the middle of the log when it can) and
    /// marks it.
    fn jump_to_hit(&mut self) {
        let Some(search) = &self.search else { return };
        let Some(&(entry, line)) = search.hits.get(search.at) else {
            return;
        };
        let (width, height) = self.log_view.get();
        self.log_scroll = super::log::scroll_to(
            self,
            (entry, line),
            (width.max(20) as usize, height.max(3) as usize),
        );
        self.log_mark = Some((entry, line));
        let step = match self.playback.as_ref().and_then(|p| p.played().get(entry)) {
            Some(e) => match e.origin {
                crate::player::Origin::Script(i) => format!("step {}", i + 1),
                crate::player::Origin::Branch => "your branch".to_string(),
            },
            None => String::new(),
        };
        self.status = Some(format!(
            "{}/{} {} ({step}) · > next · < previous",
            search.at + 1,
            search.hits.len(),
            search.what
        ));
    }

    /// The world now, when a scenario is open.
    pub fn world(&self) -> Option<&World> {
        self.playback.as_ref().map(|p| p.world())
    }

    /// The selected cart's id.
    pub fn selected_cart(&self) -> Option<String> {
        let world = self.world()?;
        let i = self.cart_sel.min(world.carts.len().checked_sub(1)?);
        Some(world.carts[i].id.clone())
    }

    /// The session that launched an operation (its BackgroundOperationId named it, now
    /// or earlier).
    pub fn op_owner(&self, operation: &str) -> Option<&str> {
        self.playback.as_ref()?.owner_of(operation)
    }

    /// Applies settings read from the file: the palette now, presenter mode and speed to
    /// the open scenario and every scenario opened later.
    pub fn apply_settings(&mut self, settings: super::settings::Settings) {
        self.theme = self.theme.with(settings.theme);
        self.projector = settings.projector;
        if let Some(p) = self.playback.as_mut() {
            p.presenter = settings.presenter;
            p.set_speed(settings.speed);
        }
        self.settings = settings;
    }

    /// Takes the settings from the open playback and the theme, and asks the run loop to
    /// keep them.
    fn keep_settings(&mut self) {
        if let Some(p) = &self.playback {
            self.settings.presenter = p.presenter;
            self.settings.speed = p.speed();
        }
        self.settings.theme = self.theme.palette;
        self.settings.projector = self.projector;
        if let Some(path) = &self.settings_path {
            self.effects.push(Effect::SaveSettings {
                path: path.clone(),
                text: self.settings.to_text(),
            });
        }
    }

    /// The folder `w` saves in by default: the open scenario's own folder, or
    /// [`App::save_dir`] for a built-in scenario or standard input.
    pub fn default_save_dir(&self) -> PathBuf {
        let file = self.playback.as_ref().map(|p| p.scenario().file.clone());
        match file.as_deref().map(Path::new).and_then(Path::parent) {
            Some(parent) if !parent.as_os_str().is_empty() => {
                if parent.is_absolute() {
                    parent.to_path_buf()
                } else {
                    self.save_dir.join(parent)
                }
            }
            _ => self.save_dir.clone(),
        }
    }

    /// The recorded branch when it is not saved as it is: (start, actions).
    pub fn unsaved_branch(&self) -> Option<(usize, usize)> {
        let (start, len, last) = self.branch_key()?;
        (self.saved_branch.as_ref() != Some(&(start, len, last))).then_some((start, len))
    }

    /// What identifies the unsaved branch as it is now, while there is one: the run loop
    /// keeps it in a recovery file ([`crate::player::recovery`]).
    pub fn unsaved_branch_key(&self) -> Option<(usize, usize, String)> {
        self.unsaved_branch()?;
        self.branch_key()
    }

    /// What identifies the recorded branch: its start, its length and its last entry (a
    /// wait coalesced into the last one changes the branch without lengthening it).
    fn branch_key(&self) -> Option<(usize, usize, String)> {
        let p = self.playback.as_ref()?;
        let (start, len) = p.branch_recorded()?;
        let last = p.timeline().entries().last()?.description.to_string();
        Some((start, len, last))
    }

    /// The context that decides what keys do now.
    pub fn context(&self) -> Context {
        match &self.popup {
            Some(popup) => popup.context(),
            None => match self.screen {
                Screen::Picker if self.filtering => Context::Filter,
                Screen::Picker => Context::Picker,
                Screen::Player if self.searching => Context::Search,
                Screen::Player => {
                    if self.playback.as_ref().and_then(|p| p.quiz()).is_some() {
                        Context::Quiz
                    } else {
                        Context::Player
                    }
                }
            },
        }
    }

    /// Whether a command does something now (the key bar shows only those).
    pub fn available(&self, command: Command) -> bool {
        use keys::Needs;
        let p = self.playback.as_ref();
        match keys::behaviour(command).needs {
            Needs::Nothing => true,
            Needs::Scenario => p.is_some(),
            Needs::Cart => self.selected_cart().is_some(),
            Needs::LwrCart => self.lwr_cart(),
            Needs::OffScript => p.is_some_and(|p| p.off_script()),
            Needs::Played => p.is_some_and(|p| !p.played().is_empty()),
            Needs::Scenarios => self.scenarios.len() + self.broken.len() > 1,
            Needs::Hits => self.search.as_ref().is_some_and(|s| !s.hits.is_empty()),
            Needs::LogFocus => p.is_some() && self.focus == Focus::Log,
        }
    }

    /// True while something moves on screen or playback waits for its next step: the
    /// run loop then wakes on a timer; otherwise it sleeps until a key arrives.
    pub fn wake_in(&self) -> Option<Duration> {
        let animating = self.transition.as_ref().is_some_and(|t| t.active(self.now))
            || self.world().is_some_and(|w| {
                w.operations
                    .iter()
                    .any(|o| o.status == crate::engine::OperationStatus::Running)
            }) && self.playback.as_ref().is_some_and(|p| p.playing);
        let due = self
            .playback
            .as_ref()
            .and_then(|p| p.next_due())
            .map(|d| d.saturating_sub(self.now));
        match (animating, due) {
            (true, Some(d)) => Some(d.min(anim::FRAME)),
            (true, None) => Some(anim::FRAME),
            (false, d) => d,
        }
    }

    /// The one place state changes. Returns what the run loop must do (write a file);
    /// see [`super::effect::drive`].
    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            // While long work runs, a key only stops it (Esc, Ctrl-C): the others are
            // dropped, not queued behind it.
            Msg::Key(key) if self.work.is_some() => self.busy_key(key),
            Msg::Key(key) => self.key(key),
            Msg::Work(steps) => self.work_slice(steps),
            Msg::Frame => {
                if !self.too_small
                    && let Some(p) = self.playback.as_mut()
                {
                    let before = p.world().clone();
                    if let Some(result) = p.tick(self.now) {
                        self.after_step(before, result);
                    }
                }
            }
            Msg::Reloaded(result) => self.reloaded(*result),
            Msg::Written { path, result } => self.written(path, result),
            Msg::FreeName(name) => {
                if let Some(Popup::Save(save)) = &mut self.popup {
                    save.name.set(&name);
                }
            }
            Msg::TooSmall(small) => {
                if small
                    && !self.too_small
                    && let Some(p) = self.playback.as_mut()
                    && p.playing
                {
                    p.pause();
                    self.status = Some("paused: the terminal is too small to show it".into());
                }
                self.too_small = small;
            }
            Msg::Live(live) => self.live(live),
            Msg::Notice(text) => self.status = Some(sanitize::line(&text)),
        }
        std::mem::take(&mut self.effects)
    }

    fn reloaded(&mut self, result: Result<Scenario, LoadError>) {
        // Work on the old file's playback does not go on in the new one.
        self.work = None;
        match result {
            Ok(s) => {
                self.watch_error = None;
                let pos = self.playback.as_ref().map(|p| p.script_position());
                let branch = match self.playback.as_mut() {
                    Some(p) => p.reload(s.clone()),
                    None => {
                        self.playback = Some(Playback::new(s.clone()));
                        Reloaded::NoBranch
                    }
                };
                self.scenarios = vec![s];
                self.transition = None;
                self.popup = None;
                self.screen = Screen::Player;
                if branch != Reloaded::BranchKept {
                    self.saved_branch = None;
                }
                self.status = Some(match (pos, branch) {
                    (None, _) => "loaded the file".to_string(),
                    (Some(n), Reloaded::NoBranch) => {
                        format!("reloaded the file; back at step {n}")
                    }
                    (Some(n), Reloaded::BranchKept) => format!(
                        "reloaded the file; your branch still applies and is kept (left at step {n})"
                    ),
                    (Some(n), Reloaded::BranchDropped) => format!(
                        "reloaded the file; your branch no longer plays the same and was dropped: back at step {n}"
                    ),
                });
            }
            Err(e) => {
                // LoadError is sanitized by the loader; sanitize again all the same,
                // since this text reaches the terminal.
                self.watch_error = Some(sanitize::line(&e.to_string()));
                // The status line agrees with the banner rather than keeping an older
                // "reloaded" message.
                self.status = Some(if self.playback.is_some() {
                    "the file no longer loads (the banner says why); still showing the last good version".into()
                } else {
                    "the file does not load yet (the banner says why); save it again to retry"
                        .into()
                });
            }
        }
    }

    fn key(&mut self, key: KeyEvent) {
        let ctrl_c =
            key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl_c {
            // The way out that never asks.
            self.quit = true;
            return;
        }
        self.status = None;
        let context = self.context();
        let binding = keys::lookup(context, key);
        if let Some(mut popup) = self.popup.take() {
            let command = binding.map(|b| b.command);
            // q closes any popup (one that takes text types it instead): the program
            // quits only from the main view. Help works from any popup.
            if command == Some(Command::Quit) {
                self.reply(Reply::Close);
                return;
            }
            if command == Some(Command::Help) {
                self.popup = Some(popup);
                self.command(Command::Help);
                return;
            }
            let reply = popup.key(self, command, key);
            self.popup = Some(popup);
            self.reply(reply);
            return;
        }
        if context == Context::Quiz
            && let Some(p) = self.playback.as_mut()
            && quiz::digit(p, key)
        {
            return;
        }
        if context == Context::Search {
            match binding.map(|b| b.command) {
                Some(Command::Confirm) => {
                    self.searching = false;
                    self.run_search();
                }
                Some(Command::Close) => {
                    self.searching = false;
                    self.search = None;
                }
                _ => {
                    if let Some(search) = self.search.as_mut() {
                        let _ = search.query.key(key, 200, |_| true);
                    }
                }
            }
            return;
        }
        if context == Context::Filter {
            match (key.code, binding.map(|b| b.command)) {
                (_, Some(Command::Confirm)) => self.filtering = false,
                (_, Some(Command::Close)) => {
                    self.filter.set("");
                    self.filtering = false;
                }
                _ => {
                    let _ = self.filter.key(key, 200, |_| true);
                }
            }
            self.keep_pick_visible();
            return;
        }
        let Some(binding) = binding else {
            return;
        };
        if !self.available(binding.command) {
            return;
        }
        if context == Context::Quiz {
            match binding.command {
                Command::Confirm => {
                    if let Some(p) = self.playback.as_mut()
                        && quiz::confirm(p) == quiz::QuizReply::PlayStep
                    {
                        self.step_forward();
                    }
                    return;
                }
                Command::SkipQuiz => {
                    if let Some(p) = self.playback.as_mut() {
                        p.skip_quiz();
                    }
                    self.step_forward();
                    return;
                }
                Command::Close | Command::Quit => {
                    // Esc (or q) on a question: stay paused before the step, unanswered (it is
                    // asked again); Esc on a revealed answer: close it, the step waits.
                    if let Some(p) = self.playback.as_mut() {
                        p.close_quiz();
                        p.dismiss_quiz();
                    }
                    return;
                }
                _ => {}
            }
        }
        if context == Context::Picker {
            self.picker_key(binding.command);
            return;
        }
        self.command(binding.command);
    }

    /// What the picker lists: those matching the filter, in the folder's order. An index
    /// below `scenarios.len()` is a scenario; one above is a broken file
    /// (`broken[i - scenarios.len()]`). The filter matches the title, the file, the tags
    /// and the badges (`quiz`, `lwr`, `aura`, `v2`).
    pub fn listed(&self) -> Vec<usize> {
        self.listed_with(&self.broken)
    }

    fn listed_with(&self, broken: &[Broken]) -> Vec<usize> {
        let needle = self
            .filter
            .value()
            .trim()
            .trim_start_matches('/')
            .to_lowercase();
        let n = self.scenarios.len();
        let matches = |text: &str| text.to_lowercase().contains(&needle);
        let mut out = Vec::new();
        let mut broken_at = 0;
        for i in 0..=n {
            while let Some(b) = broken.get(broken_at).filter(|b| b.after <= i) {
                if needle.is_empty() || matches(&b.file) || matches("broken") {
                    out.push(n + broken_at);
                }
                broken_at += 1;
            }
            let Some(s) = self.scenarios.get(i) else {
                break;
            };
            if needle.is_empty()
                || matches(&s.title)
                || matches(&s.file)
                || s.tags.iter().any(|t| matches(t))
                || super::picker::badges(s).iter().any(|b| matches(b))
            {
                out.push(i);
            }
        }
        out
    }

    /// The picker's highlight stays on a listed scenario when the filter changes.
    fn keep_pick_visible(&mut self) {
        let listed = self.listed();
        if !listed.contains(&self.picker)
            && let Some(&first) = listed.first()
        {
            self.picker = first;
        }
    }

    /// A key of the picker: move (line, page, ends), filter, open.
    fn picker_key(&mut self, command: Command) {
        let listed = self.listed();
        let at = listed.iter().position(|i| *i == self.picker).unwrap_or(0);
        let last = listed.len().saturating_sub(1);
        let page = 10;
        let to = match command {
            Command::Up => at.saturating_sub(1),
            Command::Down => (at + 1).min(last),
            Command::PageUp => at.saturating_sub(page),
            Command::PageDown => (at + page).min(last),
            Command::Home => 0,
            Command::End => last,
            Command::Filter => {
                self.filtering = true;
                return;
            }
            Command::Confirm => {
                match listed.get(at) {
                    Some(&i) if i >= self.scenarios.len() => {
                        if let Some(b) = self.broken.get(i - self.scenarios.len()) {
                            let (file, error) = (b.file.clone(), b.error.clone());
                            self.message(
                                &format!("{file} does not load"),
                                &error.lines().map(str::to_string).collect::<Vec<_>>(),
                            );
                        }
                    }
                    Some(&i) => self.open(i),
                    None => {}
                }
                return;
            }
            Command::Close => {
                self.filter.set("");
                return;
            }
            other => {
                self.command(other);
                return;
            }
        };
        if let Some(&i) = listed.get(to) {
            self.picker = i;
        }
    }

    /// Acts on what a popup asked.
    fn reply(&mut self, reply: Reply) {
        match reply {
            Reply::Keep => {}
            Reply::Close => self.popup = None,
            Reply::Act(action) => {
                self.popup = None;
                self.guarded(Pending::Act(action));
            }
            Reply::Jump(n) => {
                self.popup = None;
                self.guarded(Pending::Jump(n));
            }
            Reply::Flip => {
                self.popup = None;
                self.flip_reading();
            }
            Reply::Undo => {
                self.popup = None;
                if let Some(p) = self.playback.as_mut() {
                    p.pause();
                    p.step_back();
                    p.drop_unplayed_branch();
                }
                self.transition = None;
                self.log_scroll = 0;
                self.status = Some("undone: back to before the refused action".into());
            }
            Reply::Proceed { save_first } => {
                let Some(Popup::Confirm(confirm)) = self.popup.take() else {
                    return;
                };
                if save_first {
                    self.open_save(Some(confirm.pending));
                } else {
                    self.run_pending(confirm.pending);
                }
            }
            Reply::Save { path, overwrite } => {
                let Some(p) = &self.playback else { return };
                let title = format!("{} (what if)", p.scenario().title);
                let text =
                    serde_json::to_string_pretty(&p.export(&title)).unwrap_or_default() + "\n";
                self.effects.push(Effect::Write {
                    path,
                    text,
                    overwrite,
                });
            }
        }
    }

    /// Does what the user asked, unless it would discard an unsaved branch: then asks
    /// first (save, discard, cancel).
    pub fn guarded(&mut self, pending: Pending) {
        if let Some((start, actions)) = self.unsaved_branch()
            && self.would_discard(&pending)
        {
            let left_at = self
                .playback
                .as_ref()
                .map_or(start, |p| p.left_script_at().unwrap_or(start));
            self.popup = Some(Popup::Confirm(Confirm {
                pending,
                actions,
                left_at,
            }));
            return;
        }
        self.run_pending(pending);
    }

    /// Whether doing this now would lose some of the recorded branch.
    fn would_discard(&self, pending: &Pending) -> bool {
        let Some(p) = &self.playback else {
            return false;
        };
        let Some((start, len)) = p.branch_recorded() else {
            return false;
        };
        let cursor = p.timeline().cursor();
        match pending {
            // Acting replaces whatever is recorded after the cursor.
            Pending::Act(_) => cursor < start + len,
            Pending::Jump(_) => true,
            Pending::Command(c) => match keys::behaviour(*c).on_branch {
                keys::OnBranch::DropsPastStart => cursor <= start + 1,
                keys::OnBranch::Drops => true,
                keys::OnBranch::Keeps | keys::OnBranch::Acts => false,
            },
        }
    }

    fn run_pending(&mut self, pending: Pending) {
        match pending {
            Pending::Act(action) => self.act(action),
            Pending::Command(c) => self.command_now(c),
            Pending::Jump(n) => self.start_work(super::work::Work::Goto { to: n }),
        }
        if let Some(p) = self.playback.as_mut() {
            p.drop_unplayed_branch();
        }
    }

    /// Does a command, asking first when its behaviour row says it may drop a branch.
    fn command(&mut self, command: Command) {
        match keys::behaviour(command).on_branch {
            keys::OnBranch::Drops | keys::OnBranch::DropsPastStart => {
                self.guarded(Pending::Command(command))
            }
            keys::OnBranch::Acts => {
                if let Some(action) = self.cart_action(command) {
                    self.guarded(Pending::Act(action));
                }
            }
            keys::OnBranch::Keeps => self.command_now(command),
        }
    }

    /// The action a key takes on the selected cart.
    fn cart_action(&self, command: Command) -> Option<Action> {
        if command == Command::AdvanceTick {
            return Some(Action::Wait { ticks: 1 });
        }
        if command == Command::Settle {
            return Some(Action::Settle);
        }
        let cart = self.selected_cart()?;
        // On a cart of an lwr store, `s` is the REST start (PUT) and `c` the poll (GET).
        let lwr = self.world().is_some_and(|w| {
            w.store_of_cart(&cart)
                .is_some_and(|s| s.settings.template == crate::engine::Template::Lwr)
        });
        Some(match command {
            Command::StartCheckout if lwr => Action::CheckoutStart { cart, actor: None },
            Command::StartCheckout => Action::StartCheckout { cart, actor: None },
            Command::Cancel => Action::Cancel { cart, actor: None },
            Command::Continue if lwr => Action::CheckoutPoll { cart, actor: None },
            Command::Continue => Action::Continue { cart, actor: None },
            Command::FailOperation => Action::FailOperation {
                cart,
                message: "failure injected from the cartsim UI".into(),
            },
            Command::PlaceOrder => {
                // Place Order V2 takes two calls: prepare, then (once prepared) submit.
                let world = self.world()?;
                let v2 = world.store_of_cart(&cart).is_some_and(|s| {
                    s.settings.place_order == crate::engine::PlaceOrderVersion::V2
                });
                let prepared = world.active_session(&cart).is_some_and(|s| s.rest.prepared);
                let step = v2.then_some(if prepared {
                    crate::engine::rest::PlaceOrderStep::Submit
                } else {
                    crate::engine::rest::PlaceOrderStep::Prepare
                });
                Action::PlaceOrder {
                    cart,
                    step,
                    actor: None,
                }
            }
            Command::DeleteCheckout => Action::CheckoutDelete { cart, actor: None },
            _ => return None,
        })
    }

    /// Does a command, asking nothing.
    fn command_now(&mut self, command: Command) {
        match command {
            Command::Quit => self.quit = true,
            Command::Help => self.popup = Some(Popup::Help(Help::default())),
            Command::Close => self.popup = None,
            Command::Confirm | Command::Undo | Command::SaveFirst | Command::Discard => {}
            Command::Up | Command::Down => self.move_selection(command == Command::Up),
            Command::More
            | Command::Less
            | Command::PageUp
            | Command::PageDown
            | Command::Filter => {}
            Command::PlayPause => {
                let now = self.now;
                if let Some(p) = self.playback.as_mut() {
                    p.toggle_play(now);
                }
                let _ = self.update(Msg::Frame);
            }
            Command::StepForward => self.step_forward(),
            Command::StepBack => {
                if let Some(p) = self.playback.as_mut() {
                    p.pause();
                    p.step_back();
                }
                self.transition = None;
                self.log_scroll = 0;
            }
            Command::Faster => {
                self.with_playback(|p| p.speed_up());
                self.keep_settings();
            }
            Command::Slower => {
                self.with_playback(|p| p.slow_down());
                self.keep_settings();
            }
            Command::Palette => {
                self.theme = self.theme.with(self.theme.palette.next());
                self.status = Some(format!("palette: {}", self.theme.palette.name()));
                self.keep_settings();
            }
            Command::Home => self.jump(|p| p.home()),
            Command::End => self.start_work(super::work::Work::End),
            Command::PrevChapter | Command::NextChapter => self.chapter_jump(command),
            Command::Presenter => {
                let mut on = false;
                self.with_playback(|p| {
                    p.presenter = !p.presenter;
                    on = p.presenter;
                });
                self.status = Some(if on {
                    "presenter mode: playback pauses at each chapter marker".into()
                } else {
                    "presenter mode off".into()
                });
                self.keep_settings();
            }
            Command::Zoom => self.zoom = !self.zoom,
            Command::CollapseFinished => {
                self.collapse_finished = !self.collapse_finished;
                self.status = Some(if self.collapse_finished {
                    "finished operations collapsed to one line each; o shows them in full".into()
                } else {
                    "every operation shown in full".into()
                });
            }
            Command::Timeline => {
                if let Some(p) = &self.playback {
                    self.popup = Some(Popup::Timeline(super::popup::timeline::Timeline {
                        index: p.script_position(),
                    }));
                }
            }
            Command::Projector => {
                self.projector = !self.projector;
                self.keep_settings();
            }
            Command::SkipQuiz => {}
            Command::ActAs => self.next_actor(),
            Command::Search => {
                self.searching = true;
                let query = self
                    .search
                    .as_ref()
                    .filter(|s| s.what.starts_with('"'))
                    .map(|s| s.query.value().to_string())
                    .unwrap_or_default();
                self.search = Some(Search {
                    query: super::field::Field::new(&query),
                    what: String::new(),
                    hits: Vec::new(),
                    at: 0,
                });
            }
            Command::Patch | Command::Pay => {
                if let Some(cart) = self.selected_cart() {
                    self.popup = Some(Popup::RestForm(if command == Command::Patch {
                        RestForm::patch(cart)
                    } else {
                        RestForm::pay(cart)
                    }));
                }
            }
            Command::Network | Command::Open => {
                if let Some(p) = &self.playback {
                    let lines = super::network::lines(self, p);
                    let mut text = Text::new("Network: every REST call, script and branch", lines);
                    // Opened on the newest calls.
                    text.scroll = u16::MAX;
                    self.popup = Some(Popup::Text(text));
                }
            }
            Command::PlaceOrder
            | Command::DeleteCheckout
            | Command::NextField
            | Command::FlipReading => {}
            Command::NextMatch => self.go_to_match(true),
            Command::PrevMatch => self.go_to_match(false),
            Command::RecordLog => self.record_log(),
            Command::Exercise => {
                let mut on = false;
                self.with_playback(|p| {
                    p.exercise = !p.exercise;
                    on = p.exercise;
                });
                self.status = Some(if on {
                    "exercise mode: playback stops before each question".into()
                } else {
                    "exercise mode off: questions are not asked".into()
                });
            }
            Command::ResetScore => {
                self.with_playback(|p| p.reset_score());
                self.status = Some("score reset: every question is asked again".into());
            }
            Command::FocusNext => self.focus = self.focus.next(),
            Command::FocusPrev => self.focus = self.focus.prev(),
            Command::LogUp => {
                self.log_scroll = self.log_scroll.saturating_add(5);
                self.log_mark = None;
            }
            Command::LogDown => {
                self.log_scroll = self.log_scroll.saturating_sub(5);
                self.log_mark = None;
            }
            Command::StartCheckout
            | Command::Cancel
            | Command::Continue
            | Command::FailOperation
            | Command::Settle
            | Command::AdvanceTick => {
                if let Some(action) = self.cart_action(command) {
                    self.act(action);
                }
            }
            Command::AddToCart => {
                let Some(cart) = self.selected_cart() else {
                    return;
                };
                if self.world().is_some_and(|w| !w.products.is_empty()) {
                    self.popup = Some(Popup::AddToCart(AddToCart::new(cart)));
                } else {
                    self.message("Add to cart", &["this world has no products".into()]);
                }
            }
            Command::WorldMenu => {
                if let Some(cart) = self.selected_cart() {
                    self.popup = Some(Popup::WorldMenu(WorldMenu::new(cart)));
                }
            }
            Command::World => {
                if let Some(world) = self.world() {
                    let lines = super::world::lines(self, world);
                    self.popup = Some(Popup::Text(Text::new(
                        "The world: who may do what, where",
                        lines,
                    )));
                }
            }
            Command::Narration => {
                let lines = super::log::narration(self);
                self.popup = Some(Popup::Text(Text::new("Narration", lines)));
            }
            Command::ReturnToScript => {
                self.with_playback(|p| p.return_to_script());
                self.transition = None;
                self.log_scroll = 0;
                self.status = Some("back on the script, at the step where you left it".into());
            }
            Command::Save => self.open_save(None),
            Command::Picker => {
                self.screen = Screen::Picker;
                self.playback = None;
                self.transition = None;
                self.saved_branch = None;
            }
        }
    }

    /// Opens the save dialog on a free name in the default folder (the name is found
    /// by the run loop: [`Effect::FreeName`]). Nothing played: nothing to save, said so.
    fn open_save(&mut self, then: Option<Pending>) {
        if self.playback.as_ref().is_none_or(|p| p.played().is_empty()) {
            self.message(
                "Nothing to save",
                &["Nothing is played yet: play a step (→) or act on a cart first.".into()],
            );
            return;
        }
        let dir = self.default_save_dir();
        self.effects.push(Effect::FreeName { dir: dir.clone() });
        self.popup = Some(Popup::Save(Save::new(
            "cartsim-branch.json".into(),
            dir,
            then,
        )));
    }

    /// A write finished: say so, or ask before overwriting, and go on with what waited.
    fn written(&mut self, path: PathBuf, result: Result<(), WriteFailure>) {
        let Some(Popup::Save(save)) = &mut self.popup else {
            return;
        };
        match result {
            Ok(()) => {
                let then = save.then.take();
                self.saved_branch = self.branch_key();
                let steps = self.playback.as_ref().map_or(0, |p| p.played().len());
                let shown = sanitize::line(&path.display().to_string());
                let quoted = sanitize::line(&super::popup::save::shell_quote(
                    &path.display().to_string(),
                ));
                self.message(
                    "Saved",
                    &[
                        format!("{shown}: {steps} steps, each with its expected result"),
                        format!("replay it with: cartsim run {quoted}"),
                    ],
                );
                if let Some(pending) = then {
                    self.popup = None;
                    self.status = Some(format!("saved {shown}"));
                    if pending == Pending::Command(Command::Quit) {
                        // The screen goes with the UI: say it again on the terminal.
                        self.farewell = vec![
                            format!("saved {shown}: {steps} steps, each with its expected result"),
                            format!("replay it with: cartsim run {quoted}"),
                        ];
                    }
                    self.run_pending(pending);
                }
            }
            Err(failure) if failure.exists => save.confirm_overwrite = true,
            Err(failure) => save.problem = Some(format!("not saved: {}", failure.message)),
        }
    }

    fn with_playback(&mut self, f: impl FnOnce(&mut Playback)) {
        if let Some(p) = self.playback.as_mut() {
            f(p);
        }
    }

    /// A jump (home, end, chapters): instant, no animation.
    fn jump(&mut self, f: impl FnOnce(&mut Playback)) {
        self.with_playback(f);
        self.transition = None;
        self.log_scroll = 0;
        if let Some(p) = &self.playback
            && let Some(QuizState::Asking(step)) = p.quiz()
        {
            self.status = Some(format!(
                "stopped before step {}: answer the question",
                step + 1
            ));
        }
    }

    /// `[` and `]`: the jump, then where it landed, said on the status line (the header
    /// alone changes little when the jump lands just before a chapter).
    fn chapter_jump(&mut self, command: Command) {
        let before = self.playback.as_ref().map(|p| p.script_position());
        if command == Command::NextChapter {
            self.jump(|p| p.next_chapter());
        } else {
            self.jump(|p| p.prev_chapter());
        }
        if self.status.is_some() {
            return;
        }
        let Some(p) = &self.playback else { return };
        let pos = p.script_position();
        let count = p.chapters().len();
        self.status = Some(match p.chapter_ahead() {
            _ if count == 0 => "this scenario has no chapters".to_string(),
            _ if Some(pos) == before && command == Command::NextChapter => format!(
                "no chapter after this one (step {pos} of {}): End (G) plays to the end",
                p.step_count()
            ),
            _ if Some(pos) == before => {
                "at the start of the first chapter: nothing before it".to_string()
            }
            Some((at, name)) => {
                let k = p.chapters().partition_point(|c| *c <= at);
                format!("before chapter {k}/{count}: {name} (→ plays its first step)")
            }
            None => match p.chapter() {
                Some((at, name)) => {
                    let k = p.chapters().partition_point(|c| *c <= at);
                    format!("in chapter {k}/{count}: {name}, at step {pos}")
                }
                None => format!("at step {pos}, before the first chapter"),
            },
        });
    }

    /// Starts End or a jump: at once when it is short, else as work the run loop does a
    /// slice at a time.
    fn start_work(&mut self, work: super::work::Work) {
        use super::work::{AT_ONCE, Work};
        let Some(p) = self.playback.as_mut() else {
            return;
        };
        p.pause();
        let (done, total) = work_progress(p, work);
        match work {
            _ if total.saturating_sub(done) <= AT_ONCE => match work {
                Work::End => self.jump(|p| p.end()),
                Work::Goto { to } => self.jump(|p| p.goto(to)),
            },
            _ => {
                self.work = Some(work);
                self.transition = None;
                self.status = Some(work_status(work, done, total));
            }
        }
    }

    /// Plays a slice of the work under way, at most `steps` steps.
    fn work_slice(&mut self, steps: usize) {
        use super::work::Work;
        let (Some(work), Some(p)) = (self.work, self.playback.as_mut()) else {
            self.work = None;
            return;
        };
        let mut finished = false;
        match work {
            Work::End => {
                for _ in 0..steps.max(1) {
                    if p.step_forward() != StepResult::Played {
                        finished = true;
                        break;
                    }
                }
            }
            Work::Goto { to } => {
                let at = p.script_position();
                let next = to.min(at.saturating_add(steps.max(1)));
                p.goto(next);
                finished = next >= to || p.script_position() >= p.step_count();
            }
        }
        let (done, total) = work_progress(p, work);
        if finished {
            self.work = None;
            self.status = None;
            self.jump(|_| {});
        } else {
            self.status = Some(work_status(work, done, total));
        }
    }

    /// A key while work runs: Esc or Ctrl-C stops it where it got to.
    fn busy_key(&mut self, key: KeyEvent) {
        let ctrl_c =
            key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL);
        if key.code == KeyCode::Esc || ctrl_c {
            if let (Some(work), Some(p)) = (self.work.take(), self.playback.as_ref()) {
                let (done, total) = work_progress(p, work);
                self.status = Some(format!(
                    "stopped {}: at step {done} of {total}",
                    work.name()
                ));
            }
            self.jump(|_| {});
        }
    }

    fn step_forward(&mut self) {
        let Some(p) = self.playback.as_mut() else {
            return;
        };
        p.pause();
        let before = p.world().clone();
        let result = p.step_forward();
        self.after_step(before, result);
    }

    /// After a step was played (or playback stopped): animation, error popup, status;
    /// the panes follow the cart acted on.
    fn after_step(&mut self, before: World, result: StepResult) {
        let played = result == StepResult::Played;
        self.after_step_inner(before, result);
        if played {
            self.follow_cart();
        }
    }

    fn after_step_inner(&mut self, before: World, result: StepResult) {
        let Some(p) = self.playback.as_mut() else {
            return;
        };
        match result {
            StepResult::Played => {
                let entry = p.last().cloned();
                if let Some(entry) = entry {
                    self.transition = Some(Transition {
                        started: self.now,
                        glide: anim::GLIDE.min(p.step_interval()),
                        before: before.clone(),
                        changes: entry.outcome.changes.clone(),
                    });
                    if let Err(error) = &entry.outcome.result {
                        p.pause();
                        self.popup = Some(Popup::Refusal(Refusal {
                            action: entry.action.title().to_string(),
                            description: crate::player::describe(
                                &before,
                                entry.kind,
                                &entry.action,
                            ),
                            error: error.clone(),
                        }));
                    }
                    // The selection follows the cart acted on.
                    if let Some(cart) = entry.action.cart()
                        && let Some(i) = p.world().carts.iter().position(|c| c.id == cart)
                    {
                        self.cart_sel = i;
                    }
                }
                self.log_scroll = 0;
                if p.at_end() {
                    p.pause();
                    self.status = Some(end_text(p));
                }
            }
            StepResult::AtEnd => {
                self.status = Some(if p.off_script() {
                    "end of your branch: act again, or r returns to the script".to_string()
                } else {
                    end_text(p)
                });
            }
            StepResult::Quiz(_) => {}
            StepResult::Marker(i) => {
                let name = p.scenario().steps[i].marker.clone().unwrap_or_default();
                self.status = Some(format!(
                    "presenter mode: paused before chapter \"{name}\"; space plays on"
                ));
            }
        }
    }

    /// The refusal's `F`: step back over the refused step, switch the store setting its
    /// reading names to the other value (set_setting, off script), and act again.
    fn flip_reading(&mut self) {
        let Some(p) = self.playback.as_ref() else {
            return;
        };
        let Some(entry) = p.played().last() else {
            return;
        };
        let (action, error) = match &entry.outcome.result {
            Err(e) => (Action::clone(&entry.action), e.clone()),
            Ok(()) => return,
        };
        let Some((key, label)) = super::popup::refusal::flip_of(self, &error) else {
            return;
        };
        let Some(store) = action
            .cart()
            .and_then(|c| self.world()?.store_of_cart(c))
            .map(|s| s.id.clone())
        else {
            return;
        };
        let Some(value) = self
            .world()
            .and_then(|w| w.store(&store))
            .map(|s| super::popup::world_menu::other_readings(&s.settings))
            .and_then(|r| r.into_iter().find(|(k, _, l)| *k == key && *l == label))
            .map(|(_, v, _)| v)
        else {
            return;
        };
        if let Some(p) = self.playback.as_mut() {
            p.pause();
            p.step_back();
            p.drop_unplayed_branch();
        }
        self.act(Action::SetSetting {
            store: store.clone(),
            key: key.to_string(),
            value,
        });
        if self.popup.is_some() {
            // The switch itself was refused: its popup says why.
            return;
        }
        self.act(action);
        if self.popup.is_none() {
            self.status = Some(format!(
                "{store}: {key} is now {label}, and the same action went through; ← steps back over them"
            ));
        }
    }

    /// Acts off script ("what if"): the action is applied now as a branch. A buyer
    /// action names its buyer (the acting one, or the cart's owner), so a saved branch
    /// says who acted.
    fn act(&mut self, mut action: Action) {
        if action.is_buyer_action()
            && action.actor().is_none()
            && let Some(who) = action.cart().and_then(|c| self.actor_of(c))
        {
            action.set_actor(&who);
        }
        let Some(p) = self.playback.as_mut() else {
            return;
        };
        let before = p.world().clone();
        p.act(action);
        self.popup = None;
        self.after_step(before, StepResult::Played);
    }

    /// Replays what the served world did, at the end of the timeline. A refusal shows in
    /// the log, not as a popup (a client's 409 is no reason to stop the view), and a
    /// popup the user has open stays open.
    fn live(&mut self, live: Live) {
        let Some(p) = self.playback.as_mut() else {
            return;
        };
        match live {
            Live::Acted(action) => {
                p.end();
                let before = p.world().clone();
                p.act(action);
                let popup = self.popup.take();
                self.after_step(before, StepResult::Played);
                self.popup = popup;
                // What the server did is the server's to record (`--record`), not a
                // branch of the user's to save before quitting.
                self.saved_branch = self.branch_key();
            }
            Live::Reset => {
                p.home();
                p.drop_unplayed_branch();
            }
        }
    }

    fn message(&mut self, title: &str, lines: &[String]) {
        self.popup = Some(Popup::Text(Text::new(
            title,
            lines.iter().map(|l| Line::raw(sanitize::line(l))).collect(),
        )));
    }

    fn move_selection(&mut self, up: bool) {
        let Some(world) = self.world() else {
            return;
        };
        let (carts, sessions, ops) = (
            world.carts.len(),
            world.sessions.len(),
            world.operations.len(),
        );
        let step = super::popup::step;
        match self.focus {
            Focus::Carts => {
                step(&mut self.cart_sel, carts, up);
                self.follow_cart();
            }
            Focus::Sessions => {
                step(&mut self.session_sel, sessions, up);
                self.follow_session();
            }
            Focus::Operations => {
                step(&mut self.op_sel, ops, up);
                self.follow_operation();
            }
            Focus::Log => {
                if up {
                    self.log_scroll = self.log_scroll.saturating_add(1);
                } else {
                    self.log_scroll = self.log_scroll.saturating_sub(1);
                }
            }
        }
    }

    /// Selecting a cart selects its newest session and operation, so that a small
    /// screen scrolls the other panes to the selected cart's records.
    fn follow_cart(&mut self) {
        let (session, op) = self.cart_links();
        if let Some(i) = session {
            self.session_sel = i;
        }
        if let Some(i) = op {
            self.op_sel = i;
        }
    }

    /// The selected cart's newest session and operation, in the panes' order.
    fn cart_links(&self) -> (Option<usize>, Option<usize>) {
        let (Some(cart), Some(world)) = (self.selected_cart(), self.world()) else {
            return (None, None);
        };
        let session = world.sessions.iter().rev().position(|s| s.cart == cart);
        let op = world.operations.iter().rev().position(|o| {
            self.op_owner(&o.id)
                .and_then(|s| world.session(s))
                .is_some_and(|s| s.cart == cart)
        });
        (session, op)
    }

    /// Selecting a session selects its cart, so the links stay visible.
    fn follow_session(&mut self) {
        let Some(world) = self.world() else { return };
        let Some(s) = world.sessions.iter().rev().nth(self.session_sel) else {
            return;
        };
        if let Some(i) = world.carts.iter().position(|c| c.id == s.cart) {
            self.cart_sel = i;
        }
    }

    /// Selecting an operation selects the cart of the session that launched it.
    fn follow_operation(&mut self) {
        let Some(world) = self.world() else { return };
        let Some(op) = world.operations.iter().rev().nth(self.op_sel) else {
            return;
        };
        let cart = self
            .op_owner(&op.id)
            .and_then(|s| world.session(s))
            .map(|s| s.cart.clone());
        if let Some(i) = cart.and_then(|c| world.carts.iter().position(|x| x.id == c)) {
            self.cart_sel = i;
        }
    }
}

fn end_text(p: &Playback) -> String {
    let mut text = "end of the scenario".to_string();
    if p.has_quiz() {
        let (right, asked) = p.score();
        text.push_str(&format!(": score {right}/{asked}"));
    }
    text.push_str("; act on the cart to explore, or Home to start again");
    text
}

/// The text of a refusal, for the log: the transcripts' wording, except that the
/// requirement is said to be "not met" rather than "failed" (the requirement is what the
/// action needs, not what went wrong).
pub fn error_text(error: &ActionError) -> Vec<String> {
    let w = crate::player::wording::error_wording(error);
    let mut lines = vec![
        w.head,
        format!("not met: {} {}", w.requirement, w.origin_tag),
    ];
    if let Some(reading) = w.reading {
        lines.push(format!("only in the reading: {reading}"));
    }
    if let Some(buyer) = w.buyer_sees {
        lines.push(format!("the buyer sees: {buyer}"));
    }
    lines
}

/// How far work has got: (steps done, steps in all), in script steps (or, off script, in
/// entries of the branch).
fn work_progress(p: &Playback, work: super::work::Work) -> (usize, usize) {
    match work {
        super::work::Work::End if p.off_script() => {
            (p.timeline().cursor(), p.timeline().entries().len())
        }
        super::work::Work::End => (p.script_position(), p.step_count()),
        super::work::Work::Goto { to } => (p.script_position(), to),
    }
}

/// The status line while work runs: what, how far, and how to stop it.
fn work_status(work: super::work::Work, done: usize, total: usize) -> String {
    format!(
        "{}: step {done} of {total} ({}%); Esc or Ctrl-C stops here",
        work.name(),
        (done * 100).checked_div(total).unwrap_or(100)
    )
}
