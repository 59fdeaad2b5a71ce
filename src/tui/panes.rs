//! The three record panes, side by side: Carts | Checkout Sessions | Background
//! Operations, with Salesforce field names. Records linked to the selected cart are
//! marked with a bar and bold; the others are dimmed. A field changed by the last step
//! shows `old → new`, highlighted, for about a second.

use super::anim::{self, Transition};
use super::app::{App, Focus};
use super::theme::{self, Theme};
use crate::engine::{
    BackgroundOperation, CartCheckoutSession, FieldValue, OperationStatus, ValidationLevel,
    WebCart, World,
};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use std::time::Duration;

/// Draws the three panes.
pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let selected = app.selected_cart().is_some();
    for (rect, which, title, records) in build(app, area) {
        pane(frame, rect, app, which, title, records, selected);
    }
}

/// The height the panes need to show every record (borders included).
pub fn needed_height(app: &App, area: Rect) -> u16 {
    build(app, area)
        .into_iter()
        .map(|(_, _, _, records)| records.iter().map(|r| r.lines.len()).sum::<usize>())
        .max()
        .map_or(3, |lines| (lines.max(1) + 2).min(u16::MAX as usize) as u16)
}

type Built = Vec<(Rect, Focus, &'static str, Vec<Record>)>;

fn build(app: &App, area: Rect) -> Built {
    let [carts, sessions, ops] = Layout::horizontal([
        Constraint::Percentage(30),
        Constraint::Percentage(38),
        Constraint::Percentage(32),
    ])
    .areas(area);
    let Some(world) = app.world() else {
        return Vec::new();
    };
    let cx = Cx {
        theme: app.theme,
        now: app.now,
        transition: app.transition.as_ref(),
        world,
    };
    let selected = app.selected_cart();
    let owners = app.op_owners();
    let mut out: Built = Vec::new();

    let mut records = Vec::new();
    for (i, cart) in world.carts.iter().enumerate() {
        records.push(Record {
            lines: cart_lines(&cx, cart, carts.width.saturating_sub(4) as usize),
            linked: Some(&cart.id) == selected.as_ref(),
            selected: i == app.cart_sel.min(world.carts.len().saturating_sub(1)),
        });
    }
    out.push((carts, Focus::Carts, "Carts (WebCart)", records));

    // Sessions and operations newest first: the live ones are on top.
    let mut records = Vec::new();
    for (i, s) in world.sessions.iter().rev().enumerate() {
        records.push(Record {
            lines: session_lines(&cx, s, sessions.width.saturating_sub(4) as usize),
            linked: Some(&s.cart) == selected.as_ref(),
            selected: i == app.session_sel,
        });
    }
    out.push((
        sessions,
        Focus::Sessions,
        "Checkout Sessions (CartCheckoutSession)",
        records,
    ));

    let mut records = Vec::new();
    for (i, op) in world.operations.iter().rev().enumerate() {
        let cart = owners
            .get(&op.id)
            .and_then(|s| world.session(s))
            .map(|s| s.cart.clone());
        records.push(Record {
            lines: op_lines(
                &cx,
                op,
                ops.width.saturating_sub(4) as usize,
                owners.get(&op.id),
            ),
            linked: cart.is_some() && cart == selected,
            selected: i == app.op_sel,
        });
    }
    out.push((ops, Focus::Operations, "Background Operations", records));
    out
}

struct Cx<'a> {
    theme: Theme,
    now: Duration,
    transition: Option<&'a Transition>,
    world: &'a World,
}

impl Cx<'_> {
    fn changed(&self, record: &str, field: &str) -> Option<(String, String)> {
        self.transition
            .and_then(|t| t.changed(self.now, record, field))
            .map(|(a, b)| (a.to_string(), b.to_string()))
    }
    fn created(&self, record: &str) -> bool {
        self.transition.is_some_and(|t| t.created(self.now, record))
    }
}

struct Record {
    lines: Vec<Vec<Span<'static>>>,
    linked: bool,
    selected: bool,
}

/// Spans that wrap as whole chips: a chip never splits across lines unless it is wider
/// than the pane, in which case it is cut with an ellipsis.
struct Chips {
    width: usize,
    lines: Vec<Vec<Span<'static>>>,
    used: usize,
}

impl Chips {
    fn new(width: usize) -> Chips {
        Chips {
            width: width.max(8),
            lines: vec![Vec::new()],
            used: 0,
        }
    }

    fn chip(&mut self, spans: Vec<Span<'static>>) {
        self.chip_sep(spans, 2);
    }

    /// A chip that follows the previous one after `sep` spaces, on the same line when it
    /// fits.
    fn chip_sep(&mut self, spans: Vec<Span<'static>>, sep: usize) {
        let w: usize = spans.iter().map(|s| s.width()).sum();
        if self.used > 0 && self.used + sep + w > self.width {
            self.lines.push(Vec::new());
            self.used = 0;
        }
        let line = self.lines.last_mut().expect("one line at least");
        if self.used > 0 {
            line.push(Span::raw(" ".repeat(sep)));
            self.used += sep;
        }
        let mut room = self.width.saturating_sub(self.used);
        for span in spans {
            if room == 0 {
                break;
            }
            let text = cut(&span.content, room);
            let tw = unicode_width_shim::width(&text);
            room = room.saturating_sub(tw);
            self.used += tw;
            line.push(Span::styled(text, span.style));
        }
    }

    /// A field: its name, then its value glued to it (it moves to the next line, rather
    /// than being cut, when the pane is narrow).
    fn field(&mut self, mut spans: Vec<Span<'static>>) {
        let value = spans.split_off(1.min(spans.len()));
        // Name and value stay together when they fit on a line of their own.
        let whole: usize = spans.iter().chain(&value).map(|s| s.width()).sum::<usize>() + 1;
        if self.used > 0 && self.used + 2 + whole > self.width && whole <= self.width {
            self.newline();
        }
        self.chip(spans);
        self.chip_sep(value, 1);
    }

    /// Text that wraps word by word (each word a chip), so a long message is read in
    /// full rather than cut.
    fn words(&mut self, text: &str, style: Style) {
        for (i, word) in text.split_whitespace().enumerate() {
            let sep = if i == 0 { 2 } else { 1 };
            self.chip_sep(vec![Span::styled(word.to_string(), style)], sep);
        }
    }

    fn newline(&mut self) {
        if self.used > 0 {
            self.lines.push(Vec::new());
            self.used = 0;
        }
    }

    fn done(mut self) -> Vec<Vec<Span<'static>>> {
        if self.lines.last().is_some_and(|l| l.is_empty()) && self.lines.len() > 1 {
            self.lines.pop();
        }
        self.lines
    }
}

/// Cuts text to `width` columns, ending with `…` when cut.
fn cut(text: &str, room: usize) -> String {
    use unicode_width_shim::width;
    if width(text) <= room {
        return text.to_string();
    }
    let mut out = String::new();
    for ch in text.chars() {
        if width(&out) + width(&ch.to_string()) + 1 > room {
            break;
        }
        out.push(ch);
    }
    out.push('…');
    out
}

/// Display width through ratatui (which knows Unicode widths), without a new dependency.
mod unicode_width_shim {
    pub fn width(text: &str) -> usize {
        ratatui::text::Span::raw(text).width()
    }
}

/// A field chip: `Name value`, or `Name old → new` highlighted while it changes.
fn field(
    cx: &Cx,
    record: &str,
    name: &'static str,
    value: String,
    style: Style,
) -> Vec<Span<'static>> {
    let t = cx.theme;
    match cx.changed(record, name) {
        Some((old, new)) => vec![
            Span::styled(name.to_string(), t.label()),
            Span::styled(format!("{old} → {new}"), t.changed()),
        ],
        None => vec![
            Span::styled(name.to_string(), t.label()),
            Span::styled(value, style),
        ],
    }
}

fn flag(cx: &Cx, record: &str, name: &'static str, value: bool) -> Vec<Span<'static>> {
    let t = cx.theme;
    let text = if value { "✓ true" } else { "· false" };
    let style = if value { t.title() } else { t.dim() };
    field(cx, record, name, text.to_string(), style)
}

fn cart_lines(cx: &Cx, cart: &WebCart, width: usize) -> Vec<Vec<Span<'static>>> {
    let t = cx.theme;
    let mut c = Chips::new(width);
    let mut head = vec![Span::styled(cart.id.clone(), t.title())];
    if cart.name != cart.id {
        head.push(Span::styled(format!(" {}", cart.name), t.dim()));
    }
    if cx.created(&cart.id) {
        head.push(Span::styled(" new", t.changed()));
    }
    c.chip(head);
    c.newline();
    let status = format!("{} {}", theme::cart_symbol(cart.status), cart.status);
    c.field(field(
        cx,
        &cart.id,
        "Status",
        status,
        t.cart_status(cart.status),
    ));
    let lock = cx
        .transition
        .and_then(|tr| tr.lock_frame(cx.now, &cart.id, cart.status));
    let lock_style = if lock.is_some() {
        t.changed()
    } else {
        t.cart_status(cart.status)
    };
    c.chip(vec![Span::styled(
        lock.unwrap_or(theme::lock_badge(cart.status)).to_string(),
        lock_style,
    )]);
    c.newline();
    c.field(field(
        cx,
        &cart.id,
        "TotalProductCount",
        World::total_product_count(cart).to_string(),
        t.text(),
    ));
    c.field(field(
        cx,
        &cart.id,
        "TotalProductAmount",
        cx.world.total_product_amount(cart).to_string(),
        t.text(),
    ));
    c.chip(vec![
        Span::styled("OwnerId ", t.label()),
        Span::styled(cart.buyer.clone(), t.dim()),
    ]);
    c.chip(vec![
        Span::styled("AccountId ", t.label()),
        Span::styled(cart.account.clone(), t.dim()),
    ]);
    c.chip(vec![
        Span::styled("WebStoreId ", t.label()),
        Span::styled(cart.store.clone(), t.dim()),
    ]);
    if let Some(store) = cx.world.store(&cart.store) {
        store_chips(cx, &mut c, store);
    }
    if cart.touched_by_custom_code || cx.changed(&cart.id, "Version").is_some() {
        c.newline();
        c.field(field(
            cx,
            &cart.id,
            "Version",
            format!("{} (saved by custom code)", cart.version),
            t.title(),
        ));
    }
    let rows: Vec<_> = cx.world.validation_outputs_of(&cart.id).collect();
    if !rows.is_empty() {
        c.newline();
        c.chip(vec![Span::styled(
            format!("CartValidationOutput {}", rows.len()),
            t.label(),
        )]);
        for row in rows {
            c.newline();
            let style = match row.level {
                ValidationLevel::Error => t.error(),
                ValidationLevel::Warning => t.title(),
                ValidationLevel::Info => t.text(),
            };
            let mut head = vec![
                Span::styled(format!("{} ", theme::level_symbol(row.level)), style),
                Span::styled(format!("{} {} ", row.level, row.kind), style),
                Span::styled(row.id.clone(), t.dim()),
            ];
            if cx.created(&row.id) {
                head.push(Span::styled(" new", t.changed()));
            }
            c.chip(head);
            c.newline();
            c.words(&row.message, t.text());
        }
    }
    c.done()
}

/// The store's template and the settings that choose between readings of the sources,
/// shown compactly: the template always, the checkout readings, and the timers when set.
fn store_chips(cx: &Cx, c: &mut Chips, store: &crate::engine::Store) {
    let t = cx.theme;
    let s = &store.settings;
    c.newline();
    c.chip(vec![
        Span::styled("store ", t.label()),
        Span::styled(format!("{} · {}", store.id, s.template), t.text()),
    ]);
    c.chip(vec![
        Span::styled("checkout_session ", t.label()),
        Span::styled(s.checkout_session.as_str().to_string(), t.text()),
    ]);
    c.chip(vec![
        Span::styled("cancel_requirements ", t.label()),
        Span::styled(s.cancel_requirements.as_str().to_string(), t.text()),
    ]);
    if let Some(ttl) = s.checkout_ttl {
        c.chip(vec![
            Span::styled("checkout_ttl ", t.label()),
            Span::styled(format!("{ttl} ticks"), t.text()),
        ]);
    }
    if let Some(after) = s.operation_expiry {
        c.chip(vec![
            Span::styled("operation_expiry ", t.label()),
            Span::styled(format!("{after} ticks"), t.text()),
        ]);
    }
}

fn session_lines(cx: &Cx, s: &CartCheckoutSession, width: usize) -> Vec<Vec<Span<'static>>> {
    let t = cx.theme;
    let mut c = Chips::new(width);
    let mut head = vec![
        Span::styled(s.id.clone(), t.title()),
        Span::styled(format!(" of {}", s.cart), t.dim()),
    ];
    head.push(if s.is_archived {
        Span::styled(" ▪ archived", t.dim())
    } else {
        Span::styled(" ◆ active", t.ok())
    });
    if cx.created(&s.id) {
        head.push(Span::styled(" new", t.changed()));
    }
    c.chip(head);
    c.newline();
    let state_style = if s.state == crate::engine::flow::ERROR {
        t.error()
    } else {
        t.text()
    };
    c.field(field(cx, &s.id, "State", s.state.clone(), state_style));
    c.newline();
    c.field(field(
        cx,
        &s.id,
        "NextState",
        FieldValue::opt_text(&s.next_state).to_string(),
        t.text(),
    ));
    c.newline();
    c.field(flag(cx, &s.id, "IsProcessing", s.is_processing));
    c.field(flag(cx, &s.id, "IsError", s.is_error));
    c.field(flag(cx, &s.id, "IsArchived", s.is_archived));
    c.newline();
    c.field(field(
        cx,
        &s.id,
        "BackgroundOperationId",
        FieldValue::opt_text(&s.background_operation_id).to_string(),
        t.text(),
    ));
    if s.is_error && !s.is_archived {
        let screen = crate::engine::errors::SOMETHING_WENT_WRONG;
        c.newline();
        c.chip(vec![Span::styled("buyer sees", t.label())]);
        c.words(&format!("\"{}\"", screen.text), t.error());
    }
    if let Some(deadline) = crate::engine::checkout_deadline(cx.world, s) {
        c.newline();
        let left = deadline.saturating_sub(cx.world.tick);
        c.chip(vec![
            Span::styled("⏳ expires in ", t.label()),
            Span::styled(
                format!(
                    "{left} tick{} (at tick {deadline})",
                    if left == 1 { "" } else { "s" }
                ),
                t.title(),
            ),
        ]);
    }
    if s.order_id.is_some() || cx.changed(&s.id, "OrderId").is_some() {
        c.field(field(
            cx,
            &s.id,
            "OrderId",
            FieldValue::opt_text(&s.order_id).to_string(),
            t.ok(),
        ));
    }
    c.done()
}

fn op_lines(
    cx: &Cx,
    op: &BackgroundOperation,
    width: usize,
    owner: Option<&String>,
) -> Vec<Vec<Span<'static>>> {
    let t = cx.theme;
    let mut c = Chips::new(width);
    let mut head = vec![
        Span::styled(op.id.clone(), t.title()),
        Span::raw(" "),
        Span::styled(op.name.clone(), t.text()),
    ];
    if cx.created(&op.id) {
        head.push(Span::styled(" new", t.changed()));
    }
    c.chip(head);
    c.newline();
    let symbol = if op.status == OperationStatus::Running {
        anim::spinner(cx.now)
    } else {
        theme::op_symbol(op.status)
    };
    c.field(field(
        cx,
        &op.id,
        "Status",
        format!("{symbol} {}", op.status),
        t.op_status(op.status),
    ));
    if let Some(session) = owner {
        c.chip(vec![Span::styled(format!("for {session}"), t.dim())]);
    }
    c.newline();
    let progress = cx
        .transition
        .map_or(op.progress(), |tr| tr.progress(cx.now, op));
    let bar_width = width.saturating_sub(6).clamp(4, 20);
    c.chip(vec![
        Span::styled(anim::bar(progress, bar_width), t.op_status(op.status)),
        Span::raw(format!(" {:>3}%", (progress * 100.0).round() as u32)),
    ]);
    if let Some(at) = op.expires_at {
        c.newline();
        c.chip(vec![
            Span::styled("ExpiresAt ", t.label()),
            Span::styled(format!("tick {at} (leaves the queue)"), t.dim()),
        ]);
    }
    if let Some(error) = &op.error {
        c.newline();
        c.chip(vec![Span::styled("Error", t.label())]);
        c.words(error, t.error());
    }
    c.done()
}

#[allow(clippy::too_many_arguments)]
fn pane(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    which: Focus,
    title: &str,
    records: Vec<Record>,
    any_selected: bool,
) {
    let t = app.theme;
    let focused = app.focus == which;
    let count = records.len();
    // The Salesforce object name in parentheses goes when the pane is too narrow.
    let title = if title.len() + 6 > area.width as usize {
        title.split(" (").next().unwrap_or(title)
    } else {
        title
    };
    let block = Block::bordered()
        .title(Line::from(vec![
            Span::styled(format!(" {title} "), t.title()),
            Span::styled(format!("{count} "), t.dim()),
        ]))
        .border_style(t.pane_border(focused));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut lines: Vec<Line> = Vec::new();
    let mut selected_range = (0, 0);
    for record in records {
        let start = lines.len();
        let dim = any_selected && !record.linked;
        for (k, spans) in record.lines.into_iter().enumerate() {
            let marker = if record.linked {
                Span::styled("▌", t.linked())
            } else {
                Span::raw(" ")
            };
            let mut line = Line::from(
                std::iter::once(marker)
                    .chain(spans.into_iter().map(|s| {
                        if dim {
                            let style = s.style.patch(t.dim());
                            Span::styled(s.content, style)
                        } else if record.linked {
                            let style = s.style.patch(t.linked());
                            Span::styled(s.content, style)
                        } else {
                            s
                        }
                    }))
                    .collect::<Vec<_>>(),
            );
            if k == 0 && record.selected && focused {
                line = line.patch_style(t.selected());
                line.spans.insert(0, Span::styled("›", t.selected()));
            } else if k == 0 && record.selected {
                line.spans.insert(0, Span::styled("›", t.title()));
            } else {
                line.spans.insert(0, Span::raw(" "));
            }
            lines.push(line);
        }
        if record.selected {
            selected_range = (start, lines.len());
        }
    }
    if lines.is_empty() {
        lines.push(Line::styled(" (none)", t.dim()));
    }
    let height = inner.height as usize;
    let offset = if selected_range.1 > height {
        (selected_range.1 - height).min(selected_range.0)
    } else {
        0
    };
    frame.render_widget(
        Paragraph::new(lines).scroll((offset.min(u16::MAX as usize) as u16, 0)),
        inner,
    );
}
