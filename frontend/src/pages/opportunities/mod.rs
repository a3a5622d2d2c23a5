//! Opportunity pages: list, record, form, the pipeline board; and what they share.

mod board;
mod detail;
mod form;
mod list;
mod moving;

pub use board::PipelinePage;
pub use detail::OpportunityDetailPage;
pub use form::{OpportunityEditPage, OpportunityNewPage};
pub use list::OpportunitiesListPage;

use crate::components::FieldText;
use crate::i18n::{Locale, K};
use domain::pipeline::StageKind;
use serde_json::Value;

pub const FIELDS: FieldText = FieldText {
    label: field_label,
    value: value_text,
};

pub fn field_label(field: &str) -> Option<K> {
    Some(match field {
        "name" => K::Name,
        "account_id" => K::Account,
        "contact_id" => K::Contact,
        "amount" => K::Amount,
        "expected_close" => K::ExpectedClose,
        "pipeline_id" => K::Pipeline,
        "stage_id" => K::Stage,
        "status" => K::Status,
        "probability" => K::Probability,
        "probability_overridden" => K::ProbabilityOverridden,
        "source" => K::Source,
        "campaign_id" => K::Campaign,
        "competitors" => K::Competitors,
        "close_reason" => K::CloseReason,
        "lost_reason" => K::LostCategory,
        "closed_at" => K::ClosedAt,
        "owner_id" => K::Owner,
        "tags" => K::Tags,
        _ => return None,
    })
}

pub fn value_text(field: &str, value: &Value, locale: Locale) -> String {
    match (field, value) {
        ("amount", v) if !v.is_null() => crate::pages::record::money_text(v, locale),
        ("status", Value::String(s)) => StageKind::parse(s)
            .map(|k| status_label(k, locale).to_string())
            .unwrap_or_else(|| s.clone()),
        _ => crate::pages::record::value_text(field, value, locale),
    }
}

/// A deal status's label, from the registry.
pub fn status_label(kind: StageKind, locale: Locale) -> &'static str {
    crate::i18n::enum_label(
        domain::registry::fields::DEAL_STATUSES,
        kind.as_str(),
        locale,
    )
}
