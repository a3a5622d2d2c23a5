//! `/products` and `/product-categories`: the catalogue (产品) and its category tree. Products run
//! on the generic record routes; what is their own is the tree.

use super::Items;
use crate::error::ApiError;
use crate::extract::{with_etag, IfMatch, JsonBody, NoQuery};
use crate::principals::Auth;
use crate::state::AppState;
use actix_web::{delete, get, patch, post, web, HttpResponse};
use diesel_async::AsyncConnection;
use domain::problem::Problem;
use domain::product::{
    Product, ProductCategory, ProductCategoryInput, ProductCategoryPatch, ProductInput,
    ProductPatch,
};
use persistence::{db, products};
use uuid::Uuid;

const MODULE: &str = "products";

crate::record_routes! {
    record: Product, input: ProductInput, patch: ProductPatch, tag: "products", module: "products",
    paths: ("/products", "/products/{id}", "/products/{id}/restore", "/products/{id}/history"),
    handlers: (list_products, create_product, get_product, update_product, delete_product,
               restore_product, product_history),
    list_doc: ("List products", "Every member sees the whole catalogue. Filters: `code`, `name`, `spec`, \
        `model`, `unit`, `unit_price`, `currency`, `active`, `category_id`, `created_by`, `created_at`, \
        `updated_at`, `deleted_at` and filterable custom fields, as `field=value` or `field[op]=value`. \
        Sortable: `code, name, unit_price, created_at, updated_at`. `q` matches code, name, spec, model \
        and the name's pinyin."),
    create_doc: ("Create a product", "The code is unique in the organization (409 naming the product that has it); the category must exist."),
    update_doc: ("Update a product", "A partial update: absent fields stay, `null` clears. Requires `If-Match` with the version read."),
    force: [],
}

/// List product categories
///
/// The whole tree, each parent before its children, siblings by `position`.
#[utoipa::path(
    tag = "products",
    responses((status = 200, description = "The categories", body = Items<ProductCategory>))
)]
#[get("/product-categories")]
async fn list_categories(
    state: web::Data<AppState>,
    auth: Auth,
    _query: NoQuery,
) -> Result<web::Json<Items<ProductCategory>>, ApiError> {
    auth.require(MODULE, false)?;
    let mut conn = db::conn(&state.pool).await?;
    Ok(web::Json(Items {
        data: products::categories(&mut conn, auth.scope.org_id).await?,
    }))
}

/// Add a product category
#[utoipa::path(
    tag = "products",
    request_body = ProductCategoryInput,
    responses(
        (status = 201, description = "Added", body = ProductCategory, headers(("ETag" = String))),
        (status = 409, description = "The parent already has a category of this name", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or no such parent", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/product-categories")]
async fn create_category(
    state: web::Data<AppState>,
    auth: Auth,
    body: JsonBody<ProductCategoryInput>,
) -> Result<HttpResponse, ApiError> {
    auth.require(MODULE, true)?;
    let mut conn = db::conn(&state.pool).await?;
    let scope = &auth.scope;
    let input = body.value;
    let c = conn
        .transaction::<_, ApiError, _>(async |c| {
            Ok(products::create_category(c, scope, input).await?)
        })
        .await?;
    Ok(with_etag(
        actix_web::http::StatusCode::CREATED,
        &c,
        c.version,
    ))
}

/// Rename, move or reorder a product category
///
/// `parent_id: null` moves it to the top. A move under itself or one of its subcategories is a
/// 422 (`cycle`), however many moves run at once.
#[utoipa::path(
    tag = "products",
    params(("If-Match" = String, Header, description = "The ETag read; `*` overwrites")),
    request_body = ProductCategoryPatch,
    responses(
        (status = 200, description = "The changed category", body = ProductCategory, headers(("ETag" = String))),
        (status = 404, description = "No such category", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The new parent already has a category of this name", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, no such parent, or a cycle", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/product-categories/{id}")]
async fn update_category(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: JsonBody<ProductCategoryPatch>,
) -> Result<HttpResponse, ApiError> {
    auth.require(MODULE, true)?;
    let mut conn = db::conn(&state.pool).await?;
    let scope = &auth.scope;
    let patch = body.value;
    let c = conn
        .transaction::<_, ApiError, _>(async |c| {
            Ok(products::update_category(c, scope, *id, if_match.0, patch).await?)
        })
        .await?;
    Ok(with_etag(actix_web::http::StatusCode::OK, &c, c.version))
}

/// Delete an empty product category
#[utoipa::path(
    tag = "products",
    params(("If-Match" = String, Header, description = "The ETag read; `*` deletes whatever the version")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such category", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "It holds subcategories or products", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale version", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/product-categories/{id}")]
async fn delete_category(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    auth.require(MODULE, true)?;
    let mut conn = db::conn(&state.pool).await?;
    let scope = &auth.scope;
    conn.transaction::<_, ApiError, _>(async |c| {
        Ok(products::delete_category(c, scope, *id, if_match.0).await?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    record_services(cfg);
    cfg.service(list_categories)
        .service(create_category)
        .service(update_category)
        .service(delete_category);
}
