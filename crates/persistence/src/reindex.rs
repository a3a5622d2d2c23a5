//! Recomputing search text after the rules that build it change. A migration lists the tables
//! to redo in `search_reindex` (migration 15: names gained their pinyin); `kehu serve` (in the
//! background) and `kehu reindex` work through them in batches with the domain functions every
//! write and the data generator use, so old and new rows match alike. Resumable (each table's
//! entry keeps how far it got), idempotent (a row whose text is already right is not written),
//! and several nodes may run it at once (each batch locks its table's entry; others skip it).
//!
//! It is maintenance, not a caller's request: it reads every organization's rows and writes
//! each back by its id, leaving versions, timestamps and the audit trail alone (the text is
//! derived, not an edit).

use crate::records::Record;
use crate::schema::search_reindex;
use crate::sql::{Bind, Sql};
use crate::StoreError;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use std::future::Future;
use std::pin::Pin;
use uuid::Uuid;

/// Rows per transaction: short enough that a batch never holds its locks for long.
const BATCH: i64 = 500;

/// What a run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    /// Rows whose search text was recomputed.
    pub read: u64,
    /// Rows whose text changed and was written.
    pub written: u64,
}

/// Works through every listed table until none is left (or the rest are another node's now).
pub async fn run(conn: &mut AsyncPgConnection) -> Result<Report, StoreError> {
    let mut report = Report::default();
    while next_batch(conn, &mut report).await? {}
    Ok(report)
}

/// Does one batch in its own transaction and adds it to `report`; `false` when none was left.
/// A caller that reports progress between batches (a job renewing its lease) loops on this.
pub async fn next_batch(
    conn: &mut AsyncPgConnection,
    report: &mut Report,
) -> Result<bool, StoreError> {
    let done = conn
        .transaction::<_, StoreError, _>(async |c| step(c).await)
        .await?;
    if let Some((read, written)) = done {
        report.read += read;
        report.written += written;
    }
    Ok(done.is_some())
}

/// Whether a migration left tables to recompute.
pub async fn pending(conn: &mut AsyncPgConnection) -> Result<bool, StoreError> {
    let n: i64 = search_reindex::table.count().get_result(conn).await?;
    Ok(n > 0)
}

/// One batch of the first table no other node is working on: `None` when there is none.
async fn step(conn: &mut AsyncPgConnection) -> Result<Option<(u64, u64)>, StoreError> {
    let entry: Option<(String, Option<Uuid>)> = search_reindex::table
        .select((search_reindex::table_name, search_reindex::after_id))
        .order(search_reindex::table_name)
        .limit(1)
        .for_update()
        .skip_locked()
        .get_result(conn)
        .await
        .optional()?;
    let Some((table, after)) = entry else {
        return Ok(None);
    };
    let Some((_, batch)) = BATCHES.iter().find(|(t, _)| *t == table) else {
        // A name no entity stores: nothing to redo (the entry goes, rather than block the rest).
        log::warn!("search reindex: no entity is stored in `{table}`");
        diesel::delete(search_reindex::table.filter(search_reindex::table_name.eq(&table)))
            .execute(conn)
            .await?;
        return Ok(Some((0, 0)));
    };
    let (read, written, last) = batch(conn, after).await?;
    let entry = search_reindex::table.filter(search_reindex::table_name.eq(&table));
    match last {
        Some(id) if read == BATCH as u64 => {
            diesel::update(entry)
                .set(search_reindex::after_id.eq(id))
                .execute(conn)
                .await?;
        }
        _ => {
            diesel::delete(entry).execute(conn).await?;
        }
    }
    Ok(Some((read, written)))
}

/// What a batch did: (rows read, rows written, the last id).
type Done = Result<(u64, u64, Option<Uuid>), StoreError>;
/// A running batch.
type Running<'c> = Pin<Box<dyn Future<Output = Done> + Send + 'c>>;
/// One batch of an entity's table, after an id.
type Batch = for<'c> fn(&'c mut AsyncPgConnection, Option<Uuid>) -> Running<'c>;

/// The batch of each stored entity that has search text, by its table. The one place typed by
/// entity: a batch reads its rows as the entity's record type (a test holds it to the stores).
static BATCHES: &[(&str, Batch)] = &[
    ("accounts", batch_of::<domain::account::Account>),
    ("contacts", batch_of::<domain::contact::Contact>),
    ("leads", batch_of::<domain::lead::Lead>),
    (
        "opportunities",
        batch_of::<domain::opportunity::Opportunity>,
    ),
    ("activities", batch_of::<domain::activity::Activity>),
    ("products", batch_of::<domain::product::Product>),
];

/// [`Batch`] of `R`'s table.
fn batch_of<R: Record + 'static>(conn: &mut AsyncPgConnection, after: Option<Uuid>) -> Running<'_> {
    Box::pin(batch::<R>(conn, after))
}

/// Recomputes the rows after `after` in id order: (rows read, rows written, the last id).
/// A row is written only if its text changed and it is still at the version it was read at: a
/// write in between has computed the new text itself.
async fn batch<R: Record>(conn: &mut AsyncPgConnection, after: Option<Uuid>) -> Done {
    let spec = R::spec();
    let mut select = Sql::new(&format!(
        "SELECT {} FROM {} WHERE id > ",
        spec.select, spec.table
    ));
    select
        .bind(Bind::Uuid(after.unwrap_or(Uuid::nil())))
        .push(" ORDER BY id LIMIT ")
        .bind(Bind::BigInt(BATCH));
    let rows: Vec<R::Row> = select.load(conn).await?;
    let records: Vec<R> = rows.into_iter().map(R::from).collect();
    let extra = custom_texts(conn, spec.table, &records).await?;
    let (mut ids, mut versions, mut texts, mut grams) = (vec![], vec![], vec![], vec![]);
    for (r, extra) in records.iter().zip(&extra) {
        let t = crate::custom_columns::with_search_text(r.search_text(), extra);
        ids.push(r.id());
        versions.push(r.version());
        // One string per row (bigrams never hold a line break): arrays of arrays must be even.
        grams.push(domain::normalize::bigrams(&t).join("\n"));
        texts.push(t);
    }
    let last = ids.last().copied();
    let mut update = Sql::new(&format!(
        "UPDATE {} AS t SET search_text = u.text, search_grams = string_to_array(u.grams, E'\\n') \
         FROM unnest(",
        spec.table
    ));
    update
        .bind(Bind::UuidArray(ids))
        .push(", ")
        .bind(Bind::IntArray(versions))
        .push(", ")
        .bind(Bind::TextArray(texts))
        .push(", ")
        .bind(Bind::TextArray(grams))
        .push(
            ") AS u(id, version, text, grams) \
             WHERE t.id = u.id AND t.version = u.version AND t.search_text <> u.text",
        );
    let written = update.execute(conn).await?;
    Ok((records.len() as u64, written as u64, last))
}

/// Per record, the text of its searchable custom values (by its organization's fields), as a
/// write computes it: empty where there are none.
async fn custom_texts<R: Record>(
    conn: &mut AsyncPgConnection,
    table: &str,
    records: &[R],
) -> Result<Vec<String>, StoreError> {
    use crate::schema::custom_fields;
    let mut out = vec![String::new(); records.len()];
    let orgs: Vec<Uuid> = custom_fields::table
        .filter(custom_fields::entity.eq(table))
        .filter(custom_fields::searchable.eq(true))
        .select(custom_fields::org_id)
        .distinct()
        .load(conn)
        .await?;
    if orgs.is_empty() {
        return Ok(out);
    }
    #[derive(QueryableByName)]
    struct Owner {
        #[diesel(sql_type = diesel::sql_types::Uuid)]
        id: Uuid,
        #[diesel(sql_type = diesel::sql_types::Uuid)]
        org_id: Uuid,
    }
    let ids: Vec<Uuid> = records.iter().map(|r| r.id()).collect();
    let mut sql = Sql::new(&format!("SELECT id, org_id FROM {table} WHERE id = ANY("));
    sql.bind(Bind::UuidArray(ids)).push(") AND org_id = ANY(");
    sql.bind(Bind::UuidArray(orgs)).push(")");
    let owners: Vec<Owner> = sql.load(conn).await?;
    let mut fields: Vec<(Uuid, Vec<domain::custom::CustomField>)> = Vec::new();
    for o in &owners {
        if !fields.iter().any(|(org, _)| *org == o.org_id) {
            let f = crate::custom_fields::of_entity(conn, o.org_id, table).await?;
            fields.push((o.org_id, f));
        }
    }
    for (r, text) in records.iter().zip(out.iter_mut()) {
        let found = owners
            .iter()
            .find(|o| o.id == r.id())
            .and_then(|o| fields.iter().find(|(org, _)| *org == o.org_id));
        if let (Some((_, fields)), Some(values)) = (found, r.custom()) {
            *text = domain::custom::search_text(fields, values).join(" ");
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_stored_entity_with_search_text_has_one_batch() {
        for s in crate::stores::STORES
            .iter()
            .filter(|s| s.spec.search.is_some())
        {
            let n = super::BATCHES
                .iter()
                .filter(|(t, _)| *t == s.spec.table)
                .count();
            assert_eq!(n, 1, "{}", s.spec.table);
        }
        assert!(super::BATCHES
            .iter()
            .all(|(t, _)| crate::stores::STORES.iter().any(|s| s.spec.table == *t)));
    }
}
