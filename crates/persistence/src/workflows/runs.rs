//! A rule's run on one event: the plan (what a dry run shows), its effects through the generic
//! write path, and the worker's claim of pending runs, each record's in event order.

use super::{condition_request, get};
use crate::list::{self, ListRequest, Spec};
use crate::schema::workflow_rules;
use crate::scope::Scope;
use crate::sql::{Bind, Sql};
use crate::{activities, notifications, writers, StoreError};
use chrono::{DateTime, Duration, Utc};
use diesel::{sql_types, ExpressionMethods, OptionalExtension, QueryDsl, QueryableByName};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use domain::notification::NotificationKind;
use domain::role::Role;
use domain::workflow::{Action, DryRun, Effect, Recipient, RunState, WorkflowRule};
use serde_json::{json, Value};
use uuid::Uuid;

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
    let spec = writers::spec(&rule.entity)?;
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
            Action::CallWebhook { endpoint_id } => effects.push(Effect::CallWebhook {
                endpoint_id: *endpoint_id,
            }),
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
            Effect::CallWebhook { endpoint_id } => {
                let writer = writers::of(&rule.entity).ok_or(StoreError::NotFound)?;
                let object = (writer.get)(conn, scope, record_id).await?;
                let message = crate::webhook_deliveries::Outbound {
                    event_type: domain::workflow::WEBHOOK_EVENT,
                    entity_id: Some(record_id),
                    data: json!({"rule": {"id": rule.id, "name": rule.name},
                                 "entity": rule.entity, "id": record_id, "object": object}),
                };
                crate::webhook_deliveries::queue(conn, scope, *endpoint_id, &message, now).await?;
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
