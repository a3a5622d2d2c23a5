//! The steps of an approval: who approves each, when a step is decided, and what follows —
//! the next step, or the granted change and the news of the outcome.

use super::decide::{notice, Locked};
use super::{event, Entry, Id};
use crate::notifications::{self, New};
use crate::scope::Scope;
use crate::sql::{Bind, Sql};
use crate::{writers, StoreError};
use chrono::{DateTime, Utc};
use diesel::OptionalExtension;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::approval::{ApprovalState, Approvers, Mode, Step};
use domain::notification::NotificationKind;
use domain::role::Role;
use serde_json::Value;
use uuid::Uuid;

/// The users who approve `step` of a record owned by `owner`, submitted by `by`, in order.
pub(super) async fn approvers(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    step: &Step,
    owner: Option<Uuid>,
    by: Uuid,
) -> Result<Vec<Uuid>, StoreError> {
    let mut sql;
    match &step.approvers {
        Approvers::Users { user_ids } => {
            sql = Sql::new("SELECT u.id FROM unnest(");
            sql.bind(Bind::UuidArray(user_ids.clone())).push(
                ") WITH ORDINALITY AS g(id, n) JOIN users u ON u.id = g.id AND u.active \
                 AND u.org_id = ",
            );
            sql.bind(Bind::Uuid(org_id)).push(" ORDER BY g.n");
        }
        Approvers::Role { role } => {
            sql = Sql::new("SELECT id FROM users WHERE active AND org_id = ");
            sql.bind(Bind::Uuid(org_id))
                .push(" AND role = ")
                .bind(Bind::Text(role.as_str().into()))
                .push(" ORDER BY name, id");
        }
        Approvers::DepartmentHead => {
            sql = Sql::new(
                "WITH RECURSIVE up (id, depth) AS (SELECT department_id, 0 FROM users WHERE id = ",
            );
            sql.bind(Bind::Uuid(owner.unwrap_or(by)))
                .push(
                    " UNION ALL SELECT d.parent_id, up.depth + 1 FROM departments d JOIN up \
                     ON d.id = up.id WHERE d.parent_id IS NOT NULL AND up.depth < 64), \
                     heads AS (SELECT u.id, u.name, up.depth FROM up JOIN users u \
                     ON u.department_id = up.id AND u.role = 'manager' AND u.active AND u.id <> ",
                )
                .bind(Bind::Uuid(by))
                .push(" AND u.org_id = ")
                .bind(Bind::Uuid(org_id))
                .push(
                    ") SELECT id FROM heads WHERE depth = (SELECT min(depth) FROM heads) \
                     ORDER BY name, id",
                );
        }
    }
    let ids: Vec<Uuid> = sql
        .load::<Id>(conn)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect();
    if ids.is_empty() {
        return Err(StoreError::Conflict(format!(
            "step “{}” has no approver for this record",
            step.name
        )));
    }
    Ok(ids)
}

/// Gives step `index` its tasks (in turn: the first pending, the rest waiting) and tells whom
/// it waits for.
#[allow(clippy::too_many_arguments)]
pub(super) async fn start_step(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    approval: Uuid,
    index: i32,
    step: &Step,
    users: &[Uuid],
    notice: &Value,
    by: Uuid,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    for (i, user) in users.iter().enumerate() {
        let turn = step.mode != Mode::Sequential || i == 0;
        let position = if step.mode == Mode::Sequential {
            i as i32
        } else {
            0
        };
        add_task(conn, approval, index, position, *user, turn).await?;
        if turn {
            tell(
                conn,
                org_id,
                *user,
                NotificationKind::ApprovalRequested,
                approval,
                notice,
                by,
                now,
            )
            .await?;
        }
    }
    Ok(())
}

pub(super) async fn add_task(
    conn: &mut AsyncPgConnection,
    approval: Uuid,
    step: i32,
    position: i32,
    user: Uuid,
    pending: bool,
) -> Result<(), StoreError> {
    let mut sql = Sql::new(
        "INSERT INTO approval_tasks (id, approval_id, step, position, approver_id, state) VALUES \
         (gen_random_uuid(), ",
    );
    sql.bind(Bind::Uuid(approval))
        .push(", ")
        .bind(Bind::Int(step))
        .push(", ")
        .bind(Bind::Int(position))
        .push(", ")
        .bind(Bind::Uuid(user))
        .push(", ")
        .bind(Bind::Text(
            if pending { "pending" } else { "waiting" }.into(),
        ))
        .push(")");
    sql.execute(conn).await?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn tell(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    user: Uuid,
    kind: NotificationKind,
    approval: Uuid,
    params: &Value,
    by: Uuid,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let n = New {
        org_id,
        user_id: user,
        kind,
        entity: Some("approval"),
        entity_id: Some(approval),
        params: params.clone(),
        dedupe_key: format!("{}:{approval}:{}", kind.as_str(), Uuid::now_v7()),
        by: Some(by),
    };
    notifications::notify(conn, &n, now).await?;
    Ok(())
}

pub(super) async fn bump(conn: &mut AsyncPgConnection, id: Uuid) -> Result<(), StoreError> {
    let mut sql = Sql::new("UPDATE approvals SET version = version + 1 WHERE id = ");
    sql.bind(Bind::Uuid(id));
    sql.execute(conn).await?;
    Ok(())
}

pub(super) async fn set_task(
    conn: &mut AsyncPgConnection,
    task: Uuid,
    state: &str,
    comment: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut sql = Sql::new("UPDATE approval_tasks SET state = ");
    sql.bind(Bind::Text(state.into()))
        .push(", comment = ")
        .bind_opt(comment.map(|c| Bind::Text(c.into())))
        .push(", acted_at = ")
        .bind(Bind::Timestamp(now))
        .push(" WHERE id = ")
        .bind(Bind::Uuid(task));
    sql.execute(conn).await?;
    Ok(())
}

/// Ends the approval in `state`; the tasks still open are skipped.
pub(super) async fn close(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    state: ApprovalState,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut sql = Sql::new("UPDATE approvals SET state = ");
    sql.bind(Bind::Text(state.as_str().into()))
        .push(", decided_at = ")
        .bind(Bind::Timestamp(now))
        .push(" WHERE id = ")
        .bind(Bind::Uuid(id));
    sql.execute(conn).await?;
    let mut rest = Sql::new(
        "UPDATE approval_tasks SET state = 'skipped' WHERE state IN ('pending', 'waiting') AND approval_id = ",
    );
    rest.bind(Bind::Uuid(id));
    rest.execute(conn).await?;
    Ok(())
}

/// Whether step `step` is decided after an approval: one suffices (any), none is left (all), or
/// the next in turn takes it up (in turn; done when none is left).
pub(super) async fn step_done(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    step: i32,
    mode: Mode,
) -> Result<bool, StoreError> {
    let open = |states: &str| {
        let mut sql = Sql::new("SELECT count(*) AS n FROM approval_tasks WHERE approval_id = ");
        sql.bind(Bind::Uuid(id))
            .push(" AND step = ")
            .bind(Bind::Int(step))
            .push(&format!(" AND state IN ({states})"));
        sql
    };
    match mode {
        Mode::Any => Ok(true),
        Mode::All => Ok(open("'pending', 'waiting'").count(conn).await? == 0),
        Mode::Sequential => {
            if open("'pending'").count(conn).await? > 0 {
                return Ok(false);
            }
            let mut next = Sql::new(
                "UPDATE approval_tasks SET state = 'pending' WHERE id = (SELECT id FROM approval_tasks \
                 WHERE approval_id = ",
            );
            next.bind(Bind::Uuid(id))
                .push(" AND step = ")
                .bind(Bind::Int(step))
                .push(
                    " AND state = 'waiting' ORDER BY position LIMIT 1) RETURNING approver_id AS id",
                );
            Ok(next.get_result::<Id>(conn).await.optional()?.is_none())
        }
    }
}

/// After a decided step: the next step starts, or the approval is granted and its change made
/// (as the submitter, with the guard knowing which approval it is), and then spent.
pub(super) async fn advance(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    a: &Locked,
    steps: &[Step],
    record: &Value,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut rest = Sql::new(
        "UPDATE approval_tasks SET state = 'skipped' WHERE state IN ('pending', 'waiting') AND approval_id = ",
    );
    rest.bind(Bind::Uuid(id))
        .push(" AND step = ")
        .bind(Bind::Int(a.step));
    rest.execute(conn).await?;
    let next = a.step + 1;
    if let Some(step) = steps.get(next as usize) {
        let owner = record["owner_id"].as_str().and_then(|s| s.parse().ok());
        let users = approvers(conn, scope.org_id, step, owner, a.submitted_by).await?;
        let mut sql = Sql::new("UPDATE approvals SET step = ");
        sql.bind(Bind::Int(next))
            .push(" WHERE id = ")
            .bind(Bind::Uuid(id));
        sql.execute(conn).await?;
        let notice = notice(&a.process, record, None);
        return start_step(
            conn,
            scope.org_id,
            id,
            next,
            step,
            &users,
            &notice,
            a.submitted_by,
            now,
        )
        .await;
    }
    close(conn, id, ApprovalState::Approved, now).await?;
    let mut applying = Sql::new("SELECT set_config('kehu.approval_id', ");
    applying.bind(Bind::Text(id.to_string())).push(", true)");
    applying.execute(conn).await?;
    let submitter = Scope {
        org_id: scope.org_id,
        user_id: a.submitted_by,
        role: Role::Admin,
        visible_owners: None,
    };
    let change = a.proposed.as_object().cloned().unwrap_or_default();
    writers::change(conn, &submitter, &a.entity, a.entity_id, change).await?;
    let mut spent = Sql::new("UPDATE approvals SET spent = true WHERE id = ");
    spent.bind(Bind::Uuid(id));
    spent.execute(conn).await?;
    event(
        conn,
        id,
        a.step,
        Entry {
            action: "approved",
            actor: None,
            target: None,
            comment: None,
        },
        now,
    )
    .await?;
    decided(
        conn,
        scope.org_id,
        id,
        a,
        record,
        ApprovalState::Approved,
        scope.user_id,
        now,
    )
    .await
}

/// Tells the submitter and the copied users how it ended.
#[allow(clippy::too_many_arguments)]
pub(super) async fn decided(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    id: Uuid,
    a: &Locked,
    record: &Value,
    state: ApprovalState,
    by: Uuid,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let params = notice(&a.process, record, Some(state));
    let mut told = vec![a.submitted_by];
    for u in &a.cc {
        if !told.contains(u) {
            told.push(*u);
        }
    }
    for user in told {
        tell(
            conn,
            org_id,
            user,
            NotificationKind::ApprovalDecided,
            id,
            &params,
            by,
            now,
        )
        .await?;
    }
    Ok(())
}
