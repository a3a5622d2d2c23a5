//! The customer pool (公海): `/pools`, and `/pools?pool_id=…` for one of several pools the caller
//! is a member of. The pool's accounts are an accounts list (quick search, filters, sort and
//! paging as on the accounts list, over `/account-pools/{id}/accounts`; the pool is the list's
//! `pool_id` filter, so sorting and filtering keep it); above them the pool's choice, the
//! caller's quota and the actions on the ticked rows, and on each row its claim ([`taking`]).

mod taking;

use crate::api;
use crate::components::{EnumFilter, Loading, PicklistFilter, TextFilter};
use crate::i18n::{use_i18n, K};
use crate::list::ListSpec;
use crate::record::{Column, ListHooks, RecordList};
use crate::routes::{self, POOL_FILTER};
use crate::session::use_auth;
use domain::registry::ACCOUNT;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use taking::{PoolBar, RowTaking, Taking};
use uuid::Uuid;

const SPEC: ListSpec = ListSpec {
    // The accounts' custom fields and saved views; the rows come from the pool (`source`).
    api_path: api::accounts::PATH,
    page_path: routes::POOLS,
    filter_keys: &[POOL_FILTER, "class", "industry", "source", "tags"],
    page_size: 50,
};

const COLUMNS: &[Column] = &[
    Column::link("name"),
    Column::new("class").badge("class"),
    Column::new("industry"),
    Column::new("region"),
    Column::new("last_activity_at"),
];

#[component]
pub fn PoolsPage() -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    let query = use_query_map();
    // The pool asked for, else the caller's first.
    let pool = Memo::new(move |_| {
        let asked = query
            .read()
            .get(POOL_FILTER)
            .and_then(|s| s.parse::<Uuid>().ok());
        asked.or_else(|| auth.pools.get()?.first().map(|p| p.id))
    });
    let any = Memo::new(move |_| auth.pools.get().map(|p| !p.is_empty()));
    let taking = Taking::new(pool);
    let hooks = ListHooks {
        filters: Some(Callback::new(|_| {
            view! {
                <EnumFilter entity=&ACCOUNT field="class" blank=K::AllClasses />
                <PicklistFilter entity=&ACCOUNT field="industry" blank=K::AllIndustries />
                <PicklistFilter entity=&ACCOUNT field="source" blank=K::AllSources />
                <TextFilter id="filter-tag" key="tags" placeholder=K::TagFilter />
            }
            .into_any()
        })),
        actions: Some(Callback::new(move |list| {
            view! { <PoolBar taking list /> }.into_any()
        })),
        row_actions: Some(Callback::new(move |(row, list)| {
            view! { <RowTaking taking row list /> }.into_any()
        })),
        ..ListHooks::default()
    };
    let source = Signal::derive(move || pool.get().map(api::pools::accounts_path));
    view! {
        <div class="pools-page">
            {move || match any.get() {
                None => view! { <Loading /> }.into_any(),
                Some(false) => view! {
                    <section class="page">
                        <h1>{move || i.t(K::PoolsTitle)}</h1>
                        <div class="notice info" id="no-pools">
                            <p>{move || i.t(K::NoPools)}</p>
                            <Show when=move || auth.role() == Some(domain::role::Role::Admin)>
                                <A href=routes::POOL_SETTINGS attr:id="add-pool-link">{move || i.t(K::NoPoolsAdmin)}</A>
                            </Show>
                        </div>
                    </section>
                }
                .into_any(),
                Some(true) => view! {
                    <RecordList
                        entity=&ACCOUNT
                        spec=SPEC
                        columns=COLUMNS
                        placeholder=K::QuickSearch
                        title=K::PoolsTitle
                        hooks
                        source
                    />
                }
                .into_any(),
            }}
        </div>
    }
}
