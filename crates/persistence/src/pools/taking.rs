//! Accounts leaving a pool (claimed within the limits, or assigned) and entering it (released by
//! their owner or a manager).

use super::{load, pool_scope, quota, refresh_due, Due};
use crate::locks::{self, Guard};
use crate::records;
use crate::scope::Scope;
use crate::sql::{Bind, Sql};
use crate::StoreError;
use chrono::{DateTime, Duration, Utc};
use diesel::{sql_types, OptionalExtension, QueryableByName};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::account::Account;
use domain::pool::{ClaimQuota, Pool};
use uuid::Uuid;

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
