//! Request extractors whose failures are problem+json like every other error.

use crate::error::ApiError;
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use domain::problem::FieldError;
use futures::future::{ready, LocalBoxFuture, Ready};
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

/// A JSON body. Malformed JSON is a 400; well-formed JSON of the wrong shape is a 422 naming the
/// field. Keeps a digest of the raw body for idempotent replays.
pub struct JsonBody<T> {
    pub value: T,
    pub digest: Vec<u8>,
}

fn json_error(e: serde_path_to_error::Error<serde_json::Error>) -> ApiError {
    use serde_json::error::Category;
    let inner = e.inner();
    match inner.classify() {
        Category::Syntax | Category::Eof | Category::Io => ApiError::BadRequest(format!(
            "malformed JSON at line {}, column {}",
            inner.line(),
            inner.column()
        )),
        Category::Data => {
            let path = e.path().to_string();
            let prefix = if path == "." {
                String::new()
            } else {
                format!("{path}.")
            };
            // serde's message without its " at line x column y" suffix.
            let msg = inner.to_string();
            let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
            let quoted = msg.split('`').nth(1).unwrap_or("").to_string();
            let (field, code, message) = if msg.starts_with("unknown field") {
                (
                    format!("{prefix}{quoted}"),
                    "unknown_field",
                    "not a field of this resource".to_string(),
                )
            } else if msg.starts_with("missing field") {
                (
                    format!("{prefix}{quoted}"),
                    "required",
                    "is required".to_string(),
                )
            } else {
                (if path == "." { "body".into() } else { path }, "type", msg)
            };
            ApiError::Validation(vec![FieldError::new(field, code, message)])
        }
    }
}

const NUL_MESSAGE: &str = "must not contain the NUL character (U+0000)";

/// PostgreSQL cannot store U+0000 in text, and no field of a CRM needs it: a body with one is a
/// 422 naming the field, before it reaches any handler. JSON can only carry it escaped, so bodies
/// without `\u0000` are not parsed twice.
fn refuse_nul_in_body(bytes: &[u8]) -> Result<(), ApiError> {
    const ESCAPED: &[u8] = b"\\u0000";
    if !bytes.windows(ESCAPED.len()).any(|w| w == ESCAPED) {
        return Ok(());
    }
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(bytes) else {
        return Ok(()); // malformed: the typed parse reports it
    };
    match nul_path(&value, String::new()) {
        Some(field) => Err(ApiError::Validation(vec![FieldError::new(
            if field.is_empty() {
                "body".into()
            } else {
                field
            },
            "nul",
            NUL_MESSAGE,
        )])),
        None => Ok(()),
    }
}

/// The path (`name`, `tags[1]`, `account.name`) of the first string or key holding U+0000.
fn nul_path(value: &serde_json::Value, path: String) -> Option<String> {
    use serde_json::Value;
    match value {
        Value::String(s) if s.contains('\0') => Some(path),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| nul_path(v, format!("{path}[{i}]"))),
        Value::Object(map) => map.iter().find_map(|(k, v)| {
            let at = if path.is_empty() {
                k.replace('\0', "\\0")
            } else {
                format!("{path}.{}", k.replace('\0', "\\0"))
            };
            if k.contains('\0') {
                Some(at)
            } else {
                nul_path(v, at)
            }
        }),
        _ => None,
    }
}

/// A query string or path with U+0000 is a 400 naming the parameter (see [`refuse_nul_in_body`]).
pub fn refuse_nul_in_request(req: &actix_web::dev::ServiceRequest) -> Result<(), ApiError> {
    if req.path().contains('\0') || req.uri().path().to_ascii_lowercase().contains("%00") {
        return Err(ApiError::BadRequest(format!("the path {NUL_MESSAGE}")));
    }
    let query = req.query_string();
    if !query.to_ascii_lowercase().contains("%00") {
        return Ok(());
    }
    let pairs = serde_urlencoded::from_str::<Vec<(String, String)>>(query).unwrap_or_default();
    match pairs
        .iter()
        .find(|(k, v)| k.contains('\0') || v.contains('\0'))
    {
        Some((k, _)) => Err(ApiError::BadRequest(format!(
            "`{}` {NUL_MESSAGE}",
            k.replace('\0', "\\0")
        ))),
        None => Ok(()),
    }
}

/// How long a body may take to arrive (`KEHU_HTTP_READ_TIMEOUT_MS`): a client that sends half
/// a body and stops must not hold its connection and worker task.
fn body_read_timeout(req: &HttpRequest) -> std::time::Duration {
    req.app_data::<web::Data<crate::state::AppState>>()
        .map_or(std::time::Duration::from_secs(10), |s| {
            s.settings.http_read_timeout
        })
}

impl<T: DeserializeOwned + 'static> FromRequest for JsonBody<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let json = req
            .headers()
            .get(actix_web::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|ct| {
                let essence = ct
                    .split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase();
                essence == "application/json" || essence.ends_with("+json")
            })
            .unwrap_or(false);
        let bytes = web::Bytes::from_request(req, payload);
        let read_timeout = body_read_timeout(req);
        Box::pin(async move {
            if !json {
                return Err(ApiError::UnsupportedMediaType);
            }
            let bytes = tokio::time::timeout(read_timeout, bytes)
                .await
                .map_err(|_| ApiError::RequestTimeout)?
                .map_err(|e| match e.as_response_error().status_code().as_u16() {
                    413 => ApiError::PayloadTooLarge,
                    _ => ApiError::BadRequest(format!("could not read the body: {e}")),
                })?;
            refuse_nul_in_body(&bytes)?;
            let de = &mut serde_json::Deserializer::from_slice(&bytes);
            let value = serde_path_to_error::deserialize(de).map_err(json_error)?;
            Ok(JsonBody {
                value,
                digest: Sha256::digest(&bytes).to_vec(),
            })
        })
    }
}

/// The query string as ordered pairs.
fn query_pairs(req: &HttpRequest) -> Result<Vec<(String, String)>, ApiError> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(req.query_string())
        .map_err(|_| ApiError::BadRequest("the query string is not valid URL encoding".into()))
}

/// A parameter the request does not take: a 400 naming it, never silently ignored.
fn unknown_parameter(name: &str) -> ApiError {
    ApiError::BadRequest(format!("`{name}` is not a parameter of this request"))
}

/// The query string as ordered pairs, for the list parser (which rejects unknown parameters).
pub struct QueryPairs(pub Vec<(String, String)>);

impl FromRequest for QueryPairs {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(query_pairs(req).map(QueryPairs))
    }
}

/// A request that takes no query parameters: any is a 400 naming it.
pub struct NoQuery;

impl FromRequest for NoQuery {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(query_pairs(req).and_then(|pairs| match pairs.first() {
            Some((k, _)) => Err(unknown_parameter(k)),
            None => Ok(NoQuery),
        }))
    }
}

/// The one boolean query parameter `name` a request accepts (`true`/`false`/`1`/`0`, default
/// false); any other parameter is a 400.
fn flag(req: &HttpRequest, name: &str) -> Result<bool, ApiError> {
    let mut on = false;
    for (k, v) in query_pairs(req)? {
        if k != name {
            return Err(unknown_parameter(&k));
        }
        on = match v.as_str() {
            "true" | "1" => true,
            "false" | "0" => false,
            _ => {
                return Err(ApiError::BadRequest(format!(
                    "`{name}` must be true or false"
                )))
            }
        };
    }
    Ok(on)
}

/// `?force=true` on writes that check for duplicates; no other query parameter is accepted.
pub struct Force(pub bool);

impl FromRequest for Force {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(flag(req, "force").map(Force))
    }
}

/// `?dry_run=true`: answer what the change would do, and change nothing.
pub struct DryRun(pub bool);

impl FromRequest for DryRun {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(flag(req, "dry_run").map(DryRun))
    }
}

/// `If-Match: "<version>"` (required on updates and deletes); `*` overwrites whatever is there.
pub struct IfMatch(pub Option<i32>);

/// What [`IfMatch::parse`] accepts, as the OpenAPI document states it: `*`, or a version as the
/// `ETag` gives it (`"3"`), optionally weak (`W/"3"`) or unquoted (`3`).
pub const IF_MATCH_PATTERN: &str = r#"^(\*|(W/)?"[0-9]{1,9}"|[0-9]{1,9})$"#;

impl IfMatch {
    /// `None` for a value outside [`IF_MATCH_PATTERN`].
    fn parse(v: &str) -> Option<IfMatch> {
        if v == "*" {
            return Some(IfMatch(None));
        }
        let quoted = v.strip_prefix("W/").unwrap_or(v);
        let digits = match quoted.strip_prefix('"') {
            Some(rest) => rest.strip_suffix('"')?,
            None if quoted.len() == v.len() => v,
            None => return None, // W/ without quotes
        };
        if digits.is_empty() || digits.len() > 9 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.parse().ok().map(|n| IfMatch(Some(n)))
    }
}

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let header = req
            .headers()
            .get(actix_web::http::header::IF_MATCH)
            .map(|v| v.to_str().unwrap_or("").trim().to_string());
        ready(match header {
            None => Err(ApiError::PreconditionRequired),
            Some(v) => IfMatch::parse(&v).ok_or_else(|| {
                ApiError::BadRequest("If-Match must be the record's ETag, e.g. \"3\", or *".into())
            }),
        })
    }
}

/// The longest `Idempotency-Key` accepted (stated in the OpenAPI document).
pub const IDEMPOTENCY_KEY_MAX: usize = 255;

/// The optional `Idempotency-Key` of a POST.
pub struct IdempotencyKey(pub Option<String>);

impl FromRequest for IdempotencyKey {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let value = req
            .headers()
            .get("Idempotency-Key")
            .map(|v| v.to_str().map(str::trim).map(str::to_string));
        ready(match value {
            None => Ok(IdempotencyKey(None)),
            Some(Ok(k)) if (1..=IDEMPOTENCY_KEY_MAX).contains(&k.len()) => {
                Ok(IdempotencyKey(Some(k)))
            }
            Some(_) => Err(ApiError::BadRequest(format!(
                "Idempotency-Key must be 1 to {IDEMPOTENCY_KEY_MAX} visible ASCII characters"
            ))),
        })
    }
}

/// `ETag` value for a version.
pub fn etag(version: i32) -> String {
    format!("\"{version}\"")
}

/// A versioned resource's response: `body` with its `version` as the ETag.
pub fn with_etag(
    status: actix_web::http::StatusCode,
    body: &impl serde::Serialize,
    version: i32,
) -> actix_web::HttpResponse {
    actix_web::HttpResponse::build(status)
        .insert_header(("ETag", etag(version)))
        .json(body)
}

/// 201 for a resource just made at `location` (`/api/v1/…`), with its version as the ETag.
pub fn created(
    body: &impl serde::Serialize,
    version: i32,
    location: &str,
) -> actix_web::HttpResponse {
    actix_web::HttpResponse::Created()
        .insert_header(("ETag", etag(version)))
        .insert_header((actix_web::http::header::LOCATION, location))
        .json(body)
}

#[cfg(test)]
mod tests {
    use super::IfMatch;

    #[test]
    fn if_match_accepts_exactly_its_stated_pattern() {
        let version = |v: &str| IfMatch::parse(v).map(|m| m.0);
        assert_eq!(version("*"), Some(None));
        assert_eq!(version("\"3\""), Some(Some(3)));
        assert_eq!(version("W/\"12\""), Some(Some(12)));
        assert_eq!(version("7"), Some(Some(7)));
        for bad in [
            "",
            "\"\"",
            "\"3",
            "3\"",
            "W/3",
            "-1",
            "\"-1\"",
            "1234567890",
            "\"a\"",
            "**",
        ] {
            assert!(version(bad).is_none(), "{bad:?} is refused");
        }
    }
}
