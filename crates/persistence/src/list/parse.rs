//! Parsing a list request: every parameter, field, operator and cursor is checked against the
//! resource's [`Spec`]; nothing unknown is ignored.

use super::{Field, Kind, ListError, Spec, DEFAULT_LIMIT, MAX_LIMIT};
use crate::sql::Bind;
use base64::Engine as _;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

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
    pub const ALL: [Op; 8] = [
        Op::Eq,
        Op::Ne,
        Op::Gt,
        Op::Gte,
        Op::Lt,
        Op::Lte,
        Op::In,
        Op::Contains,
    ];

    /// Its name in a filter (`created_at[gte]=…`).
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "eq",
            Op::Ne => "ne",
            Op::Gt => "gt",
            Op::Gte => "gte",
            Op::Lt => "lt",
            Op::Lte => "lte",
            Op::In => "in",
            Op::Contains => "contains",
        }
    }

    fn parse(s: &str) -> Option<Op> {
        Op::ALL.into_iter().find(|op| op.as_str() == s)
    }

    /// Whether a field of `kind` can be filtered with this operator.
    pub fn allowed(self, kind: Kind) -> bool {
        match self {
            Op::Eq | Op::Ne => true,
            Op::In => !matches!(kind, Kind::Bool),
            Op::Gt | Op::Gte | Op::Lt | Op::Lte => {
                matches!(
                    kind,
                    Kind::Int
                        | Kind::Numeric
                        | Kind::Timestamp
                        | Kind::Text
                        | Kind::Date
                        | Kind::TimeText
                )
            }
            Op::Contains => matches!(kind, Kind::Text | Kind::Tags | Kind::Keys),
        }
    }
}

/// A field a request filters or sorts on: one of the spec's, or a custom field of the caller's
/// organization (described per request, so owned).
#[derive(Debug, Clone)]
pub struct Col {
    pub name: String,
    pub column: String,
    pub kind: Kind,
    pub nullable: bool,
    /// Lists filter on it (a custom field that is not filterable still sums in `totals`).
    pub filterable: bool,
    pub sortable: bool,
    pub json_path: String,
    /// Served by an index partial on the organization (custom fields): the statement is planned
    /// for its values on every run, since a generic plan cannot match such an index.
    pub per_org: bool,
    /// The SQL of a money amount's currency (`totals` sum per currency).
    pub currency: Option<String>,
}

impl From<&Field> for Col {
    fn from(f: &Field) -> Self {
        Col {
            name: f.name.into(),
            column: f.column.into(),
            kind: f.kind,
            nullable: f.nullable,
            filterable: true,
            sortable: f.sortable,
            json_path: f.json_path.into(),
            per_org: false,
            currency: f.currency.map(str::to_string),
        }
    }
}

#[derive(Debug)]
pub(super) struct Filter {
    pub(super) field: Col,
    pub(super) op: Op,
    pub(super) value: Bind,
}

#[derive(Debug)]
pub(super) struct SortKey {
    pub(super) field: Col,
    pub(super) desc: bool,
}

#[derive(Debug, Serialize, Deserialize)]
pub(super) struct Cursor {
    /// The sort the cursor was made for.
    pub(super) s: String,
    /// The last row's sort values, then its id.
    pub(super) v: Vec<serde_json::Value>,
    pub(super) id: Uuid,
}

/// A parsed, validated list request.
#[derive(Debug)]
pub struct ListRequest {
    pub(super) filters: Vec<Filter>,
    pub(super) sort: Vec<SortKey>,
    pub(super) sort_text: String,
    pub(super) after: Option<(Vec<Option<Bind>>, Uuid)>,
    pub limit: i64,
    pub(super) q: Option<String>,
    pub count: bool,
    /// List the recycle bin instead of live records.
    pub deleted: bool,
    /// Number fields to sum over every matching record.
    pub(super) totals: Vec<Col>,
}

fn bad<T>(msg: String) -> Result<T, ListError> {
    Err(ListError(msg))
}

fn parse_value(field: &Col, raw: &str) -> Result<Bind, ListError> {
    let fail = |what: &str| ListError(format!("`{}`: `{raw}` is not {what}", field.name));
    Ok(match field.kind {
        Kind::Uuid => Bind::Uuid(Uuid::parse_str(raw).map_err(|_| fail("a UUID"))?),
        Kind::Text | Kind::Tags | Kind::Keys => Bind::Text(raw.to_string()),
        Kind::Date => Bind::Text(
            NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .ok()
                .filter(|d| (1..=9999).contains(&d.year()))
                .ok_or_else(|| fail("a date such as 2026-01-05"))?
                .format("%Y-%m-%d")
                .to_string(),
        ),
        Kind::TimeText => Bind::Text(
            parse_time(raw)
                .filter(|t| (1..=9999).contains(&t.year()))
                .ok_or_else(|| fail("a date or RFC 3339 time between the years 1 and 9999"))?
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        ),
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
        Kind::Entity(feature) => {
            if domain::registry::joining(feature).all(|e| e.name != raw) {
                let known: Vec<&str> = domain::registry::joining(feature).map(|e| e.name).collect();
                return bad(format!(
                    "`{}`: `{raw}` is not one of {}",
                    field.name,
                    known.join(", ")
                ));
            }
            Bind::Text(raw.to_string())
        }
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
        Kind::Text
        | Kind::Tags
        | Kind::Enum(_)
        | Kind::Entity(_)
        | Kind::Keys
        | Kind::Date
        | Kind::TimeText => {
            collect!(Text, TextArray)
        }
        Kind::Bool => Bind::TextArray(Vec::new()),
    }
}

/// A cursor value back to a bind of the field's type.
fn cursor_value(field: &Col, v: &serde_json::Value) -> Result<Option<Bind>, ListError> {
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
        Self::parse_with(spec, &[], pairs)
    }

    /// Whether a request names a custom field (`custom.budget[gte]`, `sort=-custom.budget`), so
    /// the caller must describe the organization's custom fields to [`ListRequest::parse_with`].
    pub fn names_custom(pairs: &[(String, String)]) -> bool {
        pairs.iter().any(|(k, v)| {
            k.starts_with("custom.")
                || (matches!(k.as_str(), "sort" | "totals") && v.contains("custom."))
        })
    }

    /// [`ListRequest::parse`] with the spec's fields and `custom` ones (`custom.<key>`).
    pub fn parse_with(
        spec: &'static Spec,
        custom: &[Col],
        pairs: &[(String, String)],
    ) -> Result<Self, ListError> {
        let fields: Vec<Col> = spec
            .fields
            .iter()
            .map(Col::from)
            .chain(custom.iter().cloned())
            .collect();
        let mut req = ListRequest {
            filters: Vec::new(),
            sort: Vec::new(),
            sort_text: spec.default_sort.to_string(),
            after: None,
            limit: DEFAULT_LIMIT,
            q: None,
            count: false,
            deleted: false,
            totals: Vec::new(),
        };
        let mut totals = None;
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
                "totals" => totals = Some(value.clone()),
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
                    let Some(field) = fields.iter().find(|f| f.name == name && f.filterable) else {
                        let names: Vec<_> = fields
                            .iter()
                            .filter(|f| f.filterable)
                            .map(|f| f.name.as_str())
                            .collect();
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
                    req.filters.push(Filter {
                        field: field.clone(),
                        op,
                        value,
                    });
                }
            }
        }
        for part in req.sort_text.split(',').map(str::trim) {
            let (name, desc) = match part.strip_prefix('-') {
                Some(n) => (n, true),
                None => (part, false),
            };
            let field = fields
                .iter()
                .find(|f| f.name == name && f.sortable)
                .ok_or_else(|| {
                    let names: Vec<_> = fields
                        .iter()
                        .filter(|f| f.sortable)
                        .map(|f| f.name.as_str())
                        .collect();
                    ListError(format!(
                        "`sort`: `{name}` is not sortable (sortable: {})",
                        names.join(", ")
                    ))
                })?;
            if req.sort.iter().any(|k| k.field.name == field.name) {
                return bad(format!("`sort`: `{name}` appears twice"));
            }
            req.sort.push(SortKey {
                field: field.clone(),
                desc,
            });
        }
        for name in totals.iter().flat_map(|t| t.split(',')).map(str::trim) {
            let summable = |f: &&Col| matches!(f.kind, Kind::Int | Kind::Numeric);
            let field = fields
                .iter()
                .filter(summable)
                .find(|f| f.name == name)
                .ok_or_else(|| {
                    let names: Vec<_> = fields
                        .iter()
                        .filter(summable)
                        .map(|f| f.name.as_str())
                        .collect();
                    ListError(format!(
                        "`totals`: `{name}` is not a number field of this list (number fields: {})",
                        names.join(", ")
                    ))
                })?;
            if !req.totals.iter().any(|t| t.name == field.name) {
                req.totals.push(field.clone());
            }
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
                .map(|(k, v)| cursor_value(&k.field, v))
                .collect::<Result<_, _>>()?;
            req.after = Some((values, c.id));
        }
        Ok(req)
    }

    /// Whether a filter or sort key needs plans made for the request's values.
    pub(super) fn per_org(&self) -> bool {
        self.filters.iter().any(|f| f.field.per_org) || self.sort.iter().any(|k| k.field.per_org)
    }

    /// Only the quick search and count (for search-like callers).
    pub fn q(&self) -> Option<&str> {
        self.q.as_deref()
    }
}
