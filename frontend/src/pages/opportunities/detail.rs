//! One opportunity: fields, its stage with a move control, the stage history and the history.

use super::moving::{needs_reason, perform, PendingMove, ReasonDialog};
use super::{status_label, FIELDS};
use crate::api::{self, ApiError};
use crate::components::{use_retry, ErrorNotice, HistoryList, Loading, RecordActions};
use crate::custom::view::CustomValuesView;
use crate::custom::{plural_of, Meta};
use crate::i18n::{
    choice_label, format_date, format_datetime, format_money, stage_label, use_i18n, K,
};
use crate::pages::record::{not_found, use_id_param};
use crate::routes;
use crate::session::use_auth;
use domain::opportunity::{Opportunity, StageChange};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

#[component]
pub fn OpportunityDetailPage() -> impl IntoView {
    let meta = Meta::load(plural_of(api::opportunities::PATH));
    let i = use_i18n();
    let retry = use_retry();
    let id = use_id_param();
    let deal = LocalResource::new(move || {
        retry.track();
        let id = id.get();
        async move {
            match id {
                Some(id) => api::opportunities::OPPORTUNITIES.get_any(id).await,
                None => Err(not_found()),
            }
        }
    });
    let stages = LocalResource::new(move || {
        retry.track();
        let id = id.get();
        async move {
            match id {
                Some(id) => api::opportunities::stage_history(id).await,
                None => Ok(Vec::new()),
            }
        }
    });
    let history = LocalResource::new(move || {
        retry.track();
        let id = id.get();
        async move {
            match id {
                Some(id) => api::opportunities::OPPORTUNITIES
                    .history(id)
                    .await
                    .map(|p| p.data),
                None => Ok(Vec::new()),
            }
        }
    });
    let refresh = move || {
        deal.refetch();
        stages.refetch();
        history.refetch();
    };
    view! {
        <section class="page opportunity-detail">
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    deal.await.map(|(o, etag)| view! { <DealCard deal=o etag meta on_change=Callback::new(move |_| refresh()) /> })
                })}
            </Transition>
            {move || id.get().map(|id| view! { <crate::components::Timeline entity=domain::activity::EntityType::OPPORTUNITY id /> })}
            <div class="sections">
                <section class="history" id="history">
                    <h2>{move || i.t(K::History)}</h2>
                    <Transition fallback=|| view! { <Loading /> }>
                        {move || Suspend::new(async move {
                            history.await.map(|entries| view! { <HistoryList entries fields=FIELDS custom=meta /> })
                        })}
                    </Transition>
                </section>
                <section class="stage-history" id="stage-history">
                    <h2>{move || i.t(K::StageHistory)}</h2>
                    <Transition fallback=|| view! { <Loading /> }>
                        {move || Suspend::new(async move {
                            stages.await.map(|changes| view! { <StageChanges changes /> })
                        })}
                    </Transition>
                </section>
            </div>
        </section>
    }
}

#[component]
fn DealCard(
    deal: Opportunity,
    meta: Meta,
    etag: Option<String>,
    on_change: Callback<()>,
) -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    let o = deal.clone();
    let id = o.id;
    let account_name = RwSignal::new(String::new());
    let contact_name = RwSignal::new(String::new());
    let (account, contact) = (o.account_id, o.contact_id);
    spawn_local(async move {
        if let Ok(r) = api::accounts::ACCOUNTS.get(account).await {
            account_name.set(r.body.name);
        }
        if let Some(c) = contact {
            if let Ok(r) = api::contacts::CONTACTS.get(c).await {
                contact_name.set(r.body.name);
            }
        }
    });
    let pending = RwSignal::new(None::<PendingMove>);
    let move_error = RwSignal::new(None::<ApiError>);
    let deleted = o.deleted_at.is_some();
    let stage_id = o.stage_id;
    let pipeline_id = o.pipeline_id;
    let stages = move || {
        auth.pipelines
            .get()
            .unwrap_or_default()
            .into_iter()
            .find(|p| p.id == pipeline_id)
            .map(|p| p.stages)
            .unwrap_or_default()
    };
    let deal_for_move = deal.clone();
    let choose_stage = Callback::new(move |value: String| {
        let Some(stage) = stages().into_iter().find(|s| s.id.to_string() == value) else {
            return;
        };
        if stage.id == stage_id {
            return;
        }
        move_error.set(None);
        let deal = deal_for_move.clone();
        if needs_reason(&stage) {
            pending.set(Some(PendingMove { deal, stage }));
            return;
        }
        spawn_local(async move {
            match perform(&deal, &stage, None, None).await {
                Ok(_) => on_change.run(()),
                Err(e) => move_error.set(Some(e)),
            }
        });
    });
    let amount = o.amount.clone();
    let (close, source, kind, probability, reason) = (
        o.expected_close,
        o.source.clone(),
        o.status,
        o.probability,
        o.close_reason.clone(),
    );
    let (owner, created, updated) = (o.owner_id, o.created_at, o.updated_at);
    let competitors = if o.competitors.is_empty() {
        "—".to_string()
    } else {
        o.competitors.join(", ")
    };
    let tags = if o.tags.is_empty() {
        "—".to_string()
    } else {
        o.tags.join(", ")
    };
    view! {
        <article class="record-card" data-id=id.to_string() data-version=o.version.to_string() data-stage=stage_id.to_string()>
            <div class="page-head">
                <h1 id="record-title">
                    {o.name.clone()}
                    <span class=format!("badge status-{}", kind.as_str())>{move || status_label(kind, i.locale())}</span>
                </h1>
                <RecordActions
                    resource=api::opportunities::OPPORTUNITIES
                    record=deal
                    id
                    etag
                    deleted
                    back_href=routes::OPPORTUNITIES
                    edit_href=routes::opportunity_edit_href(id)
                    on_change
                />
            </div>
            <Show when=move || !deleted>
                <div class="field stage-control">
                    <label for="move-stage">{move || i.t(K::Stage)}</label>
                    <select id="move-stage" on:change=move |ev| choose_stage.run(event_target_value(&ev))>
                        {move || stages().into_iter().map(|s| {
                            let sid = s.id;
                            view! {
                                <option value=s.id.to_string() selected=sid == stage_id>
                                    {stage_label(&s.name, i.locale())} {format!(" ({}%)", s.probability)}
                                </option>
                            }
                        }).collect_view()}
                    </select>
                </div>
            </Show>
            {move || move_error.get().map(|e| {
                let stale = e.status() == Some(412);
                view! {
                    <ErrorNotice error=e />
                    <Show when=move || stale>
                        <button type="button" id="reload-latest" on:click=move |_| on_change.run(())>{move || i.t(K::Reload)}</button>
                    </Show>
                }
            })}
            <dl class="props">
                <div class="prop"><dt>{move || i.t(K::Account)}</dt><dd id="deal-account"><A href=routes::account_href(account)>{move || account_name.get()}</A></dd></div>
                <div class="prop">
                    <dt>{move || i.t(K::Contact)}</dt>
                    <dd>{match contact {
                        Some(c) => view! { <A href=routes::contact_href(c)>{move || contact_name.get()}</A> }.into_any(),
                        None => view! { "—" }.into_any(),
                    }}</dd>
                </div>
                <div class="prop"><dt>{move || i.t(K::Amount)}</dt><dd id="deal-amount">{move || amount.as_ref().map(|m| format_money(m, i.locale())).unwrap_or_else(|| "—".into())}</dd></div>
                <div class="prop"><dt>{move || i.t(K::Stage)}</dt><dd id="deal-stage">{move || auth.stage(stage_id).map(|s| stage_label(&s.name, i.locale())).unwrap_or_default()}</dd></div>
                <div class="prop"><dt>{move || i.t(K::Probability)}</dt><dd>{format!("{probability}%")}</dd></div>
                <div class="prop"><dt>{move || i.t(K::ExpectedClose)}</dt><dd>{move || close.map(|d| format_date(&d, i.locale())).unwrap_or_else(|| "—".into())}</dd></div>
                <div class="prop"><dt>{move || i.t(K::Source)}</dt><dd>{move || source.as_deref().map(|k| choice_label("source", k, i.locale())).unwrap_or_else(|| "—".into())}</dd></div>
                <div class="prop"><dt>{move || i.t(K::Competitors)}</dt><dd>{competitors}</dd></div>
                <div class="prop"><dt>{move || i.t(K::CloseReason)}</dt><dd id="deal-reason">{reason.unwrap_or_else(|| "—".into())}</dd></div>
                <div class="prop"><dt>{move || i.t(K::Owner)}</dt><dd>{move || auth.user_name(owner, i.t(K::Mine))}</dd></div>
                <div class="prop"><dt>{move || i.t(K::Tags)}</dt><dd>{tags}</dd></div>
                <div class="prop"><dt>{move || i.t(K::CreatedAt)}</dt><dd>{move || format_datetime(&created, i.locale())}</dd></div>
                <div class="prop"><dt>{move || i.t(K::UpdatedAt)}</dt><dd>{move || format_datetime(&updated, i.locale())}</dd></div>
            </dl>
            <CustomValuesView meta values=o.custom.clone() />
            {move || pending.get().map(|p| view! {
                <ReasonDialog
                    pending=p
                    on_done=Callback::new(move |_| { pending.set(None); on_change.run(()); })
                    on_error=Callback::new(move |e| { pending.set(None); move_error.set(Some(e)); })
                    on_cancel=Callback::new(move |_| { pending.set(None); on_change.run(()); })
                />
            })}
        </article>
    }
}

/// Who moved the deal, when, from which stage to which, and why.
#[component]
fn StageChanges(changes: Vec<StageChange>) -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    let name = move |id: uuid::Uuid| {
        auth.stage(id)
            .map(|s| stage_label(&s.name, i.locale()))
            .unwrap_or_default()
    };
    view! {
        <ol class="timeline">
            {changes.into_iter().map(|c| {
                let (from, to, at, actor) = (c.from_stage_id, c.to_stage_id, c.at, c.actor_id);
                view! {
                    <li class="timeline-item stage-change">
                        <div class="history-head">
                            <strong>{move || from.map(|f| format!("{} → ", name(f))).unwrap_or_default()} {move || name(to)}</strong>
                            <span class="who">{move || auth.user_name(actor, i.t(K::Mine))}</span>
                            <time>{move || format_datetime(&at, i.locale())}</time>
                        </div>
                        {c.reason.map(|r| view! { <p>{r}</p> })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}
