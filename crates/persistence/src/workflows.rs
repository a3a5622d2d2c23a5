//! Workflow rules and their runs (migration 28). The outbox's trigger queues a run per enabled
//! rule an event concerns; [`claim`] hands pending runs to the outbox worker, each record's in
//! event order; [`run`] evaluates one and makes its effects through the generic write path
//! (`writers`), with the rule and depth set for the transaction so the rule's own changes do not
//! queue it again. [`plan`] is what a run would do: the dry run shows it, the real run makes it.

use crate::list::{self, Field, HasId, Kind, ListRequest, Spec};
use crate::schema::workflow_rules;
use crate::scope::Scope;
use crate::sql::{Bind, Sql};
use crate::{activities, notifications, writers, StoreError};
use chrono::{DateTime, Duration, Utc};
use diesel::{sql_types, ExpressionMethods, OptionalExtension, QueryDsl, QueryableByName};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use domain::list::Page;
use domain::notification::NotificationKind;
use domain::role::Role;
use domain::workflow::{
    Action, Changed, Condition, DryRun, Effect, Recipient, RunState, Trigger, WorkflowRule,
    WorkflowRuleInput, WorkflowRulePatch, WorkflowRun,
};
use serde_json::{json, Value};
use uuid::Uuid;

pub static SPEC: Spec = Spec {
    table: "workflow_rules",
    select: "id, entity, name, description, trigger, fields, conditions, changed, actions, \
             enabled, version, created_by, created_at, updated_at",
    fields: &[
        Field::new("entity", Kind::Text),
        Field::new("enabled", Kind::Bool),
        Field::new("name", Kind::Text).sortable(),
        Field::new("created_at", Kind::Timestamp).sortable(),
    ],
    default_sort: "name",
    owner_column: None,
    soft_delete: false,
    search: None,
};

pub static RUNS: Spec = Spec {
    table: "workflow_runs",
    select:
        "id, rule_id, (SELECT r.name FROM workflow_rules r WHERE r.id = workflow_runs.rule_id) \
             AS rule_name, entity, entity_id, action, state, effects, error, depth, created_at, \
             finished_at",
    fields: &[
        Field::new("rule_id", Kind::Uuid),
        Field::new("entity_id", Kind::Uuid),
        Field::new(
            "state",
            Kind::Enum(&["pending", "done", "skipped", "failed"]),
        ),
        Field::new("created_at", Kind::Timestamp).sortable(),
    ],
    default_sort: "-created_at",
    owner_column: None,
    soft_delete: false,
    search: None,
};

#[derive(QueryableByName)]
pub struct RuleRow {
    #[diesel(sql_type = sql_types::Uuid)]
    id: Uuid,
    #[diesel(sql_type = sql_types::Text)]
    entity: String,
    #[diesel(sql_type = sql_types::Text)]
    name: String,
    #[diesel(sql_type = sql_types::Text)]
    description: String,
    #[diesel(sql_type = sql_types::Text)]
    trigger: String,
    #[diesel(sql_type = sql_types::Array<sql_types::Text>)]
    fields: Vec<String>,
    #[diesel(sql_type = sql_types::Jsonb)]
    conditions: Value,
    #[diesel(sql_type = sql_types::Nullable<sql_types::Jsonb>)]
    changed: Option<Value>,
    #[diesel(sql_type = sql_types::Jsonb)]
    actions: Value,
    #[diesel(sql_type = sql_types::Bool)]
    enabled: bool,
    #[diesel(sql_type = sql_types::Integer)]
    version: i32,
    #[diesel(sql_type = sql_types::Uuid)]
    created_by: Uuid,
    #[diesel(sql_type = sql_types::Timestamptz)]
    created_at: DateTime<Utc>,
    #[diesel(sql_type = sql_types::Timestamptz)]
    updated_at: DateTime<Utc>,
}

impl From<RuleRow> for WorkflowRule {
    fn from(r: RuleRow) -> Self {
        // The JSON columns are written only from checked input.
        WorkflowRule {
            id: r.id,
            entity: r.entity,
            name: r.name,
            description: r.description,
            trigger: Trigger::parse(&r.trigger).unwrap_or(Trigger::Saved),
            fields: r.fields,
            conditions: serde_json::from_value(r.conditions).unwrap_or_default(),
            changed: r.changed.and_then(|c| serde_json::from_value(c).ok()),
            actions: serde_json::from_value(r.actions).unwrap_or_default(),
            enabled: r.enabled,
            version: r.version,
            created_by: r.created_by,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

impl HasId for WorkflowRule {
    fn id(&self) -> Uuid {
        self.id
    }
}

#[derive(QueryableByName)]
pub struct RunRow {
    #[diesel(sql_type = sql_types::Uuid)]
    id: Uuid,
    #[diesel(sql_type = sql_types::Uuid)]
    rule_id: Uuid,
    #[diesel(sql_type = sql_types::Nullable<sql_types::Text>)]
    rule_name: Option<String>,
    #[diesel(sql_type = sql_types::Text)]
    entity: String,
    #[diesel(sql_type = sql_types::Uuid)]
    entity_id: Uuid,
    #[diesel(sql_type = sql_types::Text)]
    action: String,
    #[diesel(sql_type = sql_types::Text)]
    state: String,
    #[diesel(sql_type = sql_types::Jsonb)]
    effects: Value,
    #[diesel(sql_type = sql_types::Nullable<sql_types::Text>)]
    error: Option<String>,
    #[diesel(sql_type = sql_types::Integer)]
    depth: i32,
    #[diesel(sql_type = sql_types::Timestamptz)]
    created_at: DateTime<Utc>,
    #[diesel(sql_type = sql_types::Nullable<sql_types::Timestamptz>)]
    finished_at: Option<DateTime<Utc>>,
}

impl From<RunRow> for WorkflowRun {
    fn from(r: RunRow) -> Self {
        WorkflowRun {
            id: r.id,
            rule_id: r.rule_id,
            rule_name: r.rule_name.unwrap_or_default(),
            entity: r.entity,
            entity_id: r.entity_id,
            action: r.action,
            state: RunState::parse(&r.state),
            effects: serde_json::from_value(r.effects).unwrap_or_default(),
            error: r.error,
            depth: r.depth,
            created_at: r.created_at,
            finished_at: r.finished_at,
        }
    }
}

impl HasId for WorkflowRun {
    fn id(&self) -> Uuid {
        self.id
    }
}

pub async fn list(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    req: &ListRequest,
) -> Result<Page<WorkflowRule>, StoreError> {
    list::fetch::<RuleRow, WorkflowRule>(conn, &SPEC, scope, req, None).await
}

pub async fn get(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
) -> Result<WorkflowRule, StoreError> {
    let mut sql = Sql::new(&format!("SELECT {} FROM workflow_rules", SPEC.select));
    sql.append(list::visible_where(&SPEC, scope))
        .push(" AND id = ")
        .bind(Bind::Uuid(id));
    Ok(sql.get_result::<RuleRow>(conn).await?.into())
}

/// The runs on one record (`entity_id`) or of one rule (`rule_id`): pass the narrowing as `req`'s
/// filters or `extra`.
pub async fn runs(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    req: &ListRequest,
    extra: Sql,
) -> Result<Page<WorkflowRun>, StoreError> {
    list::fetch::<RunRow, WorkflowRun>(conn, &RUNS, scope, req, Some(extra)).await
}

/// The runs on a record the caller can see (`entity`: the registry name), newest first.
pub async fn runs_on(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    entity: &str,
    id: Uuid,
    req: &ListRequest,
) -> Result<Page<WorkflowRun>, StoreError> {
    let spec = writers::of(entity)
        .and_then(|w| crate::stores::of(w.entity))
        .map(|s| s.spec)
        .ok_or_else(|| StoreError::invalid("entity", "entity", "not an entity rules run on"))?;
    let mut seen = Sql::new(&format!("SELECT count(*) AS n FROM {}", spec.table));
    seen.append(list::visible_where(spec, scope))
        .push(" AND id = ")
        .bind(Bind::Uuid(id));
    if seen.count(conn).await? == 0 {
        return Err(StoreError::NotFound);
    }
    let mut extra = Sql::new(" AND entity_id = ");
    extra.bind(Bind::Uuid(id));
    runs(conn, scope, req, extra).await
}

/// The list request of a rule's conditions against its entity (custom fields included); a
/// condition the list would refuse is refused here, naming it.
pub(crate) async fn condition_request(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    spec: &'static Spec,
    conditions: &[Condition],
) -> Result<ListRequest, StoreError> {
    let pairs: Vec<(String, String)> = conditions.iter().map(Condition::pair).collect();
    let fields = crate::custom_fields::of_entity(conn, org_id, spec.table).await?;
    let columns = crate::custom_columns::columns(&fields);
    ListRequest::parse_with(spec, &columns, &pairs)
        .map_err(|e| StoreError::invalid("conditions", "condition", &e.to_string()))
}

/// Checks what a rule names against the organization: its entity is written generically, its
/// conditions are list filters of it, its users are active members; a taken name is a 409.
async fn check(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    entity: &str,
    name: &str,
    conditions: &[Condition],
    actions: &[Action],
    except: Option<Uuid>,
) -> Result<&'static Spec, StoreError> {
    let Some(writer) = writers::of(entity) else {
        let known: Vec<&str> = writers::WRITERS.iter().map(|w| w.entity.name).collect();
        return Err(StoreError::invalid(
            "entity",
            "entity",
            &format!("rules are for {}", known.join(", ")),
        ));
    };
    let spec = crate::stores::of(writer.entity)
        .map(|s| s.spec)
        .ok_or(StoreError::NotFound)?;
    condition_request(conn, scope.org_id, spec, conditions).await?;
    for a in actions {
        let users = match a {
            Action::Assign { user_ids }
            | Action::CreateTask {
                to: Recipient::Users { user_ids },
                ..
            }
            | Action::Notify {
                to: Recipient::Users { user_ids },
                ..
            } => user_ids.as_slice(),
            _ => &[],
        };
        for u in users {
            if !crate::users::is_active_member(conn, scope.org_id, *u).await? {
                return Err(StoreError::invalid(
                    "actions",
                    "user",
                    &format!("{u} is not an active user of the organization"),
                ));
            }
        }
    }
    let taken: Option<Uuid> = workflow_rules::table
        .filter(workflow_rules::org_id.eq(scope.org_id))
        .filter(workflow_rules::name.eq(name))
        .filter(workflow_rules::id.ne(except.unwrap_or(Uuid::nil())))
        .select(workflow_rules::id)
        .first(conn)
        .await
        .optional()?;
    if taken.is_some() {
        return Err(StoreError::taken("name", "another rule has this name"));
    }
    Ok(spec)
}

pub async fn create(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    input: &WorkflowRuleInput,
    now: DateTime<Utc>,
) -> Result<WorkflowRule, StoreError> {
    check(
        conn,
        scope,
        &input.entity,
        &input.name,
        &input.conditions,
        &input.actions,
        None,
    )
    .await?;
    let id = Uuid::now_v7();
    diesel::insert_into(workflow_rules::table)
        .values((
            workflow_rules::id.eq(id),
            workflow_rules::org_id.eq(scope.org_id),
            workflow_rules::entity.eq(&input.entity),
            workflow_rules::name.eq(&input.name),
            workflow_rules::description.eq(&input.description),
            workflow_rules::trigger.eq(input.trigger.as_str()),
            workflow_rules::fields.eq(&input.fields),
            workflow_rules::conditions.eq(json!(input.conditions)),
            workflow_rules::changed.eq(input.changed.as_ref().map(|c| json!(c))),
            workflow_rules::actions.eq(json!(input.actions)),
            workflow_rules::enabled.eq(input.enabled),
            workflow_rules::created_by.eq(scope.user_id),
            workflow_rules::created_at.eq(now),
            workflow_rules::updated_at.eq(now),
        ))
        .execute(conn)
        .await?;
    get(conn, scope, id).await
}

pub async fn update(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    expected: Option<i32>,
    patch: &WorkflowRulePatch,
    now: DateTime<Utc>,
) -> Result<WorkflowRule, StoreError> {
    let current = get(conn, scope, id).await?;
    StoreError::check_version(current.version, expected)?;
    let name = patch.name.as_ref().unwrap_or(&current.name);
    let conditions = patch.conditions.as_ref().unwrap_or(&current.conditions);
    let actions = patch.actions.as_ref().unwrap_or(&current.actions);
    check(
        conn,
        scope,
        &current.entity,
        name,
        conditions,
        actions,
        Some(id),
    )
    .await?;
    let changed: Option<&Changed> = match &patch.changed {
        Some(c) => c.as_ref(),
        None => current.changed.as_ref(),
    };
    let n = diesel::update(
        workflow_rules::table
            .filter(workflow_rules::org_id.eq(scope.org_id))
            .filter(workflow_rules::id.eq(id))
            .filter(workflow_rules::version.eq(current.version)),
    )
    .set((
        workflow_rules::name.eq(name),
        workflow_rules::description.eq(patch.description.as_ref().unwrap_or(&current.description)),
        workflow_rules::trigger.eq(patch.trigger.unwrap_or(current.trigger).as_str()),
        workflow_rules::fields.eq(patch.fields.as_ref().unwrap_or(&current.fields)),
        workflow_rules::conditions.eq(json!(conditions)),
        workflow_rules::changed.eq(changed.map(|c| json!(c))),
        workflow_rules::actions.eq(json!(actions)),
        workflow_rules::enabled.eq(patch.enabled.unwrap_or(current.enabled)),
        workflow_rules::version.eq(current.version + 1),
        workflow_rules::updated_at.eq(now),
    ))
    .execute(conn)
    .await?;
    if n == 0 {
        return Err(StoreError::StaleVersion {
            expected: expected.unwrap_or(current.version),
            current: current.version + 1,
        });
    }
    get(conn, scope, id).await
}

pub async fn delete(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
) -> Result<(), StoreError> {
    let n = diesel::delete(
        workflow_rules::table
            .filter(workflow_rules::org_id.eq(scope.org_id))
            .filter(workflow_rules::id.eq(id)),
    )
    .execute(conn)
    .await?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Whom a rule acts as: its author, across the organization (a rule is an admin's).
fn acting(rule: &WorkflowRule, org_id: Uuid) -> Scope {
    Scope {
        org_id,
        user_id: rule.created_by,
        role: Role::Admin,
        visible_owners: None,
    }
}

/// The record as stored (its columns by name), live or, for a deleted one's event, binned.
pub(crate) async fn record(
    conn: &mut AsyncPgConnection,
    spec: &'static Spec,
    org_id: Uuid,
    id: Uuid,
    conditions: Option<&ListRequest>,
) -> Result<Option<Value>, StoreError> {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = sql_types::Jsonb)]
        record: Value,
    }
    let mut sql = Sql::new(&format!(
        "SELECT to_jsonb(r) AS record FROM (SELECT {} FROM {} WHERE org_id = ",
        spec.select, spec.table
    ));
    sql.bind(Bind::Uuid(org_id))
        .push(" AND id = ")
        .bind(Bind::Uuid(id));
    if let Some(req) = conditions {
        sql.append(list::filters_sql(req));
    }
    sql.push(") AS r");
    Ok(sql
        .get_result::<Row>(conn)
        .await
        .optional()?
        .map(|r| r.record))
}

/// What `rule` does to the record now, given the event's `changes`: `Err(reason)` when it
/// does not match. `take_turn`: a round-robin assignment takes its turn (the real run); a dry
/// run shows whose turn it is.
pub async fn plan(
    conn: &mut AsyncPgConnection,
    rule: &WorkflowRule,
    org_id: Uuid,
    record_id: Uuid,
    changes: &Value,
    now: DateTime<Utc>,
    take_turn: bool,
) -> Result<Result<Vec<Effect>, String>, StoreError> {
    let writer = writers::of(&rule.entity).ok_or(StoreError::NotFound)?;
    let spec = crate::stores::of(writer.entity)
        .map(|s| s.spec)
        .ok_or(StoreError::NotFound)?;
    if record(conn, spec, org_id, record_id, None).await?.is_none() {
        return Err(StoreError::NotFound);
    }
    let req = condition_request(conn, org_id, spec, &rule.conditions).await?;
    let Some(rec) = record(conn, spec, org_id, record_id, Some(&req)).await? else {
        return Ok(Err("the record does not match the conditions".into()));
    };
    if let Some(changed) = &rule.changed {
        if !changed.matches(changes) {
            return Ok(Err(format!(
                "the change does not match `{}`",
                changed.field
            )));
        }
    }
    let owner = rec["owner_id"]
        .as_str()
        .and_then(|s| s.parse::<Uuid>().ok());
    let to_users = |to: &Recipient| match to {
        Recipient::Owner => owner.into_iter().collect::<Vec<Uuid>>(),
        Recipient::Users { user_ids } => user_ids.clone(),
    };
    let mut effects = Vec::new();
    for action in &rule.actions {
        match action {
            Action::SetField { field, value } => effects.push(Effect::SetField {
                field: field.clone(),
                from: match field.strip_prefix("custom.") {
                    Some(key) => rec["custom"][key].clone(),
                    None => rec[field.as_str()].clone(),
                },
                to: value.clone(),
            }),
            Action::Assign { user_ids } => {
                let turn = turn(conn, rule.id, take_turn).await?;
                let to = user_ids[(turn as usize) % user_ids.len()];
                effects.push(Effect::SetField {
                    field: "owner_id".into(),
                    from: rec["owner_id"].clone(),
                    to: json!(to),
                });
            }
            Action::CreateTask {
                subject,
                due_in_days,
                to,
            } => {
                for owner_id in to_users(to) {
                    effects.push(Effect::CreateTask {
                        subject: subject.clone(),
                        due_at: now + Duration::days((*due_in_days).into()),
                        owner_id,
                    });
                }
            }
            Action::Notify { to, message } => {
                let user_ids = to_users(to);
                if !user_ids.is_empty() {
                    effects.push(Effect::Notify {
                        user_ids,
                        message: message.clone(),
                    });
                }
            }
        }
    }
    Ok(Ok(effects))
}

/// The round-robin's count of assignments so far; `take` counts this one (atomically, so two
/// runs at once take two turns).
async fn turn(conn: &mut AsyncPgConnection, rule: Uuid, take: bool) -> Result<i64, StoreError> {
    let q = workflow_rules::table.filter(workflow_rules::id.eq(rule));
    if take {
        let after: i64 = diesel::update(q)
            .set(workflow_rules::assigned.eq(workflow_rules::assigned + 1))
            .returning(workflow_rules::assigned)
            .get_result(conn)
            .await?;
        return Ok(after - 1);
    }
    Ok(q.select(workflow_rules::assigned).first(conn).await?)
}

/// Makes `effects` on the record as `scope`.
async fn apply(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    rule: &WorkflowRule,
    run_id: Uuid,
    record_id: Uuid,
    effects: &[Effect],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut patch = serde_json::Map::new();
    for e in effects {
        if let Effect::SetField { field, to, .. } = e {
            match field.strip_prefix("custom.") {
                Some(key) => {
                    let custom = patch.entry("custom").or_insert_with(|| json!({}));
                    custom[key] = to.clone();
                }
                None => {
                    patch.insert(field.clone(), to.clone());
                }
            }
        }
    }
    if !patch.is_empty() {
        let writer = writers::of(&rule.entity).ok_or(StoreError::NotFound)?;
        (writer.patch)(conn, scope, record_id, Value::Object(patch)).await?;
    }
    for (i, e) in effects.iter().enumerate() {
        match e {
            Effect::CreateTask {
                subject,
                due_at,
                owner_id,
            } => {
                let mut input: domain::activity::ActivityInput = serde_json::from_value(json!({
                    "kind": "task", "subject": subject, "entity": rule.entity,
                    "entity_id": record_id, "due_at": due_at, "owner_id": owner_id,
                }))
                .map_err(|e| StoreError::invalid("actions", "task", &e.to_string()))?;
                input.normalize(now).map_err(StoreError::Invalid)?;
                activities::create(conn, scope, &input).await?;
            }
            Effect::Notify { user_ids, message } => {
                for user in user_ids {
                    let notice = notifications::New {
                        org_id: scope.org_id,
                        user_id: *user,
                        kind: NotificationKind::WorkflowNotice,
                        entity: Some(&rule.entity),
                        entity_id: Some(record_id),
                        params: json!({"name": rule.name, "message": message}),
                        dedupe_key: format!("workflow:{run_id}:{i}"),
                        by: None,
                    };
                    notifications::notify(conn, &notice, now).await?;
                }
            }
            Effect::SetField { .. } => {}
        }
    }
    Ok(())
}

/// A dry run: what `rule` would do to the record now (nothing is written).
pub async fn dry_run(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    record_id: Uuid,
    changes: Option<&Value>,
    now: DateTime<Utc>,
) -> Result<DryRun, StoreError> {
    let rule = get(conn, scope, id).await?;
    let changes = changes.cloned().unwrap_or_else(|| json!([]));
    let planned = plan(conn, &rule, scope.org_id, record_id, &changes, now, false)
        .await
        .map_err(|e| e.or_invalid("record_id", "no such record of the rule's entity"))?;
    Ok(match planned {
        Ok(effects) => DryRun {
            matched: true,
            reason: None,
            effects,
        },
        Err(reason) => DryRun {
            matched: false,
            reason: Some(reason),
            effects: Vec::new(),
        },
    })
}

/// A pending run handed to a worker.
#[derive(QueryableByName, Debug)]
pub struct Pending {
    #[diesel(sql_type = sql_types::Uuid)]
    pub id: Uuid,
    #[diesel(sql_type = sql_types::Uuid)]
    org_id: Uuid,
    #[diesel(sql_type = sql_types::Uuid)]
    rule_id: Uuid,
    #[diesel(sql_type = sql_types::Uuid)]
    entity_id: Uuid,
    #[diesel(sql_type = sql_types::Jsonb)]
    changes: Value,
    #[diesel(sql_type = sql_types::Integer)]
    depth: i32,
}

/// Leases up to `limit` pending runs whose record has no earlier run pending (so each record's
/// runs go in event order), skipping what another worker holds.
pub async fn claim(
    conn: &mut AsyncPgConnection,
    now: DateTime<Utc>,
    lease: Duration,
    limit: i64,
) -> Result<Vec<Pending>, StoreError> {
    let mut sql = Sql::new("UPDATE workflow_runs SET leased_until = ");
    sql.bind(Bind::Timestamp(now + lease))
        .push(
            ", attempts = attempts + 1 WHERE id IN (SELECT w.id FROM workflow_runs w \
             WHERE w.state = 'pending' AND (w.leased_until IS NULL OR w.leased_until < ",
        )
        .bind(Bind::Timestamp(now))
        .push(
            ") AND NOT EXISTS (SELECT 1 FROM workflow_runs e WHERE e.state = 'pending' \
             AND e.entity_id = w.entity_id AND e.event_seq < w.event_seq) \
             ORDER BY w.event_seq LIMIT ",
        )
        .bind(Bind::BigInt(limit))
        .push(" FOR UPDATE SKIP LOCKED) RETURNING id, org_id, rule_id, entity_id, changes, depth");
    Ok(sql.load(conn).await?)
}

/// Runs one leased run in a transaction of its own and records how it ended. A failing
/// effect rolls the whole run back (nothing half-done) and records why.
pub async fn run(
    conn: &mut AsyncPgConnection,
    pending: &Pending,
    now: DateTime<Utc>,
) -> Result<RunState, StoreError> {
    let outcome = conn
        .transaction::<_, StoreError, _>(async |c| {
            let mut set = Sql::new("SELECT set_config('kehu.rule_id', ");
            set.bind(Bind::Text(pending.rule_id.to_string()))
                .push(", true), set_config('kehu.rule_depth', ")
                .bind(Bind::Text(pending.depth.to_string()))
                .push(", true)");
            set.execute(c).await?;
            let org = Scope {
                org_id: pending.org_id,
                user_id: Uuid::nil(),
                role: Role::Admin,
                visible_owners: None,
            };
            let rule = get(c, &org, pending.rule_id).await?;
            if !rule.enabled {
                return Ok((
                    RunState::Skipped,
                    Vec::new(),
                    Some("the rule is off".into()),
                ));
            }
            let planned = match plan(
                c,
                &rule,
                pending.org_id,
                pending.entity_id,
                &pending.changes,
                now,
                true,
            )
            .await
            {
                Err(StoreError::NotFound) => Err("the record is gone".to_string()),
                other => other?,
            };
            match planned {
                Err(reason) => Ok((RunState::Skipped, Vec::new(), Some(reason))),
                Ok(effects) => {
                    let scope = acting(&rule, pending.org_id);
                    apply(
                        c,
                        &scope,
                        &rule,
                        pending.id,
                        pending.entity_id,
                        &effects,
                        now,
                    )
                    .await?;
                    Ok((RunState::Done, effects, None))
                }
            }
        })
        .await;
    let (state, effects, error) = match outcome {
        Ok(done) => done,
        // Worth another attempt once the lease runs out.
        Err(e @ (StoreError::Unavailable(_) | StoreError::Pool(_))) => return Err(e),
        Err(e) => (RunState::Failed, Vec::new(), Some(e.to_string())),
    };
    let mut sql = Sql::new("UPDATE workflow_runs SET state = ");
    sql.bind(Bind::Text(
        match state {
            RunState::Done => "done",
            RunState::Skipped => "skipped",
            RunState::Failed => "failed",
            RunState::Pending => "pending",
        }
        .into(),
    ))
    .push(", effects = ")
    .bind(Bind::Text(json!(effects).to_string()))
    .push("::jsonb, error = ")
    .bind_opt(error.map(Bind::Text))
    .push(", finished_at = ")
    .bind(Bind::Timestamp(now))
    .push(" WHERE id = ")
    .bind(Bind::Uuid(pending.id));
    sql.execute(conn).await?;
    Ok(state)
}
