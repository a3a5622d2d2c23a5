//! Jobs across real `kehu serve` processes on one database: two of them run a batch of jobs
//! exactly once between them, and a process killed with SIGKILL mid-job has its job taken over
//! by another once its lease (2 s here) runs out. The job is the platform's own pruning, over
//! enough old outbox events to take a few seconds.

use chrono::Utc;
use diesel::{sql_types, QueryableByName};
use diesel_async::RunQueryDsl;
use persistence::db::{self, DbPool};
use persistence::jobs::{self, NewJob};
use serde_json::json;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use testkit::TestApp;

/// A `kehu serve` process; killed (SIGKILL) when dropped.
struct Node {
    child: Child,
    /// How it signs its claims (`host:pid`).
    name: String,
}

impl Node {
    fn start(database_url: &str) -> Node {
        let child = Command::new(env!("CARGO_BIN_EXE_kehu"))
            .arg("serve")
            .env("DATABASE_URL", database_url)
            .env("KEHU_BIND", "127.0.0.1:0")
            .env(
                "KEHU_JWT_SECRET",
                "a-test-secret-of-at-least-thirty-two-chars",
            )
            .env("KEHU_JOB_LEASE_SECS", "2")
            .env("KEHU_DB_POOL_SIZE", "2")
            .env("KEHU_WEBHOOK_SEND", "false")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start kehu serve");
        let host = std::fs::read_to_string("/etc/hostname").unwrap_or_default();
        let name = format!("{}:{}", host.trim(), child.id());
        Node { child, name }
    }

    /// SIGKILL: no shutdown, no last report.
    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.kill();
    }
}

#[derive(QueryableByName, Debug)]
struct JobRow {
    #[diesel(sql_type = sql_types::Uuid)]
    id: uuid::Uuid,
    #[diesel(sql_type = sql_types::Text)]
    state: String,
    #[diesel(sql_type = sql_types::Integer)]
    attempt: i32,
    #[diesel(sql_type = sql_types::Nullable<sql_types::Text>)]
    claimed_by: Option<String>,
    #[diesel(sql_type = sql_types::BigInt)]
    done: i64,
}

async fn prune_jobs(pool: &DbPool) -> Vec<JobRow> {
    let mut conn = db::conn(pool).await.expect("connection");
    diesel::sql_query(
        "SELECT id, state, attempt, claimed_by, done FROM jobs WHERE kind = 'prune' ORDER BY id",
    )
    .load(&mut conn)
    .await
    .expect("jobs")
}

async fn queue_prunes(pool: &DbPool, n: usize) {
    let mut conn = db::conn(pool).await.expect("connection");
    for _ in 0..n {
        let job = NewJob {
            org_id: None,
            kind: api::maintenance::PRUNE.into(),
            payload: json!({}),
            dedupe_key: None,
            run_at: Utc::now(),
            max_attempts: 3,
            created_by: None,
        };
        jobs::enqueue(&mut conn, &job, Utc::now())
            .await
            .expect("queued");
    }
}

/// Polls `check` every 20 ms until it holds, for at most a minute.
async fn until<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(60);
    while !check().await {
        assert!(Instant::now() < deadline, "timed out waiting: {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn two_kehu_processes_run_a_batch_of_jobs_exactly_once_between_them() {
    let app = TestApp::spawn().await;
    let pool = db::pool(&app.db.url, 2).expect("pool");
    queue_prunes(&pool, 40).await;
    let (a, b) = (Node::start(&app.db.url), Node::start(&app.db.url));
    until("40 jobs done", || async {
        prune_jobs(&pool)
            .await
            .iter()
            .filter(|j| j.state == "done")
            .count()
            == 40
    })
    .await;
    let done = prune_jobs(&pool).await;
    assert_eq!(done.len(), 40);
    for j in &done {
        assert_eq!(j.attempt, 1, "run once: {j:?}");
        let by = j.claimed_by.as_deref().unwrap_or_default();
        assert!(by == a.name || by == b.name, "{j:?}");
    }
}

#[tokio::test]
async fn a_process_killed_mid_job_has_its_job_taken_over_by_another() {
    let app = TestApp::spawn().await;
    let admin = app.signup("进程").await;
    let pool = db::pool(&app.db.url, 2).expect("pool");
    // 400,000 outbox events from 40 days ago: the pruning takes some 80 batches.
    app.sql(&format!(
        "INSERT INTO events (id, org_id, entity, entity_id, action, at, changes) \
         SELECT gen_random_uuid(), '{}', 'account', gen_random_uuid(), 'updated', \
         now() - interval '40 days', '[]' FROM generate_series(1, 400000)",
        admin.org_id
    ))
    .await;
    queue_prunes(&pool, 1).await;
    let mut a = Node::start(&app.db.url);
    until("a reports progress", || async {
        let jobs = prune_jobs(&pool).await;
        jobs[0].state == "running" && jobs[0].done > 0
    })
    .await;
    let seen = prune_jobs(&pool).await;
    assert_eq!(seen[0].claimed_by.as_deref(), Some(a.name.as_str()));
    a.kill();
    let b = Node::start(&app.db.url);
    until("the job is done", || async {
        prune_jobs(&pool).await[0].state == "done"
    })
    .await;
    let job = &prune_jobs(&pool).await[0];
    assert_eq!(job.id, seen[0].id);
    assert_eq!(job.attempt, 2, "taken over: {job:?}");
    assert_eq!(job.claimed_by.as_deref(), Some(b.name.as_str()));
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = sql_types::BigInt)]
        n: i64,
    }
    let mut conn = db::conn(&pool).await.expect("connection");
    let left: N =
        diesel::sql_query("SELECT count(*) AS n FROM events WHERE at < now() - interval '30 days'")
            .get_result(&mut conn)
            .await
            .expect("count");
    assert_eq!(
        left.n, 0,
        "the pruning finished what the killed process began"
    );
}
