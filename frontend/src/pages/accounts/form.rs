//! Creating and editing an account: the generic record form of the registry's account fields
//! (server validation errors on their fields, the duplicate dialog with "create anyway",
//! `If-Match` on save and a reload offer on 412).

use crate::api;
use crate::i18n::K;
use crate::record::RecordForm;
use crate::routes;
use domain::registry::ACCOUNT;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

#[component]
pub fn AccountNewPage() -> impl IntoView {
    view! { <AccountForm id=None /> }
}

#[component]
pub fn AccountEditPage() -> impl IntoView {
    let params = use_params_map();
    move || {
        let id = params.read().get("id").and_then(|s| s.parse::<Uuid>().ok());
        match id {
            Some(id) => view! { <AccountForm id=Some(id) /> }.into_any(),
            None => view! { <crate::pages::NotFoundPage /> }.into_any(),
        }
    }
}

#[component]
fn AccountForm(id: Option<Uuid>) -> impl IntoView {
    view! {
        <RecordForm
            entity=&ACCOUNT
            resource=api::accounts::ACCOUNTS.json()
            id
            form_id="account-form"
            title=if id.is_some() { K::EditAccount } else { K::NewAccount }
            href=routes::account_href
            list_href=routes::ACCOUNTS
        />
    }
}
