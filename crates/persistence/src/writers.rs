//! The generic write path by entity name: for each registered entity that the record handlers
//! write, a PATCH of one of its records from JSON, exactly as `PATCH /{plural}/{id}` does it
//! (validation, duplicates, versions, audit, outbox). What writes records without knowing their
//! type at compile time (workflow rules) goes through here.

use crate::records::Writable;
use crate::scope::Scope;
use crate::StoreError;
use diesel_async::AsyncPgConnection;
use domain::account::Account;
use domain::contact::Contact;
use domain::lead::Lead;
use domain::opportunity::Opportunity;
use domain::registry::{self, Entity};
use serde_json::Value;
use std::future::Future;
use std::pin::Pin;
use uuid::Uuid;

type Written<'a> = Pin<Box<dyn Future<Output = Result<Value, StoreError>> + Send + 'a>>;

/// Applies a JSON patch to a record (whatever its version), writing despite possible duplicates;
/// returns the record as the API shows it.
pub type PatchFn = for<'a> fn(&'a mut AsyncPgConnection, &'a Scope, Uuid, Value) -> Written<'a>;

pub struct Writer {
    pub entity: &'static Entity,
    pub patch: PatchFn,
}

fn patch<'a, R: Writable + 'static>(
    conn: &'a mut AsyncPgConnection,
    scope: &'a Scope,
    id: Uuid,
    body: Value,
) -> Written<'a> {
    Box::pin(async move {
        let patch: R::Patch = serde_json::from_value(body)
            .map_err(|e| StoreError::invalid("patch", "invalid", &e.to_string()))?;
        let record = R::update(conn, scope, id, None, patch, true).await?;
        serde_json::to_value(&record).map_err(|e| StoreError::Conflict(e.to_string()))
    })
}

pub static WRITERS: &[Writer] = &[
    Writer {
        entity: &registry::ACCOUNT,
        patch: patch::<Account>,
    },
    Writer {
        entity: &registry::CONTACT,
        patch: patch::<Contact>,
    },
    Writer {
        entity: &registry::LEAD,
        patch: patch::<Lead>,
    },
    Writer {
        entity: &registry::OPPORTUNITY,
        patch: patch::<Opportunity>,
    },
];

/// The writer of the entity named `name` (`account`), if its records are written generically.
pub fn of(name: &str) -> Option<&'static Writer> {
    WRITERS.iter().find(|w| w.entity.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_writer_is_one_stored_entity() {
        for (i, w) in WRITERS.iter().enumerate() {
            assert!(crate::stores::of(w.entity).is_some(), "{}", w.entity.name);
            assert!(WRITERS[..i].iter().all(|o| o.entity.name != w.entity.name));
            assert!(w.entity.owned, "rules assign owners: {}", w.entity.name);
        }
    }
}
