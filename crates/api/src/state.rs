//! Shared application state.

use crate::principals::PrincipalCache;
use crate::ratelimit::RateLimiter;
use crate::settings::Settings;
use persistence::db::DbPool;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub pool: DbPool,
    /// `/ready`'s own connection (see `persistence::db::ready_pool`).
    pub ready_pool: DbPool,
    pub settings: Arc<Settings>,
    pub login_limiter: Arc<RateLimiter>,
    pub principals: Arc<PrincipalCache>,
}

impl AppState {
    pub fn new(settings: Settings) -> Result<Self, String> {
        let pool = persistence::db::pool_with(
            &settings.database_url,
            settings.db_pool_size,
            settings.db_limits,
        )?;
        let ready_pool = persistence::db::ready_pool(&settings.database_url)?;
        let login_limiter = Arc::new(RateLimiter::new(settings.login_window));
        let principals = Arc::new(PrincipalCache::new(settings.auth_cache_ttl));
        Ok(AppState {
            pool,
            ready_pool,
            principals,
            settings: Arc::new(settings),
            login_limiter,
        })
    }
}
