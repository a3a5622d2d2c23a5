//! Kehu's HTTP API (actix-web): settings, state, auth, one module per resource, errors, OpenAPI.

pub mod allow;
pub mod assets;
pub mod auth;
pub mod error;
pub mod extract;
pub mod idempotency;
pub mod jobs;
pub mod maintenance;
pub mod middleware;
pub mod openapi;
pub mod openapi_rules;
pub mod pool_recycling;
pub mod principals;
pub mod projection;
pub mod ratelimit;
pub mod record_routes;
pub mod records;
pub mod reminders;
pub mod routes;
pub mod rule_dates;
pub mod security;
pub mod settings;
pub mod state;
pub mod webhooks;

use crate::error::{problem_for_status, problem_response, ApiError};
use actix_web::dev::{fn_service, Server, ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method, StatusCode};
use actix_web::middleware::{from_fn, Logger};
use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use state::AppState;
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::Arc;

/// What no route answers: `405` with `Allow` for a documented path asked with another method;
/// a problem for other paths under `/api` and `/docs/`; elsewhere the web app, whose own
/// routes (deep links) all get its `index.html`.
async fn fallback(
    req: &HttpRequest,
    static_dir: &std::path::Path,
    methods: &allow::Methods,
) -> Result<HttpResponse, actix_web::Error> {
    let path = req.path();
    if let Some(allowed) = methods.allow(req.method().as_str(), path) {
        return Ok(method_not_allowed(&allowed));
    }
    let app_path = !(path.starts_with("/api") || path.starts_with("/docs/"));
    if app_path && static_dir.is_dir() {
        if req.method() != Method::GET && req.method() != Method::HEAD {
            return Ok(method_not_allowed("GET, HEAD"));
        }
        if let Some(res) = assets::respond(req, static_dir).await? {
            return Ok(res);
        }
    }
    Ok(problem_response(&problem_for_status(StatusCode::NOT_FOUND)))
}

fn method_not_allowed(allowed: &str) -> HttpResponse {
    let mut res = problem_response(&problem_for_status(StatusCode::METHOD_NOT_ALLOWED));
    if let Ok(v) = header::HeaderValue::from_str(allowed) {
        res.headers_mut().insert(header::ALLOW, v);
    }
    res
}

/// Starts serving on `listener`. The returned server runs until stopped.
pub fn serve(state: AppState, listener: TcpListener) -> std::io::Result<Server> {
    let document = openapi::document();
    let methods = Arc::new(allow::Methods::from_document(&document));
    let document = web::Data::new(routes::docs::Document(
        serde_json::to_string_pretty(&document).unwrap_or_default(),
    ));
    let workers = state.settings.workers.max(1);
    let read_timeout = state.settings.http_read_timeout;
    let data = web::Data::new(state);
    let server = HttpServer::new(move || {
        let static_dir: Arc<PathBuf> = Arc::new(data.settings.static_dir.clone());
        let methods = methods.clone();
        App::new()
            .app_data(data.clone())
            .app_data(document.clone())
            .app_data(web::PayloadConfig::new(1 << 20))
            .app_data(
                web::QueryConfig::default()
                    .error_handler(|e, _| ApiError::BadRequest(e.to_string()).into()),
            )
            .app_data(web::PathConfig::default().error_handler(|_, _| ApiError::NotFound.into()))
            .wrap(from_fn(middleware::request_context))
            .wrap(from_fn(security::headers))
            .wrap(
                Logger::new("%a \"%{request_line}xi\" %s %b %Dms request_id=%{x-request-id}o")
                    .custom_request_replace("request_line", middleware::logged_request_line),
            )
            .service(web::scope("/api/v1").configure(|c| {
                routes::api(&mut utoipa_actix_web::service_config::ServiceConfig::new(c))
            }))
            .configure(|c| {
                routes::health::routes(&mut utoipa_actix_web::service_config::ServiceConfig::new(c))
            })
            .configure(routes::docs::routes)
            .default_service(fn_service(move |req: ServiceRequest| {
                let (static_dir, methods) = (static_dir.clone(), methods.clone());
                async move {
                    let (req, _) = req.into_parts();
                    let res = fallback(&req, &static_dir, &methods).await?;
                    Ok(ServiceResponse::new(req, res))
                }
            }))
    })
    .workers(workers)
    // A client that stops sending its request's headers is answered 408 after this long (its
    // body: see `extract::JsonBody`).
    .client_request_timeout(read_timeout)
    .listen(listener)?
    .run();
    Ok(server)
}
