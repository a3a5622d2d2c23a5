//! The customer pool (公海): accounts nobody owns, which members claim within limits and managers
//! assign. An owned account returns to its owner's pool when its class's rule says it was left
//! too long without a follow-up activity or a won deal; the owner is warned `warn_days` before.
//!
//! An account's pool is its owner's: the pool of the nearest department up the owner's chain, or
//! else the organization's pool (the one without a department).

use crate::account::AccountClass;
use chrono::{DateTime, Duration, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use validator::{Validate, ValidationError};

/// When an account of a class returns to the pool: after `idle_days` without a follow-up
/// activity, or `no_won_days` without a won deal, whichever comes first (counted from the later of
/// the last one and the day its owner got it). A class without a rule never returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RecycleRule {
    pub class: AccountClass,
    #[validate(range(min = 1, max = 3650))]
    #[cfg_attr(feature = "openapi", schema(example = 15))]
    pub idle_days: Option<i32>,
    #[validate(range(min = 1, max = 3650))]
    pub no_won_days: Option<i32>,
}

/// A pool as the API returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Pool {
    pub id: Uuid,
    #[cfg_attr(feature = "openapi", schema(example = "华南公海"))]
    pub name: String,
    /// Its members and the accounts it takes back: this department's subtree (`null`: the whole
    /// organization, for owners no department pool covers).
    pub department_id: Option<Uuid>,
    pub rules: Vec<RecycleRule>,
    pub warn_days: i32,
    /// Claims a member may make a day (days in Beijing time).
    pub daily_claims: i32,
    /// Accounts a member may own at once to claim another (`null`: no limit).
    pub max_held: Option<i32>,
    /// Days before an account's previous owner may claim it again.
    pub reclaim_days: i32,
    /// Accounts in the pool now.
    pub accounts: i64,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn distinct_classes(rules: &[RecycleRule]) -> Result<(), ValidationError> {
    for (i, r) in rules.iter().enumerate() {
        if rules[..i].iter().any(|o| o.class == r.class) {
            return Err(ValidationError::new("duplicate").with_message(
                format!("class `{}` has more than one rule", r.class.as_str()).into(),
            ));
        }
    }
    Ok(())
}

fn default_warn() -> i32 {
    3
}
fn default_claims() -> i32 {
    10
}
fn default_reclaim() -> i32 {
    30
}

/// `POST /account-pools`.
#[domain_macros::openapi_rules]
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PoolInput {
    #[validate(length(min = 1, max = 100))]
    #[cfg_attr(feature = "openapi", schema(example = "华南公海"))]
    pub name: String,
    pub department_id: Option<Uuid>,
    #[serde(default)]
    #[validate(nested, length(max = 3), custom(function = "distinct_classes"))]
    pub rules: Vec<RecycleRule>,
    #[serde(default = "default_warn")]
    #[validate(range(min = 0, max = 365))]
    pub warn_days: i32,
    #[serde(default = "default_claims")]
    #[validate(range(min = 0, max = 10000))]
    pub daily_claims: i32,
    #[validate(range(min = 1, max = 1000000))]
    pub max_held: Option<i32>,
    #[serde(default = "default_reclaim")]
    #[validate(range(min = 0, max = 3650))]
    pub reclaim_days: i32,
}

/// `PATCH /account-pools/{id}`: absent fields stay; `max_held: null` lifts the limit. The
/// department is fixed (a pool for another department is another pool).
#[domain_macros::openapi_rules]
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PoolPatch {
    #[validate(length(min = 1, max = 100))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[validate(nested, length(max = 3), custom(function = "distinct_classes"))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rules: Option<Vec<RecycleRule>>,
    #[validate(range(min = 0, max = 365))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warn_days: Option<i32>,
    #[validate(range(min = 0, max = 10000))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub daily_claims: Option<i32>,
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[validate(range(min = 1, max = 1000000))]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i32>))]
    pub max_held: Option<Option<i32>>,
    #[validate(range(min = 0, max = 3650))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reclaim_days: Option<i32>,
}

/// Most accounts one claim, assignment or release takes.
pub const MAX_BATCH: usize = 100;

/// `POST /account-pools/{id}/claim`: the caller takes these accounts, all or none.
#[domain_macros::openapi_rules]
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ClaimInput {
    #[validate(length(min = 1, max = 100))]
    pub account_ids: Vec<Uuid>,
}

/// `POST /account-pools/{id}/assign`: a manager gives these accounts to `owner_id`, all or none.
#[domain_macros::openapi_rules]
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AssignInput {
    #[validate(length(min = 1, max = 100))]
    pub account_ids: Vec<Uuid>,
    pub owner_id: Uuid,
}

/// `POST /accounts/{id}/release`: the account goes back to its owner's pool now.
#[domain_macros::openapi_rules]
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReleaseInput {
    /// Why (kept in the account's history).
    #[serde(default)]
    #[validate(length(max = 500))]
    pub reason: Option<String>,
}

/// What a claim or an assignment took, and what the claimant has left of their limits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClaimResult {
    pub account_ids: Vec<Uuid>,
    pub owner_id: Uuid,
    pub quota: ClaimQuota,
}

/// A member's standing against a pool's limits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClaimQuota {
    /// Claims made today (Beijing time), of `daily_claims`.
    pub claimed_today: i64,
    pub daily_claims: i32,
    /// Accounts owned now, of `max_held`.
    pub held: i64,
    pub max_held: Option<i32>,
}

impl ClaimQuota {
    /// Why claiming `n` more accounts is refused, if it is.
    pub fn refuses(&self, n: usize) -> Option<String> {
        let n = n as i64;
        if self.claimed_today + n > i64::from(self.daily_claims) {
            return Some(format!(
                "the pool allows {} claims a day; {} made today",
                self.daily_claims, self.claimed_today
            ));
        }
        match self.max_held {
            Some(max) if self.held + n > i64::from(max) => Some(format!(
                "the pool allows holding {max} accounts at once; {} held",
                self.held
            )),
            _ => None,
        }
    }
}

/// Minutes east of UTC a pool's day is counted in (Beijing time), as the scheduled jobs read
/// their times.
pub const DAY_OFFSET_MINUTES: i32 = 480;

/// When the day that `now` falls on began, in the pools' time zone.
pub fn day_start(now: DateTime<Utc>) -> DateTime<Utc> {
    let offset = Duration::minutes(DAY_OFFSET_MINUTES.into());
    (now + offset)
        .date_naive()
        .and_time(NaiveTime::MIN)
        .and_utc()
        - offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pool_day_starts_at_midnight_in_beijing() {
        let at = |s: &str| s.parse::<DateTime<Utc>>().expect("a time");
        assert_eq!(
            day_start(at("2026-12-08T15:59:00Z")),
            at("2026-12-07T16:00:00Z")
        );
        assert_eq!(
            day_start(at("2026-12-08T16:00:00Z")),
            at("2026-12-08T16:00:00Z")
        );
    }

    #[test]
    fn limits_refuse_what_would_pass_them() {
        let q = ClaimQuota {
            claimed_today: 9,
            daily_claims: 10,
            held: 4,
            max_held: Some(5),
        };
        assert_eq!(q.refuses(1), None);
        assert!(q.refuses(2).expect("refused").contains("10 claims a day"));
        let q = ClaimQuota { held: 5, ..q };
        assert!(q
            .refuses(1)
            .expect("refused")
            .contains("5 accounts at once"));
    }

    #[test]
    fn a_class_takes_one_rule() {
        let rule = |class| RecycleRule {
            class,
            idle_days: Some(15),
            no_won_days: None,
        };
        let input = PoolInput {
            name: "公海".into(),
            department_id: None,
            rules: vec![rule(AccountClass::Potential), rule(AccountClass::Potential)],
            warn_days: 3,
            daily_claims: 10,
            max_held: None,
            reclaim_days: 30,
        };
        let err = input.validate().expect_err("refused");
        assert!(err.field_errors().contains_key("rules"));
    }
}
