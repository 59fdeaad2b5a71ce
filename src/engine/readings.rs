//! The store settings that choose between readings of the sources: each value, what it
//! does, and which source backs it. The rules table, the README and the UI's store
//! panel are generated from this catalogue.

use super::model::{Edition, StoreSettings};
use super::rules::Source;

/// One value of a setting.
#[derive(Debug, Clone, Copy)]
pub struct Reading {
    /// The value as a file writes it.
    pub value: &'static str,
    /// What it does.
    pub meaning: &'static str,
    /// Which source backs it.
    pub source: Source,
}

/// One setting and its readings.
#[derive(Debug, Clone, Copy)]
pub struct Setting {
    /// The store key.
    pub key: &'static str,
    /// Its values.
    pub readings: &'static [Reading],
}

const HELP_SESSION: &str = "help.salesforce.com: Checkout Session";
const HELP_CANCEL: &str = "help.salesforce.com: Cancel Cart Async Operation";

/// Every setting, in the order the format documents them.
pub const SETTINGS: &[Setting] = &[
    Setting {
        key: "template",
        readings: &[
            Reading {
                value: "aura",
                meaning: "checkout runs as a flow of the B2B Commerce flow actions",
                source: Source::Documented(
                    "help.salesforce.com: Add Cart Item (flow actions are for Aura stores)",
                ),
            },
            Reading {
                value: "lwr",
                meaning: "the storefront calls the Connect REST checkout API: the steps checkout_start, checkout_poll, checkout_update, checkout_delete, pay and place_order; start_checkout and continue are refused; a cart change in checkout reruns the calculators it needs (Simplified Cart Cleanup)",
                source: Source::Documented(
                    "developer.salesforce.com commerce guide: how standard checkout works and checkout async processing (LWR and headless stores)",
                ),
            },
        ],
    },
    Setting {
        key: "checkout_session",
        readings: &[
            Reading {
                value: "strict",
                meaning: "a second start is refused: Cart Is Already in Progress (BAD_REQUEST 400); the cart must be Active",
                source: Source::Documented(
                    "help.salesforce.com: Checkout Session, requirement \"no current, active session\"",
                ),
            },
            Reading {
                value: "get_or_create",
                meaning: "a start on a cart with an active session returns that session and changes nothing; the cart may be Active or Checkout",
                source: Source::Documented(
                    "help.salesforce.com: Checkout Session summary (\"gets or creates\"); sample Reentrant_Subflow_Checkout_Session.flow calls it on every loop",
                ),
            },
        ],
    },
    Setting {
        key: "cancel_requirements",
        readings: &[
            Reading {
                value: "enforce",
                meaning: "requirements 5 (an active session) and 6 (a valid BackgroundOperationId) are refusals",
                source: Source::Documented(HELP_CANCEL),
            },
            Reading {
                value: "lenient",
                meaning: "with no active session the cancel succeeds and changes nothing; with no valid operation it archives the session and unlocks the cart",
                source: Source::Inferred(
                    "quickstart Checkout_Main_Checkout.flow calls the cancel on every cart not yet complete, with no fault path",
                ),
            },
        ],
    },
    Setting {
        key: "checkout_ttl",
        readings: &[
            Reading {
                value: "null",
                meaning: "checkouts never expire",
                source: Source::Documented(
                    "developer.salesforce.com commerce guide: checkout time-to-live (null never expires)",
                ),
            },
            Reading {
                value: "N ticks",
                meaning: "a checkout not finished N ticks after it started is expired (what then happens: checkout_expiry); 0 disables checkout",
                source: Source::Documented(
                    "developer.salesforce.com commerce guide: checkout time-to-live (WebStore.CheckoutTimeToLive; B2B default 2880 minutes)",
                ),
            },
        ],
    },
    Setting {
        key: "operation_expiry",
        readings: &[
            Reading {
                value: "null",
                meaning: "finished operations stay in the queue",
                source: Source::Choice(
                    "the docs give no default for ExpiresAt; cartsim keeps them unless asked",
                ),
            },
            Reading {
                value: "N ticks",
                meaning: "a finished operation (Complete, Canceled, Error, Merged) leaves the queue N ticks after it finished",
                source: Source::Documented("Object Reference: BackgroundOperation.ExpiresAt"),
            },
        ],
    },
    Setting {
        key: "continue_while_processing",
        readings: &[
            Reading {
                value: "checkout_conflict",
                meaning: "continue while an operation runs gives CHECKOUT_CONFLICT 409",
                source: Source::Documented(
                    "developer.salesforce.com commerce guide: checkout async processing (the REST API's code)",
                ),
            },
            Reading {
                value: "already_in_process",
                meaning: "continue while an operation runs gives ALREADY_IN_PROCESS 400",
                source: Source::Documented(
                    "help.salesforce.com: Cart to Order (Integration Is Already in Progress; the flow actions' code)",
                ),
            },
        ],
    },
    Setting {
        key: "cart_access",
        readings: &[
            Reading {
                value: "unchecked",
                meaning: "any buyer who passes the permission, account and membership checks may act on the cart",
                source: Source::Choice("the first model's reading; kept for format 1 files"),
            },
            Reading {
                value: "owner_and_account",
                meaning: "the acting buyer must own the cart and act for its account (User Doesn't Have Access to the Cart)",
                source: Source::Documented(
                    "help.salesforce.com: Cart to Order (cart access errors)",
                ),
            },
        ],
    },
    Setting {
        key: "validation_on_start",
        readings: &[
            Reading {
                value: "keep",
                meaning: "Checkout Session leaves the cart's CartValidationOutput rows",
                source: Source::Choice("the first model's reading; kept for format 1 files"),
            },
            Reading {
                value: "clear",
                meaning: "Checkout Session deletes every CartValidationOutput row of the cart when it creates a session",
                source: Source::Documented(HELP_SESSION),
            },
        ],
    },
    Setting {
        key: "order_created",
        readings: &[
            Reading {
                value: "at_completion",
                meaning: "the order is created when the flow's last state is done, as the cart closes",
                source: Source::Choice("the first model's reading; kept for format 1 files"),
            },
            Reading {
                value: "at_cart_to_order",
                meaning: "an operation named Cart to Order creates the order; the cart closes only when the flow ends",
                source: Source::Sample(
                    "quickstart Reentrant_Checkout.flow and Reentrant_Subflow_Order_Confirmation.flow (Close_Cart)",
                ),
            },
        ],
    },
    Setting {
        key: "canceled_finished_at",
        readings: &[
            Reading {
                value: "set",
                meaning: "a canceled operation gets a FinishedAt",
                source: Source::Choice("the first model's reading; kept for format 1 files"),
            },
            Reading {
                value: "null",
                meaning: "FinishedAt is set only on Complete or Error",
                source: Source::Documented(
                    "Object Reference: BackgroundOperation.FinishedAt (\"completed or error\")",
                ),
            },
        ],
    },
    Setting {
        key: "checkout_expiry",
        readings: &[
            Reading {
                value: "on_return",
                meaning: "nothing changes when the time passes; the buyer's next checkout action (Aura: start_checkout or continue; LWR: any checkout call) finds the checkout expired and its integrations run again",
                source: Source::Documented(
                    "developer.salesforce.com commerce guide: checkout time-to-live (b2b-b2c-comm-checkout-ttl): \"when the user returns to their cart, the checkout integrations run again and provide current information\"",
                ),
            },
            Reading {
                value: "eager",
                meaning: "at the deadline the running operation is Canceled, the session archived and the cart Active",
                source: Source::Inferred(
                    "the earlier model's reading; \"the checkout status is set to Canceled and the cart status is reverted to Active\" was attributed to the D2C Streamlined Place Order page and could not be verified",
                ),
            },
        ],
    },
    Setting {
        key: "checkout_valid_after",
        readings: &[
            Reading {
                value: "null",
                meaning: "no date: a checkout expires only by its time to live",
                source: Source::Documented(TTL_API),
            },
            Reading {
                value: "T",
                meaning: "a checkout started before tick T is expired",
                source: Source::Documented(TTL_API),
            },
        ],
    },
    Setting {
        key: "place_order",
        readings: &[
            Reading {
                value: "v1",
                meaning: "place_order is POST .../checkouts/{id}/orders",
                source: Source::Documented(
                    "Connect REST API reference: Commerce Webstore Checkout Orders",
                ),
            },
            Reading {
                value: "v2",
                meaning: "Place Order V2: place_order is POST .../checkouts/{id}/orders/actions with {\"actions\":[{\"action\":\"prepare\"|\"submit\"}]} (API 64.0+, Streamlined Place Order enabled)",
                source: Source::Documented(
                    "Connect REST API reference: Commerce Webstore Checkout Orders Actions; extension point Commerce_Domain_Checkout_PlaceOrder",
                ),
            },
        ],
    },
    Setting {
        key: "cart_cleanup",
        readings: &[
            Reading {
                value: "simplified",
                meaning: "in an lwr store a cart change during checkout keeps the checkout and reruns the calculators it needs",
                source: Source::Documented(CART_CLEANUP),
            },
            Reading {
                value: "cancel_checkout",
                meaning: "in an lwr store a cart change during checkout cancels the checkout, as in an aura store (before Spring '25, or the Cart Calculate API off)",
                source: Source::Documented(CART_CLEANUP),
            },
        ],
    },
    Setting {
        key: "tax_rate",
        readings: &[
            Reading {
                value: "0",
                meaning: "no tax: TotalTaxAmount is 0",
                source: Source::Choice(TAX_STAND_IN),
            },
            Reading {
                value: "R",
                meaning: "TotalTaxAmount is tax_rate x (TotalProductAmount + TotalChargeAmount), rounded half up to the cent; R is a decimal fraction from 0 to 1 with at most four places",
                source: Source::Choice(TAX_STAND_IN),
            },
        ],
    },
];

const TTL_API: &str = "developer.salesforce.com commerce guide: checkout time-to-live API (b2b-b2c-comm-checkout-ttl-api): WebStore.CheckoutValidAfterDate, \"If a checkout starts before this date, it's considered expired\"";
const CART_CLEANUP: &str = "developer.salesforce.com commerce guide: Simplified Cart Cleanup (b2b-d2c-comm-cart-cleanup): LWR stores with the Cart Calculate API enabled, Spring '25, API 63.0; can be reverted through support";
const TAX_STAND_IN: &str = "the simulator's stand-in for a tax integration (a real store's tax comes from its tax calculator)";

/// True for a reading that stands for any number (`N ticks`, `T`, `R`), not one value.
pub fn is_placeholder(value: &str) -> bool {
    value.starts_with(|c: char| c.is_ascii_uppercase())
}

impl StoreSettings {
    /// Each setting's key and current value, as a file writes them.
    pub fn values(&self) -> Vec<(&'static str, String)> {
        let ticks = |t: Option<u64>| t.map_or("null".to_string(), |t| t.to_string());
        vec![
            ("template", self.template.as_str().to_string()),
            (
                "checkout_session",
                self.checkout_session.as_str().to_string(),
            ),
            (
                "cancel_requirements",
                self.cancel_requirements.as_str().to_string(),
            ),
            ("checkout_ttl", ticks(self.checkout_ttl)),
            ("operation_expiry", ticks(self.operation_expiry)),
            (
                "continue_while_processing",
                self.continue_while_processing.as_str().to_string(),
            ),
            ("cart_access", self.cart_access.as_str().to_string()),
            (
                "validation_on_start",
                self.validation_on_start.as_str().to_string(),
            ),
            ("order_created", self.order_created.as_str().to_string()),
            (
                "canceled_finished_at",
                self.canceled_finished_at.as_str().to_string(),
            ),
            ("checkout_expiry", self.checkout_expiry.as_str().to_string()),
            ("checkout_valid_after", ticks(self.checkout_valid_after)),
            ("place_order", self.place_order.as_str().to_string()),
            ("cart_cleanup", self.cart_cleanup.as_str().to_string()),
            ("tax_rate", self.tax_rate.to_string()),
        ]
    }

    /// The settings whose value differs from an edition's default.
    pub fn differences_from(&self, edition: Edition) -> Vec<(&'static str, String)> {
        let defaults = StoreSettings::defaults(edition).values();
        self.values()
            .into_iter()
            .zip(defaults)
            .filter(|(a, b)| a != b)
            .map(|(a, _)| a)
            .collect()
    }
}

/// The reading that a setting's value selects, if the catalogue names it.
pub fn reading(key: &str, value: &str) -> Option<&'static Reading> {
    let setting = SETTINGS.iter().find(|s| s.key == key)?;
    setting
        .readings
        .iter()
        .find(|r| r.value == value)
        .or_else(|| {
            // Numbers are catalogued under a placeholder ("N ticks", "T", "R").
            value
                .parse::<f64>()
                .ok()
                .and_then(|_| setting.readings.iter().find(|r| is_placeholder(r.value)))
        })
}
