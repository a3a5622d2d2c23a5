//! Stored responses of `POST`s sent with an `Idempotency-Key`, replayed for 24 hours.

use crate::schema::idempotency_keys;
use crate::scope::Scope;
use crate::StoreError;
use chrono::{Duration, Utc};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

pub struct Stored {
    pub request_hash: Vec<u8>,
    pub status: u16,
    pub location: Option<String>,
    pub body: serde_json::Value,
}

/// (request hash, status, location, body, created).
type StoredRow = (
    Vec<u8>,
    i32,
    Option<String>,
    serde_json::Value,
    chrono::DateTime<Utc>,
);

pub async fn lookup(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    key: &str,
) -> Result<Option<Stored>, StoreError> {
    let this = idempotency_keys::table
        .filter(idempotency_keys::org_id.eq(scope.org_id))
        .filter(idempotency_keys::user_id.eq(scope.user_id))
        .filter(idempotency_keys::key.eq(key));
    let row: Option<StoredRow> = this
        .select((
            idempotency_keys::request_hash,
            idempotency_keys::status,
            idempotency_keys::location,
            idempotency_keys::body,
            idempotency_keys::created_at,
        ))
        .first(conn)
        .await
        .optional()?;
    match row {
        Some((_, _, _, _, created)) if Utc::now() - created > Duration::hours(24) => {
            diesel::delete(this).execute(conn).await?;
            Ok(None)
        }
        Some((request_hash, status, location, body, _)) => Ok(Some(Stored {
            request_hash,
            status: status as u16,
            location,
            body,
        })),
        None => Ok(None),
    }
}

/// Serializes requests with the same key until the transaction ends, so a retry that arrives
/// while the first request is still running waits for its result instead of racing it.
pub async fn lock(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    key: &str,
) -> Result<(), StoreError> {
    let value = format!("{}:{key}", scope.user_id);
    crate::locks::values(
        conn,
        scope.org_id,
        [(crate::locks::Guard::Idempotency, value.as_str())],
    )
    .await
}

/// Saves a response inside the transaction that produced it. A concurrent request with the same
/// key that committed first makes this a `Conflict`, and the transaction rolls back.
pub async fn save_or_conflict(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    key: &str,
    stored: &Stored,
) -> Result<(), StoreError> {
    diesel::insert_into(idempotency_keys::table)
        .values((
            idempotency_keys::org_id.eq(scope.org_id),
            idempotency_keys::user_id.eq(scope.user_id),
            idempotency_keys::key.eq(key),
            idempotency_keys::request_hash.eq(&stored.request_hash),
            idempotency_keys::status.eq(stored.status as i32),
            idempotency_keys::location.eq(&stored.location),
            idempotency_keys::body.eq(&stored.body),
        ))
        .execute(conn)
        .await
        .map_err(|e| match crate::error::unique_violation(&e) {
            Some(_) => StoreError::Conflict(
                "a request with this Idempotency-Key is already being processed".into(),
            ),
            None => e.into(),
        })?;
    Ok(())
}
