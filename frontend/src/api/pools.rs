//! `/account-pools`: the customer pools (公海) the caller is a member of (admins: all, and set
//! them up), the caller's quota in one, claiming and assigning its accounts, and releasing an
//! owned account into its owner's pool (`/accounts/{id}/release`).

use super::records::Versioned;
use super::{ApiError, Call, Reply};
use domain::account::Account;
use domain::pool::{
    AssignInput, ClaimInput, ClaimQuota, ClaimResult, Pool, PoolInput, PoolPatch, ReleaseInput,
};
use uuid::Uuid;

impl Versioned for Pool {
    fn version(&self) -> i32 {
        self.version
    }
}

/// The address of a pool's accounts: a list taking the parameters of `GET /accounts`.
pub fn accounts_path(pool: Uuid) -> String {
    format!("/account-pools/{pool}/accounts")
}

/// Every pool the caller is a member of (an admin: every pool), oldest first (all pages).
pub async fn list_all() -> Result<Vec<Pool>, ApiError> {
    super::all_pages("/account-pools").await
}

/// One pool with its ETag (after a 412, to edit the latest version).
pub async fn get(id: Uuid) -> Result<Reply<Pool>, ApiError> {
    Call::get(&format!("/account-pools/{id}")).send().await
}

pub async fn create(input: &PoolInput) -> Result<Pool, ApiError> {
    Call::post("/account-pools")
        .json(input)
        .send()
        .await
        .map(|r| r.body)
}

/// Changes what `patch` sets (absent fields stay; `max_held: Some(None)` lifts the limit).
pub async fn update(id: Uuid, etag: &str, patch: &PoolPatch) -> Result<Pool, ApiError> {
    Call::patch(&format!("/account-pools/{id}"))
        .if_match(etag)
        .json(patch)
        .send()
        .await
        .map(|r| r.body)
}

/// Removes an empty pool (409 while accounts are in it).
pub async fn delete(id: Uuid) -> Result<(), ApiError> {
    Call::delete(&format!("/account-pools/{id}"))
        .send_empty()
        .await
}

/// The caller's claims today and accounts held, against the pool's limits.
pub async fn quota(id: Uuid) -> Result<ClaimQuota, ApiError> {
    Call::get(&format!("/account-pools/{id}/quota"))
        .send()
        .await
        .map(|r| r.body)
}

/// The caller takes these accounts, all or none (409 with the reason when refused).
pub async fn claim(id: Uuid, account_ids: Vec<Uuid>) -> Result<ClaimResult, ApiError> {
    Call::post(&format!("/account-pools/{id}/claim"))
        .json(&ClaimInput { account_ids })
        .send()
        .await
        .map(|r| r.body)
}

/// A manager gives these accounts to `owner_id`, all or none.
pub async fn assign(
    id: Uuid,
    account_ids: Vec<Uuid>,
    owner_id: Uuid,
) -> Result<ClaimResult, ApiError> {
    Call::post(&format!("/account-pools/{id}/assign"))
        .json(&AssignInput {
            account_ids,
            owner_id,
        })
        .send()
        .await
        .map(|r| r.body)
}

/// Returns an owned account to its owner's pool now.
pub async fn release(account: Uuid, reason: Option<String>) -> Result<Account, ApiError> {
    Call::post(&format!("/accounts/{account}/release"))
        .json(&ReleaseInput { reason })
        .send()
        .await
        .map(|r| r.body)
}
