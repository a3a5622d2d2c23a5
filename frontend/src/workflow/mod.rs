//! Workflow rules and approvals in the web app: what the admin pages (rules, processes), the
//! record pages and the approval pages share — the entities they are for, an entity's fields as
//! they name, choose and read them ([`Schema`]), the editors of conditions and field sets
//! ([`conditions`]) and of a set of users ([`users`]), the list of runs ([`runs`]), the record
//! page's sections ([`record`]), and the offer to submit a refused change for approval
//! ([`offer`]).

pub mod approval_list;
pub mod conditions;
pub mod offer;
pub mod record;
pub mod runs;
pub mod users;

use crate::api;
use crate::form::split_list;
use crate::i18n::{stage_label, yes_no, I18n, Locale, K};
use crate::session::{use_auth, Auth};
use domain::custom::{CustomField, FieldType};
use domain::metadata::{EntityMeta, FieldMeta};
use domain::registry::fields::Input;
use domain::registry::{self, Entity};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{json, Value};

/// The entities rules run on and approvals guard: those the server writes by entity name
/// (`persistence::writers::WRITERS`).
const WRITTEN: [&str; 4] = ["account", "contact", "lead", "opportunity"];

/// Those entities, in the registry's order.
pub fn entities() -> impl Iterator<Item = &'static Entity> {
    registry::ENTITIES
        .iter()
        .copied()
        .filter(|e| WRITTEN.contains(&e.name))
}

/// Whether rules run on (and approvals guard) the records of `entity`.
pub fn automated(entity: &Entity) -> bool {
    WRITTEN.contains(&entity.name)
}

/// An entity's name in the current language (tracked); the API's name when unknown.
pub fn entity_label(name: &str, i: I18n) -> String {
    registry::entity(name)
        .map(|e| crate::registry::label(i, e.label).to_string())
        .unwrap_or_else(|| name.to_string())
}

/// Joins texts in the language's way (`、` or `, `).
pub fn joined(items: Vec<String>, locale: Locale) -> String {
    items.join(if locale == Locale::Zh { "、" } else { ", " })
}

/// Changes row `n` of an editor's rows (conditions, actions, steps), if it is there.
pub fn edit_row<T: Send + Sync + 'static>(
    rows: RwSignal<Vec<T>>,
    n: usize,
    f: impl FnOnce(&mut T),
) {
    rows.update(|v| {
        if let Some(row) = v.get_mut(n) {
            f(row);
        }
    })
}

/// Removes row `n` of an editor's rows, if it is there.
pub fn remove_row<T: Send + Sync + 'static>(rows: RwSignal<Vec<T>>, n: usize) {
    rows.update(|v| {
        if n < v.len() {
            v.remove(n);
        }
    })
}

/// The custom fields' prefix in rules, processes and lists (`custom.budget`).
const CUSTOM: &str = "custom.";

/// An entity's fields as rules and processes name them: its built-in fields (the registry's)
/// and the organization's custom fields (`custom.<key>`, from the metadata, with the list's
/// filter operators). The entity may change (a new rule's); the metadata follows it.
#[derive(Clone, Copy)]
pub struct Schema {
    pub entity: RwSignal<&'static Entity>,
    meta: RwSignal<Option<EntityMeta>>,
}

impl Schema {
    pub fn new(entity: &'static Entity) -> Schema {
        let schema = Schema {
            entity: RwSignal::new(entity),
            meta: RwSignal::new(None),
        };
        Effect::new(move |_| {
            let e = schema.entity.get();
            schema.meta.set(None);
            spawn_local(async move {
                if let Ok(m) = api::custom::meta(e.plural).await {
                    if schema.entity.try_get_untracked() == Some(e) {
                        let _ = schema.meta.try_set(Some(m));
                    }
                }
            });
        });
        schema
    }

    /// The fields of `entity`, whose metadata a page has loaded already (a record page's).
    pub fn with_meta(entity: &'static Entity, meta: RwSignal<Option<EntityMeta>>) -> Schema {
        Schema {
            entity: RwSignal::new(entity),
            meta,
        }
    }

    /// The entity (tracked).
    pub fn current(self) -> &'static Entity {
        self.entity.get()
    }

    /// The custom field `custom.<key>` names (tracked).
    fn custom(self, field: &str) -> Option<CustomField> {
        let key = field.strip_prefix(CUSTOM)?;
        self.meta.with(|m| {
            m.as_ref()?
                .custom_fields
                .iter()
                .find(|f| f.key == key)
                .cloned()
        })
    }

    /// The active custom fields as rule fields, in form order (tracked).
    fn customs(self, writable: bool) -> Vec<String> {
        self.meta.with(|m| {
            m.iter()
                .flat_map(|m| m.custom_fields.iter())
                .filter(|f| f.active)
                .filter(|f| !writable || !matches!(f.type_, FieldType::Formula | FieldType::Rollup))
                .map(|f| format!("{CUSTOM}{}", f.key))
                .collect()
        })
    }

    /// What a condition may test: the list's filterable fields (tracked; none until loaded).
    pub fn filters(self) -> Vec<FieldMeta> {
        self.meta
            .with(|m| m.as_ref().map(|m| m.fields.clone()))
            .unwrap_or_default()
    }

    /// The operators the list takes on `field` (tracked).
    pub fn operators(self, field: &str) -> Vec<String> {
        self.meta.with(|m| {
            m.iter()
                .flat_map(|m| m.fields.iter())
                .find(|f| f.name == field)
                .map(|f| f.operators.clone())
                .unwrap_or_default()
        })
    }

    /// What a change may touch (the fields a rule listens to, `changed`, guards, what an
    /// approval holds): every built-in field, and the custom fields (tracked).
    pub fn changeable(self) -> Vec<String> {
        let e = self.current();
        e.fields
            .iter()
            .filter(|f| !f.name.ends_with("_at"))
            .map(|f| f.name.to_string())
            .chain(self.customs(false))
            .collect()
    }

    /// What a rule's `set_field` may set: fields forms enter, but the owner (an assignment
    /// sets it) and those with their own endpoints (a deal's stage: its move) (tracked).
    pub fn settable(self) -> Vec<String> {
        let e = self.current();
        e.fields
            .iter()
            .filter(|f| !f.read_only && !matches!(f.input, Input::Special | Input::Owner))
            .map(|f| f.name.to_string())
            .chain(self.customs(true))
            .collect()
    }

    /// The date and time fields (what a date rule runs on), built-in and custom (tracked).
    pub fn dates(self) -> Vec<String> {
        let e = self.current();
        let custom: Vec<String> = self.meta.with(|m| {
            m.iter()
                .flat_map(|m| m.custom_fields.iter())
                .filter(|f| f.active && matches!(f.type_, FieldType::Date | FieldType::Datetime))
                .map(|f| format!("{CUSTOM}{}", f.key))
                .collect()
        });
        e.fields
            .iter()
            .filter(|f| matches!(f.input, Input::Date | Input::DateTime))
            .map(|f| f.name.to_string())
            .chain(custom)
            .collect()
    }

    /// A field's label in the current language (tracked); the API's name when it has none.
    pub fn label(self, field: &str, i: I18n) -> String {
        match self.custom(field) {
            Some(f) => crate::custom::label(&f, i),
            None => crate::components::FieldText {
                entity: self.current(),
            }
            .label_text(field, i),
        }
    }

    /// The values `field` takes, `(key, label)`, when they are a few (tracked): an enum's, a
    /// picklist's, yes/no, the stages, the users.
    pub fn choices(self, field: &str, i: I18n) -> Option<Vec<(String, String)>> {
        let auth = use_auth();
        let locale = i.locale();
        if let Some(f) = self.custom(field) {
            return match f.type_ {
                FieldType::Picklist | FieldType::MultiPicklist => Some(
                    f.options
                        .iter()
                        .map(|o| {
                            let l = if locale == Locale::Zh { &o.zh } else { &o.en };
                            (o.key.clone(), l.clone())
                        })
                        .collect(),
                ),
                FieldType::Boolean => Some(yes_and_no(locale)),
                FieldType::User => Some(users(auth, i)),
                _ => None,
            };
        }
        if field == "stage_id" {
            return Some(stages(auth, locale));
        }
        Some(match self.current().field(field)?.input {
            Input::Enum(choices) => choices
                .iter()
                .map(|c| (c.key.to_string(), crate::registry::label(i, c.label).into()))
                .collect(),
            Input::Picklist(list) => auth
                .picklist(list)
                .into_iter()
                .map(|v| {
                    let l = if locale == Locale::Zh { v.zh } else { v.en };
                    (v.key, l)
                })
                .collect(),
            Input::Bool { .. } => yes_and_no(locale),
            Input::Owner => users(auth, i),
            _ => return None,
        })
    }

    /// The JSON value of `field` typed as `text` (a rule's value, a guard's): numbers, yes/no,
    /// lists, money in yuan as the field takes them; `null` when empty.
    pub fn value_of(self, field: &str, text: &str) -> Value {
        let t = text.trim();
        if t.is_empty() {
            return Value::Null;
        }
        let money = || json!({"amount": t.replace([',', '，'], ""), "currency": "CNY"});
        if let Some(f) = self.custom(field) {
            return match f.type_ {
                FieldType::Boolean => Value::Bool(t == "true"),
                FieldType::MultiPicklist => json!(split_list(t)),
                FieldType::Money => money(),
                _ => Value::String(t.to_string()),
            };
        }
        match self.current().field(field).map(|f| f.input) {
            Some(Input::Integer) => t
                .replace([',', '，'], "")
                .parse::<i64>()
                .map(Value::from)
                .unwrap_or_else(|_| Value::String(t.to_string())),
            Some(Input::Bool { .. }) => Value::Bool(t == "true"),
            Some(Input::Tags | Input::List(_)) => json!(split_list(t)),
            Some(Input::Money) => money(),
            _ => Value::String(t.to_string()),
        }
    }

    /// A value of `field` as an input shows it (the inverse of [`Schema::value_of`]).
    pub fn input_text(value: &Value) -> String {
        match value {
            Value::Null => String::new(),
            Value::String(s) => s.clone(),
            Value::Array(items) => items
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| v.to_string())
                })
                .collect::<Vec<_>>()
                .join(", "),
            Value::Object(o) if o.contains_key("amount") => {
                o.get("amount").map(Schema::input_text).unwrap_or_default()
            }
            v => v.to_string(),
        }
    }

    /// A value of `field` as a person reads it (tracked): options, stages and users by name.
    pub fn value_text(self, field: &str, value: &Value, i: I18n) -> String {
        value_text(self.current(), self.custom(field).as_ref(), field, value, i)
    }
}

/// A value of `entity`'s `field` (`custom`: its definition, when it is a custom field) as a
/// person reads it (tracked).
pub fn value_text(
    entity: &'static Entity,
    custom: Option<&CustomField>,
    field: &str,
    value: &Value,
    i: I18n,
) -> String {
    let auth = use_auth();
    match custom {
        Some(f) => crate::custom::value_text(f, Some(value), i, auth),
        None => crate::components::FieldText { entity }.value_text(field, value, auth, i),
    }
}

fn yes_and_no(locale: Locale) -> Vec<(String, String)> {
    [true, false]
        .map(|b| (b.to_string(), yes_no(b, locale).to_string()))
        .into()
}

/// The organization's users, by name (tracked).
fn users(auth: Auth, i: I18n) -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = auth
        .directory
        .get()
        .unwrap_or_default()
        .into_iter()
        .map(|u| (u.id.to_string(), u.name))
        .collect();
    if let Some(me) = auth.my_id() {
        if !all.iter().any(|(id, _)| *id == me.to_string()) {
            all.insert(0, (me.to_string(), auth.user_name(me, i.t(K::Mine))));
        }
    }
    all
}

/// Every pipeline's stages (named with their pipeline when there are several) (tracked).
fn stages(auth: Auth, locale: Locale) -> Vec<(String, String)> {
    let pipelines = auth.pipelines.get().unwrap_or_default();
    let several = pipelines.len() > 1;
    pipelines
        .into_iter()
        .flat_map(|p| {
            let name = p.name.clone();
            p.stages.into_iter().map(move |s| {
                let stage = stage_label(&s.name, locale);
                let text = if several {
                    format!("{name} · {stage}")
                } else {
                    stage
                };
                (s.id.to_string(), text)
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_run_on_the_four_written_entities() {
        let names: Vec<&str> = entities().map(|e| e.name).collect();
        assert_eq!(names, ["account", "contact", "lead", "opportunity"]);
        assert!(!automated(&registry::PRODUCT));
    }

    #[test]
    fn a_value_reads_back_into_its_input() {
        assert_eq!(Schema::input_text(&json!("key")), "key");
        assert_eq!(Schema::input_text(&json!(12)), "12");
        assert_eq!(Schema::input_text(&json!(["a", "b"])), "a, b");
        assert_eq!(
            Schema::input_text(&json!({"amount": "100", "currency": "CNY"})),
            "100"
        );
        assert_eq!(Schema::input_text(&Value::Null), "");
    }
}
