//! Settings (系统设置, admins): the organization's settings (`neglect_days`) and its picklists
//! (`/admin/settings?list=industry|source|…`): values added, relabelled, reordered, deactivated
//! and reactivated, then the whole list saved at once with `If-Match`. Keys are never removed
//! (records store them), so there is no delete. Every member may read both; the API refuses
//! changes from non-admins (403), which show like any failed save.

use crate::api::{self, ApiError};
use crate::components::{ErrorNotice, Loading};
use crate::form::{FieldErrors, FormField, Submit, SubmitNotices};
use crate::i18n::{use_i18n, K};
use crate::routes;
use crate::session::use_auth;
use domain::activity::OrgSettingsPatch;
use domain::picklist::{PicklistInput, PicklistValue, DEFAULTS};
use domain::role::Role;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

/// The tab label of a picklist (the name of the field it serves).
fn list_label(name: &str) -> K {
    match name {
        "industry" => K::Industry,
        "source" => K::Source,
        "lost_reason" => K::LostCategory,
        "disqualify_reason" => K::DisqualifyReason,
        _ => K::Picklists,
    }
}

#[component]
pub fn SettingsPage() -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    let query = use_query_map();
    // The picklists are the domain's (the server knows the same four); unknown names fall back.
    let list = Memo::new(move |_| {
        let asked = query.read().get("list").unwrap_or_default();
        DEFAULTS
            .iter()
            .map(|(name, _)| *name)
            .find(|name| *name == asked)
            .unwrap_or(DEFAULTS[0].0)
    });
    let not_admin = move || {
        auth.me
            .get()
            .flatten()
            .is_some_and(|m| m.user.role != Role::Admin)
    };
    view! {
        <section class="page settings-page">
            <div class="page-head">
                <h1>{move || i.t(K::SettingsTitle)}</h1>
            </div>
            <Show when=not_admin>
                <div class="notice info" id="admin-only">{move || i.t(K::AdminOnly)}</div>
            </Show>
            <OrgSettingsForm />
            <section class="panel" id="picklists">
                <h2>{move || i.t(K::Picklists)}</h2>
                <p class="hint">{move || i.t(K::PicklistsHint)}</p>
                <nav class="tabs">
                    {DEFAULTS
                        .iter()
                        .map(|(name, _)| {
                            let name = *name;
                            view! {
                                <A
                                    href=format!("{}?list={name}", routes::SETTINGS)
                                    attr:class=move || if list.get() == name { "tab active" } else { "tab" }
                                    attr:data-list=name
                                >
                                    {move || i.t(list_label(name))}
                                </A>
                            }
                        })
                        .collect_view()}
                </nav>
                {move || {
                    let name = list.get();
                    view! { <PicklistEditor name /> }
                }}
            </section>
        </section>
    }
}

/// `neglect_days`: read, changed, a 422 on its field.
#[component]
fn OrgSettingsForm() -> impl IntoView {
    let i = use_i18n();
    let submit = Submit::new();
    let errors = submit.errors;
    let days = RwSignal::new(String::new());
    let loaded = RwSignal::new(false);
    let load_error = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(false);
    let load = move || {
        load_error.set(None);
        spawn_local(async move {
            match api::settings::get().await {
                Ok(s) => {
                    days.set(s.neglect_days.to_string());
                    loaded.set(true);
                    submit.reset();
                }
                Err(e) => load_error.set(Some(e)),
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
        let Ok(neglect_days) = days.get_untracked().trim().parse::<i32>() else {
            errors.push("neglect_days", "integer", "not a whole number");
            return submit.end();
        };
        let patch = OrgSettingsPatch {
            neglect_days: Some(neglect_days),
        };
        spawn_local(async move {
            match api::settings::update(&patch).await {
                Ok(s) => {
                    submit.end();
                    days.set(s.neglect_days.to_string());
                    saved.set(true);
                }
                Err(e) => submit.fail(e),
            }
        });
    };
    view! {
        <section class="panel" id="org-settings">
            <h2>{move || i.t(K::OrgSettings)}</h2>
            {move || match (load_error.get(), loaded.get()) {
                (Some(e), _) => view! { <ErrorNotice error=e on_retry=move |_| load() /> }.into_any(),
                (None, false) => view! { <Loading /> }.into_any(),
                (None, true) => view! {
                    <form class="record-form" id="settings-form" on:submit=on_submit novalidate>
                        <SubmitNotices submit shown=&["neglect_days"] on_reload=Callback::new(move |_| load()) />
                        <FormField label=K::NeglectDays field="neglect_days" errors hint=K::NeglectDaysHint>
                            <input
                                id="f-neglect_days"
                                type="text"
                                inputmode="numeric"
                                maxlength="4"
                                prop:value=move || days.get()
                                on:input=move |ev| {
                                    days.set(event_target_value(&ev));
                                    saved.set(false);
                                }
                            />
                        </FormField>
                        <SaveActions submit saved id="settings" />
                    </form>
                }
                .into_any(),
            }}
        </section>
    }
}

/// One value of the list being edited. Keys of stored values are fixed; a value added here keeps
/// an editable key until the list is saved.
#[derive(Debug, Clone, Copy)]
struct Row {
    /// This editor's own identity for the row (keys of new rows may change while typed).
    id: u64,
    stored: bool,
    key: RwSignal<String>,
    zh: RwSignal<String>,
    en: RwSignal<String>,
    active: RwSignal<bool>,
}

impl Row {
    fn value(&self) -> PicklistValue {
        PicklistValue {
            key: self.key.get_untracked(),
            zh: self.zh.get_untracked(),
            en: self.en.get_untracked(),
            active: self.active.get_untracked(),
        }
    }
}

/// A picklist's values in display order; nothing is sent until "save" (one PUT of the whole list).
#[component]
fn PicklistEditor(name: &'static str) -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    // Rows are made in event handlers and after awaits: they belong to the editor.
    let owner = StoredValue::new(Owner::current().expect("a component has an owner"));
    let next_id = StoredValue::new(0u64);
    let new_row = move |v: PicklistValue, stored: bool| {
        next_id.update_value(|n| *n += 1);
        let id = next_id.get_value();
        owner.with_value(|o| {
            o.with(|| Row {
                id,
                stored,
                key: RwSignal::new(v.key),
                zh: RwSignal::new(v.zh),
                en: RwSignal::new(v.en),
                active: RwSignal::new(v.active),
            })
        })
    };
    let rows = RwSignal::new(Vec::<Row>::new());
    let etag = RwSignal::new(None::<String>);
    let load_error = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(false);
    let submit = Submit::new();
    let errors = submit.errors;
    let show = move |list: domain::picklist::Picklist, tag: Option<String>| {
        let tag = tag.unwrap_or_else(|| format!("\"{}\"", list.version));
        rows.set(list.values.into_iter().map(|v| new_row(v, true)).collect());
        etag.set(Some(tag));
    };
    let load = move || {
        load_error.set(None);
        saved.set(false);
        spawn_local(async move {
            match api::picklists::get(name).await {
                Ok(reply) => {
                    show(reply.body, reply.etag);
                    submit.reset();
                }
                Err(e) => load_error.set(Some(e)),
            }
        });
    };
    load();

    // Errors name rows by position: once rows move, the old positions mean nothing.
    let changed = move || {
        saved.set(false);
        errors.clear();
    };
    let swap = move |a: usize, b: usize| {
        rows.update(|v| v.swap(a, b));
        changed();
    };
    let last_active = move |row: Row| {
        row.active.get() && rows.with(|v| v.iter().filter(|r| r.active.get()).count() == 1)
    };

    let new_key = RwSignal::new(String::new());
    let new_zh = RwSignal::new(String::new());
    let new_en = RwSignal::new(String::new());
    let can_add = move || {
        [new_key, new_zh, new_en]
            .iter()
            .all(|s| !s.with(|t| t.trim().is_empty()))
    };
    let add = move |_| {
        if !can_add() {
            return;
        }
        let v = PicklistValue {
            key: new_key.get_untracked().trim().to_string(),
            zh: new_zh.get_untracked().trim().to_string(),
            en: new_en.get_untracked().trim().to_string(),
            active: true,
        };
        rows.update(|r| r.push(new_row(v, false)));
        for s in [new_key, new_zh, new_en] {
            s.set(String::new());
        }
        changed();
    };

    let save = move |_| {
        let Some(tag) = etag.get_untracked() else {
            return;
        };
        if !submit.begin() {
            return;
        }
        saved.set(false);
        let input = PicklistInput {
            values: rows.with_untracked(|r| r.iter().map(Row::value).collect()),
        };
        spawn_local(async move {
            match api::picklists::put(name, &tag, &input).await {
                Ok(reply) => {
                    submit.end();
                    show(reply.body, reply.etag);
                    saved.set(true);
                    // Forms offer the organization's values from the session's copy.
                    auth.picklists.refetch();
                }
                Err(e) => submit.fail(e),
            }
        });
    };

    let cell_errors = move |i: usize, part: &str| {
        view! { <FieldErrors errors field=format!("values[{i}].{part}") /> }
    };
    let row_view = move |index: usize, row: Row| {
        let invalid = move || errors.has(&format!("values[{index}]"));
        view! {
            <tr
                class="picklist-value"
                class:inactive=move || !row.active.get()
                class:invalid=invalid
                data-key=move || row.key.get()
            >
                <td class="key" data-label=move || i.t(K::PicklistKey)>
                    {if row.stored {
                        view! { <code>{row.key.get_untracked()}</code> }.into_any()
                    } else {
                        view! {
                            <input
                                type="text"
                                class="key-input"
                                aria-label=move || i.t(K::PicklistKey)
                                bind:value=row.key
                            />
                        }
                        .into_any()
                    }}
                    {cell_errors(index, "key")}
                </td>
                <td data-label=move || i.t(K::LabelZh)>
                    <input type="text" class="zh" aria-label=move || i.t(K::LabelZh) bind:value=row.zh />
                    {cell_errors(index, "zh")}
                </td>
                <td data-label=move || i.t(K::LabelEn)>
                    <input type="text" class="en" aria-label=move || i.t(K::LabelEn) bind:value=row.en />
                    {cell_errors(index, "en")}
                </td>
                <td class="state" data-label=move || i.t(K::Status)>
                    <Show when=move || !row.active.get()>
                        <span class="badge">{move || i.t(K::Inactive)}</span>
                    </Show>
                </td>
                <td class="row-actions">
                    <button
                        type="button"
                        class="link move-up"
                        title=move || i.t(K::MoveUp)
                        aria-label=move || i.t(K::MoveUp)
                        disabled=index == 0
                        on:click=move |_| swap(index, index - 1)
                    >
                        "↑"
                    </button>
                    <button
                        type="button"
                        class="link move-down"
                        title=move || i.t(K::MoveDown)
                        aria-label=move || i.t(K::MoveDown)
                        disabled=move || { index + 1 >= rows.with(Vec::len) }
                        on:click=move |_| swap(index, index + 1)
                    >
                        "↓"
                    </button>
                    <button
                        type="button"
                        class="link toggle-active"
                        // A list needs one active value (the API refuses none).
                        disabled=move || last_active(row)
                        on:click=move |_| {
                            row.active.update(|a| *a = !*a);
                            changed();
                        }
                    >
                        {move || i.t(if row.active.get() { K::Deactivate } else { K::Reactivate })}
                    </button>
                </td>
            </tr>
        }
    };

    view! {
        {move || match (load_error.get(), etag.with(Option::is_some)) {
            (Some(e), _) => view! { <ErrorNotice error=e on_retry=move |_| load() /> }.into_any(),
            (None, false) => view! { <Loading /> }.into_any(),
            (None, true) => view! {
                <div class="record-form picklist-editor" id="picklist-editor" data-list=name>
                    <div class="table-wrap">
                        <table class="records picklist-values">
                            <thead>
                                <tr>
                                    <th>{move || i.t(K::PicklistKey)}</th>
                                    <th>{move || i.t(K::LabelZh)}</th>
                                    <th>{move || i.t(K::LabelEn)}</th>
                                    <th>{move || i.t(K::Status)}</th>
                                    <th></th>
                                </tr>
                            </thead>
                            <tbody>
                                // Keyed by position too: a moved row renders again with its new
                                // position (its up/down buttons and error paths depend on it).
                                <For
                                    each=move || rows.get().into_iter().enumerate()
                                    key=|(index, row)| (row.id, *index)
                                    children=move |(index, row)| row_view(index, row)
                                />
                            </tbody>
                        </table>
                    </div>
                    <fieldset class="add-value">
                        <legend>{move || i.t(K::AddValue)}</legend>
                        <div class="grid">
                            <div class="field">
                                <label for="new-key">{move || i.t(K::PicklistKey)}</label>
                                <input id="new-key" type="text" bind:value=new_key />
                            </div>
                            <div class="field">
                                <label for="new-zh">{move || i.t(K::LabelZh)}</label>
                                <input id="new-zh" type="text" bind:value=new_zh />
                            </div>
                            <div class="field">
                                <label for="new-en">{move || i.t(K::LabelEn)}</label>
                                <input id="new-en" type="text" bind:value=new_en />
                            </div>
                        </div>
                        <button type="button" id="add-value" disabled=move || !can_add() on:click=add>
                            {move || i.t(K::AddValue)}
                        </button>
                    </fieldset>
                    // By the save button, where the eye is after saving a long list.
                    <SubmitNotices submit shown=&["values"] on_reload=Callback::new(move |_| load()) />
                    <FieldErrors errors field="values" exact=true />
                    <SaveActions submit saved id="picklist" on_click=Callback::new(save) />
                </div>
            }
            .into_any(),
        }}
    }
}

/// A settings form's save button and the "saved" note after it (`save-{id}`, `{id}-saved`).
/// Without `on_click` the button submits its form.
#[component]
fn SaveActions(
    submit: Submit,
    saved: RwSignal<bool>,
    id: &'static str,
    #[prop(optional)] on_click: Option<Callback<()>>,
) -> impl IntoView {
    let i = use_i18n();
    let kind = if on_click.is_some() {
        "button"
    } else {
        "submit"
    };
    view! {
        <div class="actions">
            <button
                type=kind
                class="primary"
                id=format!("save-{id}")
                disabled=move || submit.busy.get()
                on:click=move |_| {
                    if let Some(f) = on_click {
                        f.run(());
                    }
                }
            >
                {move || i.t(if submit.busy.get() { K::Saving } else { K::Save })}
            </button>
            <Show when=move || saved.get()>
                <span class="saved" id=format!("{id}-saved") role="status">{move || i.t(K::Saved)}</span>
            </Show>
        </div>
    }
}
