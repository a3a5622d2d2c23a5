//! One contact: the generic record page of the registry's contact fields (its account a link).

use crate::api;
use crate::record::RecordPage;
use crate::routes;
use domain::registry::CONTACT;
use leptos::prelude::*;

#[component]
pub fn ContactDetailPage() -> impl IntoView {
    view! {
        <RecordPage
            entity=&CONTACT
            resource=api::contacts::CONTACTS.json()
            list_href=routes::CONTACTS
            edit_href=routes::contact_edit_href
        />
    }
}
