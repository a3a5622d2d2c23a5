//! Sign-in.

use crate::api::{self, ApiError};
use crate::components::error_text;
use crate::i18n::{use_i18n, K};
use crate::routes;
use crate::session::{self, use_auth};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

#[component]
pub fn LoginPage() -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    let query = use_query_map();
    let navigate = use_navigate();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);

    // Only same-app paths, never another origin.
    let next = move || {
        query
            .read_untracked()
            .get("next")
            .filter(|n| n.starts_with('/') && !n.starts_with("//"))
            .unwrap_or_else(|| routes::HOME.to_string())
    };
    {
        // Already signed in (e.g. Back after signing in): go on.
        let navigate = navigate.clone();
        Effect::new(move |_| {
            if auth.signed_in.get() {
                navigate(
                    &next(),
                    NavigateOptions {
                        replace: true,
                        ..Default::default()
                    },
                );
            }
        });
    }

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let (e, p) = (email.get_untracked(), password.get_untracked());
        spawn_local(async move {
            match api::auth::login(e.trim().to_string(), p).await {
                Ok(tokens) => {
                    session::save_tokens(&tokens);
                    password.set(String::new());
                    auth.signed_in.set(true);
                }
                Err(err) => error.set(Some(err)),
            }
            busy.set(false);
        });
    };

    let message = move || {
        error.get().map(|e| {
            let text = match e.status() {
                Some(401) => i.t(K::WrongCredentials).to_string(),
                Some(429) => i.t(K::TooManyAttempts).to_string(),
                _ => error_text(&e, i),
            };
            view! {
                <p class="notice error" role="alert" id="login-error">
                    {text}
                </p>
            }
        })
    };

    view! {
        <section class="page login-page">
            <form class="card login-form" on:submit=submit>
                <h1>{move || i.t(K::SignInTitle)}</h1>
                {message}
                <div class="field">
                    <label for="login-email">{move || i.t(K::Email)}</label>
                    <input
                        id="login-email"
                        type="email"
                        autocomplete="username"
                        required
                        bind:value=email
                    />
                </div>
                <div class="field">
                    <label for="login-password">{move || i.t(K::Password)}</label>
                    <input
                        id="login-password"
                        type="password"
                        autocomplete="current-password"
                        required
                        bind:value=password
                    />
                </div>
                <button type="submit" class="primary" id="login-submit" disabled=move || busy.get()>
                    {move || i.t(if busy.get() { K::SigningIn } else { K::SignIn })}
                </button>
            </form>
        </section>
    }
}
