//! The inputs rules and processes name fields and values with: a field's `<select>`
//! ([`FieldSelect`]), a value's input — a choice of the field's values when it has a few, else
//! text ([`ValueInput`]) —, a set of fields ticked ([`FieldChecks`]), and the rows of conditions
//! in the list filter language, each a field, an operator the list takes on it and a value
//! ([`ConditionRows`]). Rows are edited in place by position; a 422 names them
//! `conditions[2].value`.

use super::{edit_row, remove_row, Schema};
use crate::form::{FieldErrors, FormErrors};
use crate::i18n::{use_i18n, Wf, K};
use domain::workflow::Condition;
use leptos::prelude::*;

/// An operator's label.
pub fn op_label(op: &str) -> Wf {
    match op {
        "ne" => Wf::OpNe,
        "gt" => Wf::OpGt,
        "gte" => Wf::OpGte,
        "lt" => Wf::OpLt,
        "lte" => Wf::OpLte,
        "in" => Wf::OpIn,
        "contains" => Wf::OpContains,
        _ => Wf::OpEq,
    }
}

/// A `<select>` of `fields` by label; `blank` offers none ("").
#[component]
pub fn FieldSelect(
    schema: Schema,
    #[prop(into)] fields: Signal<Vec<String>>,
    #[prop(into)] value: Signal<String>,
    on_change: Callback<String>,
    #[prop(optional, into)] id: Option<String>,
    #[prop(optional, into)] class: Option<String>,
    #[prop(optional, into)] blank: Option<K>,
    #[prop(optional)] disabled: bool,
) -> impl IntoView {
    let i = use_i18n();
    let options = move || {
        let mut names = fields.get();
        let current = value.get();
        if !current.is_empty() && !names.contains(&current) {
            names.push(current);
        }
        names
            .into_iter()
            .map(|f| {
                let (sel, name) = (f.clone(), f.clone());
                view! {
                    <option value=f selected=move || value.get() == sel>
                        {move || schema.label(&name, i)}
                    </option>
                }
            })
            .collect_view()
    };
    view! {
        <select
            id=id
            class=class
            disabled=disabled
            aria-label=move || i.t(K::Field)
            prop:value=move || value.get()
            on:change=move |ev| on_change.run(event_target_value(&ev))
        >
            <option value="" selected=move || value.with(String::is_empty)>
                {move || i.t(blank.unwrap_or(Wf::ChooseField.into()))}
            </option>
            {options}
        </select>
    }
}

/// The value of `field`: its choices when it has a few (and `free` is off), else text.
#[component]
pub fn ValueInput(
    schema: Schema,
    #[prop(into)] field: Signal<String>,
    #[prop(into)] value: Signal<String>,
    on_change: Callback<String>,
    #[prop(optional, into)] class: Option<String>,
    /// Text even where the field has choices (`in`: several values).
    #[prop(optional, into)]
    free: Signal<bool>,
    #[prop(optional)] disabled: bool,
) -> impl IntoView {
    let i = use_i18n();
    let class = StoredValue::new(class.unwrap_or_default());
    move || {
        let choices = (!free.get())
            .then(|| schema.choices(&field.get(), i))
            .flatten();
        match choices {
            Some(choices) => view! {
                <select
                    class=class.get_value()
                    disabled=disabled
                    aria-label=move || i.t(Wf::Value)
                    prop:value=move || value.get()
                    on:change=move |ev| on_change.run(event_target_value(&ev))
                >
                    <option value="">{move || i.t(K::None)}</option>
                    {choices.into_iter().map(|(key, label)| {
                        let sel = key.clone();
                        view! { <option value=key selected=move || value.get() == sel>{label}</option> }
                    }).collect_view()}
                </select>
            }
            .into_any(),
            None => view! {
                <input
                    type="text"
                    class=class.get_value()
                    disabled=disabled
                    aria-label=move || i.t(Wf::Value)
                    prop:value=move || value.get()
                    on:input=move |ev| on_change.run(event_target_value(&ev))
                />
            }
            .into_any(),
        }
    }
}

/// A set of fields, each ticked or not; `value` keeps the order of `fields`.
#[component]
pub fn FieldChecks(
    schema: Schema,
    #[prop(into)] fields: Signal<Vec<String>>,
    value: RwSignal<Vec<String>>,
    #[prop(into)] id: String,
    #[prop(optional)] disabled: bool,
) -> impl IntoView {
    let i = use_i18n();
    let toggle = move |f: String, on: bool| {
        let order = fields.get_untracked();
        value.update(|v| {
            v.retain(|x| *x != f);
            if on {
                v.push(f);
            }
            v.sort_by_key(|x| order.iter().position(|o| o == x));
        });
    };
    view! {
        <div class="kind-choices field-checks" id=id>
            {move || fields.get().into_iter().map(|f| {
                let (name, has, on) = (f.clone(), f.clone(), f.clone());
                view! {
                    <label class="kind-choice">
                        <input
                            type="checkbox"
                            data-field=f.clone()
                            disabled=disabled
                            prop:checked=move || value.with(|v| v.contains(&has))
                            on:change=move |ev| toggle(on.clone(), event_target_checked(&ev))
                        />
                        " " {move || schema.label(&name, i)}
                    </label>
                }
            }).collect_view()}
        </div>
    }
}

/// The conditions a record must all match, as rows of field, operator and value.
#[component]
pub fn ConditionRows(
    schema: Schema,
    rows: RwSignal<Vec<Condition>>,
    errors: FormErrors,
    /// The list's name in the API's field errors (`conditions`).
    path: &'static str,
    #[prop(optional)] disabled: bool,
) -> impl IntoView {
    let i = use_i18n();
    let fields = Signal::derive(move || {
        schema
            .filters()
            .into_iter()
            .filter(|f| !f.operators.is_empty())
            .map(|f| f.name)
            .collect::<Vec<_>>()
    });
    let part = move |n: usize, get: fn(&Condition) -> String| {
        Signal::derive(move || rows.with(|v| v.get(n).map(get).unwrap_or_default()))
    };
    let row = move |n: usize| {
        let field = part(n, |c| c.field.clone());
        let op = part(n, |c| c.op.clone().unwrap_or_else(|| "eq".into()));
        let value = part(n, |c| c.value.clone());
        let ops = move || {
            let mut all = schema.operators(&field.get());
            if all.is_empty() {
                all.push("eq".into());
            }
            all
        };
        view! {
            <li class="condition-row" class:invalid=move || errors.has(&format!("{path}[{n}]")) data-index=n>
                <FieldSelect
                    schema
                    fields
                    value=field
                    class="condition-field"
                    disabled
                    on_change=Callback::new(move |f: String| edit_row(rows, n, |c| {
                        c.field = f;
                        c.op = None;
                        c.value.clear();
                    }))
                />
                <select
                    class="condition-op"
                    disabled=disabled
                    aria-label=move || i.t(Wf::Operator)
                    prop:value=move || op.get()
                    on:change=move |ev| {
                        let o = event_target_value(&ev);
                        edit_row(rows, n, |c| c.op = (o != "eq").then_some(o));
                    }
                >
                    {move || ops().into_iter().map(|o| {
                        let sel = o.clone();
                        let label = op_label(&o);
                        view! { <option value=o selected=move || op.get() == sel>{move || i.t(label)}</option> }
                    }).collect_view()}
                </select>
                <ValueInput
                    schema
                    field
                    value
                    class="condition-value"
                    disabled
                    free=Signal::derive(move || !matches!(op.get().as_str(), "eq" | "ne"))
                    on_change=Callback::new(move |v: String| edit_row(rows, n, |c| c.value = v))
                />
                <button
                    type="button"
                    class="link danger remove-condition"
                    disabled=disabled
                    on:click=move |_| remove_row(rows, n)
                >
                    {move || i.t(Wf::Remove)}
                </button>
                <FieldErrors errors field=format!("{path}[{n}]") />
            </li>
        }
    };
    view! {
        <ol class="rule-rows condition-rows" id=format!("f-{path}")>
            <For each=move || 0..rows.with(Vec::len) key=|n| *n children=row />
        </ol>
        <Show when=move || rows.with(Vec::is_empty)>
            <p class="hint">{move || i.t(Wf::NoConditions)}</p>
        </Show>
        <button
            type="button"
            class="add-condition"
            id=format!("add-{path}")
            disabled=disabled
            on:click=move |_| rows.update(|v| v.push(Condition { field: String::new(), op: None, value: String::new() }))
        >
            {move || i.t(Wf::AddCondition)}
        </button>
        <FieldErrors errors field=path exact=true />
    }
}
