//! The app's addresses, in one place (links, redirects and search results use these).

use crate::api::encode;
use uuid::Uuid;

pub const HOME: &str = "/";
pub const LOGIN: &str = "/login";
pub const ACCOUNTS: &str = "/accounts";
pub const NEW_ACCOUNT: &str = "/accounts/new";
pub const CONTACTS: &str = "/contacts";
pub const NEW_CONTACT: &str = "/contacts/new";
pub const OPPORTUNITIES: &str = "/opportunities";
pub const NEW_OPPORTUNITY: &str = "/opportunities/new";
pub const LEADS: &str = "/leads";
pub const NEW_LEAD: &str = "/leads/new";
pub const PIPELINE: &str = "/pipeline";
pub const TASKS: &str = "/tasks";
pub const SEARCH: &str = "/search";
pub const DUPLICATES: &str = "/duplicates";
pub const TRANSFER: &str = "/admin/transfer";
pub const SETTINGS: &str = "/admin/settings";
pub const CUSTOM_FIELDS: &str = "/admin/custom-fields";
pub const JOBS: &str = "/admin/jobs";
pub const WEBHOOKS: &str = "/admin/webhooks";
pub const CHAT_BOTS: &str = "/admin/chat-bots";
/// The customer pool (公海): the unowned accounts of a pool the caller is a member of.
pub const POOLS: &str = "/pools";
/// The customer pools' settings (admins).
pub const POOL_SETTINGS: &str = "/admin/pools";
/// Workflow rules (admins).
pub const WORKFLOW_RULES: &str = "/admin/workflow-rules";
/// Approval processes (admins).
pub const APPROVAL_PROCESSES: &str = "/admin/approval-processes";
/// My approvals: what waits for my decision, and every approval I take part in.
pub const APPROVALS: &str = "/approvals";
/// The inbox: every notification, and which kinds reach the user where.
pub const NOTIFICATIONS: &str = "/notifications";
/// The catalogue: `/` + the registry's collection of products.
pub const PRODUCTS: &str = "/products";
pub const NEW_PRODUCT: &str = "/products/new";
/// The product category tree (产品分类).
pub const PRODUCT_CATEGORIES: &str = "/products/categories";

/// The custom fields of one entity's collection (`accounts`).
pub fn custom_fields_of(plural: &str) -> String {
    format!("{CUSTOM_FIELDS}?entity={plural}")
}

pub fn account_href(id: Uuid) -> String {
    format!("{ACCOUNTS}/{id}")
}

pub fn account_edit_href(id: Uuid) -> String {
    format!("{ACCOUNTS}/{id}/edit")
}

pub fn contact_href(id: Uuid) -> String {
    format!("{CONTACTS}/{id}")
}

pub fn contact_edit_href(id: Uuid) -> String {
    format!("{CONTACTS}/{id}/edit")
}

/// The accounts `owner` owns.
pub fn accounts_of_owner(owner: Uuid) -> String {
    format!("{ACCOUNTS}?owner_id={owner}")
}

/// The accounts list filtered to neglected ones (`owner`'s, when known).
pub fn neglected_accounts(owner: Option<Uuid>) -> String {
    match owner {
        Some(me) => format!("{ACCOUNTS}?neglected=true&owner_id={me}"),
        None => format!("{ACCOUNTS}?neglected=true"),
    }
}

/// The pool page showing the pool `id` (its filter on the pool's accounts).
pub fn pool_href(id: Uuid) -> String {
    format!("{POOLS}?{POOL_FILTER}={id}")
}

/// The filter of [`pool_href`]: which pool the page shows.
pub const POOL_FILTER: &str = "pool_id";

/// The caller's accounts, those returning to the pool soonest first.
pub fn returning_accounts(owner: Option<Uuid>) -> String {
    match owner {
        Some(me) => format!("{ACCOUNTS}?sort=recycle_at&owner_id={me}"),
        None => format!("{ACCOUNTS}?sort=recycle_at"),
    }
}

/// The contacts list filtered to one account.
pub fn contacts_of(account: Uuid) -> String {
    format!("{CONTACTS}?account_id={account}")
}

/// A new contact at an account.
pub fn new_contact_for(account: Uuid) -> String {
    format!("{NEW_CONTACT}?account_id={account}")
}

pub fn opportunity_href(id: Uuid) -> String {
    format!("{OPPORTUNITIES}/{id}")
}

pub fn opportunity_edit_href(id: Uuid) -> String {
    format!("{OPPORTUNITIES}/{id}/edit")
}

pub fn opportunities_of(account: Uuid) -> String {
    format!("{OPPORTUNITIES}?account_id={account}")
}

pub fn new_opportunity_for(account: Uuid) -> String {
    format!("{NEW_OPPORTUNITY}?account_id={account}")
}

pub fn lead_href(id: Uuid) -> String {
    format!("{LEADS}/{id}")
}

pub fn lead_edit_href(id: Uuid) -> String {
    format!("{LEADS}/{id}/edit")
}

pub fn product_href(id: Uuid) -> String {
    format!("{PRODUCTS}/{id}")
}

pub fn product_edit_href(id: Uuid) -> String {
    format!("{PRODUCTS}/{id}/edit")
}

/// The products list filtered to a category and its subcategories (`ids`: the category first).
pub fn products_in(ids: &[Uuid]) -> String {
    let ids: Vec<String> = ids.iter().map(Uuid::to_string).collect();
    format!(
        "{PRODUCTS}?{}",
        crate::api::query_string(&[(CATEGORY_FILTER, ids.join(","))])
    )
}

/// The list filter of [`products_in`]: a category and its subcategories.
pub const CATEGORY_FILTER: &str = "category_id[in]";

/// A new product in a category.
pub fn new_product_in(category: Uuid) -> String {
    format!("{NEW_PRODUCT}?category_id={category}")
}

/// One approval's page.
pub fn approval_href(id: Uuid) -> String {
    format!("{APPROVALS}/{id}")
}

pub fn search_href(q: &str) -> String {
    format!("{SEARCH}?q={}", encode(q))
}

/// The page of a record of a registered entity (`account` → `/accounts/{id}`).
pub fn entity_href(entity: &str, id: Uuid) -> Option<String> {
    domain::registry::entity(entity).map(|e| format!("/{}/{id}", e.plural))
}

/// The sign-in page, returning to `next` afterwards.
pub fn login_href(next: &str) -> String {
    if next.is_empty() || next == "/" || next.starts_with(LOGIN) {
        LOGIN.to_string()
    } else {
        format!("{LOGIN}?next={}", encode(next))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn product_pages_are_at_the_registry_collection() {
        let id = Uuid::from_u128(7);
        assert_eq!(PRODUCTS, format!("/{}", domain::registry::PRODUCT.plural));
        assert_eq!(entity_href("product", id), Some(product_href(id)));
    }
}
