//! Background jobs: two processes share a batch without running a job twice, a stopped
//! process's job is taken over (and its late end refused), failures back off then die, an admin
//! retries a dead job, progress is reported, and another organization never sees a job. The clock
//! is a parameter of the runner: no test waits for time to pass.

use api::jobs::{Clock, Outcome, Run, Runner};
use chrono::{DateTime, Duration, Utc};
use diesel::{sql_types, QueryableByName};
use diesel_async::RunQueryDsl;
use futures::future::join;
use persistence::db::{self, DbPool};
use persistence::jobs::{self, NewJob};
use serde_json::{json, Value};
use std::future::Future;
use std::pin::Pin;
use testkit::TestApp;
use uuid::Uuid;

const PROBE: &str = "probe";

/// The test's job: records each run in `probe_runs`; fails while its attempt is below the
/// payload's `succeed_on` (never, without one), reporting progress on the way.
fn probe(run: Run) -> Pin<Box<dyn Future<Output = Outcome> + Send>> {
    Box::pin(async move {
        let mut conn = db::conn(&run.pool).await.map_err(|e| e.to_string())?;
        diesel::sql_query("INSERT INTO probe_runs (job_id, attempt) VALUES ($1, $2)")
            .bind::<sql_types::Uuid, _>(run.claim.id)
            .bind::<sql_types::Integer, _>(run.claim.attempt)
            .execute(&mut conn)
            .await
            .map_err(|e| e.to_string())?;
        let succeed_on = run.claim.payload["succeed_on"].as_i64().unwrap_or(i64::MAX);
        if i64::from(run.claim.attempt) < succeed_on {
            return Err(format!("attempt {} refused on purpose", run.claim.attempt));
        }
        run.progress(7, Some(10)).await?;
        Ok(json!({"attempt": run.claim.attempt}))
    })
}

async fn setup() -> (TestApp, DbPool) {
    let app = TestApp::spawn().await;
    app.sql("CREATE TABLE probe_runs (job_id uuid NOT NULL, attempt integer NOT NULL)")
        .await;
    let pool = db::pool(&app.db.url, 4).expect("pool");
    (app, pool)
}

fn runner(app: &TestApp, node: &str, clock: &Clock) -> Runner {
    let pool = db::pool(&app.db.url, 2).expect("pool");
    Runner::new(pool, node.to_string(), clock.clone(), vec![(PROBE, probe)])
}

/// Runs what `r` finds due at `at`.
async fn run_at(r: &Runner, clock: &Clock, at: DateTime<Utc>) -> usize {
    clock.set(at);
    r.run_due().await.expect("run")
}

fn t0() -> DateTime<Utc> {
    DateTime::from_timestamp(1_900_000_000, 0).expect("time")
}

async fn enqueue(pool: &DbPool, org: Uuid, payload: Value, max_attempts: i32) -> Uuid {
    let mut conn = db::conn(pool).await.expect("connection");
    let job = NewJob {
        org_id: Some(org),
        kind: PROBE.into(),
        payload,
        dedupe_key: None,
        run_at: t0(),
        max_attempts,
        created_by: None,
    };
    jobs::enqueue(&mut conn, &job, t0())
        .await
        .expect("queued")
        .id
}

#[derive(QueryableByName)]
struct Runs {
    #[diesel(sql_type = sql_types::Uuid)]
    job_id: Uuid,
    #[diesel(sql_type = sql_types::BigInt)]
    n: i64,
}

async fn runs(pool: &DbPool) -> Vec<Runs> {
    let mut conn = db::conn(pool).await.expect("connection");
    diesel::sql_query("SELECT job_id, count(*) AS n FROM probe_runs GROUP BY job_id")
        .load(&mut conn)
        .await
        .expect("runs")
}

#[tokio::test]
async fn two_processes_run_a_batch_of_jobs_exactly_once_between_them() {
    let (app, pool) = setup().await;
    let admin = app.signup("作业").await;
    let mut ids = Vec::new();
    for _ in 0..60 {
        ids.push(enqueue(&pool, admin.org_id, json!({"succeed_on": 1}), 3).await);
    }
    let clock = Clock::fixed(t0());
    let (a, b) = (
        runner(&app, "node-a", &clock),
        runner(&app, "node-b", &clock),
    );
    let (ran_a, ran_b) = join(a.run_due(), b.run_due()).await;
    let (ran_a, ran_b) = (ran_a.expect("a"), ran_b.expect("b"));
    assert_eq!(ran_a + ran_b, 60, "a ran {ran_a}, b ran {ran_b}");
    // Each on its own connections, as two processes are: they share the batch.
    assert!(ran_a > 0 && ran_b > 0, "a ran {ran_a}, b ran {ran_b}");
    let runs = runs(&pool).await;
    assert_eq!(runs.len(), 60);
    assert!(runs.iter().all(|r| r.n == 1 && ids.contains(&r.job_id)));
    let done = app
        .get("/api/v1/jobs?state=done&count=true&limit=1")
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(done.body["total"], 60, "{done:?}");
    // Nothing is left for either.
    assert_eq!(run_at(&a, &clock, t0() + Duration::hours(1)).await, 0);
}

#[tokio::test]
async fn a_stopped_processs_job_is_taken_over_and_its_late_end_is_refused() {
    let (app, pool) = setup().await;
    let admin = app.signup("接管").await;
    let id = enqueue(&pool, admin.org_id, json!({"succeed_on": 1}), 3).await;
    // Node a claims the job and stops (kill -9): it never reports again.
    let clock = Clock::fixed(t0());
    let b = runner(&app, "node-b", &clock);
    let lease = b.lease();
    let mut conn = db::conn(&pool).await.expect("connection");
    let kinds = vec![PROBE.to_string()];
    let stopped = jobs::claim(&mut conn, "node-a", &kinds, t0(), lease)
        .await
        .expect("claim")
        .expect("due");
    assert_eq!((stopped.id, stopped.attempt), (id, 1));
    // While its lease holds, nobody else takes it.
    assert_eq!(
        run_at(&b, &clock, t0() + lease - Duration::seconds(1)).await,
        0
    );
    // Once it has run out, b takes the job over and finishes it.
    assert_eq!(
        run_at(&b, &clock, t0() + lease + Duration::seconds(1)).await,
        1
    );
    let job = app
        .get(&format!("/api/v1/jobs/{id}"))
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(job.status, 200, "{job:?}");
    assert_eq!(job.body["state"], "done");
    assert_eq!(job.body["attempt"], 2);
    assert_eq!(job.body["result"], json!({"attempt": 2}));
    // a comes back: its progress and its end belong to an attempt that is over.
    let late = t0() + lease * 2;
    assert!(!jobs::progress(&mut conn, &stopped, late, lease, 1, None)
        .await
        .expect("progress"));
    assert!(
        !jobs::finish(&mut conn, &stopped, late, &json!({"late": true}))
            .await
            .expect("finish")
    );
    assert_eq!(
        jobs::fail(&mut conn, &stopped, late, "late")
            .await
            .expect("fail"),
        None
    );
    let runs = runs(&pool).await;
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].n, 1, "only b ran the handler");

    // A job whose process stops on its last attempt is dead, not run a fourth time.
    let last = enqueue(&pool, admin.org_id, json!({}), 1).await;
    let claimed = jobs::claim(&mut conn, "node-a", &kinds, t0(), lease)
        .await
        .expect("claim")
        .expect("due");
    assert_eq!(claimed.id, last);
    assert_eq!(run_at(&b, &clock, t0() + lease * 3).await, 0);
    let dead = app
        .get(&format!("/api/v1/jobs/{last}"))
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(dead.body["state"], "dead", "{dead:?}");
    assert!(dead.body["last_error"]
        .as_str()
        .is_some_and(|e| e.contains("stopped")));
}

#[tokio::test]
async fn failures_back_off_then_die_and_an_admin_retries_a_dead_job() {
    let (app, pool) = setup().await;
    let admin = app.signup("重试").await;
    let sales = app.add_user(&admin, "sales", None).await;
    let other = app.signup("别家作业").await;
    let id = enqueue(&pool, admin.org_id, json!({}), 3).await;
    let clock = Clock::fixed(t0());
    let r = runner(&app, "node-a", &clock);
    let get = |session: &testkit::Session| {
        let (app, token) = (&app, session.token.clone());
        async move {
            app.get(&format!("/api/v1/jobs/{id}"))
                .auth(&token)
                .send()
                .await
        }
    };

    assert_eq!(run_at(&r, &clock, t0()).await, 1);
    let after_one = get(&admin).await;
    assert_eq!(after_one.body["state"], "queued", "{after_one:?}");
    assert_eq!(after_one.body["attempt"], 1);
    assert_eq!(after_one.body["last_error"], "attempt 1 refused on purpose");
    // 5 s after the first failure, 10 s after the second: nothing runs before its time, and an
    // idle runner sleeps until then.
    let second = t0() + Duration::seconds(5);
    let mut conn = db::conn(&pool).await.expect("connection");
    let kinds = vec![PROBE.to_string()];
    assert_eq!(
        jobs::next_due(&mut conn, &kinds).await.expect("next"),
        Some(second)
    );
    let others = vec!["import".to_string()];
    assert_eq!(
        jobs::next_due(&mut conn, &others).await.expect("next"),
        None
    );
    assert_eq!(
        run_at(&r, &clock, second - Duration::milliseconds(1)).await,
        0
    );
    assert_eq!(run_at(&r, &clock, second).await, 1);
    let third = second + Duration::seconds(10);
    assert_eq!(
        run_at(&r, &clock, third - Duration::milliseconds(1)).await,
        0
    );
    assert_eq!(run_at(&r, &clock, third).await, 1);
    // The third failure was the last attempt: the job is dead and stays so.
    assert_eq!(run_at(&r, &clock, third + Duration::days(1)).await, 0);
    let dead = app
        .get("/api/v1/jobs?state=dead")
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(dead.data().len(), 1, "{dead:?}");
    assert_eq!(dead.data()[0]["id"], json!(id));
    assert_eq!(dead.data()[0]["attempt"], 3);
    assert_eq!(dead.data()[0]["last_error"], "attempt 3 refused on purpose");

    // Admins only; another organization's admin does not find it.
    assert!(get(&sales).await.is_problem(403));
    assert!(get(&other).await.is_problem(404));
    let elsewhere = app.get("/api/v1/jobs").auth(&other.token).send().await;
    assert!(elsewhere.data().is_empty(), "{elsewhere:?}");
    let stranger = app
        .post(&format!("/api/v1/jobs/{id}/retry"))
        .auth(&other.token)
        .send()
        .await;
    assert!(stranger.is_problem(404), "{stranger:?}");

    // The retry queues it now with its attempts counted afresh; a second retry is a conflict.
    let retried = app
        .post(&format!("/api/v1/jobs/{id}/retry"))
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(retried.status, 200, "{retried:?}");
    assert_eq!(retried.body["state"], "queued");
    assert_eq!(retried.body["attempt"], 0);
    let again = app
        .post(&format!("/api/v1/jobs/{id}/retry"))
        .auth(&admin.token)
        .send()
        .await;
    assert!(again.is_problem(409), "{again:?}");
    assert_eq!(runs(&pool).await[0].n, 3);
}

#[tokio::test]
async fn a_job_reports_its_progress_and_result() {
    let (app, pool) = setup().await;
    let admin = app.signup("进度").await;
    let id = enqueue(&pool, admin.org_id, json!({"succeed_on": 2}), 5).await;
    let clock = Clock::fixed(t0());
    let r = runner(&app, "node-a", &clock);
    assert_eq!(run_at(&r, &clock, t0()).await, 1);
    assert_eq!(run_at(&r, &clock, t0() + Duration::seconds(5)).await, 1);
    let job = app
        .get(&format!("/api/v1/jobs/{id}"))
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(job.body["state"], "done", "{job:?}");
    assert_eq!(job.body["done"], 7);
    assert_eq!(job.body["total"], 10);
    // Started at t0, done 5 s later: 7 units in 5 s.
    assert_eq!(job.body["rate"], 1.4);
    assert_eq!(job.body["result"], json!({"attempt": 2}));
    assert!(
        job.body["last_error"].is_string(),
        "the first attempt's error is kept"
    );
}

#[tokio::test]
async fn upkeep_runs_as_one_platform_job_that_no_organization_lists() {
    let app = TestApp::spawn().await;
    let admin = app.signup("维护").await;
    // A filterable custom field asks for its index: the upkeep runs as a job and builds it.
    let f = app
        .post("/api/v1/custom-fields")
        .auth(&admin.token)
        .json(
            &json!({"entity": "accounts", "key": "grade", "type": "text", "filterable": true,
                      "label": {"zh": "等级", "en": "Grade"}}),
        )
        .send()
        .await;
    assert_eq!(f.status, 201, "{f:?}");
    let id = f.body["id"].as_str().unwrap_or_default().to_string();
    let mut ready = false;
    for _ in 0..100 {
        let field = app
            .get(&format!("/api/v1/custom-fields/{id}"))
            .auth(&admin.token)
            .send()
            .await;
        if field.body["index"] == "ready" {
            ready = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(ready, "the index was built");
    #[derive(QueryableByName)]
    struct Upkeep {
        #[diesel(sql_type = sql_types::Text)]
        state: String,
        #[diesel(sql_type = sql_types::Nullable<sql_types::Uuid>)]
        org_id: Option<Uuid>,
    }
    let pool = db::pool(&app.db.url, 1).expect("pool");
    let mut conn = db::conn(&pool).await.expect("connection");
    let upkeep: Vec<Upkeep> =
        diesel::sql_query("SELECT state, org_id FROM jobs WHERE kind = 'maintenance'")
            .load(&mut conn)
            .await
            .expect("jobs");
    assert!(!upkeep.is_empty());
    assert!(upkeep.iter().all(|j| j.org_id.is_none()));
    assert!(upkeep.iter().any(|j| j.state == "done"));
    let listed = app.get("/api/v1/jobs").auth(&admin.token).send().await;
    assert_eq!(listed.status, 200, "{listed:?}");
    assert!(
        listed.data().is_empty(),
        "the platform's upkeep is nobody's job"
    );
}

#[tokio::test]
async fn simultaneous_requests_for_the_same_work_queue_one_job() {
    let (app, pool) = setup().await;
    let admin = app.signup("去重").await;
    let ask = |n: usize| {
        let pool = pool.clone();
        async move {
            let mut conn = db::conn(&pool).await.expect("connection");
            let job = NewJob {
                org_id: Some(admin.org_id),
                kind: PROBE.into(),
                payload: json!({"asked": n, "succeed_on": 1}),
                dedupe_key: Some("probe-once".into()),
                run_at: t0(),
                max_attempts: 3,
                created_by: None,
            };
            jobs::enqueue(&mut conn, &job, t0())
                .await
                .expect("queued")
                .id
        }
    };
    let ids = futures::future::join_all((0..8).map(ask)).await;
    assert!(ids.iter().all(|id| *id == ids[0]), "{ids:?}");
    let clock = Clock::fixed(t0());
    let r = runner(&app, "node-a", &clock);
    assert_eq!(run_at(&r, &clock, t0()).await, 1);
    // Once it has run, the same request queues a new job.
    let again = ask(9).await;
    assert_ne!(again, ids[0]);
}

#[tokio::test]
async fn simultaneous_retries_of_a_dead_job_queue_it_once() {
    let (app, pool) = setup().await;
    let admin = app.signup("并发重试").await;
    let id = enqueue(&pool, admin.org_id, json!({}), 1).await;
    let clock = Clock::fixed(t0());
    let r = runner(&app, "node-a", &clock);
    assert_eq!(run_at(&r, &clock, t0()).await, 1);
    let path = format!("/api/v1/jobs/{id}/retry");
    let results = futures::future::join_all((0..8).map(|_| {
        let (app, token, path) = (&app, admin.token.clone(), path.clone());
        async move { app.post(&path).auth(&token).send().await }
    }))
    .await;
    let queued = results.iter().filter(|r| r.status == 200).count();
    assert_eq!(queued, 1, "{results:?}");
    assert!(results.iter().all(|r| r.status == 200 || r.is_problem(409)));
}
