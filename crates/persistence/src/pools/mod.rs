//! Customer pools (公海, migration 27): the pools an organization keeps, the accounts in them,
//! claims and assignments out of them, releases into them, and when each owned account is due
//! back (`recycle_at`). What a pool's rules make due is returned by the recycling job in
//! `pool_recycling`.

use crate::list::{self, Field, HasId, Kind, ListRequest, Spec};
use crate::schema::account_pools;
use crate::scope::Scope;
use crate::sql::{Bind, Sql};
use crate::StoreError;
use chrono::{DateTime, Utc};
use diesel::{sql_types, ExpressionMethods, OptionalExtension, QueryDsl, QueryableByName};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::list::Page;
use domain::pool::{ClaimQuota, Pool, PoolInput, PoolPatch, RecycleRule};
use domain::role::Role;
use uuid::Uuid;

mod recycling;
mod taking;
pub use recycling::{recycle_batch, refresh_due, warn, Due};
pub use taking::{release, take, Taking};

pub static SPEC: Spec = Spec {
    table: "account_pools",
    select: "id, name, department_id, rules, warn_days, daily_claims, max_held, reclaim_days, \
             (SELECT count(*) FROM accounts a WHERE a.pool_id = account_pools.id \
             AND a.deleted_at IS NULL) AS accounts, version, created_at, updated_at",
    fields: &[
        Field::new("name", Kind::Text).sortable(),
        Field::new("department_id", Kind::Uuid).nullable(),
        Field::new("created_at", Kind::Timestamp).sortable(),
    ],
    default_sort: "name",
    owner_column: None,
    soft_delete: false,
    search: None,
};

#[derive(QueryableByName)]
pub struct PoolRow {
    #[diesel(sql_type = sql_types::Uuid)]
    id: Uuid,
    #[diesel(sql_type = sql_types::Text)]
    name: String,
    #[diesel(sql_type = sql_types::Nullable<sql_types::Uuid>)]
    department_id: Option<Uuid>,
    #[diesel(sql_type = sql_types::Jsonb)]
    rules: serde_json::Value,
    #[diesel(sql_type = sql_types::Integer)]
    warn_days: i32,
    #[diesel(sql_type = sql_types::Integer)]
    daily_claims: i32,
    #[diesel(sql_type = sql_types::Nullable<sql_types::Integer>)]
    max_held: Option<i32>,
    #[diesel(sql_type = sql_types::Integer)]
    reclaim_days: i32,
    #[diesel(sql_type = sql_types::BigInt)]
    accounts: i64,
    #[diesel(sql_type = sql_types::Integer)]
    version: i32,
    #[diesel(sql_type = sql_types::Timestamptz)]
    created_at: DateTime<Utc>,
    #[diesel(sql_type = sql_types::Timestamptz)]
    updated_at: DateTime<Utc>,
}

impl From<PoolRow> for Pool {
    fn from(r: PoolRow) -> Self {
        Pool {
            id: r.id,
            name: r.name,
            department_id: r.department_id,
            // Written only from checked rules.
            rules: serde_json::from_value(r.rules).unwrap_or_default(),
            warn_days: r.warn_days,
            daily_claims: r.daily_claims,
            max_held: r.max_held,
            reclaim_days: r.reclaim_days,
            accounts: r.accounts,
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

impl HasId for Pool {
    fn id(&self) -> Uuid {
        self.id
    }
}

/// ` AND …`: pools whose members include `user` (the organization's, and those of the user's
/// department and the departments above it). Admins manage every pool.
fn membership(scope: &Scope, user: Uuid) -> Sql {
    let mut sql = Sql::default();
    if scope.role == Role::Admin && user == scope.user_id {
        return sql;
    }
    sql.push(
        " AND (department_id IS NULL OR department_id IN (WITH RECURSIVE up (id, depth) AS \
         (SELECT department_id, 0 FROM users WHERE id = ",
    )
    .bind(Bind::Uuid(user))
    .push(" AND org_id = ")
    .bind(Bind::Uuid(scope.org_id))
    .push(
        " UNION ALL SELECT d.parent_id, up.depth + 1 FROM departments d JOIN up ON d.id = up.id \
         WHERE d.parent_id IS NOT NULL AND up.depth < 64) SELECT id FROM up))",
    );
    sql
}

/// The pools the caller is a member of (an admin: all of them).
pub async fn list(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    req: &ListRequest,
) -> Result<Page<Pool>, StoreError> {
    list::fetch::<PoolRow, Pool>(
        conn,
        &SPEC,
        scope,
        req,
        Some(membership(scope, scope.user_id)),
    )
    .await
}

/// A pool `user` is a member of (`lock`: for the rest of the transaction, against a
/// concurrent change of its limits).
async fn load(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    user: Uuid,
    lock: bool,
) -> Result<Pool, StoreError> {
    let mut sql = Sql::new(&format!("SELECT {} FROM account_pools", SPEC.select));
    sql.append(list::visible_where(&SPEC, scope))
        .push(" AND id = ")
        .bind(Bind::Uuid(id))
        .append(membership(scope, user));
    if lock {
        sql.push(" FOR SHARE");
    }
    Ok(sql.get_result::<PoolRow>(conn).await?.into())
}

/// A pool the caller is a member of.
pub async fn get(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
) -> Result<Pool, StoreError> {
    load(conn, scope, id, scope.user_id, false).await
}

fn rules_json(rules: &[RecycleRule]) -> serde_json::Value {
    serde_json::to_value(rules).unwrap_or_default()
}

/// Refuses a second pool of one name or for one department, naming the field.
async fn check_unique(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    name: &str,
    department: Option<Option<Uuid>>,
    except: Option<Uuid>,
) -> Result<(), StoreError> {
    let others = || {
        account_pools::table
            .filter(account_pools::org_id.eq(scope.org_id))
            .filter(account_pools::id.ne(except.unwrap_or(Uuid::nil())))
            .select(account_pools::id)
    };
    let named: Option<Uuid> = others()
        .filter(account_pools::name.eq(name))
        .first(conn)
        .await
        .optional()?;
    if named.is_some() {
        return Err(StoreError::taken("name", "another pool has this name"));
    }
    if let Some(dept) = department {
        let same: Option<Uuid> = match dept {
            Some(d) => {
                others()
                    .filter(account_pools::department_id.eq(d))
                    .first(conn)
                    .await
            }
            None => {
                others()
                    .filter(account_pools::department_id.is_null())
                    .first(conn)
                    .await
            }
        }
        .optional()?;
        if same.is_some() {
            return Err(StoreError::taken(
                "department_id",
                match dept {
                    Some(_) => "the department has a pool already",
                    None => "the organization has its pool already (one without a department)",
                },
            ));
        }
    }
    Ok(())
}

/// Adds a pool; the accounts it now takes back get their due dates at once.
pub async fn create(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    input: &PoolInput,
    now: DateTime<Utc>,
) -> Result<Pool, StoreError> {
    if let Some(d) = input.department_id {
        crate::departments::get(conn, scope.org_id, d)
            .await
            .map_err(|e| e.or_invalid("department_id", "no such department"))?;
    }
    check_unique(conn, scope, &input.name, Some(input.department_id), None).await?;
    let id = Uuid::now_v7();
    diesel::insert_into(account_pools::table)
        .values((
            account_pools::id.eq(id),
            account_pools::org_id.eq(scope.org_id),
            account_pools::name.eq(&input.name),
            account_pools::department_id.eq(input.department_id),
            account_pools::rules.eq(rules_json(&input.rules)),
            account_pools::warn_days.eq(input.warn_days),
            account_pools::daily_claims.eq(input.daily_claims),
            account_pools::max_held.eq(input.max_held),
            account_pools::reclaim_days.eq(input.reclaim_days),
            account_pools::created_by.eq(scope.user_id),
            account_pools::rules_since.eq(now),
            account_pools::created_at.eq(now),
            account_pools::updated_at.eq(now),
        ))
        .execute(conn)
        .await?;
    refresh_due(conn, Due::Organization(scope.org_id)).await?;
    get(conn, scope, id).await
}

/// Changes a pool at `expected` version (`None`: whatever it is).
pub async fn update(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    expected: Option<i32>,
    patch: &PoolPatch,
    now: DateTime<Utc>,
) -> Result<Pool, StoreError> {
    let current = get(conn, scope, id).await?;
    StoreError::check_version(current.version, expected)?;
    if let Some(name) = &patch.name {
        check_unique(conn, scope, name, None, Some(id)).await?;
    }
    let n = diesel::update(
        account_pools::table
            .filter(account_pools::org_id.eq(scope.org_id))
            .filter(account_pools::id.eq(id))
            .filter(account_pools::version.eq(current.version)),
    )
    .set((
        account_pools::name.eq(patch.name.as_ref().unwrap_or(&current.name)),
        account_pools::rules.eq(rules_json(patch.rules.as_ref().unwrap_or(&current.rules))),
        account_pools::warn_days.eq(patch.warn_days.unwrap_or(current.warn_days)),
        account_pools::daily_claims.eq(patch.daily_claims.unwrap_or(current.daily_claims)),
        account_pools::max_held.eq(patch.max_held.unwrap_or(current.max_held)),
        account_pools::reclaim_days.eq(patch.reclaim_days.unwrap_or(current.reclaim_days)),
        account_pools::version.eq(current.version + 1),
        account_pools::updated_at.eq(now),
    ))
    .execute(conn)
    .await?;
    if n == 0 {
        return Err(StoreError::StaleVersion {
            expected: expected.unwrap_or(current.version),
            current: current.version + 1,
        });
    }
    if patch.rules.is_some() {
        diesel::update(account_pools::table.filter(account_pools::id.eq(id)))
            .set(account_pools::rules_since.eq(now))
            .execute(conn)
            .await?;
        refresh_due(conn, Due::Organization(scope.org_id)).await?;
    }
    get(conn, scope, id).await
}

/// Removes an empty pool (the owners it covered fall to the next pool up, or to none).
pub async fn delete(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
) -> Result<(), StoreError> {
    let pool = get(conn, scope, id).await?;
    if pool.accounts > 0 {
        return Err(StoreError::Conflict(format!(
            "{} account(s) are in the pool; assign them or move them to another pool first",
            pool.accounts
        )));
    }
    diesel::delete(
        account_pools::table
            .filter(account_pools::org_id.eq(scope.org_id))
            .filter(account_pools::id.eq(id)),
    )
    .execute(conn)
    .await?;
    refresh_due(conn, Due::Organization(scope.org_id)).await?;
    Ok(())
}

/// The caller's view of a pool: the organization, and every owner (the pool's members read it).
fn pool_scope(scope: &Scope) -> Scope {
    Scope {
        visible_owners: None,
        ..scope.clone()
    }
}

/// What lists the accounts in a pool the caller is a member of: the scope its members read
/// them in, and the condition (` AND pool_id = …`) narrowing the accounts list to the pool.
pub async fn accounts_scope(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
) -> Result<(Scope, Sql), StoreError> {
    get(conn, scope, id).await?;
    let mut extra = Sql::new(" AND pool_id = ");
    extra.bind(Bind::Uuid(id));
    Ok((pool_scope(scope), extra))
}

/// `user`'s standing against `pool`'s limits at `now`.
pub async fn quota(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    pool: &Pool,
    user: Uuid,
    now: DateTime<Utc>,
) -> Result<ClaimQuota, StoreError> {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = sql_types::BigInt)]
        today: i64,
        #[diesel(sql_type = sql_types::BigInt)]
        held: i64,
    }
    let mut sql = Sql::new(
        "SELECT (SELECT count(*) FROM pool_claims WHERE user_id = u.id AND by_id = u.id AND at >= ",
    );
    sql.bind(Bind::Timestamp(domain::pool::day_start(now)))
        .push(
            ") AS today, (SELECT count(*) FROM accounts a WHERE a.org_id = u.org_id \
             AND a.owner_id = u.id AND a.deleted_at IS NULL) AS held FROM users u WHERE u.id = ",
        )
        .bind(Bind::Uuid(user))
        .push(" AND u.org_id = ")
        .bind(Bind::Uuid(scope.org_id));
    let row: Row = sql.get_result(conn).await?;
    Ok(ClaimQuota {
        claimed_today: row.today,
        daily_claims: pool.daily_claims,
        held: row.held,
        max_held: pool.max_held,
    })
}
