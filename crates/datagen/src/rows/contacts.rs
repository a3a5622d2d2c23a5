//! Contacts: the people at an account.

use super::{bad, company, landline, mobile, parent_of, person_name, table, tags, uuid_v7, Gen};
use crate::rng::Rng;
use crate::words::*;
use chrono::{DateTime, NaiveDate, Utc};
use diesel::Insertable;
use domain::contact::ContactInput;
use domain::normalize::bigrams;
use persistence::schema::contacts;
use uuid::Uuid;

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

impl Gen<'_> {
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
}
