//! Editing a list of values in display order — a picklist's, a picklist field's options: values
//! added, relabelled, moved, deactivated and reactivated. Keys of stored values are fixed (records
//! store them), so there is no delete; a list keeps one active value (the API refuses none).
//! Nothing is sent here: the page saves [`ValueRows::values`] its own way.

use crate::form::{FieldErrors, FormErrors};
use crate::i18n::{use_i18n, K};
use domain::picklist::PicklistValue;
use leptos::prelude::*;

/// One value being edited. A value added here keeps an editable key until the list is saved.
#[derive(Debug, Clone, Copy)]
struct Row {
    /// The editor's own identity for the row (keys of new rows may change while typed).
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

/// The rows of a list editor.
#[derive(Debug, Clone, Copy)]
pub struct ValueRows {
    rows: RwSignal<Vec<Row>>,
    next_id: StoredValue<u64>,
    /// Rows are made in event handlers and after awaits: they belong to the editor's owner.
    owner: StoredValue<Owner>,
}

impl ValueRows {
    pub fn new() -> ValueRows {
        ValueRows {
            rows: RwSignal::new(Vec::new()),
            next_id: StoredValue::new(0),
            owner: StoredValue::new(Owner::current().expect("a component has an owner")),
        }
    }

    fn row(&self, v: PicklistValue, stored: bool) -> Row {
        self.next_id.update_value(|n| *n += 1);
        let id = self.next_id.get_value();
        self.owner.with_value(|o| {
            o.with(|| Row {
                id,
                stored,
                key: RwSignal::new(v.key),
                zh: RwSignal::new(v.zh),
                en: RwSignal::new(v.en),
                active: RwSignal::new(v.active),
            })
        })
    }

    /// Shows the stored values.
    pub fn set(&self, values: Vec<PicklistValue>) {
        let rows = values.into_iter().map(|v| self.row(v, true)).collect();
        self.rows.set(rows);
    }

    /// The values as edited, in display order.
    pub fn values(&self) -> Vec<PicklistValue> {
        self.rows
            .with_untracked(|r| r.iter().map(Row::value).collect())
    }
}

impl Default for ValueRows {
    fn default() -> Self {
        Self::new()
    }
}

/// The table of values and the "add value" inputs. `path` names the list in the API's field
/// errors (`values` → `values[2].key`); `on_change` runs when rows are added, moved or
/// (de)activated (errors name rows by position: the page clears them).
#[component]
pub fn ValueListEditor(
    rows: ValueRows,
    errors: FormErrors,
    path: &'static str,
    on_change: Callback<()>,
) -> impl IntoView {
    let i = use_i18n();
    let list = rows.rows;
    let swap = move |a: usize, b: usize| {
        list.update(|v| v.swap(a, b));
        on_change.run(());
    };
    let last_active = move |row: Row| {
        row.active.get() && list.with(|v| v.iter().filter(|r| r.active.get()).count() == 1)
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
        list.update(|r| r.push(rows.row(v, false)));
        for s in [new_key, new_zh, new_en] {
            s.set(String::new());
        }
        on_change.run(());
    };

    let cell_errors = move |i: usize, part: &str| {
        view! { <FieldErrors errors field=format!("{path}[{i}].{part}") /> }
    };
    let row_view = move |index: usize, row: Row| {
        let invalid = move || errors.has(&format!("{path}[{index}]"));
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
                        disabled=move || { index + 1 >= list.with(Vec::len) }
                        on:click=move |_| swap(index, index + 1)
                    >
                        "↓"
                    </button>
                    <button
                        type="button"
                        class="link toggle-active"
                        disabled=move || last_active(row)
                        on:click=move |_| {
                            row.active.update(|a| *a = !*a);
                            on_change.run(());
                        }
                    >
                        {move || i.t(if row.active.get() { K::Deactivate } else { K::Reactivate })}
                    </button>
                </td>
            </tr>
        }
    };

    view! {
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
                    // Keyed by position too: a moved row renders again with its new position
                    // (its up/down buttons and error paths depend on it).
                    <For
                        each=move || list.get().into_iter().enumerate()
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
        <FieldErrors errors field=path exact=true />
    }
}
