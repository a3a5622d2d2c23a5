//! Creating and editing a lead: the generic record form of the registry's lead fields (the
//! disqualify reason, which the `disqualified` status requires, is asked and sent only then).

use crate::api;
use crate::i18n::K;
use crate::record::RecordForm;
use crate::routes;
use domain::registry::LEAD;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

#[component]
pub fn LeadNewPage() -> impl IntoView {
    view! { <LeadForm id=None /> }
}

#[component]
pub fn LeadEditPage() -> impl IntoView {
    let params = use_params_map();
    move || match params.read().get("id").and_then(|s| s.parse::<Uuid>().ok()) {
        Some(id) => view! { <LeadForm id=Some(id) /> }.into_any(),
        None => view! { <crate::pages::NotFoundPage /> }.into_any(),
    }
}

#[component]
fn LeadForm(id: Option<Uuid>) -> impl IntoView {
    view! {
        <RecordForm
            entity=&LEAD
            resource=api::leads::LEADS.json()
            id
            form_id="lead-form"
            title=if id.is_some() { K::EditLead } else { K::NewLead }
            href=routes::lead_href
            list_href=routes::LEADS
        />
    }
}
