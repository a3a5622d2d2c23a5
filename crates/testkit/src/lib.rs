//! Test helpers: every test gets its own PostgreSQL database, cloned in milliseconds from a
//! template that has all migrations applied, and its own running `kehu` server on a free port.
//!
//! Needs `KEHU_TEST_DATABASE_URL` (a superuser URL of the test cluster; `make test` sets it from
//! `scripts/pg.sh ensure test`).

mod http;

pub use http::{urlencode, Call, Res};

use diesel::{sql_query, Connection, PgConnection, QueryableByName, RunQueryDsl};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::net::TcpListener;
use std::sync::OnceLock;
use std::time::Duration;
use uuid::Uuid;

/// The password every test user gets.
pub const PASSWORD: &str = "test-password-123";

fn admin_url() -> String {
    std::env::var("KEHU_TEST_DATABASE_URL").unwrap_or_else(|_| {
        panic!("KEHU_TEST_DATABASE_URL is not set: run `make test`, or export KEHU_TEST_DATABASE_URL=$(scripts/pg.sh ensure test)")
    })
}

/// `url` with its database name replaced.
fn url_for(url: &str, database: &str) -> String {
    let (base, rest) = url.rsplit_once('/').expect("a database URL has a path");
    let query = rest
        .split_once('?')
        .map(|(_, q)| format!("?{q}"))
        .unwrap_or_default();
    format!("{base}/{database}{query}")
}

fn connect(url: &str) -> PgConnection {
    PgConnection::establish(url)
        .unwrap_or_else(|e| panic!("cannot connect to the test cluster: {e}"))
}

fn exec(conn: &mut PgConnection, sql: &str) {
    sql_query(sql)
        .execute(conn)
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = diesel::sql_types::Text)]
    datname: String,
}

fn databases_like(conn: &mut PgConnection, pattern: &str) -> Vec<String> {
    sql_query("SELECT datname::text AS datname FROM pg_database WHERE datname LIKE $1")
        .bind::<diesel::sql_types::Text, _>(pattern)
        .load::<Name>(conn)
        .expect("list databases")
        .into_iter()
        .map(|n| n.datname)
        .collect()
}

/// Name of the migrated template for the current migrations, created on first use. Safe across
/// concurrent test processes (an advisory lock) and crashes (built under a temporary name).
fn template() -> &'static str {
    static TEMPLATE: OnceLock<String> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let name = format!("kehu_tpl_{}", &migrations_hash()[..16]);
        let admin = admin_url();
        let mut conn = connect(&admin);
        exec(&mut conn, "SELECT pg_advisory_lock(726354)");
        if databases_like(&mut conn, &name).is_empty() {
            let building = format!("{name}_building");
            exec(
                &mut conn,
                &format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)"),
            );
            exec(&mut conn, &format!("CREATE DATABASE {building}"));
            run_migrations(&url_for(&admin, &building));
            exec(
                &mut conn,
                &format!("ALTER DATABASE {building} RENAME TO {name}"),
            );
            for old in databases_like(&mut conn, "kehu\\_tpl\\_%") {
                if old != name {
                    exec(
                        &mut conn,
                        &format!("DROP DATABASE IF EXISTS {old} WITH (FORCE)"),
                    );
                }
            }
        }
        exec(&mut conn, "SELECT pg_advisory_unlock(726354)");
        name
    })
}

/// A hash of every file under `migrations/`: a new migration means a new template.
fn migrations_hash() -> String {
    let root = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../migrations"));
    let mut files = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read migrations/") {
            let path = entry.expect("migrations entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut hasher = Sha256::new();
    for f in files {
        hasher.update(
            f.strip_prefix(root)
                .unwrap_or(&f)
                .to_string_lossy()
                .as_bytes(),
        );
        hasher.update(std::fs::read(&f).expect("read migration"));
    }
    hex::encode(hasher.finalize())
}

/// Applies the embedded migrations (the same ones `kehu migrate` applies).
fn run_migrations(url: &str) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime
        .block_on(persistence::db::migrate(url))
        .unwrap_or_else(|e| panic!("migrations: {e}"));
}

/// A private database, dropped when this value is.
pub struct TestDb {
    pub name: String,
    pub url: String,
}

impl TestDb {
    pub async fn new() -> TestDb {
        tokio::task::spawn_blocking(|| {
            let template = template();
            let name = format!("kehu_t_{}", Uuid::now_v7().simple());
            let admin = admin_url();
            let mut conn = connect(&admin);
            exec(
                &mut conn,
                &format!("CREATE DATABASE {name} TEMPLATE {template} STRATEGY FILE_COPY"),
            );
            TestDb {
                url: url_for(&admin, &name),
                name,
            }
        })
        .await
        .expect("create the test database")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let name = self.name.clone();
        // A plain thread: Drop may run inside the async runtime, where blocking is not allowed.
        let dropped = std::thread::spawn(move || {
            let mut conn = connect(&admin_url());
            sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut conn)
        })
        .join();
        if !matches!(dropped, Ok(Ok(_))) {
            eprintln!("testkit: could not drop test database {}", self.name);
        }
    }
}

/// Settings for a test server; adjust them with [`TestApp::spawn_with`].
pub fn settings(database_url: &str) -> api::settings::Settings {
    let mut secret = [0u8; 32];
    rand::Rng::fill(&mut rand::thread_rng(), &mut secret);
    api::settings::Settings {
        database_url: database_url.to_string(),
        bind: "127.0.0.1:0".into(),
        jwt_secret: hex::encode(secret).into_bytes(),
        access_ttl: Duration::from_secs(900),
        refresh_ttl: Duration::from_secs(3600),
        signup_enabled: true,
        static_dir: std::path::PathBuf::from("/nonexistent"),
        login_per_account: 10,
        login_per_address: 1000,
        login_per_account_total: 1000,
        login_window: Duration::from_secs(300),
        // Tests sign up many organizations from one address.
        signup_per_address: 1000,
        signup_window: Duration::from_secs(3600),
        hash_threads: 2,
        hash_queue: 64,
        db_pool_size: 8,
        db_limits: persistence::db::Limits {
            statement: Some(Duration::from_secs(10)),
            lock: Some(Duration::from_secs(3)),
            wait: Some(Duration::from_secs(2)),
            connect: Some(Duration::from_secs(2)),
        },
        http_read_timeout: Duration::from_secs(10),
        // As in production, so every test also exercises the cache's invalidation.
        auth_cache_ttl: Duration::from_secs(10),
        workers: 1,
        job_lease: Duration::from_secs(300),
        // Receivers in tests listen on 127.0.0.1.
        webhooks: api::webhooks::Policy {
            private_targets: true,
            send: true,
            timeout: Duration::from_secs(5),
        },
        mail: None,
    }
}

/// A running server on its own database.
pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    /// Shared with [`TestApp::another_node`]s; dropped with the last of them.
    pub db: std::sync::Arc<TestDb>,
    /// What the server runs with (its JWT secret signs test-made tokens).
    pub settings: api::settings::Settings,
    /// `None` for another client's view of a server ([`TestApp::from_address`]).
    handle: Option<actix_web::dev::ServerHandle>,
}

/// How long the test client keeps an idle connection: less than the server's keep-alive (actix's
/// 5 s), or a request sent on a connection the server is just closing fails (`IncompleteMessage`)
/// after a test spent a while in the browser.
const IDLE: std::time::Duration = std::time::Duration::from_secs(2);

/// A signed-in user.
#[derive(Debug, Clone)]
pub struct Session {
    pub token: String,
    pub refresh_token: String,
    pub user_id: Uuid,
    pub org_id: Uuid,
    pub department_id: Uuid,
    pub email: String,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    pub async fn spawn_with(adjust: impl FnOnce(&mut api::settings::Settings)) -> TestApp {
        // Server errors reach the test's output with RUST_LOG=error (captured unless it fails).
        let _ = env_logger::builder().is_test(true).try_init();
        let db = std::sync::Arc::new(TestDb::new().await);
        let mut settings = settings(&db.url);
        adjust(&mut settings);
        Self::start(db, settings)
    }

    /// A second server on the same database with the same settings (JWT secret included): two
    /// nodes behind one load balancer.
    pub fn another_node(&self) -> TestApp {
        Self::start(self.db.clone(), self.settings.clone())
    }

    fn start(db: std::sync::Arc<TestDb>, settings: api::settings::Settings) -> TestApp {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
        let port = listener.local_addr().expect("local address").port();
        let state = api::state::AppState::new(settings.clone()).expect("app state");
        let server = api::serve(state, listener).expect("start the server");
        let handle = server.handle();
        tokio::spawn(server);
        TestApp {
            base: format!("http://127.0.0.1:{port}"),
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .pool_idle_timeout(IDLE)
                .build()
                .expect("client"),
            db,
            settings,
            handle: Some(handle),
        }
    }

    /// The same server seen from another client address (`127.0.0.2`, …: all of 127/8 is this
    /// machine), for limits per address.
    pub fn from_address(&self, address: std::net::IpAddr) -> TestApp {
        TestApp {
            base: self.base.clone(),
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .pool_idle_timeout(IDLE)
                .local_address(address)
                .build()
                .expect("client"),
            db: self.db.clone(),
            settings: self.settings.clone(),
            handle: None,
        }
    }

    /// Runs SQL statements on this test's own database, e.g. a trigger that injects a failure.
    pub async fn sql(&self, statements: &str) {
        let url = self.db.url.clone();
        let statements = statements.to_string();
        tokio::task::spawn_blocking(move || {
            use diesel::connection::SimpleConnection;
            connect(&url)
                .batch_execute(&statements)
                .unwrap_or_else(|e| panic!("{statements}: {e}"))
        })
        .await
        .expect("run the statements");
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn call(&self, method: reqwest::Method, path: &str) -> Call {
        Call::new(self.client.request(method, self.url(path)))
    }

    pub fn get(&self, path: &str) -> Call {
        self.call(reqwest::Method::GET, path)
    }

    pub fn post(&self, path: &str) -> Call {
        self.call(reqwest::Method::POST, path)
    }

    pub fn patch(&self, path: &str) -> Call {
        self.call(reqwest::Method::PATCH, path)
    }

    pub fn delete(&self, path: &str) -> Call {
        self.call(reqwest::Method::DELETE, path)
    }

    /// Signs up a new organization; returns its admin, signed in.
    pub async fn signup(&self, organization: &str) -> Session {
        let email = format!("admin-{}@example.com", Uuid::now_v7().simple());
        let res = self
            .post("/api/v1/auth/signup")
            .json(&json!({"organization_name": organization, "name": "管理员", "email": email, "password": PASSWORD}))
            .send()
            .await;
        assert_eq!(res.status, 202, "signup: {}", res.body);
        self.login(&email).await
    }

    /// Signs in; panics unless it succeeds.
    pub async fn login(&self, email: &str) -> Session {
        let res = self
            .post("/api/v1/auth/login")
            .json(&json!({"email": email, "password": PASSWORD}))
            .send()
            .await;
        assert_eq!(res.status, 200, "login {email}: {}", res.body);
        self.session_from(&res.body, email).await
    }

    async fn session_from(&self, tokens: &Value, email: &str) -> Session {
        let token = tokens["access_token"]
            .as_str()
            .expect("access_token")
            .to_string();
        let me = self.get("/api/v1/me").auth(&token).send().await;
        assert_eq!(me.status, 200, "me: {}", me.body);
        Session {
            refresh_token: tokens["refresh_token"]
                .as_str()
                .expect("refresh_token")
                .to_string(),
            token,
            user_id: me.uuid("/user/id"),
            org_id: me.uuid("/organization/id"),
            department_id: me.uuid("/user/department_id"),
            email: email.to_string(),
        }
    }

    /// Creates a user with `role` in `department` (the admin's, when `None`) and signs them in.
    pub async fn add_user(&self, admin: &Session, role: &str, department: Option<Uuid>) -> Session {
        let email = format!("{role}-{}@example.com", Uuid::now_v7().simple());
        let res = self
            .post("/api/v1/users")
            .auth(&admin.token)
            .json(&json!({
                "email": email, "name": format!("{role} 用户"), "password": PASSWORD, "role": role,
                "department_id": department.unwrap_or(admin.department_id),
            }))
            .send()
            .await;
        assert_eq!(res.status, 201, "create user: {}", res.body);
        self.login(&email).await
    }

    /// Creates a department under `parent` (the admin's, when `None`).
    pub async fn add_department(&self, admin: &Session, name: &str, parent: Option<Uuid>) -> Uuid {
        let res = self
            .post("/api/v1/departments")
            .auth(&admin.token)
            .json(&json!({"name": name, "parent_id": parent.unwrap_or(admin.department_id)}))
            .send()
            .await;
        assert_eq!(res.status, 201, "create department: {}", res.body);
        res.uuid("/id")
    }

    /// How many live records of `collection` (`accounts`, `leads`, …) `who` can see (`count=true`).
    pub async fn total(&self, who: &Session, collection: &str) -> i64 {
        let res = self
            .get(&format!("/api/v1/{collection}?count=true&limit=1"))
            .auth(&who.token)
            .send()
            .await;
        res.body["total"]
            .as_i64()
            .unwrap_or_else(|| panic!("no total for {collection}: {res:?}"))
    }

    /// Creates an account (forcing past duplicate checks) and returns its body.
    pub async fn add_account(&self, session: &Session, body: Value) -> Value {
        let res = self
            .post("/api/v1/accounts?force=true")
            .auth(&session.token)
            .json(&body)
            .send()
            .await;
        assert_eq!(res.status, 201, "create account: {}", res.body);
        res.body
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Stops accepting; the database drop that follows closes the pool's connections.
        if let Some(handle) = &self.handle {
            drop(handle.stop(false));
        }
    }
}
