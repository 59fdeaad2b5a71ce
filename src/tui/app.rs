//! The UI's state and its one entry point for change, [`App::update`]. No terminal here:
//! key handling is tested on this state alone, and the view reads it.

use super::anim::{self, Transition};
use super::keys::{self, Command, Context};
use super::theme::Theme;
use crate::engine::{Action, ActionError, Permission, Quantity, World};
use crate::player::playback::{Playback, QuizState, StepResult};
use crate::scenario::{LoadError, Scenario, sanitize};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
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

/// A refusal to show in the error popup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorView {
    /// The action's title (`Cancel Cart Async Operation`).
    pub action: String,
    /// What it was asked (`cancel cart-1 as bob`).
    pub description: String,
    /// The refusal.
    pub error: ActionError,
}

/// An open popup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Popup {
    /// The key help.
    Help {
        /// Lines scrolled.
        scroll: u16,
    },
    /// A refused action.
    Error(ErrorView),
    /// Add to cart: product and quantity.
    AddToCart {
        /// Index into the world's products.
        product: usize,
        /// The quantity (0 and huge values are allowed, to provoke the refusals).
        quantity: i64,
        /// True once a digit was typed (digits then append).
        typed: bool,
    },
    /// The world-edit menu.
    Menu {
        /// The highlighted item.
        index: usize,
    },
    /// Save what was played as a scenario file.
    Save {
        /// The file name (editable).
        name: String,
        /// The file exists: asking before overwriting.
        confirm_overwrite: bool,
    },
    /// A message (saved, nothing to do, ...).
    Message {
        /// Title.
        title: String,
        /// Lines (sanitized).
        lines: Vec<String>,
    },
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
    /// Where `w` saves files.
    pub save_dir: PathBuf,
    /// Watch mode: the file watched.
    pub watching: Option<String>,
    /// Watch mode: the last load error (sanitized), shown in a banner.
    pub watch_error: Option<String>,
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
        app.update(Msg::Reloaded(Box::new(first)));
        app
    }

    /// Opens scenario `index` in the player, at its start.
    pub fn open(&mut self, index: usize) {
        let Some(s) = self.scenarios.get(index) else {
            return;
        };
        self.playback = Some(Playback::new(s.clone()));
        self.screen = Screen::Player;
        self.focus = Focus::Carts;
        self.cart_sel = 0;
        self.session_sel = 0;
        self.op_sel = 0;
        self.log_scroll = 0;
        self.transition = None;
        self.popup = None;
        self.status = None;
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

    /// The context that decides what keys do now.
    pub fn context(&self) -> Context {
        match &self.popup {
            Some(Popup::AddToCart { .. }) => Context::AddToCart,
            Some(Popup::Menu { .. }) => Context::Menu,
            Some(Popup::Save { .. }) => Context::Save,
            Some(_) => Context::Popup,
            None => match self.screen {
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
            Command::PlayPause
            | Command::StepForward
            | Command::StepBack
            | Command::Save
            | Command::AdvanceTick
            | Command::Faster
            | Command::PrevChapter => p.is_some(),
            _ => true,
        }
    }

    /// The world edits the menu offers for the selected cart's buyer, account and store.
    pub fn menu_items(&self) -> Vec<(String, Action)> {
        let mut items = Vec::new();
        let (Some(world), Some(cart)) = (self.world(), self.selected_cart()) else {
            return items;
        };
        let Some(cart) = world.cart(&cart) else {
            return items;
        };
        let Some(buyer) = world.buyer(&cart.buyer) else {
            return items;
        };
        for &permission in Permission::ALL {
            let (verb, action) = if buyer.has(permission) {
                (
                    "revoke",
                    Action::Revoke {
                        buyer: buyer.id.clone(),
                        permission,
                    },
                )
            } else {
                (
                    "grant",
                    Action::Grant {
                        buyer: buyer.id.clone(),
                        permission,
                    },
                )
            };
            items.push((format!("{verb} {permission} ({})", buyer.id), action));
        }
        for account in &world.accounts {
            if account.id != buyer.effective_account {
                let note = if buyer.accounts.contains(&account.id) {
                    ""
                } else {
                    ", one it may not act for"
                };
                items.push((
                    format!(
                        "switch {}'s effective account to {}{note}",
                        buyer.id, account.id
                    ),
                    Action::SwitchAccount {
                        buyer: buyer.id.clone(),
                        account: account.id.clone(),
                    },
                ));
            }
        }
        let mut accounts = vec![buyer.effective_account.clone()];
        if cart.account != buyer.effective_account {
            accounts.push(cart.account.clone());
        }
        for id in accounts {
            if let Some(account) = world.account(&id) {
                if account.stores.contains(&cart.store) {
                    items.push((
                        format!("{} leaves store {}", account.id, cart.store),
                        Action::LeaveStore {
                            account: account.id.clone(),
                            store: cart.store.clone(),
                        },
                    ));
                } else {
                    items.push((
                        format!("{} joins store {}", account.id, cart.store),
                        Action::JoinStore {
                            account: account.id.clone(),
                            store: cart.store.clone(),
                        },
                    ));
                }
            }
        }
        items
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

    /// The one place state changes.
    pub fn update(&mut self, msg: Msg) {
        match msg {
            Msg::Key(key) => self.key(key),
            Msg::Frame => {
                if let Some(p) = self.playback.as_mut() {
                    let before = p.world().clone();
                    if let Some(result) = p.tick(self.now) {
                        self.after_step(before, result);
                    }
                }
            }
            Msg::Reloaded(result) => self.reloaded(*result),
        }
    }

    fn reloaded(&mut self, result: Result<Scenario, LoadError>) {
        match result {
            Ok(s) => {
                self.watch_error = None;
                let pos = self.playback.as_ref().map(|p| p.script_position());
                match self.playback.as_mut() {
                    Some(p) => p.reload(s.clone()),
                    None => self.playback = Some(Playback::new(s.clone())),
                }
                self.scenarios = vec![s];
                self.transition = None;
                self.popup = None;
                self.screen = Screen::Player;
                self.status = Some(match pos {
                    Some(n) => format!("reloaded the file; back at step {n}"),
                    None => "loaded the file".to_string(),
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
        let context = self.context();
        let ctrl_c =
            key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl_c {
            self.quit = true;
            return;
        }
        self.status = None;
        // Keys that carry text or numbers, before the table.
        match (context, key.code) {
            (Context::Save, KeyCode::Char(ch))
                if !key.modifiers.contains(KeyModifiers::CONTROL) =>
            {
                self.save_type(ch);
                return;
            }
            (Context::Save, KeyCode::Backspace) => {
                if let Some(Popup::Save {
                    name,
                    confirm_overwrite,
                }) = &mut self.popup
                {
                    name.pop();
                    *confirm_overwrite = false;
                }
                return;
            }
            (Context::Quiz, KeyCode::Char(d @ '1'..='9')) => {
                if let Some(p) = self.playback.as_mut() {
                    p.answer(d as usize - '1' as usize);
                }
                return;
            }
            (Context::AddToCart, KeyCode::Char(d @ '0'..='9')) => {
                if let Some(Popup::AddToCart {
                    quantity, typed, ..
                }) = &mut self.popup
                {
                    let digit = i64::from(d as u8 - b'0');
                    *quantity = if *typed {
                        quantity
                            .saturating_mul(10)
                            .saturating_add(digit)
                            .min(99_999_999)
                    } else {
                        digit
                    };
                    *typed = true;
                }
                return;
            }
            _ => {}
        }
        let Some(binding) = keys::lookup(context, key) else {
            return;
        };
        if !self.available(binding.command) {
            return;
        }
        self.command(context, binding.command);
    }

    fn command(&mut self, context: Context, command: Command) {
        match command {
            Command::Quit => self.quit = true,
            Command::Help => self.popup = Some(Popup::Help { scroll: 0 }),
            Command::Close => {
                if context == Context::Quiz {
                    // Esc on a question: stay paused before the step, unanswered (it is
                    // asked again); Esc on a revealed answer: close it, the step waits.
                    if let Some(p) = self.playback.as_mut() {
                        p.close_quiz();
                        p.dismiss_quiz();
                    }
                }
                self.popup = None;
            }
            Command::Confirm => self.confirm(context),
            Command::Up | Command::Down => self.move_selection(context, command == Command::Up),
            Command::More | Command::Less => {
                if let Some(Popup::AddToCart {
                    quantity, typed, ..
                }) = &mut self.popup
                {
                    let delta = if command == Command::More { 1 } else { -1 };
                    *quantity = (*quantity + delta).clamp(0, 99_999_999);
                    *typed = false;
                }
            }
            Command::PlayPause => {
                let now = self.now;
                if let Some(p) = self.playback.as_mut() {
                    p.toggle_play(now);
                }
                self.update(Msg::Frame);
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
            Command::Faster => self.with_playback(|p| p.speed_up()),
            Command::Slower => self.with_playback(|p| p.slow_down()),
            Command::Home => self.jump(|p| p.home()),
            Command::End => self.jump(|p| p.end()),
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
            }
            Command::FocusNext => self.focus = self.focus.next(),
            Command::FocusPrev => self.focus = self.focus.prev(),
            Command::LogUp => self.log_scroll = self.log_scroll.saturating_add(5),
            Command::LogDown => self.log_scroll = self.log_scroll.saturating_sub(5),
            // On a cart of an lwr store, `s` is the REST start (PUT) and `c` the poll (GET).
            Command::StartCheckout => self.act_on_cart(|cart, lwr| {
                if lwr {
                    Action::CheckoutStart { cart, actor: None }
                } else {
                    Action::StartCheckout { cart, actor: None }
                }
            }),
            Command::Cancel => self.act_on_cart(|cart, _| Action::Cancel { cart, actor: None }),
            Command::Continue => self.act_on_cart(|cart, lwr| {
                if lwr {
                    Action::CheckoutPoll { cart, actor: None }
                } else {
                    Action::Continue { cart, actor: None }
                }
            }),
            Command::FailOperation => self.act_on_cart(|cart, _| Action::FailOperation {
                cart,
                message: "failure injected from the cartsim UI".into(),
            }),
            Command::AdvanceTick => self.act(Action::Wait { ticks: 1 }),
            Command::AddToCart => {
                if self.world().is_some_and(|w| !w.products.is_empty()) {
                    self.popup = Some(Popup::AddToCart {
                        product: 0,
                        quantity: 1,
                        typed: false,
                    });
                } else {
                    self.message("Add to cart", vec!["this world has no products".into()]);
                }
            }
            Command::WorldMenu => self.popup = Some(Popup::Menu { index: 0 }),
            Command::ReturnToScript => {
                self.with_playback(|p| p.return_to_script());
                self.transition = None;
                self.log_scroll = 0;
                self.status = Some("back on the script, at the step where you left it".into());
            }
            Command::Save => {
                let name = free_name(&self.save_dir);
                self.popup = Some(Popup::Save {
                    name,
                    confirm_overwrite: false,
                });
            }
            Command::Picker => {
                self.screen = Screen::Picker;
                self.playback = None;
                self.transition = None;
            }
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
                        self.popup = Some(Popup::Error(ErrorView {
                            action: entry.action.title().to_string(),
                            description: crate::player::describe(
                                &before,
                                entry.kind,
                                &entry.action,
                            ),
                            error: error.clone(),
                        }));
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
                    "presenter mode: paused at chapter \"{name}\"; space plays on"
                ));
            }
        }
    }

    /// Acts on the selected cart; `make` is told whether its store is an `lwr` store.
    fn act_on_cart(&mut self, make: impl FnOnce(String, bool) -> Action) {
        if let Some(cart) = self.selected_cart() {
            let lwr = self.world().is_some_and(|w| {
                w.store_of_cart(&cart)
                    .is_some_and(|s| s.settings.template == crate::engine::Template::Lwr)
            });
            self.act(make(cart, lwr));
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

    fn message(&mut self, title: &str, lines: Vec<String>) {
        self.popup = Some(Popup::Message {
            title: title.to_string(),
            lines: lines.iter().map(|l| sanitize::line(l)).collect(),
        });
    }

    fn confirm(&mut self, context: Context) {
        match context {
            Context::Picker if !self.scenarios.is_empty() => {
                self.open(self.picker.min(self.scenarios.len() - 1));
            }
            Context::AddToCart => {
                let Some(Popup::AddToCart {
                    product, quantity, ..
                }) = self.popup.clone()
                else {
                    return;
                };
                let Some(sku) = self
                    .world()
                    .and_then(|w| w.products.get(product))
                    .map(|p| p.sku.clone())
                else {
                    return;
                };
                self.act_on_cart(|cart, _| Action::AddToCart {
                    cart,
                    sku,
                    quantity: Quantity::Whole(quantity),
                    actor: None,
                });
            }
            Context::Menu => {
                let Some(Popup::Menu { index }) = self.popup.clone() else {
                    return;
                };
                if let Some((_, action)) = self.menu_items().into_iter().nth(index) {
                    self.act(action);
                }
            }
            Context::Quiz => {
                let Some(p) = self.playback.as_mut() else {
                    return;
                };
                if let Some(QuizState::Revealed { .. }) = p.quiz() {
                    p.close_quiz();
                    // The answer is out: play the step it was about.
                    self.step_forward();
                }
            }
            Context::Save => self.save(),
            Context::Popup => self.popup = None,
            _ => {}
        }
    }

    fn save_type(&mut self, ch: char) {
        let Some(Popup::Save {
            name,
            confirm_overwrite,
        }) = &mut self.popup
        else {
            return;
        };
        if *confirm_overwrite {
            match ch {
                'y' | 'Y' => {
                    *confirm_overwrite = false;
                    self.write_file(true);
                }
                'n' | 'N' => *confirm_overwrite = false,
                _ => {}
            }
            return;
        }
        // File names only: no path separators, no control characters.
        if !ch.is_control() && ch != '/' && ch != '\\' && name.chars().count() < 60 {
            name.push(ch);
        }
    }

    fn save(&mut self) {
        let Some(Popup::Save {
            name,
            confirm_overwrite,
        }) = &mut self.popup
        else {
            return;
        };
        if name.trim().is_empty() {
            return;
        }
        if *confirm_overwrite {
            return;
        }
        if std::fs::symlink_metadata(self.save_dir.join(name.as_str())).is_ok() {
            *confirm_overwrite = true;
            return;
        }
        self.write_file(false);
    }

    fn write_file(&mut self, overwrite: bool) {
        let (Some(Popup::Save { name, .. }), Some(p)) = (&self.popup, &self.playback) else {
            return;
        };
        let path = self.save_dir.join(name);
        let title = format!("{} (what if)", p.scenario().title);
        let text = serde_json::to_string_pretty(&p.export(&title)).unwrap_or_default() + "\n";
        // Atomic, and never through a symbolic link: the save folder's names only.
        let permit = crate::safe_write::Permit {
            overwrite,
            follow_symlinks: false,
        };
        let result = crate::safe_write::write(&path, text.as_bytes(), permit);
        let shown = sanitize::line(&path.display().to_string());
        match result {
            Ok(_) => {
                let steps = p.played().len();
                self.message(
                    "Saved",
                    vec![
                        format!("{shown}: {steps} steps, each with its expected result"),
                        format!("replay it with: cartsim run {shown}"),
                    ],
                );
            }
            Err(e) => self.message("Not saved", vec![e.to_string()]),
        }
    }

    fn move_selection(&mut self, context: Context, up: bool) {
        let step = |v: &mut usize, len: usize| {
            if len == 0 {
                *v = 0;
            } else if up {
                *v = v.saturating_sub(1).min(len - 1);
            } else {
                *v = (*v + 1).min(len - 1);
            }
        };
        match context {
            Context::Picker => {
                let len = self.scenarios.len();
                step(&mut self.picker, len);
            }
            Context::AddToCart => {
                let len = self.world().map_or(0, |w| w.products.len());
                if let Some(Popup::AddToCart { product, .. }) = &mut self.popup {
                    step(product, len);
                }
            }
            Context::Menu => {
                let len = self.menu_items().len();
                if let Some(Popup::Menu { index }) = &mut self.popup {
                    step(index, len);
                }
            }
            Context::Popup => {
                if let Some(Popup::Help { scroll }) = &mut self.popup {
                    *scroll = if up {
                        scroll.saturating_sub(1)
                    } else {
                        scroll.saturating_add(1).min(200)
                    };
                }
            }
            Context::Player => {
                let Some(world) = self.world() else {
                    return;
                };
                let (carts, sessions, ops) = (
                    world.carts.len(),
                    world.sessions.len(),
                    world.operations.len(),
                );
                match self.focus {
                    Focus::Carts => step(&mut self.cart_sel, carts),
                    Focus::Sessions => {
                        step(&mut self.session_sel, sessions);
                        self.follow_session();
                    }
                    Focus::Operations => {
                        step(&mut self.op_sel, ops);
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
            _ => {}
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

/// The first `cartsim-branch-N.json` that does not exist in `dir`.
pub fn free_name(dir: &std::path::Path) -> String {
    (1..)
        .map(|n| format!("cartsim-branch-{n}.json"))
        .find(|name| std::fs::symlink_metadata(dir.join(name)).is_err())
        .unwrap_or_else(|| "cartsim-branch.json".to_string())
}

/// The text of a refusal, for the log: the same wording as the transcripts.
pub fn error_text(error: &ActionError) -> Vec<String> {
    crate::player::wording::error_lines(error)
}
