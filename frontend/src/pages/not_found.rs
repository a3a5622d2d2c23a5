//! Unknown addresses.

use crate::i18n::{use_i18n, K};
use crate::routes;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    let i = use_i18n();
    view! {
        <section class="page not-found">
            <h1>{move || i.t(K::PageNotFound)}</h1>
            <p>
                <A href=routes::HOME>{move || i.t(K::BackHome)}</A>
            </p>
        </section>
    }
}
