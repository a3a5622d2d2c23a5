//! Scheduled jobs: a cron expression (`domain::cron`) per kind of work. [`queue_due`] — called
//! by every runner before it claims — queues the job of each schedule that fell due and moves
//! the schedule on, in one transaction over rows taken with `SKIP LOCKED`, so however many
//! processes look, each run is queued once. Runs missed while no process was up are not made
//! up one by one: the schedule queues one job and moves on to its next time after now.

use crate::jobs::{self, NewJob};
use crate::sql::{Bind, Sql};
use crate::StoreError;
use chrono::{DateTime, Duration, Utc};
use diesel::{sql_types, QueryableByName};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use domain::cron::Cron;
use serde_json::Value;
use uuid::Uuid;

/// Attempts a scheduled run gets (the next run comes anyway).
const MAX_ATTEMPTS: i32 = 3;

/// When `cron` runs next after `now`; an expression that never does waits five years.
fn next(cron: &Cron, now: DateTime<Utc>, offset: i32) -> DateTime<Utc> {
    cron.next_after(now, offset)
        .unwrap_or(now + Duration::days(5 * 365))
}

/// Makes the platform's schedule of `kind` run at `cron` (read at `offset` minutes east of
/// UTC): added when missing, its next run recomputed when its expression changed.
pub async fn ensure_platform(
    conn: &mut AsyncPgConnection,
    kind: &str,
    cron: &str,
    offset: i32,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let parsed = Cron::parse(cron).map_err(StoreError::Conflict)?;
    let mut sql = Sql::new(
        "INSERT INTO job_schedules (id, kind, cron, utc_offset_minutes, next_run_at, created_at, \
         updated_at) VALUES (",
    );
    sql.bind(Bind::Uuid(Uuid::now_v7()))
        .push(", ")
        .bind(Bind::Text(kind.into()))
        .push(", ")
        .bind(Bind::Text(cron.into()))
        .push(", ")
        .bind(Bind::Int(offset))
        .push(", ")
        .bind(Bind::Timestamp(next(&parsed, now, offset)))
        .push(", ")
        .bind(Bind::Timestamp(now))
        .push(", ")
        .bind(Bind::Timestamp(now))
        .push(
            ") ON CONFLICT (kind) WHERE org_id IS NULL DO UPDATE SET cron = excluded.cron, \
             utc_offset_minutes = excluded.utc_offset_minutes, next_run_at = excluded.next_run_at, \
             updated_at = excluded.updated_at WHERE job_schedules.cron <> excluded.cron \
             OR job_schedules.utc_offset_minutes <> excluded.utc_offset_minutes",
        );
    sql.execute(conn).await?;
    Ok(())
}

#[derive(QueryableByName)]
struct Due {
    #[diesel(sql_type = sql_types::Uuid)]
    id: Uuid,
    #[diesel(sql_type = sql_types::Nullable<sql_types::Uuid>)]
    org_id: Option<Uuid>,
    #[diesel(sql_type = sql_types::Text)]
    kind: String,
    #[diesel(sql_type = sql_types::Jsonb)]
    payload: Value,
    #[diesel(sql_type = sql_types::Text)]
    cron: String,
    #[diesel(sql_type = sql_types::Integer)]
    utc_offset_minutes: i32,
}

/// Queues the job of every schedule due at `now` and moves each to its next time; returns how
/// many it queued. A job still waiting from the previous run is joined, not doubled.
pub async fn queue_due(
    conn: &mut AsyncPgConnection,
    now: DateTime<Utc>,
) -> Result<usize, StoreError> {
    conn.transaction::<_, StoreError, _>(async |c| {
        let mut sql = Sql::new(
            "SELECT id, org_id, kind, payload, cron, utc_offset_minutes FROM job_schedules \
             WHERE next_run_at <= ",
        );
        sql.bind(Bind::Timestamp(now))
            .push(" ORDER BY next_run_at LIMIT 100 FOR UPDATE SKIP LOCKED");
        let due: Vec<Due> = sql.load(c).await?;
        for s in &due {
            let job = NewJob {
                org_id: s.org_id,
                kind: s.kind.clone(),
                payload: s.payload.clone(),
                dedupe_key: Some(format!("schedule:{}", s.id)),
                run_at: now,
                max_attempts: MAX_ATTEMPTS,
                created_by: None,
            };
            jobs::enqueue(c, &job, now).await?;
            // Stored expressions were parsed when they were saved.
            let at = Cron::parse(&s.cron)
                .map(|cron| next(&cron, now, s.utc_offset_minutes))
                .unwrap_or(now + Duration::days(1));
            let mut moved = Sql::new("UPDATE job_schedules SET next_run_at = ");
            moved
                .bind(Bind::Timestamp(at))
                .push(", last_queued_at = ")
                .bind(Bind::Timestamp(now))
                .push(" WHERE id = ")
                .bind(Bind::Uuid(s.id));
            moved.execute(c).await?;
        }
        Ok(due.len())
    })
    .await
}

/// When the next schedule falls due (`None` without any), for an idle runner to wake then.
pub async fn next_due(conn: &mut AsyncPgConnection) -> Result<Option<DateTime<Utc>>, StoreError> {
    #[derive(QueryableByName)]
    struct Next {
        #[diesel(sql_type = sql_types::Nullable<sql_types::Timestamptz>)]
        at: Option<DateTime<Utc>>,
    }
    let next: Next = Sql::new("SELECT min(next_run_at) AS at FROM job_schedules")
        .get_result(conn)
        .await?;
    Ok(next.at)
}
