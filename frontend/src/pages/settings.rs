//! Settings (系统设置, admins): the organization's settings (`neglect_days`) and its picklists
//! (`/admin/settings?list=industry|source|…`): values added, relabelled, reordered, deactivated
//! and reactivated, then the whole list saved at once with `If-Match`. Keys are never removed
//! (records store them), so there is no delete. Every member may read both; the API refuses
//! changes from non-admins (403), which show like any failed save. Custom fields, background jobs,
//! webhooks, team-chat bots, customer pools, workflow rules and approval processes have pages of
//! their own, linked from here.

use crate::api::{self, ApiError};
use crate::components::{ErrorNotice, Loading, ValueListEditor, ValueRows};
use crate::form::{FormField, Submit, SubmitNotices};
use crate::i18n::{use_i18n, Ap, Wf, K};
use crate::routes;
use crate::session::use_auth;
use domain::activity::OrgSettingsPatch;
use domain::picklist::{PicklistInput, DEFAULTS};
use domain::role::Role;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

/// The tab label of a picklist (the name of the field it serves).
fn list_label(name: &str) -> K {
    match name {
        "industry" => K::Industry,
        "source" => K::Source,
        "lost_reason" => K::LostCategory,
        "disqualify_reason" => K::DisqualifyReason,
        _ => K::Picklists,
    }
}

#[component]
pub fn SettingsPage() -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    let query = use_query_map();
    // The picklists are the domain's (the server knows the same four); unknown names fall back.
    let list = Memo::new(move |_| {
        let asked = query.read().get("list").unwrap_or_default();
        DEFAULTS
            .iter()
            .map(|(name, _)| *name)
            .find(|name| *name == asked)
            .unwrap_or(DEFAULTS[0].0)
    });
    let not_admin = move || {
        auth.me
            .get()
            .flatten()
            .is_some_and(|m| m.user.role != Role::Admin)
    };
    view! {
        <section class="page settings-page">
            <div class="page-head">
                <h1>{move || i.t(K::SettingsTitle)}</h1>
            </div>
            <Show when=not_admin>
                <div class="notice info" id="admin-only">{move || i.t(K::AdminOnly)}</div>
            </Show>
            <OrgSettingsForm />
            <section class="panel" id="custom-fields-panel">
                <h2>{move || i.t(K::CustomFieldsTitle)}</h2>
                <p class="hint">{move || i.t(K::CustomFieldsHint)}</p>
                <A href=routes::CUSTOM_FIELDS attr:class="button" attr:id="custom-fields-link">
                    {move || i.t(K::CustomFieldsTitle)}
                </A>
            </section>
            <section class="panel" id="jobs-panel">
                <h2>{move || i.t(K::JobsTitle)}</h2>
                <p class="hint">{move || i.t(K::JobsHint)}</p>
                <A href=routes::JOBS attr:class="button" attr:id="jobs-link">
                    {move || i.t(K::JobsLink)}
                </A>
            </section>
            <section class="panel" id="webhooks-panel">
                <h2>{move || i.t(K::WebhooksTitle)}</h2>
                <p class="hint">{move || i.t(K::WebhooksHint)}</p>
                <A href=routes::WEBHOOKS attr:class="button" attr:id="webhooks-link">
                    {move || i.t(K::WebhooksLink)}
                </A>
            </section>
            <section class="panel" id="chat-bots-panel">
                <h2>{move || i.t(K::ChatBotsTitle)}</h2>
                <p class="hint">{move || i.t(K::ChatBotsHint)}</p>
                <A href=routes::CHAT_BOTS attr:class="button" attr:id="chat-bots-link">
                    {move || i.t(K::ChatBotsLink)}
                </A>
            </section>
            <section class="panel" id="pools-panel">
                <h2>{move || i.t(K::PoolSettingsTitle)}</h2>
                <p class="hint">{move || i.t(K::PoolSettingsHint)}</p>
                <A href=routes::POOL_SETTINGS attr:class="button" attr:id="pools-link">
                    {move || i.t(K::PoolSettingsLink)}
                </A>
            </section>
            <section class="panel" id="workflow-rules-panel">
                <h2>{move || i.t(Wf::RulesTitle)}</h2>
                <p class="hint">{move || i.t(Wf::RulesHint)}</p>
                <A href=routes::WORKFLOW_RULES attr:class="button" attr:id="workflow-rules-link">
                    {move || i.t(Wf::RulesLink)}
                </A>
            </section>
            <section class="panel" id="approval-processes-panel">
                <h2>{move || i.t(Ap::ProcessesTitle)}</h2>
                <p class="hint">{move || i.t(Ap::ProcessesHint)}</p>
                <A href=routes::APPROVAL_PROCESSES attr:class="button" attr:id="approval-processes-link">
                    {move || i.t(Ap::ProcessesLink)}
                </A>
            </section>
            <section class="panel" id="picklists">
                <h2>{move || i.t(K::Picklists)}</h2>
                <p class="hint">{move || i.t(K::PicklistsHint)}</p>
                <nav class="tabs">
                    {DEFAULTS
                        .iter()
                        .map(|(name, _)| {
                            let name = *name;
                            view! {
                                <A
                                    href=format!("{}?list={name}", routes::SETTINGS)
                                    attr:class=move || if list.get() == name { "tab active" } else { "tab" }
                                    attr:data-list=name
                                >
                                    {move || i.t(list_label(name))}
                                </A>
                            }
                        })
                        .collect_view()}
                </nav>
                {move || {
                    let name = list.get();
                    view! { <PicklistEditor name /> }
                }}
            </section>
        </section>
    }
}

/// `neglect_days`: read, changed, a 422 on its field.
#[component]
fn OrgSettingsForm() -> impl IntoView {
    let i = use_i18n();
    let submit = Submit::new();
    let errors = submit.errors;
    let days = RwSignal::new(String::new());
    let loaded = RwSignal::new(false);
    let load_error = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(false);
    let load = move || {
        load_error.set(None);
        spawn_local(async move {
            match api::settings::get().await {
                Ok(s) => {
                    days.set(s.neglect_days.to_string());
                    loaded.set(true);
                    submit.reset();
                }
                Err(e) => load_error.set(Some(e)),
            }
        });
    };
    load();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if !submit.begin() {
            return;
        }
        saved.set(false);
        let Ok(neglect_days) = days.get_untracked().trim().parse::<i32>() else {
            errors.push("neglect_days", "integer", "not a whole number");
            return submit.end();
        };
        let patch = OrgSettingsPatch {
            neglect_days: Some(neglect_days),
        };
        spawn_local(async move {
            match api::settings::update(&patch).await {
                Ok(s) => {
                    submit.end();
                    days.set(s.neglect_days.to_string());
                    saved.set(true);
                }
                Err(e) => submit.fail(e),
            }
        });
    };
    view! {
        <section class="panel" id="org-settings">
            <h2>{move || i.t(K::OrgSettings)}</h2>
            {move || match (load_error.get(), loaded.get()) {
                (Some(e), _) => view! { <ErrorNotice error=e on_retry=move |_| load() /> }.into_any(),
                (None, false) => view! { <Loading /> }.into_any(),
                (None, true) => view! {
                    <form class="record-form" id="settings-form" on:submit=on_submit novalidate>
                        <SubmitNotices submit shown=&["neglect_days"] on_reload=Callback::new(move |_| load()) />
                        <FormField label=K::NeglectDays field="neglect_days" errors hint=K::NeglectDaysHint>
                            <input
                                id="f-neglect_days"
                                type="text"
                                inputmode="numeric"
                                maxlength="4"
                                prop:value=move || days.get()
                                on:input=move |ev| {
                                    days.set(event_target_value(&ev));
                                    saved.set(false);
                                }
                            />
                        </FormField>
                        <SaveActions submit saved id="settings" />
                    </form>
                }
                .into_any(),
            }}
        </section>
    }
}

/// A picklist's values in display order; nothing is sent until "save" (one PUT of the whole list).
#[component]
fn PicklistEditor(name: &'static str) -> impl IntoView {
    let auth = use_auth();
    let rows = ValueRows::new();
    let etag = RwSignal::new(None::<String>);
    let load_error = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(false);
    let submit = Submit::new();
    let errors = submit.errors;
    let show = move |list: domain::picklist::Picklist, tag: Option<String>| {
        let tag = tag.unwrap_or_else(|| format!("\"{}\"", list.version));
        rows.set(list.values);
        etag.set(Some(tag));
    };
    let load = move || {
        load_error.set(None);
        saved.set(false);
        spawn_local(async move {
            match api::picklists::get(name).await {
                Ok(reply) => {
                    show(reply.body, reply.etag);
                    submit.reset();
                }
                Err(e) => load_error.set(Some(e)),
            }
        });
    };
    load();

    // Errors name rows by position: once rows move, the old positions mean nothing.
    let changed = Callback::new(move |_| {
        saved.set(false);
        errors.clear();
    });

    let save = move |_| {
        let Some(tag) = etag.get_untracked() else {
            return;
        };
        if !submit.begin() {
            return;
        }
        saved.set(false);
        let input = PicklistInput {
            values: rows.values(),
        };
        spawn_local(async move {
            match api::picklists::put(name, &tag, &input).await {
                Ok(reply) => {
                    submit.end();
                    show(reply.body, reply.etag);
                    saved.set(true);
                    // Forms offer the organization's values from the session's copy.
                    auth.picklists.refetch();
                }
                Err(e) => submit.fail(e),
            }
        });
    };

    view! {
        {move || match (load_error.get(), etag.with(Option::is_some)) {
            (Some(e), _) => view! { <ErrorNotice error=e on_retry=move |_| load() /> }.into_any(),
            (None, false) => view! { <Loading /> }.into_any(),
            (None, true) => view! {
                <div class="record-form picklist-editor" id="picklist-editor" data-list=name>
                    <ValueListEditor rows errors path="values" on_change=changed />
                    // By the save button, where the eye is after saving a long list.
                    <SubmitNotices submit shown=&["values"] on_reload=Callback::new(move |_| load()) />
                    <SaveActions submit saved id="picklist" on_click=Callback::new(save) />
                </div>
            }
            .into_any(),
        }}
    }
}

/// A settings form's save button and the "saved" note after it (`save-{id}`, `{id}-saved`).
/// Without `on_click` the button submits its form.
#[component]
fn SaveActions(
    submit: Submit,
    saved: RwSignal<bool>,
    id: &'static str,
    #[prop(optional)] on_click: Option<Callback<()>>,
) -> impl IntoView {
    let i = use_i18n();
    let kind = if on_click.is_some() {
        "button"
    } else {
        "submit"
    };
    view! {
        <div class="actions">
            <button
                type=kind
                class="primary"
                id=format!("save-{id}")
                disabled=move || submit.busy.get()
                on:click=move |_| {
                    if let Some(f) = on_click {
                        f.run(());
                    }
                }
            >
                {move || i.t(if submit.busy.get() { K::Saving } else { K::Save })}
            </button>
            <Show when=move || saved.get()>
                <span class="saved" id=format!("{id}-saved") role="status">{move || i.t(K::Saved)}</span>
            </Show>
        </div>
    }
}
