//! Accounts: reads and writes scoped to the caller, with duplicates, versions and the audit trail.

use crate::audit;
use crate::list::{self, Field, HasId, Kind, ListRequest, Spec};
use crate::schema::accounts;
use crate::scope::Scope;
use crate::sql::{Bind, Sql};
use crate::{users, StoreError};
use bigdecimal::BigDecimal;
use chrono::{DateTime, Utc};
use diesel::sql_types;
use diesel::{
    AsChangeset, ExpressionMethods, Insertable, QueryDsl, Queryable, QueryableByName, Selectable,
    SelectableHelper,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::account::{Account, AccountClass, AccountInput, AccountPatch};
use domain::list::Page;
use domain::money::{Decimal, Money};
use domain::problem::DuplicateCandidate;
use domain::search::SearchHit;
use uuid::Uuid;

const ENTITY: &str = "account";
const CLASSES: &[&str] = &["potential", "target", "key"];

pub static SPEC: Spec = Spec {
    table: "accounts",
    select: "id, name, credit_code, industry, employees, annual_revenue, annual_revenue_currency, region, \
             address, website, phone, source, class, owner_id, tags, version, created_at, updated_at, \
             created_by, updated_by, deleted_at",
    fields: &[
        Field::new("id", Kind::Uuid),
        Field::new("name", Kind::Text).sortable(),
        Field::new("credit_code", Kind::Text).nullable(),
        Field::new("industry", Kind::Text).nullable(),
        Field::new("employees", Kind::Int).nullable().sortable(),
        Field::new("annual_revenue", Kind::Numeric).nullable().sortable().json_path("annual_revenue.amount"),
        Field::new("currency", Kind::Text).nullable().column("annual_revenue_currency"),
        Field::new("region", Kind::Text).nullable(),
        Field::new("phone", Kind::Text).nullable(),
        Field::new("website", Kind::Text).nullable(),
        Field::new("source", Kind::Text).nullable(),
        Field::new("class", Kind::Enum(CLASSES)),
        Field::new("owner_id", Kind::Uuid),
        Field::new("tags", Kind::Tags),
        Field::new("created_by", Kind::Uuid),
        Field::new("created_at", Kind::Timestamp).sortable(),
        Field::new("updated_at", Kind::Timestamp).sortable(),
        Field::new("deleted_at", Kind::Timestamp).nullable(),
    ],
    default_sort: "-created_at",
    owner_column: Some("owner_id"),
    soft_delete: true,
    search: Some(("search_text", "search_grams")),
};

#[derive(Queryable, QueryableByName, Selectable)]
#[diesel(table_name = accounts)]
pub struct AccountRow {
    id: Uuid,
    name: String,
    credit_code: Option<String>,
    industry: Option<String>,
    employees: Option<i32>,
    annual_revenue: Option<BigDecimal>,
    annual_revenue_currency: Option<String>,
    region: Option<String>,
    address: Option<String>,
    website: Option<String>,
    phone: Option<String>,
    source: Option<String>,
    class: String,
    owner_id: Uuid,
    tags: Vec<String>,
    version: i32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    created_by: Uuid,
    updated_by: Uuid,
    deleted_at: Option<DateTime<Utc>>,
}

impl From<AccountRow> for Account {
    fn from(r: AccountRow) -> Self {
        Account {
            id: r.id,
            name: r.name,
            credit_code: r.credit_code,
            industry: r.industry,
            employees: r.employees,
            annual_revenue: match (r.annual_revenue, r.annual_revenue_currency) {
                (Some(amount), Some(currency)) => Some(Money {
                    amount: Decimal(amount),
                    currency,
                }),
                _ => None,
            },
            region: r.region,
            address: r.address,
            website: r.website,
            phone: r.phone,
            source: r.source,
            class: AccountClass::parse(&r.class).unwrap_or_default(),
            owner_id: r.owner_id,
            tags: r.tags,
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
            created_by: r.created_by,
            updated_by: r.updated_by,
            deleted_at: r.deleted_at,
        }
    }
}

impl HasId for Account {
    fn id(&self) -> Uuid {
        self.id
    }
}

/// The stored form of validated input (derived columns included).
#[derive(AsChangeset, Insertable)]
#[diesel(table_name = accounts, treat_none_as_null = true)]
struct AccountValues {
    name: String,
    name_key: String,
    credit_code: Option<String>,
    industry: Option<String>,
    employees: Option<i32>,
    annual_revenue: Option<BigDecimal>,
    annual_revenue_currency: Option<String>,
    region: Option<String>,
    address: Option<String>,
    website: Option<String>,
    phone: Option<String>,
    source: Option<String>,
    class: String,
    owner_id: Uuid,
    tags: Vec<String>,
    search_text: String,
    search_grams: Vec<String>,
}

impl AccountValues {
    fn new(input: &AccountInput, owner_id: Uuid) -> Self {
        let search_text = input.search_text();
        AccountValues {
            name: input.name.clone(),
            name_key: input.name_key(),
            credit_code: input.credit_code.clone(),
            industry: input.industry.clone(),
            employees: input.employees,
            annual_revenue: input.annual_revenue.as_ref().map(|m| m.amount.0.clone()),
            annual_revenue_currency: input.annual_revenue.as_ref().map(|m| m.currency.clone()),
            region: input.region.clone(),
            address: input.address.clone(),
            website: input.website.clone(),
            phone: input.phone.clone(),
            source: input.source.clone(),
            class: input.class.as_str().to_string(),
            owner_id,
            tags: input.tags.clone(),
            search_grams: domain::normalize::bigrams(&search_text),
            search_text,
        }
    }
}

/// Fields the audit trail does not list as changes (they change on every write).
const AUDIT_IGNORED: &[&str] = &[
    "id",
    "version",
    "created_at",
    "updated_at",
    "created_by",
    "updated_by",
    "deleted_at",
];

fn changes(before: Option<&Account>, after: &Account) -> Vec<domain::audit::FieldChange> {
    let b = before
        .map(|a| serde_json::to_value(a).unwrap_or_default())
        .unwrap_or_else(|| serde_json::json!({}));
    let a = serde_json::to_value(after).unwrap_or_default();
    domain::audit::diff(&b, &a, AUDIT_IGNORED)
        .into_iter()
        .filter(|c| before.is_some() || !(c.new.is_null() || c.new == serde_json::json!([])))
        .collect()
}

async fn load(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    deleted: bool,
    lock: bool,
) -> Result<Account, StoreError> {
    let mut sql = Sql::new(&format!("SELECT {} FROM accounts", SPEC.select));
    sql.append(list::scoped_where(&SPEC, scope, deleted))
        .push(" AND id = ")
        .bind(Bind::Uuid(id));
    if lock {
        sql.push(" FOR UPDATE");
    }
    let row: AccountRow = sql.get_result(conn).await?;
    Ok(row.into())
}

/// A live account the caller can see.
pub async fn get(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
) -> Result<Account, StoreError> {
    load(conn, scope, id, false, false).await
}

pub async fn list(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    req: &ListRequest,
) -> Result<Page<Account>, StoreError> {
    list::fetch::<AccountRow, Account>(conn, &SPEC, scope, req, None).await
}

/// Accounts the input would duplicate: same credit code or normalized name (blocking), and
/// similar names (offered alongside). Checked across the whole organization, whoever owns them,
/// because two salespeople working one customer is exactly what duplicate checks prevent.
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
        #[diesel(sql_type = sql_types::Uuid)]
        owner_id: Uuid,
        #[diesel(sql_type = sql_types::Bool)]
        by_code: bool,
        #[diesel(sql_type = sql_types::Bool)]
        by_name: bool,
    }
    let key = input.name_key();
    let code = input.credit_code.clone().unwrap_or_default();
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
        .push(") >= 0.5)) ORDER BY by_code DESC, by_name DESC, name, id LIMIT 10");
    let rows: Vec<Candidate> = sql.load(conn).await?;
    let exact = rows.iter().any(|c| c.by_code || c.by_name);
    Ok(if exact {
        rows.into_iter()
            .map(|c| {
                let mut reasons = Vec::new();
                if c.by_code {
                    reasons.push("credit_code".to_string());
                }
                if c.by_name {
                    reasons.push("name".to_string());
                }
                if reasons.is_empty() {
                    reasons.push("similar_name".to_string());
                }
                DuplicateCandidate {
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

/// Validates ownership: the owner must be an active user of the organization whose records the caller sees.
async fn check_owner(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    owner: Uuid,
) -> Result<(), StoreError> {
    if owner != scope.user_id
        && !(scope.sees_owner(owner) && users::is_active_member(conn, scope.org_id, owner).await?)
    {
        return Err(StoreError::invalid(
            "owner_id",
            "owner",
            "not an active user you can assign records to",
        ));
    }
    Ok(())
}

/// Creates an account from normalized input. `force` skips the duplicate check.
pub async fn create(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    input: &AccountInput,
    force: bool,
) -> Result<Account, StoreError> {
    let owner = input.owner_id.unwrap_or(scope.user_id);
    check_owner(conn, scope, owner).await?;
    if !force {
        let dups = duplicates(conn, scope.org_id, input, None).await?;
        if !dups.is_empty() {
            return Err(StoreError::Duplicate(dups));
        }
    }
    let now = Utc::now();
    let id = Uuid::now_v7();
    let row: AccountRow = diesel::insert_into(accounts::table)
        .values((
            accounts::id.eq(id),
            accounts::org_id.eq(scope.org_id),
            AccountValues::new(input, owner),
            accounts::created_at.eq(now),
            accounts::updated_at.eq(now),
            accounts::created_by.eq(scope.user_id),
            accounts::updated_by.eq(scope.user_id),
        ))
        .returning(AccountRow::as_returning())
        .get_result(conn)
        .await?;
    let account: Account = row.into();
    audit::record(
        conn,
        scope,
        ENTITY,
        id,
        "create",
        now,
        &changes(None, &account),
    )
    .await?;
    Ok(account)
}

fn check_version(current: i32, expected: Option<i32>) -> Result<(), StoreError> {
    match expected {
        Some(e) if e != current => Err(StoreError::StaleVersion {
            expected: e,
            current,
        }),
        _ => Ok(()),
    }
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
    let before = load(conn, scope, id, false, true).await?;
    check_version(before.version, expected)?;
    let mut input = AccountInput::from_account(&before);
    input.apply(patch);
    input.normalize().map_err(StoreError::Invalid)?;
    let owner = input.owner_id.unwrap_or(before.owner_id);
    if owner != before.owner_id {
        check_owner(conn, scope, owner).await?;
    }
    let renamed = input.name_key() != domain::normalize::company_key(&before.name)
        || input.credit_code != before.credit_code;
    if renamed && !force {
        let dups = duplicates(conn, scope.org_id, &input, Some(id)).await?;
        if !dups.is_empty() {
            return Err(StoreError::Duplicate(dups));
        }
    }
    let now = Utc::now();
    let row: AccountRow = diesel::update(
        accounts::table
            .filter(accounts::id.eq(id))
            .filter(accounts::org_id.eq(scope.org_id)),
    )
    .set((
        AccountValues::new(&input, owner),
        accounts::version.eq(accounts::version + 1),
        accounts::updated_at.eq(now),
        accounts::updated_by.eq(scope.user_id),
    ))
    .returning(AccountRow::as_returning())
    .get_result(conn)
    .await?;
    let after: Account = row.into();
    let diff = changes(Some(&before), &after);
    if !diff.is_empty() {
        audit::record(conn, scope, ENTITY, id, "update", now, &diff).await?;
    }
    Ok(after)
}

/// Moves a live account to the recycle bin, or a deleted one back (`restore`).
pub async fn set_deleted(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    expected: Option<i32>,
    delete: bool,
) -> Result<Account, StoreError> {
    let before = match load(conn, scope, id, !delete, true).await {
        Err(StoreError::NotFound)
            if !delete && load(conn, scope, id, false, false).await.is_ok() =>
        {
            return Err(StoreError::Conflict(
                "the account is not in the recycle bin".into(),
            ));
        }
        found => found?,
    };
    check_version(before.version, expected)?;
    let now = Utc::now();
    let row: AccountRow = diesel::update(
        accounts::table
            .filter(accounts::id.eq(id))
            .filter(accounts::org_id.eq(scope.org_id)),
    )
    .set((
        accounts::deleted_at.eq(delete.then_some(now)),
        accounts::deleted_by.eq(delete.then_some(scope.user_id)),
        accounts::version.eq(accounts::version + 1),
        accounts::updated_at.eq(now),
        accounts::updated_by.eq(scope.user_id),
    ))
    .returning(AccountRow::as_returning())
    .get_result(conn)
    .await?;
    audit::record(
        conn,
        scope,
        ENTITY,
        id,
        if delete { "delete" } else { "restore" },
        now,
        &[],
    )
    .await?;
    Ok(row.into())
}

/// The history of an account the caller can see, live or in the recycle bin.
pub async fn history(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    req: &ListRequest,
) -> Result<Page<domain::audit::HistoryEntry>, StoreError> {
    let mut sql = Sql::new("SELECT count(*) AS n FROM accounts WHERE org_id = ");
    sql.bind(Bind::Uuid(scope.org_id))
        .push(" AND id = ")
        .bind(Bind::Uuid(id));
    if let Some(owners) = &scope.visible_owners {
        sql.push(" AND owner_id = ANY(")
            .bind(Bind::UuidArray(owners.clone()))
            .push(")");
    }
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = sql_types::BigInt)]
        n: i64,
    }
    if sql.get_result::<N>(conn).await?.n == 0 {
        return Err(StoreError::NotFound);
    }
    audit::history(conn, scope, ENTITY, id, req).await
}

/// Global search over accounts: exact name matches first, then prefixes, then substrings.
pub async fn search(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    q: &str,
    limit: i64,
) -> Result<Vec<SearchHit>, StoreError> {
    #[derive(QueryableByName)]
    struct Hit {
        #[diesel(sql_type = sql_types::Uuid)]
        id: Uuid,
        #[diesel(sql_type = sql_types::Text)]
        name: String,
        #[diesel(sql_type = sql_types::Nullable<sql_types::Text>)]
        subtitle: Option<String>,
        #[diesel(sql_type = sql_types::Integer)]
        rank: i32,
    }
    let folded = domain::normalize::search_query(q);
    let mut sql = Sql::new("SELECT id, name, coalesce(credit_code, phone, website) AS subtitle, CASE WHEN lower(name) = ");
    sql.bind(Bind::Text(folded.clone()))
        .push(" OR name_key = ")
        .bind(Bind::Text(domain::normalize::company_key(q)))
        .push(" THEN 0 WHEN search_text LIKE ")
        .bind(Bind::Text(format!("{}%", crate::sql::like_escape(&folded))))
        .push(" THEN 1 ELSE 2 END AS rank FROM accounts");
    sql.append(list::scoped_where(&SPEC, scope, false));
    sql.append(list::search_condition("search_text", "search_grams", q));
    sql.push(" ORDER BY rank, length(name), name, id LIMIT ")
        .bind(Bind::BigInt(limit));
    let hits: Vec<Hit> = sql.load(conn).await?;
    Ok(hits
        .into_iter()
        .map(|h| SearchHit {
            entity: ENTITY.into(),
            id: h.id,
            title: h.name,
            subtitle: h.subtitle,
            rank: h.rank,
        })
        .collect())
}
