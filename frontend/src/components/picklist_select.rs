//! A `<select>` over one of the organization's picklists, labels in the current language. Only
//! active values are offered, but a record's current (deactivated) value stays shown.

use crate::i18n::{use_i18n, Locale, K};
use crate::session::use_auth;
use leptos::prelude::*;

/// `list` is the picklist's name (`industry`, `source`, …); `blank` labels the empty choice
/// ("all" in filters, "none" in forms).
#[component]
pub fn PicklistSelect(
    #[prop(into)] id: String,
    list: &'static str,
    value: RwSignal<String>,
    blank: K,
    #[prop(optional, into)] on_change: Option<Callback<String>>,
) -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    let options = move || {
        let current = value.get();
        auth.picklist(list)
            .into_iter()
            .filter(|v| v.active || v.key == current)
            .map(|v| {
                let label = match i.locale() {
                    Locale::Zh => v.zh.clone(),
                    Locale::En => v.en.clone(),
                };
                let key = v.key.clone();
                view! {
                    <option value=v.key.clone() selected=move || value.get() == key>
                        {label}
                    </option>
                }
            })
            .collect_view()
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
            {options}
        </select>
    }
}
