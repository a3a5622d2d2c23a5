//! The bodies of the handlers every business record shares (get, list, delete, restore, history).
//! Each resource's module keeps its own thin handlers, because each carries its own OpenAPI docs.

use crate::error::ApiError;
use crate::extract::{etag, Force, IdempotencyKey, IfMatch, JsonBody, QueryPairs};
use crate::idempotency::{self, Created};
use crate::principals::Auth;
use crate::projection::Projected;
use crate::state::AppState;
use actix_web::{web, HttpResponse};
use diesel_async::AsyncConnection;
use domain::audit::HistoryEntry;
use domain::list::Page;
use persistence::list::ListRequest;
use persistence::records::{self, Record, Writable};
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

/// A page of records; `extra` narrows it (e.g. one account's contacts). `fields=a,b,custom.k`
/// returns only those fields of each record (with its `id` and `version`): list pages are as
/// small as the columns a client shows.
pub async fn list<R: Record + utoipa::ToSchema>(
    state: &AppState,
    auth: &Auth,
    module: &str,
    query: &QueryPairs,
    extra: Option<Sql>,
) -> Result<HttpResponse, ApiError> {
    auth.require(module, false)?;
    let mut conn = db::conn(&state.pool).await?;
    list_in::<R>(&mut conn, &auth.scope, query, extra).await
}

/// [`list`] within `scope` (a customer pool's members see accounts they do not own).
pub async fn list_in<R: Record + utoipa::ToSchema>(
    conn: &mut persistence::AsyncPgConnection,
    scope: &persistence::Scope,
    query: &QueryPairs,
    extra: Option<Sql>,
) -> Result<HttpResponse, ApiError> {
    let (fields, pairs): (Vec<_>, Vec<_>) =
        query.0.iter().cloned().partition(|(k, _)| k == "fields");
    let req = list_request(conn, scope, R::spec(), &pairs).await?;
    let shown = match fields.last() {
        Some((_, names)) => Some(shown_fields::<R>(conn, scope, names).await?),
        None => None,
    };
    let page = records::list::<R>(conn, scope, &req, extra).await?;
    let Some(shown) = shown else {
        return Ok(HttpResponse::Ok().json(page));
    };
    let shown = &shown;
    let data: Vec<Projected<R>> = page
        .data
        .iter()
        .map(|record| Projected { record, shown })
        .collect();
    Ok(HttpResponse::Ok().json(Page {
        data,
        next_cursor: page.next_cursor,
        total: page.total,
        totals: page.totals,
    }))
}

/// The names of `fields=`, each a field of `R`'s representation or `custom.<key>` of one of the
/// organization's custom fields; a 400 names the first that is not.
async fn shown_fields<R: Record + utoipa::ToSchema>(
    conn: &mut persistence::AsyncPgConnection,
    scope: &persistence::Scope,
    names: &str,
) -> Result<Vec<String>, ApiError> {
    let own = own_fields::<R>();
    let names: Vec<String> = names
        .split(',')
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .collect();
    let custom = if names.iter().any(|n| n.starts_with("custom.")) {
        persistence::custom_fields::of_entity(conn, scope.org_id, R::spec().table).await?
    } else {
        Vec::new()
    };
    for n in &names {
        if !own.contains(n) && !custom.iter().any(|f| f.path() == *n) {
            return Err(ApiError::BadRequest(format!(
                "`fields`: `{n}` is not a field of this list (fields: {}, custom.<key>)",
                own.join(", ")
            )));
        }
    }
    Ok(names)
}

/// The fields of `R`'s representation, from its schema: built once per entity (a schema is
/// hundreds of allocations, too many for every list request).
fn own_fields<R: Record + utoipa::ToSchema>() -> std::sync::Arc<Vec<String>> {
    use std::collections::HashMap;
    use std::sync::{Arc, LazyLock, Mutex};
    use utoipa::openapi::{schema::Schema, RefOr};
    type Known = HashMap<&'static str, Arc<Vec<String>>>;
    static OWN: LazyLock<Mutex<Known>> = LazyLock::new(Default::default);
    let mut known = OWN.lock().unwrap_or_else(|e| e.into_inner());
    known
        .entry(R::spec().table)
        .or_insert_with(|| {
            Arc::new(match R::schema() {
                RefOr::T(Schema::Object(o)) => o.properties.keys().cloned().collect(),
                _ => Vec::new(),
            })
        })
        .clone()
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
    let columns = persistence::custom_columns::columns(&fields);
    Ok(ListRequest::parse_with(spec, &columns, pairs)?)
}

/// 201 with the created record (the first one's again for a retry with its `Idempotency-Key`).
pub async fn create<R: Writable>(
    state: &AppState,
    auth: &Auth,
    module: &str,
    force: Force,
    key: IdempotencyKey,
    body: JsonBody<R::Input>,
) -> Result<HttpResponse, ApiError> {
    auth.require(module, true)?;
    let mut conn = db::conn(&state.pool).await?;
    let mut input = body.value;
    let scope = &auth.scope;
    R::validate(&mut conn, scope, None, &mut input).await?;
    idempotency::create_once(&mut conn, scope, &key, &body.digest, async |c| {
        let record = R::create(c, scope, &input, force.0).await?;
        let location = format!("/api/v1/{}/{}", R::spec().table, record.id());
        Ok(Created::new(location, &record, Some(record.version())))
    })
    .await
}

/// 200 with the changed record; `If-Match` is its version.
pub async fn update<R: Writable>(
    state: &AppState,
    auth: &Auth,
    module: &str,
    id: Uuid,
    if_match: IfMatch,
    force: Force,
    body: JsonBody<R::Patch>,
) -> Result<HttpResponse, ApiError> {
    auth.require(module, true)?;
    let mut conn = db::conn(&state.pool).await?;
    let scope = &auth.scope;
    let patch = body.value;
    let record = conn
        .transaction::<_, ApiError, _>(async |c| {
            Ok(R::update(c, scope, id, if_match.0, patch, force.0).await?)
        })
        .await?;
    Ok(ok_with_etag(&record))
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
