//! Custom fields (自定义字段): fields an organization's admin adds to an entity without code. A
//! definition says a field's type, labels and rules; records keep the values in `custom`, keyed by
//! the field's key. Definitions are never dropped, only deactivated (as picklist values are), so a
//! stored value always has its label. Values are checked here ([`check_values`]); what needs the
//! database (users, lookups, unique values) is checked by the persistence layer.

use crate::metadata::Names;
use crate::money::Decimal;
use crate::picklist::PicklistValue;
use crate::problem::FieldError;
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

impl CustomFieldInput {
    /// The writable part of a stored field, for applying a patch to.
    pub fn from_field(f: &CustomField) -> Self {
        CustomFieldInput {
            entity: f.entity.clone(),
            key: f.key.clone(),
            type_: f.type_,
            label: f.label.clone(),
            help: f.help.clone(),
            required: f.required,
            unique: f.unique,
            default: f.default.clone(),
            min: f.min.clone(),
            max: f.max.clone(),
            min_length: f.min_length,
            max_length: f.max_length,
            options: f.options.clone(),
            target: f.target.clone(),
            formula: f.formula.clone(),
            rollup: f.rollup.clone(),
            section: f.section.clone(),
            position: Some(f.position),
            filterable: f.filterable,
            searchable: f.searchable,
            active: f.active,
        }
    }

    pub fn apply(&mut self, p: CustomFieldPatch) {
        use crate::fields::set;
        set(&mut self.label, p.label);
        set(&mut self.help, p.help);
        set(&mut self.required, p.required);
        set(&mut self.unique, p.unique);
        set(&mut self.default, p.default);
        set(&mut self.min, p.min);
        set(&mut self.max, p.max);
        set(&mut self.min_length, p.min_length);
        set(&mut self.max_length, p.max_length);
        set(&mut self.options, p.options);
        if p.formula.is_some() {
            self.formula = p.formula;
        }
        if p.rollup.is_some() {
            self.rollup = p.rollup;
        }
        set(&mut self.section, p.section);
        if p.position.is_some() {
            self.position = p.position;
        }
        set(&mut self.filterable, p.filterable);
        set(&mut self.searchable, p.searchable);
        set(&mut self.active, p.active);
    }

    /// Checks the definition (`before`: the stored one it replaces): a well-formed key, labels,
    /// rules that fit the type, options for picklists and only for them, a registry entity as a
    /// lookup's target, and a default that the field itself would accept.
    pub fn normalize(
        &mut self,
        lookup_targets: &[&str],
        before: Option<&CustomField>,
    ) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        let t = self.type_;
        self.key = self.key.trim().to_string();
        let key_ok = (1..=40).contains(&self.key.len())
            && self.key.starts_with(|c: char| c.is_ascii_lowercase())
            && self
                .key
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !key_ok {
            errors.push(FieldError::new(
                "key",
                "key",
                "1–40 lower-case letters, digits or `_`, starting with a letter",
            ));
        }
        let mut labels = vec![("label", &mut self.label)];
        if let Some(help) = self.help.as_mut() {
            labels.push(("help", help));
        }
        for (name, l) in labels {
            let max = if name == "label" { 60 } else { 500 };
            for (lang, text) in [("zh", &mut l.zh), ("en", &mut l.en)] {
                *text = text.trim().to_string();
                if text.is_empty() || text.chars().count() > max {
                    errors.push(FieldError::new(
                        format!("{name}.{lang}"),
                        "length",
                        format!("1–{max} characters"),
                    ));
                }
            }
        }
        crate::fields::trim_opt(&mut self.section);
        if self
            .section
            .as_ref()
            .is_some_and(|s| s.chars().count() > 60)
        {
            errors.push(FieldError::new(
                "section",
                "length",
                "at most 60 characters",
            ));
        }
        let numeric = matches!(t, FieldType::Number | FieldType::Money);
        if !numeric && (self.min.is_some() || self.max.is_some()) {
            errors.push(FieldError::new(
                "min",
                "type",
                "`min` and `max` bound numbers and money only",
            ));
        }
        if let (Some(lo), Some(hi)) = (&self.min, &self.max) {
            if lo > hi {
                errors.push(FieldError::new("max", "range", "`max` is below `min`"));
            }
        }
        let text_max = match t {
            FieldType::LongText => LONG_TEXT_MAX,
            _ => TEXT_MAX,
        } as i32;
        if t.is_text() {
            for (name, v) in [
                ("min_length", self.min_length),
                ("max_length", self.max_length),
            ] {
                if v.is_some_and(|n| !(0..=text_max).contains(&n)) {
                    errors.push(FieldError::new(
                        name,
                        "range",
                        format!("from 0 to {text_max}"),
                    ));
                }
            }
            if let (Some(lo), Some(hi)) = (self.min_length, self.max_length) {
                if lo > hi {
                    errors.push(FieldError::new(
                        "max_length",
                        "range",
                        "`max_length` is below `min_length`",
                    ));
                }
            }
        } else if self.min_length.is_some() || self.max_length.is_some() {
            errors.push(FieldError::new(
                "min_length",
                "type",
                "`min_length` and `max_length` bound text only",
            ));
        }
        let picklist = matches!(t, FieldType::Picklist | FieldType::MultiPicklist);
        if picklist {
            let mut list = crate::picklist::PicklistInput {
                values: std::mem::take(&mut self.options),
            };
            if let Err(e) = list.normalize(before.map(|b| b.options.as_slice()).unwrap_or(&[])) {
                errors.extend(e.into_iter().map(|e| FieldError {
                    field: e.field.replacen("values", "options", 1),
                    ..e
                }));
            }
            self.options = list.values;
        } else if !self.options.is_empty() {
            errors.push(FieldError::new(
                "options",
                "type",
                "only picklists have options",
            ));
        }
        match (t, self.target.as_deref()) {
            (FieldType::Lookup, Some(target)) if lookup_targets.contains(&target) => {}
            (FieldType::Lookup, _) => errors.push(FieldError::new(
                "target",
                "target",
                format!(
                    "a lookup needs a target: one of {}",
                    lookup_targets.join(", ")
                ),
            )),
            (_, Some(_)) => errors.push(FieldError::new(
                "target",
                "type",
                "only lookups have a target",
            )),
            (_, None) => {}
        }
        match (t, &self.formula) {
            (FieldType::Formula, None) => errors.push(FieldError::new(
                "formula",
                "formula",
                "a formula field needs a formula, e.g. `annual_revenue / employees`",
            )),
            (FieldType::Formula, Some(_)) | (_, None) => {}
            (_, Some(_)) => errors.push(FieldError::new(
                "formula",
                "type",
                "only formula fields have a formula",
            )),
        }
        match (t, &self.rollup) {
            (FieldType::Rollup, None) => errors.push(FieldError::new(
                "rollup",
                "rollup",
                "a roll-up field needs `rollup`: its source, function, field and filter",
            )),
            (FieldType::Rollup, Some(r))
                if r.function != RollupFunction::Count && r.field.is_none() =>
            {
                errors.push(FieldError::new(
                    "rollup.field",
                    "required",
                    "sum, min and max need a field",
                ))
            }
            (FieldType::Rollup, Some(_)) | (_, None) => {}
            (_, Some(_)) => errors.push(FieldError::new(
                "rollup",
                "type",
                "only roll-up fields have `rollup`",
            )),
        }
        if t.computed() && (self.required || self.default.is_some()) {
            errors.push(FieldError::new(
                "required",
                "type",
                "a computed field is neither required nor has a default",
            ));
        }
        if self.unique && !t.can_be_unique() {
            errors.push(FieldError::new(
                "unique",
                "type",
                "only text, number, e-mail, phone and URL fields can be unique",
            ));
        }
        if self.filterable && !t.filterable() {
            errors.push(FieldError::new(
                "filterable",
                "type",
                "long text is not filterable",
            ));
        }
        if self.searchable && !t.is_text() {
            errors.push(FieldError::new(
                "searchable",
                "type",
                "only text, long text, e-mail, phone and URL fields are searchable",
            ));
        }
        if self.default.as_ref().is_some_and(Value::is_null) {
            self.default = None;
        }
        if let Some(d) = &self.default {
            if matches!(t, FieldType::User | FieldType::Lookup) || self.unique {
                errors.push(FieldError::new(
                    "default",
                    "type",
                    "user, lookup and unique fields have no default",
                ));
            } else {
                match self.as_rules().check(d) {
                    Ok(v) => self.default = Some(v),
                    Err((code, message)) => errors.push(FieldError::new("default", code, message)),
                }
            }
        }
        // A unique field is indexed: its check on every write must not read the whole table.
        if self.unique {
            self.filterable = true;
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    fn as_rules(&self) -> Rules<'_> {
        Rules {
            type_: self.type_,
            min: self.min.as_ref(),
            max: self.max.as_ref(),
            min_length: self.min_length,
            max_length: self.max_length,
            options: &self.options,
        }
    }
}

mod values;
use values::Rules;
pub use values::{check_values, fill, merge, search_text};

pub mod formula;

#[cfg(test)]
mod tests;
