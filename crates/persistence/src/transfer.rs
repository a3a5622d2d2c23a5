//! Transfer: one user's records to another owner, every kind in one statement each, in the
//! caller's transaction, audited as one event on the user who gave them up.

use crate::scope::Scope;
use crate::sql::{Bind, Sql};
use crate::{users, StoreError};
use chrono::Utc;
use diesel_async::AsyncPgConnection;
use domain::audit::FieldChange;
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
    // Each moved record's own history shows its owner change, written with the move.
    let owner_change = serde_json::to_string(&changes).unwrap_or_default();
    for kind in TransferKind::all()
        .into_iter()
        .filter(|k| kinds.contains(k))
    {
        let table = kind.as_str();
        let mut sql = Sql::new(&format!("WITH moved AS (UPDATE {table} SET owner_id = "));
        sql.bind(Bind::Uuid(to))
            .push(", version = version + 1, updated_at = ")
            .bind(Bind::Timestamp(now))
            .push(", updated_by = ")
            .bind(Bind::Uuid(scope.user_id))
            .push(" WHERE org_id = ")
            .bind(Bind::Uuid(scope.org_id))
            .push(" AND owner_id = ")
            .bind(Bind::Uuid(from))
            .push(
                " RETURNING id), audited AS (INSERT INTO audit_events \
                 (id, org_id, entity, entity_id, action, actor_id, at, changes) \
                 SELECT gen_random_uuid(), ",
            )
            .bind(Bind::Uuid(scope.org_id))
            .push(", ")
            .bind(Bind::Text(kind.entity().to_string()))
            .push(", id, 'transfer', ")
            .bind(Bind::Uuid(scope.user_id))
            .push(", ")
            .bind(Bind::Timestamp(now))
            .push(", ")
            .bind(Bind::Text(owner_change.clone()))
            .push("::jsonb FROM moved) SELECT count(*) AS n FROM moved");
        let moved = sql.count(conn).await?;
        counts.set(kind, moved);
        changes.push(FieldChange {
            field: table.into(),
            old: serde_json::Value::Null,
            new: serde_json::json!(moved),
        });
    }
    crate::audit::record(conn, scope, "user", from, "transfer", now, &changes).await?;
    Ok(TransferResult {
        from_user_id: from,
        to_user_id: to,
        dry_run: false,
        counts,
    })
}
