//! The app's addresses, in one place (links, redirects and search results use these).

use crate::api::encode;
use uuid::Uuid;

pub const LOGIN: &str = "/login";
pub const ACCOUNTS: &str = "/accounts";
pub const NEW_ACCOUNT: &str = "/accounts/new";
pub const SEARCH: &str = "/search";

pub fn account_href(id: Uuid) -> String {
    format!("{ACCOUNTS}/{id}")
}

pub fn account_edit_href(id: Uuid) -> String {
    format!("{ACCOUNTS}/{id}/edit")
}

pub fn search_href(q: &str) -> String {
    format!("{SEARCH}?q={}", encode(q))
}

/// The page of a search hit's record; entities without pages yet have none.
pub fn entity_href(entity: &str, id: Uuid) -> Option<String> {
    match entity {
        "account" => Some(account_href(id)),
        _ => None,
    }
}

/// The sign-in page, returning to `next` afterwards.
pub fn login_href(next: &str) -> String {
    if next.is_empty() || next == "/" || next.starts_with(LOGIN) {
        LOGIN.to_string()
    } else {
        format!("{LOGIN}?next={}", encode(next))
    }
}
