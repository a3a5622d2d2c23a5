//! Submitting a change for approval, and each decision on it.

use super::processes::{get_process, uuid_json};
use super::steps::{
    add_task, advance, approvers, bump, close, decided, set_task, start_step, step_done, tell,
};
use super::{event, get, Entry, Id};
use crate::scope::Scope;
use crate::sql::{Bind, Sql};
use crate::{workflows, StoreError};
use chrono::{DateTime, Utc};
use diesel::{sql_types, OptionalExtension, QueryableByName};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::approval::{Approval, ApprovalState, DecideInput, Decision, Mode, Step, SubmitInput};
use domain::notification::NotificationKind;
use serde_json::{json, Value};
use uuid::Uuid;

/// Submits a change of a record for approval: the record must be one the caller sees and the
/// process covers, and the change must touch only the process's fields.
pub async fn submit(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    input: &SubmitInput,
    now: DateTime<Utc>,
) -> Result<Approval, StoreError> {
    let process = get_process(conn, scope.org_id, input.process_id)
        .await
        .map_err(|e| e.or_invalid("process_id", "no such approval process"))?;
    if !process.enabled {
        return Err(StoreError::invalid(
            "process_id",
            "off",
            "the process is turned off",
        ));
    }
    if let Some(k) = input
        .proposed
        .keys()
        .find(|k| !process.fields.contains(k) && !matches!(k.as_str(), "reason" | "lost_reason"))
    {
        return Err(StoreError::invalid(
            "proposed",
            "field",
            &format!(
                "`{k}` is not one of the fields the process approves ({})",
                process.fields.join(", ")
            ),
        ));
    }
    let spec = crate::writers::spec(&process.entity)?;
    if !crate::records::visible(conn, spec, scope, input.record_id, true).await? {
        return Err(StoreError::invalid(
            "record_id",
            "not_found",
            "no such record visible to you",
        ));
    }
    let record = workflows::record(conn, spec, scope.org_id, input.record_id, None)
        .await?
        .unwrap_or_default();
    let holds: serde_json::Map<String, Value> = process
        .fields
        .iter()
        .map(|f| {
            let v = input
                .proposed
                .get(f)
                .cloned()
                .unwrap_or_else(|| record[f.as_str()].clone());
            (f.clone(), v)
        })
        .collect();
    let id = Uuid::now_v7();
    let mut sql = Sql::new(
        "INSERT INTO approvals (id, org_id, process_id, entity, entity_id, state, step, steps, cc, \
         proposed, holds, submitted_by, submitted_at) VALUES (",
    );
    sql.bind(Bind::Uuid(id))
        .push(", ")
        .bind(Bind::Uuid(scope.org_id))
        .push(", ")
        .bind(Bind::Uuid(process.id))
        .push(", ")
        .bind(Bind::Text(process.entity.clone()))
        .push(", ")
        .bind(Bind::Uuid(input.record_id))
        .push(", 'pending', 0, ")
        .bind(Bind::Text(uuid_json(&process.steps)))
        .push("::jsonb, ")
        .bind(Bind::UuidArray(process.cc.clone()))
        .push(", ")
        .bind(Bind::Text(uuid_json(&input.proposed)))
        .push("::jsonb, ")
        .bind(Bind::Text(uuid_json(&holds)))
        .push("::jsonb, ")
        .bind(Bind::Uuid(scope.user_id))
        .push(", ")
        .bind(Bind::Timestamp(now))
        .push(")");
    sql.execute(conn)
        .await
        .map_err(|e| match StoreError::from(e) {
            StoreError::Conflict(_) => {
                StoreError::Conflict("the record has an approval open already".into())
            }
            e => e,
        })?;
    event(
        conn,
        id,
        0,
        Entry {
            action: "submit",
            actor: Some(scope.user_id),
            target: None,
            comment: input.comment.as_deref(),
        },
        now,
    )
    .await?;
    let owner = record["owner_id"].as_str().and_then(|s| s.parse().ok());
    let first = &process.steps[0];
    let users = approvers(conn, scope.org_id, first, owner, scope.user_id).await?;
    let notice = notice(&process.name, &record, None);
    start_step(
        conn,
        scope.org_id,
        id,
        0,
        first,
        &users,
        &notice,
        scope.user_id,
        now,
    )
    .await?;
    get(conn, scope, id).await
}

pub(super) fn notice(process: &str, record: &Value, state: Option<ApprovalState>) -> Value {
    let name = ["name", "subject"]
        .iter()
        .find_map(|k| record[k].as_str())
        .unwrap_or_default();
    json!({"process": process, "name": name, "state": state.map(|s| s.as_str())})
}

#[derive(QueryableByName)]
pub(super) struct Locked {
    #[diesel(sql_type = sql_types::Text)]
    pub(super) state: String,
    #[diesel(sql_type = sql_types::Integer)]
    pub(super) step: i32,
    #[diesel(sql_type = sql_types::Jsonb)]
    pub(super) steps: Value,
    #[diesel(sql_type = sql_types::Array<sql_types::Uuid>)]
    pub(super) cc: Vec<Uuid>,
    #[diesel(sql_type = sql_types::Text)]
    pub(super) entity: String,
    #[diesel(sql_type = sql_types::Uuid)]
    pub(super) entity_id: Uuid,
    #[diesel(sql_type = sql_types::Jsonb)]
    pub(super) proposed: Value,
    #[diesel(sql_type = sql_types::Uuid)]
    pub(super) submitted_by: Uuid,
    #[diesel(sql_type = sql_types::Text)]
    pub(super) process: String,
}

/// An approver's (or the submitter's) decision, with the approval row locked: concurrent
/// decisions are taken one after another, each seeing the last.
pub async fn decide(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    input: &DecideInput,
    now: DateTime<Utc>,
) -> Result<Approval, StoreError> {
    get(conn, scope, id).await?;
    let mut lock = Sql::new(
        "SELECT a.state, a.step, a.steps, a.cc, a.entity, a.entity_id, a.proposed, a.submitted_by, \
         p.name AS process FROM approvals a JOIN approval_processes p ON p.id = a.process_id \
         WHERE a.org_id = ",
    );
    lock.bind(Bind::Uuid(scope.org_id))
        .push(" AND a.id = ")
        .bind(Bind::Uuid(id))
        .push(" FOR UPDATE OF a");
    let a: Locked = lock.get_result(conn).await?;
    if a.state != "pending" {
        return Err(StoreError::Conflict(format!(
            "the approval is {} already",
            a.state
        )));
    }
    let steps: Vec<Step> = serde_json::from_value(a.steps.clone()).unwrap_or_default();
    let spec = crate::writers::spec(&a.entity)?;
    let record = workflows::record(conn, spec, scope.org_id, a.entity_id, None)
        .await?
        .unwrap_or_default();
    let comment = input.comment.as_deref();
    let me = scope.user_id;
    if input.decision == Decision::Cancel {
        if a.submitted_by != me {
            return Err(StoreError::Forbidden(
                "only the submitter withdraws an approval".into(),
            ));
        }
        close(conn, id, ApprovalState::Cancelled, now).await?;
        event(
            conn,
            id,
            a.step,
            Entry {
                action: "cancel",
                actor: Some(me),
                target: None,
                comment,
            },
            now,
        )
        .await?;
        return get(conn, scope, id).await;
    }
    let mut mine = Sql::new("SELECT id FROM approval_tasks WHERE approval_id = ");
    mine.bind(Bind::Uuid(id))
        .push(" AND step = ")
        .bind(Bind::Int(a.step))
        .push(" AND approver_id = ")
        .bind(Bind::Uuid(me))
        .push(" AND state = 'pending' ORDER BY position LIMIT 1");
    let Some(task) = mine.get_result::<Id>(conn).await.optional()?.map(|t| t.id) else {
        return Err(StoreError::Forbidden(
            "the approval does not wait for your decision now".into(),
        ));
    };
    let step = steps
        .get(a.step as usize)
        .cloned()
        .ok_or(StoreError::NotFound)?;
    let target = || -> Result<Uuid, StoreError> {
        input
            .user_id
            .filter(|u| *u != me)
            .ok_or_else(|| StoreError::invalid("user_id", "required", "whom (another user)"))
    };
    match input.decision {
        Decision::Comment => {
            event(
                conn,
                id,
                a.step,
                Entry {
                    action: "comment",
                    actor: Some(me),
                    target: None,
                    comment,
                },
                now,
            )
            .await?;
        }
        Decision::Delegate | Decision::AddSigner => {
            let user = target()?;
            if !crate::users::is_active_member(conn, scope.org_id, user).await? {
                return Err(StoreError::invalid(
                    "user_id",
                    "user",
                    "not an active user of the organization",
                ));
            }
            let notice = notice(&a.process, &record, None);
            if input.decision == Decision::Delegate {
                set_task(conn, task, "delegated", comment, now).await?;
                let mut pos =
                    Sql::new("SELECT position::bigint AS n FROM approval_tasks WHERE id = ");
                pos.bind(Bind::Uuid(task));
                let position = pos.count(conn).await.unwrap_or(0) as i32;
                add_task(conn, id, a.step, position, user, true).await?;
                event(
                    conn,
                    id,
                    a.step,
                    Entry {
                        action: "delegate",
                        actor: Some(me),
                        target: Some(user),
                        comment,
                    },
                    now,
                )
                .await?;
            } else {
                let mut last = Sql::new("SELECT coalesce(max(position), 0)::bigint AS n FROM approval_tasks WHERE approval_id = ");
                last.bind(Bind::Uuid(id))
                    .push(" AND step = ")
                    .bind(Bind::Int(a.step));
                let next = last.count(conn).await? as i32 + 1;
                let in_turn = step.mode == Mode::Sequential;
                add_task(
                    conn,
                    id,
                    a.step,
                    if in_turn { next } else { 0 },
                    user,
                    !in_turn,
                )
                .await?;
                event(
                    conn,
                    id,
                    a.step,
                    Entry {
                        action: "add_signer",
                        actor: Some(me),
                        target: Some(user),
                        comment,
                    },
                    now,
                )
                .await?;
                if in_turn {
                    return get(conn, scope, id).await;
                }
            }
            tell(
                conn,
                scope.org_id,
                user,
                NotificationKind::ApprovalRequested,
                id,
                &notice,
                me,
                now,
            )
            .await?;
        }
        Decision::Reject | Decision::Return => {
            let (task_state, state, action) = if input.decision == Decision::Reject {
                ("rejected", ApprovalState::Rejected, "reject")
            } else {
                ("returned", ApprovalState::Returned, "return")
            };
            set_task(conn, task, task_state, comment, now).await?;
            close(conn, id, state, now).await?;
            event(
                conn,
                id,
                a.step,
                Entry {
                    action,
                    actor: Some(me),
                    target: None,
                    comment,
                },
                now,
            )
            .await?;
            decided(conn, scope.org_id, id, &a, &record, state, me, now).await?;
        }
        Decision::Approve => {
            set_task(conn, task, "approved", comment, now).await?;
            event(
                conn,
                id,
                a.step,
                Entry {
                    action: "approve",
                    actor: Some(me),
                    target: None,
                    comment,
                },
                now,
            )
            .await?;
            if step_done(conn, id, a.step, step.mode).await? {
                advance(conn, scope, id, &a, &steps, &record, now).await?;
            }
        }
        Decision::Cancel => {}
    }
    bump(conn, id).await?;
    get(conn, scope, id).await
}
