//! The recorder every mutation goes through, so that each change is logged with its
//! old value, new value and rule.

use super::change::{Change, FieldValue, RecordKind};
use super::fields::*;
use super::index::Record;
use super::model::*;
use super::rules::Rule;
use super::world::{
    World, delivery_group_field, operation_field, payment_field, session_field, validation_field,
};

/// A typed field: it names the record kind it belongs to, how to find that record and
/// how to read the field, so `Tx::edit` can only log fields the record really has.
pub(crate) trait FieldOf: Copy {
    /// The record the field belongs to.
    type Record: Record;
    /// Its kind, for the log.
    const KIND: RecordKind;
    /// The name as Salesforce spells it.
    fn name(self) -> &'static str;
    /// The field's value, or `None` when the record does not exist.
    fn read(self, world: &World, id: &str) -> Option<FieldValue>;
}

macro_rules! field_of {
    ($field:ty, $record:ty, $kind:expr, |$w:ident, $id:ident, $f:ident| $read:expr) => {
        impl FieldOf for $field {
            type Record = $record;
            const KIND: RecordKind = $kind;
            fn name(self) -> &'static str {
                self.as_str()
            }
            fn read(self, $w: &World, $id: &str) -> Option<FieldValue> {
                let $f = self;
                $read
            }
        }
    };
}

field_of!(CartField, WebCart, RecordKind::WebCart, |w, id, f| w
    .cart(id)
    .map(|c| w.cart_field(c, f)));
field_of!(
    SessionField,
    CartCheckoutSession,
    RecordKind::CartCheckoutSession,
    |w, id, f| w.session(id).map(|s| session_field(s, f))
);
field_of!(
    OperationField,
    BackgroundOperation,
    RecordKind::BackgroundOperation,
    |w, id, f| w.operation(id).map(|o| operation_field(w, o, f))
);
field_of!(
    ValidationField,
    CartValidationOutput,
    RecordKind::CartValidationOutput,
    |w, id, f| w.validation_output(id).map(|v| validation_field(v, f))
);
field_of!(
    DeliveryGroupField,
    CartDeliveryGroup,
    RecordKind::CartDeliveryGroup,
    |w, id, f| w.delivery_group(id).map(|g| delivery_group_field(g, f))
);
field_of!(
    PaymentField,
    PaymentAuthorization,
    RecordKind::PaymentAuthorization,
    |w, id, f| w.payment_authorization(id).map(|p| payment_field(p, f))
);
field_of!(BuyerField, Buyer, RecordKind::Buyer, |w, id, f| w
    .buyer(id)
    .map(|b| match f {
        BuyerField::Permissions => {
            let mut names: Vec<&str> = Permission::ALL
                .iter()
                .filter(|p| b.has(**p))
                .map(|p| p.as_str())
                .collect();
            if names.is_empty() {
                names.push("(none)");
            }
            FieldValue::Text(names.join(", "))
        }
        BuyerField::EffectiveAccount => FieldValue::Text(b.effective_account.to_string()),
    }));
field_of!(AccountField, Account, RecordKind::Account, |w, id, f| w
    .account(id)
    .map(|a| match f {
        AccountField::Stores if a.stores.is_empty() => FieldValue::Text("(none)".to_string()),
        AccountField::Stores => FieldValue::Text(a.stores.join(", ")),
    }));

/// A world being changed, and the log of what changed.
pub(crate) struct Tx<'w> {
    pub world: &'w mut World,
    pub changes: Vec<Change>,
    /// Log nothing: the caller wants the world and the result only ([`World::apply_quiet`]).
    quiet: bool,
}

thread_local! {
    /// Set while [`World::apply_quiet`] runs on this thread.
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// Set while [`World::apply_quiet_undoable`] runs on this thread: no request line
    /// and no response body either.
    static BARE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether the action under way on this thread leaves out the REST call's request line
/// and response body ([`World::apply_quiet_undoable`]).
pub(crate) fn bare() -> bool {
    BARE.get()
}

impl World {
    /// [`World::apply`] without the log of changes: the same world afterwards and the
    /// same result, HTTP status and body, but `changes` is empty. A search that applies
    /// millions of actions and reads only the worlds (`cartsim explore`) is spared
    /// reading every edited field twice and describing it.
    pub fn apply_quiet(&mut self, action: &super::Action) -> super::Outcome {
        let was = QUIET.replace(true);
        let outcome = self.apply(action);
        QUIET.set(was);
        outcome
    }

    /// [`World::apply_undoable`] without the log of changes, as [`World::apply_quiet`],
    /// and without a REST call's request line and response body (`request` and `body`
    /// are `None`; the result and HTTP status are the same): a search tries an action
    /// on a world, reads the result and the world, and undoes it, and copies the world
    /// only when it keeps it.
    pub fn apply_quiet_undoable(
        &mut self,
        action: &super::Action,
    ) -> (super::Outcome, super::undo::Undo) {
        let was = (QUIET.replace(true), BARE.replace(true));
        let out = self.apply_undoable(action);
        QUIET.set(was.0);
        BARE.set(was.1);
        out
    }
}

impl<'w> Tx<'w> {
    pub fn new(world: &'w mut World) -> Tx<'w> {
        Tx {
            world,
            changes: Vec::new(),
            quiet: QUIET.get(),
        }
    }

    /// Applies `edit` to record `id` (if it exists) and logs every listed field whose
    /// value changed.
    pub fn edit<F: FieldOf>(
        &mut self,
        id: &str,
        fields: &[F],
        rule: Rule,
        edit: impl FnOnce(&mut F::Record),
    ) {
        if self.quiet {
            self.world.edit(id, edit);
            return;
        }
        let before: Vec<Option<FieldValue>> =
            fields.iter().map(|f| f.read(self.world, id)).collect();
        if self.world.edit(id, edit).is_none() {
            return;
        }
        for (field, old) in fields.iter().zip(before) {
            let (Some(old), Some(new)) = (old, field.read(self.world, id)) else {
                continue;
            };
            if old != new {
                self.changes.push(Change {
                    tick: self.world.tick,
                    kind: F::KIND,
                    record: id.to_string(),
                    field: Some(field.name()),
                    old,
                    new,
                    rule,
                });
            }
        }
    }

    /// Logs that a record was created.
    pub fn created(&mut self, kind: RecordKind, id: &str, description: String, rule: Rule) {
        if self.quiet {
            return;
        }
        self.changes.push(Change {
            tick: self.world.tick,
            kind,
            record: id.to_string(),
            field: None,
            old: FieldValue::Null,
            new: FieldValue::Text(description),
            rule,
        });
    }

    /// Logs that a record was removed.
    pub fn removed(&mut self, kind: RecordKind, id: &str, description: String, rule: Rule) {
        if self.quiet {
            return;
        }
        self.changes.push(Change {
            tick: self.world.tick,
            kind,
            record: id.to_string(),
            field: None,
            old: FieldValue::Text(description),
            new: FieldValue::Null,
            rule,
        });
    }

    /// Logs a fact about a record that changed no field (for example Checkout Session
    /// returning the session that already exists), so the reading behind it is visible.
    pub fn noted(&mut self, kind: RecordKind, id: &str, text: String, rule: Rule) {
        if self.quiet {
            return;
        }
        self.changes.push(Change {
            tick: self.world.tick,
            kind,
            record: id.to_string(),
            field: None,
            old: FieldValue::Text(text.clone()),
            new: FieldValue::Text(text),
            rule,
        });
    }
}
