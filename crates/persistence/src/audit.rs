//! The audit trail: every create, update, delete and restore with its field changes.

use crate::list::{self, Field, HasId, Kind, ListRequest, Spec};
use crate::schema::audit_events;
use crate::scope::Scope;
use crate::sql::{Bind, Sql};
use crate::StoreError;
use chrono::{DateTime, Utc};
use diesel::sql_types;
use diesel::{ExpressionMethods, QueryableByName};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::audit::{FieldChange, HistoryEntry};
use domain::list::Page;
use uuid::Uuid;

pub const ACTIONS: &[&str] = &[
    "create", "update", "delete", "restore", "transfer", "merge", "release", "claim",
];

pub static HISTORY: Spec = Spec {
    table: "audit_events",
    select: "id, action, actor_id, at, changes",
    fields: &[
        Field::new("at", Kind::Timestamp).sortable(),
        Field::new("action", Kind::Enum(ACTIONS)),
        Field::new("actor_id", Kind::Uuid).nullable(),
    ],
    default_sort: "-at",
    owner_column: None,
    soft_delete: false,
    search: None,
};

#[derive(QueryableByName)]
pub struct HistoryRow {
    #[diesel(sql_type = sql_types::Uuid)]
    id: Uuid,
    #[diesel(sql_type = sql_types::Text)]
    action: String,
    #[diesel(sql_type = sql_types::Nullable<sql_types::Uuid>)]
    actor_id: Option<Uuid>,
    #[diesel(sql_type = sql_types::Timestamptz)]
    at: DateTime<Utc>,
    #[diesel(sql_type = sql_types::Jsonb)]
    changes: serde_json::Value,
}

impl From<HistoryRow> for HistoryEntry {
    fn from(r: HistoryRow) -> Self {
        HistoryEntry {
            id: r.id,
            action: r.action,
            actor_id: r.actor_id,
            at: r.at,
            changes: serde_json::from_value(r.changes).unwrap_or_default(),
        }
    }
}

impl HasId for HistoryEntry {
    fn id(&self) -> Uuid {
        self.id
    }
}

/// Records one event by the caller; call inside the transaction that made the change.
pub async fn record(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    entity: &str,
    entity_id: Uuid,
    action: &str,
    at: DateTime<Utc>,
    changes: &[FieldChange],
) -> Result<(), StoreError> {
    let event = Event::by(scope, entity, entity_id, action, at);
    record_event(conn, &event, changes, None).await
}

/// Records one event of a registered entity's record with the record as the change left it,
/// which the outbox keeps for webhooks (the trail itself keeps the changes only).
#[allow(clippy::too_many_arguments)]
pub async fn record_with_snapshot(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    entity: &str,
    entity_id: Uuid,
    action: &str,
    at: DateTime<Utc>,
    changes: &[FieldChange],
    snapshot: &serde_json::Value,
) -> Result<(), StoreError> {
    let event = Event::by(scope, entity, entity_id, action, at);
    record_event(conn, &event, changes, Some(snapshot)).await
}

/// Who did what to which record, when.
pub struct Event<'a> {
    pub org_id: Uuid,
    pub actor_id: Uuid,
    pub entity: &'a str,
    pub entity_id: Uuid,
    pub action: &'a str,
    pub at: DateTime<Utc>,
}

impl<'a> Event<'a> {
    /// An event by the request's caller.
    fn by(
        scope: &Scope,
        entity: &'a str,
        entity_id: Uuid,
        action: &'a str,
        at: DateTime<Utc>,
    ) -> Self {
        Event {
            org_id: scope.org_id,
            actor_id: scope.user_id,
            entity,
            entity_id,
            action,
            at,
        }
    }
}

/// Records one event whose actor is not a request's caller (a sign-up creating its first user).
pub async fn record_event(
    conn: &mut AsyncPgConnection,
    event: &Event<'_>,
    changes: &[FieldChange],
    snapshot: Option<&serde_json::Value>,
) -> Result<(), StoreError> {
    let Event {
        org_id,
        actor_id,
        entity,
        entity_id,
        action,
        at,
    } = *event;
    diesel::insert_into(audit_events::table)
        .values((
            audit_events::id.eq(Uuid::now_v7()),
            audit_events::org_id.eq(org_id),
            audit_events::entity.eq(entity),
            audit_events::entity_id.eq(entity_id),
            audit_events::action.eq(action),
            audit_events::actor_id.eq(actor_id),
            audit_events::at.eq(at),
            audit_events::changes.eq(serde_json::to_value(changes).unwrap_or_default()),
            audit_events::record.eq(snapshot),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// The history of one record; the caller has checked that the record is visible.
pub async fn history(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    entity: &str,
    entity_id: Uuid,
    req: &ListRequest,
) -> Result<Page<HistoryEntry>, StoreError> {
    let mut extra = Sql::new(" AND entity = ");
    extra
        .bind(Bind::Text(entity.to_string()))
        .push(" AND entity_id = ")
        .bind(Bind::Uuid(entity_id));
    list::fetch::<HistoryRow, HistoryEntry>(conn, &HISTORY, scope, req, Some(extra)).await
}
