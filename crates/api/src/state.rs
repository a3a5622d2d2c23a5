//! Shared application state.

use crate::auth::hashing::HashPool;
use crate::principals::PrincipalCache;
use crate::settings::Settings;
use persistence::db::DbPool;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub pool: DbPool,
    /// `/ready`'s own connection (see `persistence::db::ready_pool`).
    pub ready_pool: DbPool,
    pub settings: Arc<Settings>,
    /// Where passwords are hashed and verified: never on a request worker.
    pub hasher: Arc<HashPool>,
    pub principals: Arc<PrincipalCache>,
    /// Index builds and search text recomputes, off the request path.
    pub maintenance: Arc<crate::maintenance::Maintenance>,
}

impl AppState {
    pub fn new(settings: Settings) -> Result<Self, String> {
        let pool = persistence::db::pool_with(
            &settings.database_url,
            settings.db_pool_size,
            settings.db_limits,
        )?;
        let ready_pool = persistence::db::ready_pool(&settings.database_url)?;
        let hasher = Arc::new(HashPool::new(settings.hash_threads, settings.hash_queue));
        let principals = Arc::new(PrincipalCache::new(settings.auth_cache_ttl));
        let maintenance = Arc::new(crate::maintenance::Maintenance::new(
            &settings.database_url,
        )?);
        Ok(AppState {
            pool,
            ready_pool,
            principals,
            maintenance,
            settings: Arc::new(settings),
            hasher,
        })
    }
}
