//! Saved list views: validated against the entity's own list (the query must be one its list
//! accepts, the columns its fields), private to their owner or shared with the organization.

use crate::schema::list_views;
use crate::scope::Scope;
use crate::{stores, StoreError};
use chrono::{DateTime, Utc};
use diesel::{
    BoolExpressionMethods, ExpressionMethods, QueryDsl, Queryable, Selectable, SelectableHelper,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::problem::FieldError;
use domain::role::Role;
use domain::views::{ListView, ListViewInput, ListViewPatch};
use uuid::Uuid;

#[derive(Queryable, Selectable)]
#[diesel(table_name = list_views)]
struct ViewRow {
    id: Uuid,
    owner_id: Uuid,
    entity: String,
    name: String,
    query: String,
    shown: Vec<String>,
    shared: bool,
    version: i32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<ViewRow> for ListView {
    fn from(r: ViewRow) -> Self {
        ListView {
            id: r.id,
            entity: r.entity,
            name: r.name,
            query: r.query,
            columns: r.shown,
            shared: r.shared,
            owner_id: r.owner_id,
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// Every field error of `input` against the entity's list, custom fields included; trims the name.
async fn check(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    input: &mut ListViewInput,
) -> Result<(), StoreError> {
    input.name = input.name.trim().to_string();
    let mut errors = Vec::new();
    let store = domain::registry::collection(&input.entity).and_then(stores::of);
    let Some(store) = store else {
        let known: Vec<&str> = stores::STORES.iter().map(|s| s.entity.plural).collect();
        return Err(StoreError::invalid(
            "entity",
            "entity",
            &format!("one of {}", known.join(", ")),
        ));
    };
    let custom = crate::custom_fields::of_entity(conn, org_id, store.entity.plural).await?;
    let columns = crate::custom_columns::columns(&custom);
    match serde_urlencoded::from_str::<Vec<(String, String)>>(&input.query) {
        Ok(pairs) if pairs.iter().any(|(k, _)| k == "cursor") => errors.push(FieldError::new(
            "query",
            "cursor",
            "a view lists from the start: no cursor",
        )),
        Ok(pairs) => {
            if let Err(e) = crate::list::ListRequest::parse_with(store.spec, &columns, &pairs) {
                errors.push(FieldError::new("query", "list", e.0));
            }
        }
        Err(_) => errors.push(FieldError::new(
            "query",
            "encoding",
            "not a URL-encoded query",
        )),
    }
    for (i, column) in input.columns.iter().enumerate() {
        let known = store.spec.fields.iter().any(|f| f.name == column)
            || custom.iter().any(|f| f.path() == *column);
        if !known {
            errors.push(FieldError::new(
                format!("columns[{i}]"),
                "column",
                format!("not a field of {} (GET /metadata/{0})", input.entity),
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(StoreError::Invalid(errors))
    }
}

fn name_taken(e: diesel::result::Error, input: &ListViewInput) -> StoreError {
    match crate::error::unique_violation(&e) {
        Some("list_views_name") => StoreError::taken(
            "name",
            format!(
                "you already have a view of {} named {}",
                input.entity, input.name
            ),
        ),
        _ => e.into(),
    }
}

pub async fn create(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    mut input: ListViewInput,
) -> Result<ListView, StoreError> {
    check(conn, scope.org_id, &mut input).await?;
    let row: ViewRow = diesel::insert_into(list_views::table)
        .values((
            list_views::id.eq(Uuid::now_v7()),
            list_views::org_id.eq(scope.org_id),
            list_views::owner_id.eq(scope.user_id),
            list_views::entity.eq(&input.entity),
            list_views::name.eq(&input.name),
            list_views::query.eq(&input.query),
            list_views::shown.eq(&input.columns),
            list_views::shared.eq(input.shared),
        ))
        .returning(ViewRow::as_returning())
        .get_result(conn)
        .await
        .map_err(|e| name_taken(e, &input))?;
    Ok(row.into())
}

/// The views of `entity` the caller sees: their own and the shared ones, by name.
pub async fn list(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    entity: &str,
) -> Result<Vec<ListView>, StoreError> {
    let rows: Vec<ViewRow> = list_views::table
        .filter(list_views::org_id.eq(scope.org_id))
        .filter(list_views::entity.eq(entity))
        .filter(
            list_views::owner_id
                .eq(scope.user_id)
                .or(list_views::shared.eq(true)),
        )
        .order((list_views::name, list_views::id))
        .select(ViewRow::as_select())
        .load(conn)
        .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// A view the caller sees (their own, or shared); `lock` for a write.
async fn load(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    lock: bool,
) -> Result<ListView, StoreError> {
    let query = list_views::table
        .filter(list_views::org_id.eq(scope.org_id))
        .filter(list_views::id.eq(id))
        .filter(
            list_views::owner_id
                .eq(scope.user_id)
                .or(list_views::shared.eq(true)),
        )
        .select(ViewRow::as_select());
    let row: ViewRow = if lock {
        query.for_update().first(conn).await?
    } else {
        query.first(conn).await?
    };
    Ok(row.into())
}

pub async fn get(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
) -> Result<ListView, StoreError> {
    load(conn, scope, id, false).await
}

/// Only the owner changes a view; an admin may also change or remove a shared one.
fn may_change(scope: &Scope, view: &ListView) -> Result<(), StoreError> {
    if view.owner_id == scope.user_id || (view.shared && scope.role == Role::Admin) {
        Ok(())
    } else {
        Err(StoreError::Forbidden(
            "only its owner (or an admin, for a shared view) changes a view".into(),
        ))
    }
}

/// Applies `patch` at `expected` version. Run inside a transaction (the row is locked).
pub async fn update(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    expected: Option<i32>,
    patch: ListViewPatch,
) -> Result<ListView, StoreError> {
    let before = load(conn, scope, id, true).await?;
    may_change(scope, &before)?;
    StoreError::check_version(before.version, expected)?;
    let mut input = ListViewInput::from(&before);
    input.apply(patch);
    check(conn, scope.org_id, &mut input).await?;
    let row: ViewRow = diesel::update(
        list_views::table
            .filter(list_views::org_id.eq(scope.org_id))
            .filter(list_views::id.eq(id)),
    )
    .set((
        list_views::name.eq(&input.name),
        list_views::query.eq(&input.query),
        list_views::shown.eq(&input.columns),
        list_views::shared.eq(input.shared),
        list_views::version.eq(list_views::version + 1),
        list_views::updated_at.eq(Utc::now()),
    ))
    .returning(ViewRow::as_returning())
    .get_result(conn)
    .await
    .map_err(|e| name_taken(e, &input))?;
    Ok(row.into())
}

/// Deletes a view at `expected` version. Run inside a transaction.
pub async fn delete(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    expected: Option<i32>,
) -> Result<(), StoreError> {
    let before = load(conn, scope, id, true).await?;
    may_change(scope, &before)?;
    StoreError::check_version(before.version, expected)?;
    diesel::delete(
        list_views::table
            .filter(list_views::org_id.eq(scope.org_id))
            .filter(list_views::id.eq(id)),
    )
    .execute(conn)
    .await?;
    Ok(())
}
