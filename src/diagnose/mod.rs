//! From a ticket: a customer's real records, as the Salesforce CLI writes them, rebuilt
//! into a world and explained.
//!
//! [`records`] reads `sf data query` output (JSON or CSV, told from the content);
//! [`rebuild`] checks the records and builds the engine's [`World`] from them, with
//! [`values`] turning ids and timestamps into the world's terms (one tick a chosen
//! number of minutes) and [`checkout`] relating what a checkout keeps besides its
//! session (delivery groups, payment authorizations, orders) and telling a guest's cart
//! and an `lwr` store from the records; [`explain`] says per cart what state it is in, what does not
//! add up and what each action would do now, by applying it to a copy of the world;
//! [`queries`] prints the SOQL that fetches the records; [`anonymize`] replaces real
//! ids with readable ones and every free text and path. Its command line, `cartsim diagnose`, is
//! [`crate::cli::diagnose`]: this module reads no file and opens no UI.

pub mod anonymize;
pub mod checkout;
pub mod explain;
pub mod queries;
pub mod rebuild;
pub mod records;
pub mod values;

use crate::engine::{Edition, World};
use crate::scenario::Scenario;
pub use explain::Diagnosis;
pub use rebuild::{Options, Rebuilt};

/// One input: the name shown in messages and its bytes.
#[derive(Debug, Clone)]
pub struct Input {
    /// The file name as given (sanitized when shown).
    pub name: String,
    /// Its content.
    pub bytes: Vec<u8>,
}

/// The checked records of all inputs, with remarks about the files.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The records.
    pub records: rebuild::Records,
    /// Remarks (an incomplete result, an empty file).
    pub notes: Vec<String>,
}

/// Reads and checks every input. Every problem is returned (each names the file, the
/// record and the field), so one run shows them all.
pub fn load(inputs: &[Input]) -> Result<Loaded, Vec<String>> {
    load_each(inputs)
}

/// [`load`] of inputs given or lent: an input given is dropped once its records are
/// read, so that the text of a big export is not held next to its records.
fn load_each<I: std::borrow::Borrow<Input>>(
    inputs: impl IntoIterator<Item = I>,
) -> Result<Loaded, Vec<String>> {
    let mut errors = Vec::new();
    let mut all = Vec::new();
    let mut notes = Vec::new();
    let mut objects = Vec::new();
    for input in inputs {
        let input = input.borrow();
        let name = crate::scenario::sanitize::line(&input.name);
        match records::parse(&name, &input.bytes) {
            Ok(parsed) => {
                for r in &parsed.records {
                    if !objects.contains(&r.object) {
                        objects.push(r.object);
                    }
                }
                notes.extend(parsed.notes);
                all.extend(parsed.records);
            }
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let (records, warnings) = rebuild::check(all, &objects)?;
    notes.extend(warnings);
    Ok(Loaded { records, notes })
}

/// Reads, rebuilds and diagnoses: the whole of `cartsim diagnose FILE...` but printing.
/// `anonymized` replaces every id, free text and file name (see [`anonymize`]); a
/// refusal still names the real files and records, since only the reader sees it.
pub fn diagnose(
    inputs: &[Input],
    options: &Options,
    anonymized: bool,
) -> Result<(Rebuilt, Diagnosis), Vec<String>> {
    let (rebuilt, notes) = rebuild_lent(inputs, options, anonymized)?;
    let diagnosis = explain::diagnose(&rebuilt, notes);
    Ok((rebuilt, diagnosis))
}

/// Reads and rebuilds, as [`diagnose`] does before it diagnoses the carts; returns the
/// rebuilt world and the remarks about the files. Each input is dropped once read (see
/// [`explain::carts`] to diagnose the carts one at a time).
pub fn rebuild_inputs(
    inputs: Vec<Input>,
    options: &Options,
    anonymized: bool,
) -> Result<(Rebuilt, Vec<String>), Vec<String>> {
    if anonymized {
        // A refusal reads the inputs again, with their real names.
        return rebuild_lent(&inputs, options, true);
    }
    let _ = crate::progress::report("reading the exports", 0, 0);
    let loaded = load_each(inputs)?;
    let _ = crate::progress::report("rebuilding the world", 0, 0);
    let rebuilt = rebuild::rebuild(loaded.records, options)?;
    Ok((rebuilt, loaded.notes))
}

fn rebuild_lent(
    inputs: &[Input],
    options: &Options,
    anonymized: bool,
) -> Result<(Rebuilt, Vec<String>), Vec<String>> {
    if anonymized {
        // The paths go too: they often hold the customer's name.
        let renamed: Vec<Input> = inputs
            .iter()
            .enumerate()
            .map(|(i, input)| Input {
                name: anonymize::file_name(i + 1),
                bytes: input.bytes.clone(),
            })
            .collect();
        let shared = load(&renamed).and_then(|mut loaded| {
            anonymize::anonymize(&mut loaded.records);
            let rebuilt = rebuild::rebuild(loaded.records, options)?;
            Ok((rebuilt, loaded.notes))
        });
        return shared.map_err(|anonymous| {
            rebuild_lent(inputs, options, false)
                .err()
                .unwrap_or(anonymous)
        });
    }
    // A front end watching (`diagnose --open`) shows the phase; its stop is not needed
    // here, as it has stopped waiting already.
    let _ = crate::progress::report("reading the exports", 0, 0);
    let loaded = load(inputs)?;
    let _ = crate::progress::report("rebuilding the world", 0, 0);
    let rebuilt = rebuild::rebuild(loaded.records, options)?;
    Ok((rebuilt, loaded.notes))
}

/// The rebuilt world as a scenario with no steps, to open in the terminal UI and try
/// actions on (and save with `w`).
pub fn scenario(world: World, diagnosis: &Diagnosis, edition: Edition) -> Scenario {
    let carts: Vec<&str> = diagnosis.carts.iter().map(|c| c.id.as_str()).collect();
    // A scenario file stages none of these yet: say so before `w` leaves them out.
    let unsaved = !world.delivery_groups().is_empty()
        || !world.payment_authorizations().is_empty()
        || world
            .sessions()
            .iter()
            .any(|s| s.rest.order_reference.is_some())
        || world.carts().iter().any(|c| {
            c.guest_email.is_some()
                || c.total_charge != crate::engine::Money::ZERO
                || c.total_tax != crate::engine::Money::ZERO
        });
    let summary = diagnosis
        .carts
        .iter()
        .map(|c| format!("{}: {}", c.id, c.verdict))
        .collect::<Vec<_>>()
        .join("\n");
    Scenario {
        edition,
        file: "diagnose".to_string(),
        title: crate::scenario::sanitize::line(&format!(
            "From a ticket: {}",
            if carts.is_empty() {
                "no cart".to_string()
            } else {
                carts.join(", ")
            }
        )),
        summary: Some(crate::scenario::sanitize::paragraph(&format!(
            "Rebuilt from the customer's records as of {} (1 tick = {} min). Try each action on the cart; w saves it as a scenario file{}.\n{summary}",
            diagnosis.now,
            diagnosis.tick_minutes,
            if unsaved {
                " (a scenario file does not hold CartDeliveryGroup, PaymentAuthorization, OrderReferenceNumber or the cart's charge, tax and guest e-mail yet, so a saved file leaves them out)"
            } else {
                ""
            }
        ))),
        tags: vec!["ticket".to_string()],
        world,
        steps: Vec::new(),
    }
}
