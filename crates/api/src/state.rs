//! Shared application state.

use crate::auth::hashing::HashPool;
use crate::principals::PrincipalCache;
use crate::settings::Settings;
use persistence::db::DbPool;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub pool: DbPool,
    pub settings: Arc<Settings>,
    /// Where passwords are hashed and verified: never on a request worker.
    pub hasher: Arc<HashPool>,
    pub principals: Arc<PrincipalCache>,
}

impl AppState {
    pub fn new(settings: Settings) -> Result<Self, String> {
        let pool = persistence::db::pool(&settings.database_url, settings.db_pool_size)?;
        let hasher = Arc::new(HashPool::new(settings.hash_threads, settings.hash_queue));
        let principals = Arc::new(PrincipalCache::new(settings.auth_cache_ttl));
        Ok(AppState {
            pool,
            principals,
            settings: Arc::new(settings),
            hasher,
        })
    }
}
