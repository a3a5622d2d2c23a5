//! Creating and editing a contact: the generic record form of the registry's contact fields
//! ("new contact" from an account's page comes with `?account_id=`, which presets it).

use crate::api;
use crate::i18n::K;
use crate::record::RecordForm;
use crate::routes;
use domain::registry::CONTACT;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

#[component]
pub fn ContactNewPage() -> impl IntoView {
    view! { <ContactForm id=None /> }
}

#[component]
pub fn ContactEditPage() -> impl IntoView {
    let params = use_params_map();
    move || match params.read().get("id").and_then(|s| s.parse::<Uuid>().ok()) {
        Some(id) => view! { <ContactForm id=Some(id) /> }.into_any(),
        None => view! { <crate::pages::NotFoundPage /> }.into_any(),
    }
}

#[component]
fn ContactForm(id: Option<Uuid>) -> impl IntoView {
    view! {
        <RecordForm
            entity=&CONTACT
            resource=api::contacts::CONTACTS.json()
            id
            form_id="contact-form"
            title=if id.is_some() { K::EditContact } else { K::NewContact }
            href=routes::contact_href
            list_href=routes::CONTACTS
        />
    }
}
