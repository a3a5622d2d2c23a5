//! Global search: every entity of the registry that joins search, merged by rank.

use crate::records;
use crate::scope::Scope;
use crate::StoreError;
use diesel_async::AsyncPgConnection;
use domain::search::SearchHit;

pub async fn global(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    q: &str,
    limit: i64,
) -> Result<Vec<SearchHit>, StoreError> {
    let mut hits = Vec::new();
    for store in crate::stores::joining(|j| j.search) {
        let Some(display) = store.search else {
            continue;
        };
        let (entity, spec) = (store.entity.name, store.spec);
        hits.extend(records::search(conn, scope, entity, spec, display, q, limit).await?);
    }
    // Stable: within a rank each entity keeps its own order.
    hits.sort_by_key(|h| h.rank);
    hits.truncate(limit as usize);
    Ok(hits)
}
