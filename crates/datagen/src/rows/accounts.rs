//! Accounts: the customers every other row hangs off.

use super::{address, bad, company, landline, table, tags, uuid_v7, Company, Gen};
use crate::rng::Rng;
use bigdecimal::BigDecimal;
use chrono::{DateTime, Duration, Utc};
use diesel::Insertable;
use domain::account::{AccountClass, AccountInput};
use domain::money::{Decimal, Money};
use domain::normalize::bigrams;
use domain::picklist::SOURCES;
use persistence::schema::accounts;
use uuid::Uuid;

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

impl Gen<'_> {
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
    pub(super) fn account_company(&self, a: u64) -> Company {
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
}
