//! Activities (活动): calls, visits, meetings, emails, notes and tasks, each attached to one record.
//! Together they form the record's timeline.
//!
//! Times: every kind but `task` has `occurred_at` (default: now). A task has `due_at` and a
//! `status`; its `occurred_at` is when it was done (set when it becomes `done`, cleared when it is
//! reopened or cancelled), so an open or cancelled task is not contact with the customer.

use crate::fields::trim_opt;
use crate::problem::FieldError;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use validator::Validate;

/// What kind of activity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ActivityKind {
    /// 电话
    Call,
    /// 拜访 (the body holds the visit notes, 拜访纪要)
    Visit,
    /// 会议
    Meeting,
    /// 邮件
    Email,
    /// 备注
    #[default]
    Note,
    /// 任务 (due time, status, reminder)
    Task,
}

impl ActivityKind {
    pub const ALL: [ActivityKind; 6] = [
        ActivityKind::Call,
        ActivityKind::Visit,
        ActivityKind::Meeting,
        ActivityKind::Email,
        ActivityKind::Note,
        ActivityKind::Task,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActivityKind::Call => "call",
            ActivityKind::Visit => "visit",
            ActivityKind::Meeting => "meeting",
            ActivityKind::Email => "email",
            ActivityKind::Note => "note",
            ActivityKind::Task => "task",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A task's status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    #[default]
    Open,
    Done,
    Cancelled,
}

impl TaskStatus {
    pub const ALL: [TaskStatus; 3] = [TaskStatus::Open, TaskStatus::Done, TaskStatus::Cancelled];

    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::Open => "open",
            TaskStatus::Done => "done",
            TaskStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

crate::entity_kind!(
    /// The kind of record an activity is attached to: an entity of the registry that takes
    /// activities, named by its name (`account`).
    EntityType,
    join = activities,
    key = name,
    summary = "The kind of record an activity is attached to."
);

impl EntityType {
    pub const ACCOUNT: EntityType = EntityType(&crate::registry::ACCOUNT);
    pub const CONTACT: EntityType = EntityType(&crate::registry::CONTACT);
    pub const LEAD: EntityType = EntityType(&crate::registry::LEAD);
    pub const OPPORTUNITY: EntityType = EntityType(&crate::registry::OPPORTUNITY);
}

impl Default for EntityType {
    fn default() -> Self {
        EntityType::ACCOUNT
    }
}

/// An activity as the API returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Activity {
    pub id: Uuid,
    pub kind: ActivityKind,
    #[cfg_attr(feature = "openapi", schema(example = "拜访丰泽采购部"))]
    pub subject: String,
    /// Call summary, visit notes (拜访纪要), minutes, email text, the note, task details.
    pub body: Option<String>,
    /// The record the activity is attached to.
    pub entity: EntityType,
    pub entity_id: Uuid,
    /// The account the record belongs to: the account itself, or the contact's, the opportunity's,
    /// or a converted lead's.
    pub account_id: Option<Uuid>,
    /// When it happened; for tasks, when it was done.
    pub occurred_at: Option<DateTime<Utc>>,
    /// Tasks only.
    pub due_at: Option<DateTime<Utc>>,
    /// Tasks only.
    pub status: Option<TaskStatus>,
    /// Tasks only; not after `due_at`.
    pub reminder_at: Option<DateTime<Utc>>,
    /// An open task past its due time (computed).
    pub overdue: bool,
    pub owner_id: Uuid,
    pub tags: Vec<String>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub created_by: Uuid,
    pub updated_by: Uuid,
    /// Set while the activity is in the recycle bin.
    pub deleted_at: Option<DateTime<Utc>>,
}

/// The writable fields of an activity: the body of `POST /activities`, and what a PATCH is applied to.
#[domain_macros::patchable(ActivityPatch, from = Activity, path = "/activities/{id}", apply = apply_fields)]
#[domain_macros::openapi_rules]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ActivityInput {
    pub kind: ActivityKind,
    #[validate(length(min = 1, max = 200))]
    #[cfg_attr(feature = "openapi", schema(example = "拜访丰泽采购部"))]
    pub subject: String,
    #[validate(length(max = 20000))]
    #[cfg_attr(
        feature = "openapi",
        schema(example = "王经理确认下季度追加订单，需两周内报价。")
    )]
    pub body: Option<String>,
    /// `account`, `contact`, `lead` or `opportunity`.
    pub entity: EntityType,
    pub entity_id: Uuid,
    /// Defaults to now (kinds other than `task`); a task's is when it was done.
    pub occurred_at: Option<DateTime<Utc>>,
    /// Required for tasks, not allowed on other kinds.
    pub due_at: Option<DateTime<Utc>>,
    /// Tasks only; defaults to `open`.
    pub status: Option<TaskStatus>,
    /// Tasks only; not after `due_at`.
    pub reminder_at: Option<DateTime<Utc>>,
    /// Defaults to the caller.
    #[patch(keep)]
    pub owner_id: Option<Uuid>,
    #[serde(default)]
    #[validate(length(max = 20))]
    pub tags: Vec<String>,
}

impl ActivityInput {
    /// A task moved out of `done` (and not given a new `occurred_at`) was not done after all.
    pub fn apply(&mut self, p: ActivityPatch) {
        if matches!(p.status, Some(s) if s != Some(TaskStatus::Done)) && p.occurred_at.is_none() {
            self.occurred_at = None;
        }
        self.apply_fields(p);
    }

    /// Validates and normalizes in place, with the kind's rules: tasks need `due_at`, other kinds
    /// may not have `due_at`, `status` or `reminder_at`; `reminder_at` is not after `due_at`; only
    /// a done task has `occurred_at`. Missing times default to `now`. Every bad field is reported.
    pub fn normalize(&mut self, now: DateTime<Utc>) -> Result<(), Vec<FieldError>> {
        self.subject = self.subject.trim().to_string();
        trim_opt(&mut self.body);
        let mut errors = crate::problem::validation_errors(self.validate().err());
        let mut fail =
            |field: &str, code: &str, msg: &str| errors.push(FieldError::new(field, code, msg));
        if self.kind == ActivityKind::Task {
            let status = *self.status.get_or_insert(TaskStatus::Open);
            match self.due_at {
                None => fail("due_at", "required", "a task needs a due time"),
                Some(due) => {
                    if self.reminder_at.is_some_and(|r| r > due) {
                        fail(
                            "reminder_at",
                            "range",
                            "the reminder must not be after the due time",
                        );
                    }
                }
            }
            match (status, self.occurred_at) {
                (TaskStatus::Done, None) => self.occurred_at = Some(now),
                (TaskStatus::Done, Some(_)) => {}
                (_, Some(_)) => fail(
                    "occurred_at",
                    "not_allowed",
                    "only a done task has occurred_at (when it was done)",
                ),
                (_, None) => {}
            }
        } else {
            let only_tasks = "only tasks have this field";
            if self.due_at.is_some() {
                fail("due_at", "not_allowed", only_tasks);
            }
            if self.status.is_some() {
                fail("status", "not_allowed", only_tasks);
            }
            if self.reminder_at.is_some() {
                fail("reminder_at", "not_allowed", only_tasks);
            }
            self.occurred_at.get_or_insert(now);
        }
        crate::fields::tags(&mut self.tags, &mut errors);
        if errors.is_empty() {
            Ok(())
        } else {
            errors.sort_by(|a, b| a.field.cmp(&b.field));
            Err(errors)
        }
    }

    /// What quick search matches: subject and body.
    pub fn search_text(&self) -> String {
        crate::normalize::search_text(
            [Some(self.subject.as_str()), self.body.as_deref()]
                .into_iter()
                .flatten(),
        )
    }
}

/// `GET /settings`, `PATCH /settings`: the organization's settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrgSettings {
    /// An account with no activity for this many days is neglected (contact cadence, default 30).
    #[cfg_attr(feature = "openapi", schema(example = 30))]
    pub neglect_days: i32,
}

/// `PATCH /settings`: absent fields stay.
#[domain_macros::openapi_rules]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OrgSettingsPatch {
    #[validate(range(min = 0, max = 3650))]
    pub neglect_days: Option<i32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().expect("time")
    }

    #[test]
    fn kind_rules_name_each_field() {
        let now = at("2026-11-23T08:00:00Z");
        let mut call = ActivityInput {
            kind: ActivityKind::Call,
            subject: " 回访 ".into(),
            due_at: Some(now),
            status: Some(TaskStatus::Open),
            reminder_at: Some(now),
            ..Default::default()
        };
        let errors = call.normalize(now).expect_err("task fields on a call");
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["due_at", "reminder_at", "status"]);

        let mut task = ActivityInput {
            kind: ActivityKind::Task,
            subject: "报价".into(),
            ..Default::default()
        };
        let errors = task.normalize(now).expect_err("no due time");
        assert_eq!(errors[0].field, "due_at");
        task.due_at = Some(now);
        task.reminder_at = Some(at("2026-11-24T08:00:00Z"));
        let errors = task.normalize(now).expect_err("reminder after due");
        assert_eq!(errors[0].field, "reminder_at");
        task.reminder_at = Some(at("2026-11-22T08:00:00Z"));
        task.normalize(now).expect("valid task");
        assert_eq!(task.status, Some(TaskStatus::Open));
        assert_eq!(task.occurred_at, None);

        let mut note = ActivityInput {
            subject: "备注".into(),
            ..Default::default()
        };
        note.normalize(now).expect("valid note");
        assert_eq!(note.occurred_at, Some(now));
    }

    #[test]
    fn a_task_occurs_when_done_and_not_after_reopening() {
        let now = at("2026-11-23T08:00:00Z");
        let mut task = ActivityInput {
            kind: ActivityKind::Task,
            subject: "报价".into(),
            due_at: Some(now),
            ..Default::default()
        };
        task.apply(ActivityPatch {
            status: Some(Some(TaskStatus::Done)),
            ..Default::default()
        });
        task.normalize(now).expect("done");
        assert_eq!(task.occurred_at, Some(now));
        task.apply(ActivityPatch {
            status: Some(Some(TaskStatus::Open)),
            ..Default::default()
        });
        task.normalize(now).expect("reopened");
        assert_eq!(task.occurred_at, None);
    }
}
