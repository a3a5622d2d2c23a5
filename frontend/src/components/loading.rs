//! The loading indicator.

use crate::i18n::{use_i18n, K};
use leptos::prelude::*;

#[component]
pub fn Loading() -> impl IntoView {
    let i = use_i18n();
    view! {
        <p class="loading" role="status" aria-live="polite">
            {move || i.t(K::Loading)}
        </p>
    }
}
