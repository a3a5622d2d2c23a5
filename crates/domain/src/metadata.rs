//! `GET /metadata`: what the registry says of each entity, and how its list is filtered and
//! sorted — what integrations and the web app read to build lists and forms without a copy of
//! their own.

use crate::registry::{Entity, Joins, Label};
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

/// A name in zh-CN and en.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Names {
    #[cfg_attr(feature = "openapi", schema(example = "客户"))]
    pub zh: String,
    #[cfg_attr(feature = "openapi", schema(example = "Account"))]
    pub en: String,
}

impl From<Label> for Names {
    fn from(l: Label) -> Self {
        Names {
            zh: l.zh.into(),
            en: l.en.into(),
        }
    }
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
        }
    }
}
