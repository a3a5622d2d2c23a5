//! Transaction-scoped advisory locks, for checks that a row lock cannot cover because the row
//! they guard does not exist yet (a duplicate about to be inserted) or is a set of rows (the
//! department tree, the organization's admins). A transaction takes the lock, checks, writes, and
//! holds the lock until it commits, so a concurrent one checks after that commit.
//!
//! Locks are taken in one global order (sorted by their text), batch after batch, which is what
//! keeps two transactions from each waiting for the other: see [`values`].

use crate::sql::{Bind, Sql};
use crate::StoreError;
use diesel_async::AsyncPgConnection;
use uuid::Uuid;

/// What a lock guards, per organization. The names sort in the order a transaction that needs
/// several kinds takes them (a lead's company before its phone, as a conversion does).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Guard {
    /// A caller's `Idempotency-Key` (first in every transaction that takes it).
    Idempotency,
    /// The organization's custom field definitions: see [`writing`] and [`defining`].
    Custom,
    /// A value of a unique custom field.
    CustomValue,
    /// The organization's active admins ("last admin").
    Admins,
    /// An account's credit code.
    CreditCode,
    /// A normalized company name (an account's, or a lead's company).
    Company,
    /// The department tree (moves and deletes).
    Departments,
    /// The product category tree.
    Categories,
    /// A normalized e-mail address (contacts, leads).
    Email,
    /// A normalized phone number (contacts, leads).
    Phone,
    /// A user's claims from customer pools (the daily and held limits).
    Claims,
}

impl Guard {
    fn name(self) -> &'static str {
        match self {
            Guard::Idempotency => "0-idempotency",
            Guard::Custom => "1-custom-fields",
            Guard::CustomValue => "2-custom-value",
            Guard::Admins => "a-admins",
            Guard::CreditCode => "b-credit-code",
            Guard::Company => "c-company",
            Guard::Departments => "d-departments",
            Guard::Categories => "d-product-categories",
            Guard::Email => "e-email",
            Guard::Phone => "f-phone",
            Guard::Claims => "g-claims",
        }
    }
}

/// Locks every `(guard, value)` of `org_id` until the transaction ends (empty values are skipped).
/// Within one call the locks are taken sorted; a transaction that calls this more than once must
/// do so in [`Guard`] order, which the write paths do (account before contact in a conversion).
/// Taking a lock the transaction already holds is free: the same key may be locked again.
pub async fn values<'v>(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    keys: impl IntoIterator<Item = (Guard, &'v str)>,
) -> Result<(), StoreError> {
    let mut texts: Vec<String> = keys
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(g, v)| format!("{}:{org_id}:{v}", g.name()))
        .collect();
    if texts.is_empty() {
        return Ok(());
    }
    texts.sort();
    texts.dedup();
    // unnest yields the array in order, and the locks are taken row by row in that order.
    let mut sql =
        Sql::new("SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0))) AS n FROM unnest(");
    sql.bind(Bind::TextArray(texts)).push("::text[]) AS k");
    sql.count(conn).await?;
    Ok(())
}

/// Takes `(guard, value)` of `org_id` in shared mode until the transaction ends: shared holders
/// go on together, and wait for (or hold off) one that takes it with [`values`].
pub async fn shared(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    guard: Guard,
    value: &str,
) -> Result<(), StoreError> {
    let mut sql = Sql::new(
        "SELECT count(pg_advisory_xact_lock_shared(hashtextextended(k, 0))) AS n FROM (SELECT ",
    );
    sql.bind(Bind::Text(format!("{}:{org_id}:{value}", guard.name())))
        .push("::text AS k) AS one");
    sql.count(conn).await?;
    Ok(())
}

/// A record write's first lock, before any row lock: the organization's custom field
/// definitions, shared with every other write. A definition change takes it alone
/// ([`defining`]), so it either sees a write's values or the write sees the new definition, and
/// no write can hold a row the change's recompute waits for while waiting for the change itself.
/// (Guards per entity would deadlock: one transaction writes several entities, in no fixed order.)
/// Taken by `records::load` with a row lock, `records::reassign`, and a create's custom values.
pub async fn writing(conn: &mut AsyncPgConnection, org_id: Uuid) -> Result<(), StoreError> {
    shared(conn, org_id, Guard::Custom, "*").await
}

/// A custom field definition change's first lock: every record write of the organization waits
/// until it commits (see [`writing`]).
pub async fn defining(conn: &mut AsyncPgConnection, org_id: Uuid) -> Result<(), StoreError> {
    org(conn, org_id, Guard::Custom).await
}

/// Locks one organization-wide guard (the tree, the admins) until the transaction ends.
pub async fn org(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    guard: Guard,
) -> Result<(), StoreError> {
    values(conn, org_id, [(guard, "*")]).await
}
