//! Scheduled jobs and the nightly pruning: two runners queue a due schedule once between them,
//! missed runs collapse into one, a changed expression takes effect, and pruning removes what
//! is past keeping — finished jobs, the delivery log, outbox events — and nothing else. Time is
//! the runners' clock, set by the test (in 2030, so the server's own runner finds nothing due).

use api::jobs::{Clock, Outcome, Run, Runner};
use chrono::{DateTime, Duration, Utc};
use diesel::{sql_types, QueryableByName};
use diesel_async::RunQueryDsl;
use futures::future::join;
use persistence::db::{self, DbPool};
use persistence::job_schedules;
use persistence::jobs::{self, NewJob};
use serde_json::json;
use std::future::Future;
use std::pin::Pin;
use testkit::TestApp;

const TICK: &str = "tick";

/// The test's scheduled job: records each run.
fn tick(run: Run) -> Pin<Box<dyn Future<Output = Outcome> + Send>> {
    Box::pin(async move {
        let mut conn = db::conn(&run.pool).await.map_err(|e| e.to_string())?;
        diesel::sql_query("INSERT INTO ticks (at) VALUES ($1)")
            .bind::<sql_types::Timestamptz, _>(run.now())
            .execute(&mut conn)
            .await
            .map_err(|e| e.to_string())?;
        Ok(json!({}))
    })
}

fn t0() -> DateTime<Utc> {
    "2030-03-01T10:07:00Z".parse().expect("time")
}

#[derive(QueryableByName)]
struct N {
    #[diesel(sql_type = sql_types::BigInt)]
    n: i64,
}

async fn count(pool: &DbPool, sql: &str) -> i64 {
    let mut conn = db::conn(pool).await.expect("connection");
    let row: N = diesel::sql_query(sql)
        .get_result(&mut conn)
        .await
        .expect(sql);
    row.n
}

#[derive(QueryableByName)]
struct Next {
    #[diesel(sql_type = sql_types::Timestamptz)]
    next_run_at: DateTime<Utc>,
}

async fn next_run(pool: &DbPool, kind: &str) -> DateTime<Utc> {
    let mut conn = db::conn(pool).await.expect("connection");
    let row: Next = diesel::sql_query("SELECT next_run_at FROM job_schedules WHERE kind = $1")
        .bind::<sql_types::Text, _>(kind)
        .get_result(&mut conn)
        .await
        .expect("schedule");
    row.next_run_at
}

fn runner(
    app: &TestApp,
    node: &str,
    clock: &Clock,
    handlers: Vec<(&'static str, api::jobs::Handler)>,
) -> Runner {
    let pool = db::pool(&app.db.url, 2).expect("pool");
    Runner::new(pool, node.to_string(), clock.clone(), handlers)
}

#[tokio::test]
async fn a_due_schedule_runs_once_between_two_runners_and_missed_runs_collapse() {
    let app = TestApp::spawn().await;
    app.sql("CREATE TABLE ticks (at timestamptz NOT NULL)")
        .await;
    let pool = db::pool(&app.db.url, 4).expect("pool");
    {
        let mut conn = db::conn(&pool).await.expect("connection");
        job_schedules::ensure_platform(&mut conn, TICK, "*/15 * * * *", 480, t0())
            .await
            .expect("schedule");
    }
    let first = next_run(&pool, TICK).await;
    assert_eq!(
        first,
        "2030-03-01T10:15:00Z"
            .parse::<DateTime<Utc>>()
            .expect("time")
    );
    let clock = Clock::fixed(first - Duration::seconds(1));
    let (a, b) = (
        runner(&app, "node-a", &clock, vec![(TICK, tick)]),
        runner(&app, "node-b", &clock, vec![(TICK, tick)]),
    );
    let (ran_a, ran_b) = join(a.run_due(), b.run_due()).await;
    assert_eq!(ran_a.expect("a") + ran_b.expect("b"), 0, "not due yet");
    clock.set(first);
    let (ran_a, ran_b) = join(a.run_due(), b.run_due()).await;
    assert_eq!(
        ran_a.expect("a") + ran_b.expect("b"),
        1,
        "queued and run once"
    );
    assert_eq!(count(&pool, "SELECT count(*) AS n FROM ticks").await, 1);
    assert_eq!(
        next_run(&pool, TICK).await,
        first + Duration::minutes(15),
        "moved to its next time"
    );
    // Two hours with no process up: one run, then on from now.
    clock.set(first + Duration::hours(2) + Duration::minutes(1));
    assert_eq!(a.run_due().await.expect("a"), 1);
    assert_eq!(a.run_due().await.expect("a"), 0);
    assert_eq!(count(&pool, "SELECT count(*) AS n FROM ticks").await, 2);
    assert_eq!(
        next_run(&pool, TICK).await,
        first + Duration::hours(2) + Duration::minutes(15)
    );
    // The same expression again leaves the schedule; a new one moves it.
    let mut conn = db::conn(&pool).await.expect("connection");
    let later = first + Duration::days(3);
    job_schedules::ensure_platform(&mut conn, TICK, "*/15 * * * *", 480, later)
        .await
        .expect("same");
    assert_eq!(
        next_run(&pool, TICK).await,
        first + Duration::hours(2) + Duration::minutes(15)
    );
    job_schedules::ensure_platform(&mut conn, TICK, "0 9 * * *", 480, later)
        .await
        .expect("changed");
    // 09:00 in Beijing is 01:00 UTC.
    assert_eq!(
        next_run(&pool, TICK).await,
        "2030-03-05T01:00:00Z"
            .parse::<DateTime<Utc>>()
            .expect("time")
    );
    let bad = job_schedules::ensure_platform(&mut conn, TICK, "0 25 * * *", 0, later).await;
    assert!(bad.is_err());
}

#[tokio::test]
async fn pruning_removes_what_is_past_keeping_and_nothing_else() {
    let app = TestApp::spawn_with(|s| s.webhooks.send = false).await;
    let admin = app.signup("清理").await;
    let pool = db::pool(&app.db.url, 4).expect("pool");
    let endpoint = app
        .post("/api/v1/webhooks")
        .auth(&admin.token)
        .json(&json!({"url": "http://127.0.0.1:9/h", "event_types": ["account.created"]}))
        .send()
        .await;
    assert_eq!(endpoint.status, 201, "{endpoint:?}");
    let old = app
        .add_account(&admin, json!({"name": "老旧记录有限公司"}))
        .await;
    let waiting = app
        .add_account(&admin, json!({"name": "仍在投递有限公司"}))
        .await;
    let now = t0();
    let days_ago = |d: i64| (now - Duration::days(d)).to_rfc3339();
    // Every event is 40 days old; the first account's delivery finished 40 days ago, the
    // second's is still pending (its event must stay).
    app.sql(&format!(
        "UPDATE events SET at = '{e}'; \
         UPDATE webhook_deliveries SET state = 'delivered', finished_at = '{e}' \
           WHERE entity_id = '{old}'; \
         INSERT INTO jobs (id, org_id, kind, state, run_at, max_attempts, created_at, updated_at, finished_at) VALUES \
           (gen_random_uuid(), '{org}', 'import', 'done', '{e}', 1, '{e}', '{e}', '{e}'), \
           (gen_random_uuid(), '{org}', 'import', 'done', '{d10}', 1, '{d10}', '{d10}', '{d10}'), \
           (gen_random_uuid(), '{org}', 'import', 'dead', '{d100}', 1, '{d100}', '{d100}', '{d100}'), \
           (gen_random_uuid(), '{org}', 'import', 'dead', '{d60}', 1, '{d60}', '{d60}', '{d60}')",
        e = days_ago(40),
        d10 = days_ago(10),
        d60 = days_ago(60),
        d100 = days_ago(100),
        old = old["id"].as_str().expect("id"),
        org = admin.org_id,
    ))
    .await;
    let events_before = count(&pool, "SELECT count(*) AS n FROM events").await;
    assert!(events_before > 2);
    {
        let mut conn = db::conn(&pool).await.expect("connection");
        let job = NewJob {
            org_id: None,
            kind: api::maintenance::PRUNE.into(),
            payload: json!({}),
            dedupe_key: None,
            run_at: now,
            max_attempts: 3,
            created_by: None,
        };
        jobs::enqueue(&mut conn, &job, now).await.expect("queued");
    }
    let clock = Clock::fixed(now);
    let r = runner(
        &app,
        "node-a",
        &clock,
        vec![(api::maintenance::PRUNE, api::maintenance::prune)],
    );
    assert_eq!(r.run_due().await.expect("run"), 1);
    let waiting_id = waiting["id"].as_str().expect("id");
    assert_eq!(
        count(&pool, "SELECT count(*) AS n FROM webhook_deliveries").await,
        1,
        "the finished delivery went, the pending one stays"
    );
    assert_eq!(
        count(
            &pool,
            &format!("SELECT count(*) AS n FROM events WHERE entity_id = '{waiting_id}'")
        )
        .await,
        1
    );
    assert_eq!(count(&pool, "SELECT count(*) AS n FROM events").await, 1);
    // Kept: the 10-day-old done job, the 60-day-old dead one, and the pruning itself.
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) AS n FROM jobs WHERE kind = 'import'"
        )
        .await,
        2
    );
    let result = count(
        &pool,
        "SELECT (result->>'events')::bigint AS n FROM jobs WHERE kind = 'prune' AND state = 'done'",
    )
    .await;
    assert_eq!(result, events_before - 1);
    // The audit trail, the records' history, is not pruned.
    let history = app
        .get(&format!(
            "/api/v1/accounts/{}/history",
            old["id"].as_str().expect("id")
        ))
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(history.data().len(), 1, "{history:?}");
}
