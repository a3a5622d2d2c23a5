//! Account pages, and what they share: field labels and how a field's value reads.

mod detail;
mod form;
mod list;

pub use detail::{not_found, use_id_param, AccountDetailPage};
pub use form::{AccountEditPage, AccountNewPage};
pub use list::AccountsListPage;

use crate::components::FieldText;
use crate::i18n::{choice_label, class_label, format_datetime, format_money, yes_no, Locale, K};
use domain::account::AccountClass;
use domain::money::Money;
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

/// A field's JSON value as text: picklist keys as labels, money and times formatted, yes/no,
/// `—` for none.
pub fn value_text(field: &str, value: &Value, locale: Locale) -> String {
    match (field, value) {
        (_, Value::Null) => "—".to_string(),
        (
            list @ ("industry" | "source" | "lost_reason" | "disqualify_reason"),
            Value::String(k),
        ) => choice_label(list, k, locale),
        ("class", Value::String(k)) => AccountClass::parse(k)
            .map(|c| class_label(c, locale).to_string())
            .unwrap_or_else(|| k.clone()),
        ("annual_revenue", v) => serde_json::from_value::<Money>(v.clone())
            .map(|m| format_money(&m, locale))
            .unwrap_or_else(|_| v.to_string()),
        (f, Value::String(s)) if f.ends_with("_at") => s
            .parse::<chrono::DateTime<chrono::Utc>>()
            .map(|at| format_datetime(&at, locale))
            .unwrap_or_else(|_| s.clone()),
        (_, Value::String(s)) => s.clone(),
        (_, Value::Bool(b)) => yes_no(*b, locale).to_string(),
        (_, Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| v.to_string())
            })
            .collect::<Vec<_>>()
            .join(", "),
        (_, v) => v.to_string(),
    }
}
