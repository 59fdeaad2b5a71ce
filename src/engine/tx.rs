//! The recorder every mutation goes through, so that each change is logged with its
//! old value, new value and rule.

use super::change::{Change, FieldValue, RecordKind};
use super::model::Permission;
use super::rules::Rule;
use super::world::World;

/// A world being changed, and the log of what changed.
pub(crate) struct Tx<'w> {
    pub world: &'w mut World,
    pub changes: Vec<Change>,
}

impl<'w> Tx<'w> {
    pub fn new(world: &'w mut World) -> Tx<'w> {
        Tx {
            world,
            changes: Vec::new(),
        }
    }

    /// Applies `edit` and logs every listed field of record `id` whose value changed.
    pub fn edit(
        &mut self,
        id: &str,
        fields: &[&'static str],
        rule: Rule,
        edit: impl FnOnce(&mut World),
    ) {
        let before: Vec<Option<(RecordKind, FieldValue)>> =
            fields.iter().map(|f| self.read(id, f)).collect();
        edit(self.world);
        for (field, old) in fields.iter().zip(before) {
            let (Some((kind, old)), Some((_, new))) = (old, self.read(id, field)) else {
                continue;
            };
            if old != new {
                self.changes.push(Change {
                    tick: self.world.tick,
                    kind,
                    record: id.to_string(),
                    field: Some(field),
                    old,
                    new,
                    rule,
                });
            }
        }
    }

    /// Logs that a record was created.
    pub fn created(&mut self, kind: RecordKind, id: &str, description: String, rule: Rule) {
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

    /// Reads a loggable field of any record kind, world-edit fields included.
    fn read(&self, id: &str, field: &str) -> Option<(RecordKind, FieldValue)> {
        if let Some(kind) = self.world.kind_of(id) {
            return self.world.field(id, field).ok().map(|v| (kind, v));
        }
        if let Some(buyer) = self.world.buyer(id) {
            let value = match field {
                "permissions" => {
                    let mut names: Vec<&str> = Permission::ALL
                        .iter()
                        .filter(|p| buyer.has(**p))
                        .map(|p| p.as_str())
                        .collect();
                    if names.is_empty() {
                        names.push("(none)");
                    }
                    FieldValue::Text(names.join(", "))
                }
                "effective_account" => FieldValue::Text(buyer.effective_account.clone()),
                _ => return None,
            };
            return Some((RecordKind::Buyer, value));
        }
        if let Some(account) = self.world.account(id)
            && field == "stores"
        {
            let stores = if account.stores.is_empty() {
                "(none)".to_string()
            } else {
                account.stores.join(", ")
            };
            return Some((RecordKind::Account, FieldValue::Text(stores)));
        }
        None
    }
}
