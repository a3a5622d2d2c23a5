//! Approval processes: an admin's description of what needs approval and who approves, and
//! the guard every record write passes.

use crate::list::{self, Field, HasId, Kind, ListRequest, Spec};
use crate::scope::Scope;
use crate::sql::{Bind, Sql};
use crate::{workflows, writers, StoreError};
use chrono::{DateTime, Utc};
use diesel::{sql_types, QueryableByName};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::approval::{same, ApprovalProcess, ApprovalProcessInput, ApprovalProcessPatch};
use domain::list::Page;
use serde_json::Value;
use uuid::Uuid;

pub static PROCESSES: Spec = Spec {
    table: "approval_processes",
    select: "id, entity, name, conditions, guards, fields, steps, cc, enabled, version, \
             created_at, updated_at",
    fields: &[
        Field::new("entity", Kind::Text),
        Field::new("enabled", Kind::Bool),
        Field::new("name", Kind::Text).sortable(),
    ],
    default_sort: "name",
    owner_column: None,
    soft_delete: false,
    search: None,
};

#[derive(QueryableByName)]
pub(super) struct ProcessRow {
    #[diesel(sql_type = sql_types::Uuid)]
    id: Uuid,
    #[diesel(sql_type = sql_types::Text)]
    entity: String,
    #[diesel(sql_type = sql_types::Text)]
    name: String,
    #[diesel(sql_type = sql_types::Jsonb)]
    conditions: Value,
    #[diesel(sql_type = sql_types::Jsonb)]
    guards: Value,
    #[diesel(sql_type = sql_types::Array<sql_types::Text>)]
    fields: Vec<String>,
    #[diesel(sql_type = sql_types::Jsonb)]
    steps: Value,
    #[diesel(sql_type = sql_types::Array<sql_types::Uuid>)]
    cc: Vec<Uuid>,
    #[diesel(sql_type = sql_types::Bool)]
    enabled: bool,
    #[diesel(sql_type = sql_types::Integer)]
    version: i32,
    #[diesel(sql_type = sql_types::Timestamptz)]
    created_at: DateTime<Utc>,
    #[diesel(sql_type = sql_types::Timestamptz)]
    updated_at: DateTime<Utc>,
}

impl From<ProcessRow> for ApprovalProcess {
    fn from(r: ProcessRow) -> Self {
        // The JSON columns are written only from checked input.
        ApprovalProcess {
            id: r.id,
            entity: r.entity,
            name: r.name,
            conditions: serde_json::from_value(r.conditions).unwrap_or_default(),
            guards: serde_json::from_value(r.guards).unwrap_or_default(),
            fields: r.fields,
            steps: serde_json::from_value(r.steps).unwrap_or_default(),
            cc: r.cc,
            enabled: r.enabled,
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

impl HasId for ApprovalProcess {
    fn id(&self) -> Uuid {
        self.id
    }
}

pub(super) fn uuid_json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

pub async fn list_processes(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    req: &ListRequest,
) -> Result<Page<ApprovalProcess>, StoreError> {
    list::fetch::<ProcessRow, ApprovalProcess>(conn, &PROCESSES, scope, req, None).await
}

pub async fn get_process(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    id: Uuid,
) -> Result<ApprovalProcess, StoreError> {
    let mut sql = Sql::new(&format!(
        "SELECT {} FROM approval_processes WHERE org_id = ",
        PROCESSES.select
    ));
    sql.bind(Bind::Uuid(org_id))
        .push(" AND id = ")
        .bind(Bind::Uuid(id));
    Ok(sql.get_result::<ProcessRow>(conn).await?.into())
}

pub async fn create_process(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    input: &ApprovalProcessInput,
    now: DateTime<Utc>,
) -> Result<ApprovalProcess, StoreError> {
    let spec = writers::spec(&input.entity)?;
    workflows::condition_request(conn, scope.org_id, spec, &input.conditions).await?;
    let id = Uuid::now_v7();
    let mut sql = Sql::new(
        "INSERT INTO approval_processes (id, org_id, entity, name, conditions, guards, fields, \
         steps, cc, enabled, created_by, created_at, updated_at) VALUES (",
    );
    sql.bind(Bind::Uuid(id))
        .push(", ")
        .bind(Bind::Uuid(scope.org_id))
        .push(", ")
        .bind(Bind::Text(input.entity.clone()))
        .push(", ")
        .bind(Bind::Text(input.name.clone()))
        .push(", ")
        .bind(Bind::Text(uuid_json(&input.conditions)))
        .push("::jsonb, ")
        .bind(Bind::Text(uuid_json(&input.guards)))
        .push("::jsonb, ")
        .bind(Bind::TextArray(input.fields.clone()))
        .push(", ")
        .bind(Bind::Text(uuid_json(&input.steps)))
        .push("::jsonb, ")
        .bind(Bind::UuidArray(input.cc.clone()))
        .push(", ")
        .bind(Bind::Bool(input.enabled))
        .push(", ")
        .bind(Bind::Uuid(scope.user_id))
        .push(", ")
        .bind(Bind::Timestamp(now))
        .push(", ")
        .bind(Bind::Timestamp(now))
        .push(")");
    sql.execute(conn)
        .await
        .map_err(|e| match StoreError::from(e) {
            StoreError::Conflict(_) => StoreError::taken("name", "another process has this name"),
            e => e,
        })?;
    get_process(conn, scope.org_id, id).await
}

pub async fn update_process(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    expected: Option<i32>,
    patch: &ApprovalProcessPatch,
    now: DateTime<Utc>,
) -> Result<ApprovalProcess, StoreError> {
    let current = get_process(conn, scope.org_id, id).await?;
    StoreError::check_version(current.version, expected)?;
    let mut sql = Sql::new("UPDATE approval_processes SET name = ");
    sql.bind(Bind::Text(patch.name.clone().unwrap_or(current.name)))
        .push(", steps = ")
        .bind(Bind::Text(uuid_json(
            patch.steps.as_ref().unwrap_or(&current.steps),
        )))
        .push("::jsonb, cc = ")
        .bind(Bind::UuidArray(patch.cc.clone().unwrap_or(current.cc)))
        .push(", enabled = ")
        .bind(Bind::Bool(patch.enabled.unwrap_or(current.enabled)))
        .push(", version = version + 1, updated_at = ")
        .bind(Bind::Timestamp(now))
        .push(" WHERE org_id = ")
        .bind(Bind::Uuid(scope.org_id))
        .push(" AND id = ")
        .bind(Bind::Uuid(id))
        .push(" AND version = ")
        .bind(Bind::Int(current.version));
    if sql.execute(conn).await? == 0 {
        return Err(StoreError::StaleVersion {
            expected: expected.unwrap_or(current.version),
            current: current.version + 1,
        });
    }
    get_process(conn, scope.org_id, id).await
}

/// Refuses a write of a record that a process guards — it moves a guarded field to a guarded
/// value, or changes a field an approval held for while the record is in a guarded state —
/// unless it is the change of the approval being granted in this transaction. `before` is
/// `None` for a new record (created straight into a guarded state needs approval too).
pub async fn guard(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    entity: &str,
    id: Uuid,
    before: Option<&Value>,
    after: &Value,
) -> Result<(), StoreError> {
    let mut sql = Sql::new(&format!(
        "SELECT {} FROM approval_processes WHERE enabled AND org_id = ",
        PROCESSES.select
    ));
    sql.bind(Bind::Uuid(scope.org_id))
        .push(" AND entity = ")
        .bind(Bind::Text(entity.into()));
    let processes: Vec<ApprovalProcess> = sql
        .load::<ProcessRow>(conn)
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    for p in processes {
        let guarded_now = p.guards.iter().any(|g| g.holds_for(after));
        if !guarded_now {
            continue;
        }
        let entering = p
            .guards
            .iter()
            .any(|g| g.holds_for(after) && before.is_none_or(|b| !g.holds_for(b)));
        let held_changed = before.is_none_or(|b| {
            p.fields
                .iter()
                .any(|f| !same(&b[f.as_str()], &after[f.as_str()]))
        });
        if !entering && !held_changed {
            continue;
        }
        let spec = writers::spec(&p.entity)?;
        let req = workflows::condition_request(conn, scope.org_id, spec, &p.conditions).await?;
        if workflows::record(conn, spec, scope.org_id, id, Some(&req))
            .await?
            .is_none()
        {
            continue;
        }
        let mut granted = Sql::new(
            "SELECT count(*) AS n FROM approvals WHERE state = 'approved' AND NOT spent AND id::text = \
             current_setting('kehu.approval_id', true) AND entity_id = ",
        );
        granted
            .bind(Bind::Uuid(id))
            .push(" AND process_id = ")
            .bind(Bind::Uuid(p.id));
        if granted.count(conn).await? == 0 {
            return Err(StoreError::Conflict(format!(
                "this change needs approval (“{}”): submit it with POST /approvals \
                 {{\"process_id\": \"{}\", \"record_id\": \"{id}\", \"proposed\": {{…}}}}",
                p.name, p.id
            )));
        }
    }
    Ok(())
}
