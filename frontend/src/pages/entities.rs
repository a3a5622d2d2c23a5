//! The pages of each entity that has them, in one table: its list, new, record and edit pages at
//! `/{plural}`, `/{plural}/new`, `/{plural}/:id` and `/{plural}/:id/edit` (the registry's
//! collection names the address), and the header's link to its list, in the table's order. The
//! app's four collection routes find an entity's page here; an entity gains its pages by a line.

use super::{
    AccountDetailPage, AccountEditPage, AccountNewPage, AccountsListPage, ContactDetailPage,
    ContactEditPage, ContactNewPage, ContactsListPage, LeadDetailPage, LeadEditPage, LeadNewPage,
    LeadsListPage, NotFoundPage, OpportunitiesListPage, OpportunityDetailPage, OpportunityEditPage,
    OpportunityNewPage, ProductDetailPage, ProductEditPage, ProductNewPage, ProductsListPage,
};
use domain::registry::{self, Entity};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// Which of an entity's pages an address names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    List,
    New,
    Record,
    Edit,
}

pub struct EntityPages {
    pub entity: &'static Entity,
    pub list: fn() -> AnyView,
    pub new: fn() -> AnyView,
    pub record: fn() -> AnyView,
    pub edit: fn() -> AnyView,
}

impl EntityPages {
    /// The address of its list.
    pub fn href(&self) -> String {
        format!("/{}", self.entity.plural)
    }

    fn page(&self, kind: PageKind) -> AnyView {
        match kind {
            PageKind::List => (self.list)(),
            PageKind::New => (self.new)(),
            PageKind::Record => (self.record)(),
            PageKind::Edit => (self.edit)(),
        }
    }
}

/// The entities with pages, in the header's order.
pub static ENTITY_PAGES: &[EntityPages] = &[
    EntityPages {
        entity: &registry::LEAD,
        list: || LeadsListPage().into_any(),
        new: || LeadNewPage().into_any(),
        record: || LeadDetailPage().into_any(),
        edit: || LeadEditPage().into_any(),
    },
    EntityPages {
        entity: &registry::ACCOUNT,
        list: || AccountsListPage().into_any(),
        new: || AccountNewPage().into_any(),
        record: || AccountDetailPage().into_any(),
        edit: || AccountEditPage().into_any(),
    },
    EntityPages {
        entity: &registry::CONTACT,
        list: || ContactsListPage().into_any(),
        new: || ContactNewPage().into_any(),
        record: || ContactDetailPage().into_any(),
        edit: || ContactEditPage().into_any(),
    },
    EntityPages {
        entity: &registry::OPPORTUNITY,
        list: || OpportunitiesListPage().into_any(),
        new: || OpportunityNewPage().into_any(),
        record: || OpportunityDetailPage().into_any(),
        edit: || OpportunityEditPage().into_any(),
    },
    EntityPages {
        entity: &registry::PRODUCT,
        list: || ProductsListPage().into_any(),
        new: || ProductNewPage().into_any(),
        record: || ProductDetailPage().into_any(),
        edit: || ProductEditPage().into_any(),
    },
];

/// The pages of the entity stored in `collection` (`accounts`).
pub fn of(collection: &str) -> Option<&'static EntityPages> {
    ENTITY_PAGES.iter().find(|p| p.entity.plural == collection)
}

/// The `kind` page of the entity the address's `:collection` names; not found for any other.
/// Only a change of collection swaps the page: a move to another record keeps it (the page
/// follows its `:id`).
#[component]
pub fn EntityPage(kind: PageKind) -> impl IntoView {
    let params = use_params_map();
    let collection = Memo::new(move |_| params.read().get("collection"));
    move || match collection.get().as_deref().and_then(of) {
        Some(pages) => pages.page(kind),
        None => view! { <NotFoundPage /> }.into_any(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_entity_has_its_pages_once_at_its_collection() {
        for p in ENTITY_PAGES {
            assert!(registry::collection(p.entity.plural).is_some());
            let n = ENTITY_PAGES
                .iter()
                .filter(|q| q.entity.plural == p.entity.plural)
                .count();
            assert_eq!(n, 1, "{}", p.entity.plural);
        }
        assert_eq!(
            of("products").map(EntityPages::href),
            Some("/products".into())
        );
        assert!(of("activities").is_none());
    }
}
