//! What a record form's built-in inputs hold ([`Draft`]): each field the registry describes as
//! typed, read from a record's JSON and turned back into a request body; and each field's input
//! by its [`Input`], its id `f-{name}` (the money's currency is `f-currency`).

use super::{label, FormHooks};
use crate::components::{OwnerSelect, PicklistSelect, RecordPicker, RegionPicker};
use crate::form::{opt_text, split_list, FieldErrors, FormErrors};
use crate::i18n::{use_i18n, K};
use domain::money::{Decimal, Money};
use domain::registry::fields::{FieldDef, Input, Item};
use domain::registry::{self, Entity};
use leptos::prelude::*;
use serde_json::{json, Map, Value};

/// One built-in field's input: its text (the amount, for money), its currency, its checkbox.
#[derive(Debug, Clone, Copy)]
pub struct FieldInput {
    pub def: &'static FieldDef,
    pub text: RwSignal<String>,
    pub currency: RwSignal<String>,
    pub checked: RwSignal<bool>,
}

const CURRENCY: &str = "CNY";

impl FieldInput {
    fn new(def: &'static FieldDef) -> FieldInput {
        let (text, checked) = match def.input {
            Input::Enum(choices) => (choices[0].key.to_string(), false),
            Input::Bool { default } => (String::new(), default),
            _ => (String::new(), false),
        };
        FieldInput {
            def,
            text: RwSignal::new(text),
            currency: RwSignal::new(CURRENCY.to_string()),
            checked: RwSignal::new(checked),
        }
    }

    /// Shows `v`, the record's value of the field.
    fn fill(&self, v: &Value) {
        match (self.def.input, v) {
            (Input::Bool { default }, v) => self.checked.set(v.as_bool().unwrap_or(default)),
            (Input::Money, Value::Object(m)) => {
                self.text
                    .set(m.get("amount").map(plain).unwrap_or_default());
                let currency = m.get("currency").and_then(Value::as_str);
                self.currency.set(currency.unwrap_or(CURRENCY).to_string());
            }
            (Input::Money, _) => {
                self.text.set(String::new());
                self.currency.set(CURRENCY.to_string());
            }
            (Input::Tags | Input::List(_), Value::Array(items)) => self
                .text
                .set(items.iter().map(plain).collect::<Vec<_>>().join(", ")),
            (_, v) => self.text.set(plain(v)),
        }
    }

    /// The field's request value; one that does not parse is reported on the field instead.
    fn value(&self, errors: FormErrors) -> Value {
        let def = self.def;
        let text = self.text.get_untracked();
        let opt = opt_text(&text);
        match def.input {
            Input::Bool { .. } => Value::Bool(self.checked.get_untracked()),
            Input::Tags | Input::List(_) => json!(split_list(&text)),
            Input::Enum(_) => Value::String(text),
            // A required reference is reported here: the API cannot read a body without it.
            Input::Reference(_) if def.required => match text.trim().parse::<uuid::Uuid>() {
                Ok(id) => json!(id),
                Err(_) => {
                    errors.push(def.name, "required", "required");
                    Value::Null
                }
            },
            Input::Integer => match opt.map(|s| s.replace([',', '，'], "").parse::<i64>()) {
                None => Value::Null,
                Some(Ok(n)) => json!(n),
                Some(Err(_)) => {
                    errors.push(def.name, "integer", "not a whole number");
                    Value::Null
                }
            },
            Input::Money => match opt.map(|s| s.replace([',', '，'], "").parse::<Decimal>()) {
                None => Value::Null,
                Some(Ok(amount)) => serde_json::to_value(Money {
                    amount,
                    currency: self.currency.get_untracked().trim().to_uppercase(),
                })
                .unwrap_or_default(),
                Some(Err(_)) => {
                    errors.push(&format!("{}.amount", def.name), "decimal", "not a number");
                    Value::Null
                }
            },
            // A required text is sent as typed, so that the server names what is missing.
            _ if def.required && matches!(def.input, Input::Text { .. }) => {
                Value::String(text.trim().to_string())
            }
            _ => opt.map(Value::String).unwrap_or(Value::Null),
        }
    }
}

/// A JSON value as an input shows it: strings as they are, numbers as written, none empty.
fn plain(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        v => v.to_string(),
    }
}

/// The built-in inputs of an entity's form, in the registry's order (read-only fields aside).
#[derive(Debug, Clone, Copy)]
pub struct Draft {
    fields: StoredValue<Vec<FieldInput>>,
}

impl Draft {
    pub fn new(entity: &'static Entity) -> Draft {
        let fields = entity
            .fields
            .iter()
            .filter(|f| !f.read_only)
            .map(FieldInput::new)
            .collect();
        Draft {
            fields: StoredValue::new(fields),
        }
    }

    pub fn inputs(&self) -> Vec<FieldInput> {
        self.fields.get_value()
    }

    /// The input of the field `name`.
    pub fn get(&self, name: &str) -> Option<FieldInput> {
        self.fields
            .with_value(|f| f.iter().find(|f| f.def.name == name).copied())
    }

    /// Shows a record (its JSON).
    pub fn fill(&self, record: &Value) {
        for f in self.inputs() {
            f.fill(record.get(f.def.name).unwrap_or(&Value::Null));
        }
    }

    /// The built-in fields of the request body.
    pub fn values(&self, errors: FormErrors) -> Map<String, Value> {
        self.inputs()
            .into_iter()
            .map(|f| (f.def.name.to_string(), f.value(errors)))
            .collect()
    }
}

/// One built-in field: its label, its input, its help and its errors (and what the entity's
/// page adds under it).
#[component]
pub fn FieldInputView(
    f: FieldInput,
    draft: Draft,
    errors: FormErrors,
    creating: bool,
    hooks: FormHooks,
) -> impl IntoView {
    let i = use_i18n();
    let def = f.def;
    let name = def.name;
    let wide = matches!(def.input, Input::LongText { .. });
    let hint = match def.input {
        Input::Tags => Some(K::TagsHint),
        Input::List(_) => Some(K::ListHint),
        Input::Region => Some(K::RegionHint),
        _ => None,
    };
    view! {
        <div
            class="field"
            class:wide=wide
            class:required=def.required
            class:invalid=move || errors.has(name)
            data-field=name
        >
            <label for=format!("f-{name}")>{move || label(i, def.label)}</label>
            {input_view(f, draft, creating, hooks)}
            {def.help.map(|h| view! { <small class="hint">{move || label(i, h)}</small> })}
            {hint.map(|h| view! { <small class="hint">{move || i.t(h)}</small> })}
            <FieldErrors errors field=name />
        </div>
    }
}

fn input_view(f: FieldInput, draft: Draft, creating: bool, hooks: FormHooks) -> AnyView {
    let i = use_i18n();
    let def = f.def;
    let id = format!("f-{}", def.name);
    let value = f.text;
    let max = |m: Option<u16>| m.map(|m| m.to_string());
    match def.input {
        Input::Text { max: m } => view! {
            <input id=id type="text" maxlength=max(m) required=def.required bind:value=value />
        }
        .into_any(),
        Input::LongText { max: m } => {
            view! { <textarea id=id rows="3" maxlength=max(m) bind:value=value></textarea> }
                .into_any()
        }
        Input::Email | Input::List(Item::Email) => {
            view! { <input id=id type="text" inputmode="email" bind:value=value /> }.into_any()
        }
        Input::Phone | Input::List(Item::Phone) => {
            view! { <input id=id type="tel" bind:value=value /> }.into_any()
        }
        Input::Url | Input::Tags | Input::List(Item::Text) => {
            view! { <input id=id type="text" bind:value=value /> }.into_any()
        }
        Input::Integer => {
            view! { <input id=id type="text" inputmode="numeric" bind:value=value /> }.into_any()
        }
        Input::Money => view! {
            <div class="money-input">
                <input id=id type="text" inputmode="decimal" bind:value=value />
                <input id="f-currency" type="text" maxlength="3" aria-label=move || i.t(K::Currency) bind:value=f.currency />
            </div>
        }
        .into_any(),
        Input::Date => view! { <input id=id type="date" bind:value=value /> }.into_any(),
        Input::Bool { .. } => {
            view! { <input id=id type="checkbox" bind:checked=f.checked /> }.into_any()
        }
        Input::Picklist(list) => view! {
            <PicklistSelect id list value blank=K::None />
        }
        .into_any(),
        Input::Enum(choices) => view! {
            <select id=id prop:value=move || value.get() on:change=move |ev| value.set(event_target_value(&ev))>
                {choices
                    .iter()
                    .filter(|c| c.settable || value.get_untracked() == c.key)
                    .map(|c| view! {
                        <option value=c.key selected=move || value.get() == c.key>
                            {move || label(i, c.label)}
                        </option>
                    })
                    .collect_view()}
            </select>
        }
        .into_any(),
        Input::Reference(target) => {
            let path = registry::entity(target)
                .map(|e| format!("/{}", e.plural))
                .unwrap_or_default();
            let scope = hooks.scope.map(|c| c.run((def.name, draft)));
            match scope {
                Some(scope) => view! { <RecordPicker id api_path=path value scope /> }.into_any(),
                None => view! { <RecordPicker id api_path=path value /> }.into_any(),
            }
        }
        // A record read without an owner waits in a customer pool: so the blank says.
        Input::Owner if !creating && value.with_untracked(String::is_empty) => {
            view! { <OwnerSelect id value blank_is_me=false blank=K::InPool /> }.into_any()
        }
        Input::Owner => view! { <OwnerSelect id value blank_is_me=creating /> }.into_any(),
        Input::Region => view! { <RegionPicker value /> }.into_any(),
        Input::Special => match hooks.input {
            Some(c) => c.run((def, value)),
            None => view! { <input id=id type="text" bind:value=value /> }.into_any(),
        },
        Input::DateTime => view! { <span id=id></span> }.into_any(),
    }
}
