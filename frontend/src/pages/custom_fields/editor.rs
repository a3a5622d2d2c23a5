//! Adding or editing one custom field: key and type (fixed once saved), labels and help in both
//! languages, the form section, and the inputs the type takes — options for picklists, the
//! target of a lookup, bounds of numbers and money, length bounds of text — and whether it is
//! required, unique, filterable and searchable; a formula's expression, a roll-up's source,
//! function, field and filter. A 422 shows on its input; an edit sends only
//! what changed, with `If-Match`, and a 412 offers to reload the field.

use crate::api;
use crate::components::{ValueListEditor, ValueRows};
use crate::custom::lookup_targets;
use crate::form::{opt_text, FormErrors, FormField, Submit, SubmitNotices};
use crate::i18n::{field_type_label, use_i18n, K};
use crate::registry;
use domain::custom::{CustomField, CustomFieldInput, FieldType, Rollup, RollupFunction};
use domain::metadata::Names;
use domain::money::Decimal;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The parts of a definition the editor shows (errors of others go to the summary).
const SHOWN: &[&str] = &[
    "key",
    "type",
    "label",
    "help",
    "target",
    "min",
    "max",
    "min_length",
    "max_length",
    "options",
    "formula",
    "rollup",
    "rollup.source",
    "rollup.field",
    "rollup.filter",
    "section",
    "required",
    "unique",
    "filterable",
    "searchable",
];

/// Types whose values quick search and global search may match (the API refuses others).
fn searchable_type(t: FieldType) -> bool {
    matches!(
        t,
        FieldType::Text
            | FieldType::LongText
            | FieldType::Email
            | FieldType::Phone
            | FieldType::Url
    )
}

/// Types with length bounds.
fn has_length(t: FieldType) -> bool {
    matches!(t, FieldType::Text | FieldType::LongText | FieldType::Url)
}

fn is_picklist(t: FieldType) -> bool {
    matches!(t, FieldType::Picklist | FieldType::MultiPicklist)
}

/// What the inputs hold, as typed.
#[derive(Debug, Clone, Copy)]
struct Draft {
    key: RwSignal<String>,
    type_: RwSignal<FieldType>,
    label_zh: RwSignal<String>,
    label_en: RwSignal<String>,
    help_zh: RwSignal<String>,
    help_en: RwSignal<String>,
    section: RwSignal<String>,
    target: RwSignal<String>,
    min: RwSignal<String>,
    max: RwSignal<String>,
    min_length: RwSignal<String>,
    max_length: RwSignal<String>,
    required: RwSignal<bool>,
    unique: RwSignal<bool>,
    filterable: RwSignal<bool>,
    searchable: RwSignal<bool>,
    options: ValueRows,
    formula: RwSignal<String>,
    rollup_source: RwSignal<String>,
    rollup_function: RwSignal<String>,
    rollup_field: RwSignal<String>,
    rollup_filter: RwSignal<String>,
}

/// The aggregates a roll-up offers, by their API names.
const FUNCTIONS: [(RollupFunction, &str); 4] = [
    (RollupFunction::Sum, "sum"),
    (RollupFunction::Count, "count"),
    (RollupFunction::Min, "min"),
    (RollupFunction::Max, "max"),
];

/// The collections a roll-up may aggregate: those that point to an account (the API names them
/// in its 422 otherwise).
fn rollup_sources() -> impl Iterator<Item = &'static domain::registry::Entity> {
    domain::registry::joining(|j| j.custom_fields && j.timeline)
        .filter(|e| e.plural != ROLLUP_TARGET)
}

/// The entity roll-up fields are on.
const ROLLUP_TARGET: &str = "accounts";

impl Draft {
    fn new() -> Draft {
        let s = || RwSignal::new(String::new());
        let b = || RwSignal::new(false);
        Draft {
            key: s(),
            type_: RwSignal::new(FieldType::Text),
            label_zh: s(),
            label_en: s(),
            help_zh: s(),
            help_en: s(),
            section: s(),
            target: RwSignal::new(
                lookup_targets()
                    .next()
                    .map(|e| e.plural)
                    .unwrap_or_default()
                    .to_string(),
            ),
            min: s(),
            max: s(),
            min_length: s(),
            max_length: s(),
            required: b(),
            unique: b(),
            filterable: b(),
            searchable: b(),
            options: ValueRows::new(),
            formula: s(),
            rollup_source: RwSignal::new("opportunities".to_string()),
            rollup_function: RwSignal::new("sum".to_string()),
            rollup_field: s(),
            rollup_filter: s(),
        }
    }

    fn fill(&self, f: &CustomField) {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let num = |v: Option<String>| v.unwrap_or_default();
        self.key.set(f.key.clone());
        self.type_.set(f.type_);
        self.label_zh.set(f.label.zh.clone());
        self.label_en.set(f.label.en.clone());
        self.help_zh
            .set(f.help.as_ref().map(|h| h.zh.clone()).unwrap_or_default());
        self.help_en
            .set(f.help.as_ref().map(|h| h.en.clone()).unwrap_or_default());
        self.section.set(text(&f.section));
        self.target.set(text(&f.target));
        self.min.set(num(f.min.as_ref().map(Decimal::to_string)));
        self.max.set(num(f.max.as_ref().map(Decimal::to_string)));
        self.min_length
            .set(num(f.min_length.map(|n| n.to_string())));
        self.max_length
            .set(num(f.max_length.map(|n| n.to_string())));
        self.required.set(f.required);
        self.unique.set(f.unique);
        self.filterable.set(f.filterable);
        self.searchable.set(f.searchable);
        self.options.set(f.options.clone());
        self.formula.set(text(&f.formula));
        if let Some(r) = &f.rollup {
            self.rollup_source.set(r.source.clone());
            let name = FUNCTIONS.iter().find(|(x, _)| *x == r.function);
            self.rollup_function
                .set(name.map_or("sum", |(_, n)| n).to_string());
            self.rollup_field.set(text(&r.field));
            self.rollup_filter.set(text(&r.filter));
        }
    }

    /// The roll-up as edited (roll-up fields only).
    fn rollup(&self, t: FieldType) -> Option<Rollup> {
        if t != FieldType::Rollup {
            return None;
        }
        let chosen = self.rollup_function.get_untracked();
        let function = FUNCTIONS
            .iter()
            .find(|(_, n)| *n == chosen)
            .map_or(RollupFunction::Sum, |(f, _)| *f);
        Some(Rollup {
            source: self.rollup_source.get_untracked(),
            function,
            field: opt_text(&self.rollup_field.get_untracked()),
            filter: opt_text(&self.rollup_filter.get_untracked()),
        })
    }

    /// The definition as edited (`before`: the stored field, whose fixed parts stay); bounds
    /// that do not parse are reported on their inputs instead.
    fn input(
        &self,
        plural: &str,
        before: Option<&CustomField>,
        errors: FormErrors,
    ) -> Option<CustomFieldInput> {
        let t = before.map_or(self.type_.get_untracked(), |b| b.type_);
        let decimal = |field: &str, s: RwSignal<String>| {
            let v = opt_text(&s.get_untracked())?;
            v.parse::<Decimal>()
                .map_err(|_| errors.push(field, "decimal", "not a number"))
                .ok()
        };
        let int = |field: &str, s: RwSignal<String>| {
            let v = opt_text(&s.get_untracked())?;
            v.parse::<i32>()
                .map_err(|_| errors.push(field, "integer", "not a whole number"))
                .ok()
        };
        let numeric = matches!(t, FieldType::Number | FieldType::Money);
        let (min, max) = if numeric {
            (decimal("min", self.min), decimal("max", self.max))
        } else {
            (None, None)
        };
        let (min_length, max_length) = if has_length(t) {
            (
                int("min_length", self.min_length),
                int("max_length", self.max_length),
            )
        } else {
            (None, None)
        };
        if !errors.is_empty_untracked() {
            return None;
        }
        let help = match (
            opt_text(&self.help_zh.get_untracked()),
            opt_text(&self.help_en.get_untracked()),
        ) {
            (None, None) => None,
            (zh, en) => Some(Names {
                zh: zh.unwrap_or_default(),
                en: en.unwrap_or_default(),
            }),
        };
        Some(CustomFieldInput {
            entity: plural.to_string(),
            key: before.map_or_else(
                || self.key.get_untracked().trim().to_string(),
                |b| b.key.clone(),
            ),
            type_: t,
            label: Names {
                zh: self.label_zh.get_untracked().trim().to_string(),
                en: self.label_en.get_untracked().trim().to_string(),
            },
            help,
            required: self.required.get_untracked(),
            unique: self.unique.get_untracked() && t.can_be_unique(),
            default: before.and_then(|b| b.default.clone()),
            min,
            max,
            min_length,
            max_length,
            options: if is_picklist(t) {
                self.options.values()
            } else {
                Vec::new()
            },
            target: match (t, before) {
                (FieldType::Lookup, Some(b)) => b.target.clone(),
                (FieldType::Lookup, None) => opt_text(&self.target.get_untracked()),
                _ => None,
            },
            formula: if t == FieldType::Formula {
                opt_text(&self.formula.get_untracked())
            } else {
                None
            },
            rollup: self.rollup(t),
            section: opt_text(&self.section.get_untracked()),
            position: before.map(|b| b.position),
            filterable: self.filterable.get_untracked() && t.filterable(),
            searchable: self.searchable.get_untracked() && searchable_type(t),
            active: before.is_none_or(|b| b.active),
        })
    }
}

/// The editor of a new field (`field: None`) or of a stored one.
#[component]
pub fn FieldEditor(
    plural: &'static str,
    field: Option<CustomField>,
    /// The entity's form sections so far, offered as suggestions.
    sections: Signal<Vec<String>>,
    on_saved: Callback<CustomField>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let i = use_i18n();
    let draft = Draft::new();
    let submit = Submit::new();
    let errors = submit.errors;
    let editing = field.is_some();
    // The version read, whose ETag an edit sends.
    let stored = RwSignal::new(field);
    if let Some(f) = stored.get_untracked() {
        draft.fill(&f);
    }
    let reload = move || {
        let Some(f) = stored.get_untracked() else {
            return;
        };
        spawn_local(async move {
            match api::custom::get(f.id).await {
                Ok(reply) => {
                    draft.fill(&reply.body);
                    stored.set(Some(reply.body));
                    submit.reset();
                }
                Err(e) => submit.fail(e),
            }
        });
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if !submit.begin() {
            return;
        }
        let before = stored.get_untracked();
        let Some(input) = draft.input(plural, before.as_ref(), errors) else {
            return submit.end();
        };
        spawn_local(async move {
            let result = match before {
                None => api::custom::create(&input).await.map(|r| r.body),
                Some(f) => {
                    let patch = api::records::changes(&CustomFieldInput::from_field(&f), &input);
                    if patch.as_object().is_some_and(|p| p.is_empty()) {
                        Ok(f)
                    } else {
                        let etag = api::records::etag_of(&f);
                        api::custom::update(f.id, &etag, &patch)
                            .await
                            .map(|r| r.body)
                    }
                }
            };
            match result {
                Ok(f) => {
                    submit.end();
                    on_saved.run(f);
                }
                Err(e) => submit.fail(e),
            }
        });
    };

    let t = move || draft.type_.get();
    // Roll-ups aggregate an account's related records: offered on accounts only.
    let type_options = FieldType::ALL
        .into_iter()
        .filter(|ft| *ft != FieldType::Rollup || plural == ROLLUP_TARGET)
        .map(|ft| {
            view! {
                <option value=ft.as_str() selected=move || draft.type_.get() == ft>
                    {move || field_type_label(ft, i.locale())}
                </option>
            }
        })
        .collect_view();
    let target_options = move || {
        lookup_targets()
            .map(|e| {
                view! {
                    <option value=e.plural selected=move || draft.target.get() == e.plural>
                        {move || registry::label(i, e.plural_label)}
                    </option>
                }
            })
            .collect_view()
    };
    let source_options = move || {
        rollup_sources()
            .map(|e| {
                view! {
                    <option value=e.plural selected=move || draft.rollup_source.get() == e.plural>
                        {move || registry::label(i, e.plural_label)}
                    </option>
                }
            })
            .collect_view()
    };
    let function_options = move || {
        FUNCTIONS
            .into_iter()
            .map(|(f, name)| {
                view! {
                    <option value=name selected=move || draft.rollup_function.get() == name>
                        {move || i.t(match f {
                            RollupFunction::Sum => K::RollupSum,
                            RollupFunction::Count => K::RollupCount,
                            RollupFunction::Min => K::RollupMin,
                            RollupFunction::Max => K::RollupMax,
                        })}
                    </option>
                }
            })
            .collect_view()
    };
    let check = |id: &'static str, value: RwSignal<bool>| {
        view! { <input id=id type="checkbox" bind:checked=value /> }
    };

    view! {
        <form class="record-form field-editor" id="field-editor" on:submit=on_submit novalidate>
            <h2>{move || i.t(if editing { K::EditField } else { K::AddField })}</h2>
            <SubmitNotices submit shown=SHOWN on_reload=Callback::new(move |_| reload()) />
            <div class="grid">
                <FormField label=K::PicklistKey field="key" errors hint=K::FieldKeyHint>
                    <input id="f-key" type="text" maxlength="40" disabled=editing bind:value=draft.key />
                </FormField>
                <FormField label=K::FieldType field="type" errors>
                    <select
                        id="f-type"
                        disabled=editing
                        on:change=move |ev| {
                            if let Some(ft) = FieldType::parse(&event_target_value(&ev)) {
                                draft.type_.set(ft);
                            }
                        }
                    >
                        {type_options}
                    </select>
                </FormField>
                <FormField label=K::LabelZh field="label.zh" errors>
                    <input id="f-label.zh" type="text" maxlength="60" bind:value=draft.label_zh />
                </FormField>
                <FormField label=K::LabelEn field="label.en" errors>
                    <input id="f-label.en" type="text" maxlength="60" bind:value=draft.label_en />
                </FormField>
                <FormField label=K::HelpZh field="help.zh" errors>
                    <input id="f-help.zh" type="text" maxlength="500" bind:value=draft.help_zh />
                </FormField>
                <FormField label=K::HelpEn field="help.en" errors>
                    <input id="f-help.en" type="text" maxlength="500" bind:value=draft.help_en />
                </FormField>
                <FormField label=K::Section field="section" errors hint=K::SectionHint>
                    <input id="f-section" type="text" maxlength="60" list="section-names" bind:value=draft.section />
                    <datalist id="section-names">
                        {move || sections.get().into_iter().map(|s| view! { <option value=s /> }).collect_view()}
                    </datalist>
                </FormField>
                <Show when=move || t() == FieldType::Lookup>
                    <FormField label=K::LookupTarget field="target" errors>
                        <select
                            id="f-target"
                            disabled=editing
                            prop:value=move || draft.target.get()
                            on:change=move |ev| draft.target.set(event_target_value(&ev))
                        >
                            {target_options}
                        </select>
                    </FormField>
                </Show>
                <Show when=move || t() == FieldType::Formula>
                    <FormField label=K::Formula field="formula" errors hint=K::FormulaHint>
                        <input id="f-formula" type="text" maxlength="500" bind:value=draft.formula />
                    </FormField>
                </Show>
                <Show when=move || t() == FieldType::Rollup>
                    <FormField label=K::RollupSource field="rollup.source" errors>
                        <select
                            id="f-rollup-source"
                            prop:value=move || draft.rollup_source.get()
                            on:change=move |ev| draft.rollup_source.set(event_target_value(&ev))
                        >
                            {source_options}
                        </select>
                    </FormField>
                    <FormField label=K::RollupFunction field="rollup" errors>
                        <select
                            id="f-rollup-function"
                            prop:value=move || draft.rollup_function.get()
                            on:change=move |ev| draft.rollup_function.set(event_target_value(&ev))
                        >
                            {function_options}
                        </select>
                    </FormField>
                    <FormField label=K::RollupField field="rollup.field" errors hint=K::RollupFieldHint>
                        <input id="f-rollup-field" type="text" maxlength="60" bind:value=draft.rollup_field />
                    </FormField>
                    <FormField label=K::RollupFilter field="rollup.filter" errors hint=K::RollupFilterHint>
                        <input id="f-rollup-filter" type="text" maxlength="500" bind:value=draft.rollup_filter />
                    </FormField>
                </Show>
                <Show when=move || matches!(t(), FieldType::Number | FieldType::Money)>
                    <FormField label=K::Minimum field="min" errors>
                        <input id="f-min" type="text" inputmode="decimal" bind:value=draft.min />
                    </FormField>
                    <FormField label=K::Maximum field="max" errors>
                        <input id="f-max" type="text" inputmode="decimal" bind:value=draft.max />
                    </FormField>
                </Show>
                <Show when=move || has_length(t())>
                    <FormField label=K::MinLength field="min_length" errors>
                        <input id="f-min_length" type="text" inputmode="numeric" bind:value=draft.min_length />
                    </FormField>
                    <FormField label=K::MaxLength field="max_length" errors>
                        <input id="f-max_length" type="text" inputmode="numeric" bind:value=draft.max_length />
                    </FormField>
                </Show>
            </div>
            <div class="flags-inputs">
                <Show when=move || !t().computed()>
                    <FormField label=K::Required field="required" errors>{check("f-required", draft.required)}</FormField>
                </Show>
                <Show when=move || t().can_be_unique()>
                    <FormField label=K::Unique field="unique" errors>{check("f-unique", draft.unique)}</FormField>
                </Show>
                <Show when=move || t().filterable()>
                    <FormField label=K::Filterable field="filterable" errors>{check("f-filterable", draft.filterable)}</FormField>
                </Show>
                <Show when=move || searchable_type(t())>
                    <FormField label=K::Searchable field="searchable" errors>{check("f-searchable", draft.searchable)}</FormField>
                </Show>
            </div>
            <Show when=move || is_picklist(t())>
                <fieldset class="options" data-field="options">
                    <legend>{move || i.t(K::Options)}</legend>
                    <ValueListEditor rows=draft.options errors path="options" on_change=Callback::new(move |_| errors.clear()) />
                </fieldset>
            </Show>
            <div class="actions">
                <button type="submit" class="primary" id="save-field" disabled=move || submit.busy.get()>
                    {move || i.t(if submit.busy.get() { K::Saving } else if editing { K::Save } else { K::Create })}
                </button>
                <button type="button" id="cancel-field" on:click=move |_| on_cancel.run(())>
                    {move || i.t(K::Cancel)}
                </button>
            </div>
        </form>
    }
}
