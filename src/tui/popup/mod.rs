//! Popups over the screen, each drawn on a [`Clear`], each in its own module with its
//! state, its key handling and its drawing (as gitui's components and the ratatui
//! component template do): [`help`], [`refusal`], [`add_to_cart`], [`world_menu`],
//! [`save`], [`confirm`], [`quiz`], [`text`] (messages, the world, the narration, the
//! network view), [`timeline`], [`rest_form`].
//!
//! A popup never changes the rest of the UI itself: its `key` returns a [`Reply`] and
//! [`App`] acts on it. This module also draws the watch-mode banner.

pub mod add_to_cart;
pub mod confirm;
pub mod findings;
pub mod help;
pub mod quiz;
pub mod refusal;
pub mod rest_form;
pub mod save;
pub mod text;
pub mod timeline;
pub mod world_menu;

use super::app::App;
use super::keys::{Command, Context};
use super::player_view::PlayerView;
use super::prefs::Preferences;
use super::theme::Theme;
use crate::engine::Action;
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

/// An open popup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Popup {
    /// The key help.
    Help(help::Help),
    /// A refused action.
    Refusal(refusal::Refusal),
    /// Add to cart: product and quantity.
    AddToCart(add_to_cart::AddToCart),
    /// The world-edit menu.
    WorldMenu(world_menu::WorldMenu),
    /// Save what was played as a scenario file.
    Save(save::Save),
    /// The question before discarding an unsaved branch.
    Confirm(confirm::Confirm),
    /// Text to read: a message, the world, the narration.
    Text(text::Text),
    /// The steps of the script, to jump to one.
    Timeline(timeline::Timeline),
    /// A REST call's form (PATCH, pay) on an LWR cart.
    RestForm(rest_form::RestForm),
    /// What `X` found from the moment on screen.
    Findings(findings::Findings),
}

/// What a popup asks of the app after a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// Stay open (its state may have changed).
    Keep,
    /// Close.
    Close,
    /// Close and apply this action off script.
    Act(Action),
    /// Close and step back over the refused step.
    Undo,
    /// Close and do what was pending; `save_first` opens the save dialog before.
    Proceed {
        /// Save the branch first.
        save_first: bool,
    },
    /// Close and jump to the state after this many script steps.
    Jump(usize),
    /// Close and play these actions from here, as a branch (a finding of `X`).
    Play(Vec<Action>),
    /// Close, step back over the refused step, switch the setting of its reading to
    /// the other value, and try the same action again.
    Flip,
    /// Write the scenario file here (the app builds the text).
    Save {
        /// Where.
        path: std::path::PathBuf,
        /// Replace an existing file.
        overwrite: bool,
    },
}

impl Popup {
    /// The key context of the popup (what the key bar and the help show for it).
    pub fn context(&self) -> Context {
        match self {
            Popup::Help(_) => Context::Help,
            Popup::Refusal(_) => Context::Refusal,
            Popup::AddToCart(_) => Context::AddToCart,
            Popup::WorldMenu(_) => Context::Menu,
            Popup::Save(_) => Context::Save,
            Popup::Confirm(_) => Context::Confirm,
            Popup::Text(_) => Context::Popup,
            Popup::Timeline(_) => Context::Menu,
            Popup::RestForm(_) => Context::Form,
            Popup::Findings(_) => Context::Menu,
        }
    }

    /// Handles a key: `command` is what the key table says the key means in this
    /// popup's context (`None` when it means nothing there; text fields still see it).
    pub fn key(&mut self, view: &PlayerView, command: Option<Command>, key: KeyEvent) -> Reply {
        if command == Some(Command::Close) {
            return Reply::Close;
        }
        match self {
            Popup::Help(p) => p.key(command),
            Popup::Refusal(p) => p.key(view, command),
            Popup::AddToCart(p) => p.key(view, command, key),
            Popup::WorldMenu(p) => p.key(view, command),
            Popup::Save(p) => p.key(command, key),
            Popup::Confirm(p) => p.key(command),
            Popup::Text(p) => p.key(command),
            Popup::Timeline(p) => p.key(view, command),
            Popup::RestForm(p) => p.key(command, key),
            Popup::Findings(p) => p.key(command),
        }
    }

    /// Draws the popup; each reads only the part of the UI it shows (the preferences
    /// for its theme, the player view for the world).
    pub fn draw(&self, frame: &mut Frame, area: Rect, view: &PlayerView, prefs: &Preferences) {
        match self {
            Popup::Help(p) => p.draw(frame, area, prefs),
            Popup::Refusal(p) => p.draw(frame, area, view, prefs),
            Popup::AddToCart(p) => p.draw(frame, area, view, prefs),
            Popup::WorldMenu(p) => p.draw(frame, area, view, prefs),
            Popup::Save(p) => p.draw(frame, area, prefs),
            Popup::Confirm(p) => p.draw(frame, area, prefs),
            Popup::Text(p) => p.draw(frame, area, prefs),
            Popup::Timeline(p) => p.draw(frame, area, view, prefs),
            Popup::RestForm(p) => p.draw(frame, area, view, prefs),
            Popup::Findings(p) => p.draw(frame, area, view, prefs),
        }
    }
}

/// Draws whatever popup is open (and the watch-mode banner, and an open quiz).
pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    if let Some(e) = &app.files.watch_error
        && app.screen == super::app::Screen::Player
    {
        banner(frame, area, app.prefs.theme, e);
    }
    match &app.popup {
        Some(popup) => popup.draw(frame, area, &app.player, &app.prefs),
        None => {
            if let Some(p) = &app.player.playback
                && let Some(state) = p.quiz()
            {
                quiz::draw(frame, area, &app.player, &app.prefs, state);
            }
        }
    }
}

/// A dim hint line.
pub(crate) fn hint(t: Theme, text: &str) -> Line<'static> {
    Line::styled(text.to_string(), t.dim())
}

/// A centred box `width` columns wide (at most the screen), as tall as its text.
pub(crate) fn boxed(
    frame: &mut Frame,
    area: Rect,
    t: Theme,
    title: &str,
    text: Vec<Line>,
    width: u16,
    border: Style,
) {
    let width = width.min(area.width.saturating_sub(4)).max(20);
    let inner_width = width.saturating_sub(2).max(1) as usize;
    let rows: usize = text
        .iter()
        .map(|l| l.width().max(1).div_ceil(inner_width))
        .sum();
    let height = (rows as u16 + 2).min(area.height.saturating_sub(2)).max(3);
    let rect = Rect {
        x: area.x + (area.width.saturating_sub(width)) / 2,
        y: area.y + (area.height.saturating_sub(height)) / 2,
        width,
        height,
    };
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .title(Span::styled(format!(" {title} "), t.title()))
        .border_style(border);
    frame.render_widget(
        Paragraph::new(text).wrap(Wrap { trim: false }).block(block),
        rect,
    );
}

/// A scrolling box: most of the screen, the text scrolled by `scroll` lines (clamped so
/// the last page stays full), with `▲ n more` / `▼ n more` marks in the bottom border
/// when text is hidden. Records the largest useful scroll and the page height in
/// `limits`, so that the popup's keys clamp to what is on screen. Wrapped lines continue
/// `indent` columns in (the help's text column, a body's first field).
pub(crate) fn scrolled_indented(
    frame: &mut Frame,
    area: Rect,
    t: Theme,
    (title, indent): (&str, usize),
    text: Vec<Line<'static>>,
    scroll: u16,
    limits: &Limits,
) {
    let width = 100.min(area.width.saturating_sub(4));
    let inner_width = width.saturating_sub(2).max(1) as usize;
    // Pre-wrap so that the count of rows is exact and the scroll clamps right.
    let rows: Vec<Line<'static>> = text
        .into_iter()
        .flat_map(|l| super::log::wrap(l, inner_width, indent))
        .collect();
    let height = (rows.len() as u16 + 2)
        .min(area.height.saturating_sub(4))
        .max(3);
    let rect = Rect {
        x: area.x + (area.width.saturating_sub(width)) / 2,
        y: area.y + (area.height.saturating_sub(height)) / 2,
        width,
        height,
    };
    let page = height.saturating_sub(2);
    let max = (rows.len() as u16).saturating_sub(page);
    limits.max.set(max);
    limits.page.set(page.max(1));
    let scroll = scroll.min(max);
    let mut marks = Vec::new();
    if scroll > 0 {
        marks.push(format!("▲ {scroll} more"));
    }
    if scroll < max {
        marks.push(format!("▼ {} more (PgDn)", max - scroll));
    }
    frame.render_widget(Clear, rect);
    let mut block = Block::bordered()
        .title(Span::styled(format!(" {title} "), t.title()))
        .border_style(t.focus_border());
    if !marks.is_empty() {
        block = block.title_bottom(Span::styled(format!(" {} ", marks.join(" · ")), t.key()));
    }
    frame.render_widget(Paragraph::new(rows).scroll((scroll, 0)).block(block), rect);
}

/// What the last drawing of a scrolling popup measured: the largest useful scroll and the
/// page height. Until the first drawing, nothing limits the scroll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    max: std::cell::Cell<u16>,
    page: std::cell::Cell<u16>,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max: std::cell::Cell::new(u16::MAX),
            page: std::cell::Cell::new(10),
        }
    }
}

impl Limits {
    /// Applies a scroll command to `scroll`: a line or a page, up or down, clamped.
    pub fn apply(&self, scroll: &mut u16, command: Option<Command>) {
        let page = self.page.get().saturating_sub(1).max(1);
        *scroll = match command {
            Some(Command::Up) => scroll.saturating_sub(1),
            Some(Command::Down) => scroll.saturating_add(1),
            Some(Command::PageUp) => scroll.saturating_sub(page),
            Some(Command::PageDown) => scroll.saturating_add(page),
            Some(Command::Home) => 0,
            Some(Command::End) => u16::MAX,
            _ => *scroll,
        }
        .min(self.max.get());
    }
}

/// A labelled row whose value wraps with a hanging indent under itself.
pub(crate) fn row(
    t: Theme,
    width: usize,
    label: &str,
    value: &str,
    style: Style,
) -> Vec<Line<'static>> {
    const INDENT: usize = 9;
    let room = width.saturating_sub(INDENT).max(10);
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in value.split(' ') {
        let len = current.chars().count();
        if len > 0 && len + 1 + word.chars().count() > room {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    lines.push(current);
    lines
        .into_iter()
        .enumerate()
        .map(|(i, text)| {
            let head = if i == 0 {
                format!("{label:<INDENT$}")
            } else {
                " ".repeat(INDENT)
            };
            Line::from(vec![
                Span::styled(head, t.label()),
                Span::styled(text, style),
            ])
        })
        .collect()
}

/// Moves `v` one up or down in a list of `len` items.
pub(crate) fn step(v: &mut usize, len: usize, up: bool) {
    if len == 0 {
        *v = 0;
    } else if up {
        *v = v.saturating_sub(1).min(len - 1);
    } else {
        *v = (*v + 1).min(len - 1);
    }
}

/// Moves `v` in a list of `len` items as a menu key says (↑↓ one, PgUp/PgDn ten,
/// Home/End to either end); returns whether the key was one of those.
pub(crate) fn choose(v: &mut usize, len: usize, command: Option<Command>) -> bool {
    let last = len.saturating_sub(1);
    *v = match command {
        Some(Command::Up) => v.saturating_sub(1),
        Some(Command::Down) => *v + 1,
        Some(Command::PageUp) => v.saturating_sub(10),
        Some(Command::PageDown) => *v + 10,
        Some(Command::Home) => 0,
        Some(Command::End) => last,
        _ => return false,
    }
    .min(last);
    true
}

fn banner(frame: &mut Frame, area: Rect, t: Theme, error: &str) {
    let text = format!("✖ the file no longer loads; still showing the last good version: {error}");
    // As tall as the whole message needs (at most half the screen): the error is the
    // point of the banner, so it is never cut.
    let line = Line::styled(text, t.error());
    let inner = area.width.saturating_sub(2).max(1) as usize;
    let rows = super::log::wrap(line.clone(), inner, 2).len() as u16;
    let rect = Rect {
        x: area.x,
        y: area.y + 2,
        width: area.width,
        height: (rows + 2).min(area.height / 2).max(3).min(area.height),
    };
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(super::log::wrap(line, inner, 2))
            .block(Block::bordered().border_style(t.error())),
        rect,
    );
}
