//! The one list mechanism: allow-listed filters with operators, allow-listed sorts, opaque keyset
//! cursors, quick search and counts, all scoped to the caller's organization and visibility.
//! A resource describes itself once in a [`Spec`]; every list endpoint runs through [`fetch`].
//!
//! * `parse`: the query string to a validated [`ListRequest`] (filters, sort, cursor).
//! * `compile`: the request to SQL: scoping, filters, the keyset condition and the order.
//! * `fetch`: the page's statements, running them, and the next cursor.

mod compile;
mod fetch;
mod parse;
#[cfg(test)]
mod tests;

pub use compile::{filters_sql, scoped_where, search_condition, visible_where};
pub use fetch::{fetch, fetch_from, page_sql, totals_sql};
pub use parse::{Col, ListRequest, Op};

use uuid::Uuid;

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 200;

#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Uuid,
    Text,
    Int,
    Numeric,
    Timestamp,
    Enum(&'static [&'static str]),
    /// The name of a registered entity taking part in a feature (`account`, …): the registry's
    /// entities, never a list kept here.
    Entity(fn(&domain::registry::Joins) -> bool),
    Tags,
    Bool,
    /// A date kept as `YYYY-MM-DD` text (a custom date field), compared as text.
    Date,
    /// A time kept as RFC 3339 UTC text to the second (a custom datetime field): filter values
    /// are written that way, so text order is time order.
    TimeText,
    /// A JSON array of keys (a custom multi-picklist): `eq`/`contains` one key, `in` any of them.
    Keys,
}

impl Kind {
    /// Its name in the metadata API (`timestamp`).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Uuid => "uuid",
            Kind::Text => "text",
            Kind::Int => "integer",
            Kind::Numeric => "decimal",
            Kind::Timestamp => "timestamp",
            Kind::Enum(_) | Kind::Entity(_) => "enum",
            Kind::Tags => "tags",
            Kind::Bool => "boolean",
            Kind::Date => "date",
            Kind::TimeText => "timestamp",
            Kind::Keys => "tags",
        }
    }
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
    /// The currency column of a money amount: `totals` sum per currency.
    pub currency: Option<&'static str>,
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
            currency: None,
        }
    }
    pub const fn currency(mut self, column: &'static str) -> Self {
        self.currency = Some(column);
        self
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

/// A bad list request; the message names the parameter (400).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ListError(pub String);

/// Records listed with cursors expose their id (the keyset tie-breaker).
pub trait HasId {
    fn id(&self) -> Uuid;
}
