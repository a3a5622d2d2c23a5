//! Dynamic SQL with typed bind parameters, for the queries whose shape depends on the request
//! (filters, sorts, keyset conditions). Values are always bound, never spliced into the text.

use bigdecimal::BigDecimal;
use chrono::{DateTime, Utc};
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types;
use diesel::QueryResult;
use uuid::Uuid;

/// A bound value.
#[derive(Debug, Clone, PartialEq)]
pub enum Bind {
    Uuid(Uuid),
    Text(String),
    Int(i32),
    BigInt(i64),
    Numeric(BigDecimal),
    Timestamp(DateTime<Utc>),
    Bool(bool),
    TextArray(Vec<String>),
    UuidArray(Vec<Uuid>),
    IntArray(Vec<i32>),
    NumericArray(Vec<BigDecimal>),
    TimestampArray(Vec<DateTime<Utc>>),
}

#[derive(Debug, Clone)]
enum Part {
    Text(String),
    Bind(Bind),
}

/// SQL text interleaved with bound values; runs through diesel(-async) like any query.
#[derive(Debug, Clone, Default)]
pub struct Sql {
    parts: Vec<Part>,
    /// Planned for its values on every run (see [`Sql::plan_per_run`]).
    per_run: bool,
}

impl Sql {
    pub fn new(text: &str) -> Self {
        Sql {
            parts: vec![Part::Text(text.to_string())],
            per_run: false,
        }
    }

    /// Plans this query for its actual values every time it runs. Diesel keeps statements
    /// prepared, and after five runs PostgreSQL may settle on one generic plan that ignores the
    /// values: for quick search that walked a whole organization in list order instead of the
    /// bigram index (5 ms became 100 ms at a million contacts). Searches and the forecast pay
    /// the planning (a fraction of a millisecond) on every run; lookups and plain list pages,
    /// whose best plan does not depend on the values, keep their cached plan.
    pub fn plan_per_run(&mut self) -> &mut Self {
        self.per_run = true;
        self
    }

    /// Whether diesel may keep this statement prepared.
    pub fn cacheable(&self) -> bool {
        !self.per_run
    }

    pub fn push(&mut self, text: &str) -> &mut Self {
        self.parts.push(Part::Text(text.to_string()));
        self
    }

    pub fn bind(&mut self, value: Bind) -> &mut Self {
        self.parts.push(Part::Bind(value));
        self
    }

    /// Binds `value`, or writes `NULL` without one.
    pub fn bind_opt(&mut self, value: Option<Bind>) -> &mut Self {
        match value {
            Some(v) => self.bind(v),
            None => self.push("NULL"),
        }
    }

    /// Appends another fragment (its binds keep their order).
    pub fn append(&mut self, other: Sql) -> &mut Self {
        self.parts.extend(other.parts);
        self.per_run |= other.per_run;
        self
    }

    /// The text with every value written as a SQL literal, for tools that cannot bind (pgbench
    /// in `make bench`, which runs the API's statements directly).
    pub fn inline(&self) -> String {
        fn quote(s: &str) -> String {
            format!("'{}'", s.replace('\'', "''"))
        }
        fn array<T>(items: &[T], one: impl Fn(&T) -> String, ty: &str) -> String {
            let items: Vec<String> = items.iter().map(one).collect();
            format!("ARRAY[{}]::{ty}[]", items.join(", "))
        }
        self.parts
            .iter()
            .map(|p| match p {
                Part::Text(t) => t.clone(),
                Part::Bind(b) => match b {
                    Bind::Uuid(v) => format!("'{v}'::uuid"),
                    Bind::Text(v) => quote(v),
                    Bind::Int(v) => v.to_string(),
                    Bind::BigInt(v) => v.to_string(),
                    Bind::Numeric(v) => format!("'{v}'::numeric"),
                    Bind::Timestamp(v) => format!("'{}'::timestamptz", v.to_rfc3339()),
                    Bind::Bool(v) => v.to_string(),
                    Bind::TextArray(v) => array(v, |s| quote(s), "text"),
                    Bind::UuidArray(v) => array(v, |u| format!("'{u}'"), "uuid"),
                    Bind::IntArray(v) => array(v, i32::to_string, "int4"),
                    Bind::NumericArray(v) => array(v, |n| format!("'{n}'"), "numeric"),
                    Bind::TimestampArray(v) => {
                        array(v, |t| format!("'{}'", t.to_rfc3339()), "timestamptz")
                    }
                },
            })
            .collect()
    }

    /// The text with `$n` placeholders, for EXPLAIN and logs.
    pub fn text(&self) -> String {
        let mut n = 0;
        self.parts
            .iter()
            .map(|p| match p {
                Part::Text(t) => t.clone(),
                Part::Bind(_) => {
                    n += 1;
                    format!("${n}")
                }
            })
            .collect()
    }
}

impl QueryFragment<Pg> for Sql {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        if self.per_run {
            out.unsafe_to_cache_prepared();
        }
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_sql(t),
                Part::Bind(b) => match b {
                    Bind::Uuid(v) => out.push_bind_param::<sql_types::Uuid, _>(v)?,
                    Bind::Text(v) => out.push_bind_param::<sql_types::Text, _>(v)?,
                    Bind::Int(v) => out.push_bind_param::<sql_types::Integer, _>(v)?,
                    Bind::BigInt(v) => out.push_bind_param::<sql_types::BigInt, _>(v)?,
                    Bind::Numeric(v) => out.push_bind_param::<sql_types::Numeric, _>(v)?,
                    Bind::Timestamp(v) => out.push_bind_param::<sql_types::Timestamptz, _>(v)?,
                    Bind::Bool(v) => out.push_bind_param::<sql_types::Bool, _>(v)?,
                    Bind::TextArray(v) => {
                        out.push_bind_param::<sql_types::Array<sql_types::Text>, _>(v)?
                    }
                    Bind::UuidArray(v) => {
                        out.push_bind_param::<sql_types::Array<sql_types::Uuid>, _>(v)?
                    }
                    Bind::IntArray(v) => {
                        out.push_bind_param::<sql_types::Array<sql_types::Integer>, _>(v)?
                    }
                    Bind::NumericArray(v) => {
                        out.push_bind_param::<sql_types::Array<sql_types::Numeric>, _>(v)?
                    }
                    Bind::TimestampArray(v) => {
                        out.push_bind_param::<sql_types::Array<sql_types::Timestamptz>, _>(v)?
                    }
                },
            }
        }
        Ok(())
    }
}

impl QueryId for Sql {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl Query for Sql {
    type SqlType = sql_types::Untyped;
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = sql_types::BigInt)]
    n: i64,
}

impl Sql {
    /// Runs a query whose one column `n` is a count (`SELECT count(*) AS n …`).
    pub async fn count(
        self,
        conn: &mut diesel_async::AsyncPgConnection,
    ) -> Result<i64, crate::StoreError> {
        use diesel_async::RunQueryDsl;
        Ok(self.get_result::<Count>(conn).await?.n)
    }
}

/// Escapes `%`, `_` and `\` for a LIKE pattern.
pub fn like_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_writes_values_as_literals_and_quotes_text() {
        let id = Uuid::nil();
        let mut sql = Sql::new("SELECT 1 WHERE name = ");
        sql.bind(Bind::Text("O'Brien 王".into()))
            .push(" AND owner_id = ANY(")
            .bind(Bind::UuidArray(vec![id]))
            .push(") AND org_id = ")
            .bind(Bind::Uuid(id))
            .push(" LIMIT ")
            .bind(Bind::BigInt(51));
        assert_eq!(
            sql.text(),
            "SELECT 1 WHERE name = $1 AND owner_id = ANY($2) AND org_id = $3 LIMIT $4"
        );
        assert_eq!(
            sql.inline(),
            format!(
                "SELECT 1 WHERE name = 'O''Brien 王' AND owner_id = ANY(ARRAY['{id}']::uuid[]) \
                 AND org_id = '{id}'::uuid LIMIT 51"
            )
        );
    }
}
