//! Duplicates and merging them (`/duplicates`, `/{accounts|contacts}/merge`), and transferring a
//! user's records to another (`/users/{id}/transfer`). Both preview with `dry_run=true`.

use super::{ApiError, Call};
use domain::merge::{DuplicateGroup, MergeRequest, MergeResult};
use domain::transfer::{TransferKind, TransferRequest, TransferResult};
use serde::Deserialize;
use uuid::Uuid;

#[derive(Deserialize)]
struct Groups {
    data: Vec<DuplicateGroup>,
}

/// Groups of likely duplicates of `entity` (`accounts`, `contacts`, `leads`), largest first.
pub async fn duplicates(entity: &str) -> Result<Vec<DuplicateGroup>, ApiError> {
    Call::get("/duplicates")
        .param("entity", entity)
        .param("limit", "100")
        .send::<Groups>()
        .await
        .map(|r| r.body.data)
}

/// Merges `from` into `into` (`entity`: `accounts` or `contacts`); a preview when `dry_run`.
pub async fn merge(
    entity: &str,
    into: Uuid,
    from: Vec<Uuid>,
    dry_run: bool,
) -> Result<MergeResult, ApiError> {
    Call::post(&format!("/{entity}/merge"))
        .param("dry_run", dry_run.to_string())
        .json(&MergeRequest { into, from })
        .send()
        .await
        .map(|r| r.body)
}

/// Moves `user`'s records of `kinds` to `to`; a preview when `dry_run`.
pub async fn transfer(
    user: Uuid,
    to: Uuid,
    kinds: Vec<TransferKind>,
    dry_run: bool,
) -> Result<TransferResult, ApiError> {
    Call::post(&format!("/users/{user}/transfer"))
        .param("dry_run", dry_run.to_string())
        .json(&TransferRequest {
            to_user_id: to,
            kinds: Some(kinds),
        })
        .send()
        .await
        .map(|r| r.body)
}
