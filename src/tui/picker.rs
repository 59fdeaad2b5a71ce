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
    let listed = app.listed();
    let inner_width = list.width.saturating_sub(2) as usize;
    let mut lines = Vec::new();
    for &i in &listed {
        let s = &app.scenarios[i];
        let chosen = i == app.picker;
        let marker = if chosen { "› " } else { "  " };
        let style = if chosen { t.selected() } else { t.text() };
        // A title too long for the list ends in an ellipsis; the summary shows it whole.
        lines.push(super::header::fit(
            Line::styled(format!("{marker}{:>2}. {}", i + 1, s.title), style),
            inner_width,
        ));
    }
    if app.scenarios.is_empty() {
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
    if let Some(s) = app
        .scenarios
        .get(app.picker)
        .filter(|_| listed.contains(&app.picker))
    {
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
