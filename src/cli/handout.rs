//! `cartsim export --markdown`: a handout of a scenario for trainees: the story, each
//! step with its narration, what changed and why, and the rules cited with their sources.

use super::transcript::{change_line, error_lines};
use crate::engine::{ErrorKind, Rule, SIMULATOR_ONLY, Template, World};
use crate::player::play_headless;
use crate::scenario::Scenario;
use std::collections::BTreeSet;
use std::fmt::Write;

/// Escapes one line of file text for Markdown, so that it can start no block (heading,
/// list, quote, fence, setext underline, indented code) and hold no emphasis, code span,
/// link, image, HTML, entity or table cell: the characters that act anywhere are
/// backslash-escaped, the ones that act at the start of a line are escaped there, and
/// leading spaces are dropped. The loader has already removed control characters.
fn md(text: &str) -> String {
    let text = text.trim_start();
    let mut out = String::with_capacity(text.len() + 8);
    // A list number (`12.` or `12)`) is harmless once its mark is escaped.
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    for (i, c) in text.chars().enumerate() {
        let anywhere = matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&'
        );
        let at_start = i == 0 && matches!(c, '#' | '+' | '-' | '=');
        let list_mark = digits > 0 && i == digits && matches!(c, '.' | ')');
        if anywhere || at_start || list_mark {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Escapes paragraph text that sits inside a block: each line as [`md`], and every
/// line after the first starts with `prefix` (`"> "` inside a quote, spaces inside a list
/// item), so no line of the file's text can end the block it is in. A blank line
/// becomes a line break instead of a new paragraph.
fn md_block(text: &str, prefix: &str) -> String {
    text.lines()
        .map(md)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(&format!("\\\n{prefix}"))
}

/// What a handout shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// The answers to quizzes: the Answers section, and the result and changes of each
    /// step that has a quiz. Off for a trainee handout.
    pub answers: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { answers: true }
    }
}

fn world_section(out: &mut String, world: &World) {
    out.push_str("## The world at the start\n\n");
    for store in world.stores() {
        if store.settings.template == Template::Lwr {
            // An LWR store runs no flow: its flow and on-cart-change setting mean nothing.
            let _ = writeln!(
                out,
                "- Store **{}** ({}), an **LWR** store: the storefront calls the Connect REST checkout API (PUT, GET and PATCH on /checkouts, POST /payments, POST /orders); each calculating call runs the checkout calculators as background operations, and a cart change during checkout reruns them.",
                md(&store.name),
                md(&store.id),
            );
            continue;
        }
        let flow: Vec<&str> = store
            .checkout_flow
            .iter()
            .map(|s| s.state.as_str())
            .collect();
        let _ = writeln!(
            out,
            "- Store **{}** ({}), an **Aura** store: checkout runs as a flow of the B2B Commerce flow actions; on a cart change during checkout, `{}`; checkout flow{}: {}.",
            md(&store.name),
            md(&store.id),
            store.on_cart_change,
            if store.default_flow { " (default)" } else { "" },
            md(&flow.join(" -> "))
        );
    }
    for account in world.accounts() {
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
    for buyer in world.buyers() {
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
    for product in world.products() {
        let _ = writeln!(
            out,
            "- Product {} **{}** at {}.",
            md(&product.sku),
            md(&product.name),
            product.price
        );
    }
    for cart in world.carts() {
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
    for s in world.sessions() {
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
    for o in world.operations() {
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

/// What an org records for an `lwr` checkout, and what in this handout is
/// simulator-only, so a trainee who opens a customer's org queries the right records.
fn lwr_records_section(out: &mut String) {
    out.push_str("## What the org records (LWR store)\n\n");
    out.push_str(
        "- CartCheckoutSession: IsProcessing, IsArchived, IsError, BackgroundOperationId, OrderReferenceNumber, OrderId (State and NextState are not documented for the REST checkout; they stay null here).\n\
         - BackgroundOperation: one per calculating call (PUT, PATCH, a cart change), running the calculators it needs in order; its Name `Cart Calculate` is the simulator's choice.\n\
         - CartDeliveryGroup: DeliverToStreet, DeliverToCity, DeliverToPostalCode, DeliverToCountry, DeliveryMethodId.\n\
         - WebCart: TotalProductAmount, TotalChargeAmount, TotalTaxAmount, GrandTotalAmount, GuestEmailAddress.\n\
         - PaymentAuthorization: Amount, Status (Processed, Failed, Canceled).\n\
         - CartValidationOutput: the rows the calculators leave.\n\n",
    );
    out.push_str("Simulator-only (no object has these; their names start with `~`):\n\n");
    for s in SIMULATOR_ONLY.iter().filter(|s| s.name.starts_with('~')) {
        let _ = writeln!(
            out,
            "- `{}` on {}: {}. In an org: {}.",
            s.name,
            s.object,
            md(s.meaning),
            md(s.in_an_org)
        );
    }
    out.push('\n');
}

/// The handout, in Markdown, with the answers.
pub fn markdown(scenario: &Scenario) -> String {
    markdown_with(scenario, Options::default())
}

/// The handout, in Markdown, showing what `options` allow.
pub fn markdown_with(scenario: &Scenario, options: Options) -> String {
    let reports = play_headless(scenario);
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", md(&scenario.title));
    if let Some(summary) = &scenario.summary {
        let _ = writeln!(out, "{}\n", md_block(summary, ""));
    }
    if !scenario.tags.is_empty() {
        let _ = writeln!(out, "Tags: {}\n", md(&scenario.tags.join(", ")));
    }
    world_section(&mut out, &scenario.world);
    if scenario
        .world
        .stores()
        .iter()
        .any(|s| s.settings.template == Template::Lwr)
    {
        lwr_records_section(&mut out);
    }
    out.push_str("## What happens\n\n");
    let mut rules: BTreeSet<Rule> = BTreeSet::new();
    let mut errors: BTreeSet<ErrorKind> = BTreeSet::new();
    let mut answers = Vec::new();
    for report in &reports {
        let step = &scenario.steps[report.index];
        if let Some(marker) = step.marker() {
            let _ = writeln!(out, "### {}\n", md(marker));
        }
        let _ = writeln!(
            out,
            "**Step {}** (tick {}): `{}`\n",
            report.index + 1,
            report.tick_before,
            report.description.replace('`', "'")
        );
        if let Some(quiz) = step.quiz() {
            let _ = writeln!(out, "> **Predict:** {}", md_block(&quiz.question, "> "));
            for (i, choice) in quiz.choices.iter().enumerate() {
                let _ = writeln!(out, "> {}. {}", i + 1, md(choice));
            }
            out.push('\n');
            answers.push((report.index + 1, quiz));
        }
        if step.quiz().is_some() && !options.answers {
            // The note of a step with a question narrates its outcome: it is the answer,
            // so a trainee handout keeps it back with the result and the changes.
            out.push_str("Result: *discuss it, then play the step.*\n\n");
            continue;
        }
        if let Some(note) = step.note() {
            let _ = writeln!(out, "{}\n", md_block(note, ""));
        }
        if let Some(call) = crate::player::wording::call_line(&report.outcome) {
            let _ = writeln!(out, "Call: `{}`\n", call.replace('`', "'"));
        }
        if let Some(body) = crate::player::wording::body_line(&report.outcome) {
            let _ = writeln!(out, "Response body: `{}`\n", body.replace('`', "'"));
        }
        match &report.outcome.result {
            Ok(()) => out.push_str("Result: ok.\n\n"),
            Err(e) => {
                errors.insert(e.kind);
                let lines = error_lines(e);
                let _ = writeln!(
                    out,
                    "Result: **refused**, `{}`. The {}.\n",
                    lines[0].replace('`', "'"),
                    md(&lines[1])
                );
                for line in &lines[2..] {
                    let _ = writeln!(out, "- {}\n", md(line));
                }
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
    if !answers.is_empty() && options.answers {
        out.push_str("## Answers\n\n");
        for (step, quiz) in answers {
            let _ = write!(
                out,
                "- Step {step}: **{}. {}**",
                quiz.answer + 1,
                md(&quiz.choices[quiz.answer])
            );
            if let Some(explanation) = &quiz.explanation {
                let _ = write!(out, " {}", md_block(explanation, "  "));
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
            md(&rule.source().prose())
        );
    }
    for kind in errors {
        let spec = kind.spec();
        let origin = spec.origin.prose();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_text_cannot_start_blocks_or_leave_its_block() {
        assert_eq!(md("# Fake"), "\\# Fake");
        assert_eq!(md("    code"), "code");
        assert_eq!(md("12. item"), "12\\. item");
        assert_eq!(md("- x"), "\\- x");
        assert_eq!(
            md("[a](http://e.vil) ```"),
            "\\[a\\](http://e.vil) \\`\\`\\`"
        );
        assert_eq!(md("~~~"), "\\~\\~\\~");
        assert_eq!(md("a - b: 1.25"), "a - b: 1.25");
        assert_eq!(md_block("q\n\n# h\n> x", "> "), "q\\\n> \\# h\\\n> \\> x");
    }
}
