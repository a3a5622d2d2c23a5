//! The persistence layer's error type.

use diesel::result::{DatabaseErrorKind, Error as DieselError};
use domain::problem::{DuplicateCandidate, FieldError};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Missing, deleted, in another organization, or not visible to the caller.
    #[error("not found")]
    NotFound,
    #[error("version {expected} is stale; the record is at version {current}")]
    StaleVersion { expected: i32, current: i32 },
    /// A uniqueness or state conflict; the message says with what.
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("would duplicate {} existing record(s)", .0.len())]
    Duplicate(Vec<DuplicateCandidate>),
    /// Input that is well-formed but refers to something it may not (e.g. an unknown owner).
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    #[error("database error")]
    Database(#[source] DieselError),
    #[error("connection pool error: {0}")]
    Pool(String),
}

impl From<DieselError> for StoreError {
    fn from(e: DieselError) -> Self {
        match e {
            DieselError::NotFound => StoreError::NotFound,
            // A reference checked a moment ago whose target a concurrent transaction removed.
            DieselError::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, info) => {
                StoreError::Conflict(format!(
                    "a record this change refers to was deleted or changed meanwhile ({}); reload and try again",
                    info.constraint_name().unwrap_or("reference")
                ))
            }
            e => StoreError::Database(e),
        }
    }
}

/// The constraint a unique violation hit, if that is what the error is.
pub fn unique_violation(e: &DieselError) -> Option<&str> {
    match e {
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
            Some(info.constraint_name().unwrap_or(""))
        }
        _ => None,
    }
}

impl StoreError {
    pub fn invalid(field: &str, code: &str, message: &str) -> Self {
        StoreError::Invalid(vec![FieldError::new(field, code, message)])
    }

    /// A 409 listing `candidates`, unless there are none.
    pub fn refuse_duplicates(candidates: Vec<DuplicateCandidate>) -> Result<(), StoreError> {
        if candidates.is_empty() {
            Ok(())
        } else {
            Err(StoreError::Duplicate(candidates))
        }
    }

    /// A reference that is not there (or not visible) becomes a field error instead of a 404.
    pub fn or_invalid(self, field: &str, message: &str) -> Self {
        match self {
            StoreError::NotFound => StoreError::invalid(field, "reference", message),
            other => other,
        }
    }

    /// Field errors of a nested part of a request get its path: `name` → `account.name`.
    pub fn prefixed(self, prefix: &str) -> Self {
        match self {
            StoreError::Invalid(errors) => StoreError::Invalid(
                errors
                    .into_iter()
                    .map(|e| FieldError {
                        field: format!("{prefix}.{}", e.field),
                        ..e
                    })
                    .collect(),
            ),
            other => other,
        }
    }
}
