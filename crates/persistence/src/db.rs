//! Connection pool and migrations.

use diesel::Connection;
use diesel_async::pooled_connection::deadpool::{Object, Pool};
use diesel_async::pooled_connection::{AsyncDieselConnectionManager, ManagerConfig};
use diesel_async::{AsyncPgConnection, SimpleAsyncConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use std::time::Duration;

pub type DbPool = Pool<AsyncPgConnection>;
pub type PooledConn = Object<AsyncPgConnection>;

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations");

/// How long `/ready` may take, on its own connection, whatever else the database is doing.
pub const READY_TIMEOUT: Duration = Duration::from_secs(1);

/// Limits of a pool's connections, so that a held lock or a stopped database costs a request a
/// few seconds and a 503 instead of a hang. `None` is no limit: the tools (`kehu seed`, `plans`,
/// `sql`) and migrations, whose statements may rightly run long, use [`Limits::default`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Limits {
    /// `statement_timeout` of every session, and its `idle_in_transaction_session_timeout` (a
    /// transaction left open that long holds its locks for nothing).
    pub statement: Option<Duration>,
    /// `lock_timeout` of every session.
    pub lock: Option<Duration>,
    /// How long a request waits for a free connection of the pool.
    pub wait: Option<Duration>,
    /// How long opening a connection, or checking an idle one, may take.
    pub connect: Option<Duration>,
}

impl Limits {
    /// The `SET`s that give a new session these limits (empty when there are none).
    fn session_settings(&self) -> String {
        let ms = |d: Duration| d.as_millis().max(1);
        let mut sql = String::new();
        if let Some(d) = self.statement {
            sql += &format!(
                "SET statement_timeout = {0}; SET idle_in_transaction_session_timeout = {0};",
                ms(d)
            );
        }
        if let Some(d) = self.lock {
            sql += &format!("SET lock_timeout = {};", ms(d));
        }
        sql
    }
}

/// A pool without limits (for the tools; the server uses [`pool_with`]).
pub fn pool(database_url: &str, max_size: usize) -> Result<DbPool, String> {
    pool_with(database_url, max_size, Limits::default())
}

pub fn pool_with(database_url: &str, max_size: usize, limits: Limits) -> Result<DbPool, String> {
    let mut config = ManagerConfig::<AsyncPgConnection>::default();
    let settings = limits.session_settings();
    if !settings.is_empty() {
        // Set once per connection when it is opened, not per checkout.
        config.custom_setup = Box::new(move |url| {
            let (url, settings) = (url.to_string(), settings.clone());
            Box::pin(async move {
                use diesel_async::AsyncConnection;
                let mut conn = AsyncPgConnection::establish(&url).await?;
                conn.batch_execute(&settings)
                    .await
                    .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
                Ok(conn)
            })
        });
    }
    let manager = AsyncDieselConnectionManager::new_with_config(database_url, config);
    Pool::builder(manager)
        .max_size(max_size)
        .runtime(deadpool::Runtime::Tokio1)
        .wait_timeout(limits.wait)
        .create_timeout(limits.connect)
        .recycle_timeout(limits.connect)
        .build()
        .map_err(|e| e.to_string())
}

/// The one-connection pool `/ready` uses, so that it answers within [`READY_TIMEOUT`] even when
/// every connection of the main pool is busy or blocked.
pub fn ready_pool(database_url: &str) -> Result<DbPool, String> {
    let limit = Some(READY_TIMEOUT);
    let limits = Limits {
        statement: limit,
        lock: limit,
        wait: limit,
        connect: limit,
    };
    pool_with(database_url, 1, limits)
}

pub async fn conn(pool: &DbPool) -> Result<PooledConn, crate::StoreError> {
    pool.get()
        .await
        .map_err(|e| crate::StoreError::Pool(e.to_string()))
}

/// Applies pending migrations (on a blocking thread: diesel_migrations is synchronous).
/// Returns the versions applied.
pub async fn migrate(database_url: &str) -> Result<Vec<String>, String> {
    let url = database_url.to_string();
    tokio::task::spawn_blocking(move || {
        let mut conn = diesel::PgConnection::establish(&url).map_err(|e| e.to_string())?;
        let applied = conn
            .run_pending_migrations(MIGRATIONS)
            .map_err(|e| e.to_string())?;
        Ok(applied.into_iter().map(|v| v.to_string()).collect())
    })
    .await
    .map_err(|e| e.to_string())?
}

/// Whether the database answers (readiness) within [`READY_TIMEOUT`]; give it [`ready_pool`].
pub async fn ping(pool: &DbPool) -> bool {
    use diesel_async::RunQueryDsl;
    let answer = async {
        let mut c = pool.get().await.ok()?;
        diesel::sql_query("SELECT 1").execute(&mut c).await.ok()
    };
    matches!(
        tokio::time::timeout(READY_TIMEOUT, answer).await,
        Ok(Some(_))
    )
}

/// Runs `change` in a transaction that commits — or, for a dry run, rolls back — so a preview is
/// exactly what the real run would do, computed by the same code on the same rows.
pub async fn commit_unless_dry_run<T, F>(
    conn: &mut AsyncPgConnection,
    dry_run: bool,
    change: F,
) -> Result<T, crate::StoreError>
where
    F: AsyncFnOnce(&mut AsyncPgConnection) -> Result<T, crate::StoreError>,
{
    use diesel_async::{AsyncConnection, TransactionManager};
    type Tm = <AsyncPgConnection as AsyncConnection>::TransactionManager;
    Tm::begin_transaction(conn).await?;
    let result = change(conn).await;
    if result.is_ok() && !dry_run {
        Tm::commit_transaction(conn).await?;
    } else {
        Tm::rollback_transaction(conn).await?;
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tools_pool_sets_no_session_limits_and_the_servers_does() {
        assert_eq!(Limits::default().session_settings(), "");
        let server = Limits {
            statement: Some(Duration::from_secs(10)),
            lock: Some(Duration::from_millis(3000)),
            wait: Some(Duration::from_secs(2)),
            connect: None,
        };
        assert_eq!(
            server.session_settings(),
            "SET statement_timeout = 10000; SET idle_in_transaction_session_timeout = 10000;\
             SET lock_timeout = 3000;"
        );
    }
}
