//! Workflow rules and their runs (migration 28). The outbox's trigger queues a run per enabled
//! rule an event concerns; [`claim`] hands pending runs to the outbox worker, each record's in
//! event order; [`run`] evaluates one and makes its effects through the generic write path
//! (`writers`), with the rule and depth set for the transaction so the rule's own changes do not
//! queue it again. [`plan`] is what a run would do: the dry run shows it, the real run makes it.

use crate::list::{self, Field, HasId, Kind, ListRequest, Spec};
use crate::schema::workflow_rules;
use crate::scope::Scope;
use crate::sql::{Bind, Sql};
use crate::{writers, StoreError};
use chrono::{DateTime, Utc};
use diesel::{sql_types, ExpressionMethods, OptionalExtension, QueryDsl, QueryableByName};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use domain::list::Page;
use domain::workflow::{
    Action, Changed, Condition, Recipient, RunState, Trigger, WorkflowRule, WorkflowRuleInput,
    WorkflowRulePatch, WorkflowRun,
};
use serde_json::{json, Value};
use uuid::Uuid;

mod runs;
pub(crate) use runs::record;
pub use runs::{claim, dry_run, plan, run, Pending};

pub static SPEC: Spec = Spec {
    table: "workflow_rules",
    select: "id, entity, name, description, trigger, date_field, offset_days, fields, conditions, changed, actions, \
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
    #[diesel(sql_type = sql_types::Nullable<sql_types::Text>)]
    date_field: Option<String>,
    #[diesel(sql_type = sql_types::Integer)]
    offset_days: i32,
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
            date_field: r.date_field,
            offset_days: r.offset_days,
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
    let spec = writers::spec(entity)?;
    if !crate::records::visible(conn, spec, scope, id, false).await? {
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
    let spec = writers::spec(entity)?;
    condition_request(conn, scope.org_id, spec, conditions).await?;
    for a in actions {
        if let Action::CallWebhook { endpoint_id } = a {
            crate::webhooks::get(conn, scope, *endpoint_id)
                .await
                .map_err(|e| e.or_invalid("actions", "no such webhook endpoint"))?;
        }
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
    moment_sql(
        conn,
        scope.org_id,
        &input.entity,
        input.trigger,
        input.date_field.as_deref(),
        0,
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
            workflow_rules::date_field.eq(&input.date_field),
            workflow_rules::offset_days.eq(input.offset_days),
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
    let trigger = patch.trigger.unwrap_or(current.trigger);
    let date_field = patch.date_field.as_ref().or(current.date_field.as_ref());
    moment_sql(
        conn,
        scope.org_id,
        &current.entity,
        trigger,
        date_field.map(String::as_str),
        0,
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
        workflow_rules::trigger.eq(trigger.as_str()),
        workflow_rules::date_field.eq(date_field),
        workflow_rules::offset_days.eq(patch.offset_days.unwrap_or(current.offset_days)),
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

/// For a `date` rule: the SQL of the moment it runs on a row (`field` plus `offset` days; a day
/// from midnight, Beijing time), checking that `field` is a date or time field of the entity.
/// `None` for the other triggers.
pub(crate) async fn moment_sql(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    entity: &str,
    trigger: Trigger,
    field: Option<&str>,
    offset: i32,
) -> Result<Option<String>, StoreError> {
    if trigger != Trigger::Date {
        return Ok(None);
    }
    let refuse = |msg: &str| StoreError::invalid("date_field", "date_field", msg);
    let field = field.ok_or_else(|| refuse("a date rule names its date field"))?;
    let e = domain::registry::entity(entity).ok_or_else(|| refuse("no such entity"))?;
    use domain::registry::fields::Input;
    let day = |col: String| {
        format!("((({col}) + {offset})::timestamp - interval '8 hours') AT TIME ZONE 'UTC'")
    };
    let moment = |col: String| format!("(({col}) + make_interval(days => {offset}))");
    if let Some(key) = field.strip_prefix("custom.") {
        let custom = crate::custom_fields::of_entity(conn, org_id, e.plural).await?;
        let f = custom
            .iter()
            .find(|f| f.key == key)
            .ok_or_else(|| refuse("no such custom field"))?;
        let text = format!("nullif(custom->>'{}', '')", f.key.replace('\'', ""));
        return match f.type_ {
            domain::custom::FieldType::Date => Ok(Some(day(format!("{text}::date")))),
            domain::custom::FieldType::Datetime => Ok(Some(moment(format!("{text}::timestamptz")))),
            _ => Err(refuse("not a date or time field")),
        };
    }
    let def = e
        .fields
        .iter()
        .find(|f| f.name == field)
        .ok_or_else(|| refuse("no such field"))?;
    match def.input {
        Input::Date => Ok(Some(day(def.name.to_string()))),
        Input::DateTime => Ok(Some(moment(def.name.to_string()))),
        _ => Err(refuse("not a date or time field")),
    }
}

/// Queues the runs of `date` rules whose moment came on a record since the rule last looked
/// (since its creation, the first time), up to `now`: one statement per rule, each rule taken
/// with `SKIP LOCKED` so two processes never queue a rule's runs twice. Returns the runs queued.
pub async fn queue_dated(
    conn: &mut AsyncPgConnection,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    #[derive(QueryableByName)]
    struct Dated {
        #[diesel(sql_type = sql_types::Uuid)]
        id: Uuid,
        #[diesel(sql_type = sql_types::Uuid)]
        org_id: Uuid,
        #[diesel(sql_type = sql_types::Text)]
        entity: String,
        #[diesel(sql_type = sql_types::Nullable<sql_types::Text>)]
        date_field: Option<String>,
        #[diesel(sql_type = sql_types::Integer)]
        offset_days: i32,
        #[diesel(sql_type = sql_types::Timestamptz)]
        since: DateTime<Utc>,
    }
    let mut queued = 0;
    loop {
        let n = conn
            .transaction::<_, StoreError, _>(async |c| {
                let mut next = Sql::new(
                    "SELECT id, org_id, entity, date_field, offset_days, \
                     coalesce(checked_until, created_at) AS since FROM workflow_rules \
                     WHERE enabled AND trigger = 'date' AND coalesce(checked_until, created_at) < ",
                );
                next.bind(Bind::Timestamp(now))
                    .push(" ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED");
                let Some(rule) = next.get_result::<Dated>(c).await.optional()? else {
                    return Ok(None);
                };
                let moment = moment_sql(
                    c,
                    rule.org_id,
                    &rule.entity,
                    Trigger::Date,
                    rule.date_field.as_deref(),
                    rule.offset_days,
                )
                .await;
                let mut n = 0;
                // A rule whose field was removed since queues nothing (and is looked at no more
                // until it changes).
                if let (Ok(Some(moment)), Ok(spec)) = (moment, writers::spec(&rule.entity)) {
                    let mut runs = Sql::new(
                        "INSERT INTO workflow_runs (id, org_id, rule_id, event_seq, entity, entity_id, \
                         action, changes, depth, created_at) SELECT gen_random_uuid(), org_id, ",
                    );
                    runs.bind(Bind::Uuid(rule.id))
                        .push(", 0, ")
                        .bind(Bind::Text(rule.entity.clone()))
                        .push(", id, 'date', '[]'::jsonb, 1, ")
                        .bind(Bind::Timestamp(now))
                        .push(&format!(" FROM {} WHERE org_id = ", spec.table))
                        .bind(Bind::Uuid(rule.org_id));
                    if spec.soft_delete {
                        runs.push(" AND deleted_at IS NULL");
                    }
                    runs.push(&format!(" AND {moment} > "))
                        .bind(Bind::Timestamp(rule.since))
                        .push(&format!(" AND {moment} <= "))
                        .bind(Bind::Timestamp(now));
                    n = runs.execute(c).await? as i64;
                }
                let mut seen = Sql::new("UPDATE workflow_rules SET checked_until = ");
                seen.bind(Bind::Timestamp(now))
                    .push(" WHERE id = ")
                    .bind(Bind::Uuid(rule.id));
                seen.execute(c).await?;
                Ok(Some(n))
            })
            .await?;
        match n {
            Some(n) => queued += n,
            None => return Ok(queued),
        }
    }
}
