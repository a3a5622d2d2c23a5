//! Custom fields (自定义字段) in the web app: an organization's own fields of an entity, read from
//! the metadata API (`GET /metadata/{plural}`) by the record forms ([`form`]), record pages
//! ([`view`]) and lists ([`list`]); admins manage them on their own page
//! (`pages::custom_fields`). What they share is here: loading the description, labels in the
//! current language, sections in form order, and how a value reads.

pub mod form;
pub mod list;
pub mod view;

use crate::api::{self, ApiError};
use crate::i18n::{
    format_date, format_datetime, format_decimal, format_money, yes_no, I18n, Locale, K,
};
use crate::session::Auth;
use domain::custom::{CustomField, FieldType};
use domain::metadata::{EntityMeta, Names};
use domain::money::Money;
use domain::registry::{self, Entity};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use serde_json::Value;
use uuid::Uuid;

/// An entity's description for one page: loaded once when the page opens (an admin's change
/// shows on the next page).
#[derive(Debug, Clone, Copy)]
pub struct Meta {
    pub data: RwSignal<Option<EntityMeta>>,
    pub error: RwSignal<Option<ApiError>>,
}

impl Meta {
    /// Starts loading `plural`'s description (`accounts`).
    pub fn load(plural: &'static str) -> Meta {
        let meta = Meta {
            data: RwSignal::new(None),
            error: RwSignal::new(None),
        };
        spawn_local(async move {
            match api::custom::meta(plural).await {
                Ok(m) => {
                    let _ = meta.data.try_set(Some(m));
                }
                Err(e) => {
                    let _ = meta.error.try_set(Some(e));
                }
            }
        });
        meta
    }

    /// Whether the list sorts by the built-in `field` (tracked; none sorts until loaded).
    pub fn sortable(&self, field: &str) -> bool {
        self.data.with(|m| {
            m.as_ref()
                .is_some_and(|m| m.fields.iter().any(|f| f.name == field && f.sortable))
        })
    }

    /// The custom fields, active and deactivated, in form order (tracked; none until loaded).
    pub fn fields(&self) -> Vec<CustomField> {
        self.data
            .with(|m| m.as_ref().map(|m| m.custom_fields.clone()))
            .unwrap_or_default()
    }

    /// The definition of `custom.<key>` (tracked).
    pub fn field(&self, key: &str) -> Option<CustomField> {
        self.data.with(|m| {
            m.as_ref()
                .and_then(|m| m.custom_fields.iter().find(|f| f.key == key).cloned())
        })
    }
}

/// The collection of a list's or resource's API path (`/accounts` → `accounts`).
pub fn plural_of(api_path: &'static str) -> &'static str {
    api_path.trim_start_matches('/')
}

/// The entities that take custom fields, in the registry's order.
pub fn entities() -> impl Iterator<Item = &'static Entity> {
    registry::joining(|j| j.custom_fields)
}

/// What a lookup may point to: entities whose records are found by name (the record picker
/// searches a collection by name and shows its records' names).
pub fn lookup_targets() -> impl Iterator<Item = &'static Entity> {
    registry::joining(|j| j.search)
}

/// A name in the current language (tracked).
pub fn names_text(n: &Names, i: I18n) -> String {
    match i.locale() {
        Locale::Zh => n.zh.clone(),
        Locale::En => n.en.clone(),
    }
}

/// A field's label in the current language (tracked).
pub fn label(f: &CustomField, i: I18n) -> String {
    names_text(&f.label, i)
}

/// The fields grouped by form section, in form order: those without a section first (they
/// follow the built-in fields), then each section where its first field is.
pub fn sections(fields: Vec<CustomField>) -> Vec<(Option<String>, Vec<CustomField>)> {
    let mut out: Vec<(Option<String>, Vec<CustomField>)> = vec![(None, Vec::new())];
    let mut fields = fields;
    fields.sort_by_key(|f| f.position);
    for f in fields {
        match out.iter_mut().find(|(s, _)| *s == f.section) {
            Some((_, group)) => group.push(f),
            None => out.push((f.section.clone(), vec![f])),
        }
    }
    out.retain(|(_, group)| !group.is_empty());
    out
}

/// The label of one of a picklist field's options, in `locale`; the key when it has none.
pub fn option_label(f: &CustomField, key: &str, locale: Locale) -> String {
    f.options
        .iter()
        .find(|o| o.key == key)
        .map(|o| match locale {
            Locale::Zh => o.zh.clone(),
            Locale::En => o.en.clone(),
        })
        .unwrap_or_else(|| key.to_string())
}

/// A value as text (tracked): numbers and money exactly, dates and times in the locale's style,
/// options by label, users by name, `—` for none. Lookups read as the record's id here (pages
/// show them with [`LookupLink`]).
pub fn value_text(f: &CustomField, v: Option<&Value>, i: I18n, auth: Auth) -> String {
    let locale = i.locale();
    let Some(v) = v.filter(|v| !v.is_null()) else {
        return "—".to_string();
    };
    let s = v.as_str();
    match (f.type_, s) {
        (FieldType::Number | FieldType::Formula | FieldType::Rollup, Some(n)) => format_decimal(n),
        (FieldType::Money, _) => serde_json::from_value::<Money>(v.clone())
            .map(|m| format_money(&m, locale))
            .unwrap_or_else(|_| v.to_string()),
        (FieldType::Date, Some(d)) => d
            .parse::<chrono::NaiveDate>()
            .map(|d| format_date(&d, locale))
            .unwrap_or_else(|_| d.to_string()),
        (FieldType::Datetime, Some(t)) => t
            .parse::<chrono::DateTime<chrono::Utc>>()
            .map(|t| format_datetime(&t, locale))
            .unwrap_or_else(|_| t.to_string()),
        (FieldType::Boolean, _) => v
            .as_bool()
            .map(|b| yes_no(b, locale).to_string())
            .unwrap_or_default(),
        (FieldType::Picklist, Some(k)) => option_label(f, k, locale),
        (FieldType::MultiPicklist, _) => v
            .as_array()
            .map(|keys| {
                keys.iter()
                    .filter_map(Value::as_str)
                    .map(|k| option_label(f, k, locale))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default(),
        (FieldType::User, Some(id)) => id
            .parse::<Uuid>()
            .map(|u| auth.user_name(u, i.t(K::Mine)))
            .unwrap_or_else(|_| id.to_string()),
        (_, Some(s)) => s.to_string(),
        (_, None) => v.to_string(),
    }
}

/// A lookup's value: the record's id and its entity.
pub fn lookup_ref(f: &CustomField, v: Option<&Value>) -> Option<(Uuid, &'static Entity)> {
    let id = v?.as_str()?.parse::<Uuid>().ok()?;
    Some((id, registry::collection(f.target.as_deref()?)?))
}

/// A lookup's record as a link to its page, by name: `name` when the caller has it (a list
/// fetches the names of a page at once), else fetched.
#[component]
pub fn LookupLink(
    entity: &'static Entity,
    id: Uuid,
    #[prop(optional, into)] name: Option<Signal<Option<String>>>,
) -> impl IntoView {
    let fetched = RwSignal::new(None::<String>);
    if name.is_none() {
        spawn_local(async move {
            let path = format!("/{}", entity.plural);
            if let Ok(mut names) = api::names::names(&path, vec![id]).await {
                let _ = fetched.try_set(names.remove(&id));
            }
        });
    }
    let text = move || {
        name.and_then(|n| n.get())
            .or_else(|| fetched.get())
            .unwrap_or_else(|| id.to_string()[..8].to_string())
    };
    view! { <A href=format!("/{}/{id}", entity.plural) attr:class="lookup">{text}</A> }
}

/// A field's help text, under its input or value.
pub fn help_view(f: &CustomField, i: I18n) -> impl IntoView {
    f.help.clone().map(|h| {
        view! { <small class="hint">{move || names_text(&h, i)}</small> }
    })
}
