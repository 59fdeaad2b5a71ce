//! The rules table: every rule behind a change and every refusal, with its source.
//! Generated from the engine's catalogues, printed by `cartsim rules`, and kept in the
//! README (a test checks the README holds exactly this text, so it cannot drift).

use crate::engine::{ErrorKind, ErrorOrigin, Rule, Source};
use std::fmt::Write;

fn source_cell(source: Source) -> String {
    match source {
        Source::Documented(r) => format!("documented: {r}"),
        Source::Sample(r) => format!("sample: {r}"),
        Source::Choice(r) => format!("**choice**: {r}"),
        Source::Scenario => {
            "scenario: set by the file or the user, not a Salesforce rule".to_string()
        }
    }
}

/// The two tables in Markdown.
pub fn markdown() -> String {
    let mut out = String::new();
    out.push_str("| Why a field changes | Source |\n|---|---|\n");
    for rule in Rule::ALL {
        let _ = writeln!(out, "| {} | {} |", rule.text(), source_cell(rule.source()));
    }
    out.push_str(
        "\n| Action | Refused when this fails | Code | HTTP | Source of the code |\n|---|---|---|---|---|\n",
    );
    for kind in ErrorKind::ALL {
        let spec = kind.spec();
        let origin = match spec.origin {
            ErrorOrigin::Documented(r) => format!("documented: {r}"),
            ErrorOrigin::Borrowed(r) => format!("**borrowed** from {r}"),
            ErrorOrigin::Choice(r) => format!("**choice**: {r}"),
        };
        let http = spec.http.map_or("-".to_string(), |h| h.to_string());
        let _ = writeln!(
            out,
            "| {} | {} | `{}` | {http} | {origin} |",
            spec.action, spec.requirement, spec.code
        );
    }
    out
}
