//! The record form of any entity: the registry's built-in fields by section, then the
//! organization's custom fields; 422 errors on their fields, the duplicate dialog (409) with
//! "create anyway" where the entity has duplicate keys, `If-Match` on save (only the changed
//! fields are sent) and a reload offer on 412. A new record's fields may be preset from the
//! address (`?account_id=…`, `?category_id=…`).

use super::inputs::{Draft, FieldInputView};
use super::{id_of, label, FormHooks};
use crate::api::records::{changes, etag_of, Resource};
use crate::api::ApiError;
use crate::components::{DuplicateDialog, ErrorNotice, Loading};
use crate::custom::form::{CustomForm, CustomInputs};
use crate::form::{FormErrors, Submit, SubmitNotices};
use crate::i18n::{use_i18n, K};
use domain::registry::fields::Section;
use domain::registry::Entity;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use serde_json::Value;
use uuid::Uuid;

/// The record read for editing: as stored, as the form's request body, and its ETag.
#[derive(Debug, Clone)]
struct Original {
    record: Value,
    body: Value,
    etag: String,
}

/// The sections of an entity's form fields, each with its fields' names, in form order.
fn sections(draft: Draft) -> Vec<(Section, Vec<super::inputs::FieldInput>)> {
    let mut out: Vec<(Section, Vec<_>)> = Vec::new();
    for f in draft.inputs() {
        match out.iter_mut().find(|(s, _)| *s == f.def.section) {
            Some((_, group)) => group.push(f),
            None => out.push((f.def.section, vec![f])),
        }
    }
    out
}

/// Whether the form shows field `name` now: a field an enum value requires (a lead's
/// disqualify reason) only while that value is chosen, and what the entity's form hides not.
fn shown_now(entity: &'static Entity, draft: Draft, hooks: FormHooks, name: &'static str) -> bool {
    let by_value = entity
        .required_by(name)
        .is_none_or(|(field, key)| draft.get(field).is_some_and(|f| f.text.with(|v| v == key)));
    by_value && hooks.shown.is_none_or(|c| c.run((name, draft)))
}

/// The built-in part of the request body; a field the form does not show now is sent empty.
fn built_in(
    entity: &'static Entity,
    draft: Draft,
    hooks: FormHooks,
    errors: FormErrors,
) -> serde_json::Map<String, Value> {
    let mut body = draft.values(errors);
    for f in draft.inputs() {
        if !shown_now(entity, draft, hooks, f.def.name) {
            body.insert(f.def.name.into(), Value::Null);
        }
    }
    body
}

/// Creates (`id` none) or edits a record of `entity` through `resource`; on success goes to
/// `href` of the saved record.
#[component]
pub fn RecordForm(
    entity: &'static Entity,
    resource: Resource<Value>,
    id: Option<Uuid>,
    /// The form's element id (`product-form`).
    form_id: &'static str,
    title: K,
    href: fn(Uuid) -> String,
    list_href: &'static str,
    #[prop(optional)] hooks: FormHooks,
) -> impl IntoView {
    let i = use_i18n();
    let navigate = use_navigate();
    let draft = Draft::new(entity);
    let custom = CustomForm::new(entity.plural, id.is_none());
    let submit = Submit::new();
    let errors = submit.errors;
    let original = RwSignal::new(None::<Original>);
    let load_error = RwSignal::new(None::<ApiError>);
    let shown: Vec<&'static str> = draft
        .inputs()
        .iter()
        .map(|f| f.def.name)
        .chain(["custom"])
        .collect();
    if id.is_none() {
        let query = use_query_map();
        for f in draft.inputs() {
            if let Some(v) = query.read_untracked().get(f.def.name) {
                f.text.set(v);
            }
        }
    }

    let load = move || {
        let Some(id) = id else { return };
        load_error.set(None);
        spawn_local(async move {
            match resource.get(id).await {
                Ok(reply) => {
                    let record = reply.body;
                    draft.fill(&record);
                    if let Some(c) = hooks.fill {
                        c.run((record.clone(), draft));
                    }
                    let stored = record.get("custom").cloned().unwrap_or_default();
                    custom.fill(&serde_json::from_value(stored.clone()).unwrap_or_default());
                    let mut body = built_in(entity, draft, hooks, FormErrors::new());
                    body.insert("custom".into(), stored);
                    let etag = reply.etag.unwrap_or_else(|| etag_of(&record));
                    original.set(Some(Original {
                        record,
                        body: Value::Object(body),
                        etag,
                    }));
                    submit.reset();
                }
                Err(e) => load_error.set(Some(e)),
            }
        });
    };
    load();

    let save = move |force: bool| {
        if !submit.begin() {
            return;
        }
        let mut body = built_in(entity, draft, hooks, errors);
        let values = custom.values(errors);
        if !errors.is_empty_untracked() {
            return submit.end();
        }
        body.insert(
            "custom".into(),
            serde_json::to_value(values).unwrap_or_default(),
        );
        let body = Value::Object(body);
        let navigate = navigate.clone();
        spawn_local(async move {
            let result = match (id, original.get_untracked()) {
                (None, _) => resource.create(&body, force).await.map(|r| r.body),
                (Some(_), None) => return submit.end(),
                (Some(id), Some(o)) => {
                    let patch = changes(&o.body, &body);
                    if patch.as_object().is_some_and(|p| p.is_empty()) {
                        Ok(o.record)
                    } else {
                        resource
                            .update(id, &o.etag, &patch, force)
                            .await
                            .map(|r| r.body)
                    }
                }
            };
            match result {
                Ok(record) => {
                    submit.end();
                    if let Some(saved) = id_of(&record) {
                        navigate(&href(saved), NavigateOptions::default());
                    }
                }
                Err(e) => submit.fail(e),
            }
        });
    };
    let save_on_submit = save.clone();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        save_on_submit(false);
    };
    let cancel_href = id.map(href).unwrap_or_else(|| list_href.to_string());
    let creating = id.is_none();
    let duplicates = !entity.duplicate_keys.is_empty();

    let fields_view = move || {
        sections(draft)
            .into_iter()
            .map(|(section, inputs)| {
                let inputs = inputs
                    .into_iter()
                    .map(|f| {
                        let name = f.def.name;
                        let visible = move || shown_now(entity, draft, hooks, name);
                        view! {
                            <Show when=visible>
                                <FieldInputView f draft errors creating hooks />
                            </Show>
                        }
                    })
                    .collect_view();
                view! {
                    <fieldset class="record-section" data-section=section.key>
                        <legend>{move || label(i, section.label)}</legend>
                        <div class="grid">{inputs}</div>
                    </fieldset>
                }
            })
            .collect_view()
    };

    let form = move || {
        let save = save.clone();
        view! {
            <form class="record-form" id=form_id on:submit=on_submit.clone() novalidate>
                <SubmitNotices submit shown=shown.clone() on_reload=Callback::new(move |_| load()) />
                {fields_view}
                <CustomInputs form=custom errors />
                <div class="actions">
                    <button type="submit" class="primary" id="save" disabled=move || submit.busy.get()>
                        {move || i.t(if submit.busy.get() { K::Saving } else if creating { K::Create } else { K::Save })}
                    </button>
                    <A href=cancel_href.clone() attr:class="button">{move || i.t(K::Cancel)}</A>
                </div>
                {move || {
                    let save = save.clone();
                    submit.duplicates.get().filter(|_| duplicates).map(|candidates| view! {
                        <DuplicateDialog
                            candidates
                            proceed_label=if creating { K::CreateAnyway } else { K::SaveAnyway }
                            on_proceed=Callback::new(move |_| save(true))
                            on_cancel=Callback::new(move |_| submit.duplicates.set(None))
                        />
                    })
                }}
            </form>
        }
    };

    view! {
        <section class=format!("page record-form-page {}-form-page", entity.name)>
            <h1>{move || i.t(title)}</h1>
            {move || match (id, load_error.get(), original.with(Option::is_some)) {
                (Some(_), Some(e), _) => view! { <ErrorNotice error=e on_retry=move |_| load() /> }.into_any(),
                (Some(_), None, false) => view! { <Loading /> }.into_any(),
                _ => form().into_any(),
            }}
        </section>
    }
}
