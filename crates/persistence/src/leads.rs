//! Leads: prospects before they are customers. Duplicates share a phone or an email with another
//! lead or a contact, or name a company that already is an account. Conversion turns a lead into
//! an account + contact (+ opportunity) in the caller's transaction.

use crate::custom_values;
use crate::locks::{self, Guard};
use crate::records;
use crate::references::{self, Ref};
use crate::schema::leads;
use crate::scope::Scope;
use crate::sql::{Bind, Sql};
use crate::stores::LEADS as SPEC;
use crate::{accounts, contacts, opportunities, StoreError};
use chrono::{DateTime, Utc};
use diesel::sql_types;
use diesel::{
    ExpressionMethods, QueryDsl, Queryable, QueryableByName, Selectable, SelectableHelper,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::account::Account;
use domain::activity::EntityType;
use domain::contact::Contact;
use domain::custom::CustomValues;
use domain::lead::{ConvertRequest, ConvertResult, Lead, LeadInput, LeadPatch, LeadStatus};
use domain::problem::DuplicateCandidate;
use uuid::Uuid;

/// The collection, as custom field definitions name it.
const ENTITY: &str = "leads";

#[persistence_macros::stored(
    record = Lead,
    input = LeadInput,
    values = LeadValues,
    table = leads,
    entity = "lead",
    spec = SPEC
)]
#[derive(Queryable, QueryableByName, Selectable)]
#[diesel(table_name = leads)]
pub struct LeadRow {
    id: Uuid,
    name: String,
    company: Option<String>,
    title: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    region: Option<String>,
    address: Option<String>,
    industry: Option<String>,
    source: Option<String>,
    description: Option<String>,
    #[stored(text_enum)]
    status: String,
    disqualify_reason: Option<String>,
    #[stored(read)]
    converted_at: Option<DateTime<Utc>>,
    #[stored(read)]
    converted_by: Option<Uuid>,
    #[stored(read)]
    account_id: Option<Uuid>,
    #[stored(read)]
    contact_id: Option<Uuid>,
    #[stored(read)]
    opportunity_id: Option<Uuid>,
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

/// Normalizes `input` and checks its picklist values and region: every bad field at once.
pub async fn validate(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    before: Option<&CustomValues>,
    input: &mut LeadInput,
) -> Result<(), StoreError> {
    let mut errors = input.normalize().err().unwrap_or_default();
    custom_values::check(conn, scope, ENTITY, before, &mut input.custom, &mut errors).await?;
    let refs = [
        Ref::Pick {
            field: "industry",
            list: "industry",
            key: input.industry.as_deref(),
        },
        Ref::Pick {
            field: "source",
            list: "source",
            key: input.source.as_deref(),
        },
        Ref::Pick {
            field: "disqualify_reason",
            list: "disqualify_reason",
            key: input.disqualify_reason.as_deref(),
        },
        Ref::Region {
            field: "region",
            code: input.region.as_deref(),
        },
    ];
    references::check(conn, scope.org_id, errors, &refs).await
}

/// Live leads sharing the phone or email, then contacts sharing them, then accounts with the
/// company's name, across the organization.
pub async fn duplicates(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    input: &LeadInput,
    exclude: Option<Uuid>,
) -> Result<Vec<DuplicateCandidate>, StoreError> {
    // Every key at once, in lock order, before the checks below lock them again one kind at a time.
    let company_key = input.company.as_deref().map(domain::normalize::company_key);
    locks::values(
        conn,
        org_id,
        [
            (Guard::Company, company_key.as_deref().unwrap_or("")),
            (Guard::Email, input.email.as_deref().unwrap_or("")),
            (Guard::Phone, input.phone.as_deref().unwrap_or("")),
        ],
    )
    .await?;
    let mut found = Vec::new();
    if input.phone.is_some() || input.email.is_some() {
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
        let phone = input.phone.clone().unwrap_or_default();
        let email = input.email.clone().unwrap_or_default();
        let mut sql = Sql::new("SELECT id, name, owner_id, coalesce(phone = ");
        sql.bind(Bind::Text(phone.clone()))
            .push(", false) AS by_phone, coalesce(email = ")
            .bind(Bind::Text(email.clone()))
            .push(", false) AS by_email FROM leads WHERE org_id = ")
            .bind(Bind::Uuid(org_id))
            .push(" AND deleted_at IS NULL AND status <> 'converted' AND id <> ")
            .bind(Bind::Uuid(exclude.unwrap_or_default()))
            .push(" AND (phone = ")
            .bind(Bind::Text(phone))
            .push(" OR email = ")
            .bind(Bind::Text(email))
            .push(") ORDER BY name, id LIMIT 10");
        let rows: Vec<Candidate> = sql.load(conn).await?;
        found.extend(rows.into_iter().map(|c| DuplicateCandidate {
            entity: "lead".into(),
            id: c.id,
            name: c.name,
            owner_id: Some(c.owner_id),
            reasons: DuplicateCandidate::reasons(&[(c.by_phone, "phone"), (c.by_email, "email")]),
        }));
        let phones: Vec<String> = input.phone.clone().into_iter().collect();
        let emails: Vec<String> = input.email.clone().into_iter().collect();
        found.extend(contacts::duplicates(conn, org_id, &phones, &emails, None).await?);
    }
    if let Some(company) = &input.company {
        let as_account = domain::account::AccountInput {
            name: company.clone(),
            ..Default::default()
        };
        found.extend(accounts::duplicates(conn, org_id, &as_account, None).await?);
    }
    Ok(found)
}

async fn refuse_duplicates(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    input: &LeadInput,
    exclude: Option<Uuid>,
) -> Result<(), StoreError> {
    StoreError::refuse_duplicates(duplicates(conn, scope.org_id, input, exclude).await?)
}

/// Creates a lead from validated input. `force` skips the duplicate check.
pub async fn create(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    input: &LeadInput,
    force: bool,
) -> Result<Lead, StoreError> {
    let owner = input.owner_id.unwrap_or(scope.user_id);
    records::check_owner(conn, scope, owner).await?;
    let id = Uuid::now_v7();
    let written = custom_values::written(conn, scope, ENTITY, id, None, input).await?;
    if !force {
        refuse_duplicates(conn, scope, input, None).await?;
    }
    let now = Utc::now();
    let lead = LeadValues::new(input, &written, owner)
        .insert(conn, scope, id, now)
        .await?;
    records::created(conn, scope, &lead, now).await?;
    Ok(lead)
}

fn refuse_converted(lead: &Lead) -> Result<(), StoreError> {
    match lead
        .account_id
        .filter(|_| lead.status == LeadStatus::Converted)
    {
        Some(account) => {
            Err(StoreError::Conflict(format!(
            "the lead was converted on {} into account {account}; converted leads are read-only",
            lead.converted_at.unwrap_or(lead.updated_at).format("%Y-%m-%d")
        )))
        }
        None => Ok(()),
    }
}

/// Applies a patch at `expected` version (`None`: `If-Match: *`). Run inside a transaction.
pub async fn update(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    expected: Option<i32>,
    patch: LeadPatch,
    force: bool,
) -> Result<Lead, StoreError> {
    let before: Lead = records::load(conn, scope, id, false, true).await?;
    StoreError::check_version(before.version, expected)?;
    refuse_converted(&before)?;
    let mut input = LeadInput::from(&before);
    input.apply(patch);
    validate(conn, scope, Some(&before.custom), &mut input).await?;
    let owner = input.owner_id.unwrap_or(before.owner_id);
    if owner != before.owner_id {
        records::check_owner(conn, scope, owner).await?;
    }
    let written =
        custom_values::written(conn, scope, ENTITY, id, Some(&before.custom), &input).await?;
    let new_keys = (input.phone.is_some() && input.phone != before.phone)
        || (input.email.is_some() && input.email != before.email)
        || (input.company.is_some() && input.company != before.company);
    if new_keys && !force {
        refuse_duplicates(conn, scope, &input, Some(id)).await?;
    }
    let now = Utc::now();
    let after = LeadValues::new(&input, &written, owner)
        .update(conn, scope, id, now)
        .await?;
    records::updated(conn, scope, &before, &after, now).await?;
    Ok(after)
}

/// Converts a lead: links or creates the account, links or creates the contact, optionally opens
/// an opportunity, and marks the lead converted — all or nothing, so run it inside a
/// transaction. A converted lead is a 409; `force` creates despite duplicates.
pub async fn convert(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    expected: Option<i32>,
    req: &ConvertRequest,
    force: bool,
) -> Result<ConvertResult, StoreError> {
    // Locked (FOR UPDATE), so two simultaneous conversions cannot both pass this check.
    let before: Lead = records::load(conn, scope, id, false, true).await?;
    StoreError::check_version(before.version, expected)?;
    refuse_converted(&before)?;
    if before.status == LeadStatus::Disqualified {
        return Err(StoreError::Conflict(
            "the lead is disqualified; set its status back before converting it".into(),
        ));
    }
    let owner = req.owner_id.unwrap_or(before.owner_id);
    records::check_owner(conn, scope, owner).await?;

    let (account, account_created) = match req.account_id {
        Some(account_id) => {
            let account = records::get::<Account>(conn, scope, account_id)
                .await
                .map_err(|e| e.or_invalid("account_id", "no such account visible to you"))?;
            (account, false)
        }
        None => {
            let mut input = before.account_input(req.account_name.as_deref(), owner);
            accounts::validate(conn, scope, None, &mut input)
                .await
                .map_err(|e| e.prefixed("account"))?;
            (accounts::create(conn, scope, &input, force).await?, true)
        }
    };

    let (contact, contact_created) = match req.contact_id {
        Some(contact_id) => {
            let contact = records::get::<Contact>(conn, scope, contact_id)
                .await
                .map_err(|e| e.or_invalid("contact_id", "no such contact visible to you"))?;
            (contact, false)
        }
        None => {
            let mut input = before.contact_input(account.id, owner);
            contacts::validate(conn, scope, None, &mut input)
                .await
                .map_err(|e| e.prefixed("contact"))?;
            (contacts::create(conn, scope, &input, force).await?, true)
        }
    };

    let opportunity = match &req.opportunity {
        Some(o) => {
            let mut input = o.input(account.id, contact.id, before.source.clone(), owner);
            opportunities::validate(conn, scope, None, &mut input)
                .await
                .map_err(|e| e.prefixed("opportunity"))?;
            Some(
                opportunities::create(conn, scope, &input)
                    .await
                    .map_err(|e| e.prefixed("opportunity"))?,
            )
        }
        None => None,
    };

    let now = Utc::now();
    let row: LeadRow = diesel::update(
        leads::table
            .filter(leads::id.eq(id))
            .filter(leads::org_id.eq(scope.org_id)),
    )
    .set((
        leads::status.eq(LeadStatus::Converted.as_str()),
        leads::disqualify_reason.eq(None::<String>),
        leads::converted_at.eq(now),
        leads::converted_by.eq(scope.user_id),
        leads::account_id.eq(account.id),
        leads::contact_id.eq(contact.id),
        leads::opportunity_id.eq(opportunity.as_ref().map(|o| o.id)),
        leads::version.eq(leads::version + 1),
        leads::updated_at.eq(now),
        leads::updated_by.eq(scope.user_id),
    ))
    .returning(LeadRow::as_returning())
    .get_result(conn)
    .await?;
    let lead: Lead = row.into();
    // What was done with the lead is now the account's history (timeline, last activity).
    crate::activities::moved(
        conn,
        scope,
        EntityType::LEAD,
        id,
        before.account_id,
        Some(account.id),
    )
    .await?;
    records::updated(conn, scope, &before, &lead, now).await?;
    Ok(ConvertResult {
        lead,
        account,
        account_created,
        contact,
        contact_created,
        opportunity,
    })
}

crate::writable_by_module!(Lead, LeadInput, LeadPatch);
