//! Approvals (migration 30): processes, submissions, each approver's decision, the trail, and
//! the guard every record write passes ([`guard`], from `records`): a change a process guards
//! is refused unless it is the change of an approval being granted in the same transaction.

mod decide;
mod processes;
mod steps;

pub use decide::{decide, submit};
pub use processes::{
    create_process, get_process, guard, list_processes, update_process, PROCESSES,
};

use crate::list::{self, Field, HasId, Kind, ListRequest, Spec};
use crate::scope::Scope;
use crate::sql::{Bind, Sql};
use crate::StoreError;
use chrono::{DateTime, Utc};
use diesel::{sql_types, QueryableByName};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::approval::{Approval, ApprovalEvent, ApprovalState, ApprovalTask};
use domain::list::Page;
use domain::role::Role;
use serde_json::Value;
use uuid::Uuid;

pub static APPROVALS: Spec = Spec {
    table: "approvals",
    select: "id, process_id, (SELECT p.name FROM approval_processes p WHERE p.id = approvals.process_id) \
             AS process_name, entity, entity_id, state, step, proposed, holds, submitted_by, \
             submitted_at, decided_at, version",
    fields: &[
        Field::new(
            "state",
            Kind::Enum(&["pending", "approved", "rejected", "returned", "cancelled"]),
        ),
        Field::new("entity", Kind::Text),
        Field::new("entity_id", Kind::Uuid),
        Field::new("process_id", Kind::Uuid),
        Field::new("submitted_by", Kind::Uuid),
        Field::new("submitted_at", Kind::Timestamp).sortable(),
    ],
    default_sort: "-submitted_at",
    owner_column: None,
    soft_delete: false,
    search: None,
};

#[derive(QueryableByName)]
pub(super) struct ApprovalRow {
    #[diesel(sql_type = sql_types::Uuid)]
    id: Uuid,
    #[diesel(sql_type = sql_types::Uuid)]
    process_id: Uuid,
    #[diesel(sql_type = sql_types::Nullable<sql_types::Text>)]
    process_name: Option<String>,
    #[diesel(sql_type = sql_types::Text)]
    entity: String,
    #[diesel(sql_type = sql_types::Uuid)]
    entity_id: Uuid,
    #[diesel(sql_type = sql_types::Text)]
    state: String,
    #[diesel(sql_type = sql_types::Integer)]
    step: i32,
    #[diesel(sql_type = sql_types::Jsonb)]
    proposed: Value,
    #[diesel(sql_type = sql_types::Jsonb)]
    holds: Value,
    #[diesel(sql_type = sql_types::Uuid)]
    submitted_by: Uuid,
    #[diesel(sql_type = sql_types::Timestamptz)]
    submitted_at: DateTime<Utc>,
    #[diesel(sql_type = sql_types::Nullable<sql_types::Timestamptz>)]
    decided_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = sql_types::Integer)]
    version: i32,
}

impl From<ApprovalRow> for Approval {
    fn from(r: ApprovalRow) -> Self {
        Approval {
            id: r.id,
            process_id: r.process_id,
            process_name: r.process_name.unwrap_or_default(),
            entity: r.entity,
            entity_id: r.entity_id,
            state: ApprovalState::parse(&r.state).unwrap_or(ApprovalState::Pending),
            step: r.step,
            proposed: r.proposed,
            holds: r.holds,
            submitted_by: r.submitted_by,
            submitted_at: r.submitted_at,
            decided_at: r.decided_at,
            version: r.version,
            tasks: Vec::new(),
            trail: Vec::new(),
        }
    }
}

impl HasId for Approval {
    fn id(&self) -> Uuid {
        self.id
    }
}

/// The approvals the caller takes part in (submitted, approves, or is copied on; an admin:
/// all); `mine`: only those waiting for the caller's decision.
pub async fn list(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    req: &ListRequest,
    mine: bool,
) -> Result<Page<Approval>, StoreError> {
    let mut extra = Sql::default();
    if mine {
        extra
            .push(" AND id IN (SELECT approval_id FROM approval_tasks WHERE approver_id = ")
            .bind(Bind::Uuid(scope.user_id))
            .push(" AND state = 'pending')");
    } else if scope.role != Role::Admin {
        extra.append(involved(scope.user_id));
    }
    list::fetch::<ApprovalRow, Approval>(conn, &APPROVALS, scope, req, Some(extra)).await
}

/// ` AND` the approval involves `user`.
pub(super) fn involved(user: Uuid) -> Sql {
    let mut sql = Sql::new(" AND (submitted_by = ");
    sql.bind(Bind::Uuid(user))
        .push(" OR ")
        .bind(Bind::Uuid(user))
        .push(" = ANY(cc) OR id IN (SELECT approval_id FROM approval_tasks WHERE approver_id = ")
        .bind(Bind::Uuid(user))
        .push("))");
    sql
}

/// One approval with its tasks and trail, for whoever takes part in it (an admin: any).
pub async fn get(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
) -> Result<Approval, StoreError> {
    let mut sql = Sql::new(&format!("SELECT {} FROM approvals", APPROVALS.select));
    sql.append(list::visible_where(&APPROVALS, scope))
        .push(" AND id = ")
        .bind(Bind::Uuid(id));
    if scope.role != Role::Admin {
        sql.append(involved(scope.user_id));
    }
    let mut approval: Approval = sql.get_result::<ApprovalRow>(conn).await?.into();
    #[derive(QueryableByName)]
    struct TaskRow {
        #[diesel(sql_type = sql_types::Uuid)]
        id: Uuid,
        #[diesel(sql_type = sql_types::Integer)]
        step: i32,
        #[diesel(sql_type = sql_types::Integer)]
        position: i32,
        #[diesel(sql_type = sql_types::Uuid)]
        approver_id: Uuid,
        #[diesel(sql_type = sql_types::Text)]
        state: String,
        #[diesel(sql_type = sql_types::Nullable<sql_types::Text>)]
        comment: Option<String>,
        #[diesel(sql_type = sql_types::Nullable<sql_types::Timestamptz>)]
        acted_at: Option<DateTime<Utc>>,
    }
    let mut tasks = Sql::new(
        "SELECT id, step, position, approver_id, state, comment, acted_at FROM approval_tasks \
         WHERE approval_id = ",
    );
    tasks
        .bind(Bind::Uuid(id))
        .push(" ORDER BY step, position, acted_at NULLS LAST, id");
    approval.tasks = tasks
        .load::<TaskRow>(conn)
        .await?
        .into_iter()
        .map(|t| ApprovalTask {
            id: t.id,
            step: t.step,
            position: t.position,
            approver_id: t.approver_id,
            state: t.state,
            comment: t.comment,
            acted_at: t.acted_at,
        })
        .collect();
    #[derive(QueryableByName)]
    struct EventRow {
        #[diesel(sql_type = sql_types::Text)]
        action: String,
        #[diesel(sql_type = sql_types::Nullable<sql_types::Uuid>)]
        actor_id: Option<Uuid>,
        #[diesel(sql_type = sql_types::Nullable<sql_types::Uuid>)]
        target_id: Option<Uuid>,
        #[diesel(sql_type = sql_types::Integer)]
        step: i32,
        #[diesel(sql_type = sql_types::Nullable<sql_types::Text>)]
        comment: Option<String>,
        #[diesel(sql_type = sql_types::Timestamptz)]
        at: DateTime<Utc>,
    }
    let mut trail = Sql::new(
        "SELECT action, actor_id, target_id, step, comment, at FROM approval_events WHERE approval_id = ",
    );
    trail.bind(Bind::Uuid(id)).push(" ORDER BY at, id");
    approval.trail = trail
        .load::<EventRow>(conn)
        .await?
        .into_iter()
        .map(|e| ApprovalEvent {
            action: e.action,
            actor_id: e.actor_id,
            target_id: e.target_id,
            step: e.step,
            comment: e.comment,
            at: e.at,
        })
        .collect();
    Ok(approval)
}

/// One entry of an approval's trail.
pub(super) struct Entry<'a> {
    pub(super) action: &'a str,
    pub(super) actor: Option<Uuid>,
    pub(super) target: Option<Uuid>,
    pub(super) comment: Option<&'a str>,
}

pub(super) async fn event(
    conn: &mut AsyncPgConnection,
    approval: Uuid,
    step: i32,
    e: Entry<'_>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut sql = Sql::new(
        "INSERT INTO approval_events (id, approval_id, action, actor_id, target_id, step, comment, at) \
         VALUES (",
    );
    // Time-ordered ids: a step's approval and the grant share a moment, and the trail sorts by id.
    sql.bind(Bind::Uuid(Uuid::now_v7()))
        .push(", ")
        .bind(Bind::Uuid(approval))
        .push(", ")
        .bind(Bind::Text(e.action.into()))
        .push(", ")
        .bind_opt(e.actor.map(Bind::Uuid))
        .push("::uuid, ")
        .bind_opt(e.target.map(Bind::Uuid))
        .push("::uuid, ")
        .bind(Bind::Int(step))
        .push(", ")
        .bind_opt(e.comment.map(|c| Bind::Text(c.into())))
        .push(", ")
        .bind(Bind::Timestamp(now))
        .push(")");
    sql.execute(conn).await?;
    Ok(())
}

#[derive(QueryableByName)]
pub(super) struct Id {
    #[diesel(sql_type = sql_types::Uuid)]
    pub(super) id: Uuid,
}
