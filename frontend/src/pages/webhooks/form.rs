//! Adding or editing one endpoint: its URL, description, the events it takes (checkboxes by
//! entity, with "all actions" per entity) and whether it is on. A 422 shows on its input
//! through the app's one form-error mechanism; an edit sends only what changed, with
//! `If-Match`, and a 412 offers to reload the endpoint.

use super::events::{self, EntityEvents};
use crate::api::{self, records::etag_of};
use crate::form::{FieldErrors, FormField, Submit, SubmitNotices};
use crate::i18n::{use_i18n, K};
use domain::webhook::{WebhookCreate, WebhookEndpoint, WebhookPatch, WebhookWithSecret};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The inputs of the form (errors on other fields go to the summary above it).
const SHOWN: &[&str] = &["url", "description", "event_types", "enabled"];

#[component]
pub fn EndpointForm(
    /// The endpoint edited; `None` adds one.
    endpoint: Option<WebhookEndpoint>,
    /// What may be subscribed to (`GET /webhooks/event-types`).
    offered: Vec<String>,
    on_created: Callback<WebhookWithSecret>,
    on_saved: Callback<WebhookEndpoint>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let i = use_i18n();
    let submit = Submit::new();
    let errors = submit.errors;
    let url = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let chosen = RwSignal::new(Vec::<String>::new());
    let enabled = RwSignal::new(true);
    // The stored version: what an edit compares with and the `If-Match` it sends.
    let before = RwSignal::new(endpoint);
    let fill = move |e: &WebhookEndpoint| {
        url.set(e.url.clone());
        description.set(e.description.clone());
        chosen.set(e.event_types.clone());
        enabled.set(e.enabled);
    };
    if let Some(e) = before.get_untracked() {
        fill(&e);
    }
    let editing = before.with_untracked(Option::is_some);

    let reload = Callback::new(move |_| {
        let Some(id) = before.with_untracked(|b| b.as_ref().map(|e| e.id)) else {
            return;
        };
        spawn_local(async move {
            match api::webhooks::get(id).await {
                Ok(reply) => {
                    fill(&reply.body);
                    before.set(Some(reply.body));
                    submit.reset();
                }
                Err(e) => submit.fail(e),
            }
        });
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if !submit.begin() {
            return;
        }
        let types = chosen.get_untracked();
        if types.is_empty() {
            errors.push("event_types", "no_events", "choose at least one event");
            return submit.end();
        }
        let new_url = url.get_untracked().trim().to_string();
        let new_description = description.get_untracked().trim().to_string();
        let on = enabled.get_untracked();
        match before.get_untracked() {
            None => {
                let input = WebhookCreate {
                    url: new_url,
                    description: new_description,
                    event_types: types,
                    enabled: on,
                };
                spawn_local(async move {
                    match api::webhooks::create(&input).await {
                        Ok(created) => {
                            submit.end();
                            on_created.run(created);
                        }
                        Err(e) => submit.fail(e),
                    }
                });
            }
            Some(b) => {
                let patch = WebhookPatch {
                    url: (new_url != b.url).then_some(new_url),
                    description: (new_description != b.description).then_some(new_description),
                    event_types: (types != b.event_types).then_some(types),
                    enabled: (on != b.enabled).then_some(on),
                };
                let etag = etag_of(&b);
                spawn_local(async move {
                    match api::webhooks::update(b.id, &etag, &patch).await {
                        Ok(saved) => {
                            submit.end();
                            on_saved.run(saved);
                        }
                        Err(e) => submit.fail(e),
                    }
                });
            }
        }
    };

    let groups = events::group(&offered);
    view! {
        <form class="record-form webhook-form" id="webhook-form" on:submit=on_submit novalidate>
            <h2>{move || i.t(if editing { K::EditWebhook } else { K::AddWebhook })}</h2>
            <SubmitNotices submit shown=SHOWN on_reload=reload />
            <div class="grid">
                <FormField label=K::WebhookUrl field="url" errors hint=K::WebhookUrlHint>
                    <input
                        id="f-url"
                        type="url"
                        maxlength="2000"
                        placeholder="https://erp.example.com/kehu/events"
                        prop:value=move || url.get()
                        on:input=move |ev| url.set(event_target_value(&ev))
                    />
                </FormField>
                <FormField label=K::Description field="description" errors>
                    <input
                        id="f-description"
                        type="text"
                        maxlength="500"
                        prop:value=move || description.get()
                        on:input=move |ev| description.set(event_target_value(&ev))
                    />
                </FormField>
            </div>
            <div class="field wide webhook-events" class:invalid=move || errors.has("event_types") data-field="event_types">
                <span class="label">{move || i.t(K::WebhookEvents)}</span>
                <small class="hint">{move || i.t(K::WebhookEventsHint)}</small>
                <div class="event-groups" id="f-event_types">
                    {groups.into_iter().map(|g| view! { <EventGroup group=g chosen /> }).collect_view()}
                </div>
                <FieldErrors errors field="event_types" />
            </div>
            <div class="field" data-field="enabled">
                <label class="inline" for="f-enabled">
                    <input id="f-enabled" type="checkbox" bind:checked=enabled />
                    " " {move || i.t(K::WebhookEnabled)}
                </label>
                <FieldErrors errors field="enabled" />
            </div>
            <div class="actions">
                <button type="submit" class="primary" id="save-webhook" disabled=move || submit.busy.get()>
                    {move || i.t(if submit.busy.get() { K::Saving } else { K::Save })}
                </button>
                <button type="button" id="cancel-webhook" on:click=move |_| on_cancel.run(())>
                    {move || i.t(K::Cancel)}
                </button>
            </div>
        </form>
    }
}

/// One entity's checkboxes: "all actions", then each action (covered, and so fixed, by "all").
#[component]
fn EventGroup(group: EntityEvents, chosen: RwSignal<Vec<String>>) -> impl IntoView {
    let i = use_i18n();
    let entity = group.entity.clone();
    let all = {
        let entity = entity.clone();
        Signal::derive(move || chosen.with(|c| events::takes_all(c, &entity)))
    };
    let actions = group
        .actions
        .into_iter()
        .map(|action| {
            let (e1, e2, a1, a2) = (
                entity.clone(),
                entity.clone(),
                action.clone(),
                action.clone(),
            );
            view! {
                <label class="event-action">
                    <input
                        type="checkbox"
                        data-type=format!("{entity}.{action}")
                        prop:checked=move || chosen.with(|c| events::takes(c, &e1, &a1))
                        prop:disabled=move || all.get()
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            chosen.update(|c| events::set_one(c, &e2, &a2, on));
                        }
                    />
                    " " {move || events::action_label(i, &action)}
                </label>
            }
        })
        .collect_view();
    let (label_of, set_of) = (entity.clone(), entity.clone());
    view! {
        <fieldset class="event-group" data-entity=entity.clone()>
            <legend>{move || events::entity_label(i, &label_of)}</legend>
            <label class="all-actions">
                <input
                    type="checkbox"
                    data-type=events::all_pattern(&entity)
                    prop:checked=move || all.get()
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        chosen.update(|c| events::set_all(c, &set_of, on));
                    }
                />
                " " {move || i.t(K::WebhookAllActions)}
            </label>
            {actions}
        </fieldset>
    }
}
