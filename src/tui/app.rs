//! The UI's state and its one entry point for change, [`App::update`]. No terminal and
//! no files here: key handling is tested on this state alone, the view reads it, and
//! `update` returns the [`Effect`]s (writing a file) that the run loop performs.
//!
//! The state is in parts with one job each, in their own modules: the [`Picker`], the
//! [`PlayerView`] (playback, selection, log and search), the [`Preferences`] (what
//! `config.toml` keeps) and the [`Files`]. Each popup keeps its own state, keys and drawing in
//! [`super::popup`] and reads only the parts it shows; this module routes keys to the
//! open popup and acts on its [`Reply`]. Keys that would discard an unsaved branch go
//! through [`App::guarded`], which asks first; a command's availability, whether it asks
//! and its prompt are its row of [`keys::BEHAVIOURS`].

use super::anim::{self, Transition};
use super::effect::{Effect, WriteFailure};
use super::files::Files;
use super::keys::{self, Command, Context};
pub use super::picker::Broken;
use super::picker::{Picker, PickerReply};
use super::player_view::PlayerView;
pub use super::player_view::{Focus, Search};
use super::popup::{
    Popup, Reply, add_to_cart::AddToCart, confirm::Confirm, help::Help, quiz, refusal::Refusal,
    rest_form::RestForm, save::Save, text::Text, world_menu::WorldMenu,
};
use super::prefs::Preferences;
use super::theme::Theme;
use crate::engine::{Action, ActionError, World};
use crate::player::playback::{Playback, QuizState, Reloaded, StepResult};
use crate::scenario::{LoadError, Scenario, sanitize};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::text::Line;
use std::path::PathBuf;
use std::time::Duration;

/// Which screen is up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// The scenario picker.
    Picker,
    /// The player.
    Player,
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
    /// The exploration under way got this far.
    Exploring(crate::explore::Progress),
    /// The exploration ended: its findings, or why it could not run.
    Explored(Result<super::explore_job::Explored, String>),
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
    /// A finding of `X`: its actions, played in order from here as a branch.
    Play(Vec<Action>),
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
            Pending::Play(_) => "Playing the finding here, in the middle of your branch,".into(),
        }
    }
}

/// The smallest terminal the UI draws in.
pub const MIN_WIDTH: u16 = 80;
/// The smallest terminal height.
pub const MIN_HEIGHT: u16 = 24;

/// The whole UI state, in parts with one job each: the [`Picker`], the
/// [`PlayerView`] (playback, selection, log and search), the [`Preferences`] (theme,
/// speed and the rest of `config.toml`) and the [`Files`] (watched file, save folder,
/// saved branch). What is left here is what routes between them: the screen, the open
/// popup, the clock and the status line.
#[derive(Debug, Clone)]
pub struct App {
    /// The user's preferences (theme, speed, presenter mode, projector layout).
    pub prefs: Preferences,
    /// The scenario picker.
    pub picker: Picker,
    /// The player view: the open scenario's playback and how it is looked at.
    pub player: PlayerView,
    /// The files: watched, saved, where.
    pub files: Files,
    /// The screen.
    pub screen: Screen,
    /// The open popup.
    pub popup: Option<Popup>,
    /// The clock: time since the UI started (set by the run loop, or by tests).
    pub now: Duration,
    /// Set when the user quits.
    pub quit: bool,
    /// A one-line status message shown above the key bar.
    pub status: Option<String>,
    /// The terminal is too small: playback waits.
    pub too_small: bool,
    /// Long work under way (End on a long scenario, a jump far ahead), done a slice at a
    /// time by the run loop ([`super::work`]).
    pub work: Option<super::work::Work>,
    /// An exploration from the moment on screen (`X`) under way: how far it got. Keys
    /// other than Esc and Ctrl-C wait until it ends.
    pub exploring: Option<crate::explore::Progress>,
    /// What `update` asks the run loop to do.
    effects: Vec<Effect>,
}

impl App {
    /// The UI on these scenarios: the picker when there are several, the player when one.
    pub fn new(scenarios: Vec<Scenario>, theme: Theme) -> App {
        App::on(Picker::new(scenarios), theme)
    }

    fn on(picker: Picker, theme: Theme) -> App {
        let mut app = App {
            prefs: Preferences::new(theme),
            picker,
            player: PlayerView::default(),
            files: Files::default(),
            screen: Screen::Picker,
            popup: None,
            now: Duration::ZERO,
            quit: false,
            status: None,
            too_small: false,
            work: None,
            exploring: None,
            effects: Vec::new(),
        };
        if app.picker.len() == 1 && app.picker.broken.is_empty() {
            app.open(0);
        }
        app
    }

    /// The UI on a folder: the scenarios that loaded and the files that did not, in
    /// the folder's order. The picker opens (even on one scenario) when a file is broken,
    /// so that its error is seen.
    pub fn with_broken(loaded: Vec<Result<Scenario, LoadError>>, theme: Theme) -> App {
        App::on(Picker::with_broken(loaded), theme)
    }

    /// Watch mode on a file; `first` is the first load's result.
    pub fn watch(file: String, first: Result<Scenario, LoadError>, theme: Theme) -> App {
        let mut app = App::new(Vec::new(), theme);
        app.screen = Screen::Player;
        app.files.watching = Some(sanitize::line(&file));
        let _ = app.update(Msg::Reloaded(Box::new(first)));
        app
    }

    /// Opens scenario `index` in the player, at its start.
    pub fn open(&mut self, index: usize) {
        let Some(s) = self.picker.scenarios.get(index) else {
            return;
        };
        let mut playback = Playback::new(s.clone());
        self.prefs.configure(&mut playback);
        // A new view; how the panes are laid out (zoom, collapsed operations) stays.
        let mut view = PlayerView::new(Some(playback));
        view.zoom = self.player.zoom;
        view.collapse_finished = self.player.collapse_finished;
        self.player = view;
        self.screen = Screen::Player;
        self.popup = None;
        self.status = None;
        self.files.saved_branch = None;
        self.work = None;
    }

    /// The world now, when a scenario is open.
    pub fn world(&self) -> Option<&World> {
        self.player.world()
    }

    /// The selected cart's id.
    pub fn selected_cart(&self) -> Option<String> {
        self.player.selected_cart()
    }

    /// Applies settings read from the file: the palette now, presenter mode and speed to
    /// the open scenario and every scenario opened later.
    pub fn apply_settings(&mut self, settings: super::settings::Settings) {
        self.prefs.apply(settings);
        if let Some(p) = self.player.playback.as_mut() {
            self.prefs.configure(p);
        }
    }

    /// Takes the presenter mode and speed from the open playback, and asks the run loop
    /// to keep the preferences.
    fn keep_settings(&mut self) {
        if let Some(p) = &self.player.playback {
            self.prefs.remember(p);
        }
        self.effects.extend(self.prefs.save());
    }

    /// The folder `w` saves in by default: the open scenario's own folder, or
    /// [`Files::save_dir`] for a built-in scenario or standard input.
    pub fn default_save_dir(&self) -> PathBuf {
        let file = self
            .player
            .playback
            .as_ref()
            .map(|p| p.scenario().file.as_str());
        self.files.default_save_dir(file)
    }

    /// The recorded branch when it is not saved as it is: (start, actions).
    pub fn unsaved_branch(&self) -> Option<(usize, usize)> {
        self.files.unsaved(self.player.branch_key())
    }

    /// What identifies the unsaved branch as it is now, while there is one: the run loop
    /// keeps it in a recovery file ([`crate::player::recovery`]).
    pub fn unsaved_branch_key(&self) -> Option<(usize, usize, String)> {
        self.unsaved_branch()?;
        self.player.branch_key()
    }

    /// The context that decides what keys do now.
    pub fn context(&self) -> Context {
        match &self.popup {
            Some(popup) => popup.context(),
            None => match self.screen {
                Screen::Picker if self.picker.filtering => Context::Filter,
                Screen::Picker => Context::Picker,
                Screen::Player if self.player.searching => Context::Search,
                Screen::Player => {
                    if self
                        .player
                        .playback
                        .as_ref()
                        .and_then(|p| p.quiz())
                        .is_some()
                    {
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
        let p = self.player.playback.as_ref();
        match keys::behaviour(command).needs {
            Needs::Nothing => true,
            Needs::Scenario => p.is_some(),
            Needs::Cart => self.selected_cart().is_some(),
            Needs::LwrCart => self.player.lwr_cart(),
            Needs::OffScript => p.is_some_and(|p| p.off_script()),
            Needs::Played => p.is_some_and(|p| !p.played().is_empty()),
            Needs::Scenarios => self.picker.len() > 1,
            Needs::Hits => self
                .player
                .search
                .as_ref()
                .is_some_and(|s| !s.hits.is_empty()),
            Needs::LogFocus => p.is_some() && self.player.focus == Focus::Log,
            Needs::ReadingFlip => matches!(&self.popup, Some(Popup::Refusal(r))
                if super::popup::refusal::flip_of(&self.player, &r.error).is_some()),
        }
    }

    /// True while something moves on screen or playback waits for its next step: the
    /// run loop then wakes on a timer; otherwise it sleeps until a key arrives.
    pub fn wake_in(&self) -> Option<Duration> {
        let animating = self
            .player
            .transition
            .as_ref()
            .is_some_and(|t| t.active(self.now))
            || self.world().is_some_and(|w| {
                w.operations()
                    .iter()
                    .any(|o| o.status == crate::engine::OperationStatus::Running)
            }) && self.player.playback.as_ref().is_some_and(|p| p.playing);
        let due = self
            .player
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
            Msg::Key(key) if self.exploring.is_some() => self.exploring_key(key),
            Msg::Key(key) => self.key(key),
            Msg::Work(steps) => self.work_slice(steps),
            Msg::Frame => {
                if !self.too_small
                    && let Some(p) = self.player.playback.as_mut()
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
                    && let Some(p) = self.player.playback.as_mut()
                    && p.playing
                {
                    p.pause();
                    self.status = Some("paused: the terminal is too small to show it".into());
                }
                self.too_small = small;
            }
            Msg::Live(live) => self.live(live),
            Msg::Notice(text) => self.status = Some(sanitize::line(&text)),
            Msg::Exploring(progress) => {
                if self.exploring.is_some() {
                    self.status = Some(exploring_status(&progress));
                    self.exploring = Some(progress);
                }
            }
            Msg::Explored(result) => self.explored(result),
        }
        std::mem::take(&mut self.effects)
    }

    fn reloaded(&mut self, result: Result<Scenario, LoadError>) {
        // Work on the old file's playback does not go on in the new one.
        self.work = None;
        match result {
            Ok(s) => {
                self.files.watch_error = None;
                let pos = self.player.playback.as_ref().map(|p| p.script_position());
                let branch = match self.player.playback.as_mut() {
                    Some(p) => p.reload(s.clone()),
                    None => {
                        self.player.playback = Some(Playback::new(s.clone()));
                        Reloaded::NoBranch
                    }
                };
                self.picker.scenarios = vec![s];
                self.player.transition = None;
                self.popup = None;
                self.screen = Screen::Player;
                if branch != Reloaded::BranchKept {
                    self.files.saved_branch = None;
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
                self.files.watch_error = Some(sanitize::line(&e.to_string()));
                // The status line agrees with the banner rather than keeping an older
                // "reloaded" message.
                self.status = Some(if self.player.playback.is_some() {
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
            let reply = popup.key(&self.player, command, key);
            self.popup = Some(popup);
            self.reply(reply);
            return;
        }
        if context == Context::Quiz
            && let Some(p) = self.player.playback.as_mut()
            && quiz::digit(p, key)
        {
            return;
        }
        if context == Context::Search {
            match binding.map(|b| b.command) {
                Some(Command::Confirm) => self.status = self.player.run_search(self.prefs.theme),
                Some(Command::Close) => {
                    self.player.searching = false;
                    self.player.search = None;
                }
                _ => {
                    if let Some(search) = self.player.search.as_mut() {
                        let _ = search.query.key(key, 200, |_| true);
                    }
                }
            }
            return;
        }
        if context == Context::Filter {
            self.picker.filter_key(binding.map(|b| b.command), key);
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
                    if let Some(p) = self.player.playback.as_mut()
                        && quiz::confirm(p) == quiz::QuizReply::PlayStep
                    {
                        self.step_forward();
                    }
                    return;
                }
                Command::SkipQuiz => {
                    if let Some(p) = self.player.playback.as_mut() {
                        p.skip_quiz();
                    }
                    self.step_forward();
                    return;
                }
                Command::Close | Command::Quit => {
                    // Esc (or q) on a question: stay paused before the step, unanswered (it is
                    // asked again); Esc on a revealed answer: close it, the step waits.
                    if let Some(p) = self.player.playback.as_mut() {
                        p.close_quiz();
                        p.dismiss_quiz();
                    }
                    return;
                }
                _ => {}
            }
        }
        if context == Context::Picker {
            match self.picker.key(binding.command) {
                PickerReply::Done => {}
                PickerReply::Open(i) => self.open(i),
                PickerReply::ShowBroken(file, error) => self.message(
                    &format!("{file} does not load"),
                    &error.lines().map(str::to_string).collect::<Vec<_>>(),
                ),
                PickerReply::Command(other) => self.command(other),
            }
            return;
        }
        self.command(binding.command);
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
            Reply::Play(actions) if actions.is_empty() => {
                self.popup = None;
                self.status =
                    Some("the state on screen already shows it: no action to play".into());
            }
            Reply::Play(actions) => {
                self.popup = None;
                self.guarded(Pending::Play(actions));
            }
            Reply::Flip => {
                self.popup = None;
                self.flip_reading();
            }
            Reply::Undo => {
                self.popup = None;
                if let Some(p) = self.player.playback.as_mut() {
                    p.pause();
                    p.step_back();
                    p.drop_unplayed_branch();
                }
                self.player.settle();
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
                let Some(p) = &self.player.playback else {
                    return;
                };
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
                .player
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
        let Some(p) = &self.player.playback else {
            return false;
        };
        let Some((start, len)) = p.branch_recorded() else {
            return false;
        };
        let cursor = p.timeline().cursor();
        match pending {
            // Acting replaces whatever is recorded after the cursor.
            Pending::Act(_) | Pending::Play(_) => cursor < start + len,
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
            Pending::Play(actions) => {
                for action in actions {
                    self.act(action);
                }
            }
        }
        if let Some(p) = self.player.playback.as_mut() {
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
                if let Some(action) = self.player.cart_action(command) {
                    self.guarded(Pending::Act(action));
                }
            }
            keys::OnBranch::Keeps => self.command_now(command),
        }
    }

    /// Does a command, asking nothing.
    fn command_now(&mut self, command: Command) {
        match command {
            Command::Quit => self.quit = true,
            Command::Help => self.popup = Some(Popup::Help(Help::default())),
            Command::Close => self.popup = None,
            Command::Confirm | Command::Undo | Command::SaveFirst | Command::Discard => {}
            Command::Up | Command::Down => self.player.move_selection(command == Command::Up),
            Command::More
            | Command::Less
            | Command::PageUp
            | Command::PageDown
            | Command::Filter => {}
            Command::PlayPause => {
                let now = self.now;
                if let Some(p) = self.player.playback.as_mut() {
                    p.toggle_play(now);
                }
                let _ = self.update(Msg::Frame);
            }
            Command::StepForward => self.step_forward(),
            Command::StepBack => {
                if let Some(p) = self.player.playback.as_mut() {
                    p.pause();
                    p.step_back();
                }
                self.player.settle();
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
                self.prefs.theme = self.prefs.theme.with(self.prefs.theme.palette.next());
                self.status = Some(format!("palette: {}", self.prefs.theme.palette.name()));
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
            Command::Zoom => self.player.zoom = !self.player.zoom,
            Command::CollapseFinished => {
                self.player.collapse_finished = !self.player.collapse_finished;
                self.status = Some(if self.player.collapse_finished {
                    "finished operations collapsed to one line each; o shows them in full".into()
                } else {
                    "every operation shown in full".into()
                });
            }
            Command::Timeline => {
                if let Some(p) = &self.player.playback {
                    self.popup = Some(Popup::Timeline(super::popup::timeline::Timeline {
                        index: p.script_position(),
                    }));
                }
            }
            Command::Projector => {
                self.prefs.projector = !self.prefs.projector;
                self.keep_settings();
            }
            Command::SkipQuiz => {}
            Command::ActAs => self.status = self.player.next_actor(),
            Command::Explore => self.explore_here(),
            Command::Search => self.player.start_search(),
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
                if let Some(p) = &self.player.playback {
                    let lines = super::network::lines(self.prefs.theme, p);
                    let mut text = Text::new("Network: every REST call, script and branch", lines);
                    // A body's wrapped fields hang under its first field.
                    text.indent = super::network::HANGING;
                    // Opened on the newest calls.
                    text.scroll = u16::MAX;
                    self.popup = Some(Popup::Text(text));
                }
            }
            Command::PlaceOrder
            | Command::DeleteCheckout
            | Command::NextField
            | Command::FlipReading => {}
            Command::NextMatch => self.status = self.player.go_to_match(self.prefs.theme, true),
            Command::PrevMatch => self.status = self.player.go_to_match(self.prefs.theme, false),
            Command::RecordLog => self.status = Some(self.player.record_log(self.prefs.theme)),
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
            Command::FocusNext => self.player.focus = self.player.focus.next(),
            Command::FocusPrev => self.player.focus = self.player.focus.prev(),
            Command::LogUp => {
                self.player.log_scroll = self.player.log_scroll.saturating_add(5);
                self.player.log_mark = None;
            }
            Command::LogDown => {
                self.player.log_scroll = self.player.log_scroll.saturating_sub(5);
                self.player.log_mark = None;
            }
            Command::StartCheckout
            | Command::Cancel
            | Command::Continue
            | Command::FailOperation
            | Command::Settle
            | Command::AdvanceTick => {
                if let Some(action) = self.player.cart_action(command) {
                    self.act(action);
                }
            }
            Command::AddToCart => {
                let Some(cart) = self.selected_cart() else {
                    return;
                };
                if self.world().is_some_and(|w| !w.products().is_empty()) {
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
                    let lines = super::world::lines(self.prefs.theme, world);
                    self.popup = Some(Popup::Text(Text::new(
                        "The world: who may do what, where",
                        lines,
                    )));
                }
            }
            Command::Narration => {
                let lines = super::log::narration(&self.player, self.prefs.theme);
                self.popup = Some(Popup::Text(Text::new("Narration", lines)));
            }
            Command::ReturnToScript => {
                self.with_playback(|p| p.return_to_script());
                self.player.settle();
                self.status = Some("back on the script, at the step where you left it".into());
            }
            Command::Save => self.open_save(None),
            Command::Picker => {
                self.screen = Screen::Picker;
                self.player.playback = None;
                self.player.transition = None;
                self.files.saved_branch = None;
            }
        }
    }

    /// Opens the save dialog on a free name in the default folder (the name is found
    /// by the run loop: [`Effect::FreeName`]). Nothing played: nothing to save, said so.
    fn open_save(&mut self, then: Option<Pending>) {
        if self
            .player
            .playback
            .as_ref()
            .is_none_or(|p| p.played().is_empty())
        {
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
                self.files.saved_branch = self.player.branch_key();
                let steps = self
                    .player
                    .playback
                    .as_ref()
                    .map_or(0, |p| p.played().len());
                let [what, replay] = Files::saved_lines(&path, steps);
                self.message("Saved", &[what.clone(), replay.clone()]);
                if let Some(pending) = then {
                    self.popup = None;
                    let shown = sanitize::line(&path.display().to_string());
                    self.status = Some(format!("saved {shown}"));
                    if pending == Pending::Command(Command::Quit) {
                        // The screen goes with the UI: say it again on the terminal.
                        self.files.farewell = vec![format!("saved {what}"), replay];
                    }
                    self.run_pending(pending);
                }
            }
            Err(failure) if failure.exists => save.confirm_overwrite = true,
            Err(failure) => save.problem = Some(format!("not saved: {}", failure.message)),
        }
    }

    fn with_playback(&mut self, f: impl FnOnce(&mut Playback)) {
        if let Some(p) = self.player.playback.as_mut() {
            f(p);
        }
    }

    /// A jump (home, end, chapters): instant, no animation.
    fn jump(&mut self, f: impl FnOnce(&mut Playback)) {
        self.with_playback(f);
        self.player.settle();
        if let Some(p) = &self.player.playback
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
        let before = self.player.playback.as_ref().map(|p| p.script_position());
        if command == Command::NextChapter {
            self.jump(|p| p.next_chapter());
        } else {
            self.jump(|p| p.prev_chapter());
        }
        if self.status.is_some() {
            return;
        }
        let Some(p) = &self.player.playback else {
            return;
        };
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
        let Some(p) = self.player.playback.as_mut() else {
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
                self.player.transition = None;
                self.status = Some(work_status(work, done, total));
            }
        }
    }

    /// Plays a slice of the work under way, at most `steps` steps.
    fn work_slice(&mut self, steps: usize) {
        use super::work::Work;
        let (Some(work), Some(p)) = (self.work, self.player.playback.as_mut()) else {
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

    /// `cartsim explore FILE --open`: the state after the script's first `at` steps,
    /// with the findings of exploring from there listed (Enter plays one as a branch).
    pub fn show_findings(&mut self, at: usize, explored: super::explore_job::Explored) {
        self.jump(|p| p.goto(at));
        self.exploring = Some(crate::explore::Progress::default());
        self.explored(Ok(explored));
    }

    /// `X`: explore every sequence of buyer actions from the world on screen.
    fn explore_here(&mut self) {
        let Some(p) = self.player.playback.as_mut() else {
            return;
        };
        p.pause();
        let request = super::explore_job::Request::new(p.world().clone());
        self.player.transition = None;
        let progress = crate::explore::Progress::default();
        self.status = Some(exploring_status(&progress));
        self.exploring = Some(progress);
        self.effects.push(Effect::Explore(Box::new(request)));
    }

    /// A key while an exploration runs: Esc or Ctrl-C stops it (it reports what it
    /// found so far); the others are dropped.
    fn exploring_key(&mut self, key: KeyEvent) {
        if super::loading::stops(&key) {
            self.status = Some("stopping the exploration…".into());
            self.effects.push(Effect::StopExplore);
        }
    }

    /// The exploration ended: its findings in a list to play, or a line saying none.
    fn explored(&mut self, result: Result<super::explore_job::Explored, String>) {
        if self.exploring.take().is_none() {
            return;
        }
        match result {
            Err(why) => {
                self.status = Some(sanitize::line(&format!("cannot explore from here: {why}")))
            }
            Ok(e) if e.lessons.is_empty() => {
                self.status = Some(sanitize::line(&format!(
                    "explored from here: no anomaly within {} actions; {}",
                    crate::explore::DEFAULT_DEPTH,
                    e.summary
                )))
            }
            Ok(e) => {
                self.status = None;
                self.popup = Some(Popup::Findings(super::popup::findings::Findings::new(
                    e.lessons, e.summary,
                )))
            }
        }
    }

    /// A key while work runs: Esc or Ctrl-C stops it where it got to.
    fn busy_key(&mut self, key: KeyEvent) {
        if super::loading::stops(&key) {
            if let (Some(work), Some(p)) = (self.work.take(), self.player.playback.as_ref()) {
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
        let Some(p) = self.player.playback.as_mut() else {
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
            self.player.follow_cart();
        }
    }

    fn after_step_inner(&mut self, before: World, result: StepResult) {
        let Some(p) = self.player.playback.as_mut() else {
            return;
        };
        match result {
            StepResult::Played => {
                let entry = p.last().cloned();
                if let Some(entry) = entry {
                    self.player.transition = Some(Transition {
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
                        && let Some(i) = p.world().carts().iter().position(|c| c.id == cart)
                    {
                        self.player.cart_sel = i;
                    }
                }
                self.player.log_scroll = 0;
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
                let name = p.scenario().steps[i]
                    .marker()
                    .unwrap_or_default()
                    .to_string();
                self.status = Some(format!(
                    "presenter mode: paused before chapter \"{name}\"; space plays on"
                ));
            }
        }
    }

    /// The refusal's `F`: step back over the refused step, switch the store setting its
    /// reading names to the other value (set_setting, off script), and act again.
    fn flip_reading(&mut self) {
        let Some(p) = self.player.playback.as_ref() else {
            return;
        };
        let Some(entry) = p.played().last() else {
            return;
        };
        let (action, error) = match &entry.outcome.result {
            Err(e) => (Action::clone(&entry.action), e.clone()),
            Ok(()) => return,
        };
        let Some((key, label)) = super::popup::refusal::flip_of(&self.player, &error) else {
            return;
        };
        let Some(store) = action
            .cart()
            .and_then(|c| self.world()?.store_of_cart(c))
            .map(|s| s.id)
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
        if let Some(p) = self.player.playback.as_mut() {
            p.pause();
            p.step_back();
            p.drop_unplayed_branch();
        }
        self.act(Action::SetSetting {
            store: store.to_string(),
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
            && let Some(who) = action.cart().and_then(|c| self.player.actor_of(c))
        {
            action.set_actor(&who);
        }
        let Some(p) = self.player.playback.as_mut() else {
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
        let Some(p) = self.player.playback.as_mut() else {
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
                self.files.saved_branch = self.player.branch_key();
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
/// The status line while an exploration runs.
fn exploring_status(p: &crate::explore::Progress) -> String {
    format!(
        "exploring from here: {} states, depth {}, frontier {}, {:.0} states/s · Esc stops",
        p.states,
        p.depth,
        p.frontier,
        p.states_per_second()
    )
}

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
