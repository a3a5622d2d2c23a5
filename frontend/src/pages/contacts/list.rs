//! The contacts list: sortable columns, quick search and filters in the URL, cursor paging; only
//! the shown columns are fetched, and custom number and money columns are summed. Opened from
//! an account (`?account_id=`), it names the account and adds new contacts to it.

use crate::api;
use crate::components::{OwnerListFilter, ReferenceChip};
use crate::i18n::{use_i18n, K};
use crate::list::{ListSpec, ListState, Row};
use crate::record::{Column, ListHooks, RecordList};
use crate::routes;
use domain::registry::CONTACT;
use leptos::prelude::*;
use leptos_router::components::A;

const SPEC: ListSpec = ListSpec {
    api_path: api::contacts::PATH,
    page_path: routes::CONTACTS,
    filter_keys: &["owner_id", "account_id", "tags"],
    page_size: 50,
};

const COLUMNS: &[Column] = &[
    Column::link("name"),
    Column::new("title"),
    Column::new("account_id"),
    Column::new("phones"),
    Column::new("emails"),
    Column::new("owner_id"),
    Column::new("updated_at"),
];

#[component]
pub fn ContactsListPage() -> impl IntoView {
    let i = use_i18n();
    let hooks = ListHooks {
        filters: Some(Callback::new(|_| {
            view! {
                <OwnerListFilter />
                <ReferenceChip entity=&CONTACT field="account_id" />
            }
            .into_any()
        })),
        actions: Some(Callback::new(move |list: ListState<Row>| {
            let href = move || match list.query.with(|q| q.filter_id("account_id")) {
                Some(a) => routes::new_contact_for(a),
                None => routes::NEW_CONTACT.to_string(),
            };
            view! {
                <A href attr:class="button primary" attr:id="new-contact">
                    {move || i.t(K::NewContact)}
                </A>
            }
            .into_any()
        })),
        ..ListHooks::default()
    };
    view! {
        <RecordList
            entity=&CONTACT
            spec=SPEC
            columns=COLUMNS
            placeholder=K::QuickSearchContacts
            title=K::ContactsTitle
            hooks
        />
    }
}
