//! Approvals (审批), one engine for every module. A process says which changes of which records
//! need approval (`guards` and `conditions`), which fields an approval holds for, and its ordered
//! steps: approvers by user, role or department head, all of whom must approve (会签), any one
//! (或签) or each in turn (依次). Approvers approve, reject, send back (退回), delegate (转交) or
//! add a signer (加签), with comments; `cc` users hear of the outcome (抄送).
//!
//! A guarded change is refused unless an approved, unspent approval of the record holds exactly
//! the values the change writes; the approval makes its change itself when granted. So editing
//! an approved field afterwards, copying an approved record, or making the change directly all
//! need an approval of their own.

pub use crate::workflow::same;
use crate::workflow::Condition;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;
use validator::{Validate, ValidationError};

/// A change that needs approval: `field` moving to one of `to`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Guard {
    #[validate(length(min = 1, max = 100))]
    #[cfg_attr(feature = "openapi", schema(example = "status"))]
    pub field: String,
    #[validate(length(min = 1, max = 50))]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>, example = json!(["won"])))]
    pub to: Vec<Value>,
}

impl Guard {
    /// Whether the record's `after` value of the field is a guarded one.
    pub fn holds_for(&self, after: &Value) -> bool {
        self.to.iter().any(|v| same(v, &after[self.field.as_str()]))
    }
}

/// Who approves a step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum Approvers {
    Users {
        user_ids: Vec<Uuid>,
    },
    /// Every active user of the role (`finance`, `admin`, …).
    Role {
        role: crate::role::Role,
    },
    /// The managers of the record owner's department (or, if it has none, of the nearest
    /// department above it that has).
    DepartmentHead,
}

/// How a step's approvers decide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// 会签: every approver approves.
    All,
    /// 或签: one approval is enough.
    Any,
    /// 依次: each approves in turn, in the order given.
    Sequential,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Step {
    #[validate(length(min = 1, max = 100))]
    #[cfg_attr(feature = "openapi", schema(example = "部门负责人审批"))]
    pub name: String,
    pub approvers: Approvers,
    pub mode: Mode,
}

fn steps_named(steps: &[Step]) -> Result<(), ValidationError> {
    for s in steps {
        if let Approvers::Users { user_ids } = &s.approvers {
            if user_ids.is_empty() || user_ids.len() > 50 {
                return Err(ValidationError::new("approvers")
                    .with_message("a step takes 1 to 50 users".into()));
            }
        }
    }
    Ok(())
}

/// A process as the API returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApprovalProcess {
    pub id: Uuid,
    pub entity: String,
    pub name: String,
    /// Which records it covers (list filters; all when empty).
    pub conditions: Vec<Condition>,
    pub guards: Vec<Guard>,
    /// What an approval holds for: the values of these fields the change leads to.
    pub fields: Vec<String>,
    pub steps: Vec<Step>,
    /// Told of the outcome.
    pub cc: Vec<Uuid>,
    pub enabled: bool,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// `POST /approval-processes`.
#[domain_macros::openapi_rules]
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ApprovalProcessInput {
    #[validate(length(min = 1, max = 50))]
    #[cfg_attr(feature = "openapi", schema(example = "opportunity"))]
    pub entity: String,
    #[validate(length(min = 1, max = 100))]
    pub name: String,
    #[serde(default)]
    #[validate(nested, length(max = 20))]
    pub conditions: Vec<Condition>,
    #[validate(nested, length(min = 1, max = 10))]
    pub guards: Vec<Guard>,
    #[validate(length(min = 1, max = 50))]
    pub fields: Vec<String>,
    #[validate(nested, length(min = 1, max = 10), custom(function = "steps_named"))]
    pub steps: Vec<Step>,
    #[serde(default)]
    #[validate(length(max = 50))]
    pub cc: Vec<Uuid>,
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn yes() -> bool {
    true
}

/// `PATCH /approval-processes/{id}`: absent fields stay. Open approvals keep the steps they
/// started with.
#[domain_macros::openapi_rules]
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ApprovalProcessPatch {
    #[validate(length(min = 1, max = 100))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[validate(nested, length(min = 1, max = 10), custom(function = "steps_named"))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub steps: Option<Vec<Step>>,
    #[validate(length(max = 50))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cc: Option<Vec<Uuid>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ApprovalState {
    Pending,
    /// Granted; its change was made.
    Approved,
    Rejected,
    /// Sent back to the submitter (退回), who may submit again.
    Returned,
    Cancelled,
}

impl ApprovalState {
    pub const ALL: [ApprovalState; 5] = [
        ApprovalState::Pending,
        ApprovalState::Approved,
        ApprovalState::Rejected,
        ApprovalState::Returned,
        ApprovalState::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ApprovalState::Pending => "pending",
            ApprovalState::Approved => "approved",
            ApprovalState::Rejected => "rejected",
            ApprovalState::Returned => "returned",
            ApprovalState::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<ApprovalState> {
        ApprovalState::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One approver's part.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApprovalTask {
    pub id: Uuid,
    pub step: i32,
    pub position: i32,
    pub approver_id: Uuid,
    /// `waiting` (a later turn), `pending`, `approved`, `rejected`, `returned`, `delegated`,
    /// `skipped` (the step was decided without it).
    pub state: String,
    pub comment: Option<String>,
    pub acted_at: Option<DateTime<Utc>>,
}

/// One entry of the trail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApprovalEvent {
    /// `submit`, `approve`, `reject`, `return`, `delegate`, `add_signer`, `comment`, `cancel`,
    /// `approved` (the whole approval, its change made).
    pub action: String,
    pub actor_id: Option<Uuid>,
    /// Whom a delegation or an added signer names.
    pub target_id: Option<Uuid>,
    pub step: i32,
    pub comment: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Approval {
    pub id: Uuid,
    pub process_id: Uuid,
    pub process_name: String,
    pub entity: String,
    pub entity_id: Uuid,
    pub state: ApprovalState,
    /// The step now deciding (0-based).
    pub step: i32,
    /// The change asked for.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub proposed: Value,
    /// The values of the process's fields the change leads to: what is approved.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub holds: Value,
    pub submitted_by: Uuid,
    pub submitted_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub version: i32,
    pub tasks: Vec<ApprovalTask>,
    pub trail: Vec<ApprovalEvent>,
}

/// `POST /approvals`: ask for a change of a record.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SubmitInput {
    pub process_id: Uuid,
    pub record_id: Uuid,
    /// The change, as a PATCH of the record would write it (`{"stage_id": "…"}`).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub proposed: serde_json::Map<String, Value>,
    #[validate(length(max = 1000))]
    pub comment: Option<String>,
}

/// What an approver does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Approve,
    Reject,
    /// 退回: back to the submitter.
    Return,
    /// 转交: give one's task to `user_id`.
    Delegate,
    /// 加签: add `user_id` as an approver of this step.
    AddSigner,
    Comment,
    /// The submitter withdraws it.
    Cancel,
}

/// `POST /approvals/{id}/decide`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DecideInput {
    pub decision: Decision,
    /// For `delegate` and `add_signer`.
    pub user_id: Option<Uuid>,
    #[validate(length(max = 1000))]
    pub comment: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_guard_holds_for_its_values_as_json_or_text() {
        let g = Guard {
            field: "status".into(),
            to: vec![json!("won")],
        };
        assert!(g.holds_for(&json!({"status": "won"})));
        assert!(!g.holds_for(&json!({"status": "open"})));
        let g = Guard {
            field: "probability".into(),
            to: vec![json!("90")],
        };
        assert!(g.holds_for(&json!({"probability": 90})));
    }
}
