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
    save::Save, text::Text, world_menu::WorldMenu,
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
    /// What it is, for the prompt: "Home (to the start)".
    pub fn what(&self) -> String {
        match self {
            Pending::Command(c) => match c {
                Command::StepBack => "Stepping back past its start".into(),
                Command::Home => "Going to the start (Home)".into(),
                Command::PrevChapter | Command::NextChapter => "Jumping to a chapter".into(),
                Command::ReturnToScript => "Going back to the script (r)".into(),
                Command::Picker => "Going back to the scenario picker".into(),
                Command::Quit => "Quitting".into(),
                other => format!("{other:?}"),
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
    /// The picker's filter (case-insensitive, on title, file and tags).
    pub filter: String,
    /// The filter is being typed.
    pub filtering: bool,
    /// Long work under way (End on a long scenario, a jump far ahead), done a slice at a
    /// time by the run loop ([`super::work`]).
    pub work: Option<super::work::Work>,
    /// What `update` asks the run loop to do.
    effects: Vec<Effect>,
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
            filter: String::new(),
            filtering: false,
            work: None,
            effects: Vec::new(),
        };
        if app.scenarios.len() == 1 {
            app.open(0);
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
        self.work = None;
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
        let last = p.timeline().entries().last()?.description.clone();
        Some((start, len, last))
    }

    /// The context that decides what keys do now.
    pub fn context(&self) -> Context {
        match &self.popup {
            Some(popup) => popup.context(),
            None => match self.screen {
                Screen::Picker if self.filtering => Context::Filter,
                Screen::Picker => Context::Picker,
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
        let p = self.playback.as_ref();
        let has_cart = self.selected_cart().is_some();
        match command {
            Command::StartCheckout
            | Command::AddToCart
            | Command::Cancel
            | Command::Continue
            | Command::FailOperation
            | Command::WorldMenu => has_cart,
            Command::ReturnToScript => p.is_some_and(|p| p.off_script()),
            Command::Picker => self.scenarios.len() > 1,
            Command::Save => p.is_some_and(|p| !p.played().is_empty()),
            Command::PlayPause
            | Command::StepForward
            | Command::StepBack
            | Command::AdvanceTick
            | Command::Settle
            | Command::Faster
            | Command::World
            | Command::Narration
            | Command::PrevChapter => p.is_some(),
            _ => true,
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
                    save.name = name;
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
            // Help and quit work from any popup that does not take text.
            if matches!(command, Some(Command::Quit | Command::Help)) {
                self.popup = Some(popup);
                self.command(command.expect("matched"));
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
        if context == Context::Filter {
            match (key.code, binding.map(|b| b.command)) {
                (_, Some(Command::Confirm)) => self.filtering = false,
                (_, Some(Command::Close)) => {
                    self.filter.clear();
                    self.filtering = false;
                }
                (KeyCode::Backspace, _) => {
                    self.filter.pop();
                }
                (KeyCode::Char(ch), None) if !ch.is_control() => self.filter.push(ch),
                _ => {}
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
                Command::Close => {
                    // Esc on a question: stay paused before the step, unanswered (it is
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

    /// The scenarios the picker lists: those matching the filter, in order.
    pub fn listed(&self) -> Vec<usize> {
        let needle = self.filter.to_lowercase();
        self.scenarios
            .iter()
            .enumerate()
            .filter(|(_, s)| {
                needle.is_empty()
                    || s.title.to_lowercase().contains(&needle)
                    || s.file.to_lowercase().contains(&needle)
                    || s.tags.iter().any(|t| t.to_lowercase().contains(&needle))
            })
            .map(|(i, _)| i)
            .collect()
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
                if let Some(&i) = listed.get(at) {
                    self.open(i);
                }
                return;
            }
            Command::Close => {
                self.filter.clear();
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
            Pending::Command(c) => match c {
                Command::StepBack => cursor <= start + 1,
                Command::Home
                | Command::PrevChapter
                | Command::NextChapter
                | Command::ReturnToScript
                | Command::Picker
                | Command::Quit => true,
                _ => false,
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

    fn command(&mut self, command: Command) {
        match command {
            Command::StepBack
            | Command::Home
            | Command::PrevChapter
            | Command::NextChapter
            | Command::ReturnToScript
            | Command::Picker
            | Command::Quit => self.guarded(Pending::Command(command)),
            Command::StartCheckout
            | Command::Cancel
            | Command::Continue
            | Command::FailOperation
            | Command::Settle
            | Command::AdvanceTick => {
                if let Some(action) = self.cart_action(command) {
                    self.guarded(Pending::Act(action));
                }
            }
            other => self.command_now(other),
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
            Command::PrevChapter => self.jump(|p| p.prev_chapter()),
            Command::NextChapter => self.jump(|p| p.next_chapter()),
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
            Command::LogUp => self.log_scroll = self.log_scroll.saturating_add(5),
            Command::LogDown => self.log_scroll = self.log_scroll.saturating_sub(5),
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

    /// After a step was played (or playback stopped): animation, error popup, status.
    fn after_step(&mut self, before: World, result: StepResult) {
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

    /// Acts off script ("what if"): the action is applied now as a branch.
    fn act(&mut self, action: Action) {
        let Some(p) = self.playback.as_mut() else {
            return;
        };
        let before = p.world().clone();
        p.act(action);
        self.popup = None;
        self.after_step(before, StepResult::Played);
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
            Focus::Carts => step(&mut self.cart_sel, carts, up),
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
