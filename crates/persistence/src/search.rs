//! Global search: every searchable entity, merged by rank. New entities add their searcher here.

use crate::records;
use crate::scope::Scope;
use crate::{accounts, contacts, leads, opportunities, StoreError};
use diesel_async::AsyncPgConnection;
use domain::account::Account;
use domain::contact::Contact;
use domain::lead::Lead;
use domain::opportunity::Opportunity;
use domain::search::SearchHit;

pub async fn global(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    q: &str,
    limit: i64,
) -> Result<Vec<SearchHit>, StoreError> {
    let mut hits = records::search::<Account>(conn, scope, &accounts::SEARCH, q, limit).await?;
    hits.extend(records::search::<Contact>(conn, scope, &contacts::SEARCH, q, limit).await?);
    hits.extend(records::search::<Lead>(conn, scope, &leads::SEARCH, q, limit).await?);
    hits.extend(
        records::search::<Opportunity>(conn, scope, &opportunities::SEARCH, q, limit).await?,
    );
    // Stable: within a rank each entity keeps its own order.
    hits.sort_by_key(|h| h.rank);
    hits.truncate(limit as usize);
    Ok(hits)
}
