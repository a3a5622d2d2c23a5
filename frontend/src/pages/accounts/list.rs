//! The accounts list: sortable columns, filters and quick search in the URL, cursor paging; only
//! the shown columns are fetched, and employees and revenue are summed over the whole list.

use crate::api::accounts::PATH;
use crate::components::{
    EnumFilter, FilterBar, OwnerListFilter, PicklistFilter, SortHeader, TextFilter,
};
use crate::custom::list::{CustomCells, CustomHeaders, CustomList, CustomListControls, CustomSums};
use crate::i18n::{
    choice_label, class_label, format_datetime, format_int, format_money, use_i18n, K,
};
use crate::list::{
    use_record_list, ListFooter, ListRow, ListSpec, ListTotal, ListViews, SumCell, SumsRow,
};
use crate::routes;
use crate::session::use_auth;
use chrono::{DateTime, Utc};
use domain::account::AccountClass;
use domain::money::Money;
use domain::registry::ACCOUNT;
use leptos::prelude::*;
use leptos_router::components::A;

const SPEC: ListSpec = ListSpec {
    api_path: PATH,
    page_path: routes::ACCOUNTS,
    filter_keys: &["class", "industry", "source", "owner_id", "tags"],
    page_size: 50,
};

crate::list_row! {
    /// An account as the list shows it.
    AccountRow {
        name: String,
        class: AccountClass,
        industry: Option<String>,
        employees: Option<i32>,
        annual_revenue: Option<Money>,
        owner_id: uuid::Uuid,
        created_at: DateTime<Utc>,
        updated_at: DateTime<Utc>,
    }
}

/// The columns summed in the totals row.
const SUMS: &[&str] = &["employees", "annual_revenue"];

#[component]
pub fn AccountsListPage() -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    let list = use_record_list::<AccountRow>(SPEC, SUMS);
    let custom = CustomList::new(&list, AccountRow::custom);
    let query = list.query;

    let row = move |a: AccountRow| {
        let custom_values = a.custom.clone();
        let href = routes::account_href(a.id);
        let owner_id = a.owner_id;
        let a2 = a.clone();
        view! {
            <tr data-id=a.id.to_string()>
                <td class="name" data-label=move || i.t(K::Name)>
                    <A href=href>{a.name.clone()}</A>
                </td>
                <td data-label=move || i.t(K::Class)>
                    <span class=format!("badge class-{}", a.class.as_str())>
                        {move || class_label(a.class, i.locale())}
                    </span>
                </td>
                <td data-label=move || i.t(K::Industry)>
                    {move || {
                        a2.industry
                            .as_deref()
                            .map(|k| choice_label("industry", k, i.locale()))
                            .unwrap_or_default()
                    }}
                </td>
                <td class="num" data-label=move || i.t(K::Employees)>
                    {move || a.employees.map(|n| format_int(n.into(), i.locale())).unwrap_or_default()}
                </td>
                <td class="num" data-label=move || i.t(K::AnnualRevenue)>
                    {
                        let m = a.annual_revenue.clone();
                        move || m.as_ref().map(|m| format_money(m, i.locale())).unwrap_or_default()
                    }
                </td>
                <td data-label=move || i.t(K::Owner)>
                    {move || auth.user_name(owner_id, i.t(K::Mine))}
                </td>
                <td data-label=move || i.t(K::CreatedAt)>
                    {move || format_datetime(&a.created_at, i.locale())}
                </td>
                <td data-label=move || i.t(K::UpdatedAt)>
                    {move || format_datetime(&a.updated_at, i.locale())}
                </td>
                <CustomCells custom values=custom_values />
            </tr>
        }
    };

    view! {
        <section class="page accounts-list">
            <div class="page-head">
                <h1>
                    {move || i.t(K::AccountsTitle)}
                    <ListTotal total=list.total />
                </h1>
                <A href=routes::NEW_ACCOUNT attr:class="button primary" attr:id="new-account">
                    {move || i.t(K::NewAccount)}
                </A>
            </div>
            <ListViews spec=SPEC query />
            <FilterBar list placeholder=K::QuickSearch>
                <EnumFilter entity=&ACCOUNT field="class" blank=K::AllClasses />
                <PicklistFilter entity=&ACCOUNT field="industry" blank=K::AllIndustries />
                <PicklistFilter entity=&ACCOUNT field="source" blank=K::AllSources />
                <OwnerListFilter />
                <TextFilter id="filter-tag" key="tags" placeholder=K::TagFilter />
            </FilterBar>
            <CustomListControls custom />
            <div class="table-wrap">
                <table class="records" id="accounts-table">
                    <thead>
                        <tr>
                            <SortHeader label=K::Name field="name" query page_path=routes::ACCOUNTS />
                            <th>{move || i.t(K::Class)}</th>
                            <th>{move || i.t(K::Industry)}</th>
                            <SortHeader label=K::Employees field="employees" query page_path=routes::ACCOUNTS />
                            <SortHeader label=K::AnnualRevenue field="annual_revenue" query page_path=routes::ACCOUNTS />
                            <th>{move || i.t(K::Owner)}</th>
                            <SortHeader label=K::CreatedAt field="created_at" query page_path=routes::ACCOUNTS />
                            <SortHeader label=K::UpdatedAt field="updated_at" query page_path=routes::ACCOUNTS />
                            <CustomHeaders custom />
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || list.items.get() key=|a| (a.id, a.version) children=row />
                    </tbody>
                    <tfoot>
                        <SumsRow list>
                            <td></td>
                            <td></td>
                            <SumCell sums=list.sums field="employees" label=K::Employees />
                            <SumCell sums=list.sums field="annual_revenue" label=K::AnnualRevenue />
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
