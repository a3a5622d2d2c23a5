//! Global search: every searchable entity, merged by rank. New entities add their searcher here.

use crate::list::Spec;
use crate::records::{self, SearchDisplay};
use crate::scope::Scope;
use crate::{accounts, contacts, leads, opportunities, StoreError};
use diesel_async::AsyncPgConnection;
use domain::search::SearchHit;

/// The entities global search covers, in the order hits of one rank are listed; `kehu plans`
/// EXPLAINs the same list.
pub const SEARCHED: &[(&str, &Spec, &SearchDisplay)] = &[
    ("account", &accounts::SPEC, &accounts::SEARCH),
    ("contact", &contacts::SPEC, &contacts::SEARCH),
    ("lead", &leads::SPEC, &leads::SEARCH),
    ("opportunity", &opportunities::SPEC, &opportunities::SEARCH),
];

pub async fn global(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    q: &str,
    limit: i64,
) -> Result<Vec<SearchHit>, StoreError> {
    let mut hits = Vec::new();
    for (entity, spec, display) in SEARCHED {
        hits.extend(records::search(conn, scope, entity, spec, display, q, limit).await?);
    }
    // Stable: within a rank each entity keeps its own order.
    hits.sort_by_key(|h| h.rank);
    hits.truncate(limit as usize);
    Ok(hits)
}
