//! The header: scenario title and tick; play/pause, speed, step k of N, chapter,
//! presenter mode, off-script badge and quiz score.

use super::app::App;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Draws the two header lines.
pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let t = app.theme;
    let Some(p) = &app.playback else {
        let file = app.watching.clone().unwrap_or_default();
        frame.render_widget(
            Paragraph::new(vec![
                Line::from(vec![Span::styled(" cartsim ", t.header()), Span::raw(file)]),
                Line::from(" watching the file: waiting for a version that loads"),
            ]),
            area,
        );
        return;
    };
    let world = p.world();
    let mut top = vec![
        Span::styled(
            " cartsim ",
            t.header().add_modifier(ratatui::style::Modifier::REVERSED),
        ),
        Span::raw(" "),
        Span::styled(p.scenario().title.clone(), t.title()),
    ];
    if let Some(file) = &app.watching {
        top.push(Span::styled(format!("  (watching {file})"), t.dim()));
    }
    let tick = format!("tick {} ", world.tick);
    let used: usize = top.iter().map(|s| s.width()).sum();
    let pad = (area.width as usize).saturating_sub(used + tick.len());
    top.push(Span::raw(" ".repeat(pad)));
    top.push(Span::styled(tick, t.header()));

    let state = if p.playing {
        Span::styled(
            "▶ playing",
            t.ok().add_modifier(ratatui::style::Modifier::BOLD),
        )
    } else {
        Span::styled("❚❚ paused", t.header())
    };
    let speed = p.speed();
    let speed = if speed.fract() == 0.0 {
        format!("{speed:.0}x")
    } else {
        format!("{speed}x")
    };
    let sep = || Span::styled(" │ ", t.dim());
    let mut second = vec![Span::raw(" "), state, sep(), Span::raw(speed), sep()];
    second.push(Span::raw(format!(
        "step {} of {}",
        p.script_position(),
        p.step_count()
    )));
    // The chapter of the last step played; a chapter whose first step is next is named
    // as next, so the header never claims a chapter that has not started.
    let chapters = p.chapters();
    if let Some((at, name)) = p.chapter() {
        let k = chapters.partition_point(|c| *c <= at);
        second.push(sep());
        second.push(Span::raw(format!("chapter {k}/{}: {name}", chapters.len())));
    }
    if let Some((at, name)) = p.chapter_ahead() {
        let k = chapters.partition_point(|c| *c <= at);
        second.push(sep());
        second.push(Span::styled(format!("next {k}: {name}"), t.label()));
    }
    if p.presenter {
        second.push(sep());
        second.push(Span::styled("presenter", t.header()));
    }
    if p.has_quiz() {
        let (right, asked) = p.score();
        second.push(sep());
        second.push(Span::raw(format!("score {right}/{asked}")));
        if !p.exercise {
            // Said while it lasts: otherwise a class wonders why no question comes.
            second.push(sep());
            second.push(Span::styled("exercise off: E asks again", t.label()));
        }
    }
    if let Some(at) = p.left_script_at() {
        // The badge goes first so that no narrow screen can cut it off.
        second.insert(
            0,
            Span::styled(
                format!(" ⎇ OFF SCRIPT +{} ", p.branch_len()),
                t.off_script(),
            ),
        );
        second.push(sep());
        second.push(Span::styled(
            format!("what if: left at step {at}, r returns"),
            t.dim(),
        ));
    }
    let second = fit(Line::from(second), area.width as usize);
    frame.render_widget(Paragraph::new(vec![Line::from(top), second]), area);
}

/// The line cut to `width` columns with `…` at the end when it does not fit.
pub fn fit(line: Line<'static>, width: usize) -> Line<'static> {
    if line.width() <= width {
        return line;
    }
    let mut out: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    let room = width.saturating_sub(1);
    'spans: for span in line.spans {
        let mut text = String::new();
        for ch in span.content.chars() {
            let w = Span::raw(ch.to_string()).width();
            if used + w > room {
                out.push(Span::styled(text, span.style));
                break 'spans;
            }
            used += w;
            text.push(ch);
        }
        out.push(Span::styled(text, span.style));
    }
    out.push(Span::raw("…"));
    Line::from(out)
}
