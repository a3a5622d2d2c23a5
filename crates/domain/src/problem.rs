//! RFC 9457 problem details, as every error response of the API carries them.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One invalid field of a request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// The field's path in the request, e.g. `annual_revenue.amount`.
    #[cfg_attr(feature = "openapi", schema(example = "email"))]
    pub field: String,
    /// A stable machine-readable code, e.g. `required`, `length`, `email`, `credit_code`.
    #[cfg_attr(feature = "openapi", schema(example = "email"))]
    pub code: String,
    #[cfg_attr(feature = "openapi", schema(example = "not a valid email"))]
    pub message: String,
}

impl FieldError {
    pub fn new(
        field: impl Into<String>,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        }
    }
}

/// A record that a write conflicts with, and why: one it would duplicate (a `duplicate` 409), or
/// the one that already has a unique value (a `taken` 409; the reason is the field).
///
/// Duplicates are checked across the whole organization, so a candidate may be a record the
/// caller cannot open (another salesperson's customer). It is listed anyway — telling a
/// salesperson that the customer exists and whose it is prevents two people working one
/// customer (撞单) — but with only these fields: its id, name and owner, never its other data.
/// Opening it by id answers 404 unless the caller may see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DuplicateCandidate {
    /// The record's entity (`account`, `contact`, `lead`, `product`, …).
    #[cfg_attr(feature = "openapi", schema(example = "account"))]
    pub entity: String,
    pub id: Uuid,
    pub name: String,
    /// `null` for a record without an owner (a product).
    pub owner_id: Option<Uuid>,
    /// Why it matches: `credit_code`, `name` (same normalized name), `similar_name`, `phone`
    /// or `email`; for a taken value, the field (`code`, `custom.<key>`).
    pub reasons: Vec<String>,
}

impl DuplicateCandidate {
    /// The reasons whose flag is set, in the given order: `[(by_phone, "phone"), …]`.
    pub fn reasons(hits: &[(bool, &str)]) -> Vec<String> {
        hits.iter()
            .filter(|(hit, _)| *hit)
            .map(|(_, r)| r.to_string())
            .collect()
    }
}

/// `application/problem+json` body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    #[serde(rename = "type")]
    #[cfg_attr(feature = "openapi", schema(example = "/problems/validation"))]
    pub type_: String,
    #[cfg_attr(feature = "openapi", schema(example = "Validation failed"))]
    pub title: String,
    #[cfg_attr(feature = "openapi", schema(example = 422))]
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Invalid fields (422), or the field whose value another record has (409, code `taken`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// Existing records a create would duplicate (409); repeat with `force=true` to create anyway.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<DuplicateCandidate>,
    /// The record's current version (412).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_version: Option<i32>,
}

/// Field errors from the `validator` crate, named by field path and sorted for stable output.
pub fn validation_errors(errors: Option<validator::ValidationErrors>) -> Vec<FieldError> {
    fn walk(prefix: &str, errors: &validator::ValidationErrors, out: &mut Vec<FieldError>) {
        for (field, kind) in errors.errors() {
            let path = if prefix.is_empty() {
                field.to_string()
            } else {
                format!("{prefix}.{field}")
            };
            match kind {
                validator::ValidationErrorsKind::Field(list) => {
                    for e in list {
                        out.push(FieldError::new(&path, e.code.as_ref(), message(e)));
                    }
                }
                validator::ValidationErrorsKind::Struct(inner) => walk(&path, inner, out),
                validator::ValidationErrorsKind::List(items) => {
                    for (i, inner) in items {
                        walk(&format!("{path}[{i}]"), inner, out);
                    }
                }
            }
        }
    }
    fn message(e: &validator::ValidationError) -> String {
        if let Some(m) = &e.message {
            return m.to_string();
        }
        let p = |k: &str| e.params.get(k).map(|v| v.to_string());
        match e.code.as_ref() {
            "length" => match (p("min"), p("max")) {
                (Some(min), Some(max)) => format!("length must be between {min} and {max}"),
                (Some(min), None) => format!("length must be at least {min}"),
                (None, Some(max)) => format!("length must be at most {max}"),
                _ => "invalid length".into(),
            },
            "range" => match (p("min"), p("max")) {
                (Some(min), Some(max)) => format!("must be between {min} and {max}"),
                _ => "out of range".into(),
            },
            "email" => "not a valid email".into(),
            "url" => "not a valid URL".into(),
            other => format!("invalid ({other})"),
        }
    }
    let mut out = Vec::new();
    if let Some(e) = errors {
        walk("", &e, &mut out);
    }
    out.sort_by(|a, b| a.field.cmp(&b.field));
    out
}
