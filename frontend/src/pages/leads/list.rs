//! The leads list: sortable columns, status/owner filters and quick search in the URL; only the
//! shown columns are fetched, and custom number and money columns are summed.

use super::status_label;
use crate::api;
use crate::components::{EnumFilter, FilterBar, OwnerListFilter, SortHeader};
use crate::custom::list::{CustomCells, CustomHeaders, CustomList, CustomListControls, CustomSums};
use crate::i18n::{format_datetime, use_i18n, K};
use crate::list::{use_record_list, ListFooter, ListRow, ListSpec, ListTotal, ListViews, SumsRow};
use crate::routes;
use crate::session::use_auth;
use chrono::{DateTime, Utc};
use domain::lead::LeadStatus;
use domain::registry::LEAD;
use leptos::prelude::*;
use leptos_router::components::A;

const SPEC: ListSpec = ListSpec {
    api_path: api::leads::PATH,
    page_path: routes::LEADS,
    filter_keys: &["status", "owner_id", "source", "tags"],
    page_size: 50,
};

crate::list_row! {
    /// A lead as the list shows it.
    LeadRow {
        name: String,
        company: Option<String>,
        phone: Option<String>,
        status: LeadStatus,
        owner_id: uuid::Uuid,
        created_at: DateTime<Utc>,
    }
}

#[component]
pub fn LeadsListPage() -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    let list = use_record_list::<LeadRow>(SPEC, &[]);
    let custom = CustomList::new(&list, LeadRow::custom);
    let query = list.query;
    let row = move |l: LeadRow| {
        let custom_values = l.custom.clone();
        let (owner, st, created) = (l.owner_id, l.status, l.created_at);
        view! {
            <tr data-id=l.id.to_string()>
                <td class="name" data-label=move || i.t(K::Name)>
                    <A href=routes::lead_href(l.id)>{l.name.clone()}</A>
                </td>
                <td data-label=move || i.t(K::Company)>{l.company.clone().unwrap_or_default()}</td>
                <td data-label=move || i.t(K::Phone)>{l.phone.clone().unwrap_or_default()}</td>
                <td data-label=move || i.t(K::Status)>
                    <span class=format!("badge lead-{}", st.as_str())>{move || status_label(st, i.locale())}</span>
                </td>
                <td data-label=move || i.t(K::Owner)>{move || auth.user_name(owner, i.t(K::Mine))}</td>
                <td data-label=move || i.t(K::CreatedAt)>{move || format_datetime(&created, i.locale())}</td>
                <CustomCells custom values=custom_values />
            </tr>
        }
    };
    view! {
        <section class="page leads-list">
            <div class="page-head">
                <h1>{move || i.t(K::LeadsTitle)} <ListTotal total=list.total /></h1>
                <A href=routes::NEW_LEAD attr:class="button primary" attr:id="new-lead">
                    {move || i.t(K::NewLead)}
                </A>
            </div>
            <ListViews spec=SPEC query />
            <FilterBar list placeholder=K::QuickSearchContacts>
                <EnumFilter entity=&LEAD field="status" blank=K::AllStatuses />
                <OwnerListFilter />
            </FilterBar>
            <CustomListControls custom />
            <div class="table-wrap">
                <table class="records" id="leads-table">
                    <thead>
                        <tr>
                            <SortHeader label=K::Name field="name" query page_path=routes::LEADS />
                            <SortHeader label=K::Company field="company" query page_path=routes::LEADS />
                            <th>{move || i.t(K::Phone)}</th>
                            <th>{move || i.t(K::Status)}</th>
                            <th>{move || i.t(K::Owner)}</th>
                            <SortHeader label=K::CreatedAt field="created_at" query page_path=routes::LEADS />
                            <CustomHeaders custom />
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || list.items.get() key=|l| (l.id, l.version) children=row />
                    </tbody>
                    <tfoot>
                        <SumsRow list>
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
