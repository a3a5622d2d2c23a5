//! Webhooks (Webhook 订阅, admins): `/admin/webhooks`. The organization's endpoints — URL,
//! description, the events they take, on or off and why Kehu turned one off — added and edited
//! in [`form`], turned on and off, deleted (asked once more), their secret rotated, a test event
//! sent; `?endpoint={id}` opens an endpoint's delivery log ([`deliveries`]). A secret is shown
//! only in the answer that made it, so the page shows it once, with the note to copy it now.

mod deliveries;
mod events;
mod form;

use crate::api::{self, records::etag_of, ApiError};
use crate::components::{DeleteConfirm, ErrorNotice, Loading};
use crate::form::{Submit, SubmitNotices};
use crate::i18n::{format_datetime, use_i18n, K};
use crate::routes;
use crate::session::use_auth;
use deliveries::DeliveryLog;
use domain::role::Role;
use domain::webhook::{WebhookEndpoint, WebhookPatch, WebhookWithSecret};
use form::EndpointForm;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use uuid::Uuid;

/// What the form is open for.
#[derive(Debug, Clone, PartialEq)]
enum Editing {
    New,
    Endpoint(Box<WebhookEndpoint>),
}

/// A secret to show once: just made (a new endpoint) or rotated.
#[derive(Debug, Clone)]
struct Shown {
    title: K,
    secret: String,
}

#[component]
pub fn WebhooksPage() -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    let query = use_query_map();
    let navigate = use_navigate();
    let endpoints = RwSignal::new(None::<Vec<WebhookEndpoint>>);
    let offered = RwSignal::new(None::<Vec<String>>);
    let load_error = RwSignal::new(None::<ApiError>);
    let editing = RwSignal::new(None::<Editing>);
    let secret = RwSignal::new(None::<Shown>);
    let confirming = RwSignal::new(None::<Uuid>);
    let queued = RwSignal::new(false);
    let log_refresh = RwSignal::new(0u32);
    // The row actions (on/off, rotation, test, delete): their failures, a 412 among them.
    let actions = Submit::new();

    let load = move || {
        load_error.set(None);
        spawn_local(async move {
            let types = match offered.get_untracked() {
                Some(t) => Ok(t),
                None => api::webhooks::event_types().await,
            };
            let all = async {
                let mut all = Vec::new();
                let mut cursor = None::<String>;
                loop {
                    let page = api::webhooks::list(cursor.as_deref()).await?;
                    all.extend(page.data);
                    match page.next_cursor {
                        Some(c) => cursor = Some(c),
                        None => return Ok::<_, ApiError>(all),
                    }
                }
            };
            match (types, all.await) {
                (Ok(t), Ok(all)) => {
                    let _ = offered.try_set(Some(t));
                    let _ = endpoints.try_set(Some(all));
                    actions.reset();
                }
                (Err(e), _) | (_, Err(e)) => {
                    let _ = load_error.try_set(Some(e));
                }
            }
        });
    };
    load();

    let selected = Memo::new(move |_| {
        query
            .read()
            .get("endpoint")
            .and_then(|s| Uuid::parse_str(&s).ok())
    });
    let show_log = {
        let navigate = navigate.clone();
        move |id: Option<Uuid>| {
            let href = match id {
                Some(id) => format!("{}?endpoint={id}", routes::WEBHOOKS),
                None => routes::WEBHOOKS.to_string(),
            };
            navigate(&href, NavigateOptions::default());
        }
    };

    let created = Callback::new(move |w: WebhookWithSecret| {
        editing.set(None);
        secret.set(Some(Shown {
            title: K::WebhookSecretNew,
            secret: w.secret,
        }));
        load();
    });
    let saved = Callback::new(move |_: WebhookEndpoint| {
        editing.set(None);
        load();
    });
    let toggle = move |e: WebhookEndpoint| {
        if !actions.begin() {
            return;
        }
        let patch = WebhookPatch {
            enabled: Some(!e.enabled),
            ..WebhookPatch::default()
        };
        let etag = etag_of(&e);
        spawn_local(async move {
            match api::webhooks::update(e.id, &etag, &patch).await {
                Ok(_) => load(),
                Err(err) => actions.fail(err),
            }
        });
    };
    let rotate = move |id: Uuid| {
        if !actions.begin() {
            return;
        }
        spawn_local(async move {
            match api::webhooks::rotate_secret(id).await {
                Ok(w) => {
                    secret.set(Some(Shown {
                        title: K::WebhookSecretRotated,
                        secret: w.secret,
                    }));
                    load();
                }
                Err(err) => actions.fail(err),
            }
        });
    };
    let send_test = {
        let show_log = show_log.clone();
        move |id: Uuid| {
            if !actions.begin() {
                return;
            }
            let show_log = show_log.clone();
            spawn_local(async move {
                match api::webhooks::send_test(id).await {
                    Ok(_) => {
                        actions.end();
                        queued.set(true);
                        show_log(Some(id));
                        log_refresh.update(|n| *n += 1);
                    }
                    Err(err) => actions.fail(err),
                }
            });
        }
    };
    let delete = {
        let show_log = show_log.clone();
        Callback::new(move |id: Uuid| {
            if !actions.begin() {
                return;
            }
            let show_log = show_log.clone();
            spawn_local(async move {
                match api::webhooks::delete(id).await {
                    Ok(()) => {
                        confirming.set(None);
                        if selected.get_untracked() == Some(id) {
                            show_log(None);
                        }
                        load();
                    }
                    Err(err) => actions.fail(err),
                }
            });
        })
    };

    let row = move |e: WebhookEndpoint| {
        let locale = i.locale();
        let id = e.id;
        let (e1, e2) = (e.clone(), e.clone());
        let send_test = send_test.clone();
        let previous = e
            .previous_secret_expires_at
            // Still signing (the browser's clock: chrono has none on wasm32).
            .filter(|at| at.timestamp_millis() as f64 > js_sys::Date::now())
            .map(|at| {
                i.t(K::WebhookPreviousSecret)
                    .replace("{t}", &format_datetime(&at, locale))
            });
        let types = e.event_types.clone();
        view! {
            <tr class="webhook-row" class:inactive=!e.enabled data-id=id.to_string() data-enabled=e.enabled.to_string()>
                <td class="url" data-label=move || i.t(K::WebhookUrl)>
                    <code>{e.url.clone()}</code>
                    {(!e.description.is_empty()).then(|| view! { <div class="description">{e.description.clone()}</div> })}
                </td>
                <td class="events" data-label=move || i.t(K::WebhookEvents)>{move || events_text(i, &types)}</td>
                <td class="state" data-label=move || i.t(K::Status)>
                    <span class=if e.enabled { "badge webhook-on" } else { "badge webhook-off" }>
                        {move || i.t(if e.enabled { K::WebhookEnabled } else { K::WebhookDisabled })}
                    </span>
                    {e.disabled_reason.clone().map(|r| view! {
                        <div class="disabled-reason">{move || i.t(K::WebhookDisabledBy)} {r.clone()}</div>
                    })}
                    {previous.map(|p| view! { <div class="hint previous-secret">{p}</div> })}
                </td>
                <td class="row-actions">
                    <button type="button" class="link edit-webhook" on:click=move |_| editing.set(Some(Editing::Endpoint(Box::new(e1.clone()))))>
                        {move || i.t(K::Edit)}
                    </button>
                    <button type="button" class="link toggle-webhook" on:click=move |_| toggle(e2.clone())>
                        {move || i.t(if e.enabled { K::WebhookDisable } else { K::WebhookEnable })}
                    </button>
                    <button type="button" class="link rotate-secret" on:click=move |_| rotate(id)>{move || i.t(K::WebhookRotate)}</button>
                    <button type="button" class="link send-test" on:click=move |_| send_test(id)>{move || i.t(K::WebhookSendTest)}</button>
                    <A href=format!("{}?endpoint={id}", routes::WEBHOOKS) attr:class="deliveries-link">{move || i.t(K::Deliveries)}</A>
                    <DeleteConfirm id confirming warning=K::WebhookDeleteWarning class="delete-webhook" on_delete=delete />
                </td>
            </tr>
        }
    };

    let table = move || {
        let list = endpoints.get().unwrap_or_default();
        if list.is_empty() {
            return view! { <p class="empty" id="no-webhooks">{move || i.t(K::NoWebhooks)}</p> }
                .into_any();
        }
        view! {
            <div class="table-wrap">
                <table class="records webhooks-table" id="webhooks-table">
                    <thead>
                        <tr>
                            <th>{move || i.t(K::WebhookUrl)}</th>
                            <th>{move || i.t(K::WebhookEvents)}</th>
                            <th>{move || i.t(K::Status)}</th>
                            <th></th>
                        </tr>
                    </thead>
                    <tbody>{list.into_iter().map(row.clone()).collect_view()}</tbody>
                </table>
            </div>
        }
        .into_any()
    };

    let not_admin = move || {
        auth.me
            .get()
            .flatten()
            .is_some_and(|m| m.user.role != Role::Admin)
    };
    let log = move || {
        let id = selected.get()?;
        let endpoint = endpoints.with(|l| l.as_ref()?.iter().find(|e| e.id == id).cloned())?;
        let show_log = show_log.clone();
        Some(view! {
            <DeliveryLog endpoint refresh=log_refresh on_close=Callback::new(move |_| {
                queued.set(false);
                show_log(None);
            }) />
        })
    };
    view! {
        <section class="page webhooks-page">
            <div class="page-head">
                <h1>{move || i.t(K::WebhooksTitle)}</h1>
                <A href=routes::SETTINGS attr:class="button">{move || i.t(K::SettingsTitle)}</A>
            </div>
            <p class="hint">{move || i.t(K::WebhooksHint)}</p>
            <Show when=not_admin>
                <div class="notice info" id="admin-only">{move || i.t(K::AdminOnly)}</div>
            </Show>
            {move || secret.get().map(|s| view! { <SecretNotice shown=s on_done=Callback::new(move |_| secret.set(None)) /> })}
            {move || match (load_error.get(), endpoints.with(Option::is_some)) {
                (Some(e), _) => view! { <ErrorNotice error=e on_retry=move |_| load() /> }.into_any(),
                (None, false) => view! { <Loading /> }.into_any(),
                (None, true) => view! {
                    <section class="panel" id="webhooks">
                        <SubmitNotices submit=actions shown=&[] on_reload=Callback::new(move |_| load()) />
                        {table.clone()}
                        {move || match editing.get() {
                            None => view! {
                                <button type="button" class="primary" id="new-webhook" on:click=move |_| editing.set(Some(Editing::New))>
                                    {move || i.t(K::AddWebhook)}
                                </button>
                            }
                            .into_any(),
                            Some(e) => {
                                let endpoint = match e {
                                    Editing::New => None,
                                    Editing::Endpoint(e) => Some(*e),
                                };
                                view! {
                                    <EndpointForm
                                        endpoint
                                        offered=offered.get_untracked().unwrap_or_default()
                                        on_created=created
                                        on_saved=saved
                                        on_cancel=Callback::new(move |_| {
                                            // It may have been reloaded meanwhile (a 412): so may the list.
                                            editing.set(None);
                                            load();
                                        })
                                    />
                                }
                                .into_any()
                            }
                        }}
                    </section>
                }
                .into_any(),
            }}
            <Show when=move || queued.get() && selected.get().is_some()>
                <div class="notice info" id="test-queued" role="status">{move || i.t(K::WebhookTestQueued)}</div>
            </Show>
            {log}
        </section>
    }
}

/// An endpoint's events as a line: `客户：全部操作；商机：创建、修改`.
fn events_text(i: crate::i18n::I18n, patterns: &[String]) -> String {
    let sep = if i.locale() == crate::i18n::Locale::Zh {
        "；"
    } else {
        "; "
    };
    let list_sep = if i.locale() == crate::i18n::Locale::Zh {
        "、"
    } else {
        ", "
    };
    let colon = if i.locale() == crate::i18n::Locale::Zh {
        "："
    } else {
        ": "
    };
    events::summary(patterns)
        .into_iter()
        .map(|(entity, actions)| {
            let what = match actions {
                None => i.t(K::WebhookAllActions).to_string(),
                Some(a) => a
                    .iter()
                    .map(|a| events::action_label(i, a))
                    .collect::<Vec<_>>()
                    .join(list_sep),
            };
            format!("{}{colon}{what}", events::entity_label(i, &entity))
        })
        .collect::<Vec<_>>()
        .join(sep)
}

/// A secret, this once: the note that it will not be shown again, a copy button, and "saved"
/// to put it away.
#[component]
fn SecretNotice(shown: Shown, on_done: Callback<()>) -> impl IntoView {
    let i = use_i18n();
    let copied = RwSignal::new(false);
    let text = shown.secret.clone();
    let copy = move |_| {
        let Some(window) = web_sys::window() else {
            return;
        };
        let promise = window.navigator().clipboard().write_text(&text);
        spawn_local(async move {
            if wasm_bindgen_futures::JsFuture::from(promise).await.is_ok() {
                let _ = copied.try_set(true);
            }
        });
    };
    view! {
        <div class="notice warning secret-notice" id="webhook-secret-notice" role="alert">
            <strong>{move || i.t(shown.title)}</strong>
            <p class="once"><strong>{move || i.t(K::WebhookSecretOnce)}</strong></p>
            <div class="secret-row">
                <input
                    id="webhook-secret"
                    type="text"
                    readonly
                    prop:value=shown.secret.clone()
                    on:focus=move |ev| {
                        use wasm_bindgen::JsCast;
                        if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                            input.select();
                        }
                    }
                />
                <button type="button" id="copy-secret" on:click=copy>{move || i.t(K::Copy)}</button>
                <Show when=move || copied.get()>
                    <span class="saved" role="status">{move || i.t(K::Copied)}</span>
                </Show>
            </div>
            <p class="hint">{move || i.t(K::WebhookSecretUse)}</p>
            <button type="button" class="primary" id="secret-saved" on:click=move |_| on_done.run(())>
                {move || i.t(K::SecretSaved)}
            </button>
        </div>
    }
}
