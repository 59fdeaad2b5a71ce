//! The scenario picker: titles on the left, the highlighted scenario's summary on the right.

use super::app::App;
use super::keybar;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

/// Draws the picker.
pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let t = app.theme;
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
    let listed = app.listed();
    let inner_width = list.width.saturating_sub(2) as usize;
    let mut lines = Vec::new();
    for &i in &listed {
        let chosen = i == app.picker;
        let marker = if chosen { "› " } else { "  " };
        let Some(s) = app.scenarios.get(i) else {
            // A broken file: marked, named, its error in the summary.
            let b = &app.broken[i - app.scenarios.len()];
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
    if app.scenarios.is_empty() && app.broken.is_empty() {
        lines.push(Line::styled("  no scenario could be loaded", t.error()));
    } else if lines.is_empty() {
        lines.push(Line::styled("  no scenario matches the filter", t.error()));
    }
    let height = list.height.saturating_sub(2) as usize;
    let at = listed.iter().position(|i| *i == app.picker).unwrap_or(0);
    let offset = at.saturating_sub(height.saturating_sub(1));
    let mut title = vec![Span::styled(
        format!(
            " Scenarios {} of {} ",
            (at + 1).min(listed.len()),
            listed.len()
        ),
        t.title(),
    )];
    if app.filtering || !app.filter.value().is_empty() {
        title.push(Span::styled("/", t.key()));
        title.extend(
            app.filter
                .spans(t.key(), inner_width.saturating_sub(20), app.filtering),
        );
        title.push(Span::raw(" "));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((offset as u16, 0))
            .block(Block::bordered().title(Line::from(title))),
        list,
    );
    let mut text = Vec::new();
    if let Some(b) = app
        .picker
        .checked_sub(app.scenarios.len())
        .and_then(|k| app.broken.get(k))
        .filter(|_| listed.contains(&app.picker))
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
    if let Some(s) = app
        .scenarios
        .get(app.picker)
        .filter(|_| listed.contains(&app.picker))
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
                if s.steps.iter().any(|x| x.quiz.is_some()) {
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
    if s.steps.iter().any(|st| st.quiz.is_some()) {
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
