//! `/contacts`: people, usually at an account.

use super::{ForceParam, ListParams, RecordListParams};
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{Force, IdempotencyKey, IfMatch, JsonBody, QueryPairs};
use crate::idempotency::{self, Created};
use crate::records::{self, ok_with_etag};
use crate::state::AppState;
use actix_web::{delete, get, patch, post, web, HttpResponse};
use diesel_async::AsyncConnection;
use domain::account::Account;
use domain::audit::HistoryEntry;
use domain::contact::{Contact, ContactInput, ContactPatch};
use domain::list::Page;
use domain::problem::Problem;
use persistence::{contacts, db};
use uuid::Uuid;

const MODULE: &str = "contacts";

/// List contacts
///
/// Filters: `name`, `title`, `account_id`, `phones`, `emails` (`[contains]` one value), `wechat`,
/// `owner_id`, `tags`, `created_by`, `created_at`, `updated_at`, `deleted_at`. Sortable: `name,
/// created_at, updated_at`. `deleted=true` lists the recycle bin.
#[utoipa::path(
    tag = "contacts",
    params(ListParams, RecordListParams, ("deleted" = Option<bool>, Query, description = "List the recycle bin")),
    responses(
        (status = 200, description = "A page of contacts the caller can see", body = Page<Contact>),
        (status = 400, description = "Unknown filter, operator or sort field", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/contacts")]
async fn list_contacts(
    state: web::Data<AppState>,
    auth: Auth,
    query: QueryPairs,
) -> Result<HttpResponse, ApiError> {
    records::list::<Contact>(&state, &auth, MODULE, &query, None).await
}

/// An account's contacts
///
/// The contacts at the account that the caller can see; the same filters and sorts as `/contacts`.
#[utoipa::path(
    tag = "contacts",
    params(ListParams, RecordListParams),
    responses(
        (status = 200, description = "A page of the account's contacts", body = Page<Contact>),
        (status = 404, description = "No such account visible to the caller", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/accounts/{id}/contacts")]
async fn account_contacts(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    query: QueryPairs,
) -> Result<HttpResponse, ApiError> {
    auth.require("accounts", false)?;
    let mut conn = db::conn(&state.pool).await?;
    persistence::records::get::<Account>(&mut conn, &auth.scope, *id).await?;
    drop(conn);
    records::list::<Contact>(
        &state,
        &auth,
        MODULE,
        &query,
        Some(contacts::at_account(*id)),
    )
    .await
}

/// Create a contact
///
/// Phones are stored in E.164 and emails in lower case. Answers 409 with the candidates when a
/// contact with one of the phones or emails exists; repeat with `force=true` to create anyway.
#[utoipa::path(
    tag = "contacts",
    params(ForceParam, ("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key return the first result")),
    request_body = ContactInput,
    responses(
        (status = 201, description = "Created", body = Contact, headers(("Location" = String), ("ETag" = String))),
        (status = 409, description = "Possible duplicate, with candidates (across the organization: id, name and owner only, also of records the caller cannot open)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/contacts")]
async fn create_contact(
    state: web::Data<AppState>,
    auth: Auth,
    force: Force,
    key: IdempotencyKey,
    body: JsonBody<ContactInput>,
) -> Result<HttpResponse, ApiError> {
    auth.require(MODULE, true)?;
    let mut conn = db::conn(&state.pool).await?;
    let mut input = body.value;
    let scope = &auth.scope;
    contacts::validate(&mut conn, scope, None, &mut input).await?;
    idempotency::create_once(&mut conn, scope, &key, &body.digest, async |c| {
        let contact = contacts::create(c, scope, &input, force.0).await?;
        let location = format!("/api/v1/contacts/{}", contact.id);
        Ok(Created::new(location, &contact, Some(contact.version)))
    })
    .await
}

/// Get a contact
#[utoipa::path(
    tag = "contacts",
    responses(
        (status = 200, description = "The contact", body = Contact, headers(("ETag" = String))),
        (status = 404, description = "No such contact visible to the caller", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/contacts/{id}")]
async fn get_contact(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    records::get::<Contact>(&state, &auth, MODULE, *id).await
}

/// Update a contact
///
/// A partial update: absent fields stay, `null` clears. Requires `If-Match` with the version read.
#[utoipa::path(
    tag = "contacts",
    params(ForceParam, ("If-Match" = String, Header, description = "The ETag read, e.g. \"3\"; `*` overwrites")),
    request_body = ContactPatch,
    responses(
        (status = 200, description = "The updated contact", body = Contact, headers(("ETag" = String))),
        (status = 404, description = "No such contact visible to the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A new phone or email belongs to another contact", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/contacts/{id}")]
async fn update_contact(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    force: Force,
    body: JsonBody<ContactPatch>,
) -> Result<HttpResponse, ApiError> {
    auth.require(MODULE, true)?;
    let mut conn = db::conn(&state.pool).await?;
    let scope = &auth.scope;
    let patch = body.value;
    let contact = conn
        .transaction::<_, ApiError, _>(async |c| {
            Ok(contacts::update(c, scope, *id, if_match.0, patch, force.0).await?)
        })
        .await?;
    Ok(ok_with_etag(&contact))
}

/// Delete a contact (to the recycle bin)
#[utoipa::path(
    tag = "contacts",
    params(("If-Match" = String, Header, description = "The ETag read; `*` deletes whatever the version")),
    responses(
        (status = 204, description = "Moved to the recycle bin"),
        (status = 404, description = "No such contact visible to the caller", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale version", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/contacts/{id}")]
async fn delete_contact(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    records::delete::<Contact>(&state, &auth, MODULE, *id, if_match).await
}

/// Restore a contact from the recycle bin
#[utoipa::path(
    tag = "contacts",
    responses(
        (status = 200, description = "The restored contact", body = Contact, headers(("ETag" = String))),
        (status = 404, description = "No such deleted contact visible to the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The contact is not in the recycle bin", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/contacts/{id}/restore")]
async fn restore_contact(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    records::restore::<Contact>(&state, &auth, MODULE, *id).await
}

/// A contact's history
///
/// Who changed what and when, newest first, with field-level changes.
#[utoipa::path(
    tag = "contacts",
    params(ListParams),
    responses(
        (status = 200, description = "Audit events of the contact", body = Page<HistoryEntry>),
        (status = 404, description = "No such contact visible to the caller", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/contacts/{id}/history")]
async fn contact_history(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    query: QueryPairs,
) -> Result<web::Json<Page<HistoryEntry>>, ApiError> {
    records::history::<Contact>(&state, &auth, MODULE, *id, &query).await
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_contacts)
        .service(account_contacts)
        .service(create_contact)
        .service(get_contact)
        .service(update_contact)
        .service(delete_contact)
        .service(restore_contact)
        .service(contact_history);
}
