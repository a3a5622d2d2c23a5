//! `GET /metadata`: what the registry says of each entity, and how its list is filtered and
//! sorted — what integrations and the web app read to build lists and forms without a copy of
//! their own.

use crate::registry::fields::{FieldDef, Input, Item};
pub use crate::registry::Names;
use crate::registry::{Entity, Joins};
use serde::{Deserialize, Serialize};

/// An entity as the metadata API describes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntityMeta {
    /// `account`: the name in events, search hits and timelines.
    pub name: String,
    /// `accounts`: the collection's path under `/api/v1`.
    pub plural: String,
    pub label: Names,
    pub plural_label: Names,
    pub owned: bool,
    pub duplicate_keys: Vec<String>,
    pub joins: Joins,
    /// Whether the list takes `q` (quick search).
    pub searchable: bool,
    /// The list's order without `sort`, e.g. `-created_at`.
    pub default_sort: String,
    /// The fields the list filters (`field[op]=value`) and, where `sortable`, sorts on; the
    /// organization's filterable custom fields among them as `custom.<key>`.
    pub fields: Vec<FieldMeta>,
    /// The organization's custom fields of the entity (active and deactivated), in form order.
    pub custom_fields: Vec<crate::custom::CustomField>,
    /// The built-in fields as forms enter them, in form order (the custom fields follow them).
    #[serde(default)]
    pub form: Vec<FormField>,
}

/// A built-in field as a form enters it and a record page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FormField {
    /// Its name in the record's JSON.
    pub name: String,
    pub label: Names,
    /// `text`, `long_text`, `email`, `phone`, `url`, `integer`, `money`, `date`, `datetime`,
    /// `bool`, `tags`, `list`, `picklist`, `enum`, `reference`, `owner`, `region`, or `special`
    /// (entered through the entity's own endpoints or pages: a product's category, a deal's stage).
    pub input: String,
    /// The most characters a `text` or `long_text` takes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u16>,
    /// What a `list` holds: `text`, `phone` or `email`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// A `picklist`'s name: its values are `GET /picklists/{name}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub picklist: Option<String>,
    /// An `enum`'s values, the default first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<ChoiceMeta>,
    /// A `reference`'s entity (`account`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// A `bool`'s value on a new record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<bool>,
    /// A create without it is refused (422 naming it).
    pub required: bool,
    /// Set by the server, never written.
    pub read_only: bool,
    /// No two live records share its value (case-insensitive): a taken one is a 409 whose
    /// `errors` name the field (code `taken`).
    pub unique: bool,
    /// The form section it is in (`basic`, `contact`, `more`).
    pub section: String,
    pub section_label: Names,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<Names>,
}

/// One value of an `enum` field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChoiceMeta {
    pub key: String,
    pub label: Names,
    /// Whether a write may set it (a lead becomes `converted` only by its conversion).
    pub settable: bool,
    /// The field a write that sets it must also give (a disqualified lead's reason).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requires: Option<String>,
}

impl From<&FieldDef> for FormField {
    fn from(f: &FieldDef) -> Self {
        let mut out = FormField {
            name: f.name.into(),
            label: f.label.into(),
            input: String::new(),
            max_length: None,
            item: None,
            picklist: None,
            choices: Vec::new(),
            target: None,
            default: None,
            required: f.required,
            read_only: f.read_only,
            unique: f.unique,
            section: f.section.key.into(),
            section_label: f.section.label.into(),
            help: f.help.map(Names::from),
        };
        out.input = match f.input {
            Input::Text { max } => {
                out.max_length = max;
                "text"
            }
            Input::LongText { max } => {
                out.max_length = max;
                "long_text"
            }
            Input::Email => "email",
            Input::Phone => "phone",
            Input::Url => "url",
            Input::Integer => "integer",
            Input::Money => "money",
            Input::Date => "date",
            Input::DateTime => "datetime",
            Input::Bool { default } => {
                out.default = Some(default);
                "bool"
            }
            Input::Tags => "tags",
            Input::List(item) => {
                out.item = Some(
                    match item {
                        Item::Text => "text",
                        Item::Phone => "phone",
                        Item::Email => "email",
                    }
                    .into(),
                );
                "list"
            }
            Input::Picklist(name) => {
                out.picklist = Some(name.into());
                "picklist"
            }
            Input::Enum(choices) => {
                out.choices = choices
                    .iter()
                    .map(|c| ChoiceMeta {
                        key: c.key.into(),
                        label: c.label.into(),
                        settable: c.settable,
                        requires: c.requires.map(String::from),
                    })
                    .collect();
                "enum"
            }
            Input::Reference(target) => {
                out.target = Some(target.into());
                "reference"
            }
            Input::Owner => "owner",
            Input::Region => "region",
            Input::Special => "special",
        }
        .into();
        out
    }
}

/// One filterable field of a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldMeta {
    pub name: String,
    /// `uuid`, `text`, `integer`, `decimal`, `timestamp`, `date`, `enum`, `tags` or `boolean`.
    #[serde(rename = "type")]
    pub type_: String,
    pub nullable: bool,
    pub sortable: bool,
    /// The filter operators it takes (`eq`, `ne`, `gt`, `gte`, `lt`, `lte`, `in`, `contains`).
    pub operators: Vec<String>,
    /// The allowed values of an `enum` field.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub values: Vec<String>,
}

impl EntityMeta {
    /// The registry's part of the description; the list's part (`fields`, `searchable`,
    /// `default_sort`) comes from how the entity is stored.
    pub fn of(
        e: &Entity,
        searchable: bool,
        default_sort: &str,
        fields: Vec<FieldMeta>,
        custom_fields: Vec<crate::custom::CustomField>,
    ) -> Self {
        EntityMeta {
            name: e.name.into(),
            plural: e.plural.into(),
            label: e.label.into(),
            plural_label: e.plural_label.into(),
            owned: e.owned,
            duplicate_keys: e.duplicate_keys.iter().map(|k| k.to_string()).collect(),
            joins: e.joins,
            searchable,
            default_sort: default_sort.into(),
            fields,
            custom_fields,
            form: e.fields.iter().map(FormField::from).collect(),
        }
    }
}
