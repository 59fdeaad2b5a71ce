//! The scenario picker: its state (the scenarios, the highlight, the filter, the files
//! that did not load), its keys, and its drawing: titles on the left, the highlighted
//! scenario's summary on the right.

use super::app::App;
use super::field::Field;
use super::keybar;
use super::keys::Command;
use crate::scenario::{LoadError, Scenario};
use crate::text as sanitize;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

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

/// The picker's state.
#[derive(Debug, Clone, Default)]
pub struct Picker {
    /// The scenarios to pick from.
    pub scenarios: Vec<Scenario>,
    /// The highlighted entry: an index into [`Picker::scenarios`], or past them into
    /// [`Picker::broken`].
    pub selected: usize,
    /// The filter (case-insensitive, on title, file, tags and badges).
    pub filter: Field,
    /// The filter is being typed.
    pub filtering: bool,
    /// Files of the folder that did not load: listed, marked, with their errors
    /// readable.
    pub broken: Vec<Broken>,
}

/// What a picker key asks of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickerReply {
    /// Done here (the highlight moved, the filter changed).
    Done,
    /// Open scenario `i`.
    Open(usize),
    /// Show why a file does not load: (file, error).
    ShowBroken(String, String),
    /// Not a picker key: the app does the command.
    Command(Command),
}

impl Picker {
    /// A picker on these scenarios.
    pub fn new(scenarios: Vec<Scenario>) -> Picker {
        Picker {
            scenarios,
            ..Picker::default()
        }
    }

    /// A picker on a folder's load results, in the folder's order: the scenarios that
    /// loaded and the files that did not.
    pub fn with_broken(loaded: Vec<Result<Scenario, LoadError>>) -> Picker {
        let mut picker = Picker::default();
        for result in loaded {
            match result {
                Ok(s) => picker.scenarios.push(s),
                Err(e) => picker.broken.push(Broken {
                    file: sanitize::line(&e.file),
                    error: sanitize::paragraph(&e.to_string()),
                    after: picker.scenarios.len(),
                }),
            }
        }
        picker.selected = picker.listed().first().copied().unwrap_or(0);
        picker
    }

    /// How many entries there are to pick from, broken files included.
    pub fn len(&self) -> usize {
        self.scenarios.len() + self.broken.len()
    }

    /// True when there is nothing to pick.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// What the picker lists: those matching the filter, in the folder's order. An index
    /// below `scenarios.len()` is a scenario; one above is a broken file
    /// (`broken[i - scenarios.len()]`). The filter matches the title, the file, the tags
    /// and the badges (`quiz`, `lwr`, `aura`, `v2`).
    pub fn listed(&self) -> Vec<usize> {
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
            while let Some(b) = self.broken.get(broken_at).filter(|b| b.after <= i) {
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
                || badges(s).iter().any(|b| matches(b))
            {
                out.push(i);
            }
        }
        out
    }

    /// The highlight stays on a listed scenario when the filter changes.
    fn keep_visible(&mut self) {
        let listed = self.listed();
        if !listed.contains(&self.selected)
            && let Some(&first) = listed.first()
        {
            self.selected = first;
        }
    }

    /// A key typed into the filter: Enter keeps it, Esc clears it, the rest edit it.
    pub fn filter_key(&mut self, command: Option<Command>, key: crossterm::event::KeyEvent) {
        match command {
            Some(Command::Confirm) => self.filtering = false,
            Some(Command::Close) => {
                self.filter.set("");
                self.filtering = false;
            }
            _ => {
                let _ = self.filter.key(key, 200, |_| true);
            }
        }
        self.keep_visible();
    }

    /// A key of the picker: move (line, page, ends), filter, open.
    pub fn key(&mut self, command: Command) -> PickerReply {
        let listed = self.listed();
        let at = listed.iter().position(|i| *i == self.selected).unwrap_or(0);
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
                return PickerReply::Done;
            }
            Command::Confirm => {
                return match listed.get(at) {
                    Some(&i) if i >= self.scenarios.len() => {
                        match self.broken.get(i - self.scenarios.len()) {
                            Some(b) => PickerReply::ShowBroken(b.file.clone(), b.error.clone()),
                            None => PickerReply::Done,
                        }
                    }
                    Some(&i) => PickerReply::Open(i),
                    None => PickerReply::Done,
                };
            }
            Command::Close => {
                self.filter.set("");
                return PickerReply::Done;
            }
            other => return PickerReply::Command(other),
        };
        if let Some(&i) = listed.get(to) {
            self.selected = i;
        }
        PickerReply::Done
    }
}

/// Draws the picker.
pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let t = app.prefs.theme;
    let picker = &app.picker;
    let [head, body, keys] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(5),
        Constraint::Length(2),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(vec![
            Line::from(vec![
                Span::styled(" cartsim ", t.header().add_modifier(ratatui::style::Modifier::REVERSED)),
                Span::styled(" Salesforce B2B Commerce checkout: carts, checkout sessions, background operations", t.title()),
            ]),
            Line::styled(" Pick a scenario (Enter). Inside, ? lists every key.", t.dim()),
        ]),
        head,
    );
    let [list, detail] = Layout::horizontal(if area.width < 100 {
        [Constraint::Percentage(55), Constraint::Percentage(45)]
    } else {
        [Constraint::Percentage(45), Constraint::Percentage(55)]
    })
    .areas(body);
    let listed = picker.listed();
    let inner_width = list.width.saturating_sub(2) as usize;
    let mut lines = Vec::new();
    for &i in &listed {
        let chosen = i == picker.selected;
        let marker = if chosen { "› " } else { "  " };
        let Some(s) = picker.scenarios.get(i) else {
            // A broken file: marked, named, its error in the summary.
            let b = &picker.broken[i - picker.scenarios.len()];
            let style = if chosen { t.selected() } else { t.error() };
            let name = std::path::Path::new(&b.file)
                .file_name()
                .map_or(b.file.clone(), |n| n.to_string_lossy().into_owned());
            let number = crate::scenario::file_number(&b.file)
                .map_or_else(|| "  ".to_string(), |n| format!("{n:>2}"));
            lines.push(super::header::fit(
                Line::styled(format!("{marker}{number}. ✖ does not load: {name}"), style),
                inner_width,
            ));
            continue;
        };
        let style = if chosen { t.selected() } else { t.text() };
        let number = crate::scenario::file_number(&s.file)
            .map_or_else(|| "  ".to_string(), |n| format!("{n:>2}"));
        let badges = badges(s);
        let tail = if badges.is_empty() {
            String::new()
        } else {
            format!(" [{}]", badges.join(" "))
        };
        // A title too long for the list ends in an ellipsis, the badges kept; the summary
        // shows it whole.
        let head = format!("{marker}{number}. ");
        let room = inner_width.saturating_sub(Span::raw(head.clone() + &tail).width());
        let title = super::header::fit(Line::raw(s.title.clone()), room);
        let mut spans = vec![Span::styled(head, style)];
        spans.extend(
            title
                .spans
                .into_iter()
                .map(|sp| Span::styled(sp.content, style)),
        );
        spans.push(Span::styled(tail, if chosen { style } else { t.dim() }));
        lines.push(super::header::fit(Line::from(spans), inner_width));
    }
    if picker.scenarios.is_empty() && picker.broken.is_empty() {
        lines.push(Line::styled("  no scenario could be loaded", t.error()));
    } else if lines.is_empty() {
        lines.push(Line::styled("  no scenario matches the filter", t.error()));
    }
    let height = list.height.saturating_sub(2) as usize;
    let at = listed
        .iter()
        .position(|i| *i == picker.selected)
        .unwrap_or(0);
    let offset = at.saturating_sub(height.saturating_sub(1));
    let mut title = vec![Span::styled(
        format!(
            " Scenarios {} of {} ",
            (at + 1).min(listed.len()),
            listed.len()
        ),
        t.title(),
    )];
    if picker.filtering || !picker.filter.value().is_empty() {
        title.push(Span::styled("/", t.key()));
        title.extend(picker.filter.spans(
            t.key(),
            inner_width.saturating_sub(20),
            picker.filtering,
        ));
        title.push(Span::raw(" "));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((offset as u16, 0))
            .block(Block::bordered().title(Line::from(title))),
        list,
    );
    let mut text = Vec::new();
    if let Some(b) = picker
        .selected
        .checked_sub(picker.scenarios.len())
        .and_then(|k| picker.broken.get(k))
        .filter(|_| listed.contains(&picker.selected))
    {
        text.push(Line::styled(
            format!("✖ {} does not load", b.file),
            t.error(),
        ));
        text.push(Line::raw(""));
        for line in b.error.lines() {
            text.push(Line::raw(line.to_string()));
        }
        text.push(Line::raw(""));
        text.push(Line::styled(
            "Fix the file and open the folder again; the other scenarios open as usual.",
            t.dim(),
        ));
    }
    if let Some(s) = picker
        .scenarios
        .get(picker.selected)
        .filter(|_| listed.contains(&picker.selected))
    {
        text.push(Line::styled(s.title.clone(), t.title()));
        let badges = badges(s);
        text.push(Line::styled(
            if badges.is_empty() {
                s.file.clone()
            } else {
                format!("{}  [{}]", s.file, badges.join(" "))
            },
            t.dim(),
        ));
        text.push(Line::styled(store_kinds(s), t.dim()));
        text.push(Line::raw(""));
        for para in s.summary.clone().unwrap_or_default().lines() {
            text.push(Line::raw(para.to_string()));
        }
        text.push(Line::raw(""));
        let chapters = s.chapters();
        text.push(Line::styled(
            format!(
                "{} steps, {} chapters{}",
                s.steps.len(),
                chapters.len(),
                if s.steps.iter().any(|x| x.quiz().is_some()) {
                    ", with quiz questions"
                } else {
                    ""
                }
            ),
            t.dim(),
        ));
        if !s.tags.is_empty() {
            text.push(Line::styled(
                format!("tags: {}", s.tags.join(", ")),
                t.dim(),
            ));
        }
    }
    frame.render_widget(
        Paragraph::new(text)
            .wrap(Wrap { trim: true })
            .block(Block::bordered().title(Span::styled(" Summary ", t.title()))),
        detail,
    );
    keybar::draw(frame, keys, app);
}

/// The badges of a scenario: the kinds of its stores (`Aura`, `LWR`), its edition
/// (`v2` for `"cartsim": 2`) and `quiz` when it asks questions. The picker's filter
/// matches them (`/lwr`, `/quiz`).
pub fn badges(s: &crate::scenario::Scenario) -> Vec<&'static str> {
    use crate::engine::{Edition, Template};
    let mut out = Vec::new();
    let has = |t: Template| s.world.stores().iter().any(|st| st.settings.template == t);
    if has(Template::Aura) {
        out.push("Aura");
    }
    if has(Template::Lwr) {
        out.push("LWR");
    }
    if s.edition == Edition::Two {
        out.push("v2");
    }
    if s.steps.iter().any(|st| st.quiz().is_some()) {
        out.push("quiz");
    }
    out
}

/// Each store and its kind, in words: "stores: west (Aura: checkout runs as a flow)".
pub fn store_kinds(s: &crate::scenario::Scenario) -> String {
    use crate::engine::Template;
    let kinds: Vec<String> = s
        .world
        .stores()
        .iter()
        .map(|st| {
            let kind = match st.settings.template {
                Template::Aura => "Aura: checkout runs as a flow",
                Template::Lwr => "LWR: the storefront calls the Connect REST checkout API",
            };
            format!("{} ({kind})", st.id)
        })
        .collect();
    format!(
        "{}: {}",
        if kinds.len() == 1 { "store" } else { "stores" },
        kinds.join("; ")
    )
}
