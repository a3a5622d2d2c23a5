//! The one list mechanism: allow-listed filters with operators, allow-listed sorts, opaque keyset
//! cursors, quick search and counts, all scoped to the caller's organization and visibility.
//! A resource describes itself once in a [`Spec`]; every list endpoint runs through [`fetch`].

use crate::scope::Scope;
use crate::sql::{like_escape, Bind, Sql};
use crate::StoreError;
use base64::Engine as _;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use diesel::pg::Pg;
use diesel::QueryableByName;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::list::Page;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 200;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    Uuid,
    Text,
    Int,
    Numeric,
    Timestamp,
    Enum(&'static [&'static str]),
    Tags,
    Bool,
}

/// A field clients may filter (and, if `sortable`, sort) on.
#[derive(Debug)]
pub struct Field {
    /// The name in the API (`created_at`).
    pub name: &'static str,
    /// The SQL expression (`created_at`): a column, or a value computed per request from the row
    /// (e.g. an account's `neglected`), which filters like any other field. Only indexed columns
    /// should be sortable.
    pub column: &'static str,
    pub kind: Kind,
    pub nullable: bool,
    /// Only fields with an index ending in the id are sortable.
    pub sortable: bool,
    /// Where the value sits in the API representation, for cursors (`annual_revenue.amount`).
    pub json_path: &'static str,
}

impl Field {
    pub const fn new(name: &'static str, kind: Kind) -> Self {
        Field {
            name,
            column: name,
            kind,
            nullable: false,
            sortable: false,
            json_path: name,
        }
    }
    pub const fn sortable(mut self) -> Self {
        self.sortable = true;
        self
    }
    pub const fn nullable(mut self) -> Self {
        self.nullable = true;
        self
    }
    pub const fn column(mut self, column: &'static str) -> Self {
        self.column = column;
        self
    }
    pub const fn json_path(mut self, path: &'static str) -> Self {
        self.json_path = path;
        self
    }
}

/// How a resource is listed.
#[derive(Debug)]
pub struct Spec {
    pub table: &'static str,
    pub select: &'static str,
    pub fields: &'static [Field],
    pub default_sort: &'static str,
    /// The column visibility applies to; `None` when the caller scopes the list (e.g. a record's history).
    pub owner_column: Option<&'static str>,
    pub soft_delete: bool,
    /// `(folded text column, bigram array column)` for `q`.
    pub search: Option<(&'static str, &'static str)>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Op {
    Eq,
    Ne,
    Gt,
    Gte,
    Lt,
    Lte,
    In,
    Contains,
}

impl Op {
    fn parse(s: &str) -> Option<Op> {
        Some(match s {
            "eq" => Op::Eq,
            "ne" => Op::Ne,
            "gt" => Op::Gt,
            "gte" => Op::Gte,
            "lt" => Op::Lt,
            "lte" => Op::Lte,
            "in" => Op::In,
            "contains" => Op::Contains,
            _ => return None,
        })
    }

    fn allowed(self, kind: Kind) -> bool {
        match self {
            Op::Eq | Op::Ne => true,
            Op::In => kind != Kind::Bool,
            Op::Gt | Op::Gte | Op::Lt | Op::Lte => {
                matches!(
                    kind,
                    Kind::Int | Kind::Numeric | Kind::Timestamp | Kind::Text
                )
            }
            Op::Contains => matches!(kind, Kind::Text | Kind::Tags),
        }
    }
}

#[derive(Debug)]
struct Filter {
    field: &'static Field,
    op: Op,
    value: Bind,
}

#[derive(Debug)]
struct SortKey {
    field: &'static Field,
    desc: bool,
}

#[derive(Debug, Serialize, Deserialize)]
struct Cursor {
    /// The sort the cursor was made for.
    s: String,
    /// The last row's sort values, then its id.
    v: Vec<serde_json::Value>,
    id: Uuid,
}

/// A parsed, validated list request.
#[derive(Debug)]
pub struct ListRequest {
    filters: Vec<Filter>,
    sort: Vec<SortKey>,
    sort_text: String,
    after: Option<(Vec<Option<Bind>>, Uuid)>,
    pub limit: i64,
    q: Option<String>,
    pub count: bool,
    /// List the recycle bin instead of live records.
    pub deleted: bool,
}

/// A bad list request; the message names the parameter (400).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ListError(pub String);

fn bad<T>(msg: String) -> Result<T, ListError> {
    Err(ListError(msg))
}

fn parse_value(field: &Field, raw: &str) -> Result<Bind, ListError> {
    let fail = |what: &str| ListError(format!("`{}`: `{raw}` is not {what}", field.name));
    Ok(match field.kind {
        Kind::Uuid => Bind::Uuid(Uuid::parse_str(raw).map_err(|_| fail("a UUID"))?),
        Kind::Text | Kind::Tags => Bind::Text(raw.to_string()),
        Kind::Int => Bind::Int(raw.parse().map_err(|_| fail("an integer"))?),
        Kind::Numeric => {
            use domain::money::{Decimal, MAX_INTEGER_DIGITS, MAX_SCALE};
            let n = raw
                .parse::<Decimal>()
                .ok()
                .filter(|n| n.integer_digits() <= MAX_INTEGER_DIGITS && n.scale() <= MAX_SCALE)
                .ok_or_else(|| {
                    fail(&format!(
                        "a decimal number of at most {MAX_INTEGER_DIGITS} digits before and \
                         {MAX_SCALE} after the point"
                    ))
                })?;
            Bind::Numeric(n.0)
        }
        Kind::Timestamp => Bind::Timestamp(
            parse_time(raw)
                .filter(|t| (1..=9999).contains(&t.year()))
                .ok_or_else(|| fail("a date or RFC 3339 time between the years 1 and 9999"))?,
        ),
        Kind::Bool => Bind::Bool(match raw {
            "true" => true,
            "false" => false,
            _ => return Err(fail("true or false")),
        }),
        Kind::Enum(values) => {
            if !values.contains(&raw) {
                return bad(format!(
                    "`{}`: `{raw}` is not one of {}",
                    field.name,
                    values.join(", ")
                ));
            }
            Bind::Text(raw.to_string())
        }
    })
}

fn parse_time(raw: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(raw)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .ok()
                .map(|d| d.and_time(Default::default()).and_utc())
        })
}

fn array_of(kind: Kind, values: Vec<Bind>) -> Bind {
    macro_rules! collect {
        ($variant:ident, $array:ident) => {
            Bind::$array(
                values
                    .into_iter()
                    .filter_map(|b| {
                        if let Bind::$variant(v) = b {
                            Some(v)
                        } else {
                            None
                        }
                    })
                    .collect(),
            )
        };
    }
    match kind {
        Kind::Uuid => collect!(Uuid, UuidArray),
        Kind::Int => collect!(Int, IntArray),
        Kind::Numeric => collect!(Numeric, NumericArray),
        Kind::Timestamp => collect!(Timestamp, TimestampArray),
        Kind::Text | Kind::Tags | Kind::Enum(_) => collect!(Text, TextArray),
        Kind::Bool => Bind::TextArray(Vec::new()),
    }
}

/// A cursor value back to a bind of the field's type.
fn cursor_value(field: &Field, v: &serde_json::Value) -> Result<Option<Bind>, ListError> {
    let invalid = || ListError("`cursor` is not valid for this list".into());
    if v.is_null() {
        return if field.nullable {
            Ok(None)
        } else {
            Err(invalid())
        };
    }
    let raw = match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Number(n) => n.to_string(),
        _ => return Err(invalid()),
    };
    parse_value(field, &raw).map(Some).map_err(|_| invalid())
}

impl ListRequest {
    /// Parses query-string pairs. Unknown parameters, fields and operators are errors, never ignored.
    pub fn parse(spec: &'static Spec, pairs: &[(String, String)]) -> Result<Self, ListError> {
        let mut req = ListRequest {
            filters: Vec::new(),
            sort: Vec::new(),
            sort_text: spec.default_sort.to_string(),
            after: None,
            limit: DEFAULT_LIMIT,
            q: None,
            count: false,
            deleted: false,
        };
        let mut cursor = None;
        let flag = |k: &str, v: &str| match v {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            _ => bad(format!("`{k}` must be true or false")),
        };
        for (key, value) in pairs {
            match key.as_str() {
                "limit" => {
                    req.limit = value
                        .parse()
                        .ok()
                        .filter(|n| (1..=MAX_LIMIT).contains(n))
                        .ok_or_else(|| {
                            ListError(format!("`limit` must be an integer from 1 to {MAX_LIMIT}"))
                        })?
                }
                "cursor" => cursor = Some(value.clone()),
                "sort" => req.sort_text = value.clone(),
                "q" => req.q = Some(value.clone()).filter(|q| !q.trim().is_empty()),
                "count" => req.count = flag(key, value)?,
                "deleted" if spec.soft_delete => req.deleted = flag(key, value)?,
                _ => {
                    let (name, op) = match key.split_once('[') {
                        Some((name, rest)) => {
                            let op = rest
                                .strip_suffix(']')
                                .and_then(Op::parse)
                                .ok_or_else(|| ListError(format!("`{key}`: unknown operator (eq, ne, gt, gte, lt, lte, in, contains)")))?;
                            (name, op)
                        }
                        None => (key.as_str(), Op::Eq),
                    };
                    let Some(field) = spec.fields.iter().find(|f| f.name == name) else {
                        let names: Vec<_> = spec.fields.iter().map(|f| f.name).collect();
                        return bad(format!(
                            "`{name}` is not a filter of this list (filters: {})",
                            names.join(", ")
                        ));
                    };
                    if !op.allowed(field.kind) {
                        return bad(format!("`{key}`: this operator does not apply to `{name}`"));
                    }
                    let value = if op == Op::In {
                        let items = value
                            .split(',')
                            .map(|v| parse_value(field, v.trim()))
                            .collect::<Result<Vec<_>, _>>()?;
                        array_of(field.kind, items)
                    } else {
                        parse_value(field, value)?
                    };
                    req.filters.push(Filter { field, op, value });
                }
            }
        }
        for part in req.sort_text.split(',').map(str::trim) {
            let (name, desc) = match part.strip_prefix('-') {
                Some(n) => (n, true),
                None => (part, false),
            };
            let field = spec
                .fields
                .iter()
                .find(|f| f.name == name && f.sortable)
                .ok_or_else(|| {
                    let names: Vec<_> = spec
                        .fields
                        .iter()
                        .filter(|f| f.sortable)
                        .map(|f| f.name)
                        .collect();
                    ListError(format!(
                        "`sort`: `{name}` is not sortable (sortable: {})",
                        names.join(", ")
                    ))
                })?;
            if req.sort.iter().any(|k| std::ptr::eq(k.field, field)) {
                return bad(format!("`sort`: `{name}` appears twice"));
            }
            req.sort.push(SortKey { field, desc });
        }
        if let Some(raw) = cursor {
            let invalid = || ListError("`cursor` is not valid for this list".into());
            let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(raw.as_bytes())
                .map_err(|_| invalid())?;
            let c: Cursor = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
            if c.s != req.sort_text {
                return bad("`cursor` was made for another `sort`; start again without it".into());
            }
            if c.v.len() != req.sort.len() {
                return Err(invalid());
            }
            let values = req
                .sort
                .iter()
                .zip(&c.v)
                .map(|(k, v)| cursor_value(k.field, v))
                .collect::<Result<_, _>>()?;
            req.after = Some((values, c.id));
        }
        Ok(req)
    }

    /// Only the quick search and count (for search-like callers).
    pub fn q(&self) -> Option<&str> {
        self.q.as_deref()
    }
}

/// ` WHERE …`: the caller's organization and the owners they may see, live or binned alike.
pub fn visible_where(spec: &Spec, scope: &Scope) -> Sql {
    let mut sql = Sql::new(" WHERE org_id = ");
    sql.bind(Bind::Uuid(scope.org_id));
    if let (Some(col), Some(owners)) = (spec.owner_column, &scope.visible_owners) {
        sql.push(&format!(" AND {col} = ANY("))
            .bind(Bind::UuidArray(owners.clone()))
            .push(")");
    }
    sql
}

/// `WHERE` for the organization, visibility and the live/deleted state; shared by get, list and search.
pub fn scoped_where(spec: &Spec, scope: &Scope, deleted: bool) -> Sql {
    let mut sql = visible_where(spec, scope);
    if spec.soft_delete {
        sql.push(if deleted {
            " AND deleted_at IS NOT NULL"
        } else {
            " AND deleted_at IS NULL"
        });
    }
    sql
}

/// `AND …` matching a quick-search query against folded text: every term is a substring. The
/// terms' bigrams, keyed by organization (`kehu_org_grams`, migration 11), narrow the rows
/// through the GIN index first.
pub fn search_condition(org_id: Uuid, text_col: &str, grams_col: &str, q: &str) -> Sql {
    let terms = domain::normalize::search_terms(q);
    let grams = domain::normalize::bigrams(&terms.join("\n"));
    let mut sql = Sql::default();
    if !grams.is_empty() {
        sql.push(&format!(
            " AND kehu_org_grams(org_id, {grams_col}) @> kehu_org_grams("
        ))
        .bind(Bind::Uuid(org_id))
        .push(", ")
        .bind(Bind::TextArray(grams))
        .push(")");
    }
    for term in terms {
        sql.push(&format!(" AND {text_col} LIKE "))
            .bind(Bind::Text(format!("%{}%", like_escape(&term))));
    }
    // How many rows a search matches decides between the bigram index and the list's order.
    sql.plan_per_run();
    sql
}

fn filter_sql(f: &Filter) -> Sql {
    let col = f.field.column;
    let mut sql = Sql::default();
    let cmp = |sql: &mut Sql, op: &str| {
        sql.push(&format!(" AND {col} {op} ")).bind(f.value.clone());
    };
    match (f.field.kind, f.op, &f.value) {
        // The predicate itself (`col` or `NOT col`), so a computed flag such as `neglected`
        // (`neglect_at <= now()`) stays an index range instead of a comparison with a parameter.
        (Kind::Bool, Op::Eq | Op::Ne, Bind::Bool(v)) if !f.field.nullable => {
            let negate = (f.op == Op::Ne) == *v;
            sql.push(&format!(" AND {}({col})", if negate { "NOT " } else { "" }));
        }
        (Kind::Tags, Op::Eq | Op::Contains, _) => {
            sql.push(&format!(" AND {col} @> ARRAY["))
                .bind(f.value.clone())
                .push("]::text[]");
        }
        (Kind::Tags, Op::Ne, _) => {
            sql.push(&format!(" AND NOT {col} @> ARRAY["))
                .bind(f.value.clone())
                .push("]::text[]");
        }
        (Kind::Tags, Op::In, _) => {
            sql.push(&format!(" AND {col} && ")).bind(f.value.clone());
        }
        (_, Op::In, _) => {
            sql.push(&format!(" AND {col} = ANY("))
                .bind(f.value.clone())
                .push(")");
        }
        (_, Op::Contains, _) => {
            let Bind::Text(t) = &f.value else { return sql };
            sql.push(&format!(" AND {col} ILIKE "))
                .bind(Bind::Text(format!("%{}%", like_escape(t))));
        }
        (_, Op::Eq, _) => cmp(&mut sql, "="),
        (_, Op::Ne, _) => {
            sql.push(&format!(" AND {col} IS DISTINCT FROM "))
                .bind(f.value.clone());
        }
        (_, Op::Gt, _) => cmp(&mut sql, ">"),
        (_, Op::Gte, _) => cmp(&mut sql, ">="),
        (_, Op::Lt, _) => cmp(&mut sql, "<"),
        (_, Op::Lte, _) => cmp(&mut sql, "<="),
    }
    sql
}

/// Rows strictly after the cursor in the list's order (nulls sort last in both directions).
fn keyset_sql(sort: &[SortKey], values: &[Option<Bind>], id: Uuid) -> Sql {
    // A row comparison is false for nulls, so it only serves when no later row can be null:
    // every key non-nullable, or a single nullable key whose null tail is added back.
    let single_nullable = sort.len() == 1 && sort[0].field.nullable;
    let simple = values.iter().all(Option::is_some)
        && sort.iter().all(|k| k.desc == sort[0].desc)
        && (single_nullable || sort.iter().all(|k| !k.field.nullable));
    let mut sql = Sql::default();
    if simple {
        // One row comparison: the planner walks the (org_id, key, id) index straight from the cursor.
        let cols: Vec<&str> = sort.iter().map(|k| k.field.column).collect();
        sql.push(&format!(
            " AND (({}, id) {} (",
            cols.join(", "),
            if sort[0].desc { "<" } else { ">" }
        ));
        for v in values.iter().flatten() {
            sql.bind(v.clone()).push(", ");
        }
        sql.bind(Bind::Uuid(id)).push(")");
        if single_nullable {
            sql.push(&format!(" OR {} IS NULL", sort[0].field.column));
        }
        sql.push(")");
        return sql;
    }
    let id_desc = sort.last().is_some_and(|k| k.desc);
    sql.push(" AND (FALSE");
    for i in 0..=sort.len() {
        let mut branch = Sql::new(" OR (TRUE");
        for (k, v) in sort.iter().zip(values).take(i) {
            match v {
                Some(v) => branch
                    .push(&format!(" AND {} = ", k.field.column))
                    .bind(v.clone()),
                None => branch.push(&format!(" AND {} IS NULL", k.field.column)),
            };
        }
        if i == sort.len() {
            branch
                .push(if id_desc { " AND id < " } else { " AND id > " })
                .bind(Bind::Uuid(id));
        } else {
            let k = &sort[i];
            match &values[i] {
                // Nothing sorts after a null (nulls last) within this key.
                None => continue,
                Some(v) => {
                    let col = k.field.column;
                    branch
                        .push(&format!(" AND ({col} {} ", if k.desc { "<" } else { ">" }))
                        .bind(v.clone());
                    branch.push(&if k.field.nullable {
                        format!(" OR {col} IS NULL)")
                    } else {
                        ")".to_string()
                    });
                }
            }
        }
        branch.push(")");
        sql.append(branch);
    }
    sql.push(")");
    sql
}

/// `ORDER BY`, nulls last. A non-nullable key gets no `NULLS LAST` (the order is the same): a
/// descending `NULLS LAST` does not match a backward scan of an ascending index, so PostgreSQL
/// would sort every matching row (all of an organization's contacts for `sort=-created_at`).
fn order_by(sort: &[SortKey]) -> String {
    let mut keys: Vec<String> = sort
        .iter()
        .map(|k| {
            format!(
                "{} {}{}",
                k.field.column,
                if k.desc { "DESC" } else { "ASC" },
                if k.field.nullable { " NULLS LAST" } else { "" }
            )
        })
        .collect();
    keys.push(format!(
        "id {}",
        if sort.last().is_some_and(|k| k.desc) {
            "DESC"
        } else {
            "ASC"
        }
    ));
    format!(" ORDER BY {}", keys.join(", "))
}

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
    (count, sql)
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
        data.last().map(|last| {
            let json = serde_json::to_value(last).unwrap_or_default();
            let cursor = Cursor {
                s: req.sort_text.clone(),
                v: req
                    .sort
                    .iter()
                    .map(|k| json_at(&json, k.field.json_path).clone())
                    .collect(),
                id: last.id(),
            };
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode(serde_json::to_vec(&cursor).unwrap_or_default())
        })
    } else {
        None
    };
    Ok(Page {
        data,
        next_cursor,
        total,
    })
}

/// Records listed with cursors expose their id (the keyset tie-breaker).
pub trait HasId {
    fn id(&self) -> Uuid;
}
