//! The record page of any entity: its name and actions (edit, delete, restore), the registry's
//! built-in fields by section, its custom values, the entity's related lists, the rules that ran
//! on it and its approvals (for the entities rules run on), the timeline when the registry says
//! the entity joins it, and the audit history.

use super::{id_of, label, PageHooks};
use crate::api::records::Resource;
use crate::components::{region_label, use_retry, FieldText, HistoryList, Loading, RecordActions};
use crate::custom::view::CustomValuesView;
use crate::custom::{LookupLink, Meta};
use crate::i18n::{
    choice_label, format_date, format_datetime, format_int, format_money, use_i18n, yes_no, K,
};
use crate::pages::record::{not_found, use_id_param};
use crate::session::use_auth;
use crate::workflow::record::RecordAutomation;
use crate::workflow::Schema;
use domain::activity::EntityType;
use domain::money::Money;
use domain::registry::fields::{FieldDef, Input, Section};
use domain::registry::{self, Entity};
use leptos::prelude::*;
use serde_json::Value;
use uuid::Uuid;

/// The page of the record `:id` of `entity`, read through `resource`.
#[component]
pub fn RecordPage(
    entity: &'static Entity,
    resource: Resource<Value>,
    list_href: &'static str,
    edit_href: fn(Uuid) -> String,
    #[prop(optional)] hooks: PageHooks,
) -> impl IntoView {
    let meta = Meta::load(entity.plural);
    let i = use_i18n();
    let retry = use_retry();
    let id = use_id_param();
    let record = LocalResource::new(move || {
        retry.track();
        let id = id.get();
        async move {
            match id {
                Some(id) => resource.get_any(id).await,
                None => Err(not_found()),
            }
        }
    });
    let entries = LocalResource::new(move || {
        retry.track();
        let id = id.get();
        async move {
            match id {
                Some(id) => resource.history(id).await.map(|p| p.data),
                None => Ok(Vec::new()),
            }
        }
    });
    let changes = RwSignal::new(0u32);
    let refresh = move || {
        record.refetch();
        entries.refetch();
        changes.update(|n| *n += 1);
    };
    // The rules that ran on the record, and its approvals (entities rules run on).
    let automated = crate::workflow::automated(entity);
    let schema = Schema::with_meta(entity, meta.data);
    let timeline = entity
        .joins
        .timeline
        .then(|| EntityType::parse(entity.name))
        .flatten();
    view! {
        <section class=format!("page record-page {}-detail", entity.name)>
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    record.await.map(|(record, etag)| view! {
                        <RecordCard
                            entity
                            resource
                            record
                            etag
                            meta
                            list_href
                            edit_href
                            hooks
                            on_change=Callback::new(move |_| refresh())
                        />
                    })
                })}
            </Transition>
            {move || id.get().zip(hooks.related).map(|(id, related)| related.run((id, changes.into())))}
            {move || id.get().filter(|_| automated).map(|id| view! {
                <RecordAutomation schema id changes=changes.into() on_change=Callback::new(move |_| refresh()) />
            })}
            {move || id.get().zip(timeline).map(|(id, entity)| view! { <crate::components::Timeline entity id /> })}
            <section class="history" id="history">
                <h2>{move || i.t(K::History)}</h2>
                <Transition fallback=|| view! { <Loading /> }>
                    {move || Suspend::new(async move {
                        entries.await.map(|entries| view! { <HistoryList entries fields=FieldText { entity } custom=meta /> })
                    })}
                </Transition>
            </section>
        </section>
    }
}

/// The sections of an entity's fields, each with its fields, in the registry's order.
fn sections(entity: &'static Entity) -> Vec<(Section, Vec<&'static FieldDef>)> {
    let mut out: Vec<(Section, Vec<&'static FieldDef>)> = Vec::new();
    for f in entity.fields {
        match out.iter_mut().find(|(s, _)| *s == f.section) {
            Some((_, group)) => group.push(f),
            None => out.push((f.section, vec![f])),
        }
    }
    out
}

#[component]
fn RecordCard(
    entity: &'static Entity,
    resource: Resource<Value>,
    record: Value,
    etag: Option<String>,
    meta: Meta,
    list_href: &'static str,
    edit_href: fn(Uuid) -> String,
    hooks: PageHooks,
    on_change: Callback<()>,
) -> impl IntoView {
    let i = use_i18n();
    let Some(id) = id_of(&record) else {
        return view! { <p class="empty">{move || i.t(K::RecordNotFound)}</p> }.into_any();
    };
    let version = record.get("version").cloned().unwrap_or_default();
    let deleted = record.get("deleted_at").is_some_and(|d| !d.is_null());
    let title = match hooks.title {
        Some(c) => c.run(record.clone()),
        None => text(record.get("name")).into_any(),
    };
    let field = |name: &'static str| record.get(name).cloned().unwrap_or_default();
    let props = sections(entity)
        .into_iter()
        .map(|(section, fields)| {
            let props = fields
                .into_iter()
                .filter(|def| !(def.read_only && field(def.name).is_null()))
                // A field an enum value requires only with that value (a disqualified lead's
                // reason).
                .filter(|def| {
                    entity
                        .required_by(def.name)
                        .is_none_or(|(f, key)| record[f].as_str() == Some(key))
                })
                .map(|def| {
                    let wide = matches!(def.input, Input::LongText { .. });
                    let value = value_view(entity, def, field(def.name), hooks);
                    // A reference's value is named by the two entities (`contact-account`).
                    let dd_id = match def.input {
                        Input::Reference(target) => Some(format!("{}-{target}", entity.name)),
                        _ => None,
                    };
                    view! {
                        <div class="prop" class:wide=wide data-field=def.name>
                            <dt>{move || label(i, def.label)}</dt>
                            <dd id=dd_id>{value}</dd>
                        </div>
                    }
                })
                .collect_view();
            view! {
                <section class="record-section" data-section=section.key>
                    <h2>{move || label(i, section.label)}</h2>
                    <dl class="props">{props}</dl>
                </section>
            }
        })
        .collect_view();
    let at = |name: &'static str| {
        let v = field(name);
        move || {
            v.as_str()
                .and_then(|s| s.parse::<chrono::DateTime<chrono::Utc>>().ok())
                .map(|at| format_datetime(&at, i.locale()))
                .unwrap_or_else(|| "—".into())
        }
    };
    let (created, updated) = (at("created_at"), at("updated_at"));
    let custom = serde_json::from_value(field("custom")).unwrap_or_default();
    let extra = hooks.actions.map(|c| c.run((record.clone(), on_change)));
    let banner = hooks.banner.map(|c| c.run((record.clone(), on_change)));
    view! {
        <article class="record-card" data-id=id.to_string() data-version=version.to_string()>
            <div class="page-head">
                <h1 id="record-title">{title}</h1>
                {extra}
                <RecordActions
                    resource
                    record
                    id
                    etag
                    deleted
                    back_href=list_href
                    edit_href=edit_href(id)
                    on_change
                />
            </div>
            {banner}
            // Every field, sections together (`.record-card .props` reads them all).
            <div class="props record-fields">{props}</div>
            <dl class="props record-meta">
                <div class="prop" data-field="created_at"><dt>{move || i.t(K::CreatedAt)}</dt><dd>{created}</dd></div>
                <div class="prop" data-field="updated_at"><dt>{move || i.t(K::UpdatedAt)}</dt><dd>{updated}</dd></div>
                <div class="prop" data-field="version"><dt>{move || i.t(K::Version)}</dt><dd>{version.to_string()}</dd></div>
            </dl>
            <CustomValuesView meta values=custom />
        </article>
    }
    .into_any()
}

/// A text value, `—` for none.
fn text(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => "—".to_string(),
        Some(Value::String(s)) if s.is_empty() => "—".to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
    }
}

/// How a field's value reads on the record page, by its input.
fn value_view(
    entity: &'static Entity,
    def: &'static FieldDef,
    v: Value,
    hooks: PageHooks,
) -> AnyView {
    let i = use_i18n();
    let auth = use_auth();
    if let Some(own) = hooks.value.and_then(|c| c.run((def, v.clone()))) {
        return own;
    }
    if v.is_null() && !matches!(def.input, Input::Bool { .. }) {
        let text = FieldText { entity };
        return (move || text.empty_text(def.name, i).unwrap_or("—")).into_any();
    }
    let s = v.as_str().unwrap_or_default().to_string();
    match def.input {
        Input::Special => text(Some(&v)).into_any(),
        Input::Money => match serde_json::from_value::<Money>(v.clone()) {
            Ok(m) => (move || format_money(&m, i.locale())).into_any(),
            Err(_) => text(Some(&v)).into_any(),
        },
        Input::Integer => match v.as_i64() {
            Some(n) => (move || format_int(n, i.locale())).into_any(),
            None => text(Some(&v)).into_any(),
        },
        Input::Date => match s.parse::<chrono::NaiveDate>() {
            Ok(d) => (move || format_date(&d, i.locale())).into_any(),
            Err(_) => s.into_any(),
        },
        Input::DateTime => match s.parse::<chrono::DateTime<chrono::Utc>>() {
            Ok(at) => (move || format_datetime(&at, i.locale())).into_any(),
            Err(_) => s.into_any(),
        },
        Input::Bool { .. } => {
            let yes = v.as_bool().unwrap_or_default();
            (move || yes_no(yes, i.locale())).into_any()
        }
        Input::Tags | Input::List(_) => {
            let items: Vec<String> = v
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            if items.is_empty() {
                "—".into_any()
            } else {
                items.join(", ").into_any()
            }
        }
        Input::Picklist(list) => (move || choice_label(list, &s, i.locale())).into_any(),
        Input::Enum(choices) => match choices.iter().find(|c| c.key == s) {
            Some(c) => (move || label(i, c.label)).into_any(),
            None => s.into_any(),
        },
        Input::Reference(target) => match (registry::entity(target), s.parse::<Uuid>()) {
            (Some(entity), Ok(id)) => view! { <LookupLink entity id /> }.into_any(),
            _ => s.into_any(),
        },
        Input::Owner => match s.parse::<Uuid>() {
            Ok(id) => (move || auth.user_name(id, i.t(K::Mine))).into_any(),
            Err(_) => s.into_any(),
        },
        Input::Region => (move || region_label(&s, i.locale())).into_any(),
        Input::Text { .. } | Input::LongText { .. } | Input::Email | Input::Phone | Input::Url => {
            text(Some(&v)).into_any()
        }
    }
}
