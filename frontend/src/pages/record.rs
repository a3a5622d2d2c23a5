//! What the record pages (accounts, contacts, leads, opportunities) share: the record's id from
//! the address, the error of a missing record, and how a field's value reads.

use crate::api::ApiError;
use crate::i18n::{choice_label, format_datetime, format_money, yes_no, Locale};
use domain::money::Money;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde_json::Value;
use uuid::Uuid;

pub fn not_found() -> ApiError {
    ApiError::Unexpected {
        status: 404,
        detail: "not found".into(),
    }
}

/// The `:id` of the current address.
pub fn use_id_param() -> Memo<Option<Uuid>> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("id").and_then(|s| s.parse::<Uuid>().ok()))
}

/// A money value (`{"amount": …, "currency": …}`) formatted; its JSON when it is not one.
pub fn money_text(value: &Value, locale: Locale) -> String {
    serde_json::from_value::<Money>(value.clone())
        .map(|m| format_money(&m, locale))
        .unwrap_or_else(|_| value.to_string())
}

/// A field's JSON value as text: picklist keys as labels, times formatted, yes/no, `—` for
/// none. The record types add their own fields (classes, statuses, amounts) in front.
pub fn value_text(field: &str, value: &Value, locale: Locale) -> String {
    match (field, value) {
        (_, Value::Null) => "—".to_string(),
        (
            list @ ("industry" | "source" | "lost_reason" | "disqualify_reason"),
            Value::String(k),
        ) => choice_label(list, k, locale),
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
