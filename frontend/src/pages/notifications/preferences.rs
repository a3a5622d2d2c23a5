//! Which kinds of notice reach the user on which channel: a table of kinds × channels with a
//! checkbox each, saved at once (only what changed is sent; the others stay as they are).

use crate::api::{self, ApiError};
use crate::components::{ErrorNotice, Loading};
use crate::form::{Submit, SubmitNotices};
use crate::i18n::{channel_label, notification_kind_label, use_i18n, K};
use domain::notification::{NotificationKind, NotificationPreference, CHANNELS};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Whether `kind` reaches the user on `channel` in `prefs` (on when the server did not say).
fn enabled(prefs: &[NotificationPreference], kind: NotificationKind, channel: &str) -> bool {
    prefs
        .iter()
        .find(|p| p.kind == kind && p.channel == channel)
        .is_none_or(|p| p.enabled)
}

/// What `chosen` changes from `saved`.
fn changes(
    saved: &[NotificationPreference],
    chosen: &[NotificationPreference],
) -> Vec<NotificationPreference> {
    chosen
        .iter()
        .filter(|c| enabled(saved, c.kind, &c.channel) != c.enabled)
        .cloned()
        .collect()
}

/// Every kind on every channel, as `prefs` has it.
fn complete(prefs: &[NotificationPreference]) -> Vec<NotificationPreference> {
    NotificationKind::ALL
        .into_iter()
        .flat_map(|kind| {
            CHANNELS.iter().map(move |channel| NotificationPreference {
                kind,
                channel: channel.to_string(),
                enabled: enabled(prefs, kind, channel),
            })
        })
        .collect()
}

#[component]
pub fn NotificationPreferences() -> impl IntoView {
    let i = use_i18n();
    let submit = Submit::new();
    let saved_prefs = RwSignal::new(None::<Vec<NotificationPreference>>);
    let chosen = RwSignal::new(Vec::<NotificationPreference>::new());
    let load_error = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(false);
    let load = move || {
        load_error.set(None);
        spawn_local(async move {
            match api::notifications::preferences().await {
                Ok(p) => {
                    let _ = chosen.try_set(complete(&p));
                    let _ = saved_prefs.try_set(Some(p));
                    submit.reset();
                }
                Err(e) => {
                    let _ = load_error.try_set(Some(e));
                }
            }
        });
    };
    load();

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if !submit.begin() {
            return;
        }
        saved.set(false);
        let before = saved_prefs.get_untracked().unwrap_or_default();
        let changed = changes(&before, &chosen.get_untracked());
        if changed.is_empty() {
            submit.end();
            saved.set(true);
            return;
        }
        spawn_local(async move {
            match api::notifications::set_preferences(changed).await {
                Ok(p) => {
                    submit.end();
                    chosen.set(complete(&p));
                    saved_prefs.set(Some(p));
                    saved.set(true);
                }
                Err(e) => submit.fail(e),
            }
        });
    };

    let cell = move |kind: NotificationKind, channel: &'static str| {
        view! {
            <td class="check" data-label=move || channel_label(channel, i.locale())>
                <input
                    type="checkbox"
                    data-kind=kind.as_str()
                    data-channel=channel
                    aria-label=move || format!("{} · {}", notification_kind_label(kind, i.locale()), channel_label(channel, i.locale()))
                    prop:checked=move || chosen.with(|c| enabled(c, kind, channel))
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        saved.set(false);
                        chosen.update(|c| {
                            if let Some(p) = c.iter_mut().find(|p| p.kind == kind && p.channel == channel) {
                                p.enabled = on;
                            }
                        });
                    }
                />
            </td>
        }
    };
    let table = move || {
        view! {
            <div class="table-wrap">
                <table class="records preferences-table" id="preferences-table">
                    <thead>
                        <tr>
                            <th>{move || i.t(K::NotificationKind)}</th>
                            {CHANNELS
                                .iter()
                                .map(|c| view! { <th class="check" data-channel=*c>{move || channel_label(c, i.locale())}</th> })
                                .collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        {NotificationKind::ALL
                            .into_iter()
                            .map(|kind| view! {
                                <tr data-kind=kind.as_str()>
                                    <td class="kind">{move || notification_kind_label(kind, i.locale())}</td>
                                    {CHANNELS.iter().map(|c| cell(kind, c)).collect_view()}
                                </tr>
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        }
    };
    view! {
        <section class="panel" id="notification-preferences">
            <h2>{move || i.t(K::NotificationPreferences)}</h2>
            <p class="hint">{move || i.t(K::NotificationPreferencesHint)}</p>
            {move || match (load_error.get(), saved_prefs.with(Option::is_some)) {
                (Some(e), _) => view! { <ErrorNotice error=e on_retry=move |_| load() /> }.into_any(),
                (None, false) => view! { <Loading /> }.into_any(),
                (None, true) => view! {
                    <form class="preferences-form" id="preferences-form" on:submit=on_submit novalidate>
                        <SubmitNotices submit shown=&[] on_reload=Callback::new(move |_| load()) />
                        {table}
                        <div class="actions">
                            <button type="submit" class="primary" id="save-preferences" disabled=move || submit.busy.get()>
                                {move || i.t(if submit.busy.get() { K::Saving } else { K::Save })}
                            </button>
                            <Show when=move || saved.get()>
                                <span class="saved" id="preferences-saved" role="status">{move || i.t(K::Saved)}</span>
                            </Show>
                        </div>
                    </form>
                }
                .into_any(),
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pref(kind: NotificationKind, channel: &str, enabled: bool) -> NotificationPreference {
        NotificationPreference {
            kind,
            channel: channel.into(),
            enabled,
        }
    }

    #[test]
    fn only_what_changed_is_sent() {
        let saved = vec![pref(NotificationKind::TaskOverdue, "in_app", false)];
        let mut chosen = complete(&saved);
        assert_eq!(chosen.len(), NotificationKind::ALL.len() * CHANNELS.len());
        assert!(changes(&saved, &chosen).is_empty());
        for p in chosen.iter_mut() {
            if p.kind == NotificationKind::TaskOverdue && p.channel == "in_app" {
                p.enabled = true;
            }
            if p.kind == NotificationKind::TaskReminder && p.channel == "team_chat" {
                p.enabled = false;
            }
        }
        assert_eq!(
            changes(&saved, &chosen),
            vec![
                pref(NotificationKind::TaskReminder, "team_chat", false),
                pref(NotificationKind::TaskOverdue, "in_app", true),
            ]
        );
    }
}
