//! Custom fields on the lists: a column picker (the chosen fields become columns, kept in the
//! URL's `columns=` and in saved views), their values formatted by type, sortable where the
//! metadata says so, and filters on the filterable ones (`custom.tier=gold`,
//! `custom.budget[gte]=1000`) in the URL like the built-in filters. A record list asks for the
//! shown columns' values only, and sums the number and money ones in its totals row.

use super::{label, lookup_ref, option_label, value_text, LookupLink, Meta};
use crate::components::SortHeader;
use crate::i18n::{use_i18n, K};
use crate::list::{field_sums, summable, ListQuery, ListState, Navigate, Sums};
use crate::session::use_auth;
use domain::custom::{CustomField, CustomValues, FieldType};
use domain::metadata::FieldMeta;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use std::collections::HashMap;
use uuid::Uuid;

/// A list's custom fields: the entity's description, the list's query, and the names of the
/// records that the loaded rows' lookups point to (fetched per page, one request per field).
#[derive(Clone, Copy)]
pub struct CustomList {
    meta: Meta,
    query: Memo<ListQuery>,
    page_path: &'static str,
    names: RwSignal<HashMap<Uuid, String>>,
    /// The list's sums (`custom.<key>` among them).
    sums: RwSignal<Option<Sums>>,
    /// The router's navigation, kept from the page (handlers run outside its context).
    navigate: StoredValue<Navigate, LocalStorage>,
}

impl CustomList {
    /// For `list`, whose records carry their custom values in `values` (a record list's own
    /// description of its custom fields is shared; another list loads it).
    pub fn new<T>(list: &ListState<T>, values: fn(&T) -> &CustomValues) -> CustomList
    where
        T: serde::de::DeserializeOwned + Clone + Send + Sync + 'static,
    {
        let custom = CustomList {
            meta: list
                .meta
                .unwrap_or_else(|| Meta::load(super::plural_of(list.spec.api_path))),
            query: list.query,
            page_path: list.spec.page_path,
            names: RwSignal::new(HashMap::new()),
            sums: list.sums,
            navigate: {
                let navigate = use_navigate();
                StoredValue::new_local(Box::new(move |href: &str| {
                    navigate(href, NavigateOptions::default())
                }))
            },
        };
        let items = list.items;
        Effect::new(move |_| {
            for f in custom.shown() {
                if f.type_ != FieldType::Lookup {
                    continue;
                }
                let (ids, entity) = items.with(|rows| {
                    let refs: Vec<_> = rows
                        .iter()
                        .filter_map(|r| lookup_ref(&f, values(r).get(&f.key)))
                        .collect();
                    let entity = refs.first().map(|(_, e)| *e);
                    let known = custom.names.get_untracked();
                    let ids: Vec<Uuid> = refs
                        .into_iter()
                        .map(|(id, _)| id)
                        .filter(|id| !known.contains_key(id))
                        .collect();
                    (ids, entity)
                });
                let Some(entity) = entity.filter(|_| !ids.is_empty()) else {
                    continue;
                };
                spawn_local(async move {
                    let path = format!("/{}", entity.plural);
                    if let Ok(found) = crate::api::names::names(&path, ids).await {
                        let _ = custom.names.try_update(|n| n.extend(found));
                    }
                });
            }
        });
        custom
    }

    /// The entity's description (how its built-in fields sort and filter, too).
    pub fn meta(&self) -> Meta {
        self.meta
    }

    /// The fields shown as columns, in the URL's order (tracked).
    pub fn shown(&self) -> Vec<CustomField> {
        let meta = self.meta;
        self.query.with(|q| {
            q.columns
                .iter()
                .filter_map(|c| meta.field(c.strip_prefix("custom.")?))
                .collect()
        })
    }

    /// How the list filters and sorts on `f` (the metadata's description of `custom.<key>`).
    fn list_field(&self, f: &CustomField) -> Option<FieldMeta> {
        let name = f.path();
        self.meta.data.with(|m| {
            m.as_ref()
                .and_then(|m| m.fields.iter().find(|x| x.name == name).cloned())
        })
    }

    fn go(&self, query: ListQuery) {
        let href = query.href(self.page_path);
        self.navigate.with_value(|n| n(&href));
    }
}

/// The headers of the custom columns (after a list's own).
#[component]
pub fn CustomHeaders(custom: CustomList) -> impl IntoView {
    let i = use_i18n();
    move || {
        custom
            .shown()
            .into_iter()
            .map(|f| {
                let name = f.clone();
                let text = Signal::derive(move || label(&name, i));
                let sortable = custom.list_field(&f).is_some_and(|m| m.sortable);
                if sortable {
                    view! {
                        <SortHeader text field=f.path() query=custom.query page_path=custom.page_path />
                    }
                    .into_any()
                } else {
                    view! { <th data-column=f.path()>{text}</th> }.into_any()
                }
            })
            .collect_view()
    }
}

/// One row's cells of the custom columns.
#[component]
pub fn CustomCells(custom: CustomList, values: CustomValues) -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    let values = StoredValue::new(values);
    move || {
        custom
            .shown()
            .into_iter()
            .map(|f| {
                let v = values.with_value(|v| v.get(&f.key).cloned());
                let numeric = f.type_.numeric() || f.type_ == FieldType::Money;
                let cell = match lookup_ref(&f, v.as_ref()) {
                    Some((id, entity)) if f.type_ == FieldType::Lookup => {
                        let name =
                            Signal::derive(move || custom.names.with(|n| n.get(&id).cloned()));
                        view! { <LookupLink entity id name /> }.into_any()
                    }
                    _ => {
                        let f = f.clone();
                        view! { {move || value_text(&f, v.as_ref(), i, auth)} }.into_any()
                    }
                };
                let name = f.clone();
                view! {
                    <td class:num=numeric data-column=f.path() data-label=move || label(&name, i)>
                        {cell}
                    </td>
                }
            })
            .collect_view()
    }
}

/// The totals row's cells under the custom columns: the sums of number and money ones.
#[component]
pub fn CustomSums(custom: CustomList) -> impl IntoView {
    let i = use_i18n();
    move || {
        custom
            .shown()
            .into_iter()
            .map(|f| {
                let name = f.clone();
                let path = f.path();
                let text = summable(&f).then(|| {
                    let path = path.clone();
                    move || field_sums(custom.sums, &path, i.locale())
                });
                view! {
                    <td class="num sum" data-column=path data-label=move || label(&name, i)>
                        {text}
                    </td>
                }
            })
            .collect_view()
    }
}

/// Above a list: which custom fields show as columns, and filters on the filterable ones.
#[component]
pub fn CustomListControls(custom: CustomList) -> impl IntoView {
    let i = use_i18n();
    let fields = move || custom.meta.fields();
    let toggle = move |path: String, on: bool| {
        let q = custom.query.get_untracked();
        let mut columns = q.columns.clone();
        columns.retain(|c| *c != path);
        if on {
            columns.push(path);
        }
        custom.go(q.with_columns(columns));
    };
    let picker = move || {
        let all = fields();
        (!all.is_empty()).then(|| {
            let boxes = all
                .into_iter()
                .map(|f| {
                    let path = f.path();
                    let checked = {
                        let path = path.clone();
                        move || custom.query.with(|q| q.columns.contains(&path))
                    };
                    let (p1, p2) = (path.clone(), path.clone());
                    let active = f.active;
                    view! {
                        <label class="column-option">
                            <input
                                type="checkbox"
                                data-column=p1
                                prop:checked=checked
                                on:change=move |ev| toggle(p2.clone(), event_target_checked(&ev))
                            />
                            " " {move || label(&f, i)}
                            {(!active).then(|| view! { " " <span class="badge">{move || i.t(K::Inactive)}</span> })}
                        </label>
                    }
                })
                .collect_view();
            view! {
                <details class="column-picker" id="column-picker">
                    <summary>{move || i.t(K::Columns)}</summary>
                    <div class="column-options">{boxes}</div>
                </details>
            }
        })
    };
    view! {
        <div class="custom-list-controls">
            {picker}
            <CustomFilters custom />
        </div>
    }
}

/// The filter parameters of a field, with the input each takes: `(param, kind)`.
fn filter_params(f: &CustomField, m: &FieldMeta) -> Vec<(String, &'static str)> {
    let path = f.path();
    let has = |op: &str| m.operators.iter().any(|o| o == op);
    match f.type_ {
        FieldType::Number
        | FieldType::Formula
        | FieldType::Rollup
        | FieldType::Money
        | FieldType::Date
        | FieldType::Datetime
            if has("gte") && has("lte") =>
        {
            vec![
                (format!("{path}[gte]"), "min"),
                (format!("{path}[lte]"), "max"),
            ]
        }
        FieldType::MultiPicklist if has("contains") => {
            vec![(format!("{path}[contains]"), "one")]
        }
        FieldType::Lookup | FieldType::LongText => Vec::new(),
        _ if has("eq") => vec![(path, "one")],
        _ => Vec::new(),
    }
}

/// Filters on the filterable custom fields. Choices apply at once; typed bounds and text when
/// the form is submitted (Enter, or the button).
#[component]
fn CustomFilters(custom: CustomList) -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    // What the controls hold, by URL parameter; set from the URL whenever it changes.
    let drafts = RwSignal::new(HashMap::<String, String>::new());
    Effect::new(move |_| {
        custom.query.with(|q| {
            drafts.set(
                q.filters
                    .iter()
                    .filter(|(k, _)| k.starts_with("custom."))
                    .cloned()
                    .collect(),
            )
        })
    });
    let apply = move || {
        let mut q = custom.query.get_untracked();
        let all = drafts.get_untracked();
        q.filters.retain(|(k, _)| !k.starts_with("custom."));
        for (k, v) in all {
            q = q.with_filter(&k, Some(v.trim().to_string()));
        }
        custom.go(q);
    };
    let draft = move |param: &str| drafts.with(|d| d.get(param).cloned().unwrap_or_default());
    let set_draft = move |param: String, v: String| {
        drafts.update(|d| {
            d.insert(param, v);
        })
    };
    let controls = move || {
        custom
            .meta
            .fields()
            .into_iter()
            .filter_map(|f| Some((custom.list_field(&f)?, f)))
            .flat_map(|(m, f)| {
                filter_params(&f, &m)
                    .into_iter()
                    .map(move |(param, kind)| (f.clone(), param, kind))
            })
            .map(|(f, param, kind)| {
                let id = format!("cf-{}", param.replace(['.', '['], "-").replace(']', ""));
                let name = f.clone();
                let caption = move || match kind {
                    "min" => format!("{} ≥", label(&name, i)),
                    "max" => format!("{} ≤", label(&name, i)),
                    _ => label(&name, i),
                };
                let (p1, p2) = (param.clone(), param.clone());
                let value = move || draft(&p1);
                let on_choice = move |v: String| {
                    set_draft(p2.clone(), v);
                    apply();
                };
                let control = match f.type_ {
                    FieldType::Picklist | FieldType::MultiPicklist => {
                        let options = f
                            .options
                            .iter()
                            .map(|o| {
                                let (k, value, f) = (o.key.clone(), o.key.clone(), f.clone());
                                view! { <option value=value>{move || option_label(&f, &k, i.locale())}</option> }
                            })
                            .collect_view();
                        view! {
                            <select id=id.clone() prop:value=value on:change=move |ev| on_choice(event_target_value(&ev))>
                                <option value="">{move || i.t(K::Any)}</option>
                                {options}
                            </select>
                        }
                        .into_any()
                    }
                    FieldType::Boolean => view! {
                        <select id=id.clone() prop:value=value on:change=move |ev| on_choice(event_target_value(&ev))>
                            <option value="">{move || i.t(K::Any)}</option>
                            <option value="true">{move || i.t(K::Yes)}</option>
                            <option value="false">{move || i.t(K::No)}</option>
                        </select>
                    }
                    .into_any(),
                    FieldType::User => {
                        let users = move || {
                            auth.directory
                                .get()
                                .unwrap_or_default()
                                .into_iter()
                                .map(|u| view! { <option value=u.id.to_string()>{u.name}</option> })
                                .collect_view()
                        };
                        view! {
                            <select id=id.clone() prop:value=value on:change=move |ev| on_choice(event_target_value(&ev))>
                                <option value="">{move || i.t(K::Any)}</option>
                                {users}
                            </select>
                        }
                        .into_any()
                    }
                    t => {
                        let kind = if matches!(t, FieldType::Date | FieldType::Datetime) {
                            "date"
                        } else {
                            "text"
                        };
                        let numeric = t.numeric() || t == FieldType::Money;
                        let p3 = param.clone();
                        view! {
                            <input
                                id=id.clone()
                                type=kind
                                inputmode=numeric.then_some("decimal")
                                prop:value=value
                                on:input=move |ev| set_draft(p3.clone(), event_target_value(&ev))
                            />
                        }
                        .into_any()
                    }
                };
                view! {
                    <label class="custom-filter" for=id.clone() data-param=param.clone()>
                        <span>{caption}</span>
                        {control}
                    </label>
                }
            })
            .collect::<Vec<_>>()
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        apply();
    };
    move || {
        let controls = controls();
        (!controls.is_empty()).then(|| {
            view! {
                <form class="filters custom-filters" id="custom-filters" on:submit=on_submit>
                    {controls}
                    <button type="submit" id="apply-custom-filters">{move || i.t(K::ApplyFilters)}</button>
                </form>
            }
        })
    }
}
