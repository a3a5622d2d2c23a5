//! The API's one error type. Every variant maps explicitly to an RFC 9457 problem; causes of
//! server errors are logged with the request id (see `middleware`), never returned.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use domain::problem::{DuplicateCandidate, FieldError, Problem};
use persistence::list::ListError;
use persistence::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("unauthorized: {0}")]
    Unauthorized(&'static str),
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("not found")]
    NotFound,
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("taken: {}", .0.message)]
    Taken(FieldError, Vec<DuplicateCandidate>),
    #[error("a request with this Idempotency-Key is in progress")]
    IdempotencyInProgress,
    #[error("duplicate")]
    Duplicate(Vec<DuplicateCandidate>),
    #[error("stale version; current is {current}")]
    PreconditionFailed { current: i32 },
    #[error("If-Match required")]
    PreconditionRequired,
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("unprocessable: {0}")]
    Unprocessable(String),
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("the body did not arrive in time")]
    RequestTimeout,
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("rate limited")]
    RateLimited { retry_after_secs: u64 },
    #[error("service unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::NotFound,
            StoreError::StaleVersion { current, .. } => ApiError::PreconditionFailed { current },
            StoreError::Conflict(msg) => ApiError::Conflict(msg),
            StoreError::Taken(field, holders) => ApiError::Taken(field, holders),
            StoreError::Forbidden(msg) => ApiError::Forbidden(msg),
            StoreError::Duplicate(c) => ApiError::Duplicate(c),
            StoreError::Invalid(fields) => ApiError::Validation(fields),
            StoreError::Pool(msg) | StoreError::Unavailable(msg) => ApiError::Unavailable(msg),
            StoreError::Database(e) => ApiError::Internal(format!("database: {e}")),
        }
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> Self {
        StoreError::from(e).into()
    }
}

impl From<ListError> for ApiError {
    fn from(e: ListError) -> Self {
        ApiError::BadRequest(e.0)
    }
}

/// Validator errors → 422 naming each field.
pub fn validate(value: &impl validator::Validate) -> Result<(), ApiError> {
    let errors = domain::problem::validation_errors(value.validate().err());
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(errors))
    }
}

/// The problem body for a bare status (unknown routes, methods, oversized bodies, …).
pub fn problem_for_status(status: StatusCode) -> Problem {
    let (slug, title) = match status.as_u16() {
        400 => ("bad-request", "Bad request"),
        401 => ("unauthorized", "Unauthorized"),
        403 => ("forbidden", "Forbidden"),
        404 => ("not-found", "Not found"),
        405 => ("method-not-allowed", "Method not allowed"),
        406 => ("not-acceptable", "Not acceptable"),
        408 => ("request-timeout", "Request timeout"),
        409 => ("conflict", "Conflict"),
        412 => ("precondition-failed", "Precondition failed"),
        413 => ("payload-too-large", "Payload too large"),
        415 => ("unsupported-media-type", "Unsupported media type"),
        422 => ("validation", "Validation failed"),
        428 => ("precondition-required", "Precondition required"),
        429 => ("rate-limited", "Too many requests"),
        503 => ("unavailable", "Service unavailable"),
        s if s >= 500 => ("internal", "Internal server error"),
        _ => ("error", "Error"),
    };
    Problem {
        type_: format!("/problems/{slug}"),
        title: title.into(),
        status: status.as_u16(),
        detail: None,
        errors: Vec::new(),
        candidates: Vec::new(),
        current_version: None,
    }
}

pub fn problem_response(problem: &Problem) -> HttpResponse {
    HttpResponse::build(
        StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
    )
    .content_type("application/problem+json")
    .json(problem)
}

impl ApiError {
    pub fn problem(&self) -> Problem {
        let mut p = problem_for_status(self.status_code());
        let detail = |s: &str| Some(s.to_string());
        match self {
            ApiError::BadRequest(m)
            | ApiError::Forbidden(m)
            | ApiError::Conflict(m)
            | ApiError::Unprocessable(m) => p.detail = detail(m),
            ApiError::Unauthorized(m) => p.detail = detail(m),
            ApiError::NotFound => p.detail = detail("no such record"),
            ApiError::IdempotencyInProgress => {
                p.detail = detail(
                    "a request with this Idempotency-Key is still being processed; retry shortly",
                )
            }
            ApiError::Taken(field, holders) => {
                p.detail = detail(&field.message);
                p.errors = vec![field.clone()];
                p.candidates = holders.clone();
            }
            ApiError::Duplicate(c) => {
                p.type_ = "/problems/duplicate".into();
                p.title = "Possible duplicate".into();
                p.detail = detail("matching records exist; open one of the candidates, or repeat with force=true to create anyway");
                p.candidates = c.clone();
            }
            ApiError::PreconditionFailed { current } => {
                p.detail = detail(
                    "the record changed since you read it; reload and apply your change again",
                );
                p.current_version = Some(*current);
            }
            ApiError::PreconditionRequired => p.detail = detail(
                "send If-Match with the version you read (the ETag), or If-Match: * to overwrite",
            ),
            ApiError::Validation(errors) => {
                p.detail = detail("some fields are invalid");
                p.errors = errors.clone();
            }
            ApiError::RateLimited { retry_after_secs } => {
                p.detail = Some(format!("too many attempts; retry in {retry_after_secs} s"))
            }
            ApiError::PayloadTooLarge => {
                p.detail = detail("the body is larger than the 1 MiB this API accepts")
            }
            ApiError::RequestTimeout => {
                p.detail = detail("the request body was not sent in time; send it again")
            }
            ApiError::UnsupportedMediaType => {
                p.detail = detail("send the body as JSON with Content-Type: application/json")
            }
            ApiError::Unavailable(_) => {
                p.detail = detail(
                    "the database is not reachable or did not answer in time; try again shortly",
                )
            }
            // The cause is logged, never returned.
            ApiError::Internal(_) => {}
        }
        p
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Conflict(_)
            | ApiError::Taken(..)
            | ApiError::Duplicate(_)
            | ApiError::IdempotencyInProgress => StatusCode::CONFLICT,
            ApiError::PreconditionFailed { .. } => StatusCode::PRECONDITION_FAILED,
            ApiError::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            ApiError::Validation(_) | ApiError::Unprocessable(_) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let mut res = problem_response(&self.problem());
        match self {
            ApiError::RateLimited { retry_after_secs } => {
                res.headers_mut().insert(
                    header::RETRY_AFTER,
                    header::HeaderValue::from(*retry_after_secs),
                );
            }
            ApiError::Unauthorized(_) => {
                res.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    header::HeaderValue::from_static("Bearer"),
                );
            }
            // The rest of the body may still come: the connection cannot carry another request.
            ApiError::RequestTimeout => res
                .head_mut()
                .set_connection_type(actix_web::http::ConnectionType::Close),
            _ => {}
        }
        res
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::result::{DatabaseErrorKind as Kind, Error as DieselError};

    fn db_error(kind: Kind, message: &str) -> DieselError {
        DieselError::DatabaseError(kind, Box::new(message.to_string()))
    }

    fn status(e: DieselError) -> u16 {
        ApiError::from(e).status_code().as_u16()
    }

    /// What PostgreSQL and the driver say when the database cannot serve for now: 503, retry.
    #[test]
    fn an_unavailable_or_timed_out_database_is_a_503() {
        let unavailable = [
            (
                Kind::ClosedConnection,
                "server closed the connection unexpectedly",
            ),
            (Kind::UnableToSendCommand, "connection closed"),
            // 57014 query_canceled, from statement_timeout
            (
                Kind::Unknown,
                "canceling statement due to statement timeout",
            ),
            // 55P03 lock_not_available, from lock_timeout and NOWAIT
            (Kind::Unknown, "canceling statement due to lock timeout"),
            (
                Kind::Unknown,
                "could not obtain lock on row in relation \"accounts\"",
            ),
            // 57P01 admin_shutdown: a restart, or pg_terminate_backend
            (
                Kind::Unknown,
                "terminating connection due to administrator command",
            ),
            // 57P03 cannot_connect_now
            (Kind::Unknown, "the database system is starting up"),
            (Kind::Unknown, "the database system is shutting down"),
        ];
        for (kind, message) in unavailable {
            assert_eq!(status(db_error(kind, message)), 503, "{message}");
        }
        assert_eq!(status(DieselError::BrokenTransactionManager), 503);
        let problem = ApiError::from(db_error(
            Kind::Unknown,
            "canceling statement due to statement timeout",
        ))
        .problem();
        assert_eq!(problem.type_, "/problems/unavailable");
    }

    #[test]
    fn other_database_errors_stay_what_they_are() {
        assert_eq!(
            status(db_error(Kind::Unknown, "syntax error at or near \"FORM\"")),
            500
        );
        assert_eq!(status(db_error(Kind::Unknown, "division by zero")), 500);
        assert_eq!(
            status(db_error(
                Kind::CheckViolation,
                "new row violates check constraint"
            )),
            500
        );
        assert_eq!(status(DieselError::NotFound), 404);
    }
}
