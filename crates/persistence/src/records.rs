//! The life cycle every business record shares (accounts, contacts, leads, opportunities): scoped
//! loads, owner, unique value and version checks, soft delete and restore, and the audit trail. Each entity's
//! module keeps only what is its own: typed inserts and updates, and its duplicate rules.

use crate::audit;
use crate::list::{self, HasId, ListRequest, Spec};
use crate::scope::Scope;
use crate::sql::{Bind, Sql};
use crate::stores::SearchDisplay;
use crate::{locks, rollups, users, StoreError};
use chrono::{DateTime, Utc};
use diesel::pg::Pg;
use diesel::{sql_types, QueryableByName};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::audit::{FieldChange, HistoryEntry};
use domain::list::Page;
use serde::Serialize;
use std::future::Future;
use uuid::Uuid;

/// A business record: owned, versioned, soft-deleted, audited.
pub trait Record: Serialize + HasId + From<Self::Row> + Send + Sync {
    /// Its name in the audit trail, search hits and timelines (`account`).
    const ENTITY: &'static str;
    /// The row as `Spec::select` reads it.
    type Row: QueryableByName<Pg> + Send + 'static;
    fn spec() -> &'static Spec;
    fn version(&self) -> i32;
    /// Its search text as a write builds it (without custom values): what the reindex redoes.
    fn search_text(&self) -> String;
    /// Its custom field values, for entities that take custom fields.
    fn custom(&self) -> Option<&domain::custom::CustomValues> {
        None
    }
    /// Keeps what other records derive from this one in step (e.g. an account's last activity),
    /// in the write's transaction. [`set_deleted`] calls it after a delete or restore; an entity's
    /// own create and update call it themselves.
    fn changed<'a>(
        conn: &'a mut AsyncPgConnection,
        scope: &'a Scope,
        record: &'a Self,
    ) -> impl Future<Output = Result<(), StoreError>> + Send + 'a {
        let _ = (conn, scope, record);
        async { Ok(()) }
    }
}

/// A record that the generic handlers create and change: its input (the body of a create, and
/// what a patch is applied to) and the writes of its module. Run inside a transaction, as every
/// write is.
pub trait Writable: Record {
    type Input: serde::de::DeserializeOwned + Serialize + Send + Sync + 'static;
    type Patch: serde::de::DeserializeOwned + Send + 'static;
    /// Normalizes and checks `input` (references, custom values; `before`: the stored record's
    /// custom values for an update): every bad field at once.
    fn validate<'a>(
        conn: &'a mut AsyncPgConnection,
        scope: &'a Scope,
        before: Option<&'a domain::custom::CustomValues>,
        input: &'a mut Self::Input,
    ) -> impl Future<Output = Result<(), StoreError>> + Send + 'a;
    /// Creates a record from validated input; `force` writes despite possible duplicates.
    fn create<'a>(
        conn: &'a mut AsyncPgConnection,
        scope: &'a Scope,
        input: &'a Self::Input,
        force: bool,
    ) -> impl Future<Output = Result<Self, StoreError>> + Send + 'a;
    /// Applies a patch at `expected` version (`None`: `If-Match: *`), the row locked.
    fn update<'a>(
        conn: &'a mut AsyncPgConnection,
        scope: &'a Scope,
        id: Uuid,
        expected: Option<i32>,
        patch: Self::Patch,
        force: bool,
    ) -> impl Future<Output = Result<Self, StoreError>> + Send + 'a;
}

/// Implements [`Writable`] for `$R` by its module's own `validate`, `create` and `update` (free
/// functions, as other writes call them too: a lead's conversion creates an account). Those take
/// `force` (write despite possible duplicates) unless the entity has no duplicate check:
/// `writable_by_module!(R, I, P, without_force)`.
#[macro_export]
macro_rules! writable_by_module {
    ($R:ty, $I:ty, $P:ty) => {
        $crate::writable_by_module!(@impl $R, $I, $P, force, [force]);
    };
    ($R:ty, $I:ty, $P:ty, without_force) => {
        $crate::writable_by_module!(@impl $R, $I, $P, _force, []);
    };
    (@impl $R:ty, $I:ty, $P:ty, $force:ident, [$($pass:ident)?]) => {
        impl $crate::records::Writable for $R {
            type Input = $I;
            type Patch = $P;

            async fn validate(
                conn: &mut diesel_async::AsyncPgConnection,
                scope: &$crate::scope::Scope,
                before: Option<&domain::custom::CustomValues>,
                input: &mut $I,
            ) -> Result<(), $crate::StoreError> {
                validate(conn, scope, before, input).await
            }

            async fn create(
                conn: &mut diesel_async::AsyncPgConnection,
                scope: &$crate::scope::Scope,
                input: &$I,
                $force: bool,
            ) -> Result<$R, $crate::StoreError> {
                create(conn, scope, input $(, $pass)?).await
            }

            async fn update(
                conn: &mut diesel_async::AsyncPgConnection,
                scope: &$crate::scope::Scope,
                id: uuid::Uuid,
                expected: Option<i32>,
                patch: $P,
                $force: bool,
            ) -> Result<$R, $crate::StoreError> {
                update(conn, scope, id, expected, patch $(, $pass)?).await
            }
        }
    };
}

/// How many substring matches of one entity global search ranks. A word as common as 丰泽
/// matches thousands of companies; ranking them all means reading every one (hundreds of
/// milliseconds at a million rows) to show twenty. Exact matches are always found by index.
const SEARCH_CANDIDATES: i64 = 200;

/// The SQL of [`search`] for `spec` (`None` when the entity is not searchable).
pub fn search_sql(
    spec: &'static Spec,
    scope: &Scope,
    display: &SearchDisplay,
    q: &str,
    limit: i64,
) -> Option<Sql> {
    let (text_col, grams_col) = spec.search?;
    let folded = domain::normalize::search_query(q);
    let title = display.title;
    let ranked = || {
        let mut sql = Sql::new(&format!(
            "(SELECT id, {title} AS title, {} AS subtitle, CASE WHEN lower({title}) = ",
            display.subtitle
        ));
        sql.bind(Bind::Text(folded.clone()));
        if let Some((col, key)) = display.exact_key {
            sql.push(&format!(" OR {col} = ")).bind(Bind::Text(key(q)));
        }
        sql.push(&format!(" THEN 0 WHEN {text_col} LIKE "))
            .bind(Bind::Text(format!("{}%", crate::sql::like_escape(&folded))))
            .push(&format!(" THEN 1 ELSE 2 END AS rank FROM {}", spec.table));
        sql.append(list::scoped_where(spec, scope, false));
        sql
    };
    let mut sql = Sql::new("SELECT id, title, subtitle, rank FROM (");
    sql.append(ranked())
        .push(&format!(" AND ({title} = ANY("))
        .bind(Bind::TextArray(vec![q.trim().to_string(), folded.clone()]))
        .push(")");
    if let Some((col, key)) = display.exact_key {
        sql.push(&format!(" OR {col} = ")).bind(Bind::Text(key(q)));
    }
    sql.push(") LIMIT ")
        .bind(Bind::BigInt(limit))
        .push(") UNION ")
        .append(ranked())
        .append(list::search_condition(scope.org_id, text_col, grams_col, q))
        .push(" LIMIT ")
        .bind(Bind::BigInt(SEARCH_CANDIDATES))
        .push(")) AS hits ORDER BY rank, length(title), title, id LIMIT ")
        .bind(Bind::BigInt(limit));
    Some(sql)
}

/// Global search over one entity: exact matches first (rank 0), then prefixes (1), then
/// substrings (2); within a rank, shorter titles first. Exact matches come from the entity's
/// name (and key) index; the others are ranked among the first [`SEARCH_CANDIDATES`] found.
pub async fn search(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    entity: &str,
    spec: &'static Spec,
    display: &SearchDisplay,
    q: &str,
    limit: i64,
) -> Result<Vec<domain::search::SearchHit>, StoreError> {
    #[derive(QueryableByName)]
    struct Hit {
        #[diesel(sql_type = sql_types::Uuid)]
        id: Uuid,
        #[diesel(sql_type = sql_types::Text)]
        title: String,
        #[diesel(sql_type = sql_types::Nullable<sql_types::Text>)]
        subtitle: Option<String>,
        #[diesel(sql_type = sql_types::Integer)]
        rank: i32,
    }
    let Some(sql) = search_sql(spec, scope, display, q, limit) else {
        return Ok(Vec::new());
    };
    let hits: Vec<Hit> = sql.load(conn).await?;
    Ok(hits
        .into_iter()
        .map(|h| domain::search::SearchHit {
            entity: entity.into(),
            id: h.id,
            title: h.title,
            subtitle: h.subtitle,
            rank: h.rank,
        })
        .collect())
}

/// Fields the audit trail does not list as changes (they change on every write).
const AUDIT_IGNORED: &[&str] = &[
    "id",
    "version",
    "created_at",
    "updated_at",
    "created_by",
    "updated_by",
    "deleted_at",
    // Derived and computed fields: they follow other records and the clock, not edits.
    "last_activity_at",
    "recycle_at",
    "neglected",
    "overdue",
];

/// Field-level changes from `before` (none: a create, listing the fields set) to `after`.
pub fn changes<R: Record>(before: Option<&R>, after: &R) -> Vec<FieldChange> {
    let mut b = before
        .map(|r| serde_json::to_value(r).unwrap_or_default())
        .unwrap_or_else(|| serde_json::json!({}));
    let mut a = serde_json::to_value(after).unwrap_or_default();
    // Custom values are fields of their own in the trail: `custom.budget`, like `name`.
    let take = |v: &mut serde_json::Value| {
        v.as_object_mut()
            .and_then(|o| o.remove("custom"))
            .unwrap_or_else(|| serde_json::json!({}))
    };
    let (custom_b, custom_a) = (take(&mut b), take(&mut a));
    let custom = domain::audit::diff(&custom_b, &custom_a, &[])
        .into_iter()
        .map(|c| FieldChange {
            field: format!("custom.{}", c.field),
            ..c
        });
    domain::audit::diff(&b, &a, AUDIT_IGNORED)
        .into_iter()
        .chain(custom)
        .filter(|c| before.is_some() || !(c.new.is_null() || c.new == serde_json::json!([])))
        .collect()
}

/// A record the caller can see, live (`deleted = false`) or in the recycle bin; `lock` takes a
/// row lock for the rest of the transaction.
pub async fn load<R: Record>(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    deleted: bool,
    lock: bool,
) -> Result<R, StoreError> {
    if lock {
        locks::writing(conn, scope.org_id).await?;
    }
    let spec = R::spec();
    let mut sql = Sql::new(&format!("SELECT {} FROM {}", spec.select, spec.table));
    sql.append(list::scoped_where(spec, scope, deleted))
        .push(" AND id = ")
        .bind(Bind::Uuid(id));
    if lock {
        sql.push(" FOR UPDATE");
    }
    let row: R::Row = sql.get_result(conn).await?;
    Ok(row.into())
}

/// A live record the caller can see.
pub async fn get<R: Record>(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
) -> Result<R, StoreError> {
    load(conn, scope, id, false, false).await
}

/// A page of records the caller can see; `extra` narrows it (e.g. one account's contacts).
pub async fn list<R: Record>(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    req: &ListRequest,
    extra: Option<Sql>,
) -> Result<Page<R>, StoreError> {
    list::fetch::<R::Row, R>(conn, R::spec(), scope, req, extra).await
}

/// The owner must be an active user of the organization whose records the caller sees.
pub async fn check_owner(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    owner: Uuid,
) -> Result<(), StoreError> {
    if owner != scope.user_id
        && !(scope.sees_owner(owner) && users::is_active_member(conn, scope.org_id, owner).await?)
    {
        return Err(StoreError::invalid(
            "owner_id",
            "owner",
            "not an active user you can assign records to",
        ));
    }
    Ok(())
}

/// Records a create in the audit trail.
pub async fn created<R: Record>(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    record: &R,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let id = record.id();
    crate::approvals::guard(conn, scope, R::ENTITY, id, None, &snapshot(record)).await?;
    rollups::changed(conn, scope, R::ENTITY, &accounts_of([record])).await?;
    audit::record_with_snapshot(
        conn,
        scope,
        R::ENTITY,
        id,
        "create",
        at,
        &changes(None, record),
        &snapshot(record),
    )
    .await
}

/// The record as the outbox keeps it: as the API shows it.
fn snapshot<R: Record>(record: &R) -> serde_json::Value {
    serde_json::to_value(record).unwrap_or_default()
}

/// The accounts `records` belong to, for the roll-ups over them (none for other entities).
fn accounts_of<'r, R: Record + 'r>(records: impl IntoIterator<Item = &'r R>) -> Vec<Uuid> {
    if !rollups::is_source(R::ENTITY) {
        return Vec::new();
    }
    records
        .into_iter()
        .filter_map(|r| {
            let json = serde_json::to_value(r).ok()?;
            json.get("account_id")?.as_str()?.parse().ok()
        })
        .collect()
}

/// Records an update in the audit trail (nothing when no field changed).
pub async fn updated<R: Record>(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    before: &R,
    after: &R,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    changed_as(conn, scope, before, after, "update", at).await
}

/// Records a change of a record in the audit trail as `action` (an update, or one with a name
/// of its own such as a claim from a customer pool); nothing when no field changed.
pub async fn changed_as<R: Record>(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    before: &R,
    after: &R,
    action: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let diff = changes(Some(before), after);
    if diff.is_empty() {
        return Ok(());
    }
    let snap = snapshot(after);
    crate::approvals::guard(
        conn,
        scope,
        R::ENTITY,
        after.id(),
        Some(&snapshot(before)),
        &snap,
    )
    .await?;
    rollups::changed(conn, scope, R::ENTITY, &accounts_of([before, after])).await?;
    owner_changed(conn, scope, after, &diff, at).await?;
    audit::record_with_snapshot(conn, scope, R::ENTITY, after.id(), action, at, &diff, &snap).await
}

/// Tells a record's new owner that someone else made them its owner.
async fn owner_changed<R: Record>(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    after: &R,
    diff: &[FieldChange],
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let Some(change) = diff.iter().find(|c| c.field == "owner_id") else {
        return Ok(());
    };
    let Some(owner) = change.new.as_str().and_then(|s| s.parse::<Uuid>().ok()) else {
        return Ok(());
    };
    if owner == scope.user_id {
        return Ok(());
    }
    let json = serde_json::to_value(after).unwrap_or_default();
    let name = ["name", "subject"]
        .iter()
        .find_map(|k| json[k].as_str())
        .unwrap_or_default();
    let news = crate::notifications::New {
        org_id: scope.org_id,
        user_id: owner,
        kind: domain::notification::NotificationKind::RecordsTransferred,
        entity: Some(R::ENTITY),
        entity_id: Some(after.id()),
        params: serde_json::json!({"count": 1, "name": name}),
        dedupe_key: format!(
            "records_transferred:{}:{}:{}",
            R::ENTITY,
            after.id(),
            after.version()
        ),
        by: Some(scope.user_id),
    };
    crate::notifications::notify(conn, &news, at).await?;
    Ok(())
}

/// Moves a live record to the recycle bin (`delete`), or a deleted one back. Run in a transaction.
pub async fn set_deleted<R: Record>(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    expected: Option<i32>,
    delete: bool,
) -> Result<R, StoreError> {
    let before = match load::<R>(conn, scope, id, !delete, true).await {
        Err(StoreError::NotFound)
            if !delete && load::<R>(conn, scope, id, false, false).await.is_ok() =>
        {
            return Err(StoreError::Conflict(format!(
                "the {} is not in the recycle bin",
                R::ENTITY
            )));
        }
        found => found?,
    };
    StoreError::check_version(before.version(), expected)?;
    let now = Utc::now();
    let spec = R::spec();
    let mut sql = Sql::new(&format!("UPDATE {} SET ", spec.table));
    if delete {
        sql.push("deleted_at = ")
            .bind(Bind::Timestamp(now))
            .push(", deleted_by = ")
            .bind(Bind::Uuid(scope.user_id));
    } else {
        sql.push("deleted_at = NULL, deleted_by = NULL");
    }
    sql.push(", version = version + 1, updated_at = ")
        .bind(Bind::Timestamp(now))
        .push(", updated_by = ")
        .bind(Bind::Uuid(scope.user_id))
        .push(" WHERE org_id = ")
        .bind(Bind::Uuid(scope.org_id))
        .push(" AND id = ")
        .bind(Bind::Uuid(id))
        .push(&format!(" RETURNING {}", spec.select));
    let row: R::Row = sql.get_result(conn).await?;
    let record: R = row.into();
    R::changed(conn, scope, &record).await?;
    rollups::changed(conn, scope, R::ENTITY, &accounts_of([&record])).await?;
    let action = if delete { "delete" } else { "restore" };
    audit::record_with_snapshot(
        conn,
        scope,
        R::ENTITY,
        id,
        action,
        now,
        &[],
        &snapshot(&record),
    )
    .await?;
    Ok(record)
}

/// A set-based change of one reference (`owner_id`, `account_id`) on every row of `table` that
/// holds `from`: a transfer or a merge moving records wholesale.
pub struct Reassign<'a> {
    pub table: &'a str,
    /// The rows' entity in the audit trail (`contact`).
    pub entity: &'a str,
    pub column: &'a str,
    pub from: Uuid,
    pub to: Uuid,
    /// The audit action (`transfer`, `update`).
    pub action: &'a str,
    pub at: DateTime<Utc>,
}

/// Applies `r` in one statement, each moved row getting a new version and its own audited change
/// of `column` (so its history, and the outbox, tell of it); returns how many rows moved.
pub async fn reassign(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    r: &Reassign<'_>,
) -> Result<i64, StoreError> {
    let change = serde_json::to_string(&[FieldChange {
        field: r.column.into(),
        old: serde_json::json!(r.from),
        new: serde_json::json!(r.to),
    }])
    .unwrap_or_default();
    locks::writing(conn, scope.org_id).await?;
    let (table, column) = (r.table, r.column);
    let mut sql = Sql::new(&format!("WITH moved AS (UPDATE {table} SET {column} = "));
    sql.bind(Bind::Uuid(r.to))
        .push(", version = version + 1, updated_at = ")
        .bind(Bind::Timestamp(r.at))
        .push(", updated_by = ")
        .bind(Bind::Uuid(scope.user_id))
        .push(" WHERE org_id = ")
        .bind(Bind::Uuid(scope.org_id))
        .push(&format!(" AND {column} = "))
        .bind(Bind::Uuid(r.from))
        .push(
            " RETURNING id), audited AS (INSERT INTO audit_events \
             (id, org_id, entity, entity_id, action, actor_id, at, changes) \
             SELECT gen_random_uuid(), ",
        )
        .bind(Bind::Uuid(scope.org_id))
        .push(", ")
        .bind(Bind::Text(r.entity.into()))
        .push(", id, ")
        .bind(Bind::Text(r.action.into()))
        .push(", ")
        .bind(Bind::Uuid(scope.user_id))
        .push(", ")
        .bind(Bind::Timestamp(r.at))
        .push(", ")
        .bind(Bind::Text(change))
        .push("::jsonb FROM moved) SELECT count(*) AS n FROM moved");
    let moved = sql.count(conn).await?;
    if moved > 0 {
        rollups::reassigned(conn, scope, r.entity, r.column, r.from, r.to).await?;
    }
    Ok(moved)
}

/// The history of a record the caller can see, live or in the recycle bin.
pub async fn history<R: Record>(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    req: &ListRequest,
) -> Result<Page<HistoryEntry>, StoreError> {
    if !visible(conn, R::spec(), scope, id, false).await? {
        return Err(StoreError::NotFound);
    }
    audit::history(conn, scope, R::ENTITY, id, req).await
}

/// Whether the caller sees the record `id` of `spec` (`live`: and it is not in the recycle bin).
pub async fn visible(
    conn: &mut AsyncPgConnection,
    spec: &Spec,
    scope: &Scope,
    id: Uuid,
    live: bool,
) -> Result<bool, StoreError> {
    let mut sql = Sql::new(&format!("SELECT count(*) AS n FROM {}", spec.table));
    sql.append(if live && spec.soft_delete {
        list::scoped_where(spec, scope, false)
    } else {
        list::visible_where(spec, scope)
    })
    .push(" AND id = ")
    .bind(Bind::Uuid(id));
    Ok(sql.count(conn).await? > 0)
}
