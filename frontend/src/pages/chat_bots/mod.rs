//! Team-chat bots (群机器人, admins): `/admin/chat-bots`. The organization's WeCom, DingTalk and
//! Feishu group robots — name, platform, the kinds of notice they post, whether they sign, on or
//! off — added and edited in [`form`], turned on and off, and deleted (asked once more).

mod form;

use crate::api::{self, records::etag_of, ApiError};
use crate::components::{DeleteConfirm, ErrorNotice, Loading};
use crate::form::{Submit, SubmitNotices};
use crate::i18n::{notification_kind_label, platform_label, use_i18n, Locale, K};
use crate::routes;
use crate::session::use_auth;
use domain::chat::{ChatBot, ChatBotPatch, ChatPlatform};
use domain::role::Role;
use form::BotForm;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use uuid::Uuid;

/// The platforms, in the order the form offers them.
pub(crate) const PLATFORMS: [ChatPlatform; 3] = [
    ChatPlatform::Wecom,
    ChatPlatform::Dingtalk,
    ChatPlatform::Feishu,
];

/// What the form is open for.
#[derive(Debug, Clone, PartialEq)]
enum Editing {
    New,
    Bot(Box<ChatBot>),
}

#[component]
pub fn ChatBotsPage() -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    let bots = RwSignal::new(None::<Vec<ChatBot>>);
    let load_error = RwSignal::new(None::<ApiError>);
    let editing = RwSignal::new(None::<Editing>);
    let confirming = RwSignal::new(None::<Uuid>);
    // The row actions (on/off, delete): their failures, a 412 among them.
    let actions = Submit::new();

    let load = move || {
        load_error.set(None);
        spawn_local(async move {
            match api::chat_bots::list_all().await {
                Ok(all) => {
                    let _ = bots.try_set(Some(all));
                    actions.reset();
                }
                Err(e) => {
                    let _ = load_error.try_set(Some(e));
                }
            }
        });
    };
    load();

    let saved = Callback::new(move |_: ChatBot| {
        editing.set(None);
        load();
    });
    let toggle = move |b: ChatBot| {
        if !actions.begin() {
            return;
        }
        let patch = ChatBotPatch {
            enabled: Some(!b.enabled),
            ..ChatBotPatch::default()
        };
        let etag = etag_of(&b);
        spawn_local(async move {
            match api::chat_bots::update(b.id, &etag, &patch).await {
                Ok(_) => load(),
                Err(err) => actions.fail(err),
            }
        });
    };
    let delete = Callback::new(move |id: Uuid| {
        if !actions.begin() {
            return;
        }
        spawn_local(async move {
            match api::chat_bots::delete(id).await {
                Ok(()) => {
                    confirming.set(None);
                    load();
                }
                Err(err) => actions.fail(err),
            }
        });
    });

    let row = move |b: ChatBot| {
        let id = b.id;
        let (b1, b2) = (b.clone(), b.clone());
        let kinds = b.kinds.clone();
        let platform = b.platform;
        view! {
            <tr class="chat-bot-row" class:inactive=!b.enabled data-id=id.to_string() data-enabled=b.enabled.to_string() data-platform=platform.as_str()>
                <td class="name" data-label=move || i.t(K::Name)>
                    {b.name.clone()}
                    <div class="hint url"><code>{host_of(&b.url)}</code></div>
                </td>
                <td class="platform" data-label=move || i.t(K::ChatBotPlatform)>{move || platform_label(platform, i.locale())}</td>
                <td class="kinds" data-label=move || i.t(K::ChatBotKinds)>{move || kinds_text(&kinds, i.locale())}</td>
                <td class="signed" data-label=move || i.t(K::ChatBotSigned)>
                    {move || i.t(if b.signed { K::ChatBotSigned } else { K::ChatBotUnsigned })}
                </td>
                <td class="state" data-label=move || i.t(K::Status)>
                    <span class=if b.enabled { "badge webhook-on" } else { "badge webhook-off" }>
                        {move || i.t(if b.enabled { K::ChatBotOn } else { K::ChatBotOff })}
                    </span>
                </td>
                <td class="row-actions">
                    <button type="button" class="link edit-chat-bot" on:click=move |_| {
                        confirming.set(None);
                        editing.set(Some(Editing::Bot(Box::new(b1.clone()))));
                    }>
                        {move || i.t(K::Edit)}
                    </button>
                    <button type="button" class="link toggle-chat-bot" on:click=move |_| toggle(b2.clone())>
                        {move || i.t(if b.enabled { K::ChatBotTurnOff } else { K::ChatBotTurnOn })}
                    </button>
                    <DeleteConfirm id confirming warning=K::ChatBotDeleteWarning class="delete-chat-bot" on_delete=delete />
                </td>
            </tr>
        }
    };

    let table = move || {
        let list = bots.get().unwrap_or_default();
        if list.is_empty() {
            return view! { <p class="empty" id="no-chat-bots">{move || i.t(K::NoChatBots)}</p> }
                .into_any();
        }
        view! {
            <div class="table-wrap">
                <table class="records chat-bots-table" id="chat-bots-table">
                    <thead>
                        <tr>
                            <th>{move || i.t(K::Name)}</th>
                            <th>{move || i.t(K::ChatBotPlatform)}</th>
                            <th>{move || i.t(K::ChatBotKinds)}</th>
                            <th>{move || i.t(K::ChatBotSigned)}</th>
                            <th>{move || i.t(K::Status)}</th>
                            <th></th>
                        </tr>
                    </thead>
                    <tbody>{list.into_iter().map(row).collect_view()}</tbody>
                </table>
            </div>
        }
        .into_any()
    };

    let not_admin = move || {
        auth.me
            .get()
            .flatten()
            .is_some_and(|m| m.user.role != Role::Admin)
    };
    view! {
        <section class="page chat-bots-page">
            <div class="page-head">
                <h1>{move || i.t(K::ChatBotsTitle)}</h1>
                <A href=routes::SETTINGS attr:class="button">{move || i.t(K::SettingsTitle)}</A>
            </div>
            <p class="hint">{move || i.t(K::ChatBotsHint)}</p>
            <Show when=not_admin>
                <div class="notice info" id="admin-only">{move || i.t(K::AdminOnly)}</div>
            </Show>
            {move || match (load_error.get(), bots.with(Option::is_some)) {
                (Some(e), _) => view! { <ErrorNotice error=e on_retry=move |_| load() /> }.into_any(),
                (None, false) => view! { <Loading /> }.into_any(),
                (None, true) => view! {
                    <section class="panel" id="chat-bots">
                        <SubmitNotices submit=actions shown=&[] on_reload=Callback::new(move |_| load()) />
                        {table}
                        {move || match editing.get() {
                            None => view! {
                                <button type="button" class="primary" id="new-chat-bot" on:click=move |_| editing.set(Some(Editing::New))>
                                    {move || i.t(K::AddChatBot)}
                                </button>
                            }
                            .into_any(),
                            Some(e) => {
                                let bot = match e {
                                    Editing::New => None,
                                    Editing::Bot(b) => Some(*b),
                                };
                                view! {
                                    <BotForm
                                        bot
                                        on_saved=saved
                                        on_cancel=Callback::new(move |_| {
                                            // It may have been reloaded meanwhile (a 412): so may the list.
                                            editing.set(None);
                                            load();
                                        })
                                    />
                                }
                                .into_any()
                            }
                        }}
                    </section>
                }
                .into_any(),
            }}
        </section>
    }
}

/// A bot's kinds as a line, in the kinds' order: `任务提醒、任务逾期`.
fn kinds_text(kinds: &[domain::notification::NotificationKind], locale: Locale) -> String {
    let sep = if locale == Locale::Zh { "、" } else { ", " };
    domain::notification::NotificationKind::ALL
        .into_iter()
        .filter(|k| kinds.contains(k))
        .map(|k| notification_kind_label(k, locale))
        .collect::<Vec<_>>()
        .join(sep)
}

/// The host a bot posts to (`oapi.dingtalk.com`): its path or query holds the robot's token.
fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', '?', '#'])
        .next()
        .unwrap_or_default()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_shows_the_host_not_the_token() {
        assert_eq!(
            host_of("https://oapi.dingtalk.com/robot/send?access_token=abc"),
            "oapi.dingtalk.com"
        );
        assert_eq!(
            host_of("https://open.feishu.cn/open-apis/bot/v2/hook/xyz"),
            "open.feishu.cn"
        );
        assert_eq!(host_of("http://127.0.0.1:9000?key=k"), "127.0.0.1:9000");
    }
}
