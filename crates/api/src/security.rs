//! Security headers on every response, and `Cache-Control: no-store` on every response that
//! sets no caching of its own (the API's, which carry personal data).

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::Error;

/// The web app: its own scripts and the wasm they compile, its stylesheet, calls to this origin.
/// Style attributes stay refused: the app sets styles through the CSSOM (`style:width=`).
const APP_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// Swagger UI at `/docs` styles its elements inline and draws its icons from data: URLs.
const DOCS_POLICY: &str = "default-src 'self'; script-src 'self'; \
style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// JSON is never a page: nothing in it may load or run.
const API_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";

fn policy(path: &str) -> &'static str {
    if path == "/docs" || path.starts_with("/docs/") {
        DOCS_POLICY
    } else if path.starts_with("/api") || path == "/health" || path == "/ready" {
        API_POLICY
    } else {
        APP_POLICY
    }
}

pub async fn headers(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let policy = policy(req.path());
    let mut res = next.call(req).await?;
    let headers = res.headers_mut();
    let set = [
        (header::CONTENT_SECURITY_POLICY, policy),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
    ];
    for (name, value) in set {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_path_gets_its_policy() {
        assert_eq!(policy("/"), APP_POLICY);
        assert_eq!(policy("/accounts/1"), APP_POLICY);
        assert_eq!(policy("/kehu_frontend-0123456789abcdef.js"), APP_POLICY);
        assert_eq!(policy("/docs"), DOCS_POLICY);
        assert_eq!(policy("/docs/swagger-ui.css"), DOCS_POLICY);
        assert_eq!(policy("/docsx"), APP_POLICY);
        assert_eq!(policy("/api/v1/accounts"), API_POLICY);
        assert_eq!(policy("/api-docs/openapi.json"), API_POLICY);
        assert_eq!(policy("/ready"), API_POLICY);
    }
}
