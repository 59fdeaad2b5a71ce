//! Popups over the screen, each drawn on a [`Clear`]: help (from the key table), a
//! refused action, add to cart, world edits, save, quiz, messages; and the watch-mode
//! load error banner.

use super::app::{App, ErrorView, Popup};
use super::keys;
use crate::player::playback::QuizState;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

/// Draws whatever popup is open.
pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    if let (Some(e), Some(_)) = (&app.watch_error, &app.playback) {
        banner(frame, area, app, e);
    }
    match &app.popup {
        Some(Popup::Help { scroll }) => help(frame, area, app, *scroll),
        Some(Popup::Error(view)) => error(frame, area, app, view),
        Some(Popup::AddToCart {
            product, quantity, ..
        }) => add(frame, area, app, *product, *quantity),
        Some(Popup::Menu { index }) => menu(frame, area, app, *index),
        Some(Popup::Save {
            name,
            confirm_overwrite,
        }) => save(frame, area, app, name, *confirm_overwrite),
        Some(Popup::Message { title, lines }) => {
            let text: Vec<Line> = lines
                .iter()
                .map(|l| Line::raw(l.clone()))
                .chain([Line::raw(""), hint(app, "Esc/Enter close")])
                .collect();
            boxed(frame, area, app, title, text, 70, app.theme.title());
        }
        None => {
            if let Some(p) = &app.playback
                && let Some(state) = p.quiz()
            {
                quiz(frame, area, app, state);
            }
        }
    }
}

fn hint(app: &App, text: &str) -> Line<'static> {
    Line::styled(text.to_string(), app.theme.dim())
}

/// A centred box `width` columns wide (at most the screen), as tall as its text.
fn boxed(
    frame: &mut Frame,
    area: Rect,
    app: &App,
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
        .title(Span::styled(format!(" {title} "), app.theme.title()))
        .border_style(border);
    frame.render_widget(
        Paragraph::new(text).wrap(Wrap { trim: false }).block(block),
        rect,
    );
}

fn help(frame: &mut Frame, area: Rect, app: &App, scroll: u16) {
    let t = app.theme;
    let mut text = Vec::new();
    for (heading, label, help) in keys::help_lines() {
        match heading {
            Some(h) => {
                if !text.is_empty() {
                    text.push(Line::raw(""));
                }
                text.push(Line::styled(h.to_string(), t.title()));
            }
            None => text.push(Line::from(vec![
                Span::styled(format!("  {label:<22}"), t.key()),
                Span::raw(help.to_string()),
            ])),
        }
    }
    let height = area.height.saturating_sub(4);
    let width = 100.min(area.width.saturating_sub(4));
    let rect = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + 2,
        width,
        height,
    };
    frame.render_widget(Clear, rect);
    let max = (text.len() as u16).saturating_sub(height.saturating_sub(2));
    frame.render_widget(
        Paragraph::new(text).scroll((scroll.min(max), 0)).block(
            Block::bordered()
                .title(Span::styled(
                    " Help: keys (↑↓ scroll, Esc close) ",
                    t.title(),
                ))
                .border_style(t.focus_border()),
        ),
        rect,
    );
}

fn error(frame: &mut Frame, area: Rect, app: &App, view: &ErrorView) {
    let t = app.theme;
    let spec = view.error.kind.spec();
    let wording = crate::player::wording::error_wording(&view.error);
    let width = 96.min(area.width.saturating_sub(4));
    let inner = width.saturating_sub(2) as usize;
    let mut text = vec![Line::styled(
        format!("✖ {} · {}", spec.code, wording.http),
        t.error(),
    )];
    text.extend(row(app, inner, "message", &view.error.message, t.text()));
    text.extend(row(
        app,
        inner,
        "action",
        &format!("{} ({})", view.action, view.description),
        t.text(),
    ));
    text.extend(row(app, inner, "failed", spec.requirement, t.title()));
    text.extend(row(
        app,
        inner,
        "origin",
        &format!("[{}] {}", spec.origin.tag(), wording.origin),
        t.text(),
    ));
    if let Some(reading) = &wording.reading {
        text.extend(row(app, inner, "reading", reading, t.text()));
    }
    if let Some(buyer) = &wording.buyer_sees {
        text.extend(row(app, inner, "buyer", buyer, t.text()));
    }
    text.push(hint(
        app,
        "Nothing changed: a refused action changes nothing. Esc close · ← undo",
    ));
    boxed(frame, area, app, "Refused", text, width, t.error());
}

/// A labelled row whose value wraps with a hanging indent under itself.
fn row(app: &App, width: usize, label: &str, value: &str, style: Style) -> Vec<Line<'static>> {
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
                Span::styled(head, app.theme.label()),
                Span::styled(text, style),
            ])
        })
        .collect()
}

fn add(frame: &mut Frame, area: Rect, app: &App, product: usize, quantity: i64) {
    let t = app.theme;
    let Some(world) = app.world() else { return };
    let cart = app.selected_cart().unwrap_or_default();
    let mut text = vec![Line::raw(format!("Add to {cart}:")), Line::raw("")];
    for (i, p) in world.products.iter().enumerate() {
        let chosen = i == product;
        text.push(Line::styled(
            format!(
                "{} {} {} at {}",
                if chosen { "›" } else { " " },
                p.sku,
                p.name,
                p.price
            ),
            if chosen { t.selected() } else { t.text() },
        ));
    }
    text.push(Line::raw(""));
    text.push(Line::from(vec![
        Span::styled("quantity ", t.label()),
        Span::styled(format!("{quantity}"), t.key()),
        Span::styled("   (0 or more than 1,000,000 provoke the refusal)", t.dim()),
    ]));
    text.push(Line::raw(""));
    text.push(hint(
        app,
        "↑↓ product · +/- or digits quantity · Enter add · Esc close",
    ));
    boxed(frame, area, app, "Add to cart", text, 72, t.focus_border());
}

fn menu(frame: &mut Frame, area: Rect, app: &App, index: usize) {
    let t = app.theme;
    let mut text = vec![
        Line::styled("World edits, applied now (off script):", t.dim()),
        Line::raw(""),
    ];
    for (i, (label, _)) in app.menu_items().iter().enumerate() {
        let chosen = i == index;
        text.push(Line::styled(
            format!("{} {label}", if chosen { "›" } else { " " }),
            if chosen { t.selected() } else { t.text() },
        ));
    }
    text.push(Line::raw(""));
    text.push(hint(app, "↑↓ choose · Enter apply · Esc close"));
    boxed(
        frame,
        area,
        app,
        "Edit the world",
        text,
        72,
        t.focus_border(),
    );
}

fn save(frame: &mut Frame, area: Rect, app: &App, name: &str, confirm: bool) {
    let t = app.theme;
    let dir = crate::scenario::sanitize::line(&app.save_dir.display().to_string());
    let mut text = vec![
        Line::raw("Save the steps played so far (and your branch) as a scenario file,"),
        Line::raw("with each step's result as its expect: a regression test."),
        Line::raw(""),
        Line::from(vec![
            Span::styled("file ", t.label()),
            Span::styled(format!("{name}▏"), t.key()),
            Span::styled(format!("  in {dir}"), t.dim()),
        ]),
        Line::raw(""),
    ];
    if confirm {
        text.push(Line::styled(
            format!("{name} exists. Overwrite it? y/n"),
            t.error(),
        ));
    } else {
        text.push(hint(app, "type to edit the name · Enter save · Esc close"));
    }
    boxed(
        frame,
        area,
        app,
        "Save as scenario",
        text,
        76,
        t.focus_border(),
    );
}

fn quiz(frame: &mut Frame, area: Rect, app: &App, state: QuizState) {
    let t = app.theme;
    let Some(p) = &app.playback else { return };
    let (step, picked) = match state {
        QuizState::Asking(s) => (s, None),
        QuizState::Revealed { step, picked } => (step, Some(picked)),
    };
    let Some(quiz) = p.quiz_of(step) else { return };
    let mut text = vec![
        Line::styled(
            format!("Before step {}: {}", step + 1, p.describe_step(step)),
            t.dim(),
        ),
        Line::raw(""),
    ];
    for line in quiz.question.lines() {
        text.push(Line::styled(line.to_string(), t.title()));
    }
    text.push(Line::raw(""));
    for (i, choice) in quiz.choices.iter().enumerate() {
        let mark = match picked {
            Some(_) if i == quiz.answer => "✔",
            Some(x) if x == i => "✖",
            _ => " ",
        };
        let style = match picked {
            Some(_) if i == quiz.answer => t.ok(),
            Some(x) if x == i => t.error(),
            _ => t.text(),
        };
        text.push(Line::styled(format!("{mark} {}. {choice}", i + 1), style));
    }
    text.push(Line::raw(""));
    match picked {
        None => text.push(hint(app, "press the number of your answer · Esc later")),
        Some(x) => {
            let verdict = if x == quiz.answer {
                "Right."
            } else {
                "Not quite."
            };
            text.push(Line::styled(
                verdict.to_string(),
                if x == quiz.answer { t.ok() } else { t.error() },
            ));
            if let Some(e) = &quiz.explanation {
                for line in e.lines() {
                    text.push(Line::raw(line.to_string()));
                }
            }
            let (right, asked) = p.score();
            text.push(Line::raw(""));
            text.push(hint(
                app,
                &format!("score {right}/{asked} · Enter plays the step"),
            ));
        }
    }
    boxed(frame, area, app, "Question", text, 80, t.focus_border());
}

fn banner(frame: &mut Frame, area: Rect, app: &App, error: &str) {
    let t = app.theme;
    let rect = Rect {
        x: area.x,
        y: area.y + 2,
        width: area.width,
        height: 3.min(area.height),
    };
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(vec![Line::styled(
            format!("✖ the file no longer loads; still showing the last good version: {error}"),
            t.error(),
        )])
        .wrap(Wrap { trim: true })
        .block(Block::bordered().border_style(t.error())),
        rect,
    );
}
