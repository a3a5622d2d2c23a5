//! The forecast: open deals expected to close in a period (weighted by probability, the commit
//! and the best case) and deals won in it, summed per owner or department and currency.

use crate::scope::Scope;
use crate::sql::{Bind, Sql};
use crate::stores::OPPORTUNITIES as SPEC;
use crate::StoreError;
use bigdecimal::BigDecimal;
use chrono::NaiveDate;
use diesel::sql_types;
use diesel::QueryableByName;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::money::Decimal;
use domain::opportunity::ForecastRow;
use uuid::Uuid;

/// Group forecast rows by the deal's owner or the owner's department.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForecastBy {
    Owner,
    Department,
}

/// The SQL of [`forecast`].
pub fn forecast_sql(scope: &Scope, from: NaiveDate, to: NaiveDate, by: ForecastBy) -> Sql {
    let start = from.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    let end = to
        .succ_opt()
        .unwrap_or(to)
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default()
        .and_utc();
    let (group_id, group_name, join) = match by {
        ForecastBy::Owner => ("u.id", "u.name", ""),
        ForecastBy::Department => (
            "d.id",
            "d.name",
            " JOIN departments d ON d.id = u.department_id",
        ),
    };
    // Each branch is an index-only scan of its covering index (`opportunities_forecast_open` /
    // `_won`), summed per owner, stage and currency before anything is joined: a quarter of a
    // large organization is tens of thousands of deals but a few hundred groups.
    let visible = |sql: &mut Sql| {
        sql.append(crate::list::scoped_where(&SPEC, scope, false))
            .push(" AND amount IS NOT NULL");
    };
    let mut sql = Sql::new(
        "WITH f AS (SELECT owner_id, stage_id, currency, count(*) AS n, \
         sum(amount * probability) AS weighted, sum(amount) AS open_amount, 0::numeric AS won \
         FROM opportunities",
    );
    visible(&mut sql);
    // The period as dates for open deals and as instants for won ones (UTC days).
    sql.push(" AND status = 'open' AND expected_close >= ")
        .bind(Bind::Timestamp(start))
        .push("::date AND expected_close < ")
        .bind(Bind::Timestamp(end))
        .push(
            "::date GROUP BY 1, 2, 3 UNION ALL SELECT owner_id, NULL, currency, 0, 0, 0, \
             sum(amount) FROM opportunities",
        );
    visible(&mut sql);
    sql.push(" AND status = 'won' AND closed_at >= ")
        .bind(Bind::Timestamp(start))
        .push(" AND closed_at < ")
        .bind(Bind::Timestamp(end))
        .push(&format!(
            " GROUP BY 1, 3) SELECT {group_id} AS group_id, {group_name} AS group_name, \
             f.currency, sum(f.n)::bigint AS open_count, \
             round(sum(f.weighted) / 100, 2) AS weighted, \
             coalesce(sum(f.open_amount) FILTER (WHERE s.probability >= 75), 0) AS commit, \
             sum(f.open_amount) AS best_case, sum(f.won) AS closed_won \
             FROM f JOIN users u ON u.id = f.owner_id{join} \
             LEFT JOIN stages s ON s.id = f.stage_id \
             GROUP BY {group_id}, {group_name}, f.currency ORDER BY 2, 3"
        ));
    sql.plan_per_run();
    sql
}

/// The forecast for deals the caller can see: open deals expected to close in `[from, to]` and
/// deals won in it, per group and currency (amounts in different currencies are never added).
pub async fn forecast(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
    by: ForecastBy,
) -> Result<Vec<ForecastRow>, StoreError> {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = sql_types::Uuid)]
        group_id: Uuid,
        #[diesel(sql_type = sql_types::Text)]
        group_name: String,
        #[diesel(sql_type = sql_types::Text)]
        currency: String,
        #[diesel(sql_type = sql_types::BigInt)]
        open_count: i64,
        #[diesel(sql_type = sql_types::Numeric)]
        weighted: BigDecimal,
        #[diesel(sql_type = sql_types::Numeric)]
        commit: BigDecimal,
        #[diesel(sql_type = sql_types::Numeric)]
        best_case: BigDecimal,
        #[diesel(sql_type = sql_types::Numeric)]
        closed_won: BigDecimal,
    }
    let rows: Vec<Row> = forecast_sql(scope, from, to, by).load(conn).await?;
    Ok(rows
        .into_iter()
        .map(|r| ForecastRow {
            group_id: r.group_id,
            group_name: r.group_name,
            currency: r.currency,
            open_count: r.open_count,
            weighted: Decimal(r.weighted),
            commit: Decimal(r.commit),
            best_case: Decimal(r.best_case),
            closed_won: Decimal(r.closed_won),
        })
        .collect())
}
