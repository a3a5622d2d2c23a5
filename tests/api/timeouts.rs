//! A database that is locked, slow or gone costs a request a bounded wait and a 503, and `/ready`
//! answers promptly all the while; a client that stops sending is answered 408 in time.

use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};
use serde_json::json;
use std::io::{Read, Write};
use std::time::{Duration, Instant};
use testkit::{Res, TestApp};

/// How long the test waits before it calls a request hung (the limits under test are ~1 s).
const HUNG: Duration = Duration::from_secs(15);

/// A connection of the test's own to the server's database.
async fn own_connection(app: &TestApp) -> AsyncPgConnection {
    AsyncPgConnection::establish(&app.db.url)
        .await
        .expect("a connection of the test's own")
}

/// Takes `ACCESS EXCLUSIVE` on `accounts` in an open transaction, as a long migration or a
/// forgotten `psql` session would; released by `ROLLBACK` (or by dropping the connection).
async fn lock_accounts(app: &TestApp) -> AsyncPgConnection {
    let mut conn = own_connection(app).await;
    conn.batch_execute("BEGIN; LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE")
        .await
        .expect("lock accounts");
    conn
}

async fn timed(what: &str, call: impl std::future::Future<Output = Res>) -> (Res, Duration) {
    let start = Instant::now();
    let res = tokio::time::timeout(HUNG, call)
        .await
        .unwrap_or_else(|_| panic!("{what} still waits after {HUNG:?}"));
    (res, start.elapsed())
}

#[tokio::test]
async fn a_held_lock_fails_requests_fast_and_ready_stays_prompt() {
    let app = TestApp::spawn_with(|s| {
        s.db_pool_size = 2;
        s.db_limits.lock = Some(Duration::from_secs(1));
        s.db_limits.wait = Some(Duration::from_millis(500));
    })
    .await;
    let admin = app.signup("锁表公司").await;
    app.add_account(&admin, json!({"name": "被锁的客户"})).await;
    let mut lock = lock_accounts(&app).await;

    // More requests than connections: those with one hit the lock timeout, the others the
    // pool's wait timeout. None waits for the lock, which this test holds until it is done.
    let lists = (0..6).map(|_| async {
        timed(
            "a list behind the lock",
            app.get("/api/v1/accounts").auth(&admin.token).send(),
        )
        .await
    });
    let ready = async {
        // While every connection of the pool is blocked.
        tokio::time::sleep(Duration::from_millis(200)).await;
        timed("/ready", app.get("/ready").send()).await
    };
    let (lists, (ready, ready_took)) = tokio::join!(futures::future::join_all(lists), ready);
    for (res, took) in &lists {
        assert!(res.is_problem(503), "{res:?}");
        assert!(took < &Duration::from_secs(5), "took {took:?}");
    }
    assert_eq!(ready.status, 200, "{ready:?}");
    assert!(
        ready_took < Duration::from_secs(2),
        "/ready took {ready_took:?}"
    );

    lock.batch_execute("ROLLBACK").await.expect("release");
    let res = app.get("/api/v1/accounts").auth(&admin.token).send().await;
    assert_eq!(
        res.status, 200,
        "served again once the lock is gone: {res:?}"
    );
}

#[tokio::test]
async fn a_statement_past_the_statement_timeout_is_canceled_with_503() {
    let app = TestApp::spawn_with(|s| s.db_limits.statement = Some(Duration::from_secs(1))).await;
    let admin = app.signup("慢查询公司").await;
    app.sql(
        "CREATE FUNCTION slow_insert() RETURNS trigger LANGUAGE plpgsql AS
           $$ BEGIN PERFORM pg_sleep(30); RETURN NEW; END $$;
         CREATE TRIGGER slow_insert BEFORE INSERT ON accounts
           FOR EACH ROW EXECUTE FUNCTION slow_insert();",
    )
    .await;
    let (res, took) = timed(
        "a create that runs 30 s",
        app.post("/api/v1/accounts?force=true")
            .auth(&admin.token)
            .json(&json!({"name": "慢客户"}))
            .send(),
    )
    .await;
    assert!(res.is_problem(503), "{res:?}");
    assert!(took < Duration::from_secs(5), "took {took:?}");
}

#[tokio::test]
async fn a_connection_terminated_mid_request_is_a_503_and_the_next_request_is_served() {
    // The request waits on the lock long enough for the test to cut its connection.
    let app = TestApp::spawn_with(|s| s.db_limits.lock = Some(Duration::from_secs(20))).await;
    let admin = app.signup("断线公司").await;
    let mut lock = lock_accounts(&app).await;
    let list = tokio::spawn({
        let call = app.get("/api/v1/accounts").auth(&admin.token);
        async move { timed("a list whose connection is terminated", call.send()).await }
    });
    let waiting = "SELECT count(*) AS n FROM pg_stat_activity
                   WHERE datname = current_database() AND wait_event_type = 'Lock'";
    let deadline = Instant::now() + HUNG;
    while count(&mut lock, waiting).await == 0 {
        assert!(
            Instant::now() < deadline,
            "the list never waited on the lock"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // What a restart or a failover does to the server's connections (not to the lock's).
    let holder = count(&mut lock, "SELECT pg_backend_pid()::int8 AS n").await;
    let mut killer = own_connection(&app).await;
    killer
        .batch_execute(&format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE datname = current_database() AND pid NOT IN (pg_backend_pid(), {holder})"
        ))
        .await
        .expect("terminate the server's connections");
    let (res, _) = list.await.expect("the list request");
    assert!(res.is_problem(503), "{res:?}");
    lock.batch_execute("ROLLBACK").await.expect("release");
    let res = app.get("/api/v1/accounts").auth(&admin.token).send().await;
    assert_eq!(res.status, 200, "served on a new connection: {res:?}");
}

async fn count(conn: &mut AsyncPgConnection, sql: &str) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    use diesel_async::RunQueryDsl;
    diesel::sql_query(sql)
        .get_result::<N>(conn)
        .await
        .expect("count")
        .n
}

/// Sends `head` and `body` over a raw connection and stops; returns what the server sent back
/// before closing (or before `HUNG`), and how long that took.
async fn send_and_stall(app: &TestApp, request: String) -> (String, Duration) {
    let addr = app.base.trim_start_matches("http://").to_string();
    tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(addr).expect("connect");
        stream.set_read_timeout(Some(HUNG)).expect("read timeout");
        let start = Instant::now();
        stream.write_all(request.as_bytes()).expect("send");
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        (
            String::from_utf8_lossy(&answer).into_owned(),
            start.elapsed(),
        )
    })
    .await
    .expect("the raw client")
}

#[tokio::test]
async fn a_half_sent_body_is_answered_408_within_the_read_timeout() {
    let app = TestApp::spawn_with(|s| s.http_read_timeout = Duration::from_millis(500)).await;
    let admin = app.signup("慢客户端公司").await;
    let request = format!(
        "POST /api/v1/accounts HTTP/1.1\r\nHost: kehu\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"name\": \"半",
        admin.token
    );
    let (answer, took) = send_and_stall(&app, request).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("application/problem+json"), "{answer}");
    assert!(took < Duration::from_secs(5), "closed after {took:?}");
}

#[tokio::test]
async fn half_sent_headers_are_answered_within_the_read_timeout() {
    let app = TestApp::spawn_with(|s| s.http_read_timeout = Duration::from_millis(500)).await;
    let (answer, took) = send_and_stall(
        &app,
        "GET /api/v1/accounts HTTP/1.1\r\nHost: kehu\r\nAccept: ".into(),
    )
    .await;
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
        "{answer}"
    );
    assert!(took < Duration::from_secs(3), "closed after {took:?}");
}
