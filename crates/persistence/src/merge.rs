//! Duplicates and merge. A merge folds records into one kept record in the caller's transaction:
//! related records are re-pointed (each audited), the merged records' history moves to the kept
//! one, their blanks fill the kept one's, and they go to the recycle bin.

use crate::list::{self, Spec};
use crate::records::{self, Record};
use crate::scope::Scope;
use crate::sql::{Bind, Sql};
use crate::{accounts, activities, contacts, stores, StoreError};
use chrono::{DateTime, Utc};
use diesel::sql_types;
use diesel::QueryableByName;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::account::{Account, AccountInput};
use domain::activity::EntityType;
use domain::audit::FieldChange;
use domain::contact::{Contact, ContactInput};
use domain::merge::{DuplicateGroup, DuplicateMember, MergeMoves, MergeRequest, MergeResult};
use domain::problem::FieldError;
use uuid::Uuid;

fn check_request(req: &MergeRequest) -> Result<(), StoreError> {
    let mut errors = Vec::new();
    if req.from.is_empty() || req.from.len() > 10 {
        errors.push(FieldError::new(
            "from",
            "length",
            "1 to 10 records to merge",
        ));
    }
    for (i, id) in req.from.iter().enumerate() {
        if *id == req.into || req.from[..i].contains(id) {
            errors.push(FieldError::new(
                format!("from[{i}]"),
                "unique",
                "each record once, and not the kept one",
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(StoreError::Invalid(errors))
    }
}

/// The kept record and the merged ones, locked; each must be live and visible (else 404).
async fn lock_all<R: Record>(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    req: &MergeRequest,
) -> Result<(R, Vec<R>), StoreError> {
    check_request(req)?;
    // Row locks in id order, whichever record is kept: `A ← B` and `B ← A` at once then wait
    // for each other instead of deadlocking, and the later one finds its source merged (404).
    let mut ids: Vec<Uuid> = req.from.iter().copied().chain([req.into]).collect();
    ids.sort();
    let mut kept = None;
    let mut merged = Vec::new();
    for id in ids {
        let record = records::load::<R>(conn, scope, id, false, true).await?;
        if id == req.into {
            kept = Some(record);
        } else {
            merged.push(record);
        }
    }
    let kept = kept.ok_or(StoreError::NotFound)?;
    // The merged records in the order the request lists them.
    merged.sort_by_key(|r| req.from.iter().position(|id| *id == r.id()));
    Ok((kept, merged))
}

/// Re-points `table.column` from `from` to `into`, one audited update per moved row.
#[allow(clippy::too_many_arguments)]
async fn repoint(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    now: DateTime<Utc>,
    table: &str,
    entity: &str,
    column: &str,
    from: Uuid,
    into: Uuid,
) -> Result<i64, StoreError> {
    let r = records::Reassign {
        table,
        entity,
        column,
        from,
        to: into,
        action: "update",
        at: now,
    };
    records::reassign(conn, scope, &r).await
}

/// Re-points every reference to the merged record `from` of `entity` (the registry's reference
/// fields: a contact's or deal's `account_id`, a lead's links) to the kept `into`.
#[allow(clippy::too_many_arguments)]
async fn repoint_references(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    now: DateTime<Utc>,
    entity: &str,
    from: Uuid,
    into: Uuid,
    moved: &mut MergeMoves,
) -> Result<(), StoreError> {
    for (other, field) in domain::merge::references_to(entity) {
        let Some(store) = stores::of(other) else {
            continue;
        };
        let table = store.spec.table;
        let n = repoint(conn, scope, now, table, other.name, field.name, from, into).await?;
        moved.add(other.plural, n);
    }
    Ok(())
}

/// Moves the merged record's audit events to the kept record, then bins the merged record (its
/// own history keeps that delete).
async fn retire<R: Record>(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    from: Uuid,
    into: Uuid,
) -> Result<i64, StoreError> {
    let mut sql = Sql::new("WITH moved AS (UPDATE audit_events SET entity_id = ");
    sql.bind(Bind::Uuid(into))
        .push(" WHERE org_id = ")
        .bind(Bind::Uuid(scope.org_id))
        .push(" AND entity = ")
        .bind(Bind::Text(R::ENTITY.into()))
        .push(" AND entity_id = ")
        .bind(Bind::Uuid(from))
        .push(" RETURNING 1) SELECT count(*) AS n FROM moved");
    let moved = sql.count(conn).await?;
    records::set_deleted::<R>(conn, scope, from, None, true).await?;
    Ok(moved)
}

/// Records the merge on the kept record and answers what happened.
async fn finish<R: Record>(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    before: &R,
    after: &R,
    merged: Vec<Uuid>,
    moved: MergeMoves,
) -> Result<MergeResult, StoreError> {
    // After the kept record's own update, so the history reads merge → update → …
    let now = Utc::now();
    let filled: Vec<String> = records::changes(Some(before), after)
        .into_iter()
        .map(|c| c.field)
        .collect();
    let event = [FieldChange {
        field: "merged".into(),
        old: serde_json::Value::Null,
        new: serde_json::json!(merged),
    }];
    let record = serde_json::to_value(after).unwrap_or_default();
    crate::audit::record_with_snapshot(
        conn,
        scope,
        R::ENTITY,
        after.id(),
        "merge",
        now,
        &event,
        &record,
    )
    .await?;
    Ok(MergeResult {
        dry_run: false,
        record,
        merged,
        filled,
        moved,
    })
}

/// Merges accounts: their contacts, opportunities, leads and activities move to the kept account.
pub async fn accounts(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    req: &MergeRequest,
) -> Result<MergeResult, StoreError> {
    let (kept, merged) = lock_all::<Account>(conn, scope, req).await?;
    let now = Utc::now();
    let mut moved = MergeMoves::default();
    let mut input = AccountInput::from(&kept);
    for m in &merged {
        let (into, from) = (kept.id, m.id);
        repoint_references(conn, scope, now, Account::ENTITY, from, into, &mut moved).await?;
        moved.activities += repoint(
            conn,
            scope,
            now,
            "activities",
            "activity",
            "entity_id",
            from,
            into,
        )
        .await?;
        activities::account_merged(conn, scope, from, into).await?;
        moved.history += retire::<Account>(conn, scope, from, into).await?;
        input.fill_from(&AccountInput::from(m));
    }
    let after = accounts::save(conn, scope, &kept, input, true).await?;
    let ids = merged.iter().map(|m| m.id).collect();
    finish(conn, scope, &kept, &after, ids, moved).await
}

/// Merges contacts: phones, emails and tags combine; their opportunities, leads and activities move.
pub async fn contacts(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    req: &MergeRequest,
) -> Result<MergeResult, StoreError> {
    let (kept, merged) = lock_all::<Contact>(conn, scope, req).await?;
    let now = Utc::now();
    let mut moved = MergeMoves::default();
    let mut input = ContactInput::from(&kept);
    for m in &merged {
        let (into, from) = (kept.id, m.id);
        repoint_references(conn, scope, now, Contact::ENTITY, from, into, &mut moved).await?;
        moved.activities += repoint(
            conn,
            scope,
            now,
            "activities",
            "activity",
            "entity_id",
            from,
            into,
        )
        .await?;
        moved.history += retire::<Contact>(conn, scope, from, into).await?;
        input.fill_from(&ContactInput::from(m));
    }
    let after = contacts::save(conn, scope, &kept, input, true).await?;
    // The moved activities roll up to the kept contact's account now.
    activities::moved(
        conn,
        scope,
        EntityType::CONTACT,
        kept.id,
        kept.account_id,
        after.account_id,
    )
    .await?;
    activities::refresh_accounts(conn, scope, merged.iter().map(|m| m.account_id)).await?;
    let ids = merged.iter().map(|m| m.id).collect();
    finish(conn, scope, &kept, &after, ids, moved).await
}

#[derive(QueryableByName)]
struct GroupRow {
    #[diesel(sql_type = sql_types::Text)]
    reason: String,
    #[diesel(sql_type = sql_types::Text)]
    key: String,
    #[diesel(sql_type = sql_types::Uuid)]
    id: Uuid,
    #[diesel(sql_type = sql_types::Text)]
    name: String,
    /// `None` for an account in a customer pool.
    #[diesel(sql_type = sql_types::Nullable<sql_types::Uuid>)]
    owner_id: Option<Uuid>,
    #[diesel(sql_type = sql_types::Timestamptz)]
    updated_at: DateTime<Utc>,
}

/// The keys an entity's duplicates share: (reason, SQL yielding the key per row), for the
/// registered entities that join duplicate groups, by collection (`accounts`).
fn keys(entity: &str) -> Option<(&'static Spec, Vec<(&'static str, &'static str)>)> {
    let store = crate::stores::joining(|j| j.duplicates).find(|s| s.entity.plural == entity)?;
    let keys = store.entity.duplicate_keys.iter().copied();
    Some((
        store.spec,
        keys.zip(store.duplicate_sql.iter().copied()).collect(),
    ))
}

/// Groups of live records the caller can see that share a duplicate key, largest first, at most
/// `limit` groups (each listing up to 20 records, most recently updated first).
pub async fn groups(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    entity: &str,
    limit: i64,
) -> Result<Vec<DuplicateGroup>, StoreError> {
    let (spec, keys) = keys(entity).ok_or_else(|| {
        let known: Vec<&str> = domain::registry::joining(|j| j.duplicates)
            .map(|e| e.plural)
            .collect();
        StoreError::invalid("entity", "entity", &known.join(", "))
    })?;
    let mut sql = Sql::new("WITH visible AS (SELECT id, name, owner_id, updated_at");
    for (reason, key) in &keys {
        sql.push(&format!(", {key} AS k_{reason}"));
    }
    sql.push(&format!(" FROM {}", spec.table))
        .append(list::scoped_where(spec, scope, false))
        .push("), keyed AS (");
    for (i, (reason, _)) in keys.iter().enumerate() {
        if i > 0 {
            sql.push(" UNION ALL ");
        }
        sql.push(&format!(
            "SELECT '{reason}' AS reason, k_{reason} AS key, id, name, owner_id, updated_at \
             FROM visible WHERE k_{reason} IS NOT NULL AND k_{reason} <> ''"
        ));
    }
    sql.push(
        "), groups AS (SELECT reason, key, count(DISTINCT id) AS size FROM keyed \
         GROUP BY reason, key HAVING count(DISTINCT id) > 1 ORDER BY size DESC, reason, key LIMIT ",
    )
    .bind(Bind::BigInt(limit))
    .push(
        ") SELECT g.reason, g.key, k.id, k.name, k.owner_id, k.updated_at \
         FROM groups g JOIN keyed k USING (reason, key) ORDER BY g.size DESC, g.reason, g.key, k.updated_at DESC, k.id",
    );
    let rows: Vec<GroupRow> = sql.load(conn).await?;
    let mut out: Vec<DuplicateGroup> = Vec::new();
    for r in rows {
        let member = DuplicateMember {
            id: r.id,
            name: r.name,
            owner_id: r.owner_id,
            updated_at: r.updated_at,
        };
        match out.last_mut() {
            Some(g) if g.reason == r.reason && g.key == r.key => {
                if g.records.len() < 20 {
                    g.records.push(member)
                }
            }
            _ => out.push(DuplicateGroup {
                reason: r.reason,
                key: r.key,
                records: vec![member],
            }),
        }
    }
    Ok(out)
}
