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
    let path = req.path().to_string();

    let res = match crate::extract::refuse_nul_in_request(&req) {
        Ok(()) => next.call(req).await?.map_into_boxed_body(),
        Err(e) => req.error_response(e),
    };
    let status = res.status();
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
