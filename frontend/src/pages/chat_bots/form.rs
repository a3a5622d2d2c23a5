//! Adding or editing one bot: its platform, name, URL, secret (write-only: left empty on an edit
//! it stays; a signed bot's can be removed), the kinds of notice it posts and whether it is on.
//! A 422 shows on its input; an edit sends only what changed, with `If-Match`, and a 412 offers
//! to reload the bot.

use super::PLATFORMS;
use crate::api::{self, records::etag_of};
use crate::form::{FieldErrors, FormField, Submit, SubmitNotices};
use crate::i18n::{notification_kind_label, platform_label, use_i18n, K};
use domain::chat::{ChatBot, ChatBotCreate, ChatBotPatch, ChatPlatform};
use domain::notification::NotificationKind;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The inputs of the form (errors on other fields go to the summary above it).
const SHOWN: &[&str] = &["platform", "name", "url", "secret", "kinds", "enabled"];

/// What a platform's robot address looks like.
fn url_example(p: ChatPlatform) -> &'static str {
    match p {
        ChatPlatform::Wecom => "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…",
        ChatPlatform::Dingtalk => "https://oapi.dingtalk.com/robot/send?access_token=…",
        ChatPlatform::Feishu => "https://open.feishu.cn/open-apis/bot/v2/hook/…",
    }
}

#[component]
pub fn BotForm(
    /// The bot edited; `None` adds one.
    bot: Option<ChatBot>,
    on_saved: Callback<ChatBot>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let i = use_i18n();
    let submit = Submit::new();
    let errors = submit.errors;
    let platform = RwSignal::new(ChatPlatform::Wecom);
    let name = RwSignal::new(String::new());
    let url = RwSignal::new(String::new());
    let secret = RwSignal::new(String::new());
    let remove_secret = RwSignal::new(false);
    let kinds = RwSignal::new(Vec::<NotificationKind>::new());
    let enabled = RwSignal::new(true);
    // The stored version: what an edit compares with and the `If-Match` it sends.
    let before = RwSignal::new(bot);
    let fill = move |b: &ChatBot| {
        platform.set(b.platform);
        name.set(b.name.clone());
        url.set(b.url.clone());
        secret.set(String::new());
        remove_secret.set(false);
        kinds.set(b.kinds.clone());
        enabled.set(b.enabled);
    };
    if let Some(b) = before.get_untracked() {
        fill(&b);
    }
    let editing = before.with_untracked(Option::is_some);
    let signed = move || before.with(|b| b.as_ref().is_some_and(|b| b.signed));

    let reload = Callback::new(move |_| {
        let Some(id) = before.with_untracked(|b| b.as_ref().map(|b| b.id)) else {
            return;
        };
        spawn_local(async move {
            match api::chat_bots::get(id).await {
                Ok(reply) => {
                    fill(&reply.body);
                    before.set(Some(reply.body));
                    submit.reset();
                }
                Err(e) => submit.fail(e),
            }
        });
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if !submit.begin() {
            return;
        }
        // In the order of the kinds, whatever order they were ticked in.
        let chosen: Vec<NotificationKind> = NotificationKind::ALL
            .into_iter()
            .filter(|k| kinds.with_untracked(|c| c.contains(k)))
            .collect();
        if chosen.is_empty() {
            errors.push("kinds", "no_kinds", "choose at least one kind");
            return submit.end();
        }
        let new_name = name.get_untracked().trim().to_string();
        let new_url = url.get_untracked().trim().to_string();
        let new_secret = secret.get_untracked().trim().to_string();
        let on = enabled.get_untracked();
        match before.get_untracked() {
            None => {
                let input = ChatBotCreate {
                    platform: platform.get_untracked(),
                    name: new_name,
                    url: new_url,
                    secret: (!new_secret.is_empty()).then_some(new_secret),
                    kinds: chosen,
                    enabled: on,
                };
                spawn_local(async move {
                    match api::chat_bots::create(&input).await {
                        Ok(bot) => {
                            submit.end();
                            on_saved.run(bot);
                        }
                        Err(e) => submit.fail(e),
                    }
                });
            }
            Some(b) => {
                let secret = if !new_secret.is_empty() {
                    Some(Some(new_secret))
                } else if remove_secret.get_untracked() && b.signed {
                    Some(None)
                } else {
                    None
                };
                let same_kinds =
                    chosen.len() == b.kinds.len() && chosen.iter().all(|k| b.kinds.contains(k));
                let patch = ChatBotPatch {
                    name: (new_name != b.name).then_some(new_name),
                    url: (new_url != b.url).then_some(new_url),
                    secret,
                    kinds: (!same_kinds).then_some(chosen),
                    enabled: (on != b.enabled).then_some(on),
                };
                let etag = etag_of(&b);
                spawn_local(async move {
                    match api::chat_bots::update(b.id, &etag, &patch).await {
                        Ok(saved) => {
                            submit.end();
                            on_saved.run(saved);
                        }
                        Err(e) => submit.fail(e),
                    }
                });
            }
        }
    };

    let platform_options = PLATFORMS
        .into_iter()
        .map(|p| {
            view! {
                <option value=p.as_str() selected=move || platform.get() == p>
                    {move || platform_label(p, i.locale())}
                </option>
            }
        })
        .collect_view();
    let kind_boxes = NotificationKind::ALL
        .into_iter()
        .map(|k| {
            view! {
                <label class="kind-choice">
                    <input
                        type="checkbox"
                        data-kind=k.as_str()
                        prop:checked=move || kinds.with(|c| c.contains(&k))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            kinds.update(|c| {
                                c.retain(|x| *x != k);
                                if on {
                                    c.push(k);
                                }
                            });
                        }
                    />
                    " " {move || notification_kind_label(k, i.locale())}
                </label>
            }
        })
        .collect_view();
    view! {
        <form class="record-form chat-bot-form" id="chat-bot-form" on:submit=on_submit novalidate>
            <h2>{move || i.t(if editing { K::EditChatBot } else { K::AddChatBot })}</h2>
            <SubmitNotices submit shown=SHOWN on_reload=reload />
            <div class="grid">
                <FormField label=K::ChatBotPlatform field="platform" errors>
                    <select
                        id="f-platform"
                        disabled=editing
                        prop:value=move || platform.get().as_str()
                        on:change=move |ev| {
                            if let Some(p) = ChatPlatform::parse(&event_target_value(&ev)) {
                                platform.set(p);
                            }
                        }
                    >
                        {platform_options}
                    </select>
                </FormField>
                <FormField label=K::Name field="name" errors>
                    <input
                        id="f-name"
                        type="text"
                        maxlength="100"
                        placeholder="华东销售群"
                        prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))
                    />
                </FormField>
                <FormField label=K::ChatBotUrl field="url" errors hint=K::ChatBotUrlHint>
                    <input
                        id="f-url"
                        type="url"
                        maxlength="2000"
                        placeholder=move || url_example(platform.get())
                        prop:value=move || url.get()
                        on:input=move |ev| url.set(event_target_value(&ev))
                    />
                </FormField>
                <div class="field" class:invalid=move || errors.has("secret") data-field="secret">
                    <label for="f-secret">{move || i.t(K::ChatBotSecret)}</label>
                    <input
                        id="f-secret"
                        type="password"
                        autocomplete="off"
                        maxlength="200"
                        placeholder=move || if editing && signed() { i.t(K::ChatBotSecretKeep) } else { "" }
                        prop:disabled=move || remove_secret.get()
                        prop:value=move || secret.get()
                        on:input=move |ev| secret.set(event_target_value(&ev))
                    />
                    <small class="hint">
                        {move || i.t(K::ChatBotSecretHint)}
                        {move || (editing && signed()).then(|| format!(" {}", i.t(K::ChatBotSecretKeep)))}
                    </small>
                    <Show when=move || editing && signed()>
                        <label class="inline" for="f-remove-secret">
                            <input id="f-remove-secret" type="checkbox" bind:checked=remove_secret />
                            " " {move || i.t(K::ChatBotSecretRemove)}
                        </label>
                    </Show>
                    <FieldErrors errors field="secret" />
                </div>
            </div>
            <div class="field wide chat-bot-kinds" class:invalid=move || errors.has("kinds") data-field="kinds">
                <span class="label">{move || i.t(K::ChatBotKinds)}</span>
                <small class="hint">{move || i.t(K::ChatBotKindsHint)}</small>
                <div class="kind-choices" id="f-kinds">{kind_boxes}</div>
                <FieldErrors errors field="kinds" />
            </div>
            <div class="field" data-field="enabled">
                <label class="inline" for="f-enabled">
                    <input id="f-enabled" type="checkbox" bind:checked=enabled />
                    " " {move || i.t(K::ChatBotOn)}
                </label>
                <FieldErrors errors field="enabled" />
            </div>
            <div class="actions">
                <button type="submit" class="primary" id="save-chat-bot" disabled=move || submit.busy.get()>
                    {move || i.t(if submit.busy.get() { K::Saving } else { K::Save })}
                </button>
                <button type="button" id="cancel-chat-bot" on:click=move |_| on_cancel.run(())>
                    {move || i.t(K::Cancel)}
                </button>
            </div>
        </form>
    }
}
