//! The contacts list: sortable columns, quick search and filters in the URL, cursor paging; only
//! the shown columns are fetched, and custom number and money columns are summed.

use crate::api;
use crate::components::{FilterBar, OwnerListFilter, SortHeader};
use crate::custom::list::{CustomCells, CustomHeaders, CustomList, CustomListControls, CustomSums};
use crate::i18n::{format_datetime, use_i18n, K};
use crate::list::{use_record_list, ListFooter, ListRow, ListSpec, ListTotal, ListViews, SumsRow};
use crate::routes;
use crate::session::use_auth;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_router::components::A;

const SPEC: ListSpec = ListSpec {
    api_path: api::contacts::PATH,
    page_path: routes::CONTACTS,
    filter_keys: &["owner_id", "account_id", "tags"],
    page_size: 50,
};

crate::list_row! {
    /// A contact as the list shows it.
    ContactRow {
        name: String,
        title: Option<String>,
        account_id: Option<uuid::Uuid>,
        phones: Vec<String>,
        emails: Vec<String>,
        owner_id: uuid::Uuid,
        updated_at: DateTime<Utc>,
    }
}

#[component]
pub fn ContactsListPage() -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    let list = use_record_list::<ContactRow>(SPEC, &[]);
    let custom = CustomList::new(&list, ContactRow::custom);
    let query = list.query;
    // The accounts of the loaded contacts, by name.
    let accounts = LocalResource::new(move || {
        let ids = list
            .items
            .with(|v| v.iter().filter_map(|c| c.account_id).collect::<Vec<_>>());
        async move {
            api::names::names(api::accounts::PATH, ids)
                .await
                .unwrap_or_default()
        }
    });
    let account_name = move |id: uuid::Uuid| {
        accounts
            .get()
            .and_then(|m| m.get(&id).cloned())
            .unwrap_or_default()
    };
    let filtered_account = move || {
        query.with(|q| {
            q.filter("account_id")
                .and_then(|s| s.parse::<uuid::Uuid>().ok())
        })
    };
    let row = move |c: ContactRow| {
        let custom_values = c.custom.clone();
        let owner = c.owner_id;
        let account = c.account_id;
        view! {
            <tr data-id=c.id.to_string()>
                <td class="name" data-label=move || i.t(K::Name)>
                    <A href=routes::contact_href(c.id)>{c.name.clone()}</A>
                </td>
                <td data-label=move || i.t(K::JobTitle)>{c.title.clone().unwrap_or_default()}</td>
                <td data-label=move || i.t(K::Account)>
                    {account.map(|a| view! { <A href=routes::account_href(a)>{move || account_name(a)}</A> })}
                </td>
                <td data-label=move || i.t(K::Phone)>{c.phones.first().cloned().unwrap_or_default()}</td>
                <td data-label=move || i.t(K::Email)>{c.emails.first().cloned().unwrap_or_default()}</td>
                <td data-label=move || i.t(K::Owner)>{move || auth.user_name(owner, i.t(K::Mine))}</td>
                <td data-label=move || i.t(K::UpdatedAt)>{move || format_datetime(&c.updated_at, i.locale())}</td>
                <CustomCells custom values=custom_values />
            </tr>
        }
    };
    let new_href = move || match filtered_account() {
        Some(a) => routes::new_contact_for(a),
        None => routes::NEW_CONTACT.to_string(),
    };
    view! {
        <section class="page contacts-list">
            <div class="page-head">
                <h1>
                    {move || i.t(K::ContactsTitle)}
                    <ListTotal total=list.total />
                </h1>
                <A href=new_href attr:class="button primary" attr:id="new-contact">
                    {move || i.t(K::NewContact)}
                </A>
            </div>
            <ListViews spec=SPEC query />
            <FilterBar list placeholder=K::QuickSearchContacts>
                <OwnerListFilter />
                {move || filtered_account().map(|a| view! {
                    <span class="chip" id="account-filter">
                        {move || i.t(K::Account)} ": "
                        <A href=routes::account_href(a)>{move || account_name(a)}</A>
                    </span>
                })}
            </FilterBar>
            <CustomListControls custom />
            <div class="table-wrap">
                <table class="records" id="contacts-table">
                    <thead>
                        <tr>
                            <SortHeader label=K::Name field="name" query page_path=routes::CONTACTS />
                            <th>{move || i.t(K::JobTitle)}</th>
                            <th>{move || i.t(K::Account)}</th>
                            <th>{move || i.t(K::Phone)}</th>
                            <th>{move || i.t(K::Email)}</th>
                            <th>{move || i.t(K::Owner)}</th>
                            <SortHeader label=K::UpdatedAt field="updated_at" query page_path=routes::CONTACTS />
                            <CustomHeaders custom />
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || list.items.get() key=|c| (c.id, c.version) children=row />
                    </tbody>
                    <tfoot>
                        <SumsRow list>
                            <td></td>
                            <td></td>
                            <td></td>
                            <td></td>
                            <td></td>
                            <td></td>
                            <CustomSums custom />
                        </SumsRow>
                    </tfoot>
                </table>
            </div>
            <ListFooter list />
        </section>
    }
}
