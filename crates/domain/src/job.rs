//! Background jobs (`/jobs`): work that runs outside a request — index builds and search text
//! today, imports, exports and recomputes as they come — with its state and progress.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Where a job is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    /// Waiting for `run_at` (a retry waits out its backoff here).
    Queued,
    /// Claimed by a process; taken over by another if that process stops renewing its lease.
    Running,
    Done,
    /// Failed `max_attempts` times: kept, with its last error, until an admin retries it.
    Dead,
}

impl JobState {
    pub const ALL: [JobState; 4] = [
        JobState::Queued,
        JobState::Running,
        JobState::Done,
        JobState::Dead,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Done => "done",
            JobState::Dead => "dead",
        }
    }

    pub fn parse(s: &str) -> Option<JobState> {
        JobState::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A job as the API returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Job {
    pub id: Uuid,
    /// What it does, e.g. `maintenance`.
    #[cfg_attr(feature = "openapi", schema(example = "maintenance"))]
    pub kind: String,
    pub state: JobState,
    /// Its parameters, as it was asked for.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub payload: serde_json::Value,
    /// When it runs next (queued), or was due (otherwise).
    pub run_at: DateTime<Utc>,
    /// How many times it has been started.
    pub attempt: i32,
    pub max_attempts: i32,
    /// Why its last attempt failed.
    pub last_error: Option<String>,
    /// Progress: units done, of `total` when known.
    pub done: i64,
    pub total: Option<i64>,
    /// Units per second since it started (running and finished jobs).
    pub rate: Option<f64>,
    /// What a finished job reports.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub result: Option<serde_json::Value>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

impl Job {
    /// Units per second between `started` and `until` (`None` before any unit or any time).
    pub fn rate_of(done: i64, started: Option<DateTime<Utc>>, until: DateTime<Utc>) -> Option<f64> {
        let secs = (until - started?).num_milliseconds() as f64 / 1000.0;
        (done > 0 && secs > 0.0).then(|| done as f64 / secs)
    }
}

/// How long a failed attempt `attempt` (1, 2, …) waits before the next: 5 s, doubling, at most
/// an hour.
pub fn backoff(attempt: i32) -> chrono::Duration {
    let doublings = attempt.clamp(1, 20) - 1;
    chrono::Duration::seconds((5_i64 << doublings).min(3600))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_five_seconds_to_an_hour() {
        let secs: Vec<i64> = (1..=12).map(|a| backoff(a).num_seconds()).collect();
        assert_eq!(
            secs,
            [5, 10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600]
        );
        assert_eq!(backoff(0).num_seconds(), 5);
        assert_eq!(backoff(i32::MAX).num_seconds(), 3600);
    }

    #[test]
    fn states_read_back_and_rates_need_time_and_work() {
        for s in JobState::ALL {
            assert_eq!(JobState::parse(s.as_str()), Some(s));
        }
        assert_eq!(JobState::parse("cancelled"), None);
        let t0 = DateTime::<Utc>::from_timestamp(1_000_000, 0).expect("time");
        let t1 = t0 + chrono::Duration::seconds(4);
        assert_eq!(Job::rate_of(100, Some(t0), t1), Some(25.0));
        assert_eq!(Job::rate_of(0, Some(t0), t1), None);
        assert_eq!(Job::rate_of(100, None, t1), None);
        assert_eq!(Job::rate_of(100, Some(t1), t1), None);
    }
}
