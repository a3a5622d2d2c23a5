//! Leads: prospects not yet customers, some converted into an account, contact and deal.

use super::{bad, children_of, company, mobile, parent_of, person_name, table, tags, uuid_v7, Gen};
use crate::words::*;
use chrono::{DateTime, Utc};
use diesel::Insertable;
use domain::lead::{LeadInput, LeadStatus};
use domain::normalize::bigrams;
use domain::picklist::{DISQUALIFY_REASONS, SOURCES};
use persistence::schema::leads;
use uuid::Uuid;

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

impl Gen<'_> {
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
}
