//! Custom values: each checked and normalized against its field's rules on every write, merged
//! from a patch, filled by a merge, and the searchable ones' text.

use super::{CustomField, CustomValues, FieldType, LONG_TEXT_MAX, MULTI_MAX, TEXT_MAX};
use crate::money::{Decimal, Money, MAX_INTEGER_DIGITS, MAX_SCALE};
use crate::normalize;
use crate::picklist::PicklistValue;
use crate::problem::FieldError;
use chrono::{DateTime, Datelike, NaiveDate, SecondsFormat, Utc};
use serde_json::Value;
use uuid::Uuid;
use validator::ValidateEmail;

/// What a value of a field is checked against.
pub(super) struct Rules<'a> {
    pub(super) type_: FieldType,
    pub(super) min: Option<&'a Decimal>,
    pub(super) max: Option<&'a Decimal>,
    pub(super) min_length: Option<i32>,
    pub(super) max_length: Option<i32>,
    pub(super) options: &'a [PicklistValue],
}

type Problem = (&'static str, String);

fn problem<T>(code: &'static str, message: impl Into<String>) -> Result<T, Problem> {
    Err((code, message.into()))
}

impl Rules<'_> {
    /// The value normalized for storage, or why it is refused. `null` never reaches here.
    pub(super) fn check(&self, v: &Value) -> Result<Value, Problem> {
        let text = || {
            v.as_str()
                .map(str::trim)
                .ok_or(("type", "a string".to_string()))
        };
        match self.type_ {
            FieldType::Text | FieldType::LongText => {
                let s = text()?;
                self.length(s)?;
                Ok(Value::String(s.to_string()))
            }
            FieldType::Email => {
                let s = normalize::email(text()?);
                if !s.validate_email() || s.len() > 254 {
                    return problem("email", "not a valid email address");
                }
                Ok(Value::String(s))
            }
            FieldType::Phone => normalize::phone(text()?)
                .map(Value::String)
                .map_err(|m| ("phone", m.to_string())),
            FieldType::Url => {
                let s = text()?;
                let rest = s
                    .strip_prefix("https://")
                    .or_else(|| s.strip_prefix("http://"));
                if rest.is_none_or(|r| r.is_empty() || r.contains(char::is_whitespace)) {
                    return problem("url", "an http:// or https:// address without spaces");
                }
                self.length(s)?;
                Ok(Value::String(s.to_string()))
            }
            FieldType::Number => {
                let n = number(v)?;
                self.range(&n)?;
                Ok(Value::String(n.to_string()))
            }
            FieldType::Money => {
                let m: Money = serde_json::from_value(v.clone()).map_err(|_| {
                    (
                        "type",
                        r#"an object such as {"amount": "12500.00", "currency": "CNY"}"#
                            .to_string(),
                    )
                })?;
                if let Some((sub, code, message)) = m.problems().into_iter().next() {
                    return Err((code, format!("{sub}: {message}")));
                }
                self.range(&m.amount)?;
                Ok(serde_json::json!({"amount": m.amount.to_string(), "currency": m.currency}))
            }
            FieldType::Date => {
                let d = NaiveDate::parse_from_str(text()?, "%Y-%m-%d")
                    .ok()
                    .filter(|d| (1..=9999).contains(&d.year()))
                    .ok_or(("date", "a date such as 2026-01-05".to_string()))?;
                Ok(Value::String(d.format("%Y-%m-%d").to_string()))
            }
            FieldType::Datetime => {
                let t = DateTime::parse_from_rfc3339(text()?)
                    .ok()
                    .map(|t| t.with_timezone(&Utc))
                    .filter(|t| (1..=9999).contains(&t.year()))
                    .ok_or((
                        "datetime",
                        "an RFC 3339 time such as 2026-01-05T09:30:00+08:00".to_string(),
                    ))?;
                Ok(Value::String(t.to_rfc3339_opts(SecondsFormat::Secs, true)))
            }
            FieldType::Boolean => v
                .as_bool()
                .map(Value::Bool)
                .ok_or(("type", "true or false".to_string())),
            FieldType::Picklist => {
                let key = text()?;
                self.option(key)?;
                Ok(Value::String(key.to_string()))
            }
            FieldType::MultiPicklist => {
                let items = v
                    .as_array()
                    .ok_or(("type", "a list of option keys".to_string()))?;
                if items.len() > MULTI_MAX {
                    return problem("length", format!("at most {MULTI_MAX} values"));
                }
                let mut keys: Vec<Value> = Vec::new();
                for item in items {
                    let key = item
                        .as_str()
                        .ok_or(("type", "a list of option keys".to_string()))?;
                    self.option(key)?;
                    if !keys.iter().any(|k| k == key) {
                        keys.push(Value::String(key.to_string()));
                    }
                }
                Ok(Value::Array(keys))
            }
            FieldType::User | FieldType::Lookup => {
                let id = Uuid::parse_str(text()?).map_err(|_| ("type", "a UUID".to_string()))?;
                Ok(Value::String(id.to_string()))
            }
            FieldType::Formula | FieldType::Rollup => problem(
                "computed",
                "a computed field takes no values: it is computed",
            ),
        }
    }

    fn length(&self, s: &str) -> Result<(), Problem> {
        let n = s.chars().count();
        let cap = if self.type_ == FieldType::LongText {
            LONG_TEXT_MAX
        } else {
            TEXT_MAX
        };
        let max = self.max_length.map_or(cap, |m| (m as usize).min(cap));
        let min = self.min_length.unwrap_or(0) as usize;
        if n > max || n < min {
            return problem("length", format!("{min}–{max} characters"));
        }
        Ok(())
    }

    fn range(&self, n: &Decimal) -> Result<(), Problem> {
        if self.min.is_some_and(|lo| n < lo) || self.max.is_some_and(|hi| n > hi) {
            let bound = |b: Option<&Decimal>| b.map_or("…".to_string(), |d| d.to_string());
            return problem(
                "range",
                format!("from {} to {}", bound(self.min), bound(self.max)),
            );
        }
        Ok(())
    }

    fn option(&self, key: &str) -> Result<(), Problem> {
        if self.options.iter().any(|o| o.key == key && o.active) {
            Ok(())
        } else {
            problem("picklist", format!("`{key}` is not an active option"))
        }
    }
}

/// A decimal from a JSON string or number, within the size of amounts.
fn number(v: &Value) -> Result<Decimal, Problem> {
    let raw = match v {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => return problem("type", "a number"),
    };
    raw.parse::<Decimal>()
        .ok()
        .filter(|n| n.integer_digits() <= MAX_INTEGER_DIGITS && n.scale() <= MAX_SCALE)
        .ok_or((
            "number",
            format!(
                "a number of at most {MAX_INTEGER_DIGITS} digits before and {MAX_SCALE} after the point"
            ),
        ))
}

impl CustomField {
    fn rules(&self) -> Rules<'_> {
        Rules {
            type_: self.type_,
            min: self.min.as_ref(),
            max: self.max.as_ref(),
            min_length: self.min_length,
            max_length: self.max_length,
            options: &self.options,
        }
    }

    /// The path of the field in a request body and in field errors (`custom.budget`).
    pub fn path(&self) -> String {
        format!("custom.{}", self.key)
    }

    /// Whether a stored value may be shown as text in search.
    fn search_text<'v>(&self, v: &'v Value) -> Option<&'v str> {
        (self.searchable && self.type_.is_text())
            .then(|| v.as_str())
            .flatten()
    }
}

/// Checks and normalizes `values` — a record's custom values after a write's changes — against
/// the entity's fields. `before` is the record as stored (`None`: a create, which gets the
/// defaults). Every bad value is reported as `custom.<key>`: unknown keys, values of the wrong
/// type or out of bounds, a changed value of an inactive field, and a missing required one.
/// `null` removes a value.
pub fn check_values(
    fields: &[CustomField],
    before: Option<&CustomValues>,
    values: &mut CustomValues,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let empty = CustomValues::new();
    let stored = before.unwrap_or(&empty);
    values.retain(|_, v| !v.is_null());
    for (key, value) in values.iter_mut() {
        let path = format!("custom.{key}");
        let Some(f) = fields.iter().find(|f| &f.key == key) else {
            errors.push(FieldError::new(path, "unknown", "no such custom field"));
            continue;
        };
        if stored.get(key) == Some(value) {
            // Unchanged: stored values were checked when written (an inactive field keeps them).
            continue;
        }
        if f.type_.computed() {
            errors.push(FieldError::new(
                path,
                "computed",
                "a computed field takes no values",
            ));
            continue;
        }
        match f.rules().check(value) {
            // The same value written again in another form (`12` for `"12"`).
            Ok(v) if stored.get(key) == Some(&v) => *value = v,
            _ if !f.active => errors.push(inactive(path)),
            Ok(v) => *value = v,
            Err((code, message)) => errors.push(FieldError::new(path, code, message)),
        }
    }
    for key in stored.keys().filter(|k| !values.contains_key(*k)) {
        if fields
            .iter()
            .any(|f| &f.key == key && f.type_ == FieldType::Rollup)
        {
            // Kept by its related records, not by this write.
            errors.push(FieldError::new(
                format!("custom.{key}"),
                "computed",
                "a computed field takes no values",
            ));
        } else if fields.iter().any(|f| &f.key == key && !f.active) {
            errors.push(inactive(format!("custom.{key}")));
        }
    }
    for f in fields.iter().filter(|f| f.active) {
        if before.is_none() && !values.contains_key(&f.key) {
            if let Some(d) = &f.default {
                values.insert(f.key.clone(), d.clone());
            }
        }
        if f.required && !values.contains_key(&f.key) {
            errors.push(FieldError::new(
                f.path(),
                "required",
                "this field is required",
            ));
        }
    }
    errors
}

fn inactive(path: String) -> FieldError {
    FieldError::new(
        path,
        "inactive",
        "this field is deactivated: its values are kept but take no changes",
    )
}

/// A patch of custom values: present keys replace; a `null` is kept as the mark of a value to
/// remove, which [`check_values`] then drops.
pub fn merge(values: &mut CustomValues, patch: Option<CustomValues>) {
    for (k, v) in patch.into_iter().flatten() {
        values.insert(k, v);
    }
}

/// Merging two records: keys the kept one lacks are taken from the other.
pub fn fill(kept: &mut CustomValues, other: &CustomValues) {
    for (k, v) in other {
        kept.entry(k.clone()).or_insert_with(|| v.clone());
    }
}

/// The text of the searchable fields' values, for a record's search text.
pub fn search_text<'v>(fields: &[CustomField], values: &'v CustomValues) -> Vec<&'v str> {
    fields
        .iter()
        .filter_map(|f| values.get(&f.key).and_then(|v| f.search_text(v)))
        .collect()
}
