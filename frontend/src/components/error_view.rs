//! Errors on screen: a notice for an `ApiError`, and the boundary around every page that catches
//! what a page does not handle itself and offers to retry (never a blank screen).

use crate::api::ApiError;
use crate::i18n::{use_i18n, I18n, Locale, K};
use leptos::prelude::*;

/// An error in the user's language; a refusal (403) with the server's reason after it.
pub fn error_text(e: &ApiError, i: I18n) -> String {
    match e {
        ApiError::Network(_) => i.t(K::NetworkError).to_string(),
        ApiError::SessionEnded => i.t(K::SessionEnded).to_string(),
        e if e.status() == Some(404) => i.t(K::RecordNotFound).to_string(),
        e if e.status() == Some(403) => match e.problem().and_then(|p| p.detail.as_deref()) {
            Some(why) if i.locale() == Locale::Zh => format!("{}（{why}）", i.t(K::Forbidden)),
            Some(why) => format!("{} ({why})", i.t(K::Forbidden)),
            None => i.t(K::Forbidden).to_string(),
        },
        ApiError::Problem(p) => p.detail.clone().unwrap_or_else(|| p.title.clone()),
        ApiError::Unexpected { status, detail } => format!("HTTP {status}: {detail}"),
    }
}

/// A failed request, with a retry button when `on_retry` is given.
#[component]
pub fn ErrorNotice(
    error: ApiError,
    #[prop(optional, into)] on_retry: Option<Callback<()>>,
) -> impl IntoView {
    let i = use_i18n();
    view! {
        <div class="notice error" role="alert">
            <strong>{move || i.t(K::ErrorTitle)}</strong>
            <p class="error-text">{move || error_text(&error, i)}</p>
            {on_retry
                .map(|retry| {
                    view! {
                        <button type="button" class="retry" on:click=move |_| retry.run(())>
                            {move || i.t(K::Retry)}
                        </button>
                    }
                })}
        </div>
    }
}

/// Bumped by the page boundary's retry button; the page's resources track it and fetch again.
#[derive(Debug, Clone, Copy)]
pub struct Retry(RwSignal<u32>);

impl Retry {
    pub fn track(self) {
        self.0.track();
    }

    pub fn bump(self) {
        self.0.update(|n| *n += 1);
    }
}

pub fn use_retry() -> Retry {
    expect_context::<Retry>()
}

/// Wraps a page: errors its views render (`Err(ApiError)`) show here with a retry.
#[component]
pub fn PageBoundary(children: Children) -> impl IntoView {
    let i = use_i18n();
    let retry = Retry(RwSignal::new(0));
    provide_context(retry);
    view! {
        <ErrorBoundary fallback=move |errors| {
            let texts = move || {
                errors
                    .get()
                    .into_iter()
                    .map(|(_, e)| match e.downcast_ref::<ApiError>() {
                        Some(api) => error_text(api, i),
                        None => e.to_string(),
                    })
                    .map(|t| view! { <p class="error-text">{t}</p> })
                    .collect_view()
            };
            view! {
                <div class="notice error page-error" role="alert">
                    <strong>{move || i.t(K::ErrorTitle)}</strong>
                    {texts}
                    <button type="button" class="retry" on:click=move |_| retry.bump()>
                        {move || i.t(K::Retry)}
                    </button>
                </div>
            }
        }>{children()}</ErrorBoundary>
    }
}
