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
    /// The caller may see the record but not make this change of it; the message says why.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// A uniqueness or state conflict; the message says with what.
    #[error("conflict: {0}")]
    Conflict(String),
    /// A value that must be unique is another record's: a 409 naming the field (code `taken`),
    /// so a form can show it there, and the record that has it when the caller may know it.
    #[error("taken: {}", .0.message)]
    Taken(FieldError, Vec<DuplicateCandidate>),
    #[error("would duplicate {} existing record(s)", .0.len())]
    Duplicate(Vec<DuplicateCandidate>),
    /// Input that is well-formed but refers to something it may not (e.g. an unknown owner).
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    #[error("database error")]
    Database(#[source] DieselError),
    #[error("connection pool error: {0}")]
    Pool(String),
    /// The database cannot serve now: the connection was lost, the server is shutting down or
    /// starting, or a statement or lock timeout ran out. Worth retrying; a 503, not a 500.
    #[error("database unavailable: {0}")]
    Unavailable(String),
}

impl From<DieselError> for StoreError {
    fn from(e: DieselError) -> Self {
        match e {
            DieselError::NotFound => StoreError::NotFound,
            e if unavailable(&e) => StoreError::Unavailable(e.to_string()),
            // A reference checked a moment ago whose target a concurrent transaction removed.
            DieselError::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, info) => {
                StoreError::Conflict(format!(
                    "a record this change refers to was deleted or changed meanwhile ({}); reload and try again",
                    info.constraint_name().unwrap_or("reference")
                ))
            }
            // What a check before the write would have found, had a concurrent write not
            // committed in between: the unique index decides, and it is a conflict.
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                if let Some(field) = info.constraint_name().and_then(unique_field) {
                    return StoreError::taken(
                        field,
                        format!("another live record has this `{field}`; reload and try again"),
                    );
                }
                StoreError::Conflict(format!(
                    "a value that must be unique was taken meanwhile ({}); reload and try again",
                    info.constraint_name().unwrap_or("unique")
                ))
            }
            e => StoreError::Database(e),
        }
    }
}

/// The field a registry-unique field's index (`{plural}_{field}`, see `FieldDef::unique`) is on.
fn unique_field(constraint: &str) -> Option<&'static str> {
    domain::registry::ENTITIES.iter().find_map(|e| {
        let field = constraint.strip_prefix(e.plural)?.strip_prefix('_')?;
        e.fields
            .iter()
            .find(|f| f.unique && f.name == field)
            .map(|f| f.name)
    })
}

/// How PostgreSQL words the errors of [`unavailable`]: diesel-async keeps a server error's
/// message but drops its SQLSTATE, so the primary message (in English, as Kehu's clusters run;
/// see README) is what tells them apart.
const UNAVAILABLE_MESSAGES: &[&str] = &[
    // 57014 query_canceled (statement_timeout, a cancel request); 55P03 from lock_timeout
    "canceling statement due to",
    // 55P03 lock_not_available (NOWAIT)
    "could not obtain lock",
    // 57P01 admin_shutdown, 57P02 crash_shutdown, 57P05 idle_session_timeout,
    // 25P03 idle_in_transaction_session_timeout
    "terminating connection",
    // 57P03 cannot_connect_now: starting up, shutting down, in recovery
    "the database system is",
    // 40P01 deadlock_detected, 40001 serialization_failure: rolled back whole, a retry succeeds
    // (the write paths lock in one order, so neither is expected; never a 500 if one happens)
    "deadlock detected",
    "could not serialize access",
];

/// Whether `e` says that the database cannot serve right now (rather than that the statement is
/// wrong): a connection that closed or broke mid-request, a server shutting down or starting, a
/// statement or lock timeout, a transaction rolled back by a deadlock or serialization failure.
pub fn unavailable(e: &DieselError) -> bool {
    match e {
        // The connection is gone (diesel-async reports every error without a SQLSTATE, such as
        // a closed socket, as UnableToSendCommand).
        DieselError::DatabaseError(
            DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
            _,
        ) => true,
        DieselError::DatabaseError(_, info) => UNAVAILABLE_MESSAGES
            .iter()
            .any(|m| info.message().starts_with(m)),
        // A transaction whose rollback failed: the connection broke under it.
        DieselError::BrokenTransactionManager => true,
        _ => false,
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
    /// A 409 saying that `field`'s value is another record's (`message` says whose).
    pub fn taken(field: impl Into<String>, message: impl Into<String>) -> Self {
        StoreError::Taken(FieldError::new(field, "taken", message), Vec::new())
    }

    /// [`StoreError::taken`] by `holder`, whose reason is the field.
    pub fn taken_by(
        field: impl Into<String>,
        message: impl Into<String>,
        mut holder: DuplicateCandidate,
    ) -> Self {
        let field = field.into();
        holder.reasons = vec![field.clone()];
        StoreError::Taken(FieldError::new(field, "taken", message), vec![holder])
    }

    pub fn invalid(field: &str, code: &str, message: &str) -> Self {
        StoreError::Invalid(vec![FieldError::new(field, code, message)])
    }

    /// Compare-and-set on a version read under a row lock: `expected` is the version from
    /// `If-Match` (`None` for `If-Match: *`).
    pub fn check_version(current: i32, expected: Option<i32>) -> Result<(), StoreError> {
        match expected {
            Some(e) if e != current => Err(StoreError::StaleVersion {
                expected: e,
                current,
            }),
            _ => Ok(()),
        }
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
            StoreError::Taken(e, holders) => StoreError::Taken(
                FieldError {
                    field: format!("{prefix}.{}", e.field),
                    ..e
                },
                holders,
            ),
            other => other,
        }
    }
}
