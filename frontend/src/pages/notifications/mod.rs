//! The inbox (通知): `/notifications?tab=unread|all` — the user's notifications, newest first,
//! unread ones marked, each opening its record (and marked read), "mark read" one by one or all
//! at once, more on demand — and below it which kinds reach the user where ([`preferences`]).

mod preferences;

use crate::api::{self, ApiError};
use crate::components::{ErrorNotice, Loading};
use crate::i18n::{format_datetime, notification_kind_label, use_i18n, K};
use crate::notices::{self, use_unread};
use crate::routes;
use crate::session::use_auth;
use domain::notification::Notification;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use preferences::NotificationPreferences;
use uuid::Uuid;

const PAGE: u32 = 30;

/// The notifications shown: the first page of the tab, then more on demand.
#[derive(Clone, Copy)]
struct Inbox {
    items: RwSignal<Vec<Notification>>,
    next: RwSignal<Option<String>>,
    loaded: RwSignal<bool>,
    error: RwSignal<Option<ApiError>>,
    /// Bumped by every first-page load: answers for an older tab are dropped.
    generation: StoredValue<u64>,
}

impl Inbox {
    fn load(self, unread_only: bool, more: bool) {
        let cursor = if more {
            self.next.get_untracked()
        } else {
            None
        };
        if !more {
            self.generation.update_value(|g| *g += 1);
            self.loaded.set(false);
        }
        let mine = self.generation.get_value();
        self.error.set(None);
        spawn_local(async move {
            let result = api::notifications::list(unread_only, PAGE, cursor.as_deref()).await;
            if self.generation.try_get_value() != Some(mine) {
                return;
            }
            match result {
                Ok(page) => {
                    let _ = self.next.try_set(page.next_cursor);
                    if more {
                        self.items.update(|v| v.extend(page.data));
                    } else {
                        let _ = self.items.try_set(page.data);
                    }
                }
                Err(e) => {
                    let _ = self.error.try_set(Some(e));
                }
            }
            let _ = self.loaded.try_set(true);
        });
    }

    /// Shows `n` as the server now has it (read).
    fn replace(self, n: Notification) {
        self.items.update(|v| {
            if let Some(slot) = v.iter_mut().find(|x| x.id == n.id) {
                *slot = n;
            }
        });
    }
}

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    let unread = use_unread();
    let query = use_query_map();
    let navigate = use_navigate();
    let unread_only = Memo::new(move |_| query.read().get("tab").as_deref() != Some("all"));
    let inbox = Inbox {
        items: RwSignal::new(Vec::new()),
        next: RwSignal::new(None),
        loaded: RwSignal::new(false),
        error: RwSignal::new(None),
        generation: StoredValue::new(0),
    };
    Effect::new(move |_| inbox.load(unread_only.get(), false));
    let busy = RwSignal::new(false);

    let mark_read = move |id: Uuid| {
        unread.adjust(|c| c - 1);
        spawn_local(async move {
            match api::notifications::mark_read(id).await {
                Ok(n) => inbox.replace(n),
                Err(e) => {
                    let _ = inbox.error.try_set(Some(e));
                }
            }
            unread.refresh();
        });
    };
    let mark_all = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        unread.adjust(|_| 0);
        spawn_local(async move {
            match api::notifications::mark_all_read().await {
                Ok(_) => inbox.load(unread_only.get_untracked(), false),
                Err(e) => {
                    let _ = inbox.error.try_set(Some(e));
                }
            }
            let _ = busy.try_set(false);
            unread.refresh();
        });
    };
    let on_read = Callback::new(move |n: Notification| inbox.replace(n));

    let row = move |n: Notification| {
        let navigate = navigate.clone();
        let locale = i.locale();
        let id = n.id;
        let is_unread = n.read_at.is_none();
        let kind = n.kind;
        let at = n.created_at;
        let full_time = format_datetime(&at, locale);
        let text = notices::title(&n, i);
        view! {
            <li class="notification" class:unread=is_unread data-id=id.to_string() data-kind=kind.as_str() data-unread=is_unread.to_string()>
                <span class="dot" aria-hidden="true"></span>
                <span class="badge notification-kind">{move || notification_kind_label(kind, i.locale())}</span>
                <button
                    type="button"
                    class="notification-open"
                    on:click=move |_| notices::open(&n, unread, auth.me.get_untracked().flatten().map(|m| m.user.id), navigate.clone(), Some(on_read))
                >
                    <span class="notification-title">{text}</span>
                    {is_unread.then(|| view! { <span class="sr-only">{move || i.t(K::NotificationsUnread)}</span> })}
                </button>
                <time class="notification-time" title=full_time>{move || notices::ago(&at, i)}</time>
                {is_unread.then(|| view! {
                    <button type="button" class="link mark-read" on:click=move |_| mark_read(id)>{move || i.t(K::MarkRead)}</button>
                })}
            </li>
        }
    };
    let rows = move || {
        inbox
            .items
            .get()
            .into_iter()
            .map(row.clone())
            .collect_view()
    };
    let tab = move |key: &'static str, label: K| {
        let active = move || (key == "unread") == unread_only.get();
        view! {
            <A
                href=format!("{}?tab={key}", routes::NOTIFICATIONS)
                attr:class=move || if active() { "tab active" } else { "tab" }
                attr:data-tab=key
            >
                {move || i.t(label)}
                {move || (key == "unread" && unread.count.get() > 0).then(|| format!(" ({})", unread.count.get()))}
            </A>
        }
    };
    view! {
        <section class="page notifications-page">
            <div class="page-head">
                <h1>{move || i.t(K::Notifications)}</h1>
                <div class="actions">
                    <button type="button" id="inbox-mark-all-read" disabled=move || busy.get() || unread.count.get() == 0 on:click=mark_all>
                        {move || i.t(K::MarkAllRead)}
                    </button>
                </div>
            </div>
            <nav class="tabs" id="notification-tabs">
                {tab("unread", K::NotificationsUnread)}
                {tab("all", K::NotificationsAll)}
            </nav>
            {move || inbox.error.get().map(|e| view! { <ErrorNotice error=e on_retry=move |_| inbox.load(unread_only.get_untracked(), false) /> })}
            {move || {
                if !inbox.loaded.get() {
                    return view! { <Loading /> }.into_any();
                }
                if inbox.items.with(Vec::is_empty) {
                    return view! {
                        <p class="empty" id="no-notifications">
                            {move || i.t(if unread_only.get() { K::NoUnreadNotifications } else { K::NoNotifications })}
                        </p>
                    }
                    .into_any();
                }
                view! { <ul class="notification-list inbox" id="inbox">{rows.clone()}</ul> }.into_any()
            }}
            <Show when=move || inbox.loaded.get() && inbox.next.with(Option::is_some)>
                <button type="button" class="button load-more" id="more-notifications" on:click=move |_| inbox.load(unread_only.get_untracked(), true)>
                    {move || i.t(K::LoadMore)}
                </button>
            </Show>
            <NotificationPreferences />
        </section>
    }
}
