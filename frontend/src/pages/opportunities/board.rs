//! The pipeline board (`/pipeline`): a column per stage with its deals, count and totals; drag a
//! card to another column (or pick the stage on the card, on phones and keyboards) to move it.
//! Won and lost ask for the reason. Closed columns show the last 90 days.

use super::moving::{needs_reason, perform, PendingMove, ReasonDialog, Refused, RefusedMove};
use crate::api::{self, ApiError};
use crate::components::{ErrorNotice, Loading, OwnerFilter};
use crate::i18n::{format_date, format_money, format_totals, stage_label, today, use_i18n, K};
use crate::routes;
use crate::session::use_auth;
use domain::opportunity::Opportunity;
use domain::pipeline::{Pipeline, Stage, StageKind};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use uuid::Uuid;

/// Deals of a pipeline: all open ones, and those closed in the last 90 days.
async fn load_deals(pipeline: Uuid, owner: Option<String>) -> Result<Vec<Opportunity>, ApiError> {
    let mut base = vec![("pipeline_id".to_string(), pipeline.to_string())];
    if let Some(o) = owner {
        base.push(("owner_id".into(), o));
    }
    let mut open = base.clone();
    open.push(("status".into(), "open".into()));
    let mut closed = base;
    closed.push(("status[in]".into(), "won,lost".into()));
    let since = today() - chrono::Duration::days(90);
    closed.push(("closed_at[gte]".into(), since.to_string()));
    let mut deals = api::opportunities::all(open, 1000).await?;
    deals.extend(api::opportunities::all(closed, 1000).await?);
    Ok(deals)
}

#[component]
pub fn PipelinePage() -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    let query = use_query_map();
    let navigate = use_navigate();
    let owner = Memo::new(move |_| query.read().get("owner_id").filter(|s| !s.is_empty()));
    let pipeline = Memo::new(move |_| {
        let want = query.read().get("pipeline_id");
        let all = auth.pipelines.get().unwrap_or_default();
        all.iter()
            .find(|p| Some(p.id.to_string()) == want)
            .or(all.first())
            .cloned()
    });
    let deals = RwSignal::new(Vec::<Opportunity>::new());
    let loading = RwSignal::new(true);
    let error = RwSignal::new(None::<ApiError>);
    let move_error = RwSignal::new(None::<Refused>);
    let pending = RwSignal::new(None::<PendingMove>);
    let generation = StoredValue::new(0u64);
    let reload = move || {
        let Some(p) = pipeline.get_untracked() else {
            return;
        };
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        let owner = owner.get_untracked();
        loading.set(true);
        error.set(None);
        spawn_local(async move {
            let result = load_deals(p.id, owner).await;
            if generation.try_get_value() != Some(mine) {
                return;
            }
            loading.set(false);
            match result {
                Ok(d) => deals.set(d),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    Effect::new(move |_| {
        pipeline.with(|p| p.as_ref().map(|p| p.id));
        owner.track();
        reload();
    });
    let replace = move |deal: Opportunity| {
        deals.update(|all| {
            if let Some(d) = all.iter_mut().find(|d| d.id == deal.id) {
                *d = deal;
            }
        })
    };
    let move_deal = move |deal_id: Uuid, stage: Stage| {
        let Some(deal) = deals.with_untracked(|all| all.iter().find(|d| d.id == deal_id).cloned())
        else {
            return;
        };
        if deal.stage_id == stage.id {
            return;
        }
        move_error.set(None);
        if needs_reason(&stage) {
            pending.set(Some(PendingMove { deal, stage }));
            return;
        }
        spawn_local(async move {
            match perform(&deal, &stage, None, None).await {
                Ok(moved) => replace(moved),
                Err(e) => move_error.set(Some(e)),
            }
        });
    };
    let set_owner = {
        let navigate = navigate.clone();
        Callback::new(move |v: String| {
            let mut pairs = Vec::new();
            if let Some(p) = query.read_untracked().get("pipeline_id") {
                pairs.push(("pipeline_id".to_string(), p));
            }
            if !v.is_empty() {
                pairs.push(("owner_id".to_string(), v));
            }
            let href = if pairs.is_empty() {
                routes::PIPELINE.to_string()
            } else {
                format!("{}?{}", routes::PIPELINE, api::query_string(&pairs))
            };
            navigate(&href, NavigateOptions::default());
        })
    };
    let set_pipeline = Callback::new(move |v: String| {
        navigate(
            &format!("{}?pipeline_id={v}", routes::PIPELINE),
            NavigateOptions::default(),
        );
    });

    view! {
        <section class="page pipeline-page">
            <div class="page-head">
                <h1>{move || i.t(K::PipelineTitle)}</h1>
                <div class="actions">
                    <A href=routes::OPPORTUNITIES attr:class="button">{move || i.t(K::ListView)}</A>
                    <A href=routes::NEW_OPPORTUNITY attr:class="button primary">{move || i.t(K::NewOpportunity)}</A>
                </div>
            </div>
            <div class="filters">
                <Show when=move || auth.pipelines.get().is_some_and(|p| p.len() > 1)>
                    <select id="filter-pipeline" on:change=move |ev| set_pipeline.run(event_target_value(&ev))>
                        {move || auth.pipelines.get().unwrap_or_default().into_iter().map(|p| {
                            let selected = pipeline.with(|cur| cur.as_ref().map(|c| c.id)) == Some(p.id);
                            view! { <option value=p.id.to_string() selected=selected>{p.name.clone()}</option> }
                        }).collect_view()}
                    </select>
                </Show>
                <OwnerFilter value=Signal::derive(move || owner.get().unwrap_or_default()) on_change=set_owner />
            </div>
            {move || move_error.get().map(|refused| view! {
                <div id="move-error">
                    <RefusedMove
                        refused
                        reload_id="reload-board"
                        on_reload=Callback::new(move |_| { move_error.set(None); reload(); })
                    />
                </div>
            })}
            {move || error.get().map(|e| view! { <ErrorNotice error=e on_retry=move |_| reload() /> })}
            <Show when=move || loading.get() && deals.with(Vec::is_empty)>
                <Loading />
            </Show>
            {move || pipeline.get().map(|p| view! { <Board pipeline=p deals move_deal=Callback::new(move |(d, s)| move_deal(d, s)) /> })}
            {move || pending.get().map(|p| view! {
                <ReasonDialog
                    pending=p
                    on_done=Callback::new(move |d| { pending.set(None); replace(d); })
                    on_error=Callback::new(move |e| { pending.set(None); move_error.set(Some(e)); })
                    on_cancel=Callback::new(move |_| { pending.set(None); reload(); })
                />
            })}
        </section>
    }
}

#[component]
fn Board(
    pipeline: Pipeline,
    deals: RwSignal<Vec<Opportunity>>,
    move_deal: Callback<(Uuid, Stage)>,
) -> impl IntoView {
    let dragging = RwSignal::new(None::<Uuid>);
    let over = RwSignal::new(None::<Uuid>);
    let stages = pipeline.stages.clone();
    view! {
        <div class="board" id="board" data-pipeline=pipeline.id.to_string()>
            {pipeline.stages.into_iter().map(|stage| {
                let stages = stages.clone();
                view! { <Column stage stages deals dragging over move_deal /> }
            }).collect_view()}
        </div>
    }
}

#[component]
fn Column(
    stage: Stage,
    stages: Vec<Stage>,
    deals: RwSignal<Vec<Opportunity>>,
    dragging: RwSignal<Option<Uuid>>,
    over: RwSignal<Option<Uuid>>,
    move_deal: Callback<(Uuid, Stage)>,
) -> impl IntoView {
    let i = use_i18n();
    let sid = stage.id;
    let in_stage = move || {
        deals.with(|all| {
            all.iter()
                .filter(|d| d.stage_id == sid)
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let totals = move || {
        let amounts: Vec<_> = deals.with(|all| {
            all.iter()
                .filter(|d| d.stage_id == sid)
                .filter_map(|d| d.amount.clone())
                .collect()
        });
        format_totals(&amounts, i.locale())
    };
    let kind = match stage.kind {
        StageKind::Open => "open",
        StageKind::Won => "won",
        StageKind::Lost => "lost",
    };
    let name = stage.name.clone();
    let drop_stage = stage.clone();
    view! {
        <section
            class=format!("column kind-{kind}")
            class:drop-target=move || over.get() == Some(sid)
            data-stage=sid.to_string()
            data-kind=kind
            on:dragover=move |ev| { ev.prevent_default(); over.set(Some(sid)); }
            on:dragleave=move |_| if over.get_untracked() == Some(sid) { over.set(None) }
            on:drop=move |ev| {
                ev.prevent_default();
                over.set(None);
                let id = dragging.get_untracked().or_else(|| {
                    ev.data_transfer().and_then(|t| t.get_data("text/plain").ok()).and_then(|s| s.parse().ok())
                });
                dragging.set(None);
                if let Some(id) = id {
                    move_deal.run((id, drop_stage.clone()));
                }
            }
        >
            <header class="column-head">
                <h2>
                    <span>{move || stage_label(&name, i.locale())}</span>
                    <span class="count">{move || in_stage().len()}</span>
                </h2>
                <div class="sum">{totals}</div>
            </header>
            <For each=in_stage key=|d| (d.id, d.version) let:deal>
                <Card deal stages=stages.clone() dragging move_deal />
            </For>
        </section>
    }
}

#[component]
fn Card(
    deal: Opportunity,
    stages: Vec<Stage>,
    dragging: RwSignal<Option<Uuid>>,
    move_deal: Callback<(Uuid, Stage)>,
) -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    let id = deal.id;
    let amount = deal.amount.clone();
    let close = deal.expected_close;
    let owner = deal.owner_id;
    let current = deal.stage_id;
    let choices = stages.clone();
    view! {
        <article
            class="deal-card"
            class:dragging=move || dragging.get() == Some(id)
            draggable="true"
            data-id=id.to_string()
            on:dragstart=move |ev| {
                dragging.set(Some(id));
                if let Some(t) = ev.data_transfer() {
                    let _ = t.set_data("text/plain", &id.to_string());
                    t.set_effect_allowed("move");
                }
            }
            on:dragend=move |_| dragging.set(None)
        >
            <A href=routes::opportunity_href(id)>{deal.name.clone()}</A>
            <div class="amount">{move || amount.as_ref().map(|m| format_money(m, i.locale())).unwrap_or_default()}</div>
            <div class="meta">
                <span>{move || close.map(|d| format_date(&d, i.locale())).unwrap_or_default()}</span>
                <span>{move || auth.user_name(owner, i.t(K::Mine))}</span>
            </div>
            <select
                class="move-select"
                aria-label=move || i.t(K::MoveTo)
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    if let Some(s) = choices.iter().find(|s| s.id.to_string() == v) {
                        move_deal.run((id, s.clone()));
                    }
                }
            >
                {stages.iter().map(|s| {
                    let name = s.name.clone();
                    view! { <option value=s.id.to_string() selected=s.id == current>{move || stage_label(&name, i.locale())}</option> }
                }).collect_view()}
            </select>
        </article>
    }
}
