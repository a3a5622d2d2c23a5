//! Custom fields (自定义字段, admins): `/admin/custom-fields?entity=accounts`. Per entity that
//! takes custom fields (the registry says which), its fields in form order with their rules and
//! index state; a field is added or edited in [`editor`], moved up or down (its `position`),
//! deactivated and reactivated — never deleted, so stored values keep their meaning. Every
//! change is a PATCH with `If-Match`; a stale one (412) offers to reload.

mod editor;

use crate::api::{self, ApiError};
use crate::components::{ErrorNotice, Loading};
use crate::custom::{entities, label};
use crate::form::{Submit, SubmitNotices};
use crate::i18n::{field_type_label, use_i18n, K};
use crate::registry;
use crate::routes;
use crate::session::use_auth;
use domain::custom::CustomField;
use domain::role::Role;
use editor::FieldEditor;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use serde_json::json;

#[component]
pub fn CustomFieldsPage() -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    let query = use_query_map();
    let plural = Memo::new(move |_| {
        let asked = query.read().get("entity").unwrap_or_default();
        let mut all = entities();
        let first = entities().next().map(|e| e.plural).unwrap_or_default();
        all.find(|e| e.plural == asked)
            .map(|e| e.plural)
            .unwrap_or(first)
    });
    let not_admin = move || {
        auth.me
            .get()
            .flatten()
            .is_some_and(|m| m.user.role != Role::Admin)
    };
    view! {
        <section class="page custom-fields-page">
            <div class="page-head">
                <h1>{move || i.t(K::CustomFieldsTitle)}</h1>
                <A href=routes::SETTINGS attr:class="button">{move || i.t(K::SettingsTitle)}</A>
            </div>
            <p class="hint">{move || i.t(K::CustomFieldsHint)}</p>
            <Show when=not_admin>
                <div class="notice info" id="admin-only">{move || i.t(K::AdminOnly)}</div>
            </Show>
            <nav class="tabs">
                {entities()
                    .map(|e| {
                        view! {
                            <A
                                href=routes::custom_fields_of(e.plural)
                                attr:class=move || if plural.get() == e.plural { "tab active" } else { "tab" }
                                attr:data-entity=e.plural
                            >
                                {move || registry::label(i, e.plural_label)}
                            </A>
                        }
                    })
                    .collect_view()}
            </nav>
            {move || {
                let plural = plural.get();
                view! { <EntityFields plural /> }
            }}
        </section>
    }
}

/// What the editor is open for.
#[derive(Debug, Clone, PartialEq)]
enum Editing {
    New,
    Field(Box<CustomField>),
}

/// The fields of one entity, and the editor.
#[component]
fn EntityFields(plural: &'static str) -> impl IntoView {
    let i = use_i18n();
    let fields = RwSignal::new(None::<Vec<CustomField>>);
    let load_error = RwSignal::new(None::<ApiError>);
    let editing = RwSignal::new(None::<Editing>);
    // The row actions (moves, (de)activation): their failures, a 412 among them.
    let actions = Submit::new();
    let load = move || {
        load_error.set(None);
        spawn_local(async move {
            match api::custom::fields(plural).await {
                Ok(f) => {
                    fields.set(Some(f));
                    actions.reset();
                }
                Err(e) => load_error.set(Some(e)),
            }
        });
    };
    load();

    // Each changed field is one PATCH with its own version; the list is read again after.
    let patch_all = move |changes: Vec<(CustomField, serde_json::Value)>| {
        if changes.is_empty() || !actions.begin() {
            return;
        }
        spawn_local(async move {
            for (f, patch) in changes {
                let etag = api::records::etag_of(&f);
                if let Err(e) = api::custom::update(f.id, &etag, &patch).await {
                    return actions.fail(e);
                }
            }
            actions.end();
            load();
        });
    };
    // A move renumbers the fields in their new order (positions may tie, e.g. after imports).
    let move_field = move |from: usize, to: usize| {
        let Some(mut order) = fields.get_untracked() else {
            return;
        };
        order.swap(from, to);
        let changes = order
            .into_iter()
            .enumerate()
            .filter(|(n, f)| f.position != *n as i32)
            .map(|(n, f)| (f, json!({ "position": n })))
            .collect();
        patch_all(changes);
    };
    let toggle = move |f: CustomField| {
        let patch = json!({ "active": !f.active });
        patch_all(vec![(f, patch)]);
    };
    let saved = Callback::new(move |_: CustomField| {
        editing.set(None);
        load();
    });
    let sections = Signal::derive(move || {
        let mut names = Vec::<String>::new();
        for s in fields
            .get()
            .unwrap_or_default()
            .into_iter()
            .filter_map(|f| f.section)
        {
            if !names.contains(&s) {
                names.push(s);
            }
        }
        names
    });

    let flag = move |on: bool, k: K, class: &'static str| {
        on.then(|| view! { <span class=format!("flag {class}")>{move || i.t(k)}</span> })
    };
    let row = move |index: usize, count: usize, f: CustomField| {
        let (f1, f2, f3) = (f.clone(), f.clone(), f.clone());
        let index_label = match f.index.as_str() {
            "ready" => Some(K::IndexReady),
            "building" => Some(K::IndexBuilding),
            _ => None,
        };
        view! {
            <tr class="custom-field-row" class:inactive=!f.active data-key=f.key.clone() data-position=f.position.to_string()>
                <td data-label=move || i.t(K::FieldLabel)>{move || label(&f1, i)}</td>
                <td data-label=move || i.t(K::PicklistKey)><code>{f.key.clone()}</code></td>
                <td data-label=move || i.t(K::FieldType)>
                    {move || field_type_label(f2.type_, i.locale())}
                    {f2.target.clone().map(|t| format!(" → {t}"))}
                </td>
                <td class="flags" data-label=move || i.t(K::Rules)>
                    {flag(f.required, K::Required, "required")}
                    {flag(f.unique, K::Unique, "unique")}
                    {flag(f.filterable, K::Filterable, "filterable")}
                    {flag(f.searchable, K::Searchable, "searchable")}
                </td>
                <td data-label=move || i.t(K::Section)>{f.section.clone().unwrap_or_else(|| "—".into())}</td>
                <td class="index" data-label=move || i.t(K::IndexState) data-index=f.index.clone()>
                    {move || index_label.map(|k| i.t(k)).unwrap_or("—")}
                </td>
                <td class="state" data-label=move || i.t(K::Status)>
                    {(!f.active).then(|| view! { <span class="badge">{move || i.t(K::Inactive)}</span> })}
                </td>
                <td class="row-actions">
                    <button type="button" class="link move-up" title=move || i.t(K::MoveUp) aria-label=move || i.t(K::MoveUp)
                        disabled=index == 0 on:click=move |_| move_field(index, index - 1)>"↑"</button>
                    <button type="button" class="link move-down" title=move || i.t(K::MoveDown) aria-label=move || i.t(K::MoveDown)
                        disabled={ index + 1 >= count } on:click=move |_| move_field(index, index + 1)>"↓"</button>
                    <button type="button" class="link edit-field" on:click=move |_| editing.set(Some(Editing::Field(Box::new(f3.clone()))))>
                        {move || i.t(K::Edit)}
                    </button>
                    <button type="button" class="link toggle-active" on:click={
                        let f = f.clone();
                        move |_| toggle(f.clone())
                    }>
                        {move || i.t(if f.active { K::Deactivate } else { K::Reactivate })}
                    </button>
                </td>
            </tr>
        }
    };

    let table = move || {
        let list = fields.get().unwrap_or_default();
        if list.is_empty() {
            return view! { <p class="empty" id="no-custom-fields">{move || i.t(K::NoCustomFields)}</p> }.into_any();
        }
        let count = list.len();
        view! {
            <div class="table-wrap">
                <table class="records custom-fields-table" id="custom-fields-table">
                    <thead>
                        <tr>
                            <th>{move || i.t(K::FieldLabel)}</th>
                            <th>{move || i.t(K::PicklistKey)}</th>
                            <th>{move || i.t(K::FieldType)}</th>
                            <th>{move || i.t(K::Rules)}</th>
                            <th>{move || i.t(K::Section)}</th>
                            <th>{move || i.t(K::IndexState)}</th>
                            <th>{move || i.t(K::Status)}</th>
                            <th></th>
                        </tr>
                    </thead>
                    <tbody>
                        {list.into_iter().enumerate().map(|(n, f)| row(n, count, f)).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };

    view! {
        <section class="panel" id="custom-fields" data-entity=plural>
            {move || match (load_error.get(), fields.with(Option::is_some)) {
                (Some(e), _) => view! { <ErrorNotice error=e on_retry=move |_| load() /> }.into_any(),
                (None, false) => view! { <Loading /> }.into_any(),
                (None, true) => view! {
                    <SubmitNotices submit=actions shown=&[] on_reload=Callback::new(move |_| load()) />
                    {table}
                }
                .into_any(),
            }}
            {move || match editing.get() {
                None => view! {
                    <button type="button" class="primary" id="new-field" on:click=move |_| editing.set(Some(Editing::New))>
                        {move || i.t(K::AddField)}
                    </button>
                }
                .into_any(),
                Some(e) => {
                    let field = match e {
                        Editing::New => None,
                        Editing::Field(f) => Some(*f),
                    };
                    view! {
                        <FieldEditor
                            plural
                            field
                            sections
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
}
