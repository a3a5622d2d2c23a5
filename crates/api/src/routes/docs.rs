//! The OpenAPI document and an interactive viewer, served offline (Swagger UI is vendored).

use actix_web::{get, web, HttpResponse};

const BUNDLE: &[u8] = include_bytes!("../../assets/swagger-ui/swagger-ui-bundle.js");
const CSS: &[u8] = include_bytes!("../../assets/swagger-ui/swagger-ui.css");
const PAGE: &str = r##"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Kehu API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="ui"></div><script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body></html>"##;
/// In a file of its own: the Content-Security-Policy allows no inline script.
const INIT: &str = r##"SwaggerUIBundle({ url: "/api-docs/openapi.json", dom_id: "#ui", persistAuthorization: true });"##;

/// The document, built once at start-up.
pub struct Document(pub String);

#[get("/api-docs/openapi.json")]
async fn openapi_json(doc: web::Data<Document>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(doc.0.clone())
}

#[get("/docs")]
async fn viewer() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(PAGE)
}

#[get("/docs/swagger-ui-bundle.js")]
async fn bundle() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/javascript")
        .insert_header(("Cache-Control", "public, max-age=86400"))
        .body(BUNDLE)
}

#[get("/docs/init.js")]
async fn init() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/javascript")
        .insert_header(("Cache-Control", "no-cache"))
        .body(INIT)
}

#[get("/docs/swagger-ui.css")]
async fn css() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css")
        .insert_header(("Cache-Control", "public, max-age=86400"))
        .body(CSS)
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(openapi_json)
        .service(viewer)
        .service(bundle)
        .service(init)
        .service(css);
}
