//! An account and its customer pool (公海) on the account's page: under the heading, the pool it
//! waits in (with the way to claim it) or when it returns to one; next to edit and delete,
//! releasing it to the pool now (its owner, or a manager), asked once more with an optional reason.

use crate::api::{self, ApiError};
use crate::components::{recycle_at_of, returns_on_text, ErrorNotice, RecycleBadge};
use crate::form::opt_text;
use crate::i18n::{use_i18n, K};
use crate::routes;
use crate::session::use_auth;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use serde_json::Value;
use uuid::Uuid;

fn id_field(record: &Value, field: &str) -> Option<Uuid> {
    record.get(field)?.as_str()?.parse().ok()
}

/// The pool the account waits in, or when it returns to one; nothing for neither.
pub fn pool_banner((record, _): (Value, Callback<()>)) -> AnyView {
    let i = use_i18n();
    let auth = use_auth();
    if let Some(pool) = id_field(&record, "pool_id") {
        return view! {
            <div class="notice info pool-notice" id="in-pool-notice">
                <p>{move || i.t(K::InPoolBanner).replace("{name}", &auth.pool_name(pool))}</p>
                <A href=routes::pool_href(pool) attr:class="button" attr:id="open-pool">{move || i.t(K::OpenPool)}</A>
            </div>
        }
        .into_any();
    }
    match record.get("recycle_at").and_then(recycle_at_of) {
        Some(at) => view! {
            <p class="notice recycle-notice" id="recycle-notice">
                {move || returns_on_text(at, i)} " " <RecycleBadge at />
            </p>
        }
        .into_any(),
        None => ().into_any(),
    }
}

/// "Release to pool" for the account's owner and managers, while someone owns it.
pub fn release_action((record, on_change): (Value, Callback<()>)) -> AnyView {
    let deleted = record.get("deleted_at").is_some_and(|d| !d.is_null());
    match (id_field(&record, "id"), id_field(&record, "owner_id")) {
        (Some(id), Some(owner)) if !deleted => {
            view! { <ReleaseAction id owner on_change /> }.into_any()
        }
        _ => ().into_any(),
    }
}

#[component]
fn ReleaseAction(id: Uuid, owner: Uuid, on_change: Callback<()>) -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    let asking = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let allowed = move || auth.my_id() == Some(owner) || auth.manages();
    let release = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let why = opt_text(&reason.get_untracked());
        spawn_local(async move {
            let result = api::pools::release(id, why).await;
            let _ = busy.try_set(false);
            match result {
                Ok(_) => {
                    let _ = asking.try_set(false);
                    on_change.run(());
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    view! {
        <Show when=allowed>
            <div class="release-action">
                <button type="button" id="release-account" disabled=move || asking.get() on:click=move |_| asking.set(true)>
                    {move || i.t(K::ReleaseToPool)}
                </button>
                <Show when=move || asking.get()>
                    <div class="notice warning release-confirm" id="release-confirm">
                        <p>{move || i.t(K::ReleaseHint)}</p>
                        <label for="release-reason">{move || i.t(K::ReleaseReason)}</label>
                        <textarea id="release-reason" maxlength="500" rows="2" bind:value=reason></textarea>
                        <div class="actions">
                            <button type="button" class="danger" id="confirm-release" disabled=move || busy.get() on:click=release>
                                {move || i.t(K::ReleaseConfirm)}
                            </button>
                            <button type="button" id="cancel-release" on:click=move |_| { asking.set(false); error.set(None); }>
                                {move || i.t(K::Cancel)}
                            </button>
                        </div>
                        {move || error.get().map(|e| view! { <ErrorNotice error=e /> })}
                    </div>
                </Show>
            </div>
        </Show>
    }
}
