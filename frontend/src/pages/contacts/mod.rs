//! Contact pages, and what they share: field labels and how a field's value reads.

mod detail;
mod form;
mod list;

pub use detail::ContactDetailPage;
pub use form::{ContactEditPage, ContactNewPage};
pub use list::ContactsListPage;

use crate::components::FieldText;
use crate::i18n::{Locale, K};
use serde_json::Value;

pub const FIELDS: FieldText = FieldText {
    label: field_label,
    value: value_text,
};

/// The label of a contact field (as named by the API).
pub fn field_label(field: &str) -> Option<K> {
    Some(match field {
        "name" => K::Name,
        "title" => K::JobTitle,
        "account_id" => K::Account,
        "phones" => K::Phones,
        "emails" => K::Emails,
        "wechat" => K::Wechat,
        "birthday" => K::Birthday,
        "owner_id" => K::Owner,
        "tags" => K::Tags,
        _ => return None,
    })
}

pub fn value_text(field: &str, value: &Value, locale: Locale) -> String {
    crate::pages::record::value_text(field, value, locale)
}
