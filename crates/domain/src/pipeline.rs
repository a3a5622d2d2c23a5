//! Pipelines (销售流程) and their stages (阶段), configurable per organization.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use validator::Validate;

/// Whether a stage keeps a deal open or closes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StageKind {
    #[default]
    Open,
    Won,
    Lost,
}

impl StageKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StageKind::Open => "open",
            StageKind::Won => "won",
            StageKind::Lost => "lost",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "open" => Some(StageKind::Open),
            "won" => Some(StageKind::Won),
            "lost" => Some(StageKind::Lost),
            _ => None,
        }
    }
}

/// The default pipeline of a new organization: (key, zh, en, probability %, kind).
pub const DEFAULT_STAGES: &[(&str, &str, &str, i32, StageKind)] = &[
    (
        "qualification",
        "资格确认",
        "Qualification",
        10,
        StageKind::Open,
    ),
    (
        "needs_analysis",
        "需求分析",
        "Needs analysis",
        25,
        StageKind::Open,
    ),
    ("proposal", "方案报价", "Proposal", 50, StageKind::Open),
    (
        "negotiation",
        "谈判审核",
        "Negotiation",
        75,
        StageKind::Open,
    ),
    ("won", "赢单", "Won", 100, StageKind::Won),
    ("lost", "输单", "Lost", 0, StageKind::Lost),
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Stage {
    pub id: Uuid,
    #[cfg_attr(feature = "openapi", schema(example = "方案报价"))]
    pub name: String,
    /// Order within the pipeline, from 1.
    pub position: i32,
    /// Default win probability (%) of deals in this stage.
    #[cfg_attr(feature = "openapi", schema(example = 50))]
    pub probability: i32,
    pub kind: StageKind,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Pipeline {
    pub id: Uuid,
    #[cfg_attr(feature = "openapi", schema(example = "标准销售流程"))]
    pub name: String,
    /// New opportunities go here unless told otherwise.
    pub is_default: bool,
    pub stages: Vec<Stage>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[domain_macros::openapi_rules]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StageInput {
    #[validate(length(min = 1, max = 100))]
    pub name: String,
    #[validate(range(min = 0, max = 100))]
    pub probability: i32,
    #[serde(default)]
    pub kind: StageKind,
}

/// `POST /pipelines`: a pipeline with its stages in order. It needs at least one open stage, one
/// won and one lost stage.
#[domain_macros::openapi_rules]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PipelineInput {
    #[validate(length(min = 1, max = 100))]
    pub name: String,
    #[serde(default)]
    pub is_default: bool,
    #[validate(length(min = 3, max = 30), nested)]
    pub stages: Vec<StageInput>,
}

impl PipelineInput {
    pub fn normalize(&mut self) -> Result<(), Vec<crate::problem::FieldError>> {
        self.name = self.name.trim().to_string();
        for s in &mut self.stages {
            s.name = s.name.trim().to_string();
        }
        let mut errors =
            crate::problem::validation_errors(validator::Validate::validate(self).err());
        for kind in [StageKind::Open, StageKind::Won, StageKind::Lost] {
            if !self.stages.iter().any(|s| s.kind == kind) {
                errors.push(crate::problem::FieldError::new(
                    "stages",
                    "stages",
                    format!("needs at least one `{}` stage", kind.as_str()),
                ));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}
