//! Opportunities (deals) and their stage history.

use super::{bad, children_of, parent_of, table, tags, uuid_v7, Gen};
use crate::rng::Rng;
use crate::words::*;
use bigdecimal::BigDecimal;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use diesel::Insertable;
use domain::money::{Decimal, Money};
use domain::normalize::bigrams;
use domain::opportunity::OpportunityInput;
use domain::picklist::{LOST_REASONS, SOURCES};
use domain::pipeline::StageKind;
use persistence::schema::{opportunities, stage_changes};
use uuid::Uuid;

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

/// One step of a deal's stage path: stage index, when, and for a close the reason (text, and the
/// `lost_reason` picklist key of a lost deal).
type Step = (usize, DateTime<Utc>, Option<(String, Option<&'static str>)>);

impl Gen<'_> {
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
}
