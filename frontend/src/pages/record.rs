//! What the record pages (accounts, contacts, leads, opportunities) share: the record's id from
//! the address, the error of a missing record, and how money reads.

use crate::api::ApiError;
use crate::i18n::{format_money, Locale};
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
