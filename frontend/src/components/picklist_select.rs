//! A `<select>` over a domain picklist ((key, zh, en) table), labels in the current language.

use crate::i18n::{use_i18n, Locale, K};
use domain::account::Choice;
use leptos::prelude::*;

/// `blank` is the label of the empty choice ("all", or "none" in forms).
#[component]
pub fn PicklistSelect(
    id: &'static str,
    table: &'static [Choice],
    value: RwSignal<String>,
    blank: K,
    #[prop(optional, into)] on_change: Option<Callback<String>>,
) -> impl IntoView {
    let i = use_i18n();
    let label = move |c: &Choice| match i.locale() {
        Locale::Zh => c.1,
        Locale::En => c.2,
    };
    view! {
        <select
            id=id
            prop:value=move || value.get()
            on:change=move |ev| {
                let v = event_target_value(&ev);
                value.set(v.clone());
                if let Some(cb) = on_change {
                    cb.run(v);
                }
            }
        >
            <option value="">{move || i.t(blank)}</option>
            {table
                .iter()
                .map(|c| {
                    view! {
                        <option value=c.0 selected=move || value.get() == c.0>
                            {move || label(c)}
                        </option>
                    }
                })
                .collect_view()}
        </select>
    }
}
