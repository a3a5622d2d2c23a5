//! The life cycle every record type shares, over its collection path: read (live or in the
//! recycle bin), create (with `force` past duplicate checks), partial update and delete with
//! `If-Match`, restore, and the audit history. `accounts`, `contacts` and `opportunities` are
//! each one [`Resource`] constant.

use super::{ApiError, Call, Reply};
use domain::account::Account;
use domain::audit::HistoryEntry;
use domain::contact::Contact;
use domain::list::Page;
use domain::opportunity::Opportunity;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::marker::PhantomData;
use uuid::Uuid;

/// A record with an optimistic-concurrency version (sent back as `If-Match`).
pub trait Versioned {
    fn version(&self) -> i32;
}

impl Versioned for Account {
    fn version(&self) -> i32 {
        self.version
    }
}

impl Versioned for Contact {
    fn version(&self) -> i32 {
        self.version
    }
}

impl Versioned for domain::lead::Lead {
    fn version(&self) -> i32 {
        self.version
    }
}

impl Versioned for domain::activity::Activity {
    fn version(&self) -> i32 {
        self.version
    }
}

impl Versioned for Opportunity {
    fn version(&self) -> i32 {
        self.version
    }
}

impl Versioned for domain::custom::CustomField {
    fn version(&self) -> i32 {
        self.version
    }
}

/// Any record read as JSON (the generic record form and page): its `version`.
impl Versioned for serde_json::Value {
    fn version(&self) -> i32 {
        self.get("version")
            .and_then(serde_json::Value::as_i64)
            .unwrap_or_default() as i32
    }
}

/// The `If-Match` value for a record's version (the ETag the server sends is this).
pub fn etag_of<T: Versioned>(record: &T) -> String {
    format!("\"{}\"", record.version())
}

/// One record type's collection, e.g. `/contacts`.
pub struct Resource<T> {
    pub path: &'static str,
    _record: PhantomData<fn() -> T>,
}

impl<T> Clone for Resource<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Resource<T> {}

impl<T> Resource<T> {
    /// The same collection with its records read as JSON (the generic record form and page).
    pub const fn json(self) -> Resource<serde_json::Value> {
        Resource {
            path: self.path,
            _record: PhantomData,
        }
    }
}

impl<T: DeserializeOwned + Versioned> Resource<T> {
    pub const fn new(path: &'static str) -> Resource<T> {
        Resource {
            path,
            _record: PhantomData,
        }
    }

    pub fn one(&self, id: Uuid) -> String {
        format!("{}/{id}", self.path)
    }

    pub async fn get(&self, id: Uuid) -> Result<Reply<T>, ApiError> {
        Call::get(&self.one(id)).send().await
    }

    /// `force` creates even when the server reports possible duplicates (409).
    pub async fn create<I: Serialize>(&self, input: &I, force: bool) -> Result<Reply<T>, ApiError> {
        let mut call = Call::post(self.path).idempotency_key().json(input);
        if force {
            call = call.param("force", "true");
        }
        call.send().await
    }

    /// A partial update: `patch` is a JSON object of the changed fields only (`null` clears).
    pub async fn update(
        &self,
        id: Uuid,
        etag: &str,
        patch: &serde_json::Value,
        force: bool,
    ) -> Result<Reply<T>, ApiError> {
        let mut call = Call::patch(&self.one(id)).if_match(etag).json(patch);
        if force {
            call = call.param("force", "true");
        }
        call.send().await
    }

    pub async fn delete(&self, id: Uuid, etag: &str) -> Result<(), ApiError> {
        Call::delete(&self.one(id))
            .if_match(etag)
            .send_empty()
            .await
    }

    pub async fn restore(&self, id: Uuid) -> Result<Reply<T>, ApiError> {
        Call::post(&format!("{}/restore", self.one(id)))
            .send()
            .await
    }

    pub async fn history(&self, id: Uuid) -> Result<Page<HistoryEntry>, ApiError> {
        Call::get(&format!("{}/history", self.one(id)))
            .param("limit", "100")
            .send()
            .await
            .map(|r| r.body)
    }

    /// A record in the recycle bin (a plain GET answers 404 for those), if the caller can see it.
    pub async fn get_deleted(&self, id: Uuid) -> Result<Option<T>, ApiError> {
        Call::get(self.path)
            .param("deleted", "true")
            .param("id", id.to_string())
            .param("limit", "1")
            .send::<Page<T>>()
            .await
            .map(|r| r.body.data.into_iter().next())
    }

    /// A live record with its ETag, or one in the recycle bin (without).
    pub async fn get_any(&self, id: Uuid) -> Result<(T, Option<String>), ApiError> {
        match self.get(id).await {
            Ok(r) => Ok((r.body, r.etag)),
            Err(e) if e.status() == Some(404) => match self.get_deleted(id).await? {
                Some(a) => Ok((a, None)),
                None => Err(e),
            },
            Err(e) => Err(e),
        }
    }

    /// The first page of a list under this collection or another path, e.g. an account's
    /// contacts (`/accounts/{id}/contacts`), with its total.
    pub async fn page(path: &str, pairs: &[(String, String)]) -> Result<Page<T>, ApiError> {
        Call::get(path)
            .params(pairs)
            .param("count", "true")
            .send::<Page<T>>()
            .await
            .map(|r| r.body)
    }
}

/// The changed fields between the stored record's input and the edited one, as a PATCH body
/// (`null` clears a field). `custom` is compared key by key: a PATCH changes only the custom
/// values it names (`null` removes one), so unchanged ones are left out.
pub fn changes<I: Serialize>(before: &I, after: &I) -> serde_json::Value {
    let before = serde_json::to_value(before).unwrap_or_default();
    let after = serde_json::to_value(after).unwrap_or_default();
    serde_json::Value::Object(diff(&before, &after, true))
}

fn diff(
    before: &serde_json::Value,
    after: &serde_json::Value,
    top: bool,
) -> serde_json::Map<String, serde_json::Value> {
    use serde_json::Value;
    let mut patch = serde_json::Map::new();
    let (Some(b), Some(a)) = (before.as_object(), after.as_object()) else {
        return patch;
    };
    for (k, v) in a {
        match (b.get(k), v) {
            (Some(old), new) if old == new => {}
            (Some(old @ Value::Object(_)), Value::Object(_)) if top && k == "custom" => {
                let inner = diff(old, v, false);
                if !inner.is_empty() {
                    patch.insert(k.clone(), Value::Object(inner));
                }
            }
            _ => {
                patch.insert(k.clone(), v.clone());
            }
        }
    }
    if !top {
        for k in b.keys().filter(|k| !a.contains_key(*k)) {
            patch.insert(k.clone(), Value::Null);
        }
    }
    patch
}

#[cfg(test)]
mod tests {
    use super::changes;
    use serde_json::json;

    #[test]
    fn custom_values_are_patched_key_by_key() {
        let before = json!({"name": "甲", "custom": {"budget": "1", "tier": "gold", "note": "x"}});
        let after = json!({"name": "甲", "custom": {"budget": "2", "note": "x", "flag": true}});
        assert_eq!(
            changes(&before, &after),
            json!({"custom": {"budget": "2", "flag": true, "tier": null}})
        );
        assert_eq!(changes(&before, &before), json!({}));
    }

    #[test]
    fn other_fields_are_replaced_whole() {
        let before = json!({"tags": ["a"], "amount": {"amount": "1", "currency": "CNY"}, "x": 1});
        let after =
            json!({"tags": ["a", "b"], "amount": {"amount": "1", "currency": "CNY"}, "x": null});
        assert_eq!(
            changes(&before, &after),
            json!({"tags": ["a", "b"], "x": null})
        );
    }
}
