//! An endpoint's delivery log: what was sent, newest first, by state — each delivery's event,
//! attempts, last status and latency — opened to show the message as sent and each attempt,
//! and a delivered or failed one sent again. Pending deliveries are read again every few
//! seconds, so the log shows them arrive without a reload.

use super::events::event_label;
use crate::api::{self, ApiError};
use crate::components::{ErrorNotice, Loading};
use crate::i18n::{format_datetime, use_i18n, K};
use crate::routes;
use domain::webhook::{
    DeliveryState, WebhookDelivery, WebhookDeliveryDetail, WebhookEndpoint, MAX_ATTEMPTS,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use std::time::Duration;
use uuid::Uuid;

/// How often pending deliveries are read again.
const POLL: Duration = Duration::from_secs(2);

fn state_label(s: DeliveryState) -> K {
    match s {
        DeliveryState::Pending => K::DeliveryPending,
        DeliveryState::Delivered => K::DeliveryDelivered,
        DeliveryState::Failed => K::DeliveryFailed,
    }
}

/// The deliveries shown: the first page, then more on demand.
#[derive(Clone, Copy)]
struct Log {
    endpoint: Uuid,
    state: RwSignal<Option<DeliveryState>>,
    items: RwSignal<Vec<WebhookDelivery>>,
    next: RwSignal<Option<String>>,
    /// Pages read after the first ("load more"): a refresh keeps them.
    more: RwSignal<bool>,
    loaded: RwSignal<bool>,
    busy: RwSignal<bool>,
    error: RwSignal<Option<ApiError>>,
}

impl Log {
    fn load(&self, more: bool) {
        let me = *self;
        let cursor = if more { me.next.get_untracked() } else { None };
        if !more {
            me.loaded.set(false);
            me.more.set(false);
        }
        me.busy.set(true);
        spawn_local(async move {
            let result =
                api::webhooks::deliveries(me.endpoint, me.state.get_untracked(), cursor.as_deref())
                    .await;
            match result {
                Ok(page) => {
                    let _ = me.error.try_set(None);
                    let _ = me.next.try_set(page.next_cursor);
                    if more {
                        let _ = me.more.try_set(true);
                        me.items.update(|v| v.extend(page.data));
                    } else {
                        let _ = me.items.try_set(page.data);
                    }
                }
                Err(e) => {
                    let _ = me.error.try_set(Some(e));
                }
            }
            let _ = me.loaded.try_set(true);
            let _ = me.busy.try_set(false);
        });
    }

    /// Reads the first page again: new deliveries come first, changed ones are replaced, and
    /// the pages loaded after it stay.
    fn refresh(&self) {
        let me = *self;
        if me.busy.get_untracked() {
            return;
        }
        if !me.more.get_untracked() {
            return me.load(false);
        }
        me.busy.set(true);
        spawn_local(async move {
            match api::webhooks::deliveries(me.endpoint, me.state.get_untracked(), None).await {
                Ok(page) => {
                    let _ = me.error.try_set(None);
                    let ids: Vec<Uuid> = page.data.iter().map(|d| d.id).collect();
                    me.items.try_update(|v| {
                        let mut fresh = page.data;
                        fresh.extend(v.drain(..).filter(|d| !ids.contains(&d.id)));
                        *v = fresh;
                    });
                }
                Err(e) => {
                    let _ = me.error.try_set(Some(e));
                }
            }
            let _ = me.busy.try_set(false);
        });
    }

    fn any_pending(&self) -> bool {
        self.items
            .with_untracked(|v| v.iter().any(|d| d.state == DeliveryState::Pending))
    }
}

/// The log of `endpoint`; `refresh` is bumped by the page when it queued something (a test).
#[component]
pub fn DeliveryLog(
    endpoint: WebhookEndpoint,
    refresh: RwSignal<u32>,
    on_close: Callback<()>,
) -> impl IntoView {
    let i = use_i18n();
    let log = Log {
        endpoint: endpoint.id,
        state: RwSignal::new(None),
        items: RwSignal::new(Vec::new()),
        next: RwSignal::new(None),
        more: RwSignal::new(false),
        loaded: RwSignal::new(false),
        busy: RwSignal::new(false),
        error: RwSignal::new(None),
    };
    log.load(false);
    Effect::watch(move || refresh.get(), move |_, _, _| log.refresh(), false);
    if let Ok(handle) = set_interval_with_handle(
        move || {
            if log.any_pending() {
                log.refresh();
            }
        },
        POLL,
    ) {
        on_cleanup(move || handle.clear());
    }
    let open = RwSignal::new(None::<Uuid>);
    let redeliver = move |id: Uuid| {
        spawn_local(async move {
            match api::webhooks::redeliver(log.endpoint, id).await {
                Ok(_) => log.refresh(),
                Err(e) => log.error.set(Some(e)),
            }
        });
    };

    let tab = move |s: Option<DeliveryState>| {
        let label = move || s.map_or(i.t(K::DeliveryAll), |s| i.t(state_label(s)));
        let key = s.map_or("all", DeliveryState::as_str);
        view! {
            <button
                type="button"
                data-state=key
                class=move || if log.state.get() == s { "tab active" } else { "tab" }
                on:click=move |_| {
                    log.state.set(s);
                    log.load(false);
                }
            >
                {label}
            </button>
        }
    };
    let row = move |d: WebhookDelivery| {
        let locale = i.locale();
        let id = d.id;
        let event = d.event_type.clone();
        let detail = match (d.state, d.next_at) {
            (DeliveryState::Pending, Some(at)) => format!(
                "{} {}",
                i.t(K::DeliveryNextAt),
                format_datetime(&at, locale)
            ),
            _ => d.last_error.clone().unwrap_or_default(),
        };
        let again = d.state != DeliveryState::Pending;
        view! {
            <tr class="delivery-row" data-id=id.to_string() data-state=d.state.as_str() data-event=d.event_type.clone()>
                <td data-label=move || i.t(K::DeliveryTime)>{format_datetime(&d.created_at, locale)}</td>
                <td class="event" data-label=move || i.t(K::DeliveryEvent)>
                    {move || event_label(i, &event)} " " <code>{d.event_type.clone()}</code>
                </td>
                <td class="state" data-label=move || i.t(K::DeliveryState)>
                    <span class=format!("badge delivery-{}", d.state.as_str())>{move || i.t(state_label(d.state))}</span>
                </td>
                <td class="num attempts" data-label=move || i.t(K::DeliveryAttempts)>{format!("{} / {MAX_ATTEMPTS}", d.attempts)}</td>
                <td class="num status" data-label=move || i.t(K::DeliveryLastStatus)>{d.last_status.map(|s| s.to_string())}</td>
                <td class="num latency" data-label=move || i.t(K::DeliveryLatency)>{d.last_latency_ms.map(|ms| format!("{ms} ms"))}</td>
                <td class="error" data-label=move || i.t(K::DeliveryLastError)>{detail}</td>
                <td class="row-actions">
                    <button type="button" class="link view-delivery" on:click=move |_| open.set(Some(id))>
                        {move || i.t(K::DeliveryView)}
                    </button>
                    {again.then(|| view! {
                        <button type="button" class="link redeliver" on:click=move |_| redeliver(id)>
                            {move || i.t(K::Redeliver)}
                        </button>
                    })}
                </td>
            </tr>
        }
    };
    view! {
        <section class="panel delivery-log" id="delivery-log" data-endpoint=endpoint.id.to_string()>
            <div class="page-head">
                <h2>{move || i.t(K::Deliveries)} " " <small><code>{endpoint.url.clone()}</code></small></h2>
                <div class="actions">
                    <button type="button" id="refresh-deliveries" on:click=move |_| log.refresh()>{move || i.t(K::Refresh)}</button>
                    <button type="button" id="close-deliveries" on:click=move |_| on_close.run(())>{move || i.t(K::Close)}</button>
                </div>
            </div>
            <p class="hint">{move || i.t(K::DeliveriesHint)}</p>
            <nav class="tabs" id="delivery-states">
                {tab(None)}
                {DeliveryState::ALL.into_iter().map(|s| tab(Some(s))).collect_view()}
            </nav>
            {move || log.error.get().map(|e| view! { <ErrorNotice error=e on_retry=move |_| log.load(false) /> })}
            <Show when=move || log.loaded.get() fallback=|| view! { <Loading /> }>
                <Show
                    when=move || !log.items.with(Vec::is_empty)
                    fallback=move || view! { <p class="empty" id="no-deliveries">{move || i.t(K::NoDeliveries)}</p> }
                >
                    <div class="table-wrap">
                        <table class="records deliveries-table" id="deliveries-table">
                            <thead>
                                <tr>
                                    <th>{move || i.t(K::DeliveryTime)}</th>
                                    <th>{move || i.t(K::DeliveryEvent)}</th>
                                    <th>{move || i.t(K::DeliveryState)}</th>
                                    <th class="num">{move || i.t(K::DeliveryAttempts)}</th>
                                    <th class="num">{move || i.t(K::DeliveryLastStatus)}</th>
                                    <th class="num">{move || i.t(K::DeliveryLatency)}</th>
                                    <th>{move || i.t(K::DeliveryLastError)}</th>
                                    <th></th>
                                </tr>
                            </thead>
                            <tbody>{move || log.items.get().into_iter().map(row).collect_view()}</tbody>
                        </table>
                    </div>
                </Show>
                <Show when=move || log.next.with(Option::is_some)>
                    <button type="button" class="button load-more" id="more-deliveries" on:click=move |_| log.load(true)>
                        {move || i.t(K::LoadMore)}
                    </button>
                </Show>
            </Show>
            {move || open.get().map(|id| view! {
                <DeliveryDialog
                    endpoint=log.endpoint
                    delivery=id
                    on_redelivered=Callback::new(move |_| log.refresh())
                    on_close=Callback::new(move |_| open.set(None))
                />
            })}
        </section>
    }
}

/// One delivery: the message exactly as sent and each attempt, with a redelivery.
#[component]
fn DeliveryDialog(
    endpoint: Uuid,
    delivery: Uuid,
    on_redelivered: Callback<()>,
    on_close: Callback<()>,
) -> impl IntoView {
    let i = use_i18n();
    let detail = RwSignal::new(None::<WebhookDeliveryDetail>);
    let error = RwSignal::new(None::<ApiError>);
    let load = move || {
        spawn_local(async move {
            match api::webhooks::delivery(endpoint, delivery).await {
                Ok(d) => {
                    let _ = error.try_set(None);
                    let _ = detail.try_set(Some(d));
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    load();
    let redeliver = move |_| {
        spawn_local(async move {
            match api::webhooks::redeliver(endpoint, delivery).await {
                Ok(_) => {
                    on_redelivered.run(());
                    load();
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    let body = move || {
        detail.get().map(|d| {
            let locale = i.locale();
            let w = d.delivery;
            let record = w
                .entity_id
                .zip(w.event_type.split_once('.'))
                .and_then(|(id, (entity, _))| routes::entity_href(entity, id));
            let payload = serde_json::to_string_pretty(&d.payload).unwrap_or_default();
            let again = w.state != DeliveryState::Pending;
            let event = w.event_type.clone();
            let attempts = d.attempts_log;
            view! {
                <dl class="props">
                    <div class="prop"><dt>{move || i.t(K::DeliveryEvent)}</dt><dd>{move || event_label(i, &event)} " " <code>{w.event_type.clone()}</code></dd></div>
                    <div class="prop"><dt>{move || i.t(K::DeliveryState)}</dt><dd>
                        <span class=format!("badge delivery-{}", w.state.as_str()) id="delivery-state">{move || i.t(state_label(w.state))}</span>
                    </dd></div>
                    <div class="prop"><dt>{move || i.t(K::MessageId)}</dt><dd><code>{w.message_id.to_string()}</code></dd></div>
                    <div class="prop"><dt>{move || i.t(K::DeliveryTime)}</dt><dd>{format_datetime(&w.created_at, locale)}</dd></div>
                    {record.map(|href| view! {
                        <div class="prop"><dt>{move || i.t(K::RelatedRecord)}</dt><dd><A href=href>{move || i.t(K::Open)}</A></dd></div>
                    })}
                </dl>
                <h3>{move || i.t(K::DeliveryPayload)}</h3>
                <pre class="payload" id="delivery-payload">{payload}</pre>
                <h3>{move || i.t(K::AttemptsLog)}</h3>
                {if attempts.is_empty() {
                    view! { <p class="empty">{move || i.t(K::NoAttempts)}</p> }.into_any()
                } else {
                    view! {
                        <table class="records attempts-table" id="attempts-table">
                            <thead>
                                <tr>
                                    <th class="num">"#"</th>
                                    <th>{move || i.t(K::DeliveryTime)}</th>
                                    <th class="num">{move || i.t(K::AttemptStatus)}</th>
                                    <th class="num">{move || i.t(K::DeliveryLatency)}</th>
                                    <th>{move || i.t(K::AttemptError)}</th>
                                    <th>{move || i.t(K::AttemptResponse)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {attempts.into_iter().map(|a| view! {
                                    <tr class="attempt" data-attempt=a.attempt.to_string()>
                                        <td class="num">{a.attempt}</td>
                                        <td>{format_datetime(&a.at, locale)}</td>
                                        <td class="num status">{a.status.map(|s| s.to_string())}</td>
                                        <td class="num">{format!("{} ms", a.latency_ms)}</td>
                                        <td class="error">{a.error}</td>
                                        <td class="response"><code>{a.response}</code></td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }
                    .into_any()
                }}
                {again.then(|| view! {
                    <button type="button" class="primary" id="redeliver" on:click=redeliver>{move || i.t(K::Redeliver)}</button>
                })}
            }
        })
    };
    view! {
        <div class="dialog-backdrop">
            <div class="dialog wide delivery-detail" id="delivery-detail" role="dialog" aria-modal="true" aria-labelledby="delivery-title">
                <h2 id="delivery-title">{move || i.t(K::DeliveryDetail)}</h2>
                {move || error.get().map(|e| view! { <ErrorNotice error=e /> })}
                {move || if detail.with(Option::is_none) && error.with(Option::is_none) { Some(view! { <Loading /> }) } else { None }}
                {body}
                <div class="actions">
                    <button type="button" id="close-delivery" on:click=move |_| on_close.run(())>{move || i.t(K::Close)}</button>
                </div>
            </div>
        </div>
    }
}
