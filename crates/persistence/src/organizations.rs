//! Organizations (tenants).

use crate::schema::organizations;
use crate::sql::{Bind, Sql};
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

/// Sets the organization's neglect threshold, and moves every account's `neglect_at` with it.
/// Run inside a transaction. The accounts are locked in id order first, the order activity writes
/// lock them in, so the two never deadlock.
pub async fn set_neglect_days(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    days: i32,
) -> Result<i32, StoreError> {
    let days: i32 = diesel::update(organizations::table.filter(organizations::id.eq(org_id)))
        .set(organizations::neglect_days.eq(days))
        .returning(organizations::neglect_days)
        .get_result(conn)
        .await?;
    let mut lock = Sql::new("SELECT id FROM accounts WHERE org_id = ");
    lock.bind(Bind::Uuid(org_id))
        .push(" ORDER BY id FOR NO KEY UPDATE");
    lock.execute(conn).await?;
    let mut update = Sql::new(
        "UPDATE accounts SET neglect_at = coalesce(last_activity_at, created_at) + make_interval(days => ",
    );
    update
        .bind(Bind::Int(days))
        .push(") WHERE org_id = ")
        .bind(Bind::Uuid(org_id));
    update.execute(conn).await?;
    Ok(days)
}
