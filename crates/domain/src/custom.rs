//! Custom fields (自定义字段): fields an organization's admin adds to an entity without code. A
//! definition says a field's type, labels and rules; records keep the values in `custom`, keyed by
//! the field's key. Definitions are never dropped, only deactivated (as picklist values are), so a
//! stored value always has its label. Values are checked here ([`check_values`]); what needs the
//! database (users, lookups, unique values) is checked by the persistence layer.

use crate::metadata::Names;
use crate::money::Decimal;
use crate::picklist::PicklistValue;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

/// A record's custom values, by field key.
pub type CustomValues = serde_json::Map<String, Value>;

/// The longest text a `text` field takes unless its definition says less (and the most it may say).
pub const TEXT_MAX: usize = 255;
/// The same for `long_text`.
pub const LONG_TEXT_MAX: usize = 10_000;
/// The most values a multi-picklist value holds.
pub const MULTI_MAX: usize = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    /// One line, up to 255 characters.
    Text,
    /// Paragraphs, up to 10,000 characters; not filterable.
    LongText,
    /// An exact decimal, written as a string (`"12.5"`) or a JSON number.
    Number,
    /// `{"amount": "12500.00", "currency": "CNY"}`.
    Money,
    /// `2026-01-05`.
    Date,
    /// An RFC 3339 time, stored in UTC to the second.
    Datetime,
    Boolean,
    /// One key of the field's `options`.
    Picklist,
    /// A list of keys of the field's `options`.
    MultiPicklist,
    /// The id of an active user of the organization.
    User,
    /// The id of a record of the field's `target` entity.
    Lookup,
    Email,
    /// Normalized to E.164.
    Phone,
    /// An `http` or `https` address.
    Url,
    /// Computed on every write from the record's own number fields (`formula`); read-only.
    Formula,
    /// Computed from related records (`rollup`: count, sum, min or max), kept in step in the
    /// transaction of every change to them; read-only.
    Rollup,
}

impl FieldType {
    pub const ALL: [FieldType; 16] = [
        FieldType::Text,
        FieldType::LongText,
        FieldType::Number,
        FieldType::Money,
        FieldType::Date,
        FieldType::Datetime,
        FieldType::Boolean,
        FieldType::Picklist,
        FieldType::MultiPicklist,
        FieldType::User,
        FieldType::Lookup,
        FieldType::Email,
        FieldType::Phone,
        FieldType::Url,
        FieldType::Formula,
        FieldType::Rollup,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::LongText => "long_text",
            FieldType::Number => "number",
            FieldType::Money => "money",
            FieldType::Date => "date",
            FieldType::Datetime => "datetime",
            FieldType::Boolean => "boolean",
            FieldType::Picklist => "picklist",
            FieldType::MultiPicklist => "multi_picklist",
            FieldType::User => "user",
            FieldType::Lookup => "lookup",
            FieldType::Email => "email",
            FieldType::Phone => "phone",
            FieldType::Url => "url",
            FieldType::Formula => "formula",
            FieldType::Rollup => "rollup",
        }
    }

    pub fn parse(s: &str) -> Option<FieldType> {
        FieldType::ALL.into_iter().find(|t| t.as_str() == s)
    }

    fn is_text(self) -> bool {
        matches!(
            self,
            FieldType::Text
                | FieldType::LongText
                | FieldType::Email
                | FieldType::Phone
                | FieldType::Url
        )
    }

    /// Whether its value is computed, never written.
    pub fn computed(self) -> bool {
        matches!(self, FieldType::Formula | FieldType::Rollup)
    }

    /// Whether its values are numbers (a formula's operands, a roll-up's result).
    pub fn numeric(self) -> bool {
        matches!(
            self,
            FieldType::Number | FieldType::Formula | FieldType::Rollup
        )
    }

    /// Whether a list may filter (and sort) on it through an index.
    pub fn filterable(self) -> bool {
        self != FieldType::LongText
    }

    /// Whether two records may be required to differ in it.
    pub fn can_be_unique(self) -> bool {
        matches!(
            self,
            FieldType::Text
                | FieldType::Number
                | FieldType::Email
                | FieldType::Phone
                | FieldType::Url
        )
    }
}

/// How a roll-up field aggregates related records: the `source` collection's records that point
/// to this one (an account's contacts, leads or opportunities, by their `account_id`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Rollup {
    #[cfg_attr(feature = "openapi", schema(example = "opportunities"))]
    pub source: String,
    pub function: RollupFunction,
    /// The number field of `source` to aggregate (not for `count`), e.g. `amount`.
    #[serde(default)]
    pub field: Option<String>,
    /// Which related records count, in the list filter language, e.g. `status=won`.
    #[serde(default)]
    pub filter: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RollupFunction {
    Count,
    Sum,
    Min,
    Max,
}

impl RollupFunction {
    pub fn sql(self) -> &'static str {
        match self {
            RollupFunction::Count => "count",
            RollupFunction::Sum => "sum",
            RollupFunction::Min => "min",
            RollupFunction::Max => "max",
        }
    }
}

/// A custom field as the API returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomField {
    pub id: Uuid,
    /// The collection it belongs to (`accounts`).
    #[cfg_attr(feature = "openapi", schema(example = "accounts"))]
    pub entity: String,
    /// Its key in records' `custom` and in lists (`custom.budget[gte]=1000`).
    #[cfg_attr(feature = "openapi", schema(example = "budget"))]
    pub key: String,
    #[serde(rename = "type")]
    pub type_: FieldType,
    pub label: Names,
    pub help: Option<Names>,
    pub required: bool,
    pub unique: bool,
    /// Given to new records that do not set the field.
    pub default: Option<Value>,
    /// Bounds of a `number` or `money` amount.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub min: Option<Decimal>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub max: Option<Decimal>,
    /// Bounds of a text's length in characters.
    pub min_length: Option<i32>,
    pub max_length: Option<i32>,
    /// The values of a picklist or multi-picklist.
    pub options: Vec<PicklistValue>,
    /// The entity a `lookup` points to (`contacts`).
    pub target: Option<String>,
    /// A `formula` field's arithmetic over the record's number fields, e.g. `annual_revenue / employees`.
    pub formula: Option<String>,
    /// A `rollup` field's aggregate of related records.
    pub rollup: Option<Rollup>,
    /// The form section it shows in (`详细信息`); fields without one show under the built-in fields.
    pub section: Option<String>,
    /// Its place in forms and column pickers (ascending).
    pub position: i32,
    /// Lists may filter and sort on it; an index serves it once `index` is `ready`.
    pub filterable: bool,
    /// Quick search and global search match its text.
    pub searchable: bool,
    /// An inactive field keeps its values but takes no new ones.
    pub active: bool,
    /// `none`, `building` or `ready`: the state of the index behind a filterable field.
    pub index: String,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// `POST /custom-fields`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CustomFieldInput {
    #[cfg_attr(feature = "openapi", schema(example = "accounts"))]
    pub entity: String,
    /// 1–40 lower-case letters, digits or `_`, starting with a letter.
    #[cfg_attr(feature = "openapi", schema(example = "budget"))]
    pub key: String,
    #[serde(rename = "type")]
    pub type_: FieldType,
    pub label: Names,
    #[serde(default)]
    pub help: Option<Names>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub unique: bool,
    #[serde(default)]
    pub default: Option<Value>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub min: Option<Decimal>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub max: Option<Decimal>,
    #[serde(default)]
    pub min_length: Option<i32>,
    #[serde(default)]
    pub max_length: Option<i32>,
    #[serde(default)]
    pub options: Vec<PicklistValue>,
    #[serde(default)]
    pub target: Option<String>,
    #[serde(default)]
    pub formula: Option<String>,
    #[serde(default)]
    pub rollup: Option<Rollup>,
    #[serde(default)]
    pub section: Option<String>,
    /// Defaults to after the entity's last field.
    #[serde(default)]
    pub position: Option<i32>,
    #[serde(default)]
    pub filterable: bool,
    #[serde(default)]
    pub searchable: bool,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

/// `PATCH /custom-fields/{id}`: absent fields stay, `null` clears. The entity, key, type and
/// target are fixed: stored values were checked against them.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CustomFieldPatch {
    pub label: Option<Names>,
    #[serde(default, deserialize_with = "crate::patch::double_option")]
    pub help: Option<Option<Names>>,
    pub required: Option<bool>,
    pub unique: Option<bool>,
    #[serde(default, deserialize_with = "crate::patch::double_option")]
    pub default: Option<Option<Value>>,
    #[serde(default, deserialize_with = "crate::patch::double_option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub min: Option<Option<Decimal>>,
    #[serde(default, deserialize_with = "crate::patch::double_option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub max: Option<Option<Decimal>>,
    #[serde(default, deserialize_with = "crate::patch::double_option")]
    pub min_length: Option<Option<i32>>,
    #[serde(default, deserialize_with = "crate::patch::double_option")]
    pub max_length: Option<Option<i32>>,
    /// The whole list; stored keys may be deactivated, never removed.
    pub options: Option<Vec<PicklistValue>>,
    /// A formula field's new formula (its values are recomputed as records are written).
    pub formula: Option<String>,
    /// A roll-up field's new aggregate (every record's value is recomputed at once).
    pub rollup: Option<Rollup>,
    #[serde(default, deserialize_with = "crate::patch::double_option")]
    pub section: Option<Option<String>>,
    pub position: Option<i32>,
    pub filterable: Option<bool>,
    pub searchable: Option<bool>,
    pub active: Option<bool>,
}

mod definition;
mod values;
pub use values::{check_values, fill, merge, search_text};

pub mod formula;

#[cfg(test)]
mod tests;
