//! The world as a trainer explains it (`i`): each buyer with the permissions and the
//! effective account that decide requirements 1 and 2, each account with the stores it
//! is a buyer member of (requirement 3), and each store with its template, its settings
//! and its checkout flow. A `✖` marks what would make an action be refused.

use super::theme::Theme;
use crate::engine::flow::StepKind;
use crate::engine::{Permission, World};
use ratatui::text::{Line, Span};

/// The lines of the world popup.
pub fn lines(t: Theme, world: &World) -> Vec<Line<'static>> {
    let mut out = vec![Line::styled(
        "Buyers: permissions (requirement 1) and effective account (requirement 2)",
        t.title(),
    )];
    for b in world.buyers() {
        out.push(Line::from(vec![
            Span::styled(format!("  {}", b.id), t.title()),
            Span::raw(format!(" {}", b.name)),
        ]));
        let mut perms = vec![Span::styled("    permissions ", t.label())];
        for &p in Permission::ALL {
            if b.has(p) {
                perms.push(Span::styled(format!("✓ {p}  "), t.ok()));
            } else {
                perms.push(Span::styled(format!("✖ no {p}  "), t.error()));
            }
        }
        out.push(Line::from(perms));
        let valid = b.accounts.contains(&b.effective_account)
            && world.account(&b.effective_account).is_some();
        out.push(Line::from(vec![
            Span::styled("    effective account ", t.label()),
            Span::raw(b.effective_account),
            if valid {
                Span::styled("  ✓ one it may act for", t.ok())
            } else {
                Span::styled("  ✖ not one it may act for", t.error())
            },
        ]));
        out.push(Line::from(vec![
            Span::styled("    may act for ", t.label()),
            Span::raw(if b.accounts.is_empty() {
                "(no account)".to_string()
            } else {
                b.accounts.join(", ")
            }),
        ]));
    }
    out.push(Line::raw(""));
    out.push(Line::styled(
        "Accounts: the stores each is a buyer member of (requirement 3)",
        t.title(),
    ));
    for a in world.accounts() {
        out.push(Line::from(vec![
            Span::styled(format!("  {}", a.id), t.title()),
            Span::raw(format!(" {}", a.name)),
            Span::styled("  member of ", t.label()),
            if a.stores.is_empty() {
                Span::styled("✖ no store", t.error())
            } else {
                Span::raw(a.stores.join(", "))
            },
        ]));
    }
    out.push(Line::raw(""));
    out.push(Line::styled(
        "Stores: template, settings, checkout flow",
        t.title(),
    ));
    for s in world.stores() {
        let st = &s.settings;
        out.push(Line::from(vec![
            Span::styled(format!("  {}", s.id), t.title()),
            Span::raw(format!(" {}", s.name)),
            // The template decides how checkout runs (aura: flow actions; lwr: REST).
            Span::styled("  template ", t.label()),
            Span::raw(st.template.to_string()),
        ]));
        let lwr = st.template == crate::engine::Template::Lwr;
        let mut settings = vec![("on_cart_change", s.on_cart_change.as_str().to_string())];
        // Every store setting but the template, shown on the store's first line.
        settings.extend(
            crate::engine::settings::SETTINGS
                .iter()
                .filter(|setting| setting.key != "template")
                .map(|setting| (setting.key, setting.show(st))),
        );
        settings.push((
            "delivery_methods",
            if s.delivery_methods.is_empty() {
                "none".to_string()
            } else {
                s.delivery_methods
                    .iter()
                    .map(|m| format!("{} {}", m.id, m.price))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        ));
        for (name, value) in settings {
            // An LWR store runs no flow: the flow's cart-change setting means nothing there.
            if lwr && name == "on_cart_change" {
                continue;
            }
            out.push(Line::from(vec![
                Span::styled(format!("    {name:<26}"), t.label()),
                Span::raw(value),
            ]));
        }
        if lwr {
            out.push(Line::from(vec![
                Span::styled("    checkout ", t.label()),
                Span::raw(format!(
                    "the storefront calls the Connect REST checkout API, no flow: {}",
                    rest_calls()
                )),
            ]));
            continue;
        }
        let flow: Vec<String> = s
            .checkout_flow
            .iter()
            .map(|f| match &f.kind {
                StepKind::Async { .. } => format!("{} (async)", f.state),
                StepKind::Buyer => format!("{} (buyer)", f.state),
                StepKind::Sync => format!("{} (sync)", f.state),
            })
            .collect();
        out.push(Line::from(vec![
            Span::styled(
                if s.default_flow {
                    "    flow (default) "
                } else {
                    "    flow "
                },
                t.label(),
            ),
            Span::raw(flow.join(" → ")),
        ]));
    }
    out
}

/// The steps of an `lwr` store and the calls they make, from the step-kind table:
/// `checkout_start PUT /checkouts, checkout_poll GET /checkouts/{id}, ...`.
fn rest_calls() -> String {
    crate::engine::STEP_KINDS
        .iter()
        .filter(|r| r.stores == crate::engine::Stores::Lwr)
        .filter_map(|r| {
            r.request
                .map(|(method, path)| format!("{} {method} /checkouts{path}", r.name))
        })
        .collect::<Vec<_>>()
        .join(", ")
}
