//! The opportunities list: sortable columns, status/owner filters and quick search in the URL;
//! only the shown columns are fetched, and amounts are summed over the whole list. A deal's
//! stage shows with its status; opened from an account (`?account_id=`), the list names it.

use super::status_label;
use crate::api;
use crate::components::{EnumFilter, OwnerListFilter, ReferenceChip};
use crate::i18n::{stage_label, use_i18n, K};
use crate::list::{ListSpec, ListState, Row};
use crate::record::{Column, ListHooks, RecordList};
use crate::routes;
use crate::session::use_auth;
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

/// Not the probability summed: a sum of percentages means nothing.
const COLUMNS: &[Column] = &[
    Column::link("name"),
    Column::new("account_id"),
    Column::new("stage_id"),
    Column::new("amount").summed(),
    Column::new("probability"),
    Column::new("expected_close"),
    Column::new("owner_id"),
];

#[component]
pub fn OpportunitiesListPage() -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    // The stage by its name, with the status it gives the deal; the probability in percent.
    let cell = move |(field, row): (&'static str, crate::list::Row)| match field {
        "stage_id" => {
            let stage = row.get("stage_id").as_str()?.parse().ok()?;
            let kind = row.get("status").as_str().and_then(StageKind::parse)?;
            let name = move || auth.stage(stage).map(|s| stage_label(&s.name, i.locale()));
            Some(
                view! {
                    {name}
                    <span class=format!("badge status-{}", kind.as_str())>
                        {move || status_label(kind, i.locale())}
                    </span>
                }
                .into_any(),
            )
        }
        "probability" => Some(format!("{}%", row.get(field).as_i64()?).into_any()),
        _ => None,
    };
    let hooks = ListHooks {
        cell: Some(Callback::new(cell)),
        filters: Some(Callback::new(|_| {
            view! {
                <EnumFilter entity=&OPPORTUNITY field="status" blank=K::AllStatuses />
                <OwnerListFilter />
                <ReferenceChip entity=&OPPORTUNITY field="account_id" />
            }
            .into_any()
        })),
        actions: Some(Callback::new(move |list: ListState<Row>| {
            let href = move || match list.query.with(|q| q.filter_id("account_id")) {
                Some(a) => routes::new_opportunity_for(a),
                None => routes::NEW_OPPORTUNITY.to_string(),
            };
            view! {
                <div class="actions">
                    <A href=routes::PIPELINE attr:class="button">{move || i.t(K::NavPipeline)}</A>
                    <A href attr:class="button primary" attr:id="new-opportunity">
                        {move || i.t(K::NewOpportunity)}
                    </A>
                </div>
            }
            .into_any()
        })),
        ..ListHooks::default()
    };
    view! {
        <RecordList
            entity=&OPPORTUNITY
            spec=SPEC
            columns=COLUMNS
            placeholder=K::QuickSearchOpportunities
            title=K::OpportunitiesTitle
            also=&["status"]
            hooks
        />
    }
}
