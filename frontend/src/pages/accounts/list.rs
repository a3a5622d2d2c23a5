//! The accounts list: sortable columns, filters and quick search in the URL, cursor paging; only
//! the shown columns are fetched, and employees and revenue are summed over the whole list. An
//! account soon to return to the customer pool says so next to its name; one in a pool (admins
//! see those here) has the pool for owner.

use crate::api::accounts::PATH;
use crate::components::{
    recycle_at_of, EnumFilter, FlagFilter, OwnerListFilter, PicklistFilter, RecycleBadge,
    TextFilter,
};
use crate::i18n::{use_i18n, K};
use crate::list::ListSpec;
use crate::list::Row;
use crate::record::{Column, ListHooks, RecordList};
use crate::routes;
use domain::registry::ACCOUNT;
use leptos::prelude::*;
use leptos_router::components::A;

const SPEC: ListSpec = ListSpec {
    api_path: PATH,
    page_path: routes::ACCOUNTS,
    filter_keys: &[
        "class",
        "industry",
        "source",
        "owner_id",
        "tags",
        "neglected",
    ],
    page_size: 50,
};

const COLUMNS: &[Column] = &[
    Column::link("name"),
    Column::new("class").badge("class"),
    Column::new("industry"),
    Column::new("employees").summed(),
    Column::new("annual_revenue").summed(),
    Column::new("owner_id"),
    Column::new("created_at"),
    Column::new("updated_at"),
];

/// The name's cell: the account's link, and when it returns to the pool within days, the badge.
fn name_cell((field, row): (&'static str, Row)) -> Option<AnyView> {
    if field != "name" {
        return None;
    }
    let name = row.get("name").as_str().unwrap_or_default().to_string();
    let at = recycle_at_of(row.get("recycle_at"));
    Some(
        view! {
            <A href=routes::account_href(row.id)>{name}</A>
            {at.map(|at| view! { " " <RecycleBadge at /> })}
        }
        .into_any(),
    )
}

#[component]
pub fn AccountsListPage() -> impl IntoView {
    let i = use_i18n();
    let hooks = ListHooks {
        cell: Some(Callback::new(name_cell)),
        filters: Some(Callback::new(|_| {
            view! {
                <EnumFilter entity=&ACCOUNT field="class" blank=K::AllClasses />
                <PicklistFilter entity=&ACCOUNT field="industry" blank=K::AllIndustries />
                <PicklistFilter entity=&ACCOUNT field="source" blank=K::AllSources />
                <OwnerListFilter />
                <TextFilter id="filter-tag" key="tags" placeholder=K::TagFilter />
                <FlagFilter id="filter-neglected" key="neglected" label=K::NeglectedOnly />
            }
            .into_any()
        })),
        actions: Some(Callback::new(move |_| {
            view! {
                <A href=routes::NEW_ACCOUNT attr:class="button primary" attr:id="new-account">
                    {move || i.t(K::NewAccount)}
                </A>
            }
            .into_any()
        })),
        ..ListHooks::default()
    };
    view! {
        <RecordList
            entity=&ACCOUNT
            spec=SPEC
            columns=COLUMNS
            also=&["recycle_at"]
            placeholder=K::QuickSearch
            title=K::AccountsTitle
            hooks
        />
    }
}
