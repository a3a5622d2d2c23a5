//! The home page: my open pipeline by stage, this quarter's forecast, and my accounts that have
//! not been touched for a while.

use crate::api::{self, Call};
use crate::components::{use_retry, Loading};
use crate::i18n::{format_datetime, format_money, format_totals, stage_label, use_i18n, K};
use crate::routes;
use crate::session::use_auth;
use domain::account::Account;
use domain::list::Page;
use domain::money::Money;
use domain::opportunity::ForecastRow;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn HomePage() -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    let retry = use_retry();
    let me = Memo::new(move |_| auth.my_id());
    let my_deals = LocalResource::new(move || {
        retry.track();
        let me = me.get();
        async move {
            match me {
                Some(me) => {
                    api::opportunities::all(
                        vec![
                            ("owner_id".into(), me.to_string()),
                            ("status".into(), "open".into()),
                        ],
                        1000,
                    )
                    .await
                }
                None => Ok(Vec::new()),
            }
        }
    });
    let forecast = LocalResource::new(move || {
        retry.track();
        async move { api::opportunities::forecast(None, None).await }
    });
    let neglected = LocalResource::new(move || {
        retry.track();
        let me = me.get();
        async move {
            let Some(me) = me else {
                return Ok(Page {
                    data: Vec::new(),
                    next_cursor: None,
                    total: Some(0),
                    totals: None,
                });
            };
            Call::get(api::accounts::PATH)
                .param("owner_id", me.to_string())
                .param("neglected", "true")
                .param("sort", "last_activity_at")
                .param("limit", "10")
                .param("count", "true")
                .send::<Page<Account>>()
                .await
                .map(|r| r.body)
        }
    });

    view! {
        <section class="page home-page">
            <div class="page-head">
                <h1>{move || i.t(K::HomeTitle)}</h1>
                <div class="actions">
                    <A href=routes::NEW_ACCOUNT attr:class="button">{move || i.t(K::NewAccount)}</A>
                    <A href=routes::NEW_OPPORTUNITY attr:class="button primary">{move || i.t(K::NewOpportunity)}</A>
                </div>
            </div>
            <div class="widgets">
                <section class="panel widget" id="my-pipeline">
                    <h2>{move || i.t(K::MyPipeline)}</h2>
                    <Transition fallback=|| view! { <Loading /> }>
                        {move || Suspend::new(async move {
                            my_deals.await.map(|deals| {
                                let stages = auth.pipelines.get().unwrap_or_default().into_iter().next().map(|p| p.stages).unwrap_or_default();
                                let max = stages.iter().map(|s| deals.iter().filter(|d| d.stage_id == s.id).count()).max().unwrap_or(0).max(1);
                                let all: Vec<Money> = deals.iter().filter_map(|d| d.amount.clone()).collect();
                                let count = deals.len();
                                view! {
                                    <div class="stat-row total-row">
                                        <span>{move || i.t_n(K::OpenDeals, count as i64)}</span>
                                        <span class="value">{move || format_totals(&all, i.locale())}</span>
                                    </div>
                                    {stages.into_iter().filter(|s| s.kind == domain::pipeline::StageKind::Open).map(|s| {
                                        let here: Vec<_> = deals.iter().filter(|d| d.stage_id == s.id).collect();
                                        let n = here.len();
                                        let amounts: Vec<Money> = here.iter().filter_map(|d| d.amount.clone()).collect();
                                        let name = s.name.clone();
                                        // Through the CSSOM: the Content-Security-Policy refuses style attributes.
                                        let width = format!("{}%", n * 100 / max);
                                        view! {
                                            <div class="stat-row" data-stage=s.id.to_string()>
                                                <div class="grow">
                                                    <div>{move || stage_label(&name, i.locale())} " · " {n}</div>
                                                    <div class="bar"><span style:width=width></span></div>
                                                </div>
                                                <span class="value">{move || format_totals(&amounts, i.locale())}</span>
                                            </div>
                                        }
                                    }).collect_view()}
                                    <p><A href=routes::PIPELINE>{move || i.t(K::OpenBoard)}</A></p>
                                }
                            })
                        })}
                    </Transition>
                </section>
                <section class="panel widget" id="forecast">
                    <h2>{move || i.t(K::ForecastTitle)}</h2>
                    <Transition fallback=|| view! { <Loading /> }>
                        {move || Suspend::new(async move {
                            forecast.await.map(|f| {
                                let period = format!("{} – {}", f.from, f.to);
                                if f.data.is_empty() {
                                    return view! { <p class="hint">{period}</p><p class="empty">{move || i.t(K::NoForecast)}</p> }.into_any();
                                }
                                view! {
                                    <p class="hint">{period}</p>
                                    <div class="table-wrap">
                                        <table class="records forecast-table">
                                            <thead><tr>
                                                <th>{move || i.t(K::Owner)}</th>
                                                <th class="num">{move || i.t(K::Weighted)}</th>
                                                <th class="num">{move || i.t(K::Commit)}</th>
                                                <th class="num">{move || i.t(K::BestCase)}</th>
                                                <th class="num">{move || i.t(K::ClosedWon)}</th>
                                            </tr></thead>
                                            <tbody>
                                                {f.data.into_iter().map(|r| view! { <ForecastLine row=r /> }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                }.into_any()
                            })
                        })}
                    </Transition>
                </section>
                <section class="panel widget" id="neglected">
                    <h2>{move || i.t(K::NeglectedTitle)}</h2>
                    <p class="hint">{move || i.t(K::NeglectedHint)}</p>
                    <Transition fallback=|| view! { <Loading /> }>
                        {move || Suspend::new(async move {
                            neglected.await.map(|p| {
                                if p.data.is_empty() {
                                    return view! { <p class="empty">{move || i.t(K::NothingNeglected)}</p> }.into_any();
                                }
                                view! {
                                    <ul class="list-plain">
                                        {p.data.into_iter().map(|a| {
                                            let at = a.last_activity_at;
                                            view! {
                                                <li data-id=a.id.to_string()>
                                                    <A href=routes::account_href(a.id)>{a.name.clone()}</A>
                                                    <span class="subtitle">{move || at.map(|t| format_datetime(&t, i.locale())).unwrap_or_else(|| i.t(K::NoActivityYet).to_string())}</span>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            })
                        })}
                    </Transition>
                </section>
            </div>
        </section>
    }
}

#[component]
fn ForecastLine(row: ForecastRow) -> impl IntoView {
    let i = use_i18n();
    let money = move |d: &domain::money::Decimal| Money {
        amount: d.clone(),
        currency: row.currency.clone(),
    };
    let (w, c, b, won) = (
        money(&row.weighted),
        money(&row.commit),
        money(&row.best_case),
        money(&row.closed_won),
    );
    view! {
        <tr>
            <td class="name" data-label=move || i.t(K::Owner)>{row.group_name.clone()}</td>
            <td class="num" data-label=move || i.t(K::Weighted)>{move || format_money(&w, i.locale())}</td>
            <td class="num" data-label=move || i.t(K::Commit)>{move || format_money(&c, i.locale())}</td>
            <td class="num" data-label=move || i.t(K::BestCase)>{move || format_money(&b, i.locale())}</td>
            <td class="num" data-label=move || i.t(K::ClosedWon)>{move || format_money(&won, i.locale())}</td>
        </tr>
    }
}
