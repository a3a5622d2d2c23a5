//! The global search box in the header; `/` anywhere (outside a text field) focuses it.

use crate::i18n::{use_i18n, K};
use crate::routes::search_href;
use leptos::ev;
use leptos::html::Input;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use wasm_bindgen::JsCast;

/// Whether the key press happened while typing somewhere.
fn typing_in_field(ev: &web_sys::KeyboardEvent) -> bool {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
        .is_some_and(|el| {
            matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || el.is_content_editable()
        })
}

#[component]
pub fn SearchBox() -> impl IntoView {
    let i = use_i18n();
    let input = NodeRef::<Input>::new();
    let query = use_query_map();
    let navigate = use_navigate();
    let text = RwSignal::new(String::new());
    // On the search page the box shows what was searched.
    Effect::new(move |_| {
        if let Some(q) = query.read().get("q") {
            if leptos_router::hooks::use_location()
                .pathname
                .get_untracked()
                == "/search"
            {
                text.set(q);
            }
        }
    });

    let handle = window_event_listener(ev::keydown, move |ev| {
        if ev.key() == "/" && !ev.ctrl_key() && !ev.meta_key() && !typing_in_field(&ev) {
            if let Some(el) = input.get_untracked() {
                ev.prevent_default();
                let _ = el.focus();
                el.select();
            }
        }
    });
    on_cleanup(move || handle.remove());

    let submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        let q = text.get_untracked();
        if !q.trim().is_empty() {
            navigate(&search_href(q.trim()), NavigateOptions::default());
        }
    };
    view! {
        <form class="search-box" role="search" on:submit=submit>
            <input
                id="global-search"
                type="search"
                node_ref=input
                bind:value=text
                placeholder=move || i.t(K::SearchPlaceholder)
                aria-label=move || i.t(K::SearchPlaceholder)
                aria-keyshortcuts="/"
                autocomplete="off"
            />
        </form>
    }
}
