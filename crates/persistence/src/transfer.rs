//! Transfer: one user's records to another owner, every kind in one statement each, in the
//! caller's transaction, audited as one event on the user who gave them up.

use crate::scope::Scope;
use crate::{users, StoreError};
use chrono::Utc;
use diesel_async::AsyncPgConnection;
use domain::audit::FieldChange;
use domain::notification::NotificationKind;
use domain::transfer::{TransferCounts, TransferKind, TransferResult};
use uuid::Uuid;

/// Moves the records of `kinds` owned by `from` to `to` (live and in the recycle bin: the archive
/// survives staff turnover). Each moved record's version goes up, so open edit forms see 412.
/// Run inside a transaction (or [`crate::db::commit_unless_dry_run`] for a preview).
pub async fn transfer(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    from: Uuid,
    to: Uuid,
    kinds: &[TransferKind],
) -> Result<TransferResult, StoreError> {
    users::get(conn, scope.org_id, from).await?;
    if !users::is_active_member(conn, scope.org_id, to).await? {
        return Err(StoreError::invalid(
            "to_user_id",
            "owner",
            "not an active user of your organization",
        ));
    }
    if from == to {
        return Err(StoreError::invalid(
            "to_user_id",
            "owner",
            "the records already belong to this user",
        ));
    }
    let now = Utc::now();
    let mut counts = TransferCounts::default();
    let mut changes = vec![FieldChange {
        field: "owner_id".into(),
        old: serde_json::json!(from),
        new: serde_json::json!(to),
    }];
    for kind in TransferKind::all()
        .into_iter()
        .filter(|k| kinds.contains(k))
    {
        let table = kind.as_str();
        // Each moved record's own history shows its owner change, written with the move.
        let r = crate::records::Reassign {
            table,
            entity: kind.entity(),
            column: "owner_id",
            from,
            to,
            action: "transfer",
            at: now,
        };
        let moved = crate::records::reassign(conn, scope, &r).await?;
        counts.set(kind, moved);
        changes.push(FieldChange {
            field: table.into(),
            old: serde_json::Value::Null,
            new: serde_json::json!(moved),
        });
    }
    crate::audit::record(conn, scope, "user", from, "transfer", now, &changes).await?;
    let moved = counts.total();
    if moved > 0 && to != scope.user_id {
        let news = crate::notifications::New {
            org_id: scope.org_id,
            user_id: to,
            kind: NotificationKind::RecordsTransferred,
            entity: None,
            entity_id: None,
            params: serde_json::json!({"count": moved, "from_user_id": from}),
            dedupe_key: format!("records_transferred:{}", Uuid::now_v7()),
            by: Some(scope.user_id),
        };
        crate::notifications::notify(conn, &news, now).await?;
    }
    Ok(TransferResult {
        from_user_id: from,
        to_user_id: to,
        dry_run: false,
        counts,
    })
}
