//! A row's delete, asked once more: the first click turns the button into "confirm delete" and
//! shows what deleting does, with confirm and cancel; one row at a time (the page's
//! `confirming`).

use crate::i18n::{use_i18n, K};
use leptos::prelude::*;
use uuid::Uuid;

/// The delete of the row `id` (its button classed `link danger {class}`); `on_delete` runs once
/// the user confirms. The page clears `confirming` after deleting.
#[component]
pub fn DeleteConfirm(
    id: Uuid,
    confirming: RwSignal<Option<Uuid>>,
    /// What deleting also does (`.delete-warning`).
    #[prop(into)]
    warning: K,
    #[prop(into)] class: String,
    on_delete: Callback<Uuid>,
) -> impl IntoView {
    let i = use_i18n();
    let asked = move || confirming.get() == Some(id);
    let click = move |_| {
        if confirming.get_untracked() == Some(id) {
            on_delete.run(id);
        } else {
            confirming.set(Some(id));
        }
    };
    view! {
        <button type="button" class=format!("link danger {class}") on:click=click>
            {move || i.t(if asked() { K::ConfirmDelete } else { K::Delete })}
        </button>
        <Show when=asked>
            <div class="notice warning delete-warning">
                <p>{move || i.t(warning)}</p>
                <button type="button" class="danger confirm-delete" on:click=move |_| on_delete.run(id)>
                    {move || i.t(K::ConfirmDelete)}
                </button>
                " "
                <button type="button" class="cancel-delete" on:click=move |_| confirming.set(None)>
                    {move || i.t(K::Cancel)}
                </button>
            </div>
        </Show>
    }
}
