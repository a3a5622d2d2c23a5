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

/// A record as the API shows it.
pub type GetFn = for<'a> fn(&'a mut AsyncPgConnection, &'a Scope, Uuid) -> Written<'a>;

pub struct Writer {
    pub entity: &'static Entity,
    pub patch: PatchFn,
    pub get: GetFn,
}

fn get<'a, R: Writable + 'static>(
    conn: &'a mut AsyncPgConnection,
    scope: &'a Scope,
    id: Uuid,
) -> Written<'a> {
    Box::pin(async move {
        let record: R = crate::records::get(conn, scope, id).await?;
        serde_json::to_value(&record).map_err(|e| StoreError::Conflict(e.to_string()))
    })
}

/// Makes a change given as JSON the way the API would: a deal's `stage_id` (with `reason`,
/// `lost_reason`) is a stage move (`POST /opportunities/{id}/move`), the rest a PATCH.
pub async fn change(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    entity: &str,
    id: Uuid,
    mut body: serde_json::Map<String, Value>,
) -> Result<(), StoreError> {
    let writer = of(entity).ok_or(StoreError::NotFound)?;
    if entity == registry::OPPORTUNITY.name {
        if let Some(stage) = body.remove("stage_id") {
            let mut req = serde_json::Map::new();
            req.insert("stage_id".into(), stage);
            for k in ["reason", "lost_reason"] {
                if let Some(v) = body.remove(k) {
                    req.insert(k.into(), v);
                }
            }
            let req: domain::opportunity::MoveRequest = serde_json::from_value(Value::Object(req))
                .map_err(|e| StoreError::invalid("proposed", "invalid", &e.to_string()))?;
            crate::opportunities::move_stage(conn, scope, id, None, &req).await?;
        }
    }
    if !body.is_empty() {
        (writer.patch)(conn, scope, id, Value::Object(body)).await?;
    }
    Ok(())
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
        get: get::<Account>,
    },
    Writer {
        entity: &registry::CONTACT,
        patch: patch::<Contact>,
        get: get::<Contact>,
    },
    Writer {
        entity: &registry::LEAD,
        patch: patch::<Lead>,
        get: get::<Lead>,
    },
    Writer {
        entity: &registry::OPPORTUNITY,
        patch: patch::<Opportunity>,
        get: get::<Opportunity>,
    },
];

/// The writer of the entity named `name` (`account`), if its records are written generically.
pub fn of(name: &str) -> Option<&'static Writer> {
    WRITERS.iter().find(|w| w.entity.name == name)
}

/// The list spec of an entity written generically (what rules and approvals may name); a 422 on
/// `entity` naming those there are, for any other.
pub fn spec(name: &str) -> Result<&'static crate::list::Spec, StoreError> {
    of(name)
        .and_then(|w| crate::stores::of(w.entity))
        .map(|s| s.spec)
        .ok_or_else(|| {
            let known: Vec<&str> = WRITERS.iter().map(|w| w.entity.name).collect();
            StoreError::invalid(
                "entity",
                "entity",
                &format!("rules and approvals are for {}", known.join(", ")),
            )
        })
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
