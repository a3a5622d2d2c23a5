//! Connection pool and migrations.

use diesel::Connection;
use diesel_async::pooled_connection::deadpool::{Object, Pool};
use diesel_async::pooled_connection::AsyncDieselConnectionManager;
use diesel_async::AsyncPgConnection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

pub type DbPool = Pool<AsyncPgConnection>;
pub type PooledConn = Object<AsyncPgConnection>;

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations");

pub fn pool(database_url: &str, max_size: usize) -> Result<DbPool, String> {
    let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new(database_url);
    Pool::builder(manager)
        .max_size(max_size)
        .build()
        .map_err(|e| e.to_string())
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

/// Whether the database answers (readiness).
pub async fn ping(pool: &DbPool) -> bool {
    use diesel_async::RunQueryDsl;
    match pool.get().await {
        Ok(mut c) => diesel::sql_query("SELECT 1").execute(&mut c).await.is_ok(),
        Err(_) => false,
    }
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
