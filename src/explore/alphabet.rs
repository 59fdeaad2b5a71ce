//! The actions explore tries in every state: the alphabet.

use crate::engine::rest::PaymentOutcome;
use crate::engine::{Action, Quantity, StepKind, Template, World};

/// One kind of action explore can try, named as a scenario step's `do`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    /// `start_checkout` (aura).
    StartCheckout,
    /// `continue` (aura).
    Continue,
    /// `cancel` (aura).
    Cancel,
    /// `checkout_start` (lwr).
    CheckoutStart,
    /// `checkout_poll` (lwr).
    CheckoutPoll,
    /// `checkout_delete` (lwr).
    CheckoutDelete,
    /// `pay` with an authorized payment (lwr).
    Pay,
    /// `place_order`, v1 (lwr).
    PlaceOrder,
    /// `add_to_cart` of one unit of the first product.
    AddToCart,
    /// `wait` of one tick.
    Wait,
    /// `fail_operation` (fault injection).
    FailOperation,
    /// `custom_update` saving now (custom code, not a buyer).
    CustomUpdate,
}

/// Every move, in the order the alphabet lists them.
pub const MOVES: &[Move] = &[
    Move::StartCheckout,
    Move::CheckoutStart,
    Move::Continue,
    Move::CheckoutPoll,
    Move::Cancel,
    Move::CheckoutDelete,
    Move::AddToCart,
    Move::Pay,
    Move::PlaceOrder,
    Move::Wait,
    Move::FailOperation,
    Move::CustomUpdate,
];

impl Move {
    /// The step kind the move takes.
    pub fn kind(self) -> StepKind {
        match self {
            Move::StartCheckout => StepKind::StartCheckout,
            Move::Continue => StepKind::Continue,
            Move::Cancel => StepKind::Cancel,
            Move::CheckoutStart => StepKind::CheckoutStart,
            Move::CheckoutPoll => StepKind::CheckoutPoll,
            Move::CheckoutDelete => StepKind::CheckoutDelete,
            Move::Pay => StepKind::Pay,
            Move::PlaceOrder => StepKind::PlaceOrder,
            Move::AddToCart => StepKind::AddToCart,
            Move::Wait => StepKind::Wait,
            Move::FailOperation => StepKind::FailOperation,
            Move::CustomUpdate => StepKind::CustomUpdate,
        }
    }

    /// The scenario step kind (`do`), from the step-kind table.
    pub fn name(self) -> &'static str {
        self.kind().name()
    }

    /// The move a step kind names.
    pub fn parse(name: &str) -> Option<Move> {
        MOVES.iter().copied().find(|m| m.name() == name)
    }

    /// The store kind the move needs; `None` when both kinds take it.
    pub fn template(self) -> Option<Template> {
        match self {
            Move::StartCheckout | Move::Continue | Move::Cancel => Some(Template::Aura),
            Move::CheckoutStart
            | Move::CheckoutPoll
            | Move::CheckoutDelete
            | Move::Pay
            | Move::PlaceOrder => Some(Template::Lwr),
            _ => None,
        }
    }

    /// True for a buyer's own action (not time, not a fault).
    pub fn is_buyer(self) -> bool {
        !matches!(self, Move::Wait | Move::FailOperation | Move::CustomUpdate)
    }

    /// The default alphabet of a store kind: start, continue or poll, cancel or
    /// delete, and add to cart (wait is added once, not per cart).
    pub fn defaults(template: Template) -> &'static [Move] {
        match template {
            Template::Aura => &[
                Move::StartCheckout,
                Move::Continue,
                Move::Cancel,
                Move::AddToCart,
            ],
            Template::Lwr => &[
                Move::CheckoutStart,
                Move::CheckoutPoll,
                Move::CheckoutDelete,
                Move::AddToCart,
            ],
        }
    }

    /// The move that cancels a checkout in a store of this kind.
    pub fn cancel_of(template: Template) -> Move {
        match template {
            Template::Aura => Move::Cancel,
            Template::Lwr => Move::CheckoutDelete,
        }
    }
}

/// One letter of the alphabet: a concrete action and its step kind.
#[derive(Debug, Clone, PartialEq)]
pub struct Letter {
    /// The move.
    pub kind: Move,
    /// The action applied.
    pub action: Action,
}

/// The message an injected fault carries (BackgroundOperation.Error).
pub const FAULT_MESSAGE: &str = "Injected fault";

/// The action of a move on a cart, as `actor` (`None`: the cart's buyer).
pub fn action(world: &World, kind: Move, cart: &str, actor: Option<String>) -> Action {
    let cart = cart.to_string();
    match kind {
        Move::StartCheckout => Action::StartCheckout { cart, actor },
        Move::Continue => Action::Continue { cart, actor },
        Move::Cancel => Action::Cancel { cart, actor },
        Move::CheckoutStart => Action::CheckoutStart { cart, actor },
        Move::CheckoutPoll => Action::CheckoutPoll { cart, actor },
        Move::CheckoutDelete => Action::CheckoutDelete { cart, actor },
        Move::Pay => Action::Pay {
            cart,
            outcome: PaymentOutcome::Authorized,
            actor,
        },
        Move::PlaceOrder => Action::PlaceOrder {
            cart,
            step: None,
            actor,
        },
        Move::AddToCart => Action::AddToCart {
            cart,
            sku: world
                .products()
                .first()
                .map(|p| p.sku.to_string())
                .unwrap_or_default(),
            quantity: Quantity::Whole(1),
            actor,
        },
        Move::Wait => Action::Wait { ticks: 1 },
        Move::FailOperation => Action::FailOperation {
            cart,
            message: FAULT_MESSAGE.to_string(),
        },
        Move::CustomUpdate => Action::CustomUpdate {
            cart,
            during_next_call: false,
        },
    }
}

/// The store kind of a cart's store (aura when the store is unknown).
pub fn template_of(world: &World, cart: &str) -> Template {
    world
        .store_of_cart(cart)
        .map(|s| s.settings.template)
        .unwrap_or(Template::Aura)
}
