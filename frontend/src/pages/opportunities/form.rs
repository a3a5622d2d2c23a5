//! Creating and editing an opportunity on the generic record form, with what is a deal's own:
//! a new deal's stage among the open stages of the default pipeline (stages change on the board
//! or the record page, not here), the contact picked among the chosen account's, and the
//! probability shown only when it was set by hand.

use crate::api;
use crate::i18n::{stage_label, use_i18n, K};
use crate::record::inputs::Draft;
use crate::record::{FormHooks, RecordForm, Scope};
use crate::routes;
use crate::session::use_auth;
use domain::pipeline::StageKind;
use domain::registry::OPPORTUNITY;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde_json::Value;
use uuid::Uuid;

#[component]
pub fn OpportunityNewPage() -> impl IntoView {
    view! { <OpportunityForm id=None /> }
}

#[component]
pub fn OpportunityEditPage() -> impl IntoView {
    let params = use_params_map();
    move || match params.read().get("id").and_then(|s| s.parse::<Uuid>().ok()) {
        Some(id) => view! { <OpportunityForm id=Some(id) /> }.into_any(),
        None => view! { <crate::pages::NotFoundPage /> }.into_any(),
    }
}

#[component]
fn OpportunityForm(id: Option<Uuid>) -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    // New deals start in an open stage of the default pipeline (its first unless chosen).
    let open_stages = move || {
        auth.pipelines
            .get()
            .unwrap_or_default()
            .into_iter()
            .next()
            .map(|p| p.stages)
            .unwrap_or_default()
            .into_iter()
            .filter(|s| s.kind == StageKind::Open)
            .collect::<Vec<_>>()
    };
    let stage = move |value: RwSignal<String>| {
        view! {
            <select id="f-stage_id" prop:value=move || value.get() on:change=move |ev| value.set(event_target_value(&ev))>
                <option value="">{move || i.t(K::FirstStage)}</option>
                {move || open_stages().into_iter().map(|s| {
                    let sid = s.id.to_string();
                    let sel = sid.clone();
                    view! { <option value=sid selected=move || value.get() == sel>{stage_label(&s.name, i.locale())}</option> }
                }).collect_view()}
            </select>
        }
        .into_any()
    };
    let contacts_of_account = |(_, draft): (&'static str, Draft)| -> Scope {
        let account = draft.get("account_id").map(|f| f.text);
        Signal::derive(move || match account.map(|a| a.get()) {
            Some(a) if !a.is_empty() => vec![("account_id".to_string(), a)],
            _ => Vec::new(),
        })
    };
    let hooks = FormHooks {
        input: Some(Callback::new(move |(_, value)| stage(value))),
        scope: Some(Callback::new(contacts_of_account)),
        // A PATCH does not take the stage: it is chosen only for a new deal.
        shown: Some(Callback::new(move |(name, _): (&'static str, Draft)| {
            name != "stage_id" || id.is_none()
        })),
        fill: Some(Callback::new(|(deal, draft): (Value, Draft)| {
            if deal["probability_overridden"] != Value::Bool(true) {
                if let Some(p) = draft.get("probability") {
                    p.text.set(String::new());
                }
            }
        })),
    };
    view! {
        <RecordForm
            entity=&OPPORTUNITY
            resource=api::opportunities::OPPORTUNITIES.json()
            id
            form_id="opportunity-form"
            title=if id.is_some() { K::EditOpportunity } else { K::NewOpportunity }
            href=routes::opportunity_href
            list_href=routes::OPPORTUNITIES
            hooks
        />
    }
}
