//! The rules table: every rule behind a change and every refusal, with its source.
//! Generated from the engine's catalogues, printed by `cartsim rules`, and kept in the
//! README (a test checks the README holds exactly this text, so it cannot drift).

use crate::engine::settings::{SETTINGS, is_placeholder};
use crate::engine::{Edition, ErrorKind, Rule, StoreSettings};
use std::fmt::Write;

/// The four tables in Markdown: the store settings and the source behind each
/// reading, why each field changes, each refusal, and every simulator-only value with
/// where its data really lives.
pub fn markdown() -> String {
    let mut out = String::new();
    out.push_str(
        "| Store setting | Value | What it does | Default in format 1 / 2 | Source |\n|---|---|---|---|---|\n",
    );
    let one = StoreSettings::defaults(Edition::One).values();
    let two = StoreSettings::defaults(Edition::Two).values();
    for setting in SETTINGS {
        let default_in = |values: &[(&str, String)], value: &str| {
            values.iter().any(|(k, v)| {
                *k == setting.key
                    && (v == value || (is_placeholder(value) && v != "null" && v != "0"))
            })
        };
        for r in setting.readings {
            let defaults = match (default_in(&one, r.value), default_in(&two, r.value)) {
                (true, true) => "1, 2",
                (true, false) => "1",
                (false, true) => "2",
                (false, false) => "-",
            };
            let _ = writeln!(
                out,
                "| `{}` | `{}` | {} | {defaults} | {} |",
                setting.key,
                r.value,
                r.meaning,
                r.source.table_cell()
            );
        }
    }
    out.push('\n');
    out.push_str("| Why a field changes | Source |\n|---|---|\n");
    for rule in Rule::ALL {
        let _ = writeln!(out, "| {} | {} |", rule.text(), rule.source().table_cell());
    }
    out.push_str(
        "\n| Action | Refused when this fails | Code | HTTP | Source of the code | Only in the reading | What the buyer sees |\n|---|---|---|---|---|---|---|\n",
    );
    for kind in ErrorKind::ALL {
        let spec = kind.spec();
        let origin = spec.origin.table_cell();
        let http = spec.http.map_or("-".to_string(), |h| h.to_string());
        let reading = spec.reading.map_or("-".to_string(), |r| format!("`{r}`"));
        let buyer = kind.buyer_message().map_or("-".to_string(), |m| {
            format!("\"{}\" ({})", m.text, m.source)
        });
        let _ = writeln!(
            out,
            "| {} | {} | `{}` | {http} | {origin} | {reading} | {buyer} |",
            spec.action, spec.requirement, spec.code
        );
    }
    out.push_str(
        "\n| Simulator-only value | On | What it is | Where the data lives in an org |\n|---|---|---|---|\n",
    );
    for s in crate::engine::SIMULATOR_ONLY {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} |",
            s.name, s.object, s.meaning, s.in_an_org
        );
    }
    out
}
