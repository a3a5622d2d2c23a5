//! Customer pools (公海, migration 27): the pools an organization keeps, the accounts in them,
//! claims and assignments out of them, releases into them, and when each owned account is due
//! back (`recycle_at`). What a pool's rules make due is returned by the recycling job in
//! `pool_recycling`.

use crate::list::{self, Field, HasId, Kind, ListRequest, Spec};
use crate::locks::{self, Guard};
use crate::records;
use crate::schema::account_pools;
use crate::scope::Scope;
use crate::sql::{Bind, Sql};
use crate::StoreError;
use chrono::{DateTime, Duration, Utc};
use diesel::{sql_types, ExpressionMethods, OptionalExtension, QueryDsl, QueryableByName};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::account::Account;
use domain::list::Page;
use domain::pool::{ClaimQuota, Pool, PoolInput, PoolPatch, RecycleRule};
use domain::role::Role;
use uuid::Uuid;

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
    refresh_due(conn, Due::Organization(scope.org_id)).await
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

/// How accounts leave a pool.
pub enum Taking {
    /// The caller claims them, within the pool's limits.
    Claim,
    /// A manager gives them to a member.
    Assign(Uuid),
}

/// Takes accounts out of a pool for their new owner, all or none: each gets the owner, a new
/// version and an audited `claim` (a notice to an assignee). Run inside a transaction.
///
/// Concurrent claims of one account: its row is locked, so the second finds it owned (409).
/// Concurrent claims by one user: their claims lock comes first, so limits count committed claims.
pub async fn take(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    pool_id: Uuid,
    ids: &[Uuid],
    taking: Taking,
    now: DateTime<Utc>,
) -> Result<(Vec<Uuid>, Uuid, ClaimQuota), StoreError> {
    let owner = match taking {
        Taking::Claim => scope.user_id,
        Taking::Assign(owner) => owner,
    };
    let mut ids = ids.to_vec();
    ids.sort();
    ids.dedup();
    locks::values(
        conn,
        scope.org_id,
        [(Guard::Claims, owner.to_string().as_str())],
    )
    .await?;
    let pool = load(conn, scope, pool_id, scope.user_id, true).await?;
    if let Taking::Assign(owner) = taking {
        records::check_owner(conn, scope, owner).await?;
        load(conn, scope, pool_id, owner, false)
            .await
            .map_err(|e| e.or_invalid("owner_id", "not a member of this pool"))?;
    }
    let quota = quota(conn, scope, &pool, owner, now).await?;
    if matches!(taking, Taking::Claim) {
        if let Some(why) = quota.refuses(ids.len()) {
            return Err(StoreError::Conflict(why));
        }
        refuse_reclaims(conn, scope, &pool, &ids, now).await?;
    }
    let wide = pool_scope(scope);
    let mut befores = Vec::with_capacity(ids.len());
    for id in &ids {
        let before: Account = records::load(conn, &wide, *id, false, true)
            .await
            .map_err(|e| match e {
                StoreError::NotFound => StoreError::invalid(
                    "account_ids",
                    "not_found",
                    &format!("no account {id} in the organization"),
                ),
                e => e,
            })?;
        if before.pool_id != Some(pool_id) {
            return Err(StoreError::Conflict(format!(
                "account {id} ({}) is not in this pool{}",
                before.name,
                if before.owner_id.is_some() {
                    ": someone owns it (claimed meanwhile?)"
                } else {
                    ""
                }
            )));
        }
        befores.push(before);
    }
    let mut sql = Sql::new("UPDATE accounts SET owner_id = ");
    sql.bind(Bind::Uuid(owner))
        .push(", pool_id = NULL, recycle_at = NULL, version = version + 1, updated_at = ")
        .bind(Bind::Timestamp(now))
        .push(", updated_by = ")
        .bind(Bind::Uuid(scope.user_id))
        .push(" WHERE org_id = ")
        .bind(Bind::Uuid(scope.org_id))
        .push(" AND id = ANY(")
        .bind(Bind::UuidArray(ids.clone()))
        .push(")");
    sql.execute(conn).await?;
    let mut log = Sql::new(
        "INSERT INTO pool_claims (id, org_id, pool_id, account_id, user_id, by_id, at) \
         SELECT gen_random_uuid(), ",
    );
    log.bind(Bind::Uuid(scope.org_id))
        .push(", ")
        .bind(Bind::Uuid(pool_id))
        .push(", a, ")
        .bind(Bind::Uuid(owner))
        .push(", ")
        .bind(Bind::Uuid(scope.user_id))
        .push(", ")
        .bind(Bind::Timestamp(now))
        .push(" FROM unnest(")
        .bind(Bind::UuidArray(ids.clone()))
        .push(") AS a");
    log.execute(conn).await?;
    refresh_due(conn, Due::Accounts(scope.org_id, ids.clone())).await?;
    for before in &befores {
        let after: Account = records::load(conn, &wide, before.id, false, false).await?;
        records::changed_as(conn, scope, before, &after, "claim", now).await?;
    }
    let quota = ClaimQuota {
        claimed_today: quota.claimed_today
            + if matches!(taking, Taking::Claim) {
                ids.len() as i64
            } else {
                0
            },
        held: quota.held + ids.len() as i64,
        ..quota
    };
    Ok((ids, owner, quota))
}

/// A previous owner may not claim an account back within the pool's `reclaim_days`.
async fn refuse_reclaims(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    pool: &Pool,
    ids: &[Uuid],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    #[derive(QueryableByName)]
    struct Recent {
        #[diesel(sql_type = sql_types::Uuid)]
        account_id: Uuid,
        #[diesel(sql_type = sql_types::Timestamptz)]
        at: DateTime<Utc>,
    }
    let mut sql = Sql::new("SELECT account_id, max(at) AS at FROM pool_releases WHERE org_id = ");
    sql.bind(Bind::Uuid(scope.org_id))
        .push(" AND owner_id = ")
        .bind(Bind::Uuid(scope.user_id))
        .push(" AND account_id = ANY(")
        .bind(Bind::UuidArray(ids.to_vec()))
        .push(") AND at > ")
        .bind(Bind::Timestamp(
            now - Duration::days(pool.reclaim_days.into()),
        ))
        .push(" GROUP BY account_id ORDER BY account_id LIMIT 1");
    let recent: Option<Recent> = sql.get_result(conn).await.optional()?;
    match recent {
        Some(r) => Err(StoreError::Conflict(format!(
            "account {} was yours until {}: the pool lets a previous owner claim it again after {} days",
            r.account_id,
            r.at.format("%Y-%m-%d"),
            pool.reclaim_days
        ))),
        None => Ok(()),
    }
}

/// Returns an owned account the caller may change to its owner's pool now (an owner letting a
/// customer go, or a manager taking it back). Run inside a transaction.
pub async fn release(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Account, StoreError> {
    let before: Account = records::load(conn, scope, id, false, true).await?;
    let Some(owner) = before.owner_id else {
        return Err(StoreError::Conflict(
            "the account is in a pool already".into(),
        ));
    };
    let mut find = Sql::new("SELECT kehu_owner_pool(");
    find.bind(Bind::Uuid(scope.org_id))
        .push(", ")
        .bind(Bind::Uuid(owner))
        .push(") AS id");
    #[derive(QueryableByName)]
    struct Found {
        #[diesel(sql_type = sql_types::Nullable<sql_types::Uuid>)]
        id: Option<Uuid>,
    }
    let Some(pool) = find.get_result::<Found>(conn).await?.id else {
        return Err(StoreError::Conflict(
            "no customer pool takes this owner's accounts: an admin adds one first".into(),
        ));
    };
    let mut sql = Sql::new("WITH moved AS (UPDATE accounts SET owner_id = NULL, pool_id = ");
    sql.bind(Bind::Uuid(pool))
        .push(", recycle_at = NULL, version = version + 1, updated_at = ")
        .bind(Bind::Timestamp(now))
        .push(", updated_by = ")
        .bind(Bind::Uuid(scope.user_id))
        .push(" WHERE org_id = ")
        .bind(Bind::Uuid(scope.org_id))
        .push(" AND id = ")
        .bind(Bind::Uuid(id))
        .push(
            " RETURNING id) INSERT INTO pool_releases (id, org_id, pool_id, account_id, owner_id, \
             by_id, reason, at) SELECT gen_random_uuid(), ",
        )
        .bind(Bind::Uuid(scope.org_id))
        .push(", ")
        .bind(Bind::Uuid(pool))
        .push(", id, ")
        .bind(Bind::Uuid(owner))
        .push(", ")
        .bind(Bind::Uuid(scope.user_id))
        .push(", ")
        .bind_opt(reason.map(|r| Bind::Text(r.to_string())))
        .push(", ")
        .bind(Bind::Timestamp(now))
        .push(" FROM moved");
    sql.execute(conn).await?;
    let after: Account = records::load(conn, &pool_scope(scope), id, false, false).await?;
    records::changed_as(conn, scope, &before, &after, "release", now).await?;
    Ok(after)
}

/// Which accounts [`refresh_due`] recomputes.
pub enum Due {
    /// Every organization with a pool (and accounts still due from one since removed).
    All,
    Organization(Uuid),
    Accounts(Uuid, Vec<Uuid>),
}

/// Recomputes `recycle_at` of owned accounts: the earlier of their class rule's `idle_days`
/// after the last follow-up and `no_won_days` after the last won deal, each counted from no
/// earlier than the account's creation and its latest claim; `null` where no rule applies. In
/// one statement; rows already right are not written.
pub async fn refresh_due(conn: &mut AsyncPgConnection, due: Due) -> Result<(), StoreError> {
    let (mut owners, mut accounts) = (Sql::default(), Sql::default());
    match &due {
        Due::All => {
            owners.push(" WHERE u.org_id IN (SELECT org_id FROM account_pools)");
            accounts.push(
                " AND (a.org_id IN (SELECT org_id FROM account_pools) OR a.recycle_at IS NOT NULL)",
            );
        }
        Due::Organization(org) | Due::Accounts(org, _) => {
            owners.push(" WHERE u.org_id = ").bind(Bind::Uuid(*org));
            accounts.push(" AND a.org_id = ").bind(Bind::Uuid(*org));
        }
    }
    if let Due::Accounts(_, ids) = &due {
        accounts
            .push(" AND a.id = ANY(")
            .bind(Bind::UuidArray(ids.clone()))
            .push(")");
    }
    let mut sql = Sql::new(
        "WITH owner_pool AS (SELECT u.id, kehu_owner_pool(u.org_id, u.id) AS pool_id FROM users u",
    );
    sql.append(owners).push(
        "), due AS (SELECT a.id, least( \
         greatest(a.last_activity_at, a.created_at, c.at) \
           + make_interval(days => (rule.r->>'idle_days')::int), \
         greatest(w.at, a.created_at, c.at) + make_interval(days => (rule.r->>'no_won_days')::int) \
         ) AS at FROM accounts a \
         LEFT JOIN owner_pool op ON op.id = a.owner_id \
         LEFT JOIN account_pools p ON p.id = op.pool_id \
         LEFT JOIN LATERAL (SELECT r FROM jsonb_array_elements(p.rules) r \
           WHERE r->>'class' = a.class LIMIT 1) rule ON true \
         LEFT JOIN LATERAL (SELECT max(pc.at) AS at FROM pool_claims pc \
           WHERE pc.account_id = a.id) c ON true \
         LEFT JOIN LATERAL (SELECT max(o.closed_at) AS at FROM opportunities o \
           WHERE o.account_id = a.id AND o.status = 'won' AND o.deleted_at IS NULL) w \
           ON rule.r->>'no_won_days' IS NOT NULL \
         WHERE a.owner_id IS NOT NULL AND a.deleted_at IS NULL",
    );
    sql.append(accounts).push(
        ") UPDATE accounts SET recycle_at = due.at FROM due \
         WHERE accounts.id = due.id AND accounts.recycle_at IS DISTINCT FROM due.at",
    );
    sql.execute(conn).await?;
    Ok(())
}

/// Returns up to `batch` accounts due at `now` to their owners' pools (skipping rows a write
/// holds: the next run takes them), each audited as a `release` by Kehu, and tells each owner
/// how many went. Returns how many moved.
pub async fn recycle_batch(
    conn: &mut AsyncPgConnection,
    now: DateTime<Utc>,
    batch: i64,
) -> Result<i64, StoreError> {
    let kind = domain::notification::NotificationKind::PoolReturned;
    let mut sql = Sql::new(
        "WITH due AS (SELECT a.id, a.org_id, a.owner_id, kehu_owner_pool(a.org_id, a.owner_id) AS pool \
         FROM accounts a WHERE a.recycle_at <= ",
    );
    sql.bind(Bind::Timestamp(now))
        .push(
            " AND a.deleted_at IS NULL AND a.owner_id IS NOT NULL ORDER BY a.id LIMIT ",
        )
        .bind(Bind::BigInt(batch))
        .push(" FOR UPDATE SKIP LOCKED), moved AS (UPDATE accounts SET owner_id = NULL, \
               pool_id = due.pool, recycle_at = NULL, version = accounts.version + 1, updated_at = ")
        .bind(Bind::Timestamp(now))
        .push(
            " FROM due WHERE accounts.id = due.id AND due.pool IS NOT NULL \
             RETURNING accounts.id, accounts.org_id, accounts.name, due.owner_id, due.pool), \
             logged AS (INSERT INTO pool_releases (id, org_id, pool_id, account_id, owner_id, at) \
             SELECT gen_random_uuid(), org_id, pool, id, owner_id, ",
        )
        .bind(Bind::Timestamp(now))
        .push(
            " FROM moved), audited AS (INSERT INTO audit_events \
             (id, org_id, entity, entity_id, action, actor_id, at, changes) \
             SELECT gen_random_uuid(), org_id, 'account', id, 'release', NULL, ",
        )
        .bind(Bind::Timestamp(now))
        .push(
            ", jsonb_build_array(jsonb_build_object('field', 'owner_id', 'old', owner_id, 'new', NULL), \
             jsonb_build_object('field', 'pool_id', 'old', NULL, 'new', pool)) FROM moved), \
             stale AS (UPDATE accounts SET recycle_at = NULL FROM due \
             WHERE accounts.id = due.id AND due.pool IS NULL), \
             told AS (INSERT INTO notifications (id, org_id, user_id, kind, params, dedupe_key, \
             created_at) SELECT gen_random_uuid(), org_id, owner_id, ",
        )
        .bind(Bind::Text(kind.as_str().into()))
        .push(
            ", jsonb_build_object('count', count(*), 'names', (array_agg(name ORDER BY name))[1:3]), ",
        )
        .bind(Bind::Text(format!("{}:{}:", kind.as_str(), now.timestamp())))
        .push(" || owner_id, ")
        .bind(Bind::Timestamp(now))
        .push(&format!(
            " FROM moved WHERE true{} GROUP BY org_id, owner_id \
             ON CONFLICT (user_id, dedupe_key) DO NOTHING) SELECT count(*) AS n FROM due",
            crate::notifications::wanted("owner_id", kind)
        ));
    sql.count(conn).await
}

/// Tells each owner, once a day, how many of their accounts return to the pool within its
/// `warn_days` unless followed up. Returns how many notices it gave.
pub async fn warn(conn: &mut AsyncPgConnection, now: DateTime<Utc>) -> Result<u64, StoreError> {
    let kind = domain::notification::NotificationKind::PoolReturnSoon;
    let day = domain::pool::day_start(now).format("%Y-%m-%d").to_string();
    let mut sql = Sql::new(
        "INSERT INTO notifications (id, org_id, user_id, kind, params, dedupe_key, created_at) \
         SELECT gen_random_uuid(), a.org_id, a.owner_id, ",
    );
    sql.bind(Bind::Text(kind.as_str().into()))
        .push(
            ", jsonb_build_object('count', count(*), 'days', max(p.warn_days), \
             'names', (array_agg(a.name ORDER BY a.recycle_at))[1:3]), ",
        )
        .bind(Bind::Text(format!("{}:{day}:", kind.as_str())))
        .push(" || a.owner_id, ")
        .bind(Bind::Timestamp(now))
        .push(
            " FROM accounts a JOIN account_pools p ON p.id = kehu_owner_pool(a.org_id, a.owner_id) \
             WHERE a.recycle_at IS NOT NULL AND a.deleted_at IS NULL AND a.owner_id IS NOT NULL \
             AND a.recycle_at > ",
        )
        .bind(Bind::Timestamp(now))
        .push(" AND a.recycle_at <= ")
        .bind(Bind::Timestamp(now))
        .push(" + make_interval(days => p.warn_days) AND p.warn_days > 0")
        .push(&crate::notifications::wanted("a.owner_id", kind))
        .push(" GROUP BY a.org_id, a.owner_id ON CONFLICT (user_id, dedupe_key) DO NOTHING");
    Ok(sql.execute(conn).await? as u64)
}
