//! `cartsim export --markdown`: a handout of a scenario for trainees: the story, each
//! step with its narration, what changed and why, and the rules cited with their sources.

use super::transcript::{change_line, error_lines};
use crate::engine::{ErrorKind, ErrorOrigin, Rule, Source, World};
use crate::player::play_headless;
use crate::scenario::Scenario;
use std::collections::BTreeSet;
use std::fmt::Write;

/// Escapes text for Markdown tables and inline text (the loader has already removed
/// control characters).
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '|') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn world_section(out: &mut String, world: &World) {
    out.push_str("## The world at the start\n\n");
    for store in &world.stores {
        let flow: Vec<&str> = store
            .checkout_flow
            .iter()
            .map(|s| s.state.as_str())
            .collect();
        let _ = writeln!(
            out,
            "- Store **{}** ({}): on a cart change during checkout, `{}`; checkout flow{}: {}.",
            md(&store.name),
            md(&store.id),
            store.on_cart_change,
            if store.default_flow { " (default)" } else { "" },
            md(&flow.join(" -> "))
        );
    }
    for account in &world.accounts {
        let stores = if account.stores.is_empty() {
            "no store".to_string()
        } else {
            account.stores.join(", ")
        };
        let _ = writeln!(
            out,
            "- Account **{}** ({}), buyer member of: {}.",
            md(&account.name),
            md(&account.id),
            md(&stores)
        );
    }
    for buyer in &world.buyers {
        let perms: Vec<&str> = buyer.permissions.iter().map(|p| p.as_str()).collect();
        let _ = writeln!(
            out,
            "- Buyer **{}** ({}), acts for {}; effective account {}; permissions: {}.",
            md(&buyer.name),
            md(&buyer.id),
            md(&buyer.accounts.join(", ")),
            md(&buyer.effective_account),
            if perms.is_empty() {
                "none".to_string()
            } else {
                perms.join(", ")
            }
        );
    }
    for product in &world.products {
        let _ = writeln!(
            out,
            "- Product {} **{}** at {}.",
            md(&product.sku),
            md(&product.name),
            product.price
        );
    }
    for cart in &world.carts {
        let items: Vec<String> = cart
            .items
            .iter()
            .map(|i| format!("{} x {}", i.quantity, i.sku))
            .collect();
        let _ = writeln!(
            out,
            "- WebCart **{}** in {}, owned by {}, WebCart.Status {}, items: {}; TotalProductAmount {}.",
            md(&cart.id),
            md(&cart.store),
            md(&cart.buyer),
            cart.status,
            if items.is_empty() {
                "none".to_string()
            } else {
                md(&items.join(", "))
            },
            world.total_product_amount(cart)
        );
    }
    for s in &world.sessions {
        let _ = writeln!(
            out,
            "- CartCheckoutSession **{}** for {}: State {}, IsProcessing {}, IsArchived {}, BackgroundOperationId {}.",
            md(&s.id),
            md(&s.cart),
            md(&s.state),
            s.is_processing,
            s.is_archived,
            md(s.background_operation_id.as_deref().unwrap_or("null"))
        );
    }
    for o in &world.operations {
        let _ = writeln!(
            out,
            "- BackgroundOperation **{}** ({}): Status {}.",
            md(&o.id),
            md(&o.name),
            o.status
        );
    }
    out.push('\n');
}

fn source_text(source: Source) -> String {
    match source {
        Source::Documented(r) => format!("documented ({r})"),
        Source::Sample(r) => format!("Salesforce sample ({r})"),
        Source::Choice(r) => format!("the simulator's choice: {r}"),
        Source::Inferred(r) => format!("inferred from Salesforce's sample ({r})"),
        Source::Scenario => "set by the scenario".to_string(),
    }
}

/// The handout, in Markdown.
pub fn markdown(scenario: &Scenario) -> String {
    let reports = play_headless(scenario);
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", md(&scenario.title));
    if let Some(summary) = &scenario.summary {
        let _ = writeln!(out, "{}\n", md(summary));
    }
    if !scenario.tags.is_empty() {
        let _ = writeln!(out, "Tags: {}\n", md(&scenario.tags.join(", ")));
    }
    world_section(&mut out, &scenario.world);
    out.push_str("## What happens\n\n");
    let mut rules: BTreeSet<Rule> = BTreeSet::new();
    let mut errors: BTreeSet<ErrorKind> = BTreeSet::new();
    let mut answers = Vec::new();
    for report in &reports {
        let step = &scenario.steps[report.index];
        if let Some(marker) = &step.marker {
            let _ = writeln!(out, "### {}\n", md(marker));
        }
        let _ = writeln!(
            out,
            "**Step {}** (tick {}): `{}`\n",
            report.index + 1,
            report.tick_before,
            report.description.replace('`', "'")
        );
        if let Some(quiz) = &step.quiz {
            let _ = writeln!(out, "> **Predict:** {}", md(&quiz.question));
            for (i, choice) in quiz.choices.iter().enumerate() {
                let _ = writeln!(out, "> {}. {}", i + 1, md(choice));
            }
            out.push('\n');
            answers.push((report.index + 1, quiz));
        }
        if let Some(note) = &step.note {
            let _ = writeln!(out, "{}\n", md(note));
        }
        match &report.outcome.result {
            Ok(()) => out.push_str("Result: ok.\n\n"),
            Err(e) => {
                errors.insert(e.kind);
                let (head, why) = error_lines(e);
                let _ = writeln!(
                    out,
                    "Result: **refused**, `{}`. The {}.\n",
                    head.replace('`', "'"),
                    md(&why)
                );
            }
        }
        if !report.outcome.changes.is_empty() {
            out.push_str("Changes:\n\n");
            for change in &report.outcome.changes {
                rules.insert(change.rule);
                let at = if change.tick != report.tick_before {
                    format!("at tick {}: ", change.tick)
                } else {
                    String::new()
                };
                let _ = writeln!(out, "- {at}`{}`", change_line(change).replace('`', "'"));
            }
            out.push('\n');
        }
    }
    if !answers.is_empty() {
        out.push_str("## Answers\n\n");
        for (step, quiz) in answers {
            let _ = write!(
                out,
                "- Step {step}: **{}. {}**",
                quiz.answer + 1,
                md(&quiz.choices[quiz.answer])
            );
            if let Some(explanation) = &quiz.explanation {
                let _ = write!(out, " {}", md(explanation));
            }
            out.push('\n');
        }
        out.push('\n');
    }
    out.push_str("## Rules cited\n\n");
    for rule in rules {
        let _ = writeln!(
            out,
            "- {}: {}.",
            md(rule.text()),
            md(&source_text(rule.source()))
        );
    }
    for kind in errors {
        let spec = kind.spec();
        let origin = match spec.origin {
            ErrorOrigin::Documented(r) => format!("documented ({r})"),
            ErrorOrigin::Borrowed(r) => format!("borrowed from {r}"),
            ErrorOrigin::Choice(r) => format!("the simulator's choice: {r}"),
        };
        let http = spec.http.map(|h| format!(" {h}")).unwrap_or_default();
        let _ = writeln!(
            out,
            "- {} refuses with `{}{http}` when this fails: {}; {}.",
            md(spec.action),
            spec.code,
            md(spec.requirement),
            md(&origin)
        );
    }
    out
}
