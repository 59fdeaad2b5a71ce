//! The header: scenario title and tick; play/pause, speed, step k of N, chapter,
//! presenter mode, off-script badge and quiz score; and who acts on the selected cart,
//! with what the buyer checks read (permissions, effective account, store membership).

use super::app::App;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// The header's height: title, playback, actor.
pub const HEIGHT: u16 = 3;

/// Draws the header lines.
pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let t = app.prefs.theme;
    let Some(p) = &app.player.playback else {
        let file = app.files.watching.clone().unwrap_or_default();
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
    if let Some(file) = &app.files.watching {
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
    let mut lines = vec![Line::from(top), second];
    if let Some(actor) = actor_line(app, area.width as usize) {
        lines.push(fit(actor, area.width as usize));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// Who acts on the selected cart, and what the buyer checks will read, in `width`
/// columns: "as bob (owner of cart-1) · all permissions · effective account acme ·
/// acme member of west". A narrow screen gets the short words; a missing permission,
/// an account the buyer may not act for and a missing membership are marked ✖.
pub fn actor_line(app: &App, width: usize) -> Option<Line<'static>> {
    let long = actor_spans(app, false)?;
    if long.width() <= width {
        return Some(long);
    }
    actor_spans(app, true)
}

fn actor_spans(app: &App, short: bool) -> Option<Line<'static>> {
    use crate::engine::Permission;
    let t = app.prefs.theme;
    let world = app.world()?;
    let cart = world.cart(&app.player.selected_cart()?)?;
    let who = app.player.actor_of(&cart.id)?;
    let sep = || Span::styled(" · ", t.dim());
    let mut spans = vec![
        Span::styled(" as ", t.label()),
        Span::styled(who.clone(), t.title()),
    ];
    match (who == cart.buyer, short) {
        (true, false) => spans.push(Span::styled(format!(" (owner of {})", cart.id), t.dim())),
        (true, true) => spans.push(Span::styled(" (owner)", t.dim())),
        (false, false) => spans.push(Span::styled(
            format!(" (not the owner: {} owns {})", cart.buyer, cart.id),
            t.off_script(),
        )),
        (false, true) => spans.push(Span::styled(
            format!(" (owner: {})", cart.buyer),
            t.off_script(),
        )),
    }
    let Some(buyer) = world.buyer(&who) else {
        spans.push(sep());
        spans.push(Span::styled("no such buyer", t.error()));
        return Some(Line::from(spans));
    };
    spans.push(sep());
    let missing: Vec<String> = Permission::ALL
        .iter()
        .filter(|p| !buyer.has(**p))
        .map(|p| p.to_string())
        .collect();
    if missing.is_empty() {
        spans.push(Span::styled(
            if short {
                "all perms"
            } else {
                "all permissions"
            },
            t.text(),
        ));
    } else {
        spans.push(Span::styled(
            format!("✖ lacks {}", missing.join(", ")),
            t.error(),
        ));
    }
    spans.push(sep());
    let account = &buyer.effective_account;
    let may = buyer.accounts.contains(account);
    spans.push(Span::styled(
        if short { "acct " } else { "effective account " },
        t.label(),
    ));
    spans.push(Span::styled(
        format!("{account}{}", if may { "" } else { " ✖ not its own" }),
        if may { t.text() } else { t.error() },
    ));
    spans.push(sep());
    let member = world
        .account(account)
        .is_some_and(|a| a.stores.contains(&cart.store));
    spans.push(Span::styled(
        match (member, short) {
            (true, false) => format!("{account} member of {}", cart.store),
            (true, true) => format!("in {}", cart.store),
            (false, false) => format!("✖ {account} not a member of {}", cart.store),
            (false, true) => format!("✖ not in {}", cart.store),
        },
        if member { t.text() } else { t.error() },
    ));
    if !short {
        spans.push(Span::styled("  A: act as another", t.dim()));
    }
    Some(Line::from(spans))
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
