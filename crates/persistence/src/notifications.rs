//! Notifications: each user's inbox, their preferences, and the producers. A producer inserts
//! with a `dedupe_key`, so running it again (a scheduled check, a retried job, a repeated write)
//! adds nothing; what a user turned off is not inserted at all. The scheduled producers are
//! set-based: one statement per kind for every organization at once.

use crate::list::{self, Field, HasId, Kind, ListRequest, Spec};
use crate::scope::Scope;
use crate::sql::{Bind, Sql};
use crate::StoreError;
use chrono::{DateTime, Utc};
use diesel::{sql_types, QueryableByName};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::list::Page;
use domain::notification::{
    title, Notification, NotificationKind, NotificationPreference, CHANNELS,
};
use serde_json::Value;
use uuid::Uuid;

const COLUMNS: &str = "id, kind, entity, entity_id, params, read_at, created_at";

pub static SPEC: Spec = Spec {
    table: "notifications",
    select: COLUMNS,
    fields: &[
        Field::new("kind", Kind::Text),
        Field::new("entity", Kind::Text).nullable(),
        Field::new("entity_id", Kind::Uuid).nullable(),
        Field::new("created_at", Kind::Timestamp).sortable(),
    ],
    default_sort: "-created_at",
    owner_column: None,
    soft_delete: false,
    search: None,
};

#[derive(QueryableByName)]
pub struct NotificationRow {
    #[diesel(sql_type = sql_types::Uuid)]
    id: Uuid,
    #[diesel(sql_type = sql_types::Text)]
    kind: String,
    #[diesel(sql_type = sql_types::Nullable<sql_types::Text>)]
    entity: Option<String>,
    #[diesel(sql_type = sql_types::Nullable<sql_types::Uuid>)]
    entity_id: Option<Uuid>,
    #[diesel(sql_type = sql_types::Jsonb)]
    params: Value,
    #[diesel(sql_type = sql_types::Nullable<sql_types::Timestamptz>)]
    read_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = sql_types::Timestamptz)]
    created_at: DateTime<Utc>,
}

impl From<NotificationRow> for Notification {
    fn from(r: NotificationRow) -> Self {
        // Producers write the kinds of `NotificationKind` only.
        let kind = NotificationKind::parse(&r.kind).unwrap_or(NotificationKind::TaskReminder);
        Notification {
            id: r.id,
            kind,
            title: title(kind, &r.params),
            entity: r.entity,
            entity_id: r.entity_id,
            params: r.params,
            read_at: r.read_at,
            created_at: r.created_at,
        }
    }
}

impl HasId for Notification {
    fn id(&self) -> Uuid {
        self.id
    }
}

/// The caller's own notices (a manager does not read the team's).
fn mine(scope: &Scope) -> Sql {
    let mut sql = Sql::new(" AND user_id = ");
    sql.bind(Bind::Uuid(scope.user_id));
    sql
}

/// A notice to give one user.
pub struct New<'a> {
    pub org_id: Uuid,
    pub user_id: Uuid,
    pub kind: NotificationKind,
    pub entity: Option<&'a str>,
    pub entity_id: Option<Uuid>,
    pub params: Value,
    /// The same key for the same news: it is given once.
    pub dedupe_key: String,
    /// Who caused it: their name goes into `params.by`.
    pub by: Option<Uuid>,
}

/// `AND` the recipient (`col`) has not turned `kind` off in the app.
pub(crate) fn wanted(col: &str, kind: NotificationKind) -> String {
    format!(
        " AND NOT EXISTS (SELECT 1 FROM notification_preferences p WHERE p.user_id = {col} \
         AND p.kind = '{}' AND p.channel = 'in_app' AND NOT p.enabled)",
        kind.as_str()
    )
}

/// Gives `n`, in the caller's transaction; `false` when it was given before or is unwanted.
pub async fn notify(
    conn: &mut AsyncPgConnection,
    n: &New<'_>,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let mut sql = Sql::new(
        "INSERT INTO notifications (id, org_id, user_id, kind, entity, entity_id, params, \
         dedupe_key, created_at) SELECT ",
    );
    sql.bind(Bind::Uuid(Uuid::now_v7()))
        .push(", ")
        .bind(Bind::Uuid(n.org_id))
        .push(", u.id, ")
        .bind(Bind::Text(n.kind.as_str().into()))
        .push(", ");
    sql.bind_opt(n.entity.map(|e| Bind::Text(e.into())));
    sql.push(", ");
    sql.bind_opt(n.entity_id.map(Bind::Uuid));
    sql.push(", ")
        .bind(Bind::Text(n.params.to_string()))
        .push("::jsonb");
    if let Some(by) = n.by {
        sql.push(" || jsonb_build_object('by', (SELECT name FROM users WHERE id = ")
            .bind(Bind::Uuid(by))
            .push("))");
    }
    sql.push(", ")
        .bind(Bind::Text(n.dedupe_key.clone()))
        .push(", ")
        .bind(Bind::Timestamp(now))
        .push(" FROM users u WHERE u.id = ")
        .bind(Bind::Uuid(n.user_id))
        .push(" AND u.org_id = ")
        .bind(Bind::Uuid(n.org_id))
        .push(&wanted("u.id", n.kind))
        .push(" ON CONFLICT (user_id, dedupe_key) DO NOTHING");
    Ok(sql.execute(conn).await? == 1)
}

/// The caller's notices, newest first; `unread` keeps the unread ones.
pub async fn list(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    req: &ListRequest,
    unread: bool,
) -> Result<Page<Notification>, StoreError> {
    let mut extra = mine(scope);
    if unread {
        extra.push(" AND read_at IS NULL");
    }
    list::fetch::<NotificationRow, Notification>(conn, &SPEC, scope, req, Some(extra)).await
}

/// How many of the caller's notices are unread.
pub async fn unread(conn: &mut AsyncPgConnection, scope: &Scope) -> Result<i64, StoreError> {
    let mut sql = Sql::new("SELECT count(*) AS n FROM notifications WHERE read_at IS NULL");
    sql.append(mine(scope));
    sql.count(conn).await
}

/// Marks one of the caller's notices read (again: it keeps its first time).
pub async fn mark_read(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<Notification, StoreError> {
    let mut sql = Sql::new("UPDATE notifications SET read_at = coalesce(read_at, ");
    sql.bind(Bind::Timestamp(now))
        .push(") WHERE id = ")
        .bind(Bind::Uuid(id))
        .append(mine(scope))
        .push(&format!(" RETURNING {COLUMNS}"));
    let row: NotificationRow = sql.get_result(conn).await?;
    Ok(row.into())
}

/// Marks every unread notice of the caller read; returns how many.
pub async fn mark_all_read(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let mut sql = Sql::new("UPDATE notifications SET read_at = ");
    sql.bind(Bind::Timestamp(now))
        .push(" WHERE read_at IS NULL")
        .append(mine(scope));
    Ok(sql.execute(conn).await? as i64)
}

#[derive(QueryableByName)]
struct Off {
    #[diesel(sql_type = sql_types::Text)]
    kind: String,
    #[diesel(sql_type = sql_types::Text)]
    channel: String,
}

/// Every kind on every channel, with whether the caller gets it.
pub async fn preferences(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
) -> Result<Vec<NotificationPreference>, StoreError> {
    let mut sql = Sql::new(
        "SELECT kind, channel FROM notification_preferences WHERE NOT enabled AND user_id = ",
    );
    sql.bind(Bind::Uuid(scope.user_id));
    let off: Vec<Off> = sql.load(conn).await?;
    Ok(NotificationKind::ALL
        .into_iter()
        .flat_map(|kind| CHANNELS.iter().map(move |c| (kind, *c)))
        .map(|(kind, channel)| NotificationPreference {
            kind,
            channel: channel.to_string(),
            enabled: !off
                .iter()
                .any(|o| o.kind == kind.as_str() && o.channel == channel),
        })
        .collect())
}

/// Sets the caller's choices (the ones not named stay as they were).
pub async fn set_preferences(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    choices: &[NotificationPreference],
) -> Result<Vec<NotificationPreference>, StoreError> {
    for (i, c) in choices.iter().enumerate() {
        if !CHANNELS.contains(&c.channel.as_str()) {
            return Err(StoreError::invalid(
                &format!("data[{i}].channel"),
                "channel",
                &format!("known channels: {}", CHANNELS.join(", ")),
            ));
        }
    }
    for c in choices {
        let mut sql = Sql::new(
            "INSERT INTO notification_preferences (user_id, kind, channel, enabled) VALUES (",
        );
        sql.bind(Bind::Uuid(scope.user_id))
            .push(", ")
            .bind(Bind::Text(c.kind.as_str().into()))
            .push(", ")
            .bind(Bind::Text(c.channel.clone()))
            .push(", ")
            .bind(Bind::Bool(c.enabled))
            .push(
                ") ON CONFLICT (user_id, kind, channel) DO UPDATE SET enabled = excluded.enabled",
            );
        sql.execute(conn).await?;
    }
    preferences(conn, scope).await
}

/// Tells each open task's owner that its reminder time came (within the last day: a reminder
/// long past when Kehu first looks is stale news). Returns how many notices it gave.
pub async fn queue_task_reminders(
    conn: &mut AsyncPgConnection,
    now: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let kind = NotificationKind::TaskReminder;
    let mut sql = Sql::new(&format!(
        "INSERT INTO notifications (id, org_id, user_id, kind, entity, entity_id, params, \
         dedupe_key, created_at) SELECT gen_random_uuid(), a.org_id, a.owner_id, '{k}', \
         'activity', a.id, jsonb_build_object('subject', a.subject, 'due_at', a.due_at, \
         'reminder_at', a.reminder_at), '{k}:' || a.id || ':' || \
         extract(epoch FROM a.reminder_at)::bigint, ",
        k = kind.as_str()
    ));
    sql.bind(Bind::Timestamp(now))
        .push(
            " FROM activities a WHERE a.kind = 'task' AND a.status = 'open' \
             AND a.deleted_at IS NULL AND a.reminder_at IS NOT NULL AND a.reminder_at <= ",
        )
        .bind(Bind::Timestamp(now))
        .push(" AND a.reminder_at > ")
        .bind(Bind::Timestamp(now - chrono::Duration::days(1)))
        .push(&wanted("a.owner_id", kind))
        .push(" ON CONFLICT (user_id, dedupe_key) DO NOTHING");
    Ok(sql.execute(conn).await? as u64)
}

/// Tells each open task's owner, once, that it went past its due time (within the last week).
pub async fn queue_overdue_tasks(
    conn: &mut AsyncPgConnection,
    now: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let kind = NotificationKind::TaskOverdue;
    let mut sql = Sql::new(&format!(
        "INSERT INTO notifications (id, org_id, user_id, kind, entity, entity_id, params, \
         dedupe_key, created_at) SELECT gen_random_uuid(), a.org_id, a.owner_id, '{k}', \
         'activity', a.id, jsonb_build_object('subject', a.subject, 'due_at', a.due_at), \
         '{k}:' || a.id || ':' || extract(epoch FROM a.due_at)::bigint, ",
        k = kind.as_str()
    ));
    sql.bind(Bind::Timestamp(now))
        .push(
            " FROM activities a WHERE a.kind = 'task' AND a.status = 'open' \
             AND a.deleted_at IS NULL AND a.due_at < ",
        )
        .bind(Bind::Timestamp(now))
        .push(" AND a.due_at > ")
        .bind(Bind::Timestamp(now - chrono::Duration::days(7)))
        .push(&wanted("a.owner_id", kind))
        .push(" ON CONFLICT (user_id, dedupe_key) DO NOTHING");
    Ok(sql.execute(conn).await? as u64)
}

/// Tells each owner of neglected accounts how many they have, once per (Beijing) day.
pub async fn queue_neglected(
    conn: &mut AsyncPgConnection,
    now: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let kind = NotificationKind::AccountsNeglected;
    let day = (now + chrono::Duration::hours(8))
        .format("%Y-%m-%d")
        .to_string();
    let mut sql = Sql::new(&format!(
        "INSERT INTO notifications (id, org_id, user_id, kind, params, dedupe_key, created_at) \
         SELECT gen_random_uuid(), a.org_id, a.owner_id, '{k}', \
         jsonb_build_object('count', count(*), 'days', min(o.neglect_days)), '{k}:{day}', ",
        k = kind.as_str()
    ));
    sql.bind(Bind::Timestamp(now))
        .push(
            " FROM accounts a JOIN organizations o ON o.id = a.org_id AND o.neglect_days > 0 \
             WHERE a.deleted_at IS NULL AND a.owner_id IS NOT NULL AND a.neglect_at <= ",
        )
        .bind(Bind::Timestamp(now))
        .push(&wanted("a.owner_id", kind))
        .push(" GROUP BY a.org_id, a.owner_id ON CONFLICT (user_id, dedupe_key) DO NOTHING");
    Ok(sql.execute(conn).await? as u64)
}
