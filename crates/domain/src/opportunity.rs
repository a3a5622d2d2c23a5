//! Opportunities (商机): deals moving through a pipeline's stages, and the forecast over them.

use crate::fields::trim_opt;
use crate::money::{Decimal, Money};
use crate::pipeline::StageKind;
use crate::problem::FieldError;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use validator::Validate;

/// The most characters a competitor's name has (stated in the OpenAPI document).
pub const COMPETITOR_MAX_CHARS: usize = 100;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Opportunity {
    pub id: Uuid,
    #[cfg_attr(feature = "openapi", schema(example = "丰泽日化 2027 年度包材采购"))]
    pub name: String,
    pub account_id: Uuid,
    /// The primary contact.
    pub contact_id: Option<Uuid>,
    pub amount: Option<Money>,
    pub expected_close: Option<NaiveDate>,
    pub pipeline_id: Uuid,
    pub stage_id: Uuid,
    /// `open`, `won` or `lost`: the kind of the current stage.
    pub status: StageKind,
    /// Win probability (%): the stage's, unless `probability_overridden`.
    pub probability: i32,
    pub probability_overridden: bool,
    pub source: Option<String>,
    pub campaign_id: Option<Uuid>,
    pub competitors: Vec<String>,
    /// Why it was won or lost.
    pub close_reason: Option<String>,
    /// A key of the `lost_reason` picklist, for a lost deal.
    pub lost_reason: Option<String>,
    pub closed_at: Option<DateTime<Utc>>,
    pub owner_id: Uuid,
    pub tags: Vec<String>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub created_by: Uuid,
    pub updated_by: Uuid,
    pub deleted_at: Option<DateTime<Utc>>,
    /// Values of the organization's custom fields, by key (`GET /metadata/{plural}` describes them).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub custom: crate::custom::CustomValues,
}

/// The body of `POST /opportunities`. Stages change through `POST /opportunities/{id}/move`.
#[domain_macros::patchable(
    OpportunityPatch,
    from = Opportunity,
    path = "/opportunities/{id}",
    note = "`probability: null` returns to the stage's."
)]
#[domain_macros::openapi_rules]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OpportunityInput {
    #[validate(length(min = 1, max = 200))]
    #[cfg_attr(feature = "openapi", schema(example = "丰泽日化 2027 年度包材采购"))]
    pub name: String,
    pub account_id: Uuid,
    pub contact_id: Option<Uuid>,
    pub amount: Option<Money>,
    pub expected_close: Option<NaiveDate>,
    /// Defaults to the organization's default pipeline.
    #[patch(skip)]
    pub pipeline_id: Option<Uuid>,
    /// An open stage of the pipeline; defaults to its first.
    #[patch(skip)]
    pub stage_id: Option<Uuid>,
    /// Overrides the stage's probability (%).
    #[validate(range(min = 0, max = 100))]
    #[patch(from = "r.probability_overridden.then_some(r.probability)")]
    pub probability: Option<i32>,
    pub source: Option<String>,
    pub campaign_id: Option<Uuid>,
    #[serde(default)]
    #[validate(length(max = 20))]
    pub competitors: Vec<String>,
    /// Defaults to the caller.
    #[patch(keep)]
    pub owner_id: Option<Uuid>,
    #[serde(default)]
    #[validate(length(max = 20))]
    pub tags: Vec<String>,
    /// Values of the organization's custom fields, by key; `null` or absent leaves a field empty.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub custom: crate::custom::CustomValues,
}

/// `POST /opportunities/{id}/move`.
#[domain_macros::openapi_rules]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MoveRequest {
    pub stage_id: Uuid,
    /// Required when the stage wins or loses the deal.
    #[validate(length(min = 1, max = 500))]
    #[cfg_attr(feature = "openapi", schema(example = "价格优势，客户已签署采购意向"))]
    pub reason: Option<String>,
    /// For a lost deal: a key of the `lost_reason` picklist (price, competitor, …).
    #[cfg_attr(feature = "openapi", schema(example = "competitor"))]
    pub lost_reason: Option<String>,
}

/// One stage change: who moved the deal, when, from where to where.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StageChange {
    pub id: Uuid,
    pub opportunity_id: Uuid,
    /// `None` for the stage it was created in.
    pub from_stage_id: Option<Uuid>,
    pub to_stage_id: Uuid,
    pub actor_id: Uuid,
    pub at: DateTime<Utc>,
    pub reason: Option<String>,
}

impl OpportunityInput {
    /// Validates and normalizes in place; every invalid field is reported.
    pub fn normalize(&mut self) -> Result<(), Vec<FieldError>> {
        self.name = self.name.trim().to_string();
        trim_opt(&mut self.source);
        let mut errors = crate::problem::validation_errors(self.validate().err());
        if let Some(m) = &self.amount {
            for (sub, code, msg) in m.problems() {
                errors.push(FieldError::new(format!("amount.{sub}"), code, msg));
            }
        }
        let mut competitors: Vec<String> = Vec::new();
        for (i, c) in self.competitors.iter().enumerate() {
            let c = c.trim();
            if c.is_empty() || c.chars().count() > COMPETITOR_MAX_CHARS {
                errors.push(FieldError::new(
                    format!("competitors[{i}]"),
                    "length",
                    format!("1 to {COMPETITOR_MAX_CHARS} characters"),
                ));
            } else if !competitors.iter().any(|x| x == c) {
                competitors.push(c.to_string());
            }
        }
        self.competitors = competitors;
        crate::fields::tags(&mut self.tags, &mut errors);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// What quick search and global search match: the name, the competitors, and the name's
    /// pinyin forms.
    pub fn search_text(&self) -> String {
        let pinyin = crate::pinyin::forms(&self.name, crate::pinyin::NameKind::Organization);
        crate::normalize::search_text(
            std::iter::once(self.name.as_str())
                .chain(self.competitors.iter().map(String::as_str))
                .chain(pinyin.iter().map(String::as_str)),
        )
    }
}

/// `GET /forecast`: one row per group (owner or department) and currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ForecastRow {
    /// The owner's or the department's id.
    pub group_id: Uuid,
    pub group_name: String,
    #[cfg_attr(feature = "openapi", schema(example = "CNY"))]
    pub currency: String,
    /// Open deals closing in the period.
    pub open_count: i64,
    /// Σ amount × probability of open deals closing in the period.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "125000.00"))]
    pub weighted: Decimal,
    /// Σ amount of open deals at ≥ 75% (negotiation and later) closing in the period.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "125000.00"))]
    pub commit: Decimal,
    /// Σ amount of all open deals closing in the period.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "125000.00"))]
    pub best_case: Decimal,
    /// Σ amount of deals won in the period.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "125000.00"))]
    pub closed_won: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Forecast {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// `owner` or `department`.
    pub by: String,
    pub data: Vec<ForecastRow>,
}
