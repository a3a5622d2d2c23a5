//! How custom values read in SQL: each field of the `custom` column as a list column (filtered,
//! sorted and summed by the one list mechanism), a formula's operands and its SQL, and the
//! searchable text a record's custom values add. Pure: no queries.

use crate::list::{Col, Kind, Spec};
use domain::custom::{CustomField, CustomValues, FieldType};
use serde_json::Value;

/// The SQL of a field's value in its entity's table, and how lists compare it. The key is
/// checked when the field is defined (lower-case letters, digits, `_`), so it is spliced as a
/// literal: the expression must be the very text of the field's index. `None`: not filterable.
pub fn column_sql(key: &str, t: FieldType) -> Option<(String, Kind)> {
    let text = format!("(custom->>'{key}')");
    Some(match t {
        FieldType::LongText => return None,
        FieldType::Text
        | FieldType::Email
        | FieldType::Phone
        | FieldType::Url
        | FieldType::Picklist => (text, Kind::Text),
        FieldType::Number | FieldType::Formula | FieldType::Rollup => {
            (format!("{text}::numeric"), Kind::Numeric)
        }
        FieldType::Money => (
            format!("(custom->'{key}'->>'amount')::numeric"),
            Kind::Numeric,
        ),
        FieldType::Date => (text, Kind::Date),
        FieldType::Datetime => (text, Kind::TimeText),
        FieldType::Boolean => (format!("{text}::boolean"), Kind::Bool),
        FieldType::User | FieldType::Lookup => (format!("{text}::uuid"), Kind::Uuid),
        FieldType::MultiPicklist => (format!("(custom->'{key}')"), Kind::Keys),
    })
}

/// A formula's operands on `spec`'s entity: its list's built-in number fields (a plain column
/// each) and its custom number fields, `custom.<key>`.
pub fn operands(spec: &Spec, fields: &[CustomField]) -> Vec<String> {
    spec.fields
        .iter()
        .filter(|f| matches!(f.kind, Kind::Int | Kind::Numeric) && is_column(f.column))
        .map(|f| f.name.to_string())
        .chain(
            fields
                .iter()
                .filter(|f| f.type_ == FieldType::Number)
                .map(CustomField::path),
        )
        .collect()
}

pub fn is_column(sql: &str) -> bool {
    sql.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
}

/// The SQL of a formula operand on `spec`'s table: the column, or a custom number's value.
pub fn operand_sql(spec: &Spec, name: &str) -> String {
    match name.strip_prefix("custom.") {
        Some(key) => format!("(custom->>'{key}')::numeric"),
        None => spec
            .fields
            .iter()
            .find(|f| f.name == name)
            .map_or("NULL::numeric".to_string(), |f| {
                format!("{}::numeric", f.column)
            }),
    }
}

/// The SQL computing a formula field on a row of `spec`'s table (`None`: not a formula, or one
/// that no longer parses against the entity's fields).
pub fn formula_sql(spec: &Spec, fields: &[CustomField], f: &CustomField) -> Option<String> {
    let text = f.formula.as_deref()?;
    let expr = domain::custom::formula::parse(text, &operands(spec, fields)).ok()?;
    Some(expr.sql(&|name: &str| operand_sql(spec, name)))
}

/// The fields as list columns (`custom.budget`): filterable ones filter and sort (but for
/// multi-picklists), number and money ones sum in `totals` either way.
pub fn columns(fields: &[CustomField]) -> Vec<Col> {
    fields
        .iter()
        .filter_map(|f| {
            let (expr, kind) = column_sql(&f.key, f.type_)?;
            let path = f.path();
            Some(Col {
                json_path: if f.type_ == FieldType::Money {
                    format!("{path}.amount")
                } else {
                    path.clone()
                },
                name: path,
                column: format!("({expr})"),
                kind,
                nullable: true,
                filterable: f.filterable,
                sortable: f.filterable && !matches!(kind, Kind::Keys),
                per_org: true,
                currency: (f.type_ == FieldType::Money)
                    .then(|| format!("(custom->'{}'->>'currency')", f.key)),
            })
        })
        .collect()
}

/// A record's `custom` column as its values (the column always holds an object).
pub fn from_column(v: Value) -> CustomValues {
    match v {
        Value::Object(m) => m,
        _ => CustomValues::new(),
    }
}

/// A record's search text with its searchable custom values (`extra`, from [`written`]).
pub fn with_search_text(base: String, extra: &str) -> String {
    if extra.is_empty() {
        base
    } else {
        domain::normalize::search_text([base.as_str(), extra])
    }
}
