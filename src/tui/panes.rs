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

/// Draws the three panes. Only the records a pane has room for are built: the cost
/// follows the screen, not the number of records.
pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let any_selected = app.player.selected_cart().is_some();
    let Some(world) = app.world() else {
        return;
    };
    let cx = Cx::new(app, world);
    for (rect, which, title) in layout(area) {
        let height = rect.height.saturating_sub(2) as usize;
        let (records, offset) = window(&cx, app, which, rect, height);
        let count = record_count(world, which);
        pane(
            frame,
            rect,
            app,
            (which, title, count),
            records,
            offset,
            any_selected,
        );
    }
}

/// Draws one pane over the whole area (zoom, `z`).
pub fn draw_zoomed(frame: &mut Frame, area: Rect, app: &App, which: Focus) {
    let any_selected = app.player.selected_cart().is_some();
    let Some(world) = app.world() else {
        return;
    };
    let cx = Cx::new(app, world);
    let Some((_, _, title)) = layout(area).into_iter().find(|(_, w, _)| *w == which) else {
        return;
    };
    let height = area.height.saturating_sub(2) as usize;
    let (records, offset) = window(&cx, app, which, area, height);
    let count = record_count(world, which);
    pane(
        frame,
        area,
        app,
        (which, title, count),
        records,
        offset,
        any_selected,
    );
}

/// The height the panes need to show every record (borders included), counted only up
/// to the whole area's height.
pub fn needed_height(app: &App, area: Rect) -> u16 {
    let Some(world) = app.world() else {
        return 3;
    };
    let cx = Cx::new(app, world);
    let cap = area.height as usize;
    let lines = layout(area)
        .into_iter()
        .map(|(rect, which, _)| {
            let mut lines = 0;
            for i in 0..record_count(world, which) {
                lines += record(&cx, app, which, i, rect).lines.len();
                if lines > cap {
                    break;
                }
            }
            lines
        })
        .max()
        .unwrap_or(0);
    (lines.clamp(1, cap) + 2).min(u16::MAX as usize) as u16
}

fn layout(area: Rect) -> [(Rect, Focus, &'static str); 3] {
    let [carts, sessions, ops] = Layout::horizontal([
        Constraint::Percentage(30),
        Constraint::Percentage(38),
        Constraint::Percentage(32),
    ])
    .areas(area);
    [
        (carts, Focus::Carts, "Carts (WebCart)"),
        (
            sessions,
            Focus::Sessions,
            "Checkout Sessions (CartCheckoutSession)",
        ),
        (ops, Focus::Operations, "Background Operations"),
    ]
}

fn record_count(world: &World, which: Focus) -> usize {
    match which {
        Focus::Carts => world.carts().len(),
        Focus::Sessions => world.sessions().len(),
        _ => world.operations().len(),
    }
}

/// The selected record of a pane, in display order.
fn selected_index(app: &App, world: &World, which: Focus) -> Option<usize> {
    let count = record_count(world, which);
    let sel = match which {
        Focus::Carts => app.player.cart_sel.min(count.saturating_sub(1)),
        Focus::Sessions => app.player.session_sel,
        _ => app.player.op_sel,
    };
    (sel < count).then_some(sel)
}

/// Record `i` of a pane in display order: carts in order, sessions and operations newest
/// first (the live ones are on top).
fn record(cx: &Cx, app: &App, which: Focus, i: usize, rect: Rect) -> Record {
    let world = cx.world;
    let width = rect.width.saturating_sub(4) as usize;
    let selected = selected_index(app, world, which) == Some(i);
    match which {
        Focus::Carts => {
            let cart = world.carts().nth(i).expect("a row below the pane's count");
            Record::new(
                cart_lines(cx, cart, width),
                Some(cart.id.as_str()) == cx.selected_cart.as_deref(),
                selected,
            )
        }
        Focus::Sessions => {
            let s = world
                .sessions()
                .iter()
                .rev()
                .nth(i)
                .expect("a row below the pane's count");
            Record::new(
                session_lines(cx, s, width),
                Some(s.cart.as_str()) == cx.selected_cart.as_deref(),
                selected,
            )
        }
        _ => {
            let op = world
                .operations()
                .iter()
                .rev()
                .nth(i)
                .expect("a row below the pane's count");
            let owner = app.player.op_owner(&op.id);
            let cart = owner
                .and_then(|s| world.session(s))
                .map(|s| s.cart.as_str());
            Record::new(
                op_lines(cx, op, width, owner),
                cart.is_some() && cart == cx.selected_cart.as_deref(),
                selected,
            )
        }
    }
}

/// The records a pane of `height` rows shows, in order, and how many lines of them are
/// scrolled off the top: the first screenful, or, when the selected record lies below
/// it, a screenful that ends with the selected record (its top shows when it is taller
/// than the pane).
fn window(cx: &Cx, app: &App, which: Focus, rect: Rect, height: usize) -> (Vec<Record>, usize) {
    let count = record_count(cx.world, which);
    let sel = selected_index(app, cx.world, which);
    let mut records = Vec::new();
    let mut lines = 0;
    let mut sel_range = None;
    for i in 0..count {
        let built = record(cx, app, which, i, rect);
        let start = lines;
        lines += built.lines.len();
        records.push(built);
        if Some(i) == sel {
            sel_range = Some((start, lines));
        }
        if lines >= height && (sel_range.is_some() || sel.is_none()) {
            break;
        }
        if lines >= height && sel.is_some_and(|s| s > i) {
            // The selected record is further down: build the screenful that ends with it.
            let s = sel.unwrap_or(i);
            let mut back = Vec::new();
            let mut total = 0;
            for j in (0..=s).rev() {
                let built = record(cx, app, which, j, rect);
                total += built.lines.len();
                back.push(built);
                if total >= height {
                    break;
                }
            }
            back.reverse();
            let sel_len = back.last().map_or(0, |r| r.lines.len());
            let offset = total.saturating_sub(height).min(total - sel_len);
            return (back, offset);
        }
    }
    let offset = match sel_range {
        Some((start, end)) if end > height => (end - height).min(start),
        _ => 0,
    };
    let offset = keep_changes_in_view(&records, offset, height);
    (records, offset)
}

/// Moves the window down when the fields the last step changed lie below it (a small
/// screen shows a record's first rows only): the changed rows stay in view, from the
/// first of them, at the cost of the record's top rows.
fn keep_changes_in_view(records: &[Record], offset: usize, height: usize) -> usize {
    let changed: Vec<usize> = records
        .iter()
        .flat_map(|r| r.lines.iter())
        .enumerate()
        .filter(|(_, line)| {
            line.iter()
                .any(|s| s.content.starts_with('•') || s.content.contains(" → "))
        })
        .map(|(i, _)| i)
        .collect();
    let (Some(&first), Some(&last)) = (changed.first(), changed.last()) else {
        return offset;
    };
    if height < 2 || last < offset + height {
        return offset;
    }
    // The window that ends with the last changed row, one row more for the record's
    // first row kept on top (see `pane`): taken when every changed row fits in it.
    let ending = (last + 2).saturating_sub(height);
    if ending < first {
        return ending.max(offset);
    }
    // Too many to show them all: at least the first, unless one is already in sight.
    if changed.iter().any(|i| *i >= offset && *i < offset + height) {
        offset
    } else {
        first.saturating_sub(1).max(offset)
    }
}

struct Cx<'a> {
    theme: Theme,
    now: Duration,
    transition: Option<&'a Transition>,
    world: &'a World,
    selected_cart: Option<String>,
    collapse_finished: bool,
    /// The REST calls played so far: (cart, `PUT 202`, answered without refusal).
    calls: Vec<(String, String, bool)>,
}

impl<'a> Cx<'a> {
    fn new(app: &'a App, world: &'a World) -> Cx<'a> {
        Cx {
            theme: app.prefs.theme,
            now: app.now,
            transition: app.player.transition.as_ref(),
            world,
            selected_cart: app.player.selected_cart(),
            collapse_finished: app.player.collapse_finished,
            calls: app
                .player
                .playback
                .as_ref()
                .map(|p| {
                    p.played()
                        .iter()
                        .filter_map(|e| {
                            let request = e.outcome.request.as_deref()?;
                            let method = request.split(' ').next().unwrap_or(request);
                            let status = e.outcome.http.map_or("-".into(), |h| h.to_string());
                            Some((
                                e.action.cart()?.to_string(),
                                format!("{method} {status}"),
                                e.outcome.result.is_ok(),
                            ))
                        })
                        .collect()
                })
                .unwrap_or_default(),
        }
    }
    fn changed(&self, record: &str, field: &str) -> Option<(String, String)> {
        self.transition
            .and_then(|t| t.changed(self.now, record, field))
            .map(|(a, b)| (a.to_string(), b.to_string()))
    }
    fn created(&self, record: &str) -> bool {
        self.transition.is_some_and(|t| t.created(self.now, record))
    }
    /// The last step changed this field: marked until the next step, after the
    /// highlight has faded.
    fn touched(&self, record: &str, field: &str) -> bool {
        self.transition.is_some_and(|t| {
            t.changes
                .iter()
                .any(|c| c.record == record && c.field == Some(field))
        })
    }
}

/// A run of a record's lines a short pane keeps in view: its lines, how much it insists,
/// and the first line of the record inside the record it belongs to (a
/// CartDeliveryGroup under its session), which comes with it.
type Run = (std::ops::Range<usize>, Keep, Option<usize>);

/// How much a run of a record's lines insists on being seen when the pane is short.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Keep {
    /// A field the last step changed, or the calculator a Cart Calculate is in: a short
    /// pane shows it, whatever else it leaves out.
    Must,
    /// The state an Aura flow goes to next: shown when there is room after those.
    Next,
    /// The rest of an Aura flow's strip: shown when there is room after that.
    Wanted,
}

struct Record {
    lines: Vec<Vec<Span<'static>>>,
    /// Runs of lines a short pane keeps in view, whole, by rank (see [`Keep`]).
    keep: Vec<Run>,
    linked: bool,
    selected: bool,
}

impl Record {
    fn new(chips: Chips, linked: bool, selected: bool) -> Record {
        let (lines, keep) = chips.finish();
        Record {
            lines,
            keep,
            linked,
            selected,
        }
    }
}

/// Spans that wrap as whole chips: a chip never splits across lines unless it is wider
/// than the pane, in which case it is cut with an ellipsis.
struct Chips {
    width: usize,
    lines: Vec<Vec<Span<'static>>>,
    used: usize,
    /// Runs of lines a short pane keeps in view.
    keep: Vec<Run>,
    /// The first line of the record inside the record being written, if any.
    section: Option<usize>,
}

impl Chips {
    fn new(width: usize) -> Chips {
        Chips {
            width: width.max(8),
            lines: vec![Vec::new()],
            used: 0,
            keep: Vec::new(),
            section: None,
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
        let changed = spans.iter().any(|s| s.content.starts_with('•'))
            || value.iter().any(|s| s.content.contains(" → "));
        self.chip(spans);
        // The line the name landed on, to the value's last: a wrapped change is kept
        // whole.
        let start = self.lines.len() - 1;
        self.chip_sep(value, 1);
        if changed {
            self.keep_from(start, Keep::Must);
        }
    }

    /// Marks the lines from `start` to the last as a run a short pane keeps in view.
    fn keep_from(&mut self, start: usize, rank: Keep) {
        let mut end = self.lines.len();
        if end > start + 1 && self.lines[end - 1].is_empty() {
            end -= 1;
        }
        self.keep.push((start..end, rank, self.section));
    }

    /// The index of the line being written.
    fn at(&self) -> usize {
        self.lines.len() - 1
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

    /// The lines, and the runs of them a short pane keeps in view.
    #[allow(clippy::type_complexity)]
    fn finish(mut self) -> (Vec<Vec<Span<'static>>>, Vec<Run>) {
        if self.lines.last().is_some_and(|l| l.is_empty()) && self.lines.len() > 1 {
            self.lines.pop();
        }
        let n = self.lines.len();
        let keep = self
            .keep
            .into_iter()
            .map(|(r, k, head)| (r.start.min(n)..r.end.min(n), k, head.filter(|h| *h < n)))
            .filter(|(r, _, _)| !r.is_empty())
            .collect();
        (self.lines, keep)
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
    let label = if crate::engine::is_simulator_only(name) {
        t.simulator()
    } else {
        t.label()
    };
    match cx.changed(record, name) {
        Some((old, new)) => vec![
            Span::styled(name.to_string(), label),
            Span::styled(format!("{old} → {new}"), t.changed()),
        ],
        None if cx.touched(record, name) => vec![
            Span::styled(format!("•{name}"), label),
            Span::styled(value, style),
        ],
        None => vec![
            Span::styled(name.to_string(), label),
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

fn cart_lines(cx: &Cx, cart: &WebCart, width: usize) -> Chips {
    let t = cx.theme;
    let mut c = Chips::new(width);
    let mut head = vec![Span::styled(cart.id, t.title())];
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
        Span::styled(cart.buyer, t.dim()),
    ]);
    c.chip(vec![
        Span::styled("AccountId ", t.label()),
        Span::styled(cart.account, t.dim()),
    ]);
    c.chip(vec![
        Span::styled("WebStoreId ", t.label()),
        Span::styled(cart.store, t.dim()),
    ]);
    let lwr = cx
        .world
        .store(&cart.store)
        .is_some_and(|s| s.settings.template == crate::engine::Template::Lwr);
    if lwr {
        // The amounts an LWR checkout computes: charge (delivery), tax and their total.
        c.newline();
        c.field(field(
            cx,
            &cart.id,
            "TotalChargeAmount",
            cart.total_charge.to_string(),
            t.text(),
        ));
        c.field(field(
            cx,
            &cart.id,
            "TotalTaxAmount",
            cart.total_tax.to_string(),
            t.text(),
        ));
        c.field(field(
            cx,
            &cart.id,
            "GrandTotalAmount",
            cx.world.grand_total_amount(cart).to_string(),
            t.title(),
        ));
        if let Some(email) = &cart.guest_email {
            c.field(field(
                cx,
                &cart.id,
                "GuestEmailAddress",
                email.clone(),
                t.text(),
            ));
        }
        c.field(field(
            cx,
            &cart.id,
            "~version",
            cart.version.to_string(),
            t.simulator(),
        ));
    }
    if let Some(store) = cx.world.store(&cart.store) {
        store_chips(cx, &mut c, store);
    }
    if !lwr && cart.touched_by_custom_code || cx.changed(&cart.id, "~version").is_some() {
        c.newline();
        c.field(field(
            cx,
            &cart.id,
            "~version",
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
                Span::styled(row.id, t.dim()),
            ];
            if cx.created(&row.id) {
                head.push(Span::styled(" new", t.changed()));
            }
            c.chip(head);
            c.newline();
            c.words(&row.message, t.text());
        }
    }
    c
}

/// The store's template and the settings that choose between readings of the sources,
/// shown compactly: the template always, the checkout readings, and the timers when set.
fn store_chips(cx: &Cx, c: &mut Chips, store: &crate::engine::Store) {
    let t = cx.theme;
    let s = &store.settings;
    c.newline();
    // The store's template and readings are simulator configuration, not WebStore
    // fields: drawn as the other simulator-only values are, with a ~.
    c.chip(vec![
        Span::styled("~store ", t.simulator()),
        Span::styled(format!("{} · {}", store.id, s.template), t.text()),
    ]);
    for setting in crate::engine::settings::SETTINGS {
        if setting.shown_in_pane(s) {
            c.chip(vec![
                Span::styled(format!("~{} ", setting.key), t.simulator()),
                Span::styled(setting.show(s), t.text()),
            ]);
        }
    }
}

fn session_lines(cx: &Cx, s: &CartCheckoutSession, width: usize) -> Chips {
    let t = cx.theme;
    let mut c = Chips::new(width);
    let mut head = vec![
        Span::styled(s.id, t.title()),
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
    // An lwr checkout's State is not documented: null.
    let state = if s.state.is_empty() {
        "null".to_string()
    } else {
        s.state.clone()
    };
    c.field(field(cx, &s.id, "State", state, state_style));
    c.newline();
    c.field(field(
        cx,
        &s.id,
        "NextState",
        FieldValue::opt_text(&s.next_state).to_string(),
        t.text(),
    ));
    // Right under State and NextState, so that a short pane still says what comes next:
    // the flow of an Aura store, or the calculators and calls of an LWR checkout.
    let lwr = cx
        .world
        .store_of_cart(&s.cart)
        .is_some_and(|st| st.settings.template == crate::engine::Template::Lwr);
    if lwr {
        rest_strip(cx, &mut c, s);
    } else {
        // What comes next in the flow is kept in view on a short pane, as the running
        // calculator is on an LWR checkout.
        c.newline();
        let start = c.at();
        flow_strip(cx, &mut c, s);
        c.keep_from(start, Keep::Wanted);
    }
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
    session_warnings(cx, &mut c, s);
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
    if lwr {
        lwr_records(cx, &mut c, s);
    }
    if s.order_id.is_some() || cx.changed(&s.id, "OrderId").is_some() {
        c.newline();
        c.field(field(
            cx,
            &s.id,
            "OrderId",
            FieldValue::opt_text(&s.order_id).to_string(),
            t.ok(),
        ));
    }
    c
}

/// The records an LWR checkout makes, under its session: OrderReferenceNumber, Place
/// Order V2's `~prepared`, the CartDeliveryGroup (address, delivery method) and the
/// PaymentAuthorizations (amount, status).
fn lwr_records(cx: &Cx, c: &mut Chips, s: &CartCheckoutSession) {
    let t = cx.theme;
    if s.rest.order_reference.is_some() || cx.changed(&s.id, "OrderReferenceNumber").is_some() {
        c.newline();
        c.field(field(
            cx,
            &s.id,
            "OrderReferenceNumber",
            FieldValue::opt_text(&s.rest.order_reference).to_string(),
            t.ok(),
        ));
    }
    if s.rest.prepared || cx.changed(&s.id, "~prepared").is_some() {
        c.field(field(
            cx,
            &s.id,
            "~prepared",
            s.rest.prepared.to_string(),
            t.simulator(),
        ));
    }
    if let Some(g) = cx.world.delivery_group_of_session(&s.id) {
        c.newline();
        let mut head = vec![
            Span::styled(g.id, t.title()),
            Span::styled(" CartDeliveryGroup", t.dim()),
        ];
        if cx.created(&g.id) {
            head.push(Span::styled(" new", t.changed()));
        }
        c.chip(head);
        c.section = Some(c.at());
        c.newline();
        // The DeliverTo fields by their own names: those given, or DeliverToStreet null
        // while none is.
        let parts = [
            ("DeliverToStreet", &g.address.street),
            ("DeliverToCity", &g.address.city),
            ("DeliverToPostalCode", &g.address.postal_code),
            ("DeliverToCountry", &g.address.country),
        ];
        let none = parts.iter().all(|(_, v)| v.is_none());
        for (i, (name, value)) in parts.into_iter().enumerate() {
            if value.is_some() || (none && i == 0) || cx.changed(&g.id, name).is_some() {
                c.field(field(
                    cx,
                    &g.id,
                    name,
                    FieldValue::opt_text(value).to_string(),
                    t.text(),
                ));
            }
        }
        c.field(field(
            cx,
            &g.id,
            "DeliveryMethodId",
            FieldValue::opt_text(&g.delivery_method).to_string(),
            t.text(),
        ));
    }
    for p in cx.world.payment_authorizations_of(&s.id) {
        c.newline();
        let mut head = vec![
            Span::styled(p.id, t.title()),
            Span::styled(" PaymentAuthorization", t.dim()),
        ];
        if cx.created(&p.id) {
            head.push(Span::styled(" new", t.changed()));
        }
        c.chip(head);
        c.section = Some(c.at());
        c.field(field(cx, &p.id, "Amount", p.amount.to_string(), t.text()));
        let style = match p.status {
            crate::engine::PaymentAuthorizationStatus::Processed => t.ok(),
            crate::engine::PaymentAuthorizationStatus::Canceled => t.dim(),
            _ => t.error(),
        };
        c.field(field(cx, &p.id, "Status", p.status.to_string(), style));
    }
    c.section = None;
}

/// An LWR checkout has no flow: the calculator running now (its progress) and the REST
/// calls made on the cart so far, as the network tab shows them.
fn rest_strip(cx: &Cx, c: &mut Chips, s: &CartCheckoutSession) {
    let t = cx.theme;
    let running = s
        .background_operation_id
        .as_deref()
        .and_then(|id| cx.world.operation(id))
        .filter(|op| op.status.in_progress());
    c.newline();
    match running {
        Some(op) => {
            // The calculator's name wraps rather than being cut: it is the point here,
            // and a short pane keeps it in view.
            let start = c.at();
            c.chip(vec![Span::styled("~calculator", t.simulator())]);
            let now = op
                .current_calculator(cx.world.tick)
                .map_or_else(|| op.name.clone(), |k| k.to_string());
            c.words(
                &format!(
                    "{now} in {} ({}/{} ticks)",
                    op.id,
                    op.ticks_total.saturating_sub(cx.world.ticks_left(op)),
                    op.ticks_total
                ),
                t.changed(),
            );
            c.keep_from(start, Keep::Must);
        }
        None => c.chip(vec![
            Span::styled("calculators ", t.label()),
            Span::styled("idle", t.dim()),
        ]),
    }
    let calls: Vec<&(String, String, bool)> = cx
        .calls
        .iter()
        .filter(|(cart, _, _)| *cart == s.cart)
        .collect();
    if calls.is_empty() {
        return;
    }
    c.newline();
    c.chip(vec![Span::styled("calls", t.label())]);
    // The newest calls, the last one last; N lists them all.
    let skip = calls.len().saturating_sub(6);
    for (_, call, ok) in calls.into_iter().skip(skip) {
        c.chip_sep(
            vec![Span::styled(
                call.clone(),
                if *ok { t.ok() } else { t.error() },
            )],
            1,
        );
    }
}

/// The checkout flow as a strip, one mark per state (`✔` done, `▶` the current state,
/// then `○` asynchronous, `◇` buyer, `=` synchronous), and what comes next in words,
/// also while the buyer must act and NextState is null.
fn flow_strip(cx: &Cx, c: &mut Chips, s: &CartCheckoutSession) {
    use crate::engine::flow::{COMPLETE, StepKind};
    let t = cx.theme;
    let Some(store) = cx
        .world
        .cart(&s.cart)
        .and_then(|cart| cx.world.store(&cart.store))
    else {
        return;
    };
    let flow = &store.checkout_flow;
    let now = flow.iter().position(|f| f.state == s.state);
    let complete = s.state == COMPLETE;
    let mut strip = vec![Span::styled("flow ", t.label())];
    for (i, f) in flow.iter().enumerate() {
        let (mark, style) = match now {
            _ if complete => ("✔", t.ok()),
            Some(n) if i < n => ("✔", t.ok()),
            Some(n) if i == n => ("▶", t.selected()),
            _ => match f.kind {
                StepKind::Async { .. } => ("○", t.text()),
                StepKind::Buyer => ("◇", t.text()),
                StepKind::Sync => ("=", t.text()),
            },
        };
        strip.push(Span::styled(mark, style));
    }
    c.newline();
    c.chip(strip);
    let kind = |k: &StepKind| match k {
        StepKind::Async { .. } => "async",
        StepKind::Buyer => "buyer",
        StepKind::Sync => "sync",
    };
    if let Some(n) = now {
        let here = &flow[n];
        let doing = match here.kind {
            StepKind::Buyer if !s.is_archived => "buyer acts: c continues",
            StepKind::Buyer => "buyer",
            StepKind::Async { .. } => "async",
            StepKind::Sync => "sync",
        };
        c.newline();
        c.chip(vec![
            Span::styled("now ", t.label()),
            Span::styled(format!("{} ({doing})", here.state), t.text()),
        ]);
        let next = match flow.get(n + 1) {
            Some(f) => format!("{} ({})", f.state, kind(&f.kind)),
            None => "the order (Complete)".to_string(),
        };
        c.chip(vec![
            Span::styled("then ", t.label()),
            Span::styled(next, t.text()),
        ]);
        let at = c.at();
        c.keep_from(at, Keep::Next);
    }
}

/// Warnings on data that does not hang together: a BackgroundOperationId that names no
/// operation, IsProcessing with nothing running.
fn session_warnings(cx: &Cx, c: &mut Chips, s: &CartCheckoutSession) {
    let t = cx.theme;
    let named = s
        .background_operation_id
        .as_deref()
        .map(|id| (id, cx.world.operation(id)));
    if let Some((id, None)) = named {
        c.newline();
        c.chip(vec![Span::styled("⚠ warning ", t.error())]);
        c.words(
            &format!("BackgroundOperationId {id} names no operation (requirement 6)"),
            t.error(),
        );
    }
    let running = named
        .and_then(|(_, op)| op)
        .is_some_and(|op| op.status.in_progress());
    if s.is_processing && !running {
        c.newline();
        c.chip(vec![Span::styled("⚠ warning ", t.error())]);
        c.words(
            "IsProcessing is true but no operation is running",
            t.error(),
        );
    }
}

fn op_lines(cx: &Cx, op: &BackgroundOperation, width: usize, owner: Option<&str>) -> Chips {
    let t = cx.theme;
    let mut c = Chips::new(width);
    let mut head = vec![
        Span::styled(op.id, t.title()),
        Span::raw(" "),
        Span::styled(op.name.clone(), t.text()),
    ];
    if cx.created(&op.id) {
        head.push(Span::styled(" new", t.changed()));
    }
    // Collapsed, a finished operation is one line: its id, name and status. An Error
    // keeps its full record, since its message is what a trainee needs.
    if cx.collapse_finished
        && !op.status.in_progress()
        && op.status != OperationStatus::Error
        && cx.changed(&op.id, "Status").is_none()
    {
        head.push(Span::styled(
            format!(" {} {}", theme::op_symbol(op.status), op.status),
            t.op_status(op.status),
        ));
        c.chip(head);
        return c;
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
    // An operation that ended in Error shows where it stopped, not a full bar.
    let stopped = stopped_after(op);
    let progress = match stopped {
        Some(done) => done as f64 / op.ticks_total.max(1) as f64,
        None => cx.transition.map_or(op.progress(cx.world.tick), |tr| {
            tr.progress(cx.now, op, cx.world.tick)
        }),
    };
    let done = stopped.unwrap_or(op.ticks_total.saturating_sub(cx.world.ticks_left(op)));
    let bar_width = width.saturating_sub(6).clamp(4, 20);
    c.chip(vec![
        Span::styled(anim::bar(progress, bar_width), t.op_status(op.status)),
        Span::raw(format!(" {:>3}%", (progress * 100.0).round() as u32)),
    ]);
    c.chip(vec![Span::styled(
        format!("{done}/{} ticks", op.ticks_total),
        t.text(),
    )]);
    if let Some(fault) = &op.pending_fault {
        c.newline();
        c.chip(vec![Span::styled("⚡ fault armed ", t.error())]);
        c.words(
            &format!("{} at the next tick: {}", fault.level, fault.message),
            t.error(),
        );
    }
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
    c
}

/// For an operation that ended in Error: how many ticks of work it did before it
/// stopped (an injected fault stops it at the tick it fires; a stale cart ends it after
/// its last tick).
fn stopped_after(op: &BackgroundOperation) -> Option<u64> {
    if op.status != OperationStatus::Error {
        return None;
    }
    let (start, end) = (op.started_at?, op.ended_at?);
    let elapsed = end.saturating_sub(start);
    let in_use = op
        .error
        .as_deref()
        .is_some_and(|e| e.contains("currently in use"));
    Some(if in_use {
        op.ticks_total
    } else {
        elapsed.saturating_sub(1).min(op.ticks_total)
    })
}

fn pane(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    (which, title, count): (Focus, &str, usize),
    records: Vec<Record>,
    offset: usize,
    any_selected: bool,
) {
    let t = app.prefs.theme;
    let focused = app.player.focus == which;
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
    let mut lines: Vec<Line> = Vec::new();
    let mut starts = Vec::new();
    let mut keep = Vec::new();
    for record in records {
        let first = lines.len();
        starts.push(first);
        let dim = any_selected && !record.linked;
        // Only the selected cart's records insist on being seen (or every record when
        // no cart is selected).
        if record.linked || !any_selected {
            keep.extend(
                record.keep.iter().map(|(r, k, head)| {
                    (first + r.start..first + r.end, *k, head.map(|h| first + h))
                }),
            );
        }
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
    }
    if lines.is_empty() {
        lines.push(Line::styled(" (none)", t.dim()));
    }
    // A record scrolled into keeps its first line (its id and state) on top, in place
    // of the line below it: a field is never shown without the record it belongs to.
    let height = inner.height as usize;
    let end = |offset: usize| (offset + height).min(lines.len());
    let mut offset = offset.min(lines.len());
    let mut visible: Vec<usize> = (offset..end(offset)).collect();
    let mut head = None;
    if let Some(&start) = starts.iter().rev().find(|s| **s < offset)
        && !starts.contains(&offset)
        && offset + 1 < lines.len()
    {
        offset += 1;
        head = Some((offset, start));
        visible = std::iter::once(start)
            .chain(offset + 1..end(offset))
            .collect();
    }
    let hidden = keep
        .iter()
        .any(|(r, k, _)| *k == Keep::Must && r.clone().any(|i| !visible.contains(&i)));
    let (shown, left_out) = if hidden {
        compact(lines, &starts, &keep, visible, height)
    } else {
        if let Some((at, start)) = head {
            lines[at] = lines[start].clone();
        }
        (lines.into_iter().skip(offset).take(height).collect(), 0)
    };
    // What a pane too short could not show is said, with the key that shows it whole.
    let block = if left_out > 0 {
        block.title_bottom(Span::styled(
            format!(" +{left_out} changed (focus, z) "),
            t.key(),
        ))
    } else {
        block
    };
    frame.render_widget(block, area);
    frame.render_widget(Paragraph::new(shown), inner);
}

/// The rows of a pane too short for what must be seen (the fields the last step changed
/// and the calculator running, in the selected cart's records): the first row of those
/// records, then each run that must be seen, whole, then the runs wanted, then the rest
/// of those records, then what the window showed; each row in its place in the pane.
/// Also returns how many of the runs that must be seen did not fit.
fn compact(
    lines: Vec<Line<'static>>,
    starts: &[usize],
    keep: &[Run],
    window: Vec<usize>,
    height: usize,
) -> (Vec<Line<'static>>, usize) {
    let record_of = |i: usize| starts.partition_point(|s| *s <= i).saturating_sub(1);
    let range_of = |r: usize| starts[r]..starts.get(r + 1).copied().unwrap_or(lines.len());
    let mut records: Vec<usize> = keep.iter().map(|(r, _, _)| record_of(r.start)).collect();
    records.dedup();
    let mut chosen = std::collections::BTreeSet::new();
    // A run goes in whole or not at all, with the head of the record it is in: a
    // field's name is never shown without its value, nor a field without its record.
    let take = |run: std::ops::Range<usize>,
                head: Option<usize>,
                chosen: &mut std::collections::BTreeSet<usize>| {
        let lines: Vec<usize> = run.chain(head).collect();
        let new = lines.iter().filter(|i| !chosen.contains(i)).count();
        if chosen.len() + new <= height {
            chosen.extend(lines);
        }
    };
    for &r in &records {
        take(starts[r]..starts[r] + 1, None, &mut chosen);
    }
    for rank in [Keep::Must, Keep::Next, Keep::Wanted] {
        for (run, _, head) in keep.iter().filter(|(_, k, _)| *k == rank) {
            take(run.clone(), *head, &mut chosen);
        }
    }
    for i in records.iter().flat_map(|&r| range_of(r)).chain(window) {
        take(i..i + 1, None, &mut chosen);
    }
    let left_out = keep
        .iter()
        .filter(|(run, k, _)| *k == Keep::Must && run.clone().any(|i| !chosen.contains(&i)))
        .count();
    let shown = lines
        .into_iter()
        .enumerate()
        .filter(|(i, _)| chosen.contains(i))
        .map(|(_, l)| l)
        .collect();
    (shown, left_out)
}

#[cfg(test)]
mod window_tests {
    use super::super::app::App;
    use super::super::theme::Theme;
    use super::super::view;
    use crate::scenario::generate::{Spec, generate};
    use crate::scenario::load_bytes;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    fn screen(app: &App) -> String {
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
        terminal.draw(|f| view::draw(f, app)).unwrap();
        let buffer = terminal.backend().buffer();
        let mut text = String::new();
        for y in 0..buffer.area.height {
            for x in 0..buffer.area.width {
                text.push_str(buffer[(x, y)].symbol());
            }
            text.push('\n');
        }
        text
    }

    fn big_app() -> App {
        let text = generate(Spec {
            steps: 40,
            carts: 500,
            sparsity: 1,
            seed: 9,
        });
        let s = load_bytes("big.json", text.as_bytes()).unwrap();
        let mut app = App::new(vec![s], Theme::MONO);
        if let Some(p) = app.player.playback.as_mut() {
            p.end();
        }
        app
    }

    #[test]
    fn a_pane_shows_its_first_records_and_the_count_of_all() {
        let app = big_app();
        let text = screen(&app);
        assert!(text.contains("Carts (WebCart) 500"), "{text}");
        assert!(text.contains("cart-0 "), "{text}");
        assert!(text.contains("cart-1 "), "{text}");
        assert!(!text.contains("cart-499"), "{text}");
    }

    #[test]
    fn a_selected_record_far_down_is_shown_at_the_bottom_of_its_pane() {
        let mut app = big_app();
        app.player.cart_sel = 321;
        let text = screen(&app);
        assert!(text.contains("›▌cart-321"), "{text}");
        // The record above shows its first line (kept on top) and its last lines.
        assert!(text.contains("│  cart-320 "), "{text}");
        assert!(text.contains("AccountId acct-320"), "{text}");
        assert!(!text.contains("cart-322"), "{text}");
        assert!(!text.contains("cart-0 "), "{text}");
    }
}
