//! Rows of the business tables, each a pure function of (seed, organization, row index).
//!
//! Cross references are index arithmetic, so no table needs another in memory: contact `j` works
//! at account `j·A/C`, opportunity `k` belongs to account `k·O/A`, and so on. Derived columns
//! (E.164 phones, lower-case emails, `name_key`, `search_text`, `search_grams`) come from the same
//! domain functions the API runs on every write: each row is built as the input a person would
//! type, normalized by the domain type's `normalize()`, and stored the way persistence stores it.

mod accounts;
mod activities;
mod contacts;
mod leads;
mod opportunities;

pub use accounts::AccountRow;
pub use activities::ActivityRow;
pub use contacts::ContactRow;
pub use leads::LeadRow;
pub use opportunities::{OpportunityRow, StageChangeRow};

use crate::rng::Rng;
use crate::words::*;
use crate::Sizes;
use chrono::{DateTime, Duration, Utc};
use domain::pipeline::StageKind;
use uuid::Uuid;

/// Stream tags: which table a row stream belongs to.
pub mod table {
    pub const USERS: u64 = 1;
    pub const ACCOUNTS: u64 = 2;
    pub const CONTACTS: u64 = 3;
    pub const OPPORTUNITIES: u64 = 4;
    pub const STAGE_CHANGES: u64 = 5;
    pub const LEADS: u64 = 6;
    pub const ACTIVITIES: u64 = 7;
    /// How long an account has been quiet (no activity) before the anchor.
    pub const QUIET: u64 = 8;
}

/// A stage of the organization's default pipeline.
#[derive(Debug, Clone)]
pub struct StageInfo {
    pub id: Uuid,
    pub position: i32,
    pub probability: i32,
    pub kind: StageKind,
}

/// What the generator needs to know about an organization made by the setup phase.
#[derive(Debug, Clone)]
pub struct Org {
    /// 0 for the main organization, 1.. for the small ones.
    pub no: u64,
    pub id: Uuid,
    pub admin: Uuid,
    /// Users who own customers: salespeople and their managers.
    pub sellers: Vec<Uuid>,
    pub pipeline_id: Uuid,
    /// In position order: open stages, then won, then lost.
    pub stages: Vec<StageInfo>,
    pub sizes: Sizes,
    pub zh: bool,
    /// The organization's contact cadence (accounts.neglect_at = last activity + this).
    pub neglect_days: i32,
}

/// Generates one organization's rows.
pub struct Gen<'a> {
    pub seed: u64,
    pub org: &'a Org,
    /// "Now" for the data: the newest record is a little older than this.
    pub anchor: DateTime<Utc>,
    /// How far back the history goes.
    pub history_days: i64,
}

/// A time-ordered UUIDv7 like `Uuid::now_v7()`, with the record's own time and seeded random bits.
fn uuid_v7(at: DateTime<Utc>, rng: &mut Rng) -> Uuid {
    let ms = at.timestamp_millis().max(0) as u64;
    uuid::Builder::from_unix_timestamp_millis(ms, &rng.bytes::<10>()).into_uuid()
}

fn bad<E: std::fmt::Debug>(what: &str, e: E) -> String {
    format!("generated {what} is invalid: {e:?}")
}

pub fn person_name(rng: &mut Rng, latin_percent: u64) -> (String, String) {
    if rng.chance(latin_percent) {
        let first = *rng.pick(FIRST_NAMES);
        let last = *rng.pick(LAST_NAMES);
        (
            format!("{first} {last}"),
            format!("{}.{}", first.to_lowercase(), last.to_lowercase()),
        )
    } else {
        let (sur, sur_py) = *rng.weighted(SURNAMES);
        let (g1, p1) = *rng.pick(GIVEN);
        if rng.chance(30) {
            (format!("{sur}{g1}"), format!("{p1}.{sur_py}"))
        } else {
            let (g2, p2) = *rng.pick(GIVEN);
            (format!("{sur}{g1}{g2}"), format!("{p1}{p2}.{sur_py}"))
        }
    }
}

fn mobile(rng: &mut Rng) -> String {
    let prefix = *rng.pick(&[
        "135", "136", "137", "138", "139", "150", "151", "152", "158", "159", "186", "187", "188",
        "189", "177", "199",
    ]);
    let n = rng.below(100_000_000);
    // Typed the way people type them: with spaces, dashes, or not at all.
    match rng.below(3) {
        0 => format!("{prefix}{n:08}"),
        1 => format!("{prefix} {:04} {:04}", n / 10_000, n % 10_000),
        _ => format!("+86 {prefix}-{:04}-{:04}", n / 10_000, n % 10_000),
    }
}

fn landline(rng: &mut Rng, area: &str) -> String {
    let n = 80_000_000 + rng.below(9_999_999);
    format!("{area}-{:04} {:04}", n / 10_000, n % 10_000)
}

/// A company: (display name, web host stem, city, industry key).
pub struct Company {
    pub name: String,
    pub host: String,
    pub city: &'static City,
    pub industry: &'static str,
    pub latin: bool,
}

pub fn company(rng: &mut Rng) -> Company {
    let city = rng.weighted(CITIES);
    let (trade_zh, trade_en, industry) = *rng.pick(TRADES);
    if rng.chance(15) {
        let brand = *rng.pick(LATIN_BRANDS);
        let suffix = *rng.pick(LATIN_SUFFIXES);
        let name = if rng.chance(40) {
            format!("{brand} {trade_en} ({}) {suffix}", city.en)
        } else {
            format!("{brand} {trade_en} {suffix}")
        };
        let host = format!(
            "{}{}",
            brand.to_lowercase().replace(' ', ""),
            trade_en
                .split(' ')
                .next()
                .unwrap_or("co")
                .to_lowercase()
                .replace('&', "")
        );
        Company {
            name,
            host,
            city,
            industry,
            latin: true,
        }
    } else {
        let (brand, py) = *rng.pick(BRANDS);
        // A second brand word makes names distinct across hundreds of thousands of accounts.
        let (brand2, py2) = *rng.pick(BRANDS);
        let suffix = *rng.weighted(CJK_SUFFIXES);
        let long = rng.chance(60);
        let name = if long {
            format!("{}{brand}{brand2}{trade_zh}{suffix}", city.zh)
        } else {
            format!("{brand}{brand2}{trade_zh}{suffix}")
        };
        Company {
            name,
            host: format!("{py}{py2}"),
            city,
            industry,
            latin: false,
        }
    }
}

fn address(rng: &mut Rng, city: &City) -> String {
    let district = *rng.pick(city.districts);
    let road = *rng.pick(&[
        "科技园路",
        "人民路",
        "中山路",
        "解放路",
        "建设路",
        "滨海大道",
        "长安街",
        "淮海路",
        "深南大道",
        "天府大道",
        "创业路",
        "工业大道",
    ]);
    format!("{}{district}{road}{}号", city.zh, 1 + rng.below(999))
}

fn tags(rng: &mut Rng, percent: u64) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    while out.len() < 3 && rng.chance(percent) {
        let t = rng.pick(TAGS).to_string();
        if !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

/// The first index `j` of a child table of `children` rows spread over `parents` rows whose
/// parent `j·parents/children` is `p` (children are assigned to parents in contiguous blocks).
fn first_child(p: u64, parents: u64, children: u64) -> u64 {
    (p * children).div_ceil(parents)
}

/// The children of parent `p`: a contiguous range of child indexes.
pub fn children_of(p: u64, parents: u64, children: u64) -> std::ops::Range<u64> {
    if parents == 0 {
        return 0..0;
    }
    first_child(p, parents, children)..first_child(p + 1, parents, children)
}

pub fn parent_of(c: u64, parents: u64, children: u64) -> u64 {
    c * parents / children.max(1)
}

impl Gen<'_> {
    fn rng(&self, table: u64, index: u64) -> Rng {
        Rng::for_row(self.seed, self.org.no, table, index)
    }

    fn start(&self) -> DateTime<Utc> {
        self.anchor - Duration::days(self.history_days)
    }

    /// The creation time of row `i` of `n`: spread evenly over the history with jitter, so ids
    /// (UUIDv7) follow creation order as they do for records created through the API.
    fn spread(&self, rng: &mut Rng, i: u64, n: u64) -> DateTime<Utc> {
        let span = (self.history_days * 86_400) as f64;
        let slot = span / n.max(1) as f64;
        let t = slot * i as f64 + slot * (rng.below(1000) as f64 / 1000.0);
        self.start() + Duration::seconds(t as i64)
    }

    /// A time after `t` by up to `max_days`, never after the anchor.
    fn later(&self, rng: &mut Rng, t: DateTime<Utc>, max_days: i64) -> DateTime<Utc> {
        let latest = self.anchor - Duration::minutes(1);
        let t2 = t + Duration::seconds(rng.range(60, max_days.max(1) * 86_400));
        t2.min(latest).max(t)
    }

    fn seller(&self, rng: &mut Rng) -> Uuid {
        *rng.pick(&self.org.sellers)
    }

    fn sizes(&self) -> &Sizes {
        &self.org.sizes
    }
}
