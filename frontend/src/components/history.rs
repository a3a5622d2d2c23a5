//! A record's audit history: who changed what when, each field before and after.

use super::region_label;
use crate::custom::Meta;
use crate::i18n::{
    choice_label, choice_of, format_date, format_datetime, format_int, stage_label, use_i18n,
    yes_no, I18n, Locale, K,
};
use crate::session::{use_auth, Auth};
use domain::audit::HistoryEntry;
use domain::registry::fields::Input;
use domain::registry::{self, Entity};
use leptos::prelude::*;
use serde_json::Value;
use uuid::Uuid;

/// The label of an audit action (history, timeline).
pub fn action_label(action: &str) -> Option<K> {
    Some(match action {
        "create" => K::ActionCreate,
        "update" => K::ActionUpdate,
        "delete" => K::ActionDelete,
        "restore" => K::ActionRestore,
        "merge" => K::ActionMerge,
        "transfer" => K::ActionTransfer,
        "release" => K::ActionRelease,
        "claim" => K::ActionClaim,
        _ => return None,
    })
}

/// Who did what a history entry or timeline item records: a user by name; nobody for an
/// account returned to its pool by the pool's rule (Kehu itself).
pub fn actor_text(actor: Option<Uuid>, action: &str, auth: Auth, i: I18n) -> String {
    match actor {
        Some(u) => auth.user_name(u, i.t(K::Mine)),
        None if action == "release" => i.t(K::ByPoolRule).to_string(),
        None => String::new(),
    }
}

/// How a record type's fields read in its history and timeline: their labels and values from
/// the registry's description of the entity's fields.
#[derive(Clone, Copy)]
pub struct FieldText {
    pub entity: &'static Entity,
}

/// Fields holding a user's id (shown by name).
const USER_FIELDS: &[&str] = &["owner_id", "converted_by"];

/// Fields holding the id of something else with a name (a stage, a pipeline, a customer pool).
const NAMED_IDS: &[&str] = &["stage_id", "pipeline_id", "pool_id"];

/// Fields a history may name that no form enters (the record's own stamps and links).
fn platform_label(field: &str) -> Option<K> {
    Some(match field {
        "created_at" => K::CreatedAt,
        "updated_at" => K::UpdatedAt,
        "converted_by" => K::ConvertedBy,
        "pipeline_id" => K::Pipeline,
        "probability_overridden" => K::ProbabilityOverridden,
        "campaign_id" => K::Campaign,
        "currency" => K::Currency,
        "pool_id" => K::PoolChoice,
        "recycle_at" => K::RecycleAt,
        _ => return None,
    })
}

impl FieldText {
    /// The fields of the entity named `name` in the API (`account`), if it is registered.
    pub fn named(name: &str) -> Option<FieldText> {
        registry::entity(name).map(|entity| FieldText { entity })
    }

    /// A field's label in the current language (tracked); the API's name when it has none.
    pub fn label_text(self, field: &str, i: I18n) -> String {
        match (self.entity.field(field), platform_label(field)) {
            (Some(f), _) => crate::registry::label(i, f.label).to_string(),
            (None, Some(k)) => i.t(k).to_string(),
            (None, None) => field.to_string(),
        }
    }

    /// How a field without a value reads where the entity gives it a meaning: the owner of an
    /// entity whose records wait in customer pools (公海) when nobody owns it.
    pub fn empty_text(self, field: &str, i: I18n) -> Option<&'static str> {
        (field == "owner_id" && self.entity.joins.pool).then(|| i.t(K::InPool))
    }

    /// A value as the field's input shows it: money and whole numbers formatted, an enum or
    /// picklist key by its label, days and times formatted, yes/no, lists joined, `—` for none.
    fn value(self, field: &str, value: &Value, locale: Locale) -> String {
        match (self.entity.field(field).map(|f| f.input), value) {
            (_, Value::Null) => "—".to_string(),
            (Some(Input::Money), v) => crate::pages::record::money_text(v, locale),
            (Some(Input::Integer), Value::Number(n)) if n.is_i64() => {
                format_int(n.as_i64().unwrap_or_default(), locale)
            }
            (Some(Input::Date), Value::String(s)) => s
                .parse::<chrono::NaiveDate>()
                .map(|d| format_date(&d, locale))
                .unwrap_or_else(|_| s.clone()),
            (Some(Input::Enum(choices)), Value::String(k)) => choice_of(choices, k, locale)
                .map(str::to_string)
                .unwrap_or_else(|| k.clone()),
            (Some(Input::Picklist(list)), Value::String(k)) => choice_label(list, k, locale),
            (_, Value::String(s)) if field.ends_with("_at") => s
                .parse::<chrono::DateTime<chrono::Utc>>()
                .map(|at| format_datetime(&at, locale))
                .unwrap_or_else(|_| s.clone()),
            (_, Value::String(s)) => s.clone(),
            (_, Value::Bool(b)) => yes_no(*b, locale).to_string(),
            (_, Value::Array(items)) => items
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| v.to_string())
                })
                .collect::<Vec<_>>()
                .join(", "),
            (_, v) => v.to_string(),
        }
    }

    /// Whether `field`'s value reads as a word or a number: not a list, not a structure (money
    /// aside), not another record's id (users, stages and pipelines have names).
    pub fn is_scalar(self, field: &str, value: &Value) -> bool {
        match value {
            Value::Array(_) => false,
            Value::Object(o) => o.contains_key("amount") && o.contains_key("currency"),
            Value::String(s) if s.parse::<Uuid>().is_ok() => {
                USER_FIELDS.contains(&field) || NAMED_IDS.contains(&field)
            }
            _ => true,
        }
    }

    /// A field's value as a person reads it (tracked): users, stages, pipelines, pools and
    /// regions by name, everything else as the record type shows it.
    pub fn value_text(self, field: &str, value: &Value, auth: Auth, i: I18n) -> String {
        if let Some(empty) = value.is_null().then(|| self.empty_text(field, i)).flatten() {
            return empty.to_string();
        }
        let id = value.as_str().and_then(|s| s.parse::<Uuid>().ok());
        match (field, id) {
            (f, Some(user)) if USER_FIELDS.contains(&f) => auth.user_name(user, i.t(K::Mine)),
            ("stage_id", Some(stage)) => auth
                .stage(stage)
                .map(|s| stage_label(&s.name, i.locale()))
                .unwrap_or_else(|| stage.to_string()),
            ("pipeline_id", Some(pipeline)) => auth
                .pipelines
                .get()
                .unwrap_or_default()
                .into_iter()
                .find(|p| p.id == pipeline)
                .map(|p| p.name)
                .unwrap_or_else(|| pipeline.to_string()),
            ("pool_id", Some(pool)) => auth.pool_name(pool),
            ("region", _) => match value.as_str() {
                Some(code) => region_label(code, i.locale()),
                None => self.value(field, value, i.locale()),
            },
            _ => self.value(field, value, i.locale()),
        }
    }
}

/// History entries, newest first, each with its field changes; `custom` (the entity's custom
/// fields) names the changes of custom values (`custom.budget`) and reads them by type.
#[component]
pub fn HistoryList(
    entries: Vec<HistoryEntry>,
    fields: FieldText,
    #[prop(optional)] custom: Option<Meta>,
) -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    let definition = move |field: &str| custom?.field(field.strip_prefix("custom.")?);
    let shown = move |field: &str, value: &Value| match definition(field) {
        Some(f) => crate::custom::value_text(&f, Some(value), i, auth),
        None => fields.value_text(field, value, auth, i),
    };
    let label = move |field: &str| match definition(field) {
        Some(f) => crate::custom::label(&f, i),
        None => fields.label_text(field, i),
    };
    if entries.is_empty() {
        return view! { <p class="empty">{move || i.t(K::NoHistory)}</p> }.into_any();
    }
    view! {
        <ol class="history-list">
            {entries
                .into_iter()
                .map(|e| {
                    let (action, who) = (e.action.clone(), e.action.clone());
                    let at = e.at;
                    let actor = e.actor_id;
                    view! {
                        <li class="history-entry" data-action=e.action.clone()>
                            <div class="history-head">
                                <strong>{move || action_label(&action).map(|k| i.t(k).to_string()).unwrap_or(action.clone())}</strong>
                                <span class="who">{move || actor_text(actor, &who, auth, i)}</span>
                                <time>{move || format_datetime(&at, i.locale())}</time>
                            </div>
                            {(!e.changes.is_empty()).then(|| view! {
                                <table class="changes">
                                    <thead>
                                        <tr>
                                            <th>{move || i.t(K::Field)}</th>
                                            <th>{move || i.t(K::Before)}</th>
                                            <th>{move || i.t(K::After)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {e.changes.into_iter().map(|c| {
                                            let f = c.field.clone();
                                            let (f1, f2) = (c.field.clone(), c.field.clone());
                                            view! {
                                                <tr data-field=c.field.clone()>
                                                    <td>{move || label(&f)}</td>
                                                    <td class="old">{move || shown(&f1, &c.old)}</td>
                                                    <td class="new">{move || shown(&f2, &c.new)}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            })}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
    .into_any()
}
