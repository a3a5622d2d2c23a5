//! The job runner of a `kehu` process (`persistence::jobs` holds the queue). It claims the due
//! jobs of the kinds it has a handler for, one at a time, runs each, and records how it ended;
//! several processes on one database share the work without running a job twice. It starts on
//! the first [`Runner::wake`] (a request that queues work, or `serve` at start); between wakes
//! it sleeps until the next job falls due (a retry's backoff, a stopped process's lease), at
//! most a minute, so an idle process asks the database once a minute.
//!
//! Before claiming, it queues the jobs of the schedules that fell due (`job_schedules`).
//!
//! Time is a parameter: the runner reads its [`Clock`] (the system's, or one a test sets), for
//! what is due, leases, backoffs and progress alike, so tests move time instead of sleeping.

use chrono::{DateTime, Duration, Utc};
use persistence::db::{self, DbPool};
use persistence::job_schedules;
use persistence::jobs::{self, Claim};
use persistence::StoreError;
use serde_json::Value;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// The runner's time: the system's, or one set by hand (tests).
#[derive(Clone, Default)]
pub struct Clock(Arc<Mutex<Option<DateTime<Utc>>>>);

impl Clock {
    pub fn system() -> Clock {
        Clock::default()
    }

    /// A clock that stays at `at` until [`Clock::set`].
    pub fn fixed(at: DateTime<Utc>) -> Clock {
        Clock(Arc::new(Mutex::new(Some(at))))
    }

    pub fn set(&self, at: DateTime<Utc>) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(at);
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .unwrap_or_else(Utc::now)
    }
}

/// How a job ended: its result, or why it failed (retried after a backoff, then dead).
pub type Outcome = Result<Value, String>;

/// Runs one attempt of a job.
pub type Handler = fn(Run) -> Pin<Box<dyn Future<Output = Outcome> + Send>>;

/// One attempt of a claimed job, as its handler sees it.
#[derive(Clone)]
pub struct Run {
    pub claim: Claim,
    /// Connections without the request limits (a job may run for minutes).
    pub pool: DbPool,
    clock: Clock,
    lease: Duration,
}

impl Run {
    /// The runner's time now.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Reports progress and renews the lease; `false` when another process took the job over
    /// (this attempt should stop: its result will be refused).
    pub async fn progress(&self, done: i64, total: Option<i64>) -> Result<bool, String> {
        let mut conn = db::conn(&self.pool).await.map_err(|e| e.to_string())?;
        jobs::progress(
            &mut conn,
            &self.claim,
            self.clock.now(),
            self.lease,
            done,
            total,
        )
        .await
        .map_err(|e| e.to_string())
    }
}

pub struct Runner {
    pool: DbPool,
    /// This process, in the jobs it claims (`host:pid`).
    node: String,
    lease: Duration,
    clock: Clock,
    handlers: Vec<(&'static str, Handler)>,
    wake: tokio::sync::Notify,
    started: AtomicBool,
}

/// How long a claim holds without a progress report before another process may take it over
/// (see [`Runner::with_lease`]).
const LEASE_SECS: i64 = 300;
/// The longest an idle runner sleeps: work another process queued is seen within it.
const MAX_IDLE: std::time::Duration = std::time::Duration::from_secs(60);

impl Runner {
    pub fn new(
        pool: DbPool,
        node: String,
        clock: Clock,
        handlers: Vec<(&'static str, Handler)>,
    ) -> Runner {
        Runner {
            pool,
            node,
            lease: Duration::seconds(LEASE_SECS),
            clock,
            handlers,
            wake: tokio::sync::Notify::new(),
            started: AtomicBool::new(false),
        }
    }

    /// The name this process claims jobs under.
    /// Claims last `lease` without a progress report (default five minutes).
    pub fn with_lease(mut self, lease: Duration) -> Runner {
        self.lease = lease;
        self
    }

    pub fn node_name() -> String {
        let host = std::fs::read_to_string("/etc/hostname").unwrap_or_default();
        format!("{}:{}", host.trim(), std::process::id())
    }

    pub fn lease(&self) -> Duration {
        self.lease
    }

    fn kinds(&self) -> Vec<String> {
        self.handlers.iter().map(|(k, _)| k.to_string()).collect()
    }

    /// Runs every job of its kinds that is due by its clock, one after another, until none is;
    /// returns how many attempts ran.
    pub async fn run_due(&self) -> Result<usize, StoreError> {
        let kinds = self.kinds();
        let mut ran = 0;
        {
            let mut conn = db::conn(&self.pool).await?;
            job_schedules::queue_due(&mut conn, self.clock.now()).await?;
        }
        loop {
            let claim = {
                let mut conn = db::conn(&self.pool).await?;
                jobs::claim(&mut conn, &self.node, &kinds, self.clock.now(), self.lease).await?
            };
            let Some(claim) = claim else {
                return Ok(ran);
            };
            ran += 1;
            self.attempt(claim).await?;
        }
    }

    async fn attempt(&self, claim: Claim) -> Result<(), StoreError> {
        let handler = self.handlers.iter().find(|(k, _)| *k == claim.kind);
        let outcome = match handler {
            Some((_, run)) => {
                run(Run {
                    claim: claim.clone(),
                    pool: self.pool.clone(),
                    clock: self.clock.clone(),
                    lease: self.lease,
                })
                .await
            }
            None => Err(format!("no handler for `{}`", claim.kind)),
        };
        let mut conn = db::conn(&self.pool).await?;
        let now = self.clock.now();
        let recorded = match &outcome {
            Ok(result) => jobs::finish(&mut conn, &claim, now, result).await?,
            Err(e) => {
                log::warn!("job {} ({}) failed: {e}", claim.id, claim.kind);
                jobs::fail(&mut conn, &claim, now, e).await?.is_some()
            }
        };
        if !recorded {
            log::warn!(
                "job {} ({}): another process took it over; this attempt's end is dropped",
                claim.id,
                claim.kind
            );
        }
        Ok(())
    }

    /// Runs what is due now, soon: starts the background loop on the first call.
    pub fn wake(self: &Arc<Self>) {
        if !self.started.swap(true, Ordering::AcqRel) {
            let me = self.clone();
            tokio::spawn(async move { me.run_forever().await });
        }
        self.wake.notify_one();
    }

    async fn run_forever(&self) {
        loop {
            let idle = match self.run_due().await {
                Ok(_) => self.until_next_due().await,
                Err(e) => {
                    log::error!("jobs: {e} (tried again in a second)");
                    std::time::Duration::from_secs(1)
                }
            };
            let _ = tokio::time::timeout(idle, self.wake.notified()).await;
        }
    }

    /// How long to sleep: until the next job falls due, between a second and [`MAX_IDLE`].
    async fn until_next_due(&self) -> std::time::Duration {
        let (min, max) = (std::time::Duration::from_secs(1), MAX_IDLE);
        let next = match db::conn(&self.pool).await {
            Ok(mut conn) => {
                let job = jobs::next_due(&mut conn, &self.kinds())
                    .await
                    .ok()
                    .flatten();
                let scheduled = job_schedules::next_due(&mut conn).await.ok().flatten();
                job.into_iter().chain(scheduled).min()
            }
            Err(_) => return min,
        };
        next.map_or(max, |at| {
            (at - self.clock.now())
                .to_std()
                .unwrap_or_default()
                .clamp(min, max)
        })
    }
}
