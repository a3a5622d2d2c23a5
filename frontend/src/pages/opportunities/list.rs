//! The opportunities list: sortable columns, status/owner filters and quick search in the URL;
//! only the shown columns are fetched, and amounts are summed over the whole list.

use super::status_label;
use crate::api;
use crate::components::{EnumFilter, FilterBar, OwnerListFilter, SortHeader};
use crate::custom::list::{CustomCells, CustomHeaders, CustomList, CustomListControls, CustomSums};
use crate::i18n::{format_date, format_money, stage_label, use_i18n, K};
use crate::list::{
    use_record_list, ListFooter, ListRow, ListSpec, ListTotal, ListViews, SumCell, SumsRow,
};
use crate::routes;
use crate::session::use_auth;
use domain::money::Money;
use domain::pipeline::StageKind;
use domain::registry::OPPORTUNITY;
use leptos::prelude::*;
use leptos_router::components::A;

const SPEC: ListSpec = ListSpec {
    api_path: api::opportunities::PATH,
    page_path: routes::OPPORTUNITIES,
    filter_keys: &["status", "owner_id", "account_id", "stage_id", "tags"],
    page_size: 50,
};

crate::list_row! {
    /// A deal as the list shows it.
    OpportunityRow {
        name: String,
        account_id: uuid::Uuid,
        stage_id: uuid::Uuid,
        status: StageKind,
        amount: Option<Money>,
        probability: i32,
        expected_close: Option<chrono::NaiveDate>,
        owner_id: uuid::Uuid,
    }
}

/// The columns summed in the totals row (not the probability: a sum of percentages means
/// nothing).
const SUMS: &[&str] = &["amount"];

#[component]
pub fn OpportunitiesListPage() -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    let list = use_record_list::<OpportunityRow>(SPEC, SUMS);
    let custom = CustomList::new(&list, OpportunityRow::custom);
    let query = list.query;
    let accounts = LocalResource::new(move || {
        let ids = list
            .items
            .with(|v| v.iter().map(|o| o.account_id).collect::<Vec<_>>());
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
    let row = move |o: OpportunityRow| {
        let custom_values = o.custom.clone();
        let (owner, account, stage, kind) = (o.owner_id, o.account_id, o.stage_id, o.status);
        let amount = o.amount.clone();
        let close = o.expected_close;
        view! {
            <tr data-id=o.id.to_string()>
                <td class="name" data-label=move || i.t(K::Name)>
                    <A href=routes::opportunity_href(o.id)>{o.name.clone()}</A>
                </td>
                <td data-label=move || i.t(K::Account)>
                    <A href=routes::account_href(account)>{move || account_name(account)}</A>
                </td>
                <td data-label=move || i.t(K::Stage)>
                    {move || auth.stage(stage).map(|s| stage_label(&s.name, i.locale())).unwrap_or_default()}
                    <span class=format!("badge status-{}", kind.as_str())>{move || status_label(kind, i.locale())}</span>
                </td>
                <td class="num" data-label=move || i.t(K::Amount)>
                    {move || amount.as_ref().map(|m| format_money(m, i.locale())).unwrap_or_default()}
                </td>
                <td class="num" data-label=move || i.t(K::Probability)>{format!("{}%", o.probability)}</td>
                <td data-label=move || i.t(K::ExpectedClose)>
                    {move || close.map(|d| format_date(&d, i.locale())).unwrap_or_default()}
                </td>
                <td data-label=move || i.t(K::Owner)>{move || auth.user_name(owner, i.t(K::Mine))}</td>
                <CustomCells custom values=custom_values />
            </tr>
        }
    };
    let new_href = move || match filtered_account() {
        Some(a) => routes::new_opportunity_for(a),
        None => routes::NEW_OPPORTUNITY.to_string(),
    };
    view! {
        <section class="page opportunities-list">
            <div class="page-head">
                <h1>{move || i.t(K::OpportunitiesTitle)} <ListTotal total=list.total /></h1>
                <div class="actions">
                    <A href=routes::PIPELINE attr:class="button">{move || i.t(K::NavPipeline)}</A>
                    <A href=new_href attr:class="button primary" attr:id="new-opportunity">
                        {move || i.t(K::NewOpportunity)}
                    </A>
                </div>
            </div>
            <ListViews spec=SPEC query />
            <FilterBar list placeholder=K::QuickSearchOpportunities>
                <EnumFilter entity=&OPPORTUNITY field="status" blank=K::AllStatuses />
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
                <table class="records" id="opportunities-table">
                    <thead>
                        <tr>
                            <SortHeader label=K::Name field="name" query page_path=routes::OPPORTUNITIES />
                            <th>{move || i.t(K::Account)}</th>
                            <th>{move || i.t(K::Stage)}</th>
                            <SortHeader label=K::Amount field="amount" query page_path=routes::OPPORTUNITIES />
                            <SortHeader label=K::Probability field="probability" query page_path=routes::OPPORTUNITIES />
                            <th>{move || i.t(K::ExpectedClose)}</th>
                            <th>{move || i.t(K::Owner)}</th>
                            <CustomHeaders custom />
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || list.items.get() key=|o| (o.id, o.version) children=row />
                    </tbody>
                    <tfoot>
                        <SumsRow list>
                            <td></td>
                            <td></td>
                            <SumCell sums=list.sums field="amount" label=K::Amount />
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
