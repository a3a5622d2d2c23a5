//! Custom fields on the record forms: the organization's active fields, grouped by section in
//! form order, an input per type, required ones marked, each with its help and its errors (a
//! 422 on `custom.<key>` shows on that input). A deactivated field shows read-only when the record
//! has a value. The values go into the request's `custom`: all of them on create, and on edit
//! `records::changes` sends only the keys that changed.

use super::{help_view, label, option_label, sections, value_text, Meta};
use crate::components::{OwnerSelect, RecordPicker};
use crate::form::{opt_text, FieldErrors, FormErrors};
use crate::i18n::{use_i18n, I18n, K};
use crate::session::use_auth;
use domain::custom::{CustomField, CustomValues, FieldType};
use domain::money::Decimal;
use leptos::prelude::*;
use serde_json::{json, Value};
use wasm_bindgen::JsValue;

/// A form's custom values: the fields (from the metadata), the record's stored values and what
/// the inputs hold. The inputs hold values as the API writes them, except that numbers and
/// money amounts stay as typed until [`CustomForm::values`] checks them.
#[derive(Debug, Clone, Copy)]
pub struct CustomForm {
    meta: Meta,
    stored: RwSignal<CustomValues>,
    draft: RwSignal<CustomValues>,
}

impl CustomForm {
    /// For a form of `plural` (`accounts`); a new record's inputs start at the fields' defaults.
    pub fn new(plural: &'static str, creating: bool) -> CustomForm {
        let form = CustomForm {
            meta: Meta::load(plural),
            stored: RwSignal::new(CustomValues::new()),
            draft: RwSignal::new(CustomValues::new()),
        };
        if creating {
            Effect::new(move |_| {
                for f in form.meta.fields().into_iter().filter(|f| f.active) {
                    if let Some(d) = f.default.filter(|d| !d.is_null()) {
                        form.draft.update(|v| {
                            v.entry(f.key).or_insert(d);
                        });
                    }
                }
            });
        }
        form
    }

    /// The record's values, as read for editing.
    pub fn fill(&self, values: &CustomValues) {
        self.stored.set(values.clone());
        self.draft.set(values.clone());
    }

    /// The request's `custom`: the active fields' values from the inputs, and what the form
    /// cannot change (deactivated fields' values) as stored. Amounts that do not parse are
    /// reported on their fields.
    pub fn values(&self, errors: FormErrors) -> CustomValues {
        let mut out = self.stored.get_untracked();
        let draft = self.draft.get_untracked();
        for f in self
            .meta
            .fields_untracked()
            .into_iter()
            .filter(|f| f.active && !f.type_.computed())
        {
            out.remove(&f.key);
            match draft.get(&f.key).map(|v| request_value(f.type_, v)) {
                Some(Ok(Some(v))) => {
                    out.insert(f.key.clone(), v);
                }
                Some(Err(())) => errors.push(&f.path(), "decimal", "not a number"),
                Some(Ok(None)) | None => {}
            }
        }
        out
    }

    fn text(&self, key: &str) -> String {
        self.draft.with(|d| {
            d.get(key)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        })
    }

    fn part(&self, key: &str, part: &str) -> Option<String> {
        self.draft.with(|d| {
            d.get(key)
                .and_then(|v| v.get(part))
                .and_then(Value::as_str)
                .map(str::to_string)
        })
    }

    fn set(&self, key: &str, v: Value) {
        self.draft.update(|d| {
            d.insert(key.to_string(), v);
        });
    }

    /// A signal mirroring a text value both ways (for inputs that take a signal).
    fn text_signal(&self, key: &str) -> RwSignal<String> {
        let form = *self;
        let local = RwSignal::new(self.text(key));
        let (k1, k2) = (key.to_string(), key.to_string());
        Effect::new(move |_| {
            let v = form.text(&k1);
            if local.get_untracked() != v {
                local.set(v);
            }
        });
        Effect::new(move |_| {
            let v = local.get();
            if form
                .draft
                .with_untracked(|d| d.get(&k2).and_then(Value::as_str) != Some(&v))
            {
                form.set(&k2, Value::String(v));
            }
        });
        local
    }
}

impl Meta {
    fn fields_untracked(&self) -> Vec<CustomField> {
        self.data
            .with_untracked(|m| m.as_ref().map(|m| m.custom_fields.clone()))
            .unwrap_or_default()
    }
}

/// An input's value as the request carries it; `None` for empty, `Err` for an amount that is
/// not a number.
fn request_value(t: FieldType, v: &Value) -> Result<Option<Value>, ()> {
    let amount = |s: &str| -> Result<Option<String>, ()> {
        let plain: String = s
            .chars()
            .filter(|c| !matches!(c, ',' | '，' | ' '))
            .collect();
        match plain.as_str() {
            "" => Ok(None),
            p => p
                .parse::<Decimal>()
                .map(|_| Some(p.to_string()))
                .map_err(|_| ()),
        }
    };
    Ok(match (t, v) {
        (FieldType::Boolean, Value::Bool(_)) => Some(v.clone()),
        (FieldType::MultiPicklist, Value::Array(keys)) => (!keys.is_empty()).then(|| v.clone()),
        (FieldType::Number, Value::String(s)) => amount(s)?.map(Value::String),
        (FieldType::Money, Value::Object(m)) => {
            let typed = m.get("amount").and_then(Value::as_str).unwrap_or_default();
            let currency = m.get("currency").and_then(Value::as_str).unwrap_or("CNY");
            amount(typed)?.map(|a| json!({"amount": a, "currency": currency.trim().to_uppercase()}))
        }
        (_, Value::String(s)) => opt_text(s).map(Value::String),
        _ => None,
    })
}

/// A stored time (RFC 3339) as a `datetime-local` input's value, in the browser's time zone.
fn local_input(rfc3339: &str) -> String {
    let d = js_sys::Date::new(&JsValue::from_str(rfc3339));
    if rfc3339.is_empty() || d.get_time().is_nan() {
        return String::new();
    }
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}

/// A `datetime-local` value (the browser's time zone) as an RFC 3339 time in UTC.
fn from_local_input(local: &str) -> String {
    let d = js_sys::Date::new(&JsValue::from_str(local));
    if local.is_empty() || d.get_time().is_nan() {
        return String::new();
    }
    String::from(d.to_iso_string())
}

/// The custom fields of a record form, after its built-in fields (which have no section).
#[component]
pub fn CustomInputs(form: CustomForm, errors: FormErrors) -> impl IntoView {
    let sections_view = move || {
        if let Some(e) = form.meta.error.get() {
            return view! { <crate::components::ErrorNotice error=e /> }.into_any();
        }
        let stored = form.stored.get();
        let shown: Vec<CustomField> = form
            .meta
            .fields()
            .into_iter()
            .filter(|f| {
                (f.active && !f.type_.computed())
                    || stored.get(&f.key).is_some_and(|v| !v.is_null())
            })
            .collect();
        sections(shown)
            .into_iter()
            .map(|(section, fields)| {
                let inputs = fields
                    .into_iter()
                    .map(|f| view! { <CustomInput form f errors /> })
                    .collect_view();
                match section {
                    None => view! { <div class="grid custom-fields">{inputs}</div> }.into_any(),
                    Some(s) => view! {
                        <fieldset class="custom-section" data-section=s.clone()>
                            <legend>{s.clone()}</legend>
                            <div class="grid custom-fields">{inputs}</div>
                        </fieldset>
                    }
                    .into_any(),
                }
            })
            .collect_view()
            .into_any()
    };
    view! { <div class="custom-inputs">{sections_view}</div> }
}

/// One field: its label (marked when required), its input, its help and its errors.
#[component]
fn CustomInput(form: CustomForm, f: CustomField, errors: FormErrors) -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    let path = f.path();
    let id = format!("f-custom-{}", f.key);
    let input = if f.active && !f.type_.computed() {
        input_view(form, &f, id.clone(), i)
    } else {
        // Deactivated or computed: the value stays as it is (the server keeps computed ones).
        let f2 = f.clone();
        let key = f.key.clone();
        let badge = if f.active { K::Computed } else { K::Inactive };
        view! {
            <p class="readonly" id=id.clone()>
                {move || value_text(&f2, form.stored.with(|s| s.get(&key).cloned()).as_ref(), i, auth)}
                " "
                <span class="badge">{move || i.t(badge)}</span>
            </p>
        }
        .into_any()
    };
    let (invalid_path, data_field) = (path.clone(), path.clone());
    let name = f.clone();
    view! {
        <div
            class="field custom-field"
            class:invalid=move || errors.has(&invalid_path)
            data-field=data_field
            data-type=f.type_.as_str()
        >
            <label for=id>
                {move || label(&name, i)}
                {f.required.then(|| view! { <span class="required" title=move || i.t(K::Required)>" *"</span> })}
            </label>
            {input}
            {help_view(&f, i)}
            <FieldErrors errors field=path />
        </div>
    }
}

/// The input of an active field, by type.
fn input_view(form: CustomForm, f: &CustomField, id: String, i: I18n) -> AnyView {
    let key = f.key.clone();
    let required = f.required;
    let text_input = |kind: &'static str, mode: Option<&'static str>| {
        let (k1, k2) = (key.clone(), key.clone());
        view! {
            <input
                id=id.clone()
                type=kind
                inputmode=mode
                aria-required=required.to_string()
                prop:value=move || form.text(&k1)
                on:input=move |ev| form.set(&k2, Value::String(event_target_value(&ev)))
            />
        }
        .into_any()
    };
    match f.type_ {
        FieldType::Text => text_input("text", None),
        FieldType::Email => text_input("email", None),
        FieldType::Phone => text_input("tel", None),
        FieldType::Url => text_input("url", None),
        FieldType::Number => text_input("text", Some("decimal")),
        FieldType::Date => text_input("date", None),
        FieldType::LongText => {
            let (k1, k2) = (key.clone(), key.clone());
            view! {
                <textarea
                    id=id
                    rows="3"
                    aria-required=required.to_string()
                    prop:value=move || form.text(&k1)
                    on:input=move |ev| form.set(&k2, Value::String(event_target_value(&ev)))
                ></textarea>
            }
            .into_any()
        }
        FieldType::Datetime => {
            let (k1, k2) = (key.clone(), key.clone());
            view! {
                <input
                    id=id
                    type="datetime-local"
                    aria-required=required.to_string()
                    prop:value=move || local_input(&form.text(&k1))
                    on:input=move |ev| {
                        form.set(&k2, Value::String(from_local_input(&event_target_value(&ev))))
                    }
                />
            }
            .into_any()
        }
        FieldType::Money => {
            let (k1, k2, k3, k4) = (key.clone(), key.clone(), key.clone(), key.clone());
            let set = move |k: &str, amount: Option<String>, currency: Option<String>| {
                let amount = amount
                    .or_else(|| form.part(k, "amount"))
                    .unwrap_or_default();
                let currency = currency
                    .or_else(|| form.part(k, "currency"))
                    .unwrap_or_else(|| "CNY".to_string());
                form.set(k, json!({"amount": amount, "currency": currency}));
            };
            view! {
                <div class="money-input">
                    <input
                        id=id.clone()
                        type="text"
                        inputmode="decimal"
                        aria-required=required.to_string()
                        prop:value=move || form.part(&k1, "amount").unwrap_or_default()
                        on:input=move |ev| set(&k2, Some(event_target_value(&ev)), None)
                    />
                    <input
                        id=format!("{id}-currency")
                        type="text"
                        maxlength="3"
                        aria-label=move || i.t(K::Currency)
                        prop:value=move || form.part(&k3, "currency").unwrap_or_else(|| "CNY".into())
                        on:input=move |ev| set(&k4, None, Some(event_target_value(&ev)))
                    />
                </div>
            }
            .into_any()
        }
        FieldType::Boolean => {
            let (k1, k2) = (key.clone(), key.clone());
            view! {
                <input
                    id=id
                    type="checkbox"
                    prop:checked=move || form.draft.with(|d| d.get(&k1).and_then(Value::as_bool).unwrap_or(false))
                    on:change=move |ev| form.set(&k2, Value::Bool(event_target_checked(&ev)))
                />
            }
            .into_any()
        }
        FieldType::Picklist => {
            let f = f.clone();
            let (k1, k2) = (key.clone(), key.clone());
            let options = move || {
                let current = form.text(&k1);
                f.options
                    .iter()
                    .filter(|o| o.active || o.key == current)
                    .map(|o| {
                        let (k, value) = (o.key.clone(), o.key.clone());
                        let (f, selected) = (f.clone(), current == o.key);
                        view! {
                            <option value=value selected=selected>
                                {move || option_label(&f, &k, i.locale())}
                            </option>
                        }
                    })
                    .collect_view()
            };
            let k3 = key.clone();
            view! {
                <select
                    id=id
                    aria-required=required.to_string()
                    prop:value=move || form.text(&k3)
                    on:change=move |ev| form.set(&k2, Value::String(event_target_value(&ev)))
                >
                    <option value="">{move || i.t(K::None)}</option>
                    {options}
                </select>
            }
            .into_any()
        }
        FieldType::MultiPicklist => {
            let f = f.clone();
            let chosen = move |k: &str| {
                form.draft.with(|d| {
                    d.get(k)
                        .and_then(Value::as_array)
                        .map(|a| {
                            a.iter()
                                .filter_map(Value::as_str)
                                .map(str::to_string)
                                .collect()
                        })
                        .unwrap_or_else(Vec::<String>::new)
                })
            };
            let key2 = key.clone();
            let boxes = move || {
                let now = chosen(&key2);
                f.options
                    .iter()
                    .filter(|o| o.active || now.contains(&o.key))
                    .map(|o| {
                        let (f, ok, field) = (f.clone(), o.key.clone(), key2.clone());
                        let checked = now.contains(&o.key);
                        let toggle = {
                            let (ok, field) = (ok.clone(), field.clone());
                            move |on: bool| {
                                let mut keys = chosen(&field);
                                keys.retain(|k| *k != ok);
                                if on {
                                    keys.push(ok.clone());
                                }
                                form.set(&field, json!(keys));
                            }
                        };
                        view! {
                            <label class="option">
                                <input
                                    type="checkbox"
                                    value=ok.clone()
                                    prop:checked=checked
                                    on:change=move |ev| toggle(event_target_checked(&ev))
                                />
                                " " {move || option_label(&f, &ok, i.locale())}
                            </label>
                        }
                    })
                    .collect_view()
            };
            view! { <div class="multi-options" id=id role="group">{boxes}</div> }.into_any()
        }
        FieldType::User => {
            let value = form.text_signal(&key);
            view! { <OwnerSelect id value blank_is_me=false blank=K::None /> }.into_any()
        }
        FieldType::Lookup => {
            let value = form.text_signal(&key);
            let path = format!("/{}", f.target.clone().unwrap_or_default());
            view! { <RecordPicker id api_path=path value /> }.into_any()
        }
        // Never an input: `CustomInput` shows computed values read-only.
        FieldType::Formula | FieldType::Rollup => view! { <span id=id></span> }.into_any(),
    }
}
