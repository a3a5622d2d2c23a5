//! The header's bell: the unread count (no badge at 0), and a panel with the latest
//! notifications — each opens its record and is marked read — "mark all read" and the way to
//! the inbox. The count is read again after every move to another page.

use crate::api::{self, ApiError};
use crate::components::{ErrorNotice, Loading};
use crate::i18n::{format_datetime, use_i18n, K};
use crate::notices::{self, use_unread};
use crate::routes;
use crate::session::use_auth;
use domain::notification::Notification;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate};

/// How many the panel shows.
const LATEST: u32 = 8;

#[component]
pub fn NotificationBell() -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    let unread = use_unread();
    let navigate = use_navigate();
    let location = use_location();
    let open = RwSignal::new(false);
    let items = RwSignal::new(None::<Vec<Notification>>);
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);

    // Another page: the user acted, and the count may have changed.
    Effect::watch(
        move || location.pathname.get(),
        move |_, _, _| {
            open.set(false);
            unread.refresh();
        },
        false,
    );

    let load = move || {
        error.set(None);
        spawn_local(async move {
            match api::notifications::list(false, LATEST, None).await {
                Ok(page) => {
                    let _ = items.try_set(Some(page.data));
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    let toggle = move |_| {
        if open.get_untracked() {
            open.set(false);
        } else {
            items.set(None);
            open.set(true);
            load();
            unread.refresh();
        }
    };
    let mark_all = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        unread.adjust(|_| 0);
        spawn_local(async move {
            match api::notifications::mark_all_read().await {
                Ok(_) => load(),
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
            let _ = busy.try_set(false);
            unread.refresh();
        });
    };
    let row = move |n: Notification| {
        let navigate = navigate.clone();
        let locale = i.locale();
        let is_unread = n.read_at.is_none();
        let text = notices::title(&n, i);
        let kind = n.kind.as_str();
        let full_time = format_datetime(&n.created_at, locale);
        let at = n.created_at;
        let id = n.id.to_string();
        view! {
            <li class="notification" class:unread=is_unread data-id=id data-kind=kind data-unread=is_unread.to_string()>
                <button
                    type="button"
                    class="notification-open"
                    on:click=move |_| {
                        open.set(false);
                        notices::open(&n, unread, auth.me.get_untracked().flatten().map(|m| m.user.id), navigate.clone(), None);
                    }
                >
                    <span class="dot" aria-hidden="true"></span>
                    <span class="notification-title">{text}</span>
                    {is_unread.then(|| view! { <span class="sr-only">{move || i.t(K::NotificationsUnread)}</span> })}
                    <time class="notification-time" title=full_time>{move || notices::ago(&at, i)}</time>
                </button>
            </li>
        }
    };
    let list = move || match (error.get(), items.get()) {
        (Some(e), _) => view! { <ErrorNotice error=e on_retry=move |_| load() /> }.into_any(),
        (None, None) => view! { <Loading /> }.into_any(),
        (None, Some(list)) if list.is_empty() => {
            view! { <p class="empty" id="bell-empty">{move || i.t(K::NoNotifications)}</p> }
                .into_any()
        }
        (None, Some(list)) => view! {
            <ul class="notification-list" id="bell-list">
                {list.into_iter().map(row.clone()).collect_view()}
            </ul>
        }
        .into_any(),
    };
    let count = move || unread.count.get();
    let badge = move || {
        let n = count();
        if n > 99 {
            "99+".to_string()
        } else {
            n.to_string()
        }
    };
    view! {
        <div class="bell">
            <button
                type="button"
                id="notification-bell"
                class="bell-button"
                aria-haspopup="true"
                aria-expanded=move || open.get().to_string()
                aria-label=move || format!("{} ({})", i.t(K::Notifications), i.t_n(K::UnreadCount, count()))
                title=move || i.t(K::Notifications)
                on:click=toggle
            >
                <svg class="bell-icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
                    <path
                        fill="currentColor"
                        d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
                    />
                </svg>
                <Show when=move || { count() > 0 }>
                    <span class="bell-count" id="notification-count" data-count=move || count().to_string()>{badge}</span>
                </Show>
            </button>
            <Show when=move || open.get()>
                <div class="bell-backdrop" on:click=move |_| open.set(false)></div>
                <div
                    class="bell-panel"
                    id="notification-panel"
                    role="dialog"
                    aria-label=move || i.t(K::Notifications)
                    on:keydown=move |ev| {
                        if ev.key() == "Escape" {
                            open.set(false);
                        }
                    }
                >
                    <div class="bell-head">
                        <strong>{move || i.t(K::Notifications)}</strong>
                        <button type="button" class="link" id="mark-all-read" disabled=move || busy.get() || count() == 0 on:click=mark_all>
                            {move || i.t(K::MarkAllRead)}
                        </button>
                    </div>
                    {list.clone()}
                    <div class="bell-foot">
                        <A href=routes::NOTIFICATIONS attr:id="all-notifications">{move || i.t(K::AllNotifications)}</A>
                    </div>
                </div>
            </Show>
        </div>
    }
}
