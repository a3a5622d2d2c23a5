//! Regions (地区): the shared GB/T 2260 tree, read-only reference data.

use crate::schema::regions;
use crate::StoreError;
use diesel::{BoolExpressionMethods, ExpressionMethods, QueryDsl, Queryable, Selectable};
use diesel::{PgTextExpressionMethods, SelectableHelper, TextExpressionMethods};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::region::Region;

#[derive(Queryable, Selectable)]
#[diesel(table_name = regions)]
struct RegionRow {
    code: String,
    parent_code: Option<String>,
    level: i16,
    name_zh: String,
    name_en: String,
}

impl From<RegionRow> for Region {
    fn from(r: RegionRow) -> Self {
        Region {
            code: r.code,
            parent_code: r.parent_code,
            level: r.level,
            name_zh: r.name_zh,
            name_en: r.name_en,
        }
    }
}

/// The children of `parent` (the provinces for `None`), by code.
pub async fn children(
    conn: &mut AsyncPgConnection,
    parent: Option<&str>,
) -> Result<Vec<Region>, StoreError> {
    let mut query = regions::table.select(RegionRow::as_select()).into_boxed();
    query = match parent {
        Some(p) => query.filter(regions::parent_code.eq(p.to_string())),
        None => query.filter(regions::parent_code.is_null()),
    };
    let rows = query.order(regions::code).load(conn).await?;
    Ok(rows.into_iter().map(Region::from).collect())
}

/// Regions whose Chinese or English name contains `q`, provinces first, at most `limit`.
pub async fn find(
    conn: &mut AsyncPgConnection,
    q: &str,
    limit: i64,
) -> Result<Vec<Region>, StoreError> {
    let pattern = format!("%{}%", crate::sql::like_escape(q));
    let rows = regions::table
        .filter(
            regions::name_zh
                .like(pattern.clone())
                .or(regions::name_en.ilike(pattern)),
        )
        .order((regions::level, regions::code))
        .limit(limit)
        .select(RegionRow::as_select())
        .load(conn)
        .await?;
    Ok(rows.into_iter().map(Region::from).collect())
}

/// A region and its ancestors, province first; `NotFound` for an unknown code.
pub async fn path(conn: &mut AsyncPgConnection, code: &str) -> Result<Vec<Region>, StoreError> {
    let mut out: Vec<Region> = Vec::new();
    let mut next = Some(code.to_string());
    // At most three levels: one indexed lookup each.
    while let Some(c) = next {
        let row: RegionRow = regions::table
            .find(&c)
            .select(RegionRow::as_select())
            .first(conn)
            .await?;
        next = row.parent_code.clone();
        out.insert(0, row.into());
    }
    Ok(out)
}
