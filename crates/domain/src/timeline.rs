//! A record's timeline: its activities, stage changes and field changes, newest first. An account's
//! timeline also gathers the events of its contacts and opportunities.

use crate::activity::{Activity, EntityType};
use crate::audit::FieldChange;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What happened.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TimelineKind {
    /// A call, visit, meeting, email, note or task (`activity` holds it).
    #[default]
    Activity,
    /// An opportunity moved to another stage, or entered its first (`stage_change` holds it).
    StageChange,
    /// A record was created, changed, deleted, restored or merged into (`field_change` holds it).
    FieldChange,
}

impl TimelineKind {
    pub const ALL: [TimelineKind; 3] = [
        TimelineKind::Activity,
        TimelineKind::StageChange,
        TimelineKind::FieldChange,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TimelineKind::Activity => "activity",
            TimelineKind::StageChange => "stage_change",
            TimelineKind::FieldChange => "field_change",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One event on a timeline. Exactly the payload named by `kind` is set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimelineItem {
    pub kind: TimelineKind,
    /// The id of the activity, stage change or audit event.
    pub id: Uuid,
    /// When it happened (an open or cancelled task: when it was created).
    pub at: DateTime<Utc>,
    /// Who: the activity's owner, who moved the stage, who made the change.
    pub actor_id: Option<Uuid>,
    /// The record it happened to: the timeline's own, or (on an account's) one of its contacts
    /// or opportunities.
    pub entity: EntityType,
    pub entity_id: Uuid,
    pub activity: Option<Activity>,
    pub stage_change: Option<TimelineStageChange>,
    pub field_change: Option<TimelineFieldChange>,
}

/// An opportunity's stage move, with the stages' names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimelineStageChange {
    /// `None` for the stage the opportunity was created in.
    pub from_stage_id: Option<Uuid>,
    pub from_stage: Option<String>,
    pub to_stage_id: Uuid,
    #[cfg_attr(feature = "openapi", schema(example = "方案报价"))]
    pub to_stage: String,
    /// Why it was won or lost.
    pub reason: Option<String>,
}

/// A create, update, delete, restore or merge of a record, with the fields it changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimelineFieldChange {
    /// `create`, `update`, `delete`, `restore` or `merge` (the record kept).
    pub action: String,
    pub changes: Vec<FieldChange>,
}
