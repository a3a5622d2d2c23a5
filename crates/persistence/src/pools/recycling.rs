//! When each owned account is due back in its pool, and the scheduled return of those that are,
//! with the owners' warnings and news — each one set-based statement over every organization.

use crate::sql::{Bind, Sql};
use crate::StoreError;
use chrono::{DateTime, Utc};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

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
pub async fn refresh_due(conn: &mut AsyncPgConnection, due: Due) -> Result<usize, StoreError> {
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
        "), raw AS (SELECT a.id, p.rules_since + make_interval(days => p.warn_days) AS earliest, \
         least( \
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
    // Never sooner than `warn_days` after the rules took effect: the owner is warned first.
    sql.append(accounts).push(
        "), due AS (SELECT id, CASE WHEN at IS NULL THEN NULL ELSE greatest(at, earliest) END AS at \
         FROM raw) UPDATE accounts SET recycle_at = due.at FROM due \
         WHERE accounts.id = due.id AND accounts.recycle_at IS DISTINCT FROM due.at",
    );
    Ok(sql.execute(conn).await?)
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
