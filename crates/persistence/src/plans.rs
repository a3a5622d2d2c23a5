//! Proof that every list, search and forecast query can use an index: each is built by the very
//! functions the API runs ([`list::page_sql`], [`records::search_sql`], the forecast's and the
//! timeline's builders) and EXPLAINed. `kehu plans` prints them; `make bench` runs it on the large
//! dataset and fails on a sequential scan of a big table. The test suite runs it with sequential
//! scans and sorts priced out, where a remaining `Seq Scan` or list `Sort` means no index serves
//! the query at all.

use crate::forecast::{self, ForecastBy};
use crate::list::{self, Col, Kind, ListRequest, Spec};
use crate::records;
use crate::scope::Scope;
use crate::sql::Sql;
use crate::stores::SearchDisplay;
use crate::{activities, timeline, StoreError};
use diesel::{sql_types, QueryableByName};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::problem::FieldError;
use uuid::Uuid;

/// Tables that grow with the business, besides every entity's own: a sequential scan of one is
/// a bug at scale.
const BIG_HISTORY_TABLES: &[&str] = &["stage_changes", "audit_events", "events"];

/// Every big table: the registered entities' and their histories'.
pub fn big_tables() -> impl Iterator<Item = &'static str> {
    domain::registry::ENTITIES
        .iter()
        .map(|e| e.plural)
        .chain(BIG_HISTORY_TABLES.iter().copied())
}

/// What kind of query a plan is for, which decides what it must show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A list page without `q`: its order must come from an index.
    OrderedList,
    /// Quick or global search: its plan depends on how selective the words are.
    Search,
    Timeline,
    /// Its plan depends on the period.
    Forecast,
    /// A filter on a custom field: served by the field's own index, partial on the
    /// organization, which only a plan made for the values can use.
    CustomFilter,
}

/// One query and its plan.
pub struct Plan {
    /// What the API was asked (`GET /contacts?sort=-updated_at`).
    pub request: String,
    pub shape: Shape,
    /// Planned for its values on every run rather than kept as a generic plan
    /// ([`Sql::plan_per_run`]).
    pub planned_per_run: bool,
    pub plan: String,
}

impl Plan {
    /// Searches and the forecast must be planned per run: a generic plan cannot know how
    /// selective a search is or how many deals a period holds.
    pub fn needs_plan_per_run(&self) -> bool {
        matches!(
            self.shape,
            Shape::Search | Shape::Forecast | Shape::CustomFilter
        )
    }

    /// The big table read sequentially, if any.
    pub fn seq_scan(&self) -> Option<&'static str> {
        big_tables().find(|t| {
            self.plan.lines().any(|l| {
                l.contains(&format!("Seq Scan on {t} ")) || l.ends_with(&format!("Seq Scan on {t}"))
            })
        })
    }

    /// Whether rows are sorted after they are read (instead of read in index order).
    pub fn sorts(&self) -> bool {
        self.plan.lines().any(|l| {
            let node = l.trim_start().trim_start_matches("->").trim_start();
            node.starts_with("Sort ") || node.starts_with("Incremental Sort ")
        })
    }
}

/// The condition an endpoint adds to its list, if any.
type Extra = fn(&Scope) -> Option<Sql>;

/// Every list the API serves: each registered entity's collection, and the lists that are views
/// of one (`tasks/mine`).
fn lists() -> Vec<(&'static str, &'static Spec, Extra)> {
    let mut all: Vec<(&str, &Spec, Extra)> = crate::stores::STORES
        .iter()
        .map(|s| (s.entity.plural, s.spec, (|_| None) as Extra))
        .collect();
    all.push(("tasks/mine", &activities::MY_TASKS, |s| {
        Some(activities::my_open_tasks(s))
    }));
    all
}

/// The entities global search covers, with how each shows.
fn searched() -> impl Iterator<Item = (&'static str, &'static Spec, &'static SearchDisplay)> {
    crate::stores::joining(|j| j.search)
        .filter_map(|s| s.search.map(|d| (s.entity.name, s.spec, d)))
}

/// A common Chinese name, an English word, a company word, a name in initials and in pinyin:
/// the shapes quick search sees.
const QUERIES: &[&str] = &["王芳", "smith", "丰泽", "zw", "zhangwei"];

/// Every sort a list allows (both directions), and quick search on those that have it.
fn list_requests(spec: &'static Spec) -> Vec<(String, Shape)> {
    let mut requests = vec![(format!("sort={}", spec.default_sort), Shape::OrderedList)];
    for f in spec.fields.iter().filter(|f| f.sortable) {
        requests.push((format!("sort={}", f.name), Shape::OrderedList));
        requests.push((format!("sort=-{}", f.name), Shape::OrderedList));
    }
    if spec.search.is_some() {
        for q in QUERIES {
            requests.push((format!("q={q}"), Shape::Search));
        }
    }
    requests
}

/// Both sorts of each sortable custom field, and a filter on each filterable one.
fn custom_requests(columns: &[Col]) -> Vec<(String, Shape)> {
    let mut requests = Vec::new();
    for c in columns.iter().filter(|c| c.filterable) {
        if c.sortable {
            requests.push((format!("sort={}", c.name), Shape::OrderedList));
            requests.push((format!("sort=-{}", c.name), Shape::OrderedList));
        }
        let (op, value) = match c.kind {
            Kind::Numeric => ("gte", "1000".to_string()),
            Kind::Date => ("gte", "2026-01-01".to_string()),
            Kind::TimeText => ("gte", "2026-01-01T00:00:00Z".to_string()),
            Kind::Bool => ("eq", "true".to_string()),
            Kind::Uuid => ("eq", Uuid::nil().to_string()),
            _ => ("eq", "x".to_string()),
        };
        requests.push((format!("{}[{op}]={value}", c.name), Shape::CustomFilter));
    }
    requests
}

/// The list columns of the organization's custom fields of `spec`'s entity.
async fn custom_columns(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    spec: &Spec,
) -> Result<Vec<Col>, StoreError> {
    let fields = crate::custom_fields::of_entity(conn, scope.org_id, spec.table).await?;
    Ok(crate::custom_columns::columns(&fields))
}

fn request(
    spec: &'static Spec,
    custom: &[Col],
    pairs: &[(String, String)],
) -> Result<ListRequest, StoreError> {
    ListRequest::parse_with(spec, custom, pairs).map_err(|e| {
        StoreError::Invalid(vec![FieldError {
            field: spec.table.into(),
            code: "list".into(),
            message: e.0,
        }])
    })
}

async fn explain(
    conn: &mut AsyncPgConnection,
    request: String,
    shape: Shape,
    sql: Sql,
) -> Result<Plan, StoreError> {
    #[derive(QueryableByName)]
    struct Line {
        #[diesel(column_name = "QUERY PLAN", sql_type = sql_types::Text)]
        line: String,
    }
    let planned_per_run = !sql.cacheable();
    let mut explain = Sql::new("EXPLAIN ");
    explain.append(sql);
    let lines: Vec<Line> = explain.load(conn).await?;
    Ok(Plan {
        request,
        shape,
        planned_per_run,
        plan: lines
            .into_iter()
            .map(|l| l.line)
            .collect::<Vec<_>>()
            .join("\n"),
    })
}

/// EXPLAINs every list sort, quick search, global search, the timeline and the forecast as
/// `scope` would run them.
pub async fn explain_all(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
) -> Result<Vec<Plan>, StoreError> {
    let mut plans = Vec::new();
    for (name, spec, extra) in lists() {
        let custom = custom_columns(conn, scope, spec).await?;
        let mut requests = list_requests(spec);
        requests.extend(custom_requests(&custom));
        for (query, shape) in requests {
            let (key, value) = query.split_once('=').unwrap_or_default();
            let req = request(spec, &custom, &[(key.to_string(), value.to_string())])?;
            let (_, sql) = list::page_sql(spec, Sql::new(spec.table), scope, &req, extra(scope));
            plans.push(explain(conn, format!("GET /{name}?{query}"), shape, sql).await?);
        }
    }
    for (entity, spec, display) in searched() {
        for q in QUERIES {
            if let Some(sql) = records::search_sql(spec, scope, display, q, 20) {
                let request = format!("GET /search?q={q} ({entity})");
                plans.push(explain(conn, request, Shape::Search, sql).await?);
            }
        }
    }
    let req = request(&timeline::SPEC, &[], &[])?;
    let source = timeline::source(scope, "account", Uuid::nil(), timeline::READS_ALL);
    let (_, sql) = list::page_sql(&timeline::SPEC, source, scope, &req, None);
    let request = "GET /accounts/{id}/timeline".to_string();
    plans.push(explain(conn, request, Shape::Timeline, sql).await?);
    let today = chrono::Utc::now().date_naive();
    for by in [ForecastBy::Owner, ForecastBy::Department] {
        let sql = forecast::forecast_sql(scope, today - chrono::Days::new(90), today, by);
        plans.push(
            explain(
                conn,
                format!("GET /forecast?by={by:?}"),
                Shape::Forecast,
                sql,
            )
            .await?,
        );
    }
    Ok(plans)
}

/// The statements the API runs for `path` (`/contacts`, `/search`, `/forecast`, any list in
/// the lists) with query `pairs`, as `scope` would: what `make bench` hands pgbench, so the
/// database's ceiling is measured on the API's own SQL.
pub async fn statements(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    path: &str,
    pairs: &[(String, String)],
) -> Result<Vec<Sql>, StoreError> {
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    let invalid = |field: &str, message: &str| {
        StoreError::Invalid(vec![FieldError {
            field: field.into(),
            code: "invalid".into(),
            message: message.into(),
        }])
    };
    match path.trim_start_matches('/') {
        "search" => {
            let q = get("q").ok_or_else(|| invalid("q", "required"))?;
            Ok(searched()
                .filter_map(|(_, spec, display)| records::search_sql(spec, scope, display, q, 20))
                .collect())
        }
        "forecast" => {
            let date = |k: &str| {
                get(k)
                    .and_then(|v| chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").ok())
                    .ok_or_else(|| invalid(k, "a date, YYYY-MM-DD"))
            };
            let by = match get("by") {
                Some("department") => ForecastBy::Department,
                _ => ForecastBy::Owner,
            };
            Ok(vec![forecast::forecast_sql(
                scope,
                date("from")?,
                date("to")?,
                by,
            )])
        }
        name => {
            let (_, spec, extra) = lists()
                .into_iter()
                .find(|(n, ..)| *n == name)
                .ok_or_else(|| invalid("path", "not a list, /search or /forecast"))?;
            let custom = custom_columns(conn, scope, spec).await?;
            let req = request(spec, &custom, pairs)?;
            let (_, sql) = list::page_sql(spec, Sql::new(spec.table), scope, &req, extra(scope));
            Ok(vec![sql])
        }
    }
}
