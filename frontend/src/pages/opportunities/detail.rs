//! One opportunity on the generic record page, with what is a deal's own: its status next to
//! its name, its stage with a move control (a won or lost stage asks why), the stage history,
//! and its account, amount, stage, probability and reason as the board names them.

use super::moving::{needs_reason, perform, PendingMove, ReasonDialog, Refused, RefusedMove};
use super::status_label;
use crate::api;
use crate::components::{use_retry, Loading};
use crate::custom::LookupLink;
use crate::i18n::{format_datetime, format_money, stage_label, use_i18n, K};
use crate::record::{PageHooks, RecordPage};
use crate::routes;
use crate::session::use_auth;
use domain::money::Money;
use domain::opportunity::{Opportunity, StageChange};
use domain::pipeline::StageKind;
use domain::registry::fields::FieldDef;
use domain::registry::{ACCOUNT, OPPORTUNITY};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;
use uuid::Uuid;

#[component]
pub fn OpportunityDetailPage() -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    let title = move |o: Value| {
        let name = o["name"].as_str().unwrap_or_default().to_string();
        let kind = serde_json::from_value::<StageKind>(o["status"].clone()).unwrap_or_default();
        view! {
            {name}
            <span class=format!("badge status-{}", kind.as_str())>{move || status_label(kind, i.locale())}</span>
        }
        .into_any()
    };
    let value = move |(f, v): (&'static FieldDef, Value)| -> Option<AnyView> {
        let id = v.as_str().and_then(|s| s.parse::<Uuid>().ok());
        Some(match f.name {
            "account_id" => match id {
                Some(id) => view! { <span id="deal-account"><LookupLink entity=&ACCOUNT id /></span> }.into_any(),
                None => "—".into_any(),
            },
            "amount" => {
                let m = serde_json::from_value::<Money>(v).ok();
                view! {
                    <span id="deal-amount">
                        {move || m.as_ref().map(|m| format_money(m, i.locale())).unwrap_or_else(|| "—".into())}
                    </span>
                }
                .into_any()
            }
            "stage_id" => view! {
                <span id="deal-stage">
                    {move || id.and_then(|s| auth.stage(s)).map(|s| stage_label(&s.name, i.locale())).unwrap_or_default()}
                </span>
            }
            .into_any(),
            "probability" => format!("{}%", v.as_i64().unwrap_or_default()).into_any(),
            "close_reason" => {
                view! { <span id="deal-reason">{v.as_str().unwrap_or("—").to_string()}</span> }.into_any()
            }
            _ => return None,
        })
    };
    let banner = |(o, reload): (Value, Callback<()>)| match serde_json::from_value::<Opportunity>(o)
    {
        Ok(deal) if deal.deleted_at.is_none() => {
            view! { <StageControl deal on_change=reload /> }.into_any()
        }
        _ => ().into_any(),
    };
    let related =
        |(id, changes): (Uuid, Signal<u32>)| view! { <StageHistory id changes /> }.into_any();
    let hooks = PageHooks {
        title: Some(Callback::new(title)),
        value: Some(Callback::new(value)),
        banner: Some(Callback::new(banner)),
        related: Some(Callback::new(related)),
        ..PageHooks::default()
    };
    view! {
        <RecordPage
            entity=&OPPORTUNITY
            resource=api::opportunities::OPPORTUNITIES.json()
            list_href=routes::OPPORTUNITIES
            edit_href=routes::opportunity_edit_href
            hooks
        />
    }
}

/// The deal's stage among its pipeline's, moved by choosing another; a won or lost stage asks
/// why first. A refused move says so, with a reload when the deal changed meanwhile (412), or
/// offers to submit it for approval when it needs one.
#[component]
fn StageControl(deal: Opportunity, on_change: Callback<()>) -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    let pending = RwSignal::new(None::<PendingMove>);
    let move_error = RwSignal::new(None::<Refused>);
    let (stage_id, pipeline_id) = (deal.stage_id, deal.pipeline_id);
    // The stage the select shows: the one chosen while it moves, the deal's again if refused.
    let shown = RwSignal::new(stage_id.to_string());
    let refuse = move |r: Refused| {
        shown.set(stage_id.to_string());
        move_error.set(Some(r));
    };
    let stages = move || {
        auth.pipelines
            .get()
            .unwrap_or_default()
            .into_iter()
            .find(|p| p.id == pipeline_id)
            .map(|p| p.stages)
            .unwrap_or_default()
    };
    let choose_stage = Callback::new(move |value: String| {
        let Some(stage) = stages().into_iter().find(|s| s.id.to_string() == value) else {
            return;
        };
        if stage.id == stage_id {
            return;
        }
        move_error.set(None);
        shown.set(value);
        let deal = deal.clone();
        if needs_reason(&stage) {
            pending.set(Some(PendingMove { deal, stage }));
            return;
        }
        spawn_local(async move {
            match perform(&deal, &stage, None, None).await {
                Ok(_) => on_change.run(()),
                Err(r) => refuse(r),
            }
        });
    });
    view! {
        <div class="field stage-control">
            <label for="move-stage">{move || i.t(K::Stage)}</label>
            <select id="move-stage" prop:value=move || shown.get() on:change=move |ev| choose_stage.run(event_target_value(&ev))>
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
        {move || move_error.get().map(|refused| view! {
            <RefusedMove refused reload_id="reload-latest" on_reload=on_change />
        })}
        {move || pending.get().map(|p| view! {
            <ReasonDialog
                pending=p
                on_done=Callback::new(move |_| { pending.set(None); on_change.run(()); })
                on_error=Callback::new(move |r| { pending.set(None); refuse(r); })
                on_cancel=Callback::new(move |_| { pending.set(None); on_change.run(()); })
            />
        })}
    }
}

/// The deal's stage changes, under its fields.
#[component]
fn StageHistory(id: Uuid, changes: Signal<u32>) -> impl IntoView {
    let i = use_i18n();
    let retry = use_retry();
    // Reloaded with the deal (a move on this page adds a change).
    let list = LocalResource::new(move || {
        retry.track();
        changes.track();
        async move { api::opportunities::stage_history(id).await }
    });
    view! {
        <section class="stage-history panel" id="stage-history">
            <h2>{move || i.t(K::StageHistory)}</h2>
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    list.await.map(|changes| view! { <StageChanges changes /> })
                })}
            </Transition>
        </section>
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
