//! Attempt counters for sign-in and sign-up, in PostgreSQL so that every node counts against the
//! same limit. A key's window opens at its first attempt and lasts `window`; the database's clock
//! decides, so nodes with skewed clocks still agree.

use crate::StoreError;
use diesel::sql_types::{Array, BigInt, Bytea, Double};
use diesel::QueryableByName;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use std::time::Duration;

/// One counter to bump: `key` (hashed before it is stored) may have `max` attempts per window.
pub struct Limit {
    pub key: String,
    pub max: u32,
}

#[derive(QueryableByName)]
struct Counted {
    #[diesel(sql_type = Bytea)]
    key: Vec<u8>,
    #[diesel(sql_type = BigInt)]
    hits: i64,
    #[diesel(sql_type = BigInt)]
    retry_after: i64,
}

fn digest(key: &str) -> Vec<u8> {
    use sha2::{Digest, Sha256};
    Sha256::digest(key.as_bytes()).to_vec()
}

/// Counts one attempt under every limit at once. `Err(seconds)` when any of them is past its
/// `max`: the seconds until the last of those windows closes.
pub async fn hit(
    conn: &mut AsyncPgConnection,
    limits: &[Limit],
    window: Duration,
) -> Result<Result<(), u64>, StoreError> {
    let mut keyed: Vec<(Vec<u8>, u32)> = limits.iter().map(|l| (digest(&l.key), l.max)).collect();
    // One order for every caller: concurrent multi-row upserts cannot deadlock.
    keyed.sort();
    let keys: Vec<Vec<u8>> = keyed.iter().map(|(k, _)| k.clone()).collect();
    let counted: Vec<Counted> = diesel::sql_query(
        "INSERT INTO auth_limits AS l (key, window_start, hits) \
         SELECT k, now(), 1 FROM unnest($1::bytea[]) AS k ORDER BY k \
         ON CONFLICT (key) DO UPDATE SET \
           hits = CASE WHEN l.window_start > now() - make_interval(secs => $2) \
                  THEN l.hits + 1 ELSE 1 END, \
           window_start = CASE WHEN l.window_start > now() - make_interval(secs => $2) \
                  THEN l.window_start ELSE now() END \
         RETURNING key, hits::bigint AS hits, \
           ceil(extract(epoch FROM window_start + make_interval(secs => $2) - now()))::bigint \
           AS retry_after",
    )
    .bind::<Array<Bytea>, _>(&keys)
    .bind::<Double, _>(window.as_secs_f64())
    .load(conn)
    .await?;
    prune_sometimes(conn, window).await?;
    let wait = counted
        .iter()
        .filter(|c| {
            keyed
                .iter()
                .any(|(k, max)| *k == c.key && c.hits > i64::from(*max))
        })
        .map(|c| c.retry_after.max(1) as u64)
        .max();
    Ok(wait.map_or(Ok(()), Err))
}

/// Forgets the counter of `key` (a sign-in that succeeded clears its own account-and-address count).
pub async fn clear(conn: &mut AsyncPgConnection, key: &str) -> Result<(), StoreError> {
    diesel::sql_query("DELETE FROM auth_limits WHERE key = $1")
        .bind::<Bytea, _>(digest(key))
        .execute(conn)
        .await?;
    Ok(())
}

/// Drops a few closed windows now and then, so the table stays the size of the recent attempts.
async fn prune_sometimes(conn: &mut AsyncPgConnection, window: Duration) -> Result<(), StoreError> {
    if rand::random::<u8>() >= 8 {
        return Ok(());
    }
    diesel::sql_query(
        "DELETE FROM auth_limits WHERE key IN (SELECT key FROM auth_limits \
         WHERE window_start < now() - make_interval(secs => $1) LIMIT 500)",
    )
    .bind::<Double, _>(window.as_secs_f64().max(86_400.0))
    .execute(conn)
    .await?;
    Ok(())
}
