//! When an owned account returns to the customer pool (公海) unless followed up: a badge for
//! the days left once they are few, and the date in words.

use crate::i18n::{format_datetime, use_i18n, I18n, K};
use chrono::{DateTime, Utc};
use leptos::prelude::*;

/// The badge shows from this many days before the account returns.
pub const BADGE_DAYS: i64 = 7;

/// Days until `at`, counted as the pools count days (Beijing time): 0 today (or overdue: it
/// returns at the next run), 1 tomorrow.
pub fn days_until(at: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    let days = domain::pool::day_start(at) - domain::pool::day_start(now);
    days.num_days().max(0)
}

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
}

/// `3 天后退回公海` (tracked).
pub fn returns_text(days: i64, i: I18n) -> String {
    match days {
        0 => i.t(K::ReturnsToday).to_string(),
        1 => i.t(K::ReturnsTomorrow).to_string(),
        n => i.t_n(K::ReturnsInDays, n),
    }
}

/// `若不跟进，将于 12月20日 14:00 退回公海` (tracked).
pub fn returns_on_text(at: DateTime<Utc>, i: I18n) -> String {
    i.t(K::ReturnsOn)
        .replace("{t}", &format_datetime(&at, i.locale()))
}

/// The time an account's JSON says it returns (`recycle_at`), if it has one.
pub fn recycle_at_of(v: &serde_json::Value) -> Option<DateTime<Utc>> {
    v.as_str()?.parse().ok()
}

/// `N 天后退回公海` when the account returns within [`BADGE_DAYS`]; nothing before.
#[component]
pub fn RecycleBadge(at: DateTime<Utc>) -> impl IntoView {
    let i = use_i18n();
    let days = days_until(at, now());
    (days <= BADGE_DAYS).then(|| {
        view! {
            <span class="badge recycle-soon" data-days=days.to_string() title=move || returns_on_text(at, i)>
                {move || returns_text(days, i)}
            </span>
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_counted_in_the_pools_days() {
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        // 23:00 and 01:00 the next day in Beijing: one day apart, two hours later.
        assert_eq!(
            days_until(at("2026-12-08T17:00:00Z"), at("2026-12-08T15:00:00Z")),
            1
        );
        assert_eq!(
            days_until(at("2026-12-08T15:30:00Z"), at("2026-12-08T01:00:00Z")),
            0
        );
        assert_eq!(
            days_until(at("2026-12-15T02:00:00Z"), at("2026-12-08T02:00:00Z")),
            7
        );
        assert_eq!(
            days_until(at("2026-12-01T02:00:00Z"), at("2026-12-08T02:00:00Z")),
            0
        );
    }
}
