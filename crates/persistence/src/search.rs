//! Global search: every searchable entity, merged by rank. New entities add their searcher here.

use crate::scope::Scope;
use crate::{accounts, StoreError};
use diesel_async::AsyncPgConnection;
use domain::search::SearchHit;

pub async fn global(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    q: &str,
    limit: i64,
) -> Result<Vec<SearchHit>, StoreError> {
    let mut hits = accounts::search(conn, scope, q, limit).await?;
    // Stable: within a rank each entity keeps its own order.
    hits.sort_by_key(|h| h.rank);
    hits.truncate(limit as usize);
    Ok(hits)
}
