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
    /// This process's job runner (index builds, search text recomputes: off the request path).
    pub jobs: Arc<crate::jobs::Runner>,
    /// This process's webhook sender.
    pub webhooks: Arc<crate::webhooks::Sender>,
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
        // Jobs run on connections of their own, without the request limits.
        let jobs = Arc::new(
            crate::jobs::Runner::new(
                persistence::db::pool(&settings.database_url, 2)?,
                crate::jobs::Runner::node_name(),
                crate::jobs::Clock::system(),
                vec![
                    (crate::maintenance::KIND, crate::maintenance::run),
                    (crate::maintenance::PRUNE, crate::maintenance::prune),
                    (crate::reminders::TASKS, crate::reminders::tasks),
                    (crate::reminders::NEGLECTED, crate::reminders::neglected),
                    (crate::pool_recycling::KIND, crate::pool_recycling::run),
                    (crate::rule_dates::KIND, crate::rule_dates::run),
                ],
            )
            .with_lease(
                chrono::Duration::from_std(settings.job_lease)
                    .unwrap_or(chrono::Duration::minutes(5)),
            ),
        );
        let mut sender = crate::webhooks::Sender::new(
            persistence::db::pool(&settings.database_url, 4)?,
            crate::jobs::Clock::system(),
            &settings.webhooks,
        )?;
        if let Some(mail) = &settings.mail {
            sender = sender.with_mail(crate::webhooks::mail::Mailer::new(mail)?);
        }
        let webhooks = Arc::new(sender);
        Ok(AppState {
            webhooks,
            pool,
            ready_pool,
            principals,
            jobs,
            settings: Arc::new(settings),
            hasher,
        })
    }
}
