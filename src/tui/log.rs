//! The caption (the step's note) and the event log: every played entry, its result, and
//! each change with its cause ("why") and the source tag of the rule.

use super::app::{App, error_text};
use super::player_view::{Focus, PlayerView};
use super::theme::Theme;
use crate::engine::Change;
use crate::player::Origin;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

/// The caption: the note of the last scripted step played, else what comes next. A note
/// longer than the caption ends in `…` and says that `n` shows it in full (the log also
/// holds every note, under its step).
pub fn caption(frame: &mut Frame, area: Rect, app: &App) {
    let t = app.prefs.theme;
    let Some(line) = caption_line(&app.player, t) else {
        if let Some(e) = &app.files.watch_error {
            frame.render_widget(
                Paragraph::new(Line::styled(format!(" ✖ {e}"), t.error()))
                    .wrap(Wrap { trim: true }),
                area,
            );
        }
        return;
    };
    let width = area.width as usize;
    let mut rows = wrap(line, width, 0);
    let height = area.height as usize;
    if rows.len() > height && height > 0 {
        rows.truncate(height);
        // The cut line ends in its own `…`: the tail adds no second one.
        let more = Span::styled(" n: read all", t.key());
        let last = rows.pop().expect("a row");
        rows.push(cut_line(last, width.saturating_sub(more.width()), more));
    }
    frame.render_widget(Paragraph::new(rows), area);
}

/// The narration of where playback stands, in full, for the `n` popup.
pub fn narration(view: &PlayerView, t: Theme) -> Vec<Line<'static>> {
    caption_line(view, t).into_iter().collect()
}

/// The caption as one unwrapped line.
fn caption_line(view: &PlayerView, t: Theme) -> Option<Line<'static>> {
    let p = view.playback.as_ref()?;
    let mut spans = vec![Span::styled("▸ ", t.key())];
    match p.last() {
        Some(entry) => {
            let index = p.timeline().cursor() - 1;
            let what = p.describe_entry(index);
            match entry.origin {
                Origin::Script(i) => {
                    spans.push(Span::styled(format!("step {}: {what}", i + 1), t.title()));
                    if let Some(status) = http_status(&entry.outcome) {
                        spans.push(Span::styled(
                            format!(" ⇄ {status}"),
                            if entry.outcome.result.is_ok() {
                                t.ok()
                            } else {
                                t.error()
                            },
                        ));
                    }
                    if let Some(note) = p.scenario().steps[i].note() {
                        spans.push(Span::raw(" — "));
                        spans.push(Span::raw(note.to_string()));
                    }
                }
                Origin::Branch => {
                    spans.push(Span::styled(format!("you (off script): {what}"), t.title()));
                    spans.push(Span::raw(match &entry.outcome.result {
                        Ok(()) => match http_status(&entry.outcome) {
                            Some(status) => format!(" — ⇄ {status}"),
                            None => " — done".to_string(),
                        },
                        Err(e) => format!(
                            " — refused: {} {}",
                            e.code(),
                            e.http().map(|h| h.to_string()).unwrap_or_default()
                        ),
                    }));
                }
            }
        }
        None => {
            let summary = p.scenario().summary.clone().unwrap_or_default();
            spans.push(Span::styled("start", t.title()));
            if !summary.is_empty() {
                spans.push(Span::raw(format!(" — {}", summary.replace('\n', " "))));
            }
        }
    }
    Some(Line::from(spans))
}

/// The HTTP status a REST call answered, with its reason: `202 Accepted`.
fn http_status(outcome: &crate::engine::Outcome) -> Option<String> {
    outcome.request.as_ref()?;
    let code = outcome.http?;
    Some(
        format!("{code} {}", crate::engine::rest::reason_phrase(code))
            .trim_end()
            .to_string(),
    )
}

/// A line cut to `room` columns, ending in `…`, followed by `tail`.
fn cut_line(line: Line<'static>, room: usize, tail: Span<'static>) -> Line<'static> {
    let mut line = super::header::fit(line.clone(), room.min(line.width().saturating_sub(1)));
    line.spans.push(tail);
    line
}

/// The log lines of one played entry: its head, its refusal if refused, and each change.
pub fn entry_lines(view: &PlayerView, t: Theme, index: usize) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let Some(p) = &view.playback else {
        return out;
    };
    let Some(entry) = p.played().get(index) else {
        return out;
    };
    let what = entry.description.to_string();
    let head = match entry.origin {
        Origin::Script(i) => Line::from(vec![
            Span::styled(format!("step {} ", i + 1), t.title()),
            Span::styled(format!("@{} ", entry.tick_before), t.dim()),
            Span::raw(what),
        ]),
        Origin::Branch => Line::from(vec![
            Span::styled("⎇ you ", t.off_script()),
            Span::styled(format!(" @{} ", entry.tick_before), t.dim()),
            Span::raw(what),
        ]),
    };
    out.push(head);
    if let Origin::Script(i) = entry.origin
        && let Some(note) = p.scenario().steps.get(i).and_then(|s| s.note())
    {
        out.push(Line::styled(format!("   ▸ {note}"), t.text()));
    }
    if let Some(call) = crate::player::wording::call_line(&entry.outcome) {
        let style = if entry.outcome.result.is_ok() {
            t.ok()
        } else {
            t.error()
        };
        out.push(Line::styled(format!("   ⇄ {call}"), style));
        if let Some(body) = crate::player::wording::body_line(&entry.outcome) {
            out.push(Line::styled(format!("     body {body}"), t.dim()));
        }
    }
    match &entry.outcome.result {
        Ok(()) => {
            if entry.outcome.changes.is_empty() {
                out.push(Line::styled("   ✔ ok, nothing changed", t.ok()));
            }
        }
        Err(e) => {
            let lines = error_text(e);
            out.push(Line::styled(
                format!("   ✖ refused {}", lines[0]),
                t.error(),
            ));
            for line in &lines[1..] {
                out.push(Line::styled(format!("     {line}"), t.text()));
            }
        }
    }
    for change in &entry.outcome.changes {
        out.push(change_line(t, change, entry.tick_before));
    }
    out
}

/// The last `height` wrapped lines of the log, `scroll` lines up from the newest, and
/// the scroll actually applied (clamped at the oldest line). Entries are laid out from
/// the newest back, only as far as the window reaches, so a frame costs what it shows
/// however long the history.
pub fn visible(
    view: &PlayerView,
    t: Theme,
    width: usize,
    height: usize,
    scroll: usize,
) -> (Vec<Line<'static>>, usize) {
    let played = view.playback.as_ref().map_or(0, |p| p.played().len());
    let want = height.saturating_add(scroll);
    // Newest first: whole entries, each wrapped, until the window and the scroll are covered.
    let mut newest_first: Vec<Line<'static>> = Vec::new();
    for index in (0..played).rev() {
        let mut wrapped: Vec<Line<'static>> = entry_lines(view, t, index)
            .into_iter()
            .enumerate()
            .flat_map(|(k, l)| {
                // The line the last jump went to (a search hit) is marked.
                let l = if view.log_mark == Some((index, k)) {
                    let mut l = l.patch_style(t.selected());
                    l.spans.insert(0, Span::styled("»", t.key()));
                    l
                } else {
                    l
                };
                wrap(l, width, 6)
            })
            .collect();
        wrapped.reverse();
        newest_first.extend(wrapped);
        if newest_first.len() >= want {
            break;
        }
    }
    let total = newest_first.len();
    let scroll = scroll.min(total.saturating_sub(height));
    let shown: Vec<Line<'static>> = newest_first
        .into_iter()
        .skip(scroll)
        .take(height)
        .rev()
        .collect();
    (shown, scroll)
}

/// The scroll (wrapped lines up from the newest) that puts `target` (entry, line) in
/// the middle of a log of `width` x `height`, or as low as it goes.
pub fn scroll_to(
    view: &PlayerView,
    t: Theme,
    target: (usize, usize),
    (width, height): (usize, usize),
) -> usize {
    let played = view.playback.as_ref().map_or(0, |p| p.played().len());
    let mut below = 0;
    for index in (target.0..played).rev() {
        let lines = entry_lines(view, t, index);
        for (k, line) in lines.into_iter().enumerate().rev() {
            let rows = wrap(line, width, 6).len();
            if (index, k) == target {
                // The target's first row sits `below + rows - 1` rows up from the newest.
                let up = below + rows - 1;
                return up.saturating_sub(height / 2);
            }
            below += rows;
        }
    }
    0
}

/// One change: `@tick record.Field: old -> new  (why) [tag]`, the tag styled by source.
fn change_line(t: Theme, change: &Change, tick_before: u64) -> Line<'static> {
    let source = change.rule.source();
    let at = if change.tick != tick_before {
        format!("   @{} ", change.tick)
    } else {
        "   ".to_string()
    };
    Line::from(vec![
        Span::styled(at, t.dim()),
        Span::raw(change.headline()),
        // The tag comes before the reason so that a narrow screen never cuts it off.
        Span::styled(format!("  [{}]", source.tag()), t.source(source)),
        Span::styled(format!(" {}", change.rule.text()), t.dim()),
    ])
}

/// Draws the event log, following the newest line unless scrolled.
pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let t = app.prefs.theme;
    let view = &app.player;
    let focused = view.focus == Focus::Log;
    let block = Block::bordered()
        .title(Line::from(vec![
            // The legend of source tags must fit whole, so a narrow screen shortens the name.
            Span::styled(
                if area.width < 100 {
                    " Why "
                } else {
                    " Event log: every change and why "
                },
                t.title(),
            ),
            Span::styled(
                "[documented] [sample] [inferred] [choice] [scenario] ",
                t.dim(),
            ),
        ]))
        .border_style(t.pane_border(focused));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    view.log_view.set((inner.width, inner.height));
    let (shown, scroll) = visible(
        view,
        t,
        inner.width as usize,
        inner.height as usize,
        view.log_scroll,
    );
    let mut para = Paragraph::new(shown);
    if shown_is_empty(view) {
        para = Paragraph::new(Line::styled(
            " nothing played yet: → plays a step, space plays on, s/a/x/c act on the cart",
            t.dim(),
        ));
    }
    frame.render_widget(para, inner);
    if scroll > 0 {
        let note = format!(" ↑ {scroll} lines up (PgDn) ");
        let x = area.right().saturating_sub(note.chars().count() as u16 + 1);
        frame.render_widget(
            Paragraph::new(Span::styled(note, t.key())),
            Rect {
                x,
                y: area.bottom().saturating_sub(1),
                width: area.right().saturating_sub(x),
                height: 1,
            },
        );
    }
}

fn shown_is_empty(view: &PlayerView) -> bool {
    view.playback.as_ref().is_none_or(|p| p.played().is_empty())
}

/// Wraps a styled line at word boundaries to `width` columns; continuation lines start
/// with `indent` spaces, so the "why" of a change reads as one block.
pub fn wrap(line: Line<'static>, width: usize, indent: usize) -> Vec<Line<'static>> {
    let width = width.max(indent + 10);
    if line.width() <= width {
        return vec![line];
    }
    let w = |text: &str| Span::raw(text.to_string()).width();
    let mut out: Vec<Line<'static>> = Vec::new();
    let mut current: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for span in line.spans {
        let style = span.style;
        for token in span.content.split_inclusive(' ') {
            let mut token = token.to_string();
            if used + w(token.trim_end()) > width && used > indent {
                out.push(Line::from(std::mem::take(&mut current)));
                current.push(Span::raw(" ".repeat(indent)));
                used = indent;
                token = token.trim_start().to_string();
            }
            // A word longer than a whole line is cut into pieces.
            while used + w(&token) > width && w(&token) > width - indent {
                let mut head = String::new();
                for ch in token.chars() {
                    if used + w(&head) + w(&ch.to_string()) > width {
                        break;
                    }
                    head.push(ch);
                }
                if head.is_empty() {
                    break;
                }
                token = token[head.len()..].to_string();
                current.push(Span::styled(head, style));
                out.push(Line::from(std::mem::take(&mut current)));
                current.push(Span::raw(" ".repeat(indent)));
                used = indent;
            }
            used += w(&token);
            current.push(Span::styled(token, style));
        }
    }
    if !current.is_empty() {
        out.push(Line::from(current));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_visible_window_is_the_tail_of_the_whole_log() {
        use crate::scenario::generate::{Spec, generate};
        let text = generate(Spec {
            steps: 300,
            carts: 4,
            sparsity: 2,
            seed: 5,
        });
        let s = crate::scenario::load_bytes("g.json", text.as_bytes()).unwrap();
        let mut app = App::new(vec![s], crate::tui::theme::Theme::MONO);
        if let Some(p) = app.player.playback.as_mut() {
            p.end();
        }
        let played = app.player.playback.as_ref().unwrap().played().len();
        let all: Vec<Line> = (0..played)
            .flat_map(|i| entry_lines(&app.player, Theme::MONO, i))
            .flat_map(|l| wrap(l, 70, 6))
            .collect();
        let text = |lines: &[Line]| lines.iter().map(|l| l.to_string()).collect::<Vec<_>>();
        for (height, scroll) in [(10, 0), (10, 7), (48, 300), (5, usize::MAX)] {
            let (shown, applied) = visible(&app.player, Theme::MONO, 70, height, scroll);
            let applied_all = scroll.min(all.len() - height);
            assert_eq!(applied, applied_all);
            let end = all.len() - applied_all;
            assert_eq!(
                text(&shown),
                text(&all[end - height..end]),
                "{height} {scroll}"
            );
        }
    }

    #[test]
    fn wrapped_lines_fit_and_keep_every_word() {
        let line = Line::from(vec![
            Span::raw("   bop-2.Status: Running -> Canceled"),
            Span::raw("  [documented]"),
            Span::raw(" Cancel Cart Async Operation marks the background operation canceled"),
        ]);
        let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
        let wrapped = wrap(line, 40, 6);
        assert!(wrapped.len() > 1);
        for l in &wrapped {
            assert!(l.width() <= 40, "{l:?}");
        }
        let words: Vec<String> = wrapped
            .iter()
            .flat_map(|l| l.spans.iter().map(|s| s.content.to_string()))
            .collect::<String>()
            .split_whitespace()
            .map(str::to_string)
            .collect();
        let expected: Vec<&str> = text.split_whitespace().collect();
        assert_eq!(words, expected);
        let long = Line::from("x".repeat(200));
        assert!(wrap(long, 40, 6).iter().all(|l| l.width() <= 40));
    }
}
