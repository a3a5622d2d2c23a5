//! The leads list: sortable columns, status/owner filters and quick search in the URL; only the
//! shown columns are fetched, and custom number and money columns are summed.

use crate::api;
use crate::components::{EnumFilter, OwnerListFilter};
use crate::i18n::{use_i18n, K};
use crate::list::ListSpec;
use crate::record::{Column, ListHooks, RecordList};
use crate::routes;
use domain::registry::LEAD;
use leptos::prelude::*;
use leptos_router::components::A;

const SPEC: ListSpec = ListSpec {
    api_path: api::leads::PATH,
    page_path: routes::LEADS,
    filter_keys: &["status", "owner_id", "source", "tags"],
    page_size: 50,
};

const COLUMNS: &[Column] = &[
    Column::link("name"),
    Column::new("company"),
    Column::new("phone"),
    Column::new("status").badge("lead"),
    Column::new("owner_id"),
    Column::new("created_at"),
];

#[component]
pub fn LeadsListPage() -> impl IntoView {
    let i = use_i18n();
    let hooks = ListHooks {
        filters: Some(Callback::new(|_| {
            view! {
                <EnumFilter entity=&LEAD field="status" blank=K::AllStatuses />
                <OwnerListFilter />
            }
            .into_any()
        })),
        actions: Some(Callback::new(move |_| {
            view! {
                <A href=routes::NEW_LEAD attr:class="button primary" attr:id="new-lead">
                    {move || i.t(K::NewLead)}
                </A>
            }
            .into_any()
        })),
        ..ListHooks::default()
    };
    view! {
        <RecordList
            entity=&LEAD
            spec=SPEC
            columns=COLUMNS
            placeholder=K::QuickSearchContacts
            title=K::LeadsTitle
            hooks
        />
    }
}
