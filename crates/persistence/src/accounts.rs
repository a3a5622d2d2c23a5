//! Accounts: reads and writes scoped to the caller, with duplicates, versions and the audit trail.

use crate::custom_values;
use crate::locks::{self, Guard};
use crate::pools::Due;
use crate::records;
use crate::references::{self, Ref};
use crate::schema::accounts;
use crate::scope::Scope;
use crate::sql::{Bind, Sql};
use crate::stores::ACCOUNTS as SPEC;
use crate::StoreError;
use bigdecimal::BigDecimal;
use chrono::{DateTime, Utc};
use diesel::sql_types;
use diesel::{Queryable, QueryableByName, Selectable};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use domain::account::{Account, AccountInput, AccountPatch};
use domain::custom::CustomValues;
use domain::problem::DuplicateCandidate;
use uuid::Uuid;

/// The collection, as custom field definitions name it.
const ENTITY: &str = "accounts";

#[persistence_macros::stored(
    record = Account,
    input = AccountInput,
    values = AccountValues,
    table = accounts,
    entity = "account",
    spec = SPEC,
    write(name_key: String),
    insert(neglect_at: DateTime<Utc>)
)]
#[derive(Queryable, QueryableByName, Selectable)]
#[diesel(table_name = accounts)]
pub struct AccountRow {
    id: Uuid,
    name: String,
    credit_code: Option<String>,
    industry: Option<String>,
    employees: Option<i32>,
    #[stored(money = "annual_revenue_currency")]
    annual_revenue: Option<BigDecimal>,
    annual_revenue_currency: Option<String>,
    region: Option<String>,
    address: Option<String>,
    website: Option<String>,
    phone: Option<String>,
    source: Option<String>,
    #[stored(text_enum)]
    class: String,
    #[stored(param)]
    owner_id: Option<Uuid>,
    #[stored(read)]
    pool_id: Option<Uuid>,
    #[stored(read)]
    recycle_at: Option<DateTime<Utc>>,
    tags: Vec<String>,
    version: i32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    created_by: Uuid,
    updated_by: Uuid,
    deleted_at: Option<DateTime<Utc>>,
    #[stored(read)]
    last_activity_at: Option<DateTime<Utc>>,
    custom: serde_json::Value,
    #[diesel(
        sql_type = sql_types::Bool,
        select_expression = diesel::dsl::sql::<sql_types::Bool>(crate::stores::NEGLECTED_SQL),
        select_expression_type = diesel::expression::SqlLiteral<sql_types::Bool>
    )]
    #[stored(read)]
    neglected: bool,
}

/// Accounts the input would duplicate: same credit code or normalized name (blocking), and
/// similar names (offered alongside). Checked across the whole organization, whoever owns them,
/// because two salespeople working one customer is exactly what duplicate checks prevent.
/// How similar (pg_trgm) two company keys must be to count as a possible duplicate.
const SIMILAR_NAME: f64 = 0.5;

pub async fn duplicates(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    input: &AccountInput,
    exclude: Option<Uuid>,
) -> Result<Vec<DuplicateCandidate>, StoreError> {
    #[derive(QueryableByName)]
    struct Candidate {
        #[diesel(sql_type = sql_types::Uuid)]
        id: Uuid,
        #[diesel(sql_type = sql_types::Text)]
        name: String,
        #[diesel(sql_type = sql_types::Nullable<sql_types::Uuid>)]
        owner_id: Option<Uuid>,
        #[diesel(sql_type = sql_types::Bool)]
        by_code: bool,
        #[diesel(sql_type = sql_types::Bool)]
        by_name: bool,
    }
    let key = input.name_key();
    let code = input.credit_code.clone().unwrap_or_default();
    // Until this transaction commits, a concurrent create of the same customer waits here and
    // then finds this one's row.
    locks::values(
        conn,
        org_id,
        [
            (Guard::CreditCode, code.as_str()),
            (Guard::Company, key.as_str()),
        ],
    )
    .await?;
    let mut sql = Sql::new("SELECT id, name, owner_id, coalesce(credit_code = ");
    sql.bind(Bind::Text(code.clone()))
        .push(", false) AS by_code, name_key = ")
        .bind(Bind::Text(key.clone()))
        .push(" AS by_name FROM accounts WHERE org_id = ")
        .bind(Bind::Uuid(org_id))
        .push(" AND deleted_at IS NULL AND id <> ")
        .bind(Bind::Uuid(exclude.unwrap_or_default()))
        .push(" AND (credit_code = ")
        .bind(Bind::Text(code))
        .push(" OR name_key = ")
        .bind(Bind::Text(key.clone()))
        .push(" OR (name_key % ")
        .bind(Bind::Text(key.clone()))
        .push(" AND similarity(name_key, ")
        .bind(Bind::Text(key))
        .push(&format!(
            ") >= {SIMILAR_NAME})) ORDER BY by_code DESC, by_name DESC, name, id LIMIT 10"
        ));
    // `%` takes its candidates from the trigram index at pg_trgm's threshold, 0.3 by default:
    // a name starting with a common city (广州市…) shares that many trigrams with thousands of
    // accounts, rechecked on every create (9,000 rows, 77 ms at 200,000 accounts). Only
    // similarity ≥ SIMILAR_NAME counts, so the index may prune there too (8 ms, same answer).
    let rows: Vec<Candidate> = conn
        .transaction::<_, StoreError, _>(async |c| {
            diesel::sql_query(format!(
                "SET LOCAL pg_trgm.similarity_threshold = {SIMILAR_NAME}"
            ))
            .execute(c)
            .await?;
            Ok(sql.load(c).await?)
        })
        .await?;
    let exact = rows.iter().any(|c| c.by_code || c.by_name);
    Ok(if exact {
        rows.into_iter()
            .map(|c| {
                let mut reasons =
                    DuplicateCandidate::reasons(&[(c.by_code, "credit_code"), (c.by_name, "name")]);
                if reasons.is_empty() {
                    reasons.push("similar_name".to_string());
                }
                DuplicateCandidate {
                    entity: "account".into(),
                    id: c.id,
                    name: c.name,
                    owner_id: c.owner_id,
                    reasons,
                }
            })
            .collect()
    } else {
        Vec::new()
    })
}

/// Normalizes `input` and checks its picklist values, region and custom values (`before`: the
/// stored account's, for an update): every bad field at once.
pub async fn validate(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    before: Option<&CustomValues>,
    input: &mut AccountInput,
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
        Ref::Region {
            field: "region",
            code: input.region.as_deref(),
        },
    ];
    references::check(conn, scope.org_id, errors, &refs).await
}

/// Creates an account from normalized input. `force` skips the duplicate check.
pub async fn create(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    input: &AccountInput,
    force: bool,
) -> Result<Account, StoreError> {
    let owner = input.owner_id.unwrap_or(scope.user_id);
    records::check_owner(conn, scope, owner).await?;
    let id = Uuid::now_v7();
    let written = custom_values::written(conn, scope, ENTITY, id, None, input).await?;
    if !force {
        StoreError::refuse_duplicates(duplicates(conn, scope.org_id, input, None).await?)?;
    }
    let now = Utc::now();
    let neglect_days = crate::organizations::neglect_days(conn, scope.org_id).await?;
    let account = AccountValues::new(input, &written, Some(owner), input.name_key())
        .insert(
            conn,
            scope,
            id,
            now,
            now + chrono::Duration::days(neglect_days.into()),
        )
        .await?;
    // Read back only when a pool's rule gave it a due date (most organizations have none).
    let account =
        match crate::pools::refresh_due(conn, Due::Accounts(scope.org_id, vec![id])).await? {
            0 => account,
            _ => records::get(conn, scope, id).await?,
        };
    records::created(conn, scope, &account, now).await?;
    Ok(account)
}

/// Applies a patch at `expected` version (`None`: the caller sent `If-Match: *`).
/// Run inside a transaction: the row is locked, so concurrent writers get 412, not a lost update.
pub async fn update(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    expected: Option<i32>,
    patch: AccountPatch,
    force: bool,
) -> Result<Account, StoreError> {
    let before: Account = records::load(conn, scope, id, false, true).await?;
    StoreError::check_version(before.version, expected)?;
    let mut input = AccountInput::from(&before);
    input.apply(patch);
    save(conn, scope, &before, input, force).await
}

/// Writes `input` over the locked `before` (validated here; duplicates checked when the name or
/// credit code changes, unless `force`), audited as an update. Run inside a transaction.
pub async fn save(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    before: &Account,
    mut input: AccountInput,
    force: bool,
) -> Result<Account, StoreError> {
    let id = before.id;
    validate(conn, scope, Some(&before.custom), &mut input).await?;
    let owner = input.owner_id.or(before.owner_id);
    if let (Some(_), Some(pool)) = (input.owner_id, before.pool_id) {
        return Err(StoreError::invalid(
            "owner_id",
            "in_pool",
            &format!("the account is in a customer pool: assign it there (POST /account-pools/{pool}/assign)"),
        ));
    }
    if let Some(new) = owner.filter(|o| Some(*o) != before.owner_id) {
        records::check_owner(conn, scope, new).await?;
    }
    let written =
        custom_values::written(conn, scope, ENTITY, id, Some(&before.custom), &input).await?;
    let renamed = input.name_key() != domain::normalize::company_key(&before.name)
        || input.credit_code != before.credit_code;
    if renamed && !force {
        StoreError::refuse_duplicates(duplicates(conn, scope.org_id, &input, Some(id)).await?)?;
    }
    let now = Utc::now();
    let after = AccountValues::new(&input, &written, owner, input.name_key())
        .update(conn, scope, id, now)
        .await?;
    records::updated(conn, scope, before, &after, now).await?;
    if (after.class != before.class || after.owner_id != before.owner_id)
        && crate::pools::refresh_due(conn, Due::Accounts(scope.org_id, vec![id])).await? > 0
    {
        return records::get(conn, scope, id).await;
    }
    Ok(after)
}

crate::writable_by_module!(Account, AccountInput, AccountPatch);
