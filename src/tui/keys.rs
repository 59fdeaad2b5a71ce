//! The one key table. It drives key handling ([`lookup`]), the key bar ([`bar`]) and the
//! `?` help ([`help_lines`]), so what the help says is always what the keys do.

use crate::engine::kinds::{StepKind, Stores};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    /// Quit the program.
    Quit,
    /// Show the help.
    Help,
    /// Close the popup.
    Close,
    /// Confirm (open a scenario, apply a menu item, save).
    Confirm,
    /// Play or pause.
    PlayPause,
    /// One step forward.
    StepForward,
    /// One step back.
    StepBack,
    /// Faster playback.
    Faster,
    /// Slower playback.
    Slower,
    /// To the start.
    Home,
    /// To the end.
    End,
    /// Previous chapter.
    PrevChapter,
    /// Next chapter.
    NextChapter,
    /// Presenter mode on or off.
    Presenter,
    /// Focus the next pane.
    FocusNext,
    /// Focus the previous pane.
    FocusPrev,
    /// Selection up.
    Up,
    /// Selection down.
    Down,
    /// Start checkout on the selected cart.
    StartCheckout,
    /// Add to cart (opens the product picker).
    AddToCart,
    /// Cancel Cart Async Operation on the selected cart.
    Cancel,
    /// Continue the selected cart's checkout.
    Continue,
    /// Make the running operation fail.
    FailOperation,
    /// Advance one tick.
    AdvanceTick,
    /// The world edits menu.
    WorldMenu,
    /// Back to the script where you left it.
    ReturnToScript,
    /// Save what you did as a scenario file.
    Save,
    /// Back to the scenario picker.
    Picker,
    /// Scroll the event log up.
    LogUp,
    /// Scroll the event log down.
    LogDown,
    /// More (quantity).
    More,
    /// Less (quantity).
    Less,
    /// Undo: step back over the refused step (refusal popup).
    Undo,
    /// Scroll a page up (help, narration).
    PageUp,
    /// Scroll a page down (help, narration).
    PageDown,
    /// Save first, then do what was asked (branch-safety prompt).
    SaveFirst,
    /// Discard the branch and do what was asked (branch-safety prompt).
    Discard,
    /// The world: buyers, accounts, stores.
    World,
    /// The narration of the current step in full.
    Narration,
    /// Filter the scenario picker by typing.
    Filter,
    /// Settle: time passes until no operation runs.
    Settle,
    /// The next palette (default, high contrast, light).
    Palette,
    /// Zoom the focused pane (the log full screen) or back.
    Zoom,
    /// Collapse finished operations to one line each, or show them in full.
    CollapseFinished,
    /// Skip the open question (the step plays, nothing is scored).
    SkipQuiz,
    /// Exercise mode on or off.
    Exercise,
    /// Reset the quiz score for the next group.
    ResetScore,
    /// The projector layout on or off.
    Projector,
    /// The timeline: jump to a step.
    Timeline,
    /// Pick the acting buyer for the next actions (the cart's owner, or another buyer).
    ActAs,
    /// Explore every sequence of buyer actions from the moment on screen, and list what
    /// can go wrong (the anomalies of `cartsim explore`).
    Explore,
    /// Search the event log.
    Search,
    /// The next match of the search (or log line of the record).
    NextMatch,
    /// The previous match.
    PrevMatch,
    /// The log lines that changed the selected record.
    RecordLog,
    /// LWR: PATCH the checkout (a form: address, delivery method, contact).
    Patch,
    /// LWR: POST the payment (a form: authorized or declined).
    Pay,
    /// LWR: POST the order.
    PlaceOrder,
    /// LWR: DELETE the checkout.
    DeleteCheckout,
    /// The network view: every REST call of the script and the branch.
    Network,
    /// Enter on the player: the network view when the log is focused.
    Open,
    /// The next field of a form.
    NextField,
    /// Refusal popup: switch the setting of its reading to the other value, and try the
    /// same action again.
    FlipReading,
}

/// When a command does something (the key bar shows only those).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    /// Always.
    Nothing,
    /// An open scenario.
    Scenario,
    /// A selected cart.
    Cart,
    /// A selected cart in an LWR store (the REST calls).
    LwrCart,
    /// Being off script.
    OffScript,
    /// Something played (to save).
    Played,
    /// More than one scenario to pick from.
    Scenarios,
    /// A search with hits.
    Hits,
    /// An open scenario with the log focused.
    LogFocus,
    /// A refusal whose reading names a store setting that can be switched live.
    ReadingFlip,
}

/// What a command does to the recorded branch, and so whether it asks first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnBranch {
    /// It leaves the branch alone: never asks.
    Keeps,
    /// It acts on the world: in the middle of a branch it would replace the branch's
    /// recorded future, so it asks first.
    Acts,
    /// It leaves the branch (a jump, the picker, quitting): asks first.
    Drops,
    /// Stepping back: asks only when it would step back past the branch's start.
    DropsPastStart,
}

/// One command's behaviour: when it works, what it does to a branch, and how the
/// branch-safety prompt names it.
#[derive(Debug, Clone, Copy)]
pub struct Behaviour {
    /// The command.
    pub command: Command,
    /// When it does something.
    pub needs: Needs,
    /// What it does to an unsaved branch.
    pub on_branch: OnBranch,
    /// How the prompt names it ("Going to the start (Home)"); empty for a command that
    /// never asks, and "" for an action, which the prompt names itself.
    pub prompt: &'static str,
}

const fn b(command: Command, needs: Needs, on_branch: OnBranch, prompt: &'static str) -> Behaviour {
    Behaviour {
        command,
        needs,
        on_branch,
        prompt,
    }
}

/// Every command's behaviour, one row each, so that a command's availability, whether
/// it asks before dropping a branch and its prompt are declared once. The picker's keys
/// (Home, End, the arrows) need nothing: they also move its list.
pub const BEHAVIOURS: &[Behaviour] = {
    use Command as C;
    use Needs as N;
    use OnBranch as B;
    &[
        b(C::Quit, N::Nothing, B::Drops, "Quitting"),
        b(C::Help, N::Nothing, B::Keeps, ""),
        b(C::Close, N::Nothing, B::Keeps, ""),
        b(C::Confirm, N::Nothing, B::Keeps, ""),
        b(C::PlayPause, N::Scenario, B::Keeps, ""),
        b(C::StepForward, N::Scenario, B::Keeps, ""),
        b(
            C::StepBack,
            N::Scenario,
            B::DropsPastStart,
            "Stepping back past its start",
        ),
        b(C::Faster, N::Scenario, B::Keeps, ""),
        b(C::Slower, N::Nothing, B::Keeps, ""),
        b(C::Home, N::Nothing, B::Drops, "Going to the start (Home)"),
        b(C::End, N::Nothing, B::Keeps, ""),
        b(
            C::PrevChapter,
            N::Scenario,
            B::Drops,
            "Jumping to a chapter",
        ),
        b(C::NextChapter, N::Nothing, B::Drops, "Jumping to a chapter"),
        b(C::Presenter, N::Nothing, B::Keeps, ""),
        b(C::FocusNext, N::Nothing, B::Keeps, ""),
        b(C::FocusPrev, N::Nothing, B::Keeps, ""),
        b(C::Up, N::Nothing, B::Keeps, ""),
        b(C::Down, N::Nothing, B::Keeps, ""),
        b(C::StartCheckout, N::Cart, B::Acts, ""),
        b(C::AddToCart, N::Cart, B::Keeps, ""),
        b(C::Cancel, N::Cart, B::Acts, ""),
        b(C::Continue, N::Cart, B::Acts, ""),
        b(C::FailOperation, N::Cart, B::Acts, ""),
        b(C::AdvanceTick, N::Scenario, B::Acts, ""),
        b(C::WorldMenu, N::Cart, B::Keeps, ""),
        b(
            C::ReturnToScript,
            N::OffScript,
            B::Drops,
            "Going back to the script (r)",
        ),
        b(C::Save, N::Played, B::Keeps, ""),
        b(
            C::Picker,
            N::Scenarios,
            B::Drops,
            "Going back to the scenario picker",
        ),
        b(C::LogUp, N::Nothing, B::Keeps, ""),
        b(C::LogDown, N::Nothing, B::Keeps, ""),
        b(C::More, N::Nothing, B::Keeps, ""),
        b(C::Less, N::Nothing, B::Keeps, ""),
        b(C::Undo, N::Nothing, B::Keeps, ""),
        b(C::PageUp, N::Nothing, B::Keeps, ""),
        b(C::PageDown, N::Nothing, B::Keeps, ""),
        b(C::SaveFirst, N::Nothing, B::Keeps, ""),
        b(C::Discard, N::Nothing, B::Keeps, ""),
        b(C::World, N::Scenario, B::Keeps, ""),
        b(C::Narration, N::Scenario, B::Keeps, ""),
        b(C::Filter, N::Nothing, B::Keeps, ""),
        b(C::Settle, N::Scenario, B::Acts, ""),
        b(C::Palette, N::Nothing, B::Keeps, ""),
        b(C::Zoom, N::Nothing, B::Keeps, ""),
        b(C::CollapseFinished, N::Nothing, B::Keeps, ""),
        b(C::SkipQuiz, N::Nothing, B::Keeps, ""),
        b(C::Exercise, N::Nothing, B::Keeps, ""),
        b(C::ResetScore, N::Nothing, B::Keeps, ""),
        b(C::Projector, N::Nothing, B::Keeps, ""),
        b(C::Timeline, N::Nothing, B::Keeps, ""),
        b(C::ActAs, N::Cart, B::Keeps, ""),
        b(C::Explore, N::Scenario, B::Keeps, ""),
        b(C::Search, N::Scenario, B::Keeps, ""),
        b(C::NextMatch, N::Hits, B::Keeps, ""),
        b(C::PrevMatch, N::Hits, B::Keeps, ""),
        b(C::RecordLog, N::Scenario, B::Keeps, ""),
        b(C::Patch, N::LwrCart, B::Keeps, ""),
        b(C::Pay, N::LwrCart, B::Keeps, ""),
        b(C::PlaceOrder, N::LwrCart, B::Acts, ""),
        b(C::DeleteCheckout, N::LwrCart, B::Acts, ""),
        b(C::Network, N::Scenario, B::Keeps, ""),
        b(C::Open, N::LogFocus, B::Keeps, ""),
        b(C::NextField, N::Nothing, B::Keeps, ""),
        b(C::FlipReading, N::ReadingFlip, B::Keeps, ""),
    ]
};

/// A command's behaviour row.
pub fn behaviour(command: Command) -> &'static Behaviour {
    BEHAVIOURS
        .iter()
        .find(|b| b.command == command)
        .expect("every command has a behaviour row (a test checks it)")
}

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    /// Everywhere (unless a text field takes the keys).
    Global,
    /// The scenario picker.
    Picker,
    /// Typing the picker's filter.
    Filter,
    /// Typing a search of the event log.
    Search,
    /// A form of a REST call (PATCH, pay).
    Form,
    /// The player screen with no popup.
    Player,
    /// A popup showing text: a message, the world, the narration.
    Popup,
    /// The key help.
    Help,
    /// A refused action.
    Refusal,
    /// The question before discarding an unsaved branch.
    Confirm,
    /// The add-to-cart popup.
    AddToCart,
    /// The world-edit menu.
    Menu,
    /// A quiz question.
    Quiz,
    /// The save dialog.
    Save,
}

impl Context {
    /// A heading for the help.
    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::Picker => "Scenario picker",
            Context::Filter => "Picker filter",
            Context::Search => "Log search",
            Context::Form => "REST call form (PATCH, pay)",
            Context::Player => "Player",
            Context::Popup => "Popups (message, world, narration)",
            Context::Help => "Help",
            Context::Refusal => "Refused action",
            Context::Confirm => "Unsaved branch",
            Context::AddToCart => "Add to cart",
            Context::Menu => "World edits menu, timeline, explore's findings",
            Context::Quiz => "Quiz",
            Context::Save => "Save dialog",
        }
    }
}

/// A key: a code plus whether Ctrl is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    /// The key code.
    pub code: KeyCode,
    /// Ctrl held.
    pub ctrl: bool,
}

const fn k(code: KeyCode) -> Key {
    Key { code, ctrl: false }
}
const fn c(ch: char) -> Key {
    Key {
        code: KeyCode::Char(ch),
        ctrl: false,
    }
}

/// One binding: keys, how the key bar and the help name them, and what they do.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    /// Where it applies.
    pub context: Context,
    /// The keys.
    pub keys: &'static [Key],
    /// How the keys are written (`space`, `→/l`).
    pub label: &'static str,
    /// The short text of the key bar.
    pub short: &'static str,
    /// The text of the help.
    pub help: &'static str,
    /// What it does.
    pub command: Command,
    /// Shown in the key bar (when it applies now).
    pub in_bar: bool,
}

use Command as C;
use Context as X;

/// Every binding. The order is the key bar's and the help's order.
pub const BINDINGS: &[Binding] = &[
    Binding {
        context: X::Picker,
        keys: &[k(KeyCode::Up), c('k')],
        label: "↑/k",
        short: "up",
        help: "previous scenario",
        command: C::Up,
        in_bar: false,
    },
    Binding {
        context: X::Picker,
        keys: &[k(KeyCode::Down), c('j')],
        label: "↓/j",
        short: "down",
        help: "next scenario",
        command: C::Down,
        in_bar: false,
    },
    Binding {
        context: X::Picker,
        keys: &[k(KeyCode::PageUp)],
        label: "PgUp/PgDn",
        short: "page",
        help: "a page up",
        command: C::PageUp,
        in_bar: true,
    },
    Binding {
        context: X::Picker,
        keys: &[k(KeyCode::PageDown)],
        label: "PgDn",
        short: "page",
        help: "a page down",
        command: C::PageDown,
        in_bar: false,
    },
    Binding {
        context: X::Picker,
        keys: &[k(KeyCode::Home), c('g')],
        label: "Home/g",
        short: "first",
        help: "the first scenario",
        command: C::Home,
        in_bar: false,
    },
    Binding {
        context: X::Picker,
        keys: &[k(KeyCode::End), c('G')],
        label: "End/G",
        short: "last",
        help: "the last scenario",
        command: C::End,
        in_bar: false,
    },
    Binding {
        context: X::Picker,
        keys: &[c('/')],
        label: "/",
        short: "filter",
        help: "filter the list by typing (title, file, tags); Esc clears it",
        command: C::Filter,
        in_bar: true,
    },
    Binding {
        context: X::Filter,
        keys: &[k(KeyCode::Enter)],
        label: "Enter",
        short: "done",
        help: "keep the filter and go back to the list",
        command: C::Confirm,
        in_bar: true,
    },
    Binding {
        context: X::Picker,
        keys: &[k(KeyCode::Enter), c(' ')],
        label: "Enter",
        short: "open",
        help: "open the scenario",
        command: C::Confirm,
        in_bar: true,
    },
    Binding {
        context: X::Player,
        keys: &[c(' ')],
        label: "space",
        short: "play/pause",
        help: "play or pause",
        command: C::PlayPause,
        in_bar: true,
    },
    Binding {
        context: X::Player,
        keys: &[k(KeyCode::Right), c('l')],
        label: "→/l",
        short: "step",
        help: "one step forward",
        command: C::StepForward,
        in_bar: true,
    },
    Binding {
        context: X::Player,
        keys: &[k(KeyCode::Left), c('h')],
        label: "←/h",
        short: "back",
        help: "one step back, to the exact state of that step",
        command: C::StepBack,
        in_bar: true,
    },
    Binding {
        context: X::Player,
        keys: &[c('+'), c('=')],
        label: "+/-",
        short: "speed",
        help: "faster (up to 8x)",
        command: C::Faster,
        in_bar: true,
    },
    Binding {
        context: X::Player,
        keys: &[c('-'), c('_')],
        label: "-",
        short: "slower",
        help: "slower (down to 0.25x)",
        command: C::Slower,
        in_bar: false,
    },
    Binding {
        context: X::Player,
        keys: &[k(KeyCode::Home), c('g')],
        label: "Home/g",
        short: "start",
        help: "to the start of the scenario",
        command: C::Home,
        in_bar: false,
    },
    Binding {
        context: X::Player,
        keys: &[k(KeyCode::End), c('G')],
        label: "End/G",
        short: "end",
        help: "to the end of the scenario (stops at a quiz)",
        command: C::End,
        in_bar: false,
    },
    Binding {
        context: X::Player,
        keys: &[c('[')],
        label: "[/]",
        short: "chapter",
        help: "previous chapter (marker)",
        command: C::PrevChapter,
        in_bar: true,
    },
    Binding {
        context: X::Player,
        keys: &[c(']')],
        label: "]",
        short: "next chapter",
        help: "next chapter (marker)",
        command: C::NextChapter,
        in_bar: false,
    },
    Binding {
        context: X::Player,
        keys: &[c('p')],
        label: "p",
        short: "presenter",
        help: "presenter mode: pause at each chapter marker",
        command: C::Presenter,
        in_bar: false,
    },
    Binding {
        context: X::Player,
        keys: &[c('s')],
        label: "s",
        short: "start checkout",
        help: "start checkout on the selected cart",
        command: C::StartCheckout,
        in_bar: true,
    },
    Binding {
        context: X::Player,
        keys: &[c('u')],
        label: "u",
        short: "PATCH",
        help: "LWR cart: a form of an address, a delivery method or contact details",
        command: C::Patch,
        in_bar: true,
    },
    Binding {
        context: X::Player,
        keys: &[c('$')],
        label: "$",
        short: "pay",
        help: "LWR cart: a form: the payment service authorizes or declines",
        command: C::Pay,
        in_bar: true,
    },
    Binding {
        context: X::Player,
        keys: &[c('O')],
        label: "O",
        short: "place order",
        help: "LWR cart: place the order (in a `place_order: v2` store: prepare, then submit)",
        command: C::PlaceOrder,
        in_bar: true,
    },
    Binding {
        context: X::Player,
        keys: &[c('d')],
        label: "d",
        short: "DELETE",
        help: "LWR cart: delete the checkout",
        command: C::DeleteCheckout,
        in_bar: true,
    },
    Binding {
        context: X::Player,
        keys: &[c('N')],
        label: "N",
        short: "network",
        help: "the network view: every REST call of the script and of your branch, with method, path and status",
        command: C::Network,
        in_bar: false,
    },
    Binding {
        context: X::Player,
        keys: &[k(KeyCode::Enter)],
        label: "Enter",
        short: "network",
        help: "with the log focused: the network view, at the newest call",
        command: C::Open,
        in_bar: false,
    },
    Binding {
        context: X::Form,
        keys: &[
            k(KeyCode::Tab),
            k(KeyCode::Down),
            k(KeyCode::Up),
            k(KeyCode::BackTab),
        ],
        label: "Tab",
        short: "next field",
        help: "the next field (or the other choice)",
        command: C::NextField,
        in_bar: true,
    },
    Binding {
        context: X::Form,
        keys: &[k(KeyCode::Enter)],
        label: "Enter",
        short: "send",
        help: "send the call (off script)",
        command: C::Confirm,
        in_bar: true,
    },
    Binding {
        context: X::Player,
        keys: &[c('a')],
        label: "a",
        short: "add",
        help: "add to cart: pick a product and a quantity",
        command: C::AddToCart,
        in_bar: true,
    },
    Binding {
        context: X::Player,
        keys: &[c('x')],
        label: "x",
        short: "cancel",
        help: "Cancel Cart Async Operation on the selected cart",
        command: C::Cancel,
        in_bar: true,
    },
    Binding {
        context: X::Player,
        keys: &[c('c')],
        label: "c",
        short: "continue",
        help: "continue the selected cart's checkout: the buyer goes on (Aura), the storefront polls (LWR)",
        command: C::Continue,
        in_bar: true,
    },
    Binding {
        context: X::Player,
        keys: &[c('f')],
        label: "f",
        short: "fail op",
        help: "make the running background operation fail at its next tick",
        command: C::FailOperation,
        in_bar: true,
    },
    Binding {
        context: X::Player,
        keys: &[c('t')],
        label: "t",
        short: "tick",
        help: "advance virtual time by one tick",
        command: C::AdvanceTick,
        in_bar: true,
    },
    Binding {
        context: X::Player,
        keys: &[c('S')],
        label: "S",
        short: "settle",
        help: "settle: time passes until no operation runs (off script)",
        command: C::Settle,
        in_bar: false,
    },
    Binding {
        context: X::Player,
        keys: &[c('E')],
        label: "E",
        short: "exercise",
        help: "exercise mode on/off: stop before each quiz question, or play through",
        command: C::Exercise,
        in_bar: false,
    },
    Binding {
        context: X::Player,
        keys: &[c('R')],
        label: "R",
        short: "reset score",
        help: "reset the quiz score for the next group: every question is asked again",
        command: C::ResetScore,
        in_bar: false,
    },
    Binding {
        context: X::Player,
        keys: &[c('P')],
        label: "P",
        short: "projector",
        help: "projector layout on/off: larger caption, no key bar, panes that do not move",
        command: C::Projector,
        in_bar: false,
    },
    Binding {
        context: X::Player,
        keys: &[c('T')],
        label: "T",
        short: "theme",
        help: "next palette: default, high contrast (projector), light terminal; kept in the settings",
        command: C::Palette,
        in_bar: false,
    },
    Binding {
        context: X::Player,
        keys: &[c('e')],
        label: "e",
        short: "edit world",
        help: "world edits and custom code, applied now (a menu)",
        command: C::WorldMenu,
        in_bar: true,
    },
    Binding {
        context: X::Player,
        keys: &[c('A')],
        label: "A",
        short: "act as",
        help: "act as the next buyer of the world (then the cart's owner again): the actions that follow run as that buyer, and a saved branch writes it as `as`",
        command: C::ActAs,
        in_bar: false,
    },
    Binding {
        context: X::Player,
        keys: &[c('X')],
        label: "X",
        short: "explore",
        help: "explore from here: try every sequence of buyer actions (8 deep, as `cartsim explore` does) and list what can go wrong; Enter plays a finding as a branch; Esc stops the search",
        command: C::Explore,
        in_bar: false,
    },
    Binding {
        context: X::Player,
        keys: &[c('/')],
        label: "/",
        short: "search",
        help: "search the event log (ids, fields, codes, words); > and < go to the next and previous match",
        command: C::Search,
        in_bar: true,
    },
    Binding {
        context: X::Player,
        keys: &[c('>')],
        label: "</>",
        short: "match",
        help: "the next match of the search, or the next log line of the record (L)",
        command: C::NextMatch,
        in_bar: true,
    },
    Binding {
        context: X::Player,
        keys: &[c('<')],
        label: "<",
        short: "previous match",
        help: "the previous match of the search, or the previous log line of the record (L)",
        command: C::PrevMatch,
        in_bar: false,
    },
    Binding {
        context: X::Player,
        keys: &[c('L')],
        label: "L",
        short: "record's log",
        help: "the log lines that changed the selected record of the focused pane (a cart, a session, an operation); > and < go through them",
        command: C::RecordLog,
        in_bar: false,
    },
    Binding {
        context: X::Search,
        keys: &[k(KeyCode::Enter)],
        label: "Enter",
        short: "search",
        help: "search the log for the text typed (← → Home End Backspace Ctrl-U Ctrl-W edit it)",
        command: C::Confirm,
        in_bar: true,
    },
    Binding {
        context: X::Player,
        keys: &[c('i')],
        label: "i",
        short: "world",
        help: "the world: buyers (permissions, effective account), accounts, stores",
        command: C::World,
        in_bar: true,
    },
    Binding {
        context: X::Player,
        keys: &[c('J')],
        label: "J",
        short: "timeline",
        help: "the timeline: every step with its chapter and questions; Enter jumps to one",
        command: C::Timeline,
        in_bar: false,
    },
    Binding {
        context: X::Player,
        keys: &[c('n')],
        label: "n",
        short: "narration",
        help: "the step's narration (note) in full",
        command: C::Narration,
        in_bar: false,
    },
    Binding {
        context: X::Player,
        keys: &[c('r')],
        label: "r",
        short: "back to script",
        help: "leave the branch: back to the script where you left it",
        command: C::ReturnToScript,
        in_bar: true,
    },
    Binding {
        context: X::Player,
        keys: &[c('w')],
        label: "w",
        short: "save",
        help: "save what you did as a scenario file (a regression test)",
        command: C::Save,
        in_bar: true,
    },
    Binding {
        context: X::Player,
        keys: &[k(KeyCode::Tab)],
        label: "Tab",
        short: "focus",
        help: "focus the next pane (Shift-Tab: previous)",
        command: C::FocusNext,
        in_bar: true,
    },
    Binding {
        context: X::Player,
        keys: &[c('z')],
        label: "z",
        short: "zoom",
        help: "zoom the focused pane over the screen (the log full screen); z again to go back",
        command: C::Zoom,
        in_bar: false,
    },
    Binding {
        context: X::Player,
        keys: &[c('o')],
        label: "o",
        short: "collapse ops",
        help: "collapse finished operations (Complete, Canceled, Merged) to one line each; an Error keeps its message; o again to show them in full",
        command: C::CollapseFinished,
        in_bar: false,
    },
    Binding {
        context: X::Player,
        keys: &[k(KeyCode::BackTab)],
        label: "S-Tab",
        short: "focus back",
        help: "focus the previous pane",
        command: C::FocusPrev,
        in_bar: false,
    },
    Binding {
        context: X::Player,
        keys: &[k(KeyCode::Up), c('k')],
        label: "↑↓/jk",
        short: "select",
        help: "select in the focused pane (the log scrolls)",
        command: C::Up,
        in_bar: true,
    },
    Binding {
        context: X::Player,
        keys: &[k(KeyCode::Down), c('j')],
        label: "↓/j",
        short: "select",
        help: "select the next record",
        command: C::Down,
        in_bar: false,
    },
    Binding {
        context: X::Player,
        keys: &[k(KeyCode::PageUp)],
        label: "PgUp/PgDn",
        short: "log",
        help: "scroll the event log",
        command: C::LogUp,
        in_bar: false,
    },
    Binding {
        context: X::Player,
        keys: &[k(KeyCode::PageDown)],
        label: "PgDn",
        short: "log",
        help: "scroll the event log down",
        command: C::LogDown,
        in_bar: false,
    },
    Binding {
        context: X::Player,
        keys: &[c('b'), k(KeyCode::Backspace)],
        label: "b",
        short: "scenarios",
        help: "back to the scenario picker",
        command: C::Picker,
        in_bar: false,
    },
    Binding {
        context: X::AddToCart,
        keys: &[k(KeyCode::Up), c('k')],
        label: "↑↓",
        short: "product",
        help: "pick the product",
        command: C::Up,
        in_bar: true,
    },
    Binding {
        context: X::AddToCart,
        keys: &[k(KeyCode::Down), c('j')],
        label: "↓",
        short: "product",
        help: "next product",
        command: C::Down,
        in_bar: false,
    },
    Binding {
        context: X::AddToCart,
        keys: &[c('+'), c('=')],
        label: "+/-",
        short: "quantity",
        help: "more or fewer; digits type a quantity (← → Home End Backspace Ctrl-U Ctrl-W edit it)",
        command: C::More,
        in_bar: true,
    },
    Binding {
        context: X::AddToCart,
        keys: &[c('-')],
        label: "-",
        short: "less",
        help: "fewer",
        command: C::Less,
        in_bar: false,
    },
    Binding {
        context: X::AddToCart,
        keys: &[k(KeyCode::Enter)],
        label: "Enter",
        short: "add",
        help: "add to the selected cart",
        command: C::Confirm,
        in_bar: true,
    },
    Binding {
        context: X::Menu,
        keys: &[k(KeyCode::Up), c('k')],
        label: "↑↓",
        short: "choose",
        help: "choose an edit",
        command: C::Up,
        in_bar: true,
    },
    Binding {
        context: X::Menu,
        keys: &[k(KeyCode::Down), c('j')],
        label: "↓",
        short: "choose",
        help: "next edit",
        command: C::Down,
        in_bar: false,
    },
    Binding {
        context: X::Menu,
        keys: &[k(KeyCode::Enter)],
        label: "Enter",
        short: "apply",
        help: "apply the edit (off script)",
        command: C::Confirm,
        in_bar: true,
    },
    Binding {
        context: X::Menu,
        keys: &[k(KeyCode::PageUp)],
        label: "PgUp/PgDn",
        short: "page",
        help: "move by a page",
        command: C::PageUp,
        in_bar: false,
    },
    Binding {
        context: X::Menu,
        keys: &[k(KeyCode::PageDown)],
        label: "PgDn",
        short: "page",
        help: "move down by a page",
        command: C::PageDown,
        in_bar: false,
    },
    Binding {
        context: X::Menu,
        keys: &[k(KeyCode::Home), c('g')],
        label: "Home/g",
        short: "first",
        help: "the first item",
        command: C::Home,
        in_bar: false,
    },
    Binding {
        context: X::Menu,
        keys: &[k(KeyCode::End), c('G')],
        label: "End/G",
        short: "last",
        help: "the last item",
        command: C::End,
        in_bar: false,
    },
    Binding {
        context: X::Quiz,
        keys: &[k(KeyCode::Enter), c(' ')],
        label: "1-9 then Enter",
        short: "answer, continue",
        help: "answer with a number key; Enter continues after the answer is shown",
        command: C::Confirm,
        in_bar: true,
    },
    Binding {
        context: X::Quiz,
        keys: &[c('s')],
        label: "s",
        short: "skip",
        help: "skip the question: the step plays, nothing is scored",
        command: C::SkipQuiz,
        in_bar: true,
    },
    Binding {
        context: X::Save,
        keys: &[k(KeyCode::Enter)],
        label: "Enter",
        short: "save",
        help: "save under this name (edit it by typing)",
        command: C::Confirm,
        in_bar: true,
    },
    Binding {
        context: X::Help,
        keys: &[k(KeyCode::Up), c('k')],
        label: "↑↓",
        short: "scroll",
        help: "scroll the help by a line",
        command: C::Up,
        in_bar: true,
    },
    Binding {
        context: X::Help,
        keys: &[k(KeyCode::Down), c('j')],
        label: "↓",
        short: "scroll",
        help: "scroll the help down by a line",
        command: C::Down,
        in_bar: false,
    },
    Binding {
        context: X::Help,
        keys: &[k(KeyCode::PageUp), c('b')],
        label: "PgUp/PgDn",
        short: "page",
        help: "scroll the help by a page",
        command: C::PageUp,
        in_bar: true,
    },
    Binding {
        context: X::Help,
        keys: &[k(KeyCode::PageDown), c(' ')],
        label: "PgDn",
        short: "page",
        help: "next page of the help",
        command: C::PageDown,
        in_bar: false,
    },
    Binding {
        context: X::Help,
        keys: &[c('q'), c('?'), k(KeyCode::Enter)],
        label: "q",
        short: "close",
        help: "close the help (Esc too)",
        command: C::Close,
        in_bar: false,
    },
    Binding {
        context: X::Popup,
        keys: &[k(KeyCode::Up), c('k')],
        label: "↑↓",
        short: "scroll",
        help: "scroll by a line",
        command: C::Up,
        in_bar: true,
    },
    Binding {
        context: X::Popup,
        keys: &[k(KeyCode::Down), c('j')],
        label: "↓",
        short: "scroll",
        help: "scroll down by a line",
        command: C::Down,
        in_bar: false,
    },
    Binding {
        context: X::Popup,
        keys: &[k(KeyCode::PageUp)],
        label: "PgUp/PgDn",
        short: "page",
        help: "scroll by a page",
        command: C::PageUp,
        in_bar: false,
    },
    Binding {
        context: X::Popup,
        keys: &[k(KeyCode::PageDown), c(' ')],
        label: "PgDn",
        short: "page",
        help: "next page",
        command: C::PageDown,
        in_bar: false,
    },
    Binding {
        context: X::Popup,
        keys: &[k(KeyCode::Enter)],
        label: "Enter",
        short: "close",
        help: "close the popup",
        command: C::Close,
        in_bar: false,
    },
    Binding {
        context: X::Refusal,
        keys: &[k(KeyCode::Left), c('h')],
        label: "←/h",
        short: "undo",
        help: "undo: step back to before the refused action",
        command: C::Undo,
        in_bar: true,
    },
    Binding {
        context: X::Refusal,
        keys: &[c('F')],
        label: "F",
        short: "flip reading",
        help: "when the refusal comes from a reading: switch that store setting to its other value and try the same action again (← steps back over both)",
        command: C::FlipReading,
        in_bar: true,
    },
    Binding {
        context: X::Refusal,
        keys: &[k(KeyCode::Enter)],
        label: "Enter",
        short: "close",
        help: "close; the refused step stays in the log",
        command: C::Close,
        in_bar: false,
    },
    Binding {
        context: X::Confirm,
        keys: &[c('s'), c('w')],
        label: "s",
        short: "save first",
        help: "save the branch as a scenario file, then go on",
        command: C::SaveFirst,
        in_bar: true,
    },
    Binding {
        context: X::Confirm,
        keys: &[c('d')],
        label: "d",
        short: "discard",
        help: "discard the branch and go on",
        command: C::Discard,
        in_bar: true,
    },
    Binding {
        context: X::Confirm,
        keys: &[c('c'), c('n')],
        label: "c",
        short: "cancel",
        help: "cancel: keep the branch, do nothing (Esc too)",
        command: C::Close,
        in_bar: true,
    },
    Binding {
        context: X::Global,
        keys: &[k(KeyCode::Esc)],
        label: "Esc",
        short: "close",
        help: "close the popup (q too, in a popup that takes no text)",
        command: C::Close,
        in_bar: true,
    },
    Binding {
        context: X::Global,
        keys: &[c('?')],
        label: "?",
        short: "help",
        help: "this help, made from the key table",
        command: C::Help,
        in_bar: true,
    },
    Binding {
        context: X::Global,
        keys: &[
            c('q'),
            Key {
                code: KeyCode::Char('c'),
                ctrl: true,
            },
        ],
        label: "q",
        short: "quit",
        help: "quit from the player or the picker, leaving the terminal as it was (Ctrl-C quits from anywhere)",
        command: C::Quit,
        in_bar: true,
    },
];

/// The binding for a key in a context: the context's own bindings first, then the
/// global ones. A text field (the save dialog) only gets Esc, Enter and Ctrl-C.
pub fn lookup(context: Context, key: KeyEvent) -> Option<&'static Binding> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let code = match key.code {
        // Some terminals report Shift-Tab as Tab with Shift.
        KeyCode::Tab if key.modifiers.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
        other => other,
    };
    let hit = |b: &&Binding| b.keys.iter().any(|k| k.code == code && k.ctrl == ctrl);
    let own = BINDINGS.iter().filter(|b| b.context == context).find(hit);
    own.or_else(|| {
        BINDINGS
            .iter()
            .filter(|b| b.context == Context::Global)
            // A text field takes q and ?; the branch-safety prompt takes no q either, so
            // a second q cannot quit past the question it asks.
            .filter(|b| !takes_q(context) || b.command != Command::Quit || ctrl)
            .filter(|b| !takes_q(context) || b.command != Command::Help)
            .find(hit)
    })
}

fn takes_q(context: Context) -> bool {
    matches!(
        context,
        Context::Save | Context::Confirm | Context::Filter | Context::Search | Context::Form
    )
}

/// The bindings of the key bar in a context, in table order; `available` says which
/// commands work now.
pub fn bar(context: Context, available: impl Fn(Command) -> bool) -> Vec<&'static Binding> {
    BINDINGS
        .iter()
        .filter(|b| b.in_bar && (b.context == context || b.context == Context::Global))
        .filter(|b| context != Context::Picker || b.command != Command::Close)
        .filter(|b| context != Context::Player || b.command != Command::Close)
        // q quits only from the main views; elsewhere it closes, as Esc does.
        .filter(|b| {
            b.command != Command::Quit || matches!(context, Context::Player | Context::Picker)
        })
        .filter(|b| !takes_q(context) || !matches!(b.command, Command::Quit | Command::Help))
        // A global key the context gives another meaning (q closes the help) is not shown
        // as the global one; the label names the first key.
        .filter(|b| {
            b.context == context
                || b.keys.first().is_some_and(|k| {
                    let event = KeyEvent::new(
                        k.code,
                        if k.ctrl {
                            KeyModifiers::CONTROL
                        } else {
                            KeyModifiers::NONE
                        },
                    );
                    lookup(context, event).is_some_and(|hit| std::ptr::eq(hit, *b))
                })
        })
        .filter(|b| available(b.command))
        .collect()
}

/// The player command whose key takes a step kind on the selected cart (the world-edit
/// menu for the world edits and custom code). Every kind has one, so a new kind does not
/// compile until the UI offers it; the help, the key bar's REST names and the network
/// view's hint read it with the kind's row.
pub fn command_of(kind: StepKind) -> Command {
    match kind {
        StepKind::StartCheckout | StepKind::CheckoutStart => Command::StartCheckout,
        StepKind::Continue | StepKind::CheckoutPoll => Command::Continue,
        StepKind::AddToCart => Command::AddToCart,
        StepKind::Cancel => Command::Cancel,
        StepKind::Wait => Command::AdvanceTick,
        StepKind::Settle => Command::Settle,
        StepKind::FailOperation => Command::FailOperation,
        StepKind::CustomUpdate
        | StepKind::Grant
        | StepKind::Revoke
        | StepKind::SwitchAccount
        | StepKind::JoinStore
        | StepKind::LeaveStore
        | StepKind::SetSetting => Command::WorldMenu,
        StepKind::CheckoutUpdate => Command::Patch,
        StepKind::CheckoutDelete => Command::DeleteCheckout,
        StepKind::Pay => Command::Pay,
        StepKind::PlaceOrder => Command::PlaceOrder,
    }
}

/// The step kinds a command takes, in the table's order.
pub fn kinds_of(command: Command) -> impl Iterator<Item = StepKind> {
    StepKind::all().filter(move |k| command_of(*k) == command)
}

/// The step kind a command takes on a cart of an `lwr` store when it takes another on an
/// `aura` store (`s`: `checkout_start`, `c`: `checkout_poll`).
fn lwr_kind_of(command: Command) -> Option<StepKind> {
    let aura = kinds_of(command).any(|k| k.row().stores == Stores::Aura);
    kinds_of(command)
        .find(|k| k.row().stores == Stores::Lwr)
        .filter(|_| aura)
}

/// What the key bar calls a binding on the selected cart: on an LWR cart a key that
/// sends a REST call there and a flow action on an Aura cart says which (`s PUT`,
/// `c GET`), from the request line of its kind's row.
pub fn short_on(binding: &Binding, lwr: bool) -> &'static str {
    match lwr_kind_of(binding.command).and_then(|k| k.row().request) {
        Some((method, _)) if lwr => method,
        _ => binding.short,
    }
}

/// A binding's line in the help: its own words, then the steps its key records (the `do`
/// keyword and the title of each kind's row, and which carts take it when that differs),
/// so the help names every step kind the player can take.
pub fn help_of(binding: &Binding) -> String {
    let kinds: Vec<StepKind> = if binding.context == Context::Player {
        kinds_of(binding.command).collect()
    } else {
        Vec::new()
    };
    if kinds.is_empty() {
        return binding.help.to_string();
    }
    let mixed = kinds
        .iter()
        .any(|k| k.row().stores != kinds[0].row().stores);
    let steps: Vec<String> = kinds
        .iter()
        .map(|k| {
            let row = k.row();
            let on = match row.stores {
                _ if !mixed => "",
                Stores::Aura => ", on an Aura cart",
                Stores::Lwr => ", on an LWR cart",
                Stores::Both => "",
            };
            format!("{} — {}{on}", row.name, row.title)
        })
        .collect();
    format!(
        "{}. Step{}: {}",
        binding.help,
        if steps.len() == 1 { "" } else { "s" },
        steps.join("; ")
    )
}

/// The keys of the REST calls on an LWR cart, as the key bar names them (`s PUT, c GET,
/// u PATCH, ...`), in the order of the step-kind table.
pub fn lwr_call_keys() -> String {
    StepKind::all()
        .filter(|k| k.row().stores == Stores::Lwr)
        .filter_map(|k| {
            BINDINGS
                .iter()
                .find(|b| b.context == Context::Player && b.command == command_of(k))
        })
        .map(|b| format!("{} {}", key_name(&b.keys[0]), short_on(b, true)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The help: one heading per context, one line per binding (label, text).
pub fn help_lines() -> Vec<(Option<&'static str>, String, String)> {
    let order = [
        Context::Player,
        Context::Picker,
        Context::Filter,
        Context::Search,
        Context::Form,
        Context::AddToCart,
        Context::Menu,
        Context::Quiz,
        Context::Save,
        Context::Confirm,
        Context::Refusal,
        Context::Help,
        Context::Popup,
        Context::Global,
    ];
    let mut out = Vec::new();
    for context in order {
        out.push((Some(context.title()), String::new(), String::new()));
        for b in BINDINGS.iter().filter(|b| b.context == context) {
            out.push((None, key_names(b.keys), help_of(b)));
        }
    }
    out
}

/// How a key is written in the help: `space`, `→`, `Ctrl-C`, `k`.
pub fn key_name(key: &Key) -> String {
    let name = match key.code {
        KeyCode::Char(' ') => "space".to_string(),
        KeyCode::Char(ch) => ch.to_string(),
        KeyCode::Up => "↑".to_string(),
        KeyCode::Down => "↓".to_string(),
        KeyCode::Left => "←".to_string(),
        KeyCode::Right => "→".to_string(),
        KeyCode::Enter => "Enter".to_string(),
        KeyCode::Esc => "Esc".to_string(),
        KeyCode::Tab => "Tab".to_string(),
        KeyCode::BackTab => "Shift-Tab".to_string(),
        KeyCode::Backspace => "Backspace".to_string(),
        KeyCode::Home => "Home".to_string(),
        KeyCode::End => "End".to_string(),
        KeyCode::PageUp => "PgUp".to_string(),
        KeyCode::PageDown => "PgDn".to_string(),
        KeyCode::Delete => "Del".to_string(),
        other => format!("{other:?}"),
    };
    if key.ctrl {
        format!("Ctrl-{name}")
    } else {
        name
    }
}

/// All the keys of a binding, as the help writes them (`↑ k`), generated from the
/// table itself so the help names exactly the keys that work.
pub fn key_names(keys: &[Key]) -> String {
    keys.iter().map(key_name).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bound_command_has_exactly_one_behaviour_row() {
        for binding in BINDINGS {
            let rows = BEHAVIOURS
                .iter()
                .filter(|b| b.command == binding.command)
                .count();
            assert_eq!(rows, 1, "{:?}", binding.command);
        }
        for row in BEHAVIOURS {
            let asks = matches!(row.on_branch, OnBranch::Drops | OnBranch::DropsPastStart);
            assert_eq!(
                asks,
                !row.prompt.is_empty(),
                "{:?}: a prompt iff it asks",
                row.command
            );
        }
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        for (i, a) in BINDINGS.iter().enumerate() {
            for b in &BINDINGS[i + 1..] {
                let shared = a.context == b.context
                    || a.context == Context::Global
                    || b.context == Context::Global;
                if !shared || a.context != b.context {
                    continue;
                }
                for key in a.keys {
                    assert!(
                        !b.keys.contains(key),
                        "{key:?} bound twice in {:?}",
                        a.context
                    );
                }
            }
        }
    }
}
