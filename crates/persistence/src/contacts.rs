//! Contacts: people, usually at an account; duplicates share a phone or an email.

use crate::custom_values;
use crate::locks::{self, Guard};
use crate::records;
use crate::schema::contacts;
use crate::scope::Scope;
use crate::sql::{Bind, Sql};
use crate::stores::CONTACTS as SPEC;
use crate::StoreError;
use chrono::{DateTime, NaiveDate, Utc};
use diesel::sql_types;
use diesel::{Queryable, QueryableByName, Selectable};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::account::Account;
use domain::activity::EntityType;
use domain::contact::{Contact, ContactInput, ContactPatch};
use domain::custom::CustomValues;
use domain::problem::DuplicateCandidate;
use uuid::Uuid;

/// The collection, as custom field definitions name it.
const ENTITY: &str = "contacts";

#[persistence_macros::stored(
    record = Contact,
    input = ContactInput,
    values = ContactValues,
    table = contacts,
    entity = "contact",
    spec = SPEC
)]
#[derive(Queryable, QueryableByName, Selectable)]
#[diesel(table_name = contacts)]
pub struct ContactRow {
    id: Uuid,
    name: String,
    title: Option<String>,
    account_id: Option<Uuid>,
    phones: Vec<String>,
    emails: Vec<String>,
    wechat: Option<String>,
    birthday: Option<NaiveDate>,
    #[stored(param)]
    owner_id: Uuid,
    tags: Vec<String>,
    version: i32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    created_by: Uuid,
    updated_by: Uuid,
    deleted_at: Option<DateTime<Utc>>,
    custom: serde_json::Value,
}

/// Live contacts sharing a phone or an email with `input`, across the organization (whoever owns
/// them: two people calling one customer is what the check prevents).
pub async fn duplicates(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    phones: &[String],
    emails: &[String],
    exclude: Option<Uuid>,
) -> Result<Vec<DuplicateCandidate>, StoreError> {
    if phones.is_empty() && emails.is_empty() {
        return Ok(Vec::new());
    }
    // Concurrent writers of the same phone or e-mail check one after the other (see `locks`).
    let keys = emails.iter().map(|e| (Guard::Email, e.as_str()));
    locks::values(
        conn,
        org_id,
        keys.chain(phones.iter().map(|p| (Guard::Phone, p.as_str()))),
    )
    .await?;
    #[derive(QueryableByName)]
    struct Candidate {
        #[diesel(sql_type = sql_types::Uuid)]
        id: Uuid,
        #[diesel(sql_type = sql_types::Text)]
        name: String,
        #[diesel(sql_type = sql_types::Uuid)]
        owner_id: Uuid,
        #[diesel(sql_type = sql_types::Bool)]
        by_phone: bool,
        #[diesel(sql_type = sql_types::Bool)]
        by_email: bool,
    }
    // The matches are few; the fence (OFFSET 0) keeps the planner from walking the whole
    // (org_id, name) index to the LIMIT instead (3.5 s at a million contacts, seen in the bench).
    let mut sql = Sql::new("SELECT * FROM (SELECT id, name, owner_id, phones && ");
    sql.bind(Bind::TextArray(phones.to_vec()))
        .push(" AS by_phone, emails && ")
        .bind(Bind::TextArray(emails.to_vec()))
        .push(" AS by_email FROM contacts WHERE org_id = ")
        .bind(Bind::Uuid(org_id))
        .push(" AND deleted_at IS NULL AND id <> ")
        .bind(Bind::Uuid(exclude.unwrap_or_default()))
        .push(" AND (phones && ")
        .bind(Bind::TextArray(phones.to_vec()))
        .push(" OR emails && ")
        .bind(Bind::TextArray(emails.to_vec()))
        .push(") OFFSET 0) AS candidates ORDER BY name, id LIMIT 10");
    let rows: Vec<Candidate> = sql.load(conn).await?;
    Ok(rows
        .into_iter()
        .map(|c| {
            let reasons =
                DuplicateCandidate::reasons(&[(c.by_phone, "phone"), (c.by_email, "email")]);
            DuplicateCandidate {
                entity: "contact".into(),
                id: c.id,
                name: c.name,
                owner_id: Some(c.owner_id),
                reasons,
            }
        })
        .collect())
}

/// The account must be live and visible to the caller.
async fn check_account(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    account: Option<Uuid>,
) -> Result<(), StoreError> {
    let Some(id) = account else { return Ok(()) };
    records::get::<Account>(conn, scope, id)
        .await
        .map(|_| ())
        .map_err(|e| e.or_invalid("account_id", "no such account visible to you"))
}

async fn refuse_duplicates(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    input: &ContactInput,
    exclude: Option<Uuid>,
) -> Result<(), StoreError> {
    StoreError::refuse_duplicates(
        duplicates(conn, scope.org_id, &input.phones, &input.emails, exclude).await?,
    )
}

/// Normalizes `input` and checks its custom values (`before`: the stored contact's, for an
/// update): every bad field at once.
pub async fn validate(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    before: Option<&CustomValues>,
    input: &mut ContactInput,
) -> Result<(), StoreError> {
    let mut errors = input.normalize().err().unwrap_or_default();
    custom_values::check(conn, scope, ENTITY, before, &mut input.custom, &mut errors).await?;
    if errors.is_empty() {
        Ok(())
    } else {
        Err(StoreError::Invalid(errors))
    }
}

/// Creates a contact from normalized input. `force` skips the duplicate check.
pub async fn create(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    input: &ContactInput,
    force: bool,
) -> Result<Contact, StoreError> {
    let owner = input.owner_id.unwrap_or(scope.user_id);
    records::check_owner(conn, scope, owner).await?;
    check_account(conn, scope, input.account_id).await?;
    let id = Uuid::now_v7();
    let written = custom_values::written(conn, scope, ENTITY, id, None, input).await?;
    if !force {
        refuse_duplicates(conn, scope, input, None).await?;
    }
    let now = Utc::now();
    let contact = ContactValues::new(input, &written, owner)
        .insert(conn, scope, id, now)
        .await?;
    records::created(conn, scope, &contact, now).await?;
    Ok(contact)
}

/// Applies a patch at `expected` version (`None`: `If-Match: *`). Run inside a transaction.
pub async fn update(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    expected: Option<i32>,
    patch: ContactPatch,
    force: bool,
) -> Result<Contact, StoreError> {
    let before: Contact = records::load(conn, scope, id, false, true).await?;
    StoreError::check_version(before.version, expected)?;
    let mut input = ContactInput::from(&before);
    input.apply(patch);
    save(conn, scope, &before, input, force).await
}

/// Writes `input` over the locked `before` (validated here; duplicates checked when a phone or
/// email is new, unless `force`), audited as an update. Run inside a transaction.
pub async fn save(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    before: &Contact,
    mut input: ContactInput,
    force: bool,
) -> Result<Contact, StoreError> {
    let id = before.id;
    validate(conn, scope, Some(&before.custom), &mut input).await?;
    let owner = input.owner_id.unwrap_or(before.owner_id);
    if owner != before.owner_id {
        records::check_owner(conn, scope, owner).await?;
    }
    let written =
        custom_values::written(conn, scope, ENTITY, id, Some(&before.custom), &input).await?;
    if input.account_id != before.account_id {
        check_account(conn, scope, input.account_id).await?;
    }
    let new_keys = input.phones.iter().any(|p| !before.phones.contains(p))
        || input.emails.iter().any(|e| !before.emails.contains(e));
    if new_keys && !force {
        refuse_duplicates(conn, scope, &input, Some(id)).await?;
    }
    let now = Utc::now();
    let after = ContactValues::new(&input, &written, owner)
        .update(conn, scope, id, now)
        .await?;
    if after.account_id != before.account_id {
        crate::activities::moved(
            conn,
            scope,
            EntityType::CONTACT,
            id,
            before.account_id,
            after.account_id,
        )
        .await?;
    }
    records::updated(conn, scope, before, &after, now).await?;
    Ok(after)
}

/// `AND account_id = …`: narrows a contact list to one account.
pub fn at_account(account_id: Uuid) -> Sql {
    let mut sql = Sql::new(" AND account_id = ");
    sql.bind(Bind::Uuid(account_id));
    sql
}

crate::writable_by_module!(Contact, ContactInput, ContactPatch);
