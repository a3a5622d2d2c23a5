//! The header: brand, navigation, global search, language switcher, my approvals, the
//! notification bell and sign-out.

use crate::api;
use crate::components::{LanguageSwitch, NotificationBell, SearchBox};
use crate::i18n::{use_i18n, Ap, K};
use crate::pages::ENTITY_PAGES;
use crate::registry;
use crate::routes;
use crate::session::{self, use_auth};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

#[component]
pub fn Header() -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    let navigate = use_navigate();
    let sign_out = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            // Signing out locally must work even when the server cannot be reached.
            let _ = api::auth::logout().await;
            navigate(routes::LOGIN, NavigateOptions::default());
            session::end();
        });
    };
    let user_name = move || auth.me.get().flatten().map(|m| m.user.name);
    view! {
        <header class="app-header">
            <A href=routes::HOME attr:class="brand">
                {move || i.t(K::Brand)}
            </A>
            <Show when=move || auth.signed_in.get()>
                <nav class="main-nav">
                    <A href=routes::HOME exact=true>{move || i.t(K::NavHome)}</A>
                    // Each entity's list; the customer pool (公海) next to the entity whose
                    // records wait in pools.
                    {ENTITY_PAGES
                        .iter()
                        .map(|p| view! {
                            <A href=p.href()>{move || registry::label(i, p.entity.plural_label)}</A>
                            {p.entity.joins.pool.then(|| view! { <A href=routes::POOLS>{move || i.t(K::NavPools)}</A> })}
                        })
                        .collect_view()}
                    <A href=routes::PIPELINE>{move || i.t(K::NavPipeline)}</A>
                    <A href=routes::TASKS>{move || i.t(K::NavTasks)}</A>
                    <A href=routes::DUPLICATES>{move || i.t(K::NavDuplicates)}</A>
                    <Show when=move || auth.me.get().flatten().is_some_and(|m| m.user.role == domain::role::Role::Admin)>
                        <A href=routes::TRANSFER>{move || i.t(K::NavTransfer)}</A>
                        <A href=routes::SETTINGS>{move || i.t(K::NavSettings)}</A>
                    </Show>
                </nav>
                <SearchBox />
            </Show>
            <div class="header-end">
                <LanguageSwitch />
                <Show when=move || auth.signed_in.get()>
                    <A href=routes::APPROVALS attr:id="approvals-link" attr:class="header-link">{move || i.t(Ap::MyApprovals)}</A>
                    <NotificationBell />
                    <span class="user-name">{user_name}</span>
                    <button type="button" id="sign-out" class="link" on:click=sign_out.clone()>
                        {move || i.t(K::SignOut)}
                    </button>
                </Show>
            </div>
        </header>
    }
}
