//! Departments: a tree per organization.

use crate::locks::{self, Guard};
use crate::schema::{departments, users};
use crate::StoreError;
use chrono::{DateTime, Utc};
use diesel::sql_types;
use diesel::{
    ExpressionMethods, QueryDsl, Queryable, QueryableByName, Selectable, SelectableHelper,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::auth::{Department, DepartmentCreate, DepartmentPatch};
use uuid::Uuid;

#[derive(Queryable, Selectable)]
#[diesel(table_name = departments)]
struct DeptRow {
    id: Uuid,
    parent_id: Option<Uuid>,
    name: String,
    version: i32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<DeptRow> for Department {
    fn from(r: DeptRow) -> Self {
        Department {
            id: r.id,
            parent_id: r.parent_id,
            name: r.name,
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// The default tree of DOMAIN.md; returns (root, children by English key).
pub async fn create_default_tree(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    locale: &str,
) -> Result<(Uuid, Vec<(&'static str, Uuid)>), StoreError> {
    let zh = locale != "en";
    let name = |zh_name: &'static str, en_name: &'static str| if zh { zh_name } else { en_name };
    let root = insert(conn, org_id, None, name("总经理", "General Manager")).await?;
    let mut children = Vec::new();
    for (key, zh_name, en_name) in [
        ("sales", "市场销售部", "Marketing & Sales"),
        ("service", "客户服务部", "Customer Service"),
        ("finance", "行政财务部", "Administration & Finance"),
    ] {
        children.push((
            key,
            insert(conn, org_id, Some(root), name(zh_name, en_name)).await?,
        ));
    }
    Ok((root, children))
}

async fn insert(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    parent: Option<Uuid>,
    name: &str,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    diesel::insert_into(departments::table)
        .values((
            departments::id.eq(id),
            departments::org_id.eq(org_id),
            departments::parent_id.eq(parent),
            departments::name.eq(name),
        ))
        .execute(conn)
        .await?;
    Ok(id)
}

pub async fn list(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
) -> Result<Vec<Department>, StoreError> {
    let rows: Vec<DeptRow> = departments::table
        .filter(departments::org_id.eq(org_id))
        .order((departments::created_at, departments::id))
        .select(DeptRow::as_select())
        .load(conn)
        .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

pub async fn get(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    id: Uuid,
) -> Result<Department, StoreError> {
    load(conn, org_id, id, false).await
}

/// One of the organization's; `lock` takes a row lock for the rest of the transaction (the
/// compare-and-set of a versioned write).
async fn load(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    id: Uuid,
    lock: bool,
) -> Result<Department, StoreError> {
    let query = departments::table
        .filter(departments::org_id.eq(org_id))
        .filter(departments::id.eq(id))
        .select(DeptRow::as_select());
    let row: DeptRow = if lock {
        query.for_update().first(conn).await?
    } else {
        query.first(conn).await?
    };
    Ok(row.into())
}

/// The department and all below it. `UNION` (not `UNION ALL`) and the depth bound end the
/// recursion even if the stored tree had a cycle: a bad row must never hang the requests of
/// everyone whose reach depends on it.
pub async fn subtree(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    id: Uuid,
) -> Result<Vec<Uuid>, StoreError> {
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = sql_types::Uuid)]
        id: Uuid,
    }
    let rows: Vec<Id> = diesel::sql_query(
        "WITH RECURSIVE sub AS (SELECT id FROM departments WHERE org_id = $1 AND id = $2 \
         UNION SELECT d.id FROM departments d JOIN sub ON d.parent_id = sub.id WHERE d.org_id = $1) \
         SELECT id FROM sub LIMIT 100000",
    )
    .bind::<sql_types::Uuid, _>(org_id)
    .bind::<sql_types::Uuid, _>(id)
    .load(conn)
    .await?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

fn parent_error() -> StoreError {
    StoreError::invalid(
        "parent_id",
        "department",
        "not a department of this organization",
    )
}

pub async fn create(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    input: &DepartmentCreate,
) -> Result<Department, StoreError> {
    locks::org(conn, org_id, Guard::Departments).await?;
    get(conn, org_id, input.parent_id)
        .await
        .map_err(|_| parent_error())?;
    let id = insert(conn, org_id, Some(input.parent_id), input.name.trim()).await?;
    get(conn, org_id, id).await
}

pub async fn update(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    id: Uuid,
    expected: Option<i32>,
    patch: &DepartmentPatch,
) -> Result<Department, StoreError> {
    if patch.parent_id.is_some() {
        // Moves one at a time: two departments moved under each other at once would each pass
        // the cycle check below against the tree before the other's move.
        locks::org(conn, org_id, Guard::Departments).await?;
    }
    let current = load(conn, org_id, id, true).await?;
    StoreError::check_version(current.version, expected)?;
    if let Some(parent) = patch.parent_id {
        if current.parent_id.is_none() {
            return Err(StoreError::invalid(
                "parent_id",
                "root",
                "the top department has no parent",
            ));
        }
        get(conn, org_id, parent)
            .await
            .map_err(|_| parent_error())?;
        if subtree(conn, org_id, id).await?.contains(&parent) {
            return Err(StoreError::invalid(
                "parent_id",
                "cycle",
                "a department cannot move under itself or its own sub-department",
            ));
        }
    }
    let row: DeptRow = diesel::update(
        departments::table
            .filter(departments::org_id.eq(org_id))
            .filter(departments::id.eq(id)),
    )
    .set((
        departments::name.eq(patch
            .name
            .as_deref()
            .map(str::trim)
            .unwrap_or(&current.name)),
        departments::parent_id.eq(patch.parent_id.or(current.parent_id)),
        departments::version.eq(departments::version + 1),
        departments::updated_at.eq(Utc::now()),
    ))
    .returning(DeptRow::as_returning())
    .get_result(conn)
    .await?;
    Ok(row.into())
}

pub async fn delete(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    id: Uuid,
) -> Result<(), StoreError> {
    locks::org(conn, org_id, Guard::Departments).await?;
    let current = load(conn, org_id, id, true).await?;
    if current.parent_id.is_none() {
        return Err(StoreError::Conflict(
            "the top department cannot be deleted".into(),
        ));
    }
    let children: i64 = departments::table
        .filter(departments::org_id.eq(org_id))
        .filter(departments::parent_id.eq(id))
        .count()
        .get_result(conn)
        .await?;
    let members: i64 = users::table
        .filter(users::org_id.eq(org_id))
        .filter(users::department_id.eq(id))
        .count()
        .get_result(conn)
        .await?;
    let pools: i64 = crate::schema::account_pools::table
        .filter(crate::schema::account_pools::org_id.eq(org_id))
        .filter(crate::schema::account_pools::department_id.eq(id))
        .count()
        .get_result(conn)
        .await?;
    if pools > 0 {
        return Err(StoreError::Conflict(
            "the department has a customer pool; delete the pool first".into(),
        ));
    }
    if children > 0 || members > 0 {
        return Err(StoreError::Conflict(format!(
            "the department still has {children} sub-department(s) and {members} user(s); move them first"
        )));
    }
    diesel::delete(
        departments::table
            .filter(departments::org_id.eq(org_id))
            .filter(departments::id.eq(id)),
    )
    .execute(conn)
    .await?;
    Ok(())
}
