//! Cron expressions for scheduled jobs: five fields — minute, hour, day of month, month, day of
//! week (0 or 7 is Sunday) — each `*`, a number, a range `a-b`, a step `*/n` or `a-b/n`, or a
//! list of those. As in cron, when both days are restricted a day matching either one runs.
//! Times are read at a fixed offset from UTC (China has one zone and no daylight saving).

use chrono::{DateTime, Datelike, Duration, NaiveDate, Timelike, Utc};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cron {
    minutes: u64,
    hours: u64,
    days: u64,
    months: u64,
    weekdays: u64,
    any_day: bool,
    any_weekday: bool,
}

fn field(text: &str, min: u32, max: u32, name: &str) -> Result<u64, String> {
    let mut bits = 0u64;
    for part in text.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((r, s)) => (
                r,
                s.parse::<u32>()
                    .ok()
                    .filter(|s| *s > 0)
                    .ok_or(format!("{name}: bad step `{s}`"))?,
            ),
            None => (part, 1),
        };
        let num = |s: &str| {
            s.parse::<u32>()
                .ok()
                .filter(|n| (min..=max).contains(n))
                .ok_or(format!("{name}: `{s}` is not in {min}–{max}"))
        };
        let (from, to) = match range {
            "*" => (min, max),
            r => match r.split_once('-') {
                Some((a, b)) => (num(a)?, num(b)?),
                // `5/15`: from 5 to the end, every 15.
                None if step > 1 => (num(r)?, max),
                None => (num(r)?, num(r)?),
            },
        };
        if from > to {
            return Err(format!("{name}: empty range `{range}`"));
        }
        for v in (from..=to).step_by(step as usize) {
            bits |= 1 << v;
        }
    }
    Ok(bits)
}

impl Cron {
    pub fn parse(text: &str) -> Result<Cron, String> {
        let parts: Vec<&str> = text.split_whitespace().collect();
        let [minute, hour, day, month, weekday] = parts[..] else {
            return Err("five fields: minute hour day-of-month month day-of-week".into());
        };
        let mut weekdays = field(weekday, 0, 7, "day of week")?;
        if weekdays & (1 << 7) != 0 {
            weekdays |= 1;
        }
        Ok(Cron {
            minutes: field(minute, 0, 59, "minute")?,
            hours: field(hour, 0, 23, "hour")?,
            days: field(day, 1, 31, "day of month")?,
            months: field(month, 1, 12, "month")?,
            weekdays,
            any_day: day == "*",
            any_weekday: weekday == "*",
        })
    }

    fn runs_on(&self, date: NaiveDate) -> bool {
        let day = self.days & (1 << date.day()) != 0;
        let weekday = self.weekdays & (1 << date.weekday().num_days_from_sunday()) != 0;
        let day_matches = match (self.any_day, self.any_weekday) {
            (true, true) => true,
            (false, true) => day,
            (true, false) => weekday,
            (false, false) => day || weekday,
        };
        self.months & (1 << date.month()) != 0 && day_matches
    }

    /// The first time strictly after `after` that the expression names, read at
    /// `offset_minutes` east of UTC; `None` if none within five years (`0 0 30 2 *`).
    pub fn next_after(&self, after: DateTime<Utc>, offset_minutes: i32) -> Option<DateTime<Utc>> {
        let offset = Duration::minutes(i64::from(offset_minutes));
        let local = (after + offset).naive_utc();
        let start = local.with_second(0)?.with_nanosecond(0)? + Duration::minutes(1);
        for d in 0..(5 * 366) {
            let date = start.date() + Duration::days(d);
            if !self.runs_on(date) {
                continue;
            }
            let first_day = d == 0;
            for h in (if first_day { start.hour() } else { 0 })..24 {
                if self.hours & (1 << h) == 0 {
                    continue;
                }
                let from = if first_day && h == start.hour() {
                    start.minute()
                } else {
                    0
                };
                if let Some(m) = (from..60).find(|m| self.minutes & (1 << m) != 0) {
                    let at = date.and_hms_opt(h, m, 0)?;
                    return Some(at.and_utc() - offset);
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().expect("time")
    }

    #[test]
    fn finds_the_next_time_at_an_offset() {
        let nightly = Cron::parse("30 3 * * *").expect("cron");
        // 03:30 in Beijing (UTC+8) is 19:30 UTC the day before.
        assert_eq!(
            nightly.next_after(t("2026-12-01T12:00:00Z"), 480),
            Some(t("2026-12-01T19:30:00Z"))
        );
        assert_eq!(
            nightly.next_after(t("2026-12-01T19:30:00Z"), 480),
            Some(t("2026-12-02T19:30:00Z")),
            "strictly after"
        );
        let quarter = Cron::parse("*/15 * * * *").expect("cron");
        assert_eq!(
            quarter.next_after(t("2026-12-01T10:07:59Z"), 0),
            Some(t("2026-12-01T10:15:00Z"))
        );
        assert_eq!(
            quarter.next_after(t("2026-12-01T23:59:00Z"), 0),
            Some(t("2026-12-02T00:00:00Z"))
        );
    }

    #[test]
    fn days_of_month_and_week_follow_cron() {
        // Weekdays at 09:00: 2026-12-05 is a Saturday.
        let workdays = Cron::parse("0 9 * * 1-5").expect("cron");
        assert_eq!(
            workdays.next_after(t("2026-12-04T10:00:00Z"), 0),
            Some(t("2026-12-07T09:00:00Z"))
        );
        // Either the 1st or a Sunday (both restricted: either one).
        let either = Cron::parse("0 0 1 * 0").expect("cron");
        assert_eq!(
            either.next_after(t("2026-12-01T00:00:00Z"), 0),
            Some(t("2026-12-06T00:00:00Z"))
        );
        let sunday = Cron::parse("0 0 * * 7").expect("cron");
        assert_eq!(
            sunday.next_after(t("2026-12-01T00:00:00Z"), 0),
            Some(t("2026-12-06T00:00:00Z"))
        );
        let leap = Cron::parse("0 12 29 2 *").expect("cron");
        assert_eq!(
            leap.next_after(t("2026-03-01T00:00:00Z"), 0),
            Some(t("2028-02-29T12:00:00Z"))
        );
        assert_eq!(
            Cron::parse("0 0 30 2 *")
                .expect("cron")
                .next_after(t("2026-01-01T00:00:00Z"), 0),
            None
        );
        let list = Cron::parse("5,35 8-10/2 * * *").expect("cron");
        assert_eq!(
            list.next_after(t("2026-12-01T08:35:00Z"), 0),
            Some(t("2026-12-01T10:05:00Z"))
        );
    }

    #[test]
    fn bad_expressions_say_what_is_wrong() {
        for (bad, says) in [
            ("* * * *", "five fields"),
            ("60 * * * *", "minute"),
            ("* 24 * * *", "hour"),
            ("* * 0 * *", "day of month"),
            ("* * * 13 *", "month"),
            ("* * * * 8", "day of week"),
            ("*/0 * * * *", "step"),
            ("5-1 * * * *", "empty range"),
            ("x * * * *", "minute"),
        ] {
            let e = Cron::parse(bad).expect_err(bad);
            assert!(e.contains(says), "{bad}: {e}");
        }
    }
}
