//! The player view: the open scenario's playback and everything the player screen
//! remembers about looking at it (the focused pane, the selected records, the log's
//! scroll, a search of the log, who acts). [`App`](super::app::App) owns one; the panes,
//! the log and the popups that read the world take it rather than the whole app.
//!
//! No terminal and no files here. A method that has something to tell returns it as a
//! status text; the app decides where it goes.

use super::anim::Transition;
use super::field::Field;
use super::keys::Command;
use super::theme::Theme;
use crate::engine::{Action, Template, World};
use crate::player::playback::Playback;
use std::cell::Cell;

/// The focused pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// WebCarts.
    Carts,
    /// CartCheckoutSessions.
    Sessions,
    /// BackgroundOperations.
    Operations,
    /// The event log.
    Log,
}

impl Focus {
    /// The pane Tab focuses next.
    pub fn next(self) -> Focus {
        match self {
            Focus::Carts => Focus::Sessions,
            Focus::Sessions => Focus::Operations,
            Focus::Operations => Focus::Log,
            Focus::Log => Focus::Carts,
        }
    }
    /// The pane Shift-Tab focuses.
    pub fn prev(self) -> Focus {
        match self {
            Focus::Carts => Focus::Log,
            Focus::Sessions => Focus::Carts,
            Focus::Operations => Focus::Sessions,
            Focus::Log => Focus::Operations,
        }
    }
}

/// A search of the event log: what was looked for and the lines that match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Search {
    /// The text typed (or, for `L`, the record's id).
    pub query: Field,
    /// What it is, for the status line: "\"Canceled\"", "the log lines that changed ccs-1".
    pub what: String,
    /// The matching log lines: (entry index, line index in the entry), oldest first.
    pub hits: Vec<(usize, usize)>,
    /// The hit shown now.
    pub at: usize,
}

/// What the player screen shows and where the user stands in it.
#[derive(Debug, Clone)]
pub struct PlayerView {
    /// The open scenario's playback (time, history, branch, quiz).
    pub playback: Option<Playback>,
    /// The focused pane.
    pub focus: Focus,
    /// Selected cart (index into the world's carts).
    pub cart_sel: usize,
    /// Selected session (index in the pane: newest first).
    pub session_sel: usize,
    /// Selected operation (index in the pane: newest first).
    pub op_sel: usize,
    /// Event log lines scrolled up from the bottom (0 follows the newest).
    pub log_scroll: usize,
    /// The animation of the last played step.
    pub transition: Option<Transition>,
    /// The focused pane fills the screen (`z`).
    pub zoom: bool,
    /// Finished operations take one line each (`o`).
    pub collapse_finished: bool,
    /// The log search (`/`) or the log lines of a record (`L`), and where it stands.
    pub search: Option<Search>,
    /// A log search is being typed.
    pub searching: bool,
    /// The log line marked by the last jump (entry index, line index in the entry).
    pub log_mark: Option<(usize, usize)>,
    /// The log's inner size at the last drawing (width, height): a jump scrolls the log
    /// by wrapped lines, which only the drawing knows.
    pub log_view: Cell<(u16, u16)>,
    /// The buyer the next actions run as; `None`: the selected cart's owner.
    pub acting: Option<String>,
}

impl Default for PlayerView {
    fn default() -> PlayerView {
        PlayerView::new(None)
    }
}

impl PlayerView {
    /// The view of a playback at its start: the first cart selected, nothing searched,
    /// the owner acting. The zoom and the collapsed operations are the caller's to keep.
    pub fn new(playback: Option<Playback>) -> PlayerView {
        PlayerView {
            playback,
            focus: Focus::Carts,
            cart_sel: 0,
            session_sel: 0,
            op_sel: 0,
            log_scroll: 0,
            transition: None,
            zoom: false,
            collapse_finished: false,
            search: None,
            searching: false,
            log_mark: None,
            log_view: Cell::new((0, 0)),
            acting: None,
        }
    }

    /// The world now, when a scenario is open.
    pub fn world(&self) -> Option<&World> {
        self.playback.as_ref().map(|p| p.world())
    }

    /// The selected cart's id.
    pub fn selected_cart(&self) -> Option<String> {
        let world = self.world()?;
        let i = self.cart_sel.min(world.carts().len().checked_sub(1)?);
        Some(world.carts().nth(i)?.id.to_string())
    }

    /// The session that launched an operation (its BackgroundOperationId named it, now
    /// or earlier).
    pub fn op_owner(&self, operation: &str) -> Option<&str> {
        self.playback.as_ref()?.owner_of(operation)
    }

    /// The buyer an action on `cart` runs as: the one `A` chose, else the cart's owner.
    pub fn actor_of(&self, cart: &str) -> Option<String> {
        self.acting
            .clone()
            .or_else(|| self.world()?.cart(cart).map(|c| c.buyer.to_string()))
    }

    /// True when the selected cart is in an LWR store (its checkout is REST calls).
    pub fn lwr_cart(&self) -> bool {
        let Some(cart) = self.selected_cart() else {
            return false;
        };
        self.world().is_some_and(|w| {
            w.store_of_cart(&cart)
                .is_some_and(|s| s.settings.template == Template::Lwr)
        })
    }

    /// The id of the selected record of the focused pane (the selected cart when the
    /// log is focused).
    pub fn selected_record(&self) -> Option<String> {
        let world = self.world()?;
        match self.focus {
            Focus::Sessions => world
                .sessions()
                .iter()
                .rev()
                .nth(self.session_sel)
                .map(|s| s.id.to_string()),
            Focus::Operations => world
                .operations()
                .iter()
                .rev()
                .nth(self.op_sel)
                .map(|o| o.id.to_string()),
            Focus::Carts | Focus::Log => self.selected_cart(),
        }
    }

    /// What identifies the recorded branch: its start, its length and its last entry (a
    /// wait coalesced into the last one changes the branch without lengthening it).
    pub fn branch_key(&self) -> Option<(usize, usize, String)> {
        let p = self.playback.as_ref()?;
        let (start, len) = p.branch_recorded()?;
        let last = p.timeline().entries().last()?.description.to_string();
        Some((start, len, last))
    }

    /// After a jump: no animation, the log follows the newest line.
    pub fn settle(&mut self) {
        self.transition = None;
        self.log_scroll = 0;
    }

    /// The action a key takes on the selected cart.
    pub fn cart_action(&self, command: Command) -> Option<Action> {
        if command == Command::AdvanceTick {
            return Some(Action::Wait { ticks: 1 });
        }
        if command == Command::Settle {
            return Some(Action::Settle);
        }
        let cart = self.selected_cart()?;
        // On a cart of an lwr store, `s` is the REST start (PUT) and `c` the poll (GET).
        let lwr = self.lwr_cart();
        Some(match command {
            Command::StartCheckout if lwr => Action::CheckoutStart { cart, actor: None },
            Command::StartCheckout => Action::StartCheckout { cart, actor: None },
            Command::Cancel => Action::Cancel { cart, actor: None },
            Command::Continue if lwr => Action::CheckoutPoll { cart, actor: None },
            Command::Continue => Action::Continue { cart, actor: None },
            Command::FailOperation => Action::FailOperation {
                cart,
                message: "failure injected from the cartsim UI".into(),
            },
            Command::PlaceOrder => {
                // Place Order V2 takes two calls: prepare, then (once prepared) submit.
                let world = self.world()?;
                let v2 = world.store_of_cart(&cart).is_some_and(|s| {
                    s.settings.place_order == crate::engine::PlaceOrderVersion::V2
                });
                let prepared = world.active_session(&cart).is_some_and(|s| s.rest.prepared);
                let step = v2.then_some(if prepared {
                    crate::engine::rest::PlaceOrderStep::Submit
                } else {
                    crate::engine::rest::PlaceOrderStep::Prepare
                });
                Action::PlaceOrder {
                    cart,
                    step,
                    actor: None,
                }
            }
            Command::DeleteCheckout => Action::CheckoutDelete { cart, actor: None },
            _ => return None,
        })
    }

    /// `A`: the next buyer of the world acts (after the last, the cart's owner again).
    /// Returns what the status line says.
    pub fn next_actor(&mut self) -> Option<String> {
        let world = self.world()?;
        let ids: Vec<String> = world.buyers().iter().map(|b| b.id.to_string()).collect();
        let owner = self
            .selected_cart()
            .and_then(|c| world.cart(&c).map(|c| c.buyer));
        let now = self.acting.clone().or(owner.map(String::from));
        let at = now.and_then(|n| ids.iter().position(|i| *i == n));
        if ids.len() < 2 {
            return Some(format!(
                "{} is the only buyer of this world: nobody else can act",
                owner.unwrap_or_default()
            ));
        }
        let next = ids.get(at.map_or(0, |i| i + 1)).cloned();
        self.acting = next.filter(|n| owner.is_none_or(|o| o != *n));
        Some(match &self.acting {
            Some(b) => format!("acting as {b} (not the cart's owner); A again for the next buyer"),
            None => "acting as the cart's owner again".to_string(),
        })
    }

    /// `/`: a search field opens, holding the last text searched.
    pub fn start_search(&mut self) {
        self.searching = true;
        let query = self
            .search
            .as_ref()
            .filter(|s| s.what.starts_with('"'))
            .map(|s| s.query.value().to_string())
            .unwrap_or_default();
        self.search = Some(Search {
            query: Field::new(&query),
            what: String::new(),
            hits: Vec::new(),
            at: 0,
        });
    }

    /// Enter in the search field: the log lines holding the text (case-insensitive),
    /// and a jump to the newest. Returns what the status line says.
    pub fn run_search(&mut self, theme: Theme) -> Option<String> {
        self.searching = false;
        let query = self
            .search
            .as_ref()
            .map(|s| s.query.value().trim().to_string())?;
        if query.is_empty() {
            self.search = None;
            return None;
        }
        let needle = query.to_lowercase();
        let hits = self.log_hits(theme, |line| line.to_lowercase().contains(&needle));
        Some(self.show_hits(theme, format!("\"{query}\""), hits))
    }

    /// `L`: the log lines of the changes to the selected record of the focused pane.
    /// Returns what the status line says.
    pub fn record_log(&mut self, theme: Theme) -> String {
        let Some(id) = self.selected_record() else {
            return "select a record first (Tab focuses a pane)".into();
        };
        let prefix = format!("{id}.");
        let created = format!("{id}: ");
        let hits = self.log_hits(theme, |line| {
            let line = line.trim_start();
            // A change line is "[@tick ]record.Field: old -> new" or "record: new ...".
            let line = match line.strip_prefix('@') {
                Some(rest) => rest.split_once(' ').map_or(rest, |(_, r)| r),
                None => line,
            };
            line.starts_with(&prefix) || line.starts_with(&created)
        });
        self.show_hits(theme, format!("changes of {id}"), hits)
    }

    /// Every log line (entry, line) whose text `wanted` takes, oldest first.
    fn log_hits(&self, theme: Theme, wanted: impl Fn(&str) -> bool) -> Vec<(usize, usize)> {
        let played = self.playback.as_ref().map_or(0, |p| p.played().len());
        let mut hits = Vec::new();
        for index in 0..played {
            for (k, line) in super::log::entry_lines(self, theme, index)
                .iter()
                .enumerate()
            {
                if wanted(&line.to_string()) {
                    hits.push((index, k));
                }
            }
        }
        hits
    }

    fn show_hits(&mut self, theme: Theme, what: String, hits: Vec<(usize, usize)>) -> String {
        let query = self
            .search
            .as_ref()
            .map(|s| s.query.clone())
            .unwrap_or_default();
        if hits.is_empty() {
            self.search = None;
            self.log_mark = None;
            return format!("no log line: {what}");
        }
        let at = hits.len() - 1;
        self.search = Some(Search {
            query,
            what,
            hits,
            at,
        });
        self.jump_to_hit(theme).unwrap_or_default()
    }

    /// `>` and `<`: the next or previous hit, round the ends. Returns what the status
    /// line says.
    pub fn go_to_match(&mut self, theme: Theme, next: bool) -> Option<String> {
        let search = self.search.as_mut()?;
        let n = search.hits.len();
        if n == 0 {
            return None;
        }
        search.at = if next {
            (search.at + 1) % n
        } else {
            (search.at + n - 1) % n
        };
        self.jump_to_hit(theme)
    }

    /// Scrolls the log to the current hit (in the middle of the log when it can) and
    /// marks it.
    fn jump_to_hit(&mut self, theme: Theme) -> Option<String> {
        let search = self.search.as_ref()?;
        let &(entry, line) = search.hits.get(search.at)?;
        let (width, height) = self.log_view.get();
        self.log_scroll = super::log::scroll_to(
            self,
            theme,
            (entry, line),
            (width.max(20) as usize, height.max(3) as usize),
        );
        self.log_mark = Some((entry, line));
        let step = match self.playback.as_ref().and_then(|p| p.played().get(entry)) {
            Some(e) => match e.origin {
                crate::player::Origin::Script(i) => format!("step {}", i + 1),
                crate::player::Origin::Branch => "your branch".to_string(),
            },
            None => String::new(),
        };
        let search = self.search.as_ref()?;
        Some(format!(
            "{}/{} {} ({step}) · > next · < previous",
            search.at + 1,
            search.hits.len(),
            search.what
        ))
    }

    /// Up or down in the focused pane; the other panes follow the selected cart.
    pub fn move_selection(&mut self, up: bool) {
        let Some(world) = self.world() else {
            return;
        };
        let (carts, sessions, ops) = (
            world.carts().len(),
            world.sessions().len(),
            world.operations().len(),
        );
        let step = super::popup::step;
        match self.focus {
            Focus::Carts => {
                step(&mut self.cart_sel, carts, up);
                self.follow_cart();
            }
            Focus::Sessions => {
                step(&mut self.session_sel, sessions, up);
                self.follow_session();
            }
            Focus::Operations => {
                step(&mut self.op_sel, ops, up);
                self.follow_operation();
            }
            Focus::Log => {
                if up {
                    self.log_scroll = self.log_scroll.saturating_add(1);
                } else {
                    self.log_scroll = self.log_scroll.saturating_sub(1);
                }
            }
        }
    }

    /// Selects the cart acted on (so the panes follow it).
    pub fn select_cart(&mut self, cart: &str) {
        if let Some(i) = self.world().and_then(|w| w.carts().position(cart)) {
            self.cart_sel = i;
        }
    }

    /// Selecting a cart selects its newest session and operation, so that a small
    /// screen scrolls the other panes to the selected cart's records.
    pub fn follow_cart(&mut self) {
        let (session, op) = self.cart_links();
        if let Some(i) = session {
            self.session_sel = i;
        }
        if let Some(i) = op {
            self.op_sel = i;
        }
    }

    /// The selected cart's newest session and operation, in the panes' order.
    fn cart_links(&self) -> (Option<usize>, Option<usize>) {
        let (Some(cart), Some(world)) = (self.selected_cart(), self.world()) else {
            return (None, None);
        };
        let session = world.sessions().iter().rev().position(|s| s.cart == cart);
        let op = world.operations().iter().rev().position(|o| {
            self.op_owner(&o.id)
                .and_then(|s| world.session(s))
                .is_some_and(|s| s.cart == cart)
        });
        (session, op)
    }

    /// Selecting a session selects its cart, so the links stay visible.
    fn follow_session(&mut self) {
        let Some(world) = self.world() else { return };
        let Some(s) = world.sessions().iter().rev().nth(self.session_sel) else {
            return;
        };
        let found = world.carts().position(&s.cart);
        if let Some(i) = found {
            self.cart_sel = i;
        }
    }

    /// Selecting an operation selects the cart of the session that launched it.
    fn follow_operation(&mut self) {
        let Some(world) = self.world() else { return };
        let Some(op) = world.operations().iter().rev().nth(self.op_sel) else {
            return;
        };
        let cart = self
            .op_owner(&op.id)
            .and_then(|s| world.session(s))
            .map(|s| s.cart);
        if let Some(i) = cart.and_then(|c| world.carts().position(&c)) {
            self.cart_sel = i;
        }
    }
}
