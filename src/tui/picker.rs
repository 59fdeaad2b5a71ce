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
    let [list, detail] =
        Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(body);
    let mut lines = Vec::new();
    for (i, s) in app.scenarios.iter().enumerate() {
        let chosen = i == app.picker;
        let marker = if chosen { "› " } else { "  " };
        let style = if chosen { t.selected() } else { t.text() };
        lines.push(Line::styled(
            format!("{marker}{:>2}. {}", i + 1, s.title),
            style,
        ));
    }
    if lines.is_empty() {
        lines.push(Line::styled("  no scenario could be loaded", t.error()));
    }
    let height = list.height.saturating_sub(2) as usize;
    let offset = app.picker.saturating_sub(height.saturating_sub(1));
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((offset as u16, 0))
            .block(Block::bordered().title(Span::styled(" Scenarios ", t.title()))),
        list,
    );
    let mut text = Vec::new();
    if let Some(s) = app.scenarios.get(app.picker) {
        text.push(Line::styled(s.title.clone(), t.title()));
        text.push(Line::styled(s.file.clone(), t.dim()));
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
