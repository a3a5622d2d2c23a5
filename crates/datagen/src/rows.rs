//! Rows of the business tables, each a pure function of (seed, organization, row index).
//!
//! Cross references are index arithmetic, so no table needs another in memory: contact `j` works
//! at account `j·A/C`, opportunity `k` belongs to account `k·O/A`, and so on. Derived columns
//! (E.164 phones, lower-case emails, `name_key`, `search_text`, `search_grams`) come from the same
//! domain functions the API runs on every write: each row is built as the input a person would
//! type, normalized by the domain type's `normalize()`, and stored the way persistence stores it.

use crate::rng::Rng;
use crate::words::*;
use crate::Sizes;
use bigdecimal::BigDecimal;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use diesel::Insertable;
use domain::account::{AccountClass, AccountInput};
use domain::activity::{ActivityInput, ActivityKind, EntityType, TaskStatus};
use domain::contact::ContactInput;
use domain::lead::{LeadInput, LeadStatus};
use domain::money::{Decimal, Money};
use domain::normalize::bigrams;
use domain::opportunity::OpportunityInput;
use domain::picklist::{DISQUALIFY_REASONS, LOST_REASONS, SOURCES};
use domain::pipeline::StageKind;
use persistence::schema::{accounts, activities, contacts, leads, opportunities, stage_changes};
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

#[derive(Insertable)]
#[diesel(table_name = accounts, treat_none_as_default_value = false)]
pub struct AccountRow {
    pub id: Uuid,
    pub org_id: Uuid,
    pub name: String,
    pub name_key: String,
    pub credit_code: Option<String>,
    pub industry: Option<String>,
    pub employees: Option<i32>,
    pub annual_revenue: Option<BigDecimal>,
    pub annual_revenue_currency: Option<String>,
    pub region: Option<String>,
    pub address: Option<String>,
    pub website: Option<String>,
    pub phone: Option<String>,
    pub source: Option<String>,
    pub class: String,
    pub owner_id: Uuid,
    pub tags: Vec<String>,
    pub search_text: String,
    pub search_grams: Vec<String>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub created_by: Uuid,
    pub updated_by: Uuid,
    pub deleted_at: Option<DateTime<Utc>>,
    pub deleted_by: Option<Uuid>,
    pub last_activity_at: Option<DateTime<Utc>>,
    pub neglect_at: DateTime<Utc>,
}

#[derive(Insertable)]
#[diesel(table_name = contacts, treat_none_as_default_value = false)]
pub struct ContactRow {
    pub id: Uuid,
    pub org_id: Uuid,
    pub name: String,
    pub title: Option<String>,
    pub account_id: Option<Uuid>,
    pub phones: Vec<String>,
    pub emails: Vec<String>,
    pub wechat: Option<String>,
    pub birthday: Option<NaiveDate>,
    pub owner_id: Uuid,
    pub tags: Vec<String>,
    pub search_text: String,
    pub search_grams: Vec<String>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub created_by: Uuid,
    pub updated_by: Uuid,
    pub deleted_at: Option<DateTime<Utc>>,
    pub deleted_by: Option<Uuid>,
}

#[derive(Insertable)]
#[diesel(table_name = opportunities, treat_none_as_default_value = false)]
pub struct OpportunityRow {
    pub id: Uuid,
    pub org_id: Uuid,
    pub name: String,
    pub account_id: Uuid,
    pub contact_id: Option<Uuid>,
    pub amount: Option<BigDecimal>,
    pub currency: Option<String>,
    pub expected_close: Option<NaiveDate>,
    pub pipeline_id: Uuid,
    pub stage_id: Uuid,
    pub status: String,
    pub probability: i32,
    pub probability_overridden: bool,
    pub source: Option<String>,
    pub competitors: Vec<String>,
    pub close_reason: Option<String>,
    pub lost_reason: Option<String>,
    pub closed_at: Option<DateTime<Utc>>,
    pub owner_id: Uuid,
    pub tags: Vec<String>,
    pub search_text: String,
    pub search_grams: Vec<String>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub created_by: Uuid,
    pub updated_by: Uuid,
    pub deleted_at: Option<DateTime<Utc>>,
    pub deleted_by: Option<Uuid>,
}

#[derive(Insertable)]
#[diesel(table_name = stage_changes, treat_none_as_default_value = false)]
pub struct StageChangeRow {
    pub id: Uuid,
    pub org_id: Uuid,
    pub opportunity_id: Uuid,
    pub from_stage_id: Option<Uuid>,
    pub to_stage_id: Uuid,
    pub actor_id: Uuid,
    pub at: DateTime<Utc>,
    pub reason: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = leads, treat_none_as_default_value = false)]
pub struct LeadRow {
    pub id: Uuid,
    pub org_id: Uuid,
    pub name: String,
    pub company: Option<String>,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub region: Option<String>,
    pub address: Option<String>,
    pub industry: Option<String>,
    pub source: Option<String>,
    pub description: Option<String>,
    pub status: String,
    pub disqualify_reason: Option<String>,
    pub converted_at: Option<DateTime<Utc>>,
    pub converted_by: Option<Uuid>,
    pub account_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub opportunity_id: Option<Uuid>,
    pub owner_id: Uuid,
    pub tags: Vec<String>,
    pub search_text: String,
    pub search_grams: Vec<String>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub created_by: Uuid,
    pub updated_by: Uuid,
    pub deleted_at: Option<DateTime<Utc>>,
    pub deleted_by: Option<Uuid>,
}

#[derive(Insertable)]
#[diesel(table_name = activities, treat_none_as_default_value = false)]
pub struct ActivityRow {
    pub id: Uuid,
    pub org_id: Uuid,
    pub kind: String,
    pub subject: String,
    pub body: Option<String>,
    pub entity: String,
    pub entity_id: Uuid,
    pub account_id: Option<Uuid>,
    pub occurred_at: Option<DateTime<Utc>>,
    pub due_at: Option<DateTime<Utc>>,
    pub status: Option<String>,
    pub reminder_at: Option<DateTime<Utc>>,
    pub owner_id: Uuid,
    pub tags: Vec<String>,
    pub search_text: String,
    pub search_grams: Vec<String>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub created_by: Uuid,
    pub updated_by: Uuid,
    pub deleted_at: Option<DateTime<Utc>>,
    pub deleted_by: Option<Uuid>,
}

/// One step of a deal's stage path: stage index, when, and for a close the reason (text, and the
/// `lost_reason` picklist key of a lost deal).
type Step = (usize, DateTime<Utc>, Option<(String, Option<&'static str>)>);

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

    // ---- accounts ------------------------------------------------------------------------

    /// Who owns account `a` and when it was created (also needed by its contacts and deals).
    pub fn account_core(&self, a: u64) -> (Uuid, DateTime<Utc>, Rng) {
        let mut rng = self.rng(table::ACCOUNTS, a);
        let created = self.spread(&mut rng, a, self.sizes().accounts);
        let owner = self.seller(&mut rng);
        (owner, created, rng)
    }

    pub fn account_id(&self, a: u64) -> Uuid {
        let (_, created, mut rng) = self.account_core(a);
        uuid_v7(created, &mut rng)
    }

    /// The company of account `a` (deals are named after it).
    fn account_company(&self, a: u64) -> Company {
        let (_, created, mut rng) = self.account_core(a);
        let _ = uuid_v7(created, &mut rng);
        company(&mut rng)
    }

    pub fn account(&self, a: u64) -> Result<AccountRow, String> {
        let (owner, created, mut rng) = self.account_core(a);
        let id = uuid_v7(created, &mut rng);
        let c = company(&mut rng);
        let region = if rng.chance(85) {
            Some(c.city.code.to_string())
        } else {
            None
        };
        let credit_code = rng.chance(70).then(|| {
            let first17 = format!("91{}{:09}", c.city.code, rng.below(1_000_000_000));
            domain::credit_code::with_check_char(&first17).unwrap_or_default()
        });
        let revenue = rng.chance(60).then(|| Money {
            amount: Decimal(BigDecimal::from(500_000 + rng.below(400) as i64 * 250_000)),
            currency: "CNY".into(),
        });
        let mut input = AccountInput {
            name: c.name.clone(),
            credit_code,
            industry: Some(c.industry.to_string()),
            employees: rng
                .chance(80)
                .then(|| (10 + rng.below(20) * rng.below(500)) as i32),
            annual_revenue: revenue,
            region,
            address: rng.chance(70).then(|| address(&mut rng, c.city)),
            website: rng
                .chance(50)
                .then(|| format!("www.{}.example.com", c.host)),
            phone: rng.chance(80).then(|| landline(&mut rng, c.city.area)),
            source: Some(rng.pick(SOURCES).0.to_string()),
            class: *rng.weighted(&[
                (60, AccountClass::Potential),
                (28, AccountClass::Target),
                (12, AccountClass::Key),
            ]),
            owner_id: Some(owner),
            tags: tags(&mut rng, 30),
            custom: Default::default(),
        };
        input.normalize().map_err(|e| bad("account", e))?;
        let updated = if rng.chance(50) {
            self.later(&mut rng, created, 200)
        } else {
            created
        };
        let deleted = rng.chance(1).then_some(updated);
        let search_text = input.search_text();
        let last_activity_at = self
            .activities_of(a)
            .map(|m| self.activity_core(m))
            .filter(|c| !c.deleted)
            .filter_map(|c| c.occurred)
            .max();
        let neglect_at =
            last_activity_at.unwrap_or(created) + Duration::days(self.org.neglect_days.into());
        Ok(AccountRow {
            last_activity_at,
            neglect_at,
            id,
            org_id: self.org.id,
            name_key: input.name_key(),
            name: input.name,
            credit_code: input.credit_code,
            industry: input.industry,
            employees: input.employees,
            annual_revenue_currency: input.annual_revenue.as_ref().map(|m| m.currency.clone()),
            annual_revenue: input.annual_revenue.map(|m| m.amount.0),
            region: input.region,
            address: input.address,
            website: input.website,
            phone: input.phone,
            source: input.source,
            class: input.class.as_str().to_string(),
            owner_id: owner,
            tags: input.tags,
            search_grams: bigrams(&search_text),
            search_text,
            version: if updated == created { 1 } else { 2 },
            created_at: created,
            updated_at: updated,
            created_by: owner,
            updated_by: owner,
            deleted_at: deleted,
            deleted_by: deleted.map(|_| owner),
        })
    }

    // ---- contacts ------------------------------------------------------------------------

    pub fn contact_account(&self, j: u64) -> u64 {
        parent_of(j, self.sizes().accounts, self.sizes().contacts)
    }

    fn contact_core(&self, j: u64) -> (u64, Uuid, DateTime<Utc>, Rng) {
        let a = self.contact_account(j);
        let (owner, account_created, _) = self.account_core(a);
        let mut rng = self.rng(table::CONTACTS, j);
        let created = self.later(&mut rng, account_created, 20);
        (a, owner, created, rng)
    }

    pub fn contact_id(&self, j: u64) -> Uuid {
        let (_, _, created, mut rng) = self.contact_core(j);
        uuid_v7(created, &mut rng)
    }

    pub fn contact(&self, j: u64) -> Result<ContactRow, String> {
        let (a, owner, created, mut rng) = self.contact_core(j);
        let id = uuid_v7(created, &mut rng);
        let (name, handle) = person_name(&mut rng, 10);
        let mut phones = vec![mobile(&mut rng)];
        if rng.chance(20) {
            let area = rng.weighted(CITIES).area;
            phones.push(landline(&mut rng, area));
        }
        let mut emails = Vec::new();
        if rng.chance(75) {
            let domain = if rng.chance(50) {
                format!("{}.example.com", company(&mut rng.clone()).host)
            } else {
                rng.pick(MAIL_DOMAINS).to_string()
            };
            emails.push(format!("{handle}{}@{domain}", j % 1000));
        }
        let title = rng.chance(85).then(|| {
            let (zh, en) = *rng.weighted(TITLES);
            if name.is_ascii() { en } else { zh }.to_string()
        });
        let mut input = ContactInput {
            name,
            title,
            account_id: Some(self.account_id(a)),
            phones,
            emails,
            wechat: rng.chance(40).then(|| format!("wx_{handle}{}", j % 97)),
            birthday: rng.chance(20).then(|| {
                NaiveDate::from_ymd_opt(
                    1960 + rng.below(45) as i32,
                    1 + rng.below(12) as u32,
                    1 + rng.below(28) as u32,
                )
                .unwrap_or_default()
            }),
            owner_id: Some(owner),
            tags: tags(&mut rng, 15),
            custom: Default::default(),
        };
        input.normalize().map_err(|e| bad("contact", e))?;
        let updated = if rng.chance(40) {
            self.later(&mut rng, created, 200)
        } else {
            created
        };
        let deleted = rng.chance(1).then_some(updated);
        let search_text = input.search_text();
        Ok(ContactRow {
            id,
            org_id: self.org.id,
            name: input.name,
            title: input.title,
            account_id: input.account_id,
            phones: input.phones,
            emails: input.emails,
            wechat: input.wechat,
            birthday: input.birthday,
            owner_id: owner,
            tags: input.tags,
            search_grams: bigrams(&search_text),
            search_text,
            version: if updated == created { 1 } else { 2 },
            created_at: created,
            updated_at: updated,
            created_by: owner,
            updated_by: owner,
            deleted_at: deleted,
            deleted_by: deleted.map(|_| owner),
        })
    }

    // ---- opportunities and their stage history -------------------------------------------

    pub fn opportunity_account(&self, k: u64) -> u64 {
        parent_of(k, self.sizes().accounts, self.sizes().opportunities)
    }

    /// (account, owner, created, final stage index, the stage it was at before closing, rng).
    fn opportunity_core(&self, k: u64) -> (u64, Uuid, DateTime<Utc>, usize, usize, Rng) {
        let a = self.opportunity_account(k);
        let (owner, account_created, _) = self.account_core(a);
        let mut rng = self.rng(table::OPPORTUNITIES, k);
        let created = self.later(&mut rng, account_created, 90);
        let open: Vec<usize> = (0..self.org.stages.len())
            .filter(|i| self.org.stages[*i].kind == StageKind::Open)
            .collect();
        let won = self
            .org
            .stages
            .iter()
            .position(|s| s.kind == StageKind::Won);
        let lost = self
            .org
            .stages
            .iter()
            .position(|s| s.kind == StageKind::Lost);
        // Old deals are mostly closed; recent ones mostly open.
        let age_days = (self.anchor - created).num_days();
        let closed_percent = (age_days * 100 / 240).clamp(15, 85) as u64;
        let reached = *rng.pick(&open);
        let stage = if rng.chance(closed_percent) {
            match (rng.chance(40), won, lost) {
                (true, Some(w), _) => w,
                (false, _, Some(l)) => l,
                _ => reached,
            }
        } else {
            reached
        };
        (a, owner, created, stage, reached, rng)
    }

    pub fn opportunity_id(&self, k: u64) -> Uuid {
        let (_, _, created, _, _, mut rng) = self.opportunity_core(k);
        uuid_v7(created, &mut rng)
    }

    /// The stage path of deal `k`: (stage index, when, reason) from creation to its stage now.
    fn stage_path(
        &self,
        created: DateTime<Utc>,
        stage: usize,
        reached: usize,
        rng: &mut Rng,
    ) -> Vec<Step> {
        let mut path = vec![(0usize, created, None)];
        let mut t = created;
        let last_open = if self.org.stages[stage].kind == StageKind::Open {
            stage
        } else {
            reached
        };
        for s in 1..=last_open {
            t = self.later(rng, t, 25);
            path.push((s, t, None));
        }
        match self.org.stages[stage].kind {
            StageKind::Open => {}
            StageKind::Won => {
                t = self.later(rng, t, 30);
                let reason = if self.org.zh {
                    *rng.pick(&[
                        "价格优势，客户已签署采购合同",
                        "技术方案通过评审",
                        "老客户续约",
                        "交付周期最短",
                    ])
                } else {
                    *rng.pick(&[
                        "Best price, contract signed",
                        "Technical review passed",
                        "Renewal",
                        "Fastest delivery",
                    ])
                };
                path.push((stage, t, Some((reason.to_string(), None))));
            }
            StageKind::Lost => {
                t = self.later(rng, t, 30);
                let (key, zh, en) = *rng.pick(LOST_REASONS);
                let text = if self.org.zh { zh } else { en }.to_string();
                path.push((stage, t, Some((text, Some(key)))));
            }
        }
        path
    }

    pub fn opportunity(&self, k: u64) -> Result<(OpportunityRow, Vec<StageChangeRow>), String> {
        let (a, owner, created, stage_ix, reached, mut rng) = self.opportunity_core(k);
        let id = uuid_v7(created, &mut rng);
        let contacts = children_of(a, self.sizes().accounts, self.sizes().contacts);
        let contact_id =
            (!contacts.is_empty() && rng.chance(80)).then(|| self.contact_id(contacts.start));
        let account_company = self.account_company(a);
        let (product_zh, product_en) = *rng.pick(PRODUCTS);
        let year = (created + Duration::days(60)).format("%Y");
        let short: String = domain::normalize::company_key(&account_company.name)
            .chars()
            .take(if account_company.latin { 24 } else { 6 })
            .collect();
        let name = if self.org.zh && !account_company.latin {
            format!("{short} {year} 年度{product_zh}采购")
        } else {
            format!(
                "{} {product_en} {year}",
                account_company.name.split(' ').next().unwrap_or("Deal")
            )
        };
        let amount = Money {
            amount: Decimal(BigDecimal::from(
                (5_000 + rng.below(200) * rng.below(100) * 500) as i64,
            )),
            currency: if rng.chance(95) { "CNY" } else { "USD" }.into(),
        };
        let mut input = OpportunityInput {
            name,
            account_id: self.account_id(a),
            contact_id,
            amount: rng.chance(90).then_some(amount),
            expected_close: None,
            pipeline_id: Some(self.org.pipeline_id),
            stage_id: Some(self.org.stages[stage_ix].id),
            probability: None,
            source: Some(rng.pick(SOURCES).0.to_string()),
            campaign_id: None,
            competitors: (0..rng.below(3))
                .map(|_| rng.pick(COMPETITORS).to_string())
                .collect(),
            owner_id: Some(owner),
            tags: tags(&mut rng, 10),
            custom: Default::default(),
        };
        input.normalize().map_err(|e| bad("opportunity", e))?;
        let stage = &self.org.stages[stage_ix];
        let path = self.stage_path(created, stage_ix, reached, &mut rng);
        let last_move = path.last().map(|p| p.1).unwrap_or(created);
        let (closed_at, close_reason, lost_reason) = match (stage.kind, path.last()) {
            (StageKind::Open, _) | (_, None) => (None, None, None),
            (_, Some((_, _, reason))) => (
                Some(last_move),
                reason.as_ref().map(|r| r.0.clone()),
                reason.as_ref().and_then(|r| r.1).map(str::to_string),
            ),
        };
        let expected_close = match closed_at {
            Some(t) => t.date_naive(),
            None => (self.anchor + Duration::days(rng.range(-20, 200))).date_naive(),
        };
        input.expected_close = Some(expected_close);
        let overridden = stage.kind == StageKind::Open && rng.chance(10);
        let probability = match stage.kind {
            StageKind::Won => 100,
            StageKind::Lost => 0,
            StageKind::Open if overridden => (stage.probability + 5).min(100),
            StageKind::Open => stage.probability,
        };
        let mut changes = Vec::with_capacity(path.len());
        let mut crng = self.rng(table::STAGE_CHANGES, k);
        let mut from = None;
        for (s, at, reason) in &path {
            let to = self.org.stages[*s].id;
            changes.push(StageChangeRow {
                id: uuid_v7(*at, &mut crng),
                org_id: self.org.id,
                opportunity_id: id,
                from_stage_id: from,
                to_stage_id: to,
                actor_id: owner,
                at: *at,
                reason: reason.as_ref().map(|r| r.0.clone()),
            });
            from = Some(to);
        }
        let deleted = rng.chance(1).then_some(last_move);
        let search_text = input.search_text();
        let row = OpportunityRow {
            id,
            org_id: self.org.id,
            name: input.name,
            account_id: input.account_id,
            contact_id: input.contact_id,
            currency: input.amount.as_ref().map(|m| m.currency.clone()),
            amount: input.amount.map(|m| m.amount.0),
            expected_close: input.expected_close,
            pipeline_id: self.org.pipeline_id,
            stage_id: stage.id,
            status: stage.kind.as_str().to_string(),
            probability,
            probability_overridden: overridden,
            source: input.source,
            competitors: input.competitors,
            close_reason,
            lost_reason,
            closed_at,
            owner_id: owner,
            tags: input.tags,
            search_grams: bigrams(&search_text),
            search_text,
            version: path.len() as i32,
            created_at: created,
            updated_at: last_move,
            created_by: owner,
            updated_by: owner,
            deleted_at: deleted,
            deleted_by: deleted.map(|_| owner),
        };
        Ok((row, changes))
    }

    // ---- leads ---------------------------------------------------------------------------

    pub fn lead(&self, l: u64) -> Result<LeadRow, String> {
        let sizes = self.sizes();
        let mut rng = self.rng(table::LEADS, l);
        let created = self.spread(&mut rng, l, sizes.leads);
        let id = uuid_v7(created, &mut rng);
        let owner = self.seller(&mut rng);
        let (name, handle) = person_name(&mut rng, 8);
        let c = company(&mut rng);
        let status = *rng.weighted(&[
            (30, LeadStatus::New),
            (22, LeadStatus::Contacted),
            (15, LeadStatus::Qualified),
            (15, LeadStatus::Converted),
            (18, LeadStatus::Disqualified),
        ]);
        let mut input = LeadInput {
            name,
            company: Some(c.name.clone()),
            title: rng.chance(70).then(|| {
                let (zh, en) = *rng.weighted(TITLES);
                if c.latin { en } else { zh }.to_string()
            }),
            phone: rng.chance(85).then(|| mobile(&mut rng)),
            email: rng
                .chance(60)
                .then(|| format!("{handle}@{}.example.com", c.host)),
            region: rng.chance(70).then(|| c.city.code.to_string()),
            address: None,
            industry: Some(c.industry.to_string()),
            source: Some(rng.pick(SOURCES).0.to_string()),
            description: rng.chance(30).then(|| {
                if self.org.zh {
                    format!("在展会上了解到我们的产品，对{}感兴趣", rng.pick(PRODUCTS).0)
                } else {
                    format!(
                        "Met at a trade show, interested in {}",
                        rng.pick(PRODUCTS).1
                    )
                }
            }),
            status: if status == LeadStatus::Converted {
                LeadStatus::Qualified
            } else {
                status
            },
            disqualify_reason: (status == LeadStatus::Disqualified)
                .then(|| rng.pick(DISQUALIFY_REASONS).0.to_string()),
            owner_id: Some(owner),
            tags: tags(&mut rng, 10),
            custom: Default::default(),
        };
        input.normalize().map_err(|e| bad("lead", e))?;
        let mut row_status = input.status;
        let mut converted = (None, None, None, None);
        if status == LeadStatus::Converted && sizes.accounts > 0 {
            // Converted into an account created after the lead, with its first contact and deal.
            let base = parent_of(l, sizes.accounts, sizes.leads);
            let a = (base + 1 + rng.below((sizes.accounts / 50).max(1))).min(sizes.accounts - 1);
            let contacts = children_of(a, sizes.accounts, sizes.contacts);
            if !contacts.is_empty() {
                let (_, account_created, _) = self.account_core(a);
                let deals = children_of(a, sizes.accounts, sizes.opportunities);
                converted = (
                    Some(account_created.max(created)),
                    Some(self.account_id(a)),
                    Some(self.contact_id(contacts.start)),
                    (!deals.is_empty()).then(|| self.opportunity_id(deals.start)),
                );
                row_status = LeadStatus::Converted;
            }
        }
        let updated = converted.0.unwrap_or(if rng.chance(50) {
            self.later(&mut rng, created, 60)
        } else {
            created
        });
        let deleted = rng.chance(1).then_some(updated);
        let search_text = input.search_text();
        Ok(LeadRow {
            id,
            org_id: self.org.id,
            name: input.name,
            company: input.company,
            title: input.title,
            phone: input.phone,
            email: input.email,
            region: input.region,
            address: input.address,
            industry: input.industry,
            source: input.source,
            description: input.description,
            status: row_status.as_str().to_string(),
            disqualify_reason: input.disqualify_reason,
            converted_at: converted.0,
            converted_by: converted.0.map(|_| owner),
            account_id: converted.1,
            contact_id: converted.2,
            opportunity_id: converted.3,
            owner_id: owner,
            tags: input.tags,
            search_grams: bigrams(&search_text),
            search_text,
            version: if updated == created { 1 } else { 2 },
            created_at: created,
            updated_at: updated,
            created_by: owner,
            updated_by: owner,
            deleted_at: deleted,
            deleted_by: deleted.map(|_| owner),
        })
    }

    // ---- activities ----------------------------------------------------------------------

    /// The activities of account `a` (its own, its contacts' and its deals'): a block of indexes.
    pub fn activities_of(&self, a: u64) -> std::ops::Range<u64> {
        children_of(a, self.sizes().accounts, self.sizes().activities)
    }

    /// The part of activity `m` its account's `last_activity_at` depends on.
    fn activity_core(&self, m: u64) -> ActivityCore {
        let a = parent_of(m, self.sizes().accounts, self.sizes().activities);
        let (owner, account_created, _) = self.account_core(a);
        // Some accounts have gone quiet: their activities stop weeks or months before the anchor,
        // so the neglected list has members.
        let mut quiet = self.rng(table::QUIET, a);
        let quiet_days = if quiet.chance(35) {
            quiet.range(20, 400)
        } else {
            0
        };
        let end = (self.anchor - Duration::days(quiet_days)).max(account_created);
        let mut rng = self.rng(table::ACTIVITIES, m);
        let kind = *rng.weighted(&[
            (30, ActivityKind::Call),
            (14, ActivityKind::Visit),
            (8, ActivityKind::Meeting),
            (20, ActivityKind::Email),
            (10, ActivityKind::Note),
            (18, ActivityKind::Task),
        ]);
        let span = (end - account_created).num_seconds().max(60);
        let at = account_created + Duration::seconds(rng.range(0, span));
        let (occurred, due, status) = if kind == ActivityKind::Task {
            let due = at + Duration::hours(rng.range(2, 14 * 24));
            let status = if due < self.anchor {
                *rng.weighted(&[
                    (75, TaskStatus::Done),
                    (10, TaskStatus::Cancelled),
                    (15, TaskStatus::Open),
                ])
            } else {
                *rng.weighted(&[(90, TaskStatus::Open), (10, TaskStatus::Done)])
            };
            let done = (status == TaskStatus::Done).then(|| {
                (at + Duration::seconds(rng.range(600, (due - at).num_seconds().max(601))))
                    .min(self.anchor - Duration::minutes(1))
            });
            (done, Some(due), Some(status))
        } else {
            (Some(at), None, None)
        };
        let deleted = rng.chance(1);
        ActivityCore {
            deleted,
            account: a,
            owner,
            kind,
            created: at,
            occurred,
            due,
            status,
            rng,
        }
    }

    pub fn activity(&self, m: u64) -> Result<ActivityRow, String> {
        let ActivityCore {
            account: a,
            owner,
            kind,
            created,
            occurred,
            due,
            status,
            deleted,
            mut rng,
        } = self.activity_core(m);
        let id = uuid_v7(created, &mut rng);
        let sizes = self.sizes();
        let contacts = children_of(a, sizes.accounts, sizes.contacts);
        let deals = children_of(a, sizes.accounts, sizes.opportunities);
        let (entity, entity_id) = match rng.below(100) {
            0..=34 if !contacts.is_empty() => (
                EntityType::CONTACT,
                self.contact_id(contacts.start + rng.below(contacts.end - contacts.start)),
            ),
            35..=54 if !deals.is_empty() => (
                EntityType::OPPORTUNITY,
                self.opportunity_id(deals.start + rng.below(deals.end - deals.start)),
            ),
            _ => (EntityType::ACCOUNT, self.account_id(a)),
        };
        let (product_zh, product_en) = *rng.pick(PRODUCTS);
        let (subject, body) = if self.org.zh {
            let subject = match kind {
                ActivityKind::Call => format!("电话沟通{product_zh}需求"),
                ActivityKind::Visit => format!("上门拜访，介绍{product_zh}方案"),
                ActivityKind::Meeting => format!("{product_zh}方案评审会"),
                ActivityKind::Email => format!("发送{product_zh}报价单"),
                ActivityKind::Note => format!("客户反馈：关注{product_zh}交付周期"),
                ActivityKind::Task => format!("跟进{product_zh}报价"),
            };
            let body = rng.chance(50).then(|| {
                rng.pick(&[
                    "客户确认下季度有采购计划，需两周内提供报价。",
                    "对方技术负责人参与，关注售后响应时间。",
                    "预算已审批，等待法务审核合同条款。",
                    "竞品报价更低，需要申请特价。",
                    "客户希望先做小范围试点。",
                ])
                .to_string()
            });
            (subject, body)
        } else {
            let subject = match kind {
                ActivityKind::Call => format!("Call about {product_en}"),
                ActivityKind::Visit => format!("On-site visit: {product_en} proposal"),
                ActivityKind::Meeting => format!("{product_en} review meeting"),
                ActivityKind::Email => format!("Sent the {product_en} quote"),
                ActivityKind::Note => format!("Customer asks about {product_en} lead times"),
                ActivityKind::Task => format!("Follow up on the {product_en} quote"),
            };
            let body = rng.chance(50).then(|| {
                rng.pick(&[
                    "Budget approved, waiting for legal to review the contract.",
                    "Their CTO joined; support response times matter most.",
                    "A competitor quoted lower; ask for a special price.",
                    "They want a small pilot first.",
                ])
                .to_string()
            });
            (subject, body)
        };
        let mut input = ActivityInput {
            kind,
            subject,
            body,
            entity,
            entity_id,
            occurred_at: occurred,
            due_at: due,
            status,
            reminder_at: due
                .filter(|_| rng.chance(30))
                .map(|d| d - Duration::hours(1)),
            owner_id: Some(owner),
            tags: Vec::new(),
        };
        input
            .normalize(self.anchor)
            .map_err(|e| bad("activity", e))?;
        let updated = match (input.status, occurred) {
            (Some(TaskStatus::Done), Some(done)) => done.max(created),
            _ => created,
        };
        let deleted = deleted.then_some(updated);
        let search_text = input.search_text();
        Ok(ActivityRow {
            id,
            org_id: self.org.id,
            kind: kind.as_str().to_string(),
            subject: input.subject,
            body: input.body,
            entity: entity.as_str().to_string(),
            entity_id,
            account_id: Some(self.account_id(a)),
            occurred_at: input.occurred_at,
            due_at: input.due_at,
            status: input.status.map(|s| s.as_str().to_string()),
            reminder_at: input.reminder_at,
            owner_id: owner,
            tags: input.tags,
            search_grams: bigrams(&search_text),
            search_text,
            version: if updated == created { 1 } else { 2 },
            created_at: created,
            updated_at: updated,
            created_by: owner,
            updated_by: owner,
            deleted_at: deleted,
            deleted_by: deleted.map(|_| owner),
        })
    }
}

struct ActivityCore {
    account: u64,
    owner: Uuid,
    kind: ActivityKind,
    created: DateTime<Utc>,
    occurred: Option<DateTime<Utc>>,
    due: Option<DateTime<Utc>>,
    status: Option<TaskStatus>,
    /// In the recycle bin (so not counted in the account's last activity).
    deleted: bool,
    rng: Rng,
}
