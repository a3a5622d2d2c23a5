//! The actions of a record page: back to the list, edit, delete (asks once more, `If-Match`),
//! and restore from the recycle bin with its notice.

use crate::api::records::{etag_of, Resource, Versioned};
use crate::api::ApiError;
use crate::components::ErrorNotice;
use crate::i18n::{use_i18n, K};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use serde::de::DeserializeOwned;
use uuid::Uuid;

#[component]
pub fn RecordActions<T>(
    resource: Resource<T>,
    record: T,
    id: Uuid,
    etag: Option<String>,
    deleted: bool,
    back_href: &'static str,
    edit_href: String,
    on_change: Callback<()>,
) -> impl IntoView
where
    T: DeserializeOwned + Versioned + 'static,
{
    let i = use_i18n();
    let confirming = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let etag = etag.unwrap_or_else(|| etag_of(&record));
    let delete = move |_| {
        if !confirming.get_untracked() {
            confirming.set(true);
            return;
        }
        let etag = etag.clone();
        busy.set(true);
        spawn_local(async move {
            let result = resource.delete(id, &etag).await;
            busy.set(false);
            confirming.set(false);
            match result {
                Ok(()) => on_change.run(()),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let restore = move |_| {
        busy.set(true);
        spawn_local(async move {
            let result = resource.restore(id).await;
            busy.set(false);
            match result {
                Ok(_) => on_change.run(()),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <div class="actions">
            <A href=back_href attr:class="button">{move || i.t(K::BackToList)}</A>
            <Show when=move || !deleted>
                <A href=edit_href.clone() attr:class="button" attr:id="edit-record">
                    {move || i.t(K::Edit)}
                </A>
                <button type="button" class="danger" id="delete-record" disabled=move || busy.get() on:click=delete.clone()>
                    {move || i.t(if confirming.get() { K::ConfirmDelete } else { K::Delete })}
                </button>
            </Show>
        </div>
        <Show when=move || deleted>
            <div class="notice warning" id="deleted-notice">
                <p>{move || i.t(K::InRecycleBin)}</p>
                <button type="button" class="primary" id="restore-record" disabled=move || busy.get() on:click=restore>
                    {move || i.t(K::Restore)}
                </button>
            </div>
        </Show>
        {move || error.get().map(|e| view! { <ErrorNotice error=e /> })}
    }
}
