//! Lead pages: list, record (with conversion), form.

mod convert;
mod detail;
mod form;
mod list;

pub use detail::LeadDetailPage;
pub use form::{LeadEditPage, LeadNewPage};
pub use list::LeadsListPage;

use crate::components::FieldText;
use crate::i18n::{Locale, K};
use domain::lead::LeadStatus;
use serde_json::Value;

pub const FIELDS: FieldText = FieldText {
    label: field_label,
    value: value_text,
};

pub fn field_label(field: &str) -> Option<K> {
    Some(match field {
        "name" => K::Name,
        "company" => K::Company,
        "title" => K::JobTitle,
        "phone" => K::Phone,
        "email" => K::Email,
        "region" => K::Region,
        "address" => K::Address,
        "industry" => K::Industry,
        "source" => K::Source,
        "description" => K::Description,
        "status" => K::Status,
        "disqualify_reason" => K::DisqualifyReason,
        "converted_at" => K::ConvertedAt,
        "converted_by" => K::ConvertedBy,
        "account_id" => K::Account,
        "contact_id" => K::Contact,
        "opportunity_id" => K::Opportunity,
        "owner_id" => K::Owner,
        "tags" => K::Tags,
        _ => return None,
    })
}

pub fn value_text(field: &str, value: &Value, locale: Locale) -> String {
    match (field, value) {
        ("status", Value::String(s)) => LeadStatus::parse(s)
            .map(|k| status_label(k, locale).to_string())
            .unwrap_or_else(|| s.clone()),
        _ => crate::pages::record::value_text(field, value, locale),
    }
}

/// A lead status's label, from the registry.
pub fn status_label(status: LeadStatus, locale: Locale) -> &'static str {
    crate::i18n::enum_label(
        domain::registry::fields::LEAD_STATUSES,
        status.as_str(),
        locale,
    )
}
