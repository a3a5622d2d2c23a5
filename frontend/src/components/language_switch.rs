//! The language switcher, always in the header.

use crate::i18n::{use_i18n, Locale, K};
use leptos::prelude::*;

#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i = use_i18n();
    view! {
        <div class="lang-switch" role="group" aria-label=move || i.t(K::Language)>
            {Locale::ALL
                .into_iter()
                .map(|l| {
                    view! {
                        <button
                            type="button"
                            lang=l.tag()
                            data-locale=l.tag()
                            class:active=move || i.locale() == l
                            aria-pressed=move || (i.locale() == l).to_string()
                            on:click=move |_| i.set(l)
                        >
                            {l.native_name()}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}
