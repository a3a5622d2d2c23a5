//! Every response gets an `X-Request-Id`; every error is logged with it; and any error response
//! that is not yet problem+json (unknown routes, wrong methods, oversized bodies) becomes one.

use crate::error::{problem_for_status, problem_response, ApiError};
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue, CONTENT_TYPE};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage};

#[derive(Clone)]
pub struct RequestId(pub String);

pub async fn request_context(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    // A caller's id is kept when it is short and printable, so traces join up across services.
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 64 && v.bytes().all(|b| b.is_ascii_graphic()))
        .map(str::to_string)
        .unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
    req.extensions_mut().insert(RequestId(id.clone()));
    let method = req.method().clone();
    // HEAD is GET without the body (RFC 9110): routed as GET, while the HTTP layer, which saw
    // the request as HEAD, sends the headers only.
    let mut req = req;
    if method == actix_web::http::Method::HEAD {
        req.head_mut().method = actix_web::http::Method::GET;
    }
    let path = req.path().to_string();
    // A write may have queued webhook deliveries: the sender looks as soon as it commits.
    let writes = !matches!(method.as_str(), "GET" | "HEAD" | "OPTIONS");
    let sender = writes
        .then(|| req.app_data::<actix_web::web::Data<crate::state::AppState>>())
        .flatten()
        .map(|s| s.webhooks.clone());

    let res = match crate::extract::refuse_nul_in_request(&req) {
        Ok(()) => next.call(req).await?.map_into_boxed_body(),
        Err(e) => req.error_response(e),
    };
    let status = res.status();
    if let Some(sender) = sender.filter(|_| status.is_success()) {
        sender.wake();
    }
    if status.is_client_error() || status.is_server_error() {
        match res.response().error() {
            Some(err) => match err.as_error::<ApiError>() {
                Some(ApiError::Internal(cause)) => {
                    log::error!("request_id={id} {method} {path} -> {status}: {cause}")
                }
                Some(ApiError::Unavailable(cause)) => {
                    log::error!("request_id={id} {method} {path} -> {status}: {cause}")
                }
                Some(e) => log::info!("request_id={id} {method} {path} -> {status}: {e}"),
                None => log::warn!("request_id={id} {method} {path} -> {status}: {err}"),
            },
            None => log::info!("request_id={id} {method} {path} -> {status}"),
        }
    }
    let is_problem = res
        .headers()
        .get(CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"));
    let mut res = if (status.is_client_error() || status.is_server_error()) && !is_problem {
        let (req, _) = res.into_parts();
        ServiceResponse::new(req, problem_response(&problem_for_status(status)))
    } else {
        res.map_into_boxed_body()
    };
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut()
            .insert(HeaderName::from_static("x-request-id"), v);
    }
    Ok(res)
}

/// The request line for the access log: the query's parameter names without their values, which
/// are often personal (`/search?q=王芳`, phone numbers). A name that is not a plain identifier
/// (`?13912345678`) is left out too.
pub fn logged_request_line(req: &ServiceRequest) -> String {
    request_line(
        req.method().as_str(),
        req.path(),
        req.query_string(),
        req.version(),
    )
}

fn request_line(
    method: &str,
    path: &str,
    query: &str,
    version: actix_web::http::Version,
) -> String {
    let names: Vec<&str> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| pair.split_once('=').map_or(pair, |(name, _)| name))
        .map(|name| {
            let plain = name.len() <= 40
                && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"_.-[]".contains(&b));
            if plain {
                name
            } else {
                "…"
            }
        })
        .collect();
    let query = if names.is_empty() {
        String::new()
    } else {
        format!("?{}", names.join("&"))
    };
    format!("{method} {path}{query} {version:?}")
}

#[cfg(test)]
mod tests {
    use super::request_line;
    use actix_web::http::Version;

    #[test]
    fn the_access_log_keeps_parameter_names_and_drops_values() {
        let line = request_line(
            "GET",
            "/api/v1/contacts",
            "q=%E7%8E%8B%E8%8A%B3&phone[contains]=13912345678&limit=5",
            Version::HTTP_11,
        );
        assert_eq!(
            line,
            "GET /api/v1/contacts?q&phone[contains]&limit HTTP/1.1"
        );
        assert!(!line.contains("139") && !line.contains("%E7"));
        let odd = request_line("GET", "/api/v1/search", "13912345678&q=x", Version::HTTP_2);
        assert_eq!(odd, "GET /api/v1/search?…&q HTTP/2.0");
        assert_eq!(
            request_line("POST", "/api/v1/accounts", "", Version::HTTP_11),
            "POST /api/v1/accounts HTTP/1.1"
        );
    }
}
