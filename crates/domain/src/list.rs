//! The list envelope every collection endpoint returns.

use serde::{Deserialize, Serialize};

/// One page of a keyset-paginated list.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub data: Vec<T>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
    /// Number of matching records, only with `count=true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<i64>,
    /// With `totals=field,…`: each number or money field summed over every matching record
    /// (not only this page), one sum per currency for money.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub totals: Option<std::collections::BTreeMap<String, Vec<Total>>>,
}

/// The sum of one field over a list's matching records (of one currency, for money).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Total {
    /// The currency of a money field's sum; `null` for a plain number.
    pub currency: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "1250000.00"))]
    pub sum: crate::money::Decimal,
    /// How many matching records have a value (in this currency).
    pub count: i64,
}
