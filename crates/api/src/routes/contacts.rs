//! `/contacts`: people, usually at an account. They run on the generic record routes; what is
//! their own is the list of an account's contacts.

use super::{ListParams, RecordListParams};
use crate::error::ApiError;
use crate::extract::QueryPairs;
use crate::principals::Auth;
use crate::records;
use crate::state::AppState;
use actix_web::{delete, get, patch, post, web, HttpResponse};
use domain::account::Account;
use domain::contact::{Contact, ContactInput, ContactPatch};
use domain::list::Page;
use domain::problem::Problem;
use persistence::{contacts, db};
use uuid::Uuid;

const MODULE: &str = "contacts";

crate::record_routes! {
    record: Contact, input: ContactInput, patch: ContactPatch, tag: "contacts", module: "contacts",
    paths: ("/contacts", "/contacts/{id}", "/contacts/{id}/restore", "/contacts/{id}/history"),
    handlers: (list_contacts, create_contact, get_contact, update_contact, delete_contact,
               restore_contact, contact_history),
    list_doc: ("List contacts", "Filters: `name`, `title`, `account_id`, `phones`, `emails` (`[contains]` \
        one value), `wechat`, `owner_id`, `tags`, `created_by`, `created_at`, `updated_at`, `deleted_at` \
        and filterable custom fields. Sortable: `name, created_at, updated_at`. `deleted=true` lists the \
        recycle bin. Phones are stored in E.164 and emails in lower case; a create or update answers \
        409 with the candidates when a contact with one of the phones or emails exists (repeat with \
        `force=true` to write anyway)."),
    create_doc: ("Create a contact", "Phones are stored in E.164 and emails in lower case. Answers 409 with the candidates when a contact with one of the phones or emails exists; repeat with `force=true` to create anyway."),
    update_doc: ("Update a contact", "A partial update: absent fields stay, `null` clears. Requires `If-Match` with the version read. New phones and emails are checked for duplicates as on create."),
    force: [crate::routes::ForceParam],
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

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    record_services(cfg);
    cfg.service(account_contacts);
}
