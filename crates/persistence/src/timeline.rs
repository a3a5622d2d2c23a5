//! Timelines: a record's activities, stage changes and field changes (and, for an account, those
//! of its contacts and opportunities), newest first. One `UNION ALL` query over activities,
//! stage changes and audit events, listed by the one list mechanism ([`list::fetch_from`]), so
//! filters and keyset cursors (`at`, then id) work as on every other list.

use crate::list::{self, Field, HasId, Kind, ListRequest, Spec};
use crate::records::{self, Record};
use crate::scope::Scope;
use crate::sql::{Bind, Sql};
use crate::{stores, StoreError};
use chrono::{DateTime, Utc};
use diesel::sql_types;
use diesel::QueryableByName;
use diesel_async::AsyncPgConnection;
use domain::account::Account;
use domain::activity::EntityType;
use domain::list::Page;
use domain::opportunity::Opportunity;
use domain::timeline::{TimelineItem, TimelineKind};
use uuid::Uuid;

const KINDS: &[&str] = &["activity", "stage_change", "field_change"];

pub static SPEC: Spec = Spec {
    table: "timeline",
    select: "kind, id, at, actor_id, entity, entity_id, payload",
    fields: &[
        Field::new("at", Kind::Timestamp).sortable(),
        Field::new("kind", Kind::Enum(KINDS)),
        Field::new("entity", Kind::Entity(|j| j.timeline)),
        Field::new("entity_id", Kind::Uuid),
        Field::new("actor_id", Kind::Uuid).nullable(),
    ],
    default_sort: "-at",
    // Visibility is applied inside the source: the record itself, then each branch.
    owner_column: None,
    soft_delete: false,
    search: None,
};

#[derive(QueryableByName)]
pub struct TimelineRow {
    #[diesel(sql_type = sql_types::Text)]
    kind: String,
    #[diesel(sql_type = sql_types::Uuid)]
    id: Uuid,
    #[diesel(sql_type = sql_types::Timestamptz)]
    at: DateTime<Utc>,
    #[diesel(sql_type = sql_types::Nullable<sql_types::Uuid>)]
    actor_id: Option<Uuid>,
    #[diesel(sql_type = sql_types::Text)]
    entity: String,
    #[diesel(sql_type = sql_types::Uuid)]
    entity_id: Uuid,
    /// The activity, stage change or field change, shaped as its API type by the query.
    #[diesel(sql_type = sql_types::Jsonb)]
    payload: serde_json::Value,
}

impl From<TimelineRow> for TimelineItem {
    fn from(r: TimelineRow) -> Self {
        let kind = TimelineKind::parse(&r.kind).unwrap_or_default();
        let payload = r.payload;
        TimelineItem {
            kind,
            id: r.id,
            at: r.at,
            actor_id: r.actor_id,
            entity: EntityType::parse(&r.entity).unwrap_or_default(),
            entity_id: r.entity_id,
            activity: (kind == TimelineKind::Activity)
                .then(|| serde_json::from_value(payload.clone()).ok())
                .flatten(),
            stage_change: (kind == TimelineKind::StageChange)
                .then(|| serde_json::from_value(payload.clone()).ok())
                .flatten(),
            field_change: (kind == TimelineKind::FieldChange)
                .then(|| serde_json::from_value(payload).ok())
                .flatten(),
        }
    }
}

impl HasId for TimelineItem {
    fn id(&self) -> Uuid {
        self.id
    }
}

/// Whether the caller may read a module (`activities`, `contacts`) besides the record itself
/// (an API key's scopes): a timeline leaves out the events of modules it may not read.
pub type Reads<'a> = &'a (dyn Fn(&str) -> bool + Sync);

/// Every module: the caller reads all (a user's session).
pub const READS_ALL: Reads<'static> = &|_| true;

/// ` = $id`, or ` IN (…)`: the ids of one kind of record whose events the timeline gathers.
struct Members {
    entity: &'static str,
    ids: Sql,
}

/// The record itself and, on an account's timeline, its live records of the collections that
/// show there (`Store::account_timeline`) that the caller can see and may read.
fn members(scope: &Scope, entity: &'static str, id: Uuid, reads: Reads<'_>) -> Vec<Members> {
    let mut own = Sql::new(" = ");
    own.bind(Bind::Uuid(id));
    let mut all = vec![Members { entity, ids: own }];
    if entity == Account::ENTITY {
        for store in stores::STORES.iter().filter(|s| s.account_timeline) {
            let (spec, Some(column)) = (store.spec, store.account_column) else {
                continue;
            };
            if !reads(store.entity.plural) {
                continue;
            }
            let mut ids = Sql::new(&format!(" IN (SELECT id FROM {}", spec.table));
            ids.append(list::scoped_where(spec, scope, false))
                .push(&format!(" AND {column} = "))
                .bind(Bind::Uuid(id))
                .push(")");
            all.push(Members {
                entity: store.entity.name,
                ids,
            });
        }
    }
    all
}

/// `(… UNION ALL …) AS timeline`: every event of the record, with the columns of [`SPEC`].
pub(crate) fn source(scope: &Scope, entity: &'static str, id: Uuid, reads: Reads<'_>) -> Sql {
    // The record's own field changes come first (always readable: the caller reads the record),
    // so each further branch starts with UNION ALL; they name the columns of [`SPEC`].
    let mut sql = Sql::new("(");
    for (n, m) in members(scope, entity, id, reads).into_iter().enumerate() {
        let opportunity = m.entity == Opportunity::ENTITY;
        sql.push(if n == 0 { "" } else { " UNION ALL " });
        sql.push(
            "SELECT 'field_change' AS kind, id, at, actor_id, entity, entity_id, org_id, \
             jsonb_build_object('action', action, 'changes', changes) AS payload \
             FROM audit_events WHERE org_id = ",
        )
        .bind(Bind::Uuid(scope.org_id))
        .push(" AND entity = ")
        .bind(Bind::Text(m.entity.to_string()))
        .push(" AND entity_id")
        .append(m.ids.clone());
        if opportunity {
            // A stage move is its stage change; its audit event would only repeat it.
            sql.push(
                " AND (action <> 'update' OR NOT EXISTS (SELECT 1 FROM stage_changes sc \
                 WHERE sc.org_id = audit_events.org_id AND sc.opportunity_id = audit_events.entity_id \
                 AND sc.at = audit_events.at))",
            );
            sql.push(
                " UNION ALL SELECT 'stage_change', id, at, actor_id, 'opportunity', opportunity_id, \
                 org_id, jsonb_build_object('from_stage_id', from_stage_id, 'from_stage', \
                 (SELECT s.name FROM stages s WHERE s.id = stage_changes.from_stage_id), \
                 'to_stage_id', to_stage_id, 'to_stage', \
                 (SELECT s.name FROM stages s WHERE s.id = stage_changes.to_stage_id), \
                 'reason', reason) FROM stage_changes WHERE org_id = ",
            )
            .bind(Bind::Uuid(scope.org_id))
            .push(" AND opportunity_id")
            .append(m.ids);
        }
    }
    if reads("activities") {
        // Activities the caller can see: an account's carry its id whichever of its records
        // they are attached to; another record's are attached to it. Their actor is who
        // recorded them, which a transfer of the owner does not change.
        sql.push(&format!(
            " UNION ALL SELECT 'activity', id, coalesce(occurred_at, created_at), created_by, \
             entity, entity_id, org_id, \
             (to_jsonb(activities) - 'org_id' - 'search_text' - 'search_grams' - 'deleted_by') \
             || jsonb_build_object('overdue', {}) FROM activities",
            crate::stores::OVERDUE_SQL
        ));
        sql.append(list::scoped_where(&crate::stores::ACTIVITIES, scope, false));
        if entity == Account::ENTITY {
            sql.push(" AND account_id = ").bind(Bind::Uuid(id));
        } else {
            sql.push(" AND entity = ")
                .bind(Bind::Text(entity.to_string()))
                .push(" AND entity_id = ")
                .bind(Bind::Uuid(id));
        }
    }
    sql.push(") AS timeline");
    sql
}

/// The timeline of a live record the caller can see (404 otherwise), newest first, of what the
/// caller `reads`.
pub async fn timeline<R: Record>(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    req: &ListRequest,
    reads: Reads<'_>,
) -> Result<Page<TimelineItem>, StoreError> {
    records::get::<R>(conn, scope, id).await?;
    let source = source(scope, R::ENTITY, id, reads);
    list::fetch_from::<TimelineRow, TimelineItem>(conn, &SPEC, source, scope, req, None).await
}
