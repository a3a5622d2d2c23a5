//! The bodies of the handlers every business record shares (get, list, delete, restore, history).
//! Each resource's module keeps its own thin handlers, because each carries its own OpenAPI docs.

use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{etag, IfMatch, QueryPairs};
use crate::state::AppState;
use actix_web::{web, HttpResponse};
use diesel_async::AsyncConnection;
use domain::audit::HistoryEntry;
use domain::list::Page;
use persistence::list::ListRequest;
use persistence::records::{self, Record};
use persistence::sql::Sql;
use persistence::{audit, db};
use uuid::Uuid;

/// 200 with the record and its version as the ETag.
pub fn ok_with_etag<R: Record>(record: &R) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("ETag", etag(record.version())))
        .json(record)
}

pub async fn get<R: Record>(
    state: &AppState,
    auth: &Auth,
    module: &str,
    id: Uuid,
) -> Result<HttpResponse, ApiError> {
    auth.require(module, false)?;
    let mut conn = db::conn(&state.pool).await?;
    Ok(ok_with_etag(
        &records::get::<R>(&mut conn, &auth.scope, id).await?,
    ))
}

/// A page of records; `extra` narrows it (e.g. one account's contacts).
pub async fn list<R: Record>(
    state: &AppState,
    auth: &Auth,
    module: &str,
    query: &QueryPairs,
    extra: Option<Sql>,
) -> Result<web::Json<Page<R>>, ApiError> {
    auth.require(module, false)?;
    let mut conn = db::conn(&state.pool).await?;
    let req = list_request(&mut conn, &auth.scope, R::spec(), &query.0).await?;
    Ok(web::Json(
        records::list::<R>(&mut conn, &auth.scope, &req, extra).await?,
    ))
}

/// A list request of `spec`'s entity, with the organization's custom fields when it names one.
pub async fn list_request(
    conn: &mut persistence::AsyncPgConnection,
    scope: &persistence::Scope,
    spec: &'static persistence::list::Spec,
    pairs: &[(String, String)],
) -> Result<ListRequest, ApiError> {
    if !ListRequest::names_custom(pairs) {
        return Ok(ListRequest::parse(spec, pairs)?);
    }
    let fields = persistence::custom_fields::of_entity(conn, scope.org_id, spec.table).await?;
    let columns = persistence::custom_values::columns(&fields);
    Ok(ListRequest::parse_with(spec, &columns, pairs)?)
}

/// To the recycle bin: 204.
pub async fn delete<R: Record>(
    state: &AppState,
    auth: &Auth,
    module: &str,
    id: Uuid,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    auth.require(module, true)?;
    let mut conn = db::conn(&state.pool).await?;
    let scope = &auth.scope;
    conn.transaction::<_, ApiError, _>(async |c| {
        Ok(records::set_deleted::<R>(c, scope, id, if_match.0, true).await?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Back from the recycle bin: 200 with the record.
pub async fn restore<R: Record>(
    state: &AppState,
    auth: &Auth,
    module: &str,
    id: Uuid,
) -> Result<HttpResponse, ApiError> {
    auth.require(module, true)?;
    let mut conn = db::conn(&state.pool).await?;
    let scope = &auth.scope;
    let record = conn
        .transaction::<_, ApiError, _>(async |c| {
            Ok(records::set_deleted::<R>(c, scope, id, None, false).await?)
        })
        .await?;
    Ok(ok_with_etag(&record))
}

pub async fn history<R: Record>(
    state: &AppState,
    auth: &Auth,
    module: &str,
    id: Uuid,
    query: &QueryPairs,
) -> Result<web::Json<Page<HistoryEntry>>, ApiError> {
    auth.require(module, false)?;
    let req = ListRequest::parse(&audit::HISTORY, &query.0)?;
    let mut conn = db::conn(&state.pool).await?;
    Ok(web::Json(
        records::history::<R>(&mut conn, &auth.scope, id, &req).await?,
    ))
}
