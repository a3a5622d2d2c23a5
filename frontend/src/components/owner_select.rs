//! The owner `<select>` of record forms: the caller first, then the organization's users.

use crate::i18n::{use_i18n, K};
use crate::session::use_auth;
use leptos::prelude::*;

/// `value` holds a user id; empty means "me" (the server's default) when `blank_is_me`, else
/// nobody, offered as `blank` (a user field that may stay empty).
#[component]
pub fn OwnerSelect(
    #[prop(into)] id: String,
    value: RwSignal<String>,
    blank_is_me: bool,
    #[prop(optional)] blank: Option<K>,
) -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    let options = move || {
        let mut users: Vec<(String, String)> = auth
            .directory
            .get()
            .unwrap_or_default()
            .into_iter()
            .map(|u| (u.id.to_string(), u.name))
            .collect();
        if let Some(me) = auth.me.get().flatten() {
            if !users.iter().any(|(id, _)| *id == me.user.id.to_string()) {
                users.insert(0, (me.user.id.to_string(), me.user.name));
            }
        }
        let current = value.get();
        if !current.is_empty() && !users.iter().any(|(id, _)| *id == current) {
            users.push((current.clone(), current[..8.min(current.len())].to_string()));
        }
        users
            .into_iter()
            .map(|(id, name)| {
                let sel = id.clone();
                view! { <option value=id selected=move || value.get() == sel>{name}</option> }
            })
            .collect_view()
    };
    view! {
        <select id=id prop:value=move || value.get() on:change=move |ev| value.set(event_target_value(&ev))>
            {match (blank_is_me, blank) {
                (true, _) => Some(K::Mine),
                (false, b) => b,
            }
            .map(|k| view! { <option value="">{move || i.t(k)}</option> })}
            {options}
        </select>
    }
}

/// The owner filter of list pages: anyone, me, or one user; `on_change` gets the id ("" = anyone).
#[component]
pub fn OwnerFilter(value: Signal<String>, on_change: Callback<String>) -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    let others = move || {
        let me = auth.my_id();
        auth.directory
            .get()
            .unwrap_or_default()
            .into_iter()
            .filter(|u| Some(u.id) != me)
            .map(|u| {
                let id = u.id.to_string();
                view! { <option value=id.clone() selected=move || value.get() == id>{u.name.clone()}</option> }
            })
            .collect_view()
    };
    view! {
        <select
            id="filter-owner"
            aria-label=move || i.t(K::Owner)
            prop:value=move || value.get()
            on:change=move |ev| on_change.run(event_target_value(&ev))
        >
            <option value="">{move || i.t(K::AnyOwner)}</option>
            {move || {
                auth.my_id()
                    .map(|me| {
                        let id = me.to_string();
                        view! { <option value=id.clone() selected=move || value.get() == id>{i.t(K::MyAccounts)}</option> }
                    })
            }}
            {others}
        </select>
    }
}
