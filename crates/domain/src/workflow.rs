//! Workflow rules (`/workflow-rules`): zero-code "when this happens to a record, if it matches,
//! do that", per organization and entity. A rule has a trigger, conditions in the list filter
//! language plus an optional "changed from/to", and actions. Rules run from the outbox after the
//! change commits, never in the request; a run's own writes do not trigger its rule again, and
//! chains of rules stop at [`MAX_DEPTH`]. A dry run against a real record shows what a run would
//! do, computed by the same plan the real run carries out.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;
use validator::{Validate, ValidationError};

/// How deep a chain of rules (one rule's change triggering another's) may go.
pub const MAX_DEPTH: i32 = 5;

/// What starts a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    Created,
    /// Updated (when `fields` is set: only when one of them changed).
    Updated,
    /// Created or updated.
    Saved,
    Deleted,
    /// When a date field of the record, plus `offset_days`, comes (checked every ten minutes;
    /// a day counts from midnight, Beijing time).
    Date,
}

impl Trigger {
    pub const ALL: [Trigger; 5] = [
        Trigger::Created,
        Trigger::Updated,
        Trigger::Saved,
        Trigger::Deleted,
        Trigger::Date,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Trigger::Created => "created",
            Trigger::Updated => "updated",
            Trigger::Saved => "saved",
            Trigger::Deleted => "deleted",
            Trigger::Date => "date",
        }
    }

    pub fn parse(s: &str) -> Option<Trigger> {
        Trigger::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// One condition in the list filter language: `GET /{plural}?{field}[{op}]={value}` matches
/// the record (custom fields as `custom.<key>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Condition {
    #[validate(length(min = 1, max = 100))]
    #[cfg_attr(feature = "openapi", schema(example = "amount"))]
    pub field: String,
    /// `eq` when absent; `ne, gt, gte, lt, lte, in, contains` as lists take them.
    #[cfg_attr(feature = "openapi", schema(example = "gte"))]
    pub op: Option<String>,
    #[validate(length(max = 1000))]
    #[cfg_attr(feature = "openapi", schema(example = "100000"))]
    pub value: String,
}

impl Condition {
    /// As a list query's pair (`amount[gte]`, `100000`).
    pub fn pair(&self) -> (String, String) {
        let key = match &self.op {
            Some(op) if op != "eq" => format!("{}[{op}]", self.field),
            _ => self.field.clone(),
        };
        (key, self.value.clone())
    }
}

/// The change an update must carry: `field` changed, from `from` and to `to` when given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Changed {
    #[validate(length(min = 1, max = 100))]
    #[cfg_attr(feature = "openapi", schema(example = "class"))]
    pub field: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Object, example = "potential"))]
    pub from: Option<Value>,
    #[cfg_attr(feature = "openapi", schema(value_type = Object, example = "key"))]
    pub to: Option<Value>,
}

impl Changed {
    /// Whether `changes` (an event's `[{field, old, new}]`) hold this change.
    pub fn matches(&self, changes: &Value) -> bool {
        changes.as_array().into_iter().flatten().any(|c| {
            c["field"] == self.field
                && self.from.as_ref().is_none_or(|f| same(f, &c["old"]))
                && self.to.as_ref().is_none_or(|t| same(t, &c["new"]))
        })
    }
}

/// Values equal as JSON, or as text (`100000` matches `"100000"`).
pub fn same(want: &Value, got: &Value) -> bool {
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        v => v.to_string(),
    };
    want == got || text(want) == text(got)
}

/// Who a rule's task or notice is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum Recipient {
    /// The record's owner.
    Owner,
    Users {
        user_ids: Vec<Uuid>,
    },
}

/// What a rule does to a matching record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum Action {
    /// Sets one field (`custom.<key>` for a custom field) as a PATCH would.
    SetField {
        field: String,
        #[cfg_attr(feature = "openapi", schema(value_type = Object))]
        value: Value,
    },
    /// Makes a user the owner; with several, each in turn (round-robin).
    Assign { user_ids: Vec<Uuid> },
    /// Adds a task on the record, due `due_in_days` after the run.
    CreateTask {
        subject: String,
        #[serde(default)]
        due_in_days: i32,
        to: Recipient,
    },
    /// Sends a notification (in the app, and to team chats that take rule notices).
    Notify { to: Recipient, message: String },
    /// Sends the record to a webhook endpoint of the organization as a [`WEBHOOK_EVENT`]
    /// message, signed, logged and retried like every delivery.
    CallWebhook { endpoint_id: Uuid },
}

/// The event type of a rule's webhook call; `data` holds the rule and the record as it is.
pub const WEBHOOK_EVENT: &str = "workflow.rule";

fn valid_actions(actions: &[Action]) -> Result<(), ValidationError> {
    let bad = |code: &'static str, msg: &str| {
        Err(ValidationError::new(code).with_message(msg.to_string().into()))
    };
    for a in actions {
        match a {
            Action::SetField { field, .. } if field.is_empty() || field.len() > 100 => {
                return bad("field", "set_field needs a field");
            }
            Action::SetField { field, .. } if field == "owner_id" => {
                return bad("field", "set the owner with an `assign` action");
            }
            Action::Assign { user_ids } if user_ids.is_empty() || user_ids.len() > 100 => {
                return bad("user_ids", "assign takes 1 to 100 users");
            }
            Action::CreateTask {
                subject,
                due_in_days,
                ..
            } if subject.trim().is_empty()
                || subject.len() > 200
                || !(0..=3650).contains(due_in_days) =>
            {
                return bad(
                    "task",
                    "create_task needs a subject (≤ 200) and 0–3650 days",
                );
            }
            Action::Notify { message, .. } if message.trim().is_empty() || message.len() > 500 => {
                return bad("message", "notify needs a message (≤ 500)");
            }
            Action::CreateTask {
                to: Recipient::Users { user_ids },
                ..
            }
            | Action::Notify {
                to: Recipient::Users { user_ids },
                ..
            } if user_ids.is_empty() || user_ids.len() > 100 => {
                return bad("user_ids", "1 to 100 users");
            }
            _ => {}
        }
    }
    Ok(())
}

/// A rule as the API returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkflowRule {
    pub id: Uuid,
    /// The registry's entity name (`account`, `opportunity`, …).
    #[cfg_attr(feature = "openapi", schema(example = "opportunity"))]
    pub entity: String,
    #[cfg_attr(feature = "openapi", schema(example = "大单提醒经理"))]
    pub name: String,
    pub description: String,
    pub trigger: Trigger,
    /// For `date`: the date or time field (`expected_close`, `custom.renewal_date`) and the days
    /// after it (negative: before) the rule runs on each record.
    pub date_field: Option<String>,
    pub offset_days: i32,
    /// For `updated` and `saved`: only changes of these fields run the rule (empty: any).
    pub fields: Vec<String>,
    pub conditions: Vec<Condition>,
    pub changed: Option<Changed>,
    pub actions: Vec<Action>,
    pub enabled: bool,
    pub version: i32,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// `POST /workflow-rules`.
#[domain_macros::openapi_rules]
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WorkflowRuleInput {
    #[validate(length(min = 1, max = 50))]
    #[cfg_attr(feature = "openapi", schema(example = "opportunity"))]
    pub entity: String,
    #[validate(length(min = 1, max = 100))]
    pub name: String,
    #[serde(default)]
    #[validate(length(max = 500))]
    pub description: String,
    pub trigger: Trigger,
    #[validate(length(min = 1, max = 100))]
    pub date_field: Option<String>,
    #[serde(default)]
    #[validate(range(min = -3650, max = 3650))]
    pub offset_days: i32,
    #[serde(default)]
    #[validate(length(max = 50))]
    pub fields: Vec<String>,
    #[serde(default)]
    #[validate(nested, length(max = 20))]
    pub conditions: Vec<Condition>,
    #[validate(nested)]
    pub changed: Option<Changed>,
    #[validate(length(min = 1, max = 10), custom(function = "valid_actions"))]
    pub actions: Vec<Action>,
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn yes() -> bool {
    true
}

/// `PATCH /workflow-rules/{id}`: absent fields stay; `changed: null` removes it. The entity is
/// fixed.
#[domain_macros::openapi_rules]
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WorkflowRulePatch {
    #[validate(length(min = 1, max = 100))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[validate(length(max = 500))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trigger: Option<Trigger>,
    #[validate(length(min = 1, max = 100))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_field: Option<String>,
    #[validate(range(min = -3650, max = 3650))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset_days: Option<i32>,
    #[validate(length(max = 50))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<String>>,
    #[validate(nested, length(max = 20))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conditions: Option<Vec<Condition>>,
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Changed>))]
    pub changed: Option<Option<Changed>>,
    #[validate(length(min = 1, max = 10), custom(function = "valid_actions"))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actions: Option<Vec<Action>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

/// One thing a run did, or a dry run would do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum Effect {
    /// A field set (the owner for an assignment), from its value before.
    SetField {
        field: String,
        #[cfg_attr(feature = "openapi", schema(value_type = Object))]
        from: Value,
        #[cfg_attr(feature = "openapi", schema(value_type = Object))]
        to: Value,
    },
    CreateTask {
        subject: String,
        due_at: DateTime<Utc>,
        owner_id: Uuid,
    },
    Notify {
        user_ids: Vec<Uuid>,
        message: String,
    },
    /// A message queued to the endpoint (its delivery log tells how it went).
    CallWebhook { endpoint_id: Uuid },
}

/// Where a run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RunState {
    Pending,
    /// The record matched and the effects were made.
    Done,
    /// The record did not match (or was gone).
    Skipped,
    Failed,
}

impl RunState {
    pub fn parse(s: &str) -> RunState {
        match s {
            "done" => RunState::Done,
            "skipped" => RunState::Skipped,
            "failed" => RunState::Failed,
            _ => RunState::Pending,
        }
    }
}

/// One rule's run on one record's event: a record's "rules that ran on it".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkflowRun {
    pub id: Uuid,
    pub rule_id: Uuid,
    pub rule_name: String,
    pub entity: String,
    pub entity_id: Uuid,
    /// The event's action (`created`, `updated`, `deleted`).
    pub action: String,
    pub state: RunState,
    pub effects: Vec<Effect>,
    /// Why it was skipped or failed.
    pub error: Option<String>,
    /// 1 for a person's change; more for a change another rule made.
    pub depth: i32,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// `POST /workflow-rules/{id}/dry-run`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DryRunInput {
    pub record_id: Uuid,
    /// The change to test `changed` and `fields` against (`[{field, old, new}]`); none: the
    /// record as if just created.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub changes: Option<Value>,
}

/// What a run on the record would do now, and why not when it would not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DryRun {
    pub matched: bool,
    /// Why the record does not match.
    pub reason: Option<String>,
    pub effects: Vec<Effect>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_change_matches_from_and_to_as_json_or_text() {
        let changes = json!([{"field": "class", "old": "potential", "new": "key"},
                             {"field": "employees", "old": 10, "new": 200}]);
        let c = |field: &str, from: Option<Value>, to: Option<Value>| Changed {
            field: field.into(),
            from,
            to,
        };
        assert!(c("class", None, None).matches(&changes));
        assert!(c("class", Some(json!("potential")), Some(json!("key"))).matches(&changes));
        assert!(!c("class", Some(json!("target")), None).matches(&changes));
        assert!(c("employees", None, Some(json!("200"))).matches(&changes));
        assert!(!c("name", None, None).matches(&changes));
    }

    #[test]
    fn conditions_read_as_list_filters() {
        let c = Condition {
            field: "amount".into(),
            op: Some("gte".into()),
            value: "100000".into(),
        };
        assert_eq!(c.pair(), ("amount[gte]".into(), "100000".into()));
        let c = Condition { op: None, ..c };
        assert_eq!(c.pair().0, "amount");
    }

    #[test]
    fn actions_are_checked() {
        let bad = [
            json!([{"type": "assign", "user_ids": []}]),
            json!([{"type": "set_field", "field": "owner_id", "value": null}]),
            json!([{"type": "notify", "to": {"type": "owner"}, "message": " "}]),
        ];
        for actions in bad {
            let actions: Vec<Action> = serde_json::from_value(actions).expect("parses");
            assert!(valid_actions(&actions).is_err(), "{actions:?}");
        }
    }
}
