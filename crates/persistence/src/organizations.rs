//! Organizations (tenants).

use crate::schema::organizations;
use crate::StoreError;
use chrono::{DateTime, Utc};
use diesel::{ExpressionMethods, QueryDsl, Queryable, Selectable, SelectableHelper};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::auth::Organization;
use uuid::Uuid;

#[derive(Queryable, Selectable)]
#[diesel(table_name = organizations)]
struct OrgRow {
    id: Uuid,
    name: String,
    locale: String,
    created_at: DateTime<Utc>,
}

impl From<OrgRow> for Organization {
    fn from(r: OrgRow) -> Self {
        Organization {
            id: r.id,
            name: r.name,
            locale: r.locale,
            created_at: r.created_at,
        }
    }
}

pub async fn create(
    conn: &mut AsyncPgConnection,
    name: &str,
    locale: &str,
) -> Result<Organization, StoreError> {
    let row: OrgRow = diesel::insert_into(organizations::table)
        .values((
            organizations::id.eq(Uuid::now_v7()),
            organizations::name.eq(name),
            organizations::locale.eq(locale),
        ))
        .returning(OrgRow::as_returning())
        .get_result(conn)
        .await?;
    Ok(row.into())
}

pub async fn get(conn: &mut AsyncPgConnection, id: Uuid) -> Result<Organization, StoreError> {
    let row: OrgRow = organizations::table
        .find(id)
        .select(OrgRow::as_select())
        .first(conn)
        .await?;
    Ok(row.into())
}

/// Whether any organization exists (a fresh database gets the demo one).
pub async fn any(conn: &mut AsyncPgConnection) -> Result<bool, StoreError> {
    let n: i64 = organizations::table.count().get_result(conn).await?;
    Ok(n > 0)
}

/// The organization's neglect threshold in days.
pub async fn neglect_days(conn: &mut AsyncPgConnection, org_id: Uuid) -> Result<i32, StoreError> {
    Ok(organizations::table
        .find(org_id)
        .select(organizations::neglect_days)
        .first(conn)
        .await?)
}

/// Sets the organization's neglect threshold.
pub async fn set_neglect_days(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    days: i32,
) -> Result<i32, StoreError> {
    Ok(
        diesel::update(organizations::table.filter(organizations::id.eq(org_id)))
            .set(organizations::neglect_days.eq(days))
            .returning(organizations::neglect_days)
            .get_result(conn)
            .await?,
    )
}
