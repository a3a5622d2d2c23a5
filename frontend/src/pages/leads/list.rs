//! The leads list: sortable columns, status/owner filters and quick search in the URL; only the
//! shown columns are fetched, and custom number and money columns are summed.

use super::status_label;
use crate::api;
use crate::components::{OwnerFilter, SortHeader};
use crate::custom::list::{CustomCells, CustomHeaders, CustomList, CustomListControls, CustomSums};
use crate::i18n::{format_datetime, use_i18n, K};
use crate::list::{use_record_list, ListFooter, ListRow, ListSpec, ListTotal, ListViews, SumsRow};
use crate::routes;
use crate::session::use_auth;
use chrono::{DateTime, Utc};
use domain::lead::LeadStatus;
use leptos::ev::SubmitEvent;
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
    let q_text = RwSignal::new(String::new());
    Effect::new(move |_| q_text.set(query.with(|q| q.q.clone())));
    let search = move |ev: SubmitEvent| {
        ev.prevent_default();
        list.go(query.get_untracked().with_q(&q_text.get_untracked()));
    };
    let status = move || query.with(|q| q.filter("status").unwrap_or_default().to_string());
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
            <form class="filters" on:submit=search>
                <input
                    id="quick-search"
                    type="search"
                    bind:value=q_text
                    placeholder=move || i.t(K::QuickSearchContacts)
                    aria-label=move || i.t(K::QuickSearchContacts)
                />
                <select
                    id="filter-status"
                    aria-label=move || i.t(K::Status)
                    prop:value=status
                    on:change=move |ev| list.go(query.get_untracked().with_filter("status", Some(event_target_value(&ev))))
                >
                    <option value="">{move || i.t(K::AllStatuses)}</option>
                    {LeadStatus::ALL
                        .into_iter()
                        .map(|k| view! {
                            <option value=k.as_str() selected=move || status() == k.as_str()>
                                {move || status_label(k, i.locale())}
                            </option>
                        })
                        .collect_view()}
                </select>
                <OwnerFilter
                    value=Signal::derive(move || query.with(|q| q.filter("owner_id").unwrap_or_default().to_string()))
                    on_change=Callback::new(move |v: String| list.go(query.get_untracked().with_filter("owner_id", Some(v))))
                />
                <button type="submit" id="apply-filters">{move || i.t(K::Search)}</button>
                <Show when=move || query.with(|q| !q.q.is_empty() || !q.filters.is_empty())>
                    <A href=move || query.with(|q| q.without_filters().href(routes::LEADS)) attr:class="clear-filters">
                        {move || i.t(K::ClearFilters)}
                    </A>
                </Show>
            </form>
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
