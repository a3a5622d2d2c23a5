//! `Idempotency-Key` on creates: the first response is stored with the created record, in the same
//! transaction, and replayed for retries of the same request; another body under a used key is a 422.

use crate::error::ApiError;
use crate::extract::{etag, IdempotencyKey};
use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use persistence::idempotency::{self as store, Stored};
use persistence::Scope;
use serde::Serialize;
use std::future::Future;

/// A created record, ready to answer with (and to store for replays).
pub struct Created {
    pub location: String,
    pub body: serde_json::Value,
    pub version: Option<i32>,
}

impl Created {
    pub fn new(location: String, body: &impl Serialize, version: Option<i32>) -> Self {
        Created {
            location,
            body: serde_json::to_value(body).unwrap_or_default(),
            version,
        }
    }

    fn response(&self, replayed: bool) -> HttpResponse {
        let mut res = HttpResponse::Created();
        res.insert_header(("Location", self.location.clone()));
        if let Some(v) = self.version {
            res.insert_header(("ETag", etag(v)));
        }
        if replayed {
            res.insert_header(("Idempotent-Replayed", "true"));
        }
        res.json(&self.body)
    }
}

fn from_stored(s: Stored) -> Created {
    let version = s
        .body
        .get("version")
        .and_then(|v| v.as_i64())
        .map(|v| v as i32);
    Created {
        location: s.location.unwrap_or_default(),
        body: s.body,
        version,
    }
}

/// What [`create_once`] runs: an async closure over the transaction's connection whose future is
/// `Send` (as transactions require; `AsyncFnOnce` alone cannot say so on stable Rust).
pub trait CreateFn<'r>:
    AsyncFnOnce(&'r mut AsyncPgConnection) -> Result<Created, ApiError>
    + FnOnce(&'r mut AsyncPgConnection) -> <Self as CreateFn<'r>>::Fut
{
    type Fut: Future<Output = Result<Created, ApiError>> + Send;
}

impl<'r, F, Fut> CreateFn<'r> for F
where
    F: AsyncFnOnce(&'r mut AsyncPgConnection) -> Result<Created, ApiError>
        + FnOnce(&'r mut AsyncPgConnection) -> Fut,
    Fut: Future<Output = Result<Created, ApiError>> + Send,
{
    type Fut = Fut;
}

/// Creates once per `Idempotency-Key`: replays the stored response of an earlier request with the
/// key, or runs `create` and stores its response in the same transaction. Requests with one key
/// run one at a time, so a burst of retries all answer with the first one's result.
pub async fn create_once<F>(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    key: &IdempotencyKey,
    digest: &[u8],
    create: F,
) -> Result<HttpResponse, ApiError>
where
    for<'r> F: CreateFn<'r> + Send,
{
    if let Some(earlier) = stored(conn, scope, key, digest).await? {
        return Ok(earlier.response(true));
    }
    let (created, replayed) = conn
        .transaction::<_, ApiError, _>(async |c| {
            if let Some(k) = &key.0 {
                store::lock(c, scope, k).await?;
                // A request with this key may have committed while this one waited.
                if let Some(earlier) = stored(c, scope, key, digest).await? {
                    return Ok((earlier, true));
                }
            }
            let created = create(c).await?;
            save(c, scope, key, digest, &created).await?;
            Ok((created, false))
        })
        .await?;
    Ok(created.response(replayed))
}

/// The stored response of an earlier request with this key, if any.
async fn stored(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    key: &IdempotencyKey,
    digest: &[u8],
) -> Result<Option<Created>, ApiError> {
    let Some(key) = &key.0 else { return Ok(None) };
    match store::lookup(conn, scope, key).await? {
        Some(s) if s.request_hash != digest => Err(ApiError::Unprocessable(
            "this Idempotency-Key was used for a different request body".into(),
        )),
        Some(s) if s.status == StatusCode::CREATED.as_u16() => Ok(Some(from_stored(s))),
        Some(_) | None => Ok(None),
    }
}

/// Inside the create's transaction: remember the response under the key.
async fn save(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    key: &IdempotencyKey,
    digest: &[u8],
    created: &Created,
) -> Result<(), ApiError> {
    let Some(key) = &key.0 else { return Ok(()) };
    let stored = Stored {
        request_hash: digest.to_vec(),
        status: StatusCode::CREATED.as_u16(),
        location: Some(created.location.clone()),
        body: created.body.clone(),
    };
    store::save_or_conflict(conn, scope, key, &stored)
        .await
        .map_err(|e| match e {
            persistence::StoreError::Conflict(_) => ApiError::IdempotencyInProgress,
            e => e.into(),
        })
}
