//! Kehu's HTTP API (actix-web): settings, state, auth, one module per resource, errors, OpenAPI.

pub mod auth;
pub mod error;
pub mod extract;
pub mod idempotency;
pub mod middleware;
pub mod openapi;
pub mod openapi_rules;
pub mod principals;
pub mod ratelimit;
pub mod records;
pub mod routes;
pub mod seed;
pub mod settings;
pub mod state;

use crate::error::{problem_for_status, problem_response, ApiError};
use actix_web::dev::{fn_service, Server, ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::{from_fn, Logger};
use actix_web::{web, App, HttpServer};
use state::AppState;
use std::net::TcpListener;

/// Unknown paths: a problem under `/api`, the SPA's `index.html` elsewhere (deep links).
async fn fallback(
    req: ServiceRequest,
    static_dir: std::path::PathBuf,
) -> Result<ServiceResponse, actix_web::Error> {
    let (req, _) = req.into_parts();
    let index = static_dir.join("index.html");
    let api_path = req.path().starts_with("/api") || req.path().starts_with("/docs/");
    if !api_path && req.method() == actix_web::http::Method::GET && index.is_file() {
        let file = actix_files::NamedFile::open_async(index).await?;
        let res = file
            .use_etag(false)
            .use_last_modified(false)
            .into_response(&req);
        return Ok(ServiceResponse::new(req, res));
    }
    Ok(ServiceResponse::new(
        req,
        problem_response(&problem_for_status(StatusCode::NOT_FOUND)),
    ))
}

/// Starts serving on `listener`. The returned server runs until stopped.
pub fn serve(state: AppState, listener: TcpListener) -> std::io::Result<Server> {
    let document = web::Data::new(routes::docs::Document(
        serde_json::to_string_pretty(&openapi::document()).unwrap_or_default(),
    ));
    let workers = state.settings.workers.max(1);
    let data = web::Data::new(state);
    let server = HttpServer::new(move || {
        let static_dir = data.settings.static_dir.clone();
        let fallback_dir = static_dir.clone();
        let mut app = App::new()
            .app_data(data.clone())
            .app_data(document.clone())
            .app_data(web::PayloadConfig::new(1 << 20))
            .app_data(
                web::QueryConfig::default()
                    .error_handler(|e, _| ApiError::BadRequest(e.to_string()).into()),
            )
            .app_data(web::PathConfig::default().error_handler(|_, _| ApiError::NotFound.into()))
            .wrap(from_fn(middleware::request_context))
            .wrap(Logger::new(
                "%a \"%r\" %s %b %Dms request_id=%{x-request-id}o",
            ))
            .service(web::scope("/api/v1").configure(|c| {
                routes::api(&mut utoipa_actix_web::service_config::ServiceConfig::new(c))
            }))
            .configure(|c| {
                routes::health::routes(&mut utoipa_actix_web::service_config::ServiceConfig::new(c))
            })
            .configure(routes::docs::routes);
        if static_dir.is_dir() {
            let dir = fallback_dir.clone();
            app = app.service(
                actix_files::Files::new("/", static_dir)
                    .index_file("index.html")
                    .prefer_utf8(true)
                    .default_handler(fn_service(move |req| fallback(req, dir.clone()))),
            );
        }
        app.default_service(fn_service(move |req| fallback(req, fallback_dir.clone())))
    })
    .workers(workers)
    .listen(listener)?
    .run();
    Ok(server)
}
