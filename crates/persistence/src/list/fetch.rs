//! Running a list: the count and page statements, the rows, and the cursor after the last one.

use super::compile::{filter_sql, keyset_sql, order_by, scoped_where, search_condition};
use super::parse::Cursor;
use super::{HasId, ListRequest, Spec};
use crate::scope::Scope;
use crate::sql::{Bind, Sql};
use crate::StoreError;
use base64::Engine as _;
use diesel::pg::Pg;
use diesel::QueryableByName;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::list::Page;
use serde::Serialize;

fn json_at<'v>(value: &'v serde_json::Value, path: &str) -> &'v serde_json::Value {
    path.split('.').fold(value, |v, key| {
        v.get(key).unwrap_or(&serde_json::Value::Null)
    })
}

/// The SQL of one page of a list: `SELECT count(*) …` for `count=true`, and the page itself.
/// [`fetch_from`] runs them; [`crate::plans`] EXPLAINs the very same text.
pub fn page_sql(
    spec: &'static Spec,
    source: Sql,
    scope: &Scope,
    req: &ListRequest,
    extra: Option<Sql>,
) -> (Sql, Sql) {
    let filters = filters_sql(spec, scope, req, extra);
    let mut count = Sql::new("SELECT count(*) AS n FROM ");
    count.append(source.clone()).append(filters.clone());
    let mut sql = Sql::new(&format!("SELECT {} FROM ", spec.select));
    sql.append(source).append(filters);
    if let Some((values, id)) = &req.after {
        sql.append(keyset_sql(&req.sort, values, *id));
    }
    sql.push(&order_by(&req.sort))
        .push(" LIMIT ")
        .bind(Bind::BigInt(req.limit + 1));
    if req.per_org() {
        count.plan_per_run();
        sql.plan_per_run();
    }
    (count, sql)
}

/// ` WHERE …` of a list: scope, the caller's `extra`, filters and quick search.
fn filters_sql(spec: &'static Spec, scope: &Scope, req: &ListRequest, extra: Option<Sql>) -> Sql {
    let mut filters = scoped_where(spec, scope, req.deleted);
    if let Some(extra) = extra {
        filters.append(extra);
    }
    for f in &req.filters {
        filters.append(filter_sql(f));
    }
    if let (Some(q), Some((text, grams))) = (&req.q, spec.search) {
        filters.append(search_condition(scope.org_id, text, grams, q));
    }
    filters
}

/// Per field of `totals`, the statement summing it over every matching row, by currency.
pub fn totals_sql(
    spec: &'static Spec,
    source: Sql,
    scope: &Scope,
    req: &ListRequest,
    extra: Option<Sql>,
) -> Vec<(String, Sql)> {
    let filters = filters_sql(spec, scope, req, extra);
    req.totals
        .iter()
        .map(|t| {
            let currency = t.currency.as_deref().unwrap_or("NULL::text");
            let mut sql = Sql::new(&format!(
                "SELECT {currency} AS currency, sum({0})::text AS sum, count({0}) AS n FROM ",
                t.column
            ));
            sql.append(source.clone())
                .append(filters.clone())
                .push(&format!(
                    " AND {} IS NOT NULL GROUP BY 1 ORDER BY 1",
                    t.column
                ));
            if req.per_org() || t.per_org {
                sql.plan_per_run();
            }
            (t.name.clone(), sql)
        })
        .collect()
}

#[derive(QueryableByName)]
struct TotalRow {
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    currency: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Text)]
    sum: String,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// Runs a list. `extra` adds conditions the caller owns (e.g. `AND entity_id = $n`).
pub async fn fetch<R, T>(
    conn: &mut AsyncPgConnection,
    spec: &'static Spec,
    scope: &Scope,
    req: &ListRequest,
    extra: Option<Sql>,
) -> Result<Page<T>, StoreError>
where
    R: QueryableByName<Pg> + Send + 'static,
    T: From<R> + Serialize + HasId,
{
    fetch_from::<R, T>(conn, spec, Sql::new(spec.table), scope, req, extra).await
}

/// Runs a list over `source` instead of the spec's table: a derived table built per request
/// (e.g. a timeline's `(… UNION ALL …) AS timeline`) with the spec's columns and `org_id`. The
/// filters, keyset and order apply to it as to a table.
pub async fn fetch_from<R, T>(
    conn: &mut AsyncPgConnection,
    spec: &'static Spec,
    source: Sql,
    scope: &Scope,
    req: &ListRequest,
    extra: Option<Sql>,
) -> Result<Page<T>, StoreError>
where
    R: QueryableByName<Pg> + Send + 'static,
    T: From<R> + Serialize + HasId,
{
    let totals = if req.totals.is_empty() {
        None
    } else {
        let mut sums = std::collections::BTreeMap::new();
        for (name, sql) in totals_sql(spec, source.clone(), scope, req, extra.clone()) {
            let rows: Vec<TotalRow> = sql.load(conn).await?;
            let groups = rows
                .into_iter()
                .map(|r| {
                    Ok(domain::list::Total {
                        sum: r.sum.parse().map_err(|_| {
                            StoreError::Pool(format!("unreadable sum `{}` of {name}", r.sum))
                        })?,
                        currency: r.currency,
                        count: r.n,
                    })
                })
                .collect::<Result<_, StoreError>>()?;
            sums.insert(name, groups);
        }
        Some(sums)
    };
    let (count, sql) = page_sql(spec, source, scope, req, extra);
    let total = if req.count {
        Some(count.count(conn).await?)
    } else {
        None
    };
    let rows: Vec<R> = sql.load(conn).await?;
    let mut data: Vec<T> = rows.into_iter().map(T::from).collect();
    let next_cursor = if data.len() as i64 > req.limit {
        data.truncate(req.limit as usize);
        data.last().map(|last| cursor_after(req, last))
    } else {
        None
    };
    Ok(Page {
        data,
        next_cursor,
        total,
        totals,
    })
}

/// The cursor of the page after `last`: its sort values as the API shows them, and its id.
pub(super) fn cursor_after<T: Serialize + HasId>(req: &ListRequest, last: &T) -> String {
    let json = serde_json::to_value(last).unwrap_or_default();
    let cursor = Cursor {
        s: req.sort_text.clone(),
        v: req
            .sort
            .iter()
            .map(|k| json_at(&json, &k.field.json_path).clone())
            .collect(),
        id: last.id(),
    };
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(serde_json::to_vec(&cursor).unwrap_or_default())
}
