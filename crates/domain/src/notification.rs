//! Notifications (`/notifications`): what Kehu tells a user, in the app today and by e-mail and
//! team chat as those channels come. Each kind has its text in both languages, made here from
//! the notice's parameters, so every channel says the same thing.

use crate::registry::Names;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

/// What a notification is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    /// A task of yours reached its reminder time.
    TaskReminder,
    /// A task of yours is past its due time and still open.
    TaskOverdue,
    /// Accounts of yours went without a follow-up for the organization's cadence (daily).
    AccountsNeglected,
    /// Someone made you the owner of a record, or transferred records to you.
    RecordsTransferred,
    /// A webhook endpoint you added was turned off: a delivery failed every attempt.
    WebhookDisabled,
    /// Accounts of yours return to the customer pool within days unless followed up (daily).
    PoolReturnSoon,
    /// Accounts of yours returned to the customer pool, left too long without a follow-up.
    PoolReturned,
    /// A workflow rule's notice about a record (its message).
    WorkflowNotice,
    /// Someone mentioned you (`@你`) in a note or another activity.
    Mentioned,
    /// An approval waits for you.
    ApprovalRequested,
    /// An approval you submitted, or are copied on, was decided.
    ApprovalDecided,
}

impl NotificationKind {
    pub const ALL: [NotificationKind; 11] = [
        NotificationKind::TaskReminder,
        NotificationKind::TaskOverdue,
        NotificationKind::AccountsNeglected,
        NotificationKind::RecordsTransferred,
        NotificationKind::WebhookDisabled,
        NotificationKind::PoolReturnSoon,
        NotificationKind::PoolReturned,
        NotificationKind::WorkflowNotice,
        NotificationKind::Mentioned,
        NotificationKind::ApprovalRequested,
        NotificationKind::ApprovalDecided,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NotificationKind::TaskReminder => "task_reminder",
            NotificationKind::TaskOverdue => "task_overdue",
            NotificationKind::AccountsNeglected => "accounts_neglected",
            NotificationKind::RecordsTransferred => "records_transferred",
            NotificationKind::WebhookDisabled => "webhook_disabled",
            NotificationKind::PoolReturnSoon => "pool_return_soon",
            NotificationKind::PoolReturned => "pool_returned",
            NotificationKind::WorkflowNotice => "workflow_notice",
            NotificationKind::Mentioned => "mentioned",
            NotificationKind::ApprovalRequested => "approval_requested",
            NotificationKind::ApprovalDecided => "approval_decided",
        }
    }

    pub fn parse(s: &str) -> Option<NotificationKind> {
        NotificationKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Its name in settings (`任务提醒`).
    pub fn label(self) -> Names {
        let (zh, en) = match self {
            NotificationKind::TaskReminder => ("任务提醒", "Task reminders"),
            NotificationKind::TaskOverdue => ("任务逾期", "Overdue tasks"),
            NotificationKind::AccountsNeglected => ("客户久未跟进", "Neglected accounts"),
            NotificationKind::RecordsTransferred => ("记录转给我", "Records transferred to me"),
            NotificationKind::WebhookDisabled => ("Webhook 已停用", "Webhook turned off"),
            NotificationKind::PoolReturnSoon => {
                ("客户即将退回公海", "Accounts returning to the pool")
            }
            NotificationKind::PoolReturned => ("客户已退回公海", "Accounts returned to the pool"),
            NotificationKind::WorkflowNotice => ("工作流通知", "Workflow notices"),
            NotificationKind::Mentioned => ("有人@我", "Mentions of me"),
            NotificationKind::ApprovalRequested => ("待我审批", "Approvals for me"),
            NotificationKind::ApprovalDecided => ("审批结果", "Approval outcomes"),
        };
        Names {
            zh: zh.into(),
            en: en.into(),
        }
    }
}

/// Where a notification is delivered: in the app, by e-mail (where the server has SMTP set up),
/// and posted to the organization's team-chat bots that take its kind (`team_chat` off keeps
/// one's own notices out of the group).
pub const CHANNELS: &[&str] = &["in_app", "email", "team_chat"];

/// The text of a notice of `kind` with `params`, in both languages.
pub fn title(kind: NotificationKind, params: &Value) -> Names {
    let text = |k: &str| params[k].as_str().unwrap_or_default().to_string();
    let count = params["count"].as_i64().unwrap_or(0);
    let (zh, en) = match kind {
        NotificationKind::TaskReminder => (
            format!("任务提醒：{}", text("subject")),
            format!("Task reminder: {}", text("subject")),
        ),
        NotificationKind::TaskOverdue => (
            format!("任务已逾期：{}", text("subject")),
            format!("Task overdue: {}", text("subject")),
        ),
        NotificationKind::AccountsNeglected => (
            format!("{count} 个客户超过 {} 天未跟进", params["days"]),
            format!(
                "{count} account{} without a follow-up for over {} days",
                if count == 1 { "" } else { "s" },
                params["days"]
            ),
        ),
        NotificationKind::RecordsTransferred if count > 1 => (
            format!("{} 将 {count} 条记录转给了你", text("by")),
            format!("{} transferred {count} records to you", text("by")),
        ),
        NotificationKind::RecordsTransferred => (
            format!("{} 将「{}」转给了你", text("by"), text("name")),
            format!("{} made you the owner of “{}”", text("by"), text("name")),
        ),
        NotificationKind::WebhookDisabled => (
            format!("Webhook 已停用：{}", text("url")),
            format!("Webhook turned off: {}", text("url")),
        ),
        NotificationKind::PoolReturnSoon => (
            format!(
                "{count} 个客户将在 {} 天内退回公海，请及时跟进",
                params["days"]
            ),
            format!(
                "{count} account{} return{} to the pool within {} days unless followed up",
                if count == 1 { "" } else { "s" },
                if count == 1 { "s" } else { "" },
                params["days"]
            ),
        ),
        NotificationKind::ApprovalRequested => (
            format!(
                "{} 提交了「{}」的审批：{}",
                text("by"),
                text("name"),
                text("process")
            ),
            format!(
                "{} asks your approval of “{}”: {}",
                text("by"),
                text("name"),
                text("process")
            ),
        ),
        NotificationKind::ApprovalDecided => {
            let (zh, en) = match text("state").as_str() {
                "approved" => ("已通过", "approved"),
                "rejected" => ("被驳回", "rejected"),
                _ => ("被退回", "sent back"),
            };
            (
                format!("「{}」的审批{zh}：{}", text("name"), text("process")),
                format!(
                    "The approval of “{}” was {en}: {}",
                    text("name"),
                    text("process")
                ),
            )
        }
        NotificationKind::Mentioned => (
            format!("{} 在「{}」中提到了你", text("by"), text("subject")),
            format!("{} mentioned you in “{}”", text("by"), text("subject")),
        ),
        NotificationKind::WorkflowNotice => (
            format!("{}：{}", text("name"), text("message")),
            format!("{}: {}", text("name"), text("message")),
        ),
        NotificationKind::PoolReturned => (
            format!("{count} 个客户因久未跟进已退回公海"),
            format!(
                "{count} account{} returned to the pool, left without a follow-up",
                if count == 1 { "" } else { "s" }
            ),
        ),
    };
    Names { zh, en }
}

/// A notification as its recipient reads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notification {
    pub id: Uuid,
    pub kind: NotificationKind,
    /// The text, in both languages.
    pub title: Names,
    /// The record it is about (`account`, `activity`, `webhook`), when one.
    pub entity: Option<String>,
    pub entity_id: Option<Uuid>,
    /// What the text was made of (`subject`, `due_at`, `count`, `by`, …).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub params: Value,
    pub read_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// `GET /notifications/unread-count`: what the bell shows.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnreadCount {
    pub unread: i64,
}

/// Whether a kind of notice reaches the user on a channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NotificationPreference {
    pub kind: NotificationKind,
    /// `in_app` or `team_chat`.
    #[cfg_attr(feature = "openapi", schema(example = "in_app"))]
    pub channel: String,
    pub enabled: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn kinds_read_back_and_speak_both_languages() {
        for k in NotificationKind::ALL {
            assert_eq!(NotificationKind::parse(k.as_str()), Some(k));
            let t = title(
                k,
                &json!({"subject": "回访", "count": 3, "days": 30, "by": "王芳", "name": "丰泽", "url": "https://h.example.com/…"}),
            );
            assert!(!t.zh.is_empty() && !t.en.is_empty());
        }
        assert_eq!(NotificationKind::parse("mention"), None);
        let one = title(
            NotificationKind::RecordsTransferred,
            &json!({"by": "王芳", "name": "丰泽香皂", "count": 1}),
        );
        assert_eq!(one.zh, "王芳 将「丰泽香皂」转给了你");
        let many = title(
            NotificationKind::AccountsNeglected,
            &json!({"count": 1, "days": 30}),
        );
        assert_eq!(many.en, "1 account without a follow-up for over 30 days");
    }
}
