//! Account pages, and what they share: field labels and how a field's value reads.

mod detail;
mod form;
mod list;

pub use detail::AccountDetailPage;
pub use form::{AccountEditPage, AccountNewPage};
pub use list::AccountsListPage;

use super::record;
use crate::components::FieldText;
use crate::i18n::{class_label, Locale, K};
use domain::account::AccountClass;
use serde_json::Value;

/// How account fields read in the history.
pub const FIELDS: FieldText = FieldText {
    label: field_label,
    value: value_text,
};

/// The label of an account field (as named by the API, e.g. in history entries).
pub fn field_label(field: &str) -> Option<K> {
    Some(match field {
        "name" => K::Name,
        "credit_code" => K::CreditCode,
        "industry" => K::Industry,
        "employees" => K::Employees,
        "annual_revenue" => K::AnnualRevenue,
        "region" => K::Region,
        "address" => K::Address,
        "website" => K::Website,
        "phone" => K::Phone,
        "source" => K::Source,
        "class" => K::Class,
        "owner_id" => K::Owner,
        "tags" => K::Tags,
        "created_at" => K::CreatedAt,
        "updated_at" => K::UpdatedAt,
        _ => return None,
    })
}

/// An account field's value as text: its class and revenue, else as any record's.
pub fn value_text(field: &str, value: &Value, locale: Locale) -> String {
    match (field, value) {
        ("class", Value::String(k)) => AccountClass::parse(k)
            .map(|c| class_label(c, locale).to_string())
            .unwrap_or_else(|| k.clone()),
        ("annual_revenue", v) if !v.is_null() => record::money_text(v, locale),
        _ => record::value_text(field, value, locale),
    }
}
