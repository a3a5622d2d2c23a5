//! Transfer (客户移交, admins): move every record one user owns, or the chosen kinds, to another
//! user, after a dry-run preview of how many would move.

use crate::api::{self, ApiError};
use crate::components::ErrorNotice;
use crate::i18n::{use_i18n, K};
use crate::registry;
use crate::session::use_auth;
use domain::transfer::{TransferKind, TransferResult};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn TransferPage() -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let kinds = RwSignal::new(TransferKind::all());
    let result = RwSignal::new(None::<TransferResult>);
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let run = move |dry_run: bool| {
        let (Ok(f), Ok(t)) = (from.get_untracked().parse(), to.get_untracked().parse()) else {
            return;
        };
        busy.set(true);
        error.set(None);
        let chosen = kinds.get_untracked();
        spawn_local(async move {
            let r = api::merge::transfer(f, t, chosen, dry_run).await;
            busy.set(false);
            match r {
                Ok(r) => result.set(Some(r)),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let users = move || auth.directory.get().unwrap_or_default();
    let user_options = move |selected: RwSignal<String>| {
        users()
            .into_iter()
            .map(|u| {
                let id = u.id.to_string();
                let sel = id.clone();
                view! { <option value=id selected=move || selected.get() == sel>{u.name.clone()} " <" {u.email.clone()} ">"</option> }
            })
            .collect_view()
    };
    let ready = move || {
        let (f, t) = (from.get(), to.get());
        !f.is_empty() && !t.is_empty() && f != t && !kinds.with(Vec::is_empty)
    };
    let changed = move || result.set(None);
    view! {
        <section class="page transfer-page">
            <h1>{move || i.t(K::TransferTitle)}</h1>
            <p class="hint">{move || i.t(K::TransferHint)}</p>
            <div class="record-form">
                <div class="grid">
                    <div class="field">
                        <label for="transfer-from">{move || i.t(K::TransferFrom)}</label>
                        <select id="transfer-from" on:change=move |ev| { from.set(event_target_value(&ev)); changed(); }>
                            <option value="">{move || i.t(K::None)}</option>
                            {move || user_options(from)}
                        </select>
                    </div>
                    <div class="field">
                        <label for="transfer-to">{move || i.t(K::TransferTo)}</label>
                        <select id="transfer-to" on:change=move |ev| { to.set(event_target_value(&ev)); changed(); }>
                            <option value="">{move || i.t(K::None)}</option>
                            {move || user_options(to)}
                        </select>
                    </div>
                </div>
                <fieldset>
                    <legend>{move || i.t(K::TransferKinds)}</legend>
                    {TransferKind::all().into_iter().map(|k| view! {
                        <label>
                            <input
                                type="checkbox"
                                data-kind=k.as_str()
                                prop:checked=move || kinds.with(|v| v.contains(&k))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    kinds.update(|v| { v.retain(|x| *x != k); if on { v.push(k); } });
                                    changed();
                                }
                            />
                            " " {move || registry::label(i, k.0.plural_label)}
                        </label>
                    }).collect_view()}
                </fieldset>
                {move || error.get().map(|e| view! { <ErrorNotice error=e /> })}
                {move || result.get().map(|r| {
                    let c = r.counts.clone();
                    view! {
                        <div class=if r.dry_run { "notice info" } else { "notice" } id="transfer-result" data-dry-run=r.dry_run.to_string()>
                            <strong>{move || i.t(if r.dry_run { K::TransferWould } else { K::TransferDone })}</strong>
                            <p>
                                {TransferKind::all().into_iter().enumerate().map(|(n, k)| {
                                    let count = c.get(k);
                                    view! {
                                        {if n > 0 { " · " } else { "" }}
                                        {move || registry::label(i, k.0.plural_label)} " " {count}
                                    }
                                }).collect_view()}
                            </p>
                        </div>
                    }
                })}
                <div class="actions">
                    <button type="button" id="preview-transfer" disabled=move || busy.get() || !ready() on:click=move |_| run(true)>
                        {move || i.t(K::Preview)}
                    </button>
                    <button
                        type="button"
                        class="primary"
                        id="confirm-transfer"
                        disabled=move || busy.get() || !ready() || !result.with(|r| r.as_ref().is_some_and(|r| r.dry_run))
                        on:click=move |_| run(false)
                    >
                        {move || i.t(K::Transfer)}
                    </button>
                </div>
            </div>
        </section>
    }
}
