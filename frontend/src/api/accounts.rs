//! `/accounts`: list, read, create, update, delete, restore, history.

use super::{ApiError, Call, Reply};
use domain::account::{Account, AccountInput};
use domain::audit::HistoryEntry;
use domain::list::Page;
use uuid::Uuid;

pub const PATH: &str = "/accounts";

fn one(id: Uuid) -> String {
    format!("{PATH}/{id}")
}

pub async fn get(id: Uuid) -> Result<Reply<Account>, ApiError> {
    Call::get(&one(id)).send().await
}

/// `force` creates even when the server reports possible duplicates (409).
pub async fn create(input: &AccountInput, force: bool) -> Result<Reply<Account>, ApiError> {
    let mut call = Call::post(PATH).idempotency_key().json(input);
    if force {
        call = call.param("force", "true");
    }
    call.send().await
}

/// A partial update: `patch` is a JSON object of the changed fields only (`null` clears).
pub async fn update(
    id: Uuid,
    etag: &str,
    patch: &serde_json::Value,
    force: bool,
) -> Result<Reply<Account>, ApiError> {
    let mut call = Call::patch(&one(id)).if_match(etag).json(patch);
    if force {
        call = call.param("force", "true");
    }
    call.send().await
}

pub async fn delete(id: Uuid, etag: &str) -> Result<(), ApiError> {
    Call::delete(&one(id)).if_match(etag).send_empty().await
}

pub async fn restore(id: Uuid) -> Result<Reply<Account>, ApiError> {
    Call::post(&format!("{}/restore", one(id))).send().await
}

pub async fn history(id: Uuid) -> Result<Page<HistoryEntry>, ApiError> {
    Call::get(&format!("{}/history", one(id)))
        .param("limit", "100")
        .send()
        .await
        .map(|r| r.body)
}

/// An account in the recycle bin (a plain GET answers 404 for those), if the caller can see it.
pub async fn get_deleted(id: Uuid) -> Result<Option<Account>, ApiError> {
    Call::get(PATH)
        .param("deleted", "true")
        .param("id", id.to_string())
        .param("limit", "1")
        .send::<Page<Account>>()
        .await
        .map(|r| r.body.data.into_iter().next())
}

/// A live account with its ETag, or one in the recycle bin (without).
pub async fn get_any(id: Uuid) -> Result<(Account, Option<String>), ApiError> {
    match get(id).await {
        Ok(r) => Ok((r.body, r.etag)),
        Err(e) if e.status() == Some(404) => match get_deleted(id).await? {
            Some(a) => Ok((a, None)),
            None => Err(e),
        },
        Err(e) => Err(e),
    }
}

/// The `If-Match` value for a version (the ETag the server sends is this).
pub fn etag_of(account: &Account) -> String {
    format!("\"{}\"", account.version)
}
