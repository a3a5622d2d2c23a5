//! Activities: calls, visits, meetings, emails, notes and tasks on an account, its contacts
//! and its deals.

use super::{bad, children_of, parent_of, table, uuid_v7, Gen};
use crate::rng::Rng;
use crate::words::*;
use chrono::{DateTime, Duration, Utc};
use diesel::Insertable;
use domain::activity::{ActivityInput, ActivityKind, EntityType, TaskStatus};
use domain::normalize::bigrams;
use persistence::schema::activities;
use uuid::Uuid;

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

impl Gen<'_> {
    /// The activities of account `a` (its own, its contacts' and its deals'): a block of indexes.
    pub fn activities_of(&self, a: u64) -> std::ops::Range<u64> {
        children_of(a, self.sizes().accounts, self.sizes().activities)
    }

    /// The part of activity `m` its account's `last_activity_at` depends on.
    pub(super) fn activity_core(&self, m: u64) -> ActivityCore {
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

/// The part of an activity its account's `last_activity_at` depends on, and the rng to go on with.
pub(super) struct ActivityCore {
    account: u64,
    owner: Uuid,
    kind: ActivityKind,
    created: DateTime<Utc>,
    pub(super) occurred: Option<DateTime<Utc>>,
    due: Option<DateTime<Utc>>,
    status: Option<TaskStatus>,
    /// In the recycle bin (so not counted in the account's last activity).
    pub(super) deleted: bool,
    rng: Rng,
}
