//! Background jobs in PostgreSQL: asked for with [`enqueue`], claimed by any `kehu` process with
//! `FOR UPDATE SKIP LOCKED` ([`claim`]), which holds a lease it renews with each [`progress`]
//! report. A process that dies mid-job leaves its lease to run out, and the next claim takes the
//! job over; the attempt number fences the one that died (its late reports and its finish are
//! refused). A failed attempt waits out a backoff (`domain::job::backoff`); after `max_attempts`
//! the job is dead, kept with its last error until an admin retries it. Time is a parameter of
//! every step: the caller's clock, so tests choose it.

use crate::list::{self, Field, HasId, Kind, ListRequest, Spec};
use crate::schema::jobs;
use crate::scope::Scope;
use crate::sql::{Bind, Sql};
use crate::StoreError;
use chrono::{DateTime, Duration, Utc};
use diesel::{
    ExpressionMethods, OptionalExtension, QueryDsl, Queryable, QueryableByName, Selectable,
    SelectableHelper,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::job::{backoff, Job, JobState};
use domain::list::Page;
use serde_json::Value;
use uuid::Uuid;

pub static SPEC: Spec = Spec {
    table: "jobs",
    select: "id, kind, payload, state, run_at, attempt, max_attempts, last_error, done, total, \
             result, created_by, created_at, started_at, finished_at, updated_at",
    fields: &[
        Field::new("id", Kind::Uuid),
        Field::new("kind", Kind::Text),
        Field::new("state", Kind::Enum(&["queued", "running", "done", "dead"])),
        Field::new("run_at", Kind::Timestamp).sortable(),
        Field::new("created_by", Kind::Uuid).nullable(),
        Field::new("created_at", Kind::Timestamp).sortable(),
        Field::new("updated_at", Kind::Timestamp).sortable(),
    ],
    default_sort: "-created_at",
    owner_column: None,
    soft_delete: false,
    search: None,
};

#[derive(Queryable, QueryableByName, Selectable)]
#[diesel(table_name = jobs)]
pub struct JobRow {
    id: Uuid,
    kind: String,
    payload: Value,
    state: String,
    run_at: DateTime<Utc>,
    attempt: i32,
    max_attempts: i32,
    last_error: Option<String>,
    done: i64,
    total: Option<i64>,
    result: Option<Value>,
    created_by: Option<Uuid>,
    created_at: DateTime<Utc>,
    started_at: Option<DateTime<Utc>>,
    finished_at: Option<DateTime<Utc>>,
    updated_at: DateTime<Utc>,
}

impl From<JobRow> for Job {
    fn from(r: JobRow) -> Self {
        Job {
            id: r.id,
            kind: r.kind,
            // The column's check constraint allows only these.
            state: JobState::parse(&r.state).unwrap_or(JobState::Dead),
            payload: r.payload,
            run_at: r.run_at,
            attempt: r.attempt,
            max_attempts: r.max_attempts,
            last_error: r.last_error,
            done: r.done,
            total: r.total,
            rate: Job::rate_of(r.done, r.started_at, r.finished_at.unwrap_or(r.updated_at)),
            result: r.result,
            created_by: r.created_by,
            created_at: r.created_at,
            started_at: r.started_at,
            finished_at: r.finished_at,
            updated_at: r.updated_at,
        }
    }
}

impl HasId for Job {
    fn id(&self) -> Uuid {
        self.id
    }
}

/// A job to run.
#[derive(Debug, Clone)]
pub struct NewJob {
    /// `None`: the platform's own upkeep, which no organization lists.
    pub org_id: Option<Uuid>,
    pub kind: String,
    pub payload: Value,
    /// While a job of this key is queued, asking again returns that job (one that is already
    /// running may miss what the new request is about, so a second one queues behind it).
    pub dedupe_key: Option<String>,
    pub run_at: DateTime<Utc>,
    pub max_attempts: i32,
    pub created_by: Option<Uuid>,
}

/// Queues `job`, or returns the queued job of its dedupe key.
pub async fn enqueue(
    conn: &mut AsyncPgConnection,
    job: &NewJob,
    now: DateTime<Utc>,
) -> Result<Job, StoreError> {
    // Two tries: the live job found by the conflict may finish before it is read back.
    for _ in 0..2 {
        let inserted: Option<JobRow> = diesel::insert_into(jobs::table)
            .values((
                jobs::id.eq(Uuid::now_v7()),
                jobs::org_id.eq(job.org_id),
                jobs::kind.eq(&job.kind),
                jobs::payload.eq(&job.payload),
                jobs::dedupe_key.eq(&job.dedupe_key),
                jobs::state.eq(JobState::Queued.as_str()),
                jobs::run_at.eq(job.run_at),
                jobs::max_attempts.eq(job.max_attempts),
                jobs::created_by.eq(job.created_by),
                jobs::created_at.eq(now),
                jobs::updated_at.eq(now),
            ))
            .on_conflict_do_nothing()
            .returning(JobRow::as_returning())
            .get_result(conn)
            .await
            .optional()?;
        if let Some(row) = inserted {
            return Ok(row.into());
        }
        let live: Option<JobRow> = jobs::table
            .filter(jobs::dedupe_key.eq(&job.dedupe_key))
            .filter(jobs::state.eq(JobState::Queued.as_str()))
            .select(JobRow::as_select())
            .first(conn)
            .await
            .optional()?;
        if let Some(row) = live {
            return Ok(row.into());
        }
    }
    Err(StoreError::Conflict(format!(
        "the job `{}` kept finishing while it was asked for again; ask again",
        job.dedupe_key.as_deref().unwrap_or(&job.kind)
    )))
}

/// A job claimed by this process for one attempt.
#[derive(Debug, Clone, QueryableByName)]
pub struct Claim {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    pub id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Uuid>)]
    pub org_id: Option<Uuid>,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub kind: String,
    #[diesel(sql_type = diesel::sql_types::Jsonb)]
    pub payload: Value,
    /// This attempt's number: what fences its reports.
    #[diesel(sql_type = diesel::sql_types::Integer)]
    pub attempt: i32,
}

/// Claims the next due job of `kinds` (those `node` can run) until `now + lease`: a queued one
/// whose time has come, or
/// a running one whose lease ran out (its process stopped). A job whose lease ran out on its
/// last attempt is dead instead. `None` when nothing is due.
pub async fn claim(
    conn: &mut AsyncPgConnection,
    node: &str,
    kinds: &[String],
    now: DateTime<Utc>,
    lease: Duration,
) -> Result<Option<Claim>, StoreError> {
    let mut dead = Sql::new("UPDATE jobs SET state = 'dead', lease_until = NULL, finished_at = ");
    dead.bind(Bind::Timestamp(now))
        .push(", updated_at = ")
        .bind(Bind::Timestamp(now))
        .push(
            ", last_error = coalesce(last_error || '; ', '') || 'its process stopped during the last attempt' \
             WHERE state = 'running' AND attempt >= max_attempts AND lease_until < ",
        )
        .bind(Bind::Timestamp(now));
    dead.execute(conn).await?;

    let mut sql = Sql::new("UPDATE jobs SET state = 'running', claimed_by = ");
    sql.bind(Bind::Text(node.to_string()))
        .push(", lease_until = ")
        .bind(Bind::Timestamp(now + lease))
        .push(", attempt = attempt + 1, started_at = coalesce(started_at, ")
        .bind(Bind::Timestamp(now))
        .push("), updated_at = ")
        .bind(Bind::Timestamp(now))
        .push(
            " WHERE id = (SELECT id FROM jobs WHERE state IN ('queued', 'running') AND kind = ANY(",
        )
        .bind(Bind::TextArray(kinds.to_vec()))
        .push(") AND ((state = 'queued' AND run_at <= ")
        .bind(Bind::Timestamp(now))
        .push(") OR (state = 'running' AND lease_until < ")
        .bind(Bind::Timestamp(now))
        .push(
            ")) ORDER BY run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) \
             RETURNING id, org_id, kind, payload, attempt",
        );
    let claimed: Vec<Claim> = sql.load(conn).await?;
    Ok(claimed.into_iter().next())
}

/// When the next job of `kinds` falls due: the earliest queued `run_at` or running lease's end
/// (`None` when there is none). Read-only: what an idle runner sleeps until.
pub async fn next_due(
    conn: &mut AsyncPgConnection,
    kinds: &[String],
) -> Result<Option<DateTime<Utc>>, StoreError> {
    #[derive(QueryableByName)]
    struct Next {
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>)]
        at: Option<DateTime<Utc>>,
    }
    let mut sql = Sql::new(
        "SELECT min(CASE WHEN state = 'queued' THEN run_at ELSE lease_until END) AS at FROM jobs \
         WHERE state IN ('queued', 'running') AND kind = ANY(",
    );
    sql.bind(Bind::TextArray(kinds.to_vec())).push(")");
    let next: Vec<Next> = sql.load(conn).await?;
    Ok(next.into_iter().next().and_then(|n| n.at))
}

/// The claim's own row, while this attempt still holds it.
fn held(claim: &Claim) -> Sql {
    let mut sql = Sql::new(" WHERE id = ");
    sql.bind(Bind::Uuid(claim.id))
        .push(" AND attempt = ")
        .bind(Bind::Int(claim.attempt))
        .push(" AND state = 'running'");
    sql
}

/// Reports progress and renews the lease until `now + lease`; `false` when the attempt lost its
/// claim (another process took the job over): it should stop.
pub async fn progress(
    conn: &mut AsyncPgConnection,
    claim: &Claim,
    now: DateTime<Utc>,
    lease: Duration,
    done: i64,
    total: Option<i64>,
) -> Result<bool, StoreError> {
    let mut sql = Sql::new("UPDATE jobs SET done = ");
    sql.bind(Bind::BigInt(done));
    if let Some(total) = total {
        sql.push(", total = ").bind(Bind::BigInt(total));
    }
    sql.push(", lease_until = ")
        .bind(Bind::Timestamp(now + lease))
        .push(", updated_at = ")
        .bind(Bind::Timestamp(now))
        .append(held(claim));
    Ok(sql.execute(conn).await? == 1)
}

/// Finishes the attempt with `result`; `false` when it had lost its claim.
pub async fn finish(
    conn: &mut AsyncPgConnection,
    claim: &Claim,
    now: DateTime<Utc>,
    result: &Value,
) -> Result<bool, StoreError> {
    let mut sql = Sql::new("UPDATE jobs SET state = 'done', lease_until = NULL, finished_at = ");
    sql.bind(Bind::Timestamp(now))
        .push(", updated_at = ")
        .bind(Bind::Timestamp(now))
        .push(", result = ")
        .bind(Bind::Text(result.to_string()))
        .push("::jsonb")
        .append(held(claim));
    Ok(sql.execute(conn).await? == 1)
}

/// Records a failed attempt: queued again after its backoff, or dead after its last attempt.
/// `None` when the attempt had lost its claim.
pub async fn fail(
    conn: &mut AsyncPgConnection,
    claim: &Claim,
    now: DateTime<Utc>,
    error: &str,
) -> Result<Option<JobState>, StoreError> {
    #[derive(QueryableByName)]
    struct State {
        #[diesel(sql_type = diesel::sql_types::Text)]
        state: String,
    }
    let mut sql = Sql::new(
        "UPDATE jobs SET lease_until = NULL, state = CASE WHEN attempt >= max_attempts \
         THEN 'dead' ELSE 'queued' END, finished_at = CASE WHEN attempt >= max_attempts THEN ",
    );
    sql.bind(Bind::Timestamp(now))
        .push(" END, run_at = CASE WHEN attempt >= max_attempts THEN run_at ELSE ")
        .bind(Bind::Timestamp(now + backoff(claim.attempt)))
        .push(" END, updated_at = ")
        .bind(Bind::Timestamp(now))
        .push(", last_error = ")
        .bind(Bind::Text(error.to_string()))
        .append(held(claim))
        .push(" RETURNING state");
    let states: Vec<State> = sql.load(conn).await?;
    Ok(states
        .into_iter()
        .next()
        .and_then(|s| JobState::parse(&s.state)))
}

/// The organization's jobs, through the one list mechanism (`state=dead`, `kind=…`).
pub async fn list(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    req: &ListRequest,
) -> Result<Page<Job>, StoreError> {
    list::fetch::<JobRow, Job>(conn, &SPEC, scope, req, None).await
}

/// One of the organization's jobs (another organization's, or the platform's, is not found).
pub async fn get(conn: &mut AsyncPgConnection, scope: &Scope, id: Uuid) -> Result<Job, StoreError> {
    let row: JobRow = jobs::table
        .filter(jobs::org_id.eq(scope.org_id))
        .filter(jobs::id.eq(id))
        .select(JobRow::as_select())
        .first(conn)
        .await?;
    Ok(row.into())
}

/// Queues a dead job again, at `now`, with its attempts counted afresh. Any other state is a 409.
pub async fn retry(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<Job, StoreError> {
    let job = get(conn, scope, id).await?;
    if job.state != JobState::Dead {
        return Err(StoreError::Conflict(format!(
            "the job is {}: only a dead job can be retried",
            job.state.as_str()
        )));
    }
    let row: Option<JobRow> = diesel::update(
        jobs::table
            .filter(jobs::id.eq(id))
            .filter(jobs::state.eq(JobState::Dead.as_str())),
    )
    .set((
        jobs::state.eq(JobState::Queued.as_str()),
        jobs::attempt.eq(0),
        jobs::run_at.eq(now),
        jobs::finished_at.eq(None::<DateTime<Utc>>),
        jobs::updated_at.eq(now),
    ))
    .returning(JobRow::as_returning())
    .get_result(conn)
    .await
    .optional()
    .map_err(|e| match StoreError::from(e) {
        StoreError::Conflict(_) | StoreError::Taken(..) => {
            StoreError::Conflict("the same work is already queued as another job".into())
        }
        other => other,
    })?;
    row.map(Job::from).ok_or_else(|| {
        StoreError::Conflict("the job changed while it was retried; read it again".into())
    })
}
